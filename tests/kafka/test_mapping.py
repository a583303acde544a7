from __future__ import annotations

import pytest

from envlint.kafka.mapping import map_env
from envlint.kafka.properties import parse_properties


@pytest.mark.parametrize(
    ("flavour", "name", "status", "prop"),
    [
        ("apache", "KAFKA_LOG_RETENTION_HOURS", "mapped", "log.retention.hours"),
        ("apache", "KAFKA_LISTENER_NAME_SASL__SSL_SCRAM___SHA___256_X", "mapped",
         "listener.name.sasl_ssl.scram-sha-256.x"),
        ("apache", "KAFKA_HEAP_OPTS", "none", None),
        ("apache", "CLUSTER_ID", "none", None),
        ("confluent", "KAFKA_LOG_RETENTION_MS", "mapped", "log.retention.ms"),
        ("confluent", "KAFKA_LISTENER_NAME_SASL__SSL_SCRAM___SHA___256_X", "mapped",
         "listener.name.sasl_ssl.scram-sha-256.x"),
        ("confluent", "KAFKA_LOG4J_OPTS", "none", None),
        ("bitnami", "KAFKA_CFG_LOG_RETENTION_MS", "mapped", "log.retention.ms"),
        ("bitnami", "KAFKA_LOG_RETENTION_HOURS", "alias", "log.retention.hours"),
        ("bitnami", "KAFKA_LOG_RETENTION_MS", "ignored", "log.retention.ms"),
        ("bitnami", "KAFKA_OFFSETS_RETENTION_MINUTES", "ignored", "offsets.retention.minutes"),
        ("bitnami", "KAFKA_CLIENT_USERS", "none", None),
        ("wurstmeister", "KAFKA_LOG_RETENTION_HOURS", "mapped", "log.retention.hours"),
        ("wurstmeister", "KAFKA_CREATE_TOPICS", "none", None),
        ("redpanda", "KAFKA_LOG_RETENTION_HOURS", "ignored", "log.retention.hours"),
        ("ubuntu", "KAFKA_LOG_RETENTION_HOURS", "ignored", "log.retention.hours"),
        ("ubuntu", "KAFKA_BROKER_ID", "none", None),
    ],
)  # fmt: skip
def test_map_env(flavour: str, name: str, status: str, prop: str | None) -> None:
    mapped = map_env(flavour, name)  # type: ignore[arg-type]
    assert (mapped.status, mapped.property) == (status, prop)


def test_ubuntu_is_unverified() -> None:
    assert map_env("ubuntu", "KAFKA_LOG_RETENTION_MS").unverified
    assert not map_env("redpanda", "KAFKA_LOG_RETENTION_MS").unverified


def test_properties_forms() -> None:
    text = (
        "# comment\n"
        "! other comment\n"
        "log.retention.hours=4\n"
        "  offsets.retention.minutes : 60\n"
        "group.max.session.timeout.ms 300000\n"
        "listeners=PLAINTEXT://:9092,\\\n"
        "   CONTROLLER://:9093\n"
        "key\\=with\\:escapes=v\n"
        "empty=\n"
    )
    entries = [(e.key, e.value, e.line) for e in parse_properties(text)]
    assert entries == [
        ("log.retention.hours", "4", 3),
        ("offsets.retention.minutes", "60", 4),
        ("group.max.session.timeout.ms", "300000", 5),
        ("listeners", "PLAINTEXT://:9092,CONTROLLER://:9093", 6),
        ("key=with:escapes", "v", 8),
        ("empty", "", 9),
    ]


def test_properties_never_raise_on_garbage() -> None:
    assert parse_properties("\\") == ()
    assert [e.key for e in parse_properties("a\\u00zz=1\n=x\n")] == ["au00zz"]
