"""Kafka brokers of a Compose project and their effective durability settings (research §1-2).

For each broker service: the image family decides how ``KAFKA_*`` variables map to properties;
the static configuration is, lowest first, a mounted ``server.properties``, Dockerfile ``ENV``,
the compose environment, bitnami legacy aliases, ``run KAFKA_X=v`` arguments and
``kafka-server-start --override``; dynamic ``kafka-configs --alter`` values beat all of them.
Within a level ``log.retention.ms`` beats ``.minutes`` beats ``.hours``.  Topic configs from
init commands override the broker's for that topic.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import MappingProxyType

from envlint.kafka.commands import PropertyArg, TopicSpec
from envlint.kafka.mapping import RELEVANT_PROPERTIES, map_env
from envlint.kafka.model import (
    Broker,
    Effective,
    Flavour,
    KafkaSetting,
    SettingIssue,
    SettingSource,
    Topic,
)
from envlint.kafka.properties import parse_properties
from envlint.model import ComposeProject, Location, Problem, ProblemKind, Service, ValueSource

__all__ = ["ProjectInput", "build_broker", "build_topics", "detect_flavour", "make_setting"]

_HOUR = 3_600_000
_REPOS: Mapping[str, Flavour] = MappingProxyType(
    {
        "apache/kafka": "apache",
        "apache/kafka-native": "apache",
        "confluentinc/cp-kafka": "confluent",
        "confluentinc/cp-server": "confluent",
        "confluentinc/confluent-local": "confluent",
        "bitnami/kafka": "bitnami",
        "bitnamilegacy/kafka": "bitnami",
        "bitnamisecure/kafka": "bitnami",
        "wurstmeister/kafka": "wurstmeister",
        "ubuntu/kafka": "ubuntu",
    }
)
# property -> milliseconds per unit
UNITS: Mapping[str, int] = MappingProxyType(
    {
        "log.retention.ms": 1,
        "log.retention.minutes": 60_000,
        "log.retention.hours": _HOUR,
        "offsets.retention.minutes": 60_000,
        "group.min.session.timeout.ms": 1,
        "group.max.session.timeout.ms": 1,
        "retention.ms": 1,
        "log_retention_ms": 1,
        "delete_retention_ms": 1,
        "group_offset_retention_sec": 1000,
        "group_min_session_timeout_ms": 1,
        "group_max_session_timeout_ms": 1,
    }
)
_KAFKA = {
    "retention": ("log.retention.ms", "log.retention.minutes", "log.retention.hours"),
    "offsets": ("offsets.retention.minutes",),
    "group_min": ("group.min.session.timeout.ms",),
    "group_max": ("group.max.session.timeout.ms",),
    "cleanup": ("log.cleanup.policy",),
}
_REDPANDA = {
    "retention": ("log_retention_ms", "delete_retention_ms"),
    "offsets": ("group_offset_retention_sec",),
    "group_min": ("group_min_session_timeout_ms",),
    "group_max": ("group_max_session_timeout_ms",),
    "cleanup": ("log_cleanup_policy",),
}
_DEFAULTS = {
    "kafka": {"retention": 168 * _HOUR, "offsets": 7 * 24 * _HOUR, "group_min": 6000,
              "group_max": 1_800_000},
    "redpanda": {"retention": 168 * _HOUR, "offsets": 7 * 24 * _HOUR, "group_min": 6000,
                 "group_max": 300_000},
}  # fmt: skip
_PROPERTIES_FILES = frozenset({"server.properties", "kafka.properties", "broker.properties"})
_CONFIG_DIRS = ("/mnt/shared/config", "/bitnami/kafka/config", "/opt/bitnami/kafka/config",
                "/opt/kafka/config", "/etc/kafka")  # fmt: skip
_MAX_PROPERTIES_BYTES = 1024 * 1024


def detect_flavour(image: str | None) -> Flavour | None:
    """The Kafka image family of an image reference (registry, tag and digest ignored)."""
    if not image or "${" in image:
        return None
    ref = image.strip().lower().split("@", 1)[0]
    head, _, last = ref.rpartition("/")
    repo = f"{head}/{last.split(':', 1)[0]}" if head else last.split(":", 1)[0]
    parts = repo.split("/")
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
        parts = parts[1:]
    if parts[:1] == ["library"]:
        parts = parts[1:]
    name = "/".join(parts)
    if "redpanda" in name:
        return "redpanda"
    return _REPOS.get(name)


# Kafka's ConfigDef types: these are INT (32-bit), the other numeric settings LONG (64-bit);
# the broker refuses to start with a value out of its type's range.
_INT32 = frozenset(
    (
        "log.retention.minutes",
        "log.retention.hours",
        "offsets.retention.minutes",
        "group.min.session.timeout.ms",
        "group.max.session.timeout.ms",
    )
)


def _integer_text(text: str) -> str | None:
    body = text.strip()
    digits = body[1:] if body[:1] in "+-" else body
    return body if digits.isascii() and digits.isdigit() else None


def parse_int(text: str | None, prop: str | None = None) -> int | None:
    """The setting's integer, or None: not an integer, or out of the range of the property's
    type (a 5,000-digit value is a value Kafka rejects, not a number to compute with)."""
    body = _integer_text(text) if text is not None else None
    if body is None or len(body.lstrip("+-0")) > 19:
        return None
    number = int(body)
    limit = 2**31 if prop in _INT32 else 2**63
    return number if -limit <= number < limit else None


def invalid_reason(setting: KafkaSetting) -> str:
    """Why a setting's value is not a usable number."""
    if setting.value is not None and _integer_text(setting.value) is not None:
        bits = 32 if setting.property in _INT32 else 64
        return (
            f"is out of range: Kafka reads {setting.property} as a {bits}-bit integer "
            "and rejects it"
        )
    return "is not an integer"


