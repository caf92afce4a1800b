"""Build the IR from a validated spec.

Naming rule (documented in docs/naming.md):

* With Python `x-codeSamples`, names are read from them: package and client
  class from the import, auth argument and env variable from the client
  construction, and per operation the resource path, method name and which
  arguments are positional.
* Without a sample, an operation goes to the resource of the sampled
  operation whose path shares the most leading static segments with it; with
  no such operation, to its first tag; with no tag, to its first static path
  segment that is not a version (`v1`). Its method name is the snake_case
  `operationId`, else the HTTP method plus the static path segments. The last
  path parameter is positional and the others are keyword-only, as in
  Stainless SDKs.
* Spec-level names without samples: package `<title words>_client` (`RunLoop
  API` -> `runloop_api_client`), client class from the title without a
  trailing "API" (`Runloop`), env prefix from the client class (`RUNLOOP`),
  auth env variable `<PREFIX>_API_KEY`.
* The config file overrides any of these.
"""

from __future__ import annotations

import ast
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import ir
from .config import Config
from .errors import SpecError
from .load import LoadedSpec
from .naming import (
    ANNOTATION_NAMES,
    CLIENT_CLASS_FORMS,
    RESERVED_ARGUMENTS,
    RESERVED_CLIENT_ATTRIBUTES,
    RESERVED_CLIENT_CLASSES,
    RESERVED_MODULE_FILES,
    RESERVED_MODULE_NAMES,
    RESOURCE_CLASS_FORMS,
    avoid,
    avoid_forms,
    deduplicate,
    identifier,
    module_name,
    package_name,
    pascal_case,
    snake_case,
    split_words,
)
from .samples import SampleCall, parse_python_sample, python_sample_source
from .walk_schemas import SchemaWalker, escape_pointer_token

log = logging.getLogger(__name__)

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_VERSION_SEGMENT = re.compile(r"^v\d+(\.\d+)*$|^\d{4}-\d{2}-\d{2}$")
_PATH_TEMPLATE = re.compile(r"\{([^{}]+)\}")
# Names the resource classes use for their own attributes.
_RESERVED_METHODS = frozenset({"with_raw_response", "with_streaming_response"})


@dataclass(frozen=True, slots=True)
class _RawOperation:
    method: str
    path: str
    node: Mapping[str, Any]
    path_item: Mapping[str, Any]
    pointer: str
    sample: SampleCall | None


def walk_spec(spec: LoadedSpec, config: Config | None = None) -> ir.Sdk:
    """Build the IR for a whole spec.

    Raises:
        SpecError: on the first construct that cannot be turned into code.
    """
    config = config or Config()
    document = spec.document
    schemas = SchemaWalker(spec)
    raw_operations = _collect_operations(document)
    samples = [raw.sample for raw in raw_operations if raw.sample is not None]

    schemas.walk_components()
    sdk_names = _sdk_names(document, samples, config)
    resources = _build_resources(schemas, raw_operations, config, sdk_names)

    models = tuple(schemas.models[name] for name in sorted(schemas.models))
    return ir.Sdk(
        package=sdk_names["package"],
        project_name=config.project_name or sdk_names["package"].replace("_", "-"),
        client_class=sdk_names["client_class"],
        title=_text(document.get("info", {}).get("title")) or sdk_names["client_class"],
        description=_text(document.get("info", {}).get("description")),
        api_version=str(document.get("info", {}).get("version", "")),
        base_url=config.base_url or _base_url(document),
        env_prefix=sdk_names["env_prefix"],
        auth=_auth(document, sdk_names, config),
        resources=resources,
        models=models,
        spec_hash=spec.content_hash,
    )


# -- spec-level names ----------------------------------------------------------


