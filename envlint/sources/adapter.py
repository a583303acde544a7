"""The per-language adapter protocol and the tree-sitter helpers every adapter shares.

How source analysis runs (``envlint.sources.index.build_index``)
================================================================

1. **Pick files.**  Every file in ``ws.files`` under some service's ``source_dir`` whose extension
   names a language (``envlint.sources.languages``) and that is not vendored, generated or a test
   (``languages.is_skipped``) and not larger than ``max_bytes``.
2. **Pre-filter.**  The file's bytes are searched for the adapter's ``needles`` (and every
   :class:`~envlint.sources.model.Extractor`'s needles).  No needle: the file is not parsed.
3. **Phase 1 — scan.**  The file is parsed once; the tree goes to ``adapter.scan(ctx)`` (if one of
   the adapter's needles matched) and to every matching extractor.  ``scan`` returns a
   :class:`FileScan`: finished reads, plus facts that need other files of the same *scope*
   (helpers, constants, pending reads).
4. **Phase 2 — helper call sites.**  Per ``(language, scope)``, when phase 1 found helpers
   (wrapper functions such as ``mustMapEnv(&x, "X")``, or functions whose error carries an env
   failure), every file of that scope that mentions a helper's name (byte search) is handed to
   ``adapter.scan_calls(ctx, helpers)``.  It returns reads at the call sites, *new* helpers (a
   function that passes its parameter on to a known wrapper: a second level of wrapping) and the
   names of error helpers whose call is followed by an exit.  This repeats while new helpers
   appear (at most ``MAX_HELPER_DEPTH`` rounds).
5. **Resolve.**  :class:`Pending` reads get their name from the scope's constant table and their
   class from the exit facts; unresolvable names are counted as dynamic.  Reads are sorted by
   location and mapped to every service whose ``source_dir`` holds their file.

Writing an adapter
==================

Create ``envlint/sources/<module>.py`` exporting ``ADAPTER``, an object satisfying
:class:`Adapter`, and make sure ``languages.LANGUAGES`` names the module for your language(s);
the module is imported only when a file of that language is present.  Every language shipped
is a :class:`~envlint.sources.role_adapter.RoleAdapter` over its role query
(``queries/<language>.scm``) and the shared classifier (:mod:`envlint.sources.classify`); the
README's "Adding a language" walks through one.

Rules of the road for adapters:

* **Classify by context, never by name.**  ``missing`` is what happens when the variable is
  unset: ``"crash"`` (throw/panic/exit/KeyError at that point, or the enclosing code path exits),
  ``"default"`` (a fallback value; put its source text in ``default``), ``"empty"`` (the code goes
  on with null/""/0) or ``"unknown"``.  ``on_empty`` is the same for ``X=`` (set but empty).
  ``expected_type`` is the type the value is parsed as (``int`` for ``int(...)``,
  ``strconv.Atoi``, ``int.Parse``...).  ``crash_location`` points at the throw/panic/exit.
* **Wrappers.**  A function whose parameter flows into the env read is not a read: return a
  :class:`Helper` (``kind="wrapper"``) with ``template`` = the read classified inside the helper
  (name ``""``) and ``name_param`` = the parameter index.  ``scan_calls`` turns each call site
  into a read (``via`` = helper name), layering the call-site context on the template (a default
  argument at ``default_param``; ``int(...)`` around the call).  Helpers are looked up per
  ``scope`` (Go: the directory = package), so two helpers with one name in two packages do not
  clash.  A closure ends the search for the parameter.
* **Errors carried by return values.**  A read whose failure is ``return err`` becomes a
  :class:`Pending` with ``fails_via`` = the enclosing function name (plus a ``kind="error"``
  helper); it is a crash if any call site of that function exits on the error, or hands it on
  (``FileScan.forwards``) to a function whose callers exit on it.
* **Constants of other scopes.**  A name that is another scope's constant (Go's
  ``constants.RedisURL``) is a :class:`Pending` with ``const_in`` = the reference as written
  (the import path); an adapter that also implements :class:`Locates` maps it to the scope
  whose files hold the constant, read whatever service they belong to.
* **Names.**  A literal name is final; an identifier is resolved through same-file constants
  first, then :attr:`FileScan.constants` of the whole scope (return a :class:`Pending` with
  ``name_const``); concatenations become patterns (``is_pattern=True``, unknown parts ``*``).
  A name that resolves to nothing is dropped and counted in ``FileScan.dynamic``.
* **Never raise.**  Trees may contain ``ERROR`` nodes: still report what you find.  Keep values
  out of reads except ``default`` (code text, not env values).
* **Deterministic.**  Return facts in source order; no global mutable state besides the
  per-process caches of compiled queries (``classify.load_query``) and in ``languages``
  (Language/Parser).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal, Protocol, runtime_checkable

from envlint.model import Location

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    from tree_sitter import Node, Query

    from envlint.sources.model import EnvRead

__all__ = [
    "MAX_HELPER_DEPTH",
    "Adapter",
    "FileContext",
    "FileScan",
    "Helper",
    "Locates",
    "Pending",
    "SourceTree",
    "location",
    "matches",
    "span",
]

MAX_HELPER_DEPTH = 3  # wrapper of a wrapper of a wrapper


@dataclass(frozen=True, slots=True)
class FileContext:
    """One parsed file as an adapter sees it."""

    path: str  # relative to the checked root, with "/"
    language: str  # the language name from ``languages.LANGUAGES`` ("go", "csharp", "tsx"...)
    source: bytes  # the file's bytes as parsed (offsets of nodes index into it)
    root: Node  # the tree's root node (may contain ERROR nodes)
    scope: str  # ``adapter.scope(path)``
    # the role patterns the run compiles for its files of this language (``Adapter.patterns``,
    # indices into the language's role query; None: all)
    patterns: frozenset[int] | None = None


@dataclass(frozen=True, slots=True)
class Helper:
    """A function other files of the same scope may call (resolved across files).

    ``kind="wrapper"``: the variable name is the call's argument ``name_param``; ``template`` is
    the read as classified inside the helper (``name`` is ``""``); ``default_param`` is the
    argument holding a fallback value (``getEnv(key, fallback)``), if any; which calls reach it
    is the adapter's business (a :class:`~envlint.sources.role_adapter.Spec`'s ``call_keys``).

    ``kind="error"``: a function that returns an env failure as an error value; a call site that
    exits on that error makes the pending reads with ``fails_via == name`` crashes.
    """

    name: str
    kind: Literal["wrapper", "error"]
    location: Location
    template: EnvRead | None = None
    name_param: int = 0
    default_param: int | None = None
    returns_error: bool = False  # the wrapper reports a missing variable as an error value
    params: tuple[str, ...] = ()  # parameter names, for named arguments at call sites
    absent: str = "null"  # what a call gives for a missing variable (classify's ``absent``)


@dataclass(frozen=True, slots=True)
class Pending:
    """A read that needs facts from other files of its scope before it is final.

    ``name_const``: the read's name is the constant of that name (``read.name`` is ignored).
    ``fails_via``: the read's failure is returned as an error by that function; the read becomes
    ``missing="crash"`` (``crash_location`` = the exiting call site) when a caller exits on it,
    otherwise it keeps ``read.missing``.  ``prefix``/``suffix`` wrap a resolved constant (for
    concatenations such as ``prefix + "_HOST"`` with one constant part).  ``empty_fails``: the
    error is also returned for a set-but-empty value (``on_empty`` becomes ``"crash"`` too).
    ``const_in``: the constant lives in another scope, named by this reference (Go: the import
    path of its package), which the adapter's :meth:`Locates.locate` maps to a scope.
    """

    read: EnvRead
    name_const: str | None = None
    fails_via: str | None = None
    empty_fails: bool = False
    prefix: str = ""
    suffix: str = ""
    const_in: str = ""


@dataclass(frozen=True, slots=True)
class FileScan:
    """What an adapter found in one file."""

    reads: tuple[EnvRead, ...] = ()
    helpers: tuple[Helper, ...] = ()
    pending: tuple[Pending, ...] = ()
    # top-level constants of the file that other files of the scope may use (name -> value)
    constants: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    # error helpers (by name) whose call in this file is followed by an exit, with the location
    # of the exiting call
    exits: tuple[tuple[str, Location], ...] = ()
    # (error helper, function): the helper's error is handed on to that function's callers
    # (``if err := initDB(); err != nil { return err }`` in ``run``), an error helper itself
    forwards: tuple[tuple[str, str], ...] = ()
    dynamic: int = 0  # reads whose name could not be resolved at all (dropped)


class Adapter(Protocol):
    """One language family's env-read finder.  See the module docstring."""

    @property
    def languages(self) -> frozenset[str]:
        """Language names this adapter handles (keys of ``languages.LANGUAGES``)."""
        ...

    @property
    def needles(self) -> tuple[bytes, ...]:
        """Byte strings of which at least one must occur in a file for it to be scanned."""
        ...

    def scope(self, path: str) -> str:
        """The scope key helpers and constants are shared in (Go: the file's directory)."""
        ...

    def patterns(self, language: str, source: bytes) -> frozenset[int]:
        """The patterns of the language's role query that can match in ``source``: a run
        hands the union over its files to each :class:`FileContext` (``patterns``), so that
        only those are compiled."""
        ...

    def scan(self, ctx: FileContext) -> FileScan:
        """Phase 1: direct reads, helper definitions, constants, pending reads."""
        ...

    def scan_calls(self, ctx: FileContext, helpers: Mapping[str, Helper]) -> FileScan:
        """Phase 2: reads at call sites of ``helpers`` (keyed by name), new wrapper helpers,
        exits after error-helper calls.  Must not repeat phase-1 reads."""
        ...


