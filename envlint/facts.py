"""The facts the pipeline builds for the selected rules (plain data, one type per family).

A rule declares the families it needs (``Rule.needs``); the engine asks
:func:`envlint.pipeline.build_facts` for their union and hands the rule a :class:`Facts` in which
those fields are set.  A field left ``None`` was not needed by any selected rule (or its builder
failed, and the engine skipped the rules that need it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

from envlint.kafka.model import KafkaClient, KafkaFacts
from envlint.model import ComposeProject, EnvFileUser, Problem, Service
from envlint.servicecode.model import AppEnv, CodeMap, ServiceKey
from envlint.sources.model import EnvRead

if TYPE_CHECKING:
    from envlint.ordering.index import OrderingIndex
    from envlint.servicecode.startup import StartupMap

__all__ = ["FACT_NAMES", "FactName", "Facts", "SourceFacts", "SourceStatistics"]

# sources: env reads in the services' code, per service (one parse pass)
# code: which program each service runs and which files are its code
# kafka: brokers and topics from the compose model (no source parsing)
# kafka-clients: consumer/producer configurations in code, joined to their services
# ordering: per-function call order (destructive steps, publishes) for ENV401/ENV402
# startup: whether a read runs at start-up, for programs with a read that may crash
# env-file-users: Makefiles, CI jobs and Symfony apps that load a project env file (launcher files)
FactName = Literal[
    "sources", "code", "kafka", "kafka-clients", "ordering", "startup", "env-file-users"
]
FACT_NAMES: tuple[FactName, ...] = (
    "code",
    "sources",
    "kafka",
    "kafka-clients",
    "ordering",
    "startup",
    "env-file-users",
)


@dataclass(frozen=True, slots=True)
class SourceStatistics:
    """What the source pass did (``--statistics``, JSON, the summary)."""

    files_scanned: int = 0  # candidate source files
    files_parsed: int = 0  # parsed after the byte pre-filter
    env_reads: int = 0
    dynamic_reads: int = 0  # reads whose name could not be resolved (skipped)


@dataclass(frozen=True)
class SourceFacts:
    """Env reads of the services' code: all of them, and per service."""

    reads: tuple[EnvRead, ...] = ()
    by_service: Mapping[ServiceKey, tuple[EnvRead, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    statistics: SourceStatistics = SourceStatistics()
    # the env files each service's own code loads at start (dotenv), by service
    app_env: Mapping[ServiceKey, AppEnv] = field(default_factory=lambda: MappingProxyType({}))

    def of(self, project: ComposeProject, service: Service) -> tuple[EnvRead, ...]:
        """The reads in the code of ``service`` of ``project`` (one stack)."""
        return self.by_service.get((project.directory, project.stack, service.name), ())

    def app_env_of(self, project: ComposeProject, service: Service) -> AppEnv | None:
        """What the env files ``service``'s code loads at start provide (None: it loads none)."""
        return self.app_env.get((project.directory, project.stack, service.name))


@dataclass(frozen=True)
class Facts:
    """Everything derived from the workspace for one run."""

    code: CodeMap | None = None
    sources: SourceFacts | None = None
    kafka: KafkaFacts | None = None
    kafka_clients: tuple[KafkaClient, ...] | None = None
    ordering: OrderingIndex | None = None
    # per service with a read that may crash: what runs at start-up in its program
    startup: Mapping[ServiceKey, StartupMap] | None = None
    # Makefiles and CI jobs that load a project env file (``include .env``, ``cat .env >>
    # $GITHUB_ENV``), with the variables they reference
    env_file_users: tuple[EnvFileUser, ...] | None = None
    # NOTE problems of the source pass (skipped or partially parsed files); ENV901 reports them
    notes: tuple[Problem, ...] = ()
    # source files the pass read and found without ``envlint:`` (the suppression scan skips them)
    without_directives: frozenset[str] = frozenset()
