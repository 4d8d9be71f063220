"""Understanding one item: bytes -> (message, dealer, decision). Pure: no I/O, no clock.

Parse (mail-parser for email, the stored record for a call), identify the dealer, classify
with the rules, and find the order, quote and claim numbers. It runs in the parse workers
as well as in the daemon, so it takes everything it needs as arguments.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass, field

from intake.logs import bounded
from intake.message import ParsedMessage, Reference
from intake.understand.call import parse_call
from intake.understand.dealers import Dealer, Directory
from intake.understand.market import Mention, market_facts
from intake.understand.parse import parse_email
from intake.understand.references import references
from intake.understand.rules.engine import Decision, Rules, classify
from intake.understand.rules.words import language_of
from intake.vocab import Channel, Direction

PARSERS: dict[str, Callable[[bytes], ParsedMessage]] = {"email": parse_email, "call": parse_call}


@dataclass
class Outcome:
    item_id: int
    msg: ParsedMessage | None = None
    dealer: Dealer | None = None
    decision: Decision | None = None
    error: str | None = None
    references: list[Reference] = field(default_factory=list)
    facts: list[Mention] = field(default_factory=list)


def understand(raw: bytes, channel: str, rules: Rules, directory: Directory
               ) -> tuple[ParsedMessage, Dealer | None, Decision]:
    """The pure part of stage 2: bytes -> (message, dealer, decision). No I/O."""
    parser = PARSERS.get(channel)
    if parser is None:
        raise ValueError(f"no parser for channel {channel!r}")
    msg = parser(raw)
    dealer = directory.identify_email(msg.from_addr) if channel == Channel.EMAIL else directory.identify_phone(msg.from_addr)
    decision = classify(msg, dealer.facts() if dealer else None, rules.compiled()).explained()
    return msg, dealer, decision


def understand_one(item_id: int, channel: str, direction: str, raw: bytes, rules: Rules,
                   directory: Directory) -> Outcome:
    """Stage 2's pure part for one item, never raising. Outgoing mail (the coordinator's
    own) is only parsed: it is not a request, it may answer one."""
    try:
        if direction == Direction.OUT:
            return Outcome(item_id, PARSERS[channel](raw), None, None)
        msg, dealer, decision = understand(raw, channel, rules, directory)
        found = msg.numbers if msg.numbers is not None else references(f"{msg.subject}\n{msg.new_text}")
        facts = market_facts(msg.new_text or "", msg.language or "", competitors=rules.competitors,
                             products=rules.products, text_forms=_new_text_forms(msg)) if decision.actionable else []
        return Outcome(item_id, msg, dealer, decision, references=found, facts=facts)
    except Exception as exc:
        return Outcome(item_id, error=describe(exc))


def _new_text_forms(msg: ParsedMessage) -> tuple[str, str] | None:
    """The new text's word forms as the parser worked them out for the rules: those of the
    body, when there is no postscript (the body is then the whole new text)."""
    prepared = msg.prepared or {}
    body, postscript = prepared.get("body"), prepared.get("postscript")
    if body is None or postscript is None or postscript[0].strip() or msg.prepared_language != language_of(msg.language):
        return None
    return body


def describe(exc: Exception) -> str:
    """What went wrong, for the item's error column: short enough to read, whatever failed."""
    return bounded(f"{type(exc).__name__}: {exc}", 1_000) + "\n" + bounded(
        "".join(traceback.format_exception(exc)[-3:]), 2_000)
