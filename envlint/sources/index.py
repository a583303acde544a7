"""``build_index``: every env read in the services' code (and the facts of the per-file
extractors the caller asks for), in one parse per file.

1. **Candidates**: files of ``ws.files`` in a language envlint reads (``languages``), not
   vendored, generated or a test (``languages.is_skipped``), for which ``in_scope`` is true.
2. **Phase 1, per file**: read (at most ``max_bytes``), pre-filter (the adapter's ``needles``,
   :meth:`Extractor.matches`; never code that says it was generated or minified JavaScript),
   parse once and hand the tree to ``adapter.scan`` and the matching extractors.  A
   :class:`~envlint.sources.adapter.FileScan` holds finished reads, and helpers, constants and
   pending reads for the rest of the file's *scope*.  Phase 1 needs only the file: it runs in
   worker processes for many candidates (``Settings.jobs``, :func:`envlint.parallel.threshold`)
   and through the per-file analysis cache (``Settings.cache``, :mod:`envlint.cache`), merged in
   path order either way, so the index never depends on ``jobs`` or on the cache.
   **Phase 1b**: a file's ``@export`` names (a reader object made at its top level: ``env =
   environ.Env()``) are bound in the files that import them (``from config.env import env``):
   each file of the language that names an exporter's module and name is parsed again and, when
   it does import one, scanned again with it bound (:meth:`RoleAdapter.scan_importer`; in this
   process, uncached: its facts depend on another file).  Its tree is kept for phases 2 and 4.
3. **Phase 2, helper call sites**: per ``(language, scope)``, every file that mentions a helper's
   name (byte search) goes to ``adapter.scan_calls``: reads at the call sites, *new* helpers (a
   wrapper of a wrapper), exits after error-helper calls; again while new helpers appear (at most
   ``MAX_HELPER_DEPTH`` rounds).
4. **Resolution**: :class:`~envlint.sources.adapter.Pending` reads get their name from the
   scope's constants (also from its files phase 1 did not scan, :meth:`RoleAdapter.constants`;
   another scope's through :meth:`RoleAdapter.locate`) and their class from the exits; a name
   that resolves to nothing is counted as dynamic.

Phases 1b, 2 and 4 read and parse only the files they visit, each once (:meth:`_Run.context`;
phase 1's trees stay in its workers, or are never made for a cache hit).  Notes (skipped or
partially parsed files, analyses that failed on a file) are NOTE problems in
``SourceIndex.notes``.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import cache, partial
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar, cast

from envlint._regular import TooLargeError, read_regular
from envlint.cache import (
    AnalysisCache,
    CodecError,
    content_key,
    dumps,
    loads,
    settings_fingerprint,
)
from envlint.model import Location, Problem, ProblemKind
from envlint.parallel import effective_jobs, run_ordered
from envlint.parallel import threshold as parallel_threshold
from envlint.servicecode._graphbase import repo_index
from envlint.servicecode.generated import HEAD_BYTES, is_generated, is_minified
from envlint.servicecode.model import CodeMap
from envlint.sources.adapter import FileContext, FileScan, Helper, SourceTree
from envlint.sources.appsettings import apply_appsettings
from envlint.sources.damage import partial_parse_note
from envlint.sources.languages import is_skipped, language_of, parser_for, spec_of
from envlint.sources.model import EnvRead, SourceIndex

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

    from tree_sitter import Node

    from envlint.config import Settings
    from envlint.model import Workspace
    from envlint.sources.adapter import Pending
    from envlint.sources.appsettings import ConfigSource
    from envlint.sources.model import Extractor
    from envlint.sources.role_adapter import RoleAdapter

__all__ = [
    "DEFAULT_MAX_BYTES",
    "FileFacts",
    "build_index",
    "decode_source",
    "parse_file",
    "parse_source",
    "read_source",
]

DEFAULT_MAX_BYTES = 2 * 1024 * 1024
PARSE_BUDGET_S = 5.0  # a 2 MiB file parses in well under a second; some grammars can stall
MAX_HELPER_DEPTH = 3  # phase 2's rounds: a wrapper of a wrapper of a wrapper


class ParseTimeout(Exception):
    """Parsing one file took longer than :data:`PARSE_BUDGET_S` (e.g. tree-sitter-kotlin 1.1.0
    needs ~40 s for a 1 KB file with a stray ``#`` in an unclosed body)."""


_TIMEOUT_NOTE = f"source file skipped: parsing took longer than {PARSE_BUDGET_S:g} s"
_BUNDLED = frozenset({"javascript", "typescript", "tsx"})  # languages shipped minified/bundled
_T = TypeVar("_T")


# --- reading and parsing one file --------------------------------------------------------------


@cache
def load_adapter(name: str) -> RoleAdapter | None:
    """The adapter serving language ``name`` (its module imported on first use), or None: an
    adapter module not written yet leaves the language not analysed."""
    spec = spec_of(name)
    if spec is None:
        return None
    try:
        module = importlib.import_module(spec.adapter_module)
    except ModuleNotFoundError as exc:
        if exc.name == spec.adapter_module:
            return None
        raise
    adapter = getattr(module, "ADAPTER", None)
    if adapter is None or name not in adapter.languages:
        return None
    return cast("RoleAdapter", adapter)


def _read(root: str, path: str, max_bytes: int) -> bytes | str:
    """The file's bytes, or the note saying why they are not read."""
    try:
        return read_regular(os.path.join(root, path), max_bytes)  # noqa: PTH118
    except TooLargeError:
        return f"source file skipped: larger than {max_bytes} bytes"
    except OSError as exc:
        return f"source file not readable: {exc.strerror or type(exc).__name__}"


def _generated(language: str, data: bytes) -> bool:
    """Code that says it was generated (DO NOT EDIT), or a JavaScript/TypeScript file a build
    tool wrote (minified or bundled; other languages' long-lined files are data and stay)."""
    return is_generated(data[:HEAD_BYTES]) or (language in _BUNDLED and is_minified(data))


def decode_source(data: bytes) -> bytes:
    """The bytes handed to the parser: UTF-8 (a BOM removed; UTF-16 and invalid UTF-8 decoded
    with replacement and re-encoded: tree-sitter's text predicates must never see invalid UTF-8).
    Never raises."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace").encode("utf-8")
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("utf-8", "replace").encode("utf-8")
    return data


def _parse(language: str, source: bytes) -> Node | None:
    """Parse with a time budget (:class:`ParseTimeout`): tree-sitter 0.26 honours a progress
    callback only when the text comes through a read callback, and cancelling raises
    ``ValueError``."""
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


def _tree(language: str, source: bytes) -> Node | None:
    """The tree of ``source``, or None when it cannot be parsed (in time)."""
    try:
        return _parse(language, source)
    except ParseTimeout:
        return None


def parse_file(root: str, path: str, language: str, max_bytes: int) -> tuple[bytes, Node] | None:
    """Read, decode and parse one file as phase 1 does, for analyses that finish work across
    files after the pass; None when it cannot be (phase 1 already noted why) or is generated code
    (which phase 1 does not parse either).  Never raises."""
    data = read_source(root, path, language, max_bytes)
    return None if data is None else parse_source(language, data)


def parse_source(language: str, data: bytes) -> tuple[bytes, Node] | None:
    """Decode and parse bytes :func:`read_source` gave (a look at them first costs no second
    read); None when the parse fails or times out.  Never raises."""
    source = decode_source(data)
    tree = _tree(language, source)
    return None if tree is None else (source, tree)


def read_source(root: str, path: str, language: str, max_bytes: int) -> bytes | None:
    """The bytes of a file that :func:`parse_file` would parse (None: it would not), for a
    cheap look before parsing.  Never raises."""
    data = _read(root, path, max_bytes)
    return None if isinstance(data, str) or _generated(language, data) else data


# --- the pass ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FileFacts:
    """What phase 1 learns from one file on its own: plain, immutable, cacheable facts."""

    scan: FileScan | None = None  # the adapter's scan (None: no adapter needle in the file)
    extras: tuple[tuple[int, tuple[object, ...]], ...] = ()  # (extractor order, its facts)
    notes: tuple[str, ...] = ()  # NOTE problems of the file (messages)
    parsed: bool = False  # passed the pre-filter and was parsed
    directive: bool | None = None  # mentions ``envlint:`` (None: not known; without_directives)
    partial: Problem | None = None  # the note for a tree with ERROR/MISSING nodes (at the first)
    generated: bool = False  # generated or minified: not parsed, no facts


@dataclass
class _Scope:
    """Facts of one (language, scope) collected across its files (build-local, not shared)."""

    paths: dict[str, bool] = field(default_factory=dict)  # candidate -> given to adapter.scan
    helpers: dict[str, Helper] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    pending: list[Pending] = field(default_factory=list)
    exits: dict[str, Location] = field(default_factory=dict)
    forwards: dict[str, set[str]] = field(default_factory=dict)  # error helper -> functions


@dataclass
class _Run:
    """What one build_index call finds after phase 1, and the files phases 2 and 4 re-read."""

    tree: SourceTree  # every file of the workspace (constants of other scopes)
    max_bytes: int
    patterns: Mapping[str, frozenset[int]]  # the role patterns phase 1 compiled per language
    problems: list[Problem] = field(default_factory=list)
    reads: list[EnvRead] = field(default_factory=list)
    dynamic: int = 0
    sources: dict[str, bytes | None] = field(default_factory=dict)
    trees: dict[str, Node | None] = field(default_factory=dict)  # 1b, 2, 4 (None: timed out)
    parsed: set[str] = field(default_factory=set)  # their trees a phase used (counted, noted)
    # constants of other scopes (Pending.const_in): located scopes and their constants
    located: dict[tuple[str, str, str], str | None] = field(default_factory=dict)
    scope_constants: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    config_sources: list[ConfigSource] = field(default_factory=list)  # phase 1's, in path order

    def note(self, path: str, message: str) -> None:
        self.problems.append(Problem(ProblemKind.NOTE, Location(path), message))

    def source(self, path: str) -> bytes | None:
        """The file's bytes as phase 1 parsed them (a note phase 1 made again is dropped)."""
        if path not in self.sources:
            data = _read(self.tree.root, path, self.max_bytes)
            if isinstance(data, str):
                self.note(path, data)
            self.sources[path] = None if isinstance(data, str) else decode_source(data)
        return self.sources[path]

    def context(
        self, language: str, path: str, scope: str, quiet: bool = False
    ) -> FileContext | None:
        """The file parsed once for phases 1b, 2 and 4; ``quiet``: a look for its imports or
        constants only (not counted as parsed and no notes, until a call that is not quiet)."""
        source = self.source(path)
        if source is None:
            return None
        if path not in self.trees:
            self.trees[path] = _tree(language, source)
        if (root := self.trees[path]) is None:
            if not quiet:
                self.note(path, _TIMEOUT_NOTE)
            return None
        if not quiet and path not in self.parsed:
            self.parsed.add(path)
            if root.has_error:  # phase 1's note again, or one for a part it did not parse
                self.problems.append(partial_parse_note(path, language, source, root))
        return FileContext(path, language, source, root, scope, self.patterns.get(language))


def _guarded(what: str, call: Callable[[], _T], fallback: _T, note: Callable[[str], object]) -> _T:
    """``call()``; ``fallback`` and a note when it raises (an analysis bug must not take down
    every source rule)."""
    try:
        return call()
    except Exception as exc:
        note(f"{what} failed on this file ({type(exc).__name__})")
        return fallback


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

    ``in_scope`` defaults to: below some service's ``source_dir``.  ``env_reads=False`` runs
    only the extractors.  Without ``settings`` (``jobs``, ``cache``, ``max_source_bytes``) the
    pass runs in this process, uncached."""
    if in_scope is None:
        in_scope = CodeMap.from_source_dirs(ws).in_scope
    limit = max_bytes or (settings.max_source_bytes if settings is not None else DEFAULT_MAX_BYTES)
    candidates = [
        (path, language)
        for path in sorted(ws.files)
        if (language := language_of(path)) is not None and not is_skipped(path) and in_scope(path)
    ]
    job = _Job(str(ws.root), limit, tuple(extractors), env_reads)
    found, patterns = _phase1(job, ws, settings, candidates)

    paths = tuple(ws.files)
    run = _Run(SourceTree(job.root, paths, repo_index(ws.root, paths)), limit, patterns)
    if env_reads:
        found = _importers(run, candidates, found)
    scopes: dict[tuple[str, str], _Scope] = defaultdict(_Scope)
    extracted: dict[str, list[object]] = defaultdict(list)
    for (path, language), facts in zip(candidates, found, strict=True):
        for message in facts.notes:
            run.note(path, message)
        if facts.partial is not None:
            run.problems.append(facts.partial)
        for order, extra in facts.extras:
            extracted[job.extractors[order].name].extend(extra)
        adapter = load_adapter(language) if env_reads and not facts.generated else None
        if adapter is not None:  # generated code is never read again for helper call sites
            scope = scopes[(language, adapter.scope(path))]
            scope.paths[path] = facts.scan is not None
            if facts.scan is not None:
                _merge(run, scope, facts.scan)

    for (language, key), scope in sorted(scopes.items()):
        adapter = load_adapter(language)
        if adapter is not None:
            _resolve_scope(run, adapter, language, key, scope)

    reads = sorted(run.reads, key=lambda r: (r.location, r.name, r.api))
    files = dict(zip([path for path, _ in candidates], found, strict=True))
    return SourceIndex(
        # C# reads the app's JSON (appsettings*.json, or a file its code adds) supplies
        reads=apply_appsettings(reads, ws.root, ws.files, run.config_sources),
        files_scanned=len(candidates),
        without_directives=frozenset(p for p, f in files.items() if f.directive is False),
        files_parsed=len({p for p, f in files.items() if f.parsed} | run.parsed),
        dynamic_reads=run.dynamic,
        notes=tuple(sorted(set(run.problems), key=lambda p: (p.location, p.message))),
        extracted=MappingProxyType({k: tuple(v) for k, v in sorted(extracted.items())}),
        generated=frozenset(p for p, f in files.items() if f.generated),
    )


# --- phase 1: per file, in workers and through the cache -------------------------------------


@dataclass(frozen=True, slots=True)
class _Job:
    """What every phase-1 call needs besides the file (sent to each worker process once)."""

    root: str
    max_bytes: int
    extractors: tuple[Extractor[Any], ...] = ()
    env_reads: bool = True  # run the env-read adapters (else only the extractors)
    use_cache: bool = False  # compute each file's cache key


@dataclass(frozen=True, slots=True)
class _Parse:
    """A file the pre-filter passed: what :func:`_scan` parses and scans."""

    path: str
    language: str
    source: bytes
    directive: bool
    adapter: RoleAdapter | None  # the adapter's needles are in it: scan it
    matching: tuple[tuple[int, Extractor[Any]], ...]  # extractors that run on it, in order


def _phase1(
    job: _Job, ws: Workspace, settings: Settings | None, candidates: Sequence[tuple[str, str]]
) -> tuple[list[FileFacts], dict[str, frozenset[int]]]:
    """Phase-1 facts of every candidate, in order (pooled, cached or in this process alike),
    and the role patterns compiled per language."""
    cache = AnalysisCache.disabled()
    if settings is not None and settings.cache and candidates:
        cache = _open_cache(ws, job)
    job = replace(job, use_cache=cache.enabled)
    out: list[FileFacts | None] = [None] * len(candidates)
    if cache.known():  # a warm cache: hashing is cheap, so find the hits first
        out = [_hit(job, cache, item) for item in candidates]
    todo = [i for i, facts in enumerate(out) if facts is None]
    jobs = effective_jobs(settings.jobs) if settings is not None else 1
    threshold = parallel_threshold()
    patterns: dict[str, frozenset[int]] = {}
    if jobs > 1 and len(todo) > threshold:
        items = [candidates[i] for i in todo]
        results = run_ordered(_analyse_pickled, job, items, jobs, threshold)
        for i, item, (key, data) in zip(todo, items, results, strict=True):
            facts = _decoded(data)
            if facts is None:  # the worker could not write them down: analyse the file here
                (key, facts), data = _analyse(job, item), b""
            out[i] = _stored(cache, key, facts, data)
    else:  # scans wait for the pre-filter of every file: the run's role patterns are known
        found = {i: _prefilter(job, candidates[i]) for i in todo}
        patterns = _patterns([parse for _, parse in found.values() if isinstance(parse, _Parse)])
        for i, (key, result) in found.items():
            if isinstance(result, _Parse):
                result = _scan(job, result, patterns.get(result.language))
            out[i] = _stored(cache, key, result)
    cache.save()
    return [facts or FileFacts() for facts in out], patterns


def _patterns(scans: Sequence[_Parse]) -> dict[str, frozenset[int]]:
    """Per language, the role patterns that can match in any of the files to scan: the run
    compiles only those (a file that needs more gets the whole query)."""
    out: dict[str, frozenset[int]] = {}
    for found in scans:
        if found.adapter is not None:
            wanted = found.adapter.patterns(found.language, found.source)
            out[found.language] = out.get(found.language, frozenset()) | wanted
    return out


def _open_cache(ws: Workspace, job: _Job) -> AnalysisCache:
    names = tuple((e.name, e.fingerprint) for e in job.extractors)
    # a pass without env reads (the start-up pass: function facts of a few programs) keeps
    # its own pack, so that it and the source pass do not replace each other's
    kind = "" if job.env_reads else "+".join(e.name for e in job.extractors)
    return AnalysisCache.open(ws.root, settings_fingerprint((names, job.env_reads)), kind=kind)


def _hit(job: _Job, cache: AnalysisCache, item: tuple[str, str]) -> FileFacts | None:
    """The cache's facts of the file (None: analyse it; a corrupt entry is a miss); a file
    no analysis runs on is not even read."""
    adapter, extractors = _analyses(job, item[1])
    if adapter is None and not extractors:
        return FileFacts()
    data = _read(job.root, item[0], job.max_bytes)
    if isinstance(data, str):
        return None
    key = content_key(item[0], data)
    facts = _decoded(cache.get(key))
    if facts is None:
        cache.drop(key)
    return facts


def _encoded(facts: FileFacts) -> bytes:
    """``facts`` as :func:`envlint.cache.dumps` writes them (empty: they are not plain data)."""
    with contextlib.suppress(CodecError):
        return dumps(facts)
    return b""


def _decoded(data: bytes | None) -> FileFacts | None:
    """The facts :func:`envlint.cache.dumps` wrote as ``data`` (None: none, or unreadable)."""
    with contextlib.suppress(CodecError):
        facts = loads(data) if data else None
        return facts if isinstance(facts, FileFacts) else None
    return None


def _stored(
    cache: AnalysisCache, key: bytes | None, facts: FileFacts, data: bytes = b""
) -> FileFacts:
    """``facts``, kept in the cache under ``key`` (``data``: as a worker wrote them down),
    unless the parse timed out (tried again next run) or they are not plain data."""
    if key is None or not cache.enabled or _TIMEOUT_NOTE in facts.notes:
        return facts
    if payload := data or _encoded(facts):
        cache.put(key, payload)
    return facts


def _analyse_pickled(job: _Job, item: tuple[str, str]) -> tuple[bytes | None, bytes]:
    """:func:`_analyse` in a worker process: the cache key and the facts as
    :func:`envlint.cache.dumps` bytes (empty if they cannot be written)."""
    key, facts = _analyse(job, item)
    return key, _encoded(facts)


def _analyse(job: _Job, item: tuple[str, str]) -> tuple[bytes | None, FileFacts]:
    """The cache key and phase-1 facts of one file.  Never raises."""
    key, found = _prefilter(job, item)
    return key, _scan(job, found, None) if isinstance(found, _Parse) else found


def _prefilter(job: _Job, item: tuple[str, str]) -> tuple[bytes | None, FileFacts | _Parse]:
    """Read, hash (for the cache) and pre-filter one file: its facts, or the file to parse."""
    path, language = item
    adapter, extractors = _analyses(job, language)
    if adapter is None and not extractors:
        return None, FileFacts()
    data = _read(job.root, path, job.max_bytes)
    if isinstance(data, str):
        return None, FileFacts(notes=(data,))
    key = content_key(path, data) if job.use_cache else None
    directive = b"envlint:" in data
    if _generated(language, data):  # no config read that matters
        return key, FileFacts(directive=directive, generated=True)
    source = decode_source(data)
    if adapter is not None and not any(n in source for n in adapter.needles):
        adapter = None
    matching = tuple((i, e) for i, e in extractors if e.matches(language, source, path))
    if not job.env_reads and not any(e.reads for _, e in matching):
        adapter = None  # the reads are only for an extractor that runs on this file
    if adapter is None and not matching:
        return key, FileFacts(directive=directive)
    return key, _Parse(path, language, source, directive, adapter, matching)


def _analyses(
    job: _Job, language: str
) -> tuple[RoleAdapter | None, list[tuple[int, Extractor[Any]]]]:
    """What phase 1 may run on a file of ``language``: the adapter (None: its reads are not
    wanted) and the extractors, with their order."""
    extractors = [(i, e) for i, e in enumerate(job.extractors) if language in e.languages]
    scans = job.env_reads or any(e.reads for _, e in extractors)
    return (load_adapter(language) if scans else None), extractors


def _scan(job: _Job, found: _Parse, patterns: frozenset[int] | None) -> FileFacts:
    """Parse, scan and extract one pre-filtered file; ``patterns``: the role patterns the run
    compiles for its language (:attr:`FileContext.patterns`)."""
    path, language, source, adapter = found.path, found.language, found.source, found.adapter
    root: Node | None = None
    if adapter is None and len(found.matching) == 1:  # e.g. a file parsed only for its imports
        source, root = _head(language, source, found.matching[0][1])
    try:
        root = _parse(language, source) if root is None else root
    except ParseTimeout:
        return FileFacts(notes=(_TIMEOUT_NOTE,), directive=found.directive)
    if root is None:
        return FileFacts(directive=found.directive)
    notes: list[str] = []
    damaged = None
    # a part the grammar could not read matters where reads (or a needle's facts) may hide
    if root.has_error and (adapter is not None or any(e.needles for _, e in found.matching)):
        damaged = partial_parse_note(path, language, source, root)
    scan: FileScan | None = None
    if adapter is not None:
        ctx = FileContext(path, language, source, root, adapter.scope(path), patterns)
        scan = _guarded("source scan", partial(adapter.scan, ctx), FileScan(), notes.append)
    extras: list[tuple[int, tuple[object, ...]]] = []
    for order, extractor in found.matching:
        given = scan.reads if scan is not None and extractor.reads else ()
        extract = partial(extractor.extract, language, root, source, path, given)
        if facts := _guarded(f"extractor {extractor.name}", extract, (), notes.append):
            extras.append((order, tuple(facts)))
    if not job.env_reads:
        scan = None  # scanned for an extractor: no rule asked for env reads
    return FileFacts(scan, tuple(extras), tuple(notes), True, found.directive, damaged)


def _head(language: str, source: bytes, extractor: Extractor[Any]) -> tuple[bytes, Node | None]:
    """The part of ``source`` the one extractor that wants the file needs (its ``head``) and
    its tree, when that prefix parses cleanly; else ``source`` and None (parse it whole)."""
    cut = extractor.head(language, source) if extractor.head is not None else len(source)
    root = _tree(language, source[:cut]) if cut < len(source) else None
    return (source, None) if root is None or root.has_error else (source[:cut], root)


# --- phase 1b: files that import another file's reader object ------------------------------


def _importers(
    run: _Run, candidates: Sequence[tuple[str, str]], found: list[FileFacts]
) -> list[FileFacts]:
    """``found`` with the facts of each file that imports another file's ``@export``
    (:attr:`FileScan.exports`: ``from config.env import env``) scanned again with it bound."""
    exports: dict[str, dict[str, Mapping[str, str]]] = defaultdict(dict)  # language -> path ->
    for (path, language), facts in zip(candidates, found, strict=True):
        if facts.scan is not None and facts.scan.exports:
            exports[language][path] = facts.scan.exports
    if not exports:
        return found
    out = list(found)
    for index, (path, language) in enumerate(candidates):
        given = exports.get(language)
        if not given or found[index].generated or (adapter := load_adapter(language)) is None:
            continue
        source = run.source(path)
        if source is None or not any(_names(source, file, names) for file, names in given.items()):
            continue
        ctx = run.context(language, path, adapter.scope(path), quiet=True)
        if ctx is not None:
            scan = partial(adapter.scan_importer, ctx, given, run.tree)
            again = _guarded("source scan", scan, None, partial(run.note, path))
            if again is not None:  # the tree is counted as parsed and noted, as phase 2 would
                run.context(language, path, ctx.scope)
                out[index] = replace(found[index], scan=again)
    return out


def _names(source: bytes, path: str, names: Iterable[str]) -> bool:
    """Whether ``source`` may import one of ``names`` from the file ``path``: it mentions the
    name and the file's module (its stem; a package's ``__init__``/``index``: its directory)."""
    directory, _, base = path.rpartition("/")
    stem = base.rpartition(".")[0] or base
    if stem in ("__init__", "index"):
        stem = directory.rpartition("/")[2]
    return stem.encode() in source and any(name.encode() in source for name in names)


# --- phases 2 and 4: per scope ----------------------------------------------------------------


def _merge(run: _Run, scope: _Scope, scan: FileScan) -> list[Helper]:
    """Fold one file's facts into its scope; returns the helpers that are new to the scope."""
    run.reads.extend(scan.reads)
    run.config_sources.extend(scan.config_sources)
    run.dynamic += scan.dynamic
    scope.pending.extend(scan.pending)
    for name, value in scan.constants.items():
        scope.constants.setdefault(name, value)
    for name, at in scan.exits:
        scope.exits[name] = min(at, scope.exits.get(name, at))
    for name, target in scan.forwards:
        scope.forwards.setdefault(name, set()).add(target)
    fresh: list[Helper] = []
    for helper in scan.helpers:
        if (known := scope.helpers.get(helper.name)) is None:
            scope.helpers[helper.name] = helper
            fresh.append(helper)
        elif helper.is_class and known.is_class:  # two classes of one name: a file that
            scope.helpers[helper.name] = replace(known, fields=())  # defines neither reads none
    return fresh


