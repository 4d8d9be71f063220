"""Keyword matching that scans a text once, whatever the number of keywords.

A keyword is known by its language-independent form (``keyword_pattern``: folded words,
padded, " bestellen " or, with a trailing *, the prefix " bestell"); that is how rules
refer to it. What is searched is the stemmed form in the message's language (see
``words``): for each language the index keeps one Aho-Corasick automaton of every keyword
of every rule, built the first time a message in that language is seen, so one pass over
the stemmed text finds every hit. Without pyahocorasick the same forms are searched one by
one: same results, slower.

How a stemmed keyword may meet a word of the text (stems padded with spaces):

* whole words: always;
* the start of a longer word: when the keyword ends with * or its last stem has at least
  ``MIN_PARTIAL`` letters ("command" in "commandons");
* the end of a longer word: single words of ``MIN_PARTIAL`` letters or more, in languages
  that build compounds ("anfrag" in "preisanfrag").

Where stemming joins forms that mean different things (Italian "ordiniamo", we order, and
"ordine", an order, share the stem "ordin"), a keyword written ``=ordiniamo`` matches only
those exact words, accents and case still folded.
"""

from __future__ import annotations

from collections.abc import Iterable

from intake.understand.rules.words import (
    COMPOUNDING,
    DEFAULT_LANGUAGE,
    MIN_PARTIAL,
    STEMMERS,
    forms,
    language_of,
    plain,
    stems,
)

try:
    import ahocorasick
except ImportError:  # pragma: no cover - exercised by forcing the fallback in tests
    ahocorasick = None

WHOLE, PREFIX, SUFFIX = "whole", "prefix", "suffix"
# What may stand between the words of a keyword; it separates words and is not matched itself.
_SEPARATORS = frozenset(" '’-./&")


def keyword_pattern(keyword: str) -> str:
    """The language-independent name of a keyword; a trailing * makes it a word prefix, a
    leading = asks for exactly these words, unstemmed."""
    exact = keyword.startswith("=")
    prefix = keyword.endswith("*")
    core = plain(keyword.lstrip("=").rstrip("*")).strip()
    if not core:
        raise ValueError(f"keyword {keyword!r} has no letters or digits")
    ignored = sorted({ch for ch in keyword.lstrip("=").rstrip("*") if not ch.isalnum() and ch not in _SEPARATORS})
    if ignored:
        # "still £" would match every "still": say so rather than match more than was written.
        raise ValueError(f"keyword {keyword!r}: {' '.join(ignored)} cannot be matched (keywords are words and "
                         "numbers; use a regex for signs)")
    if exact and prefix:
        raise ValueError(f"keyword {keyword!r}: = (exact words) and * (any ending) do not go together")
    return f"={core} " if exact else f" {core}" if prefix else f" {core} "


def stemmed_forms(pattern: str, lang: str, spelled: Iterable[str] = ()) -> list[tuple[str, str]]:
    """(searched string, how it may match) for one keyword pattern in one language.

    ``spelled`` are the keyword as written in the rules, accents and all. A stemmer reads
    "gostaríamos" and "gostariamos" as different words, and a dealer may type either, so
    each is stemmed in both forms and every distinct stem searched."""
    if pattern.startswith("="):
        return []
    star = not pattern.endswith(" ")
    forms: list[tuple[str, str]] = []
    for text in (pattern, *(w.lstrip("=").rstrip("*") for w in spelled)):
        got = stems(text, lang)
        if not got:
            continue
        core = " ".join(got)
        for form in ((f" {core}", PREFIX if star or len(got[-1]) >= MIN_PARTIAL else WHOLE),
                     *([(f"{core} ", SUFFIX)] if lang in COMPOUNDING and len(got) == 1
                       and len(core) >= MIN_PARTIAL else [])):
            if form not in forms:
                forms.append(form)
    return forms


def tagged(pattern: str, lang: str | None) -> str:
    """A pattern meant in one language only: "de: bestellen ". Untagged patterns are meant
    in every language. The tag is part of the pattern's identity, so the Norwegian "våt"
    (wet) and the English "VAT", folded alike, stay two keywords of two rules."""
    return f"{lang}:{pattern}" if lang else pattern


