"""envlint's benchmark: synthetic monorepos at several sizes, cold and warm, plus start-up.

    python tests/bench/run.py [--sizes 10,100,1000] [--jobs N] [--profile] [-o table.md]

Not part of the default test run (pyproject's ``norecursedirs`` skips ``bench``).  Each envlint
run is a new process (``python -m envlint check TREE --format json -o /dev/null``):

* cold: ``--no-cache``;
* first: cache enabled but empty (cold plus writing the cache);
* warm: the same again, cache populated, nothing changed.

Per run: wall time, CPU time of the process and its workers (``os.wait4`` rusage), peak RSS of
the largest process (``ru_maxrss``) and of all processes together (sampled from /proc), files/s and
MB/s over the whole tree.  Between sizes: the scaling exponent ``log(t2/t1) / log(n2/n1)`` of CPU
time (1.0 is linear; CPU, not wall, because other work on the machine stretches wall time).
Start-up: ``--startup-runs`` rounds of ``python -c pass``, ``envlint --version`` (the console
script's code) and ``envlint check`` on the repository's ``examples/incident``, in turn, timed
with a plain timer (no sampler) and given as CPU ratios to ``python -c pass`` paired per round.
Trees live under ``$ENVLINT_BENCH_DIR`` (default: the temp dir), reused while the generator's
parameters and code are unchanged; the cache of each run goes to a fresh temp directory.
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen import REPO, Params, TreeInfo, ensure_tree

CONSOLE = "import sys; from envlint._entry import main; sys.exit(main())"


@dataclass(frozen=True)
class Sample:
    wall: float
    cpu: float
    rss_max_mb: float  # the largest single process
    rss_total_mb: float  # all processes of the run together (sampled)
    status: int


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of ``pid`` and every descendant, from /proc (0 where unavailable)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rpartition(")")[2].split()
            with open(f"/proc/{entry}/statm") as handle:
                pages = int(handle.read().split()[1])
        except (OSError, IndexError, ValueError):
            continue
        child = int(entry)
        children.setdefault(int(fields[1]), []).append(child)
        rss[child] = pages * (os.sysconf("SC_PAGE_SIZE") // 1024)
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += rss.get(current, 0)
        todo.extend(children.get(current, ()))
    return total


def measure(argv: list[str], env: dict[str, str] | None = None, *, sample: bool = True) -> Sample:
    """Run ``argv`` once; wall, CPU and memory of it and its children.  ``sample=False``: no
    thread sampling /proc while it runs (for start-up, where the sampler's own cost would show),
    so ``rss_total_mb`` is the largest process only."""
    peak = [0]
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.05):
            peak[0] = max(peak[0], _tree_rss_kb(proc.pid))

    watcher = threading.Thread(target=sample, daemon=True)
    if sample and Path("/proc").is_dir():
        watcher.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}):\n{err}")
    return Sample(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        rss_max_mb=usage.ru_maxrss / 1024,
        rss_total_mb=max(peak[0], usage.ru_maxrss) / 1024,
        status=proc.returncode,
    )


def _check_argv(root: Path, jobs: int | None, *extra: str) -> list[str]:
    argv = [sys.executable, "-m", "envlint", "check", str(root), "--format", "json"]
    argv += ["-o", os.devnull, "--fail-on", "never", *extra]
    return argv + (["--jobs", str(jobs)] if jobs is not None else [])


@dataclass(frozen=True)
class Row:
    tree: TreeInfo
    mode: str
    sample: Sample


def bench_size(params: Params, jobs: int | None, profile: bool) -> list[Row]:
    started = time.perf_counter()
    tree = ensure_tree(params)
    print(f"# {params.services} services: {tree.files} files, {tree.bytes / 1e6:.1f} MB "
          f"(tree ready in {time.perf_counter() - started:.1f} s) at {tree.root}",
          file=sys.stderr)  # fmt: skip
    rows = []
    with tempfile.TemporaryDirectory(prefix="envlint-bench-cache-") as cache:
        env = dict(os.environ, ENVLINT_CACHE_DIR=cache, PYTHONPATH=str(REPO))
        measure(_check_argv(tree.root, jobs, "--no-cache"), env)  # page cache and .pyc warm-up
        for mode, extra in (("cold", ["--no-cache"]), ("first", []), ("warm", [])):
            sample = measure(_check_argv(tree.root, jobs, *extra), env)
            rows.append(Row(tree, mode, sample))
            print(f"  {mode:5} {sample.wall:7.2f} s wall {sample.cpu:7.2f} s CPU "
                  f"{sample.rss_total_mb:6.0f} MB", file=sys.stderr)  # fmt: skip
        if profile:
            _profile(tree, jobs, env)
    return rows


def _profile(tree: TreeInfo, jobs: int | None, env: dict[str, str]) -> None:
    out = Path(tempfile.gettempdir()) / f"envlint-bench-{tree.services}.prof"
    argv = [sys.executable, "-m", "cProfile", "-o", str(out), *_check_argv(tree.root, jobs)[1:]]
    subprocess.run([*argv, "--no-cache"], env=env, check=False, stdout=subprocess.DEVNULL)
    import pstats

    print(f"\n## cProfile of the cold run, {tree.services} services (main process)\n")
    print("```")
    stats = pstats.Stats(str(out), stream=sys.stdout)
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(40)
    print("```")


@dataclass(frozen=True)
class Start:
    name: str
    wall: float  # median wall seconds
    cpu: float  # median CPU seconds
    ratio: float  # median of the per-round CPU ratios to ``python -c pass``


def startup(runs: int) -> list[Start]:
    """Each command ``runs`` times, in turn with the baseline (A B A B ...), timed from outside
    with a plain timer and the kernel's accounting (no sampler); ratios are paired per round."""
    tiny = REPO / "examples" / "incident"
    commands = [
        ("python -c pass", [sys.executable, "-c", "pass"]),
        ("envlint --version", [sys.executable, "-c", CONSOLE, "--version"]),
        (
            "envlint check examples/incident",
            [sys.executable, "-c", CONSOLE, "check", str(tiny), "--no-cache", "-o", os.devnull],
        ),
    ]
    env = dict(os.environ, PYTHONPATH=str(REPO))
    samples: dict[str, list[Sample]] = {name: [] for name, _ in commands}
    for argv in (c[1] for c in commands):
        measure(argv, env, sample=False)  # .pyc and page cache
    for _ in range(runs):  # interleaved, so a burst of load hits every command alike
        for name, argv in commands:
            samples[name].append(measure(argv, env, sample=False))
    base = samples[commands[0][0]]
    return [
        Start(
            name,
            statistics.median(s.wall for s in values),
            statistics.median(s.cpu for s in values),
            statistics.median(s.cpu / b.cpu for s, b in zip(values, base, strict=True)),
        )
        for name, values in samples.items()
    ]


def _machine() -> str:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{cpus} CPUs ({model}), Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}, load average at start {load:.2f}"
    )


