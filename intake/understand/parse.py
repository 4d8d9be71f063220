"""Stage 2, step 1: raw bytes of an email into a ``ParsedMessage``.

mail-parser does the MIME work. Real mail is often broken, so this module never raises:
when mail-parser gives up, the standard library's lenient parser is tried, and when that
yields nothing useful the message is marked ``malformed`` and carries its bytes as text,
so that a person can still see it and nothing is dropped.
"""

from __future__ import annotations

import email
import email.policy
import logging
import re
from datetime import UTC, datetime
from email.header import decode_header, make_header
from email.utils import getaddresses, parsedate_to_datetime

import mailparser

from intake.message import ROBOT_SENDER, Attachment, ParsedMessage
from intake.understand.footer import without_boilerplate, without_contact_block, without_mobile_signature
from intake.understand.html_text import html_to_text
from intake.understand.reply import (
    above_forward,
    forwarded_text,
    is_reply,
    letters_at_least,
    split_reply,
    without_signature,
)

# mail-parser logs every part type it does not handle (calendar, etc.) at WARNING level;
# those are normal for business mail and would bury the daemon's own log lines.
logging.getLogger("mailparser").setLevel(logging.ERROR)

_MSGID = re.compile(r"<[^<>\s]+>")
# References lists the thread's ancestors oldest first; the nearest are all threading needs.
MAX_REFERENCES = 100
_HEADER_LINE = re.compile(rb"^[!-9;-~]+:", re.MULTILINE)


def parse_email(raw: bytes) -> ParsedMessage:
    """The message as the rules read it: read, its language guessed, its words prepared."""
    # Here, not at the top: showing a message (``read_email``) needs neither.
    from intake.understand.language import guess_language, guess_reply_language
    from intake.understand.rules.facts import prepare

    msg = read_email(raw)
    own, thread = language_sample(msg)
    msg.language = guess_reply_language(own, thread) if thread else guess_language(own)
    msg.no_auto_reply = auto_reply_blocker(msg)
    return prepare(msg)


SHORT_REPLY_LETTERS = 40  # "Ja tak, send dem alle 18." could be Danish or German on its own
QUOTED_SAMPLE = 300


def language_sample(msg: ParsedMessage) -> tuple[str, str]:
    """The text whose language is the message's: what was newly written (with the subject,
    unless the mail is a reply); and the thread it answers, to settle what a short reply's
    few words leave open."""
    quoted = msg.text[len(msg.new_text):len(msg.new_text) + QUOTED_SAMPLE] if msg.text != msg.new_text else ""
    if is_reply(msg.subject, msg.in_reply_to):
        # The subject of a reply is the thread's ("Re: Your order has shipped"), not the
        # reply's own words: a Danish answer under our English subject is Danish.
        return msg.new_text, f"{msg.subject}\n{quoted}"
    if quoted and not letters_at_least(msg.new_text, SHORT_REPLY_LETTERS):
        return f"{msg.subject}\n{msg.new_text}", quoted
    return f"{msg.subject}\n{msg.new_text}", ""


def read_email(raw: bytes) -> ParsedMessage:
    """Headers, text and what is newly written, and no more: what showing a message needs,
    without the language model or the rules' word forms."""
    try:
        msg = _from_mailparser(raw)
    except Exception as exc:  # mail-parser raises many kinds on broken input
        msg = _from_stdlib(raw)
        msg.defects.append(f"mail-parser failed: {type(exc).__name__}: {exc}")
    if not msg.headers or not _HEADER_LINE.search(raw[:4096]):
        msg.malformed = True
        if not msg.text:
            msg.text = raw.decode("utf-8", errors="replace")
        msg.defects.append("no message headers found" if raw.strip() else "empty message")
    msg.subject = one_line(msg.subject)
    msg.new_text = without_signature(split_reply(msg.text))
    forwarded = forwarded_text(msg.text, msg.subject)
    if forwarded:
        msg.own_text = _cleaned(above_forward(msg.new_text))
        if forwarded not in msg.new_text:
            msg.new_text = f"{msg.new_text}\n\n{forwarded}"
    msg.new_text = _cleaned(msg.new_text)
    return msg


def _cleaned(text: str) -> str:
    return without_mobile_signature(without_contact_block(without_boilerplate(text)))




_LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")


def one_line(value: str) -> str:
    """A header value on one line: folding, encoded CR/LF and other control characters
    become single spaces, so a subject can never start a new line anywhere it is shown or
    sent (a forward's body, a digest, a terminal)."""
    return " ".join(_LINE_BREAKS.sub(" ", value).split())


