"""C#: ``Environment.GetEnvironmentVariable`` and ``IConfiguration`` reads.

The ``GetEnvironmentVariable`` forms and what each does when the variable is missing or empty are
the commented roles of ``queries/csharp.scm`` (research/source-patterns.md A.2): ``??``,
``T.Parse`` / ``T.TryParse``, ``Convert.ToInt32`` & co., null and empty tests, ``Environment.Exit``,
``ThrowIfNull``.  Wrappers are ``Class.Method`` helpers, constants ``Class.X``.

``IConfiguration`` reads are the ``@config`` role, sections the ``@section`` role (each form
commented there); :func:`_configuration` joins a read's key to the section it is read from
(through section variables too; the key of an indexer, ``GetValue`` or ``GetConnectionString``
may be a ``Class.Const`` of another file).  Their ``api`` starts with ``IConfiguration``, their
names are in env spelling (``A__B``), matched case-insensitively by ``Service.provides`` and
``appsettings``; a test of the same key before a read decides its paths as
:meth:`~envlint.sources.classify.Walk.guard` does for any read (``if (config["X"] != null) {
bool.Parse(config["X"]!) }`` never parses a missing key).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from envlint.filepass.roles import Match, Roles
from envlint.sources.adapter import Pending
from envlint.sources.appsettings import config_source
from envlint.sources.classify import Cls, Grammar, env_read
from envlint.sources.keys import Keys
from envlint.sources.role_adapter import FileRoles, RoleAdapter, Spec

if TYPE_CHECKING:
    from tree_sitter import Node

    from envlint.sources.appsettings import ConfigSource
    from envlint.sources.model import EnvRead, ValueType

__all__ = ["ADAPTER"]

_CLASSES = frozenset(
    {"class_declaration", "struct_declaration", "record_declaration", "interface_declaration"}
)
_TYPES: dict[str, ValueType] = {
    **dict.fromkeys(("int", "Int32", "long", "Int64", "short", "Int16", "uint", "UInt32"), "int"),
    **dict.fromkeys(("ulong", "UInt64", "ushort", "byte"), "int"),
    **dict.fromkeys(("double", "Double", "float", "Single", "decimal", "Decimal"), "float"),
    **dict.fromkeys(("bool", "Boolean"), "bool"),
    "TimeSpan": "duration",
    "Uri": "url",
}

GRAMMAR = Grammar(
    language="csharp",
    transparent=frozenset({"parenthesized_expression", "argument", "postfix_unary_expression"}),
    functions=frozenset(
        {"method_declaration", "local_function_statement", "constructor_declaration"}
        | {"lambda_expression", "anonymous_method_expression"}
        | {"property_declaration", "accessor_declaration"}
    ),
    blocks=frozenset({"block", "compilation_unit"}),
    statement_wrappers=frozenset({"global_statement"}),
    # only the null-forgiving `!` passes the value through unchanged
    transparent_when=lambda node, roles: node.type != "postfix_unary_expression"
    or roles.text(node).endswith("!"),
)


def _name_keys(node: Node, roles: Roles) -> Sequence[str]:
    if node.type == "identifier":
        return (f"{roles.owner(node, _CLASSES)}.{roles.text(node)}", roles.text(node))
    if node.type == "member_access_expression":
        return (".".join(roles.text(node).rsplit(".", 2)[-2:]),)
    return ()


# `Method()` in its class; any receiver names a class (`Class.Method`, `ns.Class.Method`)
_KEYS = Keys(
    methods=frozenset({"method_declaration", "local_function_statement"}),
    classes=_CLASSES,
    bare=("member",),
)


# --- IConfiguration ----------------------------------------------------------------------


def _key(node: Node | None, f: FileRoles) -> str | None:
    """A configuration key: a literal, or NUL + ``Class.Const`` for a constant that another file
    of the project may define (resolved in phase 2 like any constant-named read)."""
    name = f.name(node)
    if name.kind == "literal":
        return name.value
    if name.kind == "const" and not name.prefix and not name.suffix:
        return "\0" + name.value
    return None


def _path(base: str | None, key: str | None) -> str | None:
    """``base:key`` (``key`` when ``base`` is the root ""), None when either is unknown."""
    if base is None or key is None:
        return None
    return f"{base}:{key}" if base else key


def _section(node: Node | None, f: FileRoles, sections: dict[str, str]) -> str | None:
    """The configuration path a receiver stands for ("" for the root), or None."""
    if node is None:
        return None
    if node.type == "identifier" and f.text(node) in sections:
        return sections[f.text(node)]
    if node.type == "invocation_expression":  # x.GetSection("A"), x.GetRequiredSection("A")
        section = f.roles.at(node, "section")
        if section is None or (key := section.part("arg")) is None:
            return None
        return _path(_section(section.part("base"), f, sections), f.literal(key))
    return "" if "config" in f.text(node).lower() else None


def _configuration(f: FileRoles) -> Iterator[EnvRead | Pending]:
    sections: dict[str, str] = {}
    for match in f.roles.all("assign"):
        value = match.part("value")
        if value is not None and value.type == "invocation_expression":
            key = _section(value, f, sections)
            if key:
                sections[f.text(match.part("target"))] = key
    reads: list[tuple[Match, Node, str, Cls]] = []
    related: dict[str, list[Node]] = {}  # key (case-insensitive) -> the values read for it
    for match in f.roles.all("config"):
        if (found := _config_read(match, f, sections)) is None:
            continue
        value = match.part("value") or match.node
        reads.append((match, value, *found))
        related.setdefault(found[0].lower(), []).append(value)
    for match, value, key, cls in reads:
        nearby = [n for n in related[key.lower()] if n.id != value.id]
        start = f.walk.guard(value, nearby, Cls()) if nearby else Cls()
        cls = f.walk.classify(value, start.then(cls))
        method = f.text(match.part("method"))
        api = f"IConfiguration.{method}" if method else "IConfiguration[]"
        record = env_read(f.location, match.node, "csharp", api, cls)
        head, const, tail = key.partition("\0")
        if const:  # `GetConnectionString(Names.Orders)`: named by a constant
            yield Pending(record, name_const=tail, prefix=head.replace(":", "__"))
        else:
            yield replace(record, name=key.replace(":", "__"))


def _config_read(match: Match, f: FileRoles, sections: dict[str, str]) -> tuple[str, Cls] | None:
    """(key, what the read itself does) of a ``@config`` match, or None."""
    method, args = f.text(match.part("method")), match.parts.get("arg", ())
    if method == "GetSection":  # x.GetSection("A").Value
        key = _section(match.node, f, sections)
        return (key, Cls()) if key else None
    if method == "GetRequiredSection":
        key = _section(match.node, f, sections)
        crash = Cls().decide("crash", match.node, True, False, f.roles)
        return None if key is None else (key, crash)
    if not args or (not method and len(args) > 1):  # an indexer takes one key
        return None
    if method == "GetConnectionString":
        base: str | None = "ConnectionStrings"
    else:
        base = _section(match.part("base"), f, sections)
    if (key := _path(base, _key(args[0], f))) is None:
        return None
    cls = Cls()
    if method == "GetValue":
        cls = Cls(type=_TYPES.get(f.text(match.part("type")).rstrip("?"), "string"))
        if cls.type != "string":
            cls = cls.decide("unknown", None, False, True, f.roles)  # "" converts per type
        if len(args) >= 2:
            cls = cls.decide("default", args[1], True, False, f.roles)
    return key, cls


def _library(f: FileRoles) -> Iterator[EnvRead | Pending | ConfigSource]:
    """The ``IConfiguration`` reads, and the configuration files the code adds: the
    ``@config_source`` calls in the order their methods are written (a chain left to right)."""
    yield from _configuration(f)
    added = sorted(f.roles.all("config_source"), key=lambda m: m.parts["method"][0].start_byte)
    for match in added:
        path = match.part("path")
        written = path if f.roles.at(path, "string") is not None else None  # not a constant's
        source = config_source(f.location(match.node), f.name(written))
        if source is not None:
            yield source


ADAPTER = RoleAdapter(
    Spec(
        grammar=GRAMMAR,
        scope=lambda _path: "",  # one scope for the whole tree
        needles=(
            b"GetEnvironmentVariable",
            b"onfiguration",
            b"GetConnectionString",
            b"GetValue",
            b"GetRequiredSection",
            b"GetSection",
            *(b"AddJsonFile", b"AddXmlFile", b"AddIniFile", b"AddYamlFile"),
            *(b"AddKeyPerFile", b"AddJsonStream"),  # configuration files added (appsettings)
        ),
        const_keys=lambda match, roles: _name_keys(match.part("name") or match.node, roles),
        name_keys=_name_keys,
        keys=_KEYS,
        via=lambda key: key.rpartition(".")[2],  # `Method`, not `Class.Method`
        extra=_library,
    )
)
