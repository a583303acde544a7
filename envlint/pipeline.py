"""Build the facts the selected rules need: one source pass, then each fact family once.

The engine calls :func:`build_facts` with the union of the selected rules' ``needs``.  Work that
no selected rule can use is not done: no rule that needs code facts, no source parsing; an
extractor runs only when its family is needed.  A builder that raises does not take the run
down: its family (and every family built from it) is reported as a :class:`FactFailure`, and
the engine skips the rules that need it (one ENV903 per failure).
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

from envlint.facts import FACT_NAMES, FactName, Facts, SourceFacts, SourceStatistics

if TYPE_CHECKING:
    from envlint.config import Settings
    from envlint.kafka.model import KafkaClient, KafkaFacts
    from envlint.model import Workspace
    from envlint.ordering.index import OrderingIndex
    from envlint.servicecode.model import CodeMap, ServiceKey
    from envlint.sources.model import EnvRead, Extractor, SourceIndex

__all__ = ["DEPENDS", "FactFailure", "build_facts", "closure", "unavailable"]

_T = TypeVar("_T")

# What each family is built from ("pass": the source parse pass).
DEPENDS: dict[FactName, frozenset[str]] = {
    "code": frozenset(),
    "sources": frozenset({"code", "pass"}),
    "kafka": frozenset(),
    "kafka-clients": frozenset({"code", "pass"}),
    "ordering": frozenset({"code", "pass"}),
}


@dataclass(frozen=True, slots=True)
class FactFailure:
    """A fact builder that raised (a bug in envlint): what failed and the traceback."""

    stage: str  # a fact family, or "pass" (the source parse pass)
    facts: tuple[FactName, ...]  # the needed families that could not be built because of it
    error: str  # the exception's type name
    traceback: str


def closure(needs: Collection[str]) -> frozenset[FactName]:
    """``needs`` with the families they are built from (unknown names are ignored)."""
    wanted = {name for name in FACT_NAMES if name in needs}
    for name in list(wanted):
        wanted.update(dep for dep in FACT_NAMES if dep in DEPENDS[name])
    return frozenset(wanted)


class _Stages:
    """Runs each stage at most once and remembers which raised (build-local)."""

    def __init__(self, wanted: frozenset[FactName]) -> None:
        self.wanted = wanted
        self.failures: list[FactFailure] = []
        self.failed: set[str] = set()

    def run(self, stage: str, build: Callable[[], _T]) -> _T | None:
        if stage in DEPENDS and any(dep in self.failed for dep in DEPENDS[stage]):
            self.failed.add(stage)  # built from a failed stage: already reported
            return None
        try:
            return build()
        except Exception as exc:  # a bug in one builder must not hide the other rules
            self.failed.add(stage)
            lost = tuple(
                name for name in FACT_NAMES if name in self.wanted and self._lost(name, stage)
            )
            error = type(exc).__name__
            self.failures.append(FactFailure(stage, lost, error, traceback.format_exc()))
            return None

    def _lost(self, name: FactName, stage: str) -> bool:
        return name == stage or stage in DEPENDS[name]


def build_facts(
    ws: Workspace, settings: Settings, needs: Collection[str]
) -> tuple[Facts, tuple[FactFailure, ...]]:
    """The facts ``needs`` asks for (see :data:`envlint.facts.FACT_NAMES`), and any failures."""
    wanted = closure(needs)
    stages = _Stages(wanted)
    facts = Facts()
    code = stages.run("code", lambda: _code(ws)) if "code" in wanted else None
    index: SourceIndex | None = None
    if any("pass" in DEPENDS[name] for name in wanted):
        index = stages.run("pass", lambda: _source_pass(ws, settings, wanted, code))
    if index is not None:
        facts = replace(facts, notes=index.notes, without_directives=index.without_directives)
    if "sources" in wanted and index is not None and code is not None:
        facts = replace(facts, sources=stages.run("sources", lambda: _sources(index, code)))
    if "kafka" in wanted:
        facts = replace(facts, kafka=stages.run("kafka", lambda: _kafka(ws)))
    if "kafka-clients" in wanted and index is not None and code is not None:
        clients = stages.run("kafka-clients", lambda: _kafka_clients(ws, index, code))
        facts = replace(facts, kafka_clients=clients)
    if "ordering" in wanted and index is not None:
        ordering = stages.run("ordering", lambda: _ordering(ws, settings, index))
        facts = replace(facts, ordering=ordering)
    return replace(facts, code=code), tuple(stages.failures)


def unavailable(failures: Sequence[FactFailure]) -> frozenset[FactName]:
    """The families a run could not build."""
    return frozenset(name for failure in failures for name in failure.facts)


def _code(ws: Workspace) -> CodeMap:
    from envlint.servicecode.model import CodeMap

    return CodeMap.from_source_dirs(ws)


def _extractors(wanted: frozenset[FactName]) -> tuple[Extractor[Any], ...]:
    out: list[Extractor[Any]] = []
    if "kafka-clients" in wanted:
        from envlint.kafka.clients import EXTRACTOR as KAFKA_CLIENTS

        out.append(KAFKA_CLIENTS)
    if "ordering" in wanted:
        from envlint.ordering.extract import EXTRACTOR as ORDERING

        out.append(ORDERING)
    return tuple(out)


def _source_pass(
    ws: Workspace, settings: Settings, wanted: frozenset[FactName], code: CodeMap | None
) -> SourceIndex:
    from envlint.sources.index import build_index

    return build_index(
        ws,
        in_scope=code.in_scope if code is not None else None,
        extractors=_extractors(wanted),
        env_reads="sources" in wanted,
        settings=settings,
    )


def _sources(index: SourceIndex, code: CodeMap) -> SourceFacts:
    by_service: dict[ServiceKey, list[EnvRead]] = {p.key: [] for p in code.programs}
    for read in index.reads:
        for key in code.owners(read.location.path):
            by_service[key].append(read)
    return SourceFacts(
        reads=index.reads,
        by_service=MappingProxyType({k: tuple(v) for k, v in by_service.items()}),
        statistics=SourceStatistics(
            files_scanned=index.files_scanned,
            files_parsed=index.files_parsed,
            env_reads=len(index.reads),
            dynamic_reads=index.dynamic_reads,
        ),
    )


def _kafka(ws: Workspace) -> KafkaFacts:
    from envlint.kafka import build_facts as kafka_facts

    return kafka_facts(ws)


def _kafka_clients(
    ws: Workspace, index: SourceIndex, code: CodeMap
) -> tuple[KafkaClient, ...]:
    from envlint.kafka.clients import EXTRACTOR, join_clients

    return join_clients(ws, index.facts_of(EXTRACTOR), code)


def _ordering(ws: Workspace, settings: Settings, index: SourceIndex) -> OrderingIndex:
    from envlint.ordering.extract import EXTRACTOR
    from envlint.ordering.index import OrderingIndex

    return OrderingIndex.from_settings(index.facts_of(EXTRACTOR), settings, ws.root)
