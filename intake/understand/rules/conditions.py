"""The ``when:`` part of a rule: what every condition kind does, and the combinators.

Each kind is a small class; ``compiler.py`` names them by the key people write in
rules.yaml. Building checks the options strictly (unknown keys and wrong types are errors
with a line number); testing is a pure function of the message ``Facts``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from intake.errors import IntakeError
from intake.understand.rules.facts import DETECTED, HEADERS, PROPERTY, REGEX_SUFFIX, Facts
from intake.understand.rules.regex import required_text

if TYPE_CHECKING:  # a worker classifies without the file loader and its validator
    from intake.yamlconf import Problem


class Building(Protocol):
    """What a condition's ``build`` may use of the compiler (``compiler.Compiler``)."""

    lists: dict[str, list[tuple[str, str | None]]]
    problems: list[Problem]
    keywords: dict[str, set[str]]

    def error(self, path, message: str) -> None: ...

    def compile(self, spec: Any, path) -> Condition | None: ...

    def sub(self) -> Building: ...

    def shared(self, patterns: dict[str, str]) -> dict[str, str]: ...


class CompileError(IntakeError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))

class Condition:
    key = ""

    @classmethod
    def build(cls, c: Building, value: Any, path) -> Condition | None:
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

    def field_regexes(self):
        """(field, regex) of every regex this condition searches a text field with; the
        engine matches each field's in one pass (``RegexSet``)."""
        return ()

    def words(self) -> frozenset[str]:
        """The keyword patterns whose finding can make this condition hold."""
        return frozenset()

    def together(self) -> list[list[frozenset[str]]]:
        """Groups of keywords this condition needs found side by side, each list one
        conjunction (``all:``, the two groups of ``near:``). A phrase of one group may hold
        a word of another: "change the order" is a change and names the order."""
        return []

    def cost(self) -> int:
        """How dear testing is, roughly: 0 reads what the message's scan found already, 1
        searches or places words, 2 runs a detector over the text. An ``all`` tests its
        cheap parts first, so a rule that a keyword rules out never counts the goods."""
        return 0

@dataclass
class All(Condition):
    parts: list[Condition]
    key = "all"
    by_cost: list[Condition] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        self.by_cost = sorted(self.parts, key=lambda p: p.cost())  # stable: as written, among equals

    @classmethod
    def build(cls, c, value, path):
        if not isinstance(value, list) or not value:
            c.error(path, "`all` expects a non-empty list of conditions")
            return None
        parts = [p for i, v in enumerate(value) if (p := c.compile(v, path + (i,)))]
        # A part that failed has said why; with none left there is nothing to build.
        return cls(parts) if parts else None

    def test(self, f):
        for p in self.by_cost:  # noqa: SIM110 - a loop: cheaper than all() on the hot path
            if not p.test(f):
                return False
        return True

    def cost(self):
        return max(p.cost() for p in self.parts)

    def explain(self, f):
        return [e for p in self.parts for e in p.explain(f)]

    def trigger(self):
        # Any part's trigger will do; the rarest is best. Words are rarer than structure: a
        # count of things is in most mail, "please send us" in little of it; most mail is
        # in the one language a rule names; and a question mark is in most of it too.
        # A trigger in a reply's quoted history is never chosen while another will do: every
        # message would have its thread read for it.
        triggers = [t for p in self.parts if (t := p.trigger()) is not None]
        return min(triggers, key=lambda t: (any(name in LONG_FIELDS for name, _key in t),
                                            all(_common(name, key) for name, key in t), len(t))) \
            if triggers else None

    def field_regexes(self):
        return [r for p in self.parts for r in p.field_regexes()]

    def words(self):
        return frozenset().union(*(p.words() for p in self.parts))

    def together(self):
        groups = [w for p in self.parts if (w := p.words())]
        return ([groups] if len(groups) > 1 else []) + [t for p in self.parts for t in p.together()]

# Text fields as long as a whole thread.
LONG_FIELDS = frozenset({"quoted", "quoted_start", "quoted" + REGEX_SUFFIX, "quoted_start" + REGEX_SUFFIX})


def _common(name: str, key: str) -> bool:
    """Whether a trigger is found in most mail: structure, a header, a property, or a regex
    that needs no more than a sign ("\\?")."""
    if name in (DETECTED, HEADERS) or name.startswith(PROPERTY):
        return True
    if name.endswith(REGEX_SUFFIX):
        needed = required_text(key)
        return not needed or max(len(n.strip()) for n in needed) <= 1
    return False


@dataclass
class Any_(Condition):
    parts: list[Condition]
    key = "any"

    @classmethod
    def build(cls, c, value, path):
        if not isinstance(value, list) or not value:
            c.error(path, "`any` expects a non-empty list of conditions")
            return None
        parts = [p for i, v in enumerate(value) if (p := c.compile(v, path + (i,)))]
        # A part that failed has said why; with none left there is nothing to build.
        return cls(parts) if parts else None

    def test(self, f):
        for p in self.parts:  # noqa: SIM110 - a loop: cheaper than any() on the hot path
            if p.test(f):
                return True
        return False

    def explain(self, f):
        return [e for p in self.parts if p.test(f) for e in p.explain(f)]

    def cost(self):
        return max(p.cost() for p in self.parts)

    def trigger(self):
        triggers = [p.trigger() for p in self.parts]
        return None if any(t is None for t in triggers) else frozenset().union(*triggers)

    def field_regexes(self):
        return [r for p in self.parts for r in p.field_regexes()]

    def words(self):
        return frozenset().union(*(p.words() for p in self.parts))

    def together(self):
        return [t for p in self.parts for t in p.together()]

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

    def cost(self):
        return self.part.cost()

    def explain(self, f):
        return ["not(...)"]

    def field_regexes(self):
        return self.part.field_regexes()

def _strings(c: Building, value: Any, path, what: str) -> list[str] | None:
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return [str(value)]
    if isinstance(value, list) and value and all(isinstance(v, (str, int, float)) for v in value):
        return [str(v) for v in value]
    c.error(path, f"expected {what}: a string or a non-empty list of strings")
    return None
