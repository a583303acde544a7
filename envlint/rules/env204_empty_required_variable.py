"""ENV204 empty-required-variable: X is provided, but as "" (``X=``), and the code crashes on an
empty value (``if v == ""`` + panic, ``int.Parse("")``, ``string.IsNullOrEmpty`` + exit...)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from envlint.findings import Related, Severity, Violation
from envlint.rules._base import Context, Rule
from envlint.rules._timing import timing

if TYPE_CHECKING:
    from collections.abc import Iterator


def check(ctx: Context) -> Iterator[Violation]:
    for project, service in ctx.ws.services():
        if not service.active:
            continue
        for read in ctx.sources.of(project, service):
            if read.on_empty != "crash" or read.is_pattern:
                continue
            value = service.provides(read.name, read.lookup)
            if value is None or value.unresolved or value.value != "" or value.example:
                continue
            app = ctx.sources.app_env_of(project, service)
            if app is not None and read.lookup == "env" and read.name in app.filled:
                continue  # the app's env file replaces the empty value at start (override)
            where = f"{read.location.path}:{read.location.line}"
            when = timing(ctx, project, service, read)
            if when.harmless:
                continue  # every call of the function catches what it throws, or none is made
            related = []
            if value.origin is not None:
                related.append(Related(value.origin, f"{value.name} is set to an empty value here"))
            if read.crash_location is not None and read.crash_location.line != read.location.line:
                related.append(Related(read.crash_location, "fails here on an empty value"))
            yield Violation(
                location=read.location,
                message=(
                    f"{when.fails(project.describe(service), f'on an empty {value.name}')}: "
                    "it gets "
                    f"{value.name} set but empty ({value.source.value}), and the code at {where} "
                    f"fails on an empty value{when.caveat}"
                ),
                service=service.name,
                variable=read.name,
                related=tuple(related),
                severity=when.severity,
                stacks=(project.stack,),
            )


RULE = Rule(
    code="ENV204",
    name="empty-required-variable",
    severity=Severity.ERROR,
    summary="A variable is provided but empty, and the code crashes on an empty value",
    check=check,
    needs=frozenset({"sources", "startup"}),
    quiet_for_external=True,
)
