"""``build_index``: find every env read in the services' code, in one parse per file.

The steps are described in ``envlint.sources.adapter``.  Notes (skipped files, partially parsed
files, analyses that failed on a file) are recorded as :class:`~envlint.model.Problem` facts of
kind ``NOTE`` in ``SourceIndex.notes``.  Which files are candidates (``in_scope``), which
per-file extractors run besides the env-read adapters, and whether the adapters run at all are
the caller's choice (the pipeline decides from what the selected rules need).

Phase 1 (read, pre-filter, parse, scan, extract) needs nothing but the file itself, so it runs per
file in :func:`_analyse`: in worker processes when there are many candidate files
(``Settings.jobs``, above :data:`envlint.parallel.DEFAULT_THRESHOLD` files), and through the
per-file analysis cache (``Settings.cache``, :mod:`envlint.cache`).  Results are merged in path
order either way, so the index never depends on ``jobs`` or on the cache.  Phases 2 and 3
(helper call sites, resolution) need the scope's facts and run here, re-reading and re-parsing
only the files they visit.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import partial
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from envlint.model import Location, Problem, ProblemKind
from envlint.parallel import effective_jobs, run_ordered
from envlint.parallel import threshold as parallel_threshold
from envlint.servicecode.generated import HEAD_BYTES, is_generated, is_minified
from envlint.sources.adapter import (
    MAX_HELPER_DEPTH,
    FileContext,
    FileScan,
    Helper,
    Locates,
    Pending,
    SourceTree,
)
from envlint.sources.damage import partial_parse_note
from envlint.sources.languages import is_skipped, language_of, load_adapter, parser_for
from envlint.sources.model import EnvRead, SourceIndex

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from tree_sitter import Node

    from envlint.cache import AnalysisCache
    from envlint.config import Settings
    from envlint.model import Workspace
    from envlint.sources.adapter import Adapter
    from envlint.sources.model import Extractor

__all__ = ["DEFAULT_MAX_BYTES", "FileFacts", "build_index", "decode_source", "parse_file"]

DEFAULT_MAX_BYTES = 2 * 1024 * 1024


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
    forwards: dict[str, set[str]] = field(default_factory=dict)  # error helper -> functions


@dataclass(frozen=True, slots=True)
class FileFacts:
    """What phase 1 learns from one file on its own: plain, immutable, cacheable facts."""

    scan: FileScan | None = None  # the adapter's scan (None: no adapter needle in the file)
    extras: tuple[tuple[int, tuple[object, ...]], ...] = ()  # (extractor order, its facts)
    notes: tuple[str, ...] = ()  # NOTE problems of the file (messages)
    parsed: bool = False  # passed the pre-filter and was parsed
    # whether the bytes mention ``envlint:`` (None: not known): the suppression scan skips
    # files known not to, instead of reading every source file a second time
    directive: bool | None = None
    partial: Problem | None = None  # the note for a tree with ERROR/MISSING nodes (at the first)
    generated: bool = False  # says it was generated (DO NOT EDIT): not parsed, no facts


@dataclass(frozen=True, slots=True)
class _Job:
    """What every phase-1 call needs besides the file (sent to each worker process once)."""

    root: str
    max_bytes: int
    use_cache: bool
    extractors: tuple[Extractor[Any], ...] = ()
    env_reads: bool = True  # run the env-read adapters (else only the extractors)
    known: frozenset[bytes] = frozenset()  # cache keys with an entry: skip those files


_CACHED = FileFacts()  # marker result: the file's facts are in the cache under its key
_DEFERRED = FileFacts()  # marker result: a cache miss left for the worker processes


@dataclass
class _Run:
    """Mutable state of one build_index call (never outlives it)."""

    root: str
    max_bytes: int
    extractors: tuple[Extractor[Any], ...]
    problems: list[Problem] = field(default_factory=list)
    reads: list[EnvRead] = field(default_factory=list)
    extras: dict[str, list[tuple[str, int, tuple[object, ...]]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    parsed: int = 0
    dynamic: int = 0
    parsed_paths: set[str] = field(default_factory=set)  # counted in ``parsed`` already
    partial: set[str] = field(default_factory=set)
    generated: set[str] = field(default_factory=set)  # skipped as generated code
    sources: dict[str, bytes | None] = field(default_factory=dict)  # phase 2 only
    trees: dict[str, Node] = field(default_factory=dict)  # phase 2 only
    files: tuple[str, ...] = ()  # every file of the workspace (constants of other scopes)
    # constants of other scopes (Pending.const_in): located scopes and their constants
    located: dict[tuple[str, str, str], str | None] = field(default_factory=dict)
    scope_constants: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    # the role patterns phase 1 compiled per language (FileContext.patterns; absent: all)
    patterns: dict[str, frozenset[int]] = field(default_factory=dict)

    def note(self, path: str, message: str) -> None:
        self.problems.append(Problem(ProblemKind.NOTE, Location(path), message))

    def read(self, path: str) -> bytes | None:
        """The file's bytes as phase 1 handed them to the parser (decoded to valid UTF-8:
        tree-sitter's text predicates must never see invalid UTF-8)."""
        if path in self.sources:
            return self.sources[path]
        data, note = _read(self.root, path, self.max_bytes)
        if note is not None:
            self.note(path, note)  # phase 1 said the same: duplicates are dropped at the end
        self.sources[path] = None if data is None else decode_source(data)
        return self.sources[path]

    def parse(self, language: str, path: str, source: bytes) -> Node | None:
        cached = self.trees.get(path)
        if cached is not None:
            return cached
        try:
            root = _parse(language, source)
        except ParseTimeout:
            self.note(path, _TIMEOUT_NOTE)
            return None
        if root is None:
            return None
        if path not in self.parsed_paths:
            self.parsed_paths.add(path)
            self.parsed += 1
        if root.has_error and path not in self.partial:
            self.partial.add(path)
            self.problems.append(partial_parse_note(path, language, source, root))
        self.trees[path] = root
        return root

    def guarded(self, what: str, path: str, call: Callable[[], FileScan]) -> FileScan:
        try:
            return call()
        except Exception as exc:  # an analysis bug must not take down every source rule
            self.note(path, f"{what} failed on this file ({type(exc).__name__})")
            return FileScan()


