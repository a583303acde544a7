"""ENV305 ineffective-kafka-setting: a retention/offset/group setting that does not do what it
says - ignored by the image (bitnami without ``KAFKA_CFG_``, Redpanda env vars, any bitnami env
var when server.properties is mounted), shadowed by a higher-precedence spelling or source
(``.ms`` over ``.hours``, env over a mounted file, dynamic over static), or invalid (not an
integer, or 0 where the broker refuses it)."""

from __future__ import annotations

from collections.abc import Iterator

from envlint.findings import Related, Severity, Violation
from envlint.kafka.model import SettingIssue
from envlint.model import Location
from envlint.rules._base import Context, Rule


def _message(issue: SettingIssue, owner: str) -> str:
    s = issue.setting
    name = s.spelling if s.spelling == s.property else f"{s.spelling} ({s.property})"
    if issue.kind == "ignored":
        return f"{name} has no effect on {owner}: {issue.reason}."
    if issue.kind == "shadowed":
        return f"{name} has no effect on {owner}: it {issue.reason}."
    return f"{name} on {owner} {issue.reason}."


def _violation(issue: SettingIssue, owner: str, service: str, fallback: Location) -> Violation:
    s = issue.setting
    related: tuple[Related, ...] = ()
    if issue.winner is not None and issue.winner.origin is not None:
        related = (Related(issue.winner.origin, f"{issue.winner.spelling} wins here"),)
    return Violation(
        s.origin or fallback,
        _message(issue, owner),
        service=service,
        variable=s.spelling if s.source in ("env", "dockerfile") else None,
        related=related,
        severity=Severity.INFO if issue.unverified else None,
        key=f"{issue.kind}:{s.spelling}:{owner}",
    )


def check(ctx: Context) -> Iterator[Violation]:
    facts = ctx.kafka
    for broker in facts.brokers:
        owner = f"broker '{broker.service}'"
        for issue in broker.issues:
            yield _violation(issue, owner, broker.service, broker.location)
    for topic in facts.topics:
        for issue in topic.issues:
            yield _violation(issue, f"topic '{topic.name}'", topic.service, topic.origin)


RULE = Rule(
    code="ENV305",
    name="ineffective-kafka-setting",
    severity=Severity.WARNING,
    summary="A Kafka retention/offset setting is ignored by the image, shadowed, or invalid",
    check=check,
    needs=frozenset({"kafka"}),
)
