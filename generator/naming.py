"""Derive Python identifiers and file names from spec text.

Every identifier that reaches generated code passes through `identifier`,
`snake_case`, `pascal_case` or `constant_case`, which can only return
`[A-Za-z_][A-Za-z0-9_]*` names that are not keywords or dunders, so spec text can
never become code through a name. Callers pass the names a module already uses
(the `RESERVED_*` sets below) to `deduplicate` or `avoid`.

Every file name comes from `module_name` or `package_name`: lowercase ASCII,
at most `MAX_MODULE_NAME` characters, never a Windows device name, and distinct
from the other names in its folder even on a case-insensitive file system.
"""

from __future__ import annotations

import keyword
import re
import unicodedata
from collections.abc import Collection, Iterable, Sequence

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

# Names that the generated model and resource modules import or define at module
# level; a model or resource class with one of these names would replace them.
# Classes come out of `pascal_case`, so the lowercase entries only document the
# set. tests/test_escaping.py checks that it covers every name render.py imports.
RESERVED_MODULE_NAMES = frozenset(
    {
        "annotations",
        "dataclass",
        "field",
        "Any",
        "Dict",
        "List",
        "Mapping",
        "Sequence",
        "Literal",
        "TypeAlias",
        "Optional",
        "Union",
        "Enum",
        "TYPE_CHECKING",
        "builtins",
        "typing",
        "datetime",
        "date",
        "httpx",
        "cached_property",
        "BinaryResponse",
        "SyncAPIResource",
        "AsyncAPIResource",
        "SyncAPIClient",
        "AsyncAPIClient",
        "BinaryAPIResponse",
        "AsyncBinaryAPIResponse",
        "to_raw_response_wrapper",
        "async_to_raw_response_wrapper",
        "Stream",
        "AsyncStream",
        "ServerSentEvent",
        "SyncCursorIDPage",
        "AsyncCursorIDPage",
        "AsyncPaginator",
        "FileTypes",
        "make_request_options",
        "path_template",
        "NotGiven",
        "NOT_GIVEN",
        "Body",
        "Headers",
        "Query",
        "Timeout",
    }
)

# Names that generated annotations and class bodies refer to. A class attribute
# with one of these names would shadow them for the rest of the class body, which
# mypy reports as "not valid as a type". Nested resources avoid all of them.
# Method names are not checked against this set, because `list` and `delete` must
# stay as Stainless SDKs spell them; the renderer writes `builtins.list` instead.
ANNOTATION_NAMES = frozenset(
    {
        "str",
        "int",
        "float",
        "bool",
        "bytes",
        "object",
        "list",
        "dict",
        "tuple",
        "datetime",
        "date",
        "field",
        "classmethod",
        "cached_property",
        "Any",
        "Mapping",
        "Sequence",
        "Literal",
        "BinaryResponse",
        "NotGiven",
        "Headers",
        "Query",
        "Body",
        "Timeout",
    }
)

# Attributes of the generated client classes and their runtime base classes; a
# top-level resource with one of these names would replace them.
# tests/test_escaping.py checks that it covers the public attributes of both clients.
RESERVED_CLIENT_ATTRIBUTES = frozenset(
    {
        "api_key",
        "bearer_token",
        "base_url",
        "timeout",
        "max_retries",
        "http_client",
        "default_headers",
        "default_query",
        "close",
        "aclose",
        "copy",
        "request",
        "request_binary",
        "request_json",
        "request_page",
        "request_stream",
        "request_text",
        "fetch_page",
        "parse",
        "with_options",
        "with_raw_response",
        "with_streaming_response",
        "get",
        "post",
        "put",
        "patch",
        "delete",
    }
)

