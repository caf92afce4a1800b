"""Read the optional YAML config file that overrides derived names and output settings."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import SourceLocation, SpecError


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
    user_owned_paths: tuple[str, ...] | None = None
    templates: str | None = None
    source: str | None = field(default=None, compare=False)

    def operation_override(
        self, operation_id: str | None, method: str, path: str
    ) -> OperationOverride | None:
        """Return the override for an operation, matching `METHOD /path` first, then operationId."""
        route = f"{method.upper()} {path}"
        for key, override in self.operations:
            if key.upper() == route.upper() or (operation_id is not None and key == operation_id):
                return override
        return None


_STRING_KEYS = (
    "package_name",
    "project_name",
    "client_class",
    "auth_argument",
    "auth_env_var",
    "env_prefix",
    "base_url",
    "templates",
)
TOP_LEVEL_KEYS = (*_STRING_KEYS, "operations", "user_owned_paths")
OPERATION_KEYS = ("resource", "method")


def _unknown_key(
    key: object, valid: tuple[str, ...], pointer: str, location: SourceLocation
) -> SpecError:
    suggestions = difflib.get_close_matches(str(key), valid, n=1)
    hint = (
        f"; did you mean {suggestions[0]!r}?"
        if suggestions
        else f"; valid keys: {', '.join(valid)}"
    )
    return SpecError(f"unknown config key {str(key)!r}{hint}", pointer, location)


def _expect_str(value: Any, pointer: str, location: SourceLocation) -> str:
    if not isinstance(value, str) or not value:
        raise SpecError(
            f"expected a non-empty string, found {type(value).__name__}",
            pointer,
            location,
        )
    return value


def load_config(path: str | Path | None) -> Config:
    """Read and check a config file; no path gives the default config.

    Raises:
        SpecError: the file is missing, is not YAML, or has an unknown key or a wrong type.
    """
    if path is None:
        return Config()
    location = SourceLocation(str(path))
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecError(f"cannot read config file: {exc.strerror}", "#", location) from None
    except UnicodeDecodeError:
        raise SpecError("config file is not UTF-8 text", "#", location) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            location = SourceLocation(str(path), mark.line + 1, mark.column + 1)
        raise SpecError(f"config file is not valid YAML: {exc}", "#", location) from None
    if data is None:
        return Config(source=str(path))
    if not isinstance(data, dict):
        raise SpecError("config file must be a mapping of keys to values", "#", location)

    values: dict[str, Any] = {}
    for key, value in data.items():
        pointer = f"#/{key}"
        if key not in TOP_LEVEL_KEYS:
            raise _unknown_key(key, TOP_LEVEL_KEYS, pointer, location)
        if key in _STRING_KEYS:
            values[key] = _expect_str(value, pointer, location)
        elif key == "user_owned_paths":
            if not isinstance(value, list):
                raise SpecError("expected a list of paths", pointer, location)
            values[key] = tuple(
                _expect_str(item, f"{pointer}/{i}", location) for i, item in enumerate(value)
            )
        else:
            values[key] = _read_operations(value, pointer, location)
    return Config(source=str(path), **values)


def _read_operations(
    value: Any, pointer: str, location: SourceLocation
) -> tuple[tuple[str, OperationOverride], ...]:
    if not isinstance(value, dict):
        raise SpecError(
            "expected a mapping of operationId or 'METHOD /path' to overrides",
            pointer,
            location,
        )
    result = []
    for key, override in sorted(value.items(), key=lambda item: str(item[0])):
        entry_pointer = f"{pointer}/{str(key).replace('~', '~0').replace('/', '~1')}"
        if not isinstance(override, dict):
            raise SpecError(
                "expected a mapping with 'resource' and/or 'method'",
                entry_pointer,
                location,
            )
        for sub_key in override:
            if sub_key not in OPERATION_KEYS:
                raise _unknown_key(sub_key, OPERATION_KEYS, f"{entry_pointer}/{sub_key}", location)
        result.append(
            (
                str(key),
                OperationOverride(
                    resource=_optional_str(
                        override.get("resource"), f"{entry_pointer}/resource", location
                    ),
                    method=_optional_str(
                        override.get("method"), f"{entry_pointer}/method", location
                    ),
                ),
            )
        )
    return tuple(result)


def _optional_str(value: Any, pointer: str, location: SourceLocation) -> str | None:
    return None if value is None else _expect_str(value, pointer, location)
