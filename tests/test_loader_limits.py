"""Specs built to exhaust memory, recurse without end or reach the network: each one exits 2.

Every case runs the real `sdkgen generate` in a child process whose address space
and CPU time are capped with `resource.setrlimit`. A spec that got past a limit
would die there with MemoryError or SIGXCPU (a traceback or a signal, never
exit 2), so the caps make "bounded memory and time" part of each assertion.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from support import REPO

resource = pytest.importorskip("resource", reason="resource limits need a POSIX system")

# The full Runloop spec generates in under 100 MiB of resident memory; 512 MiB of
# address space leaves room for the interpreter, black and the validator.
MEMORY_LIMIT = 512 * 1024 * 1024
CPU_SECONDS = 60

HEADER = "openapi: 3.1.0\ninfo: {title: Limits, version: '1'}\n"

_RUNNER = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({memory}, {memory}))
resource.setrlimit(resource.RLIMIT_CPU, ({cpu}, {cpu}))
from generator.cli import main
code = main(sys.argv[1:])
print("maxrss_kib", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
raise SystemExit(code)
"""


def run_limited(spec: Path, output: Path) -> subprocess.CompletedProcess[str]:
    """Run `sdkgen generate spec -o output` under the memory and CPU caps."""
    runner = _RUNNER.format(memory=MEMORY_LIMIT, cpu=CPU_SECONDS)
    return subprocess.run(
        [sys.executable, "-c", runner, "generate", str(spec), "-o", str(output)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=CPU_SECONDS * 4,
    )


def assert_rejected(result: subprocess.CompletedProcess[str], spec: Path, words: list[str]) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    (message,) = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert message.startswith(f"error: {spec}:"), message
    for word in words:
        assert word in message


def test_runner_caps_memory(tmp_path: Path) -> None:
    """The cap is real: a child that allocates past it fails instead of exiting 2."""
    runner = _RUNNER.format(memory=MEMORY_LIMIT, cpu=CPU_SECONDS).replace(
        "from generator.cli import main",
        f"blob = bytearray(2 * {MEMORY_LIMIT})",
    )
    result = subprocess.run(
        [sys.executable, "-c", runner], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 1
    assert "MemoryError" in result.stderr


def test_seed_spec_generates_under_caps(tmp_path: Path) -> None:
    result = run_limited(REPO / "specs" / "runloop" / "openapi.yaml", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "pyproject.toml").exists()


# -- YAML alias bombs -----------------------------------------------------------------


def _alias_bomb(levels: int, width: int) -> str:
    lines = [HEADER + "paths: {}", "x-bomb:", "  a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for level in range(1, levels):
        aliases = ", ".join([f"*a{level - 1}"] * width)
        lines.append(f"  a{level}: &a{level} [{aliases}]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("levels", "width"),
    [(10, 10), (12, 10), (30, 2), (4, 2000)],
    ids=["billion-laughs", "trillion-laughs", "deep-binary", "wide"],
)
def test_alias_bomb_exits_2(tmp_path: Path, levels: int, width: int) -> None:
    spec = tmp_path / "bomb.yaml"
    spec.write_text(_alias_bomb(levels, width), encoding="utf-8")

    result = run_limited(spec, tmp_path / "out")

    assert_rejected(result, spec, ["aliases expand to more than"])
    assert not (tmp_path / "out").exists()


def test_alias_bomb_in_mapping_keys_exits_2(tmp_path: Path) -> None:
    lines = [
        HEADER + "paths: {}",
        "x-bomb:",
        "  m0: &m0 {" + ", ".join(f"k{i}: v" for i in range(10)) + "}",
    ]
    for level in range(1, 9):
        members = ", ".join(f"k{i}: *m{level - 1}" for i in range(10))
        lines.append(f"  m{level}: &m{level} {{{members}}}")
    spec = tmp_path / "bomb.yaml"
    spec.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = run_limited(spec, tmp_path / "out")

    assert_rejected(result, spec, ["aliases expand to more than"])


# -- nesting --------------------------------------------------------------------------


def _deep_schema(levels: int) -> dict[str, object]:
    node: dict[str, object] = {"type": "string"}
    for _ in range(levels):
        node = {"type": "array", "items": node}
    return node


@pytest.mark.parametrize("levels", [10_000, 200_000])
def test_deep_json_schema_exits_2(tmp_path: Path, levels: int) -> None:
    # json.dumps recurses, so the text is assembled by hand.
    schema = '{"type": "array", "items": ' * levels + '{"type": "string"}' + "}" * levels
    spec = tmp_path / "deep.json"
    spec.write_text(
        '{"openapi": "3.1.0", "info": {"title": "Deep", "version": "1"}, "paths": {}, '
        f'"components": {{"schemas": {{"Deep": {schema}}}}}}}',
        encoding="utf-8",
    )

    result = run_limited(spec, tmp_path / "out")

    assert_rejected(result, spec, ["nesting deeper than"])


def test_deep_json_list_exits_2(tmp_path: Path) -> None:
    spec = tmp_path / "deep.json"
    spec.write_text(
        '{"openapi": "3.1.0", "info": {"title": "Deep", "version": "1"}, "paths": {}, '
        '"x-deep": ' + "[" * 100_000 + "]" * 100_000 + "}",
        encoding="utf-8",
    )

    result = run_limited(spec, tmp_path / "out")

    assert_rejected(result, spec, ["nesting deeper than"])


def test_deep_yaml_flow_schema_exits_2(tmp_path: Path) -> None:
    levels = 10_000
    schema = "{items: " * levels + "{type: string}" + "}" * levels
    spec = tmp_path / "deep.yaml"
    spec.write_text(
        HEADER + f"paths: {{}}\ncomponents:\n  schemas:\n    Deep: {schema}\n", encoding="utf-8"
    )

    result = run_limited(spec, tmp_path / "out")

    assert_rejected(result, spec, ["nesting deeper than"])


def test_deep_yaml_block_schema_exits_2(tmp_path: Path) -> None:
    # Block style indents each level, so 10,000 levels would pass the file size limit first.
    levels = 2_000
    schema = "".join(f"\n{'  ' * (level + 3)}items:" for level in range(levels)) + " {}"
    spec = tmp_path / "deep.yaml"
    spec.write_text(
        HEADER + f"paths: {{}}\ncomponents:\n  schemas:\n    Deep: {schema}\n", encoding="utf-8"
    )

    result = run_limited(spec, tmp_path / "out")

    assert_rejected(result, spec, ["nesting deeper than"])


def test_deep_schema_through_refs_exits_2(tmp_path: Path) -> None:
    """A chain of 1,000 schemas, each referencing the next: the file is shallow, the chain is not."""
    schemas = {
        f"S{index}": {"type": "array", "items": {"$ref": f"#/components/schemas/S{index + 1}"}}
        for index in range(1_000)
    }
    schemas["S1000"] = {"type": "string"}
    document = {
        "openapi": "3.1.0",
        "info": {"title": "Chain", "version": "1"},
        "paths": {
            "/chain": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/S0"}}
                            },
                        }
                    }
                }
            }
        },
        "components": {"schemas": schemas},
    }
    spec = tmp_path / "chain.json"
    spec.write_text(json.dumps(document), encoding="utf-8")

    result = run_limited(spec, tmp_path / "out")

    assert_rejected(result, spec, ["not supported", "nested more than"])