def split_tag(pattern: str) -> tuple[str | None, str]:
    head, sep, rest = pattern.partition(":")
    if sep and head in STEMMERS:
        return head, rest
    return None, pattern


class KeywordIndex:
    """All keywords of one rule set; ``hits(text, lang)`` is one pass over the stemmed text."""

    def __init__(self, patterns: set[str], use_automaton: bool = True,
                 spellings: dict[str, set[str]] | None = None,
                 together: list[list[frozenset[str]]] = ()):
        self.patterns = sorted(patterns)
        self.spellings = spellings or {}
        self.companions = companions(together)
        self.use_automaton = use_automaton and ahocorasick is not None
        self._by_language: dict[str, _LanguageIndex] = {}

    def __getstate__(self):
        # Workers build their own automata on first use: cheaper than pickling them.
        return {**self.__dict__, "_by_language": {}}

    def meant_in(self, lang: str) -> list[tuple[str, str]]:
        """(pattern, keyword) searched in a message of ``lang``: words of that language,
        English words (dealers write order and product terms in English whatever their
        language) and words given for every language."""
        out = []
        for p in self.patterns:
            tag, keyword = split_tag(p)
            if tag is None or tag in (lang, DEFAULT_LANGUAGE):
                out.append((p, keyword))
        return out

    @property
    def engine(self) -> str:
        return "aho-corasick" if self.use_automaton else "substring"

    def for_language(self, lang: str) -> _LanguageIndex:
        """The index for a language as a message gives it ("", "und", "en"), kept under that
        name too, so that the next message in it finds the index at once."""
        key, lang = lang, language_of(lang)
        got = self._by_language.get(lang)
        if got is None:
            got = self._by_language[lang] = _LanguageIndex(self.meant_in(lang), lang, self.use_automaton,
                                                              self.spellings, self.companions)
        self._by_language[key] = got
        return got

    def hits(self, text: str, lang: str = "") -> frozenset[str]:
        """The patterns found in ``text`` (raw text, not yet normalised)."""
        return frozenset(p for _, _, p in self.positions(text, lang))

    def positions(self, text: str, lang: str = "") -> list[tuple[int, int, str]]:
        """(first word, last word, pattern) of every hit in ``text``; words count from 0."""
        if not self.patterns:
            return []
        lang = language_of(lang)
        normalised, words = forms(text, lang)
        return word_positions(self.find_in(normalised, words, lang), normalised, words)

    def find_in(self, normalised: str, words: str, lang: str) -> list[tuple[int, int, str, bool]]:
        """Every hit in a text already in its two forms (``words.forms``): (first, last
        character, pattern, whether found in the unstemmed form)."""
        if not self.patterns or len(normalised) < 3:  # an empty field is " "
            return []
        index = self._by_language.get(lang) or self.for_language(lang)
        return index.find(normalised, words)


def word_positions(found: list[tuple[int, int, str, bool]], normalised: str, words: str
                   ) -> list[tuple[int, int, str]]:
    """``find_in``'s hits as (first word, last word, pattern); the two forms of a text have
    the same words in the same order, so word n is word n in both."""
    out = []
    for first, last, p, in_plain in found:
        text = words if in_plain else normalised
        # Word n starts after the (n+1)th space of the padded text.
        out.append((text.count(" ", 0, first) - 1, text.count(" ", 0, last) - 1, p))
    return out


