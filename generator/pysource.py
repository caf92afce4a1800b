"""Turn IR values into Python source fragments: literals, docstrings, annotations, conversions.

These are the only ways spec text reaches generated code. Each returns text
that is valid Python for its context whatever the input: string literals are
built with `repr`, docstrings have every backslash, quote and control
character escaped, and comments are flattened to one printable line.
"""

from __future__ import annotations

import functools
import io
import math
import re
import tokenize
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal, Protocol, TypeVar

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
    if isinstance(value, str):
        literal = repr(value)
        if literal[0] == "'" and '"' not in value:
            # black prefers double quotes. `repr` chose single quotes, so the text
            # contains no quote character of either kind.
            return f'"{literal[1:-1]}"'
        return literal
    if isinstance(value, (int, float, bool)) or value is None:
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(pystr(item) for item in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{pystr(str(k))}: {pystr(v)}" for k, v in value.items()) + "}"
    return pystr(str(value))


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
    body = _dedent_continuation(
        docstring_text(wrap_paragraphs(text, max(40, DOCSTRING_WIDTH - indent)))
    )
    if not body:
        return ""
    pad = " " * indent
    body = body.replace("\n", "\n" + pad).replace("\n" + pad + "\n", "\n\n")
    if "\n" in body:
        return f'"""{body}\n{pad}"""'
    return f'"""{body}"""'


