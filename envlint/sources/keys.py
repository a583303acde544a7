"""Helper keys: the key a wrapper function is known by, and the wrappers a call may invoke.

A member of a class (an ``object``, a trait, a module) is keyed ``Owner.name``, any other
function ``name`` (:func:`member`).  A call's keys follow from its receiver, as a language's
:class:`Keys` table says: none (a bare call), the class around the call (``this``, ``self``),
an instance made on the spot (``new Env()``, ``Env()``), a variable (``env``: ``env.name`` and
``Type.name`` for each ``@typed`` declaration of it) or a class named (``Env``,
``com.acme.Env``, ``A::Env``: its last segment).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from envlint.sources.classify import inside

if TYPE_CHECKING:
    from tree_sitter import Node

    from envlint.filepass.roles import Match, Roles

__all__ = ["Keys", "member", "owners", "typed_keys"]


def member(owner: str, name: str) -> str:
    """``Owner.name`` for a member of ``owner``, ``name`` outside any class."""
    return f"{owner}.{name}" if owner else name


def owners(node: Node, roles: Roles, separator: str) -> list[str]:
    """The names of the ``@owner`` matches around ``node`` (classes, modules), innermost
    first, each its last segment (``A::Env``: ``Env``)."""
    around = [m.part("name") for m in roles.all("owner") if inside(node, m.node)]
    return [roles.text(name).rpartition(separator)[2] for name in reversed(around)]


def typed_keys(roles: Roles, var: str, name: str) -> tuple[str, ...]:
    """The helper keys a call ``var.name(...)`` may invoke: ``var.name``, and ``Type.name`` for
    each ``@typed`` declaration of ``var`` (``Env env``, ``env: Env``, ``env = Env()``)."""
    types = (m.part("type") for m in roles.all("typed") if roles.text(m.part("name")) == var)
    return (f"{var}.{name}", *(f"{roles.text(t).rpartition('.')[2]}.{name}" for t in types))


@dataclass(frozen=True)
class Keys:
    """A language's helper keys (:meth:`helper_key`) and call keys (:meth:`call_keys`), as its
    table says; a language overrides what no table says (Go both, Ruby its bare and ``self``
    calls)."""

    methods: frozenset[str] = frozenset()  # function node types keyed by their owner
    members: str = ""  # a role marking the other functions keyed by their owner
    functions: frozenset[str] = frozenset()  # function node types keyed by their bare name
    # node types whose ``name`` owns the methods inside them (none: the ``@owner`` role's)
    classes: frozenset[str] = frozenset()
    separator: str = "."  # between the segments of a qualified class name
    # what a bare call ``name(...)`` may invoke, likeliest first: a member of the class
    # around it, a function keyed by its bare name
    bare: tuple[Literal["member", "function"], ...] = ("function",)
    # receivers that stand for the class around the call, by node type or text (``self``)
    selves: frozenset[str] = frozenset()
    # receivers that make an instance -> the field naming its class (``new Env()``)
    created: Mapping[str, str] = field(default_factory=dict)
    variables: frozenset[str] = frozenset()  # receivers that are a variable (``@typed``)
    named: frozenset[str] | None = None  # receivers naming a class (None: any other one)
    # the language's own receiver forms, tried first (None: not one of them)
    special: Callable[[Node, str, Roles], Sequence[str] | None] | None = None
    # receiver wrappers that stand for their first child (``(env)``, TypeScript ``env as Env``)
    transparent: frozenset[str] = frozenset({"parenthesized_expression"})
    owned: bool = False  # a method, or a call on ``this``, outside any class has no key (JS)

    def owner(self, node: Node, roles: Roles) -> str:
        """The name of the innermost class around ``node`` ("" outside any)."""
        if self.classes:
            return roles.owner(node, self.classes)
        return next(iter(owners(node, roles, self.separator)), "")

    def helper_key(self, function: Match, roles: Roles) -> str | None:
        """A function's helper key (None: a function literal, a constructor...)."""
        name, kind = roles.text(function.part("name")), function.node.type
        if kind in self.methods or roles.at(function.node, self.members) is not None:
            owner = self.owner(function.node, roles)
            return member(owner, name) if owner or not self.owned else None
        return name if kind in self.functions and name else None

    def call_keys(self, call: Match, roles: Roles) -> Sequence[str]:
        """The helper keys a ``@call`` (``.name``, ``.receiver``) may invoke, likeliest first."""
        name, receiver = roles.text(call.part("name")), call.part("receiver")
        while receiver is not None and receiver.type in self.transparent:
            receiver = receiver.named_children[0] if receiver.named_child_count else None
        if receiver is None:
            owner = self.owner(call.node, roles)
            keys = (member(owner, name) if way == "member" else name for way in self.bare)
            return tuple(dict.fromkeys(keys))
        if self.special is not None and (own := self.special(receiver, name, roles)) is not None:
            return own
        text = roles.text(receiver)
        if receiver.type in self.selves or text in self.selves:
            owner = self.owner(call.node, roles)
            return (member(owner, name),) if owner or not self.owned else ()
        if (kind := self.created.get(receiver.type)) is not None:
            return (f"{roles.text(receiver.child_by_field_name(kind))}.{name}",)
        if receiver.type in self.variables:  # one an ``@module`` names (JS imports): also ``name``
            modules = {roles.text(m.node) for m in roles.all("module")}
            return ((name,) if text in modules else ()) + typed_keys(roles, text, name)
        if self.named is None or receiver.type in self.named:
            return (f"{text.rpartition(self.separator)[2]}.{name}",)
        return ()
