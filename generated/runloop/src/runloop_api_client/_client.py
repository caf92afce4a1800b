# File generated from an OpenAPI spec by sdkgen 0.1.0. Do not edit.

from __future__ import annotations

import os
from functools import cached_property
from typing import TYPE_CHECKING

from ._base_client import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    AsyncAPIClient,
    SyncAPIClient,
)
from ._exceptions import RunloopError
from ._logs import setup_logging
from ._types import NOT_GIVEN, Headers, NotGiven, Query, Timeout
from ._version import __version__

if TYPE_CHECKING:
    from typing import Self

    import httpx

    from .resources.benchmark_runs import (
        AsyncBenchmarkRunsResource,
        AsyncBenchmarkRunsResourceWithRawResponse,
        BenchmarkRunsResource,
        BenchmarkRunsResourceWithRawResponse,
    )

__all__ = ["DEFAULT_BASE_URL", "AsyncClient", "AsyncRunloop", "Client", "Runloop"]

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
        """Create a client; it opens no connection until the first request.

        Args:
          bearer_token: Defaults to the `RUNLOOP_API_KEY` environment variable.

          base_url: Defaults to the `RUNLOOP_BASE_URL` environment variable, else the API's server.

          timeout: Seconds to wait for each request, or an `httpx.Timeout`; None waits forever.

          max_retries: How many times to retry a request that failed on the network, timed
              out, or got a 408, 409, 429 or 5xx response.

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
        setup_logging(os.environ.get("RUNLOOP_LOG"))
        super().__init__(
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
            http_client=http_client,
        )

    def with_options(
        self,
        *,
        bearer_token: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        default_headers: Headers | None = None,
        set_default_headers: Headers | None = None,
        default_query: Query | None = None,
        set_default_query: Query | None = None,
        http_client: httpx.Client | None = None,
    ) -> Self:
        """Return a copy of this client with the given options changed.

        The copy shares this client's connection pool unless `http_client` is
        given. `default_headers` and `default_query` are merged into the
        current defaults; `set_default_headers` and `set_default_query`
        replace them. For one call with other options, chain:
        `client.with_options(max_retries=5).<resource>.<method>(...)`.
        """
        headers, query = self._copy_options(
            default_headers=default_headers,
            set_default_headers=set_default_headers,
            default_query=default_query,
            set_default_query=set_default_query,
        )
        client = type(self)(
            bearer_token=(
                bearer_token if bearer_token is not None else self.bearer_token
            ),
            base_url=base_url if base_url is not None else self._base_url,
            timeout=self.timeout if isinstance(timeout, NotGiven) else timeout,
            max_retries=(
                self.max_retries if isinstance(max_retries, NotGiven) else max_retries
            ),
            default_headers=headers,
            default_query=query,
            http_client=http_client,
        )
        if http_client is None:
            client._share_http_client(self)
        return client

    copy = with_options

    def _auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.bearer_token}"}

    def _user_agent(self) -> str:
        return f"runloop_api_client/{__version__}"

    @cached_property
    def with_raw_response(self) -> RunloopWithRawResponse:
        """This client's resources, with methods that return the raw response."""
        return RunloopWithRawResponse(self)

    @cached_property
    def benchmark_runs(self) -> BenchmarkRunsResource:
        from .resources.benchmark_runs import BenchmarkRunsResource

        return BenchmarkRunsResource(self)


class AsyncRunloop(AsyncAPIClient):
    """Asynchronous client for the RunLoop API."""

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
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        """Create a client; it opens no connection until the first request.

        Args:
          bearer_token: Defaults to the `RUNLOOP_API_KEY` environment variable.

          base_url: Defaults to the `RUNLOOP_BASE_URL` environment variable, else the API's server.

          timeout: Seconds to wait for each request, or an `httpx.Timeout`; None waits forever.

          max_retries: How many times to retry a request that failed on the network, timed
              out, or got a 408, 409, 429 or 5xx response.

          default_headers: Headers sent with every request.

          default_query: Query parameters sent with every request.

          http_client: An `httpx.AsyncClient` to send requests with, instead of one the client creates.
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
        setup_logging(os.environ.get("RUNLOOP_LOG"))
        super().__init__(
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
            http_client=http_client,
        )

    def with_options(
        self,
        *,
        bearer_token: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        default_headers: Headers | None = None,
        set_default_headers: Headers | None = None,
        default_query: Query | None = None,
        set_default_query: Query | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> Self:
        """Return a copy of this client with the given options changed.

        The copy shares this client's connection pool unless `http_client` is
        given. `default_headers` and `default_query` are merged into the
        current defaults; `set_default_headers` and `set_default_query`
        replace them. For one call with other options, chain:
        `client.with_options(max_retries=5).<resource>.<method>(...)`.
        """
        headers, query = self._copy_options(
            default_headers=default_headers,
            set_default_headers=set_default_headers,
            default_query=default_query,
            set_default_query=set_default_query,
        )
        client = type(self)(
            bearer_token=(
                bearer_token if bearer_token is not None else self.bearer_token
            ),
            base_url=base_url if base_url is not None else self._base_url,
            timeout=self.timeout if isinstance(timeout, NotGiven) else timeout,
            max_retries=(
                self.max_retries if isinstance(max_retries, NotGiven) else max_retries
            ),
            default_headers=headers,
            default_query=query,
            http_client=http_client,
        )
        if http_client is None:
            client._share_http_client(self)
        return client

    copy = with_options

    def _auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.bearer_token}"}

    def _user_agent(self) -> str:
        return f"runloop_api_client/{__version__}"

    @cached_property
    def with_raw_response(self) -> AsyncRunloopWithRawResponse:
        """This client's resources, with methods that return the raw response."""
        return AsyncRunloopWithRawResponse(self)

    @cached_property
    def benchmark_runs(self) -> AsyncBenchmarkRunsResource:
        from .resources.benchmark_runs import AsyncBenchmarkRunsResource

        return AsyncBenchmarkRunsResource(self)


class RunloopWithRawResponse:
    """The resources of a `Runloop`, with methods that return `APIResponse` objects."""

    def __init__(self, client: Runloop) -> None:
        self._client = client

    @cached_property
    def benchmark_runs(self) -> BenchmarkRunsResourceWithRawResponse:
        from .resources.benchmark_runs import BenchmarkRunsResourceWithRawResponse

        return BenchmarkRunsResourceWithRawResponse(self._client.benchmark_runs)


class AsyncRunloopWithRawResponse:
    """The resources of a `AsyncRunloop`, with methods that return `AsyncAPIResponse` objects."""

    def __init__(self, client: AsyncRunloop) -> None:
        self._client = client

    @cached_property
    def benchmark_runs(self) -> AsyncBenchmarkRunsResourceWithRawResponse:
        from .resources.benchmark_runs import AsyncBenchmarkRunsResourceWithRawResponse

        return AsyncBenchmarkRunsResourceWithRawResponse(self._client.benchmark_runs)


Client = Runloop
AsyncClient = AsyncRunloop
