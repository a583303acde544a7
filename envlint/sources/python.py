"""Python adapter: ``os.environ`` / ``os.getenv`` reads, helpers, pydantic-settings, decouple,
environs / django-environ (research/source-patterns.md A.3).

Forms and their classes (``missing`` / ``on_empty``):

* ``os.environ["X"]`` crash (KeyError) / empty; ``os.environ.get("X")``, ``os.getenv("X")``
  empty / empty; with a default argument (or ``setdefault``) default / empty;
  ``... or "d"`` default / default.
* ``int(...)`` / ``float(...)`` around a read: the type, and ``None`` (TypeError) or ``""``
  (ValueError) become crashes; a method call on a possibly-``None`` value
  (``os.getenv("X").lower()``) crashes with AttributeError; a comparison with a boolean-ish literal
  (``== "true"``, ``in ("1", "yes")``) types the read ``bool``.
* ``if not os.getenv("X"): raise/sys.exit`` (also through a variable assigned from the read,
  ``is None`` / ``== ""`` tests, ``assert``, and ``if "X" not in os.environ: ...``) crash; an
  ``if`` that assigns the variable gives a default.  A crash inside a ``try`` with an ``except``
  that does not itself exit becomes ``unknown``.
* pydantic-settings ``BaseSettings`` fields: name = ``env_prefix`` + field name, upper-cased
  unless ``case_sensitive=True``; ``alias`` / ``validation_alias`` (first ``AliasChoices`` entry)
  replace it and ignore the prefix; no default -> crash at instantiation; ``""`` is kept for
  ``str`` and fails validation for other types unless ``env_ignore_empty=True``.
* ``decouple.config("X", default=..., cast=int)``; environs / django-environ
  ``env("X")``, ``env.int("X", 5)``: no default -> crash.

Names: string literals, f-strings and ``+`` concatenations (patterns when a part is unknown),
module-level ``NAME = "X"`` constants (this file first, then the scope = the directory).
Helpers: a module function or method whose parameter flows into a read is a wrapper, resolved
per directory; its call sites (``must_env("X")``, ``config.must_env("X")``, ``self.get("X")``)
become reads with ``via`` set.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache, lru_cache
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

    from envlint.sources.model import Missing, ValueType

__all__ = ["ADAPTER"]

_EXITS = frozenset({"sys.exit", "exit", "quit", "os._exit", "os.abort", "_exit", "abort"})
_NUMERIC: Mapping[str, ValueType] = MappingProxyType({"int": "int", "float": "float"})
_BOOL_WORDS = frozenset({"true", "false", "1", "0", "yes", "no", "on", "off", "y", "n", "t", "f"})
_CASE_METHODS = frozenset({"lower", "upper", "strip", "casefold", "lstrip", "rstrip", "title"})
_TRANSPARENT = frozenset({"parenthesized_expression"})
_TYPE_WORDS: Mapping[str, ValueType] = MappingProxyType(
    {
        "int": "int",
        "PositiveInt": "int",
        "NonNegativeInt": "int",
        "conint": "int",
        "float": "float",
        "PositiveFloat": "float",
        "Decimal": "float",
        "bool": "bool",
        "timedelta": "duration",
        "AnyUrl": "url",
        "HttpUrl": "url",
        "AnyHttpUrl": "url",
        "PostgresDsn": "url",
        "RedisDsn": "url",
        "KafkaDsn": "url",
        "AmqpDsn": "url",
        "MongoDsn": "url",
    }
)
_LIB_METHOD_TYPES: Mapping[str, ValueType] = MappingProxyType(
    {
        "int": "int",
        "float": "float",
        "decimal": "float",
        "bool": "bool",
        "url": "url",
        "db": "url",
        "db_url": "url",
        "dj_db_url": "url",
        "cache_url": "url",
        "cache": "url",
        "timedelta": "duration",
    }
)
_LIB_METHODS = frozenset(
    {"str", "list", "dict", "json", "path", "enum", "date", "datetime", "log_level", "uuid"}
    | set(_LIB_METHOD_TYPES)
)


# --- small tree helpers -------------------------------------------------------------------


def _up(node: Node) -> Node:
    """The outermost parenthesised expression around ``node``."""
    while node.parent is not None and node.parent.type in _TRANSPARENT:
        node = node.parent
    return node


def _parent(node: Node) -> Node | None:
    return _up(node).parent


def _string_value(node: Node | None) -> str | None:
    """The value of a plain string literal (no f-string interpolation), else None."""
    if node is None:
        return None
    if node.type == "concatenated_string":
        parts = [_string_value(c) for c in node.named_children]
        return None if any(p is None for p in parts) else "".join(p or "" for p in parts)
    if node.type != "string":
        return None
    out = []
    for child in node.named_children:
        if child.type == "string_content":
            out.append(text(child))
        elif child.type == "escape_sequence":
            out.append(text(child).encode().decode("unicode_escape", "replace"))
        elif child.type == "interpolation":
            return None
    return "".join(out)


def _args(call: Node) -> tuple[list[Node], dict[str, Node]]:
    """Positional and keyword argument nodes of a call."""
    positional: list[Node] = []
    keywords: dict[str, Node] = {}
    arglist = _field(call, "arguments")
    if arglist is None:
        return positional, keywords
    for arg in arglist.named_children:
        if arg.type == "keyword_argument":
            value = _field(arg, "value")
            if value is not None:
                keywords[text(_field(arg, "name"))] = value
        elif arg.type not in ("comment", "list_splat", "dictionary_splat"):
            positional.append(arg)
    return positional, keywords


def _arg(call: Node, index: int, name: str | None) -> Node | None:
    positional, keywords = _args(call)
    if index < len(positional):
        return positional[index]
    return keywords.get(name) if name else None


def _crash_in(block: Node | None) -> Node | None:
    """The raise/exit statement among a block's direct statements (or a single statement)."""
    if block is None:
        return None
    statements = block.named_children if block.type == "block" else [block]
    for stmt in statements:
        if stmt.type == "raise_statement":
            return stmt
        if stmt.type == "expression_statement" and stmt.named_child_count:
            call = stmt.named_children[0]
            if call.type == "call" and text(_field(call, "function")) in _EXITS:
                return call
    return None


