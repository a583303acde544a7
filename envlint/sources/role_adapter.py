"""The adapter every language shares: reads, wrappers, constants and call sites from roles.

A language module exports ``ADAPTER``, a :class:`RoleAdapter` over a :class:`Spec` (its role
query, :class:`~envlint.sources.classify.Grammar` and how names are keyed).  ``scan`` classifies
every ``@read`` with the shared :class:`~envlint.sources.classify.Walk` (after its ``guard`` over
what the code did earlier about the same variable: ``@provide``, tests of ``@test.key``), makes
a function whose parameter names a read a wrapper helper and offers the file's ``@const`` strings
to its scope; ``scan_calls`` classifies the wrappers' call sites the same way (a class
helper's, ``Helper.fields``: a read of each field at the call that makes an instance).  The
other :class:`Spec` fields add what no role expresses.  A file's ``@export`` names (a reader
object made at its top level) are :attr:`FileScan.exports`; a file that imports one is scanned
again with it bound (:meth:`RoleAdapter.scan_importer`).

``@read`` properties read here (besides the classifier's): ``api`` (may name a part in braces:
``environs.{method}``); ``name`` and ``default`` pick an argument of ``.args`` by position and
keyword (``"0 key"``, ``"1 default"``) when the pattern has no such part; ``keep="crash"`` keeps
the read only when it crashes (``if "X" not in os.environ: sys.exit()``).

A read whose missing path hands an error to its function's caller (the ``error`` outcome) is
pending on that function (:class:`Pending`, a ``kind="error"`` :class:`Helper`) until
``scan_calls`` finds its callers.  A read inside a ``@main`` (code run only when its file is the
program's main module), a ``@tool`` class (:func:`_tool_classes`) or a ``@job`` is
``EnvRead.main_only``, ``tool_only`` or ``job_only``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TYPE_CHECKING

from envlint._queries import needed
from envlint.filepass.parse import span
from envlint.filepass.roles import Match, Roles, below
from envlint.sources.adapter import FileContext, FileScan, Helper, Pending, SourceTree
from envlint.sources.classify import (
    VALUE,
    Cls,
    Foreign,
    Grammar,
    Holder,
    Name,
    Walk,
    env_read,
    inside,
    layout_of,
    load_query,
    role_patterns,
    uncertain,
)
from envlint.sources.classify import resolve_name as _resolve
from envlint.sources.model import EnvRead

if TYPE_CHECKING:
    from tree_sitter import Node

    from envlint.model import Location
    from envlint.sources.appsettings import ConfigSource
    from envlint.sources.keys import Keys

__all__ = ["FileRoles", "RoleAdapter", "Spec", "assigned"]


@dataclass(frozen=True, slots=True)
class FileRoles:
    """One parsed file with its roles and walk, as the spec's functions see it."""

    ctx: FileContext
    roles: Roles
    walk: Walk
    consts: Mapping[str, str]  # this file's constants by every key they are known by
    spec: Spec

    def text(self, node: Node | None) -> str:
        return self.roles.text(node)

    def location(self, node: Node) -> Location:
        return span(self.ctx.path, self.ctx.source, node)

    def name(self, node: Node | None) -> Name:
        """A name expression resolved: the language's own reading first (``Spec.name``)."""
        if node is not None and self.spec.name is not None:
            own = self.spec.name(self, self.walk.strip(node))
            if own is not None:
                return own
        return _resolve(self.walk, node, self.consts, self.spec.refers_to, self.spec.foreign)

    def arguments(self, nodes: Iterable[Node]) -> tuple[list[Node], dict[str, Node]]:
        """Positional and named (``f(key="X")``) arguments among ``nodes``."""
        keyword = self.walk.grammar.keyword_argument
        positional: list[Node] = []
        named: dict[str, Node] = {}
        for node in nodes:
            if keyword and node.type == keyword:
                if (value := node.child_by_field_name("value")) is not None:
                    named[self.text(node.child_by_field_name("name"))] = value
            elif node.type != "comment":
                positional.append(node)
        return positional, named

    def call_arguments(self, call: Node) -> tuple[list[Node], dict[str, Node]]:
        return self.arguments(_children(call.child_by_field_name("arguments")))

    def argument(self, nodes: Iterable[Node], spec: str) -> Node | None:
        """The argument ``spec`` (``"1 default"``: second positional or ``default=``)."""
        positional, named = self.arguments(nodes)
        index, _, keyword = spec.partition(" ")
        if index.isdigit() and int(index) < len(positional):
            return positional[int(index)]
        return named.get(keyword) if keyword else None

    def literal(self, node: Node | None) -> str | None:
        name = self.name(node)
        return name.value if name.kind == "literal" else None

    def is_null(self, node: Node | None) -> bool:
        return node is not None and self.walk.is_null(node)


