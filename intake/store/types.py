"""Column types that keep what the database is given within what every backend can hold.

Everything in a derived column comes from dealer mail, and mail can carry anything: a NUL
in a Message-ID or a subject (PostgreSQL refuses NUL in text and fails the whole
statement, so one message would block its batch), a path or a header longer than its
column. The raw bytes are kept verbatim in ``items.raw``; these types make the derived
text safe on the way in, for inserts and lookups alike, so a value is found again by the
same text it was stored under.
"""

from __future__ import annotations

import hashlib
from datetime import UTC

from sqlalchemy import DateTime, String, Text
from sqlalchemy.types import TypeDecorator

REPLACEMENT = "\ufffd"


def clean(value: str) -> str:
    """``value`` with NUL and unpaired surrogates replaced, so any database and UTF-8 take it."""
    if "\x00" in value:
        value = value.replace("\x00", REPLACEMENT)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = value.encode("utf-8", "replace").decode("utf-8")
    return value


def bounded(value: str, length: int) -> str:
    """``value`` cut to ``length`` characters, ending in a digest of the whole when cut, so
    two long values that share their first ``length`` characters stay distinct (short
    columns hold codes, which are simply cut)."""
    if len(value) <= length:
        return value
    if length < 64:
        return value[:length]
    digest = hashlib.sha256(value.encode("utf-8")).hexdigest()[:32]
    return f"{value[: length - 34]}…~{digest}"


class Str(TypeDecorator):
    """A bounded string column: cleaned, and cut with a digest when too long."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        value = clean(str(value))
        return bounded(value, self.impl.length) if self.impl.length else value


class LongText(TypeDecorator):
    """An unbounded text column (subjects, errors): cleaned, and kept to 10,000 characters,
    enough for any subject a person writes and any error worth reading."""

    impl = Text
    cache_ok = True
    LIMIT = 10_000

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        value = clean(str(value))
        return value if len(value) <= self.LIMIT else value[: self.LIMIT - 1] + "…"


class UTCDateTime(TypeDecorator):
    """Datetimes stored as UTC and always read back timezone-aware.

    SQLite keeps no zone; without this a value written aware comes back naive and
    comparisons with ``now`` fail or, worse, silently shift by the local offset.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; pass an aware UTC datetime")
        return value.astimezone(UTC).replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


