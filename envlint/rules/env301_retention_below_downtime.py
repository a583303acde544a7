"""ENV301 retention-below-downtime: Kafka deletes records a consumer outage leaves unread.

Effective time retention (topic ``retention.ms`` when an init command sets it, else the
broker's ``log.retention.ms`` > ``.minutes`` > ``.hours``, default 168h) is compared with
``max-consumer-downtime`` (D): error below D, warning below ``retention-factor`` x D.
Compact-only topics and unlimited retention are skipped; an unresolvable value is reported as
info ("cannot evaluate"), never guessed.
"""

from __future__ import annotations

from collections.abc import Iterator

from envlint.findings import Related, Severity, Violation
from envlint.kafka.model import Broker, Effective, KafkaSetting, Topic, format_ms
from envlint.model import Location
from envlint.rules._base import Context, Rule
from envlint.rules._options import DowntimeBudget


def describe(setting: KafkaSetting | None, broker: Broker | None) -> str:
    """Where a Kafka value comes from, for messages (never the value itself)."""
    if setting is None:
        return "the broker default" if broker is None else f"the {broker.flavour} default"
    svc = f"service '{setting.service}'" if setting.service else "the broker"
    if setting.source == "env":
        return f"{setting.spelling} on {svc}"
    if setting.source == "dockerfile":
        return f"{setting.spelling} in the Dockerfile of {svc}"
    if setting.source == "properties" and setting.origin is not None:
        return f"{setting.spelling} in {setting.origin.path}"
    if setting.source == "dynamic":
        return f"dynamic config {setting.spelling} set by {svc}"
    return f"{setting.spelling} in the command of {svc}"


def _judge(
    eff: Effective, subject: str, where: Location, broker: Broker, opts: DowntimeBudget, key: str
) -> Iterator[Violation]:
    budget = int(opts.max_consumer_downtime * 1000)
    target = int(budget * opts.retention_factor)
    source = describe(eff.setting, broker)
    variable = eff.setting.spelling if eff.setting and eff.setting.source == "env" else None
    if eff.state == "unknown":
        yield Violation(
            where,
            f"Cannot evaluate the Kafka retention of {subject}: {source} has a value envlint "
            "cannot resolve",
            service=broker.service,
            variable=variable,
            severity=Severity.INFO,
            key=key,
        )
        return
    if eff.state != "value" or eff.ms is None or eff.ms >= target:
        return
    severity = Severity.ERROR if eff.ms < budget else Severity.WARNING
    below = "the" if severity is Severity.ERROR else f"{opts.retention_factor:g} x the"
    yield Violation(
        where,
        f"Kafka retention of {subject} is {format_ms(eff.ms)} ({source}), below {below} "
        f"consumer-downtime budget of {format_ms(budget)}: records a stopped consumer has not "
        f"read are deleted. Keep at least {opts.retention_factor:g} x "
        f"{format_ms(budget)} = {format_ms(target)}.",
        service=broker.service,
        variable=variable,
        severity=severity,
        key=key,
        related=(Related(broker.location, f"broker '{broker.service}'"),)
        if where != broker.location
        else (),
    )


def _origin(eff: Effective, fallback: Location) -> Location:
    return eff.setting.origin if eff.setting and eff.setting.origin else fallback


def check(ctx: Context) -> Iterator[Violation]:
    opts = DowntimeBudget.of(ctx.settings)
    facts = ctx.kafka
    for broker in facts.brokers:
        topics: list[Topic] = [
            t
            for t in facts.topics
            if t.project_dir == broker.project_dir and t.broker == broker.service
        ]
        for topic in topics:
            if topic.retention is not None and not topic.compact_only:
                subject = f"topic '{topic.name}'"
                where = _origin(topic.retention, topic.origin)
                key = f"{broker.service}/{topic.name}"
                yield from _judge(topic.retention, subject, where, broker, opts, key)
        inheriting = [t.name for t in topics if t.retention is None and not t.compact_only]
        policy = {p.strip() for p in (broker.cleanup_policy or "delete").split(",")}
        if "delete" not in policy or (topics and not inheriting):
            continue
        subject = f"broker '{broker.service}'"
        if inheriting:
            subject += " (topics " + ", ".join(f"'{n}'" for n in inheriting) + ")"
        where = _origin(broker.retention, broker.location)
        yield from _judge(broker.retention, subject, where, broker, opts, broker.service)


RULE = Rule(
    code="ENV301",
    name="retention-below-downtime",
    severity=Severity.ERROR,
    summary="Kafka retention is shorter than the consumer-downtime budget: unread records are "
    "deleted",
    check=check,
    needs=frozenset({"kafka"}),
    options=DowntimeBudget,
)