@dataclass(frozen=True)
class Spec:
    """What a language adds to the shared adapter."""

    grammar: Grammar
    needles: tuple[bytes, ...]  # a file is scanned only when one of them occurs in it
    keys: Keys  # a wrapper function's helper key, the helper keys a call may invoke
    # the languages it reads (none: the grammar's) -> more query files for each (patterns only
    # some grammars of the family compile)
    dialects: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # the helper/constant scope of a file (default: its directory; Go: its package's)
    scope: Callable[[str], str] = lambda path: path.rpartition("/")[0]
    # the keys a @const is known by in its file (``X``, ``Class.X``), the first one shared
    const_keys: Callable[[Match, Roles], Sequence[str]] = lambda m, r: (r.text(m.part("name")),)
    # name expressions that may be a constant, by node type: the field naming it ("": the node)
    names: Mapping[str, str] = field(default_factory=lambda: {"identifier": ""})
    # the keys a name expression may refer to, most specific first (the first pending; None: names)
    name_keys: Callable[[Node, Roles], Sequence[str]] | None = None
    # library forms: more reads (settings classes, struct tags, config sections), pending ones
    # (+ the error Helper they fail via), class helpers (``Helper.fields``), and the
    # configuration files the file's code adds (:attr:`FileScan.config_sources`)
    extra: Callable[[FileRoles], Iterable[EnvRead | Pending | Helper | ConfigSource]] = lambda f: ()
    holders: str = ""  # queries/<holders>.scm: the uses of an ``@holder`` (see :meth:`_holders`)
    via: Callable[[str], str] = lambda key: key  # a helper key's reads' via
    # a name expression the shared resolution cannot read (Kotlin "$name" templates), or None
    name: Callable[[FileRoles, Node], Name | None] | None = None
    foreign: Foreign | None = None  # a name that is another scope's constant: (its scope, name)
    # the parameter whose argument a wrapper's default text is (Rust: ``fallback.to_string()``)
    default_key: Callable[[str], str] = lambda text: text
    # the scope a reference (``Pending.const_in``) names, seen from a file of the tree
    locate: Callable[[str, str, SourceTree], str | None] = lambda _ref, _path, _tree: None
    # what an ``@import`` binding's target, as written in a file, may name in the tree: (file,
    # top-level name), or (file, "") for the module itself, most likely first (``@export``)
    import_target: Callable[[str, str, SourceTree], Sequence[tuple[str, str]]] | None = None

    def refers_to(self, node: Node, roles: Roles) -> Sequence[str]:
        """The keys a name expression may refer to (``name_keys``, else ``names``)."""
        if self.name_keys is not None:
            return self.name_keys(node, roles)
        if (part := self.names.get(node.type)) is None:
            return ()
        return (roles.text(node.child_by_field_name(part) if part else node),)


def _base(read: Match, walk: Walk, cls: Cls, default: Node | None) -> Cls:
    """``cls`` (what ran before the read) with what the read itself does on the open paths, as
    classify's ``@read`` says (a null default is none, and no KeyError: ``pop("X", None)``)."""
    roles = walk.roles
    null = default is not None and walk.is_null(default)
    if default is not None and not null:
        crash = roles.at(walk.strip(default), "exit")
        at = default if crash is None else crash.node
        cls = cls.decide("default" if crash is None else "crash", at, True, False, roles)
    at = read.part("crash") or read.node
    for path in ("on_empty",) if null else ("missing", "on_empty"):
        if (outcome := read.prop(path)) in ("crash", "default", "empty", "unknown"):
            cls = cls.decide(outcome, at, path == "missing", path == "on_empty", roles)  # type: ignore[arg-type]
    return replace(cls, type=read.prop("type")) if read.prop("type") else cls  # type: ignore[arg-type]


