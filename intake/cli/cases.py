"""``intake cases``: list, show and act on cases."""

from __future__ import annotations

import getpass
import json
import os
from contextlib import closing
from zoneinfo import ZoneInfo

import click

from intake.cases.filters import CaseFilter
from intake.cases.history import event_words, local_time
from intake.cli.app import Context, console, fail, utcnow
from intake.cli.views import _age, _case_dict, _unique, fit, one_line, plain
from intake.vocab import CaseStatus, Category


@click.group()
def cases():
    """List and inspect cases."""
@cases.command("list")
@click.option("--open", "open_", is_flag=True, help="Only open cases.")
@click.option("--overdue", is_flag=True, help="Only open cases past their acknowledgement deadline.")
@click.option("--category", type=click.Choice([c.value for c in Category]), help="Only this category.")
@click.option("--review", is_flag=True, help="Only cases the rules were unsure of, for a person to check: open ones, and mail read as asking nothing.")
@click.option("--ref", "ref", metavar="NUMBER",
              help="Cases whose messages give this order, quote, claim or other number (spacing ignored).")
@click.option("--limit", type=int, default=200, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.pass_obj
def cases_list(obj: Context, open_, overdue, category, review, ref, limit, as_json):
    """List cases, newest first (with --review, the oldest unsure first)."""
    now = utcnow()
    key = None
    if ref is not None:
        from intake.understand.references import search_key

        key = search_key(ref)
        if not key:
            fail(f"{ref!r} has no letters or digits to search for", 2)
    wanted = CaseFilter(open_only=open_, overdue=overdue, category=category, review=review, reference_key=key,
                        limit=limit)
    site = obj.sqlite_site()
    if site is not None:  # read straight from the file (``cases.reader``)
        from intake.cases import reader

        with closing(reader.connect(site.database)) as conn:
            rows = reader.list_cases(conn, wanted, now)
            counts = reader.count_by_status(conn)
            matching = reader.count_cases(conn, wanted, now) if len(rows) == limit else len(rows)
    else:
        from intake.cases.queries import count_by_status, count_cases, list_cases
        from intake.store.db import session_factory

        with session_factory(obj.engine())() as session:
            rows = list_cases(session, wanted, now)
            counts = count_by_status(session)
            matching = count_cases(session, wanted, now) if len(rows) == limit else len(rows)
    if as_json:
        for c in rows:
            click.echo(json.dumps(_case_dict(c, now), ensure_ascii=False))
        return
    shown = f"; showing {len(rows):,} of {matching:,} (--limit for more)" if matching > len(rows) else ""
    title = (f"cases: {counts.get('open', 0):,} open, {counts.get('acknowledged', 0):,} acknowledged, "
             f"{counts.get('closed', 0):,} closed{shown}")
    print_lines(console, case_table(rows, now, console.width, title))


def case_table(rows, now, width: int, title: str = "") -> list[tuple[str, bool]]:
    """The queue as lines that fit ``width``, each with whether it is overdue: the id,
    reference, status, category and time left are always whole; the subject takes what is
    left, and the dealer or sender is shown when there is room for it. Laid out by hand:
    a rich table of a few hundred rows took longer than the rest of the command."""
    cells = []
    for c in rows:
        who = c.dealer.key if c.dealer else f"{c.sender}{' (new?)' if c.possible_new_dealer else ''}"
        due = _age(c.ack_due_at, now) if c.status == CaseStatus.OPEN else ""
        category = f"{c.category}?" if c.needs_review else c.category
        cells.append(([str(c.id), c.reference, c.status, category, due], one_line(who), one_line(c.subject),
                      due.startswith("-")))
    fixed = ("id", "reference", "status", "category", "due in")
    widths = [max([len(h)] + [len(row[0][i]) for row in cells]) for i, h in enumerate(fixed)]
    rest = width - sum(widths) - 2 * len(fixed)
    show_who = rest >= 60
    who_width = (rest - 2) // 3 if show_who else 0
    subject_width = max(8, rest - who_width - (2 if show_who else 0))
    heads = ["dealer / sender"] if show_who else []
    lines = [(title, False)] if title else []

    def line(values, who, subject):
        parts = [v.ljust(w) for v, w in zip(values, widths, strict=True)]
        parts += [fit(who, who_width)] if show_who else []
        return "  ".join(parts + [fit(subject, subject_width)]).rstrip()

    header = line(list(fixed), *(heads or [""]), "subject")
    lines += [(header, False), ("─" * min(width, sum(widths) + 2 * len(fixed) + (who_width + 2 if show_who else 0)
                                          + subject_width), False)]
    lines += [(line(values, who, subject), late) for values, who, subject, late in cells]
    return lines


def print_lines(out, lines: list[tuple[str, bool]]) -> None:
    """Write the lines as they are, overdue ones in red on a terminal that shows colour."""
    colour = out.is_terminal and out.color_system is not None
    out.file.write("".join(f"\x1b[31m{text}\x1b[0m\n" if late and colour else f"{text}\n" for text, late in lines))
    out.file.flush()


@cases.command("show")
@click.argument("case")
@click.option("--full", is_flag=True, help="Every message whole, quoted history included.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def cases_show(obj: Context, case, full, as_json):
    """Show one case (by id or reference): its items, decision and history."""
    now = utcnow()
    site = obj.sqlite_site()
    if site is not None:  # read straight from the file (``cases.reader``)
        from intake.cases import reader

        with closing(reader.connect(site.database)) as conn:
            data = _case_data(reader.case_with_history(conn, case), case, now)
        timezone = site.timezone
    else:
        from intake.cases.queries import case_with_history
        from intake.store.db import session_factory

        with session_factory(obj.engine())() as session:
            data = _case_data(case_with_history(session, case), case, now)
        timezone = obj.settings.timezone
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    zone = ZoneInfo(timezone)
    console.print(plain(f"{data['reference']}  #{data['id']}  {data['status']}  {data['category']}"
                        f"{'' if data['actionable'] else ' (not actionable)'}  priority {data['priority']}"),
                  style="bold")
    for key in ("dealer", "sender", "subject", "owner", "language"):
        console.print(plain(f"  {key:<16}{data[key] if data[key] is not None else '-'}"), highlight=False)
    for key in ("opened_at", "ack_due_at", "acknowledged_at"):
        console.print(plain(f"  {key.removesuffix('_at').replace('_', ' '):<16}{local_time(data[key], zone)}"),
                      highlight=False)
    if data["needs_review"]:
        console.print("  [yellow]needs review[/]: the rules were not sure of the category")
    if data["references"]:
        refs = ", ".join(f"{r['kind']} {r['value']}" for r in data["references"])
        console.print(plain(f"  {'references':<16}{refs}"), highlight=False)
    if data["secondary_requests"]:
        console.print(f"  {'also asks for':<16}{', '.join(data['secondary_requests'])}", highlight=False)
    for i in data["items"]:
        why = ", ".join((i["decision"] or {}).get("rules", [])) or "-"
        who = "the office" if i["direction"] == "out" else (i["sender"] or "unknown sender")
        console.print()
        console.print(plain(f"{local_time(i['received_at'], zone)}  {who} ({i['channel']} #{i['id']}) "
                            f"-> {i['category'] or '-'} ({why}){'  MALFORMED' if i['malformed'] else ''}"),
                      style="bold", highlight=False)
        console.print(plain(f"  {i['subject'] or ''}"), highlight=False)
        body = i["text"] if full else i["new_text"]
        for line in (body or "(nothing written)").strip().splitlines()[:200]:
            console.print(plain(f"  | {line}"), highlight=False)
        if not full and i["quoted_lines"]:
            console.print(plain(f"  ({i['quoted_lines']} more lines: quoted history and signature; --full shows them)"),
                          highlight=False)
    console.print("\n[bold]history[/]")
    for e in data["events"]:
        console.print(plain(f"  {local_time(e['at'], zone)}  {e['actor']:<10} {event_words(e['kind'], e['detail'])}"),
                      highlight=False)


def _case_data(found, ref: str, now) -> dict:
    """One case, its items and history as plain data, from either way of reading them."""
    if found is None:
        fail(f"no case {ref!r}", 1)
    c, events = found
    data = _case_dict(c, now)
    data["items"] = [{"id": i.id, "channel": i.channel, "direction": i.direction,
                      "received_at": i.received_at.isoformat(), "sender": i.sender, "subject": i.subject,
                      "category": i.category, "language": i.language, "malformed": i.malformed,
                      "decision": i.decision, **_texts(i)} for i in c.items]
    data["references"] = _unique(r for i in data["items"] for r in (i["decision"] or {}).get("references", []))
    data["secondary_requests"] = _unique(
        s for i in data["items"] for s in (i["decision"] or {}).get("secondary", []) if s != c.category)
    data["events"] = [{"at": e.at.isoformat(), "actor": e.actor, "kind": e.kind, "detail": e.detail}
                      for e in events]
    return data


def _texts(item) -> dict:
    """What the dealer newly wrote, and the whole text, from the stored bytes."""
    from intake.understand.reading import read

    msg = read(item.raw, item.channel)
    if msg is None:
        return {"new_text": "", "text": "", "quoted_lines": 0}
    new, whole = msg.new_text or "", msg.text or ""
    return {"new_text": new, "text": whole,
            "quoted_lines": max(0, len(whole.strip().splitlines()) - len(new.strip().splitlines()))}


def _actor() -> str:
    return os.environ.get("INTAKE_USER") or getpass.getuser()


def _case_action(obj: Context, fn, ref: str, **kw):
    from intake.store.db import session_factory

    return fn(session_factory(obj.engine()), ref, now=utcnow(), actor=_actor(), **kw)


def _policy(obj: Context):
    from intake.rulesfile import load_rulebook

    return load_rulebook(obj.settings.rules_path).policy


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


@cases.command("reclassify")
@click.option("--open", "open_", is_flag=True, help="Only open cases.")
@click.pass_obj
def cases_reclassify(obj: Context, open_):
    """Classify stored items again with the current rules and update their cases."""
    from intake.daemon import build_pipeline
    from intake.pipeline.process import sync_dealers
    from intake.pipeline.reclassify import reclassify
    from intake.store.db import session_factory

    sessions = session_factory(obj.engine())
    pipeline = build_pipeline(obj.settings)
    sync_dealers(sessions, pipeline)
    r = reclassify(sessions, pipeline, utcnow(), open_only=open_)
    pipeline.close()
    console.print(f"{r.cases} cases, {r.items} items classified again with rules {pipeline.rules.version}; "
                  f"{r.changed} cases changed category")
