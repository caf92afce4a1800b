# File generated from an OpenAPI spec by sdkgen 0.1.0. Do not edit.

"""HTTP plumbing shared by every resource: building requests, sending them with retries, parsing.

httpx is imported on the first request, not when the package is imported or a
client is created, so that `import` and client construction stay cheap.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, TypedDict, TypeVar, cast, overload
from urllib.parse import quote, urlsplit

from ._exceptions import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    make_status_error,
)
from ._files import UploadFiles
from ._logs import log, redacted_headers
from ._models import _to_json
from ._response import (
    APIResponse,
    AsyncAPIResponse,
    AsyncBinaryAPIResponse,
    BinaryAPIResponse,
    raw_response_requested,
)
from ._retries import retry_delay, should_retry_status
from ._streaming import AsyncStream, ServerSentEvent, Stream
from ._types import NOT_GIVEN, Body, Headers, NotGiven, Query, Timeout
from .pagination import AsyncCursorIDPage, AsyncPaginator, PageRequest, SyncCursorIDPage

if TYPE_CHECKING:
    from typing import Self

    import httpx
    from typing_extensions import Unpack

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "AsyncAPIClient",
    "AsyncAPIResource",
    "RequestOptions",
    "RequestParams",
    "SyncAPIClient",
    "SyncAPIResource",
    "make_request_options",
    "path_template",
]

DEFAULT_TIMEOUT: Final = 60.0
"""Seconds to wait for each phase of a request (connect, write, read, pool)."""

DEFAULT_MAX_RETRIES: Final = 2

R = TypeVar("R")
ItemT = TypeVar("ItemT")
SyncPageT = TypeVar("SyncPageT", bound="SyncCursorIDPage[Any]")
AsyncPageT = TypeVar("AsyncPageT", bound="AsyncCursorIDPage[Any]")

# Methods that must not change anything on the server, so retrying them needs no idempotency key.
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True, slots=True)
class RequestOptions:
    """Per-call additions to a request: extra headers, query and body keys, and a timeout."""

    extra_headers: Headers | None = None
    extra_query: Query | None = None
    extra_body: Body | None = None
    timeout: Timeout | NotGiven = NOT_GIVEN


def make_request_options(
    extra_headers: Headers | None,
    extra_query: Query | None,
    extra_body: Body | None,
    timeout: Timeout | NotGiven,
) -> RequestOptions:
    return RequestOptions(extra_headers, extra_query, extra_body, timeout)


class RequestParams(TypedDict, total=False):
    """The parts of a request besides its method and path: parameters, body, files and options."""

    query: Mapping[str, object]
    headers: Mapping[str, object]
    body: Mapping[str, object]
    form: Mapping[str, object]
    json_body: object
    files: Mapping[str, object]
    content: bytes | str | NotGiven
    options: RequestOptions


def path_template(template: str, values: Mapping[str, str | int]) -> str:
    """Fill `{name}` placeholders with percent-encoded values so no value can change the route.

    Every reserved character is encoded, `/` and `?` included, and the dot
    segments `.` and `..` are encoded too, since URL normalization would
    otherwise resolve them.

    Raises:
        ValueError: a value is empty.
    """
    result = template
    for name, value in values.items():
        text = str(value)
        if not text:
            raise ValueError(
                f"Expected a non-empty value for `{name}` but received {value!r}"
            )
        encoded = quote(text, safe="")
        if encoded in (".", ".."):
            encoded = encoded.replace(".", "%2E")
        result = result.replace("{" + name + "}", encoded)
    return result


def _drop_not_given(values: Mapping[str, Any] | None) -> dict[str, Any]:
    if not values:
        return {}
    return {
        key: value for key, value in values.items() if not isinstance(value, NotGiven)
    }


def _query_value(value: Any) -> Any:
    value = _to_json(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return [_query_value(item) for item in value]
    return value


def _form_value(value: Any) -> Any:
    """Convert a non-file multipart field to text: JSON for objects and arrays."""
    value = _to_json(value)
    if isinstance(value, (dict, list)):
        import json

        return json.dumps(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _header_value(value: Any) -> str:
    value = _form_value(value)
    return value if isinstance(value, str) else str(value)


def _encode_body(
    params: RequestParams, options: RequestOptions, files: UploadFiles
) -> tuple[Any, dict[str, Any] | None, list[tuple[str, Any]] | None]:
    """Return the request body as httpx's `json`, `data` and `files` arguments."""
    fields = {**_drop_not_given(params.get("body")), **(options.extra_body or {})}
    if "files" in params:
        # A multipart operation. Without a file, httpx would send a URL-encoded form, so the
        # fields then go as file parts without a filename, which are plain fields.
        form = {key: _form_value(value) for key, value in fields.items()}
        if files.fields:
            return None, form, files.fields
        parts = [
            (key, (None, str(value).encode()))
            for key, value in form.items()
            if value is not None
        ]
        return None, None, parts
    if "form" in params:
        values = {**_drop_not_given(params["form"]), **fields}
        form = {
            key: _form_value(value)
            for key, value in values.items()
            if value is not None
        }
        return None, form, None
    if not isinstance(params.get("json_body", NOT_GIVEN), NotGiven):
        json_data = _to_json(params["json_body"])
        if options.extra_body and isinstance(json_data, dict):
            json_data = {**json_data, **_to_json(options.extra_body)}
        return json_data, None, None
    if "body" in params or fields:
        return _to_json(fields), None, None
    return None, None, None


