"""Mutated Runloop specs: sdkgen generates code that compiles, or exits 2 with a located message.

The base document is a trimmed Runloop spec: a handful of operations covering
path, query and multipart parameters, JSON, text and binary responses, enums and
nullable fields, plus every schema they reach. Hypothesis drops keys, changes
types, renames keys and inserts strange strings, then runs the whole pipeline
in-process through `generator.cli.main`. Any exception escaping `main`, any exit
code other than 0 or 2, an unlocated error, or a generated file that does not
compile fails the test.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import black
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import RUNLOOP_SPEC, require_shared

from generator.cli import main
from generator.load import load_spec
from generator.write import check_relative_paths

# NOTE: CI runs a fixed set of cases (derandomized) so a failure reproduces; set
# SDKGEN_FUZZ_EXAMPLES and SDKGEN_FUZZ_RANDOM=1 to explore further locally.
HOSTILE_SPEC = Path(__file__).parent / "fixtures" / "hostile" / "openapi.yaml"
EXAMPLES = int(os.environ.get("SDKGEN_FUZZ_EXAMPLES", "500"))
DERANDOMIZE = os.environ.get("SDKGEN_FUZZ_RANDOM") != "1"

OPERATIONS = [
    ("post", "/v1/benchmark_runs/{id}/complete"),
    ("get", "/v1/benchmark_runs"),
    ("post", "/v1/benchmark_runs/{id}/download_logs"),
    ("post", "/v1/devboxes/{id}/upload_file"),
    ("post", "/v1/devboxes/{id}/read_file_contents"),
    ("get", "/v1/devboxes/{devbox_id}/executions/{execution_id}"),
    ("post", "/v1/secrets"),
    ("post", "/v1/devboxes/{id}/execute"),
]
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

STRANGE_STRINGS = [
    "",
    " ",
    '"""',
    "'''",
    "\\",
    "ends with backslash \\",
    'ends with quote "',
    "\\N{",
    "\\U0001",
    "\x00",
    "line\nbreak",
    "carriage\rreturn",
    "\u2028\u2029",
    "\u202e",
    "\ud800",
    "\U0001f600",
    "{{ 7 * 7 }}",
    "{% raw %}",
    "../../etc/x",
    "/abs/path",
    "C:\\Windows",
    "CON",
    "nul.txt",
    "Foo",
    "foo",
    "__init__",
    "class",
    "None",
    "str",
    "list",
    "field",
    "self",
    "Query",
    "123",
    "a" * 300,
    "#/components/schemas/BenchmarkRunView",
    "#/components/schemas/Missing",
    "#/paths",
    "http://127.0.0.1:9/remote.yaml",
    "other.yaml",
    "{id}",
    "/v1/{id}",
    "application/json",
    "multipart/form-data",
    "text/plain",
    "string",
    "object",
    "array",
    "integer",
    "null",
    "binary",
    "date-time",
    "3.0.3",
    "3.1.0",
]
STRANGE = st.one_of(st.sampled_from(STRANGE_STRINGS), st.text(max_size=12))
JSON_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    STRANGE,
    st.lists(STRANGE, max_size=3),
    st.dictionaries(STRANGE, STRANGE, max_size=3),
)
# Each mutation names its target by an index into the document's nodes in
# depth-first order, taken modulo the node count. "text" indexes string values
# only, so a strange string lands in a description, name or enum without breaking
# the structure, and the case reaches the walker and the templates.
MUTATION = st.one_of(
    st.tuples(st.just("text"), st.integers(min_value=0), STRANGE),
    st.tuples(st.just("drop"), st.integers(min_value=0)),
    st.tuples(st.just("replace"), st.integers(min_value=0), JSON_VALUES),
    st.tuples(st.just("rename"), st.integers(min_value=0), STRANGE),
    st.tuples(st.just("insert"), st.integers(min_value=0), STRANGE, JSON_VALUES),
    st.tuples(st.just("copy"), st.integers(min_value=0), st.integers(min_value=0)),
)
MUTATIONS = st.lists(MUTATION, min_size=1, max_size=4)

Path_ = tuple[str | int, ...]


@cache
def trimmed_runloop_spec() -> dict[str, Any]:
    """The Runloop spec cut to `OPERATIONS` and the components they reach through `$ref`."""
    document = json.loads(RUNLOOP_SPEC.read_text(encoding="utf-8"))
    paths: dict[str, Any] = {}
    for method, path in OPERATIONS:
        item = document["paths"][path]
        trimmed = paths.setdefault(
            path, {key: value for key, value in item.items() if key not in HTTP_METHODS}
        )
        trimmed[method] = item[method]

    components: dict[str, dict[str, Any]] = {}
    pending = sorted(_references(paths))
    seen: set[str] = set()
    while pending:
        ref = pending.pop()
        if ref in seen:
            continue
        seen.add(ref)
        section, name = ref.removeprefix("#/components/").split("/", 1)
        node = document["components"][section][name]
        components.setdefault(section, {})[name] = node
        pending.extend(sorted(_references(node) - seen))

    trimmed_document = {
        key: value for key, value in document.items() if key not in ("paths", "components")
    }
    trimmed_document["paths"] = paths
    trimmed_document["components"] = {
        **components,
        "securitySchemes": document["components"]["securitySchemes"],
    }
    return trimmed_document


