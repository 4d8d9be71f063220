"""Measuring rules against labelled mail: accuracy, precision and recall, confusion, misses.

A labels file is a CSV with columns ``file,category,actionable`` (other columns ignored);
``file`` is relative to the CSV, ``category`` one of order, quote, literature, query,
rework or none, ``actionable`` yes or no. A ``file`` of the form ``calls.csv#SID`` names one
record of a call log; those rows are counted as skipped when call records cannot be read.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from intake.errors import IntakeError
from intake.sources.call_log import BadRow, read_csv
from intake.understand.step import understand

LABELS = ("order", "quote", "literature", "query", "rework", "none")


@dataclass
class Row:
    file: str
    category: str
    actionable: bool
    language: str = ""
    difficulty: str = ""
    base: Path = Path(".")  # the folder of the labels file: ``file`` is relative to it

    @property
    def channel(self) -> str:
        return "call" if "#" in self.file else "email"


@dataclass
class Miss:
    file: str
    expected: str
    got: str
    expected_actionable: bool
    got_actionable: bool
    rules: list[str]


@dataclass
class Report:
    total: int = 0
    correct: int = 0
    actionable_correct: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    confusion: Counter = field(default_factory=Counter)  # (expected, got) -> n
    misses: list[Miss] = field(default_factory=list)
    results: list[tuple[Row, str, bool]] = field(default_factory=list)  # (row, category, actionable)

    def breakdown(self, key: Callable[[Row], str]) -> dict[str, dict]:
        """Accuracy per value of ``key`` (language, difficulty, channel)."""
        groups: dict[str, list[tuple[Row, str, bool]]] = {}
        for r in self.results:
            groups.setdefault(key(r[0]) or "-", []).append(r)
        return {k: {"n": len(g), "accuracy": sum(c == row.category for row, c, _ in g) / len(g),
                    "actionable_accuracy": sum(a == row.actionable for row, _, a in g) / len(g)}
                for k, g in sorted(groups.items())}

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    @property
    def actionable_accuracy(self) -> float:
        return self.actionable_correct / self.total if self.total else 0.0

    def categories(self) -> list[str]:
        seen = {c for pair in self.confusion for c in pair}
        return [c for c in LABELS if c in seen] + sorted(seen - set(LABELS))

    def precision_recall(self) -> dict[str, tuple[float | None, float | None, int]]:
        out = {}
        for c in self.categories():
            tp = self.confusion[(c, c)]
            predicted = sum(n for (_, g), n in self.confusion.items() if g == c)
            actual = sum(n for (e, _), n in self.confusion.items() if e == c)
            out[c] = (tp / predicted if predicted else None, tp / actual if actual else None, actual)
        return out

    def as_dict(self) -> dict:
        return {
            "total": self.total, "accuracy": self.accuracy, "actionable_accuracy": self.actionable_accuracy,
            "per_category": {c: {"precision": p, "recall": r, "support": n}
                             for c, (p, r, n) in self.precision_recall().items()},
            "confusion": [{"expected": e, "got": g, "n": n} for (e, g), n in sorted(self.confusion.items())],
            "misses": [m.__dict__ for m in self.misses],
            "skipped": [{"file": f, "why": w} for f, w in self.skipped],
            "by_channel": self.breakdown(lambda r: r.channel),
            "by_language": self.breakdown(lambda r: r.language),
            "by_difficulty": self.breakdown(lambda r: r.difficulty),
        }


class LabelsError(IntakeError):
    pass


def read_labels(path: Path) -> list[Row]:
    try:
        with path.open(newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            missing = {"file", "category", "actionable"} - set(reader.fieldnames or [])
            if missing:
                raise LabelsError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
            rows = []
            for n, r in enumerate(reader, start=2):
                cat = (r["category"] or "").strip().lower()
                act = (r["actionable"] or "").strip().lower()
                if cat not in LABELS or act not in ("yes", "no", "true", "false", "1", "0"):
                    raise LabelsError(f"{path}:{n}: category must be one of {', '.join(LABELS)} "
                                      f"and actionable yes or no")
                rows.append(Row(r["file"].strip(), cat, act in ("yes", "true", "1"),
                                (r.get("language") or "").strip(), (r.get("difficulty") or "").strip(),
                                path.parent))
            return rows
    except FileNotFoundError:
        raise LabelsError(f"{path}: no such file") from None


def evaluate(rows: list[Row], judge: Callable[[Row], tuple[str, bool, list[str]] | str]) -> Report:
    """``judge`` returns (category, actionable, deciding rule ids), or a string saying why
    the row could not be judged (it is then skipped, not counted)."""
    report = Report()
    for row in rows:
        got = judge(row)
        if isinstance(got, str):
            report.skipped.append((row.file, got))
            continue
        category, actionable, rules = got
        report.results.append((row, category, actionable))
        report.total += 1
        report.confusion[(row.category, category)] += 1
        ok = category == row.category
        report.correct += ok
        report.actionable_correct += actionable == row.actionable
        if not ok or actionable != row.actionable:
            report.misses.append(Miss(row.file, row.category, category, row.actionable, actionable, rules))
    return report


class Judge:
    """Classifies the message or call record a label row names, as the pipeline would."""

    def __init__(self, rules, directory, call_format=None):
        self.rules, self.directory, self.call_format = rules, directory, call_format
        self._call_logs: dict[Path, dict] = {}

    def __call__(self, row: Row) -> tuple[str, bool, list[str]] | str:
        if "#" in row.file:
            rec = self._call_record(row)
            if rec is None:
                return "call record not found"
            _msg, _dealer, d = understand(rec.to_raw(), "call", self.rules, self.directory)
            return d.category, d.actionable, d.rules
        path = row.base / row.file
        if not path.is_file():
            return "file not found"
        _msg, _dealer, d = understand(path.read_bytes(), "email", self.rules, self.directory)
        return d.category, d.actionable, d.rules

    def _call_record(self, row: Row):
        file, _, sid = row.file.partition("#")
        path = row.base / file
        if path not in self._call_logs:
            if not path.is_file():
                return None
            self._call_logs[path] = {r.call_sid: r for r in read_csv(path, self.call_format)
                                     if not isinstance(r, BadRow)}
        return self._call_logs[path].get(sid)


def compare(rows: list[Row], before: Report, after: Report) -> dict[str, list[dict]]:
    """What a candidate rule set fixes and breaks against the current one, row by row."""
    was = {(r.base, r.file): c for r, c, _ in before.results}
    fixed, broken = [], []
    for row, got, _ in after.results:
        old = was.get((row.base, row.file))
        if old is None or old == got:
            continue
        entry = {"file": row.file, "expected": row.category, "before": old, "after": got}
        if got == row.category:
            fixed.append(entry)
        elif old == row.category:
            broken.append(entry)
    return {"fixed": fixed, "broken": broken}
