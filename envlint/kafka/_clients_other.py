"""Kafka client configs in C# (Confluent.Kafka), Python (confluent_kafka, kafka-python,
aiokafka) and JavaScript/TypeScript (kafkajs, node-rdkafka).  Java and Kotlin configuration
maps: :mod:`envlint.kafka._clients_maps`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from envlint.kafka._found import LIBRDKAFKA_KEYS, Found
from envlint.kafka._ts import EnvReads, Evaluator, string_content, text, walk

if TYPE_CHECKING:
    from tree_sitter import Node

    from envlint.kafka.model import ClientKind

__all__ = ["csharp_clients", "js_clients", "python_clients"]

_DOTNET_PROPS = {
    "SessionTimeoutMs": "session",
    "HeartbeatIntervalMs": "heartbeat",
    "MaxPollIntervalMs": "max_poll",
    "Acks": "acks",
    "GroupId": "group",
    "GroupProtocol": "protocol",
}
_PY_KWARGS = {
    "session_timeout_ms": "session",
    "heartbeat_interval_ms": "heartbeat",
    "max_poll_interval_ms": "max_poll",
    "acks": "acks",
    "group_id": "group",
}
_KAFKAJS = {"sessionTimeout": "session", "heartbeatInterval": "heartbeat", "groupId": "group"}


def _defs(root: Node, src: bytes, kinds: dict[str, tuple[str, str]]) -> dict[str, Node]:
    """Local names -> value nodes; ``kinds`` maps declaration node type -> (name, value) fields."""
    defs: dict[str, Node] = {}
    for node in walk(root):
        fields = kinds.get(node.type)
        if fields is None:
            continue
        name, value = node.child_by_field_name(fields[0]), node.child_by_field_name(fields[1])
        if name is None and node.type == "variable_declarator":  # C#: name, then `= value`
            ids = [c for c in node.named_children if c.type == "identifier"]
            name = ids[0] if ids else None
        if value is None and node.type == "variable_declarator" and node.named_children:
            value = node.named_children[-1]
        if name is not None and value is not None and name.type == "identifier":
            defs[text(name, src)] = value
    return defs


def _key(node: Node, src: bytes) -> str:
    content = string_content(node, src)
    return content if content is not None else text(node, src)


# --- C# --------------------------------------------------------------------------------------


def csharp_clients(root: Node, src: bytes, reads: EnvReads) -> list[Found]:
    defs = _defs(root, src, {"variable_declarator": ("name", "value")})
    ev = Evaluator("csharp", src, defs, reads)
    found: list[Found] = []
    for node in walk(root):
        if node.type != "object_creation_expression":
            continue
        type_node = node.child_by_field_name("type")
        type_name = text(type_node, src).rsplit(".", 1)[-1] if type_node is not None else ""
        if type_name not in ("ConsumerConfig", "ProducerConfig"):
            continue
        kind: ClientKind = "consumer" if type_name == "ConsumerConfig" else "producer"
        item = Found(kind, "confluent-dotnet", node)
        init = node.child_by_field_name("initializer")
        for assign in init.named_children if init is not None else ():
            left, right = assign.child_by_field_name("left"), assign.child_by_field_name("right")
            if assign.type == "assignment_expression" and left is not None and right is not None:
                prop = _DOTNET_PROPS.get(text(left, src))
                if prop:
                    item.values[prop] = (ev.evaluate(right), assign)
        var = _csharp_var(node, src)
        if var is not None:
            for assign in walk(root):
                if assign.type != "assignment_expression":
                    continue
                left = assign.child_by_field_name("left")
                right = assign.child_by_field_name("right")
                if left is None or right is None or left.type != "member_access_expression":
                    continue
                obj, name = left.child_by_field_name("expression"), left.child_by_field_name("name")
                if obj is not None and name is not None and text(obj, src) == var:
                    prop = _DOTNET_PROPS.get(text(name, src))
                    if prop:
                        item.values[prop] = (ev.evaluate(right), assign)
        found.append(item)
    return found


def _csharp_var(node: Node, src: bytes) -> str | None:
    parent = node.parent
    if parent is not None and parent.type == "variable_declarator":
        ids = [c for c in parent.named_children if c.type == "identifier"]
        return text(ids[0], src) if ids else None
    if parent is not None and parent.type == "assignment_expression":
        left = parent.child_by_field_name("left")
        return text(left, src) if left is not None else None
    return None


# --- Python ----------------------------------------------------------------------------------


def python_clients(root: Node, src: bytes, reads: EnvReads) -> list[Found]:
    ev = Evaluator("python", src, _defs(root, src, {"assignment": ("left", "right")}), reads)
    confluent = b"confluent_kafka" in src
    found: list[Found] = []
    for node in walk(root):
        if node.type != "call":
            continue
        fn = node.child_by_field_name("function")
        args = node.child_by_field_name("arguments")
        if fn is None or args is None:
            continue
        name = text(fn, src).rsplit(".", 1)[-1]
        if confluent and name in ("Consumer", "Producer", "DeserializingConsumer",
                                  "SerializingProducer"):  # fmt: skip
            kind: ClientKind = "consumer" if "Consumer" in name else "producer"
            item = Found(kind, "confluent-python", node)
            config = args.named_children[0] if args.named_children else None
            if config is not None and config.type == "identifier":
                config = ev.defs.get(text(config, src))
            if config is not None and config.type == "dictionary":
                for pair in config.named_children:
                    key, value = pair.child_by_field_name("key"), pair.child_by_field_name("value")
                    if pair.type == "pair" and key is not None and value is not None:
                        field = LIBRDKAFKA_KEYS.get(_key(key, src))
                        if field:
                            item.values[field] = (ev.evaluate(value), pair)
            found.append(item)
        elif name in ("KafkaConsumer", "KafkaProducer", "AIOKafkaConsumer", "AIOKafkaProducer"):
            library = "aiokafka" if name.startswith("AIO") else "kafka-python"
            kind = "consumer" if "Consumer" in name else "producer"
            item = Found(kind, library, node)
            for arg in args.named_children:
                key, value = arg.child_by_field_name("name"), arg.child_by_field_name("value")
                if arg.type == "keyword_argument" and key is not None and value is not None:
                    field = _PY_KWARGS.get(text(key, src))
                    if field:
                        item.values[field] = (ev.evaluate(value), arg)
            found.append(item)
    return found


# --- JavaScript / TypeScript -----------------------------------------------------------------


def js_clients(root: Node, src: bytes, language: str, reads: EnvReads) -> list[Found]:
    defs = _defs(root, src, {"variable_declarator": ("name", "value")})
    ev = Evaluator(language, src, defs, reads)
    kafkajs = b"kafkajs" in src
    found: list[Found] = []
    for node in walk(root):
        if node.type == "call_expression" and kafkajs:
            fn, args = node.child_by_field_name("function"), node.child_by_field_name("arguments")
            prop = fn.child_by_field_name("property") if fn is not None else None
            obj = _first_object(args)
            method = text(prop, src) if prop is not None else ""
            if method == "consumer" and obj is not None:
                item = Found("consumer", "kafkajs", node)
                _object_values(obj, src, ev, _KAFKAJS, item)
                found.append(item)
            elif method == "send" and obj is not None:
                item = Found("producer", "kafkajs", node)
                _object_values(obj, src, ev, {"acks": "acks"}, item)
                if "acks" in item.values:
                    found.append(item)
        elif node.type == "new_expression":
            ctor = node.child_by_field_name("constructor")
            name = text(ctor, src).rsplit(".", 1)[-1] if ctor is not None else ""
            if name in ("KafkaConsumer", "Producer", "HighLevelProducer"):
                kind: ClientKind = "consumer" if name == "KafkaConsumer" else "producer"
                item = Found(kind, "node-rdkafka", node)
                obj = _first_object(node.child_by_field_name("arguments"))
                if obj is not None:
                    _object_values(obj, src, ev, LIBRDKAFKA_KEYS, item)
                found.append(item)
    return found


def _first_object(args: Node | None) -> Node | None:
    for arg in args.named_children if args is not None else ():
        if arg.type == "object":
            return arg
    return None


def _object_values(obj: Node, src: bytes, ev: Evaluator, keys: dict[str, str], item: Found) -> None:
    for pair in obj.named_children:
        key, value = pair.child_by_field_name("key"), pair.child_by_field_name("value")
        if pair.type == "pair" and key is not None and value is not None:
            field = keys.get(_key(key, src))
            if field:
                item.values[field] = (ev.evaluate(value), pair)
