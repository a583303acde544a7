"""The one classifier: what a program does when an environment variable is missing or empty.

Every language is data: a query file (``queries/<language>.scm``) whose captures name *roles*,
and a :class:`Grammar` table (node types, a few hooks).  This module walks from a read outward
over those roles, the same way for every language, and keeps the flow-sensitive steps (a holder
variable tested a few statements later) written once.

Roles (capture names; ``anchor.part``; ``#set!`` properties in brackets)
==========================================================================

``@read (.name, .default, .crash) [api, missing, on_empty, type, results]``
    an environment read; ``missing``/``on_empty``: what the read itself does (``KeyError``:
    ``crash``, at ``.crash`` when given: ``Dotenv.require_keys("X")`` raises at the call);
    ``.default``: a default argument (``getenv("X", "d")``; the null literal is none, an
    ``@exit`` a crash there: ``ENV.fetch("X") { raise }``); ``results``: *Holders* below
    (``v, ok := os.LookupEnv("X")``: ``"value present"``).
``@fallback (.value, .default) [empty: defaults | keeps, blocks, default, parsed]``
    ``v ?? d``, ``v || d``, ``v or d``: the missing path gets the default, a crash when it is an
    ``@exit`` or a block whose ``@exit`` always runs (a block without one, or a fallback that is
    a statement but the last of its block, Kotlin ``when (v) { null -> log() }``, decides
    nothing); ``empty=defaults``: ``""`` takes the default too (``||``, ``or``), ``keeps``: it
    passes (``??``); ``blocks=value``: a block without an exit is a value (Rust's ``|_| {..}``);
    ``default``: the default's text without a ``.default`` part (Rust's ``unwrap_or_default()``:
    ``""``), ``parsed`` instead after a ``joins`` step (``0``).
``@parse (.value) [type, missing, on_empty, stop, joins, results, fails]``
    a parse, conversion or guard call over the value (``int.Parse``, ``int()``, ``Number()``,
    ``ThrowIfNull``): sets the expected type and what happens on missing/empty (``crash``,
    ``default``, ``empty``, ``unknown``, ``error``; absent: no change); ``stop``: the value goes
    no further.  ``results="value error"``: the parse reports its failure as an error result
    (Go's ``n, err := strconv.Atoi(v)``) on the paths ``fails`` names (``missing`` | ``empty``
    | ``both``, the default): how that error is handled decides those paths.
``@method (.object, .safe, .param, .body) [null: crash, type, through, joins, missing, on_empty]``
    a method called on the value (``v.lower()``): calling it on null crashes (``null=crash``);
    ``through``: the result is still the value (``strip``, ``trim``); ``missing``/``on_empty``
    as for ``@parse`` (Kotlin ``ifEmpty { d }``: ``.default`` is the value a ``default``
    gives).  ``.safe`` (``v?.m()``): on null the method does not run, nothing happens on the
    missing path; with ``Grammar.safe_chains`` (JS) nor does the rest of the chain
    (``v?.trim().replace(a, b)`` is null when ``v`` is): the missing path goes on through every
    method of the chain, the empty path stops at one that is not ``through``.  ``.param`` and
    ``.body``: a function literal the present value is handed to (Rust's ``.map(|v|
    v.parse().unwrap())``): the climb from the parameter's first ``@parse``/``@method`` use in
    the body gives the type and decides the empty path, and a ``joins`` there joins here
    (``.and_then(|v| v.parse().ok())``).
``absent`` (``@read``, ``@parse``; ``@fallback``, ``@test``)
    what the value is when the variable is missing: ``null`` (the default), or another value
    (PHP's ``getenv`` gives ``false``; after a conversion ``none``: never null).  On a
    ``@read``/``@parse`` it is what its result holds (:class:`Holder`); a ``@fallback`` or
    ``@test`` with it sees the missing path only in a value whose ``absent`` is that one (PHP
    ``getenv("X") ?? d`` does nothing, ``$v === false`` tests ``getenv``'s missing path and not
    ``$_ENV``'s).  A ``null=crash`` ``@method`` does not crash on a value whose ``absent`` is
    ``none``, and a ``through`` one keeps it (``str(os.getenv("X")).lower()`` runs on ``"None"``).
``type`` with ``typed=joined`` (any role): the type applies only after a ``joins`` step (Rust's
    ``let x: u16 = ..``, ``fn f() -> u16``: the declared type is a parse's, not a match's).
``joins`` (``@parse``, ``@method``): ``missing`` when from here on an empty value takes the
    missing path (``.filter(s -> !s.isEmpty())``, ``takeIf { it.isNotBlank() }``), ``empty``
    when a missing value becomes ``""`` (Kotlin ``orEmpty()``): later decisions for the joined
    path are those of the path it joined.
``@test (.subject, .key) [fires: missing | empty | both | failed, negated, partial, null]``
    a condition that is true when the subject is missing / empty (``negated``: when present;
    ``partial``: only false when missing, present decides nothing: JS ``v?.includes("x")``);
    ``.key`` names the variable instead of holding its value (``"X" not in os.environ``);
    ``failed``: true when an error holder holds an error (``err != nil``); ``null=crash``:
    evaluating it on a null subject crashes (Kotlin ``v.isEmpty()``), when it is the whole
    condition.
``@not (.operand)``, ``@or (.left, .right)``, ``@and (.left, .right)``
    negation, disjunction and conjunction of tests (a conjunction only of tests that are true
    when the subject is present); a ``@not`` of the subject itself is a truthiness test
    (``if not v``, ``if (!v)``), and with ``Grammar.truthy`` so is the subject alone (``if v:``).
``@if (.init, .test, .then, .else) [negated, value, chain]``
    a conditional statement (``unless``: ``negated``); ``.init`` a statement run first whose
    holders the test may check (Go's ``if v := os.Getenv("X"); v == "" {...}``); ``value``: a
    conditional expression whose branches are values (``a if c else b``: in a statement after a
    holder's assignment, the branch a missing holder takes is its default, ``t = v == null ? d :
    f(v)``, unless that branch uses the holder itself); ``chain``: the path
    where the test is false goes through conditions the walk does not follow (``elif``),
    nothing is decided there.  With ``Grammar.branch_values`` (Elixir) an ``@if`` whose value is
    used (assigned, or the last statement of its function) gives the missing path its branch's
    last expression (``if v, do: v, else: default``).
``@assert (.test)``
    a statement that crashes when its test is false (``assert v``, ``require(v != null)``).
``@assign (.target, .value) [missing, on_empty]``
    binds values to holder variables (declarations and assignments); ``missing``/``on_empty``
    as for ``@parse`` (Kotlin ``val x: String = v`` checks a platform value for null).  Several
    targets and values (``a, b := x, y``) pair by position; one value with several targets is a
    call with several results, bound by the value's ``results`` (an ``error`` result binds the
    last target, the others bind by position).  A target named like ``Grammar.discard`` (``_``)
    drops its value: a dropped error leaves the zero value (``empty``) on its paths.
``@exit (.subject)``
    a crash: ``throw``, ``raise``, ``panic()``, ``os.Exit()``, ``process.exit()``...; with a
    ``.subject``, a guard that throws only when its argument is missing (C# ``ThrowIfNull(x)``):
    a certain crash only where ``.subject`` is the value tested (or a holder of it).
``@return (.value)``
    in a branch on the missing path, a returned value that is not a holder is a default the
    caller gets (``Grammar.return_defaults``).
``@fail``
    a return that hands an error to the caller (Go's ``return nil, err``): on the missing path
    of a ``returns="error"`` ``@function``, the outcome is ``error``.
``@try (.body, .handler, .default) [caught]``
    a crash inside the body (without a ``.body``: the anchor's children before its first
    handler, Ruby ``def ... rescue ... end``) is not a crash when no handler exits or rethrows;
    ``caught`` says what it becomes instead of ``unknown`` (``default``: ``.default``'s value,
    ``empty``, ``crash``: still a crash).  A body that is a function literal run in place
    (Kotlin ``runCatching { }``) is followed out of the function.
``@function (.name, .param) [returns: error, errors: crash]``
    a function or method: the scope a wrapper's parameter lives in (with
    ``Grammar.functions_by_role`` its anchor is a scope whatever its node type: Elixir ``def``);
    ``returns="error"``: it reports failures as an error result (Go's last result ``error``,
    Rust's ``Result``); ``errors="crash"``: an ``error`` handed to its caller ends the process
    (Rust's ``main``: a crash where it is decided).
``@call (.name, .receiver, .arg or .args)``
    any call: the call sites of wrapper helpers; ``.args`` (the argument list) instead of one
    ``.arg`` per argument keeps the query from reporting a match per argument.
``@const (.name, .value) [scope: file]``
    a constant string (``const string X = "..."``), shared with the files of the scope
    (``scope="file"``: visible in its file only, e.g. a function-local constant).
``@string (.text, .hole) [trim]``
    a string literal: its literal pieces and its interpolations (a pattern name); ``trim`` how
    its text becomes its value (:func:`_trim`).
``@concat (.left, .right)``
    string concatenation in a name (a constant in it keeps the literal text around it:
    ``"P_" + X + "_Y"``).
``@ignore``
    a node whose reads are not reads (an assignment target ``os.environ["X"] = v``).
``@provide (.key, .value, .holder) [key: name, empty: defaults | keeps]``
    a write of the variable ``.key`` names (``os.environ["X"] = v``, ``setdefault``): a later
    read of it gets ``.value`` as a default (``empty=defaults``: for ``""`` too, the write
    replaces it); ``key=name``: ``.key`` is the name itself (``update(X=v)``).  With
    ``.holder``, the default of a reader object (``env = environ.Env(X=(int, 5))``): every read
    through that object (``env("X")``, in any function of the file) gets it.
``@holder (.name) [api]``
    binds ``.name`` to the environment object (``const env = process.env``): its uses in the
    rest of the block are reads (:meth:`~envlint.sources.role_adapter.RoleAdapter._holders`).
``@config_source (.method, .path)``
    a call adding a configuration file (C# ``AddJsonFile("yarp.json")``; no ``.path``: one
    envlint cannot read), for :mod:`~envlint.sources.appsettings`.
``@import (.name, .module, .alias, .call)``
    binds a local name: ``import os as o`` (``o`` -> ``os``), ``from os import environ``
    (``environ`` -> ``os.environ``), ``env = Env()`` (``.call``: ``env`` -> ``environs.Env()``
    when ``Env`` is bound to ``environs.Env``).  Without ``.alias`` or ``.module`` the name
    bound is ``Grammar.import_name(name)`` (Go: ``"github.com/caarlos0/env/v11"`` binds
    ``env``); ``goos "os"`` is ``.alias`` ``goos`` for ``.name`` ``os``.
``@export (.name)``
    a name a module binds at its top level to a reader object (``bind`` naming the constructors;
    Python's ``env = environ.Env()``): a file that imports it (resolved by ``Spec.import_target``)
    has that name bound the same way, unless it binds the name itself anywhere
    (:meth:`~envlint.sources.role_adapter.RoleAdapter.scan_importer`).

The ordering walker (:mod:`envlint.ordering.roles`, queries ``ordering-<language>.scm`` for what
happens inside a function and ``ordering-<language>-file.scm`` for the file) shares this
vocabulary (``@function`` also with ``.params``/``.body``, ``@try`` with ``.param``/``.finally``,
``@if`` with several ``.else``, ``@import`` with ``.module`` only) and adds: ``@await``
(``.value``), ``@loop`` (``.body``), ``@switch`` (``.arm``), ``@class`` (``.name``),
``@producer`` (``.name``: a variable created or declared as a Kafka producer), ``@log`` (a call
that only writes a log line) and ``@callback`` (``.value``: a delivery callback handed to a
client call).

``bind`` (any role; part ``.bind``) and how one anchor's matches merge are the role
matcher's (:mod:`envlint.filepass.roles`): ``(#set! bind "os.environ")`` accepts ``os.environ``,
``_os.environ`` and ``ENV`` after ``from os import environ as ENV``, and rejects a local
``environ = {}``.
A family of grammars shares one query file; :func:`load_query` appends the files only some of
them compile (``Spec.dialects``: TypeScript parameter lists in ``javascript-ts.scm``); the
:class:`Grammar` fields say what else differs (``typed``, ``name_types``, ``empty_truthy``...).

The walk (:meth:`Walk.classify`, after :meth:`Walk.guard`) climbs from the read through the
grammar's transparent wrappers; at each step the first match holding the current node as a part
decides the next one (:meth:`Walk._step`).  The first decision for each path wins, as in the
program: once a default is given, a later check never sees ``None``.  An exit, assignment or
return decides a branch only when it runs whenever the branch runs; an exit under a further
condition makes the path ``unknown``.

Holders and outcomes
====================

A value bound to a variable makes it a *holder* of one of three kinds: ``value``, ``present``
(a flag true when the variable is set: ``ok`` of ``os.LookupEnv``) and ``error`` (an error
result, non-nil on the paths it ``fails`` on).  Tests apply by kind: ``v == ""`` to values,
``!ok`` / ``ok`` to flags (true on the missing path only), ``err != nil`` (``fires="failed"``)
to errors.  A holder is named by its identifier, as a field with ``Grammar.self_prefix`` (Java's
``this.v``) and as a path of a ``Grammar.holder_paths`` type (Go's ``cfg.Port``, ``m["k"]``);
its later uses are followed in the ``Grammar.later_uses`` roles.

Besides ``crash``, ``default``, ``empty`` and ``unknown``, a path may end in ``error``: the
failure is handed to the caller of the enclosing function (a ``@fail`` return; a ``@parse``
with ``missing="error"``, as Rust's ``?``).  The read is then ``empty`` where it is
(``Grammar.unhandled`` for an error a property decides), and the adapter makes it pending on
its function's callers (``Pending.fails_via``).  An error a property decides outside any
``@function`` (a closure) is ``unknown``.  A call of such a function gives its caller an error
holder, or with ``Grammar.error_calls="value"`` the value itself, whose missing path is the
failure (Rust's ``load()?.expect(..)``, ``if let Err(e) = load()``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache, partial
from importlib import resources
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal, TypeVar

from envlint._queries import Pattern, split, subset
from envlint.filepass.roles import Match, Roles, below, lineage
from envlint.sources.model import EnvRead

if TYPE_CHECKING:
    from tree_sitter import Node, Query

    from envlint.model import Location
    from envlint.sources.model import Missing, ValueType

    Outcome = Missing | Literal["error"]

__all__ = [
    "VALUE",
    "Cls",
    "Grammar",
    "Holder",
    "Match",
    "Roles",
    "Walk",
    "joined",
    "layout_of",
    "load_query",
    "role_patterns",
]

_VALUE_TYPES = frozenset({"string", "int", "float", "bool", "duration", "url"})
_OUTCOMES = frozenset({"crash", "default", "empty", "unknown", "error"})


@cache
def role_patterns(file: str, *more: str) -> tuple[Pattern, ...]:
    """The patterns of ``queries/<file>.scm`` followed by those of ``more`` (once per process)."""
    queries = resources.files("envlint.sources").joinpath("queries")
    return split("".join(queries.joinpath(f"{name}.scm").read_text() for name in (file, *more)))


@cache
def load_query(language: str, file: str, *more: str, keep: frozenset[int] | None = None) -> Query:
    """The compiled role query of :func:`role_patterns` for ``language`` (once per process); with
    ``keep``, only the patterns it names (see :mod:`envlint._queries`)."""
    from tree_sitter import Query

    from envlint.filepass.languages import load_language

    grammar = load_language(language)
    if grammar is None:
        raise LookupError(f"no grammar for {language}")
    patterns = role_patterns(file, *more)
    every = frozenset(range(len(patterns)))
    return Query(grammar, subset(patterns, every if keep is None else keep))


@dataclass(frozen=True)
class Grammar:
    """What the walk needs to know of a language besides its query: node types and options
    (those the module docstring names are described there)."""

    language: str
    transparent: frozenset[str]  # wrappers the value passes through: parentheses, arguments...
    functions: frozenset[str]  # node types that start a new scope (functions, lambdas)
    blocks: frozenset[str]  # node types whose named children are statements
    statement_wrappers: frozenset[str] = frozenset()  # C# global_statement, ...
    # statements whose block runs in place when reached, followed into (Kotlin ``init { }``)
    in_place: frozenset[str] = frozenset()
    scan_limit: int = 60  # statements after an assignment searched for checks of the holder
    empty_alone_defaults: bool = False  # `if v == "": v = d` defaults "" alone (Python)
    return_defaults: bool = True  # a `return x` (x not the holder) on the missing path: default
    # whether a ``transparent`` node is one here (C#: a postfix ``!`` only)
    transparent_when: Callable[[Node, Roles], bool] | None = None
    truthy: bool = False  # a value is a test by itself: `not v`, `if v:` (missing or empty)
    nulls: frozenset[str] = frozenset()  # the null literal: no default (`getenv("X", None)`)
    null_words: frozenset[str] = frozenset()  # identifiers that are null (Kotlin's `null`)
    keyword_argument: str = ""  # the node type of `f(key="X")`, fields `name` and `value`
    # roles whose use of a holder in a later statement is followed (Java ``v != null ? v : d``)
    later_uses: frozenset[str] = frozenset({"parse"})
    self_prefix: str = ""  # a holder field is also named with this prefix (Java's ``this.``)
    functions_by_role: bool = False  # any ``@function`` anchor is a scope (an Elixir ``def``)
    branch_values: bool = False  # an `if` is an expression (Elixir)
    typed: frozenset[str] = frozenset()  # wrappers with a type after the value (TS `v as T`)
    # identifiers that are a variable's name by themselves (JS `process.env.X`, `{ X } = ...`)
    name_types: frozenset[str] = frozenset()
    # an argument left out is null (JS): a wrapper's parameter without a declared default
    # gives no default when the call site leaves it out
    optional_args: bool = False
    holder_paths: frozenset[str] = frozenset()  # node types naming a holder (Go: ``cfg.Port``)
    import_name: Callable[[str], str] | None = None  # Go: a package path's last element
    discard: frozenset[str] = frozenset()  # assignment targets that drop their value (Go: _)
    empty_truthy: bool = False  # only nil is falsy (Ruby): `if v`, `not v` test the missing path
    # a read written again in the condition that tests it is the same subject (Ruby
    # `ENV["A"].nil? || ENV["A"].empty?` decides both paths for each of the two reads)
    repeated_reads: bool = False
    unhandled: Missing = "empty"  # Go: the zero value; Rust: ``unknown`` (caller gets an Err)
    error_calls: Literal["error", "value"] = "error"  # Go's ``err``; ``value``: Rust's Result
    safe_chains: bool = False  # JS ``v?.trim().replace(a, b)``; not Ruby's ``&.``


HolderKind = Literal["value", "present", "error"]


@dataclass(frozen=True, slots=True)
class Holder:
    """What a variable bound from a value stands for (module docstring, *Holders*)."""

    kind: HolderKind = "value"
    fails: tuple[bool, bool] = (True, True)  # an error's paths: (missing, empty)
    absent: str = "null"  # what the value is when the variable is missing (``absent``)


VALUE = Holder()
Layout = tuple[Holder, ...]  # the results of an expression, by position
# which holder a node is when it stands for the value tested (None: it does not)
Subject = Callable[["Node"], Holder | None]


def layout_of(match: Match) -> Layout:
    """The results a ``@read`` or ``@parse`` gives (its ``results`` and ``fails``)."""
    absent, fails = match.prop("absent", "null"), match.prop("fails", "both")
    paths = (fails in ("missing", "both"), fails in ("empty", "both"))
    kinds = {"error": Holder("error", paths), "present": Holder("present", absent=absent)}
    results = match.prop("results").split() or ["value"]
    return tuple(kinds.get(r, Holder(absent=absent)) for r in results)


@dataclass(frozen=True, slots=True)
class Cls:
    """What happens when the variable is missing / empty, decided outward from the read."""

    missing: Missing = "empty"
    on_empty: Missing = "empty"
    default: str | None = None
    type: ValueType = "string"
    crash: Node | None = None
    decided: tuple[bool, bool] = (False, False)  # missing path decided, empty path decided
    joins: Literal["", "missing", "empty"] = ""  # a path that now takes the other one (joins)
    errors: tuple[bool, bool] = (False, False)  # paths whose failure goes to the caller
    # groups of other variables' name nodes that keep the crash unreached (Walk.alternatives)
    alternatives: tuple[tuple[Node, ...], ...] = ()

    def decide(
        self,
        outcome: Outcome,
        at: Node | None,
        on_missing: bool,
        on_empty: bool,
        roles: Roles,
        unhandled: Missing = "empty",
    ) -> Cls:
        """The first decision for each path wins; ``at`` is the crash or the default value.
        ``error`` marks the path as the caller's and leaves it ``unhandled`` here."""
        if self.joins:  # the joined path takes the other one's decision
            on_missing = on_empty = on_missing if self.joins == "missing" else on_empty
        value: Missing = unhandled if outcome == "error" else outcome
        default = self.default
        if outcome == "default":
            default = roles.text(at) if at is not None else None
        error = outcome == "error"
        decided, errors = (on_missing, on_empty), (error, error)
        return self.then(Cls(value, value, default, crash=at, decided=decided, errors=errors))

    def then(self, later: Cls) -> Cls:
        """``later``'s decisions (with their ``errors``) for the paths this class left open."""
        take = (later.decided[0] and not self.decided[0], later.decided[1] and not self.decided[1])
        missing, empty = (later if take[0] else self), (later if take[1] else self)  # who decides
        crash = later.crash if take[0] and later.missing == "crash" else self.crash
        if take[1] and later.on_empty == "crash" and crash is None:
            crash = later.crash
        return replace(
            self,
            missing=missing.missing,
            on_empty=empty.on_empty,
            default=missing.default,
            type=later.type if self.type == "string" else self.type,
            crash=crash,
            decided=(self.decided[0] or later.decided[0], self.decided[1] or later.decided[1]),
            errors=(missing.errors[0], empty.errors[1]),
        )


