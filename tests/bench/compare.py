"""envlint against semgrep and against the parse floor on real trees: CPU time, paired, one run.

    python tests/bench/compare.py TREE [TREE ...] [--rounds 3] [--venv DIR] [-o table.md]

For each tree, ``--rounds`` times in turn (so a burst of load from other work on the machine hits
every command alike), each a new process, each measured in CPU seconds of the process and its
children (``os.wait4``):

* envlint cold: ``envlint check TREE --no-cache --jobs 1`` (every rule, JSON to /dev/null);
* semgrep: ``semgrep scan --jobs 1`` with :data:`RULES`, 14 rules for the env reads envlint
  recognises in Go, C#, Python, JavaScript/TypeScript and Java;
* parse floor: a process that imports tree-sitter and the grammars, reads every *candidate*
  file (the files envlint's source pass considers: a service's code, not vendored, generated or
  a test) and parses it, doing nothing else.

The table gives medians of each and the medians of the per-round ratios envlint / semgrep and
envlint / floor.  Then recall: every semgrep hit in a candidate file should lie inside one of the
env reads envlint reports (``envlint.pipeline.build_facts``, in this process); the misses are
listed with their line.  Hits in files that are not candidates (no service's code, tests,
vendored) are counted apart: envlint does not analyse those by design.

semgrep is installed from the package registry into its own virtualenv (``--venv``, default
``$ENVLINT_BENCH_VENV`` or ``<tempdir>/envlint-bench-venv``) the first time; when that fails the
semgrep column is skipped with a message.  Not part of the test run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from run import Sample, _machine, measure

HERE = Path(__file__).resolve().parent

# Equivalent env-read rules: what envlint recognises as a read, as semgrep patterns.  Writes
# (``os.environ[k] = v``, ``process.env.X = v``) are not reads for envlint, so not for these.
RULES = """
rules:
  - id: go-os-getenv
    languages: [go]
    severity: INFO
    message: env read
    pattern: os.Getenv($K)
  - id: go-os-lookupenv
    languages: [go]
    severity: INFO
    message: env read
    pattern: os.LookupEnv($K)
  - id: cs-environment-variable
    languages: [csharp]
    severity: INFO
    message: env read
    pattern-either:
      - pattern: Environment.GetEnvironmentVariable($K, ...)
      - pattern: System.Environment.GetEnvironmentVariable($K, ...)
  - id: cs-configuration-indexer
    languages: [csharp]
    severity: INFO
    message: env read
    patterns:
      - pattern: $CFG[$K]
      - pattern-not-inside: $CFG[$K] = $V;
      - metavariable-regex:
          metavariable: $CFG
          regex: (?i)^(.*\\.)?_?(config|configuration)$
  - id: cs-configuration-getvalue
    languages: [csharp]
    severity: INFO
    message: env read
    patterns:
      - pattern-either:
          - pattern: $CFG.GetValue<$T>($K, ...)
          - pattern: $CFG.GetValue($T, $K, ...)
      - metavariable-regex:
          metavariable: $CFG
          regex: (?i)^(.*\\.)?_?(config|configuration)$
  - id: cs-configuration-section
    languages: [csharp]
    severity: INFO
    message: env read
    patterns:
      - pattern-either:
          - pattern: $CFG.GetSection($K)
          - pattern: $CFG.GetRequiredSection($K)
      - metavariable-regex:
          metavariable: $CFG
          regex: (?i)^(.*\\.)?_?(config|configuration)$
  - id: cs-connection-string
    languages: [csharp]
    severity: INFO
    message: env read
    patterns:
      - pattern: $CFG.GetConnectionString($K)
      - metavariable-regex:
          metavariable: $CFG
          regex: (?i)^(.*\\.)?_?(config|configuration)$
  - id: py-environ-subscript
    languages: [python]
    severity: INFO
    message: env read
    patterns:
      - pattern: os.environ[$K]
      - pattern-not-inside: os.environ[$K] = $V
      - pattern-not-inside: del os.environ[$K]
  - id: py-environ-get
    languages: [python]
    severity: INFO
    message: env read
    pattern: os.environ.get($K, ...)
  - id: py-getenv
    languages: [python]
    severity: INFO
    message: env read
    pattern: os.getenv($K, ...)
  - id: js-process-env-member
    languages: [javascript, typescript]
    severity: INFO
    message: env read
    patterns:
      - pattern: process.env.$K
      - pattern-not-inside: process.env.$K = $V
  - id: js-process-env-subscript
    languages: [javascript, typescript]
    severity: INFO
    message: env read
    patterns:
      - pattern: process.env[$K]
      - pattern-not-inside: process.env[$K] = $V
  - id: java-system-getenv
    languages: [java]
    severity: INFO
    message: env read
    pattern: System.getenv($K)
  - id: java-system-getenv-map
    languages: [java]
    severity: INFO
    message: env read
    pattern-either:
      - pattern: System.getenv().get($K)
      - pattern: System.getenv().getOrDefault($K, $D)
