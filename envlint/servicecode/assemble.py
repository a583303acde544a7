"""Assemble the service-code model for a workspace: the pipeline's two ``code`` steps.

:func:`plan` runs before the source pass: each service's entrypoint (compose command, the
Dockerfile's CMD/ENTRYPOINT, an image built elsewhere in the repository, a configured source)
and the directories its code can live in, which bound what the pass parses.  :func:`link` runs
after it: the files linked into each program, from the import facts of the one parse.  A
service whose program is unknown keeps today's model — every file below its build context (or
configured source), minus folders a build never ships — and says why in its ``note``.
"""

from __future__ import annotations

import posixpath
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import replace
from types import MappingProxyType
from typing import TYPE_CHECKING

from envlint.servicecode.base_images import BaseImages, build_args, stack_bases
from envlint.servicecode.entry_shell import parse_shell
from envlint.servicecode.entrypoints import find_entrypoint
from envlint.servicecode.model import CodeMap, ServiceProgram
from envlint.servicecode.provenance import (
    ImageBuilds,
    image_candidates,
    resolve_image,
)
from envlint.servicecode.repofiles import RepoFiles

if TYPE_CHECKING:
    from envlint.config import Settings
    from envlint.model import Location, Problem, Service, Workspace
    from envlint.servicecode.functions import FileFunctions
    from envlint.servicecode.imports import FileImports
    from envlint.servicecode.model import Entrypoint, ImageBuild, ServiceKey
    from envlint.servicecode.startup import StartupMap
    from envlint.sources.model import EnvRead

__all__ = ["link", "plan", "startup_maps"]


def plan(
    ws: Workspace, settings: Settings, builds: ImageBuilds | None = None
) -> tuple[CodeMap, tuple[Problem, ...]]:
    """Every service's entrypoint and the directories its code can live in (no files yet)."""
    repo = RepoFiles(ws.root)
    shared = builds or ImageBuilds(ws)
    provenance = shared.get()
    programs: list[ServiceProgram] = []
    bases: dict[tuple[str, ...], BaseImages] = {}
    for project, service in ws.services():
        files = (*project.files, *project.included_files)
        if files not in bases:
            bases[files] = stack_bases(shared, project, repo)
        builds_seen = bases[files].builds
        entry = find_entrypoint(
            service,
            ws.root,
            project_dir=project.directory,
            builds=builds_seen,
            sources=settings.service_sources,
            repo=repo,
            bases=bases[files],
        )
        context = _context(service, builds_seen)
        note = "" if entry.program is not None else entry.note
        runs = None if entry.program is not None else _runtime(entry.argv)
        programs.append(
            ServiceProgram(
                project_dir=project.directory,
                service=service.name,
                entrypoint=entry,
                files=None,
                # a third-party image holding no source of the repository runs none of its
                # code, nor does a container that only idles or runs the repository's tests
                fallback_dir=None
                if entry.foreign or entry.idle or entry.tests
                else _fallback(service, _source(service, context, builds_seen), entry, repo),
                note=note,
                context=_scope(context, entry.program.target if entry.program else None),
                stack=project.stack,
                extensions=runs,
            )
        )
    return CodeMap(tuple(_base_builders(ws, programs, bases))), provenance.problems


def link(
    ws: Workspace, planned: CodeMap, imports: Mapping[str, FileImports]
) -> CodeMap:
    """The files linked into each program with an entrypoint (see the module doc)."""
    from envlint.servicecode.graph import program_files

    out: list[ServiceProgram] = []
    memo: dict[object, tuple[frozenset[str], str, tuple[str, ...]]] = {}
    for program in planned.programs:
        entry = program.entrypoint
        ref = entry.program if entry is not None else None
        if entry is None or ref is None:
            out.append(program)
            continue
        key = (ref.kind, ref.target, ref.language, ref.settings_env, ref.settings_flag, ref.served)
        if key not in memo:
            found = program_files(ws.root, ref, ws.files, imports)
            note = "; ".join(found.notes) if not found.complete else ""
            memo[key] = (found.files, note, found.linked)
        files, note, linked = memo[key]
        if not files:  # the program's files are not known: keep the directory model
            why = note or f"no source files found for {ref.target}"
            out.append(replace(program, note=why))
            continue
        if linked:  # what was linked by name: said where the program's ``how`` is shown
            how = "; ".join((ref.how, *linked)) if ref.how else "; ".join(linked)
            entry = replace(entry, program=replace(ref, how=how))
        out.append(replace(program, entrypoint=entry, files=files, fallback_dir=None, note=note))
    return CodeMap(tuple(out))


