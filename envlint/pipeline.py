"""Build the facts the selected rules need: one source pass, then each fact family once.

The engine calls :func:`build_facts` with the union of the selected rules' ``needs``.  Work that
no selected rule can use is not done: no rule that needs code facts, no source parsing; an
extractor runs only when its family is needed.  The stages, in order:

``plan``     each service's entrypoint and the directories its code may live in
``pass``     one parse of every candidate file there: env reads, imports and the extractors
``code``     the files linked into each program (from the import facts)
``sources``  env reads per service; ``kafka`` / ``kafka-clients`` / ``ordering``
``startup``  for services whose code may fail on a variable their environment lacks or
             leaves empty: whether that read runs at start-up (function facts from a second,
             targeted parse of only those programs' files)
``env-file-users``  the Makefiles, CI jobs and Symfony apps that load a project env file (the
             load's launcher files, ``Workspace.launcher_bytes``)

A stage that raises does not take the run down: it and every family built from it are reported
as one :class:`FactFailure`, and the engine skips the rules that need them (one ENV903 each).
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

from envlint.facts import FACT_NAMES, FactName, Facts, SourceFacts, SourceStatistics

if TYPE_CHECKING:
    from envlint.config import Settings
    from envlint.kafka.model import KafkaClient, KafkaFacts
    from envlint.model import EnvFileUser, Problem, Service, Workspace
    from envlint.ordering.index import OrderingIndex
    from envlint.servicecode.model import CodeMap, ServiceKey
    from envlint.servicecode.provenance import ImageBuilds
    from envlint.servicecode.startup import StartupMap
    from envlint.sources.model import EnvRead, Extractor, SourceIndex

__all__ = ["DEPENDS", "FactFailure", "build_facts", "closure", "unavailable"]

_T = TypeVar("_T")

# What each stage is built from (fact families and the stages "plan" and "pass").
DEPENDS: dict[str, frozenset[str]] = {
    "plan": frozenset(),
    "pass": frozenset({"plan"}),
    "code": frozenset({"plan", "pass"}),
    "sources": frozenset({"code"}),
    "kafka": frozenset(),
    "kafka-clients": frozenset({"code"}),
    "ordering": frozenset({"code"}),
    "startup": frozenset({"code", "sources"}),
    "env-file-users": frozenset(),
}


def _upstream(stage: str) -> frozenset[str]:
    """Every stage ``stage`` is built from, directly or not."""
    found: set[str] = set()
    todo = list(DEPENDS.get(stage, ()))
    while todo:
        item = todo.pop()
        if item not in found:
            found.add(item)
            todo.extend(DEPENDS.get(item, ()))
    return frozenset(found)


@dataclass(frozen=True, slots=True)
class FactFailure:
    """A fact builder that raised (a bug in envlint): what failed and the traceback."""

    stage: str  # a fact family, or "plan" / "pass"
    facts: tuple[FactName, ...]  # the needed families that could not be built because of it
    error: str  # the exception's type name
    traceback: str


def closure(needs: Collection[str]) -> frozenset[FactName]:
    """``needs`` with the families they are built from (unknown names are ignored)."""
    wanted = {name for name in FACT_NAMES if name in needs}
    for name in list(wanted):
        wanted.update(dep for dep in FACT_NAMES if dep in _upstream(name))
    return frozenset(wanted)


class _Stages:
    """Runs each stage at most once and remembers which raised (build-local)."""

    def __init__(self, wanted: frozenset[FactName]) -> None:
        self.wanted = wanted
        self.failures: list[FactFailure] = []
        self.failed: set[str] = set()

    def run(self, stage: str, build: Callable[[], _T]) -> _T | None:
        if _upstream(stage) & self.failed:
            self.failed.add(stage)  # built from a failed stage: already reported
            return None
        try:
            return build()
        except Exception as exc:  # a bug in one builder must not hide the other rules
            self.failed.add(stage)
            lost = tuple(
                name
                for name in FACT_NAMES
                if name in self.wanted and (name == stage or stage in _upstream(name))
            )
            error = type(exc).__name__
            self.failures.append(FactFailure(stage, lost, error, traceback.format_exc()))
            return None


def build_facts(
    ws: Workspace,
    settings: Settings,
    needs: Collection[str],
    builds: ImageBuilds | None = None,
) -> tuple[Facts, tuple[FactFailure, ...]]:
    """The facts ``needs`` asks for (see :data:`envlint.facts.FACT_NAMES`), and any failures;
    ``builds``: the repository's image builds when the caller has read them already."""
    wanted = closure(needs)
    stages = _Stages(wanted)
    facts = Facts()
    notes: list[Problem] = []
    planned: CodeMap | None = None
    if "code" in wanted:
        found = stages.run("plan", lambda: _plan(ws, settings, builds))
        if found is not None:
            planned, problems = found
            notes.extend(problems)
    index: SourceIndex | None = None
    if planned is not None:
        index = stages.run("pass", lambda: _source_pass(ws, settings, wanted, planned))
    code: CodeMap | None = None
    if index is not None and planned is not None:
        notes.extend(index.notes)
        facts = replace(facts, without_directives=index.without_directives)
        code = stages.run("code", lambda: _link(ws, planned, index))
    if "sources" in wanted and index is not None and code is not None:
        facts = replace(
            facts, sources=stages.run("sources", lambda: _sources(ws, settings, index, code))
        )
    if "kafka" in wanted:
        facts = replace(facts, kafka=stages.run("kafka", lambda: _kafka(ws)))
    if "kafka-clients" in wanted and index is not None and code is not None:
        clients = stages.run("kafka-clients", lambda: _kafka_clients(ws, index, code))
        facts = replace(facts, kafka_clients=clients)
    if "ordering" in wanted and index is not None and code is not None:
        ordering = stages.run("ordering", lambda: _ordering(ws, settings, index, code))
        facts = replace(facts, ordering=ordering)
    sources = facts.sources
    if "startup" in wanted and index is not None and code is not None and sources is not None:
        startup = stages.run("startup", lambda: _startup(ws, settings, code, sources))
        facts = replace(facts, startup=startup)
    if "env-file-users" in wanted:
        users = stages.run("env-file-users", lambda: _env_file_users(ws))
        facts = replace(facts, env_file_users=users)
    notes.sort(key=lambda p: (p.location, p.message))
    return replace(facts, code=code, notes=tuple(notes)), tuple(stages.failures)


