"""Read the optional YAML config file that overrides derived names and output settings.

Every key and value is checked when the file is read. An error names the file,
line, column and the JSON pointer of the key. An unknown key also gets the
closest valid one as a suggestion. `docs/configuration.md` documents each key.
"""

from __future__ import annotations

import difflib
import keyword
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import yaml

from .errors import SourceLocation, SpecError

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True, slots=True, kw_only=True)
class OperationOverride:
    """New names for one operation, selected by operationId or by `METHOD /path`."""

    resource: str | None = None
    method: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Config:
    package_name: str | None = None
    project_name: str | None = None
    client_class: str | None = None
    auth_argument: str | None = None
    auth_env_var: str | None = None
    env_prefix: str | None = None
    base_url: str | None = None
    operations: tuple[tuple[str, OperationOverride], ...] = ()
    # Relative POSIX paths under the output folder; None means the default,
    # `src/<package>/lib`.
    user_owned_paths: tuple[str, ...] | None = None
    # A folder path, already resolved against the config file's folder.
    templates: str | None = None
    source: str | None = field(default=None, compare=False)
    # Where each key of `operations` sits in the config file, for errors found later.
    operation_locations: tuple[tuple[str, SourceLocation], ...] = field(default=(), compare=False)

    def operation_override(
        self, operation_id: str | None, method: str, path: str
    ) -> OperationOverride | None:
        """Return the override for an operation, matching `METHOD /path` first, then operationId."""
        for key, override in self.operations:
            if _route_key(key) == (method.lower(), path):
                return override
        for key, override in self.operations:
            if operation_id is not None and key == operation_id:
                return override
        return None


def _route_key(key: str) -> tuple[str, str] | None:
    """Split a `METHOD /path` key into lowercase method and path; None for an operationId."""
    method, _, path = key.partition(" ")
    if method.lower() in HTTP_METHODS and path.startswith("/"):
        return method.lower(), path
    return None


def check_operation_overrides(
    config: Config, operations: Iterable[tuple[str, str, str | None]]
) -> None:
    """Reject `operations` keys that match no operation of the spec.

    Args:
        operations: (method, path, operationId) of every operation in the spec.

    Raises:
        SpecError: a key names no operation; the message suggests the closest one.
    """
    routes: set[tuple[str, str]] = set()
    names: list[str] = []
    for method, path, operation_id in operations:
        routes.add((method.lower(), path))
        names.append(f"{method.upper()} {path}")
        if operation_id is not None:
            names.append(operation_id)
    locations = dict(config.operation_locations)
    for key, _ in config.operations:
        if _route_key(key) in routes or key in names:
            continue
        suggestions = difflib.get_close_matches(key, sorted(set(names)), n=1)
        hint = f"; did you mean {suggestions[0]!r}?" if suggestions else ""
        raise SpecError(
            f"no operation in the spec has the operationId or route {key!r}{hint}",
            f"#/operations/{_escape(key)}",
            locations.get(key, SourceLocation(config.source or "config")),
        )


# Each string key, with a check of its value and what a valid value looks like.
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_PACKAGE = re.compile(r"[a-z_][a-z0-9_]*\Z")
_PROJECT = re.compile(r"[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?\Z")


def _is_identifier(value: str) -> bool:
    return bool(_IDENTIFIER.match(value)) and not keyword.iskeyword(value)


def _is_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


_STRING_KEYS: dict[str, tuple[Callable[[str], bool], str]] = {
    "package_name": (
        lambda value: bool(_PACKAGE.match(value)) and not keyword.iskeyword(value),
        "a lowercase Python identifier such as 'runloop_api_client'",
    ),
    "project_name": (
        lambda value: bool(_PROJECT.match(value)),
        "a distribution name of letters, digits, '.', '_' and '-' such as 'runloop-api-client'",
    ),
    "client_class": (_is_identifier, "a Python class name such as 'Runloop'"),
    "auth_argument": (_is_identifier, "a Python identifier such as 'bearer_token'"),
    "auth_env_var": (
        lambda value: bool(_IDENTIFIER.match(value)),
        "an environment variable name such as 'RUNLOOP_API_KEY'",
    ),
    "env_prefix": (
        lambda value: bool(_IDENTIFIER.match(value)),
        "an environment variable prefix such as 'RUNLOOP'",
    ),
    "base_url": (_is_url, "an http or https URL such as 'https://api.runloop.ai'"),
    "templates": (lambda value: True, "a folder path"),
}
TOP_LEVEL_KEYS = (*_STRING_KEYS, "operations", "user_owned_paths")
OPERATION_KEYS = ("resource", "method")


