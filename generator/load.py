"""Read a spec file (YAML or JSON), bundle relative file references, and index positions.

The loaded document is plain JSON data: mappings with str keys, lists, str, int,
float, bool and None. This module contains the public API. The work is split by step:

- ``load_parse``: JSON and YAML text into JSON data, with the nesting and alias limits.
- ``load_positions``: the line and column index of a file's text.
- ``load_sources``: reading one file, indexing its positions on the first lookup, and
  the files that make up a bundled spec.
- ``load_bundle``: copying what a ``$ref`` to another file names into the main document.
- ``load_pointers``: JSON pointer helpers.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import SourceLocation
from .load_bundle import _Bundler, iter_references

# The MAX_* limits are re-exported for reading only. Patching them here changes nothing,
# because load_parse, load_sources and load_bundle read their own bindings.
from .load_parse import MAX_ALIAS_NODES as MAX_ALIAS_NODES
from .load_parse import MAX_DEPTH as MAX_DEPTH
from .load_pointers import escape_pointer_token, join_pointer, resolve_pointer, split_pointer
from .load_sources import MAX_FILE_BYTES as MAX_FILE_BYTES
from .load_sources import _hash_sources, _read_source, _SourceIndex

__all__ = [
    "LoadedSpec",
    "escape_pointer_token",
    "iter_references",
    "join_pointer",
    "load_spec",
    "resolve_pointer",
    "split_pointer",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class LoadedSpec:
    """A parsed, bundled spec document and where each part of it came from."""

    path: Path
    document: dict[str, Any]
    content_hash: str
    _sources: _SourceIndex = field(
        default_factory=lambda: _SourceIndex(), repr=False, compare=False
    )

    def locate(self, pointer: str) -> SourceLocation | None:
        """Find the file, line and column of the value at a JSON pointer.

        A mapping member is located at its key, a list item at its value. When the
        pointer does not exist, the nearest existing ancestor is located. The position
        index is built on the first call, so loading stays fast when nothing fails.
        Returns None for a malformed pointer or a spec built without source files.
        """
        try:
            tokens = split_pointer(pointer)
        except ValueError:
            return None
        return self._sources.locate(tokens)


def load_spec(path: str | Path) -> LoadedSpec:
    """Read a spec file and bundle the files it references.

    Raises:
        SpecError: the file or a referenced file is missing, unreadable, not YAML or
            JSON, over a limit, or a ``$ref`` cannot be bundled.
    """
    started = time.perf_counter()
    main_path = Path(path)
    root_dir = main_path.absolute().parent.resolve()
    main = _read_source(main_path, str(path), root_dir)
    index = _SourceIndex()
    index.add(main, is_main=True)

    document = main.document
    if main.has_external_refs:
        document = _Bundler(index, root_dir).bundle(main)

    content_hash = _hash_sources(index)
    log.info(
        "loaded %s: %d file(s), %d bytes in %.2f s",
        path,
        len(index.files),
        sum(len(source.raw) for source in index.files.values()),
        time.perf_counter() - started,
    )
    return LoadedSpec(main_path, document, content_hash, index)
