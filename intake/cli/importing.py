"""``intake import``: store mail from files, folders, Maildirs and mbox files, then classify it."""

from __future__ import annotations

import time
from pathlib import Path

import click

from intake import logs
from intake.cli.app import Context, console, err, fail, utcnow
from intake.cli.views import plain
from intake.store.db import session_factory


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--no-process", is_flag=True, help="Only store; leave classification to the daemon.")
@click.option("--history", is_flag=True,
              help="Old correspondence for the record: classify and file it, closed, with no receipts and no chase.")
@click.pass_obj
def import_(obj: Context, paths, no_process, history):
    """Store messages from .eml files, folders, Maildirs and mbox files.

    A message already stored (same Message-ID and content) is skipped, so importing the
    same files again adds nothing. A message's clock starts when it arrived (its Received
    or Date header), so old mail is due at once; mail older than the rules' receipt age
    gets no receipt. Use --history for an archive nobody is waiting on an answer for.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from intake.daemon import build_pipeline
    from intake.ingest import store_items
    from intake.pipeline.process import process_pending, sync_dealers
    from intake.sources.local import ReadReport, count_messages, read_paths

    s = obj.settings
    logs.setup(s.log.format, "WARNING")
    engine = obj.engine(migrate=True)
    sessions = session_factory(engine)
    pipeline = None if no_process else build_pipeline(s)
    if pipeline is not None:
        pipeline.history = history
    total = count_messages(list(paths))
    now = utcnow()
    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]:>7.0f} msg/s"), TimeRemainingColumn()]
    started = time.monotonic()
    with Progress(*columns, console=err, disable=not err.is_terminal, transient=False) as progress:
        task = progress.add_task("storing", total=total, rate=0.0)

        def counted(items):
            for n, it in enumerate(items, 1):
                yield it
                if n % 50 == 0:
                    progress.update(task, completed=n, rate=n / max(time.monotonic() - started, 1e-6))

        report = ReadReport()
        result = store_items(sessions, counted(read_paths(list(paths), report=report)), now)
        progress.update(task, completed=total)
        processed = None
        if pipeline is not None:
            sync_dealers(sessions, pipeline)
            ptask = progress.add_task("classifying", total=result.stored, rate=0.0)
            pstart = time.monotonic()

            def shown(total):
                done = total.processed + total.failed
                progress.update(ptask, completed=done, rate=done / max(time.monotonic() - pstart, 1e-6))

            processed = process_pending(sessions, pipeline, now, on_batch=shown)
    if pipeline is not None:
        pipeline.close()
    secs = time.monotonic() - started
    line = f"{total} messages read, {result.stored} stored, {result.duplicates} already stored"
    if processed is not None:
        line += f"; {processed.processed} classified, {processed.failed} failed"
    console.print(f"{line} ({secs:.1f} s)")
    if report.not_mail:
        console.print(plain(f"{len(report.not_mail)} file(s) skipped as not mail, e.g. {report.not_mail[0]} "
                            "(name a file on its own to store it anyway)"))
    for path, why in report.unreadable:
        err.print(plain(f"{path}: cannot read: {why}"))
    if report.unreadable:
        fail(f"{len(report.unreadable)} file(s) could not be read; everything else was stored", 1)
