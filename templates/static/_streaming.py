"""Server-sent events: decode a `text/event-stream` body into events and typed items."""

from __future__ import annotations

from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Callable,
    Generator,
    Iterable,
    Iterator,
)
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ._response import reading_body

if TYPE_CHECKING:
    from types import TracebackType
    from typing import Self

    import httpx

__all__ = ["AsyncStream", "SSEDecoder", "ServerSentEvent", "Stream"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ServerSentEvent:
    """One event of a `text/event-stream` body, as the HTML standard defines its fields."""

    data: str
    event: str | None = None
    id: str | None = None
    retry: int | None = None

    def json(self) -> Any:
        """Decode the event's data as JSON."""
        import json

        return json.loads(self.data)


class SSEDecoder:
    """Assemble events from the lines of an event stream.

    Feed it every line without its line ending, as httpx's `iter_lines`
    yields them after splitting on CR, LF and CRLF. It returns an event at
    each blank line that ends one.
    """

    def __init__(self) -> None:
        self._data: list[str] = []
        self._event: str | None = None
        self._id: str | None = None
        self._retry: int | None = None

    def decode(self, line: str) -> ServerSentEvent | None:
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            # A comment, often sent as a keep-alive.
            return None
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id":
            # An id containing NUL is ignored, as the standard requires.
            if "\0" not in value:
                self._id = value
        elif name == "retry" and value.isdigit():
            self._retry = int(value)
        return None

    def _dispatch(self) -> ServerSentEvent | None:
        if not self._data and self._event is None:
            return None
        event = ServerSentEvent(
            data="\n".join(self._data),
            event=self._event,
            id=self._id,
            retry=self._retry,
        )
        # The last event id persists across events; the other fields do not.
        self._data = []
        self._event = None
        self._retry = None
        return event

    def finish(self) -> ServerSentEvent | None:
        """Return an event left without its closing blank line when the stream ends."""
        return self._dispatch()


def iter_events(lines: Iterable[str]) -> Iterator[ServerSentEvent]:
    decoder = SSEDecoder()
    for line in lines:
        event = decoder.decode(line)
        if event is not None:
            yield event
    event = decoder.finish()
    if event is not None:
        yield event


class Stream(Generic[T]):
    """The items of a server-sent event stream, converted by `cast` as they arrive.

    Iterate over it once. The connection closes when the loop ends, when it
    is left with `break` or an exception, or on `close()`; a `with` block
    closes it too.
    """

    def __init__(
        self, response: httpx.Response, cast: Callable[[ServerSentEvent], T]
    ) -> None:
        self.response = response
        self._cast = cast
        self._iterator = self._items()

    def _items(self) -> Generator[T, None, None]:
        try:
            with reading_body(self.response):
                for event in iter_events(self.response.iter_lines()):
                    if event.data:
                        yield self._cast(event)
        finally:
            self.response.close()

    def __iter__(self) -> Iterator[T]:
        # A generator per loop: when a `break` drops it, its `finally` closes the connection.
        try:
            yield from self._iterator
        finally:
            self.close()

    def __next__(self) -> T:
        return next(self._iterator)

    def close(self) -> None:
        """Close the connection; iteration then stops."""
        self._iterator.close()
        self.response.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class AsyncStream(Generic[T]):
    """The items of a server-sent event stream, for the async client.

    The connection closes when an `async for` loop runs to the end, on
    `await close()`, or when an `async with` block exits. Use `async with`
    when the loop may stop early: Python finalizes an abandoned async
    generator only later, from the event loop.
    """

    def __init__(
        self, response: httpx.Response, cast: Callable[[ServerSentEvent], T]
    ) -> None:
        self.response = response
        self._cast = cast
        self._iterator = self._items()

    async def _items(self) -> AsyncGenerator[T, None]:
        try:
            decoder = SSEDecoder()
            with reading_body(self.response):
                async for line in self.response.aiter_lines():
                    event = decoder.decode(line)
                    if event is not None and event.data:
                        yield self._cast(event)
            event = decoder.finish()
            if event is not None and event.data:
                yield self._cast(event)
        finally:
            await self.response.aclose()

    def __aiter__(self) -> AsyncIterator[T]:
        return self._iterator

    async def __anext__(self) -> T:
        return await self._iterator.__anext__()

    async def close(self) -> None:
        """Close the connection; iteration then stops."""
        await self._iterator.aclose()
        await self.response.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()
