"""A generated client against a real HTTP server: values cannot change the route or the headers.

Path parameters are percent-encoded, header values with CR or LF are rejected
before anything is sent, `base_url` must be http or https, and the token never
reaches a log record or an exception's text.
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from support import generate_into, import_package

SPEC = """\
openapi: 3.1.0
info: {title: Safety API, version: '1'}
servers:
  - url: https://api.example.com
security:
  - bearerAuth: []
components:
  securitySchemes:
    bearerAuth: {type: http, scheme: bearer}
paths:
  /v1/items/{item_id}/details:
    get:
      operationId: getItemDetails
      tags: [items]
      parameters:
        - {name: item_id, in: path, required: true, schema: {type: string}}
        - {name: X-Trace, in: header, schema: {type: string}}
        - {name: q, in: query, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  ok: {type: boolean}
"""
TOKEN = "sk-live-0123456789-secret"
ROUTE_PREFIX = "/v1/items/"
ROUTE_SUFFIX = "/details"


@pytest.fixture(scope="module")
def sdk_src(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("safety")
    spec = root / "openapi.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    return generate_into(spec, root / "out") / "src"


@pytest.fixture()
def package(sdk_src: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    for name in ("SAFETY_API_KEY", "SAFETY_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return import_package(sdk_src, "safety_api_client")


@dataclass
class Recorded:
    requests: list[dict[str, Any]] = field(default_factory=list)
    status: int = 200
    body: bytes = b'{"ok": true}'


@pytest.fixture()
def server() -> Iterator[tuple[str, Recorded]]:
    recorded = Recorded()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - name fixed by http.server
            recorded.requests.append({"path": self.path, "headers": dict(self.headers)})
            self.send_response(recorded.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(recorded.body)))
            self.end_headers()
            self.wfile.write(recorded.body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", recorded
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


# -- path parameters ------------------------------------------------------------------

ROUTE_CHANGING_VALUES = [
    "../admin",
    "a/b",
    "../../v2/other?x=1",
    "?admin=true",
    "#fragment",
    "%2F..%2F",
    "a b",
    "caf\u00e9",
    "line\r\nbreak",
    "...",
    "~user",
    # httpx removes `.` and `..` path segments (RFC 3986 dot-segment removal) when it
    # builds the URL, so these change the route unless the SDK encodes the dots.
    ".",
    "..",
]


def _assert_route_keeps_value(path: str, value: str) -> None:
    raw_path = urlsplit(path).path
    assert raw_path.startswith(ROUTE_PREFIX), raw_path
    assert raw_path.endswith(ROUTE_SUFFIX), raw_path
    segment = raw_path[len(ROUTE_PREFIX) : -len(ROUTE_SUFFIX)]
    assert "/" not in segment
    assert unquote(segment) == value
    assert urlsplit(path).query == ""


@pytest.mark.parametrize("value", ROUTE_CHANGING_VALUES)
def test_path_parameter_cannot_change_route(
    package: ModuleType, server: tuple[str, Recorded], value: str
) -> None:
    base_url, recorded = server
    client = package.Safety(bearer_token=TOKEN, base_url=base_url)

    client.items.get_item_details(value)

    (request,) = recorded.requests
    _assert_route_keeps_value(request["path"], value)


# -- header values --------------------------------------------------------------------

INJECTED = ["a\r\nX-Injected: yes", "a\nX-Injected: yes", "a\rX-Injected: yes"]


@pytest.mark.parametrize("value", INJECTED, ids=["crlf", "lf", "cr"])
def test_header_parameter_with_line_break_rejected(
    package: ModuleType, server: tuple[str, Recorded], value: str
) -> None:
    base_url, recorded = server
    client = package.Safety(bearer_token=TOKEN, base_url=base_url)

    with pytest.raises(ValueError, match="X-Trace"):
        client.items.get_item_details("item", x_trace=value)

    assert recorded.requests == []


@pytest.mark.parametrize("value", INJECTED, ids=["crlf", "lf", "cr"])
def test_extra_header_with_line_break_rejected(
    package: ModuleType, server: tuple[str, Recorded], value: str
) -> None:
    base_url, recorded = server
    client = package.Safety(bearer_token=TOKEN, base_url=base_url)

    with pytest.raises(ValueError, match="X-Extra"):
        client.items.get_item_details("item", extra_headers={"X-Extra": value})

    assert recorded.requests == []


def test_default_header_with_line_break_rejected(
    package: ModuleType, server: tuple[str, Recorded]
) -> None:
    base_url, recorded = server
    client = package.Safety(
        bearer_token=TOKEN, base_url=base_url, default_headers={"X-Default": INJECTED[0]}
    )

    with pytest.raises(ValueError, match="X-Default"):
        client.items.get_item_details("item")

    assert recorded.requests == []


def test_token_with_line_break_rejected_without_echo(
    package: ModuleType, server: tuple[str, Recorded]
) -> None:
    base_url, recorded = server
    client = package.Safety(bearer_token=TOKEN + "\r\nX-Injected: yes", base_url=base_url)

    with pytest.raises(ValueError) as caught:
        client.items.get_item_details("item")

    assert TOKEN not in str(caught.value)
    assert TOKEN not in repr(caught.value)
    assert recorded.requests == []


def test_header_without_line_break_sent(package: ModuleType, server: tuple[str, Recorded]) -> None:
    base_url, recorded = server
    client = package.Safety(bearer_token=TOKEN, base_url=base_url)

    client.items.get_item_details("item", x_trace="trace: 1; a=b", extra_headers={"X-Extra": "v"})

    (request,) = recorded.requests
    assert request["headers"]["X-Trace"] == "trace: 1; a=b"
    assert request["headers"]["X-Extra"] == "v"
    assert request["headers"]["Authorization"] == f"Bearer {TOKEN}"
    assert "X-Injected" not in request["headers"]


# -- base_url -------------------------------------------------------------------------

BAD_BASE_URLS = [
    "file:///etc/passwd",
    "ftp://example.com/",
    "javascript:alert(1)",
    "gopher://127.0.0.1:70/",
    "ws://127.0.0.1/",
    "data:text/plain,hello",
    "//127.0.0.1/",
    "127.0.0.1:8080",
    "",
]


@pytest.mark.parametrize("base_url", BAD_BASE_URLS)
def test_non_http_base_url_rejected(package: ModuleType, base_url: str) -> None:
    with pytest.raises(ValueError, match="base_url"):
        package.Safety(bearer_token=TOKEN, base_url=base_url)


def test_non_http_base_url_from_environment_rejected(
    package: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAFETY_BASE_URL", "file:///etc/passwd")
    with pytest.raises(ValueError, match="base_url"):
        package.Safety(bearer_token=TOKEN)


@pytest.mark.parametrize(
    "base_url", ["http://127.0.0.1:1", "https://api.example.com/v1", "HTTPS://API.EXAMPLE.COM"]
)
def test_http_base_url_accepted(package: ModuleType, base_url: str) -> None:
    client = package.Safety(bearer_token=TOKEN, base_url=base_url)
    assert str(client.base_url).lower().startswith(base_url.lower().split(":")[0])


# -- the token ------------------------------------------------------------------------


def _assert_token_absent(text: str) -> None:
    assert TOKEN not in text
    assert TOKEN[-12:] not in text


def test_token_not_logged(
    package: ModuleType, server: tuple[str, Recorded], caplog: pytest.LogCaptureFixture
) -> None:
    base_url, recorded = server
    caplog.set_level(logging.DEBUG)
    client = package.Safety(bearer_token=TOKEN, base_url=base_url)

    client.items.get_item_details("item", q="query")
    recorded.status = 500
    with pytest.raises(package.InternalServerError):
        client.items.get_item_details("item")

    assert len(recorded.requests) >= 2
    assert caplog.records
    for record in caplog.records:
        _assert_token_absent(record.getMessage())


def test_token_not_in_status_error(package: ModuleType, server: tuple[str, Recorded]) -> None:
    base_url, recorded = server
    recorded.status = 401
    recorded.body = b'{"error": "invalid token"}'
    client = package.Safety(bearer_token=TOKEN, base_url=base_url)

    with pytest.raises(package.AuthenticationError) as caught:
        client.items.get_item_details("item")

    error = caught.value
    _assert_token_absent(str(error))
    _assert_token_absent(repr(error))
    _assert_token_absent(repr(error.args))
    _assert_token_absent(repr(error.request))
    _assert_token_absent(repr(error.response))


def test_token_not_in_connection_error(
    package: ModuleType, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = package.Safety(
        bearer_token=TOKEN, base_url=f"http://127.0.0.1:{_closed_port()}", max_retries=0
    )

    with pytest.raises(package.APIConnectionError) as caught:
        client.items.get_item_details("item")

    _assert_token_absent(str(caught.value))
    _assert_token_absent(repr(caught.value))
    _assert_token_absent(str(caught.value.__cause__))
    for record in caplog.records:
        _assert_token_absent(record.getMessage())


def test_token_not_in_client_repr(package: ModuleType) -> None:
    client = package.Safety(bearer_token=TOKEN, base_url="http://127.0.0.1:1")
    _assert_token_absent(repr(client))
    _assert_token_absent(str(client))