# Names in the client module, the exceptions module and the package's `__init__`
# besides the client class. The templates derive `Async<client>`,
# `<client>WithRawResponse`, `Async<client>WithRawResponse` and `<client>Error` from
# the client class, and none of those may be one of these either.
RESERVED_CLIENT_CLASSES = frozenset(
    {
        "Client",
        "AsyncClient",
        "SyncAPIClient",
        "AsyncAPIClient",
        "Self",
        "Headers",
        "Query",
        "Timeout",
        "NotGiven",
        "NOT_GIVEN",
        "FileTypes",
        "RequestOptions",
        "DEFAULT_BASE_URL",
        "DEFAULT_MAX_RETRIES",
        "DEFAULT_TIMEOUT",
        "SENSITIVE_HEADERS",
        "APIResponse",
        "AsyncAPIResponse",
        "BinaryAPIResponse",
        "AsyncBinaryAPIResponse",
        "Stream",
        "AsyncStream",
        "ServerSentEvent",
        "APIError",
        "APIResponseValidationError",
        "APIStatusError",
        "APIConnectionError",
        "APITimeoutError",
        "BadRequestError",
        "AuthenticationError",
        "PermissionDeniedError",
        "NotFoundError",
        "ConflictError",
        "UnprocessableEntityError",
        "RateLimitError",
        "InternalServerError",
    }
)
CLIENT_CLASS_FORMS = ("{}", "Async{}", "{}WithRawResponse", "Async{}WithRawResponse", "{}Error")
# The classes the templates define for each resource; the client module imports
# all four forms of every top-level resource.
RESOURCE_CLASS_FORMS = ("{}", "{}WithRawResponse", "Async{}", "Async{}WithRawResponse")


def avoid_forms(name: str, forms: Sequence[str], reserved: Collection[str]) -> str:
    """Append underscores to name until no form of it (`"Async{}"`) is reserved."""
    while any(form.format(name) in reserved for form in forms):
        name = f"{name}_"
    return name


# Module file names the generated folders use themselves: a package's own
# `__init__`, and `importlib`, which `types/__init__.py` calls at run time (importing
# a submodule of that name would rebind it there).
RESERVED_MODULE_FILES = frozenset({"__init__", "importlib"})

# Modules the generated SDK imports by absolute name; a generated package with one
# of these names would shadow them.
_RESERVED_PACKAGES = frozenset(
    {
        "abc",
        "builtins",
        "collections",
        "dataclasses",
        "datetime",
        "enum",
        "functools",
        "httpx",
        "importlib",
        "json",
        "logging",
        "os",
        "pathlib",
        "re",
        "sys",
        "types",
        "typing",
        "urllib",
    }
)

# Windows rejects these as file or folder names whatever the extension.
_RESERVED_FILE_NAMES = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
)

# File names stay well under the 255-byte limit of common file systems, leaving
# room for a deduplication suffix and the `.py` extension.
MAX_MODULE_NAME = 100

_SNAKE_NAME = re.compile(r"[a-z][a-z0-9_]*")
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
    # Soft keywords (`match`, `case`, `type`) are valid names and stay as they are,
    # which also keeps the output the same on every Python version.
    if keyword.iskeyword(name) or name in {"None", "True", "False"}:
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


def avoid(name: str, reserved: Collection[str]) -> str:
    """Return name, or name with a trailing underscore when it is reserved (`str` -> `str_`)."""
    while name in reserved:
        name = f"{name}_"
    return name


def deduplicate(name: str, taken: Iterable[str] | set[str]) -> str:
    """Return name, or name with the smallest numeric suffix that is not taken."""
    taken_set = taken if isinstance(taken, set) else set(taken)
    if name not in taken_set:
        return name
    index = 2
    while f"{name}_{index}" in taken_set:
        index += 1
    return f"{name}_{index}"


def _file_safe(name: str, fallback: str) -> str:
    """Shorten a snake_case name to `MAX_MODULE_NAME` and keep it off Windows device names."""
    base = name[:MAX_MODULE_NAME].rstrip("_") or fallback
    base = _make_safe(base, fallback)
    if base in _RESERVED_FILE_NAMES or base.startswith("_"):
        base = f"{base.strip('_')}_"
    return base


def module_name(name: str, taken_lower: set[str]) -> str:
    """Derive a module file name from a class or resource name, and record it in `taken_lower`.

    `taken_lower` contains the lowercased names already used in the folder (seed it
    with `RESERVED_MODULE_FILES`), so the result is distinct from them even on a
    case-insensitive file system.
    """
    if _SNAKE_NAME.fullmatch(name):
        base = _file_safe(name, "model")  # keeps digits: `v2_items` stays, not `v_2_items`
    else:
        base = _file_safe(snake_case(name, "model"), "model")
    candidate = base
    index = 2
    while candidate.lower() in taken_lower:
        candidate = f"{base}_{index}"
        index += 1
    taken_lower.add(candidate.lower())
    return candidate


def package_name(text: str, fallback: str = "api_client") -> str:
    """Derive the generated package's import name, which is also a folder name."""
    name = _file_safe(snake_case(text, fallback), fallback)
    return avoid(name, _RESERVED_PACKAGES)
