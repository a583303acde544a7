"""Small read-only helpers shared by several rules (queries over the model, no judging)."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from envlint.findings import Violation
from envlint.model import (
    ComposeProject,
    EnvFile,
    EnvValue,
    InheritedKey,
    Location,
    Problem,
    ProblemKind,
    ValueSource,
    VarRef,
    Workspace,
)
from envlint.servicecode.model import is_non_service_path

if TYPE_CHECKING:
    from envlint.ordering.index import OrderingIndex
    from envlint.ordering.model import FunctionFacts
    from envlint.rules._base import Context

__all__ = [
    "env_files",
    "files_in",
    "files_under",
    "has_file",
    "inherited_keys",
    "launched_elsewhere",
    "name_services",
    "per_function",
    "problems_of",
    "stray_dollar",
    "stray_dollar_violation",
]

_NAMED = 3  # services named in a message before "and N more"


def stray_dollar(ref: VarRef) -> bool:
    """A ``$name`` in an env file's value that is most likely a literal ``$`` of the value (a
    password, a token, a hash: ``JWT_SECRET=a9Z$kLq7...``): unbraced, no operator, not set,
    and not an UPPER_CASE name.  Its "name" is part of a secret value: findings about it never
    print it, and defining it is not the fix."""
    loc = ref.location
    unbraced = loc.end_line in (None, loc.line) and (
        loc.end_column is not None and loc.end_column - loc.column == len(ref.name) + 1
    )
    return (
        ref.context == "env_file"
        and unbraced
        and not ref.operator
        and not ref.is_set
        and not ref.name.isupper()
    )


def stray_dollar_violation(location: Location, where: str) -> Violation:
    """The finding for a :func:`stray_dollar` reference (``where``: how the file is used)."""
    return Violation(
        location=location,
        message=(
            f"this value contains a `$` that Compose reads as the start of a variable name "
            f"{where}: nothing defines that name, so Compose drops that part of the value "
            "(substitutes an empty string). If the `$` is part of the value (a password, a "
            "token, a hash), write it as `$$` or put the value in single quotes"
        ),
        key="stray-dollar",
    )


def env_files(ws: Workspace, *roles: str) -> Iterator[EnvFile]:
    """Every env file read (project, service and example files), each path once."""
    seen: set[str] = set()
    candidates: list[EnvFile] = []
    for project in ws.projects:
        candidates.extend(project.all_env_files())
    candidates.extend(ws.example_env_files)
    for env_file in candidates:
        if env_file.path in seen or (roles and env_file.role not in roles):
            continue
        seen.add(env_file.path)
        yield env_file


def has_file(ws: Workspace, path: str) -> bool:
    """Whether discovery kept ``path`` (``Workspace.files`` is sorted: a binary search)."""
    at = bisect_left(ws.files, path)
    return at < len(ws.files) and ws.files[at] == path


def files_under(ws: Workspace, directory: str) -> Iterator[str]:
    """The files discovery kept below ``directory`` (``"."`` for the root), at any depth:
    ``Workspace.files`` is sorted, so they are one run found by a binary search."""
    prefix = "" if directory.strip("/") in ("", ".") else directory.strip("/") + "/"
    for at in range(bisect_left(ws.files, prefix), len(ws.files)):
        if not ws.files[at].startswith(prefix):
            break
        yield ws.files[at]


def files_in(ws: Workspace, directory: str) -> Iterator[str]:
    """The files discovery kept directly in ``directory`` (``"."`` for the root)."""
    depth = 0 if directory.strip("/") in ("", ".") else directory.strip("/").count("/") + 1
    return (path for path in files_under(ws, directory) if path.count("/") == depth)


def inherited_keys(project: ComposeProject) -> dict[str, InheritedKey]:
    """Variables the project env files name on a bare ``KEY`` line and give no value anywhere:
    Compose takes them from the environment it runs in, which envlint does not read (declared,
    not missing)."""
    found: dict[str, InheritedKey] = {}
    for env_file in project.env_files:
        for inherited in env_file.inherited:
            if inherited.key not in project.environment:
                found.setdefault(inherited.key, inherited)
    return found


def launched_elsewhere(
    ws: Workspace, project: ComposeProject, name: str
) -> tuple[ComposeProject, EnvValue] | None:
    """A documented launcher that gives ``name`` to another stack of the same directory sharing
    a compose file with ``project`` (``make up`` exports it for the default stack, a script
    starts a layer over it without): the variable is meant to come from there."""
    for other in ws.projects:
        if other is project or other.directory != project.directory:
            continue
        if not set(other.files) & set(project.files):
            continue
        value = other.environment.get(name)
        if value is not None and value.source is ValueSource.LAUNCHER:
            return other, value
    return None


def name_services(services: list[str]) -> str:
    """``service api`` / ``services a, b, c and 2 more`` (``services`` sorted, not empty)."""
    who = ", ".join(services[:_NAMED])
    if len(services) > _NAMED:
        who += f" and {len(services) - _NAMED} more"
    return f"service{'s' if len(services) > 1 else ''} {who}"


def problems_of(ws: Workspace, *kinds: ProblemKind) -> Iterator[Problem]:
    for problem in ws.problems:
        if problem.kind in kinds:
            yield problem


def per_function(
    ctx: Context,
    judge: Callable[[OrderingIndex, FunctionFacts], Iterator[Violation]],
) -> Iterator[Violation]:
    """``judge`` over the functions of the call-order facts, each violation attributed to the
    service whose code holds the function (the most specific owner).  The ordering pass parses
    every file where a service's code may live (its build context); a function in a file no
    service's program or code directory holds that lies in a folder a build never ships (an
    ``e2e/`` test helper, ``scripts/``, ``examples/``: :func:`is_non_service_path`) is still a
    helper the index can follow, but is not judged itself: no service runs it.  Other files
    nobody is known to own are judged (a service whose program envlint could not trace may run
    them: a Gradle module its Dockerfile builds)."""
    index = ctx.ordering
    services: dict[str, str | None] = {}  # path -> its service (None: no known owner)
    skipped: set[str] = set()  # paths in folders no build ships that no service owns
    for fn in index.functions:
        if fn.path not in services:
            owner = ctx.code.owner(fn.path)
            services[fn.path] = owner[2] if owner is not None else None
            if owner is None and is_non_service_path(fn.path):
                skipped.add(fn.path)
        if fn.path in skipped:
            continue
        for violation in judge(index, fn):
            yield Violation(
                location=violation.location,
                message=violation.message,
                service=services[fn.path],
                related=violation.related,
                key=violation.key,
            )