def _mentioning(run: _Run, paths: Iterable[str], names: Iterable[str]) -> list[str]:
    needles = sorted({n.rpartition(".")[2].encode() for n in names if n})
    return [p for p in paths if (s := run.source(p)) is not None and any(n in s for n in needles)]


def _constants(
    run: _Run,
    adapter: RoleAdapter,
    language: str,
    key: str,
    paths: Iterable[str],
    quiet: bool = False,
) -> dict[str, str]:
    """The constants ``adapter.constants`` finds in ``paths`` of the scope ``key`` (first wins)."""
    found: dict[str, str] = {}
    for path in paths:
        ctx = run.context(language, path, key, quiet)
        if ctx is not None:
            scan, note = partial(adapter.constants, ctx), partial(run.note, path)
            constants: Mapping[str, str] = _guarded("source scan", scan, {}, note)
            for name, value in constants.items():
                found.setdefault(name, value)
    return found


def _resolve_scope(run: _Run, adapter: RoleAdapter, language: str, key: str, scope: _Scope) -> None:
    # Constants defined in files of the scope that phase 1 did not scan (no env read there).
    wanted = {p.name_const for p in scope.pending if p.name_const} - scope.constants.keys()
    if wanted:
        unscanned = [p for p, scanned in scope.paths.items() if not scanned]
        more = _constants(run, adapter, language, key, _mentioning(run, unscanned, wanted))
        scope.constants = more | scope.constants  # the scanned files' constants first

    # Phase 2: call sites of helpers, one more level per round.
    fresh = list(scope.helpers.values())
    for _ in range(MAX_HELPER_DEPTH):
        if not fresh:
            break
        helpers = {h.name: h for h in fresh}
        fresh = []
        for path in _mentioning(run, scope.paths, helpers):
            ctx = run.context(language, path, key)
            if ctx is not None:
                call = partial(adapter.scan_calls, ctx, helpers)
                scan = _guarded("helper call scan", call, FileScan(), partial(run.note, path))
                fresh.extend(_merge(run, scope, scan))

    for pending in scope.pending:
        constants = scope.constants
        if pending.const_in:
            constants = _constants_of(run, adapter, language, pending)
        _resolve_pending(run, pending, scope, constants)


