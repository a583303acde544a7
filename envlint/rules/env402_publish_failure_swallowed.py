"""ENV402 publish-failure-swallowed: a publish fails and the handler still reports success.

The failure of a Kafka publish (direct, or through a helper that passes it on) is only logged,
assigned to ``_``, never looked at, or an async producer's ``Errors()`` are only logged, and the
function carries on.  A helper that swallows the failure is reported in its own body: its callers
cannot see the failure at all.
"""

from __future__ import annotations

from collections.abc import Iterator

from envlint.findings import Related, Severity, Violation
from envlint.ordering import MAX_DEPTH, SWALLOWING, OrderingIndex
from envlint.ordering.model import ErrorUse, FunctionFacts
from envlint.rules._base import Context, Rule
from envlint.rules._common import per_function
from envlint.rules._options import PublishPatterns

__all__ = ["RULE", "check", "judge"]

_HOW: dict[ErrorUse, str] = {
    "logged": "only logs its failure",
    "discarded": "assigns its error to _",
    "dropped": "never looks at its result",
    "unused": "stores its error and never tests it",
}


def check(ctx: Context) -> Iterator[Violation]:
    return per_function(ctx, judge)


def judge(index: OrderingIndex, fn: FunctionFacts) -> Iterator[Violation]:
    """At most one ENV402 violation per function: its first swallowed publish."""
    swallowed = [
        (event, site)
        for event in fn.events
        if event.error_use in SWALLOWING
        and (site := index.publish_for_402(fn, event, MAX_DEPTH)) is not None
    ]
    if not swallowed:
        return
    event, site = swallowed[0]
    how = _HOW.get(event.error_use, "drops its failure")
    if event.kind == "send":
        how = (
            "only logs the producer's Errors()"
            if event.error_use == "logged"
            else "never reads the producer's Errors() here"
        )
    result = (
        "has no error result to pass it on"
        if fn.language == "go" and not fn.returns_error
        else "carries on"
    )
    related = [Related(other.location, "another swallowed publish") for other, _ in swallowed[1:]]
    if site.hops:
        related.insert(0, Related(site.api.location, "where the helper publishes"))
    yield Violation(
        location=event.location,
        message=(
            f"{fn.name} publishes with {site.describe()} but {how} and {result}; a failed "
            "publish is reported as success, so the event is lost silently (return or "
            "throw the error)"
        ),
        related=tuple(related),
        key=f"{fn.owner}.{fn.name}:{site.describe()}",
    )


RULE = Rule(
    code="ENV402",
    name="publish-failure-swallowed",
    severity=Severity.WARNING,
    summary="A Kafka publish failure is logged or ignored and the handler reports success",
    check=check,
    needs=frozenset({"ordering"}),
    options=PublishPatterns,
)
