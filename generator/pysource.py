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
import textwrap
import tokenize
from collections.abc import Callable, Mapping
from typing import Literal

from . import ir

GENERATED_HEADER = "# File generated from an OpenAPI spec by sdkgen {version}. Do not edit."

_DOCSTRING_UNSAFE = re.compile(r'[\x00-\x08\x0b-\x1f\x7f\\]|"(?="")|"$')
_COMMENT_UNSAFE = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")


def pystr(value: object) -> str:
    """Return a Python literal for a JSON scalar (or a tuple/list/dict of them)."""
    if isinstance(value, float) and not math.isfinite(value):
        return f'float("{value}")'
    if isinstance(value, (str, int, float, bool)) or value is None:
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(pystr(item) for item in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{pystr(str(k))}: {pystr(v)}" for k, v in value.items()) + "}"
    return repr(str(value))


def _escape_docstring_char(match: re.Match[str]) -> str:
    char = match.group(0)
    if char == "\\":
        return "\\\\"
    if char == '"':
        return '\\"'
    return f"\\x{ord(char):02x}"


def docstring_text(text: str) -> str:
    """Escape text for the inside of a triple-double-quoted, non-raw docstring."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    return _DOCSTRING_UNSAFE.sub(_escape_docstring_char, "\n".join(lines).strip())


_LIST_LINE = re.compile(r"^\s*([-*+]|\d+[.)]|#|\||>|```)")
DOCSTRING_WIDTH = 88


def wrap_paragraphs(text: str, width: int) -> str:
    """Wrap long prose paragraphs; lists, tables, headings and code keep their lines."""
    paragraphs = text.replace("\r\n", "\n").replace("\r", "\n").split("\n\n")
    wrapped: list[str] = []
    for paragraph in paragraphs:
        lines = paragraph.split("\n")
        if any(_LIST_LINE.match(line) or line[:1].isspace() for line in lines):
            wrapped.append(paragraph)
            continue
        joined = " ".join(line.strip() for line in lines)
        wrapped.append(
            textwrap.fill(joined, width=width, break_long_words=False, break_on_hyphens=False)
        )
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
    """Flatten text to one line that is safe after a `#`."""
    if not text:
        return ""
    return _COMMENT_UNSAFE.sub(" ", text).strip()


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


def _member_key(name: str) -> tuple[int, str]:
    # ruff's isort order: CONSTANTS, then Classes, then other names.
    if name.isupper() and len(name) > 1:
        return (0, name)
    if name[:1].isupper():
        return (1, name)
    return (2, name)


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
    # Looking up the used names, rather than scanning every candidate, keeps a file's
    # cost independent of how many models the SDK has. Member and module order is
    # sorted below, so the loop order does not show in the output.
    for name in used:
        if name in candidates:
            section, module = candidates[name]
            grouped[section].setdefault(module, []).append(name)
    blocks: list[str] = []
    for section in ("stdlib", "third_party", "local"):
        modules = grouped[section]
        if not modules:
            continue

        def module_key(module: str) -> tuple[int, str, str]:
            # Relative imports go furthest first: `..x` before `.y`. The module itself
            # breaks ties, so the order never depends on the loop above.
            level = len(module) - len(module.lstrip("."))
            return (-level, module.lstrip(".").lower(), module)

        lines = [
            f"from {module} import {', '.join(sorted(modules[module], key=_member_key))}"
            for module in sorted(modules, key=module_key)
        ]
        blocks.append("\n".join(lines))
    return text.replace(IMPORTS_MARKER, "\n\n".join(blocks))


def sort_all(names: list[str]) -> list[str]:
    """Sort `__all__` entries the way ruff's RUF022 expects."""
    return sorted(dict.fromkeys(names), key=_member_key)
