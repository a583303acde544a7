"""ENV304 producer-without-acks: a producer configured with acks=0 never learns that a write
failed (sarama ``NoResponse``, Confluent ``Acks.None``, ``acks=0``, kgo ``NoAck()``, and a
kafka-go ``kafka.Writer`` literal without ``RequiredAcks``, whose zero value is RequireNone)."""

from __future__ import annotations

from collections.abc import Iterator

from envlint.findings import Related, Severity, Violation
from envlint.rules._base import Context, Rule


def check(ctx: Context) -> Iterator[Violation]:
    seen: set[tuple[str, int, str | None]] = set()
    for client in ctx.kafka_clients:
        acks = client.acks
        if client.kind != "producer" or acks is None or acks.value != 0:
            continue
        where = acks.origin or client.location
        ident = (where.path, where.line, client.service)
        if ident in seen:
            continue
        seen.add(ident)
        if acks.is_default:
            how = f"a {client.library} writer without RequiredAcks defaults to RequireNone (acks=0)"
        elif acks.env_var:
            how = f"acks comes from {acks.env_var}, which sets 0"
        else:
            how = "it is configured with acks=0"
        related: tuple[Related, ...] = ()
        if acks.env_origin is not None:
            related = (Related(acks.env_origin, f"{acks.env_var} is set here"),)
        yield Violation(
            where,
            f"Kafka producer without acknowledgements: {how}. The broker never confirms writes, "
            "so a message it fails to store is neither reported nor retried (the client's "
            "retries cover only errors it sees itself); use acks=all.",
            service=client.service,
            variable=acks.env_var,
            related=related,
        )


RULE = Rule(
    code="ENV304",
    name="producer-without-acks",
    severity=Severity.WARNING,
    summary="A Kafka producer uses acks=0: failed writes are invisible",
    check=check,
    needs=frozenset({"kafka-clients"}),
)
