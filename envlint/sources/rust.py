"""Rust: ``std::env::var`` / ``env::var_os`` / ``dotenvy::var`` reads and envy structs.

The forms are roles in ``queries/rust.scm`` (research/source-patterns.md A.6), each commented
there: ``env::var("X")`` is a ``Result`` (unset is ``Err``, ``X=`` is ``Ok("")``; ``var_os`` an
``Option``) that ``.unwrap()`` / ``.expect(..)`` crash on, ``.unwrap_or(d)`` & co. default,
``.ok()`` & co. keep and ``match`` / ``if let`` / ``let .. else`` decide as their branch does;
``.parse()`` types the read and joins ``""`` to the failing paths.  A ``let`` holder is followed
to its later uses (``let p = env::var("P")?; p.parse::<u16>()?``).

``?`` hands the failure to the caller (the ``error`` outcome): in ``main`` the process exits
(a crash), in a closure nobody knows (``unknown``), elsewhere the read is a crash when a call
site of the function (same directory) unwraps it, ``expect``s it, exits on it or ``?``s it in
``main`` (also through further functions), otherwise ``unknown``.  A function whose value is
the ``Result``/``Option`` itself lets its callers decide alike.  ``env!`` / ``option_env!``
are compile-time macros, not reads.

Names: string literals, ``const`` / ``static`` string items (this file first, then the scope =
the directory), ``format!("{}_HOST", p)`` (:func:`_name`: a pattern when a part is unknown).
A function whose parameter flows into a read is a wrapper (``.unwrap_or_else(|_|
fallback.to_string())``: the call site's ``fallback`` argument is the default).

``envy::from_env::<T>()`` / ``envy::prefixed("P_").from_env::<T>()`` (or ``let c: T = ..``)
is the one form no role expresses (:func:`_envy`): one read per field of ``struct T`` declared
in the same file, named prefix + field (or ``#[serde(rename)]``) upper-cased; ``Option``
fields empty, ``#[serde(default)]`` fields default, the others take the call's class;
non-string fields fail on ``X=`` too.

Not analysed (gaps): reads inside macro arguments (``println!("{}", env::var("X")?)``), tests
such as ``v.is_empty()`` / ``is_err()``, bare ``var("X")`` after ``use std::env::var``, envy
structs declared in another file (and an envy call's ``?`` outside ``main``: ``unknown``),
``#[serde(rename_all)]``, clap ``#[arg(env = "X")]``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from envlint.filepass.roles import Roles
from envlint.sources.adapter import Helper, Pending
from envlint.sources.classify import Cls, Grammar, Name, env_read, joined
from envlint.sources.keys import Keys
from envlint.sources.role_adapter import FileRoles, RoleAdapter, Spec

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from tree_sitter import Node

    from envlint.sources.model import EnvRead, ValueType

__all__ = ["ADAPTER"]

_TYPES: dict[str, ValueType] = {
    **{f"{s}{n}": "int" for s in "ui" for n in ("8", "16", "32", "64", "128", "size")},
    "f32": "float",
    "f64": "float",
    "bool": "bool",
    "Url": "url",
    "Duration": "duration",
}
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)?(?::[^}]*)?\}")

GRAMMAR = Grammar(
    language="rust",
    transparent=frozenset({"parenthesized_expression", "reference_expression"}),
    functions=frozenset({"function_item", "closure_expression"}),
    blocks=frozenset({"block", "source_file"}),
    return_defaults=False,
    later_uses=frozenset({"method", "fallback", "parse"}),
    unhandled="unknown",
    error_calls="value",
)


def _name_keys(node: Node, roles: Roles) -> Sequence[str]:
    """``X`` / ``names::X``: the constant ``X`` (an upper-case name; anything else is dynamic)."""
    if node.type not in ("identifier", "scoped_identifier"):
        return ()
    key = roles.text(node).rpartition("::")[2]
    return (key,) if key.isupper() else ()


def _name(f: FileRoles, node: Node) -> Name | None:
    """``format!("{}_HOST", p)`` and ``LOCAL.to_string()`` / ``.as_str()`` / ``.as_ref()``."""
    if (conversion := f.roles.at(node, "conversion")) is not None:
        return f.name(conversion.part("value"))
    if node.type != "macro_invocation" or f.text(node.child_by_field_name("macro")) != "format":
        return None
    tree = next((c for c in node.named_children if c.type == "token_tree"), None)
    literal = f.roles.at(tree.named_children[0], "string") if tree and tree.named_children else None
    if tree is None or literal is None or literal.parts.get("hole"):
        return Name("dynamic")
    template = "".join(f.text(t) for t in literal.parts.get("text", ()))
    args = iter(tree.named_children[1:])  # what each "{}" stands for, in order
    pieces: list[str | Name] = []
    at = 0
    for m in _PLACEHOLDER.finditer(template):
        pieces.append(template[at : m.start()])
        at = m.end()
        if m.group(0) in ("{{", "}}"):
            pieces.append(m.group(0)[0])
            continue
        ident = (m.group(1) or f.text(next(args, None))).rpartition("::")[2]
        if ident in f.consts:
            pieces.append(f.consts[ident])
        else:
            pieces.append(Name("const", ident) if ident.isupper() else Name("dynamic"))
    return joined([*pieces, template[at:]])


def _envy(f: FileRoles) -> Iterator[EnvRead | Pending | Helper]:
    for match in f.roles.all("envy"):
        prefix = f.literal(match.part("prefix")) if match.part("prefix") is not None else ""
        target = match.part("type") or _let_type(match.node)
        struct = _struct(f, f.text(target)) if target is not None else None
        if prefix is None or struct is None:  # a computed prefix, a struct of another file
            continue
        cls = f.walk.classify(match.node, Cls())
        function = f.walk.enclosing_function(match.node) if cls.errors[0] else None
        via = f.text(function.part("name")) if function is not None else ""
        if function is not None:  # `?` outside main: the callers decide
            yield Helper(via, "error")
        for field_name, field_type, attrs in struct:
            optional = field_type.startswith("Option<")
            inner_type = field_type[7:-1] if optional else field_type
            vtype = _TYPES.get(inner_type.rpartition("::")[2], "string")
            rename = re.search(r'rename\s*=\s*"([^"]*)"', attrs)
            key = prefix + (rename.group(1) if rename else field_name).upper()
            default = re.search(r'\bdefault\b(?:\s*=\s*"([^"]*)")?', attrs)
            field = replace(cls, type=vtype, on_empty=cls.missing if vtype != "string" else "empty")
            if default is not None:
                dflt = f"{default.group(1)}()" if default.group(1) else "Default::default()"
                field = replace(field, missing="default", default=dflt, crash=None)
            elif optional:
                field = replace(field, missing="empty", crash=None)
            record = env_read(f.location, match.node, "rust", "envy::from_env", field)
            record = replace(record, name=key)
            if via and field.missing == cls.missing:
                yield Pending(record, fails_via=via, empty_fails=record.on_empty == "unknown")
            else:
                yield record


def _let_type(node: Node) -> Node | None:
    """The declared type of the ``let`` whose value ends in ``node`` (``let c: T = ..?``)."""
    while node.parent is not None and node.parent.type in ("try_expression", "field_expression"):
        node = node.parent
        if node.type == "field_expression" and node.parent is not None:
            node = node.parent  # the method call (`.unwrap()`)
    if (let := node.parent) is not None and let.type == "let_declaration":
        return let.child_by_field_name("type")
    return None


def _struct(f: FileRoles, name: str) -> list[tuple[str, str, str]] | None:
    """(field, type text, serde attribute text) of ``struct name`` in this file."""
    name = name.rpartition("::")[2]
    struct = next((m for m in f.roles.all("struct") if f.text(m.part("name")) == name), None)
    if struct is None or (body := struct.part("body")) is None:
        return None
    out: list[tuple[str, str, str]] = []
    attrs: list[str] = []
    for child in body.named_children:
        if child.type == "attribute_item":
            attrs.append(f.text(child))
        elif child.type == "field_declaration":
            field_type = re.sub(r"\s+", "", f.text(child.child_by_field_name("type")))
            serde = " ".join(a for a in attrs if "serde" in a)
            out.append((f.text(child.child_by_field_name("name")), field_type, serde))
            attrs = []
    return out


ADAPTER = RoleAdapter(
    Spec(
        grammar=GRAMMAR,
        needles=(b"env::var", b"var_os", b"envy"),
        keys=Keys(functions=frozenset({"function_item"})),  # a call `x.name(...)` too: `name`
        name_keys=_name_keys,
        name=_name,
        default_key=lambda text: re.split(r"\W", text, maxsplit=1)[0],  # fallback.into()
        extra=_envy,
    )
)
