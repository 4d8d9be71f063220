"""Log lines: plain ``key=value`` lines for a person, or JSON lines for a log collector.

Callers pass structured fields with ``extra={"fields": {...}}``; both formats keep them.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

MAX_TEXT = 8_000


def bounded(text: str, limit: int = MAX_TEXT) -> str:
    """A message or traceback cut in the middle when huge: a failed statement carries the
    SQL of every row in its batch, and one log line must not hold megabytes of it."""
    if len(text) <= limit:
        return text
    half = limit // 2
    return f"{text[:half]} … [{len(text) - 2 * half:,} characters left out] … {text[-half:]}"


class PlainFormatter(logging.Formatter):
    def formatException(self, ei) -> str:
        return bounded(super().formatException(ei))

    def format(self, record: logging.LogRecord) -> str:
        ts = datetime.fromtimestamp(record.created, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        fields = getattr(record, "fields", None) or {}
        extra = "".join(f" {k}={_plain(v)}" for k, v in fields.items())
        line = f"{ts} {record.levelname:<7} {record.name}: {bounded(record.getMessage())}{extra}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class JsonFormatter(logging.Formatter):
    def formatException(self, ei) -> str:
        return bounded(super().formatException(ei))

    def format(self, record: logging.LogRecord) -> str:
        out = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": bounded(record.getMessage()),
            **(getattr(record, "fields", None) or {}),
        }
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, default=str, ensure_ascii=False)


def _plain(v) -> str:
    s = str(v)
    return json.dumps(s, ensure_ascii=False) if (" " in s or "=" in s or not s) else s


def setup(fmt: str = "plain", level: str = "INFO", stream=None) -> None:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else PlainFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("alembic").setLevel(max(logging.WARNING, root.level))
    # The daemon logs skipped and missed runs itself, in its own words.
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
