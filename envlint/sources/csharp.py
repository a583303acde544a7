"""C#: ``Environment.GetEnvironmentVariable`` and ``IConfiguration`` reads.

The forms are roles in ``queries/csharp.scm`` (research/source-patterns.md A.2): ``?? throw`` ->
crash when missing (``""`` passes), ``?? d`` -> default; ``T.Parse`` -> the type, and a crash
on missing (``ArgumentNullException``) and on ``""`` (``FormatException``) unless a default
came first; ``T.TryParse`` -> default; ``Convert.ToInt32`` & co. -> 0 when missing, a
``FormatException`` on ``""``; a holder tested by ``string.IsNullOrEmpty`` / ``== null`` /
``is null`` whose branch throws or calls ``Environment.Exit``; ``ThrowIfNull`` /
``ThrowIfNullOrEmpty``.  Wrappers are ``Class.Method`` helpers, constants ``Class.X``.

``IConfiguration`` (``config["A:B"]``, ``GetValue<T>("K"[, d])``, ``GetConnectionString("X")``,
``GetRequiredSection("A")``, ``GetSection("A").Value``, section variables; the key of an
indexer, ``GetValue`` or ``GetConnectionString`` may be a ``Class.Const`` of another file) is the
one form no role expresses: :func:`_configuration` reads it.  Those reads have ``api`` starting with
``IConfiguration`` and names in env spelling (``A__B``); ``Service.provides`` and
``appsettings`` match them case-insensitively.  A test of the same key (case-insensitive) before
such a read decides its paths as :meth:`~envlint.sources.classify.Walk.guard` does for any read:
``if (config["X"] != null) { bool.Parse(config["X"]!) }`` never parses a missing key.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from envlint.sources.adapter import Pending
from envlint.sources.classify import Cls, Grammar, Match, Roles, env_read
from envlint.sources.role_adapter import FileRoles, RoleAdapter, Spec

if TYPE_CHECKING:
    from tree_sitter import Node

    from envlint.sources.model import EnvRead, ValueType

__all__ = ["ADAPTER", "CONFIG_API_PREFIX"]

CONFIG_API_PREFIX = "IConfiguration"

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
        {
            "method_declaration",
            "local_function_statement",
            "constructor_declaration",
            "lambda_expression",
            "anonymous_method_expression",
            "property_declaration",
            "accessor_declaration",
        }
    ),
    blocks=frozenset({"block", "compilation_unit"}),
    statement_wrappers=frozenset({"global_statement"}),
    # only the null-forgiving `!` passes the value through unchanged
    transparent_when=lambda node, roles: node.type != "postfix_unary_expression"
    or roles.text(node).endswith("!"),
)


def _const_keys(match: Match, roles: Roles) -> Sequence[str]:
    name = match.part("name")
    return _name_keys(name, roles) if name is not None else ()  # an identifier


def _name_keys(node: Node, roles: Roles) -> Sequence[str]:
    if node.type == "identifier":
        return (f"{roles.owner(node, _CLASSES)}.{roles.text(node)}", roles.text(node))
    if node.type == "member_access_expression":
        return (".".join(roles.text(node).rsplit(".", 2)[-2:]),)
    return ()


def _helper_key(function: Match, roles: Roles) -> str | None:
    if function.node.type not in ("method_declaration", "local_function_statement"):
        return None
    return f"{roles.owner(function.node, _CLASSES)}.{roles.text(function.part('name'))}"


def _call_keys(call: Match, roles: Roles) -> Sequence[str]:
    name, receiver = roles.text(call.part("name")), call.part("receiver")
    if receiver is None:
        return (f"{roles.owner(call.node, _CLASSES)}.{name}",)
    return (f"{roles.text(receiver).rpartition('.')[2]}.{name}",)


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


def _member(call: Node, f: FileRoles) -> tuple[Node | None, str, Node | None]:
    """(receiver, method name, generic type argument) of an invocation."""
    name = fn = call.child_by_field_name("function")
    receiver = None
    if fn is not None and fn.type == "member_access_expression":
        name, receiver = fn.child_by_field_name("name"), fn.child_by_field_name("expression")
    if name is not None and name.type == "generic_name":
        args = [c for c in name.named_children if c.type == "type_argument_list"]
        targ = args[0].named_children[0] if args and args[0].named_children else None
        return receiver, f.text(name.named_children[0]), targ
    return receiver, f.text(name), None


def _args(call: Node, field: str = "arguments") -> list[Node]:
    """The values of a call's (or an indexer's ``subscript``) arguments."""
    args = call.child_by_field_name(field)
    return [a.named_children[-1] for a in (args.named_children if args else ()) if a.named_children]


def _section(node: Node | None, f: FileRoles, sections: dict[str, str]) -> str | None:
    """The configuration path a receiver stands for ("" for the root), or None."""
    if node is None:
        return None
    if node.type == "identifier" and f.text(node) in sections:
        return sections[f.text(node)]
    if node.type == "invocation_expression":
        receiver, name, _ = _member(node, f)
        args = _args(node) if name in ("GetSection", "GetRequiredSection") else []
        key = f.literal(args[0]) if args else None
        base = _section(receiver, f, sections) if key is not None else None
        if key is None or base is None:
            return None
        return f"{base}:{key}" if base else key
    return "" if "config" in f.text(node).lower() else None


def _configuration(f: FileRoles) -> Iterator[EnvRead | Pending]:
    sections: dict[str, str] = {}
    for match in f.roles.all("assign"):
        value = match.part("value")
        if value is not None and value.type == "invocation_expression":
            key = _section(value, f, sections)
            if key:
                sections[f.text(match.part("target"))] = key
    nodes = [m.node for m in f.roles.all("call")] + [m.node for m in f.roles.all("element")]
    reads: list[tuple[Node, Node, str, str, Cls]] = []
    related: dict[str, list[Node]] = {}  # key (case-insensitive) -> the values read for it
    for node in sorted(nodes, key=lambda n: n.start_byte):
        if (found := _config_read(node, f, sections)) is None:
            continue
        key, api, cls = found
        value = node.parent if api.endswith(".GetSection") and node.parent else node
        reads.append((node, value, key, api, cls))
        related.setdefault(key.lower(), []).append(value)
    for node, value, key, api, cls in reads:
        # `if (config["X"] != null) { bool.Parse(config["X"]!) }`: a test of the same key
        # before the read decides its paths first (Walk.guard), as for a GetEnvironmentVariable
        nearby = [n for n in related[key.lower()] if n.id != value.id]
        start = f.walk.guard(value, nearby, Cls()) if nearby else Cls()
        cls = f.walk.classify(value, start.then(cls))
        record = env_read(f.location, node, "csharp", api, cls)
        head, const, tail = key.partition("\0")
        if const:  # `GetConnectionString(Names.Orders)`: named by a constant
            yield Pending(record, name_const=tail, prefix=head.replace(":", "__"))
        else:
            yield replace(record, name=key.replace(":", "__"))


def _config_read(node: Node, f: FileRoles, sections: dict[str, str]) -> tuple[str, str, Cls] | None:
    """(key, api, base class) of a configuration access, or None."""
    cls = Cls()
    if node.type == "element_access_expression":
        args = _args(node, "subscript")
        base = _section(node.child_by_field_name("expression"), f, sections)
        key = _key(args[0], f) if len(args) == 1 and base is not None else None
        if key is None or base is None:
            return None
        return (f"{base}:{key}" if base else key), f"{CONFIG_API_PREFIX}[]", cls
    receiver, name, targ = _member(node, f)
    if not (args := _args(node)):
        return None
    if name == "GetConnectionString":
        key = _key(args[0], f)
        api = f"{CONFIG_API_PREFIX}.GetConnectionString"
        return None if key is None else (f"ConnectionStrings:{key}", api, cls)
    if name == "GetValue":
        key, base = _key(args[0], f), _section(receiver, f, sections)
        if key is None or base is None:
            return None
        type_name = f.text(targ).rstrip("?") if targ is not None else "string"
        cls = replace(cls, type=_TYPES.get(type_name, "string"))
        if cls.type != "string":
            cls = cls.decide("unknown", None, False, True, f.roles)  # "" converts per type
        if len(args) >= 2:
            cls = cls.decide("default", args[1], True, False, f.roles)
        return (f"{base}:{key}" if base else key), f"{CONFIG_API_PREFIX}.GetValue", cls
    if name == "GetRequiredSection":
        if (key := _section(node, f, sections)) is None:
            return None
        cls = cls.decide("crash", node, True, False, f.roles)
        return key, f"{CONFIG_API_PREFIX}.GetRequiredSection", cls
    parent = node.parent  # GetSection("A").Value
    if name != "GetSection" or parent is None or parent.type != "member_access_expression":
        return None
    key = _section(node, f, sections)
    if key and f.text(parent.child_by_field_name("name")) == "Value":
        return key, f"{CONFIG_API_PREFIX}.GetSection", cls
    return None


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
        ),
        const_keys=_const_keys,
        name_keys=_name_keys,
        helper_key=_helper_key,
        call_keys=_call_keys,
        extra=_configuration,
    )
)