def _sdk_names(
    document: Mapping[str, Any], samples: list[SampleCall], config: Config
) -> dict[str, str]:
    title = _text(document.get("info", {}).get("title")) or "API"
    title_words = [word for word in re.split(r"[^0-9A-Za-z]+", title) if word]
    package = next((s.package for s in samples if s.package), None)
    client_class = next((s.client_class for s in samples if s.client_class), None)
    env_var = next((s.auth_env_var for s in samples if s.auth_env_var), None)
    argument = next((s.auth_argument for s in samples if s.auth_argument), None)

    if package is None:
        package = (
            "_".join(word.lower() for word in title_words) + "_client"
            if title_words
            else "api_client"
        )
    if client_class is None:
        words = (
            title_words[:-1]
            if len(title_words) > 1 and title_words[-1].lower() == "api"
            else title_words
        )
        client_class = "".join(word[:1].upper() + word[1:].lower() for word in words) or "Client"

    package = package_name(config.package_name or package)
    client_class = avoid_forms(
        pascal_case(config.client_class or client_class, "Client"),
        CLIENT_CLASS_FORMS,
        RESERVED_CLIENT_CLASSES,
    )
    env_prefix = config.env_prefix or _env_prefix(env_var) or snake_case(client_class).upper()
    return {
        "package": package,
        "client_class": client_class,
        "env_prefix": re.sub(r"[^A-Z0-9_]", "_", env_prefix.upper()),
        "env_var": config.auth_env_var or env_var or f"{env_prefix}_API_KEY",
        "argument": (
            identifier(config.auth_argument or argument or "", "api_key")
            if (config.auth_argument or argument)
            else ""
        ),
    }


def _env_prefix(env_var: str | None) -> str | None:
    if not env_var:
        return None
    for suffix in ("_API_KEY", "_API_TOKEN", "_TOKEN", "_KEY"):
        if env_var.endswith(suffix) and len(env_var) > len(suffix):
            return env_var[: -len(suffix)]
    return None


def _auth(document: Mapping[str, Any], names: dict[str, str], config: Config) -> ir.Auth:
    schemes = document.get("components", {}).get("securitySchemes", {})
    chosen: Mapping[str, Any] | None = None
    for requirement in document.get("security") or ():
        if isinstance(requirement, Mapping):
            for scheme_name in requirement:
                if isinstance(schemes.get(scheme_name), Mapping):
                    chosen = schemes[scheme_name]
                    break
        if chosen is not None:
            break
    if chosen is None and isinstance(schemes, Mapping):
        chosen = next(
            (value for _, value in sorted(schemes.items()) if isinstance(value, Mapping)),
            None,
        )

    kind: Any = "none"
    header_name = "Authorization"
    default_argument = "api_key"
    if chosen is not None:
        if chosen.get("type") == "http" and str(chosen.get("scheme", "")).lower() == "bearer":
            kind, default_argument = "bearer", "bearer_token"
        elif chosen.get("type") == "oauth2" or chosen.get("type") == "openIdConnect":
            kind, default_argument = "bearer", "bearer_token"
        elif (
            chosen.get("type") == "apiKey"
            and chosen.get("in") == "header"
            and isinstance(chosen.get("name"), str)
        ):
            kind, header_name = "header", chosen["name"]
    return ir.Auth(
        kind=kind,
        argument=names["argument"] or default_argument,
        env_var=names["env_var"],
        header_name=header_name,
    )


def _base_url(document: Mapping[str, Any]) -> str:
    servers = document.get("servers")
    if isinstance(servers, list) and servers and isinstance(servers[0], Mapping):
        url = servers[0].get("url")
        if isinstance(url, str):
            variables = servers[0].get("variables") or {}
            for name, variable in (variables.items() if isinstance(variables, Mapping) else ()):
                if isinstance(variable, Mapping) and "default" in variable:
                    url = url.replace("{" + str(name) + "}", str(variable["default"]))
            if url.startswith(("http://", "https://")):
                return url.rstrip("/")
    return "http://localhost"


# -- operations ----------------------------------------------------------------


def _collect_operations(document: Mapping[str, Any]) -> list[_RawOperation]:
    operations: list[_RawOperation] = []
    paths = document.get("paths") or {}
    for path in sorted(paths):
        path_item = paths[path]
        if not isinstance(path_item, Mapping):
            continue
        for method in HTTP_METHODS:
            node = path_item.get(method)
            if not isinstance(node, Mapping):
                continue
            if node.get("x-stainless-skip") is True:
                continue
            source = python_sample_source(dict(node))
            sample = parse_python_sample(source) if source else None
            pointer = f"#/paths/{escape_pointer_token(path)}/{method}"
            operations.append(_RawOperation(method, path, node, path_item, pointer, sample))
    return operations


