"""ENV302 offsets-retention-below-downtime: a consumer group that is down longer than
``offsets.retention.minutes`` (default 7 days) loses its committed position."""

from __future__ import annotations

from collections.abc import Iterator

from envlint.findings import Severity, Violation
from envlint.kafka.model import format_ms
from envlint.rules._base import Context, Rule
from envlint.rules._options import DowntimeBudget
from envlint.rules.env301_retention_below_downtime import describe


def check(ctx: Context) -> Iterator[Violation]:
    opts = DowntimeBudget.of(ctx.settings)
    budget = int(opts.max_consumer_downtime * 1000)
    target = int(budget * opts.retention_factor)
    for broker in ctx.kafka.brokers:
        eff = broker.offsets_retention
        if eff.state != "value" or eff.ms is None or eff.ms >= target:
            continue
        setting = eff.setting
        where = setting.origin if setting and setting.origin else broker.location
        yield Violation(
            where,
            f"Committed consumer offsets on broker '{broker.service}' expire {format_ms(eff.ms)} "
            f"after a group becomes empty ({describe(setting, broker)}), below "
            f"{opts.retention_factor:g} x the consumer-downtime budget of "
            f"{format_ms(budget)}: a group down that long restarts from auto.offset.reset "
            f"(often 'latest', skipping the backlog). Keep at least {format_ms(target)}.",
            service=broker.service,
            variable=setting.spelling if setting and setting.source == "env" else None,
            key=broker.service,
        )


RULE = Rule(
    code="ENV302",
    name="offsets-retention-below-downtime",
    severity=Severity.WARNING,
    summary="Committed consumer offsets expire sooner than the consumer-downtime budget",
    check=check,
    needs=frozenset({"kafka"}),
    options=DowntimeBudget,
)
