"""Sources on this machine: Maildir folders, drop folders of .eml files, and mbox files.

The embedded default needs no server: a mail system (or a person) puts messages in a
folder and the daemon stores them. Files are only read, never moved or deleted. Each file
is remembered by a stable reference (a Maildir file's unique name; a drop file's name,
size and modification time), so a rescan reads only what is new, and a changed drop file
is read again.
"""

from __future__ import annotations

import logging
import mailbox
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from intake.errors import IntakeError
from intake.ingest import IngestResult, known_refs, store_batch
from intake.message import RawItem

log = logging.getLogger(__name__)

MBOX_SUFFIXES = {".mbox", ".mbx"}
CHUNK = 500


class SourceError(IntakeError):
    """A local source cannot be read (missing folder, permission)."""


def is_maildir(path: Path) -> bool:
    return path.is_dir() and (path / "cur").is_dir() and (path / "new").is_dir()


def is_mbox(path: Path) -> bool:
    return path.is_file() and (path.suffix.lower() in MBOX_SUFFIXES or path.name.lower() == "mbox")


def _mtime(st: os.stat_result) -> datetime:
    return datetime.fromtimestamp(st.st_mtime, UTC)


class LocalSource:
    """A watched folder. ``poll(now)`` stores what it has not stored before."""

    def __init__(self, kind: str, name: str, path: str | Path):
        self.kind, self.name, self.path = kind, name, Path(path)
        self.source = f"{kind}:{name}"

    def entries(self) -> Iterator[tuple[str, Path]]:
        """(reference, file) for every message file currently in the folder."""
        if not self.path.is_dir():
            raise SourceError(f"{self.source}: folder {self.path} does not exist")
        if self.kind == "maildir":
            for sub in ("new", "cur"):
                folder = self.path / sub
                if not folder.is_dir():
                    continue
                with os.scandir(folder) as it:
                    for e in it:
                        if e.is_file() and not e.name.startswith("."):
                            yield e.name.split(":", 1)[0], Path(e.path)
        else:
            with os.scandir(self.path) as it:
                for e in sorted(it, key=lambda e: e.name):
                    if e.is_file() and not e.name.startswith(".") and not e.name.endswith(".tmp"):
                        st = e.stat()
                        yield f"{e.name}:{st.st_size}:{st.st_mtime_ns}", Path(e.path)

    def poll(self, sessions: sessionmaker[Session], now: datetime) -> IngestResult:
        result = IngestResult()
        chunk: list[tuple[str, Path]] = []
        for entry in self.entries():
            chunk.append(entry)
            if len(chunk) >= CHUNK:
                result += self._store_chunk(sessions, chunk, now)
                chunk = []
        if chunk:
            result += self._store_chunk(sessions, chunk, now)
        return result

    def _store_chunk(self, sessions, chunk, now) -> IngestResult:
        with sessions.begin() as session:
            seen = known_refs(session, self.source, [ref for ref, _ in chunk])
            batch = []
            for ref, path in chunk:
                if ref in seen:
                    continue
                try:
                    raw = path.read_bytes()
                    file_time = _mtime(path.stat())
                except FileNotFoundError:  # moved by a mail client between listing and reading
                    continue
                batch.append(RawItem(raw, "email", self.source, ref, file_time=file_time))
            return store_batch(session, batch, now) if batch else IngestResult()


@dataclass
class ReadReport:
    """What ``read_paths`` left out, for the person importing: files in a folder that are
    not mail, and files that could not be read at all."""

    not_mail: list[Path] = field(default_factory=list)
    unreadable: list[tuple[Path, str]] = field(default_factory=list)


MAIL_SUFFIXES = {".eml"}
_HEADER_LINE = re.compile(rb"^[!-9;-~]+[ \t]*:")  # RFC 5322 field name; obsolete syntax allows spaces
_MAIL_HEADER = re.compile(rb"^(from|to|cc|subject|date|message-id|received|return-path|mime-version|"
                          rb"content-type|delivered-to|x-[!-9;-~]+)[ \t]*:", re.IGNORECASE | re.MULTILINE)


def looks_like_mail(path: Path) -> bool:
    """Whether a file found in a folder is a message: an .eml or a Maildir entry, an mbox,
    or a file that starts with mail headers. A README, a spreadsheet or an empty file is not."""
    if path.suffix.lower() in MAIL_SUFFIXES or path.parent.name in ("cur", "new") or is_mbox(path):
        return True
    with path.open("rb") as f:
        head = f.read(4096)
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    first = head.split(b"\n", 1)[0]
    return bool(first.startswith(b"From ") or _HEADER_LINE.match(first)) and bool(_MAIL_HEADER.search(head))


def read_paths(paths: list[Path], source: str = "import", report: ReadReport | None = None) -> Iterator[RawItem]:
    """Every message under the given paths: .eml files, folders, Maildirs, mbox files.

    A file is one message unless it is an mbox (``*.mbox``, ``*.mbx`` or named ``mbox``);
    a folder is read recursively, taking only what looks like mail. A file named on its own
    is always taken (if it is not mail, it is stored and flagged malformed). What is left
    out, or cannot be read, goes in ``report`` and the rest is read all the same. Raises
    SourceError for a path that does not exist.
    """
    report = report if report is not None else ReadReport()
    for p in paths:
        if not p.exists() and not p.is_symlink():
            raise SourceError(f"{p}: no such file or folder")
    for p in paths:
        yield from _read_one(p.absolute(), source, report, named=not p.is_dir())


def count_messages(paths: list[Path]) -> int:
    """About how many messages ``read_paths`` will yield (for progress), counting mbox entries."""
    n = 0
    for p in paths:
        for f in _files(p.absolute()):
            try:
                n += len(mailbox.mbox(str(f), create=False)) if is_mbox(f) else 1
            except OSError:
                n += 1
    return n


def _files(p: Path) -> Iterator[Path]:
    if not p.is_dir():  # a file, or a link to nothing (reported when it cannot be read)
        yield p
        return
    for root, dirs, files in os.walk(p):
        dirs.sort()
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name


def _read_one(p: Path, source: str, report: ReadReport, *, named: bool) -> Iterator[RawItem]:
    for f in _files(p):
        try:
            if not named and not looks_like_mail(f):
                report.not_mail.append(f)
                continue
            file_time = _mtime(f.stat())
            if is_mbox(f):
                box = mailbox.mbox(str(f), create=False)
                for i, key in enumerate(box.keys()):
                    yield RawItem(box.get_bytes(key), "email", source, f"{f}#{i}", file_time=file_time)
                continue
            raw = f.read_bytes()
        except OSError as exc:
            report.unreadable.append((f, exc.strerror or str(exc)))
            log.warning("cannot read %s: %s", f, exc)
            continue
        yield RawItem(raw, "email", source, str(f), file_time=file_time)
