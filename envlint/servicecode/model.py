"""The service-code model: which program in this repository a container runs (plain data).

Paths are relative to the checked root, with ``/``; lines and columns are 1-based.  Nothing here
holds an environment value: commands are kept as written in compose files and Dockerfiles.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from envlint.model import Location, Workspace

__all__ = [
    "NON_SERVICE_DIRS",
    "SOURCE_EXTENSIONS",
    "AppEnv",
    "CodeMap",
    "Entrypoint",
    "ImageBuild",
    "ProgramKind",
    "ProgramRef",
    "ServiceKey",
    "ServiceProgram",
    "is_non_service_path",
]

ServiceKey = tuple[str, str, str]  # (compose project directory, stack, service name)

# Folders a service build does not ship: examples, scripts, end-to-end tests, test data,
# benchmarks, docs.  Code there is a service's only when its program's import graph reaches it.
NON_SERVICE_DIRS = frozenset(
    {
        "examples",
        "example",
        "_examples",
        "samples",
        "sample",
        "demo",
        "demos",
        "scripts",
        "hack",
        "e2e",
        "e2e-tests",
        "e2e_tests",
        "testdata",
        "test",
        "tests",
        "fixtures",
        "__fixtures__",
        "benchmarks",
        "benchmark",
        "benches",
        "docs",
        "doc",
        "cypress",
        ".storybook",
    }
)


def is_non_service_path(path: str) -> bool:
    """Whether ``path`` (relative, ``/``-separated) lies in a folder a service build does not
    ship: :data:`NON_SERVICE_DIRS`, compared case-insensitively, for any folder of the path (not
    the file name itself)."""
    parts = path.split("/")
    return any(part.lower() in NON_SERVICE_DIRS for part in parts[:-1])


@dataclass(frozen=True, slots=True)
class AppEnv:
    """The env files a service's own code loads at start (dotenv), as far as they are known.

    ``provided``: keys of files that are in the repository and reach the container (bind mount,
    or COPY not excluded by .dockerignore), loaded unconditionally.  ``maybe``: keys the app may
    get from a file that is not known for certain (a conditional load); ``any_key``: a file whose
    keys cannot be known may be loaded (absent but gitignored, a path envlint cannot map).
    ``filled``: keys a loader that overrides the environment (``override: true``,
    ``godotenv.Overload``, ``Dotenv.overload``) sets to a non-empty value at start: a variable
    compose leaves empty is not empty for the app.  Dotenv loaders that do not override keep
    a variable the environment has, even an empty one.
    ``path``: the file named in messages.  Keys only: no value is kept.
    """

    path: str
    provided: frozenset[str] = frozenset()
    maybe: frozenset[str] = frozenset()
    any_key: bool = False
    filled: frozenset[str] = frozenset()

    def covers(self, name: str) -> Literal["yes", "maybe", "no"]:
        if name in self.provided:
            return "yes"
        return "maybe" if self.any_key or name in self.maybe else "no"

    @property
    def unless(self) -> str:
        """The softening clause of a finding the file may answer."""
        return f"unless the env file the app loads at start ({self.path}) defines it"


ProgramKind = Literal[
    "go-package",  # target: the main package's directory
    "dotnet-project",  # target: the .csproj / .fsproj file
    "js-entry",  # target: the entry source file (dist/ already mapped back to src/)
    "python-module",  # target: the module's file or package directory (``python -m pkg``)
    "python-file",  # target: the script file
    "jvm-module",  # target: the Maven/Gradle module directory
    "cargo-bin",  # target: the binary's main file (src/main.rs, src/bin/x.rs)
    "ruby-file",  # target: the script file (``ruby app.rb``)
    "directory",  # target: a directory whose code runs, nothing finer known
]


@dataclass(frozen=True, slots=True)
class ProgramRef:
    """A program built from this repository that a container runs."""

    language: str  # a ``filepass.languages.LANGUAGES`` name: "go", "csharp", "typescript", ...
    kind: ProgramKind
    target: str  # see ProgramKind
    how: str  # one sentence for people: how it was decided (commands as written, no values)
    location: Location | None = None  # the Dockerfile / compose / CI line that decided
    # the file the interpreter runs as the ``__main__`` module (``python app.py``, the
    # ``pkg/__main__.py`` of ``python -m pkg``, ``mod.py`` of ``python -m mod``, a Streamlit
    # script): only there does ``if __name__ == "__main__":`` run.  None: every module of the
    # program is imported (an ASGI/WSGI server, celery, ``flask run``), or not Python
    main: str | None = None
    # Python: the Django settings module the service's environment names
    # (``DJANGO_SETTINGS_MODULE``, resolved), which wins over a default the code sets with
    # ``os.environ.setdefault``; and the one the command names (``manage.py <cmd>
    # --settings=m``), which wins over both.  None: not named there
    settings_env: str | None = None
    settings_flag: str | None = None
    # a ``directory`` a dev server or framework serves (``vite``, ``next start``, a Next.js
    # standalone server): other tools' config files in it that nothing of it imports
    # (playwright.config.ts, openapi-ts.config.ts) are not its code, only those tools load them.
    # False for every other directory (a configured ``source``: all of its files are the code)
    served: bool = False
    # Python: the directory the program's module names are relative to when it is not the
    # repository root (an installed project's ``src/``): its functions are named by module in
    # messages (``myapp.main.run``, not ``src.myapp.main.run``).  None: the root
    module_root: str | None = None
    # a function the runtime calls at start that the code never calls itself, by module
    # (a console script's ``myapp.main:run`` is ``myapp.main.run``): start-up code
    starts: str | None = None

    @property
    def identity(self) -> tuple[str, ...]:
        """What makes two references name the same program (``how`` and ``location`` aside)."""
        return (
            self.language,
            self.kind,
            self.target,
            self.main or "",
            self.settings_env or "",
            self.settings_flag or "",
            "served" if self.served else "",
            self.module_root or "",
            self.starts or "",
        )


@dataclass(frozen=True, slots=True)
class Entrypoint:
    """What a service's container runs, and the program of this repository behind it."""

    argv: tuple[str, ...]  # ENTRYPOINT + CMD as Docker combines them (compose keys win)
    # "image": the image is built elsewhere in the repository without a Dockerfile to read the
    # command from (ko, goreleaser), its program is known from that build (ImageBuild.program)
    origin: Literal["compose", "dockerfile", "config", "image", "none"]
    location: Location | None  # where the winning command is written
    program: ProgramRef | None  # None: not mapped to code in this repository (see note)
    note: str = ""  # why ``program`` is None, for the info finding and ``trace``
    # the container runs a third-party program (the command of an application base image such
    # as nginx, or an executable nothing copies in) and its image holds no source code of this
    # repository: there is no code of the repository for a directory to stand in for
    foreign: bool = False
    # when ``program`` is None: whether the image holds source code of this repository (copied
    # in, built into an archive, mounted); None: not known, or not looked at
    holds_code: bool | None = None
    # when ``program`` is None: the repository directory holding the source code the image
    # copies from its build context (their common directory); None: none, or not known
    copied: str | None = None
    # when ``program`` is None: the repository directory bind-mounted at the container's
    # working directory (``./:/workspace`` with ``working_dir: /workspace/services/api``:
    # ``services/api``), the code around the command; None: not a bind mount of the repository
    workdir: str | None = None
    # when ``program`` is None: the bind mounts of repository directories that hold source code
    # (``./src:/app/src``: ``("src", "/app/src")``), which replace what the image holds there
    mounted: tuple[tuple[str, str], ...] = ()
    # the command only keeps the container running (``tail -f /dev/null``, ``sleep infinity``)
    # and runs no program: no code of the repository is the service's (``note`` says which)
    idle: bool = False
    # the command runs the repository's tests (``go test``, ``pytest``, ``npm test``), which
    # envlint does not analyse: no code of the repository is the service's; the runner as said
    # ("`go test`"); None: not a test run
    tests: str | None = None


