"""IMAP: the per-mailbox watcher — connect, sync every folder, IDLE, repeat.

Each mailbox has a thread and a connection of its own (imapclient is not thread-safe). It
waits in IDLE on its first folder, so new mail arrives within seconds, and still sweeps
every folder every ``poll_seconds``. Losing the connection, a server restart or a login
failure is logged and retried with growing delays; one broken mailbox never affects the
others. A failure that lasts is handed to the ``alert`` callback once, again when it
clears, and again only after a day if it does not; the watcher itself sends nothing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import BrokenExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from imapclient import IMAPClient
from imapclient.exceptions import LoginError
from sqlalchemy.orm import Session, sessionmaker

from intake.config import MailboxSpec, SecretError
from intake.ingest import IngestResult, load_position, save_position
from intake.metrics import poll_failed
from intake.sources.imap.sync import CONNECTION_ERRORS, FolderSync, close, connect
from intake.sources.imap.writer import ProcessWriter, Writer

log = logging.getLogger(__name__)

REPORT_AFTER = timedelta(minutes=15)  # a failure lasting this long is reported
REPORT_AGAIN = timedelta(hours=24)
BACKOFF_MAX = 300.0
# alert(session, subject, body, now): tell a person, in the caller's transaction.
Alert = Callable[[Session, str, str, datetime], None]


@dataclass
class Health:
    """Tracks a mailbox's failures and decides when a person must be told."""

    name: str
    failing_since: datetime | None = None
    reported_at: datetime | None = None
    error: str = ""

    @property
    def source(self) -> str:
        return f"health:imap:{self.name}"

    @classmethod
    def load(cls, sessions: sessionmaker[Session], name: str) -> Health:
        h = cls(name)
        with sessions() as session:
            p = load_position(session, h.source)
        h.failing_since = datetime.fromisoformat(p["failing_since"]) if p.get("failing_since") else None
        h.reported_at = datetime.fromisoformat(p["reported_at"]) if p.get("reported_at") else None
        h.error = p.get("error", "")
        return h

    def failed(self, error: str, now: datetime, *, persistent: bool) -> bool:
        """Record a failure; True when it must be reported now."""
        self.failing_since = self.failing_since or now
        self.error = error
        lasting = persistent or now - self.failing_since >= REPORT_AFTER
        due = self.reported_at is None or now - self.reported_at >= REPORT_AGAIN
        return lasting and due

    def recovered(self) -> bool:
        """Record success; True when a reported failure has now cleared."""
        was_reported = self.reported_at is not None
        self.failing_since = self.reported_at = None
        self.error = ""
        return was_reported

    def save(self, session: Session, now: datetime) -> None:
        save_position(session, self.source, {
            "failing_since": self.failing_since.isoformat() if self.failing_since else None,
            "reported_at": self.reported_at.isoformat() if self.reported_at else None,
            "error": self.error}, now)


