"""The intermediate form language extractors produce (internal to envlint.kafka)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from envlint.kafka._ts import Eval

if TYPE_CHECKING:
    from tree_sitter import Node

    from envlint.kafka.model import ClientKind

__all__ = ["ACK_SYMBOLS", "LIBRDKAFKA_KEYS", "Found"]

# librdkafka / Java string keys -> client fields
LIBRDKAFKA_KEYS = {
    "session.timeout.ms": "session",
    "heartbeat.interval.ms": "heartbeat",
    "max.poll.interval.ms": "max_poll",
    "acks": "acks",
    "request.required.acks": "acks",
    "group.id": "group",
    "group.protocol": "protocol",
}
ACK_SYMBOLS = {
    "None": 0, "Leader": 1, "All": -1,  # Confluent.Kafka Acks
    "NoResponse": 0, "WaitForLocal": 1, "WaitForAll": -1,  # sarama
    "RequireNone": 0, "RequireOne": 1, "RequireAll": -1,  # kafka-go
    "NoAck": 0, "LeaderAck": 1, "AllISRAcks": -1,  # franz-go
}  # fmt: skip


@dataclass
class Found:
    """One client configuration as an extractor sees it (mutable while being collected)."""

    kind: ClientKind
    library: str
    node: Node  # the construction, for the client's location
    values: dict[str, tuple[Eval, Node]] = field(default_factory=dict)
    group: bool = False  # a consumer group member even without an explicit group id value
    native_per_ms: int = 1  # Go time.Duration fields are nanoseconds
    default_acks: int | None = None  # overrides the library default (kafka-go WriterConfig)
    zero_acks_is_all: bool = False  # kafka-go WriterConfig maps RequiredAcks 0 to RequireAll
