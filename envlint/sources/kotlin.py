"""Kotlin adapter: ``System.getenv`` reads, helpers and Spring ``@Value`` placeholders
(research/source-patterns.md A.5, tree-sitter-kotlin 1.1.0).

A read is followed along its expression with two scenarios, *missing* (the value is ``null``)
and *empty* (the value is ``""``); each ends ``null``/``blank`` (still flowing), or decided
(a crash or a default was met).  Forms and their classes (``missing`` / ``on_empty``):

* ``System.getenv("X")`` (also ``java.lang.System``, or bare ``getenv`` with ``import
  java.lang.System.getenv``), ``System.getenv()["X"]`` / ``.get("X")``: empty / empty;
  ``System.getenv().getValue("X")``: crash (NoSuchElementException) / empty;
  ``.getOrDefault("X", d)`` / ``.getOrElse("X") { d }``: default / empty.
* ``read ?: d``: default; ``read ?: throw ...`` / ``?: error(...)`` / ``?: exitProcess(1)`` /
  ``?: run { ...; exitProcess(1) }``: crash; ``read!!``, ``requireNotNull(read)``,
  ``checkNotNull(read)``, ``Objects.requireNonNull(read)``, ``read as String``: crash (NPE).
  ``?: return`` leaves the value out silently (empty).  A read on the right of ``?:`` is only
  reached when the left is null, so nothing after it is layered on it.
* A platform-typed value (``String!``) used with ``.`` crashes when null: ``read.trim()``,
  ``read.length``; ``read.toInt()`` / ``toLong()``: int, crash / crash (NPE, then
  NumberFormatException on ""); ``toDouble()`` / ``toFloat()`` / ``toBigDecimal()``: float;
  ``toBoolean()``: bool, never throws; ``toBooleanStrict()``: bool, crash / crash.  ``?.`` lets
  the null through: ``read?.toInt() ?: 5`` default / crash; ``read?.toIntOrNull() ?: 5`` default /
  default (``""`` becomes null).  ``orEmpty()`` turns null into ``""``; ``ifEmpty { d }`` /
  ``ifBlank { d }`` default an empty value; ``takeIf { it.isNotBlank() }`` makes ``""`` null.
* A platform value stored in, or returned as, a non-null declared type (``val x: String =
  read``, ``fun host(): String = read``) crashes when null (the compiler's null assertion).
* ``Integer.parseInt(read)`` and the other Java parsers, ``Duration.parse``, ``URI(read)``...: as
  in the Java adapter.
* Checks: ``if (v == null) throw / error() / exitProcess()`` (also ``isNullOrEmpty()``,
  ``isNullOrBlank()``, ``||``/``&&``/``!``, ``v == ""``), ``require(v != null)`` /
  ``check(!v.isNullOrBlank())``, ``requireNotNull(v)``, ``when (v) { null -> error(...) }``, and
  the first unconditional use of the variable in a later statement (``val p = v?.toInt() ?: 80``;
  ``v!!``).  ``if (v == null) v = d`` defaults.  A crash inside ``try`` whose ``catch`` does not
  exit is ``unknown``; inside ``runCatching { }`` it becomes the ``getOrDefault(d)`` /
  ``getOrElse { d }`` default, ``getOrNull()`` empty, ``getOrThrow()`` stays a crash, else unknown.
* Spring ``@Value("\\${key:default}")`` (``\\$`` is Kotlin's escape) on properties and
  constructor parameters: as in the Java adapter, with the declared Kotlin type.

Names: string literals, ``const val`` / ``val`` properties outside functions (top level,
``object``, ``companion object``; this file, then the package directory), ``"${PREFIX}_HOST"``
templates and ``+`` concatenations (patterns when a part is unknown).  Helpers: a function whose
parameter flows into a read is a wrapper (top level: ``name``; member: ``Owner.name``), resolved
per directory; member calls count without receiver inside the owner, on ``this``, on the owner
(``object``/companion), on ``Owner()`` or on a variable/parameter declared with that type.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

from envlint.sources._common import (
    Cls,
    FileState,
    Name,
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
from envlint.sources.adapter import up_parens as _up
from envlint.sources.java import placeholders as _placeholders
from envlint.sources.java import spring_env_name

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from tree_sitter import Node

    from envlint.sources.model import EnvRead, Missing, ValueType

__all__ = ["ADAPTER"]

_ANCHORS = """
((call_expression . (navigation_expression . (_) @c . (identifier) @m .) . (value_arguments))
  @getenv (#eq? @m "getenv") (#any-of? @c "System" "java.lang.System"))
((call_expression . (navigation_expression . (unary_expression (identifier) @c) . (identifier) @m .)
  . (value_arguments)) @getenv (#eq? @m "getenv") (#any-of? @c "System"))
((call_expression . (identifier) @m . (value_arguments)) @bare (#eq? @m "getenv"))
((annotation (constructor_invocation (user_type) @n)) @value
 (#any-of? @n "Value" "org.springframework.beans.factory.annotation.Value"))
"""

State = Literal["null", "blank", "done"]

# receiver method -> (type, crashes on "", "" becomes null)
_CONVERT: Mapping[str, tuple[ValueType, bool, bool]] = MappingProxyType(
    {
        **{m: ("int", True, False) for m in ("toInt", "toLong", "toShort", "toByte")},
        **{m: ("int", True, False) for m in ("toUInt", "toULong", "toBigInteger")},
        **{m: ("float", True, False) for m in ("toDouble", "toFloat", "toBigDecimal")},
        **{f"{m}OrNull": ("int", False, True) for m in ("toInt", "toLong", "toShort")},
        **{f"{m}OrNull": ("int", False, True) for m in ("toByte", "toBigInteger")},
        **{f"{m}OrNull": ("float", False, True) for m in ("toDouble", "toFloat", "toBigDecimal")},
        "toBooleanStrict": ("bool", True, False),
        "toBooleanStrictOrNull": ("bool", False, True),
    }
)
_KEEPS = frozenset(
    {"trim", "trimEnd", "trimStart", "lowercase", "uppercase", "toLowerCase", "toUpperCase"}
    | {"removePrefix", "removeSuffix", "removeSurrounding", "replace", "strip"}
)
_NULL_SAFE = frozenset({"let", "run", "also", "apply", "takeIf", "takeUnless"})
_TESTS = frozenset(
    {"isNullOrEmpty", "isNullOrBlank", "isEmpty", "isBlank", "isNotEmpty", "isNotBlank"}
)
# call(read, ...) -> (type, crashes on null, crashes on "")
_PARSE: Mapping[str, tuple[ValueType, bool, bool]] = MappingProxyType(
    {
        **{
            f: ("int", True, True)
            for f in (
                "Integer.parseInt",
                "Integer.valueOf",
                "Long.parseLong",
                "Long.valueOf",
                "Short.parseShort",
                "Integer.decode",
            )
        },
        **{
            f: ("float", True, True)
            for f in ("Double.parseDouble", "Double.valueOf", "Float.parseFloat", "BigDecimal")
        },
        "Duration.parse": ("duration", True, True),
        "Boolean.parseBoolean": ("bool", False, False),
        "Boolean.valueOf": ("bool", False, False),
        "URI.create": ("url", True, False),
        "URI": ("url", True, False),
        "URL": ("url", True, True),
        "requireNotNull": ("string", True, False),
        "checkNotNull": ("string", True, False),
        "Objects.requireNonNull": ("string", True, False),
    }
)
_EXITS = frozenset(
    {
        "error",
        "TODO",
        "exitProcess",
        "kotlin.system.exitProcess",
        "System.exit",
        "Runtime.getRuntime().exit",
        "Runtime.getRuntime().halt",
    }
)
_JUMPS = frozenset({"return_expression", "jump_expression"})
_FUNCTIONS = frozenset({"function_declaration", "lambda_literal", "anonymous_function"})
_CLASSES = frozenset({"class_declaration", "object_declaration"})
_TYPES: Mapping[str, ValueType] = MappingProxyType(
    {
        "Int": "int",
        "Long": "int",
        "Short": "int",
        "Byte": "int",
        "UInt": "int",
        "ULong": "int",
        "BigInteger": "int",
        "Double": "float",
        "Float": "float",
        "BigDecimal": "float",
        "Boolean": "bool",
        "Duration": "duration",
        "URI": "url",
        "URL": "url",
    }
)
_BOOL_WORDS = frozenset({"true", "false", "1", "yes"})


@dataclass(frozen=True, slots=True)
class _Flow:
    """A read's class plus where each scenario stands: the value is still ``null`` (missing) /
    ``blank`` (empty) and flowing on, or ``done`` (decided, or no longer the env value)."""

    cls: Cls
    miss: State = "null"
    empty: State = "blank"

    def hits(self, on_null: bool, on_blank: bool) -> tuple[bool, bool]:
        """Whether an operation acting on a null / a blank value acts in each scenario."""

        def hit(state: State) -> bool:
            return (on_null and state == "null") or (on_blank and state == "blank")

        return hit(self.miss), hit(self.empty)

    def decide(self, miss: bool, empty: bool, how: Missing, at: Node) -> _Flow:
        """End the chosen scenarios (``miss``/``empty``) in a crash at ``at`` or a default
        ``at``; a scenario already done stays as it is."""
        miss = miss and self.miss != "done"
        empty = empty and self.empty != "done"
        if not miss and not empty:
            return self
        cls = replace(
            self.cls,
            missing=how if miss else self.cls.missing,
            on_empty=how if empty else self.cls.on_empty,
        )
        if how == "crash":
            cls = replace(cls, crash=self.cls.crash or at)
        elif how == "default" and miss:
            cls = replace(cls, default=text(at))
        return _Flow(cls, "done" if miss else self.miss, "done" if empty else self.empty)

    def crash(self, at: Node, on_null: bool, on_blank: bool) -> _Flow:
        return self.decide(*self.hits(on_null, on_blank), "crash", at)

    def default(self, value: Node, on_null: bool, on_blank: bool) -> _Flow:
        return self.decide(*self.hits(on_null, on_blank), "default", value)

    def settle(self, on_null: bool, on_blank: bool) -> _Flow:
        """The value stops being the env value (``?: return``, ``toBoolean()``) silently."""
        miss, empty = self.hits(on_null, on_blank)
        return _Flow(self.cls, "done" if miss else self.miss, "done" if empty else self.empty)

    def morph(self, old: State, new: State) -> _Flow:
        return _Flow(
            self.cls,
            new if self.miss == old else self.miss,
            new if self.empty == old else self.empty,
        )

    def typed(self, kind: ValueType) -> _Flow:
        return self if kind == "string" else replace(self, cls=replace(self.cls, type=kind))

    @property
    def nullable(self) -> bool:
        return "null" in (self.miss, self.empty)


# --- small tree helpers -------------------------------------------------------------------


def _named(node: Node) -> list[Node]:
    return [c for c in node.named_children if "comment" not in c.type]


def _first(node: Node | None) -> Node | None:
    if node is None:
        return None
    kids = _named(node)
    return kids[0] if kids else None


def _strip(node: Node) -> Node:
    while node.type == "parenthesized_expression" and _first(node) is not None:
        node = _first(node) or node
    return node


def _is_null(node: Node | None) -> bool:
    return node is not None and node.type == "identifier" and text(_strip(node)) == "null"


def _token(node: Node, *tokens: str) -> str | None:
    for child in node.children:
        if not child.is_named and child.type in tokens:
            return child.type
    return None


def _args(call: Node) -> list[Node]:
    """The argument expressions of ``f(a, b)`` (named arguments give their value)."""
    args = next((c for c in call.named_children if c.type == "value_arguments"), None)
    if args is None:
        return []
    out = []
    for arg in args.named_children:
        if arg.type == "value_argument" and arg.named_child_count:
            out.append(_named(arg)[-1])
    return out


def _has_named_args(call: Node) -> bool:
    args = next((c for c in call.named_children if c.type == "value_arguments"), None)
    return args is not None and any(
        _token(a, "=") is not None for a in args.named_children if a.type == "value_argument"
    )


def _lambda(call: Node) -> Node | None:
    """The trailing lambda of ``f(...) { }`` / ``f { }``."""
    ann = next((c for c in call.named_children if c.type == "annotated_lambda"), None)
    return _first(ann) if ann is not None else None


def _callee(call: Node) -> str:
    head = _first(call)
    if head is None:
        return ""
    if head.type == "call_expression":  # f(x) { ... }: the inner call names the function
        return _callee(head)
    return "".join(text(head).split()).removeprefix("java.lang.").removeprefix("java.time.")


def _nav_parts(nav: Node) -> tuple[Node | None, str, bool]:
    """``receiver``, member name and whether the access is ``?.``."""
    kids = _named(nav)
    if len(kids) < 2:
        return None, "", False
    return kids[0], text(kids[-1]), _token(nav, "?.") is not None


def _statements(body: Node | None) -> list[Node]:
    if body is None:
        return []
    if body.type in ("block", "lambda_literal", "statements"):
        return _named(body)
    return [body]


def _crash_in(body: Node | None) -> Node | None:
    for stmt in _statements(body):
        if stmt.type == "throw_expression":
            return stmt
        if stmt.type == "call_expression":
            callee = _callee(stmt)
            if callee in _EXITS:
                return stmt
            if callee == "run":
                inner = _crash_in(_lambda(stmt))
                if inner is not None:
                    return inner
    return None


def _if_parts(node: Node) -> tuple[Node | None, Node | None]:
    """(consequence, alternative) of an ``if_expression``."""
    cond = _field(node, "condition")
    then: Node | None = None
    other: Node | None = None
    seen_else = False
    for child in node.children:
        if not child.is_named:
            seen_else = seen_else or child.type == "else"
            continue
        if _is(child, cond) or "comment" in child.type:
            continue
        if seen_else:
            other = other or child
        else:
            then = then or child
    return then, other


def _assigned_in(body: Node | None, var: str) -> Node | None:
    for stmt in _statements(body):
        if stmt.type == "assignment" and text(_field(stmt, "left")).removeprefix("this.") == var:
            return _field(stmt, "right")
    return None


# --- strings and names --------------------------------------------------------------------

Piece = tuple[str, str]  # ("lit", text) | ("ref", identifier) | ("expr", "")


def _identifier_prefix(s: str) -> int:
    end = 0
    while (
        end < len(s) and (s[end].isalnum() or s[end] == "_") and not (end == 0 and s[0].isdigit())
    ):
        end += 1
    return end


_ESCAPES = MappingProxyType({"t": "\t", "b": "\b", "n": "\n", "r": "\r"})


def _unescape(raw: str) -> str:
    """A Kotlin escape sequence (``\\$``, ``\\n``, ``\\uXXXX``...) as its character."""
    body = raw[1:]
    if body.startswith("u") and len(body) == 5:
        try:
            return chr(int(body[1:], 16))
        except ValueError:
            return raw
    return _ESCAPES.get(body, body)


def _pieces(node: Node) -> list[Piece] | None:
    """A string literal as literal text and template references, or None if not a string."""
    if node.type not in ("string_literal", "multiline_string_literal"):
        return None
    out: list[Piece] = []
    kids = [c for c in node.children if c.is_named]
    i = 0
    while i < len(kids):
        child = kids[i]
        raw = text(child)
        if child.type == "string_content" and raw == "$" and i + 1 < len(kids):
            nxt = kids[i + 1]  # "$name": the grammar leaves it as two contents
            following = text(nxt) if nxt.type == "string_content" else ""
            cut = _identifier_prefix(following)
            if cut:
                out.append(("ref", following[:cut]))
                out.append(("lit", following[cut:]))
                i += 2
                continue
            out.append(("lit", raw))
        elif child.type == "string_content":
            if raw == "\\u" and i + 1 < len(kids) and kids[i + 1].type == "string_content":
                hexa = text(kids[i + 1])[:4]
                try:
                    out.append(("lit", chr(int(hexa, 16)) + text(kids[i + 1])[4:]))
                except ValueError:
                    out.append(("lit", raw + text(kids[i + 1])))
                i += 2
                continue
            out.append(("lit", raw))
        elif child.type == "escape_sequence":
            out.append(("lit", _unescape(raw)))
        elif child.type == "interpolation":
            inner = _first(child)
            if inner is not None and inner.type == "identifier":
                out.append(("ref", text(inner)))
            else:
                out.append(("expr", ""))
        else:
            out.append(("expr", ""))
        i += 1
    return out


def _string_value(node: Node | None) -> str | None:
    if node is None:
        return None
    pieces = _pieces(_strip(node))
    if pieces is None or any(kind != "lit" for kind, _ in pieces):
        return None
    return "".join(value for _, value in pieces)


def _flatten_plus(node: Node) -> list[Node]:
    node = _strip(node)
    if node.type == "binary_expression" and text(_field(node, "operator")) == "+":
        left, right = _field(node, "left"), _field(node, "right")
        if left is not None and right is not None:
            return _flatten_plus(left) + _flatten_plus(right)
    return [node]


def _ref_name(node: Node) -> str | None:
    """``NAME`` / ``Keys.NAME`` / ``Outer.Companion.NAME``: the constant's name."""
    if node.type == "identifier":
        return text(node)
    if node.type == "navigation_expression":
        receiver, member, safe = _nav_parts(node)
        if receiver is not None and not safe and member[:1].isupper():
            return member
    return None


def _name_parts(node: Node, consts: Mapping[str, str]) -> Name:
    parts: list[str | None] = []
    unknown: list[str] = []
    for piece in _flatten_plus(node):
        pieces = _pieces(piece)
        if pieces is None:
            ref = _ref_name(piece)
            pieces = [("ref", ref)] if ref is not None else [("expr", "")]
        for kind, value in pieces:
            if kind == "lit":
                parts.append(value)
            elif kind == "ref" and value in consts:
                parts.append(consts[value])
            else:
                parts.append(None)
                unknown.append(value)
    return name_from_parts(parts, unknown)


def _resolve(arg: Node | None, consts: Mapping[str, str]) -> Name:
    if arg is None:
        return Name("dynamic")
    arg = _strip(arg)
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
    if arg.type == "navigation_expression":
        ref = _ref_name(arg)
        if ref is None:
            return Name("dynamic")
        return Name("literal", consts[ref]) if ref in consts else Name("const", ref)
    if arg.type in ("string_literal", "multiline_string_literal", "binary_expression"):
        return _name_parts(arg, consts)
    return Name("dynamic")


def _constants(root: Node) -> dict[str, str]:
    """``val``/``const val`` string properties outside functions (top level, objects, classes);
    templates and ``+`` of other such constants resolve too."""
    query = compile_query("kotlin", "(property_declaration (variable_declaration) @var) @prop")
    found: list[tuple[str, Node]] = []
    for _, caps in matches(query, root):
        prop = caps["prop"][0]
        if _token(prop, "val") is None or any(a.type == "function_body" for a in ancestors(prop)):
            continue
        names = [c for c in caps["var"][0].named_children if c.type == "identifier"]
        value = _initializer(prop)
        if names and value is not None:
            found.append((text(names[0]), value))
    out: dict[str, str] = {}
    for _ in range(3):  # constants built from constants
        for name, value in found:
            if name in out:
                continue
            resolved = _name_parts(value, out)
            if resolved.kind == "literal":
                out[name] = resolved.value
    return out


def _initializer(prop: Node) -> Node | None:
    seen_eq = False
    for child in prop.children:
        if not child.is_named:
            seen_eq = seen_eq or child.type == "="
        elif seen_eq and "comment" not in child.type:
            return child
    return None


# --- functions, classes and types ---------------------------------------------------------


def _function_of(node: Node) -> Node | None:
    for parent in ancestors(node):
        if parent.type in ("lambda_literal", "anonymous_function"):
            return None
        if parent.type == "function_declaration":
            return parent
    return None


def _param_nodes(function: Node) -> list[Node]:
    params = next(
        (c for c in function.named_children if c.type == "function_value_parameters"), None
    )
    return [] if params is None else [p for p in params.named_children if p.type == "parameter"]


def _params(function: Node) -> list[str]:
    return [text(_first(p)) for p in _param_nodes(function)]


def _param_default(function: Node, index: int) -> Node | None:
    params = _param_nodes(function)
    if index >= len(params):
        return None
    sibling = params[index].next_sibling
    if sibling is None or sibling.type != "=":
        return None
    return sibling.next_named_sibling


def _return_type(function: Node) -> Node | None:
    seen_params = False
    for child in function.named_children:
        if child.type == "function_value_parameters":
            seen_params = True
        elif child.type == "function_body":
            return None
        elif seen_params and child.type in ("user_type", "nullable_type"):
            return child
    return None


def _non_null(type_node: Node | None) -> bool:
    return type_node is not None and type_node.type == "user_type" and text(type_node) != "Unit"


def _owner(node: Node) -> str:
    """The class or object declaring ``node`` (a companion object counts as its class)."""
    for parent in ancestors(node):
        if parent.type in _CLASSES:
            return text(_field(parent, "name"))
    return ""


def _declared_type(holder: Node) -> Node | None:
    """The type of a ``property_declaration`` / ``class_parameter`` / ``parameter``."""
    where = holder
    if holder.type == "property_declaration":
        var = next((c for c in holder.named_children if c.type == "variable_declaration"), None)
        if var is None:
            return None
        where = var
    return next((c for c in where.named_children if c.type in ("user_type", "nullable_type")), None)


def _type_kind(type_node: Node | None) -> ValueType:
    if type_node is None:
        return "string"
    inner = _first(type_node) if type_node.type == "nullable_type" else type_node
    return _TYPES.get(text(inner).rpartition(".")[2], "string")


# --- classification -----------------------------------------------------------------------


def _elvis_right(flow: _Flow, right: Node) -> _Flow:
    right = _strip(right)
    crash = _crash_in(right)
    if crash is not None:
        return flow.crash(crash, True, False)
    if right.type in _JUMPS:
        return flow.settle(True, False)
    if _is_null(right):
        return flow
    return flow.default(right, True, False)


def _method(flow: _Flow, call: Node, name: str, safe: bool) -> tuple[_Flow, bool]:
    """``value.name(...)`` / ``value?.name(...)``; returns the new flow and whether the value
    flows on (the climb continues)."""
    if not safe and name not in _NULL_SAFE | {"orEmpty", "toString", "equals", "toBoolean"}:
        flow = flow.crash(call, True, False)  # null.name(): NullPointerException
    if name in _CONVERT:
        kind, blank_crashes, blank_nulls = _CONVERT[name]
        flow = flow.typed(kind)
        if blank_crashes:
            flow = flow.crash(call, False, True)
        if blank_nulls:
            flow = flow.morph("blank", "null")
        return flow, True
    if name == "toBoolean":
        flow = flow.typed("bool").settle(not safe, True)
        return flow, True
    if name in _KEEPS:
        return flow, True
    if name == "orEmpty":
        return flow.morph("null", "blank"), True
    if name in ("ifEmpty", "ifBlank"):
        body = _lambda(call)
        return (flow.default(body, False, True) if body is not None else flow), True
    if name in ("takeIf", "takeUnless"):
        test = text(_lambda(call))
        keeps = ("isNotEmpty", "isNotBlank") if name == "takeIf" else ("isEmpty", "isBlank")
        if any(word in test for word in keeps):
            flow = flow.morph("blank", "null")
        return flow, True
    if name in ("let", "run", "also", "apply"):
        return flow, True
    if name in ("equals", "equalsIgnoreCase"):
        word = _string_value(_args(call)[0]) if _args(call) else None
        if word is not None and word.lower() in _BOOL_WORDS:
            flow = flow.typed("bool")
    return flow, False


def _climb(node: Node, flow: _Flow) -> tuple[_Flow, Node, set[int]]:
    """Layer the expression around ``node``; returns the flow, the outermost node that still
    carries the value and the ids of the chain (for condition tests)."""
    cur = _up(node)
    chain = {node.id, cur.id}
    while flow.miss != "done" or flow.empty != "done":
        parent = cur.parent
        if parent is None:
            break
        nxt: Node | None = None
        if parent.type == "binary_expression":
            op = text(_field(parent, "operator"))
            if op == "?:" and _is(_field(parent, "left"), cur):
                right = _field(parent, "right")
                flow = _elvis_right(flow, right) if right is not None else flow
                nxt = parent
            elif op in ("==", "!=", "===", "!=="):
                other = _field(parent, "right" if _is(_field(parent, "left"), cur) else "left")
                word = _string_value(other)
                if word is not None and word.lower() in _BOOL_WORDS:
                    flow = flow.typed("bool")
        elif parent.type == "unary_expression" and text(_field(parent, "operator")) == "!!":
            flow = flow.crash(parent, True, False)
            nxt = parent
        elif parent.type == "as_expression" and _is(_field(parent, "left"), cur):
            if _non_null(_field(parent, "right")):
                flow = flow.crash(parent, True, False)
            nxt = parent
        elif parent.type == "navigation_expression" and _is(_first(parent), cur):
            _, member, safe = _nav_parts(parent)
            call = parent.parent
            if call is not None and call.type == "call_expression" and _is(_first(call), parent):
                if member in _TESTS:
                    if not safe and member.startswith("is") and "Null" not in member:
                        flow = flow.crash(call, True, False)
                    break
                flow, flows = _method(flow, call, member, safe)
                if (
                    call.parent is not None
                    and call.parent.type == "call_expression"
                    and _is(_first(call.parent), call)
                ):  # f(...) { }: the outer node is the same call
                    call = call.parent
                nxt = call if flows else None
                if not flows:
                    chain.add(call.id)
                    cur = call
            elif not safe:
                flow = flow.crash(parent, True, False)  # value.length
        elif parent.type == "value_argument" and parent.parent is not None:
            call = parent.parent.parent
            if call is not None and call.type == "call_expression":
                nxt = _argument_of(call, cur, parent)
                if nxt is not None:
                    flow = _call_on(flow, call, nxt)
        if nxt is None:
            break
        cur = _up(nxt)
        chain.update((nxt.id, cur.id))
    return flow, cur, chain


def _argument_of(call: Node, cur: Node, arg: Node) -> Node | None:
    args = _args(call)
    if not args or not _is(args[0], cur) or _token(arg, "=") is not None:
        return None
    callee = _callee(call)
    if callee in _PARSE or callee in ("Objects.requireNonNullElse", "Objects.toString"):
        outer = call.parent
        if outer is not None and outer.type == "call_expression" and _is(_first(outer), call):
            return outer  # requireNotNull(v) { "message" }
        return call
    return None


def _call_on(flow: _Flow, call: Node, result: Node) -> _Flow:
    head = _first(call)
    callee = _callee(call)
    args = _args(head if head is not None and head.type == "call_expression" else call)
    if callee in ("Objects.requireNonNullElse", "Objects.toString"):
        return flow.default(args[1], True, False) if len(args) > 1 else flow
    kind, on_null, on_blank = _PARSE[callee]
    return flow.typed(kind).crash(result, on_null, on_blank)


# --- conditions ---------------------------------------------------------------------------


def _truth(cond: Node, is_target: Callable[[Node], bool], missing: bool) -> bool | None:
    """The condition's value when the variable is missing (null) or empty (""); None if not
    known."""
    cond = _strip(cond)
    if cond.type == "unary_expression" and text(_field(cond, "operator")) == "!":
        arg = _field(cond, "argument")
        inner = _truth(arg, is_target, missing) if arg is not None else None
        return None if inner is None else not inner
    if cond.type == "call_expression":
        nav = _first(cond)
        if nav is None or nav.type != "navigation_expression":
            return None
        receiver, member, safe = _nav_parts(nav)
        if receiver is None or member not in _TESTS:
            return None
        receiver = _strip(receiver)
        negated = _leading_not(receiver)
        if receiver.type == "unary_expression" and negated:
            receiver = _strip(_field(receiver, "argument") or receiver)
        if not is_target(receiver):
            return None
        value = _test_call(member, safe, missing)
        if value is None:
            return None
        return not value if negated else value
    if cond.type != "binary_expression":
        return None
    op = text(_field(cond, "operator"))
    left, right = _field(cond, "left"), _field(cond, "right")
    if left is None or right is None:
        return None
    if op in ("||", "&&"):
        first = _truth(left, is_target, missing)
        if first is (op == "||"):
            return first
        second = _truth(right, is_target, missing)
        if first is None:
            return second if second is (op == "||") else None
        return second
    if op not in ("==", "!=", "===", "!=="):
        return None
    subject, other = (left, right) if is_target(_strip(left)) else (right, left)
    if not is_target(_strip(subject)):
        return None
    if _is_null(other):
        equal = missing
    elif _string_value(other) == "":
        equal = not missing
    else:
        return None
    return equal if op in ("==", "===") else not equal


def _leading_not(node: Node) -> bool:
    """The grammar reads ``!v.isEmpty()`` as ``(!v).isEmpty()`` and ``!System.getenv(..)`` as
    ``(!System).getenv(..)``; Kotlin means ``!(...)``.  Whether ``node`` starts with that ``!``."""
    while node.type in ("call_expression", "navigation_expression") and _first(node) is not None:
        node = _first(node) or node
    return node.type == "unary_expression" and text(_field(node, "operator")) == "!"


def _test_call(member: str, safe: bool, missing: bool) -> bool | None:
    """``v.member()`` when ``v`` is null (``missing``) or ""."""
    if member in ("isNullOrEmpty", "isNullOrBlank"):
        return True
    if missing:
        return None  # null.isEmpty(): NPE, or null?.isEmpty() is not a Boolean
    return member in ("isEmpty", "isBlank") and not safe


Truth = tuple[bool | None, bool | None]


def _fires(cond: Node, is_target: Callable[[Node], bool]) -> Truth | None:
    """The condition's value in the (missing, empty) scenarios; None if it does not test."""
    on_missing = _truth(cond, is_target, True)
    on_empty = _truth(cond, is_target, False)
    if on_missing is None and on_empty is None:
        return None
    return on_missing, on_empty


def _apply_if(flow: _Flow, if_node: Node, truth: Truth, var: str | None) -> _Flow:
    fires = (truth[0] is True, truth[1] is True)
    then, other = _if_parts(if_node)
    crash = _crash_in(then)
    if crash is not None:
        return _at(flow, fires, "crash", crash)
    if var is not None:
        assigned = _assigned_in(then, var)
        if assigned is not None:
            return _at(flow, fires, "default", assigned)
    # if (v != null) { ... } else { crash }
    crash = _crash_in(other)
    if crash is not None:
        negated = (truth[0] is False, truth[1] is False)
        return _at(flow, negated, "crash", crash)
    return flow


def _at(flow: _Flow, fires: tuple[bool, bool], how: Missing, at: Node) -> _Flow:
    """A test that fires on (missing, empty) leads to a crash / default at ``at``."""
    return flow.decide(fires[0], fires[1], how, at)


def _guard_of(cur: Node) -> tuple[Node, Node] | None:
    """The ``if`` whose condition, or the ``require``/``check`` whose argument, holds ``cur``
    (through tests, ``!``, ``||``/``&&`` and parentheses): (test node, holder)."""
    node = cur
    while node.parent is not None:
        parent = node.parent
        if parent.type in ("binary_expression", "parenthesized_expression") or (
            parent.type == "unary_expression" and text(_field(parent, "operator")) == "!"
        ):
            node = parent
        elif parent.type == "navigation_expression" and _is(_first(parent), node):
            call = parent.parent
            if (
                call is None
                or call.type != "call_expression"
                or _nav_parts(parent)[1] not in _TESTS
            ):
                return None
            node = call
        else:
            break
    holder = node.parent
    if holder is None:
        return None
    if holder.type == "if_expression" and _is(_field(holder, "condition"), node):
        return node, holder
    if holder.type == "value_argument" and holder.parent is not None:
        call = holder.parent.parent
        if (
            call is not None
            and call.type == "call_expression"
            and _callee(call)
            in (
                "require",
                "check",
            )
        ):
            return node, call
    return None


def _guarded(flow: _Flow, cur: Node, is_target: Callable[[Node], bool], var: str | None) -> _Flow:
    found = _guard_of(cur)
    if found is None:
        return flow
    test, holder = found
    fires = _fires(test, is_target)
    if fires is None:
        return flow
    if holder.type == "if_expression":
        return _apply_if(flow, holder, fires, var)
    # require(cond) / check(cond) throw when the condition is false
    return _at(flow, (fires[0] is False, fires[1] is False), "crash", holder)


def _when(flow: _Flow, when: Node) -> _Flow:
    for entry in (c for c in when.named_children if c.type == "when_entry"):
        conds = entry.children_by_field_name("condition")
        body = [c for c in _named(entry) if not any(_is(c, k) for k in conds)]
        on_null = any(_is_null(c) for c in conds)
        on_blank = any(_string_value(c) == "" for c in conds)
        if not (on_null or on_blank) or not body:
            continue
        crash = _crash_in(body[0])
        fires = (on_null, on_blank)
        if crash is not None:
            flow = _at(flow, fires, "crash", crash)
        elif body[0].type not in ("block", *_JUMPS):
            flow = _at(flow, fires, "default", body[0])
    return flow


def _context(flow: _Flow, node: Node, depth: int = 0) -> _Flow:
    """Climb from ``node`` and layer its surroundings: checks, declarations, returns."""
    flow, cur, chain = _climb(node, flow)
    flow = _guarded(flow, cur, lambda n: n.id in chain, None)
    holder = cur.parent
    if holder is None:
        return flow
    if holder.type == "when_subject":
        return _when(flow, holder.parent) if holder.parent is not None else flow
    if holder.type == "property_declaration" and _is(_initializer(holder), cur):
        if _non_null(_declared_type(holder)):
            flow = flow.crash(holder, True, False)  # platform null into a non-null type
        var = next((c for c in holder.named_children if c.type == "variable_declaration"), None)
        if var is not None and holder.parent is not None and holder.parent.type == "when_subject":
            return _when(flow, holder.parent.parent) if holder.parent.parent is not None else flow
        name = text(_first(var)) if var is not None else ""
        if name and depth < 3:
            flow = _follow(flow, holder, name, depth)
    elif holder.type == "assignment" and _is(_field(holder, "right"), cur):
        name = text(_field(holder, "left")).removeprefix("this.")
        if depth < 3:
            flow = _follow(flow, holder, name, depth)
    elif holder.type == "function_body" and holder.parent is not None:
        if _non_null(_return_type(holder.parent)):
            flow = flow.crash(cur, True, False)
    elif holder.type == "return_expression":
        function = _function_of(holder)
        if function is not None and _non_null(_return_type(function)):
            flow = flow.crash(holder, True, False)
    return flow


_BRANCHING = frozenset(
    {"if_expression", "when_expression", "lambda_literal", "try_expression", "anonymous_function"}
)


def _first_use(stmt: Node, var: str) -> Node | None:
    """The first use of ``var`` in ``stmt`` that runs whenever ``stmt`` runs."""
    query = compile_query("kotlin", "(identifier) @id")
    for _, caps in matches(query, stmt):
        ident = caps["id"][0]
        if text(ident) != var:
            continue
        parent = ident.parent
        if (
            parent is not None
            and parent.type == "navigation_expression"
            and not _is(_first(parent), ident)
        ):
            continue  # other.var
        if (
            parent is not None
            and parent.type in ("variable_declaration", "value_argument")
            and (_token(parent, "=") is not None or parent.type == "variable_declaration")
            and _is(_first(parent), ident)
        ):
            continue
        child = ident
        for anc in ancestors(ident):
            if anc.type in _BRANCHING and not _is(_field(anc, "condition"), child):
                return None
            if (
                anc.type == "binary_expression"
                and _is(_field(anc, "right"), child)
                and text(_field(anc, "operator")) in ("?:", "&&", "||")
            ):
                return None
            if anc.id == stmt.id:
                return ident
            child = anc
        return ident
    return None


def _follow(flow: _Flow, decl: Node, var: str, depth: int) -> _Flow:
    """The statements after ``decl``: the first one that uses ``var`` decides."""
    sibling = decl.next_named_sibling
    seen = 0
    while sibling is not None and seen < 12 and (flow.miss != "done" or flow.empty != "done"):
        seen += 1
        if "comment" in sibling.type:
            sibling = sibling.next_named_sibling
            continue
        if (
            sibling.type == "assignment"
            and text(_field(sibling, "left")).removeprefix("this.") == var
        ):
            return flow
        use = _first_use(sibling, var)
        if use is not None:
            return _use(flow, use, var, depth)
        if sibling.type == "if_expression":  # if (x == null) ... with x only in the condition
            cond = _field(sibling, "condition")
            fires = _fires(cond, lambda n: text(n) == var) if cond is not None else None
            if fires is not None:
                return _apply_if(flow, sibling, fires, var)
        sibling = sibling.next_named_sibling
    return flow


def _use(flow: _Flow, use: Node, var: str, depth: int) -> _Flow:
    before = flow
    flow, cur, chain = _climb(use, flow)
    guarded = _guarded(flow, cur, lambda n: n.id in chain or text(n) == var, var)
    if guarded != flow or flow != before:
        flow = guarded
        holder = cur.parent
        if (
            holder is not None
            and holder.type == "property_declaration"
            and _is(_initializer(holder), cur)
        ):
            return _context_after(flow, holder, depth)
        return flow
    holder = cur.parent
    if holder is not None and holder.type == "when_subject" and holder.parent is not None:
        return _when(flow, holder.parent)
    if holder is not None and holder.type == "property_declaration":
        return _context_after(flow, holder, depth)
    return flow


def _context_after(flow: _Flow, holder: Node, depth: int) -> _Flow:
    if _non_null(_declared_type(holder)):
        flow = flow.crash(holder, True, False)
    var = next((c for c in holder.named_children if c.type == "variable_declaration"), None)
    name = text(_first(var)) if var is not None else ""
    return _follow(flow, holder, name, depth + 1) if name and depth < 2 else flow


def _try_guard(node: Node, cls: Cls) -> Cls:
    """A crash inside a ``try`` that swallows it is unknown; inside ``runCatching { }`` it takes
    the chain's ``getOrDefault``/``getOrElse``/``getOrNull``."""
    if "crash" not in (cls.missing, cls.on_empty):
        return cls
    child = node
    for parent in ancestors(node):
        if parent.type == "try_expression":
            body = next((c for c in parent.named_children if c.type == "block"), None)
            catches = [c for c in parent.named_children if c.type == "catch_block"]
            if (
                _is(body, child)
                and catches
                and not any(
                    _crash_in(next((b for b in c.named_children if b.type == "block"), None))
                    for c in catches
                )
            ):
                return _uncrash(cls, "unknown", None)
        elif parent.type == "lambda_literal":
            call = parent.parent.parent if parent.parent is not None else None
            if (
                call is not None
                and call.type == "call_expression"
                and _callee(call) == "runCatching"
            ):
                return _caught(cls, call)
            return cls
        elif parent.type in ("function_declaration", "class_body"):
            return cls
        child = parent
    return cls


def _caught(cls: Cls, call: Node) -> Cls:
    nav = _up(call).parent
    if nav is None or nav.type != "navigation_expression":
        return _uncrash(cls, "unknown", None)
    outer = nav.parent
    member = _nav_parts(nav)[1]
    if outer is None or outer.type != "call_expression":
        return _uncrash(cls, "unknown", None)
    if member == "getOrThrow":
        return cls
    if member == "getOrNull":
        return _uncrash(cls, "empty", None)
    if member == "getOrDefault" and _args(outer):
        return _uncrash(cls, "default", text(_args(outer)[0]))
    if member == "getOrElse" and _lambda(outer) is not None:
        return _uncrash(cls, "default", text(_lambda(outer)))
    return _uncrash(cls, "unknown", None)


def _uncrash(cls: Cls, to: Missing, default: str | None) -> Cls:
    return replace(
        cls,
        missing=to if cls.missing == "crash" else cls.missing,
        on_empty=to if cls.on_empty == "crash" else cls.on_empty,
        default=default if cls.missing == "crash" else cls.default,
        crash=None,
    )


def _classify(node: Node, flow: _Flow) -> Cls:
    return _try_guard(node, _context(flow, node).cls)


# --- the adapter --------------------------------------------------------------------------


class _Kotlin:
    languages = frozenset({"kotlin"})
    needles = (b"getenv", b"@Value")

    def scope(self, path: str) -> str:
        return path.rpartition("/")[0]

    def scan(self, ctx: FileContext) -> FileScan:
        consts = _constants(ctx.root)
        state = FileState(ctx, MappingProxyType(consts))
        imported: bool | None = None
        for _, caps in matches(compile_query("kotlin", _ANCHORS), ctx.root):
            if "getenv" in caps:
                _getenv(state, caps["getenv"][0])
            elif "bare" in caps:
                if imported is None:
                    imported = _imports_getenv(ctx.root)
                if imported:
                    _getenv(state, caps["bare"][0])
            elif "value" in caps:
                _spring_value(state, caps["value"][0])
        return state.file_scan(with_constants=True)

    def scan_calls(self, ctx: FileContext, helpers: Mapping[str, Helper]) -> FileScan:
        state = FileState(ctx, MappingProxyType(_constants(ctx.root)))
        names = quoted(h.rpartition(".")[2] for h in helpers)
        query = compile_query(
            "kotlin",
            f"""((call_expression . (identifier) @f) @call (#any-of? @f {names}))
                ((call_expression . (navigation_expression . (_) @recv . (identifier) @f .))
                  @call (#any-of? @f {names}))""",
        )
        typed: dict[str, set[str]] | None = None
        for _, caps in matches(query, ctx.root):
            call, callee = caps["call"][0], text(caps["f"][0])
            receiver = caps["recv"][0] if "recv" in caps else None
            for helper in helpers.values():
                owner, _, method = helper.name.rpartition(".")
                if method != callee or helper.template is None:
                    continue
                if not helper.is_method:
                    ok = receiver is None
                elif receiver is None:
                    ok = _owner(call) == owner
                else:
                    if typed is None:
                        typed = _typed_names(ctx)
                    ok = _receiver_is(receiver, owner, typed)
                if ok:
                    _call_site(state, call, helper)
        return state.file_scan(with_constants=False)


def _imports_getenv(root: Node) -> bool:
    return any(
        c.type == "import" and text(_first(c)) in ("java.lang.System.getenv", "System.getenv")
        for c in root.named_children
    )


def _typed_names(ctx: FileContext) -> dict[str, set[str]]:
    """Type name -> variables, properties and parameters declared with it (or ``= Type()``)."""
    query = compile_query(
        "kotlin",
        """[(variable_declaration (identifier) @var (user_type) @type)
            (parameter (identifier) @var (user_type) @type)
            (class_parameter (identifier) @var (user_type) @type)
            (property_declaration (variable_declaration (identifier) @var)
                                  (call_expression . (identifier) @type .(value_arguments)))]""",
    )
    out: dict[str, set[str]] = {}
    for _, caps in matches(query, ctx.root):
        out.setdefault(text(caps["type"][0]), set()).add(text(caps["var"][0]))
    return out


def _receiver_is(receiver: Node, owner: str, typed: Mapping[str, set[str]]) -> bool:
    receiver = _strip(receiver)
    if receiver.type == "this_expression":
        return _owner(receiver) == owner
    if receiver.type == "call_expression":
        return _callee(receiver) == owner and len(_args(receiver)) == 0
    if receiver.type == "identifier":
        return text(receiver) == owner or text(receiver) in typed.get(owner, ())
    if receiver.type == "navigation_expression":
        head, member, _ = _nav_parts(receiver)
        if head is not None and head.type == "this_expression":
            return member in typed.get(owner, ())
        return member == owner or (member == "Companion" and text(head).endswith(owner))
    return False


def _getenv(state: FileState, call: Node) -> None:
    args = _args(call)
    if args:
        _emit(state, call, args[0], "System.getenv", _Flow(Cls("empty")))
        return
    parent = _up(call).parent
    if parent is None:
        return
    if parent.type == "index_expression" and _is(_first(parent), _up(call)):
        keys = _named(parent)[1:]
        if keys:
            _emit(state, parent, keys[0], "System.getenv", _Flow(Cls("empty")))
        return
    if parent.type != "navigation_expression" or not _is(_first(parent), _up(call)):
        return
    method = _nav_parts(parent)[1]
    outer = parent.parent
    if outer is None or outer.type != "call_expression":
        return
    keys = _args(outer)
    if not keys:
        return
    read: Node = outer
    if (
        outer.parent is not None
        and outer.parent.type == "call_expression"
        and _is(_first(outer.parent), outer)
    ):
        read = outer.parent  # getOrElse("X") { d }
    if method == "get":
        _emit(state, read, keys[0], "System.getenv", _Flow(Cls("empty")))
    elif method == "getValue":
        flow = _Flow(Cls("empty")).crash(read, True, False)
        _emit(state, read, keys[0], "System.getenv", flow)
    elif method == "getOrDefault" and len(keys) > 1:
        _emit(
            state, read, keys[0], "System.getenv", _Flow(Cls("empty")).default(keys[1], True, False)
        )
    elif method == "getOrElse" and _lambda(read) is not None:
        fallback = _lambda(read)
        assert fallback is not None
        _emit(
            state,
            read,
            keys[0],
            "System.getenv",
            _Flow(Cls("empty")).default(fallback, True, False),
        )


def _emit(state: FileState, read: Node, name_arg: Node | None, api: str, flow: _Flow) -> None:
    name = _resolve(name_arg, state.consts)
    record = env_read(state.ctx, read, api, _classify(read, flow))
    if name.kind == "param" and name.function is not None:
        state.helpers.append(_helper(state, name.function, record, name.param))
    else:
        state.finish(record, name)


def _helper(state: FileState, function: Node, record: EnvRead, param: int) -> Helper:
    default_param = None
    params = _params(function)
    if record.missing == "default" and record.default in params:
        default_param = params.index(record.default or "")
        declared = _param_default(function, default_param)
        if declared is not None:  # fun env(name: String, fallback: String? = null)
            if _is_null(declared):
                record = replace(record, missing="empty", default=None)
            else:
                record = replace(record, default=text(declared))
    owner = _owner(function)
    fname = text(_field(function, "name"))
    return Helper(
        name=f"{owner}.{fname}" if owner else fname,
        kind="wrapper",
        location=location(state.ctx, _field(function, "name") or function),
        template=record,
        name_param=param,
        default_param=default_param,
        is_method=bool(owner),
    )


def _start(template: EnvRead) -> _Flow:
    return _Flow(
        Cls.of(template),
        "null" if template.missing == "empty" else "done",
        "blank" if template.on_empty == "empty" else "done",
    )


def _call_site(state: FileState, call: Node, helper: Helper) -> None:
    template = helper.template
    assert template is not None
    args = _args(call)
    name_arg = args[helper.name_param] if helper.name_param < len(args) else None
    flow = _start(template)
    dp = helper.default_param
    if dp is not None and dp < len(args) and not _has_named_args(call):
        supplied = _strip(args[dp])
        if _is_null(supplied):
            flow = _start(replace(template, missing="empty", default=None))
        else:
            flow = _start(replace(template, missing="default", default=text(supplied)))
    site = call
    if (
        call.parent is not None
        and call.parent.type == "call_expression"
        and _is(_first(call.parent), call)
    ):
        site = call.parent
    record = call_site_read(state.ctx, call, helper, _classify(site, flow))
    name = _resolve(name_arg, state.consts)
    if name.kind == "param" and name.function is not None:
        outer = _helper(state, name.function, record, name.param)
        state.helpers.append(replace(outer, template=replace(outer.template or record, via=None)))
    else:
        state.finish(record, name)


# --- Spring @Value ------------------------------------------------------------------------


def _spring_value(state: FileState, annotation: Node) -> None:
    invocation = next(
        (c for c in annotation.named_children if c.type == "constructor_invocation"), None
    )
    if invocation is None:
        return
    literal: Node | None = None
    for arg in _args(invocation):
        literal = literal or (arg if _pieces(arg) is not None else None)
    value = _string_value(literal)
    if value is None:
        return
    target = annotation.parent.parent if annotation.parent is not None else None
    expected = _type_kind(_declared_type(target)) if target is not None else "string"
    on_empty: Missing = "empty" if expected == "string" else "crash"
    for key, default in _placeholders(value):
        dotted = "." in key or "[" in key
        if default is not None:
            cls = Cls("empty" if default == "#{null}" else "default", on_empty, default)
        elif dotted:
            cls = Cls("unknown", on_empty)
        else:
            cls = Cls("crash", on_empty, crash=annotation)
        record = env_read(state.ctx, annotation, "@Value", replace(cls, type=expected))
        name = spring_env_name(key) if dotted or "-" in key else key
        state.reads.append(replace(record, name=name))


ADAPTER = _Kotlin()
