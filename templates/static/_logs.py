"""The package logger, its opt-in setup from the environment, and secret redaction."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

__all__ = [
    "SENSITIVE_HEADERS",
    "log",
    "redact",
    "redacted_headers",
    "secrets_in",
    "setup_logging",
]

log = logging.getLogger(__package__)

# Lower-case names of request headers whose values are secrets; the client adds its own
# credential header at start-up.
SENSITIVE_HEADERS = {"authorization", "proxy-authorization", "cookie", "x-api-key"}

_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}
_configured = False


def setup_logging(setting: str | None) -> None:
    """Turn on request logging when `setting` (the `<PREFIX>_LOG` variable) is `info` or `debug`.

    The package logger and httpx's logger get that level. A stderr handler is
    added only when no handler is configured anywhere, so an application's
    own logging setup is left alone. Runs once per process.
    """
    global _configured
    if _configured or not setting:
        return
    level = _LEVELS.get(setting.strip().lower())
    if level is None:
        return
    _configured = True
    for name in (log.name, "httpx"):
        logger = logging.getLogger(name)
        logger.setLevel(level)
        if not logger.hasHandlers():
            handler = logging.StreamHandler()
            handler.setFormatter(
                logging.Formatter(
                    "[%(asctime)s - %(name)s:%(lineno)d - %(levelname)s] %(message)s"
                )
            )
            logger.addHandler(handler)


def _secret_parts(value: str) -> list[str]:
    # "Bearer abc" hides both the whole value and the token after the scheme.
    parts = [value]
    scheme, _, token = value.partition(" ")
    if token and scheme.isalpha():
        parts.append(token.strip())
    # NOTE: values shorter than four characters are not redacted, since hiding
    # them would garble ordinary words; such values are not real credentials.
    return [part for part in parts if len(part) >= 4]


def secrets_in(headers: Iterable[tuple[str, str]]) -> list[str]:
    """Return the secret values among request headers, longest first."""
    found: list[str] = []
    for name, value in headers:
        if name.lower() in SENSITIVE_HEADERS:
            found.extend(_secret_parts(value))
    return sorted(set(found), key=lambda part: (-len(part), part))


def redact(text: str, secrets: Iterable[str]) -> str:
    """Replace every occurrence of each secret in `text` with `***`."""
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


def redacted_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Copy headers with the values of sensitive ones replaced by `***`, for logging."""
    return {
        name: "***" if name.lower() in SENSITIVE_HEADERS else value
        for name, value in headers.items()
    }