def unavailable(failures: Sequence[FactFailure]) -> frozenset[FactName]:
    """The families a run could not build."""
    return frozenset(name for failure in failures for name in failure.facts)


def _plan(
    ws: Workspace, settings: Settings, builds: ImageBuilds | None
) -> tuple[CodeMap, tuple[Problem, ...]]:
    from envlint.servicecode.assemble import plan

    return plan(ws, settings, builds)


def _env_file_users(ws: Workspace) -> tuple[EnvFileUser, ...]:
    """The launcher files of the load that load a project env file (their bytes as the load
    read them: :attr:`~envlint.model.Workspace.launcher_bytes`)."""
    from envlint.compose.env_users import find_env_users
    from envlint.compose.launchers import LauncherFiles

    launchers = LauncherFiles(ws.root, sorted(ws.files), ws.launcher_bytes)
    env = {f.path for p in ws.projects for f in p.all_env_files() if f.role == "project"}
    return find_env_users(launchers, sorted(env))


def _imports_extractor() -> Extractor[Any]:
    from envlint.servicecode.extractors import IMPORTS

    return IMPORTS


def _dotenv_extractor() -> Extractor[Any]:
    from envlint.servicecode.dotenv_loads import DOTENV_LOADS

    return DOTENV_LOADS


def _extractors(wanted: frozenset[FactName], settings: Settings) -> tuple[Extractor[Any], ...]:
    out: list[Extractor[Any]] = [_imports_extractor()]  # the program files need them
    if "sources" in wanted:
        out.append(_dotenv_extractor())
    if "kafka-clients" in wanted:
        from envlint.kafka.clients import EXTRACTOR as KAFKA_CLIENTS

        out.append(KAFKA_CLIENTS)
    if "ordering" in wanted:
        from envlint.ordering.extract import extractor

        out.append(extractor(settings))
    return tuple(out)


def _source_pass(
    ws: Workspace, settings: Settings, wanted: frozenset[FactName], planned: CodeMap
) -> SourceIndex:
    from envlint.sources.index import build_index

    return build_index(
        ws,
        in_scope=planned.in_scope,
        extractors=_extractors(wanted, settings),
        env_reads="sources" in wanted,
        settings=settings,
    )


def _link(ws: Workspace, planned: CodeMap, index: SourceIndex) -> CodeMap:
    from envlint.filepass.languages import language_of
    from envlint.servicecode.assemble import link
    from envlint.servicecode.imports import FileImports

    imports: dict[str, FileImports] = {
        facts.path: facts for facts in index.facts_of(_imports_extractor())
    }
    for path in index.generated:  # generated code links nothing that matters
        imports.setdefault(path, FileImports(path=path, language=language_of(path) or ""))
    return link(ws, planned, imports)