def _assigned_in(block: Node | None, var: str) -> Node | None:
    """The value assigned to ``var`` by a direct statement of ``block``."""
    if block is None:
        return None
    for stmt in block.named_children:
        if stmt.type == "expression_statement" and stmt.named_child_count:
            assign = stmt.named_children[0]
            if assign.type == "assignment" and text(_field(assign, "left")) == var:
                return _field(assign, "right")
    return None


# --- classification -----------------------------------------------------------------------


def _tests(cond: Node, is_target: Callable[[Node], bool]) -> tuple[bool, bool] | None:
    """Whether a condition is true when the target is (missing, empty); None if not a test."""
    cond = _strip(cond)
    if cond.type == "not_operator":
        arg = _strip(_field(cond, "argument"))
        if arg is not None and is_target(arg):
            return True, True
        return None
    if cond.type == "boolean_operator":
        op = text(_field(cond, "operator")) or _operator(cond)
        if op != "or":
            return None
        left, right = _field(cond, "left"), _field(cond, "right")
        found = [t for t in (_tests(n, is_target) for n in (left, right) if n) if t]
        if not found:
            return None
        return any(f[0] for f in found), any(f[1] for f in found)
    if cond.type == "comparison_operator" and cond.named_child_count == 2:
        left, right = cond.named_children
        ops = [text(c) for c in cond.children if not c.is_named]
        op = " ".join(ops)
        subject, other = (left, right) if is_target(_strip(left)) else (right, left)
        if not is_target(_strip(subject)):
            return None
        if other.type == "none" and op in ("is", "=="):
            return True, False
        if _string_value(other) == "" and op == "==":
            return False, True
    return None


def _strip(node: Node | None) -> Node:
    assert node is not None
    while node.type in _TRANSPARENT and node.named_child_count == 1:
        node = node.named_children[0]
    return node


def _operator(node: Node) -> str:
    for child in node.children:
        if not child.is_named:
            return text(child)
    return ""


def _apply_test(cls: Cls, fires: tuple[bool, bool], crash: Node | None, dflt: Node | None) -> Cls:
    # `if v == "": v = d` makes "" a default even though a missing v stays as it was
    return apply_test(cls, fires, crash, dflt, empty_alone_defaults=True)


