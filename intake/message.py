"""The plain data that flows between pipeline stages.

Sources produce ``RawItem``; parsing turns its bytes into a ``ParsedMessage``; the rules
engine reads a ``ParsedMessage`` and returns a decision. Nothing here touches a server or
the database, so every stage in the middle can be tested with values built by hand.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime


@dataclass(frozen=True)
class RawItem:
    """What a source hands to stage 1: the exact bytes and where they came from."""

    raw: bytes
    channel: str  # "email" or "call"
    source: str  # e.g. "maildir:dealers", "drop:inbox", "import"
    source_ref: str | None = None  # stable id inside the source (file name, UID, call SID)
    received_at: datetime | None = None  # None: stage 1 reads it from the headers (see ingest)
    direction: str = "in"  # "out": the coordinator's own sent mail
    file_time: datetime | None = None  # a file's modification time: the arrival time if the message has none

    @property
    def content_hash(self) -> str:
        return content_hash(self.raw)


def content_hash(raw: bytes) -> str:
    """SHA-256 of the message with CRLF line endings.

    The same message fetched over IMAP (CRLF) and read from a Maildir file (LF) must be
    recognised as one, so the hash is taken over the CRLF form whatever the bytes use; the
    stored bytes stay as they came. Mail from IMAP is CRLF already and is hashed uncopied.
    """
    breaks = raw.translate(None, _ALL_BUT_CR_LF)  # only the line breaks: counting them is quicker
    if breaks.count(b"\n") != breaks.count(b"\r\n"):
        raw = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    return hashlib.sha256(raw).hexdigest()


_ALL_BUT_CR_LF = bytes(c for c in range(256) if c not in b"\r\n")


# Addresses that machines send from: never a person, never to be answered automatically.
ROBOT_SENDER = re.compile(r"^(mailer-daemon|postmaster|mail-daemon|no-?reply|do-?not-?reply|donotreply|bounces?|"
                          r"notifications?|auto-?reply|autoresponder)([+._-].*)?@", re.IGNORECASE)


@dataclass(frozen=True)
class Reference:
    """A number a dealer gave: a PO, sales order, quote, claim, invoice or tracking number."""

    kind: str  # po, sales_order, quote, claim, invoice, tracking, container
    value: str  # as written, trimmed
    key: str  # the form it is stored and searched by (see references.search_key)


@dataclass(frozen=True)
class Attachment:
    name: str
    content_type: str
    size: int


@dataclass
class ParsedMessage:
    """One email (or call note) as the rules engine and threading see it."""

    channel: str = "email"
    message_id: str = ""
    in_reply_to: str = ""
    references: list[str] = field(default_factory=list)
    from_addr: str = ""
    from_name: str = ""
    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    subject: str = ""
    date: datetime | None = None
    text: str = ""  # the whole readable body, from text/plain or converted HTML
    new_text: str = ""  # what the sender newly wrote: no quoted history, no signature
    # In a forward, the sender's own words above the forwarded message (which new_text
    # also holds); "" when nothing is forwarded.
    own_text: str = ""
    language: str = ""
    content_type: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    headers: dict[str, list[str]] = field(default_factory=dict)  # lower-cased names
    defects: list[str] = field(default_factory=list)
    malformed: bool = False  # set when the bytes could not be parsed as a message
    # Why no automatic answer may be sent to this message (RFC 3834), or "" if one may.
    no_auto_reply: str = ""
    # Telephone items only.
    call_status: str = ""
    call_direction: str = ""  # inbound or outbound, for calls
    call_duration: int | None = None
    # What depends on the message alone, worked out once when it is parsed (see
    # ``rules.conditions.prepare``), so that deciding, and deciding again after a rules
    # change, repeats none of it: each text field's words stemmed and plain, in
    # ``prepared_language``, and what the detectors found.
    texts: dict[str, str] = field(default_factory=dict, repr=False)  # each prepared field's text
    prepared: dict[str, tuple[str, str]] = field(default_factory=dict, repr=False)
    prepared_language: str = ""
    numbers: list[Reference] | None = None  # order, quote, claim... numbers the sender gave
    order_lines: list[str] | None = None
    detected: dict[str, list[str]] = field(default_factory=dict, repr=False)  # detector -> found

    def header(self, name: str) -> str:
        values = self.headers.get(name.lower())
        return values[0] if values else ""

    @property
    def from_domain(self) -> str:
        return self.from_addr.rpartition("@")[2]


MISSED = {"no-answer", "busy", "failed", "canceled", "missed", "voicemail", "noanswer", "no answer"}
# How phone systems write a caller who withheld the number (Twilio's is +266696687, "ANONYMOUS").
WITHHELD = {"anonymous", "restricted", "unavailable", "unknown", "private", "withheld", "blocked",
            "+266696687", "266696687"}


def is_withheld(number: str) -> bool:
    return number.strip().lower() in WITHHELD


@dataclass(frozen=True)
class CallRecord:
    """A call as a phone system reports it; stored as canonical JSON, unique by its id."""

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


def is_missed(rec: CallRecord) -> bool:
    """An inbound call nobody answered (a voicemail counts: the caller still waits for us)."""
    return rec.direction == "inbound" and (rec.status in MISSED or rec.duration_seconds == 0)


@dataclass
class DealerFacts:
    """What the rules may know about the sender's dealer."""

    key: str
    name: str
    area: str
    country: str
    owner: str = ""
