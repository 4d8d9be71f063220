"""IMAP: one folder's UID sync, the reconciliation check and ``run --once``'s pass.

For each folder the poller keeps UIDVALIDITY and the highest UID it has stored, and commits
that position in the same transaction as the messages it covers: a crash anywhere repeats
work, and repeated work stores nothing twice (items are unique by Message-ID and content).
A changed UIDVALIDITY starts the folder again from the beginning, which the same rule makes
harmless. Messages are fetched with BODY.PEEK, so the Seen flag is neither read nor changed
unless ``after_store: seen`` asks for it.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import ssl
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from intake.config import MailboxSpec, SecretError
from intake.ingest import IngestResult, load_position, message_id_of
from intake.message import RawItem
from intake.sources.imap.writer import Advance, ThreadWriter, Writer
from intake.store.models import Item
from intake.vocab import Direction

log = logging.getLogger(__name__)

# What a dropped connection, a restarting server or a bad network look like to imapclient.
CONNECTION_ERRORS = (IMAPClientError, OSError, socket.timeout, ssl.SSLError, EOFError)
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
        close(client)
        raise
    return client


def close(client: IMAPClient | None) -> None:
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
        return self.direction == Direction.IN and self.spec.after_store != "leave"

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
        close(client)


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
        close(client)
