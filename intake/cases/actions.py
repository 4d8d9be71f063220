"""What people do to cases: acknowledge, close, reopen, reassign — each logged with who and why."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from intake.cases import book
from intake.cases.ladder import Policy
from intake.errors import IntakeError
from intake.store.models import Case, Event
from intake.vocab import CaseStatus


class CaseNotFound(IntakeError):
    exit_code = 1


class NotAllowed(IntakeError):
    exit_code = 1


def find_case(session: Session, ref: str) -> Case:
    q = select(Case).options(selectinload(Case.dealer))
    q = q.where(Case.id == int(ref)) if ref.isdigit() else q.where(Case.reference == ref.strip().upper())
    case = session.scalars(q.with_for_update()).first()
    if case is None:
        raise CaseNotFound(f"no case {ref!r}")
    return case


def _log(session: Session, case: Case, now: datetime, actor: str, kind: str, **detail) -> None:
    session.add(Event(at=now, case=case, actor=actor, kind=kind, detail={k: v for k, v in detail.items() if v}))


def acknowledge(sessions: sessionmaker[Session], ref: str, now: datetime, policy: Policy, *, actor: str,
                note: str | None = None) -> Case:
    with sessions.begin() as session:
        case = find_case(session, ref)
        if case.status != CaseStatus.OPEN:
            raise NotAllowed(f"case {case.reference} is {case.status}, not open")
        book.acknowledge(case, now, policy)
        _log(session, case, now, actor, "case.acknowledged", how="by hand", note=note)
        return case


def close(sessions: sessionmaker[Session], ref: str, now: datetime, *, actor: str, note: str | None = None) -> Case:
    with sessions.begin() as session:
        case = find_case(session, ref)
        if case.status == CaseStatus.CLOSED:
            raise NotAllowed(f"case {case.reference} is closed already")
        book.close(case, now)
        _log(session, case, now, actor, "case.closed", note=note)
        return case


def reopen(sessions: sessionmaker[Session], ref: str, now: datetime, policy: Policy, *, actor: str,
           note: str | None = None, sla_hours: float = 24.0) -> Case:
    with sessions.begin() as session:
        case = find_case(session, ref)
        if case.status == CaseStatus.OPEN:
            raise NotAllowed(f"case {case.reference} is open already")
        book.reopen(case, now, policy, sla_hours, case.dealer.area if case.dealer else None)
        _log(session, case, now, actor, "case.reopened", note=note)
        return case


def assign(sessions: sessionmaker[Session], ref: str, owner: str, now: datetime, *, actor: str,
           note: str | None = None) -> Case:
    with sessions.begin() as session:
        case = find_case(session, ref)
        old, case.owner = case.owner, owner.strip()
        _log(session, case, now, actor, "case.reassigned", old=old or None, new=case.owner, note=note)
        return case
