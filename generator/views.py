"""Pre-render IR operations and models into the pieces templates place verbatim.

Templates only loop over these views; every annotation, literal and
conversion expression is produced here through `pysource`, so the escaping
rules live in one place.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from . import ir
from .pysource import TypeRenderer, pystr, qualify_shadowed

_TYPING_NAMES = ("Literal",)
_ABC_NAMES = ("Mapping", "Sequence")


@dataclass(frozen=True, slots=True)
class ArgumentView:
    name: str
    annotation: str
    default: str | None
    description: str | None


@dataclass(frozen=True, slots=True)
class MethodView:
    """One client method; `is_coroutine` marks an `async def` (async list methods are plain)."""

    name: str
    positional: tuple[ArgumentView, ...]
    keyword: tuple[ArgumentView, ...]
    return_annotation: str
    docstring: str
    statements: tuple[str, ...]
    is_coroutine: bool


@dataclass(frozen=True, slots=True)
class FieldView:
    name: str
    wire_name: str
    annotation: str
    default: str | None
    required: bool
    nullable: bool
    description: str | None
    deprecated: bool
    from_json: str
    to_json: str


@dataclass(frozen=True, slots=True)
class ModelView:
    """A model's fields plus the class-level pieces that depend on them.

    Names a field hides inside the class body are already qualified in every
    annotation here (`builtins.object` when a field is named `object`), with the
    imports that needs in `plain_imports`.
    """

    fields: tuple[FieldView, ...]
    optional_keys: tuple[str, ...]
    extra_annotation: str
    extra_from_json: str | None
    extra_to_json: str | None
    field_function: str
    dict_factory: str
    nulls_annotation: str
    mapping_annotation: str
    dict_annotation: str
    plain_imports: tuple[str, ...]
    deprecation_checks: tuple[tuple[str | None, str], ...]


def _argument(
    param: ir.Param, types: TypeRenderer, *, positional: bool, upload: bool = False
) -> ArgumentView:
    annotation = "FileTypes" if upload else types.annotation(param.type, input_side=True)
    default = None
    if not param.required and not positional:
        annotation = f"{annotation} | NotGiven"
        default = "NOT_GIVEN"
    return ArgumentView(param.py_name, annotation, default, param.description)


def _dict_literal(params: Iterable[ir.Param], first: Iterable[str] = ()) -> str:
    items = [*first, *(f"{pystr(param.wire_name)}: {param.py_name}" for param in params)]
    return "{" + ", ".join(items) + "}"


def qualify_method(view: MethodView, shadowed: set[str], imports: set[str]) -> MethodView:
    """Rewrite a method's signature annotations that names in its class body hide.

    A resource class with a method named `list` or `str` hides the builtin in the
    annotations of every method signature in that class, so those become
    `builtins.list`. Statements are left alone: a function body does not see class names.
    """

    def qualify_argument(argument: ArgumentView) -> ArgumentView:
        return replace(
            argument,
            annotation=qualify_shadowed(argument.annotation, shadowed, imports),
            default=(
                qualify_shadowed(argument.default, shadowed, imports)
                if argument.default is not None
                else None
            ),
        )

    return replace(
        view,
        positional=tuple(qualify_argument(argument) for argument in view.positional),
        keyword=tuple(qualify_argument(argument) for argument in view.keyword),
        return_annotation=qualify_shadowed(view.return_annotation, shadowed, imports),
    )


def method_view(operation: ir.Operation, types: TypeRenderer, *, is_async: bool) -> MethodView:
    """Build the sync (`is_async=False`) or async variant of an operation's method."""
    positional, keyword = _arguments(operation, types)
    call_args = _call_arguments(operation)
    client = "await self._client" if is_async else "self._client"
    response = operation.response
    page = operation.pagination
    is_coroutine = is_async

    if page is not None:
        item = types.annotation(page.item_type)
        if is_async:
            page_class = f"AsyncCursorIDPage[{item}]"
            return_annotation = f"AsyncPaginator[{item}, {page_class}]"
            # The paginator is awaited or iterated by the caller, so the method itself is plain.
            client = "self._client"
            is_coroutine = False
        else:
            page_class = f"SyncCursorIDPage[{item}]"
            return_annotation = page_class
        assert response.type is not None
        cast, prelude = _cast_argument(response.type, types)
        call = _call(
            f"{client}.request_page",
            [page_class, *call_args, f"cast={cast}", f"items={pystr(page.items_field)}"],
        )
        statements = (*prelude, f"return {call}")
    elif response.kind == "json" and response.type is not None:
        return_annotation = types.annotation(response.type)
        cast, prelude = _cast_argument(response.type, types)
        call = _call(f"{client}.request", [*call_args, f"cast={cast}"])
        statements = (*prelude, f"return {call}")
    elif response.kind == "sse":
        if response.type is None:
            cast, prelude, event = "None", (), "ServerSentEvent"
        else:
            event = types.annotation(response.type)
            cast, prelude = _cast_argument(response.type, types)
        return_annotation = f"AsyncStream[{event}]" if is_async else f"Stream[{event}]"
        call = _call(f"{client}.request_stream", [*call_args, f"cast={cast}"])
        statements = (*prelude, f"return {call}")
    elif response.kind == "text":
        return_annotation = "str"
        statements = (f"return {_call(f'{client}.request_text', call_args)}",)
    elif response.kind == "binary":
        return_annotation = "AsyncBinaryAPIResponse" if is_async else "BinaryAPIResponse"
        statements = (f"return {_call(f'{client}.request_binary', call_args)}",)
    else:
        return_annotation = "None"
        # Returned so that `with_raw_response` gets the response object.
        statements = (f"return {_call(f'{client}.request', [*call_args, 'cast=None'])}",)
    return MethodView(
        name=operation.py_name,
        positional=positional,
        keyword=keyword,
        return_annotation=return_annotation,
        docstring=_method_docstring(operation, [*positional, *keyword]),
        statements=statements,
        is_coroutine=is_coroutine,
    )


