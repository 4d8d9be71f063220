"""What conditions look at: the text fields of a message, worked out once, and what the
detectors found in it.

``prepare`` runs when a message is parsed, so classifying it (and classifying it again
after a rules change) repeats none of the stemming or detection.
"""

from __future__ import annotations

from collections.abc import Callable

from intake.message import DealerFacts, ParsedMessage, Reference
from intake.understand import attachments, detectors, quantities
from intake.understand.footer import courtesy_question_told, greeted_name_hidden
from intake.understand.order_lines import item_count, order_lines
from intake.understand.references import references as find_references
from intake.understand.reply import is_reply, only_a_closing, split_postscript, topic
from intake.understand.rules.regex import RegexSet, UserRegex
from intake.understand.rules.text import KeywordIndex, split_tag, word_positions
from intake.understand.rules.words import STEMMERS, forms, language_of, question_sentences, sentence_numbers


# Text a condition can search, and how to get it from a message. ``body`` is the main
# request the dealer newly wrote; a side request after a "PS" is ``postscript``.
def _body(m: ParsedMessage) -> str:
    body = courtesy_question_told(split_postscript(m.new_text)[0])
    # A new mail with nothing written under its subject ("Brochures please", "Sent from my
    # iPhone") says what it wants in the subject: that is its main text.
    if not any(c.isalpha() for c in body) and not is_reply(m.subject, m.in_reply_to):
        return m.subject
    # A question in the subject with only "Thanks, Rob" under it asks that question.
    if "?" in m.subject and only_a_closing(body) and not is_reply(m.subject, m.in_reply_to):
        return f"{m.subject}\n{body}"
    return body


QUOTED_START = 1000  # characters of a reply's quoted history that ``quoted_start`` reads

TEXT_FIELDS: dict[str, Callable[[ParsedMessage], str]] = {
    "subject": lambda m: m.subject,
    "body": _body,
    "postscript": lambda m: split_postscript(m.new_text)[1],
    "own": lambda m: m.own_text,  # a forwarder's own words above what they forward
    "quoted": lambda m: m.text if m.new_text != m.text else "",
    # What a reply answers, read from its start only: threads run long, and reading a whole
    # one costs more than deciding the message.
    "quoted_start": lambda m: m.text[len(m.new_text):len(m.new_text) + QUOTED_START] if m.new_text != m.text else "",
    "text": lambda m: f"{m.subject}\n{m.new_text}",
    "from": lambda m: f"{m.from_name} <{m.from_addr}>",
    "to": lambda m: " ".join(m.to + m.cc),
    "attachment_name": lambda m: "\n".join(a.name for a in m.attachments),
    "attachment_type": lambda m: "\n".join(a.content_type for a in m.attachments),
}

# `text` is searched as its two parts, so a keyword never matches across the boundary
# between the subject and the body.
COMBINED_FIELDS = {"text": ("subject", "body")}

# Not text fields: what the engine asks for when it wants the detectors that found
# something, and the names of the headers a message has.
DETECTED = "detected"
_NOTHING: frozenset[str] = frozenset()

HEADERS = "headers"


# What a message is, besides its text: conditions compare these with values
# (``channel: call``), case aside.
PROPERTIES: dict[str, Callable[[Facts], str]] = {
    "language": lambda f: f.msg.language,
    "channel": lambda f: f.msg.channel,
    "call_status": lambda f: f.msg.call_status,
    "call_direction": lambda f: f.msg.call_direction,
    "content_type": lambda f: f.msg.content_type,
    "parsing": lambda f: "malformed" if f.msg.malformed else "clean",  # mail the parsers could not read whole
    "dealer_area": lambda f: f.dealer.area if f.dealer else "",
    "dealer_country": lambda f: f.dealer.country if f.dealer else "",
}
PROPERTY = "property:"


def property_field(name: str) -> str:
    """The key under which the engine files the rules a property's value triggers."""
    return PROPERTY + name


def header_field(name: str) -> str:
    """A header's values as a text that regexes search (``Facts.text``)."""
    return f"header:{name}"


REGEX_SUFFIX = "/regex"


def regex_field(name: str) -> str:
    """The key under which the engine files the regexes found in a text field, apart from
    its keywords."""
    return f"{name}{REGEX_SUFFIX}"

def _keyword_text(name: str, text: str) -> str:
    if name == "subject":
        return topic(text)
    return greeted_name_hidden(text) if name == "body" else text


# The fields worked out once when a message is parsed (``prepare``); the others on demand.
PREPARED_FIELDS = ("subject", "body", "postscript")

