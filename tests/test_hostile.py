"""A spec full of strings hostile to code generators: the SDK compiles and keeps them as data.

`fixtures/hostile/openapi.yaml` puts quotes, backslashes, control characters,
line separators, Jinja syntax and Python payloads into every slot spec text
reaches. Each payload creates the file named by `SDKGEN_HOSTILE_MARKER` if any
of it runs, during generation, type checking, import or a request.
"""

from __future__ import annotations

import ast
import importlib
import json
import os
import pkgutil
import re
import subprocess
import sys
import threading
import typing
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from support import import_package

from generator import ir
from generator.cli import Generation, generate_files
from generator.config import Config
from generator.load import load_spec
from generator.write import unsafe_path_reason, write_files

FIXTURE = Path(__file__).parent / "fixtures" / "hostile" / "openapi.yaml"
MARKER_VARIABLE = "SDKGEN_HOSTILE_MARKER"

PAYLOAD = "__import__('pathlib').Path(__import__('os').environ['SDKGEN_HOSTILE_MARKER']).touch()"
# The fixture's `x-attack-strings`, in order, written as Python literals so a test
# fails if the YAML stops producing exactly these strings.
ATTACKS = {
    "dq3": '"""\n' + PAYLOAD + '\n"""',
    "sq3": "'''\n" + PAYLOAD + "\n'''",
    "dq": '"); ' + PAYLOAD + '; ("',
    "sq": "'); " + PAYLOAD + "; ('",
    "newline": "ends a comment\n" + PAYLOAD + "  #",
    "cr": "ends a comment\r" + PAYLOAD + "  #",
    "separators": "line\u2028paragraph\u2029" + PAYLOAD + "  #",
    "jinja": (
        "{{ cycler.__init__.__globals__.os.system('touch \"$SDKGEN_HOSTILE_MARKER\"') }}"
        "{% if true %}{% endif %}{# comment #}{% raw %}"
    ),
    "backslashes": "\\N{ \\U0001 \\x4 \\u12 \\0 \\' \\\" \\\\ \\",
    "trailing_backslash": "ends with a backslash \\",
    "trailing_quote": 'ends with a quote "',
    "escaped_quotes": '\\"""' + " and \\'''",
    "controls": (
        "NUL\x00 SOH\x01 BEL\x07 BS\x08 TAB\t VT\x0b FF\x0c SO\x0e ESC\x1b US\x1f DEL\x7f"
        " NEL\x85 APC\x9f end"
    ),
    "invisible": "RLO\u202e LRI\u2066 ZWSP\u200b BOM\ufeff NBSP\xa0 end",
    "format": "{__import__('os')} %s %(name)s {0!r} $HOME `id`",
    "long_word": "A" * 3000,
    "long_prose": " ".join(["lorem"] * 600),
}
A = ATTACKS


