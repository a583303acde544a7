"""--jobs: the process pool gives the same answer, byte for byte, as one process."""

from __future__ import annotations

import operator
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from envlint import parallel
from envlint.cli import cli
from tests.conftest import write_tree

REPO = Path(__file__).resolve().parents[1]


def test_results_keep_input_order_on_the_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    items = list(range(300))
    pooled = _spy(monkeypatch)
    assert parallel.run_ordered(operator.mul, 3, items, jobs=2, threshold=10) == [
        3 * i for i in items
    ]
    assert pooled == [300]


def test_small_inputs_and_one_job_stay_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    pooled = _spy(monkeypatch)
    assert parallel.run_ordered(operator.add, 1, [1, 2], jobs=2, threshold=10) == [2, 3]
    assert parallel.run_ordered(operator.add, 1, list(range(50)), jobs=1, threshold=0)[-1] == 50
    assert pooled == []


def test_pool_failure_falls_back_to_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> list[int]:
        raise OSError("no processes here")

    monkeypatch.setattr(parallel, "_pooled", broken)
    assert parallel.run_ordered(operator.add, 1, [1, 2, 3], jobs=2, threshold=0) == [2, 3, 4]


def test_effective_jobs_and_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "cpu_count", lambda: 4)
    assert parallel.effective_jobs(3) == 3
    assert parallel.effective_jobs(0) == 4
    assert parallel.effective_jobs(48) == 4  # never more workers than CPUs
    monkeypatch.setenv("ENVLINT_PARALLEL_THRESHOLD", "7")
    assert parallel.threshold() == 7
    monkeypatch.setenv("ENVLINT_PARALLEL_THRESHOLD", "lots")
    assert parallel.threshold() == parallel.DEFAULT_THRESHOLD


def _spy(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    monkeypatch.setattr(parallel, "cpu_count", lambda: 4)  # a pool even on a 1-CPU machine
    calls: list[int] = []
    original: Callable[..., Any] = parallel._pooled

    def spy(func: Any, context: Any, items: Any, workers: int) -> Any:
        calls.append(len(items))
        return original(func, context, items, workers)

    monkeypatch.setattr(parallel, "_pooled", spy)
    return calls


GO_SERVICE = """
package main

import (
	"fmt"
	"os"
)

func mustMapEnv(target *string, key string) {{
	v := os.Getenv(key)
	if v == "" {{
		panic(fmt.Sprintf("%q not set", key))
	}}
	*target = v
}}

func main() {{
	var addr string
	mustMapEnv(&addr, "SVC{n}_ADDR")
	_ = os.Getenv("SVC{n}_LOG")
}}
"""

GO_PLAIN = """
package util

func Clear{n}(items []string) []string {{
	return items[:0]
}}
"""

PY_SERVICE = """
import os

URL = os.environ["SVC{n}_URL"]
PORT = int(os.environ.get("SVC{n}_PORT", "80"))
"""


def _monorepo(root: Path) -> Path:
    files: dict[str, str] = {}
    compose = ["services:"]
    for n in range(6):
        lang = "go" if n % 2 == 0 else "py"
        compose += [f"  svc{n}:", f"    build: ./svc{n}", "    environment:"]
        compose += [f"      - SVC{n}_LOG=1"]
        if lang == "go":
            files[f"svc{n}/main.go"] = GO_SERVICE.format(n=n)
            for i in range(4):
                files[f"svc{n}/util/u{i}.go"] = GO_PLAIN.format(n=i)
        else:
            files[f"svc{n}/app/settings.py"] = PY_SERVICE.format(n=n)
            for i in range(4):
                files[f"svc{n}/app/m{i}.py"] = f"def f{i}():\n    return {i}\n"
    files["docker-compose.yml"] = "\n".join(compose) + "\n"
    write_tree(root, files)
    shutil.copytree(REPO / "examples", root / "examples")
    return root


@pytest.mark.slow
def test_jobs_one_and_two_give_identical_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _monorepo(tmp_path / "mono")
    monkeypatch.setenv("ENVLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("ENVLINT_PARALLEL_THRESHOLD", "4")
    pooled = _spy(monkeypatch)
    outputs: list[str] = []
    for args in (["--jobs", "1"], ["--jobs", "2"], ["--jobs", "2"], ["--jobs", "1"]):
        # no cache, then a cold and a warm cache: four ways to the same bytes
        extra = ["--no-cache"] if len(outputs) == 0 else []
        result = CliRunner().invoke(
            cli, ["check", str(root), "--format", "json", "--fail-on", "never", *args, *extra]
        )
        assert result.exit_code == 0, result.output
        outputs.append(result.output)
    assert pooled and pooled[0] > 4  # the second run really used the pool
    assert outputs[0] == outputs[1] == outputs[2] == outputs[3]
    for needle in ('"ENV201"', '"SVC0_ADDR"', '"SVC1_URL"', '"ENV401"'):
        assert needle in outputs[0]
