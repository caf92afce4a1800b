"""Read SDK names out of the Python entries of `x-codeSamples`.

Stainless-processed specs carry, for each operation, the exact call a user of
the official SDK writes, for example::

    from runloop_api_client import Runloop
    client = Runloop(bearer_token=os.environ.get("RUNLOOP_API_KEY"))
    client.devboxes.executions.retrieve("execution_id", devbox_id="devbox_id")

The sample is parsed with `ast`, never executed, so hostile text in it can at
worst make us fall back to derived names.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True, kw_only=True)
class SampleCall:
    """What one Python code sample shows about the SDK."""

    package: str | None
    client_class: str | None
    auth_argument: str | None
    auth_env_var: str | None
    resource_path: tuple[str, ...]
    method: str
    positional: tuple[str, ...]
    keywords: tuple[str, ...]


def python_sample_source(operation: dict[str, Any]) -> str | None:
    """Return the source of the operation's first Python code sample, if any."""
    for key in ("x-codeSamples", "x-code-samples"):
        samples = operation.get(key)
        if not isinstance(samples, list):
            continue
        for sample in samples:
            if not isinstance(sample, dict):
                continue
            lang = sample.get("lang")
            source = sample.get("source")
            if isinstance(lang, str) and lang.lower() == "python" and isinstance(source, str):
                return source
    return None


def _attribute_chain(node: ast.expr) -> list[str] | None:
    names: list[str] = []
    while isinstance(node, ast.Attribute):
        names.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    names.append(node.id)
    names.reverse()
    return names


def _client_construction(tree: ast.Module) -> tuple[str | None, str | None, str | None]:
    """Find `client = Cls(arg=os.environ.get("VAR"))`: the client variable, auth argument and env var."""
    for statement in ast.walk(tree):
        if not (isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call)):
            continue
        target = statement.targets[0]
        if not isinstance(target, ast.Name):
            continue
        for keyword in statement.value.keywords:
            value = keyword.value
            if (
                keyword.arg
                and isinstance(value, ast.Call)
                and _attribute_chain(value.func) in (["os", "environ", "get"], ["os", "getenv"])
                and value.args
                and isinstance(value.args[0], ast.Constant)
                and isinstance(value.args[0].value, str)
            ):
                return target.id, keyword.arg, value.args[0].value
        return target.id, None, None
    return None, None, None


def parse_python_sample(source: str) -> SampleCall | None:
    """Parse a sample; return None when it does not show a client method call."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None

    package = client_class = None
    for statement in tree.body:
        if (
            isinstance(statement, ast.ImportFrom)
            and statement.module
            and statement.level == 0
            and statement.names
        ):
            package = statement.module.split(".")[0]
            client_class = statement.names[0].name
            break

    client_var, auth_argument, auth_env_var = _client_construction(tree)
    client_var = client_var or "client"

    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        chain = _attribute_chain(node.func)
        if not chain or chain[0] != client_var or len(chain) < 2:
            continue
        positional = tuple(
            (arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else "")
            for arg in node.args
        )
        keywords = tuple(keyword.arg for keyword in node.keywords if keyword.arg)
        return SampleCall(
            package=package,
            client_class=client_class,
            auth_argument=auth_argument,
            auth_env_var=auth_env_var,
            resource_path=tuple(chain[1:-1]),
            method=chain[-1],
            positional=positional,
            keywords=keywords,
        )
    return None
