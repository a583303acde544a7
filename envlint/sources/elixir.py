"""Elixir: ``System.get_env`` / ``fetch_env!`` / ``fetch_env`` reads (``queries/elixir.scm``).

* ``System.get_env("X")`` empty / empty (nil, ``""``); ``System.get_env("X", "d")`` default /
  empty; ``System.fetch_env!("X")`` crash / empty; ``System.fetch_env("X")`` is decided by what
  the code does with ``:error``: a ``case`` / ``with ... else`` arm that raises (crash), gives a
  value (default) or ``nil`` (empty), ``{:ok, v} = ...`` (MatchError: crash).
* ``v || "d"`` default / empty and ``v || raise "..."`` crash / empty: only ``nil`` and
  ``false`` are falsy, so ``""`` passes both.  ``String.to_integer`` / ``to_float`` crash on
  nil and on ``""``; every other ``String`` function crashes on nil (also piped: ``v |> f()``).
* ``if is_nil(v)``, ``v == nil``, ``v == ""``, ``v in [nil, ""]``, ``!v``, ``unless v`` with
  ``raise`` / ``System.halt``, on the read or on a variable assigned from it.
* ``Application.fetch_env!`` reads the application environment, not the OS one: not a read.
  In a release, ``config/runtime.exs`` is the start-up code that reads the environment; its
  reads (and those of every other file) are attributed to the service like any file.
* Names: literals, interpolations, ``<>`` and module attributes (``@name "X"``) of the same
  file.  Wrappers: ``def env(key, default \\\\ nil)`` (also with ``when`` guards and a bodiless
  head), called as ``env("X")`` in its module or ``Config.env("X")`` (the last segment of the
  module name); ``if v, do: v, else: default`` as the result gives each call its default.

Not supported: ``cond``, ``case`` on ``System.get_env`` other than its ``nil ->`` arm (a raise or
a value there is the missing path), reads piped into ``case``, the
``System.get_env()`` map, imported (unqualified) wrapper calls, ``alias ..., as:``, and which
Mix environment a ``config/*.exs`` file belongs to (``config/test.exs`` is skipped as a test).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from envlint.filepass.roles import Roles
from envlint.sources.classify import Grammar
from envlint.sources.keys import Keys
from envlint.sources.role_adapter import RoleAdapter, Spec

if TYPE_CHECKING:
    from tree_sitter import Node

__all__ = ["ADAPTER"]

GRAMMAR = Grammar(
    language="elixir",
    transparent=frozenset({"block", "body"}),
    functions=frozenset({"anonymous_function"}),
    blocks=frozenset({"source", "do_block", "else_block", "body"}),
    scan_limit=20,
    return_defaults=False,  # no return statement: a branch's value is not the caller's
    nulls=frozenset({"nil"}),
    functions_by_role=True,  # `def` is a call
    branch_values=True,  # `if v, do: v, else: default` is the function's result
)


def _name_keys(node: Node, roles: Roles) -> Sequence[str]:
    """``@name`` when this file defines that module attribute (attributes never cross files)."""
    text = roles.text(node)
    defined = {"@" + roles.text(m.part("name")) for m in roles.all("const")}
    return (text,) if text in defined else ()


# a `def` (a call) is `Module.name`, none outside a `defmodule` (the `@owner` role); called as
# `get(...)` in its module, `Config.get(...)` / `Shop.Config.get(...)` (the module's last segment)
_KEYS = Keys(methods=frozenset({"call"}), owned=True, bare=("member",), named=frozenset({"alias"}))


ADAPTER = RoleAdapter(
    Spec(
        grammar=GRAMMAR,
        scope=lambda _path: "",  # one scope for the whole tree
        needles=(b"System.",),
        const_keys=lambda m, r: ("@" + r.text(m.part("name")),),
        name_keys=_name_keys,
        keys=_KEYS,
        via=lambda key: key.rpartition(".")[2],  # `get`, not `Config.get`
    )
)
