"""ENV101 undefined-variable: ``${X}`` / ``$X`` with no default, X set in no env file that
Compose loads for interpolation, so Compose substitutes an empty string.

One finding per (project directory, variable): the first place it is written is the finding,
every other place a related location, the count in the message.  A reference inside a shell
script the container runs (``sh -c``, a ``CMD-SHELL`` healthcheck, see :mod:`._shell`) is
reported apart, with the advice that fits it: ``$$X`` lets the container's shell expand it.

A bare ``X`` line in the project ``.env`` declares X without a value: Compose takes it from the
environment it runs in (the shell, CI), which envlint does not read.  That is one info finding
at the line, naming every place that depends on it (ENV102 and ENV103 stay quiet for X).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from envlint.findings import Edit, Fix, Related, Severity, Violation
from envlint.model import (
    SESSION_ENV,
    ComposeProject,
    EnvValue,
    InheritedKey,
    Location,
    ValueSource,
    VarRef,
    Workspace,
)
from envlint.rules._base import Context, Rule
from envlint.rules._common import (
    env_files,
    inherited_keys,
    launched_elsewhere,
    name_services,
    stray_dollar,
    stray_dollar_violation,
)
from envlint.rules._documented import unloaded_env_hint
from envlint.rules._fixes import committed
from envlint.rules._shell import shell_script_part


@dataclass
class _Group:
    project: ComposeProject  # the first stack of the directory that uses the variable
    places: dict[Location, set[str]] = field(default_factory=dict)  # location -> services
    parts: dict[str, None] = field(default_factory=dict)  # "healthcheck", "command", ...
    stacks: dict[str, ComposeProject] = field(default_factory=dict)  # where it is unset


# What Compose does at a place when the environment it runs in lacks a declared variable.
_WITHOUT = {
    "": "Compose substitutes an empty string",
    "required": "docker compose refuses to start",
    "passthrough": "the container does not get it",
    "build-arg": "the build leaves the arg out",
}


def check(ctx: Context) -> Iterator[Violation]:
    ws = ctx.ws
    # location -> the shell part it sits in, from any service context that reaches it (a YAML
    # anchor is read once per service and once where it is written)
    shell: dict[Location, str] = {}
    unset: list[tuple[ComposeProject, VarRef]] = []
    strays: dict[Location, None] = {}  # `$` in env file values that reads as a name
    declared: dict[InheritedKey, dict[Location, str]] = {}  # bare line -> its uses
    for project in ws.projects:
        if project.documented_by is not None:
            continue  # no .env: ENV109 reports what the example file lacks
        if any(not f.exists and f.role == "project" for f in project.env_files):
            continue  # an absent --env-file: Compose refuses to start (ENV104), substitutes nothing
        inherited = inherited_keys(project)
        for ref in _refs(project):
            if ref.is_set or ref.name in SESSION_ENV:
                continue
            # a blocked plain reference is not substituted until an earlier required variable
            # of its value is set: Compose substitutes nothing there now
            plain = ref.operator == "" and not ref.blocked
            if ref.name in inherited:
                if plain or ref.operator in ("?", ":?"):
                    uses = declared.setdefault(inherited[ref.name], {})
                    uses.setdefault(ref.location, "required" if ref.operator else "")
                continue
            if not plain:
                continue
            if stray_dollar(ref):
                strays.setdefault(ref.location)
                continue
            unset.append((project, ref))
            part = shell_script_part(project, ref)
            if part is not None:
                shell.setdefault(ref.location, part)
        for service in project.services:
            for kind, entries in (
                ("passthrough", service.passthroughs),
                ("build-arg", service.build_args),
            ):
                for entry in entries:
                    if not entry.resolved and entry.name in inherited:
                        uses = declared.setdefault(inherited[entry.name], {})
                        uses.setdefault(entry.location, kind)
    groups: dict[tuple[str, str, bool], _Group] = {}
    for project, ref in unset:
        in_shell = ref.location in shell
        group = groups.setdefault((project.directory, ref.name, in_shell), _Group(project))
        services = group.places.setdefault(ref.location, set())
        group.stacks.setdefault(project.stack, project)
        if ref.service is not None:
            services.add(ref.service)
        if in_shell:
            group.parts.setdefault(shell[ref.location])
    for (_, name, in_shell), group in groups.items():
        violation = _violation(ws, name, in_shell, group)
        launched = [launched_elsewhere(ws, p, name) for p in group.stacks.values()]
        others = [_launched_here(p, name) for p in group.stacks.values()]
        if all(others) and others[0] is not None:
            violation = _not_for_its_service(violation, name, group, others[0])
        elif all(launched) and launched[0] is not None:
            violation = _not_launched(violation, name, group, *launched[0])
        elif all(p.ci_only for p in group.stacks.values()):
            violation = _in_ci(violation, name, group)
        yield replace(violation, stacks=tuple(group.stacks))
    for line, uses in declared.items():
        yield _declared(line, uses)
    for location in strays:
        yield stray_dollar_violation(location, "when the file is read")


def _declared(line: InheritedKey, uses: dict[Location, str]) -> Violation:
    name, path = line.key, line.location.path
    without = " and ".join(_WITHOUT[kind] for kind in _WITHOUT if kind in uses.values())
    count = "once" if len(uses) == 1 else f"at {len(uses)} places"
    return Violation(
        location=line.location,
        message=(
            f"{name} has no value in {path}: the bare `{name}` line takes it from the environment "
            f"docker compose runs in (the shell, CI), which envlint does not read. It is used "
            f"{count}; where that environment lacks {name}, {without}"
        ),
        variable=name,
        related=tuple(Related(loc, f"uses {name}") for loc in uses),
        severity=Severity.INFO,
        key="inherited",
    )


def _violation(ws: Workspace, name: str, in_shell: bool, group: _Group) -> Violation:
    first, *others = group.places
    services = sorted(set().union(*group.places.values()))
    count = len(group.places)
    loaded = _loaded(ws, group.project)
    fix = None
    if in_shell:
        where = f" in the {' and '.join(group.parts)} of {name_services(services)}"
        message = (
            f"${{{name}}}{where} is not set {loaded}: Compose substitutes an empty string"
            f"{_places(count)} before the container's shell runs the script"
        )
        if _containers_have(group.project, services, name):
            message += (
                f". Write ${name} as $${name} (or $${{{name}}}) so the container's shell expands "
                f"it (the container gets {name} from its environment)"
            )
            fix = _escape(ws, name, list(group.places))
        else:
            message += (
                f", and the container does not get {name} either: define {name} in the project "
                f"env file or give a default (${{{name}:-default}}); $${name} would leave it to "
                "the container's shell, which lacks it too"
            )
        also = "also here, in a script the container's shell runs"
    else:
        where = f" in {name_services(services)}" if services else ""
        message = (
            f"${{{name}}}{where} is not set {loaded}; Compose substitutes an empty string"
            f"{_places(count)}. Define {name} in the project env file or give a default: "
            f"${{{name}:-default}}"
        )
        also = "also used here"
    related = tuple(Related(loc, also) for loc in others)
    if not in_shell:
        related += tuple(_elsewhere(ws, name))
    return Violation(
        location=first,
        message=message,
        service=services[0] if len(services) == 1 else None,
        variable=name,
        related=related,
        key="shell" if in_shell else None,
        fix=fix,
    )


def _escape(ws: Workspace, name: str, places: list[Location]) -> Fix | None:
    """``$X`` / ``${X}`` -> ``$$X`` / ``$${X}`` at every place (the YAML text edited at the
    parser's positions, nothing else touched); None when a place is not exactly known."""
    edits = []
    for loc in places:
        if loc.end_line not in (None, loc.line) or loc.end_column is None:
            return None
        width = loc.end_column - loc.column
        written = {len(name) + 1: f"${name}", len(name) + 3: f"${{{name}}}"}.get(width)
        if written is None or not committed(ws, loc.path):
            return None
        end = (loc.line, loc.end_column)
        edits.append(Edit(loc.path, "$" + written, (loc.line, loc.column), end, old=written))
    where = "place" if len(edits) == 1 else f"{len(edits)} places"
    return Fix(f"escape ${name} as $${name} for the container's shell ({where})", tuple(edits))


def _not_launched(
    violation: Violation, name: str, group: _Group, home: ComposeProject, value: EnvValue
) -> Violation:
    """A launcher sets the variable for another stack of these files, not for this one: at
    most an info naming the launcher."""
    return replace(
        violation,
        message=(
            f"${{{name}}} is set by {value.provider} for stack {home.stack} only; nothing sets "
            f"it where these files are started another way, so Compose substitutes an empty "
            f"string{_places(len(group.places))}. Export {name} there too, or give a default: "
            f"${{{name}:-default}}"
        ),
        severity=Severity.INFO,
        related=(*violation.related, *_set_here(value)),
    )


def _launched_here(project: ComposeProject, name: str) -> EnvValue | None:
    """The stack's own launcher value of ``name`` when the reference is unset anyway: some
    documented commands of the stack set it, but none of those that start the service (the
    loader leaves such a reference unset)."""
    value = project.environment.get(name)
    return value if value is not None and value.source is ValueSource.LAUNCHER else None


def _not_for_its_service(
    violation: Violation, name: str, group: _Group, value: EnvValue
) -> Violation:
    """Commands of the stack set the variable, but only those that start other services:
    Compose interpolates with the environment of the command that runs, so the commands that
    start this service give it an empty string.  Warning, or info when only CI jobs start the
    stack (the runner's environment may still provide it)."""
    services = sorted(set().union(*group.places.values()))
    who = name_services(services) if services else "this service"
    ci = all(p.ci_only for p in group.stacks.values())
    runner = f" unless the CI runner's environment provides {name}" if ci else ""
    return replace(
        violation,
        message=(
            f"${{{name}}} in {who} is set by {value.provider} only for commands that start "
            f"other services; the commands that start {who.partition(' ')[2]} lack it and no env "
            f"file defines it, so Compose substitutes an empty string{runner}"
            f"{_places(len(group.places))}. Set {name} for those commands too, or give a "
            f"default: ${{{name}:-default}}"
        ),
        severity=Severity.INFO if ci else violation.severity,
        related=(*violation.related, *_set_here(value)),
    )


def _set_here(value: EnvValue) -> tuple[Related, ...]:
    if value.origin is None:
        return ()
    return (Related(value.origin, f"{value.name} is set here ({value.provider})"),)


def _in_ci(violation: Violation, name: str, group: _Group) -> Violation:
    """Only CI jobs start the stacks: the runner's environment is not in the repository, so
    that it lacks the variable cannot be established (info, naming the jobs)."""
    jobs = dict.fromkeys(
        launcher.name for project in group.stacks.values() for launcher in project.launchers
    )
    shown = ", ".join(list(jobs)[:2]) + (f" and {len(jobs) - 2} more" if len(jobs) > 2 else "")
    return replace(
        violation,
        message=(
            f"${{{name}}} is not set by {shown}, which start{'s' if len(jobs) == 1 else ''} this "
            f"stack, nor by an env file: Compose substitutes an empty string unless the CI "
            f"runner's environment provides {name}{_places(len(group.places))}. If the job needs "
            f"it, set it for the job (env: / variables:) or give a default: ${{{name}:-default}}"
        ),
        severity=Severity.INFO,
    )


def _containers_have(project: ComposeProject, services: list[str], name: str) -> bool:
    """Whether every one of ``services`` gives its container ``name`` (compose or image ENV)."""
    found = [project.service(s) for s in services]
    return all(svc is not None and svc.provides(name) is not None for svc in found)


def _places(count: int) -> str:
    if count == 1:
        return ""
    return " at both places" if count == 2 else f" at all {count} places"


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


def _loaded(ws: Workspace, project: ComposeProject) -> str:
    paths = [f.path for f in project.env_files if f.exists]
    if paths:  # the --env-file list, else .env (Compose reads no .env when one is given)
        return "in " + ", ".join(paths)
    return f"(no .env in {project.directory}{unloaded_env_hint(ws, project)})"



def _refs(project: ComposeProject) -> Iterator[VarRef]:
    yield from project.refs
    for env_file in project.env_files:
        yield from env_file.refs


RULE = Rule(
    code="ENV101",
    name="undefined-variable",
    severity=Severity.WARNING,
    summary="Compose interpolates a variable that no env file defines",
    check=check,
    quiet_for_external=True,
)
