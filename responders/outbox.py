"""The outbox: every outgoing message is a row first, and is delivered from there.

A responder never sends directly. It calls ``queue`` inside the transaction that makes the
change causing the mail (a case opened, a ladder step taken), so the mail exists exactly
when the change does: a crash before the commit loses both, a crash after it loses
neither. Each message gets its Message-ID when it is queued and keeps it through every
retry, so a receiver — and the folder transport — can recognise a repeat.

``deliver_due`` hands due rows to a transport: delivered rows are marked sent; a temporary
failure is retried with growing delays; a permanent one is marked failed with its reason,
for a person (``intake outbox list``, ``intake outbox retry``).

Nothing is sent twice: a row is marked "sending" (and committed) before it is handed over.
If the process dies between handing over and recording the result, the row is found in
"sending" later; with a transport that cannot repeat harmlessly (SMTP) it is then marked
failed as "interrupted, may have been sent" for a person to check, never sent again blindly.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.headerregistry import HeaderRegistry, UnstructuredHeader
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Protocol

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from intake.errors import IntakeError
from intake.store.models import Case, Outbox
from intake.vocab import OutboxStatus

log = logging.getLogger(__name__)


class MessageIdList(UnstructuredHeader):
    """In-Reply-To and References hold message ids (RFC 5322 section 3.6.4): folded between
    ids, never encoded. The standard policy treats them as free text and RFC 2047-encodes an
    Exchange-length id, which no mail client then recognises, so the thread breaks."""

    def fold(self, *, policy):
        return f"{self.name}: " + f"{policy.linesep} ".join(str(self).split()) + policy.linesep


_HEADERS = HeaderRegistry()
_HEADERS.map_to_type("in-reply-to", MessageIdList)
_HEADERS.map_to_type("references", MessageIdList)
SMTP_POLICY = SMTP.clone(header_factory=_HEADERS)

BACKOFF = [timedelta(minutes=m) for m in (1, 5, 15, 60, 180)]
MAX_ATTEMPTS = 12


class TemporaryFailure(IntakeError):
    """Try again later (server down, 4xx)."""


class PermanentFailure(IntakeError):
    """Will never work as it is (5xx, a bad address): a person must look."""


class Transport(Protocol):
    def send(self, message_id: str, recipients: list[str], raw: bytes) -> None: ...

    def close(self) -> None:
        """The batch is over: let go of any connection kept open for it."""


@dataclass
class Transports:
    """Where each kind of outgoing message goes: mail to ``default``, other kinds (``sms``)
    to their own transport."""

    default: Transport | None
    by_kind: dict[str, Transport] = field(default_factory=dict)

    def for_kind(self, kind: str) -> Transport:
        transport = self.by_kind.get(kind, self.default)
        if transport is None:
            raise PermanentFailure(f"no transport is configured for {kind} messages")
        return transport

    def close(self) -> None:
        for transport in {id(t): t for t in [self.default, *self.by_kind.values()] if t is not None}.values():
            transport.close()


def as_transports(transport: Transport | Transports) -> Transports:
    return transport if isinstance(transport, Transports) else Transports(transport)


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class FolderTransport:
    """Writes each message as an .eml file: the embedded default, with no mail server.

    The file is named after the Message-ID and written via a temporary name and a rename,
    so a repeat after a crash rewrites the same file instead of making a second one.
    """

    folder: Path

    def close(self) -> None:
        pass

    def send(self, message_id: str, recipients: list[str], raw: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = _UNSAFE.sub("_", message_id.strip("<>"))[:150] + ".eml"
        tmp = self.folder / f".{name}.tmp"
        with open(tmp, "wb") as f:
            f.write(raw)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.folder / name)


def queue(session: Session, *, kind: str, message: EmailMessage, recipients: list[str], now: datetime,
          case: Case | None = None, domain: str = "intake.invalid") -> Outbox:
    """Add a message to the outbox in the caller's transaction; returns the row."""
    if not recipients:
        raise ValueError("an outgoing message needs at least one recipient")
    if "Message-ID" not in message:
        message["Message-ID"] = make_msgid(idstring=kind, domain=domain)
    if "Date" not in message:  # required (RFC 5322 section 3.6); the time it was queued
        message["Date"] = format_datetime(now)
    message.policy = SMTP_POLICY
    for name in ("In-Reply-To", "References"):
        ids = message.get_all(name)
        if ids:
            del message[name]
            message[name] = " ".join(str(v) for v in ids)  # made again under SMTP_POLICY
    return queue_raw(session, kind=kind, message_id=message["Message-ID"], recipients=recipients,
                     subject=str(message.get("Subject", "")), raw=message.as_bytes(policy=SMTP_POLICY),
                     now=now, case=case)


