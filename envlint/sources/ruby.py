"""Ruby: ``ENV[...]`` / ``ENV.fetch`` reads, guards, wrappers, Figaro / dotenv
(research/source-patterns.md A.7; the forms are roles in ``queries/ruby.scm``).

Forms and their classes (``missing`` / ``on_empty``; only ``nil`` is falsy, ``""`` is not):

* ``ENV["X"]`` empty / empty; ``ENV.fetch("X")`` crash (KeyError) / empty;
  ``ENV.fetch("X", d)`` / ``ENV.fetch("X") { d }`` default / empty (a block that raises: crash,
  a ``nil`` default is none); ``ENV["X"] || d`` default / empty; ``ENV["X"] || raise(...)``
  crash / empty; ``ENV["X"].presence || d`` default / default; ``ENV["X"] ||= d`` default.
* ``.to_i`` / ``.to_f`` type the read (``nil.to_i`` is 0); ``Integer(...)`` / ``Float(...)``
  type it and make nil and ``""`` crashes (unless ``exception: false``); any other method call
  on a possibly-nil value (``ENV["X"].split``) crashes with NoMethodError, ``&.`` does not;
  ``== "true"`` types it ``bool``.
* ``raise/abort/exit/fail ... unless ENV["X"]`` (modifier or block ``if``/``unless``, also through
  a variable assigned from the read, ``.nil?`` / ``.empty?`` / ``.present?`` / ``.blank?`` /
  ``== ""`` / ``!`` / ``||`` / ``&&`` tests, and ``unless ENV.key?("X")``, which is a read only
  where it exits) crash; ``x ||= d`` or ``x = d if x.nil?`` after ``x = ENV["X"]`` a default.
  A crash inside ``begin``/``def`` with a ``rescue`` that does not exit, or under a ``rescue``
  modifier, is ``unknown``.
* ``Figaro.env.x!`` crash / empty (name upper-cased), ``Figaro.env.x`` empty / empty;
  ``Figaro.require_keys("X")`` / ``Dotenv.require_keys("X")`` crash / empty.
* Rails: ``config/*.rb`` (``Rails.application.configure do ... end``) is code like any other.

Names: string literals, ``"#{PREFIX}_HOST"`` interpolations and ``+`` concatenations (patterns
when a part is unknown), constants assigned a string (``NAME = "X"`` / ``"X".freeze``) at file,
class or module level (this file first, then the scope), ``Mod::NAME``.
Helpers: a ``def`` whose parameter flows into a read is a wrapper (classified by its body);
``def self.x`` in ``Mod`` (or ``def x`` after ``module_function`` / with ``extend self``) is
called as ``Mod.x(...)`` (or bare inside ``Mod``), any other ``def x`` is called bare.
Scope: the service tree -- the path before its first ``app``/``lib``/``config``/``bin`` directory
(Ruby code ``require``s across directories), else the file's directory.

Not supported: ``%w[...]`` name lists in ``require_keys`` (counted as dynamic), escape sequences
in names (kept as written), ``v && v.split`` (the second read is not known to be guarded),
``if v.nil? ... else raise`` (the ``else`` of a nil test runs for every set value).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from envlint.filepass.roles import Match, Roles
from envlint.sources.classify import Cls, Grammar, env_read
from envlint.sources.keys import Keys, owners
from envlint.sources.role_adapter import FileRoles, RoleAdapter, Spec

if TYPE_CHECKING:
    from envlint.sources.model import EnvRead

__all__ = ["ADAPTER"]

GRAMMAR = Grammar(
    language="ruby",
    transparent=frozenset({"parenthesized_statements"}),
    # a block runs in place (`each`, `configure do`): its statements are the method's
    functions=frozenset({"method", "singleton_method", "lambda"}),
    blocks=frozenset({"program", "then", "else", "body_statement", "block_body", "begin"}),
    scan_limit=12,
    empty_alone_defaults=True,
    truthy=True,
    empty_truthy=True,
    repeated_reads=True,
    nulls=frozenset({"nil"}),
    keyword_argument="pair",
)

_SCOPE_ROOTS = frozenset({"app", "lib", "config", "bin"})


def _scope(path: str) -> str:
    parts = path.split("/")[:-1]
    root = next((i for i, part in enumerate(parts) if part in _SCOPE_ROOTS), len(parts))
    return "/".join(parts[:root])


class _Keys(Keys):
    def call_keys(self, call: Match, roles: Roles) -> Sequence[str]:
        """``x(...)`` / ``self.x(...)``: a bare helper, else ``Owner.x`` of any class or module
        around the call; other receivers as the table says."""
        receiver = call.part("receiver")
        if receiver is not None and receiver.type != "self":
            return super().call_keys(call, roles)
        name = roles.text(call.part("name"))
        return (name, *(f"{owner}.{name}" for owner in owners(call.node, roles, "::")))


# `def self.x` in `Mod` (or `def x` after `module_function`, with `extend self`) is `Mod.x`, any
# other `def x` is `x`; `Mod.x(...)` / `A::Mod.x(...)` call `Mod.x`
_KEYS = _Keys(
    methods=frozenset({"singleton_method"}),
    members="module_function",
    functions=frozenset({"method"}),
    separator="::",
    named=frozenset({"constant", "scope_resolution"}),
)


def _figaro(f: FileRoles) -> Iterator[EnvRead]:
    for match in f.roles.all("figaro"):
        method = f.text(match.part("name"))
        crash = Cls().decide("crash", match.node, True, False, f.roles)
        cls = f.walk.classify(match.node, crash if method.endswith("!") else Cls())
        read = env_read(f.location, match.node, f.ctx.language, "Figaro.env", cls)
        yield replace(read, name=method.rstrip("!").upper())


ADAPTER = RoleAdapter(
    Spec(
        grammar=GRAMMAR,
        needles=(b"ENV", b"Figaro", b"Dotenv"),
        scope=_scope,
        names={"constant": "", "scope_resolution": "name"},  # NAME, Mod::NAME
        keys=_KEYS,
        extra=_figaro,
    )
)
