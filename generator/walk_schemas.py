"""Turn JSON schemas into IR types and named models.

Named component schemas become models; inline object and enum schemas are
hoisted into models with names derived from where they sit
(`BenchmarkRunView` + `metadata` -> `BenchmarkRunViewMetadata`), so names stay
stable when unrelated parts of the spec change. An inline schema reached twice
(through `allOf` or a `$ref` into a component) keeps the first name.

How each construct maps:

* `allOf` merges the properties and `required` lists of its branches, in
  order; an `allOf` with one branch that has a type (the common `$ref` plus
  `description` wrapper) is that branch's type.
* `oneOf`/`anyOf` become a union. A null branch makes the union nullable.
  Object variants are told apart by a tag property: the declared
  `discriminator` (its `mapping`, else each variant's `const`/enum value of
  the property, else the component name), or else a property that every
  object variant fixes to a distinct value with `const` or an enum.
* `nullable: true`, a `"null"` type, `null` among enum values and `const:
  null` all make a type nullable; a `$ref` to a nullable model or enum is
  nullable too.
* String enums and integer enums become `Enum` classes; one-value enums,
  `const`, and enums that mix value types become `Literal` types.
* `date-time` and `date` strings become `datetime` and `date`; `binary`
  becomes `bytes`; `byte`, `uuid` and other formats stay `str`.
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
    RESERVED_MODULE_FILES,
    RESERVED_MODULE_NAMES,
    deduplicate,
    identifier,
    module_name,
    pascal_case,
)
from .schema_facts import (
    declared_types,
    default_json,
    enum_member_names,
    fits,
    has_content,
    is_nullable,
    is_skipped,
    naming_override,
    scalar_key,
    text,
)

log = logging.getLogger(__name__)

SCHEMA_PREFIX = "#/components/schemas/"

# Real specs nest schemas at most about 20 levels deep (counting each `$ref`; the
# OpenAI spec reaches 17). The walker recurses at most about three Python frames per level,
# so 100 levels stay well inside Python's default recursion limit of 1000.
MAX_SCHEMA_DEPTH = 100

ANY = ir.PrimitiveType(kind="any")
NONE = ir.PrimitiveType(kind="none")

_PRIMITIVES: dict[str, ir.PrimitiveKind] = {
    "string": "str",
    "integer": "int",
    "number": "float",
    "boolean": "bool",
    "null": "none",
}
_STRING_FORMATS: dict[str, ir.PrimitiveKind] = {
    "date-time": "datetime",
    "date": "date",
    "binary": "bytes",
}

# Attribute names a model class defines besides its fields, the decorator its body
# uses (`@classmethod`), and module names its annotations may need when a field
# shadows a builtin or an imported name.
RESERVED_FIELD_NAMES = frozenset(
    {
        "from_dict",
        "to_dict",
        "classmethod",
        "builtins",
        "typing",
        "dataclasses",
        "collections",
        "warnings",
    }
)

_MAX_ALL_OF_DEPTH = 64

SchemaKind = Literal["enum", "object", "alias"]


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
        # Pointer of an inline schema -> the class hoisted from it.
        self._hoisted: dict[str, str] = {}
        self._depth = 0
        self._reserve_component_names()

    # -- names ---------------------------------------------------------------

    def _components(self) -> Mapping[str, Any]:
        components = self.document.get("components")
        schemas = components.get("schemas") if isinstance(components, Mapping) else None
        return schemas if isinstance(schemas, Mapping) else {}

    def _reserve_component_names(self) -> None:
        schemas = self._components()
        for key in sorted(schemas):
            schema = schemas[key]
            preferred = naming_override(schema, "type_name") or naming_override(
                schema, "model_name"
            )
            self._component_names[key] = self.new_class_name(preferred or str(key))

    def new_class_name(self, hint: str) -> str:
        """Return a free class name for a hint; a clash gets the smallest free number (`Pet2`)."""
        base = pascal_case(hint)
        name = base
        index = 2
        while name in self._taken_names:
            name = f"{base}{index}"
            index += 1
        if name != base:
            log.debug("class name %s is taken; using %s", base, name)
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

    def _component_key(self, ref: str) -> str | None:
        """Return the component name a `$ref` names directly, or None for a deeper pointer."""
        if not ref.startswith(SCHEMA_PREFIX) or "/" in ref[len(SCHEMA_PREFIX) :]:
            return None
        return unescape_pointer_token(ref[len(SCHEMA_PREFIX) :])

    # -- models --------------------------------------------------------------

    def walk_components(self) -> None:
        for key in sorted(self._components()):
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

        description = text(schema.get("description")) or text(schema.get("title"))
        kind = self.schema_kind(schema, pointer)
        if kind == "enum":
            self.models[class_name] = self._build_enum(
                class_name, module, schema, pointer, description
            )
        elif kind == "object":
            fields, additional = self._build_fields(class_name, schema, pointer)
            self.models[class_name] = ir.Model(
                name=class_name,
                module=module,
                fields=fields,
                additional=additional,
                description=description,
                deprecated=schema.get("deprecated") is True,
                pointer=pointer,
            )
        else:
            target = self.to_type(schema, pointer, class_name, allow_hoist=False)
            self.models[class_name] = ir.AliasModel(
                name=class_name,
                module=module,
                target=target,
                description=description,
                pointer=pointer,
            )

    def schema_kind(self, schema: Mapping[str, Any], pointer: str) -> SchemaKind:
        """Tell which kind of model a named schema becomes."""
        if schema.get("x-stainless-any") is True:
            return "alias"
        if self._union_keyword(schema) is None and "allOf" not in schema:
            if self._is_enum_class(schema):
                return "enum"
        if self._is_object(schema, pointer):
            return "object"
        return "alias"

    def _is_enum_class(self, schema: Mapping[str, Any]) -> bool:
        enum_values = schema.get("enum")
        if not isinstance(enum_values, list) or "const" in schema:
            return False
        values = [value for value in enum_values if value is not None]
        if not values:
            return False
        return all(isinstance(value, str) for value in values) or all(
            isinstance(value, int) and not isinstance(value, bool) for value in values
        )

    def _is_object(self, schema: Mapping[str, Any], pointer: str, depth: int = 0) -> bool:
        """Tell whether a schema has properties of its own or through `allOf` branches."""
        if depth > _MAX_ALL_OF_DEPTH or schema.get("x-stainless-any") is True:
            return False
        if self._union_keyword(schema) is not None:
            return False
        types = declared_types(schema)
        if types and "object" not in types:
            return False
        properties = schema.get("properties")
        if isinstance(properties, Mapping) and properties:
            return True
        branches = schema.get("allOf")
        if not isinstance(branches, list):
            return False
        if _is_wrapper(schema):
            return False
        for index, branch in enumerate(branches):
            resolved, branch_pointer = self.resolve(branch, f"{pointer}/allOf/{index}")
            if isinstance(resolved, Mapping) and self._is_object(
                resolved, branch_pointer, depth + 1
            ):
                return True
        return False

    def _union_keyword(self, schema: Mapping[str, Any]) -> str | None:
        """Return `oneOf` or `anyOf` when the schema is a union of types.

        Branches that only constrain (`oneOf: [{required: [a]}, {required: [b]}]`
        beside `properties`) do not make a union.
        """
        for keyword in ("oneOf", "anyOf"):
            branches = schema.get(keyword)
            if isinstance(branches, list) and any(has_content(branch) for branch in branches):
                return keyword
        return None

    def _build_enum(
        self,
        class_name: str,
        module: str,
        schema: Mapping[str, Any],
        pointer: str,
        description: str | None,
    ) -> ir.EnumModel:
        values: list[str | int] = []
        positions: list[int] = []
        seen: set[tuple[str, Any]] = set()
        for position, value in enumerate(schema["enum"]):
            if value is None or scalar_key(value) in seen:
                continue
            seen.add(scalar_key(value))
            values.append(value)
            positions.append(position)
        base: Literal["str", "int"] = "str" if isinstance(values[0], str) else "int"

        overrides = _member_overrides(schema, values)
        names = enum_member_names(values, overrides, set())
        descriptions = schema.get("x-enum-descriptions")
        members: list[ir.EnumMember] = []
        for value, position, name in zip(values, positions, names, strict=True):
            member_description = None
            if isinstance(descriptions, list) and position < len(descriptions):
                member_description = text(descriptions[position])
            elif isinstance(descriptions, Mapping):
                member_description = text(descriptions.get(str(value)))
            members.append(ir.EnumMember(py_name=name, value=value, description=member_description))
        return ir.EnumModel(
            name=class_name,
            module=module,
            base=base,
            members=tuple(members),
            description=description,
            pointer=pointer,
        )

    # -- objects -------------------------------------------------------------

    def _collect_object(
        self, schema: Mapping[str, Any], pointer: str, seen: frozenset[str]
    ) -> tuple[list[tuple[str, Any, str]], set[str], tuple[Any, str] | None]:
        """Gather properties, required names and `additionalProperties`, merging `allOf`.

        Branches come first, in order, then the schema's own properties, so a
        later definition of a property replaces an earlier one.
        """
        properties: list[tuple[str, Any, str]] = []
        required: set[str] = set()
        additional: tuple[Any, str] | None = None
        branches = schema.get("allOf")
        for index, branch in enumerate(branches if isinstance(branches, list) else ()):
            branch_schema, branch_pointer = self.resolve(branch, f"{pointer}/allOf/{index}")
            if not isinstance(branch_schema, Mapping) or branch_pointer in seen:
                continue
            # NOTE: a `oneOf`/`anyOf` inside an `allOf` branch adds no fields; its
            # keys are kept as unknown keys.
            branch_properties, branch_required, branch_additional = self._collect_object(
                branch_schema, branch_pointer, seen | {branch_pointer}
            )
            properties.extend(branch_properties)
            required |= branch_required
            additional = branch_additional or additional
        own = schema.get("properties")
        if isinstance(own, Mapping):
            for wire_name, property_schema in own.items():
                property_pointer = f"{pointer}/properties/{escape_pointer_token(str(wire_name))}"
                properties.append((str(wire_name), property_schema, property_pointer))
        own_required = schema.get("required")
        if isinstance(own_required, list):
            required |= {name for name in own_required if isinstance(name, str)}
        if "additionalProperties" in schema:
            additional = (schema["additionalProperties"], f"{pointer}/additionalProperties")
        return properties, required, additional

    def _build_fields(
        self, class_name: str, schema: Mapping[str, Any], pointer: str
    ) -> tuple[tuple[ir.Field, ...], ir.TypeRef | None]:
        collected, required, additional = self._collect_object(schema, pointer, frozenset())
        by_wire: dict[str, tuple[Any, str]] = {}
        for wire_name, property_schema, property_pointer in collected:
            by_wire[wire_name] = (property_schema, property_pointer)

        taken: set[str] = set(RESERVED_FIELD_NAMES)
        fields: list[ir.Field] = []
        for wire_name, (property_schema, property_pointer) in by_wire.items():
            if is_skipped(property_schema):
                continue
            override = naming_override(property_schema, "property_name")
            py_name = identifier(override or wire_name, "field")
            if py_name in RESERVED_FIELD_NAMES:
                py_name = f"{py_name}_"
            py_name = deduplicate(py_name, taken)
            taken.add(py_name)
            fields.append(
                self._build_field(
                    class_name, wire_name, py_name, property_schema, property_pointer, required
                )
            )

        additional_type: ir.TypeRef | None = None
        if additional is not None and isinstance(additional[0], Mapping) and additional[0]:
            additional_type = self.to_type(additional[0], additional[1], f"{class_name}_value")
        return _rename_shadowing(class_name, fields, taken), additional_type

    def _build_field(
        self,
        class_name: str,
        wire_name: str,
        py_name: str,
        property_schema: Any,
        pointer: str,
        required: set[str],
    ) -> ir.Field:
        field_type = self.to_type(property_schema, pointer, f"{class_name}_{wire_name}")
        own = property_schema if isinstance(property_schema, Mapping) else {}
        description = text(own.get("description"))
        if description is None and "$ref" not in own:
            resolved, _ = self.resolve(property_schema, pointer)
            if isinstance(resolved, Mapping):
                description = text(resolved.get("description"))

        default: str | None = None
        for candidate in _default_candidates(own):
            if fits(field_type, candidate, self.models):
                default = default_json(candidate)
                break
        return ir.Field(
            wire_name=wire_name,
            py_name=py_name,
            type=field_type,
            required=wire_name in required,
            nullable=isinstance(field_type, ir.NullableType) or field_type in (NONE, ANY),
            description=description,
            deprecated=own.get("deprecated") is True,
            read_only=own.get("readOnly") is True,
            write_only=own.get("writeOnly") is True,
            default_json=default,
            pointer=pointer,
        )

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
        if schema is True or schema is False or (isinstance(schema, Mapping) and not schema):
            return ANY
        if not isinstance(schema, Mapping):
            raise self.error(f"expected a schema object, found {type(schema).__name__}", pointer)
        if schema.get("x-stainless-any") is True:
            return ANY

        ref = schema.get("$ref")
        if isinstance(ref, str):
            return _with_null(self._ref_type(ref, pointer, hint), is_nullable(schema))

        inner = self._to_non_null_type(schema, pointer, hint, allow_hoist)
        return _with_null(inner, is_nullable(schema))

    def _ref_type(self, ref: str, pointer: str, hint: str) -> ir.TypeRef:
        key = self._component_key(ref)
        if key is None:
            target, target_pointer = self.resolve({"$ref": ref}, pointer)
            return self.to_type(target, target_pointer, hint)
        if key not in self._component_names:
            raise self.error(f"$ref target {ref!r} not found", pointer)
        named = self.component_type(key, ref)
        target = self.lookup(ref, pointer)
        if isinstance(target, Mapping) and is_nullable(target):
            # An alias carries null in its own target; a class cannot.
            if self.schema_kind(target, ref) != "alias":
                return ir.NullableType(inner=named)
        return named

    def _to_non_null_type(
        self, schema: Mapping[str, Any], pointer: str, hint: str, allow_hoist: bool
    ) -> ir.TypeRef:
        keyword = self._union_keyword(schema)
        if keyword is not None:
            return self._union(schema, keyword, pointer, hint)

        if "const" in schema:
            return _const_type(schema["const"])

        enum_values = schema.get("enum")
        if isinstance(enum_values, list) and enum_values:
            enum_type = self._enum_type(schema, enum_values, pointer, hint, allow_hoist)
            if enum_type is not None:
                return enum_type

        if "allOf" in schema and not self._is_object(schema, pointer):
            return self._all_of_type(schema, pointer, hint)

        if self._is_object(schema, pointer):
            return self._hoist(schema, pointer, hint) if allow_hoist else ir.MapType(value=ANY)

        types = [kind for kind in declared_types(schema) if kind != "null"]
        if not types and "null" in declared_types(schema):
            return NONE
        if len(types) > 1:
            variants = tuple(
                self._single_type(schema, kind, pointer, hint, allow_hoist) for kind in types
            )
            return ir.UnionType(variants=tuple(dict.fromkeys(variants)))
        return self._single_type(schema, types[0] if types else None, pointer, hint, allow_hoist)

    def _hoist(self, schema: Mapping[str, Any], pointer: str, hint: str) -> ir.NamedType:
        """Name an inline object or enum schema and build its model, once per pointer."""
        known = self._hoisted.get(pointer)
        if known is not None:
            return ir.NamedType(name=known)
        preferred = naming_override(schema, "type_name") or naming_override(schema, "model_name")
        name = self.new_class_name(preferred or hint)
        self._hoisted[pointer] = name
        log.debug("hoisted inline schema %s as %s", pointer, name)
        self.build_model(name, schema, pointer)
        return ir.NamedType(name=name)

    def _enum_type(
        self,
        schema: Mapping[str, Any],
        enum_values: list[Any],
        pointer: str,
        hint: str,
        allow_hoist: bool,
    ) -> ir.TypeRef | None:
        if any(isinstance(value, (dict, list)) for value in enum_values):
            # Enums of objects or arrays are checks on values; the declared type is more precise.
            return None
        values = list(
            {scalar_key(value): value for value in enum_values if value is not None}.values()
        )
        if not values:
            return NONE
        if len(values) > 1 and self._is_enum_class(schema) and allow_hoist:
            return self._hoist(schema, pointer, hint)
        return _literal_type(values)

    def _all_of_type(self, schema: Mapping[str, Any], pointer: str, hint: str) -> ir.TypeRef:
        """Type an `allOf` without properties: its first branch that has a type."""
        branches = schema["allOf"] if isinstance(schema["allOf"], list) else []
        for index, branch in enumerate(branches):
            if has_content(branch):
                return self.to_type(branch, f"{pointer}/allOf/{index}", hint)
        return self._single_type(schema, None, pointer, hint, True)

    def _single_type(
        self,
        schema: Mapping[str, Any],
        kind: str | None,
        pointer: str,
        hint: str,
        allow_hoist: bool,
    ) -> ir.TypeRef:
        if kind is None:
            if "items" in schema:
                kind = "array"
            elif "properties" in schema or "additionalProperties" in schema:
                kind = "object"
        if kind == "array":
            items = schema.get("items", True)
            return ir.ListType(item=self.to_type(items, f"{pointer}/items", f"{hint}_item"))
        if kind == "object":
            properties = schema.get("properties")
            if isinstance(properties, Mapping) and properties and allow_hoist:
                return self._hoist(schema, pointer, hint)
            additional = schema.get("additionalProperties", True)
            if isinstance(additional, Mapping) and additional:
                value = self.to_type(additional, f"{pointer}/additionalProperties", f"{hint}_value")
                return ir.MapType(value=value)
            return ir.MapType(value=ANY)
        format_name = schema.get("format")
        if kind == "string" and isinstance(format_name, str) and format_name in _STRING_FORMATS:
            return ir.PrimitiveType(kind=_STRING_FORMATS[format_name])
        if kind in _PRIMITIVES:
            return ir.PrimitiveType(kind=_PRIMITIVES[kind])
        if kind is None:
            if format_name == "binary":
                return ir.PrimitiveType(kind="bytes")
            return ANY
        raise self.error(f"unknown schema type {kind!r}", f"{pointer}/type")

    # -- unions --------------------------------------------------------------

    def _union(
        self, schema: Mapping[str, Any], keyword: str, pointer: str, hint: str
    ) -> ir.TypeRef:
        variants: list[ir.TypeRef] = []
        raw_variants: list[tuple[ir.TypeRef, Any, str]] = []
        nullable = False
        for index, variant in enumerate(schema[keyword]):
            variant_pointer = f"{pointer}/{keyword}/{index}"
            if is_skipped(variant) or not has_content(variant):
                continue
            variant_type = self.to_type(
                variant, variant_pointer, _variant_hint(hint, variant, index)
            )
            if variant_type == NONE:
                nullable = True
                continue
            if isinstance(variant_type, ir.NullableType):
                nullable = True
                variant_type = variant_type.inner
            if variant_type not in variants:
                variants.append(variant_type)
                raw_variants.append((variant_type, variant, variant_pointer))
        if not variants:
            return NONE
        if ANY in variants:
            return ANY
        if len(variants) == 1:
            return _with_null(variants[0], nullable)
        discriminator = _with_nested_tags(
            self._discriminator(schema, pointer, raw_variants),
            [variant for variant, _, _ in raw_variants],
            self.models,
        )
        return _with_null(
            ir.UnionType(variants=tuple(variants), discriminator=discriminator), nullable
        )

    def _discriminator(
        self,
        schema: Mapping[str, Any],
        pointer: str,
        variants: list[tuple[ir.TypeRef, Any, str]],
    ) -> ir.Discriminator | None:
        """Find the tag property of a union's object variants and the class of each tag value."""
        objects: list[tuple[str, list[tuple[str, Any, str]], str | None]] = []
        for variant_type, raw, variant_pointer in variants:
            if not isinstance(variant_type, ir.NamedType):
                continue
            resolved, resolved_pointer = self.resolve(raw, variant_pointer)
            if not isinstance(resolved, Mapping) or not self._is_object(resolved, resolved_pointer):
                continue
            properties, _, _ = self._collect_object(resolved, resolved_pointer, frozenset())
            ref = raw.get("$ref") if isinstance(raw, Mapping) else None
            key = self._component_key(ref) if isinstance(ref, str) else None
            objects.append((variant_type.name, properties, key))
        if len(objects) < 2:
            return None

        declared = schema.get("discriminator")
        if isinstance(declared, Mapping) and isinstance(declared.get("propertyName"), str):
            tag = declared["propertyName"]
            mapping = self._declared_mapping(
                declared.get("mapping"), {name for name, _, _ in objects}
            )
            for name, properties, key in objects:
                values = self._tag_values(properties, tag)
                if not values and key is not None and name not in mapping.values():
                    values = [key]
                for value in values:
                    mapping.setdefault(value, name)
            return ir.Discriminator(wire_name=tag, mapping=tuple(sorted(mapping.items())))

        for tag, _, _ in objects[0][1]:
            inferred: dict[str, str] = {}
            for name, properties, _ in objects:
                values = self._tag_values(properties, tag)
                if not values or any(value in inferred for value in values):
                    break
                inferred.update((value, name) for value in values)
            else:
                return ir.Discriminator(wire_name=tag, mapping=tuple(sorted(inferred.items())))
        return None

    def _declared_mapping(self, raw: Any, names: set[str]) -> dict[str, str]:
        mapping: dict[str, str] = {}
        if not isinstance(raw, Mapping):
            return mapping
        for tag, target in raw.items():
            if not isinstance(target, str):
                continue
            # 3.0 allows a bare component name in place of a `$ref`.
            key = self._component_key(target) if target.startswith("#") else target
            class_name = self._component_names.get(key) if key is not None else None
            if class_name in names:
                mapping[str(tag)] = class_name
        return mapping

    def _tag_values(self, properties: list[tuple[str, Any, str]], tag: str) -> list[str]:
        """Return the string values a variant fixes its tag property to, or nothing."""
        found: list[str] = []
        for wire_name, property_schema, property_pointer in properties:
            if wire_name != tag:
                continue
            resolved, _ = self.resolve(property_schema, property_pointer)
            found = []
            if not isinstance(resolved, Mapping):
                continue
            if isinstance(resolved.get("const"), str):
                found = [resolved["const"]]
            elif isinstance(resolved.get("enum"), list):
                values = [value for value in resolved["enum"] if value is not None]
                if values and all(isinstance(value, str) for value in values):
                    found = values
        return found