def parse_file(root: str, path: str, language: str, max_bytes: int) -> tuple[bytes, Node] | None:
    """Read, decode and parse one file as phase 1 does (size limit, time budget), for analyses
    that finish work across files after the pass; None when it cannot be (phase 1 already
    noted why) or is generated code (which phase 1 does not parse either).  Never raises."""
    data, _ = _read(root, path, max_bytes)
    if data is None or is_generated(data[:HEAD_BYTES]) or _built(language, data):
        return None
    source = decode_source(data)
    tree = _parse_quietly(language, source)
    return None if tree is None else (source, tree)


_BUNDLED = frozenset({"javascript", "typescript", "tsx"})  # languages shipped minified/bundled


def _built(language: str, data: bytes) -> bool:
    """A JavaScript/TypeScript file that a build tool wrote (minified or bundled): no service's
    source.  Other languages' long-lined files are data (embeddings, migrations) and stay."""
    return language in _BUNDLED and is_minified(data)


def _read(root: str, path: str, max_bytes: int) -> tuple[bytes | None, str | None]:
    """The file's bytes as handed to the parser, or None with the note saying why."""
    import os

    try:
        with open(os.path.join(root, path), "rb") as handle:  # noqa: PTH118, PTH123
            if os.fstat(handle.fileno()).st_size > max_bytes:
                return None, f"source file skipped: larger than {max_bytes} bytes"
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        return None, f"source file not readable: {exc.strerror or type(exc).__name__}"
    if len(data) > max_bytes:  # grew while we looked
        return None, f"source file skipped: larger than {max_bytes} bytes"
    return data, None


