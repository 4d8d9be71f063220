"""``intake calls``: import call logs, list calls."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import undefer

from intake.cli.app import Context, console, err, fail, utcnow
from intake.cli.views import plain
from intake.message import CallRecord, is_missed
from intake.sources.call_log import csv_format
from intake.store.db import session_factory
from intake.store.models import Case, Item
from intake.vocab import Channel


@click.group()
def calls():
    """Telephone calls: import call logs, list calls."""
@calls.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Classify and print; store nothing.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per record.")
@click.pass_obj
def calls_import(obj: Context, file, dry_run, as_json):
    """Import a phone system's call-record CSV. Bad rows are reported with their line
    number and skipped; importing the same file again adds nothing."""
    from intake.daemon import build_pipeline
    from intake.ingest import store_items
    from intake.pipeline.process import process_pending, sync_dealers
    from intake.sources.call_log import BadRow, read_csv
    from intake.understand.step import understand

    s = obj.settings
    fmt = csv_format(s.calls_csv)
    try:
        rows = list(read_csv(file, fmt))
    except BadRow as exc:
        fail(f"{file}:{exc}", 2)
    good = [r for r in rows if not isinstance(r, BadRow)]
    for bad in (r for r in rows if isinstance(r, BadRow)):
        err.print(f"{file}:{bad.line}: {bad.message} (row skipped)", highlight=False, markup=False)
    if dry_run:
        from intake.rulesfile import load_rules
        from intake.understand.dealers_file import load_directory

        rules_, directory = load_rules(s.rules_path, own_domains=s.own_domains), load_directory(s.dealers_path)
        for rec in good:
            msg, dealer, d = understand(rec.to_raw(), "call", rules_, directory)
            out = {"call_sid": rec.call_sid, "direction": rec.direction, "caller": rec.caller,
                   "start_time": rec.start_time.isoformat(), "status": rec.status, "category": d.category,
                   "actionable": d.actionable, "rules": d.rules, "dealer": dealer.key if dealer else None,
                   "language": msg.language}
            if as_json:
                click.echo(json.dumps(out, ensure_ascii=False))
            else:
                console.print(f"{rec.call_sid} {rec.direction:<8} {rec.caller:<16} {rec.status:<10} -> "
                              f"{d.category}{'' if d.actionable else ' (not actionable)'} "
                              f"dealer {out['dealer'] or '-'}", highlight=False)
        return
    sessions = session_factory(obj.engine(migrate=True))
    result = store_items(sessions, [rec.to_item(f"calls:{file.name}") for rec in good], utcnow())
    pipeline = build_pipeline(s)
    sync_dealers(sessions, pipeline)
    processed = process_pending(sessions, pipeline, utcnow())
    pipeline.close()
    bad_count = len(rows) - len(good)
    summary = {"rows": len(rows), "bad_rows": bad_count, "stored": result.stored,
               "already_stored": result.duplicates, "processed": processed.processed}
    if as_json:
        click.echo(json.dumps(summary))
    else:
        console.print(f"{len(rows)} rows: {result.stored} stored, {result.duplicates} already stored, "
                      f"{bad_count} bad rows skipped; {processed.processed} processed")


@calls.command("list")
@click.option("--missed", is_flag=True, help="Only missed inbound calls.")
@click.option("--limit", type=int, default=200, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def calls_list(obj: Context, missed, limit, as_json):
    """List stored calls, newest first."""
    sessions = session_factory(obj.engine())
    out = []
    with sessions() as session:
        q = (select(Item).options(undefer(Item.raw)).where(Item.channel == Channel.CALL)
             .order_by(Item.received_at.desc()).limit(limit * (5 if missed else 1)))
        for it in session.scalars(q):
            rec = CallRecord.from_raw(it.raw)
            missed_call = is_missed(rec)
            if missed and not missed_call:
                continue
            case = session.get(Case, it.case_id) if it.case_id else None
            out.append({"call_sid": rec.call_sid, "direction": rec.direction, "caller": rec.caller,
                        "start_time": rec.start_time.isoformat(), "duration_seconds": rec.duration_seconds,
                        "status": rec.status, "missed": missed_call, "category": it.category,
                        "case": case.reference if case else None, "case_status": case.status if case else None,
                        "transcript": rec.transcript})
            if len(out) >= limit:
                break
    if as_json:
        for o in out:
            click.echo(json.dumps(o, ensure_ascii=False))
        return
    table = Table()
    for col in ("when", "direction", "caller", "status", "secs", "category", "case", "note"):
        table.add_column(col, no_wrap=col != "note", overflow="ellipsis")
    for o in out:
        table.add_row(o["start_time"][:16].replace("T", " "), o["direction"], o["caller"], o["status"],
                      str(o["duration_seconds"]), o["category"] or "-",
                      f"{o['case'] or '-'} {o['case_status'] or ''}", plain(o["transcript"][:60]),
                      style="red" if o["missed"] and o["case_status"] == "open" else None)
    console.print(table)
