"""The facts a language's adapter returns.

How the pass calls an adapter is described in :mod:`envlint.sources.index`.  Every language
is a :class:`~envlint.sources.role_adapter.RoleAdapter` over its role query (README, "Adding a
language"), imported only when a file of the language is present.  An adapter classifies by
context, never by name (:data:`~envlint.sources.model.Missing`); still reports what it finds in
a tree with ``ERROR`` nodes and never raises; keeps values out of reads except ``default`` (code
text); and returns facts in source order, with no global mutable state besides the per-process
caches of compiled queries, grammars and parsers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

from envlint.model import Location

if TYPE_CHECKING:
    from collections.abc import Mapping

    from tree_sitter import Node

    from envlint.servicecode._graphbase import Repo
    from envlint.sources.appsettings import ConfigSource
    from envlint.sources.model import EnvRead

__all__ = ["FileContext", "FileScan", "Helper", "Pending", "SourceTree"]


@dataclass(frozen=True, slots=True)
class FileContext:
    """One parsed file as an adapter sees it."""

    path: str  # relative to the checked root, with "/"
    language: str  # the language name from ``languages.LANGUAGES`` ("go", "csharp", "tsx"...)
    source: bytes  # the file's bytes as parsed (offsets of nodes index into it)
    root: Node  # the tree's root node (may contain ERROR nodes)
    patterns: frozenset[int] | None = None  # the run's patterns (``adapter.patterns``; None: all)
    # dotted names bound to another file's ``@export`` -> what they are (``Roles`` imported)
    imported: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True, slots=True)
class Helper:
    """A function other files of the same scope may call (resolved across files; shared per
    scope, so two of one name in two Go packages do not clash).

    ``kind="wrapper"``: the variable name is the call's argument ``name_arg`` (a parameter of
    the innermost function around the read: a closure ends the search); ``template`` is the read
    as classified inside the helper (``name`` is ``""``); ``default_arg`` is the argument
    holding a fallback value (``getEnv(key, fallback)``), if any; each by position and name
    (``"1 fallback"``: the second positional argument, or ``fallback=``).  Each call site is a
    read (``via`` = the helper's name) with its own context layered on the template (a default
    argument, ``int(...)`` around the call).

    With ``fields`` (each field's name and read), the helper is a class whose instantiation
    reads each of these variables (pydantic-settings ``BaseSettings``): each call site is a read
    of each field (:meth:`RoleAdapter._instance`).  A call in a file that defines a class or
    function of that name itself makes that one (the fields of its own settings class, else
    none); where two files of a scope define such a class, a call in a third file reads neither
    (envlint does not tell which of the two it imports).

    ``kind="error"``: a function that returns an env failure as an error value; a call site that
    exits on that error makes the pending reads with ``fails_via == name`` crashes.
    """

    name: str
    kind: Literal["wrapper", "error"]
    template: EnvRead | None = None
    name_arg: str = "0"
    default_arg: str | None = None
    returns_error: bool = False  # the wrapper reports a missing variable as an error value
    absent: str = "null"  # what a call gives for a missing variable (classify's ``absent``)
    fields: tuple[tuple[str, EnvRead], ...] = ()  # a class's fields (``template`` is None)

    @property
    def is_class(self) -> bool:
        """Whether the helper is a class whose instances read its ``fields``."""
        return self.kind == "wrapper" and self.template is None


@dataclass(frozen=True, slots=True)
class Pending:
    """A read that needs facts from other files of its scope before it is final.

    ``name_const``: the read's name is that constant (not one of its own file), looked up in the
    scope's :attr:`FileScan.constants` (``read.name`` is ignored); ``prefix``/``suffix`` wrap it
    (``prefix + "_HOST"``); ``const_in``: it lives in the other scope this reference names (Go:
    its package's import path), which :meth:`RoleAdapter.locate` maps to a scope.
    ``fails_via``: the read's failure is returned as an error by that function; the read becomes
    ``missing="crash"`` (``crash_location`` = the exiting call site) when a caller exits on it,
    otherwise it keeps ``read.missing``; ``empty_fails``: so does a set-but-empty value
    (``on_empty``).
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
    # error helpers (by name) whose call in this file is followed by an exit, at that call
    exits: tuple[tuple[str, Location], ...] = ()
    # (error helper, function): the helper's error is handed on to that function's callers
    # (``if err := initDB(); err != nil { return err }`` in ``run``), an error helper itself
    forwards: tuple[tuple[str, str], ...] = ()
    dynamic: int = 0  # reads whose name could not be resolved at all (dropped)
    # ``@export``: top-level names bound to a reader object other files may import -> what
    # they are bound to (``{"env": "environ.Env()"}``)
    exports: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    # configuration files the file's code adds (C# ``AddJsonFile("yarp.json")``), in order
    config_sources: tuple[ConfigSource, ...] = ()


@dataclass(frozen=True, slots=True)
class SourceTree:
    """The checked tree as :meth:`RoleAdapter.locate` sees it: its root and every file in it, and
    the service-code model's index of them (one per run: its directories, build files read
    once), for resolving a module or package a file names."""

    root: str
    paths: tuple[str, ...]  # sorted
    repo: Repo
