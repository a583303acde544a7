"""ENV301-ENV305 end to end on the incident-shaped fixture and small variations of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from envlint.findings import Severity
from tests.conftest import run_lint, triples, write_tree

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "kafka_incident"
KAFKA = ("ENV301", "ENV302", "ENV303", "ENV304", "ENV305")


@pytest.fixture
def incident(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURE, tmp_path / "incident"))


def test_incident_findings(incident: Path) -> None:
    report = run_lint(incident, select=KAFKA)
    assert {t for t in triples(report) if t[0] in KAFKA} == {
        ("ENV301", "docker-compose.yml", 8),  # 4h from .env via ${KAFKA_RETENTION_HOURS}
        ("ENV302", "src/kafka/Dockerfile", 2),  # offsets kept 6h
        ("ENV304", "src/checkout/producer.go", 8),  # sarama.NoResponse
    }
    (retention,) = [f for f in report.findings if f.code == "ENV301"]
    assert retention.severity is Severity.ERROR
    assert "is 4h" in retention.message and "12h" in retention.message
    assert "KAFKA_LOG_RETENTION_HOURS" in retention.message
    assert retention.service == "kafka"


def test_incident_fix_is_clean(incident: Path) -> None:
    env = incident / ".env"
    env.write_text(env.read_text().replace("KAFKA_RETENTION_HOURS=4", "KAFKA_RETENTION_HOURS=24"))
    report = run_lint(incident, select=("ENV301",))
    assert triples(report, "ENV301") == set()


def test_budget_from_settings(incident: Path) -> None:
    env = incident / ".env"
    env.write_text(env.read_text().replace("KAFKA_RETENTION_HOURS=4", "KAFKA_RETENTION_HOURS=24"))
    report = run_lint(incident, select=("ENV301",), max_consumer_downtime=16 * 3600.0)
    (finding,) = report.findings
    assert finding.severity is Severity.WARNING and "32h" in finding.message


def test_consumer_env_values_checked(incident: Path) -> None:
    env = incident / ".env"
    old, new = "KAFKA_HEARTBEAT_INTERVAL_MS=3000", "KAFKA_HEARTBEAT_INTERVAL_MS=45000"
    env.write_text(env.read_text().replace(old, new))
    report = run_lint(incident, select=("ENV303",))
    assert triples(report, "ENV303") == {("ENV303", "src/accounting/Consumer.cs", 11)}
    (finding,) = report.findings
    assert finding.variable == "KAFKA_HEARTBEAT_INTERVAL_MS"
    # the value comes from .env through the compose pass-through line
    assert {r.location.path for r in finding.related} == {"docker-compose.yml"}


def test_missing_env_vars_are_not_guessed(incident: Path) -> None:
    (incident / ".env").write_text("KAFKA_RETENTION_HOURS=24\n")
    report = run_lint(incident, select=("ENV303",))
    assert triples(report, "ENV303") == set()


def test_messages_never_carry_other_env_values(incident: Path) -> None:
    report = run_lint(incident, select=KAFKA)
    for finding in report.findings:
        assert "Xmx600m" not in finding.message


def test_broker_bounds_from_same_project(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "p",
        {
            "compose.yaml": """
                services:
                  redpanda:
                    image: redpandadata/redpanda:v24.2.1
                  worker:
                    build: ./worker
                """,
            "worker/Dockerfile": "FROM python:3.12\n",
            "worker/main.py": """
                from confluent_kafka import Consumer

                c = Consumer({
                    "group.id": "w",
                    "session.timeout.ms": 600000,
                    "max.poll.interval.ms": 900000,
                })
                """,
        },
    )
    report = run_lint(root, select=("ENV303",))
    assert triples(report) == {("ENV303", "worker/main.py", 5)}
    assert "300000" in report.findings[0].message


def test_ineffective_and_severity(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "p",
        {
            "compose.yaml": """
                services:
                  a:
                    image: ubuntu/kafka:3.1-22.04_beta
                    environment:
                      KAFKA_LOG_RETENTION_HOURS: 2
                  b:
                    image: bitnami/kafka:3.7
                    environment:
                      KAFKA_OFFSETS_RETENTION_MINUTES: 10
                """
        },
    )
    report = run_lint(root, select=("ENV305", "ENV302"))
    found = {(f.code, f.location.line, f.severity) for f in report.findings}
    assert found == {
        ("ENV305", 5, Severity.INFO),  # ubuntu/kafka: unverified mapping
        ("ENV305", 9, Severity.WARNING),  # bitnami has no alias for offsets retention
    }


KOTLIN = Path(__file__).resolve().parent.parent / "fixtures" / "kafka_kotlin_clients"


def test_kotlin_producer_and_consumer_maps(tmp_path: Path) -> None:
    """Spring/Apache Kafka maps in Kotlin: ``props[K] = v``, ``put``, ``mapOf(K to v)``; a
    same-file ``const val``, a literal or an env value of 0 fires, all/-1/1 and values envlint
    cannot know (a constructor parameter, a template) stay silent."""
    root = Path(shutil.copytree(KOTLIN, tmp_path / "kt"))
    report = run_lint(root, select=("ENV303", "ENV304"))
    orders = "orders/src/main/kotlin/com/shop/orders/KafkaConfig.kt"
    assert triples(report) == {
        ("ENV304", orders, 15),  # props[ACKS_CONFIG] = FIRE_AND_FORGET (const val "0")
        ("ENV304", orders, 19),  # mapOf(ACKS_CONFIG to 0)
        ("ENV304", orders, 23),  # System.getenv("ORDERS_ACKS"), compose sets "0"
        ("ENV303", orders, 31),  # heartbeat 20000 >= session SESSION_MS (10000)
    }
    compose = root / "docker-compose.yml"
    compose.write_text(compose.read_text().replace('ORDERS_ACKS: "0"', "ORDERS_ACKS: all"))
    assert ("ENV304", orders, 23) not in triples(run_lint(root, select=("ENV304",)))
