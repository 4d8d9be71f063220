"""When the managers' digest is due: ``reports:`` in rules.yaml, validated at load.

    reports:
      digest: {every: monday 08:00, timezone: Europe/London, to: [team_leader, supervisor, sales_manager]}

``every`` is a weekday and a time (or ``day 1 08:00`` for the first of each month); the
digest covers the period that ended then. Recipients are roles from ``roles:`` or addresses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_EVERY = re.compile(r"^(?:(?P<day>[a-z]+)|day (?P<date>[1-9]|1[0-9]|2[0-8])) (?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)$")


class DigestSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    every: str = "monday 08:00"
    timezone: str = "Europe/London"
    to: list[str] = Field(min_length=1)
    quiet_weeks: int = Field(8, ge=1, le=520)

    @field_validator("every")
    @classmethod
    def _every(cls, v: str) -> str:
        v = " ".join(v.lower().split())
        m = _EVERY.match(v)
        if not m or (m["day"] and m["day"] not in DAYS):
            raise ValueError("give a weekday and a time, like `monday 08:00`, or `day 1 08:00` for monthly")
        return v

    @field_validator("timezone")
    @classmethod
    def _zone(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown timezone {v!r}") from None
        return v


class ReportsSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    digest: DigestSpec | None = None


@dataclass(frozen=True)
class DigestPlan:
    every: str
    timezone: str
    to: tuple[str, ...]  # roles or addresses
    quiet_weeks: int = 8

    @property
    def period(self) -> Literal["week", "month"]:
        return "month" if self.every.startswith("day ") else "week"

    def last_due(self, now: datetime) -> tuple[datetime, datetime]:
        """(start, end) of the latest period whose digest was due at or before ``now``."""
        m = _EVERY.match(self.every)
        zone = ZoneInfo(self.timezone)
        local = now.astimezone(zone)
        hour, minute = int(m["h"]), int(m["m"])
        if m["day"]:
            end = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
            end -= timedelta(days=(local.weekday() - DAYS.index(m["day"])) % 7)
            if end > local:
                end -= timedelta(days=7)
            start = end - timedelta(days=7)
        else:
            day = int(m["date"])
            end = local.replace(day=day, hour=hour, minute=minute, second=0, microsecond=0)
            if end > local:
                end = _months_back(end, 1)
            start = _months_back(end, 1)
        return start.astimezone(now.tzinfo), end.astimezone(now.tzinfo)

    def recipients(self, roles: dict[str, tuple[str, ...]]) -> list[str]:
        out: list[str] = []
        for who in self.to:
            for addr in ([who] if "@" in who else roles.get(who, ())):
                if addr not in out:
                    out.append(addr)
        return out


def _months_back(dt: datetime, n: int) -> datetime:
    month = dt.month - n
    year = dt.year + (month - 1) // 12
    return dt.replace(year=year, month=(month - 1) % 12 + 1)


def compile_reports(doc, spec: ReportsSpec, roles: dict[str, list[str]], problems: list) -> DigestPlan | None:
    if spec.digest is None:
        return None
    for i, who in enumerate(spec.digest.to):
        if "@" not in who and who not in roles:
            problems.append(doc.problem(("reports", "digest", "to", i),
                                        f"unknown role {who!r}; define it under `roles:` or give an address"))
    d = spec.digest
    return DigestPlan(d.every, d.timezone, tuple(d.to), d.quiet_weeks)