class MailboxWatcher(threading.Thread):
    """One mailbox: connect, sync every folder, IDLE, repeat; recover from anything."""

    def __init__(self, spec: MailboxSpec, sessions: sessionmaker[Session], *, alert: Alert | None = None,
                 on_stored: Callable[[], None] | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)):
        super().__init__(name=f"imap-{spec.name}", daemon=True)
        self.spec, self.sessions = spec, sessions
        self.alert = alert
        self.on_stored = on_stored or (lambda: None)
        self.clock = clock
        self.stopping = threading.Event()
        self.folders = [FolderSync(spec, f) for f in spec.folders]
        if spec.sent_folder:
            self.folders.append(FolderSync(spec, spec.sent_folder, direction="out"))
        self.health = Health.load(sessions, spec.name)
        self.client: IMAPClient | None = None
        self.synced = threading.Event()  # set after each complete sweep (tests wait on it)
        self.writer: Writer | None = None
        self.database_url = sessions.kw["bind"].url.render_as_string(hide_password=False)

    def stop(self) -> None:
        self.stopping.set()

    def run(self) -> None:
        try:
            self._run()
        finally:
            if self.writer is not None:
                self.writer.close()

    def _run(self) -> None:
        delay = 1.0
        while not self.stopping.is_set():
            try:
                self.client = connect(self.spec)
                log.info("mailbox connected", extra={"fields": {"mailbox": self.spec.name, "host": self.spec.host}})
                self._serve()
                delay = 1.0
            except LoginError as exc:
                self._failure(f"login refused: {exc}", persistent=True)
            except SecretError as exc:
                self._failure(f"credentials not available: {exc}", persistent=True)
            except CONNECTION_ERRORS as exc:
                self._failure(f"{type(exc).__name__}: {exc}", persistent=False)
            except Exception as exc:  # never let one mailbox take the daemon down
                log.exception("mailbox %s: unexpected error", self.spec.name)
                self._failure(f"{type(exc).__name__}: {exc}", persistent=False)
            finally:
                close(self.client)
                self.client = None
            if not self.stopping.is_set():
                self.stopping.wait(delay)
                delay = min(delay * 2, BACKOFF_MAX)

    def _serve(self) -> None:
        idle = self.spec.idle and b"IDLE" in self.client.capabilities()
        while not self.stopping.is_set():
            self.sync_all()
            if idle:
                self._idle()
            else:
                self.stopping.wait(self.spec.poll_seconds)

    def sync_all(self) -> IngestResult:
        total = IngestResult()
        now = self.clock()
        if self.writer is None:
            self.writer = ProcessWriter(self.database_url)
        for folder in self.folders:
            try:
                got = folder.sync(self.client, self.sessions, now, self.writer)
            except BrokenExecutor:
                self.writer.close()  # the writer process died: start a new one, redo the folder
                self.writer = ProcessWriter(self.database_url)
                got = folder.sync(self.client, self.sessions, now, self.writer)
            if got.stored:
                log.info("stored new items", extra={"fields": {"source": folder.source, "stored": got.stored}})
            total += got
        self._success()
        self.synced.set()
        if total.stored:
            self.on_stored()
        return total

    def _idle(self) -> None:
        """Wait in IDLE on the first folder until something arrives or a sweep is due."""
        client = self.client
        client.select_folder(self.folders[0].folder, readonly=True)
        client.idle()
        try:
            waited, limit = 0.0, min(self.spec.poll_seconds, self.spec.idle_renew_seconds)
            while waited < limit and not self.stopping.is_set():
                responses = client.idle_check(timeout=1)
                waited += 1
                if any(r[1] in (b"EXISTS", b"RECENT") for r in responses if isinstance(r, tuple) and len(r) > 1):
                    break
        finally:
            client.idle_done()

    def _failure(self, error: str, *, persistent: bool) -> None:
        poll_failed(f"imap:{self.spec.name}")
        now = self.clock()
        first = self.health.failing_since is None
        report = self.health.failed(error, now, persistent=persistent)
        (log.error if persistent or not first else log.warning)(
            "mailbox unavailable; retrying", extra={"fields": {"mailbox": self.spec.name, "error": error}})
        with self.sessions.begin() as session:
            if report:
                self.health.reported_at = now
                self._tell_admin(session, f"mailbox {self.spec.name} is failing",
                                 f"intake cannot read the mailbox {self.spec.name!r} ({self.spec.username} at "
                                 f"{self.spec.host}) since {self.health.failing_since:%Y-%m-%d %H:%M} UTC.\n\n"
                                 f"Last error: {error}\n\nNew mail there is not being stored until this is "
                                 f"fixed (an expired token or changed password is the usual cause). It will "
                                 f"be picked up, nothing lost, once the mailbox can be read again.\n", now)
            self.health.save(session, now)

    def _success(self) -> None:
        if self.health.failing_since is None:
            return
        now = self.clock()
        since = self.health.failing_since
        told = self.health.recovered()
        log.info("mailbox available again", extra={"fields": {"mailbox": self.spec.name}})
        with self.sessions.begin() as session:
            if told:
                self._tell_admin(session, f"mailbox {self.spec.name} is working again",
                                 f"intake can read the mailbox {self.spec.name!r} again (failing since "
                                 f"{since:%Y-%m-%d %H:%M} UTC). Mail that arrived meanwhile has been stored.\n",
                                 now)
            self.health.save(session, now)

    def _tell_admin(self, session: Session, subject: str, body: str, now: datetime) -> None:
        if self.alert is None:
            log.error("nobody to report to: %s", subject)
            return
        self.alert(session, subject, body, now)



