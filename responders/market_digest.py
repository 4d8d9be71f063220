"""The managers' digest, mailed on its schedule (``reports: digest`` in rules.yaml).

The daemon asks every few minutes; the digest for the latest period that has fallen due
is built and queued once. The row in ``reports_sent`` and the mail are written in one
transaction, and that row's unique key means a second daemon, or the same one after a
restart, finds it sent. A daemon that was down when the digest fell due sends it when it
comes back (if that is within a week).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from intake.cases.market import build_digest, change
from intake.cases.reports import DigestPlan
from intake.store.db import insert_ignoring_duplicates
from intake.store.models import ReportSent
from responders.chart import volume_chart
from responders.outbox import queue
from responders.templates import Templates

log = logging.getLogger(__name__)

CATCH_UP = timedelta(days=7)  # a digest missed for longer than this is not sent late


CHART_CID = "volume-chart@intake"


def render_context(d, *, quiet_weeks: int, link=None, chart_src: str | None = None) -> dict:
    """What the digest templates need besides the digest: formatting, and table rows."""
    def pct(x):
        return "–" if x is None else f"{x:.0%}"

    def hours(x):
        return "–" if x is None else f"{x:g} h"

    return {
        "d": d, "days": (d.until - d.since).days, "quiet_weeks": quiet_weeks, "change": change, "pct": pct,
        "hours": hours, "link": link, "chart_src": chart_src,
        "owners": [(o, p.opened, pct(p.share_in_time), hours(p.median_hours), p.overdue_now)
                   for o, p in d.by_owner.items()],
        "lines": [(p.name, p.requests, p.rework, pct(p.rework_rate),
                   f"{p.previous_requests} requests, {pct(p.previous_rework_rate)} rework") for p in d.products],
        "new": [(n.organisation, n.country or "–", n.first_contact.strftime("%d %b"),
                 ", ".join(f"{k} {c}" for c, k in n.asked.most_common()), f"{n.answered} of {n.total}")
                for n in d.new_dealers],
        "quiet": [(q.name, q.area, q.owner, q.last_contact.strftime("%d %b %Y"), q.cases_before)
                  for q in d.quiet_dealers],
        "side": [(ref, cat, ", ".join(also)) for ref, cat, also in d.secondary],
    }


def send_due_digest(sessions: sessionmaker[Session], plan: DigestPlan, roles: dict[str, tuple[str, ...]],
                    templates: Templates, now: datetime, *, mail_from: str, products: tuple[str, ...] = (),
                    public_url: str | None = None) -> bool:
    """Queue the digest for the latest period due, unless it has been; True if queued now."""
    start, end = plan.last_due(now)
    if now - end > CATCH_UP:
        return False
    recipients = plan.recipients(roles)
    if not recipients:
        return False
    with sessions.begin() as s:
        if s.scalar(select(ReportSent.id).where(ReportSent.kind == "digest", ReportSent.period_end == end)):
            return False
        claimed = insert_ignoring_duplicates(s, ReportSent.__table__, [
            {"kind": "digest", "period_start": start, "period_end": end, "sent_at": now}], returning=ReportSent.id)
        if not claimed:
            return False  # another daemon got there first
        d = build_digest(s, start, end, now, products=products, quiet_weeks=plan.quiet_weeks)
        link = (lambda ref: f"{public_url.rstrip('/')}/cases/{ref}") if public_url else None
        chart = volume_chart(d.volume["category"]) if d.volume["category"] else None
        msg = templates.message("market_digest", "en", sender=mail_from, to=recipients,
                                **render_context(d, quiet_weeks=plan.quiet_weeks, link=link,
                                                 chart_src=f"cid:{CHART_CID}" if chart else None))
        if chart:
            html = next(p for p in msg.iter_parts() if p.get_content_type() == "text/html")
            html.add_related(chart, "image", "png", cid=f"<{CHART_CID}>", filename="requests.png")
        msg["Auto-Submitted"] = "auto-generated"
        queue(s, kind="market-digest", message=msg, recipients=recipients, now=now,
              domain=mail_from.rpartition("@")[2] or "intake.invalid")
    log.info("managers' digest queued", extra={"fields": {"period_start": start.isoformat(),
                                                          "period_end": end.isoformat(), "to": ",".join(recipients)}})
    return True

