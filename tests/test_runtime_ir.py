"""How the walker recognizes server-sent events and cursor pagination in a spec."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from generator import ir
from generator.load import load_spec
from generator.walk import walk_spec

ITEM = {
    "type": "object",
    "required": ["id"],
    "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
}
LIST = {
    "type": "object",
    "required": ["items", "has_more"],
    "properties": {
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
        "has_more": {"type": "boolean"},
        "total_count": {"type": "integer"},
    },
}
LIST_PARAMETERS = [
    {"name": "limit", "in": "query", "schema": {"type": "integer"}},
    {"name": "starting_after", "in": "query", "schema": {"type": "string"}},
]


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _spec(operation: dict[str, Any], method: str = "get") -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Thing API", "version": "1"},
        "paths": {"/v1/things": {method: {"operationId": "list", **operation}}},
        "components": {"schemas": copy.deepcopy({"Item": ITEM, "ItemList": LIST})},
    }


def _operation(tmp_path: Path, spec: dict[str, Any]) -> ir.Operation:
    path = tmp_path / "openapi.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    sdk = walk_spec(load_spec(path))
    (resource,) = sdk.resources
    (operation,) = resource.operations
    return operation


def _list_operation(**changes: Any) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "parameters": copy.deepcopy(LIST_PARAMETERS),
        "responses": {
            "200": {
                "description": "OK",
                "content": _json({"$ref": "#/components/schemas/ItemList"}),
            }
        },
    }
    operation.update(changes)
    return operation


# -- server-sent events --------------------------------------------------------


def test_sse_declared_as_content_type(tmp_path: Path) -> None:
    operation = _operation(
        tmp_path,
        _spec(
            {
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": {
                            "text/event-stream": {"schema": {"$ref": "#/components/schemas/Item"}}
                        },
                    }
                }
            }
        ),
    )
    assert operation.response.kind == "sse"
    assert operation.response.type == ir.NamedType(name="Item")
    assert operation.response.content_type == "text/event-stream"


def test_sse_declared_by_header_with_json_content(tmp_path: Path) -> None:
    header = {"Content-Type": {"description": "text/event-stream", "schema": {"type": "string"}}}
    operation = _operation(
        tmp_path,
        _spec(
            {
                "responses": {
                    "200": {
                        "description": "OK",
                        "headers": header,
                        "content": _json({"$ref": "#/components/schemas/Item"}),
                    }
                }
            }
        ),
    )
    assert operation.response.kind == "sse"
    assert operation.response.type == ir.NamedType(name="Item")


def test_sse_declared_by_header_alone(tmp_path: Path) -> None:
    header = {"content-type": {"schema": {"type": "string", "enum": ["text/event-stream"]}}}
    operation = _operation(
        tmp_path, _spec({"responses": {"200": {"description": "OK", "headers": header}}})
    )
    assert operation.response.kind == "sse"
    assert operation.response.type is None


def test_other_content_type_header_is_not_sse(tmp_path: Path) -> None:
    header = {"Content-Type": {"description": "application/zip", "schema": {"type": "string"}}}
    operation = _operation(
        tmp_path,
        _spec(
            {
                "responses": {
                    "200": {
                        "description": "OK",
                        "headers": header,
                        "content": {"application/zip": {"schema": {"format": "binary"}}},
                    }
                }
            }
        ),
    )
    assert operation.response.kind == "binary"


# -- pagination ----------------------------------------------------------------


def test_cursor_list_is_paginated(tmp_path: Path) -> None:
    operation = _operation(tmp_path, _spec(_list_operation()))
    assert operation.pagination == ir.Pagination(
        cursor_param="starting_after",
        limit_param="limit",
        items_field="items",
        item_type=ir.NamedType(name="Item"),
        cursor_field="id",
        has_more_field="has_more",
        pointer="#/paths/~1v1~1things/get/responses/200",
    )


@pytest.mark.parametrize(
    "case",
    ["no_cursor_parameter", "post", "item_without_id", "two_lists", "no_has_more"],
)
def test_near_misses_are_not_paginated(tmp_path: Path, case: str) -> None:
    spec = _spec(_list_operation(), method="post" if case == "post" else "get")
    operation = spec["paths"]["/v1/things"]["post" if case == "post" else "get"]
    schemas = spec["components"]["schemas"]
    if case == "no_cursor_parameter":
        operation["parameters"] = operation["parameters"][:1]
    elif case == "item_without_id":
        schemas["Item"] = {"type": "object", "properties": {"sequence": {"type": "integer"}}}
    elif case == "two_lists":
        schemas["ItemList"]["properties"]["tags"] = {"type": "array", "items": {"type": "string"}}
    elif case == "no_has_more":
        del schemas["ItemList"]["properties"]["has_more"]
        schemas["ItemList"]["required"] = ["items"]
    assert _operation(tmp_path, spec).pagination is None


def _sample(body: str) -> list[dict[str, str]]:
    source = f"from thing_client import Thing\n\nclient = Thing()\n{body}"
    return [{"lang": "Python", "source": source}]


def test_code_sample_decides(tmp_path: Path) -> None:
    page_sample = _sample("page = client.things.list()\npage = page.items[0]\nprint(page.id)")
    view_sample = _sample("item_list = client.things.list()\nprint(item_list.items)")
    paged = _operation(tmp_path, _spec(_list_operation(**{"x-codeSamples": page_sample})))
    plain = _operation(tmp_path, _spec(_list_operation(**{"x-codeSamples": view_sample})))
    assert paged.pagination is not None
    assert plain.pagination is None
    assert plain.response.type == ir.NamedType(name="ItemList")
