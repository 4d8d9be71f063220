"""The words every stage shares, defined once: channels, directions, statuses, categories.

They are ``StrEnum``s, so they are stored and compared as the plain strings the database,
rules.yaml and the JSON output use.
"""

from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    EMAIL = "email"
    CALL = "call"


class Direction(StrEnum):
    IN = "in"  # a dealer's message or call
    OUT = "out"  # the coordinator's own sent mail or call back


class ItemState(StrEnum):
    NEW = "new"
    PROCESSED = "processed"
    FAILED = "failed"


class CaseStatus(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    CLOSED = "closed"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class Category(StrEnum):
    ORDER = "order"
    QUOTE = "quote"
    LITERATURE = "literature"
    QUERY = "query"
    REWORK = "rework"
    UNCLASSIFIED = "unclassified"  # a request the rules could not place: chased like a query
    NONE = "none"  # not a request


# The categories a rule can file a request under, in the default order that breaks ties.
REQUESTS = (Category.REWORK, Category.ORDER, Category.QUOTE, Category.LITERATURE, Category.QUERY)
# How a category is named to people (receipts, digests).
LABELS = {Category.ORDER: "order", Category.QUOTE: "quote request", Category.LITERATURE: "literature request",
          Category.QUERY: "query", Category.REWORK: "rework request", Category.UNCLASSIFIED: "request"}


class Role(StrEnum):
    """Who may do what at the desk: coordinators act on cases, managers too and see
    everything, admins also see the outbox and failed items."""

    COORDINATOR = "coordinator"
    MANAGER = "manager"
    ADMIN = "admin"
