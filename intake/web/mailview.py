"""A stored message as the desk shows it: what the dealer newly wrote, the quoted rest, a
sanitised HTML version, and the attachments, all from the raw bytes.

Dealer mail is untrusted: HTML goes through nh3 (a maintained sanitiser) keeping only
structure and text; images are dropped (remote ones are tracking pixels), every link
shows where it goes, and nothing here ever makes markup from text. Attachments are only
ever offered as downloads.
"""

from __future__ import annotations

import email
import email.policy
import html
import re
from dataclasses import dataclass, field
from email.message import EmailMessage

import nh3

from intake.understand.reading import read
from intake.vocab import Channel

_TAGS = {"p", "br", "div", "span", "b", "strong", "i", "em", "u", "ul", "ol", "li", "table", "thead", "tbody",
         "tr", "td", "th", "blockquote", "pre", "code", "h1", "h2", "h3", "h4", "hr", "a"}
_LINK = re.compile(r'<a href="([^"]*)"[^>]*>(.*?)</a>', re.S)


@dataclass
class Attachment:
    index: int
    filename: str
    content_type: str
    size: int


@dataclass
class MessageView:
    new_text: str = ""
    quoted: str = ""
    html: str | None = None  # sanitised, safe to place in a page
    images_dropped: int = 0
    attachments: list[Attachment] = field(default_factory=list)


def view(raw: bytes, channel: str) -> MessageView:
    msg = read(raw, channel)
    out = MessageView()
    if msg is not None:
        whole, new = (msg.text or "").strip(), (msg.new_text or "").strip()
        out.new_text = new or whole
        out.quoted = whole[len(new):].strip() if new and whole.startswith(new) else ("" if new == whole else whole)
    if channel != Channel.EMAIL:
        return out
    parsed = _stdlib(raw)
    if parsed is None:
        return out
    for part in parsed.walk():
        if part.get_content_type() == "text/html" and not part.get_filename() and out.html is None:
            out.html, out.images_dropped = sanitise(_payload_text(part))
    out.attachments = [Attachment(i, name or f"attachment-{i + 1}", ctype, len(data))
                       for i, (name, ctype, data) in enumerate(attachments(parsed))]
    return out


def sanitise(markup: str) -> tuple[str, int]:
    """HTML safe to show: structure and text only, links with their target written out."""
    images = len(re.findall(r"<img\b", markup, re.I))
    clean = nh3.clean(markup, tags=_TAGS, attributes={"a": {"href"}}, url_schemes={"http", "https", "mailto"},
                      link_rel="noopener noreferrer nofollow", strip_comments=True)
    return _LINK.sub(_show_target, clean), images


def _show_target(m: re.Match) -> str:
    href = html.unescape(m.group(1))
    return (f'<a href="{html.escape(href)}" rel="noopener noreferrer nofollow" target="_blank">{m.group(2)}</a>'
            f' <span class="link-target">[{html.escape(href)}]</span>')


def attachments(parsed: EmailMessage) -> list[tuple[str, str, bytes]]:
    """(file name, declared type, bytes) for each attachment, in the order they appear."""
    found = []
    for part in parsed.walk():
        if part.is_multipart():
            continue
        name = part.get_filename()
        if not name and part.get_content_disposition() != "attachment":
            continue
        try:
            data = part.get_payload(decode=True) or b""
        except Exception:
            data = b""
        found.append((name or "", part.get_content_type(), data))
    return found


def _stdlib(raw: bytes) -> EmailMessage | None:
    try:
        return email.message_from_bytes(raw, policy=email.policy.default)
    except Exception:
        return None


def _payload_text(part) -> str:
    data = part.get_payload(decode=True) or b""
    try:
        return data.decode(part.get_content_charset() or "utf-8", "replace")
    except LookupError:
        return data.decode("utf-8", "replace")
