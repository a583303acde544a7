"""Kafka client configs in Go: sarama, segmentio/kafka-go, confluent-kafka-go, franz-go."""

from __future__ import annotations

from typing import TYPE_CHECKING

from envlint.kafka._found import LIBRDKAFKA_KEYS, Found
from envlint.kafka._ts import EnvReads, Evaluator, string_content, text, walk

if TYPE_CHECKING:
    from tree_sitter import Node

    from envlint.kafka.model import ClientKind

__all__ = ["go_clients"]

_FUNCS = ("function_declaration", "method_declaration", "func_literal", "source_file")
_SARAMA_FIELDS = {
    "Consumer.Group.Session.Timeout": "session",
    "Consumer.Group.Heartbeat.Interval": "heartbeat",
    "Producer.RequiredAcks": "acks",
}
_READER_FIELDS = {"SessionTimeout": "session", "HeartbeatInterval": "heartbeat", "GroupID": "group"}
_NS = 1_000_000


def _imports(root: Node, src: bytes) -> dict[str, str]:
    """alias -> library for the Kafka packages this file imports."""
    out: dict[str, str] = {}
    for node in walk(root):
        if node.type != "import_spec":
            continue
        path_node, name_node = node.child_by_field_name("path"), node.child_by_field_name("name")
        path = string_content(path_node, src) if path_node is not None else None
        if not path:
            continue
        parts = path.split("/")
        last = parts[-2] if parts[-1][:1] == "v" and parts[-1][1:].isdigit() else parts[-1]
        library = None
        if last == "sarama":
            library = "sarama"
        elif path.startswith("github.com/segmentio/kafka-go") and last == "kafka-go":
            library, last = "kafka-go", "kafka"
        elif "confluent-kafka-go" in path and last == "kafka":
            library = "librdkafka-go"
        elif path.endswith("franz-go/pkg/kgo"):
            library = "franz-go"
        if library:
            alias = text(name_node, src) if name_node is not None else last
            out[alias] = library
    return out


def _defs(root: Node, src: bytes) -> dict[str, Node]:
    defs: dict[str, Node] = {}
    for node in walk(root):
        if node.type in ("short_var_declaration", "assignment_statement"):
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        elif node.type in ("var_spec", "const_spec"):
            names = [c for c in node.named_children if c.type == "identifier"]
            value = node.child_by_field_name("value")
            if value is not None and value.named_children:
                for i, name in enumerate(names):
                    items = value.named_children
                    defs[text(name, src)] = items[i] if i < len(items) else items[0]
            continue
        else:
            continue
        if left is None or right is None:
            continue
        lefts, rights = left.named_children, right.named_children
        for i, name in enumerate(lefts):
            if name.type == "identifier" and rights:
                defs[text(name, src)] = rights[i] if len(rights) == len(lefts) else rights[0]
    return defs


def _function(node: Node) -> Node:
    current: Node | None = node
    while current is not None and current.type not in _FUNCS:
        current = current.parent
    return current if current is not None else node


def _bound_name(node: Node, src: bytes) -> str | None:
    """The variable a construction is assigned to (``cfg := sarama.NewConfig()``)."""
    current = node.parent
    while current is not None and current.type in ("unary_expression", "expression_list"):
        if current.type == "expression_list" and current.parent is not None:
            owner = current.parent
            if owner.type in ("short_var_declaration", "assignment_statement", "var_spec"):
                left = owner.child_by_field_name("left") or owner.child_by_field_name("name")
                if left is not None and left.type == "expression_list":
                    first = left.named_children[0] if left.named_children else None
                    return text(first, src) if first is not None else None
                return text(left, src) if left is not None else None
        current = current.parent
    return None


