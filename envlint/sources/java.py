"""Java adapter: ``System.getenv`` reads, helpers and Spring ``@Value`` placeholders
(research/source-patterns.md A.5).  Kotlin has its own adapter (envlint/sources/kotlin.py).

Forms and their classes (``missing`` / ``on_empty``):

* ``System.getenv("X")``, ``System.getenv().get("X")``: empty (null) / empty;
  ``System.getenv().getOrDefault("X", d)``: default / empty.
* ``Integer.parseInt`` / ``valueOf``, ``Long.parseLong``...: int, crash / crash
  (NumberFormatException on null and ""); ``Double.parseDouble``...: float, crash / crash;
  ``Duration.parse``: duration, crash / crash; ``Boolean.parseBoolean``: bool, no crash;
  ``URI.create`` / ``new URL``: url, crash on null.
* ``Objects.requireNonNull(read, ...)``, ``Optional.of(read)``, a method call on the value
  (``System.getenv("X").trim()``): crash (NullPointerException) / empty;
  ``Objects.requireNonNullElse(read, d)``: default.
* ``Optional.ofNullable(read)`` chains: ``.orElse(d)`` / ``.orElseGet(...)`` default,
  ``.orElseThrow(...)`` / ``.get()`` crash, ``.map(Integer::parseInt)`` types it,
  ``.filter(s -> !s.isEmpty())`` makes "" behave like missing.
* ``read != null ? read : d`` (same read text) default; ``if (v == null) throw ... /
  System.exit(1)`` (also ``|| v.isEmpty()`` / ``isBlank()``) crash; ``if (v == null) v = d``
  default; a crash inside ``try`` whose ``catch`` does not exit becomes ``unknown``.
* Spring ``@Value("${key:default}")`` on fields and parameters: ``default`` when a default is
  written (``${X:}`` is an empty default); without one the context fails at start-up (crash)
  when the key looks like an environment variable (no ``.``).  A dotted property key
  (``${kafka.session-timeout}``) is usually supplied by ``application.properties``/``.yml``,
  which envlint does not read, so it is ``unknown``.  Relaxed binding, env name of a property key
  (Spring Boot's canonical rule): ``.`` -> ``_``, ``-`` removed, ``[n]`` -> ``_n_``, upper-cased
  (``kafka.session-timeout`` -> ``KAFKA_SESSIONTIMEOUT``, ``my.list[0].host`` ->
  ``MY_LIST_0_HOST``).  The field's declared type gives ``expected_type``.

Names: literals, ``static final String`` constants (this file, then the package directory),
``+`` concatenations (patterns when a part is unknown).  Helpers: a method whose parameter flows
into a read is a wrapper (named ``Class.method``), resolved per directory; calls count when made
without receiver inside that class, on ``this``, on the class (static), on ``new Class()`` or on a
variable/field/parameter declared with that class.
"""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType
from typing import TYPE_CHECKING

from envlint.sources._common import (
    Cls,
    FileState,
    Name,
    apply_test,
    call_site_read,
    env_read,
    name_from_parts,
    quoted,
    try_guard,
)
from envlint.sources.adapter import (
    FileContext,
    FileScan,
    Helper,
    ancestors,
    compile_query,
    location,
    matches,
    text,
)
from envlint.sources.adapter import field_of as _field
from envlint.sources.adapter import same_node as _is
from envlint.sources.adapter import strip_parens as _strip
from envlint.sources.adapter import up_parens as _up

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

    from tree_sitter import Node

    from envlint.sources.model import EnvRead, Missing, ValueType

__all__ = ["ADAPTER", "spring_env_name"]

