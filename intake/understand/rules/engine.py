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
4. A rule with ``fallback: true`` adds nothing to the scores: it decides only when no
   category reaches the threshold (a call is at least a request to be called back, but
   what its transcript says comes first), and is only tested then. The first that
   matches, in file order, decides.
5. A rule with ``side: true`` finds a side request (a PS asking for a catalogue): its
   score makes that category a secondary request but does not count towards the winner,
   unless nothing else reaches the threshold, or only "none" does (then the side request
   was the only one: "thanks for the invitation; by the way, 20 more boxes please").
6. When nothing reaches the threshold and no fallback matches, the message is
   "unclassified": still actionable and chased like a query, never dropped.

Category "none" means not actionable.

Every decision says how sure it is: ``margin`` is how far the winner is ahead of the next
category. Below ``settings.review_margin`` (or when nothing won) an actionable decision
``needs_review``: a person should look before trusting it. Other actionable categories
that reached the threshold are kept as ``secondary`` requests, so the catalogue asked for
in a PS of an order is not lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from intake.message import DealerFacts, ParsedMessage
from intake.understand.rules.conditions import Condition
from intake.understand.rules.facts import DETECTED, HEADERS, PROPERTY, SLOW_DETECTORS, Facts, regex_field
from intake.understand.rules.regex import RegexSet, UserRegex
from intake.understand.rules.text import KeywordIndex
from intake.vocab import Category

# Looked up once: a member's lookup on its enum costs more than the comparison.
_NONE, _UNCLASSIFIED = Category.NONE, Category.UNCLASSIFIED


@dataclass(frozen=True)
class Outcome:
    category: str | None = None
    score: float = 1.0
    stop: bool = False
    fallback: bool = False
    side: bool = False
    priority: str | None = None
    route_to: str | None = None
    template: str | None = None
    sla_hours: float | None = None
    review: bool = False  # what it decides, a person should confirm (``needs_review``), even "none"
    # Whether it sets anything besides a category and score: most rules do not.
    effects: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "effects", bool(self.priority or self.route_to or self.template
                                                 or self.sla_hours is not None))


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


@dataclass(frozen=True)
class Rules:
    """A compiled, validated rule set; immutable once loaded, so it can be swapped whole."""

    rules: list[Rule]
    index: KeywordIndex  # every keyword of every rule, one automaton
    fields: frozenset[str]  # the text fields some rule has keywords for
    categories: dict[str, CategorySettings]
    threshold: float
    tie_order: list[str]
    version: str
    source: str = ""
    review_margin: float = 1.0  # below this lead over the next category, a person should look
    own_domains: tuple[str, ...] = ()  # the organisation's own mail domains (from the site config)
    competitors: tuple[str, ...] = ()  # lists.competitors: watched for the managers' digest
    products: tuple[str, ...] = ()  # lists.products: the product lines, for the digest
    always: tuple[int, ...] = ()  # rules to test on every message
    tie_rank: dict[str, int] = field(default_factory=dict)  # category -> place in tie_order
    regexes: dict[str, RegexSet] = field(default_factory=dict)  # text or header -> the regexes that trigger rules
    # What triggers which rules, laid out for ``candidates``: (detector, its rules); (text
    # field, keyword pattern -> rules); (property, value -> rules); (field or header, the
    # header's name or "", regex -> rules). Only the detectors some rule asks for are run.
    detector_rules: tuple[tuple[str, tuple[int, ...]], ...] = ()
    keyword_rules: tuple[tuple[str, dict[str, tuple[int, ...]]], ...] = ()
    property_rules: tuple[tuple[str, dict[str, tuple[int, ...]]], ...] = ()
    regex_rules: tuple[tuple[str, str, dict[str, tuple[int, ...]]], ...] = ()

    @classmethod
    def build(cls, rules: list[Rule], index: KeywordIndex, fields: frozenset[str], **kw) -> Rules:
        always, triggered = [], {}
        for i, rule in enumerate(rules):
            trigger = rule.when.trigger()
            # A detector that reads the whole text costs more than testing the rule's other
            # parts, which come first (``All.by_cost``): such a rule is tested on every message.
            if trigger is None or any(name == DETECTED and key in SLOW_DETECTORS for name, key in trigger):
                always.append(i)
            else:
                for key in trigger:
                    triggered.setdefault(key, []).append(i)
        tie_order = kw.get("tie_order", [])
        # Only the regexes that trigger rules are searched for on every message, all of a
        # field's in one pass; the rest only when a rule they belong to is tested.
        by_field: dict[str, list[UserRegex]] = {}
        for rule in rules:
            for name, regex in rule.when.field_regexes():
                if (regex_field(name), regex.written) in triggered:
                    by_field.setdefault(name, []).append(regex)
        grouped = _by_field(triggered)
        return cls(rules, index, fields, always=tuple(always),
                   regexes={name: RegexSet(found) for name, found in by_field.items()},
                   detector_rules=tuple(sorted(grouped.get(DETECTED, {}).items())),
                   keyword_rules=tuple((name, grouped[name]) for name in sorted(fields)
                                       if name != DETECTED and name in grouped),
                   property_rules=tuple((name[len(PROPERTY):], rules_of) for name, rules_of in sorted(grouped.items())
                                        if name.startswith(PROPERTY)),
                   regex_rules=tuple((name, name[7:] if name.startswith("header:") else "", grouped[regex_field(name)])
                                     for name in by_field if regex_field(name) in grouped),
                   tie_rank={c: i for i, c in reversed(list(enumerate(tie_order)))}, **kw)

    @property
    def size(self) -> int:
        return len(self.rules)

    def compiled(self) -> Rules:
        """The rules to classify with (a ``PackedRules`` unpacks itself here)."""
        return self

    def candidates(self, facts: Facts) -> list[int]:
        """Rules that can match this message, in file order."""
        found = set(self.always)
        add = found.update
        known = facts.msg.detected  # what parsing found already; the rest is worked out now
        for name, rules_of_detector in self.detector_rules:
            got = known.get(name)
            if got is None:
                got = facts.detected(name)
            if got:
                add(rules_of_detector)
        headers = facts.msg.headers
        for name, rules_of in self.keyword_rules:
            if name == HEADERS:  # a few header names asked for, of the many a message has
                for header, got in rules_of.items():
                    if header in headers:
                        add(got)
                continue
            hits = facts.hits(name)
            if hits:
                for pattern in rules_of.keys() & hits:
                    add(rules_of[pattern])
        for name, rules_of in self.property_rules:
            got = rules_of.get(facts.property(name))
            if got:
                add(got)
        for name, header, rules_of in self.regex_rules:
            if header and header not in headers:
                continue
            hits = facts.regex_hits(name)
            if hits:
                for written in hits:
                    got = rules_of.get(written)
                    if got:
                        add(got)
        return sorted(found)


