"""Cursor pagination of the generated client against a local server."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from runtime_server import TOKEN, ScriptedServer, json_reply, serve, widget, widget_sdk


@pytest.fixture(scope="module")
def sdk(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return widget_sdk(tmp_path_factory)


@pytest.fixture()
def server() -> Iterator[ScriptedServer]:
    yield from serve()


def three_pages(server: ScriptedServer) -> None:
    server.add(
        json_reply(
            200, {"widgets": [widget("w1"), widget("w2")], "has_more": True, "total_count": 5}
        ),
        json_reply(
            200, {"widgets": [widget("w3"), widget("w4")], "has_more": True, "total_count": 5}
        ),
        json_reply(200, {"widgets": [widget("w5")], "has_more": False, "total_count": 5}),
    )


def cursors(server: ScriptedServer) -> list[list[str] | None]:
    return [request.query.get("starting_after") for request in server.requests]


def test_iteration_walks_three_pages_and_stops(sdk: ModuleType, server: ScriptedServer) -> None:
    three_pages(server)
    with sdk.Widget(bearer_token=TOKEN, base_url=server.base_url) as client:
        ids = [item.id for item in client.widgets.list(name="blue", limit=2)]
    assert ids == ["w1", "w2", "w3", "w4", "w5"]
    assert len(server.requests) == 3
    assert cursors(server) == [None, ["w2"], ["w4"]]
    for request in server.requests:
        assert request.query["name"] == ["blue"]
        assert request.query["limit"] == ["2"]


def test_page_methods(sdk: ModuleType, server: ScriptedServer) -> None:
    three_pages(server)
    with sdk.Widget(bearer_token=TOKEN, base_url=server.base_url) as client:
        first = client.widgets.list()
        assert isinstance(first, sdk.pagination.SyncCursorIDPage)
        assert [item.id for item in first.items] == ["w1", "w2"]
        # The response model's own fields read through the page, as on the Stainless pages.
        assert [item.id for item in first.widgets] == ["w1", "w2"]
        assert first.has_more is True
        assert first.total_count == 5
        assert first.has_next_page()

        second = first.get_next_page()
        assert [item.id for item in second.items] == ["w3", "w4"]
        pages = list(second.iter_pages())
        assert [len(page.items) for page in pages] == [2, 1]
        last = pages[-1]
        assert not last.has_next_page()
        with pytest.raises(RuntimeError, match="has_next_page"):
            last.get_next_page()
    assert len(server.requests) == 3


def test_empty_page_stops_despite_has_more(sdk: ModuleType, server: ScriptedServer) -> None:
    server.add(json_reply(200, {"widgets": [], "has_more": True}))
    with sdk.Widget(bearer_token=TOKEN, base_url=server.base_url) as client:
        page = client.widgets.list()
        assert list(page) == []
        assert not page.has_next_page()
    assert len(server.requests) == 1


def test_raw_first_page(sdk: ModuleType, server: ScriptedServer) -> None:
    three_pages(server)
    with sdk.Widget(bearer_token=TOKEN, base_url=server.base_url) as client:
        raw = client.with_raw_response.widgets.list()
        assert raw.status_code == 200
        page = raw.parse()
        assert [item.id for item in page] == ["w1", "w2", "w3", "w4", "w5"]
    assert len(server.requests) == 3


def test_async_iteration_walks_three_pages(sdk: ModuleType, server: ScriptedServer) -> None:
    three_pages(server)

    async def main() -> list[str]:
        async with sdk.AsyncWidget(bearer_token=TOKEN, base_url=server.base_url) as client:
            return [item.id async for item in client.widgets.list(limit=2)]

    assert asyncio.run(main()) == ["w1", "w2", "w3", "w4", "w5"]
    assert cursors(server) == [None, ["w2"], ["w4"]]


def test_async_page_methods(sdk: ModuleType, server: ScriptedServer) -> None:
    three_pages(server)

    async def main() -> dict[str, Any]:
        async with sdk.AsyncWidget(bearer_token=TOKEN, base_url=server.base_url) as client:
            first = await client.widgets.list()
            second = await first.get_next_page()
            sizes = [len(page.items) async for page in second.iter_pages()]
            return {
                "first": [item.id for item in first.items],
                "second": [item.id for item in second.items],
                "sizes": sizes,
                "async_page": isinstance(first, sdk.pagination.AsyncCursorIDPage),
            }

    result = asyncio.run(main())
    assert result == {
        "first": ["w1", "w2"],
        "second": ["w3", "w4"],
        "sizes": [2, 1],
        "async_page": True,
    }
    assert len(server.requests) == 3


def test_async_raw_first_page(sdk: ModuleType, server: ScriptedServer) -> None:
    server.add(json_reply(200, {"widgets": [widget("w1")], "has_more": False}))

    async def main() -> tuple[int, list[str]]:
        async with sdk.AsyncWidget(bearer_token=TOKEN, base_url=server.base_url) as client:
            raw = await client.with_raw_response.widgets.list()
            page = await raw.parse()
            return raw.status_code, [item.id async for item in page]

    assert asyncio.run(main()) == (200, ["w1"])
