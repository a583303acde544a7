"""``build_index``: every env read in the services' code (and the facts of the per-file
extractors the caller asks for), in one parse per file.

1. **Candidates**: files of ``ws.files`` in a language envlint reads
   (:mod:`envlint.filepass.languages`), not vendored, generated or a test (``is_skipped``),
   for which ``in_scope`` is true.
2. **Phase 1, per file** (:func:`envlint.filepass.run.run_pass`, one parse per file, pooled
   and cached there): the language's adapter (:func:`load_adapter`) scans the files with one of
   its ``needles``, and the extractors theirs.  A :class:`~envlint.sources.adapter.FileScan`
   holds finished reads, and helpers, constants and pending reads for the rest of the file's
   *scope*.
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

import importlib
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import cache, partial
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, cast

from envlint.filepass import parse as parsing
from envlint.filepass.damage import partial_parse_note
from envlint.filepass.languages import is_skipped, language_of
from envlint.filepass.parse import DEFAULT_MAX_BYTES, TIMEOUT_NOTE, decode_source
from envlint.filepass.run import Job, guarded, run_pass
from envlint.model import Location, Problem, ProblemKind
from envlint.servicecode._graphbase import repo_index
from envlint.servicecode.model import CodeMap
from envlint.sources.adapter import FileContext, FileScan, Helper, SourceTree
from envlint.sources.appsettings import apply_appsettings
from envlint.sources.model import EnvRead, SourceIndex

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

    from tree_sitter import Node

    from envlint.config import Settings
    from envlint.filepass.run import FileFacts
    from envlint.model import Workspace
    from envlint.sources.adapter import Pending
    from envlint.sources.appsettings import ConfigSource
    from envlint.sources.model import Extractor
    from envlint.sources.role_adapter import RoleAdapter

__all__ = ["build_index", "load_adapter"]

MAX_HELPER_DEPTH = 3  # phase 2's rounds: a wrapper of a wrapper of a wrapper


# --- the languages' adapters ------------------------------------------------------------------


# the module of each language's adapter (it exports ``ADAPTER``), below envlint.sources
ADAPTERS = {
    "go": "golang", "csharp": "csharp", "python": "python", "javascript": "javascript",
    "typescript": "javascript", "tsx": "javascript", "java": "java", "kotlin": "kotlin",
    "rust": "rust", "ruby": "ruby", "php": "php", "elixir": "elixir",
}  # fmt: skip


@cache
def load_adapter(name: str) -> RoleAdapter | None:
    """The adapter serving language ``name`` (its module imported on first use; the file
    pass's reader of the language), or None: a language envlint does not read."""
    if name not in ADAPTERS:
        return None
    return cast("RoleAdapter", importlib.import_module(f"envlint.sources.{ADAPTERS[name]}").ADAPTER)


# --- the index: phase 1 through the file pass, then phases 1b, 2 and 4 ----------------------


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
            data = parsing.read_file(self.tree.root, path, self.max_bytes)
            if isinstance(data, str):
                self.note(path, data)
            self.sources[path] = None if isinstance(data, str) else decode_source(data)
        return self.sources[path]

    def context(self, language: str, path: str, quiet: bool = False) -> FileContext | None:
        """The file parsed once for phases 1b, 2 and 4; ``quiet``: a look for its imports or
        constants only (not counted as parsed and no notes, until a call that is not quiet)."""
        source = self.source(path)
        if source is None:
            return None
        if path not in self.trees:
            self.trees[path] = parsing.tree(language, source)
        if (root := self.trees[path]) is None:
            if not quiet:
                self.note(path, TIMEOUT_NOTE)
            return None
        if not quiet and path not in self.parsed:
            self.parsed.add(path)
            if root.has_error:  # phase 1's note again, or one for a part it did not parse
                self.problems.append(partial_parse_note(path, language, source, root))
        return FileContext(path, language, source, root, self.patterns.get(language))


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
    job = Job(str(ws.root), limit, load_adapter, tuple(extractors), env_reads)
    found, patterns = run_pass(job, ws, settings, candidates)

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


# --- phase 1b: files that import another file's reader object ------------------------------


def _importers(
    run: _Run, candidates: Sequence[tuple[str, str]], found: list[FileFacts[FileScan]]
) -> list[FileFacts[FileScan]]:
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
        ctx = run.context(language, path, quiet=True)
        if ctx is not None:
            scan = partial(adapter.scan_importer, ctx, given, run.tree)
            again = guarded("source scan", scan, None, partial(run.note, path))
            if again is not None:  # the tree is counted as parsed and noted, as phase 2 would
                run.context(language, path)
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
    run: _Run, adapter: RoleAdapter, language: str, paths: Iterable[str], quiet: bool = False
) -> dict[str, str]:
    """The constants ``adapter.constants`` finds in ``paths`` (first wins)."""
    found: dict[str, str] = {}
    for path in paths:
        ctx = run.context(language, path, quiet)
        if ctx is not None:
            scan, note = partial(adapter.constants, ctx), partial(run.note, path)
            constants: Mapping[str, str] = guarded("source scan", scan, {}, note)
            for name, value in constants.items():
                found.setdefault(name, value)
    return found


def _resolve_scope(run: _Run, adapter: RoleAdapter, language: str, key: str, scope: _Scope) -> None:
    # Constants defined in files of the scope that phase 1 did not scan (no env read there).
    wanted = {p.name_const for p in scope.pending if p.name_const} - scope.constants.keys()
    if wanted:
        unscanned = [p for p, scanned in scope.paths.items() if not scanned]
        more = _constants(run, adapter, language, _mentioning(run, unscanned, wanted))
        scope.constants = more | scope.constants  # the scanned files' constants first

    # Phase 2: call sites of helpers, one more level per round.
    fresh = list(scope.helpers.values())
    for _ in range(MAX_HELPER_DEPTH):
        if not fresh:
            break
        helpers = {h.name: h for h in fresh}
        fresh = []
        for path in _mentioning(run, scope.paths, helpers):
            ctx = run.context(language, path)
            if ctx is not None:
                call = partial(adapter.scan_calls, ctx, helpers)
                scan = guarded("helper call scan", call, FileScan(), partial(run.note, path))
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
        run.scope_constants[(language, key)] = _constants(run, adapter, language, paths, True)
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
