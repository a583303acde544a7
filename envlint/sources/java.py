"""Java: ``System.getenv`` reads, wrapper helpers, Spring ``@Value`` and MicroProfile
``@ConfigProperty`` (research/source-patterns.md A.5).  Kotlin has its own module.

The forms are roles in ``queries/java.scm``: ``Integer.parseInt`` / ``Long.parseLong`` /
``Double.parseDouble`` / ``Duration.parse`` -> the type and a crash on null and ``""``
(``NumberFormatException``, ``DateTimeParseException``); ``Boolean.parseBoolean`` -> bool, never
throws; ``URI.create`` / ``new URI`` -> url, crash on null; ``new URL`` also on ``""``;
``Objects.requireNonNull`` / ``Optional.of`` / a method on the value (``v.trim()``) -> crash on
null; ``Objects.requireNonNullElse(v, d)``, ``v != null ? v : d`` -> default (any other
ternary is a condition: ``v == null ? 4 : Integer.parseInt(v)`` parses only a present value);
``Optional.ofNullable(v)`` chains: ``.orElse(d)`` / ``.orElseGet(..)`` default, ``.orElseThrow()``
/ ``.get()`` crash, ``.map(Integer::parseInt)`` the type, ``.filter(s -> !s.isEmpty())`` sends
``""`` down the missing path; a holder tested by ``== null`` / ``isEmpty()`` / ``isBlank()`` /
``StringUtils.isEmpty`` whose branch throws or calls ``System.exit``; a read inside the branch (or
the right operand) of ``getenv("X") != null && ...`` never sees X missing; a crash inside a ``try``
whose ``catch`` does not exit is ``unknown``.  Names: literals, ``final`` string fields and
interface constants (this file, then the package directory), ``+`` concatenations.  Wrappers are
``Class.method`` helpers, called without receiver inside the class, on ``this``, on the class,
on ``new Class()`` or on a variable, field or parameter declared with that class.

Annotations (:func:`annotation_reads`, shared with Kotlin): Spring ``@Value("${key:default}")``
on fields and parameters is ``default`` when a default is written (``${X:}`` an empty one,
``${X:#{null}}`` null); without one the context fails at start-up (crash) when the key looks
like an environment variable (no ``.``); a dotted key (``${kafka.session-timeout}``) is usually
supplied by ``application.properties``/``.yml``, which envlint does not read: ``unknown``. A
non-string field makes ``""`` a conversion failure at start-up. The variable is the key's
relaxed-binding name (:func:`spring_env_name`). MicroProfile ``@ConfigProperty(name = "key",
defaultValue = "d")`` (Quarkus, Helidon, Open Liberty) is the same with
:func:`microprofile_env_name`; an empty value counts as not set there (MicroProfile Config 2.0),
so ``""`` takes the missing path, and an ``Optional``/``OptionalInt`` field is never required.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from envlint.sources.classify import Cls, Grammar, Match, Roles, env_read
from envlint.sources.role_adapter import FileRoles, RoleAdapter, Spec, typed_keys

if TYPE_CHECKING:
    from tree_sitter import Node

    from envlint.sources.model import EnvRead, Missing, ValueType

__all__ = [
    "ADAPTER",
    "TYPES",
    "annotation_reads",
    "microprofile_env_name",
    "placeholders",
    "spring_env_name",
]

_CLASSES = frozenset(
    {"class_declaration", "enum_declaration", "record_declaration", "interface_declaration"}
)
TYPES: dict[str, ValueType] = {
    **dict.fromkeys(("int", "Integer", "long", "Long", "short", "Short"), "int"),
    **dict.fromkeys(("double", "Double", "float", "Float", "BigDecimal"), "float"),
    **dict.fromkeys(("boolean", "Boolean"), "bool"),
    "Duration": "duration",
    "URI": "url",
    "URL": "url",
}
_OPTIONAL = frozenset({"Optional", "OptionalInt", "OptionalLong", "OptionalDouble"})

GRAMMAR = Grammar(
    language="java",
    transparent=frozenset({"parenthesized_expression", "cast_expression"}),
    functions=frozenset({"method_declaration", "constructor_declaration", "lambda_expression"}),
    blocks=frozenset({"block", "constructor_body"}),
    nulls=frozenset({"null_literal"}),
    later_uses=frozenset({"parse", "fallback"}),
    self_prefix="this.",
)


def spring_env_name(key: str) -> str:
    """The canonical environment variable for a Spring property key (relaxed binding): ``.``
    -> ``_``, ``-`` removed, ``[n]`` -> ``_n_``, upper-cased."""
    out = key.replace("[", "_").replace("]", "_").replace(".", "_").replace("-", "")
    while "__" in out:
        out = out.replace("__", "_")
    return out.strip("_").upper()


def microprofile_env_name(key: str) -> str:
    """The environment variable MicroProfile Config maps a property to: every character that
    is not a letter, digit or ``_`` becomes ``_``, upper-cased (``app.max-size`` ->
    ``APP_MAX_SIZE``)."""
    return "".join(c if c.isascii() and (c.isalnum() or c == "_") else "_" for c in key).upper()


def placeholders(value: str) -> Iterator[tuple[str, str | None]]:
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
        key, sep, default = value[start + 2 : j - 1].partition(":")
        if key.strip():
            yield key.strip(), default if sep else None
        i = j


# --- keys ---------------------------------------------------------------------------------


def _helper_key(function: Match, roles: Roles) -> str | None:
    if function.node.type != "method_declaration":
        return None
    return f"{roles.owner(function.node, _CLASSES)}.{roles.text(function.part('name'))}"


def _call_keys(call: Match, roles: Roles) -> Sequence[str]:
    """``Class.method`` keys a call may invoke: bare or on ``this`` inside the class, on the
    class, on ``new Class()``, on a variable declared with the class."""
    name, receiver = roles.text(call.part("name")), call.part("receiver")
    while receiver is not None and receiver.type == "parenthesized_expression":
        receiver = receiver.named_children[0] if receiver.named_child_count else None
    if receiver is None or receiver.type in ("this", "super"):
        return (f"{roles.owner(call.node, _CLASSES)}.{name}",)
    if receiver.type == "object_creation_expression":
        return (f"{roles.text(receiver.child_by_field_name('type'))}.{name}",)
    if receiver.type == "field_access" and roles.text(receiver.child_by_field_name("object")) in (
        "this",
    ):
        receiver = receiver.child_by_field_name("field")
    elif receiver.type != "identifier":  # com.acme.Env.require(...)
        return (f"{roles.text(receiver).rpartition('.')[2]}.{name}",)
    if receiver is None:
        return ()
    return typed_keys(roles, roles.text(receiver), name)


# --- annotations --------------------------------------------------------------------------


def _arguments(f: FileRoles, args: Node | None) -> dict[str, Node]:
    """An annotation's arguments by key (a lone value is ``value``)."""
    out: dict[str, Node] = {}
    for item in args.named_children if args is not None else ():
        pair = item.type == "element_value_pair"
        value = item.child_by_field_name("value") if pair else item
        if value is not None and "comment" not in item.type:
            out.setdefault(f.text(item.child_by_field_name("key")) if pair else "value", value)
    return out