class _LanguageIndex:
    def __init__(self, patterns: list[tuple[str, str]], lang: str, use_automaton: bool,
                 spellings: dict[str, set[str]], companions: Companions | None = None):
        self.lang = lang
        self.partners = Partners(companions or {})
        # Searched as " words " in the unstemmed text: keywords written =exact, and English
        # words in mail of another language. A dealer who puts an English word in a French
        # mail writes it as English does; stemmed the French way it would meet French words
        # ("dent", a dent, would meet "dents", teeth).
        as_written = [(p, k) for p, k in patterns if k.startswith("=") or (
            lang != DEFAULT_LANGUAGE and k.endswith(" ") and split_tag(p)[0] == DEFAULT_LANGUAGE)]
        self.exact = [(p, f" {k.lstrip('=').lstrip()}") for p, k in as_written]
        written = {p for p, _ in as_written}
        by_form: dict[str, list[tuple[str, str]]] = {}
        for pattern, keyword in patterns:
            if pattern in written:
                continue
            for searched, how in stemmed_forms(keyword, lang, sorted(spellings.get(pattern, ()))):
                by_form.setdefault(searched, []).append((pattern, how))
        # searched string -> (its length, patterns met as whole words or prefixes, patterns
        # also met as the start of a longer word, patterns met as the end of a word)
        self.forms: dict[str, tuple[int, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
            searched: (len(searched),
                       tuple(p for p, how in targets if how != SUFFIX),
                       tuple(p for p, how in targets if how == PREFIX),
                       tuple(p for p, how in targets if how == SUFFIX))
            for searched, targets in by_form.items()}
        self._automaton = None
        if use_automaton and self.forms:
            self._automaton = _automaton(self.forms.items())
        # Exact words are searched in the unstemmed text, so they have an automaton of their
        # own: searched string -> (its length, its patterns, itself).
        self._exact_automaton = None
        if use_automaton and self.exact:
            by_searched: dict[str, list[str]] = {}
            for p, searched in self.exact:
                by_searched.setdefault(searched, []).append(p)
            self._exact_automaton = _automaton((k, (len(k), tuple(v), k)) for k, v in by_searched.items())

    def find(self, normalised: str, words: str) -> list[tuple[int, int, str, bool]]:
        """(first, last character, pattern, whether found in the unstemmed form) of every hit:
        the stemmed keywords in ``normalised``, the exact ones (where first found) in ``words``."""
        found = self.spans(normalised)
        if self._exact_automaton is not None:
            add = found.append
            seen = set()
            for end, (length, patterns, searched) in self._exact_automaton.iter(words):
                if searched not in seen:
                    seen.add(searched)
                    first, last = end - length + 2, end - 1
                    for p in patterns:
                        add((first, last, p, True))
        elif self.exact:
            found.extend((at + 1, at + len(searched) - 2, p, True) for p, searched in self.exact
                         if (at := words.find(searched)) >= 0)
        return found

    def _occurrences(self, text: str):
        if self._automaton is not None:
            return self._automaton.iter(text)
        return ((start + len(searched) - 1, value) for searched, value in self.forms.items()
                for start in _find_all(text, searched))

    def spans(self, normalised: str) -> list[tuple[int, int, str, bool]]:
        """(first, last character of the words it covers, pattern, False: not found in the
        unstemmed form) of every hit."""
        spans: list[tuple[int, int, int, tuple[str, ...]]] = []
        add = spans.append
        size = len(normalised)
        automaton = self._automaton
        for end, (length, whole, prefix, suffix) in (
                automaton.iter(normalised) if automaton is not None else self._occurrences(normalised)):
            start = end - length + 1
            if end + 1 >= size or normalised[end + 1] == " ":
                if whole:
                    add((start + 1, end, length, whole))
            elif prefix:
                add((start + 1, normalised.find(" ", end) - 1, length, prefix))
            if suffix:
                add((normalised.rfind(" ", 0, start) + 1, end - 1, length, suffix))
        return _longest(spans, self.partners)


def _automaton(entries):
    automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY, ahocorasick.KEY_STRING)
    for searched, value in entries:
        automaton.add_word(searched, value)
    automaton.make_automaton()
    return automaton


def _find_all(text: str, searched: str):
    at = text.find(searched)
    while at >= 0:
        yield at
        at = text.find(searched, at + 1)


# pattern -> the places it has in conjunctions, each ``conjunction << GROUP_BITS | group``
Companions = dict[str, tuple[int, ...]]
GROUP_BITS = 16