# -- size -----------------------------------------------------------------------------


def test_oversized_file_exits_2(tmp_path: Path) -> None:
    spec = tmp_path / "huge.yaml"
    with spec.open("wb") as handle:
        handle.write(HEADER.encode())
        handle.truncate(65 * 1024 * 1024)  # sparse: no disk space used

    result = run_limited(spec, tmp_path / "out")

    assert_rejected(result, spec, ["larger than"])


def test_device_file_exits_2(tmp_path: Path) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("/dev/zero not available")
    result = run_limited(Path("/dev/zero"), tmp_path / "out")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr


# -- references -----------------------------------------------------------------------


@pytest.fixture()
def listener() -> Iterator[tuple[int, list[str]]]:
    """A local HTTP server that records every request, to prove that none arrives."""
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - name fixed by http.server
            seen.append(self.path)
            body = b"type: string\n"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield httpd.server_address[1], seen
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


def _spec_with_schema_ref(ref: str) -> str:
    return HEADER + f"""paths:
  /pets:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{$ref: '{ref}'}}
"""


@pytest.mark.parametrize(
    "template",
    [
        "http://127.0.0.1:{port}/pet.yaml",
        "HTTP://127.0.0.1:{port}/pet.yaml#/Pet",
        "https://127.0.0.1:{port}/pet.yaml",
        "//127.0.0.1:{port}/pet.yaml",
        "file:///etc/hostname",
    ],
)
def test_remote_ref_exits_2_without_fetching(
    tmp_path: Path, listener: tuple[int, list[str]], template: str
) -> None:
    port, seen = listener
    ref = template.format(port=port)
    spec = tmp_path / "remote.yaml"
    spec.write_text(_spec_with_schema_ref(ref), encoding="utf-8")

    result = run_limited(spec, tmp_path / "out")

    assert_rejected(result, spec, ["#/paths/~1pets/get/responses/200/content"])
    assert ref in result.stderr
    assert seen == []