class _Positions:
    """Line and column of every key and value in a config file, from its YAML node tree."""

    def __init__(self, file: str, root: yaml.Node) -> None:
        self.file = file
        self.root = root

    def key(self, *tokens: str | int) -> SourceLocation:
        """Locate the key of a mapping member; a list item is located at its value."""
        return self._locate(tokens, at_key=True)

    def value(self, *tokens: str | int) -> SourceLocation:
        return self._locate(tokens, at_key=False)

    def _locate(self, tokens: tuple[str | int, ...], at_key: bool) -> SourceLocation:
        node = self.root
        mark = node.start_mark
        for token in tokens:
            child = _child(node, token)
            if child is None:
                # A merged or aliased member has no node of its own; the nearest
                # ancestor that does is the best position there is.
                break
            key_node, node = child
            mark = key_node.start_mark if at_key and key_node is not None else node.start_mark
        return SourceLocation(self.file, mark.line + 1, mark.column + 1)


def _child(node: yaml.Node, token: str | int) -> tuple[yaml.Node | None, yaml.Node] | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(token):
                return key_node, value_node
    if isinstance(node, yaml.SequenceNode) and isinstance(token, int) and token < len(node.value):
        return None, node.value[token]
    return None


def _check_duplicate_keys(node: yaml.Node, file: str, pointer: str = "#") -> None:
    """Reject a mapping that repeats a key; PyYAML would silently keep the last value."""
    if isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _check_duplicate_keys(item, file, f"{pointer}/{index}")
    if not isinstance(node, yaml.MappingNode):
        return
    seen: set[str] = set()
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
            if key_node.value in seen:
                mark = key_node.start_mark
                raise SpecError(
                    f"duplicate config key {key_node.value!r}",
                    f"{pointer}/{_escape(key_node.value)}",
                    SourceLocation(file, mark.line + 1, mark.column + 1),
                )
            seen.add(key_node.value)
            _check_duplicate_keys(value_node, file, f"{pointer}/{_escape(key_node.value)}")


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _unknown_key(
    key: object, valid: Iterable[str], pointer: str, location: SourceLocation
) -> SpecError:
    suggestions = difflib.get_close_matches(str(key), list(valid), n=1)
    hint = (
        f"; did you mean {suggestions[0]!r}?"
        if suggestions
        else f"; valid keys: {', '.join(valid)}"
    )
    return SpecError(f"unknown config key {str(key)!r}{hint}", pointer, location)


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    if isinstance(value, dict):
        return "a mapping" if value else "an empty mapping"
    if isinstance(value, str):
        return "an empty string" if not value else repr(value)
    return f"a {type(value).__name__}"


def load_config(path: str | Path | None) -> Config:
    """Read and check a config file; no path gives the default config.

    Raises:
        SpecError: the file is missing, is not YAML, repeats a key, or has an
            unknown key or an invalid value.
    """
    if path is None:
        return Config()
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecError(
            f"cannot read config file: {exc.strerror}", "#", SourceLocation(file)
        ) from None
    except UnicodeDecodeError:
        raise SpecError("config file is not UTF-8 text", "#", SourceLocation(file)) from None

    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return Config(source=file)
        _check_duplicate_keys(root, file)
        data = loader.construct_document(root)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        location = (
            SourceLocation(file, mark.line + 1, mark.column + 1)
            if mark is not None
            else SourceLocation(file)
        )
        problem = getattr(exc, "problem", None) or str(exc)
        raise SpecError(f"config file is not valid YAML: {problem}", "#", location) from None
    finally:
        loader.dispose()

    positions = _Positions(file, root)
    if not isinstance(data, dict):
        raise SpecError(
            f"config file must be a mapping of keys to values, found {_describe(data)}",
            "#",
            positions.value(),
        )
    return _read_config(data, positions, Path(path).parent)