def inside(node: Node, outer: Node) -> bool:
    """Whether ``node`` lies within ``outer`` (or is it)."""
    return outer.start_byte <= node.start_byte and node.end_byte <= outer.end_byte


def _joined(match: Match, safe: bool) -> str:
    """The path the value joins at ``match`` (its ``joins``; "": none): a null-safe call does
    not run on null, so it joins no missing value to the empty path (``v?.orEmpty()``)."""
    joins = match.prop("joins")
    return joins if joins == "missing" or not safe else ""


_NONE: Mapping[str, Holder] = MappingProxyType({})  # no holders


class Walk:
    """The classifier over one file's roles."""

    def __init__(self, grammar: Grammar, roles: Roles) -> None:
        self.grammar = grammar
        self.roles = roles
        self._read: Node | None = None  # the read being classified (``repeated_reads``)

    # -- helpers ---------------------------------------------------------------------------

    def up(self, node: Node) -> tuple[Node, list[Node]]:
        """``node`` climbed through transparent wrappers, and every node on the way."""
        chain = [node]
        while node.parent is not None and node.parent.type in self.grammar.transparent:
            when = self.grammar.transparent_when
            if when is not None and not when(node.parent, self.roles):
                break
            node = node.parent
            chain.append(node)
        return node, chain

    def is_null(self, node: Node) -> bool:
        """Whether ``node`` is the null literal (through transparent wrappers)."""
        node = self.strip(node)
        return node.type in self.grammar.nulls or self.roles.text(node) in self.grammar.null_words

    def strip(self, node: Node) -> Node:
        """``node`` without transparent wrappers around its content."""
        while node.type in self.grammar.transparent and node.named_child_count:
            if node.named_child_count > 1 and node.type not in self.grammar.typed:
                break  # several children: only a typed wrapper (TS `v as T`) holds the value
            node = node.named_children[0]
        return node

    def is_function(self, node: Node) -> bool:
        """Whether ``node`` starts a new scope (by type, or as an ``@function`` anchor)."""
        by_role = self.grammar.functions_by_role and self.roles.at(node, "function") is not None
        return node.type in self.grammar.functions or by_role

    def enclosing_function(self, node: Node) -> Match | None:
        scopes = (p for p in lineage(node.parent) if self.is_function(p))
        return next((self.roles.at(p, "function") for p in scopes), None)

    def statement_of(self, node: Node) -> Node | None:
        """The statement holding ``node`` (its ancestor whose parent is a block)."""
        return next(iter(self._statements(node).values()), None)

    def following(self, stmt: Node) -> Iterator[Node]:
        """The statements after ``stmt`` in its block (statement wrappers unwrapped, the
        statements of ``in_place`` blocks in place)."""
        if stmt.parent is not None and stmt.parent.type in self.grammar.statement_wrappers:
            stmt = stmt.parent
        sibling, count = stmt.next_named_sibling, 0
        while sibling is not None and count < self.grammar.scan_limit:
            current = sibling
            if current.type in self.grammar.statement_wrappers and current.named_child_count:
                current = current.named_children[0]
            statements = [current]
            if current.type in self.grammar.in_place:  # `init { ... }`: its statements
                blocks = [c for c in current.named_children if c.type in self.grammar.blocks]
                statements = [c for b in blocks[:1] for c in b.named_children]
            inner = [c for c in statements if c.type != "comment"]
            yield from inner
            count += len(inner)
            sibling = sibling.next_named_sibling

    def _runs(self, node: Node, block: Node, anywhere: bool = False) -> bool:
        """Whether ``node`` runs whenever ``block`` runs, not in a function inside it; unless
        ``anywhere``, not under a further condition inside it either: in a nested block (a
        branch, a loop body), an ``@if`` branch or a ``@fallback`` default (a branch that is
        also the ``.value`` of a ``@fallback`` on the same node is the value's own path: Java
        ``v != null ? v : d``)."""
        current = node
        while current.id != block.id and current.parent is not None:
            held = self.roles.holding(current)
            values = {m.node.id for m, p in held if (m.role, p) == ("fallback", "value")}
            branches = [m for m, p in held if p in ("then", "else", "default")]
            branch = any(m.role in ("if", "fallback") and m.node.id not in values for m in branches)
            current = current.parent
            own = current.parent is not None and current.parent.id == block.id  # its statements
            inner = current.id != block.id
            nested = inner and current.type in self.grammar.blocks and not own
            if (inner and self.is_function(current)) or (not anywhere and (branch or nested)):
                return False
        return True

    def _running(self, block: Node | None, role: str, anywhere: bool = False) -> Iterator[Match]:
        """The ``role`` matches of ``block`` that :meth:`_runs` finds there, in source order."""
        if block is not None:
            matches = self.roles.within(block, role)
            yield from (m for m in matches if self._runs(m.node, block, anywhere))

    def exit_in(
        self, block: Node | None, anywhere: bool = False, is_subject: Subject | None = None
    ) -> Node | None:
        """The first ``@exit`` of ``block`` as :meth:`_running` finds it; unless ``anywhere``, one
        with a ``.subject`` only where ``is_subject`` says it is the value tested
        (``ThrowIfNull(opts)`` under ``if (cs == null)`` throws only when ``opts`` is null)."""
        for match in self._running(block, "exit", anywhere):
            subject = match.part("subject")
            if anywhere or subject is None or (is_subject and is_subject(self.strip(subject))):
                return match.node
        return None

    def exit_around(self, node: Node) -> Node | None:
        """The ``@exit`` of ``node``'s statement that takes ``node`` in its arguments."""
        stmt = self.statement_of(node)
        for parent in lineage(node.parent):
            if self.roles.at(parent, "exit") is not None:
                return parent
            if stmt is None or parent.id == stmt.id:
                return None
        return None

    def fails_in(self, block: Node | None) -> Node | None:
        """The ``@fail`` of ``block`` (:meth:`_running`) when its function ``returns="error"``."""
        function = self.enclosing_function(block) if block is not None else None
        if function is None or function.prop("returns") != "error":
            return None
        return next((m.node for m in self._running(block, "fail")), None)

    def assigned_in(self, block: Node | None, holders: Collection[str]) -> Node | None:
        """The value ``block`` assigns to one of ``holders`` whenever it runs."""
        for match in self._running(block, "assign"):
            targets = self._targets(match)
            values = match.parts.get("value", ())
            for index, target in enumerate(targets):
                if target in holders and values:
                    return values[index] if len(values) == len(targets) else values[0]
        return None

    def returned_in(self, block: Node | None, holders: Collection[str]) -> Node | None:
        """The value ``block`` returns whenever it runs, unless it is one of ``holders``."""
        if not self.grammar.return_defaults:
            return None
        returned = (m.part("value") for m in self._running(block, "return"))
        value = next((v for v in returned if v is not None), None)
        return None if value is None or self.roles.text(value) in holders else value

    # -- tests -----------------------------------------------------------------------------

    def fires(
        self, cond: Node, is_subject: Subject, truthy: bool = False
    ) -> tuple[bool, bool, bool] | None:
        """(on missing, on empty, negated) when ``cond`` tests a subject; None otherwise.
        ``is_subject`` says whether a node is a subject, and which kind of holder it is;
        ``truthy``: a value subject alone is a test here (``not v``) whatever the grammar."""
        cond = self.strip(cond)
        roles = self.roles
        itself = is_subject(cond)
        if itself is not None and itself.kind == "present":  # `if ok`: true when set
            return True, False, True
        for role, negated in (("or", False), ("and", True)):  # `@and`: of tests true when present
            if (match := roles.at(cond, role)) is not None:
                found = [t for side in self._sides(match) if (t := self.fires(side, is_subject))]
                kept = [t for t in found if t[2] == negated]
                if not kept or (negated and len(kept) < len(found)):
                    return None
                return any(t[0] for t in kept), any(t[1] for t in kept), negated
        if (match := roles.at(cond, "not")) is not None:
            operand = match.part("operand")  # `not v`: true when v is missing (or empty)
            inner = self.fires(operand, is_subject, True) if operand is not None else None
            return None if inner is None else (inner[0], inner[1], not inner[2])
        if (match := roles.at(cond, "test")) is not None:
            subject, key = match.part("subject"), match.part("key")
            held, joined = None, ""
            if subject is not None:
                held, joined = self._converted(self.strip(subject), is_subject)
            if held is None and key is not None:
                held = is_subject(key)
            if held is None:
                return None
            kind = match.prop("fires", "both")
            negated = match.prop("negated") == "true"
            if (kind == "failed") != (held.kind == "error"):
                return None
            if kind == "failed":  # `err != nil`: on the paths the error reports
                return held.fails[0], held.fails[1], negated
            seen = match.prop("absent", held.absent) == held.absent  # `v === false`: getenv's
            on_missing, on_empty = kind in ("missing", "both") and seen, kind in ("empty", "both")
            if joined:  # `ENV["X"].to_s.empty?`: nil.to_s is ""; `.presence.nil?`: "" is nil
                on_missing = on_empty = on_missing if joined == "missing" else on_empty
            return on_missing, on_empty, negated
        if (truthy or self.grammar.truthy) and itself is not None and itself.kind == "value":
            return True, not self.grammar.empty_truthy, True  # `if v:` is false when v is missing
        return None

    def _converted(self, node: Node, is_subject: Subject) -> tuple[Holder | None, str]:
        """The holder ``node`` is, or a value holder under ``through`` ``@method`` conversions
        (``ENV["X"].to_s``) with the last ``joins`` among them; (None, "") otherwise, or when a
        method of the chain crashes on the missing path (``v.strip`` on nil: decides nothing)."""
        chain: list[Match] = []
        held = is_subject(node)
        while held is None:
            match = self.roles.at(node, "method")
            inner = match.part("object") if match is not None else None
            if match is None or inner is None or match.prop("through") != "true":
                return None, ""
            chain.append(match)
            node = self.strip(inner)
            held = is_subject(node)
        if chain and held.kind != "value":
            return None, ""
        joined = ""
        for match in reversed(chain):  # from the value outward
            safe = match.part("safe") is not None  # v&.m: does not run on nil
            if match.prop("null") == "crash" and not safe and joined != "empty":
                return None, ""
            joined = _joined(match, safe) or joined
        return held, joined

    def apply_if(
        self, cls: Cls, match: Match, is_subject: Subject, holders: Mapping[str, Holder] = _NONE
    ) -> Cls:
        """Layer the ``@if`` ``match`` on ``cls`` (unchanged when its test is not about a
        subject); ``holders``: the holder variables by name (none: the read itself is tested)."""
        found = self._tested(match, is_subject)
        if found is None:
            return cls
        on_missing, on_empty, negated = found
        branch, after_return = match.part("else" if negated else "then"), False
        if negated:
            if match.prop("chain") == "true":
                return cls  # the path where the test is false goes through `elif` conditions
            if branch is None and self.exit_in(match.part("then"), is_subject=is_subject) is None:
                branch = self._after_early_return(match)  # the statement after the `if`
                after_return = branch is not None
            if branch is None:
                return cls  # `if v != null { ... }` alone says nothing about a missing v
        decide = partial(cls.decide, on_missing=on_missing, on_empty=on_empty, roles=self.roles)
        if (crash := self.exit_in(branch, is_subject=is_subject)) is not None:
            return decide("crash", crash)
        if (failure := self.fails_in(branch)) is not None:
            return decide("error", failure)
        if after_return and holders:  # does the early return hand a holder's value on?
            returns = self._running(match.part("then"), "return", anywhere=True)
            if not self._mentions((r.node for r in returns), holders):
                return cls  # `if (ci != null) return 8; return 4`: 4 is not CI's default
        values = [name for name, h in holders.items() if h.kind == "value"]
        default = self.assigned_in(branch, values) if values else None
        if default is None and holders:  # (the read itself tested: a return is not its value)
            default = self.returned_in(branch, holders.keys())
        if default is None and values and branch is not None and self.grammar.branch_values:
            default = self.branch_value(match, branch, values)
        if default is None and values and branch is not None and match.prop("value") == "true":
            default = None if self._mentions((branch,), values) else self.strip(branch)
        if default is not None and not self.is_null(default):  # `if v is None: return None`
            alone = self.grammar.empty_alone_defaults  # goes on without a value
            if on_missing and (not on_empty or not alone or cls.missing == "empty"):
                return decide("default", default)
            return decide("default", default, on_missing=False) if on_empty and alone else cls
        if self.exit_in(branch, anywhere=True) is not None:  # exits under another condition
            return decide("unknown", None)
        return decide("empty", None)

    def _tested(self, match: Match, is_subject: Subject) -> tuple[bool, bool, bool] | None:
        """:meth:`fires` for the test of the ``@if`` ``match``, negated by a ``negated`` one."""
        test = match.part("test")
        found = self.fires(test, is_subject) if test is not None else None
        negated = match.prop("negated") == "true"
        return None if found is None else (found[0], found[1], found[2] != negated)

    def branch_value(self, match: Match, branch: Node, holders: Sequence[str]) -> Node | None:
        """The last expression of ``branch`` when the ``@if``'s value is used, unless a holder."""
        node, _ = self.up(match.node)
        parent = node.parent
        used = any(m.role == "assign" and p == "value" for m, p in self.roles.holding(node))
        if not used and parent is not None and node.next_named_sibling is None:
            outer = parent.parent if parent.type in self.grammar.blocks else parent
            used = outer is not None and self.is_function(outer)
        last: Node | None = branch if used else None
        skip = self.grammar.blocks | {"comment"}
        while last is not None and last.type in self.grammar.blocks:
            statements = [c for c in last.named_children if c.type not in skip]
            last = self.strip(statements[-1]) if statements else None
        return None if last is None or self.roles.text(last) in holders else last

    def _after_early_return(self, match: Match) -> Node | None:
        """``if v != "" { return v }`` followed by the missing path: the next statement."""
        returns = self._running(match.part("then"), "return", anywhere=True)
        return match.node.next_named_sibling if any(returns) else None

    def _mentions(self, nodes: Iterable[Node], holders: Collection[str]) -> bool:
        """Whether a holder is named anywhere in ``nodes``."""
        return any(self.names(node, holder) for node in below(*nodes) for holder in holders)

    # -- the walk --------------------------------------------------------------------------

    def classify(self, read: Node, cls: Cls, results: Layout = (VALUE,)) -> Cls:
        """Layer everything around the read expression ``read`` (results ``results``) on ``cls``."""
        self._read = read
        cls = self._climb(read, cls, frozenset(), results)
        cls = self.try_guard(read, cls)
        if cls.missing == "crash":
            cls = replace(cls, alternatives=self.alternatives(cls.crash or read, read))
        return cls

    def alternatives(self, at: Node, read: Node) -> tuple[tuple[Node, ...], ...]:
        """Groups of other variables (reads or ``@test`` keys) that keep the code from reaching
        the crash ``at``: earlier ``@if`` statements of the blocks around it, not holding
        ``read``, whose ``.then`` always returns and whose test is true when every variable of a
        group is present.  ``if (A) return a(); if (B && C) return b(); throw ...`` gives the
        throw ``((A,), (B, C))``: the adapter's ``EnvRead.alternatives``."""
        groups: list[tuple[Node, ...]] = []
        for stmt in self._statements(at).values():  # innermost first
            sibling = stmt.prev_named_sibling
            while sibling is not None:
                match = self.roles.at(sibling, "if")
                if match is not None and match.prop("negated") != "true":
                    test, returns = match.part("test"), self._running(match.part("then"), "return")
                    if test is not None and not inside(read, sibling) and any(returns):
                        groups.extend(self.when_present(test) or ())
                sibling = sibling.prev_named_sibling
        return tuple(sorted(groups, key=lambda group: group[0].start_byte))

    def when_present(self, cond: Node) -> list[tuple[Node, ...]] | None:
        """Groups of variables (reads or ``@test`` keys) each of which, all present, makes
        ``cond`` true (a truthy read, a ``@test`` true when present, ``@and``: the groups
        combined, ``@or``: either side's); None when no set of variables does."""
        cond = self.strip(cond)
        roles = self.roles
        if roles.at(cond, "read") is not None:
            return [(cond,)] if self.grammar.truthy else None
        if (match := roles.at(cond, "test")) is not None:
            subject, key = match.part("subject"), match.part("key")
            named = self.strip(subject) if subject is not None else key
            if named is None or (key is None and roles.at(named, "read") is None):
                return None
            fired = self.fires(cond, partial(self._keyed, {named.id}))
            only_false = match.prop("partial") == "true"  # true when present decides nothing
            return [(named,)] if fired is not None and fired[2] and not only_false else None
        if (match := roles.at(cond, "and")) is not None:
            sides = [self.when_present(s) for s in self._sides(match)]
            left, right = sides if len(sides) == 2 else (None, None)
            return None if left is None or right is None else [a + b for a in left for b in right]
        if (match := roles.at(cond, "or")) is not None:
            groups = [g for side in self._sides(match) for g in self.when_present(side) or ()]
            return groups or None
        return None

    @staticmethod
    def _sides(match: Match) -> list[Node]:
        """The ``.left`` and ``.right`` of an ``@or`` / ``@and`` that are there."""
        return [side for part in ("left", "right") if (side := match.part(part)) is not None]

    def _climb(
        self, start: Node, cls: Cls, seen: frozenset[int], results: Layout = (VALUE,)
    ) -> Cls:
        """Step outward from ``start`` while a role holds the current node."""
        ids: set[int] = set()  # every node that stands for the value so far
        chain: int | None = None  # the null-safe chain (``safe_chains``) the value ends
        nxt: Node | None = start
        while nxt is not None:
            _, segment = self.up(nxt)
            ids.update(n.id for n in segment)
            cls, nxt, results, chain = self._step(segment, ids, cls, seen, results, chain)
        return cls

    def _step(
        self,
        segment: list[Node],
        ids: set[int],
        cls: Cls,
        seen: frozenset[int],
        results: Layout,
        chain: int | None,
    ) -> tuple[Cls, Node | None, Layout, int | None]:
        """One step outward from ``segment`` (the value and its transparent wrappers): the new
        class, the node to continue from (None: stop), its results, and its id when it ends a
        null-safe chain whose rest does not run on null (``chain``; ``Grammar.safe_chains``)."""
        roles = self.roles
        for match, part in itertools.chain.from_iterable(map(roles.holding, segment)):
            role = match.role
            if role == "fallback" and part == "value":
                default, empty = match.part("default"), match.prop("empty") == "defaults"
                if match.prop("absent", results[0].absent) != results[0].absent:
                    if empty:  # `str(v) or d`: "" takes d, "None" does not
                        cls = cls.decide("default", default, False, True, roles)
                    return cls, match.node, results, None  # `getenv("X") ?? d`: false is not null
                crash = self.exit_in(default)
                block = default is not None and default.type in self.grammar.blocks
                valued = match.prop("blocks") == "value"  # Rust: a block has a value
                parent = match.node.parent  # a statement but the last: its value goes nowhere
                discarded = parent is not None and parent.type in self.grammar.blocks
                discarded = discarded and match.node.next_named_sibling is not None
                if ((block and not valued) or discarded) and crash is None:  # `null -> {}`
                    return cls, match.node, (VALUE,), None
                if crash is not None and (
                    default is None or block or self.strip(default).id == crash.id
                ):
                    cls = cls.decide("crash", crash, True, empty, roles)
                else:
                    given = cls.decided[0]
                    cls = cls.decide("default", default, True, empty, roles)
                    text = match.prop("parsed" if cls.joins == "missing" else "default")
                    if default is None and not given and text:  # `unwrap_or_default()`
                        cls = replace(cls, default=text)
                return cls, match.node, (VALUE,), None
            obj = match.part("object") if role == "method" else None
            safe = obj is not None and (match.part("safe") is not None or obj.id == chain)
            joined = _joined(match, safe)
            if joined and (role, part) in (("parse", "value"), ("method", "object")):
                cls = replace(cls, joins=joined)  # type: ignore[arg-type]
            if role == "parse" and part == "value":
                cls = self._outcomes(cls, match, missing=True)
                nxt = None if match.prop("stop") == "true" else match.node
                return cls, nxt, layout_of(match), None
            if role == "method" and part == "object":
                null = match.prop("null") == "crash" and not safe
                null = null and results[0].absent != "none"  # str(None).lower() runs
                if null and not cls.decided[0] and cls.missing == "empty":
                    cls = cls.decide("crash", match.node, True, False, roles)
                cls = self._outcomes(cls, match, missing=not safe)
                if (param := match.part("param")) is not None and (body := match.part("body")):
                    cls = self._into(cls, self.roles.text(param), body, seen)
                through = match.prop("through") == "true"
                if safe and self.grammar.safe_chains:
                    if not through:
                        cls = cls.decide("empty", None, False, True, roles)
                    return cls, match.node, (VALUE,), match.node.id
                kept = (Holder(absent=results[0].absent),)
                return cls, match.node if through else None, kept, None
            subject = self._subject(ids, results[0])  # the value, when a condition tests it
            truthy = (role, part) == ("not", "operand") and self.grammar.truthy  # `if not v`
            if (role, part) == ("test", "subject") or truthy:
                return self._direct_test(match, subject, cls), None, results, None
            if role == "assert" and part == "test":
                return self._asserted(cls, match, subject), None, results, None
            if role == "if" and part == "test" and self.grammar.truthy:  # `if v: ... else: exit`
                return self.apply_if(cls, match, subject), None, results, None
            if role == "assign" and part == "value":
                cls = self._outcomes(cls, match, missing=True)
                cls, holders = self._bind(match, ids, cls, results)
                if holders:
                    cls = self.follow(match, holders, cls, seen)
                return cls, None, results, None
        return cls, None, results, None

    def _into(self, cls: Cls, param: str, body: Node, seen: frozenset[int]) -> Cls:
        """The present value handed to the parameter ``param`` of a function literal (the
        ``.param`` and ``.body`` of a ``@method``)."""
        use = self._first_use(body, (param,), ("parse", "method"))
        if use is None:
            return cls
        inner = self._climb(use, Cls(decided=(True, False)), seen)
        if inner.type != "string":
            cls = replace(cls, type=inner.type)
        if inner.decided[1]:
            cls = cls.decide(inner.on_empty, inner.crash or use, False, True, self.roles)
        return replace(cls, joins="missing") if inner.joins == "missing" else cls

    def _outcomes(self, cls: Cls, match: Match, missing: bool) -> Cls:
        """A match's ``type``, ``missing`` (when ``missing``) and ``on_empty`` properties; an
        ``error`` as *Holders and outcomes* says (``errors="crash"``, a closure, ``unhandled``)."""
        joined = cls.joins or match.prop("typed") != "joined"
        if match.prop("type") in _VALUE_TYPES and joined:
            cls = replace(cls, type=match.prop("type"))  # type: ignore[arg-type]
        for prop, paths in (("missing", (missing, False)), ("on_empty", (False, True))):
            outcome: Outcome = match.prop(prop)  # type: ignore[assignment]
            if outcome not in _OUTCOMES or not any(paths):
                continue
            at = (match.part("default") if outcome == "default" else None) or match.node
            function = self.enclosing_function(at) if outcome == "error" else None
            if outcome == "error" and (function is None or function.prop("errors") == "crash"):
                outcome = "unknown" if function is None else "crash"
            cls = cls.decide(outcome, at, *paths, self.roles, self.grammar.unhandled)
        return cls

    def null_test(self, cls: Cls, cond: Node | None, is_subject: Subject) -> Cls:
        """``cond`` is (the negation of) a ``null=crash`` test of a value subject: evaluating it
        crashes when the subject is missing."""
        cond = self.strip(cond) if cond is not None else None
        if (negation := self.roles.at(cond, "not")) and (operand := negation.part("operand")):
            cond = self.strip(operand)
        test = self.roles.at(cond, "test")
        subject = test.part("subject") if test and test.prop("null") == "crash" else None
        held = is_subject(self.strip(subject)) if subject is not None else None
        if test is None or held is None or held.kind != "value":
            return cls
        open_missing = not cls.decided[0] and cls.missing == "empty"
        return cls.decide("crash", test.node, True, False, self.roles) if open_missing else cls

    def _bind(
        self, assign: Match, ids: set[int], cls: Cls, results: Layout
    ) -> tuple[Cls, dict[str, Holder]]:
        """The holders ``assign`` binds from the value (whose nodes are ``ids``)."""
        targets, values = assign.parts.get("target", ()), assign.parts.get("value", ())
        index = next((i for i, v in enumerate(values) if v.id in ids), 0)
        pairs: list[tuple[Node, Holder]]
        if len(values) > 1:
            pairs = [(targets[index], results[0])] if index < len(targets) else []
        elif len(targets) > 1 and results[-1].kind == "error":
            pairs = [*zip(targets[:-1], results[:-1], strict=False), (targets[-1], results[-1])]
        else:
            pairs = list(zip(targets, results, strict=False))
        holders: dict[str, Holder] = {}
        for target, holder in pairs:
            name = self.roles.text(target)
            if name not in self.grammar.discard:
                holders[name] = holder
            elif holder.kind == "error":  # the error is dropped: the zero value goes on
                cls = cls.decide("empty", None, *holder.fails, self.roles)
        return cls, holders

    def _subject(self, ids: Collection[int], holder: Holder) -> Subject:
        """The climbed value (its nodes ``ids``) as the subject ``holder`` of a test; with
        ``Grammar.repeated_reads`` the read written again is too."""
        read = self._read if self.grammar.repeated_reads else None
        same = self.roles.text(read) if read is not None else ""

        def subject(node: Node) -> Holder | None:
            if node.id in ids:
                return holder
            repeated = read is not None and node.type == read.type
            return holder if repeated and self.roles.text(node) == same else None

        return subject

    def _direct_test(self, cond: Match, subject: Subject, cls: Cls) -> Cls:
        """The value is tested by ``cond`` (a ``@test``, or a truthiness ``@not``): apply the
        ``if`` / ``assert`` whose test is the whole condition around it."""
        logic = ("or", "and", "not")  # the whole condition around the test
        node, _ = self.up(cond.node)
        while outer := next((m for m, _ in self.roles.holding(node) if m.role in logic), None):
            node, _ = self.up(outer.node)
        cls = self.null_test(cls, node, subject)
        for match, part in self.roles.holding(node):
            if match.role == "if" and part == "test":
                return self.apply_if(cls, match, subject)
            if match.role == "assert" and part == "test":
                return self._asserted(cls, match, subject)
        return cls

    def _asserted(self, cls: Cls, match: Match, is_subject: Subject) -> Cls:
        """The ``@assert`` ``match`` crashes on the paths where its test is false: ``assert v``
        (missing, and empty for a value), a test true when present (``require(v != null)``)."""
        test = match.part("test")
        found = self.fires(test, is_subject, truthy=True) if test is not None else None
        if found is None or not found[2]:
            return cls
        return cls.decide("crash", match.node, found[0], found[1], self.roles)

    def follow(
        self, assign: Match, holders: Mapping[str, Holder], cls: Cls, seen: frozenset[int]
    ) -> Cls:
        """Checks and parses of ``holders`` in the statements after their assignment (first
        the ``if`` whose ``.init`` it is).  A parse under a further condition, or inside a
        function the statement declares, gives the type only; after an early return that does
        not hand the holder's value on, only an exit or a failure decides the missing path."""
        stmt = self.statement_of(assign.node)
        if stmt is None or stmt.id in seen:
            return cls
        seen = seen | {stmt.id}
        roles = self.roles
        live = dict(holders)

        def subject(node: Node) -> Holder | None:
            return next((h for name, h in live.items() if self.names(node, name)), None)

        later: Iterator[Node] = self.following(stmt)
        init = header.part("init") if (header := roles.at(stmt, "if")) is not None else None
        if init is not None and inside(assign.node, init):
            later = itertools.chain((stmt,), later)
        for node in later:
            # conditional expressions that run whenever ``node`` runs (`t = v == null ? d : f(v)`)
            expressions = (m for m in self._running(node, "if") if m.prop("value") == "true")
            if (match := roles.at(node, "if")) is not None:
                cls = self.null_test(cls, match.part("test"), subject)
                cls = self.apply_if(cls, match, subject, live)
            elif match := next((m for m in expressions if self._tested(m, subject)), None):
                cls = self.apply_if(cls, match, subject, live)  # the first testing a holder
            elif (match := roles.at(node, "assert")) is not None:
                cls = self._asserted(cls, match, subject)
            values = [n for n, h in live.items() if h.kind == "value"]
            used = self._first_use(node, values, self.grammar.later_uses)
            if used is not None:  # a later parse gives the type (and decides open paths)
                climbed = self._climb(used, cls, seen)
                guarded = self.is_function(node) or not self._runs(used, node)
                cls = replace(cls, type=climbed.type) if guarded else climbed
            for name in self._reassigned(node):
                live.pop(name, None)
            if cls.decided == (True, True) or not live:
                break
        return cls

    def _first_use(self, node: Node, holders: Collection[str], roles: Iterable[str]) -> Node | None:
        """The first value in ``node`` handed to a match of ``roles`` (a ``@method``'s object,
        another role's value) that is one of ``holders`` (or a field of that name:
        ``Grammar.self_prefix``)."""
        names = {*holders, *(self.grammar.self_prefix + h for h in holders)}
        values = (
            match.part("object" if role == "method" else "value")
            for role in (roles if holders else ())
            for match in self.roles.within(node, role)
        )
        uses = (v for v in values if v is not None and self.roles.text(self.strip(v)) in names)
        return min(uses, key=lambda v: v.start_byte, default=None)

    def names(self, node: Node, holder: str) -> bool:
        """Whether ``node`` names the holder variable (``v``, ``this.v`` for a field, or a
        path such as Go's ``cfg.Port`` in the grammar's ``holder_paths``)."""
        text = self.roles.text(node)
        if node.named_child_count == 0 or node.type in self.grammar.holder_paths:
            return text == holder
        prefix = self.grammar.self_prefix
        return bool(prefix) and text == prefix + holder

    def _reassigned(self, stmt: Node) -> list[str]:
        """The names ``stmt`` assigns (the holders it ends)."""
        match = self.roles.at(stmt, "assign")
        if match is None and stmt.named_child_count:
            match = self.roles.at(stmt.named_children[0], "assign")
        return [] if match is None else self._targets(match)

    def _targets(self, assign: Match) -> list[str]:
        return [self.roles.text(t) for t in assign.parts.get("target", ())]

    # -- presence guards -------------------------------------------------------------------

    def guard(self, read: Node, related: Sequence[Node], cls: Cls) -> Cls:
        """What the code runs about the read's variable before the read, in program order;
        ``related``: the nodes that stand for it elsewhere in the file (``@test.key`` names,
        reads, ``@provide`` writes).  A read in the branch an ``@if`` on the variable takes when
        it is present never sees it missing (the other branch decides); an earlier ``@if``
        whose missing branch exits, provides or returns decides the missing path; an earlier
        unconditional ``@provide`` (``os.environ["X"] = v``) gives a default."""
        keyed = {n.id for n in related} | {read.id}
        statements = self._statements(read)
        reader = self.roles.at(read, "read")
        bind = reader.part("bind") if reader is not None else None  # `env("X")`: through `env`
        through = self.roles.text(bind) if bind is not None else None
        events: list[tuple[int, Cls]] = []
        for node in related:
            if (provide := self.roles.at(node, "provide")) is not None:
                holder = provide.part("holder")  # a reader object's: for reads through it
                earlier = holder is None and self._before(self.statement_of(node), statements)
                if earlier or (holder is not None and through == self.roles.text(holder)):
                    events.append((node.start_byte, self._provided(provide, True, True)))
                continue
            match = self._if_testing(node)
            by_read = self.roles.at(node, "read") is not None  # the test reads it itself
            found = self._presence(match, read, keyed, statements, by_read) if match else None
            if match is not None and found is not None:
                events.append((match.node.start_byte, found))
        if (shortcut := self._short_circuit(read, keyed)) is not None:
            events.append(shortcut)
        for _, step in sorted(events, key=lambda e: e[0]):
            cls = cls.then(step)
        return cls

    def _provided(self, provide: Match, on_missing: bool, on_empty: bool) -> Cls:
        """The default the ``@provide`` write ``provide`` gives a later read of the variable on
        the paths it runs on (``empty=defaults``: on the empty path too)."""
        empty = on_empty and provide.prop("empty") == "defaults"
        return Cls().decide("default", provide.part("value"), on_missing, empty, self.roles)

    def _short_circuit(self, read: Node, keyed: set[int]) -> tuple[int, Cls] | None:
        """A read in the right operand of an ``@and`` whose left operand is true only when the
        variable is present (``"X" in os.environ and os.environ["X"]``) never sees it missing."""
        scope = itertools.takewhile(lambda n: not self.is_function(n), lineage(read.parent))
        for current in scope:
            match = self.roles.at(current, "and")
            sides = self._sides(match) if match is not None else []
            if match is not None and len(sides) == 2 and inside(read, sides[1]):
                found = self.fires(sides[0], partial(self._keyed, keyed))
                if found is not None and found[2]:  # left holds only when present
                    step = Cls().decide("empty", None, found[0], found[1], self.roles)
                    return match.node.start_byte, step
        return None

    def _keyed(self, keyed: set[int], node: Node) -> Holder | None:
        """The subject test for the nodes that stand for the variable (``keyed``): a read with
        its missing value (``absent``: PHP's ``getenv() === false``), another node a value."""
        if node.id not in keyed:
            return None
        read = self.roles.at(node, "read")
        return VALUE if read is None else Holder(absent=read.prop("absent", VALUE.absent))

    def _statements(self, node: Node) -> dict[int, Node]:
        """Block id -> the statement of that block that holds ``node`` (up to its function)."""
        inner = itertools.pairwise(lineage(node))
        scope = itertools.takewhile(lambda pair: not self.is_function(pair[1]), inner)
        return {parent.id: child for child, parent in scope if parent.type in self.grammar.blocks}

    @staticmethod
    def _before(stmt: Node | None, statements: Mapping[int, Node]) -> bool:
        """Whether ``stmt`` ends before the statement of its block in ``statements``."""
        parent = stmt.parent if stmt is not None else None
        holder = statements.get(parent.id) if parent is not None else None
        return stmt is not None and holder is not None and stmt.end_byte <= holder.start_byte

    def _if_testing(self, node: Node) -> Match | None:
        """The ``@if`` whose test holds ``node``."""
        inner = itertools.takewhile(lambda n: n.type not in self.grammar.blocks, lineage(node))
        held = (h for n in inner for h in self.roles.holding(n))
        tests = (m for m, part in held if (m.role, part) == ("if", "test"))
        return next(tests, None)

    def _presence(
        self, match: Match, read: Node, keyed: set[int], statements: dict[int, Node], by_read: bool
    ) -> Cls | None:
        """The decision an ``@if`` on the variable makes for ``read`` (None: none); ``by_read``:
        its test reads the variable, so a crash of its missing branch is that read's (``if
        (!process.env.X) throw ...; return process.env.X``: the return never sees X missing)."""
        subject = partial(self._keyed, keyed)
        found = self._tested(match, subject)
        if found is None:
            return None
        on_missing, on_empty, negated = found
        decide = partial(Cls().decide, on_missing=on_missing, on_empty=on_empty, roles=self.roles)

        def given(value: Node | None) -> Cls:  # no value, or null: nothing given
            null = value is None or self.is_null(value)
            return decide("empty", None) if null else decide("default", value)

        then, other = match.part("then"), match.part("else")
        missing, present = (other, then) if negated else (then, other)
        skipped = present is not None and inside(read, present)  # runs only when present
        if skipped and match.prop("value") == "true":  # `v if "X" in os.environ else d`
            return given(missing)
        if match.prop("chain") == "true" and missing is not then:
            missing = None  # through `elif` conditions: not followed
        elif skipped and missing is None and present is then:
            missing = self._after_early_return(match)
        if not skipped and (missing is None or not self._before(match.node, statements)):
            return None
        if missing is not None:
            if (crash := self.exit_in(missing, is_subject=subject)) is not None:
                return decide("empty", None) if by_read else decide("crash", crash)
            for provide in self._running(missing, "provide"):
                if provide.node.id in keyed:
                    return self._provided(provide, on_missing, on_empty)
            if (value := self.returned_in(missing, ())) is not None:
                return given(value)
            if not skipped and self._bare_return(missing):
                return decide("empty", None)  # the read after it runs only when present
        return decide("empty", None) if skipped else None

    def _bare_return(self, block: Node) -> bool:
        """Whether ``block`` leaves its function with a ``return`` that hands back no value
        whenever it runs (``if (X == null) return;``): the code after the ``if`` never sees the
        variable missing, and nothing was returned for a caller to use in its place."""
        return any(  # `return v`: returned_in and the error paths judge it
            not any(c.is_named and c.type != "comment" for c in match.node.children)
            for match in self._running(block, "return")
        )

    def try_guard(self, node: Node, cls: Cls) -> Cls:
        """A crash inside the body of a ``try`` whose handlers do not exit is ``unknown``."""
        if "crash" not in (cls.missing, cls.on_empty):
            return cls
        for child, parent in itertools.pairwise(lineage(node)):
            if self.is_function(parent):  # runCatching { }: run in place
                held = [m for m, p in self.roles.holding(parent) if (m.role, p) == ("try", "body")]
                held.sort(key=lambda m: m.prop("caught", "unknown") == "unknown")  # caught first
                return self._caught(cls, held[0]) if held else cls
            if (match := self.roles.at(parent, "try")) is not None:
                body, handlers = match.part("body"), match.parts.get("handler", ())
                first = handlers[0].start_byte if handlers else -1
                in_body = child.end_byte <= first if body is None else body.id == child.id
                if in_body and handlers and not any(self.exit_in(h) for h in handlers):
                    return self._caught(cls, match)
        return cls

    def _caught(self, cls: Cls, match: Match) -> Cls:
        """A crash caught by the ``@try`` ``match``: what its ``caught`` property says."""
        how = match.prop("caught", "unknown")
        if how in ("crash", "error") or how not in _OUTCOMES:
            return cls
        default = self.roles.text(match.part("default")) if how == "default" else None
        return replace(
            cls,
            missing=how if cls.missing == "crash" else cls.missing,  # type: ignore[arg-type]
            on_empty=how if cls.on_empty == "crash" else cls.on_empty,  # type: ignore[arg-type]
            default=default if cls.missing == "crash" else cls.default,
            crash=None,
        )


