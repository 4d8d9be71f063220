"""Stage 2: turn stored items into classified cases.

Picks items not yet processed (or failed and due for another try), parses, identifies the
dealer, classifies and attaches each to a case. An item's new state is committed in the
same transaction as its case, so a crash anywhere repeats the work and never doubles it.
One bad item never holds up the rest: its error is recorded on it, it is retried later,
and after ``max_attempts`` it is left with state "failed" for a person to look at.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from intake.cases import book
from intake.cases.ladder import Policy
from intake.cases.reports import DigestPlan
from intake.cases.thread import Threader
from intake.message import Reference
from intake.pipeline.workers import SEARCH_TEXT, ParsePool
from intake.store.db import in_list
from intake.store.models import Dealer as DealerRow
from intake.store.models import DealerContact, Event, Item, ItemRef
from intake.understand.dealers import Directory
from intake.understand.rules.engine import Decision, Rules
from intake.understand.rules.packed import PackedRules
from intake.understand.step import Outcome, describe, understand_one
from intake.vocab import CaseStatus, Channel, ItemState
from responders.receipt import NewCase, respond
from responders.templates import Templates

log = logging.getLogger(__name__)



@dataclass
class Pipeline:
    """What stage 2 needs; ``rules`` with ``policy``, and ``directory``, may each be swapped
    whole by a reload."""

    rules: Rules | PackedRules  # packed where workers classify (understand/rules/packed.py)
    directory: Directory
    policy: Policy = field(default_factory=Policy)  # deadlines, ladders, receipts (rules.yaml)
    default_owner: str = ""
    batch_size: int = 100
    max_attempts: int = 5
    retry_after: timedelta = timedelta(minutes=10)
    thread_days: int = 30
    workers: int = 0  # parse/classify processes; 0 runs them in this process
    digest: DigestPlan | None = None  # when the managers' digest goes out (rules.yaml reports:)
    mail_from: str = "intake@localhost"  # sender of receipts and forwards
    signature: str = "The sales office"
    sms_from: str | None = None  # Twilio number for SMS receipts to missed callers
    templates: object | None = None  # responders.templates.Templates; default templates if None
    history: bool = False  # file mail as already handled: no receipts, no chase (`intake import --history`)

    def __post_init__(self):
        self.lock = threading.Lock()
        self.dealer_ids: dict[str, int] = {}
        self.pool = ParsePool(self.workers) if self.workers > 0 else None
        if self.templates is None:
            self.templates = Templates()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()


def decision_record(d: Decision, references: list[Reference], facts: list | None = None) -> dict:
    """What an item keeps of its decision: shown on the case, read by the digest (which
    also reads ``facts``: competitors, product lines, price comparisons, openings)."""
    return {"rules": d.rules, "scores": d.scores, "margin": d.margin, "needs_review": d.needs_review,
            "secondary": d.secondary, "references": [{"kind": r.kind, "value": r.value} for r in references],
            "facts": [{"kind": m.kind, "name": m.name, "sentence": m.sentence} for m in facts or []],
            "matches": [{"rule": m.rule, "why": m.why} for m in d.matches]}


def reference_rows(item_id: int, case_id: int | None, references: list[Reference]) -> list[dict]:
    return [{"item_id": item_id, "case_id": case_id, "kind": r.kind, "value": r.value[:64], "key": r.key[:64]}
            for r in references if r.key]


@dataclass
class ProcessResult:
    processed: int = 0
    failed: int = 0

    def __iadd__(self, other: ProcessResult) -> ProcessResult:
        self.processed += other.processed
        self.failed += other.failed
        return self


def sync_dealers(sessions: sessionmaker[Session], pipeline: Pipeline) -> None:
    """Mirror the directory file into the dealers tables (the file stays the authority)."""
    with sessions.begin() as session:
        rows = {d.key: d for d in session.scalars(select(DealerRow))}
        wanted = {d.key for d in pipeline.directory.dealers}
        for d in pipeline.directory.dealers:
            row = rows.get(d.key) or DealerRow(key=d.key)
            row.name, row.area, row.country, row.owner, row.active = d.name, d.area, d.country, d.owner, True
            contacts = {("email", v) for v in d.emails} | {("domain", v) for v in d.domains} | {
                ("phone", v) for v in d.phones}
            row.contacts = [c for c in row.contacts if (c.kind, c.value) in contacts]
            have = {(c.kind, c.value) for c in row.contacts}
            session.add(row)
            session.flush()
            for kind, value in sorted(contacts - have):
                row.contacts.append(DealerContact(kind=kind, value=value))
        for key, row in rows.items():
            if key not in wanted:
                row.active = False
        session.flush()
        pipeline.dealer_ids = {r.key: r.id for r in session.scalars(select(DealerRow))}


def process_pending(sessions: sessionmaker[Session], pipeline: Pipeline, now: datetime,
                    limit: int | None = None,
                    on_batch: Callable[[ProcessResult], None] | None = None) -> ProcessResult:
    """Process due items in batches until none are left (or ``limit`` items were done);
    ``on_batch`` hears the running total after each batch (progress display)."""
    if pipeline.pool is not None and sessions.kw["bind"].dialect.name != "postgresql":
        return _process_overlapped(sessions, pipeline, now, limit, on_batch)
    total = ProcessResult()
    while limit is None or total.processed + total.failed < limit:
        size = pipeline.batch_size if limit is None else min(pipeline.batch_size,
                                                             limit - total.processed - total.failed)
        got = process_batch(sessions, pipeline, now, size)
        if got.processed + got.failed == 0:
            break
        total += got
        if on_batch:
            on_batch(total)
    return total


def _due(now: datetime, size: int, after_id: int = 0):
    return (select(Item.id, Item.channel, Item.direction, Item.raw)
            .where(Item.state.in_(("new", "failed")), Item.next_attempt_at <= now, Item.id > after_id)
            .order_by(Item.id).limit(size))


def _process_overlapped(sessions, pipeline: Pipeline, now: datetime, limit: int | None,
                        on_batch: Callable[[ProcessResult], None] | None) -> ProcessResult:
    """One daemon with worker processes: write batch k while the workers parse batch k+1."""
    with pipeline.lock:
        rules, directory = pipeline.rules, pipeline.directory
    total, claimed = ProcessResult(), 0

    def claim(after_id: int) -> list[tuple[int, str, bytes]]:
        nonlocal claimed
        size = pipeline.batch_size if limit is None else min(pipeline.batch_size, limit - claimed)
        if size <= 0:
            return []
        with sessions() as session:
            work = [tuple(row) for row in session.execute(_due(now, size, after_id))]
        claimed += len(work)
        return work

    work = claim(0)
    pending = pipeline.pool.submit(rules, directory, work) if work else None
    while pending is not None:
        work = claim(work[-1][0])
        following = pipeline.pool.submit(rules, directory, work) if work else None
        total += _write_outcomes(sessions, pipeline, pending.result(), now)
        if on_batch:
            on_batch(total)
        pending = following
    return total


def process_batch(sessions: sessionmaker[Session], pipeline: Pipeline, now: datetime, size: int) -> ProcessResult:
    """Claim up to ``size`` due items, understand them, and write the results.

    With PostgreSQL the claim (FOR UPDATE SKIP LOCKED) is held until the results are
    committed, so several daemons each take different items. With SQLite (one daemon) the
    read is released before the slow parsing, so that ingest can go on writing meanwhile.
    """
    with pipeline.lock:
        rules, directory = pipeline.rules, pipeline.directory
    session = sessions()
    try:
        hold = session.get_bind().dialect.name == "postgresql"
        q = _due(now, size)
        if hold:
            q = q.with_for_update(skip_locked=True, of=Item)
        work = [tuple(row) for row in session.execute(q)]
        if not work:
            session.rollback()
            return ProcessResult()
        if not hold:
            session.rollback()
        if pipeline.pool is not None:  # even one item: the daemon itself never loads the parsers' models
            outcomes = pipeline.pool.run(rules, directory, work)
        else:
            outcomes = [understand_one(*w, rules, directory) for w in work]
        del work
        if hold:
            try:
                result = _write(session, pipeline, outcomes, now)
                session.commit()
                return result
            except Exception:
                session.rollback()
                log.exception("batch write failed; retrying items one by one")
                return _write_one_by_one(sessions, pipeline, outcomes, now)
    finally:
        session.close()
    return _write_outcomes(sessions, pipeline, outcomes, now)


def _write_outcomes(sessions, pipeline: Pipeline, outcomes: list[Outcome], now: datetime) -> ProcessResult:
    try:
        with sessions.begin() as session:
            return _write(session, pipeline, outcomes, now)
    except Exception:
        log.exception("batch write failed; retrying items one by one")
    return _write_one_by_one(sessions, pipeline, outcomes, now)


def _write_one_by_one(sessions, pipeline: Pipeline, outcomes: list[Outcome], now: datetime) -> ProcessResult:
    result = ProcessResult()
    for outcome in outcomes:
        try:
            with sessions.begin() as s:
                result += _write(s, pipeline, [outcome], now)
        except Exception as exc:
            with sessions.begin() as s:
                result += _write(s, pipeline, [Outcome(outcome.item_id, error=describe(exc))], now)
    return result


def _write(session: Session, pipeline: Pipeline, outcomes: list[Outcome], now: datetime) -> ProcessResult:
    """Record outcomes: item results, cases and events, in the caller's transaction.

    Items and events are written with bulk statements; only cases go through the ORM.
    Measured here, this keeps the writer (one process) ahead of the parse workers.
    """
    result = ProcessResult()
    # FOR UPDATE (PostgreSQL) waits for a worker busy with the same items, then sees their state.
    rows = {r.id: r for r in session.execute(
        select(Item.id, Item.state, Item.attempts, Item.channel, Item.received_at, Item.content_hash,
               Item.message_id).where(Item.id.in_(in_list([o.item_id for o in outcomes]))).with_for_update())}
    todo = [o for o in outcomes if o.item_id in rows and rows[o.item_id].state != ItemState.PROCESSED]
    book = Threader(session, now, pipeline.thread_days, pipeline.policy)
    book.prefetch([(rows[o.item_id], o.msg) for o in todo if o.error is None])
    done, failed, outgoing, new_cases = [], [], [], []
    for o in todo:
        row = rows[o.item_id]
        if o.error is not None:
            attempts = row.attempts + 1
            failed.append({"id": row.id, "attempts": attempts, "error": o.error, "state": "failed",
                           "next_attempt_at": now + pipeline.retry_after if attempts < pipeline.max_attempts
                           else None})
            log.warning("item %s failed (attempt %s): %s", row.id, attempts, o.error.splitlines()[0])
            continue
        msg, decision = o.msg, o.decision
        if decision is None:  # the coordinator's own sent mail, or a call back
            case = book.acknowledge_call(row, msg) if row.channel == Channel.CALL else book.acknowledge(row, msg)
            outgoing.append({"id": row.id, "state": "processed", "error": None, "next_attempt_at": None,
                             "processed_at": now, "malformed": msg.malformed, "sender": msg.from_addr[:320] or None,
                             "subject": msg.subject[:2000], "sent_at": msg.date, "case": case})
            continue
        dealer_id = pipeline.dealer_ids.get(o.dealer.key) if o.dealer else None
        owner = (o.dealer.owner if o.dealer else "") or pipeline.default_owner
        known = book.opened_count
        case = book.attach(row, msg, decision, dealer_id=dealer_id, owner=owner,
                           area=o.dealer.area if o.dealer else None)
        if book.opened_count > known:
            new_cases.append(NewCase(case, row.id, msg, decision, o.dealer.name if o.dealer else None))
        done.append(({
            "id": row.id, "state": "processed", "error": None, "next_attempt_at": None, "processed_at": now,
            "malformed": msg.malformed, "defects": msg.defects[:50] or None,
            "sender": msg.from_addr[:320] or None, "subject": msg.subject[:2000], "sent_at": msg.date,
            "search_text": (msg.new_text or "")[:SEARCH_TEXT] or None, "language": msg.language or None, "dealer_id": dealer_id, "category": decision.category,
            "actionable": decision.actionable, "rules_version": decision.rules_version,
            "decision": decision_record(decision, o.references, o.facts),
        }, case, o.references))
    book.flush()
    if pipeline.history:
        _file_as_history(session, [case for _, case, _ in done], now)
    elif new_cases:
        respond(session, new_cases, pipeline.policy, pipeline.templates, now,
                mail_from=pipeline.mail_from, signature=pipeline.signature, sms_from=pipeline.sms_from,
                own_domains=pipeline.rules.own_domains)
    if done:
        session.execute(update(Item), [{**values, "case_id": case.id} for values, case, _ in done])
        refs = [row for values, case, found in done for row in reference_rows(values["id"], case.id, found)]
        if refs:
            session.execute(insert(ItemRef), refs)
    if failed:
        session.execute(update(Item), failed)
    if outgoing:
        session.execute(update(Item), [{**{k: v for k, v in o.items() if k != "case"},
                                        "case_id": o["case"].id if o["case"] else None} for o in outgoing])
    result.processed, result.failed = len(done) + len(outgoing), len(failed)
    return result


def _file_as_history(session: Session, cases: list, now: datetime) -> None:
    """Old correspondence, imported for the record: nobody is owed an answer for it now."""
    events = []
    for case in {id(c): c for c in cases}.values():
        if case.status != CaseStatus.CLOSED:
            book.close(case, now)
            events.append({"at": now, "case_id": case.id, "actor": "intake", "kind": "case.closed",
                           "detail": {"why": "imported as history (intake import --history)"}})
    if events:
        session.execute(insert(Event), events)


def retry_failed(sessions: sessionmaker[Session], now: datetime, item_ids: list[int] | None = None) -> int:
    """Make failed items due again (after a fix), resetting their attempt count."""
    with sessions.begin() as session:
        q = update(Item).where(Item.state == ItemState.FAILED).values(attempts=0, next_attempt_at=now)
        if item_ids:
            q = q.where(Item.id.in_(item_ids))
        return session.execute(q).rowcount
