"""The benchmark's virtual environment, the peers installed in it, and facts about the machine."""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from harness import log

REPO = Path(__file__).resolve().parents[1]

# Peers, pinned so that reruns compare like with like. runloop-api-client 1.29.0 is the
# release whose routes and models the Runloop spec describes; 3.0.0 (the latest) no
# longer has the benchmark endpoints, so it serves only the import and first-call goal.
OPC_VERSION = "0.29.1"
OPENAPI_GENERATOR_VERSION = "7.26.0"
OFFICIAL_LATEST = "3.0.0"
OFFICIAL_SPEC_MATCH = "1.29.0"
# sdkgen's own dependencies are pinned to the versions of the interpreter running this
# script, so the benchmark formats with the same black as the developer's checkout.
SDKGEN_DEPENDENCIES = ("jinja2", "pyyaml", "openapi-spec-validator", "black")


def work_dir() -> Path:
    override = os.environ.get("SDKGEN_BENCH_DIR")
    if override:
        return Path(override)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "sdkgen-bench"


@dataclass
class Setup:
    work: Path
    venv_python: Path
    bin_dir: Path
    # A second environment with the official SDK and its dependencies only, for the
    # import and parsing goals: the peers' tools pull in packages (rich, click) that
    # httpx imports when they are present, which would slow both SDKs' imports.
    sdk_python: Path
    sdkgen_src: Path
    official_spec_match: Path  # --target folder holding runloop-api-client 1.29.0
    base_env: dict[str, str]
    java: str | None
    versions: dict[str, str] = field(default_factory=dict)


def _requirements() -> list[str]:
    requirements = [
        f"openapi-python-client=={OPC_VERSION}",
        f"openapi-generator-cli=={OPENAPI_GENERATOR_VERSION}",
    ]
    for name in SDKGEN_DEPENDENCIES:
        try:
            requirements.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            requirements.append(name)
    return requirements


def prepare(work: Path, reinstall: bool) -> Setup:
    """Create the virtual environment, install the peers and copy sdkgen's source."""
    venv = work / "venv"
    bin_dir = venv / "bin"
    python = bin_dir / "python"
    requirements = _requirements()
    stamp = venv / "sdkgen-bench-requirements.txt"
    sdk_venv = work / "venv-sdk"
    sdk_python = sdk_venv / "bin" / "python"
    wanted = "\n".join(requirements) + (
        f"\nrunloop-api-client=={OFFICIAL_LATEST}\nofficial-spec-match=={OFFICIAL_SPEC_MATCH}\n"
    )
    official_spec_match = work / f"runloop-api-client-{OFFICIAL_SPEC_MATCH}"
    installed = python.exists() and sdk_python.exists() and stamp.exists()
    if reinstall or not installed or stamp.read_text() != wanted:
        log(f"installing peers into {venv} (the only step that uses the network)")
        for folder in (venv, sdk_venv, official_spec_match):
            shutil.rmtree(folder, ignore_errors=True)
        pip_options = ["-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        _run_quietly([sys.executable, "-m", "venv", str(venv)])
        _run_quietly([str(python), *pip_options, *requirements])
        _run_quietly([sys.executable, "-m", "venv", str(sdk_venv)])
        _run_quietly([str(sdk_python), *pip_options, f"runloop-api-client=={OFFICIAL_LATEST}"])
        # A second release of the official SDK, importable only through PYTHONPATH; its
        # dependencies are those of the release above.
        _run_quietly(
            [
                str(sdk_python),
                *pip_options,
                "--no-deps",
                "--target",
                str(official_spec_match),
                f"runloop-api-client=={OFFICIAL_SPEC_MATCH}",
            ]
        )
        stamp.write_text(wanted)

    # A private copy of sdkgen, compiled to bytecode as an installed package would be, so
    # that edits in the checkout during a run do not mix two versions.
    sdkgen_src = work / "sdkgen-src"
    shutil.rmtree(sdkgen_src, ignore_errors=True)
    for part in ("generator", "templates"):
        shutil.copytree(
            REPO / part, sdkgen_src / part, ignore=shutil.ignore_patterns("__pycache__")
        )
    subprocess.run([str(python), "-m", "compileall", "-q", str(sdkgen_src)], check=True)

    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in ("PYTHONPATH", "PYTHONDONTWRITEBYTECODE", "RUNLOOP_API_KEY", "RUNLOOP_BASE_URL")
        and not key.startswith(("SDKGEN_", "BLACK_CACHE"))
    }
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(venv)
    java = shutil.which("java", path=env["PATH"])
    setup = Setup(work, python, bin_dir, sdk_python, sdkgen_src, official_spec_match, env, java)
    setup.versions = collect_versions(setup)
    return setup


def _run_quietly(command: list[str]) -> None:
    """Run an install step; show its output only when it fails."""
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        log(result.stdout + result.stderr)
        raise SystemExit(
            f"error: install step failed (exit {result.returncode}): {' '.join(command)}"
        )


def collect_versions(setup: Setup) -> dict[str, str]:
    probe = textwrap.dedent("""
        import json, sys
        from importlib import metadata
        names = ["openapi-python-client", "openapi-generator-cli", "runloop-api-client",
                 "black", "ruff", "jinja2", "pyyaml", "openapi-spec-validator", "httpx",
                 "pydantic"]
        versions = {}
        for name in names:
            try:
                versions[name] = metadata.version(name)
            except metadata.PackageNotFoundError:
                versions[name] = "not installed"
        versions["python"] = sys.version.split()[0]
        print(json.dumps(versions))
        """)
    versions: dict[str, str] = {}
    # The tools come from the first environment, the SDKs and their runtime from the second.
    for python, names in (
        (
            setup.venv_python,
            (
                "openapi-python-client",
                "openapi-generator-cli",
                "black",
                "ruff",
                "jinja2",
                "pyyaml",
                "openapi-spec-validator",
                "python",
            ),
        ),
        (setup.sdk_python, ("runloop-api-client", "httpx", "pydantic")),
    ):
        output = subprocess.run(
            [str(python), "-c", probe],
            env=setup.base_env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        found = json.loads(output)
        versions.update({name: found[name] for name in names})
    versions["runloop-api-client (spec match)"] = OFFICIAL_SPEC_MATCH
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    versions["sdkgen"] = f"{commit}{' (uncommitted changes)' if dirty else ''}"
    if setup.java:
        java = subprocess.run([setup.java, "-version"], capture_output=True, text=True)
        versions["java"] = (
            (java.stderr or java.stdout).splitlines()[0] if (java.stderr or java.stdout) else "?"
        )
    else:
        versions["java"] = "not found"
    return versions


def machine_facts() -> dict[str, str]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "CPU": model,
        "cores available": str(cores),
        "memory": memory,
        "OS": f"{platform.system()} {platform.release()}",
        "load average at start": " ".join(f"{value:.2f}" for value in os.getloadavg()),
    }
