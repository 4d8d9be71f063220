"""The SLA clock: calendar and working hours, weekends, bank holidays, timezones."""

from datetime import UTC, datetime, timedelta

import pytest

from intake.cases.sla import Calendar, parse_hours, parse_offset

LONDON_BUSINESS = Calendar("Europe/London", business_hours=True, holidays="GB-ENG")


def utc(*a) -> datetime:
    return datetime(*a, tzinfo=UTC)


def test_calendar_hours_are_plain_hours():
    assert Calendar().add_hours(utc(2026, 11, 27, 18, 0), 24) == utc(2026, 11, 28, 18, 0)


def test_friday_evening_order_is_due_monday_after_24_working_hours():
    # Friday 27 Nov 2026, 18:00 London (after closing): 24 working hours of 8.5 a day.
    # Mon 8.5 + Tue 8.5 = 17, Wed needs 7 more: 08:30 + 7h = 15:30 London (GMT = UTC).
    assert LONDON_BUSINESS.add_hours(utc(2026, 11, 27, 18, 0), 24) == utc(2026, 12, 2, 15, 30)


def test_friday_afternoon_counts_its_remaining_hours():
    # Friday 16:00: one hour left that day, then Monday 08:30 + 3h.
    assert LONDON_BUSINESS.add_hours(utc(2026, 11, 27, 16, 0), 4) == utc(2026, 11, 30, 11, 30)


def test_bank_holiday_is_skipped():
    # Thursday 24 Dec 2026 16:00: 1 hour that day; 25, 26 (Sat), 27 (Sun) and 28 (Boxing Day
    # observed) are not working days; Tuesday 29 Dec 08:30 + 3h = 11:30.
    assert LONDON_BUSINESS.add_hours(utc(2026, 12, 24, 16, 0), 4) == utc(2026, 12, 29, 11, 30)


def test_summer_time_uses_local_opening_hours():
    # Monday 6 July 2026 (BST = UTC+1): opens 08:30 local = 07:30 UTC; 2 hours from before opening.
    assert LONDON_BUSINESS.add_hours(utc(2026, 7, 6, 5, 0), 2) == utc(2026, 7, 6, 9, 30)


def test_another_country_has_other_holidays():
    germany = Calendar("Europe/Berlin", business_hours=True, holidays="DE", opens=parse_hours("08:00-16:00")[0],
                       closes=parse_hours("08:00-16:00")[1])
    # 3 Oct 2026 is a Saturday; 1 Oct Thursday -> take German Unity Day-free week: start Wed 30 Sep 15:00 CEST.
    start = datetime(2026, 9, 30, 13, 0, tzinfo=UTC)  # 15:00 Berlin
    assert germany.add_hours(start, 2) == datetime(2026, 10, 1, 7, 0, tzinfo=UTC)  # Thu 09:00 Berlin


def test_offsets_and_hours_parse_or_refuse():
    assert parse_offset("-4h") == -timedelta(hours=4)
    assert parse_offset("7d") == timedelta(days=7)
    assert parse_offset("30m") == timedelta(minutes=30)
    with pytest.raises(ValueError):
        parse_offset("soon")
    with pytest.raises(ValueError):
        parse_hours("17:00-08:00")
