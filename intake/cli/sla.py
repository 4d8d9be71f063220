"""``intake sla report``: the acknowledgement promise by owner."""

from __future__ import annotations

import json

import click
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from intake.cli.app import Context, console, main, utcnow
from intake.cli.views import _age
from intake.store.db import session_factory
from intake.store.models import Case
from intake.vocab import CaseStatus


@main.group()
def sla():
    """The acknowledgement promise: what is open, by owner, and how long is left."""


@sla.command("report")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def sla_report(obj: Context, as_json):
    """Open cases by owner with time left (negative: overdue), most urgent first."""

    now = utcnow()
    sessions = session_factory(obj.engine())
    with sessions() as session:
        rows = list(session.scalars(select(Case).options(selectinload(Case.dealer))
                                    .where(Case.status == CaseStatus.OPEN, Case.actionable.is_(True))
                                    .order_by(Case.owner, Case.ack_due_at)))
    by_owner: dict[str, list] = {}
    for c in rows:
        by_owner.setdefault(c.owner or "(nobody)", []).append(c)
    if as_json:
        out = {owner: [{"reference": c.reference, "category": c.category, "dealer": c.dealer.key if c.dealer else None,
                        "sender": c.sender, "subject": c.subject, "opened_at": c.opened_at.isoformat(),
                        "ack_due_at": c.ack_due_at.isoformat() if c.ack_due_at else None,
                        "seconds_left": int((c.ack_due_at - now).total_seconds()) if c.ack_due_at else None}
                       for c in cs] for owner, cs in by_owner.items()}
        click.echo(json.dumps({"at": now.isoformat(), "owners": out}, ensure_ascii=False, indent=2))
        return
    if not rows:
        console.print("no open cases")
        return
    for owner, cs in by_owner.items():
        overdue = sum(1 for c in cs if c.ack_due_at and c.ack_due_at <= now)
        table = Table(title=f"{owner}: {len(cs)} open, {overdue} overdue", title_justify="left")
        for col in ("reference", "category", "time left", "dealer / sender", "subject"):
            table.add_column(col, no_wrap=True, overflow="ellipsis")
        for c in cs:
            left = _age(c.ack_due_at, now)
            table.add_row(c.reference, c.category, left, c.dealer.key if c.dealer else c.sender, c.subject,
                          style="red" if left.startswith("-") else None)
        console.print(table)