def _base_builders(
    ws: Workspace,
    programs: Sequence[ServiceProgram],
    bases: Mapping[tuple[str, ...], BaseImages],
) -> list[ServiceProgram]:
    """``programs`` (one per service of ``ws``, in order), each service that runs no command of
    its own (neither compose nor its Dockerfiles give one: the external base image's) but
    builds the image another service's Dockerfile is built FROM (linked to the service's build,
    :mod:`envlint.servicecode.base_images`) marked :attr:`ServiceProgram.base_of`: a base
    image, whose build context is no program's code."""
    pairs = ws.services()
    owners: dict[tuple[str, str, Location], int] = {}  # (directory, stack, where built) -> index
    for index, ((project, service), program) in enumerate(zip(pairs, programs, strict=True)):
        entry = program.entrypoint
        inherited = entry is not None and entry.origin == "none" and not entry.argv
        if inherited and entry is not None and entry.program is None and service.dockerfile:
            owners[(project.directory, project.stack, service.location)] = index
    users: dict[int, list[str]] = {}
    for project, service in pairs if owners else ():
        path = service.dockerfile
        linking = bases[(*project.files, *project.included_files)]
        text = linking.repo.read_text(path) if path is not None else None
        if path is None or text is None:
            continue
        args = build_args(service.raw.get("build"))
        for linked in linking.parse(text, path, args).bases:
            owner = owners.get((project.directory, project.stack, linked.origin))
            if owner is not None and service.name != programs[owner].service:
                names = users.setdefault(owner, [])
                if service.name not in names:
                    names.append(service.name)
    out = list(programs)
    for owner, names in users.items():
        program = out[owner]
        which = f"service {names[0]}" if len(names) == 1 else f"services {', '.join(names)}"
        note = f"{program.note.rstrip('.')}; it builds the base image of {which}."
        out[owner] = replace(program, base_of=tuple(names), fallback_dir=None, note=note)
    return out


def _context(service: Service, builds: Sequence[ImageBuild]) -> str | None:
    """The service's build context, or that of the repository build behind its image."""
    if service.build_context is not None:
        return service.build_context
    if service.image and not service.raw.get("build"):
        found = resolve_image(service, builds)
        if found is not None:
            return found.context
        # built from one of several Dockerfiles: their common context, when they share one
        contexts = {b.context for b in image_candidates(service, builds)}
        if len(contexts) == 1:
            return contexts.pop()
    return None


def _source(service: Service, context: str | None, builds: Sequence[ImageBuild]) -> str | None:
    """Where the code of a service without a known program is taken to be: for an image the
    repository builds, what compose takes for a ``build:`` (the Dockerfile's directory when it
    lies below the context, else the context).  Several Dockerfiles that run different
    programs give nothing: their common context would be a guess (otel-demo builds every image
    from the repository root; each workload got every other service's reads)."""
    if service.build_context is not None or not service.image or service.raw.get("build"):
        return context
    found = resolve_image(service, builds)
    if found is None:
        return None
    if found.dockerfile is not None:
        parent = posixpath.dirname(found.dockerfile) or "."
        inside = found.context in (".", "") or parent.startswith(found.context.rstrip("/") + "/")
        if parent != found.context and inside:
            return parent
    return found.context


def _fallback(
    service: Service, context: str | None, entry: Entrypoint, repo: RepoFiles
) -> str | None:
    """Where the code is taken to be when no program is known: the source directory (the
    build context, or the Dockerfile's directory below it), or the repository directory
    bind-mounted at the container's working directory when it lies inside that one
    (``./:/workspace`` with ``working_dir: /workspace/services/api`` runs the code of
    ``services/api``, not of the whole monorepo), none for a service that had none.  A
    Dockerfile's directory that holds no source code (``ci/``, ``docker/``) is not the code's:
    the directory of the code the image copies from its context is, else the mounted one when
    it lies inside the context and the command names its language (otwarchive: ``context:
    .``, ``config/docker/Dockerfile``, ``.:/otwa``, ``bundle exec rails s``: the Ruby files of
    ``.``).  Not a wider one (Sail builds a runtime from ``docker/8.3`` and mounts ``.``), nor
    for a command of no known language (``make run-backend``): in a repository of several
    programs the whole of it is not one service's code (ENV205 names the mount instead)."""
    if entry.program is not None:
        return service.source_dir
    if len(entry.argv) == 1 and _base_name(entry.argv[0]) in _INTERACTIVE:
        return None  # `python3`, `node`, `bash` alone: a prompt, no file of the repository
    base = service.source_dir if service.source_dir is not None else context
    copied = entry.copied
    if (
        base is not None
        and copied is not None
        and entry.origin != "config"
        and base != copied
        and repo.holds_code(base) is False
    ):
        base = copied
    mounted = entry.workdir
    if mounted is None or base is None:
        return base
    if _inside(mounted, base):
        return mounted
    # the image's own directory holds no code: the mount at the working directory replaces
    # what the image holds there, so its code is the service's (not for a configured source)
    if (
        entry.origin != "config"
        and context is not None
        and _inside(mounted, context)
        and _runtime(entry.argv) is not None
        and repo.holds_code(base) is False
        and repo.holds_code(mounted)
    ):
        return mounted
    return base


