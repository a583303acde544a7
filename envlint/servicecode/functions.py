"""Per-file function facts from the one tree-sitter parse: the functions of a file, what each
calls, and which run at start-up by the language's rules.

Languages are data: ``queries/<language>-functions.scm`` matches the nodes and names their
*roles* with captures; this module only assembles the captures into :class:`FileFunctions`.
``startup.StartupMap`` follows the calls from the entries.

Roles a query may capture (``@_x`` captures are the query's own, for predicates):

``@func.def`` / ``@func.name``
    A named function, method, local function, or function literal bound to a name; its name.
    ``@func.owner`` names the type it belongs to when the syntax says so (a Go receiver);
    otherwise the innermost ``@class.def`` around it is its owner.
``@ctor.def``
    A constructor (its name: the ``@func.name`` in the same match, else the owner's name).
``@init.def`` / ``@init.name``
    Code that runs when an instance of the enclosing class is constructed (a field initialiser,
    an ``init {}`` block); the field's name.
``@static.def``
    Code that runs when the enclosing class is first used (a static field initialiser, a static
    block, a Kotlin companion or ``object`` body).  Wins over ``@init.def`` on the same node.
``@lambda.def``
    An anonymous function.  ``@lambda.callee``: the call it is passed to (``app.get``);
    ``@lambda.key``: the field it is the value of (``RunE``).  Both name it for people.
``@lambda.sync``
    An anonymous function that runs as part of the code around it (called on the spot, handed
    to ``forEach``, ``once.Do``, a host builder's ``ConfigureServices``...).  Every other
    anonymous function runs later, when whatever it was handed to calls it (a handler).
``@inherit``
    Not a unit of its own: its code runs with the code around it (a JavaScript static field).
    Wins over every other definition role on the same node.
``@class.def`` / ``@class.name``
    A type whose members get its name as owner (class, struct, object literal bound to a name).
``@class.abstract``
    On a ``@class.def`` node: an interface or abstract class (a call typed with it may run any
    implementation).
``@import.name`` / ``@import.path``
    A name the file binds to an imported module, package or symbol (``import requests``,
    ``import express from "express"``); ``@import.path``: an import whose local name is the last
    element of its path (Go).  Where the source says the import is local (``"./x"``), the query
    leaves it out.
``@bind.name`` / ``@bind.from``
    A variable, field or parameter and where its value comes from: its declared type, the type it
    constructs, or the function it calls (``mux := http.NewServeMux()``: ``mux`` from
    ``http.NewServeMux``).  A call on the variable goes to that type's methods, nowhere when the
    value comes from an imported library, anywhere when nothing is known.
``@package.name``
    The Go package clause, Java/Kotlin package, C# namespace (for people and qualifiers).
``@call.name`` / ``@call.qualifier``
    A call: the called name and the expression before the dot (``s`` in ``s.handle()``).
``@new.name``
    A constructor call: ``new T()`` (``T``).  Python and Kotlin construct with a plain call;
    ``startup`` treats a call of a class name as construction.
``@touch``
    A type name whose static members are used (``Config.URL``): the type is initialised.
``@entry.<reason>``
    On a definition node: it runs at start-up, for the reason spelled after the dot (``-`` for
    a space): ``@entry.func-main`` -> "func main".  (Reasons live in capture names rather than in
    ``#set!`` properties: py-tree-sitter 0.26.1 crashes re-creating a query whose pattern has a
    text predicate and ``#set!`` after one was freed.)
``@top.entry.<reason>``
    Top-level code of the file runs at start-up.
``@main.def.<reason>``
    A block of top-level code that runs only when the file is the program's main file
    (``if __name__ == "__main__":``); an entry there.
``@di.type.<reason>``
    A type the program constructs at start-up (registered with a DI container, ``UseStartup<T>``):
    its constructors and initialisers become entries.
``@ref.entry.<reason>``
    A name referring to a function that runs at start-up (``FastAPI(lifespan=lifespan)``).
``@branch``
    Code that runs only under a condition: an ``if``/``else`` body, a ``case`` / ``when`` /
    ``match`` arm, a ternary's operands, the right operand of a short-circuit operator.  A call
    inside a branch of its own function is :attr:`Call.conditional` (start-up code reached
    only through such calls is only *conditionally* start-up code, see ``startup``).
``@try.body`` with ``@try.handler`` or ``@try.all``
    The body of a ``try`` and one of its handlers; ``@try.all``: a handler that catches every
    exception a missing variable can raise (``catch {}``, ``except Exception``, ``catch
    (Exception e)``).  A call inside a body that has such a handler, where no handler of the
    ``try`` has a ``@rethrow`` or ``@exit``, is :attr:`Call.caught`.
``@rethrow`` / ``@exit``
    A ``throw``/``raise``; a call that ends the process (``process.exit``, ``sys.exit``,
    ``System.exit``), whose line :attr:`FileFunctions.exits` keeps (no ``catch`` stops it).
``@async``
    On a definition node: an ``async`` function (a call of it that is not awaited returns a
    pending task: a ``try`` around that call catches nothing it throws).
``@include``
    The arguments of a macro that pastes a file's code in (Rust ``include!("x.rs")``): the
    file, relative to the including one (:attr:`FileFunctions.includes`).
``@public`` / ``@mark`` / ``@mark.inert``
    On a definition node: it is visible beyond its module (Rust ``pub``, an ``extern`` function:
    code envlint does not read may call it).  ``@mark``: an attribute written before a
    definition (a Rust ``#[...]``), which may hand it to the toolchain or a framework
    (``#[no_mangle]``, ``#[test]``, a route); ``@mark.inert`` one that does not (``#[allow]``,
    ``#[inline]``).  Either makes :attr:`Function.exposed`.
"""

