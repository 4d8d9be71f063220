"""The ``intake`` command. Libraries raise; only this module prints errors and exits.

Exit codes: 0 success, 1 a check found problems, 2 bad usage, config, path or database.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload, undefer

from intake import logs, resources
from intake.config import Settings, load_settings
from intake.store.db import DatabaseError, has_schema, make_engine, redact, session_factory, upgrade
from intake.store.models import Case
from intake.yamlconf import ConfigError

console = Console()
if not console.is_terminal:  # piped: wide enough that tables keep one row per line
    console = Console(width=200)
err = Console(stderr=True, soft_wrap=True)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Context:
    def __init__(self, config: str | None):
        self.config_path = config
        self._settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(self.config_path)
        return self._settings

    def engine(self, *, migrate: bool = False):
        engine = make_engine(self.settings.database_url)
        if migrate:
            upgrade(engine)
        else:
            try:
                ready = has_schema(engine)
            except Exception as exc:
                raise DatabaseError(f"cannot open database {redact(self.settings.database_url)}: {exc}") from None
            if not ready:
                raise DatabaseError(f"database {redact(self.settings.database_url)} has no intake tables yet; "
                                    "run `intake db upgrade` or `intake run`")
        return engine


def fail(message: str, code: int = 2):
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    sys.exit(code)


class IntakeGroup(click.Group):
    """Turns the library's exceptions into one clear line and a non-zero exit."""

    def invoke(self, ctx):
        from intake.lock import AlreadyRunning
        from intake.sources.local import SourceError

        try:
            return super().invoke(ctx)
        except ConfigError as exc:
            for p in exc.problems:
                err.print(str(p), highlight=False, markup=False)
            fail(f"{len(exc.problems)} problem(s) in configuration", 2)
        except (DatabaseError, SourceError, AlreadyRunning) as exc:
            fail(str(exc), 2)


@click.group(cls=IntakeGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-c", "--config", type=click.Path(dir_okay=False), envvar="INTAKE_CONFIG",
              help="Config file (default: ./intake.yaml if present). Env: INTAKE_CONFIG.")
@click.version_option(package_name="intake")
@click.pass_context
def main(ctx, config):
    """intake: dealer email and call intake — store, classify, acknowledge, chase."""
    ctx.obj = Context(config)


# ---------------------------------------------------------------------------- init / run


STARTER_CONFIG = """\
# intake.yaml - where intake keeps its data and what it watches.
# Secrets (passwords, tokens) never go here: they come from environment variables.
data_dir: data                 # SQLite database and working files
# database_url: postgresql+psycopg://user@host/intake   # or set INTAKE_DATABASE_URL
rules: rules.yaml              # how mail is classified (edit by hand; `intake rules check`)
dealers: dealers.yaml          # the dealer directory
default_owner: sales@example.co.uk   # owner of cases from senders not in the directory
mail_from: sales@example.co.uk       # sender of receipts, digests and forwards
signature: The sales office          # closes receipts to dealers
admin_email: it@example.co.uk        # told when a mailbox keeps failing
# smtp:                              # without it, outgoing mail is written to data/outbox/
#   host: smtp.example.co.uk
#   security: starttls
#   username: sales@example.co.uk
#   password: {env: INTAKE_SMTP_PASSWORD}
#   envelope_from: sales@example.co.uk
log:
  format: plain                # or json, for a log collector (env INTAKE_LOG_FORMAT)
  level: INFO
sources:
  - kind: drop                 # a folder of .eml files; drop mail here
    name: drop
    path: drop
  - kind: maildir              # a Maildir (cur/, new/) a mail system delivers into
    name: maildir
    path: Maildir
schedule:
  poll_seconds: 5
  process_seconds: 2
"""


