"""``intake sla report``: the acknowledgement promise by owner."""

from __future__ import annotations

import json

import click
from rich import box
from rich.table import Table

from intake.cases.queries import open_by_owner
from intake.cli.app import Context, console, utcnow
from intake.cli.views import _age, plain
from intake.store.db import session_factory


@click.group()
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
        by_owner = open_by_owner(session)
    rows = [c for cs in by_owner.values() for c in cs]
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
        table = Table(title=plain(f"{owner}: {len(cs)} open, {overdue} overdue"), title_justify="left",
                      box=box.SIMPLE_HEAD, pad_edge=False, width=console.width)
        lefts = [_age(c.ack_due_at, now) for c in cs]
        for col, values in (("reference", [c.reference for c in cs]), ("category", [c.category for c in cs]),
                            ("time left", lefts)):
            table.add_column(col, no_wrap=True, width=max(len(col), *map(len, values)))  # always whole
        table.add_column("dealer / sender", no_wrap=True, overflow="ellipsis", ratio=1)
        table.add_column("subject", no_wrap=True, overflow="ellipsis", ratio=2)
        for c in cs:
            left = _age(c.ack_due_at, now)
            table.add_row(c.reference, c.category, left, plain(c.dealer.key if c.dealer else c.sender), plain(c.subject),
                          style="red" if left.startswith("-") else None)
        console.print(table)