from __future__ import annotations

import posixpath
import re
import sys
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

from envlint.model import Location

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from tree_sitter import Node, Query

__all__ = [
    "FUNCTION_LANGUAGES",
    "Binding",
    "Call",
    "CallKind",
    "FileFunctions",
    "Function",
    "FunctionKind",
    "extract_functions",
    "has_function_query",
]

FunctionKind = Literal[
    "function", "method", "constructor", "lambda", "init", "static-init", "main-block"
]
CallKind = Literal["call", "new", "touch"]


@dataclass(frozen=True, slots=True)
class Call:
    """A call (or a use that runs code) inside a function or at top level."""

    name: str  # the called name as written: "mustEnv", "handle", "KafkaConsumer"
    qualifier: str | None  # the expression before the dot ("s", "config", "this"), or None
    kind: CallKind = "call"
    line: int = 0  # 1-based line of the name
    # inside a branch of its function (an if/else body, a case, the right of a short-circuit
    # operator: the query's ``@branch`` captures): it runs only under a condition
    conditional: bool = False
    # inside the body of a ``try`` of its function whose handlers catch every exception and
    # rethrow none (``@try.all``): what the callee throws stops here
    caught: bool = False


@dataclass(frozen=True, slots=True)
class Function:
    """A unit of code that runs as a whole: a function, a method, a constructor, an anonymous
    function, a field initialiser."""

    name: str  # qualified as the language refers to it: "config.Load", "Server.handle"
    short: str  # the name calls use ("handle"); "" for anonymous functions and initialisers
    kind: FunctionKind
    owner: str | None  # the class / receiver type / named object it belongs to
    span: Location  # the whole definition (columns count characters)
    start_byte: int
    end_byte: int
    calls: tuple[Call, ...] = ()
    entry: str | None = None  # why it runs at start-up by the language's rules
    parent: int | None = None  # index in ``FileFunctions.functions`` of the unit around it
    inline: bool = False  # anonymous function that runs as part of its parent (or top level)
    context: str = ""  # anonymous function: the call it is passed to, or the key it is bound to
    is_async: bool = False  # ``@async``: what it throws reaches only a caller that awaits it
    # something besides the calls written in the program may run it: visible beyond its
    # module (``@public``) or marked for the toolchain or a framework (``@mark``)
    exposed: bool = False


@dataclass(frozen=True, slots=True)
class Binding:
    """A variable, field or parameter bound to a value of a known origin (see ``@bind.from``)."""

    name: str
    origin: str  # the declared / constructed type or the called function, as written (flattened)
    start_byte: int  # where the binding is written (a function's own bindings win)


