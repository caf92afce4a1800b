"""Retries of the generated client, by fault injection over real HTTP on 127.0.0.1."""

from __future__ import annotations

import asyncio
import email.utils
import socket
import time
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from runtime_server import (
    TOKEN,
    ScriptedServer,
    drop_connection,
    json_reply,
    serve,
    stall,
    widget,
    widget_sdk,
)


@pytest.fixture(scope="module")
def sdk(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return widget_sdk(tmp_path_factory)


@pytest.fixture()
def server() -> Iterator[ScriptedServer]:
    yield from serve()


class SleepRecorder:
    """Stands in for the client's sleep: records each delay, and sleeps for real only if asked."""

    def __init__(self, real: bool = False) -> None:
        self.delays: list[float] = []
        self.real = real

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        if self.real:
            time.sleep(seconds)


def make_client(
    sdk: ModuleType, server: ScriptedServer, **options: Any
) -> tuple[Any, SleepRecorder]:
    client = sdk.Widget(bearer_token=TOKEN, base_url=server.base_url, **options)
    recorder = SleepRecorder()
    client._sleep = recorder
    return client, recorder


def test_two_500s_then_200_succeeds(sdk: ModuleType, server: ScriptedServer) -> None:
    server.add(
        json_reply(500, {"error": "boom"}),
        json_reply(503, {"error": "busy"}),
        json_reply(200, widget("w_1")),
    )
    client, sleeps = make_client(sdk, server)
    with client:
        result = client.widgets.retrieve("w_1")
    assert result.id == "w_1"
    assert len(server.requests) == 3
    assert len(sleeps.delays) == 2
    # Exponential backoff: 0.5 s then 1 s, each less up to 25 % jitter.
    assert 0.375 <= sleeps.delays[0] <= 0.5
    assert 0.75 <= sleeps.delays[1] <= 1.0
    assert sleeps.delays[1] > sleeps.delays[0]


def test_backoff_is_capped(sdk: ModuleType) -> None:
    from widget_api_client._retries import MAX_RETRY_DELAY, retry_delay

    delays = [retry_delay(retries, None) for retries in range(12)]
    assert max(delays) <= MAX_RETRY_DELAY
    assert delays[-1] >= MAX_RETRY_DELAY * 0.75


def test_429_honours_retry_after_seconds(sdk: ModuleType, server: ScriptedServer) -> None:
    server.add(
        json_reply(429, {"error": "slow down"}, {"Retry-After": "1"}),
        json_reply(200, widget("w_1")),
    )
    client, sleeps = make_client(sdk, server)
    # This test really waits, so the pause between the two requests is the one asked for.
    sleeps.real = True
    with client:
        client.widgets.retrieve("w_1")
    assert sleeps.delays == [1.0]
    assert len(server.requests) == 2


def test_retry_after_ms_and_http_date(sdk: ModuleType, server: ScriptedServer) -> None:
    later = email.utils.formatdate(time.time() + 30, usegmt=True)
    server.add(
        json_reply(429, {}, {"retry-after-ms": "250"}),
        json_reply(503, {}, {"Retry-After": later}),
        json_reply(200, widget("w_1")),
    )
    client, sleeps = make_client(sdk, server, max_retries=3)
    with client:
        client.widgets.retrieve("w_1")
    assert sleeps.delays[0] == 0.25
    # An HTTP date 30 s ahead: the wait is about 30 s, less the time the test took to get here.
    assert 25 <= sleeps.delays[1] <= 30


def test_retry_after_beyond_bound_falls_back_to_backoff(
    sdk: ModuleType, server: ScriptedServer
) -> None:
    server.add(json_reply(429, {}, {"Retry-After": "3600"}), json_reply(200, widget("w_1")))
    client, sleeps = make_client(sdk, server)
    with client:
        client.widgets.retrieve("w_1")
    assert len(sleeps.delays) == 1
    assert sleeps.delays[0] <= 0.5


def test_dropped_connection_is_retried(sdk: ModuleType, server: ScriptedServer) -> None:
    server.add(drop_connection(), json_reply(200, widget("w_1")))
    client, sleeps = make_client(sdk, server)
    with client:
        assert client.widgets.retrieve("w_1").id == "w_1"
    assert len(server.requests) == 2
    assert len(sleeps.delays) == 1


def test_dropped_connections_exhaust_retries(sdk: ModuleType, server: ScriptedServer) -> None:
    server.add(drop_connection(), drop_connection(), drop_connection())
    client, sleeps = make_client(sdk, server)
    with client, pytest.raises(sdk.APIConnectionError) as caught:
        client.widgets.retrieve("w_1")
    assert not isinstance(caught.value, sdk.APITimeoutError)
    assert len(server.requests) == 3
    assert len(sleeps.delays) == 2


def test_refused_connection_is_retried(sdk: ModuleType) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    client = sdk.Widget(bearer_token=TOKEN, base_url=f"http://127.0.0.1:{closed_port}")
    sleeps = SleepRecorder()
    client._sleep = sleeps
    with client, pytest.raises(sdk.APIConnectionError):
        client.widgets.retrieve("w_1")
    assert len(sleeps.delays) == 2


def test_slow_response_raises_timeout(sdk: ModuleType, server: ScriptedServer) -> None:
    server.add(stall(5, json_reply(200, widget("w_1"))))
    client, _ = make_client(sdk, server, timeout=0.2, max_retries=0)
    with client, pytest.raises(sdk.APITimeoutError):
        client.widgets.retrieve("w_1")
    assert len(server.requests) == 1


def test_timeout_is_retried(sdk: ModuleType, server: ScriptedServer) -> None:
    server.add(stall(5, json_reply(200, widget("w_0"))), json_reply(200, widget("w_1")))
    client, sleeps = make_client(sdk, server)
    with client:
        result = client.widgets.retrieve("w_1", timeout=0.3)
    assert result.id == "w_1"
    assert len(sleeps.delays) == 1


def test_400_is_not_retried(sdk: ModuleType, server: ScriptedServer) -> None:
    server.add(json_reply(400, {"error": "bad name"}), json_reply(200, widget("w_1")))
    client, sleeps = make_client(sdk, server)
    with client, pytest.raises(sdk.BadRequestError) as caught:
        client.widgets.create(name="")
    assert caught.value.status_code == 400
    assert caught.value.body == {"error": "bad name"}
    assert len(server.requests) == 1
    assert sleeps.delays == []


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504])
def test_retryable_statuses(sdk: ModuleType, server: ScriptedServer, status: int) -> None:
    server.add(json_reply(status, {}), json_reply(200, widget("w_1")))
    client, sleeps = make_client(sdk, server)
    with client:
        client.widgets.retrieve("w_1")
    assert len(server.requests) == 2


