"""Keyword matching that scans a text once, whatever the number of keywords.

Texts and keywords are normalised the same way (case folded, accents and punctuation
folded away, words separated by single spaces, padded with a space at each end), so a
keyword " bestellung " is a whole-word match by plain substring search, and "bestell*"
becomes " bestell", a word-prefix match. Every keyword of every rule goes into one
Aho-Corasick automaton per text field: one pass finds all hits, overlapping ones included.
Without pyahocorasick the same patterns are searched one by one: same results, slower.
"""

from __future__ import annotations

import re
import unicodedata

try:
    import ahocorasick
except ImportError:  # pragma: no cover - exercised by forcing the fallback in tests
    ahocorasick = None

# Letters that NFKD does not take apart into base letter + accent.
_FOLD = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"})
_MARKS = re.compile(r"[\u0300-\u036f]+")
_NONWORD = re.compile(r"[\W_]+")


def normalize(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form, padded: ' word word '."""
    text = text.casefold().translate(_FOLD)
    if not text.isascii():
        text = _MARKS.sub("", unicodedata.normalize("NFKD", text))
    return " " + _NONWORD.sub(" ", text).strip() + " "


def keyword_pattern(keyword: str) -> str:
    """The padded pattern for a keyword; a trailing * makes it a word prefix."""
    prefix = keyword.endswith("*")
    core = normalize(keyword.rstrip("*")).strip()
    if not core:
        raise ValueError(f"keyword {keyword!r} has no letters or digits")
    return f" {core}" if prefix else f" {core} "


class KeywordIndex:
    """All keywords of one text field, compiled together; ``hits(text)`` is one pass."""

    def __init__(self, patterns: set[str], use_automaton: bool = True):
        self.patterns = sorted(patterns)
        self._automaton = None
        if use_automaton and ahocorasick is not None and self.patterns:
            automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY, ahocorasick.KEY_STRING)
            for pattern in self.patterns:
                automaton.add_word(pattern, pattern)
            automaton.make_automaton()
            self._automaton = automaton

    @property
    def engine(self) -> str:
        return "aho-corasick" if self._automaton is not None else "substring"

    def hits(self, normalized: str) -> frozenset[str]:
        if not self.patterns:
            return frozenset()
        if self._automaton is not None:
            return frozenset(p for _end, p in self._automaton.iter(normalized))
        return frozenset(p for p in self.patterns if p in normalized)