def _api(read: Match, roles: Roles) -> str:
    """The read's ``api`` property with ``{part}`` replaced by the part's text."""
    api = read.prop("api")
    if "{" not in api:
        return api
    head, _, rest = api.partition("{")
    part, _, tail = rest.partition("}")
    value = roles.text(read.part(part))
    return f"{head}{value}{tail}" if value else head.rstrip(".")


class RoleAdapter:
    """A language's adapter, called as :mod:`envlint.sources.index` says (the file pass's
    :class:`~envlint.filepass.run.Reader`)."""

    empty = FileScan()  # the scan of a file :meth:`scan` failed on

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.languages = frozenset(spec.dialects or {spec.grammar.language})
        self.needles = spec.needles
        self.scope = spec.scope
        self.locate = spec.locate

    def _files(self, language: str) -> tuple[str, ...]:
        return (self.spec.grammar.language, *self.spec.dialects.get(language, ()))

    def patterns(self, language: str, source: bytes) -> frozenset[int]:
        """The patterns of the language's role query that can match in ``source`` (a run
        compiles only their union over its files: :attr:`FileContext.patterns`)."""
        return needed(role_patterns(*self._files(language)), source)

    def _file(self, ctx: FileContext) -> FileRoles:
        keep = ctx.patterns  # the run's patterns, unless this file needs one more
        if keep is not None and not self.patterns(ctx.language, ctx.source) <= keep:
            keep = None
        query = load_query(ctx.language, *self._files(ctx.language), keep=keep)
        roles = Roles(query, ctx.root, ctx.source, self.spec.grammar.import_name, ctx.imported)
        walk = Walk(self.spec.grammar, roles)
        consts: dict[str, str] = {}
        for match in roles.all("const"):
            value = _resolve(walk, match.part("value"), {}, lambda _n, _r: ())
            for key in self.spec.const_keys(match, roles) if value.kind == "literal" else ():
                consts.setdefault(key, value.value)
        f = FileRoles(ctx, roles, walk, MappingProxyType(consts), self.spec)
        # constants built from constants ("${PREFIX}_HOST"), as the language's own reading says
        for _ in range(3 if self.spec.name is not None else 0):
            found = dict(f.consts)
            for match in roles.all("const"):
                keys = self.spec.const_keys(match, roles)
                if not keys or keys[0] in found:
                    continue
                value = f.name(match.part("value"))
                if value.kind == "literal":
                    for key in keys:
                        found.setdefault(key, value.value)
            if found == f.consts:
                break
            f = replace(f, consts=MappingProxyType(found))
        return f

    def _shared(self, f: FileRoles) -> dict[str, str]:
        """The file's constants its scope sees: each ``@const`` by its first key."""
        shared = (m for m in f.roles.all("const") if m.prop("scope") != "file")
        firsts = [keys[0] for m in shared if (keys := self.spec.const_keys(m, f.roles))]
        return {key: f.consts[key] for key in firsts if key in f.consts}

    def scan(
        self, path: str, language: str, source: bytes, root: Node, patterns: frozenset[int] | None
    ) -> FileScan:
        """Phase 1: the file's reads, helpers, pending reads, constants and ``@export`` names."""
        return self._scan(FileContext(path, language, source, root, patterns))

    def _scan(self, ctx: FileContext) -> FileScan:
        f = self._file(ctx)
        out = _Out()
        reads = []
        for match in f.roles.all("read"):
            if not f.roles.ignored(match.node):
                node = _pick(f, match, "name")
                name = f.name(node)
                reads.append((match, name, _key(f, node, name), _pick(f, match, "default")))
        related = self._related(f, reads)
        for match, name, key, default in reads:
            nearby = [n for n in related.get(key, ()) if n.id != match.node.id] if key else []
            start = f.walk.guard(match.node, nearby, Cls()) if nearby else Cls()
            base = _base(match, f.walk, start, default)
            cls = f.walk.classify(match.node, base, layout_of(match))
            if match.prop("keep") == "crash" and cls.missing not in ("crash", "unknown"):
                continue
            record = env_read(f.location, match.node, ctx.language, _api(match, f.roles), cls)
            if cls.alternatives and name.kind == "literal":
                record = replace(record, alternatives=self._alternatives(f, cls, name.value))
            absent = match.prop("absent", VALUE.absent)
            self._file_read(f, out, record, name, cls, match.node, absent)
        out.extend(self.spec.extra(f))
        if self.spec.holders:
            out.extend(self._holders(f))
        names = (f.text(m.part("name")) for m in f.roles.all("export"))
        exports = {name: f.roles.resolve(name) for name in names}
        return replace(
            out.scan(f),
            constants=MappingProxyType(self._shared(f)),
            exports=MappingProxyType(exports),
        )

    def constants(self, ctx: FileContext) -> Mapping[str, str]:
        """The file's :attr:`FileScan.constants` alone (phase 4: a file phase 1 did not scan,
        or one of another scope)."""
        return MappingProxyType(self._shared(self._file(ctx)))

    def scan_importer(
        self, ctx: FileContext, exports: Mapping[str, Mapping[str, str]], tree: SourceTree
    ) -> FileScan | None:
        """:meth:`scan` with the names the file imports from another file's ``@export``
        (``exports``: path -> :attr:`FileScan.exports`) bound as there (``from config.env import
        env``: ``config.env.env`` -> ``environ.Env()``); None when it imports none, or binds
        each such name itself too (shadowed somewhere)."""
        if self.spec.import_target is None:
            return None
        files = self._files(ctx.language)
        # the patterns that bind names: imports, assignments, parameters, loop targets
        binding, patterns = ("@import", "@assign", "@function", "@loop"), role_patterns(*files)
        keep = frozenset(i for i, p in enumerate(patterns) if any(r in p.text for r in binding))
        roles = Roles(load_query(ctx.language, *files, keep=keep), ctx.root, ctx.source)
        rebound = _rebound(roles, ctx.root)
        imported: dict[str, str] = {}
        for local, target in roles.bindings.items():
            if local in rebound:
                continue
            for path, name in self.spec.import_target(target, ctx.path, tree):
                if path == ctx.path or path not in exports or (name and name not in exports[path]):
                    continue
                if name:
                    imported[target] = exports[path][name]
                else:
                    imported.update({f"{target}.{n}": v for n, v in exports[path].items()})
                break
        if not imported:
            return None
        return self._scan(replace(ctx, imported=MappingProxyType(imported)))

    def _holders(self, f: FileRoles) -> Iterator[EnvRead]:
        """Reads through each ``@holder`` in the rest of its block: the ``holders`` query's
        ``@use`` (``.object`` the holder's name, ``.name`` the variable's: a literal or a
        pattern) unless it is ``@called`` (``env.hasOwnProperty("X")``), written, or inside the
        function of a ``@params`` that has an ``identifier`` of the holder's name."""
        from tree_sitter import QueryCursor

        query = load_query(f.ctx.language, self.spec.holders)
        for holder in f.roles.all("holder"):
            stmt = f.walk.statement_of(holder.node)
            if stmt is None or stmt.parent is None:
                continue
            alias, api = f.text(holder.part("name")), _api(holder, f.roles)
            found = [captures for _, captures in QueryCursor(query).matches(stmt.parent)]
            called = {n.id for captures in found for n in captures.get("called", ())}
            params = [p for captures in found for p in captures.get("params", ())]
            hidden = [p.parent for p in params if p.parent and _binds(f, p, alias)]
            for captures in (c for c in found if "use" in c):
                use = captures["use"][0]
                if f.text(captures["use.object"][0]) != alias or use.start_byte < stmt.end_byte:
                    continue
                if use.id in called or f.roles.ignored(use) or any(inside(use, h) for h in hidden):
                    continue
                name = f.name(captures["use.name"][0])
                if name.kind == "const" and (name.prefix or name.suffix):  # no scope constants
                    name = replace(name, kind="pattern", value=f"{name.prefix}*{name.suffix}")
                if name.kind in ("literal", "pattern"):
                    cls = f.walk.classify(use, Cls())
                    record = env_read(f.location, use, f.ctx.language, api, cls)
                    yield replace(record, name=name.value, is_pattern=name.kind == "pattern")

    def _alternatives(self, f: FileRoles, cls: Cls, own: str) -> tuple[tuple[str, ...], ...]:
        """``cls.alternatives`` by name: the groups whose variables all have literal names
        other than ``own`` (a group envlint cannot name is left out: the crash stays)."""
        groups: dict[tuple[str, ...], None] = {}
        for group in cls.alternatives:
            reads = [(node, f.roles.at(node, "read")) for node in group]
            names = [f.literal(_pick(f, r, "name") if r is not None else n) or "" for n, r in reads]
            if all(names) and own not in names:
                groups[tuple(dict.fromkeys(names))] = None
        return tuple(groups)

    def _related(
        self, f: FileRoles, reads: Sequence[tuple[Match, Name, str, Node | None]]
    ) -> dict[str, list[Node]]:
        """Key -> the nodes that stand for that variable (reads, tested names, writes)."""
        related: dict[str, list[Node]] = {}
        for match, _, variable, _ in reads:
            related.setdefault(variable, []).append(match.node)
        for match in f.roles.all("test"):
            if (key := match.part("key")) is not None:
                related.setdefault(_key(f, key), []).append(key)
        for match in f.roles.all("provide"):
            key = match.part("key")
            text = f.text(key) if match.prop("key") == "name" else _key(f, key)
            related.setdefault(text, []).append(match.node)
        return related

    def _file_read(
        self, f: FileRoles, out: _Out, record: EnvRead, name: Name, cls: Cls, at: Node, absent: str
    ) -> None:
        via = self._fails_via(f, out, cls, at) if name.kind != "param" else None
        fails = cls.errors[1] and via is not None
        if name.kind in ("literal", "pattern"):
            record = replace(record, name=name.value, is_pattern=name.kind == "pattern")
            out.append(record if via is None else Pending(record, None, via, fails))
        elif name.kind == "const":
            pending = Pending(record, name.value, via, fails, name.prefix, name.suffix, name.scope)
            out.append(pending)
        elif (helper := self._wrapper(f, name, record, cls, absent)) is not None:
            out.append(helper)
        else:
            out.dynamic += 1

    def _fails_via(self, f: FileRoles, out: _Out, cls: Cls, at: Node) -> str | None:
        """The function whose callers decide a read whose missing path is handed to them as
        an error (an ``error`` helper of the scope); None when the path is not an error."""
        function = f.walk.enclosing_function(at) if cls.errors[0] else None
        if function is None or (key := self.spec.keys.helper_key(function, f.roles)) is None:
            return None
        out.append(Helper(key, "error"))
        return key

    def _wrapper(
        self, f: FileRoles, name: Name, record: EnvRead, cls: Cls, absent: str
    ) -> Helper | None:
        """The wrapper helper a read named by a parameter of its function (``name``) makes."""
        function = name.function
        if function is None or (key := self.spec.keys.helper_key(function, f.roles)) is None:
            return None
        params = function.parts.get("param", ())
        names = [f.text(p) for p in params]
        default_arg = None
        given = self.spec.default_key(cls.default or "")
        if cls.missing == "default" and given in names:
            index = names.index(given)
            default_arg = f"{index} {given}"
            declared = _declared(function, params[index])
            omitted = declared is None and f.walk.grammar.optional_args
            if omitted or f.is_null(declared):  # `def env(k, d=None)`, JS `(k, d?) =>`: none
                record = replace(record, missing="empty", default=None)
            elif declared is not None:
                record = replace(record, default=f.text(declared))
        if cls.errors[0]:  # the callers decide: "unknown" marks the paths they get as an error
            on_empty = "unknown" if cls.errors[1] else record.on_empty
            record = replace(record, missing="unknown", on_empty=on_empty)
        return Helper(
            name=key,
            kind="wrapper",
            template=record,
            name_arg=f"{name.param} {names[name.param]}",
            default_arg=default_arg,
            returns_error=cls.errors[0],
            # the read's missing value comes out of the wrapper unless a path decided it
            absent=absent if cls.missing == "empty" else VALUE.absent,
        )

    def scan_calls(self, ctx: FileContext, helpers: Mapping[str, Helper]) -> FileScan:
        """Phase 2: the reads at call sites of ``helpers`` (by name), new wrapper helpers, exits
        after error-helper calls; never a phase-1 read again."""
        f = self._file(ctx)
        out = _Out()
        exits: list[tuple[str, Location]] = []
        forwards: list[tuple[str, str]] = []
        callees = {key.rpartition(".")[2] for key in helpers}
        own: dict[str, Helper | None] | None = None  # the file's own definitions, when needed
        for call in f.roles.all("call"):
            if f.text(call.part("name")) not in callees:
                continue
            keys = self.spec.keys.call_keys(call, f.roles)
            helper = next((helpers[key] for key in keys if key in helpers), None)
            if helper is not None and helper.kind == "error":  # what the caller does on failure
                value = f.walk.grammar.error_calls == "value"  # Rust: Result, Go: err
                cls = f.walk.classify(call.node, Cls(), (VALUE if value else Holder("error"),))
                crash = cls.crash if cls.missing == "crash" else f.walk.exit_around(call.node)
                if crash is not None:
                    exits.append((helper.name, f.location(crash)))
                elif (via := self._fails_via(f, out, cls, call.node)) is not None:
                    forwards.append((helper.name, via))
                continue
            if helper is not None and helper.is_class:
                own = self._defined(f) if own is None else own
                helper = own.get(helper.name, helper)  # the file's own shadows another file's
            if helper is None:
                continue
            args = call.parts.get("arg") or _children(call.part("args"))
            if helper.template is None:  # a class made here: its fields are read at the call
                out.extend(self._instance(f, call, helper, args))
                continue
            if (name_arg := f.argument(args, helper.name_arg)) is None:
                continue
            record, cls = self._call_site(f, call, helper, helper.template, args)
            self._file_read(f, out, record, f.name(name_arg), cls, call.node, helper.absent)
        return replace(out.scan(f), exits=tuple(exits), forwards=tuple(forwards))

    def _defined(self, f: FileRoles) -> dict[str, Helper | None]:
        """The names of the classes and functions the file defines -> its class helper of that
        name (``Helper.fields``), None for any other (a plain class, a function)."""
        own: dict[str, Helper | None] = {}
        own.update((f.text(m.part("name")), None) for m in f.roles.all("function"))
        classes = (n for n in below(f.ctx.root) if n.type in self.spec.keys.classes)
        own.update((f.text(node.child_by_field_name("name")), None) for node in classes)
        for item in self.spec.extra(f):
            if isinstance(item, Helper) and item.is_class:
                own[item.name] = item
        return own

    def _instance(
        self, f: FileRoles, call: Match, helper: Helper, args: Sequence[Node]
    ) -> Iterator[EnvRead]:
        """The reads of a class's ``fields`` at a call that makes an instance: a field the
        call gives by name has that default; one it may give (a positional ``**kwargs``, a
        named argument that is no field: ``_env_file=``) does not crash but is ``unknown``."""
        positional, named = f.arguments(args)
        unknown = bool(positional) or not named.keys() <= {name for name, _ in helper.fields}
        for field_name, template in helper.fields:
            given = named.get(field_name)
            if given is not None:
                default = f.text(given)
                template = replace(template, missing="default", on_empty="default", default=default)
            elif unknown:
                template = uncertain(template)
            record, _ = self._call_site(f, call, helper, template, args)
            yield replace(record, name=template.name)

    def _call_site(
        self, f: FileRoles, call: Match, helper: Helper, template: EnvRead, args: Sequence[Node]
    ) -> tuple[EnvRead, Cls]:
        """The read at a wrapper's call site: the wrapper's own class (its ``template``), then
        the call site's context for the paths the wrapper left open."""
        missing, on_empty, default = template.missing, template.on_empty, template.default
        supplied = None
        if helper.default_arg is not None and missing in ("empty", "default"):
            supplied = f.argument(args, helper.default_arg)
        if f.is_null(supplied):  # the wrapper's default is null: for "" too when it takes it
            missing, default = "empty", None
            on_empty = "empty" if on_empty == "default" else on_empty
        elif supplied is not None:
            missing, default = "default", f.text(supplied)
        results: tuple[Holder, ...] = (Holder(absent=helper.absent),)
        if helper.returns_error:  # the call returns (value, error): the error's handling decides
            fails = (missing == "unknown", on_empty == "unknown")
            results = (VALUE, Holder("error", fails))
            missing = "empty" if fails[0] else missing
            on_empty = "empty" if fails[1] else on_empty
        decided = (missing in ("crash", "default"), on_empty in ("crash", "default"))
        if helper.fields:  # the class decided every path: the call only says when it runs
            decided = (True, True)
        start = Cls(missing, on_empty, default, template.expected_type, decided=decided)
        cls = f.walk.classify(call.node, start, results)
        record = env_read(f.location, call.node, template.language, template.api, cls)
        record = replace(record, via=self.spec.via(helper.name))
        if template.crash_location is not None and "crash" in (template.missing, template.on_empty):
            record = replace(record, crash_location=template.crash_location)
        return record, cls


