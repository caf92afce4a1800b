"""Turn IR values into Python source fragments: literals, docstrings, annotations, conversions.

These are the only ways spec text reaches generated code. Each returns text
that is valid Python for its context whatever the input: string literals are
built with `repr`, docstrings have every backslash, quote and control
character escaped, and comments are flattened to one printable line.
"""

from __future__ import annotations

import io
import math
import re
import tokenize
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import Literal, Protocol, TypeVar

from . import ir

GENERATED_HEADER = "# File generated from an OpenAPI spec by sdkgen {version}. Do not edit."

# Unicode categories that a docstring or comment shows only as an escape: control
# characters, invisible format characters (bidirectional overrides, zero-width
# characters, the byte order mark), surrogates, private use, line and paragraph
# separators. Unassigned code points (Cn) stay as they are: escaping them would tie
# the output to the Unicode version of the Python that runs the generator.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})

_ASCII_DOCSTRING_ESCAPES = {"\\": "\\\\", "\t": "\\t"}


def pystr(value: object) -> str:
    """Return a Python literal for a JSON scalar (or a tuple/list/dict of them).

    Strings go through `repr`, which escapes quotes, backslashes and every character
    that is not printable, so the literal evaluates to exactly the input.
    """
    if isinstance(value, float) and not math.isfinite(value):
        return f'float("{value}")'
    if isinstance(value, (str, int, float, bool)) or value is None:
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(pystr(item) for item in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{pystr(str(k))}: {pystr(v)}" for k, v in value.items()) + "}"
    return repr(str(value))


def _is_invisible(char: str) -> bool:
    """Tell whether a character must appear escaped in a docstring: layout is space and newline only."""
    if char == " " or char == "\n":
        return False
    return char.isspace() or unicodedata.category(char) in _INVISIBLE_CATEGORIES


def _escape_char(char: str) -> str:
    code = ord(char)
    if char in _ASCII_DOCSTRING_ESCAPES:
        return _ASCII_DOCSTRING_ESCAPES[char]
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def docstring_text(text: str) -> str:
    """Escape text for the inside of a triple-double-quoted, non-raw docstring.

    Line endings become `\n`, spaces at line ends and blank lines at either end are
    dropped. Every other character survives: the docstring's value is the text. A
    backslash, a quote that would start or end the closing triple quote, and every
    invisible character (see `_INVISIBLE_CATEGORIES`, plus whitespace other than
    space and newline) is written as an escape sequence.
    """
    lines = [line.rstrip(" ") for line in _normalize_newlines(text).split("\n")]
    text = "\n".join(lines).strip(" \n")
    if text.isascii() and text.isprintable() and "\\" not in text and '"' not in text:
        return text  # the common case: nothing to escape

    escaped: list[str] = []
    last = len(text) - 1
    for position, char in enumerate(text):
        if char == '"':
            # A quote is escaped when two more follow (no `"""` can form) and at the
            # very end (the closing quotes would otherwise become `""""`).
            if position == last or text.startswith('""', position + 1):
                escaped.append('\\"')
            else:
                escaped.append(char)
        elif char == "\\" or _is_invisible(char):
            escaped.append(_escape_char(char))
        else:
            escaped.append(char)
    return "".join(escaped)


_LIST_LINE = re.compile(r"^\s*([-*+]|\d+[.)]|#|\||>|```)")
_SPACES = re.compile(r"( +)")
DOCSTRING_WIDTH = 88


def _fill(text: str, width: int) -> str:
    """Wrap text at spaces, never inside a word; only spaces count as word separators.

    This is `textwrap.fill` with `break_long_words=False`, except that tabs, form feeds
    and other whitespace stay content instead of becoming spaces or break points.
    """
    lines: list[str] = []
    current: list[str] = []
    length = 0
    for chunk in _SPACES.split(text):
        if not chunk:
            continue
        if chunk[0] == " ":
            if current:
                current.append(chunk)
                length += len(chunk)
            continue
        if current and length + len(chunk) > width:
            while current and current[-1][0] == " ":
                length -= len(current.pop())
            lines.append("".join(current))
            current, length = [], 0
        current.append(chunk)
        length += len(chunk)
    while current and current[-1][0] == " ":
        current.pop()
    if current:
        lines.append("".join(current))
    return "\n".join(lines)


