"""Opening the database, bringing its schema up to date, and idempotent inserts.

SQLite is the embedded default: one file in the data directory, in WAL mode with
``synchronous=NORMAL`` (measured here at ~9x the commit rate of the default journal) and a
busy timeout, so the CLI can read while the daemon writes. Any SQLAlchemy URL (PostgreSQL
for several workers) can be given instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine, Table, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from intake.errors import DatabaseError

T = TypeVar("T")

MIGRATIONS = Path(__file__).parent / "migrations"




CHECKPOINT_BYTES = 64 << 20


def make_engine(url: str, *, checkpoint_bytes: int = CHECKPOINT_BYTES) -> Engine:
    """``checkpoint_bytes``: with SQLite, how large the write-ahead log may grow before a
    commit stops to copy it into the database (a connection that writes in bursts may put
    this off, see ``checkpoint``)."""
    try:
        # Parameters are dealer mail: never in an error message or a log line.
        engine = create_engine(url, future=True, pool_pre_ping=not url.startswith("sqlite"), hide_parameters=True)
    except (ArgumentError, NoSuchModuleError, ImportError, ValueError) as exc:
        raise DatabaseError(f"bad database URL {redact(url)!r}: {exc}") from None
    if engine.dialect.name == "sqlite":
        _sqlite_setup(engine, checkpoint_bytes)
    return engine


def checkpoint(engine: Engine) -> None:
    """Copy the write-ahead log into the database now, as far as readers allow (SQLite only)."""
    if engine.dialect.name == "sqlite":
        conn = engine.raw_connection()
        try:
            conn.driver_connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            conn.close()


def flush_to_disk(engine: Engine) -> None:
    """Make what has been committed survive a power cut, now.

    With ``synchronous=NORMAL`` SQLite syncs the write-ahead log at checkpoints rather than
    at every commit: a power cut may undo the last commits, never corrupt. That is enough
    while the source still holds what they stored; it is not before the source deletes it
    (an IMAP mailbox that moves messages away once stored). PostgreSQL commits durably.
    """
    db = engine.url.database
    if engine.dialect.name != "sqlite" or not db or db == ":memory:":
        return
    try:
        fd = os.open(f"{db}-wal", os.O_RDONLY)
    except FileNotFoundError:
        return  # nothing in the log: everything is in the database file, synced
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


PAGE_CACHE_KB = 512  # per connection


def _sqlite_setup(engine: Engine, checkpoint_bytes: int) -> None:
    db = engine.url.database
    if db and db != ":memory:":
        try:
            Path(db).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"cannot open database {db}: {exc}") from None

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):
        # pysqlite's own transaction handling defers BEGIN and breaks SAVEPOINT;
        # let SQLAlchemy issue BEGIN itself (SQLAlchemy's documented recipe).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        # Checkpoint every ~64 MB of WAL rather than every 4 MB: raw mail is written in large
        # batches, and each checkpoint costs an fsync. Once checkpointed, a log that grew
        # larger during a burst is cut back to that size.
        page_size = cur.execute("PRAGMA page_size").fetchone()[0]
        cur.execute(f"PRAGMA wal_autocheckpoint={max(1, checkpoint_bytes // page_size)}")
        cur.execute(f"PRAGMA journal_size_limit={CHECKPOINT_BYTES}")
        # Each pooled connection keeps its own page cache and fills it as the database
        # grows: 2 MB apiece by default, several connections in a daemon. The hot pages
        # (the newest items and cases) fit in far less.
        cur.execute(f"PRAGMA cache_size=-{PAGE_CACHE_KB}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        # IMMEDIATE takes the write lock up front: a deferred transaction that later
        # writes can fail with "database is locked" without waiting out busy_timeout.
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def redact(url: str) -> str:
    """A URL safe for logs: the password replaced by ***."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<unparseable URL>"


# Alembic is imported by the functions that migrate: most commands only read, and it is slow to load.


def alembic_config(engine: Engine):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Apply every pending migration; returns (revision before, revision after)."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    try:
        with engine.connect() as conn:
            before = MigrationContext.configure(conn).get_current_revision()
        command.upgrade(alembic_config(engine), "head")
        with engine.connect() as conn:
            after = MigrationContext.configure(conn).get_current_revision()
    except OperationalError as exc:
        raise DatabaseError(f"cannot open database {redact(str(engine.url))}: {exc.orig}") from None
    return before, after or ""


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision(engine: Engine) -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head() or ""


def has_schema(engine: Engine) -> bool:
    return inspect(engine).has_table("items")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def insert_ignoring_duplicates(session: Session, table: Table, rows: Iterable[dict], returning=None):
    """INSERT rows, skipping any that would break a unique constraint.

    Returns the ``returning`` column of the rows that went in (psycopg reports rowcount -1
    for these inserts, so RETURNING is the reliable way to learn what was new).
    """
    rows = list(rows)
    if not rows:
        return []
    dialect = session.get_bind().dialect.name
    # Each dialect's insert on first use: importing PostgreSQL's brings in its asyncio
    # connector, a quarter of a second at every command's start.
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        stmt = sqlite_insert(table).on_conflict_do_nothing()
    elif dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        stmt = pg_insert(table).on_conflict_do_nothing()
    else:
        raise DatabaseError(f"database {dialect!r} is not supported (use SQLite or PostgreSQL)")
    if returning is None:
        session.execute(stmt, rows)
        return []
    stmt = stmt.returning(returning)
    out = []
    for row in rows:  # RETURNING with executemany is not portable; one statement per row
        got = session.execute(stmt, row).scalar()
        if got is not None:
            out.append(got)
    return out


def lock_keys(session: Session, namespace: str, keys: Iterable[str]) -> None:
    """Hold ``keys`` until the caller's transaction ends, so daemons sharing the database
    that read, decide and write about the same keys (a sender's receipts this hour) take
    turns rather than each deciding on what the other has not yet committed.

    PostgreSQL: transaction-level advisory locks, taken in sorted order so two
    transactions never wait on each other in a ring. SQLite already lets one writer at a
    time through, which is the same guarantee.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    for key in sorted(set(keys)):
        session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"), {"k": f"{namespace}:{key}"})


def in_list(values: Iterable[T]) -> list[T]:
    """``values`` for an ``IN (...)``, padded to a power of two by repeating one of them.

    Each length of list is a different SQL text: a prepared statement of its own in each
    pooled connection's cache and, with lists of every length up to a batch, hundreds of
    them churning through the C allocator (bench/memory.py: SQLite's own memory doubled
    over 8,000 messages). Padded, a query has a handful of shapes; repeating a value
    changes nothing an ``IN`` matches.
    """
    out = list(values)
    if out:
        size = 1 << (len(out) - 1).bit_length()
        out += [out[-1]] * (size - len(out))
    return out
