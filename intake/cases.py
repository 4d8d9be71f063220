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

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.message import ParsedMessage
from intake.rules.engine import UNCLASSIFIED, Decision
from intake.store.models import Case, Event, Item, Outbox

REFERENCE = re.compile(r"\bDLR-[0-9A-Z]{8}\b")
_PREFIX = re.compile(
    r"^\s*((re|fw|fwd|aw|wg|tr|rv|r|rif|sv|vs|antw|odp|pd|doorst|enc|res)\s*(\[\d+\])?\s*:\s*|\[[^\]]{0,40}\]\s*)+",
    re.IGNORECASE,
)
_CROCKFORD = str.maketrans("IJLOU", "89XYZ")


def thread_subject(subject: str) -> str:
    """The subject as a thread key: reply/forward prefixes and tags removed, case folded."""
    s = REFERENCE.sub("", subject or "")
    s = _PREFIX.sub("", s)
    return " ".join(s.casefold().split())[:300]


def make_reference(seed: str) -> str:
    digest = hashlib.sha256(seed.encode()).digest()
    return "DLR-" + base64.b32encode(digest)[:8].decode().translate(_CROCKFORD)


def event(session: Session, now: datetime, kind: str, *, case: Case | None = None, item_id: int | None = None,
          actor: str = "intake", **detail) -> None:
    session.add(Event(at=now, case_id=case.id if case else None, item_id=item_id, actor=actor, kind=kind,
                      detail=detail or None))


def find_thread(session: Session, msg: ParsedMessage, sender: str, subject_key: str, now: datetime,
                thread_days: int) -> tuple[Case | None, str]:
    """The case this message follows up, and how it was recognised."""
    for ref in REFERENCE.findall(msg.subject):
        case = session.scalars(select(Case).where(Case.reference == ref)).first()
        if case:
            return case, f"reference {ref} in subject"
    ids = [i for i in [msg.in_reply_to, *msg.references] if i]
    if ids:
        case_id = session.scalars(
            select(Item.case_id).where(Item.message_id.in_(ids), Item.case_id.is_not(None)).order_by(Item.id.desc())
        ).first()
        if case_id is None:
            case_id = session.scalars(
                select(Outbox.case_id).where(Outbox.message_id.in_(ids), Outbox.case_id.is_not(None))
            ).first()
        if case_id is not None:
            return session.get(Case, case_id), "In-Reply-To/References"
    if sender and len(subject_key) >= 4:
        case = session.scalars(
            select(Case)
            .where(Case.sender == sender, Case.thread_subject == subject_key, Case.status != "closed",
                   Case.last_activity_at >= now - timedelta(days=thread_days))
            .order_by(Case.id.desc())
        ).first()
        if case:
            return case, "same sender and subject"
    return None, ""


def attach(session: Session, item: Item, msg: ParsedMessage, decision: Decision, *, dealer_id: int | None,
           owner: str, now: datetime, thread_days: int) -> Case:
    """Open or join the case for ``item`` (inside the caller's transaction)."""
    sender = msg.from_addr or msg.header("from")[:320]
    subject_key = thread_subject(msg.subject)
    case, how = find_thread(session, msg, sender, subject_key, now, thread_days)
    if case is None:
        return _open(session, item, msg, decision, sender, subject_key, dealer_id, owner, now)
    item.case_id = case.id
    event(session, now, "case.item_added", case=case, item_id=item.id, how=how, category=decision.category)
    if not decision.actionable:
        return case  # an auto-reply or receipt in the thread changes nothing
    case.last_activity_at = max(case.last_activity_at, item.received_at)
    if not case.actionable or case.category == UNCLASSIFIED and decision.category != UNCLASSIFIED:
        event(session, now, "case.category_changed", case=case, item_id=item.id,
              old=case.category, new=decision.category, why=decision.rules)
        case.category, case.actionable = decision.category, True
    if case.status == "closed":
        case.status, case.closed_at = "open", None
        case.acknowledged_at = None
        _start_clock(case, decision, item.received_at)
        event(session, now, "case.reopened", case=case, item_id=item.id, why="new message from the dealer")
    return case


def _open(session, item, msg, decision, sender, subject_key, dealer_id, owner, now) -> Case:
    reference = make_reference(f"{item.content_hash}{item.message_id}")
    n = 0
    while session.scalars(select(Case.id).where(Case.reference == reference)).first() is not None:
        n += 1
        reference = make_reference(f"{item.content_hash}{item.message_id}#{n}")
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
    )
    _start_clock(case, decision, item.received_at)
    session.add(case)
    session.flush()
    item.case_id = case.id
    event(session, now, "case.opened", case=case, item_id=item.id, category=decision.category,
          actionable=decision.actionable, rules=decision.rules)
    if not decision.actionable:
        event(session, now, "case.closed", case=case, item_id=item.id, why="not actionable")
    return case


def _start_clock(case: Case, decision: Decision, now: datetime) -> None:
    if decision.actionable and decision.sla_hours:
        case.ack_due_at = now + timedelta(hours=decision.sla_hours)
        case.next_due_at = case.ack_due_at
    else:
        case.ack_due_at = case.next_due_at = None

