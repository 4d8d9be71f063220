"""``intake items``: stored items, failed or malformed ones, raw bytes."""

from __future__ import annotations

import json
import sys

import click
from rich import box
from rich.table import Table
from sqlalchemy import select

from intake.cli.app import Context, console, fail, utcnow
from intake.cli.views import plain
from intake.store.db import session_factory
from intake.store.models import Item
from intake.vocab import ItemState


@click.group()
def items():
    """Inspect stored items: failed or malformed ones, raw bytes."""
@items.command("list")
@click.option("--failed", is_flag=True, help="Only items whose processing failed.")
@click.option("--malformed", is_flag=True, help="Only items that could not be parsed as mail.")
@click.option("--limit", type=int, default=100, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def items_list(obj: Context, failed, malformed, limit, as_json):
    """List stored items, newest first."""
    sessions = session_factory(obj.engine())
    with sessions() as session:
        q = select(Item).order_by(Item.id.desc()).limit(limit)
        if failed:
            q = q.where(Item.state == ItemState.FAILED)
        if malformed:
            q = q.where(Item.malformed.is_(True))
        rows = list(session.scalars(q))
    out = [{"id": i.id, "state": i.state, "channel": i.channel, "source": i.source, "received_at":
            i.received_at.isoformat(), "sender": i.sender, "subject": i.subject, "case_id": i.case_id,
            "category": i.category, "malformed": i.malformed, "attempts": i.attempts,
            "error": (i.error or "").splitlines()[0] if i.error else None} for i in rows]
    if as_json:
        for o in out:
            click.echo(json.dumps(o, ensure_ascii=False))
        return
    # The id, state and case always whole; the subject takes what is left, with an ellipsis.
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, width=console.width if out else None)
    for col in ("id", "state", "case"):
        table.add_column(col, no_wrap=True, min_width=len(col))
    table.add_column("subject", overflow="ellipsis", no_wrap=True, ratio=3, min_width=8)
    for col in ("sender", "source", "note"):
        table.add_column(col, overflow="ellipsis", no_wrap=True, ratio=1, min_width=5)
    for o in out:
        note = o["error"] or ("malformed" if o["malformed"] else "")
        table.add_row(str(o["id"]), o["state"], str(o["case_id"] or ""), plain(o["subject"]), plain(o["sender"]),
                      plain(o["source"]), plain(note))
    console.print(table)


@items.command("raw")
@click.argument("item_id", type=int)
@click.pass_obj
def items_raw(obj: Context, item_id):
    """Write an item's raw bytes, exactly as received, to standard output."""
    sessions = session_factory(obj.engine())
    with sessions() as session:
        raw = session.scalar(select(Item.raw).where(Item.id == item_id))
    if raw is None:
        fail(f"no item {item_id}", 1)
    sys.stdout.buffer.write(raw)


@items.command("retry")
@click.argument("item_ids", nargs=-1, type=int)
@click.pass_obj
def items_retry(obj: Context, item_ids):
    """Make failed items due for processing again (all failed items if none are named)."""
    from intake.pipeline.process import retry_failed

    n = retry_failed(session_factory(obj.engine()), utcnow(), list(item_ids) or None)
    console.print(f"{n} item(s) will be processed again")