@dataclass(frozen=True, slots=True)
class FileFunctions:
    """The function facts of one file."""

    path: str
    language: str
    package: str  # package clause / namespace / module name ("" when the file has none)
    # Names a qualifier uses for this file's owner-less functions: Go package name, Python
    # module (dotted and last part), JS/TS file stem.
    namespaces: tuple[str, ...]
    scope: str  # where a bare call looks first: Go/JVM/.NET directory, Python/JS file
    implicit_this: bool  # a bare call may be a method of the caller's class (C#, Java, Kotlin)
    functions: tuple[Function, ...]  # in source order (a parent before its children)
    top_calls: tuple[Call, ...]  # calls made at file/module/package top level
    top_entry: str | None  # why top-level code runs at start-up; None: it does not run on load
    classes: tuple[str, ...] = ()  # type names defined in the file
    registered: tuple[tuple[str, str], ...] = ()  # (type name, why): constructed at start-up
    entry_refs: tuple[tuple[str, str], ...] = ()  # (function name, why): runs at start-up
    abstract: tuple[str, ...] = ()  # interfaces and abstract classes among ``classes``
    imports: tuple[str, ...] = ()  # names bound to imported modules / packages / symbols
    bindings: tuple[Binding, ...] = ()  # in source order
    exits: tuple[int, ...] = ()  # lines of calls that end the process (``@exit``)
    # every word of the file's text (identifiers, and the words of strings and comments: more
    # than the names it refers to), a definition's own name counted out once per definition
    # (``_Style.words``); None: not collected for the language
    refs: frozenset[str] | None = None
    # the files ``@include`` pastes in, relative to the checked root ("" for one whose path
    # is computed: ``include!(concat!(env!("OUT_DIR"), "/x.rs"))``)
    includes: tuple[str, ...] = ()
    # the ``@branch`` regions (code that runs only under a condition) as (line, column,
    # end line, end column), 1-based, columns in characters like ``Location``; sorted
    branches: tuple[tuple[int, int, int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class _Style:
    """How a language names and scopes its functions (the small table beside the query)."""

    qualify: Literal["package", "module", "none"]  # prefix of an owner-less function's name
    scope: Literal["dir", "file"]
    implicit_this: bool
    namespaces: Literal["package", "module", "stem", "none"]
    separator: str = "."  # between owner and name: Server.Handle, Server::new
    index_stems: tuple[str, ...] = ("index",)  # files named after their directory
    # collect the words of each file (``FileFunctions.refs``): where a function whose name no
    # file of the program holds is never called (no reflection, no call by a computed name)
    words: bool = False
    # the names of the only files whose facts are read (empty: every file); the others get
    # none, so their code stays unknown (Elixir: only a release's runtime configuration, whose
    # top level runs at boot, is placed)
    top_files: tuple[str, ...] = ()


_STYLES: dict[str, _Style] = {
    "go": _Style("package", "dir", implicit_this=False, namespaces="package"),
    "python": _Style("module", "file", implicit_this=False, namespaces="module"),
    "javascript": _Style("none", "file", implicit_this=False, namespaces="stem"),
    "typescript": _Style("none", "file", implicit_this=False, namespaces="stem"),
    "tsx": _Style("none", "file", implicit_this=False, namespaces="stem"),
    "csharp": _Style("none", "dir", implicit_this=True, namespaces="none"),
    "java": _Style("none", "dir", implicit_this=True, namespaces="none"),
    "kotlin": _Style("none", "dir", implicit_this=True, namespaces="package"),
    "elixir": _Style("none", "file", False, "none", top_files=("runtime.exs",)),
    "ruby": _Style("none", "file", implicit_this=True, namespaces="none"),
    "rust": _Style(
        "none",
        "file",
        False,
        "stem",
        separator="::",
        index_stems=("mod", "lib", "main"),
        words=True,
    ),
}
# Languages with a functions query (what runs at start-up can be told).
FUNCTION_LANGUAGES = frozenset(_STYLES)
_QUERY_FILE = {"tsx": "typescript"}  # tsx shares the TypeScript query
_JS_DIALECTS = frozenset({"javascript", "typescript"})  # js-functions.scm comes first


def has_function_query(language: str) -> bool:
    """Whether ``language`` has a functions query (others get no function facts)."""
    return language in FUNCTION_LANGUAGES


def reads_file(language: str, path: str) -> bool:
    """Whether a file of ``language`` at ``path`` gets function facts (``_Style.top_files``:
    Elixir's are its runtime configuration alone), so that the pass parses no other one."""
    style = _STYLES.get(language)
    return style is not None and (
        not style.top_files or path.rpartition("/")[2] in style.top_files
    )


@cache
def _query(language: str) -> Query:
    """The compiled functions query of ``language`` (read and compiled once per process)."""
    from tree_sitter import Query

    from envlint.filepass.languages import load_language

    grammar = load_language(language)
    if grammar is None:
        raise LookupError(f"no grammar for {language}")
    return Query(grammar, _query_text(language))


@cache
def _query_text(language: str) -> str:
    """The functions query of ``language``: JavaScript, TypeScript and TSX share
    ``js-functions.scm`` and add the patterns of their own grammar's node names."""
    dialect = _QUERY_FILE.get(language, language)
    names = ("js", dialect) if dialect in _JS_DIALECTS else (dialect,)
    queries = resources.files("envlint.servicecode").joinpath("queries")
    return "".join(queries.joinpath(f"{n}-functions.scm").read_text("utf-8") for n in names)


# Roles whose capture may carry the reason after a dot: ``@entry.func-main`` is the role
# ``entry`` with the reason "func main" (longest prefix first).
_REASONED = ("top.entry", "main.def", "di.type", "ref.entry", "entry")
# The role that decides how a pattern's matches are read (first present wins).
_PRIMARY = (
    "call.name", "new.name", "touch", "bind.name", "import.name", "import.path",
    "func.def", "ctor.def", "init.def", "static.def", "main.def", "lambda.def", "lambda.sync",
    "inherit", "class.def", "entry", "top.entry", "di.type", "ref.entry", "package.name",
    "branch", "try.body", "rethrow", "exit", "async", "public", "mark.inert", "mark", "include",
)  # fmt: skip
_WORDS = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")  # the words of a text (an ASCII name is one)
_CAPTURE = re.compile(r"@([\w.-]+)")
_DOTTED = re.compile(r"[\w.$@]+")  # a name path: s.client, this.repo, this@Outer


@dataclass(frozen=True, slots=True)
class _Plan:
    """How to read the matches of one pattern (from its capture names)."""

    primary: str  # see _PRIMARY ("" for a pattern with only private captures)
    roles: Mapping[str, str]  # capture name as written -> role
    reason: str | None  # the reason a reasoned role carries


@cache
def _plans(language: str) -> tuple[_Plan, ...]:
    """Per pattern of the query: its plan, read from the query's source text."""
    query, text = _query(language), _query_text(language)
    plans = []
    for index in range(query.pattern_count):
        pattern = text[query.start_byte_for_pattern(index) : query.end_byte_for_pattern(index)]
        roles: dict[str, str] = {}
        reason: str | None = None
        for name in _CAPTURE.findall(pattern):
            if name.startswith("_"):
                continue
            role = next((r for r in _REASONED if name == r or name.startswith(r + ".")), name)
            if role != name:
                reason = name[len(role) + 1 :].replace("-", " ")
            roles[name] = role
        present = set(roles.values())
        primary = next((role for role in _PRIMARY if role in present), "")
        plans.append(_Plan(primary, MappingProxyType(roles), reason))
    return tuple(plans)


@dataclass(slots=True)
class _Def:
    """A definition being assembled (build-local)."""

    node: Node
    kind: FunctionKind
    name: str = ""
    owner: str = ""
    entry: str | None = None
    inline: bool = False
    context: str = ""


_KIND_RANK: dict[FunctionKind, int] = {
    "lambda": 0,
    "function": 1,
    "method": 1,
    "init": 2,
    "main-block": 3,
    "constructor": 4,
    "static-init": 5,  # a static constructor is class initialisation
}


_INIT_ROLES: tuple[tuple[str, FunctionKind], ...] = (
    ("init.def", "init"),
    ("static.def", "static-init"),
)


@dataclass(slots=True)
class _Collected:
    """What the matches of one file say, before assembly (build-local)."""

    defs: dict[int, _Def] = field(default_factory=dict)
    classes: dict[int, tuple[Node, str]] = field(default_factory=dict)
    calls: list[tuple[int, Call]] = field(default_factory=list)
    entries: dict[int, str] = field(default_factory=dict)
    sync: set[int] = field(default_factory=set)
    inherit: set[int] = field(default_factory=set)
    package: str = ""
    top_entry: str | None = None
    registered: list[tuple[str, str]] = field(default_factory=list)
    entry_refs: list[tuple[str, str]] = field(default_factory=list)
    abstract: set[str] = field(default_factory=set)
    imports: list[str] = field(default_factory=list)
    bindings: list[Binding] = field(default_factory=list)
    branches: list[tuple[int, int]] = field(default_factory=list)  # (start, end) bytes
    # try body (start, end) -> its handlers' (start, end); the bodies a handler of which
    # catches everything (``@try.all``)
    handlers: dict[tuple[int, int], list[tuple[int, int]]] = field(default_factory=dict)
    catch_all: set[tuple[int, int]] = field(default_factory=set)
    throws: list[int] = field(default_factory=list)  # start bytes of @rethrow / @exit
    exits: set[int] = field(default_factory=set)  # lines of @exit calls
    asyncs: set[int] = field(default_factory=set)  # node ids of @async definitions
    public: set[int] = field(default_factory=set)  # node ids of @public definitions
    marks: set[int] = field(default_factory=set)  # node ids of @mark attributes
    inert: set[int] = field(default_factory=set)  # node ids of @mark.inert attributes
    includes: list[str] = field(default_factory=list)  # the arguments of @include, as written

    def caught(self) -> list[tuple[int, int]]:
        """The try bodies whose handlers catch everything and none rethrows or exits."""
        throws = sorted(self.throws)
        return [
            body
            for body in self.catch_all
            if not any(
                bisect_right(throws, end - 1) > bisect_right(throws, start - 1)
                for start, end in self.handlers[body]
            )
        ]

    def define(self, node: Node, kind: FunctionKind) -> _Def:
        current = self.defs.get(node.id)
        if current is None:
            current = self.defs[node.id] = _Def(node, kind)
        elif _KIND_RANK[kind] > _KIND_RANK[current.kind]:
            current.kind = kind
        return current


def extract_functions(language: str, root: Node, source: bytes, path: str) -> FileFunctions:
    """The function facts of one parsed file (never raises on ERROR nodes: facts found outside
    them are kept).  ``language`` must satisfy :func:`has_function_query`."""
    from tree_sitter import QueryCursor

    style = _STYLES[language]
    plans = _plans(language)
    got = _Collected()
    calls, bindings, imports = got.calls, got.bindings, got.imports

    def text(node: Node) -> str:
        return source[node.start_byte : node.end_byte].decode("utf-8", "replace")

    # a file whose facts are not read (``_Style.top_files``) gets none; the pass does not hand
    # it here (``Extractor.wants``), direct callers may
    wanted = reads_file(language, path)
    for index, caps in QueryCursor(_query(language)).matches(root) if wanted else ():
        plan = plans[index]
        primary = plan.primary
        # the frequent matches first, read directly
        if primary == "call.name":
            node = caps["call.name"][0]
            qualifiers = caps.get("call.qualifier")
            qualifier = None if qualifiers is None else _qualifier(text(qualifiers[0]))
            calls.append(
                (node.start_byte, Call(text(node), qualifier, "call", node.start_point.row + 1))
            )
        elif primary == "bind.name":
            node = caps["bind.name"][0]
            origin = "".join(text(caps["bind.from"][0]).split())
            bindings.append(Binding(text(node), origin, node.start_byte))
        elif primary in ("new.name", "touch"):
            node = caps[primary][0]
            kind: CallKind = "new" if primary == "new.name" else "touch"
            calls.append(
                (
                    node.start_byte,
                    Call(_type_name(text(node)), None, kind, node.start_point.row + 1),
                )
            )
        elif primary == "branch":
            node = caps["branch"][0]
            got.branches.append((node.start_byte, node.end_byte))
        elif primary == "try.body":
            body = caps["try.body"][0]
            span = (body.start_byte, body.end_byte)
            handlers = got.handlers.setdefault(span, [])
            for role in ("try.handler", "try.all"):
                for node in caps.get(role, ()):
                    handlers.append((node.start_byte, node.end_byte))
                    if role == "try.all":
                        got.catch_all.add(span)
        elif primary in ("rethrow", "exit"):
            node = caps[primary][0]
            got.throws.append(node.start_byte)
            if primary == "exit":
                got.exits.add(node.start_point.row + 1)
        elif primary == "async":
            got.asyncs.add(caps["async"][0].id)
        elif primary == "public":
            got.public.add(caps["public"][0].id)
        elif primary in ("mark", "mark.inert"):
            (got.marks if primary == "mark" else got.inert).add(caps[primary][0].id)
        elif primary == "include":
            got.includes.append(text(caps["include"][0]))
        elif primary == "import.name":
            imports.append(text(caps["import.name"][0]))
        elif primary == "import.path":
            imports.append(_import_name(text(caps["import.path"][0])))
        elif primary:
            first = {plan.roles.get(name, name): nodes[0] for name, nodes in caps.items() if nodes}
            _read_definitions(got, first, plan.reason, text)

    for node_id in got.inherit:
        got.defs.pop(node_id, None)
    module = _module_name(path) if "module" in (style.qualify, style.namespaces) else ""
    functions, top_calls = _assemble(got, style, module, source, path)
    return FileFunctions(
        path=path,
        language=language,
        package=got.package or module,
        namespaces=_namespaces(style, got.package, module, path),
        scope=path if style.scope == "file" else path.rpartition("/")[0],
        implicit_this=style.implicit_this,
        functions=functions,
        top_calls=top_calls,
        top_entry=got.top_entry,
        classes=tuple(sorted({name for _, name in got.classes.values()})),
        registered=tuple(dict.fromkeys(got.registered)),
        entry_refs=tuple(dict.fromkeys(got.entry_refs)),
        abstract=tuple(sorted(got.abstract)),
        imports=tuple(sorted(set(imports) - {""})),
        bindings=tuple(sorted(set(bindings), key=lambda b: (b.start_byte, b.name, b.origin))),
        exits=tuple(sorted(got.exits)),
        refs=_words(source, got) if style.words else None,
        includes=tuple(_included(path, written) for written in got.includes),
        branches=_points(source, sorted(set(got.branches))),
    )


def _included(path: str, written: str) -> str:
    """The file an ``include!`` argument names (``("pb/x.rs")``), relative to the checked root
    from the including file's directory; "" when it is not one plain string literal inside the
    checked root (a computed path, an escape, an absolute path)."""
    inner = written.strip()[1:-1].strip()  # the token tree's brackets
    literal = inner[1:-1]
    if len(inner) < 2 or inner[0] != '"' or inner[-1] != '"' or any(c in literal for c in '"\\'):
        return ""
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(path), literal))
    return "" if literal.startswith("/") or joined.startswith("..") else joined


