"""Atomic, incremental writes: what `write_files` keeps, replaces and removes, and how it fails."""

from __future__ import annotations

import fcntl
import logging
import os
import signal
import stat
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import black
import black.parsing
import pytest
from support import REPO, SEED_SPEC
from trees import contents, leftovers, snapshot

import generator.fmt
import generator.write
from generator.cli import main
from generator.write import TreeDiff, WriteError, diff_tree, unified_diff, write_files

FILES = {
    "pyproject.toml": "[project]\nname = 'demo'\n",
    "src/demo/__init__.py": "from ._client import Client\n",
    "src/demo/_client.py": "class Client:\n    pass\n",
    "src/demo/types/pet.py": "class Pet:\n    pass\n",
    "src/demo/py.typed": "",
}


def _write(output: Path, files: dict[str, str], owned: tuple[str, ...] = ()) -> TreeDiff:
    return write_files(output, files, owned)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_new_folder_gets_every_file(tmp_path: Path) -> None:
    output = tmp_path / "out"
    diff = _write(output, FILES)
    assert diff.added == tuple(sorted(FILES))
    assert contents(output) == {path: text.encode() for path, text in FILES.items()}
    assert leftovers(output) == []


def test_new_folder_mode_follows_umask(tmp_path: Path) -> None:
    output = tmp_path / "out"
    _write(output, FILES)
    assert stat.S_IMODE(output.stat().st_mode) == 0o777 & ~_umask()


def test_folder_mode_is_kept(tmp_path: Path) -> None:
    output = tmp_path / "out"
    _write(output, FILES)
    output.chmod(0o750)
    _write(output, {**FILES, "src/demo/_client.py": "class Client:\n    x = 1\n"})
    assert stat.S_IMODE(output.stat().st_mode) == 0o750


def test_unchanged_tree_rewrites_nothing(tmp_path: Path) -> None:
    output = tmp_path / "out"
    _write(output, FILES)
    before = snapshot(output)
    diff = _write(output, FILES)
    assert diff.is_empty
    assert snapshot(output) == before


def test_only_changed_files_are_rewritten(tmp_path: Path) -> None:
    output = tmp_path / "out"
    _write(output, FILES)
    before = snapshot(output)
    new_client = "class Client:\n    timeout = 60\n"
    diff = _write(output, {**FILES, "src/demo/_client.py": new_client})
    after = snapshot(output)
    assert diff == TreeDiff(added=(), removed=(), changed=("src/demo/_client.py",))
    assert (output / "src/demo/_client.py").read_text() == new_client
    for path in FILES:
        if path == "src/demo/_client.py":
            assert after[path] != before[path]
        else:
            assert after[path] == before[path], path


def test_removed_files_and_empty_folders_go(tmp_path: Path) -> None:
    output = tmp_path / "out"
    _write(output, FILES)
    smaller = {path: text for path, text in FILES.items() if "/types/" not in path}
    diff = _write(output, smaller)
    assert diff.removed == ("src/demo/types/pet.py",)
    assert not (output / "src/demo/types").exists()
    assert contents(output) == {path: text.encode() for path, text in smaller.items()}


def test_stale_file_is_removed(tmp_path: Path) -> None:
    output = tmp_path / "out"
    _write(output, FILES)
    (output / "src/demo/stale.py").write_text("x = 1\n")
    diff = _write(output, FILES)
    assert diff.removed == ("src/demo/stale.py",)
    assert not (output / "src/demo/stale.py").exists()


def test_user_owned_folder_is_carried_over(tmp_path: Path) -> None:
    output = tmp_path / "out"
    owned = ("src/demo/lib",)
    _write(output, FILES, owned)
    helpers = output / "src/demo/lib"
    (helpers / "data").mkdir(parents=True)
    (helpers / "helpers.py").write_text("def helper() -> int:\n    return 1\n")
    (helpers / "data" / "blob.bin").write_bytes(b"\x00\xff")
    (helpers / "link.py").symlink_to("helpers.py")
    owned_before = snapshot(helpers)

    assert diff_tree(output, FILES, owned).is_empty
    _write(output, {**FILES, "src/demo/_client.py": "class Client:\n    x = 1\n"}, owned)
    assert snapshot(helpers) == owned_before
    assert (helpers / "link.py").is_symlink()


