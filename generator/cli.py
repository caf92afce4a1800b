"""The `sdkgen` command line: parse arguments, run the pipeline, map failures to exit codes.

Exit codes: 0 success, 1 drift found by `check`, 2 invalid input (spec,
config, template or an output folder that cannot be written), 130 interrupted.
"""

from __future__ import annotations

import argparse
import logging
import os
import shlex
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from . import __version__, ir
from .config import Config, check_operation_overrides, load_config
from .errors import SpecError, SpecErrors
from .fmt import FormatError, format_files
from .load import load_spec
from .render import render_files
from .validate import check_findings, validate_spec
from .walk import walk_spec
from .write import WriteError, diff_tree, managed_files, unified_diff, write_files

log = logging.getLogger("generator")

DEFAULT_SPEC = "specs/runloop/openapi.yaml"
DEFAULT_OUTPUT = "generated/runloop"
EXIT_DRIFT = 1
EXIT_INVALID = 2
EXIT_INTERRUPTED = 130


class UsageError(Exception):
    """A command-line option names something that does not exist."""


@dataclass(frozen=True, slots=True)
class Generation:
    sdk: ir.Sdk
    files: dict[str, str]
    user_owned: tuple[str, ...]


def generate_files(
    spec_path: str, config: Config, templates: str | None = None, *, strict: bool = False
) -> Generation:
    """Run load, validate, walk, render and format; nothing is written.

    Findings that cannot change the generated code are logged as warnings, or
    raised like errors when `strict` is set.

    Args:
        templates: folder of templates replacing built-in ones by file name; it
            takes precedence over the config's `templates` key.

    Raises:
        SpecError, SpecErrors: the spec, config or a template is invalid.
        UsageError: the `templates` folder does not exist.
        FormatError: black rejected a rendered file.
    """
    if templates is not None and not Path(templates).is_dir():
        raise UsageError(f"--templates {templates}: folder not found")
    spec = load_spec(spec_path)
    findings = validate_spec(spec)
    for finding in findings:
        if finding.severity == "warning" and not strict:
            log.warning("%s", finding.as_error())
    check_findings(findings, strict=strict)
    sdk = walk_spec(spec, config)
    check_operation_overrides(
        config,
        (
            (operation.method, operation.path, operation.operation_id)
            for operation in _operations(sdk.resources)
        ),
    )
    template_dir = templates or config.templates
    override = Path(template_dir) if template_dir else None
    if override is not None:
        log.info("templates from %s override the built-in ones", override)
    files = format_files(render_files(sdk, override))
    user_owned = config.user_owned_paths
    if user_owned is None:
        user_owned = (f"src/{sdk.package}/lib",)
    return Generation(sdk=sdk, files=files, user_owned=user_owned)


def _operations(resources: Sequence[ir.Resource]) -> list[ir.Operation]:
    found: list[ir.Operation] = []
    for resource in resources:
        found.extend(resource.operations)
        found.extend(_operations(resource.children))
    return found


