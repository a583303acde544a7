"""ENV401 destructive-before-publish: an irreversible step runs before the durable publish.

In one handler, a destructive call (empty the cart, delete the order; ``settings.destructive``)
precedes, on some path, the Kafka publish whose success should have been required first.  Either
side may sit in a local helper (``emptyUserCart`` -> ``EmptyCart``, ``sendToPostProcessor`` ->
``Input() <-``).  Not reported when the publish comes first, when the two sit in exclusive
branches, or when the function leaves between them.
"""

from __future__ import annotations

from collections.abc import Iterator

from envlint.findings import Related, Severity, Violation
from envlint.ordering import OrderingIndex, Site, precedes
from envlint.ordering.model import FunctionFacts
from envlint.rules._base import Context, Rule
from envlint.rules._common import per_function
from envlint.rules._options import OrderingPatterns

__all__ = ["RULE", "check", "judge"]


def check(ctx: Context) -> Iterator[Violation]:
    return per_function(ctx, judge)


def judge(index: OrderingIndex, fn: FunctionFacts) -> Iterator[Violation]:
    """The ENV401 violations of one function (pure: facts in, violations out)."""
    destroys: list[Site] = []
    publishes: list[Site] = []
    for event in fn.events:
        if (site := index.site(fn, event, "destructive")) is not None:
            destroys.append(site)
        if (site := index.site(fn, event, "publish")) is not None:
            publishes.append(site)
    for destroy in destroys:
        publish = next(
            (
                p
                for p in publishes
                if p.event.index != destroy.event.index
                and precedes(destroy.event, p.event, fn.events)
            ),
            None,
        )
        if publish is None:
            continue
        related = [Related(publish.event.location, f"the publish: {publish.describe()}")]
        if publish.hops:
            related.append(Related(publish.api.location, "where the helper publishes"))
        if destroy.hops:
            related.append(Related(destroy.api.location, "where the helper destroys"))
        yield Violation(
            location=destroy.event.location,
            message=(
                f"{fn.name} runs {destroy.describe()} before {publish.describe()} publishes; "
                "if the publish fails, the destructive step has already happened and the "
                "event is lost (publish first and destroy only on success, or use an outbox)"
            ),
            related=tuple(related),
            key=f"{fn.owner}.{fn.name}:{destroy.describe()}",
        )


RULE = Rule(
    code="ENV401",
    name="destructive-before-publish",
    severity=Severity.WARNING,
    summary="A destructive call runs before the durable Kafka publish in the same handler",
    check=check,
    needs=frozenset({"ordering"}),
    options=OrderingPatterns,
)
