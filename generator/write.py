"""Write a generated tree to disk atomically, keeping unchanged files and user-owned paths.

The new tree is built in a staging folder beside the output folder and swapped
in with one rename, so a run that fails or is interrupted (an exception, SIGINT
or SIGKILL) leaves the output folder as it was. Unchanged files are hard-linked
into the staging folder rather than rewritten, so their mtime stays and build
caches downstream stay valid.

Every run holds an exclusive lock on the output folder's parent while it
writes. Any staging folder found beside the output folder at the start of a
run therefore belongs to a run that was killed, and is removed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import difflib
import logging
import os
import secrets
import shutil
import signal
import stat
import sys
import threading
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath
from types import FrameType

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows has no flock
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

# Caches that tools create inside a project (Python's bytecode, mypy, ruff,
# pytest), and the metadata folder `pip install -e` writes beside a package
# (`*.egg-info`). They are neither compared nor removed: `generate` carries them over.
TOOL_CACHE_DIRS = frozenset({"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"})
TOOL_DIR_SUFFIXES = (".egg-info",)

STAGING_MARK = ".sdkgen-"
_BACKUP_MARK = ".sdkgen-old-"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100

# Windows opens a device instead of a file for these names, whatever the extension.
_DEVICE_NAMES = frozenset(
    {"con", "prn", "aux", "nul", "conin$", "conout$"}
    | {f"com{digit}" for digit in "0123456789\u00b9\u00b2\u00b3"}
    | {f"lpt{digit}" for digit in "0123456789\u00b9\u00b2\u00b3"}
)
# Characters that Windows does not allow in a file name, besides controls and backslash.
_WINDOWS_INVALID = frozenset('<>:"|?*')
_MAX_COMPONENT_BYTES = 255
# Threads that fsync new files. 4, 8 and 16 measured about the same for the Runloop
# SDK on ext4 on a virtual disk, and all faster than one.
_FSYNC_THREADS = 8


class WriteError(Exception):
    """The output folder cannot be read or written (a missing permission, a file in the way)."""


class UnsafePathError(WriteError):
    """A relative path that could leave the output folder or clash with another on some OS."""


def unsafe_path_reason(relative: str) -> str | None:
    """Tell why a relative POSIX path is unsafe to write under the output folder, or None.

    A path is unsafe when it is empty or absolute, or when it contains `..`, `.` or
    empty components, a backslash, a NUL or another control character, or a character
    Windows rejects. A component may also not end in a dot or space (Windows drops
    those), be longer than 255 bytes, or be a Windows device name (`CON`, `nul.txt`).
    """
    if not relative:
        return "the path is empty"
    if "\x00" in relative:
        return "it contains a NUL character"
    if "\\" in relative:
        return "it contains a backslash"
    if relative.startswith("/") or PureWindowsPath(relative).is_absolute():
        return "it is absolute"
    for component in relative.split("/"):
        if component == "..":
            return "it contains '..'"
        if component in ("", "."):
            return "it contains an empty or '.' component"
        if any(ord(char) < 0x20 or char == "\x7f" for char in component):
            return "it contains a control character"
        if any(0xD800 <= ord(char) <= 0xDFFF for char in component):
            return "it contains a lone surrogate, which no file system encoding accepts"
        if any(char in _WINDOWS_INVALID for char in component):
            return 'it contains one of <>:"|?*'
        if component.endswith((".", " ")):
            return "a component ends with a dot or a space"
        if len(component.encode("utf-8", "surrogatepass")) > _MAX_COMPONENT_BYTES:
            return f"a component is longer than {_MAX_COMPONENT_BYTES} bytes"
        if component.split(".")[0].rstrip(" ").lower() in _DEVICE_NAMES:
            return f"{component!r} is a reserved device name on Windows"
    return None


def check_relative_paths(paths: Iterable[str], kind: str = "generated file") -> None:
    """Reject any path that is unsafe, or that equals another one when case is ignored.

    Every folder on the way counts too: `src/Pkg/a.py` and `src/pkg/b.py` clash on a
    case-insensitive file system.

    Raises:
        UnsafePathError: naming the first offending path.
    """
    spellings: dict[str, str] = {}
    for relative in paths:
        reason = unsafe_path_reason(relative)
        if reason is not None:
            raise UnsafePathError(f"unsafe {kind} {relative!r}: {reason}; nothing was written")
        parts = relative.split("/")
        for depth in range(1, len(parts) + 1):
            prefix = "/".join(parts[:depth])
            folded = prefix.casefold()
            other = spellings.setdefault(folded, prefix)
            if other != prefix:
                raise UnsafePathError(
                    f"unsafe {kind} {relative!r}: {prefix!r} and {other!r} are the same "
                    "path on a case-insensitive file system; nothing was written"
                )


def check_paths(files: Iterable[str], user_owned: Iterable[str]) -> None:
    """Check the generated paths and the user-owned prefixes with `check_relative_paths`."""
    check_relative_paths(files)
    for prefix in user_owned:
        check_relative_paths([prefix.strip("/")], "user-owned path")


@dataclass(frozen=True, slots=True)
class TreeDiff:
    """Files that differ between an output folder and a generated tree, by relative path."""

    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[str, ...]

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    @property
    def count(self) -> int:
        """Number of files that differ: added, removed and changed together."""
        return len(self.added) + len(self.removed) + len(self.changed)


def is_user_owned(relative: str, user_owned: Iterable[str]) -> bool:
    """Tell whether a POSIX relative path lies under one of the user-owned prefixes."""
    for prefix in user_owned:
        prefix = prefix.strip("/")
        if relative == prefix or relative.startswith(prefix + "/"):
            return True
    return False


def managed_files(files: Mapping[str, str], user_owned: Iterable[str]) -> dict[str, str]:
    """Drop generated files that fall under a user-owned path: sdkgen never writes there."""
    owned = tuple(user_owned)
    kept = {path: text for path, text in files.items() if not is_user_owned(path, owned)}
    for path in sorted(set(files) - set(kept)):
        log.info("not writing %s: it is under a user-owned path", path)
    return kept


@dataclass(frozen=True, slots=True)
class _Listing:
    """Contents of an output folder: managed files by relative path, tool cache folders,
    and the top-level entries generation does not manage."""

    files: dict[str, Path]
    caches: tuple[str, ...]
    unmanaged: tuple[str, ...]


def managed_roots(files: Iterable[str]) -> frozenset[str]:
    """Top-level names of a generated tree (`README.md`, `pyproject.toml`, `src`).

    Generation manages only these in the output folder. Anything else at the top, such
    as `.git`, `tests/` or a `CHANGELOG.md` in an SDK repository, belongs to the user.
    """
    return frozenset(path.split("/", 1)[0] for path in files)


def _is_tool_folder(name: str) -> bool:
    return name in TOOL_CACHE_DIRS or name.endswith(TOOL_DIR_SUFFIXES)


def _list_tree(output_dir: Path, owned: tuple[str, ...], roots: frozenset[str]) -> _Listing:
    """List the files under the output folder that generation manages, and what it keeps.

    User-owned paths are left out, and so is every top-level entry whose name is not
    in `roots` (listed as unmanaged). Symbolic links and other non-regular files are
    listed as files, since generation would replace them.
    """
    files: dict[str, Path] = {}
    caches: list[str] = []
    unmanaged: list[str] = []
    if not output_dir.is_dir():
        return _Listing(files, (), ())

    def fail(exc: OSError) -> None:
        raise WriteError(f"cannot read {exc.filename}: {exc.strerror}")

    for root, dirs, names in os.walk(output_dir, onerror=fail):
        base = Path(root)
        top = base == output_dir
        kept_dirs = []
        for name in sorted(dirs):
            path = base / name
            relative = path.relative_to(output_dir).as_posix()
            if is_user_owned(relative, owned):
                continue
            if top and name not in roots:
                unmanaged.append(relative)
            elif _is_tool_folder(name):
                caches.append(relative)
            elif path.is_symlink():
                # os.walk does not descend into a linked folder; the link itself
                # is what generation would replace.
                files[relative] = path
            else:
                kept_dirs.append(name)
        dirs[:] = kept_dirs
        for name in sorted(names):
            path = base / name
            relative = path.relative_to(output_dir).as_posix()
            if is_user_owned(relative, owned):
                continue
            if top and name not in roots:
                unmanaged.append(relative)
            else:
                files[relative] = path
    return _Listing(dict(sorted(files.items())), tuple(caches), tuple(unmanaged))


def diff_tree(output_dir: Path, files: Mapping[str, str], user_owned: Iterable[str]) -> TreeDiff:
    """Compare the output folder with a generated tree, leaving user-owned paths out.

    Raises:
        UnsafePathError: a generated or user-owned path is unsafe (see `unsafe_path_reason`).
        WriteError: a folder under the output folder cannot be listed.
    """
    owned = tuple(user_owned)
    check_paths(files, owned)
    files = managed_files(files, owned)
    current = _list_tree(output_dir, owned, managed_roots(files)).files
    added = sorted(set(files) - set(current))
    removed = sorted(set(current) - set(files))
    changed = sorted(
        path
        for path in set(files) & set(current)
        if _read_regular_file(current[path]) != files[path].encode("utf-8")
    )
    return TreeDiff(tuple(added), tuple(removed), tuple(changed))


def unified_diff(output_dir: Path, files: Mapping[str, str], diff: TreeDiff) -> str:
    """Render a git-style unified diff from the folder's content to the generated content.

    Paths are relative to the output folder with git's `a/` and `b/` prefixes, and
    added or removed files get git's `new file` and `deleted file` lines, so
    `git apply` run inside the output folder can apply the result.
    """
    chunks: list[str] = []
    for path in sorted((*diff.added, *diff.removed, *diff.changed)):
        chunks.append(f"diff --git a/{path} b/{path}\n")
        if path in diff.added:
            chunks.append(f"new file mode {_NEW_FILE_MODE:o}\n")
        elif path in diff.removed:
            chunks.append(f"deleted file mode {_git_mode(output_dir / path):o}\n")
        old = "" if path in diff.added else _read_text(output_dir / path)
        new = "" if path in diff.removed else files[path]
        from_file = "/dev/null" if path in diff.added else f"a/{path}"
        to_file = "/dev/null" if path in diff.removed else f"b/{path}"
        # An empty file added or removed has no hunk; git then writes no ---/+++ lines.
        for line in difflib.unified_diff(_lines(old), _lines(new), from_file, to_file):
            chunks.append(
                line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
            )
    return "".join(chunks)


_NEW_FILE_MODE = 0o100644


def _git_mode(path: Path) -> int:
    """Return the mode git records for a file: 100755 when executable, else 100644."""
    try:
        executable = path.lstat().st_mode & stat.S_IXUSR
    except OSError:
        executable = 0
    return 0o100755 if executable else _NEW_FILE_MODE


def _lines(text: str) -> list[str]:
    # str.splitlines would also split at form feeds and Unicode line separators,
    # which are ordinary characters inside a line of a source file.
    lines = [line + "\n" for line in text.split("\n")]
    lines[-1] = lines[-1][:-1]
    return lines if lines[-1] else lines[:-1]


def _read_regular_file(path: Path) -> bytes | None:
    """Return a regular file's bytes; None for a link, a FIFO or an unreadable file."""
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return None
        return path.read_bytes()
    except OSError:
        return None


