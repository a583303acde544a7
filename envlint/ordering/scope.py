"""Finish the function selection across the files of a Go package or a C# directory.

The source pass walks, per file, the functions that matter within that file
(:mod:`envlint.ordering.select`).  A handler in ``handler.go`` that reaches the publish in
``kafka.go`` through ``s.publish(...)`` holds no publish needle itself, so its file may not have
been parsed at all.  For every scope (directory) where some function publishes, this reads the
scope's other files, computes the selection over all of its functions, and walks what the
source pass left out.  Scopes without a publish cost nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from envlint.ordering._walk import Text
from envlint.ordering.extract import Parsed
from envlint.ordering.model import FileFunctions, FunctionSummary, OrderingFact, TypeBinding
from envlint.ordering.select import SCOPED, Needles, needed, scope_of, summarize

if TYPE_CHECKING:
    from tree_sitter import Node

__all__ = ["complete"]


def complete(
    facts: Sequence[OrderingFact],
    candidates: Sequence[tuple[str, str]],
    needles: Needles,
    parse: Callable[[str, str], tuple[bytes, Node] | None],
) -> tuple[OrderingFact, ...]:
    """``facts`` with the functions of publishing scopes that the source pass did not walk.

    ``candidates`` are the (path, language) of every source file the pass considered;
    ``parse(path, language)`` reads and parses one (None: unreadable, too large, too slow).
    """
    seen: dict[str, FileFunctions] = {}
    scopes: dict[tuple[str, str], list[str]] = defaultdict(list)
    for fact in facts:
        if isinstance(fact, FileFunctions):
            seen[fact.path] = fact
            scopes[(fact.language, fact.scope)].append(fact.path)
    publishing = {
        key
        for key, paths in scopes.items()
        if any(f.publishes for path in paths for f in seen[path].functions)
    }
    if not publishing:
        return tuple(facts)
    members: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for path, language in candidates:
        key = (language, scope_of(language, path))
        if language in SCOPED and key in publishing:
            members[key].append((path, language))
    out = list(facts)
    for key in sorted(publishing):
        out.extend(_scope(members[key], seen, needles, parse))
    return tuple(out)


def _scope(
    members: Sequence[tuple[str, str]],
    seen: dict[str, FileFunctions],
    needles: Needles,
    parse: Callable[[str, str], tuple[bytes, Node] | None],
) -> list[OrderingFact]:
    parsed: dict[str, Parsed] = {}
    summaries: dict[str, list[FunctionSummary]] = {}
    out: list[OrderingFact] = []
    for path, language in members:
        if path in seen:
            summaries[path] = list(seen[path].functions)
            continue
        file = _parse(path, language, parse)
        if file is None:
            continue
        parsed[path] = file
        spans = [(name, node.start_byte, node.end_byte) for node, name in file.functions]
        summaries[path] = summarize(language, spans, file.text.source, needles)
        out.extend(f for f in file.walk(()) if isinstance(f, TypeBinding))
    need = needed([f for functions_ in summaries.values() for f in functions_])
    for path, language in members:
        todo = {f.name for f in summaries.get(path, ()) if f.name in need and not f.walked}
        if not todo:
            continue
        file = parsed.get(path) or _parse(path, language, parse)
        if file is not None:  # type bindings: already in the facts
            out.extend(f for f in file.walk(todo) if not isinstance(f, TypeBinding))
    return out


def _parse(
    path: str, language: str, parse: Callable[[str, str], tuple[bytes, Node] | None]
) -> Parsed | None:
    result = parse(path, language)
    if result is None:
        return None
    source, root = result
    return Parsed(language, root, path, Text(source))
