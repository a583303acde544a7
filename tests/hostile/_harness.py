"""Run the real CLI on a hostile tree and check the invariants every hostile case shares.

Every case writes its hostile input *beside* a healthy Compose project (``healthy/``) in the
same root; whatever the hostile file does, the healthy project's planted ENV101 must still be
reported, the exit status must be 0 or 1 (never 2: bad input is a finding, not a failure), no
traceback may reach the output, and time and memory stay bounded.
"""

from __future__ import annotations

import json
import os
import resource
import tracemalloc
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from envlint.cli import cli
from tests.conftest import write_tree

HEALTHY = {
    "healthy/docker-compose.yml": """\
        services:
          web:
            image: nginx
            environment:
              PORT: ${PLANTED_UNDEFINED}
        """,
    "healthy/.env": "OTHER=1\n",
}
PLANTED = ("ENV101", "healthy/docker-compose.yml", 5)

MAX_SECONDS = 20.0  # CPU seconds (this process and its children): the machines are shared
MAX_PEAK_BYTES = 1024**3  # tracemalloc peak (Python allocations)


@dataclass(frozen=True)
class Outcome:
    exit_code: int
    output: str  # stdout and stderr
    findings: tuple[dict[str, Any], ...]
    seconds: float
    peak_bytes: int

    def triples(self, code: str | None = None) -> set[tuple[str, str, int]]:
        return {
            (f["code"], f["path"], f["line"])
            for f in self.findings
            if code is None or f["code"] == code
        }

    def at(self, path: str) -> list[dict[str, Any]]:
        return [f for f in self.findings if f["path"] == path]


def healthy_root(root: Path) -> Path:
    return write_tree(root, HEALTHY)


def run_check(
    root: Path, *args: str, measure_memory: bool = True, healthy: bool = True
) -> Outcome:
    """``envlint check ROOT --format json`` in process, with the shared invariants asserted."""
    outcome = invoke(["check", str(root), "--format", "json", "--isolated", *args], measure_memory)
    assert outcome.exit_code in (0, 1), outcome.output[-3000:]
    if healthy:
        assert PLANTED in outcome.triples(), "the healthy project was not checked"
    return outcome


def _cpu_seconds() -> float:
    """CPU time used so far by this process and its reaped children (wall time on a shared,
    loaded machine measures the neighbours)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def invoke(argv: Sequence[str], measure_memory: bool = True) -> Outcome:
    """Run the CLI from inside the checked directory (the first argument that is one), so the
    paths it prints (relative to the current directory) are relative to that root."""
    runner = CliRunner()
    here = os.getcwd()
    root = next((a for a in argv[1:] if not a.startswith("-") and os.path.isdir(a)), None)
    if measure_memory:
        tracemalloc.start()
    start = _cpu_seconds()
    try:
        if root is not None:
            os.chdir(root)
            argv = [a if a != root else "." for a in argv]
        result = runner.invoke(cli, list(argv), catch_exceptions=True)
    finally:
        os.chdir(here)
        seconds = _cpu_seconds() - start
        peak = tracemalloc.get_traced_memory()[1] if measure_memory else 0
        if measure_memory:
            tracemalloc.stop()
    output = result.stdout + result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        text = "".join(traceback.format_exception(result.exception))
        raise AssertionError(f"envlint raised:\n{text}")
    assert "Traceback" not in output, output[-3000:]
    assert seconds < MAX_SECONDS, f"took {seconds:.1f} CPU seconds"
    assert peak < MAX_PEAK_BYTES, f"peak {peak / 1e6:.0f} MB"
    findings: tuple[dict[str, Any], ...] = ()
    if "--format" in argv and argv[argv.index("--format") + 1] == "json":
        findings = tuple(json.loads(result.stdout)["findings"])
    return Outcome(result.exit_code, output, findings, seconds, peak)