def _read_text(path: Path) -> str:
    data = _read_regular_file(path) or b""
    return data.decode("utf-8", errors="replace")


def write_files(
    output_dir: Path, files: Mapping[str, str], user_owned: Iterable[str] = ()
) -> TreeDiff:
    """Replace the output folder's managed files with `files`, atomically.

    Files under user-owned prefixes, top-level entries outside `managed_roots(files)`
    and tool caches are carried over untouched; generated files under a user-owned
    prefix are not written. When the output
    folder is a symbolic link, the folder it points to is replaced and the link
    is kept. Returns what changed.

    Raises:
        UnsafePathError: a generated or user-owned path is unsafe; nothing is written.
        WriteError: the output folder or its parent cannot be created, read or
            replaced. The output folder is left as it was.
    """
    owned = tuple(user_owned)
    check_paths(files, owned)
    output_dir = output_dir.absolute()
    if output_dir.is_symlink():
        output_dir = output_dir.resolve()
    if output_dir.exists() and not output_dir.is_dir():
        raise WriteError(f"{output_dir} exists and is not a folder")
    try:
        output_dir.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(f"cannot create {exc.filename}: {exc.strerror}") from None

    with _locked(output_dir.parent):
        try:
            _remove_stale_staging(output_dir)
            files = managed_files(files, owned)
            diff = diff_tree(output_dir, files, owned)
            if not (diff.is_empty and output_dir.is_dir()):
                _replace_tree(output_dir, files, diff, owned)
        except OSError as exc:
            where = exc.filename or output_dir
            raise WriteError(f"cannot write {where}: {exc.strerror or exc}") from None
    return diff


