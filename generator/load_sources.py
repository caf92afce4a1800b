"""Read one spec file from disk, and track the files that make up a bundled spec."""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from .errors import SourceLocation, SpecError
from .load_parse import _parse_json_or_yaml, _parse_yaml
from .load_positions import _index_json, _index_yaml, _Position

log = logging.getLogger(__name__)

# The largest public specs we tried (OpenAI, Asana) are about 3 MiB. The cap keeps a
# wrong path such as a disk image or /dev/zero from exhausting memory.
MAX_FILE_BYTES = 64 * 1024 * 1024


# Reading one file -------------------------------------------------------------------


@dataclass(slots=True)
class _SourceFile:
    """One file read from disk, its parsed content and, once built, its position index."""

    path: Path  # resolved path, the key in _SourceIndex.files
    display: str  # the path shown in messages
    relative: str  # POSIX path relative to the spec's folder, orders the content hash
    raw: bytes
    text: str
    format: Literal["json", "yaml"]
    document: Any
    has_external_refs: bool
    positions: _Position | None = None

    def locate(self, tokens: list[str] | tuple[str, ...]) -> SourceLocation:
        if self.positions is None:
            started = time.perf_counter()
            if self.format == "json":
                self.positions = _index_json(self.text)
            else:
                self.positions = _index_yaml(self.text)
            log.debug(
                "indexed positions of %s in %.2f s",
                self.display,
                time.perf_counter() - started,
            )

        position = self.positions
        for token in tokens:
            child = position.child(token)
            if child is None:
                break
            position = child
        return SourceLocation(self.display, position.line, position.column)


def _read_source(path: Path, display: str, root_dir: Path) -> _SourceFile:
    where = SourceLocation(display)
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise SpecError("file not found", location=where) from None
    except IsADirectoryError:
        raise SpecError("expected a file, found a directory", location=where) from None
    except OSError as exc:
        raise SpecError(f"cannot read file: {exc.strerror or exc}", location=where) from None
    if len(raw) > MAX_FILE_BYTES:
        raise SpecError(
            f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB, the limit for a spec",
            location=where,
        )

    text = _decode(raw, display)
    resolved = path.resolve()
    try:
        relative = resolved.relative_to(root_dir).as_posix()
    except ValueError:
        relative = resolved.name

    if not text.strip():
        raise SpecError("file is empty", location=SourceLocation(display, 1, 1))

    fmt: Literal["json", "yaml"]
    if text.lstrip()[:1] in ("{", "["):
        fmt, document, has_external_refs = _parse_json_or_yaml(text, display, path.suffix)
    else:
        fmt = "yaml"
        document, has_external_refs = _parse_yaml(text, display)

    if document is None:
        raise SpecError(
            "file contains no data, only comments or an empty document",
            location=SourceLocation(display, 1, 1),
        )
    if not isinstance(document, dict):
        raise SpecError(
            f"top level must be a mapping of OpenAPI fields (found {_describe(document)})",
            location=SourceLocation(display, 1, 1),
        )
    return _SourceFile(resolved, display, relative, raw, text, fmt, document, has_external_refs)


def _decode(raw: bytes, display: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SpecError(
            "file is UTF-16 encoded; save it as UTF-8",
            location=SourceLocation(display, 1, 1),
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SpecError(
            f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
            location=SourceLocation(display, line, column),
        ) from None


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__} scalar"


# All files of one spec --------------------------------------------------------------


class _SourceIndex:
    """The files a spec was read from, and which part of the bundled document came from where."""

    def __init__(self) -> None:
        self.files: dict[Path, _SourceFile] = {}
        self.main: Path | None = None
        # Pointer tokens in the bundled document -> (file, pointer tokens in that file).
        self.origins: dict[tuple[str, ...], tuple[Path, tuple[str, ...]]] = {}

    def add(self, source: _SourceFile, is_main: bool = False) -> None:
        self.files[source.path] = source
        if is_main:
            self.main = source.path

    def locate(self, tokens: list[str]) -> SourceLocation | None:
        if self.main is None:
            return None
        for length in range(len(tokens), 0, -1):
            origin = self.origins.get(tuple(tokens[:length]))
            if origin is not None:
                path, base = origin
                return self.files[path].locate((*base, *tokens[length:]))
        return self.files[self.main].locate(tokens)


def _hash_sources(index: _SourceIndex) -> str:
    """Hash the main file's bytes, then each referenced file's name and bytes in name order."""
    assert index.main is not None
    digest = hashlib.sha256(index.files[index.main].raw)
    others = sorted(
        (source for path, source in index.files.items() if path != index.main),
        key=lambda source: source.relative,
    )
    for source in others:
        digest.update(b"\0" + source.relative.encode() + b"\0")
        digest.update(source.raw)
    return digest.hexdigest()
