"""Goals 1, 2, 3 and 6: generation time and memory, sdkgen against its peers."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from environment import Setup
from harness import (
    Case,
    ProcessFailed,
    cpu_seconds,
    log,
    median_of,
    median_ratio,
    run_paired,
    run_process,
    seconds,
)
from inputs import OPENAI_SPEC, RUNLOOP_SPEC, synthetic_spec

SYNTHETIC_SIZES = (100, 1_000, 5_000)

CPU_NOTE = (
    "CPU time is user plus system time of the process and every child it waited for "
    "(workers, hooks). It is less sensitive than wall time to other work on the machine, "
    "but it does not show parallelism: sdkgen spreads its CPU time over all cores."
)


@dataclass
class Ratio:
    label: str
    value: float
    target: str
    met: bool


@dataclass
class GoalResult:
    number: int
    title: str
    rows: Sequence[tuple[str, ...]]
    header: tuple[str, ...]
    ratios: list[Ratio]
    notes: list[str] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)
    gap_reason: str = ""  # replaces the goal's reason in run.py's GAP_REASONS when set


def describe_stages(label: str, data: dict[str, Any] | str) -> str:
    """Summarise a stage breakdown in one sentence."""
    if isinstance(data, str):
        return f"{label}: {data}."
    times = data["times"]
    parts = ", ".join(f"{name} {value:.2f} s" for name, value in times.items())
    per_line = times["black"] / max(data["lines"], 1) * 1000
    return (
        f"{label} (stages one after another in one process, one run): {parts}; total "
        f"{sum(times.values()):.2f} s. black formats {data['lines']:,} lines at "
        f"{per_line:.3f} ms per line."
    )


def generation_probe(spec: Path, output: Path) -> str:
    """Return a script that runs sdkgen's stages as `generate_files` does, minus the error check."""
    return textwrap.dedent(f"""
        from pathlib import Path
        from generator.config import Config
        from generator.fmt import format_files
        from generator.load import load_spec
        from generator.render import render_files, static_runtime_paths
        from generator.validate import validate_spec
        from generator.walk import walk_spec
        from generator.workers import start_workers
        from generator.write import write_files

        spec = load_spec({str(spec)!r})
        with start_workers() as workers:
            validation = workers.submit_inherited(validate_spec, spec)
            sdk = walk_spec(spec, Config())
            files = format_files(
                render_files(sdk), workers=workers, preformatted=static_runtime_paths(sdk)
            )
            findings = validation.result()
        write_files(Path({str(output)!r}), files, ())
        print(len(files), len(findings))
        """)