def wrap_paragraphs(text: str, width: int) -> str:
    """Wrap long prose paragraphs; lists, tables, headings and code keep their lines."""
    paragraphs = _normalize_newlines(text).split("\n\n")
    wrapped: list[str] = []
    for paragraph in paragraphs:
        lines = paragraph.split("\n")
        if any(_LIST_LINE.match(line) or line[:1].isspace() for line in lines):
            wrapped.append(paragraph)
            continue
        joined = " ".join(line.strip(" ") for line in lines)
        wrapped.append(_fill(joined, width))
    return "\n\n".join(wrapped)


def docstring(text: str | None, indent: int = 0) -> str:
    """Return a complete docstring statement (with quotes), indented for continuation lines."""
    if not text:
        return ""
    body = docstring_text(wrap_paragraphs(text, max(40, DOCSTRING_WIDTH - indent)))
    if not body:
        return ""
    pad = " " * indent
    body = body.replace("\n", "\n" + pad).replace("\n" + pad + "\n", "\n\n")
    if "\n" in body:
        return f'"""{body}\n{pad}"""'
    return f'"""{body}"""'


def comment(text: str | None) -> str:
    """Flatten text to one line that is safe after a `#` and in Markdown prose.

    Runs of whitespace and control characters become one space, and invisible
    format characters, surrogates and private-use characters are written as
    `\\uXXXX`, so no line break or bidirectional override reaches the output.
    """
    if not text:
        return ""
    if text.isascii() and text.isprintable():
        return text.strip(" ")
    parts: list[str] = []
    for char in text:
        if char.isspace() or unicodedata.category(char) in ("Cc", "Zl", "Zp"):
            if parts and parts[-1] != " ":
                parts.append(" ")
        elif unicodedata.category(char) in _INVISIBLE_CATEGORIES:
            parts.append(_escape_char(char))
        else:
            parts.append(char)
    return "".join(parts).strip(" ")


def tomlstr(value: str) -> str:
    """Return a TOML basic string (double-quoted) whose value is `value`.

    TOML allows no raw control characters in a basic string and no surrogate in a
    `\\u` escape, so controls are escaped and a lone surrogate becomes U+FFFD.
    """
    parts = ['"']
    for char in value:
        code = ord(char)
        if char == '"' or char == "\\":
            parts.append("\\" + char)
        elif code < 0x20 or code == 0x7F:
            parts.append(f"\\u{code:04x}")
        elif 0xD800 <= code <= 0xDFFF:
            parts.append("\ufffd")
        else:
            parts.append(char)
    parts.append('"')
    return "".join(parts)