_ANCHORS = """
((method_invocation object: (identifier) @c name: (identifier) @m) @getenv
 (#eq? @c "System") (#eq? @m "getenv"))
((annotation name: (_) @n) @value
 (#any-of? @n "Value" "org.springframework.beans.factory.annotation.Value"))
"""
_PARSE: Mapping[str, tuple[ValueType, bool, bool]] = MappingProxyType(
    {  # callee -> (type, crashes on null, crashes on "")
        "Integer.parseInt": ("int", True, True),
        "Integer.valueOf": ("int", True, True),
        "Long.parseLong": ("int", True, True),
        "Long.valueOf": ("int", True, True),
        "Short.parseShort": ("int", True, True),
        "Integer.decode": ("int", True, True),
        "Double.parseDouble": ("float", True, True),
        "Double.valueOf": ("float", True, True),
        "Float.parseFloat": ("float", True, True),
        "Float.valueOf": ("float", True, True),
        "Duration.parse": ("duration", True, True),
        "Boolean.parseBoolean": ("bool", False, False),
        "Boolean.valueOf": ("bool", False, False),
        "URI.create": ("url", True, False),
        "Objects.requireNonNull": ("string", True, False),
        "Optional.of": ("string", True, False),
    }
)
_EXITS = frozenset({"System.exit", "Runtime.getRuntime().exit", "Runtime.getRuntime().halt"})
_TRANSPARENT = frozenset({"parenthesized_expression", "cast_expression"})
_FUNCTIONS = frozenset({"method_declaration", "constructor_declaration", "lambda_expression"})
_TYPES: Mapping[str, ValueType] = MappingProxyType(
    {
        "int": "int",
        "Integer": "int",
        "long": "int",
        "Long": "int",
        "short": "int",
        "Short": "int",
        "double": "float",
        "Double": "float",
        "float": "float",
        "Float": "float",
        "BigDecimal": "float",
        "boolean": "bool",
        "Boolean": "bool",
        "Duration": "duration",
        "URI": "url",
        "URL": "url",
    }
)


def spring_env_name(key: str) -> str:
    """The canonical environment variable for a Spring property key (relaxed binding)."""
    out = key.replace("[", "_").replace("]", "_").replace(".", "_").replace("-", "")
    while "__" in out:
        out = out.replace("__", "_")
    return out.strip("_").upper()


# --- small tree helpers -------------------------------------------------------------------


def _string_value(node: Node | None) -> str | None:
    if node is None or node.type != "string_literal":
        return None
    out = []
    for child in node.named_children:
        if child.type in ("string_fragment", "multiline_string_fragment"):
            out.append(text(child))
        elif child.type == "escape_sequence":
            out.append(text(child).encode().decode("unicode_escape", "replace"))
        else:
            return None
    return "".join(out)


def _args(call: Node) -> list[Node]:
    arguments = _field(call, "arguments")
    if arguments is None:
        return []
    return [a for a in arguments.named_children if a.type not in ("line_comment", "block_comment")]


def _callee(call: Node) -> str:
    if call.type == "object_creation_expression":
        return "new " + text(_field(call, "type"))
    obj = _field(call, "object")
    name = text(_field(call, "name"))
    return f"{text(obj)}.{name}" if obj is not None else name


def _operator(node: Node) -> str:
    return text(_field(node, "operator"))


def _statements(block: Node | None) -> list[Node]:
    if block is None:
        return []
    if block.type == "block":
        return [c for c in block.named_children if "comment" not in c.type]
    return [block]


def _crash_in(block: Node | None) -> Node | None:
    for stmt in _statements(block):
        if stmt.type == "throw_statement":
            return stmt
        if stmt.type == "expression_statement" and stmt.named_child_count:
            call = stmt.named_children[0]
            if call.type == "method_invocation" and _callee(call) in _EXITS:
                return call
    return None


def _assigned_in(block: Node | None, var: str) -> Node | None:
    for stmt in _statements(block):
        if stmt.type == "expression_statement" and stmt.named_child_count:
            assign = stmt.named_children[0]
            if assign.type == "assignment_expression" and text(_field(assign, "left")) == var:
                return _field(assign, "right")
    return None


# --- classification -----------------------------------------------------------------------