class Bench:
    def __init__(self, setup: Setup, rounds: int, quick: bool) -> None:
        self.setup = setup
        self.rounds = rounds
        self.quick = quick
        self.tmp = setup.work / "run"
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.tmp.mkdir(parents=True)
        self.python = str(setup.venv_python)

    # Cases ---------------------------------------------------------------------------

    def sdkgen_env(self, cache: Path) -> dict[str, str]:
        return {
            **self.setup.base_env,
            "PYTHONPATH": str(self.setup.sdkgen_src),
            "SDKGEN_CACHE_DIR": str(cache),
        }

    def sdkgen_cold(self, spec: Path, label: str, sample_memory: bool = False) -> Case:
        output = self.tmp / f"sdkgen-{label}"
        cache = self.tmp / f"sdkgen-cache-{label}"

        def before() -> None:
            shutil.rmtree(output, ignore_errors=True)
            shutil.rmtree(cache, ignore_errors=True)

        return Case(
            name="sdkgen",
            command=[
                self.python,
                "-m",
                "generator",
                "generate",
                str(spec),
                "--output",
                str(output),
            ],
            env=self.sdkgen_env(cache),
            cwd=self.tmp,
            before=before,
            sample_memory=sample_memory,
            display=f"SDKGEN_CACHE_DIR=<empty folder> python -m generator generate {spec.name} --output OUT",
        )

    def sdkgen_probe(self, spec: Path, label: str) -> Case:
        """Run sdkgen's stages on a spec that fails validation, ignoring the errors."""
        output = self.tmp / f"sdkgen-{label}"
        cache = self.tmp / f"sdkgen-cache-{label}"
        return Case(
            name="sdkgen",
            command=[self.python, "-c", generation_probe(spec, output)],
            env=self.sdkgen_env(cache),
            cwd=self.tmp,
            before=lambda: shutil.rmtree(output, ignore_errors=True),
            sample_memory=True,
            display=f'python -c "$(generation_probe {spec.name})"  # see benchmarks/generation_goals.py',
        )

    def opc(self, spec: Path, label: str, black: bool) -> Case:
        output = self.tmp / f"opc-{label}-{'black' if black else 'ruff'}"
        command = [
            str(self.setup.bin_dir / "openapi-python-client"),
            "generate",
            "--path",
            str(spec),
            "--output-path",
            str(output),
            "--overwrite",
        ]
        env = dict(self.setup.base_env)
        display = f"openapi-python-client generate --path {spec.name} --output-path OUT --overwrite"
        black_cache = self.tmp / "black-cache"
        if black:
            config = self.tmp / "opc-black.yaml"
            config.write_text('post_hooks:\n  - "black ."\n', encoding="utf-8")
            command += ["--config", str(config)]
            env["BLACK_CACHE_DIR"] = str(black_cache)
            display += " --config opc-black.yaml  # post_hooks: [black .], empty BLACK_CACHE_DIR"

        def before() -> None:
            shutil.rmtree(output, ignore_errors=True)
            shutil.rmtree(black_cache, ignore_errors=True)

        return Case(
            name="opc+black" if black else "opc",
            command=command,
            env=env,
            cwd=self.tmp,
            before=before,
            display=display,
        )

    def openapi_generator(self, spec: Path, label: str) -> Case:
        output = self.tmp / f"oag-{label}"
        return Case(
            name="openapi-generator",
            command=[
                str(self.setup.bin_dir / "openapi-generator-cli"),
                "generate",
                "-i",
                str(spec),
                "-g",
                "python",
                "-o",
                str(output),
                "--package-name",
                "runloop_oag",
            ],
            env=dict(self.setup.base_env),
            cwd=self.tmp,
            before=lambda: shutil.rmtree(output, ignore_errors=True),
            display=f"openapi-generator-cli generate -i {spec.name} -g python -o OUT --package-name runloop_oag",
        )

    # Goal 1 --------------------------------------------------------------------------

    def goal_cold(self) -> GoalResult:
        log("goal 1: cold generation of the Runloop SDK")
        cases = [
            self.sdkgen_cold(RUNLOOP_SPEC, "runloop"),
            self.opc(RUNLOOP_SPEC, "runloop", black=False),
            self.opc(RUNLOOP_SPEC, "runloop", black=True),
        ]
        notes: list[str] = []
        if self.setup.java:
            cases.append(self.openapi_generator(RUNLOOP_SPEC, "runloop"))
        else:
            notes.append("OpenAPI Generator was not measured: no `java` on PATH.")
        rounds = run_paired(cases, self.rounds)
        rows = [
            (
                case.name,
                f"{median_of(rounds, case.name, seconds):.2f} s",
                f"{median_of(rounds, case.name, cpu_seconds):.2f} s",
                _lines(self.tmp, case.name),
            )
            for case in cases
        ]
        to_black = median_ratio(rounds, "sdkgen", "opc+black")
        to_ruff = median_ratio(rounds, "sdkgen", "opc")
        ratios = [
            Ratio("sdkgen / opc with black", to_black, "<= 0.20", to_black <= 0.20),
            Ratio("sdkgen / opc with ruff (default)", to_ruff, "<= 1.00", to_ruff <= 1.00),
        ]
        if self.setup.java:
            to_oag = median_ratio(rounds, "sdkgen", "openapi-generator")
            ratios.append(Ratio("sdkgen / OpenAPI Generator", to_oag, "(for reference)", True))
        for peer, label in (("opc+black", "opc with black"), ("opc", "opc with ruff")):
            value = median_ratio(rounds, "sdkgen", peer, cpu_seconds)
            ratios.append(Ratio(f"CPU time, sdkgen / {label}", value, "(for reference)", True))
        notes.append(CPU_NOTE)
        notes.append(describe_stages("Where the time goes", self.stage_times(RUNLOOP_SPEC)))
        return GoalResult(
            1,
            "Cold generation of the full Runloop SDK (validation and formatting included, empty cache)",
            rows,
            ("generator", "median wall time", "median CPU time", "Python lines written"),
            ratios,
            notes,
            [case.display for case in cases],
        )

    def stage_times(self, spec: Path) -> dict[str, Any] | str:
        """Time each stage of sdkgen serially in one process; return the times or an error."""
        probe = textwrap.dedent(f"""
            import json, time
            started = time.perf_counter()
            from generator.config import Config
            from generator.load import load_spec
            from generator.validate import validate_spec
            from generator.walk import walk_spec
            from generator.render import render_files, static_runtime_paths
            from generator.fmt import format_files
            import black
            times = {{"import": time.perf_counter() - started}}
            mark = time.perf_counter()
            def step(name):
                global mark
                now = time.perf_counter()
                times[name] = now - mark
                mark = now
            spec = load_spec({str(spec)!r}); step("load")
            validate_spec(spec); step("validate")
            sdk = walk_spec(spec, Config()); step("walk")
            files = render_files(sdk); step("render")
            formatted = format_files(files, preformatted=static_runtime_paths(sdk)); step("black")
            lines = sum(text.count("\\n") for path, text in formatted.items() if path.endswith(".py"))
            print(json.dumps({{"times": times, "lines": lines, "files": len(formatted)}}))
            """)
        try:
            sample = run_process(
                [self.python, "-c", probe], env=self.sdkgen_env(self.tmp / "unused"), cwd=self.tmp
            )
        except ProcessFailed as exc:
            return f"stage breakdown unavailable: {str(exc).splitlines()[0]}"
        data: dict[str, Any] = sample.payload()
        return data

    # Goal 2 --------------------------------------------------------------------------

    def goal_unchanged(self) -> GoalResult:
        log("goal 2: unchanged spec (warm cache)")
        output = self.tmp / "sdkgen-warm"
        cache = self.tmp / "sdkgen-cache-warm"
        shutil.rmtree(output, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
        env = self.sdkgen_env(cache)
        generate = [
            self.python,
            "-m",
            "generator",
            "generate",
            str(RUNLOOP_SPEC),
            "--output",
            str(output),
        ]
        run_process(generate, env=env, cwd=self.tmp)
        check = Case(
            "sdkgen check",
            [self.python, "-m", "generator", "check", str(RUNLOOP_SPEC), "--output", str(output)],
            env,
            self.tmp,
            display="python -m generator check openapi.json --output OUT  # cache and OUT from an earlier run",
        )
        regenerate = Case(
            "sdkgen generate",
            generate,
            env,
            self.tmp,
            display="python -m generator generate openapi.json --output OUT  # same",
        )
        opc = self.opc(RUNLOOP_SPEC, "runloop", black=False)
        opc_black = self.opc(RUNLOOP_SPEC, "runloop", black=True)
        cases = [check, regenerate, opc, opc_black]
        rounds = run_paired(cases, self.rounds)
        rows = [
            (
                case.name,
                f"{median_of(rounds, case.name, seconds):.3f} s",
                f"{median_of(rounds, case.name, cpu_seconds):.3f} s",
            )
            for case in cases
        ]
        ratios = []
        for name in ("sdkgen check", "sdkgen generate"):
            for peer, label in (
                ("opc", "opc with ruff (default)"),
                ("opc+black", "opc with black"),
            ):
                value = median_ratio(rounds, name, peer)
                ratios.append(Ratio(f"{name} / {label}", value, "<= 0.10", value <= 0.10))
        return GoalResult(
            2,
            "Unchanged spec: check and generate with a warm cache (Runloop)",
            rows,
            ("command", "median wall time", "median CPU time"),
            ratios,
            [
                "opc has no cache, so its time is a full generation; with black it formats "
                "from an empty black cache each run, because opc writes new unformatted files.",
            ],
            [case.display for case in cases],
        )

    # Goal 3 --------------------------------------------------------------------------

    def goal_large(self) -> GoalResult:
        log("goal 3: the OpenAI spec")
        notes: list[str] = []
        sdkgen = self.sdkgen_cold(OPENAI_SPEC, "openai", sample_memory=True)
        sdkgen.before()
        try:
            run_process(sdkgen.command, env=sdkgen.env, cwd=sdkgen.cwd)
        except ProcessFailed as exc:
            errors = [line for line in str(exc).splitlines() if line.startswith("error:")]
            notes.append(
                f"`sdkgen generate` rejects this spec ({len(errors)} validation errors; the "
                f"first: `{errors[0] if errors else str(exc).splitlines()[0]}`). The sdkgen "
                "row therefore times `generation_probe()` from benchmarks/generation_goals.py: "
                "the same stages and worker processes, validation included, with the "
                "validation errors ignored."
            )
            sdkgen = self.sdkgen_probe(OPENAI_SPEC, "openai")
        if not self.quick:
            notes.append(describe_stages("Where the time goes", self.stage_times(OPENAI_SPEC)))
        opc = self.opc(OPENAI_SPEC, "openai", black=False)
        opc.sample_memory = True
        rounds = run_paired([sdkgen, opc], max(1, self.rounds // 2), warmup=False)
        rows = []
        for case in (sdkgen, opc):
            rows.append(
                (
                    case.name,
                    f"{median_of(rounds, case.name, seconds):.2f} s",
                    f"{median_of(rounds, case.name, cpu_seconds):.2f} s",
                    f"{median_of(rounds, case.name, lambda s: s.max_rss_mib):.0f} MiB",
                    f"{median_of(rounds, case.name, lambda s: s.tree_peak_mib or 0.0):.0f} MiB",
                )
            )
        ratio = median_ratio(rounds, "sdkgen", "opc")
        tree_peak = max(samples["sdkgen"].tree_peak_mib or 0.0 for samples in rounds)
        return GoalResult(
            3,
            "Large spec: OpenAI (cold, empty cache)",
            rows,
            (
                "generator",
                "median wall time",
                "median CPU time",
                "largest process (max RSS)",
                "process tree peak (sampled sum of RSS)",
            ),
            [
                Ratio("sdkgen / opc with ruff (default)", ratio, "<= 1.00", ratio <= 1.00),
                Ratio(
                    "sdkgen peak memory, MiB (tree, worst round)",
                    tree_peak,
                    "< 1024",
                    tree_peak < 1024,
                ),
            ],
            [
                *notes,
                "The tree figure adds the RSS of the main process and its workers every 50 ms; "
                "pages that forked workers share with the parent count twice, so it is an upper bound.",
            ],
            [sdkgen.display, opc.display],
        )

    # The generated SDK -----------------------------------------------------------------

    def generated_sdk(self) -> Path:
        """Generate the Runloop SDK with the current sdkgen and compile it to bytecode."""
        output = self.tmp / "sdk-runloop"
        if not output.exists():
            run_process(
                [
                    self.python,
                    "-m",
                    "generator",
                    "generate",
                    str(RUNLOOP_SPEC),
                    "--output",
                    str(output),
                    "--no-cache",
                ],
                env=self.sdkgen_env(self.tmp / "unused"),
                cwd=self.tmp,
            )
            subprocess.run(
                [str(self.setup.sdk_python), "-m", "compileall", "-q", str(output / "src")],
                check=True,
            )
        return output / "src"

    def sdk_case(self, name: str, pythonpath: Path | None, code: str, expect_in_path: str) -> Case:
        env = dict(self.setup.base_env)
        if pythonpath is not None:
            env["PYTHONPATH"] = str(pythonpath)
        probe = (
            code
            + f"\nassert {expect_in_path!r} in runloop_api_client.__file__, runloop_api_client.__file__\n"
        )
        return Case(name, [str(self.setup.sdk_python), "-c", probe], env, self.tmp)

    # Goal 6 --------------------------------------------------------------------------

    def goal_scaling(self) -> GoalResult:
        log("goal 6: scaling on synthetic specs")
        rows = []
        measured: list[tuple[int, float, float, float]] = []
        stages: list[str] = []
        rounds_per_size = 1 if self.quick else max(1, self.rounds // 2)
        for operations in SYNTHETIC_SIZES:
            spec = self.tmp / f"synthetic-{operations}.json"
            document = synthetic_spec(operations)
            spec.write_text(json.dumps(document, indent=1), encoding="utf-8")
            schemas = len(document["components"]["schemas"])
            case = self.sdkgen_cold(spec, f"synthetic-{operations}", sample_memory=True)
            rounds = run_paired([case], rounds_per_size, warmup=False)
            wall = median_of(rounds, "sdkgen", seconds)
            cpu = median_of(rounds, "sdkgen", cpu_seconds)
            memory = max(samples["sdkgen"].tree_peak_mib or 0.0 for samples in rounds)
            rss = max(samples["sdkgen"].max_rss_mib for samples in rounds)
            measured.append((operations, cpu, wall, memory))
            if not self.quick or operations < SYNTHETIC_SIZES[-1]:
                stages.append(describe_stages(f"{operations:,} operations", self.stage_times(spec)))
            rows.append(
                (
                    f"{operations:,}",
                    f"{schemas:,}",
                    f"{wall:.2f} s",
                    f"{cpu:.2f} s",
                    f"{wall / operations * 1000:.1f} ms",
                    f"{rss:.0f} MiB",
                    f"{memory:.0f} MiB",
                )
            )
        ratios = []
        superlinear_cpu: list[str] = []
        for (small, small_cpu, small_time, small_memory), (
            large,
            large_cpu,
            large_time,
            large_memory,
        ) in zip(measured, measured[1:], strict=False):
            growth = large / small
            time_exponent = math.log(large_time / small_time) / math.log(growth)
            cpu_exponent = math.log(large_cpu / small_cpu) / math.log(growth)
            if cpu_exponent > 1.05:
                superlinear_cpu.append(f"{small:,} -> {large:,} operations ({cpu_exponent:.2f})")
            memory_exponent = math.log(large_memory / small_memory) / math.log(growth)
            ratios.append(
                Ratio(
                    f"time growth exponent, {small:,} -> {large:,} operations",
                    time_exponent,
                    "<= 1.05",
                    time_exponent <= 1.05,
                )
            )
            ratios.append(
                Ratio(
                    f"CPU time growth exponent, {small:,} -> {large:,} operations",
                    cpu_exponent,
                    "(for reference)",
                    True,
                )
            )
            ratios.append(
                Ratio(
                    f"memory growth exponent, {small:,} -> {large:,} operations",
                    memory_exponent,
                    "<= 1.05",
                    memory_exponent <= 1.05,
                )
            )
        return GoalResult(
            6,
            "Scaling: synthetic specs (cold, empty cache)",
            rows,
            (
                "operations",
                "schemas",
                "wall time",
                "CPU time",
                "per operation",
                "largest process",
                "process tree peak",
            ),
            ratios,
            [
                *stages,
                "The exponent is log(t2/t1) / log(n2/n1): 1 is linear. Fixed start-up costs push "
                "it below 1 at small sizes. The limit allows 5% for noise.",
                f"Rounds per size: {rounds_per_size}. The specs come from `synthetic_spec()` in "
                "benchmarks/inputs.py: five operations and four schemas (model, enum, create body, "
                "list view) per resource.",
            ],
            [self.sdkgen_cold(self.tmp / "synthetic-N.json", "x").display],
            gap_reason=(
                "sdkgen's own CPU time grows faster than linearly between "
                + ", ".join(superlinear_cpu)
                + ", so part of the gap is sdkgen's; the stage breakdowns above show which "
                "stage grows (under --quick the largest size has none), and other load on the "
                "machine adds to the wall-time exponent."
                if superlinear_cpu
                else ""
            ),
        )


def _lines(tmp: Path, name: str) -> str:
    folder = {
        "sdkgen": "sdkgen-runloop",
        "opc": "opc-runloop-ruff",
        "opc+black": "opc-runloop-black",
        "openapi-generator": "oag-runloop",
    }.get(name)
    if folder is None or not (tmp / folder).exists():
        return ""
    total = 0
    for path in (tmp / folder).rglob("*.py"):
        with open(path, "rb") as handle:
            total += sum(1 for _ in handle)
    return f"{total:,}"