def _static_segments(path: str) -> list[str]:
    return [segment for segment in path.strip("/").split("/") if segment and "{" not in segment]


def _derived_resource(
    raw: _RawOperation, sampled: list[tuple[list[str], tuple[str, ...]]]
) -> tuple[str, ...]:
    segments = _static_segments(raw.path)
    best: tuple[int, tuple[str, ...]] = (0, ())
    for sample_segments, resource in sampled:
        shared = 0
        for mine, theirs in zip(segments, sample_segments, strict=False):
            if mine != theirs:
                break
            shared += 1
        if shared > best[0] and not all(_VERSION_SEGMENT.match(s) for s in segments[:shared]):
            best = (shared, resource[:1])
    if best[1]:
        return best[1]
    tags = raw.node.get("tags")
    if isinstance(tags, list) and tags and isinstance(tags[0], str):
        return (snake_case(tags[0], "default"),)
    for segment in segments:
        if not _VERSION_SEGMENT.match(segment):
            return (snake_case(segment, "default"),)
    return ("default",)


def _derived_method(raw: _RawOperation) -> str:
    operation_id = raw.node.get("operationId")
    if isinstance(operation_id, str) and split_words(operation_id):
        return snake_case(operation_id, "call")
    words = [raw.method] + [s for s in _static_segments(raw.path) if not _VERSION_SEGMENT.match(s)]
    return snake_case("_".join(words), "call")


def _build_resources(
    schemas: SchemaWalker,
    raw_operations: list[_RawOperation],
    config: Config,
    sdk_names: dict[str, str],
) -> tuple[ir.Resource, ...]:
    sampled = [
        (_static_segments(raw.path), raw.sample.resource_path)
        for raw in raw_operations
        if raw.sample is not None and raw.sample.resource_path
    ]
    placed: dict[tuple[str, ...], dict[str, ir.Operation]] = {}
    # Operations with samples claim their names first, so derived names never take them.
    ordered = sorted(raw_operations, key=lambda raw: raw.sample is None)
    for raw in ordered:
        override = config.operation_override(
            _text(raw.node.get("operationId")), raw.method, raw.path
        )
        if raw.sample is not None and raw.sample.resource_path:
            resource_path = tuple(identifier(name, "resource") for name in raw.sample.resource_path)
            method_name = identifier(raw.sample.method, "call")
        else:
            resource_path = _derived_resource(raw, sampled)
            method_name = _derived_method(raw)
        if override is not None and override.resource:
            resource_path = tuple(
                identifier(part, "resource") for part in override.resource.split(".")
            )
        if override is not None and override.method:
            method_name = identifier(override.method, "call")
        resource_path = _safe_resource_path(resource_path, sdk_names["argument"])

        bucket = placed.setdefault(resource_path, {})
        if method_name in _RESERVED_METHODS:
            method_name = f"{method_name}_"
        if method_name in bucket:
            taken_by = bucket[method_name]
            log.debug(
                "method name %s.%s taken by %s; renaming",
                ".".join(resource_path),
                method_name,
                taken_by.pointer,
            )
            method_name = deduplicate(method_name, set(bucket))
        bucket[method_name] = _build_operation(schemas, raw, resource_path, method_name)

    # Resource classes share their module with the models and runtime names they
    # import, and the client module imports every top-level resource class beside
    # the client classes.
    client_class = sdk_names["client_class"]
    reserved_classes = {
        *schemas.models,
        *RESERVED_MODULE_NAMES,
        *(form.format(client_class) for form in CLIENT_CLASS_FORMS),
    }
    return _resource_tree(placed, reserved_classes)


