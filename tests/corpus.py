"""Generate SDKs from the public specs of the shared corpus, for tests and for docs/corpus.md.

Run `python3 tests/corpus.py` from the repository root to print the table
of docs/corpus.md: per spec, its OpenAPI version, operations, schemas,
validation warnings, the result of generating, importing and type-checking,
and the time each step took.
"""

from __future__ import annotations

import compileall
import importlib
import logging
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from generator.cli import Generation, generate_files  # noqa: E402
from generator.config import Config  # noqa: E402
from generator.write import write_files  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus"
SPEC_SUFFIXES = (".yaml", ".yml", ".json")
# Files beside a spec that are not specs.
NOT_SPECS = frozenset({"stainless.yml"})
# Specs above this size get their mypy run under the `slow` marker.
LARGE_SPEC_BYTES = 500_000
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def corpus_specs() -> list[tuple[str, Path]]:
    """Return (folder name, spec file) for every spec in the corpus, sorted by name."""
    found = []
    for folder in sorted(path for path in CORPUS.iterdir() if path.is_dir()):
        specs = sorted(
            path
            for path in folder.iterdir()
            if path.suffix in SPEC_SUFFIXES and path.name not in NOT_SPECS
        )
        if specs:
            found.append((folder.name, specs[0]))
    return found


@dataclass
class CorpusPackage:
    """One corpus spec generated into a folder, with what the docs table reports."""

    name: str
    spec: Path
    output: Path
    generation: Generation = field(repr=False)
    warnings: list[str]
    seconds: float

    @property
    def src(self) -> Path:
        return self.output / "src"

    @property
    def package(self) -> str:
        return self.generation.sdk.package


class _WarningCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def generate_corpus_package(name: str, spec: Path, output: Path) -> CorpusPackage:
    """Generate one spec the way `sdkgen generate` does, counting the warnings it logs."""
    counter = _WarningCounter()
    logger = logging.getLogger("generator")
    logger.addHandler(counter)
    started = time.perf_counter()
    try:
        generation = generate_files(str(spec), Config())
    finally:
        logger.removeHandler(counter)
    seconds = time.perf_counter() - started
    write_files(output, generation.files, generation.user_owned)
    return CorpusPackage(name, spec, output, generation, counter.messages, seconds)


def compiles(package: CorpusPackage) -> bool:
    return compileall.compile_dir(str(package.src), quiet=2, workers=1)


def import_every_module(package: CorpusPackage) -> list[ModuleType]:
    """Import the package and each of its modules from a fresh module table."""
    for loaded in list(sys.modules):
        if loaded == package.package or loaded.startswith(package.package + "."):
            del sys.modules[loaded]
    sys.path.insert(0, str(package.src))
    try:
        importlib.invalidate_caches()
        modules = [importlib.import_module(package.package)]
        root = package.src / package.package
        for path in sorted(root.rglob("*.py")):
            relative = path.relative_to(package.src).with_suffix("")
            parts = [part for part in relative.parts if part != "__init__"]
            modules.append(importlib.import_module(".".join(parts)))
        return modules
    finally:
        sys.path.remove(str(package.src))


def run_mypy(package: CorpusPackage) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            "/dev/null",
            package.package,
        ],
        cwd=package.src,
        capture_output=True,
        text=True,
        check=False,
    )


def run_ruff(package: CorpusPackage, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", *extra, "src"],
        cwd=package.output,
        capture_output=True,
        text=True,
        check=False,
    )


def count_operations(document: dict[str, Any]) -> int:
    paths = document.get("paths") or {}
    return sum(
        1
        for item in paths.values()
        if isinstance(item, dict)
        for method in HTTP_METHODS
        if isinstance(item.get(method), dict)
    )


def _report(output_root: Path) -> None:
    from generator.load import load_spec

    out = sys.stdout
    out.write(
        "| spec | OpenAPI | operations | schemas | models | warnings | generate s | result |\n"
    )
    out.write("|---|---|---|---|---|---|---|---|\n")
    for name, spec in corpus_specs():
        document = load_spec(spec).document
        schemas = len((document.get("components") or {}).get("schemas") or {})
        package = generate_corpus_package(name, spec, output_root / name)
        steps = ["generates"]
        if compiles(package):
            steps.append("compiles")
        import_every_module(package)
        steps.append("imports")
        mypy = run_mypy(package)
        steps.append("mypy --strict passes" if mypy.returncode == 0 else "mypy --strict FAILS")
        out.write(
            f"| {name} | {document.get('openapi')} | {count_operations(document)} | {schemas} "
            f"| {len(package.generation.sdk.models)} | {len(package.warnings)} "
            f"| {package.seconds:.1f} | {', '.join(steps)} |\n"
        )
        out.flush()


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        _report(Path(folder))