def _replace_tree(
    output_dir: Path, files: Mapping[str, str], diff: TreeDiff, owned: tuple[str, ...]
) -> None:
    staging = _make_staging(output_dir)
    try:
        unchanged = set(files) - set(diff.added) - set(diff.changed)
        written: list[Path] = []
        for relative in sorted(files):
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if relative in unchanged:
                _link_or_copy(output_dir / relative, target)
            else:
                target.write_bytes(files[relative].encode("utf-8"))
                written.append(target)
        if output_dir.is_dir():
            _carry_over(output_dir, staging, owned, managed_roots(files))
        # Flush new contents before the rename makes them visible, so a crash
        # after the swap cannot expose empty files.
        _fsync_files(written)
        with _interrupts_deferred():
            _swap_in(staging, output_dir)
            _fsync_folder(output_dir.parent)
            shutil.rmtree(staging, ignore_errors=True)
    finally:
        # After a swap the staging path contains the old tree, and after a failure
        # the partial new one. Either way it is removed.
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _make_staging(output_dir: Path) -> Path:
    """Create an empty staging folder beside the output folder, with the output folder's mode."""
    for _ in range(100):
        staging = output_dir.parent / f".{output_dir.name}{STAGING_MARK}{secrets.token_hex(4)}"
        try:
            # Unlike tempfile.mkdtemp (mode 0700), os.mkdir applies the umask, so a
            # new output folder gets the same mode as any folder the user creates.
            staging.mkdir()
        except FileExistsError:
            continue
        if output_dir.is_dir():
            staging.chmod(stat.S_IMODE(output_dir.stat().st_mode))
        return staging
    raise WriteError(f"cannot create a staging folder beside {output_dir}")


