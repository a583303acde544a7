"""C#: ``Environment.GetEnvironmentVariable`` and ``IConfiguration`` reads, classified by context.

Forms (research/source-patterns.md A.2), walking up from the read:

* ``?? throw ...`` -> crash when missing (``""`` passes: on_empty stays empty);
  ``?? expr`` -> default;
* ``int/long/double/bool/TimeSpan/Guid.Parse(...)`` around the read (or its holder variable) ->
  expected type; ``Parse(null)`` throws ``ArgumentNullException`` and ``Parse("")`` a
  ``FormatException``: crash on missing (unless a ``??`` default came first) and on empty;
  ``T.TryParse(...)`` -> default; ``Convert.ToInt32(...)`` & co. -> 0/false when missing
  (empty), ``FormatException`` on "";
* a holder ``var v = ...;`` followed by ``if (string.IsNullOrEmpty(v))`` /
  ``IsNullOrWhiteSpace`` / ``v == null`` / ``v is null`` / ``v == ""`` whose branch throws or
  calls ``Environment.Exit`` -> crash (assigning ``v`` -> default); the negated forms with an
  ``else``; ``ArgumentNullException.ThrowIfNull(v)`` / ``ArgumentException.ThrowIfNullOrEmpty``;
* ``IConfiguration``: ``config["A:B"]`` (env ``A__B``), ``GetValue<T>("K")`` (``default(T)``,
  silent) / ``GetValue<T>("K", d)`` (default), ``GetConnectionString("X")`` (env
  ``ConnectionStrings__X``), ``GetRequiredSection("A")`` (crash when the section is absent),
  ``GetSection("A").Value`` / ``section["B"]`` with section variables tracked.  Receivers of
  ``[...]``/``GetValue`` must look like configuration (a name containing "config", or a tracked
  section).  These reads have ``api`` starting with ``IConfiguration`` and ``name`` in env
  spelling (``__``); ``appsettings`` matches them case-insensitively and applies
  ``appsettings*.json`` defaults;
* names: literals, ``const string`` fields (``X`` or ``Class.X``, across files), ``$"..."`` and
  ``+`` concatenations as patterns; a method whose parameter flows into the read is a wrapper
  (helper ``Class.Method``, called as ``Class.Method("X")`` or ``Method("X")`` in its class).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

from envlint.sources.adapter import (
    FileContext,
    FileScan,
    Helper,
    Pending,
    compile_query,
    location,
    matches,
    text,
)
from envlint.sources.model import EnvRead

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    from tree_sitter import Node

    from envlint.sources.model import Missing, ValueType

__all__ = ["ADAPTER", "CONFIG_API_PREFIX"]

CONFIG_API_PREFIX = "IConfiguration"

_INVOCATIONS = "(invocation_expression) @call"
_READ_METHODS = (
    '"GetEnvironmentVariable" "GetConnectionString" "GetValue" "GetRequiredSection" "GetSection"'
)
_READ_CALLS = f"""
((invocation_expression function: (member_access_expression name: (identifier) @m)) @call
 (#any-of? @m {_READ_METHODS}))
((invocation_expression function: (member_access_expression name: (generic_name (identifier) @m)))
  @call (#any-of? @m {_READ_METHODS}))
"""
_ELEMENT_ACCESS = "(element_access_expression) @access"
_DECLARATORS = "(variable_declarator (invocation_expression)) @decl"
_CONSTS = """
(field_declaration (modifier) @mod
  (variable_declaration (variable_declarator name: (identifier) @name (string_literal) @value)))
(local_declaration_statement (modifier) @mod
  (variable_declaration (variable_declarator name: (identifier) @name (string_literal) @value)))
"""

_PARSE_TYPES: dict[str, ValueType] = {
    "int": "int",
    "Int32": "int",
    "long": "int",
    "Int64": "int",
    "short": "int",
    "Int16": "int",
    "uint": "int",
    "UInt32": "int",
    "ulong": "int",
    "UInt64": "int",
    "ushort": "int",
    "byte": "int",
    "double": "float",
    "Double": "float",
    "float": "float",
    "Single": "float",
    "decimal": "float",
    "Decimal": "float",
    "bool": "bool",
    "Boolean": "bool",
    "TimeSpan": "duration",
    "Guid": "string",
    "Uri": "url",
}
_CONVERT_TYPES: dict[str, ValueType] = {
    "ToInt16": "int",
    "ToInt32": "int",
    "ToInt64": "int",
    "ToUInt16": "int",
    "ToUInt32": "int",
    "ToUInt64": "int",
    "ToDouble": "float",
    "ToSingle": "float",
    "ToDecimal": "float",
    "ToBoolean": "bool",
}
_TRANSPARENT = frozenset({"parenthesized_expression", "argument", "postfix_unary_expression"})
_FUNCS = frozenset(
    {
        "method_declaration",
        "local_function_statement",
        "constructor_declaration",
        "lambda_expression",
        "anonymous_method_expression",
        "property_declaration",
        "accessor_declaration",
    }
)
_CLASSES = frozenset(
    {"class_declaration", "struct_declaration", "record_declaration", "interface_declaration"}
)
_SCAN_LIMIT = 60


@dataclass
class _Class:
    missing: Missing = "empty"
    on_empty: Missing = "empty"
    default: str | None = None
    default_node: Node | None = None
    expected_type: ValueType = "string"
    crash: Node | None = None
    decided_missing: bool = False
    decided_empty: bool = False

    def set(self, kind: Missing, node: Node | None, on_missing: bool, on_empty: bool) -> None:
        if on_missing and not self.decided_missing:
            self.decided_missing = True
            self.missing = kind
            if kind == "crash":
                self.crash = node
            if kind == "default":
                self.default_node = node
                self.default = text(node) if node is not None else None
        if on_empty and not self.decided_empty:
            self.decided_empty = True
            self.on_empty = kind
            if kind == "crash" and self.crash is None:
                self.crash = node


@dataclass(frozen=True, slots=True)
class _Name:
    value: str | None = None
    pattern: bool = False
    param: int | None = None
    const: str | None = None
    lambda_param: bool = False


@dataclass
class _File:
    ctx: FileContext
    consts: dict[str, str]  # "X" and "Class.X"
    sections: dict[str, str]  # local variable -> configuration key of the section


# --- node helpers -------------------------------------------------------------------------


def _string_value(node: Node | None) -> str | None:
    if node is None:
        return None
    if node.type == "string_literal":
        parts = [c for c in node.named_children if c.type != "string_literal_content"]
        if parts:  # escape sequences: not an env name we can trust
            return None
        return "".join(text(c) for c in node.named_children)
    if node.type == "verbatim_string_literal":
        return text(node)[2:-1]
    if node.type == "raw_string_literal":
        return text(node).strip('"').strip()
    return None


def _args(call: Node) -> list[Node]:
    args = call.child_by_field_name("arguments")
    if args is None:
        return []
    out = []
    for arg in args.named_children:
        if arg.type == "argument":
            inner = [c for c in arg.named_children if c.type != "comment"]
            if inner:
                out.append(inner[-1])
    return out


def _member(call: Node) -> tuple[Node | None, str, Node | None]:
    """(receiver expression, method name, generic type argument) of an invocation."""
    fn = call.child_by_field_name("function")
    if fn is None:
        return None, "", None
    if fn.type == "member_access_expression":
        name_node = fn.child_by_field_name("name")
        receiver = fn.child_by_field_name("expression")
    else:
        name_node, receiver = fn, None
    if name_node is None:
        return receiver, "", None
    if name_node.type == "generic_name":
        ident = name_node.named_children[0] if name_node.named_children else None
        targs = [c for c in name_node.named_children if c.type == "type_argument_list"]
        targ = targs[0].named_children[0] if targs and targs[0].named_children else None
        return receiver, text(ident), targ
    return receiver, text(name_node), None


def _climb(node: Node) -> Node:
    while node.parent is not None and node.parent.type in _TRANSPARENT:
        parent = node.parent
        if parent.type == "postfix_unary_expression" and not text(parent).endswith("!"):
            break
        node = parent
    return node


def _enclosing(node: Node, kinds: frozenset[str]) -> Node | None:
    parent = node.parent
    while parent is not None:
        if parent.type in kinds:
            return parent
        parent = parent.parent
    return None


def _class_name(node: Node) -> str:
    cls = _enclosing(node, _CLASSES)
    name = cls.child_by_field_name("name") if cls is not None else None
    return text(name) if name is not None else ""


def _params(func: Node) -> list[str]:
    plist = func.child_by_field_name("parameters")
    if plist is None:
        return []
    out = []
    for param in plist.named_children:
        if param.type == "parameter":
            name = param.child_by_field_name("name")
            out.append(text(name) if name is not None else "_")
    return out


def _walk(node: Node) -> Iterator[Node]:
    for child in node.named_children:
        yield child
        if child.type not in ("lambda_expression", "local_function_statement"):
            yield from _walk(child)


def _is_crash(node: Node) -> bool:
    if node.type in ("throw_statement", "throw_expression"):
        return True
    if node.type == "invocation_expression":
        receiver, name, _ = _member(node)
        recv = text(receiver) if receiver is not None else ""
        if name == "Exit" and recv.endswith("Environment"):
            return True
        if name == "FailFast" and recv.endswith("Environment"):
            return True
        if name.startswith("ThrowIf") and recv.endswith("Exception"):
            return True
    return False


def _find_crash(node: Node) -> Node | None:
    if _is_crash(node):
        return node
    for sub in _walk(node):
        if _is_crash(sub):
            return sub
    return None


def _statements(block: Node | None) -> list[Node]:
    if block is None:
        return []
    if block.type != "block":
        return [block]
    return [c for c in block.named_children if c.type != "comment"]


def _branch(block: Node | None, holder: str) -> tuple[Missing, Node | None]:
    if block is None:
        return "empty", None
    crash = _find_crash(block)
    if crash is not None:
        return "crash", crash
    for stmt in _statements(block):
        expr = stmt.named_children[0] if stmt.type == "expression_statement" else None
        if expr is not None and expr.type == "assignment_expression":
            left = expr.child_by_field_name("left")
            if left is not None and text(left) == holder:
                return "default", expr.child_by_field_name("right")
        if stmt.type == "return_statement" and stmt.named_child_count:
            value = stmt.named_children[0]
            if text(value) != holder:
                return "default", value
    return "empty", None


def _null_test(cond: Node, holder: str) -> tuple[bool, bool, bool] | None:
    """(on_missing, on_empty, negated) when ``cond`` tests ``holder`` for null/empty."""
    while cond.type == "parenthesized_expression" and cond.named_child_count == 1:
        cond = cond.named_children[0]
    if cond.type == "prefix_unary_expression" and text(cond).startswith("!"):
        inner = cond.named_children[0] if cond.named_children else None
        found = _null_test(inner, holder) if inner is not None else None
        return (found[0], found[1], not found[2]) if found is not None else None
    if cond.type == "binary_expression":
        op = text(cond.child_by_field_name("operator"))
        left = cond.child_by_field_name("left")
        right = cond.child_by_field_name("right")
        if op == "||" and left is not None and right is not None:
            tests = [t for t in (_null_test(left, holder), _null_test(right, holder)) if t]
            positive = [t for t in tests if not t[2]]
            if positive:
                return any(t[0] for t in positive), any(t[1] for t in positive), False
            return None
        sides = {text(left), text(right)}
        if holder in sides and op in ("==", "!="):
            if "null" in sides:
                return True, False, op == "!="
            if '""' in sides or "string.Empty" in sides:
                return False, True, op == "!="
        return None
    if cond.type == "is_pattern_expression":
        subject = cond.child_by_field_name("expression")
        pattern = text(cond.child_by_field_name("pattern"))
        if subject is not None and text(subject) == holder:
            if pattern == "null":
                return True, False, False
            if pattern == "not null":
                return True, False, True
        return None
    if cond.type == "invocation_expression":
        receiver, name, _ = _member(cond)
        args = _args(cond)
        if (
            receiver is not None
            and text(receiver) in ("string", "String")
            and name in ("IsNullOrEmpty", "IsNullOrWhiteSpace")
            and args
            and text(args[0]) == holder
        ):
            return True, True, False
    return None


# --- classification -----------------------------------------------------------------------


def _classify(expr: Node, cls: _Class) -> None:
    """Walk up from a read (or wrapper call) and fold every context into ``cls``."""
    node = _climb(expr)
    while True:
        parent = node.parent
        if parent is None:
            return
        if (
            parent.type == "binary_expression"
            and parent.child_by_field_name("left") == node
            and text(parent.child_by_field_name("operator")) == "??"
        ):
            right = parent.child_by_field_name("right")
            if right is not None and right.type == "throw_expression":
                cls.set("crash", right, True, False)
            else:
                cls.set("default", right, True, False)
            node = _climb(parent)
            continue
        if parent.type == "argument_list" and parent.parent is not None:
            outer = parent.parent
            if outer.type == "invocation_expression":
                receiver, name, _ = _member(outer)
                recv = text(receiver) if receiver is not None else ""
                first = _args(outer)[:1] == [node] or (
                    node.type == "argument" and parent.named_children[:1] == [node]
                )
                if name == "Parse" and recv in _PARSE_TYPES and first:
                    cls.expected_type = _PARSE_TYPES[recv]
                    cls.set("crash", outer, True, True)
                    node = _climb(outer)
                    continue
                if name == "TryParse" and recv in _PARSE_TYPES and first:
                    cls.expected_type = _PARSE_TYPES[recv]
                    cls.set("default", None, True, True)
                    return
                if recv.endswith("Convert") and name in _CONVERT_TYPES and first:
                    cls.expected_type = _CONVERT_TYPES[name]
                    cls.set("empty", None, True, False)
                    cls.set("crash", outer, False, True)
                    return
                if _is_crash(outer):  # ArgumentNullException.ThrowIfNull(read)
                    cls.set("crash", outer, True, name.endswith("OrEmpty"))
                    return
            return
        if parent.type == "variable_declarator":
            declared = parent.child_by_field_name("name")
            stmt = _enclosing(parent, frozenset({"local_declaration_statement"}))
            if declared is not None and stmt is not None:
                _follow(stmt, text(declared), cls)
            return
        if parent.type == "assignment_expression" and parent.child_by_field_name("right") == node:
            left = parent.child_by_field_name("left")
            stmt = parent.parent
            if left is not None and stmt is not None and stmt.type == "expression_statement":
                _follow(stmt, text(left), cls)
            return
        return


def _follow(stmt: Node, holder: str, cls: _Class) -> None:
    """Checks and parses of ``holder`` in the statements after ``stmt``."""
    if stmt.parent is not None and stmt.parent.type == "global_statement":
        stmt = stmt.parent  # top-level statements: siblings are global_statements
    sibling = stmt.next_named_sibling
    count = 0
    while sibling is not None and count < _SCAN_LIMIT:
        current = sibling
        if current.type == "global_statement" and current.named_children:
            current = current.named_children[0]
        if current.type == "if_statement":
            cond = current.child_by_field_name("condition")
            test = _null_test(cond, holder) if cond is not None else None
            if test is not None:
                on_missing, on_empty, negated = test
                if not negated:
                    kind, at = _branch(current.child_by_field_name("consequence"), holder)
                else:
                    kind, at = _branch(current.child_by_field_name("alternative"), holder)
                cls.set(kind, at, on_missing, on_empty)
        for sub in (current, *_walk(current)):
            if sub.type == "invocation_expression" and any(
                text(a) == holder for a in _args(sub)[:1]
            ):
                receiver, name, _ = _member(sub)
                recv = text(receiver) if receiver is not None else ""
                if (
                    (name in ("Parse", "TryParse") and recv in _PARSE_TYPES)
                    or (recv.endswith("Convert") and name in _CONVERT_TYPES)
                    or _is_crash(sub)
                ):
                    first = _args(sub)[0]
                    _classify(first, cls)
                    break
        if cls.decided_missing and cls.decided_empty:
            return
        sibling = sibling.next_named_sibling
        count += 1


# --- names --------------------------------------------------------------------------------


def _name_of(arg: Node, f: _File, func: Node | None) -> _Name:
    while arg.type == "parenthesized_expression" and arg.named_child_count == 1:
        arg = arg.named_children[0]
    literal = _string_value(arg)
    if literal is not None:
        return _Name(literal)
    if arg.type == "identifier":
        ident = text(arg)
        if func is not None and ident in _params(func):
            if func.type in ("lambda_expression", "anonymous_method_expression"):
                return _Name(lambda_param=True)
            return _Name(param=_params(func).index(ident))
        qualified = f"{_class_name(arg)}.{ident}"
        if qualified in f.consts:
            return _Name(f.consts[qualified])
        if ident in f.consts:
            return _Name(f.consts[ident])
        return _Name(const=qualified)
    if arg.type == "member_access_expression":
        dotted = text(arg).rsplit(".", 2)
        key = ".".join(dotted[-2:])
        if key in f.consts:
            return _Name(f.consts[key])
        return _Name(const=key)
    if arg.type == "interpolated_string_expression":
        parts = []
        for child in arg.named_children:
            if child.type == "string_content":
                parts.append(text(child))
            elif child.type == "interpolation":
                parts.append("*")
        return _Name("".join(parts), pattern=True)
    if arg.type == "binary_expression" and text(arg.child_by_field_name("operator")) == "+":
        left = arg.child_by_field_name("left")
        right = arg.child_by_field_name("right")
        if left is None or right is None:
            return _Name()
        a, b = _name_of(left, f, func), _name_of(right, f, func)
        joined = (a.value if a.value is not None else "*") + (
            b.value if b.value is not None else "*"
        )
        return _Name(joined, pattern=a.pattern or b.pattern or "*" in joined)
    return _Name()


# --- IConfiguration -----------------------------------------------------------------------


def _looks_like_config(node: Node | None, f: _File) -> bool:
    if node is None:
        return False
    if node.type == "identifier" and text(node) in f.sections:
        return True
    if node.type == "invocation_expression":
        _, name, _ = _member(node)
        return name in ("GetSection", "GetRequiredSection")
    return "config" in text(node).lower()


def _section_key(node: Node | None, f: _File) -> str | None:
    """The configuration path a receiver expression stands for ("" for the root)."""
    if node is None:
        return None
    if node.type == "identifier" and text(node) in f.sections:
        return f.sections[text(node)]
    if node.type == "invocation_expression":
        receiver, name, _ = _member(node)
        if name in ("GetSection", "GetRequiredSection"):
            args = _args(node)
            key = _string_value(args[0]) if args else None
            base = _section_key(receiver, f)
            if key is None or base is None:
                return None
            return f"{base}:{key}" if base else key
        return None
    if "config" in text(node).lower():
        return ""
    return None


def env_name_for_key(key: str) -> str:
    """The canonical environment variable spelling of a configuration key (``A:B`` -> ``A__B``)."""
    return key.replace(":", "__")


def _sections(root: Node, f: _File) -> None:
    if b"Section" not in f.ctx.source:
        return
    for _, caps in matches(compile_query("csharp", _DECLARATORS), root):
        node = caps["decl"][0]
        name = node.child_by_field_name("name")
        values = [c for c in node.named_children if c != name]
        if name is None or not values or values[-1].type != "invocation_expression":
            continue
        key = _section_key(values[-1], f)
        if key:
            f.sections[text(name)] = key


def _config_read(node: Node, f: _File) -> tuple[str, str, Node | None, _Class] | None:
    """(key, api, default node, base class) for a configuration access, or None."""
    cls = _Class()
    if node.type == "element_access_expression":
        receiver = node.child_by_field_name("expression")
        sub = node.child_by_field_name("subscript")
        args = [c for c in sub.named_children if c.type == "argument"] if sub is not None else []
        if len(args) != 1 or not _looks_like_config(receiver, f):
            return None
        key = _string_value(args[0].named_children[-1] if args[0].named_children else None)
        base = _section_key(receiver, f)
        if key is None or base is None:
            return None
        return (f"{base}:{key}" if base else key), "IConfiguration[]", None, cls
    receiver, name, targ = _member(node)
    args = _args(node)
    if name == "GetConnectionString" and args:
        key = _string_value(args[0])
        return (
            None
            if key is None
            else (f"ConnectionStrings:{key}", f"{CONFIG_API_PREFIX}.GetConnectionString", None, cls)
        )
    if name == "GetValue" and args and _looks_like_config(receiver, f):
        key = _string_value(args[0])
        base = _section_key(receiver, f)
        if key is None or base is None:
            return None
        full = f"{base}:{key}" if base else key
        ttext = text(targ) if targ is not None else "string"
        cls.expected_type = _PARSE_TYPES.get(ttext.rstrip("?"), "string")
        if cls.expected_type != "string":
            cls.set("unknown", None, False, True)  # conversion of "" depends on the type
        if len(args) >= 2:
            cls.set("default", args[1], True, False)
        return full, f"{CONFIG_API_PREFIX}.GetValue", None, cls
    if name == "GetRequiredSection" and args:
        key = _section_key(node, f)
        if key is None:
            return None
        cls.set("crash", node, True, False)
        return key, f"{CONFIG_API_PREFIX}.GetRequiredSection", None, cls
    if name == "GetSection" and args:
        parent = node.parent
        if parent is not None and parent.type == "member_access_expression":
            member = parent.child_by_field_name("name")
            if member is not None and text(member) == "Value":
                key = _section_key(node, f)
                if key:
                    return key, f"{CONFIG_API_PREFIX}.GetSection", None, cls
    return None


# --- the adapter --------------------------------------------------------------------------


def _constants(ctx: FileContext) -> tuple[dict[str, str], dict[str, str]]:
    every: dict[str, str] = {}
    for _, caps in matches(compile_query("csharp", _CONSTS), ctx.root):
        if not any(text(m) in ("const", "static") for m in caps.get("mod", [])):
            continue
        name = caps["name"][0]
        value = _string_value(caps["value"][0])
        if value is None:
            continue
        every.setdefault(text(name), value)
        every[f"{_class_name(name)}.{text(name)}"] = value
    shared = {k: v for k, v in every.items() if "." in k and not k.startswith(".")}
    return every, shared


def _read(f: _File, node: Node, name: str, api: str, cls: _Class, pattern: bool) -> EnvRead:
    return EnvRead(
        name=name,
        location=location(f.ctx, node),
        language="csharp",
        api=api,
        missing=cls.missing,
        on_empty=cls.on_empty,
        default=cls.default if cls.missing == "default" else None,
        expected_type=cls.expected_type,
        is_pattern=pattern,
        crash_location=(
            location(f.ctx, cls.crash)
            if cls.crash is not None and "crash" in (cls.missing, cls.on_empty)
            else None
        ),
    )


def _method_key(func: Node) -> str | None:
    if func.type not in ("method_declaration", "local_function_statement"):
        return None
    name = func.child_by_field_name("name")
    if name is None:
        return None
    return f"{_class_name(func)}.{text(name)}"


class _CSharpAdapter:
    languages = frozenset({"csharp"})
    needles = (
        b"GetEnvironmentVariable",
        b"onfiguration",
        b"GetConnectionString",
        b"GetValue",
        b"GetRequiredSection",
        b"GetSection",
    )

    def scope(self, path: str) -> str:
        return ""  # helpers are keyed Class.Method, constants Class.NAME: one scope

    def _file(self, ctx: FileContext) -> tuple[_File, dict[str, str]]:
        every, shared = _constants(ctx)
        f = _File(ctx, every, {})
        _sections(ctx.root, f)
        return f, shared

    def scan(self, ctx: FileContext) -> FileScan:
        f, shared = self._file(ctx)
        reads: list[EnvRead] = []
        helpers: list[Helper] = []
        pending: list[Pending] = []
        dynamic = 0
        calls = [c["call"][0] for _, c in matches(compile_query("csharp", _READ_CALLS), ctx.root)]
        for call in sorted(calls, key=lambda n: n.start_byte):
            receiver, method, _ = _member(call)
            if method == "GetEnvironmentVariable" and text(receiver).endswith("Environment"):
                args = _args(call)
                if not args:
                    continue
                func = _enclosing(call, _FUNCS)
                name = _name_of(args[0], f, func)
                cls = _Class()
                _classify(call, cls)
                api = "Environment.GetEnvironmentVariable"
                if name.param is not None and func is not None:
                    helper = self._wrapper(f, func, call, name.param, cls, api)
                    if helper is not None:
                        helpers.append(helper)
                        continue
                if name.value is None and name.const is None:
                    dynamic += 1
                    continue
                read = _read(f, call, name.value or "", api, cls, name.pattern)
                if name.const is not None:
                    pending.append(Pending(read, name_const=name.const))
                else:
                    reads.append(read)
                continue
            config = _config_read(call, f)
            if config is not None:
                reads.append(self._config(f, call, config))
        for _, caps in matches(compile_query("csharp", _ELEMENT_ACCESS), ctx.root):
            node = caps["access"][0]
            config = _config_read(node, f)
            if config is not None:
                reads.append(self._config(f, node, config))
        return FileScan(
            reads=tuple(reads),
            helpers=tuple(helpers),
            pending=tuple(pending),
            constants=MappingProxyType(shared),
            dynamic=dynamic,
        )

    def _config(
        self, f: _File, node: Node, config: tuple[str, str, Node | None, _Class]
    ) -> EnvRead:
        key, api, _, cls = config
        value_node = node.parent if api.endswith(".GetSection") and node.parent else node
        _classify(value_node, cls)
        return _read(f, node, env_name_for_key(key), api, cls, False)

    def _wrapper(
        self, f: _File, func: Node, call: Node, param: int, cls: _Class, api: str
    ) -> Helper | None:
        key = _method_key(func)
        if key is None:
            return None
        params = _params(func)
        default_param = None
        if cls.missing == "default" and cls.default in params:
            default_param = params.index(cls.default or "")
        template = replace(_read(f, call, "", api, cls, False), via=key.rpartition(".")[2])
        return Helper(
            name=key,
            kind="wrapper",
            location=location(f.ctx, func),
            template=template,
            name_param=param,
            default_param=default_param,
        )

    def scan_calls(self, ctx: FileContext, helpers: Mapping[str, Helper]) -> FileScan:
        f, _ = self._file(ctx)
        reads: list[EnvRead] = []
        new_helpers: list[Helper] = []
        dynamic = 0
        for _, caps in matches(compile_query("csharp", _INVOCATIONS), ctx.root):
            call = caps["call"][0]
            receiver, method, _ = _member(call)
            if receiver is None:
                key = f"{_class_name(call)}.{method}"
            else:
                key = f"{text(receiver).rpartition('.')[2]}.{method}"
            helper = helpers.get(key)
            if helper is None or helper.template is None:
                continue
            args = _args(call)
            if helper.name_param >= len(args):
                continue
            func = _enclosing(call, _FUNCS)
            name = _name_of(args[helper.name_param], f, func)
            site = _Class()
            _classify(call, site)
            read = _combine(f, call, helper, site, args)
            if name.param is not None and func is not None:
                outer = self._wrapper(f, func, call, name.param, _as_class(read), read.api)
                if outer is not None:
                    new_helpers.append(outer)
                continue
            if name.value is None:
                if name.const is not None and name.const in f.consts:
                    name = _Name(f.consts[name.const])
                else:
                    dynamic += 1
                    continue
            reads.append(replace(read, name=name.value or "", is_pattern=name.pattern))
        return FileScan(reads=tuple(reads), helpers=tuple(new_helpers), dynamic=dynamic)


def _as_class(read: EnvRead) -> _Class:
    return _Class(
        missing=read.missing,
        on_empty=read.on_empty,
        default=read.default,
        expected_type=read.expected_type,
    )


def _combine(f: _File, call: Node, helper: Helper, site: _Class, args: list[Node]) -> EnvRead:
    template = helper.template
    assert template is not None
    missing: Missing = template.missing
    on_empty: Missing = template.on_empty
    default = template.default
    crash = template.crash_location
    if helper.default_param is not None and helper.default_param < len(args):
        default = text(args[helper.default_param])
    if missing not in ("crash", "default") and site.decided_missing:
        missing, default = site.missing, site.default
        if site.crash is not None:
            crash = location(f.ctx, site.crash)
    if on_empty not in ("crash", "default") and site.decided_empty:
        on_empty = site.on_empty
        if site.crash is not None and crash is None:
            crash = location(f.ctx, site.crash)
    kinds: tuple[Literal["crash"], ...] = ("crash",)
    return replace(
        template,
        location=location(f.ctx, call),
        missing=missing,
        on_empty=on_empty,
        default=default if missing == "default" else None,
        expected_type=(
            site.expected_type if site.expected_type != "string" else template.expected_type
        ),
        crash_location=crash if (missing in kinds or on_empty in kinds) else None,
    )


ADAPTER = _CSharpAdapter()
