"""Facts about raw JSON schemas that the schema walker asks for: kinds, nullability, hints.

Everything here reads one schema object and returns a plain answer; nothing
follows a `$ref` or builds IR, so the walker keeps every decision that needs
the whole document.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from . import ir
from .naming import constant_case, deduplicate, split_words

# Keywords that describe or constrain a value without choosing its type. A schema
# made of these alone (say `{required: [a]}` as a `oneOf` branch) adds no type.
ANNOTATION_KEYWORDS = frozenset(
    {
        "$comment",
        "$id",
        "$schema",
        "default",
        "deprecated",
        "description",
        "discriminator",
        "example",
        "examples",
        "exclusiveMaximum",
        "exclusiveMinimum",
        "externalDocs",
        "format",
        "maxItems",
        "maxLength",
        "maxProperties",
        "maximum",
        "minItems",
        "minLength",
        "minProperties",
        "minimum",
        "multipleOf",
        "nullable",
        "pattern",
        "readOnly",
        "required",
        "title",
        "uniqueItems",
        "writeOnly",
        "xml",
    }
)

# An enum member name made of Unicode character names is only used up to this length;
# past it the member is named after its position.
MAX_SPELLED_MEMBER_NAME = 48


def declared_types(schema: Mapping[str, Any]) -> list[str]:
    """Return the `type` keyword as a list (3.1 allows a list, 3.0 a single name)."""
    declared = schema.get("type")
    if isinstance(declared, str):
        return [declared]
    if isinstance(declared, list):
        return [kind for kind in declared if isinstance(kind, str)]
    return []


def has_content(schema: Any) -> bool:
    """Tell whether a schema constrains the type of a value."""
    if schema is True or schema is False:
        return False
    if not isinstance(schema, Mapping):
        return True
    return (
        any(not str(key).startswith("x-") and key not in ANNOTATION_KEYWORDS for key in schema)
        or schema.get("x-stainless-any") is True
    )


def is_nullable(schema: Mapping[str, Any]) -> bool:
    """Tell whether a schema allows null, in any 3.0 or 3.1 spelling.

    Covers `nullable: true`, `type: [..., "null"]`, `null` among `enum` values and
    `const: null`; a `oneOf`/`anyOf` branch of type null is the walker's job.
    """
    if schema.get("nullable") is True or "null" in declared_types(schema):
        return True
    enum_values = schema.get("enum")
    if isinstance(enum_values, list) and None in enum_values:
        return True
    return "const" in schema and schema["const"] is None


def is_skipped(schema: Any) -> bool:
    """Tell whether `x-stainless-skip` removes a node from a Python SDK.

    The value is `true` for every language, or a language name or a list of them.
    """
    if not isinstance(schema, Mapping):
        return False
    skip = schema.get("x-stainless-skip")
    if skip is True:
        return True
    if isinstance(skip, str):
        return skip.lower() == "python"
    if isinstance(skip, list):
        return any(isinstance(item, str) and item.lower() == "python" for item in skip)
    return False


def naming_override(schema: Any, key: str) -> str | None:
    """Read a Python name from `x-stainless-naming`.

    The extension contains per-language objects (`{python: {property_name: ...}}`),
    or the same keys at its top level, or a bare string that names the type.
    """
    if not isinstance(schema, Mapping):
        return None
    naming = schema.get("x-stainless-naming")
    if isinstance(naming, str):
        return naming if key in ("type_name", "model_name") else None
    if not isinstance(naming, Mapping):
        return None
    python = naming.get("python")
    for source in (python, naming):
        if isinstance(source, Mapping):
            value = source.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
    return None


def text(value: Any) -> str | None:
    """Return a stripped description, or None for anything that is not a non-empty string."""
    return value.strip() or None if isinstance(value, str) else None


def scalar_key(value: Any) -> tuple[str, Any]:
    """A key that distinguishes `1`, `1.0` and `True`, for deduplicating enum values."""
    return (type(value).__name__, value)


def default_json(value: Any) -> str | None:
    """Encode a default as JSON text, or return None when it is not plain JSON."""
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        return None


# -- enum member names -----------------------------------------------------------------


def enum_member_names(
    values: Sequence[str | int], overrides: Mapping[int, str], taken: set[str]
) -> list[str]:
    """Invent a constant name for each enum value, unique within the enum.

    Text values keep their words (`in progress` -> `IN_PROGRESS`); a value with no
    ASCII letters or digits is spelled with Unicode character names (`+` ->
    `PLUS_SIGN`); integers become `VALUE_1`/`VALUE_MINUS_1`. When two values clean
    up to the same name, the one that comes first keeps it; the others are
    spelled out, and numbered if that still collides. `overrides` maps a value's
    position to a name the spec chose (`x-stainless-renameMap`, `x-enum-varnames`).
    """
    bases = [
        constant_case(overrides[index], "VALUE") if index in overrides else _member_base(value)
        for index, value in enumerate(values)
    ]
    counts: dict[str, int] = {}
    for base in bases:
        counts[base] = counts.get(base, 0) + 1
    names: list[str] = []
    seen_bases: set[str] = set()
    for index, (value, base) in enumerate(zip(values, bases, strict=True)):
        name = base
        if counts[base] > 1 and base in seen_bases and isinstance(value, str):
            spelled = _spelled(value)
            if spelled:
                name = spelled
        seen_bases.add(base)
        if not name or len(name) > MAX_SPELLED_MEMBER_NAME:
            name = f"VALUE_{index}"
        name = deduplicate(_safe_member(name), taken)
        taken.add(name)
        names.append(name)
    return names


def _member_base(value: str | int) -> str:
    if isinstance(value, int):
        return f"VALUE_{value}" if value >= 0 else f"VALUE_MINUS_{-value}"
    if value == "":
        return "EMPTY"
    if split_words(value):
        return constant_case(value, "VALUE")
    return _spelled(value)


def _spelled(value: str) -> str:
    """Name each character that is not an ASCII letter or digit: `-1` -> `HYPHEN_MINUS_1`."""
    parts: list[str] = []
    for char in value:
        if char.isascii() and char.isalnum():
            if parts and parts[-1].isalnum() and not parts[-1].endswith("_"):
                parts[-1] += char.upper()
            else:
                parts.append(char.upper())
            continue
        name = unicodedata.name(char, f"U{ord(char):04X}")
        parts.append("_".join(split_words(name)).upper() + "_")
    joined = "_".join(part.rstrip("_") for part in parts if part.rstrip("_"))
    return constant_case(joined, "VALUE") if joined else ""


def _safe_member(name: str) -> str:
    if name.startswith("_"):
        return f"VALUE{name}"
    return name


def fits(type_ref: ir.TypeRef, value: Any, models: Mapping[str, ir.AnyModel]) -> bool:
    """Tell whether a JSON value can be the Python value of an attribute of this type.

    Only values the generated code can write as a literal fit: models and date-times
    never do, so a default for them is left to the server.
    """
    if isinstance(type_ref, ir.NullableType):
        return value is None or fits(type_ref.inner, value, models)
    if isinstance(type_ref, ir.PrimitiveType):
        return _fits_primitive(type_ref.kind, value)
    if isinstance(type_ref, ir.LiteralType):
        return any(scalar_key(value) == scalar_key(option) for option in type_ref.values)
    if isinstance(type_ref, ir.NamedType):
        model = models.get(type_ref.name)
        if isinstance(model, ir.EnumModel):
            return any(scalar_key(value) == scalar_key(m.value) for m in model.members)
        return False
    if isinstance(type_ref, ir.ListType):
        return isinstance(value, list) and all(fits(type_ref.item, item, models) for item in value)
    if isinstance(type_ref, ir.MapType):
        return isinstance(value, dict) and all(
            fits(type_ref.value, item, models) for item in value.values()
        )
    if isinstance(type_ref, ir.UnionType):
        return any(fits(variant, value, models) for variant in type_ref.variants)
    return False


def _fits_primitive(kind: ir.PrimitiveKind, value: Any) -> bool:
    if kind == "any":
        return True
    if kind == "none":
        return value is None
    if kind == "str":
        return isinstance(value, str)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "float":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return False
