"""Per-image mapping of container environment variables to Kafka properties (research §2).

Each image family turns ``KAFKA_*`` variables into ``server.properties`` keys its own way:

* apache/kafka: strip ``KAFKA_``, lowercase, ``_`` -> ``.``, then ``...`` -> ``-``, ``..`` -> ``_``.
* confluentinc/cp-kafka, cp-server: a single ``_`` between two non-``_`` characters -> ``.``,
  then ``___`` -> ``-``, ``__`` -> ``_`` (the code's order; old doc pages state it backwards).
* bitnami/kafka: only ``KAFKA_CFG_*`` (``_`` -> ``.``, no escapes) plus a fixed list of legacy
  ``KAFKA_<X>`` aliases that are copied over ``KAFKA_CFG_<X>``.
* wurstmeister/kafka: everything after the first ``_``, lowercased, ``_`` -> ``.``.
* ubuntu/kafka and Redpanda: no documented environment mapping.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from envlint.kafka.model import Flavour

__all__ = [
    "RELEVANT_PROPERTIES",
    "EnvMapping",
    "apache_style_property",
    "map_env",
]

# Names read by the launch scripts / kafka-run-class.sh: never properties (research §2.6).
NEVER_PROPERTIES = frozenset(
    {
        "KAFKA_VERSION", "KAFKA_HOME", "KAFKA_DEBUG", "KAFKA_HEAP_OPTS", "KAFKA_OPTS",
        "KAFKA_JVM_PERFORMANCE_OPTS", "KAFKA_GC_LOG_OPTS", "KAFKA_JMX_OPTS", "KAFKA_LOG4J_OPTS",
        "KAFKA_JMX_PORT", "KAFKA_JMX_HOSTNAME", "KAFKA_LOG4J_ROOT_LOGLEVEL", "KAFKA_LOG4J_LOGGERS",
        "KAFKA_TOOLS_LOG4J_LOGLEVEL", "KAFKA_LOG", "KAFKA_CREATE_TOPICS",
        "KAFKA_CREATE_TOPICS_SEPARATOR", "KAFKA_ADVERTISED_HOST_NAME", "KAFKA_ADVERTISED_PORT",
    }
)  # fmt: skip

# The durability settings ENV301-ENV305 care about (what "ignored" is reported for).
RELEVANT_PROPERTIES = frozenset(
    {
        "log.retention.ms", "log.retention.minutes", "log.retention.hours",
        "log.retention.bytes", "log.cleanup.policy", "offsets.retention.minutes",
        "group.min.session.timeout.ms", "group.max.session.timeout.ms",
    }
)  # fmt: skip

# bitnami/containers bitnami/kafka libkafka.sh, kafka_create_alias_environment_variables
_BITNAMI_ALIASES = frozenset(
    {
        "ADVERTISED_LISTENERS", "BROKER_ID", "NODE_ID", "CONTROLLER_QUORUM_VOTERS",
        "PROCESS_ROLES", "DEFAULT_REPLICATION_FACTOR", "DELETE_TOPIC_ENABLE",
        "INTER_BROKER_LISTENER_NAME", "LISTENERS", "LISTENER_SECURITY_PROTOCOL_MAP", "LOG_DIRS",
        "LOG_FLUSH_INTERVAL_MESSAGES", "LOG_FLUSH_INTERVAL_MS", "LOG_MESSAGE_FORMAT_VERSION",
        "LOG_RETENTION_BYTES", "LOG_RETENTION_CHECK_INTERVALS_MS", "LOG_RETENTION_HOURS",
        "LOG_SEGMENT_BYTES", "MESSAGE_MAX_BYTES", "NUM_IO_THREADS", "NUM_NETWORK_THREADS",
        "NUM_PARTITIONS", "NUM_RECOVERY_THREADS_PER_DATA_DIR", "OFFSETS_TOPIC_REPLICATION_FACTOR",
        "SOCKET_RECEIVE_BUFFER_BYTES", "SOCKET_REQUEST_MAX_BYTES", "SOCKET_SEND_BUFFER_BYTES",
        "SSL_ENDPOINT_IDENTIFICATION_ALGORITHM", "TRANSACTION_STATE_LOG_MIN_ISR",
        "TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "ZOOKEEPER_CONNECT",
        "ZOOKEEPER_CONNECTION_TIMEOUT_MS", "AUTO_CREATE_TOPICS_ENABLE",
    }
)  # fmt: skip
_BITNAMI_SPECIAL_ALIASES = {
    "KAFKA_LOGS_DIRS": "log.dirs",
    "KAFKA_SEGMENT_BYTES": "log.segment.bytes",
    "KAFKA_MAX_MESSAGE_BYTES": "message.max.bytes",
    "KAFKA_ZOOKEEPER_CONNECT_TIMEOUT_MS": "zookeeper.connection.timeout.ms",
}

# A single underscore with a non-underscore on both sides (confluent dub/ub renderers).
_SINGLE_UNDERSCORE = re.compile(r"(?<=[^_])_(?=[^_])")


@dataclass(frozen=True, slots=True)
class EnvMapping:
    """What one environment variable means to one image.

    ``status``: ``mapped`` (becomes ``property``), ``ignored`` (looks like a property setting but
    the image drops it; ``property`` is what the author meant), ``alias`` (bitnami legacy name,
    applied after ``KAFKA_CFG_*``), or ``none`` (not a property variable at all).
    """

    status: Literal["mapped", "alias", "ignored", "none"]
    property: str | None = None
    reason: str = ""
    unverified: bool = False


_NONE = EnvMapping("none")


def apache_style_property(name: str) -> str | None:
    """``KAFKA_LOG_RETENTION_HOURS`` -> ``log.retention.hours`` as apache/kafka maps it."""
    if not name.startswith("KAFKA_") or name in NEVER_PROPERTIES or len(name) <= 6:
        return None
    rest = name[len("KAFKA_") :].lower().replace("_", ".")
    return rest.replace("...", "-").replace("..", "_")


def _confluent_property(name: str) -> str:
    rest = name[len("KAFKA_") :]
    dotted = _SINGLE_UNDERSCORE.sub(".", rest)
    return dotted.replace("___", "-").replace("__", "_").lower()


def map_env(flavour: Flavour, name: str) -> EnvMapping:
    """How ``flavour`` treats the container environment variable ``name``."""
    if not name.startswith("KAFKA_") or name in NEVER_PROPERTIES:
        return _NONE
    if flavour == "apache":
        prop = apache_style_property(name)
        return EnvMapping("mapped", prop) if prop else _NONE
    if flavour == "confluent":
        return EnvMapping("mapped", _confluent_property(name))
    if flavour == "wurstmeister":
        return EnvMapping("mapped", name.split("_", 1)[1].lower().replace("_", "."))
    if flavour == "bitnami":
        return _bitnami(name)
    meant = apache_style_property(name)
    if meant not in RELEVANT_PROPERTIES:
        return _NONE
    if flavour == "redpanda":
        return EnvMapping(
            "ignored",
            meant,
            "Redpanda has no environment mapping for cluster properties "
            "(use `rpk cluster config set` or `--set redpanda.*`)",
        )
    return EnvMapping(
        "ignored",
        meant,
        "ubuntu/kafka documents no KAFKA_* environment mapping; configure a mounted "
        "server.properties",
        unverified=True,
    )


def _bitnami(name: str) -> EnvMapping:
    if name.startswith("KAFKA_CFG_") and len(name) > len("KAFKA_CFG_"):
        prop = name[len("KAFKA_CFG_") :].replace("_", ".").lower()
        prop = prop.replace("sasl.ssl", "sasl_ssl").replace("sasl.plaintext", "sasl_plaintext")
        return EnvMapping("mapped", prop)
    suffix = name[len("KAFKA_") :]
    if suffix in _BITNAMI_ALIASES:
        return EnvMapping("alias", suffix.replace("_", ".").lower())
    if name in _BITNAMI_SPECIAL_ALIASES:
        return EnvMapping("alias", _BITNAMI_SPECIAL_ALIASES[name])
    meant = apache_style_property(name)
    if meant in RELEVANT_PROPERTIES:
        return EnvMapping(
            "ignored",
            meant,
            f"bitnami/kafka only maps KAFKA_CFG_* (and a fixed list of legacy names that does "
            f"not include {name}); use KAFKA_CFG_{suffix}",
        )
    return _NONE
