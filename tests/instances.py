"""Make random JSON values that conform to a spec's schemas, and check round trips.

The maker reads raw schemas, not the IR, so a walker bug cannot hide itself by
shaping the test data. It honours what decides the shape of a value (types,
`$ref`, `allOf`, `oneOf`/`anyOf` with their tags, enums, `const`, nullability,
required properties, `additionalProperties`) and ignores checks that the SDK
does not act on (`pattern`, lengths, ranges). Objects that allow unknown keys
get some, so round trips also cover keys the SDK does not know.
"""

from __future__ import annotations

import base64
import json
import random
from collections.abc import Mapping
from types import ModuleType
from typing import Any

from generator import ir

SCHEMA_PREFIX = "#/components/schemas/"

DATE_TIMES = (
    "2024-01-02T03:04:05Z",
    "2024-01-02T03:04:05.123456789+05:30",
    "2024-02-29T23:59:59.5-08:00",
    "1999-12-31T23:59:59+00:00",
    "2024-01-02T03:04:05.120z",
)
DATES = ("2024-02-29", "1970-01-01", "2038-01-19")
TEXTS = ("", "plain", "quote ' and \" and \\ backslash", "üñíçødé ✓", "line\nbreak", "1e3")
# Integers past 2**53 lose precision as floats; int64 fields must keep them exact.
INTEGERS = (0, 1, -7, 2**31, 2**53 + 1, -(2**63), 2**63 - 1)


class TooDeep(Exception):
    """The schema needs deeper nesting than the maker allows (a required recursive property)."""


