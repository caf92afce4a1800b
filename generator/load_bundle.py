"""Bundle relative file references into the main spec document.

A ``$ref`` to another file beside the spec is bundled: a schema is copied into
``#/components/schemas/<Name>`` and the reference rewritten, anything else is inlined.
The rest of the pipeline then sees only references of the form ``#/...``.
``iter_references`` uses the same rules to decide where a ``$ref`` is a reference.
"""

from __future__ import annotations

import logging
import re
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import unquote, urlsplit

from .errors import SourceLocation, SpecError
from .load_parse import MAX_DEPTH
from .load_pointers import _pointer_from_tokens, resolve_pointer, split_pointer
from .load_sources import _read_source, _SourceFile, _SourceIndex

log = logging.getLogger(__name__)

_SCHEMAS_PREFIX = "#/components/schemas/"
_COMPONENT_NAME_INVALID = re.compile(r"[^A-Za-z0-9._-]")


class _Context(Enum):
    """What the value at a position in an OpenAPI document is, as far as ``$ref`` goes."""

    OBJECT = "object"  # an OpenAPI object with fixed fields: a ``$ref`` there is inlined
    NAMED_MAP = "named map"  # a mapping from user-chosen names to OpenAPI objects
    SCHEMA = "schema"  # a schema: a ``$ref`` there is hoisted into components/schemas
    SCHEMA_MAP = "schema map"  # a mapping whose values are schemas
    SCHEMA_LIST = "schema list"  # a list whose items are schemas
    DATA = "data"  # literal values (examples, defaults, extensions): ``$ref`` means nothing


_SUBSCHEMA_KEYS = frozenset(
    {
        "items",
        "additionalItems",
        "additionalProperties",
        "not",
        "contains",
        "propertyNames",
        "if",
        "then",
        "else",
        "unevaluatedItems",
        "unevaluatedProperties",
        "contentSchema",
    }
)
_SCHEMA_MAP_KEYS = frozenset(
    {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}
)
_SCHEMA_LIST_KEYS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
_SCHEMA_DATA_KEYS = frozenset({"example", "examples", "default", "enum", "const"})
# Fields of OpenAPI objects whose value maps names the user chose to objects, so a
# name such as "example" or "default" there is not a keyword.
_NAMED_MAP_KEYS = frozenset(
    {
        "paths",
        "webhooks",
        "responses",
        "parameters",
        "headers",
        "content",
        "examples",
        "links",
        "callbacks",
        "encoding",
        "variables",
        "requestBodies",
        "securitySchemes",
        "pathItems",
    }
)
# Fields of OpenAPI objects holding literal values: `example` of a parameter, header
# or media type, and `value` of an Example Object.
# NOTE: discriminator `mapping` values are plain strings, not `$ref` objects, so one
# naming another file (`pet.yaml#/Pet`) is neither bundled nor rewritten.
_OBJECT_DATA_KEYS = frozenset({"example", "value"})


def _child_context(context: _Context, key: str, value: Any) -> _Context:
    if context is _Context.SCHEMA_MAP or context is _Context.SCHEMA_LIST:
        return _Context.SCHEMA
    if context is _Context.NAMED_MAP:
        return _Context.OBJECT
    if key.startswith("x-"):
        return _Context.DATA
    if context is _Context.SCHEMA:
        if key in _SUBSCHEMA_KEYS:
            # Draft 4-7 tuple validation writes `items` as a list of schemas.
            return _Context.SCHEMA_LIST if type(value) is list else _Context.SCHEMA
        if key in _SCHEMA_MAP_KEYS:
            return _Context.SCHEMA_MAP
        if key in _SCHEMA_LIST_KEYS:
            return _Context.SCHEMA_LIST
        if key in _SCHEMA_DATA_KEYS:
            return _Context.DATA
        return _Context.OBJECT
    if key == "schema":
        return _Context.SCHEMA
    if key == "schemas":
        return _Context.SCHEMA_MAP
    if key in _OBJECT_DATA_KEYS:
        return _Context.DATA
    if key in _NAMED_MAP_KEYS and type(value) is dict:
        return _Context.NAMED_MAP
    return _Context.OBJECT


