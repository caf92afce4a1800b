"""Pre-render IR operations and models into the pieces templates place verbatim.

Templates only loop over these views; every annotation, literal and
conversion expression is produced here through `pysource`, so the escaping
rules live in one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from . import ir
from .pysource import TypeRenderer, pystr

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
    name: str
    positional: tuple[ArgumentView, ...]
    keyword: tuple[ArgumentView, ...]
    return_annotation: str
    docstring: str
    statements: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FieldView:
    name: str
    wire_name: str
    annotation: str
    required: bool
    nullable: bool
    description: str | None
    from_json: str
    to_json: str


def _argument(param: ir.Param, types: TypeRenderer, *, positional: bool) -> ArgumentView:
    annotation = types.annotation(param.type, input_side=True)
    default = None
    if not param.required and not positional:
        annotation = f"{annotation} | NotGiven"
        default = "NOT_GIVEN"
    return ArgumentView(param.py_name, annotation, default, param.description)


def _dict_literal(params: Iterable[ir.Param]) -> str:
    items = [f"{pystr(param.wire_name)}: {param.py_name}" for param in params]
    return "{" + ", ".join(items) + "}"


def method_view(operation: ir.Operation, types: TypeRenderer) -> MethodView:
    positional_names = set(operation.positional)
    params = list(operation.params)
    if operation.body is not None:
        params.extend(operation.body.fields)

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
    keyword = [_argument(param, types, positional=False) for param in keyword_params]

    body = operation.body
    if body is not None and not body.flattened:
        annotation = (
            "bytes" if body.kind == "binary" else "str" if body.kind == "text" else "object"
        )
        if body.type is not None and body.kind == "json":
            annotation = types.annotation(body.type, input_side=True)
        if body.required:
            keyword.insert(
                len([p for p in keyword_params if p.required]),
                ArgumentView("body", annotation, None, None),
            )
        else:
            keyword.append(ArgumentView("body", f"{annotation} | NotGiven", "NOT_GIVEN", None))

    call_args = [pystr(operation.method), _path_expression(operation)]
    by_location: dict[str, list[ir.Param]] = {}
    for param in operation.params:
        by_location.setdefault(param.location, []).append(param)
    if by_location.get("query"):
        call_args.append(f"query={_dict_literal(by_location['query'])}")
    if by_location.get("header"):
        call_args.append(f"headers={_dict_literal(by_location['header'])}")
    if body is not None:
        call_args.extend(_body_arguments(body))

    response = operation.response
    call_args.append(
        "options=make_request_options(extra_headers, extra_query, extra_body, timeout)"
    )
    if response.kind == "binary":
        call_args.append("stream=True")

    function = "request_json" if response.kind == "json" else "request"
    call = f"self._client.{function}({', '.join(call_args)})"

    if response.kind == "json" and response.type is not None:
        return_annotation = types.annotation(response.type)
        converter = types.from_json(response.type, "data")
        if (
            isinstance(response.type, ir.NamedType)
            and converter == f"{response.type.name}.from_dict(data)"
        ):
            statements: tuple[str, ...] = (f"return {response.type.name}.from_dict({call})",)
        else:
            # The JSON value is `Any`; the annotated assignment gives it the declared type.
            statements = (
                f"data = {call}",
                f"result: {return_annotation} = {converter}",
                "return result",
            )
    elif response.kind == "text":
        return_annotation = "str"
        statements = (f"return {call}.text",)
    elif response.kind == "binary":
        return_annotation = "BinaryResponse"
        statements = (f"return BinaryResponse({call})",)
    else:
        return_annotation = "None"
        statements = (call,)
    return MethodView(
        name=operation.py_name,
        positional=positional,
        keyword=tuple(keyword),
        return_annotation=return_annotation,
        docstring=_method_docstring(operation, [*positional, *keyword]),
        statements=statements,
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
        return ["json_body=body"]
    if body.kind == "multipart":
        file_fields = [field for field in body.fields if _is_file(field.type)]
        other = [field for field in body.fields if not _is_file(field.type)]
        return [f"body={_dict_literal(other)}", f"files={_dict_literal(file_fields)}"]
    return [f"body={_dict_literal(body.fields)}"]


def _is_file(type_ref: ir.TypeRef) -> bool:
    if isinstance(type_ref, ir.NullableType):
        return _is_file(type_ref.inner)
    return isinstance(type_ref, ir.PrimitiveType) and type_ref.kind == "bytes"


def field_views(model: ir.Model, types: TypeRenderer) -> list[FieldView]:
    views = []
    for field in model.fields:
        annotation = types.annotation(field.type)
        if (
            not field.required
            and not annotation.endswith("| None")
            and annotation not in ("object", "None")
        ):
            annotation = f"{annotation} | None"
        value = (
            f"data[{pystr(field.wire_name)}]"
            if field.required
            else f"data.get({pystr(field.wire_name)})"
        )
        converter_type = field.type
        if not field.required and not isinstance(field.type, ir.NullableType):
            converter_type = ir.NullableType(inner=field.type)
        views.append(
            FieldView(
                name=field.py_name,
                wire_name=field.wire_name,
                annotation=annotation,
                required=field.required,
                nullable=field.nullable,
                description=field.description,
                from_json=types.from_json(converter_type, value),
                to_json=types.to_json(field.type, f"self.{field.py_name}"),
            )
        )
    return views


def typing_imports(used: set[str]) -> dict[str, list[str]]:
    """Group the typing names annotations used by the module that provides them."""
    return {
        "collections.abc": [name for name in _ABC_NAMES if name in used],
        "typing": [name for name in _TYPING_NAMES if name in used],
    }
