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
from typing import TYPE_CHECKING

from . import __version__, ir
from .cache import Cache, digest, generator_fingerprint, package_version, tree_fingerprint
from .config import Config, check_operation_overrides, load_config
from .errors import SpecError, SpecErrors
from .fmt import FormatError, black_version, format_files, mode_key
from .load import LoadedSpec, load_spec
from .workers import Workers, start_workers
from .write import WriteError, diff_tree, managed_files, unified_diff, write_files

# render, validate and walk are imported where they run: with jinja2 and
# openapi-spec-validator they take about 0.4 s to import, which a cache hit skips.
if TYPE_CHECKING:
    from concurrent.futures import Future

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
    spec_path: str,
    config: Config,
    templates: str | None = None,
    *,
    cache: Cache | None = None,
    strict: bool = False,
) -> Generation:
    """Run load, validate, walk, render and format; nothing is written.

    Findings that cannot change the generated code are logged as warnings, or
    raised like errors when `strict` is set.

    Args:
        templates: folder of templates replacing built-in ones by file name; it
            takes precedence over the config's `templates` key.
        cache: where validation results, formatted files and whole generations are
            looked up and stored; None disables caching. The output is the same either way.

    Raises:
        SpecError, SpecErrors: the spec, config or a template is invalid.
        UsageError: the `templates` folder does not exist.
        FormatError: black rejected a rendered file.
    """
    if templates is not None and not Path(templates).is_dir():
        raise UsageError(f"--templates {templates}: folder not found")
    spec = load_spec(spec_path)
    template_dir = templates or config.templates
    override = Path(template_dir) if template_dir else None
    key = _generation_key(spec, config, override) if cache is not None else None
    if cache is not None and key is not None:
        cached = cache.get_object(_GENERATION_NAMESPACE, key)
        if isinstance(cached, tuple) and len(cached) == 2 and isinstance(cached[0], Generation):
            log.info("generation of %s found in the cache %s", spec_path, cache.root)
            _report_findings(cached[1], strict)
            return cached[0]

    generation, findings = _generate(spec, config, override, cache, strict)
    if cache is not None and key is not None:
        cache.put_object(_GENERATION_NAMESPACE, key, (generation, findings))
    return generation


_GENERATION_NAMESPACE = "generation"
_VALIDATION_NAMESPACE = "validation"


def _generate(
    spec: LoadedSpec, config: Config, override: Path | None, cache: Cache | None, strict: bool
) -> tuple[Generation, _Findings]:
    from .render import render_files, static_runtime_paths
    from .walk import walk_spec

    with start_workers() as workers:
        # Validation runs in a worker while this process walks and renders.
        # NOTE: so the walker also sees specs that fail validation; it must raise, not
        # hang, on any input, and its error gives way to the validation errors below.
        validation, store = _start_validation(spec, cache, workers)
        try:
            sdk = walk_spec(spec, config)
            check_operation_overrides(
                config,
                (
                    (operation.method, operation.path, operation.operation_id)
                    for operation in _operations(sdk.resources)
                ),
            )
            if override is not None:
                log.info("templates from %s override the built-in ones", override)
            files = format_files(
                render_files(sdk, override),
                workers=workers,
                cache=cache,
                preformatted=static_runtime_paths(sdk),
            )
        except Exception:
            # The walker assumes a valid spec; on an invalid one, report why instead.
            _check_validation(spec, validation, store, strict)
            raise
        findings = _check_validation(spec, validation, store, strict)
    user_owned = config.user_owned_paths
    if user_owned is None:
        user_owned = (f"src/{sdk.package}/lib",)
    return Generation(sdk=sdk, files=files, user_owned=user_owned), findings


# Findings as (severity, error) pairs: plain data that unpickles, from a worker or from the
# cache, without importing the validator (about 0.3 s with openapi-spec-validator).
_Findings = list[tuple[str, SpecError]]


def _validate(spec: LoadedSpec) -> _Findings:
    from .validate import validate_spec

    return [(finding.severity, finding.as_error()) for finding in validate_spec(spec)]


