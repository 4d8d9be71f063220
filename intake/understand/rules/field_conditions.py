"""Conditions on the message's properties: headers, sender domain, dealer, language,
channel, yes/no flags, call duration."""

from __future__ import annotations

from dataclasses import dataclass

from intake.message import ROBOT_SENDER
from intake.understand.reply import asked_in_quote, is_reply
from intake.understand.rules.conditions import Condition, _strings
from intake.understand.rules.facts import (
    HEADERS,
    PROPERTIES,
    Facts,
    header_field,
    property_field,
    regex_field,
)
from intake.understand.rules.text_conditions import TextMatch
from intake.understand.rules.words import plain


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
        sub = c.sub()
        match = TextMatch.build(sub, rest, path)
        c.problems.extend(sub.problems)
        return cls(name, match)

    def trigger(self):
        # Like a keyword: most mail has none of the headers automatic mail carries; and when
        # every mail has it (Content-Type), what the regexes look for in it is the rare thing.
        if self.value is not None and self.value.regexes and not self.value.patterns:
            return frozenset((regex_field(header_field(self.name)), r.written) for r in self.value.regexes)
        return frozenset({(HEADERS, self.name)})

    def test(self, f):
        values = f.msg.headers.get(self.name)
        if not values:
            return False
        if self.value is None:
            return True
        if self.value.patterns:
            norm = plain("\n".join(values))
            if any(p.partition(":")[2] in norm if ":" in p else p in norm for p in self.value.patterns):
                return True
        if self.value.regexes:
            name = header_field(self.name)
            return any(f.regex_found(name, r) for r in self.value.regexes)
        return False

    def field_regexes(self):
        return [(header_field(self.name), r) for r in self.value.regexes] if self.value else []

    def explain(self, f):
        return [f"header {self.name}: {f.msg.header(self.name)[:60]!r}"]

# Properties a rule can compare with a list of values: ``language: [de, nl]``.


@dataclass
class OneOf(Condition):
    """A message property (``PROPERTIES``) equals one of the given values (case-insensitive)."""

    prop: str
    values: frozenset[str]

    @classmethod
    def build(cls, c, value, path, *, prop: str):
        got = _strings(c, value, path, "values")
        return cls(prop, frozenset(v.lower() for v in got)) if got else None

    def test(self, f):
        return f.property(self.prop) in self.values

    def explain(self, f):
        return [f"{self.prop} is {PROPERTIES[self.prop](f) or ''}"]

    def trigger(self):
        # Like a keyword: "channel: call" need not be tested on mail.
        return frozenset((property_field(self.prop), v) for v in self.values)


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

class IsReply(Flag):
    """The message answers an earlier one (a reply prefix on the subject, or In-Reply-To).

    A reply's subject names the old topic, so rules reading the subject usually want
    ``reply: false``.
    """

    key = "reply"

    def value(self, f):
        if f.is_reply is None:
            f.is_reply = is_reply(f.msg.subject, f.msg.in_reply_to)
        return f.is_reply

class Asked(Flag):
    """The reply quotes a question in the first lines of what it answers ("> Which fabric
    would you like?"): a few words above it are likely the answer."""

    key = "asked"

    def value(self, f):
        return asked_in_quote(f.msg.text, f.msg.new_text)

    def cost(self):
        return 1

class Colleague(Flag):
    """A person at one of the organisation's own domains wrote it (``own_domains`` and the
    domain of ``mail_from`` in intake.yaml; each domain exactly, list subdomains too): an
    internal copy, not a dealer. Robot senders at those domains (the web site's form mailer,
    no-reply) are not colleagues."""

    key = "colleague"

    def value(self, f):
        # Exact domains only: dealers' domains may well be subdomains of a shared parent.
        return bool(f.own_domains) and f.msg.from_domain.lower() in f.own_domains \
            and not ROBOT_SENDER.match(f.msg.from_addr)

class HasAttachment(Flag):
    key = "has_attachment"

    def value(self, f):
        return bool(f.msg.attachments)

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
