"""A scripted HTTP server on 127.0.0.1 and the SDK generated from the runtime test spec.

Each test queues the replies the server gives, in order, and then reads back
the requests it recorded. Replies are plain functions of the request handler,
so a test can reply with JSON, drop the connection, stall, stream server-sent
events or send a large body.
"""

from __future__ import annotations

import json
import socket
import threading
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from support import REPO, generate_into, import_package

RUNTIME_SPEC = REPO / "tests" / "fixtures" / "runtime" / "openapi.yaml"
PACKAGE = "widget_api_client"
TOKEN = "sk-test-4c1d-secret-token"

# Maximum stall of a scripted reply, in seconds. Server shutdown cuts a stall short.
MAX_STALL = 10.0

_generated: dict[str, Path] = {}


def widget_sdk(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    """Generate the SDK for the runtime test spec once per session and import it afresh."""
    if "src" not in _generated:
        output = generate_into(RUNTIME_SPEC, tmp_path_factory.mktemp("widget") / "sdk")
        _generated["src"] = output / "src"
    return import_package(_generated["src"], PACKAGE)


@dataclass
class Recorded:
    """One request as the server received it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


Reply = Callable[["Handler"], None]


@dataclass
class ScriptedServer:
    """The server's state: replies still to give and requests received so far."""

    base_url: str = ""
    replies: deque[Reply] = field(default_factory=deque)
    requests: list[Recorded] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, *replies: Reply) -> None:
        self.replies.extend(replies)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    scripted: ScriptedServer

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        with self.scripted.lock:
            self.scripted.requests.append(
                Recorded(
                    method=self.command,
                    path=parts.path,
                    query=parse_qs(parts.query),
                    headers={name.lower(): value for name, value in self.headers.items()},
                    body=body,
                )
            )
            reply = self.scripted.replies.popleft() if self.scripted.replies else None
        if reply is None:
            json_reply(500, {"error": "no reply scripted"})(self)
        else:
            reply(self)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _handle

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        # A client that gave up (a timeout test) makes the reply fail to write; that is expected.
        pass


def serve() -> Iterator[ScriptedServer]:
    """Run a scripted server for one test; use as the body of a fixture."""
    scripted = ScriptedServer()
    handler = type("BoundHandler", (Handler,), {"scripted": scripted})
    httpd = _Server(("127.0.0.1", 0), handler)
    scripted.base_url = f"http://127.0.0.1:{httpd.server_address[1]}"
    # A short poll interval makes shutdown at the end of each test quick.
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield scripted
    finally:
        scripted.stop.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=MAX_STALL)


# -- replies -------------------------------------------------------------------


def json_reply(status: int, body: object, headers: dict[str, str] | None = None) -> Reply:
    def reply(handler: Handler) -> None:
        payload = json.dumps(body).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(payload)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(payload)

    return reply


def empty_reply(status: int = 204) -> Reply:
    def reply(handler: Handler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return reply


def text_reply(text: str, content_type: str = "text/plain") -> Reply:
    def reply(handler: Handler) -> None:
        payload = text.encode()
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)

    return reply


def drop_connection() -> Reply:
    """Close the connection without a response, as a crashed proxy would."""

    def reply(handler: Handler) -> None:
        handler.close_connection = True
        handler.connection.shutdown(socket.SHUT_RDWR)

    return reply


def stall(seconds: float, then: Reply) -> Reply:
    """Wait before replying (cut short when the server stops)."""

    def reply(handler: Handler) -> None:
        handler.scripted.stop.wait(min(seconds, MAX_STALL))
        then(handler)

    return reply


def sse_reply(events: list[str], hold: float = 0.0) -> Reply:
    """Send raw event-stream blocks, each flushed at once, then close the connection.

    With `hold`, the server keeps the connection open that many seconds after
    the last event (cut short when the server stops), as a live stream does.
    """

    def reply(handler: Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/event-stream")
        handler.send_header("Cache-Control", "no-cache")
        handler.send_header("Connection", "close")
        handler.end_headers()
        for block in events:
            handler.wfile.write(block.encode())
            handler.wfile.flush()
        if hold:
            handler.scripted.stop.wait(min(hold, MAX_STALL))
        handler.close_connection = True

    return reply


def bytes_reply(total: int, chunk: bytes) -> Reply:
    """Send `total` bytes made of repeated `chunk`, written chunk by chunk."""

    def reply(handler: Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/octet-stream")
        handler.send_header("Content-Length", str(total))
        handler.end_headers()
        sent = 0
        while sent < total:
            piece = chunk[: total - sent]
            handler.wfile.write(piece)
            sent += len(piece)

    return reply


def truncated_reply(content_type: str, body: bytes, declared: int) -> Reply:
    """Declare a `Content-Length` of `declared` bytes, send `body` (fewer), and hang up."""

    def reply(handler: Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(declared))
        handler.end_headers()
        handler.wfile.write(body)
        handler.wfile.flush()
        handler.close_connection = True
        handler.connection.shutdown(socket.SHUT_RDWR)

    return reply


def widget(widget_id: str, name: str = "w") -> dict[str, str]:
    return {"id": widget_id, "name": name}