def _is_wrapper(schema: Mapping[str, Any]) -> bool:
    """Tell whether an `allOf` only annotates one type (`allOf: [$ref]` plus a description).

    Such a schema is that type. Another branch that lists `required` names, or
    properties of the schema itself, make it a merge instead.
    """
    branches = schema.get("allOf")
    if not isinstance(branches, list):
        return False
    content = [branch for branch in branches if has_content(branch)]
    if len(content) != 1:
        return False
    for part in (schema, *branches):
        if part is content[0] or not isinstance(part, Mapping):
            continue
        if part.get("properties") or "required" in part or "additionalProperties" in part:
            return False
    return True


def _variant_hint(hint: str, variant: Any, index: int) -> str:
    title = variant.get("title") if isinstance(variant, Mapping) else None
    if isinstance(title, str) and title.strip():
        return f"{hint}_{title}"
    return f"{hint}_variant{index}" if index else hint


def _member_overrides(schema: Mapping[str, Any], values: list[str | int]) -> dict[int, str]:
    """Member names the spec chooses, by position among the deduplicated values."""
    overrides: dict[int, str] = {}
    rename = schema.get("x-stainless-renameMap")
    if isinstance(rename, Mapping):
        # Only scalar values can name an enum member; a list or object is ignored.
        by_value = {
            scalar_key(wire): str(name)
            for name, wire in rename.items()
            if wire is None or isinstance(wire, (str, int, float))
        }
        for index, value in enumerate(values):
            if scalar_key(value) in by_value:
                overrides[index] = by_value[scalar_key(value)]
    varnames = schema.get("x-enum-varnames")
    if isinstance(varnames, list):
        positions = [index for index, value in enumerate(schema["enum"]) if value is not None]
        for index, value in enumerate(values):
            original = next(
                (p for p in positions if scalar_key(schema["enum"][p]) == scalar_key(value)), None
            )
            if original is not None and original < len(varnames) and index not in overrides:
                name = varnames[original]
                if isinstance(name, str) and name.strip():
                    overrides[index] = name
    return overrides


