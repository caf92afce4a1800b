"""Derive Python identifiers from spec text.

Every identifier that reaches generated code passes through `identifier`,
which can only return `[A-Za-z_][A-Za-z0-9_]*` names that are not keywords,
soft keywords or dunders, so spec text can never become code through a name.
"""

from __future__ import annotations

import keyword
import re
import unicodedata
from collections.abc import Iterable

# Names the generated modules use themselves; a field, argument or class with
# one of these names would shadow them.
# Names a generated method uses besides its parameters: the arguments every
# method adds, its local variables and the module-level helpers it calls.
RESERVED_ARGUMENTS = frozenset(
    {
        "self",
        "extra_headers",
        "extra_query",
        "extra_body",
        "timeout",
        "data",
        "result",
        "body",
        "path_template",
        "make_request_options",
        "cached_property",
    }
)

RESERVED_MODULE_NAMES = frozenset(
    {
        "annotations",
        "dataclass",
        "field",
        "Any",
        "Dict",
        "List",
        "Mapping",
        "Optional",
        "Union",
        "Enum",
        "TYPE_CHECKING",
        "builtins",
        "typing",
        "datetime",
        "date",
        "httpx",
    }
)

_WORD_RE = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")


def split_words(text: str) -> list[str]:
    """Split text into words at case changes, digits and non-alphanumeric characters."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _WORD_RE.findall(ascii_text)


def _make_safe(name: str, fallback: str) -> str:
    if not name:
        name = fallback or "value"
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name) or name in {"None", "True", "False"}:
        name = f"{name}_"
    if name.startswith("__") and name.endswith("__"):
        name = name.strip("_") or fallback
    return name


def snake_case(text: str, fallback: str = "value") -> str:
    """Convert text to a safe snake_case identifier: `metadata[key]` -> `metadata_key`."""
    words = [word.lower() for word in split_words(text)]
    return _make_safe("_".join(words), fallback)


def pascal_case(text: str, fallback: str = "Model") -> str:
    """Convert text to a safe PascalCase class name: `benchmark_run-view` -> `BenchmarkRunView`."""
    words = split_words(text)
    name = "".join(word[:1].upper() + word[1:] for word in words)
    return _make_safe(name, fallback)


def constant_case(text: str, fallback: str = "VALUE") -> str:
    """Convert text to an UPPER_SNAKE identifier for enum members."""
    words = [word.upper() for word in split_words(text)]
    return _make_safe("_".join(words), fallback)


def identifier(text: str, fallback: str = "value") -> str:
    """Return text unchanged when it is already a plain, safe identifier, else its snake_case form."""
    if text.isidentifier() and text.isascii() and not text.startswith("_"):
        return _make_safe(text, fallback)
    return snake_case(text, fallback)


def deduplicate(name: str, taken: Iterable[str] | set[str]) -> str:
    """Return name, or name with the smallest numeric suffix that is not taken."""
    taken_set = taken if isinstance(taken, set) else set(taken)
    if name not in taken_set:
        return name
    index = 2
    while f"{name}_{index}" in taken_set:
        index += 1
    return f"{name}_{index}"


# Windows refuses these as file names whatever the extension.
_RESERVED_FILE_NAMES = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
)


def module_name(class_name: str, taken_lower: set[str]) -> str:
    """Derive a module file name from a class name, distinct on case-insensitive file systems."""
    base = snake_case(class_name, "model")
    if base in _RESERVED_FILE_NAMES or base.startswith("_"):
        base = f"{base.strip('_')}_"
    candidate = base
    index = 2
    while candidate.lower() in taken_lower:
        candidate = f"{base}_{index}"
        index += 1
    taken_lower.add(candidate.lower())
    return candidate
