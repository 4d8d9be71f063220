"""Reading cases for people: the queue with its filters, one case with its history, and
the open cases by owner. The command line and the desk show the same answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import false, func, or_, select
from sqlalchemy.orm import Session, selectinload

from intake.cases.filters import CaseFilter
from intake.store.models import Case, Dealer, Event, Item, ItemRef, Outbox
from intake.vocab import CaseStatus


def list_cases(session: Session, f: CaseFilter, now: datetime) -> list[Case]:
    order = (Case.opened_at, Case.id) if f.review else (Case.id.desc(),)
    q = _filtered(select(Case).options(selectinload(Case.dealer)), f, now).order_by(*order).limit(f.limit)
    return list(session.scalars(q))


def count_cases(session: Session, f: CaseFilter, now: datetime) -> int:
    """How many cases the filter matches, however many are shown."""
    return session.scalar(_filtered(select(func.count()).select_from(Case), f, now))


def _filtered(q, f: CaseFilter, now: datetime):
    if f.open_only or f.overdue:
        q = q.where(Case.status == CaseStatus.OPEN)
    if f.overdue:
        q = q.where(Case.ack_due_at <= now)
    if f.category:
        q = q.where(Case.category == f.category)
    if f.review:
        q = q.where(*_unsure())
    if f.reference_key is not None:
        q = q.where(Case.id.in_(select(ItemRef.case_id).where(ItemRef.key == f.reference_key)))
    return q


def _unsure(*live: str):
    """Cases a person should check: live ones the rules were unsure of, and mail the rules
    read as asking nothing, whose case closed at once and would otherwise go unseen."""
    return (Case.needs_review.is_(True),
            or_(Case.status.in_(live or (CaseStatus.OPEN,)), Case.actionable.is_(False)))


def count_by_status(session: Session) -> dict[str, int]:
    return dict(session.execute(select(Case.status, func.count()).group_by(Case.status)).all())


def case_with_history(session: Session, ref: str) -> tuple[Case, list[Event]] | None:
    """A case by id or reference, with its items and dealer loaded, and its events in order."""
    q = select(Case).options(selectinload(Case.items), selectinload(Case.dealer))
    ref = ref.strip()
    if ref.isdigit():
        if int(ref) >= 1 << 63:
            return None  # no database holds an id that large
        q = q.where(Case.id == int(ref))
    else:
        q = q.where(Case.reference == ref.upper())
    case = session.scalars(q).first()
    if case is None:
        return None
    return case, list(session.scalars(select(Event).where(Event.case_id == case.id).order_by(Event.id)))


def open_by_owner(session: Session) -> dict[str, list[Case]]:
    """Open actionable cases by owner, the most urgent first."""
    rows = session.scalars(select(Case).options(selectinload(Case.dealer))
                           .where(Case.status == CaseStatus.OPEN, Case.actionable.is_(True))
                           .order_by(Case.owner, Case.ack_due_at))
    out: dict[str, list[Case]] = {}
    for c in rows:
        out.setdefault(c.owner or "(nobody)", []).append(c)
    return out


@dataclass(frozen=True)
class DeskFilter:
    """The desk's queue: open cases, the nearest deadline first."""

    owner: str | None = None  # None: everybody's
    category: str | None = None
    area: str | None = None
    channel: str | None = None
    review: bool = False
    overdue: bool = False
    search: str = ""
    page: int = 1
    per_page: int = 50


def desk_queue(session: Session, f: DeskFilter, now: datetime) -> tuple[list[Case], int]:
    """One page of the queue and how many cases match in all."""
    if f.review:
        q = select(Case).where(*_unsure(CaseStatus.OPEN, CaseStatus.ACKNOWLEDGED))
    else:
        q = select(Case).where(Case.status.in_((CaseStatus.OPEN, CaseStatus.ACKNOWLEDGED)))
    if f.owner:
        q = q.where(Case.owner == f.owner)
    if f.category:
        q = q.where(Case.category == f.category)
    if f.channel:
        q = q.where(Case.channel == f.channel)
    if f.area:
        q = q.where(Case.dealer_id.in_(select(Dealer.id).where(Dealer.area == f.area)))
    if f.overdue:
        q = q.where(Case.status == CaseStatus.OPEN, Case.ack_due_at <= now)
    words = f.search.strip()
    if words:
        like = f"%{words.replace('%', '').replace('_', '')}%"
        from intake.understand.references import search_key  # its patterns, only for a search

        key = search_key(words)
        q = q.where(or_(Case.reference == words.upper(), Case.sender.ilike(like), Case.subject.ilike(like),
                        Case.dealer_id.in_(select(Dealer.id).where(Dealer.name.ilike(like))),
                        Case.id.in_(select(ItemRef.case_id).where(ItemRef.key == key)) if key else false(),
                        Case.id.in_(select(Item.case_id).where(or_(Item.subject.ilike(like),
                                                                   Item.search_text.ilike(like))))))
    total = session.scalar(select(func.count()).select_from(q.subquery()))
    rows = session.scalars(q.options(selectinload(Case.dealer))
                           .order_by(Case.status.desc(), Case.ack_due_at.is_(None), Case.ack_due_at, Case.id)
                           .offset((max(f.page, 1) - 1) * f.per_page).limit(f.per_page))
    return list(rows), total


def version_and_outbox(session: Session, case_id: int) -> tuple[int, list[Outbox]]:
    """The case's version (its latest event) and the mail sent for it."""
    version = session.scalar(select(func.max(Event.id)).where(Event.case_id == case_id)) or 0
    return version, list(session.scalars(select(Outbox).where(Outbox.case_id == case_id).order_by(Outbox.id)))
