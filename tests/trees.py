"""Snapshots of folders, for tests that assert a folder did or did not change."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class FileState:
    content: bytes
    mtime_ns: int
    inode: int
    mode: int


def snapshot(root: Path) -> dict[str, FileState | None]:
    """Record every file (content, mtime, inode, mode) and folder (None) under `root`.

    A symbolic link is recorded by its target, with inode 0: carrying a link over
    recreates it.
    """
    states: dict[str, FileState | None] = {}
    for folder, dirs, names in os.walk(root):
        base = Path(folder)
        for name in dirs:
            states[(base / name).relative_to(root).as_posix()] = None
        for name in names:
            path = base / name
            info = path.lstat()
            link = path.is_symlink()
            states[path.relative_to(root).as_posix()] = FileState(
                content=os.readlink(path).encode() if link else path.read_bytes(),
                mtime_ns=info.st_mtime_ns,
                inode=0 if link else info.st_ino,
                mode=info.st_mode,
            )
    return states


def contents(root: Path) -> dict[str, bytes]:
    """Map every regular file under `root` (relative POSIX path) to its bytes."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


def differing(first: dict[str, bytes], second: dict[str, bytes]) -> list[str]:
    """List the paths whose bytes differ between two `contents` results, or that one lacks."""
    return sorted(path for path in set(first) | set(second) if first.get(path) != second.get(path))


def leftovers(output: Path) -> list[str]:
    """List the staging and backup folders that runs left beside an output folder."""
    return sorted(
        path.name
        for path in output.parent.iterdir()
        if path.name.startswith(f".{output.name}.sdkgen-")
    )
