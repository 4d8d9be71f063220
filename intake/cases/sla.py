"""The SLA clock: when a request must be acknowledged, in calendar or working hours.

"Within 24 hours" means 24 hours by the clock, or 24 working hours on a calendar of
working days, opening hours and public holidays in a timezone (the ``holidays`` library,
per country and region). The due time is worked out once, when a case opens or reopens,
and stored on the case, so finding what is due is one indexed query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Calendar:
    """Working time for one area (UK, export): days, hours, holidays, timezone."""

    timezone: str = "Europe/London"
    business_hours: bool = False  # False: every hour counts
    days: frozenset[int] = frozenset(range(5))  # Monday = 0
    opens: time = time(8, 30)
    closes: time = time(17, 0)
    holidays: str | None = "GB-ENG"  # country, or country-region; None for no holidays

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.days and not _is_holiday(self.holidays, day)

    def add_hours(self, start: datetime, hours: float) -> datetime:
        """The moment ``hours`` of (working) time after ``start``; aware UTC in, aware out."""
        if not self.business_hours:
            return start + timedelta(hours=hours)
        remaining = timedelta(hours=hours)
        local = start.astimezone(self.zone)
        day = local.date()
        for _ in range(3700):  # ten years of days: a calendar with no working day fails loudly
            if self.is_working_day(day):
                opens = datetime.combine(day, self.opens, self.zone)
                closes = datetime.combine(day, self.closes, self.zone)
                begin = max(opens, local) if day == local.date() else opens
                if begin < closes:
                    available = closes - begin
                    if remaining <= available:
                        return (begin + remaining).astimezone(start.tzinfo)
                    remaining -= available
            day += timedelta(days=1)
        raise ValueError("calendar has no working time")


@lru_cache(maxsize=64)
def _holiday_table(spec: str, year: int):
    country, _, region = spec.partition("-")
    import holidays as holidays_lib  # its calendars load only where a deadline needs them

    return holidays_lib.country_holidays(country, subdiv=region or None, years=year)


def _is_holiday(spec: str | None, day: date) -> bool:
    return bool(spec) and day in _holiday_table(spec, day.year)


def parse_hours(text: str) -> tuple[time, time]:
    """'08:30-17:00' -> (08:30, 17:00)."""
    a, sep, b = text.partition("-")
    if not sep:
        raise ValueError("expected opening hours like 08:30-17:00")
    opens, closes = time.fromisoformat(a.strip()), time.fromisoformat(b.strip())
    if closes <= opens:
        raise ValueError("closing time must be after opening time")
    return opens, closes


def parse_offset(text: str) -> timedelta:
    """'-4h', '24h', '7d', '30m' -> a timedelta."""
    t = str(text).strip().lower()
    if not t or t[-1] not in "mhd":
        raise ValueError("expected a duration like 4h, -4h, 30m or 7d")
    n = float(t[:-1])
    return {"m": timedelta(minutes=n), "h": timedelta(hours=n), "d": timedelta(days=n)}[t[-1]]
