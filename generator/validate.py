"""Check a loaded spec against the OpenAPI schema and the rules the generator relies on.

openapi-spec-validator does the structural checks. Its semantic checks (path
parameters, duplicate operationIds, defaults that do not match their schema) report no
position, and it raises on a dangling ``$ref``. This module adds the positions, runs
its own checks for what the generator depends on, and turns every problem into a
``Finding``.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import unquote

import referencing
import referencing.exceptions
from jsonschema.exceptions import UnknownType, ValidationError, best_match
from jsonschema.validators import validator_for
from jsonschema_path import SchemaPath
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
from openapi_spec_validator.validation.exceptions import (
    DuplicateOperationIDError,
    OpenAPIValidationError,
    UnresolvableParameterError,
)
from referencing.jsonschema import DRAFT202012

from .errors import SourceLocation, SpecError, SpecErrors
from .load import (
    LoadedSpec,
    iter_references,
    join_pointer,
    resolve_pointer,
    split_pointer,
)

__all__ = ["Finding", "check_findings", "validate_spec"]

log = logging.getLogger(__name__)

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# Longer validator messages are cut: they quote the offending value, which can be a
# whole schema.
MAX_MESSAGE_CHARS = 200

_WRONG_TYPE = "wrong type:"
_PATH_TEMPLATE_NAME = re.compile(r"\{([^{}]*)\}")
_REQUIRED_MESSAGE = re.compile(r"^'(.+)' is a required property$")
_JSON_TYPE_NAMES = {
    dict: "object",
    list: "array",
    str: "string",
    bool: "boolean",
    int: "integer",
    float: "number",
    type(None): "null",
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found in a spec, with its position."""

    message: str
    pointer: str
    location: SourceLocation | None
    severity: Literal["error", "warning"] = "error"

    def as_error(self) -> SpecError:
        return SpecError(self.message, self.pointer, self.location)


def validate_spec(spec: LoadedSpec) -> list[Finding]:
    """Collect every problem in a spec, sorted by file, line, column and pointer.

    Problems in the spec become findings, so this function does not raise for them.
    """
    started = time.perf_counter()
    checker = _Checker(spec)
    checker.run()
    findings = checker.sorted_findings()
    errors = sum(1 for finding in findings if finding.severity == "error")
    log.info(
        "validated %s: %d error(s), %d warning(s) in %.2f s",
        spec.path,
        errors,
        len(findings) - errors,
        time.perf_counter() - started,
    )
    return findings


def check_findings(findings: Sequence[Finding], *, strict: bool = False) -> None:
    """Raise the error-severity findings, if any; with `strict`, warnings count as errors.

    Raises:
        SpecErrors: one or more findings have severity "error" (or any finding, when strict).
    """
    problems = [finding.as_error() for finding in findings if strict or finding.severity == "error"]
    if problems:
        raise SpecErrors(problems)


@dataclass(frozen=True, slots=True)
class _PathParameter:
    """An ``in: path`` parameter: where it is listed and where it is written."""

    name: str
    site: tuple[str, ...]  # the entry in a parameters list
    tokens: tuple[str, ...]  # the parameter object, after following local refs
    value: dict[str, Any]


