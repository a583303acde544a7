"""ENV201 missing-required-variable: service code crashes at start when X is missing, and that
service's resolved environment does not provide X (judged per service)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from envlint.findings import Related, Severity, Violation
from envlint.rules._base import Rule
from envlint.sources.appsettings import env_name_to_key, is_config_read, provided

if TYPE_CHECKING:
    from collections.abc import Iterator

    from envlint.config import Settings
    from envlint.model import ComposeProject, PassThrough, Service, Workspace
    from envlint.sources.model import EnvRead


def check(ws: Workspace, settings: Settings) -> Iterator[Violation]:
    for project, service in ws.services():
        if not service.active:
            continue
        reads = ws.sources.by_service.get((project.directory, service.name), ())
        for read in reads:
            if read.missing != "crash" or read.is_pattern or provided(service, read) is not None:
                continue
            yield _violation(ws, project, service, read)


def _violation(
    ws: Workspace, project: ComposeProject, service: Service, read: EnvRead
) -> Violation:
    where = f"{read.location.path}:{read.location.line}"
    via = f" through {read.via}()" if read.via else ""
    passthrough = _passthrough(service, read)
    if passthrough is not None:
        how = "compose passes it through but no env file defines it"
    else:
        how = "compose does not provide it"
    consequences = []
    if service.restarts:
        consequences.append(
            f"with restart: {service.restart or service.deploy_restart} this is a crash loop"
        )
    if consumer_group_member(ws, project, service):
        consequences.append("every restart makes the consumer group rebalance (rebalance storm)")
    tail = f"; {' and '.join(consequences)}" if consequences else ""
    message = (
        f"service {service.name} crashes at start without {read.name} (read{via} at {where}), "
        f"and {how}{tail}"
    )
    related: list[Related] = []
    if passthrough is not None:
        related.append(Related(passthrough.location, "passed through here, defined nowhere"))
    else:
        related.append(Related(service.location, f"service {service.name} is defined here"))
    if read.crash_location is not None and read.crash_location.line != read.location.line:
        related.append(Related(read.crash_location, "fails here when the variable is missing"))
    return Violation(
        location=read.location,
        message=message,
        service=service.name,
        variable=read.name,
        related=tuple(related),
    )


def _passthrough(service: Service, read: EnvRead) -> PassThrough | None:
    for entry in service.passthroughs:
        if entry.name == read.name or (
            is_config_read(read)
            and env_name_to_key(entry.name).casefold() == read.name.replace("__", ":").casefold()
        ):
            return entry
    return None


def consumer_group_member(ws: Workspace, project: ComposeProject, service: Service) -> bool:
    """Whether the service's code joins a Kafka consumer group (from ``envlint.kafka``)."""
    for client in ws.kafka.clients:
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
)
