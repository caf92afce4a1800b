# File generated from an OpenAPI spec by sdkgen 0.1.0. Do not edit.

from __future__ import annotations

from functools import cached_property

from .._base_client import (
    AsyncAPIResource,
    SyncAPIResource,
    make_request_options,
    path_template,
)
from .._response import async_to_raw_response_wrapper, to_raw_response_wrapper
from .._types import NOT_GIVEN, Body, Headers, NotGiven, Query, Timeout
from ..types.benchmark_run_view import BenchmarkRunView

__all__ = [
    "AsyncBenchmarkRunsResource",
    "AsyncBenchmarkRunsResourceWithRawResponse",
    "BenchmarkRunsResource",
    "BenchmarkRunsResourceWithRawResponse",
]


class BenchmarkRunsResource(SyncAPIResource):
    @cached_property
    def with_raw_response(self) -> BenchmarkRunsResourceWithRawResponse:
        """This resource with methods that return the raw response (`status_code`, `headers`, `parse()`)."""
        return BenchmarkRunsResourceWithRawResponse(self)

    def complete(
        self,
        id: str,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> BenchmarkRunView:
        """Complete a BenchmarkRun.

        Complete a currently running BenchmarkRun.

        Args:
          id: The BenchmarkRun ID.

          extra_headers: Send extra headers

          extra_query: Add additional query parameters to the request

          extra_body: Add additional JSON properties to the request

          timeout: Override the client-level default timeout for this request, in seconds
        """
        return self._client.request(
            "post",
            path_template("/v1/benchmark_runs/{id}/complete", {"id": id}),
            options=make_request_options(
                extra_headers, extra_query, extra_body, timeout
            ),
            cast=BenchmarkRunView.from_dict,
        )


class AsyncBenchmarkRunsResource(AsyncAPIResource):
    @cached_property
    def with_raw_response(self) -> AsyncBenchmarkRunsResourceWithRawResponse:
        """This resource with methods that return the raw response (`status_code`, `headers`, `parse()`)."""
        return AsyncBenchmarkRunsResourceWithRawResponse(self)

    async def complete(
        self,
        id: str,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> BenchmarkRunView:
        """Complete a BenchmarkRun.

        Complete a currently running BenchmarkRun.

        Args:
          id: The BenchmarkRun ID.

          extra_headers: Send extra headers

          extra_query: Add additional query parameters to the request

          extra_body: Add additional JSON properties to the request

          timeout: Override the client-level default timeout for this request, in seconds
        """
        return await self._client.request(
            "post",
            path_template("/v1/benchmark_runs/{id}/complete", {"id": id}),
            options=make_request_options(
                extra_headers, extra_query, extra_body, timeout
            ),
            cast=BenchmarkRunView.from_dict,
        )


class BenchmarkRunsResourceWithRawResponse:
    def __init__(self, resource: BenchmarkRunsResource) -> None:
        self._resource = resource
        self.complete = to_raw_response_wrapper(resource.complete)


class AsyncBenchmarkRunsResourceWithRawResponse:
    def __init__(self, resource: AsyncBenchmarkRunsResource) -> None:
        self._resource = resource
        self.complete = async_to_raw_response_wrapper(resource.complete)
