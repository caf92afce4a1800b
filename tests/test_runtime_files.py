"""Multipart uploads and streamed binary downloads through the generated client."""

from __future__ import annotations

import asyncio
import email.parser
import email.policy
import io
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from runtime_server import (
    TOKEN,
    Recorded,
    ScriptedServer,
    bytes_reply,
    json_reply,
    serve,
    truncated_reply,
    widget_sdk,
)

FIFTY_MB = 50 * 1024 * 1024
# A 64 KiB pattern that is not all one byte, so a misplaced chunk would show.
PATTERN = bytes(range(256)) * 256


@pytest.fixture(scope="module")
def sdk(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return widget_sdk(tmp_path_factory)


@pytest.fixture()
def server() -> Iterator[ScriptedServer]:
    yield from serve()


def form_parts(request: Recorded) -> dict[str, dict[str, Any]]:
    """Parse a multipart/form-data body with the standard library's MIME parser."""
    content_type = request.headers["content-type"]
    assert content_type.startswith("multipart/form-data; boundary=")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + request.body
    )
    parts = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        parts[name] = {
            "filename": part.get_filename(),
            "content_type": part.get_content_type() if "content-type" in part else None,
            "data": part.get_payload(decode=True),
        }
    return parts


def test_upload_kinds(sdk: ModuleType, server: ScriptedServer, tmp_path: Path) -> None:
    on_disk = tmp_path / "notes.txt"
    on_disk.write_bytes(b"from a path")
    server.add(*(json_reply(200, {"ok": True}) for _ in range(4)))
    with sdk.Widget(bearer_token=TOKEN, base_url=server.base_url) as client:
        assert client.widgets.upload("w_1", path="/a", file=b"raw bytes") == {"ok": True}
        client.widgets.upload("w_1", path="/b", file=io.BytesIO(b"file object"))
        client.widgets.upload("w_1", path="/c", file=on_disk)
        client.widgets.upload("w_1", path="/d", file=("data.csv", b"x,y\n1,2\n", "text/csv"))

    uploads = [form_parts(request) for request in server.requests]
    assert [parts["path"]["data"] for parts in uploads] == [b"/a", b"/b", b"/c", b"/d"]
    assert all(parts["path"]["filename"] is None for parts in uploads)
    files = [parts["file"] for parts in uploads]
    assert [f["data"] for f in files] == [
        b"raw bytes",
        b"file object",
        b"from a path",
        b"x,y\n1,2\n",
    ]
    assert files[2]["filename"] == "notes.txt"
    assert files[3]["filename"] == "data.csv"
    assert files[3]["content_type"] == "text/csv"
    assert all(f["filename"] for f in files)


def test_upload_without_file_is_still_multipart(sdk: ModuleType, server: ScriptedServer) -> None:
    server.add(json_reply(200, {}))
    with sdk.Widget(bearer_token=TOKEN, base_url=server.base_url) as client:
        client.widgets.upload("w_1", path="/only/path")
    assert form_parts(server.requests[0]) == {
        "path": {"filename": None, "content_type": None, "data": b"/only/path"}
    }


def test_retried_upload_sends_the_whole_file(
    sdk: ModuleType, server: ScriptedServer, tmp_path: Path
) -> None:
    on_disk = tmp_path / "big.bin"
    on_disk.write_bytes(PATTERN * 4)
    server.add(json_reply(503, {}), json_reply(200, {}))
    client = sdk.Widget(bearer_token=TOKEN, base_url=server.base_url)
    client._sleep = lambda seconds: None
    with client, on_disk.open("rb") as handle:
        client.widgets.upload("w_1", path="/big", file=handle)
    assert [form_parts(r)["file"]["data"] for r in server.requests] == [PATTERN * 4] * 2


def test_bad_file_argument(sdk: ModuleType, server: ScriptedServer) -> None:
    with sdk.Widget(bearer_token=TOKEN, base_url=server.base_url) as client:
        with pytest.raises(TypeError, match="file field 'file'"):
            client.widgets.upload("w_1", path="/a", file="a str is not a file")
    assert server.requests == []


def test_download_50_mb_streams(sdk: ModuleType, server: ScriptedServer, tmp_path: Path) -> None:
    server.add(bytes_reply(FIFTY_MB, PATTERN))
    target = tmp_path / "download.bin"
    with sdk.Widget(bearer_token=TOKEN, base_url=server.base_url) as client:
        tracemalloc.start()
        try:
            response = client.widgets.download("w_1", path="/big.bin")
            response.write_to_file(target)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert response.is_closed
    assert target.stat().st_size == FIFTY_MB
    with target.open("rb") as written:
        assert written.read(len(PATTERN)) == PATTERN
        written.seek(-len(PATTERN), 2)
        assert written.read() == PATTERN
    # Reading the body whole would take 50 MB, while streaming keeps a few chunks in memory.
    assert peak < 8 * 1024 * 1024, f"peak traced memory {peak} bytes"
    request = server.requests[0]
    assert request.headers["accept"] == "application/octet-stream"
    assert request.json() == {"path": "/big.bin"}


def test_download_iter_bytes_and_read(sdk: ModuleType, server: ScriptedServer) -> None:
    server.add(bytes_reply(3 * len(PATTERN) + 5, PATTERN), bytes_reply(10, PATTERN))
    with sdk.Widget(bearer_token=TOKEN, base_url=server.base_url) as client:
        response = client.widgets.download("w_1", path="/x")
        sizes = [len(chunk) for chunk in response.iter_bytes(chunk_size=len(PATTERN))]
        assert sizes == [len(PATTERN)] * 3 + [5]
        assert response.is_closed
        assert client.widgets.download("w_1", path="/y").read() == PATTERN[:10]


def test_dropped_download_raises_connection_error(
    sdk: ModuleType, server: ScriptedServer, tmp_path: Path
) -> None:
    server.add(
        truncated_reply("application/octet-stream", PATTERN, declared=2 * len(PATTERN)),
        truncated_reply("application/octet-stream", PATTERN, declared=2 * len(PATTERN)),
    )
    with sdk.Widget(bearer_token=TOKEN, base_url=server.base_url) as client:
        with pytest.raises(sdk.APIConnectionError, match="reading the response body"):
            client.widgets.download("w_1", path="/a").write_to_file(tmp_path / "partial.bin")
        with pytest.raises(sdk.APIConnectionError):
            client.widgets.download("w_1", path="/b").read()


def test_async_download_and_upload(sdk: ModuleType, server: ScriptedServer, tmp_path: Path) -> None:
    server.add(bytes_reply(FIFTY_MB // 10, PATTERN), json_reply(200, {"ok": 1}))
    target = tmp_path / "async.bin"

    async def main() -> tuple[bool, Any]:
        async with sdk.AsyncWidget(bearer_token=TOKEN, base_url=server.base_url) as client:
            response = await client.widgets.download("w_1", path="/a")
            await response.write_to_file(target)
            uploaded = await client.widgets.upload("w_1", path="/b", file=target)
            return response.is_closed, uploaded

    closed, uploaded = asyncio.run(main())
    assert closed
    assert uploaded == {"ok": 1}
    assert target.stat().st_size == FIFTY_MB // 10
    assert form_parts(server.requests[1])["file"]["data"] == target.read_bytes()
