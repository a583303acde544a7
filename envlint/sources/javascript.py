"""JavaScript / TypeScript / TSX (research/source-patterns.md A.4).  The forms are roles in
``queries/javascript.scm`` (TypeScript parameter lists in ``javascript-ts.scm``, ``env.X`` after
``const env = process.env`` in ``javascript-holders.scm``).  This module keys wrappers and their
call sites, and reads the fields of envalid ``cleanEnv(env, spec)``, zod ``schema.parse(env)`` and
Joi ``schema.validate(env)`` where ``env`` is ``process.env`` or a filtered copy of it (#12 item
13; Joi: blind 13c).

envalid ``devDefault`` applies only when NODE_ENV is set and is not ``production`` (envalid 8;
envalid 7 also uses it when NODE_ENV is unset).  A field whose only fallback is a
``devDefault`` is therefore read as "unknown" here, with ``EnvRead.dev_default`` and the
``cleanEnv`` call as its crash location: the file does not say which NODE_ENV its process has.
The pipeline decides per service from the NODE_ENV it gets (``node_env`` in
:mod:`envlint.pipeline`).  A ``default`` beside the ``devDefault`` always decides (it is the
production value).  A schema's own ``NODE_ENV`` field is never a crash (:func:`_read`): the
tooling that starts a Node process commonly sets it (``cross-env NODE_ENV=..`` in a package.json
script, jest, a pm2 ecosystem file's ``env``, the Next and Nest CLIs), in ways envlint does not
follow.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TYPE_CHECKING

from envlint.filepass.roles import Match
from envlint.sources.classify import Cls, Grammar, env_read, uncertain
from envlint.sources.keys import Keys
from envlint.sources.role_adapter import FileRoles, RoleAdapter, Spec

if TYPE_CHECKING:
    from tree_sitter import Node

    from envlint.sources.model import EnvRead, Missing, ValueType

__all__ = ["ADAPTER"]

GRAMMAR = Grammar(
    language="javascript",
    transparent=frozenset(
        {"parenthesized_expression", "non_null_expression", "as_expression", "satisfies_expression"}
    ),
    typed=frozenset({"as_expression", "satisfies_expression"}),  # `v as T`: v
    functions=frozenset(
        {"function_declaration", "generator_function_declaration", "method_definition"}
        | {"arrow_function", "function_expression", "generator_function", "class_body"}
    ),
    blocks=frozenset({"program", "statement_block"}),
    scan_limit=12,
    truthy=True,  # `!v` and `if (v)` are false for undefined and ""
    nulls=frozenset({"undefined", "null"}),
    name_types=frozenset({"property_identifier", "shorthand_property_identifier_pattern"}),
    optional_args=True,
    safe_chains=True,  # `v?.trim().replace(a, b)` is undefined when v is
)
_ENV_OBJECTS = frozenset({"process.env", "Bun.env", "import.meta.env"})
_CHAIN = frozenset({"call_expression", "member_expression"})
# what a call may take besides the environment and still hand on (only) its keys
_INERT = frozenset({"arrow_function", "function_expression", "string", "number", "array"})
# schema words (zod methods, envalid validators) that set a field's type, by precedence
_TYPES: Mapping[str, ValueType] = MappingProxyType({
    "number": "float", "bigint": "float", "num": "float", "port": "int", "boolean": "bool",
    "stringbool": "bool", "bool": "bool", "url": "url",
})
_ENVALID = ("default", "devDefault")  # envalid options that set a fallback
_NONEMPTY = frozenset({"min", "nonempty", "url", "enum"})  # a string field that rejects ""
# what a field does when the variable is missing (the outermost zod method decides)
_OUTCOMES: Mapping[str, Missing] = MappingProxyType({
    "default": "default", "prefault": "default", "catch": "default", "optional": "empty",
    "nullish": "empty",
    "devDefault": "crash",  # in production; see the module doc and EnvRead.dev_default
})


# `f()`, `mod.f()`: `f`; `this.f()`, `new C().f()`, `C.f()`, `c.f()` (with `c = new C()` in the
# file): `C.f`; a method is `Class.name`, in a named class only
_KEYS = Keys(
    methods=frozenset({"method_definition"}),
    functions=GRAMMAR.functions - {"method_definition", "class_body"},
    classes=frozenset({"class_declaration", "class", "abstract_class_declaration"}),
    owned=True,
    selves=frozenset({"this"}),
    created={"new_expression": "constructor"},
    variables=frozenset({"identifier"}),
    named=frozenset(),
    transparent=GRAMMAR.transparent,
)


# --- envalid, zod and Joi over the environment or a copy of it ----------------------------


@dataclass(frozen=True)
class _View:
    """How a library call sees the environment: ``filtered`` through a call (a ``""`` may be
    dropped or changed), keys an object literal sets ``before`` the spread (defaults) or
    ``after`` it (not from the environment)."""

    filtered: bool = False
    before: Mapping[str, Node] = field(default_factory=dict)
    after: frozenset[str] = frozenset()


def _view(
    f: FileRoles, node: Node | None, values: Mapping[str, Node], depth: int = 0
) -> _View | None:
    """The environment as ``node`` hands it on, or None when it is not (only) the environment:
    ``process.env``; a call that takes it first (or is a method of it) with nothing but
    functions and literals besides (``removeEmpty(process.env)``, ``Object.entries(process.env)
    .filter(...)``); an object literal that spreads it once; a module ``const`` holding one."""
    if node is None or depth > 4:
        return None
    node = f.walk.strip(node)
    if f.text(node) in _ENV_OBJECTS:
        return _View()
    if node.type == "identifier":
        return _view(f, values.get(f.text(node)), values, depth + 1)
    if node.type == "call_expression":
        args, callee = f.call_arguments(node)[0], node.child_by_field_name("function")
        inner = _view(f, args[0], values, depth + 1) if args else None
        if inner is not None:
            args = args[1:]
        elif callee is not None and callee.type == "member_expression":
            inner = _view(f, callee.child_by_field_name("object"), values, depth + 1)
        ok = inner is not None and all(a.type in _INERT for a in args)
        return replace(inner, filtered=True) if inner is not None and ok else None
    items = node.named_children if node.type == "object" else []
    spreads = [i for i in items if i.type == "spread_element"]
    if len(spreads) != 1 or not spreads[0].named_child_count:
        return None  # none, or another object's keys may stand in for the environment's
    if (inner := _view(f, spreads[0].named_children[0], values, depth + 1)) is None:
        return None
    before: dict[str, Node] = {}
    after: set[str] = set()
    for item in items:
        if item.type in ("pair", "shorthand_property_identifier"):
            key = item.child_by_field_name("key") if item.type == "pair" else None
            name = f.text(item) if key is None else f.name(key).value
            value = item.child_by_field_name("value") if item.type == "pair" else item
            if not name or value is None:
                return None
            if item.start_byte < spreads[0].start_byte:
                before[name] = value
            else:
                after.add(name)
    return replace(inner, before={**before, **inner.before}, after=inner.after | after)


def _library(f: FileRoles) -> Iterator[EnvRead]:
    """The fields of envalid ``cleanEnv`` specs, zod and Joi schemas applied to the environment.
    A call that does not throw leaves a failure to its caller (unknown): zod's ``safeParse``,
    and Joi's ``validate`` (a failure is its result's ``error``) unless the code then throws or
    exits on that (:func:`_on_error`)."""
    consts = reversed(f.roles.all("const"))  # module-level declarator values, first one wins
    values = {f.text(m.part("name")): v for m in consts if (v := m.part("value")) is not None}
    for match in f.roles.all("schema"):
        if (view := _view(f, match.part("env"), values)) is None:
            continue
        joi = match.prop("library") == "joi"
        crash = match.node if match.prop("throws") else _on_error(f, match) if joi else None
        objects, schema = _objects(f, match, values)
        for pair, name, value in (p for obj in objects for p in _pairs(f, obj)):
            if (words := _words(f, value, match.prop("library"))) is None or name in view.after:
                continue
            if {"partial", "deepPartial"} & schema:  # zod: every field .optional()
                words = [("optional", []), *words]
            if (cls := _joi_field(f, words) if joi else _field(f, words)) is None:
                continue
            if crash is None:  # the caller decides what a failure does
                cls = uncertain(cls)
            elif cls.missing == "crash" or (joi and cls.on_empty == "crash"):
                cls = replace(cls, crash=crash)  # zod, envalid: where missing crashes only
            dev = None if joi else next((a[0] for w, a in words if w == "devDefault" and a), None)
            yield _read(f, match, view, pair, name, cls, dev)


def _read(
    f: FileRoles, match: Match, view: _View, pair: Node, name: str, cls: Cls, dev: Node | None
) -> EnvRead:
    """The field ``name`` (at ``pair``) of the schema ``match`` applies to the environment as
    ``view`` hands it on (:class:`_View`: a filter decides ``""`` even where the field fails on
    it), a guard around the call deciding first.  A crash is unknown for ``NODE_ENV`` and where
    ``dev`` (an envalid ``devDefault``) is the only fallback (module doc)."""
    if (default := view.before.get(name)) is not None:
        cls = replace(cls, missing="default", default=f.text(default))
    if view.filtered:
        cls = replace(cls, on_empty="unknown")
    cls = f.walk.try_guard(match.node, cls)
    read = env_read(f.location, pair, f.ctx.language, match.prop("library"), cls)
    if read.missing == "crash" and (dev is not None or name == "NODE_ENV"):
        read = replace(read, missing="unknown", dev_default=None if dev is None else f.text(dev))
    return replace(read, name=name)


# methods of a Joi object schema that keep its keys' names and presence
_JOI_OBJECT = frozenset({"object", "keys", "append", "unknown", "label", "description", "meta"})
_JOI_OBJECT_PREFS = frozenset({"prefs", "preferences", "options"})
_JOI_TYPES: Mapping[str, ValueType] = MappingProxyType({
    "string": "string", "any": "string", "number": "float", "boolean": "bool", "bool": "bool",
})
# options that change what a missing, empty or string value does (presence: 'required', ...)
_JOI_OPTIONS = frozenset({"presence", "convert", "noDefaults"})
# the names a schema's fields are made from (envalid: none, a spec is an object literal)
_ROOTS: Mapping[str, frozenset[str]] = MappingProxyType({
    "envalid": frozenset(), "zod": frozenset({"z"}), "joi": frozenset({"Joi", "joi"}),
})


def _objects(
    f: FileRoles, match: Match, values: Mapping[str, Node]
) -> tuple[list[Node], set[str]]:
    """The object literals naming the fields of the schema ``match`` applies, directly or
    through module ``const``\\ s (``const base = z.object({..}); base.partial()``), and the
    schema's methods: an envalid spec is one; zod's is the ``z.object({..})`` at its root;
    Joi's the ``Joi.object({..})`` at its root and each ``.keys({..})`` on the way, none when
    the schema does more than name its keys (``.rename()``, ``.when()``) or an option changes
    presence or conversion."""
    library, node, methods = match.prop("library"), match.part("spec"), []
    for _ in range(4):  # the chain (:func:`_chain`), on through module constants
        root, more = _chain(f, node)
        methods += more
        if root is None or root.type != "identifier" or f.text(root) in _ROOTS[library]:
            break
        node = values.get(f.text(root))
    schema = {m for m, _ in methods}
    if library == "envalid":  # a spec is an object literal
        objects = [root] if root is not None and root.type == "object" and not methods else []
        return objects, schema
    if f.text(root) not in _ROOTS[library] or not methods or methods[-1][0] != "object":
        return [], schema
    if library == "zod":
        args = methods[-1][1]
        return ([args[0]] if args and args[0].type == "object" else []), schema
    if not _joi_options(f, match.part("options")):
        return [], schema
    objects = []
    for method, args in methods:
        if method in _JOI_OBJECT_PREFS:
            if not args or not _joi_options(f, args[0]):
                return [], schema
        elif method not in _JOI_OBJECT:
            return [], schema
        elif method != "unknown" and args and args[0].type == "object":
            objects.append(args[0])
        elif method != "unknown" and args:
            return [], schema
    return objects, schema


def _joi_options(f: FileRoles, node: Node | None) -> bool:
    """Whether validation options leave presence and conversion as they are (none given, a
    message string, or an object literal without those keys)."""
    if node is None or node.type == "string":
        return True
    return node.type == "object" and not any(n in _JOI_OPTIONS for _, n, _ in _pairs(f, node))


def _on_error(f: FileRoles, match: Match) -> Node | None:
    """The exit that runs when the ``error`` of a Joi ``validate`` result (``@schema.error``, or
    the field of ``@schema.result``) is set: the first ``if`` testing it in the statements right
    after the call decides (``if (error) { throw ... }``)."""
    result, error = match.part("result"), match.part("error")
    subject = f"{f.text(result)}.error" if result is not None else f.text(error)
    stmt = f.walk.statement_of(match.node)
    for node in f.walk.following(stmt) if subject and stmt is not None else ():
        if_ = f.roles.at(node, "if")
        test = if_.part("test") if if_ is not None else None
        if if_ is not None and test is not None and f.text(f.walk.strip(test)) == subject:
            return f.walk.exit_in(if_.part("then"))
    return None


def _pairs(f: FileRoles, obj: Node | None) -> Iterator[tuple[Node, str, Node]]:
    for pair in obj.named_children if obj is not None else ():
        name, value = f.literal(pair.child_by_field_name("key")), pair.child_by_field_name("value")
        if name and value is not None:
            yield pair, name, value


def _words(f: FileRoles, value: Node, library: str) -> list[tuple[str, list[Node]]] | None:
    """A zod or Joi field's methods, outermost first, with their arguments
    (``z.coerce.number().default(8080)``); an envalid field's validator with its ``default`` /
    ``devDefault`` (``port({ default: 3000 })``)."""
    if library != "envalid":
        root, methods = _chain(f, value)
        return methods if f.text(root) in _ROOTS[library] else None
    if (value := f.walk.strip(value)).type != "call_expression":
        return None
    validator = f.text(value.child_by_field_name("function")).rpartition(".")[2]
    args = f.call_arguments(value)[0]
    obj = args[0] if args and args[0].type == "object" else None
    options = {n: v for _, n, v in _pairs(f, obj)}
    words: list[tuple[str, list[Node]]] = [(validator, [])] if validator in _TYPES else []
    option = next((k for k in _ENVALID if k in options), None)  # the first one present decides
    return words + ([(option, [options[option]])] if option is not None else [])


def _field(f: FileRoles, words: list[tuple[str, list[Node]]]) -> Cls:
    """The class of a zod or envalid field from its words (``.min(1)``: ``""`` is rejected)."""
    names = {w for w, _ in words}
    expected: ValueType = next((t for w, t in _TYPES.items() if w in names), "string")
    if expected == "float" and "int" in names:
        expected = "int"
    if expected == "string":
        on_empty: Missing = "crash" if _NONEMPTY & names else "empty"
    else:
        on_empty = "empty" if "coerce" in names and expected != "url" else "crash"
    for word, args in words:
        if (outcome := _OUTCOMES.get(word)) is not None:
            default = f.text(args[0]) if outcome == "default" and args else None
            return Cls(outcome, on_empty, default, expected)
    return Cls("crash", on_empty, None, expected)


def _joi_field(f: FileRoles, words: list[tuple[str, list[Node]]]) -> Cls | None:
    """A Joi field's class (``Joi.number().default(3000)``, ``Joi.string().required()``):
    missing is an error with ``required()`` (the last of ``required``/``optional`` wins), else
    the (last) ``default(v)`` or undefined; ``""`` fails every type unless ``allow('')`` keeps it or
    ``empty('')`` makes it missing.  None: not a scalar field, or a conditional one."""
    names = {w for w, _ in words}
    kind = words[-1][0] if words else ""  # the innermost method: `Joi.string()`
    if kind not in _JOI_TYPES or {"when", "forbidden", "strict", "raw"} & names:
        return None
    expected = _JOI_TYPES[kind]
    if expected == "float" and {"integer", "port"} & names:
        expected = "int"
    elif expected == "string" and "uri" in names:
        expected = "url"
    presence = next((w for w, _ in words if w in ("required", "exist", "optional")), "optional")
    default = next((args[0] for w, args in words if w == "default" and args), None)
    missing: Missing = "empty" if default is None else "default"
    if presence != "optional":
        missing = "crash"

    def given(word: str) -> bool:
        return any(f.literal(a) == "" for w, args in words if w == word for a in args)

    on_empty: Missing = missing if given("empty") else "empty" if given("allow") else "crash"
    text = f.text(default) if default is not None and "default" in (missing, on_empty) else None
    return Cls(missing, on_empty, text, expected)


def _chain(f: FileRoles, node: Node | None) -> tuple[Node | None, list[tuple[str, list[Node]]]]:
    """The root of a method chain (``z`` in ``z.coerce.number().int()``) and its methods,
    outermost first, with their arguments; no root when a call in it is not a method call."""
    methods: list[tuple[str, list[Node]]] = []
    while node is not None and (node := f.walk.strip(node)).type in _CHAIN:
        member = node.child_by_field_name("function") if node.type == "call_expression" else node
        if member is None or member.type != "member_expression":
            return None, methods
        name = f.text(member.child_by_field_name("property"))
        methods.append((name, f.call_arguments(node)[0]))  # none for a property (`z.coerce`)
        node = member.child_by_field_name("object")
    return node, methods


_TS = ("javascript-ts",)
ADAPTER = RoleAdapter(
    Spec(
        dialects={"javascript": ("javascript-js",), "typescript": _TS, "tsx": _TS},
        grammar=GRAMMAR,
        needles=(b"process.env", b"import.meta.env", b"Bun.env", b"Deno.env", b"cleanEnv", b"z."),
        names={"identifier": "", "member_expression": "property"},  # KEY, keys.KEY
        keys=_KEYS,
        extra=_library,
        holders="javascript-holders",
    )
)
