"""The database schema: what is kept, and the constraints that keep it from being kept twice.

Items are the ledger of everything received (raw bytes verbatim); cases are dealer request
threads with their SLA columns; events are the append-only history of every state change;
the outbox holds every outgoing message from the moment the change that caused it commits.
Changes to these classes need an Alembic migration (``intake/store/migrations``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, deferred, mapped_column, relationship

from intake.store.types import LongText, Str, UTCDateTime


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


class Dealer(Base):
    """A dealer from the directory file; kept in the database so cases can refer to it."""

    __tablename__ = "dealers"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(Str(100), unique=True)
    name: Mapped[str] = mapped_column(Str(200))
    area: Mapped[str] = mapped_column(Str(20), default="uk")
    country: Mapped[str] = mapped_column(Str(2), default="GB")
    owner: Mapped[str] = mapped_column(Str(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    contacts: Mapped[list[DealerContact]] = relationship(back_populates="dealer", cascade="all, delete-orphan")


class DealerContact(Base):
    __tablename__ = "dealer_contacts"
    __table_args__ = (UniqueConstraint("kind", "value"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    dealer_id: Mapped[int] = mapped_column(ForeignKey("dealers.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(Str(10))  # email, domain, phone
    value: Mapped[str] = mapped_column(Str(320))
    dealer: Mapped[Dealer] = relationship(back_populates="contacts")


class Item(Base):
    """One received email or call, exactly as it arrived, and what processing made of it."""

    __tablename__ = "items"
    __table_args__ = (
        UniqueConstraint("message_id", "content_hash", name="uq_items_identity"),
        Index("ix_items_pending", "state", "next_attempt_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(Str(10))
    # "in" from dealers; "out" for the coordinator's own sent mail, read only to learn
    # which cases have been answered.
    direction: Mapped[str] = mapped_column(Str(3), default="in", server_default="in")
    source: Mapped[str] = mapped_column(Str(200))
    source_ref: Mapped[str | None] = mapped_column(Str(500))
    message_id: Mapped[str] = mapped_column(Str(500), index=True)
    content_hash: Mapped[str] = mapped_column(Str(64))
    size: Mapped[int] = mapped_column(Integer)
    raw: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    received_at: Mapped[datetime]
    stored_at: Mapped[datetime]
    # Processing: new -> processed, or failed (retried until attempts run out, then left
    # for a person with state "failed" and next_attempt_at NULL).
    state: Mapped[str] = mapped_column(Str(12), default="new")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(LongText)
    processed_at: Mapped[datetime | None]
    # What parsing and classification found (filled by stage 2).
    malformed: Mapped[bool] = mapped_column(Boolean, default=False)
    defects: Mapped[list[Any] | None]
    sender: Mapped[str | None] = mapped_column(Str(320))
    subject: Mapped[str | None] = mapped_column(LongText)
    # The start of what the sender newly wrote, so the desk can find a case by its words.
    search_text: Mapped[str | None] = mapped_column(LongText)
    sent_at: Mapped[datetime | None]
    language: Mapped[str | None] = mapped_column(Str(8))
    dealer_id: Mapped[int | None] = mapped_column(ForeignKey("dealers.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    category: Mapped[str | None] = mapped_column(Str(20))
    actionable: Mapped[bool | None] = mapped_column(Boolean)
    rules_version: Mapped[str | None] = mapped_column(Str(16))
    decision: Mapped[dict[str, Any] | None]
    case: Mapped[Case | None] = relationship(back_populates="items", foreign_keys=[case_id])


class SourceRef(Base):
    """Which entries of a source have been stored, so a rescan skips them cheaply."""

    __tablename__ = "source_refs"
    source: Mapped[str] = mapped_column(Str(200), primary_key=True)
    ref: Mapped[str] = mapped_column(Str(500), primary_key=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"))


class PollState(Base):
    """Where each source has got to (IMAP UIDVALIDITY/UID, a call log's last start time)."""

    __tablename__ = "poll_state"
    source: Mapped[str] = mapped_column(Str(200), primary_key=True)
    position: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime]