def make_setting(
    prop: str,
    value: str | None,
    origin: Location | None,
    spelling: str,
    source: SettingSource,
    service: str | None,
) -> KafkaSetting:
    if value is not None and "${" in value:
        value = None
    number = parse_int(value, prop)
    ms = None
    if number is not None and prop in UNITS:
        ms = -1 if number < 0 else number * UNITS[prop]
    return KafkaSetting(prop, value, origin, spelling, source, number, ms, service)


@dataclass(frozen=True)
class ProjectInput:
    """Command-line facts of one project, shared by its brokers."""

    topics: tuple[TopicSpec, ...] = ()
    args: tuple[PropertyArg, ...] = ()
    broker_names: frozenset[str] = frozenset()
    hosts: Mapping[str, str] = field(default_factory=dict)  # host name -> broker service
    problems: list[Problem] = field(default_factory=list)


def _host(bootstrap: str | None) -> str | None:
    if not bootstrap:
        return None
    first = bootstrap.split(",", 1)[0].strip()
    first = first.split("://", 1)[-1]
    return first.rsplit(":", 1)[0] if ":" in first else first


def belongs(bootstrap: str | None, broker: str, inp: ProjectInput) -> bool:
    """Whether a command addressed to ``bootstrap`` configures ``broker``."""
    host = _host(bootstrap)
    if host is not None and host in inp.hosts:
        return inp.hosts[host] == broker
    return len(inp.broker_names) == 1


def _env_settings(
    service: Service, flavour: Flavour
) -> tuple[list[KafkaSetting], list[KafkaSetting], list[SettingIssue]]:
    merged = dict(service.image_env)
    merged.update(service.environment)
    direct: list[KafkaSetting] = []
    aliases: list[KafkaSetting] = []
    issues: list[SettingIssue] = []
    ordered = sorted(merged.values(), key=lambda v: v.source is not ValueSource.IMAGE)
    for env in ordered:
        mapped = map_env(flavour, env.name)
        if mapped.status == "none" or mapped.property is None:
            continue
        source: SettingSource = "dockerfile" if env.source is ValueSource.IMAGE else "env"
        value = None if env.unresolved else env.value
        setting = make_setting(mapped.property, value, env.origin, env.name, source, service.name)
        if mapped.status == "ignored":
            issues.append(SettingIssue("ignored", setting, mapped.reason, None, mapped.unverified))
        elif mapped.status == "alias":
            aliases.append(setting)
        else:
            direct.append(setting)
    return direct, aliases, issues


