"""Stage 2, step 6: put a classified item into its case — a follow-up joins its thread.

A follow-up is recognised, most certain first, by: the case reference in the subject
(``[DLR-…]``, which every receipt carries); In-Reply-To/References naming a stored message
or one of our sent messages; and, conservatively, the same sender with the same subject
(prefixes like Re:/AW:/TR: removed) on a case that is not closed and was active recently.
Anything else opens a new case. Every state change is written to the event log.
"""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import datetime, timedelta

from sqlalchemy import insert, select, tuple_
from sqlalchemy.orm import Session

from intake.cases import book
from intake.cases.ladder import Policy
from intake.message import ParsedMessage
from intake.store.db import in_list
from intake.store.models import Case, Event, Item, Outbox
from intake.understand.rules.engine import Decision
from intake.vocab import CaseStatus, Category, Channel

REFERENCE = re.compile(r"\bDLR-[0-9A-Z]{8}\b")
_PREFIX = re.compile(
    r"^\s*((re|fw|fwd|aw|wg|tr|rv|r|rif|sv|vs|antw|odp|pd|doorst|enc|res)\s*(\[\d+\])?\s*:\s*|\[[^\]]{0,40}\]\s*)+",
    re.IGNORECASE,
)
_CROCKFORD = str.maketrans("IJLOU", "89XYZ")
CALL_JOIN_WINDOW = timedelta(hours=24)


def thread_subject(subject: str) -> str:
    """The subject as a thread key: reply/forward prefixes and tags removed, case folded."""
    s = REFERENCE.sub("", subject or "")
    s = _PREFIX.sub("", s)
    return " ".join(s.casefold().split())[:300]


def make_reference(seed: str) -> str:
    digest = hashlib.sha256(seed.encode()).digest()
    return "DLR-" + base64.b32encode(digest)[:8].decode().translate(_CROCKFORD)


