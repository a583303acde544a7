"""ENV101 undefined-variable: ``${X}`` / ``$X`` with no default, X set in no env file that
Compose loads for interpolation, so Compose substitutes an empty string."""

from __future__ import annotations

from collections.abc import Iterator

from envlint.findings import Related, Severity, Violation
from envlint.model import ComposeProject, EnvFile, VarRef, Workspace
from envlint.rules._base import Context, Rule
from envlint.rules._common import env_files


def _elsewhere(ws: Workspace, name: str) -> Iterator[Related]:
    """Where ``name`` *is* defined, in env files that do not feed interpolation (a common
    misunderstanding: env_file values never reach ``${}``)."""
    for env_file in env_files(ws, "service"):
        for entry in env_file.entries:
            if entry.key == name:
                yield Related(
                    entry.key_location,
                    "defined here, but a service's env_file does not feed ${} interpolation",
                )
                break


def _loaded(project: ComposeProject) -> str:
    paths = [f.path for f in project.env_files if f.exists]
    if paths:
        return ", ".join(paths)
    return f"no .env in {project.directory}"


def _refs(project: ComposeProject) -> Iterator[VarRef]:
    yield from project.refs
    env_file: EnvFile
    for env_file in project.env_files:
        yield from env_file.refs


def check(ctx: Context) -> Iterator[Violation]:
    ws = ctx.ws
    for project in ws.projects:
        for ref in _refs(project):
            if ref.operator != "" or ref.is_set:
                continue
            where = f" in service {ref.service}" if ref.service else ""
            yield Violation(
                location=ref.location,
                message=(
                    f"${{{ref.name}}}{where} is not set ({_loaded(project)}); Compose "
                    f"substitutes an empty string. Define {ref.name} in the project env file "
                    f"or give a default: ${{{ref.name}:-default}}"
                ),
                service=ref.service,
                variable=ref.name,
                related=tuple(_elsewhere(ws, ref.name)),
            )


RULE = Rule(
    code="ENV101",
    name="undefined-variable",
    severity=Severity.WARNING,
    summary="Compose interpolates a variable that no env file defines",
    check=check,
)
