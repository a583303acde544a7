"""Go: ``os.Getenv`` / ``os.LookupEnv`` reads, wrappers, struct-tag libraries, viper.

Classification is by context (research/source-patterns.md A.1), never by function name:

* the holder variable of a read is followed through the statements after it: an ``if`` testing
  ``v == ""`` / ``len(v) == 0`` / ``!ok`` / ``err != nil`` (or the negations, with the
  missing path in ``else`` or after an early ``return``) decides ``missing`` / ``on_empty`` from
  what its branch does: a crash call (``panic``, ``os.Exit``, ``log.Fatal*``, ``x.Fatal*``,
  ``x.Panic*``, zerolog ``Fatal().Msg``) -> crash; an assignment or ``return v2`` -> default; a
  ``return ..., err`` -> the failure travels to the callers (crash when a caller exits on it);
  anything else (logging) -> empty;
* ``strconv.Atoi/ParseInt/ParseUint/ParseFloat/ParseBool`` and ``time.ParseDuration`` over the
  read (directly or through its holder) give the expected type; their error handling decides the
  class when no emptiness check did (they all fail on ""); ``cmp.Or(read, d)`` is a default;
* a function whose parameter flows into the read is a wrapper (helper resolved per package =
  directory); calls are classified at the call site on top of the wrapper's own class;
* ``const`` names resolve in the file, then in the package; ``a + "_B"`` with an unknown part is
  a pattern;
* kelseyhightower/envconfig and caarlos0/env struct tags (``envconfig:"X" required:"true"
  default:"d"``, ``env:"X,required,notEmpty" envDefault:"d"``) give reads at the field; the
  ``Process``/``Parse`` error is assumed fatal (as in practically all services);
* viper (best effort): ``BindEnv("key", "ENV"...)`` names, ``BindEnv("key")`` and
  ``AutomaticEnv`` + ``Get*("key")`` with a literal ``SetEnvPrefix`` in the same file; viper never
  crashes (missing -> zero value, or ``SetDefault`` -> default).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
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

    from envlint.model import Location
    from envlint.sources.model import Missing, ValueType

__all__ = ["ADAPTER", "block_statements", "parse_struct_tag"]

_CALLS = """
((call_expression
   function: (selector_expression operand: (identifier) @pkg field: (field_identifier) @fn)
   arguments: (argument_list)) @call
 (#any-of? @fn "Getenv" "LookupEnv"))
"""
_ANY_CALL = "(call_expression) @call"
_TAGGED_FIELDS = "(field_declaration tag: (_) @tag) @field"
_CONST_SPECS = "(const_spec) @spec"

_PARSE_TYPES: dict[tuple[str, str], ValueType] = {
    ("strconv", "Atoi"): "int",
    ("strconv", "ParseInt"): "int",
    ("strconv", "ParseUint"): "int",
    ("strconv", "ParseFloat"): "float",
    ("strconv", "ParseBool"): "bool",
    ("time", "ParseDuration"): "duration",
}
_FUNCS = frozenset({"function_declaration", "method_declaration", "func_literal"})
_SCAN_LIMIT = 60  # statements after a read that are searched for its checks


@dataclass
class _Class:
    """The evolving classification of one read (local to this module)."""

    missing: Missing = "empty"
    on_empty: Missing = "empty"
    default: str | None = None
    default_node: Node | None = None
    expected_type: ValueType = "string"
    crash: Node | None = None
    error: bool = False  # missing -> returned as error (resolved at the callers)
    empty_error: bool = False
    decided_missing: bool = False
    decided_empty: bool = False

    def apply(self, action: _Action, on_missing: bool, on_empty: bool) -> None:
        if on_missing and not self.decided_missing:
            self.decided_missing = True
            self.missing = _missing(action)
            self.error = action.kind == "error"
            if action.kind == "crash":
                self.crash = action.node
            if action.kind == "default":
                self.default_node = action.node
                self.default = text(action.node) if action.node is not None else None
        if on_empty and not self.decided_empty:
            self.decided_empty = True
            self.on_empty = _missing(action)
            self.empty_error = action.kind == "error"
            if action.kind == "crash" and self.crash is None:
                self.crash = action.node


@dataclass(frozen=True, slots=True)
class _Action:
    kind: Literal["crash", "default", "empty", "error"]
    node: Node | None = None


def _missing(action: _Action) -> Missing:
    return "empty" if action.kind == "error" else action.kind


@dataclass(frozen=True, slots=True)
class _Test:
    on_missing: bool
    on_empty: bool
    negated: bool  # the branch runs when the value is present


@dataclass
class _File:
    """Per-file lookup tables."""

    ctx: FileContext
    aliases: dict[str, str]  # local package name -> import path
    consts: dict[str, str]
    helpers: Mapping[str, Helper] = field(default_factory=dict)

    def pkg(self, local: str) -> str | None:
        return self.aliases.get(local)


# --- small node helpers ---------------------------------------------------------------------


def _string_value(node: Node | None) -> str | None:
    if node is None:
        return None
    if node.type == "interpreted_string_literal":
        return text(node)[1:-1]
    if node.type == "raw_string_literal":
        return text(node)[1:-1]
    return None


def _strip_parens(node: Node) -> Node:
    while node.type == "parenthesized_expression" and node.named_child_count == 1:
        inner = node.named_children[0]
        node = inner
    return node


def _climb(node: Node) -> Node:
    while node.parent is not None and node.parent.type == "parenthesized_expression":
        node = node.parent
    return node


def _args(call: Node) -> list[Node]:
    args = call.child_by_field_name("arguments")
    return [] if args is None else [a for a in args.named_children if a.type != "comment"]


def _enclosing_function(node: Node) -> Node | None:
    parent = node.parent
    while parent is not None:
        if parent.type in _FUNCS:
            return parent
        parent = parent.parent
    return None


def _params(func: Node) -> list[str]:
    plist = func.child_by_field_name("parameters")
    names: list[str] = []
    if plist is None:
        return names
    for decl in plist.named_children:
        if decl.type in ("parameter_declaration", "variadic_parameter_declaration"):
            idents = decl.children_by_field_name("name")
            names.extend(text(i) for i in idents) if idents else names.append("_")
    return names


def _returns_error(func: Node | None) -> bool:
    if func is None:
        return False
    result = func.child_by_field_name("result")
    if result is None:
        return False
    if result.type == "parameter_list":
        decls = [d for d in result.named_children if d.type == "parameter_declaration"]
        last = decls[-1].child_by_field_name("type") if decls else None
        return last is not None and text(last) == "error"
    return text(result) == "error"


def _func_name(func: Node) -> str | None:
    name = func.child_by_field_name("name")
    return text(name) if name is not None else None


def block_statements(block: Node | None) -> list[Node]:
    """Statements of a block / case body without comments (grammar 0.25 wraps them in a
    ``statement_list``); shared with the ordering extractor."""
    if block is None:
        return []
    out: list[Node] = []
    for child in block.named_children:
        if child.type == "statement_list":
            out.extend(c for c in child.named_children if c.type != "comment")
        elif child.type != "comment":
            out.append(child)
    return out


def _walk(node: Node) -> Iterator[Node]:
    """Descendants in source order, not entering closures."""
    for child in node.named_children:
        yield child
        if child.type != "func_literal":
            yield from _walk(child)


def _callee(call: Node) -> tuple[str | None, str]:
    """(operand text or None, function/field name) of a call."""
    fn = call.child_by_field_name("function")
    if fn is None:
        return None, ""
    if fn.type == "identifier":
        return None, text(fn)
    if fn.type == "selector_expression":
        operand = fn.child_by_field_name("operand")
        fld = fn.child_by_field_name("field")
        return (text(operand) if operand is not None else None), text(fld)
    return None, text(fn)


def _is_crash(call: Node, f: _File) -> bool:
    operand, name = _callee(call)
    if operand is None:
        return name == "panic"
    if name == "Exit" and f.pkg(operand) == "os":
        return True
    if name.startswith(("Fatal", "Panic")):
        return True
    if name in ("Msg", "Msgf", "Send"):  # zerolog: log.Fatal().Msg(...)
        fn = call.child_by_field_name("function")
        inner = fn.child_by_field_name("operand") if fn is not None else None
        if inner is not None and inner.type == "call_expression":
            return _callee(inner)[1] in ("Fatal", "Panic")
    return False


def _find_crash(node: Node, f: _File) -> Node | None:
    for sub in _walk(node):
        if sub.type == "call_expression" and _is_crash(sub, f):
            return sub
    return None


def _action(block: Node | None, holders: frozenset[str], func: Node | None, f: _File) -> _Action:
    """What a branch does on the missing path."""
    if block is None:
        return _Action("empty")
    crash = _find_crash(block, f)
    if crash is not None:
        return _Action("crash", crash)
    stmts = block_statements(block) if block.type == "block" else [block]
    for stmt in stmts:
        if stmt.type == "return_statement":
            exprs = stmt.named_children[0].named_children if stmt.named_child_count else []
            if _returns_error(func) and exprs and text(exprs[-1]) != "nil":
                return _Action("error")
            if exprs and text(exprs[0]) not in holders:
                return _Action("default", exprs[0])
            return _Action("empty")
        if stmt.type == "assignment_statement":
            left = stmt.child_by_field_name("left")
            right = stmt.child_by_field_name("right")
            names = [text(n) for n in left.named_children] if left is not None else []
            if right is not None and right.named_child_count and any(n in holders for n in names):
                return _Action("default", right.named_children[0])
    return _Action("empty")


def _atomic_test(cond: Node, value: str | None, ok: str | None, err: str | None) -> _Test | None:
    cond = _strip_parens(cond)
    if cond.type == "unary_expression":
        operand = cond.child_by_field_name("operand")
        if operand is not None and ok is not None and text(operand) == ok:
            return _Test(True, False, False)
        return None
    if cond.type == "identifier" and ok is not None and text(cond) == ok:
        return _Test(True, False, True)
    if cond.type != "binary_expression":
        return None
    op = text(cond.child_by_field_name("operator"))
    left = cond.child_by_field_name("left")
    right = cond.child_by_field_name("right")
    if left is None or right is None:
        return None
    sides = {text(left), text(right)}
    if value is not None and (value in sides and '""' in sides):
        return _Test(True, True, op == "!=") if op in ("==", "!=") else None
    if value is not None and left.type == "call_expression" and _callee(left) == (None, "len"):
        args = _args(left)
        if args and text(args[0]) == value and text(right) == "0" and op in ("==", "<=", ">"):
            return _Test(True, True, op == ">")
    if ok is not None and ok in sides and sides & {"false", "true"}:
        positive = (op == "==") == ("false" in sides)
        return _Test(True, False, not positive)
    if err is not None and err in sides and "nil" in sides and op in ("==", "!="):
        return _Test(True, True, op == "==")
    return None


def _test(cond: Node, value: str | None, ok: str | None, err: str | None) -> _Test | None:
    cond = _strip_parens(cond)
    if cond.type == "binary_expression" and text(cond.child_by_field_name("operator")) == "||":
        parts = [cond.child_by_field_name("left"), cond.child_by_field_name("right")]
        tests = [_test(p, value, ok, err) for p in parts if p is not None]
        found = [t for t in tests if t is not None and not t.negated]
        if not found:
            return None
        return _Test(any(t.on_missing for t in found), any(t.on_empty for t in found), False)
    return _atomic_test(cond, value, ok, err)


def _apply_if(
    cls: _Class,
    stmt: Node,
    holders: tuple[str | None, str | None, str | None],
    func: Node | None,
    f: _File,
) -> bool:
    """Apply an ``if`` that tests the holders; True if it was about them."""
    cond = stmt.child_by_field_name("condition")
    if cond is None:
        return False
    value, ok, err = holders
    test = _test(cond, value, ok, err)
    if test is None:
        return False
    names = frozenset(n for n in holders if n)
    if not test.negated:
        action = _action(stmt.child_by_field_name("consequence"), names, func, f)
    else:
        alternative = stmt.child_by_field_name("alternative")
        if alternative is not None:
            action = _action(alternative, names, func, f)
        else:
            consequence = block_statements(stmt.child_by_field_name("consequence"))
            after = stmt.next_named_sibling
            if consequence and consequence[-1].type == "return_statement" and after is not None:
                action = _action(after, names, func, f)
            else:
                action = _Action("empty")
    cls.apply(action, test.on_missing, test.on_empty)
    return True


def _apply_condition(
    cls: _Class, node: Node, value: str | None, func: Node | None, f: _File, err: str | None = None
) -> None:
    """``node`` is part of an ``if`` condition (``os.Getenv("X") == ""``): apply that ``if``."""
    top = node
    while top.parent is not None and top.parent.type in (
        "binary_expression",
        "parenthesized_expression",
        "unary_expression",
    ):
        top = top.parent
    stmt = top.parent
    if (
        stmt is not None
        and stmt.type == "if_statement"
        and stmt.child_by_field_name("condition") == top
    ):
        _apply_if(cls, stmt, (value, None, err), func, f)


def _holder_statement(expr: Node) -> tuple[Node, list[str], int] | None:
    """For an expression on the right of ``:=``/``=``/``var``: (statement, left names, index)."""
    parent = expr.parent
    if parent is None or parent.type != "expression_list":
        return None
    stmt = parent.parent
    if stmt is None:
        return None
    if stmt.type in ("short_var_declaration", "assignment_statement"):
        if stmt.child_by_field_name("right") != parent:
            return None
        left = stmt.child_by_field_name("left")
        names = [text(n) for n in left.named_children] if left is not None else []
    elif stmt.type == "var_spec":
        names = [text(n) for n in stmt.children_by_field_name("name")]
        spec_parent = stmt.parent
        stmt = spec_parent if spec_parent is not None else stmt
        if stmt.type == "var_spec_list" and stmt.parent is not None:
            stmt = stmt.parent
    else:
        return None
    index = parent.named_children.index(expr) if expr in parent.named_children else 0
    return stmt, names, index


def _following(stmt: Node) -> Iterator[Node]:
    """The statement (if it is an if-initializer, its if) and the statements after it."""
    parent = stmt.parent
    if (
        parent is not None
        and parent.type == "if_statement"
        and parent.child_by_field_name("initializer") == stmt
    ):
        yield parent
        stmt = parent
    sibling = stmt.next_named_sibling
    count = 0
    while sibling is not None and count < _SCAN_LIMIT:
        if sibling.type != "comment":
            yield sibling
            count += 1
        sibling = sibling.next_named_sibling


def _parse_type(call: Node, f: _File) -> ValueType | None:
    operand, name = _callee(call)
    if operand is None:
        return None
    pkg = f.pkg(operand)
    return _PARSE_TYPES.get((pkg, name)) if pkg is not None else None


def _classify(expr: Node, f: _File, cls: _Class, kind: str, func: Node | None) -> None:
    """Classify the value expression ``expr``: kind "value" (a string that is "" when missing),
    "lookup" (string, ok) or "result" (value, err: the error covers missing and empty)."""
    node = _climb(expr)
    parent = node.parent
    if parent is None:
        return
    if parent.type == "argument_list" and parent.parent is not None and kind != "result":
        outer = parent.parent
        ptype = _parse_type(outer, f)
        if ptype is not None:
            cls.expected_type = ptype
            _classify(outer, f, cls, "result", func)
            return
        operand, name = _callee(outer)
        if (operand, name) == (None, "len") and kind == "value":  # len(os.Getenv("X")) == 0
            _apply_condition(cls, _climb(outer), text(node), func, f)
            return
        if operand is not None and f.pkg(operand) == "cmp" and name == "Or":
            others = [a for a in _args(outer) if a != node]
            if others:
                cls.apply(_Action("default", others[-1]), True, True)
            return
        return
    if parent.type == "binary_expression" and kind in ("value", "result"):
        tested = text(node)
        if kind == "value":
            _apply_condition(cls, node, tested, func, f)
        else:
            _apply_condition(cls, node, None, func, f, err=tested)
        return
    held = _holder_statement(node)
    if held is None:
        return
    stmt, names, index = held
    if kind == "lookup" and index == 0 and len(names) >= 2:
        holders: tuple[str | None, str | None, str | None] = (names[0], names[1], None)
    elif kind == "result":
        err_name = names[-1] if names else None
        value_name = names[0] if len(names) >= 2 and names[0] != "_" else None
        holders = (value_name, None, err_name if err_name != "_" else None)
        if err_name is None or err_name == "_":
            cls.apply(_Action("empty"), True, True)  # error ignored: zero value
            return
    else:
        holders = (names[index] if index < len(names) else None, None, None)
    for later in _following(stmt):
        if later.type == "if_statement":
            _apply_if(cls, later, holders, func, f)
        value = holders[0]
        if value is not None and kind != "result":
            for sub in (later, *_walk(later)):
                if sub.type != "call_expression":
                    continue
                ptype = _parse_type(sub, f)
                args = _args(sub)
                if ptype is not None and args and text(args[0]) == value:
                    cls.expected_type = ptype
                    sub_cls = _Class()
                    _classify(sub, f, sub_cls, "result", func)
                    _merge_parse(cls, sub_cls, kind)
                    break
        if cls.decided_missing and cls.decided_empty:
            return


def _merge_parse(cls: _Class, parsed: _Class, kind: str) -> None:
    """A later parse of the holder: "" fails to parse, so undecided paths follow its handling."""
    kind_of: dict[Missing, Literal["crash", "default", "empty"]] = {
        "crash": "crash",
        "default": "default",
    }
    action = _Action(
        "error" if parsed.error else kind_of.get(parsed.missing, "empty"),
        parsed.crash if parsed.missing == "crash" else parsed.default_node,
    )
    cls.apply(action, kind == "value", True)


# --- names ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Name:
    value: str | None = None  # final name (literal or resolved)
    pattern: bool = False
    param: int | None = None  # wrapper parameter index
    const: str | None = None  # resolve through the package's constants
    prefix: str = ""
    suffix: str = ""
    closure: bool = False


def _name_of(arg: Node, f: _File, func: Node | None) -> _Name:
    arg = _strip_parens(arg)
    literal = _string_value(arg)
    if literal is not None:
        return _Name(literal)
    if arg.type == "identifier":
        ident = text(arg)
        if func is not None:
            params = _params(func)
            if ident in params:
                if func.type == "func_literal":
                    return _Name(closure=True)
                return _Name(param=params.index(ident))
        if ident in f.consts:
            return _Name(f.consts[ident])
        return _Name(const=ident)
    if arg.type == "binary_expression" and text(arg.child_by_field_name("operator")) == "+":
        parts: list[str | None] = []
        unknown: list[str] = []
        stack = [arg]
        flat: list[Node] = []
        while stack:
            node = _strip_parens(stack.pop())
            if (
                node.type == "binary_expression"
                and text(node.child_by_field_name("operator")) == "+"
            ):
                right = node.child_by_field_name("right")
                left = node.child_by_field_name("left")
                stack.extend(n for n in (right, left) if n is not None)
            else:
                flat.append(node)
        for part in flat:
            value = _string_value(part)
            if value is None and part.type == "identifier" and text(part) in f.consts:
                value = f.consts[text(part)]
            parts.append(value)
            if value is None:
                unknown.append(text(part))
        if not unknown:
            return _Name("".join(p or "" for p in parts))
        if len(unknown) == 1 and flat[parts.index(None)].type == "identifier":
            at = parts.index(None)
            ident = unknown[0]
            params = _params(func) if func is not None else []
            if ident not in params:
                prefix = "".join(p or "" for p in parts[:at])
                suffix = "".join(p or "" for p in parts[at + 1 :])
                return _Name(const=ident, prefix=prefix, suffix=suffix)
        return _Name("".join(p if p is not None else "*" for p in parts), pattern=True)
    return _Name()


# --- the adapter ----------------------------------------------------------------------------


def _imports(root: Node) -> dict[str, str]:
    aliases: dict[str, str] = {}
    for decl in root.named_children:
        if decl.type != "import_declaration":
            continue
        specs = [s for s in _walk(decl) if s.type == "import_spec"]
        for spec in specs:
            path = _string_value(spec.child_by_field_name("path")) or ""
            alias = spec.child_by_field_name("name")
            local = text(alias) if alias is not None else path.rsplit("/", 1)[-1]
            if local in ("_", "."):
                continue
            if local.startswith("v") and local[1:].isdigit() and "/" in path:
                local = path.rsplit("/", 2)[-2]  # github.com/caarlos0/env/v11 -> env
            aliases[local] = path
    return aliases


def _constants(root: Node) -> tuple[dict[str, str], dict[str, str]]:
    """(every string const of the file, top-level ones)."""
    every: dict[str, str] = {}
    top: dict[str, str] = {}
    for _, caps in matches(compile_query("go", _CONST_SPECS), root):
        node = caps["spec"][0]
        names = node.children_by_field_name("name")
        value = node.child_by_field_name("value")
        values = value.named_children if value is not None else []
        for name_node, value_node in zip(names, values, strict=False):
            literal = _string_value(value_node)
            if literal is None:
                continue
            every[text(name_node)] = literal
            if _enclosing_function(node) is None:
                top[text(name_node)] = literal
    return every, top


def _read(f: _File, node: Node, name: str, api: str, cls: _Class, pattern: bool = False) -> EnvRead:
    return EnvRead(
        name=name,
        location=location(f.ctx, node),
        language="go",
        api=api,
        missing=cls.missing,
        on_empty=cls.on_empty,
        default=cls.default if cls.missing == "default" else None,
        expected_type=cls.expected_type,
        is_pattern=pattern,
        crash_location=location(f.ctx, cls.crash) if cls.crash is not None else None,
    )


class _GoAdapter:
    languages = frozenset({"go"})
    needles = (b"Getenv", b"LookupEnv", b"envconfig:", b'env:"', b"viper")

    def scope(self, path: str) -> str:
        return path.rpartition("/")[0]

    def _file(self, ctx: FileContext) -> tuple[_File, dict[str, str]]:
        every, top = _constants(ctx.root)
        return _File(ctx, _imports(ctx.root), every), top

    def scan(self, ctx: FileContext) -> FileScan:
        f, top = self._file(ctx)
        reads: list[EnvRead] = []
        helpers: list[Helper] = []
        pending: list[Pending] = []
        dynamic = 0
        query = compile_query("go", _CALLS)
        for _, caps in matches(query, ctx.root):
            call = caps["call"][0]
            pkg = text(caps["pkg"][0])
            if f.pkg(pkg) != "os":
                continue
            fn = text(caps["fn"][0])
            args = _args(call)
            if not args:
                continue
            func = _enclosing_function(call)
            name = _name_of(args[0], f, func)
            cls = _Class()
            _classify(call, f, cls, "lookup" if fn == "LookupEnv" else "value", func)
            api = f"os.{fn}"
            if name.closure or (name.value is None and name.const is None and name.param is None):
                dynamic += 1
                continue
            if name.param is not None and func is not None:
                helpers.append(self._wrapper(f, func, call, name.param, cls, api))
                continue
            read = _read(f, call, name.value or "", api, cls, name.pattern)
            enclosing = _func_name(func) if func is not None else None
            if cls.error and enclosing is not None and func is not None:
                helpers.append(Helper(enclosing, "error", location(ctx, func)))
                pending.append(
                    Pending(
                        read,
                        name.const,
                        enclosing,
                        cls.empty_error,
                        name.prefix,
                        name.suffix,
                    )
                )
            elif name.const is not None:
                pending.append(Pending(read, name.const, None, False, name.prefix, name.suffix))
            else:
                reads.append(read)
        reads.extend(_struct_tag_reads(f))
        reads.extend(_viper_reads(f))
        return FileScan(
            reads=tuple(reads),
            helpers=tuple(helpers),
            pending=tuple(pending),
            constants=MappingProxyType(top),
            dynamic=dynamic,
        )

    def _wrapper(
        self, f: _File, func: Node, call: Node, param: int, cls: _Class, api: str
    ) -> Helper:
        params = _params(func)
        default_param = None
        if cls.missing == "default" and cls.default in params:
            default_param = params.index(cls.default or "")
        template = replace(_read(f, call, "", api, cls), via=_func_name(func))
        if cls.error:  # the callers decide: "unknown" marks the paths that return the error
            template = replace(
                template,
                missing="unknown",
                on_empty="unknown" if cls.empty_error else template.on_empty,
            )
        return Helper(
            name=_func_name(func) or "",
            kind="wrapper",
            location=location(f.ctx, func),
            template=template,
            name_param=param,
            default_param=default_param,
            is_method=func.type == "method_declaration",
            returns_error=cls.error,
        )

    def scan_calls(self, ctx: FileContext, helpers: Mapping[str, Helper]) -> FileScan:
        f, _ = self._file(ctx)
        reads: list[EnvRead] = []
        new_helpers: list[Helper] = []
        exits: list[tuple[str, Location]] = []
        dynamic = 0
        for _, caps in matches(compile_query("go", _ANY_CALL), ctx.root):
            call = caps["call"][0]
            operand, callee = _callee(call)
            helper = helpers.get(callee)
            if helper is None or (operand is not None and not helper.is_method):
                continue
            func = _enclosing_function(call)
            if helper.kind == "error":
                cls = _Class()
                _classify(call, f, cls, "result", func)
                if cls.missing == "crash" and cls.crash is not None:
                    exits.append((helper.name, location(ctx, cls.crash)))
                elif _find_crash_around(call, f) is not None:
                    crash = _find_crash_around(call, f)
                    assert crash is not None
                    exits.append((helper.name, location(ctx, crash)))
                continue
            template = helper.template
            args = _args(call)
            if template is None or helper.name_param >= len(args):
                continue
            name = _name_of(args[helper.name_param], f, func)
            cls = _Class()
            _classify(call, f, cls, "result" if helper.returns_error else "value", func)
            read = _combine(f, call, template, helper, cls, args)
            if name.param is not None and func is not None and not name.closure:
                outer = self._wrapper(f, func, call, name.param, _as_class(read), read.api)
                template = replace(outer.template or read, crash_location=read.crash_location)
                new_helpers.append(replace(outer, template=template))
                continue
            if name.const is not None:
                resolved = f.consts.get(name.const)
                if resolved is None:
                    dynamic += 1
                    continue
                name = _Name(name.prefix + resolved + name.suffix)
            if name.value is None:
                dynamic += 1
                continue
            reads.append(replace(read, name=name.value, is_pattern=name.pattern))
        return FileScan(
            reads=tuple(reads),
            helpers=tuple(new_helpers),
            exits=tuple(exits),
            dynamic=dynamic,
        )


def _find_crash_around(call: Node, f: _File) -> Node | None:
    """``log.Fatal(f())`` style: the call is an argument of a crash call."""
    node = _climb(call)
    parent = node.parent
    if parent is not None and parent.type == "argument_list" and parent.parent is not None:
        outer = parent.parent
        if outer.type == "call_expression" and _is_crash(outer, f):
            return outer
    return None


def _as_class(read: EnvRead) -> _Class:
    cls = _Class(
        missing=read.missing,
        on_empty=read.on_empty,
        default=read.default,
        expected_type=read.expected_type,
    )
    return cls


def _combine(
    f: _File, call: Node, template: EnvRead, helper: Helper, site: _Class, args: list[Node]
) -> EnvRead:
    """The read at a wrapper call site: the wrapper's own class, refined by the call site."""
    missing: Missing = template.missing
    on_empty: Missing = template.on_empty
    default = template.default
    crash = template.crash_location
    if helper.default_param is not None and helper.default_param < len(args):
        default = text(args[helper.default_param])
    if helper.returns_error or (missing not in ("crash", "default") and site.decided_missing):
        missing = site.missing
        default = site.default if missing == "default" else default
        if site.crash is not None:
            crash = location(f.ctx, site.crash)
    site_decides_empty = on_empty == "unknown" if helper.returns_error else True
    if on_empty not in ("crash", "default") and site.decided_empty and site_decides_empty:
        on_empty = site.on_empty
        if site.crash is not None and crash is None:
            crash = location(f.ctx, site.crash)
    expected = site.expected_type if site.expected_type != "string" else template.expected_type
    if missing == "crash" and crash is None:
        crash = template.crash_location
    return replace(
        template,
        location=location(f.ctx, call),
        missing=missing,
        on_empty=on_empty,
        default=default if missing == "default" else None,
        expected_type=expected,
        crash_location=crash if "crash" in (missing, on_empty) else None,
        via=helper.name,
        api=template.api,
    )


# --- struct tags ----------------------------------------------------------------------------


def parse_struct_tag(tag: str) -> dict[str, str]:
    """Go's ``reflect.StructTag`` grammar: ``key:"quoted value" key2:"..."`` (strconv.Unquote
    for the value; a malformed tag ends the parse, like ``StructTag.Lookup``)."""
    out: dict[str, str] = {}
    i = 0
    while i < len(tag):
        while i < len(tag) and tag[i] == " ":
            i += 1
        start = i
        while i < len(tag) and tag[i] > " " and tag[i] not in ':"' and tag[i] != "\x7f":
            i += 1
        if i == start or i + 1 >= len(tag) or tag[i] != ":" or tag[i + 1] != '"':
            break
        key = tag[start:i]
        i += 2
        value_start = i
        while i < len(tag) and tag[i] != '"':
            if tag[i] == "\\":
                i += 1
            i += 1
        if i >= len(tag):
            break
        raw = tag[value_start:i]
        out.setdefault(key, raw.replace('\\"', '"').replace("\\\\", "\\"))
        i += 1
    return out


_TYPE_OF_GO = {
    "bool": "bool",
    "float32": "float",
    "float64": "float",
    "time.Duration": "duration",
}


def _field_type(type_text: str) -> ValueType:
    base = type_text.lstrip("*")
    if base in _TYPE_OF_GO:
        return _TYPE_OF_GO[base]  # type: ignore[return-value]
    if base.startswith(("int", "uint")) and base.rstrip("0123456789") in ("int", "uint"):
        return "int"
    return "string"


def _struct_tag_reads(f: _File) -> list[EnvRead]:
    paths = set(f.aliases.values())
    kelsey = any(p.endswith("kelseyhightower/envconfig") for p in paths)
    caarlos = any("caarlos0/env" in p for p in paths)
    source = f.ctx.source
    if not (b'envconfig:"' in source or b'env:"' in source):
        return []
    prefix = _envconfig_prefix(f) if kelsey else ""
    reads: list[EnvRead] = []
    for _, caps in matches(compile_query("go", _TAGGED_FIELDS), f.ctx.root):
        fld = caps["field"][0]
        tags = parse_struct_tag(text(caps["tag"][0])[1:-1])
        type_node = fld.child_by_field_name("type")
        ftype = _field_type(text(type_node)) if type_node is not None else "string"
        names = [text(n) for n in fld.children_by_field_name("name")]
        explicit = "envconfig" in tags or (
            kelsey and bool(tags.keys() & {"default", "required", "split_words"})
        )
        if explicit and names and tags.get("ignored") != "true":
            reads.append(_kelsey_read(f, fld, tags, ftype, names[0], prefix))
        elif "env" in tags and (caarlos or not kelsey):
            read = _caarlos_read(f, fld, tags, ftype)
            if read is not None:
                reads.append(read)
    return reads


def _envconfig_prefix(f: _File) -> str:
    prefixes = set()
    for _, caps in matches(compile_query("go", _ANY_CALL), f.ctx.root):
        call = caps["call"][0]
        operand, name = _callee(call)
        if operand is None or name not in ("Process", "MustProcess"):
            continue
        if not (f.pkg(operand) or "").endswith("envconfig"):
            continue
        args = _args(call)
        prefixes.add(_string_value(args[0]) if args else None)
    return next(iter(prefixes)) or "" if len(prefixes) == 1 else ""


def _split_words(name: str) -> str:
    out: list[str] = []
    for i, ch in enumerate(name):
        if (
            i
            and ch.isupper()
            and (not name[i - 1].isupper() or (i + 1 < len(name) and name[i + 1].islower()))
        ):
            out.append("_")
        out.append(ch)
    return "".join(out)


def _kelsey_read(
    f: _File, fld: Node, tags: dict[str, str], ftype: ValueType, fname: str, prefix: str
) -> EnvRead:
    key = tags.get("envconfig") or (
        _split_words(fname) if tags.get("split_words") == "true" else fname
    )
    name = (f"{prefix}_{key}" if prefix else key).upper()
    default = tags.get("default") or None
    required = tags.get("required") == "true"
    missing: Missing = "default" if default else ("crash" if required else "empty")
    on_empty: Missing = "crash" if ftype != "string" else "empty"  # "" is kept, then parsed
    return EnvRead(
        name=name,
        location=location(f.ctx, fld),
        language="go",
        api="envconfig",
        missing=missing,
        on_empty=on_empty,
        default=default,
        expected_type=ftype,
        crash_location=location(f.ctx, fld) if "crash" in (missing, on_empty) else None,
    )


def _caarlos_read(f: _File, fld: Node, tags: dict[str, str], ftype: ValueType) -> EnvRead | None:
    name, *options = tags["env"].split(",")
    if not name or name == "-":
        return None
    default = tags.get("envDefault")
    not_empty = "notEmpty" in options
    missing: Missing = (
        "default"
        if default is not None
        else ("crash" if "required" in options or not_empty else "empty")
    )
    on_empty: Missing = "default" if default is not None else ("crash" if not_empty else "empty")
    return EnvRead(
        name=name,
        location=location(f.ctx, fld),
        language="go",
        api="caarlos0/env",
        missing=missing,
        on_empty=on_empty,
        default=default,
        expected_type=ftype,
        crash_location=location(f.ctx, fld) if "crash" in (missing, on_empty) else None,
    )


# --- viper ----------------------------------------------------------------------------------

_VIPER_TYPES: dict[str, ValueType] = {
    "GetInt": "int",
    "GetInt32": "int",
    "GetInt64": "int",
    "GetUint": "int",
    "GetFloat64": "float",
    "GetBool": "bool",
}


def _viper_reads(f: _File) -> list[EnvRead]:
    if b"viper" not in f.ctx.source:
        return []
    calls: list[tuple[Node, str, list[Node]]] = []
    for _, caps in matches(compile_query("go", _ANY_CALL), f.ctx.root):
        call = caps["call"][0]
        operand, name = _callee(call)
        if operand is not None:
            calls.append((call, name, _args(call)))
    prefix = ""
    automatic = replacer = False
    defaults: dict[str, str] = {}
    for _, name, args in calls:
        if name == "SetEnvPrefix" and args:
            prefix = _string_value(args[0]) or ""
        automatic |= name == "AutomaticEnv"
        replacer |= name == "SetEnvKeyReplacer"
        if name == "SetDefault" and len(args) == 2:
            key = _string_value(args[0])
            if key is not None:
                defaults[key.lower()] = text(args[1])

    def env_name(key: str) -> str:
        full = f"{prefix}_{key}" if prefix else key
        return (full.replace(".", "_") if replacer else full).upper()

    reads: list[EnvRead] = []
    for call, name, args in calls:
        keys = [_string_value(a) for a in args]
        if name == "BindEnv" and keys and keys[0] is not None:
            key = keys[0]
            envs = [k for k in keys[1:] if k] or [env_name(key)]
            for env in envs:
                reads.append(_viper_read(f, call, env, defaults.get(key.lower()), "string"))
        elif automatic and name.startswith("Get") and len(keys) == 1 and keys[0]:
            ftype = _VIPER_TYPES.get(name, "string")
            key = keys[0]
            reads.append(_viper_read(f, call, env_name(key), defaults.get(key.lower()), ftype))
    return reads


def _viper_read(f: _File, call: Node, name: str, default: str | None, ftype: ValueType) -> EnvRead:
    return EnvRead(
        name=name,
        location=location(f.ctx, call),
        language="go",
        api="viper",
        missing="default" if default is not None else "empty",
        on_empty="default" if default is not None else "empty",
        default=default,
        expected_type=ftype,
    )


ADAPTER = _GoAdapter()
