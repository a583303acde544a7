"""PHP adapter: ``getenv``, ``$_ENV`` / ``$_SERVER``, Laravel ``env()``, helpers
(research/source-patterns.md A.7).

Forms and their classes (``missing`` / ``on_empty``):

* ``getenv('X')``: empty / empty (``false`` when unset).  ``$_ENV['X']`` / ``$_SERVER['X']``:
  empty / empty (an "Undefined array key" warning and ``null``).  Laravel ``env('X')``: empty /
  empty; ``env('X', 'd')``: default / empty (only ``null`` takes the default).
* ``?: 'd'`` default / default (``false``, ``null`` and ``""`` are falsy).  ``?? 'd'`` default /
  empty on ``$_ENV``/``$_SERVER``/``env()``; on ``getenv`` it does nothing: ``getenv`` returns
  ``false``, never ``null``.  ``?? throw new E`` / ``?: throw ...`` / ``?: die(...)`` (PHP 8 throw
  expression) crash the same way; ``getenv('X') or die(...)`` crashes on both.
* ``(int)`` / ``intval`` (int), ``(float)`` / ``floatval`` (float), ``(bool)`` / ``boolval`` /
  ``=== 'true'`` (bool) keep the class: PHP converts ``false`` / ``null`` silently.
* ``if (getenv('X') === false) throw ...`` / ``if (!getenv('X')) exit(1);`` / ``die`` (also through
  a variable assigned just before, ``=== null``, ``=== ''``, ``empty()``, ``!isset()``,
  ``is_null()``): crash on what the test catches; an ``if`` that assigns the variable gives a
  default; a crash inside ``try`` whose ``catch`` does not exit is ``unknown``.

Names: string literals (``'X'``, ``"X"``), ``"{$p}_HOST"`` and ``$p . '_HOST'`` (patterns),
constants (``const NAME = 'X';``, class constants via ``self::NAME`` / ``C::NAME`` and
``define('NAME', 'X')``; this file, then the directory).  Helpers: functions and methods whose
parameter flows into a read (``$this->``, ``self::``, ``static::`` and ``Class::`` call sites),
resolved per directory.  Out of scope: Symfony ``%env(X)%`` in YAML/XML service configuration,
vlucas/phpdotenv ``->required()``, php-fpm ``env[X]`` pool settings, ``$_ENV`` being empty when
``variables_order`` lacks ``E``.
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
    called_helpers,
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
    from collections.abc import Callable, Mapping

    from tree_sitter import Node

    from envlint.sources.model import EnvRead, ValueType

__all__ = ["ADAPTER"]

_ANCHORS = """
(function_call_expression function: [(name) (qualified_name)] @f) @call
((subscript_expression . (variable_name (name) @v)) @sub (#any-of? @v "_ENV" "_SERVER"))
"""
_CONSTS = """
(const_element (name) @n . (_) @v)
((function_call_expression function: (name) @f
   arguments: (arguments . (argument (_) @n) . (argument (_) @v))) (#eq? @f "define"))
"""
_READ_FUNCTIONS = frozenset({"getenv", "env"})
_CASTS: Mapping[str, ValueType] = MappingProxyType(
    {
        "int": "int",
        "integer": "int",
        "float": "float",
        "double": "float",
        "real": "float",
        "bool": "bool",
        "boolean": "bool",
    }
)
_CONVERTERS: Mapping[str, ValueType | None] = MappingProxyType(
    {
        "intval": "int",
        "floatval": "float",
        "doubleval": "float",
        "boolval": "bool",
        "strval": None,
        "trim": None,
        "strtolower": None,
        "strtoupper": None,
    }
)
_BOOL_WORDS = frozenset({"true", "false", "1", "0", "yes", "no", "on", "off"})
_EXIT_CALLS = frozenset({"die", "exit"})
_FUNCTIONS = frozenset(
    {"function_definition", "method_declaration", "anonymous_function", "arrow_function"}
)
# $_SERVER keys the web server / CLI SAPI sets per request or script (php.net "$_SERVER").
_SAPI_KEYS = frozenset(
    {
        "argv",
        "argc",
        "AUTH_TYPE",
        "CONTENT_LENGTH",
        "CONTENT_TYPE",
        "DOCUMENT_ROOT",
        "GATEWAY_INTERFACE",
        "HTTPS",
        "ORIG_PATH_INFO",
        "PATH_INFO",
        "PATH_TRANSLATED",
        "QUERY_STRING",
    }
)
_SAPI_PREFIXES = ("HTTP_", "PHP_", "REDIRECT_", "REMOTE_", "REQUEST_", "SCRIPT_", "SERVER_")
_EQ = frozenset({"===", "==", "!==", "!=", "<>"})


# --- small tree helpers -------------------------------------------------------------------


def _bare(name: str) -> str:
    """A function or constant name without namespace, lower-cased for functions by callers."""
    return name.rpartition("\\")[2]


def _callee(call: Node) -> str:
    return _bare(text(_field(call, "function"))).lower()


def _args(call: Node) -> list[Node]:
    arguments = _field(call, "arguments")
    if arguments is None:
        return []
    out = []
    for arg in arguments.named_children:
        if arg.type == "argument" and arg.named_child_count:
            out.append(arg.named_children[-1])
    return out


def _operator(node: Node) -> str:
    op = _field(node, "operator")
    return text(op).lower() if op is not None else ""


def _string_value(node: Node | None) -> str | None:
    """The value of a quoted string without interpolation."""
    if node is None:
        return None
    if node.type == "string":  # single-quoted: only \\ and \' are escapes
        return "".join(
            text(c)[1:] if c.type == "escape_sequence" else text(c) for c in node.named_children
        )
    if node.type == "encapsed_string":
        out = []
        for child in node.named_children:
            if child.type == "string_content":
                out.append(text(child))
            elif child.type == "escape_sequence":
                out.append(text(child).encode().decode("unicode_escape", "replace"))
            else:
                return None
        return "".join(out)
    return None


def _is_crash(node: Node | None) -> bool:
    """A ``throw`` expression or a ``die``/``exit`` call or keyword."""
    if node is None:
        return False
    node = _strip(node)
    if node.type in ("throw_expression", "exit_statement"):
        return True
    if node.type == "function_call_expression":
        return _callee(node) in _EXIT_CALLS
    return node.type == "name" and text(node).lower() in _EXIT_CALLS


def _statements(block: Node | None) -> list[Node]:
    if block is None:
        return []
    if block.type == "compound_statement":
        return [c for c in block.named_children if c.type != "comment"]
    return [block]


def _crash_in(block: Node | None) -> Node | None:
    for stmt in _statements(block):
        if stmt.type == "exit_statement":
            return stmt
        if stmt.type == "expression_statement" and stmt.named_child_count:
            inner = stmt.named_children[0]
            if _is_crash(inner):
                return inner
    return None


def _assigned_in(block: Node | None, var: str) -> Node | None:
    for stmt in _statements(block):
        if stmt.type == "expression_statement" and stmt.named_child_count:
            assign = stmt.named_children[0]
            if assign.type == "assignment_expression" and text(_field(assign, "left")) == var:
                return _field(assign, "right")
    return None


# --- classification -----------------------------------------------------------------------


def _tests(
    cond: Node, is_target: Callable[[Node], bool], nullable: bool
) -> tuple[bool, bool] | None:
    """Whether a condition is true when the target is (missing, empty).  ``nullable``: the
    target is ``null`` when missing (``$_ENV``, ``env()``), else ``false`` (``getenv``)."""
    cond = _strip(cond)
    if cond.type == "unary_op_expression" and _operator(cond) == "!":
        arg = _strip(_field(cond, "argument"))
        if is_target(arg):
            return True, True
        if arg.type == "function_call_expression" and _callee(arg) == "isset":
            args = _args(arg)
            if args and is_target(_strip(args[0])):
                return True, False
        return None
    if cond.type == "function_call_expression":
        args = _args(cond)
        if not args or not is_target(_strip(args[0])):
            return None
        if _callee(cond) == "empty":
            return True, True
        if _callee(cond) == "is_null" and nullable:
            return True, False
        return None
    if cond.type != "binary_expression":
        return None
    op = _operator(cond)
    left, right = _field(cond, "left"), _field(cond, "right")
    if left is None or right is None:
        return None
    if op in ("||", "or"):
        found = [
            t for t in (_tests(left, is_target, nullable), _tests(right, is_target, nullable)) if t
        ]
        if not found:
            return None
        return any(f[0] for f in found), any(f[1] for f in found)
    if op not in ("===", "=="):
        return None
    subject, other = (left, right) if is_target(_strip(left)) else (right, left)
    if not is_target(_strip(subject)):
        return None
    other = _strip(other)
    word = text(other).lower()
    if op == "==" and (word in ("false", "null") or _string_value(other) == ""):
        return True, True  # false, null and "" are loosely equal to each other
    if word == "false":
        return (False, False) if nullable else (True, False)
    if word == "null":
        return (True, False) if nullable else (False, False)
    if _string_value(other) == "":
        return False, True
    return None


def _apply(cls: Cls, fires: tuple[bool, bool], crash: Node | None, dflt: Node | None) -> Cls:
    if fires == (False, False):
        return cls
    return apply_test(cls, fires, crash, dflt, empty_alone_defaults=False)


def _fallback(cls: Cls, right: Node, *, on_empty: bool) -> Cls:
    """``?? right`` (``on_empty`` False) or ``?: right`` (True) applied to ``cls``."""
    if _is_crash(right):
        return replace(
            cls,
            missing="crash" if cls.missing == "empty" else cls.missing,
            on_empty="crash" if on_empty and cls.on_empty == "empty" else cls.on_empty,
            crash=cls.crash or _strip(right),
        )
    return replace(
        cls,
        missing="default" if cls.missing == "empty" else cls.missing,
        default=text(right) if cls.missing == "empty" else cls.default,
        on_empty="default" if on_empty and cls.on_empty == "empty" else cls.on_empty,
    )


def _climb(node: Node, cls: Cls, nullable: bool) -> Cls:
    """Layer the read's surrounding expression on its class (see the module docstring)."""
    cur = _up(node)
    chain = {node.id, cur.id}
    while True:
        parent = cur.parent
        if parent is None:
            break
        if parent.type == "cast_expression" and _is(_field(parent, "value"), cur):
            cast = text(_field(parent, "type")).lower()
            if cast in _CASTS:
                cls = replace(cls, type=_CASTS[cast])
            nullable = False
        elif parent.type == "argument" and parent.parent is not None:
            call = parent.parent.parent
            if call is None or call.type != "function_call_expression":
                break
            args = _args(call)
            if not args or not _is(args[0], cur) or _callee(call) not in _CONVERTERS:
                break
            converted = _CONVERTERS[_callee(call)]
            if converted is not None:
                cls = replace(cls, type=converted)
            nullable = False
            parent = call
        elif parent.type == "conditional_expression" and _is(_field(parent, "condition"), cur):
            if _field(parent, "body") is not None:
                break  # a full ternary tests the value
            alternative = _field(parent, "alternative")
            if alternative is None:
                break
            cls = _fallback(cls, alternative, on_empty=True)
            nullable = False
        elif parent.type == "binary_expression" and _is(_field(parent, "left"), cur):
            op, right = _operator(parent), _field(parent, "right")
            if right is None:
                break
            if op == "??":
                if nullable:
                    cls = _fallback(cls, right, on_empty=False)
                nullable = False
            elif op in ("or", "||") and _is_crash(right):
                cls = _fallback(cls, right, on_empty=True)
            else:
                if op in _EQ:
                    value = _string_value(_strip(right))
                    if value is not None and value.lower() in _BOOL_WORDS:
                        cls = replace(cls, type="bool")
                break
        elif parent.type == "binary_expression" and _is(_field(parent, "right"), cur):
            if _operator(parent) in _EQ:
                value = _string_value(_strip(_field(parent, "left")))
                if value is not None and value.lower() in _BOOL_WORDS:
                    cls = replace(cls, type="bool")
            break
        else:
            break
        cur = _up(parent)
        chain.add(parent.id)
        chain.add(cur.id)
    cls = _if_checks(cur, lambda n: n.id in chain, cls, nullable)
    holder = cur.parent
    if holder is not None and holder.type == "assignment_expression":
        target = _field(holder, "left")
        if _is(_field(holder, "right"), cur) and target is not None:
            outer = _up(holder).parent
            right = _field(outer, "right")
            if (
                outer is not None
                and outer.type == "binary_expression"
                and _operator(outer) in ("or", "||")
                and _is(_field(outer, "left"), _up(holder))
                and _is_crash(right)
                and right is not None
            ):  # `$v = getenv('X') or die(...)` is `($v = getenv('X')) or die(...)`
                cls = _fallback(cls, right, on_empty=True)
            statement = _up(holder).parent
            if target.type == "variable_name" and statement is not None:
                cls = _follow_checks(statement, text(target), cls, nullable)
    return _try_guard(node, cls)


def _if_checks(cur: Node, is_target: Callable[[Node], bool], cls: Cls, nullable: bool) -> Cls:
    node = cur
    while node.parent is not None and node.parent.type in (
        "unary_op_expression",
        "binary_expression",
        "parenthesized_expression",
        "argument",
        "arguments",
        "function_call_expression",
    ):
        node = node.parent
    stmt = node.parent
    if stmt is None or stmt.type != "if_statement" or not _is(_field(stmt, "condition"), node):
        return cls
    fires = _tests(node, is_target, nullable)
    if fires is None:
        return cls
    return _apply(cls, fires, _crash_in(_field(stmt, "body")), None)


def _follow_checks(stmt: Node, var: str, cls: Cls, nullable: bool) -> Cls:
    """``$v = <read>;`` followed by ``if ($v === false) throw ...`` / ``if (!$v) $v = d;``."""

    def is_var(node: Node) -> bool:
        return node.type == "variable_name" and text(node) == var

    sibling = stmt.next_named_sibling
    seen = 0
    while sibling is not None and seen < 12:
        seen += 1
        if sibling.type == "if_statement":
            cond = _field(sibling, "condition")
            fires = _tests(cond, is_var, nullable) if cond is not None else None
            if fires is not None:
                body = _field(sibling, "body")
                return _apply(cls, fires, _crash_in(body), _assigned_in(body, var))
        elif sibling.type == "expression_statement" and sibling.named_child_count:
            inner = sibling.named_children[0]
            if inner.type == "assignment_expression" and text(_field(inner, "left")) == var:
                break
        sibling = sibling.next_named_sibling
    return cls


def _try_guard(node: Node, cls: Cls) -> Cls:
    return try_guard(
        node,
        cls,
        stop=_FUNCTIONS | {"declaration_list"},
        try_types=frozenset({"try_statement"}),
        swallows=_catch_swallows,
    )


def _catch_swallows(try_node: Node) -> bool:
    handlers = [c for c in try_node.named_children if c.type == "catch_clause"]
    return bool(handlers) and any(_crash_in(_field(h, "body")) is None for h in handlers)


# --- names --------------------------------------------------------------------------------


def _function_of(node: Node) -> Node | None:
    for parent in ancestors(node):
        if parent.type in _FUNCTIONS:
            return parent if parent.type in ("function_definition", "method_declaration") else None
    return None


def _params(function: Node) -> list[tuple[str, Node | None]]:
    params = _field(function, "parameters")
    if params is None:
        return []
    out: list[tuple[str, Node | None]] = []
    for param in params.named_children:
        if param.type == "comment":
            continue
        out.append((text(_field(param, "name")), _field(param, "default_value")))
    return out


def _class_of(node: Node) -> str:
    for parent in ancestors(node):
        if parent.type in ("class_declaration", "trait_declaration", "enum_declaration"):
            return text(_field(parent, "name"))
    return ""


def _helper_name(function: Node) -> str:
    name = text(_field(function, "name"))
    if function.type == "method_declaration":
        return f"{_class_of(function)}.{name}"
    return name


def _resolve(arg: Node | None, consts: Mapping[str, str]) -> Name:
    if arg is None:
        return Name("dynamic")
    arg = _strip(arg)
    value = _string_value(arg)
    if value is not None:
        return Name("literal", value)
    if arg.type in ("name", "qualified_name", "class_constant_access_expression"):
        const = _bare(text(arg.named_children[-1] if arg.named_children else arg))
        if arg.type == "class_constant_access_expression":
            const = text(arg.named_children[-1])
        if const in consts:
            return Name("literal", consts[const])
        return Name("const", const)
    if arg.type == "variable_name":
        function = _function_of(arg)
        if function is not None:
            for index, (param, _) in enumerate(_params(function)):
                if param == text(arg):
                    return Name("param", param=index, function=function)
        return Name("dynamic")
    pieces: list[Node]
    if arg.type == "encapsed_string":
        pieces = list(arg.named_children)
    elif arg.type == "binary_expression" and _operator(arg) == ".":
        pieces = _flatten_dot(arg)
    else:
        return Name("dynamic")
    parts: list[str | None] = []
    unknown: list[str] = []
    for piece in pieces:
        if piece.type == "string_content":
            piece_value: str | None = text(piece)
        elif piece.type == "escape_sequence":
            piece_value = text(piece).encode().decode("unicode_escape", "replace")
        else:
            piece_value = _string_value(piece)
        if piece_value is None and piece.type == "name":
            piece_value = consts.get(text(piece))
            if piece_value is None:
                unknown.append(text(piece))
        elif piece_value is None:
            unknown.append("")
        parts.append(piece_value)
    return name_from_parts(parts, unknown)


def _flatten_dot(node: Node) -> list[Node]:
    node = _strip(node)
    if node.type == "binary_expression" and _operator(node) == ".":
        left, right = _field(node, "left"), _field(node, "right")
        if left is not None and right is not None:
            return _flatten_dot(left) + _flatten_dot(right)
    return [node]


def _constants(ctx: FileContext) -> dict[str, str]:
    """``const NAME = 'X';`` (top level, namespaces and classes) and ``define('NAME', 'X')``."""
    consts: dict[str, str] = {}
    for _, caps in matches(compile_query(ctx.language, _CONSTS), ctx.root):
        name_node, value_node = caps["n"][0], caps["v"][0]
        name = text(name_node) if name_node.type == "name" else _string_value(name_node)
        value = _string_value(value_node)
        if name and value is not None:
            consts.setdefault(_bare(name), value)
    return consts


# --- the adapter --------------------------------------------------------------------------


class _Php:
    languages = frozenset({"php"})
    needles = (b"getenv", b"$_ENV", b"$_SERVER", b"env(")

    def scope(self, path: str) -> str:
        return path.rpartition("/")[0]

    def scan(self, ctx: FileContext) -> FileScan:
        state = FileState(ctx, MappingProxyType(_constants(ctx)))
        for _, caps in matches(compile_query(ctx.language, _ANCHORS), ctx.root):
            if "call" in caps:
                call = caps["call"][0]
                function = _bare(text(caps["f"][0])).lower()
                if function in _READ_FUNCTIONS:
                    _function_read(state, call, function)
            elif "sub" in caps:
                _subscript_read(state, caps["sub"][0], "$" + text(caps["v"][0]))
        return state.file_scan(with_constants=True)

    def scan_calls(self, ctx: FileContext, helpers: Mapping[str, Helper]) -> FileScan:
        state = FileState(ctx, MappingProxyType(_constants(ctx)))
        names = quoted(h.rpartition(".")[2] for h in helpers)
        query = compile_query(
            ctx.language,
            f"""((function_call_expression function: (name) @f) @call (#any-of? @f {names}))
                ((function_call_expression function: (qualified_name (name) @f)) @call
                 (#any-of? @f {names}))
                ((member_call_expression name: (name) @f) @call (#any-of? @f {names}))
                ((nullsafe_member_call_expression name: (name) @f) @call (#any-of? @f {names}))
                ((scoped_call_expression name: (name) @f) @call (#any-of? @f {names}))""",
        )

        def owned_by(receiver: Node, owner: str) -> bool:
            if text(receiver) in ("$this", "self", "static"):
                return _class_of(receiver) == owner
            return _bare(text(receiver)) == owner

        for _, caps in matches(query, ctx.root):
            call, callee = caps["call"][0], text(caps["f"][0])
            receiver = _field(call, "object") or _field(call, "scope")
            for helper in called_helpers(callee, receiver, helpers, frozenset(), owned_by):
                _call_site(state, call, helper)
        return state.file_scan(with_constants=False)


def _function_read(state: FileState, call: Node, function: str) -> None:
    args = _args(call)
    if not args:
        return  # getenv() lists the whole environment
    base = Cls("empty")
    if function == "env" and len(args) > 1 and text(_strip(args[1])).lower() != "null":
        base = Cls("default", default=text(args[1]))
    _emit(state, call, args[0], function, base, nullable=function == "env")


def _subscript_read(state: FileState, sub: Node, api: str) -> None:
    top = _up(sub)
    parent = top.parent
    if parent is not None and (
        (parent.type.endswith("assignment_expression") and _is(_field(parent, "left"), top))
        or parent.type == "unset_statement"
        or (parent.type == "subscript_expression" and _is(parent.named_children[0], top))
    ):
        return  # a write, an unset, or $_SERVER['argv'][0]-style nesting
    index = [c for c in sub.named_children[1:] if c.type != "comment"]
    key = index[0] if index else None
    if api == "$_SERVER" and _is_sapi_key(_string_value(key) if key is not None else None):
        return  # request and script facts the SAPI fills in, not the environment
    if key is not None and key.type == "name" and _in_string(sub):
        # "$_ENV[KEY]" inside a double-quoted string or heredoc: the bare key is literal text
        state.finish(env_read(state.ctx, sub, api, Cls("empty")), Name("literal", text(key)))
        return
    _emit(state, sub, key, api, Cls("empty"), nullable=True)


def _is_sapi_key(key: str | None) -> bool:
    return key is not None and (key in _SAPI_KEYS or key.startswith(_SAPI_PREFIXES))


def _in_string(node: Node) -> bool:
    parent = node.parent
    return parent is not None and parent.type in ("encapsed_string", "heredoc_body")


def _emit(
    state: FileState, read: Node, name_arg: Node | None, api: str, base: Cls, *, nullable: bool
) -> None:
    cls = _climb(read, base, nullable)
    name = _resolve(name_arg, state.consts)
    record = env_read(state.ctx, read, api, cls)
    if name.kind == "param" and name.function is not None:
        function = name.function
        default_param = None
        if record.missing == "default":
            for index, (param, declared) in enumerate(_params(function)):
                if param == record.default and index != name.param:
                    default_param = index
                    if declared is None or text(declared).lower() == "null":
                        record = replace(record, missing="empty", default=None)
                    else:
                        record = replace(record, default=text(declared))
        state.helpers.append(_helper(state, function, record, name.param, default_param))
    else:
        state.finish(record, name)


def _helper(
    state: FileState, function: Node, record: EnvRead, param: int, default_param: int | None
) -> Helper:
    return Helper(
        name=_helper_name(function),
        kind="wrapper",
        location=location(state.ctx, _field(function, "name") or function),
        template=record,
        name_param=param,
        default_param=default_param,
        is_method=function.type == "method_declaration",
    )


def _call_site(state: FileState, call: Node, helper: Helper) -> None:
    template = helper.template
    assert template is not None
    args = _args(call)
    name_arg = args[helper.name_param] if helper.name_param < len(args) else None
    base = Cls.of(template)
    if helper.default_param is not None and helper.default_param < len(args):
        supplied = _strip(args[helper.default_param])
        if template.missing in ("empty", "default") and text(supplied).lower() != "null":
            base = replace(base, missing="default", default=text(supplied))
    nullable = template.api != "getenv" and template.missing == "empty"
    record = call_site_read(state.ctx, call, helper, _climb(call, base, nullable))
    name = _resolve(name_arg, state.consts)
    if name.kind == "param" and name.function is not None:
        state.helpers.append(_helper(state, name.function, record, name.param, None))
    else:
        state.finish(record, name)


ADAPTER = _Php()
