"""The pass over the candidate files: what each file gives on its own, in one parse.

Per file: read (at most ``max_bytes``), pre-filter (the reader's ``needles``,
:meth:`Extractor.matches`; never code that says it was generated or minified JavaScript), parse
once and hand the tree to the language's :class:`Reader` and the matching extractors.  It needs
only the file: it runs in worker processes for many candidates (``Settings.jobs``,
:func:`envlint.parallel.threshold`) and through the per-file analysis cache
(``Settings.cache``, :mod:`envlint.cache`), merged in path order either way, so the facts never
depend on ``jobs`` or on the cache.  What needs other files (env reads resolved across a
scope) is the caller's: :func:`envlint.sources.index.build_index`.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from envlint.cache import AnalysisCache, CodecError, content_key, dumps, loads, settings_fingerprint
from envlint.filepass import parse as parsing
from envlint.filepass.damage import partial_parse_note
from envlint.filepass.parse import TIMEOUT_NOTE, ParseTimeout, decode_source, generated
from envlint.model import Problem
from envlint.parallel import effective_jobs, run_ordered
from envlint.parallel import threshold as parallel_threshold

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from tree_sitter import Node

    from envlint.config import Settings
    from envlint.model import Workspace
    from envlint.sources.model import EnvRead, Extractor

__all__ = ["FileFacts", "Job", "Reader", "Scan", "guarded", "run_pass"]

_T = TypeVar("_T")


class Scan(Protocol):
    """What a :class:`Reader` found in one file: its env reads, at least (given to the
    extractors that set ``reads``)."""

    @property
    def reads(self) -> tuple[EnvRead, ...]: ...


_S = TypeVar("_S", bound=Scan)
_S_co = TypeVar("_S_co", bound=Scan, covariant=True)


class Reader(Protocol[_S_co]):
    """The env-read analysis of one language, as the pass runs it (envlint.sources')."""

    @property
    def needles(self) -> tuple[bytes, ...]: ...

    @property
    def empty(self) -> _S_co:
        """The scan of a file :meth:`scan` failed on (a note says so)."""
        ...

    def patterns(self, language: str, source: bytes) -> frozenset[int]:
        """The query patterns that can match in ``source`` (the run compiles their union)."""
        ...

    def scan(
        self, path: str, language: str, source: bytes, root: Node, patterns: frozenset[int] | None
    ) -> _S_co:
        """The file's facts (a tree with ERROR nodes is read as far as it goes)."""
        ...


@dataclass(frozen=True, slots=True)
class FileFacts(Generic[_S]):
    """What the pass learns from one file on its own: plain, immutable, cacheable facts."""

    scan: _S | None = None  # the reader's scan (None: no reader needle in the file)
    extras: tuple[tuple[int, tuple[object, ...]], ...] = ()  # (extractor order, its facts)
    notes: tuple[str, ...] = ()  # NOTE problems of the file (messages)
    parsed: bool = False  # passed the pre-filter and was parsed
    # mentions ``envlint:`` (None: not known): files read here that do not are noted, so the
    # inline-suppression scan need not read them again (``SourceIndex.without_directives``)
    directive: bool | None = None
    partial: Problem | None = None  # the note for a tree with ERROR/MISSING nodes (at the first)
    generated: bool = False  # generated or minified: not parsed, no facts


@dataclass(frozen=True, slots=True)
class Job(Generic[_S]):
    """What every per-file call needs besides the file (sent to each worker process once).
    ``reader``: a module-level function (picklable) giving a language's :class:`Reader`."""

    root: str
    max_bytes: int
    reader: Callable[[str], Reader[_S] | None]
    extractors: tuple[Extractor[Any], ...] = ()
    env_reads: bool = True  # run the readers (else only the extractors, and their ``reads``)
    use_cache: bool = False  # compute each file's cache key


@dataclass(frozen=True, slots=True)
class _Parse(Generic[_S]):
    """A file the pre-filter passed: what :func:`_scan` parses and scans."""

    path: str
    language: str
    source: bytes
    directive: bool
    reader: Reader[_S] | None  # the reader's needles are in it: scan it
    matching: tuple[tuple[int, Extractor[Any]], ...]  # extractors that run on it, in order


def guarded(what: str, call: Callable[[], _T], fallback: _T, note: Callable[[str], object]) -> _T:
    """``call()``; ``fallback`` and a note when it raises (an analysis bug must not take down
    every source rule)."""
    try:
        return call()
    except Exception as exc:
        note(f"{what} failed on this file ({type(exc).__name__})")
        return fallback


def run_pass(
    job: Job[_S], ws: Workspace, settings: Settings | None, candidates: Sequence[tuple[str, str]]
) -> tuple[list[FileFacts[_S]], dict[str, frozenset[int]]]:
    """The facts of every candidate ``(path, language)``, in order (pooled, cached or in this
    process alike), and the reader patterns compiled per language."""
    cache = AnalysisCache.disabled()
    if settings is not None and settings.cache and candidates:
        cache = _open_cache(ws, job)
    job = replace(job, use_cache=cache.enabled)
    out: list[FileFacts[_S] | None] = [None] * len(candidates)
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
    else:  # scans wait for the pre-filter of every file: the run's patterns are known
        found = {i: _prefilter(job, candidates[i]) for i in todo}
        patterns = _patterns([parse for _, parse in found.values() if isinstance(parse, _Parse)])
        for i, (key, result) in found.items():
            if isinstance(result, _Parse):
                result = _scan(job, result, patterns.get(result.language))
            out[i] = _stored(cache, key, result)
    cache.save()
    return [facts or FileFacts() for facts in out], patterns


def _patterns(scans: Sequence[_Parse[_S]]) -> dict[str, frozenset[int]]:
    """Per language, the reader patterns that can match in any of the files to scan: the run
    compiles only those (a file that needs more gets the whole query)."""
    out: dict[str, frozenset[int]] = {}
    for found in scans:
        if found.reader is not None:
            wanted = found.reader.patterns(found.language, found.source)
            out[found.language] = out.get(found.language, frozenset()) | wanted
    return out


def _open_cache(ws: Workspace, job: Job[_S]) -> AnalysisCache:
    names = tuple((e.name, e.fingerprint) for e in job.extractors)
    # a pass without env reads (the start-up pass: function facts of a few programs) keeps
    # its own pack, so that it and the source pass do not replace each other's
    kind = "" if job.env_reads else "+".join(e.name for e in job.extractors)
    return AnalysisCache.open(ws.root, settings_fingerprint((names, job.env_reads)), kind=kind)


def _hit(job: Job[_S], cache: AnalysisCache, item: tuple[str, str]) -> FileFacts[_S] | None:
    """The cache's facts of the file (None: analyse it; a corrupt entry is a miss); a file
    no analysis runs on is not even read."""
    reader, extractors = _analyses(job, item[1])
    if reader is None and not extractors:
        return FileFacts()
    data = parsing.read_file(job.root, item[0], job.max_bytes)
    if isinstance(data, str):
        return None
    key = content_key(item[0], data)
    facts: FileFacts[_S] | None = _decoded(cache.get(key))
    if facts is None:
        cache.drop(key)
    return facts


def _encoded(facts: FileFacts[_S]) -> bytes:
    """``facts`` as :func:`envlint.cache.dumps` writes them (empty: they are not plain data)."""
    with contextlib.suppress(CodecError):
        return dumps(facts)
    return b""


def _decoded(data: bytes | None) -> FileFacts[Any] | None:
    """The facts :func:`envlint.cache.dumps` wrote as ``data`` (None: none, or unreadable)."""
    with contextlib.suppress(CodecError):
        facts = loads(data) if data else None
        return facts if isinstance(facts, FileFacts) else None
    return None


def _stored(
    cache: AnalysisCache, key: bytes | None, facts: FileFacts[_S], data: bytes = b""
) -> FileFacts[_S]:
    """``facts``, kept in the cache under ``key`` (``data``: as a worker wrote them down),
    unless the parse timed out (tried again next run) or they are not plain data."""
    if key is None or not cache.enabled or TIMEOUT_NOTE in facts.notes:
        return facts
    if payload := data or _encoded(facts):
        cache.put(key, payload)
    return facts


def _analyse_pickled(job: Job[_S], item: tuple[str, str]) -> tuple[bytes | None, bytes]:
    """:func:`_analyse` in a worker process: the cache key and the facts as
    :func:`envlint.cache.dumps` bytes (empty if they cannot be written)."""
    key, facts = _analyse(job, item)
    return key, _encoded(facts)


def _analyse(job: Job[_S], item: tuple[str, str]) -> tuple[bytes | None, FileFacts[_S]]:
    """The cache key and facts of one file.  Never raises."""
    key, found = _prefilter(job, item)
    return key, _scan(job, found, None) if isinstance(found, _Parse) else found


def _prefilter(
    job: Job[_S], item: tuple[str, str]
) -> tuple[bytes | None, FileFacts[_S] | _Parse[_S]]:
    """Read, hash (for the cache) and pre-filter one file: its facts, or the file to parse."""
    path, language = item
    reader, extractors = _analyses(job, language)
    if reader is None and not extractors:
        return None, FileFacts()
    data = parsing.read_file(job.root, path, job.max_bytes)
    if isinstance(data, str):
        return None, FileFacts(notes=(data,))
    key = content_key(path, data) if job.use_cache else None
    directive = b"envlint:" in data
    if generated(language, data):  # no config read that matters
        return key, FileFacts(directive=directive, generated=True)
    source = decode_source(data)
    if reader is not None and not any(n in source for n in reader.needles):
        reader = None
    matching = tuple((i, e) for i, e in extractors if e.matches(language, source, path))
    if not job.env_reads and not any(e.reads for _, e in matching):
        reader = None  # the reads are only for an extractor that runs on this file
    if reader is None and not matching:
        return key, FileFacts(directive=directive)
    return key, _Parse(path, language, source, directive, reader, matching)


def _analyses(
    job: Job[_S], language: str
) -> tuple[Reader[_S] | None, list[tuple[int, Extractor[Any]]]]:
    """What may run on a file of ``language``: the reader (None: its reads are not wanted) and
    the extractors, with their order."""
    extractors = [(i, e) for i, e in enumerate(job.extractors) if language in e.languages]
    scans = job.env_reads or any(e.reads for _, e in extractors)
    return (job.reader(language) if scans else None), extractors


def _scan(job: Job[_S], found: _Parse[_S], patterns: frozenset[int] | None) -> FileFacts[_S]:
    """Parse, scan and extract one pre-filtered file; ``patterns``: the reader patterns the run
    compiles for its language."""
    path, language, source, reader = found.path, found.language, found.source, found.reader
    root: Node | None = None
    if reader is None and len(found.matching) == 1:  # e.g. a file parsed only for its imports
        source, root = _head(language, source, found.matching[0][1])
    try:
        root = parsing.parse(language, source) if root is None else root
    except ParseTimeout:
        return FileFacts(notes=(TIMEOUT_NOTE,), directive=found.directive)
    if root is None:
        return FileFacts(directive=found.directive)
    notes: list[str] = []
    damaged = None
    # a part the grammar could not read matters where reads (or a needle's facts) may hide
    if root.has_error and (reader is not None or any(e.needles for _, e in found.matching)):
        damaged = partial_parse_note(path, language, source, root)
    scan: _S | None = None
    if reader is not None:
        read = partial(reader.scan, path, language, source, root, patterns)
        scan = guarded("source scan", read, reader.empty, notes.append)
    extras: list[tuple[int, tuple[object, ...]]] = []
    for order, extractor in found.matching:
        given = scan.reads if scan is not None and extractor.reads else ()
        extract = partial(extractor.extract, language, root, source, path, given)
        if facts := guarded(f"extractor {extractor.name}", extract, (), notes.append):
            extras.append((order, tuple(facts)))
    if not job.env_reads:
        scan = None  # scanned for an extractor: no rule asked for env reads
    return FileFacts(scan, tuple(extras), tuple(notes), True, found.directive, damaged)


def _head(language: str, source: bytes, extractor: Extractor[Any]) -> tuple[bytes, Node | None]:
    """The part of ``source`` the one extractor that wants the file needs (its ``head``) and
    its tree, when that prefix parses cleanly; else ``source`` and None (parse it whole)."""
    cut = extractor.head(language, source) if extractor.head is not None else len(source)
    root = parsing.tree(language, source[:cut]) if cut < len(source) else None
    return (source, None) if root is None or root.has_error else (source[:cut], root)
