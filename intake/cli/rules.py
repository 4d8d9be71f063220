"""``intake rules`` and ``intake classify``: check, try and measure rules.yaml."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import click
from rich import box
from rich.table import Table

from intake.cli.app import Context, console, err, fail
from intake.cli.views import plain, short_paths
from intake.sources.call_log import csv_format
from intake.yamlconf import ConfigError


@click.group()
def rules():
    """Check and try rules.yaml."""


def _rules_and_directory(obj: Context, rules_file: str | None):
    from intake.rulesfile import load_rules
    from intake.understand.dealers_file import load_directory

    s = obj.settings
    rules_ = load_rules(Path(rules_file) if rules_file else s.rules_path, own_domains=s.own_domains)
    return rules_, load_directory(s.dealers_path)


def _judge(raw: bytes, rules, directory):
    from intake.understand.step import understand

    return understand(raw, "email", rules, directory)


POOL_FROM = 200  # messages read ahead; with at least this many, every core classifies


def _judged(items, rules_, directory):
    """(path, (message, dealer, decision)) for each item, in the order read. Batches of
    POOL_FROM go to a worker per core; a smaller run stays in this process (starting
    workers costs more than it saves)."""
    import os
    from itertools import islice

    from intake.pipeline.workers import ParsePool

    workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    pool = ParsePool(workers) if workers > 1 else None
    items = iter(items)
    try:
        while batch := list(islice(items, POOL_FROM * 5)):
            if pool is None or len(batch) < POOL_FROM:
                for item in batch:
                    yield item.source_ref, _judge(item.raw, rules_, directory)
                continue
            work = [(i, "email", "in", item.raw) for i, item in enumerate(batch)]
            for item, o in zip(batch, pool.run(rules_, directory, work), strict=True):
                if o.error:  # as the one-process path: a message that cannot be judged is a bug
                    raise RuntimeError(f"{item.source_ref}: {o.error.splitlines()[0]}")
                yield item.source_ref, (o.msg, o.dealer, o.decision)
    finally:
        if pool is not None:
            pool.close()


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--rules", "rules_file", type=click.Path(dir_okay=False), help="Rules file to use instead.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per message.")
@click.pass_obj
def classify(obj: Context, paths, rules_file, as_json):
    """Classify messages (.eml, folders, Maildirs, mbox) without storing anything."""
    from intake.sources.local import read_paths

    rules_, directory = _rules_and_directory(obj, rules_file)
    shown = []
    for path, (msg, dealer, d) in _judged(read_paths(list(paths)), rules_, directory):
        row = {"path": path, "category": d.category, "actionable": d.actionable, "rules": d.rules,
               "language": msg.language, "dealer": dealer.key if dealer else None, "priority": d.priority,
               "route_to": d.route_to, "scores": d.scores, "subject": msg.subject, "from": msg.from_addr,
               "malformed": msg.malformed, "rules_version": d.rules_version}
        if as_json:
            click.echo(json.dumps(row, ensure_ascii=False))
        else:
            shown.append(row)
    if as_json:
        return
    # The file, category, actionable and language always whole; what is left goes to the
    # subject, the rules and the dealer, each cut with an ellipsis.
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, width=console.width if shown else None)
    table.add_column("file", no_wrap=True)
    for h in ("category", "actionable", "language"):
        table.add_column(h, no_wrap=True, min_width=len(h))
    table.add_column("subject", overflow="ellipsis", no_wrap=True, ratio=3, min_width=8)
    table.add_column("rules", overflow="ellipsis", no_wrap=True, ratio=2, min_width=5)
    table.add_column("dealer", overflow="ellipsis", no_wrap=True, ratio=1, min_width=6)
    files = short_paths([r["path"] for r in shown], width=max(12, console.width // 4))
    for f, r in zip(files, shown, strict=True):
        table.add_row(plain(f), r["category"], "yes" if r["actionable"] else "no", r["language"] or "-",
                      plain(r["subject"]), ", ".join(r["rules"]) or "-", r["dealer"] or "-")
    console.print(table)


@rules.command("test")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--rules", "rules_file", type=click.Path(dir_okay=False), help="Rules file to try (default: the configured one).")
@click.pass_obj
def rules_test(obj: Context, paths, rules_file):
    """Explain, for each message, which rules and conditions matched, the scores and the decision."""
    from intake.sources.local import read_paths

    rules_, directory = _rules_and_directory(obj, rules_file)
    for item in read_paths(list(paths)):
        msg, dealer, d = _judge(item.raw, rules_, directory)
        console.print(plain(item.source_ref), style="bold", highlight=False)
        console.print(plain(f"  from      {msg.from_addr or '-'}  dealer {dealer.key if dealer else 'unknown'}"
                            f"  language {msg.language or '-'}"), highlight=False)
        console.print(plain(f"  subject   {msg.subject!r}"), highlight=False)
        new = " ".join(msg.new_text.split())
        console.print(plain(f"  new text  {new[:150]!r}{'…' if len(new) > 150 else ''}"), highlight=False)
        if not d.matches:
            console.print("  no rule matched")
        for m in d.matches:
            outcome = f"{m.category} +{m.score:g}" if m.category else "outcome only"
            console.print(f"  matched   {m.rule} ({outcome}): {'; '.join(m.why)}", highlight=False, markup=False)
        scores = ", ".join(f"{c} {v:g}" for c, v in sorted(d.scores.items(), key=lambda kv: -kv[1])) or "-"
        console.print(f"  scores    {scores} (threshold {rules_.threshold:g})", highlight=False)
        console.print(f"  decision  [bold]{d.category}[/] {'actionable' if d.actionable else 'not actionable'}, "
                      f"priority {d.priority}, decided by {', '.join(d.rules) or 'nothing'}"
                      f"{', route to ' + d.route_to if d.route_to else ''}\n", highlight=False)


@rules.command("eval")
@click.argument("labels", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--rules", "rules_file", type=click.Path(dir_okay=False), help="Rules file to measure.")
@click.option("--compare", "compare_file", type=click.Path(dir_okay=False),
              help="A candidate rules file: show what it fixes and what it breaks against --rules.")
@click.option("--min-accuracy", type=float, help="Exit 1 if category accuracy is below this (0-1).")
@click.option("--min-actionable-accuracy", type=float, help="Exit 1 if actionable accuracy is below this (0-1).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def rules_eval(obj: Context, labels, rules_file, compare_file, min_accuracy, min_actionable_accuracy, as_json):
    """Measure the rules against labelled CSVs (columns file,category,actionable; language
    and difficulty, when present, are broken down). Several files are reported each and
    together."""
    from intake.evaluate import Judge, LabelsError, compare, evaluate, read_labels
    from intake.rulesfile import load_rules

    rules_, directory = _rules_and_directory(obj, rules_file)
    fmt = csv_format(obj.settings.calls_csv)
    try:
        files = [(path, read_labels(path)) for path in labels]
    except LabelsError as exc:
        fail(str(exc))
    judge = Judge(rules_, directory, fmt)
    reports = [(path, evaluate(rows, judge)) for path, rows in files]
    everything = [row for _, rows in files for row in rows]
    report = evaluate(everything, judge) if len(files) > 1 else reports[0][1]
    if report.total == 0:
        fail(f"none of the {len(everything)} labelled messages could be read, so nothing was measured "
             f"({len(report.skipped)} skipped)", 1)
    out = report.as_dict()
    if len(files) > 1:
        out["files"] = [{"labels": str(path), **r.as_dict()} for path, r in reports]
    if compare_file:
        candidate_rules = load_rules(Path(compare_file), own_domains=obj.settings.own_domains)
        candidate = evaluate(everything, Judge(candidate_rules, directory, fmt))
        out["compare"] = {"rules": str(compare_file), "accuracy": candidate.accuracy,
                          "actionable_accuracy": candidate.actionable_accuracy,
                          **compare(everything, report, candidate)}
    if as_json:
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        _print_eval(report, reports, out.get("compare"))
    low = (min_accuracy is not None and report.accuracy < min_accuracy) or (
        min_actionable_accuracy is not None and report.actionable_accuracy < min_actionable_accuracy)
    if low:
        fail(f"accuracy below the minimum (category {report.accuracy:.1%}, "
             f"actionable {report.actionable_accuracy:.1%})", 1)


def _print_eval(report, reports, compared) -> None:
    def line(name, r):
        return (f"{name}{r.total} messages: category accuracy [bold]{r.accuracy:.1%}[/], "
                f"actionable accuracy [bold]{r.actionable_accuracy:.1%}[/]"
                + (f"; {len(r.skipped)} skipped" if r.skipped else ""))

    console.print(line("all: " if len(reports) > 1 else "", report))
    if len(reports) > 1:
        for path, r in reports:
            console.print("  " + line(f"{path}: ", r), highlight=False)
    pr = Table("category", "precision", "recall", "n", title="per category", title_justify="left")
    for c, (p, r, n) in report.precision_recall().items():
        pr.add_row(c, "-" if p is None else f"{p:.0%}", "-" if r is None else f"{r:.0%}", str(n))
    console.print(pr)
    for title, key in (("per channel", "by_channel"), ("per language", "by_language"),
                       ("per difficulty", "by_difficulty")):
        groups = report.as_dict()[key]
        if len(groups) < 2:
            continue
        t = Table(title.split()[1], "n", "category", "actionable", title=title, title_justify="left")
        for name, g in groups.items():
            t.add_row(name, str(g["n"]), f"{g['accuracy']:.0%}", f"{g['actionable_accuracy']:.0%}")
        console.print(t)
    cats = report.categories()
    cm = Table("expected \\ got", *cats, title="confusion", title_justify="left")
    for e in [c for c in cats if any(report.confusion[(c, g)] for g in cats)]:
        cm.add_row(e, *[str(report.confusion[(e, g)] or "") for g in cats])
    console.print(cm)
    if report.misses:
        ms = Table("file", "expected", "got", "decided by", title="misses", title_justify="left")
        for m in report.misses:
            exp = m.expected + ("" if m.expected_actionable else " (not actionable)")
            ms.add_row(plain(m.file), exp, f"{m.got}{'' if m.got_actionable else ' (not actionable)'}",
                       ", ".join(m.rules) or "-")
        console.print(ms)
    reasons = Counter(w for _, w in report.skipped)
    for why, n in reasons.items():
        console.print(f"skipped {n}: {why}", highlight=False)
    if compared:
        console.print(f"\ncandidate {compared['rules']}: category accuracy {compared['accuracy']:.1%}, "
                      f"actionable {compared['actionable_accuracy']:.1%}; fixes {len(compared['fixed'])}, "
                      f"breaks {len(compared['broken'])}", highlight=False)
        for what in ("fixed", "broken"):
            for e in compared[what]:
                console.print(f"  {what:<7} {e['file']}: expected {e['expected']}, {e['before']} -> {e['after']}",
                              highlight=False, markup=False)


@rules.command("check")
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.pass_obj
def rules_check(obj: Context, file):
    """Validate a rules file (default: the configured one); exit 1 on problems."""
    from intake.rulesfile import load_rules

    path = Path(file) if file else obj.settings.rules_path
    try:
        loaded = load_rules(path)
    except ConfigError as exc:
        for p in exc.problems:
            err.print(str(p), highlight=False, markup=False)
        fail(f"{path}: {len(exc.problems)} problem(s)", 1)
    user = sum(not r.builtin for r in loaded.rules)
    console.print(f"{path}: OK, {user} rules (+{len(loaded.rules) - user} built in), version {loaded.version}",
                  highlight=False)