def _climb(node: Node, cls: Cls) -> Cls:
    """Layer the read's surrounding expression on its class (see the module docstring)."""
    cur = _up(node)
    chain = {node.id, cur.id}
    while True:
        parent = cur.parent
        if parent is None:
            break
        if parent.type == "boolean_operator" and _is(_field(parent, "left"), cur):
            if _operator(parent) != "or":
                break
            fallback = text(_field(parent, "right"))
            cls = replace(
                cls,
                missing="default" if cls.missing == "empty" else cls.missing,
                on_empty="default" if cls.on_empty == "empty" else cls.on_empty,
                default=fallback if cls.missing == "empty" else cls.default,
            )
            cur = parent
        elif parent.type == "argument_list" and parent.parent is not None:
            call = parent.parent
            if call.type != "call" or parent.named_children[0].id != cur.id:
                break
            func = text(_field(call, "function"))
            if func in _NUMERIC:
                cls = replace(
                    cls,
                    type=_NUMERIC[func],
                    missing="crash" if cls.missing == "empty" else cls.missing,
                    on_empty="default" if cls.on_empty == "default" else "crash",
                    crash=cls.crash or call,
                )
            elif func == "bool":
                cls = replace(cls, type="bool")
            elif func != "str":
                break
            cur = call
        elif parent.type == "attribute" and _is(_field(parent, "object"), cur):
            method_call = parent.parent
            if method_call is None or method_call.type != "call":
                break
            if not _is(_field(method_call, "function"), parent):
                break
            if cls.missing == "empty":  # None.lower(): AttributeError
                cls = replace(cls, missing="crash", crash=method_call)
            cur = method_call
            if text(_field(parent, "attribute")) not in _CASE_METHODS:
                break
        elif parent.type == "comparison_operator":
            words: list[str | None] = []
            for other in parent.named_children:
                if other.id == cur.id:
                    continue
                if other.type in ("tuple", "list", "set"):
                    words.extend(_string_value(c) for c in other.named_children)
                else:
                    words.append(_string_value(other))
            if words and all(w is not None and w.lower() in _BOOL_WORDS for w in words):
                cls = replace(cls, type="bool")
            break
        elif parent.type == "named_expression":
            cur = parent
        else:
            break
        cur = _up(cur)
        chain.add(cur.id)
        chain.add(_strip(cur).id)
    cls = _if_checks(cur, lambda n: n.id in chain, cls)
    holder = cur.parent
    if holder is not None and holder.type == "assignment" and _is(_field(holder, "right"), cur):
        target = _field(holder, "left")
        if target is not None and target.type == "identifier" and holder.parent is not None:
            cls = _follow_checks(holder.parent, text(target), cls)
    elif holder is not None and holder.type == "assert_statement":
        cls = replace(cls, missing="crash", on_empty="crash", crash=holder)
    return _try_guard(node, cls)


def _if_checks(cur: Node, is_target: Callable[[Node], bool], cls: Cls) -> Cls:
    """``if not <read>: raise`` -- the read (or a test on it) is the if's condition."""
    node = cur
    while node.parent is not None and node.parent.type in (
        "not_operator",
        "boolean_operator",
        "comparison_operator",
        "parenthesized_expression",
    ):
        node = node.parent
    stmt = node.parent
    if stmt is None or stmt.type not in ("if_statement", "elif_clause"):
        return cls
    if not _is(_field(stmt, "condition"), node):
        return cls
    fires = _tests(node, is_target)
    if fires is None:
        return cls
    return _apply_test(cls, fires, _crash_in(_field(stmt, "consequence")), None)


def _follow_checks(stmt: Node, var: str, cls: Cls) -> Cls:
    """``v = <read>`` followed (in the same block) by ``if not v: raise`` / ``if v is None: v = d``
    / ``assert v``.  Stops where ``v`` is assigned again."""

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
                return _apply_test(cls, fires, _crash_in(body), _assigned_in(body, var))
        elif sibling.type == "assert_statement" and sibling.named_child_count:
            fires = _tests(sibling.named_children[0], is_var)
            if fires is None and is_var(_strip(sibling.named_children[0])):
                fires = (True, True)
            if fires is None:
                # `assert v is not None` / `assert v`
                fires = _assert_fires(sibling.named_children[0], is_var)
            if fires is not None:
                return _apply_test(cls, fires, sibling, None)
        elif sibling.type == "expression_statement" and sibling.named_child_count:
            inner = sibling.named_children[0]
            if inner.type == "assignment" and text(_field(inner, "left")) == var:
                break
        sibling = sibling.next_named_sibling
    return cls


def _assert_fires(cond: Node, is_target: Callable[[Node], bool]) -> tuple[bool, bool] | None:
    cond = _strip(cond)
    if cond.type == "comparison_operator" and cond.named_child_count == 2:
        left, right = cond.named_children
        ops = " ".join(text(c) for c in cond.children if not c.is_named)
        if is_target(_strip(left)) and right.type == "none" and ops in ("is not", "!="):
            return True, False
    return None


def _try_guard(node: Node, cls: Cls) -> Cls:
    """A crash inside ``try:`` whose ``except`` handler does not itself exit is not a crash."""
    return try_guard(
        node,
        cls,
        stop=frozenset({"function_definition", "lambda", "class_definition"}),
        try_types=frozenset({"try_statement"}),
        swallows=_except_swallows,
    )


