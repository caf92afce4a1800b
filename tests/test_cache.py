"""The cache and the parallel formatter change speed only: the bytes are always a cold run's."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import REPO, SEED_SPEC

import generator.fmt
import generator.validate
from generator import cache as cache_module
from generator.cache import Cache, default_cache_dir
from generator.cli import generate_files
from generator.config import Config
from generator.errors import SpecErrors
from generator.fmt import FormatError, format_files, format_source
from generator.load import load_spec
from generator.render import render_files, static_runtime_paths, templates_dir
from generator.walk import walk_spec
from generator.workers import start_workers

INVALID_SPEC = """openapi: 3.1.0
info: {title: Pets API, version: '1'}
paths:
  /pets/{pet_id}:
    get:
      responses:
        '200': {description: ok}
"""


def cold_files() -> dict[str, str]:
    return generate_files(str(SEED_SPEC), Config()).files


def entries(root: Path, namespace: str | None = None) -> list[Path]:
    base = root / namespace if namespace else root
    return sorted(path for path in base.rglob("*") if path.is_file())


def fail(*args: object) -> str:
    raise AssertionError("the cache should have answered this call")


@pytest.fixture()
def cache(tmp_path: Path) -> Cache:
    return Cache(tmp_path / "cache")


def test_cache_hit_matches_cold_run(cache: Cache, monkeypatch: pytest.MonkeyPatch) -> None:
    cold = cold_files()
    first = generate_files(str(SEED_SPEC), Config(), cache=cache).files
    assert entries(cache.root, "generation"), "the first run stores the generation"

    # A hit must not format or validate anything.
    monkeypatch.setattr(generator.fmt, "format_source", fail)
    monkeypatch.setattr(generator.validate, "validate_spec", fail)
    second = generate_files(str(SEED_SPEC), Config(), cache=cache).files
    assert list(first.items()) == list(cold.items())
    assert list(second.items()) == list(cold.items())


def test_format_and_validation_hits_match_cold_run(
    cache: Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = cold_files()
    generate_files(str(SEED_SPEC), Config(), cache=cache)
    shutil.rmtree(cache.root / "generation")

    monkeypatch.setattr(generator.fmt, "format_source", fail)
    monkeypatch.setattr(generator.validate, "validate_spec", fail)
    again = generate_files(str(SEED_SPEC), Config(), cache=cache).files
    assert list(again.items()) == list(cold.items())


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[:-1] + bytes([data[-1] ^ 1]), id="flipped-bit"),
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: b"", id="empty"),
        pytest.param(lambda data: b"not a cache entry\n" + data, id="foreign-header"),
    ],
)
def test_corrupted_entries_are_ignored(cache: Cache, damage: object) -> None:
    cold = cold_files()
    generate_files(str(SEED_SPEC), Config(), cache=cache)
    damaged = entries(cache.root)
    assert damaged
    for path in damaged:
        path.write_bytes(damage(path.read_bytes()))  # type: ignore[operator]

    again = generate_files(str(SEED_SPEC), Config(), cache=cache).files
    assert list(again.items()) == list(cold.items())
    # Damaged entries were dropped and written anew, and now pass the checks.
    for path in damaged:
        namespace, prefix, rest = path.relative_to(cache.root).parts
        assert cache.get_bytes(namespace, prefix + rest) is not None, path


def test_entry_under_another_key_is_ignored(cache: Cache) -> None:
    cache.put_text("format", "aa" + "1" * 62, "formatted text")
    moved = cache.root / "format" / "bb" / ("2" * 62)
    moved.parent.mkdir(parents=True)
    shutil.copy(cache.root / "format" / "aa" / ("1" * 62), moved)

    assert cache.get_text("format", "aa" + "1" * 62) == "formatted text"
    assert cache.get_text("format", "bb" + "2" * 62) is None
    assert not moved.exists(), "an invalid entry is removed"


def test_entry_from_other_black_version_is_stale(
    cache: Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = render_files(walk_spec(load_spec(SEED_SPEC), Config()))
    format_files(files, cache=cache)

    calls: list[str] = []

    def counting(path: str, text: str) -> str:
        calls.append(path)
        return format_source(path, text)

    monkeypatch.setattr(generator.fmt, "format_source", counting)
    format_files(files, cache=cache)
    assert calls == [], "same black version: every file is a hit"

    monkeypatch.setattr(generator.fmt, "black_version", lambda: "0.0.0")
    again = format_files(files, cache=cache)
    assert sorted(calls) == sorted(path for path in files if path.endswith(".py"))
    assert again == format_files(files)


def test_changed_spec_misses_the_cache(cache: Cache, tmp_path: Path) -> None:
    spec = tmp_path / "openapi.yaml"
    text = SEED_SPEC.read_text(encoding="utf-8")
    spec.write_text(text, encoding="utf-8")
    before = generate_files(str(spec), Config(), cache=cache).files

    changed_text = text.replace("title: RunLoop API", "title: RunLoop Sentinel API", 1)
    assert changed_text != text
    spec.write_text(changed_text, encoding="utf-8")
    after = generate_files(str(spec), Config(), cache=cache).files
    assert after == generate_files(str(spec), Config()).files
    assert after != before


def test_invalid_spec_reports_same_errors_from_cache(cache: Cache, tmp_path: Path) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text(INVALID_SPEC, encoding="utf-8")
    messages = []
    for _ in range(2):
        with pytest.raises(SpecErrors) as caught:
            generate_files(str(spec), Config(), cache=cache)
        messages.append([str(problem) for problem in caught.value.problems])
    assert entries(cache.root, "validation")
    assert messages[0] == messages[1]
    assert any("pet_id" in message for message in messages[0])


def test_unwritable_cache_still_generates(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    files = generate_files(str(SEED_SPEC), Config(), cache=Cache(blocker / "cache")).files
    assert list(files.items()) == list(cold_files().items())


def test_parallel_format_matches_serial(monkeypatch: pytest.MonkeyPatch) -> None:
    files = render_files(walk_spec(load_spec(SEED_SPEC), Config()))
    serial = format_files(files)
    monkeypatch.setattr(generator.fmt, "MIN_PARALLEL_CHARS", 0)
    with start_workers(2) as workers:
        assert workers.parallel
        parallel = format_files(files, workers=workers)
    assert list(parallel.items()) == list(serial.items())


def test_parallel_format_raises_format_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(generator.fmt, "MIN_PARALLEL_CHARS", 0)
    files = {"good.py": "x = 1\n", "broken.py": "def broken(:\n    pass\n"}
    with start_workers(2) as workers, pytest.raises(FormatError, match="broken.py"):
        format_files(files, workers=workers)


def test_balanced_chunks_cover_each_file_once() -> None:
    files = {f"module_{index}.py": "x = 1\n" * (index + 1) for index in range(23)}
    chunks = generator.fmt._balanced_chunks(files, 8)
    paths = [path for chunk in chunks for path, _ in chunk]
    assert sorted(paths) == sorted(files)
    sizes = [sum(len(text) for _, text in chunk) for chunk in chunks]
    assert sizes == sorted(sizes, reverse=True)


def test_static_runtime_is_preformatted() -> None:
    sdk = walk_spec(load_spec(SEED_SPEC), Config())
    files = render_files(sdk)
    static = static_runtime_paths(sdk)
    assert len(static) == len(list((templates_dir() / "static").glob("*.py")))
    for path in sorted(static):
        assert format_source(path, files[path]) == files[path], (
            f"{path} is copied without formatting; run `black -l 88 -t py310` on its "
            "file in templates/static/"
        )


def test_default_cache_dir_follows_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SDKGEN_CACHE_DIR", str(tmp_path / "explicit"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "explicit"

    monkeypatch.delenv("SDKGEN_CACHE_DIR")
    assert default_cache_dir() == tmp_path / "xdg" / "sdkgen"

    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "sdkgen"


def test_generator_fingerprint_covers_templates() -> None:
    fingerprint = cache_module.tree_fingerprint([templates_dir()])
    assert fingerprint == cache_module.tree_fingerprint([templates_dir()])
    assert fingerprint != cache_module.tree_fingerprint([templates_dir() / "static"])


def run_generate(output: Path, cache_dir: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "SDKGEN_CACHE_DIR": str(cache_dir)}
    return subprocess.run(
        [sys.executable, "-m", "generator", "generate", str(SEED_SPEC), "-o", str(output), *extra],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_cli_cache_dir_and_no_cache(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    result = run_generate(tmp_path / "uncached", cache_dir, "--no-cache")
    assert result.returncode == 0, result.stderr
    assert not cache_dir.exists(), "--no-cache writes nothing"

    for name in ("cold", "warm"):
        result = run_generate(tmp_path / name, cache_dir)
        assert result.returncode == 0, result.stderr
    assert entries(cache_dir, "generation")
    expected = tree_bytes(tmp_path / "uncached")
    assert tree_bytes(tmp_path / "cold") == expected
    assert tree_bytes(tmp_path / "warm") == expected


WARNING_SPEC = """openapi: 3.1.0
info: {title: Pets API, version: '1'}
paths:
  /pets:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
components:
  schemas:
    Pet:
      type: object
      properties:
        name: {type: string, default: 7}
"""


def test_strict_rejects_cached_warnings(cache: Cache, tmp_path: Path) -> None:
    spec = tmp_path / "warn.yaml"
    spec.write_text(WARNING_SPEC, encoding="utf-8")
    generate_files(str(spec), Config(), cache=cache)
    assert entries(cache.root, "generation"), "a spec with warnings still generates"

    with pytest.raises(SpecErrors) as caught:
        generate_files(str(spec), Config(), cache=cache, strict=True)
    assert any("default" in str(problem) for problem in caught.value.problems)