def _words(source: bytes, got: _Collected) -> frozenset[str]:
    """The words of ``source`` (:attr:`FileFunctions.refs`): a word that is a definition's
    name and occurs no more often than it is defined is left out (its definitions are all it
    names).  The text's words hold every ASCII name the file refers to, in code, strings
    (``#[serde(default = "f")]``) and macro tokens alike."""
    counts = Counter(_WORDS.findall(source))
    defined = Counter(d.name.encode() for d in got.defs.values() if d.name and d.kind == "function")
    return frozenset(
        word.decode("ascii") for word, count in counts.items() if count > defined.get(word, 0)
    )


def _exposed(got: _Collected, node: Node) -> bool:
    """Whether a definition is ``@public`` or has a ``@mark`` that is not inert among the
    attributes (and comments) right before it."""
    if node.id in got.public:
        return True
    before = node.prev_named_sibling
    while before is not None and (before.id in got.marks or "comment" in before.type):
        if before.id in got.marks and before.id not in got.inert:
            return True
        before = before.prev_named_sibling
    return False


def _points(
    source: bytes, regions: Sequence[tuple[int, int]]
) -> tuple[tuple[int, int, int, int], ...]:
    """Byte regions as (line, column, end line, end column) (see ``FileFunctions.branches``)."""
    if not regions:
        return ()
    starts = [0]
    at = source.find(b"\n")
    while at >= 0:
        starts.append(at + 1)
        at = source.find(b"\n", at + 1)

    def point(offset: int) -> tuple[int, int]:
        line = bisect_right(starts, offset)
        return line, _column(source, offset, starts[line - 1])

    return tuple((*point(start), *point(end)) for start, end in regions)


