from __future__ import annotations

from pathlib import Path

from envlint.compose import load_workspace
from envlint.config import Settings
from envlint.kafka import build_facts
from envlint.kafka.brokers import detect_flavour
from envlint.kafka.model import Broker, KafkaFacts, format_ms
from tests.conftest import write_tree

H = 3_600_000


def facts(tmp_path: Path, files: dict[str, str]) -> KafkaFacts:
    root = write_tree(tmp_path / "p", files)
    return build_facts(load_workspace(root, Settings()))


def only(f: KafkaFacts) -> Broker:
    assert len(f.brokers) == 1
    return f.brokers[0]


def test_detect_flavour() -> None:
    assert detect_flavour("apache/kafka:3.9.0") == "apache"
    assert detect_flavour("docker.io/apache/kafka-native:3.9.0") == "apache"
    assert detect_flavour("confluentinc/cp-server:7.6.1@sha256:abc") == "confluent"
    assert detect_flavour("bitnamilegacy/kafka") == "bitnami"
    assert detect_flavour("docker.redpanda.com/redpandadata/redpanda:v24.2.1") == "redpanda"
    assert detect_flavour("wurstmeister/kafka:2.13-2.8.1") == "wurstmeister"
    assert detect_flavour("localhost:5000/ubuntu/kafka:3.1") == "ubuntu"
    assert detect_flavour("postgres:16") is None
    assert detect_flavour("${IMAGE}:kafka") is None
    assert detect_flavour(None) is None


def test_format_ms() -> None:
    assert format_ms(168 * H) == "7d" and format_ms(24 * H) == "24h"
    assert [format_ms(x) for x in (4 * H, 90 * 60_000, 36 * H, 45_000, 250)] == [
        "4h", "1h30m", "36h", "45s", "250ms",
    ]  # fmt: skip


def test_default_retention_when_unset(tmp_path: Path) -> None:
    broker = only(facts(tmp_path, {"compose.yaml": "services:\n  k:\n    image: apache/kafka\n"}))
    assert broker.retention.default and broker.retention.ms == 168 * H
    assert broker.offsets_retention.ms == 7 * 24 * H
    assert (broker.group_min_session_timeout.ms, broker.group_max_session_timeout.ms) == (
        6000, 1_800_000,
    )  # fmt: skip


def test_ms_beats_minutes_beats_hours(tmp_path: Path) -> None:
    compose = """
        services:
          k:
            image: confluentinc/cp-kafka:7.6.1
            environment:
              KAFKA_LOG_RETENTION_HOURS: "48"
              KAFKA_LOG_RETENTION_MINUTES: "120"
        """
    broker = only(facts(tmp_path, {"compose.yaml": compose}))
    assert broker.retention.ms == 2 * H
    assert broker.retention.setting and broker.retention.setting.spelling.endswith("MINUTES")
    shadowed = [(i.kind, i.setting.spelling) for i in broker.issues]
    assert shadowed == [("shadowed", "KAFKA_LOG_RETENTION_HOURS")]


def test_negative_is_unlimited_zero_is_invalid(tmp_path: Path) -> None:
    compose = """
        services:
          a:
            image: apache/kafka
            environment: {KAFKA_LOG_RETENTION_HOURS: "-1"}
          b:
            image: apache/kafka
            environment: {KAFKA_LOG_RETENTION_HOURS: "0"}
          c:
            image: apache/kafka
            environment: {KAFKA_LOG_RETENTION_HOURS: "4.5"}
        """
    f = facts(tmp_path, {"compose.yaml": compose})
    states = {b.service: b.retention.state for b in f.brokers}
    assert states == {"a": "unlimited", "b": "invalid", "c": "invalid"}
    assert {b.service: [i.kind for i in b.issues] for b in f.brokers} == {
        "a": [], "b": ["invalid"], "c": ["invalid"],
    }  # fmt: skip


def test_unresolved_value_is_unknown(tmp_path: Path) -> None:
    compose = """
        services:
          k:
            image: apache/kafka
            environment:
              KAFKA_LOG_RETENTION_HOURS: ${NOT_DEFINED_ANYWHERE}
        """
    broker = only(facts(tmp_path, {"compose.yaml": compose}))
    assert broker.retention.state == "unknown"
    assert broker.retention.setting is not None and broker.retention.setting.value is None


def test_dockerfile_env_overridden_by_compose(tmp_path: Path) -> None:
    files = {
        "compose.yaml": """
            services:
              kafka:
                build: ./kafka
                environment:
                  KAFKA_LOG_RETENTION_HOURS: 72
            """,
        "kafka/Dockerfile": "FROM apache/kafka:3.9.0\nENV KAFKA_LOG_RETENTION_HOURS=4 \\\n"
        "    KAFKA_OFFSETS_RETENTION_MINUTES=600\n",
    }
    broker = only(facts(tmp_path, files))
    assert broker.flavour == "apache"
    assert broker.retention.ms == 72 * H
    assert broker.offsets_retention.ms == 600 * 60_000
    off = broker.offsets_retention.setting
    assert off is not None and off.source == "dockerfile"
    assert off.origin is not None and off.origin.path == "kafka/Dockerfile"