def _assignments(scope: Node, var: str, src: bytes) -> list[tuple[str, Node, Node]]:
    """``(field path, value node, statement)`` for ``var.A.B = value`` inside ``scope``."""
    out: list[tuple[str, Node, Node]] = []
    for node in walk(scope):
        if node.type != "assignment_statement":
            continue
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None or not left.named_children or not right.named_children:
            continue
        target = "".join(text(left.named_children[0], src).split())
        if target.startswith(var + "."):
            out.append((target[len(var) + 1 :], right.named_children[0], node))
    return out


def _calls(scope: Node, src: bytes, prefix: str) -> list[tuple[str, Node]]:
    out: list[tuple[str, Node]] = []
    for node in walk(scope):
        if node.type == "call_expression":
            fn = node.child_by_field_name("function")
            name = text(fn, src) if fn is not None else ""
            if name.startswith(prefix + "."):
                out.append((name[len(prefix) + 1 :], node))
    return out


def _args_text(call: Node, src: bytes) -> list[str]:
    args = call.child_by_field_name("arguments")
    return [text(a, src) for a in args.named_children] if args is not None else []


def _sarama(root: Node, src: bytes, alias: str, ev: Evaluator) -> list[Found]:
    found: list[Found] = []
    for name, call in _calls(root, src, alias):
        if name != "NewConfig":
            continue
        var = _bound_name(call, src)
        if var is None:
            continue
        scope = _function(call)
        values = {}
        kinds: set[str] = set()
        for fieldpath, value, stmt in _assignments(scope, var, src):
            if fieldpath in _SARAMA_FIELDS:
                values[_SARAMA_FIELDS[fieldpath]] = (ev.evaluate(value), stmt)
            if fieldpath.startswith("Producer."):
                kinds.add("producer")
            if fieldpath.startswith("Consumer.Group."):
                kinds.add("consumer")
        file_calls = _calls(root, src, alias)
        for fn, other in _calls(scope, src, alias):
            passed = var in _args_text(other, src)
            if fn.startswith("NewConsumerGroup") and passed:
                kinds.add("consumer")
            elif "Producer" in fn and fn.startswith("New") and passed:
                kinds.add("producer")
        if not kinds:
            names = {fn for fn, _ in file_calls}
            if any(n.startswith("NewConsumerGroup") for n in names):
                kinds.add("consumer")
            if any(n.startswith("New") and "Producer" in n for n in names):
                kinds.add("producer")
        for kind in sorted(kinds):
            mine = {k: v for k, v in values.items() if (k == "acks") == (kind == "producer")}
            item = Found("consumer" if kind == "consumer" else "producer", "sarama", call, mine)
            item.native_per_ms = _NS
            item.group = kind == "consumer"
            found.append(item)
    return found


def _literal_fields(lit: Node, src: bytes) -> dict[str, tuple[Node, Node]]:
    """``{Key: value}`` of a composite literal: key text -> (value node, keyed element)."""
    body = lit.child_by_field_name("body")
    out: dict[str, tuple[Node, Node]] = {}
    for element in body.named_children if body is not None else ():
        if element.type != "keyed_element" or len(element.named_children) < 2:
            continue
        key, value = element.named_children[0], element.named_children[-1]
        key_text = string_content(key.named_children[0], src) if key.named_children else None
        out[key_text if key_text is not None else text(key, src)] = (value, element)
    return out


def _kafka_go(root: Node, src: bytes, alias: str, ev: Evaluator) -> list[Found]:
    found: list[Found] = []
    for lit in walk(root):
        if lit.type != "composite_literal":
            continue
        type_node = lit.child_by_field_name("type")
        type_name = text(type_node, src) if type_node is not None else ""
        fields = _literal_fields(lit, src)
        if type_name in (f"{alias}.Writer", f"{alias}.WriterConfig"):
            item = Found("producer", "kafka-go", lit)
            if "RequiredAcks" in fields:
                value, element = fields["RequiredAcks"]
                item.values["acks"] = (ev.evaluate(value), element)
            var = _bound_name(lit, src)
            if var is not None:
                for fieldpath, value, stmt in _assignments(_function(lit), var, src):
                    if fieldpath == "RequiredAcks":
                        item.values["acks"] = (ev.evaluate(value), stmt)
            if type_name.endswith("WriterConfig"):
                item.default_acks, item.zero_acks_is_all = -1, True
            found.append(item)
        elif type_name in (f"{alias}.ReaderConfig", f"{alias}.ConsumerGroupConfig"):
            item = Found("consumer", "kafka-go", lit)
            item.native_per_ms = _NS
            for key, name in (*_READER_FIELDS.items(), ("ID", "group")):
                if key in fields:
                    value, element = fields[key]
                    item.values[name] = (ev.evaluate(value), element)
            found.append(item)
    return found