class _Checker:
    """One validation run: own checks first, then openapi-spec-validator."""

    def __init__(self, spec: LoadedSpec) -> None:
        self.spec = spec
        self.document = spec.document
        self.findings: list[Finding] = []
        # Pointers whose whole subtree an own check has already explained, so the
        # validator's rewording of the same problem is dropped.
        self.explained: set[tuple[str, ...]] = set()
        # `$ref` objects the validator must not see: it raises on a dangling one and
        # recurses without end on a loop.
        self.unusable_refs: list[tuple[str, ...]] = []
        self.paths_required_reported = False

    def add(
        self,
        message: str,
        tokens: Sequence[str],
        severity: Literal["error", "warning"] = "error",
    ) -> None:
        pointer = join_pointer("#", *tokens)
        self.findings.append(Finding(message, pointer, self.spec.locate(pointer), severity))

    def sorted_findings(self) -> list[Finding]:
        unique = {(finding.pointer, finding.message): finding for finding in self.findings}
        return sorted(unique.values(), key=_sort_key)

    def run(self) -> None:
        validator_class = self._check_version()
        if validator_class is None:
            return
        self._check_references()
        self._check_path_parameters()
        if validator_class is OpenAPIV30SpecValidator and "paths" not in self.document:
            self.add(
                "an OpenAPI 3.0 document must have 'paths'; the SDK gets no resources",
                (),
                "warning",
            )
            self.paths_required_reported = True
        self._run_validator(validator_class)

    # Version ------------------------------------------------------------------------

    def _check_version(
        self,
    ) -> type[OpenAPIV30SpecValidator] | type[OpenAPIV31SpecValidator] | None:
        version = self.document.get("openapi")
        if version is None:
            if "swagger" in self.document:
                self.add(
                    "not supported: Swagger/OpenAPI 2.0; convert the spec to OpenAPI 3.0 or 3.1",
                    ("swagger",),
                )
            else:
                self.add("missing 'openapi' field (expected a version such as '3.1.0')", ())
            return None
        if not isinstance(version, str):
            self.add(
                f"'openapi' must be a string such as '3.1.0' (found {version!r}; quote it in YAML)",
                ("openapi",),
            )
            return None
        if version.startswith("3.0"):
            return OpenAPIV30SpecValidator
        if version.startswith("3.1"):
            return OpenAPIV31SpecValidator
        self.add(
            f"not supported: OpenAPI version {version!r} (expected 3.0.x or 3.1.x)",
            ("openapi",),
        )
        return None

    # References ---------------------------------------------------------------------

    def _check_references(self) -> None:
        problems: dict[str, str | None] = {}  # fragment -> problem, None when usable
        for tokens, ref in iter_references(self.document):
            ref_tokens = (*tokens, "$ref")
            if not ref.startswith("#"):
                # load_spec bundles every file reference, so this is a spec built another way.
                self.add(
                    f"$ref {ref!r} names another file; load the spec with load_spec",
                    ref_tokens,
                )
                continue
            fragment = ref[1:]
            if fragment not in problems:
                problems[fragment] = self._reference_problem(ref)
            problem = problems[fragment]
            if problem is not None:
                self.add(problem, ref_tokens)
                self.unusable_refs.append(tokens)

    def _reference_problem(self, ref: str) -> str | None:
        """Describe why a local ``$ref`` cannot be used, or return None."""
        original = ref
        seen = {ref}
        while True:
            try:
                node = resolve_pointer(self.document, unquote(ref[1:]))
            except (LookupError, ValueError):
                return f"$ref target {ref!r} not found"
            if not isinstance(node, dict) or not isinstance(node.get("$ref"), str):
                return None
            ref = node["$ref"]
            if not ref.startswith("#"):
                return None
            if ref in seen:
                return (
                    f"$ref {original!r} never reaches a value: its chain of $refs "
                    f"loops back to {ref!r}"
                )
            seen.add(ref)

    def _resolve_local(self, node: Any, tokens: tuple[str, ...]) -> tuple[Any, tuple[str, ...]]:
        """Follow local ``$ref``s from a node; return the target and its pointer tokens."""
        seen: set[str] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if not ref.startswith("#") or ref in seen:
                break
            seen.add(ref)
            try:
                target_tokens = tuple(split_pointer(unquote(ref[1:])))
                node = resolve_pointer(self.document, unquote(ref[1:]))
            except (LookupError, ValueError):
                break
            tokens = target_tokens
        return node, tokens

    # Path parameters ----------------------------------------------------------------

    def _check_path_parameters(self) -> None:
        paths = self.document.get("paths")
        if not isinstance(paths, dict):
            return
        reported_required: set[tuple[str, ...]] = set()
        for template, item in paths.items():
            item, item_tokens = self._resolve_local(item, ("paths", template))
            if not isinstance(item, dict):
                continue
            names = set(_PATH_TEMPLATE_NAME.findall(template))
            shared = self._path_parameters(item.get("parameters"), (*item_tokens, "parameters"))
            self._check_declared(shared, template, names, reported_required)

            for method in HTTP_METHODS:
                operation = item.get(method)
                if not isinstance(operation, dict):
                    continue
                operation_tokens = (*item_tokens, method)
                own = self._path_parameters(
                    operation.get("parameters"), (*operation_tokens, "parameters")
                )
                declared = {parameter.name for parameter in (*shared, *own)}
                for name in sorted(names - declared):
                    self.add(
                        f"path parameter '{name}' in '{template}' is not declared; add a parameter "
                        f"with 'in: path' and 'name: {name}' to the operation or the path",
                        operation_tokens,
                    )
                self._check_declared(own, template, names, reported_required)

    def _path_parameters(
        self, parameters: Any, list_tokens: tuple[str, ...]
    ) -> list[_PathParameter]:
        """Collect the ``in: path`` parameters of a parameter list, following local refs."""
        if not isinstance(parameters, list):
            return []
        found = []
        for position, parameter in enumerate(parameters):
            site = (*list_tokens, str(position))
            parameter, tokens = self._resolve_local(parameter, site)
            if (
                isinstance(parameter, dict)
                and parameter.get("in") == "path"
                and isinstance(parameter.get("name"), str)
            ):
                found.append(_PathParameter(parameter["name"], site, tokens, parameter))
        return found

    def _check_declared(
        self,
        parameters: list[_PathParameter],
        template: str,
        names: set[str],
        reported_required: set[tuple[str, ...]],
    ) -> None:
        for parameter in parameters:
            if parameter.name not in names:
                # At the list entry, not a shared component: the template is the problem.
                self._not_in_template(parameter.name, template, parameter.site)
            if parameter.tokens not in reported_required:
                reported_required.add(parameter.tokens)
                self._check_required(parameter)

    def _not_in_template(self, name: str, template: str, tokens: tuple[str, ...]) -> None:
        self.add(
            f"path parameter '{name}' does not appear in the path template '{template}'",
            tokens,
        )

    def _check_required(self, parameter: _PathParameter) -> None:
        required = parameter.value.get("required")
        if required is True:
            return
        if "required" not in parameter.value:
            found = "required is missing"
        else:
            found = f"found required: {_yaml_repr(required)}"
        self.add(
            f"path parameter '{parameter.name}' must be required ({found}); "
            "the SDK requires it anyway",
            parameter.tokens,
            "warning",
        )
        self.explained.add(parameter.tokens)

    # openapi-spec-validator ---------------------------------------------------------

    def _run_validator(
        self, base: type[OpenAPIV30SpecValidator] | type[OpenAPIV31SpecValidator]
    ) -> None:
        document = _without_refs(self.document, self.unusable_refs)
        validator = _tracking_class(base)(document)
        found: list[Finding] = []
        # openapi-spec-validator reports one meta-schema error per Schema Object;
        # _stable_schema_meta makes it the same one on every run.
        try:
            for error in validator.iter_errors():
                finding = self._finding_from_error(error)
                if finding is not None:
                    found.append(finding)
        except RecursionError:
            self.add(
                "nesting too deep for openapi-spec-validator; some checks did not run",
                (),
                "warning",
            )
        except (
            referencing.exceptions.Unresolvable,
            # A schema whose `type` is not a JSON type (reported by the schema pass)
            # makes the check of its `default` raise instead of yielding an error.
            UnknownType,
            AssertionError,
            AttributeError,
            KeyError,
            IndexError,
            TypeError,
            ValueError,
        ) as exc:
            # The semantic pass assumes the structure the schema pass may just have
            # reported as wrong, so a failure after reported errors follows from them.
            if not found:
                message = _shorten(f"{type(exc).__name__}: {exc}")
                self.add(
                    f"openapi-spec-validator failed ({message}); some checks did not run",
                    (),
                    "warning",
                )
            log.debug("openapi-spec-validator stopped after %d finding(s): %r", len(found), exc)
        finally:
            _clear_validator_cache()

        # A value of the wrong type also fails every other rule at its position, and
        # only the type error names the fix.
        wrong_type = {f.pointer for f in found if f.message.startswith(_WRONG_TYPE)}
        self.findings.extend(
            finding
            for finding in found
            if finding.pointer not in wrong_type or finding.message.startswith(_WRONG_TYPE)
        )

    def _finding_from_error(self, error: ValidationError) -> Finding | None:
        if isinstance(error, UnresolvableParameterError):
            return None  # _check_path_parameters reports these with a position
        base = getattr(error, _TOKENS_ATTRIBUTE, ())
        chosen = _pick_sub_error(error)
        message = getattr(error, _PREFIX_ATTRIBUTE, "") + _error_message(chosen)
        tokens = (*base, *(str(token) for token in chosen.absolute_path))
        if isinstance(error, DuplicateOperationIDError):
            tokens = (*tokens, "operationId")
        tokens = _concrete_tokens(self.document, tokens)

        if any(tokens[: len(explained)] == explained for explained in self.explained):
            return None
        if self.paths_required_reported and not tokens and "'paths'" in message:
            return None
        pointer = join_pointer("#", *tokens)
        consequence = _code_neutral(error, chosen, tokens)
        if consequence is not None:
            return Finding(
                f"{message}; {consequence}", pointer, self.spec.locate(pointer), "warning"
            )
        return Finding(message, pointer, self.spec.locate(pointer))