PARSE_BUDGET_S = 5.0  # a 2 MiB file parses in well under a second; some grammars can stall


class ParseTimeout(Exception):
    """Parsing one file took longer than :data:`PARSE_BUDGET_S` (e.g. tree-sitter-kotlin 1.1.0
    needs ~40 s for a 1 KB file with a stray ``#`` in an unclosed body)."""


_TIMEOUT_NOTE = f"source file skipped: parsing took longer than {PARSE_BUDGET_S:g} s"


def _parse(language: str, source: bytes) -> Node | None:
    """Parse with a time budget: tree-sitter 0.26 honours a progress callback only when the
    text comes through a read callback, and cancelling raises ``ValueError``."""
    import time

    parser = parser_for(language)
    if parser is None:
        return None
    deadline = time.monotonic() + PARSE_BUDGET_S

    # small chunks: query predicates (#eq?, #match?) fetch each captured node's text through
    # this callback too, and a 64 KB copy per predicate made role queries several times slower
    def read(offset: int, _point: object) -> bytes:
        return source[offset : offset + 1024]

    def cancel(*_state: object) -> bool:
        return time.monotonic() > deadline

    try:
        tree = parser.parse(read, progress_callback=cancel)
    except ValueError:
        parser.reset()
        raise ParseTimeout from None
    if tree.root_node.has_error:
        return tree.root_node  # re-parsing error regions is not free: keep the budgeted tree
    # A tree parsed through the callback fetches every ``Node.text`` (and every text predicate
    # of a query) through it again: ~3 us a call, 1.8 M calls on a 3,000-file Go repository.
    # Parsing the bytes once more with that tree as the old tree reuses every subtree (no edits:
    # ~3 % of the first parse) and gives a tree that holds its bytes, so text is a plain slice.
    return parser.parse(source, old_tree=tree).root_node


def build_index(
    ws: Workspace,
    *,
    in_scope: Callable[[str], bool] | None = None,
    extractors: Sequence[Extractor[Any]] = (),
    env_reads: bool = True,
    settings: Settings | None = None,
    max_bytes: int | None = None,
) -> SourceIndex:
    """The env reads (and ``extractors``' facts) of every candidate source file of ``ws``.

    A candidate is a file of ``ws.files`` in a language envlint reads, not vendored, generated or
    a test, for which ``in_scope`` is true (default: below some service's ``source_dir``).
    ``env_reads=False`` runs only the extractors.  ``settings`` chooses worker processes
    (``jobs``), the analysis cache (``cache``) and the size limit; without it the pass runs in
    this process, uncached.
    """
    if in_scope is None:
        from envlint.servicecode.model import CodeMap

        in_scope = CodeMap.from_source_dirs(ws).in_scope
    limit = max_bytes or (settings.max_source_bytes if settings is not None else DEFAULT_MAX_BYTES)
    run = _Run(
        root=str(ws.root), max_bytes=limit, extractors=tuple(extractors), files=tuple(ws.files)
    )
    candidates: list[tuple[str, str]] = []
    for path in sorted(ws.files):
        language = language_of(path)
        if language is None or is_skipped(path) or not in_scope(path):
            continue
        candidates.append((path, language))

    scopes: dict[tuple[str, str], _Scope] = defaultdict(_Scope)
    if env_reads:
        for path, language in candidates:
            adapter = load_adapter(language)
            if adapter is not None:
                scopes[(language, adapter.scope(path))].paths.append(path)
    without_directives: list[str] = []
    job = _Job(run.root, run.max_bytes, False, run.extractors, env_reads)
    for (path, language), facts in zip(
        candidates, _phase1_all(run, job, ws, settings, candidates), strict=True
    ):
        _absorb(run, path, language, facts, scopes)
        if facts.directive is False:
            without_directives.append(path)

    for (language, _), scope in sorted(scopes.items()):
        adapter = load_adapter(language)
        if adapter is not None:
            _resolve_scope(run, language, adapter, scope)

    reads: Sequence[EnvRead] = sorted(run.reads, key=lambda r: (r.location, r.name, r.api))
    if any(r.language == "csharp" for r in reads):
        from envlint.sources.appsettings import apply_appsettings

        reads = apply_appsettings(reads, ws.root, ws.files)
    extracted: dict[str, tuple[object, ...]] = {
        name: tuple(fact for _, _, facts in sorted(items, key=lambda i: i[:2]) for fact in facts)
        for name, items in sorted(run.extras.items())
    }
    return SourceIndex(
        reads=tuple(reads),
        files_scanned=len(candidates),
        without_directives=frozenset(without_directives),
        files_parsed=run.parsed,
        dynamic_reads=run.dynamic,
        notes=tuple(sorted(set(run.problems), key=lambda p: (p.location, p.message))),
        extracted=MappingProxyType(extracted),
        generated=frozenset(run.generated),
    )


