"""Which names generated code reads from module scope, the basis of its import lines."""

from __future__ import annotations

import pytest

from generator.pysource import _used_names


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("x = Model.from_dict(data)\n", {"x", "Model", "data"}),
        # Attribute names and annotated targets at the start of a line are not reads.
        ("    field: Mapping[str, Any] = value\n", {"Mapping", "str", "Any", "value"}),
        ("obj.Sequence = other.Mapping\n", {"obj", "other"}),
        # Names on import lines are not reads.
        ("from typing import Any\nimport json\n", set()),
        # Text in strings, f-strings, docstrings and comments is not code.
        ('x = "Any"  # Mapping\ny = f"{Sequence}"\n', {"x", "y"}),
        ('"""Docstring naming Literal.\n\nAnd Optional.\n"""\nz = 1\n', {"z"}),
        ("a = rb'Final' + b'\\'Tuple\\''\n", {"a"}),
        # A number's exponent is not a name.
        ("n = 1e5 + 0x1F + 1_000j\n", {"n"}),
        # A line inside brackets starts a line too.
        ("call(\n    key: Any,\n    other=Value,\n)\n", {"call", "Any", "other", "Value"}),
        ("x = (\n    first.second\n    .third\n)\n", {"x", "first"}),
        ("long = first + \\\n    Second\n", {"long", "first", "Second"}),
    ],
)
def test_used_names(source: str, expected: set[str]) -> None:
    assert _used_names(source) == expected
