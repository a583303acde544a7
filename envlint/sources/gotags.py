"""Go library forms no role expresses: configuration struct tags and viper keys.

Struct tags, per library (the library is the one the file imports; without an import, the tag
keys tell: ``env-default``/``env-required`` & co. are cleanenv's, ``long``/``short``/
``description`` go-flags', ``default=`` & co. inside ``env:"..."`` go-envconfig's, anything else
caarlos0's: alecthomas/kong's too).  What happens when the variable is unset / set to "":

* kelseyhightower/envconfig ``envconfig:"X" default:"d" required:"true"`` (the field's name, or
  ``split_words``, after ``Process``'s prefix and the keys of the struct fields that hold it:
  ``APP_DB_X``; a tagged field is also looked up by the bare tag when that name is unset, an
  alternative of the read; where the file does not say the prefix, a tagged field is named by
  its tag and an untagged one is a pattern): the default, else an error when required / ""
  is kept and parsed (a crash unless a string);
* caarlos0/env ``env:"X,required,notEmpty" envDefault:"d"``: the default, else an error when
  required or notEmpty / the default, else an error when notEmpty;
* sethvargo/go-envconfig ``env:"X,required"``, ``env:"X,default=d"`` (``default=`` takes the
  rest of the tag): the default, else an error when required / the zero value (its
  processField ignores "");
* ilyakaznacheev/cleanenv ``env:"X,Y" env-default:"d" env-required:"true"`` (the first name set
  wins): an error when ``env-required`` is present (checked before the default), else the
  default / "" kept and parsed;
* jessevdk/go-flags ``long:"x" env:"X" default:"d" required:"true"`` and alexflint/go-arg
  ``arg:"--x,env:X,required" default:"d"`` (``env`` alone: the field's name upper-cased): the
  default, else an error when required and the command line does not pass the flag / "" kept
  and parsed (go-flags: a bool is true).

Prefixes of the structs that hold a field (go-flags ``env-namespace`` + ``_``, and
``namespace`` + ``.`` for its long options; caarlos0 ``envPrefix``, cleanenv ``env-prefix``,
go-envconfig ``prefix=``) are followed through inline structs and struct types of the file.

A field is read where its struct is processed (``EnvRead.processed_at``, which says when it
runs): at the file's library calls in a function that names the struct (or one holding it),
and at a generic helper's ``F[T](...)``, whose lookup is not known (not a crash); none in the
file: not known.  go-envconfig's ``Lookuper`` (``PrefixLookuper``, ``MultiLookuper``,
``OsLookuper``) names the variable and its alternatives; another one is not known.

The error ``Process``/``Parse``/``ReadEnv`` returns is taken as fatal (``MustProcess``,
``env.Must`` and go-arg's ``MustParse`` exit or panic; services check the error and exit: the
point of ``required`` is to stop).  A cleanenv field that a config file may set (it has a
``yaml``/``json``/``toml`` key too: ``ReadConfig`` reads the file first) is not known to crash
(``unknown``), nor one of several names.  A go-flags / go-arg field keeps its command-line flags
in ``EnvRead.flags``: a service whose command passes one does not need the variable.

viper (best effort): ``BindEnv("key", "ENV"...)`` names, ``BindEnv("key")`` and
``AutomaticEnv`` + ``Get*("key")`` with a literal ``SetEnvPrefix`` in the same file; viper never
crashes (missing -> zero value, or ``SetDefault`` -> default).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from envlint.filepass.roles import below, lineage
from envlint.sources.classify import Cls, env_read, uncertain

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from tree_sitter import Node

    from envlint.sources.model import EnvRead, Missing, ValueType
    from envlint.sources.role_adapter import FileRoles

__all__ = ["library_reads", "parse_struct_tag"]

_Site = tuple["Node", frozenset[str], tuple[str, ...] | None]  # a call that processes a struct
_Ways = tuple[tuple[str, str, frozenset[str]], ...]  # a field's prefixes and types (_nesting)

_TAG_ITEM = re.compile(r' *([^\x00-\x20:"\x7f]+):"((?:[^"\\]|\\.)*)"', re.DOTALL)
_CLEANENV_KEYS = frozenset(
    {"env-default", "env-required", "env-description", "env-separator", "env-layout", "env-upd"}
)
_SETHVARGO_OPTIONS = ("default=", "prefix=", "delimiter=", "separator=", "overwrite", "noinit")
_TYPE_OF_GO: dict[str, ValueType] = {
    "bool": "bool",
    "float32": "float",
    "float64": "float",
    "time.Duration": "duration",
}
_TARGS = "type_arguments"
_VIPER_TYPED = ("GetInt", "GetInt32", "GetInt64", "GetUint", "GetFloat64", "GetBool")


def parse_struct_tag(tag: str) -> dict[str, str]:
    """Go's ``reflect.StructTag`` grammar: ``key:"quoted value" key2:"..."`` (a malformed tag
    ends the parse, like ``StructTag.Lookup``; the first of a key wins)."""
    out: dict[str, str] = {}
    pos = 0
    while item := _TAG_ITEM.match(tag, pos):
        out.setdefault(item[1], item[2].replace('\\"', '"').replace("\\\\", "\\"))
        pos = item.end()
    return out


@dataclass(frozen=True)
class _Decl:
    """What a library reads for one field or key, and what it does when that is unset / ""."""

    names: tuple[str, ...]  # none: the field is read by no library
    default: str | None  # None: no default
    unset: Missing = "empty"  # without a default
    empty: Missing = "empty"
    flags: tuple[str, ...] = ()  # command-line flags that set the same value
    alt: str = ""  # envconfig: the name looked up when the prefixed one is unset

    def reads(
        self,
        f: FileRoles,
        node: Node,
        api: str,
        ftype: ValueType,
        head: str | None = "",
        env: str = "",
        space: str = "",
        sites: list[_Site] | None = None,
    ) -> Iterator[EnvRead]:
        """One read per name, after ``head`` (None: a prefix the file does not say, a pattern
        unless ``alt`` names the variable) and the holders' ``env``; ``space``: go-flags'
        namespace of long options.  A field is read at the ``sites`` that process its struct
        (None: at ``node``), named with their lookup's prefixes, the first, the others
        alternatives (not known when it is not modeled, or they differ)."""
        missing: Missing = "default" if self.default is not None else self.unset
        cls = Cls(missing, self.empty, self.default, ftype, crash=node)
        flags = tuple(f"--{space}{x[2:]}" if x.startswith("--") else x for x in self.flags)
        read = replace(env_read(f.location, node, "go", api, cls), flags=flags)
        lookups = {prefixes for _, _, prefixes in sites or ()} or {("",)}
        if (lookup := lookups.pop() if len(lookups) == 1 else None) is None:
            read = uncertain(read)
        if sites is not None:
            read = replace(read, processed_at=tuple(f.location(call) for call, _, _ in sites))
        for name in self.names:
            by_tag = head is None and self.alt
            full = self.alt if by_tag else f"{'*' if head is None else head}{env}{name}"
            names = [full] if full.startswith("*") else [p + full for p in lookup or ("",)]
            if names == [full] and self.alt not in ("", full):  # a lookup's prefixes replace it
                names.append(self.alt)
            others = tuple((n,) for n in names[1:])
            yield replace(read, name=names[0], is_pattern=full.startswith("*"), alternatives=others)


def _parsed(ftype: ValueType, *kept: ValueType) -> Missing:
    """A value set to "" is kept and parsed: an error unless a string (or one of ``kept``)."""
    return "empty" if ftype in ("string", *kept) else "crash"


def _kelsey_key(tags: dict[str, str], field: str) -> str:
    """kelseyhightower/envconfig's key of a field: its ``envconfig`` tag, else its name."""
    split = _split_words(field) if tags.get("split_words") == "true" else field
    return (tags.get("envconfig") or split).upper()


