"""Source: telephone calls, from a phone system's call-record CSV export.

A call is stored like an email: one item, its raw record kept as canonical JSON, unique by
its call id (re-importing a file stores nothing again); ``understand/call.py`` reads it.
Outbound calls are the coordinator's call-backs: they are stored as outgoing and
acknowledge the caller's cases.

The default CSV header is
``call_sid,direction,from_number,to_number,start_time,duration_seconds,status,transcript``;
other exports (Asterisk CDR, ...) are read through a column mapping in intake.yaml.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from intake.config import CallsCsvSpec
from intake.errors import IntakeError
from intake.message import CallRecord, is_withheld
from intake.phones import normalize_phone

FIELDS = ("call_sid", "direction", "from_number", "to_number", "start_time", "duration_seconds", "status",
          "transcript")

class BadRow(IntakeError):
    def __init__(self, line: int, message: str):
        self.line, self.message = line, message
        super().__init__(f"line {line}: {message}")


@dataclass
class CsvFormat:
    """How to read an export: which column holds each field, and the time format."""

    columns: dict[str, str]  # field -> column name in the file
    time_format: str | None = None  # strptime format; None: ISO 8601
    timezone: str = "Europe/London"  # for times written without an offset
    default_region: str = "GB"  # for numbers written without a country code
    direction_values: dict[str, str] | None = None  # e.g. {"in": "inbound"}
    status_values: dict[str, str] | None = None  # e.g. {"NO ANSWER": "no-answer"}

    @classmethod
    def default(cls) -> CsvFormat:
        return cls({f: f for f in FIELDS})


def read_csv(path: Path, fmt: CsvFormat | None = None) -> Iterator[CallRecord | BadRow]:
    """Each row as a CallRecord, or a BadRow saying what is wrong with it (never raises for a row)."""
    fmt = fmt or CsvFormat.default()
    with path.open(newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        missing = [c for field, c in fmt.columns.items()
                   if field in ("call_sid", "from_number", "start_time") and c not in (reader.fieldnames or [])]
        if missing:
            raise BadRow(1, f"missing column(s): {', '.join(missing)}")
        for row in reader:
            line = reader.line_num
            try:
                yield _record(row, fmt, line)
            except BadRow as exc:
                yield exc


def _record(row: dict, fmt: CsvFormat, line: int) -> CallRecord:
    def get(field: str) -> str:
        col = fmt.columns.get(field)
        return (row.get(col) or "").strip() if col else ""

    sid = get("call_sid")
    if not sid:
        raise BadRow(line, "no call id")
    direction = get("direction").lower() or "inbound"
    direction = (fmt.direction_values or {}).get(direction, direction)
    if direction not in ("inbound", "outbound", "outbound-api", "outbound-dial"):
        raise BadRow(line, f"direction {direction!r} is neither inbound nor outbound")
    raw_time = get("start_time")
    try:
        if fmt.time_format:
            start = datetime.strptime(raw_time, fmt.time_format)
        else:
            start = datetime.fromisoformat(raw_time.replace("Z", "+00:00"))
    except ValueError:
        raise BadRow(line, f"start time {raw_time!r} is not a date and time") from None
    if start.tzinfo is None:
        start = start.replace(tzinfo=ZoneInfo(fmt.timezone))
    duration_text = get("duration_seconds") or "0"
    try:
        duration = int(float(duration_text))
    except ValueError:
        raise BadRow(line, f"duration {duration_text!r} is not a number of seconds") from None
    outbound = direction.startswith("outbound")
    dealer_field = "to_number" if outbound else "from_number"
    numbers = []
    for field in ("from_number", "to_number"):
        written = get(field)
        if field == dealer_field and (is_withheld(written) or not written) and not outbound:
            # A caller who withheld the number still called: kept, with an unknown caller.
            numbers.append(written.lower() or "withheld")
            continue
        e164 = normalize_phone(written, fmt.default_region) if written else ""
        if e164 is None:
            if field == dealer_field:  # the office's side may be an extension ("2000"); the dealer's may not
                raise BadRow(line, f"{field} {written!r} is not a phone number")
            e164 = written
        numbers.append(e164 or "")
    if not numbers[0 if not outbound else 1]:
        raise BadRow(line, f"no {dealer_field}")
    status = get("status").lower()
    status = (fmt.status_values or {}).get(status, status) or "completed"
    return CallRecord(sid, "outbound" if outbound else "inbound", numbers[0], numbers[1],
                      start.astimezone(UTC), duration, status, get("transcript"))


def csv_format(spec: CallsCsvSpec | None) -> CsvFormat:
    """The format an ``intake.yaml`` ``calls_csv:`` section describes (the default without one)."""
    if spec is None:
        return CsvFormat.default()
    columns = {f: f for f in FIELDS}
    columns.update(spec.columns)
    return CsvFormat(columns, spec.time_format, spec.timezone, spec.default_region,
                     {k.lower(): v for k, v in spec.direction_values.items()} or None,
                     {k.lower(): v for k, v in spec.status_values.items()} or None)
