"""Shared fixtures: the generated Runloop SDK and a clean environment."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from support import RUNLOOP_SPEC, generate_into, require_shared

# Property tests run a fixed set of cases, so that a failure in CI reproduces and a
# slow machine cannot fail a health check; SDKGEN_FUZZ_RANDOM=1 draws new cases.
settings.register_profile(
    "sdkgen",
    derandomize=os.environ.get("SDKGEN_FUZZ_RANDOM") != "1",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("sdkgen")


@pytest.fixture(scope="session", autouse=True)
def private_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Point sdkgen's cache at a session folder, so no test reads or fills the user's cache.

    Set in os.environ rather than with monkeypatch, so `sdkgen` subprocesses inherit it.
    """
    cache_dir = tmp_path_factory.mktemp("sdkgen-cache")
    previous = os.environ.get("SDKGEN_CACHE_DIR")
    os.environ["SDKGEN_CACHE_DIR"] = str(cache_dir)
    yield cache_dir
    if previous is None:
        del os.environ["SDKGEN_CACHE_DIR"]
    else:
        os.environ["SDKGEN_CACHE_DIR"] = previous


@pytest.fixture(scope="session")
def runloop_sdk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The SDK generated from the full Runloop spec, once per test session."""
    spec = require_shared(RUNLOOP_SPEC)
    return generate_into(spec, tmp_path_factory.mktemp("runloop") / "sdk")


@pytest.fixture()
def clean_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    for name in ("RUNLOOP_API_KEY", "RUNLOOP_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    yield monkeypatch