def auto_reply_blocker(msg: ParsedMessage) -> str:
    """Why no automatic reply may go to this message (RFC 3834 section 2), or ""."""
    h = msg.header
    if msg.malformed:
        return "malformed message"
    auto = h("auto-submitted").strip().lower()
    if auto and not auto.startswith("no"):
        return f"Auto-Submitted: {auto}"
    if re.match(r"\s*(bulk|junk|list|auto_reply)", h("precedence"), re.IGNORECASE):
        return f"Precedence: {h('precedence')}"
    for name in ("list-id", "list-unsubscribe", "list-post", "x-autoreply", "x-autorespond"):
        if name in msg.headers:
            return f"{name} header"
    if re.search(r"\b(all|autoreply|oof)\b", h("x-auto-response-suppress"), re.IGNORECASE):
        return "X-Auto-Response-Suppress"
    if "return-path" in msg.headers and re.sub(r"\s+", "", h("return-path")) in ("<>", ""):
        return "null return path"  # "<>", "< >": a bounce or other automatic mail (RFC 5321 4.5.5)
    if not msg.from_addr:
        return "no sender address"
    if ROBOT_SENDER.match(msg.from_addr):
        return f"robot sender {msg.from_addr}"
    if msg.content_type == "multipart/report":
        return "delivery or read report"
    return ""


class _Reader(mailparser.MailParser):
    """mail-parser as it is used here. Its parse ends by building, twice, a dict of every
    header and part (``mail``, ``mail_partial``) that nothing here reads; that was about a
    twentieth of its time. Everything read below is worked out before, so only that goes."""

    def _make_mail(self, complete: bool = True) -> dict:
        return {}


def _from_mailparser(raw: bytes) -> ParsedMessage:
    message = email.message_from_bytes(raw)  # as mail-parser's own ``from_bytes`` reads bytes
    headers = _headers(message.items())
    # mail-parser takes every Received header apart (hosts, addresses, dates): a sixth of
    # its time, for relay details nothing here reads. The headers are kept above, as
    # written; only mail-parser does not see them (nor report their defects).
    del message["received"]
    mp = _Reader(message)
    sender = mp.from_[0] if mp.from_ else ("", "")
    text = "\n".join(mp.text_plain).strip()
    if not text and mp.text_html:
        text = html_to_text("\n".join(mp.text_html))
    attachments = [
        Attachment(
            name=a.get("filename") or "",
            content_type=(a.get("mail_content_type") or "").lower(),
            size=_payload_size(a),
        )
        for a in mp.attachments
    ]
    defects = [d for part in mp.defects for ds in part.values() for d in ds]
    return ParsedMessage(
        message_id=_first_msgid(mp.message_id),
        in_reply_to=_first_msgid(_h(headers, "in-reply-to")),
        references=_MSGID.findall(_h(headers, "references"))[-MAX_REFERENCES:],
        from_addr=(sender[1] or "").strip().lower(),
        from_name=sender[0] or "",
        to=[a.lower() for _, a in (mp.to or []) if a],
        cc=[a.lower() for _, a in (getattr(mp, "cc", None) or []) if a],
        subject=(mp.subject or "").strip(),
        date=_aware(mp.date),
        text=text,
        content_type=mp.message.get_content_type(),
        attachments=attachments,
        headers=headers,
        defects=defects,
    )


def _from_stdlib(raw: bytes) -> ParsedMessage:
    """The lenient fallback: compat32 accepts nearly anything and never raises on access."""
    try:
        m = email.message_from_bytes(raw, policy=email.policy.compat32)
        headers = _headers(m.items())
        parts = []
        for part in m.walk():
            if part.get_content_maintype() == "text" and not part.get_filename():
                payload = part.get_payload(decode=True) or b""
                parts.append(payload.decode(part.get_content_charset() or "utf-8", errors="replace"))
        name, addr = (getaddresses([_h(headers, "from")]) or [("", "")])[0]
        try:
            date = parsedate_to_datetime(_h(headers, "date"))
        except (TypeError, ValueError, IndexError):
            date = None
        return ParsedMessage(
            message_id=_first_msgid(_h(headers, "message-id")),
            in_reply_to=_first_msgid(_h(headers, "in-reply-to")),
            references=_MSGID.findall(_h(headers, "references"))[-MAX_REFERENCES:],
            from_addr=addr.lower(),
            from_name=name,
            to=[a.lower() for _, a in getaddresses([_h(headers, "to")]) if a],
            subject=_h(headers, "subject"),
            date=_aware(date),
            text="\n".join(parts).strip(),
            content_type=m.get_content_type(),
            headers=headers,
            defects=[type(d).__name__ for d in m.defects],
        )
    except Exception as exc:
        return ParsedMessage(defects=[f"stdlib parser failed: {type(exc).__name__}: {exc}"])


def _headers(items) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, value in items:
        out.setdefault(str(name).strip().lower(), []).append(_decode(value))
    return out


def _decode(value) -> str:
    value = str(value)
    if "=?" not in value:
        return " ".join(value.split())
    try:
        return " ".join(str(make_header(decode_header(value))).split())
    except Exception:
        return " ".join(value.split())


def _h(headers: dict[str, list[str]], name: str) -> str:
    values = headers.get(name)
    return values[0] if values else ""


def _first_msgid(value: str | None) -> str:
    if not value:
        return ""
    found = _MSGID.search(value)
    return found.group(0) if found else value.strip()[:500]


def _aware(value) -> datetime | None:
    if not isinstance(value, datetime):
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _payload_size(att: dict) -> int:
    payload = att.get("payload") or ""
    if att.get("binary"):
        return len(payload) * 3 // 4 - payload[-2:].count("=")
    return len(payload.encode("utf-8", errors="replace"))
