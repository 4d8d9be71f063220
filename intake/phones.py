"""Telephone numbers in one form (E.164), so a dealer's number matches however it was written."""

from __future__ import annotations

import phonenumbers


def normalize_phone(number: str, country: str = "GB") -> str | None:
    """E.164 form of a phone number written any common way; None if it is not one."""
    try:
        parsed = phonenumbers.parse(number, country.upper())
    except phonenumbers.NumberParseException:
        return None
    # Not is_valid_number: the ranges set aside for examples and drama (01632 960xxx,
    # 07700 900xxx) are real-looking but "invalid". Extensions ("2000") are too short.
    if not phonenumbers.is_possible_number(parsed) or len(str(parsed.national_number)) < 7:
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
