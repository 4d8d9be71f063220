"""IMAP: the ordered store writer — fetched batches stored one at a time, in order.

Fetching overlaps storing, so a batch may reach the writer before the one ahead of it is
stored; each batch carries the folder position it moves from and to, and is refused
(``OutOfTurn``) rather than let the position skip messages a failed batch left out.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from intake.errors import IntakeError
from intake.helper_process import helper_process_setup
from intake.ingest import IngestResult, load_position, save_position, store_batch
from intake.message import RawItem
from intake.store.db import checkpoint, flush_to_disk, make_engine, session_factory

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Advance:
    """What storing a batch does to its folder's position: from after ``after_uid`` to
    ``last_uid``, within one UIDVALIDITY."""

    source: str
    uidvalidity: int
    after_uid: int
    last_uid: int


class OutOfTurn(IntakeError):
    """A batch reached the writer before the batch it follows was stored."""


def store_and_advance(sessions: sessionmaker[Session], items: list[RawItem], step: Advance, now: datetime,
                      durable: bool = False) -> IngestResult:
    """Store a fetched batch and move the folder's position past it, in one transaction;
    ``durable``: on disk before returning, whatever happens to the machine next.

    Batches are submitted before the ones ahead of them are known to be stored; if one
    failed, the next must not move the position past the messages it left out.
    """
    with sessions.begin() as session:
        position = load_position(session, step.source)
        at = int(position.get("last_uid", 0)) if position.get("uidvalidity") == step.uidvalidity else 0
        if at < step.after_uid:
            raise OutOfTurn(f"{step.source}: UIDs up to {step.after_uid} are not stored yet (stored up to {at})")
        result = store_batch(session, items, now, record_refs=False) if items else IngestResult()
        save_position(session, step.source, {"uidvalidity": step.uidvalidity,
                                             "last_uid": max(at, step.last_uid)}, now)
    if durable:
        flush_to_disk(sessions.kw["bind"])
    return result


class Writer:
    """Where fetched batches are stored: one at a time, in the order given."""

    def submit(self, items: list[RawItem], step: Advance, now: datetime, durable: bool = False) -> Future: ...

    def checkpoint(self) -> None:
        """A pass is over: catch up on database upkeep put off while batches were waiting."""

    def close(self) -> None: ...


class ThreadWriter(Writer):
    """Stores in a thread of this process: cheap to start, shares the interpreter lock."""

    def __init__(self, sessions: sessionmaker[Session]):
        self.sessions = sessions
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="imap-store")

    def submit(self, items, step, now, durable=False) -> Future:
        return self.pool.submit(store_and_advance, self.sessions, items, step, now, durable)

    def close(self) -> None:
        self.pool.shutdown(wait=True)


_writer_sessions: list = []
# How far the writer process lets SQLite's write-ahead log grow before it stops to
# checkpoint; it checkpoints anyway whenever a pass over a folder ends.
BURST_CHECKPOINT_BYTES = 1 << 30


def _writer_init(url: str, parent: int) -> None:
    helper_process_setup(parent)
    _writer_sessions.append(session_factory(make_engine(url, checkpoint_bytes=BURST_CHECKPOINT_BYTES)))


def _ready() -> bool:
    return True


def _writer_store(packed, step, now, durable) -> IngestResult:
    items = [RawItem(raw, channel, step.source, ref, at, direction) for raw, channel, ref, at, direction in packed]
    return store_and_advance(_writer_sessions[0], items, step, now, durable)


def _writer_checkpoint() -> None:
    try:
        checkpoint(_writer_sessions[0].kw["bind"])
    except Exception:  # upkeep only: the next pass or any other writer checkpoints instead
        log.warning("checkpoint failed", exc_info=True)


class ProcessWriter(Writer):
    """Stores in a process of its own, so that hashing and writing a batch runs on another
    core while this one fetches the next (both are Python-heavy, and threads would take
    turns). The daemon's mailbox watchers use this; it starts once per watcher.

    During a pass it does not stop to checkpoint SQLite's log (copying it into the database
    costs about a quarter of storing); it does so when the pass ends, while the watcher
    waits for new mail, or if the log passes BURST_CHECKPOINT_BYTES. A commit survives the
    process dying either way. A power cut may undo commits not yet synced, and the folder's
    position goes back with them, so that only repeats work; before messages are moved off
    the server the log is synced (``durable``)."""

    def __init__(self, database_url: str):
        self.pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_writer_init, initargs=(database_url, os.getpid()))

    def submit(self, items, step, now, durable=False) -> Future:
        # Plain tuples pickle in a fifth of the time dataclasses take, on this process's time.
        packed = [(it.raw, it.channel, it.source_ref, it.received_at, it.direction) for it in items]
        return self.pool.submit(_writer_store, packed, step, now, durable)

    def checkpoint(self) -> None:
        self.pool.submit(_writer_checkpoint)

    def start(self) -> ProcessWriter:
        """Start the process now rather than with the first batch."""
        self.drain()
        return self

    def drain(self) -> None:
        """Wait until everything submitted so far has been done (checkpoints included)."""
        self.pool.submit(_ready).result()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


