"""Stage 1: make received bytes durable, once.

A source's job ends here: each ``RawItem`` is committed with its unique identity
(Message-ID plus content hash). Inserting an item that is already stored does nothing, so
any source may repeat work after a crash or an overlap without creating a duplicate.
Items and the source entries they came from are committed in the same transaction, in
batches, because one transaction per message costs ~9x in SQLite.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from intake.message import RawItem, call_hash, content_hash
from intake.store.db import in_list, insert_ignoring_duplicates
from intake.store.models import Item, PollState, SourceRef
from intake.store.types import bounded, clean
from intake.vocab import Channel

log = logging.getLogger(__name__)

_HEADER_END = re.compile(rb"\r?\n\r?\n")
_FOLDED = rb"(.*(?:\r?\n[ \t].*)*)"  # a header's value with its continuation lines
_MESSAGE_ID = re.compile(rb"^message-id:[ \t]*" + _FOLDED, re.IGNORECASE | re.MULTILINE)
_RECEIVED = re.compile(rb"^received:" + _FOLDED, re.IGNORECASE | re.MULTILINE)
_DATE = re.compile(rb"^date:" + _FOLDED, re.IGNORECASE | re.MULTILINE)
_MSGID = re.compile(rb"<[^<>\s]+>")
_EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)


def _header_block(raw: bytes) -> bytes:
    end = _HEADER_END.search(raw, 0, 256 * 1024)
    return raw[: end.start()] if end else raw[: 256 * 1024]


def message_id_of(raw: bytes, head: bytes | None = None) -> str:
    """The Message-ID from the header block, without a full parse ('' if none)."""
    found = _MESSAGE_ID.search(_header_block(raw) if head is None else head)
    if not found:
        return ""
    value = found.group(1)
    bracketed = _MSGID.search(value)
    return bounded(clean((bracketed.group(0) if bracketed else value.strip()).decode("utf-8", "replace")), 500)


def arrival_time(raw: bytes, now: datetime, head: bytes | None = None, *,
                 fallback: datetime | None = None) -> datetime:
    """When the message reached us, for a source that cannot say (IMAP).

    The topmost Received header is the one our own mail server added on delivery (each
    server adds its own above the others), so its date is the arrival time; it is the
    same time an IMAP server keeps as INTERNALDATE, and it survives moves, exports and
    re-imports. A message that never passed through a server (the Sent folder, a message
    saved by a mail client) has none and takes its Date header; one with neither takes
    ``fallback`` (a file's modification time). Nothing later than ``now`` is believed: a
    wrong clock must not put a dealer's message in the future.
    """
    head = _header_block(raw) if head is None else head
    when = None
    received = _RECEIVED.search(head)
    if received:
        when = _parse_date(received.group(1).rpartition(b";")[2])
    if when is None:
        date = _DATE.search(head)
        when = _parse_date(date.group(1)) if date else None
    when = when or fallback
    return now if when is None or when > now else when


def _parse_date(value: bytes) -> datetime | None:
    try:
        when = parsedate_to_datetime(value.decode("ascii", "replace").strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    return when if when >= _EARLIEST else None


@dataclass
class IngestResult:
    stored: int = 0
    duplicates: int = 0

    def __iadd__(self, other: IngestResult) -> IngestResult:
        self.stored += other.stored
        self.duplicates += other.duplicates
        return self


def store_items(sessions: sessionmaker[Session], items: Iterable[RawItem], now: datetime,
                batch_size: int = 500) -> IngestResult:
    """Store items durably and idempotently, committing every ``batch_size``."""
    result = IngestResult()
    for batch in _batches(items, batch_size):
        with sessions.begin() as session:
            result += store_batch(session, batch, now)
    return result


def store_batch(session: Session, batch: list[RawItem], now: datetime, *, record_refs: bool = True) -> IngestResult:
    """Insert one batch inside the caller's transaction (so the caller may add its position).

    ``record_refs`` remembers each entry's source reference for sources that rescan (local
    folders); a source that keeps a position instead (IMAP UIDs) has no need of it.
    """
    rows = [_row(it, now) for it in batch]
    # Leave out what is already stored (one query), and repeats within the batch, then insert
    # the rest in one statement. ON CONFLICT DO NOTHING still guards against another writer
    # inserting the same message meanwhile; the counts are then off by those, nothing else.
    existing = _existing(session, {(r["message_id"], r["content_hash"]) for r in rows})
    fresh: dict[tuple[str, str], dict] = {}
    for r in rows:
        key = (r["message_id"], r["content_hash"])
        if key not in existing:
            fresh.setdefault(key, r)
    insert_ignoring_duplicates(session, Item.__table__, list(fresh.values()))
    if record_refs:
        refs = [{"source": it.source, "ref": it.source_ref, "item_id": None} for it in batch if it.source_ref]
        insert_ignoring_duplicates(session, SourceRef.__table__, refs)
    return IngestResult(stored=len(fresh), duplicates=len(rows) - len(fresh))


def _row(it: RawItem, now: datetime) -> dict:
    if it.channel == Channel.EMAIL:
        head = _header_block(it.raw)
        message_id, digest = message_id_of(it.raw, head), content_hash(it.raw)
        received_at = it.received_at or arrival_time(it.raw, now, head, fallback=it.file_time)
    else:
        message_id, digest, received_at = it.source_ref or "", call_hash(it.raw), it.received_at or now
    return {"channel": it.channel, "direction": it.direction, "source": it.source, "source_ref": it.source_ref,
            "message_id": message_id, "content_hash": digest, "size": len(it.raw), "raw": it.raw,
            "received_at": received_at, "stored_at": now, "state": "new", "attempts": 0, "next_attempt_at": now}


def _existing(session: Session, keys: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which (Message-ID, content hash) pairs are stored, by index seeks on the unique index."""
    found: set[tuple[str, str]] = set()
    ids = sorted({m for m, _ in keys if m})
    hashes_without_id = sorted({h for m, h in keys if not m})
    for i in range(0, len(ids), 500):
        found.update((m, h) for m, h in session.execute(
            select(Item.message_id, Item.content_hash).where(Item.message_id.in_(in_list(ids[i : i + 500])))))
    for i in range(0, len(hashes_without_id), 500):
        found.update((m, h) for m, h in session.execute(
            select(Item.message_id, Item.content_hash)
            .where(Item.message_id == "", Item.content_hash.in_(in_list(hashes_without_id[i : i + 500])))))
    return found & keys


def known_refs(session: Session, source: str, refs: list[str]) -> set[str]:
    """Which of ``refs`` this source has already stored."""
    found: set[str] = set()
    for i in range(0, len(refs), 500):
        chunk = refs[i : i + 500]
        found.update(session.scalars(select(SourceRef.ref).where(SourceRef.source == source,
                                                                 SourceRef.ref.in_(in_list(chunk)))))
    return found


def _batches(items: Iterable[RawItem], size: int) -> Iterator[list[RawItem]]:
    batch: list[RawItem] = []
    for it in items:
        batch.append(it)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def load_position(session: Session, source: str) -> dict:
    """Where a source has got to (empty for a new source)."""
    row = session.get(PollState, source)
    return dict(row.position) if row else {}


def save_position(session: Session, source: str, position: dict, now: datetime) -> None:
    """Record a source's position in the caller's transaction — the same one that stores
    the items it covers, so the position never runs ahead of what is stored."""
    row = session.get(PollState, source)
    if row is None:
        session.add(PollState(source=source, position=position, updated_at=now))
    else:
        row.position, row.updated_at = position, now
