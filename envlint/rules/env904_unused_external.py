"""ENV904 unused-external: a name (or glob) declared ``external`` — provided at deploy time —
that nothing in the checked tree uses, so the list does not rot (like ENV902 for suppressions).

"Uses" are what the declaration silences: a ``${X}`` reference in a compose file or an env file
value, a pass-through entry, a build arg, a top-level secret/config ``environment:``, or a read
in a service's code (a read whose name is built at run time, ``KAFKA_*``, counts for a glob it
overlaps).  Keys that an env file defines are not uses: defining X is not needing it.
"""

from __future__ import annotations

import fnmatch
import os.path
from collections.abc import Iterator
from pathlib import Path

from envlint.findings import Severity, Violation
from envlint.model import Location
from envlint.rules._base import Context, Rule
from envlint.rules._common import env_files
from envlint.rules._options import External


def _used(ctx: Context) -> tuple[set[str], list[str]]:
    names: set[str] = set()
    for project in ctx.ws.projects:
        names.update(ref.name for ref in project.refs)
        names.update(entry.name for entry in project.resource_env)
        for service in project.services:
            names.update(p.name for p in service.passthroughs)
            names.update(a.name for a in service.build_args)
    for env_file in env_files(ctx.ws):
        names.update(ref.name for ref in env_file.refs)
    patterns: list[str] = []
    for read in ctx.sources.reads:
        if read.is_pattern:
            patterns.append(read.name)
        else:
            names.add(read.name)
    return names, patterns


def _matches(pattern: str, names: set[str], read_patterns: list[str]) -> bool:
    if any(fnmatch.fnmatchcase(name, pattern) for name in names):
        return True
    # a read built at run time ("KAFKA_" + x -> "KAFKA_*") overlaps the glob either way
    return any(
        fnmatch.fnmatchcase(read, pattern) or fnmatch.fnmatchcase(pattern, read)
        for read in read_patterns
    )


def check(ctx: Context) -> Iterator[Violation]:
    options = External.of(ctx.settings)
    if not options.patterns:
        return
    names, read_patterns = _used(ctx)
    for pattern, where in options.patterns:
        if _matches(pattern, names, read_patterns):
            continue
        if where == "--external":
            declared = "on the command line (--external)"
        else:
            declared = "in " + _relative(where, str(ctx.ws.root))
        yield Violation(
            location=_location(where, str(ctx.ws.root), ctx.settings.external_line),
            message=(
                f"{pattern} is declared external {declared}, but no compose file, env file "
                "value or service code uses it: remove it from the list"
            ),
            variable=pattern,
            key=f"external:{pattern}",
        )


def _relative(path: str, root: str) -> str:
    return os.path.relpath(Path(path).resolve(), root).replace(os.sep, "/")


def _location(where: str, root: str, line: int) -> Location:
    if where == "--external":
        return Location(".")
    return Location(_relative(where, root), line)


RULE = Rule(
    code="ENV904",
    name="unused-external",
    severity=Severity.INFO,
    summary="A variable declared external (provided at deploy time) that nothing uses",
    check=check,
    needs=frozenset({"sources"}),
    options=External,
)
