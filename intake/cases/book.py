"""The case book: every change to a case's state and clock goes through these functions.

Acknowledging, closing, reopening, starting the clock and taking a ladder step each set
the status, the timestamps and the next step together, so a case is never acknowledged
with a reminder still pointing at it, or reopened without a deadline. The callers (the
command line, the Sent-folder and call-back threading, receipts, the chase,
reclassification) record the event in the history in their own transaction; these
functions change the case only. They work on an ORM case or on a plain row with the
same columns (the chase reads rows in bulk).
"""

from __future__ import annotations

from datetime import datetime

from intake.cases.ladder import Policy
from intake.cases.schedule import schedule_next
from intake.vocab import CaseStatus


def start_clock(case, policy: Policy, sla_hours: float | None, area: str | None, start: datetime) -> None:
    """Set an open case's acknowledgement deadline and its first ladder step."""
    if case.actionable and sla_hours:
        case.ack_due_at = policy.ack_due(start, sla_hours, area, case.category)
        schedule_next(case, policy)
    else:
        case.ack_due_at = case.next_due_at = case.next_step = None


def acknowledge(case, at: datetime, policy: Policy) -> None:
    """The dealer has heard from us: the deadline is met; later steps (a reminder to
    answer in full) still apply."""
    case.status, case.acknowledged_at = CaseStatus.ACKNOWLEDGED, at
    schedule_next(case, policy)


def close(case, at: datetime) -> None:
    case.status, case.closed_at = CaseStatus.CLOSED, at
    case.ack_due_at = case.next_due_at = case.next_step = None


def reopen(case, at: datetime, policy: Policy, sla_hours: float | None, area: str | None) -> None:
    """Open again with a fresh deadline from ``at``."""
    case.status, case.closed_at, case.acknowledged_at, case.actionable = CaseStatus.OPEN, None, None, True
    start_clock(case, policy, sla_hours, area, at)


def step_taken(case, step_id: str, policy: Policy) -> None:
    """A ladder step was taken: point the case at the one after it."""
    schedule_next(case, policy, after=step_id)


def resume_ladder(case, policy: Policy, now: datetime) -> None:
    """The case's next step is gone (its ladder was edited): go on from the first step
    of its ladder that is not yet due, without taking the ones missed."""
    schedule_next(case, policy)
    while case.next_due_at is not None and case.next_due_at <= now:
        schedule_next(case, policy, after=case.next_step)