def _except_swallows(try_node: Node) -> bool:
    handlers = [c for c in try_node.named_children if c.type == "except_clause"]
    return bool(handlers) and not any(_handler_exits(h) for h in handlers)


def _handler_exits(handler: Node) -> bool:
    block = next((c for c in handler.named_children if c.type == "block"), None)
    return _crash_in(block) is not None


# --- names --------------------------------------------------------------------------------


def _function_of(node: Node) -> Node | None:
    """The module-level function or method that contains ``node`` (None for a lambda, a nested
    function or module code)."""
    for parent in ancestors(node):
        if parent.type == "lambda":
            return None
        if parent.type == "function_definition":
            outer = parent.parent
            while outer is not None and outer.type in ("decorated_definition", "block"):
                outer = outer.parent
            if outer is not None and outer.type == "class_definition":
                outer = outer.parent
                while outer is not None and outer.type in ("decorated_definition", "block"):
                    outer = outer.parent
            return parent if outer is not None and outer.type == "module" else None
    return None


def _is_method(function: Node) -> bool:
    outer = function.parent
    while outer is not None and outer.type in ("decorated_definition", "block"):
        outer = outer.parent
    return outer is not None and outer.type == "class_definition"


def _params(function: Node) -> list[tuple[str, Node | None]]:
    """Parameter names (without self/cls of a method) and their declared defaults."""
    out: list[tuple[str, Node | None]] = []
    for param in (_field(function, "parameters") or function).named_children:
        if param.type == "identifier":
            out.append((text(param), None))
        elif param.type == "typed_parameter" and param.named_child_count:
            out.append((text(param.named_children[0]), None))
        elif param.type in ("default_parameter", "typed_default_parameter"):
            out.append((text(_field(param, "name")), _field(param, "value")))
    if out and _is_method(function):
        decorators = function.parent
        static = (
            decorators is not None
            and decorators.type == "decorated_definition"
            and any(text(d).strip() == "@staticmethod" for d in decorators.named_children)
        )
        if not static:
            out = out[1:]
    return out


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
            for index, (param, _) in enumerate(_params(function)):
                if param == name:
                    return Name("param", param=index, function=function)
        return Name("const", name)
    if arg.type == "attribute":
        return Name("const", text(_field(arg, "attribute")))
    parts: list[str | None] = []
    unknown: list[str] = []
    if arg.type == "string":  # f-string
        for child in arg.named_children:
            if child.type == "string_content":
                parts.append(text(child))
            elif child.type == "interpolation":
                inner = _strip(_field(child, "expression"))
                resolved = consts.get(text(inner)) if inner.type == "identifier" else None
                parts.append(resolved)
                if resolved is None:
                    unknown.append(text(inner) if inner.type == "identifier" else "")
    elif arg.type == "binary_operator" and _operator(arg) == "+":
        for piece in _flatten_plus(arg):
            value = _string_value(piece)
            if value is None and piece.type == "identifier":
                value = consts.get(text(piece))
                if value is None:
                    unknown.append(text(piece))
            elif value is None:
                unknown.append("")
            parts.append(value)
    else:
        return Name("dynamic")
    return name_from_parts(parts, unknown)


def _flatten_plus(node: Node) -> list[Node]:
    node = _strip(node)
    if node.type == "binary_operator" and _operator(node) == "+":
        left, right = _field(node, "left"), _field(node, "right")
        if left is not None and right is not None:
            return _flatten_plus(left) + _flatten_plus(right)
    return [node]


# --- file facts ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Imports:
    os_names: frozenset[str]
    environ_names: frozenset[str]
    getenv_names: frozenset[str]
    decouple_names: frozenset[str]  # `config` imported from decouple (or an AutoConfig object)
    env_objects: frozenset[str]  # environs / django-environ Env() instances


