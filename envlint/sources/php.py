"""PHP: ``getenv``, ``$_ENV`` / ``$_SERVER``, Laravel ``env()``, wrappers
(research/source-patterns.md A.7; the forms are roles in ``queries/php.scm``).

Forms and their classes (``missing`` / ``on_empty``):

* ``getenv('X')``: empty / empty (``false`` when unset).  ``$_ENV['X']`` / ``$_SERVER['X']``:
  empty / empty (an "Undefined array key" warning and ``null``).  Laravel ``env('X')``: empty /
  empty; ``env('X', 'd')``: default / empty (only ``null`` takes the default).
* ``?: 'd'`` default / default (``false``, ``null`` and ``""`` are falsy).  ``?? 'd'`` default /
  empty on ``$_ENV``/``$_SERVER``/``env()``; on ``getenv`` it does nothing: ``getenv`` returns
  ``false``, never ``null`` (the ``absent`` property); ``?? null`` is no default.  ``?? throw
  new E`` / ``?: throw ...`` / ``?: die(...)`` (PHP 8 throw expression) crash the same way;
  ``getenv('X') or die(...)`` (also ``$v = getenv('X') or die(...)``) crashes on both.
* ``(int)`` / ``intval`` (int), ``(float)`` / ``floatval`` (float), ``(bool)`` / ``boolval`` /
  ``=== 'true'`` (bool) keep the class: PHP converts ``false`` / ``null`` silently.
* ``if (getenv('X') === false) throw ...`` / ``if (!getenv('X')) exit(1);`` / ``die`` (also through
  a variable assigned just before, ``=== null``, ``=== ''``, ``==``, ``empty()``, ``isset()``,
  ``is_null()``, their negations with an ``else`` or an early return): crash on what the test
  catches; an ``if`` that assigns the variable gives a default; a crash inside ``try`` whose
  ``catch`` clauses do not exit is ``unknown``.  ``isset($_ENV['X']) ? $_ENV['X'] : 'd'``: the
  second read gets the default.

Names: string literals (``'X'``, ``"X"``, escape sequences decoded), ``"{$p}_HOST"`` and
``$p . '_HOST'`` (patterns), constants (``const NAME = 'X';``, class constants via
``self::NAME`` / ``C::NAME`` and ``define('NAME', 'X')``, keyed by their bare name; this file,
then the directory).  Helpers: functions and methods whose parameter flows into a read
(``$this->``, ``self::``, ``static::`` and ``Class::`` call sites), resolved per directory.
Out of scope: Symfony ``%env(X)%`` in YAML/XML service configuration, vlucas/phpdotenv
``->required()``, php-fpm ``env[X]`` pool settings, ``$_ENV`` being empty when
``variables_order`` lacks ``E``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from envlint.filepass.roles import Match, Roles
from envlint.sources.classify import Grammar, Name, joined
from envlint.sources.keys import Keys
from envlint.sources.role_adapter import FileRoles, RoleAdapter, Spec

if TYPE_CHECKING:
    from collections.abc import Sequence

    from tree_sitter import Node

__all__ = ["ADAPTER"]

GRAMMAR = Grammar(
    language="php",
    # an argument is its value (a call site's name argument, `f(null)`)
    transparent=frozenset({"parenthesized_expression", "argument"}),
    functions=frozenset(
        {"function_definition", "method_declaration", "anonymous_function", "arrow_function"}
    ),
    blocks=frozenset({"program", "compound_statement", "colon_block"}),
    scan_limit=12,
    truthy=True,  # `!$v` and `if ($v)` are false for false, null, "" (and "0")
    nulls=frozenset({"null"}),
    holder_paths=frozenset({"variable_name"}),  # `$v` (its `name` child is `v`)
    # a later `(int) $v` gives no type: PHP's conversions never fail, and a value cast to
    # bool in one place is often used as text in another (a certificate, `(bool) $cert`)
    later_uses=frozenset(),
)
_CLASSES = frozenset({"class_declaration", "trait_declaration", "enum_declaration"})


def _bare(name: str) -> str:
    """A function, class or constant name without its namespace."""
    return name.rpartition("\\")[2]


def _name_keys(node: Node, roles: Roles) -> Sequence[str]:
    """``NAME``, ``NS\\NAME``, ``self::NAME`` and ``C::NAME`` all name the constant ``NAME``."""
    if node.type == "name":
        return (roles.text(node),)
    if node.type in ("qualified_name", "class_constant_access_expression"):
        return (roles.text(node.named_children[-1]),) if node.named_children else ()
    return ()


def _const_keys(match: Match, roles: Roles) -> Sequence[str]:
    """``const NAME = ...`` and ``define('NAME', ...)``: the bare name."""
    node = match.part("name")
    if node is not None and node.type in ("string", "encapsed_string"):
        return (_bare("".join(roles.text(c) for c in node.named_children)),)
    return (_bare(roles.text(node)),) if node is not None else ()


# `f()` / `NS\f()`: the function `f`; `$this->m()`, `self::m()`, `static::m()`: `m` of the
# enclosing class; `C::m()`, `NS\C::m()`: `C.m`
_KEYS = Keys(
    methods=frozenset({"method_declaration"}),
    functions=frozenset({"function_definition"}),
    classes=_CLASSES,
    separator="\\",
    selves=frozenset({"$this", "self", "static"}),
)


def _piece(node: Node, f: FileRoles) -> str | Name:
    """A piece of a string: its text, an escape sequence's value (single-quoted strings know
    only ``\\\\`` and ``\\'``), or an interpolation (unknown)."""
    text = f.text(node)
    if node.type != "escape_sequence":
        return text if node.type == "string_content" else Name("dynamic")
    if node.parent is not None and node.parent.type == "string":
        return text[1:]
    return text.encode().decode("unicode_escape", "replace")


def _name(f: FileRoles, node: Node) -> Name | None:
    """Strings (escape sequences decoded, interpolations as patterns) and named arguments (by
    their value, as if positional); None: the shared resolution."""
    if node.type == "argument" and node.named_children:  # a named argument `key: 'X'`
        return f.name(node.named_children[-1])
    if node.type not in ("string", "encapsed_string"):
        return None
    return joined(_piece(piece, f) for piece in node.named_children)


ADAPTER = RoleAdapter(
    Spec(
        grammar=GRAMMAR,
        needles=(b"getenv", b"$_ENV", b"$_SERVER", b"env("),
        const_keys=_const_keys,
        name_keys=_name_keys,
        keys=_KEYS,
        name=_name,
    )
)
