"""Render the IR into the files of a generated project.

`render_files` returns a mapping of relative path to file text and touches no
disk, so callers can format, compare or write it as they need.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from . import __version__, ir
from .errors import SourceLocation, SpecError
from .layout import layout_parameter, layout_return
from .pysource import (
    GENERATED_HEADER,
    IMPORTS_MARKER,
    ImportSection,
    TypeRenderer,
    _used_names,
    comment,
    docstring,
    docstring_text,
    finalize_imports,
    module_sort_key,
    pystr,
    sort_all,
    sort_by_module,
    sort_imports,
    strongly_connected,
    tomlstr,
)
from .views import method_view, model_view, qualify_method

log = logging.getLogger(__name__)

BUILTIN_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def templates_dir() -> Path:
    """Locate the built-in templates: the source checkout's folder, else the installed copy."""
    if BUILTIN_TEMPLATES.is_dir():
        return BUILTIN_TEMPLATES
    installed = Path(__file__).resolve().parent / "_templates"
    return installed


@dataclass(frozen=True, slots=True)
class _ResourceView:
    """A resource plus what its template needs: its own operations and its nested resources."""

    resource: ir.Resource
    path: tuple[str, ...]


def make_environment(override_dir: Path | None = None) -> jinja2.Environment:
    """Build the Jinja environment; templates in `override_dir` replace built-in ones by file name."""
    search_path = [str(templates_dir())]
    if override_dir is not None:
        search_path.insert(0, str(override_dir))
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(search_path),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["pystr"] = pystr
    environment.filters["layout_parameter"] = layout_parameter
    environment.filters["layout_return"] = layout_return
    environment.filters["docstring"] = docstring
    environment.filters["doctext"] = docstring_text
    environment.filters["comment"] = comment
    environment.filters["tomlstr"] = tomlstr
    environment.filters["sort_all"] = sort_all
    environment.filters["sort_imports"] = sort_imports
    environment.filters["sort_by_module"] = sort_by_module
    return environment