def _imports(root: Node) -> tuple[_Imports, dict[str, str]]:
    """Module-level import aliases and string constants."""
    os_names, environ_names, getenv_names = {"os"}, set(), set()
    decouple, env_classes, env_objects = set(), set(), set()
    consts: dict[str, str] = {}
    modules: set[str] = set()
    for stmt in root.named_children:
        if stmt.type == "import_statement":
            for item in stmt.named_children:
                name = text(_field(item, "name") or item)
                alias = text(_field(item, "alias")) if item.type == "aliased_import" else name
                if name == "os":
                    os_names.add(alias)
                elif name in ("decouple", "environs", "environ"):
                    modules.add(alias)
        elif stmt.type == "import_from_statement":
            module = text(_field(stmt, "module_name"))
            for item in stmt.children_by_field_name("name"):
                name = text(_field(item, "name") if item.type == "aliased_import" else item)
                alias = text(_field(item, "alias")) if item.type == "aliased_import" else name
                if module == "os" and name == "environ":
                    environ_names.add(alias)
                elif module == "os" and name == "getenv":
                    getenv_names.add(alias)
                elif module == "decouple" and name == "config":
                    decouple.add(alias)
                elif module in ("environs", "environ") and name == "Env":
                    env_classes.add(alias)
        elif stmt.type == "expression_statement" and stmt.named_child_count:
            assign = stmt.named_children[0]
            if assign.type != "assignment":
                continue
            left, right = _field(assign, "left"), _field(assign, "right")
            if left is None or left.type != "identifier" or right is None:
                continue
            value = _string_value(right)
            if value is not None:
                consts.setdefault(text(left), value)
            elif right.type == "call":
                func = text(_field(right, "function"))
                head, _, tail = func.rpartition(".")
                if func in env_classes or (head in modules and tail == "Env"):
                    env_objects.add(text(left))
                elif tail == "AutoConfig" and (head in modules or head == ""):
                    decouple.add(text(left))
    for module in modules:
        decouple.add(f"{module}.config")
    imports = _Imports(
        frozenset(os_names),
        frozenset(environ_names),
        frozenset(getenv_names),
        frozenset(decouple),
        frozenset(env_objects),
    )
    return imports, consts


@lru_cache(maxsize=64)
def _anchor_text(imports: _Imports) -> str:
    os_names = quoted(imports.os_names)
    patterns = [
        f"""((attribute object: (identifier) @m attribute: (identifier) @a) @environ
             (#any-of? @m {os_names}) (#eq? @a "environ"))""",
        f"""((attribute object: (identifier) @m attribute: (identifier) @a) @getenv
             (#any-of? @m {os_names}) (#eq? @a "getenv"))""",
        "((class_definition superclasses: (argument_list)) @settings)",
    ]
    if imports.environ_names:
        patterns.append(
            f"((identifier) @environ (#any-of? @environ {quoted(imports.environ_names)}))"
        )
    if imports.getenv_names:
        patterns.append(f"((identifier) @getenv (#any-of? @getenv {quoted(imports.getenv_names)}))")
    if imports.decouple_names:
        patterns.append(
            f"((call function: (_) @f) @decouple (#any-of? @f {quoted(imports.decouple_names)}))"
        )
    if imports.env_objects:
        objs = quoted(imports.env_objects)
        patterns.append(f"((call function: (identifier) @o) @envlib (#any-of? @o {objs}))")
        patterns.append(
            f"""((call function: (attribute object: (identifier) @o attribute: (identifier)))
                 @envlib (#any-of? @o {objs}))"""
        )
    return "\n".join(patterns)


def _bare_name_ok(node: Node) -> bool:
    """An aliased ``environ`` / ``getenv`` identifier used as a value (not a definition)."""
    parent = node.parent
    if parent is None:
        return False
    if parent.type in (
        "dotted_name",
        "aliased_import",
        "keyword_argument",
        "parameters",
        "default_parameter",
        "typed_parameter",
        "function_definition",
        "class_definition",
    ):
        return False
    return not (parent.type == "attribute" and _is(_field(parent, "attribute"), node))


# --- the adapter --------------------------------------------------------------------------