def _by_field(triggered: dict[tuple[str, str], list[int]]) -> dict[str, dict[str, tuple[int, ...]]]:
    out: dict[str, dict[str, tuple[int, ...]]] = {}
    for (name, key), rules in triggered.items():
        out.setdefault(name, {})[key] = tuple(rules)
    return out


@dataclass
class RuleMatch:
    rule: str
    category: str | None
    score: float
    why: list[str]


@dataclass(slots=True)
class Decision:
    category: str
    actionable: bool
    priority: str = "normal"
    route_to: str | None = None
    template: str | None = None
    sla_hours: float | None = None
    rules: list[str] = field(default_factory=list)  # the ids that decided
    scores: dict[str, float] = field(default_factory=dict)
    rules_version: str = ""
    margin: float | None = None  # lead over the next category; None when a stop rule decided
    needs_review: bool = False
    secondary: list[str] = field(default_factory=list)  # other requests in the same message
    # Why each matched rule matched is worked out only when asked for (``matches``):
    # with many rules most decisions are never explained, and explaining costs more than
    # deciding.
    _matched: list[Rule] = field(default_factory=list, repr=False, compare=False)
    _facts: Facts | None = field(default=None, repr=False, compare=False)
    _matches: list[RuleMatch] | None = field(default=None, repr=False, compare=False)

    @property
    def matched(self) -> list[str]:
        """Ids of every rule that matched, in order."""
        if self._matches is not None:
            return [m.rule for m in self._matches]
        return [r.id for r in self._matched]

    @property
    def matches(self) -> list[RuleMatch]:
        if self._matches is None:
            self._matches = [RuleMatch(r.id, r.then.category, r.then.score, r.when.explain(self._facts))
                             for r in self._matched]
            self._facts = None
        return self._matches

    def explained(self) -> Decision:
        """Work out the explanations now and drop the message facts and the rules (before
        pickling: a matched rule drags its word lists along, some 200 KB a message)."""
        _ = self.matches
        self._matched = []
        return self


def classify(msg: ParsedMessage, dealer: DealerFacts | None, rules: Rules) -> Decision:
    facts = Facts(msg, dealer, rules.index, rules.own_domains, rules.regexes)
    matched: list[Rule] = []
    fallbacks: list[Rule] = []
    all_rules = rules.rules
    for i in rules.candidates(facts):
        rule = all_rules[i]
        if rule.then.fallback and not rule.then.stop:
            fallbacks.append(rule)  # tested only if nothing reaches the threshold
        elif rule.when.test(facts):
            matched.append(rule)
            if rule.then.stop:
                return _decide_by(rule, matched, facts, rules)
    decision = _decide(matched, facts, rules)
    if fallbacks and decision.category == _UNCLASSIFIED:
        found = [rule for rule in fallbacks if rule.when.test(facts)]
        if found:
            decision = _decide(matched + found, facts, rules)
    elif fallbacks and facts.text("postscript") and _side_only(matched, rules):
        # "Do you know if it copes with a 40% slope? Oh, and send us some leaflets": the main
        # text asks a question no rule names; it stays the main request, the leaflets a side one.
        found = [rule for rule in fallbacks if rule.then.category != _NONE and rule.when.test(facts)]
        if found:
            decision = _decide(matched + found, facts, rules)
    return decision


