"""ENV205 service-code-unknown: a service runs code built from this repository, but envlint
could not find which program it runs, so it cannot say which files are that service's code.

Fires for services with a build context (or an image the repository builds) whose entrypoint
envlint could not map to a program, or whose program's files it could not resolve.  The finding
says why, and what envlint did instead: read every file below the build context as the
service's code (the directory model), or nothing.  Never silence: a run that read none of a
service's code says so.
"""

from __future__ import annotations

from collections.abc import Iterator

from envlint.findings import Severity, Violation
from envlint.rules._base import Context, Rule


def check(ctx: Context) -> Iterator[Violation]:
    services = {(p.directory, p.stack, s.name): s for p, s in ctx.ws.services()}
    for program in ctx.code.programs:
        service = services.get(program.key)
        if service is None or program.files is not None or program.context is None:
            continue  # the program was found, or the service runs nobody's code from here
        why = program.note.rstrip(".") or "its entrypoint could not be mapped to a program"
        if program.fallback_dir is not None:
            done = (
                f"envlint checks every file below {program.fallback_dir} as its code instead"
            )
        else:
            done = "envlint checks none of its code"
        yield Violation(
            location=service.location,
            message=(
                f"envlint could not find the program service {service.name} runs: {why}; "
                f"{done} (set [tool.envlint.services.{service.name}] source to the program's "
                "entry file, package or project)"
            ),
            service=service.name,
        )


RULE = Rule(
    code="ENV205",
    name="service-code-unknown",
    severity=Severity.INFO,
    summary="A service is built from this repository but envlint could not find the program it "
    "runs",
    check=check,
    needs=frozenset({"code"}),
)
