"""ENV104 missing-env-file: a required ``env_file:`` (or ``--env-file``) does not exist.

When a template sits beside the missing file (``.env`` -> ``.env.example``, ``.env.docker``,
``ENVEXAMPLE``; ``.env.nginx`` -> ``env.nginx.template``:
:func:`envlint.discovery.env_templates`), the message points at it; a service ``env_file`` that
the loader read from its example (the repository git-ignores the real file and documents it,
issue #16) is an info finding that says so: the file is meant to be created at deploy time, and
ENV109 checks the example instead.  So is one without an example that a documented command
creates (``touch env.d/common.local`` in ``make bootstrap``: :mod:`envlint.compose.created`)."""

from __future__ import annotations

from collections.abc import Iterator

from envlint.discovery import env_templates
from envlint.findings import Related, Severity, Violation
from envlint.model import Creation, EnvFileRef, Location, ProblemKind, Workspace
from envlint.rules._base import Context, Rule
from envlint.rules._common import files_in, problems_of


def check(ctx: Context) -> Iterator[Violation]:
    refs: dict[Location, tuple[str, EnvFileRef]] = {}
    for _, svc in ctx.ws.services():
        for ref in svc.env_files:
            refs.setdefault(ref.location, (svc.name, ref))
    for problem in problems_of(ctx.ws, ProblemKind.MISSING_ENV_FILE):
        found = refs.get(problem.location)
        if found is not None and found[1].stand_in is not None:
            service, ref = found
            yield Violation(
                location=problem.location,
                message=(
                    f"env file {ref.path} of service '{service}' is not in the repository; "
                    f"envlint read {ref.stand_in} in its place as the documented environment "
                    f"(create {ref.path} from it before docker compose up)"
                ),
                service=service,
                severity=Severity.INFO,
            )
            continue
        if found is not None and found[1].created is not None:
            service, ref = found
            yield _created(problem.location, service, ref.path, found[1].created)
            continue
        # a service's env_file item, or the missing --env-file itself
        missing = found[1].path if found is not None else problem.location.path
        example = _example_beside(ctx.ws, missing)
        tail = ""
        if example is not None:
            tail = (
                f"; {example} exists beside it: create the file from it, or check the example "
                f"itself with --env-file {example}"
            )
        yield Violation(location=problem.location, message=problem.message + tail)


def _created(location: Location, service: str, path: str, creation: Creation) -> Violation:
    """The file is absent from the checkout, and a documented command makes it."""
    where = f"{creation.location.path}:{creation.location.line}"
    if creation.runner:
        where += f", {creation.runner}"
    how = "a redirection" if creation.how.endswith(">") else f"`{creation.how}`"
    return Violation(
        location=location,
        message=(
            f"env file {path} of service '{service}' is not in the repository; a documented "
            f"command creates it ({how} at {where}): run it before docker compose up"
        ),
        service=service,
        related=(Related(creation.location, f"creates {path}"),),
        severity=Severity.INFO,
    )


def _example_beside(ws: Workspace, path: str) -> str | None:
    found = env_templates(path, files_in(ws, path.rpartition("/")[0] or "."))
    return found[0] if found else None


RULE = Rule(
    code="ENV104",
    name="missing-env-file",
    severity=Severity.ERROR,
    summary="A required env_file (or --env-file) does not exist",
    check=check,
)