def test_remote_ref_in_parameter_exits_2_without_fetching(
    tmp_path: Path, listener: tuple[int, list[str]]
) -> None:
    port, seen = listener
    spec = tmp_path / "remote.yaml"
    spec.write_text(
        HEADER + f"""paths:
  /pets:
    get:
      parameters:
        - $ref: 'http://127.0.0.1:{port}/parameters.yaml#/limit'
      responses:
        '200': {{description: ok}}
""",
        encoding="utf-8",
    )

    result = run_limited(spec, tmp_path / "out")

    assert_rejected(result, spec, ["#/paths/~1pets/get/parameters/0"])
    assert seen == []


@pytest.mark.parametrize("ref", ["../outside.yaml", "/etc/hostname", "sub/../../outside.yaml"])
def test_ref_outside_spec_folder_exits_2(tmp_path: Path, ref: str) -> None:
    folder = tmp_path / "spec"
    folder.mkdir()
    (folder / "sub").mkdir()
    (tmp_path / "outside.yaml").write_text("type: string\n", encoding="utf-8")
    spec = folder / "openapi.yaml"
    spec.write_text(_spec_with_schema_ref(ref), encoding="utf-8")

    result = run_limited(spec, tmp_path / "out")

    assert_rejected(result, spec, [ref])


def test_python_tag_exits_2_without_running(tmp_path: Path) -> None:
    marker = tmp_path / "tag-ran"
    spec = tmp_path / "tag.yaml"
    spec.write_text(
        "openapi: 3.1.0\n"
        f"info: {{title: !!python/object/apply:os.system ['touch {marker}'], version: '1'}}\n"
        "paths: {}\n",
        encoding="utf-8",
    )

    result = run_limited(spec, tmp_path / "out")

    assert_rejected(result, spec, ["not supported", "!!python/object/apply:os.system"])
    assert not marker.exists()


def test_schema_reference_cycle_exits_2(tmp_path: Path) -> None:
    spec = REPO / "tests" / "bad_specs" / "ref_loop.yaml"
    result = run_limited(spec, tmp_path / "out")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "#/components/schemas/" in result.stderr


def test_recursive_schema_generates(tmp_path: Path) -> None:
    spec = tmp_path / "tree.yaml"
    spec.write_text(
        HEADER + """paths:
  /tree:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Node'}
components:
  schemas:
    Node:
      type: object
      properties:
        children:
          type: array
          items: {$ref: '#/components/schemas/Node'}
        parent: {$ref: '#/components/schemas/Node'}
        other: {$ref: '#/components/schemas/Other'}
    Other:
      type: object
      properties:
        back: {$ref: '#/components/schemas/Node'}
""",
        encoding="utf-8",
    )

    result = run_limited(spec, tmp_path / "out")

    assert result.returncode == 0, result.stderr
    sources = sorted((tmp_path / "out" / "src").rglob("*.py"))
    assert sources
    for source in sources:
        compile(source.read_text(encoding="utf-8"), str(source), "exec")
