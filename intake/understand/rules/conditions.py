"""The ``when:`` part of a rule: condition kinds, how they are written, and how they test.

Each kind is a small class registered under the key people write in rules.yaml. Compiling
checks the options strictly (unknown keys and wrong types are errors with a line number);
testing is a pure function of the message ``Facts``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from intake.errors import IntakeError
from intake.message import ROBOT_SENDER, DealerFacts, ParsedMessage, Reference
from intake.understand import detectors
from intake.understand.reply import split_postscript
from intake.understand.rules.text import KeywordIndex, keyword_pattern, tagged, word_positions
from intake.understand.rules.words import forms, language_of, plain
from intake.yamlconf import Document, Problem

# Text a condition can search, and how to get it from a message. ``body`` is the main
# request the dealer newly wrote; a side request after a "PS" is ``postscript``.
TEXT_FIELDS: dict[str, Callable[[ParsedMessage], str]] = {
    "subject": lambda m: m.subject,
    "body": lambda m: split_postscript(m.new_text)[0],
    "postscript": lambda m: split_postscript(m.new_text)[1],
    "quoted": lambda m: m.text if m.new_text != m.text else "",
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
HEADERS = "headers"
# The fields worked out once when a message is parsed (``prepare``); the others on demand.
PREPARED_FIELDS = ("subject", "body", "postscript")


def prepare(msg: ParsedMessage) -> ParsedMessage:
    """Work out, once, what rules read and what depends on the message alone: the words of
    each text field stemmed in the message's language, the references and order lines.
    Called by the parsers, so deciding (and reclassifying) repeats none of it."""
    lang = language_of(msg.language)
    msg.prepared = {name: forms(TEXT_FIELDS[name](msg) or "", lang) for name in PREPARED_FIELDS}
    msg.prepared_language = lang
    msg.numbers = detectors.references(f"{msg.subject}\n{msg.new_text}")
    msg.order_lines = detectors.order_lines(TEXT_FIELDS["body"](msg))
    facts = Facts(msg, None, KeywordIndex(set()))
    msg.detected = {name: find(facts) for name, find in DETECTORS.items()}
    return msg


class Facts:
    """What conditions look at, computed at most once per message and field."""

    def __init__(self, msg: ParsedMessage, dealer: DealerFacts | None, index: KeywordIndex,
                 own_domains: tuple[str, ...] = ()):
        self.msg = msg
        self.dealer = dealer
        self.own_domains = own_domains
        self.language = language_of(msg.language)  # the stemmer's
        self.is_reply: bool | None = None
        self._index = index
        self._texts: dict[str, str] = {}
        self._hits: dict[str, frozenset[str]] = {}
        self._positions: dict[str, list[tuple[int, int, str]]] = {}
        self._found_in: dict[str, tuple[list[tuple[int, int, str, bool]], str, str]] = {}

    def detected(self, name: str) -> list[str]:
        """What one detector found in the subject and the new text (see ``DETECTORS``);
        ``prepare`` has usually found it already."""
        got = self.msg.detected.get(name)
        if got is None:
            got = self.msg.detected[name] = DETECTORS[name](self)
        return got

    def order_lines(self) -> list[str]:
        if self.msg.order_lines is None:
            self.msg.order_lines = detectors.order_lines(self.text("body"))
        return self.msg.order_lines

    def references(self) -> list[Reference]:
        """The references in the subject and the new text (found when parsed, if it was)."""
        if self.msg.numbers is None:
            self.msg.numbers = detectors.references(f"{self.msg.subject}\n{self.msg.new_text}")
        return self.msg.numbers

    def text(self, name: str) -> str:
        got = self._texts.get(name)
        if got is None:
            got = self._texts[name] = TEXT_FIELDS[name](self.msg) or ""
        return got

    def hits(self, name: str) -> frozenset[str]:
        """Every keyword pattern (of any rule) found in this field, from one scan; for
        ``DETECTED``, the detectors that found something."""
        got = self._hits.get(name)
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
            else:
                got = frozenset(hit[2] for hit in self._found(name)[0])
            self._hits[name] = got
        return got

    def _found(self, name: str) -> tuple[list[tuple[int, int, str, bool]], str, str]:
        """Keyword hits in one (not combined) field, with the field's two forms."""
        got = self._found_in.get(name)
        if got is None:
            msg = self.msg
            lang = self.language
            ready = msg.prepared.get(name) if msg.prepared_language == lang else None
            normalised, words = ready or forms(self.text(name), lang)
            got = self._found_in[name] = (self._index.find_in(normalised, words, lang), normalised, words)
        return got

    def positions(self, name: str) -> list[tuple[int, int, str]]:
        """(first word, last word, pattern) of each keyword hit in one (not combined) field."""
        got = self._positions.get(name)
        if got is None:
            got = self._positions[name] = word_positions(*self._found(name))
        return got


