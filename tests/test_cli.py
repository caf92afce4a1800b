"""The command line: exit codes, messages and the promise to write nothing on bad input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from support import REPO, SEED_SPEC

VALID_HEADER = """openapi: 3.1.0
info: {title: Pets API, version: '1'}
"""

BAD_SPECS = {
    "not_yaml": ("openapi: 3.1.0\ninfo: [unclosed\n", "bad.yaml:"),
    "dangling_ref": (
        VALID_HEADER + """paths:
  /pets:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Missing'}
""",
        "Missing",
    ),
    "remote_ref": (
        VALID_HEADER + """paths:
  /pets:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: 'https://example.com/pet.yaml'}
""",
        "https://example.com/pet.yaml",
    ),
    "undeclared_path_parameter": (
        VALID_HEADER + """paths:
  /pets/{pet_id}:
    get:
      responses:
        '200': {description: ok}
""",
        "pet_id",
    ),
}


def run_sdkgen(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("case", sorted(BAD_SPECS))
def test_invalid_spec_exits_2_and_writes_nothing(case: str, tmp_path: Path) -> None:
    text, expected = BAD_SPECS[case]
    spec = tmp_path / "bad.yaml"
    spec.write_text(text, encoding="utf-8")
    output = tmp_path / "out"
    result = run_sdkgen("generate", str(spec), "--output", str(output))
    assert result.returncode == 2, result.stderr
    assert expected in result.stderr
    assert "#" in result.stderr
    assert "Traceback" not in result.stderr
    assert not output.exists()


def test_invalid_spec_leaves_existing_output_alone(tmp_path: Path) -> None:
    output = tmp_path / "out"
    assert run_sdkgen("generate", str(SEED_SPEC), "--output", str(output)).returncode == 0
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    spec = tmp_path / "bad.yaml"
    spec.write_text(BAD_SPECS["dangling_ref"][0], encoding="utf-8")
    assert run_sdkgen("generate", str(spec), "--output", str(output)).returncode == 2
    after = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    assert before == after


def test_webhooks_only_31_spec_generates(tmp_path: Path) -> None:
    spec = tmp_path / "hooks.yaml"
    spec.write_text(
        VALID_HEADER + """webhooks:
  newPet:
    post:
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {name: {type: string}}}
      responses:
        '200': {description: ok}
""",
        encoding="utf-8",
    )
    result = run_sdkgen("generate", str(spec), "--output", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "src" / "pets_api_client" / "_client.py").is_file()


def test_generate_prints_one_summary_line(tmp_path: Path) -> None:
    result = run_sdkgen("generate", str(SEED_SPEC), "--output", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    assert "2 models" in lines[0]
    assert "1 operation," in lines[0]
    assert "files written" in lines[0]


def test_missing_spec_file_is_a_clear_error(tmp_path: Path) -> None:
    result = run_sdkgen("generate", str(tmp_path / "nope.yaml"), "--output", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "nope.yaml" in result.stderr
    assert "Traceback" not in result.stderr