def render_files(sdk: ir.Sdk, override_dir: Path | None = None) -> dict[str, str]:
    """Render every generated file; keys are POSIX paths relative to the output folder.

    Raises:
        SpecError: a user-supplied template is broken.
    """
    environment = make_environment(override_dir)
    types = TypeRenderer({model.name: model for model in sdk.models})
    header = GENERATED_HEADER.format(version=__version__)
    context: dict[str, Any] = {
        "sdk": sdk,
        "header": header,
        "types": types,
        "version": __version__,
        "imports_marker": IMPORTS_MARKER,
    }
    package_dir = f"src/{sdk.package}"
    files: dict[str, str] = {}

    def render(template: str, path: str, **extra: Any) -> None:
        try:
            files[path] = environment.get_template(template).render(**context, **extra)
        except jinja2.TemplateSyntaxError as exc:
            # The location names the template file, which may be a user's override.
            location = SourceLocation(exc.filename or exc.name or template, exc.lineno)
            raise SpecError(f"template syntax error: {exc.message}", "#", location) from None
        except jinja2.TemplateNotFound as exc:
            raise SpecError(f"template not found: {exc.name}", "#", None) from None
        except jinja2.UndefinedError as exc:
            raise SpecError(
                f"template {template} uses an undefined value: {exc.message}", "#", None
            ) from None

    render("pyproject.toml.jinja", "pyproject.toml")
    render("README.md.jinja", "README.md", examples=_readme_examples(sdk))
    render("package_init.py.jinja", f"{package_dir}/__init__.py")
    render("client.py.jinja", f"{package_dir}/_client.py")
    render("exceptions.py.jinja", f"{package_dir}/_exceptions.py")
    render("version.py.jinja", f"{package_dir}/_version.py")
    files[f"{package_dir}/py.typed"] = ""

    for static in sorted((templates_dir() / "static").glob("*.py")):
        text = static.read_text(encoding="utf-8")
        files[f"{package_dir}/{static.name}"] = f"{header}\n\n{text}"

    render("resources_init.py.jinja", f"{package_dir}/resources/__init__.py")
    model_candidates = _model_candidates(sdk)
    resource_candidates = {**_RESOURCE_CANDIDATES, **_prefixed(model_candidates, "..types.")}
    for resource in sdk.resources:
        nested = list(_walk_resources(resource))
        plain_imports: set[str] = set()
        methods = {
            variant: {
                r.class_name: [
                    qualify_method(
                        method_view(op, types, is_async=is_async),
                        _class_body_names(r),
                        plain_imports,
                    )
                    for op in r.operations
                ]
                for r in nested
            }
            for variant, is_async in (("sync", False), ("async", True))
        }
        path = f"{package_dir}/resources/{resource.module}.py"
        render(
            "resource.py.jinja",
            path,
            resource=resource,
            resources=nested,
            methods=methods,
            plain_imports=sorted(plain_imports),
            all_names=sort_all(
                [
                    f"{prefix}{r.class_name}{suffix}"
                    for r in nested
                    for prefix in ("", "Async")
                    for suffix in ("", "WithRawResponse")
                ]
            ),
        )
        files[path] = finalize_imports(files[path], resource_candidates)

    components = strongly_connected(
        {model.name: _model_dependencies(model, types) for model in sdk.models}
    )
    render("types_init.py.jinja", f"{package_dir}/types/__init__.py")
    sibling_candidates = _prefixed(model_candidates, ".")
    for model in sdk.models:
        dependencies = sorted(_model_dependencies(model, types) - {model.name})
        cyclic = {
            name for name in dependencies if components.get(name) == components.get(model.name)
        }
        extra: dict[str, Any] = {}
        code: list[str] = []
        annotations: list[str] = []
        if isinstance(model, ir.Model):
            view = model_view(model, types)
            extra["view"] = view
            code = [f.from_json for f in view.fields] + [view.extra_from_json or ""]
            code += [f.default for f in view.fields if f.default is not None]
            annotations = [f.annotation for f in view.fields] + [view.extra_annotation]
        elif isinstance(model, ir.AliasModel):
            extra["annotation"] = types.annotation(model.target)
            # An alias that names itself, or another alias (whose value may be such a
            # string), is kept a string: `X | None` fails at runtime when X is one.
            referenced = types.names_used(model.target)
            extra["quoted"] = bool(cyclic) or any(
                name == model.name or isinstance(types.models.get(name), ir.AliasModel)
                for name in referenced
            )
            extra["converter"] = types.from_json(model.target, "data")
            code = [extra["converter"]]
            annotations = [extra["annotation"]]
        used_in_code = _used_names("\n".join(code))
        used_in_annotations = _used_names("\n".join(annotations))
        cyclic_modules = {model_candidates[name][1] for name in cyclic}
        # A quoted alias refers to these names only inside its string.
        string_only = set()
        if extra.get("quoted"):
            string_only = {
                name
                for name in used_in_annotations - used_in_code
                if name in model_candidates and model_candidates[name][1] != model.module
            }
        path = f"{package_dir}/types/{model.module}.py"
        render(
            _MODEL_TEMPLATES[type(model)],
            path,
            model=model,
            # Loops run over the names a model uses, never over all models, so that
            # rendering stays linear in the number of models.
            cyclic_imports=_group_imports(
                (
                    name
                    for name in used_in_annotations
                    if name in model_candidates
                    and (model_candidates[name][1] in cyclic_modules or name in string_only)
                ),
                model_candidates,
            ),
            cyclic_local_imports=_group_imports(
                (
                    name
                    for name in used_in_code
                    if name in model_candidates and model_candidates[name][1] in cyclic_modules
                ),
                model_candidates,
            ),
            **extra,
        )
        files[path] = finalize_imports(
            files[path],
            _ModelFileCandidates(
                sibling_candidates,
                {"." + module for module in (*cyclic_modules, model.module)},
                _MODEL_FILE_CANDIDATES,
            ),
            # Names of a quoted alias other than models (`date`, `Literal`), which the
            # string hides from the import scan; models come from `cyclic_imports`.
            also_used=(
                used_in_annotations - model_candidates.keys() if extra.get("quoted") else ()
            ),
        )
    return files


class _ModelFileCandidates(Mapping[str, tuple[ImportSection, str]]):
    """The names a model file may import: sibling models outside `excluded`, then helpers.

    A view rather than a dict built per file, which would make rendering quadratic in
    the number of models.
    """

    def __init__(
        self,
        siblings: Mapping[str, tuple[ImportSection, str]],
        excluded: set[str],
        fallback: Mapping[str, tuple[ImportSection, str]],
    ) -> None:
        self.siblings = siblings
        self.excluded = excluded
        self.fallback = fallback

    def __getitem__(self, name: str) -> tuple[ImportSection, str]:
        sibling = self.siblings.get(name)
        if sibling is not None and sibling[1] not in self.excluded:
            return sibling
        return self.fallback[name]

    def __iter__(self) -> Iterator[str]:
        return (name for name in {**self.fallback, **self.siblings} if name in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def static_runtime_paths(sdk: ir.Sdk) -> frozenset[str]:
    """Paths of the files copied from `templates/static/`, which are black-formatted already."""
    return frozenset(
        f"src/{sdk.package}/{static.name}" for static in (templates_dir() / "static").glob("*.py")
    )


def _readme_examples(sdk: ir.Sdk) -> dict[str, str]:
    """Name one call of each kind the README shows, as `resource.method`, when the API has one."""
    examples: dict[str, str] = {}
    for resource in sdk.resources:
        for path, operation in _operations_of(resource, ()):
            name = ".".join((*path, operation.py_name))
            kinds: list[str] = [operation.response.kind]
            if operation.pagination is not None:
                kinds.append("page")
                examples.setdefault("page_items", operation.pagination.items_field)
            if operation.body is not None and operation.body.kind == "multipart":
                kinds.append("upload")
            for kind in kinds:
                examples.setdefault(kind, name)
    return examples


def _operations_of(
    resource: ir.Resource, prefix: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], ir.Operation]]:
    path = (*prefix, resource.py_name)
    for operation in resource.operations:
        yield path, operation
    for child in resource.children:
        yield from _operations_of(child, path)


