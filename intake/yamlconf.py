"""Hand-edited YAML files (config, rules, dealer directory) loaded with their line numbers.

People edit these files by hand, so every problem must say where it is. YAML is read into
plain Python values plus a map from each value's path (``("rules", 3, "when")``) to its
line and column; validation then reports errors against that map instead of losing the
position the way a dump of a schema error does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pydantic
import yaml

from intake.errors import IntakeError

Path_ = tuple[str | int, ...]
M = TypeVar("M", bound=pydantic.BaseModel)


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        if self.line <= 0:  # about the whole file (not found, unreadable): no place in it
            return f"{self.file}: {self.message}"
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class ConfigError(IntakeError):
    """One or more problems in a hand-edited file; ``str()`` lists them one per line."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class Document:
    """A loaded YAML file: its data and where each part of it was written."""

    file: str
    data: Any
    marks: dict[Path_, tuple[int, int]]

    def where(self, path: Path_) -> tuple[int, int]:
        """Line and column of the deepest part of ``path`` that exists in the file."""
        for n in range(len(path), -1, -1):
            if path[:n] in self.marks:
                return self.marks[path[:n]]
        return (1, 1)

    def problem(self, path: Path_, message: str) -> Problem:
        line, col = self.where(path)
        where = dotted(path)
        return Problem(self.file, line, col, f"{where}: {message}" if where else message)


def dotted(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# Bounds a config file must keep: far above any real one, far below what would exhaust the
# machine (a "billion laughs" of nested aliases expands a few hundred bytes into gigabytes).
MAX_BYTES = 4 << 20
MAX_VALUES = 200_000


def parse(text: str, file: str = "<string>") -> Document:
    """Parse YAML text, keeping the position of every mapping key, list item and scalar."""
    if len(text) > MAX_BYTES:
        raise ConfigError([Problem(file, 1, 1, f"the file is larger than {MAX_BYTES >> 20} MB; "
                                               "a configuration file never needs to be")])
    loader = None
    try:
        loader = yaml.SafeLoader(text)
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise ConfigError([Problem(file, line, col, f"not valid YAML: {exc.problem or exc}")]) from None
    except yaml.reader.ReaderError as exc:  # a NUL or another character YAML does not allow
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise ConfigError([Problem(file, line, col, f"character U+{exc.character:04X} is not allowed here "
                                                      "(control characters cannot be in a YAML file)")]) from None
    except yaml.YAMLError as exc:
        raise ConfigError([Problem(file, 1, 1, f"not valid YAML: {exc}")]) from None
    finally:
        if loader is not None:
            loader.dispose()
    marks: dict[Path_, tuple[int, int]] = {}
    problems: list[Problem] = []
    built = 0

    def build(n: yaml.Node, path: Path_) -> Any:
        nonlocal built
        built += 1
        if built > MAX_VALUES:
            raise ConfigError([Problem(file, n.start_mark.line + 1, n.start_mark.column + 1,
                                       f"the file expands to more than {MAX_VALUES:,} values "
                                       "(aliases repeating aliases?); refused")])
        marks.setdefault(path, (n.start_mark.line + 1, n.start_mark.column + 1))
        if isinstance(n, yaml.MappingNode):
            loader.flatten_mapping(n)
            out: dict[Any, Any] = {}
            for key_node, value_node in n.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.tag == "tag:yaml.org,2002:bool":
                    # A key is its text: `no:` is Norwegian, not false (YAML 1.1 reads it as false).
                    key = key_node.value
                elif isinstance(key_node, yaml.ScalarNode):
                    key = loader.construct_object(key_node, deep=True)
                else:
                    problems.append(Problem(file, key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                                            f"{dotted(path)}: a key must be text, not a list or mapping"))
                    continue
                if not isinstance(key, (str, int)):
                    key = str(key)
                if key in out:
                    problems.append(
                        Problem(file, key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                                f"{dotted(path + (key,))}: duplicate key {key!r}")
                    )
                    continue
                marks[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                out[key] = build(value_node, path + (key,))
            return out
        if isinstance(n, yaml.SequenceNode):
            return [build(item, path + (i,)) for i, item in enumerate(n.value)]
        return loader.construct_object(n, deep=True)

    data = build(node, ()) if node is not None else None
    if problems:
        raise ConfigError(problems)
    return Document(file, data, marks)


def load(path: str | Path) -> Document:
    p = Path(path)
    try:
        if p.stat().st_size > MAX_BYTES:
            raise ConfigError([Problem(str(p), 1, 1, f"the file is larger than {MAX_BYTES >> 20} MB; "
                                                     "a configuration file never needs to be")])
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError([Problem(str(p), 0, 0, "file not found")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([Problem(str(p), 0, 0, f"cannot read: {exc}")]) from None
    return parse(text, str(p))


def validate(doc: Document, model: type[M], data: Any = None, base: Path_ = ()) -> M:
    """Validate ``data`` (default: the whole document) into ``model``; errors point to lines."""
    try:
        return model.model_validate(doc.data if data is None else data)
    except pydantic.ValidationError as exc:
        raise ConfigError(pydantic_problems(doc, exc, base)) from None


def pydantic_problems(doc: Document, exc: pydantic.ValidationError, base: Path_ = ()) -> list[Problem]:
    problems = []
    for err in exc.errors():
        path = base + tuple(p for p in err["loc"] if isinstance(p, (str, int)))
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown key (check its spelling and indentation)"
        elif err["type"] == "missing":
            msg = "required key is missing"
        problems.append(doc.problem(path, msg))
    return problems
