"""Response objects: raw responses with deferred parsing, and streamed binary bodies."""

from __future__ import annotations

import functools
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Generic, ParamSpec, TypeVar, cast

from ._exceptions import APIConnectionError, APITimeoutError

if TYPE_CHECKING:
    from types import TracebackType
    from typing import Self

    import httpx

__all__ = [
    "APIResponse",
    "AsyncAPIResponse",
    "AsyncBinaryAPIResponse",
    "BinaryAPIResponse",
    "async_to_raw_response_wrapper",
    "raw_response_requested",
    "reading_body",
    "to_raw_response_wrapper",
]

P = ParamSpec("P")
R = TypeVar("R")

# Set while a `with_raw_response` call runs; the client then returns an `APIResponse` in place
# of the parsed result. A context variable follows each thread and each asyncio task separately.
_RAW_RESPONSE: ContextVar[bool] = ContextVar("raw_response", default=False)


def raw_response_requested() -> bool:
    """Tell whether the current call came through `with_raw_response`."""
    return _RAW_RESPONSE.get()


@contextmanager
def reading_body(response: httpx.Response) -> Iterator[None]:
    """Raise the SDK's connection errors for network failures while a streamed body is read.

    Such failures are not retried: part of the body has already reached the caller.
    """
    import httpx

    try:
        yield
    except httpx.TimeoutException as exc:
        raise APITimeoutError(request=response.request) from exc
    except httpx.TransportError as exc:
        raise APIConnectionError(
            message="Connection lost while reading the response body.",
            request=response.request,
        ) from exc


class _ResponseInfo:
    """The properties of the underlying `httpx.Response` that every response wrapper exposes."""

    http_response: httpx.Response

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def http_request(self) -> httpx.Request:
        return self.http_response.request

    @property
    def url(self) -> httpx.URL:
        return self.http_response.url

    @property
    def method(self) -> str:
        return self.http_request.method

    @property
    def is_closed(self) -> bool:
        return self.http_response.is_closed

    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{self.status_code}] {self.method} {self.url}>"


class APIResponse(_ResponseInfo, Generic[R]):
    """A response as received, from `client.with_raw_response...`; `parse()` gives the usual result."""

    retries_taken: int
    """How many times the request was retried before this response arrived."""

    def __init__(
        self,
        http_response: httpx.Response,
        parse: Callable[[httpx.Response], R],
        *,
        retries_taken: int,
    ) -> None:
        self.http_response = http_response
        self.retries_taken = retries_taken
        self._parse = parse
        self._parsed: list[R] = []

    def parse(self) -> R:
        """Return what the method returns without `with_raw_response`; parsed once, then cached."""
        if not self._parsed:
            self._parsed.append(self._parse(self.http_response))
        return self._parsed[0]

    def read(self) -> bytes:
        return self.http_response.read()

    def text(self) -> str:
        self.read()
        return self.http_response.text

    def json(self) -> object:
        self.read()
        return self.http_response.json()

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        return self.http_response.iter_bytes(chunk_size)

    def close(self) -> None:
        self.http_response.close()


class AsyncAPIResponse(_ResponseInfo, Generic[R]):
    """A response as received, from `client.with_raw_response...` on the async client."""

    retries_taken: int
    """How many times the request was retried before this response arrived."""

    def __init__(
        self,
        http_response: httpx.Response,
        parse: Callable[[httpx.Response], R],
        *,
        retries_taken: int,
    ) -> None:
        self.http_response = http_response
        self.retries_taken = retries_taken
        self._parse = parse
        self._parsed: list[R] = []

    async def parse(self) -> R:
        """Return what the method returns without `with_raw_response`; parsed once, then cached."""
        if not self._parsed:
            self._parsed.append(self._parse(self.http_response))
        return self._parsed[0]

    async def read(self) -> bytes:
        return await self.http_response.aread()

    async def text(self) -> str:
        await self.read()
        return self.http_response.text

    async def json(self) -> object:
        await self.read()
        return self.http_response.json()

    def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        return self.http_response.aiter_bytes(chunk_size)

    async def close(self) -> None:
        await self.http_response.aclose()


class BinaryAPIResponse(_ResponseInfo):
    """A binary response body that has not been read yet.

    The body is streamed: `iter_bytes()` and `write_to_file()` keep one chunk
    in memory at a time, and only `read()` loads it whole. The connection is
    released once the body has been consumed or `close()` is called. Use the
    object as a context manager when the body may be left unread.
    """

    def __init__(self, http_response: httpx.Response) -> None:
        self.http_response = http_response

    def read(self) -> bytes:
        """Read the whole body into memory and return it."""
        try:
            with reading_body(self.http_response):
                return self.http_response.read()
        finally:
            self.http_response.close()

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        """Yield the body in chunks of `chunk_size` bytes (as they arrive when None)."""
        try:
            with reading_body(self.http_response):
                yield from self.http_response.iter_bytes(chunk_size)
        finally:
            self.http_response.close()

    def write_to_file(self, file: str | os.PathLike[str]) -> None:
        """Stream the body into the file at `file`, replacing its contents."""
        with open(file, "wb") as output:
            output.writelines(self.iter_bytes())

    def close(self) -> None:
        self.http_response.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class AsyncBinaryAPIResponse(_ResponseInfo):
    """A binary response body that has not been read yet, for the async client.

    See `BinaryAPIResponse`; every method here is a coroutine or an async iterator.
    """

    def __init__(self, http_response: httpx.Response) -> None:
        self.http_response = http_response

    async def read(self) -> bytes:
        """Read the whole body into memory and return it."""
        try:
            with reading_body(self.http_response):
                return await self.http_response.aread()
        finally:
            await self.http_response.aclose()

    async def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        """Yield the body in chunks of `chunk_size` bytes (as they arrive when None)."""
        try:
            with reading_body(self.http_response):
                async for chunk in self.http_response.aiter_bytes(chunk_size):
                    yield chunk
        finally:
            await self.http_response.aclose()

    async def write_to_file(self, file: str | os.PathLike[str]) -> None:
        """Stream the body into the file at `file`, replacing its contents."""
        # anyio comes with httpx; its file wrapper writes from a worker thread.
        import anyio

        async with await anyio.open_file(file, "wb") as output:
            async for chunk in self.iter_bytes():
                await output.write(chunk)

    async def close(self) -> None:
        await self.http_response.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()


def to_raw_response_wrapper(func: Callable[P, R]) -> Callable[P, APIResponse[R]]:
    """Wrap a resource method so that it returns the `APIResponse` instead of the parsed result."""

    @functools.wraps(func)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> APIResponse[R]:
        token = _RAW_RESPONSE.set(True)
        try:
            return cast("APIResponse[R]", func(*args, **kwargs))
        finally:
            _RAW_RESPONSE.reset(token)

    return wrapped


def async_to_raw_response_wrapper(
    func: Callable[P, Awaitable[R]],
) -> Callable[P, Awaitable[AsyncAPIResponse[R]]]:
    """Wrap an async resource method so that it returns the `AsyncAPIResponse`."""

    @functools.wraps(func)
    async def wrapped(*args: P.args, **kwargs: P.kwargs) -> AsyncAPIResponse[R]:
        token = _RAW_RESPONSE.set(True)
        try:
            result: Any = await func(*args, **kwargs)
            return cast("AsyncAPIResponse[R]", result)
        finally:
            _RAW_RESPONSE.reset(token)

    return wrapped
