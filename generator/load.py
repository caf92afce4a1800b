"""Read a spec file (YAML or JSON), bundle relative file references, and index positions.

The loaded document is plain JSON data: mappings with str keys, lists, str, int,
float, bool and None. YAML is built from PyYAML's parser events rather than with
``yaml.load``. One pass over the events turns every mapping key into the text the
user wrote, keeps dates as strings and bounds nesting and alias expansion. It also
never recurses, while libyaml's composer (PyYAML 6.0.3) overflows an 8 MiB C stack
somewhere between 20,000 and 40,000 levels of nesting.

A ``$ref`` to another file beside the spec is bundled: a schema is copied into
``#/components/schemas/<Name>`` and the reference rewritten, anything else is inlined.
The rest of the pipeline then sees only references of the form ``#/...``.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import logging
import re
import time
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any, Literal
from urllib.parse import unquote, urlsplit

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from .errors import SourceLocation, SpecError

__all__ = [
    "LoadedSpec",
    "escape_pointer_token",
    "iter_references",
    "join_pointer",
    "load_spec",
    "resolve_pointer",
    "split_pointer",
]

log = logging.getLogger(__name__)

# The largest public specs we tried (OpenAI, Asana) are about 3 MiB. The cap keeps a
# wrong path such as a disk image or /dev/zero from exhausting memory.
MAX_FILE_BYTES = 64 * 1024 * 1024

# Nesting depth of mappings and lists, the root counting as level 1. The public specs
# we tried nest at most 30 levels. openapi-spec-validator 0.9 spends about 14 Python
# frames per schema level and hits the default recursion limit (1000) at about 140
# levels, so 100 keeps every later stage clear of RecursionError.
MAX_DEPTH = 100

# Nodes that YAML aliases may add on top of the nodes written out. A "billion laughs"
# document expands a few hundred bytes into 10**9 nodes, while the 3 MiB OpenAI spec
# has about 135,000 nodes in all.
MAX_ALIAS_NODES = 1_000_000

_PARSER_LOADER: type[Any] = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader

_SCHEMAS_PREFIX = "#/components/schemas/"
_COMPONENT_NAME_INVALID = re.compile(r"[^A-Za-z0-9._-]")


@dataclass(frozen=True, slots=True)
class LoadedSpec:
    """A parsed, bundled spec document and where each part of it came from."""

    path: Path
    document: dict[str, Any]
    content_hash: str
    _sources: _SourceIndex = field(
        default_factory=lambda: _SourceIndex(), repr=False, compare=False
    )

    def locate(self, pointer: str) -> SourceLocation | None:
        """Find the file, line and column of the value at a JSON pointer.

        A mapping member is located at its key, a list item at its value. When the
        pointer does not exist, the nearest existing ancestor is located. The position
        index is built on the first call, so loading stays fast when nothing fails.
        Returns None for a malformed pointer or a spec built without source files.
        """
        try:
            tokens = split_pointer(pointer)
        except ValueError:
            return None
        return self._sources.locate(tokens)


def load_spec(path: str | Path) -> LoadedSpec:
    """Read a spec file and bundle the files it references.

    Raises:
        SpecError: the file or a referenced file is missing, unreadable, not YAML or
            JSON, over a limit, or a ``$ref`` cannot be bundled.
    """
    started = time.perf_counter()
    main_path = Path(path)
    root_dir = main_path.absolute().parent.resolve()
    main = _read_source(main_path, str(path), root_dir)
    index = _SourceIndex()
    index.add(main, is_main=True)

    document = main.document
    if main.has_external_refs:
        document = _Bundler(index, root_dir).bundle(main)

    content_hash = _hash_sources(index)
    log.info(
        "loaded %s: %d file(s), %d bytes in %.2f s",
        path,
        len(index.files),
        sum(len(source.raw) for source in index.files.values()),
        time.perf_counter() - started,
    )
    return LoadedSpec(main_path, document, content_hash, index)


# JSON pointers ----------------------------------------------------------------------


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


# Reading one file -------------------------------------------------------------------


@dataclass(slots=True)
class _SourceFile:
    """One file read from disk, its parsed content and, once built, its position index."""

    path: Path  # resolved path, the key in _SourceIndex.files
    display: str  # the path shown in messages
    relative: str  # POSIX path relative to the spec's folder, orders the content hash
    raw: bytes
    text: str
    format: Literal["json", "yaml"]
    document: Any
    has_external_refs: bool
    positions: _Position | None = None

    def locate(self, tokens: list[str] | tuple[str, ...]) -> SourceLocation:
        if self.positions is None:
            started = time.perf_counter()
            if self.format == "json":
                self.positions = _index_json(self.text)
            else:
                self.positions = _index_yaml(self.text)
            log.debug(
                "indexed positions of %s in %.2f s",
                self.display,
                time.perf_counter() - started,
            )

        position = self.positions
        for token in tokens:
            child = position.child(token)
            if child is None:
                break
            position = child
        return SourceLocation(self.display, position.line, position.column)


def _read_source(path: Path, display: str, root_dir: Path) -> _SourceFile:
    where = SourceLocation(display)
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise SpecError("file not found", location=where) from None
    except IsADirectoryError:
        raise SpecError("expected a file, found a directory", location=where) from None
    except OSError as exc:
        raise SpecError(f"cannot read file: {exc.strerror or exc}", location=where) from None
    if len(raw) > MAX_FILE_BYTES:
        raise SpecError(
            f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB, the limit for a spec",
            location=where,
        )

    text = _decode(raw, display)
    resolved = path.resolve()
    try:
        relative = resolved.relative_to(root_dir).as_posix()
    except ValueError:
        relative = resolved.name

    if not text.strip():
        raise SpecError("file is empty", location=SourceLocation(display, 1, 1))

    fmt: Literal["json", "yaml"]
    if text.lstrip()[:1] in ("{", "["):
        fmt, document, has_external_refs = _parse_json_or_yaml(text, display, path.suffix)
    else:
        fmt = "yaml"
        document, has_external_refs = _parse_yaml(text, display)

    if document is None:
        raise SpecError(
            "file contains no data, only comments or an empty document",
            location=SourceLocation(display, 1, 1),
        )
    if not isinstance(document, dict):
        raise SpecError(
            f"top level must be a mapping of OpenAPI fields (found {_describe(document)})",
            location=SourceLocation(display, 1, 1),
        )
    return _SourceFile(resolved, display, relative, raw, text, fmt, document, has_external_refs)


def _decode(raw: bytes, display: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SpecError(
            "file is UTF-16 encoded; save it as UTF-8",
            location=SourceLocation(display, 1, 1),
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SpecError(
            f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
            location=SourceLocation(display, line, column),
        ) from None


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__} scalar"


def _parse_json_or_yaml(
    text: str, display: str, suffix: str
) -> tuple[Literal["json", "yaml"], Any, bool]:
    """Parse text that starts like JSON, falling back to YAML for a non-``.json`` file."""
    try:
        document = json.loads(text)
    except RecursionError:
        line, column = _json_too_deep_at(text)
        raise _too_deep(SourceLocation(display, line, column)) from None
    except json.JSONDecodeError as exc:
        if suffix.lower() == ".json":
            raise SpecError(
                f"invalid JSON: {exc.msg}",
                location=SourceLocation(display, exc.lineno, exc.colno),
            ) from None
        # YAML flow style also starts with '{' and allows what JSON does not
        # (comments, unquoted keys), so only a failure as YAML too is an error.
        # NOTE: json.loads keeps the last of duplicate keys silently, where the YAML
        # path rejects them.
        try:
            document, has_external_refs = _parse_yaml(text, display)
        except SpecError:
            raise SpecError(
                f"invalid JSON: {exc.msg}",
                location=SourceLocation(display, exc.lineno, exc.colno),
            ) from None
        return "yaml", document, has_external_refs

    has_external_refs = _check_json_tree(document, text, display)
    return "json", document, has_external_refs


def _too_deep(location: SourceLocation) -> SpecError:
    return SpecError(f"nesting deeper than {MAX_DEPTH} levels is not supported", location=location)


def _check_json_tree(document: Any, text: str, display: str) -> bool:
    """Check the nesting depth of parsed JSON and report whether a ``$ref`` names a file."""
    has_external_refs = False
    stack: list[tuple[Any, int]] = [(document, 0)]
    while stack:
        node, depth = stack.pop()
        if depth >= MAX_DEPTH:
            line, column = _json_too_deep_at(text)
            raise _too_deep(SourceLocation(display, line, column))
        if type(node) is dict:
            ref = node.get("$ref")
            if type(ref) is str and not ref.startswith("#"):
                has_external_refs = True
            children: Any = node.values()
        elif type(node) is list:
            children = node
        else:
            continue
        for child in children:
            if type(child) is dict or type(child) is list:
                stack.append((child, depth + 1))
    return has_external_refs


# YAML -------------------------------------------------------------------------------


class _JsonCompatibleResolver(Resolver):
    """YAML 1.1 scalar resolution in which a plain ``=`` is a string.

    PyYAML resolves ``=`` to the YAML 1.1 "value" type and has no constructor for it.
    """

    # NOTE: values still follow YAML 1.1, as PyYAML does, so an unquoted `yes`, `no`,
    # `on` or `off` loads as a boolean although OpenAPI names YAML 1.2 (keys keep the
    # text as written).


_JsonCompatibleResolver.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:value"]
    for first, resolvers in Resolver.yaml_implicit_resolvers.items()
}

_RESOLVER = _JsonCompatibleResolver()
_CONSTRUCTOR = SafeConstructor()
_TAG = "tag:yaml.org,2002:"
# Dates and timestamps keep the text as written: OpenAPI examples and defaults are
# compared with JSON payloads, where a date is a string.
_STR_TAGS = frozenset({None, "!", _TAG + "str", _TAG + "timestamp"})
_MAP_TAGS = frozenset({None, "!", _TAG + "map"})
_SEQ_TAGS = frozenset({None, "!", _TAG + "seq"})
_NO_KEY = object()  # a mapping frame waiting for its next key
_MERGE = object()  # the pending key is YAML's merge key '<<'
_OPEN = object()  # an anchor whose node has not ended yet


def _construct_scalar(event: Any) -> Any:
    tag = event.tag
    if tag is None and event.implicit[0]:
        tag = _RESOLVER.resolve(ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
    if tag in _STR_TAGS or tag == _TAG + "merge":
        return event.value
    if tag == _TAG + "null":
        return None
    if tag == _TAG + "bool":
        return _CONSTRUCTOR.construct_yaml_bool(ScalarNode(tag, event.value))
    if tag == _TAG + "int":
        return _CONSTRUCTOR.construct_yaml_int(ScalarNode(tag, event.value))
    if tag == _TAG + "float":
        return _CONSTRUCTOR.construct_yaml_float(ScalarNode(tag, event.value))
    raise _unsupported_tag(tag, event)


class _RejectedYaml(Exception):
    """A YAML construct that parses but is not accepted in a spec."""

    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


def _unsupported_tag(tag: str | None, event: Any) -> _RejectedYaml:
    shown = "!!" + tag[len(_TAG) :] if tag and tag.startswith(_TAG) else tag
    return _RejectedYaml(
        f"not supported: YAML tag {shown} (a spec must be plain JSON data)",
        event.start_mark,
    )


class _YamlFrame:
    """An open mapping or list while building a document from parser events."""

    __slots__ = ("container", "key", "anchor", "nodes_before", "merges")

    def __init__(self, container: Any, anchor: str | None, nodes_before: int) -> None:
        self.container = container
        self.key: Any = _NO_KEY
        self.anchor = anchor
        self.nodes_before = nodes_before
        self.merges: list[Any] | None = None


class _YamlBuilder:
    """Build JSON data from a YAML event stream, enforcing the limits as it goes."""

    def __init__(self) -> None:
        self.root: Any = None
        self.stack: list[_YamlFrame] = []
        # anchor name -> (value, node count, text for a scalar anchor)
        self.anchors: dict[str, tuple[Any, int, str | None] | object] = {}
        self.nodes = 0
        self.alias_nodes = 0
        self.documents = 0
        self.has_external_refs = False

    def feed(self, event: Any) -> None:
        kind = type(event)
        if kind is yaml.ScalarEvent:
            self._scalar(event)
        elif kind is yaml.MappingStartEvent:
            if event.tag not in _MAP_TAGS:
                raise _unsupported_tag(event.tag, event)
            self._start({}, event)
        elif kind is yaml.SequenceStartEvent:
            if event.tag not in _SEQ_TAGS:
                raise _unsupported_tag(event.tag, event)
            self._start([], event)
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            self._end(event)
        elif kind is yaml.AliasEvent:
            self._alias(event)
        elif kind is yaml.DocumentStartEvent:
            self.documents += 1
            if self.documents > 1:
                raise _RejectedYaml(
                    "expected one YAML document, found a second one",
                    event.start_mark,
                )

    def _scalar(self, event: Any) -> None:
        self.nodes += 1
        frame = self.stack[-1] if self.stack else None
        if frame is not None and frame.key is _NO_KEY and type(frame.container) is dict:
            # Keys keep the text as written, so `200:` gives "200" and `yes:` gives "yes".
            if event.tag is None and event.implicit[0] and event.value == "<<":
                frame.key = _MERGE
            else:
                self._set_key(frame, event.value, event)
            if event.anchor is not None:
                self.anchors[event.anchor] = (event.value, 1, event.value)
            return

        value = _construct_scalar(event)
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, 1, event.value)
        self._attach(value)

    def _set_key(self, frame: _YamlFrame, key: str, event: Any) -> None:
        if key in frame.container:
            raise _RejectedYaml(
                f"duplicate key {key!r} in a mapping",
                event.start_mark,
            )
        frame.key = key

    def _start(self, container: Any, event: Any) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise _too_deep_error(event)
        frame = self.stack[-1] if self.stack else None
        if frame is not None and frame.key is _NO_KEY and type(frame.container) is dict:
            raise _RejectedYaml(
                "mapping keys must be strings, found a mapping or list as a key",
                event.start_mark,
            )
        self._attach(container)
        if event.anchor is not None:
            self.anchors[event.anchor] = _OPEN
        self.stack.append(_YamlFrame(container, event.anchor, self.nodes))
        self.nodes += 1

    def _end(self, event: Any) -> None:
        frame = self.stack.pop()
        if frame.merges and not _apply_merges(frame.container, frame.merges):
            raise _RejectedYaml(
                "merge key '<<' needs a mapping or a list of mappings", event.start_mark
            )
        if frame.anchor is not None:
            self.anchors[frame.anchor] = (
                frame.container,
                self.nodes - frame.nodes_before,
                None,
            )

    def _alias(self, event: Any) -> None:
        anchor = self.anchors.get(event.anchor)
        if anchor is None:
            raise _RejectedYaml(
                f"alias *{event.anchor} names no anchor defined before it",
                event.start_mark,
            )
        if anchor is _OPEN:
            raise _RejectedYaml(
                f"alias *{event.anchor} refers to a node that contains it",
                event.start_mark,
            )
        assert isinstance(anchor, tuple)
        value, size, text = anchor
        self.nodes += size
        self.alias_nodes += size
        if self.alias_nodes > MAX_ALIAS_NODES:
            raise _RejectedYaml(
                f"YAML aliases expand to more than {MAX_ALIAS_NODES:,} nodes",
                event.start_mark,
            )

        frame = self.stack[-1] if self.stack else None
        if frame is not None and frame.key is _NO_KEY and type(frame.container) is dict:
            if text is None:
                raise _RejectedYaml(
                    "mapping keys must be strings, found an alias of a mapping or list",
                    event.start_mark,
                )
            self._set_key(frame, text, event)
            return
        self._attach(value)

    def _attach(self, value: Any) -> None:
        if not self.stack:
            self.root = value
            return
        frame = self.stack[-1]
        container = frame.container
        if type(container) is list:
            container.append(value)
            return

        key = frame.key
        frame.key = _NO_KEY
        if key is _MERGE:
            if frame.merges is None:
                frame.merges = []
            frame.merges.append(value)
            return
        container[key] = value
        if key == "$ref" and type(value) is str and not value.startswith("#"):
            self.has_external_refs = True


def _apply_merges(mapping: dict[str, Any], merges: list[Any]) -> bool:
    """Apply YAML merge keys: explicit keys win, then earlier merged mappings.

    Returns False, changing nothing, when a merged value is not a mapping.
    """
    merged: dict[str, Any] = {}
    for source in merges:
        for item in source if type(source) is list else [source]:
            if type(item) is not dict:
                return False
            for key, value in item.items():
                merged.setdefault(key, value)
    explicit = dict(mapping)
    mapping.clear()
    mapping.update(merged)
    mapping.update(explicit)
    return True


def _too_deep_error(event: Any) -> _RejectedYaml:
    return _RejectedYaml(
        f"nesting deeper than {MAX_DEPTH} levels is not supported",
        event.start_mark,
    )


def _parse_yaml(text: str, display: str) -> tuple[Any, bool]:
    """Parse YAML text into JSON data, and report whether a ``$ref`` names another file."""
    builder = _YamlBuilder()
    try:
        for event in yaml.parse(text, Loader=_PARSER_LOADER):
            builder.feed(event)
    except _RejectedYaml as exc:
        location = SourceLocation(display, exc.mark.line + 1, exc.mark.column + 1)
        raise SpecError(exc.message, location=location) from None
    except yaml.YAMLError as exc:
        raise _yaml_spec_error(exc, text, display) from None
    return builder.root, builder.has_external_refs


def _yaml_spec_error(exc: yaml.YAMLError, text: str, display: str) -> SpecError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem:
        problem = f"{exc.problem} ({exc.context})" if exc.context else exc.problem
    elif isinstance(exc, yaml.reader.ReaderError) and isinstance(exc.character, int):
        problem = f"character #x{exc.character:04x} not allowed: {exc.reason}"
    else:
        problem = str(exc)
    message = f"invalid YAML: {problem}"

    if mark is not None:
        return SpecError(message, location=SourceLocation(display, mark.line + 1, mark.column + 1))
    position = getattr(exc, "position", None)  # yaml.reader.ReaderError
    if isinstance(position, int):
        line = text.count("\n", 0, position) + 1
        column = position - (text.rfind("\n", 0, position) + 1) + 1
        return SpecError(message, location=SourceLocation(display, line, column))
    return SpecError(message, location=SourceLocation(display))


# Position index ---------------------------------------------------------------------


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


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+')


def _json_tokens(text: str) -> Iterator[tuple[str, int]]:
    for match in _JSON_TOKEN.finditer(text):
        yield match.group(), match.start()


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


def _json_too_deep_at(text: str) -> tuple[int, int]:
    """Find where JSON nesting first exceeds MAX_DEPTH, as a 1-based line and column."""
    depth = 0
    for token, offset in _json_tokens(text):
        if token in ("{", "["):
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, offset) + 1
                return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
        elif token in ("}", "]"):
            depth -= 1
    return 1, 1


# All files of one spec --------------------------------------------------------------


class _SourceIndex:
    """The files a spec was read from, and which part of the bundled document came from where."""

    def __init__(self) -> None:
        self.files: dict[Path, _SourceFile] = {}
        self.main: Path | None = None
        # Pointer tokens in the bundled document -> (file, pointer tokens in that file).
        self.origins: dict[tuple[str, ...], tuple[Path, tuple[str, ...]]] = {}

    def add(self, source: _SourceFile, is_main: bool = False) -> None:
        self.files[source.path] = source
        if is_main:
            self.main = source.path

    def locate(self, tokens: list[str]) -> SourceLocation | None:
        if self.main is None:
            return None
        for length in range(len(tokens), 0, -1):
            origin = self.origins.get(tuple(tokens[:length]))
            if origin is not None:
                path, base = origin
                return self.files[path].locate((*base, *tokens[length:]))
        return self.files[self.main].locate(tokens)


def _hash_sources(index: _SourceIndex) -> str:
    """Hash the main file's bytes, then each referenced file's name and bytes in name order."""
    assert index.main is not None
    digest = hashlib.sha256(index.files[index.main].raw)
    others = sorted(
        (source for path, source in index.files.items() if path != index.main),
        key=lambda source: source.relative,
    )
    for source in others:
        digest.update(b"\0" + source.relative.encode() + b"\0")
        digest.update(source.raw)
    return digest.hexdigest()


# Bundling ---------------------------------------------------------------------------


class _Context(Enum):
    """What the value at a position in an OpenAPI document is, as far as ``$ref`` goes."""

    OBJECT = "object"  # an OpenAPI object with fixed fields: a ``$ref`` there is inlined
    NAMED_MAP = "named map"  # a mapping from user-chosen names to OpenAPI objects
    SCHEMA = "schema"  # a schema: a ``$ref`` there is hoisted into components/schemas
    SCHEMA_MAP = "schema map"  # a mapping whose values are schemas
    SCHEMA_LIST = "schema list"  # a list whose items are schemas
    DATA = "data"  # literal values (examples, defaults, extensions): ``$ref`` means nothing


_SUBSCHEMA_KEYS = frozenset(
    {
        "items",
        "additionalItems",
        "additionalProperties",
        "not",
        "contains",
        "propertyNames",
        "if",
        "then",
        "else",
        "unevaluatedItems",
        "unevaluatedProperties",
        "contentSchema",
    }
)
_SCHEMA_MAP_KEYS = frozenset(
    {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}
)
_SCHEMA_LIST_KEYS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
_SCHEMA_DATA_KEYS = frozenset({"example", "examples", "default", "enum", "const"})
# Fields of OpenAPI objects whose value maps names the user chose to objects, so a
# name such as "example" or "default" there is not a keyword.
_NAMED_MAP_KEYS = frozenset(
    {
        "paths",
        "webhooks",
        "responses",
        "parameters",
        "headers",
        "content",
        "examples",
        "links",
        "callbacks",
        "encoding",
        "variables",
        "requestBodies",
        "securitySchemes",
        "pathItems",
    }
)
# Fields of OpenAPI objects holding literal values: `example` of a parameter, header
# or media type, and `value` of an Example Object.
# NOTE: discriminator `mapping` values are plain strings, not `$ref` objects, so one
# naming another file (`pet.yaml#/Pet`) is neither bundled nor rewritten.
_OBJECT_DATA_KEYS = frozenset({"example", "value"})


def _child_context(context: _Context, key: str, value: Any) -> _Context:
    if context is _Context.SCHEMA_MAP or context is _Context.SCHEMA_LIST:
        return _Context.SCHEMA
    if context is _Context.NAMED_MAP:
        return _Context.OBJECT
    if key.startswith("x-"):
        return _Context.DATA
    if context is _Context.SCHEMA:
        if key in _SUBSCHEMA_KEYS:
            # Draft 4-7 tuple validation writes `items` as a list of schemas.
            return _Context.SCHEMA_LIST if type(value) is list else _Context.SCHEMA
        if key in _SCHEMA_MAP_KEYS:
            return _Context.SCHEMA_MAP
        if key in _SCHEMA_LIST_KEYS:
            return _Context.SCHEMA_LIST
        if key in _SCHEMA_DATA_KEYS:
            return _Context.DATA
        return _Context.OBJECT
    if key == "schema":
        return _Context.SCHEMA
    if key == "schemas":
        return _Context.SCHEMA_MAP
    if key in _OBJECT_DATA_KEYS:
        return _Context.DATA
    if key in _NAMED_MAP_KEYS and type(value) is dict:
        return _Context.NAMED_MAP
    return _Context.OBJECT


def iter_references(
    document: Mapping[str, Any],
) -> Iterator[tuple[tuple[str, ...], str]]:
    """Yield the pointer tokens and value of every ``$ref`` that OpenAPI reads as a reference.

    Skips ``$ref`` keys inside literal data (examples, defaults, enums, ``x-`` extensions)
    and property names that happen to be ``$ref``.
    """
    stack: list[tuple[Any, _Context, tuple[str, ...]]] = [(document, _Context.OBJECT, ())]
    while stack:
        node, context, tokens = stack.pop()
        if type(node) is dict:
            ref = node.get("$ref")
            if type(ref) is str and context in (_Context.OBJECT, _Context.SCHEMA):
                yield tokens, ref
            items: Any = node.items()
        elif type(node) is list:
            items = ((str(position), item) for position, item in enumerate(node))
        else:
            continue
        pending = []
        for key, value in items:
            if type(value) is not dict and type(value) is not list:
                continue
            child_context: _Context
            if type(node) is list:
                child_context = _Context.SCHEMA if context is _Context.SCHEMA_LIST else context
            else:
                child_context = _child_context(context, key, value)
            if child_context is not _Context.DATA:
                pending.append((value, child_context, (*tokens, key)))
        stack.extend(reversed(pending))  # document order


@dataclass(slots=True)
class _RefSite:
    """Where a ``$ref`` was written: its pointer in the bundled document and in its file."""

    out_tokens: tuple[str, ...]
    file: Path
    file_tokens: tuple[str, ...]


class _Bundler:
    """Copy what relative file references point at into the main document."""

    def __init__(self, index: _SourceIndex, root_dir: Path) -> None:
        assert index.main is not None
        self.index = index
        self.root_dir = root_dir
        self.main = index.main
        self.out_path: list[str] = []
        self.file_path: list[str] = []
        self.hoisted: dict[tuple[Path, str], str] = {}
        self.new_schemas: dict[str, Any] = {}
        self.queue: deque[tuple[tuple[Path, str], str, _RefSite]] = deque()
        self.inlining: list[tuple[Path, str]] = []
        self.taken_names: set[str] = set()

    def bundle(self, main: _SourceFile) -> dict[str, Any]:
        components = main.document.get("components")
        schemas = components.get("schemas") if isinstance(components, dict) else None
        if isinstance(schemas, dict):
            self.taken_names.update(schemas)
            self._claim_component_names(schemas)

        document: dict[str, Any] = self._walk(main.document, _Context.OBJECT, self.main)
        while self.queue:
            target, name, site = self.queue.popleft()
            self.new_schemas[name] = self._walk_hoisted(target, name, site)

        if self.new_schemas:
            document = self._add_schemas(document, main)
        return document

    def _claim_component_names(self, schemas: dict[str, Any]) -> None:
        """Bundle ``components/schemas/Pet: {$ref: pet.yaml#/Pet}`` under the name Pet.

        Done before the walk, so references from anywhere else reuse that name.
        """
        for name, schema in schemas.items():
            if not (isinstance(schema, dict) and len(schema) == 1):
                continue
            ref = schema.get("$ref")
            if not isinstance(ref, str) or ref.startswith("#"):
                continue
            tokens = ("components", "schemas", name)
            site = _RefSite(tokens, self.main, tokens)
            target = self._target(ref, site)
            if target[0] != self.main and target not in self.hoisted:
                self._resolve_target(target, ref, site)
                self._register(target, name, ref, site)

    def _add_schemas(self, document: dict[str, Any], main: _SourceFile) -> dict[str, Any]:
        components = document.get("components", {})
        schemas = components.get("schemas", {}) if isinstance(components, dict) else None
        if not isinstance(schemas, dict):
            raise SpecError(
                "cannot add referenced schemas: components/schemas must be a mapping",
                "#/components",
                main.locate(("components",)),
            )
        document = dict(document)
        document["components"] = {
            **components,
            "schemas": {**schemas, **self.new_schemas},
        }
        return document

    # The walk returns the node itself when nothing under it changed, so a document
    # is copied only along the paths that lead to a rewritten reference.

    def _walk(self, node: Any, context: _Context, file: Path) -> Any:
        if len(self.out_path) >= MAX_DEPTH:
            raise SpecError(
                f"nesting deeper than {MAX_DEPTH} levels after inlining referenced files",
                _pointer_from_tokens(self.out_path),
                self._locate_in(file, self.file_path),
            )
        if type(node) is dict:
            if context in (_Context.OBJECT, _Context.SCHEMA) and type(node.get("$ref")) is str:
                return self._reference(node, context, file)
            return self._walk_members(node, context, file, skip=None)
        if type(node) is list:
            return self._walk_items(node, context, file)
        return node

    def _walk_members(
        self, node: dict[str, Any], context: _Context, file: Path, skip: str | None
    ) -> dict[str, Any]:
        changed: dict[str, Any] | None = None
        for key, value in node.items():
            if key == skip or (type(value) is not dict and type(value) is not list):
                continue
            child_context = _child_context(context, key, value)
            if child_context is _Context.DATA:
                continue
            self.out_path.append(key)
            self.file_path.append(key)
            new_value = self._walk(value, child_context, file)
            self.out_path.pop()
            self.file_path.pop()
            if new_value is not value:
                if changed is None:
                    changed = dict(node)
                changed[key] = new_value
        return node if changed is None else changed

    def _walk_items(self, node: list[Any], context: _Context, file: Path) -> list[Any]:
        item_context = _Context.SCHEMA if context is _Context.SCHEMA_LIST else context
        changed: list[Any] | None = None
        for position, item in enumerate(node):
            if type(item) is not dict and type(item) is not list:
                continue
            self.out_path.append(str(position))
            self.file_path.append(str(position))
            new_item = self._walk(item, item_context, file)
            self.out_path.pop()
            self.file_path.pop()
            if new_item is not item:
                if changed is None:
                    changed = list(node)
                changed[position] = new_item
        return node if changed is None else changed

    def _reference(self, node: dict[str, Any], context: _Context, file: Path) -> Any:
        ref: str = node["$ref"]
        if ref.startswith("#") and file == self.main:
            # A local reference in the main file stays as written.
            return self._walk_members(node, context, file, skip="$ref")

        site = _RefSite(tuple(self.out_path), file, tuple(self.file_path))
        target = self._target(ref, site)
        if target[0] == self.main:
            new_ref = "#" + target[1]
        elif context is _Context.SCHEMA:
            new_ref = _SCHEMAS_PREFIX + self._hoist(target, ref, site)
        else:
            return self._inline(node, context, target, ref, site)

        rest = self._walk_members(node, context, file, skip="$ref")
        return {key: new_ref if key == "$ref" else rest[key] for key in node}

    def _target(self, ref: str, site: _RefSite) -> tuple[Path, str]:
        """Return the file and fragment a ``$ref`` names, reading the file if it is new."""
        file_part, _, fragment = ref.partition("#")
        if fragment and not fragment.startswith("/"):
            raise self._error(
                f"not supported: $ref {ref!r}: the part after '#' must be a JSON "
                "pointer starting with '/'",
                site,
            )
        if not file_part:
            return site.file, fragment
        return self._target_file(file_part, site.file, ref, site), fragment

    def _target_file(self, file_part: str, file: Path, ref: str, site: _RefSite) -> Path:
        """Check a reference's file part and read the file it names."""
        parts = urlsplit(file_part)
        if parts.netloc or len(parts.scheme) > 1:
            raise self._error(
                f"remote $ref not supported: {ref!r}; the generator never fetches URLs, "
                "so download the file and reference it by relative path",
                site,
            )
        relative = unquote(file_part)
        if (
            PurePosixPath(relative).is_absolute()
            or PureWindowsPath(relative).is_absolute()
            or PureWindowsPath(relative).drive
        ):
            raise self._error(
                f"absolute path in $ref not supported: {ref!r}; reference the file by a path "
                "relative to the spec",
                site,
            )

        target = (file.parent / relative).resolve()
        if target == self.main:
            return target
        if not target.is_relative_to(self.root_dir):
            raise self._error(
                f"$ref {ref!r} points outside the spec's folder ({self.root_dir}); "
                "only files in that folder or below it are read",
                site,
            )
        if target not in self.index.files:
            main_display = self.index.files[self.main].display
            display = str(Path(main_display).parent / target.relative_to(self.root_dir))
            if not target.is_file():
                raise self._error(f"$ref {ref!r}: file {display} not found", site)
            self.index.add(_read_source(target, display, self.root_dir))
        return target

    def _resolve_target(self, target: tuple[Path, str], ref: str, site: _RefSite) -> Any:
        path, fragment = target
        source = self.index.files[path]
        try:
            return resolve_pointer(source.document, unquote(fragment))
        except (LookupError, ValueError):
            raise self._error(
                f"$ref {ref!r} not found: {source.display} has nothing at #{fragment}",
                site,
            ) from None

    def _hoist(self, target: tuple[Path, str], ref: str, site: _RefSite) -> str:
        name = self.hoisted.get(target)
        if name is None:
            self._resolve_target(target, ref, site)  # report a missing target at this $ref
            name = self._new_schema_name(target)
            self._register(target, name, ref, site)
        return name

    def _register(self, target: tuple[Path, str], name: str, ref: str, site: _RefSite) -> None:
        self.taken_names.add(name)
        self.hoisted[target] = name
        self.new_schemas[name] = None  # keeps the order of first reference
        self.queue.append((target, name, site))
        log.debug("bundled %s as %s%s", ref, _SCHEMAS_PREFIX, name)

    def _new_schema_name(self, target: tuple[Path, str]) -> str:
        """Name a hoisted schema after the last pointer token, else the file name."""
        tokens = split_pointer(unquote(target[1]))
        if tokens and not tokens[-1].isdigit():
            base = tokens[-1]
        else:
            base = target[0].name.split(".")[0]
        base = _COMPONENT_NAME_INVALID.sub("_", base) or "Schema"
        name = base
        suffix = 2
        while name in self.taken_names:
            name = f"{base}{suffix}"
            suffix += 1
        return name

    def _walk_hoisted(self, target: tuple[Path, str], name: str, site: _RefSite) -> Any:
        path, fragment = target
        node = self.index.files[path].document
        node = resolve_pointer(node, unquote(fragment))
        file_tokens = tuple(split_pointer(unquote(fragment)))
        out_tokens = ("components", "schemas", name)
        self.index.origins[out_tokens] = (path, file_tokens)
        self.out_path, self.file_path = list(out_tokens), list(file_tokens)
        return self._walk(node, _Context.SCHEMA, path)

    def _inline(
        self,
        node: dict[str, Any],
        context: _Context,
        target: tuple[Path, str],
        ref: str,
        site: _RefSite,
    ) -> Any:
        if target in self.inlining:
            raise self._error(f"$ref {ref!r} leads back to itself through non-schema objects", site)
        content = self._resolve_target(target, ref, site)

        path, fragment = target
        file_tokens = split_pointer(unquote(fragment))
        self.index.origins[site.out_tokens] = (path, tuple(file_tokens))
        saved_file_path = self.file_path
        self.inlining.append(target)
        self.file_path = list(file_tokens)
        result = self._walk(content, context, path)
        self.file_path = saved_file_path
        self.inlining.pop()

        # OpenAPI 3.1 lets `summary` and `description` beside a $ref override the target's.
        siblings = self._walk_members(node, context, site.file, skip="$ref")
        siblings = {key: value for key, value in siblings.items() if key != "$ref"}
        if siblings and type(result) is dict:
            result = {**result, **siblings}
        return result

    def _locate_in(self, file: Path, tokens: list[str] | tuple[str, ...]) -> SourceLocation:
        return self.index.files[file].locate(tokens)

    def _error(self, message: str, site: _RefSite) -> SpecError:
        return SpecError(
            message,
            _pointer_from_tokens((*site.out_tokens, "$ref")),
            self._locate_in(site.file, (*site.file_tokens, "$ref")),
        )