# Keywords the generator never reads, or reads only when they have the expected type
# and otherwise treats as absent: a bad value there leaves the generated code as it
# would be without the keyword.
_UNUSED_KEYWORDS = frozenset(
    {
        "$comment",
        "$recursiveAnchor",
        "allowEmptyValue",
        "allowReserved",
        "callbacks",
        "contact",
        "deprecated",
        "description",
        "encoding",
        "example",
        "examples",
        "exclusiveMaximum",
        "exclusiveMinimum",
        "explode",
        "externalDocs",
        "headers",
        "license",
        "links",
        "maxItems",
        "maxLength",
        "maxProperties",
        "maximum",
        "minItems",
        "minLength",
        "minProperties",
        "minimum",
        "multipleOf",
        "nullable",
        "pattern",
        "readOnly",
        "required",
        "security",
        "servers",
        "style",
        "summary",
        "termsOfService",
        "title",
        "uniqueItems",
        "writeOnly",
        "xml",
    }
)


def _code_neutral(
    error: ValidationError, chosen: ValidationError, tokens: Sequence[str]
) -> str | None:
    """Say why a validator finding cannot change the generated code, or return None.

    Such findings are warnings: generation goes on, and `--strict` makes them errors.
    Everything not listed here stays an error.
    """
    if getattr(error, _PREFIX_ATTRIBUTE, ""):
        return "the SDK does not use a default that does not fit its schema"
    if isinstance(error, DuplicateOperationIDError):
        return "method names are made unique within their resource"
    if chosen.validator in ("additionalProperties", "unevaluatedProperties"):
        return "the generator ignores a field it does not know"
    if chosen.validator == "uniqueItems":
        return "the generator ignores repeated entries"
    keyword = tokens[-1] if tokens else ""
    if keyword in _UNUSED_KEYWORDS and _in_unused_position(tokens):
        return f"the generator does not use this '{keyword}'"
    return None


