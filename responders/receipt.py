"""Answers to new cases: the automatic receipt to the dealer, and the forward to a division.

Both are queued in the transaction that opens the case, so they exist exactly when it does.

The receipt follows RFC 3834: it is never sent to a message that is itself automatic (see
``intake.understand.parse.auto_reply_blocker``: Auto-Submitted, Precedence, list headers, null
return paths, mailer-daemon and no-reply senders, reports), it says ``Auto-Submitted:
auto-replied``, it keeps the thread (In-Reply-To, References) and puts the case reference
in the subject, and no sender gets more than ``receipt_limit_per_hour`` of them.

A case whose rules name a ``route_to`` address (a rework request for the division that
makes that product line) is forwarded there once, with the dealer's message attached.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import make_msgid

import phonenumbers
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from intake.cases import book
from intake.cases.ladder import Policy
from intake.message import ParsedMessage
from intake.store.db import in_list, lock_keys
from intake.store.models import Case, Event, Item, Outbox
from intake.understand.rules.engine import Decision
from intake.vocab import LABELS, CaseStatus, Channel
from responders.outbox import queue, queue_raw
from responders.templates import Templates, header_safe

log = logging.getLogger(__name__)


@dataclass
class NewCase:
    case: Case
    item_id: int
    msg: ParsedMessage
    decision: Decision
    dealer_name: str | None


def _context(n: NewCase, signature: str) -> dict:
    hours = n.decision.sla_hours or 24
    # When the rules were unsure, a receipt that says "we have your order" could be wrong:
    # it says "request" until a person has looked.
    label = "request" if n.case.needs_review else LABELS.get(n.case.category, "request")
    return {"case": n.case, "category_label": label, "needs_review": n.case.needs_review,
            "dealer_name": n.dealer_name, "sla_hours": f"{hours:g}",
            "sla_text": f"{hours:g} hours" if hours != 24 else "24 hours", "signature": signature}


def can_receive_sms(number: str) -> bool:
    """Only mobile numbers get an SMS: a landline cannot receive one."""
    try:
        t = phonenumbers.number_type(phonenumbers.parse(number, None))
    except phonenumbers.NumberParseException:
        return False
    return t in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


def _event(now: datetime, case: Case, n: NewCase, kind: str, detail: dict) -> dict:
    return {"at": now, "case_id": case.id, "item_id": n.item_id, "actor": "intake", "kind": kind, "detail": detail}


def respond(session: Session, new_cases: list[NewCase], policy: Policy, templates: Templates, now: datetime, *,
            mail_from: str, signature: str, sms_from: str | None = None, own_domains: tuple[str, ...] = ()) -> None:
    """Queue receipts and forwards for cases just opened (call after they have ids).
    ``own_domains``: the organisation's own; nobody there ever gets a receipt."""
    events: list[dict] = []  # written in one statement at the end
    _respond(session, new_cases, policy, templates, now, events, mail_from=mail_from, signature=signature,
             sms_from=sms_from, own_domains=own_domains)
    if events:
        session.execute(insert(Event), events)


