"""Tests for generator.validate against real spec files and the real openapi-spec-validator."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from generator.errors import SpecErrors
from generator.load import LoadedSpec, load_spec
from generator.validate import Finding, _IndexedList, check_findings, validate_spec

TESTS = Path(__file__).parent
BAD_SPECS = TESTS / "bad_specs"
FIXTURES = TESTS / "fixtures" / "load"
REPO = TESTS.parent
SHARED = Path(__file__).resolve().parents[2] / "shared"


def findings_for(path: Path) -> list[Finding]:
    return validate_spec(load_spec(path))


def spec_from(document: dict[str, Any]) -> LoadedSpec:
    return LoadedSpec(Path("inline.yaml"), document, content_hash="0" * 64)


# One file per problem: expected pointer, line and words of the message.
BAD_SPEC_CASES = [
    ("no_paths_30.yaml", "#", 1, ["3.0", "'paths'"]),
    (
        "dangling_ref.yaml",
        "#/paths/~1pets/get/responses/200/content/application~1json/schema/$ref",
        15,
        ["'#/components/schemas/Pett'", "not found"],
    ),
    (
        "undeclared_path_parameter.yaml",
        "#/paths/~1pets~1{petId}/get",
        7,
        ["'petId'", "not declared", "in: path"],
    ),
    (
        "path_parameter_not_required.yaml",
        "#/paths/~1pets~1{petId}/get/parameters/0",
        10,
        ["'petId'", "must be required", "found required: false"],
    ),
    (
        "path_parameter_not_in_template.yaml",
        "#/paths/~1pets/get/parameters/0",
        10,
        ["'petId'", "does not appear", "'/pets'"],
    ),
    (
        "responses_not_mapping.yaml",
        "#/paths/~1pets/get/responses",
        9,
        ["wrong type", "expected object", "found array"],
    ),
    (
        "duplicate_operation_id.yaml",
        "#/paths/~1cats/get/operationId",
        14,
        ["'listPets'", "not unique"],
    ),
    (
        "default_not_matching_schema.yaml",
        "#/components/parameters/Limit/schema/default",
        21,
        ["default value", "expected integer", "found string"],
    ),
    (
        "parameter_without_schema.yaml",
        "#/paths/~1pets/get/parameters/0",
        10,
        ["missing field", "'schema'", "'content'"],
    ),
    ("swagger_2.yaml", "#/swagger", 1, ["not supported", "2.0"]),
]


# Problems that cannot change the generated code: warnings, errors only with --strict.
CODE_NEUTRAL_CASES = {
    "default_not_matching_schema.yaml",
    "duplicate_operation_id.yaml",
    "no_paths_30.yaml",
    "path_parameter_not_required.yaml",
}


@pytest.mark.parametrize(
    ("name", "pointer", "line", "words"),
    BAD_SPEC_CASES,
    ids=[case[0] for case in BAD_SPEC_CASES],
)
def test_validate_bad_spec(name: str, pointer: str, line: int, words: list[str]) -> None:
    findings = findings_for(BAD_SPECS / name)

    assert len(findings) == 1, findings
    finding = findings[0]
    assert finding.severity == ("warning" if name in CODE_NEUTRAL_CASES else "error")
    assert finding.pointer == pointer
    assert finding.location is not None
    assert finding.location.file == str(BAD_SPECS / name)
    assert finding.location.line == line
    for word in words:
        assert word in finding.message


def test_validate_every_bad_spec_has_a_case() -> None:
    covered = {case[0] for case in BAD_SPEC_CASES} | {"three_errors.yaml", "ref_loop.yaml"}

    assert {path.name for path in BAD_SPECS.glob("*.yaml")} == covered


def test_validate_reports_three_errors_sorted_by_line() -> None:
    findings = findings_for(BAD_SPECS / "three_errors.yaml")

    assert [finding.location.line for finding in findings if finding.location] == [7, 21, 25]
    assert [finding.pointer for finding in findings] == [
        "#/paths/~1pets~1{petId}/get",
        "#/paths/~1owners/get/responses/200/content/application~1json/schema/$ref",
        "#/paths/~1stores/get/responses",
    ]
    assert "not declared" in findings[0].message
    assert "'#/components/schemas/Owners'" in findings[1].message
    assert "expected object" in findings[2].message


def test_validate_ref_loop_reported_at_each_ref() -> None:
    findings = findings_for(BAD_SPECS / "ref_loop.yaml")

    assert [finding.location.line for finding in findings if finding.location] == [15, 19, 21]
    for finding in findings:
        assert "loops back" in finding.message


def test_validate_messages_stay_short() -> None:
    for path in sorted(BAD_SPECS.glob("*.yaml")):
        for finding in findings_for(path):
            assert len(finding.message) <= 200, finding
            assert "{'" not in finding.message, finding


def test_validate_31_path_parameter_not_required() -> None:
    spec = load_spec(BAD_SPECS / "path_parameter_not_required.yaml")
    document = {**spec.document, "openapi": "3.1.0"}

    findings = validate_spec(LoadedSpec(spec.path, document, spec.content_hash))

    assert spec.document["openapi"] == "3.0.3"
    assert [finding.message for finding in findings] == [
        "path parameter 'petId' must be required (found required: false); "
        "the SDK requires it anyway"
    ]


def test_validate_locates_errors_in_referenced_files(tmp_path: Path) -> None:
    copy = tmp_path / "bundle"
    shutil.copytree(FIXTURES / "bundle", copy)
    (copy / "owner.yaml").write_text(
        "type: object\nproperties:\n  name:\n    type: 12\n", encoding="utf-8"
    )

    findings = findings_for(copy / "openapi.yaml")

    assert findings
    for finding in findings:
        assert finding.pointer.startswith("#/components/schemas/owner/properties/name")
        assert finding.location is not None
        assert finding.location.file == str(copy / "owner.yaml")
        assert finding.location.line == 4


@pytest.mark.parametrize(
    ("openapi", "words"),
    [("4.0.0", ["not supported", "'4.0.0'"]), (3.1, ["must be a string", "quote it"])],
)
def test_validate_unsupported_openapi_version(openapi: Any, words: list[str]) -> None:
    findings = validate_spec(spec_from({"openapi": openapi, "info": {}, "paths": {}}))

    assert [finding.pointer for finding in findings] == ["#/openapi"]
    for word in words:
        assert word in findings[0].message


def test_validate_missing_openapi_field() -> None:
    findings = validate_spec(spec_from({"info": {}, "paths": {}}))

    assert [finding.pointer for finding in findings] == ["#"]
    assert "missing 'openapi'" in findings[0].message


@pytest.mark.parametrize(
    "document",
    [
        {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": [1]},
        {
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"parameters": {"name": "x"}, "responses": {200: {}}}}},
        },
        {
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a/{x}": {"get": {"parameters": [{"in": "path"}, 5, None]}}},
        },
        {"openapi": "3.0.0", "info": None, "paths": {"/a": None}},
        {
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"200": {"$ref": "other.yaml#/R"}}}}},
        },
    ],
)
def test_validate_odd_documents_give_findings_not_exceptions(document: dict[str, Any]) -> None:
    findings = validate_spec(spec_from(document))

    assert any(finding.severity == "error" for finding in findings)


def test_check_findings_raises_errors_only() -> None:
    error = Finding("wrong type: expected object, found array", "#/paths", None)
    warning = Finding("some checks did not run", "#", None, "warning")

    check_findings([warning])
    with pytest.raises(SpecErrors) as caught:
        check_findings([warning, error, error])

    assert [problem.pointer for problem in caught.value.problems] == ["#/paths", "#/paths"]
    assert str(caught.value) == "\n".join(["#/paths: wrong type: expected object, found array"] * 2)


# Valid specs --------------------------------------------------------------------------


def test_validate_31_webhooks_only_is_clean() -> None:
    assert findings_for(FIXTURES / "webhooks_only.yaml") == []


def test_validate_bundled_spec_is_clean() -> None:
    assert findings_for(FIXTURES / "bundle" / "openapi.yaml") == []


def test_validate_seed_spec_is_clean() -> None:
    assert findings_for(REPO / "specs" / "runloop" / "openapi.yaml") == []


@pytest.mark.parametrize("name", ["openapi.json", "openapi.yaml"])
def test_validate_full_runloop_spec_is_clean(name: str) -> None:
    path = SHARED / "specs" / "runloop" / name
    if not path.is_file():
        pytest.skip(f"{path} not found: the shared folder is not beside the repository")

    assert findings_for(path) == []


def test_validate_shared_path_parameter_reported_once(tmp_path: Path) -> None:
    text = """openapi: 3.1.0