def companions(together: Iterable[list[frozenset[str]]]) -> Companions:
    """Which keywords are needed side by side: for each pattern, the conjunctions it is
    part of and in which of their groups. The keywords of one list mostly share their
    places, so each distinct tuple of places is kept once."""
    found: dict[str, set[int]] = {}
    for k, groups in enumerate(together):
        for g, group in enumerate(groups):
            for p in group:
                found.setdefault(p, set()).add(k << GROUP_BITS | g)
    shared: dict[tuple[int, ...], tuple[int, ...]] = {}
    return {p: shared.setdefault(key := tuple(sorted(places)), key) for p, places in found.items()}


class Partners:
    """Whether some rule needs two keywords in different groups of one conjunction; the
    same pairs meet in message after message, so each answer is kept."""

    def __init__(self, companions: Companions):
        self.companions = companions
        self.known: dict[tuple[str, str], bool] = {}
        self.known_groups: dict[tuple[tuple[tuple[str, ...], ...], tuple[str, ...]], tuple[str, ...]] = {}

    def __call__(self, longer: str, shorter: str) -> bool:
        got = self.known.get((longer, shorter))
        if got is None:
            got = self.known[(longer, shorter)] = self._work_out(longer, shorter)
        return got

    def kept(self, longer: tuple[tuple[str, ...], ...], shorter: tuple[str, ...]) -> tuple[str, ...]:
        """Those of ``shorter`` (found over the same words) that every one of ``longer``
        leaves to the rules that need both."""
        key = (longer, shorter)
        got = self.known_groups.get(key)
        if got is None:
            if len(self.known_groups) > 50_000:  # hostile text can make new combinations without end
                self.known_groups.clear()
            got = self.known_groups[key] = tuple(
                p for p in shorter if p in self.companions and all(self(o, p) for others in longer for o in others))
        return got

    def _work_out(self, longer: str, shorter: str) -> bool:
        mine, theirs = self.companions.get(longer), self.companions.get(shorter)
        if not mine or not theirs:
            return False
        return any(a >> GROUP_BITS == b >> GROUP_BITS and a != b for a in mine for b in theirs)


def _longest(spans: list[tuple[int, int, int, tuple[str, ...]]], partners: Partners | None = None
             ) -> list[tuple[int, int, str, bool]]:
    """The hits that no longer keyword shares words with: "price list" takes the words of
    "price" and of "a price", so asking for a price list is not also asking for a price.
    A longer keyword does not take the words of one a rule needs beside it: "change the
    order" is a change (order_change) and names the order (order_nouns), and the rule that
    wants both finds both. A hit is a hit for every rule, so the shorter keyword is then
    found for the others too. Each span comes with every pattern found there."""
    kept: list[tuple[int, int, str, bool]] = []
    add = kept.append
    if len(spans) < 2:
        for first, last, _n, patterns in spans:
            for p in patterns:
                add((first, last, p, False))
        return kept
    spans.sort()
    # Only hits in one run of overlapping hits can take each other's words.
    run: list[tuple[int, int, int, tuple[str, ...]]] = []
    reach = -1
    for span in spans:
        if span[0] > reach:
            if len(run) == 1:  # most hits overlap no other
                first, last, _n, patterns = run[0]
                for p in patterns:
                    add((first, last, p, False))
            elif run:
                _keep_longest(run, add, partners)
            run = [span]
            reach = span[1]
        else:
            run.append(span)
            if span[1] > reach:
                reach = span[1]
    _keep_longest(run, add, partners)
    return kept


def _keep_longest(run: list[tuple[int, int, int, tuple[str, ...]]], add, partners: Partners | None) -> None:
    for first, last, length, patterns in run:
        longer = None
        for a, b, n, others in run:  # sorted by start: none after the first that starts past ``last``
            if a > last:
                break
            if n > length and b >= first:
                if longer is None:
                    longer = [others]
                else:
                    longer.append(others)
        if longer is None:
            for p in patterns:
                add((first, last, p, False))
            continue
        if partners is not None:
            for p in partners.kept(tuple(longer), patterns):
                add((first, last, p, False))
