"""Go library forms no role expresses: configuration struct tags and viper keys.

Struct tags, per library (the library is the one the file imports; without an import, the tag
keys tell: ``env-default``/``env-required`` & co. are cleanenv's, ``long``/``short``/
``description`` go-flags', ``default=`` & co. inside ``env:"..."`` go-envconfig's, anything else
caarlos0's).  What happens when the variable is unset / set to "":

* kelseyhightower/envconfig ``envconfig:"X" default:"d" required:"true"`` (the field's name, or
  ``split_words``, with ``Process``'s prefix): the default, else an error when required / ""
  is kept and parsed (a crash unless a string);
* caarlos0/env ``env:"X,required,notEmpty" envDefault:"d"``: the default, else an error when
  required or notEmpty / the default, else an error when notEmpty;
* sethvargo/go-envconfig ``env:"X,required"``, ``env:"X,default=d"``: the default, else an error
  when required / the zero value (its processField ignores "");
* ilyakaznacheev/cleanenv ``env:"X,Y" env-default:"d" env-required:"true"`` (the first name set
  wins): an error when ``env-required`` is present (checked before the default), else the
  default / "" kept and parsed;
* jessevdk/go-flags ``long:"x" env:"X" default:"d" required:"true"`` and alexflint/go-arg
  ``arg:"--x,env:X,required" default:"d"``: the default, else an error when required and the
  command line does not pass the flag / "" kept and parsed (go-flags: a bool is true).

Prefixes of the structs that hold a field (go-flags ``env-namespace`` + ``_``, caarlos0
``envPrefix``, cleanenv ``env-prefix``, go-envconfig ``prefix=``) are followed through inline
structs and struct types of the same file.

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

from dataclasses import replace
from typing import TYPE_CHECKING

from envlint.sources.model import EnvRead

if TYPE_CHECKING:
    from tree_sitter import Node

    from envlint.sources.classify import Match
    from envlint.sources.model import Missing, ValueType
    from envlint.sources.role_adapter import FileRoles

__all__ = ["library_reads", "parse_struct_tag"]

_LIBRARIES = {
    "kelsey": "kelseyhightower/envconfig",
    "caarlos": "caarlos0/env",
    "sethvargo": "sethvargo/go-envconfig",
    "cleanenv": "ilyakaznacheev/cleanenv",
    "goflags": "jessevdk/go-flags",
    "goarg": "alexflint/go-arg",
}
_SETHVARGO_OPTIONS = ("default=", "prefix=", "delimiter=", "separator=", "overwrite", "noinit")
_FILE_KEYS = frozenset({"yaml", "json", "toml", "edn"})
_CLEANENV_KEYS = frozenset(
    {"env-default", "env-required", "env-description", "env-separator", "env-layout", "env-upd"}
)
_TYPE_OF_GO: dict[str, ValueType] = {
    "bool": "bool",
    "float32": "float",
    "float64": "float",
    "time.Duration": "duration",
}


def library_reads(f: FileRoles) -> list[EnvRead]:
    return _struct_tag_reads(f) + _viper_reads(f)


def parse_struct_tag(tag: str) -> dict[str, str]:
    """Go's ``reflect.StructTag`` grammar: ``key:"quoted value" key2:"..."`` (strconv.Unquote
    for the value; a malformed tag ends the parse, like ``StructTag.Lookup``)."""
    out: dict[str, str] = {}
    i = 0
    while i < len(tag):
        while i < len(tag) and tag[i] == " ":
            i += 1
        start = i
        while i < len(tag) and tag[i] > " " and tag[i] not in ':"' and tag[i] != "\x7f":
            i += 1
        if i == start or i + 1 >= len(tag) or tag[i] != ":" or tag[i + 1] != '"':
            break
        key = tag[start:i]
        i += 2
        value_start = i
        while i < len(tag) and tag[i] != '"':
            if tag[i] == "\\":
                i += 1
            i += 1
        if i >= len(tag):
            break
        raw = tag[value_start:i]
        out.setdefault(key, raw.replace('\\"', '"').replace("\\\\", "\\"))
        i += 1
    return out


def _field_type(type_text: str) -> ValueType:
    base = type_text.lstrip("*")
    if base in _TYPE_OF_GO:
        return _TYPE_OF_GO[base]
    if base.startswith(("int", "uint")) and base.rstrip("0123456789") in ("int", "uint"):
        return "int"
    return "string"


def _struct_tag_reads(f: FileRoles) -> list[EnvRead]:
    source = f.ctx.source
    if not any(n in source for n in (b'envconfig:"', b'env:"', b'arg:"')):
        return []
    paths = set(f.roles.bindings.values())
    libs = {lib for lib, path in _LIBRARIES.items() if any(path in p for p in paths)}
    prefix = _envconfig_prefix(f) if "kelsey" in libs else ""
    options = _options_prefix(f) if "caarlos" in libs else ""
    nesting = _Nesting(f)
    reads: list[EnvRead] = []
    for field in f.roles.all("field"):
        tag = f.text(field.part("tag"))
        if not tag:
            continue
        tags = parse_struct_tag(tag[1:-1])
        ftype = _field_type(f.text(field.part("type")))
        name = f.text(field.part("name"))
        explicit = "envconfig" in tags or (
            "kelsey" in libs and bool(tags.keys() & {"default", "required", "split_words"})
        )
        if explicit and name and tags.get("ignored") != "true":
            reads.append(_kelsey(f, field.node, tags, ftype, name, prefix))
            continue
        if "arg" in tags and name:
            found = _go_arg(f, field.node, tags, ftype, name)
        elif "env" in tags:
            found = _env_tag(f, field.node, tags, ftype, libs)
        else:
            continue
        for env, space in nesting.prefixes(field.node):  # one read per way the field is reached
            reads.extend(
                replace(
                    r,
                    name=(options if r.api == "caarlos0/env" else "") + env + r.name,
                    flags=tuple(_spaced(flag, space) for flag in r.flags),
                )
                for r in found
            )
    return reads


def _spaced(flag: str, namespace: str) -> str:
    """A go-flags long option inside groups with a ``namespace`` (joined with ``.``)."""
    return f"--{namespace}{flag[2:]}" if flag.startswith("--") else flag


class _Nesting:
    """The prefixes a struct field's variable (and go-flags' long option) gets from the fields
    that hold its struct: go-flags' ``env-namespace`` joined with ``_`` (``namespace`` with ``.``
    for the option), caarlos0's ``envPrefix``, cleanenv's ``env-prefix``, go-envconfig's
    ``prefix=``; through inline structs and struct types of the same file (a type no field of
    the file holds is a root, as is one declared elsewhere)."""

    def __init__(self, f: FileRoles) -> None:
        self.f = f
        self.holders: dict[str, list[Node]] = {}  # struct type name -> fields of that type
        for field in f.roles.all("field"):
            type_name = f.text(field.part("type")).lstrip("*[]")
            self.holders.setdefault(type_name, []).append(field.node)
        self.memo: dict[int, tuple[tuple[str, str], ...]] = {}

    def prefixes(self, field: Node, depth: int = 0) -> tuple[tuple[str, str], ...]:
        if field.id in self.memo:
            return self.memo[field.id]
        struct = field.parent.parent if field.parent is not None else None
        holder = struct.parent if struct is not None else None
        users: list[Node] = []
        if depth < 8 and holder is not None and holder.type == "field_declaration":
            users = [holder]
        elif depth < 8 and holder is not None and holder.type == "type_spec":
            users = self.holders.get(self.f.text(holder.child_by_field_name("name")), [])
        found = tuple(
            dict.fromkeys(
                (env + own_env, space + own_space)
                for user in users
                for own_env, own_space in (self._own(user),)
                for env, space in self.prefixes(user, depth + 1)
            )
        )
        self.memo[field.id] = found or (("", ""),)
        return self.memo[field.id]

    def _own(self, field: Node) -> tuple[str, str]:
        tag = self.f.text(field.child_by_field_name("tag"))
        tags = parse_struct_tag(tag[1:-1]) if tag else {}
        space = tags["namespace"] + "." if tags.get("namespace") else ""
        if tags.get("env-namespace"):
            return tags["env-namespace"] + "_", space
        options = [o.strip() for o in tags.get("env", "").split(",")[1:]]
        prefix = next((o[len("prefix=") :] for o in options if o.startswith("prefix=")), "")
        return tags.get("envPrefix") or tags.get("env-prefix") or prefix, space


def _env_tag(
    f: FileRoles, node: Node, tags: dict[str, str], ftype: ValueType, libs: set[str]
) -> list[EnvRead]:
    """A field with an ``env:"..."`` tag, read as the imported library (else the one its tag
    keys name) does."""
    options = [o.strip() for o in tags["env"].split(",")[1:]]
    known = libs & {"cleanenv", "goflags", "sethvargo", "caarlos"}
    if "cleanenv" in known or (not known and tags.keys() & _CLEANENV_KEYS):
        return _cleanenv(f, node, tags, ftype)
    if "goflags" in known or (not known and tags.keys() & {"long", "short", "description"}):
        return _go_flags(f, node, tags, ftype)
    if "sethvargo" in known or (
        not known and any(o.startswith(_SETHVARGO_OPTIONS) for o in options)
    ):
        return _sethvargo(f, node, tags["env"], ftype)
    if "caarlos" in known or "kelsey" not in libs:
        return _caarlos(f, node, tags, ftype)
    return []


def _read(
    f: FileRoles,
    node: Node,
    name: str,
    api: str,
    classes: tuple[Missing, Missing],
    default: str | None,
    ftype: ValueType,
) -> EnvRead:
    missing, on_empty = classes
    return EnvRead(
        name=name,
        location=f.location(node),
        language="go",
        api=api,
        missing=missing,
        on_empty=on_empty,
        default=default if missing == "default" else None,
        expected_type=ftype,
        crash_location=f.location(node) if "crash" in classes else None,
    )


def _kelsey(
    f: FileRoles, node: Node, tags: dict[str, str], ftype: ValueType, field: str, prefix: str
) -> EnvRead:
    key = tags.get("envconfig") or (
        _split_words(field) if tags.get("split_words") == "true" else field
    )
    name = (f"{prefix}_{key}" if prefix else key).upper()
    default = tags.get("default") or None
    missing: Missing = (
        "default" if default else ("crash" if tags.get("required") == "true" else "empty")
    )
    on_empty: Missing = "crash" if ftype != "string" else "empty"  # "" is kept, then parsed
    return _read(f, node, name, "envconfig", (missing, on_empty), default, ftype)


def _caarlos(f: FileRoles, node: Node, tags: dict[str, str], ftype: ValueType) -> list[EnvRead]:
    name, *options = tags["env"].split(",")
    if not name or name == "-":
        return []
    default = tags.get("envDefault")
    not_empty = "notEmpty" in options
    missing: Missing = (
        "default"
        if default is not None
        else ("crash" if "required" in options or not_empty else "empty")
    )
    on_empty: Missing = "default" if default is not None else ("crash" if not_empty else "empty")
    return [_read(f, node, name, "caarlos0/env", (missing, on_empty), default, ftype)]


def _sethvargo(f: FileRoles, node: Node, tag: str, ftype: ValueType) -> list[EnvRead]:
    """``env:"X,required"`` / ``env:"X,default=d"`` (``default=`` takes the rest of the tag);
    a value set to "" leaves the zero value (go-envconfig's processField)."""
    name, _, rest = tag.partition(",")
    default: str | None = None
    required = False
    options = rest.split(",") if rest else []
    for index, option in enumerate(options):
        option = option.strip()
        if option.lower().startswith("default="):
            default = ",".join([option, *options[index + 1 :]])[len("default=") :]
            break
        required |= option.lower() == "required"
    if not name.strip():
        return []
    missing: Missing = "default" if default else ("crash" if required else "empty")
    return [
        _read(f, node, name.strip(), "sethvargo/go-envconfig", (missing, "empty"), default, ftype)
    ]


def _cleanenv(f: FileRoles, node: Node, tags: dict[str, str], ftype: ValueType) -> list[EnvRead]:
    """``env:"X,Y"`` (the first one set wins); ``env-required`` is checked before
    ``env-default`` applies; "" is kept and parsed."""
    names = [n for n in tags.get("env", "").split(",") if n]
    default = tags.get("env-default")
    missing: Missing = "default" if default is not None else "empty"
    if "env-required" in tags:
        missing = "unknown" if len(names) > 1 or tags.keys() & _FILE_KEYS else "crash"
    on_empty: Missing = "crash" if ftype != "string" else "empty"
    return [_read(f, node, n, "cleanenv", (missing, on_empty), default, ftype) for n in names]


def _go_flags(f: FileRoles, node: Node, tags: dict[str, str], ftype: ValueType) -> list[EnvRead]:
    """An option whose default comes from ``env:"X"``; ``required`` is satisfied by the
    variable, the ``default`` tag or the flag on the command line."""
    name = tags.get("env", "")
    if not name:
        return []
    default = tags.get("default")
    required = tags.get("required", "").lower() not in ("", "false", "no", "0")
    missing: Missing = "default" if default is not None else ("crash" if required else "empty")
    on_empty: Missing = "crash" if ftype not in ("string", "bool") else "empty"
    flags = tuple(
        flag
        for flag in (
            f"--{tags['long']}" if tags.get("long") else "",
            f"-{tags['short']}" if tags.get("short") else "",
        )
        if flag
    )
    read = _read(f, node, name, "go-flags", (missing, on_empty), default, ftype)
    return [replace(read, flags=flags)]


def _go_arg(
    f: FileRoles, node: Node, tags: dict[str, str], ftype: ValueType, field: str
) -> list[EnvRead]:
    """``arg:"--port,-p,env:PORT,required"`` (``env`` alone: the field's name upper-cased)."""
    items = [i.strip() for i in tags["arg"].split(",")]
    name = None
    flags: list[str] = []
    long = f"--{field.lower()}"
    for item in items:
        key, _, value = item.partition(":")
        if key == "env":
            name = value or field.upper()
        elif key.startswith("--"):
            long = key
        elif key.startswith("-"):
            flags.append(key)
        elif key == "positional":
            long = ""
    if name is None or tags["arg"] == "-":
        return []
    if long not in ("", "--"):
        flags.insert(0, long)
    default = tags.get("default")
    missing: Missing = (
        "default" if default is not None else ("crash" if "required" in items else "empty")
    )
    on_empty: Missing = "crash" if ftype != "string" else "empty"
    read = _read(f, node, name, "go-arg", (missing, on_empty), default, ftype)
    return [replace(read, flags=tuple(flags))]


def _args(call: Match) -> tuple[Node, ...]:
    """A call's arguments (comments left out)."""
    args = call.part("args")
    return tuple(a for a in args.named_children if not a.is_extra) if args is not None else ()


def _literal(f: FileRoles, node: Node | None) -> str | None:
    """A string literal argument's value (nothing else)."""
    match = f.roles.at(f.walk.strip(node), "string") if node is not None else None
    if match is None or match.parts.get("hole"):
        return None
    return "".join(f.text(t) for t in match.parts.get("text", ()))


def _envconfig_prefix(f: FileRoles) -> str:
    prefixes = set()
    for call in f.roles.all("call"):
        receiver = call.part("receiver")
        if f.text(call.part("name")) not in ("Process", "MustProcess") or receiver is None:
            continue
        if not f.roles.bindings.get(f.text(receiver), "").endswith("envconfig"):
            continue
        args = _args(call)
        prefixes.add(_literal(f, args[0]) if args else None)
    return next(iter(prefixes)) or "" if len(prefixes) == 1 else ""


def _options_prefix(f: FileRoles) -> str:
    """caarlos0/env's ``Options{Prefix: "X_"}`` when the file parses with one literal prefix."""
    prefixes = set()
    for call in f.roles.all("call"):
        receiver = call.part("receiver")
        if receiver is None or "caarlos0/env" not in f.roles.bindings.get(f.text(receiver), ""):
            continue
        for arg in _args(call):
            body = arg.child_by_field_name("body") if arg.type == "composite_literal" else None
            for element in body.named_children if body is not None else ():
                key, value = (
                    element.child_by_field_name("key"),
                    element.child_by_field_name("value"),
                )
                if element.type == "keyed_element" and f.text(key) == "Prefix" and value:
                    prefixes.add(
                        _literal(f, value.named_children[0]) if value.named_children else None
                    )
    return next(iter(prefixes)) or "" if len(prefixes) == 1 else ""


def _split_words(name: str) -> str:
    out: list[str] = []
    for i, ch in enumerate(name):
        if (
            i
            and ch.isupper()
            and (not name[i - 1].isupper() or (i + 1 < len(name) and name[i + 1].islower()))
        ):
            out.append("_")
        out.append(ch)
    return "".join(out)


# --- viper ------------------------------------------------------------------------------------

_VIPER_TYPES: dict[str, ValueType] = {
    "GetInt": "int",
    "GetInt32": "int",
    "GetInt64": "int",
    "GetUint": "int",
    "GetFloat64": "float",
    "GetBool": "bool",
}


def _viper_reads(f: FileRoles) -> list[EnvRead]:
    if b"viper" not in f.ctx.source:
        return []
    calls = [
        (c.node, f.text(c.part("name")), _args(c))
        for c in f.roles.all("call")
        if c.part("receiver") is not None
    ]
    prefix = ""
    automatic = replacer = False
    defaults: dict[str, str] = {}
    for _, name, args in calls:
        if name == "SetEnvPrefix" and args:
            prefix = _literal(f, args[0]) or ""
        automatic |= name == "AutomaticEnv"
        replacer |= name == "SetEnvKeyReplacer"
        if name == "SetDefault" and len(args) == 2:
            key = _literal(f, args[0])
            if key is not None:
                defaults[key.lower()] = f.text(args[1])

    def env_name(key: str) -> str:
        full = f"{prefix}_{key}" if prefix else key
        return (full.replace(".", "_") if replacer else full).upper()

    reads: list[EnvRead] = []
    for call, name, args in calls:
        keys = [_literal(f, a) for a in args]
        if name == "BindEnv" and keys and keys[0] is not None:
            key = keys[0]
            for env in [k for k in keys[1:] if k] or [env_name(key)]:
                reads.append(_viper(f, call, env, defaults.get(key.lower()), "string"))
        elif automatic and name.startswith("Get") and len(keys) == 1 and keys[0]:
            key = keys[0]
            ftype = _VIPER_TYPES.get(name, "string")
            reads.append(_viper(f, call, env_name(key), defaults.get(key.lower()), ftype))
    return reads


def _viper(f: FileRoles, call: Node, name: str, default: str | None, ftype: ValueType) -> EnvRead:
    classes: tuple[Missing, Missing] = (
        ("default", "default") if default is not None else ("empty", "empty")
    )
    return _read(f, call, name, "viper", classes, default, ftype)
