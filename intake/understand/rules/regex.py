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

from dataclasses import dataclass, field

import re2

_OPTIONS = re2.Options()
_OPTIONS.case_sensitive = False
_OPTIONS.log_errors = False  # a bad pattern is reported with its line, not on stderr


@dataclass(frozen=True)
class UserRegex:
    written: str  # as in rules.yaml, for explanations
    compiled: object = field(compare=False, repr=False)

    def search(self, text: str):
        return self.compiled.search(text)


def user_regex(pattern: str) -> UserRegex:
    """Compile a pattern from rules.yaml; ValueError says why one cannot be run."""
    try:
        return UserRegex(pattern, re2.compile("(?m)" + pattern, _OPTIONS))
    except re2.error as exc:
        reason = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        if "perl operator" in reason or "backreference" in reason or "escape sequence" in reason:
            reason += " (look-around and back-references cannot be matched in linear time)"
        raise ValueError(reason) from None
