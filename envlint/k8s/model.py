"""Kubernetes manifest sets as plain data (what ``envlint.k8s`` reads, what rules judge).

A :class:`ManifestSet` is what one ``kubectl apply`` would send: the documents of a directory of
plain manifests, of a rendered kustomization or Helm chart, or of ``--k8s`` input.  Its
containers are :class:`~envlint.model.Service` objects in ``project`` (platform
``"kubernetes"``), so every per-service rule and the service-code model treat a container like a
compose service: ``provides(name)`` answers from the environment the kubelet builds
(``env``/``envFrom`` with ConfigMaps of the set, ``$(VAR)`` expanded), image ENV comes from the
Dockerfile this repository builds the image from, ``command``/``args`` are the compose
``entrypoint``/``command`` (Docker's rules are the same).

Secret values are never read: a key's presence is all envlint keeps of a Secret.  Paths are
relative to the checked root with ``/``; rendered output is located at the template or source
file it came from when that is known, else at ``<stdin>`` / the chart directory.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from envlint.model import ComposeProject, Location

__all__ = ["ConfigObject", "ConfigRef", "KafkaResource", "ManifestSet", "ObjectKind"]

ObjectKind = Literal["ConfigMap", "Secret"]


@dataclass(frozen=True, slots=True)
class ConfigObject:
    """A ConfigMap or Secret defined in the set (keys with where they are written)."""

    kind: ObjectKind
    name: str
    namespace: str | None
    keys: Mapping[str, Location]
    location: Location  # metadata.name (or the generator entry)
    # created by a controller from another object of the set (ExternalSecret, SealedSecret,
    # SecretProviderClass sync...): its keys are not known
    keys_known: bool = True
    # a ConfigMap's values by key (never a Secret's: envlint does not read them)
    values: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True, slots=True)
class ConfigRef:
    """One reference from a container to a ConfigMap or Secret (``valueFrom`` or ``envFrom``)."""

    service: str  # the container's Service name in the set ("deploy/api")
    kind: ObjectKind
    name: str
    key: str | None  # None for envFrom (the whole object)
    optional: bool
    variable: str | None  # the env var a valueFrom fills; None for envFrom
    namespace: str | None
    location: Location  # the object's name in the configMapKeyRef / secretKeyRef / envFrom
    key_location: Location | None = None  # the ``key:`` of a valueFrom reference


@dataclass(frozen=True, slots=True)
class KafkaResource:
    """A Strimzi ``Kafka`` (broker settings in ``spec.kafka.config``) or ``KafkaTopic``."""

    kind: Literal["Kafka", "KafkaTopic"]
    name: str  # metadata.name
    cluster: str | None  # Kafka: its own name; KafkaTopic: the strimzi.io/cluster label
    topic: str  # the topic name (spec.topicName, else metadata.name); "" for a Kafka
    # (key, value as text or None when not a scalar, where the key is written)
    config: tuple[tuple[str, str | None, Location], ...]
    location: Location


@dataclass(frozen=True)
class ManifestSet:
    """One set of Kubernetes manifests applied together."""

    label: str  # "manifests k8s", "overlay deploy/overlays/prod", "chart charts/api", "stdin"
    directory: str  # relative to the checked root ("." for stdin)
    # how it was read: "files", "kustomize v5.5.0 (kubectl kustomize)", "helm v3.15.0",
    # "built-in", "stdin"
    renderer: str
    project: ComposeProject  # platform="kubernetes"; a Service per container
    configs: tuple[ConfigObject, ...] = ()
    refs: tuple[ConfigRef, ...] = ()
    kafka: tuple[KafkaResource, ...] = ()
    # a rendered kustomization / chart / --k8s input is all that gets applied; a directory of
    # plain manifests may be applied together with other directories (`kubectl apply -R`)
    complete: bool = True
    # workload kinds and names seen (for statistics and trace): ("Deployment", "api"), ...
    workloads: tuple[tuple[str, str], ...] = ()
    # why the set could not be read (no helm binary, a remote base, the renderer failed), with
    # the command that would render it; the set is then empty (ENV504 reports it)
    skipped: str = ""
    location: Location | None = None  # the kustomization / Chart.yaml / --k8s input
    # the renderer that was not on PATH when that is why the set was skipped ("helm")
    missing_tool: str = ""

    def config(self, kind: ObjectKind, name: str, namespace: str | None) -> ConfigObject | None:
        """The ConfigMap/Secret ``name`` of the set in the workload's namespace."""
        for obj in self.configs:
            if obj.kind == kind and obj.name == name and _same_ns(obj.namespace, namespace):
                return obj
        return None


def _same_ns(a: str | None, b: str | None) -> bool:
    """Namespaces match; an object without one is applied to the namespace of the command, as
    is a workload without one."""
    return (a or "") == (b or "") or a is None or b is None
