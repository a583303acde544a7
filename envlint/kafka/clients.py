"""Kafka consumer/producer settings in service source code (research §3-§5).

:data:`EXTRACTOR` runs inside the source index's single parse pass (read back with
``SourceIndex.facts_of(EXTRACTOR)``) and yields :class:`~envlint.kafka.model.KafkaClient` facts
with literal values, env reads (resolved later per service by :func:`join_clients`) or library
defaults.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import TYPE_CHECKING

from envlint.kafka._found import ACK_SYMBOLS, Found
from envlint.kafka._ts import EnvReads, location
from envlint.kafka.model import ClientValue, KafkaClient
from envlint.model import Service, Workspace
from envlint.servicecode.model import CodeMap
from envlint.sources.model import Extractor

if TYPE_CHECKING:
    from tree_sitter import Node

    from envlint.sources.model import EnvRead

__all__ = ["DEFAULTS", "EXTRACTOR", "extract_clients", "join_clients", "parse_go_duration"]

# library -> (session.timeout.ms, heartbeat.interval.ms, max.poll.interval.ms, acks); None: n/a
DEFAULTS: Mapping[str, tuple[int, int, int | None, int]] = MappingProxyType(
    {
        "confluent-dotnet": (45_000, 3_000, 300_000, -1),
        "librdkafka-go": (45_000, 3_000, 300_000, -1),
        "confluent-python": (45_000, 3_000, 300_000, -1),
        "node-rdkafka": (45_000, 3_000, 300_000, -1),
        "java": (45_000, 3_000, 300_000, -1),
        "sarama": (10_000, 3_000, None, 1),
        "kafka-go": (30_000, 3_000, None, 0),  # the zero-value Writer is RequireNone
        "franz-go": (45_000, 3_000, None, -1),
        "kafkajs": (30_000, 3_000, None, -1),
        "kafka-python": (10_000, 3_000, 300_000, 1),
        "aiokafka": (10_000, 3_000, 300_000, 1),
    }
)
_LANGUAGES = frozenset({"go", "csharp", "python", "javascript", "typescript", "java", "kotlin"})
_ACK_TEXT = {"all": -1, "-1": -1, "0": 0, "1": 1}


def _found(language: str, root: Node, source: bytes, reads: EnvReads) -> list[Found]:
    if language == "go":
        from envlint.kafka._clients_go import go_clients

        return go_clients(root, source, reads)
    if language in ("java", "kotlin"):
        from envlint.kafka._clients_maps import map_clients

        return map_clients(language, root, source, reads)
    from envlint.kafka import _clients_other as other

    if language == "csharp":
        return other.csharp_clients(root, source, reads)
    if language == "python":
        return other.python_clients(root, source, reads)
    if language in ("javascript", "typescript"):
        return other.js_clients(root, source, language, reads)
    return []


def extract_clients(
    language: str, root: Node, source: bytes, path: str, reads: tuple[EnvRead, ...] = ()
) -> tuple[KafkaClient, ...]:
    """Every Kafka client configuration in one parsed file; ``reads``: the env reads the
    language's adapter found in it (a value read from the environment is one of them)."""
    try:
        found = _found(language, root, source, EnvReads(source, reads))
    except RecursionError:  # pathological nesting: skip the file rather than fail the run
        return ()
    found.sort(key=lambda item: item.node.start_byte)
    return tuple(_client(item, language, path) for item in found)


EXTRACTOR: Extractor[KafkaClient] = Extractor(
    name="kafka-clients",
    languages=_LANGUAGES,
    needles=(b"afka", b"sarama", b"kgo", b"ConsumerConfig", b"ProducerConfig"),
    extract=extract_clients,
    reads=True,
)


def _time(item: Found, key: str, default: int | None, path: str) -> ClientValue | None:
    entry = item.values.get(key)
    if entry is None:
        return None if default is None else ClientValue(default, None, is_default=True)
    ev, node = entry
    native = item.native_per_ms
    return ClientValue(
        value=ev.value // native if ev.value is not None else None,
        origin=location(node, path),
        env_var=ev.env_var,
        env_ms_per_unit=ev.env_scale / native,
        env_duration=ev.env_duration,
        fallback=ev.fallback // native if ev.fallback is not None else None,
    )