def iter_references(
    document: Mapping[str, Any],
) -> Iterator[tuple[tuple[str, ...], str]]:
    """Yield the pointer tokens and value of every ``$ref`` that OpenAPI reads as a reference.

    Skips ``$ref`` keys inside literal data (examples, defaults, enums, ``x-`` extensions)
    and property names that happen to be ``$ref``.
    """
    stack: list[tuple[Any, _Context, tuple[str, ...]]] = [(document, _Context.OBJECT, ())]
    while stack:
        node, context, tokens = stack.pop()
        if type(node) is dict:
            ref = node.get("$ref")
            if type(ref) is str and context in (_Context.OBJECT, _Context.SCHEMA):
                yield tokens, ref
            items: Any = node.items()
        elif type(node) is list:
            items = ((str(position), item) for position, item in enumerate(node))
        else:
            continue
        pending = []
        for key, value in items:
            if type(value) is not dict and type(value) is not list:
                continue
            child_context: _Context
            if type(node) is list:
                child_context = _Context.SCHEMA if context is _Context.SCHEMA_LIST else context
            else:
                child_context = _child_context(context, key, value)
            if child_context is not _Context.DATA:
                pending.append((value, child_context, (*tokens, key)))
        stack.extend(reversed(pending))  # document order


@dataclass(slots=True)
class _RefSite:
    """Where a ``$ref`` was written: its pointer in the bundled document and in its file."""

    out_tokens: tuple[str, ...]
    file: Path
    file_tokens: tuple[str, ...]