def test_generated_file_under_user_owned_path_is_not_written(tmp_path: Path) -> None:
    output = tmp_path / "out"
    owned = ("src/demo/_client.py",)
    _write(output, FILES, ())
    (output / "src/demo/_client.py").write_text("# my own client\n")
    before = snapshot(output / "src/demo")["_client.py"]

    assert diff_tree(output, FILES, owned).is_empty
    _write(output, {**FILES, "src/demo/__init__.py": "# changed\n"}, owned)
    assert snapshot(output / "src/demo")["_client.py"] == before


def test_user_owned_path_is_not_created(tmp_path: Path) -> None:
    output = tmp_path / "out"
    _write(output, {**FILES, "src/demo/lib/gen.py": "x = 1\n"}, ("src/demo/lib",))
    assert not (output / "src/demo/lib").exists()


def test_tool_caches_are_ignored_and_kept(tmp_path: Path) -> None:
    output = tmp_path / "out"
    _write(output, FILES)
    caches = [
        output / "src/demo/__pycache__/_client.cpython-311.pyc",
        output / ".ruff_cache/0.5.0/cache",
        output / ".mypy_cache/3.11/demo.meta.json",
    ]
    gone = output / "src/demo/types/__pycache__/pet.cpython-311.pyc"
    for path in (*caches, gone):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"cache")
    states = {path: path.stat().st_ino for path in caches}

    assert diff_tree(output, FILES, ()).is_empty
    smaller = {path: text for path, text in FILES.items() if "/types/" not in path}
    _write(output, smaller)
    for path, inode in states.items():
        assert path.stat().st_ino == inode
    # The cache of a folder that generation removed goes with it.
    assert not gone.parent.exists()


def test_unmanaged_top_level_entries_are_kept(tmp_path: Path) -> None:
    """An SDK repository keeps its own files beside the generated ones."""
    output = tmp_path / "out"
    _write(output, FILES)
    own = {
        ".git/HEAD": b"ref: refs/heads/main\n",
        ".git/objects/ab/cdef": b"\x00object",
        ".gitignore": b"build/\n",
        "CHANGELOG.md": b"# Changelog\n",
        "tests/test_client.py": b"def test() -> None:\n    pass\n",
        "src/demo.egg-info/PKG-INFO": b"Name: demo\n",
    }
    for relative, data in own.items():
        (output / relative).parent.mkdir(parents=True, exist_ok=True)
        (output / relative).write_bytes(data)
    (output / "docs").symlink_to(tmp_path)

    assert diff_tree(output, FILES, ()).is_empty
    changed = {**FILES, "src/demo/_client.py": "class Client:\n    x = 1\n"}
    diff = _write(output, changed)

    assert diff == TreeDiff(added=(), removed=(), changed=("src/demo/_client.py",))
    for relative, data in own.items():
        assert (output / relative).read_bytes() == data, relative
    assert (output / "docs").is_symlink()
    # Inside a generated top-level folder, a stale file is still removed.
    (output / "src/other.py").write_text("x = 1\n")
    assert _write(output, changed).removed == ("src/other.py",)


def test_symlink_in_tree_counts_as_changed(tmp_path: Path) -> None:
    output = tmp_path / "out"
    _write(output, FILES)
    client = output / "src/demo/_client.py"
    (tmp_path / "elsewhere.py").write_text(FILES["src/demo/_client.py"])
    client.unlink()
    client.symlink_to(tmp_path / "elsewhere.py")

    diff = diff_tree(output, FILES, ())
    assert diff.changed == ("src/demo/_client.py",)
    _write(output, FILES)
    assert not client.is_symlink()
    assert client.read_text() == FILES["src/demo/_client.py"]