def _arguments(
    operation: ir.Operation, types: TypeRenderer
) -> tuple[tuple[ArgumentView, ...], tuple[ArgumentView, ...]]:
    """Path parameters named positional by the walker come first; the rest are keyword-only."""
    positional_names = set(operation.positional)
    body = operation.body
    params = list(operation.params)
    uploads: set[str] = set()
    if body is not None:
        params.extend(body.fields)
        if body.kind == "multipart":
            uploads = {field.py_name for field in body.fields if _is_file(field.type)}

    positional = tuple(
        _argument(param, types, positional=True)
        for name in operation.positional
        for param in params
        if param.py_name == name
    )
    rest = [param for param in params if param.py_name not in positional_names]
    keyword_params = [param for param in rest if param.required] + [
        param for param in rest if not param.required
    ]
    keyword = [
        _argument(param, types, positional=False, upload=param.py_name in uploads)
        for param in keyword_params
    ]

    if body is not None and not body.flattened:
        annotation = {"binary": "bytes", "text": "str"}.get(body.kind, "object")
        if body.type is not None and body.kind == "json":
            annotation = types.annotation(body.type, input_side=True)
        elif body.kind in ("multipart", "form"):
            types.typing_used.add("Mapping")
            annotation = "Mapping[str, object]"
        if body.required:
            keyword.insert(
                len([p for p in keyword_params if p.required]),
                ArgumentView("body", annotation, None, None),
            )
        else:
            keyword.append(ArgumentView("body", f"{annotation} | NotGiven", "NOT_GIVEN", None))
    return positional, tuple(keyword)


def _call_arguments(operation: ir.Operation) -> list[str]:
    """The arguments every runtime request call takes: method, path, parameters, body, options."""
    arguments = [pystr(operation.method), _path_expression(operation)]
    by_location: dict[str, list[ir.Param]] = {}
    for param in operation.params:
        by_location.setdefault(param.location, []).append(param)
    if by_location.get("query"):
        arguments.append(f"query={_dict_literal(by_location['query'])}")

    # A response that is not JSON is asked for by its media type.
    response = operation.response
    accept = [] if response.kind in ("json", "empty") else [response.content_type or "*/*"]
    if by_location.get("header") or accept:
        first = [f"{pystr('Accept')}: {pystr(value)}" for value in accept]
        arguments.append(f"headers={_dict_literal(by_location.get('header', ()), first)}")
    if operation.body is not None:
        arguments.extend(_body_arguments(operation.body))
    arguments.append(
        "options=make_request_options(extra_headers, extra_query, extra_body, timeout)"
    )
    return arguments


