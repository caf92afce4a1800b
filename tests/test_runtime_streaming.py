"""Server-sent events through the generated client, from a local server."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from runtime_server import (
    TOKEN,
    ScriptedServer,
    json_reply,
    serve,
    sse_reply,
    truncated_reply,
    widget_sdk,
)


@pytest.fixture(scope="module")
def sdk(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return widget_sdk(tmp_path_factory)


@pytest.fixture()
def server() -> Iterator[ScriptedServer]:
    yield from serve()


def chunk(offset: int, output: str) -> str:
    return json.dumps({"offset": offset, "output": output})


# Three events in forms the standard allows, with a comment between them. The second has an event
# name, an id and data split over two lines, and the third ends its lines with CRLF.
THREE_EVENTS = [
    f"data: {chunk(1, 'a')}\n\n",
    ": keep-alive\n\n",
    'event: chunk\nid: 2\ndata: {"offset": 2,\ndata:  "output": "b"}\n\n',
    f"data: {chunk(3, 'c')}\r\n\r\n",
]


@pytest.mark.parametrize("method", ["stream_logs", "events"])
def test_three_events_then_close(sdk: ModuleType, server: ScriptedServer, method: str) -> None:
    server.add(sse_reply(THREE_EVENTS))
    with sdk.Widget(bearer_token=TOKEN, base_url=server.base_url) as client:
        stream = getattr(client.widgets, method)("w_1")
        items = list(stream)
    assert [(item.offset, item.output) for item in items] == [(1, "a"), (2, "b"), (3, "c")]
    assert all(isinstance(item, sdk.types.LogChunk) for item in items)
    assert stream.response.is_closed
    assert server.requests[0].headers["accept"] == "text/event-stream"


def test_break_closes_the_connection(sdk: ModuleType, server: ScriptedServer) -> None:
    server.add(sse_reply(THREE_EVENTS, hold=30))
    with sdk.Widget(bearer_token=TOKEN, base_url=server.base_url) as client:
        stream = client.widgets.stream_logs("w_1", offset=5)
        for item in stream:
            assert item.offset == 1
            break
        assert stream.response.is_closed
    assert server.requests[0].query == {"offset": ["5"]}


def test_next_and_context_manager(sdk: ModuleType, server: ScriptedServer) -> None:
    server.add(sse_reply(THREE_EVENTS, hold=30))
    with sdk.Widget(bearer_token=TOKEN, base_url=server.base_url) as client:
        with client.widgets.events("w_1") as stream:
            assert next(stream).offset == 1
            assert next(stream).offset == 2
        assert stream.response.is_closed


def test_untyped_stream_yields_events(sdk: ModuleType, server: ScriptedServer) -> None:
    server.add(
        sse_reply(["event: log\nid: 7\nretry: 1500\ndata: line one\n\n", "data: [1, 2]\n\n"])
    )
    with sdk.Widget(bearer_token=TOKEN, base_url=server.base_url) as client:
        events = list(client.widgets.tail("w_1"))
    assert [type(event).__name__ for event in events] == ["ServerSentEvent"] * 2
    assert (events[0].event, events[0].id, events[0].retry, events[0].data) == (
        "log",
        "7",
        1500,
        "line one",
    )
    # The last event id carries over to later events, as the standard requires.
    assert events[1].id == "7"
    assert events[1].json() == [1, 2]


def test_event_without_json_data(sdk: ModuleType, server: ScriptedServer) -> None:
    server.add(sse_reply(["data: not json\n\n"]))
    with sdk.Widget(bearer_token=TOKEN, base_url=server.base_url) as client:
        stream = client.widgets.events("w_1")
        with pytest.raises(sdk.APIResponseValidationError, match="JSON"):
            list(stream)
        assert stream.response.is_closed


def test_stream_error_status_raises(sdk: ModuleType, server: ScriptedServer) -> None:
    server.add(json_reply(404, {"error": "no such widget"}))
    with sdk.Widget(bearer_token=TOKEN, base_url=server.base_url) as client:
        with pytest.raises(sdk.NotFoundError) as caught:
            client.widgets.events("w_404")
    assert caught.value.body == {"error": "no such widget"}


def test_dropped_stream_raises_connection_error(sdk: ModuleType, server: ScriptedServer) -> None:
    first = f"data: {chunk(1, 'a')}\n\n".encode()
    server.add(truncated_reply("text/event-stream", first, declared=len(first) + 100))
    with sdk.Widget(bearer_token=TOKEN, base_url=server.base_url) as client:
        stream = client.widgets.events("w_1")
        received = []
        with pytest.raises(sdk.APIConnectionError, match="reading the response body"):
            for item in stream:
                received.append(item.offset)
    assert received == [1]
    assert stream.response.is_closed


def test_async_stream(sdk: ModuleType, server: ScriptedServer) -> None:
    server.add(sse_reply(THREE_EVENTS), sse_reply(THREE_EVENTS, hold=30))

    async def main() -> dict[str, Any]:
        async with sdk.AsyncWidget(bearer_token=TOKEN, base_url=server.base_url) as client:
            stream = await client.widgets.stream_logs("w_1")
            offsets = [item.offset async for item in stream]
            open_stream = await client.widgets.events("w_1")
            async with open_stream:
                async for item in open_stream:
                    first = item.offset
                    break
            return {
                "offsets": offsets,
                "closed": stream.response.is_closed,
                "first": first,
                "open_stream_closed": open_stream.response.is_closed,
            }

    assert asyncio.run(main()) == {
        "offsets": [1, 2, 3],
        "closed": True,
        "first": 1,
        "open_stream_closed": True,
    }


def test_decoder_follows_the_standard(sdk: ModuleType) -> None:
    from widget_api_client._streaming import iter_events

    lines = [
        "data:no space",
        "data:  two spaces",
        "",
        "",
        "event: only-name",
        "",
        "id: a\0b",
        "retry: soon",
        "data: x",
        "",
        "data: unterminated",
    ]
    events = list(iter_events(lines))
    assert [event.data for event in events] == ["no space\n two spaces", "", "x", "unterminated"]
    assert events[1].event == "only-name"
    # An id with NUL and a non-numeric retry are ignored.
    assert events[2].id is None
    assert events[2].retry is None
