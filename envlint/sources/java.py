"""Java: ``System.getenv`` reads, wrapper helpers, Spring ``@Value`` and MicroProfile
``@ConfigProperty`` (research/source-patterns.md A.5).  Kotlin has its own module.

The ``getenv`` forms and what each does when the variable is missing or empty are the commented
roles of ``queries/java.scm``: parsers (``Integer.parseInt``, ``Duration.parse``, ``new URL``...),
``Objects`` and ``Optional`` chains, ``v != null ? v : d``, methods on the value, null and empty
tests, ``System.exit``.  Names: literals, ``final`` string fields and interface constants (this
file, then the package directory), ``+`` concatenations.  Wrappers: ``Class.method`` helpers
(:data:`_KEYS`).

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

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from envlint.sources.classify import Cls, Grammar, env_read
from envlint.sources.keys import Keys
from envlint.sources.role_adapter import FileRoles, RoleAdapter, Spec

if TYPE_CHECKING:
    from tree_sitter import Node

    from envlint.sources.model import EnvRead, Missing, ValueType

__all__ = ["ADAPTER", "annotation_reads", "microprofile_env_name", "spring_env_name"]

_CLASSES = frozenset(
    {"class_declaration", "enum_declaration", "record_declaration", "interface_declaration"}
)
_TYPES: dict[str, ValueType] = {
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
    return re.sub(r"[\[\]._]+", "_", key.replace("-", "")).strip("_").upper()


def microprofile_env_name(key: str) -> str:
    """The environment variable MicroProfile Config maps a property to: every character that
    is not a letter, digit or ``_`` becomes ``_``, upper-cased (``app.max-size`` ->
    ``APP_MAX_SIZE``)."""
    return "".join(c if c.isascii() and (c.isalnum() or c == "_") else "_" for c in key).upper()


def _placeholders(value: str) -> Iterator[tuple[str, str | None]]:
    """``(key, default)`` of each top-level ``${key[:default]}`` in a Spring value string."""
    depth, start = 0, 0
    for token in re.finditer(r"[$#]\{|\}", value):
        if depth == 0 and token.group() != "${":
            continue  # outside a placeholder only "${" opens one
        start = token.end() if depth == 0 else start
        depth += -1 if token.group() == "}" else 1
        if depth == 0:
            key, sep, default = value[start : token.start()].partition(":")
            if key.strip():
                yield key.strip(), default if sep else None


_KEYS = Keys(
    methods=frozenset({"method_declaration"}),
    classes=_CLASSES,
    bare=("member",),  # `method()` in its class
    selves=frozenset({"this", "super"}),
    created={"object_creation_expression": "type"},
    # a variable, or a field of `this` (java.scm); any other receiver names a class: com.acme.Env
    variables=frozenset({"identifier"}),
)


# --- annotations --------------------------------------------------------------------------


_String = Callable[[FileRoles, "Node | None"], "str | None"]  # a string argument's value
_Found = tuple[str, "Missing", "Missing", "str | None"]  # variable, missing, on_empty, default


def annotation_reads(
    f: FileRoles, literal: _String, types: Mapping[str, ValueType]
) -> Iterator[EnvRead]:
    """The reads of the file's ``@annotation`` matches (``api``: ``@Value`` or
    ``@ConfigProperty``), given how the language reads a string; its ``@argument`` matches
    give the arguments (``.key``; none: ``value``), its ``@declared`` match the type of the
    declaration the annotation is on (``types``: value types by its last segment)."""
    for match in f.roles.all("annotation"):
        api, listed = match.prop("api"), match.part("args")
        args: dict[str, Node] = {}  # by key: the first one
        for item in listed.named_children if listed is not None else ():
            argument = f.roles.at(item, "argument")
            if argument is not None and (value := argument.part("value")) is not None:
                args.setdefault(f.text(argument.part("key")) or "value", value)
        declared = f.roles.at(match.node, "declared")
        kind = f.text(declared.part("type") if declared else None).rpartition(".")[2]
        expected = types.get(kind, "string")
        if api == "@Value":
            reads = _spring(literal(f, args.get("value")), expected)
        else:
            reads = _microprofile(f, args, kind, literal)
        for name, missing, on_empty, default in reads:
            crash = match.node if missing == "crash" else None
            cls = Cls(missing, on_empty, default, expected, crash)
            yield replace(env_read(f.location, match.node, f.ctx.language, api, cls), name=name)


def _spring(value: str | None, expected: ValueType) -> Iterator[_Found]:
    on_empty: Missing = "empty" if expected == "string" else "crash"
    for key, default in _placeholders(value or ""):
        dotted = "." in key or "[" in key
        missing: Missing = "unknown" if dotted else "crash"
        if default is not None:
            missing = "empty" if default == "#{null}" else "default"
        yield spring_env_name(key) if dotted or "-" in key else key, missing, on_empty, default


def _microprofile(
    f: FileRoles, args: dict[str, Node], kind: str, literal: _String
) -> Iterator[_Found]:
    key = literal(f, args.get("name"))
    if not key:
        return  # no name: the key is the class and field name, not an environment variable
    name = microprofile_env_name(key)
    if (default := args.get("defaultValue")) is not None:
        text = literal(f, default)
        yield name, "default", "default", f.text(default) if text is None else text
    else:  # an Optional field is never required; a dotted key is usually set in a file
        missing: Missing = "empty" if kind in _OPTIONAL else "unknown" if "." in key else "crash"
        yield name, missing, missing, None


ADAPTER = RoleAdapter(
    Spec(
        grammar=GRAMMAR,
        needles=(b"getenv", b"@Value", b"@ConfigProperty", b"inject.ConfigProperty"),
        names={"identifier": "", "field_access": "field"},  # KEY, Keys.KEY, this.KEY
        keys=_KEYS,
        extra=lambda f: annotation_reads(f, FileRoles.literal, _TYPES),
    )
)
