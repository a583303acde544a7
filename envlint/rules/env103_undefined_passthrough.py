"""ENV103 undefined-passthrough: ``environment: [X]`` / ``X:`` with X defined nowhere, so the
container does not get X at all (absent, not empty); and ``build.args: [X]`` / ``X:`` with X
defined nowhere, so Compose leaves the arg out of the build (the Dockerfile's ``ARG`` default
applies).

One entry shared by many services (a YAML anchor or an ``extends`` base) is one finding that
names the services, not one finding per service."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from envlint.findings import Related, Severity, Violation
from envlint.model import SESSION_ENV, ComposeProject, Location
from envlint.rules._base import Context, Rule
from envlint.rules._common import inherited_keys, name_services

_Kind = Literal["environment", "build-arg"]


@dataclass
class _Entry:
    services: set[str] = field(default_factory=set)
    erased: dict[Location, None] = field(default_factory=dict)  # env_file items, in order
    stacks: dict[str, None] = field(default_factory=dict)


def check(ctx: Context) -> Iterator[Violation]:
    entries: dict[tuple[Location, str, _Kind], _Entry] = {}
    for project, service in ctx.ws.services():
        if project.documented_by is not None:
            continue  # no .env: ENV109 reports what the example file lacks
        declared = inherited_keys(project)
        for passthrough in service.passthroughs:
            if passthrough.resolved or passthrough.name in declared:
                continue  # a bare `X` line in .env: ENV101 reports it as info
            if passthrough.name in SESSION_ENV:
                continue  # the shell that runs compose has it (HOME, USER, USERPROFILE...)
            entry = entries.setdefault(
                (passthrough.location, passthrough.name, "environment"), _Entry()
            )
            entry.services.add(service.name)
            entry.stacks[project.stack] = None
            for ref in service.env_files:
                if ref.exists and passthrough.name in _keys(project, ref.path):
                    entry.erased[ref.location] = None
        for arg in service.build_args:
            if not arg.resolved and arg.name not in declared and arg.name not in SESSION_ENV:
                entry = entries.setdefault((arg.location, arg.name, "build-arg"), _Entry())
                entry.services.add(service.name)
                entry.stacks[project.stack] = None
    for (location, name, kind), entry in sorted(entries.items()):
        services = sorted(entry.services)
        yield Violation(
            location=location,
            message=_message(kind, name, services, bool(entry.erased)),
            service=services[0] if len(services) == 1 else None,
            variable=name,
            related=tuple(
                Related(loc, "this env_file sets it, but the bare entry erases it")
                for loc in entry.erased
            ),
            key="build-arg" if kind == "build-arg" else None,
            stacks=tuple(entry.stacks),
        )


def _message(kind: _Kind, name: str, services: list[str], erased: bool) -> str:
    who = name_services(services)
    plural = "s" if len(services) > 1 else ""
    verb = "pass" if len(services) > 1 else "passes"
    if kind == "build-arg":
        return (
            f"{who} {verb} build arg {name} through, but the project environment "
            f"does not define it: Compose leaves {name} out of the build, so the Dockerfile's "
            f"ARG {name} default applies (empty if it has none)"
        )
    tail = "; the bare entry also erases the env_file value" if erased else ""
    return (
        f"{who} {verb} {name} through, but the project environment "
        f"does not define it: the container{plural} will not have {name}{tail}"
    )


def _keys(project: ComposeProject, path: str) -> frozenset[str]:
    for env_file in project.service_env_files:
        if env_file.path == path:
            return env_file.keys()
    return frozenset()


RULE = Rule(
    code="ENV103",
    name="undefined-passthrough",
    severity=Severity.INFO,
    summary=(
        "A pass-through environment entry or build arg is defined nowhere, so the container "
        "or build lacks it"
    ),
    check=check,
    quiet_for_external=True,
)
