"""Source: IMAP mailboxes (Exchange/Microsoft 365, Gmail, Dovecot), with imapclient.

For each folder the poller keeps UIDVALIDITY and the highest UID it has stored, and commits
that position in the same transaction as the messages it covers: a crash anywhere repeats
work, and repeated work stores nothing twice (items are unique by Message-ID and content).
A changed UIDVALIDITY starts the folder again from the beginning, which the same rule makes
harmless. Messages are fetched with BODY.PEEK, so the Seen flag is neither read nor changed
unless ``after_store: seen`` asks for it.

Each mailbox has a thread and a connection of its own (imapclient is not thread-safe). It
waits in IDLE on its first folder, so new mail arrives within seconds, and still sweeps
every folder every ``poll_seconds``. Losing the connection, a server restart or a login
failure is logged and retried with growing delays; one broken mailbox never affects the
others. A failure that lasts is reported to the admin address once, again when it clears,
and again only after a day if it does not.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import ssl
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import BrokenExecutor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from intake.config import MailboxSpec, SecretError
from intake.errors import IntakeError
from intake.ingest import IngestResult, load_position, save_position, store_batch
from intake.message import RawItem
from intake.store.db import checkpoint, flush_to_disk

log = logging.getLogger(__name__)

# What a dropped connection, a restarting server or a bad network look like to imapclient.
CONNECTION_ERRORS = (IMAPClientError, OSError, socket.timeout, ssl.SSLError, EOFError)
REPORT_AFTER = timedelta(minutes=15)  # a failure lasting this long is reported
REPORT_AGAIN = timedelta(hours=24)
BACKOFF_MAX = 300.0
IN_FLIGHT = 2  # fetched batches that may wait for the writer


def connect(spec: MailboxSpec) -> IMAPClient:
    """Open and log in; raises LoginError, SecretError or a connection error."""
    context = ssl.create_default_context()
    if not spec.verify_certificates:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    client = IMAPClient(spec.host, spec.effective_port, ssl=spec.tls == "implicit", ssl_context=context,
                        timeout=spec.timeout_seconds)
    try:
        if spec.tls == "starttls":
            client.starttls(context)
        if spec.password:
            client.login(spec.username, spec.password.resolve())
        else:
            client.oauth2_login(spec.username, spec.oauth2_token.resolve())
    except BaseException:
        _close(client)
        raise
    return client


def _close(client: IMAPClient | None) -> None:
    if client is None:
        return
    try:
        client.logout()
    except Exception:
        with contextlib.suppress(Exception):
            client.shutdown()


@dataclass
class FolderSync:
    """Stores what is new in one folder."""

    spec: MailboxSpec
    folder: str
    direction: str = "in"  # "out" for the Sent folder
    _reported_missing: bool = False

    @property
    def source(self) -> str:
        return f"imap:{self.spec.name}:{self.folder}"

    @property
    def acts_on_messages(self) -> bool:
        return self.direction == "in" and self.spec.after_store != "leave"

    @property
    def deletes_messages(self) -> bool:
        """Whether stored messages leave this folder, so that our copy must be on disk first."""
        return self.acts_on_messages and self.spec.after_store == "move"

    def sync(self, client: IMAPClient, sessions: sessionmaker[Session], now: datetime,
             writer: Writer | None = None) -> IngestResult:
        try:
            info = client.select_folder(self.folder, readonly=not self.acts_on_messages)
        except IMAPClientError:
            if client.folder_exists(self.folder):
                raise
            if not self._reported_missing:
                log.warning("folder does not exist (yet); skipped", extra={"fields": {"source": self.source}})
                self._reported_missing = True
            return IngestResult()
        self._reported_missing = False
        uidvalidity = int(info[b"UIDVALIDITY"])
        with sessions() as session:
            position = load_position(session, self.source)
        last_uid = int(position.get("last_uid", 0))
        if position and position.get("uidvalidity") != uidvalidity:
            log.warning("UIDVALIDITY changed; reading the folder again (nothing will be stored twice)",
                        extra={"fields": {"source": self.source, "old": position.get("uidvalidity"),
                                          "new": uidvalidity}})
            last_uid = 0
        criteria: list = ["UID", f"{last_uid + 1}:*"]
        if last_uid == 0 and self.spec.since:
            criteria += ["SINCE", self.spec.since]
        # "n:*" always includes the highest UID, even when it is below n.
        uids = sorted(u for u in client.search(criteria) if u > last_uid)
        result = IngestResult()
        # Fetching overlaps storing. The writer stores batches one at a time in the order
        # given, so positions are committed in order. Up to IN_FLIGHT batches may wait for it,
        # so that a pause in the writer (an SQLite checkpoint, a slow disk) does not stall
        # fetching; memory stays bounded by IN_FLIGHT + 1 batches whatever the folder size.
        own = writer is None
        writer = writer or ThreadWriter(sessions)
        try:
            pending: deque[tuple[Future, list[int]]] = deque()
            after = last_uid
            for i in range(0, len(uids), self.spec.batch_size):
                batch = uids[i : i + self.spec.batch_size]
                items = self._fetch(client, batch, uidvalidity)
                while len(pending) >= IN_FLIGHT:
                    result += self._finish(client, *pending.popleft())
                step = Advance(self.source, uidvalidity, after, batch[-1])
                pending.append((writer.submit(items, step, now, durable=self.deletes_messages), batch))
                after = batch[-1]
            while pending:
                future, batch = pending.popleft()
                result += self._finish(client, future, batch)
                last_uid = batch[-1]
            if uids:
                writer.checkpoint()
        finally:
            if own:
                writer.close()
        if self.acts_on_messages and last_uid:
            self._leftovers(client, last_uid)
        return result

    def _fetch(self, client: IMAPClient, batch: list[int], uidvalidity: int) -> list[RawItem]:
        # No INTERNALDATE: stage 1 takes the arrival time from the topmost Received header,
        # which carries the same time, and asking for it would cost an eighth of the fetch
        # (imapclient reads quoted strings a character at a time).
        data = client.fetch(batch, ["BODY.PEEK[]"])
        items = []
        for uid in batch:
            got = data.get(uid)
            if got is None or b"BODY[]" not in got:
                continue  # expunged between SEARCH and FETCH
            items.append(RawItem(got[b"BODY[]"], "email", self.source, f"{uidvalidity}:{uid}",
                                 direction=self.direction))
        return items

    def _finish(self, client: IMAPClient, future: Future, batch: list[int]) -> IngestResult:
        result = future.result()  # re-raises a storage error: nothing after it is stored
        if self.acts_on_messages:
            self._after_store(client, batch)
        return result

    def _after_store(self, client: IMAPClient, uids: list[int]) -> None:
        if self.spec.after_store == "seen":
            client.add_flags(uids, [b"\\Seen"], silent=True)
        elif self.spec.after_store == "move":
            move(client, uids, self.spec.processed_folder)

    def _leftovers(self, client: IMAPClient, last_uid: int) -> None:
        """Finish the after-store action for messages stored before a crash cut it short."""
        if self.spec.after_store == "seen":
            left = client.search(["UID", f"1:{last_uid}", "UNSEEN"])
        else:
            left = [u for u in client.search(["UID", f"1:{last_uid}"]) if u <= last_uid]
        if left:
            self._after_store(client, left)


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


def _writer_init(url: str) -> None:
    from intake.pipeline.workers import worker_setup
    from intake.store.db import make_engine, session_factory

    _writer_sessions.append(session_factory(make_engine(url, checkpoint_bytes=BURST_CHECKPOINT_BYTES)))
    worker_setup()


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
        import multiprocessing

        self.pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_writer_init, initargs=(database_url,))

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


def move(client: IMAPClient, uids: list[int], folder: str) -> None:
    """MOVE where the server has it (RFC 6851), else COPY, flag deleted and expunge."""
    if not client.folder_exists(folder):
        client.create_folder(folder)
    caps = client.capabilities()
    if b"MOVE" in caps:
        client.move(uids, folder)
        return
    client.copy(uids, folder)
    client.delete_messages(uids, silent=True)
    if b"UIDPLUS" in caps:
        client.uid_expunge(uids)
    else:
        client.expunge()


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

    def __init__(self, spec: MailboxSpec, sessions: sessionmaker[Session], *, admin_email: str | None = None,
                 mail_from: str = "intake@localhost", on_stored: Callable[[], None] | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)):
        super().__init__(name=f"imap-{spec.name}", daemon=True)
        self.spec, self.sessions = spec, sessions
        self.admin_email, self.mail_from = admin_email, mail_from
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
                _close(self.client)
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
        if not self.admin_email:
            log.error("no admin_email configured to report to: %s", subject)
            return
        from responders.outbox import queue

        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = self.mail_from, self.admin_email, f"[intake] {subject}"
        msg["Auto-Submitted"] = "auto-generated"
        msg.set_content(body)
        queue(session, kind="admin-alert", message=msg, recipients=[self.admin_email], now=now,
              domain=self.mail_from.rpartition("@")[2] or "intake.invalid")


@dataclass
class FolderCheck:
    folder: str
    on_server: int
    stored: int
    missing: list[str] = field(default_factory=list)  # "uid: Message-ID subject"


@dataclass
class MailboxCheck:
    name: str
    ok: bool
    error: str = ""
    capabilities: list[str] = field(default_factory=list)
    folders: list[FolderCheck] = field(default_factory=list)


def check_mailbox(spec: MailboxSpec, sessions: sessionmaker[Session]) -> MailboxCheck:
    """Connect, report capabilities, and reconcile each folder with what is stored."""
    from intake.store.models import Item

    try:
        client = connect(spec)
    except (LoginError, SecretError, *CONNECTION_ERRORS) as exc:
        return MailboxCheck(spec.name, False, f"{type(exc).__name__}: {exc}")
    try:
        caps = sorted(c.decode() for c in client.capabilities())
        result = MailboxCheck(spec.name, True, capabilities=caps)
        syncs = [FolderSync(spec, f) for f in spec.folders]
        if spec.sent_folder:
            syncs.append(FolderSync(spec, spec.sent_folder, "out"))
        for fs in syncs:
            if not client.folder_exists(fs.folder):
                result.ok = False
                result.folders.append(FolderCheck(fs.folder, 0, 0, ["folder does not exist"]))
                continue
            info = client.select_folder(fs.folder, readonly=True)
            uidvalidity = int(info[b"UIDVALIDITY"])
            uids = client.search(["ALL"])
            with sessions() as session:
                refs = set(session.scalars(select(Item.source_ref).where(Item.source == fs.source)))
                unknown = [u for u in uids if f"{uidvalidity}:{u}" not in refs]
                missing = []
                for i in range(0, len(unknown), 500):
                    chunk = unknown[i : i + 500]
                    heads = client.fetch(chunk, ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID SUBJECT)]"])
                    for uid in chunk:
                        raw = next((v for k, v in heads.get(uid, {}).items() if k.startswith(b"BODY[")), b"")
                        from intake.ingest import message_id_of

                        mid = message_id_of(raw + b"\r\n\r\n")
                        if mid and session.scalar(select(Item.id).where(Item.message_id == mid).limit(1)):
                            continue  # stored under another position (e.g. before a UIDVALIDITY change)
                        subject = raw.decode("utf-8", "replace").replace("\r\n", " ").strip()
                        missing.append(f"uid {uid}: {subject[:120]}")
            result.folders.append(FolderCheck(fs.folder, len(uids), len(uids) - len(missing), missing))
            if missing:
                result.ok = False
        return result
    finally:
        _close(client)


def sync_once(spec: MailboxSpec, sessions: sessionmaker[Session], now: datetime,
              writer: Writer | None = None) -> IngestResult:
    """Connect, store what is new in every folder, disconnect (for `intake run --once`)."""
    client = connect(spec)
    try:
        folders = [FolderSync(spec, f) for f in spec.folders]
        if spec.sent_folder:
            folders.append(FolderSync(spec, spec.sent_folder, "out"))
        total = IngestResult()
        for folder in folders:
            total += folder.sync(client, sessions, now, writer)
        return total
    finally:
        _close(client)