def _call(function: str, arguments: list[str]) -> str:
    return f"{function}({', '.join(arguments)})"


_SIMPLE_CONVERTER = re.compile(r"^([A-Za-z_][A-Za-z0-9_.]*)\(data\)$")


def _cast_argument(type_ref: ir.TypeRef, types: TypeRenderer) -> tuple[str, tuple[str, ...]]:
    """Return the `cast=` value converting decoded JSON to `type_ref`, and any lines defining it.

    A model's `from_dict` or an alias's parse function is passed directly;
    any other conversion gets a local function.
    """
    converter = types.from_json(type_ref, "data")
    match = _SIMPLE_CONVERTER.match(converter)
    if match is not None:
        return match.group(1), ()
    annotation = types.annotation(type_ref)
    types.typing_used.add("Any")
    # The JSON value is `Any`; the annotated assignment gives it the declared type.
    # black puts a blank line between the method's docstring and a nested function.
    return "parse_response", (
        "",
        f"def parse_response(data: Any) -> {annotation}:",
        f"    result: {annotation} = {converter}",
        "    return result",
        "",
    )


def _method_docstring(operation: ir.Operation, arguments: list[ArgumentView]) -> str:
    parts = [text for text in (operation.summary, operation.description) if text]
    if len(parts) == 2 and parts[0].rstrip(".") == parts[1].rstrip("."):
        parts = parts[:1]
    if operation.deprecated:
        parts.append("Deprecated: this operation may be removed in a future version of the API.")
    documented = [arg for arg in arguments if arg.description]
    lines = ["Args:"]
    for arg in documented:
        description = (arg.description or "").replace("\n", "\n    ")
        lines.append(f"  {arg.name}: {description}")
        lines.append("")
    lines.extend(
        [
            "  extra_headers: Send extra headers",
            "",
            "  extra_query: Add additional query parameters to the request",
            "",
            "  extra_body: Add additional JSON properties to the request",
            "",
            "  timeout: Override the client-level default timeout for this request, in seconds",
        ]
    )
    parts.append("\n".join(lines))
    return "\n\n".join(parts)


def _path_expression(operation: ir.Operation) -> str:
    path_params = [param for param in operation.params if param.location == "path"]
    if not path_params:
        return pystr(operation.path)
    return f"path_template({pystr(operation.path)}, {_dict_literal(path_params)})"


def _body_arguments(body: ir.Body) -> list[str]:
    if not body.flattened:
        if body.kind == "binary" or body.kind == "text":
            return ["content=body"]
        if body.kind == "multipart":
            return ["body=body", "files={}"]
        if body.kind == "form":
            return ["form=body"]
        return ["json_body=body"]
    if body.kind == "multipart":
        file_fields = [field for field in body.fields if _is_file(field.type)]
        other = [field for field in body.fields if not _is_file(field.type)]
        return [f"body={_dict_literal(other)}", f"files={_dict_literal(file_fields)}"]
    if body.kind == "form":
        return [f"form={_dict_literal(body.fields)}"]
    return [f"body={_dict_literal(body.fields)}"]


def _is_file(type_ref: ir.TypeRef) -> bool:
    if isinstance(type_ref, ir.NullableType):
        return _is_file(type_ref.inner)
    return isinstance(type_ref, ir.PrimitiveType) and type_ref.kind == "bytes"


