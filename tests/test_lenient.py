"""Lenient validation: code-neutral findings are warnings, `--strict` makes them errors."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from support import REPO

from generator.errors import SpecErrors
from generator.load import LoadedSpec
from generator.validate import Finding, check_findings, validate_spec

BASE: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Lenient API", "version": "1"},
    "paths": {
        "/pets/{pet_id}": {
            "get": {
                "operationId": "getPet",
                "parameters": [
                    {"name": "pet_id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}
                        },
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "Pet": {
                "type": "object",
                "required": ["id"],
                "properties": {"id": {"type": "string"}, "age": {"type": "integer"}},
            }
        }
    },
}
OPERATION = ("paths", "/pets/{pet_id}", "get")
PATH_PARAMETER = {"name": "pet_id", "in": "path", "required": True, "schema": {"type": "string"}}
PET = ("components", "schemas", "Pet")


def changed(
    path: tuple[str, ...], key: str, value: Any, document: dict[str, Any] = BASE
) -> dict[str, Any]:
    result = copy.deepcopy(document)
    node = result
    for token in path:
        node = node[token]
    node[key] = value
    return result


def findings(document: dict[str, Any]) -> list[Finding]:
    return validate_spec(LoadedSpec(Path("inline.json"), document, content_hash="0" * 64))


# Each case: a document with one problem, the expected severity, and a word of the message.
CASES = {
    "default_not_matching": (
        changed((*PET, "properties", "age"), "default", "twenty"),
        "warning",
        "does not use a default",
    ),
    "default_null_not_nullable": (
        changed((*PET, "properties", "age"), "default", None),
        "warning",
        "default",
    ),
    "unknown_operation_field": (changed(OPERATION, "title", "Get a pet"), "warning", "'title'"),
    "boolean_exclusive_minimum": (
        changed((*PET, "properties", "age"), "exclusiveMinimum", True),
        "warning",
        "'exclusiveMinimum'",
    ),
    "duplicate_required": (changed(PET, "required", ["id", "id"]), "warning", "repeated"),
    "required_not_a_list": (changed(PET, "required", True), "warning", "'required'"),
    "operation_security_map": (
        changed(OPERATION, "security", {"key": []}),
        "warning",
        "'security'",
    ),
    "path_parameter_not_required": (
        changed(OPERATION, "parameters", [{**PATH_PARAMETER, "required": False}]),
        "warning",
        "requires it anyway",
    ),
    "dangling_ref": (
        changed((*PET, "properties"), "owner", {"$ref": "#/components/schemas/Owner"}),
        "error",
        "not found",
    ),
    "unknown_schema_type": (
        changed((*PET, "properties", "age"), "type", "integr"),
        "error",
        "integr",
    ),
    "undeclared_path_parameter": (
        {**BASE, "paths": {"/pets/{pet_id}/{other}": BASE["paths"]["/pets/{pet_id}"]}},
        "error",
        "not declared",
    ),
    "property_named_like_an_unused_keyword": (
        changed((*PET, "properties"), "title", {"type": 12}),
        "error",
        "",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_finding_severity(case: str) -> None:
    document, severity, word = CASES[case]

    found = findings(document)

    assert found, "expected a finding"
    assert {finding.severity for finding in found} == {severity}, found
    assert any(word in finding.message for finding in found), found
    assert all(finding.pointer.startswith("#") for finding in found)


def test_clean_document_has_no_findings() -> None:
    assert findings(BASE) == []


def test_check_findings_strict_raises_warnings() -> None:
    warning = findings(CASES["duplicate_required"][0])

    check_findings(warning)
    with pytest.raises(SpecErrors) as raised:
        check_findings(warning, strict=True)
    assert "repeated" in str(raised.value)


def run_sdkgen(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )


def test_generate_warns_and_goes_on(tmp_path: Path) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(CASES["default_not_matching"][0]), encoding="utf-8")
    output = tmp_path / "out"

    result = run_sdkgen("generate", str(spec), "--output", str(output))

    assert result.returncode == 0, result.stderr
    assert (
        "WARNING" in result.stderr
        and "#/components/schemas/Pet/properties/age/default" in result.stderr
    )
    assert (output / "src" / "lenient_api_client" / "types" / "pet.py").is_file()


@pytest.mark.parametrize("command", ["generate", "check"])
def test_strict_turns_warnings_into_errors(command: str, tmp_path: Path) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(CASES["default_not_matching"][0]), encoding="utf-8")
    output = tmp_path / "out"

    result = run_sdkgen(command, str(spec), "--output", str(output), "--strict")

    assert result.returncode == 2, result.stderr
    assert "error:" in result.stderr and "spec.json:" in result.stderr
    assert "Traceback" not in result.stderr
    assert not output.exists()


def test_errors_stop_generation_without_strict(tmp_path: Path) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(CASES["dangling_ref"][0]), encoding="utf-8")

    result = run_sdkgen("generate", str(spec), "--output", str(tmp_path / "out"))

    assert result.returncode == 2
    assert "'#/components/schemas/Owner' not found" in result.stderr