# What a container command runs, by the program's name: the extensions of its languages.
_JS = frozenset({".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx"})
_RUNTIMES: dict[str, frozenset[str]] = {
    **dict.fromkeys(
        ("node", "nodejs", "npm", "npx", "yarn", "pnpm", "bun", "bunx", "deno", "ts-node",
         "tsx", "nodemon", "pm2", "pm2-runtime", "next", "nest", "vite", "mocha", "jest"),
        _JS,
    ),
    **dict.fromkeys(
        ("python", "python3", "pip", "pip3", "uv", "poetry", "gunicorn", "uvicorn", "hypercorn",
         "daphne", "celery", "flask", "django-admin", "pytest", "fastapi"),
        frozenset({".py"}),
    ),
    **dict.fromkeys(
        ("ruby", "bundle", "bundler", "rails", "rake", "puma", "sidekiq", "unicorn"),
        frozenset({".rb"}),
    ),
    **dict.fromkeys(("php", "php-fpm", "composer"), frozenset({".php"})),
    **dict.fromkeys(
        ("java", "mvn", "mvnw", "gradle", "gradlew"), frozenset({".java", ".kt", ".kts"})
    ),
    "dotnet": frozenset({".cs"}),
    "go": frozenset({".go"}),
    "cargo": frozenset({".rs"}),
    **dict.fromkeys(("elixir", "mix", "iex"), frozenset({".ex", ".exs"})),
}  # fmt: skip
# interpreters and shells that, named alone, read commands from the terminal
_INTERACTIVE = frozenset(
    {"python", "python3", "node", "nodejs", "irb", "bash", "sh", "ash", "dash", "zsh", "jshell"}
)


def _base_name(word: str) -> str:
    """A program's name without its directory and a Python version (``python3.12``)."""
    name = posixpath.basename(word)
    return "python3" if name.startswith("python3.") else name


def _runtime(argv: Sequence[str]) -> frozenset[str] | None:
    """The extensions of the languages ``argv`` runs (through ``sh -c "..."``: its first
    command a runtime is known for); None when not known."""
    if len(argv) >= 3 and _base_name(argv[0]) in ("sh", "bash", "ash", "dash") and argv[1] == "-c":
        for command in parse_shell(argv[2]):
            words = command.argv
            if words and (found := _RUNTIMES.get(_base_name(words[0]))) is not None:
                return found
        return None
    return _RUNTIMES.get(_base_name(argv[0])) if argv else None


def _inside(path: str, directory: str) -> bool:
    directory = directory.strip("/")
    return directory in ("", ".") or path == directory or path.startswith(directory + "/")


def _scope(context: str | None, target: str | None) -> str | None:
    """The directory every file of the program lies below (the build context; a program
    outside it, e.g. bind-mounted code, widens it to the common directory)."""
    if target is None:
        return context
    where = target if "." not in posixpath.basename(target) else posixpath.dirname(target)
    where = where.strip("/") or "."
    if context is None:
        return where
    base = context.strip("/") or "."
    if base == "." or where == base or where.startswith(base + "/"):
        return base
    if where == ".":
        return "."
    return posixpath.commonpath([base, where]) or "."