info: {title: Shared parameter, version: "1.0"}
paths:
  /pets/{id}:
    get:
      parameters: [{$ref: "#/components/parameters/Id"}]
      responses: {"200": {description: A pet.}}
  /cats:
    get:
      parameters: [{$ref: "#/components/parameters/Id"}]
      responses: {"200": {description: The cats.}}
components:
  parameters:
    Id: {name: id, in: path, schema: {type: string}}
"""
    path = tmp_path / "openapi.yaml"
    path.write_text(text, encoding="utf-8")

    findings = findings_for(path)

    assert [(finding.pointer, finding.message) for finding in findings] == [
        (
            "#/paths/~1cats/get/parameters/0",
            "path parameter 'id' does not appear in the path " "template '/cats'",
        ),
        (
            "#/components/parameters/Id",
            "path parameter 'id' must be required (required is missing); "
            "the SDK requires it anyway",
        ),
    ]


def test_indexed_list_membership_after_changes() -> None:
    ids = _IndexedList([1, 2])
    ids.append(3)

    assert 3 in ids
    assert 4 not in ids
    assert ids == [1, 2, 3]

    # Changes other than append make the next membership test rebuild the index.
    ids.remove(1)
    assert 1 not in ids
    ids.clear()
    assert 2 not in ids
    ids.extend([5])
    assert 5 in ids