def _kelsey(tags: dict[str, str], field: str, ftype: ValueType) -> _Decl:
    unset: Missing = "crash" if tags.get("required") == "true" else "empty"
    key, alt = _kelsey_key(tags, field), tags.get("envconfig", "").upper()
    return _Decl((key,), tags.get("default") or None, unset, _parsed(ftype), alt=alt)


def _caarlos(tags: dict[str, str], _: str, ftype: ValueType) -> _Decl:
    name, *options = tags["env"].split(",")
    default, not_empty = tags.get("envDefault"), "notEmpty" in options
    unset: Missing = "crash" if not_empty or "required" in options else "empty"
    empty: Missing = "default" if default is not None else "crash" if not_empty else "empty"
    return _Decl((name,) if name not in ("", "-") else (), default, unset, empty)


def _sethvargo(tags: dict[str, str], _: str, ftype: ValueType) -> _Decl:
    name, *options = tags["env"].split(",")
    lower = [o.strip().lower() for o in options]
    # the first ``default=`` takes the rest of the tag; ``required`` counts before it
    at = next((i for i, o in enumerate(lower) if o.startswith("default=")), len(options))
    default = ",".join([options[at].strip(), *options[at + 1 :]])[8:] if options[at:] else None
    unset: Missing = "crash" if "required" in lower[:at] else "empty"
    return _Decl((name.strip(),) if name.strip() else (), default or None, unset)


