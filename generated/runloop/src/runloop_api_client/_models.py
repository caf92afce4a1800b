# File generated from an OpenAPI spec by sdkgen 0.1.0. Do not edit.

"""Conversion helpers that generated models call from `from_dict` and `to_dict`.

Every helper keeps a value it cannot convert as it came: an enum value this SDK
does not know, a date-time string it cannot parse, an object whose tag names a
variant added after this SDK was generated. Such values go back out unchanged.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

__all__ = [
    "_by_shape",
    "_enum",
    "_parse_date",
    "_parse_datetime",
    "_tagged",
    "_to_json",
]

_E = TypeVar("_E", bound=enum.Enum)

# One choice of `_by_shape`: how to parse the object (None keeps it as it is), the
# keys it must have, and every key it declares with the JSON kinds its value may
# have ("string null"; empty for any kind).
Shape = tuple[Callable[[Any], Any] | None, tuple[str, ...], tuple[tuple[str, str], ...]]

# Python before 3.11 reads only `+HH:MM` offsets and 3 or 6 fraction digits.
_FRACTION = re.compile(r"\.(\d+)")


class WireDateTime(datetime):
    """A `datetime` parsed from JSON that remembers its text, so it is sent back unchanged."""

    __slots__ = ("wire",)
    wire: str


class WireDate(date):
    """A `date` parsed from JSON that remembers its text, so it is sent back unchanged."""

    __slots__ = ("wire",)
    wire: str


def _enum(cls: type[_E], value: Any) -> Any:
    """Return the enum member for a wire value, or the value itself when this SDK does not know it."""
    try:
        return cls(value)
    except ValueError:
        return value


def _parse_datetime(value: Any) -> Any:
    """Parse an RFC 3339 date-time, keeping its offset; other values come back as they are."""
    if not isinstance(value, str):
        return value
    try:
        parsed = WireDateTime.fromisoformat(value)
    except ValueError:
        try:
            parsed = WireDateTime.fromisoformat(_normalized_datetime(value))
        except ValueError:
            return value
    parsed.wire = value
    return parsed


def _normalized_datetime(value: str) -> str:
    text = value.strip()
    if text[-1:] in ("Z", "z"):
        text = text[:-1] + "+00:00"

    def six_digits(match: re.Match[str]) -> str:
        return "." + (match.group(1) + "000000")[:6]

    return _FRACTION.sub(six_digits, text, count=1)


def _parse_date(value: Any) -> Any:
    """Parse a `YYYY-MM-DD` date; other values come back as they are."""
    if not isinstance(value, str):
        return value
    try:
        parsed = WireDate.fromisoformat(value)
    except ValueError:
        return value
    parsed.wire = value
    return parsed


def _tagged(
    data: Any, tag: str, variants: Mapping[str, Any], untagged: Sequence[Shape] = ()
) -> Any:
    """Parse a union member chosen by the value of its tag property.

    `variants` maps tag values to model classes. An object whose tag this SDK
    does not know is matched against the `untagged` variants by its keys, and
    kept as it is when none fits.
    """
    if not isinstance(data, Mapping):
        return data
    tag_value = data.get(tag)
    variant = variants.get(tag_value) if isinstance(tag_value, str) else None
    if variant is not None:
        return variant.from_dict(data)
    return _by_shape(data, untagged)


def _by_shape(data: Any, shapes: Sequence[Shape]) -> Any:
    """Parse a union member that has no tag, choosing the variant by the object's keys.

    A variant is a candidate when all its required keys are present and every
    key it declares contains a value of a JSON kind it allows. The candidate that
    declares the most of the object's keys wins; a tie goes to the variant that
    declares fewer keys, then to the one listed first. With no candidate the
    object is kept as it is.
    """
    if not isinstance(data, Mapping):
        return data
    best: Shape | None = None
    best_score = -1
    for shape in shapes:
        _, required, known = shape
        if not all(key in data for key in required):
            continue
        score = 0
        for key, kinds in known:
            if key in data:
                if kinds and _json_kind(data[key]) not in kinds:
                    break
                score += 1
        else:
            if (
                best is None
                or score > best_score
                or (score == best_score and len(known) < len(best[2]))
            ):
                best, best_score = shape, score
    if best is None or best[0] is None:
        return data
    return best[0](data)


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _to_json(value: Any) -> Any:
    """Convert models, enums, dates and containers of them back to JSON values."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date):
        # `datetime` is a subclass of `date`; both keep the text they were parsed from.
        wire: str | None = getattr(value, "wire", None)
        return wire if wire is not None else value.isoformat()
    to_dict = getattr(value, "to_dict", None)
    if to_dict is not None:
        return to_dict()
    if isinstance(value, Mapping):
        return {key: _to_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_to_json(item) for item in value]
    return value
