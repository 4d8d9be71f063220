"""Counts that only this process can know (poll failures), kept for ``/metrics``.

Everything else the desk reports is read from the database at each scrape, so it is the
same whichever daemon answers; a failed poll leaves no row, so it is counted here.
"""

from __future__ import annotations

import threading
from collections import Counter

_lock = threading.Lock()
_poll_errors: Counter[str] = Counter()


def poll_failed(source: str) -> None:
    with _lock:
        _poll_errors[source] += 1


def poll_errors() -> dict[str, int]:
    with _lock:
        return dict(_poll_errors)