class TypeRenderer:
    """Renders annotations and JSON conversion expressions for IR types.

    `models` maps class names to their IR model so enum and alias references
    can be rendered differently from dataclass references.
    """

    def __init__(self, models: Mapping[str, ir.AnyModel]) -> None:
        self.models = models
        # Typing names the rendered annotations refer to, so each file imports exactly those.
        self.typing_used: set[str] = set()

    # -- annotations ---------------------------------------------------------

    def annotation(self, type_ref: ir.TypeRef, *, input_side: bool = False) -> str:
        if isinstance(type_ref, ir.PrimitiveType):
            return _PRIMITIVE_ANNOTATIONS[type_ref.kind]
        if isinstance(type_ref, ir.NamedType):
            model = self.models.get(type_ref.name)
            if isinstance(model, ir.EnumModel):
                # Values a newer server sends that this SDK does not know stay plain values.
                return f"{type_ref.name} | {model.base}"
            if isinstance(model, ir.Model) and input_side:
                self.typing_used.add("Mapping")
                return f"{type_ref.name} | Mapping[str, object]"
            return type_ref.name
        if isinstance(type_ref, ir.ListType):
            item = self.annotation(type_ref.item, input_side=input_side)
            if input_side:
                self.typing_used.add("Sequence")
                return f"Sequence[{item}]"
            return f"list[{item}]"
        if isinstance(type_ref, ir.MapType):
            value = self.annotation(type_ref.value, input_side=input_side)
            if input_side:
                self.typing_used.add("Mapping")
                return f"Mapping[str, {value}]"
            return f"dict[str, {value}]"
        if isinstance(type_ref, ir.LiteralType):
            self.typing_used.add("Literal")
            return "Literal[" + ", ".join(pystr(value) for value in type_ref.values) + "]"
        if isinstance(type_ref, ir.UnionType):
            parts: list[str] = []
            for variant in type_ref.variants:
                for part in self.annotation(variant, input_side=input_side).split(" | "):
                    if part not in parts:
                        parts.append(part)
            return " | ".join(parts)
        if isinstance(type_ref, ir.NullableType):
            inner = self.annotation(type_ref.inner, input_side=input_side)
            return inner if inner in ("object", "None") else f"{inner} | None"
        raise TypeError(f"unknown IR type {type_ref!r}")

    def names_used(self, type_ref: ir.TypeRef) -> set[str]:
        """Class names an annotation or conversion of this type refers to."""
        if isinstance(type_ref, ir.NamedType):
            return {type_ref.name}
        if isinstance(type_ref, ir.ListType):
            return self.names_used(type_ref.item)
        if isinstance(type_ref, ir.MapType):
            return self.names_used(type_ref.value)
        if isinstance(type_ref, ir.NullableType):
            return self.names_used(type_ref.inner)
        if isinstance(type_ref, ir.UnionType):
            names: set[str] = set()
            for variant in type_ref.variants:
                names |= self.names_used(variant)
            return names
        return set()

    # -- conversions ---------------------------------------------------------

    def from_json(self, type_ref: ir.TypeRef, expr: str, depth: int = 0) -> str:
        """Return an expression converting the JSON value `expr` to the annotated type."""
        if isinstance(type_ref, ir.NamedType):
            model = self.models.get(type_ref.name)
            if isinstance(model, ir.EnumModel):
                return f"_enum({type_ref.name}, {expr})"
            if isinstance(model, ir.AliasModel):
                return f"parse_{model.module}({expr})"
            return f"{type_ref.name}.from_dict({expr})"
        if isinstance(type_ref, ir.ListType):
            var = f"_i{depth}"
            inner = self.from_json(type_ref.item, var, depth + 1)
            return expr if inner == var else f"[{inner} for {var} in {expr}]"
        if isinstance(type_ref, ir.MapType):
            key, var = f"_k{depth}", f"_v{depth}"
            inner = self.from_json(type_ref.value, var, depth + 1)
            return (
                expr if inner == var else f"{{{key}: {inner} for {key}, {var} in {expr}.items()}}"
            )
        if isinstance(type_ref, ir.NullableType):
            var = f"_n{depth}"
            inner = self.from_json(type_ref.inner, var, depth + 1)
            return expr if inner == var else f"(None if ({var} := {expr}) is None else {inner})"
        if isinstance(type_ref, ir.UnionType):
            return self._union_from_json(type_ref, expr)
        return expr

    def _union_from_json(self, union: ir.UnionType, expr: str) -> str:
        parsers: list[str] = []
        for variant in union.variants:
            if isinstance(variant, ir.NamedType):
                model = self.models.get(variant.name)
                if isinstance(model, ir.Model):
                    parsers.append(variant.name)
        if not parsers:
            return expr
        if union.discriminator is not None and union.discriminator.mapping:
            mapping = ", ".join(
                f"{pystr(tag)}: {name}" for tag, name in union.discriminator.mapping
            )
            return f"_tagged({expr}, {pystr(union.discriminator.wire_name)}, {{{mapping}}})"
        return f"_untagged({expr}, ({', '.join(parsers)},))"

    def to_json(self, type_ref: ir.TypeRef, expr: str) -> str:
        """Return an expression converting the attribute `expr` back to JSON."""
        if self._is_plain(type_ref):
            return expr
        return f"_to_json({expr})"

    def _is_plain(self, type_ref: ir.TypeRef) -> bool:
        if isinstance(type_ref, ir.PrimitiveType):
            return type_ref.kind != "any"
        if isinstance(type_ref, ir.LiteralType):
            return True
        if isinstance(type_ref, (ir.ListType,)):
            return self._is_plain(type_ref.item)
        if isinstance(type_ref, ir.MapType):
            return self._is_plain(type_ref.value)
        if isinstance(type_ref, ir.NullableType):
            return self._is_plain(type_ref.inner)
        return False

    def needs(self, type_ref: ir.TypeRef, helper: str) -> bool:
        """Tell whether conversions of this type call the runtime helper `helper`."""
        return helper in self.from_json(type_ref, "x") or helper in self.to_json(type_ref, "x")


