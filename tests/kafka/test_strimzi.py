"""Strimzi Kafka/KafkaTopic resources and Kafka StatefulSets as brokers (ENV301/302/305)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_lint, triples, write_tree

KAFKA = """
apiVersion: kafka.strimzi.io/v1beta2
kind: Kafka
metadata:
  name: events
spec:
  kafka:
    config:
      log.retention.hours: {hours}
"""
TOPIC = """
apiVersion: kafka.strimzi.io/v1beta2
kind: KafkaTopic
metadata:
  name: {name}
  labels:
    strimzi.io/cluster: {cluster}
spec:
  config:
    retention.ms: {ms}
"""


def test_topic_of_a_cluster_in_another_plain_directory(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "kafka/cluster.yaml": KAFKA.format(hours=168),
            "topics/orders.yaml": TOPIC.format(name="orders", cluster="events", ms=14400000),
            "topics/other.yaml": TOPIC.format(name="other", cluster="unknown", ms=1000),
        },
    )
    report = run_lint(tmp_path)
    # the topic of an unknown cluster is not judged: its broker is not in the manifests
    assert triples(report, "ENV301") == {("ENV301", "topics/orders.yaml", 9)}


def test_inheriting_topics_take_the_clusters_retention(tmp_path: Path) -> None:
    inherit = TOPIC.format(name="t", cluster="events", ms=1).replace("    retention.ms: 1\n", "")
    write_tree(tmp_path, {"k8s/all.yaml": KAFKA.format(hours=6) + "---" + inherit})
    report = run_lint(tmp_path)
    (finding,) = [f for f in report.findings if f.code == "ENV301"]
    assert (finding.location.path, finding.location.line) == ("k8s/all.yaml", 8)
    assert "broker 'kafka/events' (topics 't')" in finding.message
    assert finding.severity.value == "error"


def test_invalid_strimzi_value_is_env305(tmp_path: Path) -> None:
    write_tree(tmp_path, {"k8s/kafka.yaml": KAFKA.format(hours='"4h"')})
    report = run_lint(tmp_path)
    assert ("ENV305", "k8s/kafka.yaml", 8) in triples(report)
    assert not triples(report, "ENV301") - {("ENV301", "k8s/kafka.yaml", 8)}


def test_kafka_statefulset_env_is_a_broker(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "k8s/kafka.yaml": """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: kafka}
            spec:
              template:
                spec:
                  containers:
                    - name: kafka
                      image: bitnami/kafka:3.7
                      env:
                        - {name: KAFKA_CFG_LOG_RETENTION_HOURS, value: "8"}
            """
        },
    )
    report = run_lint(tmp_path)
    assert triples(report, "ENV301") == {("ENV301", "k8s/kafka.yaml", 11)}
    assert "broker 'sts/kafka'" in next(f.message for f in report.findings if f.code == "ENV301")