class _Bundler:
    """Copy what relative file references point at into the main document."""

    def __init__(self, index: _SourceIndex, root_dir: Path) -> None:
        assert index.main is not None
        self.index = index
        self.root_dir = root_dir
        self.main = index.main
        self.out_path: list[str] = []
        self.file_path: list[str] = []
        self.hoisted: dict[tuple[Path, str], str] = {}
        self.new_schemas: dict[str, Any] = {}
        self.queue: deque[tuple[tuple[Path, str], str, _RefSite]] = deque()
        self.inlining: list[tuple[Path, str]] = []
        self.taken_names: set[str] = set()

    def bundle(self, main: _SourceFile) -> dict[str, Any]:
        components = main.document.get("components")
        schemas = components.get("schemas") if isinstance(components, dict) else None
        if isinstance(schemas, dict):
            self.taken_names.update(schemas)
            self._claim_component_names(schemas)

        document: dict[str, Any] = self._walk(main.document, _Context.OBJECT, self.main)
        while self.queue:
            target, name, site = self.queue.popleft()
            self.new_schemas[name] = self._walk_hoisted(target, name, site)

        if self.new_schemas:
            document = self._add_schemas(document, main)
        return document

    def _claim_component_names(self, schemas: dict[str, Any]) -> None:
        """Bundle ``components/schemas/Pet: {$ref: pet.yaml#/Pet}`` under the name Pet.

        Done before the walk, so references from anywhere else reuse that name.
        """
        for name, schema in schemas.items():
            if not (isinstance(schema, dict) and len(schema) == 1):
                continue
            ref = schema.get("$ref")
            if not isinstance(ref, str) or ref.startswith("#"):
                continue
            tokens = ("components", "schemas", name)
            site = _RefSite(tokens, self.main, tokens)
            target = self._target(ref, site)
            if target[0] != self.main and target not in self.hoisted:
                self._resolve_target(target, ref, site)
                self._register(target, name, ref, site)

    def _add_schemas(self, document: dict[str, Any], main: _SourceFile) -> dict[str, Any]:
        components = document.get("components", {})
        schemas = components.get("schemas", {}) if isinstance(components, dict) else None
        if not isinstance(schemas, dict):
            raise SpecError(
                "cannot add referenced schemas: components/schemas must be a mapping",
                "#/components",
                main.locate(("components",)),
            )
        document = dict(document)
        document["components"] = {
            **components,
            "schemas": {**schemas, **self.new_schemas},
        }
        return document

    # The walk returns the node itself when nothing under it changed, so a document
    # is copied only along the paths that lead to a rewritten reference.

    def _walk(self, node: Any, context: _Context, file: Path) -> Any:
        if len(self.out_path) >= MAX_DEPTH:
            raise SpecError(
                f"nesting deeper than {MAX_DEPTH} levels after inlining referenced files",
                _pointer_from_tokens(self.out_path),
                self._locate_in(file, self.file_path),
            )
        if type(node) is dict:
            if context in (_Context.OBJECT, _Context.SCHEMA) and type(node.get("$ref")) is str:
                return self._reference(node, context, file)
            return self._walk_members(node, context, file, skip=None)
        if type(node) is list:
            return self._walk_items(node, context, file)
        return node

    def _walk_members(
        self, node: dict[str, Any], context: _Context, file: Path, skip: str | None
    ) -> dict[str, Any]:
        changed: dict[str, Any] | None = None
        for key, value in node.items():
            if key == skip or (type(value) is not dict and type(value) is not list):
                continue
            child_context = _child_context(context, key, value)
            if child_context is _Context.DATA:
                continue
            self.out_path.append(key)
            self.file_path.append(key)
            new_value = self._walk(value, child_context, file)
            self.out_path.pop()
            self.file_path.pop()
            if new_value is not value:
                if changed is None:
                    changed = dict(node)
                changed[key] = new_value
        return node if changed is None else changed

    def _walk_items(self, node: list[Any], context: _Context, file: Path) -> list[Any]:
        item_context = _Context.SCHEMA if context is _Context.SCHEMA_LIST else context
        changed: list[Any] | None = None
        for position, item in enumerate(node):
            if type(item) is not dict and type(item) is not list:
                continue
            self.out_path.append(str(position))
            self.file_path.append(str(position))
            new_item = self._walk(item, item_context, file)
            self.out_path.pop()
            self.file_path.pop()
            if new_item is not item:
                if changed is None:
                    changed = list(node)
                changed[position] = new_item
        return node if changed is None else changed

    def _reference(self, node: dict[str, Any], context: _Context, file: Path) -> Any:
        ref: str = node["$ref"]
        if ref.startswith("#") and file == self.main:
            # A local reference in the main file stays as written.
            return self._walk_members(node, context, file, skip="$ref")

        site = _RefSite(tuple(self.out_path), file, tuple(self.file_path))
        target = self._target(ref, site)
        if target[0] == self.main:
            new_ref = "#" + target[1]
        elif context is _Context.SCHEMA:
            new_ref = _SCHEMAS_PREFIX + self._hoist(target, ref, site)
        else:
            return self._inline(node, context, target, ref, site)

        rest = self._walk_members(node, context, file, skip="$ref")
        return {key: new_ref if key == "$ref" else rest[key] for key in node}

    def _target(self, ref: str, site: _RefSite) -> tuple[Path, str]:
        """Return the file and fragment a ``$ref`` names, reading the file if it is new."""
        file_part, _, fragment = ref.partition("#")
        if fragment and not fragment.startswith("/"):
            raise self._error(
                f"not supported: $ref {ref!r}: the part after '#' must be a JSON "
                "pointer starting with '/'",
                site,
            )
        if not file_part:
            return site.file, fragment
        return self._target_file(file_part, site.file, ref, site), fragment

    def _target_file(self, file_part: str, file: Path, ref: str, site: _RefSite) -> Path:
        """Check a reference's file part and read the file it names."""
        parts = urlsplit(file_part)
        if parts.netloc or len(parts.scheme) > 1:
            raise self._error(
                f"remote $ref not supported: {ref!r}; the generator never fetches URLs, "
                "so download the file and reference it by relative path",
                site,
            )
        relative = unquote(file_part)
        if (
            PurePosixPath(relative).is_absolute()
            or PureWindowsPath(relative).is_absolute()
            or PureWindowsPath(relative).drive
        ):
            raise self._error(
                f"absolute path in $ref not supported: {ref!r}; reference the file by a path "
                "relative to the spec",
                site,
            )

        target = (file.parent / relative).resolve()
        if target == self.main:
            return target
        if not target.is_relative_to(self.root_dir):
            raise self._error(
                f"$ref {ref!r} points outside the spec's folder ({self.root_dir}); "
                "only files in that folder or below it are read",
                site,
            )
        if target not in self.index.files:
            main_display = self.index.files[self.main].display
            display = str(Path(main_display).parent / target.relative_to(self.root_dir))
            if not target.is_file():
                raise self._error(f"$ref {ref!r}: file {display} not found", site)
            self.index.add(_read_source(target, display, self.root_dir))
        return target

    def _resolve_target(self, target: tuple[Path, str], ref: str, site: _RefSite) -> Any:
        path, fragment = target
        source = self.index.files[path]
        try:
            return resolve_pointer(source.document, unquote(fragment))
        except (LookupError, ValueError):
            raise self._error(
                f"$ref {ref!r} not found: {source.display} has nothing at #{fragment}",
                site,
            ) from None

    def _hoist(self, target: tuple[Path, str], ref: str, site: _RefSite) -> str:
        name = self.hoisted.get(target)
        if name is None:
            self._resolve_target(target, ref, site)  # report a missing target at this $ref
            name = self._new_schema_name(target)
            self._register(target, name, ref, site)
        return name

    def _register(self, target: tuple[Path, str], name: str, ref: str, site: _RefSite) -> None:
        self.taken_names.add(name)
        self.hoisted[target] = name
        self.new_schemas[name] = None  # keeps the order of first reference
        self.queue.append((target, name, site))
        log.debug("bundled %s as %s%s", ref, _SCHEMAS_PREFIX, name)

    def _new_schema_name(self, target: tuple[Path, str]) -> str:
        """Name a hoisted schema after the last pointer token, else the file name."""
        tokens = split_pointer(unquote(target[1]))
        if tokens and not tokens[-1].isdigit():
            base = tokens[-1]
        else:
            base = target[0].name.split(".")[0]
        base = _COMPONENT_NAME_INVALID.sub("_", base) or "Schema"
        name = base
        suffix = 2
        while name in self.taken_names:
            name = f"{base}{suffix}"
            suffix += 1
        return name

    def _walk_hoisted(self, target: tuple[Path, str], name: str, site: _RefSite) -> Any:
        path, fragment = target
        node = self.index.files[path].document
        node = resolve_pointer(node, unquote(fragment))
        file_tokens = tuple(split_pointer(unquote(fragment)))
        out_tokens = ("components", "schemas", name)
        self.index.origins[out_tokens] = (path, file_tokens)
        self.out_path, self.file_path = list(out_tokens), list(file_tokens)
        return self._walk(node, _Context.SCHEMA, path)

    def _inline(
        self,
        node: dict[str, Any],
        context: _Context,
        target: tuple[Path, str],
        ref: str,
        site: _RefSite,
    ) -> Any:
        if target in self.inlining:
            raise self._error(f"$ref {ref!r} leads back to itself through non-schema objects", site)
        content = self._resolve_target(target, ref, site)

        path, fragment = target
        file_tokens = split_pointer(unquote(fragment))
        self.index.origins[site.out_tokens] = (path, tuple(file_tokens))
        saved_file_path = self.file_path
        self.inlining.append(target)
        self.file_path = list(file_tokens)
        result = self._walk(content, context, path)
        self.file_path = saved_file_path
        self.inlining.pop()

        # OpenAPI 3.1 lets `summary` and `description` beside a $ref override the target's.
        siblings = self._walk_members(node, context, site.file, skip="$ref")
        siblings = {key: value for key, value in siblings.items() if key != "$ref"}
        if siblings and type(result) is dict:
            result = {**result, **siblings}
        return result

    def _locate_in(self, file: Path, tokens: list[str] | tuple[str, ...]) -> SourceLocation:
        return self.index.files[file].locate(tokens)

    def _error(self, message: str, site: _RefSite) -> SpecError:
        return SpecError(
            message,
            _pointer_from_tokens((*site.out_tokens, "$ref")),
            self._locate_in(site.file, (*site.file_tokens, "$ref")),
        )