def _crash(cls: Cls, at: Node, on_null: bool, on_empty: bool) -> Cls:
    missing = "crash" if on_null and cls.missing == "empty" else cls.missing
    empty = "crash" if on_empty and cls.on_empty == "empty" else cls.on_empty
    if missing == cls.missing and empty == cls.on_empty:
        return cls
    return replace(cls, missing=missing, on_empty=empty, crash=cls.crash or at)


def _tests(cond: Node, is_target: Callable[[Node], bool]) -> tuple[bool, bool] | None:
    cond = _strip(cond)
    if cond.type == "method_invocation":  # v.isEmpty() / v.isBlank()
        obj = _field(cond, "object")
        method = text(_field(cond, "name"))
        if obj is not None and is_target(_strip(obj)) and method in ("isEmpty", "isBlank"):
            return False, True
        if _callee(cond) in ("StringUtils.isEmpty", "StringUtils.isBlank", "Strings.isNullOrEmpty"):
            args = _args(cond)
            if args and is_target(_strip(args[0])):
                return True, True
        return None
    if cond.type != "binary_expression":
        return None
    op = _operator(cond)
    left, right = _field(cond, "left"), _field(cond, "right")
    if left is None or right is None:
        return None
    if op == "||":
        found = [t for t in (_tests(left, is_target), _tests(right, is_target)) if t]
        if not found:
            return None
        return any(f[0] for f in found), any(f[1] for f in found)
    if op != "==":
        return None
    subject, other = (left, right) if is_target(_strip(left)) else (right, left)
    if is_target(_strip(subject)) and _strip(other).type == "null_literal":
        return True, False
    return None


def _apply(cls: Cls, fires: tuple[bool, bool], crash: Node | None, dflt: Node | None) -> Cls:
    return apply_test(cls, fires, crash, dflt, empty_alone_defaults=False)


def _optional_chain(call: Node, cls: Cls) -> tuple[Cls, Node]:
    """``Optional.ofNullable(read)`` followed by ``.map/.filter/.orElse...``."""
    cur = call
    filtered = False  # .filter(s -> !s.isEmpty()): "" takes the missing path
    while True:
        parent = _up(cur).parent
        if parent is None or parent.type != "method_invocation":
            return cls, cur
        if not _is(_field(parent, "object"), _up(cur)):
            return cls, cur
        method = text(_field(parent, "name"))
        args = _args(parent)
        if method == "map" and args:
            parsed = _PARSE.get(text(args[0]).replace("::", "."))
            if parsed is not None:
                cls = replace(cls, type=parsed[0])
        elif method == "filter" and args:
            filtered = "isEmpty" in text(args[0]) or "isBlank" in text(args[0])
        elif method in ("orElse", "orElseGet"):
            if not args or _strip(args[0]).type == "null_literal":
                return cls, parent
            new = replace(cls, missing="default", default=text(args[0]))
            return (replace(new, on_empty="default") if filtered else new), parent
        elif method in ("orElseThrow", "get"):
            new = replace(cls, missing="crash", crash=parent)
            return (replace(new, on_empty="crash") if filtered else new), parent
        else:
            return cls, parent
        cur = parent


def _ternary_default(expr: Node | None, is_target: Callable[[Node], bool]) -> Node | None:
    """``v != null ? v : d`` / ``v == null ? d : v``: the default ``d``."""
    if expr is None:
        return None
    expr = _strip(expr)
    if expr.type != "ternary_expression":
        return None
    cond = _strip(_field(expr, "condition") or expr)
    if cond.type != "binary_expression" or _operator(cond) not in ("!=", "=="):
        return None
    sides = [_strip(_field(cond, "left")), _strip(_field(cond, "right"))]
    if not any(s.type == "null_literal" for s in sides) or not any(is_target(s) for s in sides):
        return None
    chosen, other = ("consequence", "alternative")
    if _operator(cond) == "==":
        chosen, other = other, chosen
    value = _field(expr, chosen)
    return _field(expr, other) if value is not None and is_target(_strip(value)) else None


