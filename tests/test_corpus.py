"""Every spec of the shared corpus generates a package that compiles, imports and type-checks.

Each spec is generated once per test session (module fixture, one instance
per spec). Validation warnings are allowed; any exception is a failure.
`mypy --strict` over the packages of the largest specs carries the `slow`
marker, which `.ci/run` does not deselect.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus import (
    CORPUS,
    LARGE_SPEC_BYTES,
    CorpusPackage,
    compiles,
    corpus_specs,
    generate_corpus_package,
    import_every_module,
    run_mypy,
    run_ruff,
)
from instances import check_round_trips
from support import require_shared

SPECS = dict(corpus_specs()) if CORPUS.is_dir() else {}
NAMES = sorted(SPECS) or ["corpus-missing"]


def _mypy_params() -> list[object]:
    params: list[object] = []
    for name in NAMES:
        large = name in SPECS and SPECS[name].stat().st_size > LARGE_SPEC_BYTES
        params.append(pytest.param(name, marks=[pytest.mark.slow] if large else [], id=name))
    return params


@pytest.fixture(scope="module")
def corpus_package(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> CorpusPackage:
    require_shared(CORPUS)
    name: str = request.param
    return generate_corpus_package(name, SPECS[name], tmp_path_factory.mktemp(name) / "sdk")


@pytest.mark.parametrize("corpus_package", NAMES, indirect=True)
def test_corpus_spec_generates_and_compiles(corpus_package: CorpusPackage) -> None:
    sdk = corpus_package.generation.sdk

    assert corpus_package.generation.files
    assert (corpus_package.src / sdk.package / "_client.py").is_file()
    assert compiles(corpus_package)


@pytest.mark.parametrize("corpus_package", NAMES, indirect=True)
def test_corpus_package_imports_every_module(corpus_package: CorpusPackage) -> None:
    modules = import_every_module(corpus_package)
    client_module = modules[0]

    files = list((corpus_package.src / corpus_package.package).rglob("*.py"))

    # The package itself, then one module per file (its __init__.py again among them).
    assert len(modules) == len(files) + 1
    assert hasattr(client_module, corpus_package.generation.sdk.client_class)


@pytest.mark.parametrize("corpus_package", NAMES, indirect=True)
def test_corpus_models_round_trip(corpus_package: CorpusPackage) -> None:
    from generator.load import load_spec

    document = load_spec(corpus_package.spec).document
    package = import_every_module(corpus_package)[0]
    models = corpus_package.generation.sdk.models

    checked, failures = check_round_trips(document, models, package, seed=7, per_model=2)

    assert not failures, f"{len(failures)} failures, first ones:\n" + "\n".join(failures[:10])
    assert checked > 0


@pytest.mark.parametrize("corpus_package", _mypy_params(), indirect=True)
def test_corpus_package_passes_mypy_strict(corpus_package: CorpusPackage) -> None:
    result = run_mypy(corpus_package)

    assert result.returncode == 0, result.stdout[-6000:] + result.stderr


@pytest.mark.parametrize("corpus_package", NAMES, indirect=True)
def test_corpus_package_passes_ruff(corpus_package: CorpusPackage) -> None:
    for extra in ((), ("--isolated",)):
        result = run_ruff(corpus_package, *extra)
        assert result.returncode == 0, result.stdout[-6000:]


def test_corpus_folder_lists_specs() -> None:
    require_shared(CORPUS)

    assert len(SPECS) >= 13
    assert all(isinstance(path, Path) and path.is_file() for path in SPECS.values())
