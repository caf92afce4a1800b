"""Options, errors, raw responses, logging and the async twin of the generated client."""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import httpx
import pytest
from runtime_server import (
    PACKAGE,
    TOKEN,
    ScriptedServer,
    empty_reply,
    json_reply,
    serve,
    text_reply,
    widget,
    widget_sdk,
)


@pytest.fixture(scope="module")
def sdk(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return widget_sdk(tmp_path_factory)


@pytest.fixture()
def server() -> Iterator[ScriptedServer]:
    yield from serve()


@pytest.fixture()
def env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("WIDGET_API_KEY", "WIDGET_BASE_URL", "WIDGET_LOG"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def _run_python(sdk: ModuleType, code: str, **env: str) -> subprocess.CompletedProcess[str]:
    src = os.path.dirname(os.path.dirname(sdk.__file__))
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": src, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


# -- options -------------------------------------------------------------------


def test_token_from_env(sdk: ModuleType, server: ScriptedServer, env: pytest.MonkeyPatch) -> None:
    env.setenv("WIDGET_API_KEY", "from-env-token")
    env.setenv("WIDGET_BASE_URL", server.base_url)
    server.add(json_reply(200, widget("w_1")))
    with sdk.Widget() as client:
        client.widgets.retrieve("w_1")
    assert server.requests[0].headers["authorization"] == "Bearer from-env-token"


def test_missing_token_is_a_clear_error(sdk: ModuleType, env: pytest.MonkeyPatch) -> None:
    with pytest.raises(sdk.WidgetError, match="WIDGET_API_KEY"):
        sdk.Widget()
    with pytest.raises(sdk.WidgetError, match="bearer_token"):
        sdk.AsyncWidget()


def test_base_url_defaults(sdk: ModuleType, env: pytest.MonkeyPatch) -> None:
    client = sdk.Widget(bearer_token=TOKEN)
    assert str(client.base_url) == "https://api.widget.example/"
    env.setenv("WIDGET_BASE_URL", "http://127.0.0.1:9/api")
    assert str(sdk.Widget(bearer_token=TOKEN).base_url) == "http://127.0.0.1:9/api/"
    with pytest.raises(ValueError, match="base_url"):
        sdk.Widget(bearer_token=TOKEN, base_url="ftp://example")


def test_defaults_and_per_call_extras(sdk: ModuleType, server: ScriptedServer) -> None:
    server.add(json_reply(200, widget("w_1")))
    client = sdk.Widget(
        bearer_token=TOKEN,
        base_url=server.base_url,
        default_headers={"X-Team": "infra"},
        default_query={"region": "eu"},
    )
    with client:
        client.widgets.create(
            name="n",
            extra_headers={"X-Trace": "t1"},
            extra_query={"dry_run": True},
            extra_body={"color": "blue"},
            timeout=5,
        )
    request = server.requests[0]
    assert request.headers["x-team"] == "infra"
    assert request.headers["x-trace"] == "t1"
    assert request.query == {"region": ["eu"], "dry_run": ["true"]}
    assert request.json() == {"name": "n", "color": "blue"}
    assert request.headers["user-agent"] == f"{PACKAGE}/0.1.0"
    assert request.headers["accept"] == "application/json"


def test_timeout_accepts_httpx_timeout(sdk: ModuleType, server: ScriptedServer) -> None:
    server.add(json_reply(200, widget("w_1")), json_reply(200, widget("w_2")))
    client = sdk.Widget(
        bearer_token=TOKEN, base_url=server.base_url, timeout=httpx.Timeout(5.0, connect=1.0)
    )
    with client:
        client.widgets.retrieve("w_1")
        client.widgets.retrieve("w_2", timeout=httpx.Timeout(2.0))
    assert len(server.requests) == 2


def test_with_options_copies(sdk: ModuleType, server: ScriptedServer) -> None:
    server.add(json_reply(200, widget("w_1")), json_reply(200, widget("w_2")))
    client = sdk.Widget(bearer_token=TOKEN, base_url=server.base_url, default_headers={"X-A": "1"})
    with client:
        copy = client.with_options(
            bearer_token="other-token", max_retries=7, default_headers={"X-B": "2"}, timeout=9
        )
        assert copy is not client
        assert copy.max_retries == 7
        assert copy.timeout == 9
        assert client.max_retries == 2
        assert client.bearer_token == TOKEN
        copy.widgets.retrieve("w_1")
        client.widgets.retrieve("w_2")
        # The copy sends through the same connection pool.
        assert copy.http_client is client.http_client
    first, second = server.requests
    assert first.headers["authorization"] == "Bearer other-token"
    assert (first.headers["x-a"], first.headers["x-b"]) == ("1", "2")
    assert second.headers["authorization"] == f"Bearer {TOKEN}"
    assert "x-b" not in second.headers

    replaced = client.with_options(set_default_headers={"X-C": "3"})
    assert "X-A" not in replaced.default_headers
    assert replaced.default_headers["X-C"] == "3"
    with pytest.raises(ValueError, match="not both"):
        client.with_options(default_headers={}, set_default_headers={})
    assert client.copy(max_retries=1).max_retries == 1


def test_custom_http_client(sdk: ModuleType, server: ScriptedServer) -> None:
    server.add(json_reply(200, widget("w_1")))
    seen: list[str] = []
    http_client = httpx.Client(event_hooks={"request": [lambda r: seen.append(r.url.path)]})
    client = sdk.Widget(bearer_token=TOKEN, base_url=server.base_url, http_client=http_client)
    client.widgets.retrieve("w_1")
    client.close()
    # The caller's client stays open: the SDK closes only what it created.
    assert not http_client.is_closed
    http_client.close()
    assert seen == ["/v1/widgets/w_1"]
    with pytest.raises(TypeError, match="httpx.AsyncClient"):
        sdk.AsyncWidget(bearer_token=TOKEN, http_client=httpx.Client())


def test_close_releases_own_pool(sdk: ModuleType, server: ScriptedServer) -> None:
    server.add(json_reply(200, widget("w_1")))
    with sdk.Widget(bearer_token=TOKEN, base_url=server.base_url) as client:
        client.widgets.retrieve("w_1")
        pool = client.http_client
    assert pool.is_closed


# -- requests and responses ---------------------------------------------------


def test_path_parameters_are_encoded(sdk: ModuleType, server: ScriptedServer) -> None:
    server.add(json_reply(200, widget("x")), json_reply(200, widget("y")))
    with sdk.Widget(bearer_token=TOKEN, base_url=server.base_url) as client:
        client.widgets.retrieve("a/../b?x")
        client.widgets.retrieve("..")
        with pytest.raises(ValueError, match="`id`"):
            client.widgets.retrieve("")
    assert [r.path for r in server.requests] == ["/v1/widgets/a%2F..%2Fb%3Fx", "/v1/widgets/%2E%2E"]


def test_empty_and_text_responses(sdk: ModuleType, server: ScriptedServer) -> None:
    server.add(empty_reply(204), text_reply("# Widget\n"))
    with sdk.Widget(bearer_token=TOKEN, base_url=server.base_url) as client:
        assert client.widgets.archive("w_1") is None
        assert client.widgets.readme("w_1") == "# Widget\n"
    assert server.requests[0].method == "POST"
    assert server.requests[1].headers["accept"] == "text/plain"


def test_invalid_response_body(sdk: ModuleType, server: ScriptedServer) -> None:
    server.add(text_reply("<html>", "text/html"), json_reply(200, {"name": "no id"}))
    with sdk.Widget(bearer_token=TOKEN, base_url=server.base_url) as client:
        with pytest.raises(sdk.APIResponseValidationError, match="not valid JSON"):
            client.widgets.retrieve("w_1")
        with pytest.raises(sdk.APIResponseValidationError, match="KeyError") as caught:
            client.widgets.retrieve("w_1")
    assert caught.value.body == {"name": "no id"}
    assert caught.value.status_code == 200


def test_raw_response(sdk: ModuleType, server: ScriptedServer) -> None:
    server.add(
        json_reply(200, widget("w_1"), {"X-Request-Id": "req_1"}),
        empty_reply(204),
        json_reply(200, widget("w_2")),
        json_reply(404, {"error": "gone"}),
    )
    with sdk.Widget(bearer_token=TOKEN, base_url=server.base_url) as client:
        raw = client.with_raw_response.widgets.create(name="n")
        assert raw.status_code == 200
        assert raw.headers["X-Request-Id"] == "req_1"
        assert raw.retries_taken == 0
        assert raw.http_request.method == "POST"
        assert raw.json() == widget("w_1")
        parsed = raw.parse()
        assert isinstance(parsed, sdk.types.WidgetView)
        assert parsed is raw.parse()

        archived = client.widgets.with_raw_response.archive("w_1")
        assert archived.status_code == 204
        assert archived.parse() is None

        # Calls made outside the wrapper return parsed results again.
        assert client.widgets.retrieve("w_2").id == "w_2"
        with pytest.raises(sdk.NotFoundError):
            client.with_raw_response.widgets.retrieve("w_3")


# -- secrets -------------------------------------------------------------------


def test_token_never_in_errors_or_reprs(sdk: ModuleType, server: ScriptedServer) -> None:
    echo = {"error": f"token Bearer {TOKEN} is not allowed", "token": TOKEN}
    server.add(json_reply(401, echo), json_reply(500, echo))
    client = sdk.Widget(bearer_token=TOKEN, base_url=server.base_url, max_retries=0)
    with client:
        for _ in range(2):
            with pytest.raises(sdk.APIStatusError) as caught:
                client.widgets.retrieve("w_1")
            error = caught.value
            assert TOKEN not in str(error)
            assert TOKEN not in repr(error)
            assert TOKEN not in error.message
            assert "***" in error.message
    assert TOKEN not in repr(client)
    assert server.base_url in repr(client)


def test_token_never_logged(
    sdk: ModuleType, server: ScriptedServer, caplog: pytest.LogCaptureFixture
) -> None:
    server.add(json_reply(503, {"echo": TOKEN}), json_reply(200, widget("w_1")))
    client = sdk.Widget(bearer_token=TOKEN, base_url=server.base_url)
    client._sleep = lambda seconds: None
    with caplog.at_level(logging.DEBUG), client:
        client.widgets.create(name="n")
    messages = [record.getMessage() for record in caplog.records]
    assert any(message.startswith("Request POST") for message in messages)
    assert any("'authorization': '***'" in message for message in messages)
    assert not [message for message in messages if TOKEN in message]


def test_log_env_variable_turns_on_logging(sdk: ModuleType, server: ScriptedServer) -> None:
    server.add(json_reply(200, widget("w_1")), json_reply(200, widget("w_1")))
    code = (
        f"import {PACKAGE} as p\n"
        f"with p.Widget(bearer_token={TOKEN!r}, base_url={server.base_url!r}) as c:\n"
        "    c.widgets.retrieve('w_1')\n"
    )
    result = _run_python(sdk, code, WIDGET_LOG="debug")
    assert result.returncode == 0, result.stderr
    assert "Request GET" in result.stderr
    assert "HTTP Request: GET" in result.stderr
    assert TOKEN not in result.stderr

    quiet = _run_python(sdk, code)
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr == ""
    assert len(server.requests) == 2


# -- import cost ---------------------------------------------------------------


def test_import_and_construction_stay_lazy(sdk: ModuleType) -> None:
    code = (
        "import sys, json\n"
        f"import {PACKAGE} as p\n"
        "client = p.Widget(bearer_token='t')\n"
        "aclient = p.AsyncWidget(bearer_token='t')\n"
        "loaded = [m for m in ('httpx', 'asyncio', 'anyio') if m in sys.modules]\n"
        f"loaded += [m for m in sys.modules if m.startswith('{PACKAGE}.resources')]\n"
        f"loaded += [m for m in sys.modules if m.startswith('{PACKAGE}.types')]\n"
        "print(json.dumps(loaded))\n"
    )
    result = _run_python(sdk, code)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


# -- async ---------------------------------------------------------------------


def test_async_client_has_the_same_methods(sdk: ModuleType) -> None:
    sync_client = sdk.Widget(bearer_token=TOKEN)
    async_client = sdk.AsyncWidget(bearer_token=TOKEN)
    sync_methods = {
        name: inspect.signature(member)
        for name, member in inspect.getmembers(sync_client.widgets, inspect.ismethod)
        if not name.startswith("_")
    }
    async_methods = {
        name: inspect.signature(member)
        for name, member in inspect.getmembers(async_client.widgets, inspect.ismethod)
        if not name.startswith("_")
    }
    assert set(sync_methods) == set(async_methods)
    assert len(sync_methods) == 10
    for name, signature in sync_methods.items():
        assert list(signature.parameters) == list(async_methods[name].parameters), name
    assert inspect.iscoroutinefunction(async_client.widgets.retrieve)
    # List methods return a paginator that is awaited or iterated, so they are plain functions.
    assert not inspect.iscoroutinefunction(async_client.widgets.list)


def test_async_requests_and_raw_response(sdk: ModuleType, server: ScriptedServer) -> None:
    server.add(
        json_reply(200, widget("w_1")),
        json_reply(200, widget("w_2"), {"X-Request-Id": "req_2"}),
        text_reply("hello"),
        empty_reply(),
    )

    async def main() -> list[Any]:
        client = sdk.AsyncWidget(bearer_token=TOKEN, base_url=server.base_url)
        async with client:
            created = await client.widgets.create(name="n")
            raw = await client.with_raw_response.widgets.retrieve("w_2")
            parsed = await raw.parse()
            text = await client.widgets.readme("w_1")
            archived = await client.widgets.archive("w_1")
            pool = client.http_client
        return [
            created.id,
            raw.status_code,
            raw.headers["x-request-id"],
            parsed.id,
            text,
            archived,
            pool.is_closed,
        ]

    assert asyncio.run(main()) == ["w_1", 200, "req_2", "w_2", "hello", None, True]


def test_async_aclose(sdk: ModuleType, server: ScriptedServer) -> None:
    server.add(json_reply(200, widget("w_1")))

    async def main() -> bool:
        client = sdk.AsyncWidget(bearer_token=TOKEN, base_url=server.base_url)
        await client.widgets.retrieve("w_1")
        await client.aclose()
        closed: bool = client.http_client.is_closed
        return closed

    assert asyncio.run(main())