def _respond(session: Session, new_cases: list[NewCase], policy: Policy, templates: Templates, now: datetime,
             events: list[dict], *, mail_from: str, signature: str, sms_from: str | None,
             own_domains: tuple[str, ...]) -> None:
    domain = mail_from.rpartition("@")[2] or "intake.invalid"
    # Receipts already sent in the last hour, per sender: one query for the batch.
    senders = {n.case.sender for n in new_cases if n.case.actionable and n.case.category in policy.receipts}
    recent: Counter[str] = Counter()
    if senders:
        lock_keys(session, "receipts", senders)  # the count below must hold until we commit
        recent.update(dict(session.execute(
            select(Case.sender, func.count()).select_from(Outbox).join(Case, Outbox.case_id == Case.id)
            .where(Outbox.kind.in_(("receipt", "sms")), Case.sender.in_(in_list(senders)),
                   Outbox.created_at > now - timedelta(hours=1)).group_by(Case.sender)).all()))
    for n in new_cases:
        case = n.case
        if not case.actionable:
            continue
        if case.route_to:
            _forward(session, n, templates, now, events, mail_from=mail_from, domain=domain, signature=signature)
        if case.category not in policy.receipts:
            continue
        age = now - case.opened_at
        if age > policy.receipt_max_age:
            events.append(_event(now, case, n, "receipt.withheld", {
                "why": f"it arrived {_hours(age)} ago; receipts go only to messages younger than "
                       f"{_hours(policy.receipt_max_age)} (rules.yaml: sla.receipt_max_age_hours)"}))
            continue
        if case.channel == Channel.CALL:
            _sms_receipt(session, n, policy, templates, now, events, sms_from=sms_from, signature=signature,
                         recent=recent)
            continue
        why_not = n.msg.no_auto_reply
        if not why_not and case.sender.rpartition("@")[2].lower() in own_domains:
            why_not = f"{case.sender} is at the organisation's own domain"
        if not why_not and recent[case.sender] >= policy.receipt_limit_per_hour:
            why_not = f"rate limit: {policy.receipt_limit_per_hour} receipts an hour to {case.sender}"
        if why_not:
            events.append(_event(now, case, n, "receipt.withheld", {"why": why_not}))
            continue
        msg = templates.message(n.decision.template or "receipt", case.language or "en", sender=mail_from,
                                to=[case.sender], **_context(n, signature))
        msg["Auto-Submitted"] = "auto-replied"
        msg["X-Auto-Response-Suppress"] = "All"  # asks Exchange not to answer with an out-of-office
        if n.msg.message_id:
            msg["In-Reply-To"] = n.msg.message_id
            msg["References"] = " ".join([*n.msg.references, n.msg.message_id][-10:])
        row = queue(session, kind="receipt", message=msg, recipients=[case.sender], now=now, case=case,
                    domain=domain)
        recent[case.sender] += 1
        events.append(_event(now, case, n, "receipt.queued", {"message_id": row.message_id}))
        if case.category in policy.receipt_acknowledges and case.status == CaseStatus.OPEN:
            book.acknowledge(case, now, policy)
            events.append(_event(now, case, n, "case.acknowledged", {"how": "automatic receipt (rules.yaml: receipt_acknowledges)"}))


def _hours(d: timedelta) -> str:
    hours = d.total_seconds() / 3600
    return f"{hours / 24:.0f} days" if hours >= 48 else f"{hours:.0f} hours"


def _sms_receipt(session: Session, n: NewCase, policy: Policy, templates: Templates, now: datetime,
                 events: list[dict], *,
                 sms_from: str | None, signature: str, recent: Counter) -> None:
    """A text to a dealer whose call was missed: we have it, we will call back."""
    case = n.case
    if not sms_from or n.msg.channel != Channel.CALL or n.msg.call_direction != "inbound":
        return
    why_not = ""
    if not can_receive_sms(case.sender):
        why_not = f"{case.sender} cannot receive text messages"
    elif recent[case.sender] >= policy.receipt_limit_per_hour:
        why_not = f"rate limit: {policy.receipt_limit_per_hour} texts an hour to {case.sender}"
    if why_not:
        events.append(_event(now, case, n, "receipt.withheld", {"why": why_not}))
        return
    text = templates.render("sms_receipt", case.language or "en", **_context(n, signature)).text.strip()
    queue_raw(session, kind="sms", message_id=f"<sms.{case.reference}.{n.item_id}@intake>", recipients=[case.sender],
              subject=text[:80], raw=text.encode(), now=now, case=case)
    recent[case.sender] += 1
    events.append(_event(now, case, n, "receipt.queued", {"sms_to": case.sender}))


def _forward(session: Session, n: NewCase, templates: Templates, now: datetime, events: list[dict], *,
             mail_from: str, domain: str, signature: str) -> None:
    case = n.case
    raw = session.scalar(select(Item.raw).where(Item.id == n.item_id))
    msg = templates.message("forward", "en", sender=mail_from, to=[case.route_to], **_context(n, signature))
    msg["Auto-Submitted"] = "auto-generated"
    msg["Message-ID"] = make_msgid(idstring="forward", domain=domain)
    if raw:  # attached byte for byte, as an .eml file any mail program opens
        msg.add_attachment(raw, maintype="application", subtype="octet-stream",
                           filename=header_safe(f"{case.reference}-original.eml"))
    row = queue(session, kind="forward", message=msg, recipients=[case.route_to], now=now, case=case,
                domain=domain)
    events.append(_event(now, case, n, "case.forwarded", {"to": case.route_to, "message_id": row.message_id}))
