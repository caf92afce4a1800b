"""`sdkgen check`: 0 when the folder matches its spec, 1 with a diff on drift, 2 on bad input."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from support import REPO, SEED_SPEC
from trees import leftovers, snapshot

from generator.cli import main

PACKAGE = "src/runloop_api_client"


@pytest.fixture()
def project(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the seed spec and a folder freshly generated from it."""
    spec = tmp_path / "openapi.yaml"
    spec.write_text(SEED_SPEC.read_text(encoding="utf-8"), encoding="utf-8")
    output = tmp_path / "out"
    assert main(["generate", str(spec), "--output", str(output)]) == 0
    return spec, output


def _check(
    capsys: pytest.CaptureFixture[str], spec: Path, output: Path, *extra: str
) -> tuple[int, str, str]:
    capsys.readouterr()
    status = main(["check", str(spec), "--output", str(output), *extra])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_check_passes_right_after_generate(
    project: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = _check(capsys, *project)
    assert status == 0
    assert out == ""
    assert "is up to date" in err


def test_edited_file_is_drift(
    project: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    spec, output = project
    client = output / PACKAGE / "_client.py"
    client.write_text(client.read_text() + "EDITED = True\n")

    status, out, err = _check(capsys, spec, output)
    assert status == 1
    assert f"diff --git a/{PACKAGE}/_client.py b/{PACKAGE}/_client.py\n" in out
    assert "-EDITED = True\n" in out
    assert "0 added, 0 removed, 1 changed" in err


def test_deleted_file_is_drift(
    project: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    spec, output = project
    (output / PACKAGE / "_exceptions.py").unlink()

    status, out, err = _check(capsys, spec, output)
    assert status == 1
    assert f"--- /dev/null\n+++ b/{PACKAGE}/_exceptions.py\n" in out
    assert "1 added, 0 removed, 0 changed" in err


def test_stale_file_is_drift(
    project: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    spec, output = project
    (output / PACKAGE / "resources" / "old_resource.py").write_text("class Old: ...\n")

    status, out, err = _check(capsys, spec, output)
    assert status == 1
    assert f"--- a/{PACKAGE}/resources/old_resource.py\n+++ /dev/null\n" in out
    assert "0 added, 1 removed, 0 changed" in err


def test_empty_stale_file_is_named(
    project: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    spec, output = project
    (output / PACKAGE / "empty.py").touch()

    status, out, _ = _check(capsys, spec, output)
    assert status == 1
    assert f"diff --git a/{PACKAGE}/empty.py b/{PACKAGE}/empty.py\ndeleted file" in out


def test_changed_spec_is_drift(
    project: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    spec, output = project
    text = spec.read_text(encoding="utf-8")
    spec.write_text(
        text.replace("Complete a currently running BenchmarkRun.", "Finish a BenchmarkRun."),
        encoding="utf-8",
    )

    status, out, err = _check(capsys, spec, output)
    assert status == 1
    assert f"+++ b/{PACKAGE}/resources/benchmark_runs.py\n" in out
    assert "+        Finish a BenchmarkRun.\n" in out
    assert "0 added, 0 removed, 1 changed" in err
    assert f"sdkgen generate {spec} --output {output}" in err


def test_missing_folder_is_drift(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = _check(capsys, SEED_SPEC, tmp_path / "nothing")
    assert status == 1
    assert f"+++ b/{PACKAGE}/_client.py\n" in out
    added = out.count("\nnew file mode ")
    assert added > 10
    assert f"{added} added, 0 removed, 0 changed" in err


def test_diff_applies_as_a_patch(
    project: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    spec, output = project
    client = output / PACKAGE / "_client.py"
    client.write_text(client.read_text().replace("class ", "klass ", 1))
    readme = output / "README.md"
    readme.write_bytes(readme.read_bytes().rstrip(b"\n"))
    (output / PACKAGE / "py.typed").unlink()
    (output / PACKAGE / "_version.py").unlink()
    (output / PACKAGE / "stale.py").write_text("no newline")
    (output / PACKAGE / "empty.py").touch()

    status, out, _ = _check(capsys, spec, output)
    assert status == 1
    patch = output.parent / "drift.patch"
    patch.write_text(out)
    applied = subprocess.run(
        [git, "apply", str(patch)], cwd=output, capture_output=True, text=True, check=False
    )
    assert applied.returncode == 0, applied.stderr
    assert _check(capsys, spec, output)[0] == 0


def test_user_owned_lib_is_left_alone(
    project: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    spec, output = project
    lib = output / PACKAGE / "lib"
    lib.mkdir()
    (lib / "helpers.py").write_text("def helper() -> None: ...\n")
    (lib / "notes.txt").write_text("hand-written\n")
    before = snapshot(lib)

    assert _check(capsys, spec, output)[0] == 0
    (output / PACKAGE / "_client.py").write_text("# edited\n")
    status, out, _ = _check(capsys, spec, output)
    assert status == 1
    assert "lib/" not in out

    assert main(["generate", str(spec), "--output", str(output)]) == 0
    assert snapshot(lib) == before
    assert _check(capsys, spec, output)[0] == 0


def test_configured_user_owned_paths(
    project: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    spec, output = project
    config = output.parent / "sdkgen.yaml"
    config.write_text(f"user_owned_paths:\n  - {PACKAGE}/_version.py\n  - extras/\n")
    version = output / PACKAGE / "_version.py"
    version.write_text("__version__ = '9.9.9'\n")
    (output / "extras").mkdir()
    (output / "extras" / "script.sh").write_text("echo hi\n")
    before = {
        path: snapshot(output)[path] for path in (f"{PACKAGE}/_version.py", "extras/script.sh")
    }

    assert _check(capsys, spec, output, "--config", str(config))[0] == 0
    # Without the config, the default (the package's lib folder) applies: the edited
    # generated file is drift. `extras/` is not: generation writes no top-level `extras`.
    status, out, _ = _check(capsys, spec, output)
    assert status == 1
    assert f"{PACKAGE}/_version.py" in out
    assert "extras/script.sh" not in out

    assert main(["generate", str(spec), "--output", str(output), "--config", str(config)]) == 0
    after = snapshot(output)
    assert {path: after[path] for path in before} == before


def test_staging_leftover_is_not_drift(
    project: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    spec, output = project
    leftover = output.parent / ".out.sdkgen-5ca1ab1e" / PACKAGE
    leftover.mkdir(parents=True)
    (leftover / "_client.py").write_text("half")

    assert _check(capsys, spec, output)[0] == 0
    assert main(["generate", str(spec), "--output", str(output)]) == 0
    assert leftovers(output) == []


def test_tool_caches_are_not_drift(
    project: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    spec, output = project
    for cache in (f"{PACKAGE}/__pycache__/_client.cpython-311.pyc", ".ruff_cache/CACHEDIR.TAG"):
        (output / cache).parent.mkdir(parents=True)
        (output / cache).write_bytes(b"cache")
    assert _check(capsys, spec, output)[0] == 0


def test_check_writes_nothing(
    project: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    spec, output = project
    (output / PACKAGE / "_client.py").write_text("# edited\n")
    (output / PACKAGE / "stale.py").write_text("x = 1\n")
    before = snapshot(output.parent)
    assert _check(capsys, spec, output)[0] == 1
    assert snapshot(output.parent) == before


def test_invalid_spec_exits_2(
    project: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, output = project
    status, out, err = _check(capsys, REPO / "tests" / "bad_specs" / "dangling_ref.yaml", output)
    assert status == 2
    assert out == ""
    assert "dangling_ref.yaml:" in err
    assert "Traceback" not in err


def test_invalid_config_exits_2(
    project: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    spec, output = project
    config = output.parent / "sdkgen.yaml"
    config.write_text("user_owned_path: [lib]\n")
    status, _, err = _check(capsys, spec, output, "--config", str(config))
    assert status == 2
    assert "did you mean 'user_owned_paths'?" in err


def test_check_subprocess_exit_codes(project: tuple[Path, Path]) -> None:
    spec, output = project

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "generator", "check", str(spec), "--output", str(output)],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=False,
        )

    assert run().returncode == 0
    (output / PACKAGE / "_types.py").unlink()
    drifted = run()
    assert drifted.returncode == 1
    assert f"+++ b/{PACKAGE}/_types.py" in drifted.stdout
    assert "1 added, 0 removed, 0 changed" in drifted.stderr


def test_pre_commit_hook_runs_check(project: tuple[Path, Path]) -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = [hook for hook in hooks if hook["id"] == "sdkgen-check"]
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    command, *arguments = shlex.split(hook["entry"])
    # The console script that pre-commit's install of this repository provides.
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert f'\n{command} = "generator.cli:main"\n' in pyproject

    spec, output = project
    assert main([*arguments, str(spec), "--output", str(output)]) == 0
    (output / PACKAGE / "_client.py").write_text("# edited\n")
    assert main([*arguments, str(spec), "--output", str(output)]) == 1


def test_ci_docs_job_fails_on_drift() -> None:
    text = (REPO / "docs" / "ci.md").read_text(encoding="utf-8")
    workflows = [
        document
        for document in map(yaml.safe_load, re.findall(r"```yaml\n(.*?)```", text, re.DOTALL))
        if isinstance(document, dict) and "jobs" in document
    ]
    assert len(workflows) == 1
    (job,) = workflows[0]["jobs"].values()
    (check,) = [step for step in job["steps"] if "sdkgen check" in step.get("run", "")]
    # Without `shell: bash`, GitHub runs steps without pipefail and `| tee` hides the exit code.
    assert check["shell"] == "bash"
    assert "pull_request" in workflows[0][True]  # YAML 1.1 reads the key `on` as true


def test_ci_script_checks_generated_folder() -> None:
    lines = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert (
        "python3 -m generator check specs/runloop/openapi.yaml --output generated/runloop" in lines
    )


def test_schema_removed_from_spec_is_removed(
    project: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    spec, output = project
    original = spec.read_text(encoding="utf-8")
    extra = "  schemas:\n    ExtraNote:\n      type: object\n      properties:\n        text: {type: string}\n"
    spec.write_text(original.replace("  schemas:\n", extra, 1), encoding="utf-8")
    assert main(["generate", str(spec), "--output", str(output)]) == 0
    note = output / PACKAGE / "types" / "extra_note.py"
    assert note.is_file()

    spec.write_text(original, encoding="utf-8")
    status, out, _ = _check(capsys, spec, output)
    assert status == 1
    assert f"--- a/{PACKAGE}/types/extra_note.py\n+++ /dev/null\n" in out
    assert main(["generate", str(spec), "--output", str(output)]) == 0
    assert not note.exists()
    assert _check(capsys, spec, output)[0] == 0


def test_generate_summary_counts_changes(
    project: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    spec, output = project
    (output / PACKAGE / "_client.py").write_text("# edited\n")
    (output / PACKAGE / "_types.py").unlink()
    (output / PACKAGE / "stale.py").write_text("x = 1\n")
    capsys.readouterr()

    assert main(["generate", str(spec), "--output", str(output)]) == 0
    summary = capsys.readouterr().out
    assert "(3 changed: 1 added, 1 removed, 1 modified)" in summary
    assert main(["generate", str(spec), "--output", str(output)]) == 0
    assert "(no file changed)" in capsys.readouterr().out


def test_repository_files_beside_sdk_kept(
    project: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """Generating into an SDK repository keeps its git data, tests and packaging metadata."""
    spec, output = project
    own = {
        ".git/HEAD": "ref: refs/heads/main\n",
        "tests/test_smoke.py": "def test() -> None:\n    pass\n",
        "CHANGELOG.md": "# Changelog\n",
        f"{PACKAGE}.egg-info/PKG-INFO": "Name: runloop\n",
    }
    for relative, text in own.items():
        (output / relative).parent.mkdir(parents=True, exist_ok=True)
        (output / relative).write_text(text)

    assert _check(capsys, spec, output)[0] == 0
    assert main(["generate", str(spec), "--output", str(output), "--no-cache"]) == 0
    for relative, text in own.items():
        assert (output / relative).read_text() == text, relative