def _staging_leftovers(output_dir: Path) -> list[Path]:
    prefix = f".{output_dir.name}{STAGING_MARK}"
    try:
        return sorted(path for path in output_dir.parent.iterdir() if path.name.startswith(prefix))
    except OSError as exc:
        raise WriteError(f"cannot list {output_dir.parent}: {exc.strerror}") from None


def _remove_stale_staging(output_dir: Path) -> None:
    """Recover from a killed run: restore a moved-away output folder, remove staging folders."""
    leftovers = _staging_leftovers(output_dir)
    backups = [
        path for path in leftovers if path.name.startswith(f".{output_dir.name}{_BACKUP_MARK}")
    ]
    if not output_dir.exists() and len(backups) == 1:
        # A run without an atomic exchange was killed between its two renames;
        # the backup is the output folder as it was before that run.
        log.warning("restoring %s from %s, left by an interrupted run", output_dir, backups[0])
        os.rename(backups[0], output_dir)
        leftovers.remove(backups[0])
    for path in leftovers:
        log.info("removing %s, left by an interrupted run", path)
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on a folder, so runs writing beside each other take turns.

    The kernel drops the lock when the process ends, even on SIGKILL.
    """
    if fcntl is None:  # pragma: no cover
        # NOTE: without flock, two runs writing into the same parent folder at once
        # may remove each other's staging folders.
        yield
        return
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError as exc:
        raise WriteError(f"cannot open {folder}: {exc.strerror}") from None
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.warning("waiting for another sdkgen run writing into %s", folder)
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


@contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """Hold back SIGINT while the new tree is swapped in and the old one removed.

    Once the swap has happened the run is complete, so an interrupt that arrives
    during it is logged and otherwise ignored: a KeyboardInterrupt that leaves
    `write_files` always means the output folder was not changed.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []

    def remember(signum: int, frame: FrameType | None) -> None:
        received.append(signum)

    previous = signal.signal(signal.SIGINT, remember)
    try:
        yield
    finally:
        # None means a handler installed outside Python; the default is the closest.
        signal.signal(signal.SIGINT, signal.SIG_DFL if previous is None else previous)
    if received:
        log.warning("interrupted while swapping in the new tree; the swap was completed")


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, target, follow_symlinks=False)


