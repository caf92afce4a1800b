"""Format generated Python files with black, in-process, across worker processes.

black costs about 0.1 ms per output line and pass (black 26.10, mypyc build, measured
by benchmarks/run.py), most of a generation's time, and it makes a second pass over any
file its first pass changed. So each file is first split into black's layout
(`layout.py`, in the same worker as black, off the serial part of a run), files are
formatted in parallel, formatted files are cached by the hash of their unformatted
text, and the static runtime ships already formatted. Every path gives the same bytes
as formatting each file in turn.
"""

from __future__ import annotations

import functools
import logging
import tempfile
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING

from .cache import digest, package_version
from .layout import layout_source
from .workers import Workers

if TYPE_CHECKING:
    import black

    from .cache import Cache

__all__ = ["FormatError", "black_version", "format_files", "format_source", "mode_key"]

log = logging.getLogger(__name__)

# The black mode of generated code, kept as plain values so that building a cache key
# does not import black (about 0.1 s).
LINE_LENGTH = 88
TARGET_VERSIONS = ("PY310",)

# Below this many characters to format, starting worker processes costs more than it saves.
MIN_PARALLEL_CHARS = 200_000
# Chunks per worker: enough for the workers to even out, few enough to keep the
# per-chunk overhead small.
CHUNKS_PER_WORKER = 4

FORMAT_NAMESPACE = "format"


class FormatError(RuntimeError):
    """black rejected generated code: a bug in sdkgen or in a custom template, not in the spec."""


def black_version() -> str:
    return package_version("black")


def mode_key() -> str:
    """Describe the black mode; part of every format cache key."""
    return f"line_length={LINE_LENGTH};target_versions={','.join(TARGET_VERSIONS)}"


@functools.cache
def _black_mode() -> black.Mode:
    import black
    from black.mode import TargetVersion

    return black.Mode(
        target_versions={TargetVersion[name] for name in TARGET_VERSIONS},
        line_length=LINE_LENGTH,
    )


def format_source(path: str, text: str) -> str:
    """Format one Python file; other files pass through unchanged.

    Raises:
        FormatError: black could not parse the text. The text is saved to a
            temporary file whose name the message gives.
    """
    if not path.endswith(".py"):
        return text
    import black
    from black.parsing import InvalidInput

    try:
        return black.format_str(layout_source(text), mode=_black_mode())
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


def format_files(
    files: Mapping[str, str],
    *,
    workers: Workers | None = None,
    cache: Cache | None = None,
    preformatted: Collection[str] = (),
) -> dict[str, str]:
    """Format every Python file of a rendered tree; keys and order are kept.

    Args:
        files: relative path -> unformatted text.
        workers: processes to spread the work over; None formats in this process.
        cache: where formatted files are looked up and stored; None disables it.
        preformatted: paths whose text is black-formatted already (the static runtime).
    """
    pending = {
        path: text
        for path, text in files.items()
        if path.endswith(".py") and path not in preformatted
    }
    keys: dict[str, str] = {}
    formatted: dict[str, str] = {}
    if cache is not None:
        version = black_version()
        keys = {path: digest(version, mode_key(), text) for path, text in pending.items()}
        formatted = cache.get_texts(FORMAT_NAMESPACE, keys)
        pending = {path: text for path, text in pending.items() if path not in formatted}
    log.info(
        "formatting %d files with black %s (%d cached)",
        len(pending),
        black_version(),
        len(formatted),
    )

    fresh = _format_pending(pending, workers)
    if cache is not None:
        for path, text in fresh.items():
            cache.put_text(FORMAT_NAMESPACE, keys[path], text)
    formatted.update(fresh)
    return {path: formatted.get(path, text) for path, text in files.items()}


def _format_pending(pending: Mapping[str, str], workers: Workers | None) -> dict[str, str]:
    total = sum(len(text) for text in pending.values())
    if workers is None or not workers.parallel or total < MIN_PARALLEL_CHARS:
        return {path: format_source(path, text) for path, text in pending.items()}

    futures = [
        workers.submit(_format_chunk, chunk)
        for chunk in _balanced_chunks(pending, CHUNKS_PER_WORKER * workers.jobs)
    ]
    formatted: dict[str, str] = {}
    for future in futures:
        formatted.update(future.result())
    return formatted


def _format_chunk(chunk: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(path, format_source(path, text)) for path, text in chunk]


def _balanced_chunks(files: Mapping[str, str], count: int) -> list[list[tuple[str, str]]]:
    """Split files into `count` chunks of about equal size, largest files first.

    black's time grows with a file's length, so equal character counts mean about
    equal work. The largest chunks come first, so the last chunk to finish is short.
    """
    chunks: list[list[tuple[str, str]]] = [[] for _ in range(count)]
    sizes = [0] * count
    for path, text in sorted(files.items(), key=lambda item: (-len(item[1]), item[0])):
        smallest = sizes.index(min(sizes))
        chunks[smallest].append((path, text))
        sizes[smallest] += len(text)
    order = sorted(range(count), key=lambda index: -sizes[index])
    return [chunks[index] for index in order if chunks[index]]