def assigned(roles: Roles, node: Node) -> set[str]:
    """The names the assignment and loop targets inside ``node`` bind."""
    names = {roles.text(m.part("target")) for m in roles.within(node, "assign")}
    for loop in roles.within(node, "loop"):
        names.update(t.strip("() ") for t in roles.text(loop.part("target")).split(","))
    return names


def _rebound(roles: Roles, root: Node) -> set[str]:
    """Names the file binds other than by an import: :func:`assigned` ones, functions and
    their parameters (anywhere: a name bound in some scope shadows an import there)."""
    names = assigned(roles, root)
    names.update(roles.text(m.part("name")) for m in roles.all("function"))
    names.update(roles.text(p) for m in roles.all("function") for p in m.parts.get("param", ()))
    return names


def _inside(at: Location, blocks: Sequence[Location]) -> bool:
    point = (at.line, at.column)
    return any(
        (b.line, b.column) <= point < (b.end_line or b.line, b.end_column or b.column)
        for b in blocks
    )


def _tool_classes(f: FileRoles) -> list[Node]:
    """The ``@tool`` classes: those without a ``.base``, and those whose ``.base`` names one."""
    matches = f.roles.all("tool")
    found = [m for m in matches if m.part("base") is None]
    while True:
        names = {f.text(m.part("name")) for m in found}
        bases = [(m, m.parts.get("base", ())) for m in matches if m not in found]
        grew = [m for m, base in bases if any(f.text(b) in names for b in base)]
        if not grew:
            return [m.node for m in found]
        found += grew


