"""Parse spec text, JSON or YAML, into plain JSON data within the nesting and alias limits.

The result is mappings with str keys, lists, str, int, float, bool and None. YAML
is built from PyYAML's parser events rather than with ``yaml.load``. One pass over
the events turns every mapping key into the text the user wrote, keeps dates as
strings and bounds nesting and alias expansion. It also never recurses, while
libyaml's composer (PyYAML 6.0.3) overflows an 8 MiB C stack somewhere between
20,000 and 40,000 levels of nesting.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, Literal

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from .errors import SourceLocation, SpecError
from .load_pointers import join_pointer

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


# JSON -------------------------------------------------------------------------------


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


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+')


def _json_tokens(text: str) -> Iterator[tuple[str, int]]:
    for match in _JSON_TOKEN.finditer(text):
        yield match.group(), match.start()


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

    def __init__(self, message: str, mark: Any, pointer: str = "#") -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark
        self.pointer = pointer


def _unsupported_tag(tag: str | None, event: Any) -> _RejectedYaml:
    shown = "!!" + tag[len(_TAG) :] if tag and tag.startswith(_TAG) else tag
    return _RejectedYaml(
        f"not supported: YAML tag {shown} (a spec must be plain JSON data)",
        event.start_mark,
    )


class _YamlFrame:
    """An open mapping or list while building a document from parser events."""

    __slots__ = ("container", "key", "anchor", "nodes_before", "merges", "token")

    def __init__(
        self, container: Any, anchor: str | None, nodes_before: int, token: str | None
    ) -> None:
        self.container = container
        # The key or index of this container in its parent, or None for the root.
        self.token = token
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
                join_pointer("#", *self._tokens(), key),
            )
        frame.key = key

    def _tokens(self) -> list[str]:
        """Return the JSON pointer tokens of the innermost open container."""
        return [frame.token for frame in self.stack if frame.token is not None]

    def _start(self, container: Any, event: Any) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise _too_deep_error(event)
        frame = self.stack[-1] if self.stack else None
        if frame is not None and frame.key is _NO_KEY and type(frame.container) is dict:
            raise _RejectedYaml(
                "mapping keys must be strings, found a mapping or list as a key",
                event.start_mark,
            )
        token: str | None = None
        if frame is not None:
            parent = frame.container
            if type(parent) is list:
                token = str(len(parent))
            elif frame.key is not _MERGE:  # a merged mapping lands in its parent
                token = str(frame.key)
        self._attach(container)
        if event.anchor is not None:
            self.anchors[event.anchor] = _OPEN
        self.stack.append(_YamlFrame(container, event.anchor, self.nodes, token))
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
        raise SpecError(exc.message, exc.pointer, location=location) from None
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
