"""Reading a stored item for a person: what the dealer newly wrote and the whole text.

Showing a message needs neither the language model nor the rules' word forms, so the
case page and ``cases show`` read the bytes without them.
"""

from __future__ import annotations

from collections.abc import Callable

from intake.message import ParsedMessage
from intake.understand.call import read_call
from intake.understand.parse import read_email

READERS: dict[str, Callable[[bytes], ParsedMessage]] = {"email": read_email, "call": read_call}


def read(raw: bytes, channel: str) -> ParsedMessage | None:
    """The item as a message, or None where it cannot be read at all (it is then shown by
    its stored headers)."""
    reader = READERS.get(channel)
    try:
        return reader(raw) if reader else None
    except Exception:
        return None
