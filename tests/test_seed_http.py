"""The checked-in seed SDK against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from support import GENERATED, import_package


@dataclass
class Recorded:
    requests: list[dict[str, Any]] = field(default_factory=list)
    status: int = 200
    body: dict[str, Any] = field(default_factory=dict)


@pytest.fixture()
def server() -> Iterator[tuple[str, Recorded]]:
    recorded = Recorded()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - name fixed by http.server
            length = int(self.headers.get("Content-Length") or 0)
            recorded.requests.append(
                {
                    "method": "POST",
                    "path": self.path,
                    "authorization": self.headers.get("Authorization"),
                    "body": self.rfile.read(length),
                }
            )
            payload = json.dumps(recorded.body).encode()
            self.send_response(recorded.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", recorded
    finally:
        httpd.shutdown()
        httpd.server_close()


COMPLETED_RUN = {
    "id": "br_123",
    "benchmark_id": None,
    "name": "nightly",
    "start_time_ms": 1_700_000_000_000,
    "duration_ms": None,
    "state": "completed",
    "score": 0.75,
    "metadata": {"team": "infra"},
    "a_field_this_sdk_does_not_know": {"nested": True},
}


def test_complete_sends_request_and_parses(
    server: tuple[str, Recorded], clean_env: pytest.MonkeyPatch
) -> None:
    base_url, recorded = server
    recorded.body = COMPLETED_RUN
    clean_env.setenv("RUNLOOP_API_KEY", "secret-token")
    clean_env.setenv("RUNLOOP_BASE_URL", base_url)
    package = import_package(GENERATED / "src", "runloop_api_client")
    from runloop_api_client.types import BenchmarkRunState, BenchmarkRunView

    with package.Runloop() as client:
        run = client.benchmark_runs.complete("br_123")

    assert len(recorded.requests) == 1
    request = recorded.requests[0]
    assert request["method"] == "POST"
    assert request["path"] == "/v1/benchmark_runs/br_123/complete"
    assert request["authorization"] == "Bearer secret-token"
    assert isinstance(run, BenchmarkRunView)
    assert run.state is BenchmarkRunState.COMPLETED
    assert run.state == "completed"
    assert run.duration_ms is None
    assert run.benchmark_id is None
    assert run.metadata == {"team": "infra"}
    assert run.to_dict() == COMPLETED_RUN


def test_unknown_enum_value_is_kept(
    server: tuple[str, Recorded], clean_env: pytest.MonkeyPatch
) -> None:
    base_url, recorded = server
    recorded.body = {**COMPLETED_RUN, "state": "archived_by_newer_server"}
    package = import_package(GENERATED / "src", "runloop_api_client")
    client = package.Runloop(bearer_token="t", base_url=base_url)
    run = client.benchmark_runs.complete("br_123")
    assert run.state == "archived_by_newer_server"


def test_not_found_raises_typed_error(
    server: tuple[str, Recorded], clean_env: pytest.MonkeyPatch
) -> None:
    base_url, recorded = server
    recorded.status = 404
    recorded.body = {"error": "benchmark run not found"}
    package = import_package(GENERATED / "src", "runloop_api_client")
    client = package.Runloop(bearer_token="t", base_url=base_url)
    with pytest.raises(package.NotFoundError) as caught:
        client.benchmark_runs.complete("missing")
    assert caught.value.status_code == 404
    assert caught.value.body == {"error": "benchmark run not found"}
    assert isinstance(caught.value, package.APIStatusError)


def test_path_parameter_is_percent_encoded(
    server: tuple[str, Recorded], clean_env: pytest.MonkeyPatch
) -> None:
    base_url, recorded = server
    recorded.body = COMPLETED_RUN
    package = import_package(GENERATED / "src", "runloop_api_client")
    client = package.Runloop(bearer_token="t", base_url=base_url)
    client.benchmark_runs.complete("a/../b?x")
    assert recorded.requests[0]["path"] == "/v1/benchmark_runs/a%2F..%2Fb%3Fx/complete"
    with pytest.raises(ValueError, match="id"):
        client.benchmark_runs.complete("")


def test_missing_token_is_a_clear_error(clean_env: pytest.MonkeyPatch) -> None:
    package = import_package(GENERATED / "src", "runloop_api_client")
    with pytest.raises(package.RunloopError, match="RUNLOOP_API_KEY"):
        package.Runloop()
