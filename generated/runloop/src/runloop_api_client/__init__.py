# File generated from an OpenAPI spec by sdkgen 0.1.0. Do not edit.
"""Python client for the RunLoop API."""

import importlib

from ._base_client import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, RequestOptions
from ._client import AsyncClient, AsyncRunloop, Client, Runloop
from ._exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RunloopError,
    UnprocessableEntityError,
)
from ._response import (
    APIResponse,
    AsyncAPIResponse,
    AsyncBinaryAPIResponse,
    BinaryAPIResponse,
)
from ._streaming import AsyncStream, ServerSentEvent, Stream
from ._types import NOT_GIVEN, FileTypes, NotGiven, Timeout
from ._version import __title__, __version__

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIResponse",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncAPIResponse",
    "AsyncBinaryAPIResponse",
    "AsyncClient",
    "AsyncRunloop",
    "AsyncStream",
    "AuthenticationError",
    "BadRequestError",
    "BinaryAPIResponse",
    "Client",
    "ConflictError",
    "FileTypes",
    "InternalServerError",
    "NotFoundError",
    "NotGiven",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestOptions",
    "Runloop",
    "RunloopError",
    "ServerSentEvent",
    "Stream",
    "Timeout",
    "UnprocessableEntityError",
    "__title__",
    "__version__",
]


def __getattr__(name: str) -> object:
    # `types` and `resources` load on first access, keeping `import` fast.
    if name in ("types", "resources"):
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
