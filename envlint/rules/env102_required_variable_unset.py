"""ENV102 required-variable-unset: ``${X:?msg}`` / ``${X?msg}`` with X unset (or empty for
``:?``): ``docker compose up`` refuses to start."""

from __future__ import annotations

from collections.abc import Iterator

from envlint.findings import Severity, Violation
from envlint.model import SESSION_ENV, Location
from envlint.rules._base import Context, Rule
from envlint.rules._common import inherited_keys, launched_elsewhere
from envlint.rules._documented import unloaded_env_hint


def check(ctx: Context) -> Iterator[Violation]:
    for project in ctx.ws.projects:
        if project.documented_by is not None:
            continue  # no .env: an example's empty placeholder documents X; ENV109 the rest
        declared = inherited_keys(project)  # a bare `X` line: ENV101 reports it as info
        hint = ""
        absent = [f.path for f in project.env_files if not f.exists and f.role == "project"]
        if absent:  # --env-file given: Compose reads no .env
            hint = f" ({', '.join(absent)} not found)"
        elif not any(f.exists for f in project.env_files):  # no .env: point at a likely file
            hint = f" (no .env in {project.directory}{unloaded_env_hint(ctx.ws, project)})"
        refs = [r for r in project.refs if r.name not in declared and r.name not in SESSION_ENV]
        for env_file in project.env_files:
            refs.extend(
                r for r in env_file.refs if r.name not in declared and r.name not in SESSION_ENV
            )
        # one finding a place: a YAML anchor is read once per service that merges it
        services_at: dict[tuple[Location, str], set[str]] = {}
        for ref in refs:
            services_at.setdefault((ref.location, ref.name), set()).update(
                [ref.service] if ref.service else []
            )
        done: set[tuple[Location, str]] = set()
        for ref in refs:
            if (ref.location, ref.name) in done:
                continue
            done.add((ref.location, ref.name))
            services = services_at[(ref.location, ref.name)]
            if ref.operator == ":?":
                failing = not ref.is_set or ref.is_empty
                state = "empty" if ref.is_set else "unset"
            elif ref.operator == "?":
                failing, state = not ref.is_set, "unset"
            else:
                continue
            if not failing:
                continue
            # The `:?` text of a compose file is the author's error message; inside an env file
            # it is file content, which findings never quote.
            reason = f" ({ref.message})" if ref.message and ref.context != "env_file" else ""
            message = (
                f"{ref.name} is required{reason} but {state} in the project environment"
                f"{hint}: docker compose refuses to start project {project.name}"
            )
            if ref.extended_by is not None:  # a service of the base file this stack leaves out
                message += (
                    f" (Compose interpolates all of {ref.location.path}, from which service "
                    f"{ref.extended_by} extends)"
                )
            severity = None
            launched = launched_elsewhere(ctx.ws, project, ref.name)
            if launched is not None:  # meant to come from a launcher: at most an info
                home, value = launched
                message += f"; {value.provider} sets it for stack {home.stack} only"
                severity = Severity.INFO
            yield Violation(
                location=ref.location,
                message=message,
                service=next(iter(services)) if len(services) == 1 else None,
                variable=ref.name,
                severity=severity,
                stacks=(project.stack,),
            )


RULE = Rule(
    code="ENV102",
    name="required-variable-unset",
    severity=Severity.ERROR,
    summary="A ${X:?} / ${X?} variable is unset, so Compose refuses to start",
    check=check,
    quiet_for_external=True,
)
