"""What only this process can know, kept for ``/metrics`` and ``/healthz``: failed polls,
and when each folder source was last read (a folder keeps no position in the database).

Everything else the desk reports is read from the database, so it is the same whichever
daemon answers.
"""

from __future__ import annotations

import threading
from collections import Counter
from datetime import datetime

_lock = threading.Lock()
_poll_errors: Counter[str] = Counter()
_polled: dict[str, datetime] = {}


def poll_failed(source: str) -> None:
    with _lock:
        _poll_errors[source] += 1


def poll_errors() -> dict[str, int]:
    with _lock:
        return dict(_poll_errors)


def polled(source: str, at: datetime) -> None:
    with _lock:
        _polled[source] = at


def last_polls() -> dict[str, datetime]:
    with _lock:
        return dict(_polled)
