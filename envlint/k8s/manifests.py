"""Manifest documents -> a :class:`~envlint.model.ManifestSet` (the kubelet's view).

Each container of a Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob or Pod (init
containers too) becomes a :class:`~envlint.model.Service` whose ``environment`` is what the
kubelet gives the process (pkg/kubelet/kubelet_pods.go ``makeEnvironmentVariables``):

1. ``envFrom`` items in order, each ConfigMap's ``data`` / Secret's keys with ``prefix``; a
   missing object is skipped when ``optional``, else the pod does not start;
2. ``env`` items in order, each replacing an earlier value: a non-empty ``value`` is expanded
   (``$(VAR)``, :mod:`envlint.k8s.expand`) with what is declared so far; ``valueFrom`` reads a
   ConfigMap/Secret key (skipped when ``optional`` and absent), a pod field or a resource.

Values the repository does not hold (Secret values, pod fields, objects created elsewhere) are
``unresolved``.  A reference the set cannot satisfy is recorded as a
:class:`~envlint.model.ConfigRef` for ENV501/ENV502 and counts as provided (unknown value)
for the code rules, whose finding would be moot: that pod never starts.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from envlint.compose.scalars import compose_string
from envlint.compose.yamlnodes import YMap, YNode, YScalar, YSeq
from envlint.k8s.expand import expand
from envlint.model import (
    ComposeProject,
    ConfigObject,
    ConfigRef,
    EnvValue,
    KafkaResource,
    Location,
    ManifestSet,
    ObjectKind,
    Service,
    ValueSource,
    frozen_mapping,
)
from envlint.servicecode.image_env import BuiltImageEnv, ReadDockerfiles
from envlint.servicecode.model import ImageBuild
from envlint.servicecode.repofiles import RepoFiles

__all__ = ["SHORT_KINDS", "Locator", "SetBuilder", "is_manifest"]

# kubectl's short names, used in service names ("deploy/api")
SHORT_KINDS = {
    "Deployment": "deploy",
    "StatefulSet": "sts",
    "DaemonSet": "ds",
    "ReplicaSet": "rs",
    "Job": "job",
    "CronJob": "cronjob",
    "Pod": "pod",
}
_ALWAYS = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet")
_RESTART = {"Always": "always", "OnFailure": "on-failure", "Never": "no"}

# Path of a node inside a document: keys, and ("name", X) for the list item named X.
PathPart = str | tuple[str, str]
# (kind, name, path) -> where the node is written in the repository (None: not known)
Locator = Callable[[str, str, tuple[PathPart, ...]], Location | None]


def is_manifest(node: YNode | None) -> bool:
    """A Kubernetes object: a mapping with string ``apiVersion`` and ``kind``."""
    if not isinstance(node, YMap):
        return False
    return _text(node.get("apiVersion")) is not None and _text(node.get("kind")) is not None


def _text(node: YNode | None) -> str | None:
    if isinstance(node, YScalar) and node.value is not None and not isinstance(node.value, bool):
        return compose_string(node.value)
    if isinstance(node, YScalar) and isinstance(node.value, bool):
        return "true" if node.value else "false"
    return None


def _map(node: YNode | None) -> YMap | None:
    return node if isinstance(node, YMap) else None


def _seq(node: YNode | None) -> tuple[YNode, ...]:
    return node.items if isinstance(node, YSeq) else ()


def _dig(node: YNode | None, *keys: str) -> YNode | None:
    for key in keys:
        current = _map(node)
        if current is None:
            return None
        node = current.get(key)
    return node


def _bool(node: YNode | None) -> bool:
    return isinstance(node, YScalar) and node.value is True


def _str_list(node: YNode | None) -> list[str] | None:
    if not isinstance(node, YSeq):
        return None
    out = [_text(item) for item in node.items]
    return [s for s in out if s is not None]


def _key_loc(node: YMap, key: str) -> Location:
    for k, _ in node.items:
        if k.value == key:
            return k.loc
    return node.loc


@dataclass
class SetBuilder:
    """Builds one :class:`ManifestSet` from its documents."""

    root_files: RepoFiles
    builds: Sequence[ImageBuild]
    service_sources: Mapping[str, str]
    locate: Locator | None = None  # rendered output: where a node is written in the repo
    fallback: Location | None = None  # rendered output without a known source
    dockerfiles: ReadDockerfiles = field(default_factory=dict)
    # ConfigMaps/Secrets other sets of the repository define: an object this set references
    # but does not define is taken from them (another overlay applied with this one)
    shared: tuple[ConfigObject, ...] = ()

    def build(
        self,
        label: str,
        directory: str,
        renderer: str,
        docs: Iterable[YMap],
        files: Sequence[str],
        complete: bool,
    ) -> ManifestSet:
        docs = [d for d in docs if is_manifest(d)]
        configs = [c for d in docs for c in self._configs(d)]
        state = _SetState(self, tuple(configs), complete, _service_links(docs))
        services: list[Service] = []
        workloads: list[tuple[str, str]] = []
        for doc in docs:
            kind = _text(doc.get("kind")) or ""
            if kind not in SHORT_KINDS:
                continue
            name = _text(_dig(doc, "metadata", "name")) or "?"
            workloads.append((kind, name))
            services.extend(state.workload(kind, name, doc))
        kafka = [k for d in docs if (k := self._kafka(d)) is not None]
        project = ComposeProject(
            name=label,
            directory=directory,
            files=tuple(files),
            env_files=(),
            environment=MappingProxyType({}),
            services=tuple(services),
            refs=(),
            platform="kubernetes",
            label=label,
        )
        return ManifestSet(
            label=label,
            directory=directory,
            renderer=renderer,
            project=project,
            configs=tuple(configs),
            refs=tuple(state.refs),
            kafka=tuple(kafka),
            complete=complete,
            workloads=tuple(workloads),
        )

    # -- locations -------------------------------------------------------------------------
    def where(self, kind: str, name: str, path: tuple[PathPart, ...], node: YNode) -> Location:
        """Where ``node`` (at ``path`` in object kind/name) is written in the repository."""
        if self.locate is None:
            return node.loc
        found = self.locate(kind, name, path)
        if found is not None:
            return found
        return self.fallback if self.fallback is not None else node.loc

    # -- ConfigMaps and Secrets ------------------------------------------------------------
    def _configs(self, doc: YMap) -> list[ConfigObject]:
        kind = _text(doc.get("kind")) or ""
        name = _text(_dig(doc, "metadata", "name"))
        namespace = _text(_dig(doc, "metadata", "namespace"))
        if name is None:
            return []
        meta = _map(doc.get("metadata"))
        loc = self.where(kind, name, ("metadata", "name"), meta.get("name") or doc if meta else doc)
        if kind in ("ConfigMap", "Secret"):
            keys: dict[str, Location] = {}
            values: dict[str, str] = {}  # ConfigMaps only: a Secret's values are never read
            sections = ("data",) if kind == "ConfigMap" else ("data", "stringData")
            for section in sections:
                data = _map(doc.get(section))
                for key, value in data.items if data else ():
                    text = _text(key)
                    if text is None:
                        continue
                    keys[text] = self.where(kind, name, (section, text), key)
                    if kind == "ConfigMap":
                        values[text] = _text(value) or ""
            obj_kind: ObjectKind = "ConfigMap" if kind == "ConfigMap" else "Secret"
            return [
                ConfigObject(
                    obj_kind, name, namespace, MappingProxyType(keys), loc,
                    values=MappingProxyType(values),
                )
            ]  # fmt: skip
        created = _created_secrets(kind, name, doc)
        return [
            ConfigObject("Secret", secret, namespace, MappingProxyType({}), loc, keys_known=False)
            for secret in created
        ]

    # -- Strimzi ------------------------------------------------------------------------------
    def _kafka(self, doc: YMap) -> KafkaResource | None:
        api = _text(doc.get("apiVersion")) or ""
        kind = _text(doc.get("kind")) or ""
        if not api.startswith("kafka.strimzi.io/") or kind not in ("Kafka", "KafkaTopic"):
            return None
        name = _text(_dig(doc, "metadata", "name")) or "?"
        if kind == "Kafka":
            config_node = _map(_dig(doc, "spec", "kafka", "config"))
            section: tuple[PathPart, ...] = ("spec", "kafka", "config")
            cluster: str | None = name
            topic = ""
        else:
            config_node = _map(_dig(doc, "spec", "config"))
            section = ("spec", "config")
            cluster = _text(_dig(doc, "metadata", "labels", "strimzi.io/cluster"))
            topic = _text(_dig(doc, "spec", "topicName")) or name
        config: list[tuple[str, str | None, Location]] = []
        for key, value in config_node.items if config_node else ():
            text = _text(key)
            if text is not None:
                config.append((text, _text(value), self.where(kind, name, (*section, text), key)))
        loc_node = _dig(doc, "metadata", "name") or doc
        where = self.where(kind, name, ("metadata", "name"), loc_node)
        return KafkaResource(kind, name, cluster, topic, tuple(config), where)  # type: ignore[arg-type]

    # -- image ENV ---------------------------------------------------------------------------
    def image_env(self, probe: Service) -> dict[str, EnvValue]:
        """Dockerfile ENV of the image when this repository builds it (image provenance)."""
        return BuiltImageEnv(self.root_files, self.builds, self.dockerfiles).of(probe)


def _created_secrets(kind: str, name: str, doc: YMap) -> list[str]:
    """Secrets a controller creates from this object (keys unknown to envlint)."""
    if kind == "ExternalSecret":
        return [_text(_dig(doc, "spec", "target", "name")) or name]
    if kind in ("SealedSecret", "KafkaUser", "OnePasswordItem", "VaultStaticSecret"):
        return [_text(_dig(doc, "spec", "destination", "name")) or name]
    if kind == "Certificate":
        secret = _text(_dig(doc, "spec", "secretName"))
        return [secret] if secret else []
    if kind == "SecretProviderClass":
        objs = _seq(_dig(doc, "spec", "secretObjects"))
        return [s for o in objs if (s := _text(_dig(o, "secretName")))]
    if kind == "Kafka" and (_text(doc.get("apiVersion")) or "").startswith("kafka.strimzi.io/"):
        return [f"{name}-cluster-ca-cert", f"{name}-clients-ca-cert", f"{name}-cluster-ca"]
    return []


def _service_links(docs: Sequence[YMap]) -> dict[str, tuple[str | None, tuple[str, ...]]]:
    """Service link variables the kubelet adds (enableServiceLinks, on by default): for each
    Service of the set, ``<NAME>_SERVICE_HOST`` and ``<NAME>_SERVICE_PORT`` (by namespace)."""
    out: dict[str, tuple[str | None, tuple[str, ...]]] = {}
    for doc in docs:
        if _text(doc.get("kind")) != "Service":
            continue
        name = _text(_dig(doc, "metadata", "name"))
        if not name or _text(_dig(doc, "spec", "clusterIP")) == "None":
            continue
        prefix = name.upper().replace("-", "_")
        namespace = _text(_dig(doc, "metadata", "namespace"))
        out[name] = (namespace, (f"{prefix}_SERVICE_HOST", f"{prefix}_SERVICE_PORT"))
    return out


class _SetState:
    def __init__(
        self,
        builder: SetBuilder,
        configs: tuple[ConfigObject, ...],
        complete: bool,
        links: Mapping[str, tuple[str | None, tuple[str, ...]]],
    ) -> None:
        self.builder = builder
        self.configs = configs
        self.complete = complete
        self.links = links
        self.refs: list[ConfigRef] = []

    def config(self, kind: ObjectKind, name: str, namespace: str | None) -> ConfigObject | None:
        """The object in this set, else what the other sets' definitions of it agree on."""
        own = [o for o in self.configs if _matches(o, kind, name, namespace)]
        if own:
            return own[0]
        return _merged([o for o in self.builder.shared if _matches(o, kind, name, namespace)])

    def workload(self, kind: str, name: str, doc: YMap) -> list[Service]:
        spec_path: tuple[str, ...] = {
            "Pod": ("spec",),
            "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
        }.get(kind, ("spec", "template", "spec"))
        spec = _map(_dig(doc, *spec_path))
        if spec is None:
            return []
        namespace = _text(_dig(doc, "metadata", "namespace"))
        if kind in _ALWAYS:
            restart = "always"
        else:
            restart = _RESTART.get(_text(spec.get("restartPolicy")) or "Always", "always")
        links = spec.get("enableServiceLinks")
        service_links = not (isinstance(links, YScalar) and links.value is False)
        containers = [c for c in _seq(spec.get("containers")) if isinstance(c, YMap)]
        inits = [c for c in _seq(spec.get("initContainers")) if isinstance(c, YMap)]
        out: list[Service] = []
        short = f"{SHORT_KINDS[kind]}/{name}"
        for section, items in (("initContainers", inits), ("containers", containers)):
            for container in items:
                cname = _text(container.get("name")) or "?"
                single = section == "containers" and len(containers) == 1
                service_name = short if single else f"{short}/{cname}"
                path: tuple[PathPart, ...] = (*spec_path, section, ("name", cname))
                out.append(
                    self.container(
                        kind, name, namespace, service_name, container, path, restart,
                        service_links,
                    )
                )  # fmt: skip
        return out

    def container(
        self,
        kind: str,
        name: str,
        namespace: str | None,
        service_name: str,
        node: YMap,
        path: tuple[PathPart, ...],
        restart: str,
        service_links: bool,
    ) -> Service:
        where = self.builder.where
        env: dict[str, EnvValue] = {}
        for ns, variables in self.links.values() if service_links else ():
            if (ns or "") == (namespace or "") or ns is None or namespace is None:
                for variable in variables:
                    env[variable] = EnvValue(variable, "", ValueSource.K8S_RUNTIME, None, True)
        opened: list[EnvValue] = []
        for item in _seq(node.get("envFrom")):
            if isinstance(item, YMap):
                self.env_from(kind, name, namespace, service_name, item, (*path, "envFrom"),
                              env, opened)  # fmt: skip
        for item in _seq(node.get("env")):
            if not isinstance(item, YMap):
                continue
            var = _text(item.get("name"))
            if not var:
                continue
            item_path = (*path, "env", ("name", var))
            value = self.env_value(kind, name, namespace, service_name, var, item, item_path, env)
            if value is not None:
                env[var] = value
        command = _str_list(node.get("command"))
        args = _str_list(node.get("args"))
        raw: dict[str, object] = {}
        image = _text(node.get("image"))
        if image:
            raw["image"] = image
        if command is not None:
            raw["entrypoint"] = command
        if args is not None:
            raw["command"] = args
        workdir = _text(node.get("workingDir"))
        if workdir:
            raw["working_dir"] = workdir
        name_node = node.get("name") or node
        location = where(kind, name, (*path, "name"), name_node)
        probe = Service(service_name, location, image=image, raw=MappingProxyType(raw))
        image_env = self.builder.image_env(probe)
        return Service(
            name=service_name,
            location=location,
            image=image,
            source_dir=self.builder.service_sources.get(service_name),
            restart=restart,
            environment=frozen_mapping(env),
            image_env=frozen_mapping(image_env),
            raw=MappingProxyType(raw),
            open_sources=tuple(opened),
        )

    def env_from(
        self,
        kind: str,
        name: str,
        namespace: str | None,
        service: str,
        item: YMap,
        path: tuple[PathPart, ...],
        env: dict[str, EnvValue],
        opened: list[EnvValue],
    ) -> None:
        for ref_key, obj_kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
            ref = _map(item.get(ref_key))
            if ref is None:
                continue
            target = _text(ref.get("name")) or ""
            optional = _bool(ref.get("optional"))
            prefix = _text(item.get("prefix")) or ""
            loc = self.builder.where(kind, name, (*path, ref_key, "name"), ref.get("name") or ref)
            kind_t: ObjectKind = "ConfigMap" if obj_kind == "ConfigMap" else "Secret"
            self.refs.append(ConfigRef(service, kind_t, target, None, optional, None, namespace,
                                       loc))  # fmt: skip
            obj = self.config(kind_t, target, namespace)
            if obj is None or not obj.keys_known:
                if obj is None and optional:
                    continue
                # keys not known (created elsewhere or by a controller): any name may come
                # from it (see Service.open_sources)
                opened.append(EnvValue(f"{kind_t} {target}", "", _SOURCE[kind_t], loc, True))
                continue
            for key, key_loc in obj.keys.items():
                value = obj.values.get(key) if kind_t == "ConfigMap" else ""
                env.pop(prefix + key, None)  # a later envFrom wins
                env[prefix + key] = EnvValue(
                    prefix + key,
                    value if value is not None else "",
                    _SOURCE[kind_t],
                    key_loc,
                    unresolved=kind_t == "Secret" or value is None,
                )

    def env_value(
        self,
        kind: str,
        name: str,
        namespace: str | None,
        service: str,
        var: str,
        item: YMap,
        path: tuple[PathPart, ...],
        env: Mapping[str, EnvValue],
    ) -> EnvValue | None:
        loc = self.builder.where(kind, name, path, item)
        value_node = item.get("value")
        raw = _text(value_node)
        if raw:
            unresolved = False

            def lookup(ref: str) -> str | None:
                nonlocal unresolved
                found = env.get(ref)
                if found is None:
                    return None
                unresolved = unresolved or found.unresolved
                return found.value

            text, _ = expand(raw, lookup)
            return EnvValue(var, text, ValueSource.K8S_ENV, loc, unresolved)
        source = _map(item.get("valueFrom"))
        if source is None:
            return EnvValue(var, "", ValueSource.K8S_ENV, loc)
        if source.get("fieldRef") is not None or source.get("resourceFieldRef") is not None:
            return EnvValue(var, "", ValueSource.K8S_RUNTIME, loc, unresolved=True)
        for ref_key, obj_kind in (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")):
            ref = _map(source.get(ref_key))
            if ref is None:
                continue
            kind_t: ObjectKind = "ConfigMap" if obj_kind == "ConfigMap" else "Secret"
            target = _text(ref.get("name")) or ""
            key = _text(ref.get("key")) or ""
            optional = _bool(ref.get("optional"))
            ref_path = (*path, "valueFrom", ref_key)
            # the finding points at the key when the object exists, else at its name
            name_loc = self.builder.where(kind, name, (*ref_path, "name"), ref.get("name") or ref)
            key_loc = self.builder.where(kind, name, (*ref_path, "key"), ref.get("key") or ref)
            self.refs.append(ConfigRef(service, kind_t, target, key, optional, var, namespace,
                                       name_loc, key_loc))  # fmt: skip
            obj = self.config(kind_t, target, namespace)
            if obj is not None and obj.keys_known and key not in obj.keys:
                return None if optional else _unknown(var, kind_t, loc)
            if obj is None or not obj.keys_known:
                return None if obj is None and optional else _unknown(var, kind_t, loc)
            value = obj.values.get(key) if kind_t == "ConfigMap" else None
            return EnvValue(
                var,
                value or "",
                _SOURCE[kind_t],
                obj.keys.get(key, loc),
                unresolved=value is None,
            )
        return _unknown(var, "Secret", loc)  # a source kind envlint does not know


_SOURCE = {"ConfigMap": ValueSource.K8S_CONFIG_MAP, "Secret": ValueSource.K8S_SECRET}


def _matches(obj: ConfigObject, kind: ObjectKind, name: str, namespace: str | None) -> bool:
    same_ns = (obj.namespace or "") == (namespace or "") or None in (obj.namespace, namespace)
    return obj.kind == kind and obj.name == name and same_ns


def _merged(found: Sequence[ConfigObject]) -> ConfigObject | None:
    """Definitions of one object in several sets (dev and prod overlays of the shared
    ConfigMap): every key any of them has, with a value only where they all agree."""
    if len(found) <= 1:
        return found[0] if found else None
    keys: dict[str, Location] = {}
    for obj in found:
        for key, loc in obj.keys.items():
            keys.setdefault(key, loc)
    values = {
        key: value
        for key, value in found[0].values.items()
        if all(key in o.keys and o.values.get(key) == value for o in found)
    }
    first = found[0]
    return ConfigObject(
        first.kind, first.name, first.namespace, MappingProxyType(keys), first.location,
        keys_known=all(o.keys_known for o in found), values=MappingProxyType(values),
    )  # fmt: skip


def _unknown(var: str, kind: ObjectKind, loc: Location) -> EnvValue:
    return EnvValue(var, "", _SOURCE[kind], loc, unresolved=True)


def relative(base: str, path: str) -> str:
    """``path`` joined to ``base`` and normalised (``/`` separators)."""
    return posixpath.normpath(posixpath.join(base, path))