def _cleanenv(tags: dict[str, str], _: str, ftype: ValueType) -> _Decl:
    names = tuple(n for n in tags["env"].split(",") if n)
    if "env-required" not in tags:
        return _Decl(names, tags.get("env-default"), empty=_parsed(ftype))
    unknown = len(names) > 1 or tags.keys() & {"yaml", "json", "toml", "edn"}  # a file may set it
    return _Decl(names, None, "unknown" if unknown else "crash", _parsed(ftype))


def _go_flags(tags: dict[str, str], _: str, ftype: ValueType) -> _Decl:
    flags = tuple(p + tags[k] for k, p in (("long", "--"), ("short", "-")) if tags.get(k))
    required = tags.get("required", "").lower() not in ("", "false", "no", "0")
    unset: Missing = "crash" if required else "empty"
    names = (tags["env"],) if tags["env"] else ()
    return _Decl(names, tags.get("default"), unset, _parsed(ftype, "bool"), flags)


def _go_arg(tags: dict[str, str], field: str, ftype: ValueType) -> _Decl:
    items = [i.strip() for i in tags["arg"].split(",")]
    keys = [item.partition(":") for item in items]
    names = [value or field.upper() for key, _, value in keys if key == "env"]
    longs = [f"--{field.lower()}"] + [k for k, _, _ in keys if k[:2] == "--" or k == "positional"]
    shorts = tuple(k for k, _, _ in keys if k[:1] == "-" and k[:2] != "--")
    flags = (longs[-1],) if longs[-1] not in ("positional", "--") else ()
    unset: Missing = "crash" if "required" in items else "empty"
    names = names[-1:] if tags["arg"] != "-" else []
    return _Decl(tuple(names), tags.get("default"), unset, _parsed(ftype), flags + shorts)


_LIBRARIES: dict[str, tuple[str, Callable[[dict[str, str], str, ValueType], _Decl]]] = {
    # EnvRead.api: (what its import path holds, how it reads a field's tags)
    "envconfig": ("kelseyhightower/envconfig", _kelsey),
    "go-arg": ("alexflint/go-arg", _go_arg),
    "cleanenv": ("ilyakaznacheev/cleanenv", _cleanenv),  # env:"..." readers in this order
    "go-flags": ("jessevdk/go-flags", _go_flags),
    "sethvargo/go-envconfig": ("sethvargo/go-envconfig", _sethvargo),
    "caarlos0/env": ("caarlos0/env", _caarlos),
}


