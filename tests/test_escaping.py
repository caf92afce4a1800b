"""The escaping filters and name sanitizers hold their promises for any input text."""

from __future__ import annotations

import ast
import io
import keyword
import math
import re
import textwrap
import tokenize
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from support import generate_into, import_package

from generator.fmt import format_source
from generator.naming import (
    MAX_MODULE_NAME,
    RESERVED_CLIENT_ATTRIBUTES,
    RESERVED_MODULE_FILES,
    RESERVED_MODULE_NAMES,
    constant_case,
    identifier,
    module_name,
    package_name,
    pascal_case,
    snake_case,
)
from generator.pysource import comment, docstring, pystr, tomlstr, wrap_paragraphs
from generator.write import unsafe_path_reason

# Characters that broke code generators before, mixed into otherwise arbitrary text.
SPECIAL = [
    '"',
    "'",
    '"""',
    "\\",
    "\\N{",
    "\\U",
    "\n",
    "\r",
    "\r\n",
    "\t",
    " ",
    "  ",
    "\x00",
    "\x0b",
    "\x0c",
    "\x1c",
    "\x7f",
    "\x85",
    "\xa0",
    "\u2028",
    "\u2029",
    "\u202e",
    "\u200b",
    "\ufeff",
    "\ud800",
    "\udfff",
    "\U0001f600",
    "{{",
    "}}",
    "{%",
    "#",
    "- ",
    "1. ",
]
TEXT = st.lists(st.one_of(st.sampled_from(SPECIAL), st.characters()), max_size=40).map("".join)
# Unicode categories no docstring or comment may contain raw.
INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Zl", "Zp"}
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def layout(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(r"[ \n]+", " ", text).strip(" ")


def assert_no_raw_invisible(source: str) -> None:
    for char in source:
        if char in " \n":
            continue
        assert not char.isspace(), repr(char)
        assert unicodedata.category(char) not in INVISIBLE, repr(char)


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(TEXT, children, max_size=4),
    max_leaves=12,
)


@given(JSON)
def test_pystr_evaluates_to_value(value: Any) -> None:
    assert ast.literal_eval(pystr(value)) == value


@pytest.mark.parametrize("value", [math.inf, -math.inf])
def test_pystr_non_finite_float(value: float) -> None:
    assert eval(pystr(value)) == value  # noqa: S307 - our own literal


def test_pystr_nan() -> None:
    assert math.isnan(eval(pystr(math.nan)))  # noqa: S307 - our own literal


