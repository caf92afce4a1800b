"""Property test: random schema trees generate code that imports, round-trips and type-checks.

Each hypothesis example is a spec of a few components built from random
trees (objects, arrays, maps, tagged and kind-separated unions, enums,
nullable types, `allOf`, references that may recurse). The example's package
is rendered without black, imported, and every model round-trips random
conforming instances. Type-checking each example would take seconds, so all
examples are merged into one spec (component names carry the example name),
generated with black, and checked once by `mypy --strict` and ruff.
"""

from __future__ import annotations

import json
import string
import subprocess
import sys
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from instances import check_round_trips
from support import import_package

from generator.cli import generate_files
from generator.config import Config
from generator.load import load_spec
from generator.render import render_files
from generator.walk import walk_spec
from generator.write import write_files

EXAMPLES = 200
INSTANCES_PER_MODEL = 4

# Property names that collide with Python keywords, builtins, imported names or the
# methods every model has, plus spellings that need cleaning.
PROPERTY_NAMES = (
    "id", "name", "type", "object", "class", "from", "list", "dict", "str", "field",
    "date", "data", "timeout", "from_dict", "1st", "a-b", "a_b", "Ünïcode", "camelCase",
    "with space", "None", "self", "_private",
)  # fmt: skip
ENUM_TEXTS = st.text(alphabet=string.ascii_letters + string.digits + " -_+./äß日", max_size=8)


def component_ref(prefix: str, index: int) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{prefix}C{index}"}


@st.composite
def leaf(draw: st.DrawFn, prefix: str, components: int) -> dict[str, Any]:
    choice = draw(st.integers(0, 11))
    if choice == 0:
        return {"type": "string", "format": draw(st.sampled_from(["date-time", "date", "uuid"]))}
    if choice == 1:
        return {"type": "integer", "format": "int64"}
    if choice == 2:
        return {"type": "number"}
    if choice == 3:
        return {"type": "boolean"}
    if choice == 4:
        values = draw(st.lists(ENUM_TEXTS, min_size=1, max_size=5, unique=True))
        return {"type": "string", "enum": values}
    if choice == 5:
        values = draw(st.lists(st.integers(-5, 500), min_size=2, max_size=4, unique=True))
        return {"type": "integer", "enum": values}
    if choice == 6:
        return {"const": draw(st.sampled_from(["fixed", "x y", "42"]))}
    if choice == 7:
        return {"type": "object"}
    if choice == 8:
        return {}
    if choice in (9, 10):
        return component_ref(prefix, draw(st.integers(0, components - 1)))
    return {"type": "string"}


def object_schema(
    draw: st.DrawFn, children: st.SearchStrategy[Any], tag: dict[str, Any] | None = None
) -> dict[str, Any]:
    names = draw(st.lists(st.sampled_from(PROPERTY_NAMES), max_size=4, unique=True))
    properties = {name: draw(children) for name in names}
    # References stay optional, so recursive schemas always have a finite instance.
    required = [
        name for name in names if "$ref" not in json.dumps(properties[name]) and draw(st.booleans())
    ]
    schema: dict[str, Any] = {"type": "object", "properties": {**properties, **(tag or {})}}
    required += list(tag or {})
    if required:
        schema["required"] = required
    closing = draw(st.integers(0, 3))
    if closing == 1:
        schema["additionalProperties"] = False
    elif closing == 2:
        schema["additionalProperties"] = {"type": "integer"}
    return schema


def tagged_union(draw: st.DrawFn, children: st.SearchStrategy[Any]) -> dict[str, Any]:
    """A Stainless-style union: every object variant fixes `kind` to its own value."""
    count = draw(st.integers(2, 3))
    variants = [
        object_schema(draw, children, {"kind": {"type": "string", "enum": [f"v{index}"]}})
        for index in range(count)
    ]
    return {"anyOf": variants}


def kind_union(draw: st.DrawFn, children: st.SearchStrategy[Any]) -> dict[str, Any]:
    """A union whose variants are of different JSON kinds."""
    kinds = draw(
        st.lists(
            st.sampled_from(["string", "integer", "array", "object"]),
            min_size=2,
            max_size=4,
            unique=True,
        )
    )
    variants: list[dict[str, Any]] = []
    for kind in kinds:
        if kind == "array":
            variants.append({"type": "array", "items": draw(children)})
        elif kind == "object":
            variants.append(object_schema(draw, children))
        else:
            variants.append({"type": kind})
    return {"oneOf": variants}


def nullable(draw: st.DrawFn, children: st.SearchStrategy[Any]) -> dict[str, Any]:
    inner = draw(children)
    kind = inner.get("type")
    if isinstance(kind, str) and kind != "object" and "enum" not in inner:
        return {**inner, "type": [kind, "null"]}
    return {"anyOf": [inner, {"type": "null"}]}