def startup_maps(
    ws: Workspace,
    code: CodeMap,
    reads_of: Mapping[ServiceKey, Sequence[EnvRead]],
    functions: Mapping[str, FileFunctions],
) -> Mapping[ServiceKey, StartupMap]:
    """For each service whose program holds a read the service may fail on (missing, empty or
    an unparsable value in its environment): what runs at start-up in that program, from the
    function facts of those programs' files (``functions``, by path)."""
    from envlint.servicecode.startup import StartupMap

    maps: dict[tuple[object, ...], StartupMap] = {}
    out: dict[ServiceKey, StartupMap] = {}
    for program, files in startup_programs(ws, code, reads_of):
        # `if __name__ == "__main__":` is an entry only in the file run as __main__; none is
        # for an imported program (uvicorn, celery) or a directory standing for unknown code
        # a directory standing for unknown code: which of its modules run is not known
        fallback = program.files is None
        # a program whose files were all found is whole (its ``note`` says what was not)
        whole = not fallback and not program.note
        ref = program.entrypoint.program if program.entrypoint is not None else None
        root = ref.module_root if ref is not None else None
        starts = (ref.starts,) if ref is not None and ref.starts else ()
        key = (files, program.main, fallback, whole, root, starts)
        if key not in maps:
            known = {p: f for p in files if (f := functions.get(p)) is not None}
            mains = () if program.main is None else (program.main,)
            maps[key] = StartupMap.build(
                known,
                files,
                main_files=mains,
                entry_names=starts,
                module_tops=not fallback,
                whole=whole,
                module_root=root,
            )
        out[program.key] = maps[key]
    return MappingProxyType(out)


def startup_programs(
    ws: Workspace, code: CodeMap, reads_of: Mapping[ServiceKey, Sequence[EnvRead]]
) -> list[tuple[ServiceProgram, frozenset[str]]]:
    """The programs (with their files) of services that hold a read the service may fail on:
    the only ones whose start-up path a rule asks about."""
    services = {key: s for key, (_, s) in ws.by_key().items()}
    shared = _shared_directories(code)
    out: list[tuple[ServiceProgram, frozenset[str]]] = []
    for program in code.programs:
        service = services.get(program.key)
        if service is None:
            continue
        if not any(_may_fail(service, read) for read in reads_of.get(program.key, ())):
            continue
        files = program.files
        if files is None:
            # no program known: its directory stands for it, unless another service runs
            # code from the same directory (then no read can be placed on its start-up path)
            if program.fallback_dir is None or program.fallback_dir in shared:
                continue
            files = frozenset(code.files_below(program.fallback_dir, ws.files, program.others))
        out.append((program, files))
    return out


def _code_of(program: ServiceProgram) -> tuple[object, ...]:
    """What tells the code of ``program`` (no files known) from another's: its build context
    and the command it runs, when both are known; else the service itself."""
    entry = program.entrypoint
    if entry is None or not entry.argv or program.context is None:
        return program.key
    return (program.context, entry.argv)


def _shared_directories(code: CodeMap) -> frozenset[str]:
    """Fallback directories that hold (or lie inside) another service's code directory: the
    same directory, an ancestor or a descendant of it, or the root, of a service with another
    key (looked up by directory, not by comparing every pair: 1,000 services made a million).
    Services that run the same command from the same build context run the same code (the app
    of a stack and its copy in a test stack): they count as one."""
    dirs = [
        (_code_of(p), (p.fallback_dir or "").strip("/")) for p in code.programs if p.files is None
    ]
    keys_of: dict[str, set[tuple[object, ...]]] = {}
    for key, directory in dirs:
        if directory:
            keys_of.setdefault(directory, set()).add(key)
    every = {key for key, directory in dirs if directory}
    ordered = sorted(keys_of)

    def other(directory: str, key: tuple[object, ...]) -> bool:  # a service but ``key`` has it
        found = keys_of.get(directory)
        return found is not None and bool(found - {key})

    out: set[str] = set()
    for key, directory in dirs:
        if not directory or directory in out:
            continue
        related = [directory, "."]
        at = directory.find("/")
        while at >= 0:  # its ancestors
            related.append(directory[:at])
            at = directory.find("/", at + 1)
        below = directory + "/"
        for index in range(bisect_left(ordered, below), len(ordered)):  # its descendants
            if not ordered[index].startswith(below):
                break
            related.append(ordered[index])
        if (directory == "." and bool(every - {key})) or any(other(d, key) for d in related):
            out.add(directory)
    return frozenset(out)


def _may_fail(service: Service, read: EnvRead) -> bool:
    """Whether ``read`` can make the service fail with the environment it has."""
    if read.is_pattern:
        return False
    value = service.provides(read.name, read.lookup)
    if value is None:
        return read.missing == "crash"
    if value.value == "":
        return read.on_empty == "crash"
    return read.expected_type != "string"
