"""``build_index``: find every env read in the services' code, in one parse per file.

The steps are described in ``envlint.sources.adapter``.  Notes (skipped files, partially parsed
files, analyses that failed on a file) are recorded as :class:`~envlint.model.Problem` facts of
kind ``NOTE`` in ``SourceIndex.extras["problems"]``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import partial
from types import MappingProxyType
from typing import TYPE_CHECKING

from envlint.model import Location, Problem, ProblemKind
from envlint.sources.adapter import MAX_HELPER_DEPTH, FileContext, FileScan, Helper, Pending
from envlint.sources.languages import is_skipped, language_of, load_adapter, parser_for
from envlint.sources.model import EnvRead, SourceIndex

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from tree_sitter import Node

    from envlint.model import Workspace
    from envlint.sources.adapter import Adapter
    from envlint.sources.model import Extractor

__all__ = ["DEFAULT_MAX_BYTES", "PROBLEMS_KEY", "build_index", "decode_source"]

DEFAULT_MAX_BYTES = 2 * 1024 * 1024
PROBLEMS_KEY = "problems"  # extras key holding the notes of the source pass
_TREE_CACHE_BYTES = 16 * 1024 * 1024  # trees kept between phases, by source size


def decode_source(data: bytes) -> bytes:
    """The bytes handed to the parser: UTF-8 (a BOM removed; UTF-16 and invalid UTF-8 decoded
    with replacement and re-encoded).  Never raises."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace").encode("utf-8")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("utf-8", "replace").encode("utf-8")
    return data


@dataclass
class _Scope:
    """Facts of one (language, scope) collected across its files (build-local, not shared)."""

    paths: list[str] = field(default_factory=list)  # every candidate file of the scope
    scanned: set[str] = field(default_factory=set)  # files handed to adapter.scan
    helpers: dict[str, Helper] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    pending: list[Pending] = field(default_factory=list)
    exits: dict[str, Location] = field(default_factory=dict)