def _decode_json(response: httpx.Response) -> Any:
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError as exc:
        raise APIResponseValidationError(
            f"The response body of {response.request.method} {response.request.url.path} "
            "is not valid JSON",
            response=response,
            body=response.text,
        ) from exc


def _converted(response: httpx.Response, data: Any, cast: Callable[[Any], R]) -> R:
    try:
        return cast(data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise APIResponseValidationError(
            f"The response of {response.request.method} {response.request.url.path} does not "
            f"match the schema the SDK expects: {type(exc).__name__}: {exc}",
            response=response,
            body=data,
        ) from exc


def _json_parser(
    cast: Callable[[Any], R] | None,
) -> Callable[[httpx.Response], R | None]:
    def parse(response: httpx.Response) -> R | None:
        if cast is None:
            return None
        return _converted(response, _decode_json(response), cast)

    return parse


def _text(response: httpx.Response) -> str:
    return response.text


def _event_parser(
    response: httpx.Response, cast: Callable[[Any], R] | None
) -> Callable[[ServerSentEvent], Any]:
    """Convert each event: its decoded JSON data through `cast`, or the event itself without one."""
    if cast is None:
        return lambda event: event

    def parse(event: ServerSentEvent) -> R:
        try:
            data = event.json()
        except ValueError as exc:
            raise APIResponseValidationError(
                f"An event from {response.request.method} {response.request.url.path} "
                "does not hold JSON data",
                response=response,
                body=event.data,
            ) from exc
        return _converted(response, data, cast)

    return parse


def _is_transient(error: Exception) -> bool:
    """Tell whether a transport error may pass on retry: a network failure or a dropped connection.

    Errors in the request itself (an unsupported scheme, a malformed header)
    would fail the same way again.
    """
    import httpx

    return isinstance(error, (httpx.NetworkError, httpx.RemoteProtocolError))


class _HTTPClientSlot:
    """The httpx client one client and its `with_options` copies send through.

    It is created on the first request; a client passed in by the caller is
    used as is and never closed here.
    """

    def __init__(self, client: Any | None) -> None:
        self.client = client
        self.owned = client is None
        # Threads that send their first requests at once must not each create a pool.
        self.lock = threading.Lock()


class BaseClient:
    """Options and request building shared by the sync and async clients."""

    def __init__(
        self,
        *,
        base_url: str | httpx.URL,
        timeout: Timeout,
        max_retries: int,
        default_headers: Headers | None,
        default_query: Query | None,
        http_client: object | None,
    ) -> None:
        url = str(base_url)
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
            raise ValueError(f"base_url must be an http or https URL, got {url!r}")
        if max_retries < 0:
            raise ValueError(f"max_retries must be 0 or more, got {max_retries}")
        self._base_url = url.rstrip("/")
        self.timeout = timeout
        self.max_retries = max_retries
        self._custom_headers: dict[str, str] = dict(default_headers or {})
        self._custom_query: dict[str, object] = dict(default_query or {})
        self._http = _HTTPClientSlot(http_client)

    @property
    def base_url(self) -> httpx.URL:
        import httpx

        return httpx.URL(self._base_url + "/")

    # Subclasses supply authentication and identification headers.
    def _auth_headers(self) -> dict[str, str]:
        return {}

    def _user_agent(self) -> str:
        return "python-sdk"

    @property
    def default_headers(self) -> dict[str, str]:
        """Headers sent with every request, before per-call headers are applied."""
        return {
            "Accept": "application/json",
            "User-Agent": self._user_agent(),
            **self._auth_headers(),
            **self._custom_headers,
        }

    @property
    def default_query(self) -> dict[str, object]:
        return dict(self._custom_query)

    def __repr__(self) -> str:
        # Options only: the credential stays out of reprs and logs.
        return f"<{type(self).__name__} base_url={self._base_url!r}>"

    def _copy_options(
        self,
        *,
        default_headers: Headers | None,
        set_default_headers: Headers | None,
        default_query: Query | None,
        set_default_query: Query | None,
    ) -> tuple[dict[str, str], dict[str, object]]:
        """Merge (`default_*`) or replace (`set_default_*`) the defaults for a `with_options` copy."""
        if default_headers is not None and set_default_headers is not None:
            raise ValueError("pass default_headers or set_default_headers, not both")
        if default_query is not None and set_default_query is not None:
            raise ValueError("pass default_query or set_default_query, not both")
        headers = (
            dict(set_default_headers)
            if set_default_headers is not None
            else {
                **self._custom_headers,
                **(default_headers or {}),
            }
        )
        query = (
            dict(set_default_query)
            if set_default_query is not None
            else {
                **self._custom_query,
                **(default_query or {}),
            }
        )
        return headers, query

    def _share_http_client(self, other: BaseClient) -> None:
        self._http = other._http

    def _build_request(
        self,
        http_client: Any,
        method: str,
        path: str,
        params: RequestParams,
        files: UploadFiles,
    ) -> httpx.Request:
        import httpx

        options = params.get("options") or RequestOptions()
        headers = {
            **self.default_headers,
            **{
                name: _header_value(value)
                for name, value in _drop_not_given(params.get("headers")).items()
                if value is not None
            },
            **(options.extra_headers or {}),
        }
        if method.upper() not in _SAFE_METHODS and not any(
            name.lower() == "idempotency-key" for name in headers
        ):
            # One key per call, reused by every retry, so the server applies the call once.
            import uuid

            headers["Idempotency-Key"] = f"sdk-{uuid.uuid4()}"
        for name, value in headers.items():
            if "\r" in str(value) or "\n" in str(value):
                raise ValueError(f"header {name!r} contains a line break")

        query = {
            **self._custom_query,
            **_drop_not_given(params.get("query")),
            **(options.extra_query or {}),
        }
        query = {
            key: _query_value(value)
            for key, value in query.items()
            if value is not None
        }

        json_data, form, multipart = _encode_body(params, options, files)
        content = params.get("content")
        timeout: Any = (
            self.timeout if isinstance(options.timeout, NotGiven) else options.timeout
        )
        if isinstance(timeout, (int, float)):
            timeout = httpx.Timeout(float(timeout))
        request: httpx.Request = http_client.build_request(
            method.upper(),
            self._base_url + path,
            params=query or None,
            headers=headers,
            json=json_data,
            data=form,
            files=multipart or None,
            # An optional raw body the caller left out arrives as NOT_GIVEN.
            content=None if isinstance(content, NotGiven) else content,
            timeout=timeout,
        )
        return request

    def _retry_wait(
        self,
        request: httpx.Request,
        retries_taken: int,
        response: httpx.Response | None,
    ) -> float:
        """Return how long to wait before the next retry, and log the retry."""
        delay = retry_delay(
            retries_taken, None if response is None else response.headers
        )
        reason = "no response" if response is None else f"status {response.status_code}"
        log.info(
            "Retrying %s %s in %.2f seconds (%s, retry %d of %d)",
            request.method,
            request.url,
            delay,
            reason,
            retries_taken + 1,
            self.max_retries,
        )
        return delay


def _log_request(request: httpx.Request, attempt: int) -> None:
    if log.isEnabledFor(logging.DEBUG):
        log.debug(
            "Request %s %s (attempt %d) headers=%s",
            request.method,
            request.url,
            attempt,
            redacted_headers(dict(request.headers)),
        )


def _log_response(response: httpx.Response, retries_taken: int) -> None:
    log.debug(
        "Response %s %s: %d after %d retries",
        response.request.method,
        response.request.url,
        response.status_code,
        retries_taken,
    )


class SyncAPIClient(BaseClient):
    """Sends requests through one `httpx.Client`, retrying failures that may be temporary."""

    def __init__(
        self,
        *,
        base_url: str | httpx.URL,
        timeout: Timeout,
        max_retries: int,
        default_headers: Headers | None,
        default_query: Query | None,
        http_client: httpx.Client | None,
    ) -> None:
        if http_client is not None:
            import httpx

            if not isinstance(http_client, httpx.Client):
                raise TypeError(
                    f"http_client must be an httpx.Client, got {type(http_client).__name__}"
                )
        super().__init__(
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
            http_client=http_client,
        )

    @property
    def http_client(self) -> httpx.Client:
        if self._http.client is None:
            import httpx

            with self._http.lock:
                if self._http.client is None:
                    self._http.client = httpx.Client(follow_redirects=True)
        client: httpx.Client = self._http.client
        return client

    def close(self) -> None:
        """Close the connection pool, unless it came from the caller's `http_client`."""
        if self._http.client is not None and self._http.owned:
            self._http.client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    def _send(
        self,
        method: str,
        path: str,
        params: RequestParams,
        parse: Callable[[httpx.Response], R],
        *,
        stream: bool,
    ) -> R:
        """Send a request, retrying where that is safe, and parse the final response.

        Raises:
            APIStatusError: the final response has a 4xx or 5xx status (a subclass per status).
            APITimeoutError: the last attempt timed out.
            APIConnectionError: the last attempt failed on the network.
        """
        import httpx

        files = UploadFiles(params.get("files"))
        try:
            request = self._build_request(self.http_client, method, path, params, files)
            retries_taken = 0
            while True:
                _log_request(request, retries_taken + 1)
                try:
                    response = self.http_client.send(request, stream=stream)
                except httpx.TimeoutException as exc:
                    if retries_taken >= self.max_retries:
                        raise APITimeoutError(request=request) from exc
                    self._sleep(self._retry_wait(request, retries_taken, None))
                    retries_taken += 1
                    continue
                except httpx.TransportError as exc:
                    if retries_taken >= self.max_retries or not _is_transient(exc):
                        raise APIConnectionError(request=request) from exc
                    self._sleep(self._retry_wait(request, retries_taken, None))
                    retries_taken += 1
                    continue

                _log_response(response, retries_taken)
                if not response.is_error:
                    break
                if retries_taken < self.max_retries and should_retry_status(
                    response.status_code, response.headers
                ):
                    response.close()
                    self._sleep(self._retry_wait(request, retries_taken, response))
                    retries_taken += 1
                    continue
                if stream:
                    response.read()
                raise make_status_error(response)
        finally:
            files.close()

        if raw_response_requested():
            # The `with_raw_response` wrappers give callers this type.
            return cast(R, APIResponse(response, parse, retries_taken=retries_taken))
        return parse(response)

    @overload
    def request(
        self, method: str, path: str, *, cast: None, **params: Unpack[RequestParams]
    ) -> None: ...

    @overload
    def request(
        self,
        method: str,
        path: str,
        *,
        cast: Callable[[Any], R],
        **params: Unpack[RequestParams],
    ) -> R: ...

    def request(
        self,
        method: str,
        path: str,
        *,
        cast: Callable[[Any], R] | None,
        **params: Unpack[RequestParams],
    ) -> R | None:
        """Send a request and convert its JSON body with `cast` (None ignores the body)."""
        return self._send(method, path, params, _json_parser(cast), stream=False)

    def request_text(
        self, method: str, path: str, **params: Unpack[RequestParams]
    ) -> str:
        """Send a request and return its body as text."""
        return self._send(method, path, params, _text, stream=False)

    def request_binary(
        self, method: str, path: str, **params: Unpack[RequestParams]
    ) -> BinaryAPIResponse:
        """Send a request and return its body unread, to be streamed by the caller."""
        return self._send(method, path, params, BinaryAPIResponse, stream=True)

    @overload
    def request_stream(
        self, method: str, path: str, *, cast: None, **params: Unpack[RequestParams]
    ) -> Stream[ServerSentEvent]: ...

    @overload
    def request_stream(
        self,
        method: str,
        path: str,
        *,
        cast: Callable[[Any], R],
        **params: Unpack[RequestParams],
    ) -> Stream[R]: ...

    def request_stream(
        self,
        method: str,
        path: str,
        *,
        cast: Callable[[Any], R] | None,
        **params: Unpack[RequestParams],
    ) -> Stream[Any]:
        """Send a request for server-sent events; each event's JSON data goes through `cast`."""

        def parse(response: httpx.Response) -> Stream[Any]:
            return Stream(response, _event_parser(response, cast))

        return self._send(method, path, params, parse, stream=True)

    def request_page(
        self,
        page_class: type[SyncCursorIDPage[ItemT]],
        method: str,
        path: str,
        *,
        cast: Callable[[Any], object],
        items: str,
        **params: Unpack[RequestParams],
    ) -> SyncCursorIDPage[ItemT]:
        """Request the first page of a list; `items` names the response field holding the items."""
        return self.fetch_page(
            page_class, PageRequest(method, path, params, cast, items)
        )

    def fetch_page(
        self, page_class: type[SyncPageT], request: PageRequest
    ) -> SyncPageT:
        def parse(response: httpx.Response) -> SyncPageT:
            model = _converted(response, _decode_json(response), request.cast)
            return page_class(client=self, request=request, model=model)

        return self._send(
            request.method, request.path, request.params, parse, stream=False
        )


class AsyncAPIClient(BaseClient):
    """Sends requests through one `httpx.AsyncClient`, retrying failures that may be temporary."""

    def __init__(
        self,
        *,
        base_url: str | httpx.URL,
        timeout: Timeout,
        max_retries: int,
        default_headers: Headers | None,
        default_query: Query | None,
        http_client: httpx.AsyncClient | None,
    ) -> None:
        if http_client is not None:
            import httpx

            if not isinstance(http_client, httpx.AsyncClient):
                raise TypeError(
                    f"http_client must be an httpx.AsyncClient, got {type(http_client).__name__}"
                )
        super().__init__(
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
            http_client=http_client,
        )

    @property
    def http_client(self) -> httpx.AsyncClient:
        if self._http.client is None:
            import httpx

            with self._http.lock:
                if self._http.client is None:
                    self._http.client = httpx.AsyncClient(follow_redirects=True)
        client: httpx.AsyncClient = self._http.client
        return client

    async def aclose(self) -> None:
        """Close the connection pool, unless it came from the caller's `http_client`."""
        if self._http.client is not None and self._http.owned:
            await self._http.client.aclose()

    close = aclose

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def _sleep(self, seconds: float) -> None:
        # anyio comes with httpx and sleeps under both asyncio and trio.
        import anyio

        await anyio.sleep(seconds)

    async def _send(
        self,
        method: str,
        path: str,
        params: RequestParams,
        parse: Callable[[httpx.Response], R],
        *,
        stream: bool,
    ) -> R:
        """Send a request, retrying where that is safe, and parse the final response.

        Raises:
            APIStatusError: the final response has a 4xx or 5xx status (a subclass per status).
            APITimeoutError: the last attempt timed out.
            APIConnectionError: the last attempt failed on the network.
        """
        import httpx

        files = UploadFiles(params.get("files"))
        try:
            request = self._build_request(self.http_client, method, path, params, files)
            retries_taken = 0
            while True:
                _log_request(request, retries_taken + 1)
                try:
                    response = await self.http_client.send(request, stream=stream)
                except httpx.TimeoutException as exc:
                    if retries_taken >= self.max_retries:
                        raise APITimeoutError(request=request) from exc
                    await self._sleep(self._retry_wait(request, retries_taken, None))
                    retries_taken += 1
                    continue
                except httpx.TransportError as exc:
                    if retries_taken >= self.max_retries or not _is_transient(exc):
                        raise APIConnectionError(request=request) from exc
                    await self._sleep(self._retry_wait(request, retries_taken, None))
                    retries_taken += 1
                    continue

                _log_response(response, retries_taken)
                if not response.is_error:
                    break
                if retries_taken < self.max_retries and should_retry_status(
                    response.status_code, response.headers
                ):
                    await response.aclose()
                    await self._sleep(
                        self._retry_wait(request, retries_taken, response)
                    )
                    retries_taken += 1
                    continue
                if stream:
                    await response.aread()
                raise make_status_error(response)
        finally:
            files.close()

        if raw_response_requested():
            # The `with_raw_response` wrappers give callers this type.
            return cast(
                R, AsyncAPIResponse(response, parse, retries_taken=retries_taken)
            )
        return parse(response)

    @overload
    async def request(
        self, method: str, path: str, *, cast: None, **params: Unpack[RequestParams]
    ) -> None: ...

    @overload
    async def request(
        self,
        method: str,
        path: str,
        *,
        cast: Callable[[Any], R],
        **params: Unpack[RequestParams],
    ) -> R: ...

    async def request(
        self,
        method: str,
        path: str,
        *,
        cast: Callable[[Any], R] | None,
        **params: Unpack[RequestParams],
    ) -> R | None:
        """Send a request and convert its JSON body with `cast` (None ignores the body)."""
        return await self._send(method, path, params, _json_parser(cast), stream=False)

    async def request_text(
        self, method: str, path: str, **params: Unpack[RequestParams]
    ) -> str:
        """Send a request and return its body as text."""
        return await self._send(method, path, params, _text, stream=False)

    async def request_binary(
        self, method: str, path: str, **params: Unpack[RequestParams]
    ) -> AsyncBinaryAPIResponse:
        """Send a request and return its body unread, to be streamed by the caller."""
        return await self._send(
            method, path, params, AsyncBinaryAPIResponse, stream=True
        )

    @overload
    async def request_stream(
        self, method: str, path: str, *, cast: None, **params: Unpack[RequestParams]
    ) -> AsyncStream[ServerSentEvent]: ...

    @overload
    async def request_stream(
        self,
        method: str,
        path: str,
        *,
        cast: Callable[[Any], R],
        **params: Unpack[RequestParams],
    ) -> AsyncStream[R]: ...

    async def request_stream(
        self,
        method: str,
        path: str,
        *,
        cast: Callable[[Any], R] | None,
        **params: Unpack[RequestParams],
    ) -> AsyncStream[Any]:
        """Send a request for server-sent events; each event's JSON data goes through `cast`."""

        def parse(response: httpx.Response) -> AsyncStream[Any]:
            return AsyncStream(response, _event_parser(response, cast))

        return await self._send(method, path, params, parse, stream=True)

    def request_page(
        self,
        page_class: type[AsyncCursorIDPage[ItemT]],
        method: str,
        path: str,
        *,
        cast: Callable[[Any], object],
        items: str,
        **params: Unpack[RequestParams],
    ) -> AsyncPaginator[ItemT, AsyncCursorIDPage[ItemT]]:
        """Return a paginator: await it for the first page, or `async for` every item."""
        return AsyncPaginator(
            self, page_class, PageRequest(method, path, params, cast, items)
        )

    async def fetch_page(
        self, page_class: type[AsyncPageT], request: PageRequest
    ) -> AsyncPageT:
        def parse(response: httpx.Response) -> AsyncPageT:
            model = _converted(response, _decode_json(response), request.cast)
            return page_class(client=self, request=request, model=model)

        return await self._send(
            request.method, request.path, request.params, parse, stream=False
        )


class SyncAPIResource:
    """Base of every sync resource class; `_client` sends its requests."""

    def __init__(self, client: SyncAPIClient) -> None:
        self._client = client


class AsyncAPIResource:
    """Base of every async resource class; `_client` sends its requests."""

    def __init__(self, client: AsyncAPIClient) -> None:
        self._client = client
