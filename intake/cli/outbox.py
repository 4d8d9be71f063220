"""``intake outbox``: outgoing mail, queued, sent or failed."""

from __future__ import annotations

import json

import click
from rich.table import Table
from sqlalchemy import select

from intake.cli.app import Context, console, fail, utcnow
from intake.cli.views import plain
from intake.store.db import session_factory
from intake.store.models import Outbox
from intake.vocab import OutboxStatus


@click.group()
def outbox():
    """Outgoing mail: what is queued, sent or failed."""
@outbox.command("list")
@click.option("--status", type=click.Choice([s.value for s in OutboxStatus]), help="Only this status.")
@click.option("--limit", type=int, default=100, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def outbox_list(obj: Context, status, limit, as_json):
    """List outgoing messages, newest first."""
    sessions = session_factory(obj.engine())
    with sessions() as session:
        q = select(Outbox).order_by(Outbox.id.desc()).limit(limit)
        if status:
            q = q.where(Outbox.status == status)
        rows = [{"id": o.id, "status": o.status, "kind": o.kind, "to": o.recipients, "subject": o.subject,
                 "created_at": o.created_at.isoformat(), "attempts": o.attempts,
                 "sent_at": o.sent_at.isoformat() if o.sent_at else None, "error": o.error,
                 "case_id": o.case_id, "message_id": o.message_id} for o in session.scalars(q)]
    if as_json:
        for r in rows:
            click.echo(json.dumps(r, ensure_ascii=False))
        return
    table = Table()
    for col in ("id", "status", "kind", "to", "subject", "attempts", "note"):
        table.add_column(col, overflow="ellipsis", no_wrap=col != "subject")
    for r in rows:
        table.add_row(str(r["id"]), r["status"], r["kind"], plain(", ".join(r["to"])), plain(r["subject"]),
                      str(r["attempts"]), plain(r["error"]), style="red" if r["status"] == "failed" else None)
    console.print(table)


@outbox.command("retry")
@click.argument("outbox_id", type=int)
@click.pass_obj
def outbox_retry(obj: Context, outbox_id):
    """Queue a failed message again (after fixing its cause)."""
    from responders.outbox import retry

    if not retry(session_factory(obj.engine()), outbox_id, utcnow()):
        fail(f"outbox message {outbox_id} does not exist or has not failed", 1)
    console.print(f"outbox message {outbox_id} queued again")