def _mounted_properties(
    root: Path, project: ComposeProject, service: Service, problems: list[Problem]
) -> tuple[list[KafkaSetting], list[str]]:
    settings: list[KafkaSetting] = []
    files: list[str] = []
    volumes = service.raw.get("volumes")
    for item in volumes if isinstance(volumes, list) else ():
        source, target = _volume(item)
        if source is None or target is None:
            continue
        path = _local_file(root, project, source, target)
        if path is None:
            continue
        rel = path.relative_to(root.resolve()).as_posix()
        try:
            if path.stat().st_size > _MAX_PROPERTIES_BYTES:
                raise ValueError("too large")
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError, ValueError):
            problems.append(
                Problem(ProblemKind.NOTE, Location(rel), "cannot read mounted Kafka config file")
            )
            continue
        files.append(rel)
        for entry in parse_properties(text):
            settings.append(
                make_setting(
                    entry.key, entry.value, Location(rel, entry.line), entry.key,
                    "properties", service.name,
                )
            )  # fmt: skip
    return settings, files


def _volume(item: object) -> tuple[str | None, str | None]:
    if isinstance(item, str):
        parts = item.split(":")
        if len(parts) >= 2 and parts[0][:1] in (".", "/", "~"):
            return parts[0], parts[1]
        return None, None
    if isinstance(item, Mapping) and item.get("type", "bind") == "bind":
        source, target = item.get("source"), item.get("target")
        if isinstance(source, str) and isinstance(target, str):
            return source, target
    return None, None


def _local_file(root: Path, project: ComposeProject, source: str, target: str) -> Path | None:
    """The properties file a bind mount provides, if it lies inside the checked root."""
    if source.startswith("~"):
        return None
    base = (root / project.directory).resolve()
    real_root = root.resolve()
    path = (base / source).resolve() if not source.startswith("/") else Path(source).resolve()
    if not path.is_relative_to(real_root):
        return None
    tname = PurePosixPath(target).name
    if tname in _PROPERTIES_FILES and path.is_file():
        return path
    if target.rstrip("/") in _CONFIG_DIRS and path.is_dir():
        for name in sorted(_PROPERTIES_FILES):
            candidate = (path / name).resolve()
            if candidate.is_relative_to(real_root) and candidate.is_file():
                return candidate
    return None


def _effective(
    level: Mapping[str, KafkaSetting],
    synonyms: Sequence[str],
    default_ms: int,
    negative_unlimited: bool = True,
    zero_valid: bool = False,
) -> Effective:
    for prop in synonyms:
        setting = level.get(prop)
        if setting is None:
            continue
        if setting.value is None:
            return Effective("unknown", None, setting)
        if setting.value.strip() == "null" and prop == "group_offset_retention_sec":
            return Effective("unlimited", None, setting)
        if setting.number is None or setting.ms is None:
            return Effective("invalid", None, setting)
        if setting.number < 0 and negative_unlimited:
            return Effective("unlimited", None, setting)
        if (setting.ms == 0 and not zero_valid) or setting.number < 0:
            return Effective("invalid", None, setting)
        return Effective("value", setting.ms, setting)
    return Effective("value", default_ms, None, default=True)


def _winners(settings: Iterable[KafkaSetting]) -> dict[str, KafkaSetting]:
    out: dict[str, KafkaSetting] = {}
    for setting in settings:
        out[setting.property] = setting
    return out


def _relevant(prop: str, flavour: Flavour) -> bool:
    groups = _REDPANDA if flavour == "redpanda" else _KAFKA
    return prop in RELEVANT_PROPERTIES or any(prop in names for names in groups.values())