def _confluent(root: Node, src: bytes, alias: str, ev: Evaluator) -> list[Found]:
    found: list[Found] = []
    for lit in walk(root):
        if lit.type != "composite_literal":
            continue
        type_node = lit.child_by_field_name("type")
        if type_node is None or text(type_node, src) != f"{alias}.ConfigMap":
            continue
        values = {}
        for key, (value, element) in _literal_fields(lit, src).items():
            if key in LIBRDKAFKA_KEYS:
                values[LIBRDKAFKA_KEYS[key]] = (ev.evaluate(value), element)
        var = _bound_name(lit, src)
        scope = _function(lit)
        calls = [n for n, _ in _calls(scope, src, alias)]
        if var is not None:
            for name, call in _calls(scope, src, var):
                args = call.child_by_field_name("arguments")
                named = args.named_children if args is not None else []
                set_key = string_content(named[0], src) if len(named) == 2 else None
                if name == "SetKey" and set_key in LIBRDKAFKA_KEYS:
                    values[LIBRDKAFKA_KEYS[set_key]] = (ev.evaluate(named[1]), call)
        kind: ClientKind
        if "group" in values or ("acks" not in values and "NewConsumer" in calls):
            kind = "consumer"
        elif "acks" in values or "NewProducer" in calls:
            kind = "producer"
        else:
            continue
        found.append(Found(kind, "librdkafka-go", lit, values))
    return found


def _franz(root: Node, src: bytes, alias: str, ev: Evaluator) -> list[Found]:
    found: list[Found] = []
    for name, call in _calls(root, src, alias):
        if name != "NewClient":
            continue
        options = _calls(_function(call), src, alias)
        values = {}
        group = False
        for option, node in options:
            args = node.child_by_field_name("arguments")
            first = args.named_children[0] if args is not None and args.named_children else None
            if option == "ConsumerGroup":
                group = True
                values["group"] = (ev.evaluate(first if first is not None else node), node)
            elif option in ("SessionTimeout", "HeartbeatInterval") and first is not None:
                key = "session" if option == "SessionTimeout" else "heartbeat"
                values[key] = (ev.evaluate(first), node)
            elif option == "RequiredAcks" and first is not None:
                values["acks"] = (ev.evaluate(first), node)
        if group:
            mine = {k: v for k, v in values.items() if k != "acks"}
            item = Found("consumer", "franz-go", call, mine)
            item.native_per_ms = _NS
            found.append(item)
        if "acks" in values:
            found.append(Found("producer", "franz-go", call, {"acks": values["acks"]}))
    return found


def go_clients(root: Node, src: bytes, reads: EnvReads) -> list[Found]:
    aliases = _imports(root, src)
    if not aliases:
        return []
    ev = Evaluator("go", src, _defs(root, src), reads)
    found: list[Found] = []
    for alias, library in aliases.items():
        if library == "sarama":
            found.extend(_sarama(root, src, alias, ev))
        elif library == "kafka-go":
            found.extend(_kafka_go(root, src, alias, ev))
        elif library == "librdkafka-go":
            found.extend(_confluent(root, src, alias, ev))
        else:
            found.extend(_franz(root, src, alias, ev))
    return found
