"""`sdkgen validate`: every problem at once, one `file:line:col: #/pointer: message` line each."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from support import REPO, SEED_SPEC

from generator.cli import main
from generator.load import split_pointer

THREE_ERRORS = REPO / "tests" / "bad_specs" / "three_errors.yaml"
PROBLEM = re.compile(
    r"^(?P<file>[^:]+):(?P<line>\d+):(?P<column>\d+): (?P<pointer>#\S*): (?P<message>.+)$"
)


def _validate(capsys: pytest.CaptureFixture[str], spec: Path) -> tuple[int, list[str], str]:
    capsys.readouterr()
    status = main(["validate", str(spec)])
    captured = capsys.readouterr()
    return status, captured.out.splitlines(), captured.err


def _parse(lines: list[str]) -> list[re.Match[str]]:
    matches = [PROBLEM.match(line) for line in lines]
    assert all(matches), lines
    return [match for match in matches if match is not None]


def _assert_located(problems: list[re.Match[str]], spec: Path) -> None:
    """Each problem's line contains the last key of its pointer, and problems come in file order."""
    source = spec.read_text(encoding="utf-8").splitlines()
    for problem in problems:
        assert problem["file"] == str(spec)
        last_key = split_pointer(problem["pointer"])[-1]
        assert last_key in source[int(problem["line"]) - 1], problem.group(0)
    positions = [(int(p["line"]), int(p["column"])) for p in problems]
    assert positions == sorted(positions)


def test_three_errors_listed_with_lines(capsys: pytest.CaptureFixture[str]) -> None:
    status, lines, err = _validate(capsys, THREE_ERRORS)
    assert status == 2
    problems = _parse(lines)
    assert len(problems) == 3
    _assert_located(problems, THREE_ERRORS)
    assert len({problem["line"] for problem in problems}) == 3
    pointers = [problem["pointer"] for problem in problems]
    assert pointers[0].startswith("#/paths/~1pets~1{petId}")
    assert pointers[1].startswith("#/paths/~1owners")
    assert pointers[2].startswith("#/paths/~1stores")
    assert "3 errors" in err


def test_three_errors_in_json_form(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "three_errors.json"
    document = yaml.safe_load(THREE_ERRORS.read_text(encoding="utf-8"))
    spec.write_text(json.dumps(document, indent=2), encoding="utf-8")

    status, lines, _ = _validate(capsys, spec)
    assert status == 2
    problems = _parse(lines)
    assert len(problems) == 3
    _assert_located(problems, spec)


def test_problems_sorted_by_location(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The reference check finds the dangling $ref before the schema check finds the
    # wrong `info`, yet the output follows the file.
    spec = tmp_path / "order.yaml"
    spec.write_text(
        "openapi: 3.1.0\n"
        "info:\n"
        "  title: Order\n"
        "  version: [1]\n"
        "paths:\n"
        "  /a:\n"
        "    get:\n"
        "      responses:\n"
        "        '200':\n"
        "          description: ok\n"
        "          content:\n"
        "            application/json:\n"
        "              schema: {$ref: '#/components/schemas/Missing'}\n",
        encoding="utf-8",
    )
    status, lines, _ = _validate(capsys, spec)
    assert status == 2
    problems = _parse(lines)
    assert [problem["line"] for problem in problems] == ["4", "13"]
    _assert_located(problems, spec)


def test_valid_spec_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    status, lines, err = _validate(capsys, SEED_SPEC)
    assert status == 0
    assert lines == []
    assert "is valid" in err


def test_unparsable_spec_uses_same_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "broken.yaml"
    spec.write_text("openapi: 3.1.0\ninfo: [unclosed\n", encoding="utf-8")
    status, lines, err = _validate(capsys, spec)
    assert status == 2
    problems = _parse(lines)
    assert len(problems) == 1
    assert problems[0]["file"] == str(spec)
    assert "Traceback" not in err


def test_missing_spec_names_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, lines, _ = _validate(capsys, tmp_path / "nope.yaml")
    assert status == 2
    assert len(lines) == 1
    assert lines[0].startswith(f"{tmp_path / 'nope.yaml'}: #: ")


def test_validate_subprocess_exit_code() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator", "validate", str(THREE_ERRORS)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert len(result.stdout.splitlines()) == 3
    assert "Traceback" not in result.stderr


def test_findings_same_for_every_hash_seed(tmp_path: Path) -> None:
    """jsonschema visits `properties` entries in set order; the findings must not depend on it."""
    properties = {
        f"field_{index}": {"type": "number", "exclusiveMinimum": True} for index in range(8)
    }
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Seeds", "version": "1"},
        "paths": {},
        "components": {"schemas": {"Tuning": {"type": "object", "properties": properties}}},
    }
    path = tmp_path / "openapi.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    outputs = set()
    for seed in ("0", "1", "2", "3", "4"):
        result = subprocess.run(
            [sys.executable, "-m", "generator", "validate", str(path)],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        assert "exclusiveMinimum" in result.stdout
        outputs.add(result.stdout)
    assert len(outputs) == 1
