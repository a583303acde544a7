"""``envlint trace VAR``: one variable end to end, as data (and its text/JSON rendering).

Where the variable is defined (env files, compose ``environment:``, Dockerfile ``ENV``), what
every service gets in every stack it is checked in (value source and origin, or "absent"), why
that stack is checked (the default files, a layer, another base, a documented launcher) and
which code is the service's (the entrypoint that decided it, or why none was found), and every
read in code with what happens when it is missing or empty.  Values are never part of the
result — only whether a value is empty or still holds an unresolved reference.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from envlint.escape import terminal
from envlint.model import ValueSource, config_key

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from envlint.facts import SourceFacts
    from envlint.model import ComposeProject, EnvValue, Location, Service, Workspace
    from envlint.report import ServiceCode
    from envlint.servicecode.model import ServiceKey
    from envlint.sources.model import EnvRead

__all__ = ["Definition", "ReadTrace", "ServiceTrace", "VarTrace", "render_trace", "trace"]


@dataclass(frozen=True, slots=True)
class Definition:
    """A place that defines the variable."""

    # "inherited": a bare `KEY` line in a project env file, whose value Compose takes from the
    # environment it runs in (the shell, CI), which envlint does not read; "example-file": an
    # example read in place of an absent env file (a documented placeholder)
    kind: Literal[
        "env-file",
        "example-file",
        "inherited",
        "compose-environment",
        "dockerfile-env",
        "k8s-env",
        "k8s-configmap",
        "k8s-secret",
    ]
    location: Location
    project: str  # compose project directory
    service: str | None = None  # for compose environment / Dockerfile ENV
    empty: bool = False


@dataclass(frozen=True, slots=True)
class ServiceTrace:
    """What one service's container gets for the variable."""

    project: str
    service: str
    status: Literal["provided", "empty", "unresolved", "absent"]
    source: str | None = None  # ValueSource value ("env-file", "environment", "image"...)
    origin: Location | None = None
    passthrough: Location | None = None  # `- VAR` entry in environment:, if any
    active: bool = True
    stack: tuple[str, ...] = ()  # the compose files of the project (stack) it belongs to
    reads_it: bool = False  # the service's code (in this stack) reads the variable
    stack_name: str = ""  # ComposeProject.stack: the files, " + "-joined, with any --env-file
    stack_kind: str = "default"  # why the stack is checked (model.StackKind)
    launchers: tuple[str, ...] = ()  # the documented commands that start the stack
    code: ServiceCode | None = None  # which code is the service's, and what decided it


@dataclass(frozen=True, slots=True)
class ReadTrace:
    """One read in code, with the services whose source holds it."""

    location: Location
    api: str
    via: str | None
    missing: str
    on_empty: str
    expected_type: str
    has_default: bool
    crash_location: Location | None
    services: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class VarTrace:
    name: str
    definitions: tuple[Definition, ...]
    services: tuple[ServiceTrace, ...]
    reads: tuple[ReadTrace, ...]
    # declared external (provided at deploy time): where, e.g. "envlint.toml (DB_*)"
    external: str | None = None


def _service_trace(
    project: ComposeProject,
    service: Service,
    name: str,
    reads_it: bool,
    code: ServiceCode | None,
) -> ServiceTrace:
    value: EnvValue | None = service.provides(name)
    status: Literal["provided", "empty", "unresolved", "absent"] = "absent"
    if value is not None and value.source is ValueSource.RUNTIME:
        status = "provided"  # Docker sets it in every container
    elif value is not None:
        status = "unresolved" if value.unresolved else "empty" if value.value == "" else "provided"
    return ServiceTrace(
        project.directory,
        service.name,
        status,
        source=value.source.value if value is not None else None,
        origin=value.origin if value is not None else None,
        passthrough=next((p.location for p in service.passthroughs if p.name == name), None),
        active=service.active,
        stack=project.files,
        reads_it=reads_it,
        stack_name=project.stack,
        stack_kind="kubernetes" if project.platform == "kubernetes" else project.kind,
        launchers=tuple(launcher.name for launcher in project.launchers),
        code=code,
    )