@runtime_checkable
class Locates(Protocol):
    """An adapter whose names may refer to constants of other scopes (``Pending.const_in``)."""

    def locate(self, ref: str, path: str, tree: SourceTree) -> str | None:
        """The scope that ``ref``, as written in the file ``path``, names in ``tree`` (None
        when it is not in the tree)."""
        ...


@dataclass(frozen=True, slots=True)
class SourceTree:
    """The checked tree as :meth:`Locates.locate` sees it: its root and every file in it."""

    root: str
    paths: tuple[str, ...]  # sorted


# --- tree-sitter helpers ------------------------------------------------------------------


def matches(query: Query, node: Node) -> Iterator[tuple[int, dict[str, list[Node]]]]:
    """``QueryCursor(query).matches(node)`` as an iterator (pattern index, captures)."""
    from tree_sitter import QueryCursor

    yield from QueryCursor(query).matches(node)


def _column(source: bytes, byte_offset: int, row_start: int) -> int:
    return len(source[row_start:byte_offset].decode("utf-8", "replace")) + 1


def location(ctx: FileContext, node: Node) -> Location:
    """The node's span as a 1-based Location (columns count characters, not bytes)."""
    return span(ctx.path, ctx.source, node)


def span(path: str, src: bytes, node: Node) -> Location:
    """:func:`location` for a tree without a :class:`FileContext` (``src``: the parsed bytes)."""
    start_line_at = src.rfind(b"\n", 0, node.start_byte) + 1
    end_line_at = src.rfind(b"\n", 0, node.end_byte) + 1
    return Location(
        path=path,
        line=node.start_point.row + 1,
        column=_column(src, node.start_byte, start_line_at),
        end_line=node.end_point.row + 1,
        end_column=_column(src, node.end_byte, end_line_at),
    )