@dataclass(frozen=True, slots=True)
class Name:
    """How a read's name resolved."""

    kind: Literal["literal", "pattern", "param", "const", "dynamic"]
    value: str = ""
    param: int = 0  # "param": index among the enclosing function's parameters
    function: Match | None = None
    prefix: str = ""  # "const": literal text around the constant
    suffix: str = ""
    scope: str = ""  # "const": the other scope it lives in (Go: the package's import path)


# (scope reference, constant name) when a name expression is another scope's constant
Foreign = Callable[["Node", Roles], tuple[str, str] | None]


def resolve_name(
    walk: Walk,
    node: Node | None,
    consts: Mapping[str, str],
    const_keys: Callable[[Node, Roles], Sequence[str]],
    foreign: Foreign | None = None,
) -> Name:
    """A name argument as a literal, a pattern, a wrapper parameter or a constant (of this
    scope, or of another one that ``foreign`` names)."""
    if node is None:
        return Name("dynamic")
    roles = walk.roles
    node = walk.strip(node)
    if node.type in walk.grammar.name_types:
        return Name("literal", roles.text(node))
    again = partial(resolve_name, walk, consts=consts, const_keys=const_keys, foreign=foreign)
    string = roles.at(node, "string")
    if string is not None and not string.parts.get("hole"):
        value = "".join(roles.text(t) for t in string.parts.get("text", ()))
        return Name("literal", _trim(value, string.prop("trim")))
    if string is not None:  # an interpolation: its literal pieces and holes, in order
        texts = string.parts.get("text", ())
        pieces = sorted([*texts, *string.parts.get("hole", ())], key=lambda n: n.start_byte)
        return joined(roles.text(p) if p in texts else again(p) for p in pieces)
    if (concat := roles.at(node, "concat")) is not None:
        return joined(again(side) for side in (concat.part("left"), concat.part("right")))
    function = walk.enclosing_function(node)
    if function is not None:
        params = [roles.text(p) for p in function.parts.get("param", ())]
        if roles.text(node) in params:
            return Name("param", param=params.index(roles.text(node)), function=function)
    keys = const_keys(node, roles)
    if (key := next((k for k in keys if k in consts), None)) is not None:
        return Name("literal", consts[key])
    if keys:
        return Name("const", keys[0])
    found = foreign(node, roles) if foreign is not None else None
    return Name("const", found[1], scope=found[0]) if found else Name("dynamic")