def render(rows: list[Row], starts: list[Start], jobs: int | None) -> str:
    lines = [
        f"Machine: {_machine()}; envlint `--jobs {jobs if jobs is not None else 'default'}`.",
        "",
        "| services | files | MB | run | wall s | CPU s | peak RSS MB (largest / all) "
        "| files/s | MB/s |",
        "|---:|---:|---:|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        t, s = row.tree, row.sample
        lines.append(
            f"| {t.services:,} | {t.files:,} | {t.bytes / 1e6:.0f} | {row.mode} | {s.wall:.2f} "
            f"| {s.cpu:.2f} | {s.rss_max_mb:.0f} / {s.rss_total_mb:.0f} "
            f"| {t.files / s.wall:,.0f} | {t.bytes / 1e6 / s.wall:.1f} |"
        )
    lines += ["", "Scaling exponent log(t2/t1)/log(n2/n1) of CPU time (1.0 = linear):", ""]
    lines += ["| sizes | cold | first | warm |", "|---|---:|---:|---:|"]
    by = {(r.tree.services, r.mode): r for r in rows}
    sizes = sorted({r.tree.services for r in rows})
    for n1, n2 in itertools.pairwise(sizes):
        cells = []
        for mode in ("cold", "first", "warm"):
            a, b = by[(n1, mode)], by[(n2, mode)]
            ratio = math.log(b.sample.cpu / a.sample.cpu) / math.log(b.tree.files / a.tree.files)
            cells.append(f"{ratio:.2f}")
        lines.append(f"| {n1} → {n2} | " + " | ".join(cells) + " |")
    for n in sizes:
        cold, warm = by[(n, "cold")].sample.cpu, by[(n, "warm")].sample.cpu
        lines.append(f"\nWarm / cold CPU at {n:,} services: {warm / cold:.0%}.")
    if starts:
        lines += ["", "Start-up (medians; the ratio is the median of CPU ratios paired per round):",
                  "", "| command | wall ms | CPU ms | CPU × `python -c pass` |",
                  "|---|---:|---:|---:|"]  # fmt: skip
        lines += [f"| `{s.name}` | {s.wall * 1000:.0f} | {s.cpu * 1000:.0f} | {s.ratio:.2f} |"
                  for s in starts]  # fmt: skip
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,100,1000", help="services per tree, comma list")
    parser.add_argument("--jobs", type=int, default=None, help="envlint --jobs (default: its own)")
    parser.add_argument("--files-per-service", type=int, default=48)
    parser.add_argument("--startup-runs", type=int, default=20)
    parser.add_argument("--profile", action="store_true", help="cProfile the largest cold run")
    parser.add_argument("-o", "--output", type=Path, help="also write the table here")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    rows: list[Row] = []
    for n in sizes:
        params = Params(services=n, files_per_service=args.files_per_service)
        rows += bench_size(params, args.jobs, args.profile and n == max(sizes))
    starts = startup(args.startup_runs) if args.startup_runs > 0 else []
    table = render(rows, starts, args.jobs)
    print(table)
    if args.output:
        args.output.write_text(table, encoding="utf-8")


if __name__ == "__main__":
    main()
