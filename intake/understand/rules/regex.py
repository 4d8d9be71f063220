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
import re._constants as _sre
import re._parser as _sre_parse
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


# Required text is looked for with str.find, which on a header or a subject costs a tenth of
# a call into RE2; longer texts go to RE2 directly.
PREFILTER_TEXT_LIMIT = 256
MIN_REQUIRED = 3


def required_text(pattern: str) -> tuple[str, ...] | None:
    """Strings (case folded) one of which every match of ``pattern`` contains, or None when
    none is plain to see: "text/calendar.*method=reply" needs "text/calendar", and
    "(<(mailer-daemon|postmaster)@|^mail delivery)" needs one of its three names. Only
    ASCII counts, so case folding the text cannot hide a match RE2 would find."""
    if "[:" in pattern:  # RE2's [[:alpha:]] reads to Python as a set and a literal "]"
        return None
    try:  # Python's parser reads the common syntax; \z is its \Z
        parsed = _sre_parse.parse(pattern.replace("\\z", "\\Z"))
    except (re.error, OverflowError, RecursionError):
        return None
    return _needs(list(parsed))


def _needs(items) -> tuple[str, ...] | None:
    best: tuple[str, ...] | None = None

    def better(found: tuple[str, ...] | None) -> None:
        nonlocal best
        if found and (best is None or (len(found), -min(map(len, found))) < (len(best), -min(map(len, best)))):
            best = found

    run = ""
    for op, av in items:
        if op is _sre.LITERAL and av < 128:
            run += chr(av).casefold()
            continue
        if len(run) >= MIN_REQUIRED:
            better((run,))
        run = ""
        if op is _sre.SUBPATTERN:
            better(_needs(av[3]))
        elif op is _sre.BRANCH:
            alternatives = [_needs(branch) for branch in av[1]]
            if all(alternatives):
                better(tuple(sorted({text for found in alternatives for text in found})))
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and av[0] >= 1:
            better(_needs(av[2]))
    if len(run) >= MIN_REQUIRED:
        better((run,))
    return best


# A set is matched in one pass by RE2's DFA alone, which gives up (and would report no
# match) when its memory runs out; on short texts it never comes near that, and long ones
# are searched pattern by pattern, where RE2 can stop early and always has a fallback.
SET_TEXT_LIMIT = 4096
_NOTHING: frozenset[str] = frozenset()


class RegexSet:
    """Every regex that rules apply to one field. Most mail matches none of them, and the
    built-in rules test several on every message (out-of-office, bounce and read-receipt
    subjects): one pass over the text answers for all, so each rule only looks up whether
    its pattern was among them."""

    def __init__(self, regexes: list[UserRegex]):
        self._build(regexes)

    def __getstate__(self):
        return self.literals + self.patterns  # a compiled set cannot be pickled: rebuilt where it lands

    def __setstate__(self, regexes):
        self._build(regexes)

    def _build(self, regexes: list[UserRegex]) -> None:
        self._empty: frozenset[str] | None = None
        unique = list({r.written: r for r in regexes}.values())
        self.written = frozenset(r.written for r in unique)
        self.literals = [r for r in unique if r.literal is not None]
        self.patterns = [r for r in unique if r.literal is None]
        # What any match of any pattern contains: a text without it matches none of them.
        needed = [required_text(r.written) for r in self.patterns]
        self._needs = tuple(sorted({t for n in needed for t in n})) if needed and all(needed) else None
        self._set = None
        if self.patterns:
            options = re2.Options()
            options.case_sensitive = False
            options.log_errors = False
            options.never_capture = True
            options.max_mem = 64 << 20
            try:
                matcher = re2.Set.SearchSet(options)
                for r in self.patterns:
                    matcher.Add("(?m)" + r.written)
                matcher.Compile()
                self._set = matcher
            except re2.error:  # too large to compile as one: searched one by one
                self._set = None

    def matching(self, text: str) -> frozenset[str]:
        """The patterns (as written) found in ``text``."""
        if not text:  # an empty field (most postscripts): the same answer every time
            if self._empty is None:
                self._empty = self._matching(text)
            return self._empty
        return self._matching(text)

    def _matching(self, text: str) -> frozenset[str]:
        found = [r.written for r in self.literals if r.literal in text] if self.literals else []
        if self.patterns and (self._needs is None or not self._ruled_out(text)):
            if self._set is not None and len(text) <= SET_TEXT_LIMIT:
                hit = self._set.Match(text)
                if hit:
                    patterns = self.patterns
                    found.extend(patterns[i].written for i in hit)
            else:
                found.extend(r.written for r in self.patterns if r.compiled.search(text))
        return frozenset(found) if found else _NOTHING

    def _ruled_out(self, text: str) -> bool:
        """Whether a short text lacks all the plain text some match would need."""
        if len(text) > PREFILTER_TEXT_LIMIT:
            return False
        folded = text.casefold()
        for needed in self._needs:  # noqa: SIM110 - run on every message; a loop costs less than any()
            if needed in folded:
                return False
        return True