def _safe_resource_path(resource_path: tuple[str, ...], auth_argument: str) -> tuple[str, ...]:
    """Make each resource name an identifier that no attribute of its owner class uses.

    A top-level resource is an attribute of the client; a nested one is an
    attribute of its parent resource class, defined before the methods whose
    annotations it would otherwise shadow.
    """
    names = [identifier(name, "resource") for name in resource_path]
    reserved_top = RESERVED_CLIENT_ATTRIBUTES | {auth_argument}
    safe = [avoid(names[0], reserved_top)] if names else []
    safe.extend(avoid(name, ANNOTATION_NAMES | _RESERVED_METHODS) for name in names[1:])
    return tuple(safe)


def _resource_tree(
    placed: dict[tuple[str, ...], dict[str, ir.Operation]],
    reserved_classes: set[str],
) -> tuple[ir.Resource, ...]:
    paths: set[tuple[str, ...]] = set()
    for resource_path in placed:
        for depth in range(1, len(resource_path) + 1):
            paths.add(resource_path[:depth])

    def build(
        prefix: tuple[str, ...], class_names: set[str], module: str, class_name: str
    ) -> ir.Resource:
        operations = placed.get(prefix, {})
        child_names = sorted(
            path[-1]
            for path in paths
            if len(path) == len(prefix) + 1 and path[: len(prefix)] == prefix
        )
        class_names.update(form.format(class_name) for form in RESOURCE_CLASS_FORMS)
        children = tuple(
            build((*prefix, name), class_names, module, _class_name(name, class_names))
            for name in child_names
        )
        renamed = {}
        for method_name in sorted(operations):
            operation = operations[method_name]
            # A method may not shadow a nested resource attribute.
            if method_name in child_names:
                new_name = deduplicate(f"{method_name}_", set(operations) | set(child_names))
                operation = _replace_name(operation, new_name)
            renamed[operation.py_name] = operation
        return ir.Resource(
            py_name=prefix[-1],
            module=module,
            class_name=class_name,
            operations=tuple(renamed[name] for name in sorted(renamed)),
            children=children,
        )

    top_level = sorted(path[0] for path in paths if len(path) == 1)
    modules: set[str] = set(RESERVED_MODULE_FILES)
    top_classes: set[str] = set(reserved_classes)
    resources = []
    for name in top_level:
        # Top-level classes meet in the client module; nested ones only in their own.
        class_name = _class_name(name, top_classes)
        top_classes.update(form.format(class_name) for form in RESOURCE_CLASS_FORMS)
        module = module_name(name, modules)
        resources.append(build((name,), set(reserved_classes), module, class_name))
    return tuple(resources)


def _class_name(resource_name: str, taken: set[str]) -> str:
    """Name a resource class so that none of the classes the templates derive from it is taken."""
    base = f"{pascal_case(resource_name)}Resource"
    candidate = base
    index = 2
    while any(form.format(candidate) in taken for form in RESOURCE_CLASS_FORMS):
        candidate = f"{base}_{index}"
        index += 1
    return candidate


def _replace_name(operation: ir.Operation, name: str) -> ir.Operation:
    from dataclasses import replace

    return replace(operation, py_name=name)


