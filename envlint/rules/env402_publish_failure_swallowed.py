"""ENV402 publish-failure-swallowed: a publish fails and the failure never reaches the caller.

The failure of a Kafka publish (direct, or through a helper that passes it on) is only logged,
assigned to ``_``, never looked at, or handed to a delivery callback / report channel that only
logs it (sarama ``Errors()``, confluent-kafka-go ``Events()``, a franz-go promise, a Java
``Callback`` or ``whenComplete``, a confluent_kafka delivery callback, a promise's ``.catch``),
counts it in a metric or keeps it in a variable its method never reads, and the function
carries on.  A Go call ``x.Publish(...)`` reaches a method of another package when that is the
only body named ``Publish`` in the non-test code; the message names it and its file.  A helper
that swallows the failure is reported in its own body: its callers cannot see the failure.
The message says what the code does next (carries on, moves on to the next loop iteration,
returns from a callback), not what its caller does.
"""

from __future__ import annotations

from collections.abc import Iterator

from envlint.findings import Related, Severity, Violation
from envlint.ordering import MAX_DEPTH, SWALLOWING, OrderingIndex, Site
from envlint.ordering.model import FunctionFacts, OrderEvent
from envlint.rules._base import Context, Rule
from envlint.rules._common import per_function
from envlint.rules._options import PublishPatterns

__all__ = ["RULE", "check", "judge"]

_FIX = "return or throw the error; where the event must not be lost, use an outbox"
_FIX_ASYNC = (
    "wait for the delivery result and return its error; where the event must not be lost, "
    "use an outbox"
)
_RESULT = {"go": "error", "csharp": "Task", "java": "Future", "python": "future"}


def check(ctx: Context) -> Iterator[Violation]:
    return per_function(ctx, judge)


def judge(index: OrderingIndex, fn: FunctionFacts) -> Iterator[Violation]:
    """At most one ENV402 violation per function: its first swallowed publish."""
    swallowed = [
        (event, site)
        for event in fn.events
        if index.swallowed(fn, event)
        and (site := index.publish_for_402(fn, event, MAX_DEPTH)) is not None
    ]
    if not swallowed:
        return
    event, site = swallowed[0]
    how, handler = _how(index, fn, event)
    related = [Related(other.location, "another swallowed publish") for other, _ in swallowed[1:]]
    if handler is not None:
        related.insert(0, handler)
    if site.hops:
        related.insert(0, Related(site.api.location, "where the helper publishes"))
    related[1:1] = [
        Related(body.location, f"the only {body.name} in the non-test code")
        for body in _elsewhere(site)
    ]
    yield Violation(
        location=event.location,
        message=_message(fn, event, site, how),
        related=tuple(related),
        key=f"{fn.owner}.{fn.name}:{site.describe()}",
    )


def _elsewhere(site: Site) -> list[FunctionFacts]:
    """The bodies the publish goes through that a method call reaches as the only body of its
    name (not the caller's own helpers)."""
    calls = [site.event, *(hop.event for hop in site.hops)]
    return [hop.function for call, hop in zip(calls, site.hops, strict=False) if not call.self_call]


def _message(fn: FunctionFacts, event: OrderEvent, site: Site, how: str) -> str:
    """What is established: how the failure is handled, what the code does next, and that the
    failure never leaves the function (nothing about what its callers do)."""
    name, publish = fn.name, site.describe()
    bodies = [
        f"{body.owner}.{body.name} in {body.path}, the only {body.name} in the non-test code"
        for body in _elsewhere(site)
    ]
    if bodies:
        publish = f"{publish} ({'; '.join(bodies)})"
    synchronous = event.kind != "send" and event.error_use in SWALLOWING
    if synchronous:
        end = f"nothing publishes the event again beyond the client's own retries ({_FIX})"
    else:  # the client may have retried already: what is known is that nothing does after it
        end = f"nothing retries the event once the client gives up ({_FIX_ASYNC})"
    inner = next((f.kind for f in reversed(event.scope) if f.kind in ("loop", "closure")), "")
    if synchronous and inner == "loop":
        return (
            f"{name} publishes with {publish} in a loop but {how} and the loop moves on to its "
            f"next iteration: the failure never leaves {name} and {end}"
        )
    if synchronous and inner == "closure":
        return (
            f"{name} publishes with {publish} in a callback but {how} and the callback returns "
            f"normally: the failure never leaves the callback and {end}"
        )
    if synchronous and fn.language == "go" and not fn.returns_error:
        return (
            f"{name} publishes with {publish} but {how}; {name} has no error result, so the "
            f"failure never reaches its callers and {end}"
        )
    return (
        f"{name} publishes with {publish} but {how}: the failure never reaches {name}'s "
        f"callers and {end}"
    )


def _how(
    index: OrderingIndex, fn: FunctionFacts, event: OrderEvent
) -> tuple[str, Related | None]:
    """What happens to the failure, and the place that handles it (if any)."""
    go = fn.language == "go"
    use = event.error_use
    if event.kind != "send" and use in ("logged", "discarded", "dropped", "unused"):
        where = Related(event.branch, "where the failure ends") if event.branch else None
        if use == "logged":
            return "only logs its failure", where
        if use == "discarded":
            return "assigns its error to _", None
        if use == "unused":
            thing = _RESULT.get(fn.language, "promise")
            verb = "tests" if go else "waits for"
            return f"stores its {thing} and never {verb} it", None
        if event.branch is not None and use == "dropped":
            if go:
                return "tests its error and ignores it", where
            return "catches its failure and ignores it", where
        if go:
            return "never looks at its error", None
        thing = _RESULT.get(fn.language, "promise")
        return f"never waits for its {thing}", None
    delivery, handler = index.delivery(fn, event)
    via = "Errors()" if event.kind == "send" else event.via
    label = f"where the producer's {via} are read" if via in ("Errors()", "Events()") else (
        "the callback that receives the failure"
    )
    where = Related(handler, label) if handler is not None else None
    if via in ("Errors()", "Events()"):
        if delivery == "logged":
            return f"the producer's {via} are only logged", where
        if handler is None:
            return (
                f"nothing in its package reads the producer's {via}, where a failed delivery "
                "is reported"
            ), None
        return f"the producer's {via} are read and ignored", where
    thing = {
        "promise": "its promise",
        "callback": "its delivery callback",
        "future": "the callback on its future",
        "channel": "the delivery report it waits for",
    }.get(via, "its delivery callback")
    if via == "nil promise":
        return "passes a nil promise, so the client drops a failed produce", None
    if delivery == "logged":
        verb = "only logs or counts" if event.counted else "only logs"
        return f"{thing} {verb} a failed delivery", where
    if delivery == "unused" and event.kept:
        return (
            f"{thing} keeps a failed delivery only in {event.kept}, which {fn.name} never reads"
        ), where
    return f"{thing} never looks at the error", where


RULE = Rule(
    code="ENV402",
    name="publish-failure-swallowed",
    severity=Severity.WARNING,
    summary="A Kafka publish failure is logged or ignored and never reaches the caller",
    check=check,
    needs=frozenset({"ordering"}),
    options=PublishPatterns,
)