def _read_definitions(
    got: _Collected, first: dict[str, Node], reason: str | None, text: Callable[[Node], str]
) -> None:
    """The roles of a match other than calls, bindings and imports."""
    if (node := first.get("func.def")) is not None:
        unit = got.define(node, "function")
        if (name := first.get("func.name")) is not None and not unit.name:
            unit.name = text(name)
        if (owner := first.get("func.owner")) is not None:
            unit.owner = text(owner)
    if (node := first.get("ctor.def")) is not None:
        unit = got.define(node, "constructor")
        if (name := first.get("func.name")) is not None and not unit.name:
            unit.name = text(name)
    for role, kind in _INIT_ROLES:
        if (node := first.get(role)) is not None:
            unit = got.define(node, kind)
            if (name := first.get("init.name")) is not None and not unit.name:
                unit.name = text(name)
    if (node := first.get("main.def")) is not None:
        got.define(node, "main-block").entry = reason or "main"
    if (node := first.get("lambda.def")) is not None:
        unit = got.define(node, "lambda")
        label = first.get("lambda.callee") or first.get("lambda.key")
        if label is not None and not unit.context:
            unit.context = _label(text(label))
    if (node := first.get("lambda.sync")) is not None:
        got.sync.add(node.id)
    if (node := first.get("inherit")) is not None:
        got.inherit.add(node.id)
    if (node := first.get("class.def")) is not None and "class.name" in first:
        got.classes[node.id] = (node, text(first["class.name"]))
        if "class.abstract" in first:
            got.abstract.add(text(first["class.name"]))
    if (node := first.get("entry")) is not None:
        got.entries.setdefault(node.id, reason or "entry")
    if "top.entry" in first and got.top_entry is None:
        got.top_entry = reason or "top level"
    if (node := first.get("package.name")) is not None and not got.package:
        got.package = text(node)
    if (node := first.get("di.type")) is not None:
        got.registered.append((_type_name(text(node)), reason or "constructed at start-up"))
    if (node := first.get("ref.entry")) is not None:
        got.entry_refs.append((text(node), reason or "runs at start-up"))


