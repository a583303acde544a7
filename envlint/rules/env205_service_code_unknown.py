"""ENV205 service-code-unknown: a service runs code built from this repository, but envlint
could not find which program it runs, so it cannot say which files are that service's code.

Fires for services with a build context (or an image the repository builds) whose entrypoint
envlint could not map to a program, or whose program's files it could not resolve.  The finding
says why, and what envlint did instead: read every file below the build context as the
service's code (the directory model), or nothing.  Never silence: a run that read none of a
service's code says so.  A build context that holds no source code at all (a Dockerfile and the
configuration of a third-party program: nginx, envoy, a broker) has no code to find: no finding;
but when the directory envlint falls back to holds no code while the context does (a wrapper
script's own directory), the finding says that none of the context's code is checked.
Nor has an image of a third-party program (``FROM nginx``, its command inherited or named by an
entry script) that holds no source of the repository: static files, configuration, or what an
earlier stage built from it (``Entrypoint.foreign``).  Nor has a service that only builds the
base image other services' Dockerfiles are built FROM and runs no command of its own
(``ServiceProgram.base_of``).  A container whose command only keeps it running
(``Entrypoint.idle``) or runs the repository's tests (``go test``, ``pytest``, ``npm test``:
``Entrypoint.tests``) gets a note of its own: no code is attributed to it.  A service behind a
profile the run does not select gets none: ENV201/203/204/109 check none of its code either.
"""

from __future__ import annotations

from collections.abc import Iterator

from envlint.filepass.languages import is_skipped, language_of
from envlint.findings import Severity, Violation
from envlint.model import Service, Workspace
from envlint.rules._base import Context, Rule
from envlint.rules._common import files_under
from envlint.servicecode.model import Entrypoint, ServiceProgram
from envlint.servicecode.repofiles import leaves

# Source code of languages envlint does not read (by extension): a context that holds only
# these still runs code from this repository, and the finding says that none of it is checked.
_OTHER_CODE = {
    ".c": "C", ".cc": "C++", ".cpp": "C++", ".cxx": "C++", ".scala": "Scala",
    ".swift": "Swift", ".dart": "Dart", ".lua": "Lua", ".ex": "Elixir", ".exs": "Elixir",
    ".erl": "Erlang", ".clj": "Clojure", ".hs": "Haskell", ".ml": "OCaml", ".pl": "Perl",
    ".zig": "Zig", ".nim": "Nim", ".cr": "Crystal", ".fs": "F#", ".vb": "Visual Basic",
}  # fmt: skip


def _code_in(ws: Workspace, directory: str) -> tuple[bool, str | None]:
    """Whether ``directory`` holds source envlint reads, else the other language it holds."""
    other: str | None = None
    for path in files_under(ws, directory):
        if language_of(path) is not None and not is_skipped(path):
            return True, None
        dot = path.rfind(".")
        if other is None and dot > path.rfind("/"):
            other = _OTHER_CODE.get(path[dot:].lower())
    return False, other


# a fallback limited to the languages its command runs (ServiceProgram.extensions), named by
# the first of its extensions in sort order
_LANGUAGES = {
    ".cjs": "JavaScript/TypeScript",
    ".py": "Python",
    ".rb": "Ruby",
    ".php": "PHP",
    ".java": "Java/Kotlin",
    ".cs": "C#",
    ".go": "Go",
    ".rs": "Rust",
    ".ex": "Elixir",
}