def _build_operation(
    schemas: SchemaWalker,
    raw: _RawOperation,
    resource_path: tuple[str, ...],
    method_name: str,
) -> ir.Operation:
    # Inline schemas are named after where the user meets them: `DevboxExecutionRetrieveResponse`.
    hint = "_".join((*resource_path, method_name))
    params = _collect_parameters(schemas, raw)
    taken: set[str] = set(RESERVED_ARGUMENTS)
    built: list[ir.Param] = []
    for parameter, pointer in params:
        wire_name = parameter["name"]
        location = parameter["in"]
        py_name = deduplicate(snake_case(wire_name, "param"), taken)
        if py_name in RESERVED_ARGUMENTS:
            py_name = deduplicate(f"{py_name}_", taken)
        taken.add(py_name)
        schema = parameter.get("schema", True)
        param_type = schemas.to_type(schema, f"{pointer}/schema", f"{hint}_{wire_name}")
        built.append(
            ir.Param(
                wire_name=wire_name,
                py_name=py_name,
                location=location,
                type=param_type,
                required=location == "path" or parameter.get("required") is True,
                description=_text(parameter.get("description")),
                deprecated=parameter.get("deprecated") is True,
                pointer=pointer,
            )
        )

    path_params = [param for param in built if param.location == "path"]
    declared = [name for name in _PATH_TEMPLATE.findall(raw.path)]
    path_params.sort(
        key=lambda param: (
            declared.index(param.wire_name) if param.wire_name in declared else len(declared)
        )
    )
    positional = _positional(raw.sample, path_params)

    body = _build_body(schemas, raw, taken, hint)
    response = _build_response(schemas, raw, hint)
    pagination = _pagination(schemas, raw, built, response)
    return ir.Operation(
        method=raw.method,
        path=raw.path,
        operation_id=_text(raw.node.get("operationId")),
        py_name=method_name,
        positional=positional,
        params=tuple(path_params) + tuple(param for param in built if param.location != "path"),
        body=body,
        response=response,
        pagination=pagination,
        summary=_text(raw.node.get("summary")),
        description=_text(raw.node.get("description")),
        deprecated=raw.node.get("deprecated") is True,
        pointer=raw.pointer,
    )


def _collect_parameters(
    schemas: SchemaWalker, raw: _RawOperation
) -> list[tuple[Mapping[str, Any], str]]:
    """Merge path-level and operation-level parameters; the operation's win on (name, in)."""
    merged: dict[tuple[str, str], tuple[Mapping[str, Any], str]] = {}
    path_pointer = raw.pointer.rsplit("/", 1)[0]
    for owner, base in ((raw.path_item, path_pointer), (raw.node, raw.pointer)):
        for index, parameter in enumerate(owner.get("parameters") or ()):
            pointer = f"{base}/parameters/{index}"
            resolved, _ = schemas.resolve(parameter, pointer)
            if not isinstance(resolved, Mapping) or not isinstance(resolved.get("name"), str):
                raise schemas.error("parameter must be an object with a string 'name'", pointer)
            location = resolved.get("in")
            if location not in ("path", "query", "header", "cookie"):
                raise schemas.error(
                    f"parameter 'in' must be path, query, header or cookie (found {location!r})",
                    pointer,
                )
            merged[(resolved["name"], location)] = (resolved, pointer)
    return list(merged.values())


def _positional(sample: SampleCall | None, path_params: list[ir.Param]) -> tuple[str, ...]:
    if not path_params:
        return ()
    if sample is None:
        return (path_params[-1].py_name,)
    by_wire = {param.wire_name: param.py_name for param in path_params}
    chosen: list[str] = []
    for index, value in enumerate(sample.positional):
        if value in by_wire and by_wire[value] not in chosen:
            chosen.append(by_wire[value])
        else:
            fallback = path_params[len(path_params) - len(sample.positional) + index :]
            if fallback and fallback[0].py_name not in chosen:
                chosen.append(fallback[0].py_name)
    order = [param.py_name for param in path_params]
    return tuple(sorted(chosen, key=order.index))


_BODY_KINDS = (
    ("application/json", "json"),
    ("multipart/form-data", "multipart"),
    ("application/x-www-form-urlencoded", "form"),
    ("application/octet-stream", "binary"),
    ("text/plain", "text"),
)


def _body_kind(content_type: str) -> str:
    base = content_type.split(";")[0].strip().lower()
    for prefix, kind in _BODY_KINDS:
        if base == prefix:
            return kind
    if base.endswith("+json") or base.endswith("/json"):
        return "json"
    if base.startswith("text/"):
        return "text"
    return "binary"


