"""Loading rules.yaml: strict validation into a compiled ``Rules``, errors with file:line:col.

Everything that can be wrong is found at load, all at once: unknown keys, wrong types,
unknown categories or lists, invalid regular expressions, duplicate ids. A rule set that
loads is one the engine can run without surprises.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from intake import resources
from intake.cases.ladder import SlaSpec, StepSpec, compile_policy
from intake.understand.rules.conditions import DETECTED, HEADERS, Compiler
from intake.understand.rules.engine import CATEGORIES, NONE, CategorySettings, Outcome, Rule, Rules
from intake.understand.rules.text import KeywordIndex
from intake.yamlconf import ConfigError, Document, load, parse, pydantic_problems

BUILTIN = Path(__file__).parent / "builtin.yaml"
CategoryName = Literal["order", "quote", "literature", "query", "rework", "none"]
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
    priority: Literal["low", "normal", "high", "urgent"] | None = None
    route_to: str | None = Field(None, pattern=r"^[^@\s]+@[^@\s]+$")
    template: str | None = None
    sla_hours: float | None = Field(None, gt=0)


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
    tie_order: list[CategoryName] = ["rework", "order", "quote", "literature", "query", "none"]

    @field_validator("tie_order")
    @classmethod
    def _unique(cls, v: list[str]) -> list[str]:
        if len(set(v)) != len(v):
            raise ValueError("each category may appear only once")
        return v


class RulesFile(_Strict):
    version: Literal[1]
    settings: SettingsSpec = SettingsSpec()
    lists: dict[str, WordList] = {}
    categories: dict[Literal["order", "quote", "literature", "query", "rework", "unclassified"], CategorySpec] = {}
    sla: SlaSpec = SlaSpec()
    roles: dict[str, list[str]] = {}
    ladders: dict[str, list[StepSpec]] = {}
    rules: list[RuleSpec] = []


def load_rules(path: str | Path | None = None, *, use_automaton: bool = True,
               own_domains: tuple[str, ...] = ()) -> Rules:
    """Load and compile a rules file (default: the packaged rules.yaml) with the built-ins.
    ``own_domains``: the organisation's mail domains from the site's config."""
    path = Path(path) if path else resources.default_file("rules.yaml")
    return compile_documents(load(BUILTIN), load(path), use_automaton=use_automaton, own_domains=own_domains)


def load_rules_text(text: str, file: str = "<rules>", *, use_automaton: bool = True,
                    own_domains: tuple[str, ...] = ()) -> Rules:
    return compile_documents(load(BUILTIN), parse(text, file), use_automaton=use_automaton,
                             own_domains=own_domains)


def compile_documents(builtin: Document, user: Document, *, use_automaton: bool = True,
                      own_domains: tuple[str, ...] = ()) -> Rules:
    problems = []
    specs = []
    for doc in (builtin, user):
        try:
            specs.append(RulesFile.model_validate(doc.data if doc.data is not None else {}))
        except ValidationError as exc:
            problems.extend(pydantic_problems(doc, exc))
            specs.append(None)
    if problems:
        raise ConfigError(problems)
    base, spec = specs
    lists = {name: _words(value) for name, value in {**base.lists, **spec.lists}.items()}
    keywords: dict[str, set[str]] = {}
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
                if category not in (None, NONE):
                    compiler.error(path + ("then", "actionable"),
                                   f"`actionable: false` contradicts `category: {category}`")
                category = NONE
            if when is None:
                continue
            compiled.pop(rule.id, None)  # a user rule replaces the built-in with its id
            if rule.enabled:
                compiled[rule.id] = Rule(
                    id=rule.id,
                    description=rule.description,
                    when=when,
                    then=Outcome(category, then.score, then.stop, then.fallback, then.priority, then.route_to,
                                 then.template, then.sla_hours),
                    builtin=builtin_flag,
                    line=doc.where(path)[0],
                )
        problems.extend(compiler.problems)
        for name, patterns in compiler.keywords.items():
            keywords.setdefault(name, set()).update(patterns)
    for name, words in lists.items():
        if not words:
            problems.append(user.problem(("lists", name), "a list needs at least one entry"))
    if problems:
        raise ConfigError(problems)
    policy = compile_policy(user, spec.sla, spec.roles, spec.ladders, spec.categories, problems)
    if problems:
        raise ConfigError(problems)
    categories = {c: CategorySettings() for c in CATEGORIES}
    for name, cs in spec.categories.items():
        categories[name] = CategorySettings(cs.sla_hours, cs.template)
    version = hashlib.sha256(_raw(builtin) + b"\0" + _raw(user)).hexdigest()[:12]
    return Rules.build(
        list(compiled.values()),
        KeywordIndex({p for name, patterns in keywords.items() if name not in (DETECTED, HEADERS) for p in patterns},
                     use_automaton),
        frozenset(keywords),
        categories=categories,
        threshold=spec.settings.threshold,
        review_margin=spec.settings.review_margin,
        own_domains=tuple(own_domains),
        tie_order=list(spec.settings.tie_order),
        version=version,
        source=user.file,
        policy=policy,
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
    import json

    return json.dumps(doc.data, sort_keys=True, default=str).encode()
