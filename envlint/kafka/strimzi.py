"""Strimzi ``Kafka`` and ``KafkaTopic`` resources of the Kubernetes manifest sets as brokers and
topics, so ENV301/ENV302/ENV305 judge them like Compose brokers.

A ``Kafka`` cluster's ``spec.kafka.config`` is its broker configuration (Strimzi passes it to
every broker as ``server.properties``; Strimzi runs Apache Kafka, so Apache's defaults apply:
168 h retention, 7 d offsets retention).  A ``KafkaTopic`` belongs to the cluster its
``strimzi.io/cluster`` label names; its ``spec.config`` ``retention.ms`` and ``cleanup.policy``
override the cluster's for that topic (the Topic Operator sets them as topic configs).  A topic
whose cluster is not in the manifests is left out: its inherited retention is not known.
Nothing here judges.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType

from envlint.kafka.brokers import (
    _DEFAULTS,
    _KAFKA,
    _effective,
    _issues,
    _policy,
    _topic_retention,
    _winners,
    make_setting,
)
from envlint.kafka.model import Broker, Effective, KafkaSetting, Topic
from envlint.model import KafkaResource, ManifestSet, Workspace

__all__ = ["strimzi_brokers_and_topics"]


def _service(cluster: str) -> str:
    """How findings name a Strimzi cluster (``service`` of its Broker)."""
    return f"kafka/{cluster}"


def _settings(res: KafkaResource, cluster: str) -> list[KafkaSetting]:
    return [
        make_setting(key, value, loc, key, "properties", _service(cluster))
        for key, value, loc in res.config
    ]


def _broker(mset: ManifestSet, res: KafkaResource) -> Broker:
    static = _settings(res, res.name)
    level = _winners(static)
    defaults = _DEFAULTS["kafka"]
    effective: dict[str, Effective] = {
        key: _effective(level, _KAFKA[key], defaults[key],
                        negative_unlimited=key == "retention", zero_valid=key.startswith("group"))
        for key in ("retention", "offsets", "group_min", "group_max")
    }  # fmt: skip
    cleanup = level.get("log.cleanup.policy")
    settings: dict[str, list[KafkaSetting]] = {}
    for setting in static:
        settings.setdefault(setting.property, []).append(setting)
    return Broker(
        project_dir=mset.directory,
        service=_service(res.name),
        image="strimzi",
        flavour="apache",
        location=res.location,
        settings=MappingProxyType({k: tuple(v) for k, v in settings.items()}),
        retention=effective["retention"],
        offsets_retention=effective["offsets"],
        group_min_session_timeout=effective["group_min"],
        group_max_session_timeout=effective["group_max"],
        cleanup_policy=_policy(cleanup.value if cleanup else None),
        issues=tuple(_issues("apache", static, (), effective)),
    )


def _topic(mset: ManifestSet, res: KafkaResource, broker: Broker) -> Topic:
    configs: Mapping[str, KafkaSetting] = {
        s.property: s for s in _settings(res, res.cluster or "?")
    }
    retention, issues = _topic_retention(configs.get("retention.ms"))
    policy = configs.get("cleanup.policy")
    cleanup = (policy.value if policy else None) or broker.cleanup_policy
    return Topic(
        name=res.topic,
        project_dir=broker.project_dir,
        service=broker.service,
        origin=res.location,
        broker=broker.service,
        retention=retention,
        cleanup_policy=_policy(cleanup),
        settings=MappingProxyType(dict(configs)),
        issues=issues,
    )


def _candidates(ws: Workspace, mset: ManifestSet) -> Iterator[ManifestSet]:
    """Where a topic's cluster may be: its own set, then (for a plain directory) the other
    plain directories, which may be applied together with it."""
    yield mset
    if not mset.complete:
        yield from (m for m in ws.kubernetes if m is not mset and not m.complete)


def strimzi_brokers_and_topics(ws: Workspace) -> tuple[list[Broker], list[Topic]]:
    brokers: dict[tuple[str, str], Broker] = {}  # (set directory + label, cluster) -> broker
    for mset in ws.kubernetes:
        for res in mset.kafka:
            if res.kind == "Kafka":
                brokers[(mset.label, res.name)] = _broker(mset, res)
    topics: list[Topic] = []
    for mset in ws.kubernetes:
        for res in mset.kafka:
            if res.kind != "KafkaTopic" or not res.cluster:
                continue
            found = (brokers.get((m.label, res.cluster)) for m in _candidates(ws, mset))
            broker = next((b for b in found if b is not None), None)
            if broker is not None:
                topics.append(_topic(mset, res, broker))
    return list(brokers.values()), topics