def _side_only(matched: list[Rule], rules: Rules) -> bool:
    """Whether only side requests reach the threshold: the main text decided nothing."""
    main: dict[str, float] = {}
    side = False
    for rule in matched:
        then = rule.then
        if then.side:
            side = True
        elif then.category is not None and not then.fallback:
            main[then.category] = main.get(then.category, 0.0) + then.score
    return side and max(main.values(), default=0.0) < rules.threshold


def _decide(matched: list[Rule], facts: Facts, rules: Rules) -> Decision:
    """The category the matched rules score highest, with its margin and side requests."""
    scores: dict[str, float] = {}
    side: dict[str, float] = {}
    modifiers: list[Rule] = []
    fallback = None
    for rule in matched:
        then = rule.then
        if then.category is None:
            modifiers.append(rule)
        elif then.fallback:
            fallback = fallback or rule
        else:
            into = side if then.side else scores
            into[then.category] = into.get(then.category, 0.0) + then.score
    if side:
        # The main text asks nothing (nothing reaches the threshold, or only "none": thanks
        # for a dinner invitation): a side request is then the only request, and it decides.
        asked = max((v for c, v in scores.items() if c != _NONE), default=0.0)
        if asked < rules.threshold and (fallback is None or fallback.then.category == _NONE):
            if any(v >= rules.threshold for c, v in side.items() if c != _NONE):
                scores.pop(_NONE, None)
            for category, score in side.items():
                scores[category] = scores.get(category, 0.0) + score
            side = {}
        else:
            side = {c: scores.get(c, 0.0) + v for c, v in side.items()}
    winner, best, second = None, 0.0, 0.0
    if scores:
        rank, last = rules.tie_rank, len(rules.tie_order)
        top, best = max(scores.items(), key=lambda kv: (kv[1], -rank.get(kv[0], last)))
        second = max((v for c, v in scores.items() if c != top), default=0.0)
        if best >= rules.threshold:
            winner = top
    if winner is None and fallback is not None:
        winner, deciders = fallback.then.category, [fallback]
    else:
        fallback = None
        deciders = [r for r in matched if r.then.category == winner and not r.then.fallback
                    and (not r.then.side or winner not in side)] if winner else []
    category = winner or _UNCLASSIFIED
    lead = (best if winner == top else 0.0) - second if scores and fallback is None else 0.0
    decision = Decision(
        category=category,
        actionable=category != _NONE,
        rules=[r.id for r in deciders] + [r.id for r in modifiers],
        scores=scores,
        rules_version=rules.version,
        margin=round(lead, 3),
        # A fallback with nothing competing (a missed call) is no guess; a close race is. A
        # "none" read from nothing asked is one too, when its rule says so (``review``).
        needs_review=(category != _NONE and (
            category == _UNCLASSIFIED or (len(scores) > 1 and lead < rules.review_margin)))
        or any(r.then.review for r in deciders),
        secondary=sorted((c for c, v in {**scores, **side}.items()
                          if c != winner and c != _NONE and v >= rules.threshold),
                         key=lambda c: -max(scores.get(c, 0.0), side.get(c, 0.0)))
        if len(scores) > 1 or side else [],
        _matched=matched,
        _facts=facts,
    )
    # Outcomes from the strongest deciding rule first, then from modifiers.
    if len(deciders) > 1:
        deciders.sort(key=lambda r: -r.then.score)
    for rule in deciders:
        if rule.then.effects:
            _apply(decision, rule.then)
    for rule in modifiers:
        if rule.then.effects:
            _apply(decision, rule.then)
    _category_defaults(decision, rules)
    return decision


def _decide_by(rule: Rule, matched: list[Rule], facts: Facts, rules: Rules) -> Decision:
    category = rule.then.category or _UNCLASSIFIED
    decision = Decision(
        category=category,
        actionable=category != _NONE,
        rules=[rule.id],
        rules_version=rules.version,
        _matched=matched,
        _facts=facts,
    )
    _apply(decision, rule.then)
    _category_defaults(decision, rules)
    return decision


def _apply(decision: Decision, then: Outcome) -> None:
    """Outcomes of one rule; what an earlier (stronger) rule set stays."""
    if then.priority and decision.priority == "normal":
        decision.priority = then.priority
    if decision.route_to is None:
        decision.route_to = then.route_to
    if decision.template is None:
        decision.template = then.template
    if decision.sla_hours is None:
        decision.sla_hours = then.sla_hours


def _category_defaults(decision: Decision, rules: Rules) -> None:
    if not decision.actionable:
        decision.sla_hours = None
        return
    settings = rules.categories.get(decision.category) or rules.categories.get("query") or CategorySettings()
    if decision.sla_hours is None:
        decision.sla_hours = settings.sla_hours
    if decision.template is None:
        decision.template = settings.template

