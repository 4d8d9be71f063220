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
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker, undefer

from intake.cases import CaseBook
from intake.dealers import Dealer, Directory
from intake.message import ParsedMessage
from intake.parse import parse_email
from intake.rules.engine import Decision, Rules, classify
from intake.store.models import Dealer as DealerRow
from intake.store.models import DealerContact, Item

log = logging.getLogger(__name__)

PARSERS: dict[str, Callable[[bytes], ParsedMessage]] = {"email": parse_email}


@dataclass
class Pipeline:
    """What stage 2 needs; ``rules`` and ``directory`` may be swapped whole by a reload."""

    rules: Rules
    directory: Directory
    default_owner: str = ""
    batch_size: int = 200
    max_attempts: int = 5
    retry_after: timedelta = timedelta(minutes=10)
    thread_days: int = 30

    def __post_init__(self):
        self.lock = threading.Lock()
        self.dealer_ids: dict[str, int] = {}


@dataclass
class Outcome:
    item_id: int
    msg: ParsedMessage | None = None
    dealer: Dealer | None = None
    decision: Decision | None = None
    error: str | None = None


@dataclass
class ProcessResult:
    processed: int = 0
    failed: int = 0

    def __iadd__(self, other: ProcessResult) -> ProcessResult:
        self.processed += other.processed
        self.failed += other.failed
        return self


def understand(raw: bytes, channel: str, pipeline: Pipeline) -> tuple[ParsedMessage, Dealer | None, Decision]:
    """The pure part of stage 2: bytes -> (message, dealer, decision). No I/O."""
    parser = PARSERS.get(channel)
    if parser is None:
        raise ValueError(f"no parser for channel {channel!r}")
    msg = parser(raw)
    dealer = pipeline.directory.identify_email(msg.from_addr) if channel == "email" else None
    decision = classify(msg, dealer.facts() if dealer else None, pipeline.rules)
    return msg, dealer, decision


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
                    limit: int | None = None) -> ProcessResult:
    """Process due items in batches until none are left (or ``limit`` items were done)."""
    total = ProcessResult()
    while limit is None or total.processed + total.failed < limit:
        size = pipeline.batch_size if limit is None else min(pipeline.batch_size,
                                                             limit - total.processed - total.failed)
        got = process_batch(sessions, pipeline, now, size)
        if got.processed + got.failed == 0:
            break
        total += got
    return total


def process_batch(sessions: sessionmaker[Session], pipeline: Pipeline, now: datetime, size: int) -> ProcessResult:
    with pipeline.lock:
        rules, directory = pipeline.rules, pipeline.directory
    with sessions() as session:
        q = (select(Item).options(undefer(Item.raw))
             .where(Item.state.in_(("new", "failed")), Item.next_attempt_at <= now)
             .order_by(Item.id).limit(size))
        if session.get_bind().dialect.name == "postgresql":
            q = q.with_for_update(skip_locked=True)  # several workers: each claims its own rows
        items = list(session.scalars(q))
        if not items:
            return ProcessResult()
        snapshot = Pipeline(rules, directory)
        outcomes = []
        for item in items:
            try:
                msg, dealer, decision = understand(item.raw, item.channel, snapshot)
                outcomes.append(Outcome(item.id, msg, dealer, decision))
            except Exception as exc:
                outcomes.append(Outcome(item.id, error=_describe(exc)))
        session.rollback()  # release the claim before writing; writes below re-check state
    try:
        with sessions.begin() as session:
            return _write(session, pipeline, outcomes, now)
    except Exception:
        log.exception("batch write failed; retrying items one by one")
    result = ProcessResult()
    for outcome in outcomes:
        try:
            with sessions.begin() as session:
                result += _write(session, pipeline, [outcome], now)
        except Exception as exc:
            with sessions.begin() as session:
                result += _write(session, pipeline, [Outcome(outcome.item_id, error=_describe(exc))], now)
    return result


def _write(session: Session, pipeline: Pipeline, outcomes: list[Outcome], now: datetime) -> ProcessResult:
    result = ProcessResult()
    # FOR UPDATE (PostgreSQL) waits for a worker busy with the same items, then sees their state.
    items = {i.id: i for i in session.scalars(
        select(Item).where(Item.id.in_([o.item_id for o in outcomes])).with_for_update())}
    book = CaseBook(session, now, pipeline.thread_days)
    book.prefetch([(items[o.item_id], o.msg) for o in outcomes if o.error is None and o.item_id in items])
    for o in outcomes:
        item = items.get(o.item_id)
        if item is None or item.state == "processed":
            continue  # another worker finished it meanwhile
        if o.error is not None:
            item.attempts += 1
            item.error = o.error
            item.state = "failed"
            item.next_attempt_at = now + pipeline.retry_after if item.attempts < pipeline.max_attempts else None
            log.warning("item %s failed (attempt %s): %s", item.id, item.attempts, o.error.splitlines()[0])
            result.failed += 1
            continue
        msg, decision = o.msg, o.decision
        dealer_id = pipeline.dealer_ids.get(o.dealer.key) if o.dealer else None
        owner = (o.dealer.owner if o.dealer else "") or pipeline.default_owner
        item.malformed = msg.malformed
        item.defects = msg.defects[:50] or None
        item.sender = (msg.from_addr or None) and msg.from_addr[:320]
        item.subject = msg.subject[:2000]
        item.sent_at = msg.date
        item.language = msg.language or None
        item.dealer_id = dealer_id
        item.category = decision.category
        item.actionable = decision.actionable
        item.rules_version = decision.rules_version
        item.decision = {"rules": decision.rules, "scores": decision.scores,
                         "matches": [{"rule": m.rule, "why": m.why} for m in decision.matches]}
        book.attach(item, msg, decision, dealer_id=dealer_id, owner=owner)
        item.state, item.error, item.next_attempt_at, item.processed_at = "processed", None, None, now
        result.processed += 1
    return result


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}\n" + "".join(traceback.format_exception(exc)[-3:])


def retry_failed(sessions: sessionmaker[Session], now: datetime, item_ids: list[int] | None = None) -> int:
    """Make failed items due again (after a fix), resetting their attempt count."""
    with sessions.begin() as session:
        q = update(Item).where(Item.state == "failed").values(attempts=0, next_attempt_at=now)
        if item_ids:
            q = q.where(Item.id.in_(item_ids))
        return session.execute(q).rowcount