class Threader:
    """Threads a batch of items into cases inside one transaction.

    The lookups for the whole batch are made in a few queries up front (``prefetch``), and
    what the batch itself opens or joins is remembered, so a follow-up arriving in the same
    batch as its first message still finds it. New cases and their events are written in
    ``flush`` (a look-up for call-backs may flush earlier, so it sees this batch's cases).
    """

    def __init__(self, session: Session, now: datetime, thread_days: int, policy: Policy | None = None):
        self.session, self.now = session, now
        self.policy = policy or Policy()
        self.since = now - timedelta(days=thread_days)
        self.by_reference: dict[str, Case] = {}
        self.by_message_id: dict[str, Case] = {}
        self.by_thread: dict[tuple[str, str], Case] = {}
        self.taken_references: set[str] = set()
        self._events: list[tuple[Case, dict]] = []
        self.opened_count = 0

    def _event(self, kind: str, case: Case, item, **detail) -> None:
        self._events.append((case, {"at": self.now, "item_id": item.id, "actor": "intake", "kind": kind,
                                    "detail": detail or None}))

    def flush(self) -> None:
        """Write the batch's cases, then its events (which need the new cases' ids)."""
        self.session.flush()
        if self._events:
            self.session.execute(insert(Event), [{**e, "case_id": c.id} for c, e in self._events])
            self._events.clear()

    def prefetch(self, entries: list[tuple[Item, ParsedMessage]]) -> None:
        s = self.session
        with s.no_autoflush:
            refs = {r for _, m in entries for r in REFERENCE.findall(m.subject)}
            if refs:
                for c in s.scalars(select(Case).where(Case.reference.in_(in_list(refs)))):
                    self.by_reference[c.reference] = c
            ids = {i for _, m in entries for i in [m.in_reply_to, *m.references] if i}
            found: dict[str, int] = {}
            for chunk in _chunks(sorted(ids)):
                found.update(s.execute(select(Item.message_id, Item.case_id)
                                       .where(Item.message_id.in_(in_list(chunk)), Item.case_id.is_not(None))
                                       .order_by(Item.id)).all())
            for chunk in _chunks(sorted(ids)):
                found.update({k: v for k, v in s.execute(
                    select(Outbox.message_id, Outbox.case_id)
                    .where(Outbox.message_id.in_(in_list(chunk)), Outbox.case_id.is_not(None))).all() if k not in found})
            if found:
                cases = {c.id: c for c in s.scalars(select(Case).where(Case.id.in_(in_list(set(found.values())))))}
                self.by_message_id.update({mid: cases[cid] for mid, cid in found.items() if cid in cases})
            pairs = {(_sender(m), thread_subject(m.subject)) for _, m in entries}
            pairs = {(a, b) for a, b in pairs if a and len(b) >= 4}
            if pairs:
                q = (select(Case).where(tuple_(Case.sender, Case.thread_subject).in_(in_list(pairs)),
                                        Case.status != CaseStatus.CLOSED, Case.last_activity_at >= self.since)
                     .order_by(Case.id))
                for c in s.scalars(q):
                    self.by_thread[(c.sender, c.thread_subject)] = c  # the latest wins
            wanted = {make_reference(_seed(item)) for item, _ in entries}
            self.taken_references.update(s.scalars(select(Case.reference).where(Case.reference.in_(in_list(wanted)))))

    def find(self, msg: ParsedMessage, sender: str, subject_key: str) -> tuple[Case | None, str]:
        """The case this message follows up, and how it was recognised."""
        for ref in REFERENCE.findall(msg.subject):
            if ref in self.by_reference:
                return self.by_reference[ref], f"reference {ref} in subject"
        for mid in [msg.in_reply_to, *reversed(msg.references)]:
            if mid and mid in self.by_message_id:
                return self.by_message_id[mid], "In-Reply-To/References"
        if sender and msg.from_addr and len(subject_key) >= 4:  # callers who withheld their number are not one
            case = self.by_thread.get((sender, subject_key))
            since = self.since
            if msg.channel == Channel.CALL:  # repeated missed calls join one case, within a day
                since = (msg.date or self.now) - CALL_JOIN_WINDOW
            if case is not None and case.status != CaseStatus.CLOSED and case.last_activity_at >= since:
                return case, "same caller" if msg.channel == Channel.CALL else "same sender and subject"
        return None, ""

    def attach(self, item, msg: ParsedMessage, decision: Decision, *, dealer_id: int | None,
               owner: str, area: str | None = None) -> Case:
        """Open or join the case for ``item`` (a row with id, channel, received_at,
        content_hash, message_id); the caller records the item's case once ``flush`` ran."""
        sender = _sender(msg)
        subject_key = thread_subject(msg.subject)
        case, how = self.find(msg, sender, subject_key)
        if case is None:
            case = self._open(item, msg, decision, sender, subject_key, dealer_id, owner, area)
        else:
            self._join(case, item, decision, how, area)
        if msg.message_id:
            self.by_message_id[msg.message_id] = case
        if case.status != CaseStatus.CLOSED and sender == case.sender:
            self.by_thread[(sender, subject_key)] = case
        return case

    def acknowledge(self, item, msg: ParsedMessage) -> Case | None:
        """The coordinator's own reply: the case it answers is acknowledged by it.

        Only certain links count (the case reference, In-Reply-To/References), never the
        subject, since one reply must not acknowledge another dealer's request.
        """
        case, how = self.find(msg, "", "")
        if case is None:
            return None
        self._event("case.reply_sent", case, item, how=how, by=msg.from_addr)
        if case.status == CaseStatus.OPEN and case.actionable:
            at = min(msg.date or item.received_at, item.received_at)
            book.acknowledge(case, at, self.policy)
            self._event("case.acknowledged", case, item, by=msg.from_addr or "coordinator", how="reply sent",
                        at=at.isoformat())
        if msg.message_id:
            self.by_message_id[msg.message_id] = case
        return case

    def acknowledge_call(self, item, msg: ParsedMessage) -> Case | None:
        """A completed call to the dealer's number acknowledges that number's open call cases
        opened before it (the call back). Returns the last case acknowledged, if any."""
        if msg.call_status != "completed" or not msg.from_addr:
            return None
        called_at = msg.date or item.received_at
        last = None
        for case in self.session.scalars(select(Case).where(
                Case.channel == Channel.CALL, Case.sender == msg.from_addr, Case.status == CaseStatus.OPEN,
                Case.opened_at <= called_at)):
            book.acknowledge(case, called_at, self.policy)
            self._event("case.acknowledged", case, item, how="called back", call=msg.message_id,
                        at=called_at.isoformat())
            last = case
        return last

    def _join(self, case: Case, item, decision: Decision, how: str, area: str | None) -> None:
        self._event("case.item_added", case, item, how=how, category=decision.category)
        if not decision.actionable:
            return  # an auto-reply or receipt in the thread changes nothing
        case.last_activity_at = max(case.last_activity_at, item.received_at)
        # A case's category is settled by its first request, but a vaguer one gives way: an
        # unclassified case, or a call-back case that a voicemail turns out to be an order for.
        vague = case.category == Category.UNCLASSIFIED or (case.channel == Channel.CALL and case.category == Category.QUERY)
        if not case.actionable or vague and decision.category not in (Category.UNCLASSIFIED, Category.QUERY):
            self._event("case.category_changed", case, item, old=case.category, new=decision.category,
                        why=decision.rules)
            case.category, case.actionable = decision.category, True
            case.needs_review = decision.needs_review
        if case.status == CaseStatus.CLOSED:
            book.reopen(case, item.received_at, self.policy, decision.sla_hours, area)
            self._event("case.reopened", case, item, why="new message from the dealer")

    def _open(self, item, msg, decision, sender, subject_key, dealer_id, owner, area) -> Case:
        seed = _seed(item)
        reference, n = make_reference(seed), 0
        while reference in self.taken_references or (n and self.session.scalar(
                select(Case.id).where(Case.reference == reference)) is not None):
            n += 1
            reference = make_reference(f"{seed}#{n}")
        self.taken_references.add(reference)
        now = self.now
        case = Case(
            reference=reference,
            channel=item.channel,
            dealer_id=dealer_id,
            possible_new_dealer=dealer_id is None and decision.actionable,
            sender=sender,
            subject=msg.subject[:2000],
            thread_subject=subject_key,
            category=decision.category,
            actionable=decision.actionable,
            status="open" if decision.actionable else "closed",
            owner=owner,
            priority=decision.priority,
            language=msg.language,
            route_to=decision.route_to,
            opened_at=item.received_at,
            last_activity_at=item.received_at,
            closed_at=None if decision.actionable else now,
            rules_version=decision.rules_version,
            needs_review=decision.needs_review,
        )
        book.start_clock(case, self.policy, decision.sla_hours, area, item.received_at)
        self.session.add(case)
        self.opened_count += 1
        self.by_reference[reference] = case
        self._event("case.opened", case, item, category=decision.category, actionable=decision.actionable,
                    rules=decision.rules)
        if not decision.actionable:
            self._event("case.closed", case, item, why="not actionable")
        return case


def _sender(msg: ParsedMessage) -> str:
    return (msg.from_addr or msg.header("from") or msg.from_name)[:320]


def _seed(item) -> str:
    return f"{item.content_hash}{item.message_id}"


def _chunks(values: list[str], size: int = 1_000):
    """IN lists of a size every database takes (PostgreSQL allows 65,535 parameters)."""
    for i in range(0, len(values), size):
        yield values[i : i + size]
