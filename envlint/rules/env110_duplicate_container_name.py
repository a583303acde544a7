"""ENV110 duplicate-container-name: two services of one project set the same
``container_name``; Compose refuses the project (``container name "x" is already in use by
service "y"``) as soon as both are enabled: by the project's env, or by one documented command
(two services that only different documented commands' ``--profile`` options enable are
alternatives)."""

from __future__ import annotations

from collections.abc import Iterator

from envlint.findings import Related, Severity, Violation
from envlint.model import Service
from envlint.rules._base import Context, Rule
from envlint.rules._together import enabled_together


def check(ctx: Context) -> Iterator[Violation]:
    for project in ctx.ws.projects:
        by_name: dict[str, list[Service]] = {}
        for service in project.services:
            if service.container_name:
                by_name.setdefault(service.container_name, []).append(service)
        for name, services in sorted(by_name.items()):
            for i, later in enumerate(services):
                for earlier in services[:i]:
                    when = enabled_together(project, earlier, later)
                    if when is None or later.container_name_location is None:
                        continue
                    condition = f" {when}" if when else ""
                    where = earlier.container_name_location or earlier.location
                    yield Violation(
                        location=later.container_name_location,
                        message=(
                            f"container_name '{name}' of service {later.name} is already used "
                            f"by service {earlier.name}: docker compose refuses project "
                            f"{project.name}{condition} (container names are global to the "
                            "Docker host); drop container_name or make it unique"
                        ),
                        service=later.name,
                        related=(Related(where, f"service {earlier.name} uses it here"),),
                        key=f"{name}:{earlier.name}",
                        stacks=(project.stack,),
                    )
                    break  # one finding per service: against the first one it clashes with


RULE = Rule(
    code="ENV110",
    name="duplicate-container-name",
    severity=Severity.ERROR,
    summary="Two services set the same container_name, so Compose refuses the project",
    check=check,
)