class CompileError(IntakeError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


@dataclass
class Compiler:
    """Turns the YAML of a ``when:`` into condition objects, collecting every problem."""

    doc: Document
    lists: dict[str, list[tuple[str, str | None]]]  # name -> (word, language or None for any)
    problems: list[Problem] = field(default_factory=list)
    keywords: dict[str, set[str]] = field(default_factory=dict)  # field -> patterns

    def error(self, path, message: str) -> None:
        self.problems.append(self.doc.problem(path, message))

    def compile(self, spec: Any, path) -> Condition | None:
        if isinstance(spec, list):
            return All([c for i, s in enumerate(spec) if (c := self.compile(s, path + (i,)))])
        if not isinstance(spec, dict) or not spec:
            self.error(path, "expected a mapping of conditions, for example `subject: [order]`")
            return None
        parts = []
        for key, value in spec.items():
            cls = CONDITIONS.get(key)
            if cls is None:
                self.error(path + (key,), f"unknown condition {key!r}; expected one of {', '.join(sorted(CONDITIONS))}")
                continue
            cond = cls.build(self, value, path + (key,))
            if cond is not None:
                parts.append(cond)
        return parts[0] if len(parts) == 1 else All(parts)


class Condition:
    key = ""

    @classmethod
    def build(cls, c: Compiler, value: Any, path) -> Condition | None:
        raise NotImplementedError

    def test(self, f: Facts) -> bool:
        raise NotImplementedError

    def explain(self, f: Facts) -> list[str]:
        """Why it matched, for `rules test` and the case log; call only when ``test`` is true."""
        return [self.key]

    def trigger(self) -> frozenset[tuple[str, str]] | None:
        """(field, keyword pattern) pairs at least one of which must be found for this
        condition to hold, or None when it can hold without any keyword. Lets the engine
        skip, unseen, every rule none of whose keywords a message contains."""
        return None


CONDITIONS: dict[str, type[Condition]] = {}


def register(cls: type[Condition]) -> type[Condition]:
    CONDITIONS[cls.key] = cls
    # Classes made by type() below must be module attributes, or compiled rules could not
    # be pickled for the parse worker processes.
    globals().setdefault(cls.__name__, cls)
    return cls


@register
@dataclass
class All(Condition):
    parts: list[Condition]
    key = "all"

    @classmethod
    def build(cls, c, value, path):
        if not isinstance(value, list) or not value:
            c.error(path, "`all` expects a non-empty list of conditions")
            return None
        return cls([p for i, v in enumerate(value) if (p := c.compile(v, path + (i,)))])

    def test(self, f):
        for p in self.parts:  # noqa: SIM110 - a loop: cheaper than all() on the hot path
            if not p.test(f):
                return False
        return True

    def explain(self, f):
        return [e for p in self.parts for e in p.explain(f)]

    def trigger(self):
        triggers = [t for p in self.parts if (t := p.trigger()) is not None]
        return min(triggers, key=len) if triggers else None


@register
@dataclass
class Any_(Condition):
    parts: list[Condition]
    key = "any"

    @classmethod
    def build(cls, c, value, path):
        if not isinstance(value, list) or not value:
            c.error(path, "`any` expects a non-empty list of conditions")
            return None
        return cls([p for i, v in enumerate(value) if (p := c.compile(v, path + (i,)))])

    def test(self, f):
        for p in self.parts:  # noqa: SIM110 - a loop: cheaper than any() on the hot path
            if p.test(f):
                return True
        return False

    def explain(self, f):
        return [e for p in self.parts if p.test(f) for e in p.explain(f)]

    def trigger(self):
        triggers = [p.trigger() for p in self.parts]
        return None if any(t is None for t in triggers) else frozenset().union(*triggers)


@register
@dataclass
class Not(Condition):
    part: Condition
    key = "not"

    @classmethod
    def build(cls, c, value, path):
        part = c.compile(value, path)
        return cls(part) if part else None

    def test(self, f):
        return not self.part.test(f)

    def explain(self, f):
        return ["not(...)"]


def _strings(c: Compiler, value: Any, path, what: str) -> list[str] | None:
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return [str(value)]
    if isinstance(value, list) and value and all(isinstance(v, (str, int, float)) for v in value):
        return [str(v) for v in value]
    c.error(path, f"expected {what}: a string or a non-empty list of strings")
    return None


@dataclass
class TextMatch(Condition):
    """Whole-word keywords (case/accent-insensitive, * for a word prefix) and/or regexes."""

    field_name: str
    patterns: dict[str, str]  # pattern -> keyword as written
    regexes: list[re.Pattern]
    min_hits: int = 1

    OPTIONS = {"words", "regex", "min_hits"}

    @classmethod
    def build(cls, c, value, path):
        if not isinstance(value, dict):
            value = {"words": value}
        problems_before = len(c.problems)
        for k in value:
            if k not in cls.OPTIONS:
                c.error(path + (k,), f"unknown option {k!r}; expected words, regex or min_hits")
        words, regexes = [], []
        if "words" in value:
            for i, w in enumerate(_strings(c, value["words"], path + ("words",), "keywords") or []):
                if w.startswith("@"):
                    listed = c.lists.get(w[1:])
                    if listed is None:
                        c.error(path + ("words", i), f"unknown list {w[1:]!r}; define it under `lists:`")
                    else:
                        words.extend(listed)
                else:
                    words.append((w, None))
        for i, r in enumerate(_strings(c, value["regex"], path + ("regex",), "regular expressions") or []
                              if "regex" in value else []):
            try:
                regexes.append(re.compile(r, re.IGNORECASE | re.MULTILINE))
            except re.error as exc:
                c.error(path + ("regex", i) if isinstance(value["regex"], list) else path + ("regex",),
                        f"invalid regular expression {r!r}: {exc}")
        patterns = {}
        # A comma separates keywords: punctuation is never part of one, so a line of a list
        # may hold all the words of one language.
        for w, lang in ((part.strip(), lang) for word, lang in words for part in word.split(",")):
            if not w:
                continue
            try:
                pattern = keyword_pattern(w)
            except ValueError as exc:
                c.error(path + ("words",), str(exc))
                continue
            patterns[tagged(pattern, lang)] = w
        min_hits = value.get("min_hits", 1)
        if not isinstance(min_hits, int) or isinstance(min_hits, bool) or min_hits < 1:
            c.error(path + ("min_hits",), "min_hits must be a whole number of at least 1")
            min_hits = 1
        if not patterns and not regexes:
            if not problems_before < len(c.problems):  # not when a bad list or regex said why already
                c.error(path, "give `words` or `regex` to match")
            return None
        if patterns:
            for name in COMBINED_FIELDS.get(cls.key, (cls.key,)):
                c.keywords.setdefault(name, set()).update(patterns)
        return cls(cls.key, patterns, regexes, min_hits)

    def _found(self, f: Facts) -> list[str]:
        found = [self.patterns[p] for p in f.hits(self.field_name) if p in self.patterns]
        if self.regexes:
            text = f.text(self.field_name)
            for r in self.regexes:
                m = r.search(text)
                if m:
                    found.append(f"/{r.pattern}/={m.group(0)!r}")
        return found

    def test(self, f):
        if self.min_hits > 1:
            return len(self._found(f)) >= self.min_hits
        if self.patterns and not self.patterns.keys().isdisjoint(f.hits(self.field_name)):
            return True
        if self.regexes:
            text = f.text(self.field_name)
            for r in self.regexes:
                if r.search(text):
                    return True
        return False

    def explain(self, f):
        return [f"{self.field_name} has {', '.join(sorted(self._found(f)))}"]

    def trigger(self):
        if self.regexes or not self.patterns:
            return None
        return frozenset((name, p) for name in COMBINED_FIELDS.get(self.field_name, (self.field_name,))
                         for p in self.patterns)


for _name in TEXT_FIELDS:
    register(type(f"{_name.title().replace('_', '')}Field", (TextMatch,), {"key": _name}))


def _refs(*kinds: str) -> Callable[[Facts], list[str]]:
    def find(f: Facts) -> list[str]:
        return [r.value for r in f.references() if r.kind in kinds]
    return find


def _attachments(m: ParsedMessage) -> list[tuple[str, str]]:
    return [(a.name, a.content_type) for a in m.attachments]


# What ``detect:`` can ask for; each is a function of the message facts returning what it found.
DETECTORS: dict[str, Callable[[Facts], list[str]]] = {
    "order_lines": lambda f: f.order_lines(),
    "po_number": _refs("po"),
    "sales_order_number": _refs("sales_order"),
    "quote_ref": _refs("quote"),
    "claim_ref": _refs("claim"),
    "invoice_ref": _refs("invoice"),
    "tracking_ref": _refs("tracking", "container"),
    "dates": lambda f: detectors.dates(f.text("body")),
    "quantities": lambda f: detectors.quantities(f.text("body")),
    "po_attachment": lambda f: detectors.po_attachment(_attachments(f.msg)),
    "drawing_attachment": lambda f: detectors.drawing_attachment(_attachments(f.msg)),
}


@register
@dataclass
class Detect(Condition):
    """Structure found in the message: ``detect: [order_lines, po_number]`` holds when any does."""

    names: tuple[str, ...]
    key = "detect"

    @classmethod
    def build(cls, c, value, path):
        got = _strings(c, value, path, "detector names")
        if not got:
            return None
        unknown = [n for n in got if n not in DETECTORS]
        if unknown:
            c.error(path, f"unknown detector {unknown[0]!r}; expected one of {', '.join(DETECTORS)}")
            return None
        c.keywords.setdefault(DETECTED, set()).update(got)
        return cls(tuple(got))

    def test(self, f):
        return any(f.detected(n) for n in self.names)

    def explain(self, f):
        return [f"{n}: {', '.join(f.detected(n))[:80]}" for n in self.names if f.detected(n)]

    def trigger(self):
        # Like keywords: a rule that needs a detector's finding is not tested without one.
        return frozenset((DETECTED, n) for n in self.names)


@register
@dataclass
class Near(Condition):
    """Two groups of words close together: ``near: {words: [[a, b], [c]], within: 2}`` holds
    when a word of the first group and one of the second stand at most ``within`` words
    apart in the same field (``fields``, default the body). "Wrong" next to
    "invoice" is an account query; "wrong" three sentences from "invoice" may be a fault."""

    first: TextMatch
    second: TextMatch
    within: int
    fields: tuple[str, ...]
    key = "near"

    OPTIONS = {"words", "within", "fields"}

    @classmethod
    def build(cls, c, value, path):
        if not isinstance(value, dict) or set(value) - cls.OPTIONS or "words" not in value:
            c.error(path, "expected a mapping with `words: [[...], [...]]` and optionally `within`, `fields`")
            return None
        groups = value["words"]
        if not (isinstance(groups, list) and len(groups) == 2):
            c.error(path + ("words",), "expected two groups of words: [[...], [...]]")
            return None
        fields = tuple(_strings(c, value.get("fields", ["body"]), path + ("fields",), "fields") or ())
        for name in fields:
            if name not in TEXT_FIELDS or name in COMBINED_FIELDS:
                c.error(path + ("fields",), f"unknown field {name!r}; expected one of "
                        f"{', '.join(f for f in TEXT_FIELDS if f not in COMBINED_FIELDS)}")
                return None
        within = value.get("within", 2)
        if not isinstance(within, int) or isinstance(within, bool) or within < 0:
            c.error(path + ("within",), "within must be a whole number of words (0: next to each other)")
            return None
        parts = []
        for i, group in enumerate(groups):
            sub = Compiler(c.doc, c.lists)
            match = TextMatch.build(sub, {"words": group}, path + ("words", i))
            c.problems.extend(sub.problems)
            if match is None:
                return None
            for name in fields:
                c.keywords.setdefault(name, set()).update(match.patterns)
            parts.append(match)
        return cls(parts[0], parts[1], within, fields)

    def _pairs(self, f: Facts):
        for name in self.fields:
            hits = f.positions(name)
            a = [(s, e) for s, e, p in hits if p in self.first.patterns]
            b = [(s, e) for s, e, p in hits if p in self.second.patterns]
            for s1, e1 in a:
                for s2, e2 in b:
                    if s2 - e1 - 1 <= self.within and s1 - e2 - 1 <= self.within:
                        yield name
                        return

    def test(self, f):
        return next(self._pairs(f), None) is not None

    def explain(self, f):
        return [f"{next(self._pairs(f))} has words of both groups within {self.within} words"]

    def trigger(self):
        return frozenset((name, p) for name in self.fields for p in self.first.patterns)


@register
@dataclass
class Header(Condition):
    """A header is present, or its value has keywords / matches a regex."""

    name: str
    value: TextMatch | None
    key = "header"

    @classmethod
    def build(cls, c, value, path):
        if isinstance(value, str):
            value = {"name": value}
        if not isinstance(value, dict) or not isinstance(value.get("name"), str):
            c.error(path, "expected a header name, or a mapping with `name` and `words` or `regex`")
            return None
        name = value["name"].lower()
        c.keywords.setdefault(HEADERS, set()).add(name)
        rest = {k: v for k, v in value.items() if k != "name"}
        if not rest:
            return cls(name, None)
        sub = Compiler(c.doc, c.lists)
        match = TextMatch.build(sub, rest, path)
        c.problems.extend(sub.problems)
        return cls(name, match)

    def trigger(self):
        # Like a keyword: most mail has none of the headers automatic mail carries.
        return frozenset({(HEADERS, self.name)})

    def test(self, f):
        values = f.msg.headers.get(self.name)
        if not values:
            return False
        if self.value is None:
            return True
        text = "\n".join(values)
        if self.value.patterns:
            norm = plain(text)
            if any(p.partition(":")[2] in norm if ":" in p else p in norm for p in self.value.patterns):
                return True
        return any(r.search(text) for r in self.value.regexes)

    def explain(self, f):
        return [f"header {self.name}: {f.msg.header(self.name)[:60]!r}"]


@dataclass
class OneOf(Condition):
    """A message property equals one of the given values (case-insensitive)."""

    values: frozenset[str]

    @classmethod
    def build(cls, c, value, path):
        got = _strings(c, value, path, "values")
        return cls(frozenset(v.lower() for v in got)) if got else None

    def get(self, f: Facts) -> str:
        raise NotImplementedError

    def test(self, f):
        return self.get(f).lower() in self.values

    def explain(self, f):
        return [f"{self.key} is {self.get(f)}"]


def _one_of(key: str, getter: Callable[[Facts], str]) -> None:
    register(type(f"{key.title()}Is", (OneOf,), {"key": key, "get": lambda self, f: getter(f) or ""}))


_one_of("language", lambda f: f.msg.language)
_one_of("channel", lambda f: f.msg.channel)
_one_of("call_status", lambda f: f.msg.call_status)
_one_of("call_direction", lambda f: f.msg.call_direction)
_one_of("content_type", lambda f: f.msg.content_type)
_one_of("dealer_area", lambda f: f.dealer.area if f.dealer else "")
_one_of("dealer_country", lambda f: f.dealer.country if f.dealer else "")


@register
@dataclass
class FromDomain(Condition):
    """The sender's domain is one of these, or a subdomain of one."""

    domains: tuple[str, ...]
    key = "from_domain"

    @classmethod
    def build(cls, c, value, path):
        got = _strings(c, value, path, "domains")
        return cls(tuple(d.lower().lstrip("@.") for d in got)) if got else None

    def test(self, f):
        d = f.msg.from_domain
        return any(d == x or d.endswith("." + x) for x in self.domains)

    def explain(self, f):
        return [f"from_domain is {f.msg.from_domain}"]


@register
@dataclass
class DealerKnown(Condition):
    known: bool
    key = "dealer"

    @classmethod
    def build(cls, c, value, path):
        if value not in ("known", "unknown"):
            c.error(path, "expected `known` or `unknown`")
            return None
        return cls(value == "known")

    def test(self, f):
        return (f.dealer is not None) == self.known

    def explain(self, f):
        return [f"dealer {'known: ' + f.dealer.key if f.dealer else 'unknown'}"]


_REPLY_SUBJECT = re.compile(r"^\s*(re|aw|antw|sv|vs|odp|r|rif|res|ref)\s*(\[\d+\])?\s*:", re.IGNORECASE)


@dataclass
class Flag(Condition):
    """A yes/no property of the message, written ``key: true`` or ``key: false``."""

    wanted: bool

    @classmethod
    def build(cls, c, value, path):
        if not isinstance(value, bool):
            c.error(path, "expected true or false")
            return None
        return cls(value)

    def value(self, f: Facts) -> bool:
        raise NotImplementedError

    def test(self, f):
        return self.value(f) == self.wanted

    def explain(self, f):
        return [f"{self.key} is {str(self.wanted).lower()}"]


@register
class IsReply(Flag):
    """The message answers an earlier one (a reply prefix on the subject, or In-Reply-To).

    A reply's subject names the old topic, so rules reading the subject usually want
    ``reply: false``.
    """

    key = "reply"

    def value(self, f):
        if f.is_reply is None:
            f.is_reply = bool(f.msg.in_reply_to or _REPLY_SUBJECT.match(f.msg.subject))
        return f.is_reply


@register
class Colleague(Flag):
    """A person at one of the organisation's own domains wrote it (``own_domains`` and the
    domain of ``mail_from`` in intake.yaml; each domain exactly, list subdomains too): an
    internal copy, not a dealer. Robot senders at those domains (the web site's form mailer,
    no-reply) are not colleagues."""

    key = "colleague"

    def value(self, f):
        # Exact domains only: dealers' domains may well be subdomains of a shared parent.
        return f.msg.from_domain.lower() in f.own_domains and not ROBOT_SENDER.match(f.msg.from_addr)


@register
class HasAttachment(Flag):
    key = "has_attachment"

    def value(self, f):
        return bool(f.msg.attachments)


@register
@dataclass
class CallDuration(Condition):
    """Seconds of a call, within ``min``/``max`` (either may be left out)."""

    low: int | None
    high: int | None
    key = "call_duration"

    @classmethod
    def build(cls, c, value, path):
        if not isinstance(value, dict) or not value or set(value) - {"min", "max"}:
            c.error(path, "expected a mapping with `min` and/or `max` seconds")
            return None
        for k, v in value.items():
            if not isinstance(v, int) or isinstance(v, bool):
                c.error(path + (k,), "expected a whole number of seconds")
                return None
        return cls(value.get("min"), value.get("max"))

    def test(self, f):
        d = f.msg.call_duration
        if d is None:
            return False
        return (self.low is None or d >= self.low) and (self.high is None or d <= self.high)

    def explain(self, f):
        return [f"call_duration is {f.msg.call_duration}s"]