@dataclass(frozen=True, slots=True)
class ImageBuild:
    """An image name that something in the repository builds from a Dockerfile here."""

    # repository name without tag or digest, e.g. "ghcr.io/org/app"; ``*`` stands for a part
    # written with a variable or template (``ghcr.io/${{ github.repository }}`` ->
    # ``ghcr.io/*/*``), ``**`` for any number of path segments ($CI_REGISTRY_IMAGE)
    image: str
    dockerfile: str | None  # relative to the checked root; None: built without one (ko)
    context: str  # relative to the checked root
    target: str | None  # build stage, when given
    origin: Location  # the workflow step, Makefile line, goreleaser/skaffold entry, compose key
    program: ProgramRef | None = None  # known from the build itself (ko, goreleaser builds)
    # the tag the build gives the image (``latest`` when it names none, Docker's default; ``*``
    # for a part written with a variable); None: the builder chooses it (Skaffold, ko, jib)
    tag: str | None = None
    # the build arguments it passes (``build-args:`` of a workflow step), when known; None:
    # not read, or a value envlint cannot know (the Dockerfile is read as before, without them)
    args: tuple[tuple[str, str], ...] | None = None
    # the tag is all the build gives: one value of a Makefile variable that picks both the
    # Dockerfile and the tag (``-f Dockerfile.$(N) -t app:$(N)``), so an image of another tag is
    # never this build (the builds of a name that give none of a service's tag stand in for it)
    exact_tag: bool = False


