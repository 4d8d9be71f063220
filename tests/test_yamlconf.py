import pytest
from pydantic import BaseModel, ConfigDict

from intake.yamlconf import ConfigError, load, parse, validate


class Inner(BaseModel):
    model_config = ConfigDict(extra="forbid")
    port: int


class Outer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    servers: list[Inner] = []


def test_unknown_key_points_to_its_line():
    doc = parse("name: x\nservers:\n  - port: 1\n  - port: 2\n    hots: a\n", "c.yaml")
    with pytest.raises(ConfigError) as e:
        validate(doc, Outer)
    (p,) = e.value.problems
    assert (p.file, p.line, p.column) == ("c.yaml", 5, 5)
    assert "servers[1].hots" in p.message and "unknown key" in p.message


def test_wrong_type_points_to_the_value():
    doc = parse("name: x\nservers:\n  - port: eighty\n", "c.yaml")
    with pytest.raises(ConfigError) as e:
        validate(doc, Outer)
    assert e.value.problems[0].line == 3
    assert str(e.value).startswith("c.yaml:3:")


def test_missing_key_points_to_the_parent():
    doc = parse("servers:\n  - port: 1\n", "c.yaml")
    with pytest.raises(ConfigError) as e:
        validate(doc, Outer)
    assert "required key is missing" in str(e.value)


def test_duplicate_keys_are_refused():
    with pytest.raises(ConfigError) as e:
        parse("name: a\nname: b\n", "d.yaml")
    assert e.value.problems[0].line == 2
    assert "duplicate key" in e.value.problems[0].message


def test_yaml_syntax_error_has_position():
    with pytest.raises(ConfigError) as e:
        parse("name: [unclosed\nother: 1\n", "s.yaml")
    p = e.value.problems[0]
    assert p.file == "s.yaml" and p.line >= 2 and "not valid YAML" in p.message


def test_a_control_character_is_reported_at_its_line_and_column():
    with pytest.raises(ConfigError) as err:
        parse("version: 1\nrules:\n  - id: a\x00b\n", "r.yaml")
    (p,) = err.value.problems
    assert (p.file, p.line, p.column) == ("r.yaml", 3, 10)
    assert "U+0000" in str(p)


def test_a_file_that_is_not_there_has_no_line_to_point_at(tmp_path):
    with pytest.raises(ConfigError) as err:
        load(tmp_path / "missing.yaml")
    assert str(err.value.problems[0]) == f"{tmp_path / 'missing.yaml'}: file not found"


def test_an_alias_bomb_is_refused_quickly_with_its_line(tmp_path):
    import time

    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for n in range(1, 10):
        lines.append(f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]")
    path = tmp_path / "rules.yaml"
    path.write_text("\n".join(lines) + "\n")
    started = time.monotonic()
    with pytest.raises(ConfigError) as info:
        load(path)
    assert time.monotonic() - started < 5
    (problem,) = info.value.problems
    assert "expands to more than" in problem.message and problem.line >= 1


def test_a_huge_file_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "rules.yaml"
    with path.open("wb") as f:
        f.truncate(64 << 20)  # sparse: nothing but its size
    with pytest.raises(ConfigError) as info:
        load(path)
    assert "larger than" in info.value.problems[0].message