def _default_candidates(schema: Mapping[str, Any]) -> list[Any]:
    """Values a field may start with: a `const`, a one-value `x-stainless-const` enum, a default."""
    candidates: list[Any] = []
    # NOTE: a list or object `const` is no default: mypy types a factory such as
    # `lambda: [1]` as `list[int]`, which an optional `list[object]` field rejects.
    if "const" in schema and not isinstance(schema["const"], (list, dict)):
        candidates.append(schema["const"])
    enum_values = schema.get("enum")
    if schema.get("x-stainless-const") is True and isinstance(enum_values, list):
        values = [value for value in enum_values if value is not None]
        if len(values) == 1:
            candidates.append(values[0])
    if "default" in schema:
        candidates.append(schema["default"])
    return candidates


def _rename_shadowing(
    class_name: str, fields: list[ir.Field], taken: set[str]
) -> tuple[ir.Field, ...]:
    """Rename fields named like a class the model's annotations refer to.

    Inside a class body a field hides any outer name it shares, so `User: User`
    followed by `owner: User` would not type-check.
    """
    used = {class_name}
    for field in fields:
        used |= _names_in(field.type)
    renamed: list[ir.Field] = []
    for field in fields:
        if field.py_name in used:
            new_name = deduplicate(f"{field.py_name}_", taken)
            taken.add(new_name)
            log.debug(
                "field %s.%s renamed %s: it shadows a class", class_name, field.py_name, new_name
            )
            field = replace(field, py_name=new_name)
        renamed.append(field)
    return tuple(renamed)