def _issues(
    flavour: Flavour,
    static: Sequence[KafkaSetting],
    dynamic: Sequence[KafkaSetting],
    effective: Mapping[str, Effective],
) -> list[SettingIssue]:
    issues: list[SettingIssue] = []
    flagged: set[int] = set()
    for setting in (*static, *dynamic):
        value = setting.value
        if value is None or setting.property not in UNITS or setting.number is not None:
            continue
        if not (value.strip() == "null" and setting.property.endswith("_sec")):
            issues.append(SettingIssue("invalid", setting, invalid_reason(setting)))
            flagged.add(id(setting))
    for eff in effective.values():
        s = eff.setting
        if eff.state == "invalid" and s is not None and id(s) not in flagged:
            reason = "computes to 0, which the broker rejects at start-up (use -1 for unlimited)"
            if s.number is not None and s.number < 0:
                reason = "is negative, which the broker rejects at start-up"
            issues.append(SettingIssue("invalid", s, reason))
            flagged.add(id(s))
    groups = _REDPANDA if flavour == "redpanda" else _KAFKA
    for level, higher in ((static, dynamic), (dynamic, ())):
        winners = _winners(level)
        for setting in level:
            if not _relevant(setting.property, flavour) or id(setting) in flagged:
                continue
            winner = winners[setting.property]
            if winner is not setting:
                issues.append(
                    SettingIssue("shadowed", setting, f"is overridden by {winner.spelling}", winner)
                )
                continue
            synonyms = next((n for n in groups.values() if setting.property in n), ())
            better = [winners[p] for p in synonyms[: synonyms.index(setting.property)]
                      if p in winners] if synonyms else []  # fmt: skip
            above = [s for s in higher if s.property in synonyms or s.property == setting.property]
            if above:
                top, why = above[-1], "a dynamic config"
            elif better:
                top, why = better[0], "a higher-precedence spelling"
            else:
                continue
            issues.append(
                SettingIssue("shadowed", setting, f"is overridden by {why}: {top.spelling}", top)
            )
    return issues


def build_broker(
    root: Path,
    project: ComposeProject,
    service: Service,
    flavour: Flavour,
    inp: ProjectInput,
) -> Broker:
    props, files = _mounted_properties(root, project, service, inp.problems)
    direct, aliases, issues = _env_settings(service, flavour)
    commands: list[KafkaSetting] = []
    dynamic: list[KafkaSetting] = []
    for arg in inp.args:
        mine = arg.service == service.name
        if arg.kind == "env" and mine:
            mapped = map_env(flavour, arg.key)
            if mapped.status in ("mapped", "alias") and mapped.property:
                commands.append(
                    make_setting(mapped.property, arg.value, arg.origin, arg.key, "command",
                                 service.name)
                )  # fmt: skip
        elif arg.kind in ("override", "redpanda") and (mine or belongs(None, service.name, inp)):
            if arg.kind == "redpanda" and flavour != "redpanda":
                continue
            commands.append(
                make_setting(arg.key, arg.value, arg.origin, arg.key, "command", service.name)
            )
        elif arg.kind == "dynamic" and belongs(arg.bootstrap, service.name, inp):
            dynamic.append(
                make_setting(arg.key, arg.value, arg.origin, arg.key, "dynamic", service.name)
            )
    env_layer = [*direct, *aliases, *commands]
    if flavour == "bitnami" and props:
        for setting in env_layer:
            if setting.property in RELEVANT_PROPERTIES and setting.source != "command":
                issues.append(
                    SettingIssue(
                        "ignored",
                        setting,
                        "bitnami/kafka ignores every KAFKA_CFG_* variable when server.properties "
                        "is mounted; set it in the mounted file",
                    )
                )
        env_layer = [s for s in env_layer if s.source == "command"]
    static = [*props, *env_layer]
    groups = _REDPANDA if flavour == "redpanda" else _KAFKA
    defaults = _DEFAULTS["redpanda" if flavour == "redpanda" else "kafka"]
    level = _winners(static)
    dyn = _winners(dynamic)
    effective: dict[str, Effective] = {}
    for key in ("retention", "offsets", "group_min", "group_max"):
        chosen = dyn if any(p in dyn for p in groups[key]) else level
        effective[key] = _effective(
            chosen, groups[key], defaults[key], negative_unlimited=key in ("retention",),
            zero_valid=key.startswith("group"),
        )  # fmt: skip
    cleanup = next(
        (w.value for w in (dyn.get(groups["cleanup"][0]), level.get(groups["cleanup"][0])) if w),
        None,
    )
    issues.extend(_issues(flavour, static, dynamic, effective))
    settings: dict[str, list[KafkaSetting]] = {}
    for setting in (*static, *dynamic):
        settings.setdefault(setting.property, []).append(setting)
    return Broker(
        project_dir=project.directory,
        service=service.name,
        image=service.dockerfile_from or service.image or "",
        flavour=flavour,
        location=service.location,
        settings=MappingProxyType({k: tuple(v) for k, v in settings.items()}),
        retention=effective["retention"],
        offsets_retention=effective["offsets"],
        group_min_session_timeout=effective["group_min"],
        group_max_session_timeout=effective["group_max"],
        cleanup_policy=_policy(cleanup),
        issues=tuple(issues),
        properties_files=tuple(files),
    )