@pytest.mark.parametrize("status", [401, 403, 404, 422])
def test_client_errors_are_not_retried(
    sdk: ModuleType, server: ScriptedServer, status: int
) -> None:
    server.add(json_reply(status, {}), json_reply(200, widget("w_1")))
    client, _ = make_client(sdk, server)
    with client, pytest.raises(sdk.APIStatusError) as caught:
        client.widgets.retrieve("w_1")
    assert caught.value.status_code == status
    assert len(server.requests) == 1


def test_server_can_forbid_a_retry(sdk: ModuleType, server: ScriptedServer) -> None:
    server.add(json_reply(503, {}, {"x-should-retry": "false"}), json_reply(200, widget("w_1")))
    client, _ = make_client(sdk, server)
    with client, pytest.raises(sdk.InternalServerError):
        client.widgets.retrieve("w_1")
    assert len(server.requests) == 1


def test_idempotency_key_is_reused_across_retries(sdk: ModuleType, server: ScriptedServer) -> None:
    server.add(
        json_reply(500, {}),
        drop_connection(),
        json_reply(200, widget("w_1")),
        json_reply(200, widget("w_2")),
    )
    client, _ = make_client(sdk, server)
    with client:
        client.widgets.create(name="first")
        client.widgets.create(name="second")
    keys = [request.headers.get("idempotency-key") for request in server.requests]
    assert keys[0] is not None
    assert keys[0] == keys[1] == keys[2]
    assert keys[3] is not None
    assert keys[3] != keys[0]
    assert [request.json()["name"] for request in server.requests] == ["first"] * 3 + ["second"]


