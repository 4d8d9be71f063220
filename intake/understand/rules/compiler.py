"""Turning the YAML of a ``when:`` into condition objects, with every problem at its line.

``CONDITIONS`` is the one table of what people may write: each key and the function that
builds its condition.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from intake.understand.rules.conditions import All, Any_, Condition, Not
from intake.understand.rules.facts import TEXT_FIELDS
from intake.understand.rules.field_conditions import (
    PROPERTIES,
    Asked,
    CallDuration,
    Colleague,
    DealerKnown,
    FromDomain,
    HasAttachment,
    Header,
    IsReply,
    OneOf,
)
from intake.understand.rules.text import keyword_pattern, tagged
from intake.understand.rules.text_conditions import Apart, Detect, Near, TextMatch
from intake.yamlconf import Document, Problem

Builder = Callable[[Any, Any, tuple], Condition | None]  # (compiler, value, path)
CONDITIONS: dict[str, Builder] = {
    **{kind.key: kind.build for kind in (All, Any_, Not, Detect, Near, Apart, Header, FromDomain, DealerKnown, IsReply, Asked,
                                         Colleague, HasAttachment, CallDuration)},
    **{name: partial(TextMatch.build, field_name=name) for name in TEXT_FIELDS},
    **{name: partial(OneOf.build, prop=name) for name in PROPERTIES},
}


@dataclass
class Compiler:
    """Turns the YAML of a ``when:`` into condition objects, collecting every problem."""

    doc: Document
    lists: dict[str, list[tuple[str, str | None]]]  # name -> (word, language or None for any)
    problems: list[Problem] = field(default_factory=list)
    keywords: dict[str, set[str]] = field(default_factory=dict)  # field -> patterns
    # pattern -> the keyword as written: the stemmers need its accents ("gostaríamos" and
    # "gostariamos" stem differently), the pattern has them folded away.
    spellings: dict[str, set[str]] = field(default_factory=dict)
    # Keyword tables already built, shared by every condition that names the same words:
    # most rules name the same few lists, and each worker holds a copy of the rules.
    word_tables: dict[tuple, dict[str, str]] = field(default_factory=dict)  # a `words:` as written -> its table
    lists_done: dict[str, dict[str, str]] = field(default_factory=dict)  # list name -> pattern -> keyword

    def list_patterns(self, name: str, path) -> dict[str, str] | None:
        """The patterns of one list (pattern -> keyword as written), worked out once."""
        got = self.lists_done.get(name)
        if got is None:
            words = self.lists.get(name)
            if words is None:
                return None
            problems = len(self.problems)
            got = self.word_patterns(words, path)
            if len(self.problems) == problems:
                self.lists_done[name] = got
        return got

    def word_patterns(self, words: list[tuple[str, str | None]], path) -> dict[str, str]:
        """Pattern -> keyword for (keywords, language) pairs. A comma separates keywords:
        punctuation is never part of one, so a line of a list may hold all the words of
        one language."""
        patterns = {}
        for w, lang in ((part.strip(), lang) for word, lang in words for part in word.split(",")):
            if not w:
                continue
            try:
                pattern = keyword_pattern(w)
            except ValueError as exc:
                self.error(path, str(exc))
                continue
            patterns[tagged(pattern, lang)] = w
        return patterns

    def add_keywords(self, field_name: str, patterns: dict[str, str]) -> None:
        self.keywords.setdefault(field_name, set()).update(patterns)
        for pattern, written in patterns.items():
            self.spellings.setdefault(pattern, set()).add(written)

    def sub(self) -> Compiler:
        """A compiler for a nested part whose problems the caller reports as its own."""
        return Compiler(self.doc, self.lists, word_tables=self.word_tables, lists_done=self.lists_done)

    def error(self, path, message: str) -> None:
        self.problems.append(self.doc.problem(path, message))

    def compile(self, spec: Any, path) -> Condition | None:
        if isinstance(spec, list):
            listed = [c for i, s in enumerate(spec) if (c := self.compile(s, path + (i,)))]
            return All(listed) if listed else None
        if not isinstance(spec, dict) or not spec:
            self.error(path, "expected a mapping of conditions, for example `subject: [order]`")
            return None
        parts = []
        for key, value in spec.items():
            build = CONDITIONS.get(key)
            if build is None:
                self.error(path + (key,), f"unknown condition {key!r}; expected one of {', '.join(sorted(CONDITIONS))}")
                continue
            cond = build(self, value, path + (key,))
            if cond is not None:
                parts.append(cond)
        if not parts:  # each part that failed has said why
            return None
        return parts[0] if len(parts) == 1 else All(parts)
