"""The checked-in SDK matches a fresh generation from the default spec, byte for byte."""

from __future__ import annotations

from support import GENERATED, REPO

from generator.cli import DEFAULT_SPEC, generate_files
from generator.config import Config
from generator.write import diff_tree, unified_diff


def test_generated_matches_default_spec() -> None:
    generation = generate_files(str(REPO / DEFAULT_SPEC), Config())
    diff = diff_tree(GENERATED, generation.files, generation.user_owned)
    assert diff.is_empty, "generated/runloop is stale; run `sdkgen generate`:\n" + unified_diff(
        GENERATED, generation.files, diff
    )


def test_generation_is_deterministic() -> None:
    first = generate_files(str(REPO / DEFAULT_SPEC), Config()).files
    second = generate_files(str(REPO / DEFAULT_SPEC), Config()).files
    assert first == second
