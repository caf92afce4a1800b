"""The intermediate representation: what the walker builds and the renderer reads.

Every node is a frozen dataclass holding tuples, so two walks of the same spec
compare equal and no stage can change what an earlier one decided. Python
identifiers (`py_name`) are settled here, next to the wire names they map to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeAlias

PrimitiveKind = Literal["str", "int", "float", "bool", "bytes", "any", "none", "datetime", "date"]


@dataclass(frozen=True, slots=True, kw_only=True)
class PrimitiveType:
    """A JSON scalar, or `any` for a schema that allows every value."""

    kind: PrimitiveKind


@dataclass(frozen=True, slots=True, kw_only=True)
class NamedType:
    """A reference to a generated class (model, enum or union alias) by its class name."""

    name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ListType:
    item: TypeRef


@dataclass(frozen=True, slots=True, kw_only=True)
class MapType:
    """A JSON object with free keys: `additionalProperties` or a free-form object."""

    value: TypeRef


@dataclass(frozen=True, slots=True, kw_only=True)
class LiteralType:
    """A `const`, a one-value enum, or an enum whose values do not share one type.

    Floats cannot appear in a `Literal` annotation; the renderer widens them to `float`.
    """

    values: tuple[str | int | float | bool, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class UnionType:
    """An inline `oneOf`/`anyOf` or a list of types.

    `discriminator` names the tag property when there is one: declared in the
    spec, or found as a property that every object variant fixes to its own
    value with `const` or a one-value enum.
    """

    variants: tuple[TypeRef, ...]
    discriminator: Discriminator | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class NullableType:
    inner: TypeRef


TypeRef: TypeAlias = (
    PrimitiveType | NamedType | ListType | MapType | LiteralType | UnionType | NullableType
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Discriminator:
    """The property that distinguishes union variants, and which tag value selects which class.

    `mapping` pairs each tag value with the class name of a `Model` variant.
    """

    wire_name: str
    mapping: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Field:
    """One property of an object schema.

    `required` is what the schema says. A `write_only` property never comes
    back from the server, so the model treats it as optional whatever
    `required` says. `default_json` is the spec's `default` (or the value of a
    `const` property) as JSON text, set only when the value fits `type`.
    """

    wire_name: str
    py_name: str
    type: TypeRef
    required: bool
    nullable: bool
    description: str | None = None
    deprecated: bool = False
    read_only: bool = False
    write_only: bool = False
    default_json: str | None = None
    pointer: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Model:
    """A named object schema, rendered as a dataclass.

    Keys the schema does not list are kept either way; `additional` is the
    type of their values when `additionalProperties` is a schema.
    """

    name: str
    module: str
    fields: tuple[Field, ...]
    additional: TypeRef | None = None
    description: str | None = None
    deprecated: bool = False
    pointer: str


@dataclass(frozen=True, slots=True, kw_only=True)
class EnumMember:
    py_name: str
    value: str | int | float | bool
    description: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class EnumModel:
    """A named string or integer enum, rendered as an `Enum` whose members equal their wire values."""

    name: str
    module: str
    base: Literal["str", "int"]
    members: tuple[EnumMember, ...]
    description: str | None = None
    pointer: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AliasModel:
    """A named schema that is not an object or enum: a union, array, map or scalar."""

    name: str
    module: str
    target: TypeRef
    description: str | None = None
    pointer: str


AnyModel: TypeAlias = Model | EnumModel | AliasModel

ParamLocation = Literal["path", "query", "header", "cookie"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Param:
    """One argument of a client method: a parameter or a flattened request-body property."""

    wire_name: str
    py_name: str
    location: ParamLocation | Literal["body"]
    type: TypeRef
    required: bool
    description: str | None = None
    deprecated: bool = False
    pointer: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Body:
    """A request body; JSON object bodies are flattened into keyword arguments."""

    content_type: str
    kind: Literal["json", "multipart", "form", "binary", "text"]
    fields: tuple[Param, ...]
    flattened: bool
    type: TypeRef | None
    required: bool
    pointer: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Response:
    """The success response of an operation.

    For `sse` (server-sent events) `type` is the type of each event's JSON
    data, or None when the spec does not describe it.
    """

    kind: Literal["json", "text", "binary", "sse", "empty"]
    type: TypeRef | None
    content_type: str | None
    pointer: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Pagination:
    """A cursor-paginated list operation.

    The response model contains the page's items in `items_field` and says in
    `has_more_field` whether more follow. The next page is requested with the
    same arguments plus `cursor_param` set to the `cursor_field` of the last
    item. Field names are the model's Python names; parameter names are wire
    names.
    """

    cursor_param: str
    limit_param: str
    items_field: str
    item_type: TypeRef
    cursor_field: str
    has_more_field: str
    pointer: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Operation:
    """One path and HTTP method, rendered as a client method."""

    method: str
    path: str
    operation_id: str | None
    py_name: str
    positional: tuple[str, ...]
    params: tuple[Param, ...]
    body: Body | None
    response: Response
    pagination: Pagination | None = None
    summary: str | None = None
    description: str | None = None
    deprecated: bool = False
    pointer: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Resource:
    """A group of operations reached as `client.<py_name>`; children are nested resources.

    `module` names the file under `resources/` that defines a top-level resource and
    its children; it differs from `py_name` where that is not a safe file name.
    """

    py_name: str
    module: str
    class_name: str
    operations: tuple[Operation, ...]
    children: tuple[Resource, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Auth:
    """Client authentication: a bearer token or an API key header, or nothing."""

    kind: Literal["bearer", "header", "none"]
    argument: str
    env_var: str
    header_name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Sdk:
    """The whole generated package."""

    package: str
    project_name: str
    client_class: str
    title: str
    description: str | None
    api_version: str
    base_url: str
    env_prefix: str
    auth: Auth
    resources: tuple[Resource, ...]
    models: tuple[AnyModel, ...]
    spec_hash: str
