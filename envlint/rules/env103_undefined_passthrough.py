"""ENV103 undefined-passthrough: ``environment: [X]`` / ``X:`` with X defined nowhere, so the
container does not get X at all (absent, not empty)."""

from __future__ import annotations

from collections.abc import Iterator

from envlint.config import Settings
from envlint.findings import Related, Severity, Violation
from envlint.model import ComposeProject, Workspace
from envlint.rules._base import Rule


def check(ws: Workspace, settings: Settings) -> Iterator[Violation]:
    for project, service in ws.services():
        for passthrough in service.passthroughs:
            if passthrough.resolved:
                continue
            related: tuple[Related, ...] = ()
            erased = [
                ref
                for ref in service.env_files
                if ref.exists and passthrough.name in _keys(project, ref.path)
            ]
            if erased:
                related = tuple(
                    Related(r.location, "this env_file sets it, but the bare entry erases it")
                    for r in erased
                )
            tail = "; the bare entry also erases the env_file value" if erased else ""
            yield Violation(
                location=passthrough.location,
                message=(
                    f"service {service.name} passes {passthrough.name} through, but the project "
                    f"environment does not define it: the container will not have "
                    f"{passthrough.name}{tail}"
                ),
                service=service.name,
                variable=passthrough.name,
                related=related,
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
    summary="A pass-through environment entry is defined nowhere, so the container lacks it",
    check=check,
)
