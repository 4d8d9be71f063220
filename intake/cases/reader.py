"""Reading cases from the embedded SQLite database with the standard library alone.

`intake cases list` and `intake cases show` are what a coordinator types most, and importing
SQLAlchemy takes longer than answering them does. So for an SQLite site these two read-only
questions are answered here, from the database file opened read-only, with the same
answers as ``cases.queries`` gives through SQLAlchemy (the tests compare the two on one
database, filter by filter). Everything that writes, and every PostgreSQL site, goes
through SQLAlchemy.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from intake.cases.filters import CaseFilter
from intake.errors import DatabaseError
from intake.vocab import CaseStatus

# How SQLAlchemy writes a datetime into SQLite (``store.types.UTCDateTime``: UTC, no zone).
_STORED = "%Y-%m-%d %H:%M:%S.%f"


def sqlite_file(url: str) -> Path | None:
    """The database file of a plain ``sqlite:///PATH`` URL; None for anything else (another
    database, an in-memory one, options this reader would not honour)."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url:
        return None
    path = url[len(prefix):]
    return Path(path) if path and path != ":memory:" else None


def connect(path: Path) -> sqlite3.Connection:
    """The database opened read-only; a one-line ``DatabaseError`` when it cannot be read
    or has no intake tables."""
    missing = DatabaseError(f"database sqlite:///{path} has no intake tables yet; run `intake db upgrade` or "
                            "`intake run`")
    if not path.exists():
        raise missing
    try:
        conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)
        ready = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'items'").fetchone()
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot open database sqlite:///{path}: {exc}") from None
    if not ready:
        conn.close()
        raise missing
    return conn


@dataclass(frozen=True)
class DealerRow:
    key: str


@dataclass
class ItemRow:
    id: int
    channel: str
    direction: str
    received_at: datetime
    sender: str | None
    subject: str | None
    category: str | None
    language: str | None
    malformed: bool
    decision: dict | None
    raw: bytes


@dataclass
class CaseRow:
    """A case with the fields people are shown, named as on ``store.models.Case``."""

    id: int
    reference: str
    status: str
    category: str
    actionable: bool
    priority: str
    channel: str
    possible_new_dealer: bool
    sender: str
    subject: str
    owner: str
    language: str
    opened_at: datetime
    ack_due_at: datetime | None
    acknowledged_at: datetime | None
    closed_at: datetime | None
    needs_review: bool
    dealer: DealerRow | None
    items: list[ItemRow] = field(default_factory=list)


@dataclass(frozen=True)
class EventRow:
    at: datetime
    actor: str
    kind: str
    detail: dict | None


_CASE_COLUMNS = ("c.id, c.reference, c.status, c.category, c.actionable, c.priority, c.channel, "
                 "c.possible_new_dealer, c.sender, c.subject, c.owner, c.language, c.opened_at, c.ack_due_at, "
                 "c.acknowledged_at, c.closed_at, c.needs_review, d.key")
_FROM = "FROM cases AS c LEFT JOIN dealers AS d ON d.id = c.dealer_id"


def _when(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value).replace(tzinfo=UTC)


def _stored(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(_STORED)


def _case(row) -> CaseRow:
    (id_, reference, status, category, actionable, priority, channel, new_dealer, sender, subject, owner,
     language, opened, due, acked, closed, review, dealer_key) = row
    return CaseRow(id_, reference, status, category, bool(actionable), priority, channel, bool(new_dealer), sender,
                   subject, owner, language, _when(opened), _when(due), _when(acked), _when(closed), bool(review),
                   DealerRow(dealer_key) if dealer_key is not None else None)


def _where(f: CaseFilter, now: datetime) -> tuple[str, list]:
    """The filter as SQL, as ``cases.queries`` builds it."""
    parts, args = [], []
    if f.open_only or f.overdue:
        parts.append("c.status = ?")
        args.append(str(CaseStatus.OPEN))
    if f.overdue:
        parts.append("c.ack_due_at <= ?")
        args.append(_stored(now))
    if f.category:
        parts.append("c.category = ?")
        args.append(f.category)
    if f.review:  # open and unsure, or read as asking nothing and closed at once (``queries._unsure``)
        parts.append("c.needs_review = 1 AND (c.status = ? OR c.actionable = 0)")
        args.append(str(CaseStatus.OPEN))
    if f.reference_key is not None:
        parts.append("c.id IN (SELECT r.case_id FROM item_refs AS r WHERE r.key = ?)")
        args.append(f.reference_key)
    return (" WHERE " + " AND ".join(parts) if parts else ""), args


def list_cases(conn: sqlite3.Connection, f: CaseFilter, now: datetime) -> list[CaseRow]:
    where, args = _where(f, now)
    order = "c.opened_at, c.id" if f.review else "c.id DESC"
    rows = conn.execute(f"SELECT {_CASE_COLUMNS} {_FROM}{where} ORDER BY {order} LIMIT ?", (*args, f.limit))
    return [_case(r) for r in rows]


def count_cases(conn: sqlite3.Connection, f: CaseFilter, now: datetime) -> int:
    where, args = _where(f, now)
    return conn.execute(f"SELECT count(*) FROM cases AS c{where}", args).fetchone()[0]


def count_by_status(conn: sqlite3.Connection) -> dict[str, int]:
    return dict(conn.execute("SELECT status, count(*) FROM cases GROUP BY status").fetchall())


def case_with_history(conn: sqlite3.Connection, ref: str) -> tuple[CaseRow, list[EventRow]] | None:
    """A case by id or reference, with its items, and its events in order."""
    ref = ref.strip()
    if ref.isdigit():
        if int(ref) >= 1 << 63:
            return None
        row = conn.execute(f"SELECT {_CASE_COLUMNS} {_FROM} WHERE c.id = ?", (int(ref),)).fetchone()
    else:
        row = conn.execute(f"SELECT {_CASE_COLUMNS} {_FROM} WHERE c.reference = ?", (ref.upper(),)).fetchone()
    if row is None:
        return None
    case = _case(row)
    case.items = [
        ItemRow(id_, channel, direction, _when(received), sender, subject, category, language, bool(malformed),
                json.loads(decision) if decision is not None else None, raw)
        for id_, channel, direction, received, sender, subject, category, language, malformed, decision, raw
        in conn.execute("SELECT id, channel, direction, received_at, sender, subject, category, language, "
                        "malformed, decision, raw FROM items WHERE case_id = ? ORDER BY id", (case.id,))]
    events = [EventRow(_when(at), actor, kind, json.loads(detail) if detail is not None else None)
              for at, actor, kind, detail in conn.execute(
                  "SELECT at, actor, kind, detail FROM events WHERE case_id = ? ORDER BY id", (case.id,))]
    return case, events