class _Python:
    languages = frozenset({"python"})
    needles = (b"environ", b"getenv", b"BaseSettings", b"decouple", b"environs")

    def scope(self, path: str) -> str:
        return path.rpartition("/")[0]

    def scan(self, ctx: FileContext) -> FileScan:
        imports, consts = _imports(ctx.root)
        state = FileState(ctx, MappingProxyType(consts))
        query = compile_query(ctx.language, _anchor_text(imports))
        settings_bases: set[str] = set()
        prefixes: dict[str, tuple[str, bool, bool]] = {}
        for _, caps in matches(query, ctx.root):
            if "environ" in caps:
                node = caps["environ"][0]
                if node.type == "identifier" and not _bare_name_ok(node):
                    continue
                _environ_use(state, node)
            elif "getenv" in caps:
                node = caps["getenv"][0]
                if node.type == "identifier" and not _bare_name_ok(node):
                    continue
                call = node.parent
                if call is not None and call.type == "call" and _is(_field(call, "function"), node):
                    default = _arg(call, 1, "default")
                    _emit(state, call, _arg(call, 0, "key"), "os.getenv", _base(default))
            elif "decouple" in caps:
                _library_call(state, caps["decouple"][0], "decouple.config", "option")
            elif "envlib" in caps:
                _library_call(state, caps["envlib"][0], "environs", "name")
            elif "settings" in caps:
                _settings_class(state, caps["settings"][0], settings_bases, prefixes)
        return state.file_scan(with_constants=True)

    def scan_calls(self, ctx: FileContext, helpers: Mapping[str, Helper]) -> FileScan:
        _, consts = _imports(ctx.root)
        state = FileState(ctx, MappingProxyType(consts))
        names = quoted(n.rpartition(".")[2] for n in helpers)
        query = compile_query(
            ctx.language,
            f"""((call function: (identifier) @f) @call (#any-of? @f {names}))
                ((call function: (attribute attribute: (identifier) @f)) @call
                 (#any-of? @f {names}))""",
        )
        modules = _bound_modules(ctx.root)
        instances = cache(lambda: _instances(ctx.root))  # only when a method call needs them

        def owned_by(receiver: Node, owner: str) -> bool:
            return _receiver_is(receiver, owner, instances())

        # `must_env("X")`, `config.must_env("X")` (module `config`), `self.get("X")`
        for _, caps in matches(query, ctx.root):
            call, callee = caps["call"][0], text(caps["f"][0])
            receiver = _field(_field(call, "function"), "object")
            for helper in called_helpers(callee, receiver, helpers, modules, owned_by):
                _call_site(state, call, helper)
        return state.file_scan(with_constants=False)


def _bound_modules(root: Node) -> frozenset[str]:
    """Names bound by the file's module-level imports (a qualified helper call's receiver)."""
    names: set[str] = set()
    for stmt in root.named_children:
        if stmt.type not in ("import_statement", "import_from_statement"):
            continue
        for item in stmt.children_by_field_name("name"):
            if item.type == "aliased_import":
                names.add(text(_field(item, "alias")))
            else:
                names.add(text(item).partition(".")[0])
    return frozenset(names)


def _instances(root: Node) -> dict[str, set[str]]:
    """Class name -> variables assigned an instance of it (``cfg = Settings()``)."""
    query = compile_query(
        "python",
        "(assignment left: (identifier) @var right: (call function: (identifier) @cls))",
    )
    out: dict[str, set[str]] = {}
    for _, caps in matches(query, root):
        out.setdefault(text(caps["cls"][0]), set()).add(text(caps["var"][0]))
    return out


def _receiver_is(receiver: Node, owner: str, instances: Mapping[str, set[str]]) -> bool:
    """Whether ``receiver.method(...)`` calls a method of class ``owner``."""
    receiver = _strip(receiver)
    if receiver.type == "call":
        return text(_field(receiver, "function")) == owner
    if receiver.type != "identifier":
        return False
    name = text(receiver)
    if name == owner or name in instances.get(owner, ()):
        return True
    if name in ("self", "cls"):
        for parent in ancestors(receiver):
            if parent.type == "class_definition":
                return text(_field(parent, "name")) == owner
    return False


def _helper_name(function: Node) -> str:
    name = text(_field(function, "name"))
    if not _is_method(function):
        return name
    for parent in ancestors(function):
        if parent.type == "class_definition":
            return f"{text(_field(parent, 'name'))}.{name}"
    return name


def _base(default: Node | None) -> Cls:
    if default is None or _strip(default).type == "none":
        return Cls("empty")
    return Cls("default", default=text(default))


def _environ_use(state: FileState, env: Node) -> None:
    parent = _parent(env)
    if parent is None:
        return
    if parent.type == "subscript" and _is(_field(parent, "value"), _up(env)):
        _emit(
            state, parent, _field(parent, "subscript"), "os.environ[]", Cls("crash", crash=parent)
        )
    elif parent.type == "attribute" and _is(_field(parent, "object"), _up(env)):
        method = text(_field(parent, "attribute"))
        call = parent.parent
        if call is None or call.type != "call" or method not in ("get", "setdefault", "pop"):
            return
        default = _arg(call, 1, "default")
        _emit(state, call, _arg(call, 0, "key"), f"os.environ.{method}", _base(default))
    elif parent.type == "comparison_operator" and parent.named_child_count == 2:
        ops = " ".join(text(c) for c in parent.children if not c.is_named)
        left = parent.named_children[0]
        if ops != "not in" or _is(_up(left), _up(env)):
            return
        test = parent  # `if "X" not in os.environ [or ...]: sys.exit(...)`
        while test.parent is not None and (
            test.parent.type == "parenthesized_expression"
            or (test.parent.type == "boolean_operator" and _operator(test.parent) == "or")
        ):
            test = test.parent
        stmt = test.parent
        if stmt is None or stmt.type not in ("if_statement", "elif_clause"):
            return
        crash = _crash_in(_field(stmt, "consequence"))
        if crash is not None and _is(_field(stmt, "condition"), test):
            cls = _try_guard(parent, Cls("crash", crash=crash))
            _emit_name(state, parent, left, "in os.environ", cls)


