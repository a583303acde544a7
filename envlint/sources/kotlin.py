"""Kotlin: ``System.getenv`` reads, wrapper helpers, Spring ``@Value`` and MicroProfile
``@ConfigProperty`` (research/source-patterns.md A.5, tree-sitter-kotlin 1.1.0).

The ``getenv`` forms and what each does when the variable is missing or empty are the commented
roles of ``queries/kotlin.scm``: ``System.getenv()`` map calls, ``?:`` and ``when``, ``!!`` and
``requireNotNull``, methods on a platform value (``String!``: ``v.trim()`` crashes on null,
``v?.trim()`` does not; ``toInt()``, ``toIntOrNull()``, ``orEmpty()``, ``ifEmpty { d }``...), a
non-null declared type, Java parsers, null and empty tests, ``require``/``check``, ``try`` and
``runCatching``.  Later uses of a holder count too (``v!!``, ``v?.toInt() ?: 80``; a property's
also in the ``init { }`` blocks after it, not in methods).

Names: string literals and templates (:func:`_template`), ``val`` / ``const val`` properties
outside functions (top level, ``object``, ``companion object``; this file, then the package
directory; built from each other too), ``+`` concatenations.  Wrappers: top-level functions
(``name``) and members (``Owner.name``), called as :data:`_KEYS` says.  Spring
``@Value("\\${key:default}")`` and ``@ConfigProperty`` as in Java
(:func:`~envlint.sources.java.annotation_reads`), with the declared Kotlin type.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from envlint.filepass.roles import Match, Roles, lineage
from envlint.sources.classify import Grammar, Name, joined
from envlint.sources.java import annotation_reads
from envlint.sources.keys import Keys, typed_keys
from envlint.sources.role_adapter import FileRoles, RoleAdapter, Spec

if TYPE_CHECKING:
    from tree_sitter import Node

    from envlint.sources.model import ValueType

__all__ = ["ADAPTER"]

# a method of a companion object (companion_object) counts as its class's
_CLASSES = frozenset({"class_declaration", "object_declaration"})
_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r"}
_TYPES: dict[str, ValueType] = {
    **dict.fromkeys(("Int", "Long", "Short", "Byte", "UInt", "ULong", "BigInteger"), "int"),
    **dict.fromkeys(("Double", "Float", "BigDecimal"), "float"),
    "Boolean": "bool",
    "Duration": "duration",
    "URI": "url",
    "URL": "url",
}

GRAMMAR = Grammar(
    language="kotlin",
    # a call stands for its callee's value: `v.trim()` is the navigation `v.trim` called
    transparent=frozenset({"parenthesized_expression", "call_expression"}),
    functions=frozenset({"function_declaration", "lambda_literal", "anonymous_function"}),
    blocks=frozenset({"block", "lambda_literal", "class_body", "source_file"}),
    in_place=frozenset({"anonymous_initializer"}),
    null_words=frozenset({"null"}),
    later_uses=frozenset({"parse", "fallback", "method"}),
    self_prefix="this.",
)


def _const_keys(match: Match, roles: Roles) -> Sequence[str]:
    """The name of a ``val`` outside function bodies."""
    name, inside = match.part("name"), any(p.type == "function_body" for p in lineage(match.node))
    return (roles.text(name),) if name is not None and not inside else ()


def _name_keys(node: Node, roles: Roles) -> Sequence[str]:
    """``NAME``, ``Keys.NAME``, ``Outer.Companion.NAME``: the constant's name."""
    if node.type == "identifier":
        return (roles.text(node),)
    if node.type == "navigation_expression" and node.named_child_count >= 2:
        member = roles.text(node.named_children[-1])
        if member[:1].isupper() and not any(c.type == "?." for c in node.children):  # not `?.`
            return (member,)
    return ()