class Case(Base):
    """A dealer request thread: what it is, who owns it, and when it is due."""

    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_due", "status", "next_due_at"),
        Index("ix_cases_thread", "sender", "thread_subject"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(Str(20), unique=True)
    channel: Mapped[str] = mapped_column(Str(10))
    dealer_id: Mapped[int | None] = mapped_column(ForeignKey("dealers.id"), index=True)
    possible_new_dealer: Mapped[bool] = mapped_column(Boolean, default=False)
    sender: Mapped[str] = mapped_column(Str(320))
    subject: Mapped[str] = mapped_column(LongText, default="")
    thread_subject: Mapped[str] = mapped_column(Str(300), default="")
    category: Mapped[str] = mapped_column(Str(20))
    actionable: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(Str(16), default="open")  # open, acknowledged, closed
    owner: Mapped[str] = mapped_column(Str(200), default="")
    priority: Mapped[str] = mapped_column(Str(10), default="normal")
    language: Mapped[str] = mapped_column(Str(8), default="")
    route_to: Mapped[str | None] = mapped_column(Str(320))
    opened_at: Mapped[datetime]
    last_activity_at: Mapped[datetime]
    acknowledged_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    ack_due_at: Mapped[datetime | None]
    next_due_at: Mapped[datetime | None]  # when the SLA sweep must next look at this case
    next_step: Mapped[str | None] = mapped_column(Str(50))
    rules_version: Mapped[str | None] = mapped_column(Str(16))
    # The rules were not sure (a close race between categories, or nothing won).
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    dealer: Mapped[Dealer | None] = relationship()
    items: Mapped[list[Item]] = relationship(order_by="Item.id", foreign_keys="Item.case_id",
                                             back_populates="case")


class ItemRef(Base):
    """A reference found in a message (PO, sales order, quote, claim, invoice, tracking),
    so a coordinator finds mail by the number the dealer gave, however it was spaced."""

    __tablename__ = "item_refs"
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(Str(20))
    value: Mapped[str] = mapped_column(Str(64))  # as written
    key: Mapped[str] = mapped_column(Str(64), index=True)  # references.search_key(value)


class Event(Base):
    """Append-only history: every state change, with who made it and why."""

    __tablename__ = "events"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"), index=True)
    actor: Mapped[str] = mapped_column(Str(100))
    kind: Mapped[str] = mapped_column(Str(40))
    detail: Mapped[dict[str, Any] | None]
    case: Mapped[Case | None] = relationship()


class Outbox(Base):
    """An outgoing message, created with the change that caused it; delivered exactly once."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_pending", "status", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(Str(300), unique=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(Str(30))  # receipt, reminder, escalation, forward, ...
    recipients: Mapped[list[Any]]
    subject: Mapped[str] = mapped_column(LongText)
    raw: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    created_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(Str(12), default="pending")  # pending, sending, sent, failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    sending_since: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(LongText)
    case: Mapped[Case | None] = relationship()


class User(Base):
    """A person who signs in to the desk. A coordinator's email is the ``owner`` of their
    dealers in dealers.yaml, so "my cases" are the cases they own."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(Str(320), unique=True)
    role: Mapped[str] = mapped_column(Str(20))  # coordinator, manager, admin
    password_hash: Mapped[str] = mapped_column(Str(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]
    last_login_at: Mapped[datetime | None]


class ReportSent(Base):
    """One row per report and period sent: the unique key is what makes the managers'
    digest go exactly once, whichever daemon gets there first and however often restarted."""

    __tablename__ = "reports_sent"
    __table_args__ = (UniqueConstraint("kind", "period_end", name="uq_reports_sent_period"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(Str(40))
    period_start: Mapped[datetime]
    period_end: Mapped[datetime]
    sent_at: Mapped[datetime]
