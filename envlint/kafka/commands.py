"""Kafka admin commands found in services' ``command:`` / ``entrypoint:`` (research §1.5, §2.7).

Recognised: ``kafka-topics[.sh] --create|--alter --topic T --config k=v``, ``kafka-configs[.sh]
--alter --entity-type topics|brokers ... --add-config k=v,...``, ``kafka-server-start[.sh] ...
--override k=v``, positional ``KAFKA_X=v`` arguments of the apache/confluent ``run`` scripts,
``rpk topic create T -c k=v``, ``rpk topic alter-config T --set k=v``, ``rpk cluster config set
k v`` and ``redpanda start --set redpanda.k=v``.  Shell scripts passed to ``sh -c`` are split
with :mod:`shlex` (a shell tokenizer), one simple command at a time.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from envlint.model import Location, Service

__all__ = ["PropertyArg", "TopicSpec", "scan_service"]

_NEEDLES = ("kafka-topics", "kafka-configs", "kafka-server-start", "rpk", "redpanda", "KAFKA_")
_OPERATORS = frozenset({"&&", "||", ";", "|", "&", "(", ")", "\n", ";;", "|&"})


@dataclass(frozen=True, slots=True)
class TopicSpec:
    name: str
    service: str
    origin: Location
    configs: tuple[tuple[str, str], ...]
    bootstrap: str | None = None
    if_not_exists: bool = False
    create: bool = True


@dataclass(frozen=True, slots=True)
class PropertyArg:
    """A broker property (or env var) set on a command line.

    ``kind``: ``override`` (kafka-server-start --override), ``dynamic`` (kafka-configs on
    brokers), ``env`` (positional KAFKA_X=v for the run script), ``redpanda`` (--set redpanda.k /
    rpk cluster config set).
    """

    service: str
    kind: Literal["override", "dynamic", "env", "redpanda"]
    key: str
    value: str
    origin: Location
    bootstrap: str | None = None


def _simple_commands(script: str) -> list[list[str]]:
    lex = shlex.shlex(script.replace("\\\n", " "), posix=True, punctuation_chars="();<>|&\n")
    lex.whitespace = " \t\r"
    lex.whitespace_split = True
    commands: list[list[str]] = [[]]
    try:
        for token in lex:
            if token in _OPERATORS or set(token) <= set("();<>|&\n"):
                commands.append([])
            else:
                commands[-1].append(token)
    except ValueError:  # unbalanced quotes: take what was read
        pass
    return [c for c in commands if c]


def _argvs(argv: Sequence[str]) -> Iterator[list[str]]:
    """``argv`` itself, and every simple command of any embedded shell script."""
    yield list(argv)
    for arg in argv:
        if any(n in arg for n in _NEEDLES) and any(c in arg for c in " \n\t;&|"):
            for sub in _simple_commands(arg):
                yield from _argvs(sub)


def _raw_argvs(value: object) -> list[tuple[int | None, list[str]]]:
    if isinstance(value, str):
        return [(None, cmd) for cmd in _simple_commands(value)]
    if isinstance(value, list):
        argv = [str(v) for v in value if isinstance(v, str | int | float)]
        return [(None, argv)]
    return []


def _base(token: str) -> str:
    return token.rsplit("/", 1)[-1]


def _option(args: list[str], i: int, names: tuple[str, ...]) -> tuple[str | None, int]:
    """The value of ``--name v`` / ``--name=v`` at ``args[i]`` and the next index."""
    arg = args[i]
    for name in names:
        if arg == name and i + 1 < len(args):
            return args[i + 1], i + 2
        if arg.startswith(name + "="):
            return arg[len(name) + 1 :], i + 1
    return None, i


def _pairs(text: str) -> list[tuple[str, str]]:
    """``a=1,b=[x,y]`` -> ``[("a", "1"), ("b", "[x,y]")]``."""
    items: list[str] = []
    depth, current = 0, list[str]()
    for ch in text:
        if ch == "," and depth == 0:
            items.append("".join(current))
            current = []
            continue
        depth += (ch == "[") - (ch == "]")
        current.append(ch)
    items.append("".join(current))
    return [(k.strip(), v.strip()) for k, _, v in (i.partition("=") for i in items) if k.strip()]


def _kafka_topics(args: list[str], service: str, at: Location) -> list[TopicSpec]:
    names: list[str] = []
    configs: list[tuple[str, str]] = []
    bootstrap: str | None = None
    i = 0
    while i < len(args):
        topic, nxt = _option(args, i, ("--topic",))
        config, nxt2 = _option(args, i, ("--config",))
        server, nxt3 = _option(args, i, ("--bootstrap-server", "--zookeeper"))
        if topic is not None:
            names.append(topic)
            i = nxt
        elif config is not None:
            configs.extend(_pairs(config))
            i = nxt2
        elif server is not None:
            bootstrap = server
            i = nxt3
        else:
            i += 1
    create, alter = "--create" in args, "--alter" in args
    if not (create or alter):
        return []
    if_not_exists = "--if-not-exists" in args
    return [
        TopicSpec(n, service, at, tuple(configs), bootstrap, if_not_exists, create) for n in names
    ]


def _kafka_configs(
    args: list[str], service: str, at: Location
) -> tuple[list[TopicSpec], list[PropertyArg]]:
    entity_type = entity_name = bootstrap = None
    default = False
    configs: list[tuple[str, str]] = []
    i = 0
    while i < len(args):
        for names, slot in (
            (("--entity-type",), "type"),
            (("--entity-name",), "name"),
            (("--bootstrap-server",), "bootstrap"),
            (("--add-config",), "add"),
        ):
            value, nxt = _option(args, i, names)
            if value is not None:
                if slot == "type":
                    entity_type = value
                elif slot == "name":
                    entity_name = value
                elif slot == "bootstrap":
                    bootstrap = value
                else:
                    configs.extend(_pairs(value))
                i = nxt
                break
        else:
            default |= args[i] == "--entity-default"
            i += 1
    if "--alter" not in args or not configs:
        return [], []
    if entity_type == "topics" and entity_name:
        return [TopicSpec(entity_name, service, at, tuple(configs), bootstrap, False, False)], []
    if entity_type == "brokers" and (default or entity_name):
        return [], [PropertyArg(service, "dynamic", k, v, at, bootstrap) for k, v in configs]
    return [], []


def _rpk(args: list[str], service: str, at: Location) -> tuple[list[TopicSpec], list[PropertyArg]]:
    words = [a for a in args if not a.startswith("-")]
    if words[:2] == ["topic", "create"] or words[:2] == ["topic", "alter-config"]:
        create = words[1] == "create"
        names: list[str] = []
        configs: list[tuple[str, str]] = []
        i = 2 if args[:2] == ["topic", words[1]] else 0
        while i < len(args):
            flags = ("-c", "--topic-config") if create else ("--set",)
            value, nxt = _option(args, i, flags)
            if value is not None:
                configs.extend(_pairs(value))
                i = nxt
                continue
            skip, nxt = _option(args, i, ("-p", "--partitions", "-r", "--replicas", "-X"))
            if skip is not None:
                i = nxt
                continue
            if not args[i].startswith("-") and args[i] not in ("topic", words[1]):
                names.append(args[i])
            i += 1
        return [TopicSpec(n, service, at, tuple(configs), None, False, create) for n in names], []
    if words[:3] == ["cluster", "config", "set"] and len(words) >= 5:
        return [], [PropertyArg(service, "redpanda", words[3], words[4], at)]
    if words[:2] == ["redpanda", "start"]:
        return [], _redpanda_sets(args, service, at)
    return [], []


def _redpanda_sets(args: list[str], service: str, at: Location) -> list[PropertyArg]:
    out: list[PropertyArg] = []
    for i in range(len(args)):
        value, _ = _option(args, i, ("--set",))
        if value is not None and value.startswith("redpanda."):
            key, _, val = value[len("redpanda.") :].partition("=")
            out.append(PropertyArg(service, "redpanda", key, val, at))
    return out


def _env_args(args: list[str], service: str, at: Location) -> list[PropertyArg]:
    out: list[PropertyArg] = []
    for arg in args:
        name, eq, value = arg.partition("=")
        if eq and name.startswith("KAFKA_") and name.replace("_", "").isalnum() and name.isupper():
            out.append(PropertyArg(service, "env", name, value, at))
    return out


def _scan_argv(
    argv: list[str], service: str, at: Location
) -> tuple[list[TopicSpec], list[PropertyArg]]:
    topics: list[TopicSpec] = []
    props: list[PropertyArg] = []
    for i, token in enumerate(argv):
        base = _base(token)
        rest = argv[i + 1 :]
        if base in ("kafka-topics", "kafka-topics.sh"):
            topics.extend(_kafka_topics(rest, service, at))
            break
        if base in ("kafka-configs", "kafka-configs.sh"):
            found = _kafka_configs(rest, service, at)
            topics.extend(found[0])
            props.extend(found[1])
            break
        if base in ("kafka-server-start", "kafka-server-start.sh"):
            for j in range(len(rest)):
                value, _ = _option(rest, j, ("--override",))
                if value is not None and "=" in value:
                    key, _, val = value.partition("=")
                    props.append(PropertyArg(service, "override", key.strip(), val.strip(), at))
            break
        if base == "rpk":
            found = _rpk(rest, service, at)
            topics.extend(found[0])
            props.extend(found[1])
            break
        if base == "redpanda" and rest[:1] == ["start"]:
            props.extend(_redpanda_sets(rest, service, at))
            break
        if base in ("run", "launch"):
            props.extend(_env_args(rest, service, at))
            break
    return topics, props


def scan_service(service: Service) -> tuple[list[TopicSpec], list[PropertyArg]]:
    """Topic specs and command-line properties from ``service``'s entrypoint and command."""
    topics: list[TopicSpec] = []
    props: list[PropertyArg] = []
    for key in ("entrypoint", "command"):
        value = service.raw.get(key)
        text = " ".join(value) if isinstance(value, list) else value
        if not isinstance(text, str) or not any(n in text for n in _NEEDLES):
            continue
        at = service.key_locations.get(key) or service.location
        for _, argv in _raw_argvs(value):
            for sub in _argvs(argv):
                found = _scan_argv(sub, service.name, at)
                topics.extend(found[0])
                props.extend(found[1])
    return _dedupe(topics), list(dict.fromkeys(props))


def _dedupe(topics: list[TopicSpec]) -> list[TopicSpec]:
    return list(dict.fromkeys(topics))
