"""The adapter every language shares: reads, wrappers, constants and call sites from roles.

A language module builds one :class:`RoleAdapter` from a :class:`Spec` — its role query, its
:class:`~envlint.sources.classify.Grammar` and a few small functions that say how names are
keyed — and exports it as ``ADAPTER``.  Phase 1 (``scan``) classifies every ``@read`` with the
shared :class:`~envlint.sources.classify.Walk`, turns reads whose name is a parameter of their
function into wrapper helpers, and offers the file's ``@const`` strings to its scope; phase 2
(``scan_calls``) classifies the call sites of those wrappers the same way.  Library forms that
no role can express (``IConfiguration`` sections, struct tags, settings classes) come from the
spec's ``extra`` function.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import TYPE_CHECKING

from envlint.sources.adapter import FileContext, FileScan, Helper, Pending, location
from envlint.sources.classify import Cls, Grammar, Match, Name, Roles, Walk, env_read, load_query
from envlint.sources.classify import resolve_name as _resolve
from envlint.sources.model import EnvRead

if TYPE_CHECKING:
    from tree_sitter import Node

    from envlint.model import Location

__all__ = ["FileRoles", "RoleAdapter", "Spec"]


@dataclass(frozen=True, slots=True)
class FileRoles:
    """One parsed file with its roles and walk, as the spec's functions see it."""

    ctx: FileContext
    roles: Roles
    walk: Walk
    consts: Mapping[str, str]  # this file's constants by every key they are known by
    name_keys: Callable[[Node, Roles], Sequence[str]]

    def text(self, node: Node | None) -> str:
        return self.roles.text(node)

    def location(self, node: Node) -> Location:
        return location(self.ctx, node)

    def name(self, node: Node | None) -> Name:
        return _resolve(self.walk, node, self.consts, self.name_keys)


@dataclass(frozen=True)
class Spec:
    """What a language adds to the shared adapter."""

    languages: frozenset[str]
    query: str  # queries/<query>.scm
    grammar: Grammar
    needles: tuple[bytes, ...]
    # the helper/constant scope of a file (Go: its directory = package; default: one scope)
    scope: Callable[[str], str] = lambda _path: ""
    # the keys a @const is known by in its file (``X``, ``Class.X``), the first one shared
    const_keys: Callable[[Match, Roles], Sequence[str]] = lambda m, r: (r.text(m.part("name")),)
    # the keys a name expression may refer to, most specific first (the first one is pending)
    name_keys: Callable[[Node, Roles], Sequence[str]] = lambda n, r: (r.text(n),)
    # the helper key of a wrapper function, or None when it cannot be called by name
    helper_key: Callable[[Match, Roles], str | None] = lambda m, r: r.text(m.part("name")) or None
    # the helper keys a call may invoke
    call_keys: Callable[[Match, Roles], Sequence[str]] = lambda m, r: (r.text(m.part("name")),)
    # library forms: extra reads of the file (settings classes, struct tags, config sections)
    extra: Callable[[FileRoles], Iterable[EnvRead]] | None = None


def _base(read: Match, roles: Roles) -> Cls:
    cls = Cls()
    for path, outcome in (("missing", read.prop("missing")), ("on_empty", read.prop("on_empty"))):
        if outcome in ("crash", "default", "empty", "unknown"):
            default = read.part("default") if outcome == "default" else None
            at = default if default is not None else read.node
            cls = cls.decide(outcome, at, path == "missing", path == "on_empty", roles)  # type: ignore[arg-type]
    if read.part("default") is not None and not cls.decided[0]:
        cls = cls.decide("default", read.part("default"), True, False, roles)
    if read.prop("type"):
        cls = replace(cls, type=read.prop("type"))  # type: ignore[arg-type]
    return cls