def _climb(node: Node, cls: Cls) -> Cls:
    cur = _up(node)
    chain = {node.id, cur.id}
    while True:
        parent = cur.parent
        if parent is None:
            break
        if parent.type == "argument_list" and parent.parent is not None:
            call = parent.parent
            args = _args(call)
            if call.type == "method_invocation" and text(_field(call, "name")) in (
                "equals",
                "equalsIgnoreCase",
            ):  # "true".equals(read)
                word = _string_value(_field(call, "object"))
                if word is not None and word.lower() in ("true", "false", "1", "yes"):
                    cls = replace(cls, type="bool")
                break
            if not args or args[0].id != cur.id:
                break
            callee = _callee(call)
            if callee == "Optional.ofNullable":
                cls, cur = _optional_chain(call, cls)
                cur = _up(cur)
                chain.add(cur.id)
                continue
            if callee in ("Objects.requireNonNullElse", "Objects.toString") and len(args) > 1:
                cls = replace(cls, missing="default", default=text(args[1]))
            elif callee in _PARSE:
                kind, on_null, on_empty = _PARSE[callee]
                if kind != "string":
                    cls = replace(cls, type=kind)
                cls = _crash(cls, call, on_null, on_empty)
            elif callee in ("new URL", "new URI", "new java.net.URL"):
                cls = _crash(replace(cls, type="url"), call, True, callee == "new URL")
            elif callee not in ("String.valueOf", "Objects.toString"):
                break
            cur = call
        elif parent.type == "method_invocation" and _is(_field(parent, "object"), cur):
            cls = _crash(cls, parent, True, False)  # value.trim(): NullPointerException
            if text(_field(parent, "name")) == "equalsIgnoreCase":
                word = _string_value(_args(parent)[0]) if _args(parent) else None
                if word is not None and word.lower() in ("true", "false", "1", "yes"):
                    cls = replace(cls, type="bool")
                break
            if text(_field(parent, "name")) not in ("trim", "strip", "toLowerCase"):
                break
            cur = parent
        elif parent.type == "ternary_expression":
            fallback = _ternary_default(parent, lambda n: text(n) == text(node))
            if fallback is not None and cls.missing == "empty":
                cls = replace(cls, missing="default", default=text(fallback))
            break
        elif parent.type == "cast_expression":
            cur = parent
        else:
            break
        cur = _up(cur)
        chain.add(cur.id)
    cls = _if_checks(cur, lambda n: n.id in chain, cls)
    holder = cur.parent
    if (
        holder is not None
        and holder.type == "variable_declarator"
        and _is(_field(holder, "value"), cur)
    ):
        target = _field(holder, "name")
        statement = holder.parent
        if target is not None and statement is not None:
            cls = _follow_checks(statement, text(target), cls)
    elif holder is not None and holder.type == "assignment_expression":
        target = _field(holder, "left")
        statement = holder.parent
        if target is not None and statement is not None:
            cls = _follow_checks(statement, text(target).removeprefix("this."), cls)
    return _try_guard(node, cls)


def _if_checks(cur: Node, is_target: Callable[[Node], bool], cls: Cls) -> Cls:
    node = cur
    while node.parent is not None and node.parent.type in (
        "binary_expression",
        "parenthesized_expression",
    ):
        node = node.parent
    stmt = node.parent
    if stmt is None or stmt.type != "if_statement" or not _is(_field(stmt, "condition"), node):
        return cls
    fires = _tests(node, is_target)
    if fires is None:
        return cls
    return _apply(cls, fires, _crash_in(_field(stmt, "consequence")), None)