def _names_in(type_ref: ir.TypeRef) -> set[str]:
    if isinstance(type_ref, ir.NamedType):
        return {type_ref.name}
    if isinstance(type_ref, ir.ListType):
        return _names_in(type_ref.item)
    if isinstance(type_ref, ir.MapType):
        return _names_in(type_ref.value)
    if isinstance(type_ref, ir.NullableType):
        return _names_in(type_ref.inner)
    if isinstance(type_ref, ir.UnionType):
        names: set[str] = set()
        for variant in type_ref.variants:
            names |= _names_in(variant)
        return names
    return set()


def _const_type(value: Any) -> ir.TypeRef:
    if value is None:
        return NONE
    if isinstance(value, (str, int)):
        return ir.LiteralType(values=(value,))
    if isinstance(value, float):
        return ir.PrimitiveType(kind="float")
    if isinstance(value, list):
        return ir.ListType(item=ANY)
    if isinstance(value, Mapping):
        return ir.MapType(value=ANY)
    return ANY


def _literal_type(values: list[Any]) -> ir.TypeRef:
    """Type a list of scalar enum values; floats cannot be literals and widen to `float`."""
    literals = tuple(value for value in values if isinstance(value, (str, int)))
    has_float = any(isinstance(value, float) for value in values)
    if not literals:
        return ir.PrimitiveType(kind="float")
    literal = ir.LiteralType(values=literals)
    if has_float:
        return ir.UnionType(variants=(literal, ir.PrimitiveType(kind="float")))
    return literal