def _build_body(
    schemas: SchemaWalker, raw: _RawOperation, taken: set[str], hint: str
) -> ir.Body | None:
    request_body = raw.node.get("requestBody")
    if request_body is None:
        return None
    pointer = f"{raw.pointer}/requestBody"
    resolved, _ = schemas.resolve(request_body, pointer)
    content = resolved.get("content") if isinstance(resolved, Mapping) else None
    if not isinstance(content, Mapping) or not content:
        return None
    content_type = sorted(content, key=lambda ct: (_BODY_PREFERENCE.get(_body_kind(ct), 9), ct))[0]
    media = content[content_type] if isinstance(content[content_type], Mapping) else {}
    kind = _body_kind(content_type)
    schema_pointer = f"{pointer}/content/{escape_pointer_token(content_type)}/schema"
    schema = media.get("schema", True)
    body_type = schemas.to_type(schema, schema_pointer, f"{hint}_params")
    required = resolved.get("required") is True

    object_schema, object_pointer = schemas.resolve(schema, schema_pointer)
    fields: list[ir.Param] = []
    flattened = False
    if kind in ("json", "multipart", "form") and isinstance(body_type, ir.NamedType):
        model = schemas.models.get(body_type.name)
        if isinstance(model, ir.Model):
            flattened = True
            for field in model.fields:
                if field.read_only:
                    # The server sets read-only properties; a request never sends them.
                    continue
                py_name = snake_case(field.wire_name, "param")
                if py_name in taken or py_name in RESERVED_ARGUMENTS:
                    py_name = deduplicate(f"{py_name}_", taken)
                taken.add(py_name)
                fields.append(
                    ir.Param(
                        wire_name=field.wire_name,
                        py_name=py_name,
                        location="body",
                        type=field.type,
                        required=field.required,
                        description=field.description,
                        deprecated=field.deprecated,
                        pointer=field.pointer,
                    )
                )
    del object_schema, object_pointer
    return ir.Body(
        content_type=content_type,
        kind=kind,  # type: ignore[arg-type]
        fields=tuple(fields),
        flattened=flattened,
        type=body_type,
        required=required,
        pointer=pointer,
    )


_BODY_PREFERENCE = {"json": 0, "multipart": 1, "form": 2, "binary": 3, "text": 4}


def _build_response(schemas: SchemaWalker, raw: _RawOperation, hint: str) -> ir.Response:
    responses = raw.node.get("responses") or {}
    success = sorted(code for code in responses if str(code).startswith("2"))
    pointer = f"{raw.pointer}/responses"
    if not success:
        return ir.Response(kind="empty", type=None, content_type=None, pointer=pointer)
    code = success[0]
    pointer = f"{pointer}/{code}"
    resolved, _ = schemas.resolve(responses[code], pointer)
    content = resolved.get("content") if isinstance(resolved, Mapping) else None
    if not isinstance(content, Mapping):
        content = {}
    streamed = _declares_event_stream(schemas, resolved, pointer)
    if not content:
        if streamed:
            return ir.Response(kind="sse", type=None, content_type=_EVENT_STREAM, pointer=pointer)
        return ir.Response(kind="empty", type=None, content_type=None, pointer=pointer)

    if _EVENT_STREAM in content:
        content_type = _EVENT_STREAM
        streamed = True
    else:
        content_type = sorted(
            content, key=lambda ct: (_BODY_PREFERENCE.get(_body_kind(ct), 9), ct)
        )[0]
    kind = _body_kind(content_type)
    media = content[content_type] if isinstance(content[content_type], Mapping) else {}
    schema_pointer = f"{pointer}/content/{escape_pointer_token(content_type)}/schema"
    if streamed:
        # Each event's data is described by the media type's schema, whatever
        # content type declares it (Runloop declares JSON plus the header).
        schema = media.get("itemSchema", media.get("schema"))
        event_type = (
            None if schema is None else schemas.to_type(schema, schema_pointer, f"{hint}_event")
        )
        return ir.Response(kind="sse", type=event_type, content_type=_EVENT_STREAM, pointer=pointer)
    if kind == "json":
        schema = media.get("schema", True)
        response_type = schemas.to_type(schema, schema_pointer, f"{hint}_response")
        return ir.Response(
            kind="json", type=response_type, content_type=content_type, pointer=pointer
        )
    if kind == "text":
        return ir.Response(kind="text", type=None, content_type=content_type, pointer=pointer)
    return ir.Response(kind="binary", type=None, content_type=content_type, pointer=pointer)


_EVENT_STREAM = "text/event-stream"


