"""ENV109 missing-from-example: the repository keeps ``.env`` out of git and documents the
environment in an example file (``.env.example``…), but a variable the stack needs is not in it.

"Needs" means: compose interpolates it without a default (``${X}``, ``${X:?}``), a build arg
passes it through, a service passes it through (``- X``, ``X:``) and its code fails without it,
or a service's code fails without it (ENV201's reads) and the variable would reach that service
through the example's file (a pass-through, or an ``env_file`` the example stands in for).  A
pass-through is optional by construction (unset, the container lacks the variable): when the
service's code is known and reads it only with a default (or as empty), nothing needs it; when
envlint cannot judge that code (not read, no read of it found, a read it cannot judge) the
message says only what is known: the service passes it through when it is set.  For ``K: ${X}``,
X unset leaves K empty: when every read of K takes a default on "", nothing needs X; when the
code traced from the service's program fails no read of K on "" (one keeps it, or none reads
it), the need is not established: the service *gets* X, said in its own clause, and a finding
about such services alone is a note.  The message
says when that code fails as ENV201 says it (``_timing``: at start, when a named function
runs, or not known), never more.  One finding
per (example, variable), on the example file, naming who needs it; every use is a related
location.  ENV101/ENV102/ENV103/ENV201 stay quiet for these variables: the value is the
deployment's to give, the key is the example's to document.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from envlint.findings import Fix, Related, Severity, Violation
from envlint.model import SESSION_ENV, ComposeProject, Location, Service, VarRef, Workspace
from envlint.rules._base import Context, Rule
from envlint.rules._common import (
    inherited_keys,
    name_services,
    stray_dollar,
    stray_dollar_violation,
)
from envlint.rules._documented import carrier, example_file
from envlint.rules._fixes import add_key, committed, documented_default
from envlint.rules._timing import timing, without

if TYPE_CHECKING:
    from envlint.servicecode.model import ServiceProgram
    from envlint.sources.model import EnvRead

_NAMED = 3  # services named in a message before "and N more"


@dataclass
class _Need:
    services: set[str] = field(default_factory=set)
    uses: dict[Location, str] = field(default_factory=dict)  # location -> what it is
    how: dict[str, None] = field(default_factory=dict)  # ways it is needed, in order
    default: tuple[str, str] | None = None  # a library's documented default, and its source
    # something needs it for certain (compose, or code on the start-up path); False: only code
    # that fails when it runs, and envlint cannot tell that it runs
    certain: bool = False
    # services that only pass it through (``X:`` / ``- X``, optional by construction: the
    # container lacks it when it is unset) whose code envlint could not judge -> why not
    passed: dict[str, str] = field(default_factory=dict)
    code: bool = False  # some service's code fails without it (ENV201's reads)
    # some of that code is not only in a branch of start-up code whose condition envlint does
    # not evaluate (``Timing`` "branch"): with only such reads the finding is a note
    unguarded: bool = False
    # services with ``K: ${X}`` whose traced code fails no read of K on "" (one keeps it, or
    # none reads it) -> what compose and the code do: that they need X is not established
    empty: dict[str, str] = field(default_factory=dict)


def _refs(project: ComposeProject) -> Iterator[VarRef]:
    yield from project.refs
    for env_file in project.env_files:
        yield from env_file.refs


def _needs(ctx: Context, strays: dict[Location, None]) -> dict[tuple[str, str], _Need]:
    """What each example lacks; ``strays`` collects the ``$`` of the examples' own values
    that read as a variable name (:func:`~envlint.rules._common.stray_dollar`)."""
    needs: dict[tuple[str, str], _Need] = {}

    def need(example: str, name: str) -> _Need:
        return needs.setdefault((example, name), _Need())

    for project in ctx.ws.projects:
        example = project.documented_by
        if example is None:
            continue
        declared = inherited_keys(project)  # a bare `KEY` line in the example documents KEY
        for ref in _refs(project):
            if ref.is_set or ref.operator not in ("", "?", ":?") or ref.name in declared:
                continue
            if ref.name in SESSION_ENV:
                continue
            if stray_dollar(ref):  # `$` in the example's own value: no key to add
                strays.setdefault(ref.location)
                continue
            empty = _on_empty(ctx, project, ref) if not ref.operator else None
            if empty == "default":
                continue  # `K: ${X}` gives K "", and the code takes a default for ""
            entry = need(example, ref.name)
            entry.uses[ref.location] = f"compose interpolates ${{{ref.name}}} here"
            if empty is not None and ref.service:  # K "" fails no read: what then is unknown
                entry.empty[ref.service] = (_EMPTY + _EMPTY_READ[empty]).format(key=_key(ref))
                continue
            entry.certain = True
            entry.how["compose interpolates it"] = None
            if ref.operator:
                entry.how["docker compose refuses to start without it"] = None
            if ref.service:
                entry.services.add(ref.service)
        for resource in project.resource_env:  # secrets.X.environment: NAME
            if resource.resolved or resource.name in declared:
                continue
            entry = need(example, resource.name)
            entry.certain = True
            entry.how["a top-level secret or config takes its content from it"] = None
            entry.how["docker compose refuses to start without it"] = None
            entry.uses[resource.location] = "a secret or config reads it here"
        for service in project.services:
            entries = [(p, False) for p in service.passthroughs]
            entries += [(arg, True) for arg in service.build_args]
            for passthrough, build_arg in entries:
                if passthrough.resolved or passthrough.name in declared:
                    continue
                if passthrough.name in SESSION_ENV:
                    continue  # the shell that runs compose has it (HOME, USER, USERPROFILE...)
                known = None  # a build arg: the Dockerfile's code is not judged here
                if not build_arg:
                    known = _passthrough_known(ctx, project, service, passthrough.name)
                    if known == "optional":
                        continue  # the code reads it with a default: nothing needs it
                entry = need(example, passthrough.name)
                entry.services.add(service.name)
                if known in (None, "required"):
                    entry.certain = True
                    where = "to its image build" if build_arg else "to the container"
                    entry.how[f"passed through {where}"] = None
                    entry.uses[passthrough.location] = (
                        f"service {service.name} passes it through"
                        + (" to its image build" if build_arg else "")
                    )
                    continue
                # only what is known: compose passes it when it is set, nothing says more
                entry.passed[service.name] = known
                entry.uses[passthrough.location] = (
                    f"service {service.name} passes it through when it is set"
                )
    for project, service in ctx.ws.services():
        if not service.active:
            continue
        for read in ctx.sources.of(project, service):
            if read.missing != "crash" or read.is_pattern:
                continue
            if service.provides(read.name, read.lookup) is not None:
                continue
            example = carrier(project, service, read.name, read.lookup)
            if example is None:
                continue  # no example would carry it: ENV201 reports it
            found = example_file(ctx.ws, example)
            if found is not None and read.name in {k.key for k in found.inherited}:
                continue  # a bare `KEY` line documents it
            when = timing(ctx, project, service, read)  # as ENV201 says it, never more
            if when.harmless:
                continue  # every call of the function catches what it throws, or none is made
            entry = need(example, read.name)
            entry.services.add(service.name)
            entry.code = True
            entry.certain = entry.certain or when.kind == "startup"
            entry.unguarded = entry.unguarded or when.kind != "branch"
            entry.how[when.fails("the code", without(read, "it")) + when.caveat] = None
            if entry.default is None:
                entry.default = documented_default(ctx.kafka_clients, project, service, read.name)
            entry.uses[read.location] = when.fails(f"service {service.name}", without(read, "it"))
    return needs


_UNJUDGED = {  # why envlint cannot judge a pass-through from the code -> the phrase
    "unread": "envlint does not know the code of {who}",
    "no-read": "envlint found no read of it in the code of {who}",
    "unclear": "envlint could not tell what the code of {who} does without it",
}


_EMPTY = "compose interpolates it into {key} without a default: unset, compose warns and {key} is "
_EMPTY_READ = {  # what the service's code does with the empty value -> the rest of the phrase
    "keeps": "empty in the container, and no read of {key} in the code fails on an empty value",
    "no-read": "empty in the container, and envlint found no read of {key} in the code",
}


def _key(ref: VarRef) -> str:
    """The container variable a service's ``environment:`` reference ``ref`` is the value of."""
    return ref.context.removeprefix(f"services.{ref.service}.environment.")