def prepare(msg: ParsedMessage) -> ParsedMessage:
    """Work out, once, what rules read and what depends on the message alone: the words of
    each text field stemmed in the message's language, the references and order lines.
    Called by the parsers, so deciding (and reclassifying) repeats none of it. The other
    detectors run when a rule asks for them, and what they find is kept on the message."""
    lang = language_of(msg.language)
    msg.texts = {name: TEXT_FIELDS[name](msg) or "" for name in PREPARED_FIELDS}
    msg.prepared = {name: forms(_keyword_text(name, text), lang) for name, text in msg.texts.items()}
    msg.prepared_language = lang
    msg.numbers = find_references(f"{msg.subject}\n{msg.new_text}")
    msg.order_lines = order_lines(TEXT_FIELDS["body"](msg))
    return msg

MIN_FOREIGN_HIT = 4  # letters of a keyword found in a text of unknown language by another language's stems


class Facts:
    """What conditions look at, computed at most once per message and field."""

    def __init__(self, msg: ParsedMessage, dealer: DealerFacts | None, index: KeywordIndex,
                 own_domains: tuple[str, ...] = (), regexes: dict[str, RegexSet] | None = None):
        self.msg = msg
        self._regexes = regexes or {}
        self._regex_hits: dict[str, frozenset[str]] = {}
        self._regex_found: dict[tuple[str, str], bool] = {}
        self.dealer = dealer
        self.own_domains = own_domains
        self.language = language_of(msg.language)  # the stemmer's
        self.is_reply: bool | None = None
        self._index = index
        self._texts: dict[str, str] = {}
        self.keyword_hits: dict[str, frozenset[str]] = {}  # field -> its keyword hits (see ``hits``)
        self._positions: dict[str, list[tuple[int, int, str]]] = {}
        self._sentences: dict[str, list[int]] = {}
        self._questions: dict[str, frozenset[int]] = {}
        self._found_in: dict[str, tuple[list[tuple[int, int, str, bool]], str, str]] = {}

    def property(self, name: str) -> str:
        """One of ``PROPERTIES``, lower-cased ("" when the message has none)."""
        return (PROPERTIES[name](self) or "").lower()

    def detected(self, name: str) -> list[str]:
        """What one detector found in the subject and the new text (see ``DETECTORS``);
        ``prepare`` has usually found it already."""
        got = self.msg.detected.get(name)
        if got is None:
            got = self.msg.detected[name] = DETECTORS[name](self)
        return got

    def order_lines(self) -> list[str]:
        if self.msg.order_lines is None:
            self.msg.order_lines = order_lines(self.text("body"))
        return self.msg.order_lines

    def references(self) -> list[Reference]:
        """The references in the subject and the new text (found when parsed, if it was)."""
        if self.msg.numbers is None:
            self.msg.numbers = find_references(f"{self.msg.subject}\n{self.msg.new_text}")
        return self.msg.numbers

    def text(self, name: str) -> str:
        got = self._texts.get(name)
        if got is None:
            if name.startswith("header:"):
                got = "\n".join(self.msg.headers.get(name[7:], ()))
            else:
                got = self.msg.texts.get(name)
                if got is None:
                    got = TEXT_FIELDS[name](self.msg) or ""
            self._texts[name] = got
        return got

    def regex_hits(self, name: str) -> frozenset[str]:
        """The regexes (as written) that trigger rules found in this field, from one pass."""
        got = self._regex_hits.get(name)
        if got is None:
            matcher = self._regexes.get(name)
            text = self.text(name) if matcher else ""
            # A header the message lacks has nothing to match: its condition is false anyway.
            got = matcher.matching(text) if matcher and (text or not name.startswith("header:")) else frozenset()
            self._regex_hits[name] = got
        return got

    def regex_found(self, name: str, regex: UserRegex) -> bool:
        """Whether one regex of a condition matches in a field. A regex that triggers rules
        was searched for with the others of its field in one pass; any other is searched
        for alone, and only when a condition that a message's words already made a
        candidate gets to it ("eight words at most" is asked of one-line replies only)."""
        matcher = self._regexes.get(name)
        if matcher is not None and regex.written in matcher.written:
            return regex.written in self.regex_hits(name)
        key = (name, regex.written)
        got = self._regex_found.get(key)
        if got is None:
            text = self.text(name)
            # A header the message lacks has nothing to match: its condition is false anyway.
            got = (bool(text) or not name.startswith("header:")) and regex.search(text) is not None
            self._regex_found[key] = got
        return got

    def hits(self, name: str) -> frozenset[str]:
        """Every keyword pattern (of any rule) found in this field, from one scan; for
        ``DETECTED``, the detectors that found something."""
        got = self.keyword_hits.get(name)
        if got is None:
            parts = COMBINED_FIELDS.get(name)
            if name == HEADERS:
                got = frozenset(self.msg.headers)
            elif name == DETECTED:
                found = self.msg.detected if len(self.msg.detected) == len(DETECTORS) else {
                    n: self.detected(n) for n in DETECTORS}
                got = frozenset(n for n, v in found.items() if v)
            elif parts:
                got = frozenset().union(*(self.hits(p) for p in parts))
            elif not self.text(name):
                got = _NOTHING
            else:
                found = self._found(name)[0]
                got = frozenset([hit[2] for hit in found]) if found else _NOTHING
            self.keyword_hits[name] = got
        return got

    def _found(self, name: str) -> tuple[list[tuple[int, int, str, bool]], str, str]:
        """Keyword hits in one (not combined) field, with the field's two forms."""
        got = self._found_in.get(name)
        if got is None:
            msg = self.msg
            lang = self.language
            ready = msg.prepared.get(name) if msg.prepared_language == lang else None
            normalised, words = ready or forms(_keyword_text(name, self.text(name)), lang)
            found = self._index.find_in(normalised, words, lang)
            if not msg.language and len(normalised) > 2:
                found = self._in_every_language(name, found, normalised, words)
            got = self._found_in[name] = (found, normalised, words)
        return got

    def _in_every_language(self, name: str, found: list[tuple[int, int, str, bool]], normalised: str,
                           words: str) -> list[tuple[int, int, str, bool]]:
        """A text too short for its language to be told ("Sofaen kom skadet.", "Bitte 3
        weitere.") is searched with the words of every language, each stemmed its own way.
        The word positions are worked out here, since each language's hits are offsets
        into its own stemmed form."""
        positions = {(first, last, p) for first, last, p in word_positions(found, normalised, words)}
        everything = list(found)
        for other in STEMMERS:
            if other == self.language:
                continue
            other_normalised, other_words = forms(self.text(name), other)
            # A stem of three letters in another language is as often a word of this one
            # ("dan", then, read as Spanish "dañado").
            hits = [h for h in self._index.find_in(other_normalised, other_words, other)
                    if split_tag(h[2])[0] == other and h[1] - h[0] >= MIN_FOREIGN_HIT - 1]
            everything.extend(hits)
            positions.update(word_positions(hits, other_normalised, other_words))
        self._positions[name] = sorted(positions)
        return everything

    def sentences(self, name: str) -> list[int]:
        """For word n of one (not combined) field, the number of its sentence."""
        got = self._sentences.get(name)
        if got is None:
            got = self._sentences[name] = sentence_numbers(self.text(name))
        return got

    def questions(self, name: str) -> frozenset[int]:
        """The numbers of the sentences of one (not combined) field that end in a question mark."""
        got = self._questions.get(name)
        if got is None:
            got = self._questions[name] = question_sentences(self.text(name))
        return got

    def positions(self, name: str) -> list[tuple[int, int, str]]:
        """(first word, last word, pattern) of each keyword hit in one (not combined) field."""
        got = self._positions.get(name)
        if got is None:
            got = self._positions[name] = word_positions(*self._found(name))
        return got

