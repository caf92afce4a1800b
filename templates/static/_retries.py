"""When to retry a failed request and how long to wait first."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Final

__all__ = [
    "INITIAL_RETRY_DELAY",
    "MAX_RETRY_AFTER",
    "MAX_RETRY_DELAY",
    "RETRYABLE_STATUS_CODES",
    "retry_delay",
    "should_retry_status",
]

INITIAL_RETRY_DELAY: Final = 0.5
"""Seconds before the first retry; each later retry waits twice as long, up to the cap."""

MAX_RETRY_DELAY: Final = 8.0
"""Cap, in seconds, on the computed backoff."""

MAX_RETRY_AFTER: Final = 60.0
"""The maximum server-requested wait (`Retry-After`, `retry-after-ms`) honoured, in seconds."""

RETRYABLE_STATUS_CODES: Final = frozenset({408, 409, 429})
"""Status codes below 500 that are retried: timeout, lock conflict, rate limit."""


def should_retry_status(status_code: int, headers: Mapping[str, str]) -> bool:
    """Tell whether a response with this status is worth retrying.

    The server can decide with `x-should-retry: true|false`; otherwise 408,
    409, 429 and every 5xx are retried.
    """
    override = headers.get("x-should-retry")
    if override == "true":
        return True
    if override == "false":
        return False
    return status_code in RETRYABLE_STATUS_CODES or status_code >= 500


def _server_delay(headers: Mapping[str, str]) -> float | None:
    """Read the wait the server requests, in seconds, or None when it requests none."""
    milliseconds = headers.get("retry-after-ms")
    if milliseconds is not None:
        try:
            return float(milliseconds) / 1000
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    # An HTTP date: wait until then.
    from email.utils import parsedate_to_datetime

    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return moment.timestamp() - time.time()


def retry_delay(retries_taken: int, headers: Mapping[str, str] | None) -> float:
    """Return the seconds to wait before retry number `retries_taken + 1`.

    A server-requested delay between 0 and `MAX_RETRY_AFTER` seconds is used
    as is. Otherwise the delay is exponential backoff from
    `INITIAL_RETRY_DELAY`, capped at `MAX_RETRY_DELAY`, less up to 25 %
    random jitter so that many clients do not retry in step.
    """
    if headers is not None:
        requested = _server_delay(headers)
        if requested is not None and 0 <= requested <= MAX_RETRY_AFTER:
            return requested
    import random

    backoff = min(INITIAL_RETRY_DELAY * 2.0**retries_taken, MAX_RETRY_DELAY)
    return backoff * (1 - 0.25 * random.random())