"""

# The parse floor, run as its own process: argv = root, candidate list (language TAB path).
FLOOR = """
import os, sys
from envlint.sources.index import decode_source
from envlint.sources.languages import parser_for
root, listing = sys.argv[1], sys.argv[2]
parsers = {}
for line in open(listing, encoding="utf-8"):
    language, path = line.rstrip("\\n").split("\\t", 1)
    parser = parsers.get(language) or parsers.setdefault(language, parser_for(language))
    with open(os.path.join(root, path), "rb") as handle:
        parser.parse(decode_source(handle.read()))
"""


def ensure_semgrep(venv: Path) -> Path | None:
    """The semgrep executable of ``venv`` (created and installed on first use), or None."""
    exe = venv / "bin" / "semgrep"
    if exe.exists():
        return exe
    print(f"# installing semgrep into {venv} (once)", file=sys.stderr)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "semgrep"], check=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"# semgrep unavailable ({exc}): the semgrep comparison is skipped", file=sys.stderr)
        return None
    return exe if exe.exists() else None


@dataclass(frozen=True)
class Hit:
    path: str
    line: int
    end_line: int
    rule: str
    text: str
    literal: bool  # the variable name is a literal (else a parameter or expression)


@dataclass(frozen=True)
class TreeResult:
    root: Path
    candidates: int
    candidate_bytes: int
    envlint: list[Sample]
    semgrep: list[Sample]
    floor: list[Sample]
    reads: int  # envlint's env reads (all candidate files)
    hits: int  # semgrep hits in candidate files
    via_helper: int  # of those: inside a helper envlint reports at its callers
    outside: int  # semgrep hits in files envlint does not analyse
    misses: list[Hit]


def candidates(
    root: Path,
) -> tuple[list[tuple[str, str]], list[tuple[str, int, int]], set[str]]:
    """envlint's candidate source files of ``root`` (language, path), its env reads (path, first
    line, last line) and the helpers it reports reads through, from the code the CLI runs."""
    from envlint.compose import load_workspace
    from envlint.config import Settings
    from envlint.pipeline import build_facts
    from envlint.servicecode.model import CodeMap
    from envlint.sources.languages import is_skipped, language_of

    settings = Settings(cache=False, jobs=1)
    ws = load_workspace(root, settings)
    in_scope = CodeMap.from_source_dirs(ws).in_scope
    found = []
    for path in sorted(ws.files):
        language = language_of(path)
        if language is not None and not is_skipped(path) and in_scope(path):
            found.append((language, path))
    facts, failures = build_facts(ws, settings, {"sources"})
    if failures or facts.sources is None:
        raise SystemExit(f"{root}: the source pass failed: {failures}")
    reads = [
        (r.location.path, r.location.line, r.location.end_line or r.location.line)
        for r in facts.sources.reads
    ]
    return found, reads, {r.via for r in facts.sources.reads if r.via}


def semgrep_hits(out: Path, root: Path) -> list[Hit]:
    data = json.loads(out.read_text(encoding="utf-8"))
    hits = []
    for result in data.get("results", ()):
        path = os.path.relpath(result["path"], root)
        line = result["start"]["line"]
        try:
            text = (root / path).read_text(errors="replace").splitlines()[line - 1].strip()
        except (OSError, IndexError):
            text = ""
        name = result.get("extra", {}).get("metavars", {}).get("$K", {})
        rule = result["check_id"].rsplit(".", 1)[-1]
        literal = str(name.get("abstract_content", "")).startswith(('"', "'", "`"))
        literal = literal or rule == "js-process-env-member"
        hits.append(Hit(path, line, result["end"]["line"], rule, text[:120], literal))
    return hits


def enclosing_function(root: Path, hit: Hit) -> str:
    """The name of the function around ``hit`` (tree-sitter), or ""."""
    from envlint.sources.index import decode_source
    from envlint.sources.languages import language_of, parser_for

    language = language_of(hit.path)
    parser = parser_for(language) if language else None
    if parser is None:
        return ""
    source = decode_source((root / hit.path).read_bytes())
    tree = parser.parse(source)
    row = hit.line - 1
    node = tree.root_node.named_descendant_for_point_range((row, 0), (row, 10_000))
    while node is not None:
        kind = node.type
        if "function" in kind or "method" in kind or kind == "arrow_function":
            name = node.child_by_field_name("name")
            if name is None and node.parent is not None:
                name = node.parent.child_by_field_name("name")
            if name is not None:
                return source[name.start_byte : name.end_byte].decode("utf-8", "replace")
        node = node.parent
    return ""


def compare_tree(root: Path, rounds: int, semgrep: Path | None, work: Path) -> TreeResult:
    found, reads, helpers = candidates(root)
    listing = work / "candidates.tsv"
    listing.write_text("".join(f"{lang}\t{path}\n" for lang, path in found), encoding="utf-8")
    size = sum((root / path).stat().st_size for _, path in found)
    rules = work / "rules.yaml"
    rules.write_text(RULES, encoding="utf-8")
    out = work / "semgrep.json"
    env = dict(os.environ, PYTHONPATH=str(HERE.parents[1]))
    envlint_argv = [sys.executable, "-m", "envlint", "check", str(root), "--no-cache", "--jobs",
                    "1", "--format", "json", "-o", os.devnull, "--fail-on", "never"]  # fmt: skip
    floor_argv = [sys.executable, "-c", FLOOR, str(root), str(listing)]
    semgrep_argv = [str(semgrep), "scan", "--config", str(rules), "--json", "-o", str(out),
                    "--metrics", "off", "--disable-version-check", "--jobs", "1", "--quiet",
                    str(root)] if semgrep else []  # fmt: skip
    semgrep_env = dict(env, SEMGREP_ENABLE_VERSION_CHECK="0", SEMGREP_SEND_METRICS="off")
    measure(floor_argv, env)  # page cache and .pyc warm-up
    measure(envlint_argv, env)
    samples: dict[str, list[Sample]] = {"envlint": [], "semgrep": [], "floor": []}
    for round_ in range(rounds):
        samples["envlint"].append(measure(envlint_argv, env))
        if semgrep_argv:
            samples["semgrep"].append(measure(semgrep_argv, semgrep_env))
        samples["floor"].append(measure(floor_argv, env))
        line = "  ".join(f"{k} {v[-1].cpu:.2f}" for k, v in samples.items() if v)
        print(f"#   round {round_ + 1}: CPU s {line}", file=sys.stderr)
    in_candidates = {path for _, path in found}
    hits = semgrep_hits(out, root) if semgrep_argv else []
    by_path: dict[str, list[tuple[int, int]]] = {}
    for path, first, last in reads:
        by_path.setdefault(path, []).append((first, last))
    inside = [h for h in hits if h.path in in_candidates]
    misses, via_helper = [], 0
    for h in inside:
        spans = by_path.get(h.path, ())
        if any(a <= h.line <= b or h.line <= a <= h.end_line for a, b in spans):
            continue
        # a read of a parameter inside a helper (mustMapEnv(&x, "NAME")): envlint reports the
        # helper's callers, with the names they pass
        if not h.literal and enclosing_function(root, h) in helpers:
            via_helper += 1
            continue
        misses.append(h)
    return TreeResult(root, len(found), size, samples["envlint"], samples["semgrep"],
                      samples["floor"], len(reads), len(inside), via_helper,
                      len(hits) - len(inside), misses)  # fmt: skip


def _median(samples: Sequence[Sample]) -> float:
    return statistics.median(s.cpu for s in samples)


def _ratio(a: Sequence[Sample], b: Sequence[Sample]) -> float:
    return statistics.median(x.cpu / y.cpu for x, y in zip(a, b, strict=True))


def render(results: Sequence[TreeResult], rounds: int, semgrep: str) -> str:
    lines = [
        f"Machine: {_machine()}. CPU seconds (process and children), median of {rounds} "
        f"rounds taken in turn in one run; ratios are medians of the per-round ratios; "
        f"envlint and {semgrep} both with `--jobs 1`.",
        "",
        "| tree | candidate files | MB | envlint cold | semgrep | parse floor "
        "| envlint / semgrep | envlint / floor |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        sem = f"{_median(r.semgrep):.2f}" if r.semgrep else "–"
        ratio = f"{_ratio(r.envlint, r.semgrep):.2f}" if r.semgrep else "–"
        lines.append(
            f"| {r.root.name} | {r.candidates:,} | {r.candidate_bytes / 1e6:.1f} "
            f"| {_median(r.envlint):.2f} | {sem} | {_median(r.floor):.2f} | {ratio} "
            f"| {_ratio(r.envlint, r.floor):.1f} |"
        )
    if any(r.semgrep for r in results):
        lines += [
            "",
            "Recall against semgrep: a semgrep hit in a candidate file is found when an envlint "
            "read spans its line, or when it reads a parameter inside a helper whose callers "
            "envlint reports (`via`); anything else is a miss, listed below (a name that is not "
            "a literal: envlint counts the read as dynamic).",
            "",
            "| tree | envlint reads | semgrep hits in candidates | of them via a helper "
            "| missed | semgrep hits elsewhere (not analysed) |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for r in results:
            lines.append(f"| {r.root.name} | {r.reads:,} | {r.hits:,} | {r.via_helper} "
                         f"| {len(r.misses)} | {r.outside:,} |")  # fmt: skip
        lines.append("")
        for r in results:
            for miss in r.misses:
                kind = "" if miss.literal else ", name not a literal"
                lines.append(f"- {r.root.name}: `{miss.path}:{miss.line}` ({miss.rule}{kind}) "
                             f"`{miss.text}`")  # fmt: skip
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("trees", nargs="+", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    default_venv = os.environ.get("ENVLINT_BENCH_VENV") or str(
        Path(tempfile.gettempdir()) / "envlint-bench-venv"
    )
    parser.add_argument("--venv", type=Path, default=Path(default_venv))
    parser.add_argument("--no-semgrep", action="store_true")
    parser.add_argument("-o", "--output", type=Path, help="also write the table here")
    args = parser.parse_args()
    semgrep = None if args.no_semgrep else ensure_semgrep(args.venv)
    version = "semgrep"
    if semgrep is not None:
        quiet = dict(os.environ, SEMGREP_ENABLE_VERSION_CHECK="0", SEMGREP_SEND_METRICS="off")
        try:  # --version may wait on its (unreachable) release check after printing
            done = subprocess.run([str(semgrep), "--version"], capture_output=True, text=True,
                                  env=quiet, timeout=60)  # fmt: skip
            version = f"semgrep {done.stdout.strip()}"
        except subprocess.TimeoutExpired as exc:
            out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else exc.stdout or ""
            version = f"semgrep {out.strip()}"
    results = []
    for tree in args.trees:
        print(f"# {tree}", file=sys.stderr)
        with tempfile.TemporaryDirectory(prefix="envlint-compare-") as work:
            results.append(compare_tree(tree.resolve(), args.rounds, semgrep, Path(work)))
    table = render(results, args.rounds, version)
    print(table)
    if args.output:
        args.output.write_text(table, encoding="utf-8")


if __name__ == "__main__":
    main()
