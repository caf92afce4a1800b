"""Pre-render IR operations and models into the pieces templates place verbatim.

Templates only loop over these views; every annotation, literal and
conversion expression is produced here through `pysource`, so the escaping
rules live in one place.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

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
    annotation here (`builtins.object` after a field named `object`), with the
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


def model_view(model: ir.Model, types: TypeRenderer) -> ModelView:
    """Pre-render a model's fields, defaults and conversions for `model.py.jinja`."""
    imports: set[str] = set()
    defined: set[str] = set()
    fields: list[FieldView] = []
    for field in model.fields:
        fields.append(_field_view(model, field, types, defined, imports))
        defined.add(field.py_name)

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
    if isinstance(value, list):
        return (
            "field(default_factory=list)"
            if not value
            else f"field(default_factory=lambda: {pystr(value)})"
        )
    if isinstance(value, dict):
        return (
            "field(default_factory=dict)"
            if not value
            else f"field(default_factory=lambda: {pystr(value)})"
        )
    inner = type_ref.inner if isinstance(type_ref, ir.NullableType) else type_ref
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
