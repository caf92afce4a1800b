"""Turn file arguments of multipart uploads into what httpx sends."""

from __future__ import annotations

import os
from collections.abc import Mapping
from contextlib import ExitStack
from typing import Any

from ._types import NotGiven

__all__ = ["UploadFiles"]


class UploadFiles:
    """The file fields of one multipart request, with the files opened for it.

    Paths are opened here and closed by `close()`, so a large file is streamed
    from disk instead of read into memory. httpx rewinds file objects before
    each send, so a retried request sends the whole file again.
    """

    def __init__(self, files: Mapping[str, object] | None) -> None:
        self._opened = ExitStack()
        self.fields: list[tuple[str, Any]] = []
        for name, value in (files or {}).items():
            if value is None or isinstance(value, NotGiven):
                continue
            self.fields.append((name, self._field(name, value)))

    def _field(self, name: str, value: object) -> Any:
        if isinstance(value, tuple):
            if len(value) not in (2, 3) or not (
                value[0] is None or isinstance(value[0], str)
            ):
                raise TypeError(
                    f"file field {name!r}: expected (filename, content) or "
                    f"(filename, content, content_type), got a tuple of {len(value)} items"
                )
            return (value[0], self._content(name, value[1]), *value[2:])
        if isinstance(value, os.PathLike):
            return (os.path.basename(os.fspath(value)), self._content(name, value))
        return self._content(name, value)

    def _content(self, name: str, value: object) -> Any:
        if isinstance(value, (bytes, bytearray, memoryview)):
            return bytes(value)
        if isinstance(value, os.PathLike):
            from pathlib import Path

            return self._opened.enter_context(Path(value).open("rb"))
        if hasattr(value, "read"):
            return value
        raise TypeError(
            f"file field {name!r}: expected bytes, a binary file object, a path or a tuple, "
            f"got {type(value).__name__}"
        )

    def close(self) -> None:
        """Close the files this object opened; file objects passed in stay open."""
        self._opened.close()
