"""Errors raised for problems in a spec the user supplied."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["SourceLocation", "SpecError", "SpecErrors"]


@dataclass(frozen=True, slots=True)
class SourceLocation:
    """Position in a spec file: path as the user gave it, 1-based line and column."""

    file: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        if self.line is None:
            return self.file
        if self.column is None:
            return f"{self.file}:{self.line}"
        return f"{self.file}:{self.line}:{self.column}"


# Control and invisible characters: C0 and C1 controls, DEL, the line and paragraph
# separators, bidirectional and zero-width format characters, and lone surrogates.
_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff\ud800-\udfff]"
)


def _printable(text: str) -> str:
    """Escape the characters in text that would break a message into lines or rewrite a terminal.

    Spec keys and values reach messages through pointers, so an ESC from the spec
    could otherwise send terminal control sequences when the message is printed.
    """
    return _UNPRINTABLE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


class SpecError(Exception):
    """One problem in a spec the user supplied."""

    def __init__(
        self,
        message: str,
        pointer: str = "#",
        location: SourceLocation | None = None,
    ) -> None:
        super().__init__(message, pointer, location)
        self.message = message
        self.pointer = pointer
        self.location = location

    def __str__(self) -> str:
        # Compiler style, so editors and terminals can jump to the position.
        if self.location is None:
            text = f"{self.pointer}: {self.message}"
        else:
            text = f"{self.location}: {self.pointer}: {self.message}"
        return _printable(text)


class SpecErrors(Exception):
    """Several problems found at once (validation)."""

    def __init__(self, problems: Sequence[SpecError]) -> None:
        self.problems = tuple(problems)
        super().__init__(self.problems)

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)
