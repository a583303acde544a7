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
from envlint.model import Creation, EnvFileRef, Launcher, Location, ProblemKind, Workspace
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
            yield _service_stand_in(problem.location, service, ref.path, found[1].stand_in)
            continue
        if found is not None and found[1].created is not None:
            service, ref = found
            yield _created(problem.location, service, ref.path, found[1].created)
            continue
        read_for = _stand_in_for(ctx.ws, problem.location.path) if found is None else None
        if read_for is not None:
            yield _env_file_stand_in(problem.location, *read_for)
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


def _service_stand_in(location: Location, service: str, path: str, stand_in: str) -> Violation:
    """A service's absent ``env_file`` whose example the loader read in its place (the
    repository git-ignores the file and documents it)."""
    absent = f"env file {path} of service '{service}' is not in the repository"
    return Violation(
        location=location,
        message=_read_in_its_place(absent, path, stand_in),
        service=service,
        severity=Severity.INFO,
    )


def _stand_in_for(ws: Workspace, path: str) -> tuple[str, str, Launcher | None] | None:
    """The example read in place of the absent ``--env-file`` ``path`` (relative to the root),
    with the documented command that passes it (None: only the command line does)."""
    stand_in = None
    for project in ws.projects:
        for env_file in project.env_files:
            if env_file.path == path and env_file.stand_in is not None:
                stand_in = env_file.stand_in
                if path in project.invocation_env_files and project.launchers:
                    return path, stand_in, project.launchers[0]
    return None if stand_in is None else (path, stand_in, None)


def _env_file_stand_in(
    location: Location, path: str, stand_in: str, launcher: Launcher | None
) -> Violation:
    """An absent ``--env-file`` whose example the loader read for interpolation: an info at
    the documented command that passes it (the documented setup creates it), an error when
    only the command line gives it (Compose refuses to start without it)."""
    if launcher is None:
        message = _read_in_its_place(f"env file {path} not found", path, stand_in, _INTERPOLATION)
        return Violation(location=location, message=message)
    passes = f"which {launcher.name} passes with --env-file"
    absent = f"env file {path}, {passes}, is not in the repository"
    return Violation(
        location=launcher.location,
        message=_read_in_its_place(absent, path, stand_in, _INTERPOLATION),
        related=(Related(Location(stand_in), "read in its place"),),
        severity=Severity.INFO,
    )


_INTERPOLATION = " for ${} interpolation,"  # what an --env-file's example is read for


def _read_in_its_place(absent: str, path: str, stand_in: str, use: str = "") -> str:
    """The message for the absent env file ``path`` that the loader read the example
    ``stand_in`` in place of: how it is absent, what envlint read (``use``: what for) and how
    to make the file."""
    return (
        f"{absent}; envlint read {stand_in} in its place{use} as the documented environment "
        f"(create {path} from it before docker compose up)"
    )


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