def _with_null(inner: ir.TypeRef, nullable: bool) -> ir.TypeRef:
    if not nullable or isinstance(inner, ir.NullableType):
        return inner
    if inner in (NONE, ANY):
        return inner
    return ir.NullableType(inner=inner)


def _with_nested_tags(
    discriminator: ir.Discriminator | None,
    variants: list[ir.TypeRef],
    models: Mapping[str, ir.AnyModel],
) -> ir.Discriminator | None:
    """Add the tags of variants that are themselves tagged unions on the same property.

    A union of unions (OpenAI's `AssistantStreamEvent` is a union of
    `RunStreamEvent`, `MessageStreamEvent` and others, each tagged by `event`)
    then maps every leaf tag value straight to its class, instead of trying the
    nested unions in order.
    """
    nested: list[ir.Discriminator] = []
    aliased_models: list[ir.Model] = []
    for variant in variants:
        model = models.get(variant.name) if isinstance(variant, ir.NamedType) else None
        target = model.target if isinstance(model, ir.AliasModel) else None
        if isinstance(target, ir.NullableType):
            target = target.inner
        if isinstance(target, ir.UnionType) and target.discriminator is not None:
            nested.append(target.discriminator)
        elif isinstance(target, ir.NamedType) and target.name in models:
            # A one-variant `oneOf` collapses to its only class.
            aliased = models[target.name]
            if isinstance(aliased, ir.Model):
                aliased_models.append(aliased)
    if not nested:
        return discriminator
    tag = discriminator.wire_name if discriminator is not None else nested[0].wire_name
    if any(inner.wire_name != tag for inner in nested):
        return discriminator
    mapping = dict(discriminator.mapping) if discriminator is not None else {}
    for inner in nested:
        for value, class_name in inner.mapping:
            mapping.setdefault(value, class_name)
    for model in aliased_models:
        for field in model.fields:
            if field.wire_name == tag and isinstance(field.type, ir.LiteralType):
                for literal in field.type.values:
                    if isinstance(literal, str):
                        mapping.setdefault(literal, model.name)
    return ir.Discriminator(wire_name=tag, mapping=tuple(sorted(mapping.items())))
