"""Kafka brokers, topics and clients with their effective durability settings.

``build_facts(ws)`` reads brokers and topics from the compose model; client configurations come
from the source pass (``clients.EXTRACTOR``) and are joined to their services by
``clients.join_clients``.  The pipeline builds both for the rules that need them (ENV201,
ENV301-ENV305); nothing here judges.
"""

from __future__ import annotations

from envlint.kafka.brokers import (
    ProjectInput,
    build_broker,
    build_topics,
    create_topics_specs,
    detect_flavour,
)
from envlint.kafka.commands import PropertyArg, TopicSpec, scan_service
from envlint.kafka.model import Broker, Flavour, KafkaFacts, Topic
from envlint.model import ComposeProject, Problem, Service, Workspace

__all__ = ["build_facts"]


_ADMIN = ("kafka-topics", "kafka-configs", "rpk topic", "rpk cluster", "kafka-console-")
_SERVER = ("kafka-server-start", "docker/run", "redpanda start", "/etc/kafka/docker/run")


def _command_text(service: Service) -> str:
    parts: list[str] = []
    for key in ("entrypoint", "command"):
        value = service.raw.get(key)
        if isinstance(value, str):
            parts.append(value)
        elif isinstance(value, list):
            parts.extend(str(v) for v in value)
    return " ".join(parts)


def _flavour(service: Service) -> Flavour | None:
    """The broker image family, or ``None`` (also for a one-shot admin container that runs
    ``kafka-topics`` & co. from the broker's image)."""
    flavour = detect_flavour(service.dockerfile_from) or detect_flavour(service.image)
    if flavour is None:
        return None
    text = _command_text(service)
    if any(a in text for a in _ADMIN) and not any(s in text for s in _SERVER):
        return None
    return flavour


def _project(
    ws: Workspace, project: ComposeProject, problems: list[Problem]
) -> tuple[list[Broker], tuple[Topic, ...]]:
    found = [(s, f) for s in project.services if (f := _flavour(s)) is not None]
    if not found:
        return [], ()
    specs: list[TopicSpec] = []
    args: list[PropertyArg] = []
    for service in project.services:
        topics, props = scan_service(service)
        specs.extend(topics)
        args.extend(props)
    hosts: dict[str, str] = {}
    for service, _ in found:
        specs.extend(create_topics_specs(service))
        hosts[service.name] = service.name
        for key in ("hostname", "container_name"):
            alias = service.raw.get(key)
            if isinstance(alias, str):
                hosts[alias] = service.name
    inp = ProjectInput(
        tuple(specs), tuple(args), frozenset(s.name for s, _ in found), hosts, problems
    )
    brokers = [build_broker(ws.root, project, s, f, inp) for s, f in found]
    return brokers, build_topics(project, brokers, inp)


def build_facts(ws: Workspace) -> KafkaFacts:
    problems: list[Problem] = []
    brokers: list[Broker] = []
    topics: list[Topic] = []
    # Compose projects, then Kubernetes manifest sets (a broker run as a StatefulSet is read
    # from its containers' environment like a compose service)
    for project in (*ws.projects, *(m.project for m in ws.kubernetes)):
        found, project_topics = _project(ws, project, problems)
        brokers.extend(found)
        topics.extend(project_topics)
    if ws.kubernetes:  # Strimzi Kafka / KafkaTopic resources of the manifests
        from envlint.kafka.strimzi import strimzi_brokers_and_topics

        found, k8s_topics = strimzi_brokers_and_topics(ws)
        brokers.extend(found)
        topics.extend(k8s_topics)
    return KafkaFacts(tuple(brokers), tuple(topics), (), tuple(problems))
