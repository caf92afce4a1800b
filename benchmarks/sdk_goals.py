"""Goals 4 and 5: import time, first call and parsing, the generated SDK against the official one."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from environment import OFFICIAL_LATEST, OFFICIAL_SPEC_MATCH
from generation_goals import Bench, GoalResult, Ratio
from harness import Case, Sample, log, median_of, median_ratio, run_paired, seconds
from inputs import PARSE_ITEMS, LocalServer, write_parse_payload


def goal_import(bench: Bench) -> GoalResult:
    log("goal 4: import, construct, first call")
    ours = bench.generated_sdk()
    with LocalServer() as server:
        code = textwrap.dedent(f"""
            import json, time
            started = time.perf_counter()
            import runloop_api_client
            client = runloop_api_client.Runloop(bearer_token="bench-token", base_url={server.url!r})
            constructed = time.perf_counter()
            view = client.devboxes.retrieve("dbx_bench")
            called = time.perf_counter()
            assert view.id == "dbx_bench", view
            print(json.dumps({{"construct": constructed - started, "first_call": called - started}}))
            """)
        site_packages = str(bench.setup.sdk_python.parent.parent / "lib")
        cases = [
            bench.sdk_case("sdkgen", ours, code, str(ours)),
            bench.sdk_case(f"official {OFFICIAL_LATEST}", None, code, site_packages),
            bench.sdk_case(
                f"official {OFFICIAL_SPEC_MATCH}",
                bench.setup.official_spec_match,
                code,
                str(bench.setup.official_spec_match),
            ),
            Case(
                "import httpx",
                [
                    str(bench.setup.sdk_python),
                    "-c",
                    "import json, time\nstarted = time.perf_counter()\nimport httpx\n"
                    "print(json.dumps({'construct': time.perf_counter() - started, 'first_call': 0.0}))",
                ],
                dict(bench.setup.base_env),
                bench.tmp,
            ),
        ]
        rounds = run_paired(cases, bench.rounds * 3)

    def construct(sample: Sample) -> float:
        return float(sample.payload()["construct"])

    def first_call(sample: Sample) -> float:
        return float(sample.payload()["first_call"])

    rows = []
    for case in cases:
        rows.append(
            (
                case.name,
                f"{median_of(rounds, case.name, construct) * 1000:.1f} ms",
                (
                    f"{median_of(rounds, case.name, first_call) * 1000:.1f} ms"
                    if case.name != "import httpx"
                    else ""
                ),
                f"{median_of(rounds, case.name, seconds) * 1000:.0f} ms",
            )
        )
    ratios = []
    for official in (f"official {OFFICIAL_LATEST}", f"official {OFFICIAL_SPEC_MATCH}"):
        value = median_ratio(rounds, "sdkgen", official, construct)
        ratios.append(
            Ratio(f"import + client, sdkgen / {official}", value, "<= 0.25", value <= 0.25)
        )
        value = median_ratio(rounds, "sdkgen", official, first_call)
        ratios.append(
            Ratio(f"import + first call, sdkgen / {official}", value, "<= 0.50", value <= 0.50)
        )
    notes = [
        "Times are measured inside each process, from before `import runloop_api_client` to "
        "after the client is built and after the first call returns; the whole-process "
        "column adds interpreter start-up. Both SDKs run on the same interpreter and httpx, "
        "with bytecode compiled ahead.",
        'The first call is `client.devboxes.retrieve("dbx_bench")` against an HTTP server '
        "on 127.0.0.1 started by this script.",
    ]
    notes.extend(import_breakdown(bench, ours))
    return GoalResult(
        4,
        "Import: `import runloop_api_client; Runloop(...)`, then a first call",
        rows,
        ("package", "import + client", "import + first call", "whole process"),
        ratios,
        notes,
        ['python -c "import runloop_api_client; Runloop(bearer_token=..., base_url=...)..."'],
    )


def import_breakdown(bench: Bench, ours: Path) -> list[str]:
    """List the slowest top-level imports of the generated SDK (python -X importtime)."""
    env = {**bench.setup.base_env, "PYTHONPATH": str(ours)}

    def importtime(code: str) -> str:
        return subprocess.run(
            [str(bench.setup.sdk_python), "-X", "importtime", "-c", code],
            env=env,
            cwd=bench.tmp,
            capture_output=True,
            text=True,
            check=False,
        ).stderr

    # Modules that interpreter start-up imports (site hooks, .pth files) are left out.
    startup = {
        line.split("|")[-1].strip() for line in importtime("pass").splitlines() if "|" in line
    }
    result_lines = importtime(
        "import runloop_api_client\nrunloop_api_client.Runloop(bearer_token='x')"
    ).splitlines()
    package = "runloop_api_client"
    total = 0
    # Third-party packages: the largest cumulative time of any of their modules, which is the
    # import of the package itself, dependencies included.
    others: dict[str, int] = {}
    # The SDK's own modules: self time, grouped by subpackage (types, resources, ...).
    own: dict[str, list[int]] = {}
    for line in result_lines:
        if not line.startswith("import time:") or line.count("|") != 2:
            continue
        self_text, cumulative_text, raw_name = line[len("import time:") :].split("|")
        if not cumulative_text.strip().isdigit():
            continue
        name = raw_name.strip()
        top = name.split(".")[0]
        if name == package:
            total = int(cumulative_text)
        if top == package:
            group = ".".join(name.split(".")[:2])
            own.setdefault(group, []).append(int(self_text))
        elif top not in sys.stdlib_module_names and name not in startup:
            others[top] = max(others.get(top, 0), int(cumulative_text))
    slowest = sorted(others.items(), key=lambda item: -item[1])[:6]
    own_slowest = sorted(own.items(), key=lambda item: -sum(item[1]))[:4]
    return [
        f"Where the generated SDK's import time goes (one `python -X importtime` run, which "
        f"adds its own overhead): `import {package}` takes {total / 1000:.1f} ms in all. "
        "Third-party packages it imports, their dependencies included: "
        + ", ".join(f"{name} {micros / 1000:.1f} ms" for name, micros in slowest)
        + ". Its own modules, self time: "
        + ", ".join(
            f"{group} {sum(times) / 1000:.1f} ms in {len(times)} module(s)"
            for group, times in own_slowest
        )
        + "."
    ]


def goal_parse(bench: Bench) -> GoalResult:
    log("goal 5: parsing a 10,000-item list response")
    ours = bench.generated_sdk()
    payload = bench.tmp / "benchmark_runs.json"
    write_parse_payload(payload)
    repeats = 5
    common = textwrap.dedent(f"""
        import enum, json, statistics, time
        with open({str(payload)!r}, encoding="utf-8") as handle:
            data = json.load(handle)
        def measure(parse):
            times = []
            for _ in range({repeats}):
                started = time.perf_counter()
                result = parse(data)
                times.append(time.perf_counter() - started)
            return result, statistics.median(times) / len(data["runs"])
        """)
    ours_code = common + textwrap.dedent("""
        import runloop_api_client
        from runloop_api_client.types import BenchmarkRunListView, BenchmarkRunView
        parse = getattr(BenchmarkRunListView, "from_dict", None) or BenchmarkRunListView.from_json
        result, per_object = measure(parse)
        first = result.runs[0]
        assert type(first) is BenchmarkRunView, type(first)
        assert isinstance(first.state, enum.Enum), type(first.state)
        print(json.dumps({"per_object": per_object, "state": type(first.state).__name__}))
        """)
    official_code = common + textwrap.dedent("""
        import runloop_api_client
        from runloop_api_client._models import construct_type
        from runloop_api_client.types import BenchmarkRunListView, BenchmarkRunView
        result, per_object = measure(lambda value: construct_type(type_=BenchmarkRunListView, value=value))
        assert type(result.runs[0]) is BenchmarkRunView, type(result.runs[0])
        _, validate = measure(BenchmarkRunListView.model_validate)
        print(json.dumps({"per_object": per_object, "validate": validate,
                          "state": type(result.runs[0].state).__name__}))
        """)
    cases = [
        bench.sdk_case("sdkgen", ours, ours_code, str(ours)),
        bench.sdk_case(
            f"official {OFFICIAL_SPEC_MATCH}",
            bench.setup.official_spec_match,
            official_code,
            str(bench.setup.official_spec_match),
        ),
    ]
    rounds = run_paired(cases, bench.rounds, warmup=False)

    def per_object(sample: Sample) -> float:
        return float(sample.payload()["per_object"])

    official = f"official {OFFICIAL_SPEC_MATCH}"
    validate = median_of(rounds, official, lambda sample: float(sample.payload()["validate"]))
    rows = [
        (
            "sdkgen `BenchmarkRunListView.from_dict`",
            f"{median_of(rounds, 'sdkgen', per_object) * 1e6:.2f} µs",
            rounds[0]["sdkgen"].payload()["state"],
        ),
        (
            f"{official} `construct_type` (the SDK's default path)",
            f"{median_of(rounds, official, per_object) * 1e6:.2f} µs",
            rounds[0][official].payload()["state"],
        ),
        (f"{official} `model_validate` (strict validation)", f"{validate * 1e6:.2f} µs", ""),
    ]
    speedup = median_ratio(rounds, official, "sdkgen", per_object)
    return GoalResult(
        5,
        f"Parsing: a {PARSE_ITEMS:,}-item `BenchmarkRunListView` into models",
        rows,
        ("path", "time per object", "type of `state`"),
        [
            Ratio(
                f"speed-up of sdkgen over {official} construct_type",
                speedup,
                ">= 10",
                speedup >= 10,
            )
        ],
        [
            "JSON decoding is excluded: both sides start from the same decoded list. "
            f"Each process takes the median of {repeats} passes; the ratio is the median over "
            "paired rounds. The checks in the probe assert that sdkgen builds nested "
            "`BenchmarkRunView` objects and converts `state` to an enum.",
            f"runloop-api-client {OFFICIAL_LATEST} no longer has `BenchmarkRunView`, so this goal "
            f"uses {OFFICIAL_SPEC_MATCH}, the release the Runloop spec describes.",
        ],
        [
            "python -c '... BenchmarkRunListView.from_dict(data) ...' vs construct_type(type_=BenchmarkRunListView, value=data)"
        ],
    )