def trace(
    ws: Workspace,
    sources: SourceFacts,
    name: str,
    external: str | None = None,
    code: Sequence[ServiceCode] = (),
) -> VarTrace:
    """Everything envlint knows about ``name`` in the workspace and the services' code (never
    its value).  ``external``: where the user declared it provided at deploy time; ``code``:
    per stack and service, the code taken as the service's (``engine.service_code``)."""
    definitions: list[Definition] = []
    services: list[ServiceTrace] = []
    reads, readers = _reads(sources, name)
    code_of = {(c.stack, c.service): c for c in code}
    for project in (*ws.projects, *(m.project for m in ws.kubernetes)):
        for env_file in project.all_env_files():
            for entry in env_file.entries:
                if entry.key == name:
                    definitions.append(
                        Definition(
                            "example-file" if env_file.role == "example" else "env-file",
                            entry.key_location,
                            project.directory,
                            empty=entry.value == "",
                        )
                    )
        for env_file in project.env_files:
            for inherited in env_file.inherited:
                if inherited.key == name and name not in project.environment:
                    definitions.append(
                        Definition("inherited", inherited.location, project.directory)
                    )
        for service in project.services:
            value = service.environment.get(name)
            if value is not None and value.source == ValueSource.ENVIRONMENT and value.origin:
                definitions.append(
                    Definition(
                        "compose-environment",
                        value.origin,
                        project.directory,
                        service.name,
                        empty=value.value == "",
                    )
                )
            if value is not None and value.source in _K8S_KINDS and value.origin:
                definitions.append(
                    Definition(
                        _K8S_KINDS[value.source],
                        value.origin,
                        project.directory,
                        service.name,
                        empty=value.value == "" and value.source is not ValueSource.K8S_SECRET,
                    )
                )
            image = service.image_env.get(name)
            if image is not None and image.origin is not None:
                definitions.append(
                    Definition(
                        "dockerfile-env",
                        image.origin,
                        project.directory,
                        service.name,
                        empty=image.value == "",
                    )
                )
            key = (project.directory, project.stack, service.name)
            found = code_of.get((project.stack, service.name))
            services.append(_service_trace(project, service, name, key in readers, found))
    unique = sorted(set(definitions), key=lambda d: (d.location, d.kind, d.service or ""))
    return VarTrace(name, tuple(unique), tuple(services), reads, external)


_K8S_KINDS: dict[ValueSource, Literal["k8s-env", "k8s-configmap", "k8s-secret"]] = {
    ValueSource.K8S_ENV: "k8s-env",
    ValueSource.K8S_CONFIG_MAP: "k8s-configmap",
    ValueSource.K8S_SECRET: "k8s-secret",
}


def _matcher(name: str) -> Callable[[EnvRead], bool]:
    """Whether a read reads ``name`` (a .NET configuration key matches its ``__`` form)."""
    key = config_key(name).casefold()

    def matches(read: EnvRead) -> bool:
        if read.is_pattern:
            return False
        if read.lookup != "env":
            return read.name.replace("__", ":").casefold() == key
        return read.name == name

    return matches


def _reads(sources: SourceFacts, name: str) -> tuple[tuple[ReadTrace, ...], set[ServiceKey]]:
    """The reads of ``name`` in code, and the services (per stack) whose code holds one."""
    matches = _matcher(name)
    owners: dict[EnvRead, dict[str, None]] = {}
    readers: set[ServiceKey] = set()
    for key, reads in sorted(sources.by_service.items()):
        for read in reads:
            if matches(read):
                owners.setdefault(read, {})[key[2]] = None  # once, whatever its stacks
                readers.add(key)
    out = []
    for read in sources.reads:
        if not matches(read):
            continue
        out.append(
            ReadTrace(
                location=read.location,
                api=read.api,
                via=read.via,
                missing=read.missing,
                on_empty=read.on_empty,
                expected_type=read.expected_type,
                has_default=read.default is not None,
                crash_location=read.crash_location,
                services=tuple(owners.get(read, {})),
            )
        )
    return tuple(out), readers


trace_variable = trace  # the name the CLI imports


def _loc(location: Location | None) -> str:
    return "-" if location is None else f"{location.path}:{location.line}"


def _jsonable(location: Location | None) -> dict[str, object] | None:
    if location is None:
        return None
    return {"path": location.path, "line": location.line, "column": location.column}


# why a stack is checked (model.StackKind), for people
_KINDS = {
    "default": "the default files",
    "layer": "a layer over the default stack",
    "base": "another complete version of the default file",
    "alone": "a complete file in a directory without a default file",
    "documented": "documented",
    "explicit": "named with -f or compose-files",
}


def _stack_text(s: ServiceTrace) -> str:
    if s.stack_kind == "kubernetes":
        return s.stack_name  # "overlay deploy/overlays/prod", "manifests k8s"
    why = _KINDS.get(s.stack_kind, s.stack_kind)
    if s.launchers:
        shown = ", ".join(s.launchers[:3])
        more = f" and {len(s.launchers) - 3} more" if len(s.launchers) > 3 else ""
        why = f"{why}: started by {shown}{more}" if s.stack_kind == "documented" else why
    return f"{s.stack_name or ' + '.join(s.stack)} ({why})"