def _sources(ws: Workspace, settings: Settings, index: SourceIndex, code: CodeMap) -> SourceFacts:
    from envlint.filepass.parse import DEFAULT_MAX_BYTES
    from envlint.servicecode.appenv import app_env

    by_service: dict[ServiceKey, list[EnvRead]] = {p.key: [] for p in code.programs}
    mains = {p.key: p.main for p in code.programs}
    commands = _Commands(ws)
    for read in index.reads:
        if read.tool_only:
            continue  # an EF Core design-time factory: only `dotnet ef` runs it
        for key in code.owners(read.location.path):
            if read.main_only and mains[key] != read.location.path:
                continue  # `if __name__ == "__main__":` of a module the service only imports
            if read.job_only and commands.serves_requests(key):
                continue  # a Sidekiq worker's method: the job runner calls it, not the web server
            seen = commands.given(read, key) if read.flags else read
            seen = commands.node_env(seen, key) if seen.dev_default is not None else seen
            by_service[key].append(commands.spared(seen, key) if seen.alternatives else seen)
    return SourceFacts(
        reads=index.reads,
        by_service=MappingProxyType({k: tuple(v) for k, v in by_service.items()}),
        statistics=SourceStatistics(
            files_scanned=index.files_scanned,
            files_parsed=index.files_parsed,
            env_reads=len(index.reads),
            dynamic_reads=index.dynamic_reads,
        ),
        app_env=app_env(
            ws,
            code,
            index.facts_of(_dotenv_extractor()),
            settings.max_source_bytes or DEFAULT_MAX_BYTES,
        ),
    )


# Ruby web servers, and background-job runners (``bin/jobs`` is Solid Queue's, ``jobs:work``
# Delayed Job's and Solid Queue's rake task)
_WEB_SERVERS = frozenset(
    {"puma", "unicorn", "unicorn_rails", "rackup", "thin", "falcon", "passenger", "pitchfork"}
)
_JOB_RUNNERS = frozenset(
    {
        "sidekiq", "sidekiqswarm", "jobs", "jobs:work", "resque", "resque:work", "good_job",
        "solid_queue:start", "delayed_job", "sneakers", "shoryuken", "que",
        # process managers that may start a job runner beside the web server (a Procfile)
        "foreman", "overmind", "hivemind",
    }
)  # fmt: skip


class _Commands:
    """What a read is for one service that the read's file cannot say: a command-line flag its
    command passes (ENTRYPOINT + CMD as Docker combines them, compose keys winning, looked up
    only for reads whose value a flag may give instead), variables of the read's alternatives
    it sets, and its NODE_ENV for an envalid ``devDefault``."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.argv: dict[ServiceKey, tuple[str, ...]] = {}
        self.services: dict[ServiceKey, Service] | None = None

    def given(self, read: EnvRead, key: ServiceKey) -> EnvRead:
        """``read`` as the service ``key`` sees it: a flag its command passes is the value."""
        words = [w for arg in self._argv(key) for w in arg.split()]
        for flag in read.flags:
            if any(w == flag or w.startswith(flag + "=") for w in words):
                return replace(
                    read,
                    missing="default",
                    default=f"{flag} in the service's command",
                    crash_location=read.crash_location if read.on_empty == "crash" else None,
                )
        return read

    def node_env(self, read: EnvRead, key: ServiceKey) -> EnvRead:
        """``read`` (an envalid field whose fallback is a ``devDefault``) as the service ``key``
        sees it: NODE_ENV=production in its environment (compose or image ENV) ignores the
        ``devDefault`` (the read crashes when the variable is missing), another value it knows
        uses it (a default); NODE_ENV unset, or a value envlint cannot know, leaves "unknown"
        (envalid 7 and 8 differ on an unset NODE_ENV)."""
        service = self._service(key)
        value = service.provides("NODE_ENV") if service is not None else None
        if value is None or not value.value or value.unresolved or value.example:
            return read  # "" too: envalid 8 takes it as unset, envalid 7 as not production
        if value.value == "production":
            return replace(read, missing="crash")
        return replace(read, missing="default", default=read.dev_default, crash_location=None)

    def serves_requests(self, key: ServiceKey) -> bool:
        """Whether the command of the service ``key`` runs a Ruby web server (``puma``,
        ``rails server``...) and no background-job runner (``sidekiq``...): a job's code, which
        only the job runner calls, is not that service's.  False when envlint cannot tell (an
        entry script, a Procfile runner)."""
        words = [w.rsplit("/", 1)[-1] for arg in self._argv(key) for w in arg.split()]
        if any(w in _JOB_RUNNERS for w in words):
            return False
        served = (
            i + 1 < len(words) and words[i + 1] in ("s", "server")
            for i, w in enumerate(words)
            if w == "rails"
        )
        return any(w in _WEB_SERVERS for w in words) or any(served)

    def _service(self, key: ServiceKey) -> Service | None:
        if self.services is None:
            self.services = {key: s for key, (_, s) in self.ws.by_key().items()}
        return self.services.get(key)

    def spared(self, read: EnvRead, key: ServiceKey) -> EnvRead:
        """``read`` as the service ``key`` sees it: when the service sets every variable of
        one of its ``alternatives`` (a value, a placeholder of an example file, or one envlint
        cannot know; not ``""``), the code returns before the crash: nothing is known to fail."""
        service = self._service(key)
        if service is None or read.missing != "crash":
            return read
        for group in read.alternatives:
            values = [service.provides(name) for name in group]
            if all(v is not None and (v.value or v.unresolved or v.example) for v in values):
                empty = "unknown" if read.on_empty == "crash" else read.on_empty
                return replace(read, missing="unknown", on_empty=empty, crash_location=None)
        return read

    def _argv(self, key: ServiceKey) -> tuple[str, ...]:
        """The service's command (ENTRYPOINT + CMD), looked up once."""
        if key not in self.argv:
            from envlint.servicecode.entrypoints import find_entrypoint

            service = self._service(key)
            self.argv[key] = ()
            if service is not None:  # key[0]: its directory
                self.argv[key] = find_entrypoint(service, self.ws.root, project_dir=key[0]).argv
        return self.argv[key]


