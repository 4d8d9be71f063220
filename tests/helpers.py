"""Building messages and Maildirs for tests."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from tests.conftest import NOW


def make_mail(n: int = 1, *, sender="sam@northdale-blinds.example.co.uk", subject=None, body=None,
              in_reply_to=None, headers=None) -> bytes:
    m = EmailMessage()
    m["From"] = f"Dealer <{sender}>"
    m["To"] = "sales@example.co.uk"
    m["Subject"] = subject if subject is not None else f"Order {n} for shutters"
    m["Date"] = format_datetime(NOW)
    m["Message-ID"] = f"<test-{n}@{sender.split('@')[1]}>"
    if in_reply_to:
        m["In-Reply-To"] = in_reply_to
        m["References"] = in_reply_to
    for k, v in (headers or {}).items():
        m[k] = v
    m.set_content(body if body is not None else f"Please find our order for {n} roller shutters.\n")
    return bytes(m)


def make_maildir(path: Path, count: int, start: int = 1) -> Path:
    for sub in ("cur", "new", "tmp"):
        (path / sub).mkdir(parents=True, exist_ok=True)
    for n in range(start, start + count):
        (path / "new" / f"{1700000000 + n}.M{n}P1.test").write_bytes(make_mail(n))
    return path
