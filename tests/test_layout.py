"""The pre-layout of rendered files: black's output unchanged, meaning unchanged, one black pass."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from support import REPO, RUNLOOP_SPEC, SEED_SPEC, require_shared

from generator.config import Config
from generator.fmt import format_source
from generator.layout import LINE_LENGTH, layout_parameter, layout_return, layout_source
from generator.load import load_spec
from generator.render import render_files, static_runtime_paths
from generator.walk import walk_spec

HOSTILE_SPEC = REPO / "tests" / "fixtures" / "hostile" / "openapi.yaml"
RUNTIME_SPEC = REPO / "tests" / "fixtures" / "runtime" / "openapi.yaml"

# Statements of the shapes the templates write, each longer than the line length.
STATEMENTS = [
    '        return self._client.request("post", path_template("/v1/benchmark_runs/{id}/cancel", {"id": id}), options=make_request_options(extra_headers, extra_query, extra_body, timeout), cast=BenchmarkRunView.from_dict)',
    '        return self._client.request_page(SyncCursorIDPage[BenchmarkRunView], "get", "/v1/benchmark_runs", query={"name": name, "benchmark_id": benchmark_id, "state": state, "limit": limit}, options=make_request_options(extra_headers, extra_query, extra_body, timeout), cast=BenchmarkRunListView.from_dict, items="runs")',
    "        self.download_benchmark_run_logs = to_raw_response_wrapper(resource.download_benchmark_run_logs)",
    '_FIELDS = frozenset({"id", "benchmark_id", "name", "start_time_ms", "duration_ms", "state", "score", "metadata"})',
    '_OPTIONAL = ("benchmark_id", "name", "duration_ms", "score", "purpose", "environment_variables", "secrets_provided")',
    "    _extra: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)",
    "            obj._extra = {key: value for key, value in data.items() if key not in _FIELDS}",
    "            obj._nulls = tuple(key for key in _OPTIONAL if key in data and data[key] is None)",
    '        if self.environment_variables is not None or "environment_variables" in self._nulls:',
    '        obj.initiator_type = (None if (_n0 := data.get("initiator_type")) is None else _enum(InitiatorType, _n0))',
    '        obj.tunnel = (None if (_n0 := data.get("tunnel")) is None else TunnelView.from_dict(_n0))',
    "    operation: ApplyPatchCreateFileOperation | ApplyPatchDeleteFileOperation | ApplyPatchUpdateFileOperation",
    "    prompt_cache_retention: CreateChatCompletionRequestPromptCacheRetention | str | None = None",
    '    result: Event = _tagged(data, "type", {"a.created": EventVariant1, "a.deleted": EventVariant2, "a.updated": EventVariant3}, ((lambda _s0: parse_event(_s0), (), ()),))',
    "from .benchmark_scenario_update_parameters import BenchmarkScenarioUpdateParameters as BenchmarkScenarioUpdateParameters",
    "    def from_dict(cls, data: Mapping[str, Any]) -> BlueprintBuildFromInspectionParametersWithLongName:",
    '__all__ = ["AsyncBenchmarkRunsResource", "AsyncBenchmarkRunsResourceWithRawResponse", "BenchmarkRunsResource"]',
    '    very_long_name_for_a_value = "a string literal that is far too long to fit on one line of eighty-eight"',
]


def _black(text: str) -> str:
    return format_source("module.py", text)


def _rendered(spec: Path) -> dict[str, str]:
    sdk = walk_spec(load_spec(str(spec)), Config())
    static = static_runtime_paths(sdk)
    return {
        path: text
        for path, text in render_files(sdk).items()
        if path.endswith(".py") and path not in static
    }


def _in_blocks(statement: str) -> str:
    """Nest an indented statement in `if` blocks so that it is a valid module."""
    depth = (len(statement) - len(statement.lstrip(" "))) // 4
    openers = "".join(f"{'    ' * level}if x:\n" for level in range(depth))
    if depth and statement.lstrip().startswith("def "):
        # black wants a blank line before a function, except first in a class.
        openers = openers.rsplit("if x:", 1)[0] + "class C:\n"
    body = f"{'    ' * (depth + 1)}pass\n" if statement.endswith(":") else ""
    return f"{openers}{statement}\n{body}"


@pytest.mark.parametrize("statement", STATEMENTS)
def test_statement_laid_out_as_black_does(statement: str) -> None:
    source = _in_blocks(statement)
    laid_out = layout_source(source)
    assert max(len(line) for line in laid_out.splitlines()) <= LINE_LENGTH
    assert laid_out == _black(source)


@pytest.mark.parametrize("statement", STATEMENTS)
def test_statement_meaning_unchanged(statement: str) -> None:
    source = _in_blocks(statement)
    assert ast.dump(ast.parse(layout_source(source))) == ast.dump(ast.parse(source))


def test_short_lines_untouched() -> None:
    source = 'x = call(a, b)\nif a or b:\n    pass\n__all__ = ["A"]\n'
    assert layout_source(source) == source


@pytest.mark.parametrize(
    "source",
    [
        # Text inside docstrings looks like code but must stay as written.
        'def f() -> None:\n    """\n    '
        + "call("
        + ", ".join(["argument"] * 12)
        + ")\n    "
        + '"""\n',
        # An escaped quote next to the opening quotes does not close the docstring.
        '"""Models of the \\"""\n' + "call(" + ", ".join(["argument"] * 12) + ')\n\\""" API."""\n',
        # Triple quotes inside a one-line string open nothing.
        'x = \'"""\'\n' + "y = call(" + ", ".join(["argument"] * 12) + ")\n",
    ],
)
def test_strings_tracked_across_lines(source: str) -> None:
    laid_out = layout_source(source)
    assert ast.dump(ast.parse(laid_out)) == ast.dump(ast.parse(source))
    if source.startswith("x = "):
        assert laid_out == _black(source)
    else:
        assert laid_out == source