@main.command()
@click.argument("folder", type=click.Path(file_okay=False), default=".")
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
@click.option("--with-samples", is_flag=True, help="Put the bundled sample dealer mail in the drop folder.")
def init(folder, force, with_samples):
    """Write a starter intake.yaml, rules.yaml and dealers.yaml into FOLDER."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    files = {
        "intake.yaml": STARTER_CONFIG,
        "rules.yaml": resources.default_file("rules.yaml").read_text(encoding="utf-8"),
        "dealers.yaml": resources.default_file("samples/dealers.yaml").read_text(encoding="utf-8"),
    }
    for name, text in files.items():
        path = target / name
        if path.exists() and not force:
            console.print(f"kept     {path} (exists; --force to overwrite)")
            continue
        path.write_text(text, encoding="utf-8")
        console.print(f"wrote    {path}")
    (target / "drop").mkdir(exist_ok=True)
    for sub in ("cur", "new", "tmp"):
        (target / "Maildir" / sub).mkdir(parents=True, exist_ok=True)
    if with_samples:
        samples = sorted(resources.default_file("samples/mail").glob("*.eml"))
        for s in samples:
            shutil.copyfile(s, target / "drop" / s.name)
        console.print(f"copied   {len(samples)} sample messages into {target / 'drop'}")
    console.print(f"\nNext: [bold]intake -c {target / 'intake.yaml'} run[/]")


@main.command()
@click.option("--once", is_flag=True, help="Poll every source and process once, then exit.")
@click.pass_obj
def run(obj: Context, once):
    """Run the daemon: watch the sources, store and classify what arrives.

    Stops cleanly on SIGTERM or Ctrl-C. Brings the database schema up to date first.
    """
    from intake.daemon import Daemon

    s = obj.settings
    logs.setup(s.log.format, s.log.level)
    daemon = Daemon(s)
    daemon.run_once() if once else daemon.run_forever()


# ---------------------------------------------------------------------------- import


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--no-process", is_flag=True, help="Only store; leave classification to the daemon.")
@click.pass_obj
def import_(obj: Context, paths, no_process):
    """Store messages from .eml files, folders, Maildirs and mbox files.

    A message already stored (same Message-ID and content) is skipped, so importing the
    same files again adds nothing.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from intake.daemon import build_pipeline
    from intake.ingest import store_items
    from intake.pipeline.process import process_pending, sync_dealers
    from intake.sources.local import count_messages, read_paths

    s = obj.settings
    logs.setup(s.log.format, "WARNING")
    engine = obj.engine(migrate=True)
    sessions = session_factory(engine)
    pipeline = None if no_process else build_pipeline(s)
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

        result = store_items(sessions, counted(read_paths(list(paths))), now)
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


# ---------------------------------------------------------------------------- cases


@main.group()
def cases():
    """List and inspect cases."""


