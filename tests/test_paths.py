"""The last guard in write.py: no generated or user-owned path leaves the output folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from support import REPO, SEED_SPEC

from generator.write import (
    UnsafePathError,
    check_relative_paths,
    diff_tree,
    unsafe_path_reason,
    write_files,
)

UNSAFE = {
    "": "empty",
    "../x.py": "'..'",
    "src/../../x.py": "'..'",
    "src/pkg/..": "'..'",
    "/etc/passwd": "absolute",
    "C:/Windows/x.py": "absolute",
    "C:x.py": "<>:",
    "src\\pkg\\x.py": "backslash",
    "src/pkg/x\x00.py": "NUL",
    "src/pkg/x\n.py": "control character",
    "src/pkg/x\x1b.py": "control character",
    "src//x.py": "empty or '.'",
    "./x.py": "empty or '.'",
    "src/": "empty or '.'",
    "src/pkg/x?.py": "<>:",
    "src/pkg/x.py.": "dot or a space",
    "src/pkg /x.py": "dot or a space",
    "src/" + "a" * 256 + ".py": "longer than 255",
    "src/pkg/\ud800.py": "surrogate",
    "src/CON.py": "device name",
    "src/con": "device name",
    "nul.txt": "device name",
    "src/Aux/x.py": "device name",
    "src/com1.py": "device name",
    "src/LPT9.tar.gz": "device name",
    "src/com\u00b9.py": "device name",
    "src/con .py": "device name",
}

SAFE = [
    "README.md",
    "pyproject.toml",
    "src/pkg/__init__.py",
    "src/pkg/py.typed",
    "src/pkg/types/con_.py",
    "src/pkg/types/console.py",
    "src/pkg/resources/aux_.py",
    "src/pkg/types/nul_txt.py",
    "src/pkg/com10.py",
    "src/pkg/caf\u00e9.py",
    "a" * 255,
]


@pytest.mark.parametrize("relative", sorted(UNSAFE), ids=repr)
def test_unsafe_path_rejected(relative: str) -> None:
    reason = unsafe_path_reason(relative)
    assert reason is not None
    assert UNSAFE[relative] in reason


@pytest.mark.parametrize("relative", SAFE)
def test_safe_path_accepted(relative: str) -> None:
    assert unsafe_path_reason(relative) is None


@pytest.mark.parametrize(
    "paths",
    [
        ["src/pkg/Foo.py", "src/pkg/foo.py"],
        ["src/Pkg/a.py", "src/pkg/b.py"],
        ["README.md", "readme.md"],
        ["src/pkg/stra\u00dfe.py", "src/pkg/STRASSE.py"],
    ],
)
def test_case_insensitive_clash_rejected(paths: list[str]) -> None:
    with pytest.raises(UnsafePathError, match="case-insensitive"):
        check_relative_paths(paths)


def test_distinct_paths_accepted() -> None:
    check_relative_paths(["src/pkg/foo.py", "src/pkg/foo_2.py", "src/pkg/types/foo.py"])


def test_write_unsafe_path_writes_nothing(tmp_path: Path) -> None:
    output = tmp_path / "out"
    files = {"src/pkg/__init__.py": "", "src/../../escaped.py": "x = 1\n"}

    with pytest.raises(UnsafePathError, match="escaped.py"):
        write_files(output, files)

    assert list(tmp_path.iterdir()) == []
    assert not (tmp_path.parent / "escaped.py").exists()


def test_write_unsafe_path_keeps_existing_output(tmp_path: Path) -> None:
    output = tmp_path / "out"
    write_files(output, {"README.md": "old\n"})

    with pytest.raises(UnsafePathError):
        write_files(output, {"README.md": "new\n", "CON.py": ""})

    assert (output / "README.md").read_text(encoding="utf-8") == "old\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out"]


@pytest.mark.parametrize("prefix", ["../outside", "src/../../x", "lib\\x", "lib/CON"])
def test_unsafe_user_owned_path_rejected(tmp_path: Path, prefix: str) -> None:
    output = tmp_path / "out"
    with pytest.raises(UnsafePathError, match="user-owned"):
        write_files(output, {"README.md": "x\n"}, user_owned=(prefix,))
    with pytest.raises(UnsafePathError, match="user-owned"):
        diff_tree(output, {"README.md": "x\n"}, (prefix,))
    assert list(tmp_path.iterdir()) == []


def test_unsafe_user_owned_path_in_config_exits_2(tmp_path: Path) -> None:
    config = tmp_path / "sdkgen.yaml"
    config.write_text("user_owned_paths: ['../../outside']\n", encoding="utf-8")
    output = tmp_path / "out"

    result = subprocess.run(
        [sys.executable, "-m", "generator", "generate", str(SEED_SPEC), "-c", str(config)]
        + ["-o", str(output)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )

    assert result.returncode == 2, result.stderr
    assert "'../../outside'" in result.stderr
    assert str(config) in result.stderr
    assert "Traceback" not in result.stderr
    assert not output.exists()