def check(ctx: Context) -> Iterator[Violation]:
    services = ctx.ws.by_key()
    for program in ctx.code.programs:
        found = services.get(program.key)
        if found is None or program.files is not None or program.context is None:
            continue  # the program was found, or the service runs nobody's code from here
        if program.entrypoint is not None and program.entrypoint.foreign:
            continue  # a third-party program in an image that holds none of the repository's code
        if program.base_of:
            continue  # it builds other services' base image and runs no command of its own
        project, service = found
        if not service.active:
            continue  # behind a profile this run does not select: no code rule checks it
        if program.entrypoint is not None and program.entrypoint.idle:
            if _code_in(ctx.ws, program.context) != (False, None):
                note = program.entrypoint.note
                yield _idle(note, program, project.describe(service), service)
            continue  # else no source code below the context: nothing to attribute
        if program.entrypoint is not None and program.entrypoint.tests is not None:
            runner = program.entrypoint.tests
            yield _tests(runner, program, project.describe(service), service)
            continue
        directory = program.fallback_dir or program.context
        outside = leaves(directory)
        readable, other = (False, None) if outside else _code_in(ctx.ws, directory)
        elsewhere = False  # the fallback directory holds no code, but the context does
        entry = program.entrypoint
        if (
            not readable
            and other is None
            and not outside
            and directory != program.context
            and (entry is None or entry.holds_code is not False)  # its image holds some
        ):
            elsewhere = _code_in(ctx.ws, program.context)[0]
        # code bind-mounted into the container from outside the directory checked
        code_mounts = [] if readable or outside or entry is None else _mounted(entry)
        if not readable and other is None and not outside and not elsewhere and not code_mounts:
            continue  # no source code at all below the context: nothing to find
        why = program.note.rstrip(".") or "its entrypoint could not be mapped to a program"
        hint = (
            f" (set [tool.envlint.services.{_key(service.name)}] source to the program's "
            "entry file, package or project)"
        )
        if outside:
            where = (
                ""
                if "outside the checked" in why
                else f"{directory} is outside the checked directory: "
            )
            done, hint = (
                f"{where}envlint checks none of its code (check from a directory that holds it)",
                "",
            )
        elif elsewhere:
            done = (
                f"envlint checks the files below {directory} as its code instead, which hold "
                f"none it reads: none of the code in {program.context} is checked"
            )
        elif not readable and other is not None:
            done, hint = (
                f"its code is {other}, which envlint does not read: none of it is checked",
                "",
            )
        elif code_mounts:  # none below the context, but some mounted from elsewhere
            done = (
                f"envlint checks none of its code: its code may be {_listed(code_mounts)}, which "
                "envlint does not check as this service's"
            )
        elif program.fallback_dir is not None:
            # said only where the mount narrowed the build context (not for `.:/app` on `.`)
            mounted = (
                entry is not None
                and entry.workdir == program.fallback_dir
                and program.fallback_dir != program.context
            )
            where = " (its working directory, mounted from the repository)" if mounted else ""
            which = _LANGUAGES.get(min(program.extensions), "") if program.extensions else ""
            files = f"the {which} files" if which else "every file"
            done = f"envlint checks {files} below {program.fallback_dir}{where} as its code instead"
        else:
            done = "envlint checks none of its code"
        yield Violation(
            location=service.location,
            message=(
                f"envlint could not find the program {project.describe(service)} runs: {why}; "
                f"{done}{hint}"
            ),
            service=service.name,
            stacks=(program.stack,),  # a layer's command can make it unknown in one stack
        )


def _mounted(entry: Entrypoint) -> list[str]:
    """The bind mounts of repository code, as said: "the bind mount of src at /app"."""
    return [
        f"the bind mount of {source} at {target}"
        + (" (its working directory)" if source == entry.workdir else "")
        for source, target in entry.mounted
    ]


def _listed(items: list[str]) -> str:
    if len(items) > 3:
        return f"{', '.join(items[:3])} or {len(items) - 3} other mounts"
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"


def _key(name: str) -> str:
    """The service's name as a TOML key (a Kubernetes workload's, "deploy/api", is quoted)."""
    return name if name.replace("-", "_").isidentifier() else f'"{name}"'


def _idle(note: str, program: ServiceProgram, who: str, service: Service) -> Violation:
    """The note for a container whose command only keeps it running (``Entrypoint.idle``,
    ``note`` its entrypoint's): none of the repository's code is attributed to it."""
    why = note.removeprefix(f"Service {service.name}: ").rstrip(".")
    return Violation(
        location=service.location,
        message=(
            f"{who} runs no program of its own: {why}; envlint attributes no code to it (a "
            "program started in the container by hand, as with `docker compose exec`, is not "
            f"checked: set [tool.envlint.services.{_key(service.name)}] source to check one)"
        ),
        service=service.name,
        stacks=(program.stack,),
    )


def _tests(runner: str, program: ServiceProgram, who: str, service: Service) -> Violation:
    """The note for a container that runs the repository's tests (``Entrypoint.tests``, the
    runner as said): none of the repository's code is attributed to it."""
    return Violation(
        location=service.location,
        message=(
            f"{who} runs the repository's tests ({runner}), which envlint does not check as a "
            "program: envlint attributes no code to it (set "
            f"[tool.envlint.services.{_key(service.name)}] source to check a program it runs)"
        ),
        service=service.name,
        stacks=(program.stack,),
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