def _link_or_copy_str(source: str, target: str) -> None:
    _link_or_copy(Path(source), Path(target))


def _carry_over(
    output_dir: Path, staging: Path, owned: tuple[str, ...], roots: frozenset[str]
) -> None:
    """Copy user-owned paths, unmanaged top-level entries and tool caches into the
    staging folder, as hard links."""
    listing = _list_tree(output_dir, owned, roots)
    carried = [prefix.strip("/") for prefix in owned] + list(listing.unmanaged)
    for cache in listing.caches:
        # A cache whose folder is gone from the new tree would only describe removed files.
        if (staging / cache).parent.is_dir():
            carried.append(cache)
    for relative in carried:
        source = output_dir / relative
        if not source.exists() and not source.is_symlink():
            continue
        target = staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir() and not source.is_symlink():
            shutil.copytree(
                source, target, copy_function=_link_or_copy_str, symlinks=True, dirs_exist_ok=True
            )
        else:
            _link_or_copy(source, target)


def _fsync_files(paths: Iterable[Path]) -> None:
    """Fsync files from a few threads and return once all of them are flushed.

    Each fsync mostly waits for the disk, and os.fsync releases the GIL, so
    flushes that run side by side overlap their waits.

    Raises:
        OSError: the first failed flush, in the order of `paths`.
    """
    executor = ThreadPoolExecutor(max_workers=_FSYNC_THREADS, thread_name_prefix="sdkgen-fsync")
    try:
        for _ in executor.map(_fsync, paths):
            pass
    finally:
        # After an error or an interrupt, queued flushes are dropped and running
        # ones finish, so no thread touches the staging folder once it is removed.
        executor.shutdown(wait=True, cancel_futures=True)


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _fsync_folder(folder: Path) -> None:
    """Flush a folder's entries, so the rename survives a crash; skipped where unsupported."""
    try:
        _fsync(folder)
    except OSError as exc:
        # Some file systems and platforms cannot open or fsync a folder. The swap
        # has happened by now, so this must not turn into a write error.
        log.debug("cannot fsync %s: %s", folder, exc)


def _swap_in(staging: Path, output_dir: Path) -> None:
    """Make `staging` the output folder; afterwards the staging path contains the old tree."""
    if not output_dir.exists():
        os.rename(staging, output_dir)
        return
    if _exchange(staging, output_dir):
        return
    # NOTE: without an atomic exchange there is a short window between the two
    # renames in which the output folder is missing. A run killed inside it
    # leaves the backup, which the next run restores before doing anything else.
    backup = output_dir.parent / f".{output_dir.name}{_BACKUP_MARK}{secrets.token_hex(4)}"
    os.rename(output_dir, backup)
    try:
        os.rename(staging, output_dir)
    except OSError:
        os.rename(backup, output_dir)
        raise
    os.rename(backup, staging)


def _exchange(first: Path, second: Path) -> bool:
    """Atomically swap two paths with Linux renameat2(RENAME_EXCHANGE); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if result != 0:
        log.debug("renameat2 failed with errno %d; falling back to two renames", ctypes.get_errno())
        return False
    return True
