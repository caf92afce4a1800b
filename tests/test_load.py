"""Tests for generator.load: parsing, limits, position lookup and bundling of file references."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

import pytest

from generator import load, load_sources
from generator.errors import SourceLocation, SpecError
from generator.load import iter_references, load_spec, resolve_pointer

FIXTURES = Path(__file__).parent / "fixtures" / "load"

# Only a guard against hangs: each limit is expected to trip in well under a second.
HANG_GUARD_SECONDS = 10

REF_POINTER = "#/paths/~1pets/get/responses/200/content/application~1json/schema/$ref"


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def load_error(path: Path) -> SpecError:
    with pytest.raises(SpecError) as caught:
        load_spec(path)
    return caught.value


# Parsing -----------------------------------------------------------------------------


def test_load_yaml_and_json_give_equal_documents() -> None:
    from_yaml = load_spec(FIXTURES / "pets.yaml")
    from_json = load_spec(FIXTURES / "pets.json")

    assert from_yaml.document == from_json.document
    assert from_yaml.content_hash != from_json.content_hash


def test_load_yaml_int_keys_become_str() -> None:
    spec = load_spec(FIXTURES / "pets.yaml")

    responses = spec.document["paths"]["/pets"]["get"]["responses"]
    assert list(responses) == ["200"]


def test_load_yaml_scalar_keys_keep_their_text(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "keys.yaml",
        "404: a\ntrue: b\nnull: c\n1.50: d\n0x1F: e\n'quoted': f\n",
    )

    document = load_spec(path).document

    assert list(document) == ["404", "true", "null", "1.50", "0x1F", "quoted"]


def test_load_yaml_values_keep_yaml_types(tmp_path: Path) -> None:
    path = write(tmp_path, "values.yaml", "a: 200\nb: true\nc: ~\nd: 1.5\ne: '200'\nf: =\n")

    document = load_spec(path).document

    assert document == {"a": 200, "b": True, "c": None, "d": 1.5, "e": "200", "f": "="}


def test_load_yaml_dates_stay_str() -> None:
    document = load_spec(FIXTURES / "pets.yaml").document

    parameter_schema = document["paths"]["/pets"]["get"]["parameters"][0]["schema"]
    born = document["components"]["schemas"]["Pet"]["properties"]["born"]
    assert parameter_schema["example"] == "2024-01-15"
    assert born["example"] == "2024-01-15T10:30:00Z"


def test_load_yaml_explicit_timestamp_tag_stays_str(tmp_path: Path) -> None:
    path = write(tmp_path, "tagged.yaml", "when: !!timestamp 2024-01-15\n")

    assert load_spec(path).document == {"when": "2024-01-15"}


def test_load_yaml_merge_keys(tmp_path: Path) -> None:
    text = "base: &base {x: 1, y: 2}\nthing:\n  <<: *base\n  y: 3\n"
    path = write(tmp_path, "merge.yaml", text)

    document = load_spec(path).document

    assert document["thing"] == {"x": 1, "y": 3}


def test_load_json_content_chosen_by_content(tmp_path: Path) -> None:
    path = write(tmp_path, "spec.yaml", '{"openapi": "3.1.0", "info": {"title": "t"}}')

    spec = load_spec(path)

    assert spec.document == {"openapi": "3.1.0", "info": {"title": "t"}}
    assert spec.locate("#/info/title") == SourceLocation(str(path), 1, 31)


def test_load_yaml_flow_mapping_falls_back_from_json(tmp_path: Path) -> None:
    path = write(tmp_path, "flow.yaml", "{openapi: 3.1.0, info: {title: t}}  # flow-style YAML\n")

    assert load_spec(path).document == {"openapi": "3.1.0", "info": {"title": "t"}}


def test_load_content_hash_is_sha256_of_single_file() -> None:
    path = FIXTURES / "pets.yaml"

    spec = load_spec(path)

    assert spec.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()


# Errors in the file itself -------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "line", "words"),
    [
        ("not_yaml.yaml", 4, ["invalid YAML", "flow sequence"]),
        ("empty.yaml", 1, ["empty"]),
        ("top_list.yaml", 1, ["top level", "mapping", "list"]),
        ("python_tag.yaml", 3, ["not supported", "!!python/object/apply:os.system"]),
        ("not_utf8.yaml", 3, ["not valid UTF-8", "0xe9"]),
    ],
)
def test_load_bad_file_raises_located_error(name: str, line: int, words: list[str]) -> None:
    error = load_error(FIXTURES / "bad" / name)

    assert error.location is not None
    assert error.location.file == str(FIXTURES / "bad" / name)
    assert error.location.line == line
    for word in words:
        assert word in error.message


def test_load_missing_file_raises() -> None:
    error = load_error(FIXTURES / "no_such_spec.yaml")

    assert error.message == "file not found"
    assert error.location == SourceLocation(str(FIXTURES / "no_such_spec.yaml"))


def test_load_invalid_json_reports_position(tmp_path: Path) -> None:
    path = write(tmp_path, "spec.json", '{\n  "openapi": "3.1.0",\n  "info": {,}\n}\n')

    error = load_error(path)

    assert "invalid JSON" in error.message
    assert error.location == SourceLocation(str(path), 3, 12)


def test_load_yaml_duplicate_key_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, "dup.yaml", "openapi: 3.1.0\ninfo: {}\ninfo: {}\n")

    error = load_error(path)

    assert "duplicate key 'info'" in error.message
    assert error.location == SourceLocation(str(path), 3, 1)
    assert error.pointer == "#/info"


def test_load_yaml_nested_duplicate_key_has_pointer(tmp_path: Path) -> None:
    text = (
        "openapi: 3.1.0\n"
        "paths:\n"
        "  /things/{id}:\n"
        "    get:\n"
        "      parameters:\n"
        "        - name: id\n"
        "          in: path\n"
        "          in: query\n"
    )
    path = write(tmp_path, "dup.yaml", text)

    error = load_error(path)

    assert "duplicate key 'in'" in error.message
    assert error.pointer == "#/paths/~1things~1{id}/get/parameters/0/in"
    assert error.location == SourceLocation(str(path), 8, 11)


def test_load_yaml_duplicate_after_merge_has_pointer(tmp_path: Path) -> None:
    text = "base: &base {a: 1}\nmerged:\n  <<: {c: 0}\n  b: 2\n  b: 3\n"
    path = write(tmp_path, "dup.yaml", text)

    error = load_error(path)

    assert "duplicate key 'b'" in error.message
    assert error.pointer == "#/merged/b"


def test_load_yaml_collection_key_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, "complex.yaml", "? [a, b]\n: c\n")

    error = load_error(path)

    assert "keys must be strings" in error.message


@pytest.mark.parametrize("tag", ["!!binary aGk=", "!!set {a}", "!custom x"])
def test_load_yaml_non_json_tags_rejected(tmp_path: Path, tag: str) -> None:
    path = write(tmp_path, "tag.yaml", f"openapi: 3.1.0\nvalue: {tag}\n")

    error = load_error(path)

    assert error.message.startswith("not supported: YAML tag")
    assert error.location is not None
    assert error.location.line == 2


def test_load_second_yaml_document_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, "two.yaml", "openapi: 3.1.0\n---\nopenapi: 3.0.0\n")

    error = load_error(path)

    assert "second" in error.message
    assert error.location is not None
    assert error.location.line == 2


# Limits ---------------------------------------------------------------------------------


def test_load_alias_bomb_rejected_quickly(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        aliases = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{aliases}]")
    path = write(tmp_path, "bomb.yaml", "\n".join(lines) + "\n")

    started = time.perf_counter()
    error = load_error(path)
    elapsed = time.perf_counter() - started

    assert "aliases expand to more than" in error.message
    assert error.location is not None
    assert elapsed < HANG_GUARD_SECONDS


def test_load_recursive_alias_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, "loop.yaml", "a: &a [*a]\n")

    error = load_error(path)

    assert "contains it" in error.message


def nested_schema_json(levels: int) -> str:
    opening = '{"type": "object", "properties": {"child": ' * levels
    closing = "}}" * levels
    return (
        '{"openapi": "3.1.0", "info": {"title": "Deep", "version": "1"}, "paths": {}, '
        f'"components": {{"schemas": {{"Deep": {opening}{{}}{closing}}}}}}}'
    )


@pytest.mark.parametrize("name", ["deep.json", "deep.yaml"])
def test_load_10000_level_schema_rejected_quickly(tmp_path: Path, name: str) -> None:
    # The same flow-style text is JSON and YAML. A .yaml file reaches the YAML parser
    # only when JSON parsing fails, so it gets a comment line and unquoted keys.
    text = nested_schema_json(10_000)
    if name.endswith(".yaml"):
        text = "# deep\n" + text.replace('"', "")
    path = write(tmp_path, name, text)

    started = time.perf_counter()
    error = load_error(path)
    elapsed = time.perf_counter() - started

    assert f"nesting deeper than {load.MAX_DEPTH} levels" in error.message
    assert error.location is not None
    assert error.location.line == (1 if name.endswith(".json") else 2)
    assert elapsed < HANG_GUARD_SECONDS


def test_load_block_yaml_depth_limit(tmp_path: Path) -> None:
    lines = [" " * level + f"k{level}:" for level in range(load.MAX_DEPTH + 5)]
    path = write(tmp_path, "deep_block.yaml", "\n".join(lines) + " leaf\n")

    error = load_error(path)

    assert "nesting deeper than" in error.message
    assert error.location is not None
    assert error.location.line == load.MAX_DEPTH + 1  # line n opens level n


def test_load_file_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load_sources, "MAX_FILE_BYTES", 1024)
    path = write(tmp_path, "big.yaml", "description: " + "x" * 2000 + "\n")

    error = load_error(path)

    assert "larger than" in error.message


# Positions ----------------------------------------------------------------------------


def test_locate_yaml_nested_pointer() -> None:
    spec = load_spec(FIXTURES / "pets.yaml")
    file = str(FIXTURES / "pets.yaml")

    assert spec.locate("#/components/schemas/Pet/properties/born/format") == SourceLocation(
        file, 35, 11
    )
    assert spec.locate("#/components/schemas/Pet/required/1") == SourceLocation(file, 29, 22)
    assert spec.locate("#/paths/~1pets/get/responses/200") == SourceLocation(file, 17, 9)
    assert spec.locate("#") == SourceLocation(file, 1, 1)


def test_locate_json_nested_pointer() -> None:
    spec = load_spec(FIXTURES / "pets.json")
    file = str(FIXTURES / "pets.json")

    assert spec.locate("#/components/schemas/Pet/properties/born/format") == SourceLocation(
        file, 54, 13
    )
    assert spec.locate("#/components/schemas/Pet/required/1") == SourceLocation(file, 46, 11)
    assert spec.locate("#/paths/~1pets/get/responses/200") == SourceLocation(file, 23, 11)


def test_locate_json_tabs_long_strings_and_escapes(tmp_path: Path) -> None:
    long_text = "y" * 5000
    text = (
        "{\n"
        f'\t"description": "{long_text}",\n'
        '\t"we\\"ird/key": {\n'
        '\t\t"caf\\u00e9": [1, {"deep": true}]\n'
        "\t}\n"
        "}\n"
    )
    path = write(tmp_path, "odd.json", text)

    spec = load_spec(path)

    assert spec.document['we"ird/key']["café"][1] == {"deep": True}
    assert spec.locate("#/description") == SourceLocation(str(path), 2, 2)
    assert spec.locate('#/we"ird~1key/café/1/deep') == SourceLocation(str(path), 4, 21)


def test_locate_missing_pointer_gives_nearest_ancestor() -> None:
    spec = load_spec(FIXTURES / "pets.yaml")

    located = spec.locate("#/components/schemas/Pet/properties/nickname/type")

    assert located == SourceLocation(str(FIXTURES / "pets.yaml"), 30, 7)


def test_locate_malformed_pointer_returns_none() -> None:
    spec = load_spec(FIXTURES / "pets.yaml")

    assert spec.locate("components/schemas") is None


def test_locate_index_built_on_first_call() -> None:
    spec = load_spec(FIXTURES / "pets.yaml")
    source = next(iter(spec._sources.files.values()))

    assert source.positions is None
    spec.locate("#/info")
    assert source.positions is not None


# Pointers -------------------------------------------------------------------------------


def test_resolve_pointer_unescapes_tokens() -> None:
    document = {
        "paths": {"/pets/{id}": {"get": {"parameters": [{"name": "id"}]}}},
        "a~b": 1,
    }

    assert resolve_pointer(document, "#/paths/~1pets~1{id}/get/parameters/0/name") == "id"
    assert resolve_pointer(document, "#/a~0b") == 1
    assert resolve_pointer(document, "#") is document


@pytest.mark.parametrize(
    ("pointer", "error"),
    [
        ("#/nope", KeyError),
        ("#/list/5", IndexError),
        ("#/list/01", IndexError),
        ("#/list/0/x", KeyError),
    ],
)
def test_resolve_pointer_missing_raises_lookup_error(pointer: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        resolve_pointer({"list": [1]}, pointer)


# Bundling ----------------------------------------------------------------------------------


def test_bundle_hoists_schemas_and_inlines_other_objects() -> None:
    spec = load_spec(FIXTURES / "bundle" / "openapi.yaml")
    document = spec.document
    schemas = document["components"]["schemas"]
    operation = document["paths"]["/pets"]["get"]

    assert list(schemas) == ["Error", "Pet", "Error2", "Tag", "owner"]
    assert schemas["Error"] == {"type": "string"}  # the main file's own schema is kept
    assert operation["parameters"][0] == {
        "name": "limit",
        "in": "query",
        "schema": {"type": "integer", "maximum": 100},
    }
    items = operation["responses"]["200"]["content"]["application/json"]["schema"]["items"]
    assert items == {"$ref": "#/components/schemas/Pet"}
    error_schema = operation["responses"]["default"]["content"]["application/json"]["schema"]
    assert error_schema == {"$ref": "#/components/schemas/Error2"}
    assert schemas["Pet"]["properties"] == {
        "tag": {"$ref": "#/components/schemas/Tag"},
        "owner": {"$ref": "#/components/schemas/owner"},
    }


def test_bundle_leaves_only_local_refs_that_resolve() -> None:
    document = load_spec(FIXTURES / "bundle" / "openapi.yaml").document

    references = list(iter_references(document))

    assert len(references) == 4
    for _, ref in references:
        assert ref.startswith("#/")
        resolve_pointer(document, ref)
    owner = resolve_pointer(document, "#/components/schemas/owner")
    assert owner["properties"]["name"] == {"type": "string"}


def test_bundle_locations_point_into_referenced_files() -> None:
    spec = load_spec(FIXTURES / "bundle" / "openapi.yaml")
    bundle = FIXTURES / "bundle"

    assert spec.locate("#/components/schemas/Pet/properties/tag") == SourceLocation(
        str(bundle / "schemas" / "pet.yaml"), 4, 5
    )
    assert spec.locate("#/components/schemas/Error2/properties/message") == SourceLocation(
        str(bundle / "common.json"), 16, 24
    )
    assert spec.locate("#/paths/~1pets/get/parameters/0/schema/maximum") == SourceLocation(
        str(bundle / "parameters.yaml"), 6, 5
    )
    assert spec.locate("#/components/schemas/Error") == SourceLocation(
        str(bundle / "openapi.yaml"), 24, 5
    )


def test_bundle_content_hash_covers_referenced_files(tmp_path: Path) -> None:
    copy = tmp_path / "bundle"
    shutil.copytree(FIXTURES / "bundle", copy)
    before = load_spec(copy / "openapi.yaml").content_hash

    (copy / "owner.yaml").write_text("type: string\n", encoding="utf-8")
    after = load_spec(copy / "openapi.yaml").content_hash

    assert before == load_spec(FIXTURES / "bundle" / "openapi.yaml").content_hash
    assert before != after


def test_bundle_cross_file_cycle_terminates() -> None:
    document = load_spec(FIXTURES / "cycle" / "openapi.yaml").document

    schemas = document["components"]["schemas"]
    assert schemas["A"]["properties"]["b"] == {"$ref": "#/components/schemas/B"}
    assert schemas["B"]["properties"]["a"] == {"$ref": "#/components/schemas/A"}


def test_bundle_ignores_refs_in_examples_and_extensions(tmp_path: Path) -> None:
    text = (
        "openapi: 3.1.0\n"
        "x-vendor:\n"
        "  $ref: https://example.com/not-followed.yaml\n"
        "components:\n"
        "  schemas:\n"
        "    Pet:\n"
        "      example:\n"
        "        $ref: other.yaml\n"
        "      properties:\n"
        "        local:\n"
        "          $ref: pet.yaml\n"
    )
    path = write(tmp_path, "openapi.yaml", text)
    write(tmp_path, "pet.yaml", "type: string\n")

    document = load_spec(path).document

    assert document["x-vendor"] == {"$ref": "https://example.com/not-followed.yaml"}
    assert document["components"]["schemas"]["Pet"]["example"] == {"$ref": "other.yaml"}
    assert document["components"]["schemas"]["pet"] == {"type": "string"}


@pytest.mark.parametrize(
    ("name", "words"),
    [
        (
            "remote.yaml",
            ["remote $ref not supported", "https://example.com", "never fetches URLs"],
        ),
        ("absolute.yaml", ["absolute path", "/tmp/pet.yaml"]),
        ("escape.yaml", ["outside the spec's folder", "../outside.yaml"]),
        ("missing_file.yaml", ["nowhere.yaml", "not found"]),
        ("missing_pointer.yaml", ["pets.yaml#/Pett", "not found"]),
    ],
)
def test_bundle_rejected_ref_names_its_pointer(name: str, words: list[str]) -> None:
    error = load_error(FIXTURES / "refused" / name)

    assert error.pointer == REF_POINTER
    assert error.location == SourceLocation(str(FIXTURES / "refused" / name), 15, 17)
    for word in words:
        assert word in error.message


def test_bundle_symlink_out_of_folder_rejected(tmp_path: Path) -> None:
    outside = write(tmp_path, "outside/pet.yaml", "Pet:\n  type: object\n")
    spec_dir = tmp_path / "spec"
    spec_dir.mkdir()
    os.symlink(outside, spec_dir / "pet.yaml")
    text = (FIXTURES / "refused" / "remote.yaml").read_text(encoding="utf-8")
    path = write(
        spec_dir,
        "openapi.yaml",
        text.replace("https://example.com/schemas/pet.yaml", "pet.yaml"),
    )

    error = load_error(path)

    assert "outside the spec's folder" in error.message
    assert error.pointer == REF_POINTER


def test_bundle_error_in_referenced_file_is_located_there(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "openapi.yaml",
        "components:\n  schemas:\n    Pet:\n      $ref: pet.yaml#/Pet\n",
    )
    write(
        tmp_path,
        "pet.yaml",
        "Pet:\n  properties:\n    tag:\n      $ref: https://example.com/tag.yaml\n",
    )

    error = load_error(path)

    assert error.pointer == "#/components/schemas/Pet/properties/tag/$ref"
    assert error.location == SourceLocation(str(tmp_path / "pet.yaml"), 4, 7)


def test_bundle_non_schema_ref_cycle_rejected(tmp_path: Path) -> None:
    text = "paths:\n  /a:\n    get:\n      responses:\n        default:\n          $ref: r.yaml#/R"
    path = write(tmp_path, "openapi.yaml", text + "\n")
    write(tmp_path, "r.yaml", "R:\n  $ref: '#/S'\nS:\n  $ref: '#/R'\n")

    error = load_error(path)

    assert "leads back to itself" in error.message


def test_bundle_component_that_is_only_a_ref_keeps_its_name(tmp_path: Path) -> None:
    text = (
        "paths:\n"
        "  /pets:\n"
        "    get:\n"
        "      responses:\n"
        "        '200':\n"
        "          content:\n"
        "            application/json:\n"
        "              schema:\n"
        "                $ref: pet.yaml#/Pet\n"
        "components:\n"
        "  schemas:\n"
        "    Animal:\n"
        "      $ref: pet.yaml#/Pet\n"
    )
    path = write(tmp_path, "openapi.yaml", text)
    write(tmp_path, "pet.yaml", "Pet:\n  type: object\n")

    document = load_spec(path).document

    assert document["components"]["schemas"] == {"Animal": {"type": "object"}}
    response = document["paths"]["/pets"]["get"]["responses"]["200"]
    assert response["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Animal"
    }
