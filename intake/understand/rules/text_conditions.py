"""Conditions on what the dealer wrote: keywords and regexes in a field, words near each
other, and what the detectors found."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from intake.understand.rules.conditions import LONG_FIELDS, Condition, _strings
from intake.understand.rules.facts import (
    COMBINED_FIELDS,
    DETECTED,
    DETECTORS,
    SLOW_DETECTORS,
    TEXT_FIELDS,
    Facts,
    regex_field,
)
from intake.understand.rules.regex import UserRegex, user_regex


class Keywords:
    """The keyword table of a condition that names several lists: the lists' own tables,
    looked through in turn, instead of one merged copy. Each list's table is built once and
    shared; every worker holds the rules, and merged copies of the same long lists for every
    combination that conditions name took most of the memory the rules need."""

    __slots__ = ("tables",)

    def __init__(self, tables: list[dict[str, str]]):
        self.tables = tuple(tables)

    def keys(self) -> Keywords:
        return self

    def isdisjoint(self, found) -> bool:
        for table in self.tables:  # noqa: SIM110 - on every test of a condition; a loop costs less than all()
            if not table.keys().isdisjoint(found):
                return False
        return True

    def __contains__(self, pattern: str) -> bool:
        for table in self.tables:  # noqa: SIM110
            if pattern in table:
                return True
        return False

    def __getitem__(self, pattern: str) -> str:
        for table in self.tables:
            if pattern in table:
                return table[pattern]
        raise KeyError(pattern)

    def __iter__(self):
        return iter(dict.fromkeys(p for table in self.tables for p in table))

    def __len__(self) -> int:
        return len(dict.fromkeys(p for table in self.tables for p in table))

    def __bool__(self) -> bool:
        return any(self.tables)

    def items(self):
        return ((p, self[p]) for p in self)

    def __eq__(self, other) -> bool:
        return dict(self.items()) == (dict(other.items()) if hasattr(other, "items") else other)


@dataclass
class TextMatch(Condition):
    """Whole-word keywords (case/accent-insensitive, * for a word prefix) and/or regexes."""

    field_name: str
    patterns: dict[str, str] | Keywords  # pattern -> keyword as written
    regexes: list[UserRegex]
    min_hits: int = 1

    OPTIONS = {"words", "regex", "min_hits"}

    @classmethod
    def build(cls, c, value, path, *, field_name: str = "body"):
        if not isinstance(value, dict):
            value = {"words": value}
        problems_before = len(c.problems)
        for k in value:
            if k not in cls.OPTIONS:
                c.error(path + (k,), f"unknown option {k!r}; expected words, regex or min_hits")
        regexes = []
        written = _strings(c, value["words"], path + ("words",), "keywords") if "words" in value else None
        # Most conditions name the same few lists: each set of them becomes one table, shared.
        patterns = c.word_tables.get(tuple(written)) if written else None
        if patterns is None:
            tables: list[dict[str, str]] = []
            own: dict[str, str] = {}  # the words written in the condition itself
            for i, w in enumerate(written or []):
                if w.startswith("@"):
                    listed = c.list_patterns(w[1:], path + ("words", i))
                    if listed is None:
                        c.error(path + ("words", i), f"unknown list {w[1:]!r}; define it under `lists:`")
                    elif listed:
                        tables.append(listed)
                else:
                    own.update(c.word_patterns([(w, None)], path + ("words",)))
            if own:
                tables.append(own)
            patterns = tables[0] if len(tables) == 1 else Keywords(tables) if tables else {}
            if written and len(c.problems) == problems_before:
                c.word_tables[tuple(written)] = patterns
        for i, r in enumerate(_strings(c, value["regex"], path + ("regex",), "regular expressions") or []
                              if "regex" in value else []):
            try:
                regexes.append(user_regex(r))
            except ValueError as exc:
                c.error(path + ("regex", i) if isinstance(value["regex"], list) else path + ("regex",),
                        f"invalid regular expression {r!r}: {exc}")
        min_hits = value.get("min_hits", 1)
        if not isinstance(min_hits, int) or isinstance(min_hits, bool) or min_hits < 1:
            c.error(path + ("min_hits",), "min_hits must be a whole number of at least 1")
            min_hits = 1
        if not patterns and not regexes:
            if not problems_before < len(c.problems):  # not when a bad list or regex said why already
                c.error(path, "give `words` or `regex` to match")
            return None
        if patterns:
            for name in COMBINED_FIELDS.get(field_name, (field_name,)):
                c.add_keywords(name, patterns)
        return cls(field_name, patterns, regexes, min_hits)

    def _found(self, f: Facts) -> list[str]:
        found = [self.patterns[p] for p in f.hits(self.field_name) if p in self.patterns]
        if self.regexes:
            text = f.text(self.field_name)
            for r in self.regexes:
                m = r.search(text)
                if m:
                    found.append(f"/{r.written}/={m.group(0)!r}")
        return found

    def test(self, f):
        if self.min_hits > 1:
            return len(self._found(f)) >= self.min_hits
        if self.patterns:
            hits = f.keyword_hits.get(self.field_name)  # worked out already, as a rule's trigger
            if hits is None:
                hits = f.hits(self.field_name)
            patterns = self.patterns
            for table in (patterns.tables if type(patterns) is Keywords else (patterns,)):
                if not table.keys().isdisjoint(hits):
                    return True
        if self.regexes:
            for r in self.regexes:
                if f.regex_found(self.field_name, r):
                    return True
        return False

    def explain(self, f):
        return [f"{self.field_name} has {', '.join(sorted(self._found(f)))}"]

    def cost(self):
        return 1 if self.regexes or self.min_hits > 1 or self.field_name in LONG_FIELDS else 0

    def trigger(self):
        return frozenset([(name, p) for name in COMBINED_FIELDS.get(self.field_name, (self.field_name,))
                          for p in self.patterns]
                         + [(regex_field(self.field_name), r.written) for r in self.regexes])

    def field_regexes(self):
        return [(self.field_name, r) for r in self.regexes]

    def words(self):
        return frozenset(self.patterns)


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

    def cost(self):
        return 2 if any(n in SLOW_DETECTORS for n in self.names) else 0

    def explain(self, f):
        return [f"{n}: {', '.join(f.detected(n))[:80]}" for n in self.names if f.detected(n)]

    def trigger(self):
        # Like keywords: a rule that needs a detector's finding is not tested without one.
        return frozenset((DETECTED, n) for n in self.names)

SHORT_GROUP = 150  # patterns (a keyword counts once per language it is written for)


def _of_sentence(sentence: bool | str, which: str) -> str:
    return f" of {which} question" if sentence == "question" else f" of {which} sentence" if sentence else ""


@dataclass
class Near(Condition):
    """Two groups of words close together: ``near: {words: [[a, b], [c]], within: 2}`` holds
    when a word of the first group and one of the second stand at most ``within`` words
    apart in the same field (``fields``, default the body), with ``sentence: true`` in the
    same sentence, and with ``sentence: question`` in the same sentence ending in a question
    mark ("can you work out the price?" asks a price; "sin prisa" beside "¿qué tal?" does not). "Wrong" next to "invoice" is an account query; "wrong" three
    sentences from "invoice" may be a fault. "Send us 50 brochures" asks for literature;
    "send us 4 sofas. If you have swatch cards, pop a few in." orders, and asks for
    literature in another sentence."""

    first: TextMatch
    second: TextMatch
    within: int
    fields: tuple[str, ...]
    sentence: bool | str = False  # or "question"
    in_order: bool = False  # the word of the second group comes after the first's
    key = "near"

    OPTIONS = {"words", "within", "fields", "sentence", "in_order"}

    @classmethod
    def build(cls, c, value, path):
        if not isinstance(value, dict) or set(value) - cls.OPTIONS or "words" not in value:
            c.error(path, "expected a mapping with `words: [[...], [...]]` and optionally `within`, `fields`, "
                    "`sentence`, `in_order`")
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
        sentence, in_order = value.get("sentence", False), value.get("in_order", False)
        if not isinstance(sentence, bool) and sentence != "question":
            c.error(path + ("sentence",), "sentence must be true, false or question")
            return None
        if not isinstance(in_order, bool):
            c.error(path + ("in_order",), "in_order must be true or false")
            return None
        parts = []
        for i, group in enumerate(groups):
            sub = c.sub()
            match = TextMatch.build(sub, {"words": group}, path + ("words", i))
            c.problems.extend(sub.problems)
            if match is None:
                return None
            for name in fields:
                c.add_keywords(name, match.patterns)
            parts.append(match)
        return cls(parts[0], parts[1], within, fields, sentence, in_order)

    def _pairs(self, f: Facts):
        for name in self.fields:
            found = f.hits(name)
            # Where each word stands is worked out only when both groups are in the field.
            if self.first.patterns.keys().isdisjoint(found) or self.second.patterns.keys().isdisjoint(found):
                continue
            hits = f.positions(name)
            a = [(s, e) for s, e, p in hits if p in self.first.patterns]
            b = [(s, e) for s, e, p in hits if p in self.second.patterns]
            same = self._same_sentence(f, name) if a and b else None
            for s1, e1 in a:
                for s2, e2 in b:
                    if self._close(s1, e1, s2, e2) and (same is None or same(s1, s2)):
                        yield name
                        return

    def _same_sentence(self, f: Facts, name: str) -> Callable[[int, int], bool] | None:
        """Whether words n and m are in one sentence (a question, if asked for); None: not asked."""
        if not self.sentence:
            return None
        sentence_of = f.sentences(name)
        if self.sentence == "question":
            questions = f.questions(name)
            return lambda n, m: sentence_of[n] == sentence_of[m] and sentence_of[n] in questions
        return lambda n, m: sentence_of[n] == sentence_of[m]

    def _close(self, s1: int, e1: int, s2: int, e2: int) -> bool:
        """Whether words s1..e1 of the first group and s2..e2 of the second are in reach."""
        if self.in_order and s2 <= e1:
            return False
        return s2 - e1 - 1 <= self.within and s1 - e2 - 1 <= self.within

    def test(self, f):
        return next(self._pairs(f), None) is not None

    def cost(self):
        return 1

    def explain(self, f):
        return [f"{next(self._pairs(f))} has words of both groups within {self.within} words"
                + (", in that order" if self.in_order else "") + _of_sentence(self.sentence, "one")]

    def trigger(self):
        # Both groups must be found, so either will do: a short list of particular words is
        # in less mail ("as quoted" is rarer than "confirm" or "go ahead"); between two long
        # ones the first is written as the one that says most (faults, not the goods named).
        group = self.first
        if len(self.second.patterns) < len(self.first.patterns) and len(self.second.patterns) <= SHORT_GROUP:
            group = self.second
        return frozenset((name, p) for name in self.fields for p in group.patterns)

    def words(self):
        return frozenset(self.first.patterns) | frozenset(self.second.patterns)

    def together(self):
        return [[frozenset(self.first.patterns), frozenset(self.second.patterns)]]


@dataclass
class Apart(Near):
    """A word of the first group with no word of the second within reach: ``apart: {words:
    [[send us], [brochures]], within: 30, sentence: true}`` holds for "Please send us 4
    sofas. If you have swatch cards, pop a few in." (the sending is of sofas) and not for
    "Please send us 50 brochures". Unlike ``not: {near: ...}``, another sentence that pairs
    the two ("… and could you send some swatch cards") does not undo the first."""

    key = "apart"

    def _alone(self, f: Facts):
        for name in self.fields:
            found = f.hits(name)
            if self.first.patterns.keys().isdisjoint(found):
                continue
            if self.second.patterns.keys().isdisjoint(found):
                yield name
                return
            hits = f.positions(name)
            a = [(s, e) for s, e, p in hits if p in self.first.patterns]
            b = [(s, e) for s, e, p in hits if p in self.second.patterns]
            same = self._same_sentence(f, name) if a and b else None
            for s1, e1 in a:
                if not any(self._close(s1, e1, s2, e2) and (same is None or same(s1, s2)) for s2, e2 in b):
                    yield name
                    return

    def test(self, f):
        return next(self._alone(f), None) is not None

    def trigger(self):
        # Only the first group must be found.
        return frozenset((name, p) for name in self.fields for p in self.first.patterns)

    def words(self):
        return frozenset(self.first.patterns)

    def together(self):
        return []

    def explain(self, f):
        return [f"{next(self._alone(f))} has a word of the first group with none of the second within "
                f"{self.within} words" + _of_sentence(self.sentence, "its")]