def _references(node: Any) -> set[str]:
    found: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/"):
                found.add(ref)
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)
    return found


def _node_paths(document: Any) -> list[Path_]:
    """Every node's path in depth-first order, the root `()` first."""
    paths: list[Path_] = []
    stack: list[tuple[Path_, Any]] = [((), document)]
    while stack:
        path, node = stack.pop()
        paths.append(path)
        if isinstance(node, dict):
            children = [((*path, key), value) for key, value in node.items()]
        elif isinstance(node, list):
            children = [((*path, index), value) for index, value in enumerate(node)]
        else:
            continue
        stack.extend(reversed(children))
    return paths


def _get(document: Any, path: Path_) -> Any:
    node = document
    for token in path:
        node = node[token]
    return node


def _set(document: dict[str, Any], path: Path_, value: Any) -> dict[str, Any]:
    if not path:
        return value if isinstance(value, dict) else document
    parent = _get(document, path[:-1])
    parent[path[-1]] = value
    return document


def apply_mutations(document: dict[str, Any], mutations: list[tuple[Any, ...]]) -> dict[str, Any]:
    for mutation in mutations:
        kind, index = mutation[0], mutation[1]
        paths = _node_paths(document)
        path = paths[index % len(paths)]
        if kind == "text":
            strings = [path for path in paths if isinstance(_get(document, path), str)]
            if strings:
                document = _set(document, strings[index % len(strings)], mutation[2])
        elif kind == "drop":
            if path:
                parent = _get(document, path[:-1])
                del parent[path[-1]]
        elif kind == "replace":
            document = _set(document, path, mutation[2])
        elif kind == "rename":
            parent = _get(document, path[:-1]) if path else None
            if isinstance(parent, dict):
                renamed = {
                    (mutation[2] if key == path[-1] else key): value
                    for key, value in parent.items()
                }
                parent.clear()
                parent.update(renamed)
        elif kind == "insert":
            node = _get(document, path)
            if isinstance(node, dict):
                node[mutation[2]] = mutation[3]
            elif isinstance(node, list):
                node.append(mutation[3])
        elif kind == "copy":
            source = paths[mutation[2] % len(paths)]
            if path[: len(source)] != source:  # not into its own subtree
                document = _set(document, path, copy.deepcopy(_get(document, source)))
    return document


@dataclass
class Outcome:
    code: int
    stderr: str
    output: Path
    spec: Path


# `error: FILE:LINE[:COLUMN]: POINTER: message`, or `error: POINTER: message` for a
# problem found after loading, where only the JSON pointer is known. A pointer may
# contain spaces (a property named " "), so only its start is matched.
def _is_located(line: str, spec: Path) -> bool:
    file_form = rf"error: {re.escape(str(spec))}(:\d+){{0,2}}: #"
    pointer_form = r"error: #/"
    return re.match(file_form, line) is not None or re.match(pointer_form, line) is not None


def run_case(document: dict[str, Any], workdir: Path) -> Outcome:
    """Run `sdkgen generate` in-process on a document; an escaping exception fails the test."""
    spec = workdir / "openapi.json"
    output = workdir / "out"
    spec.write_text(json.dumps(document), encoding="utf-8")
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
        code = main(["generate", str(spec), "-o", str(output)])
    return Outcome(code, stderr.getvalue(), output, spec)


def check_outcome(outcome: Outcome) -> None:
    assert outcome.code in (0, 2), outcome.stderr
    if outcome.code == 2:
        errors = [line for line in outcome.stderr.splitlines() if line.startswith("error: ")]
        assert errors, outcome.stderr
        for line in errors:
            assert _is_located(line, outcome.spec), line
        assert not outcome.output.exists()
        return
    files = sorted(path for path in outcome.output.rglob("*") if path.is_file())
    check_relative_paths(path.relative_to(outcome.output).as_posix() for path in files)
    sources = [path for path in files if path.suffix == ".py"]
    assert sources
    for source in sources:
        compile(source.read_text(encoding="utf-8"), str(source), "exec")


@contextlib.contextmanager
def _workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="sdkgen-fuzz-") as folder:
        yield Path(folder)


@pytest.fixture()
def cached_black(monkeypatch: pytest.MonkeyPatch) -> None:
    """Format each distinct text with the real black once.

    Every case renders the same runtime files, which are most of black's work, so
    this keeps 500 cases within a few minutes.
    """
    original = black.format_str
    formatted: dict[tuple[str, int], str] = {}

    def format_str(text: str, *, mode: black.Mode) -> str:
        key = (text, id(mode))
        if key not in formatted:
            if len(formatted) > 1000:
                formatted.clear()
            formatted[key] = original(text, mode=mode)
        return formatted[key]

    monkeypatch.setattr(black, "format_str", format_str)


@pytest.fixture(scope="module")
def base_document() -> dict[str, Any]:
    require_shared(RUNLOOP_SPEC)
    return trimmed_runloop_spec()


