"""Compiling rules.yaml's rules: strict validation into ``Rules``, errors with file:line:col.

Everything that can be wrong is found at load, all at once: unknown keys, wrong types,
unknown categories or lists, invalid regular expressions, duplicate ids. A rule set that
loads is one the engine can run without surprises.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from intake.understand.rules.compiler import Compiler
from intake.understand.rules.engine import CategorySettings, Outcome, Rule, Rules
from intake.understand.rules.facts import DETECTED, HEADERS
from intake.understand.rules.text import KeywordIndex
from intake.vocab import REQUESTS, Category
from intake.yamlconf import ConfigError, Document

BUILTIN = Path(__file__).parent / "builtin.yaml"  # rules every site has (auto-replies, bounces, ...)
CategoryName = Literal[tuple(c.value for c in (*REQUESTS, Category.NONE))]
LanguageCode = Literal["en", "de", "fr", "es", "it", "nl", "pl", "sv", "da", "no", "pt", "cs"]
# A list is either words for every language, or words per language (`de: bestellen, ...`).
WordList = list[str] | dict[LanguageCode, str | list[str]]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False)


class OutcomeSpec(_Strict):
    category: CategoryName | None = None
    actionable: bool | None = None
    score: float = Field(1.0, ge=0)
    stop: bool = False
    fallback: bool = False
    side: bool = False  # a side request: secondary unless nothing else was asked
    priority: Literal["low", "normal", "high", "urgent"] | None = None
    route_to: str | None = Field(None, pattern=r"^[^@\s]+@[^@\s]+$")
    template: str | None = None
    sla_hours: float | None = Field(None, gt=0)
    review: bool = False  # a person should confirm what it decides, even "none" (listed by --review)


class RuleSpec(_Strict):
    id: str = Field(pattern=r"^[A-Za-z0-9_.:-]+$")
    description: str = ""
    enabled: bool = True
    when: Any = None
    then: OutcomeSpec


class CategorySpec(_Strict):
    sla_hours: float = Field(24.0, gt=0)
    template: str | None = None
    ladder: str | None = None  # escalation ladder (see `ladders:`)
    clock: Literal["calendar", "business"] | None = None  # overrides sla.clock
    receipt: bool = False  # send the dealer an automatic receipt
    receipt_acknowledges: bool = False  # and count that receipt as the acknowledgement


class SettingsSpec(_Strict):
    threshold: float = Field(2.0, gt=0)
    review_margin: float = Field(1.0, ge=0)
    tie_order: list[CategoryName] = [*(c.value for c in REQUESTS), Category.NONE.value]

    @field_validator("tie_order")
    @classmethod
    def _unique(cls, v: list[str]) -> list[str]:
        if len(set(v)) != len(v):
            raise ValueError("each category may appear only once")
        return v


class RulesSections(_Strict):
    """The sections of rules.yaml the classifier reads; ``intake.rulesfile`` adds the
    sections for deadlines and escalation to make the whole file's schema."""

    version: Literal[1]
    settings: SettingsSpec = SettingsSpec()
    lists: dict[str, WordList] = {}
    categories: dict[Literal[tuple(c.value for c in (*REQUESTS, Category.UNCLASSIFIED))], CategorySpec] = {}
    rules: list[RuleSpec] = []


def compile_rules(builtin: Document, user: Document, base: RulesSections, spec: RulesSections, *,
                  use_automaton: bool = True, own_domains: tuple[str, ...] = ()) -> Rules:
    """Compile validated sections of the built-in and the user's rules into ``Rules``;
    raises ConfigError with every problem found, each at its line."""
    problems = []
    lists = {name: _words(value) for name, value in {**base.lists, **spec.lists}.items()}
    keywords: dict[str, set[str]] = {}
    spellings: dict[str, set[str]] = {}
    compiled: dict[str, Rule] = {}
    for doc, file_spec, builtin_flag in ((builtin, base, True), (user, spec, False)):
        compiler = Compiler(doc, lists)
        seen: set[str] = set()
        for i, rule in enumerate(file_spec.rules):
            path = ("rules", i)
            if rule.id in seen:
                compiler.error(path + ("id",), f"duplicate rule id {rule.id!r}")
                continue
            seen.add(rule.id)
            if rule.when is None:
                compiler.error(path, "a rule needs a `when:` with at least one condition")
                continue
            when = compiler.compile(rule.when, path + ("when",))
            then = rule.then
            category = then.category
            if then.actionable is False:
                if category not in (None, Category.NONE):
                    compiler.error(path + ("then", "actionable"),
                                   f"`actionable: false` contradicts `category: {category}`")
                category = Category.NONE
            if when is None:
                continue
            compiled.pop(rule.id, None)  # a user rule replaces the built-in with its id
            if rule.enabled:
                compiled[rule.id] = Rule(
                    id=rule.id,
                    description=rule.description,
                    when=when,
                    then=Outcome(category, then.score, then.stop, then.fallback, then.side, then.priority,
                                 then.route_to, then.template, then.sla_hours, then.review),
                    builtin=builtin_flag,
                    line=doc.where(path)[0],
                )
        problems.extend(compiler.problems)
        for name, patterns in compiler.keywords.items():
            keywords.setdefault(name, set()).update(patterns)
        for pattern, written in compiler.spellings.items():
            spellings.setdefault(pattern, set()).update(written)
    for name, words in lists.items():
        if not words:
            problems.append(user.problem(("lists", name), "a list needs at least one entry"))
    if problems:
        raise ConfigError(problems)
    categories = {c.value: CategorySettings() for c in REQUESTS}
    for name, cs in spec.categories.items():
        categories[name] = CategorySettings(cs.sla_hours, cs.template)
    version = hashlib.sha256(_raw(builtin) + b"\0" + _raw(user)).hexdigest()[:12]
    return Rules.build(
        list(compiled.values()),
        KeywordIndex({p for name, patterns in keywords.items() if name not in (DETECTED, HEADERS) for p in patterns},
                     use_automaton, spellings, [t for rule in compiled.values() for t in rule.when.together()]),
        frozenset(keywords),
        categories=categories,
        threshold=spec.settings.threshold,
        review_margin=spec.settings.review_margin,
        own_domains=tuple(own_domains),
        competitors=tuple(dict.fromkeys(w for w, _ in lists.get("competitors", []))),
        products=tuple(dict.fromkeys(w for w, _ in lists.get("products", []))),
        tie_order=list(spec.settings.tie_order),
        version=version,
        source=user.file,
    )


def _words(value: list[str] | dict[str, str | list[str]]) -> list[tuple[str, str | None]]:
    """(word, language) pairs of a list; None: the word is meant in every language."""
    if isinstance(value, list):
        return [(w, None) for w in value]
    out = []
    for lang, words in value.items():
        out.extend((w, lang) for w in ([words] if isinstance(words, str) else words))
    return out


def _raw(doc: Document) -> bytes:
    return json.dumps(doc.data, sort_keys=True, default=str).encode()