def layout(text: str) -> str:
    """Collapse what a docstring may reflow: line endings, and runs of spaces and line breaks.

    Every other character, including tabs, controls and Unicode separators, must
    survive into the docstring's value unchanged.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(r"[ \n]+", " ", text).strip(" ")


@dataclass
class Hostile:
    """The generated project, its IR, the spec document and the marker file path."""

    output: Path
    generation: Generation
    document: dict[str, Any]
    marker: Path

    @property
    def package(self) -> str:
        return self.generation.sdk.package

    @property
    def src(self) -> Path:
        return self.output / "src"

    def model(self, name: str) -> ir.AnyModel:
        return next(model for model in self.generation.sdk.models if model.name == name)

    def operation(self, method: str, path: str) -> tuple[ir.Resource, ir.Operation]:
        for resource in self.generation.sdk.resources:
            for operation in resource.operations:
                if (operation.method, operation.path) == (method, path):
                    return resource, operation
        raise LookupError(f"{method} {path}")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hostile]:
    root = tmp_path_factory.mktemp("hostile")
    marker = root / "payload-ran"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(MARKER_VARIABLE, str(marker))
        generation = generate_files(str(FIXTURE), Config())
        output = root / "out"
        write_files(output, generation.files, generation.user_owned)
        document = load_spec(FIXTURE).document
        yield Hostile(output, generation, document, marker)
    for name in list(sys.modules):
        if name == generation.sdk.package or name.startswith(generation.sdk.package + "."):
            del sys.modules[name]


@pytest.fixture()
def package(hostile: Hostile, monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    monkeypatch.setenv(MARKER_VARIABLE, str(hostile.marker))
    module = import_package(hostile.src, hostile.package)
    yield module
    assert not hostile.marker.exists(), "a payload from the spec ran"


def test_fixture_carries_every_attack_string() -> None:
    assert load_spec(FIXTURE).document["x-attack-strings"] == list(ATTACKS.values())


# -- files and names ------------------------------------------------------------------


def test_files_stay_inside_output_folder(hostile: Hostile) -> None:
    written = {
        path.relative_to(hostile.output).as_posix()
        for path in hostile.output.rglob("*")
        if path.is_file()
    }
    assert written == set(hostile.generation.files)
    assert sorted(path.name for path in hostile.output.parent.iterdir()) == ["out"]
    for relative in hostile.generation.files:
        assert unsafe_path_reason(relative) is None, relative
        assert (hostile.output / relative).resolve().is_relative_to(hostile.output.resolve())


def test_file_names_distinct_ignoring_case(hostile: Hostile) -> None:
    folded = [relative.casefold() for relative in hostile.generation.files]
    assert len(folded) == len(set(folded))


def test_resource_names_get_safe_distinct_modules(hostile: Hostile) -> None:
    modules = {resource.py_name: resource.module for resource in hostile.generation.sdk.resources}
    # The samples call `client.Foo`, `client.foo` and `client.AUX`; a tag is `CON`,
    # another `../../etc/x`.
    assert modules["Foo"] != modules["foo"]
    assert {modules["Foo"].casefold(), modules["foo"].casefold()} == {"foo", "foo_2"}
    assert modules["AUX"] == "aux_"
    assert modules["con"] == "con_"
    assert modules["etc_x"] == "etc_x"
    resources = f"src/{hostile.package}/resources"
    for module in modules.values():
        assert f"{resources}/{module}.py" in hostile.generation.files


def test_schema_names_get_safe_distinct_modules(hostile: Hostile) -> None:
    schemas = hostile.document["components"]["schemas"]
    models = {model.pointer.rsplit("/", 1)[1]: model for model in hostile.generation.sdk.models}
    modules = {key: models[key].module for key in schemas}
    assert modules["CON"] == "con_"
    assert modules["con"] == "con__2"
    assert modules["nul.txt"] == "nul_txt"
    assert modules["importlib"] != "importlib"
    assert modules["Foo"] != modules["foo"]
    assert len(set(modules.values())) == len(schemas)


def test_runtime_names_not_taken_by_models(hostile: Hostile) -> None:
    names = {model.name for model in hostile.generation.sdk.models}
    for runtime_name in ("Query", "Timeout", "Body", "Headers", "NotGiven"):
        assert runtime_name not in names
        assert f"{runtime_name}2" in names
    resource_classes = {resource.class_name for resource in hostile.generation.sdk.resources}
    assert "ItemsResource" in names
    assert "ItemsResource" not in resource_classes
    # The templates also define `Async<class>` and `<class>WithRawResponse`.
    assert "AsyncConResource" in names
    assert "ConResource" not in resource_classes
    assert "FooResourceWithRawResponse" in names
    assert "FooResource" not in resource_classes


# -- the generated package as code ----------------------------------------------------


def test_package_compiles(hostile: Hostile) -> None:
    sources = sorted(hostile.src.rglob("*.py"))
    assert len(sources) > 20
    for path in sources:
        compile(path.read_text(encoding="utf-8"), str(path), "exec")


def test_package_passes_mypy_strict(hostile: Hostile) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", hostile.package],
        cwd=hostile.src,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, MARKER_VARIABLE: str(hostile.marker)},
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert not hostile.marker.exists()


@pytest.mark.parametrize("isolated", [False, True], ids=["project-config", "isolated"])
def test_package_passes_ruff(hostile: Hostile, isolated: bool) -> None:
    command = [sys.executable, "-m", "ruff", "check", "--no-cache", "src"]
    if isolated:
        command.insert(4, "--isolated")
    result = subprocess.run(
        command, cwd=hostile.output, capture_output=True, text=True, check=False, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_runs_no_payload(hostile: Hostile, package: ModuleType) -> None:
    imported = []
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        imported.append(importlib.import_module(info.name))
    assert len(imported) > 20
    # Lazy attribute access on `types` still works after every model module, including
    # the one for the schema named `importlib`, has been imported.
    types = importlib.import_module(f"{hostile.package}.types")
    assert sorted(types.__all__) == sorted(model.name for model in hostile.generation.sdk.models)
    for model in hostile.generation.sdk.models:
        module = importlib.import_module(f"{hostile.package}.types.{model.module}")
        assert getattr(types, model.name) is getattr(module, model.name)
    assert not hostile.marker.exists()


def test_marker_variable_reaches_payloads(hostile: Hostile, tmp_path: Path) -> None:
    """The payload itself works: run as code it creates the marker, so its absence means something."""
    marker = tmp_path / "marker"
    subprocess.run(
        [sys.executable, "-c", PAYLOAD],
        env={**os.environ, MARKER_VARIABLE: str(marker)},
        check=True,
        timeout=60,
    )
    assert marker.exists()


# -- attack strings survive as data ---------------------------------------------------


def test_enum_values_byte_for_byte(hostile: Hostile, package: ModuleType) -> None:
    types = importlib.import_module(f"{hostile.package}.types")
    expected = hostile.document["components"]["schemas"]["Color"]["enum"]
    assert [member.value for member in types.Color] == expected
    for value in expected:
        assert types.Color(value).value == value


def test_const_and_literal_values_byte_for_byte(hostile: Hostile, package: ModuleType) -> None:
    types = importlib.import_module(f"{hostile.package}.types")
    hints = typing.get_type_hints(types.Hostile)
    assert A["dq3"] in typing.get_args(typing.get_args(hints["constant"])[0])
    mixed = {
        arg for union_arg in typing.get_args(hints["mixed"]) for arg in typing.get_args(union_arg)
    }
    assert mixed == {A["sq3"], 1}


def test_server_url_byte_for_byte(hostile: Hostile, package: ModuleType) -> None:
    client_module = importlib.import_module(f"{hostile.package}._client")
    assert client_module.DEFAULT_BASE_URL == 'https://api.example.com\'\\/v1/"""\\'