def _follow_checks(stmt: Node, var: str, cls: Cls) -> Cls:
    def is_var(node: Node) -> bool:
        return text(node) in (var, f"this.{var}")

    sibling = stmt.next_named_sibling
    seen = 0
    while sibling is not None and seen < 12:
        seen += 1
        if sibling.type == "if_statement":
            cond = _field(sibling, "condition")
            fires = _tests(cond, is_var) if cond is not None else None
            if fires is not None:
                body = _field(sibling, "consequence")
                return _apply(cls, fires, _crash_in(body), _assigned_in(body, var))
        elif sibling.type in ("return_statement", "local_variable_declaration"):
            value = sibling.named_children[-1] if sibling.named_child_count else None
            if value is not None and value.type == "variable_declarator":
                value = _field(value, "value")
            fallback = _ternary_default(value, is_var)
            if fallback is not None and cls.missing == "empty":
                return replace(cls, missing="default", default=text(fallback))
        elif sibling.type == "expression_statement" and sibling.named_child_count:
            inner = sibling.named_children[0]
            if inner.type == "assignment_expression" and is_var(_field(inner, "left") or inner):
                break
            if inner.type == "method_invocation" and _callee(inner) == "Objects.requireNonNull":
                args = _args(inner)
                if args and is_var(_strip(args[0])):
                    return _crash(cls, inner, True, False)
        sibling = sibling.next_named_sibling
    return cls


def _try_guard(node: Node, cls: Cls) -> Cls:
    return try_guard(
        node,
        cls,
        stop=_FUNCTIONS | {"class_body"},
        try_types=frozenset({"try_statement", "try_with_resources_statement"}),
        swallows=_catch_swallows,
    )


def _catch_swallows(try_node: Node) -> bool:
    handlers = [c for c in try_node.named_children if c.type == "catch_clause"]
    return bool(handlers) and not any(_crash_in(_field(h, "body")) for h in handlers)


# --- names --------------------------------------------------------------------------------


def _function_of(node: Node) -> Node | None:
    for parent in ancestors(node):
        if parent.type == "lambda_expression":
            return None
        if parent.type in ("method_declaration", "constructor_declaration"):
            return parent if parent.type == "method_declaration" else None
    return None


def _params(function: Node) -> list[str]:
    params = _field(function, "parameters")
    return [
        text(_field(p, "name"))
        for p in (params.named_children if params is not None else [])
        if p.type in ("formal_parameter", "spread_parameter")
    ]


def _class_name(node: Node) -> str:
    for parent in ancestors(node):
        if parent.type in (
            "class_declaration",
            "enum_declaration",
            "record_declaration",
            "interface_declaration",
        ):
            return text(_field(parent, "name"))
    return ""


def _resolve(arg: Node | None, consts: Mapping[str, str]) -> Name:
    if arg is None:
        return Name("dynamic")
    arg = _strip(arg)
    value = _string_value(arg)
    if value is not None:
        return Name("literal", value)
    if arg.type == "identifier":
        name = text(arg)
        if name in consts:
            return Name("literal", consts[name])
        function = _function_of(arg)
        if function is not None:
            params = _params(function)
            if name in params:
                return Name("param", param=params.index(name), function=function)
        return Name("const", name)
    if arg.type == "field_access":
        field_name = text(_field(arg, "field"))
        if field_name in consts:
            return Name("literal", consts[field_name])
        return Name("const", field_name)
    if arg.type != "binary_expression" or _operator(arg) != "+":
        return Name("dynamic")
    parts: list[str | None] = []
    unknown: list[str] = []
    for piece in _flatten_plus(arg):
        value = _string_value(piece)
        if value is None and piece.type in ("identifier", "field_access"):
            key = text(_field(piece, "field")) if piece.type == "field_access" else text(piece)
            value = consts.get(key)
            if value is None:
                unknown.append(key)
        elif value is None:
            unknown.append("")
        parts.append(value)
    return name_from_parts(parts, unknown)


def _flatten_plus(node: Node) -> list[Node]:
    node = _strip(node)
    if node.type == "binary_expression" and _operator(node) == "+":
        left, right = _field(node, "left"), _field(node, "right")
        if left is not None and right is not None:
            return _flatten_plus(left) + _flatten_plus(right)
    return [node]


