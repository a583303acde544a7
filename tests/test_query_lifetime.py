"""Every compiled tree-sitter query lives as long as the process.

With py-tree-sitter 0.26.1 (pinned in pyproject.toml), freeing a ``Query`` whose patterns carry
both a text predicate and a ``#set!`` property corrupts memory: the next ``Query`` made in the
process crashes it (SIGSEGV; seen with ``((identifier) @x (#eq? @x "a") (#set! k "v"))`` on the
Go grammar, made, deleted, then any query made).  envlint's role queries carry both, so a query
is never freed: each ``Query(...)`` is built inside a function memoised with
``functools.cache`` (or ``lru_cache(maxsize=None)``), once per process.  This test reads the
package's source and fails on a ``Query(...)`` built anywhere else.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "envlint"


def _memoised(function: ast.FunctionDef | None) -> bool:
    for decorator in function.decorator_list if function is not None else ():
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
        if name == "cache":
            return True
        if name == "lru_cache" and isinstance(decorator, ast.Call):
            for keyword in decorator.keywords:
                if keyword.arg == "maxsize" and isinstance(keyword.value, ast.Constant):
                    return keyword.value.value is None
    return False


class _Builders(ast.NodeVisitor):
    """The ``Query(...)`` calls of one module, each with the function it is made in."""

    def __init__(self) -> None:
        self.function: ast.FunctionDef | None = None
        self.calls: list[tuple[int, ast.FunctionDef | None]] = []

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        outer, self.function = self.function, node
        self.generic_visit(node)
        self.function = outer

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Name) and node.func.id == "Query":
            self.calls.append((node.lineno, self.function))
        self.generic_visit(node)


def test_every_query_is_built_once_per_process() -> None:
    built: list[tuple[str, bool]] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        builders = _Builders()
        builders.visit(ast.parse(path.read_text("utf-8")))
        where = str(path.relative_to(PACKAGE))
        built += [(f"{where}:{line}", _memoised(f)) for line, f in builders.calls]
    assert len(built) >= 5, built  # role, ordering, import, function and Kafka client queries
    loose = [place for place, memoised in built if not memoised]
    assert loose == [], f"Query(...) outside a function memoised with functools.cache: {loose}"
