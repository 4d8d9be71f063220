"""Loading rules.yaml whole: the classifier's rules and, beside them, the deadline and
escalation policy the same file describes.

The two are compiled by their owners (``understand/rules`` and ``cases/ladder``) and kept
apart: classifying needs no calendars, chasing needs no keywords. Both come from one read
of the file, so a reload swaps them together, and a file with a mistake in either is
refused whole with every problem at its line.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from pydantic import ValidationError

from intake import resources
from intake.cases.ladder import Policy, SlaSpec, StepSpec, compile_policy
from intake.cases.reports import DigestPlan, ReportsSpec, compile_reports
from intake.helper_process import helper_process_setup
from intake.understand.rules.engine import Rules
from intake.understand.rules.loader import BUILTIN, RulesSections, compile_rules
from intake.understand.rules.packed import PackedRules
from intake.yamlconf import ConfigError, Document, load, parse, pydantic_problems


class RulesFile(RulesSections):
    sla: SlaSpec = SlaSpec()
    roles: dict[str, list[str]] = {}
    ladders: dict[str, list[StepSpec]] = {}
    reports: ReportsSpec = ReportsSpec()


@dataclass(frozen=True)
class RuleBook:
    """What one rules.yaml gives: how to classify, how to keep the promise, and when the
    managers' digest goes out."""

    rules: Rules | PackedRules
    policy: Policy
    digest: DigestPlan | None = None

    @property
    def version(self) -> str:
        return self.rules.version


def compile_documents(builtin: Document, user: Document, *, use_automaton: bool = True,
                      own_domains: tuple[str, ...] = ()) -> RuleBook:
    problems, specs = [], []
    for doc in (builtin, user):
        try:
            specs.append(RulesFile.model_validate(doc.data if doc.data is not None else {}))
        except ValidationError as exc:
            problems.extend(pydantic_problems(doc, exc))
            specs.append(None)
    if problems:
        raise ConfigError(problems)
    base, spec = specs
    rules = compile_rules(builtin, user, base, spec, use_automaton=use_automaton, own_domains=own_domains)
    policy = compile_policy(user, spec.sla, spec.roles, spec.ladders, spec.categories, problems)
    digest = compile_reports(user, spec.reports, spec.roles, problems)
    if problems:
        raise ConfigError(problems)
    return RuleBook(rules, policy, digest)


def load_rulebook(path: str | Path | None = None, *, use_automaton: bool = True,
                  own_domains: tuple[str, ...] = ()) -> RuleBook:
    """Load a rules file (default: the packaged rules.yaml) with the built-ins.
    ``own_domains``: the organisation's mail domains from the site's config."""
    path = Path(path) if path else resources.default_file("rules.yaml")
    return compile_documents(load(BUILTIN), load(path), use_automaton=use_automaton, own_domains=own_domains)


def load_rulebook_packed(path: str | Path | None = None, *, own_domains: tuple[str, ...] = ()) -> RuleBook:
    """The rule book with its rules packed (``PackedRules``), compiled in a short-lived helper
    process.

    For a daemon whose workers classify. Compiling the default rules passes through about
    110 MB of small objects; freed, a third of that stays in the compiling process for good
    (each heap arena keeps a survivor or two). A helper compiles, the daemon receives the
    4 MB pickle or the problems, and stays the size it was."""
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=spawn, initializer=helper_process_setup,
                             initargs=(os.getpid(),)) as helper:
        book, problems = helper.submit(_compile_packed, str(path) if path else None, own_domains).result()
    if problems:
        raise ConfigError(problems)
    return book


def _compile_packed(path: str | None, own_domains: tuple[str, ...]) -> tuple[RuleBook | None, list]:
    """In the helper. Problems cross back as a list: a ConfigError is rebuilt from its
    message on the other side, which loses them."""
    try:
        book = load_rulebook(path, own_domains=own_domains)
    except ConfigError as exc:
        return None, exc.problems
    return replace(book, rules=PackedRules(book.rules)), []


def load_rulebook_text(text: str, file: str = "<rules>", *, use_automaton: bool = True,
                       own_domains: tuple[str, ...] = ()) -> RuleBook:
    return compile_documents(load(BUILTIN), parse(text, file), use_automaton=use_automaton,
                             own_domains=own_domains)


def load_rules(path: str | Path | None = None, *, use_automaton: bool = True,
               own_domains: tuple[str, ...] = ()) -> Rules:
    """The classifier's part of a rules file (the policy is checked too, and dropped)."""
    return load_rulebook(path, use_automaton=use_automaton, own_domains=own_domains).rules


def load_rules_text(text: str, file: str = "<rules>", *, use_automaton: bool = True,
                    own_domains: tuple[str, ...] = ()) -> Rules:
    return load_rulebook_text(text, file, use_automaton=use_automaton, own_domains=own_domains).rules