def _assemble(
    got: _Collected, style: _Style, module: str, source: bytes, path: str
) -> tuple[tuple[Function, ...], tuple[Call, ...]]:
    """Nest the definitions (parent, owner), name them and hand each its calls; the calls
    outside every definition are the top level's."""
    defs, package = got.defs, got.package
    for node_id, reason in got.entries.items():
        if node_id in defs:
            defs[node_id].entry = defs[node_id].entry or reason
    for node_id in got.sync:
        if node_id in defs and defs[node_id].kind == "lambda":
            defs[node_id].inline = True
    ordered = sorted(defs.values(), key=lambda d: (d.node.start_byte, -d.node.end_byte))
    scopes = sorted(
        [(d.node.start_byte, d.node.end_byte, 0, i, "") for i, d in enumerate(ordered)]
        + [(n.start_byte, n.end_byte, 1, -1, name) for n, name in got.classes.values()],
        key=lambda s: (s[0], -s[1], -s[2]),
    )
    # One sweep over definitions and classes in source order: the stack holds what is open.
    stack: list[tuple[int, int, int, int, str]] = []
    parent_of: dict[int, int | None] = {}
    owner_of: dict[int, str] = {}
    member: set[int] = set()  # definitions directly inside a class body
    for scope in scopes:
        while stack and stack[-1][1] <= scope[0]:
            stack.pop()
        if scope[2] == 0:
            index = scope[3]
            parent_of[index] = next((s[3] for s in reversed(stack) if s[2] == 0), None)
            owner_of[index] = next((s[4] for s in reversed(stack) if s[2] == 1), "")
            if stack and stack[-1][2] == 1:
                member.add(index)
        stack.append(scope)
    result: list[Function] = []
    own_calls, top_calls = _attribute(
        [(d.node.start_byte, d.node.end_byte) for d in ordered],
        got.calls,
        got.branches,
        got.caught(),
    )
    for index, unit in enumerate(ordered):
        owner = unit.owner or owner_of.get(index, "")
        parent = parent_of.get(index)
        kind = unit.kind
        in_field = parent is not None and ordered[parent].kind in ("init", "static-init")
        if kind == "function" and (unit.owner or index in member or (owner and in_field)):
            kind = "method"  # a member, or a field holding a function (handle = () => ...)
        short = unit.name if kind in ("function", "method", "constructor") else ""
        if kind == "constructor" and not short:
            short = owner
        name = _qualified(unit, kind, short, owner, parent, result, style, package, module)
        result.append(
            Function(
                name=name,
                short=short,
                kind=kind,
                owner=owner or None,
                span=_span(source, path, unit.node),
                start_byte=unit.node.start_byte,
                end_byte=unit.node.end_byte,
                calls=tuple(own_calls[index]),
                entry=unit.entry,
                parent=parent,
                inline=unit.inline,
                context=unit.context,
                is_async=unit.node.id in got.asyncs,
                exposed=_exposed(got, unit.node) if got.marks or got.public else False,
            )
        )
    return tuple(result), tuple(top_calls)