def _pick(f: FileRoles, read: Match, part: str) -> Node | None:
    """The read's ``part``: captured, or the argument its property names."""
    if (node := read.part(part)) is not None or not read.prop(part):
        return node
    return f.argument(_children(read.part("args")), read.prop(part))


def _key(f: FileRoles, node: Node | None, name: Name | None = None) -> str:
    """What a name expression stands for: the literal, else its text."""
    if node is None:
        return ""
    name = name or f.name(node)
    return name.value if name.kind == "literal" else "=" + f.text(node)


def _children(node: Node | None) -> tuple[Node, ...]:
    return tuple(node.named_children) if node is not None else ()


def _binds(f: FileRoles, node: Node, name: str) -> bool:
    """Whether ``node`` has an ``identifier`` ``name`` (itself or below)."""
    return any(n.type == "identifier" and f.text(n) == name for n in below(node))


def _declared(function: Match, param: Node) -> Node | None:
    """The declared default of a wrapper's parameter (a ``.default`` part beside it)."""
    holder = param.parent or param
    for default in function.parts.get("default", ()):
        beside = (default.parent, default.prev_named_sibling)  # (Kotlin: `name: T = d`)
        if any(node is not None and node.id == holder.id for node in beside):
            return default
    return None


class _Out(list["EnvRead | Pending | Helper | ConfigSource"]):
    """What a scan of one file finds, as it finds it: reads, pending reads, helpers and
    configuration sources, in order, and how many reads had no name at all."""

    dynamic: int = 0

    def scan(self, f: FileRoles) -> FileScan:
        mains = [f.location(match.node) for match in f.roles.all("main")]
        tools = [f.location(node) for node in _tool_classes(f)]
        jobs = [f.location(match.node) for match in f.roles.all("job")]

        def mark(read: EnvRead) -> EnvRead:
            main = read.main_only or _inside(read.location, mains)
            tool = read.tool_only or _inside(read.location, tools)
            job = read.job_only or _inside(read.location, jobs)
            return replace(read, main_only=main, tool_only=tool, job_only=job)

        return FileScan(
            tuple(mark(x) for x in self if isinstance(x, EnvRead)),
            tuple(x for x in self if isinstance(x, Helper)),
            tuple(replace(x, read=mark(x.read)) for x in self if isinstance(x, Pending)),
            dynamic=self.dynamic,
            config_sources=tuple(x for x in self if not isinstance(x, EnvRead | Helper | Pending)),
        )
