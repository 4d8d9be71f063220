"""Regular expressions from rules.yaml, matched by RE2 in time linear in the text.

Python's ``re`` backtracks: a pattern like ``(a+)+$`` takes exponential time on a short
line, and one such rule with one such message would stall every worker. RE2 never
backtracks, so a rule costs at most a pass over the text whatever it says. What it cannot
do in linear time (look-around, back-references) is refused when the rules are loaded.

As written in rules.yaml, a pattern matches case-insensitively and ``^``/``$`` match at
each line. ``\\b``, ``\\w`` and ``\\d`` mean ASCII letters and digits in RE2; ``\\pL`` is a
letter of any alphabet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import re2

_OPTIONS = re2.Options()
_OPTIONS.case_sensitive = False
_OPTIONS.log_errors = False  # a bad pattern is reported with its line, not on stderr


# A pattern of punctuation alone, escaped or not ("\\?", "!!"), is a plain substring: the
# rules' "asks a question" test runs on every message, and str.find is many times cheaper.
_PUNCTUATION_ONLY = re.compile(r"(?:\\[^\w\s]|[^\\.^$*+?{}\[\]|()\w\s])+")


@dataclass(frozen=True)
class _Found:
    text: str

    def group(self, _n: int = 0) -> str:
        return self.text


@dataclass(frozen=True)
class UserRegex:
    written: str  # as in rules.yaml, for explanations
    compiled: object = field(compare=False, repr=False)
    literal: str | None = field(default=None, compare=False, repr=False)

    def search(self, text: str):
        if self.literal is not None:
            return _Found(self.literal) if self.literal in text else None
        return self.compiled.search(text)


def user_regex(pattern: str) -> UserRegex:
    """Compile a pattern from rules.yaml; ValueError says why one cannot be run."""
    try:
        compiled = re2.compile("(?m)" + pattern, _OPTIONS)
    except re2.error as exc:
        reason = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        if "perl operator" in reason or "backreference" in reason or "escape sequence" in reason:
            reason += " (look-around and back-references cannot be matched in linear time)"
        raise ValueError(reason) from None
    literal = re.sub(r"\\(.)", r"\1", pattern) if _PUNCTUATION_ONLY.fullmatch(pattern) else None
    return UserRegex(pattern, compiled, literal)
