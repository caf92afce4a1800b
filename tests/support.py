"""Paths and helpers shared by the tests."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

import pytest

from generator.cli import generate_files
from generator.config import Config
from generator.write import write_files

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
RUNLOOP_SPEC = SHARED / "specs" / "runloop" / "openapi.json"
SEED_SPEC = REPO / "specs" / "runloop" / "openapi.yaml"
GENERATED = REPO / "generated" / "runloop"


def require_shared(path: Path) -> Path:
    """Skip the calling test when the shared spec folder beside the repo is missing."""
    if not path.exists():
        pytest.skip(f"{path} not found: the shared specs folder must sit beside the repository")
    return path


def generate_into(spec: Path, output: Path, config: Config | None = None) -> Path:
    generation = generate_files(str(spec), config or Config())
    write_files(output, generation.files, generation.user_owned)
    return output


def import_package(src: Path, package: str) -> ModuleType:
    """Import a generated package from `src`, dropping any earlier import of the same name."""
    for name in list(sys.modules):
        if name == package or name.startswith(package + "."):
            del sys.modules[name]
    sys.path.insert(0, str(src))
    try:
        importlib.invalidate_caches()
        return importlib.import_module(package)
    finally:
        sys.path.remove(str(src))