@dataclass
class _Run:
    """Mutable state of one build_index call (never outlives it)."""

    root: str
    max_bytes: int
    extractors: tuple[Extractor, ...]
    problems: list[Problem] = field(default_factory=list)
    reads: list[EnvRead] = field(default_factory=list)
    extras: dict[str, list[tuple[str, int, tuple[object, ...]]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    trees: dict[str, tuple[bytes, Node]] = field(default_factory=dict)
    tree_bytes: int = 0
    parsed: int = 0
    dynamic: int = 0
    partial: set[str] = field(default_factory=set)
    sources: dict[str, bytes | None] = field(default_factory=dict)

    def note(self, path: str, message: str) -> None:
        self.problems.append(Problem(ProblemKind.NOTE, Location(path), message))

    def read(self, path: str) -> bytes | None:
        if path in self.sources:
            return self.sources[path]
        from pathlib import Path

        data: bytes | None
        try:
            file = Path(self.root) / path
            size = file.stat().st_size
            if size > self.max_bytes:
                self.note(path, f"source file skipped: larger than {self.max_bytes} bytes")
                data = None
            else:
                data = decode_source(file.read_bytes())
        except OSError as exc:
            self.note(path, f"source file not readable: {exc.strerror or type(exc).__name__}")
            data = None
        self.sources[path] = data
        return data

    def parse(self, language: str, path: str, source: bytes) -> Node | None:
        cached = self.trees.get(path)
        if cached is not None:
            return cached[1]
        parser = parser_for(language)
        if parser is None:
            return None
        root = parser.parse(source).root_node
        self.parsed += 1
        if root.has_error and path not in self.partial:
            self.partial.add(path)
            self.note(path, "source file partially parsed (syntax errors); reads found outside")
        if self.tree_bytes + len(source) <= _TREE_CACHE_BYTES:
            self.trees[path] = (source, root)
            self.tree_bytes += len(source)
        return root

    def guarded(self, what: str, path: str, call: Callable[[], FileScan]) -> FileScan:
        try:
            return call()
        except Exception as exc:  # an analysis bug must not take down every source rule
            self.note(path, f"{what} failed on this file ({type(exc).__name__})")
            return FileScan()


def _service_dirs(ws: Workspace) -> list[tuple[str, tuple[str, str]]]:
    out: list[tuple[str, tuple[str, str]]] = []
    for project, service in ws.services():
        if service.source_dir is None:
            continue
        directory = service.source_dir.strip("/")
        prefix = "" if directory in ("", ".") else directory + "/"
        out.append((prefix, (project.directory, service.name)))
    return out


def _owners(path: str, dirs: Sequence[tuple[str, tuple[str, str]]]) -> list[tuple[str, str]]:
    return [key for prefix, key in dirs if path.startswith(prefix)]


def build_index(ws: Workspace, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceIndex:
    """Every env read of every service's code, mapped to ``(project directory, service)``."""
    from envlint.sources.extractors import EXTRACTORS

    dirs = _service_dirs(ws)
    run = _Run(root=str(ws.root), max_bytes=max_bytes, extractors=EXTRACTORS)
    candidates: list[tuple[str, str]] = []
    for path in sorted(ws.files):
        language = language_of(path)
        if language is None or is_skipped(path) or not _owners(path, dirs):
            continue
        candidates.append((path, language))

    scopes: dict[tuple[str, str], _Scope] = defaultdict(_Scope)
    for path, language in candidates:
        adapter = load_adapter(language)
        if adapter is not None:
            scopes[(language, adapter.scope(path))].paths.append(path)
        _phase1(run, path, language, adapter, scopes)

    for (language, _), scope in sorted(scopes.items()):
        adapter = load_adapter(language)
        if adapter is not None:
            _resolve_scope(run, language, adapter, scope)

    reads: Sequence[EnvRead] = sorted(run.reads, key=lambda r: (r.location, r.name, r.api))
    if any(r.language == "csharp" for r in reads):
        from envlint.sources.appsettings import apply_appsettings

        reads = apply_appsettings(reads, ws.root, ws.files)
    by_service: dict[tuple[str, str], list[EnvRead]] = {key: [] for _, key in dirs}
    for read in reads:
        for key in _owners(read.location.path, dirs):
            by_service[key].append(read)
    extras: dict[str, tuple[object, ...]] = {
        name: tuple(fact for _, _, facts in sorted(items, key=lambda i: i[:2]) for fact in facts)
        for name, items in sorted(run.extras.items())
    }
    problems = sorted(run.problems, key=lambda p: (p.location, p.message))
    extras[PROBLEMS_KEY] = tuple(problems)
    return SourceIndex(
        reads=tuple(reads),
        by_service=MappingProxyType({k: tuple(v) for k, v in by_service.items()}),
        files_scanned=len(candidates),
        files_parsed=run.parsed,
        dynamic_reads=run.dynamic,
        extras=MappingProxyType(extras),
    )


def _phase1(
    run: _Run,
    path: str,
    language: str,
    adapter: Adapter | None,
    scopes: dict[tuple[str, str], _Scope],
) -> None:
    extractors = [(i, e) for i, e in enumerate(run.extractors) if language in e.languages]
    if adapter is None and not extractors:
        return
    source = run.read(path)
    if source is None:
        return
    wants_scan = adapter is not None and any(n in source for n in adapter.needles)
    matching = [(i, e) for i, e in extractors if any(n in source for n in e.needles)]
    if not wants_scan and not matching:
        return
    root = run.parse(language, path, source)
    if root is None:
        return
    for order, extractor in matching:
        try:
            facts = extractor.extract(language, root, source, path)
        except Exception as exc:
            run.note(path, f"extractor {extractor.name} failed on this file ({type(exc).__name__})")
            continue
        if facts:
            run.extras[extractor.name].append((path, order, tuple(facts)))
    if adapter is not None and wants_scan:
        scope = scopes[(language, adapter.scope(path))]
        ctx = FileContext(path, language, source, root, adapter.scope(path))
        _merge(run, scope, run.guarded("source scan", path, partial(adapter.scan, ctx)))
        scope.scanned.add(path)


def _merge(run: _Run, scope: _Scope, scan: FileScan) -> list[Helper]:
    """Fold one file's facts into its scope; returns the helpers that are new to the scope."""
    run.reads.extend(scan.reads)
    run.dynamic += scan.dynamic
    scope.pending.extend(scan.pending)
    for name, value in scan.constants.items():
        scope.constants.setdefault(name, value)
    for name, at in scan.exits:
        if name not in scope.exits or at < scope.exits[name]:
            scope.exits[name] = at
    fresh: list[Helper] = []
    for helper in scan.helpers:
        if helper.name not in scope.helpers:
            scope.helpers[helper.name] = helper
            fresh.append(helper)
    return fresh


def _context(run: _Run, language: str, path: str, scope_key: str) -> FileContext | None:
    source = run.read(path)
    if source is None:
        return None
    root = run.parse(language, path, source)
    if root is None:
        return None
    return FileContext(path, language, source, root, scope_key)


def _mentioning(run: _Run, paths: Iterable[str], names: Iterable[str]) -> list[str]:
    needles = sorted({n.rpartition(".")[2].encode() for n in names if n})
    out = []
    for path in paths:
        source = run.read(path)
        if source is not None and any(n in source for n in needles):
            out.append(path)
    return out


def _resolve_scope(run: _Run, language: str, adapter: Adapter, scope: _Scope) -> None:
    scope_key = adapter.scope(scope.paths[0]) if scope.paths else ""
    # Constants defined in files of the scope that phase 1 did not scan (no env read there).
    wanted = {p.name_const for p in scope.pending if p.name_const} - scope.constants.keys()
    if wanted:
        unscanned = [p for p in scope.paths if p not in scope.scanned]
        for path in _mentioning(run, unscanned, wanted):
            ctx = _context(run, language, path, scope_key)
            if ctx is not None:
                scan = run.guarded("source scan", path, partial(adapter.scan, ctx))
                for name, value in scan.constants.items():
                    scope.constants.setdefault(name, value)

    # Phase 2: call sites of helpers, one more level per round.
    fresh = list(scope.helpers.values())
    for _ in range(MAX_HELPER_DEPTH):
        if not fresh:
            break
        round_helpers = {h.name: h for h in fresh}
        fresh = []
        for path in _mentioning(run, scope.paths, round_helpers):
            ctx = _context(run, language, path, scope_key)
            if ctx is None:
                continue
            scan = run.guarded(
                "helper call scan", path, partial(adapter.scan_calls, ctx, round_helpers)
            )
            fresh.extend(_merge(run, scope, scan))

    for pending in scope.pending:
        read = _resolve_pending(pending, scope)
        if read is None:
            run.dynamic += 1
        else:
            run.reads.append(read)


def _resolve_pending(pending: Pending, scope: _Scope) -> EnvRead | None:
    read = pending.read
    if pending.name_const is not None:
        value = scope.constants.get(pending.name_const)
        if value is None and not (pending.prefix or pending.suffix):
            return None
        if value is None:  # a variable part: keep the literal parts as a pattern
            read = replace(read, name=f"{pending.prefix}*{pending.suffix}", is_pattern=True)
        else:
            read = replace(read, name=pending.prefix + value + pending.suffix)
    if pending.fails_via is not None:
        exit_at = scope.exits.get(pending.fails_via)
        if exit_at is not None:
            read = replace(read, missing="crash", crash_location=exit_at)
            if pending.empty_fails:
                read = replace(read, on_empty="crash")
    return read
