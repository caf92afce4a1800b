"""Every operation of the SDK generated from the full Runloop spec against the Prism mock server.

Prism checks each request against the spec (a 400 or 422 means the SDK sent
something the spec does not allow) and answers with the spec's examples,
which the SDK must parse. Prism cannot serve the binary downloads or the
server-sent-event operations; the runtime tests cover those against a local
server.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from support import RUNLOOP_SPEC, SHARED, import_package

from generator import ir
from generator.load import load_spec, resolve_pointer
from generator.walk import walk_spec

PRISM_MOCK = SHARED / "tools" / "prism-mock"
MIN_PASSING = 140
# Seconds for each SDK call. Prism never responds to a request body that is not valid JSON, so
# every call needs a bound.
CALL_TIMEOUT = 30.0
# Seconds for `prism-mock start`, which installs Prism with npm on first use.
START_TIMEOUT = 300

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not PRISM_MOCK.exists() or not RUNLOOP_SPEC.exists(),
        reason=f"{PRISM_MOCK} or {RUNLOOP_SPEC} not found: the shared folder must sit beside "
        "the repository",
    ),
    pytest.mark.skipif(
        shutil.which("node") is None or shutil.which("npm") is None,
        reason="node and npm are needed to install and run the Prism mock server",
    ),
]

# Operations Prism cannot serve, by the reason it fails them.
BINARY_REASON = "binary download: Prism answers 500 for a `format: binary` body without a type"
SSE_REASON = (
    "server-sent events: Prism cannot produce `text/event-stream` (406 where the response "
    "declares JSON content, 500 where it declares none)"
)


@dataclass(frozen=True)
class Call:
    """One operation and the method that sends it."""

    resource_path: tuple[str, ...]
    operation: ir.Operation

    @property
    def name(self) -> str:
        return ".".join((*self.resource_path, self.operation.py_name))


@dataclass(frozen=True)
class Outcome:
    call: Call
    error: str | None

    @property
    def passed(self) -> bool:
        return self.error is None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def prism_url() -> Iterator[str]:
    port = _free_port()
    started = subprocess.run(
        [str(PRISM_MOCK), "start", "--port", str(port), str(RUNLOOP_SPEC)],
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT,
        check=False,
    )
    if started.returncode != 0:
        pytest.fail(f"prism-mock start failed:\n{started.stderr}")
    pid = started.stdout.strip()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        subprocess.run([str(PRISM_MOCK), "stop", pid], capture_output=True, timeout=60, check=False)


@pytest.fixture(scope="module")
def package(runloop_sdk: Path) -> ModuleType:
    return import_package(runloop_sdk / "src", "runloop_api_client")


@pytest.fixture(scope="module")
def calls() -> list[Call]:
    sdk = walk_spec(load_spec(RUNLOOP_SPEC))
    found: list[Call] = []

    def visit(resource: ir.Resource, prefix: tuple[str, ...]) -> None:
        path = (*prefix, resource.py_name)
        found.extend(Call(path, operation) for operation in resource.operations)
        for child in resource.children:
            visit(child, path)

    for resource in sdk.resources:
        visit(resource, ())
    return found


# -- minimal valid arguments ---------------------------------------------------


class Examples:
    """Build the smallest values a schema accepts, preferring the spec's own examples."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document

    def resolve(self, schema: Any) -> Any:
        seen = 0
        while isinstance(schema, Mapping) and "$ref" in schema and seen < 50:
            schema = resolve_pointer(self.document, schema["$ref"])
            seen += 1
        return schema

    def value(self, schema: Any, depth: int = 0) -> Any:
        schema = self.resolve(schema)
        if not isinstance(schema, Mapping) or depth > 8:
            return "string"
        for key in ("const", "example", "default"):
            if key in schema and schema[key] is not None:
                return schema[key]
        if isinstance(schema.get("examples"), list) and schema["examples"]:
            return schema["examples"][0]
        if isinstance(schema.get("enum"), list):
            return next(value for value in schema["enum"] if value is not None)
        for key in ("oneOf", "anyOf"):
            variants = [self.resolve(v) for v in schema.get(key, ())]
            variants = [
                v for v in variants if not (isinstance(v, Mapping) and v.get("type") == "null")
            ]
            if variants:
                return self.value(variants[0], depth + 1)
        if "allOf" in schema:
            merged: dict[str, Any] = {}
            for part in schema["allOf"]:
                value = self.value(part, depth + 1)
                if isinstance(value, dict):
                    merged.update(value)
            return merged
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), "null")
        if kind is None and "properties" in schema:
            kind = "object"
        return self._typed(kind, schema, depth)

    def _typed(self, kind: Any, schema: Mapping[str, Any], depth: int) -> Any:
        if kind == "integer":
            return max(int(schema.get("minimum", 1)), 1)
        if kind == "number":
            return float(max(schema.get("minimum", 1), 1))
        if kind == "boolean":
            return True
        if kind == "array":
            count = int(schema.get("minItems", 0))
            return [self.value(schema.get("items", {}), depth + 1) for _ in range(count)]
        if kind == "object":
            properties = schema.get("properties") or {}
            return {
                name: self.value(properties.get(name, {}), depth + 1)
                for name in schema.get("required", ())
            }
        if kind == "string":
            formats = {
                "date-time": "2024-01-01T00:00:00Z",
                "date": "2024-01-01",
                "uri": "https://example.com",
            }
            text = formats.get(schema.get("format", ""), "string")
            return text.ljust(int(schema.get("minLength", 0)), "x")
        return "string"

    def for_pointer(self, pointer: str) -> Any:
        node = self.resolve(resolve_pointer(self.document, pointer.removeprefix("#")))
        if isinstance(node, Mapping) and "in" in node:
            node = node.get("schema", {})
        return self.value(node)