def _start_validation(
    spec: LoadedSpec, cache: Cache | None, workers: Workers
) -> tuple[Future[_Findings], Cache | None]:
    """Start validating, or take the findings from the cache.

    Returns the findings' future and the cache to store them in (None on a hit).
    """
    from concurrent.futures import Future

    if cache is not None:
        cached = cache.get_object(_VALIDATION_NAMESPACE, _validation_key(spec))
        if isinstance(cached, list):
            done: Future[_Findings] = Future()
            done.set_result(cached)
            return done, None
    return workers.submit_inherited(_validate, spec), cache


def _check_validation(
    spec: LoadedSpec, validation: Future[_Findings], store: Cache | None, strict: bool
) -> _Findings:
    """Wait for the findings, store them, then report them (see `_report_findings`).

    Raises:
        SpecErrors: the spec is invalid.
    """
    findings = validation.result()
    if store is not None:
        store.put_object(_VALIDATION_NAMESPACE, _validation_key(spec), findings)
    _report_findings(findings, strict)
    return findings


def _report_findings(findings: _Findings, strict: bool) -> None:
    """Log the warnings and raise the errors; with `strict`, warnings count as errors.

    Raises:
        SpecErrors: the spec is invalid.
    """
    if not strict:
        for severity, error in findings:
            if severity == "warning":
                log.warning("%s", error)
    errors = [error for severity, error in findings if strict or severity == "error"]
    if errors:
        raise SpecErrors(errors)


def _validation_key(spec: LoadedSpec) -> str:
    # Findings name the spec by the path as given, so the path is part of the key.
    return digest(
        generator_fingerprint(),
        package_version("openapi-spec-validator"),
        package_version("jsonschema"),
        str(spec.path),
        spec.content_hash,
    )


def _generation_key(spec: LoadedSpec, config: Config, override: Path | None) -> str | None:
    """Hash everything a generation depends on, or return None when that cannot be done."""
    config_text = repr(config)
    if " at 0x" in config_text:  # an object whose repr is its address would never hit
        return None
    return digest(
        _validation_key(spec),
        config_text,
        tree_fingerprint([override]) if override is not None else "",
        package_version("jinja2"),
        black_version(),
        mode_key(),
    )


def _operations(resources: Sequence[ir.Resource]) -> list[ir.Operation]:
    found: list[ir.Operation] = []
    for resource in resources:
        found.extend(resource.operations)
        found.extend(_operations(resource.children))
    return found


def _command_generate(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    generation = generate_files(
        args.spec,
        load_config(args.config),
        args.templates,
        cache=_cache_for(args),
        strict=args.strict,
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
        f"sdkgen: {_count(len(generation.sdk.models), 'model')}, "
        f"{_count(len(_operations(generation.sdk.resources)), 'operation')}, "
        f"{_count(written, 'file')} written to {output} ({changes}) in {elapsed:.2f} s"
    )
    return 0


def _command_check(args: argparse.Namespace) -> int:
    generation = generate_files(
        args.spec,
        load_config(args.config),
        args.templates,
        cache=_cache_for(args),
        strict=args.strict,
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


def _cache_for(args: argparse.Namespace) -> Cache | None:
    return None if args.no_cache else Cache.from_environment()


def _command_validate(args: argparse.Namespace) -> int:
    from .validate import validate_spec

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
    warnings = len(findings) - errors
    if errors:
        print(f"sdkgen: {args.spec}: {_count(errors, 'error')}", file=sys.stderr)
        return EXIT_INVALID
    suffix = f", with {_count(warnings, 'warning')}" if warnings else ""
    print(f"sdkgen: {args.spec} is valid{suffix}", file=sys.stderr)
    return 0


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


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
        command.add_argument(
            "--no-cache",
            action="store_true",
            help="neither read nor write the cache in $SDKGEN_CACHE_DIR, "
            "else $XDG_CACHE_HOME/sdkgen, else ~/.cache/sdkgen",
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