def test_package_docstrings_keep_title(hostile: Hostile, package: ModuleType) -> None:
    title = hostile.document["info"]["title"]
    client_module = importlib.import_module(f"{hostile.package}._client")
    types = importlib.import_module(f"{hostile.package}.types")
    for doc in (package.__doc__, client_module.Hostile.__doc__, types.__doc__):
        assert doc is not None
        assert layout(title) in layout(doc)


def test_model_docstrings_keep_descriptions(hostile: Hostile, package: ModuleType) -> None:
    types = importlib.import_module(f"{hostile.package}.types")
    schemas = hostile.document["components"]["schemas"]
    checked = 0
    for model in hostile.generation.sdk.models:
        key = model.pointer.rsplit("/", 1)[1]
        description = schemas.get(key, {}).get("description")
        if description is None:
            continue
        doc = getattr(types, model.name).__doc__
        assert layout(description) in layout(doc), model.name
        checked += 1
    assert checked >= 5


def _attribute_docstrings(path: Path, class_name: str) -> dict[str, str]:
    """Map each attribute of a class to the string literal right after it (its docstring)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            body = node.body
            for statement, following in zip(body, body[1:], strict=False):
                if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                    name = statement.target.id
                elif (
                    isinstance(statement, ast.Assign)
                    and len(statement.targets) == 1
                    and isinstance(statement.targets[0], ast.Name)
                ):
                    name = statement.targets[0].id
                else:
                    continue
                if isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant):
                    found[name] = following.value.value
    return found


def test_field_docstrings_keep_descriptions(hostile: Hostile) -> None:
    model = hostile.model("Hostile")
    assert isinstance(model, ir.Model)
    path = hostile.src / hostile.package / "types" / f"{model.module}.py"
    docs = _attribute_docstrings(path, model.name)
    properties = hostile.document["components"]["schemas"]["Hostile"]["properties"]
    checked = 0
    for model_field in model.fields:
        description = properties[model_field.wire_name].get("description")
        if description is None:
            continue
        assert layout(description) in layout(docs[model_field.py_name]), model_field.wire_name
        checked += 1
    assert checked >= 15


def test_enum_member_docstrings_keep_descriptions(hostile: Hostile) -> None:
    model = hostile.model("Color")
    assert isinstance(model, ir.EnumModel)
    path = hostile.src / hostile.package / "types" / f"{model.module}.py"
    docs = _attribute_docstrings(path, model.name)
    descriptions = hostile.document["components"]["schemas"]["Color"]["x-enum-descriptions"]
    assert len(model.members) == len(descriptions)
    for member, description in zip(model.members, descriptions, strict=True):
        assert layout(description) in layout(docs[member.py_name]), member.py_name


def test_method_docstrings_keep_summary_and_descriptions(
    hostile: Hostile, package: ModuleType
) -> None:
    cases = [
        ("get", "/items/{item_id}"),
        ("put", "/items/{item_id}"),
        ("post", "/files/{../../etc/x}"),
    ]
    for method, path in cases:
        resource, operation = hostile.operation(method, path)
        module = importlib.import_module(f"{hostile.package}.resources.{resource.module}")
        doc = getattr(getattr(module, resource.class_name), operation.py_name).__doc__
        spec_operation = hostile.document["paths"][path][method]
        texts = [spec_operation.get("summary"), spec_operation.get("description")]
        texts += [
            parameter.get("description") for parameter in spec_operation.get("parameters", [])
        ]
        for text in texts:
            if text is not None:
                assert layout(text) in layout(doc), (method, path, text[:40])


def test_wire_names_round_trip_through_model(hostile: Hostile, package: ModuleType) -> None:
    types = importlib.import_module(f"{hostile.package}.types")
    model = hostile.model("Hostile")
    assert isinstance(model, ir.Model)
    payload = _hostile_payload(hostile)
    obj = types.Hostile.from_dict(payload)
    for model_field in model.fields:
        value = getattr(obj, model_field.py_name)
        if isinstance(payload[model_field.wire_name], str):
            assert value == payload[model_field.wire_name], model_field.wire_name
    assert obj.to_dict() == payload


def test_discriminator_tags_are_data(hostile: Hostile, package: ModuleType) -> None:
    pet_module = importlib.import_module(f"{hostile.package}.types.{hostile.model('Pet').module}")
    types = importlib.import_module(f"{hostile.package}.types")
    first = pet_module.parse_pet({A["dq"]: A["dq3"]})
    second = pet_module.parse_pet({A["dq"]: A["backslashes"]})
    assert type(first) is types.Foo
    assert type(second) is getattr(types, hostile.model("Foo2").name)


def test_auth_variable_name_is_data(
    hostile: Hostile, package: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    variable = 'HOSTILE_API_KEY"""\n'
    assert hostile.generation.sdk.auth.env_var == variable
    monkeypatch.setenv(variable, "token-from-env")
    client = package.Hostile(base_url="http://127.0.0.1:9")
    assert client.api_key == "token-from-env"


