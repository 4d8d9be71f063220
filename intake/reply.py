"""Stage 2, step 2: separate what the dealer newly wrote from quoted history and signature.

Rules must judge a message by its new words: a dealer's "thanks, received" above a quoted
order is not a second order. mail-parser-reply knows the reply headers that mail clients
write in each of the dealers' languages ("On ... wrote:", "Am ... schrieb", "Le ... a écrit",
Outlook's "From:/Sent:" block, ...).
"""

from __future__ import annotations

import logging

from mailparser_reply import EmailReplyParser

# The languages dealers write in; English is always included by the library.
REPLY_LANGUAGES = ["en", "de", "fr", "es", "it", "nl", "pl"]
MAX_SCAN = 100_000  # very long bodies are cut before scanning: the new text is at the top

logging.getLogger("mailparser_reply").setLevel(logging.ERROR)
_parser = EmailReplyParser(languages=REPLY_LANGUAGES)


def split_reply(text: str) -> str:
    """The newly written part of ``text``; the whole text when no quote can be told apart."""
    if not text:
        return ""
    try:
        replies = _parser.read(text[:MAX_SCAN]).replies
    except Exception:  # a reply-parser bug must not cost the message
        return text
    for reply in replies:
        body = reply.body
        if body:
            return body
    return text