class InstanceMaker:
    """Builds conforming instances of the schemas in one document."""

    def __init__(self, document: Mapping[str, Any], seed: int, max_depth: int = 5) -> None:
        self.document = document
        self.random = random.Random(seed)
        self.max_depth = max_depth

    def make(self, schema: Any, depth: int = 0) -> Any:
        if depth > self.max_depth + 6:
            raise TooDeep()
        if schema is True or schema == {} or schema is None:
            return self._anything(depth)
        if not isinstance(schema, Mapping):
            return self._anything(depth)
        if isinstance(schema.get("$ref"), str):
            target = self.resolve(schema["$ref"])
            if schema.get("nullable") is True and self.random.random() < 0.2:
                return None
            return self.make(target, depth + 1)
        if schema.get("x-stainless-any") is True:
            return self._anything(depth)
        if _nullable(schema) and self.random.random() < 0.2:
            return None
        if "const" in schema:
            return schema["const"]
        enum_values = schema.get("enum")
        if isinstance(enum_values, list) and enum_values:
            return self.random.choice(enum_values)
        for keyword in ("oneOf", "anyOf"):
            branches = schema.get(keyword)
            if isinstance(branches, list) and any(_has_content(b) for b in branches):
                return self._union(schema, branches, depth)
        if isinstance(schema.get("allOf"), list):
            return self._all_of(schema, depth)
        return self._typed(schema, depth)

    def resolve(self, ref: str) -> Any:
        node: Any = self.document
        for raw in ref[2:].split("/"):
            token = raw.replace("~1", "/").replace("~0", "~")
            # A pointer may step through a `$ref` (a response reused from components).
            while isinstance(node, Mapping) and token not in node and "$ref" in node:
                node = self.resolve(node["$ref"])
            node = node[int(token)] if isinstance(node, list) else node[token]
        while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
            return self.resolve(node["$ref"])
        return node

    def _deref(self, schema: Any) -> Any:
        while isinstance(schema, Mapping) and isinstance(schema.get("$ref"), str):
            schema = self.resolve(schema["$ref"])
        return schema

    # -- composition ---------------------------------------------------------

    def _union(self, schema: Mapping[str, Any], branches: list[Any], depth: int) -> Any:
        content = [b for b in branches if _has_content(b) and not _is_null_type(b)]
        if not content:
            return None
        if len(content) < len(branches) and self.random.random() < 0.2:
            return None
        # Deep down, prefer the variant least likely to recurse.
        branch = content[0] if depth > self.max_depth else self.random.choice(content)
        value = self.make(branch, depth + 1)
        discriminator = schema.get("discriminator")
        if (
            isinstance(value, dict)
            and isinstance(discriminator, Mapping)
            and isinstance(discriminator.get("propertyName"), str)
        ):
            tag = self._tag_for(branch, discriminator)
            if tag is not None:
                value[discriminator["propertyName"]] = tag
        return value

    def _tag_for(self, branch: Any, discriminator: Mapping[str, Any]) -> str | None:
        ref = branch.get("$ref") if isinstance(branch, Mapping) else None
        mapping = discriminator.get("mapping")
        if isinstance(mapping, Mapping):
            for tag, target in mapping.items():
                if target == ref or (ref and ref == f"{SCHEMA_PREFIX}{target}"):
                    return str(tag)
        properties, _, _ = self._collect(self._deref(branch))
        tag_schema = self._deref(properties.get(discriminator["propertyName"]))
        if isinstance(tag_schema, Mapping) and ("const" in tag_schema or "enum" in tag_schema):
            return None  # the value made from the variant already carries its tag
        if isinstance(ref, str) and ref.startswith(SCHEMA_PREFIX):
            return ref[len(SCHEMA_PREFIX) :].replace("~1", "/").replace("~0", "~")
        return None

    def _all_of(self, schema: Mapping[str, Any], depth: int) -> Any:
        branches = [b for b in schema["allOf"] if _has_content(b)]
        if any(self._is_object(b) for b in schema["allOf"]) or schema.get("properties"):
            return self._object(schema, depth)
        return self.make(branches[0], depth + 1) if branches else self._anything(depth)

    def _is_object(self, schema: Any) -> bool:
        schema = self._deref(schema)
        if not isinstance(schema, Mapping):
            return False
        if schema.get("properties") or schema.get("type") == "object":
            return True
        return any(self._is_object(b) for b in schema.get("allOf") or ())

    def _collect(
        self, schema: Any, seen: frozenset[int] = frozenset()
    ) -> tuple[dict[str, Any], set[str], Any]:
        """Merge properties, required names and additionalProperties through allOf."""
        properties: dict[str, Any] = {}
        required: set[str] = set()
        additional: Any = True
        if not isinstance(schema, Mapping) or id(schema) in seen:
            return properties, required, additional
        for branch in schema.get("allOf") or ():
            branch_properties, branch_required, branch_additional = self._collect(
                self._deref(branch), seen | {id(schema)}
            )
            properties.update(branch_properties)
            required |= branch_required
            if branch_additional is not True:
                additional = branch_additional
        own = schema.get("properties")
        if isinstance(own, Mapping):
            properties.update({str(k): v for k, v in own.items()})
        if isinstance(schema.get("required"), list):
            required |= {name for name in schema["required"] if isinstance(name, str)}
        if "additionalProperties" in schema:
            additional = schema["additionalProperties"]
        return properties, required, additional

    # -- typed values --------------------------------------------------------

    def _typed(self, schema: Mapping[str, Any], depth: int) -> Any:
        types = schema.get("type")
        if isinstance(types, list):
            choices = [t for t in types if t != "null"] or ["null"]
            kind = self.random.choice(choices)
        elif isinstance(types, str):
            kind = types
        elif "properties" in schema or "additionalProperties" in schema:
            kind = "object"
        elif "items" in schema:
            kind = "array"
        else:
            return self._anything(depth)
        if kind == "object":
            return self._object(schema, depth)
        if kind == "array":
            count = 0 if depth > self.max_depth else self.random.randint(0, 3)
            return [self.make(schema.get("items", True), depth + 1) for _ in range(count)]
        if kind == "string":
            return self._string(schema.get("format"))
        if kind == "integer":
            return self.random.choice(INTEGERS)
        if kind == "number":
            return self.random.choice((0.5, -3.25, 1e300, 7, 0.1))
        if kind == "boolean":
            return self.random.random() < 0.5
        if kind == "null":
            return None
        return self._anything(depth)

    def _object(self, schema: Mapping[str, Any], depth: int) -> dict[str, Any]:
        properties, required, additional = self._collect(schema)
        value: dict[str, Any] = {}
        for name, property_schema in properties.items():
            if name in required or (depth <= self.max_depth and self.random.random() < 0.6):
                value[name] = self.make(property_schema, depth + 1)
        if isinstance(additional, Mapping) and additional:
            for index in range(self.random.randint(0, 2)):
                key = f"extra_{index}"
                if key not in properties:
                    value[key] = self.make(additional, depth + 1)
        elif additional is not False and self.random.random() < 0.5:
            # A key this SDK does not know, as a newer server might send.
            key = "unknown_key_from_a_newer_server"
            if key not in properties:
                value[key] = {"nested": [1, "two", None]}
        return value

    def _string(self, format_name: Any) -> str:
        if format_name == "date-time":
            return self.random.choice(DATE_TIMES)
        if format_name == "date":
            return self.random.choice(DATES)
        if format_name == "uuid":
            return "123e4567-e89b-12d3-a456-426614174000"
        if format_name == "byte":
            return base64.b64encode(b"\x00\xffbytes").decode()
        return self.random.choice(TEXTS)

    def _anything(self, depth: int) -> Any:
        choices: list[Any] = ["text", 3, 2.5, True, None]
        if depth <= self.max_depth:
            choices += [{"free": ["form", 1]}, [1, "a"]]
        return self.random.choice(choices)