# the extensions of the source languages a container command may run (``ServiceProgram``)
SOURCE_EXTENSIONS = frozenset(
    {".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx", ".py", ".rb", ".php", ".java",
     ".kt", ".kts", ".cs", ".go", ".rs", ".ex", ".exs"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ServiceProgram:
    """What envlint knows of one service's code (one per compose service)."""

    project_dir: str
    service: str
    entrypoint: Entrypoint | None
    files: frozenset[str] | None  # files linked into the program; None: not known
    fallback_dir: str | None  # directory whose code counts when ``files`` is None
    note: str = ""  # why the code was not (fully) found; empty when it was
    context: str | None = None  # the build context: every file of the program lies below it
    stack: str = ""  # the compose files of the stack the service belongs to (ComposeProject.stack)
    # with ``files`` None: the extensions of the languages the container's command runs (``npx
    # mocha``: JavaScript/TypeScript); the fallback directory's source files of other languages
    # (:data:`SOURCE_EXTENSIONS`) are not its code (build files, data are); None: any
    extensions: frozenset[str] | None = None
    # the services of its stack whose Dockerfiles are built FROM the image it builds, when it
    # runs no command of its own (none in compose or its Dockerfiles: the external base
    # image's): it builds a base image and runs no code of the repository (``note`` says so)
    base_of: tuple[str, ...] = ()

    @property
    def others(self) -> frozenset[str]:
        """The source extensions the fallback directory leaves out."""
        return SOURCE_EXTENSIONS - self.extensions if self.extensions is not None else frozenset()

    @property
    def key(self) -> ServiceKey:
        return (self.project_dir, self.stack, self.service)

    @property
    def main(self) -> str | None:
        """The file the program runs as ``__main__`` (:attr:`ProgramRef.main`); None when no
        file does or the program is not known (the directory model)."""
        ref = self.entrypoint.program if self.entrypoint is not None else None
        return ref.main if ref is not None else None


def _identity(program: ServiceProgram) -> tuple[str, ...] | None:
    """What makes two services run the same code (see :meth:`CodeMap.same_code`)."""
    ref = program.entrypoint.program if program.entrypoint is not None else None
    if ref is not None:
        return ("program", *ref.identity)
    if program.files is None and program.fallback_dir is not None:
        return ("directory", _prefix(program.fallback_dir))
    return None


def _extension(path: str) -> str:
    """``path``'s extension, lower case with its dot ("" for none)."""
    dot = path.rfind(".")
    return path[dot:].lower() if dot > path.rfind("/") else ""


def _prefix(directory: str) -> str:
    directory = directory.strip("/")
    return "" if directory in ("", ".") else directory + "/"


@dataclass(frozen=True)
class CodeMap:
    """Every service's program, and the one answer to "which services run this file".

    Lookups probe one dict per parent directory of a path (not one prefix test per service:
    50,000 files x 1,000 services adds up) and are memoised per directory.
    """

    programs: tuple[ServiceProgram, ...] = ()
    _by_dir: dict[str, list[tuple[int, ServiceKey]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _by_file: dict[str, list[tuple[int, ServiceKey]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _scopes: frozenset[str] = field(default=frozenset(), init=False, repr=False, compare=False)
    _memo: dict[tuple[str, str], tuple[tuple[int, ServiceKey], ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    # service order -> the source extensions its fallback directory leaves out
    _others: dict[int, frozenset[str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        by_dir: dict[str, list[tuple[int, ServiceKey]]] = defaultdict(list)
        by_file: dict[str, list[tuple[int, ServiceKey]]] = defaultdict(list)
        scopes: set[str] = set()
        for order, program in enumerate(self.programs):
            if program.files is not None:
                for path in program.files:
                    by_file[path].append((order, program.key))
            elif program.fallback_dir is not None:
                by_dir[_prefix(program.fallback_dir)].append((order, program.key))
                if program.others:
                    self._others[order] = program.others
            for directory in (program.context, program.fallback_dir):
                if directory is not None:
                    scopes.add(_prefix(directory))
        object.__setattr__(self, "_by_dir", dict(by_dir))
        object.__setattr__(self, "_by_file", dict(by_file))
        object.__setattr__(self, "_scopes", frozenset(scopes))

    @classmethod
    def from_source_dirs(cls, ws: Workspace) -> CodeMap:
        """Each service's code = every file below its ``source_dir`` (the model before entry
        points are known; also what a service without a known entrypoint falls back to)."""
        return cls(
            tuple(
                ServiceProgram(
                    project.directory,
                    service.name,
                    None,
                    None,
                    service.source_dir,
                    context=service.source_dir,
                    stack=project.stack,
                )
                for project, service in ws.services()
                if service.source_dir is not None
            )
        )

    def program(self, key: ServiceKey) -> ServiceProgram | None:
        return next((p for p in self.programs if p.key == key), None)

    def same_code(self, key: ServiceKey) -> tuple[ServiceKey, ...]:
        """The other services that run the code ``key`` runs: the same program of this
        repository (language, kind and target), or, where no program is known, the same
        directory of code.  A service whose code is not known runs nothing in common."""
        mine = next((_identity(p) for p in self.programs if p.key == key), None)
        if mine is None:
            return ()
        return tuple(p.key for p in self.programs if p.key != key and _identity(p) == mine)

    def owners(self, path: str) -> tuple[ServiceKey, ...]:
        """The services whose program holds ``path``, in service order."""
        directory, extension = path.rpartition("/")[0], _extension(path)
        found = self._memo.get((directory, extension))
        if found is None:
            in_dirs: list[tuple[int, ServiceKey]] = []
            for prefix in self._prefixes(path):
                if not is_non_service_path(path[len(prefix) :]):
                    in_dirs.extend(self._runs(self._by_dir.get(prefix, ()), extension))
            found = tuple(sorted(in_dirs))
            self._memo[directory, extension] = found
        hits = self._by_file.get(path)
        ordered = sorted({*found, *hits}) if hits else found
        return tuple(key for _, key in ordered)

    def owner(self, path: str) -> ServiceKey | None:
        """The most specific owner of ``path``: a program listing the file, else the service
        with the deepest directory holding it (the first in service order on a tie)."""
        hits = self._by_file.get(path)
        if hits:
            return min(hits)[1]
        best: tuple[int, int, ServiceKey] | None = None
        for prefix in self._prefixes(path):
            if is_non_service_path(path[len(prefix) :]):
                continue
            for order, key in self._runs(self._by_dir.get(prefix, ()), _extension(path)):
                candidate = (-len(prefix), order, key)
                if best is None or candidate < best:
                    best = candidate
        return best[2] if best is not None else None

    def files_below(
        self, directory: str, files: Sequence[str], others: frozenset[str] = frozenset()
    ) -> list[str]:
        """The files below ``directory`` that are a service's code by the directory model
        (folders a build never ships left out, and source files with an extension of
        ``others``).  ``files`` is sorted (``Workspace.files``): they are one run, found by a binary
        search (a scan per service was quadratic)."""
        prefix = _prefix(directory)
        out: list[str] = []
        for at in range(bisect_left(files, prefix), len(files)):
            path = files[at]
            if not path.startswith(prefix):
                break
            if not is_non_service_path(path[len(prefix) :]) and _extension(path) not in others:
                out.append(path)
        return out

    def _runs(
        self, found: Sequence[tuple[int, ServiceKey]], extension: str
    ) -> list[tuple[int, ServiceKey]]:
        """The programs of ``found`` but the fallbacks that leave ``extension`` out."""
        others = self._others
        return [(o, k) for o, k in found if o not in others or extension not in others[o]]

    @staticmethod
    def _prefixes(path: str) -> list[str]:
        """``""`` and every parent directory of ``path`` with a trailing ``/``."""
        prefixes = [""]
        at = path.find("/")
        while at >= 0:
            prefixes.append(path[: at + 1])
            at = path.find("/", at + 1)
        return prefixes

    def in_scope(self, path: str) -> bool:
        """Whether ``path`` lies where some service's code may live (worth parsing)."""
        if "" in self._scopes:
            return True
        at = path.find("/")
        while at >= 0:
            if path[: at + 1] in self._scopes:
                return True
            at = path.find("/", at + 1)
        return False