# --- phase 1: per file, in workers and through the cache -------------------------------------


def _phase1_all(
    run: _Run,
    job: _Job,
    ws: Workspace,
    settings: Settings | None,
    candidates: Sequence[tuple[str, str]],
) -> list[FileFacts]:
    """Phase-1 facts of every candidate, in order (pooled, cached or in-process alike)."""
    from envlint.cache import AnalysisCache

    cache = AnalysisCache.disabled()
    if settings is not None and settings.cache and candidates:
        cache = _open_cache(ws, job)
    jobs = effective_jobs(settings.jobs) if settings is not None else 1
    threshold = parallel_threshold()
    job = replace(job, use_cache=cache.enabled, known=cache.known())
    pooled = jobs > 1 and len(candidates) > threshold
    out: list[FileFacts | None] = [None] * len(candidates)
    todo = list(range(len(candidates)))
    if job.known:  # a warm cache: hashing is cheap, so find the misses here first
        todo = []
        for index, item in enumerate(candidates):
            key, facts = _analyse(job, item, defer=True)  # misses: below
            if facts is _CACHED:
                out[index] = _unpack(job, cache, item, key, None)
            elif facts is _DEFERRED:
                todo.append(index)
            else:
                out[index] = _stored(cache, key, facts)
    if pooled and len(todo) > threshold:
        items = [candidates[i] for i in todo]
        results = run_ordered(_analyse_pickled, job, items, jobs, threshold)
        for index, item, (key, payload) in zip(todo, items, results, strict=True):
            out[index] = _unpack(job, cache, item, key, payload)
    else:  # scans wait for the pre-filter of every file: the run's role patterns are known
        scans: list[tuple[int, bytes | None, _Parse]] = []
        for index in todo:
            key, found = _prefilter(job, candidates[index])
            if isinstance(found, _Parse) and found.wants_scan:
                scans.append((index, key, found))
            elif found is _CACHED:
                out[index] = _unpack(job, cache, candidates[index], key, None)
            else:
                facts = _scan(job, found, None) if isinstance(found, _Parse) else found
                out[index] = _stored(cache, key, facts)
        run.patterns.update(_patterns([found for _, _, found in scans]))
        for index, key, found in scans:
            facts = _scan(job, found, run.patterns.get(found.language))
            out[index] = _stored(cache, key, facts)
    cache.save()
    return [facts or FileFacts() for facts in out]


def _patterns(scans: Sequence[_Parse]) -> dict[str, frozenset[int]]:
    """Per language, the role patterns that can match in any of the files to scan: the run
    compiles only those (a file that needs more gets the whole query)."""
    out: dict[str, frozenset[int]] = {}
    for found in scans:
        adapter = load_adapter(found.language)
        if adapter is not None:
            wanted = adapter.patterns(found.language, found.source)
            out[found.language] = out.get(found.language, frozenset()) | wanted
    return out


