"""ENV201 missing-required-variable: service code fails when X is missing, and that service's
resolved environment does not provide X (judged per service).  An error when the read runs at
start-up (crash loop wording only then); a warning naming the function when it runs later or
when envlint cannot tell (see ``_timing``)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from envlint.findings import Fix, Related, Severity, Violation
from envlint.model import ValueSource
from envlint.rules._base import Context, Rule
from envlint.rules._documented import carrier
from envlint.rules._fixes import add_key, committed_env_file, documented_default
from envlint.rules._timing import Timing, timing, without

if TYPE_CHECKING:
    from collections.abc import Iterator

    from envlint.kafka.model import KafkaClient
    from envlint.model import ComposeProject, Location, Service
    from envlint.sources.model import EnvRead


def check(ctx: Context) -> Iterator[Violation]:
    elsewhere = _Elsewhere(ctx)
    for project, service in ctx.ws.services():
        if not service.active:
            continue
        reads = ctx.sources.of(project, service)
        for read in reads:
            if read.missing != "crash" or read.is_pattern:
                continue
            if service.provides(read.name, read.lookup) is not None:
                continue
            if carrier(project, service, read.name, read.lookup) is not None:
                continue  # an example file would carry it: ENV109 reports it on the example
            app = ctx.sources.app_env_of(project, service)
            covered = app.covers(read.name) if app is not None and read.lookup == "env" else "no"
            if covered == "yes":
                continue  # the env file the app loads at start defines it
            when = timing(ctx, project, service, read)
            if when.harmless:
                continue  # every call of the function catches what it throws, or none is made
            violation = _violation(ctx.kafka_clients, project, service, read, when)
            unread = _unread_env_file(service)
            if unread is None and app is not None and covered == "maybe":
                unread = app.unless.removeprefix("unless ")
            if unread is not None:
                # the variable may well be in the env file envlint cannot read (redash's
                # `env_file: .env` that `make .env` writes): say what is known, as a note
                violation = replace(
                    violation,
                    message=f"{violation.message}, unless {unread}",
                    severity=Severity.INFO,
                )
            else:
                violation = replace(violation, fix=_fix(ctx, project, service, read))
            yield elsewhere.add(violation, project, service, read)


class _Elsewhere:
    """Drift between deployment sources: the same code deployed by another source (Compose and
    a Kubernetes set, or two Kubernetes sets such as overlays) that does provide the variable
    the code requires.  The finding names both places."""

    def __init__(self, ctx: Context) -> None:
        self.code = ctx.code
        self.by_key = ctx.ws.by_key()

    def add(
        self, violation: Violation, project: ComposeProject, service: Service, read: EnvRead
    ) -> Violation:
        found: list[tuple[str, Location]] = []
        for key in self.code.same_code((project.directory, project.stack, service.name)):
            other_project, other = self.by_key.get(key, (None, None))
            if other_project is None or other is None or not other.active:
                continue
            if (other_project.directory, other_project.stack) == (project.directory, project.stack):
                continue  # another workload of the same set: not another deployment source
            if other_project.platform == "compose" == project.platform:
                continue  # compose stacks of one repository: ENV201 names each stack already
            value = other.provides(read.name, read.lookup)
            if (
                value is None
                or value.origin is None
                or value.source is ValueSource.RUNTIME
                or value in other.open_sources  # keys unknown: it may, or may not, provide it
                # an empty placeholder the code fails on too (ENV204 reports that deployment)
                or (value.value == "" and not value.unresolved and read.on_empty == "crash")
            ):
                continue
            found.append((_deployment(other_project, other), value.origin))
        if not found:
            return violation
        (first, where), more = found[0], len(found) - 1
        also = f" and {more} more" if more else ""
        message = (
            f"{violation.message}; {first} provides it ({where.path}:{where.line}){also}: "
            "the deployments of this code disagree"
        )
        related = tuple(Related(loc, f"{who} provides it here") for who, loc in found[:3])
        return replace(violation, message=message, related=(*violation.related, *related))


def _deployment(project: ComposeProject, service: Service) -> str:
    """A deployment named for people: ``workload deploy/api in overlay k8s/prod`` or
    ``service api in compose.yaml``."""
    if project.platform == "kubernetes":
        return project.describe(service)
    return f"service {service.name} in {project.stack}"


def _unread_env_file(service: Service) -> str | None:
    """Why the service's environment is not fully known: an ``env_file:`` that envlint could
    not read (absent with no example in its place, or outside the checked root)."""
    for ref in service.env_files:
        if ref.outside_root:
            return f"its env file {ref.path}, outside the checked directory, defines it"
        if not ref.exists and ref.stand_in is None:
            absent = "absent (ENV104)" if ref.required else "absent (required: false)"
            return f"its env file {ref.path}, which is {absent}, defines it when it is created"
    return None


def _violation(
    clients: tuple[KafkaClient, ...],
    project: ComposeProject,
    service: Service,
    read: EnvRead,
    when: Timing,
) -> Violation:
    where = f"{read.location.path}:{read.location.line}"
    via = f" through {read.via}()" if read.via else ""
    passthrough = service.passthrough(read.name, read.lookup)
    if passthrough is not None:
        how = "compose passes it through but no env file defines it"
    elif read.alternatives:
        how = (
            "its container spec provides none of them"
            if project.platform == "kubernetes"
            else "compose provides none of them"
        )
    else:
        how = (
            "its container spec does not provide it (env, envFrom, image ENV)"
            if project.platform == "kubernetes"
            else "compose does not provide it"
        )
    consequences = []
    if when.kind == "startup" and service.restarts:
        consequences.append(
            f"with restart: {service.restart or service.deploy_restart} this is a crash loop"
        )
    if when.kind == "startup" and consumer_group_member(clients, project, service):
        consequences.append("every restart makes the consumer group rebalance (rebalance storm)")
    if read.dev_default is not None:  # envalid: the service's NODE_ENV=production decided
        how += " (its envalid devDefault does not apply under NODE_ENV=production)"
    tail = f"; {' and '.join(consequences)}" if consequences else ""
    message = (
        f"{when.fails(project.describe(service), without(read))} (read{via} at {where}), "
        f"and {how}{tail}{when.caveat}"
    )
    related: list[Related] = []
    if passthrough is not None:
        related.append(Related(passthrough.location, "passed through here, defined nowhere"))
    else:
        related.append(Related(service.location, f"{project.describe(service)} is defined here"))
    if read.crash_location is not None and read.crash_location.line != read.location.line:
        related.append(Related(read.crash_location, "fails here when the variable is missing"))
    return Violation(
        location=read.location,
        message=message,
        service=service.name,
        variable=read.name,
        related=tuple(related),
        severity=when.severity,
        stacks=(project.stack,),
    )


def _fix(ctx: Context, project: ComposeProject, service: Service, read: EnvRead) -> Fix | None:
    """The incident's own fix: the committed project .env gets the variable that compose passes
    through, with the documented default of the library that reads it.  Only with a known
    default: an empty value would turn a crash on a missing variable into one on an empty
    value (or hide it), which is not a fix."""
    if service.passthrough(read.name, read.lookup) is None or read.lookup != "env":
        return None
    env_file = committed_env_file(ctx.ws, project)
    default = documented_default(ctx.kafka_clients, project, service, read.name)
    if env_file is None or default is None:
        return None
    value, source = default
    where = f"{read.location.path}:{read.location.line}"
    comment = (
        f"{read.name}: service {service.name} crashes at start without it ({where}); "
        f"{value} = the {source}"
    )
    return add_key(env_file.path, read.name, value, comment)


def consumer_group_member(
    clients: tuple[KafkaClient, ...], project: ComposeProject, service: Service
) -> bool:
    """Whether the service's code joins a Kafka consumer group."""
    for client in clients:
        if (
            client.kind == "consumer"
            and client.group_id
            and client.service == service.name
            and client.project_dir in (None, project.directory)
        ):
            return True
    return False


RULE = Rule(
    code="ENV201",
    name="missing-required-variable",
    severity=Severity.ERROR,
    summary="Service code crashes when a variable is missing and compose doesn't provide it",
    check=check,
    needs=frozenset({"sources", "code", "kafka-clients", "startup"}),
    quiet_for_external=True,
)