def test_bitnami_legacy_alias_and_ignored(tmp_path: Path) -> None:
    compose = """
        services:
          k:
            image: bitnami/kafka:3.7
            environment:
              KAFKA_CFG_LOG_RETENTION_HOURS: 100
              KAFKA_LOG_RETENTION_HOURS: 4
              KAFKA_LOG_RETENTION_MS: 1000
        """
    broker = only(facts(tmp_path, compose and {"compose.yaml": compose}))
    # the legacy alias is copied over KAFKA_CFG_* (bitnami's setup.sh), _MS is not mapped at all
    assert broker.retention.ms == 4 * H
    kinds = sorted((i.kind, i.setting.spelling) for i in broker.issues)
    assert kinds == [
        ("ignored", "KAFKA_LOG_RETENTION_MS"), ("shadowed", "KAFKA_CFG_LOG_RETENTION_HOURS"),
    ]  # fmt: skip


def test_mounted_properties_apache_env_wins(tmp_path: Path) -> None:
    files = {
        "compose.yaml": """
            services:
              k:
                image: apache/kafka
                volumes:
                  - type: bind
                    source: ./cfg
                    target: /mnt/shared/config
                environment:
                  KAFKA_LOG_RETENTION_MINUTES: 600
            """,
        "cfg/server.properties": "log.retention.hours=4\nlog.retention.minutes=30\n",
    }
    broker = only(facts(tmp_path, files))
    assert broker.properties_files == ("cfg/server.properties",)
    assert broker.retention.ms == 600 * 60_000
    shadowed = sorted(i.setting.spelling for i in broker.issues if i.kind == "shadowed")
    assert shadowed == ["log.retention.hours", "log.retention.minutes"]


def test_mount_outside_root_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "server.properties").write_text("log.retention.hours=1\n")
    files = {
        "compose.yaml": """
            services:
              k:
                image: apache/kafka
                volumes: ["../server.properties:/mnt/shared/config/server.properties"]
            """
    }
    broker = only(facts(tmp_path, files))
    assert broker.properties_files == () and broker.retention.default


def test_dynamic_config_and_override(tmp_path: Path) -> None:
    compose = """
        services:
          kafka:
            image: apache/kafka
            command: ["/opt/kafka/bin/kafka-server-start.sh", "/cfg/server.properties",
                      "--override", "log.retention.ms=7200000"]
          init:
            image: apache/kafka
            entrypoint: ["bash", "-c"]
            command: |
              kafka-configs.sh --bootstrap-server kafka:9092 --alter --entity-type brokers \\
                --entity-default --add-config log.retention.hours=30
        """
    broker = only(facts(tmp_path, {"compose.yaml": compose}))
    assert broker.retention.ms == 30 * H
    assert broker.retention.setting is not None
    assert broker.retention.setting.source == "dynamic"
    issue = [i for i in broker.issues if i.kind == "shadowed"]
    assert [i.setting.spelling for i in issue] == ["log.retention.ms"]


def test_topics_from_commands_and_create_topics(tmp_path: Path) -> None:
    compose = """
        services:
          kafka:
            image: wurstmeister/kafka
            environment:
              KAFKA_CREATE_TOPICS: "events:1:1:compact,orders:3:1:delete --config retention.ms=5000"
          kafka-b:
            image: apache/kafka
          init:
            image: apache/kafka
            command: >
              sh -c "kafka-topics.sh --bootstrap-server kafka-b:9092 --create --topic payments
              --config retention.ms=-1 && kafka-topics.sh --bootstrap-server kafka-b:9092
              --create --topic bad --config retention.ms=-5"
        """
    f = facts(tmp_path, {"compose.yaml": compose})
    topics = {t.name: t for t in f.topics}
    assert set(topics) == {"events", "orders", "payments", "bad"}
    assert topics["events"].compact_only and topics["events"].broker == "kafka"
    assert topics["orders"].retention is not None and topics["orders"].retention.ms == 5000
    assert topics["payments"].broker == "kafka-b"
    assert topics["payments"].retention is not None
    assert topics["payments"].retention.state == "unlimited"
    assert [i.kind for i in topics["bad"].issues] == ["invalid"]


def test_redpanda_set_and_env_ignored(tmp_path: Path) -> None:
    compose = """
        services:
          redpanda:
            image: redpandadata/redpanda:v24.2.1
            command: ["redpanda", "start", "--set", "redpanda.log_retention_ms=3600000"]
            environment:
              KAFKA_LOG_RETENTION_HOURS: 200
        """
    broker = only(facts(tmp_path, {"compose.yaml": compose}))
    assert broker.flavour == "redpanda"
    assert broker.retention.ms == H
    assert broker.group_max_session_timeout.ms == 300_000
    assert [(i.kind, i.setting.spelling) for i in broker.issues] == [
        ("ignored", "KAFKA_LOG_RETENTION_HOURS")
    ]


def test_non_kafka_project_has_no_facts(tmp_path: Path) -> None:
    f = facts(tmp_path, {"compose.yaml": "services:\n  db:\n    image: postgres\n"})
    assert f == KafkaFacts()
