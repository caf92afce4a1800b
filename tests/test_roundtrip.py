"""Round trips: `Model.from_dict(data).to_dict() == data` for every model and conforming data.

Instances come from `instances.InstanceMaker`, which reads the raw schemas
and adds keys the SDK does not know wherever a schema allows them.
Comparisons are on JSON text, so `1`, `1.0` and `true` never pass for one
another.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from instances import check_round_trips, same_json
from schema_specs import COVERAGE_30, COVERAGE_31
from support import RUNLOOP_SPEC, SEED_SPEC, import_package, require_shared

from generator import ir
from generator.cli import generate_files
from generator.config import Config
from generator.load import load_spec
from generator.write import write_files


def generate(root: Path, spec_path: Path, package: str) -> tuple[ir.Sdk, ModuleType]:
    generation = generate_files(str(spec_path), Config(package_name=package))
    write_files(root / "sdk", generation.files, ())
    return generation.sdk, import_package(root / "sdk" / "src", package)


@pytest.mark.parametrize(
    ("document", "package"),
    [(COVERAGE_31, "round_trip_modern"), (COVERAGE_30, "round_trip_legacy")],
    ids=["openapi-3.1", "openapi-3.0"],
)
def test_coverage_models_round_trip(document: dict[str, Any], package: str, tmp_path: Path) -> None:
    spec_path = tmp_path / "spec.json"
    spec_path.write_text(json.dumps(document), encoding="utf-8")
    sdk, module = generate(tmp_path, spec_path, package)

    checked, failures = check_round_trips(document, sdk.models, module, seed=11, per_model=25)

    assert not failures, "\n".join(failures[:10])
    assert checked > 10 * len(sdk.models)


def test_seed_spec_models_round_trip(tmp_path: Path) -> None:
    sdk, module = generate(tmp_path, SEED_SPEC, "round_trip_seed")

    checked, failures = check_round_trips(
        load_spec(SEED_SPEC).document, sdk.models, module, seed=3, per_model=50
    )

    assert not failures, "\n".join(failures[:10])
    assert checked == 50 * len(sdk.models)


def test_runloop_models_round_trip(runloop_sdk: Path) -> None:
    spec = load_spec(require_shared(RUNLOOP_SPEC))
    generation = generate_files(str(RUNLOOP_SPEC), Config())
    module = import_package(runloop_sdk / "src", generation.sdk.package)

    checked, failures = check_round_trips(
        spec.document, generation.sdk.models, module, seed=5, per_model=5
    )

    assert not failures, "\n".join(failures[:10])
    assert checked > len(generation.sdk.models)


# -- specific cases ------------------------------------------------------------------


@pytest.fixture(scope="module")
def coverage(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    root = tmp_path_factory.mktemp("round_trip_cases")
    spec_path = root / "spec.json"
    spec_path.write_text(json.dumps(COVERAGE_31), encoding="utf-8")
    _, module = generate(root, spec_path, "round_trip_cases")
    return __import__("round_trip_cases.types", fromlist=["_"])


def test_unknown_keys_kept_at_every_level(coverage: ModuleType) -> None:
    data = {
        "value": "root",
        "from_the_future": {"a": [1, 2]},
        "children": [{"value": "leaf", "children": [], "also_new": None}],
    }
    model = coverage.TreeNode.from_dict(data)

    assert model.children[0]._extra == {"also_new": None}
    assert same_json(model.to_dict(), data)


def test_explicit_null_differs_from_missing(coverage: ModuleType) -> None:
    with_null = {"id": "1", "kind": None}
    without = {"id": "1"}

    assert coverage.Base.from_dict(with_null).to_dict() == with_null
    assert coverage.Base.from_dict(without).to_dict() == without


def test_round_trip_does_not_mutate_input(coverage: ModuleType) -> None:
    data = {"created_at": "2024-01-02T03:04:05Z", "day": "2024-02-29", "big": 2**53 + 1}
    before = json.dumps(data)
    model = coverage.Formats.from_dict(data)
    model.to_dict()["big"] = 0

    assert json.dumps(data) == before


def test_int64_without_loss(coverage: ModuleType) -> None:
    data = {"created_at": "2024-01-02T03:04:05Z", "day": "2024-02-29", "big": 2**63 - 1}
    text = json.dumps(coverage.Formats.from_dict(json.loads(json.dumps(data))).to_dict())

    assert json.loads(text)["big"] == 9223372036854775807
    assert '"big": 9223372036854775807' in text


def test_enum_values_round_trip_exactly(coverage: ModuleType) -> None:
    data = {"type_list": "x", "ref_to_nullable": "on", "enum_with_null": None}

    assert same_json(coverage.Nullables.from_dict(data).to_dict(), data)