def test_symlinked_output_folder_keeps_link(tmp_path: Path) -> None:
    real = tmp_path / "real"
    link = tmp_path / "out"
    _write(real, FILES)
    link.symlink_to(real)
    _write(link, {**FILES, "src/demo/_client.py": "class Client:\n    x = 2\n"})
    assert link.is_symlink()
    assert (real / "src/demo/_client.py").read_text() == "class Client:\n    x = 2\n"


def test_output_path_that_is_a_file_is_an_error(tmp_path: Path) -> None:
    output = tmp_path / "out"
    output.write_text("not a folder")
    with pytest.raises(WriteError, match="exists and is not a folder"):
        _write(output, FILES)
    assert output.read_text() == "not a folder"
    assert leftovers(output) == []


def test_stale_staging_folders_are_removed(tmp_path: Path) -> None:
    output = tmp_path / "out"
    _write(output, FILES)
    for name in (".out.sdkgen-0badcafe", ".out.sdkgen-old-12345678"):
        (tmp_path / name / "src").mkdir(parents=True)
        (tmp_path / name / "src" / "half.py").write_text("partial")
    unrelated = tmp_path / ".other.sdkgen-0badcafe"
    unrelated.mkdir()

    assert diff_tree(output, FILES, ()).is_empty
    _write(output, FILES)
    assert leftovers(output) == []
    assert unrelated.is_dir()
    assert contents(output) == {path: text.encode() for path, text in FILES.items()}


def test_output_folder_restored_from_backup(tmp_path: Path) -> None:
    # The state a run without RENAME_EXCHANGE leaves when killed between its renames.
    output = tmp_path / "out"
    _write(output, FILES)
    before = snapshot(output)
    backup = tmp_path / ".out.sdkgen-old-12345678"
    output.rename(backup)
    (tmp_path / ".out.sdkgen-89abcdef").mkdir()

    diff = _write(output, FILES)
    assert diff.is_empty
    assert snapshot(output) == before
    assert leftovers(output) == []


