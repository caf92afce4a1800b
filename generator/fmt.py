"""Format generated Python files with black, in-process."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Mapping

import black
from black.mode import TargetVersion
from black.parsing import InvalidInput

log = logging.getLogger(__name__)

BLACK_MODE = black.Mode(
    target_versions={TargetVersion.PY310},
    line_length=88,
)


class FormatError(RuntimeError):
    """black rejected generated code: a bug in sdkgen or in a custom template, not in the spec."""


def format_source(path: str, text: str) -> str:
    """Format one Python file; other files pass through unchanged.

    Raises:
        FormatError: black could not parse the text. The text is saved to a
            temporary file whose name the message gives.
    """
    if not path.endswith(".py"):
        return text
    try:
        return black.format_str(text, mode=BLACK_MODE)
    except (InvalidInput, ValueError) as exc:
        with tempfile.NamedTemporaryFile(
            "w",
            suffix=".py",
            prefix="sdkgen-unformatted-",
            delete=False,
            encoding="utf-8",
        ) as saved:
            saved.write(text)
        raise FormatError(
            f"black could not format generated file {path}: {exc}; unformatted text saved to {saved.name}"
        ) from exc


def format_files(files: Mapping[str, str]) -> dict[str, str]:
    """Format every Python file of a rendered tree; keys and order are kept."""
    log.info("formatting %d files with black", len(files))
    return {path: format_source(path, text) for path, text in files.items()}
