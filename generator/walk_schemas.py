"""Turn JSON schemas into IR types and named models.

Named component schemas become models; inline object and enum schemas are
hoisted into models with names derived from where they sit
(`BenchmarkRunView` + `metadata` -> `BenchmarkRunViewMetadata`), so names stay
stable when unrelated parts of the spec change.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace
from typing import Any, Literal

from . import ir
from .errors import SpecError
from .load import LoadedSpec
from .naming import (
    MODEL_BODY_NAMES,
    RESERVED_MODULE_FILES,
    RESERVED_MODULE_NAMES,
    avoid,
    constant_case,
    deduplicate,
    identifier,
    module_name,
    pascal_case,
)

log = logging.getLogger(__name__)

SCHEMA_PREFIX = "#/components/schemas/"

# Real specs nest schemas at most about 20 levels deep (counting each `$ref`; the
# OpenAI spec reaches 17). The walker recurses at most about three Python frames per level,
# so 100 levels stay well inside Python's default recursion limit of 1000.
MAX_SCHEMA_DEPTH = 100

ANY = ir.PrimitiveType(kind="any")

_PRIMITIVES: dict[str, ir.PrimitiveKind] = {
    "string": "str",
    "integer": "int",
    "number": "float",
    "boolean": "bool",
    "null": "none",
}


def escape_pointer_token(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def unescape_pointer_token(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


class SchemaWalker:
    """Converts schemas to `ir.TypeRef`s, registering every model it creates."""

    def __init__(self, spec: LoadedSpec) -> None:
        self.spec = spec
        self.document = spec.document
        self.models: dict[str, ir.AnyModel] = {}
        self._taken_names: set[str] = set(RESERVED_MODULE_NAMES)
        self._taken_modules: set[str] = set(RESERVED_MODULE_FILES)
        self._component_names: dict[str, str] = {}
        self._depth = 0
        self._reserve_component_names()

    # -- names ---------------------------------------------------------------

    def _reserve_component_names(self) -> None:
        schemas = self.document.get("components", {}).get("schemas", {})
        if not isinstance(schemas, Mapping):
            return
        for key in sorted(schemas):
            class_name = deduplicate(pascal_case(key), self._taken_names)
            self._taken_names.add(class_name)
            self._component_names[key] = class_name

    def new_class_name(self, hint: str) -> str:
        name = deduplicate(pascal_case(hint), self._taken_names)
        self._taken_names.add(name)
        return name

    def _module_for(self, class_name: str) -> str:
        return module_name(class_name, self._taken_modules)

    # -- references ----------------------------------------------------------

    def error(self, message: str, pointer: str) -> SpecError:
        return SpecError(message, pointer, self.spec.locate(pointer))

    def resolve(self, node: Any, pointer: str) -> tuple[Any, str]:
        """Follow `$ref`s until a non-reference node; return it and its pointer."""
        seen: set[str] = set()
        while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if not ref.startswith("#"):
                raise self.error(f"not supported: $ref {ref!r} outside the document", pointer)
            if ref in seen:
                raise self.error(f"$ref cycle through {ref!r} never reaches a schema", pointer)
            seen.add(ref)
            node, pointer = self.lookup(ref, pointer), ref
        return node, pointer

    def lookup(self, ref: str, pointer: str) -> Any:
        node: Any = self.document
        for raw in ref[1:].split("/")[1:] if ref != "#" else []:
            token = unescape_pointer_token(raw)
            if isinstance(node, Mapping) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                raise self.error(f"$ref target {ref!r} not found", pointer)
        return node

    # -- models --------------------------------------------------------------

    def walk_components(self) -> None:
        schemas = self.document.get("components", {}).get("schemas", {})
        if not isinstance(schemas, Mapping):
            return
        for key in sorted(schemas):
            self.component_type(key, f"{SCHEMA_PREFIX}{escape_pointer_token(key)}")

    def component_type(self, key: str, pointer: str) -> ir.NamedType:
        class_name = self._component_names[key]
        if class_name not in self.models:
            schema = self.lookup(pointer, pointer)
            self.build_model(class_name, schema, pointer)
        return ir.NamedType(name=class_name)

    def build_model(self, class_name: str, schema: Any, pointer: str) -> None:
        """Register the model for a named or hoisted schema."""
        # Reserve the name first so recursive references find it.
        module = self._module_for(class_name)
        placeholder = ir.AliasModel(name=class_name, module=module, target=ANY, pointer=pointer)
        self.models[class_name] = placeholder
        if not isinstance(schema, Mapping):
            raise self.error(f"expected a schema object, found {type(schema).__name__}", pointer)

        description = _text(schema.get("description")) or _text(schema.get("title"))
        enum_values = schema.get("enum")
        if isinstance(enum_values, list) and self._is_enum_class(schema):
            self.models[class_name] = self._build_enum(
                class_name, module, schema, pointer, description
            )
            return
        if self._is_object(schema):
            fields = self._build_fields(class_name, schema, pointer)
            self.models[class_name] = ir.Model(
                name=class_name,
                module=module,
                fields=fields,
                description=description,
                deprecated=schema.get("deprecated") is True,
                pointer=pointer,
            )
            return
        target = self.to_type(schema, pointer, class_name, allow_hoist=False)
        self.models[class_name] = ir.AliasModel(
            name=class_name,
            module=module,
            target=target,
            description=description,
            pointer=pointer,
        )

    def _is_enum_class(self, schema: Mapping[str, Any]) -> bool:
        values = [value for value in schema["enum"] if value is not None]
        if not values:
            return False
        return all(isinstance(value, str) for value in values) or all(
            isinstance(value, int) and not isinstance(value, bool) for value in values
        )

    def _is_object(self, schema: Mapping[str, Any]) -> bool:
        types = _types(schema)
        if any(key in schema for key in ("oneOf", "anyOf")):
            return False
        has_properties = isinstance(schema.get("properties"), Mapping) and bool(
            schema["properties"]
        )
        if "allOf" in schema:
            return True
        return has_properties and (not types or "object" in types)

    def _build_enum(
        self,
        class_name: str,
        module: str,
        schema: Mapping[str, Any],
        pointer: str,
        description: str | None,
    ) -> ir.EnumModel:
        values = [value for value in schema["enum"] if value is not None]
        base: Literal["str", "int"] = "str" if isinstance(values[0], str) else "int"
        descriptions = schema.get("x-enum-descriptions")
        members: list[ir.EnumMember] = []
        taken: set[str] = {"name", "value", "mro"}
        seen_values: set[object] = set()
        for index, value in enumerate(values):
            if value in seen_values:
                continue
            seen_values.add(value)
            fallback = f"VALUE_{value}" if base == "int" else "VALUE"
            member_name = (
                constant_case(str(value), fallback) if base == "str" else constant_case(fallback)
            )
            if member_name.startswith("_"):
                member_name = f"VALUE{member_name}"
            member_name = deduplicate(member_name, taken)
            taken.add(member_name)
            member_description = None
            if isinstance(descriptions, list) and index < len(descriptions):
                member_description = _text(descriptions[index])
            members.append(
                ir.EnumMember(py_name=member_name, value=value, description=member_description)
            )
        return ir.EnumModel(
            name=class_name,
            module=module,
            base=base,
            members=tuple(members),
            description=description,
            pointer=pointer,
        )

    def _collect_object(
        self, schema: Mapping[str, Any], pointer: str
    ) -> tuple[list[tuple[str, Any, str]], set[str]]:
        """Gather properties and required names, merging `allOf` branches in order."""
        properties: list[tuple[str, Any, str]] = []
        required: set[str] = set()
        for index, branch in enumerate(schema.get("allOf") or ()):
            branch_schema, branch_pointer = self.resolve(branch, f"{pointer}/allOf/{index}")
            if isinstance(branch_schema, Mapping):
                branch_properties, branch_required = self._collect_object(
                    branch_schema, branch_pointer
                )
                properties.extend(branch_properties)
                required |= branch_required
        own = schema.get("properties")
        if isinstance(own, Mapping):
            for wire_name, property_schema in own.items():
                properties.append(
                    (
                        str(wire_name),
                        property_schema,
                        f"{pointer}/properties/{escape_pointer_token(str(wire_name))}",
                    )
                )
        own_required = schema.get("required")
        if isinstance(own_required, list):
            required |= {name for name in own_required if isinstance(name, str)}
        return properties, required

    def _build_fields(
        self, class_name: str, schema: Mapping[str, Any], pointer: str
    ) -> tuple[ir.Field, ...]:
        properties, required = self._collect_object(schema, pointer)
        fields: dict[str, ir.Field] = {}
        for wire_name, property_schema, property_pointer in properties:
            # A later allOf branch or the schema itself may redefine a property: the
            # last one wins and keeps the first one's position.
            field_type = self.to_type(
                property_schema, property_pointer, f"{class_name}_{wire_name}"
            )
            nullable = isinstance(field_type, ir.NullableType)
            resolved, _ = self.resolve(property_schema, property_pointer)
            description = (
                _text(property_schema.get("description"))
                if isinstance(property_schema, Mapping)
                else None
            )
            if (
                description is None
                and isinstance(resolved, Mapping)
                and not _is_ref(property_schema)
            ):
                description = _text(resolved.get("description"))
            fields[wire_name] = ir.Field(
                wire_name=wire_name,
                py_name="",
                type=field_type,
                required=wire_name in required,
                nullable=nullable,
                description=description,
                deprecated=isinstance(property_schema, Mapping)
                and property_schema.get("deprecated") is True,
                pointer=property_pointer,
            )

        # A field may not shadow a name the class body uses: its methods, the names
        # every dataclass body refers to, and the names its field annotations refer to.
        reserved = {"from_dict", "to_dict", class_name, *MODEL_BODY_NAMES}
        for field in fields.values():
            reserved |= _annotation_names(field.type)
        taken = set(reserved)
        named: list[ir.Field] = []
        for field in fields.values():
            py_name = deduplicate(avoid(identifier(field.wire_name, "field"), reserved), taken)
            taken.add(py_name)
            named.append(replace(field, py_name=py_name))
        return tuple(named)

    # -- types ---------------------------------------------------------------

    def to_type(
        self, schema: Any, pointer: str, hint: str, *, allow_hoist: bool = True
    ) -> ir.TypeRef:
        """Convert a schema to a type, hoisting inline objects and enums into models named from `hint`.

        Raises:
            SpecError: among others, when schemas nest deeper than `MAX_SCHEMA_DEPTH`.
        """
        # The loader bounds how deep one document nests, but a chain of `$ref`s
        # (S0 -> S1 -> ... -> S10000) nests without limit and would end in RecursionError.
        if self._depth >= MAX_SCHEMA_DEPTH:
            raise self.error(
                f"not supported: schemas nested more than {MAX_SCHEMA_DEPTH} levels deep, "
                "counting each $ref to another schema",
                pointer,
            )
        self._depth += 1
        try:
            return self._to_type(schema, pointer, hint, allow_hoist)
        finally:
            self._depth -= 1

    def _to_type(self, schema: Any, pointer: str, hint: str, allow_hoist: bool) -> ir.TypeRef:
        if schema is True or schema == {}:
            return ANY
        if not isinstance(schema, Mapping):
            raise self.error(f"expected a schema object, found {type(schema).__name__}", pointer)

        ref = schema.get("$ref")
        if isinstance(ref, str):
            if ref.startswith(SCHEMA_PREFIX) and "/" not in ref[len(SCHEMA_PREFIX) :]:
                key = unescape_pointer_token(ref[len(SCHEMA_PREFIX) :])
                if key not in self._component_names:
                    raise self.error(f"$ref target {ref!r} not found", pointer)
                named = self.component_type(key, ref)
                return ir.NullableType(inner=named) if schema.get("nullable") is True else named
            target, target_pointer = self.resolve(schema, pointer)
            return self.to_type(target, target_pointer, hint)

        nullable = schema.get("nullable") is True
        inner = self._to_non_null_type(schema, pointer, hint, allow_hoist)
        if isinstance(inner, ir.NullableType):
            return inner
        if nullable or (isinstance(inner, ir.PrimitiveType) and inner.kind == "none"):
            if isinstance(inner, ir.PrimitiveType) and inner.kind in ("none", "any"):
                return inner
            return ir.NullableType(inner=inner)
        return inner

    def _to_non_null_type(
        self, schema: Mapping[str, Any], pointer: str, hint: str, allow_hoist: bool
    ) -> ir.TypeRef:
        for keyword in ("oneOf", "anyOf"):
            if isinstance(schema.get(keyword), list):
                return self._union(schema, keyword, pointer, hint)

        # `Literal[...]` accepts strings, integers and booleans only. For other values
        # (floats, lists, objects) the declared type applies without the value restriction.
        if "const" in schema:
            if _is_literal_value(schema["const"]):
                return ir.LiteralType(values=(schema["const"],))
            schema = {key: value for key, value in schema.items() if key != "const"}

        types = _types(schema)
        enum_values = schema.get("enum")
        if isinstance(enum_values, list) and not all(
            value is None or _is_literal_value(value) for value in enum_values
        ):
            schema = {key: value for key, value in schema.items() if key != "enum"}
            enum_values = None
        if isinstance(enum_values, list) and enum_values:
            non_null = [value for value in enum_values if value is not None]
            nullable_enum = len(non_null) != len(enum_values) or "null" in types
            if not non_null:
                return ir.PrimitiveType(kind="none")
            if self._is_enum_class(schema) and allow_hoist:
                name = self.new_class_name(hint)
                self.build_model(name, schema, pointer)
                named: ir.TypeRef = ir.NamedType(name=name)
            else:
                named = ir.LiteralType(values=tuple(dict.fromkeys(non_null)))
            return ir.NullableType(inner=named) if nullable_enum else named

        if "allOf" in schema:
            branches = schema["allOf"]
            extra_keys = set(schema) - {
                "allOf",
                "description",
                "title",
                "nullable",
                "deprecated",
                "default",
            }
            if isinstance(branches, list) and len(branches) == 1 and not extra_keys:
                inner = self.to_type(branches[0], f"{pointer}/allOf/0", hint)
                return _with_null(inner, "null" in types)

        if self._is_object(schema) and allow_hoist:
            name = self.new_class_name(hint)
            self.build_model(name, schema, pointer)
            return _with_null(ir.NamedType(name=name), "null" in types)

        non_null_types = [kind for kind in types if kind != "null"]
        if len(non_null_types) > 1:
            variants = tuple(
                self._single_type({**schema, "type": kind}, pointer, hint, allow_hoist)
                for kind in non_null_types
            )
            return _with_null(ir.UnionType(variants=variants), "null" in types)
        if not non_null_types and "null" in types:
            return ir.PrimitiveType(kind="none")
        single = self._single_type(
            schema,
            pointer,
            hint,
            allow_hoist,
            non_null_types[0] if non_null_types else None,
        )
        return _with_null(single, "null" in types)

    def _single_type(
        self,
        schema: Mapping[str, Any],
        pointer: str,
        hint: str,
        allow_hoist: bool,
        kind: str | None = None,
    ) -> ir.TypeRef:
        if kind is None:
            declared = schema.get("type")
            kind = declared if isinstance(declared, str) else None
        if kind is None:
            if "items" in schema:
                kind = "array"
            elif "properties" in schema or "additionalProperties" in schema:
                kind = "object"
        if kind == "array":
            items = schema.get("items", True)
            return ir.ListType(item=self.to_type(items, f"{pointer}/items", f"{hint}_item"))
        if kind == "object":
            additional = schema.get("additionalProperties", True)
            if isinstance(additional, Mapping):
                value = self.to_type(additional, f"{pointer}/additionalProperties", f"{hint}_value")
                return ir.MapType(value=value)
            return ir.MapType(value=ANY)
        if kind == "string" and schema.get("format") == "binary":
            return ir.PrimitiveType(kind="bytes")
        if kind in _PRIMITIVES:
            return ir.PrimitiveType(kind=_PRIMITIVES[kind])
        if kind is None:
            if schema.get("format") == "binary":
                return ir.PrimitiveType(kind="bytes")
            return ANY
        raise self.error(f"unknown schema type {kind!r}", f"{pointer}/type")

    def _union(
        self, schema: Mapping[str, Any], keyword: str, pointer: str, hint: str
    ) -> ir.TypeRef:
        variants: list[ir.TypeRef] = []
        nullable = "null" in _types(schema)
        for index, variant in enumerate(schema[keyword]):
            variant_pointer = f"{pointer}/{keyword}/{index}"
            variant_type = self.to_type(
                variant, variant_pointer, f"{hint}_variant{index}" if index else hint
            )
            if isinstance(variant_type, ir.PrimitiveType) and variant_type.kind == "none":
                nullable = True
                continue
            if isinstance(variant_type, ir.NullableType):
                nullable = True
                variant_type = variant_type.inner
            if variant_type not in variants:
                variants.append(variant_type)
        if not variants:
            return ir.PrimitiveType(kind="none")
        if len(variants) == 1:
            return _with_null(variants[0], nullable)
        discriminator = self._discriminator(schema, pointer, variants)
        return _with_null(
            ir.UnionType(variants=tuple(variants), discriminator=discriminator),
            nullable,
        )

    def _discriminator(
        self, schema: Mapping[str, Any], pointer: str, variants: list[ir.TypeRef]
    ) -> ir.Discriminator | None:
        raw = schema.get("discriminator")
        if not isinstance(raw, Mapping) or not isinstance(raw.get("propertyName"), str):
            return None
        mapping: dict[str, str] = {}
        raw_mapping = raw.get("mapping")
        if isinstance(raw_mapping, Mapping):
            for tag, ref in raw_mapping.items():
                if isinstance(ref, str) and ref.startswith(SCHEMA_PREFIX):
                    key = unescape_pointer_token(ref[len(SCHEMA_PREFIX) :])
                    if key in self._component_names:
                        mapping[str(tag)] = self._component_names[key]
        else:
            # Without a mapping the tag value is the schema's component name.
            for key, class_name in self._component_names.items():
                if ir.NamedType(name=class_name) in variants:
                    mapping[key] = class_name
        return ir.Discriminator(
            wire_name=raw["propertyName"], mapping=tuple(sorted(mapping.items()))
        )


def _is_literal_value(value: Any) -> bool:
    return isinstance(value, (str, int))


def _types(schema: Mapping[str, Any]) -> list[str]:
    declared = schema.get("type")
    if isinstance(declared, str):
        return [declared]
    if isinstance(declared, list):
        return [kind for kind in declared if isinstance(kind, str)]
    return []


# The names a type's annotation may spell, whatever the renderer picks for inputs
# or outputs: builtins for primitives and containers, and class names.
_PRIMITIVE_NAMES: dict[str, tuple[str, ...]] = {
    "str": ("str",),
    "int": ("int",),
    "float": ("float",),
    "bool": ("bool",),
    "bytes": ("bytes",),
    "any": ("object", "Any"),
    "datetime": ("datetime",),
    "date": ("date",),
}


def _annotation_names(type_ref: ir.TypeRef) -> set[str]:
    if isinstance(type_ref, ir.PrimitiveType):
        return set(_PRIMITIVE_NAMES.get(type_ref.kind, ()))
    if isinstance(type_ref, ir.NamedType):
        # An enum reference also names its base type (`Color | str`).
        return {type_ref.name, "str", "int"}
    if isinstance(type_ref, ir.ListType):
        return {"list", "Sequence"} | _annotation_names(type_ref.item)
    if isinstance(type_ref, ir.MapType):
        return {"dict", "Mapping"} | _annotation_names(type_ref.value)
    if isinstance(type_ref, ir.LiteralType):
        return {"Literal"}
    if isinstance(type_ref, ir.NullableType):
        return _annotation_names(type_ref.inner)
    names: set[str] = set()
    for variant in type_ref.variants:
        names |= _annotation_names(variant)
    return names


def _with_null(inner: ir.TypeRef, nullable: bool) -> ir.TypeRef:
    if not nullable or isinstance(inner, ir.NullableType):
        return inner
    if isinstance(inner, ir.PrimitiveType) and inner.kind in ("none", "any"):
        return inner
    return ir.NullableType(inner=inner)


def _is_ref(schema: Any) -> bool:
    return isinstance(schema, Mapping) and "$ref" in schema


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