def _library(tags: dict[str, str], field: str, imported: set[str]) -> str | None:
    """envconfig for an ``envconfig`` key (or its other keys in a file that imports it), go-arg
    for ``arg``, else the ``env`` reader ("" for none: a kelseyhightower/envconfig file)."""
    kelsey = "envconfig" in imported and bool(tags.keys() & {"default", "required", "split_words"})
    if ("envconfig" in tags or kelsey) and field and tags.get("ignored") != "true":
        return "envconfig"
    if "arg" in tags and field:
        return "go-arg"
    if "env" not in tags:
        return None
    options = [o.strip() for o in tags["env"].split(",")[1:]]
    marked = {
        "cleanenv": bool(tags.keys() & _CLEANENV_KEYS),
        "go-flags": bool(tags.keys() & {"long", "short", "description"}),
        "sethvargo/go-envconfig": any(o.startswith(_SETHVARGO_OPTIONS) for o in options),
        "caarlos0/env": "envconfig" not in imported,
    }
    found = [api for api in marked if api in imported] or [a for a, yes in marked.items() if yes]
    return found[0] if found else ""


def library_reads(f: FileRoles) -> Iterator[EnvRead]:
    """The struct tags' reads, then kelseyhightower/envconfig's prefixes, then viper's."""
    processes = list(_processes(f))
    if any(n in f.ctx.source for n in (b'envconfig:"', b'env:"', b'arg:"')):
        paths = set(f.roles.bindings.values())
        imported = {api for api, (path, _) in _LIBRARIES.items() if any(path in p for p in paths)}
        heads = _heads(f, imported, {prefix for _, prefix in processes})
        nesting, sites = _nesting(f), list(_sites(f))
        for match in f.roles.all("field"):
            tags = parse_struct_tag(f.text(match.part("tag"))[1:-1])
            name, ftype = f.text(match.part("name")), _field_type(f.text(match.part("type")))
            api = _library(tags, name, imported)
            if api is None:
                continue
            decl = _LIBRARIES[api][1](tags, name, ftype) if api else _Decl((), None)
            # one read per way the field is reached (asked for every env / arg field, read or
            # not, as the depth-limited memo of _nesting depends on the order)
            head = heads.get(api, "")
            for env, space, types in nesting(match.node, api == "envconfig"):
                mine = [site for site in sites if site[1] & types]  # what processes its struct
                yield from decl.reads(f, match.node, api, ftype, head, env, space, mine)
    # Process("db", &cfg) reads every exported field of cfg's struct as DB_<FIELD>, tagged or
    # not, and the struct may be declared in another file: a pattern read DB_* at the call (a
    # use, for ENV107; never a crash)
    for call, prefix in processes:
        if prefix:
            read = env_read(f.location, call, "go", "envconfig.Process", Cls("unknown"))
            yield replace(read, name=f"{prefix.upper()}_*", is_pattern=True)
    yield from _viper_reads(f)


def _processes(f: FileRoles) -> Iterator[tuple[Node, str | None]]:
    """kelseyhightower/envconfig ``Process(prefix, &cfg)`` and ``MustProcess`` calls, each with
    its literal prefix (None: none, or computed)."""
    for call in f.roles.all("call"):
        if f.text(call.part("name")) not in ("Process", "MustProcess"):
            continue
        if f.roles.bindings.get(f.text(call.part("receiver")), "").endswith("envconfig"):
            args = f.call_arguments(call.node)[0]
            yield call.node, _literal(f, args[0]) if args else None