def _in_unused_position(tokens: Sequence[str]) -> bool:
    """Tell whether a keyword sits where it has its OpenAPI meaning, not as a property name.

    `properties/title` is a property called "title", and its schema matters.
    """
    return len(tokens) < 2 or tokens[-2] not in ("properties", "patternProperties")


def _sort_key(finding: Finding) -> tuple[Any, ...]:
    location = finding.location
    if location is None:
        return (1, "", 0, 0, finding.pointer)
    return (0, location.file, location.line or 0, location.column or 0, finding.pointer)


def _yaml_repr(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_MESSAGE_CHARS else text[: MAX_MESSAGE_CHARS - 1] + "…"


def _without_refs(document: dict[str, Any], sites: Iterable[tuple[str, ...]]) -> dict[str, Any]:
    """Copy the document with each dangling ``$ref`` object replaced by ``{}``.

    openapi-spec-validator raises on the first unresolvable reference and stops. With
    the dangling ones removed it reports everything else. Only the containers on the
    way to each site are copied.
    """
    result = document
    for tokens in sites:
        if not tokens:
            continue
        result = _replace_at(result, tokens, {})
    return result


def _replace_at(node: Any, tokens: tuple[str, ...], value: Any) -> Any:
    head, rest = tokens[0], tokens[1:]
    if isinstance(node, dict):
        copy: Any = dict(node)
        copy[head] = value if not rest else _replace_at(node[head], rest, value)
        return copy
    copy = list(node)
    copy[int(head)] = value if not rest else _replace_at(node[int(head)], rest, value)
    return copy


def _concrete_tokens(document: Mapping[str, Any], tokens: Sequence[str]) -> tuple[str, ...]:
    """Turn a path that steps through ``$ref``s into the pointer where the value is written.

    The validator reports the path it walked, such as
    ``paths/~1pets/get/.../schema/properties/id`` where ``schema`` is a ``$ref``;
    the finding should point into the referenced schema instead.
    """
    node: Any = document
    result: list[str] = []
    for position, token in enumerate(tokens):
        hops = 0
        while (
            isinstance(node, dict)
            and token not in node
            and isinstance(node.get("$ref"), str)
            and node["$ref"].startswith("#")
            and hops < 32
        ):
            hops += 1
            try:
                target = split_pointer(unquote(node["$ref"][1:]))
                node = resolve_pointer(document, unquote(node["$ref"][1:]))
            except (LookupError, ValueError):
                return (*result, *tokens[position:])
            result = list(target)
        try:
            node = node[token] if isinstance(node, dict) else node[int(token)]
        except (LookupError, ValueError, TypeError):
            return (*result, *tokens[position:])
        result.append(token)
    return tuple(result)


# Messages ---------------------------------------------------------------------------


def _pick_sub_error(error: ValidationError) -> ValidationError:
    """Descend through failed oneOf/anyOf to the alternative most likely meant.

    OpenAPI's schema offers "a Reference Object" as one alternative almost everywhere,
    and its "'$ref' is a required property" is rarely the useful message. The descent
    stops at a group of missing-field alternatives, which _error_message lists.
    """
    while error.context:
        # Sorted first: jsonschema lists the errors of some keywords in set order, and
        # best_match keeps the first of equally relevant errors.
        context = sorted(error.context, key=_error_order)
        candidates = [
            sub for sub in context if not (sub.validator == "required" and "'$ref'" in sub.message)
        ] or context
        if len(candidates) > 1 and all(sub.validator == "required" for sub in candidates):
            break
        chosen: ValidationError | None = best_match(candidates)
        if chosen is None:
            break
        error = chosen
    return error


def _error_order(error: ValidationError) -> tuple[str, ...]:
    """Order errors by where they are in the document.

    Used with a stable sort: errors at one place keep jsonschema's order, which follows
    the schema's keywords and alternatives.
    """
    return tuple(str(part) for part in error.absolute_path)


def _error_message(error: ValidationError) -> str:
    if error.context and all(sub.validator == "required" for sub in error.context):
        names = [
            match.group(1)
            for sub in error.context
            if (match := _REQUIRED_MESSAGE.match(sub.message)) is not None
        ]
        if len(names) > 1:
            quoted = ", ".join(f"'{name}'" for name in names)
            return f"missing field: expected one of {quoted}"

    if error.validator == "type":
        expected = error.validator_value
        if isinstance(expected, list):
            expected = " or ".join(expected)
        return f"{_WRONG_TYPE} expected {expected}, found {_json_type(error.instance)}"
    if error.validator == "const":
        expected = _yaml_repr(error.validator_value)
        return f"expected {expected} (found {_yaml_repr(error.instance)})"

    # jsonschema messages start with the offending value, which for an object or
    # array can be a whole schema.
    message = error.message
    instance_text = repr(error.instance)
    if isinstance(error.instance, (dict, list)) and message.startswith(instance_text):
        message = f"this {_json_type(error.instance)}" + message[len(instance_text) :]
    return _shorten(message)


def _json_type(value: Any) -> str:
    return _JSON_TYPE_NAMES.get(type(value), type(value).__name__)


# Error positions from openapi-spec-validator's semantic pass -------------------------

_TOKENS_ATTRIBUTE = "_sdkgen_tokens"
_PREFIX_ATTRIBUTE = "_sdkgen_prefix"


def _tracking_class(base: type[Any]) -> type[Any]:
    """Subclass a spec validator so errors of its semantic checks carry a document path.

    Each keyword validator receives the ``SchemaPath`` it checks. The subclass records
    that path on every error it yields, unless an inner keyword validator already did.
    """
    # NOTE: keyword_validators is internal to openapi-spec-validator. It is checked
    # with 0.9.0 only, and without it the semantic errors are reported at "#".
    registry = getattr(base, "keyword_validators", None)
    if not isinstance(registry, Mapping):
        return base
    keyword_validators = {
        keyword: _tracking_keyword(keyword, validator) for keyword, validator in registry.items()
    }
    attributes: dict[str, Any] = {"keyword_validators": keyword_validators}
    schema_validator = _crawled_schema_validator(base)
    if schema_validator is not None:
        attributes["schema_validator"] = schema_validator
    return type(f"Tracking{base.__name__}", (base,), attributes)


def _crawled_schema_validator(base: type[Any]) -> Any:
    """Build the structural validator of a spec validator over a registry crawled once.

    jsonschema adds the OpenAPI schema to its registry uncrawled. The 3.1 schema
    resolves ``$dynamicRef: "#meta"`` at every Schema Object in the document, and
    referencing 0.37 crawls the whole OpenAPI schema for each such lookup, then drops
    the result. With the anchors found up front, the lookups find them without a crawl.
    Returns None when the validator is not a jsonschema one (the jsonschema-rs backend).
    """
    # NOTE: schema_validator is an undocumented class attribute of openapi-spec-validator
    # (checked with 0.9.0). Without it the spec is still validated, only slower.
    current = getattr(base, "schema_validator", None)
    schema = getattr(current, "schema", None)
    if not isinstance(schema, Mapping):
        return None
    validator_class = validator_for(schema)
    if not isinstance(current, validator_class):
        return None
    # The OpenAPI 3.0 and 3.1 schemas reference only themselves and the JSON Schema
    # meta-schemas, which jsonschema adds to any registry, so no retrieval is needed.
    resource = referencing.Resource.from_contents(schema, default_specification=DRAFT202012)
    registry = referencing.Registry().with_resource(resource.id() or "", resource).crawl()
    return validator_class(schema, registry=registry)


def _tracking_keyword(keyword: str, validator: type[Any]) -> type[Any]:
    def __call__(self: Any, *args: Any, **kwargs: Any) -> Iterator[ValidationError]:
        where = next((arg for arg in args if isinstance(arg, SchemaPath)), None)
        for error in validator.__call__(self, *args, **kwargs):
            if not isinstance(error, OpenAPIValidationError):
                # The validator re-creates any other error type on the way out, which
                # would drop the attribute set below.
                error = OpenAPIValidationError.create_from(error)
            if where is not None and not hasattr(error, _TOKENS_ATTRIBUTE):
                tokens = tuple(str(part) for part in where.parts)
                if keyword == "default":
                    tokens = (*tokens, "default")
                    setattr(
                        error,
                        _PREFIX_ATTRIBUTE,
                        "default value does not match its schema: ",
                    )
                setattr(error, _TOKENS_ATTRIBUTE, tokens)
            yield error

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        validator.__init__(self, *args, **kwargs)
        # NOTE: these attribute names are internal to openapi-spec-validator (checked
        # with 0.9.0). Where they are missing, the lists stay as they are.
        for name in _SCHEMA_ID_LISTS:
            if type(getattr(self, name, None)) is list:
                setattr(self, name, _IndexedList(getattr(self, name)))

    attributes: dict[str, Any] = {"__call__": __call__, "__init__": __init__}
    if hasattr(validator, "_validate_schema_meta"):
        attributes["_validate_schema_meta"] = _stable_schema_meta(validator)
    return type(f"Tracking{validator.__name__}", (validator,), attributes)


def _stable_schema_meta(validator: type[Any]) -> Any:
    """Make the meta-schema error reported for a Schema Object the same on every run.

    openapi-spec-validator reports the first error that jsonschema's `check_schema`
    raises, and jsonschema walks `additionalProperties` (the entries of `properties`)
    in set order, so which of several errors comes first changes with PYTHONHASHSEED.
    For a schema that failed, all errors are collected again and the most relevant is
    chosen from them in document path order.
    """

    def _validate_schema_meta(self: Any, schema: Any, schema_value: Any) -> Any:
        error = validator._validate_schema_meta(self, schema, schema_value)
        if error is None:
            return None
        # NOTE: _get_schema_checker, _validate_schema_meta and the registry imported
        # below are internal to openapi-spec-validator and openapi-schema-validator
        # (checked with 0.9.0). Where any is missing, the first error is kept.
        try:
            checker = self._get_schema_checker(schema, schema_value)
        except ValueError:
            return error

        function = getattr(checker, "func", checker)
        schema_class = getattr(function, "__self__", None)
        meta_schema = getattr(schema_class, "META_SCHEMA", None)
        if schema_class is None or not isinstance(meta_schema, Mapping):
            return error

        meta_class = validator_for(meta_schema, default=schema_class)
        options = getattr(checker, "keywords", {})
        format_checker = options.get("format_checker", schema_class.FORMAT_CHECKER)
        try:
            # The registry openapi-schema-validator's own check_schema uses (0.9.0).
            from openapi_schema_validator._specifications import REGISTRY
        except ImportError:
            return error
        meta = meta_class(schema=meta_schema, format_checker=format_checker, registry=REGISTRY)
        try:
            chosen = best_match(sorted(meta.iter_errors(schema_value), key=_error_order))
        except referencing.exceptions.Unresolvable:
            return error
        if chosen is None:
            return error
        return OpenAPIValidationError.create_from(chosen)

    return _validate_schema_meta


# The schema keyword validator records the ids of the schemas it has checked in lists
# and tests membership before each schema, in quadratic time. Indexing them cut
# `sdkgen validate` of 6,000 small 3.0 schemas from 12.0 s to 6.7 s (2-core machine).
_SCHEMA_ID_LISTS = ("visited_schema_ids", "meta_checked_schema_ids")


class _IndexedList(list[Any]):
    """A list of hashable items that tests membership in constant time.

    `append` keeps the index current. Any other change that alters the length (none
    in openapi-spec-validator 0.9.0) makes the next membership test rebuild it.
    """

    def __init__(self, items: Iterable[Any] = ()) -> None:
        super().__init__(items)
        self._rebuild_index()

    def _rebuild_index(self) -> None:
        self._members = set(self)
        self._indexed_length = len(self)

    def append(self, item: Any) -> None:
        super().append(item)
        self._members.add(item)
        self._indexed_length += 1

    def __contains__(self, item: object) -> bool:
        if len(self) != self._indexed_length:
            self._rebuild_index()
        return item in self._members


def _clear_validator_cache() -> None:
    # NOTE: openapi-spec-validator 0.9 caches iter_errors() per validator instance in
    # an unbounded functools.lru_cache, which would keep every validated document alive.
    iter_errors = getattr(OpenAPIV31SpecValidator.iter_errors, "__wrapped__", None)
    cache_clear = getattr(iter_errors, "cache_clear", None)
    if cache_clear is not None:
        cache_clear()