def _read_config(data: dict[Any, Any], positions: _Positions, folder: Path) -> Config:
    values: dict[str, Any] = {}
    for key, value in data.items():
        name = str(key)
        pointer = f"#/{_escape(name)}"
        if name not in TOP_LEVEL_KEYS:
            raise _unknown_key(key, TOP_LEVEL_KEYS, pointer, positions.key(name))
        if name in _STRING_KEYS:
            values[name] = _read_string(name, value, pointer, positions)
        elif name == "user_owned_paths":
            values[name] = _read_user_owned(value, pointer, positions)
        else:
            values[name] = _read_operations(value, pointer, positions)

    if "templates" in values:
        templates = folder / values["templates"]
        if not templates.is_dir():
            raise SpecError(
                f"template folder not found: {templates}",
                "#/templates",
                positions.value("templates"),
            )
        values["templates"] = str(templates)
    operations = values.get("operations", ())
    return Config(
        source=positions.file,
        operation_locations=tuple((key, positions.key("operations", key)) for key, _ in operations),
        **values,
    )


def _read_string(name: str, value: Any, pointer: str, positions: _Positions) -> str:
    check, expected = _STRING_KEYS[name]
    if not isinstance(value, str) or not value or not check(value):
        raise SpecError(
            f"invalid value for {name}: expected {expected}, found {_describe(value)}",
            pointer,
            positions.value(name),
        )
    return value


def _read_user_owned(value: Any, pointer: str, positions: _Positions) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise SpecError(
            "invalid value for user_owned_paths: expected a list of paths, "
            f"found {_describe(value)}",
            pointer,
            positions.value("user_owned_paths"),
        )
    paths = []
    for index, item in enumerate(value):
        location = positions.value("user_owned_paths", index)
        if not isinstance(item, str) or not item:
            raise SpecError(
                f"expected a path, found {_describe(item)}", f"{pointer}/{index}", location
            )
        parts = [part for part in PurePosixPath(item).parts if part != "."]
        if item.startswith("/") or "\\" in item or ".." in parts or not parts:
            raise SpecError(
                f"invalid user-owned path {item!r}: expected a path inside the output folder, "
                "relative to it, with '/' separators and no '..'",
                f"{pointer}/{index}",
                location,
            )
        paths.append("/".join(parts))
    return tuple(paths)


def _read_operations(
    value: Any, pointer: str, positions: _Positions
) -> tuple[tuple[str, OperationOverride], ...]:
    if not isinstance(value, dict):
        raise SpecError(
            "invalid value for operations: expected a mapping of operationId or "
            f"'METHOD /path' to overrides, found {_describe(value)}",
            pointer,
            positions.value("operations"),
        )
    result = []
    for key, override in sorted(value.items(), key=lambda item: str(item[0])):
        name = str(key)
        entry_pointer = f"{pointer}/{_escape(name)}"
        if not isinstance(override, dict) or not override:
            raise SpecError(
                "expected a mapping with 'resource' and/or 'method', "
                f"found {_describe(override)}",
                entry_pointer,
                positions.value("operations", name),
            )
        for sub_key in override:
            if sub_key not in OPERATION_KEYS:
                raise _unknown_key(
                    sub_key,
                    OPERATION_KEYS,
                    f"{entry_pointer}/{_escape(str(sub_key))}",
                    positions.key("operations", name, str(sub_key)),
                )
        resource = override.get("resource")
        method = override.get("method")
        where = ("operations", name)
        if resource is not None and not (
            isinstance(resource, str) and all(_is_identifier(part) for part in resource.split("."))
        ):
            raise SpecError(
                "invalid resource: expected Python identifiers joined by '.' such as "
                f"'benchmarks.runs', found {_describe(resource)}",
                f"{entry_pointer}/resource",
                positions.value(*where, "resource"),
            )
        if method is not None and not (isinstance(method, str) and _is_identifier(method)):
            raise SpecError(
                f"invalid method: expected a Python identifier such as 'complete', "
                f"found {_describe(method)}",
                f"{entry_pointer}/method",
                positions.value(*where, "method"),
            )
        result.append((name, OperationOverride(resource=resource, method=method)))
    return tuple(result)
