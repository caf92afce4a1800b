"""A content-addressed cache of validation results, formatted files and whole generations.

Every entry is keyed by a SHA-256 digest of everything its value depends on, so a
changed input selects a different entry instead of overwriting or trusting an old one.
An entry file stores the digest it was written for and a checksum of its payload: a
truncated, corrupted or misplaced file fails those checks and is ignored and removed.
The cache is an optimisation only. Any failure to read or write it is logged at DEBUG
and the work is done as if the entry were missing, so deleting the folder never
changes the output.

The folder is `$SDKGEN_CACHE_DIR` when set, else `$XDG_CACHE_HOME/sdkgen`, else
`~/.cache/sdkgen`. Some entries are pickles, so the folder must be writable only by
its user, as for any cache that stores them.

NOTE: entries are never evicted. Each changed spec adds its formatted files (about 3 MB
for the Runloop SDK); delete the folder to reclaim the space.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
import tempfile
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from . import __version__

__all__ = [
    "Cache",
    "default_cache_dir",
    "digest",
    "generator_fingerprint",
    "package_version",
    "tree_fingerprint",
]

log = logging.getLogger(__name__)

# Bumped when the entry layout or the meaning of a key changes; part of every key.
CACHE_FORMAT = 1
_MAGIC = b"sdkgen-cache"

_GENERATOR_DIR = Path(__file__).resolve().parent
# The built-in templates of a source checkout sit beside the package (see render.py).
_CHECKOUT_TEMPLATES = _GENERATOR_DIR.parent / "templates"

_generator_fingerprint: str | None = None


def default_cache_dir() -> Path:
    """Return the cache folder chosen by the environment (see the module docstring)."""
    override = os.environ.get("SDKGEN_CACHE_DIR")
    if override:
        return Path(override)
    xdg = os.environ.get("XDG_CACHE_HOME")
    # The XDG spec says a relative path in the variable is invalid and must be ignored.
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "sdkgen"
    return Path.home() / ".cache" / "sdkgen"


def digest(*parts: str | bytes) -> str:
    """Hash a sequence of parts; each part is length-prefixed, so no two sequences collide."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big"))
        hasher.update(data)
    return hasher.hexdigest()


def tree_fingerprint(roots: Iterable[Path]) -> str:
    """Hash the relative path and bytes of every file under each root, in sorted order.

    A root that does not exist contributes only its name, so creating it changes the hash.
    """
    parts: list[str | bytes] = []
    for root in roots:
        parts.append(str(root))
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                parts.append(path.relative_to(root).as_posix())
                parts.append(path.read_bytes())
    return digest(*parts)


def generator_fingerprint() -> str:
    """Hash sdkgen's own code and built-in templates, so any change to them misses the cache.

    The version number alone is not enough: a source checkout changes without a new version.
    """
    global _generator_fingerprint
    if _generator_fingerprint is None:
        _generator_fingerprint = digest(
            __version__,
            f"{sys.version_info.major}.{sys.version_info.minor}",
            tree_fingerprint([_GENERATOR_DIR, _CHECKOUT_TEMPLATES]),
        )
    return _generator_fingerprint


def package_version(name: str) -> str:
    """Return an installed distribution's version, or "" when it is not installed."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return ""


class Cache:
    """Entries under one folder, one file per entry, grouped by namespace.

    Args:
        root: the cache folder; created on the first write.
    """

    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def from_environment(cls) -> Cache:
        return cls(default_cache_dir())

    def _entry_path(self, namespace: str, key: str) -> Path:
        return self.root / namespace / key[:2] / key[2:]

    def get_bytes(self, namespace: str, key: str) -> bytes | None:
        """Return the payload stored for a key, or None when missing, corrupted or stale."""
        path = self._entry_path(namespace, key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        payload = _unpack(data, key)
        if payload is None:
            log.debug("ignoring invalid cache entry %s", path)
            _remove_quietly(path)
        return payload

    def put_bytes(self, namespace: str, key: str, payload: bytes) -> None:
        """Store a payload atomically; a failure is logged and otherwise ignored."""
        path = self._entry_path(namespace, key)
        checksum = hashlib.sha256(payload).hexdigest()
        header = b"%s %d %s %s\n" % (_MAGIC, CACHE_FORMAT, key.encode(), checksum.encode())
        temporary: str | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Write beside the target and rename, so a reader never sees half an entry.
            descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(header)
                handle.write(payload)
            os.replace(temporary, path)
        except OSError as exc:
            log.debug("could not write cache entry %s: %s", path, exc)
            if temporary is not None:
                _remove_quietly(Path(temporary))

    def get_text(self, namespace: str, key: str) -> str | None:
        payload = self.get_bytes(namespace, key)
        if payload is None:
            return None
        try:
            return payload.decode("utf-8")
        except UnicodeDecodeError:
            return None

    def put_text(self, namespace: str, key: str, text: str) -> None:
        self.put_bytes(namespace, key, text.encode("utf-8"))

    def get_object(self, namespace: str, key: str) -> Any:
        """Return an unpickled entry, or None. Only entries this cache wrote pass the checksum."""
        payload = self.get_bytes(namespace, key)
        if payload is None:
            return None
        try:
            return pickle.loads(payload)
        except Exception as exc:  # an entry from an incompatible build of sdkgen
            log.debug("ignoring unreadable cache entry %s/%s: %s", namespace, key, exc)
            return None

    def put_object(self, namespace: str, key: str, value: Any) -> None:
        self.put_bytes(namespace, key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def get_texts(self, namespace: str, keys: Mapping[str, str]) -> dict[str, str]:
        """Look up many text entries; returns only the hits, by the caller's names."""
        hits: dict[str, str] = {}
        for name, key in keys.items():
            text = self.get_text(namespace, key)
            if text is not None:
                hits[name] = text
        return hits


def _unpack(data: bytes, key: str) -> bytes | None:
    """Check an entry's header against the expected key and its checksum; return the payload."""
    header, newline, payload = data.partition(b"\n")
    if not newline:
        return None
    fields = header.split(b" ")
    if len(fields) != 4 or fields[0] != _MAGIC or fields[1] != str(CACHE_FORMAT).encode():
        return None
    # The key check catches an entry copied or renamed to another key's place.
    if fields[2] != key.encode():
        return None
    if hashlib.sha256(payload).hexdigest().encode() != fields[3]:
        return None
    return payload


def _remove_quietly(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass
