"""The chase policy from rules.yaml: SLA calendars, roles, and escalation ladders.

A ladder is a list of steps. A step either times itself from the acknowledgement deadline
(``at: -4h`` is four hours before it, ``at: 24h`` a day after) and applies while the case
waits for acknowledgement, or from the acknowledgement (``after_ack: 7d``) and applies
while an acknowledged case stays open. Steps fire in order, each once. A case stores which
step is next and when (``next_step``, ``next_due_at``), so the sweep finds due work with one
indexed query.

    sla:
      clock: business               # or calendar (every hour counts)
      calendars:
        default: {timezone: Europe/London, hours: "08:30-17:00", days: [mon, tue, wed, thu, fri],
                  holidays: GB-ENG}
      default_ladder: standard
      ladder_by_priority: {urgent: fast}
      receipt_limit_per_hour: 3     # automatic receipts to one sender
      receipt_max_age_hours: 6      # older mail (an imported archive) gets no receipt
    roles:
      team_leader: [lead@example.co.uk]
    ladders:
      standard:
        - {id: remind-owner, at: -4h, to: [owner], template: reminder}
        - {id: team-leader, at: 0h, to: [team_leader], template: escalation}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

from intake.cases.sla import DAY_NAMES, Calendar, parse_hours, parse_offset
from intake.vocab import CaseStatus

CATEGORY_NAMES = ("order", "quote", "literature", "query", "rework", "unclassified")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CalendarSpec(_Strict):
    timezone: str = "Europe/London"
    hours: str = "08:30-17:00"
    days: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]] = ["mon", "tue", "wed", "thu", "fri"]
    holidays: str | None = "GB-ENG"

    @field_validator("timezone")
    @classmethod
    def _zone(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown timezone {v!r}") from None
        return v

    @field_validator("hours")
    @classmethod
    def _hours(cls, v: str) -> str:
        parse_hours(v)
        return v

    @field_validator("holidays")
    @classmethod
    def _holidays(cls, v: str | None) -> str | None:
        if v:
            import holidays  # heavy (every country's calendar): loaded only when a calendar names one

            country, _, region = v.partition("-")
            try:
                holidays.country_holidays(country, subdiv=region or None, years=2026)
            except NotImplementedError:
                raise ValueError(f"no holiday calendar for {v!r} (use a country code like GB or GB-ENG)") from None
        return v


class SlaSpec(_Strict):
    clock: Literal["calendar", "business"] = "calendar"
    calendars: dict[str, CalendarSpec] = {"default": CalendarSpec()}
    default_ladder: str | None = None
    ladder_by_priority: dict[Literal["low", "normal", "high", "urgent"], str] = {}
    receipt_limit_per_hour: int = Field(3, ge=0)
    # Mail older than this when it is filed (an imported archive, a first sync) gets no
    # automatic receipt: the dealer wrote long ago, and a person answers it.
    receipt_max_age_hours: float = Field(6, gt=0)


class StepSpec(_Strict):
    id: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    at: str | None = None
    after_ack: str | None = None
    to: list[str] = Field(min_length=1)
    template: str = "escalation"

    @field_validator("at", "after_ack")
    @classmethod
    def _offset(cls, v):
        if v is not None:
            parse_offset(v)
        return v

    def model_post_init(self, _ctx) -> None:
        if (self.at is None) == (self.after_ack is None):
            raise ValueError("a step needs exactly one of `at` (from the deadline) or `after_ack`")


@dataclass(frozen=True)
class Step:
    id: str
    at: timedelta | None
    after_ack: timedelta | None
    to: tuple[str, ...]
    template: str


@dataclass(frozen=True)
class Policy:
    calendars: dict[str, Calendar] = field(default_factory=lambda: {"default": Calendar()})
    roles: dict[str, tuple[str, ...]] = field(default_factory=dict)
    ladders: dict[str, tuple[Step, ...]] = field(default_factory=dict)
    category_ladder: dict[str, str] = field(default_factory=dict)
    category_clock: dict[str, str] = field(default_factory=dict)
    default_clock: str = "calendar"
    default_ladder: str | None = None
    priority_ladder: dict[str, str] = field(default_factory=dict)
    receipts: frozenset[str] = frozenset()
    receipt_acknowledges: frozenset[str] = frozenset()
    receipt_limit_per_hour: int = 3
    receipt_max_age: timedelta = timedelta(hours=6)

    # -- deadlines --------------------------------------------------------------------

    def calendar(self, area: str | None, category: str) -> Calendar:
        cal = self.calendars.get(area or "") or self.calendars.get("default") or Calendar()
        clock = self.category_clock.get(category, self.default_clock)
        if (clock == "business") != cal.business_hours:
            cal = Calendar(cal.timezone, clock == "business", cal.days, cal.opens, cal.closes, cal.holidays)
        return cal

    def ack_due(self, received: datetime, sla_hours: float, area: str | None, category: str) -> datetime:
        return self.calendar(area, category).add_hours(received, sla_hours)

    # -- ladders ----------------------------------------------------------------------

    def ladder(self, category: str, priority: str) -> tuple[Step, ...]:
        name = self.priority_ladder.get(priority) or self.category_ladder.get(category) or self.default_ladder
        return self.ladders.get(name, ()) if name else ()

    def next_step(self, *, category: str, priority: str, status: str, ack_due_at: datetime | None,
                  acknowledged_at: datetime | None, after: str | None = None) -> tuple[Step, datetime] | None:
        """The next step for a case in this state, after the step ``after`` (if any)."""
        steps = self.ladder(category, priority)
        start = 0
        if after is not None:
            ids = [s.id for s in steps]
            start = ids.index(after) + 1 if after in ids else len(steps)
        for step in steps[start:]:
            if status == CaseStatus.OPEN and step.at is not None and ack_due_at is not None:
                return step, ack_due_at + step.at
            if status == CaseStatus.ACKNOWLEDGED and step.after_ack is not None and acknowledged_at is not None:
                return step, acknowledged_at + step.after_ack
        return None

    def recipients(self, step: Step, owner: str) -> list[str]:
        out: list[str] = []
        for who in step.to:
            if who == "owner":
                out += [owner] if owner else list(self.roles.get("owner_fallback", ()))
            elif "@" in who:
                out.append(who)
            else:
                out += list(self.roles.get(who, ()))
        return sorted(set(a.strip().lower() for a in out if a))


def compile_policy(doc, sla: SlaSpec, roles: dict[str, list[str]], ladders: dict[str, list[StepSpec]],
                   categories: dict, problems: list) -> Policy:
    """Check references between the sections (with line numbers) and build the Policy."""
    calendars = {}
    for name, c in sla.calendars.items():
        opens, closes = parse_hours(c.hours)
        calendars[name] = Calendar(c.timezone, sla.clock == "business", frozenset(DAY_NAMES.index(d) for d in c.days),
                                   opens, closes, c.holidays)
    compiled: dict[str, tuple[Step, ...]] = {}
    for name, steps in ladders.items():
        seen = set()
        out = []
        for i, s in enumerate(steps):
            if s.id in seen:
                problems.append(doc.problem(("ladders", name, i, "id"), f"duplicate step id {s.id!r}"))
            seen.add(s.id)
            for j, who in enumerate(s.to):
                if who != "owner" and "@" not in who and who not in roles:
                    problems.append(doc.problem(("ladders", name, i, "to", j),
                                                f"unknown role {who!r}; define it under `roles:` or give an address"))
            out.append(Step(s.id, parse_offset(s.at) if s.at else None,
                            parse_offset(s.after_ack) if s.after_ack else None, tuple(s.to), s.template))
        compiled[name] = tuple(out)
    for path, name in ([(("sla", "default_ladder"), sla.default_ladder)] +
                       [(("sla", "ladder_by_priority", p), n) for p, n in sla.ladder_by_priority.items()] +
                       [(("categories", c, "ladder"), cs.ladder) for c, cs in categories.items()]):
        if name and name not in compiled:
            problems.append(doc.problem(path, f"unknown ladder {name!r}; define it under `ladders:`"))
    return Policy(
        calendars=calendars,
        roles={k: tuple(v) for k, v in roles.items()},
        ladders=compiled,
        category_ladder={c: cs.ladder for c, cs in categories.items() if cs.ladder},
        category_clock={c: cs.clock for c, cs in categories.items() if cs.clock},
        default_clock=sla.clock,
        default_ladder=sla.default_ladder,
        priority_ladder=dict(sla.ladder_by_priority),
        receipts=frozenset(c for c, cs in categories.items() if cs.receipt),
        receipt_acknowledges=frozenset(c for c, cs in categories.items() if cs.receipt_acknowledges),
        receipt_limit_per_hour=sla.receipt_limit_per_hour,
        receipt_max_age=timedelta(hours=sla.receipt_max_age_hours),
    )
