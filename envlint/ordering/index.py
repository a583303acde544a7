"""Ordering analysis for ENV401/ENV402: which calls publish, which destroy, in what order.

The ``ordering`` extractor (:mod:`envlint.ordering.extract`) records per-function facts in the
source pass; :class:`OrderingIndex` reads them back, classifies events as Kafka publishes or
destructive steps (built-in client APIs plus ``settings.publish`` / ``settings.destructive``),
and sees through local helpers: a call to a function of the same package (Go), class (C#/Java)
or file (JS/TS, Python: a module function, or a method on ``this`` / ``self``) whose body, up to
:data:`MAX_DEPTH` helpers deep, publishes or destroys counts as one itself.  For ENV402 a Go call
``x.M(...)`` also reaches the one body named ``M`` in the code, when there is exactly one (no
other method, function or implementation of that name) and ``x``'s type is known to be its
receiver type or an interface of the code that lists ``M`` (:meth:`OrderingIndex.elsewhere`).
An asynchronous producer's report channel (sarama ``Errors()``, confluent-kafka-go
``Events()``) may be read in another function of the package: :meth:`OrderingIndex.delivery`
looks there.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from envlint.config import repository_pattern
from envlint.ordering._walk import strip_pointer
from envlint.ordering.model import (
    ChannelReader,
    ErrorUse,
    FunctionFacts,
    MethodDecl,
    OrderEvent,
    OrderingFact,
    TypeBinding,
)
from envlint.ordering.select import MAX_DEPTH

if TYPE_CHECKING:
    from envlint.config import Settings
    from envlint.model import Location

__all__ = [
    "MAX_DEPTH",
    "SWALLOWING",
    "Hop",
    "OrderingIndex",
    "Site",
    "precedes",
]

SWALLOWING = frozenset({"logged", "discarded", "dropped", "unused"})
_VISIBLE = frozenset({"returned", "checked"})

Kind = Literal["publish", "destructive"]


@dataclass(frozen=True, slots=True)
class _Api:
    """A built-in publish API: method names, the receiver types that own it, and receiver names
    accepted when the type is unknown."""

    language: str
    names: frozenset[str]
    types: re.Pattern[str]
    receivers: re.Pattern[str]


_APIS = (
    # sarama SyncProducer / kafka-go Writer / franz-go Client / confluent-kafka-go Producer
    _Api(
        "go",
        frozenset({"SendMessage", "SendMessages"}),
        re.compile(r"SyncProducer"),
        re.compile(r"(?i)produc|kafka|sarama"),
    ),
    _Api(
        "go",
        frozenset({"WriteMessages"}),
        re.compile(r"\bkafka\.Writer|Writer$"),
        re.compile(r"(?i)writer|kafka|produc"),
    ),
    _Api(
        "go",
        frozenset({"Produce", "ProduceSync", "TryProduce"}),
        re.compile(r"kgo\.Client|kafka\.Producer|Producer$"),
        re.compile(r"(?i)produc|kafka|kgo"),
    ),
    # Confluent.Kafka IProducer<K, V>
    _Api(
        "csharp",
        frozenset({"Produce", "ProduceAsync"}),
        re.compile(r"\bI?Producer\b"),
        re.compile(r"(?i)produc|kafka"),
    ),
    # KafkaProducer / Producer<K, V> / Spring KafkaTemplate
    _Api(
        "java",
        frozenset({"send", "sendDefault"}),
        re.compile(r"Producer\b|KafkaTemplate"),
        re.compile(r"(?i)produc|kafka|template"),
    ),
    # kafkajs / @confluentinc/kafka-javascript Producer, node-rdkafka Producer.produce: only
    # with type evidence (the file imports the client: see envlint.ordering.roles)
    *(
        _Api(
            language,
            frozenset({"send", "sendBatch", "produce"}),
            re.compile(r"^kafka:"),
            re.compile(r"(?!)"),
        )
        for language in ("javascript", "typescript", "tsx")
    ),
    # confluent_kafka Producer.produce, kafka-python KafkaProducer.send, aiokafka send_and_wait
    _Api(
        "python",
        frozenset({"produce", "send", "send_and_wait"}),
        re.compile(r"^kafka:"),
        re.compile(r"(?!)"),
    ),
)


@dataclass(frozen=True, slots=True)
class Hop:
    function: FunctionFacts
    event: OrderEvent


@dataclass(frozen=True, slots=True)
class Site:
    """An event of the judged function and the helper hops down to the real API call."""

    event: OrderEvent
    hops: tuple[Hop, ...]  # () for a direct call; else helper bodies down to the last hop's call

    @property
    def api(self) -> OrderEvent:
        return self.hops[-1].event if self.hops else self.event

    def describe(self) -> str:
        names = [_label(self.event), *(_label(h.event) for h in self.hops)]
        return " -> ".join(dict.fromkeys(names))


def _label(event: OrderEvent) -> str:
    if event.kind == "send":
        return f"{event.receiver}.Input() <-"
    if event.self_call or not event.receiver_field:
        return event.name
    return f"{event.receiver_field}.{event.name}"


class OrderingIndex:
    """The ordering facts of a workspace, with helper resolution (built once by the pipeline
    for ENV401 and ENV402)."""

    def __init__(
        self,
        facts: Iterable[OrderingFact],
        destructive: Sequence[str],
        publish: Sequence[str],
    ) -> None:
        self._destructive = tuple(repository_pattern(p) for p in destructive)
        self._publish = tuple(repository_pattern(p) for p in publish)
        facts = tuple(facts)
        self.functions: tuple[FunctionFacts, ...] = tuple(
            f for f in facts if isinstance(f, FunctionFacts)
        )
        self._by_key: dict[tuple[str, str, str, str], list[FunctionFacts]] = {}
        for fn in self.functions:
            key = (fn.language, fn.package, fn.owner, fn.name)
            self._by_key.setdefault(key, []).append(fn)
        self._types: dict[tuple[str, str, str], str] = {}
        self._readers: dict[tuple[str, str, str], list[ChannelReader]] = {}
        self._declared: dict[str, set[MethodDecl]] = {}
        for fact in facts:
            if isinstance(fact, TypeBinding):
                self._types.setdefault((fact.language, fact.package, fact.name), fact.type)
            elif isinstance(fact, ChannelReader):
                where = (fact.language, fact.package, fact.channel)
                self._readers.setdefault(where, []).append(fact)
            elif isinstance(fact, MethodDecl):
                self._declared.setdefault(fact.name, set()).add(fact)
        self._memo: dict[tuple[int, str, bool], tuple[Hop, ...] | None] = {}

    @classmethod
    def from_settings(cls, facts: Iterable[OrderingFact], settings: Settings) -> OrderingIndex:
        """The index with the run's ``[ordering]`` patterns."""
        return cls(facts, settings.destructive, settings.publish)

    # -- direct classification ---------------------------------------------------------------

    def receiver_type(self, fn: FunctionFacts, event: OrderEvent) -> str:
        if event.receiver_type or not event.receiver_field:
            return event.receiver_type
        return self._types.get((fn.language, fn.package, event.receiver_field), "")

    def is_publish(self, fn: FunctionFacts, event: OrderEvent) -> bool:
        if event.kind == "send":
            type_text = self.receiver_type(fn, event)
            return not type_text or "Producer" in type_text
        if event.kind != "call":
            return False
        if any(p.search(event.callee) for p in self._publish):
            return True
        for api in _APIS:
            if api.language == fn.language and event.name in api.names:
                type_text = self.receiver_type(fn, event)
                if type_text:
                    return bool(api.types.search(type_text))
                return bool(api.receivers.search(event.receiver_field))
        return False

    def is_destructive(self, event: OrderEvent) -> bool:
        return event.kind == "call" and any(p.search(event.name) for p in self._destructive)

    # -- helpers ------------------------------------------------------------------------------

    def helpers(
        self, fn: FunctionFacts, event: OrderEvent, *, across: bool = False
    ) -> list[FunctionFacts]:
        """Local functions a call may reach (same package and receiver type / class); with
        ``across``, also the one body a Go method call may reach (:meth:`elsewhere`)."""
        if event.kind != "call":
            return []
        if not event.self_call:
            found = self.elsewhere(fn, event) if across else None
            return [found] if found is not None else []
        # a plain call reaches a package / module function, except in C# and Java (this.)
        plain = fn.language not in ("csharp", "java") and not event.receiver
        owner = "" if plain else fn.owner
        return self._by_key.get((fn.language, fn.package, owner, event.name), [])

    def elsewhere(self, fn: FunctionFacts, event: OrderEvent) -> FunctionFacts | None:
        """The body a Go call ``x.M(...)`` runs, in any package: the only function or method
        named ``M`` in the code (no other body, interface implementation or name collision),
        when ``x`` is known to be of its receiver type or of an interface that lists ``M``."""
        if fn.language != "go" or not event.receiver:
            return None
        declared = self._declared.get(event.name, set())
        bodies = {(d.path, d.owner) for d in declared if not d.interface}
        if len(bodies) != 1:
            return None
        ((path, owner),) = bodies
        interfaces = {d.owner for d in declared if d.interface}
        type_name = strip_pointer(self.receiver_type(fn, event)).split("[", 1)[0]
        type_name = type_name.rsplit(".", 1)[-1]
        if not owner or type_name not in (owner, *interfaces):
            return None
        key = ("go", posixpath.dirname(path) or ".", owner, event.name)
        return next((f for f in self._by_key.get(key, []) if f.path == path), None)

    def site(
        self, fn: FunctionFacts, event: OrderEvent, kind: Kind, *, across: bool = False
    ) -> Site | None:
        """``event`` as a publish / destructive step, directly or through helpers (with
        ``across``: also a Go method's one body elsewhere, see :meth:`elsewhere`)."""
        direct = self.is_publish(fn, event) if kind == "publish" else self.is_destructive(event)
        if direct:
            return Site(event, ())
        hops = self._through(fn, event, kind, MAX_DEPTH, frozenset(), across)
        return Site(event, hops) if hops else None

    def _through(
        self,
        fn: FunctionFacts,
        event: OrderEvent,
        kind: Kind,
        depth: int,
        seen: frozenset[int],
        across: bool,
    ) -> tuple[Hop, ...] | None:
        for helper in self.helpers(fn, event, across=across):
            if id(helper) in seen or depth <= 0:
                continue
            found = self._inside(helper, kind, depth, seen | {id(helper)}, across)
            if found:
                return found
        return None

    def _inside(
        self, fn: FunctionFacts, kind: Kind, depth: int, seen: frozenset[int], across: bool
    ) -> tuple[Hop, ...] | None:
        memo_key = (id(fn), kind, across)
        if memo_key in self._memo and depth == MAX_DEPTH:
            return self._memo[memo_key]
        found: tuple[Hop, ...] | None = None
        for event in fn.events:
            direct = self.is_publish(fn, event) if kind == "publish" else self.is_destructive(event)
            if direct:
                found = (Hop(fn, event),)
                break
            deeper = self._through(fn, event, kind, depth - 1, seen, across)
            if deeper:
                found = (Hop(fn, event), *deeper)
                break
        if depth == MAX_DEPTH:
            self._memo[memo_key] = found
        return found

    def delivery(self, fn: FunctionFacts, event: OrderEvent) -> tuple[ErrorUse, Location | None]:
        """How the asynchronous failure of ``event`` is handled, and where.  A report channel
        that ``fn`` does not read (``handler`` None) is looked up in the other functions of the
        package that read the same producer's (else any producer's) channel; none: dropped."""
        use = event.error_use if event.kind == "send" else event.delivery
        channel = {"Errors()": "Errors", "Events()": "Events"}.get(event.via)
        if channel is None or event.handler is not None or use != "dropped":
            return use, event.handler
        readers = self._readers.get((fn.language, fn.package, channel), [])
        mine = [r for r in readers if r.receiver_field == event.receiver_field] or readers
        for wanted in ("checked", "handled", "logged", "dropped"):
            for reader in mine:
                if reader.use == wanted:
                    return reader.use, reader.location
        return "dropped", None

    def swallowed(self, fn: FunctionFacts, event: OrderEvent) -> bool:
        """Whether the failure of ``event`` (its own, or its asynchronous delivery) is swallowed
        where it is made."""
        if event.kind == "send":
            return self.delivery(fn, event)[0] in SWALLOWING
        if event.error_use in SWALLOWING:
            return True
        return event.via != "" and self.delivery(fn, event)[0] in SWALLOWING

    def reports_failure(self, fn: FunctionFacts, depth: int = MAX_DEPTH) -> bool:
        """A helper whose publish failures reach its caller (returned error / escaping throw)."""
        if not fn.returns_error:
            return False
        publishes = [
            (e, s) for e in fn.events if (s := self.publish_for_402(fn, e, depth - 1)) is not None
        ]
        return bool(publishes) and all(
            e.error_use in _VISIBLE and not self.swallowed(fn, e) for e, _ in publishes
        )

    def publish_for_402(self, fn: FunctionFacts, event: OrderEvent, depth: int) -> Site | None:
        """A publish whose failure is visible at ``event``: a direct call, or a helper that
        passes the failure on (a helper that swallows it is judged in its own body)."""
        if self.is_publish(fn, event):
            return Site(event, ())
        if depth <= 0:
            return None
        for helper in self.helpers(fn, event, across=True):
            if helper is not fn and self.reports_failure(helper, depth):
                site = self.site(fn, event, "publish", across=True)
                if site is not None:
                    return site
        return None


def precedes(first: OrderEvent, then: OrderEvent, events: tuple[OrderEvent, ...]) -> bool:
    """Whether some path through the function runs ``first`` and later ``then``."""
    if first.index >= then.index:
        return False
    for a, b in zip(first.scope, then.scope, strict=False):
        if a == b:
            continue
        if a.node == b.node and a.kind == b.kind and a.kind in ("if", "switch", "select"):
            return False  # different arms of one branch
        break
    for event in events[first.index + 1 : then.index]:
        if event.kind == "exit" and first.scope[: len(event.scope)] == event.scope:
            return False  # the function always leaves between the two
    return True
