# File generated from an OpenAPI spec by sdkgen 0.1.0. Do not edit.
"""Models of the RunLoop API API, imported on first use."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .benchmark_run_state import BenchmarkRunState as BenchmarkRunState
    from .benchmark_run_view import BenchmarkRunView as BenchmarkRunView

_MODULES: dict[str, str] = {
    "BenchmarkRunState": "benchmark_run_state",
    "BenchmarkRunView": "benchmark_run_view",
}

__all__ = [
    "BenchmarkRunState",
    "BenchmarkRunView",
]


def __getattr__(name: str) -> object:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