def _code_text(code: ServiceCode | None) -> str:
    """Which code is the service's and what decided it, in one line ('' when not asked)."""
    if code is None:
        return ""
    how = " ".join(code.how.split())
    if code.by == "program":
        return f"{code.program}: {how} ({code.files} source files linked into it)"
    if code.by == "directory":
        return f"no program found ({how}); the {code.files} files below its directory read"
    return f"none read ({how})" if how else "none read"


def _code_json(code: ServiceCode | None) -> dict[str, object] | None:
    if code is None:
        return None
    return {"program": code.program, "read_by": code.by, "files": code.files, "how": code.how}


_INHERITED = "  [no value: taken from the environment docker compose runs in]"


def render_trace(result: VarTrace, fmt: str = "text") -> str:
    """``text`` (human) or ``json`` rendering of a trace."""
    if fmt == "json":
        doc = {
            "variable": result.name,
            "external": result.external,
            "definitions": [
                {"kind": d.kind, "location": _jsonable(d.location), "project": d.project,
                 "service": d.service, "empty": d.empty}
                for d in result.definitions
            ],
            "services": [
                {"project": s.project, "service": s.service, "status": s.status,
                 "source": s.source, "origin": _jsonable(s.origin),
                 "passthrough": _jsonable(s.passthrough), "active": s.active,
                 "stack": list(s.stack), "reads_it": s.reads_it,
                 "stack_name": s.stack_name, "stack_kind": s.stack_kind,
                 "launchers": list(s.launchers), "code": _code_json(s.code)}
                for s in result.services
            ],
            "reads": [
                {"location": _jsonable(r.location), "api": r.api, "via": r.via,
                 "missing": r.missing, "on_empty": r.on_empty, "type": r.expected_type,
                 "has_default": r.has_default, "crash": _jsonable(r.crash_location),
                 "services": list(r.services)}
                for r in result.reads
            ],
        }  # fmt: skip
        return json.dumps(doc, indent=2) + "\n"
    lines = [f"{result.name}", ""]
    if result.external is not None:
        lines += [f"external: provided at deploy time (declared in {result.external})", ""]
    lines += ["defined:"]
    lines += [
        f"  {_loc(d.location)}  {d.kind}{' (' + d.service + ')' if d.service else ''}"
        f"{'  [empty]' if d.empty else ''}"
        f"{_INHERITED if d.kind == 'inherited' else ''}"
        for d in result.definitions
    ] or ["  nowhere"]
    lines += ["", "services (only those that get it, pass it through or read it):"]
    groups: dict[tuple[object, ...], list[ServiceTrace]] = {}
    others: set[str] = set()
    for s in result.services:
        if s.status == "absent" and s.passthrough is None and not s.reads_it:
            others.add(s.service)
            continue
        key = (
            s.service, s.status, s.source, _loc(s.origin), _loc(s.passthrough), s.active,
            _code_text(s.code),
        )  # fmt: skip
        groups.setdefault(key, []).append(s)
    for (service, status, source, origin, through, active, code), members in groups.items():
        where = f" from {source} at {origin}" if source else ""
        if source == ValueSource.RUNTIME.value:
            where = " by the container runtime (Docker sets it in every container)"
        passed = f" (passed through at {through})" if through != "-" else ""
        inactive = " [inactive profile]" if not active else ""
        lines.append(f"  {service}: {status}{where}{passed}{inactive}")
        stacks = list(dict.fromkeys(_stack_text(m) for m in members))
        if len(stacks) == 1:
            lines.append(f"      in stack {stacks[0]}")
        else:
            lines.append(f"      in {len(stacks)} stacks:")
            lines += [f"        {stack}" for stack in stacks]
        if code:
            lines.append(f"      code: {code}")
    if not groups:
        lines.append("  none")
    others -= {str(key[0]) for key in groups}
    if others:
        lines.append(f"  ({len(others)} other services neither get nor read it)")
    lines += ["", "read in code:"]
    for r in result.reads:
        via = f" via {r.via}()" if r.via else ""
        crash = f", fails at {_loc(r.crash_location)}" if r.crash_location else ""
        lines.append(
            f"  {_loc(r.location)}  {r.api}{via}: missing -> {r.missing}, empty -> {r.on_empty}"
            f", type {r.expected_type}{crash}"
            f"  [{', '.join(sorted(set(r.services))) or 'no service'}]"
        )
    if not result.reads:
        lines.append("  nowhere")
    # names and paths come from the repository: no control sequence reaches the terminal
    return "".join(terminal(line) + "\n" for line in lines)