def _library_call(state: FileState, call: Node, api: str, first_param: str) -> None:
    func = _field(call, "function")
    method = (
        text(_field(func, "attribute")) if func is not None and func.type == "attribute" else ""
    )
    if method and method not in _LIB_METHODS:
        return
    _, keywords = _args(call)
    default = _arg(call, 1, "default")
    expected: ValueType = _LIB_METHOD_TYPES.get(method, "string")
    cast = keywords.get("cast")
    if cast is not None:
        expected = _TYPE_WORDS.get(text(cast).rpartition(".")[2], expected)
    if default is None:
        cls = Cls("crash", on_empty="empty" if expected == "string" else "crash", crash=call)
    else:
        on_empty: Missing = "empty" if expected == "string" else "crash"
        cls = Cls("default", on_empty=on_empty, default=text(default), crash=call)
    cls = replace(cls, type=expected)
    label = f"{api}.{method}" if method else api
    _emit(state, call, _arg(call, 0, first_param), label, cls, climb=False)


def _emit(
    state: FileState,
    read: Node,
    name_arg: Node | None,
    api: str,
    base: Cls,
    climb: bool = True,
) -> None:
    cls = _climb(read, base) if climb else _try_guard(read, base)
    _emit_name(state, read, name_arg, api, cls)


def _emit_name(state: FileState, read: Node, name_arg: Node | None, api: str, cls: Cls) -> None:
    name = _resolve(name_arg, state.consts)
    ctx = state.ctx
    record = env_read(ctx, read, api, cls)
    if name.kind == "param" and name.function is not None:
        function = name.function
        params = _params(function)
        default_param = None
        passed = _default_param_name(read)
        for index, (param, declared) in enumerate(params):
            if param != passed or index == name.param:
                continue
            default_param = index
            if record.missing == "default" and record.default == param:
                if declared is None or _strip(declared).type == "none":
                    record = replace(record, missing="empty", default=None)
                else:
                    record = replace(record, default=text(declared))
        state.helpers.append(
            Helper(
                name=_helper_name(function),
                kind="wrapper",
                location=location(ctx, _field(function, "name") or function),
                template=replace(record, via=",".join(p for p, _ in params)),
                name_param=name.param,
                default_param=default_param,
                is_method=_is_method(function),
            )
        )
    else:
        state.finish(record, name)


def _default_param_name(read: Node) -> str | None:
    """The identifier passed as the default argument of a read (``os.getenv(key, default)``)."""
    if read.type != "call":
        return None
    default = _arg(read, 1, "default")
    return text(default) if default is not None and default.type == "identifier" else None


def _call_site(state: FileState, call: Node, helper: Helper) -> None:
    template = helper.template
    assert template is not None
    params = (template.via or "").split(",")

    def param(index: int | None) -> str | None:
        return params[index] if index is not None and index < len(params) else None

    name_arg = _arg(call, helper.name_param, param(helper.name_param))
    base = Cls.of(template)
    if helper.default_param is not None:
        supplied = _arg(call, helper.default_param, param(helper.default_param))
        if supplied is not None and template.missing in ("empty", "default"):
            base = _base(supplied)
            base = replace(base, on_empty=template.on_empty, type=template.expected_type)
    record = call_site_read(state.ctx, call, helper, _climb(call, base))
    name = _resolve(name_arg, state.consts)
    if name.kind == "param" and name.function is not None:
        function = name.function
        fn_params = _params(function)
        state.helpers.append(
            Helper(
                name=_helper_name(function),
                kind="wrapper",
                location=location(state.ctx, _field(function, "name") or function),
                template=replace(record, via=",".join(p for p, _ in fn_params)),
                name_param=name.param,
                is_method=_is_method(function),
            )
        )
        return
    state.finish(record, name)


# --- pydantic-settings --------------------------------------------------------------------


