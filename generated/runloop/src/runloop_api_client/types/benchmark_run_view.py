# File generated from an OpenAPI spec by sdkgen 0.1.0. Do not edit.

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .._models import _enum, _to_json
from .benchmark_run_state import BenchmarkRunState

__all__ = ["BenchmarkRunView"]

_FIELDS = frozenset(
    {
        "id",
        "benchmark_id",
        "name",
        "start_time_ms",
        "duration_ms",
        "state",
        "score",
        "metadata",
        "purpose",
        "environment_variables",
        "secrets_provided",
    }
)
_OPTIONAL = (
    "benchmark_id",
    "name",
    "duration_ms",
    "score",
    "purpose",
    "environment_variables",
    "secrets_provided",
)


@dataclass(slots=True, kw_only=True)
class BenchmarkRunView:
    """A BenchmarkRunView represents a run of a complete set of Scenarios, organized under
    a Benchmark or created by a BenchmarkJob.
    """

    id: str
    """The ID of the BenchmarkRun."""

    benchmark_id: str | None = None
    """The ID of the Benchmark definition. Present if run was created from a benchmark
    definition.
    """

    name: str | None = None
    """The name of the BenchmarkRun."""

    start_time_ms: int
    """The time the benchmark run execution started (Unix timestamp milliseconds)."""

    duration_ms: int | None = None
    """The duration for the BenchmarkRun to complete."""

    state: BenchmarkRunState | str
    """The state of the BenchmarkRun."""

    score: float | None = None
    """The final score across the BenchmarkRun, present once completed. Calculated as sum
    of scenario scores / number of scenario runs.
    """

    metadata: dict[str, str]
    """User defined metadata to attach to the benchmark run for organization."""

    purpose: str | None = None
    """Purpose of the run."""

    environment_variables: dict[str, str] | None = None
    """Environment variables used to run the benchmark."""

    secrets_provided: dict[str, str] | None = None
    """User secrets used to run the benchmark. Example: {"DB_PASS": "DATABASE_PASSWORD"}
    would set the environment variable 'DB_PASS' on all scenario devboxes to the value
    of the secret 'DATABASE_PASSWORD'.
    """

    _extra: dict[str, Any] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _nulls: tuple[str, ...] = field(default=(), init=False, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BenchmarkRunView:
        """Build the model from decoded JSON; unknown keys are kept and sent back by `to_dict`."""
        obj = object.__new__(cls)
        obj.id = data["id"]
        obj.benchmark_id = data.get("benchmark_id")
        obj.name = data.get("name")
        obj.start_time_ms = data["start_time_ms"]
        obj.duration_ms = data.get("duration_ms")
        obj.state = _enum(BenchmarkRunState, data["state"])
        obj.score = data.get("score")
        obj.metadata = data["metadata"]
        obj.purpose = data.get("purpose")
        obj.environment_variables = data.get("environment_variables")
        obj.secrets_provided = data.get("secrets_provided")
        if data.keys() <= _FIELDS:
            obj._extra = {}
        else:
            obj._extra = {
                key: value for key, value in data.items() if key not in _FIELDS
            }
        if None in data.values():
            obj._nulls = tuple(
                key for key in _OPTIONAL if key in data and data[key] is None
            )
        else:
            obj._nulls = ()
        return obj

    def to_dict(self) -> dict[str, Any]:
        """Convert the model back to JSON values, keeping unknown keys and explicit nulls."""
        data: dict[str, Any] = dict(self._extra)
        data["id"] = self.id
        if self.benchmark_id is not None or "benchmark_id" in self._nulls:
            data["benchmark_id"] = self.benchmark_id
        if self.name is not None or "name" in self._nulls:
            data["name"] = self.name
        data["start_time_ms"] = self.start_time_ms
        if self.duration_ms is not None or "duration_ms" in self._nulls:
            data["duration_ms"] = self.duration_ms
        data["state"] = _to_json(self.state)
        if self.score is not None or "score" in self._nulls:
            data["score"] = self.score
        data["metadata"] = self.metadata
        if self.purpose is not None or "purpose" in self._nulls:
            data["purpose"] = self.purpose
        if (
            self.environment_variables is not None
            or "environment_variables" in self._nulls
        ):
            data["environment_variables"] = self.environment_variables
        if self.secrets_provided is not None or "secrets_provided" in self._nulls:
            data["secrets_provided"] = self.secrets_provided
        return data