def _nullable(schema: Mapping[str, Any]) -> bool:
    types = schema.get("type")
    return (
        schema.get("nullable") is True
        or types == "null"
        or (isinstance(types, list) and "null" in types)
        or (isinstance(schema.get("enum"), list) and None in schema["enum"])
    )


def _is_null_type(schema: Any) -> bool:
    return isinstance(schema, Mapping) and (
        schema.get("type") == "null" or schema.get("type") == ["null"]
    )


_ANNOTATIONS = {
    "description", "title", "nullable", "deprecated", "default", "example", "examples",
    "readOnly", "writeOnly", "format", "required", "discriminator", "externalDocs", "xml",
    "minLength", "maxLength", "pattern", "minimum", "maximum", "exclusiveMinimum",
    "exclusiveMaximum", "multipleOf", "minItems", "maxItems", "uniqueItems",
    "minProperties", "maxProperties", "$comment",
}  # fmt: skip


def _has_content(schema: Any) -> bool:
    if not isinstance(schema, Mapping):
        return schema is not True and schema is not False
    return any(not str(k).startswith("x-") and k not in _ANNOTATIONS for k in schema)


# -- round trips -----------------------------------------------------------------------


def same_json(left: Any, right: Any) -> bool:
    """Compare as JSON text, so `1`, `1.0` and `true` count as different values."""
    return json.dumps(left, sort_keys=True) == json.dumps(right, sort_keys=True)


def round_trip(
    types_module: ModuleType, models_module: ModuleType, model: ir.AnyModel, data: Any
) -> Any:
    """Parse `data` as the model and convert it back to JSON values."""
    if isinstance(model, ir.Model):
        cls = getattr(types_module, model.name)
        return cls.from_dict(data).to_dict()
    if isinstance(model, ir.AliasModel):
        module = __import__(f"{types_module.__name__}.{model.module}", fromlist=["_"])
        parse = getattr(module, f"parse_{model.module}")
        return models_module._to_json(parse(data))
    cls = getattr(types_module, model.name)
    return models_module._to_json(models_module._enum(cls, data))


def check_round_trips(
    document: Mapping[str, Any],
    models: tuple[ir.AnyModel, ...],
    package: ModuleType,
    *,
    seed: int,
    per_model: int,
) -> tuple[int, list[str]]:
    """Round-trip `per_model` instances of every model; return the count and the failures."""
    types_module = __import__(f"{package.__name__}.types", fromlist=["_"])
    models_module = __import__(f"{package.__name__}._models", fromlist=["_"])
    maker = InstanceMaker(document, seed)
    checked = 0
    failures: list[str] = []
    for model in models:
        schema = maker.resolve(model.pointer)
        for _ in range(per_model):
            try:
                data = maker.make(schema)
            except TooDeep:
                continue
            if data is None and not isinstance(model, ir.AliasModel):
                # A nullable class schema: references to it carry the null, not the class.
                continue
            before = json.dumps(data, sort_keys=True)
            try:
                result = round_trip(types_module, models_module, model, data)
            except Exception as exc:  # noqa: BLE001 - any crash is a failure to report
                failures.append(
                    f"{model.name} ({model.pointer}): {type(exc).__name__}: {exc}\n  data: {before[:500]}"
                )
                continue
            checked += 1
            if json.dumps(data, sort_keys=True) != before:
                failures.append(
                    f"{model.name}: from_dict changed its input\n  data: {before[:500]}"
                )
            elif not same_json(result, data):
                failures.append(
                    f"{model.name} ({model.pointer}): round trip differs\n  data:   {before[:500]}\n"
                    f"  result: {json.dumps(result, sort_keys=True)[:500]}"
                )
    return checked, failures