def _qualified(
    unit: _Def,
    kind: FunctionKind,
    short: str,
    owner: str,
    parent: int | None,
    done: list[Function],
    style: _Style,
    package: str,
    module: str,
) -> str:
    if kind == "lambda":
        return f"{unit.context} callback" if unit.context else "<anonymous>"
    if kind == "main-block":
        return "__main__"
    dot = style.separator
    if kind in ("init", "static-init"):  # a field's initialiser is named after the field
        if unit.name:
            return f"{owner}{dot}{unit.name}"
        return f"{owner}{dot}{owner}" if kind == "init" else f"{owner}{dot}<clinit>"
    if parent is not None and done[parent].kind in ("function", "method", "constructor"):
        return f"{done[parent].name}{dot}{short}"  # a nested (local) function
    if owner:
        return f"{owner}{dot}{short}"
    prefix = {"package": package, "module": module, "none": ""}[style.qualify]
    return f"{prefix}{dot}{short}" if prefix else short


def _dedupe(calls: list[tuple[int, Call]]) -> list[tuple[int, Call]]:
    """Calls in source order, each (position, call) once (several patterns may match one)."""
    return sorted(set(calls), key=lambda c: (c[0], c[1].name, c[1].kind))


def _attribute(
    spans: list[tuple[int, int]],
    calls: list[tuple[int, Call]],
    branches: Sequence[tuple[int, int]] = (),
    caught: Sequence[tuple[int, int]] = (),
) -> tuple[list[list[Call]], list[Call]]:
    """Each call handed to the innermost span containing it (spans sorted by start and nested
    as the tree nests them), or to the top level: one sweep.  A call inside a branch that lies
    within that same span is marked conditional (a branch around the whole function, such as
    the ``if`` that holds a nested function, does not make its calls conditional); one inside
    a ``caught`` try body within that span is marked caught."""
    inside: list[list[Call]] = [[] for _ in spans]
    top: list[Call] = []
    stack: list[int] = []
    following = 0
    regions = [(sorted(set(found)), flag) for found, flag in ((branches, 0), (caught, 1))]
    for position, call in _dedupe(calls):
        while following < len(spans) and spans[following][0] <= position:
            while stack and spans[stack[-1]][1] <= spans[following][0]:
                stack.pop()
            stack.append(following)
            following += 1
        while stack and spans[stack[-1]][1] <= position:
            stack.pop()
        unit_start = spans[stack[-1]][0] if stack else -1
        for ordered, flag in regions:
            if _within(ordered, position, unit_start):
                call = replace(call, caught=True) if flag else replace(call, conditional=True)
        (inside[stack[-1]] if stack else top).append(call)
    return inside, top


