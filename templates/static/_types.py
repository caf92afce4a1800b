"""Types shared by the client and its resources."""

from __future__ import annotations

from collections.abc import Mapping
from os import PathLike
from typing import IO, TYPE_CHECKING, Final, Literal, TypeAlias

if TYPE_CHECKING:
    import httpx

__all__ = [
    "NOT_GIVEN",
    "Body",
    "FileContent",
    "FileTypes",
    "Headers",
    "NotGiven",
    "Query",
    "Timeout",
]


class NotGiven:
    """Marks an argument the caller left out, as distinct from an explicit `None` (JSON null)."""

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()

Headers = Mapping[str, str]
Query = Mapping[str, object]
Body = Mapping[str, object]

# httpx is imported only when the first request is sent, so these aliases are strings that only
# type checkers read.
Timeout: TypeAlias = "float | httpx.Timeout | None"

FileContent: TypeAlias = IO[bytes] | bytes | PathLike[str]
"""The content of an uploaded file: bytes, a binary file object, or a path to read."""

FileTypes: TypeAlias = (
    FileContent
    | tuple[str | None, FileContent]
    | tuple[str | None, FileContent, str | None]
)
"""A file to upload: the content alone, or `(filename, content)`, or `(filename, content, content_type)`."""