def _dedent_continuation(body: str) -> str:
    """Remove the indentation all lines after the first share, as black does to docstrings."""
    lines = body.split("\n")
    widths = [len(line) - len(line.lstrip(" ")) for line in lines[1:] if line.strip(" ")]
    common = min(widths, default=0)
    if not common:
        return body
    return "\n".join([lines[0], *(line[common:] for line in lines[1:])])


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

    Conversions are expressions, so `from_dict` stays straight-line code: a
    value whose type needs no conversion (strings, numbers, literals, lists
    and maps of them) is used as it is, and everything else calls a class
    method or one helper of the generated `_models.py`.
    """

    def __init__(self, models: Mapping[str, ir.AnyModel]) -> None:
        self.models = models
        # Typing names the rendered annotations refer to, so each file imports exactly those.
        self.typing_used: set[str] = set()

    # -- annotations ---------------------------------------------------------

    def annotation(self, type_ref: ir.TypeRef, *, input_side: bool = False) -> str:
        if isinstance(type_ref, ir.PrimitiveType):
            if type_ref.kind == "bytes" and not input_side:
                # JSON carries `format: binary` strings as text; only uploads send bytes.
                return "str"
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
            for variant in _merged_literals(type_ref.variants):
                for part in _split_union(self.annotation(variant, input_side=input_side)):
                    if part not in parts:
                        parts.append(part)
            if "object" in parts:
                return "object"
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

    def converts(self, type_ref: ir.TypeRef, seen: frozenset[str] = frozenset()) -> bool:
        """Tell whether decoded JSON of this type must be converted to become the attribute."""
        if isinstance(type_ref, ir.PrimitiveType):
            return type_ref.kind in ("datetime", "date")
        if isinstance(type_ref, ir.NamedType):
            model = self.models.get(type_ref.name)
            if isinstance(model, ir.AliasModel):
                if type_ref.name in seen:
                    return False
                return self.converts(model.target, seen | {type_ref.name})
            return model is not None
        if isinstance(type_ref, (ir.ListType,)):
            return self.converts(type_ref.item, seen)
        if isinstance(type_ref, ir.MapType):
            return self.converts(type_ref.value, seen)
        if isinstance(type_ref, ir.NullableType):
            return self.converts(type_ref.inner, seen)
        if isinstance(type_ref, ir.UnionType):
            return any(self.converts(variant, seen) for variant in type_ref.variants)
        return False

    def from_json(self, type_ref: ir.TypeRef, expr: str, depth: int = 0) -> str:
        """Return an expression converting the JSON value `expr` to the annotated type."""
        if not self.converts(type_ref):
            return expr
        if isinstance(type_ref, ir.PrimitiveType):
            return f"_parse_{type_ref.kind}({expr})"
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
            return f"[{inner} for {var} in {expr}]"
        if isinstance(type_ref, ir.MapType):
            key, var = f"_k{depth}", f"_v{depth}"
            inner = self.from_json(type_ref.value, var, depth + 1)
            return f"{{{key}: {inner} for {key}, {var} in {expr}.items()}}"
        if isinstance(type_ref, ir.NullableType):
            var = f"_n{depth}"
            inner = self.from_json(type_ref.inner, var, depth + 1)
            return f"(None if ({var} := {expr}) is None else {inner})"
        if isinstance(type_ref, ir.UnionType):
            return self._union_from_json(type_ref, expr, depth)
        return expr

    def _union_from_json(self, union: ir.UnionType, expr: str, depth: int) -> str:
        """Convert a union member: its JSON kind picks the branch, a tag or its keys the class.

        Branches whose variants need no conversion are left out; a value of a
        kind no variant converts is kept as it is.
        """
        var = f"_u{depth}"
        by_kind = {
            kind: [variant for variant in union.variants if kind in self.json_kinds(variant)]
            for kind, _ in _KIND_CHECKS
        }
        converting = {
            kind: [variant for variant in variants if self.converts(variant)]
            for kind, variants in by_kind.items()
        }
        if [kind for kind, variants in converting.items() if variants] == ["object"]:
            if len(by_kind["object"]) > 1:
                # The tag and shape helpers keep values that are not objects as they are.
                return self._object_branch(union, by_kind["object"], expr, depth)

        branches: list[tuple[str, str]] = []
        for kind, check in _KIND_CHECKS:
            if not converting[kind]:
                continue
            if kind == "object":
                converter = self._object_branch(union, by_kind[kind], var, depth)
            elif kind == "array":
                converter = self.from_json(_merged_lists(converting[kind]), var, depth + 1)
            else:
                # NOTE: of several string (or integer) variants that convert, the first
                # listed wins; the others see its result.
                converter = self.from_json(converting[kind][0], var, depth + 1)
            branches.append((check.format(var=var), converter))
        if not branches:
            return expr
        first_check, first_converter = branches[0]
        parts = [f"{first_converter} if {first_check.replace(var, f'({var} := {expr})', 1)}"]
        parts.extend(f"{converter} if {check}" for check, converter in branches[1:])
        return "(" + " else ".join(parts) + f" else {var})"

    def _object_branch(
        self, union: ir.UnionType, variants: list[ir.TypeRef], expr: str, depth: int
    ) -> str:
        if len(variants) == 1:
            return self.from_json(variants[0], expr, depth + 1)
        tagged: dict[str, str] = {}
        if union.discriminator is not None:
            for tag, class_name in union.discriminator.mapping:
                if isinstance(self.models.get(class_name), ir.Model):
                    tagged[tag] = class_name
        shapes = [
            self._shape(variant, depth)
            for variant in variants
            if not (isinstance(variant, ir.NamedType) and variant.name in tagged.values())
        ]
        shape_tuple = _tuple_source(shapes)
        if tagged and union.discriminator is not None:
            mapping = ", ".join(f"{pystr(tag)}: {name}" for tag, name in tagged.items())
            tag_name = pystr(union.discriminator.wire_name)
            return f"_tagged({expr}, {tag_name}, {{{mapping}}}, {shape_tuple})"
        return f"_by_shape({expr}, {shape_tuple})"

    def _shape(self, variant: ir.TypeRef, depth: int) -> str:
        """Return `(parse, required keys, known keys and kinds)` for `_by_shape`."""
        model = self.models.get(variant.name) if isinstance(variant, ir.NamedType) else None
        if isinstance(model, ir.Model) and isinstance(variant, ir.NamedType):
            required = [f.wire_name for f in model.fields if f.required and not f.write_only]
            known = []
            for field in model.fields:
                kinds = self.json_kinds(field.type)
                if field.nullable or not field.required:
                    kinds.add("null")
                allowed = "" if kinds >= _ALL_KINDS else " ".join(sorted(kinds))
                known.append(f"({pystr(field.wire_name)}, {pystr(allowed)})")
            known_tuple = _tuple_source(known)
            return f"({variant.name}.from_dict, {_tuple_literal(required)}, {known_tuple})"
        if self.converts(variant):
            var = f"_s{depth}"
            return f"(lambda {var}: {self.from_json(variant, var, depth + 1)}, (), ())"
        return "(None, (), ())"

    def json_kinds(self, type_ref: ir.TypeRef, seen: frozenset[str] = frozenset()) -> set[str]:
        """The JSON kinds (object, array, string, integer, number, boolean, null) a type accepts."""
        if isinstance(type_ref, ir.PrimitiveType):
            return set(_PRIMITIVE_KINDS[type_ref.kind])
        if isinstance(type_ref, ir.LiteralType):
            return {_literal_kind(value) for value in type_ref.values}
        if isinstance(type_ref, ir.NamedType):
            model = self.models.get(type_ref.name)
            if isinstance(model, ir.EnumModel):
                return {"string"} if model.base == "str" else {"integer"}
            if isinstance(model, ir.AliasModel) and type_ref.name not in seen:
                return self.json_kinds(model.target, seen | {type_ref.name})
            return {"object"}
        if isinstance(type_ref, ir.ListType):
            return {"array"}
        if isinstance(type_ref, ir.MapType):
            return {"object"}
        if isinstance(type_ref, ir.NullableType):
            return self.json_kinds(type_ref.inner, seen) | {"null"}
        kinds: set[str] = set()
        for variant in type_ref.variants:
            kinds |= self.json_kinds(variant, seen)
        return kinds

    def to_json(self, type_ref: ir.TypeRef, expr: str) -> str:
        """Return an expression converting the attribute `expr` back to JSON."""
        if self._is_plain(type_ref):
            return expr
        return f"_to_json({expr})"

    def _is_plain(self, type_ref: ir.TypeRef) -> bool:
        if isinstance(type_ref, ir.PrimitiveType):
            return type_ref.kind not in ("any", "datetime", "date")
        return not self.converts(type_ref) and not _has_any(type_ref)

    def needs(self, type_ref: ir.TypeRef, helper: str) -> bool:
        """Tell whether conversions of this type call the runtime helper `helper`."""
        return helper in self.from_json(type_ref, "x") or helper in self.to_json(type_ref, "x")


# Checks for each JSON kind a union branch can convert, most common first. `bool` is
# a subclass of `int`, so integers are matched by exact type.
_KIND_CHECKS: tuple[tuple[str, str], ...] = (
    ("object", "isinstance({var}, dict)"),
    ("array", "isinstance({var}, list)"),
    ("string", "isinstance({var}, str)"),
    ("integer", "type({var}) is int"),
)

_PRIMITIVE_KINDS: dict[str, tuple[str, ...]] = {
    "str": ("string",),
    "bytes": ("string",),
    "datetime": ("string",),
    "date": ("string",),
    "int": ("integer",),
    "float": ("number", "integer"),
    "bool": ("boolean",),
    "none": ("null",),
    "any": ("object", "array", "string", "integer", "number", "boolean", "null"),
}


_ALL_KINDS = frozenset(_PRIMITIVE_KINDS["any"])


def _literal_kind(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return "string"


def _merged_lists(variants: list[ir.TypeRef]) -> ir.TypeRef:
    """Treat several array variants as one array whose items may be any of their item types."""
    lists = [variant for variant in variants if isinstance(variant, ir.ListType)]
    if len(lists) != len(variants) or len(lists) == 1:
        return variants[0]
    items: list[ir.TypeRef] = []
    for variant in lists:
        if variant.item not in items:
            items.append(variant.item)
    return ir.ListType(item=ir.UnionType(variants=tuple(items)))


def _has_any(type_ref: ir.TypeRef) -> bool:
    if isinstance(type_ref, ir.PrimitiveType):
        return type_ref.kind == "any"
    if isinstance(type_ref, ir.ListType):
        return _has_any(type_ref.item)
    if isinstance(type_ref, ir.MapType):
        return _has_any(type_ref.value)
    if isinstance(type_ref, ir.NullableType):
        return _has_any(type_ref.inner)
    if isinstance(type_ref, ir.UnionType):
        return any(_has_any(variant) for variant in type_ref.variants)
    return False


def _tuple_literal(items: list[str]) -> str:
    return _tuple_source([pystr(item) for item in items])


def _tuple_source(items: list[str]) -> str:
    """Write a tuple display as black does: `()`, `(a,)`, `(a, b)`."""
    if len(items) == 1:
        return f"({items[0]},)"
    return "(" + ", ".join(items) + ")"


def _merged_literals(variants: tuple[ir.TypeRef, ...]) -> list[ir.TypeRef]:
    """Join literal variants into one `Literal[...]`, where the first of them stood."""
    values: dict[tuple[str, object], str | int | float | bool] = {}
    merged: list[ir.TypeRef] = []
    for variant in variants:
        if isinstance(variant, ir.LiteralType):
            if not values:
                merged.append(variant)
            values.update(((type(value).__name__, value), value) for value in variant.values)
        else:
            merged.append(variant)
    return [
        ir.LiteralType(values=tuple(values.values())) if isinstance(v, ir.LiteralType) else v
        for v in merged
    ]


def _split_union(annotation: str) -> list[str]:
    """Split `A | B[C | D]` at its top-level bars only."""
    parts: list[str] = []
    depth = 0
    current = ""
    for char in annotation:
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        if char == "|" and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    return parts


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

# How a name is written when a field of the same name hides it inside a class body,
# and the import that makes the qualified form work.
_QUALIFIED_NAMES: dict[str, tuple[str, str]] = {
    **{
        name: (f"builtins.{name}", "import builtins")
        for name in ("bool", "bytes", "dict", "float", "int", "list", "object", "str", "tuple")
    },
    "Any": ("typing.Any", "import typing"),
    "Literal": ("typing.Literal", "import typing"),
    "Mapping": ("collections.abc.Mapping", "import collections.abc"),
    "field": ("dataclasses.field", "import dataclasses"),
    "datetime": ("_dt.datetime", "import datetime as _dt"),
    "date": ("_dt.date", "import datetime as _dt"),
}


def qualify_shadowed(code: str, shadowed: set[str], imports: set[str]) -> str:
    """Rewrite names in `code` that fields of the enclosing class hide (`object` -> `builtins.object`).

    Adds the import each rewritten name needs to `imports`. Only whole names are
    rewritten, never attributes (`x.object`) or text inside string literals.
    """
    if not shadowed & _QUALIFIED_NAMES.keys():
        return code
    tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    pieces: list[str] = []
    position = 0
    previous = ""
    for token in tokens:
        if token.type == tokenize.ENDMARKER:
            break
        start = token.start[1]
        if token.type == tokenize.NAME and token.string in shadowed and previous != ".":
            qualified = _QUALIFIED_NAMES.get(token.string)
            if qualified is not None:
                pieces.append(code[position:start])
                pieces.append(qualified[0])
                imports.add(qualified[1])
                position = token.end[1]
        if token.type not in (tokenize.NEWLINE, tokenize.NL):
            previous = token.string
    pieces.append(code[position:])
    return "".join(pieces)


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


# Tokens that `_used_names` distinguishes: strings (f-strings included, whose contents
# count as text, so every Python version reads the same names), comments, numbers,
# names, line breaks and single operators. A backslash-newline joins lines.
_USED_NAMES_TOKEN = re.compile(
    r"""
    (?P<string>(?:[rRbBuUfF]{1,2})?(?:\"\"\"(?:[^"\\]|\\.|"(?!""))*(?:\"\"\"|$)
        |'''(?:[^'\\]|\\.|'(?!''))*(?:'''|$)
        |"(?:[^"\\\n]|\\.)*"?
        |'(?:[^'\\\n]|\\.)*'?))
    |(?P<comment>\#[^\n]*)
    |(?P<number>(?:[0-9]|\.[0-9])(?:[eE][-+]|[A-Za-z0-9_.])*)
    |(?P<name>[^\W\d]\w*)
    |(?P<newline>\n)
    |(?P<space>[ \t\f]+|\\\n)
    |(?P<op>\.\.\.|:=|->|\*\*|//|[<>=!]=|.)
    """,
    re.VERBOSE | re.DOTALL,
)


def _used_names(text: str) -> set[str]:
    """Names the code reads from the module scope.

    Attribute names (`obj.field`), annotated assignment targets at the start of
    a line (a dataclass field `field: str`) and names on import lines do not
    count, so a field named like an importable name does not import it.
    """
    names: set[str] = set()
    # (kind, text) of every token but spaces; a regular expression instead of the
    # `tokenize` module, which took a third of the rendering time.
    tokens = [
        (match.lastgroup, match.group())
        for match in _USED_NAMES_TOKEN.finditer(text)
        if match.lastgroup != "space"
    ]
    line_start = True
    import_line = False
    for index, (kind, value) in enumerate(tokens):
        if kind == "newline":
            line_start = True
            import_line = False
            continue
        if kind == "comment":
            continue
        starts_line, line_start = line_start, False
        if starts_line and value in ("import", "from"):
            import_line = True
        if kind != "name" or import_line:
            continue
        if index > 0 and tokens[index - 1][1] == ".":
            continue
        following = tokens[index + 1][1] if index + 1 < len(tokens) else ""
        if starts_line and following == ":":
            continue
        names.add(value)
    return names


def _natural_compare(left: str, right: str) -> int:
    """Compare like the `natord` ordering ruff uses for imports and `__all__`.

    Runs of digits compare by value (`c2` < `c12`), except that a run starting
    with `0` compares digit by digit, like a decimal fraction (`c02` < `c1`).
    """
    i = j = 0
    while i < len(left) and j < len(right):
        a, b = left[i], right[j]
        if a.isdigit() and b.isdigit():
            i_end, j_end = i, j
            while i_end < len(left) and left[i_end].isdigit():
                i_end += 1
            while j_end < len(right) and right[j_end].isdigit():
                j_end += 1
            first, second = left[i:i_end], right[j:j_end]
            if a == "0" or b == "0":
                result = (first > second) - (first < second)
            else:
                result = (len(first) > len(second)) - (len(first) < len(second)) or (
                    (first > second) - (first < second)
                )
            if result:
                return result
            i, j = i_end, j_end
            continue
        if a != b:
            return -1 if a < b else 1
        i += 1
        j += 1
    return (len(left) - i > len(right) - j) - (len(left) - i < len(right) - j)


natural_key = functools.cmp_to_key(_natural_compare)


def _member_key(name: str) -> tuple[int, Any]:
    # ruff's isort order: CONSTANTS, then Classes, then other names.
    if name.isupper() and len(name) > 1:
        return (0, natural_key(name))
    if name[:1].isupper():
        return (1, natural_key(name))
    return (2, natural_key(name))


def _import_member_key(name: str) -> tuple[int, Any, Any]:
    # Inside an import ruff's isort ignores case (`AdyenError` before `APIError`);
    # `__all__` (RUF022) does not.
    category = _member_key(name)[0]
    return (category, natural_key(name.lower()), natural_key(name))


def finalize_imports(
    text: str,
    candidates: Mapping[str, tuple[ImportSection, str]],
    also_used: Iterable[str] = (),
) -> str:
    """Replace the imports marker with sorted imports of the candidates the code uses.

    `candidates` maps an importable name to its section and module
    (`"Mapping": ("stdlib", "collections.abc")`). A name inside a string or
    docstring does not count as used, so names that only a quoted annotation
    reads come in `also_used`.
    """
    used = _used_names(text.replace(IMPORTS_MARKER, "")) | set(also_used)
    grouped: dict[ImportSection, dict[str, list[str]]] = {
        "stdlib": {},
        "third_party": {},
        "local": {},
    }
    # Looking up the used names, rather than scanning every candidate, keeps a file's
    # cost independent of how many models the SDK has. They are sorted so that names
    # whose sort keys below tie still come out in one order.
    for name in sorted(used):
        if name in candidates:
            section, module = candidates[name]
            grouped[section].setdefault(module, []).append(name)
    blocks: list[str] = []
    for section in ("stdlib", "third_party", "local"):
        modules = grouped[section]
        if not modules:
            continue

        def module_key(module: str) -> tuple[int, Any, str]:
            # Relative imports go furthest first: `..x` before `.y`. The module itself
            # breaks ties.
            level = len(module) - len(module.lstrip("."))
            return (-level, natural_key(module.lstrip(".").lower()), module)

        lines = [
            f"from {module} import {', '.join(sorted(modules[module], key=_import_member_key))}"
            for module in sorted(modules, key=module_key)
        ]
        blocks.append("\n".join(lines))
    return text.replace(IMPORTS_MARKER, "\n\n".join(blocks))


def sort_imports(names: list[str]) -> list[str]:
    """Sort the names of one `from module import ...` line the way ruff's isort expects."""
    return sorted(dict.fromkeys(names), key=_import_member_key)


def sort_all(names: list[str]) -> list[str]:
    """Sort `__all__` entries the way ruff's RUF022 expects."""
    return sorted(dict.fromkeys(names), key=_member_key)


def module_sort_key(module: str) -> Any:
    """Order module names as ruff's isort does: case-insensitively, in natural order."""
    return natural_key(module.lower())


def sort_by_module(items: Iterable[_HasModuleT]) -> list[_HasModuleT]:
    """Sort models or resources by module name, the order ruff's isort gives their imports."""
    return sorted(items, key=lambda item: module_sort_key(item.module))
