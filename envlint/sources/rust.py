"""Rust adapter: ``std::env::var`` / ``env::var_os`` / ``dotenvy::var`` reads, classified along
their method chain (research/source-patterns.md A.6).

Forms and their classes (``missing`` / ``on_empty``):

* ``env::var("X")`` is a ``Result``: unset is ``Err``, ``X=`` is ``Ok("")``.  ``.unwrap()`` /
  ``.expect(..)`` crash / empty; ``.unwrap_or(d)`` / ``.unwrap_or_else(|_| d)`` /
  ``.unwrap_or_default()`` default / empty (a closure that panics or exits is a crash);
  ``.ok()`` empty / empty; ``match env::var("X") { Err(_) => panic!(..), .. }`` crash (an ``Err``
  arm with a value is a default); ``if let Ok(v) = env::var("X")`` empty, with an ``else``
  that panics/exits crash; ``let Ok(v) = env::var("X") else { panic!() }`` crash.
* ``?`` in ``main`` crash; in another function the failure travels to its callers: the read
  is a crash when a call site of that function (same directory) unwraps it, ``expect``s it or
  ``?``s it in ``main`` (one level), otherwise ``unknown``.
* ``.parse()`` on the value types the read (turbofish ``parse::<u64>()``, else the ``let x: T``
  annotation) and moves the empty case onto the parse result: ``.unwrap()`` / ``?`` make
  ``on_empty`` a crash, ``.unwrap_or(n)`` a default; ``.ok().and_then(|v| v.parse().ok())``
  joins both cases.  ``Duration::from_secs(..)`` (``from_millis``...) around the read types it
  ``duration``.
* ``env::var_os("X")`` is an ``Option``: empty / empty unless unwrapped.
* ``env!("X")`` / ``option_env!("X")`` are compile-time macros, not runtime reads: skipped.
* ``envy::from_env::<T>()`` / ``envy::prefixed("P_").from_env::<T>()`` (or ``let c: T = ..``):
  one read per field of ``struct T`` declared in the same file, named prefix + field (or
  ``#[serde(rename)]``) upper-cased; ``Option`` fields empty, ``#[serde(default)]`` fields
  default, the others take the call's class (``unwrap``/``expect``/``?``); non-string field
  types fail on ``X=`` too.

Names: string literals, ``const`` / ``static`` string items (this file first, then the scope =
the directory), ``format!("{}_HOST", p)`` (a pattern when a part is unknown).  Helpers: a
function whose parameter flows into a read is a wrapper (its call sites become reads with
``via``); a wrapper that returns the ``Result``/``Option`` itself lets the call site decide.

Not analysed (gaps): reads inside macro arguments (``println!("{}", env::var("X")?)``), a
``Result`` stored in a variable and unwrapped later, bare ``var("X")`` after
``use std::env::var``, envy structs declared in another file, ``#[serde(rename_all)]``, clap
``#[arg(env = "X")]``; a ``?`` chain is followed one caller deep.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import TYPE_CHECKING

from envlint.sources._common import Cls, FileState, Name, call_site_read, env_read, name_from_parts
from envlint.sources.adapter import (
    FileContext,
    FileScan,
    Helper,
    Pending,
    ancestors,
    compile_query,
    location,
    matches,
    text,
)
from envlint.sources.adapter import same_node as _is

if TYPE_CHECKING:
    from collections.abc import Mapping

    from tree_sitter import Node

    from envlint.model import Location
    from envlint.sources.model import EnvRead, Missing, ValueType

__all__ = ["ADAPTER"]

_READS = """
((call_expression function: (scoped_identifier path: (_) @path name: (identifier) @f)
                  arguments: (arguments . (_) @arg)) @read
 (#match? @path "(^|::)(env|dotenvy)$") (#any-of? @f "var" "var_os"))
"""
_CALLS = """
(call_expression function: [(identifier) @callee
                            (scoped_identifier name: (identifier) @callee)
                            (field_expression field: (field_identifier) @callee)]) @call
"""
_ENVY = """
(call_expression function: [(scoped_identifier) (generic_function) (field_expression)]) @call
"""
_CONSTS = """
([(const_item name: (identifier) @name value: (_) @value)
  (static_item name: (identifier) @name value: (_) @value)])
"""

_PANICS = frozenset({"panic", "unreachable", "todo", "unimplemented", "assert", "assert_ne"})
_EXIT_CALLS = frozenset({"exit", "abort"})
_INT_TYPES = frozenset(
    {"u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize"}
)
_TYPES: Mapping[str, ValueType] = MappingProxyType(
    {
        **{t: "int" for t in _INT_TYPES},
        "f32": "float",
        "f64": "float",
        "bool": "bool",
        "Url": "url",
        "Duration": "duration",
    }
)
_DURATION_CTORS = frozenset(
    {"from_secs", "from_millis", "from_micros", "from_nanos", "from_secs_f64", "from_secs_f32"}
)
# methods that keep the Result/Option (and which case it fails on) as it is
_KEEP = frozenset(
    {"map_err", "as_deref", "as_ref", "context", "with_context", "ok_or", "ok_or_else", "as_mut"}
)
# methods on the value that keep it a value
_VALUE_KEEP = frozenset(
    {
        "trim",
        "to_string",
        "to_owned",
        "as_str",
        "clone",
        "into",
        "to_lowercase",
        "to_uppercase",
        "to_ascii_lowercase",
        "into_string",
    }
)
_TRANSPARENT = frozenset({"parenthesized_expression", "reference_expression"})
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)?(?::[^}]*)?\}")


@dataclass(frozen=True, slots=True)
class _State:
    """The class so far, plus what the current expression is: a ``Result``/``Option`` whose
    failure covers the missing and/or the empty case (``fails``), or a plain value."""

    cls: Cls
    wrapped: bool  # a Result/Option (True) or a value (False)
    fail_missing: bool
    fail_empty: bool
    parsed: bool = False
    error_via: Node | None = None  # the function a ``?`` hands the failure to
    open_end: bool = False  # the Result/Option is the function's return value


# --- small tree helpers -------------------------------------------------------------------


def _up(node: Node) -> Node:
    while node.parent is not None and node.parent.type in _TRANSPARENT:
        node = node.parent
    return node


def _string(node: Node | None) -> str | None:
    """A plain string literal's value (no escapes), else None."""
    if node is None or node.type not in ("string_literal", "raw_string_literal"):
        return None
    parts = [c for c in node.named_children if c.type != "string_content"]
    if parts:
        return None
    return "".join(text(c) for c in node.named_children)


def _function_of(node: Node) -> Node | None:
    """The enclosing ``fn`` (None when a closure comes first, or at the top level)."""
    for parent in ancestors(node):
        if parent.type == "closure_expression":
            return None
        if parent.type == "function_item":
            return parent
    return None


def _fn_name(function: Node) -> str:
    return text(function.child_by_field_name("name"))


def _params(function: Node) -> list[str]:
    params = function.child_by_field_name("parameters")
    if params is None:
        return []
    out = []
    for p in params.named_children:
        if p.type == "parameter":
            out.append(text(p.child_by_field_name("pattern")))
        elif p.type == "self_parameter":
            continue
    return out


def _diverges(node: Node | None) -> Node | None:
    """A panic-like macro or ``process::exit`` call at or inside ``node`` (not in a closure)."""
    if node is None:
        return None
    stack = [node]
    while stack:
        cur = stack.pop()
        if cur.type == "macro_invocation":
            if text(cur.child_by_field_name("macro")).rpartition("::")[2] in _PANICS:
                return cur
            continue
        if cur.type == "call_expression":
            fn = cur.child_by_field_name("function")
            if fn is not None and fn.type == "scoped_identifier":
                name = text(fn.child_by_field_name("name"))
                path = text(fn.child_by_field_name("path"))
                if name in _EXIT_CALLS and path.rpartition("::")[2] == "process":
                    return cur
        if cur.type == "closure_expression" or cur.type == "function_item":
            continue
        stack.extend(reversed(cur.named_children))
    return None


def _method_call(node: Node) -> tuple[str, Node, Node | None] | None:
    """When ``node`` is the receiver of a method call: (method, call, turbofish type)."""
    parent = node.parent
    if parent is None or parent.type != "field_expression":
        return None
    if not _is(parent.child_by_field_name("value"), node):
        return None
    method = text(parent.child_by_field_name("field"))
    holder = parent.parent
    turbofish: Node | None = None
    if holder is not None and holder.type == "generic_function":
        targs = holder.child_by_field_name("type_arguments")
        turbofish = targs.named_children[0] if targs and targs.named_children else None
        parent, holder = holder, holder.parent
    if holder is None or holder.type != "call_expression":
        return None
    if not _is(holder.child_by_field_name("function"), parent):
        return None
    return method, holder, turbofish


def _type_of(node: Node | None) -> ValueType | None:
    if node is None:
        return None
    return _TYPES.get(text(node).rpartition("::")[2])


def _let_type(top: Node) -> ValueType | None:
    parent = top.parent
    if (
        parent is not None
        and parent.type == "let_declaration"
        and _is(parent.child_by_field_name("value"), top)
    ):
        return _type_of(parent.child_by_field_name("type"))
    return None


def _first_arg(call: Node) -> Node | None:
    args = call.child_by_field_name("arguments")
    return args.named_children[0] if args is not None and args.named_children else None


def _closure_body(arg: Node | None) -> Node | None:
    if arg is not None and arg.type == "closure_expression":
        return arg.child_by_field_name("body")
    return None


# --- classification ------------------------------------------------------------------------


def _fail(st: _State, missing: Missing, node: Node | None, dflt: str | None = None) -> _State:
    """The failing cases of the current Result/Option end in ``missing``."""
    cls = st.cls
    if st.fail_missing and cls.missing in ("empty", "unknown"):
        cls = replace(cls, missing=missing, default=dflt if missing == "default" else cls.default)
        if missing == "crash":
            cls = replace(cls, crash=node)
    if st.fail_empty and cls.on_empty in ("empty", "unknown"):
        cls = replace(cls, on_empty=missing)
        if missing == "crash" and cls.crash is None:
            cls = replace(cls, crash=node)
    return replace(st, cls=cls, wrapped=False, fail_missing=False, fail_empty=False)


def _set_type(st: _State, vtype: ValueType | None) -> _State:
    if vtype is None or st.cls.type == "duration":
        return st
    return replace(st, cls=replace(st.cls, type=vtype))


def _closure_parse(body: Node) -> tuple[bool, ValueType | None, bool]:
    """(parses, type, parse failure ends in None/propagates) for ``|v| v.parse().ok()``."""
    stack = [body]
    while stack:
        cur = stack.pop()
        if cur.type == "field_expression" and text(cur.child_by_field_name("field")) == "parse":
            holder = cur.parent
            vtype: ValueType | None = None
            if holder is not None and holder.type == "generic_function":
                targs = holder.child_by_field_name("type_arguments")
                if targs is not None and targs.named_children:
                    vtype = _type_of(targs.named_children[0])
            return True, vtype, True
        stack.extend(cur.named_children)
    return False, None, False


def _step(node: Node, st: _State) -> tuple[Node, _State] | None:
    """One step up the chain from ``node``; None when the chain ends."""
    parent = node.parent
    if parent is None:
        return None
    if parent.type == "try_expression":
        if not st.wrapped:
            return None
        function = _function_of(parent)
        if function is not None and _fn_name(function) == "main":
            return parent, _fail(st, "crash", parent)
        if function is None:
            return parent, _fail(st, "unknown", None)
        nxt = _fail(st, "unknown", None)
        return parent, replace(nxt, error_via=function)
    if parent.type in _TRANSPARENT:
        return parent, st
    call = _method_call(node)
    if call is None:
        return None
    method, holder, turbofish = call
    arg = _first_arg(holder)
    if st.wrapped:
        if method in ("unwrap", "expect"):
            return holder, _fail(st, "crash", holder)
        if method == "unwrap_or_default":
            return holder, _fail(st, "default", None, '""' if not st.parsed else "0")
        if method == "unwrap_or":
            return holder, _fail(st, "default", None, text(arg))
        if method in ("unwrap_or_else", "or_else"):
            body = _closure_body(arg)
            crash = _diverges(body)
            if crash is not None:
                return holder, _fail(st, "crash", crash)
            return holder, _fail(st, "default", None, text(body if body is not None else arg))
        if method in ("ok", "err") or method in _KEEP:
            return holder, st
        if method in ("and_then", "map"):
            body = _closure_body(arg)
            if body is None:
                return holder, st
            if body.type == "binary_expression" and any(
                _string(c) is not None for c in body.named_children
            ):
                return holder, replace(st, cls=replace(st.cls, type="bool"))  # ``|v| v == "1"``
            parses, vtype, to_none = _closure_parse(body)
            if parses:
                st = replace(_set_type(st, vtype), parsed=True)
                if _diverges(body) is None and not _has_unwrap(body) and to_none:
                    return holder, replace(st, fail_empty=True)
                on_empty: Missing = (
                    "crash" if st.cls.on_empty in ("empty", "unknown") else st.cls.on_empty
                )
                crash = st.cls.crash if st.cls.crash is not None else body
                return holder, replace(st, cls=replace(st.cls, on_empty=on_empty, crash=crash))
            return holder, st
        return None  # is_ok(), is_some(), ...: a presence test
    if method == "parse":
        nxt = replace(st, wrapped=True, fail_missing=False, fail_empty=True, parsed=True)
        return holder, _set_type(nxt, _type_of(turbofish))
    if method in _VALUE_KEEP:
        return holder, st
    return None


def _has_unwrap(body: Node) -> bool:
    stack = [body]
    while stack:
        cur = stack.pop()
        if cur.type == "field_expression" and text(cur.child_by_field_name("field")) in (
            "unwrap",
            "expect",
        ):
            return True
        stack.extend(cur.named_children)
    return False


def _walk(start: Node, st: _State) -> tuple[Node, _State]:
    """Climb the chain from ``start``; then the statement the chain ends in."""
    node = start
    while True:
        nxt = _step(node, st)
        if nxt is None:
            break
        node, st = nxt
    if st.parsed and st.cls.type == "string":
        st = _set_type(st, _let_type(node) or _return_type(node))
    parent = node.parent
    if (
        parent is not None
        and parent.type == "arguments"
        and parent.parent is not None
        and parent.parent.type == "call_expression"
    ):
        fn = parent.parent.child_by_field_name("function")
        if (
            fn is not None
            and fn.type == "scoped_identifier"
            and text(fn.child_by_field_name("name")) in _DURATION_CTORS
        ):
            st = replace(st, cls=replace(st.cls, type="duration"))
    if st.wrapped:
        st = _consume(node, st)
    return node, st


def _consume(node: Node, st: _State) -> _State:
    """``match`` / ``if let`` / ``let .. else`` / a function's return value."""
    parent = node.parent
    if parent is None:
        return st
    if parent.type == "match_expression" and _is(parent.child_by_field_name("value"), node):
        body = parent.child_by_field_name("body")
        for arm in body.named_children if body is not None else []:
            if arm.type != "match_arm":
                continue
            pattern = text(arm.child_by_field_name("pattern")).strip()
            if not (pattern.startswith(("Err", "None")) or pattern == "_"):
                continue
            value = arm.child_by_field_name("value")
            crash = _diverges(value)
            if crash is not None:
                return _fail(st, "crash", crash)
            if value is not None and value.type not in ("return_expression", "unit_expression"):
                return _fail(st, "default", None, text(value))
        return st
    if parent.type == "let_condition" and _is(parent.child_by_field_name("value"), node):
        if_expr = parent.parent
        pattern = text(parent.child_by_field_name("pattern")).strip()
        branch = "consequence" if pattern.startswith(("Err", "None")) else "alternative"
        alt = if_expr.child_by_field_name(branch) if if_expr is not None else None
        crash = _diverges(alt)
        return _fail(st, "crash", crash) if crash is not None else st
    if parent.type == "let_declaration" and _is(parent.child_by_field_name("value"), node):
        alt = parent.child_by_field_name("alternative")
        crash = _diverges(alt)
        if crash is not None:
            return _fail(st, "crash", crash)
        return st
    if _returned(node):
        return replace(st, open_end=True)
    return st


def _return_type(node: Node) -> ValueType | None:
    """The declared return type of the function whose value ``node`` is."""
    function = _function_of(node)
    if function is None or not _returned(node):
        return None
    return _type_of(function.child_by_field_name("return_type"))


def _returned(node: Node) -> bool:
    """The expression is its function's value (tail expression or ``return``)."""
    parent = node.parent
    if parent is None:
        return False
    if parent.type == "return_expression":
        return True
    if parent.type == "block" and parent.named_children and _is(parent.named_children[-1], node):
        grand = parent.parent
        return grand is not None and grand.type == "function_item"
    return False


# --- names ---------------------------------------------------------------------------------


def _consts(ctx: FileContext) -> dict[str, str]:
    out: dict[str, str] = {}
    for _, caps in matches(compile_query("rust", _CONSTS), ctx.root):
        value = _string(caps["value"][0])
        name = text(caps["name"][0])
        if value is not None and name not in out:
            out[name] = value
    return out


def _resolve(arg: Node, consts: Mapping[str, str], params: list[str]) -> Name:
    while arg.type in _TRANSPARENT or (
        arg.type == "call_expression" and _method_call_is(arg, ("as_str", "to_string", "as_ref"))
    ):
        if arg.type == "call_expression":
            fn = arg.child_by_field_name("function")
            inner = fn.child_by_field_name("value") if fn is not None else None
            if inner is None:
                return Name("dynamic")
            arg = inner
        else:
            inner = arg.named_children[-1] if arg.named_children else None
            if inner is None:
                return Name("dynamic")
            arg = inner
    literal = _string(arg)
    if literal is not None:
        return Name("literal", literal)
    if arg.type in ("identifier", "scoped_identifier"):
        ident = text(arg).rpartition("::")[2]
        if arg.type == "identifier" and ident in params:
            return Name("param", ident, param=params.index(ident))
        if ident in consts:
            return Name("literal", consts[ident])
        return Name("const", ident) if ident.isupper() else Name("dynamic")
    if arg.type == "macro_invocation" and text(arg.child_by_field_name("macro")) == "format":
        return _format_name(arg, consts)
    return Name("dynamic")


def _method_call_is(call: Node, methods: tuple[str, ...]) -> bool:
    fn = call.child_by_field_name("function")
    return (
        fn is not None
        and fn.type == "field_expression"
        and text(fn.child_by_field_name("field")) in methods
    )


def _format_name(macro: Node, consts: Mapping[str, str]) -> Name:
    tree = next((c for c in macro.named_children if c.type == "token_tree"), None)
    if tree is None or not tree.named_children:
        return Name("dynamic")
    template = _string(tree.named_children[0])
    if template is None:
        return Name("dynamic")
    args = [c for c in tree.named_children[1:]]
    parts: list[str | None] = []
    unknown: list[str] = []
    at = 0
    position = 0
    for m in _PLACEHOLDER.finditer(template):
        parts.append(template[at : m.start()])
        at = m.end()
        if m.group(0) in ("{{", "}}"):
            parts.append(m.group(0)[0])
            continue
        ident = m.group(1)
        if ident is None:
            ident = text(args[position]) if position < len(args) else ""
            position += 1
        ident = ident.rpartition("::")[2]
        if ident in consts:
            parts.append(consts[ident])
        else:
            parts.append(None)
            unknown.append(ident)
    parts.append(template[at:])
    return name_from_parts([p for p in parts if p != ""], unknown)


# --- the adapter ---------------------------------------------------------------------------


def _initial() -> _State:
    """``env::var`` and ``var_os`` fail on the missing case only (``X=`` is Ok("") / Some(""))."""
    return _State(cls=Cls("empty"), wrapped=True, fail_missing=True, fail_empty=False)


def _finish_state(st: _State) -> Cls:
    cls = st.cls
    if st.open_end:  # the caller decides: mark the open cases
        cls = replace(
            cls,
            missing="unknown" if st.fail_missing and cls.missing == "empty" else cls.missing,
            on_empty="unknown" if st.fail_empty and cls.on_empty == "empty" else cls.on_empty,
        )
    return cls


class _Rust:
    languages = frozenset({"rust"})
    needles = (b"env::var", b"var_os", b"envy")

    def scope(self, path: str) -> str:
        return path.rpartition("/")[0]

    def scan(self, ctx: FileContext) -> FileScan:
        consts = _consts(ctx)
        state = FileState(ctx, MappingProxyType(consts))
        errors: dict[str, Helper] = {}
        for _, caps in matches(compile_query("rust", _READS), ctx.root):
            read = caps["read"][0]
            api = text(read.child_by_field_name("function"))
            function = _function_of(read)
            params = _params(function) if function is not None else []
            name = _resolve(caps["arg"][0], consts, params)
            _, st = _walk(read, _initial())
            cls = _finish_state(st)
            record = env_read(ctx, read, api, cls)
            if name.kind == "param" and function is not None:
                state.helpers.append(_wrapper(ctx, function, record, name.param, st))
                continue
            _emit(state, errors, record, st, name)
        if b"envy" in ctx.source:
            for _, caps in matches(compile_query("rust", _ENVY), ctx.root):
                _envy(state, errors, caps["call"][0])
        state.helpers.extend(errors.values())
        return state.file_scan(with_constants=True)

    def scan_calls(self, ctx: FileContext, helpers: Mapping[str, Helper]) -> FileScan:
        consts = _consts(ctx)
        state = FileState(ctx, MappingProxyType(consts))
        exits: list[tuple[str, Location]] = []
        for _, caps in matches(compile_query("rust", _CALLS), ctx.root):
            call = caps["call"][0]
            helper = helpers.get(text(caps["callee"][0]))
            if helper is None or _is_definition_name(call, helper):
                continue
            if helper.kind == "error":
                _, st = _walk(call, _State(Cls("unknown"), True, True, False))
                if st.cls.missing == "crash" and st.cls.crash is not None:
                    exits.append((helper.name, location(ctx, st.cls.crash)))
                continue
            _call_site(state, call, helper, consts)
        scan = state.file_scan(with_constants=False)
        return replace(scan, exits=tuple(exits))


def _emit(
    state: FileState, errors: dict[str, Helper], record: EnvRead, st: _State, name: Name
) -> None:
    """File a read; one whose failure a ``?`` hands to another function waits for its callers."""
    if st.error_via is None:
        state.finish(record, name)
        return
    fname = _fn_name(st.error_via)
    errors.setdefault(fname, Helper(fname, "error", location(state.ctx, st.error_via)))
    resolved = _literal(name)
    if resolved is None and name.kind != "const":
        state.dynamic += 1
        return
    state.pending.append(
        Pending(
            read=replace(record, name=resolved or "", is_pattern=name.kind == "pattern"),
            name_const=name.value if name.kind == "const" else None,
            fails_via=fname,
            prefix=name.prefix,
            suffix=name.suffix,
            empty_fails=record.on_empty == "unknown",
        )
    )


def _envy(state: FileState, errors: dict[str, Helper], call: Node) -> None:
    """``envy::from_env::<T>()`` / ``envy::prefixed("P_").from_env::<T>()``: one read per field
    of struct ``T`` (declared in the same file): ``Option`` fields empty, ``#[serde(default)]``
    fields default, the others fail the whole call (classified like an ``env::var`` read)."""
    fn = call.child_by_field_name("function")
    turbofish: Node | None = None
    if fn is not None and fn.type == "generic_function":
        targs = fn.child_by_field_name("type_arguments")
        turbofish = targs.named_children[0] if targs and targs.named_children else None
        fn = fn.child_by_field_name("function")
    if fn is None or text(fn).rpartition("::")[2].rpartition(".")[2] != "from_env":
        return
    prefix = ""
    if fn.type == "scoped_identifier":
        if text(fn.child_by_field_name("path")) != "envy":
            return
    else:
        inner = fn.child_by_field_name("value")
        inner_fn = inner.child_by_field_name("function") if inner is not None else None
        if inner is None or text(inner_fn) != "envy::prefixed":
            return
        literal = _string(_first_arg(inner))
        if literal is None:
            state.dynamic += 1
            return
        prefix = literal
    top, st = _walk(call, _initial())
    target = turbofish
    if target is None:
        holder = top.parent
        if holder is not None and holder.type == "let_declaration":
            target = holder.child_by_field_name("type")
    struct = _struct(state.ctx.root, text(target))
    if struct is None:
        state.dynamic += 1
        return
    cls = _finish_state(st)
    for field_name, field_type, attrs in struct:
        optional = field_type.startswith("Option<")
        inner_type = field_type[7:-1] if optional else field_type
        vtype = _TYPES.get(inner_type.rpartition("::")[2], "string")
        rename = re.search(r'rename\s*=\s*"([^"]*)"', attrs)
        name = prefix + (rename.group(1) if rename else field_name).upper()
        default = re.search(r'\bdefault\b(?:\s*=\s*"([^"]*)")?', attrs)
        if default is not None:
            dflt = f"{default.group(1)}()" if default.group(1) else "Default::default()"
            field_cls = replace(cls, missing="default", default=dflt, crash=None)
        elif optional:
            field_cls = replace(cls, missing="empty", crash=None)
        else:
            field_cls = cls
        field_cls = replace(
            field_cls, type=vtype, on_empty=cls.missing if vtype != "string" else "empty"
        )
        record = env_read(state.ctx, call, "envy::from_env", field_cls)
        field_st = st if field_cls.missing == cls.missing else replace(st, error_via=None)
        _emit(state, errors, record, field_st, Name("literal", name))


def _struct(root: Node, name: str) -> list[tuple[str, str, str]] | None:
    """(field, type text, serde attribute text) of ``struct name`` in this file."""
    name = name.rpartition("::")[2]
    for item in root.named_children:
        if item.type != "struct_item" or text(item.child_by_field_name("name")) != name:
            continue
        body = item.child_by_field_name("body")
        if body is None:
            return None
        out: list[tuple[str, str, str]] = []
        attrs: list[str] = []
        for child in body.named_children:
            if child.type == "attribute_item":
                attrs.append(text(child))
            elif child.type == "field_declaration":
                field_type = re.sub(r"\s+", "", text(child.child_by_field_name("type")))
                serde = " ".join(a for a in attrs if "serde" in a)
                out.append((text(child.child_by_field_name("name")), field_type, serde))
                attrs = []
        return out
    return None


def _literal(name: Name) -> str | None:
    return name.value if name.kind in ("literal", "pattern") else None


def _is_definition_name(call: Node, helper: Helper) -> bool:
    """A recursive call inside the helper itself is not a call site."""
    function = _function_of(call)
    return function is not None and _fn_name(function) == helper.name and helper.kind == "wrapper"


def _wrapper(ctx: FileContext, function: Node, record: EnvRead, param: int, st: _State) -> Helper:
    params = _params(function)
    default_param = None
    if record.missing == "default" and record.default is not None:
        head = re.split(r"\W", record.default, maxsplit=1)[0]
        if head in params:
            default_param = params.index(head)
    name = _fn_name(function)
    return Helper(
        name=name,
        kind="wrapper",
        location=location(ctx, function),
        template=replace(record, via=name),
        name_param=param,
        default_param=default_param,
        returns_error=(st.open_end and (st.fail_missing or st.fail_empty))
        or st.error_via is not None,
    )


def _call_site(state: FileState, call: Node, helper: Helper, consts: Mapping[str, str]) -> None:
    template = helper.template
    args_node = call.child_by_field_name("arguments")
    args = list(args_node.named_children) if args_node is not None else []
    if template is None or helper.name_param >= len(args):
        return
    function = _function_of(call)
    params = _params(function) if function is not None else []
    name = _resolve(args[helper.name_param], consts, params)
    start = Cls.of(template)
    if helper.default_param is not None and helper.default_param < len(args):
        start = replace(start, default=text(args[helper.default_param]))
    if helper.returns_error:
        st = _State(
            cls=replace(
                start,
                missing="empty" if start.missing == "unknown" else start.missing,
                on_empty="empty" if start.on_empty == "unknown" else start.on_empty,
            ),
            wrapped=True,
            fail_missing=template.missing == "unknown",
            fail_empty=template.on_empty == "unknown",
        )
    else:
        st = _State(cls=start, wrapped=False, fail_missing=False, fail_empty=False)
    _, st = _walk(call, st)
    record = call_site_read(state.ctx, call, helper, st.cls)
    if name.kind == "param" and function is not None:
        outer = _wrapper(state.ctx, function, replace(record, via=None), name.param, st)
        state.helpers.append(
            replace(outer, template=replace(outer.template or record, api=template.api))
        )
        return
    if st.error_via is not None:
        state.finish(
            replace(record, missing="unknown" if record.missing == "empty" else record.missing),
            name,
        )
        return
    state.finish(record, name)


ADAPTER = _Rust()
