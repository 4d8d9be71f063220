"""``intake dealers``: possible new dealers, and dealers who have gone quiet."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import click
from rich.table import Table

from intake.cli.app import Context, console, utcnow
from intake.cli.views import plain
from intake.store.db import session_factory


@click.group()
def dealers():
    """Watch the dealer base: who is new, who has gone quiet."""


def _date(value: str | None, default: datetime) -> datetime:
    if not value:
        return default
    try:
        day = datetime.strptime(value, "%Y-%m-%d")
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2026-11-30") from None
    return day.replace(tzinfo=UTC)


@dealers.command("new")
@click.option("--since", metavar="DATE", help="From this day (YYYY-MM-DD); default four weeks ago.")
@click.option("--until", metavar="DATE", help="Up to this day, not included; default now.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def dealers_new(obj: Context, since, until, as_json):
    """Senders and callers not in the directory who asked for something, by organisation."""
    from intake.cases.dealerwatch import new_dealers

    now = utcnow()
    start, end = _date(since, now - timedelta(weeks=4)), _date(until, now)
    with session_factory(obj.engine())() as s:
        found = new_dealers(s, start, end)
    if as_json:
        for d in found:
            click.echo(json.dumps({"organisation": d.organisation, "country": d.country or None,
                                   "first_contact": d.first_contact.isoformat(),
                                   "last_contact": d.last_contact.isoformat(), "senders": d.senders,
                                   "asked": dict(d.asked), "answered": d.answered, "requests": d.total,
                                   "cases": [{"reference": r, "category": c, "subject": subj}
                                             for r, c, subj in d.cases]}, ensure_ascii=False))
        return
    if not found:
        console.print(f"no requests from senders outside the directory since {start:%Y-%m-%d}")
        return
    table = Table("organisation", "country", "first contact", "asked", "answered", "latest subject")
    for d in found:
        asked = ", ".join(f"{n} {c}" for c, n in d.asked.most_common())
        table.add_row(plain(d.organisation), d.country or "-", f"{d.first_contact:%Y-%m-%d}", asked,
                      f"{d.answered} of {d.total}", plain(d.cases[-1][2]))
    console.print(table)


@dealers.command("quiet")
@click.option("--weeks", type=click.IntRange(1, 520), default=8, show_default=True,
              help="Silent for at least this many weeks.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def dealers_quiet(obj: Context, weeks, as_json):
    """Dealers who wrote regularly (3+ cases in the half-year before) and not for WEEKS."""
    from intake.cases.dealerwatch import quiet_dealers

    with session_factory(obj.engine())() as s:
        found = quiet_dealers(s, utcnow(), weeks)
    if as_json:
        for q in found:
            click.echo(json.dumps({"dealer": q.key, "name": q.name, "area": q.area, "owner": q.owner,
                                   "last_contact": q.last_contact.isoformat(), "cases_before": q.cases_before},
                                  ensure_ascii=False))
        return
    if not found:
        console.print(f"no dealer has gone quiet for {weeks} weeks")
        return
    table = Table("dealer", "area", "owner", "last contact", "cases before")
    for q in found:
        table.add_row(plain(q.name), q.area, plain(q.owner), f"{q.last_contact:%Y-%m-%d}", str(q.cases_before))
    console.print(table)