def _sites(f: FileRoles) -> Iterator[_Site]:
    """The calls that process a struct, with the struct types it may be and the prefixes a name
    is looked up with, in order (None: a lookup not modeled): a library's (of any type its
    function names; go-envconfig's ``Lookuper``), and a generic helper's ``F[T](...)`` (of T;
    how it looks names up is not known)."""
    for node in below(f.ctx.root):
        callee = node.child_by_field_name("function") or node.child_by_field_name("type")
        if callee is None or node.type not in ("call_expression", "type_conversion_expression"):
            continue
        targs = node.child_by_field_name(_TARGS)
        if callee.type in ("index_expression", "generic_type"):  # F[T]()
            targs = callee.child_by_field_name("index") or callee.child_by_field_name(_TARGS)
            callee = callee.child_by_field_name("operand") or callee.child_by_field_name("type")
        receiver, _, name = f.text(callee).rpartition(".")
        path = f.roles.bindings.get(receiver, "")
        if any(p in path for p, _ in _LIBRARIES.values()) and not name.endswith("Lookuper"):
            scope = next(p for p in lineage(node) if f.walk.is_function(p) or p.parent is None)
            keyed = (k for k in below(node) if k.type == "keyed_element")
            lookuper = next((k for k in keyed if f.text(k.named_children[0]) == "Lookuper"), None)
            prefixes = ("",) if lookuper is None else _lookup(f, lookuper.named_children[-1])
            yield node, _named(f, targs or scope), prefixes
        elif targs is not None:
            yield node, _named(f, targs), None


def _named(f: FileRoles, node: Node) -> frozenset[str]:
    """The names in ``node`` that may be the file's types (not another package's)."""
    names = (n for n in below(node) if n.type in ("identifier", "type_identifier"))
    return frozenset(f.text(n) for n in names if getattr(n.parent, "type", "") != "qualified_type")


def _lookup(f: FileRoles, node: Node) -> tuple[str, ...] | None:
    """The prefixes go-envconfig's ``Lookuper`` looks a name up with, in order (None: one
    envlint does not model)."""
    node = node.named_children[0] if node.type == "literal_element" else node  # `Key: value`
    name = f.text(node.child_by_field_name("function")).rpartition(".")[2]  # "": no call
    args = f.call_arguments(node)[0] if name else []
    inner = [_lookup(f, arg) for arg in args]
    if name == "OsLookuper" and not args:
        return ("",)
    if name == "MultiLookuper" and args and None not in inner:
        return tuple(p for found in inner for p in found or ())
    prefix = _literal(f, args[0]) if name == "PrefixLookuper" and len(args) == 2 else None
    return tuple(prefix + p for p in inner[1]) if prefix is not None and inner[1] else None


def _nesting(f: FileRoles) -> Callable[[Node, bool], _Ways]:
    """A field's (variable prefix, long option namespace, struct types on the way) triples, one
    per way its struct is held (a struct type no field of the file holds is a root, as is one
    declared elsewhere), by kelseyhightower/envconfig's keys (True) or the other libraries'
    prefixes (False)."""
    holders: dict[str, list[Node]] = {}  # struct type name -> fields of that type
    for field in f.roles.all("field"):
        holders.setdefault(f.text(field.part("type")).lstrip("*[]"), []).append(field.node)
    memo: dict[tuple[int, bool], _Ways] = {}

    def prefixes(field: Node, kelsey: bool, depth: int = 0) -> _Ways:
        if (field.id, kelsey) not in memo:
            struct = field.parent.parent if field.parent is not None else None
            holder = struct.parent if struct is not None and depth < 8 else None
            users = [holder] if holder is not None and holder.type == "field_declaration" else []
            named: frozenset[str] = frozenset()
            if holder is not None and holder.type == "type_spec":
                named = frozenset({f.text(holder.child_by_field_name("name"))})
                users = holders.get(next(iter(named)), [])
            found: dict[tuple[str, str], frozenset[str]] = {}
            for user in users:
                own_env, own_space = _own(f, user, kelsey)
                for env, space, types in prefixes(user, kelsey, depth + 1):
                    way = (env + own_env, space + own_space)
                    found[way] = found.get(way, named) | types
            ways = tuple((*way, types) for way, types in found.items())
            memo[field.id, kelsey] = ways or (("", "", named),)
        return memo[field.id, kelsey]

    return prefixes