def _constants_of(
    run: _Run, adapter: RoleAdapter, language: str, pending: Pending
) -> dict[str, str]:
    """The constants of the scope ``pending.const_in`` names (another package), read from its
    files whatever service they belong to (parsed quietly: they only give names)."""
    path = pending.read.location.path
    located = (language, pending.const_in, adapter.scope(path))
    if located not in run.located:
        run.located[located] = adapter.locate(pending.const_in, path, run.tree)
    if (key := run.located[located]) is None:
        return {}
    if (language, key) not in run.scope_constants:
        paths = [f for f in run.tree.paths if language_of(f) == language and not is_skipped(f)]
        paths = [f for f in paths if adapter.scope(f) == key]
        run.scope_constants[(language, key)] = _constants(run, adapter, language, key, paths, True)
    return run.scope_constants[(language, key)]


def _resolve_pending(run: _Run, pending: Pending, scope: _Scope, constants: dict[str, str]) -> None:
    """The read ``pending`` stands for, added to the run (no name at all: counted as dynamic)."""
    read = pending.read
    if pending.name_const is not None:
        value = constants.get(pending.name_const)
        if value is not None:
            read = replace(read, name=pending.prefix + value + pending.suffix)
        elif pending.prefix or pending.suffix:  # a variable part: the literal parts as a pattern
            read = replace(read, name=f"{pending.prefix}*{pending.suffix}", is_pattern=True)
        else:
            run.dynamic += 1
            return
    exit_at = None if pending.fails_via is None else _exit_of(scope, pending.fails_via)
    if exit_at is not None:
        on_empty = "crash" if pending.empty_fails else read.on_empty
        read = replace(read, missing="crash", on_empty=on_empty, crash_location=exit_at)
    run.reads.append(read)


def _exit_of(scope: _Scope, helper: str) -> Location | None:
    """The first exit on ``helper``'s error: at a call site of it, or of a function it hands
    its error on to (transitively)."""
    seen, todo = {helper}, [helper]
    while todo:
        for target in scope.forwards.get(todo.pop(), ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return min((scope.exits[name] for name in seen if name in scope.exits), default=None)
