"""JavaScript / TypeScript / TSX adapter: ``process.env`` reads, helpers, envalid, zod
(research/source-patterns.md A.4).

Forms and their classes (``missing`` / ``on_empty``):

* ``process.env.X``, ``process.env["X"]``, ``import.meta.env.X`` (Vite), ``Bun.env.X``,
  ``Deno.env.get("X")``: empty / empty.  TS ``!``, ``as T`` and parentheses are transparent.
* ``const { X = "d", Y, Z: z = 1 } = process.env``: default / empty for ``X`` and ``Z``, empty
  for ``Y``.
* ``?? "d"`` default / empty; ``|| "d"`` default / default.
* ``parseInt`` (int), ``parseFloat`` / ``Number`` (float), ``Boolean`` / ``=== "true"`` (bool) keep
  the class (``NaN``, ``0`` and ``false`` are silent); ``JSON.parse(...)`` and ``new URL(...)``
  throw on ``undefined`` and ``""`` (crash); a method call on the possibly-undefined value
  (``process.env.X.split(",")``, not ``?.``) crashes with TypeError.
* ``if (!process.env.X) throw ... / process.exit(1)`` (also through a variable, ``=== undefined``
  / ``== null`` / ``=== ""`` tests): crash; an ``if`` that assigns the variable gives a default;
  a crash inside ``try`` with a ``catch`` that does not exit becomes ``unknown``.
* envalid ``cleanEnv(process.env, { X: str(), P: port({ default: 3000 }) })``: no ``default`` ->
  crash (the reporter exits), ``devDefault`` only -> unknown (depends on ``NODE_ENV``).
* zod ``z.object({ X: z.string() }).parse(process.env)`` (the schema inline or in a same-file
  ``const``): required -> crash (ZodError), ``.default(v)`` / ``.catch(v)`` -> default,
  ``.optional()`` / ``.nullish()`` -> empty; ``safeParse`` -> unknown.

Names: identifiers, string literals, template literals (patterns when a part is unknown),
``+`` concatenations and module-level ``const NAME = "X"`` (this file, then the directory).
Helpers: module functions (``function f``, ``const f = (k) => ...``, exported or not) and class
methods whose parameter flows into a read, resolved per directory.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache
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

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

    from tree_sitter import Node

    from envlint.sources.model import EnvRead, Missing, ValueType

__all__ = ["ADAPTER"]

_ANCHORS = """
((member_expression object: (identifier) @p property: (property_identifier) @e) @env
 (#any-of? @p "process" "Bun") (#eq? @e "env"))
((member_expression object: (meta_property) property: (property_identifier) @e) @meta
 (#eq? @e "env"))
((call_expression
   function: (member_expression
     object: (member_expression object: (identifier) @d property: (property_identifier) @e)
     property: (property_identifier) @g)) @deno
 (#eq? @d "Deno") (#eq? @e "env") (#eq? @g "get"))
((call_expression
   function: [(identifier) @f (member_expression property: (property_identifier) @f)]) @cleanenv
 (#eq? @f "cleanEnv"))
((call_expression function: (member_expression property: (property_identifier) @m)) @zod
 (#any-of? @m "parse" "safeParse" "parseAsync" "safeParseAsync"))
"""
_TRANSPARENT = frozenset(
    {
        "parenthesized_expression",
        "non_null_expression",
        "as_expression",
        "satisfies_expression",
        "type_assertion",
    }
)
_PARSERS: Mapping[str, ValueType] = MappingProxyType(
    {"parseInt": "int", "Number.parseInt": "int", "parseFloat": "float", "Number": "float"}
)
_PARSERS_FLOAT = frozenset({"Number.parseFloat"})
_BOOL_WORDS = frozenset({"true", "false", "1", "0", "yes", "no", "on", "off"})
_CASE_METHODS = frozenset({"toLowerCase", "toUpperCase", "trim", "toLocaleLowerCase"})
_EXITS = frozenset({"process.exit", "Deno.exit", "process.abort"})
_FUNCTIONS = frozenset(
    {
        "function_declaration",
        "generator_function_declaration",
        "method_definition",
        "arrow_function",
        "function_expression",
        "function",
    }
)
_ENVALID_TYPES: Mapping[str, ValueType] = MappingProxyType(
    {"num": "float", "port": "int", "bool": "bool", "url": "url"}
)


# --- small tree helpers -------------------------------------------------------------------


def _up(node: Node) -> Node:
    while node.parent is not None and node.parent.type in _TRANSPARENT:
        node = node.parent
    return node


def _strip(node: Node | None) -> Node:
    assert node is not None
    while node.type in _TRANSPARENT and node.named_child_count:
        node = node.named_children[0]
    return node


def _string_value(node: Node | None) -> str | None:
    """The value of a string literal or a template literal without substitutions."""
    if node is None or node.type not in ("string", "template_string"):
        return None
    out = []
    for child in node.named_children:
        if child.type == "string_fragment":
            out.append(text(child))
        elif child.type == "escape_sequence":
            out.append(text(child).encode().decode("unicode_escape", "replace"))
        elif child.type == "template_substitution":
            return None
    return "".join(out)


def _args(call: Node) -> list[Node]:
    arguments = _field(call, "arguments")
    if arguments is None:
        return []
    return [a for a in arguments.named_children if a.type != "comment"]


def _operator(node: Node) -> str:
    op = _field(node, "operator")
    return text(op) if op is not None else ""


def _callee(call: Node) -> str:
    return text(_field(call, "function") or _field(call, "constructor"))


def _statements(block: Node | None) -> list[Node]:
    if block is None:
        return []
    if block.type == "statement_block":
        return [c for c in block.named_children if c.type != "comment"]
    return [block]


def _crash_in(block: Node | None) -> Node | None:
    for stmt in _statements(block):
        if stmt.type == "throw_statement":
            return stmt
        if stmt.type == "expression_statement" and stmt.named_child_count:
            call = stmt.named_children[0]
            if call.type == "call_expression" and _callee(call) in _EXITS:
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


def _nullish(node: Node) -> bool:
    return node.type in ("undefined", "null") or text(node) == "undefined"


def _tests(cond: Node, is_target: Callable[[Node], bool]) -> tuple[bool, bool] | None:
    """Whether a condition is true when the target is (missing, empty)."""
    cond = _strip(cond)
    if cond.type == "unary_expression" and _operator(cond) == "!":
        arg = _field(cond, "argument")
        return (True, True) if arg is not None and is_target(_strip(arg)) else None
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
    if op not in ("===", "==", "!==", "!="):
        return None
    subject, other = (left, right) if is_target(_strip(left)) else (right, left)
    if not is_target(_strip(subject)):
        return None
    other = _strip(other)
    if op in ("===", "==") and _nullish(other):
        return True, op == "==" and False
    if op in ("===", "==") and _string_value(other) == "":
        return False, True
    if other.type == "unary_expression" and text(other) == "void 0" and op in ("===", "=="):
        return True, False
    return None


def _apply(cls: Cls, fires: tuple[bool, bool], crash: Node | None, dflt: Node | None) -> Cls:
    return apply_test(cls, fires, crash, dflt, empty_alone_defaults=False)


def _climb(node: Node, cls: Cls) -> Cls:
    """Layer the read's surrounding expression on its class (see the module docstring)."""
    cur = _up(node)
    chain = {node.id, cur.id}
    while True:
        parent = cur.parent
        if parent is None:
            break
        if parent.type == "binary_expression" and _is(_field(parent, "left"), cur):
            op = _operator(parent)
            if op not in ("??", "||"):
                if op in ("===", "==", "!==", "!="):
                    value = _string_value(_strip(_field(parent, "right")))
                    if value is not None and value.lower() in _BOOL_WORDS:
                        cls = replace(cls, type="bool")
                break
            fallback = text(_field(parent, "right"))
            if cls.missing == "empty":
                cls = replace(cls, missing="default", default=fallback)
            if op == "||" and cls.on_empty == "empty":
                cls = replace(cls, on_empty="default")
            cur = parent
        elif parent.type == "arguments" and parent.parent is not None:
            call = parent.parent
            args = [a for a in parent.named_children if a.type != "comment"]
            if not args or args[0].id != cur.id:
                break
            func = _callee(call)
            if call.type == "call_expression" and func in _PARSERS:
                cls = replace(cls, type=_PARSERS[func])
            elif call.type == "call_expression" and func in _PARSERS_FLOAT:
                cls = replace(cls, type="float")
            elif call.type == "call_expression" and func == "Boolean":
                cls = replace(cls, type="bool")
            elif func == "URL" and len(args) > 1:
                break  # new URL(undefined, base) resolves "undefined" against base: no throw
            elif func in ("JSON.parse", "URL"):
                cls = replace(
                    cls,
                    type="url" if func == "URL" else cls.type,
                    missing="crash" if cls.missing == "empty" else cls.missing,
                    on_empty="default" if cls.on_empty == "default" else "crash",
                    crash=cls.crash or call,
                )
            elif func != "String":
                break
            cur = call
        elif parent.type == "member_expression" and _is(_field(parent, "object"), cur):
            method_call = parent.parent
            if method_call is None or method_call.type != "call_expression":
                break
            if not _is(_field(method_call, "function"), parent):
                break
            optional = any(c.type == "optional_chain" for c in parent.children)
            if cls.missing == "empty" and not optional:  # undefined.split(): TypeError
                cls = replace(cls, missing="crash", crash=method_call)
            cur = method_call
            if text(_field(parent, "property")) not in _CASE_METHODS:
                break
        elif parent.type == "binary_expression" and _is(_field(parent, "right"), cur):
            if _operator(parent) in ("===", "==", "!==", "!="):
                value = _string_value(_strip(_field(parent, "left")))
                if value is not None and value.lower() in _BOOL_WORDS:
                    cls = replace(cls, type="bool")
            break
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
        if target is not None and target.type == "identifier" and statement is not None:
            cls = _follow_checks(statement, text(target), cls)
    elif holder is not None and holder.type == "assignment_expression":
        target = _field(holder, "left")
        statement = holder.parent
        if target is not None and target.type == "identifier" and statement is not None:
            cls = _follow_checks(statement, text(target), cls)
    return _try_guard(node, cls)


def _if_checks(cur: Node, is_target: Callable[[Node], bool], cls: Cls) -> Cls:
    node = cur
    while node.parent is not None and (
        node.parent.type in ("unary_expression", "binary_expression", "parenthesized_expression")
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
    """``const v = <read>`` followed by ``if (!v) throw ...`` / ``if (!v) v = d``."""

    def is_var(node: Node) -> bool:
        return node.type == "identifier" and text(node) == var

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
        stop=_FUNCTIONS | {"class_body"},
        try_types=frozenset({"try_statement"}),
        swallows=_catch_swallows,
    )


def _catch_swallows(try_node: Node) -> bool:
    handler = _field(try_node, "handler")
    return handler is not None and _crash_in(_field(handler, "body")) is None


# --- names --------------------------------------------------------------------------------


def _function_name(function: Node) -> Node | None:
    """The name node of a module-level function or a class method (None otherwise)."""
    if function.type in ("function_declaration", "generator_function_declaration"):
        outer = function.parent
        while outer is not None and outer.type == "export_statement":
            outer = outer.parent
        return _field(function, "name") if outer is not None and outer.type == "program" else None
    if function.type == "method_definition":
        return _field(function, "name")
    declarator = function.parent
    if declarator is None or declarator.type != "variable_declarator":
        return None
    declaration = declarator.parent
    outer = declaration.parent if declaration is not None else None
    while outer is not None and outer.type == "export_statement":
        outer = outer.parent
    if outer is None or outer.type != "program":
        return None
    name = _field(declarator, "name")
    return name if name is not None and name.type == "identifier" else None


def _function_of(node: Node) -> Node | None:
    for parent in ancestors(node):
        if parent.type in _FUNCTIONS:
            return parent if _function_name(parent) is not None else None
    return None


def _params(function: Node) -> list[tuple[str, Node | None]]:
    params = _field(function, "parameters")
    if params is None:  # `k => ...`
        single = _field(function, "parameter")
        return [(text(single), None)] if single is not None else []
    out: list[tuple[str, Node | None]] = []
    for param in params.named_children:
        if param.type == "identifier":
            out.append((text(param), None))
        elif param.type == "assignment_pattern":
            out.append((text(_field(param, "left")), _field(param, "right")))
        elif param.type in ("required_parameter", "optional_parameter"):
            out.append((text(_field(param, "pattern")), _field(param, "value")))
        elif param.type != "comment":
            out.append(("", None))
    return out


def _helper_name(function: Node) -> str:
    name = text(_function_name(function))
    if function.type != "method_definition":
        return name
    for parent in ancestors(function):
        if parent.type in ("class_declaration", "class"):
            owner = _field(parent, "name")
            return f"{text(owner)}.{name}" if owner is not None else name
    return name


def _resolve(arg: Node | None, consts: Mapping[str, str]) -> Name:
    if arg is None:
        return Name("dynamic")
    arg = _strip(arg)
    if arg.type in ("property_identifier", "shorthand_property_identifier_pattern"):
        return Name("literal", text(arg))
    value = _string_value(arg)
    if value is not None:
        return Name("literal", value)
    if arg.type == "identifier":
        name = text(arg)
        if name in consts:
            return Name("literal", consts[name])
        function = _function_of(arg)
        if function is not None:
            for index, (param, _) in enumerate(_params(function)):
                if param == name:
                    return Name("param", param=index, function=function)
        return Name("const", name)
    if arg.type == "member_expression":
        return Name("const", text(_field(arg, "property")))
    parts: list[str | None] = []
    unknown: list[str] = []
    pieces: list[Node]
    if arg.type == "template_string":
        pieces = [
            _strip(c.named_children[0]) if c.type == "template_substitution" else c
            for c in arg.named_children
            if c.type in ("string_fragment", "template_substitution", "escape_sequence")
            and (c.type != "template_substitution" or c.named_child_count)
        ]
    elif arg.type == "binary_expression" and _operator(arg) == "+":
        pieces = _flatten_plus(arg)
    else:
        return Name("dynamic")
    for piece in pieces:
        value = text(piece) if piece.type == "string_fragment" else _string_value(piece)
        if value is None and piece.type == "identifier":
            value = consts.get(text(piece))
            if value is None:
                unknown.append(text(piece))
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


def _top_level(root: Node) -> tuple[dict[str, str], dict[str, Node], frozenset[str]]:
    """Module-level string constants, module-level declarator values, and names bound by
    imports / ``require`` (receivers of qualified helper calls)."""
    consts: dict[str, str] = {}
    values: dict[str, Node] = {}
    modules: set[str] = set()
    for stmt in root.named_children:
        if stmt.type == "export_statement":
            declaration = _field(stmt, "declaration")
            stmt = declaration if declaration is not None else stmt
        if stmt.type == "import_statement":
            for clause in stmt.named_children:
                if clause.type != "import_clause":
                    continue
                for item in clause.named_children:
                    if item.type == "identifier":
                        modules.add(text(item))
                    elif item.type == "namespace_import" and item.named_child_count:
                        modules.add(text(item.named_children[-1]))
        elif stmt.type in ("lexical_declaration", "variable_declaration"):
            for declarator in stmt.named_children:
                if declarator.type != "variable_declarator":
                    continue
                name, value = _field(declarator, "name"), _field(declarator, "value")
                if name is None or name.type != "identifier" or value is None:
                    continue
                literal = _string_value(_strip(value))
                if literal is not None:
                    consts.setdefault(text(name), literal)
                values.setdefault(text(name), value)
                if _strip(value).type == "call_expression" and _callee(_strip(value)) == "require":
                    modules.add(text(name))
    return consts, values, frozenset(modules)


# --- the adapter --------------------------------------------------------------------------


@dataclass
class _FileState(FileState):
    values: Mapping[str, Node] = field(default_factory=dict)  # module-level declarator values


class _JavaScript:
    languages = frozenset({"javascript", "typescript", "tsx"})
    needles = (b"process.env", b"import.meta.env", b"Bun.env", b"Deno.env", b"cleanEnv", b"z.")

    def scope(self, path: str) -> str:
        return path.rpartition("/")[0]

    def _state(self, ctx: FileContext) -> tuple[_FileState, frozenset[str]]:
        consts, values, modules = _top_level(ctx.root)
        state = _FileState(ctx, MappingProxyType(consts), values=MappingProxyType(values))
        return state, modules

    def scan(self, ctx: FileContext) -> FileScan:
        state, _ = self._state(ctx)
        query = compile_query(ctx.language, _ANCHORS)
        for _, caps in matches(query, ctx.root):
            if "env" in caps:
                _env_use(state, caps["env"][0], f"{text(caps['p'][0])}.env")
            elif "meta" in caps:
                _env_use(state, caps["meta"][0], "import.meta.env")
            elif "deno" in caps:
                call = caps["deno"][0]
                args = _args(call)
                _emit(state, call, args[0] if args else None, "Deno.env.get", Cls("empty"))
            elif "cleanenv" in caps:
                _cleanenv(state, caps["cleanenv"][0])
            elif "zod" in caps:
                _zod(state, caps["zod"][0], text(caps["m"][0]))
        return state.file_scan(with_constants=True)

    def scan_calls(self, ctx: FileContext, helpers: Mapping[str, Helper]) -> FileScan:
        state, modules = self._state(ctx)
        names = quoted(h.rpartition(".")[2] for h in helpers)
        query = compile_query(
            ctx.language,
            f"""((call_expression function: (identifier) @f) @call (#any-of? @f {names}))
                ((call_expression function: (member_expression property: (property_identifier) @f))
                 @call (#any-of? @f {names}))""",
        )
        instances = cache(lambda: _instances(ctx))  # only when a method call needs them

        def owned_by(receiver: Node, owner: str) -> bool:
            return _receiver_is(receiver, owner, instances())

        for _, caps in matches(query, ctx.root):
            call, callee = caps["call"][0], text(caps["f"][0])
            receiver = _field(_field(call, "function"), "object")
            for helper in called_helpers(callee, receiver, helpers, modules, owned_by):
                _call_site(state, call, helper)
        return state.file_scan(with_constants=False)


def _instances(ctx: FileContext) -> dict[str, set[str]]:
    query = compile_query(
        ctx.language,
        """(variable_declarator name: (identifier) @var
                                value: (new_expression constructor: (_) @cls))""",
    )
    out: dict[str, set[str]] = {}
    for _, caps in matches(query, ctx.root):
        out.setdefault(text(caps["cls"][0]), set()).add(text(caps["var"][0]))
    return out


def _receiver_is(receiver: Node, owner: str, instances: Mapping[str, set[str]]) -> bool:
    receiver = _strip(receiver)
    if receiver.type == "new_expression":
        return text(_field(receiver, "constructor")) == owner
    if receiver.type == "this":
        for parent in ancestors(receiver):
            if parent.type in ("class_declaration", "class"):
                return text(_field(parent, "name")) == owner
        return False
    return receiver.type == "identifier" and (
        text(receiver) == owner or text(receiver) in instances.get(owner, ())
    )


def _env_use(state: _FileState, env: Node, api: str) -> None:
    top = _up(env)
    parent = top.parent
    if parent is None:
        return
    if parent.type == "member_expression" and _is(_field(parent, "object"), top):
        if _is_write(parent):
            return
        _emit(state, parent, _field(parent, "property"), api, Cls("empty"))
    elif parent.type == "subscript_expression" and _is(_field(parent, "object"), top):
        if _is_write(parent):
            return
        _emit(state, parent, _field(parent, "index"), api, Cls("empty"))
    elif parent.type == "variable_declarator" and _is(_field(parent, "value"), top):
        pattern = _field(parent, "name")
        if pattern is not None and pattern.type == "object_pattern":
            _destructure(state, pattern, api)


def _is_write(member: Node) -> bool:
    parent = _up(member).parent
    return (
        parent is not None
        and parent.type in ("assignment_expression", "augmented_assignment_expression")
        and _is(_field(parent, "left"), _up(member))
    ) or (
        parent is not None and parent.type == "unary_expression" and _operator(parent) == "delete"
    )


def _destructure(state: _FileState, pattern: Node, api: str) -> None:
    for item in pattern.named_children:
        if item.type == "shorthand_property_identifier_pattern":
            _emit_name(state, item, item, api, Cls("empty"))
        elif item.type == "object_assignment_pattern":
            left, right = _field(item, "left"), _field(item, "right")
            cls = Cls("default", default=text(right)) if right is not None else Cls("empty")
            _emit_name(state, item, left, api, cls)
        elif item.type == "pair_pattern":
            key, value = _field(item, "key"), _field(item, "value")
            cls = Cls("empty")
            if value is not None and value.type == "assignment_pattern":
                cls = Cls("default", default=text(_field(value, "right")))
            name = Name("literal", text(key)) if key is not None else Name("dynamic")
            if key is not None and key.type == "string":
                name = _resolve(key, state.consts)
            state.finish(env_read(state.ctx, item, api, cls), name)


def _emit(state: _FileState, read: Node, name_arg: Node | None, api: str, base: Cls) -> None:
    _emit_name(state, read, name_arg, api, _climb(read, base))


def _emit_name(state: _FileState, read: Node, name_arg: Node | None, api: str, cls: Cls) -> None:
    name = _resolve(name_arg, state.consts)
    record = env_read(state.ctx, read, api, cls)
    if name.kind == "param" and name.function is not None:
        function = name.function
        params = _params(function)
        default_param = None
        if record.missing == "default":
            for index, (param, declared) in enumerate(params):
                if param == record.default and index != name.param:
                    default_param = index
                    if declared is None or _nullish(_strip(declared)):
                        record = replace(record, missing="empty", default=None)
                    else:
                        record = replace(record, default=text(declared))
        state.helpers.append(_helper(state, function, record, name.param, default_param))
    else:
        state.finish(record, name)


def _helper(
    state: _FileState, function: Node, record: EnvRead, param: int, default_param: int | None
) -> Helper:
    params = _params(function)
    return Helper(
        name=_helper_name(function),
        kind="wrapper",
        location=location(state.ctx, _function_name(function) or function),
        template=replace(record, via=",".join(p for p, _ in params)),
        name_param=param,
        default_param=default_param,
        is_method=function.type == "method_definition",
    )


def _call_site(state: _FileState, call: Node, helper: Helper) -> None:
    template = helper.template
    assert template is not None
    args = _args(call)
    name_arg = args[helper.name_param] if helper.name_param < len(args) else None
    base = Cls.of(template)
    if helper.default_param is not None and helper.default_param < len(args):
        supplied = _strip(args[helper.default_param])
        if template.missing in ("empty", "default") and not _nullish(supplied):
            base = replace(base, missing="default", default=text(supplied))
    record = call_site_read(state.ctx, call, helper, _climb(call, base))
    name = _resolve(name_arg, state.consts)
    if name.kind == "param" and name.function is not None:
        state.helpers.append(_helper(state, name.function, record, name.param, None))
    else:
        state.finish(record, name)


# --- envalid and zod ----------------------------------------------------------------------


def _is_env_object(node: Node | None) -> bool:
    if node is None:
        return False
    node = _strip(node)
    return node.type == "member_expression" and text(node) in (
        "process.env",
        "import.meta.env",
        "Bun.env",
    )


def _object_of(state: _FileState, node: Node | None, depth: int = 0) -> Node | None:
    """An object literal, directly or through a same-file ``const``."""
    if node is None or depth > 3:
        return None
    node = _strip(node)
    if node.type == "object":
        return node
    if node.type == "identifier":
        return _object_of(state, state.values.get(text(node)), depth + 1)
    return None


def _pairs(obj: Node) -> Iterator[tuple[Node, str, Node]]:
    for pair in obj.named_children:
        key, value = _field(pair, "key"), _field(pair, "value")
        if pair.type != "pair" or key is None or value is None:
            continue
        name = _string_value(key) if key.type == "string" else text(key)
        if name:
            yield pair, name, value


def _cleanenv(state: _FileState, call: Node) -> None:
    args = _args(call)
    if len(args) < 2 or not _is_env_object(args[0]):
        return
    spec = _object_of(state, args[1])
    if spec is None:
        return
    for pair, name, value in _pairs(spec):
        value = _strip(value)
        if value.type != "call_expression":
            continue
        validator = _callee(value).rpartition(".")[2]
        expected = _ENVALID_TYPES.get(validator, "string")
        options = _args(value)
        keys = (
            dict((n, v) for _, n, v in _pairs(options[0]))
            if options and options[0].type == "object"
            else {}
        )
        on_empty: Missing = "empty" if expected == "string" else "crash"
        if "default" in keys:
            cls = Cls("default", on_empty, text(keys["default"]), expected)
        elif "devDefault" in keys:
            cls = Cls("unknown", on_empty, None, expected)
        else:
            cls = Cls("crash", "crash" if on_empty == "crash" else "empty", None, expected, call)
        cls = _try_guard(call, cls)
        state.reads.append(replace(env_read(state.ctx, pair, "envalid", cls), name=name))


def _zod(state: _FileState, call: Node, method: str) -> None:
    args = _args(call)
    if not args or not _is_env_object(args[0]):
        return
    schema = _zod_object(state, _field(_field(call, "function"), "object"), 0)
    if schema is None:
        return
    throws = method in ("parse", "parseAsync")
    for pair, name, value in _pairs(schema):
        cls = _zod_field(value)
        if cls is None:
            continue
        if cls.missing == "crash":
            cls = replace(cls, crash=call) if throws else replace(cls, missing="unknown")
        if cls.on_empty == "crash" and not throws:
            cls = replace(cls, on_empty="unknown")
        cls = _try_guard(call, cls)
        state.reads.append(replace(env_read(state.ctx, pair, "zod", cls), name=name))


def _zod_object(state: _FileState, node: Node | None, depth: int) -> Node | None:
    """The object literal of ``z.object({...})`` at the root of a schema expression."""
    if node is None or depth > 6:
        return None
    node = _strip(node)
    if node.type == "identifier":
        return _zod_object(state, state.values.get(text(node)), depth + 1)
    if node.type != "call_expression":
        return None
    func = _field(node, "function")
    if func is None or func.type != "member_expression":
        return None
    if text(_field(func, "property")) == "object" and text(_field(func, "object")) == "z":
        args = _args(node)
        return args[0] if args and args[0].type == "object" else None
    return _zod_object(state, _field(func, "object"), depth + 1)


def _zod_field(value: Node) -> Cls | None:
    """The class of one zod field schema (``z.coerce.number().int().default(8080)``)."""
    methods: list[tuple[str, Node]] = []
    node: Node | None = _strip(value)
    while node is not None and node.type == "call_expression":
        func = _field(node, "function")
        if func is None or func.type != "member_expression":
            return None
        methods.append((text(_field(func, "property")), node))
        node = _field(func, "object")
        while node is not None and node.type == "member_expression":  # z.coerce.number
            methods.append((text(_field(node, "property")), node))
            node = _field(node, "object")
    if node is None or text(node) != "z":
        return None
    names = [m for m, _ in methods]
    expected: ValueType = "string"
    if "number" in names or "bigint" in names:
        expected = "int" if "int" in names else "float"
    elif "boolean" in names or "stringbool" in names:
        expected = "bool"
    elif "url" in names:
        expected = "url"
    coerced = "coerce" in names
    if expected == "string":
        on_empty: Missing = "crash" if {"min", "nonempty", "url", "enum"} & set(names) else "empty"
    else:
        on_empty = "empty" if coerced and expected != "url" else "crash"
    for method, node_ in methods:  # outermost first
        if method in ("default", "catch"):
            args = _args(node_)
            return Cls("default", on_empty, text(args[0]) if args else None, expected)
        if method in ("optional", "nullish"):
            return Cls("empty", on_empty, None, expected)
    return Cls("crash", on_empty, None, expected)


ADAPTER = _JavaScript()
