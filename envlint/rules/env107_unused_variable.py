"""ENV107 unused-variable: a key in a project env file that no compose file, env value or
service code uses.

"Used" is judged across the whole workspace: a key read by any compose file that shares the
``.env`` (layers, other stacks: ``${}``, pass-through entries and build args, a secret's or
config's ``environment:``), by any env file value, or by any service's code counts.
``COMPOSE_*`` keys configure Compose itself and are never unused.  A project env file that a
service also loads as its ``env_file:`` hands every key to that container, so none of its keys is
unused.
No claim is made for an env file that a compose file envlint could not load may use (one in the
env file's directory, above it or below it: a parse error, a Jinja template, an override not
checked alone): what that file loads or interpolates is not known.
Compose is not the only reader: a key that a Makefile which includes the file, or a CI job
that loads it, references (``$(KEY)``, ``${{ env.KEY }}``, ``$KEY``) is used
(:mod:`envlint.compose.env_users`).  When such a Makefile exports every variable to its
recipes, any key may be read by the programs they run: the info says so instead of "nothing
uses it".
"""

from __future__ import annotations

import fnmatch
import posixpath
from collections.abc import Iterator

from envlint.discovery import is_compose_file_name
from envlint.findings import Severity, Violation
from envlint.model import EnvFileUser, Location, ProblemKind, Workspace
from envlint.rules._base import Context, Rule
from envlint.rules._common import env_files
from envlint.sources.model import EnvRead


def _used_names(ws: Workspace, reads: tuple[EnvRead, ...]) -> tuple[set[str], list[str]]:
    names: set[str] = set()
    patterns: list[str] = []
    for project in ws.projects:
        names.update(ref.name for ref in project.refs)
        names.update(entry.name for entry in project.resource_env)
        for service in project.services:
            names.update(p.name for p in service.passthroughs)
            names.update(a.name for a in service.build_args)
    for env_file in env_files(ws):
        names.update(ref.name for ref in env_file.refs)
    for read in reads:
        if read.is_pattern:
            patterns.append(read.name)
        else:
            names.add(read.name)
    return names, patterns


def _loaded_by_a_service(ws: Workspace) -> set[str]:
    """Env files some service reads as its ``env_file:`` (every key reaches its container)."""
    return {ref.path for _, service in ws.services() for ref in service.env_files if ref.exists}


def _unread_compose_files(ws: Workspace) -> list[str]:
    """Compose files envlint could not read whole: a parse error in them (a Jinja template
    that is not YAML), or a problem that kept them out of every project (a template, an
    override that was not checked alone).  Their ``env_file:`` and ``${}`` are not known."""
    loaded = {path for p in ws.projects for path in (*p.files, *p.included_files)}
    return sorted(
        {
            path
            for problem in ws.problems
            if is_compose_file_name((path := problem.location.path).rsplit("/", 1)[-1])
            and (problem.kind is ProblemKind.PARSE_ERROR or path not in loaded)
        }
    )


def _related(env_path: str, compose_path: str) -> bool:
    """Whether a compose file may load the env file: one's directory lies below (or is) the
    other's (a compose file names ``.env``, ``sub/app.env`` or ``../.env``)."""
    env_dir = posixpath.dirname(env_path)
    compose_dir = posixpath.dirname(compose_path)
    return any(
        outer == "" or inner == outer or inner.startswith(outer + "/")
        for inner, outer in ((env_dir, compose_dir), (compose_dir, env_dir))
    )


def check(ctx: Context) -> Iterator[Violation]:
    ws = ctx.ws
    service_files = _loaded_by_a_service(ws)
    project_files = [
        f
        for f in env_files(ws, "project")
        if f.exists and (f.entries or f.inherited) and f.path not in service_files
    ]
    if not project_files:
        return
    names, patterns = _used_names(ws, ctx.sources.reads)
    unread = _unread_compose_files(ws)
    for env_file in project_files:
        if any(_related(env_file.path, path) for path in unread):
            continue  # a compose file envlint could not read may load it or use its keys
        users = [u for u in ctx.env_file_users if u.env_file == env_file.path]
        used_there = {name for user in users for name in user.names}
        exporting = next((u for u in users if u.all_keys), None)
        reported: set[str] = set()
        keys = [(e.key, e.key_location, "is set") for e in env_file.entries]
        keys += [(k.key, k.location, "is named on a bare line") for k in env_file.inherited]
        for key, location, how in keys:
            if key in names or key in used_there or key in reported:
                continue
            if key.startswith("COMPOSE_"):
                continue
            if any(fnmatch.fnmatchcase(key, pattern) for pattern in patterns):
                continue
            reported.add(key)
            yield _unused(key, location, env_file.path, how, users, exporting)


def _unused(
    key: str,
    location: Location,
    path: str,
    how: str,
    users: list[EnvFileUser],
    exporting: EnvFileUser | None,
) -> Violation:
    checked = (
        f"no compose file interpolates it or passes it through, no service loads {path} as "
        "its env_file, and envlint found no env file value or service code that reads it"
    )
    if exporting is not None:
        message = (
            f"{key} {how} in {path}, and no compose file, env file or service code uses it: "
            f"{checked}; "
            f"{exporting.who} includes {path} and exports every variable to its recipes, "
            "so a program they run may read it from its environment"
        )
    else:
        who = list(dict.fromkeys(user.who for user in users))
        verb, does = ("loads", "does") if len(who) == 1 else ("load", "do")
        shown = " and ".join(who) if len(who) < 3 else f"{who[0]}, {who[1]} and {len(who) - 2} more"
        also = f"; {shown} {verb} {path} too but {does} not reference it" if who else ""
        message = f"{key} {how} in {path} but nothing uses it: {checked}{also}"
    return Violation(location=location, message=message, variable=key)


RULE = Rule(
    code="ENV107",
    name="unused-variable",
    severity=Severity.INFO,
    summary="A key in a project env file that nothing uses",
    check=check,
    needs=frozenset({"sources", "env-file-users"}),
)
