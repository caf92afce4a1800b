"""JSON pointers (RFC 6901): split, escape, join and resolve."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def split_pointer(pointer: str) -> list[str]:
    """Split a JSON pointer (with or without the leading ``#``) into unescaped tokens.

    Raises:
        ValueError: the pointer is neither empty nor starts with ``/``.
    """
    if pointer.startswith("#"):
        pointer = pointer[1:]
    if not pointer:
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"JSON pointer must start with '/': {pointer!r}")
    return [token.replace("~1", "/").replace("~0", "~") for token in pointer[1:].split("/")]


def escape_pointer_token(token: str) -> str:
    """Escape one JSON pointer token (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


def join_pointer(pointer: str, *tokens: str | int) -> str:
    """Append tokens to a ``#``-prefixed JSON pointer, escaping each one."""
    return pointer + "".join("/" + escape_pointer_token(str(token)) for token in tokens)


def resolve_pointer(document: Mapping[str, Any], pointer: str) -> Any:
    """Return the value at a JSON pointer.

    Raises:
        KeyError: a mapping has no such key, or a token steps into a scalar.
        IndexError: a list index is out of range or not a plain decimal number.
        ValueError: the pointer is malformed.
    """
    node: Any = document
    for token in split_pointer(pointer):
        node = _child(node, token)
    return node


def _child(node: Any, token: str) -> Any:
    if isinstance(node, Mapping):
        return node[token]
    if isinstance(node, list):
        if not token.isdigit() or (len(token) > 1 and token[0] == "0"):
            raise IndexError(f"not a list index: {token!r}")
        return node[int(token)]
    raise KeyError(token)


def _pointer_from_tokens(tokens: Iterable[str]) -> str:
    return join_pointer("#", *tokens)