def _refs(*kinds: str) -> Callable[[Facts], list[str]]:
    def find(f: Facts) -> list[str]:
        return [r.value for r in f.references() if r.kind in kinds]
    return find

def _attachments(m: ParsedMessage) -> list[tuple[str, str]]:
    return [(a.name, a.content_type) for a in m.attachments]

# What ``detect:`` can ask for; each is a function of the message facts returning what it found.
DETECTORS: dict[str, Callable[[Facts], list[str]]] = {
    "order_lines": lambda f: f.order_lines(),
    "order_list": lambda f: lines if item_count(lines := f.order_lines()) >= 3 else [],
    "po_number": _refs("po"),
    "sales_order_number": _refs("sales_order"),
    "quote_ref": _refs("quote"),
    "claim_ref": _refs("claim"),
    "invoice_ref": _refs("invoice"),
    "tracking_ref": _refs("tracking", "container"),
    "dates": lambda f: detectors.dates(f.text("body")),
    "money": lambda f: detectors.money(f.text("body")),
    "dimensions": lambda f: detectors.dimensions(f.text("body")),
    "part_counts": lambda f: detectors.part_counts(f.text("body")),
    "quantities": lambda f: quantities.quantities(f.text("body"), f.language),
    "subject_quantities": lambda f: quantities.quantities(f.text("subject"), f.language),
    "added_quantities": lambda f: quantities.added_quantities(f.text("body"), f.language),
    "po_attachment": lambda f: attachments.po_attachment(_attachments(f.msg)),
    "drawing_attachment": lambda f: attachments.drawing_attachment(_attachments(f.msg)),
}
# Those that read the whole text when asked (the rest were found when the message was parsed,
# or read a few attachment names): tens of microseconds a message each.
SLOW_DETECTORS = frozenset({"dates", "money", "dimensions", "part_counts", "quantities", "subject_quantities",
                            "added_quantities"})