@pytest.mark.parametrize(
    "above",
    [
        "call(",
        "call(\n    # a comment between the arguments",
        'call(\n    """text""",',
        "x = 1 + \\",
    ],
)
def test_continuation_lines_untouched(above: str) -> None:
    inner = "    argument=" + "a if b else c + " * 5 + "d, other=value"
    closing = "" if above.endswith("\\") else "\n)"
    source = f"{above}\n{inner}{closing}\n"
    assert layout_source(source) == source


def test_lines_with_comments_and_non_ascii_untouched() -> None:
    long_call = "call(" + ", ".join(["argument"] * 12) + ")"
    source = f"{long_call}  # note\nx = '{'é' * 90}'\n"
    assert layout_source(source) == source


def test_parameter_annotation_wrapped_as_black_does() -> None:
    parameter = "code_mounts: Sequence[CodeMountParameters | Mapping[str, object]] | None | NotGiven = NOT_GIVEN,"
    function = (
        "def create(\n    self,\n    *,\n"
        + layout_parameter(parameter, 1)
        + "\n"
        + layout_return(
            "AsyncPaginator[BenchmarkDefinitionView, AsyncCursorIDPage[BenchmarkDefinitionView]]", 0
        )
        + "\n    pass\n"
    )
    assert "code_mounts: (\n" in function
    assert function == _black(function)


def _assert_one_pass(files: dict[str, str]) -> None:
    unstable = []
    for path, text in files.items():
        laid_out = layout_source(text)
        if _black(laid_out) != laid_out:
            unstable.append(path)
    assert unstable == []


@pytest.mark.parametrize("spec", [SEED_SPEC, RUNTIME_SPEC], ids=lambda p: p.parent.name)
def test_rendered_files_need_one_black_pass(spec: Path) -> None:
    _assert_one_pass(_rendered(spec))


def test_runloop_files_need_one_black_pass() -> None:
    _assert_one_pass(_rendered(require_shared(RUNLOOP_SPEC)))


@pytest.mark.parametrize("spec", [HOSTILE_SPEC, RUNLOOP_SPEC], ids=lambda p: p.parent.name)
def test_layout_keeps_meaning_and_black_output(spec: Path) -> None:
    """Laying out first changes neither what the code means nor what black makes of it."""
    raw_files = _rendered(require_shared(spec))
    changed = 0
    for path, raw in raw_files.items():
        laid_out = layout_source(raw)
        if laid_out == raw:
            continue
        changed += 1
        assert ast.dump(ast.parse(laid_out)) == ast.dump(ast.parse(raw)), path
        assert _black(laid_out) == _black(raw), path
    assert changed > 0