def _settings_class(
    state: FileState,
    cls_node: Node,
    bases: set[str],
    configs: dict[str, tuple[str, bool, bool]],
) -> None:
    superclasses = _field(cls_node, "superclasses")
    names = [
        text(b).rpartition(".")[2] for b in (superclasses.named_children if superclasses else [])
    ]
    if not any(n == "BaseSettings" or n in bases for n in names):
        return
    class_name = text(_field(cls_node, "name"))
    bases.add(class_name)
    inherited = next((configs[n] for n in names if n in configs), ("", False, False))
    prefix, case_sensitive, ignore_empty = inherited
    body = _field(cls_node, "body")
    if body is None:
        return
    fields: list[Node] = []
    for stmt in body.named_children:
        if stmt.type == "class_definition" and text(_field(stmt, "name")) == "Config":
            for key, value in _config_items(_field(stmt, "body")):
                prefix, case_sensitive, ignore_empty = _apply_config(
                    key, value, (prefix, case_sensitive, ignore_empty)
                )
            continue
        if stmt.type != "expression_statement" or not stmt.named_child_count:
            continue
        assign = stmt.named_children[0]
        if assign.type != "assignment":
            continue
        left = _field(assign, "left")
        if left is None or left.type != "identifier":
            continue
        if text(left) == "model_config":
            for key, value in _dict_items(_field(assign, "right")):
                prefix, case_sensitive, ignore_empty = _apply_config(
                    key, value, (prefix, case_sensitive, ignore_empty)
                )
        elif _field(assign, "type") is not None:
            fields.append(assign)
    configs[class_name] = (prefix, case_sensitive, ignore_empty)
    for assign in fields:
        _settings_field(state, assign, prefix, case_sensitive, ignore_empty)


def _apply_config(key: str, value: Node, current: tuple[str, bool, bool]) -> tuple[str, bool, bool]:
    prefix, case_sensitive, ignore_empty = current
    if key == "env_prefix":
        prefix = _string_value(value) or ""
    elif key == "case_sensitive":
        case_sensitive = text(value) == "True"
    elif key == "env_ignore_empty":
        ignore_empty = text(value) == "True"
    return prefix, case_sensitive, ignore_empty


def _config_items(body: Node | None) -> Iterator[tuple[str, Node]]:
    for stmt in body.named_children if body else []:
        if stmt.type == "expression_statement" and stmt.named_child_count:
            assign = stmt.named_children[0]
            value = _field(assign, "right")
            if assign.type == "assignment" and value is not None:
                yield text(_field(assign, "left")), value


def _dict_items(node: Node | None) -> Iterator[tuple[str, Node]]:
    if node is None:
        return
    if node.type == "call":
        yield from _args(node)[1].items()
    elif node.type == "dictionary":
        for pair in node.named_children:
            item = _field(pair, "value")
            if pair.type == "pair" and item is not None:
                yield _string_value(_field(pair, "key")) or "", item


def _annotation_type(annotation: Node | None) -> tuple[ValueType, bool]:
    """The value type of an annotation and whether it is a ClassVar."""
    words = text(annotation).replace("[", " ").replace("]", " ").replace("|", " ").split()
    words = [w.rstrip(",").rpartition(".")[2] for w in words]
    if "ClassVar" in words:
        return "string", True
    for word in words:
        if word in _TYPE_WORDS:
            return _TYPE_WORDS[word], False
    return "string", False


def _settings_field(
    state: FileState, assign: Node, prefix: str, case_sensitive: bool, ignore_empty: bool
) -> None:
    field_name = text(_field(assign, "left"))
    if field_name.startswith("_"):
        return
    expected, class_var = _annotation_type(_field(assign, "type"))
    if class_var:
        return
    value = _field(assign, "right")
    default: Node | None = value
    env_name: str | None = None
    if (
        value is not None
        and value.type == "call"
        and text(_field(value, "function")).endswith("Field")
    ):
        positional, keywords = _args(value)
        default = keywords.get("default") or keywords.get("default_factory")
        if default is None and positional:
            default = positional[0]
        if default is not None and text(default) == "...":
            default = None
        for key in ("validation_alias", "alias"):
            alias = keywords.get(key)
            if alias is None:
                continue
            env_name = _string_value(alias)
            if env_name is None and alias.type == "call" and _args(alias)[0]:
                env_name = _string_value(_args(alias)[0][0])
            if env_name is not None:
                break
    name = env_name if env_name is not None else prefix + field_name
    if not case_sensitive:
        name = name.upper()
    on_empty: Missing = "empty" if expected == "string" else "crash"
    if default is not None and text(default) == "None":
        cls = Cls("empty", on_empty="empty" if ignore_empty else on_empty)
    elif default is None:
        cls = Cls("crash", on_empty="crash" if ignore_empty else on_empty, crash=assign)
    else:
        cls = Cls(
            "default",
            on_empty="default" if ignore_empty else on_empty,
            default=text(default),
            crash=assign,
        )
    record = env_read(state.ctx, assign, "pydantic-settings", replace(cls, type=expected))
    state.reads.append(replace(record, name=name))


ADAPTER = _Python()