def _command_generate(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    generation = generate_files(
        args.spec, load_config(args.config), args.templates, strict=args.strict
    )
    output = Path(args.output)
    diff = write_files(output, generation.files, generation.user_owned)
    written = len(managed_files(generation.files, generation.user_owned))
    if diff.is_empty:
        changes = "no file changed"
    else:
        changes = (
            f"{diff.count} changed: {len(diff.added)} added, {len(diff.removed)} removed, "
            f"{len(diff.changed)} modified"
        )
    elapsed = time.perf_counter() - started
    print(
        f"sdkgen: {len(generation.sdk.models)} models, "
        f"{len(_operations(generation.sdk.resources))} operations, "
        f"{written} files written to {output} ({changes}) in {elapsed:.2f} s"
    )
    return 0


def _command_check(args: argparse.Namespace) -> int:
    generation = generate_files(
        args.spec, load_config(args.config), args.templates, strict=args.strict
    )
    output = Path(args.output)
    diff = diff_tree(output, generation.files, generation.user_owned)
    if diff.is_empty:
        print(f"sdkgen: {output} is up to date with {args.spec}", file=sys.stderr)
        return 0
    # The diff alone goes to stdout, so `sdkgen check > drift.patch` saves a patch.
    sys.stdout.write(unified_diff(output, generation.files, diff))
    sys.stdout.flush()
    print(
        f"sdkgen: {output} is out of date with {args.spec}: {len(diff.added)} added, "
        f"{len(diff.removed)} removed, {len(diff.changed)} changed; "
        f"run `{_generate_command(args)}` to update it",
        file=sys.stderr,
    )
    return EXIT_DRIFT


def _generate_command(args: argparse.Namespace) -> str:
    """Spell out the `sdkgen generate` command that brings the checked folder up to date."""
    words = ["sdkgen", "generate", args.spec, "--output", args.output]
    if args.config is not None:
        words += ["--config", args.config]
    if args.templates is not None:
        words += ["--templates", args.templates]
    return shlex.join(words)


def _command_validate(args: argparse.Namespace) -> int:
    try:
        spec = load_spec(args.spec)
    except SpecError as exc:
        print(_format_problem(exc, args.spec))
        print(f"sdkgen: {args.spec}: 1 error", file=sys.stderr)
        return EXIT_INVALID
    findings = validate_spec(spec)
    for finding in findings:
        suffix = " (warning)" if finding.severity == "warning" else ""
        print(f"{_format_problem(finding.as_error(), args.spec)}{suffix}")
    errors = sum(1 for finding in findings if finding.severity == "error")
    if errors:
        print(f"sdkgen: {args.spec}: {errors} error(s)", file=sys.stderr)
        return EXIT_INVALID
    print(f"sdkgen: {args.spec} is valid", file=sys.stderr)
    return 0


def _format_problem(problem: SpecError, spec: str) -> str:
    """Format a problem as `file:line:col: #/pointer: message`, with the spec path as a fallback."""
    if problem.location is None:
        return f"{spec}: {problem}"
    return str(problem)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sdkgen", description="Generate a Python SDK from an OpenAPI spec."
    )
    parser.add_argument("--version", action="version", version=f"sdkgen {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add_generation_options(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "spec",
            nargs="?",
            default=DEFAULT_SPEC,
            help=f"OpenAPI file, YAML or JSON (default: {DEFAULT_SPEC})",
        )
        command.add_argument(
            "--output",
            "-o",
            default=DEFAULT_OUTPUT,
            help=f"project folder to write (default: {DEFAULT_OUTPUT})",
        )
        command.add_argument(
            "--config",
            "-c",
            default=None,
            help="YAML file overriding names and settings",
        )
        command.add_argument(
            "--templates",
            default=None,
            help="folder of templates that replace built-in ones by file name",
        )
        command.add_argument(
            "--strict",
            action="store_true",
            help="treat every validation warning as an error (see docs/validation.md)",
        )
        command.add_argument(
            "-v",
            "--verbose",
            action="count",
            default=0,
            help="-v for stage summaries, -vv for details",
        )

    generate = commands.add_parser("generate", help="generate the SDK into the output folder")
    add_generation_options(generate)
    generate.set_defaults(handler=_command_generate)

    check = commands.add_parser(
        "check", help="exit 1 and print a diff when the output folder is out of date"
    )
    add_generation_options(check)
    check.set_defaults(handler=_command_check)

    validate = commands.add_parser("validate", help="report every problem in a spec")
    validate.add_argument("spec", help="OpenAPI file, YAML or JSON")
    validate.add_argument(
        "-v", "--verbose", action="count", default=0, help="-v for stage summaries"
    )
    validate.set_defaults(handler=_command_validate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    level = {0: logging.WARNING, 1: logging.INFO}.get(args.verbose, logging.DEBUG)
    logging.basicConfig(level=level, format="sdkgen: %(levelname)s: %(message)s", stream=sys.stderr)
    try:
        result: int = args.handler(args)
        return result
    except SpecErrors as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return EXIT_INVALID
    except (SpecError, FormatError, UsageError, WriteError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        print("sdkgen: interrupted; the output folder was left as it was", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader of stdout went away (`sdkgen check | head`). Point stdout at
        # /dev/null so the interpreter's final flush does not fail again, and exit
        # 1 as Python's documentation of SIGPIPE handling suggests.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