def test_pyproject_and_readme_keep_title_as_text(hostile: Hostile) -> None:
    tomllib = pytest.importorskip("tomllib")
    title = hostile.document["info"]["title"]
    pyproject = tomllib.loads((hostile.output / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["description"] == f"Python client for {title}"
    readme = (hostile.output / "README.md").read_text(encoding="utf-8")
    for char in readme:
        if char != "\n":
            assert unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Zl", "Zp"), repr(char)


# -- requests carry attack strings as data ---------------------------------------------


@dataclass
class Recorded:
    requests: list[dict[str, Any]] = field(default_factory=list)
    response: Any = None


@pytest.fixture()
def server() -> Iterator[tuple[str, Recorded]]:
    recorded = Recorded()

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            recorded.requests.append(
                {
                    "method": self.command,
                    "path": self.path,
                    "headers": dict(self.headers),
                    "body": self.rfile.read(length),
                }
            )
            payload = json.dumps(recorded.response).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_PUT = do_POST = _handle  # noqa: N815 - names fixed by http.server

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", recorded
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


def _hostile_payload(hostile: Hostile) -> dict[str, Any]:
    """JSON for the `Hostile` schema whose keys and string values are attack strings."""
    properties = hostile.document["components"]["schemas"]["Hostile"]["properties"]
    attacks = list(ATTACKS.values())
    payload: dict[str, Any] = {}
    for index, (wire_name, schema) in enumerate(properties.items()):
        if schema.get("type") == "string":
            payload[wire_name] = attacks[index % len(attacks)]
    payload.update(
        {
            "int": 7,
            "Foo": {A["dq"]: A["sq"]},
            "color": A["cr"],
            "constant": A["dq3"],
            "mixed": A["sq3"],
            "pet": {A["dq"]: A["dq3"]},
        }
    )
    return payload


def test_get_sends_wire_names_and_parses_response(
    hostile: Hostile, package: ModuleType, server: tuple[str, Recorded]
) -> None:
    base_url, recorded = server
    recorded.response = _hostile_payload(hostile)
    resource, operation = hostile.operation("get", "/items/{item_id}")
    query = next(param for param in operation.params if param.location == "query")
    client = package.Hostile(api_key="test-key", base_url=base_url)
    items = getattr(client, resource.py_name)

    result = getattr(items, operation.py_name)("item-1", **{query.py_name: A["escaped_quotes"]})

    assert result.to_dict() == recorded.response
    (request,) = recorded.requests
    url = urlsplit(request["path"])
    assert url.path == "/items/item-1"
    assert parse_qsl(url.query) == [(A["sq"], A["escaped_quotes"])]
    assert request["headers"]["X-Api-Key"] == "test-key"


def test_put_sends_body_with_wire_names(
    hostile: Hostile, package: ModuleType, server: tuple[str, Recorded]
) -> None:
    base_url, recorded = server
    recorded.response = {"q": A["backslashes"]}
    resource, operation = hostile.operation("put", "/items/{item_id}")
    assert operation.body is not None
    client = package.Hostile(api_key="test-key", base_url=base_url)
    payload = _hostile_payload(hostile)
    arguments = {
        param.py_name: payload[param.wire_name]
        for param in operation.body.fields
        if isinstance(payload.get(param.wire_name), str) and param.wire_name != "color"
    }
    assert len(arguments) >= 15

    result = getattr(getattr(client, resource.py_name), operation.py_name)("item-1", **arguments)

    assert result.q == A["backslashes"]
    (request,) = recorded.requests
    sent = json.loads(request["body"])
    assert sent == {
        param.wire_name: arguments[param.py_name]
        for param in operation.body.fields
        if param.py_name in arguments
    }


def test_header_parameter_wire_name_is_a_literal(hostile: Hostile) -> None:
    resource, operation = hostile.operation("get", "/items/{item_id}")
    header = next(param for param in operation.params if param.location == "header")
    assert header.wire_name == A["dq"]
    path = hostile.src / hostile.package / "resources" / f"{resource.module}.py"
    constants = {
        node.value
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    assert header.wire_name in constants
    assert operation.path in constants


SHADOWING_SPEC = """\
openapi: 3.1.0
info: {title: Shadow API, version: '1'}
paths:
  /items:
    get:
      operationId: list
      tags: [items]
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: array}}}}
  /items/str:
    get:
      operationId: str
      tags: [items]
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: string}}}}
  /items/tail:
    get:
      operationId: tail
      tags: [items]
      parameters:
        - {name: n, in: query, schema: {type: string}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: array}}}}
"""


def test_methods_named_like_builtins_pass_mypy(tmp_path: Path) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(SHADOWING_SPEC, encoding="utf-8")
    generation = generate_files(str(spec), Config())
    write_files(tmp_path / "out", generation.files, generation.user_owned)
    (resource,) = generation.sdk.resources
    assert [operation.py_name for operation in resource.operations] == ["list", "str", "tail"]

    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", generation.sdk.package],
        cwd=tmp_path / "out" / "src",
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr

    lint = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--isolated", "src"],
        cwd=tmp_path / "out",
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr
