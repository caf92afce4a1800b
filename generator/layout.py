"""Split over-long generated statements the way black would, before black runs.

black formats a file twice when its first pass changes anything (the second pass
settles trailing commas), so a file already in black's layout costs half as much to
format. Templates write each statement on one line. This module breaks the statements
longer than the line length with black's right-hand split, delimiter split and
trailing-comma rules (stable style, black 26).

It is an optimization only: black still formats every file, so a statement laid out
differently here, or left alone, costs time but never changes the output. The module
only adds line breaks and indentation inside brackets and trailing commas after
comma-separated elements, which leave the code's meaning unchanged.

NOTE: not modelled, so left to black's second pass: conditional expressions nested in
other expressions (black wraps each in invisible parentheses), long class headers, and
lines with comments or non-ASCII text.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Callable, Iterator

__all__ = ["layout_parameter", "layout_return", "layout_source"]

LINE_LENGTH = 88

_OPENING = frozenset("([{")
_CLOSING = frozenset(")]}")

# Delimiter priorities, as in black.brackets.
_COMPREHENSION = 20
_COMMA = 18
_TERNARY = 16
_LOGIC = 14
_STRING = 12
_COMPARATOR = 10
_MATH = {
    "|": 9,
    "^": 8,
    "&": 7,
    "<<": 6,
    ">>": 6,
    "+": 5,
    "-": 5,
    "*": 4,
    "/": 4,
    "//": 4,
    "%": 4,
    "@": 4,
    "**": 2,
}
_DOT = 1
_COMPARISONS = frozenset({"==", "!=", "<", ">", "<=", ">="})
_ASSIGNMENTS = frozenset({"=", "+=", "-=", "*=", "/=", "//=", "%=", "|=", "&=", "^="})
# Statements whose single child black wraps in invisible parentheses.
_PAREN_KEYWORDS = frozenset({"return", "if", "elif", "while"})
# Statements this module leaves to black.
_SKIPPED_KEYWORDS = frozenset(
    {"class", "for", "with", "async", "import", "del", "assert", "global"}
)


# One token of a line of generated code, after its leading spaces. Comments, line
# continuations and anything else unknown fail the match, and the line is left to black.
_TOKEN = re.compile(
    r"""(?P<space>[ ]*)(?:
    (?P<string>[rRbBuUfF]{0,2}(?:
        \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
        |'''(?:[^'\\]|\\.|'(?!''))*'''
        |"(?:[^"\\\n]|\\.)*"
        |'(?:[^'\\\n]|\\.)*'))
    |(?P<number>0[xXoObB][0-9a-fA-F_]+|(?:[0-9][0-9_]*\.?[0-9_]*|\.[0-9][0-9_]*)(?:[eE][-+]?[0-9][0-9_]*)?[jJ]?)
    |(?P<name>[A-Za-z_][A-Za-z0-9_]*)
    |(?P<op>\.\.\.|\*\*=?|//=?|->|:=|<<=?|>>=?|[<>=!]=|[-+*/%@&|^~<>]=?|[()\[\]{},:.;=])
    )""",
    re.VERBOSE,
)


class _CannotSplit(Exception):
    pass


class _Leaf:
    """One token of a statement, with the whitespace before it."""

    __slots__ = (
        "kind",
        "value",
        "prefix",
        "invisible",
        "text",
        "is_opening",
        "is_closing",
        "match",
        "trailer",
        "priority",
    )

    def __init__(self, kind: str, value: str, prefix: str, invisible: bool = False) -> None:
        self.kind = kind  # "name", "number", "string", "op"
        self.value = value
        self.prefix = prefix
        self.invisible = invisible
        self.text = "" if invisible else value  # what the leaf shows
        self.is_opening = kind == "op" and value in _OPENING
        self.is_closing = kind == "op" and value in _CLOSING
        self.match: _Leaf | None = None  # the other bracket of a pair
        # For an opening bracket: a call or subscript rather than a display or group.
        self.trailer = False
        self.priority = 0  # delimiter priority after this leaf, within the whole statement

    def set_invisible(self, invisible: bool) -> None:
        self.invisible = invisible
        self.text = "" if invisible else self.value


class _Line:
    """A sequence of leaves to be written as one line at `depth` levels of indentation."""

    __slots__ = ("leaves", "depth", "inside", "split_rhs")

    def __init__(
        self, leaves: list[_Leaf], depth: int, inside: bool, split_rhs: bool = False
    ) -> None:
        self.leaves = leaves
        self.depth = depth
        self.inside = inside
        self.split_rhs = split_rhs

    def __str__(self) -> str:
        leaves = self.leaves
        if not leaves:
            return ""
        return leaves[0].text + "".join([leaf.prefix + leaf.text for leaf in leaves[1:]])

    def rendered(self) -> str:
        return "    " * self.depth + str(self)

    def fits(self) -> bool:
        return len(self.rendered()) <= LINE_LENGTH

    def magic_trailing_comma(self) -> bool:
        previous: _Leaf | None = None
        for leaf in self.leaves:
            if leaf.is_closing and not leaf.invisible and previous is not None:
                if previous.value == "," and previous.kind == "op":
                    if leaf.value == "}":
                        return True
                    opening = leaf.match
                    if opening is None or opening not in self.leaves:
                        return True
                    if leaf.value == "]" and not opening.trailer:
                        return True
                    if not _one_sequence(self.leaves, opening, leaf):
                        return True
            previous = leaf
        return False

    def delimiters(self) -> dict[int, int]:
        """Map leaf index -> priority of a split after it, for leaves outside brackets."""
        result: dict[int, int] = {}
        depth = 0
        for index, leaf in enumerate(self.leaves):
            if leaf.is_closing:
                depth -= 1
            if depth == 0 and leaf.priority:
                result[index] = leaf.priority
            if leaf.is_opening:
                depth += 1
        return result


def _one_sequence(leaves: list[_Leaf], opening: _Leaf, closing: _Leaf) -> bool:
    """Tell whether a pair of parentheses contains one element, with or without a comma."""
    if opening.value != "(" or closing.value != ")" or opening.invisible:
        return False
    start = leaves.index(opening) + 1
    depth = 0
    commas = 0
    for leaf in leaves[start:]:
        if leaf is closing:
            break
        if leaf.is_opening:
            depth += 1
        elif leaf.is_closing:
            depth -= 1
        elif depth == 0 and leaf.value == "," and leaf.kind == "op":
            commas += 1
    return commas < 2


def layout_source(text: str) -> str:
    """Split every complete one-line statement longer than the line length."""
    out: list[str] = []
    open_quote: str | None = None  # the quotes of a string that spans lines
    # Brackets still open at the start of a line: such a line continues a statement
    # from the lines above, and only whole statements are laid out.
    depth = 0
    joined = False  # the line above ends with a backslash
    for line in text.split("\n"):
        starts_in_string = open_quote is not None
        open_quote, code = _scan(line, open_quote)
        if (
            depth == 0
            and not joined
            and not starts_in_string
            and open_quote is None
            and len(line) > LINE_LENGTH
            and line.isascii()
        ):
            out.extend(_layout_statement(line))
        else:
            out.append(line)
        depth = max(0, depth + _bracket_balance(code))
        joined = code.endswith("\\")
    return "\n".join(out)


def _bracket_balance(code: str) -> int:
    return (
        code.count("(")
        + code.count("[")
        + code.count("{")
        - code.count(")")
        - code.count("]")
        - code.count("}")
    )


def layout_parameter(text: str, depth: int) -> str:
    """Lay out one `name: annotation = default,` line of an exploded parameter list.

    black wraps a parameter's annotation in invisible parentheses, so a long one
    moves to its own lines between real ones.
    """
    if len(text) + 4 * depth <= LINE_LENGTH or not text.isascii():
        return "    " * depth + text
    try:
        leaves = _tokenize_fragment(text)
        colon = next(i for i, leaf in enumerate(leaves) if leaf.value == ":")
        end = len(leaves)
        nesting = 0
        for index in range(colon + 1, len(leaves)):
            leaf = leaves[index]
            if leaf.is_opening:
                nesting += 1
            elif leaf.is_closing:
                nesting -= 1
            elif nesting == 0 and leaf.value in ("=", ","):
                end = index
                break
        if end == colon + 1:
            raise _CannotSplit("no annotation")
        leaves = _wrapped(leaves, colon + 1, end)
        _match_brackets(leaves)
        _mark_delimiters(leaves)
        pieces = _transform(_Line(leaves, depth, inside=True))
    except (_CannotSplit, StopIteration):
        return "    " * depth + text
    return "\n".join(piece.rendered() for piece in pieces)


def layout_return(annotation: str, depth: int) -> str:
    """Lay out the `) -> annotation:` line that closes an exploded parameter list."""
    text = f") -> {annotation}:"
    if len(text) + 4 * depth <= LINE_LENGTH or not text.isascii():
        return "    " * depth + text
    try:
        inner = _tokenize_fragment(annotation)
        _match_brackets(inner)
        inner[0].prefix = " "
        leaves = [_Leaf("op", ")", ""), _Leaf("op", "->", " "), *inner, _Leaf("op", ":", "")]
        _mark_delimiters(leaves)
        pieces = _transform(_Line(leaves, depth, inside=False))
    except _CannotSplit:
        return "    " * depth + text
    return "\n".join(piece.rendered() for piece in pieces)


# Patterns for the start of a string literal or comment, and for the end of each kind
# of string. A backslash escapes the next character in every kind, raw strings included.
_TOKEN_START = re.compile(r"""#|[rRbBuUfF]{0,2}("{3}|'{3}|"|')""")
_STRING_END = {
    '"': re.compile(r'(?:[^"\\\n]|\\.)*"'),
    "'": re.compile(r"(?:[^'\\\n]|\\.)*'"),
    '"""': re.compile(r'(?:[^"\\]|\\.|"(?!""))*"""'),
    "'''": re.compile(r"(?:[^'\\]|\\.|'(?!''))*'''"),
}


def _scan(line: str, open_quote: str | None) -> tuple[str | None, str]:
    """Follow the strings on one line.

    Returns the quotes of a triple-quoted string still open at the end of `line`
    (`open_quote` is the one open at its start) and the line's code outside strings
    and comments. A single-quoted string left open (invalid Python) counts as open,
    so the line is never laid out.
    """
    position = 0
    if open_quote is not None:
        end = _STRING_END[open_quote].match(line)
        if end is None:
            return open_quote, ""
        position = end.end()
    code: list[str] = []
    while True:
        start = _TOKEN_START.search(line, position)
        if start is None:
            code.append(line[position:].rstrip())
            return None, "".join(code)
        code.append(line[position : start.start()])
        if start.group() == "#":
            return None, "".join(code)
        quote = start.group(1)
        end = _STRING_END[quote].match(line, start.end())
        if end is None:
            return quote, "".join(code)
        position = end.end()


def _layout_statement(line: str) -> list[str]:
    stripped = line.lstrip(" ")
    indent = len(line) - len(stripped)
    if indent % 4:
        return [line]
    if (
        stripped.startswith("from ")
        and " import " in stripped
        and "(" not in stripped
        and "#" not in stripped
    ):
        # black always explodes a long import, one name per line.
        head, names = stripped.split(" import ", 1)
        pad = " " * indent
        return [
            f"{pad}{head} import (",
            *(f"{pad}    {name.strip()}," for name in names.split(",") if name.strip()),
            f"{pad})",
        ]
    try:
        leaves = _tokenize(stripped)
    except _CannotSplit:
        return [line]
    if not leaves:
        return [line]
    try:
        statement = _Line(leaves, indent // 4, inside=False)
        return [piece.rendered() for piece in _transform(statement)]
    except _CannotSplit:
        return [line]


def _tokenize(source: str) -> list[_Leaf]:
    """Turn one complete statement into leaves, or raise _CannotSplit if it is not one."""
    leaves = _tokenize_fragment(source)
    first = leaves[0] if leaves else None
    if first is None or first.value in _SKIPPED_KEYWORDS or first.value == "@":
        raise _CannotSplit("statement kind left to black")
    for index, leaf in enumerate(leaves):
        # A lambda with one parameter has no delimiters of its own.
        if leaf.value == "lambda" and not (
            index + 2 < len(leaves)
            and leaves[index + 1].kind == "name"
            and leaves[index + 2].value == ":"
        ):
            raise _CannotSplit("lambda left to black")
    _match_brackets(leaves)
    if first.value != "def":
        leaves = _add_invisible_parens(leaves)
        _match_brackets(leaves)
    _mark_delimiters(leaves)
    return leaves


def _tokenize_fragment(source: str) -> list[_Leaf]:
    """Turn one line of code into leaves, keeping the whitespace before each."""
    leaves: list[_Leaf] = []
    position = 0
    length = len(source.rstrip(" "))
    while position < length:
        token = _TOKEN.match(source, position)
        if token is None:
            raise _CannotSplit("text this tokenizer does not know")
        kind = token.lastgroup
        assert kind is not None
        value = token.group(kind)
        if kind == "string" and value[0] in "fFrRbBuU" and "f" in value[:2].lower():
            raise _CannotSplit("f-strings are left to black")
        leaves.append(_Leaf(kind, value, token.group("space")))
        position = token.end()
    return leaves


def _match_brackets(leaves: list[_Leaf]) -> None:
    stack: list[_Leaf] = []
    previous: _Leaf | None = None
    for leaf in leaves:
        if leaf.is_opening:
            leaf.trailer = (
                not leaf.invisible
                and leaf.value in "(["
                and previous is not None
                and (
                    previous.kind == "string"
                    or previous.kind == "name"
                    and not keyword.iskeyword(previous.value)
                    or previous.value in _CLOSING
                    and not previous.invisible
                )
            )
            stack.append(leaf)
        elif leaf.is_closing:
            if not stack:
                raise _CannotSplit("unbalanced brackets")
            opening = stack.pop()
            opening.match = leaf
            leaf.match = opening
        previous = leaf
    if stack:
        raise _CannotSplit("unbalanced brackets")


def _add_invisible_parens(leaves: list[_Leaf]) -> list[_Leaf]:
    """Wrap the child black wraps in invisible parentheses: after `return`, `if`, `=`."""
    first = leaves[0]
    start: int | None = None
    end = len(leaves)
    if first.kind == "name" and first.value in _PAREN_KEYWORDS:
        start = 1
        if first.value != "return":
            if leaves[-1].value != ":":
                raise _CannotSplit("compound statement with a body on the same line")
            end = len(leaves) - 1
    elif (
        first.kind == "name"
        and keyword.iskeyword(first.value)
        and first.value
        not in (
            "None",
            "True",
            "False",
            "await",
        )
    ):
        raise _CannotSplit("statement kind left to black")
    else:
        if (
            first.kind == "name"
            and len(leaves) > 2
            and leaves[1].value == ":"
            and not any(leaf.kind == "op" and leaf.value in _ASSIGNMENTS for leaf in leaves)
        ):
            # A bare annotation: black wraps it in invisible parentheses.
            return _wrapped(leaves, 2, len(leaves))

        depth = 0
        for index, leaf in enumerate(leaves):
            if leaf.is_opening:
                depth += 1
            elif leaf.is_closing:
                depth -= 1
            elif depth == 0 and leaf.kind == "op" and leaf.value in _ASSIGNMENTS:
                if start is not None:
                    raise _CannotSplit("chained assignment")
                start = index + 1
    if start is None or start >= end:
        return leaves

    if first.kind == "name" and start > 2 and leaves[1].value == ":":
        # An annotated assignment: black wraps the annotation too.
        leaves = _wrapped(leaves, 2, start - 1)
        start += 2
        end += 2

    child = leaves[start:end]
    if child[0].value == "(" and child[0].match is child[-1]:
        # Redundant parentheses become the invisible pair; those of a tuple, an
        # empty pair or an assignment expression stay as they are.
        inner = child[1:-1]
        if inner and not _has_top_level(inner, (",", ":=")):
            child[0].set_invisible(True)
            child[-1].set_invisible(True)
            inner[0].prefix = ""
        return leaves
    if len(child) == 1 and child[0].kind == "string" and "\n" in child[0].value:
        return leaves
    return _wrapped(leaves, start, end)


def _wrapped(leaves: list[_Leaf], start: int, end: int) -> list[_Leaf]:
    """Return the leaves with `leaves[start:end]` in a pair of invisible parentheses."""
    leaves[start].prefix = ""
    return [
        *leaves[:start],
        _Leaf("op", "(", " ", invisible=True),
        *leaves[start:end],
        _Leaf("op", ")", "", invisible=True),
        *leaves[end:],
    ]


def _has_top_level(leaves: list[_Leaf], values: tuple[str, ...]) -> bool:
    depth = 0
    for leaf in leaves:
        if leaf.is_opening:
            depth += 1
        elif leaf.is_closing:
            depth -= 1
        elif depth == 0 and leaf.kind == "op" and leaf.value in values:
            return True
    return False


def _mark_delimiters(leaves: list[_Leaf]) -> None:
    """Set each leaf's delimiter priority, as black's BracketTracker does."""
    # Per bracket depth: whether a comprehension `for` is open (before its `in`),
    # and whether one was seen (so that `if` is a comprehension filter).
    for_open: dict[int, bool] = {}
    for_seen: dict[int, bool] = {}
    depth = 0
    previous: _Leaf | None = None
    for index, leaf in enumerate(leaves):
        if leaf.is_closing:
            for_open.pop(depth, None)
            for_seen.pop(depth, None)
            depth -= 1
        priority_before = 0
        value = leaf.value
        if leaf.kind == "name":
            if value == "for" and index > 0:
                priority_before = _COMPREHENSION
                for_open[depth] = True
                for_seen[depth] = True
            elif value == "in" and for_open.get(depth):
                for_open[depth] = False
            elif value == "if" and index > 0:
                priority_before = _COMPREHENSION if for_seen.get(depth) else _TERNARY
            elif value == "else" and index > 0:
                priority_before = _TERNARY
            elif value in ("and", "or"):
                priority_before = _LOGIC
            elif value == "is":
                priority_before = _COMPARATOR
            elif value == "in" and not (previous is not None and previous.value == "not"):
                priority_before = _COMPARATOR
            elif (
                value == "not"
                and index + 1 < len(leaves)
                and leaves[index + 1].value == "in"
                and not (previous is not None and previous.value == "is")
            ):
                priority_before = _COMPARATOR
        elif leaf.kind == "string":
            if previous is not None and previous.kind == "string":
                priority_before = _STRING
        elif leaf.kind == "op":
            if value == "," and not for_open.get(depth):
                leaf.priority = _COMMA
            elif value in _COMPARISONS:
                priority_before = _COMPARATOR
            elif value in _MATH and not _is_unary(previous):
                priority_before = _MATH[value]
            elif value == "." and previous is not None and previous.is_closing:
                priority_before = _DOT
        if for_open.get(depth) and value != "for":
            priority_before = 0  # the target of a comprehension `for`
        if priority_before and previous is not None:
            previous.priority = max(previous.priority, priority_before)
        if leaf.is_opening:
            depth += 1
        previous = leaf


def _is_unary(previous: _Leaf | None) -> bool:
    if previous is None:
        return True
    if previous.kind == "op":
        return not previous.is_closing
    return (
        previous.kind == "name"
        and keyword.iskeyword(previous.value)
        and previous.value
        not in (
            "None",
            "True",
            "False",
        )
    )


def _transform(line: _Line) -> list[_Line]:
    """Lay out one line; the port of black's `transform_line` for the stable style."""
    if not line.split_rhs and not line.magic_trailing_comma() and line.fits():
        return [line]
    if line.leaves[0].value == "def" and line.leaves[0].kind == "name":
        transformers: tuple[Callable[[_Line], Iterator[_Line]], ...] = (_left_hand_split,)
    elif line.inside:
        transformers = (_delimiter_split, _rhs)
    else:
        transformers = (_rhs,)
    original = str(line)
    for transformer in transformers:
        try:
            pieces = list(transformer(line))
        except _CannotSplit:
            continue
        if any(str(piece) == original for piece in pieces):
            continue
        result: list[_Line] = []
        for piece in pieces:
            result.extend(_transform(piece))
        if transformer is _rhs and _has_invisible(line) and not result[0].fits():
            # black's "second opinion": split at the invisible parentheses if that
            # makes every line fit.
            try:
                forced = [
                    laid
                    for piece in _right_hand_split(line, set(), force_parens=True)
                    for laid in _transform(piece)
                ]
            except _CannotSplit:
                forced = []
            if forced and all(piece.fits() for piece in forced):
                result = forced
        return result
    return [line]


def _left_hand_split(line: _Line) -> Iterator[_Line]:
    """Split a `def` at its parameter list; one parameter gets a trailing comma."""
    opening = next((leaf for leaf in line.leaves if leaf.is_opening), None)
    if opening is None or opening.match is None:
        raise _CannotSplit("no parameter list")
    start = line.leaves.index(opening) + 1
    end = line.leaves.index(opening.match)
    body = line.leaves[start:end]
    if body and not _has_top_level(body, (",",)):
        body = [*body, _Leaf("op", ",", "")]
    body_line = _Line(body, line.depth + 1, inside=True)
    for piece in (
        _Line(line.leaves[:start], line.depth, inside=False),
        body_line,
        _Line(line.leaves[end:], line.depth, inside=False),
    ):
        if piece.leaves:
            yield piece


def _has_invisible(line: _Line) -> bool:
    depth = 0
    for leaf in line.leaves:
        if leaf.is_closing:
            depth -= 1
        if leaf.invisible and depth == 0:
            return True
        if leaf.is_opening:
            depth += 1
    return False


def _delimiter_split(line: _Line) -> Iterator[_Line]:
    delimiters = line.delimiters()
    last = len(line.leaves) - 1
    delimiters.pop(last, None)
    if not delimiters:
        raise _CannotSplit("no delimiters")
    priority = max(delimiters.values())
    if priority == _DOT and list(delimiters.values()).count(_DOT) == 1:
        raise _CannotSplit("a single attribute access")
    current: list[_Leaf] = []
    for index, leaf in enumerate(line.leaves):
        current.append(leaf)
        if index != last and delimiters.get(index) == priority:
            yield _Line(current, line.depth, line.inside)
            current = []
    if current:
        if priority == _COMMA and current[-1].value != ",":
            current.append(_Leaf("op", ",", ""))
        yield _Line(current, line.depth, line.inside)


def _rhs(line: _Line) -> Iterator[_Line]:
    """black's `right_hand_split_with_omits`."""
    first_lines: list[_Line] | None = None
    for omit in _trailers_to_omit(line):
        lines = list(_right_hand_split(line, omit))
        if first_lines is None and not omit:
            first_lines = lines
        if lines[0].fits():
            yield from lines
            return
    if first_lines is not None:
        yield from first_lines
    else:
        yield from _right_hand_split(line, set())


def _trailers_to_omit(line: _Line) -> Iterator[set[int]]:
    omit: set[int] = set()
    if not line.magic_trailing_comma():
        yield omit
    length = 4 * line.depth
    opening: _Leaf | None = None
    closing: _Leaf | None = None
    inner: set[int] = set()
    leaves = line.leaves
    for index in range(len(leaves) - 1, -1, -1):
        leaf = leaves[index]
        length += len(leaf.prefix) + len(leaf.text)
        if length > LINE_LENGTH:
            break
        previous = leaves[index - 1] if index > 0 else None
        if opening is not None:
            if leaf is opening:
                opening = None
            elif leaf.is_closing:
                if _closes_after_comma(leaves, previous, leaf):
                    break
                inner.add(id(leaf))
        elif leaf.is_closing:
            if previous is not None and previous.is_opening:
                inner.add(id(leaf))
                continue
            if closing is not None:
                omit.add(id(closing))
                omit.update(inner)
                inner.clear()
                yield set(omit)
            if _closes_after_comma(leaves, previous, leaf):
                break
            if not leaf.invisible:
                opening = leaf.match
                closing = leaf


def _closes_after_comma(leaves: list[_Leaf], previous: _Leaf | None, leaf: _Leaf) -> bool:
    """Tell whether `leaf` closes a bracket right after a comma, other than a one-tuple's."""
    return (
        previous is not None
        and previous.value == ","
        and leaf.match is not None
        and not _one_sequence(leaves, leaf.match, leaf)
    )


class _RHS:
    __slots__ = ("head", "body", "tail", "opening", "closing")

    def __init__(
        self, head: _Line, body: _Line, tail: _Line, opening: _Leaf, closing: _Leaf
    ) -> None:
        self.head = head
        self.body = body
        self.tail = tail
        self.opening = opening
        self.closing = closing


def _first_right_hand_split(line: _Line, omit: set[int]) -> _RHS:
    tail: list[_Leaf] = []
    body: list[_Leaf] = []
    head: list[_Leaf] = []
    current = tail
    opening: _Leaf | None = None
    closing: _Leaf | None = None
    for leaf in reversed(line.leaves):
        if current is body and leaf is opening:
            current = head if body else tail
        current.append(leaf)
        if current is tail and leaf.is_closing and id(leaf) not in omit:
            opening = leaf.match
            closing = leaf
            current = body
    if opening is None or closing is None or not head:
        raise _CannotSplit("no brackets")

    tail.reverse()
    body.reverse()
    head.reverse()
    tail_text = "".join(leaf.prefix + leaf.text for leaf in tail).strip()
    if not body and len(tail_text) < 3:
        raise _CannotSplit("empty body")

    body_line = _Line(body, line.depth + 1, inside=True)
    body_line.split_rhs = _should_split(body_line, opening)
    return _RHS(
        _Line(head, line.depth, inside=False),
        body_line,
        _Line(tail, line.depth, inside=False),
        opening,
        closing,
    )


def _should_split(body: _Line, opening: _Leaf) -> bool:
    """black's `should_split_line`: a display with comma-separated items explodes."""
    if not body.leaves:
        return False
    delimiters = body.delimiters()
    last = len(body.leaves) - 1
    trailing_comma = body.leaves[-1].value == ","
    if trailing_comma:
        delimiters.pop(last, None)
    if not delimiters or max(delimiters.values()) != _COMMA:
        return False
    return trailing_comma or not opening.trailer


def _right_hand_split(line: _Line, omit: set[int], force_parens: bool = False) -> Iterator[_Line]:
    rhs = _first_right_hand_split(line, omit)
    yield from _maybe_split_omitting_optional_parens(rhs, line, omit, force_parens)


def _maybe_split_omitting_optional_parens(
    rhs: _RHS, line: _Line, omit: set[int], force_parens: bool
) -> Iterator[_Line]:
    if (
        not force_parens
        and rhs.opening.invisible
        and rhs.closing.invisible
        and _can_omit_invisible_parens(rhs)
    ):
        omit = {id(rhs.closing), *omit}
        try:
            rhs_oop = _first_right_hand_split(line, omit)
            if _prefer_split_rhs_oop(rhs_oop, rhs):
                yield from _maybe_split_omitting_optional_parens(rhs_oop, line, omit, force_parens)
                return
        except _CannotSplit as exc:
            if len(rhs.body.leaves) < 2 and not rhs.body.fits():
                raise _CannotSplit("body too long and cannot be split") from exc
    # The split is at these parentheses, so they show from now on.
    rhs.opening.set_invisible(False)
    rhs.closing.set_invisible(False)
    for piece in (rhs.head, rhs.body, rhs.tail):
        if piece.leaves:
            yield piece


def _can_omit_invisible_parens(rhs: _RHS) -> bool:
    line = rhs.body
    delimiters = line.delimiters()
    if not delimiters:
        return True
    priority = max(delimiters.values())
    if list(delimiters.values()).count(priority) > 1:
        return False
    if priority == _DOT:
        return True
    leaves = line.leaves
    if len(leaves) < 2:
        return False
    first, second = leaves[0], leaves[1]
    if first.is_opening and not second.is_closing and _can_omit_opening_paren(line, first):
        return True
    penultimate, last = leaves[-2], leaves[-1]
    if last.value in (")", "}") or (last.value == "]" and last.match and not last.match.trailer):
        if penultimate.is_opening:
            return False
        if _can_omit_closing_paren(line, last):
            return True
    return False


def _can_omit_opening_paren(line: _Line, first: _Leaf) -> bool:
    remainder = False
    length = 4 * line.depth
    for leaf in line.leaves:
        if leaf.is_closing and leaf.match is first:
            remainder = True
        if remainder:
            length += len(leaf.prefix) + len(leaf.text)
            if length > LINE_LENGTH:
                return False
            if leaf.is_opening:
                remainder = False
    return True


def _can_omit_closing_paren(line: _Line, last: _Leaf) -> bool:
    length = 4 * line.depth
    seen_other_brackets = False
    for leaf in line.leaves:
        length += len(leaf.prefix) + len(leaf.text)
        if leaf is last.match:
            if seen_other_brackets or length <= LINE_LENGTH:
                return True
        elif leaf.is_opening:
            seen_other_brackets = True
    return False


def _prefer_split_rhs_oop(rhs_oop: _RHS, rhs: _RHS) -> bool:
    head = rhs.head.leaves
    if not (len(head) >= 2 and head[-2].value in _ASSIGNMENTS and head[-2].kind == "op"):
        return True
    if not any(leaf.is_opening or leaf.is_closing for leaf in head[:-1]):
        return True
    if len(rhs.head.rendered()) > LINE_LENGTH - 1:
        return True
    if rhs.head.magic_trailing_comma():
        return True
    has_closing_bracket_after_assign = False
    for leaf in reversed(rhs_oop.head.leaves):
        if leaf.kind == "op" and leaf.value in _ASSIGNMENTS:
            break
        if leaf.is_closing:
            has_closing_bracket_after_assign = True
            break
    return has_closing_bracket_after_assign or (
        any(leaf.kind == "op" and leaf.value in _ASSIGNMENTS for leaf in rhs_oop.head.leaves)
        and rhs_oop.head.fits()
    )
