"""The SDK generated from the full Runloop spec: it compiles, type-checks and matches the samples."""

from __future__ import annotations

import ast
import compileall
import inspect
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from support import RUNLOOP_SPEC, import_package

from generator.naming import snake_case
from generator.samples import parse_python_sample, python_sample_source

HTTP_METHODS = ("get", "put", "post", "delete", "patch")


def _sampled_operations() -> list[tuple[str, str, dict[str, Any]]]:
    document = json.loads(RUNLOOP_SPEC.read_text(encoding="utf-8"))
    found = []
    for path, item in document["paths"].items():
        for method in HTTP_METHODS:
            operation = item.get(method)
            if operation and python_sample_source(operation):
                found.append((method, path, operation))
    return found


def _body_properties(document: dict[str, Any], operation: dict[str, Any]) -> list[str]:
    content = operation.get("requestBody", {}).get("content", {})
    for media in content.values():
        schema = media.get("schema", {})
        if "$ref" in schema:
            schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
        return list(schema.get("properties", {}))
    return []


def test_runloop_package_compiles(runloop_sdk: Path) -> None:
    assert compileall.compile_dir(str(runloop_sdk / "src"), quiet=1)


def test_runloop_package_passes_mypy_strict(runloop_sdk: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "runloop_api_client"],
        cwd=runloop_sdk / "src",
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_runloop_package_passes_ruff(runloop_sdk: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "src"],
        cwd=runloop_sdk,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_sample_call_resolves(runloop_sdk: Path) -> None:
    """Each Python code sample's call exists with the same positional and keyword arguments."""
    if not RUNLOOP_SPEC.exists():
        pytest.skip(f"{RUNLOOP_SPEC} not found")
    document = json.loads(RUNLOOP_SPEC.read_text(encoding="utf-8"))
    package = import_package(runloop_sdk / "src", "runloop_api_client")
    client = package.Runloop(bearer_token="test-token", base_url="http://127.0.0.1:9")
    operations = _sampled_operations()
    assert len(operations) == 118

    for method, path, operation in operations:
        sample = parse_python_sample(python_sample_source(operation) or "")
        assert sample is not None, f"{method} {path}: sample did not parse"
        target: Any = client
        for name in sample.resource_path:
            target = getattr(target, name)
        bound = getattr(target, sample.method)
        signature = inspect.signature(bound)
        positional = [
            p.name
            for p in signature.parameters.values()
            if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
        ]
        keyword_only = {
            p.name
            for p in signature.parameters.values()
            if p.kind is inspect.Parameter.KEYWORD_ONLY
        }
        where = f"{method.upper()} {path} ({'.'.join(sample.resource_path)}.{sample.method})"
        assert len(positional) == len(sample.positional), where
        assert set(sample.keywords) <= keyword_only, where

        query = [p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"]
        for name in query + _body_properties(document, operation):
            assert (
                snake_case(name) in keyword_only or f"{snake_case(name)}_" in keyword_only
            ), f"{where}: {name}"


def test_sample_positional_values_match_path_parameters(runloop_sdk: Path) -> None:
    package = import_package(runloop_sdk / "src", "runloop_api_client")
    client = package.Runloop(bearer_token="test-token")
    signature = inspect.signature(client.devboxes.executions.retrieve)
    assert list(signature.parameters)[:1] == ["execution_id"]
    assert signature.parameters["devbox_id"].kind is inspect.Parameter.KEYWORD_ONLY


def test_models_round_trip_unknown_fields(runloop_sdk: Path) -> None:
    package = import_package(runloop_sdk / "src", "runloop_api_client")
    view_class = package.types.BenchmarkRunView
    data = {
        "id": "br_1",
        "start_time_ms": 2**62,
        "state": "completed",
        "metadata": {"k": "v"},
        "duration_ms": None,
        "from_a_newer_server": [1, 2],
    }
    view = view_class.from_dict(data)
    assert view.to_dict() == data
    assert view.start_time_ms == 2**62


def test_sample_source_is_parsed_not_run() -> None:
    source = (
        "import os\nfrom pkg import Api\nclient = Api()\nclient.things.list(__import__('os'))\n"
    )
    sample = parse_python_sample(source)
    assert sample is not None
    assert sample.resource_path == ("things",)
    assert ast.parse(source)