def _declared_type(f: FileRoles, annotation: Node) -> str:
    """The type of the field or parameter an annotation sits on (its last segment)."""
    target = annotation.parent.parent if annotation.parent is not None else None  # (modifiers)
    type_node = target.child_by_field_name("type") if target is not None else None
    if type_node is not None and type_node.type == "generic_type":
        type_node = type_node.named_children[0]
    return f.text(type_node).rpartition(".")[2]


_String = Callable[[FileRoles, "Node | None"], "str | None"]  # a string argument's value


def annotation_reads(
    f: FileRoles,
    arguments: Callable[[FileRoles, Node | None], dict[str, Node]],
    literal: _String,
    declared: Callable[[FileRoles, Node], str],
    types: Mapping[str, ValueType] = TYPES,
) -> Iterator[EnvRead]:
    """The reads of the file's ``@spring`` / ``@microprofile`` annotation matches, given how
    the language lists an annotation's arguments, reads a string and names a declared type
    (``types``: value types by type name)."""
    found = [(m, "@Value") for m in f.roles.all("spring")]
    found += [(m, "@ConfigProperty") for m in f.roles.all("microprofile")]
    for match, api in sorted(found, key=lambda item: item[0].node.start_byte):
        args, kind = arguments(f, match.part("args")), declared(f, match.node)
        expected = types.get(kind, "string")
        if api == "@Value":
            named = _spring(match.node, literal(f, args.get("value")), expected)
        else:
            named = _microprofile(f, match.node, args, (kind, expected), literal)
        for name, cls in named:
            yield replace(env_read(f.location, match.node, f.ctx.language, api, cls), name=name)


def _spring(annotation: Node, value: str | None, expected: ValueType) -> Iterator[tuple[str, Cls]]:
    on_empty: Missing = "empty" if expected == "string" else "crash"
    for key, default in placeholders(value or ""):
        dotted = "." in key or "[" in key
        missing: Missing = "unknown" if dotted else "crash"
        if default is not None:
            missing = "empty" if default == "#{null}" else "default"
        cls = Cls(missing, on_empty, default, expected, annotation if missing == "crash" else None)
        yield spring_env_name(key) if dotted or "-" in key else key, cls


def _microprofile(
    f: FileRoles,
    annotation: Node,
    args: dict[str, Node],
    declared: tuple[str, ValueType],
    literal: _String,
) -> Iterator[tuple[str, Cls]]:
    key = literal(f, args.get("name"))
    if not key:
        return  # no name: the key is the class and field name, not an environment variable
    default = args.get("defaultValue")
    cls = Cls(type=declared[1])
    if default is not None:
        cls = cls.decide("default", default, True, True, f.roles)
    elif declared[0] in _OPTIONAL:
        cls = cls.decide("empty", None, True, True, f.roles)
    elif "." in key:
        cls = cls.decide("unknown", None, True, True, f.roles)
    else:
        cls = cls.decide("crash", annotation, True, True, f.roles)
    if default is not None and (text := literal(f, default)) is not None:
        cls = replace(cls, default=text)
    yield microprofile_env_name(key), cls


ADAPTER = RoleAdapter(
    Spec(
        grammar=GRAMMAR,
        needles=(b"getenv", b"@Value", b"@ConfigProperty", b"inject.ConfigProperty"),
        names={"identifier": "", "field_access": "field"},  # KEY, Keys.KEY, this.KEY
        helper_key=_helper_key,
        call_keys=_call_keys,
        extra=lambda f: annotation_reads(f, _arguments, FileRoles.literal, _declared_type),
        via=lambda key: key,
    )
)
