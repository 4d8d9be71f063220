"""What people do to cases: acknowledge, close, reopen, reassign — each logged with who and why."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from intake.cases import book
from intake.cases.ladder import Policy
from intake.errors import IntakeError
from intake.store.models import Case, Event
from intake.vocab import CaseStatus, Category


class CaseNotFound(IntakeError):
    exit_code = 1


class NotAllowed(IntakeError):
    exit_code = 1


class ChangedMeanwhile(IntakeError):
    """Someone else acted on the case after the person's page was loaded."""

    exit_code = 1


def version_of(session: Session, case_id: int) -> int:
    """A number that changes whenever anything happens to the case: its latest event."""
    return session.scalar(select(func.max(Event.id)).where(Event.case_id == case_id)) or 0


def find_case(session: Session, ref: str, version: int | None = None) -> Case:
    """The case, locked for this transaction; with ``version``, only if nothing happened
    to it since that version was read (so one person never overwrites another unseen)."""
    q = select(Case).options(selectinload(Case.dealer))
    q = q.where(Case.id == int(ref)) if ref.isdigit() else q.where(Case.reference == ref.strip().upper())
    case = session.scalars(q.with_for_update()).first()
    if case is None:
        raise CaseNotFound(f"no case {ref!r}")
    if version is not None and version_of(session, case.id) != version:
        raise ChangedMeanwhile(f"case {case.reference} changed since you opened it; look at what changed, "
                               "then try again")
    return case


def _log(session: Session, case: Case, now: datetime, actor: str, kind: str, **detail) -> None:
    session.add(Event(at=now, case=case, actor=actor, kind=kind, detail={k: v for k, v in detail.items() if v}))


def acknowledge(sessions: sessionmaker[Session], ref: str, now: datetime, policy: Policy, *, actor: str,
                note: str | None = None, version: int | None = None) -> Case:
    with sessions.begin() as session:
        case = find_case(session, ref, version)
        if case.status != CaseStatus.OPEN:
            raise NotAllowed(f"case {case.reference} is {case.status}, not open")
        book.acknowledge(case, now, policy)
        _log(session, case, now, actor, "case.acknowledged", how="by hand", note=note)
        return case


def close(sessions: sessionmaker[Session], ref: str, now: datetime, *, actor: str, note: str | None = None,
          version: int | None = None) -> Case:
    with sessions.begin() as session:
        case = find_case(session, ref, version)
        if case.status == CaseStatus.CLOSED:
            raise NotAllowed(f"case {case.reference} is closed already")
        book.close(case, now)
        _log(session, case, now, actor, "case.closed", note=note)
        return case


def reopen(sessions: sessionmaker[Session], ref: str, now: datetime, policy: Policy, *, actor: str,
           note: str | None = None, sla_hours: float = 24.0, version: int | None = None) -> Case:
    with sessions.begin() as session:
        case = find_case(session, ref, version)
        if case.status == CaseStatus.OPEN:
            raise NotAllowed(f"case {case.reference} is open already")
        book.reopen(case, now, policy, sla_hours, case.dealer.area if case.dealer else None)
        _log(session, case, now, actor, "case.reopened", note=note)
        return case


def assign(sessions: sessionmaker[Session], ref: str, owner: str, now: datetime, *, actor: str,
           note: str | None = None, version: int | None = None) -> Case:
    with sessions.begin() as session:
        case = find_case(session, ref, version)
        old, case.owner = case.owner, owner.strip()
        _log(session, case, now, actor, "case.reassigned", old=old or None, new=case.owner, note=note)
        return case


def recategorise(sessions: sessionmaker[Session], ref: str, category: str, now: datetime, *, actor: str,
                 note: str | None = None, version: int | None = None) -> Case:
    """A person's correction of the rules' category, kept as such (old and new) so the
    rules can be measured against what people decided."""
    if category not in {c.value for c in Category}:
        raise NotAllowed(f"unknown category {category!r}")
    with sessions.begin() as session:
        case = find_case(session, ref, version)
        if case.category == category:
            raise NotAllowed(f"case {case.reference} is {category} already")
        old, case.category = case.category, category
        case.actionable = category != Category.NONE
        _log(session, case, now, actor, "case.recategorised", old=old, new=category, note=note)
        return case


def mark_reviewed(sessions: sessionmaker[Session], ref: str, now: datetime, *, actor: str,
                  note: str | None = None, version: int | None = None) -> Case:
    with sessions.begin() as session:
        case = find_case(session, ref, version)
        if not case.needs_review:
            raise NotAllowed(f"case {case.reference} does not need review")
        case.needs_review = False
        _log(session, case, now, actor, "case.reviewed", category=case.category, note=note)
        return case


def add_note(sessions: sessionmaker[Session], ref: str, note: str, now: datetime, *, actor: str,
             version: int | None = None) -> Case:
    if not note.strip():
        raise NotAllowed("a note needs some text")
    with sessions.begin() as session:
        case = find_case(session, ref, version)
        _log(session, case, now, actor, "case.note", note=note.strip()[:5000])
        return case