def _constants(root: Node) -> dict[str, str]:
    """``static final String NAME = "X"`` (and ``final`` fields) of every class in the file."""
    query = compile_query(
        "java",
        """(field_declaration (modifiers) @mods
             declarator: (variable_declarator name: (identifier) @name
                                             value: (string_literal) @value))""",
    )
    out: dict[str, str] = {}
    for _, caps in matches(query, root):
        if "final" not in text(caps["mods"][0]).split():
            continue
        value = _string_value(caps["value"][0])
        if value is not None:
            out.setdefault(text(caps["name"][0]), value)
    return out


# --- the adapter --------------------------------------------------------------------------


class _Java:
    languages = frozenset({"java"})
    needles = (b"getenv", b"@Value")

    def scope(self, path: str) -> str:
        return path.rpartition("/")[0]

    def scan(self, ctx: FileContext) -> FileScan:
        consts = _constants(ctx.root)
        state = FileState(ctx, MappingProxyType(consts))
        for _, caps in matches(compile_query("java", _ANCHORS), ctx.root):
            if "getenv" in caps:
                _getenv(state, caps["getenv"][0])
            elif "value" in caps:
                _spring_value(state, caps["value"][0])
        return state.file_scan(with_constants=True)

    def scan_calls(self, ctx: FileContext, helpers: Mapping[str, Helper]) -> FileScan:
        state = FileState(ctx, MappingProxyType(_constants(ctx.root)))
        names = quoted(h.rpartition(".")[2] for h in helpers)
        query = compile_query(
            "java", f"((method_invocation name: (identifier) @f) @call (#any-of? @f {names}))"
        )
        typed: dict[str, set[str]] | None = None
        for _, caps in matches(query, ctx.root):
            call, callee = caps["call"][0], text(caps["f"][0])
            receiver = _field(call, "object")
            for helper in helpers.values():
                owner, _, method = helper.name.rpartition(".")
                if method != callee or helper.template is None:
                    continue
                if receiver is None:
                    ok = _class_name(call) == owner
                else:
                    if typed is None:
                        typed = _typed_names(ctx)
                    ok = _receiver_is(receiver, owner, typed)
                if ok:
                    _call_site(state, call, helper)
        return state.file_scan(with_constants=False)


def _typed_names(ctx: FileContext) -> dict[str, set[str]]:
    """Type name -> variables, fields and parameters declared with it."""
    query = compile_query(
        "java",
        """[(local_variable_declaration type: (type_identifier) @type
                declarator: (variable_declarator name: (identifier) @var))
            (field_declaration type: (type_identifier) @type
                declarator: (variable_declarator name: (identifier) @var))
            (formal_parameter type: (type_identifier) @type name: (identifier) @var)]""",
    )
    out: dict[str, set[str]] = {}
    for _, caps in matches(query, ctx.root):
        out.setdefault(text(caps["type"][0]), set()).add(text(caps["var"][0]))
    return out


def _receiver_is(receiver: Node, owner: str, typed: Mapping[str, set[str]]) -> bool:
    receiver = _strip(receiver)
    if receiver.type in ("this", "super"):
        return _class_name(receiver) == owner
    if receiver.type == "object_creation_expression":
        return text(_field(receiver, "type")) == owner
    if receiver.type == "field_access" and text(_field(receiver, "object")) == "this":
        return text(_field(receiver, "field")) in typed.get(owner, ())
    if receiver.type == "identifier":
        return text(receiver) == owner or text(receiver) in typed.get(owner, ())
    return text(receiver).rpartition(".")[2] == owner  # com.acme.Env.require(...)


def _getenv(state: FileState, call: Node) -> None:
    args = _args(call)
    if args:
        _emit(state, call, args[0], "System.getenv", Cls("empty"))
        return
    # System.getenv().get("X") / .getOrDefault("X", d)
    parent = _up(call).parent
    if parent is None or parent.type != "method_invocation":
        return
    method = text(_field(parent, "name"))
    outer = _args(parent)
    if not _is(_field(parent, "object"), _up(call)) or not outer:
        return
    if method == "get":
        _emit(state, parent, outer[0], "System.getenv", Cls("empty"))
    elif method == "getOrDefault" and len(outer) > 1:
        _emit(state, parent, outer[0], "System.getenv", Cls("default", default=text(outer[1])))


