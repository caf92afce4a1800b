"""Run processes, time them, and pair the runs of several cases round by round."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROCESS_TIMEOUT = 1_800  # seconds; OpenAPI Generator and black on 5,000 operations are slow


def log(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


@dataclass
class Sample:
    """One timed process run."""

    seconds: float
    cpu_seconds: float  # user + system time of the process and every child it waited for
    max_rss_mib: float  # the largest single process (wait4's ru_maxrss)
    tree_peak_mib: float | None  # the sampled sum over the process tree, if sampled
    stdout: str

    def payload(self) -> dict[str, Any]:
        """Return the JSON object that an in-process probe printed as its last line."""
        lines = self.stdout.strip().splitlines()
        if not lines:
            raise RuntimeError("the probe printed nothing")
        result: dict[str, Any] = json.loads(lines[-1])
        return result


class ProcessFailed(RuntimeError):
    pass


def _descendants(pid: int) -> list[int]:
    found = [pid]
    index = 0
    while index < len(found):
        current = found[index]
        index += 1
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as handle:
                    found.extend(int(child) for child in handle.read().split())
        except OSError:
            continue
    return found


def _tree_rss_mib(pid: int) -> float:
    total_kib = 0
    for member in _descendants(pid):
        try:
            with open(f"/proc/{member}/status", encoding="ascii") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        total_kib += int(line.split()[1])
                        break
        except OSError:
            continue
    return total_kib / 1024


def run_process(
    command: Sequence[str],
    *,
    env: dict[str, str],
    cwd: Path,
    sample_memory: bool = False,
) -> Sample:
    """Run a command to completion and time it; raise ProcessFailed on a non-zero exit."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(list(command), env=env, cwd=cwd, stdout=out, stderr=err)
        peak = [0.0]
        stop = threading.Event()

        def sample() -> None:
            while not stop.wait(0.05):
                peak[0] = max(peak[0], _tree_rss_mib(process.pid))

        sampler = threading.Thread(target=sample, daemon=True) if sample_memory else None
        if sampler is not None:
            sampler.start()
        deadline = started + PROCESS_TIMEOUT
        status = None
        rusage = None
        while status is None:
            pid, status_code, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                status, rusage = status_code, usage
                break
            if time.perf_counter() > deadline:
                process.kill()
                os.wait4(process.pid, 0)
                raise ProcessFailed(f"timed out after {PROCESS_TIMEOUT} s: {' '.join(command)}")
            time.sleep(0.002)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        stop.set()
        if sampler is not None:
            sampler.join()
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    if process.returncode != 0:
        raise ProcessFailed(
            f"exit {process.returncode}: {' '.join(command)}\n{stderr[-3000:]}{stdout[-2000:]}"
        )
    assert rusage is not None
    return Sample(
        seconds=elapsed,
        cpu_seconds=rusage.ru_utime + rusage.ru_stime,
        max_rss_mib=rusage.ru_maxrss / 1024,
        tree_peak_mib=peak[0] if sample_memory else None,
        stdout=stdout,
    )


@dataclass
class Case:
    """One side of a comparison: a command plus what must happen before each run."""

    name: str
    command: list[str]
    env: dict[str, str]
    cwd: Path
    before: Callable[[], None] = lambda: None
    sample_memory: bool = False
    display: str = ""  # the command as the report shows it


def run_paired(cases: Sequence[Case], rounds: int, warmup: bool = True) -> list[dict[str, Sample]]:
    """Run every case once per round, rotating the order; return one dict per round."""
    if warmup:
        for case in cases:
            case.before()
            run_process(case.command, env=case.env, cwd=case.cwd)
    results: list[dict[str, Sample]] = []
    for round_index in range(rounds):
        shift = round_index % len(cases)
        order = list(cases[shift:]) + list(cases[:shift])
        if round_index % 2:
            order.reverse()
        samples: dict[str, Sample] = {}
        for case in order:
            case.before()
            samples[case.name] = run_process(
                case.command, env=case.env, cwd=case.cwd, sample_memory=case.sample_memory
            )
        results.append(samples)
        log(
            f"    round {round_index + 1}/{rounds}: "
            + ", ".join(f"{name} {sample.seconds:.3f} s" for name, sample in samples.items())
        )
    return results


def median_of(
    rounds: Sequence[dict[str, Sample]], name: str, value: Callable[[Sample], float]
) -> float:
    return statistics.median(value(samples[name]) for samples in rounds)


def median_ratio(
    rounds: Sequence[dict[str, Sample]],
    numerator: str,
    denominator: str,
    value: Callable[[Sample], float] = lambda sample: sample.seconds,
) -> float:
    return statistics.median(
        value(samples[numerator]) / value(samples[denominator]) for samples in rounds
    )


def seconds(sample: Sample) -> float:
    return sample.seconds


def cpu_seconds(sample: Sample) -> float:
    return sample.cpu_seconds
