"""The rules engine: (parsed message, dealer, rules) -> decision, with its reasons.

How matching rules combine, in order:

1. Built-in rules come first, then the rules in rules.yaml; a user rule with the id of a
   built-in one replaces it (``enabled: false`` switches it off).
2. The first matching rule with ``stop: true`` decides alone. Built-ins use this for mail
   that must never be treated as a request (auto-replies, bounces, lists, read receipts).
3. Otherwise every matching rule adds its ``score`` to its category. The category with the
   highest total wins if it reaches ``settings.threshold``; a tie goes to the category named
   first in ``settings.tie_order``. Rules without a category only add outcomes (priority,
   route_to) to whatever wins. So a subject saying "quote" (score 1) loses to a body that
   places an order (score 3).
4. When nothing reaches the threshold the message is "unclassified": still actionable and
   chased like a query, never dropped.

Category "none" means not actionable.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from intake.message import ParsedMessage
from intake.rules.conditions import Condition, DealerFacts, Facts
from intake.rules.text import KeywordIndex

CATEGORIES = ("order", "quote", "literature", "query", "rework")
UNCLASSIFIED = "unclassified"
NONE = "none"


@dataclass(frozen=True)
class Outcome:
    category: str | None = None
    score: float = 1.0
    stop: bool = False
    priority: str | None = None
    route_to: str | None = None
    template: str | None = None
    sla_hours: float | None = None


@dataclass(frozen=True)
class Rule:
    id: str
    description: str
    when: Condition
    then: Outcome
    builtin: bool = False
    line: int = 0


@dataclass
class CategorySettings:
    sla_hours: float = 24.0
    template: str | None = None


@dataclass
class Rules:
    """A compiled, validated rule set; immutable once loaded, so it can be swapped whole."""

    rules: list[Rule]
    indexes: dict[str, KeywordIndex]
    categories: dict[str, CategorySettings]
    threshold: float
    tie_order: list[str]
    version: str
    source: str = ""


@dataclass
class RuleMatch:
    rule: str
    category: str | None
    score: float
    why: list[str]


@dataclass
class Decision:
    category: str
    actionable: bool
    priority: str = "normal"
    route_to: str | None = None
    template: str | None = None
    sla_hours: float | None = None
    rules: list[str] = field(default_factory=list)  # the ids that decided
    scores: dict[str, float] = field(default_factory=dict)
    matches: list[RuleMatch] = field(default_factory=list)
    rules_version: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def classify(msg: ParsedMessage, dealer: DealerFacts | None, rules: Rules) -> Decision:
    facts = Facts(msg, dealer, rules.indexes)
    matched: list[tuple[Rule, list[str]]] = []
    for rule in rules.rules:
        if rule.when.test(facts):
            matched.append((rule, rule.when.explain(facts)))
            if rule.then.stop:
                return _decide_by(rule, matched, rules)

    scores: dict[str, float] = {}
    for rule, _ in matched:
        if rule.then.category:
            scores[rule.then.category] = scores.get(rule.then.category, 0.0) + rule.then.score
    winner = None
    if scores:
        rank = {c: i for i, c in reversed(list(enumerate(rules.tie_order)))}
        last = len(rules.tie_order)
        best = max(scores.items(), key=lambda kv: (kv[1], -rank.get(kv[0], last)))
        if best[1] >= rules.threshold:
            winner = best[0]
    category = winner or UNCLASSIFIED
    deciders = [r for r, _ in matched if r.then.category == winner] if winner else []
    modifiers = [r for r, _ in matched if r.then.category is None]
    decision = Decision(
        category=category,
        actionable=category != NONE,
        rules=[r.id for r in deciders] + [r.id for r in modifiers],
        scores=scores,
        matches=_matches(matched),
        rules_version=rules.version,
    )
    # Outcomes from the strongest deciding rule first, then from modifiers.
    for rule in sorted(deciders, key=lambda r: -r.then.score) + modifiers:
        _apply(decision, rule.then)
    _category_defaults(decision, rules)
    return decision


def _decide_by(rule: Rule, matched, rules: Rules) -> Decision:
    category = rule.then.category or UNCLASSIFIED
    decision = Decision(
        category=category,
        actionable=category != NONE,
        rules=[rule.id],
        matches=_matches(matched),
        rules_version=rules.version,
    )
    _apply(decision, rule.then)
    _category_defaults(decision, rules)
    return decision


def _apply(decision: Decision, then: Outcome) -> None:
    if then.priority and decision.priority == "normal":
        decision.priority = then.priority
    for name in ("route_to", "template", "sla_hours"):
        if getattr(then, name) is not None and getattr(decision, name) is None:
            setattr(decision, name, getattr(then, name))


def _category_defaults(decision: Decision, rules: Rules) -> None:
    if not decision.actionable:
        decision.sla_hours = None
        return
    settings = rules.categories.get(decision.category) or rules.categories.get("query") or CategorySettings()
    if decision.sla_hours is None:
        decision.sla_hours = settings.sla_hours
    if decision.template is None:
        decision.template = settings.template


def _matches(matched) -> list[RuleMatch]:
    return [RuleMatch(r.id, r.then.category, r.then.score, why) for r, why in matched]
