# File generated from an OpenAPI spec by sdkgen 0.1.0. Do not edit.

from __future__ import annotations

import os
from functools import cached_property
from typing import TYPE_CHECKING

import httpx

from ._base_client import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, SyncAPIClient
from ._exceptions import RunloopError
from ._types import Headers, Query, Timeout
from ._version import __version__

if TYPE_CHECKING:
    from .resources.benchmark_runs import BenchmarkRunsResource

__all__ = [
    "Client",
    "Runloop",
]

DEFAULT_BASE_URL = "https://api.runloop.ai"


class Runloop(SyncAPIClient):
    """Synchronous client for the RunLoop API."""

    bearer_token: str

    def __init__(
        self,
        *,
        bearer_token: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Headers | None = None,
        default_query: Query | None = None,
        http_client: httpx.Client | None = None,
    ) -> None:
        """Create a client.

        Args:
          bearer_token: Defaults to the `RUNLOOP_API_KEY` environment variable.

          base_url: Defaults to the `RUNLOOP_BASE_URL` environment variable, else the API's server.

          timeout: Seconds to wait for each request, or an `httpx.Timeout`.

          max_retries: How many times to retry a request that failed on the network.

          default_headers: Headers sent with every request.

          default_query: Query parameters sent with every request.

          http_client: An `httpx.Client` to send requests with, instead of one the client creates.
        """
        if bearer_token is None:
            bearer_token = os.environ.get("RUNLOOP_API_KEY")
        if bearer_token is None:
            raise RunloopError(
                "The bearer_token client option must be set either by passing bearer_token to the client or by setting the RUNLOOP_API_KEY environment variable"
            )
        self.bearer_token = bearer_token

        if base_url is None:
            base_url = os.environ.get("RUNLOOP_BASE_URL") or DEFAULT_BASE_URL
        super().__init__(
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
            http_client=http_client,
        )

    def _auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.bearer_token}"}

    def _user_agent(self) -> str:
        return f"runloop_api_client/{__version__}"

    @cached_property
    def benchmark_runs(self) -> BenchmarkRunsResource:
        from .resources.benchmark_runs import BenchmarkRunsResource

        return BenchmarkRunsResource(self)


Client = Runloop