def test_trimmed_spec_generates(base_document: dict[str, Any]) -> None:
    """The unmutated base document generates, so each mutation is what makes a case differ."""
    with _workdir() as workdir:
        outcome = run_case(copy.deepcopy(base_document), workdir)
        assert outcome.code == 0, outcome.stderr
        check_outcome(outcome)
    operations = [
        (method, path)
        for path, item in base_document["paths"].items()
        for method in item
        if method in HTTP_METHODS
    ]
    assert sorted(operations) == sorted(OPERATIONS)
    assert len(base_document["components"]["schemas"]) >= 8


@pytest.mark.usefixtures("cached_black")
def test_mutated_specs_compile_or_exit_2(base_document: dict[str, Any]) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=DERANDOMIZE,
        database=None if DERANDOMIZE else settings.default.database,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(MUTATIONS)
    def run(mutations: list[tuple[Any, ...]]) -> None:
        document = apply_mutations(copy.deepcopy(base_document), mutations)
        with _workdir() as workdir:
            check_outcome(run_case(document, workdir))

    run()


@pytest.mark.usefixtures("cached_black")
def test_mutated_hostile_spec_compiles_or_exit_2() -> None:
    """The hostile fixture as a second base: its strange names meet broken structure."""
    hostile = load_spec(HOSTILE_SPEC).document

    @settings(
        max_examples=max(EXAMPLES // 4, 1),
        deadline=None,
        derandomize=DERANDOMIZE,
        database=None if DERANDOMIZE else settings.default.database,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(MUTATIONS)
    def run(mutations: list[tuple[Any, ...]]) -> None:
        document = apply_mutations(copy.deepcopy(hostile), mutations)
        with _workdir() as workdir:
            check_outcome(run_case(document, workdir))

    run()


# Documents the fuzzer once turned into a traceback or a broken message.
FOUND = {
    # openapi-spec-validator raised jsonschema's UnknownType while checking a default.
    "default_of_unknown_type": {
        "paths": {
            "/a": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/A"}}
                            },
                        }
                    }
                }
            }
        },
        "components": {
            "schemas": {
                "A": {
                    "type": "object",
                    "properties": {"x\x1b[2J\n\u202e": {"type": "3.1.0", "default": "q"}},
                }
            }
        },
    },
}


@pytest.mark.parametrize("case", sorted(FOUND))
def test_fuzz_finding_exits_2(case: str) -> None:
    document = {"openapi": "3.1.0", "info": {"title": "Found", "version": "1"}, **FOUND[case]}
    with _workdir() as workdir:
        outcome = run_case(document, workdir)
        check_outcome(outcome)
    assert outcome.code == 2
    # A property name reaches the message through its pointer, escaped: no ESC, no
    # line break, no bidirectional override reaches the terminal.
    (line,) = outcome.stderr.splitlines()
    assert "\x1b" not in line
    assert "\u202e" not in line
    assert "x\\u001b[2J\\u000a\\u202e" in line


def test_non_literal_enum_and_const_generate(tmp_path: Path) -> None:
    """Enum and const values that `Literal` cannot hold fall back to the declared type."""
    properties = {
        "lists": {"type": "array", "items": {"type": "integer"}, "enum": [[1, 2], [3]]},
        "objects": {"type": "object", "enum": [{"a": 1}, None]},
        "floats": {"type": "number", "enum": [0.5, 1.5]},
        "constant_float": {"type": "number", "const": 2.5},
        "constant_list": {"const": [1]},
    }
    document = {
        "openapi": "3.1.0",
        "info": {"title": "Found", "version": "1"},
        "paths": {
            "/a": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"type": "object", "properties": properties}
                                }
                            },
                        }
                    }
                }
            }
        },
    }
    with _workdir() as workdir:
        outcome = run_case(document, workdir)
        check_outcome(outcome)
        assert outcome.code == 0, outcome.stderr
        shutil.copytree(outcome.output, tmp_path / "out")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "found_client"],
        cwd=tmp_path / "out" / "src",
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.usefixtures("cached_black")
def test_mutated_sample_passes_mypy(base_document: dict[str, Any], tmp_path: Path) -> None:
    """mypy is too slow for every case, so it checks a few generated packages."""
    kept: list[Path] = []

    @settings(
        max_examples=16,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(MUTATIONS)
    def run(mutations: list[tuple[Any, ...]]) -> None:
        document = apply_mutations(copy.deepcopy(base_document), mutations)
        with _workdir() as workdir:
            outcome = run_case(document, workdir)
            check_outcome(outcome)
            if outcome.code == 0 and len(kept) < 3:
                target = tmp_path / f"case{len(kept)}"
                shutil.copytree(outcome.output, target)
                kept.append(target)

    run()

    assert len(kept) >= 2
    for project in kept:
        (package,) = [path for path in (project / "src").iterdir() if path.is_dir()]
        result = subprocess.run(
            [sys.executable, "-m", "mypy", "--strict", "--no-incremental", package.name],
            cwd=project / "src",
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        assert result.returncode == 0, f"{project}:\n{result.stdout}{result.stderr}"