class RoleAdapter:
    """An :class:`~envlint.sources.adapter.Adapter` driven by a language's roles."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.languages = spec.languages
        self.needles = spec.needles

    def scope(self, path: str) -> str:
        return self.spec.scope(path)

    # -- per file ------------------------------------------------------------------------

    def _file(self, ctx: FileContext) -> FileRoles:
        roles = Roles(load_query(ctx.language, self.spec.query), ctx.root, ctx.source)
        walk = Walk(self.spec.grammar, roles)
        consts: dict[str, str] = {}
        for match in roles.all("const"):
            value = _resolve(walk, match.part("value"), {}, lambda _n, _r: ())
            if value.kind != "literal":
                continue
            for key in self.spec.const_keys(match, roles):
                consts.setdefault(key, value.value)
        return FileRoles(ctx, roles, walk, MappingProxyType(consts), self.spec.name_keys)

    def _shared(self, f: FileRoles) -> dict[str, str]:
        shared: dict[str, str] = {}
        for match in f.roles.all("const"):
            keys = self.spec.const_keys(match, f.roles)
            if keys and keys[0] in f.consts:
                shared.setdefault(keys[0], f.consts[keys[0]])
        return shared

    def scan(self, ctx: FileContext) -> FileScan:
        f = self._file(ctx)
        out = _Out()
        for match in f.roles.all("read"):
            if f.roles.ignored(match.node):
                continue
            cls = f.walk.classify(match.node, _base(match, f.roles))
            record = env_read(
                lambda n: location(ctx, n), match.node, ctx.language, match.prop("api"), cls
            )
            self._file_read(f, out, record, f.name(match.part("name")), cls)
        if self.spec.extra is not None:
            out.reads.extend(self.spec.extra(f))
        return FileScan(
            reads=tuple(out.reads),
            helpers=tuple(out.helpers),
            pending=tuple(out.pending),
            constants=MappingProxyType(self._shared(f)),
            dynamic=out.dynamic,
        )

    def _file_read(self, f: FileRoles, out: _Out, record: EnvRead, name: Name, cls: Cls) -> None:
        if name.kind == "literal":
            out.reads.append(replace(record, name=name.value))
        elif name.kind == "pattern":
            out.reads.append(replace(record, name=name.value, is_pattern=True))
        elif name.kind == "const":
            out.pending.append(
                Pending(record, name_const=name.value, prefix=name.prefix, suffix=name.suffix)
            )
        elif name.kind == "param" and name.function is not None:
            helper = self._wrapper(f, name, record, cls)
            if helper is None:
                out.dynamic += 1
            else:
                out.helpers.append(helper)
        else:
            out.dynamic += 1

    def _wrapper(self, f: FileRoles, name: Name, record: EnvRead, cls: Cls) -> Helper | None:
        function = name.function
        assert function is not None
        key = self.spec.helper_key(function, f.roles)
        if key is None:
            return None
        params = [f.text(p) for p in function.parts.get("param", ())]
        default_param = None
        if cls.missing == "default" and cls.default in params:
            default_param = params.index(cls.default or "")
        return Helper(
            name=key,
            kind="wrapper",
            location=location(f.ctx, function.node),
            template=replace(record, via=key.rpartition(".")[2]),
            name_param=name.param,
            default_param=default_param,
        )

    def scan_calls(self, ctx: FileContext, helpers: Mapping[str, Helper]) -> FileScan:
        f = self._file(ctx)
        out = _Out()
        for call in f.roles.all("call"):
            helper = next(
                (h for k in self.spec.call_keys(call, f.roles) if (h := helpers.get(k))), None
            )
            if helper is None or helper.template is None:
                continue
            args = call.parts.get("arg", ())
            if helper.name_param >= len(args):
                continue
            record, cls = self._call_site(f, call, helper, args)
            self._file_read(f, out, record, f.name(args[helper.name_param]), cls)
        return FileScan(
            reads=tuple(out.reads), helpers=tuple(out.helpers), dynamic=out.dynamic
        )

    def _call_site(
        self, f: FileRoles, call: Match, helper: Helper, args: Sequence[Node]
    ) -> tuple[EnvRead, Cls]:
        """The read at a wrapper's call site: the wrapper's own class, then the call site's
        context for the paths the wrapper left open."""
        template = helper.template
        assert template is not None
        start = Cls.of(template)
        final = ("crash", "default")
        start = replace(start, decided=(template.missing in final, template.on_empty in final))
        if helper.default_param is not None and helper.default_param < len(args):
            start = replace(start, default=f.text(args[helper.default_param]))
        cls = f.walk.classify(call.node, start)
        record = replace(
            env_read(lambda n: location(f.ctx, n), call.node, template.language, template.api, cls),
            via=helper.name.rpartition(".")[2],
        )
        if template.crash_location is not None and (
            template.missing == "crash" or template.on_empty == "crash"
        ):
            record = replace(record, crash_location=template.crash_location)
        return record, cls


class _Out:
    def __init__(self) -> None:
        self.reads: list[EnvRead] = []
        self.helpers: list[Helper] = []
        self.pending: list[Pending] = []
        self.dynamic = 0
