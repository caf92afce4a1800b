"""Write a generated tree to disk atomically, keeping unchanged files and user-owned paths.

The new tree is built in a staging folder beside the output folder and swapped
in with one rename, so an interrupted run (an exception, SIGINT or SIGKILL)
leaves the output folder as it was. Unchanged files are hard-linked into the
staging folder rather than rewritten, so their mtime stays and build caches
downstream stay valid.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import difflib
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath

log = logging.getLogger(__name__)

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


class UnsafePathError(ValueError):
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


@dataclass(frozen=True, slots=True)
class TreeDiff:
    """How an output folder differs from a freshly generated tree."""

    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[str, ...]

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def is_user_owned(relative: str, user_owned: Iterable[str]) -> bool:
    """Tell whether a POSIX relative path lies under one of the user-owned prefixes."""
    for prefix in user_owned:
        prefix = prefix.strip("/")
        if relative == prefix or relative.startswith(prefix + "/"):
            return True
    return False


def existing_files(output_dir: Path, user_owned: Iterable[str]) -> dict[str, Path]:
    """List the files under the output folder that generation manages (not user-owned)."""
    owned = tuple(user_owned)
    found: dict[str, Path] = {}
    if not output_dir.is_dir():
        return found
    for root, dirs, names in os.walk(output_dir):
        dirs.sort()
        for name in sorted(names):
            path = Path(root, name)
            relative = path.relative_to(output_dir).as_posix()
            if not is_user_owned(relative, owned):
                found[relative] = path
        dirs[:] = [d for d in dirs if d != "__pycache__"]
    return {relative: path for relative, path in found.items() if "__pycache__" not in relative}


def diff_tree(output_dir: Path, files: Mapping[str, str], user_owned: Iterable[str]) -> TreeDiff:
    """Compare the output folder with a generated tree.

    Raises:
        UnsafePathError: a generated or user-owned path is unsafe (see `unsafe_path_reason`).
    """
    check_relative_paths(files)
    for prefix in user_owned:
        check_relative_paths([prefix.strip("/")], "user-owned path")
    current = existing_files(output_dir, user_owned)
    added = sorted(set(files) - set(current))
    removed = sorted(set(current) - set(files))
    changed = sorted(
        path
        for path in set(files) & set(current)
        if _read_bytes(current[path]) != files[path].encode("utf-8")
    )
    return TreeDiff(tuple(added), tuple(removed), tuple(changed))


def unified_diff(output_dir: Path, files: Mapping[str, str], diff: TreeDiff) -> str:
    """Render a unified diff from the folder's content to the generated content."""
    chunks: list[str] = []
    for path in sorted((*diff.added, *diff.removed, *diff.changed)):
        old_path = output_dir / path
        old = _read_text(old_path) if path not in diff.added else ""
        new = files.get(path, "")
        chunks.extend(
            difflib.unified_diff(
                old.splitlines(keepends=True),
                new.splitlines(keepends=True),
                fromfile=f"a/{path}" if path not in diff.added else "/dev/null",
                tofile=f"b/{path}" if path not in diff.removed else "/dev/null",
            )
        )
        if chunks and not chunks[-1].endswith("\n"):
            chunks[-1] += "\n\\ No newline at end of file\n"
    return "".join(chunks)


def _read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _read_text(path: Path) -> str:
    data = _read_bytes(path) or b""
    return data.decode("utf-8", errors="replace")


def write_files(
    output_dir: Path, files: Mapping[str, str], user_owned: Iterable[str] = ()
) -> TreeDiff:
    """Replace the output folder's managed files with `files`, atomically.

    Files under user-owned prefixes are carried over untouched. Returns what changed.

    Raises:
        UnsafePathError: a generated or user-owned path is unsafe; nothing is written.
    """
    owned = tuple(user_owned)
    output_dir = output_dir.absolute()
    diff = diff_tree(output_dir, files, owned)
    if diff.is_empty and output_dir.is_dir():
        return diff

    output_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.sdkgen-", dir=output_dir.parent))
    try:
        unchanged = set(files) - set(diff.added) - set(diff.changed)
        for relative in sorted(files):
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if relative in unchanged:
                _link_or_copy(output_dir / relative, target)
            else:
                target.write_bytes(files[relative].encode("utf-8"))
        if output_dir.is_dir():
            _carry_user_owned(output_dir, staging, owned)
        _fsync_tree(staging)
        _swap_in(staging, output_dir)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return diff


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _carry_user_owned(output_dir: Path, staging: Path, owned: tuple[str, ...]) -> None:
    for prefix in owned:
        source = output_dir / prefix.strip("/")
        if not source.exists():
            continue
        target = staging / prefix.strip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(
                source,
                target,
                copy_function=_link_or_copy_str,
                symlinks=True,
                dirs_exist_ok=True,
            )
        else:
            _link_or_copy(source, target)


def _link_or_copy_str(source: str, target: str) -> None:
    _link_or_copy(Path(source), Path(target))


def _fsync_tree(root: Path) -> None:
    # Flush file contents before the rename makes them visible, so a crash
    # after the swap cannot expose empty files.
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())


def _swap_in(staging: Path, output_dir: Path) -> None:
    """Make `staging` the output folder; the old content is removed afterwards."""
    if not output_dir.exists():
        os.rename(staging, output_dir)
        return
    if _exchange(staging, output_dir):
        shutil.rmtree(staging, ignore_errors=True)
        return
    # NOTE: without an atomic exchange there is a short window between the
    # two renames in which the output folder is missing.
    backup = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.old-", dir=output_dir.parent))
    backup.rmdir()
    os.rename(output_dir, backup)
    os.rename(staging, output_dir)
    shutil.rmtree(backup, ignore_errors=True)


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
        log.debug(
            "renameat2 failed with errno %d; falling back to two renames",
            ctypes.get_errno(),
        )
        return False
    return True