def _emit(state: FileState, read: Node, name_arg: Node | None, api: str, base: Cls) -> None:
    cls = _climb(read, base)
    name = _resolve(name_arg, state.consts)
    record = env_read(state.ctx, read, api, cls)
    if name.kind == "param" and name.function is not None:
        state.helpers.append(_helper(state, name.function, record, name.param))
    else:
        state.finish(record, name)


def _helper(state: FileState, function: Node, record: EnvRead, param: int) -> Helper:
    default_param = None
    params = _params(function)
    if record.missing == "default" and record.default in params:
        default_param = params.index(record.default or "")
    return Helper(
        name=f"{_class_name(function)}.{text(_field(function, 'name'))}",
        kind="wrapper",
        location=location(state.ctx, _field(function, "name") or function),
        template=record,
        name_param=param,
        default_param=default_param,
        is_method=True,
    )


def _call_site(state: FileState, call: Node, helper: Helper) -> None:
    template = helper.template
    assert template is not None
    args = _args(call)
    name_arg = args[helper.name_param] if helper.name_param < len(args) else None
    base = Cls.of(template)
    if helper.default_param is not None and helper.default_param < len(args):
        supplied = _strip(args[helper.default_param])
        if supplied.type != "null_literal":
            base = replace(base, missing="default", default=text(supplied))
        else:
            base = replace(base, missing="empty", default=None)
    record = call_site_read(state.ctx, call, helper, _climb(call, base))
    name = _resolve(name_arg, state.consts)
    if name.kind == "param" and name.function is not None:
        outer = _helper(state, name.function, record, name.param)
        state.helpers.append(replace(outer, template=replace(record, via=None)))
    else:
        state.finish(record, name)


# --- Spring @Value ------------------------------------------------------------------------


def _placeholders(value: str) -> Iterator[tuple[str, str | None]]:
    """``(key, default)`` of each top-level ``${key[:default]}`` in a Spring value string."""
    i = 0
    while True:
        start = value.find("${", i)
        if start < 0:
            return
        depth, j = 1, start + 2
        while j < len(value) and depth:
            if value.startswith("${", j) or value.startswith("#{", j):
                depth += 1
                j += 2
                continue
            if value[j] == "}":
                depth -= 1
            j += 1
        if depth:
            return
        body = value[start + 2 : j - 1]
        key, sep, default = body.partition(":")
        if key.strip():
            yield key.strip(), default if sep else None
        i = j


def _spring_value(state: FileState, annotation: Node) -> None:
    args = _field(annotation, "arguments")
    if args is None:
        return
    literal: Node | None = None
    for item in args.named_children:
        if item.type == "string_literal":
            literal = item
        elif item.type == "element_value_pair" and text(_field(item, "key")) == "value":
            literal = _field(item, "value")
    value = _string_value(literal)
    if value is None:
        return
    target = annotation.parent.parent if annotation.parent is not None else None
    type_node = _field(target, "type")
    expected = _TYPES.get(text(type_node).rpartition(".")[2], "string") if type_node else "string"
    on_empty: Missing = "empty" if expected == "string" else "crash"
    for key, default in _placeholders(value):
        dotted = "." in key or "[" in key
        if default is not None:
            if default in ("", "#{null}"):
                cls = Cls("empty" if default == "#{null}" else "default", on_empty, default)
            else:
                cls = Cls("default", on_empty, default)
        elif dotted:
            cls = Cls("unknown", on_empty)
        else:
            cls = Cls("crash", on_empty, crash=annotation)
        record = env_read(state.ctx, annotation, "@Value", replace(cls, type=expected))
        name = spring_env_name(key) if dotted or "-" in key else key
        state.reads.append(replace(record, name=name))


ADAPTER = _Java()