def _receiver(receiver: Node, name: str, roles: Roles) -> Sequence[str] | None:
    """``Owner().name(...)`` (no arguments); ``this.env.name(...)`` (the property ``env`` is
    a variable declared with the owner's type); ``Owner.Companion.name(...)``,
    ``Owner.name(...)``; None for any other receiver."""
    kids = receiver.named_children
    if receiver.type == "call_expression":
        empty = len(kids) == 2 and kids[1].type == "value_arguments" and not kids[1].named_children
        return (f"{roles.text(kids[0])}.{name}",) if empty else ()
    if receiver.type != "navigation_expression" or len(kids) < 2:
        return None
    head, member = kids[0], roles.text(kids[-1])
    if head.type == "this_expression":
        return typed_keys(roles, member, name) if kids[-1].type == "identifier" else ()
    if member == "Companion":
        return (f"{roles.text(head).rpartition('.')[2]}.{name}",)
    return (f"{member}.{name}",)


# a top-level function called bare; a member called bare or on `this` inside its owner, on the
# owner (an `object` or companion), on `Owner()`, on a variable or parameter of the owner's type
_KEYS = Keys(
    methods=frozenset({"function_declaration"}),
    classes=_CLASSES,
    bare=("member", "function"),
    selves=frozenset({"this_expression"}),
    variables=frozenset({"identifier"}),
    named=frozenset(),
    special=_receiver,
)


# --- "$name" templates and annotation strings ---------------------------------------------


def _pieces(f: FileRoles, node: Node) -> list[tuple[str, str]] | None:
    """A string literal as ("lit", text) / ("ref", identifier) / ("expr", "") pieces (``"$name"``
    without braces is two contents in this grammar: ``$`` and ``name...``)."""
    if node.type not in ("string_literal", "multiline_string_literal"):
        return None
    out: list[tuple[str, str]] = []
    dollar = False  # the piece before is a "$" content
    for kid in node.named_children:
        raw, inner = f.text(kid), kid.named_children[0] if kid.named_child_count == 1 else None
        word = re.split(r"\W", raw, maxsplit=1)[0] if kid.type == "string_content" else ""
        if dollar and word and not word[:1].isdigit():  # (\w: isalnum() or "_")
            out[-1:] = [("ref", word), ("lit", raw[len(word) :])]
        elif kid.type == "string_content":
            out.append(("lit", raw))
        elif kid.type == "escape_sequence":  # (\uXXXX is string content in this grammar)
            out.append(("lit", _ESCAPES.get(raw[1:], raw[1:])))
        elif kid.type == "interpolation" and inner is not None and inner.type == "identifier":
            out.append(("ref", f.text(inner)))
        else:
            out.append(("expr", ""))
        dollar = kid.type == "string_content" and raw == "$"
    return out


def _template(f: FileRoles, node: Node) -> Name | None:
    """A ``"$name..."`` template the ``@string`` role leaves out (None for anything else)."""
    if f.roles.at(node, "string") is not None or (pieces := _pieces(f, node)) is None:
        return None
    if len(pieces) == 1 and pieces[0][0] == "ref":  # "$name": the variable itself
        function = f.walk.enclosing_function(node)
        params = [f.text(p) for p in function.parts.get("param", ())] if function else []
        if pieces[0][1] in params:
            return Name("param", param=params.index(pieces[0][1]), function=function)
    return joined(_piece(f, kind, value) for kind, value in pieces)


def _piece(f: FileRoles, kind: str, value: str) -> str | Name:
    """A template piece: its text, a constant's value, an upper-case name another file may
    define, or unknown."""
    if kind == "lit" or (kind == "ref" and value in f.consts):
        return value if kind == "lit" else f.consts[value]
    return Name("const", value) if kind == "ref" and value[:1].isupper() else Name("dynamic")


def _literal(f: FileRoles, node: Node | None) -> str | None:
    """A string literal's value (escapes decoded: ``"\\${X}"``), None if it has templates."""
    pieces = _pieces(f, node) if node is not None else None
    if pieces is None or any(kind != "lit" for kind, _ in pieces):
        return None
    return "".join(value for _, value in pieces)


ADAPTER = RoleAdapter(
    Spec(
        grammar=GRAMMAR,
        needles=(b"getenv", b"@Value", b"@ConfigProperty", b"inject.ConfigProperty"),
        const_keys=_const_keys,
        name_keys=_name_keys,
        keys=_KEYS,
        extra=lambda f: annotation_reads(f, _literal, _TYPES),
        name=_template,
    )
)
