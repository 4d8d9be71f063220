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

import codecs
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
    encoding: str | None = None  # as declared in intake.yaml; a byte-order mark overrides it
    delimiter: str | None = None  # None: comma, or what the header line uses

    @classmethod
    def default(cls) -> CsvFormat:
        return cls({f: f for f in FIELDS})


MAX_FIELD = 128 * 1024  # a transcript longer than this is a broken row, not a call note
MAX_DURATION = 7 * 24 * 3600
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def encoding_of(path: Path, declared: str | None = None) -> str:
    """How the export is written: a byte-order mark says for sure (Excel writes UTF-16 with
    one); else the encoding declared in intake.yaml; else UTF-8 if it decodes, else
    Windows-1252, the usual export of a Windows phone system (it decodes any bytes)."""
    with path.open("rb") as f:
        head = f.read(4)
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    if declared:
        return declared
    try:
        with path.open(encoding="utf-8") as f:
            while f.read(1 << 20):
                pass
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


def read_csv(path: Path, fmt: CsvFormat | None = None) -> Iterator[CallRecord | BadRow]:
    """Each row as a CallRecord, or a BadRow saying what is wrong with it (never raises for
    a row: a bad one is reported by its line and the rest are read)."""
    fmt = fmt or CsvFormat.default()
    encoding = encoding_of(path, fmt.encoding)
    with path.open(newline="", encoding=encoding, errors="replace") as f:
        reader = csv.reader(f, delimiter=fmt.delimiter or _sniff_delimiter(f))
        try:
            header = next(reader, [])
        except csv.Error as exc:
            raise BadRow(1, f"cannot read the header: {exc}") from None
        header = [h.strip() for h in header]
        missing = [c for field, c in fmt.columns.items()
                   if field in ("call_sid", "from_number", "start_time") and c not in header]
        if missing:
            raise BadRow(1, f"missing column(s): {', '.join(missing)} (encoding read as {encoding})")
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield BadRow(reader.line_num, f"unreadable row: {exc}")
                continue
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            try:
                yield _record(dict(zip(header, values, strict=False)), fmt, line)
            except BadRow as exc:
                yield exc


def _sniff_delimiter(f) -> str:
    """Comma unless the header line clearly uses semicolons or tabs (European Excel)."""
    pos = f.tell()
    first = f.readline()
    f.seek(pos)
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


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
    except (ValueError, OverflowError):
        raise BadRow(line, f"start time {raw_time!r} is not a date and time") from None
    if start.tzinfo is None:
        start = start.replace(tzinfo=ZoneInfo(fmt.timezone))
    try:
        start = start.astimezone(UTC)
    except (ValueError, OverflowError):
        raise BadRow(line, f"start time {raw_time!r} is out of range") from None
    duration_text = get("duration_seconds") or "0"
    try:
        seconds = float(duration_text)
    except ValueError:
        raise BadRow(line, f"duration {duration_text[:40]!r} is not a number of seconds") from None
    if not 0 <= seconds <= MAX_DURATION:  # also NaN and inf
        raise BadRow(line, f"duration {duration_text[:40]!r} is not a call's length in seconds")
    duration = int(seconds)
    for name, value in row.items():
        if value is not None and len(value) > MAX_FIELD:
            raise BadRow(line, f"column {name!r} is {len(value) // 1024} KB, more than a call record holds")
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
                      start, duration, status, get("transcript"))


def csv_format(spec: CallsCsvSpec | None) -> CsvFormat:
    """The format an ``intake.yaml`` ``calls_csv:`` section describes (the default without one)."""
    if spec is None:
        return CsvFormat.default()
    columns = {f: f for f in FIELDS}
    columns.update(spec.columns)
    return CsvFormat(columns, spec.time_format, spec.timezone, spec.default_region,
                     {k.lower(): v for k, v in spec.direction_values.items()} or None,
                     {k.lower(): v for k, v in spec.status_values.items()} or None,
                     spec.encoding)
