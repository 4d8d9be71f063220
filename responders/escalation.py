"""The chase: one periodic sweep that takes every due ladder step and mails a digest.

The sweep is one indexed query (``next_due_at <= now``). For each due case it records the
step in the event log, points the case at its next step, and adds the case to a digest for
each recipient; then it queues one digest per recipient — all in one transaction, so a
step is either taken with its mail or not at all. A second sweep at the same moment (an
overlapping run, another daemon) finds nothing: with SQLite the write lock serialises the
two, with PostgreSQL the rows are claimed with SKIP LOCKED. A step that fell due while the
daemon was down is taken at the first sweep after, once, and marked late.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, fields
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session, sessionmaker

from intake.cases import book
from intake.cases.ladder import Policy, Step
from intake.store.models import Case, Dealer, Event
from intake.vocab import CaseStatus
from responders.outbox import queue
from responders.templates import Templates

log = logging.getLogger(__name__)

LATE_AFTER = timedelta(minutes=10)  # a step taken later than this after its time says so
DIGEST_LIMIT = 200  # cases listed in one digest, most urgent first; the rest are counted


@dataclass(slots=True)
class CaseRow:
    """The columns of a case the sweep needs, as a plain object (the case book and the
    templates read it like a case)."""

    id: int
    reference: str
    category: str
    priority: str
    status: str
    owner: str
    sender: str
    subject: str
    opened_at: datetime
    ack_due_at: datetime | None
    acknowledged_at: datetime | None
    next_step: str | None
    next_due_at: datetime | None
    dealer_name: str | None


CASE_COLUMNS = [f.name for f in fields(CaseRow) if f.name != "dealer_name"]


@dataclass
class Entry:
    case: CaseRow
    step: str
    category: str
    dealer: str
    received: str
    state: str
    due: str
    late: bool


@dataclass
class SweepResult:
    steps: int = 0
    late: int = 0
    digests: int = 0
    cases: int = 0


def describe_delay(case: CaseRow, now: datetime) -> str:
    if case.status == CaseStatus.ACKNOWLEDGED and case.acknowledged_at is not None:
        return f"acknowledged {_ago(now - case.acknowledged_at)} ago, still open"
    if case.ack_due_at is None:
        return "open"
    left = case.ack_due_at - now
    return f"overdue by {_ago(-left)}" if left.total_seconds() < 0 else f"due in {_ago(left)}"


def _ago(d: timedelta) -> str:
    minutes = int(d.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    return (f"{days}d " if days else "") + f"{hours}h{mins:02d}m"


def sweep(sessions: sessionmaker[Session], policy: Policy, templates: Templates, now: datetime, *,
          mail_from: str, limit: int | None = None) -> SweepResult:
    """Take every ladder step due at ``now`` (up to ``limit`` cases); one digest per recipient."""
    result = SweepResult()
    domain = mail_from.rpartition("@")[2] or "intake.invalid"
    with sessions.begin() as session:
        # Plain rows rather than ORM objects: a sweep may take thousands of steps at once.
        q = (select(*[getattr(Case, c) for c in CASE_COLUMNS], Dealer.name.label("dealer_name"))
             .outerjoin(Dealer, Case.dealer_id == Dealer.id)
             .where(Case.next_due_at <= now, Case.status.in_(("open", "acknowledged")))
             .order_by(Case.next_due_at).limit(limit))
        if session.get_bind().dialect.name == "postgresql":
            q = q.with_for_update(skip_locked=True, of=Case.__table__)
        digests: dict[str, list[Entry]] = defaultdict(list)
        events, updates = [], []
        for row in session.execute(q):
            case = CaseRow(**row._mapping)
            result.cases += 1
            ladder = {s.id: s for s in policy.ladder(case.category, case.priority)}
            while case.next_due_at is not None and case.next_due_at <= now:
                step: Step | None = ladder.get(case.next_step or "")
                if step is None:  # the ladder was changed under this case
                    log.warning("case's next step is no longer in its ladder; going on from the first "
                                "step not yet due", extra={"fields": {"case": case.reference, "step": case.next_step}})
                    book.resume_ladder(case, policy, now)
                    break
                due = case.next_due_at
                late = now - due > LATE_AFTER
                recipients = policy.recipients(step, case.owner)
                events.append({"at": now, "case_id": case.id, "actor": "intake", "kind": "ladder.step",
                               "detail": {"step": step.id, "due": due.isoformat(), "late": late,
                                          "to": recipients}})
                entry = Entry(case, step.id, case.category, case.dealer_name or case.sender,
                              f"{case.opened_at:%a %d %b %H:%M} UTC", describe_delay(case, now),
                              f"{due:%a %d %b %H:%M} UTC", late)
                for r in recipients:
                    digests[r].append(entry)
                result.steps += 1
                result.late += late
                book.step_taken(case, step.id, policy)
            updates.append({"cid": case.id, "ns": case.next_step, "nd": case.next_due_at})
        if updates:
            session.execute(update(Case.__table__).where(Case.__table__.c.id == bindparam("cid"))
                            .values(next_step=bindparam("ns"), next_due_at=bindparam("nd")), updates)
        if events:
            session.execute(Event.__table__.insert(), events)
        for recipient, entries in sorted(digests.items()):
            overdue = sum(e.state.startswith("overdue") for e in entries)
            entries.sort(key=lambda e: e.case.ack_due_at or now)
            shown = entries[:DIGEST_LIMIT]
            more = len(entries) - len(shown)
            intro = f"{len(entries)} case(s) need attention; {overdue} past the acknowledgement deadline."
            if more:
                intro += f" The {len(shown)} most urgent are listed; see `intake sla report` for all {len(entries)}."
            msg = templates.message("digest", "en", sender=mail_from, to=[recipient], title="Dealer requests",
                                    entries=shown, total=len(entries), intro=intro)
            msg["Auto-Submitted"] = "auto-generated"
            queue(session, kind="digest", message=msg, recipients=[recipient], now=now, domain=domain)
            result.digests += 1
    if result.steps:
        log.info("ladder steps taken", extra={"fields": {"steps": result.steps, "late": result.late,
                                                          "digests": result.digests}})
    return result
