"""Benchmark inputs: synthetic specs, JSON payloads built from schemas, a local HTTP server."""

from __future__ import annotations

import http.server
import json
import threading
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
RUNLOOP_SPEC = REPO.parent / "shared" / "specs" / "runloop" / "openapi.json"
OPENAI_SPEC = REPO.parent / "shared" / "corpus" / "openai" / "openapi.yaml"
PARSE_ITEMS = 10_000


def _operation(model: str, plural: str, verb: str, response: str, **extra: Any) -> dict[str, Any]:
    return {
        "operationId": f"{verb}_{model.lower()}",
        "tags": [plural],
        "summary": f"{verb.capitalize()} a {model}.",
        "description": f"{verb.capitalize()} a {model}. Generated for the scaling benchmark.",
        "responses": {
            "200": {
                "description": "OK",
                "content": {
                    "application/json": {"schema": {"$ref": f"#/components/schemas/{response}"}}
                },
            }
        },
        **extra,
    }


def synthetic_spec(operations: int) -> dict[str, Any]:
    """Build an OpenAPI 3.1 spec with `operations` operations (five per resource).

    Each resource has a model with scalar, enum, list, map and nested fields, an enum, a
    create body and a list view: four schemas per five operations.
    """
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for group in range((operations + 4) // 5):
        model = f"Widget{group}"
        plural = f"widget{group}s"
        ref = {"$ref": f"#/components/schemas/{model}"}
        properties: dict[str, Any] = {
            "id": {"type": "string", "description": f"The ID of the {model}."},
            "name": {"type": "string", "description": "A human-readable name."},
            "status": {"$ref": f"#/components/schemas/{model}Status"},
            "size": {"type": "integer", "format": "int64", "description": "Size in bytes."},
            "ratio": {"type": ["number", "null"], "description": "A ratio, when known."},
            "tags": {"type": "array", "items": {"type": "string"}},
            "labels": {"type": "object", "additionalProperties": {"type": "string"}},
            "created_at_ms": {"type": "integer", "format": "int64"},
        }
        if group % 10:
            # Short chains of nested models; long chains would only test import depth.
            properties["parent"] = {"$ref": f"#/components/schemas/Widget{group - 1}"}
        schemas[f"{model}Status"] = {
            "type": "string",
            "enum": ["active", "paused", "deleted"],
            "description": f"The state of a {model}.",
        }
        schemas[model] = {
            "type": "object",
            "description": f"A {model} as the API returns it.",
            "properties": properties,
            "required": ["id", "name", "status", "created_at_ms"],
        }
        schemas[f"{model}CreateParams"] = {
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "size": {"type": "integer"},
                "tags": {"type": "array", "items": {"type": "string"}},
            },
            "required": ["name"],
        }
        schemas[f"{model}ListView"] = {
            "type": "object",
            "properties": {
                "items": {"type": "array", "items": ref},
                "has_more": {"type": "boolean"},
            },
            "required": ["items", "has_more"],
        }
        id_parameter = [
            {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
        ]

        body = {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {"$ref": f"#/components/schemas/{model}CreateParams"}
                }
            },
        }
        limit = {"name": "limit", "in": "query", "schema": {"type": "integer"}}
        paths[f"/v1/{plural}"] = {
            "get": _operation(model, plural, "list", f"{model}ListView", parameters=[limit]),
            "post": _operation(model, plural, "create", model, requestBody=body),
        }
        paths[f"/v1/{plural}/{{id}}"] = {
            "get": _operation(model, plural, "retrieve", model, parameters=id_parameter),
            "delete": _operation(model, plural, "delete", model, parameters=id_parameter),
        }
        paths[f"/v1/{plural}/{{id}}/archive"] = {
            "post": _operation(model, plural, "archive", model, parameters=id_parameter),
        }
    # Trim to the exact count: the last resource may have fewer than five operations.
    count = 0
    for path in list(paths):
        for method in list(paths[path]):
            count += 1
            if count > operations:
                del paths[path][method]
        if not paths[path]:
            del paths[path]
    return {
        "openapi": "3.1.0",
        "info": {"title": "Synthetic API", "version": "1.0"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": paths,
        "components": {"schemas": schemas},
    }


class ExampleBuilder:
    """Build JSON values that match a spec's schemas, varied by an index."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.schemas = document["components"]["schemas"]

    def value(self, schema: dict[str, Any], index: int, depth: int = 0) -> Any:
        if "$ref" in schema:
            return self.value(self.schemas[schema["$ref"].rsplit("/", 1)[1]], index, depth)
        if "enum" in schema:
            choices = [choice for choice in schema["enum"] if choice is not None]
            return choices[index % len(choices)]
        for key in ("anyOf", "oneOf"):
            if key in schema:
                options = [option for option in schema[key] if option.get("type") != "null"]
                return self.value(options[0], index, depth)
        if "allOf" in schema:
            merged: dict[str, Any] = {}
            for part in schema["allOf"]:
                part_value = self.value(part, index, depth)
                if isinstance(part_value, dict):
                    merged.update(part_value)
            return merged
        kind = schema.get("type", "object")
        if isinstance(kind, list):
            kinds = [name for name in kind if name != "null"]
            # Every third nullable value is null, so null handling is measured too.
            if "null" in kind and index % 3 == 0:
                return None
            kind = kinds[0] if kinds else "null"
        if kind == "string":
            return f"value_{index}"
        if kind == "integer":
            return 1_700_000_000_000 + index
        if kind == "number":
            return index / 7
        if kind == "boolean":
            return index % 2 == 0
        if kind == "array":
            if depth > 3:
                return []
            return [
                self.value(schema.get("items", {}), index + offset, depth + 1)
                for offset in range(2)
            ]
        if kind == "object":
            if "properties" in schema:
                if depth > 3:
                    return {
                        name: self.value(sub, index, depth + 1)
                        for name, sub in schema["properties"].items()
                        if name in schema.get("required", ())
                    }
                return {
                    name: self.value(sub, index, depth + 1)
                    for name, sub in schema["properties"].items()
                }
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict):
                return {f"key_{index}": self.value(extra, index, depth + 1)}
            return {}
        return None


def write_parse_payload(path: Path) -> None:
    document = json.loads(RUNLOOP_SPEC.read_text(encoding="utf-8"))
    builder = ExampleBuilder(document)
    run_schema = {"$ref": "#/components/schemas/BenchmarkRunView"}
    payload = {
        "runs": [builder.value(run_schema, index) for index in range(PARSE_ITEMS)],
        "has_more": False,
        "total_count": PARSE_ITEMS,
    }
    path.write_text(json.dumps(payload), encoding="utf-8")


def devbox_example(device_id: str) -> bytes:
    document = json.loads(RUNLOOP_SPEC.read_text(encoding="utf-8"))
    value = ExampleBuilder(document).value({"$ref": "#/components/schemas/DevboxView"}, 1)
    value["id"] = device_id
    return json.dumps(value).encode()


class LocalServer:
    """An HTTP server on 127.0.0.1 that responds to GET /v1/devboxes/{id} with a DevboxView."""

    def __init__(self) -> None:
        examples: dict[str, bytes] = {}

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
                prefix = "/v1/devboxes/"
                if self.path.startswith(prefix):
                    devbox_id = self.path[len(prefix) :].split("?")[0]
                    if devbox_id not in examples:
                        examples[devbox_id] = devbox_example(devbox_id)
                    body = examples[devbox_id]
                    self.send_response(200)
                else:
                    body = b'{"error": "not found"}'
                    self.send_response(404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> LocalServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)