def _declares_event_stream(schemas: SchemaWalker, response: Any, pointer: str) -> bool:
    """Tell whether a response declares `Content-Type: text/event-stream` as a response header.

    The header's description, or its schema's `const`, `enum`, `default` or
    `example`, must name the media type.
    """
    headers = response.get("headers") if isinstance(response, Mapping) else None
    if not isinstance(headers, Mapping):
        return False
    for name, header in headers.items():
        if not isinstance(name, str) or name.lower() != "content-type":
            continue
        resolved, _ = schemas.resolve(header, f"{pointer}/headers/{escape_pointer_token(name)}")
        if not isinstance(resolved, Mapping):
            continue
        schema = resolved.get("schema")
        values: list[Any] = [resolved.get("description"), resolved.get("example")]
        if isinstance(schema, Mapping):
            values.extend(schema.get(key) for key in ("const", "default", "example"))
            enum = schema.get("enum")
            if isinstance(enum, list):
                values.extend(enum)
        if any(isinstance(value, str) and _EVENT_STREAM in value.lower() for value in values):
            return True
    return False


# -- pagination ----------------------------------------------------------------

_CURSOR_PARAM = "starting_after"
_LIMIT_PARAM = "limit"
_HAS_MORE_FIELD = "has_more"
_CURSOR_FIELD = "id"


def _pagination(
    schemas: SchemaWalker,
    raw: _RawOperation,
    params: list[ir.Param],
    response: ir.Response,
) -> ir.Pagination | None:
    """Detect a cursor-paginated list operation.

    The pattern: a GET with `starting_after` and `limit` query parameters,
    whose JSON response model has a boolean `has_more` and exactly one array
    field, of models that carry an `id`. When the operation has a Python code
    sample, it must also show a page (`page = client...`), because the
    Stainless SDKs do not paginate every operation of this shape.
    """
    if raw.method != "get" or response.kind != "json":
        return None
    query = {param.wire_name: param for param in params if param.location == "query"}
    if _CURSOR_PARAM not in query or _LIMIT_PARAM not in query:
        return None
    model = _model_of(schemas, response.type)
    if model is None:
        return None

    has_more = next((f for f in model.fields if f.wire_name == _HAS_MORE_FIELD), None)
    if has_more is None or _unwrap_nullable(has_more.type) != ir.PrimitiveType(kind="bool"):
        return None
    lists = [f for f in model.fields if isinstance(_unwrap_nullable(f.type), ir.ListType)]
    if len(lists) != 1:
        return None
    items_field = lists[0]
    list_type = _unwrap_nullable(items_field.type)
    assert isinstance(list_type, ir.ListType)
    item_model = _model_of(schemas, list_type.item)
    if item_model is None:
        return None
    cursor = next((f for f in item_model.fields if f.wire_name == _CURSOR_FIELD), None)
    if cursor is None:
        return None

    source = python_sample_source(dict(raw.node))
    if source is not None and not _sample_shows_page(source):
        log.debug("%s: list shape without a page in its code sample; not paginated", raw.pointer)
        return None
    return ir.Pagination(
        cursor_param=_CURSOR_PARAM,
        limit_param=_LIMIT_PARAM,
        items_field=items_field.py_name,
        item_type=list_type.item,
        cursor_field=cursor.py_name,
        has_more_field=has_more.py_name,
        pointer=response.pointer,
    )


def _model_of(schemas: SchemaWalker, type_ref: ir.TypeRef | None) -> ir.Model | None:
    if not isinstance(type_ref, ir.NamedType):
        return None
    model = schemas.models.get(type_ref.name)
    return model if isinstance(model, ir.Model) else None


def _unwrap_nullable(type_ref: ir.TypeRef) -> ir.TypeRef:
    while isinstance(type_ref, ir.NullableType):
        type_ref = type_ref.inner
    return type_ref


def _sample_shows_page(source: str) -> bool:
    """Tell whether a Python code sample assigns a call's result to `page`."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return False
    return any(
        isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and any(isinstance(target, ast.Name) and target.id == "page" for target in node.targets)
        for node in ast.walk(tree)
    )


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


__all__ = ["walk_spec", "SpecError"]
