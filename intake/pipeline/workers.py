"""Parsing and classifying on every core.

Parsing is the slow stage (mail-parser runs at about a thousand messages a second on one
core here), and it is pure: bytes in, message and decision out. So stage 2 hands it to a
pool of worker processes and keeps only the database writes in the daemon's own process.
Workers get the rules and the dealer directory once, when the pool starts; a reload of
either starts a fresh pool. With ``workers: 0`` everything runs in-process.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace

from intake.helper_process import helper_process_setup
from intake.understand.dealers import Directory
from intake.understand.rules.engine import Rules
from intake.understand.rules.packed import PackedRules
from intake.understand.step import Outcome, understand_one

log = logging.getLogger(__name__)
_state: dict = {}


def _init(rules: Rules | PackedRules, directory: Directory, parent: int) -> None:
    helper_process_setup(parent)
    _state["rules"] = rules.unpacked() if isinstance(rules, PackedRules) else rules
    _state["directory"] = directory


def _understand_chunk(chunk: list[tuple[int, str, str, bytes]]) -> list[Outcome]:
    return [slim(understand_one(*work, _state["rules"], _state["directory"])) for work in chunk]


SEARCH_TEXT = 2_000  # characters of the new text kept for search (items.search_text)


def slim(outcome: Outcome) -> Outcome:
    """The outcome without what the writer does not need, before it crosses the process
    boundary: the body texts (but the start of the new text, which is searched), their
    stemmed forms and most headers are the bulk of it."""
    msg = outcome.msg
    if msg is None:
        return outcome
    light = replace(msg, text="", new_text=msg.new_text[:SEARCH_TEXT], prepared={}, texts={}, detected={},
                    headers={k: v for k, v in msg.headers.items() if k == "from"})
    return replace(outcome, msg=light)


class ParsePool:
    def __init__(self, workers: int):
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None
        self._key: tuple | None = None

    def submit(self, rules: Rules, directory: Directory, items: list[tuple[int, str, str, bytes]]) -> Batch:
        """Start understanding ``items``; ``.result()`` gives the outcomes in order."""
        key = (rules.version, id(directory))
        if self._pool is None or key != self._key:
            self.close()
            # spawn, not fork: the daemon has scheduler threads and database connections
            # that a forked child must not inherit.
            self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_init, initargs=(rules, directory, os.getpid()))
            self._key = key
        size = max(1, -(-len(items) // (self.workers * 4)))
        chunks = [items[i : i + size] for i in range(0, len(items), size)]
        return Batch(self, rules, directory, chunks, [self._pool.submit(_understand_chunk, c) for c in chunks])

    def run(self, rules: Rules, directory: Directory, items: list[tuple[int, str, str, bytes]]) -> list:
        return self.submit(rules, directory, items).result()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class Batch:
    def __init__(self, pool: ParsePool, rules, directory, chunks, futures):
        self.pool, self.rules, self.directory, self.chunks, self.futures = pool, rules, directory, chunks, futures

    def result(self) -> list:
        out = []
        for chunk, future in zip(self.chunks, self.futures, strict=True):
            try:
                out.extend(future.result())
            except Exception:  # a broken pool (a worker killed): redo this chunk here, restart the pool
                log.warning("parse worker failed; processing its share in-process", exc_info=True)
                self.pool.close()
                out.extend(understand_one(*work, self.rules, self.directory) for work in chunk)
        return out