def _trim(value: str, how: str) -> str:
    """A literal's value from its text: ``trim="2 1"`` cuts 2 characters before and 1 after,
    ``trim="quotes"`` strips quote characters and surrounding white space."""
    if how == "quotes":
        return value.strip("\"'`").strip()
    before, _, after = how.partition(" ")
    return value[int(before or 0) : len(value) - int(after or 0)]


def joined(pieces: Iterable[str | Name]) -> Name:
    """A name made of literal text and resolved pieces (an interpolation, a concatenation, a
    template a language reads itself), joined as a concatenation is: a literal, a constant with
    the text around it, a pattern."""
    parts: list[str | None] = []  # None: an unknown piece
    unknown: list[Name] = []
    for name in (Name("literal", p) if isinstance(p, str) else p for p in pieces):
        if name.kind == "literal":
            parts.append(name.value)
        elif name.kind == "pattern":
            parts.extend(None if p == "*" else p for p in re.split(r"(\*)", name.value) if p)
        elif name.kind == "const":  # the literal text around the constant
            parts.extend(p for p in (name.prefix, None, name.suffix) if p is None or p)
            unknown.append(name)
        else:
            parts.append(None)
            unknown.append(Name("dynamic"))
    if all(p is not None for p in parts):
        return Name("literal", "".join(p or "" for p in parts))
    if len(unknown) == 1 and unknown[0].kind == "const" and parts.count(None) == 1:
        cut = parts.index(None)
        before, after = ("".join(p or "" for p in side) for side in (parts[:cut], parts[cut + 1 :]))
        return Name("const", unknown[0].value, prefix=before, suffix=after, scope=unknown[0].scope)
    pattern = "".join("*" if p is None else p for p in parts)
    return Name("pattern", pattern) if pattern.strip("*") else Name("dynamic")


_Paths = TypeVar("_Paths", Cls, EnvRead)


def uncertain(paths: _Paths) -> _Paths:
    """``paths`` (a class or a read) with its crashes ``unknown``: whether the variable is
    needed is someone else's to decide (the caller may supply it, or catch the failure)."""
    missing = "unknown" if paths.missing == "crash" else paths.missing
    on_empty = "unknown" if paths.on_empty == "crash" else paths.on_empty
    return replace(paths, missing=missing, on_empty=on_empty)


def env_read(
    location: Callable[[Node], Location], read: Node, language: str, api: str, cls: Cls
) -> EnvRead:
    """The read at ``read`` with class ``cls`` and no name yet."""
    crash = cls.crash if "crash" in (cls.missing, cls.on_empty) else None
    return EnvRead(
        name="",
        location=location(read),
        language=language,
        api=api,
        missing=cls.missing,
        on_empty=cls.on_empty,
        default=cls.default if cls.missing == "default" else None,
        expected_type=cls.type,
        crash_location=location(crash) if crash is not None else None,
    )