def _open_cache(ws: Workspace, job: _Job) -> AnalysisCache:
    from envlint.cache import AnalysisCache, settings_fingerprint

    names = tuple((e.name, e.fingerprint) for e in job.extractors)
    # a pass without env reads (the start-up pass: function facts of a few programs) keeps
    # its own pack, so that it and the source pass do not replace each other's
    kind = "" if job.env_reads else "+".join(e.name for e in job.extractors)
    return AnalysisCache.open(ws.root, settings_fingerprint((names, job.env_reads)), kind=kind)


def _stored(cache: AnalysisCache, key: bytes | None, facts: FileFacts) -> FileFacts:
    from envlint.cache import CodecError, dumps

    if key is not None and cache.enabled and _TIMEOUT_NOTE not in facts.notes:  # retry next run
        with contextlib.suppress(CodecError):  # facts that are not plain data are not cached
            cache.put(key, dumps(facts))
    return facts


def _unpack(
    job: _Job,
    cache: AnalysisCache,
    item: tuple[str, str],
    key: bytes | None,
    payload: bytes | None,
) -> FileFacts:
    """Facts a worker sent (bytes; empty when it could not write them) or, for ``payload``
    None, the cache's entry; an unusable entry is analysed again here."""
    from envlint.cache import CodecError, loads

    fresh = isinstance(payload, bytes)
    if payload == b"":  # the worker could not write the facts down: find them here
        key, fresh = None, False
    data = payload if isinstance(payload, bytes) else cache.get(key) if key else None
    if data is not None:
        try:
            facts = loads(data)
        except CodecError:  # a corrupt entry is a miss, never a crash
            facts = None
        if isinstance(facts, FileFacts):
            if fresh and key is not None and _TIMEOUT_NOTE not in facts.notes:
                cache.put(key, data)
            return facts
    if key is not None:
        cache.drop(key)
    _, facts = _analyse(replace(job, known=frozenset()), item)
    return _stored(cache, key, facts)


def _analyse_pickled(job: _Job, item: tuple[str, str]) -> tuple[bytes | None, bytes | None]:
    """:func:`_analyse` in a worker process: the facts as :func:`envlint.cache.dumps` bytes
    (None: cached under the key; empty if they cannot be written)."""
    from envlint.cache import CodecError, dumps

    key, facts = _analyse(job, item)
    if facts is _CACHED:
        return key, None
    try:
        return key, dumps(facts)
    except CodecError:
        return key, b""


def _analyse(
    job: _Job, item: tuple[str, str], defer: bool = False
) -> tuple[bytes | None, FileFacts]:
    """Read, pre-filter, parse, scan and extract one file (phase 1).  Never raises.

    With a cache, a file whose key is known gives :data:`_CACHED`; ``defer`` stops a miss after
    hashing (:data:`_DEFERRED`), for the pool to analyse."""
    key, found = _prefilter(job, item, defer)
    return key, _scan(job, found, None) if isinstance(found, _Parse) else found


@dataclass(frozen=True, slots=True)
class _Parse:
    """A file the pre-filter passed: what :func:`_scan` parses and scans."""

    path: str
    language: str
    source: bytes
    directive: bool
    wants_scan: bool  # the adapter's needles are in it
    matching: tuple[tuple[int, Extractor[Any]], ...]  # extractors that run on it, in order