def _kafka(ws: Workspace) -> KafkaFacts:
    from envlint.kafka import build_facts as kafka_facts

    return kafka_facts(ws)


def _kafka_clients(ws: Workspace, index: SourceIndex, code: CodeMap) -> tuple[KafkaClient, ...]:
    from envlint.kafka.clients import EXTRACTOR, join_clients

    return join_clients(ws, index.facts_of(EXTRACTOR), code)


def _ordering(
    ws: Workspace, settings: Settings, index: SourceIndex, code: CodeMap
) -> OrderingIndex:
    from envlint.filepass.languages import is_skipped, language_of
    from envlint.filepass.parse import DEFAULT_MAX_BYTES, parse_file, parse_source, read_source
    from envlint.ordering.extract import LANGUAGES, extractor
    from envlint.ordering.index import OrderingIndex
    from envlint.ordering.scope import across, complete
    from envlint.ordering.select import SCOPED, Needles

    candidates = [
        (path, language)
        for path in sorted(ws.files)
        if (language := language_of(path)) in SCOPED
        and language in LANGUAGES
        and not is_skipped(path)
        and code.in_scope(path)
    ]
    limit = settings.max_source_bytes or DEFAULT_MAX_BYTES

    def parse(path: str, language: str) -> tuple[bytes, Any] | None:
        return parse_file(str(ws.root), path, language, limit)

    def read(path: str) -> bytes | None:
        return read_source(str(ws.root), path, "go", limit)

    def parse_read(_path: str, data: bytes) -> tuple[bytes, Any] | None:
        return parse_source("go", data)

    facts = complete(
        index.facts_of(extractor(settings)), candidates, Needles.of(settings.publish), parse
    )
    go = [path for path, language in candidates if language == "go"]
    return OrderingIndex.from_settings((*facts, *across(facts, go, read, parse_read)), settings)


def _startup(
    ws: Workspace, settings: Settings, code: CodeMap, sources: SourceFacts
) -> Mapping[ServiceKey, StartupMap]:
    """Start-up maps of the programs that hold a read their service may fail on (the only
    ones a rule asks about), from the function facts of a second parse of just those
    programs' files: most runs have no such read, and then no file is parsed twice."""
    from envlint.servicecode.assemble import startup_maps, startup_programs
    from envlint.servicecode.extractors import FUNCTIONS
    from envlint.sources.index import build_index

    programs = startup_programs(ws, code, sources.by_service)
    needed: frozenset[str] = frozenset().union(*(files for _, files in programs))
    if not needed:
        return MappingProxyType({})
    index = build_index(
        ws,
        in_scope=needed.__contains__,
        extractors=(FUNCTIONS,),
        env_reads=False,
        settings=settings,
    )  # its parse notes repeat the first pass's: only the function facts are taken
    functions = {facts.path: facts for facts in index.facts_of(FUNCTIONS)}
    return startup_maps(ws, code, sources.by_service, functions)