def _docstring_value(statement: str, indent: int) -> str | None:
    """Place a docstring statement at `indent` and return its value as Python reads it."""
    if indent == 0:
        source = statement + "\n"
    elif indent == 4:
        source = f"class C:\n    {statement}\n"
    else:
        source = f"class C:\n    def f(self) -> None:\n        {statement}\n"
    tree = ast.parse(source)
    node: ast.AST = tree
    for _ in range(indent // 4):
        node = node.body[0]  # type: ignore[attr-defined]
    return ast.get_docstring(node, clean=False)  # type: ignore[arg-type]


@settings(max_examples=300)
@given(TEXT, st.sampled_from([0, 4, 8]))
@example('ends with a quote "', 0)
@example("ends with a backslash \\", 4)
@example('""""""', 8)
@example('\\"""', 0)
@example("\ud800 lone surrogate", 0)
def test_docstring_keeps_text_as_value(text: str, indent: int) -> None:
    statement = docstring(text, indent)
    if not statement:
        assert layout(text) == ""
        return
    assert_no_raw_invisible(statement)
    statement.encode("utf-8")
    assert layout(_docstring_value(statement, indent) or "") == layout(text)


@settings(max_examples=100, deadline=None)
@given(TEXT)
def test_docstring_survives_black(text: str) -> None:
    statement = docstring(text, 4)
    if not statement:
        return
    source = f"class C:\n    {statement}\n"
    formatted = format_source("test.py", source)
    tree = ast.parse(formatted)
    value = ast.get_docstring(tree.body[0], clean=False)  # type: ignore[arg-type]
    assert layout(value or "") == layout(text)


@given(TEXT)
@example("first\nsecond")
@example("first\rsecond")
@example("first\u2028second")
@example("RLO\u202e")
def test_comment_is_one_safe_line(text: str) -> None:
    line = comment(text)
    assert_no_raw_invisible(line)
    assert "\n" not in line
    line.encode("utf-8")
    source = f"x = 1  # {line}\n"
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    comments = [token for token in tokens if token.type == tokenize.COMMENT]
    assert len(comments) == 1
    assert comments[0].string == f"# {line}"
    visible = [char for char in text if char.isprintable() and not char.isspace()]
    assert _is_subsequence(visible, line)


def _is_subsequence(needles: list[str], haystack: str) -> bool:
    position = 0
    for needle in needles:
        position = haystack.find(needle, position)
        if position < 0:
            return False
        position += 1
    return True


@given(TEXT)
def test_tomlstr_parses_to_value(text: str) -> None:
    tomllib = pytest.importorskip("tomllib")
    expected = "".join("\ufffd" if 0xD800 <= ord(char) <= 0xDFFF else char for char in text)
    assert tomllib.loads(f"value = {tomlstr(text)}\n")["value"] == expected


# A leading letter keeps the paragraph prose: a line starting with "-" is a list item.
PROSE = st.text(alphabet="ab -", max_size=60).map(lambda text: ("a" + text).strip(" "))


@given(PROSE, st.integers(1, 20))
def test_wrap_matches_textwrap_on_plain_text(text: str, width: int) -> None:
    expected = textwrap.fill(text, width, break_long_words=False, break_on_hyphens=False)
    assert wrap_paragraphs(text, width) == expected


def test_wrap_keeps_tabs_and_controls_as_content() -> None:
    text = "a\tb c\x0cd e\x1cf " + "word " * 30
    wrapped = wrap_paragraphs(text, 20)
    assert "a\tb" in wrapped
    assert "c\x0cd" in wrapped
    assert "e\x1cf" in wrapped
    assert max(len(line) for line in wrapped.split("\n")) <= 20


# -- names ----------------------------------------------------------------------------


def assert_safe_identifier(name: str) -> None:
    assert IDENTIFIER.fullmatch(name), name
    assert not keyword.iskeyword(name), name
    assert not (name.startswith("__") and name.endswith("__")), name


@given(TEXT)
@example("class")
@example("__init__")
@example("None")
@example("123abc")
@example("../../etc/x")
@example("")
def test_identifier_sanitizers_emit_safe_names(text: str) -> None:
    for convert in (identifier, snake_case, pascal_case, constant_case):
        assert_safe_identifier(convert(text))


@given(st.lists(TEXT, max_size=30))
@example(["Foo", "foo", "FOO"])
@example(["CON", "con", "Con", "nul", "aux", "com1", "LPT9"])
@example(["A" * 500, "A" * 501])
@example(["importlib", "__init__"])
def test_module_names_file_safe_and_distinct(texts: list[str]) -> None:
    taken = set(RESERVED_MODULE_FILES)
    names = [module_name(text, taken) for text in texts]
    folded = [name.casefold() for name in names]
    assert len(set(folded)) == len(folded)
    for name in names:
        assert_safe_identifier(name)
        assert name not in RESERVED_MODULE_FILES
        assert unsafe_path_reason(f"src/pkg/types/{name}.py") is None, name
        assert len(name) <= MAX_MODULE_NAME + 8


@given(TEXT)
@example("CON")
@example("typing")
@example("httpx")
@example("A" * 3000)
def test_package_name_file_safe(text: str) -> None:
    name = package_name(text)
    assert_safe_identifier(name)
    assert unsafe_path_reason(f"src/{name}/__init__.py") is None
    assert name not in ("httpx", "typing", "os", "importlib")
    assert len(name) <= MAX_MODULE_NAME + 1


# -- reserved sets stay in step with the templates and the runtime ---------------------


def test_reserved_module_names_cover_render_imports() -> None:
    from generator.render import _MODEL_FILE_CANDIDATES, _RESOURCE_CANDIDATES

    for name in {*_MODEL_FILE_CANDIDATES, *_RESOURCE_CANDIDATES}:
        if not name.startswith("_"):
            assert name in RESERVED_MODULE_NAMES, name


def test_reserved_client_attributes_cover_clients(tmp_path: Path) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: Empty API, version: '1'}\npaths: {}\n", encoding="utf-8"
    )
    package = import_package(generate_into(spec, tmp_path / "out") / "src", "empty_api_client")
    for client_class in (package.Empty, package.AsyncEmpty):
        client = client_class(base_url="http://127.0.0.1:1")
        public = [name for name in dir(client) if not name.startswith("_")]
        assert "base_url" in public
        for name in public:
            assert name in RESERVED_CLIENT_ATTRIBUTES, (client_class.__name__, name)