def _prefilter(
    job: _Job, item: tuple[str, str], defer: bool = False
) -> tuple[bytes | None, FileFacts | _Parse]:
    """The first half of :func:`_analyse`: read, hash and pre-filter (facts, or the file to
    parse)."""
    path, language = item
    extractors = [(i, e) for i, e in enumerate(job.extractors) if language in e.languages]
    scans = job.env_reads or any(e.reads for _, e in extractors)
    adapter = load_adapter(language) if scans else None
    if adapter is None and not extractors:
        return None, FileFacts()
    raw, note = _read(job.root, path, job.max_bytes)
    if raw is None:
        return None, FileFacts(notes=(note,) if note else ())
    key: bytes | None = None
    if job.use_cache:
        from envlint.cache import content_key

        key = content_key(path, raw)
        if key in job.known:
            return key, _CACHED
        if defer:
            return key, _DEFERRED
    directive = b"envlint:" in raw
    if is_generated(raw[:HEAD_BYTES]) or _built(language, raw):  # no config read that matters
        return key, FileFacts(directive=directive, generated=True)
    source = decode_source(raw)
    wants_scan = adapter is not None and any(n in source for n in adapter.needles)
    matching = [(i, e) for i, e in extractors if e.matches(language, source)]
    if not job.env_reads:  # the reads are only for an extractor that runs on this file
        wants_scan = wants_scan and any(e.reads for _, e in matching)
    if not wants_scan and not matching:
        return key, FileFacts(directive=directive)
    return key, _Parse(path, language, source, directive, wants_scan, tuple(matching))


def _scan(job: _Job, found: _Parse, patterns: frozenset[int] | None) -> FileFacts:
    """The second half of :func:`_analyse`: parse, scan and extract; ``patterns``: the role
    patterns the run compiles for the language (:attr:`FileContext.patterns`)."""
    path, language, source = found.path, found.language, found.source
    directive, wants_scan, matching = found.directive, found.wants_scan, found.matching
    adapter = load_adapter(language) if wants_scan else None
    root: Node | None = None
    if not wants_scan and len(matching) == 1:  # e.g. a file parsed only for its imports
        source, root = _head(language, source, matching[0][1])
    try:
        if root is None:
            root = _parse(language, source)
    except ParseTimeout:
        return FileFacts(notes=(_TIMEOUT_NOTE,), directive=directive)
    if root is None:
        return FileFacts(directive=directive)
    notes: list[str] = []
    # a part the grammar could not read matters where reads (or a needle's facts) may hide
    relevant = wants_scan or any(e.needles for _, e in matching)
    partial = (
        partial_parse_note(path, language, source, root) if root.has_error and relevant else None
    )
    scan: FileScan | None = None
    if adapter is not None and wants_scan:
        ctx = FileContext(path, language, source, root, adapter.scope(path), patterns)
        try:
            scan = adapter.scan(ctx)
        except Exception as exc:  # an analysis bug must not take down every source rule
            notes.append(f"source scan failed on this file ({type(exc).__name__})")
            scan = FileScan()
    reads = scan.reads if scan is not None else ()
    extras: list[tuple[int, tuple[object, ...]]] = []
    for order, extractor in matching:
        try:
            given = reads if extractor.reads else ()
            facts = tuple(extractor.extract(language, root, source, path, given))
        except Exception as exc:
            notes.append(f"extractor {extractor.name} failed on this file ({type(exc).__name__})")
            continue
        if facts:
            extras.append((order, facts))
    if not job.env_reads:
        scan = None  # scanned for an extractor: no rule asked for env reads
    return FileFacts(scan, tuple(extras), tuple(notes), True, directive, partial)


def _head(language: str, source: bytes, extractor: Extractor[Any]) -> tuple[bytes, Node | None]:
    """The part of ``source`` the one extractor that wants the file needs (its ``head``) and
    its tree, when that prefix parses cleanly; else ``source`` and None (parse it whole)."""
    if extractor.head is None:
        return source, None
    cut = extractor.head(language, source)
    if cut >= len(source):
        return source, None
    prefix = source[:cut]
    root = _parse_quietly(language, prefix)
    if root is None or root.has_error:
        return source, None
    return prefix, root


