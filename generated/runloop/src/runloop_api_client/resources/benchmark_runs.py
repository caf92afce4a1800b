# File generated from an OpenAPI spec by sdkgen 0.1.0. Do not edit.

from __future__ import annotations

from .._base_client import SyncAPIResource, make_request_options, path_template
from .._types import NOT_GIVEN, Body, Headers, NotGiven, Query, Timeout
from ..types.benchmark_run_view import BenchmarkRunView

__all__ = [
    "BenchmarkRunsResource",
]


class BenchmarkRunsResource(SyncAPIResource):
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
        return BenchmarkRunView.from_dict(
            self._client.request_json(
                "post",
                path_template("/v1/benchmark_runs/{id}/complete", {"id": id}),
                options=make_request_options(
                    extra_headers, extra_query, extra_body, timeout
                ),
            )
        )