def arguments(call: Call, examples: Examples) -> tuple[list[Any], dict[str, Any]]:
    """The positional and keyword arguments for a call: only what the spec requires."""
    operation = call.operation
    params = list(operation.params)
    body = operation.body
    if body is not None:
        params.extend(body.fields)
    by_name = {param.py_name: param for param in params}
    positional = [f"{by_name[name].wire_name}_1" for name in operation.positional]
    keywords: dict[str, Any] = {}
    for param in params:
        if param.py_name in operation.positional or not param.required:
            continue
        if param.location == "path":
            keywords[param.py_name] = f"{param.wire_name}_1"
        else:
            keywords[param.py_name] = examples.for_pointer(param.pointer)
    if body is not None and not body.flattened and body.required:
        schema = resolve_pointer(examples.document, body.pointer.removeprefix("#"))
        media = examples.resolve(schema)["content"][body.content_type]
        keywords["body"] = examples.value(media.get("schema", {}))
    return positional, keywords


def method_of(client: Any, call: Call) -> Any:
    target = client
    for name in call.resource_path:
        target = getattr(target, name)
    return getattr(target, call.operation.py_name)


def expected_failure(call: Call) -> str | None:
    kind = call.operation.response.kind
    if kind == "binary":
        return BINARY_REASON
    if kind == "sse":
        return SSE_REASON
    return None


def _describe(error: BaseException) -> str:
    detail = str(error).replace("\n", " ")
    return f"{type(error).__name__}: {detail[:300]}"


def run_sync(client: Any, call: Call, examples: Examples) -> Outcome:
    positional, keywords = arguments(call, examples)
    try:
        result = method_of(client, call)(*positional, **keywords)
        # Consume what the call returned so that a broken body shows here.
        if call.operation.response.kind == "binary":
            result.read()
        elif call.operation.response.kind == "sse":
            list(result)
    except Exception as error:  # noqa: BLE001 - every failure is reported, not raised
        return Outcome(call, _describe(error))
    return Outcome(call, None)


def report(outcomes: list[Outcome]) -> str:
    failed = [outcome for outcome in outcomes if not outcome.passed]
    lines = [f"Prism: {len(outcomes) - len(failed)} of {len(outcomes)} operations succeeded."]
    for outcome in failed:
        reason = expected_failure(outcome.call) or "unexpected"
        lines.append(f"  {outcome.call.name}: {reason}; got {outcome.error}")
    return "\n".join(lines)


def test_every_operation_through_sync_client(
    prism_url: str,
    package: ModuleType,
    calls: list[Call],
    capsys: pytest.CaptureFixture[str],
) -> None:
    examples = Examples(load_spec(RUNLOOP_SPEC).document)
    client = package.Runloop(
        bearer_token="prism-test", base_url=prism_url, timeout=CALL_TIMEOUT, max_retries=0
    )
    with client:
        outcomes = [run_sync(client, call, examples) for call in calls]
    text = report(outcomes)
    with capsys.disabled():
        print(f"\n{text}")  # noqa: T201 - the report belongs in the test output

    assert len(outcomes) == 150
    unexpected = [o for o in outcomes if not o.passed and expected_failure(o.call) is None]
    assert unexpected == [], text
    assert sum(outcome.passed for outcome in outcomes) >= MIN_PASSING, text


ASYNC_SAMPLE = (
    "benchmark_runs.complete",
    "benchmark_runs.list",
    "blueprints.create",
    "devboxes.create",
    "devboxes.executions.retrieve",
    "devboxes.list",
    "devboxes.read_file_contents",
    "devboxes.upload_file",
    "objects.create",
    "scenarios.scorers.update",
    "secrets.delete",
)


def test_sample_through_async_client(
    prism_url: str, package: ModuleType, calls: list[Call]
) -> None:
    examples = Examples(load_spec(RUNLOOP_SPEC).document)
    chosen = [call for call in calls if call.name in ASYNC_SAMPLE]
    assert len(chosen) == len(ASYNC_SAMPLE)

    async def main() -> list[str]:
        failures: list[str] = []
        client = package.AsyncRunloop(
            bearer_token="prism-test", base_url=prism_url, timeout=CALL_TIMEOUT, max_retries=0
        )
        async with client:
            for call in chosen:
                positional, keywords = arguments(call, examples)
                try:
                    result = await method_of(client, call)(*positional, **keywords)
                except Exception as error:  # noqa: BLE001 - collected and asserted below
                    failures.append(f"{call.name}: {_describe(error)}")
                    continue
                if result is None:
                    failures.append(f"{call.name}: returned None")
        return failures

    assert asyncio.run(main()) == []


def test_prism_rejects_a_wrong_request(prism_url: str, package: ModuleType) -> None:
    """Prism rejects a body the spec forbids, so the calls that pass above were checked."""
    client = package.Runloop(
        bearer_token="prism-test", base_url=prism_url, timeout=CALL_TIMEOUT, max_retries=0
    )
    with client, pytest.raises(package.APIStatusError) as caught:
        client.request("post", "/v1/devboxes/dbx_1/execute_async", body={"command": 5}, cast=None)
    assert caught.value.status_code in (400, 422)
