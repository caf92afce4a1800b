# File generated from an OpenAPI spec by sdkgen 0.1.0. Do not edit.

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._logs import redact, secrets_in

if TYPE_CHECKING:
    import httpx

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RunloopError",
    "UnprocessableEntityError",
    "make_status_error",
]


class RunloopError(Exception):
    """Base class of every error this SDK raises."""


class APIError(RunloopError):
    """A request failed: the server answered with an error, or no answer arrived."""

    message: str
    request: httpx.Request
    body: object | None

    def __init__(
        self, message: str, request: httpx.Request, *, body: object | None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.request = request
        self.body = body


class APIResponseValidationError(APIError):
    """The server answered with a success status, but the body is not what the spec describes."""

    response: httpx.Response
    status_code: int

    def __init__(
        self, message: str, *, response: httpx.Response, body: object | None
    ) -> None:
        super().__init__(message, response.request, body=body)
        self.response = response
        self.status_code = response.status_code


class APIStatusError(APIError):
    """The server answered with a 4xx or 5xx status code."""

    response: httpx.Response
    status_code: int

    def __init__(
        self, message: str, *, response: httpx.Response, body: object | None
    ) -> None:
        super().__init__(message, response.request, body=body)
        self.response = response
        self.status_code = response.status_code


class APIConnectionError(APIError):
    """The request could not reach the server or the connection dropped."""

    def __init__(
        self, *, message: str = "Connection error.", request: httpx.Request
    ) -> None:
        super().__init__(message, request, body=None)


class APITimeoutError(APIConnectionError):
    """The request timed out."""

    def __init__(self, request: httpx.Request) -> None:
        super().__init__(message="Request timed out.", request=request)


class BadRequestError(APIStatusError):
    """400 Bad Request."""


class AuthenticationError(APIStatusError):
    """401 Unauthorized."""


class PermissionDeniedError(APIStatusError):
    """403 Forbidden."""


class NotFoundError(APIStatusError):
    """404 Not Found."""


class ConflictError(APIStatusError):
    """409 Conflict."""


class UnprocessableEntityError(APIStatusError):
    """422 Unprocessable Entity."""


class RateLimitError(APIStatusError):
    """429 Too Many Requests."""


class InternalServerError(APIStatusError):
    """A 5xx status code."""


_STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def make_status_error(response: httpx.Response) -> APIStatusError:
    """Build the error for a 4xx/5xx response, with its decoded body when it is JSON.

    The message quotes the body with the request's credentials masked, in
    case the server echoes them back.
    """
    body: Any
    try:
        body = response.json()
    except ValueError:
        body = response.text or None
    error_class = _STATUS_ERRORS.get(response.status_code)
    if error_class is None:
        error_class = (
            InternalServerError if response.status_code >= 500 else APIStatusError
        )
    message = f"Error code: {response.status_code}"
    if body is not None:
        message = f"{message} - {body!r}"
    message = redact(message, secrets_in(response.request.headers.items()))[:2000]
    return error_class(message, response=response, body=body)