def _age(dt: datetime | None, now: datetime) -> str:
    if dt is None:
        return ""
    secs = (dt - now).total_seconds()
    sign = "" if secs >= 0 else "-"
    secs = abs(secs)
    h, m = int(secs // 3600), int(secs % 3600 // 60)
    return f"{sign}{h}h{m:02d}m"


def _case_dict(c, now) -> dict:
    return {
        "id": c.id, "reference": c.reference, "status": c.status, "category": c.category,
        "actionable": c.actionable, "priority": c.priority, "channel": c.channel,
        "dealer": c.dealer.key if c.dealer else None, "possible_new_dealer": c.possible_new_dealer,
        "sender": c.sender, "subject": c.subject, "owner": c.owner, "language": c.language,
        "opened_at": c.opened_at.isoformat(), "ack_due_at": c.ack_due_at.isoformat() if c.ack_due_at else None,
        "acknowledged_at": c.acknowledged_at.isoformat() if c.acknowledged_at else None,
        "closed_at": c.closed_at.isoformat() if c.closed_at else None,
        "overdue": bool(c.status == "open" and c.ack_due_at and c.ack_due_at <= now),
        "needs_review": c.needs_review,
    }


@cases.command("list")
@click.option("--open", "open_", is_flag=True, help="Only open cases.")
@click.option("--overdue", is_flag=True, help="Only open cases past their acknowledgement deadline.")
@click.option("--category", help="Only this category.")
@click.option("--review", is_flag=True, help="Only open cases the rules were unsure of, for a person to check.")
@click.option("--ref", "ref", metavar="NUMBER",
              help="Cases whose messages give this order, quote, claim or other number (spacing ignored).")
@click.option("--limit", type=int, default=200, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.pass_obj
def cases_list(obj: Context, open_, overdue, category, review, ref, limit, as_json):
    """List cases, newest first (with --review, the oldest unsure first)."""
    from intake.store.models import Case, ItemRef
    from intake.understand.detectors import search_key

    now = utcnow()
    sessions = session_factory(obj.engine())
    with sessions() as session:
        order = (Case.opened_at, Case.id) if review else (Case.id.desc(),)
        q = select(Case).options(selectinload(Case.dealer)).order_by(*order).limit(limit)
        if open_ or overdue or review:
            q = q.where(Case.status == "open")
        if overdue:
            q = q.where(Case.ack_due_at <= now)
        if category:
            q = q.where(Case.category == category)
        if review:
            q = q.where(Case.needs_review.is_(True))
        if ref is not None:
            key = search_key(ref)
            if not key:
                fail(f"{ref!r} has no letters or digits to search for", 2)
            q = q.where(Case.id.in_(select(ItemRef.case_id).where(ItemRef.key == key)))
        rows = list(session.scalars(q))
        counts = dict(session.execute(select(Case.status, func.count()).group_by(Case.status)).all())
    if as_json:
        for c in rows:
            click.echo(json.dumps(_case_dict(c, now), ensure_ascii=False))
        return
    table = Table(title=f"cases: {counts.get('open', 0)} open, {counts.get('acknowledged', 0)} acknowledged, "
                        f"{counts.get('closed', 0)} closed", title_justify="left")
    for col in ("id", "reference", "status", "category", "due in"):
        table.add_column(col, no_wrap=True, min_width=len(col))
    table.add_column("dealer / sender", overflow="ellipsis", no_wrap=True, ratio=1)
    table.add_column("subject", overflow="ellipsis", no_wrap=True, ratio=2)
    for c in rows:
        who = c.dealer.key if c.dealer else f"{c.sender}{' (new?)' if c.possible_new_dealer else ''}"
        due = _age(c.ack_due_at, now) if c.status == "open" else ""
        style = "red" if due.startswith("-") else None
        category = f"{c.category}?" if c.needs_review else c.category
        table.add_row(str(c.id), c.reference, c.status, category, due, who, c.subject, style=style)
    console.print(table)


@cases.command("show")
@click.argument("case")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def cases_show(obj: Context, case, as_json):
    """Show one case (by id or reference): its items, decision and history."""
    from intake.store.models import Case, Event

    now = utcnow()
    sessions = session_factory(obj.engine())
    with sessions() as session:
        q = select(Case).options(selectinload(Case.items), selectinload(Case.dealer))
        q = q.where(Case.id == int(case)) if case.isdigit() else q.where(Case.reference == case.upper())
        c = session.scalars(q).first()
        if c is None:
            fail(f"no case {case!r}", 1)
        events = list(session.scalars(select(Event).where(Event.case_id == c.id).order_by(Event.id)))
        data = _case_dict(c, now)
        data["items"] = [{"id": i.id, "channel": i.channel, "received_at": i.received_at.isoformat(),
                          "sender": i.sender, "subject": i.subject, "category": i.category,
                          "language": i.language, "malformed": i.malformed, "decision": i.decision}
                         for i in c.items]
        data["references"] = _unique(r for i in data["items"] for r in (i["decision"] or {}).get("references", []))
        data["secondary_requests"] = _unique(
            s for i in data["items"] for s in (i["decision"] or {}).get("secondary", []) if s != c.category)
        data["events"] = [{"at": e.at.isoformat(), "actor": e.actor, "kind": e.kind, "detail": e.detail}
                          for e in events]
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    console.print(f"[bold]{data['reference']}[/]  #{data['id']}  {data['status']}  {data['category']}"
                  f"{'' if data['actionable'] else ' (not actionable)'}  priority {data['priority']}")
    for key in ("dealer", "sender", "subject", "owner", "language", "opened_at", "ack_due_at", "acknowledged_at"):
        console.print(f"  {key:<16}{data[key] if data[key] is not None else '-'}", highlight=False, markup=False)
    if data["needs_review"]:
        console.print("  [yellow]needs review[/]: the rules were not sure of the category")
    if data["references"]:
        refs = ", ".join(f"{r['kind']} {r['value']}" for r in data["references"])
        console.print(f"  {'references':<16}{refs}", highlight=False, markup=False)
    if data["secondary_requests"]:
        console.print(f"  {'also asks for':<16}{', '.join(data['secondary_requests'])}", highlight=False)
    console.print("\n[bold]items[/]")
    for i in data["items"]:
        why = ", ".join((i["decision"] or {}).get("rules", [])) or "-"
        flag = " [red]malformed[/]" if i["malformed"] else ""
        console.print(f"  #{i['id']} {i['received_at'][:16]} {i['sender']} {i['subject']!r} -> "
                      f"{i['category']} ({why}){flag}", highlight=False)
    console.print("\n[bold]history[/]")
    for e in data["events"]:
        console.print(f"  {e['at'][:19]} {e['actor']:<8} {e['kind']:<22} {json.dumps(e['detail'] or {})}",
                      highlight=False)


def _unique(values) -> list:
    out = []
    for v in values:
        if v not in out:
            out.append(v)
    return out


def _actor() -> str:
    import getpass
    import os

    return os.environ.get("INTAKE_USER") or getpass.getuser()


def _case_action(obj: Context, fn, ref: str, **kw):
    from intake.cases.actions import CaseNotFound, NotAllowed

    sessions = session_factory(obj.engine())
    try:
        case = fn(sessions, ref, now=utcnow(), actor=_actor(), **kw)
    except (CaseNotFound, NotAllowed) as exc:
        fail(str(exc), 1)
    return case


def _policy(obj: Context):
    from intake.understand.rules.loader import load_rules

    return load_rules(obj.settings.rules_path).policy


@cases.command("ack")
@click.argument("case")
@click.option("--note", help="Why, or what was done (kept in the case history).")
@click.pass_obj
def cases_ack(obj: Context, case, note):
    """Record that a person has acknowledged the case (stops the chase)."""
    from intake.cases.actions import acknowledge

    c = _case_action(obj, acknowledge, case, policy=_policy(obj), note=note)
    console.print(f"{c.reference} acknowledged")


@cases.command("close")
@click.argument("case")
@click.option("--note")
@click.pass_obj
def cases_close(obj: Context, case, note):
    """Close the case: it is answered and done."""
    from intake.cases.actions import close

    c = _case_action(obj, close, case, note=note)
    console.print(f"{c.reference} closed")


@cases.command("reopen")
@click.argument("case")
@click.option("--note")
@click.pass_obj
def cases_reopen(obj: Context, case, note):
    """Open a closed or acknowledged case again, with a fresh acknowledgement deadline."""
    from intake.cases.actions import reopen

    c = _case_action(obj, reopen, case, policy=_policy(obj), note=note)
    console.print(f"{c.reference} open again, due {c.ack_due_at:%Y-%m-%d %H:%M} UTC")


@cases.command("assign")
@click.argument("case")
@click.argument("owner")
@click.option("--note")
@click.pass_obj
def cases_assign(obj: Context, case, owner, note):
    """Give the case to another owner."""
    from intake.cases.actions import assign

    c = _case_action(obj, lambda sessions, ref, **kw: assign(sessions, ref, owner, **kw), case, note=note)
    console.print(f"{c.reference} now owned by {c.owner}")


@main.group()
def sla():
    """The acknowledgement promise: what is open, by owner, and how long is left."""


@sla.command("report")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def sla_report(obj: Context, as_json):
    """Open cases by owner with time left (negative: overdue), most urgent first."""
    from intake.store.models import Case

    now = utcnow()
    sessions = session_factory(obj.engine())
    with sessions() as session:
        rows = list(session.scalars(select(Case).options(selectinload(Case.dealer))
                                    .where(Case.status == "open", Case.actionable.is_(True))
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


@cases.command("reclassify")
@click.option("--open", "open_", is_flag=True, help="Only open cases.")
@click.pass_obj
def cases_reclassify(obj: Context, open_):
    """Classify stored items again with the current rules and update their cases."""
    from intake.daemon import build_pipeline
    from intake.pipeline.process import reclassify, sync_dealers

    sessions = session_factory(obj.engine())
    pipeline = build_pipeline(obj.settings)
    sync_dealers(sessions, pipeline)
    r = reclassify(sessions, pipeline, utcnow(), open_only=open_)
    pipeline.close()
    console.print(f"{r.cases} cases, {r.items} items classified again with rules {pipeline.rules.version}; "
                  f"{r.changed} cases changed category")


# ---------------------------------------------------------------------------- items


@main.group()
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
    from intake.store.models import Item

    sessions = session_factory(obj.engine())
    with sessions() as session:
        q = select(Item).order_by(Item.id.desc()).limit(limit)
        if failed:
            q = q.where(Item.state == "failed")
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
    table = Table()
    for col in ("id", "state", "source", "sender", "subject", "case", "note"):
        table.add_column(col, overflow="ellipsis")
    for o in out:
        note = o["error"] or ("malformed" if o["malformed"] else "")
        table.add_row(str(o["id"]), o["state"], o["source"], o["sender"] or "", (o["subject"] or "")[:50],
                      str(o["case_id"] or ""), note)
    console.print(table)


@items.command("raw")
@click.argument("item_id", type=int)
@click.pass_obj
def items_raw(obj: Context, item_id):
    """Write an item's raw bytes, exactly as received, to standard output."""
    from intake.store.models import Item

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


# ---------------------------------------------------------------------------- calls


@main.group()
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
    from intake.pipeline.process import process_pending, sync_dealers, understand
    from intake.sources.call_log import BadRow, read_csv

    s = obj.settings
    fmt = s.calls_csv.to_format() if s.calls_csv else None
    try:
        rows = list(read_csv(file, fmt))
    except BadRow as exc:
        fail(f"{file}:{exc}", 2)
    good = [r for r in rows if not isinstance(r, BadRow)]
    for bad in (r for r in rows if isinstance(r, BadRow)):
        err.print(f"{file}:{bad.line}: {bad.message} (row skipped)", highlight=False, markup=False)
    if dry_run:
        from intake.understand.dealers import load_directory
        from intake.understand.rules.loader import load_rules

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
    from intake.sources.call_log import MISSED, CallRecord
    from intake.store.models import Item

    sessions = session_factory(obj.engine())
    out = []
    with sessions() as session:
        q = (select(Item).options(undefer(Item.raw)).where(Item.channel == "call")
             .order_by(Item.received_at.desc()).limit(limit * (5 if missed else 1)))
        for it in session.scalars(q):
            rec = CallRecord.from_raw(it.raw)
            is_missed = rec.direction == "inbound" and (rec.status in MISSED or rec.duration_seconds == 0)
            if missed and not is_missed:
                continue
            case = session.get(Case, it.case_id) if it.case_id else None
            out.append({"call_sid": rec.call_sid, "direction": rec.direction, "caller": rec.caller,
                        "start_time": rec.start_time.isoformat(), "duration_seconds": rec.duration_seconds,
                        "status": rec.status, "missed": is_missed, "category": it.category,
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
                      f"{o['case'] or '-'} {o['case_status'] or ''}", o["transcript"][:60],
                      style="red" if o["missed"] and o["case_status"] == "open" else None)
    console.print(table)


# ---------------------------------------------------------------------------- mailboxes


@main.group()
def mailboxes():
    """IMAP mailboxes."""


@mailboxes.command("check")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def mailboxes_check(obj: Context, as_json):
    """Connect to every mailbox, show its capabilities, and list messages on the server that
    are not stored. Exits 1 on any failure or mismatch."""
    from intake.sources.imap import check_mailbox

    specs = obj.settings.mailboxes
    if not specs:
        fail("no mailboxes configured (add `mailboxes:` to the config)", 2)
    sessions = session_factory(obj.engine(migrate=True))
    results = [check_mailbox(spec, sessions) for spec in specs]
    if as_json:
        for r in results:
            click.echo(json.dumps({"mailbox": r.name, "ok": r.ok, "error": r.error or None,
                                   "capabilities": r.capabilities,
                                   "folders": [f.__dict__ for f in r.folders]}, ensure_ascii=False))
    else:
        for r in results:
            status = "[green]OK[/]" if r.ok else "[red]PROBLEM[/]"
            console.print(f"[bold]{r.name}[/] {status} {r.error}")
            if r.capabilities:
                has = {c: c in r.capabilities for c in ("IDLE", "MOVE", "UIDPLUS", "CONDSTORE")}
                console.print("  " + "  ".join(f"{c}: {'yes' if v else 'no'}" for c, v in has.items()))
            for f in r.folders:
                console.print(f"  {f.folder}: {f.on_server} on the server, {f.stored} stored"
                              f"{'' if not f.missing else f', {len(f.missing)} NOT stored:'}", highlight=False)
                for line in f.missing[:50]:
                    console.print(f"    {line}", highlight=False, markup=False)
    if not all(r.ok for r in results):
        sys.exit(1)


# ---------------------------------------------------------------------------- outbox


@main.group()
def outbox():
    """Outgoing mail: what is queued, sent or failed."""


@outbox.command("list")
@click.option("--status", type=click.Choice(["pending", "sent", "failed"]), help="Only this status.")
@click.option("--limit", type=int, default=100, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def outbox_list(obj: Context, status, limit, as_json):
    """List outgoing messages, newest first."""
    from intake.store.models import Outbox

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
        table.add_row(str(r["id"]), r["status"], r["kind"], ", ".join(r["to"]), r["subject"], str(r["attempts"]),
                      r["error"] or "", style="red" if r["status"] == "failed" else None)
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


# ---------------------------------------------------------------------------- db, rules


@main.group()
def db():
    """Database schema."""


@db.command("upgrade")
@click.pass_obj
def db_upgrade(obj: Context):
    """Create or migrate the database schema to the current version."""
    engine = make_engine(obj.settings.database_url)
    before, after = upgrade(engine)
    where = redact(obj.settings.database_url)
    if before == after:
        console.print(f"{where}: already at revision {after}", highlight=False)
    else:
        console.print(f"{where}: upgraded {before or 'empty'} -> {after}", highlight=False)


@main.group()
def rules():
    """Check and try rules.yaml."""


def _rules_and_directory(obj: Context, rules_file: str | None):
    from intake.understand.dealers import load_directory
    from intake.understand.rules.loader import load_rules

    s = obj.settings
    rules_ = load_rules(Path(rules_file) if rules_file else s.rules_path, own_domains=s.own_domains)
    return rules_, load_directory(s.dealers_path)


def _judge(raw: bytes, rules, directory):
    from intake.pipeline.process import understand

    return understand(raw, "email", rules, directory)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--rules", "rules_file", type=click.Path(dir_okay=False), help="Rules file to use instead.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per message.")
@click.pass_obj
def classify(obj: Context, paths, rules_file, as_json):
    """Classify messages (.eml, folders, Maildirs, mbox) without storing anything."""
    from intake.sources.local import read_paths

    rules_, directory = _rules_and_directory(obj, rules_file)
    table = None if as_json else Table("path", "category", "actionable", "language", "dealer", "rules", "subject")
    for item in read_paths(list(paths)):
        msg, dealer, d = _judge(item.raw, rules_, directory)
        row = {"path": item.source_ref, "category": d.category, "actionable": d.actionable, "rules": d.rules,
               "language": msg.language, "dealer": dealer.key if dealer else None, "priority": d.priority,
               "route_to": d.route_to, "scores": d.scores, "subject": msg.subject, "from": msg.from_addr,
               "malformed": msg.malformed, "rules_version": d.rules_version}
        if as_json:
            click.echo(json.dumps(row, ensure_ascii=False))
        else:
            table.add_row(row["path"], d.category, "yes" if d.actionable else "no", msg.language or "-",
                          row["dealer"] or "-", ", ".join(d.rules) or "-", msg.subject[:50])
    if table is not None:
        console.print(table)


@rules.command("test")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--rules", "rules_file", type=click.Path(dir_okay=False), help="Rules file to try (default: the configured one).")
@click.pass_obj
def rules_test(obj: Context, paths, rules_file):
    """Explain, for each message, which rules and conditions matched, the scores and the decision."""
    from intake.sources.local import read_paths

    rules_, directory = _rules_and_directory(obj, rules_file)
    for item in read_paths(list(paths)):
        msg, dealer, d = _judge(item.raw, rules_, directory)
        console.print(f"[bold]{item.source_ref}[/]", highlight=False)
        console.print(f"  from      {msg.from_addr or '-'}  dealer {dealer.key if dealer else 'unknown'}"
                      f"  language {msg.language or '-'}", highlight=False)
        console.print(f"  subject   {msg.subject!r}", highlight=False, markup=False)
        new = " ".join(msg.new_text.split())
        console.print(f"  new text  {new[:150]!r}{'…' if len(new) > 150 else ''}", highlight=False, markup=False)
        if not d.matches:
            console.print("  no rule matched")
        for m in d.matches:
            outcome = f"{m.category} +{m.score:g}" if m.category else "outcome only"
            console.print(f"  matched   {m.rule} ({outcome}): {'; '.join(m.why)}", highlight=False, markup=False)
        scores = ", ".join(f"{c} {v:g}" for c, v in sorted(d.scores.items(), key=lambda kv: -kv[1])) or "-"
        console.print(f"  scores    {scores} (threshold {rules_.threshold:g})", highlight=False)
        console.print(f"  decision  [bold]{d.category}[/] {'actionable' if d.actionable else 'not actionable'}, "
                      f"priority {d.priority}, decided by {', '.join(d.rules) or 'nothing'}"
                      f"{', route to ' + d.route_to if d.route_to else ''}\n", highlight=False)


@rules.command("eval")
@click.argument("labels", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--rules", "rules_file", type=click.Path(dir_okay=False), help="Rules file to measure.")
@click.option("--compare", "compare_file", type=click.Path(dir_okay=False),
              help="A candidate rules file: show what it fixes and what it breaks against --rules.")
@click.option("--min-accuracy", type=float, help="Exit 1 if category accuracy is below this (0-1).")
@click.option("--min-actionable-accuracy", type=float, help="Exit 1 if actionable accuracy is below this (0-1).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def rules_eval(obj: Context, labels, rules_file, compare_file, min_accuracy, min_actionable_accuracy, as_json):
    """Measure the rules against labelled CSVs (columns file,category,actionable; language
    and difficulty, when present, are broken down). Several files are reported each and
    together."""
    from intake.understand.evaluate import Judge, LabelsError, compare, evaluate, read_labels
    from intake.understand.rules.loader import load_rules

    rules_, directory = _rules_and_directory(obj, rules_file)
    fmt = obj.settings.calls_csv.to_format() if obj.settings.calls_csv else None
    try:
        files = [(path, read_labels(path)) for path in labels]
    except LabelsError as exc:
        fail(str(exc))
    judge = Judge(rules_, directory, fmt)
    reports = [(path, evaluate(rows, judge)) for path, rows in files]
    everything = [row for _, rows in files for row in rows]
    report = evaluate(everything, judge) if len(files) > 1 else reports[0][1]
    out = report.as_dict()
    if len(files) > 1:
        out["files"] = [{"labels": str(path), **r.as_dict()} for path, r in reports]
    if compare_file:
        candidate_rules = load_rules(Path(compare_file), own_domains=obj.settings.own_domains)
        candidate = evaluate(everything, Judge(candidate_rules, directory, fmt))
        out["compare"] = {"rules": str(compare_file), "accuracy": candidate.accuracy,
                          "actionable_accuracy": candidate.actionable_accuracy,
                          **compare(everything, report, candidate)}
    if as_json:
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        _print_eval(report, reports, out.get("compare"))
    low = (min_accuracy is not None and report.accuracy < min_accuracy) or (
        min_actionable_accuracy is not None and report.actionable_accuracy < min_actionable_accuracy)
    if low:
        fail(f"accuracy below the minimum (category {report.accuracy:.1%}, "
             f"actionable {report.actionable_accuracy:.1%})", 1)


def _print_eval(report, reports, compared) -> None:
    def line(name, r):
        return (f"{name}{r.total} messages: category accuracy [bold]{r.accuracy:.1%}[/], "
                f"actionable accuracy [bold]{r.actionable_accuracy:.1%}[/]"
                + (f"; {len(r.skipped)} skipped" if r.skipped else ""))

    console.print(line("all: " if len(reports) > 1 else "", report))
    if len(reports) > 1:
        for path, r in reports:
            console.print("  " + line(f"{path}: ", r), highlight=False)
    pr = Table("category", "precision", "recall", "n", title="per category", title_justify="left")
    for c, (p, r, n) in report.precision_recall().items():
        pr.add_row(c, "-" if p is None else f"{p:.0%}", "-" if r is None else f"{r:.0%}", str(n))
    console.print(pr)
    for title, key in (("per channel", "by_channel"), ("per language", "by_language"),
                       ("per difficulty", "by_difficulty")):
        groups = report.as_dict()[key]
        if len(groups) < 2:
            continue
        t = Table(title.split()[1], "n", "category", "actionable", title=title, title_justify="left")
        for name, g in groups.items():
            t.add_row(name, str(g["n"]), f"{g['accuracy']:.0%}", f"{g['actionable_accuracy']:.0%}")
        console.print(t)
    cats = report.categories()
    cm = Table("expected \\ got", *cats, title="confusion", title_justify="left")
    for e in [c for c in cats if any(report.confusion[(c, g)] for g in cats)]:
        cm.add_row(e, *[str(report.confusion[(e, g)] or "") for g in cats])
    console.print(cm)
    if report.misses:
        ms = Table("file", "expected", "got", "decided by", title="misses", title_justify="left")
        for m in report.misses:
            exp = m.expected + ("" if m.expected_actionable else " (not actionable)")
            ms.add_row(m.file, exp, f"{m.got}{'' if m.got_actionable else ' (not actionable)'}",
                       ", ".join(m.rules) or "-")
        console.print(ms)
    reasons = Counter(w for _, w in report.skipped)
    for why, n in reasons.items():
        console.print(f"skipped {n}: {why}", highlight=False)
    if compared:
        console.print(f"\ncandidate {compared['rules']}: category accuracy {compared['accuracy']:.1%}, "
                      f"actionable {compared['actionable_accuracy']:.1%}; fixes {len(compared['fixed'])}, "
                      f"breaks {len(compared['broken'])}", highlight=False)
        for what in ("fixed", "broken"):
            for e in compared[what]:
                console.print(f"  {what:<7} {e['file']}: expected {e['expected']}, {e['before']} -> {e['after']}",
                              highlight=False, markup=False)


@rules.command("check")
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.pass_obj
def rules_check(obj: Context, file):
    """Validate a rules file (default: the configured one); exit 1 on problems."""
    from intake.understand.rules.loader import load_rules

    path = Path(file) if file else obj.settings.rules_path
    try:
        loaded = load_rules(path)
    except ConfigError as exc:
        for p in exc.problems:
            err.print(str(p), highlight=False, markup=False)
        fail(f"{path}: {len(exc.problems)} problem(s)", 1)
    user = sum(not r.builtin for r in loaded.rules)
    console.print(f"{path}: OK, {user} rules (+{len(loaded.rules) - user} built in), version {loaded.version}",
                  highlight=False)