def _group_imports(
    names: Iterable[str], candidates: Mapping[str, tuple[ImportSection, str]]
) -> list[tuple[str, list[str]]]:
    """Group model names by module for `from .module import A, B` lines."""
    grouped: dict[str, list[str]] = {}
    for name in names:
        grouped.setdefault(candidates[name][1], []).append(name)
    return [
        (module, sort_imports(grouped[module])) for module in sorted(grouped, key=module_sort_key)
    ]


def _model_candidates(sdk: ir.Sdk) -> dict[str, tuple[ImportSection, str]]:
    """Map every importable name in `types/` (model classes and alias parse functions) to its module."""
    candidates: dict[str, tuple[ImportSection, str]] = {}
    for model in sdk.models:
        candidates[model.name] = ("local", model.module)
        if isinstance(model, ir.AliasModel):
            candidates[f"parse_{model.module}"] = ("local", model.module)
    return candidates


def _prefixed(
    candidates: Mapping[str, tuple[ImportSection, str]], prefix: str
) -> dict[str, tuple[ImportSection, str]]:
    return {name: (section, prefix + module) for name, (section, module) in candidates.items()}


# Conversion helpers of the generated `_models.py` that converter expressions call.
_RUNTIME_HELPERS = ("_by_shape", "_enum", "_parse_date", "_parse_datetime", "_tagged", "_to_json")
_TYPING_CANDIDATES: dict[str, tuple[ImportSection, str]] = {
    "Mapping": ("stdlib", "collections.abc"),
    "Sequence": ("stdlib", "collections.abc"),
    "Any": ("stdlib", "typing"),
    "Literal": ("stdlib", "typing"),
    "TypeAlias": ("stdlib", "typing"),
    "TYPE_CHECKING": ("stdlib", "typing"),
}
_MODEL_FILE_CANDIDATES: dict[str, tuple[ImportSection, str]] = {
    **_TYPING_CANDIDATES,
    "dataclass": ("stdlib", "dataclasses"),
    "field": ("stdlib", "dataclasses"),
    **{helper: ("local", ".._models") for helper in _RUNTIME_HELPERS},
    "date": ("stdlib", "datetime"),
    "datetime": ("stdlib", "datetime"),
}
_RESOURCE_CANDIDATES: dict[str, tuple[ImportSection, str]] = {
    **_TYPING_CANDIDATES,
    "cached_property": ("stdlib", "functools"),
    **{
        name: ("local", ".._base_client")
        for name in (
            "AsyncAPIResource",
            "SyncAPIResource",
            "make_request_options",
            "path_template",
        )
    },
    **{helper: ("local", ".._models") for helper in _RUNTIME_HELPERS},
    "date": ("stdlib", "datetime"),
    "datetime": ("stdlib", "datetime"),
    **{
        name: ("local", ".._response")
        for name in (
            "AsyncBinaryAPIResponse",
            "BinaryAPIResponse",
            "async_to_raw_response_wrapper",
            "to_raw_response_wrapper",
        )
    },
    **{name: ("local", ".._streaming") for name in ("AsyncStream", "ServerSentEvent", "Stream")},
    **{
        name: ("local", ".._types")
        for name in ("NOT_GIVEN", "Body", "FileTypes", "Headers", "NotGiven", "Query", "Timeout")
    },
    **{
        name: ("local", "..pagination")
        for name in ("AsyncCursorIDPage", "AsyncPaginator", "SyncCursorIDPage")
    },
}


_MODEL_TEMPLATES: dict[type, str] = {
    ir.Model: "model.py.jinja",
    ir.EnumModel: "enum.py.jinja",
    ir.AliasModel: "alias.py.jinja",
}


def _class_body_names(resource: ir.Resource) -> set[str]:
    """Return the names a resource class defines: its methods and nested resource attributes."""
    return {op.py_name for op in resource.operations} | {
        child.py_name for child in resource.children
    }


def _walk_resources(resource: ir.Resource) -> Iterator[ir.Resource]:
    """Yield nested resources before their parents, so each class is defined before use."""
    for child in resource.children:
        yield from _walk_resources(child)
    yield resource


def _model_dependencies(model: ir.AnyModel, types: TypeRenderer) -> set[str]:
    if isinstance(model, ir.Model):
        names: set[str] = set()
        for field in model.fields:
            names |= types.names_used(field.type)
        if model.additional is not None:
            names |= types.names_used(model.additional)
        return names
    if isinstance(model, ir.AliasModel):
        return types.names_used(model.target)
    return set()
