"""Ruby adapter: ``ENV[...]`` / ``ENV.fetch`` reads, guards, wrappers, Figaro / dotenv
(research/source-patterns.md A.7).

Forms and their classes (``missing`` / ``on_empty``; ``""`` is truthy in Ruby):

* ``ENV["X"]`` empty / empty; ``ENV.fetch("X")`` crash (KeyError) / empty;
  ``ENV.fetch("X", d)`` / ``ENV.fetch("X") { d }`` default / empty (a block that raises: crash);
  ``ENV["X"] || d`` default / empty; ``ENV["X"] || raise(...)`` crash / empty;
  ``ENV["X"].presence || d`` default / default.
* ``.to_i`` / ``.to_f`` type the read and keep its class (``nil.to_i`` is 0); ``Integer(...)`` /
  ``Float(...)`` type it and make nil and ``""`` crashes (unless ``exception: false``); any other
  method call on a possibly-nil value (``ENV["X"].split``) crashes with NoMethodError, ``&.``
  does not; ``== "true"`` types it ``bool``.
* ``raise/abort/exit/fail ... unless ENV["X"]`` (modifier or block ``if``/``unless``, also through
  a local assigned from the read, ``.nil?`` / ``.empty?`` / ``.present?`` / ``.blank?`` / ``!`` /
  ``||`` / ``&&`` tests, and ``unless ENV.key?("X")``) crash; ``x ||= d`` after ``x = ENV["X"]``
  a default.  A crash inside ``begin``/``def`` with a ``rescue`` that does not exit, or under a
  ``rescue`` modifier, is ``unknown``.
* ``Figaro.env.x!`` crash / empty (name upper-cased), ``Figaro.env.x`` empty / empty;
  ``Figaro.require_keys("X")`` / ``Dotenv.require_keys("X")`` crash / empty.

Names: string literals, ``"#{PREFIX}_HOST"`` interpolations and ``+`` concatenations (patterns
when a part is unknown), constants assigned a string (``NAME = "X"`` / ``"X".freeze``) at file,
class or module level (this file first, then the scope), ``Mod::NAME``.
Helpers: a ``def`` whose parameter flows into a read is a wrapper (classified by its body);
``def self.x`` in ``Mod`` (or ``def x`` after ``module_function`` / with ``extend self``) is
called as ``Mod.x(...)`` (or bare inside ``Mod``), any other ``def x`` is called bare.
Scope: the service tree -- the path before its first ``app``/``lib``/``config``/``bin`` directory
(Ruby code ``require``s across directories), else the file's directory.
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

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from tree_sitter import Node

    from envlint.sources.model import EnvRead, ValueType

__all__ = ["ADAPTER"]

_EXITS = frozenset({"raise", "fail", "abort", "exit", "exit!"})
_EXIT_RECEIVERS = frozenset({"", "Kernel", "Process"})
_CONVERSIONS: Mapping[str, ValueType] = MappingProxyType({"Integer": "int", "Float": "float"})
_TO_TYPE: Mapping[str, ValueType] = MappingProxyType({"to_i": "int", "to_f": "float"})
# methods nil answers (no NoMethodError); the ones after which the climb goes on
_NIL_SAFE = frozenset(
    {"nil?", "present?", "blank?", "presence", "to_s", "to_i", "to_f", "to_a", "inspect", "frozen?"}
)
_TO_VALUE = frozenset({"to_s", "to_i", "to_f", "to_a", "inspect"})
_CASE_METHODS = frozenset({"downcase", "upcase", "strip", "chomp", "to_s", "squish", "presence"})
_BOOL_WORDS = frozenset({"true", "false", "1", "0", "yes", "no", "on", "off", "y", "n", "t", "f"})
_KEY_METHODS = frozenset({"key?", "has_key?", "include?", "member?"})
_CONDITIONALS = frozenset({"if", "unless", "if_modifier", "unless_modifier", "elsif"})
_BOUNDARIES = frozenset({"method", "singleton_method", "class", "module", "lambda", "program"})
_VARIABLES = frozenset({"identifier", "instance_variable", "constant", "global_variable"})
_SCOPE_ROOTS = frozenset({"app", "lib", "config", "bin"})

_ANCHORS = """
((element_reference object: (constant) @c) @ref (#eq? @c "ENV"))
((call receiver: (constant) @c method: (identifier)) @call (#eq? @c "ENV"))
((call receiver: (call receiver: (constant) @f method: (identifier) @e) method: (identifier))
 @figaro (#eq? @f "Figaro") (#eq? @e "env"))
((call receiver: (constant) @k method: (identifier) @r) @require_keys
 (#any-of? @k "Figaro" "Dotenv") (#eq? @r "require_keys"))
"""


# --- small tree helpers -------------------------------------------------------------------


def _strip(node: Node) -> Node:
    while node.type == "parenthesized_statements" and node.named_child_count == 1:
        node = node.named_children[0]
    return node


def _up(node: Node) -> Node:
    while node.parent is not None and node.parent.type == "parenthesized_statements":
        if node.parent.named_child_count != 1:
            break
        node = node.parent
    return node


def _operator(node: Node) -> str:
    op = _field(node, "operator")
    if op is not None:
        return text(op)
    return next((text(c) for c in node.children if not c.is_named), "")


def _safe_nav(call: Node) -> bool:
    return any(not c.is_named and text(c) == "&." for c in call.children)


def _args(call: Node) -> tuple[list[Node], dict[str, Node]]:
    """Positional and keyword (``key: value``) arguments of a call."""
    positional: list[Node] = []
    keywords: dict[str, Node] = {}
    arglist = _field(call, "arguments")
    for arg in arglist.named_children if arglist is not None else []:
        if arg.type == "pair":
            key, value = _field(arg, "key"), _field(arg, "value")
            if key is not None and value is not None:
                keywords[text(key).rstrip(":").lstrip(":")] = value
        elif arg.type not in ("comment", "block_argument", "splat_argument", "hash_splat_argument"):
            positional.append(arg)
    return positional, keywords


def _string_value(node: Node | None) -> str | None:
    """The value of a string literal without interpolation (``"X".freeze`` too), else None."""
    if node is None:
        return None
    node = _strip(node)
    if node.type == "call" and text(_field(node, "method")) == "freeze":
        return _string_value(_field(node, "receiver"))
    if node.type == "chained_string":
        parts = [_string_value(c) for c in node.named_children]
        return None if any(p is None for p in parts) else "".join(p or "" for p in parts)
    if node.type != "string":
        return None
    out: list[str] = []
    for child in node.named_children:
        if child.type == "string_content":
            out.append(text(child))
        elif child.type == "escape_sequence":
            out.append(text(child).encode().decode("unicode_escape", "replace"))
        else:
            return None
    return "".join(out)


def _method_name(call: Node) -> str:
    return text(_field(call, "method"))


def _is_exit(node: Node) -> bool:
    """``raise ...``, ``abort``, ``exit 1``, ``Kernel.exit!`` as a statement."""
    if node.type == "identifier":
        return text(node) in _EXITS
    if node.type != "call":
        return False
    receiver = _field(node, "receiver")
    return _method_name(node) in _EXITS and text(receiver) in _EXIT_RECEIVERS


def _crash_in(block: Node | None) -> Node | None:
    """The exiting statement among a body's direct statements (or a single statement)."""
    if block is None:
        return None
    if block.type in ("then", "block_body", "body_statement", "else", "parenthesized_statements"):
        statements = block.named_children
    else:
        statements = [block]
    return next((s for s in statements if _is_exit(s)), None)


# --- classification -----------------------------------------------------------------------

_Truth = tuple[bool | None, bool | None]  # the condition's value when (missing, empty)


def _not(value: bool | None) -> bool | None:
    return None if value is None else not value


def _truth(cond: Node, is_target: Callable[[Node], bool]) -> _Truth | None:
    """The value of a condition when the target is missing / empty; None: not a test of it."""
    cond = _strip(cond)
    if is_target(cond):
        return False, True  # nil is falsy, "" is truthy
    if cond.type == "unary" and _operator(cond) in ("!", "not"):
        inner = _field(cond, "operand")
        found = _truth(inner, is_target) if inner is not None else None
        return None if found is None else (_not(found[0]), _not(found[1]))
    if cond.type == "binary":
        op = _operator(cond)
        left, right = _field(cond, "left"), _field(cond, "right")
        if left is None or right is None:
            return None
        if op in ("||", "or", "&&", "and"):
            lt, rt = _truth(left, is_target), _truth(right, is_target)
            if lt is None and rt is None:
                return None
            lt = lt or (None, None)
            rt = rt or (None, None)
            either = op in ("||", "or")
            out: list[bool | None] = []
            for lv, rv in zip(lt, rt, strict=True):
                if lv is either:  # short-circuit
                    out.append(either)
                elif lv is None:
                    out.append(None)
                else:
                    out.append(rv)
            return out[0], out[1]
        if op in ("==", "!=") and is_target(_strip(left)) and _string_value(right) == "":
            return (False, True) if op == "==" else (True, False)
        return None
    if cond.type == "call":
        receiver = _field(cond, "receiver")
        if receiver is None or not is_target(_strip(receiver)):
            return None
        method = _method_name(cond)
        if method == "nil?":
            return True, False
        if method == "blank?":
            return True, True
        if method == "present?":
            return False, False
        if method == "empty?":
            return None, True  # nil.empty? raises: the read's own climb made that a crash
    return None


def _fires(stmt: Node, truth: _Truth) -> tuple[bool, bool]:
    """Whether the body of ``if``/``unless`` ``stmt`` runs when (missing, empty)."""
    if stmt.type.startswith("unless"):
        truth = (_not(truth[0]), _not(truth[1]))
    return truth[0] is True, truth[1] is True


def _body(stmt: Node) -> Node | None:
    return _field(stmt, "body" if stmt.type.endswith("_modifier") else "consequence")


def _layer_conditional(
    cls: Cls, stmt: Node, cond: Node, is_target: Callable[[Node], bool], var: str | None
) -> Cls | None:
    """Layer ``stmt`` (an ``if``/``unless``) whose condition ``cond`` may test the target."""
    truth = _truth(cond, is_target)
    if truth is None:
        return None
    body = _body(stmt)
    fires = _fires(stmt, truth)
    crash = _crash_in(body)
    alternative = _field(stmt, "alternative")
    if crash is None and alternative is not None and alternative.type == "else":
        other = _crash_in(alternative)  # `if ENV["X"] ... else raise ... end`
        if other is not None:
            return apply_test(
                cls, (not fires[0], not fires[1]), other, None, empty_alone_defaults=True
            )
    dflt = _assigned_in(body, var) if var is not None else None
    return apply_test(cls, fires, crash, dflt, empty_alone_defaults=True)


def _assigned_in(body: Node | None, var: str) -> Node | None:
    if body is None:
        return None
    statements = body.named_children if body.type == "then" else [body]
    for stmt in statements:
        if stmt.type == "assignment" and text(_field(stmt, "left")) == var:
            return _field(stmt, "right")
    return None


def _climb(node: Node, cls: Cls) -> Cls:
    """Layer the read's surrounding expression on its class (see the module docstring)."""
    cur = _up(node)
    chain = {node.id, cur.id}
    nil_empty = False  # after `.presence`, "" became nil
    nil_gone = False  # after `.to_s` / `.to_i`, nil became a value
    while True:
        parent = cur.parent
        if parent is None:
            break
        if parent.type == "binary" and _is(_field(parent, "left"), cur):
            op = _operator(parent)
            right = _field(parent, "right")
            if op not in ("||", "or") or right is None:
                word = _string_value(right)
                if op in ("==", "!=") and word and word.lower() in _BOOL_WORDS:
                    cls = replace(cls, type="bool")
                break
            if cls.missing == "empty":
                if _is_exit(_strip(right)):
                    cls = replace(cls, missing="crash", crash=_strip(right))
                    if nil_empty and cls.on_empty == "empty":
                        cls = replace(cls, on_empty="crash")
                else:
                    on_empty = cls.on_empty
                    if nil_empty and on_empty == "empty":
                        on_empty = "default"
                    cls = replace(cls, missing="default", on_empty=on_empty, default=text(right))
            cur = parent
        elif parent.type == "argument_list" and parent.parent is not None:
            call = parent.parent
            positional, keywords = _args(call)
            if call.type != "call" or not positional or not _is(positional[0], cur):
                break
            func = _method_name(call)
            if func not in _CONVERSIONS or _field(call, "receiver") is not None:
                break
            raises = text(keywords.get("exception")) != "false"
            cls = replace(cls, type=_CONVERSIONS[func])
            if raises:
                cls = replace(
                    cls,
                    missing="crash" if cls.missing == "empty" else cls.missing,
                    on_empty="default" if cls.on_empty == "default" else "crash",
                    crash=cls.crash or call,
                )
            cur = call
        elif parent.type == "call" and _is(_field(parent, "receiver"), cur):
            method = _method_name(parent)
            if method in ("nil?", "present?", "blank?", "empty?"):
                if method == "empty?" and cls.missing == "empty" and not _safe_nav(parent):
                    cls = replace(cls, missing="crash", crash=parent)
                break  # a test: the if-layer below reads it
            if method in _TO_TYPE:
                cls = replace(cls, type=_TO_TYPE[method])
            if method == "presence":
                nil_empty = True
            elif method in _NIL_SAFE:
                nil_gone = nil_gone or method in _TO_VALUE
                nil_empty = nil_empty and method not in _TO_VALUE
            elif not nil_gone and not _safe_nav(parent):
                if cls.missing == "empty":  # nil.split: NoMethodError
                    cls = replace(cls, missing="crash", crash=parent)
                if nil_empty and cls.on_empty == "empty":
                    cls = replace(cls, on_empty="crash", crash=cls.crash or parent)
            cur = parent
            if method not in _CASE_METHODS and method not in _TO_TYPE:
                break
        else:
            break
        cur = _up(cur)
        chain.add(cur.id)
    same = text(node)  # `ENV["X"].nil? || ENV["X"].empty?` tests one variable twice
    cls = _if_checks(cur, lambda n: n.id in chain or (n.type == node.type and text(n) == same), cls)
    holder = cur.parent
    if holder is not None and holder.type == "assignment" and _is(_field(holder, "right"), cur):
        target = _field(holder, "left")
        if target is not None and target.type in _VARIABLES:
            cls = _follow_checks(holder, text(target), cls)
    return _rescue_guard(node, cls)


def _if_checks(cur: Node, is_target: Callable[[Node], bool], cls: Cls) -> Cls:
    """``raise ... unless <read>`` -- the read (or a test on it) is the condition."""
    node = cur
    while node.parent is not None and (
        node.parent.type in ("unary", "parenthesized_statements")
        or (node.parent.type == "binary" and _operator(node.parent) in ("||", "or", "&&", "and"))
        or (node.parent.type == "call" and _is(_field(node.parent, "receiver"), node))
    ):
        node = node.parent
    stmt = node.parent
    if stmt is None or stmt.type not in _CONDITIONALS or not _is(_field(stmt, "condition"), node):
        return cls
    return _layer_conditional(cls, stmt, node, is_target, None) or cls


def _follow_checks(assign: Node, var: str, cls: Cls) -> Cls:
    """``v = <read>`` followed in the same body by ``raise unless v`` / ``v ||= d``.  Stops where
    ``v`` is assigned again."""

    def is_var(node: Node) -> bool:
        return node.type in _VARIABLES and text(node) == var

    sibling = assign.next_named_sibling
    for _ in range(12):
        if sibling is None:
            break
        if sibling.type in _CONDITIONALS:
            cond = _field(sibling, "condition")
            layered = _layer_conditional(cls, sibling, cond, is_var, var) if cond else None
            if layered is not None:
                return layered
        elif sibling.type == "operator_assignment" and is_var(_field(sibling, "left") or sibling):
            right = _field(sibling, "right")
            if _operator(sibling) == "||=" and right is not None and cls.missing == "empty":
                return replace(cls, missing="default", default=text(right))
            break
        elif sibling.type == "assignment" and text(_field(sibling, "left")) == var:
            break
        sibling = sibling.next_named_sibling
    return cls


def _rescue_guard(node: Node, cls: Cls) -> Cls:
    """A crash under a ``rescue`` that does not itself exit is ``unknown``."""
    if cls.missing != "crash" and cls.on_empty != "crash":
        return cls
    child = node
    for parent in ancestors(node):
        swallowed = False
        if parent.type == "rescue_modifier" and _is(_field(parent, "body"), child):
            swallowed = not _is_exit(_field(parent, "handler") or parent)
        elif parent.type in ("begin", "body_statement") and child.type not in (
            "rescue",
            "else",
            "ensure",
        ):
            rescues = [c for c in parent.named_children if c.type == "rescue"]
            swallowed = bool(rescues) and not any(
                _crash_in(_field(r, "body")) is not None for r in rescues
            )
        if swallowed:
            return replace(
                cls,
                missing="unknown" if cls.missing == "crash" else cls.missing,
                on_empty="unknown" if cls.on_empty == "crash" else cls.on_empty,
                crash=None,
            )
        if parent.type in _BOUNDARIES:
            break
        child = parent
    return cls


# --- names --------------------------------------------------------------------------------


def _method_of(node: Node) -> Node | None:
    """The ``def`` containing ``node`` (None inside a block or lambda: the closure ends it)."""
    for parent in ancestors(node):
        if parent.type in ("block", "do_block", "lambda"):
            return None
        if parent.type in ("method", "singleton_method"):
            return parent
    return None


def _params(function: Node) -> list[tuple[str, Node | None]]:
    """Positional parameter names and their declared defaults."""
    out: list[tuple[str, Node | None]] = []
    params = _field(function, "parameters")
    for param in params.named_children if params is not None else []:
        if param.type == "identifier":
            out.append((text(param), None))
        elif param.type == "optional_parameter":
            out.append((text(_field(param, "name")), _field(param, "value")))
    return out


def _resolve(arg: Node | None, consts: Mapping[str, str]) -> Name:
    if arg is None:
        return Name("dynamic")
    arg = _strip(arg)
    value = _string_value(arg)
    if value is not None:
        return Name("literal", value)
    if arg.type == "constant":
        name = text(arg)
        return Name("literal", consts[name]) if name in consts else Name("const", name)
    if arg.type == "scope_resolution":
        return Name("const", text(_field(arg, "name")))
    if arg.type == "identifier":
        function = _method_of(arg)
        if function is not None:
            for index, (param, _) in enumerate(_params(function)):
                if param == text(arg):
                    return Name("param", param=index, function=function)
        return Name("dynamic")
    parts: list[str | None] = []
    unknown: list[str] = []
    if arg.type == "string":
        for child in arg.named_children:
            if child.type == "string_content":
                parts.append(text(child))
            elif child.type == "escape_sequence":
                parts.append(text(child).encode().decode("unicode_escape", "replace"))
            else:
                inner = child.named_children[0] if child.named_child_count == 1 else child
                _piece(inner, consts, parts, unknown)
    elif arg.type == "binary" and _operator(arg) == "+":
        for piece in _flatten_plus(arg):
            _piece(piece, consts, parts, unknown)
    else:
        return Name("dynamic")
    return name_from_parts(parts, unknown)


def _piece(
    node: Node, consts: Mapping[str, str], parts: list[str | None], unknown: list[str]
) -> None:
    value = _string_value(node)
    if value is None and node.type == "constant":
        value = consts.get(text(node))
        if value is None:
            unknown.append(text(node))
    elif value is None:
        unknown.append("")
    parts.append(value)


def _flatten_plus(node: Node) -> list[Node]:
    node = _strip(node)
    if node.type == "binary" and _operator(node) == "+":
        left, right = _field(node, "left"), _field(node, "right")
        if left is not None and right is not None:
            return _flatten_plus(left) + _flatten_plus(right)
    return [node]


def _constants(root: Node) -> dict[str, str]:
    """String constants assigned at file, class or module level (first assignment wins)."""
    consts: dict[str, str] = {}
    query = compile_query("ruby", "(assignment left: (constant) @name right: (_) @value) @assign")
    for _, caps in matches(query, root):
        holder = caps["assign"][0].parent
        if holder is None or not (
            holder.type == "program"
            or (
                holder.type == "body_statement"
                and holder.parent is not None
                and holder.parent.type in ("class", "module")
            )
        ):
            continue
        value = _string_value(caps["value"][0])
        if value is not None:
            consts.setdefault(text(caps["name"][0]), value)
    return consts


# --- reads --------------------------------------------------------------------------------


def _owner(function: Node) -> str:
    for parent in ancestors(function):
        if parent.type in ("class", "module"):
            return text(_field(parent, "name")).rpartition("::")[2]
    return ""


def _helper_name(function: Node) -> tuple[str, bool]:
    """``def self.x`` (or ``def x`` after ``module_function`` / under ``extend self``) in ``M``:
    ``("M.x", True)``; any other ``def x``: ``("x", False)``."""
    name = text(_field(function, "name"))
    if function.type == "singleton_method" or _module_function(function):
        owner = _owner(function)
        if owner:
            return f"{owner}.{name}", True
    return name, False


def _module_function(function: Node) -> bool:
    body = function.parent
    if body is None or body.type != "body_statement":
        return False
    module = body.parent
    if module is None or module.type != "module":
        return False
    for stmt in body.named_children:
        if stmt.id == function.id:
            break
        if text(stmt) in ("module_function", "extend self"):
            return True
    return any(text(stmt) == "extend self" for stmt in body.named_children)


def _base(default: Node | None) -> Cls:
    if default is None or _strip(default).type == "nil":
        return Cls("empty")
    return Cls("default", default=text(default))


def _fetch_class(call: Node) -> Cls:
    positional, _ = _args(call)
    if len(positional) > 1:
        return _base(positional[1])
    block = _field(call, "block")
    if block is not None:
        body = _field(block, "body")
        crash = _crash_in(body)
        if crash is not None:
            return Cls("crash", crash=crash)
        statements = body.named_children if body is not None else []
        return _base(statements[-1] if statements else None)
    return Cls("crash", crash=call)


def _env_call(state: FileState, call: Node) -> None:
    method = _method_name(call)
    positional, _ = _args(call)
    if not positional:
        return
    if method == "fetch":
        _emit(state, call, positional[0], "ENV.fetch", _fetch_class(call))
    elif method in _KEY_METHODS:
        # `raise ... unless ENV.key?("X")`: a crash when missing; "" is a present key
        node = _up(call)
        stmt = node.parent
        if stmt is None or stmt.type not in _CONDITIONALS:
            return
        if not _is(_field(stmt, "condition"), node):
            return
        fires = _fires(stmt, (False, True))
        crash = _crash_in(_body(stmt))
        if crash is not None and fires[0]:
            cls = _rescue_guard(
                call, Cls("crash", on_empty="crash" if fires[1] else "empty", crash=crash)
            )
            _emit_name(state, call, positional[0], f"ENV.{method}", cls)


def _emit(state: FileState, read: Node, name_arg: Node | None, api: str, base: Cls) -> None:
    _emit_name(state, read, name_arg, api, _climb(read, base))


def _emit_name(state: FileState, read: Node, name_arg: Node | None, api: str, cls: Cls) -> None:
    name = _resolve(name_arg, state.consts)
    record = env_read(state.ctx, read, api, cls)
    if name.kind == "param" and name.function is not None:
        _add_helper(state, name, record, _default_param(read))
    else:
        state.finish(record, name)


def _default_param(read: Node) -> str | None:
    """The identifier passed as ``ENV.fetch(key, default)``'s default."""
    if read.type != "call":
        return None
    positional, _ = _args(read)
    if len(positional) > 1 and positional[1].type == "identifier":
        return text(positional[1])
    return None


def _add_helper(state: FileState, name: Name, record: EnvRead, passed: str | None) -> None:
    function = name.function
    assert function is not None
    params = _params(function)
    default_param = None
    for index, (param, declared) in enumerate(params):
        if param != passed or index == name.param:
            continue
        default_param = index
        if record.missing == "default" and record.default == param:
            record = replace(record, missing="empty", default=None)
            if declared is not None and _strip(declared).type != "nil":
                record = replace(record, missing="default", default=text(declared))
    helper_name, is_method = _helper_name(function)
    state.helpers.append(
        Helper(
            name=helper_name,
            kind="wrapper",
            location=location(state.ctx, _field(function, "name") or function),
            template=replace(record, via=",".join(p for p, _ in params)),
            name_param=name.param,
            default_param=default_param,
            is_method=is_method,
        )
    )


def _call_site(state: FileState, call: Node, helper: Helper) -> None:
    template = helper.template
    assert template is not None
    positional, _ = _args(call)
    if helper.name_param >= len(positional):
        return
    base = Cls.of(template)
    supplied = (
        positional[helper.default_param]
        if helper.default_param is not None and helper.default_param < len(positional)
        else None
    )
    if supplied is not None and template.missing in ("empty", "default"):
        base = replace(_base(supplied), on_empty=template.on_empty, type=template.expected_type)
    record = call_site_read(state.ctx, call, helper, _climb(call, base))
    name = _resolve(positional[helper.name_param], state.consts)
    if name.kind == "param" and name.function is not None:
        _add_helper(state, name, record, None)
        return
    state.finish(record, name)


def _called_helper(call: Node, helpers: Mapping[str, Helper]) -> Helper | None:
    method = _method_name(call)
    receiver = _field(call, "receiver")
    if receiver is None or receiver.type == "self":
        helper = helpers.get(method)
        if helper is not None and not helper.is_method:
            return helper
        for parent in ancestors(call):  # `x(...)` inside the module that defines `self.x`
            if parent.type in ("class", "module"):
                owner = text(_field(parent, "name")).rpartition("::")[2]
                found = helpers.get(f"{owner}.{method}")
                if found is not None:
                    return found
        return None
    if receiver.type in ("constant", "scope_resolution"):
        owner = text(receiver).rpartition("::")[2]
        return helpers.get(f"{owner}.{method}")
    return None


def _figaro(state: FileState, call: Node) -> None:
    method = _method_name(call)
    if method.endswith("?") or method.endswith("="):
        return
    bang = method.endswith("!")
    name = method.rstrip("!").upper()
    cls = Cls("crash", crash=call) if bang else Cls("empty")
    record = env_read(state.ctx, call, "Figaro.env", _climb(call, cls))
    state.reads.append(replace(record, name=name))


def _require_keys(state: FileState, call: Node, owner: str) -> None:
    for arg in _args(call)[0]:
        items = arg.named_children if arg.type == "array" else [arg]
        for item in items:
            cls = _rescue_guard(call, Cls("crash", crash=call))
            _emit_name(state, item, item, f"{owner}.require_keys", cls)


# --- the adapter --------------------------------------------------------------------------


class _Ruby:
    languages = frozenset({"ruby"})
    needles = (b"ENV", b"Figaro", b"Dotenv")

    def scope(self, path: str) -> str:
        parts = path.split("/")[:-1]
        for index, part in enumerate(parts):
            if part in _SCOPE_ROOTS:
                return "/".join(parts[:index])
        return "/".join(parts)

    def scan(self, ctx: FileContext) -> FileScan:
        state = FileState(ctx, MappingProxyType(_constants(ctx.root)))
        for _, caps in matches(compile_query(ctx.language, _ANCHORS), ctx.root):
            if "ref" in caps:
                ref = caps["ref"][0]
                keys = [c for c in ref.named_children if not _is(c, _field(ref, "object"))]
                keys = [k for k in keys if k.type != "comment"]
                holder = ref.parent
                if len(keys) != 1:
                    continue
                if (
                    holder is not None
                    and holder.type in ("assignment", "operator_assignment")
                    and _is(_field(holder, "left"), ref)
                ):
                    if holder.type == "operator_assignment" and _operator(holder) == "||=":
                        # `ENV["X"] ||= d`: the variable gets a default
                        dflt = Cls("default", default=text(_field(holder, "right")))
                        _emit_name(state, ref, keys[0], "ENV[]", dflt)
                    continue  # `ENV["X"] = v` writes
                _emit(state, ref, keys[0], "ENV[]", Cls("empty"))
            elif "call" in caps:
                _env_call(state, caps["call"][0])
            elif "figaro" in caps:
                _figaro(state, caps["figaro"][0])
            elif "require_keys" in caps:
                _require_keys(state, caps["require_keys"][0], text(caps["k"][0]))
        return state.file_scan(with_constants=True)

    def scan_calls(self, ctx: FileContext, helpers: Mapping[str, Helper]) -> FileScan:
        state = FileState(ctx, MappingProxyType(_constants(ctx.root)))
        names = quoted(n.rpartition(".")[2] for n in helpers)
        query = compile_query(
            ctx.language, f"((call method: (identifier) @f) @call (#any-of? @f {names}))"
        )
        for _, caps in matches(query, ctx.root):
            call = caps["call"][0]
            helper = _called_helper(call, helpers)
            if helper is not None:
                _call_site(state, call, helper)
        return state.file_scan(with_constants=False)


ADAPTER = _Ruby()