def queue_raw(session: Session, *, kind: str, message_id: str, recipients: list[str], subject: str, raw: bytes,
              now: datetime, case: Case | None = None) -> Outbox:
    """The one way an outbox row is made: mail (through ``queue``) and text messages alike."""
    if not recipients:
        raise ValueError("an outgoing message needs at least one recipient")
    row = Outbox(message_id=message_id, case=case, kind=kind, recipients=list(recipients), subject=subject,
                 raw=raw, created_at=now, status=OutboxStatus.PENDING, attempts=0, next_attempt_at=now)
    session.add(row)
    return row


@dataclass
class DeliveryResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def deliver_due(sessions: sessionmaker[Session], transport: Transport | Transports, now: datetime,
                batch: int = 200) -> DeliveryResult:
    """Deliver every due outbox row, one transaction per message so each outcome is kept,
    until none is left; a batch of ``batch`` rows shares one connection to the server."""
    result = DeliveryResult()
    transports = as_transports(transport)
    recover_interrupted(sessions, now)
    after = 0
    while True:
        with sessions() as session:
            q = (select(Outbox.id).where(Outbox.status == OutboxStatus.PENDING, Outbox.next_attempt_at <= now,
                                         Outbox.id > after).order_by(Outbox.id).limit(batch))
            ids = list(session.scalars(q))
        if not ids:
            return result
        try:
            for outbox_id in ids:
                _deliver_one(sessions, transports, outbox_id, now, result)
        finally:
            transports.close()
        after = ids[-1]


def _deliver_one(sessions: sessionmaker[Session], transports: Transports, outbox_id: int, now: datetime,
                 result: DeliveryResult) -> None:
    with sessions.begin() as session:
        q = select(Outbox).where(Outbox.id == outbox_id, Outbox.status == OutboxStatus.PENDING)
        if session.get_bind().dialect.name == "postgresql":
            q = q.with_for_update(skip_locked=True)
        row = session.scalars(q).first()
        if row is None:
            return  # another worker has it, or it went out meanwhile
        row.status, row.attempts, row.sending_since = OutboxStatus.SENDING, row.attempts + 1, now
        message_id, recipients, raw, kind = row.message_id, list(row.recipients), row.raw, row.kind
    with sessions.begin() as session:
        row = session.get(Outbox, outbox_id)
        try:
            transports.for_kind(kind).send(message_id, recipients, raw)
        except PermanentFailure as exc:
            row.status, row.error, row.next_attempt_at = OutboxStatus.FAILED, str(exc), None
            row.sending_since = None
            log.error("outgoing message failed for good", extra={"fields": {
                "outbox": row.id, "kind": row.kind, "to": ",".join(row.recipients), "error": str(exc)}})
            result.failed += 1
        except (TemporaryFailure, OSError) as exc:
            row.error, row.status, row.sending_since = str(exc), OutboxStatus.PENDING, None
            if row.attempts >= MAX_ATTEMPTS:
                row.status, row.next_attempt_at = OutboxStatus.FAILED, None
                result.failed += 1
            else:
                row.next_attempt_at = now + BACKOFF[min(row.attempts - 1, len(BACKOFF) - 1)]
                result.retrying += 1
            log.warning("outgoing message not delivered; will retry", extra={"fields": {
                "outbox": row.id, "attempt": row.attempts, "error": str(exc)}})
        else:
            row.status, row.sent_at, row.error, row.next_attempt_at = OutboxStatus.SENT, now, None, None
            row.sending_since = None
            result.sent += 1


# A message is "sending" only while a process hands it over; one left so for longer was
# being sent by a process that died.
INTERRUPTED_AFTER = timedelta(minutes=10)


def recover_interrupted(sessions: sessionmaker[Session], now: datetime,
                        older_than: timedelta = INTERRUPTED_AFTER) -> int:
    """Rows left in "sending" by a process that died while delivering them go back to the
    queue. A message is delivered only once the server has said 250 to its DATA (RFC 5321
    §4.1.1.4), which was then recorded; so it is sent again, with its fixed Message-ID: a
    rare duplicate the receiver can recognise, never a lost receipt."""
    with sessions.begin() as session:
        stuck = list(session.scalars(select(Outbox).where(
            Outbox.status == OutboxStatus.SENDING, Outbox.sending_since <= now - older_than)))
        for row in stuck:
            row.status, row.next_attempt_at, row.sending_since = OutboxStatus.PENDING, now, None
            row.error = "delivery was interrupted before the server confirmed it; sending again"
            log.warning("outgoing message interrupted mid-delivery; it will be sent again",
                        extra={"fields": {"outbox": row.id, "message_id": row.message_id}})
        return len(stuck)


def retry(sessions: sessionmaker[Session], outbox_id: int, now: datetime) -> bool:
    """Put a failed message back in the queue (after the cause was fixed)."""
    with sessions.begin() as session:
        q = (update(Outbox).where(Outbox.id == outbox_id, Outbox.status == "failed")
             .values(status="pending", next_attempt_at=now, attempts=0))
        return session.execute(q).rowcount == 1
