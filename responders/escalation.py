"""The chase: one periodic sweep that takes every due ladder step and mails a digest.

The sweep reads due cases by one index (``next_due_at <= now``), in batches. For each due
case it records the step in the event log, points the case at its next step, and adds the
case to a digest for each recipient; one digest per recipient is queued for the sweep. A
step is committed with mail that reports it, never without (see ``sweep``). A second sweep at the same moment (an
overlapping run, another daemon) finds nothing: with SQLite the write lock serialises the
two, with PostgreSQL the rows are claimed with SKIP LOCKED. A step that fell due while the
daemon was down is taken at the first sweep after, once, and marked late.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field, fields
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


# Cases per transaction. A batch's rows and digest entries are live at once, and a daemon
# keeps the memory its largest batch took (2,000 held some 10 MB); 500 costs no speed.
SWEEP_BATCH = 500
# A sweep started this long ago and not finished has died (300,000 steps take seconds);
# one younger may still be running in another daemon.
SWEEP_DEAD_AFTER = timedelta(minutes=10)


@dataclass
class _Digest:
    """What one recipient's digest will say, kept small however many cases fall due: the
    most urgent ``DIGEST_LIMIT`` entries and the counts of all."""

    entries: list[Entry] = field(default_factory=list)
    total: int = 0
    overdue: int = 0

    def add(self, more: list[Entry], now: datetime) -> None:
        self.total += len(more)
        self.overdue += sum(e.state.startswith("overdue") for e in more)
        self.entries = sorted(self.entries + more, key=lambda e: e.case.ack_due_at or now)[:DIGEST_LIMIT]


def sweep(sessions: sessionmaker[Session], policy: Policy, templates: Templates, now: datetime, *,
          mail_from: str, limit: int | None = None, batch_size: int = SWEEP_BATCH) -> SweepResult:
    """Take every ladder step due at ``now`` (up to ``limit`` cases); one digest per recipient.

    Cases are taken ``batch_size`` at a time, each batch in its own transaction, so memory
    and lock time stay the same however many steps fell due (a mass import, a long
    downtime). When the first batch is full, a ``sweep.started`` event is committed with
    it; the last batch queues the digests and a ``sweep.finished`` event. A sweep that dies
    in between leaves steps taken and logged but not yet mailed: the next sweep finds the
    unfinished one and mails its digests from the event log first, so no step goes unmailed.
    """
    result = SweepResult()
    domain = mail_from.rpartition("@")[2] or "intake.invalid"
    _finish_interrupted(sessions, templates, now, mail_from, domain)
    whole: dict[str, _Digest] = defaultdict(_Digest)
    started: int | None = None
    while True:
        size = batch_size if limit is None else min(batch_size, limit - result.cases)
        with sessions.begin() as session:
            cases = _due_cases(session, now, size) if size > 0 else []
            more = len(cases) == size > 0  # more may follow, in later transactions
            if more and started is None:
                started = _event(session, now, "sweep.started", {})
            for recipient, entries in _take_steps(session, cases, policy, now, result).items():
                whole[recipient].add(entries, now)
            if more:
                continue
            for recipient, d in sorted(whole.items()):
                _queue_digest(session, templates, recipient, d, now, mail_from, domain)
            result.digests = len(whole)
            if started is not None:
                _event(session, now, "sweep.finished", {"started": started})
        break
    if result.steps:
        log.info("ladder steps taken", extra={"fields": {"steps": result.steps, "late": result.late,
                                                          "digests": result.digests}})
    return result


def _event(session: Session, now: datetime, kind: str, detail: dict) -> int:
    row = Event(at=now, actor="intake", kind=kind, detail=detail)
    session.add(row)
    session.flush()
    return row.id


def _finish_interrupted(sessions: sessionmaker[Session], templates: Templates, now: datetime,
                        mail_from: str, domain: str) -> None:
    """Mail the digests of a sweep that took steps but died before it mailed them."""
    with sessions.begin() as session:
        started = dict(session.execute(select(Event.id, Event.at).where(Event.kind == "sweep.started")
                                       .where(Event.at >= now - timedelta(days=7),
                                              Event.at < now - SWEEP_DEAD_AFTER)).all())
        if not started:
            return
        finished = {e.detail.get("started") for e in session.scalars(
            select(Event).where(Event.kind == "sweep.finished", Event.at >= now - timedelta(days=7)))}
        for sid, at in sorted(started.items()):
            if sid in finished:
                continue
            digests: dict[str, _Digest] = defaultdict(_Digest)
            q = (select(Event.detail, *[getattr(Case, c) for c in CASE_COLUMNS], Dealer.name.label("dealer_name"))
                 .join(Case, Event.case_id == Case.id).outerjoin(Dealer, Case.dealer_id == Dealer.id)
                 .where(Event.kind == "ladder.step", Event.at == at, Event.id > sid).order_by(Event.id))
            for row in session.execute(q).yield_per(SWEEP_BATCH):
                fields_ = dict(row._mapping)
                detail = fields_.pop("detail")
                case = CaseRow(**fields_)
                entry = _entry(case, detail["step"], datetime.fromisoformat(detail["due"]), bool(detail["late"]), at)
                for r in detail.get("to", []):
                    digests[r].add([entry], at)
            for recipient, d in sorted(digests.items()):
                _queue_digest(session, templates, recipient, d, now, mail_from, domain)
            _event(session, now, "sweep.finished", {"started": sid, "interrupted": True})
            log.warning("an earlier ladder sweep stopped before it mailed its digests; sent now",
                        extra={"fields": {"digests": len(digests)}})


def _entry(case: CaseRow, step: str, due: datetime, late: bool, now: datetime) -> Entry:
    return Entry(case, step, case.category, case.dealer_name or case.sender, f"{case.opened_at:%a %d %b %H:%M} UTC",
                 describe_delay(case, now), f"{due:%a %d %b %H:%M} UTC", late)


def _due_cases(session: Session, now: datetime, size: int) -> list[CaseRow]:
    """Up to ``size`` cases with a step due, claimed for this transaction."""
    # Plain rows rather than ORM objects: a sweep may take thousands of steps at once.
    q = (select(*[getattr(Case, c) for c in CASE_COLUMNS], Dealer.name.label("dealer_name"))
         .outerjoin(Dealer, Case.dealer_id == Dealer.id)
         .where(Case.next_due_at <= now, Case.status.in_((CaseStatus.OPEN, CaseStatus.ACKNOWLEDGED)))
         .limit(size))  # no ORDER BY: sorting every due case again in each batch is quadratic
    if session.get_bind().dialect.name == "postgresql":
        q = q.with_for_update(skip_locked=True, of=Case.__table__)
    return [CaseRow(**row._mapping) for row in session.execute(q)]


def _take_steps(session: Session, cases: list[CaseRow], policy: Policy, now: datetime,
                result: SweepResult) -> dict[str, list[Entry]]:
    """Take the due steps of ``cases`` in the caller's transaction; returns the digest
    entries per recipient."""
    digests: dict[str, list[Entry]] = defaultdict(list)
    events, updates = [], []
    for case in cases:
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
            entry = _entry(case, step.id, due, late, now)
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
    return digests


def _queue_digest(session: Session, templates: Templates, recipient: str, d: _Digest, now: datetime,
                  mail_from: str, domain: str) -> None:
    intro = f"{d.total} case(s) need attention; {d.overdue} past the acknowledgement deadline."
    if d.total > len(d.entries):
        intro += f" The {len(d.entries)} most urgent are listed; see `intake sla report` for all {d.total}."
    msg = templates.message("digest", "en", sender=mail_from, to=[recipient], title="Dealer requests",
                            entries=d.entries, total=d.total, intro=intro)
    msg["Auto-Submitted"] = "auto-generated"
    queue(session, kind="digest", message=msg, recipients=[recipient], now=now, domain=domain)