def _acks(item: Found, default: int, path: str) -> ClientValue:
    entry = item.values.get("acks")
    if entry is None:
        fixed = item.default_acks if item.default_acks is not None else default
        return ClientValue(fixed, None, is_default=True)
    ev, node = entry
    value: int | None = ev.value
    if value is None and ev.text is not None:
        value = _ACK_TEXT.get(ev.text.strip().lower())
    if value is None and ev.symbol is not None:
        value = ACK_SYMBOLS.get(ev.symbol)
    if value == 0 and item.zero_acks_is_all:
        value = -1
    return ClientValue(value, location(node, path), env_var=ev.env_var, fallback=ev.fallback)


def _client(item: Found, language: str, path: str) -> KafkaClient:
    defaults = DEFAULTS.get(item.library, (45_000, 3_000, None, -1))
    protocol = None
    if "protocol" in item.values:
        ev = item.values["protocol"][0]
        protocol = (ev.text or ev.symbol or "").lower() or None
    consumer = item.kind == "consumer"
    return KafkaClient(
        kind=item.kind,
        language=language,
        library=item.library,
        location=location(item.node, path),
        group_id=item.group or "group" in item.values,
        session_timeout=_time(item, "session", defaults[0], path) if consumer else None,
        heartbeat=_time(item, "heartbeat", defaults[1], path) if consumer else None,
        max_poll=_time(item, "max_poll", defaults[2], path) if consumer else None,
        acks=None if consumer else _acks(item, defaults[3], path),
        group_protocol=protocol,
    )


_GO_UNITS = {"ns": 1e-6, "us": 1e-3, "µs": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4, "h": 3.6e6}


def parse_go_duration(text: str) -> int | None:
    """``time.ParseDuration`` text (``45s``, ``1m30s``, ``300ms``) -> milliseconds."""
    rest = text.strip()
    if rest in ("0", ""):
        return 0 if rest == "0" else None
    total = 0.0
    while rest:
        i = 0
        while i < len(rest) and (rest[i].isdigit() or rest[i] == "."):
            i += 1
        j = i
        while j < len(rest) and not (rest[j].isdigit() or rest[j] == "."):
            j += 1
        number, unit = rest[:i], rest[i:j]
        if not number or unit not in _GO_UNITS:
            return None
        try:
            total += float(number) * _GO_UNITS[unit]
        except ValueError:
            return None
        rest = rest[j:]
    if not math.isfinite(total) or abs(total) >= 2**63 / 1e6:  # time.Duration is int64 ns
        return None  # ParseDuration rejects it: "invalid duration"
    return int(total)


def _resolve(value: ClientValue | None, service: Service | None, acks: bool) -> ClientValue | None:
    if value is None or value.env_var is None:
        return value
    env = service.provides(value.env_var) if service is not None else None
    if env is None:
        return replace(value, value=value.fallback)
    if env.unresolved or "${" in env.value:
        return replace(value, value=None, env_origin=env.origin)
    raw = env.value.strip()
    number: int | None
    if acks:
        number = _ACK_TEXT.get(raw.lower())
    elif value.env_duration:
        number = parse_go_duration(raw)
    else:
        try:
            number = int(int(raw) * value.env_ms_per_unit) if len(raw) <= 20 else None
        except (ValueError, OverflowError):  # not an integer, or beyond what a client parses
            number = None
    return replace(value, value=number, env_origin=env.origin)


def join_clients(
    ws: Workspace, clients: Iterable[KafkaClient], code: CodeMap
) -> tuple[KafkaClient, ...]:
    """Each client once per service whose program holds it, env values resolved there."""
    out: list[KafkaClient] = []
    services = {key: s for key, (_, s) in ws.by_key().items()}
    for client in clients:
        targets: list[tuple[str | None, Service | None]] = [
            (key[0], services.get(key)) for key in code.owners(client.location.path)
        ]
        for project_dir, service in targets or [(None, None)]:
            out.append(
                replace(
                    client,
                    project_dir=project_dir,
                    service=service.name if service is not None else None,
                    session_timeout=_resolve(client.session_timeout, service, False),
                    heartbeat=_resolve(client.heartbeat, service, False),
                    max_poll=_resolve(client.max_poll, service, False),
                    acks=_resolve(client.acks, service, True),
                )
            )
    return tuple(out)
