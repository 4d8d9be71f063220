"""One daemon per SQLite database.

SQLite has one writer at a time and no row claiming, so a second daemon on the same file
would only fight the first. The daemon holds an exclusive ``flock`` on ``<db>.lock`` for
its whole life; the kernel drops it when the process dies, even by SIGKILL, so a crash
never leaves a stale lock behind. (With PostgreSQL several daemons may run: they
coordinate through row locks instead.)
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from intake.errors import IntakeError


class AlreadyRunning(IntakeError):
    pass


class DaemonLock:
    def __init__(self, path: Path):
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "another process"
            os.close(fd)
            raise AlreadyRunning(f"another intake daemon (pid {holder}) is using this database; "
                                 f"lock file {self.path}") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, *exc):
        self.release()