def merged(draw: st.DrawFn, children: st.SearchStrategy[Any]) -> dict[str, Any]:
    """An `allOf` whose second branch adds a property and requires some of the first's."""
    first = object_schema(draw, children)
    plain = [
        name for name, schema in first["properties"].items() if "$ref" not in json.dumps(schema)
    ]
    chosen = draw(st.lists(st.sampled_from(plain), max_size=2, unique=True)) if plain else []
    second = {
        "type": "object",
        "properties": {"added": {"type": "string"}},
        "required": ["added", *chosen],
    }
    return {"allOf": [first, second]}


@st.composite
def composite(draw: st.DrawFn, children: st.SearchStrategy[Any]) -> dict[str, Any]:
    choice = draw(st.integers(0, 7))
    if choice == 0:
        return {"type": "array", "items": draw(children)}
    if choice == 1:
        return {"type": "object", "additionalProperties": draw(children)}
    if choice == 2:
        return object_schema(draw, children)
    if choice == 3:
        return tagged_union(draw, children)
    if choice == 4:
        return kind_union(draw, children)
    if choice == 5:
        return nullable(draw, children)
    if choice == 6:
        return merged(draw, children)
    result: dict[str, Any] = draw(children)
    return result


@st.composite
def example_schemas(draw: st.DrawFn, prefix: str) -> dict[str, Any]:
    components = draw(st.integers(1, 4))
    trees = st.recursive(leaf(prefix, components), composite, max_leaves=8)
    schemas: dict[str, Any] = {}
    for index in range(components):
        kind = draw(st.integers(0, 3))
        tree = draw(trees) if kind else object_schema(draw, trees)
        if kind and "$ref" in json.dumps(tree):
            # A named union or nullable that refers to components without an array or
            # object in between would be a type defined as itself.
            tree = {"type": "array", "items": tree} if kind == 1 else {"additionalProperties": tree}
        schemas[f"{prefix}C{index}"] = tree
    return schemas


def spec_document(title: str, schemas: dict[str, Any]) -> dict[str, Any]:
    first = {"$ref": f"#/components/schemas/{next(iter(schemas))}"}
    response = {"description": "OK", "content": {"application/json": {"schema": first}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": "1"},
        "paths": {"/first": {"get": {"operationId": "getFirst", "responses": {"200": response}}}},
        "components": {"schemas": schemas},
    }


def letters(number: int) -> str:
    """Name an example with letters only: digits in a package name get split off."""
    text = ""
    while number:
        number, digit = divmod(number - 1, 26)
        text = string.ascii_lowercase[digit] + text
    return text


def run_tool(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=cwd, capture_output=True, text=True, check=False
    )


def test_random_schemas_import_round_trip_and_type_check(tmp_path: Path) -> None:
    collected: dict[str, Any] = {}
    calls: list[int] = []
    checked: list[int] = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )
    @given(data=st.data(), seed=st.integers(0, 2**32 - 1))
    def check_example(data: st.DataObject, seed: int) -> None:
        calls.append(seed)
        name = letters(len(calls))
        schemas = data.draw(example_schemas(f"P{name.capitalize()}"))
        root = tmp_path / name
        root.mkdir()
        spec_path = root / "spec.json"
        spec_path.write_text(json.dumps(spec_document(f"Prop {name}", schemas)), encoding="utf-8")

        spec = load_spec(spec_path)
        sdk = walk_spec(spec)
        write_files(root / "sdk", render_files(sdk), ())
        package = import_package(root / "sdk" / "src", sdk.package)
        count, failures = check_round_trips(
            spec.document, sdk.models, package, seed=seed, per_model=INSTANCES_PER_MODEL
        )
        assert not failures, "\n".join(failures[:5]) + "\nschemas: " + json.dumps(schemas)[:3000]
        checked.append(count)
        collected.update(schemas)

    check_example()

    assert len(calls) >= EXAMPLES
    assert sum(checked) > EXAMPLES
    combined = tmp_path / "combined"
    combined.mkdir()
    spec_path = combined / "spec.json"
    spec_path.write_text(json.dumps(spec_document("Prop combined", collected)), encoding="utf-8")
    generation = generate_files(str(spec_path), Config(package_name="prop_combined"))
    write_files(combined / "sdk", generation.files, ())

    mypy = run_tool(
        ["mypy", "--strict", "--no-incremental", "--cache-dir", "/dev/null", "prop_combined"],
        combined / "sdk" / "src",
    )
    assert mypy.returncode == 0, mypy.stdout[-5000:] + mypy.stderr
    ruff = run_tool(["ruff", "check", "--no-cache", "--isolated", "src"], combined / "sdk")
    assert ruff.returncode == 0, ruff.stdout[-5000:]