def _within(ordered: Sequence[tuple[int, int]], position: int, unit_start: int) -> bool:
    """Whether ``position`` lies in one of the (sorted) regions that starts after
    ``unit_start`` (inside the call's own unit)."""
    at = bisect_right(ordered, (position, sys.maxsize)) - 1
    while at >= 0 and ordered[at][0] > unit_start:
        if position < ordered[at][1]:
            return True
        at -= 1
    return False


def _span(source: bytes, path: str, node: Node) -> Location:
    start_line_at = source.rfind(b"\n", 0, node.start_byte) + 1
    end_line_at = source.rfind(b"\n", 0, node.end_byte) + 1
    return Location(
        path=path,
        line=node.start_point.row + 1,
        column=_column(source, node.start_byte, start_line_at),
        end_line=node.end_point.row + 1,
        end_column=_column(source, node.end_byte, end_line_at),
    )


def _column(source: bytes, byte_offset: int, line_start: int) -> int:
    chunk = source[line_start:byte_offset]
    return (len(chunk) if chunk.isascii() else len(chunk.decode("utf-8", "replace"))) + 1


def _label(callee: str) -> str:
    """A callee or key as a short label: ``mux.HandleFunc``, ``app.get``, ``RunE``."""
    flat = " ".join(callee.split())
    return flat if len(flat) <= 60 else flat[:57] + "..."


def _qualifier(expression: str) -> str:
    """The qualifier of a call as a dotted name (``std::env`` -> ``std.env``), or ``?`` for any
    other expression."""
    if _DOTTED.fullmatch(expression):
        return expression
    flat = "".join(expression.split()).replace("::", ".")
    return flat if _DOTTED.fullmatch(flat) else "?"


def _type_name(written: str) -> str:
    """``Foo`` from ``Foo``, ``ns.Foo``, ``Foo<T>``, ``*Foo``, ``Foo[T]``, ``Foo?``."""
    base = written.split("<", 1)[0].split("[", 1)[0].strip().lstrip("*&").rstrip("?")
    return base.rpartition(".")[2].rpartition("::")[2]


def _import_name(path: str) -> str:
    """The name an import path binds by default: its last element without a major-version
    element or suffix (``github.com/go-chi/chi/v5`` -> ``chi``, ``gopkg.in/yaml.v3`` -> ``yaml``,
    ``github.com/segmentio/kafka-go`` -> ``kafka``)."""
    parts = [p for p in path.split("/") if p]
    while len(parts) > 1 and parts[-1][:1] == "v" and parts[-1][1:].isdigit():
        parts.pop()
    last = parts[-1] if parts else ""
    stem, dot, version = last.rpartition(".")
    if dot and version[:1] == "v" and version[1:].isdigit():
        last = stem
    last = last.removeprefix("go-").removesuffix("-go").removesuffix(".go")
    return last.replace("-", "").replace(".", "")


def _module_name(path: str) -> str:
    """``app.config`` for ``app/config.py``; ``app`` for ``app/__init__.py``."""
    stem = path.rpartition(".")[0] if "." in path.rpartition("/")[2] else path
    parts = [p for p in stem.split("/") if p]
    if parts and parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _namespaces(style: _Style, package: str, module: str, path: str) -> tuple[str, ...]:
    if style.namespaces == "package":
        return (package,) if package else ()
    if style.namespaces == "module":
        last = module.rpartition(".")[2]
        return tuple(dict.fromkeys(n for n in (module, last) if n))
    if style.namespaces == "stem":
        directory, _, name = path.rpartition("/")
        stem = name.split(".", 1)[0]
        if stem in style.index_stems and directory:
            stem = directory.rpartition("/")[2]
        return (stem,) if stem else ()
    return ()