_PRIMITIVE_ANNOTATIONS: dict[str, str] = {
    "str": "str",
    "int": "int",
    "float": "float",
    "bool": "bool",
    "bytes": "bytes",
    "any": "object",
    "none": "None",
    "datetime": "datetime",
    "date": "date",
}


def strongly_connected(graph: Mapping[str, set[str]]) -> dict[str, int]:
    """Number the strongly connected components of a dependency graph (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    component: dict[str, int] = {}
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, list[str]]] = [(root, sorted(graph.get(root, ())))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, pending = work[-1]
            if pending:
                child = pending.pop()
                if child not in graph:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, sorted(graph.get(child, ()))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component[member] = index[node]
                    if member == node:
                        break
    return component


Converter = Callable[[ir.TypeRef, str], str]


IMPORTS_MARKER = "# sdkgen: imports"


class _HasModule(Protocol):
    @property
    def module(self) -> str: ...


_HasModuleT = TypeVar("_HasModuleT", bound=_HasModule)

ImportSection = Literal["stdlib", "third_party", "local"]


def _used_names(text: str) -> set[str]:
    names: set[str] = set()
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    try:
        for token in tokens:
            if token.type == tokenize.NAME:
                names.add(token.string)
    except (tokenize.TokenError, SyntaxError):
        # Unbalanced code is a template bug; black reports it with a location.
        pass
    return names


_DIGITS = re.compile(r"(\d+)")


def _natural(text: str) -> tuple[str | int, ...]:
    """Order digit runs by value, as ruff does: `Foo_2` before `Foo_10`."""
    return tuple(int(part) if part.isdigit() else part for part in _DIGITS.split(text))


def _member_category(name: str) -> int:
    # ruff's order by type: CONSTANTS, then Classes, then other names.
    if name.isupper() and len(name) > 1:
        return 0
    if name[:1].isupper():
        return 1
    return 2


def _member_key(name: str) -> tuple[int, tuple[str | int, ...], tuple[str | int, ...]]:
    """Order names in a `from x import a, b` line as ruff's isort does: case-insensitively."""
    return (_member_category(name), _natural(name.lower()), _natural(name))


def _all_key(name: str) -> tuple[int, tuple[str | int, ...]]:
    """Order `__all__` entries as ruff's RUF022 does: case-sensitively."""
    return (_member_category(name), _natural(name))


def finalize_imports(text: str, candidates: Mapping[str, tuple[ImportSection, str]]) -> str:
    """Replace the imports marker with sorted imports of the candidates the code uses.

    `candidates` maps an importable name to its section and module
    (`"Mapping": ("stdlib", "collections.abc")`). Names are found with the
    tokenizer, so a name inside a string or docstring does not count as used.
    """
    used = _used_names(text.replace(IMPORTS_MARKER, ""))
    grouped: dict[ImportSection, dict[str, list[str]]] = {
        "stdlib": {},
        "third_party": {},
        "local": {},
    }
    for name, (section, module) in candidates.items():
        if name in used:
            grouped[section].setdefault(module, []).append(name)
    blocks: list[str] = []
    for section in ("stdlib", "third_party", "local"):
        modules = grouped[section]
        if not modules:
            continue

        def module_key(module: str) -> tuple[int, tuple[str | int, ...]]:
            # Relative imports go furthest first: `..x` before `.y`.
            level = len(module) - len(module.lstrip("."))
            return (-level, _natural(module.lstrip(".").lower()))

        lines = [
            f"from {module} import {', '.join(sorted(modules[module], key=_member_key))}"
            for module in sorted(modules, key=module_key)
        ]
        blocks.append("\n".join(lines))
    return text.replace(IMPORTS_MARKER, "\n\n".join(blocks))


def sort_all(names: list[str]) -> list[str]:
    """Sort `__all__` entries the way ruff's RUF022 expects."""
    return sorted(dict.fromkeys(names), key=_all_key)


def module_sort_key(module: str) -> tuple[str | int, ...]:
    """Order module names as ruff's isort does: case-insensitively, digit runs by value."""
    return _natural(module.lower())


def sort_by_module(items: Iterable[_HasModuleT]) -> list[_HasModuleT]:
    """Sort models or resources by module name, the order ruff's isort gives their imports."""
    return sorted(items, key=lambda item: module_sort_key(item.module))


def sort_imports(names: list[str]) -> list[str]:
    """Sort the names of one `from module import ...` statement the way ruff's isort expects."""
    return sorted(dict.fromkeys(names), key=_member_key)
