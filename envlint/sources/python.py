"""Python: ``os.environ`` / ``os.getenv`` reads, wrappers, pydantic-settings, decouple, environs
and django-environ (research/source-patterns.md A.3).

The forms are roles in ``queries/python.scm`` (``missing`` / ``on_empty``):

* ``os.environ["X"]`` crash (KeyError) / empty; ``os.environ.get("X")``, ``os.getenv("X")``
  empty / empty; with a default argument (or ``setdefault``) default / empty, a ``None``
  default is none; ``... or "d"`` default / default; ``os.environ.pop("X")`` without a default
  crashes.  Aliases come from the imports (``from os import environ as ENV``).
* ``int(...)`` / ``float(...)``: the type, and ``None`` (TypeError) or ``""`` (ValueError)
  crash; a method call on a possibly-``None`` value (``.lower()``) crashes with AttributeError;
  a comparison with boolean words (``== "true"``, ``in ("1", "yes")``) types the read ``bool``.
* ``if not os.getenv("X"): raise/sys.exit`` (also through a variable assigned from the read,
  ``is None`` / ``== ""`` tests, ``assert``, and ``if "X" not in os.environ: ...``, which is a
  read only where it exits) crash; an ``if`` that assigns the variable gives a default.  A crash
  inside a ``try`` whose ``except`` does not exit is ``unknown``.
* Writes are not reads: ``os.environ["X"] = v``, ``del os.environ["X"]``, a statement
  ``os.environ.pop("X", None)``, ``update``, ``putenv``.  A read after a write of its variable
  has a default (``if "X" not in os.environ: os.environ["X"] = make_secret()``, ``setdefault``),
  as has a read the code reaches only when the variable is set (``os.environ["X"] if "X" in
  os.environ else d``, ``if key not in os.environ: return default``).
* pydantic-settings ``BaseSettings`` fields (:func:`_settings`): name = ``env_prefix`` + field
  name, upper-cased unless ``case_sensitive=True``; ``alias`` / ``validation_alias`` (first
  ``AliasChoices`` entry) replace it and ignore the prefix; no default -> crash; ``""`` is kept
  for ``str`` and fails validation for other types unless ``env_ignore_empty=True``.  pydantic
  reads the fields when the class is instantiated: each call ``Settings()`` (the class is a
  helper of its scope, with its same-file bases' fields) is a read of each field with ``via``
  the class, and its timing; a field it gives by keyword has that default, one it may give
  (``**kwargs``, ``_env_file=``) no crash.  The field itself is a read as declared, with no
  crash or type claim (a class nothing instantiates fails nothing).
* ``decouple.config("X", default=..., cast=int)``; environs / django-environ ``env("X")``,
  ``env.int("X", 5)``: no default -> crash.  The reader object may be made at the top level of
  another module of the tree (``env = environ.Env()`` in ``config/env.py``, an ``@export``) and
  imported (``from config.env import env``, ``from .env import env``, ``import config.env as
  e``: :func:`_import_target`, with the service-code model's module resolution); a file that
  binds the name itself too is not read through it.

Names: string literals, f-strings and ``+`` concatenations (patterns when a part is unknown),
module-level ``NAME = "X"`` constants (this file first, then the scope = the directory).
Wrappers: a module function or a method whose parameter flows into a read; its call sites
(:data:`_KEYS`) become reads with ``via`` = its key (``must_env``, ``Config.get``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from envlint.filepass.roles import Roles, lineage
from envlint.sources.adapter import Helper
from envlint.sources.classify import Cls, Grammar, env_read, uncertain
from envlint.sources.keys import Keys
from envlint.sources.role_adapter import FileRoles, RoleAdapter, Spec, assigned

if TYPE_CHECKING:
    from tree_sitter import Node

    from envlint.sources.adapter import SourceTree
    from envlint.sources.model import EnvRead, Missing, ValueType

__all__ = ["ADAPTER"]

GRAMMAR = Grammar(
    language="python",
    transparent=frozenset({"parenthesized_expression", "named_expression"}),
    functions=frozenset({"function_definition", "lambda", "class_definition"}),
    blocks=frozenset({"block", "module"}),
    scan_limit=12,
    empty_alone_defaults=True,  # `if v == "": v = d` makes "" a default
    truthy=True,
    nulls=frozenset({"none"}),
    keyword_argument="keyword_argument",
)

_TYPE_WORDS: dict[str, ValueType] = {
    **dict.fromkeys(("int", "PositiveInt", "NonNegativeInt", "conint"), "int"),
    **dict.fromkeys(("float", "PositiveFloat", "Decimal"), "float"),
    "bool": "bool",
    "timedelta": "duration",
    **dict.fromkeys(("AnyUrl", "HttpUrl", "AnyHttpUrl", "PostgresDsn", "RedisDsn"), "url"),
    **dict.fromkeys(("KafkaDsn", "AmqpDsn", "MongoDsn"), "url"),
}
_SPLIT = str.maketrans("[]|,", "    ")


def _name_keys(node: Node, roles: Roles) -> Sequence[str]:
    if node.type == "identifier":
        return () if _local(node, roles) else (roles.text(node),)
    if node.type == "attribute":
        return (roles.text(node.child_by_field_name("attribute")),)
    return ()


def _local(node: Node, roles: Roles) -> bool:
    """Whether ``node`` names a variable its function binds (``x = ...``, ``for x in``): never
    a module constant (a loop over names must not search the directory for a constant)."""
    scopes = (p for p in lineage(node.parent) if p.type in ("function_definition", "lambda"))
    function = next(scopes, None)
    return function is not None and roles.text(node) in assigned(roles, function)


def _module(receiver: Node, name: str, roles: Roles) -> Sequence[str] | None:
    """``module.f(...)``: the function ``f`` of an imported module (None: not a module)."""
    if receiver.type != "identifier":
        return None
    bound = roles.bindings.get(roles.text(receiver))
    return (name,) if bound is not None and not bound.endswith("()") else None


# a module function (`@callable`) is `f`, a method of a module-level class `Owner.f`; `f(...)`,
# `module.f(...)` call `f`; `self.f()`, `Owner().f()`, `cfg.f()` (with `cfg = Owner()` in the
# file) call `Owner.f`
_KEYS = Keys(
    members="callable",
    classes=frozenset({"class_definition"}),
    selves=frozenset({"self", "cls"}),
    created={"call": "function"},
    variables=frozenset({"identifier"}),
    named=frozenset(),
    special=_module,
)


def _import_target(target: str, path: str, tree: SourceTree) -> list[tuple[str, str]]:
    """What an import binding's target names, as ``path`` writes it: ``config.env.env`` (``from
    config.env import env``) the name ``env`` of ``config/env.py``, else the module
    ``config/env/env.py``; ``.env.env`` (``from .env import env``) and ``..env`` (``from .
    import env``: the binding's target is the dots, a dot and the name) relative to ``path``."""
    from envlint.servicecode.graph_python import module_file

    dots = len(target) - len(target.lstrip("."))
    rest = target[dots:]
    level = dots - 1 if dots and "." not in rest else dots
    module, _, name = rest.rpartition(".")
    found = [(module_file(tree.repo, path, module, level), name)] if module or level else []
    found.append((module_file(tree.repo, path, rest, level), ""))
    return [(file, name) for file, name in found if file is not None]


# --- pydantic-settings -------------------------------------------------------------------


def _settings(f: FileRoles) -> Iterator[EnvRead | Helper]:
    """The fields of ``BaseSettings`` classes (and of their subclasses in the file, with their
    bases' fields), read where the class is instantiated as the module doc says: the class is a
    helper whose call sites read each field (:meth:`RoleAdapter.scan_calls`), and the field
    itself a read as declared, with no crash or type claim."""
    options: dict[str, dict[str, Node]] = {}  # settings class -> option name -> its value
    declared: dict[str, dict[str, Node]] = {}  # settings class -> field name -> its assignment
    for match in f.roles.all("settings"):
        names = [f.text(b).rpartition(".")[2] for b in match.parts.get("base", ())]
        if not any(n == "BaseSettings" or n in options for n in names):
            continue
        own = dict(next((options[n] for n in names if n in options), {}))  # the base's first
        for option in f.roles.all("option"):  # `env_prefix=`, `"env_prefix":`
            key, value = option.part("key"), option.part("value")
            if option.part("class") == match.node and value is not None:
                own[_literal(f, key) or f.text(key)] = value
        name = f.text(match.part("name"))
        options[name] = own
        here = (m for m in f.roles.all("field") if m.part("class") == match.node)
        mine = {f.text(m.part("name")): m.node for m in here}
        fields = {k: v for n in reversed(names) for k, v in declared.get(n, {}).items()}
        declared[name] = fields = fields | mine
        reads = {k: r for k, node in fields.items() if (r := _field(f, node, own)) is not None}
        for read in (reads[k] for k in mine if k in reads):
            yield replace(uncertain(read), expected_type="string")
        yield Helper(name, "wrapper", fields=tuple(reads.items()))


def _literal(f: FileRoles, node: Node | None) -> str | None:
    string = node is not None and node.type in ("string", "concatenated_string")
    return f.literal(node) if string else None  # a string literal's value, not a constant's


def _field(f: FileRoles, assign: Node, options: Mapping[str, Node]) -> EnvRead | None:
    """A settings field's read as its class decides it (at the field)."""
    field_name = f.text(assign.child_by_field_name("left"))
    annotation = f.text(assign.child_by_field_name("type")).translate(_SPLIT).split()
    words = [w.rpartition(".")[2] for w in annotation]
    if field_name.startswith("_") or "ClassVar" in words:
        return None
    expected: ValueType = next((_TYPE_WORDS[w] for w in words if w in _TYPE_WORDS), "string")
    default = value = assign.child_by_field_name("right")
    env_name: str | None = None
    callee = value.child_by_field_name("function") if value is not None else None
    if value is not None and value.type == "call" and f.text(callee).endswith("Field"):
        positional, keywords = f.call_arguments(value)
        default = keywords.get("default") or keywords.get("default_factory")
        default = positional[0] if default is None and positional else default
        default = None if f.text(default) == "..." else default  # `Field(...)`: required
        for key in ("validation_alias", "alias"):
            alias = keywords.get(key)
            if alias is not None and alias.type == "call":  # AliasChoices("A", "B")
                alias = next(iter(f.call_arguments(alias)[0]), None)
            if (env_name := _literal(f, alias)) is not None:
                break
    prefix = _literal(f, options.get("env_prefix")) or ""
    name = env_name if env_name is not None else prefix + field_name
    missing: Missing = "crash" if default is None else "default"
    missing = "empty" if default is not None and f.text(default) == "None" else missing
    on_empty: Missing = "empty" if expected == "string" else "crash"
    if f.text(options.get("env_ignore_empty")) == "True":
        on_empty = missing
    cls = Cls(type=expected).decide(missing, default or assign, True, False, f.roles)
    cls = cls.decide(on_empty, assign, False, True, f.roles)
    read = env_read(f.location, assign, "python", "pydantic-settings", cls)
    case_sensitive = f.text(options.get("case_sensitive")) == "True"
    name = name if case_sensitive else name.upper()
    return replace(read, name=name, crash_location=None)  # the crash is at the instantiation


ADAPTER = RoleAdapter(
    Spec(
        grammar=GRAMMAR,
        needles=(b"environ", b"getenv", b"BaseSettings", b"decouple", b"environs"),
        name_keys=_name_keys,
        keys=_KEYS,
        extra=_settings,
        import_target=_import_target,
    )
)