def _on_empty(ctx: Context, project: ComposeProject, ref: VarRef) -> str | None:
    """What the service's code does when ``ref`` unset makes a container variable empty: the
    whole value of ``environment: K`` is made of references that are unset (``K: ${X}`` gives
    K ""), and the service's code is known: traced from its program, not a directory standing
    in for a command envlint could not follow, such as a base image's ``postgres``, which may
    need K whatever the directory's code does (a seed.py beside its Dockerfile that reads
    ``os.getenv("POSTGRES_PASSWORD") or "x"`` says nothing of what postgres needs).
    "default": every read of K takes a default on "" (``process.env.K || "d"``); "keeps": no
    read fails on "", but one keeps it (a token passed on empty may fail later, or not);
    "no-read": envlint found no read of K (a library may read it, or nothing does); in both the
    need is not established.
    None: a read fails on "", or envlint cannot tell (the key is needed)."""
    service = project.service(ref.service) if ref.service else None
    if service is None or not ref.context.startswith(f"services.{ref.service}.environment."):
        return None
    key = _key(ref)
    value = service.environment.get(key)
    if value is None or value.value != "":
        return None
    reads, program = _reads_of(ctx, project, service, key)
    if program is None or program.files is None:
        return None
    if reads and all(r.on_empty == "default" for r in reads):
        return "default"
    if not reads:
        return "no-read"
    return "keeps" if all(r.on_empty in ("default", "empty") for r in reads) else None


