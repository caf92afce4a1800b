"""Specs that exercise every schema construct the walker supports, one component per case.

`COVERAGE_31` is an OpenAPI 3.1 document and `COVERAGE_30` holds the 3.0-only
spellings (`nullable: true`). Tests walk them to IR and also generate, import
and type-check the packages built from them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generator import ir
from generator.load import load_spec
from generator.walk import walk_spec


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def document(
    schemas: dict[str, Any], *, version: str = "3.1.0", paths: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {
        "openapi": version,
        "info": {"title": "Coverage API", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": paths or {},
        "components": {"schemas": schemas},
    }


def walk_document(tmp_path: Path, spec: dict[str, Any]) -> ir.Sdk:
    """Write a spec to disk, load and walk it the way `sdkgen generate` does."""
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    return walk_spec(load_spec(path))


def models_of(tmp_path: Path, schemas: dict[str, Any], **options: Any) -> dict[str, ir.AnyModel]:
    sdk = walk_document(tmp_path, document(schemas, **options))
    return {model.name: model for model in sdk.models}


def obj(
    properties: dict[str, Any], required: list[str] | None = None, **extra: Any
) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties, **extra}
    if required:
        schema["required"] = required
    return schema


STRING = {"type": "string"}
INTEGER = {"type": "integer"}
BOOLEAN = {"type": "boolean"}

WEIRD_ENUM_VALUES = [
    "+",
    "-",
    "a b",
    "A B",
    "ümlaut",
    "日本",
    "1st",
    "asc",
    "ASC",
    "a-b",
    "a_b",
    "",
    "None",
    "class",
    "quote'\"\\",
]

COVERAGE_SCHEMAS: dict[str, Any] = {
    # allOf
    "Base": obj({"id": STRING, "kind": STRING}, ["id"], description="The base object."),
    "AllOfRefPlusProps": {
        "allOf": [ref("Base"), obj({"extra": INTEGER}, ["extra"])],
        "description": "Base plus one property.",
    },
    "AllOfRequiredElsewhere": {
        "allOf": [
            {"type": "object", "properties": {"a": STRING, "b": STRING}},
            {"required": ["a", "b"]},
        ]
    },
    "AllOfOverride": {
        "allOf": [ref("Base"), {"type": "object", "properties": {"kind": INTEGER}}],
    },
    "Holder": obj(
        {
            "wrapped": {"allOf": [ref("Base")], "description": "Wrapped in allOf."},
            "maybe_base": {"anyOf": [ref("Base"), {"type": "null"}]},
        }
    ),
    # unions
    "Cat": obj({"pet_type": STRING, "meow": BOOLEAN}, ["pet_type", "meow"]),
    "Dog": obj({"pet_type": STRING, "bark": BOOLEAN}, ["pet_type", "bark"]),
    "PetMapped": {
        "oneOf": [ref("Cat"), ref("Dog")],
        "discriminator": {
            "propertyName": "pet_type",
            "mapping": {"kitty": "#/components/schemas/Cat", "doggo": "#/components/schemas/Dog"},
        },
    },
    "PetImplicit": {
        "oneOf": [ref("Cat"), ref("Dog")],
        "discriminator": {"propertyName": "pet_type"},
    },
    "TextBlock": obj(
        {
            "type": {"type": "string", "enum": ["text"], "x-stainless-const": True},
            "text": STRING,
        },
        ["type", "text"],
    ),
    "ImageBlock": obj({"type": {"const": "image"}, "url": STRING}, ["type", "url"]),
    "ContentBlock": {"anyOf": [ref("TextBlock"), ref("ImageBlock")]},
    "StringOrBlocks": {"oneOf": [STRING, {"type": "array", "items": ref("ContentBlock")}]},
    "Scalar": {"oneOf": [STRING, INTEGER, BOOLEAN]},
    "FileRef": obj({"file_id": STRING, "name": STRING}, ["file_id"]),
    "UrlRef": obj({"url": STRING, "name": STRING}, ["url"]),
    "Source": {"oneOf": [ref("FileRef"), ref("UrlRef")]},
    "Loose": obj({"a": STRING}),
    "Strict": obj({"a": STRING, "b": INTEGER}, ["a", "b"]),
    "LooseFirst": {"anyOf": [ref("Loose"), ref("Strict")]},
    "BlockList": {"type": "array", "items": {"oneOf": [ref("TextBlock"), ref("ImageBlock")]}},
    # nullable (3.1 spellings)
    "NullableStatus": {"type": ["string", "null"], "enum": ["on", "off", None]},
    "Nullables": obj(
        {
            "type_list": {"type": ["string", "null"]},
            "one_of_null": {"oneOf": [ref("Base"), {"type": "null"}]},
            "enum_with_null": {"type": ["string", "null"], "enum": ["x", "y", None]},
            "ref_to_nullable": ref("NullableStatus"),
            "const_value": {"const": "fixed"},
        },
        ["type_list", "ref_to_nullable"],
    ),
    # enums
    "Weird": {"type": "string", "enum": WEIRD_ENUM_VALUES},
    "Numbers": {"type": "integer", "enum": [1, 2, -3, 404, 1]},
    "Mixed": {"enum": ["a", 1, True]},
    "Floats": {"type": "number", "enum": [0.5, 1.5]},
    "Renamed": {
        "type": "string",
        "enum": ["1", "2"],
        "x-stainless-renameMap": {"first": "1", "second": "2", "listed": ["1"], "mapped": {}},
    },
    "Described": {
        "type": "string",
        "enum": ["low", "high"],
        "x-enum-descriptions": ["Runs slowly.", 'Runs "fast" \\ hot.'],
    },
    # recursion
    "TreeNode": obj(
        {"value": STRING, "children": {"type": "array", "items": ref("TreeNode")}}, ["value"]
    ),
    "Alpha": obj({"beta": ref("Beta"), "name": STRING}),
    "Beta": obj({"alpha": ref("Alpha"), "size": INTEGER}),
    # A cyclic alias is a quoted annotation, which names `date` only inside the string.
    "DatedBag": {
        "type": "object",
        "additionalProperties": {
            "anyOf": [
                ref("DatedItem"),
                {"type": "array", "items": {"type": "string", "format": "date"}},
                {"type": "integer"},
            ]
        },
    },
    "DatedItem": obj({"bag": ref("DatedBag")}),
    "JsonValue": {
        "oneOf": [
            STRING,
            {"type": "number"},
            BOOLEAN,
            {"type": "array", "items": ref("JsonValue")},
            {"type": "object", "additionalProperties": ref("JsonValue")},
        ]
    },
    # additionalProperties
    "FreeForm": {"type": "object"},
    "StringMap": {"type": "object", "additionalProperties": STRING},
    "BaseMap": {"type": "object", "additionalProperties": ref("Base")},
    "TypedExtras": obj({"name": STRING}, additionalProperties=ref("Base")),
    "Closed": obj({"name": STRING}, additionalProperties=False),
    "OpenTrue": obj({"name": STRING}, additionalProperties=True),
    # formats
    "Formats": obj(
        {
            "created_at": {"type": "string", "format": "date-time"},
            "day": {"type": "string", "format": "date"},
            "big": {"type": "integer", "format": "int64"},
            "blob": {"type": "string", "format": "binary"},
            "encoded": {"type": "string", "format": "byte"},
            "uid": {"type": "string", "format": "uuid"},
            "maybe_at": {"type": ["string", "null"], "format": "date-time"},
            "history": {"type": "array", "items": {"type": "string", "format": "date-time"}},
        },
        ["created_at", "day", "big"],
    ),
    # defaults, readOnly/writeOnly, deprecated
    "Defaults": obj(
        {
            "limit": {"type": "integer", "default": 20},
            "tags": {"type": "array", "items": STRING, "default": ["a", "b"]},
            "meta": {"type": "object", "additionalProperties": STRING, "default": {}},
            "mode": {"type": "string", "enum": ["fast", "slow"], "default": "slow"},
            "wrong": {"type": "integer", "default": "20 - oops"},
            "kind": {"type": "string", "const": "defaults"},
            "level": {"type": "integer", "default": 3},
            "loose": {"type": "array", "default": [1, "a", None]},
            "loose_map": {"type": "object", "default": {"a": 1}},
        },
        ["kind", "level"],
    ),
    "Account": obj(
        {
            "id": {"type": "string", "readOnly": True},
            "password": {"type": "string", "writeOnly": True},
            "name": STRING,
        },
        ["id", "password", "name"],
    ),
    "OldThing": obj({"name": STRING}, deprecated=True, description="Use Base instead."),
    "PartlyOld": obj({"name": STRING, "legacy": {"type": "string", "deprecated": True}}),
    # names
    "FooBar": obj({"a": STRING}),
    "foo-bar": obj({"b": STRING}),
    "foo_bar": obj({"c": STRING}),
    "Collisions": obj(
        {
            "class": STRING,
            "from": STRING,
            "timeout": {"type": "number"},
            "extra_headers": STRING,
            "1st": STRING,
            "object": {"type": "string", "enum": ["collisions"]},
            "list": {"type": "array", "items": STRING},
            "field": STRING,
            "dict": {"type": "object", "additionalProperties": INTEGER},
            "str": STRING,
            "date": {"type": "string", "format": "date"},
            "when": {"type": "string", "format": "date"},
            "Base": ref("Base"),
            "other": ref("Base"),
            "from_dict": STRING,
            "x-y": STRING,
            "x_y": STRING,
            "free": {"type": "object"},
        },
        ["class", "object"],
    ),
    # Stainless hints
    "Hinted": obj(
        {
            "kept": STRING,
            "skipped": {"type": "string", "x-stainless-skip": True},
            "go_only_skip": {"type": "string", "x-stainless-skip": ["go"]},
            "model_name": {
                "type": "string",
                "x-stainless-naming": {"python": {"property_name": "ai_model_name"}},
            },
            "anything": {"type": "object", "properties": {"a": STRING}, "x-stainless-any": True},
            "choice": {"oneOf": [STRING, {"type": "integer", "x-stainless-skip": True}]},
        }
    ),
    "BadlyNamed": {
        **obj({"a": STRING}),
        "x-stainless-naming": {"python": {"type_name": "NicelyNamed"}},
    },
}

COVERAGE_PATHS: dict[str, Any] = {
    "/things/{thing_id}": {
        "get": {
            "operationId": "getThing",
            "parameters": [
                {"name": "thing_id", "in": "path", "required": True, "schema": STRING},
                {"name": "status", "in": "query", "schema": ref("NullableStatus")},
                {
                    "name": "since",
                    "in": "query",
                    "schema": {"type": "string", "format": "date-time"},
                },
                {"name": "ids", "in": "query", "schema": {"type": "array", "items": INTEGER}},
                {"name": "mode", "in": "query", "schema": {"type": "string", "enum": ["a", "b"]}},
            ],
            "responses": {
                "200": {
                    "description": "OK",
                    "content": {"application/json": {"schema": ref("ContentBlock")}},
                }
            },
        }
    },
    "/accounts": {
        "post": {
            "operationId": "createAccount",
            "requestBody": {"content": {"application/json": {"schema": ref("Account")}}},
            "responses": {
                "200": {
                    "description": "OK",
                    "content": {"application/json": {"schema": ref("Account")}},
                }
            },
        }
    },
}

COVERAGE_31 = document(COVERAGE_SCHEMAS, paths=COVERAGE_PATHS)

COVERAGE_30 = document(
    {
        "Base": obj({"id": STRING}, ["id"]),
        "Status": {"type": "string", "enum": ["on", "off"], "nullable": True},
        "Nullables30": obj(
            {
                "plain": {"type": "string", "nullable": True},
                "ref_sibling": {"allOf": [ref("Base")], "nullable": True},
                "nullable_enum": {"type": "string", "enum": ["x", "y", None], "nullable": True},
                "status": ref("Status"),
                "when": {"type": "string", "format": "date-time", "nullable": True},
            },
            ["plain", "status"],
        ),
    },
    version="3.0.3",
    paths={
        "/nullables": {
            "get": {
                "operationId": "getNullables",
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": {"application/json": {"schema": ref("Nullables30")}},
                    }
                },
            }
        }
    },
)
