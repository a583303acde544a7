"""Kafka client configuration maps of the JVM languages: Java ``Properties`` / ``Map`` and
Kotlin ``props[K] = v`` / ``props.put(K, v)`` / ``mapOf(K to v)``.

A language is a query file (``queries/<language>-clients.scm``, roles ``@config*`` and
``@client*``) plus a row of :data:`_SYNTAX` (how its declarations name a value); one walker
reads both.  Values are what :class:`~envlint.kafka._ts.Evaluator` knows: literals, constants
and variables declared in the same file, and the env reads the language's adapter found.
A property of another object (``props.acks``) stays unknown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from envlint.kafka._found import LIBRDKAFKA_KEYS, Found
from envlint.kafka._ts import EnvReads, Eval, Evaluator, string_content, text, walk

if TYPE_CHECKING:
    from tree_sitter import Node, Query

    from envlint.kafka.model import ClientKind

__all__ = ["LANGUAGES", "map_clients"]

# ProducerConfig / ConsumerConfig constant names -> their keys
_CONSTANTS = {
    "SESSION_TIMEOUT_MS_CONFIG": "session.timeout.ms",
    "HEARTBEAT_INTERVAL_MS_CONFIG": "heartbeat.interval.ms",
    "MAX_POLL_INTERVAL_MS_CONFIG": "max.poll.interval.ms",
    "ACKS_CONFIG": "acks",
    "GROUP_ID_CONFIG": "group.id",
    "GROUP_PROTOCOL_CONFIG": "group.protocol",
}
# classes built from a configuration map -> the client they make
_CLIENTS: dict[str, ClientKind] = {
    "KafkaProducer": "producer",
    "DefaultKafkaProducerFactory": "producer",
    "KafkaConsumer": "consumer",
    "DefaultKafkaConsumerFactory": "consumer",
}


def _java_defs(root: Node, src: bytes) -> Iterator[tuple[str, Node]]:
    """``T name = value`` (fields and locals): names and value nodes."""
    for node in walk(root):
        if node.type == "variable_declarator":
            name, value = node.child_by_field_name("name"), node.child_by_field_name("value")
            if name is not None and value is not None and name.type == "identifier":
                yield text(name, src), value


def _kotlin_defs(root: Node, src: bytes) -> Iterator[tuple[str, Node]]:
    """``val`` / ``var`` / ``const val name = value`` (top level, members, locals); a delegated
    property (``by lazy``) and a destructuring declaration name none."""
    for node in walk(root):
        if node.type != "property_declaration":
            continue
        kids = node.children
        equals = [i for i, c in enumerate(kids) if c.type == "="]
        declared = [c for c in kids if c.type == "variable_declaration"]
        if not equals or len(declared) != 1 or equals[0] + 1 >= len(kids):
            continue
        names = [c for c in declared[0].named_children if c.type == "identifier"]
        value = kids[equals[0] + 1]
        if names and value.is_named:
            yield text(names[0], src), value


@dataclass(frozen=True, slots=True)
class _Syntax:
    query: str  # queries/<query>.scm
    defs: Callable[[Node, bytes], Iterator[tuple[str, Node]]]
    functions: frozenset[str]  # a map declared in one of these is that function's own


_SYNTAX = {
    "java": _Syntax(
        "java-clients",
        _java_defs,
        frozenset({"method_declaration", "constructor_declaration", "lambda_expression"}),
    ),
    "kotlin": _Syntax(
        "kotlin-clients",
        _kotlin_defs,
        frozenset({"function_declaration", "lambda_literal", "anonymous_function"}),
    ),
}
LANGUAGES = frozenset(_SYNTAX)


def _function(node: Node, functions: frozenset[str]) -> int | None:
    parent = node.parent
    while parent is not None and parent.type not in functions:
        parent = parent.parent
    return parent.id if parent is not None else None


@cache
def _query(language: str) -> Query:
    """The compiled clients query of ``language`` (once per process, never freed)."""
    from tree_sitter import Query

    from envlint.filepass.languages import load_language

    grammar = load_language(language)
    if grammar is None:
        raise LookupError(f"no grammar for {language}")
    folder = resources.files("envlint.kafka").joinpath("queries")
    return Query(grammar, folder.joinpath(f"{_SYNTAX[language].query}.scm").read_text())


def _key(node: Node, src: bytes) -> str | None:
    """The librdkafka/Java key a key expression names, if it is one envlint reads."""
    content = string_content(node, src)
    key = content if content is not None else text(node, src)
    key = _CONSTANTS.get(key.rsplit(".", 1)[-1], key)
    return LIBRDKAFKA_KEYS.get(key)


def map_clients(language: str, root: Node, src: bytes, reads: EnvReads) -> list[Found]:
    """The clients configured through maps in one Java or Kotlin file.  A map is named by its
    text, within the function that declares it (two methods may each build a ``props``);
    ``this`` and an implicit receiver name the one of the function or lambda around them."""
    from tree_sitter import QueryCursor

    syntax = _SYNTAX[language]
    pairs = list(syntax.defs(root, src))
    declared = {(_function(value, syntax.functions), name) for name, value in pairs}

    def named(node: Node, implicit: bool = False) -> tuple[int | None, str]:
        scope, name = _function(node, syntax.functions), text(node, src)
        if implicit or name == "this":  # the receiver of the function or lambda around it
            return scope, "this"
        return (scope, name) if (scope, name) in declared else (None, name)

    ev = Evaluator(language, src, dict(pairs), reads)
    configs: dict[tuple[int | None, str], dict[str, tuple[Eval, Node]]] = {}
    origins: dict[tuple[int | None, str], Node] = {}
    users: dict[tuple[int | None, str], set[ClientKind]] = {}
    matches = [caps for _, caps in QueryCursor(_query(language)).matches(root)]
    for caps in sorted(matches, key=lambda c: (c.get("config") or c["client"])[0].start_byte):
        if "client" in caps:
            type_name = text(caps["client.type"][0], src).split("<", 1)[0].rsplit(".", 1)[-1]
            kind = _CLIENTS.get(type_name.strip())
            if kind is not None:
                for arg in caps.get("client.arg", ()):
                    users.setdefault(named(arg), set()).add(kind)
            continue
        field = _key(caps["config.key"][0], src)
        if field is None:
            continue
        node = caps["config"][0]
        if "config.self" in caps:
            target = named(caps["config.self"][0], implicit=True)
        else:
            target = named(caps["config.target"][0])
        configs.setdefault(target, {})[field] = (ev.evaluate(caps["config.value"][0]), node)
        origins.setdefault(target, node)
    for name, value in pairs:  # `val m = mapOf(...)`: the variable names the map
        held = (None, text(value, src))
        if held in configs and held not in users:
            users[held] = users.get((_function(value, syntax.functions), name), set())
    found: list[Found] = []
    for var, values in configs.items():
        kinds = users.get(var) or {"producer" if "acks" in values else "consumer"}
        for kind in sorted(kinds):
            mine = {k: v for k, v in values.items() if (k == "acks") == (kind == "producer")}
            found.append(Found(kind, "java", origins[var], mine))  # the Apache Java client
    return found
