# File generated from an OpenAPI spec by sdkgen 0.1.0. Do not edit.

"""Conversion helpers that generated models call from `from_dict` and `to_dict`."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any, TypeVar

__all__ = ["_enum", "_tagged", "_to_json", "_untagged"]

_E = TypeVar("_E", bound=enum.Enum)


def _enum(cls: type[_E], value: Any) -> Any:
    """Return the enum member for a wire value, or the value itself when this SDK does not know it."""
    try:
        return cls(value)
    except ValueError:
        return value


def _tagged(data: Any, tag: str, variants: Mapping[str, Any]) -> Any:
    """Parse a union member chosen by the value of its tag property."""
    if isinstance(data, Mapping):
        tag_value = data.get(tag)
        variant = variants.get(tag_value) if isinstance(tag_value, str) else None
        if variant is not None:
            return variant.from_dict(data)
    return data


def _untagged(data: Any, variants: tuple[Any, ...]) -> Any:
    """Parse a union member without a tag: the first variant whose required properties are present."""
    # NOTE: without a discriminator the choice depends on variant order when
    # several variants accept the same data.
    if isinstance(data, Mapping):
        for variant in variants:
            try:
                return variant.from_dict(data)
            except (KeyError, TypeError, AttributeError, ValueError):
                continue
    return data


def _to_json(value: Any) -> Any:
    """Convert models, enums and containers of them back to JSON values."""
    if isinstance(value, enum.Enum):
        return value.value
    to_dict = getattr(value, "to_dict", None)
    if to_dict is not None:
        return to_dict()
    if isinstance(value, Mapping):
        return {key: _to_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_to_json(item) for item in value]
    return value
