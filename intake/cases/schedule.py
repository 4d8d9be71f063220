"""The one place that works out a case's next ladder step. Only the case book calls it."""

from __future__ import annotations

from intake.cases.ladder import Policy


def schedule_next(case, policy: Policy, after: str | None = None) -> None:
    """Point the case (an ORM case or a plain row with the same columns) at its next
    ladder step after ``after``, or at nothing."""
    nxt = policy.next_step(category=case.category, priority=case.priority, status=case.status,
                           ack_due_at=case.ack_due_at, acknowledged_at=case.acknowledged_at, after=after)
    case.next_step, case.next_due_at = (nxt[0].id, nxt[1]) if nxt else (None, None)
