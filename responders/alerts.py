"""Alerts to the person who runs intake (a mailbox that keeps failing, and its recovery)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from email.message import EmailMessage

from sqlalchemy.orm import Session

from responders.outbox import queue


def admin_alert(admin_email: str, mail_from: str) -> Callable[[Session, str, str, datetime], None]:
    """A callback that queues ``[intake] subject`` to the admin in the caller's transaction."""

    def alert(session: Session, subject: str, body: str, now: datetime) -> None:
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = mail_from, admin_email, f"[intake] {subject}"
        msg["Auto-Submitted"] = "auto-generated"
        msg.set_content(body)
        queue(session, kind="admin-alert", message=msg, recipients=[admin_email], now=now,
              domain=mail_from.rpartition("@")[2] or "intake.invalid")

    return alert
