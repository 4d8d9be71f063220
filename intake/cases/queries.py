"""Reading cases for people: the queue with its filters, one case with its history, and
the open cases by owner. The command line and the desk show the same answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from intake.store.models import Case, Event, ItemRef
from intake.vocab import CaseStatus


@dataclass(frozen=True)
class CaseFilter:
    open_only: bool = False
    overdue: bool = False
    category: str | None = None
    review: bool = False  # only open cases the rules were unsure of, the oldest first
    reference_key: str | None = None  # a number the dealer gave, as ``detectors.search_key`` forms it
    limit: int = 200


def list_cases(session: Session, f: CaseFilter, now: datetime) -> list[Case]:
    order = (Case.opened_at, Case.id) if f.review else (Case.id.desc(),)
    q = _filtered(select(Case).options(selectinload(Case.dealer)), f, now).order_by(*order).limit(f.limit)
    return list(session.scalars(q))


def count_cases(session: Session, f: CaseFilter, now: datetime) -> int:
    """How many cases the filter matches, however many are shown."""
    return session.scalar(_filtered(select(func.count()).select_from(Case), f, now))


def _filtered(q, f: CaseFilter, now: datetime):
    if f.open_only or f.overdue or f.review:
        q = q.where(Case.status == CaseStatus.OPEN)
    if f.overdue:
        q = q.where(Case.ack_due_at <= now)
    if f.category:
        q = q.where(Case.category == f.category)
    if f.review:
        q = q.where(Case.needs_review.is_(True))
    if f.reference_key is not None:
        q = q.where(Case.id.in_(select(ItemRef.case_id).where(ItemRef.key == f.reference_key)))
    return q


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