def model_view(model: ir.Model, types: TypeRenderer) -> ModelView:
    """Pre-render a model's fields, defaults and conversions for `model.py.jinja`."""
    imports: set[str] = set()
    # Every field name counts for every annotation, its own and earlier ones too:
    # `typing.get_type_hints` evaluates them all in the finished class namespace.
    defined = {field.py_name for field in model.fields}
    fields = [_field_view(model, field, types, defined, imports) for field in model.fields]

    extra_type = model.additional if model.additional is not None else None
    extra_value = "Any" if extra_type is None else types.annotation(extra_type)
    extra_from_json = None
    extra_to_json = None
    if extra_type is not None and types.converts(extra_type):
        extra_from_json = types.from_json(extra_type, "value")
        extra_to_json = types.to_json(extra_type, "value")

    def qualify(code: str) -> str:
        return qualify_shadowed(code, defined, imports)

    deprecations: list[tuple[str | None, str]] = []
    if model.deprecated:
        deprecations.append((None, f"{model.name} is deprecated"))
    for field, view in zip(model.fields, fields, strict=True):
        if field.deprecated and view.default in (None, "None"):
            deprecations.append((field.py_name, f"{model.name}.{field.py_name} is deprecated"))
    if deprecations:
        imports.add("import warnings")
    return ModelView(
        fields=tuple(fields),
        optional_keys=tuple(view.wire_name for view in fields if not view.required),
        extra_annotation=qualify(f"dict[str, {extra_value}]"),
        extra_from_json=extra_from_json,
        extra_to_json=extra_to_json,
        field_function=qualify("field"),
        dict_factory=qualify("dict"),
        nulls_annotation=qualify("tuple[str, ...]"),
        mapping_annotation=qualify("Mapping[str, Any]"),
        dict_annotation=qualify("dict[str, Any]"),
        plain_imports=tuple(sorted(imports)),
        deprecation_checks=tuple(deprecations),
    )


def _field_view(
    model: ir.Model,
    field: ir.Field,
    types: TypeRenderer,
    defined: set[str],
    imports: set[str],
) -> FieldView:
    required = field.required and not field.write_only
    annotation = types.annotation(field.type)
    if not required and not annotation.endswith("| None") and annotation not in ("object", "None"):
        annotation = f"{annotation} | None"

    default = None if required else "None"
    if field.default_json is not None:
        default = _default_expression(json.loads(field.default_json), field.type, types)

    value = f"data[{pystr(field.wire_name)}]" if required else f"data.get({pystr(field.wire_name)})"
    converter_type = field.type
    if not required and not isinstance(field.type, ir.NullableType):
        converter_type = ir.NullableType(inner=field.type)

    description = field.description
    if field.deprecated:
        description = f"{description}\n\nDeprecated." if description else "Deprecated."
    return FieldView(
        name=field.py_name,
        wire_name=field.wire_name,
        annotation=qualify_shadowed(annotation, defined, imports),
        default=qualify_shadowed(default, defined, imports) if default is not None else None,
        required=required,
        nullable=field.nullable,
        description=description,
        deprecated=field.deprecated,
        from_json=types.from_json(converter_type, value),
        to_json=types.to_json(field.type, f"self.{field.py_name}"),
    )


def _default_expression(value: object, type_ref: ir.TypeRef, types: TypeRenderer) -> str:
    """Write a default as Python; lists and objects get a factory so no instance shares one."""
    inner = type_ref.inner if isinstance(type_ref, ir.NullableType) else type_ref
    if isinstance(value, (list, dict)):
        if not value:
            return f"field(default_factory={type(value).__name__})"
        # mypy infers a literal's type from its items (`[1, 2]` is `list[int]`), which an
        # invariant `list[object]` field rejects; the annotated constructor fixes the type.
        container = types.annotation(inner)
        if container.startswith(("list[", "dict[")):
            return f"field(default_factory=lambda: {container}({pystr(value)}))"
        return f"field(default_factory=lambda: {pystr(value)})"
    if isinstance(inner, ir.NamedType):
        model = types.models.get(inner.name)
        if isinstance(model, ir.EnumModel):
            for member in model.members:
                if type(member.value) is type(value) and member.value == value:
                    return f"{model.name}.{member.py_name}"
    return pystr(value)


def field_views(model: ir.Model, types: TypeRenderer) -> list[FieldView]:
    """Pre-render the fields of a model (see `model_view` for the whole class)."""
    return list(model_view(model, types).fields)


def typing_imports(used: set[str]) -> dict[str, list[str]]:
    """Group the typing names annotations used by the module that provides them."""
    return {
        "collections.abc": [name for name in _ABC_NAMES if name in used],
        "typing": [name for name in _TYPING_NAMES if name in used],
    }
