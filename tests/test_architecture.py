"""The layering of STYLE.md, checked on the import graph (imports inside functions count).

Data flows one way: plain data -> parsers and fact builders -> the pipeline -> rules -> the
engine -> reporters -> the command line.  A module may import modules of its own layer or a
lower one, never a higher one, and the graph has no cycle at all.  ``if TYPE_CHECKING:`` imports
are annotations only and are not counted.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "envlint"

# (layer, module prefixes); the first matching prefix wins (longest prefixes first below).
LAYERS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (
        0,
        (
            "envlint._atomic",
            "envlint._queries",
            "envlint._regular",
            "envlint._ruledocs",
            "envlint.escape",
            "envlint.model",
            "envlint.findings",
            "envlint.config",
            "envlint.report",
            "envlint.facts",
            "envlint.sources.model",
            "envlint.kafka.model",
            "envlint.ordering.model",
            "envlint.servicecode.model",
        ),
    ),
    (
        1,
        (
            "envlint.cache",
            "envlint.runcache",
            "envlint.parallel",
            "envlint.discovery",
            "envlint.gitindex",
            # the per-file pass every source analysis shares: below them, it knows no env read,
            # Kafka client or service
            "envlint.filepass",
        ),
    ),
    (
        2,
        (
            "envlint.compose",
            "envlint.sources",
            "envlint.kafka",
            "envlint.ordering",
            "envlint.servicecode",
            "envlint.k8s",
        ),
    ),
    (3, ("envlint.pipeline",)),
    (4, ("envlint.rules",)),
    (5, ("envlint.engine", "envlint.suppressions", "envlint.baseline", "envlint.snippets")),
    (6, ("envlint.reporters", "envlint.trace", "envlint.fix", "envlint.envdiff")),
    (7, ("envlint.cli", "envlint._entry", "envlint.__main__", "envlint")),
)

# What the plain-data modules and the reporters may import at all (besides the stdlib).
ALLOWED = {
    "envlint.model": set(),
    "envlint.reporters": {
        "envlint",
        "envlint._ruledocs",
        "envlint.escape",
        "envlint.findings",
        "envlint.model",
        "envlint.report",
    },
}


def _modules() -> dict[str, Path]:
    out: dict[str, Path] = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                skip.update(id(n) for n in ast.walk(child))
    return skip


def _imports(module: str, path: Path, known: dict[str, Path]) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_nodes(tree)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                stem = ".".join([*base, node.module] if node.module else base)
            else:
                stem = node.module or ""
            targets = [
                f"{stem}.{a.name}" if f"{stem}.{a.name}" in known else stem for a in node.names
            ]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != module:
                yield target


@cache
def _graph() -> dict[str, set[str]]:
    known = _modules()
    return {m: set(_imports(m, p, known)) for m, p in known.items()}


def _layer(module: str) -> int:
    best: tuple[int, int] | None = None
    for layer, prefixes in LAYERS:
        for prefix in prefixes:
            inside = module == prefix or module.startswith(prefix + ".")
            if inside and (best is None or len(prefix) > best[0]):
                best = (len(prefix), layer)
    assert best is not None, f"{module} is in no layer: add it to LAYERS"
    return best[1]


def test_every_import_points_down_or_sideways() -> None:
    wrong = [
        f"{m} (layer {_layer(m)}) imports {t} (layer {_layer(t)})"
        for m, targets in _graph().items()
        for t in sorted(targets)
        if t != "envlint" and _layer(t) > _layer(m)
    ]
    assert wrong == []


def test_no_import_cycle() -> None:
    graph = _graph()
    cycles: list[str] = []
    state: dict[str, int] = {}  # 1: on the stack, 2: done
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph[node]):
            if target == "envlint":
                continue
            if state.get(target) == 1:
                cycles.append(" -> ".join([*stack[stack.index(target) :], target]))
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert cycles == []


def test_plain_data_and_reporters_import_only_what_they_may() -> None:
    graph = _graph()
    wrong = []
    for module, targets in graph.items():
        for prefix, allowed in ALLOWED.items():
            if module == prefix or module.startswith(prefix + "."):
                wrong.extend(
                    f"{module} imports {t}"
                    for t in targets
                    if t not in allowed and not t.startswith(prefix + ".")
                )
    assert wrong == []


def test_the_graph_is_read() -> None:
    """The checks above see real edges (a broken walker would pass them trivially)."""
    graph = _graph()
    assert "envlint.pipeline" in graph["envlint.engine"]
    assert "envlint.findings" in graph["envlint.reporters.json_format"]
    assert "envlint.sources.index" in graph["envlint.pipeline"]  # a function-level import
    assert "envlint.filepass.run" in graph["envlint.sources.index"]