def _passthrough_known(ctx: Context, project: ComposeProject, service: Service, name: str) -> str:
    """What the code of ``service`` does without the pass-through ``name``: "required" (a
    read fails without it: ENV201's reads), "optional" (the code is known and every read of it
    has a default or takes the absence as empty), else why envlint cannot tell (a key of
    :data:`_UNJUDGED`)."""
    reads, program = _reads_of(ctx, project, service, name)
    if any(r.missing == "crash" for r in reads):
        return "required"
    if program is None or (program.files is None and program.fallback_dir is None):
        return "unread"  # envlint knows none of its code: no files, no directory for them
    if not reads:
        return "no-read"
    if all(r.missing in ("default", "empty") for r in reads):
        return "optional"
    return "unclear"


def _reads_of(
    ctx: Context, project: ComposeProject, service: Service, name: str
) -> tuple[list[EnvRead], ServiceProgram | None]:
    """The reads of ``name`` (not patterns) in the code of ``service``, and its program (None:
    envlint knows none of its code)."""
    reads = [r for r in ctx.sources.of(project, service) if r.name == name and not r.is_pattern]
    return reads, ctx.code.program((project.directory, project.stack, service.name))


def check(ctx: Context) -> Iterator[Violation]:
    strays: dict[Location, None] = {}
    for (example, name), entry in sorted(_needs(ctx, strays).items()):
        violation = _violation(ctx.ws, example, name, entry)
        if committed(ctx.ws, example):
            violation = replace(violation, fix=_fix(example, name, entry))
        yield violation
    for location in strays:
        yield stray_dollar_violation(location, "once the file is copied to the env file")


def _fix(example: str, name: str, entry: _Need) -> Fix:
    """Add the key to the example: empty, or the library's documented default."""
    services = sorted(entry.services or entry.empty)
    who = name_services(services) if services else "the compose file"
    first = min(entry.uses)
    what = "needed by" if entry.certain or entry.code else "passed through by"
    if _only_empty(entry):
        what = "interpolated for"
    comment = f"{name}: {what} {who} ({first.path}:{first.line})"
    value = ""
    if entry.default is not None:
        value, source = entry.default
        comment += f"; {value} = the {source}"
    return add_key(example, name, value, comment)


def _only_empty(entry: _Need) -> bool:
    """Whether the key's only uses are values compose leaves empty that no read fails on."""
    return not entry.services and not entry.how and not entry.passed


def _violation(ws: Workspace, example: str, name: str, entry: _Need) -> Violation:
    # services that only get an empty value no read fails on: their own clause, unless they
    # are all the finding is about
    empty = {s: why for s, why in entry.empty.items() if s not in entry.services}
    services, how = sorted(entry.services), dict(entry.how)
    if only := _only_empty(entry):
        services, how, empty = sorted(empty), dict.fromkeys(empty.values()), {}
    who = ", ".join(services[:_NAMED])
    if len(services) > _NAMED:
        who += f" and {len(services) - _NAMED} more"
    needed_by = f"service{'s' if len(services) > 1 else ''} {who}" if services else "the stack"
    verb = "need" if len(services) > 1 else "needs"
    if only:
        verb = "get" if len(services) > 1 else "gets"
    elif not entry.certain and entry.code:  # only code that may never run fails without it
        verb = "read" if len(services) > 1 else "reads"
    elif not entry.certain:  # only pass-throughs of code envlint could not judge: say that
        verb = "pass" if len(services) > 1 else "passes"
    through = " through" if verb.startswith("pass") else ""
    if entry.passed:
        how["compose passes it to the container only when it is set"] = None
        for why, phrase in _UNJUDGED.items():
            unjudged = sorted(s for s, reason in entry.passed.items() if reason == why)
            if unjudged:
                how[phrase.format(who=name_services(unjudged))] = None
    also = ""
    if empty:
        gets = "gets" if len(empty) == 1 else "get"
        reasons = "; ".join(dict.fromkeys(empty.values()))
        also = f"; {name_services(sorted(empty))} {gets} it too ({reasons})"
    return Violation(
        location=_anchor(ws, example),
        message=(
            f"{name} is missing from {example}, which documents the environment in place of "
            f"the absent env file; {needed_by} {verb} it{through} "
            f"({'; '.join(how)}){also}: add the key "
            "(envlint fix does)"
        ),
        service=services[0] if len(services) == 1 and not empty else None,
        variable=name,
        related=tuple(Related(loc, what) for loc, what in sorted(entry.uses.items())),
        # only pass-throughs of code envlint could not judge: that anything needs the key is
        # not established, only that the example does not document it
        # (or only reads in branches whose conditions envlint does not evaluate)
        # or only values left empty that no read fails on
        severity=None if entry.certain or (entry.code and entry.unguarded) else Severity.INFO,
    )


def _anchor(ws: Workspace, example: str) -> Location:
    """Where a finding about the example file as a whole sits: its first entry."""
    found = example_file(ws, example)
    if found is not None and found.entries:
        first = found.entries[0].key_location
        return Location(example, first.line, first.column, first.end_line, first.end_column)
    return Location(example)


RULE = Rule(
    code="ENV109",
    name="missing-from-example",
    severity=Severity.WARNING,
    summary="A variable the stack needs is missing from the example file that documents .env",
    check=check,
    needs=frozenset({"sources", "code", "kafka-clients", "startup"}),
    quiet_for_external=True,
)