def _absorb(
    run: _Run,
    path: str,
    language: str,
    facts: FileFacts,
    scopes: dict[tuple[str, str], _Scope],
) -> None:
    """Fold one file's phase-1 facts into the run, in candidate order."""
    if facts.generated:
        run.generated.add(path)
        adapter = load_adapter(language)
        key = (language, adapter.scope(path)) if adapter is not None else None
        if key is not None and key in scopes:  # never read again for helper call sites
            scopes[key].paths.remove(path)
    for message in facts.notes:
        run.note(path, message)
    if facts.partial is not None:
        run.problems.append(facts.partial)
        run.partial.add(path)
    if facts.parsed:
        run.parsed += 1
        run.parsed_paths.add(path)
    for order, found in facts.extras:
        run.extras[run.extractors[order].name].append((path, order, found))
    if facts.scan is not None:
        adapter = load_adapter(language)
        if adapter is not None and (language, adapter.scope(path)) in scopes:
            scope = scopes[(language, adapter.scope(path))]
            _merge(run, scope, facts.scan)
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
    for name, target in scan.forwards:
        scope.forwards.setdefault(name, set()).add(target)
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
    return FileContext(path, language, source, root, scope_key, run.patterns.get(language))


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
        constants = scope.constants
        if pending.const_in:
            constants = _constants_of(run, language, adapter, pending)
        read = _resolve_pending(pending, scope, constants)
        if read is None:
            run.dynamic += 1
        else:
            run.reads.append(read)


def _constants_of(run: _Run, language: str, adapter: Adapter, pending: Pending) -> dict[str, str]:
    """The constants of the scope ``pending.const_in`` names (another package), read from its
    files whatever service they belong to (parsed here, without notes: they only give names)."""
    if not isinstance(adapter, Locates):
        return {}
    path = pending.read.location.path
    key = (language, pending.const_in, adapter.scope(path))
    if key not in run.located:
        tree = SourceTree(run.root, run.files)
        run.located[key] = adapter.locate(pending.const_in, path, tree)
    scope_key = run.located[key]
    if scope_key is None:
        return {}
    if (language, scope_key) not in run.scope_constants:
        found: dict[str, str] = {}
        for file in run.files:
            if language_of(file) != language or is_skipped(file):
                continue
            if adapter.scope(file) != scope_key:
                continue
            source = run.read(file)
            root = _parse_quietly(language, source) if source is not None else None
            if source is None or root is None:
                continue
            ctx = FileContext(file, language, source, root, scope_key)
            scan = run.guarded("source scan", file, partial(adapter.scan, ctx))
            for name, value in scan.constants.items():
                found.setdefault(name, value)
        run.scope_constants[(language, scope_key)] = found
    return run.scope_constants[(language, scope_key)]


def _parse_quietly(language: str, source: bytes) -> Node | None:
    """The tree of ``source``, or None when it cannot be parsed (in time)."""
    try:
        return _parse(language, source)
    except ParseTimeout:
        return None


def _resolve_pending(pending: Pending, scope: _Scope, constants: dict[str, str]) -> EnvRead | None:
    read = pending.read
    if pending.name_const is not None:
        value = constants.get(pending.name_const)
        if value is None and not (pending.prefix or pending.suffix):
            return None
        if value is None:  # a variable part: keep the literal parts as a pattern
            read = replace(read, name=f"{pending.prefix}*{pending.suffix}", is_pattern=True)
        else:
            read = replace(read, name=pending.prefix + value + pending.suffix)
    if pending.fails_via is not None:
        exit_at = _exit_of(scope, pending.fails_via)
        if exit_at is not None:
            read = replace(read, missing="crash", crash_location=exit_at)
            if pending.empty_fails:
                read = replace(read, on_empty="crash")
    return read


def _exit_of(scope: _Scope, helper: str) -> Location | None:
    """The first exit on ``helper``'s error: at a call site of it, or of a function it hands
    its error on to (transitively)."""
    found: list[Location] = []
    seen = {helper}
    todo = [helper]
    while todo:
        name = todo.pop()
        if name in scope.exits:
            found.append(scope.exits[name])
        for target in sorted(scope.forwards.get(name, ())):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return min(found) if found else None
