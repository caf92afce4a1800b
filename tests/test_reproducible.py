"""Byte-identical output from the full Runloop spec across processes, hash seeds and spec forms.

Full generations are slow, so one session fixture runs them all, in parallel
subprocesses, and the tests compare the results.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from support import REPO, RUNLOOP_SPEC, SHARED, require_shared
from trees import FileState, contents, differing, snapshot

from generator import __version__

RUNLOOP_YAML = SHARED / "specs" / "runloop" / "openapi.yaml"


@dataclass
class Run:
    output: Path
    stdout: str
    stderr: str
    returncode: int


@dataclass
class Reproduced:
    reference: Path
    runs: dict[str, Run]
    # The folder the shuffled spec was generated into, as it was before that run.
    before_regeneration: dict[str, FileState | None]


def _shuffled(mapping: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    items = list(mapping.items())
    while len(items) > 1:
        rng.shuffle(items)
        if [key for key, _ in items] != list(mapping):
            break
    return dict(items)


def _write_shuffled_spec(source: Path, target: Path) -> None:
    """Write the spec re-serialized with paths, methods and component keys in another order."""
    document = json.loads(source.read_text(encoding="utf-8"))
    rng = random.Random(20240601)
    paths = {path: _shuffled(item, rng) for path, item in document["paths"].items()}
    document["paths"] = _shuffled(paths, rng)
    components = document["components"]
    for section in list(components):
        components[section] = _shuffled(components[section], rng)
    document["components"] = _shuffled(components, rng)
    shuffled = _shuffled(document, rng)
    assert list(shuffled["paths"]) != list(json.loads(source.read_text())["paths"])
    target.write_text(json.dumps(shuffled, indent=2, ensure_ascii=False), encoding="utf-8")


def _start(
    spec: Path, output: Path, hash_seed: str, cwd: Path = REPO, **env: str
) -> subprocess.Popen[str]:
    environment = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(REPO), **env}
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "generate", str(spec), "--output", str(output)],
        cwd=cwd,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(process: subprocess.Popen[str], output: Path) -> Run:
    stdout, stderr = process.communicate(timeout=600)
    return Run(output, stdout, stderr, process.returncode)


@pytest.fixture(scope="session")
def reproduced(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Reproduced]:
    json_spec = require_shared(RUNLOOP_SPEC)
    yaml_spec = require_shared(RUNLOOP_YAML)
    base = tmp_path_factory.mktemp("reproducible")
    elsewhere = base / "elsewhere"
    elsewhere.mkdir()

    started = {
        "hash-seed-0": (_start(json_spec, base / "seed0", "0"), base / "seed0"),
        # Another hash seed, working folder, time zone and locale.
        "hash-seed-1": (
            _start(
                json_spec,
                base / "seed1",
                "1",
                cwd=elsewhere,
                TZ="Pacific/Kiritimati",
                LC_ALL="C",
                LANG="C",
            ),
            base / "seed1",
        ),
        "yaml": (_start(yaml_spec, base / "yaml", "random"), base / "yaml"),
    }
    try:
        # The in-process generation of the session fixture runs meanwhile.
        reference: Path = request.getfixturevalue("runloop_sdk")

        # The shuffled spec regenerates a copy of the reference in place, which
        # also shows that an unchanged result rewrites no file.
        shuffled_spec = base / "shuffled.json"
        _write_shuffled_spec(json_spec, shuffled_spec)
        regenerated = base / "shuffled"
        shutil.copytree(reference, regenerated, copy_function=shutil.copy2)
        before = snapshot(regenerated)
        started["shuffled"] = (_start(shuffled_spec, regenerated, "random"), regenerated)
        runs = {name: _finish(process, output) for name, (process, output) in started.items()}
    finally:
        for process, _ in started.values():
            if process.poll() is None:
                process.kill()
                process.communicate(timeout=60)
    for name, run in runs.items():
        assert run.returncode == 0, f"{name}: {run.stderr}"
    yield Reproduced(reference, runs, before)


def _assert_same_tree(reference: Path, output: Path) -> None:
    expected = contents(reference)
    actual = contents(output)
    assert len(expected) > 200
    assert differing(expected, actual) == []


@pytest.mark.parametrize("name", ["hash-seed-0", "hash-seed-1", "yaml"])
def test_processes_give_identical_trees(reproduced: Reproduced, name: str) -> None:
    _assert_same_tree(reproduced.reference, reproduced.runs[name].output)


def test_shuffled_spec_gives_identical_tree(reproduced: Reproduced) -> None:
    _assert_same_tree(reproduced.reference, reproduced.runs["shuffled"].output)


def test_regeneration_rewrites_no_file(reproduced: Reproduced) -> None:
    run = reproduced.runs["shuffled"]
    assert "(no file changed)" in run.stdout
    assert snapshot(run.output) == reproduced.before_regeneration


_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}|\b(19|20)\d{2}\b")


def test_every_file_starts_with_header(reproduced: Reproduced) -> None:
    files = contents(reproduced.reference)
    headers = set()
    for path, data in files.items():
        if path.endswith("/py.typed"):
            # PEP 561 marker: type checkers read its content, so it stays empty.
            assert data == b""
            continue
        first_line = data.decode("utf-8").split("\n", 1)[0]
        assert "generated" in first_line.lower(), path
        assert f"sdkgen {__version__}" in first_line, path
        assert "Do not edit" in first_line, path
        assert not _TIMESTAMP.search(first_line), path
        headers.add(first_line)
    # One wording everywhere; only the comment syntax differs (Python/TOML and Markdown).
    assert len(headers) == 2, headers


def test_output_names_no_local_path(reproduced: Reproduced) -> None:
    local = [str(REPO), str(SHARED.resolve()), str(Path.home()), str(reproduced.reference.parent)]
    for path, data in contents(reproduced.reference).items():
        text = data.decode("utf-8")
        for value in local:
            assert value not in text, f"{path} contains {value}"