def _own(f: FileRoles, holder: Node, kelsey: bool) -> tuple[str, str]:
    """The prefixes a field gives the struct it holds (kelseyhightower/envconfig: a named
    field's key; an embedded struct adds nothing)."""
    tags = parse_struct_tag(f.text(holder.child_by_field_name("tag"))[1:-1])
    if kelsey:
        name = holder.child_by_field_name("name")
        return (_kelsey_key(tags, f.text(name)) + "_" if name is not None else ""), ""
    space = tags["namespace"] + "." if tags.get("namespace") else ""
    if tags.get("env-namespace"):
        return tags["env-namespace"] + "_", space
    options = [o.strip() for o in tags.get("env", "").split(",")[1:]]
    prefix = next((o[len("prefix=") :] for o in options if o.startswith("prefix=")), "")
    return tags.get("envPrefix") or tags.get("env-prefix") or prefix, space


def _field_type(type_text: str) -> ValueType:
    base = type_text.lstrip("*")
    return "int" if re.fullmatch("u?int[0-9]*", base) else _TYPE_OF_GO.get(base, "string")


def _split_words(name: str) -> str:
    return "".join(
        "_" + ch
        if i and ch.isupper() and (not name[i - 1].isupper() or name[i + 1 : i + 2].islower())
        else ch
        for i, ch in enumerate(name)
    )


def _literal(f: FileRoles, node: Node | None) -> str | None:
    """A string literal argument's value (not a constant's: ``f.literal`` resolves those)."""
    string = node is not None and f.roles.at(f.walk.strip(node), "string") is not None
    return f.literal(node) if string else None


def _heads(f: FileRoles, imported: set[str], kelsey: set[str | None]) -> dict[str, str | None]:
    """The prefix of every variable when the file's calls all pass the same literal:
    kelseyhightower/envconfig ``Process("app", ...)`` (``APP_``; None when the file does not
    say it: no ``Process`` here, several, a computed prefix, or "" from another envconfig
    package), caarlos0/env ``Options{Prefix: "X_"}``."""
    caarlos: set[str | None] = set()
    for call in f.roles.all("call"):
        path = f.roles.bindings.get(f.text(call.part("receiver")), "")
        if "caarlos0/env" in path and (options := f.roles.at(call.node, "options")) is not None:
            caarlos.update(_literal(f, value) for value in options.parts.get("prefix", ()))
    prefix = next(iter(kelsey)) if len(kelsey) == 1 else None
    if prefix == "" and "envconfig" not in imported:
        prefix = None
    return {
        "envconfig": prefix and f"{prefix}_".upper(),
        "caarlos0/env": (next(iter(caarlos)) or "") if len(caarlos) == 1 else "",
    }


def _viper_reads(f: FileRoles) -> Iterator[EnvRead]:
    if b"viper" not in f.ctx.source:
        return
    calls = [
        (c.node, f.text(c.part("name")), f.call_arguments(c.node)[0])
        for c in f.roles.all("call")
        if c.part("receiver") is not None
    ]
    said = {name for _, name, _ in calls}
    prefixes = [_literal(f, a[0]) or "" for _, name, a in calls if name == "SetEnvPrefix" and a]
    head = f"{prefixes[-1]}_" if prefixes and prefixes[-1] else ""
    dot = "_" if "SetEnvKeyReplacer" in said else "."  # viper.SetEnvKeyReplacer(".", "_")
    defaults = {
        key.lower(): f.text(a[1])
        for _, name, a in calls
        if name == "SetDefault" and len(a) == 2 and (key := _literal(f, a[0])) is not None
    }
    for call, name, args in calls:
        keys = [_literal(f, a) for a in args]
        key = keys[0] if keys else None
        auto = "AutomaticEnv" in said and name.startswith("Get") and len(keys) == 1 and key
        if key is None or not (name == "BindEnv" or auto):
            continue
        envs = tuple(k for k in keys[1:] if k) or ((head + key).replace(".", dot).upper(),)
        default = defaults.get(key.lower())
        empty: Missing = "empty" if default is None else "default"
        ftype = _field_type(name[3:].lower() if name in _VIPER_TYPED else "string")  # GetInt: int
        yield from _Decl(envs, default, empty=empty).reads(f, call, "viper", ftype)
