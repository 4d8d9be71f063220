"""Source and parser: telephone calls, from a phone system's call-record CSV export.

A call is stored like an email: one item, its raw record kept as canonical JSON, unique by
its call id (re-importing a file stores nothing again). Parsing turns the record into the
same ``ParsedMessage`` the rules engine reads for mail: the caller's number (E.164) stands
in for the sender, the voicemail transcript or call note for the body, and ``channel``,
``call_status`` and ``call_duration`` are there for rules. Outbound calls are the
coordinator's call-backs: they are stored as outgoing and acknowledge the caller's cases.

The default CSV header is
``call_sid,direction,from_number,to_number,start_time,duration_seconds,status,transcript``;
other exports (Asterisk CDR, ...) are read through a column mapping in intake.yaml.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from intake.errors import IntakeError
from intake.message import ParsedMessage, RawItem
from intake.understand.dealers import normalize_phone

FIELDS = ("call_sid", "direction", "from_number", "to_number", "start_time", "duration_seconds", "status",
          "transcript")
MISSED = {"no-answer", "busy", "failed", "canceled", "missed", "voicemail", "noanswer", "no answer"}
# How phone systems write a caller who withheld the number (Twilio's is +266696687, "ANONYMOUS").
WITHHELD = {"anonymous", "restricted", "unavailable", "unknown", "private", "withheld", "blocked",
            "+266696687", "266696687"}


def is_withheld(number: str) -> bool:
    return number.strip().lower() in WITHHELD


@dataclass(frozen=True)
class CallRecord:
    call_sid: str
    direction: str  # inbound or outbound
    from_number: str
    to_number: str
    start_time: datetime
    duration_seconds: int
    status: str
    transcript: str = ""

    def to_raw(self) -> bytes:
        d = asdict(self)
        d["start_time"] = self.start_time.astimezone(UTC).isoformat()
        return json.dumps(d, sort_keys=True, ensure_ascii=False).encode()

    @classmethod
    def from_raw(cls, raw: bytes) -> CallRecord:
        d = json.loads(raw)
        d["start_time"] = datetime.fromisoformat(d["start_time"])
        return cls(**d)

    def to_item(self, source: str) -> RawItem:
        return RawItem(self.to_raw(), "call", source, self.call_sid, self.start_time.astimezone(UTC),
                       "out" if self.direction.startswith("out") else "in")

    @property
    def caller(self) -> str:
        """The dealer's side of the call."""
        return self.to_number if self.direction.startswith("out") else self.from_number


def call_hash(raw: bytes) -> str:
    """A call's identity is its id: a later export of the same call is the same item."""
    return hashlib.sha256(b"call:" + json.loads(raw)["call_sid"].encode()).hexdigest()


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


def parse_call(raw: bytes) -> ParsedMessage:
    """A stored call record as the rules engine sees it."""
    rec = CallRecord.from_raw(raw)
    from intake.understand.language import guess_language
    from intake.understand.rules.conditions import prepare

    text = rec.transcript
    withheld = is_withheld(rec.caller)
    return prepare(ParsedMessage(
        channel="call",
        message_id=rec.call_sid,
        from_addr="" if withheld else rec.caller,
        from_name="number withheld" if withheld else "",
        to=[rec.from_number if rec.direction == "outbound" else rec.to_number],
        # A neutral subject: it is shown on the case, and must not look like words to rules.
        subject="Telephone, number withheld" if withheld else f"Telephone {rec.caller}",
        date=rec.start_time,
        text=text,
        new_text=text,
        language=guess_language(text) if text else "",
        content_type="call",
        headers={"x-call-direction": [rec.direction]},
        call_status=rec.status,
        call_duration=rec.duration_seconds,
        no_auto_reply="a telephone call",
    ))
