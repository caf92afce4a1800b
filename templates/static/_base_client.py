"""HTTP plumbing shared by every resource: building requests, sending them, mapping errors."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import httpx

from ._exceptions import APIConnectionError, APITimeoutError, make_status_error
from ._models import _to_json
from ._types import NOT_GIVEN, Body, Headers, NotGiven, Query, Timeout

if TYPE_CHECKING:
    # typing.Self exists from Python 3.11 on; only type checkers execute this import.
    from typing import Self

__all__ = [
    "BinaryResponse",
    "RequestOptions",
    "SyncAPIClient",
    "SyncAPIResource",
    "make_request_options",
    "path_template",
]

log = logging.getLogger(__package__)

DEFAULT_TIMEOUT = httpx.Timeout(timeout=60.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2


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


def path_template(template: str, values: Mapping[str, str | int]) -> str:
    """Fill `{name}` placeholders with percent-encoded values so no value can change the route.

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
        result = result.replace("{" + name + "}", quote(text, safe=""))
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


class BinaryResponse:
    """A response whose body is bytes: read it whole, iterate over it, or save it to a file."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response

    @property
    def status_code(self) -> int:
        return self.response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.response.headers

    def read(self) -> bytes:
        return self.response.read()

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        return self.response.iter_bytes(chunk_size)

    def write_to_file(self, file: str | Path) -> None:
        with open(file, "wb") as output:
            output.writelines(self.response.iter_bytes())

    def close(self) -> None:
        self.response.close()


class SyncAPIClient:
    """Sends requests through one `httpx.Client` with the client's defaults applied."""

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
        url = httpx.URL(str(base_url))
        if url.scheme not in ("http", "https"):
            raise ValueError(
                f"base_url must be an http or https URL, got {str(base_url)!r}"
            )
        self.base_url = url
        self.timeout = timeout
        self.max_retries = max_retries
        self._default_headers = dict(default_headers or {})
        self._default_query = dict(default_query or {})
        self._http_client = http_client
        self._owns_http_client = http_client is None

    # Subclasses supply authentication and identification headers.
    def _auth_headers(self) -> dict[str, str]:
        return {}

    def _user_agent(self) -> str:
        return "python-sdk"

    @property
    def http_client(self) -> httpx.Client:
        # Created on first use so that constructing a client costs nothing.
        if self._http_client is None:
            self._http_client = httpx.Client(
                timeout=self.timeout, follow_redirects=True
            )
        return self._http_client

    def close(self) -> None:
        """Close the underlying HTTP client if this client created it."""
        if self._http_client is not None and self._owns_http_client:
            self._http_client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _build_request(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, Any] | None,
        body: Mapping[str, Any] | None,
        json_body: Any,
        files: Mapping[str, Any] | None,
        content: bytes | str | None,
        headers: Mapping[str, str] | None,
        options: RequestOptions,
    ) -> httpx.Request:
        merged_headers = {
            "Accept": "application/json",
            "User-Agent": self._user_agent(),
            **self._auth_headers(),
            **self._default_headers,
            **_drop_not_given(headers),
            **(options.extra_headers or {}),
        }
        for name, value in merged_headers.items():
            if "\r" in value or "\n" in value:
                raise ValueError(f"header {name!r} contains a line break")

        params = {
            **self._default_query,
            **_drop_not_given(query),
            **(options.extra_query or {}),
        }
        params = {
            key: _query_value(value)
            for key, value in params.items()
            if value is not None
        }

        request_json: Any = None
        data: Any = None
        if body is not None or options.extra_body:
            fields = {**_drop_not_given(body), **(options.extra_body or {})}
            if files is not None:
                data = {key: _to_json(value) for key, value in fields.items()}
            else:
                request_json = _to_json(fields)
        elif json_body is not None:
            request_json = _to_json(json_body)

        timeout = (
            self.timeout if isinstance(options.timeout, NotGiven) else options.timeout
        )
        return self.http_client.build_request(
            method.upper(),
            self.base_url.join(self.base_url.path.rstrip("/") + path),
            params=params or None,
            headers=merged_headers,
            json=request_json,
            data=data,
            files=_drop_not_given(files) or None,
            content=content,
            timeout=timeout,
        )

    def request(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, Any] | None = None,
        body: Mapping[str, Any] | None = None,
        json_body: Any = None,
        files: Mapping[str, Any] | None = None,
        content: bytes | str | None = None,
        headers: Mapping[str, str] | None = None,
        options: RequestOptions = RequestOptions(),
        stream: bool = False,
    ) -> httpx.Response:
        """Send a request and return the response, raising an `APIStatusError` subclass on 4xx/5xx."""
        request = self._build_request(
            method,
            path,
            query=query,
            body=body,
            json_body=json_body,
            files=files,
            content=content,
            headers=headers,
            options=options,
        )
        log.debug("request: %s %s", request.method, request.url)
        try:
            response = self.http_client.send(request, stream=stream)
        except httpx.TimeoutException as exc:
            raise APITimeoutError(request=request) from exc
        except httpx.TransportError as exc:
            raise APIConnectionError(request=request) from exc
        log.debug(
            "response: %s %s -> %d", request.method, request.url, response.status_code
        )
        if response.is_error:
            if stream:
                response.read()
            raise make_status_error(response)
        return response

    def request_json(self, method: str, path: str, **kwargs: Any) -> Any:
        """Send a request and decode its JSON body (None for an empty body)."""
        response = self.request(method, path, **kwargs)
        if not response.content:
            return None
        return response.json()


class SyncAPIResource:
    """Base of every resource class: holds the client that sends its requests."""

    def __init__(self, client: SyncAPIClient) -> None:
        self._client = client
