"""A case's history in the words a person reads it in, and times in the office's zone.
The command line and the desk say the same."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo


def local_time(iso: str | None, zone: ZoneInfo) -> str:
    """An ISO time from the database as the office reads it: ``Mon 23 Nov 09:00``."""
    if not iso:
        return "-"
    return datetime.fromisoformat(iso).astimezone(zone).strftime("%a %d %b %Y %H:%M")


def _who(d: dict) -> str:
    return d.get("by") or d.get("actor") or ""


# How each kind of event reads in a case's history.
EVENT_WORDS = {
    "case.opened": lambda d: f"opened as {d.get('category')}" + (f" ({', '.join(d['rules'])})" if d.get("rules") else ""),
    "case.item_added": lambda d: f"a new message joined ({d.get('how')}), read as {d.get('category')}",
    "case.category_changed": lambda d: f"category changed from {d.get('old')} to {d.get('new')}",
    "case.reclassified": lambda d: f"classified again: {d.get('old')} became {d.get('new')}",
    "case.acknowledged": lambda d: f"acknowledged ({d.get('how', 'by hand')})" + (f" by {d['by']}" if d.get("by") else ""),
    "case.reply_sent": lambda d: f"reply sent by {d.get('by') or 'the office'}",
    "case.closed": lambda d: "closed" + (f": {d.get('why') or d.get('note')}" if d.get("why") or d.get("note") else ""),
    "case.reopened": lambda d: "opened again" + (f": {d.get('why') or d.get('note')}" if d.get("why") or d.get("note") else ""),
    "case.reassigned": lambda d: f"given to {d.get('new')}" + (f" (was {d['old']})" if d.get("old") else ""),
    "case.forwarded": lambda d: f"forwarded to {d.get('to')}",
    "receipt.queued": lambda d: "receipt queued to the dealer" + (f" by text to {d['sms_to']}" if d.get("sms_to") else ""),
    "receipt.withheld": lambda d: f"no receipt: {d.get('why')}",
    "case.recategorised": lambda d: f"category corrected from {d.get('old')} to {d.get('new')}",
    "case.reviewed": lambda d: f"reviewed: {d.get('category')} is right",
    "case.note": lambda d: f"note: {d.get('note')}",
    "ladder.step": lambda d: f"ladder step {d.get('step')} to {', '.join(d.get('to') or []) or 'nobody'}"
                             + (" (late)" if d.get("late") else ""),
}


def event_words(kind: str, detail: dict | None) -> str:
    d = detail or {}
    words = EVENT_WORDS.get(kind)
    text = words(d) if words else f"{kind} {d}"
    note = d.get("note")
    if note and "note" not in text and note not in text:
        text += f" — {note}"
    return text
