"""Parsing a stored call: the record as the rules engine sees it, like a message.

The caller's number (E.164) stands in for the sender, the voicemail transcript or call note
for the body, and ``channel``, ``call_status`` and ``call_duration`` are there for rules.
"""

from __future__ import annotations

from intake.message import CallRecord, ParsedMessage, is_withheld


def parse_call(raw: bytes) -> ParsedMessage:
    """A stored call record as the rules engine sees it."""
    # Here, not at the top: showing a call (``read_call``) needs neither.
    from intake.understand.language import guess_language
    from intake.understand.rules.facts import prepare

    msg = read_call(raw)
    msg.language = guess_language(msg.text) if msg.text else ""
    return prepare(msg)


def read_call(raw: bytes) -> ParsedMessage:
    """The record as a message, without its language or the rules' word forms."""
    rec = CallRecord.from_raw(raw)
    text = rec.transcript
    withheld = is_withheld(rec.caller)
    return ParsedMessage(
        channel="call",
        message_id=rec.call_sid,
        from_addr="" if withheld else rec.caller,
        from_name="number withheld" if withheld else "",
        to=[rec.from_number if rec.direction == "outbound" else rec.to_number],
        # A neutral subject: it is shown on the case, and must not look like words to rules.
        subject="Telephone, number withheld" if withheld else f"Telephone {rec.caller}",
        date=rec.start_time,
        text=text,
        new_text=text,
        content_type="call",
        call_direction=rec.direction,
        call_status=rec.status,
        call_duration=rec.duration_seconds,
        no_auto_reply="a telephone call",
    )
