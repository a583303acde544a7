"""Finish the function selection across the files of a Go package or a C# directory.

The source pass walks, per file, the functions that matter within that file
(:mod:`envlint.ordering.select`).  A handler in ``handler.go`` that reaches the publish in
``kafka.go`` through ``s.publish(...)`` holds no publish needle itself, so its file may not have
been parsed at all.  For every scope (directory) where some function publishes, this reads the
scope's other files, computes the selection over all of its functions, and walks what the
source pass left out.  Scopes without a publish cost nothing.

A Go method that publishes (or calls a publishing function of its package) and returns an error
may be called from another package: ``_ = s.pub.Publish(ctx, ...)``.  :func:`across` looks for
such calls in every Go file (a cheap byte search for the method's name, then a parse), walks the
callers, and records every declaration of the name it found (:class:`MethodDecl`: methods,
functions and interface methods), so that the index can tell whether the name has one body in
the code.  It goes :data:`MAX_DEPTH` packages outwards (a caller that returns the error of such
a call is looked for in turn).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from envlint.ordering._walk import Text
from envlint.ordering.extract import Parsed
from envlint.ordering.golang import declarations
from envlint.ordering.model import (
    FileFunctions,
    FunctionFacts,
    FunctionSummary,
    OrderingFact,
    TypeBinding,
)
from envlint.ordering.select import MAX_DEPTH, SCOPED, Needles, needed, scope_of, summarize

if TYPE_CHECKING:
    from tree_sitter import Node

__all__ = ["across", "complete"]


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
        summaries[path] = _summaries(file, needles)
        out.extend(f for f in file.walk(()) if isinstance(f, TypeBinding))
    languages = dict(members)

    def parsed_file(path: str) -> Parsed | None:
        return parsed.get(path) or _parse(path, languages[path], parse)

    walked = _walk_needed(summaries, parsed_file, set())
    out.extend(f for f in walked if not isinstance(f, TypeBinding))  # bindings: above
    return out


def _summaries(file: Parsed, needles: Needles) -> list[FunctionSummary]:
    """The summaries of ``file``'s functions (:func:`~envlint.ordering.select.summarize`)."""
    spans = [(name, node.start_byte, node.end_byte) for node, name in file.functions]
    return summarize(file.language, spans, file.text.source, needles)


def _walk_needed(
    summaries: Mapping[str, Sequence[FunctionSummary]],
    parsed: Callable[[str], Parsed | None],
    walked: set[tuple[str, str]],
) -> list[OrderingFact]:
    """The facts of walking, in each file of ``summaries`` (its functions by path, one scope),
    the functions that the scope needs (:func:`~envlint.ordering.select.needed`) and that
    neither their summary nor ``walked`` (path, name) says are walked, which are added to it;
    ``parsed(path)`` gives the file (None: it cannot be parsed)."""
    need = needed([f for functions in summaries.values() for f in functions])
    out: list[OrderingFact] = []
    for path, functions in summaries.items():
        todo = {
            f.name
            for f in functions
            if f.name in need and not f.walked and (path, f.name) not in walked
        }
        walked.update((path, name) for name in todo)
        file = parsed(path) if todo else None
        if file is not None:
            out.extend(file.walk(todo))
    return out


def _parse(
    path: str, language: str, parse: Callable[[str, str], tuple[bytes, Node] | None]
) -> Parsed | None:
    return _parsed(path, language, parse(path, language))


def _parsed(path: str, language: str, result: tuple[bytes, Node] | None) -> Parsed | None:
    if result is None:
        return None
    source, root = result
    return Parsed(language, root, path, Text(source))


def across(
    facts: Sequence[OrderingFact],
    paths: Sequence[str],
    read: Callable[[str], bytes | None],
    parse: Callable[[str, bytes], tuple[bytes, Node] | None],
) -> list[OrderingFact]:
    """The Go callers, in any of ``paths``, of the methods of ``facts`` that may pass a publish
    failure on, and every declaration of those methods' names (see the module doc).  ``read``
    gives a file's bytes, ``parse`` the decoded source and tree of a file's bytes (read once)."""
    functions = [f for f in facts if isinstance(f, FunctionFacts) and f.language == "go"]
    publishing = {
        (fact.scope, f.name)
        for fact in facts
        if isinstance(fact, FileFunctions) and fact.language == "go"
        for f in fact.functions
        if f.publishes
    }
    seen = {fact.path for fact in facts if isinstance(fact, FileFunctions)}
    walked = {(f.path, f.name) for f in functions}
    names = _forwarding(functions, lambda fn, name: (fn.package, name) in publishing)
    scanned: set[str] = set()
    parsed: dict[str, Parsed | None] = {}
    out: list[OrderingFact] = []
    for _ in range(MAX_DEPTH):
        names -= scanned
        if not names:
            break
        scanned |= names
        found: list[FunctionFacts] = []
        for path, file in _mentioning(paths, names, parsed, read, parse):
            out.extend(declarations(file.root, path, file.text, names))
            summaries = [
                replace(f, publishes=not names.isdisjoint(f.calls))
                for f in _summaries(file, Needles())
            ]
            for fact in _walk_needed({path: summaries}, parsed.get, walked):
                if isinstance(fact, FunctionFacts):
                    found.append(fact)
                if path not in seen or not isinstance(fact, TypeBinding):
                    out.append(fact)
            seen.add(path)
        called = frozenset(names)
        names = _forwarding(found, partial(_among, called))
    return out


def _among(names: frozenset[str], _: FunctionFacts, name: str) -> bool:
    return name in names


def _forwarding(
    functions: Iterable[FunctionFacts], reaches: Callable[[FunctionFacts, str], bool]
) -> set[str]:
    """Names of the exported methods with an error result among ``functions`` that publish or
    call a name ``reaches`` accepts (a publishing function, or a method found before)."""
    return {
        fn.name
        for fn in functions
        if fn.owner
        and fn.returns_error
        and fn.name[:1].isupper()
        and (
            reaches(fn, fn.name) or any(e.kind == "call" and reaches(fn, e.name) for e in fn.events)
        )
    }


def _mentioning(
    paths: Sequence[str],
    names: Collection[str],
    parsed: dict[str, Parsed | None],
    read: Callable[[str], bytes | None],
    parse: Callable[[str, bytes], tuple[bytes, Node] | None],
) -> Iterable[tuple[str, Parsed]]:
    """The Go files whose text names one of ``names`` before ``(`` or ``[``, parsed."""
    needle = re.compile(
        rb"\b(?:" + b"|".join(re.escape(n.encode()) for n in sorted(names)) + rb")\s*[(\[]"
    )
    for path in paths:
        if path in parsed:
            file = parsed[path]
            if file is None or needle.search(file.text.source) is None:
                continue
        else:
            data = read(path)
            if data is None or needle.search(data) is None:
                continue
            file = parsed[path] = _parsed(path, "go", parse(path, data))
            if file is None:
                continue
        yield path, file
