"""Peak RSS and CPU time of a real envlint process on the heaviest hostile inputs.

tracemalloc (used by the corpus tests) sees Python allocations only and slows big runs down;
here each case runs in a fresh interpreter that reports its own ``ru_maxrss``.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import write_tree
from tests.hostile._harness import MAX_SECONDS, PLANTED, healthy_root

MAX_RSS_BYTES = 1024**3
HOSTILE = "hostile/compose.yaml"

# VmHWM is this process image's peak (ru_maxrss would include the forking pytest's).
RUN = """
import sys
from envlint.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
with open("/proc/self/status") as status:
    peak = next(line for line in status if line.startswith("VmHWM:"))
rss = int(peak.split()[1]) * 1024
sys.stderr.write(f"\\nRSS={rss} EXIT={code}\\n")
"""


def _children_cpu() -> float:
    """CPU seconds of this process's reaped children (the run is one)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _big_source(root: Path) -> None:
    write_tree(root, {HOSTILE: "services:\n  app:\n    build: ./src\n",
                      "hostile/src/Dockerfile": "FROM golang\n"})
    line = b'var _ = os.Getenv("X")\n'
    with (root / "hostile/src/huge.go").open("wb") as handle:
        handle.write(b"package main\n" + line * (50 * 1024 * 1024 // len(line)))


def _services(root: Path) -> None:
    body = "".join(
        f"  s{i}:\n    image: nginx\n    environment:\n      V{i}: ${{V{i}}}\n"
        for i in range(5_000)
    )
    write_tree(root, {HOSTILE: "services:\n" + body})


def _value_bomb(root: Path) -> None:
    write_tree(root, {
        HOSTILE: "services:\n  app:\n    image: x\n    environment:\n      A: "
        + "${BIG}" * 20_000 + "\n",
        "hostile/.env": "BIG=" + "y" * 1_000_000 + "\n",
    })


def _env_chain(root: Path) -> None:
    lines = ["L0=" + "x" * 100] + [f"L{i}=" + f"${{L{i - 1}}}" * 10 for i in range(1, 9)]
    write_tree(root, {HOSTILE: "services:\n  app:\n    image: x\n",
                      "hostile/.env": "\n".join(lines) + "\n"})


def _long_lines(root: Path) -> None:
    write_tree(root, {
        HOSTILE: "services:\n  app:\n    image: x\n    labels: ["
        + ", ".join(f"l{i}" for i in range(150_000)) + "]\n",
        "hostile/.env": "LONG=" + "x" * 1_000_000 + "\n",
    })


def _deep_flow(root: Path) -> None:
    write_tree(root, {HOSTILE: b"services:\n  a:\n    image: " + b"[" * 10_000 + b"]" * 10_000})


CASES: dict[str, Callable[[Path], None]] = {
    "deep-flow-nesting": _deep_flow,
    "50mb-source": _big_source,
    "5000-services": _services,
    "compose-value-bomb": _value_bomb,
    "env-chain-bomb": _env_chain,
    "1mb-lines": _long_lines,
}


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("case", sorted(CASES))
def test_peak_rss_and_time(tmp_path: Path, case: str) -> None:
    root = healthy_root(tmp_path / "root")
    CASES[case](root)
    env = {**os.environ, "ENVLINT_CACHE_DIR": str(tmp_path / "cache")}
    start = _children_cpu()
    done = subprocess.run(
        [sys.executable, "-c", RUN, "check", str(root), "--format", "json", "--isolated"],
        capture_output=True, text=True, env=env, timeout=120, check=False, cwd=root,
    )
    seconds = _children_cpu() - start
    tail = done.stderr.rsplit("RSS=", 1)[-1].split()
    rss, code = int(tail[0]), tail[1].removeprefix("EXIT=")
    assert code in ("0", "1") and "Traceback" not in done.stderr, done.stderr[-2000:]
    findings = json.loads(done.stdout)["findings"]
    assert PLANTED in {(f["code"], f["path"], f["line"]) for f in findings}
    assert seconds < MAX_SECONDS, f"{case}: {seconds:.1f} CPU s"
    assert rss < MAX_RSS_BYTES, f"{case}: {rss / 2**20:.0f} MiB"
    print(f"{case}: {seconds:.2f} CPU s, {rss / 2**20:.0f} MiB")  # -s shows the measurements
