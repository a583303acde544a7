"""Kafka facts: brokers with their effective durability settings, topics, and clients.

Built once per workspace by :func:`envlint.kafka.build_facts`; rules ENV301-ENV305 read them.
All times are normalised to milliseconds.  A value that could not be resolved (an unresolved
interpolation, a host pass-through) is *unknown* and never guessed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from envlint.model import Location, Problem

__all__ = [
    "Broker",
    "ClientKind",
    "ClientValue",
    "Effective",
    "Flavour",
    "KafkaClient",
    "KafkaFacts",
    "KafkaSetting",
    "SettingIssue",
    "SettingSource",
    "Topic",
    "format_ms",
]

SettingSource = Literal["env", "dockerfile", "properties", "command", "dynamic", "default"]
Flavour = Literal["apache", "confluent", "bitnami", "wurstmeister", "ubuntu", "redpanda"]
ClientKind = Literal["consumer", "producer"]
EffectiveState = Literal["value", "unlimited", "unknown", "invalid"]


@dataclass(frozen=True, slots=True)
class KafkaSetting:
    """One spelling of one Kafka property found in the configuration.

    ``value`` is the raw text (``None``: unknown).  ``number`` is the value parsed as an integer
    in the property's own unit, ``ms`` the same normalised to milliseconds for time properties
    (negative values mean unlimited and are kept as ``-1``).
    """

    property: str  # the Kafka property, e.g. "log.retention.hours"
    value: str | None
    origin: Location | None
    spelling: str  # the env var or property key as written
    source: SettingSource
    number: int | None = None
    ms: int | None = None
    service: str | None = None


@dataclass(frozen=True, slots=True)
class Effective:
    """The value a broker or topic really uses for one time setting.

    ``setting`` is the winning spelling, ``None`` when the built-in default applies.
    ``ms`` is set only when ``state == "value"``.
    """

    state: EffectiveState
    ms: int | None
    setting: KafkaSetting | None = None
    default: bool = False

    @property
    def known(self) -> bool:
        return self.state in ("value", "unlimited")


@dataclass(frozen=True, slots=True)
class SettingIssue:
    """A setting that does not do what it says (ENV305)."""

    kind: Literal["ignored", "shadowed", "invalid"]
    setting: KafkaSetting
    reason: str  # a sentence naming keys and images, never an env value
    winner: KafkaSetting | None = None  # for "shadowed": the spelling that wins
    unverified: bool = False  # the image's behaviour is not documented (ubuntu/kafka)


@dataclass(frozen=True)
class Broker:
    """A Kafka (or Redpanda) broker service with its effective settings."""

    project_dir: str
    service: str
    image: str
    flavour: Flavour
    location: Location  # the service key
    # property -> every spelling found, lowest precedence first (the last one wins statically)
    settings: Mapping[str, tuple[KafkaSetting, ...]]
    retention: Effective
    offsets_retention: Effective
    group_min_session_timeout: Effective
    group_max_session_timeout: Effective
    cleanup_policy: str | None = None  # log.cleanup.policy when set ("delete" by default)
    issues: tuple[SettingIssue, ...] = ()
    properties_files: tuple[str, ...] = ()  # mounted server.properties files that were read


@dataclass(frozen=True)
class Topic:
    """A topic created or altered by an init command (or ``KAFKA_CREATE_TOPICS``)."""

    name: str
    project_dir: str
    service: str  # the service whose command creates it
    origin: Location
    broker: str | None  # the broker service it belongs to, when known
    retention: Effective | None  # the topic-level retention.ms; None: inherits the broker's
    cleanup_policy: str | None = None
    settings: Mapping[str, KafkaSetting] = field(default_factory=lambda: MappingProxyType({}))
    if_not_exists: bool = False
    issues: tuple[SettingIssue, ...] = ()

    @property
    def compact_only(self) -> bool:
        policy = {p.strip() for p in (self.cleanup_policy or "delete").split(",")}
        return "compact" in policy and "delete" not in policy


@dataclass(frozen=True, slots=True)
class ClientValue:
    """One client setting: a literal, an env read (resolved per service), or the library default.

    ``value`` is in milliseconds for timeouts and -1/0/1 for acks; ``None`` means unknown.
    """

    value: int | None
    origin: Location | None  # where the code sets it (None for a library default)
    is_default: bool = False
    env_var: str | None = None  # the variable the code reads the value from
    env_ms_per_unit: float = 1.0  # milliseconds per number read from the variable
    env_duration: bool = False  # the variable holds a Go duration string ("45s")
    fallback: int | None = None  # the code's own fallback when the variable is missing
    env_origin: Location | None = None  # where the service's environment provides the variable


@dataclass(frozen=True, slots=True)
class KafkaClient:
    """A consumer or producer configuration found in source code."""

    kind: ClientKind
    language: str
    library: str  # "confluent-dotnet", "librdkafka-go", "sarama", "kafka-go", "franz-go", ...
    location: Location  # the config construction
    group_id: bool = False  # a consumer group member (classic group protocol settings apply)
    session_timeout: ClientValue | None = None
    heartbeat: ClientValue | None = None
    max_poll: ClientValue | None = None
    acks: ClientValue | None = None
    group_protocol: str | None = None  # "classic" / "consumer" when set explicitly
    project_dir: str | None = None  # filled when joined to a service
    service: str | None = None

    @property
    def librdkafka(self) -> bool:
        return self.library in LIBRDKAFKA_LIBRARIES


LIBRDKAFKA_LIBRARIES = frozenset(
    {"confluent-dotnet", "librdkafka-go", "confluent-python", "node-rdkafka"}
)


@dataclass(frozen=True)
class KafkaFacts:
    brokers: tuple[Broker, ...] = ()
    topics: tuple[Topic, ...] = ()
    clients: tuple[KafkaClient, ...] = ()
    problems: tuple[Problem, ...] = ()

    def brokers_of(self, project_dir: str) -> tuple[Broker, ...]:
        return tuple(b for b in self.brokers if b.project_dir == project_dir)


def format_ms(ms: int) -> str:
    """A compact duration: ``4h``, ``1h30m``, ``36h``, ``7d``, ``45s``, ``250ms``."""
    if ms <= 0 or ms % 1000:
        return f"{ms}ms"
    if ms % 86_400_000 == 0 and ms >= 7 * 86_400_000:
        return f"{ms // 86_400_000}d"
    seconds = ms // 1000
    parts: list[str] = []
    for unit, size in (("h", 3600), ("m", 60), ("s", 1)):
        if seconds >= size:
            parts.append(f"{seconds // size}{unit}")
            seconds %= size
    return "".join(parts)
