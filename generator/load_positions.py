"""Index the line and column of every node in spec text that has already parsed.

An index is built from the text again, not during parsing, so loading stays fast
when nothing needs a location. ``load_sources._SourceFile.locate`` builds one on
first use.
"""

from __future__ import annotations

import bisect
import json
import re
from typing import Any

import yaml

from .load_parse import _MERGE, _NO_KEY, _PARSER_LOADER, _json_tokens


class _Position:
    """Line and column of one node, with its children's positions."""

    __slots__ = ("line", "column", "children")

    def __init__(
        self,
        line: int,
        column: int,
        children: dict[str, _Position] | list[_Position] | None,
    ) -> None:
        self.line = line
        self.column = column
        self.children = children

    def child(self, token: str) -> _Position | None:
        children = self.children
        if type(children) is dict:
            return children.get(token)
        if type(children) is list and token.isdigit() and int(token) < len(children):
            return children[int(token)]
        return None


def _index_yaml(text: str) -> _Position:
    """Index positions from YAML parser events (the text already loaded once)."""
    root: _Position | None = None
    stack: list[list[Any]] = []  # [children, pending key, key line, key column, merges]
    anchors: dict[str, Any] = {}
    anchor_texts: dict[str, str] = {}

    def attach(line: int, column: int, children: Any) -> None:
        nonlocal root
        if not stack:
            root = _Position(line, column, children)
            return
        frame = stack[-1]
        if type(frame[0]) is list:
            frame[0].append(_Position(line, column, children))
        elif frame[1] is _MERGE:
            frame[4].append(children)
        else:
            frame[0][frame[1]] = _Position(frame[2], frame[3], children)
        frame[1] = _NO_KEY

    event: Any
    for event in yaml.parse(text, Loader=_PARSER_LOADER):
        kind = type(event)
        mark = event.start_mark
        frame = stack[-1] if stack else None
        awaiting_key = frame is not None and type(frame[0]) is dict and frame[1] is _NO_KEY
        if kind is yaml.ScalarEvent:
            if awaiting_key:
                assert frame is not None
                is_merge = event.tag is None and event.implicit[0] and event.value == "<<"
                frame[1] = _MERGE if is_merge else event.value
                frame[2], frame[3] = mark.line + 1, mark.column + 1
            else:
                attach(mark.line + 1, mark.column + 1, None)
            if event.anchor is not None:
                anchors[event.anchor] = None
                anchor_texts[event.anchor] = event.value
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            children: Any = {} if kind is yaml.MappingStartEvent else []
            attach(mark.line + 1, mark.column + 1, children)
            if event.anchor is not None:
                anchors[event.anchor] = children
            stack.append([children, _NO_KEY, 0, 0, []])
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            done = stack.pop()
            for source in done[4]:
                for item in source if type(source) is list else [source]:
                    if type(item) is dict:
                        for key, position in item.items():
                            done[0].setdefault(key, position)
        elif kind is yaml.AliasEvent:
            if awaiting_key:
                assert frame is not None
                frame[1] = anchor_texts.get(event.anchor, event.anchor)
                frame[2], frame[3] = mark.line + 1, mark.column + 1
            else:
                attach(mark.line + 1, mark.column + 1, anchors.get(event.anchor))
    return root if root is not None else _Position(1, 1, None)


def _index_json(text: str) -> _Position:
    """Index positions by scanning JSON tokens (the text already parsed as valid JSON)."""
    line_starts = [0] + [match.end() for match in re.finditer("\n", text)]

    def line_column(offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(line_starts, offset)
        return line, offset - line_starts[line - 1] + 1

    root: _Position | None = None
    # [children, pending key or _NO_KEY, key offset, expecting a key]
    stack: list[list[Any]] = []

    def attach(offset: int, children: Any) -> None:
        nonlocal root
        if not stack:
            root = _Position(*line_column(offset), children)
            return
        frame = stack[-1]
        if type(frame[0]) is list:
            frame[0].append(_Position(*line_column(offset), children))
        else:
            frame[0][frame[1]] = _Position(*line_column(frame[2]), children)

    for token, offset in _json_tokens(text):
        first = token[0]
        frame = stack[-1] if stack else None
        if first in "{[":
            children: Any = {} if first == "{" else []
            attach(offset, children)
            stack.append([children, _NO_KEY, 0, first == "{"])
        elif first in "}]":
            stack.pop()
        elif first == ",":
            if frame is not None and type(frame[0]) is dict:
                frame[3] = True
        elif first == ":":
            continue
        elif frame is not None and frame[3]:
            frame[1] = json.loads(token) if "\\" in token else token[1:-1]
            frame[2] = offset
            frame[3] = False
        else:
            attach(offset, None)
    return root if root is not None else _Position(1, 1, None)
