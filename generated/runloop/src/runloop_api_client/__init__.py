# File generated from an OpenAPI spec by sdkgen 0.1.0. Do not edit.
"""Python client for the RunLoop API."""

import importlib

from ._client import Client, Runloop
from ._exceptions import (
    APIConnectionError,
    APIError,
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
from ._types import NOT_GIVEN, NotGiven
from ._version import __title__, __version__

__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "Client",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "NotGiven",
    "PermissionDeniedError",
    "RateLimitError",
    "Runloop",
    "RunloopError",
    "UnprocessableEntityError",
    "__title__",
    "__version__",
]


def __getattr__(name: str) -> object:
    # `types` and `resources` load on first access, keeping `import` fast.
    if name in ("types", "resources"):
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
