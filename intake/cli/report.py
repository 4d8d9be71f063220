"""``intake report digest``: what a period's correspondence says, for the managers."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click

from intake.cli.app import Context, fail, utcnow
from intake.cli.views import plain
from intake.store.db import session_factory


@click.group()
def report():
    """Reports for the team leader, supervisor and sales manager."""


def _day(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2026-11-30") from None


@report.command("digest")
@click.option("--period", type=click.Choice(["week", "month"]), default="week", show_default=True)
@click.option("--since", metavar="DATE", help="First day (YYYY-MM-DD); default one period before --until.")
@click.option("--until", metavar="DATE", help="Day after the last (YYYY-MM-DD); default now.")
@click.option("--quiet-weeks", type=click.IntRange(1, 520), default=8, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.option("--html", "html_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the digest as an HTML page (as mailed) to this file.")
@click.pass_obj
def report_digest(obj: Context, period, since, until, quiet_weeks, as_json, html_file):
    """Volume, the promise, competitors, product lines, openings and dealers for a period."""
    from intake.cases.market import build_digest
    from intake.rulesfile import load_rules
    from responders.market_digest import render_context
    from responders.templates import Templates

    now = utcnow()
    end = _day(until) or now
    start = _day(since) or end - (timedelta(days=7) if period == "week" else timedelta(days=30))
    if start >= end:
        fail("--since must be before --until", 2)
    rules = load_rules(obj.settings.rules_path, own_domains=obj.settings.own_domains)
    with session_factory(obj.engine())() as s:
        d = build_digest(s, start, end, now, products=rules.products, quiet_weeks=quiet_weeks)
    if as_json:
        click.echo(json.dumps(d.as_json(), ensure_ascii=False, default=str))
        return
    templates = Templates([obj.settings.templates_dir] if obj.settings.templates_dir else None)
    public = obj.settings.web.public_url.rstrip("/") if obj.settings.web and obj.settings.web.public_url else None
    link = (lambda ref: f"{public}/cases/{ref}") if public else None
    chart_src = None
    if html_file is not None and d.volume["category"]:
        import base64

        from responders.chart import volume_chart

        chart_src = "data:image/png;base64," + base64.b64encode(volume_chart(d.volume["category"])).decode()
    rendered = templates.render("market_digest", "en", **render_context(d, quiet_weeks=quiet_weeks, link=link,
                                                                           chart_src=chart_src))
    # Dealers' sentences are quoted: shown as plain text, control characters replaced.
    click.echo(plain(rendered.subject).plain)
    click.echo("")
    click.echo("\n".join(plain(line).plain for line in rendered.text.rstrip().splitlines()))
    if html_file is not None:
        html_file.write_text(rendered.html or "", encoding="utf-8")
        click.echo(f"\nwrote {html_file}")