def test_two_renames_without_exchange(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    output = tmp_path / "out"
    _write(output, FILES)
    monkeypatch.setattr(generator.write, "_exchange", lambda first, second: False)
    changed = {**FILES, "src/demo/_client.py": "class Client:\n    x = 3\n"}
    _write(output, changed)
    assert contents(output) == {path: text.encode() for path, text in changed.items()}
    assert leftovers(output) == []


def test_write_error_leaves_folder_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "out"
    _write(output, FILES)
    before = snapshot(output)
    original = Path.write_bytes
    calls = []

    def failing_write_bytes(self: Path, data: bytes) -> int:
        calls.append(self)
        if len(calls) == 2:
            raise OSError(28, "No space left on device", str(self))
        return original(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing_write_bytes)
    changed = {path: text + "# new\n" for path, text in FILES.items()}
    with pytest.raises(WriteError, match="No space left on device"):
        _write(output, changed)
    assert len(calls) == 2
    assert snapshot(output) == before
    assert leftovers(output) == []


def test_failed_fsync_leaves_folder_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "out"
    _write(output, FILES)
    before = snapshot(output)
    original = generator.write._fsync
    calls: list[Path] = []
    lock = threading.Lock()

    def failing_fsync(path: Path) -> None:
        with lock:
            calls.append(path)
            count = len(calls)
        if count == 2:
            raise OSError(5, "Input/output error", str(path))
        original(path)

    monkeypatch.setattr(generator.write, "_fsync", failing_fsync)
    changed = {path: text + "# new\n" for path, text in FILES.items()}
    with pytest.raises(WriteError, match="Input/output error"):
        _write(output, changed)
    assert len(calls) >= 2
    assert snapshot(output) == before
    assert leftovers(output) == []


def test_every_new_file_flushed_before_swap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "out"
    _write(output, FILES)
    original_fsync = generator.write._fsync
    original_swap = generator.write._swap_in
    flushed: list[str] = []
    flushed_at_swap: list[str] = []
    lock = threading.Lock()

    def recording_fsync(path: Path) -> None:
        original_fsync(path)
        with lock:
            flushed.append(path.name)

    def recording_swap(staging: Path, target: Path) -> None:
        with lock:
            flushed_at_swap.extend(flushed)
        original_swap(staging, target)

    monkeypatch.setattr(generator.write, "_fsync", recording_fsync)
    monkeypatch.setattr(generator.write, "_swap_in", recording_swap)
    changed = {**FILES, "src/demo/_client.py": "class Client:\n    x = 6\n", "new.txt": "new\n"}
    diff = _write(output, changed)

    assert diff.changed == ("src/demo/_client.py",)
    assert diff.added == ("new.txt",)
    # Only new contents are flushed. Unchanged files are hard links to the old ones.
    assert sorted(flushed_at_swap) == ["_client.py", "new.txt"]


def test_interrupt_while_staging_leaves_folder_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "out"
    _write(output, FILES)
    before = snapshot(output)
    original = Path.write_bytes

    def interrupted_write_bytes(self: Path, data: bytes) -> int:
        original(self, data)
        raise KeyboardInterrupt

    monkeypatch.setattr(Path, "write_bytes", interrupted_write_bytes)
    with pytest.raises(KeyboardInterrupt):
        _write(output, {**FILES, "src/demo/_client.py": "class Client:\n    x = 4\n"})
    assert snapshot(output) == before
    assert leftovers(output) == []


def test_sigint_during_swap_completes_the_swap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    output = tmp_path / "out"
    _write(output, FILES)
    original = generator.write._swap_in

    def swap_after_sigint(staging: Path, target: Path) -> None:
        os.kill(os.getpid(), signal.SIGINT)
        original(staging, target)

    monkeypatch.setattr(generator.write, "_swap_in", swap_after_sigint)
    changed = {**FILES, "src/demo/_client.py": "class Client:\n    x = 5\n"}
    with caplog.at_level(logging.WARNING, logger="generator.write"):
        _write(output, changed)
    assert contents(output) == {path: text.encode() for path, text in changed.items()}
    assert leftovers(output) == []
    assert "the swap was completed" in caplog.text
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_concurrent_run_waits_and_keeps_live_staging(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    output = tmp_path / "out"
    _write(output, FILES)
    live_staging = tmp_path / ".out.sdkgen-11111111"
    live_staging.mkdir()
    changed = {**FILES, "src/demo/_client.py": "class Client:\n    x = 6\n"}
    errors: list[BaseException] = []

    def run() -> None:
        try:
            _write(output, changed)
        except BaseException as exc:  # re-raised in the test thread below
            errors.append(exc)

    holder = os.open(tmp_path, os.O_RDONLY)
    writer = threading.Thread(target=run)
    try:
        fcntl.flock(holder, fcntl.LOCK_EX)
        with caplog.at_level(logging.WARNING, logger="generator.write"):
            writer.start()
            for _ in range(600):
                if "waiting for another sdkgen run" in caplog.text:
                    break
                threading.Event().wait(0.05)
            assert "waiting for another sdkgen run" in caplog.text
            # While the other run holds the lock, its staging folder is left alone.
            assert live_staging.is_dir()
            assert (output / "src/demo/_client.py").read_text() == FILES["src/demo/_client.py"]
    finally:
        os.close(holder)
        writer.join(timeout=60)
    assert not writer.is_alive()
    assert errors == []
    assert not live_staging.exists()
    assert (output / "src/demo/_client.py").read_text() == changed["src/demo/_client.py"]


def test_diff_names_empty_and_unterminated_files(tmp_path: Path) -> None:
    output = tmp_path / "out"
    _write(output, FILES)
    (output / "src/demo/py.typed").unlink()
    (output / "src/demo/empty.py").write_text("")
    (output / "src/demo/_client.py").write_text("class Client:\n    pass")

    diff = diff_tree(output, FILES, ())
    text = unified_diff(output, FILES, diff)
    assert "diff --git a/src/demo/py.typed b/src/demo/py.typed\nnew file mode 100644\n" in text
    assert "diff --git a/src/demo/empty.py b/src/demo/empty.py\ndeleted file mode 100644\n" in text
    assert "-    pass\n\\ No newline at end of file\n+    pass\n" in text


def test_diff_keeps_form_feed_inside_a_line(tmp_path: Path) -> None:
    output = tmp_path / "out"
    _write(output, {"a.py": "x = 1\n"})
    files = {"a.py": "x = '\x0c'\n"}
    text = unified_diff(output, files, diff_tree(output, files, ()))
    assert "+x = '\x0c'\n" in text
    assert text.count("\n+") == 2  # the +++ line and one added line


# Failure injection through the command line ------------------------------------------

SLOW_SDKGEN = '''"""Run sdkgen with one file-system call paused, so a test can signal it there."""

import os
import shutil
import sys
import time
from pathlib import Path

repo, mode, marker = sys.argv[1], sys.argv[2], Path(sys.argv[3])
sys.path.insert(0, repo)

import generator.write  # noqa: E402


def pause() -> None:
    marker.touch()
    time.sleep(300)


def in_staging(path) -> bool:
    return ".sdkgen-" in os.fspath(path)


if mode == "write":
    original_write_bytes = Path.write_bytes

    def write_bytes(self, data):
        written = original_write_bytes(self, data)
        if in_staging(self):
            pause()
        return written

    Path.write_bytes = write_bytes
elif mode == "link":
    original_link = os.link

    def link(source, target, **options):
        original_link(source, target, **options)
        if in_staging(target):
            pause()

    os.link = link
elif mode == "swapped":
    # The new tree is in place; the old one, now at the staging path, is removed next.
    original_rmtree = shutil.rmtree

    def rmtree(path, *args, **options):
        if in_staging(path):
            pause()
        return original_rmtree(path, *args, **options)

    shutil.rmtree = rmtree
elif mode == "between-renames":
    generator.write._exchange = lambda first, second: False
    original_rename = os.rename

    def rename(source, target):
        original_rename(source, target)
        if ".sdkgen-old-" in os.fspath(target):
            pause()

    os.rename = rename

from generator.cli import main  # noqa: E402

sys.exit(main(sys.argv[4:]))
'''


@pytest.fixture()
def specs(tmp_path: Path) -> tuple[Path, Path]:
    """The seed spec and a copy whose operation description changed."""
    old = tmp_path / "old.yaml"
    new = tmp_path / "new.yaml"
    text = SEED_SPEC.read_text(encoding="utf-8")
    old.write_text(text, encoding="utf-8")
    changed = text.replace(
        "Complete a currently running BenchmarkRun.", "Complete a BenchmarkRun that is running."
    )
    assert changed != text
    new.write_text(changed, encoding="utf-8")
    return old, new


def _generated(spec: Path, output: Path) -> Path:
    assert main(["generate", str(spec), "--output", str(output)]) == 0
    return output


def _start_paused(tmp_path: Path, mode: str, *args: str) -> subprocess.Popen[str]:
    """Start `sdkgen` with one call paused; return once the pause point is reached."""
    script = tmp_path / "slow_sdkgen.py"
    script.write_text(SLOW_SDKGEN, encoding="utf-8")
    marker = tmp_path / f"paused-{mode}"
    process = subprocess.Popen(
        [sys.executable, str(script), str(REPO), mode, str(marker), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    for _ in range(1200):
        if marker.exists() or process.poll() is not None:
            break
        threading.Event().wait(0.05)
    if not marker.exists():
        process.kill()
        _, stderr = process.communicate(timeout=60)
        pytest.fail(f"sdkgen never reached the {mode} pause point:\n{stderr}")
    return process


@pytest.mark.parametrize("mode", ["write", "link"])
def test_sigkill_while_writing_leaves_folder_unchanged(
    tmp_path: Path, specs: tuple[Path, Path], mode: str
) -> None:
    old, new = specs
    output = _generated(old, tmp_path / "out")
    before = snapshot(output)

    process = _start_paused(tmp_path, mode, "generate", str(new), "--output", str(output))
    process.kill()
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL

    assert snapshot(output) == before
    assert leftovers(output), "the killed run should have left its staging folder"
    # The leftover is not drift, and the next run removes it.
    assert main(["check", str(old), "--output", str(output)]) == 0
    assert main(["generate", str(new), "--output", str(output)]) == 0
    assert leftovers(output) == []
    assert main(["check", str(new), "--output", str(output)]) == 0


def test_sigkill_after_swap_leaves_new_tree(tmp_path: Path, specs: tuple[Path, Path]) -> None:
    old, new = specs
    output = _generated(old, tmp_path / "out")
    expected = contents(_generated(new, tmp_path / "expected"))

    process = _start_paused(tmp_path, "swapped", "generate", str(new), "--output", str(output))
    process.kill()
    process.communicate(timeout=60)

    assert contents(output) == expected
    assert leftovers(output)
    assert main(["check", str(new), "--output", str(output)]) == 0
    assert main(["generate", str(new), "--output", str(output)]) == 0
    assert leftovers(output) == []


def test_sigkill_between_renames_is_recovered(
    tmp_path: Path, specs: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = specs
    output = _generated(old, tmp_path / "out")
    before = snapshot(output)

    process = _start_paused(
        tmp_path, "between-renames", "generate", str(new), "--output", str(output)
    )
    process.kill()
    process.communicate(timeout=60)
    assert not output.exists()

    capsys.readouterr()
    assert main(["generate", str(old), "--output", str(output)]) == 0
    assert "(no file changed)" in capsys.readouterr().out
    assert snapshot(output) == before
    assert leftovers(output) == []


def test_sigint_while_writing_leaves_folder_unchanged(
    tmp_path: Path, specs: tuple[Path, Path]
) -> None:
    old, new = specs
    output = _generated(old, tmp_path / "out")
    before = snapshot(output)

    process = _start_paused(tmp_path, "write", "generate", str(new), "--output", str(output))
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)

    assert process.returncode == 130, stderr
    assert "interrupted" in stderr
    assert "Traceback" not in stderr
    assert snapshot(output) == before
    assert leftovers(output) == []


def _fail_black_on_third_call(monkeypatch: pytest.MonkeyPatch) -> None:
    original = black.format_str
    calls: list[str] = []

    def format_str(text: str, *, mode: black.Mode) -> str:
        calls.append(text)
        if len(calls) == 3:
            raise black.parsing.InvalidInput("Cannot parse: 1:4: injected failure")
        return original(text, mode=mode)

    monkeypatch.setattr(black, "format_str", format_str)


def _fail_format_source_on_third_call(monkeypatch: pytest.MonkeyPatch) -> None:
    original = generator.fmt.format_source
    calls: list[str] = []

    def format_source(path: str, text: str) -> str:
        calls.append(path)
        if len(calls) == 3:
            raise generator.fmt.FormatError(f"black could not format generated file {path}")
        return original(path, text)

    monkeypatch.setattr(generator.fmt, "format_source", format_source)


def _break_a_template(templates: Path) -> list[str]:
    (templates / "resource.py.jinja").write_text("{{ header }}\n{{ no_such_value }}\n")
    return ["--templates", str(templates)]


@pytest.mark.parametrize("failure", ["black", "format_source", "template"])
def test_failed_stage_leaves_folder_unchanged(
    tmp_path: Path,
    specs: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    failure: str,
) -> None:
    old, new = specs
    output = _generated(old, tmp_path / "out")
    before = snapshot(output)
    # black's error path saves the unformatted text to a temporary file.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    extra: list[str] = []
    if failure == "black":
        _fail_black_on_third_call(monkeypatch)
    elif failure == "format_source":
        _fail_format_source_on_third_call(monkeypatch)
    else:
        templates = tmp_path / "templates"
        templates.mkdir()
        extra = _break_a_template(templates)
    capsys.readouterr()

    # Without the cache, so that every file goes through the stage that fails.
    assert main(["generate", str(new), "--output", str(output), "--no-cache", *extra]) == 2
    stderr = capsys.readouterr().err
    assert "error:" in stderr
    assert "Traceback" not in stderr
    assert snapshot(output) == before
    assert leftovers(output) == []