def _policy(value: str | None) -> str | None:
    if value is None:
        return None
    names = {"deletion": "delete", "compaction": "compact"}
    parts = [names.get(p.strip().lower(), p.strip().lower()) for p in value.split(",")]
    return ",".join(p for p in parts if p)


def create_topics_specs(service: Service) -> list[TopicSpec]:
    """wurstmeister ``KAFKA_CREATE_TOPICS=name:partitions:replicas[:cleanup.policy]``."""
    env = service.provides("KAFKA_CREATE_TOPICS")
    if env is None or env.unresolved or env.origin is None:
        return []
    sep_env = service.provides("KAFKA_CREATE_TOPICS_SEPARATOR")
    sep = sep_env.value if sep_env is not None and sep_env.value else ","
    specs: list[TopicSpec] = []
    for item in env.value.split(sep):
        fields = item.strip().split(":", 3)
        if not fields[0]:
            continue
        configs: list[tuple[str, str]] = []
        if len(fields) == 4:
            try:
                words = shlex.split(fields[3])
            except ValueError:
                words = fields[3].split()
            if words:
                configs.append(("cleanup.policy", words[0]))
            for i, word in enumerate(words[:-1]):
                if word == "--config" and "=" in words[i + 1]:
                    key, _, value = words[i + 1].partition("=")
                    configs.append((key, value))
        specs.append(TopicSpec(fields[0], service.name, env.origin, tuple(configs), None))
    return specs


def build_topics(
    project: ComposeProject, brokers: Sequence[Broker], inp: ProjectInput
) -> tuple[Topic, ...]:
    by_key: dict[tuple[str, str | None], list[TopicSpec]] = {}
    for spec in inp.topics:
        owner = next((b.service for b in brokers if belongs(spec.bootstrap, b.service, inp)), None)
        if spec.bootstrap is None and spec.service in inp.broker_names:
            owner = spec.service
        by_key.setdefault((spec.name, owner), []).append(spec)
    topics: list[Topic] = []
    for (name, owner), specs in by_key.items():
        ordered = sorted(specs, key=lambda s: not s.create)  # creates first, alters win
        configs: dict[str, KafkaSetting] = {}
        for spec in ordered:
            for key, value in spec.configs:
                configs[key] = make_setting(key, value, spec.origin, key, "command", spec.service)
        broker = next((b for b in brokers if b.service == owner), None)
        retention, issues = _topic_retention(configs.get("retention.ms"))
        policy = configs.get("cleanup.policy")
        cleanup = (policy.value if policy else None) or (broker.cleanup_policy if broker else None)
        topics.append(
            Topic(
                name=name,
                project_dir=project.directory,
                service=ordered[0].service,
                origin=ordered[0].origin,
                broker=owner,
                retention=retention,
                cleanup_policy=_policy(cleanup),
                settings=MappingProxyType(configs),
                if_not_exists=any(s.if_not_exists for s in ordered),
                issues=issues,
            )
        )
    return tuple(topics)


def _topic_retention(
    setting: KafkaSetting | None,
) -> tuple[Effective | None, tuple[SettingIssue, ...]]:
    if setting is None:
        return None, ()
    if setting.value is None:
        return Effective("unknown", None, setting), ()
    if setting.number is None or setting.number < -1:
        why = invalid_reason(setting) if setting.number is None else "is below -1"
        return Effective("invalid", None, setting), (SettingIssue("invalid", setting, why),)
    if setting.number == -1:
        return Effective("unlimited", None, setting), ()
    return Effective("value", setting.number, setting), ()