def test_get_carries_no_idempotency_key(sdk: ModuleType, server: ScriptedServer) -> None:
    server.add(json_reply(200, widget("w_1")))
    client, _ = make_client(sdk, server)
    with client:
        client.widgets.retrieve("w_1")
    assert "idempotency-key" not in server.requests[0].headers


def test_max_retries_zero_makes_one_request(sdk: ModuleType, server: ScriptedServer) -> None:
    server.add(json_reply(500, {}), json_reply(200, widget("w_1")))
    client, sleeps = make_client(sdk, server, max_retries=0)
    with client, pytest.raises(sdk.InternalServerError):
        client.widgets.retrieve("w_1")
    assert len(server.requests) == 1
    assert sleeps.delays == []


def test_max_retries_per_request(sdk: ModuleType, server: ScriptedServer) -> None:
    server.add(*(json_reply(500, {}) for _ in range(4)), json_reply(200, widget("w_1")))
    client, sleeps = make_client(sdk, server, max_retries=0)
    with client:
        patient = client.with_options(max_retries=4)
        patient._sleep = sleeps
        assert patient.widgets.retrieve("w_1").id == "w_1"
    assert len(server.requests) == 5
    assert client.max_retries == 0


def test_raw_response_counts_retries(sdk: ModuleType, server: ScriptedServer) -> None:
    server.add(json_reply(502, {}), json_reply(200, widget("w_1"), {"X-Request-Id": "req_9"}))
    client, _ = make_client(sdk, server)
    with client:
        raw = client.with_raw_response.widgets.retrieve("w_1")
    assert raw.retries_taken == 1
    assert raw.status_code == 200
    assert raw.headers["x-request-id"] == "req_9"
    assert raw.parse().id == "w_1"


def test_retry_is_logged(
    sdk: ModuleType, server: ScriptedServer, caplog: pytest.LogCaptureFixture
) -> None:
    server.add(json_reply(503, {}), json_reply(200, widget("w_1")))
    client, _ = make_client(sdk, server)
    with caplog.at_level("INFO", logger="widget_api_client"), client:
        client.widgets.retrieve("w_1")
    retries = [r for r in caplog.records if r.getMessage().startswith("Retrying GET")]
    assert len(retries) == 1
    assert "status 503" in retries[0].getMessage()


# -- async ---------------------------------------------------------------------


def make_async_client(
    sdk: ModuleType, server: ScriptedServer, **options: Any
) -> tuple[Any, list[float]]:
    client = sdk.AsyncWidget(bearer_token=TOKEN, base_url=server.base_url, **options)
    delays: list[float] = []

    async def sleep(seconds: float) -> None:
        delays.append(seconds)

    client._sleep = sleep
    return client, delays


def test_async_retries_then_succeeds(sdk: ModuleType, server: ScriptedServer) -> None:
    server.add(json_reply(500, {}), drop_connection(), json_reply(200, widget("w_1")))

    async def main() -> Any:
        client, delays = make_async_client(sdk, server)
        async with client:
            result = await client.widgets.create(name="n")
        return result, delays

    result, delays = asyncio.run(main())
    assert result.id == "w_1"
    assert len(server.requests) == 3
    assert len(delays) == 2
    keys = {request.headers["idempotency-key"] for request in server.requests}
    assert len(keys) == 1


def test_async_timeout_and_no_retry_on_400(sdk: ModuleType, server: ScriptedServer) -> None:
    server.add(stall(5, json_reply(200, widget("w_1"))), json_reply(400, {"error": "no"}))

    async def main() -> None:
        client, delays = make_async_client(sdk, server, max_retries=0, timeout=0.2)
        async with client:
            with pytest.raises(sdk.APITimeoutError):
                await client.widgets.retrieve("w_1")
            with pytest.raises(sdk.BadRequestError):
                await client.widgets.retrieve("w_1")
        assert delays == []

    asyncio.run(main())
    assert len(server.requests) == 2
