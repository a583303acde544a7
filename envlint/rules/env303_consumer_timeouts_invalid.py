"""ENV303 consumer-timeouts-invalid: consumer group timeouts the client or broker rejects.

Checks each consumer's resolved values (literal, env var through the service's environment, or
the library default; classic group protocol only): ``heartbeat >= session`` (error),
``heartbeat > session / 3`` (warning), librdkafka ``max.poll.interval.ms < session.timeout.ms``
(error), and ``session.timeout.ms`` outside the broker's ``group.min/max.session.timeout.ms``
(error; the same project's broker values, else Kafka's 6s-30m).
"""

from __future__ import annotations

from collections.abc import Iterator

from envlint.findings import Related, Severity, Violation
from envlint.kafka.model import ClientValue, KafkaClient, KafkaFacts
from envlint.rules._base import Context, Rule


def _related(*values: ClientValue | None) -> tuple[Related, ...]:
    return tuple(
        Related(v.env_origin, f"{v.env_var} is set here")
        for v in values
        if v is not None and v.env_origin is not None and v.env_var
    )


def _bounds(kafka: KafkaFacts, client: KafkaClient) -> tuple[int, int, str]:
    for broker in kafka.brokers_of(client.project_dir or ""):
        low, high = broker.group_min_session_timeout, broker.group_max_session_timeout
        if low.state == "value" and high.state == "value" and low.ms and high.ms:
            return low.ms, high.ms, f"broker '{broker.service}'"
    return 6000, 1_800_000, "the Kafka default"


def _violation(
    client: KafkaClient,
    at: ClientValue,
    message: str,
    *related: ClientValue | None,
    severity: Severity | None = None,
) -> Violation:
    return Violation(
        at.origin or client.location,
        message,
        service=client.service,
        variable=at.env_var,
        related=_related(*related),
        severity=severity,
        key=message.split(":", 1)[0],
    )


def _check_client(kafka: KafkaFacts, client: KafkaClient) -> Iterator[Violation]:
    s, h, p = client.session_timeout, client.heartbeat, client.max_poll
    if s is None or s.value is None or client.group_protocol == "consumer":
        return
    lib = client.library
    if h is not None and h.value is not None and not (s.is_default and h.is_default):
        at = h if not h.is_default else s
        if h.value >= s.value:
            yield _violation(
                client, at,
                f"heartbeat.interval.ms ({h.value}) must be lower than session.timeout.ms "
                f"({s.value}): {lib} rejects the consumer or its session keeps expiring",
                s, h,
            )  # fmt: skip
        elif 3 * h.value > s.value:
            yield _violation(
                client, at,
                f"heartbeat.interval.ms ({h.value}) is more than 1/3 of session.timeout.ms "
                f"({s.value}): two lost heartbeats can expire the session; use at most "
                f"{s.value // 3}",
                s, h, severity=Severity.WARNING,
            )  # fmt: skip
    if (
        client.librdkafka
        and p is not None
        and p.value is not None
        and p.value < s.value
        and not (s.is_default and p.is_default)
    ):
        yield _violation(
            client, p if not p.is_default else s,
            f"max.poll.interval.ms ({p.value}) is lower than session.timeout.ms "
            f"({s.value}): librdkafka refuses to create the consumer",
            s, p,
        )  # fmt: skip
    low, high, source = _bounds(kafka, client)
    if not s.is_default and not low <= s.value <= high:
        yield _violation(
            client, s,
            f"session.timeout.ms ({s.value}) is outside [{low}, {high}] allowed by {source}: "
            "the consumer cannot join its group (INVALID_SESSION_TIMEOUT)",
            s,
        )  # fmt: skip


def check(ctx: Context) -> Iterator[Violation]:
    for client in ctx.kafka_clients:
        if client.kind == "consumer":
            yield from _check_client(ctx.kafka, client)


RULE = Rule(
    code="ENV303",
    name="consumer-timeouts-invalid",
    severity=Severity.ERROR,
    summary="Kafka consumer session/heartbeat/poll timeouts the client or broker rejects",
    check=check,
    needs=frozenset({"kafka", "kafka-clients"}),
)
