"""What the commands show, as plain data: queries and view models, apart from printing."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

from rich.text import Text

from intake.vocab import CaseStatus

# Control characters (C0, DEL, C1) and the Unicode ones that reorder or hide text.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def plain(value) -> Text:
    """Text from a message (a subject, a sender) as a terminal shows it: never read as
    markup, escape sequences and other control characters replaced by a space."""
    return Text(_CONTROL.sub(" ", "" if value is None else str(value)))


def one_line(value) -> str:
    """``plain`` as a string: for columns laid out by hand."""
    return _CONTROL.sub(" ", "" if value is None else str(value))


def cell_width(text: str) -> int:
    """Columns ``text`` takes on a terminal: wide (East Asian) characters take two,
    combining marks none."""
    if text.isascii():
        return len(text)
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
               for ch in text)


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` columns with an ellipsis where cut, padded to ``width``."""
    used = cell_width(text)
    if used > width:
        out, used = [], 0
        for ch in text:
            w = cell_width(ch)
            if used + w > width - 1:
                break
            out.append(ch)
            used += w
        text = "".join(out) + "…"
        used += 1
    return text + " " * max(0, width - used)


def tail(text: str, width: int) -> str:
    """``text`` cut from the left to ``width``: the end of a path is the part that tells
    files apart."""
    return text if len(text) <= width else "…" + text[len(text) - width + 1:]


def short_paths(paths: list[str], width: int = 32) -> list[str]:
    """Paths as a reader tells them apart: relative to the folder they share, each cut
    from the left to ``width``."""
    import os

    if len(paths) > 1:
        try:
            common = os.path.commonpath(paths)
        except ValueError:  # mixed absolute and relative, or different drives
            common = ""
        if common and all(p != common for p in paths):
            paths = [os.path.relpath(p, common) for p in paths]
    elif paths:
        paths = [os.path.basename(paths[0]) or paths[0]]
    return [tail(p, width) for p in paths]


def _age(dt: datetime | None, now: datetime) -> str:
    if dt is None:
        return ""
    secs = (dt - now).total_seconds()
    sign = "" if secs >= 0 else "-"
    secs = abs(secs)
    h, m = int(secs // 3600), int(secs % 3600 // 60)
    return f"{sign}{h}h{m:02d}m"


def _case_dict(c, now) -> dict:
    return {
        "id": c.id, "reference": c.reference, "status": c.status, "category": c.category,
        "actionable": c.actionable, "priority": c.priority, "channel": c.channel,
        "dealer": c.dealer.key if c.dealer else None, "possible_new_dealer": c.possible_new_dealer,
        "sender": c.sender, "subject": c.subject, "owner": c.owner, "language": c.language,
        "opened_at": c.opened_at.isoformat(), "ack_due_at": c.ack_due_at.isoformat() if c.ack_due_at else None,
        "acknowledged_at": c.acknowledged_at.isoformat() if c.acknowledged_at else None,
        "closed_at": c.closed_at.isoformat() if c.closed_at else None,
        "overdue": bool(c.status == CaseStatus.OPEN and c.ack_due_at and c.ack_due_at <= now),
        "needs_review": c.needs_review,
    }


def _unique(values) -> list:
    out = []
    for v in values:
        if v not in out:
            out.append(v)
    return out


