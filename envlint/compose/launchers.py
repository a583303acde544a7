"""How a repository says its stacks are started: ``docker compose`` commands it documents.

Read, never run: Makefile recipes (``Makefile``, ``makefile``, ``GNUmakefile``, ``*.mk``) with
make's variables and ``export``\\ s, justfile recipes (:mod:`envlint.compose.justfile`), shell
scripts (``*.sh``, ``*.bash``, and files without a suffix whose ``#!`` line names a POSIX
shell), ``package.json`` scripts,
shell code in Markdown and AsciiDoc documents (fenced ``sh``/``bash``/``console``/
untagged blocks and AsciiDoc listing blocks, with or without ``$`` prompts; indented code
blocks; inline code and list items that are a compose command; ``KEY=<...>`` placeholders are
values not known), GitHub Actions ``run:`` steps
of workflows and composite actions (with the workflow's, job's and step's ``env:`` and what
earlier steps write to ``$GITHUB_ENV``), GitLab CI ``before_script:`` / ``script:`` /
``after_script:`` lines (with ``variables:``, ``extends:`` and ``default:``), Cloud Build
steps (``args``/``env``), the Gradle docker-compose plugin (``dockerCompose {
useComposeFiles …; environment.put "X", v }``), PowerShell scripts (``*.ps1``: their simple
compose lines with the ``$env:X = "v"`` before them, :mod:`envlint.compose.launchers_powershell`)
and the comment lines of the compose files themselves (``# docker-compose -f docker-compose.yml
-f docker-compose.prod.yml up`` in a header, read as a document's command from the file's
directory, the prose around it left out: :func:`_comment_commands`).

Each ``docker compose`` / ``docker-compose`` command that creates containers (``up``, ``run``,
``create``, ``watch``, ``scale``; not ``start`` / ``restart``, which run the containers an
earlier ``up`` made) becomes an :class:`Invocation`:
the compose files in order (``-f``, else ``COMPOSE_FILE`` from the command's environment, else
the default files of the directory it runs in), ``--env-file``\\ s (else ``COMPOSE_ENV_FILES``,
comma-separated), ``--profile``\\ s, and the
variables the launcher gives the command (``X=v docker compose up``, ``export X``, a make
variable it exports, a CI job's ``env:``), and the services it names (``up -d api``, ``run
tests``; none: every service).  A value that cannot be known from the repository
(``$(shell …)``, ``${{ secrets.X }}``, ``$CI_VAR``) is kept as ``None``: the variable is
provided, its value unknown.  A file an earlier command of the same script, make recipe or CI
job links, copies or moves (``ln -s compose.e2e.yml compose.override.yml``, ``cp``, ``mv``) is
followed when the command is simple and its paths literal; made any other way, the file is
unknown, and so is a stack that would load it.  A document is one session: what a block exports
and the ``.env`` it copies or writes hold for the blocks after it.  ``sudo`` resets the
environment: only its own ``VAR=value`` words reach the command, and the caller's variables
with ``-E`` / ``--preserve-env``.

A command that runs a shell script of the repository by its path (``./bin/docker-compose up
-d`` in a recipe, ``sh scripts/dc up``) is followed into it: the script's compose commands
run where the command runs, with its environment, ``"$@"`` / ``$1`` its arguments (a wrapper
that exports ``COMPOSE_FILE`` / ``COMPOSE_ENV_FILES`` and ends in ``exec docker compose
"$@"``), under the command's launcher; such a script is read even in the ``bin/`` the walk
skips as build output (never through a symbolic link, nor in another skipped directory such as
``node_modules/``), and without a suffix or ``#!`` line when a shell runs it.  One documented
command follows at most :data:`_SCRIPT_RUNS` script runs (scripts that call each other many
times), and a file without a suffix is told a script by its first bytes only.
A file a command that starts containers layers through a ``COMPOSE_FILE`` (or with env files)
that cannot be known is reported to the loader, which then checks it in no guessed stack.

Shell text is split by :func:`envlint.servicecode.entry_shell.parse_shell` (POSIX quoting,
operators, ``$X`` from earlier assignments; a PowerShell script is first written as the shell
text it means); YAML is read by :mod:`envlint.compose.yamlnodes` (a compose file's comments
from the bytes the load read it from: its lines, no second parse),
Markdown by markdown-it-py, Gradle by the tree-sitter Groovy/Kotlin grammars.  Every file is
read with a size limit (:mod:`envlint._regular`); a file that cannot be read is skipped.
"""

from __future__ import annotations

import posixpath
import re
import stat
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

from envlint.compose.justfile import UNKNOWN_SHELL, JustRecipe, read_justfile, shebang_shell
from envlint.compose.launchers_powershell import powershell_as_shell
from envlint.compose.makefile import (
    UNKNOWN,
    MakeDirectives,
    MakeRule,
    expand,
    read_makefile_directives,
    recipe_commands,
)
from envlint.discovery import is_compose_file_name, is_compose_template
from envlint.model import Launcher, Location
from envlint.servicecode.entry_shell import (
    REPO_ROOT,
    SCRIPT_DIR,
    SHELLS,
    ShellCommand,
    Word,
    parse_shell,
    runner_file,
    written_to,
)

if TYPE_CHECKING:
    from envlint.compose.yamlnodes import YNode

# the public names that envlint.compose.created shares: the reader, and how shell text is read
__all__ = [
    "DocShell",
    "Invocation",
    "LaunchVar",
    "LauncherFiles",
    "LauncherFormat",
    "Made",
    "Recipe",
    "Stale",
    "cd_dirs",
    "command_dirs",
    "find_invocations",
    "launcher_format",
    "link_or_copy",
    "placeholders",
    "repo_path",
    "run_start",
]

MAX_LAUNCHER_BYTES = 1024 * 1024  # a Makefile, script or README larger than this is not read
MAX_LAUNCHER_FILES = 5000  # candidate files read per run

_MAKEFILES = frozenset(("Makefile", "makefile", "GNUmakefile"))
_SCRIPT_SUFFIXES = (".sh", ".bash")
_JUSTFILES = frozenset(("justfile", ".justfile"))  # just's names, in any case
# The repository's root in a path a script computes from where it lies (``$(dirname "$0")``,
# ``$(git rev-parse --show-toplevel)``): absolute, and no real path (:func:`repo_path`)
ROOT = "/\x01repo"
_MARKDOWN_SUFFIXES = (".md", ".markdown")
_ASCIIDOC_SUFFIXES = (".adoc", ".asciidoc")
# release notes tell what changed, not how the project is started
_NOT_DOCS = ("changelog", "changes", "history", "news", "releases", "release-notes")
_SHELL_FENCES = frozenset(
    ("", "sh", "bash", "shell", "console", "zsh", "shell-session", "shellsession", "terminal")
)
_WRAPPERS = frozenset(("sudo", "env", "time", "exec", "command", "nohup"))
# sudo's options that take a value (`-u user`, `--group=g`); `-i` / `--login` and `-D` /
# `--chdir` run the command elsewhere (the target user's home, another directory): unreadable
_SUDO_VALUES = frozenset("CghpRrTtUu")
_SUDO_LONG_VALUES = frozenset(
    ("--close-from", "--group", "--host", "--prompt", "--chroot", "--role", "--command-timeout",
     "--type", "--other-user", "--user")
)  # fmt: skip
_SUDO_ELSEWHERE = frozenset(("-i", "--login", "-D", "--chdir"))
# compose's global options that take a value (docker compose v2 and docker-compose v1)
_VALUE_OPTIONS = frozenset(
    (
        "-f", "--file", "-p", "--project-name", "--project-directory", "--env-file",
        "--profile", "--ansi", "--progress", "--parallel", "--workdir", "-H", "--host",
        "--context", "-c", "--log-level", "--tlscacert", "--tlscert", "--tlskey",
    )
)  # fmt: skip
_DOCKER_VALUE_OPTIONS = frozenset(("-c", "--context", "-H", "--host", "-l", "--log-level"))
# the subcommands that create containers (Compose interpolates the files into each new one): only
# they make a command a stack's launcher.  `start` / `restart` run containers an earlier `up`
# created, with the configuration they were created with; `down`, `stop`, `logs`, `ps`, `exec`,
# `build`, `config` name files but create nothing.  `watch` runs `up` first, `scale` adds
# containers.
_STARTING = frozenset(("up", "run", "create", "watch", "scale"))


LeftRunning = Literal["all", "dependencies", "none"]


@dataclass(frozen=True, slots=True)
class LaunchVar:
    """A variable a launcher gives ``docker compose``; ``value`` None: not known here."""

    name: str
    value: str | None
    location: Location
    # a key the launcher wrote into the directory's `.env` (`cat > .env <<EOF`), not a variable
    # of its process: Compose reads it whatever the environment (`sudo` does not reset it)
    dotenv: bool = False
    # with ``value`` None: the value as far as it is written, an unknown part a ``*``
    # (`COMPOSE_FILE=docker-compose.yml:$EXTRA`: ``docker-compose.yml:*``)
    partly: str = ""


@dataclass(frozen=True, slots=True)
class Invocation:
    """One documented ``docker compose`` command, its paths relative to the checked root."""

    launcher: Launcher
    cwd: str  # the directory it runs in ("." for the root)
    files: tuple[str, ...]  # the compose files in order (-f / COMPOSE_FILE / the default files)
    env_files: tuple[str, ...]  # --env-file, in order
    profiles: tuple[str, ...]  # --profile
    environment: tuple[LaunchVar, ...]  # what the launcher sets, later entries win
    explicit: bool  # files named by -f or COMPOSE_FILE (not the directory's default files)
    # the services it names (`up -d api db`, `run tests`); None: every service of the stack
    # (`up` without names, or a command envlint cannot read that far)
    services: tuple[str, ...] | None = None
    no_deps: bool = False  # --no-deps: the named services' depends_on are not started
    # files earlier commands of its script / CI job made (`cp deploy.env .env`): path -> the
    # repository file it is (None: not known), paths relative to the checked root
    made: tuple[tuple[str, str | None], ...] = ()
    # what is still running when it returns, beside the launcher's later commands: "all" it
    # started (`up -d`, `up --wait`, `run -d`, `scale`), the "dependencies" (`run` without -d:
    # the one-off container exits, what it depends on stays up) or "none" (a foreground `up`
    # or `watch` stops its containers when it returns; `create` starts nothing)
    leaves_running: LeftRunning = "none"


@dataclass(frozen=True, slots=True)
class _Command:
    """A compose command as found, before its paths are resolved."""

    launcher: Launcher
    cwds: tuple[str, ...]  # candidate directories, the first that holds every file wins
    words: tuple[Word, ...]  # the words after `compose` / `docker-compose`
    environment: tuple[LaunchVar, ...]
    # files earlier commands of the script / CI job made (`ln -s a.yml compose.override.yml`,
    # `cp`): path -> the repository file it is, None when that cannot be known (paths relative
    # to the checked root)
    made: tuple[tuple[str, str | None], ...] = ()
    # `envsubst < compose.yml > out.yml`: the file it renders as written (no compose command)
    renders: str | None = None
    # `./bin/dc up -d`, `sh scripts/dc up`: not compose, a script of the repository that
    # ``words`` run (:func:`_called`)
    script: bool = False


DefaultStack = Callable[[str], tuple[str, ...]]
# the files earlier commands made (``cp``, ``ln``, ``mv``): path -> the repository file it is
# (None: not known), paths relative to the root
Made = dict[str, str | None]


def find_invocations(
    launchers: LauncherFiles,
    default_stack: DefaultStack,
    rendered: dict[str, Launcher] | None = None,
    stale: dict[str, Stale] | None = None,
    unread: dict[str, Launcher] | None = None,
    layered: dict[str, tuple[str, ...]] | None = None,
) -> tuple[Invocation, ...]:
    """Every documented compose command of ``launchers``' files whose files all exist among
    the discovery walk's kept files.  ``default_stack(directory)`` gives what a bare
    ``docker compose`` loads there (``()`` when nothing).  ``rendered`` gets the kept files a
    documented command renders with ``envsubst`` (``envsubst < compose.yml > out.yml``, ``cat
    compose.yml | envsubst``), each with its first such command: the shell that runs it fills
    in their ``${X}``, not Compose.  ``stale`` gets each compose file whose own comment
    documents a command that names it with ``-f`` beside a file the repository does not have
    (:class:`Stale`): its stack is documented, and cannot be checked.  ``unread`` gets each
    kept file a command that starts containers layers through ``COMPOSE_FILE`` when the
    command's files or env files cannot be known (``COMPOSE_FILE="$COMPOSE_FILE:$EXTRA"``,
    a ``COMPOSE_ENV_FILES`` part not known), with its launcher: its stack is the launcher's,
    and cannot be checked.  ``layered`` gets each kept file any compose command (``exec``,
    ``logs`` too) names with ``-f`` after others, with the files before it: a layer over them."""
    commands: list[_Command] = []
    for path in launchers.paths:
        for read in _read(launchers, path):
            launchers.budget()  # each documented command may follow its own scripts
            commands.extend(_called(launchers, read))
    files = launchers.files
    known = frozenset(files)
    stacked = frozenset(d for d in {posixpath.dirname(f) or "." for f in files} if default_stack(d))
    out: dict[tuple[object, ...], Invocation] = {}
    for command in commands:
        if command.renders is not None:
            source = next((f for f in _rendered(command) if f in known), None)
            if source is not None and rendered is not None:
                rendered.setdefault(source, command.launcher)
            continue
        resolved = False
        for instance in _instances(command, files):
            invocation = _resolve(instance, known, default_stack, stacked)
            if invocation is None:
                continue
            resolved = True
            key = (invocation.launcher.name, invocation.cwd, invocation.files)
            started = (invocation.services, invocation.no_deps, invocation.leaves_running)
            env = tuple((var.name, var.value) for var in invocation.environment)
            options = (invocation.env_files, invocation.profiles)
            # one per launcher, stack, services and environment
            out.setdefault((*key, *options, started, env), invocation)
        parsed = _options(command.words)
        if parsed is None:
            continue
        if not resolved and unread is not None:
            for path in _layered(command, parsed, known):
                unread.setdefault(path, command.launcher)
        if layered is not None:
            named = _named_layers(command, parsed, known)
            layered.update((p, b) for p, b in named if p not in layered)
        own = command.launcher.location.path
        if not resolved and stale is not None and launcher_format(own) == "compose":
            missing = _missing(command, parsed, own, known)
            if missing:
                stale.setdefault(own, Stale(command.launcher, missing))
    return tuple(out.values())


def _layered(command: _Command, options: _Options, known: frozenset[str]) -> Iterator[str]:
    """The kept files a command that starts containers names in its ``COMPOSE_FILE`` (no
    ``-f``), as far as the value is known (``docker-compose.yml:docker-compose.dev.yml:*``)."""
    if options.subcommand not in _STARTING or options.files:
        return
    var = next((v for v in reversed(command.environment) if v.name == "COMPOSE_FILE"), None)
    text = "" if var is None else var.value if var.value is not None else var.partly
    for part in text.split(":"):
        path = repo_path(command.cwds[0], part) if part and "*" not in part else None
        if path is not None and path in known:
            yield path


def _named_layers(
    command: _Command, options: _Options, known: frozenset[str]
) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Each file a compose command (any subcommand) names with ``-f`` after others, with the
    files before it, in the first of its directories where every file is a kept file."""
    if not _literal_files(options):
        return
    for cwd in command.cwds:
        files = [repo_path(cwd, w.text) for w in options.files]
        if all(f is not None and f in known for f in files):
            named = tuple(f for f in files if f is not None)
            yield from ((path, named[:i]) for i, path in enumerate(named) if i)
            return


@dataclass(frozen=True, slots=True)
class Stale:
    """A compose file's comment that documents its stack with ``-f`` files the repository does
    not have (``# docker-compose -f docker-compose-windows.yml -f docker-compose-windows.prod.yml
    up`` beside ``docker-compose.windows.yml``): Compose would refuse the command as written."""

    launcher: Launcher
    missing: tuple[str, ...]  # the named files that are not there, as written


def _missing(
    command: _Command, options: _Options, own: str, known: frozenset[str]
) -> tuple[str, ...]:
    """The ``-f`` files a compose file's commented command names that do not exist, when the
    command starts containers, names every file literally and names the file itself (from the
    file's directory); empty otherwise."""
    if options.subcommand not in _STARTING or not options.files or not _literal_files(options):
        return ()
    cwd = command.cwds[0]
    paths = [(w.text, repo_path(cwd, w.text)) for w in options.files]
    if own not in (path for _, path in paths):
        return ()
    return tuple(text for text, path in paths if path is None or path not in known)


def _literal_files(options: _Options) -> bool:
    """Whether every ``-f`` file of a command is written out (no unknown expansion)."""
    return not any(w.unresolved or UNKNOWN in w.text for w in options.files)


# --------------------------------------------------------------------------- reading files


LauncherFormat = Literal[
    "make", "just", "script", "powershell", "npm", "markdown", "asciidoc", "gradle", "github",
    "gitlab", "cloudbuild", "compose",
]  # fmt: skip


def launcher_format(path: str) -> LauncherFormat | None:
    """How the file ``path`` (relative to the root) documents commands, by its name and place:
    a Makefile (``*.mk``), a justfile, a shell script (one without a suffix is a candidate:
    :class:`LauncherFiles` reads its ``#!`` line), a PowerShell script, ``package.json``, a
    Markdown or AsciiDoc document (not release notes), a GitHub workflow or composite action,
    GitLab CI, Cloud Build, a Gradle build script, a compose file (its comments); None for any
    other file."""
    name = path.rsplit("/", 1)[-1]
    lower = name.lower()
    docs = not lower.startswith(_NOT_DOCS)
    if name in _MAKEFILES or name.endswith(".mk"):
        return "make"
    if lower in _JUSTFILES:
        return "just"
    if name.endswith(_SCRIPT_SUFFIXES) or _bare_script(path):
        return "script"
    if lower.endswith(".ps1"):
        return "powershell"
    if name == "package.json":
        return "npm"
    if docs and lower.endswith(_MARKDOWN_SUFFIXES):
        return "markdown"
    if docs and lower.endswith(_ASCIIDOC_SUFFIXES):
        return "asciidoc"
    if name in ("build.gradle", "build.gradle.kts"):
        return "gradle"
    if path.startswith(".github/workflows/") and name.endswith((".yml", ".yaml")):
        return "github"
    if path.startswith(".github/actions/") and name in ("action.yml", "action.yaml"):
        return "github"
    if name in (".gitlab-ci.yml", ".gitlab-ci.yaml"):
        return "gitlab"
    if name.startswith("cloudbuild") and name.endswith((".yml", ".yaml")):
        return "cloudbuild"
    if is_compose_file_name(name) and not is_compose_template(path):
        return "compose"
    return None


def _bare_script(path: str) -> bool:
    """A name without a suffix (``script/cibuild``, ``devscripts/up``): a script when its
    ``#!`` line names a shell."""
    return "." not in path.rpartition("/")[2]


@dataclass(frozen=True, slots=True)
class Recipe:
    """A Makefile rule that ``make TARGET`` runs (a pattern rule: no ``make TARGET`` names it)."""

    target: str  # its first target
    rule: MakeRule
    # (line, the command as its shell gets it): make's variables expanded, a part that cannot
    # be known without running make left unknown (``$()``)
    lines: tuple[tuple[int, str], ...]


@dataclass(frozen=True, slots=True)
class DocShell:
    """Shell code a Markdown document shows, in document order: a code block's commands
    (``block``: fenced with a shell or no info string, or indented), or one compose command
    written as inline code or as a list item's text."""

    line: int  # where its first line is written
    text: str  # a block's commands (:func:`_commands`: prompts and output left out), lines kept
    block: bool


class LauncherFiles:
    """The launcher files of one load (:func:`launcher_format`; at most
    :data:`MAX_LAUNCHER_FILES`), each read once with a size limit, a Makefile's rules and
    directives, a CI file's YAML and a Markdown document's shell code parsed once:
    :func:`find_invocations`, :func:`envlint.compose.created.find_created` and
    :func:`envlint.compose.env_users.find_env_users` read them.  ``files``: the discovery
    walk's kept files, relative to ``root``; ``read``: their bytes as an earlier reader of the
    same load read them (:meth:`bytes_read`), not read from disk again."""

    def __init__(
        self, root: Path, files: Sequence[str], read: Mapping[str, bytes | None] | None = None
    ) -> None:
        self.root = root
        self.files = tuple(files)
        self._kept = frozenset(self.files)
        self._data: dict[str, bytes | None] = dict(read or {})
        formats = ((path, launcher_format(path)) for path in self.files)
        wanted = ((path, kind) for path, kind in formats if kind is not None)
        kept = (pair for pair in wanted if self._readable(*pair))
        self._formats: dict[str, LauncherFormat] = dict(islice(kept, MAX_LAUNCHER_FILES))
        self.paths = tuple(self._formats)
        self._text: dict[str, str | None] = {}
        self._recipes: dict[str, tuple[Recipe, ...]] = {}
        self._make: dict[str, tuple[tuple[MakeRule, ...], MakeDirectives] | None] = {}
        self._yaml: dict[str, tuple[YNode, ...]] = {}
        self._just: dict[str, tuple[JustRecipe, ...]] = {}
        self._shell: dict[str, tuple[DocShell, ...]] = {}
        self._runs = 0  # script runs followed for the current command (:meth:`follow`)
        self.followed = 0  # script runs followed in all

    def format(self, path: str) -> LauncherFormat:
        """:func:`launcher_format` of ``path``, one of :attr:`paths`."""
        return self._formats[path]

    def data(self, path: str) -> bytes | None:
        """The file's bytes; None when it cannot be read or is larger than
        :data:`MAX_LAUNCHER_BYTES`."""
        if path not in self._data:
            from envlint._regular import read_regular

            try:
                self._data[path] = read_regular(self.root / path, MAX_LAUNCHER_BYTES)
            except OSError:
                self._data[path] = None
        return self._data[path]

    def bytes_read(self) -> Mapping[str, bytes | None]:
        """Every file read so far: path -> its bytes (None: unreadable or too large)."""
        return MappingProxyType(dict(self._data))

    def text(self, path: str) -> str | None:
        """The file as text (UTF-8, an undecodable byte replaced, no byte order mark)."""
        if path not in self._text:
            data = self.data(path)
            self._text[path] = None if data is None else _decode(data)
        return self._text[path]

    def recipes(self, path: str) -> tuple[Recipe, ...]:
        """The rules of the Makefile ``path`` that ``make NAME`` runs."""
        if path not in self._recipes:
            read = self._makefile(path)
            self._recipes[path] = () if read is None else _recipes(read[0])
        return self._recipes[path]

    def directives(self, path: str) -> MakeDirectives | None:
        """What the Makefile ``path`` includes, expands and exports (None: it cannot be read)."""
        read = self._makefile(path)
        return None if read is None else read[1]

    def _makefile(self, path: str) -> tuple[tuple[MakeRule, ...], MakeDirectives] | None:
        """A Makefile's rules and directives, from one pass."""
        if path not in self._make:
            text = self.text(path)
            self._make[path] = None if text is None else read_makefile_directives(text)
        return self._make[path]

    def yaml(self, path: str) -> tuple[YNode, ...]:
        """The YAML documents of the CI file ``path`` (none when it cannot be read or parsed)."""
        if path not in self._yaml:
            data = self.data(path)
            self._yaml[path] = () if data is None else _yaml(path, data)
        return self._yaml[path]

    def just_recipes(self, path: str) -> tuple[JustRecipe, ...]:
        """The recipes of the justfile ``path``."""
        if path not in self._just:
            text = self.text(path)
            self._just[path] = () if text is None else read_justfile(text)
        return self._just[path]

    def _readable(self, path: str, kind: LauncherFormat) -> bool:
        """Whether a candidate is read: a script without a suffix only when its ``#!`` line
        names a POSIX shell."""
        if kind != "script" or path.endswith(_SCRIPT_SUFFIXES):
            return True
        data = self._data.get(path)
        if data is None and path not in self._data:  # its first line only: most such files
            from envlint._regular import read_head  # are no scripts (LICENSE, golden data)

            try:
                data = read_head(self.root / path, _SHEBANG_BYTES)
            except OSError:
                data = None
        first = data.partition(b"\n")[0] if data is not None else b""
        return shebang_shell(first.decode("utf-8", errors="replace")) is not None

    def script_text(self, path: str, shebang: bool = True) -> str | None:
        """The text of ``path``, which a launcher runs, when it is a shell script: a shell
        suffix, or a ``#!`` line that names a POSIX shell (``shebang`` False: a shell runs it,
        any file); None otherwise.  It is a kept file, or a regular file in a directory the
        walk skips by its name only (``bin/``: build output elsewhere, the repository's
        wrapper when its Makefile runs ``./bin/docker-compose``)."""
        if path not in self._kept and not self._in_skipped(path):
            return None
        if shebang and not self._readable(path, "script"):
            return None
        return self.text(path)

    def _in_skipped(self, path: str) -> bool:
        """Whether ``path`` lies below a ``bin/`` directory the walk skipped, reached through no
        symbolic link (what it is, a regular file or not, its reader checks)."""
        from envlint.discovery import SKIP_DIRS

        folders = path.split("/")[:-1]
        if set(folders) & SKIP_DIRS != {"bin"}:
            return False  # node_modules/, vendor/, .venv/...: other people's scripts
        try:
            for depth in range(1, len(folders) + 2):
                part = self.root.joinpath(*path.split("/")[:depth])
                if stat.S_ISLNK(part.lstat().st_mode):
                    return False
        except (OSError, ValueError):  # ValueError: a NUL byte in the name
            return False
        return True

    def budget(self) -> None:
        """A new documented command: its scripts get their own :data:`_SCRIPT_RUNS` runs."""
        self._runs = 0

    def follow(self) -> bool:
        """Whether one more script run may be followed (:data:`_SCRIPT_RUNS` per documented
        command: scripts that call each other many times fan one command out)."""
        self._runs += 1
        if self._runs > _SCRIPT_RUNS:
            return False
        self.followed += 1
        return True

    def document_shell(self, path: str) -> tuple[DocShell, ...]:
        """The shell code the Markdown document ``path`` shows, in document order."""
        if path not in self._shell:
            text = self.text(path)
            self._shell[path] = () if text is None else _document_shell(text)
        return self._shell[path]


def _decode(data: bytes) -> str:
    return data.decode("utf-8", errors="replace").removeprefix("\ufeff")


def _read(launchers: LauncherFiles, path: str) -> list[_Command]:
    """The compose commands (and ``envsubst`` renderings) of one launcher file."""
    kind = launchers.format(path)
    data = launchers.data(path)
    if data is None:
        return []
    # a cheap test first (PowerShell's names are case-insensitive: `Docker-Compose.exe`)
    hint = b"dockerCompose" if kind == "gradle" else b"compose"
    if hint not in (data.lower() if kind == "powershell" else data):
        return []
    directory = posixpath.dirname(path) or "."
    if kind == "make":
        return list(_makefile(path, directory, launchers.recipes(path)))
    if kind == "just":
        return list(_justfile(path, directory, launchers.just_recipes(path)))
    if kind in ("script", "powershell"):  # a PowerShell script as the shell text it means
        launcher = Launcher("script", path, Location(path))
        text = launchers.text(path) or ""
        text = powershell_as_shell(text) if kind == "powershell" else text
        located = _located(directory)
        return list(_shell(text, launcher, command_dirs(directory), Location(path), lookup=located))
    if kind == "compose":
        return list(_compose_comments(path, directory, launchers.text(path) or ""))
    if kind == "npm":
        return list(_package_json(path, directory, data))
    if kind == "markdown":
        return list(_markdown(path, directory, launchers.document_shell(path)))
    if kind == "asciidoc":
        return list(_asciidoc(path, directory, launchers.text(path) or ""))
    if kind == "gradle":
        return list(_gradle(launchers.root, path, directory, data))
    if kind == "github":
        return list(_github(path, launchers.yaml(path)))
    if kind == "gitlab":
        return list(_gitlab(path, launchers.yaml(path)))
    return list(_cloudbuild(path, launchers.yaml(path)))


_BARE_EXPANSION = re.compile(r"\$(?:[A-Za-z_]\w*|\{[A-Za-z_]\w*\})")


def _located(directory: str, args: Sequence[Word] = ()) -> Callable[[str], str | None]:
    """For a script in ``directory``: its own directory (``$(dirname "$0")``) and the
    repository's top (``$(git rev-parse --show-toplevel)``) as paths below :data:`ROOT`, and
    the positional parameters a launcher runs it with (``$1``: ``args[0]`` when known)."""
    here = ROOT if directory == "." else f"{ROOT}/{directory}"

    def lookup(name: str) -> str | None:
        if name.isdigit() and 0 < int(name) <= len(args):
            arg = args[int(name) - 1]
            return None if arg.unresolved or arg.all_args else arg.text
        return here if name == SCRIPT_DIR else ROOT if name == REPO_ROOT else None

    return lookup


def _field_split(words: tuple[Word, ...]) -> tuple[Word, ...]:
    """The shell's field splitting of an unquoted ``$X`` / ``${X}`` word whose known value
    holds blanks (``ARGS="-f a.yml --env-file e"; docker compose $ARGS up``): one word per
    field, as with the default IFS; a value with glob characters is left whole."""
    out: list[Word] = []
    for word in words:
        fields = word.text.split()
        if (
            len(fields) > 1
            and not word.unresolved
            and _BARE_EXPANSION.fullmatch(word.raw)
            and not any(c in word.text for c in "*?[")
        ):
            out.extend(Word(f, line=word.line, raw=word.raw) for f in fields)
        else:
            out.append(word)
    return tuple(out)


def command_dirs(directory: str) -> tuple[str, ...]:
    """Where a command written in ``directory`` may run: there, else the nearest directory
    above it (a workshop step's README that says ``docker compose up`` for the workshop's
    compose file), up to the repository root (scripts and docs are often run from the root)."""
    out = [directory]
    while directory != ".":
        directory = posixpath.dirname(directory) or "."
        out.append(directory)
    return tuple(out)


# --------------------------------------------------------------------------- shell text


def _shell(
    text: str,
    launcher: Launcher,
    cwds: tuple[str, ...],
    start: Location,
    environment: tuple[LaunchVar, ...] = (),
    lookup: Callable[[str], str | None] | None = None,
    made: Made | None = None,
    exports: list[LaunchVar] | None = None,
    clones: set[str] | None = None,
) -> Iterator[_Command]:
    """The compose commands of one piece of shell text; ``start`` is where its first line is
    written (for the launcher's location), ``environment`` what its runner exports, ``made``
    the files earlier steps of its CI job linked or copied (updated with this text's),
    ``exports`` gets what the text exports at its top level (for the text that follows),
    ``clones`` the directories ``git clone`` made (this repository's checkout: ``cd`` into one
    goes to the repository root), updated with this text's."""
    made = {} if made is None else made
    clones = set() if clones is None else clones
    exported: list[tuple[ShellCommand, LaunchVar]] = []
    assigned: dict[str, str] = {}  # `X=v` lines, as written (:func:`_known` tells the value)
    previous: ShellCommand | None = None
    for command in parse_shell(text, lookup, calls=True):
        argv = command.argv
        where = Location(start.path, start.line + command.line - 1)
        piped, previous = previous, command
        source = _envsubst_input(command, piped)
        if source is not None:
            named = Launcher(launcher.kind, launcher.name, where)
            yield _Command(named, cwds, (), environment, renders=source)
            continue
        if not argv:
            assigned.update(command.assignments)
            continue
        if argv[0] == "export":
            for word in command.words[1:]:
                name, eq, value = word.text.partition("=")
                if not name.isidentifier():
                    continue
                written = value if eq else assigned.get(name)
                if eq:
                    known = None if word.unresolved else value
                else:
                    known = None if written is None else _known(written)
                var = LaunchVar(name, known, where, partly=written or "")
                exported.append((command, var))
                if exports is not None and not command.scopes:
                    exports.append(var)
            continue
        if argv[0] == "cd" and command.depth == 0 and len(argv) == 2:
            target = command.words[1]
            cloned = not target.unresolved and posixpath.normpath(target.text) in clones
            cwds = (".",) if cloned else cd_dirs(cwds, target)
            continue
        if argv[:2] == ("git", "clone"):
            clones.update(_cloned(command.words[2:]))
            continue
        if posixpath.basename(argv[0]) in ("ln", "cp", "mv"):
            link_or_copy(command, cwds, made)
            continue
        keys = _dotenv_written(command, start.path)
        if keys is not None:  # `cat > .env <<EOF … EOF`: the variables .env will hold
            for name in keys:  # (values are the document's placeholders: not kept)
                var = LaunchVar(name, None, where, dotenv=True)
                exported.append((command, var))
                if exports is not None and not command.scopes:
                    exports.append(var)
            continue
        # a file of the repository first: `./bin/docker-compose up` may be its wrapper
        found = _script_words(command)
        script = found is not None
        found = _compose_words(_gaps_unknown(command)) if found is None else found
        if found is None:
            continue
        words, env, kept = found
        words = _field_split(words)
        visible = [
            var
            for scope_command, var in exported
            if scope_command.line <= command.line
            and command.scopes[: len(scope_command.scopes)] == scope_command.scopes
        ]
        inherited = [
            var
            for var in (*environment, *visible)
            if kept is None or var.dotenv or var.name in kept
        ]
        own = tuple(LaunchVar(name, value, where) for name, value in env)
        named = Launcher(launcher.kind, launcher.name, where)
        yield _Command(named, cwds, words, (*inherited, *own), tuple(made.items()), script=script)


def _script_words(command: ShellCommand) -> tuple[tuple[Word, ...], _Assigned, _Kept] | None:
    """A command that runs a file by its path (``./bin/dc up -d``, ``exec scripts/up``, ``sh
    bin/dc up``): its words from the file's (after the shell, when one runs it) and the
    variables the command line sets; None for any other command.  Whether the file is a
    script of the repository is told where it is read (:func:`_called`)."""
    words = command.words
    while words and words[0].text in ("exec", "command"):
        words = words[1:]
    start = 1 if words and posixpath.basename(words[0].text) in SHELLS else 0
    if len(words) <= start or words[start].unresolved or "/" not in words[start].text:
        return None
    if words[start].text.startswith("/") and not words[start].text.startswith(ROOT):
        return None  # `/usr/local/bin/docker-compose`: installed, not the repository's
    if start and words[1].text.startswith("-"):
        return None  # `sh -c '…'`, `bash -x script`: not read
    shell = words[:start]
    env: _Assigned = [(n, _known(v)) for n, v in command.assignments]
    return (*shell, *words[start:]), env, None


# scripts a launcher's script runs, one in another (`make up` -> `bin/dc up` -> `bin/env …`),
# and how many script runs one documented command follows (scripts calling each other often)
_SCRIPT_DEPTH = 3
_SCRIPT_RUNS = 200
_SHEBANG_BYTES = 256  # enough for a `#!` line


def _called(
    launchers: LauncherFiles, command: _Command, chain: tuple[str, ...] = ()
) -> Iterator[_Command]:
    """``command``, or, when it runs a shell script of the repository (:attr:`_Command.script`:
    a file with a shell suffix or ``#!`` line, or one a shell runs), the compose commands of
    that script as this command runs it: in its directory, with its environment and the files
    it made, ``$@`` / ``$1`` its arguments (``./bin/docker-compose up -d`` running ``exec
    docker compose "$@"`` after ``export COMPOSE_FILE=…``), each under ``command``'s launcher.
    A script that cannot be read, or runs itself, gives nothing; a file that is no script of
    the repository is compose itself when it is named so (``./docker-compose up``, a
    downloaded binary)."""
    if not command.script:
        yield command
        return
    shell = posixpath.basename(command.words[0].text) in SHELLS
    program, args = command.words[int(shell)], command.words[int(shell) + 1 :]
    for cwd in command.cwds:
        path = repo_path(cwd, program.text)
        text = None if path is None else launchers.script_text(path, shebang=not shell)
        if path is None or text is None:
            continue
        if path in chain or len(chain) >= _SCRIPT_DEPTH or "compose" not in text:
            return
        if not launchers.follow():
            return  # the load's budget of script runs is spent
        lookup = _located(posixpath.dirname(path) or ".", args)
        made = dict(command.made)
        env = command.environment
        for inner in _shell(text, command.launcher, (cwd,), Location(path), env, lookup, made):
            words = tuple(
                arg
                for w in inner.words
                for arg in (args[w.first_arg - 1 :] if w.all_args else (w,))
            )
            found = replace(inner, launcher=command.launcher, words=words)
            yield from _called(launchers, found, (*chain, path))
        return
    if not shell and posixpath.basename(program.text) in ("docker-compose", "podman-compose"):
        yield replace(command, words=args, script=False)


def _gaps_unknown(command: ShellCommand) -> ShellCommand:
    """The command with a word not known where an array it expands may have more or other
    elements (:attr:`ShellCommand.gaps`: ``files+=(-f "$x.yml")`` in a loop, then ``docker
    compose "${files[@]}" up``): its file list, or its services, are then not known."""
    if not command.gaps:
        return command
    words = list(command.words)
    for index in reversed(command.gaps):
        words.insert(index, Word("*", True, line=command.line))
    return replace(command, words=tuple(words), gaps=())


def _envsubst_input(command: ShellCommand, piped: ShellCommand | None) -> str | None:
    """The literal file ``envsubst`` reads: ``envsubst < FILE``, or ``cat FILE | envsubst``."""
    if not command.argv or posixpath.basename(command.argv[0]) != "envsubst":
        return None
    sources = [target for op, target in command.redirects if op == "<"]
    if not sources and piped is not None and piped.connector == "|":
        sources = list(piped.words[1:]) if piped.argv[:1] == ("cat",) else []
    if len(sources) != 1 or sources[0].unresolved or UNKNOWN in sources[0].text:
        return None
    return sources[0].text


def _rendered(command: _Command) -> Iterator[str]:
    """Where the file a command renders may be, in the order of its directories."""
    for cwd in command.cwds:
        path = repo_path(cwd, command.renders or "")
        if path is not None:
            yield path


# the options of `ln` / `cp` that change nothing about which file ends up at the destination
_LN_FLAGS = frozenset("sfnvTr")
_CP_FLAGS = frozenset("fvpaLTPH")
_MV_FLAGS = frozenset("fvT")
_LONG_FLAGS = {
    "--symbolic": "s", "--force": "f", "--no-dereference": "n", "--verbose": "v",
    "--relative": "r", "--no-target-directory": "T", "--archive": "a", "--dereference": "L",
}  # fmt: skip


def link_or_copy(command: ShellCommand, cwds: tuple[str, ...], made: Made) -> None:
    """``ln -s SOURCE DEST`` / ``ln`` / ``cp SOURCE DEST`` / ``mv SOURCE DEST``: DEST is the
    repository file SOURCE from now on (``ln -s compose.override.e2e.yml
    compose.override.yml`` makes that file the default stack's override).  Only a simple
    command at the top level with two literal paths and options that do not change the result
    is followed; otherwise a literal DEST is made unknown (None), and a DEST that is not
    literal is not known to be a compose file."""
    program = posixpath.basename(command.argv[0])
    allowed = {"ln": _LN_FLAGS, "mv": _MV_FLAGS}.get(program, _CP_FLAGS)
    flags: set[str] = set()
    operands: list[Word] = []
    readable = True
    for word in command.words[1:]:
        text = word.text
        if text.startswith("--") and not operands:
            letter = _LONG_FLAGS.get(text)
            readable = readable and letter is not None and letter in allowed
            flags.add(letter or "?")
        elif text.startswith("-") and len(text) > 1 and not operands:
            readable = readable and set(text[1:]) <= allowed
            flags.update(text[1:])
        else:
            operands.append(word)
    if not operands or operands[-1].unresolved:
        return
    dest_text = operands[-1].text
    readable = readable and command.depth == 0 and len(operands) == 2
    readable = readable and not operands[0].unresolved and not command.redirects
    for cwd in cwds:
        into_directory = dest_text in (".", "./") or dest_text.endswith("/")
        if into_directory and "T" not in flags:
            dest_text_here = posixpath.join(dest_text, posixpath.basename(operands[0].text))
        else:
            dest_text_here = dest_text
        dest = repo_path(cwd, dest_text_here)
        if dest is None:
            continue
        source: str | None = None
        if readable:
            symbolic_relative = program == "ln" and "s" in flags and "r" not in flags
            base = (posixpath.dirname(dest) or ".") if symbolic_relative else cwd
            source = repo_path(base, operands[0].text)
        made[dest] = source


# `git clone`'s options that take a value
_CLONE_VALUES = frozenset(
    ("--depth", "-b", "--branch", "-o", "--origin", "-c", "--config", "--reference",
     "--separate-git-dir", "-j", "--jobs", "-u", "--upload-pack", "--template",
     "--shallow-since", "--shallow-exclude", "--reference-if-able", "--server-option")
)  # fmt: skip


def _cloned(words: Sequence[Word]) -> Iterator[str]:
    """The directory ``git clone [options] URL [DIR]`` makes (DIR, else the URL's last part
    without ``.git``): a document's ``git clone …/app.git && cd app`` enters the checkout."""
    operands: list[Word] = []
    skip = False
    for word in words:
        if skip:
            skip = False
        elif word.text.startswith("-") and len(word.text) > 1:
            skip = word.text in _CLONE_VALUES
        else:
            operands.append(word)
    if not operands or any(w.unresolved for w in operands[:2]):
        return
    if len(operands) > 1:
        name = operands[1].text
    else:
        name = operands[0].text.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
        name = name.removesuffix(".git")
    name = posixpath.normpath(name) if name else ""
    if name and name not in (".", "..") and not name.startswith(("/", "~", "../")):
        yield name


def _copies(text: str) -> bool:
    """Whether shell text may link, copy or write a file (`cp deploy.env .env`, `cat > .env
    <<EOF`) that a later compose command of the same job or document uses (cheap: no parse)."""
    return "cp " in text or "ln " in text or "mv " in text or ".env" in text


_DOTENV_TARGETS = frozenset({".env", "./.env"})


def _is_dotenv(word: Word) -> bool:
    """``.env`` / ``./.env`` of the working directory, or ``${PWD}/.env`` (a directory the
    document does not name: its own)."""
    text = word.text
    return text in _DOTENV_TARGETS or (word.unresolved and text.endswith("/.env"))


def _dotenv_written(command: ShellCommand, path: str) -> list[str] | None:
    """The variables a command writes into the directory's ``.env``: ``cat > .env <<EOF``
    (the here-document's lines), ``tee .env <<EOF``, ``echo "X=1" >> .env``, ``printf
    'X=1\\n' > .env``; None when it writes no ``.env``.  The text is read as a dotenv file
    (keys only; the document's values are placeholders)."""
    from envlint.compose.dotenv import parse_dotenv

    argv = command.argv
    program = posixpath.basename(argv[0]) if argv else ""
    into = any(
        op in (">", ">>", ">|") and _is_dotenv(target) for op, target in command.redirects
    ) or (program == "tee" and any(_is_dotenv(w) for w in command.words[1:]))
    if not into or program not in ("cat", "tee", "echo", "printf"):
        return None
    if program in ("cat", "tee"):
        text = "".join(t.text for op, t in command.redirects if op == "<<")
    else:
        words = [a for a in argv[1:] if not (program == "echo" and a in ("-e", "-n"))]
        text = " ".join(words).replace("\\n", "\n")
    parsed = parse_dotenv(text, path, lambda _name: None)  # values may be unknown: keys count
    return [entry.key for entry in parsed.entries]


def _known(value: str) -> str | None:
    return None if "*" in value or UNKNOWN in value else value


def cd_dirs(cwds: tuple[str, ...], word: Word) -> tuple[str, ...]:
    """Where the commands after ``cd WORD`` may run, from the candidate directories ``cwds``
    (:func:`command_dirs`): each moved by a literal relative path, those that leave the
    repository dropped; unchanged for an absolute, home or unresolved path."""
    if not word.unresolved and (word.text == ROOT or word.text.startswith(ROOT + "/")):
        found = repo_path(".", word.text)  # `cd "$SCRIPT_DIR/.."`: a known directory
        return (found,) if found is not None else cwds
    if word.unresolved or word.text.startswith(("/", "~")):
        return cwds  # `cd "$(dirname "$0")"`: the script's own directory, already first
    moved = tuple(
        dict.fromkeys(
            c
            for c in (posixpath.normpath(posixpath.join(d, word.text)) for d in cwds)
            if c != ".." and not c.startswith("../")
        )
    )
    return moved or cwds


_Assigned = list[tuple[str, str | None]]
# which of the caller's variables reach a command: None every one, else only the names given
# (`sudo` resets the environment; `sudo -E` keeps it, `sudo --preserve-env=A,B` keeps A and B)
_Kept = frozenset[str] | None


def _compose_words(
    command: ShellCommand,
) -> tuple[tuple[Word, ...], _Assigned, _Kept] | None:
    """The words after ``docker compose`` / ``docker-compose``, the variables the command
    line sets (``X=v docker compose``, ``env X=v docker-compose``, ``sudo X=v docker
    compose``) and which of the caller's variables reach it (:data:`_Kept`), or None."""
    words = list(command.words)
    env: _Assigned = [(n, _known(v)) for n, v in command.assignments]
    kept: _Kept = None
    if words and " " in words[0].text and not words[0].unresolved:
        # `$DOCKER_COMPOSE -f x up` with DOCKER_COMPOSE="docker compose": field splitting
        first = words[0]
        words = [Word(part, line=first.line, raw=part) for part in first.text.split()] + words[1:]
    while words and posixpath.basename(words[0].text) in _WRAPPERS:
        wrapper = posixpath.basename(words.pop(0).text)
        if wrapper == "sudo":
            found = _sudo(words, env, kept)
            if found is None:
                return None
            words, env, kept = found
            continue
        while words and (
            words[0].text.startswith("-") or (wrapper == "env" and "=" in words[0].text)
        ):
            word = words.pop(0)
            if wrapper == "env" and "=" in word.text and not word.text.startswith("-"):
                name, _, value = word.text.partition("=")
                env.append((name, None if word.unresolved else value))
    if not words:
        return None
    program = posixpath.basename(words[0].text)
    if program in ("docker-compose", "podman-compose"):
        return tuple(words[1:]), env, kept
    if program not in ("docker", "podman"):
        return None
    i = 1
    while i < len(words) and words[i].text.startswith("-"):
        option = words[i].text
        i += 2 if option in _DOCKER_VALUE_OPTIONS else 1
    if i < len(words) and words[i].text == "compose":
        return tuple(words[i + 1 :]), env, kept
    return None


def _sudo(
    words: list[Word], env: _Assigned, kept: _Kept
) -> tuple[list[Word], _Assigned, _Kept] | None:
    """``sudo [options] [VAR=value...] command``: sudo resets the environment (its
    ``env_reset`` default), so the caller's variables — exports and ``X=v sudo …`` alike — do
    not reach the command, except with ``-E`` / ``--preserve-env`` (all of them) or
    ``--preserve-env=A,B`` (those); the ``VAR=value`` words after the options are set for it.
    None when the command runs elsewhere (``-i``, ``-D dir``) or an option is not known."""
    preserve: _Kept = frozenset()
    i = 0
    while i < len(words):
        text = words[i].text
        if text == "--":
            i += 1
            break
        if not text.startswith("-") or text == "-":
            break
        option, eq, value = text.partition("=")
        if option in _SUDO_ELSEWHERE:
            return None
        if option.startswith("--"):
            if option == "--preserve-env":
                if eq:
                    names = frozenset(n for n in value.split(",") if n)
                    preserve = None if preserve is None else preserve | names
                else:
                    preserve = None
            i += 2 if option in _SUDO_LONG_VALUES and not eq else 1
            continue
        letters = text[1:]
        for index, letter in enumerate(letters):
            if letter in ("i", "D"):
                return None
            if letter == "E":
                preserve = None
            if letter in _SUDO_VALUES:
                i += 1 if index + 1 < len(letters) else 2  # `-uroot` / `-u root`
                break
        else:
            i += 1
    rest = words[i:]
    if preserve is not None:  # the environment is reset: only the preserved names pass
        env = [(name, value) for name, value in env if name in preserve]
        kept = preserve if kept is None else kept & preserve
    env = list(env)
    while rest and "=" in rest[0].text and rest[0].text.partition("=")[0].isidentifier():
        word = rest.pop(0)
        name, _, value = word.text.partition("=")
        env.append((name, None if word.unresolved else _known(value)))
    return rest, env, kept


@dataclass
class _Options:
    files: list[Word] = field(default_factory=list)
    env_files: list[Word] = field(default_factory=list)
    profiles: list[Word] = field(default_factory=list)
    subcommand: str | None = None
    rest: tuple[Word, ...] = ()  # the words after the subcommand


def _options(words: Sequence[Word]) -> _Options | None:
    """compose's global options up to the subcommand (``-f`` after it means something else:
    ``logs -f`` follows the logs)."""
    found = _Options()
    targets = {"-f": found.files, "--file": found.files, "--env-file": found.env_files}
    targets["--profile"] = found.profiles
    i = 0
    while i < len(words):
        word = words[i]
        text = word.text
        if not text.startswith("-") or text == "-":
            found.subcommand = text
            found.rest = tuple(words[i + 1 :])
            return found
        option, eq, value = text.partition("=")
        if option.startswith("-f") and not option.startswith("--") and len(option) > 2:
            option, eq, value = "-f", "=", option[2:]  # -fcompose.yaml
        if option in _VALUE_OPTIONS:
            if eq:
                argument = Word(value, word.unresolved, line=word.line, raw=value)
                i += 1
            elif i + 1 < len(words):
                argument = words[i + 1]
                i += 2
            else:
                return None
            if option in targets:
                targets[option].append(argument)
            continue
        i += 1
    return None  # no subcommand: `docker compose --help`, or an option we do not know


# --------------------------------------------------------------------------- resolving


def _resolve(
    command: _Command,
    known: frozenset[str],
    default_stack: DefaultStack,
    stacked: frozenset[str] = frozenset(),
) -> Invocation | None:
    """The invocation ``command`` makes in the first of its directories where every file it
    names exists.  A bare ``docker compose up`` written in a README (or script) whose directory
    holds no compose file runs in the nearest directory above it that has one, unless compose
    files lie below that directory (``stacked``: the directories with default files): then it
    is run in one of those ("go to ./docker and run docker compose up"), and which one cannot
    be told."""
    options = _options(command.words)
    if options is None or options.subcommand not in _STARTING:
        return None
    if any(w.unresolved or UNKNOWN in w.text for w in (*options.files, *options.env_files)):
        return None
    if any(w.text == "-" for w in options.files):
        return None  # the compose file comes from stdin
    env = {var.name: var for var in command.environment}
    environment = tuple(  # a path the script computed is a real path only where it runs
        replace(var, value=None) if var.value is not None and ROOT in var.value else var
        for var in command.environment
    )
    made = dict(command.made)
    written = [w.text for w in options.files]
    explicit = bool(written)
    if not written and "COMPOSE_FILE" in env:
        value = env["COMPOSE_FILE"].value
        if value is None:
            return None
        separator = env.get("COMPOSE_PATH_SEPARATOR")
        sep = separator.value if separator is not None and separator.value else ":"
        written = [part for part in value.split(sep) if part]
        explicit = True
    # no --env-file: COMPOSE_ENV_FILES names them, comma-separated (Compose's environment
    # variables page), in place of the directory's .env
    env_written = [w.text for w in options.env_files]
    if not env_written and "COMPOSE_ENV_FILES" in env:
        value = env["COMPOSE_ENV_FILES"].value
        if value is None:
            return None  # the env files are not known, nor the stack's environment
        env_written = [part for part in value.split(",") if part]
    for cwd in command.cwds:
        if written:
            files = [repo_path(cwd, text) for text in written]
        else:
            files = list(_default_files(cwd, default_stack, made))
            if not files and _below(command.cwds[0], stacked):
                return None
            if not files:
                continue
        if any(f in made and made[f] is None for f in files):
            return None  # a file the launcher made from something envlint cannot know
        files = [made.get(f, f) if f is not None else None for f in files]
        if not all(f is not None and f in known for f in files):
            continue
        resolved = tuple(f for f in files if f is not None)
        # an absent one (git-ignored, made by the launcher) is kept: the loader reads its
        # example in its place, or leaves the command out (its environment is not known)
        env_files = tuple(repo_path(cwd, text) or text for text in env_written)
        profiles = tuple(
            dict.fromkeys(p.strip() for w in options.profiles for p in w.text.split(","))
        )
        profiles = tuple(p for p in profiles if p)
        services, no_deps, left = _started(options.subcommand, options.rest)
        return Invocation(
            command.launcher,
            cwd,
            resolved,
            env_files,
            profiles,
            environment,
            explicit,
            services,
            no_deps,
            command.made,
            left,
        )
    return None


def _instances(command: _Command, files: Sequence[str]) -> Iterator[_Command]:
    """The command, or, when one of its ``-f`` files is chosen by a parameter or a variable
    envlint cannot know (``-f test-envs/docker-compose-$1.yml``: :func:`_file_pattern`), the
    command once for each repository file that path can be (each ``$X`` any text within the
    file name), in the first of its directories where some file matches."""
    options = _options(command.words)
    given = options.files if options else []
    patterns = [(w, p) for w in given if (p := _file_pattern(w)) is not None]
    if len(patterns) != 1 or not any(w is patterns[0][0] for w in command.words):
        yield command  # none, or several parts that may depend on one another: as written
        return
    word, pattern = patterns[0]
    for cwd in command.cwds:
        base = repo_path(cwd, posixpath.dirname(pattern) or ".")
        if base is None:
            continue
        parts = posixpath.basename(pattern).split("*")
        name = re.compile("[^/]*".join(re.escape(part) for part in parts))
        prefix = "" if base == "." else base + "/"
        matched = [
            f for f in files
            if f.startswith(prefix) and name.fullmatch(f[len(prefix) :]) is not None
        ]  # fmt: skip
        for path in matched:
            written = posixpath.relpath(path, cwd)
            chosen = Word(written, line=word.line, raw=word.raw)
            words = tuple(chosen if w is word else w for w in command.words)
            yield _Command(command.launcher, (cwd,), words, command.environment, command.made)
        if matched:
            return


def _file_pattern(word: Word) -> str | None:
    """The path a ``-f`` word is when its unknown parts (``$1``, ``${ENV}``, ``$(…)``: a ``*``
    in its text) are in the file name, and the name keeps a literal part before its suffix
    (``docker-compose-*.yml``; not ``*.yml``, nor ``$DIR/compose.yml``); None otherwise.  A
    ``*`` written in the word is a glob the shell expands, not a parameter: None too."""
    text = word.text
    if not word.unresolved or word.all_args or "*" not in text or UNKNOWN in text:
        return None
    if any(c in word.raw for c in "*?["):
        return None
    directory, _, name = text.rpartition("/")
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip("*") else name
    if "*" in directory or not stem.replace("*", "") or text.startswith(("/", "~")):
        return None
    return text


def _default_files(cwd: str, default_stack: DefaultStack, made: Made) -> tuple[str, ...]:
    """What a bare ``docker compose`` loads in ``cwd``: the directory's default files, with the
    ones earlier commands linked or copied there (``ln -s compose.e2e.yml
    compose.override.yml``) taking part in Compose's choice as the paths they were made at."""
    from envlint.discovery import default_stack as choose

    existing = default_stack(cwd)
    created = [path for path in made if (posixpath.dirname(path) or ".") == cwd]
    if not created:
        return existing
    return tuple(choose([*created, *existing]))


# each starting subcommand's options that take a value (docker compose v2)
_SUBCOMMAND_VALUES = {
    "up": frozenset(
        ("--attach", "--exit-code-from", "--no-attach", "--pull", "--scale", "-t", "--timeout",
         "--wait-timeout")
    ),
    "run": frozenset(
        ("-e", "--env", "--env-from-file", "-l", "--label", "--name", "-p", "--publish", "-v",
         "--volume", "-w", "--workdir", "-u", "--user", "--entrypoint", "--cap-add",
         "--cap-drop", "--pull")
    ),
    "create": frozenset(("--pull", "--scale")),
    "watch": frozenset(),
    "scale": frozenset(),
}  # fmt: skip
# the flags (no value) envlint knows, per subcommand; any other option makes the services unknown
_SUBCOMMAND_FLAGS = {
    "up": frozenset(
        ("-d", "--detach", "--build", "--no-build", "--force-recreate", "--no-recreate",
         "--always-recreate-deps", "--remove-orphans", "-V", "--renew-anon-volumes",
         "--abort-on-container-exit", "--abort-on-container-failure", "--attach-dependencies",
         "--no-color", "--no-log-prefix", "--no-start", "--quiet-pull", "--wait", "-y", "--yes",
         "--watch", "-w", "--menu", "--timestamps", "--no-deps", "--quiet-build")
    ),
    "run": frozenset(
        ("-d", "--detach", "--rm", "--no-deps", "-T", "--no-TTY", "-i", "--interactive",
         "--service-ports", "--use-aliases", "--build", "--quiet-pull", "--remove-orphans", "-P",
         "--quiet-build", "-q", "--quiet")
    ),
    "create": frozenset(
        ("--build", "--force-recreate", "--no-build", "--no-recreate", "--quiet-pull",
         "--remove-orphans", "-y", "--yes")
    ),
    "watch": frozenset(("--no-up", "--prune", "--quiet")),
    "scale": frozenset(("--no-deps",)),
}  # fmt: skip


_DETACHING = frozenset(("-d", "--detach", "--wait"))


def _started(
    subcommand: str | None, rest: Sequence[Word]
) -> tuple[tuple[str, ...] | None, bool, LeftRunning]:
    """The services a starting command names, whether it says ``--no-deps`` and what it leaves
    running (:attr:`Invocation.leaves_running`): ``up -d a b`` -> (a, b);
    ``run --rm tests pytest`` -> (tests,); ``scale web=3`` -> (web,); ``up`` -> None (every
    service).  An option envlint does not know, or a name it cannot read, makes it None: which
    services the command starts is then not known, so it counts for all."""
    if subcommand is None or subcommand not in _SUBCOMMAND_VALUES:
        return None, False, "none"
    values, flags = _SUBCOMMAND_VALUES[subcommand], _SUBCOMMAND_FLAGS[subcommand]
    names: list[str] = []
    no_deps = False
    detached = subcommand == "scale"
    left: LeftRunning = "dependencies" if subcommand == "run" else "none"
    i = 0
    while i < len(rest):
        word = rest[i]
        text = word.text
        if text == "--":
            names.extend(w.text for w in rest[i + 1 :][: 1 if subcommand == "run" else None])
            break
        if text.startswith("-") and len(text) > 1:
            option, eq, _ = text.partition("=")
            if option in values:
                i += 1 if eq else 2
                continue
            if option not in flags:
                return None, False, "none"
            no_deps = no_deps or option == "--no-deps"
            detached = detached or option in _DETACHING
            i += 1
            continue
        if word.unresolved or not text:
            return None, False, "none"
        names.append(text.partition("=")[0] if subcommand == "scale" else text)
        if subcommand == "run":
            break  # the rest is the command the container runs
        i += 1
    if detached and subcommand != "create":
        left = "all"
    return (tuple(dict.fromkeys(names)) or None), no_deps, left


def _below(directory: str, stacked: frozenset[str]) -> bool:
    """Whether a directory with default compose files lies below ``directory``."""
    prefix = "" if directory == "." else directory + "/"
    return any(d.startswith(prefix) and d != directory for d in stacked)


def repo_path(cwd: str, text: str) -> str | None:
    """The path ``text`` written in a command that runs in ``cwd`` (both relative to the root),
    normalised; None when it is absolute, in a home directory or outside the repository."""
    if text == ROOT or text.startswith(ROOT + "/"):  # a path the script computed
        text, cwd = posixpath.normpath(text), "."
        if text != ROOT and not text.startswith(ROOT + "/"):
            return None
        text = text[len(ROOT) + 1 :] or "."
    if text.startswith(("/", "~")) or "\x00" in text:
        return None
    joined = posixpath.normpath(posixpath.join(cwd, text))
    if joined == ".." or joined.startswith("../"):
        return None
    return joined


# --------------------------------------------------------------------------- Makefiles


def _recipes(rules: Sequence[MakeRule]) -> tuple[Recipe, ...]:
    """A Makefile's rules that ``make NAME`` runs, each with its first target that is not a
    pattern, its lines as their shell gets them."""
    out: list[Recipe] = []
    for rule in rules:
        target = next((t for t in rule.targets if "%" not in t), None)
        if target is not None:
            lines = tuple(
                (number, command.replace(UNKNOWN, UNKNOWN_SHELL))  # as its shell gets it
                for number, line in rule.recipe
                for command in recipe_commands(line, rule.values)  # a canned recipe: several
            )
            out.append(Recipe(target, rule, lines))
    return tuple(out)


def _makefile(path: str, directory: str, recipes: Sequence[Recipe]) -> Iterator[_Command]:
    """Recipes that run compose, with the variables make exports to them."""
    for recipe in recipes:
        launcher = Launcher("make", f"{path} (make {recipe.target})", Location(path))
        environment = tuple(_exported(path, recipe.rule))
        yield from _recipe_lines(launcher, recipe.lines, (directory,), environment)


def _justfile(path: str, directory: str, recipes: Sequence[JustRecipe]) -> Iterator[_Command]:
    """Recipes that run compose, in their working directory, with the variables just exports
    to them (a ``[no-cd]`` recipe runs where its caller is: not known, not read)."""
    for recipe in recipes:
        cwd = None if recipe.directory is None else repo_path(directory, recipe.directory)
        if cwd is None:
            continue
        launcher = Launcher("just", f"{path} (just {recipe.name})", Location(path))
        environment = tuple(
            LaunchVar(name, value, Location(path, line)) for name, value, line in recipe.exported
        )
        yield from _recipe_lines(launcher, recipe.shells, (cwd,), environment)


def _recipe_lines(
    launcher: Launcher,
    lines: Sequence[tuple[int, str]],
    cwds: tuple[str, ...],
    environment: tuple[LaunchVar, ...],
) -> Iterator[_Command]:
    """The compose commands of a make or just recipe's lines (line number, shell text): each
    line runs in its own shell; the files one makes stay for the next."""
    made: Made = {}
    for number, shell_text in lines:
        if "compose" in shell_text or "/" in shell_text:  # or a script it runs by path
            start = Location(launcher.location.path, number)
            yield from _shell(shell_text, launcher, cwds, start, environment, made=made)


def _exported(path: str, rule: MakeRule) -> Iterator[LaunchVar]:
    for name, line in rule.exported:
        if name.isidentifier():
            value = expand(rule.values.get(name, ""), rule.values)
            yield LaunchVar(name, None if UNKNOWN in value else value, Location(path, line))


# --------------------------------------------------------------------------- package.json


def _package_json(path: str, directory: str, data: bytes) -> Iterator[_Command]:
    from envlint.compose.yamlnodes import YamlError, YMap, YScalar, load_yaml_documents

    try:  # JSON is YAML: the YAML reader gives positions
        docs = load_yaml_documents(data, path, max_bytes=MAX_LAUNCHER_BYTES, max_nodes=200_000)
    except (YamlError, RecursionError, ValueError):
        return
    doc = docs[0] if docs else None
    scripts = doc.get("scripts") if isinstance(doc, YMap) else None
    if not isinstance(scripts, YMap):
        return
    for key, value in scripts.items:
        if isinstance(value, YScalar) and isinstance(value.value, str) and "compose" in value.value:
            name = str(key.value)
            launcher = Launcher("npm", f"{path} script {name} (npm run {name})", key.loc)
            yield from _shell(value.value, launcher, (directory,), key.loc)


# --------------------------------------------------------------------------- Markdown


def _markdown(path: str, directory: str, shell: Sequence[DocShell]) -> Iterator[_Command]:
    """The compose commands of a Markdown document's shell code (:func:`_document_shell`),
    read as one terminal session: what a block exports holds for the blocks after it."""
    session = _Session(path, command_dirs(directory))
    for code in shell:
        yield from session.run(code.text, code.line)


def _document_shell(text: str) -> tuple[DocShell, ...]:
    """Shell in a Markdown document: fenced blocks whose info string is a shell or empty, and
    indented code blocks (with ``$ `` / ``> `` prompts, only the prompt lines); inline code
    that is a whole compose command; a list item whose text is one (``- docker-compose up``)."""
    from markdown_it import MarkdownIt

    out: list[DocShell] = []
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    items = 0  # list items open around the token
    for index, token in enumerate(tokens):
        items += {"list_item_open": 1, "list_item_close": -1}.get(token.type, 0)
        first = (token.map[0] + 1) if token.map else 1
        if token.type in ("fence", "code_block"):  # ``` fenced, or indented four spaces
            info = token.info.strip().split()[0].lower() if token.info.strip() else ""
            if info in _SHELL_FENCES:
                content = _commands(token.content, info in _TRANSCRIPTS)
                out.append(DocShell(first + (token.type == "fence"), content, block=True))
        elif token.type == "inline" and token.children and "compose" in token.content:
            if items and tokens[index - 1].type == "paragraph_open":
                for offset, written in enumerate(token.content.split("\n")):
                    code = written.strip().removeprefix("$ ")
                    if "`" not in code and _is_compose(code):
                        out.append(DocShell(first + offset, code, block=False))
            line = first
            for child in token.children:
                if child.type in ("softbreak", "hardbreak"):
                    line += 1
                elif child.type == "code_inline":
                    code = child.content.strip().removeprefix("$ ").strip()
                    if _is_compose(code):
                        out.append(DocShell(line, code, block=False))
    return tuple(out)


def _asciidoc(path: str, directory: str, text: str) -> Iterator[_Command]:
    """Shell in an AsciiDoc document: its listing (``----``), literal (``....``) and fenced
    (`````) blocks whose ``[source,LANG]`` is a shell or absent, prompts read as in Markdown.
    A block's delimiter line closes it only when repeated exactly; comment blocks (``////``)
    are skipped whole; other delimited blocks (examples, sidebars) are read through."""
    session = _Session(path, command_dirs(directory))
    lines = text.split("\n")
    language: str | None = None  # the [source,LANG] / [listing] line just above, if any
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        delimiter = _adoc_delimiter(line)
        if delimiter is None:
            if line.startswith("[") and line.endswith("]") and not line.startswith("[["):
                language = _adoc_language(line[1:-1])
            elif line and not line.startswith("//") and not line.startswith("."):
                language = None  # a block title (.Title) or comment keeps the attribute line
            i += 1
            continue
        fence = delimiter.startswith("`")
        if not (fence or delimiter[0] in "-./"):
            language = None
            i += 1  # an example/sidebar/quote/passthrough block: its lines are read on
            continue
        close = "```" if fence else delimiter
        end = next((j for j in range(i + 1, len(lines)) if lines[j].rstrip() == close), len(lines))
        info = line[3:].strip().split(",")[0].strip().lower() if fence else language or ""
        if delimiter[0] != "/" and info in _SHELL_FENCES:
            content = "\n".join(lines[i + 1 : end])
            yield from session.run(_commands(content, info in _TRANSCRIPTS), i + 2)
        language = None
        i = end + 1


def _adoc_delimiter(line: str) -> str | None:
    """The delimiter a line opens a block with: four or more of ``-`` ``.`` ``/`` ``=`` ``*``
    ``+`` ``_`` alone on the line, or a ``````` fence (with its language)."""
    if line.startswith("```"):
        return "```"
    if len(line) >= 4 and line[0] in "-./=*+_" and line == line[0] * len(line):
        return line
    return None


def _adoc_language(attributes: str) -> str | None:
    """The language of a block attribute line: ``source,bash`` -> bash, ``,sh`` -> sh,
    ``source`` / ``listing`` / ``literal`` -> "" (no language); None for any other style."""
    parts = [part.strip() for part in attributes.split(",")]
    style = parts[0].partition("%")[0].partition("#")[0]
    if style in ("source", ""):
        return parts[1].lower() if len(parts) > 1 and "=" not in parts[1] else ""
    if style in ("listing", "literal"):
        return ""
    return None


# fences whose text is a terminal transcript: only the lines after a prompt are commands
_TRANSCRIPTS = frozenset(("console", "shell-session", "shellsession", "terminal"))


def _is_compose(code: str) -> bool:
    """Whether a piece of inline text is one compose command (after its ``X=v`` / ``env``
    prefix): ``docker compose up -d``, ``env A=1 docker-compose up``; not ``docker-compose.yml``
    nor a sentence."""
    commands = parse_shell(placeholders(code))
    return bool(commands) and _compose_words(commands[0]) is not None


class _Session:
    """A document read as one terminal session, in document order: each block's commands get
    what the blocks before exported and the ``.env`` files they copied, moved or linked
    (``cp env-example .env`` in one block, ``docker compose up`` in a later one).  Other files
    a block makes (a linked compose override) stay with that block."""

    def __init__(self, path: str, cwds: tuple[str, ...]) -> None:
        self.path = path
        self.cwds = cwds
        self.exports: list[LaunchVar] = []
        self.dotenvs: Made = {}  # the `.env` files earlier blocks made: path -> source
        self.clones: set[str] = set()  # the checkouts earlier blocks cloned

    def run(self, text: str, line: int) -> Iterator[_Command]:
        if not any(w in text for w in ("compose", "export", "clone")) and not _copies(text):
            return
        start = Location(self.path, line)
        before = tuple(self.exports)
        launcher = Launcher("docs", self.path, start)
        text = placeholders(text)
        made = dict(self.dotenvs)
        commands = _shell(
            text,
            launcher,
            self.cwds,
            start,
            before,
            made=made,
            exports=self.exports,
            clones=self.clones,
        )
        for command in commands:
            where = command.launcher.location
            named = Launcher("docs", f"{self.path}:{where.line}", where)
            yield _Command(named, command.cwds, command.words, command.environment, command.made)
        self.dotenvs.update((p, s) for p, s in made.items() if posixpath.basename(p) == ".env")


def _commands(text: str, transcript: bool) -> str:
    """The shell of a code block, line numbers kept: with ``$ `` / ``% `` prompts (or ``> ``
    ones when there is no ``$``), only the prompt lines and the lines continuing them (after a
    ``\\`` at the end, or ``> `` secondary prompts) — the rest is output; without any prompt the
    whole block, unless it is a transcript (then it is all output)."""
    lines = text.split("\n")
    stripped = [line.lstrip() for line in lines]
    prompts: tuple[str, ...] = ("$ ", "% ")
    if not any(s.startswith(prompts) or s in ("$", "%") for s in stripped):
        prompts = ("> ",)
        if not any(s.startswith(prompts) for s in stripped):
            return "" if transcript else text
    out: list[str] = []
    command = False  # the line before is a command line
    for line, bare in zip(lines, stripped, strict=True):
        if command and out[-1].endswith("\\"):
            out.append(line)
        elif bare.startswith(prompts) or (command and bare.startswith("> ")):
            out.append(bare[2:])  # a prompt, or a secondary prompt: the command goes on
        else:
            out.append("")
        command = bool(out[-1])
    return "\n".join(out)


# --------------------------------------------------------------------------- compose files

# `docker compose` / `docker-compose` named as a program in a comment (not `docker-compose.yml`)
_COMPOSE_PROGRAM = re.compile(
    r"(?<![\w./\\-])(?:(?:docker|podman)[ \t]+compose|(?:docker|podman)-compose)(?![\w.-])"
)
# a YAML line that opens a block scalar (`command: |`, `- >-`): the lines below it that are
# indented deeper are its text, `#` or not
_BLOCK_SCALAR = re.compile(r"(?:^-|:|\s-)\s+[|>][-+0-9]*$")
# a comment after a YAML line's content (`command: |  # the script`)
_TRAILING_COMMENT = re.compile(r"\s+#.*$")
# what may stand before the program on its command line: `X=v`, `sudo`, `env`
_PREFIX_WORD = re.compile(r"(?:[A-Za-z_]\w*=\S*|sudo|env)")
# a commented-out service key whose value is a command the container runs, not a launcher
_RUN_KEYS = frozenset(("command:", "entrypoint:", "test:", "- command:", "- entrypoint:"))


def _compose_comments(path: str, directory: str, text: str) -> Iterator[_Command]:
    """The compose commands a compose file's comment lines show (``# docker-compose -f
    docker-compose.yml -f docker-compose.prod.yml up``), read as a document's, from the file's
    directory: :func:`_comment_commands`."""
    session = _Session(path, command_dirs(directory))
    for line, code in _comment_commands(text):
        yield from session.run(code, line)


def _comment_commands(text: str) -> Iterator[tuple[int, str]]:
    """(line, shell text) of each compose command a YAML comment line holds: written as inline
    code (`` `…` ``) or in quotes, that text; else from the words that start it (``X=v``,
    ``sudo``) to the end of the line (and the next comment lines while it ends with ``\\``),
    when it starts the comment or follows a colon or a prompt (``Usage: docker compose …``,
    ``$ docker compose …``), not a program named in a sentence.  A ``#`` line inside a block
    scalar is its text, not a comment; a commented-out ``command:`` is what a container runs,
    not how the stack is started."""
    lines = text.split("\n")
    block: int | None = None  # the indentation of the line that opened a block scalar
    for index, raw in enumerate(lines):
        stripped = raw.strip()
        indent = len(raw) - len(raw.lstrip())
        if block is not None and (not stripped or indent > block):
            continue
        block = None
        if not stripped.startswith("#"):
            content = _TRAILING_COMMENT.sub("", stripped)
            block = indent if _BLOCK_SCALAR.search(content) else None
            continue
        body = stripped.lstrip("#").strip()
        found = _COMPOSE_PROGRAM.search(body)
        if found is None:
            continue
        code = _comment_code(body, found)
        if code is None:
            continue
        following = index + 1
        while code.endswith("\\") and following < len(lines):
            more = lines[following].strip()
            if not more.startswith("#"):
                break
            code += "\n" + more.lstrip("#").strip()
            following += 1
        yield index + 1, code.rstrip().rstrip(".,")


def _comment_code(body: str, found: re.Match[str]) -> str | None:
    """The command a comment's text holds where ``found`` names the program
    (:func:`_comment_commands`); None when it is named in a sentence."""
    for span in re.finditer(r"`([^`\n]+)`", body):
        if span.start(1) <= found.start() < span.end(1):
            return span.group(1)
    start = found.start()
    words = body[:start].split()
    while words and _PREFIX_WORD.fullmatch(words[-1]) is not None:
        start = body.rindex(words.pop(), 0, start)
    before = body[:start].rstrip()
    quote = before[-1:] if before.endswith(('"', "'")) else ""
    if quote:
        end = body.find(quote, found.end())
        return body[start:end] if end >= 0 else None
    if before in _RUN_KEYS or not (not before or before.endswith((":", "$", ">", "-"))):
        return None  # the program named in a sentence (`the docker-compose file has…`)
    return body[start:]


_PLACEHOLDER = re.compile(r"(?:(?<==)|(?<=\s)|^)<[^<>\n|;&`'\"]+>(?=\s|$)", re.MULTILINE)


def placeholders(text: str) -> str:
    """Documentation's ``<...>`` / ``<your key>`` placeholders as a value the shell cannot know
    (``KEY=<...> docker compose up``: KEY is given, its value unknown), where a shell would
    read a redirection: an ``<`` that starts a word or a value, a ``>`` that ends it."""
    return _PLACEHOLDER.sub("$(placeholder)", text)


# --------------------------------------------------------------------------- CI


def _yaml(path: str, data: bytes) -> tuple[YNode, ...]:
    from envlint.compose.yamlnodes import YamlError, load_yaml_documents

    try:
        docs = load_yaml_documents(data, path, max_bytes=MAX_LAUNCHER_BYTES, max_nodes=500_000)
    except (YamlError, RecursionError, ValueError):
        return ()
    return tuple(d for d in docs if d is not None)


def _get(node: YNode | None, *keys: str) -> YNode | None:
    from envlint.compose.yamlnodes import dig

    return dig(node, *keys)


def _text(node: YNode | None) -> str | None:
    from envlint.compose.yamlnodes import YScalar, scalar_text

    if isinstance(node, YScalar) and isinstance(node.value, bool):
        return "true" if node.value else "false"
    return scalar_text(node)


def _env_vars(node: YNode | None, unknown: Callable[[str], bool]) -> list[LaunchVar]:
    """A ``KEY: value`` mapping (or ``["KEY=value"]`` list) of a CI file as launch variables."""
    from envlint.compose.yamlnodes import YMap, YSeq

    out: list[LaunchVar] = []
    if isinstance(node, YMap):
        for key, value in node.items:
            if isinstance(key.value, str) and key.value.isidentifier():
                text = _text(value)
                known = None if text is None or unknown(text) else text
                out.append(LaunchVar(key.value, known, key.loc))
    elif isinstance(node, YSeq):
        for item in node.items:
            entry = _text(item)
            if entry is None or "=" not in entry:
                continue
            name, _, written = entry.partition("=")
            if name.isidentifier():
                out.append(LaunchVar(name, None if unknown(written) else written, item.loc))
    return out


def _github_unknown(value: str) -> bool:
    return "${{" in value


def run_start(node: YNode) -> Location:
    """Where the first line of a ``run:`` / script scalar's content is written."""
    from envlint.compose.yamlnodes import YScalar

    loc = node.loc
    if isinstance(node, YScalar) and node.style in ("|", ">"):
        return Location(loc.path, loc.line + 1)
    return Location(loc.path, loc.line)


def _github(path: str, docs: tuple[YNode, ...]) -> Iterator[_Command]:
    """A workflow's jobs, or a composite action's steps (``.github/actions/*/action.yml``, which
    a job's step runs with ``uses: ./.github/actions/x``: its ``working-directory`` is relative
    to the workspace, the repository root)."""
    from envlint.compose.yamlnodes import YMap

    for doc in docs[:1]:
        if not path.startswith(".github/workflows/"):
            if _text(_get(doc, "runs", "using")) == "composite":
                action = posixpath.basename(posixpath.dirname(path))
                yield from _steps(f"CI action {action} ({path})", _get(doc, "runs", "steps"), [])
            continue
        jobs = _get(doc, "jobs")
        if not isinstance(jobs, YMap):
            continue
        workflow_env = _env_vars(_get(doc, "env"), _github_unknown)
        inputs = _workflow_inputs(doc)
        workflow_dir = _text(_get(doc, "defaults", "run", "working-directory"))
        for job_key, job in jobs.items:
            name = f"CI job {job_key.value} ({path})"
            job_env = [*workflow_env, *_env_vars(_get(job, "env"), _github_unknown)]
            job_dir = _text(_get(job, "defaults", "run", "working-directory")) or workflow_dir
            yield from _steps(name, _get(job, "steps"), job_env, job_dir, inputs)


def _workflow_inputs(doc: YNode | None) -> dict[str, str | None]:
    """The inputs of a reusable or dispatched workflow (``on.workflow_call.inputs`` /
    ``on.workflow_dispatch.inputs``) as its own runs see them: the declared ``default``; ``""``
    for an optional input without one (GitHub gives unset inputs as empty); ``None`` (unknown)
    for a required input without a default, which only a caller gives."""
    from envlint.compose.yamlnodes import YMap

    out: dict[str, str | None] = {}
    for trigger in ("workflow_call", "workflow_dispatch"):
        declared = _get(doc, "on", trigger, "inputs")
        if not isinstance(declared, YMap):
            continue
        for key, spec in declared.items:
            if not isinstance(key.value, str):
                continue
            default = _text(_get(spec, "default"))
            required = _text(_get(spec, "required")) == "true"
            value = default if default is not None else (None if required else "")
            out.setdefault(key.value, value)
    return out


# `${{ inputs.x || '.' }}`: input references and quoted literals joined by `||` (GitHub's
# expression syntax: the first truthy operand, else the last)
_OPERAND = r"(?:'(?:[^']|'')*'|inputs\.[A-Za-z_][\w-]*)"
_INPUT_EXPR = re.compile(rf"\s*{_OPERAND}(?:\s*\|\|\s*{_OPERAND})*\s*")
_TEMPLATE = re.compile(r"\$\{\{(.*?)\}\}", re.DOTALL)


def _github_path(text: str, inputs: Mapping[str, str | None]) -> str | None:
    """A ``working-directory`` with its ``${{ ... }}`` expressions evaluated when they only
    combine inputs and literals (``${{ inputs.working-directory || '.' }}``); None when an
    expression needs anything else (a matrix value, a step output, a caller's input)."""
    unknown = False

    def evaluate(match: re.Match[str]) -> str:
        nonlocal unknown
        expression = match.group(1)
        if _INPUT_EXPR.fullmatch(expression) is None:
            unknown = True
            return ""
        value = ""
        for operand in re.findall(_OPERAND, expression):
            if operand.startswith("'"):
                value = operand[1:-1].replace("''", "'")
            else:
                found = inputs.get(operand[len("inputs.") :], "")
                if found is None:
                    unknown = True
                    return ""
                value = found
            if value:
                break
        return value

    result = _TEMPLATE.sub(evaluate, text)
    return None if unknown else (result or ".")


def _steps(
    name: str,
    steps: YNode | None,
    job_env: list[LaunchVar],
    job_dir: str | None = None,
    inputs: Mapping[str, str | None] | None = None,
) -> Iterator[_Command]:
    from envlint.compose.yamlnodes import YSeq

    if not isinstance(steps, YSeq):
        return
    written: list[LaunchVar] = []  # echo "X=v" >> $GITHUB_ENV in earlier steps
    made: Made = {}  # files earlier steps linked or copied (the job's workspace is shared)
    for step in steps.items:
        run = _get(step, "run")
        script = _text(run)
        if run is None or script is None:
            continue
        step_env = _env_vars(_get(step, "env"), _github_unknown)
        written_dir = _text(_get(step, "working-directory")) or job_dir or "."
        directory = _github_path(written_dir, inputs or {})
        cwd = repo_path(".", directory) if directory is not None else None
        start = run_start(run)
        environment = (*job_env, *written, *step_env)
        if cwd is not None and ("compose" in script or _copies(script)):
            launcher = Launcher("ci", name, start)
            yield from _shell(script, launcher, (cwd,), start, environment, made=made)
        if "GITHUB_ENV" in script:  # no second parse of a step that cannot write to it
            written.extend(_github_env_writes(script, start))


def _github_env_writes(script: str, start: Location) -> list[LaunchVar]:
    """``echo "X=v" >> "$GITHUB_ENV"``: X is in the environment of the job's later steps."""
    out: list[LaunchVar] = []
    marker, lookup = runner_file("GITHUB_ENV")
    for command in parse_shell(script, lookup):
        for name, value, word in written_to(command, marker):
            if name.isidentifier():
                known = None if word.unresolved or "${{" in value else value
                where = Location(start.path, start.line + command.line - 1)
                out.append(LaunchVar(name, known, where))
    return out


_GITLAB_RESERVED = frozenset(
    ("default", "include", "stages", "variables", "workflow", "image", "services", "cache",
     "before_script", "after_script")
)  # fmt: skip


def _gitlab(path: str, docs: tuple[YNode, ...]) -> Iterator[_Command]:
    """A pipeline's jobs with GitLab's inheritance: a key the job does not set comes from the
    jobs it ``extends`` (the last one listed wins; ``variables`` merge, the job's win), then
    ``before_script`` / ``after_script`` from ``default:`` or the top level (the deprecated
    global form) unless ``inherit: default:`` refuses them; the top-level ``variables`` reach
    every job unless ``inherit: variables:`` refuses them.  Hidden jobs (``.name``) only lend
    keys."""
    from envlint.compose.yamlnodes import YMap, YScalar, YSeq

    for doc in docs[:1]:
        if not isinstance(doc, YMap):
            continue
        global_env = _env_vars(_get(doc, "variables"), lambda v: "$" in v)
        for key, job in doc.items:
            if not isinstance(key.value, str) or key.value in _GITLAB_RESERVED:
                continue
            if key.value.startswith(".") or not isinstance(job, YMap):
                continue
            inherited = _gitlab_inherit(doc, job, "variables")
            environment = (
                *(v for v in global_env if inherited(v.name)),
                *_gitlab_variables(doc, job),
            )
            launcher = Launcher("ci", f"CI job {key.value} ({path})", key.loc)
            made: Made = {}
            takes = _gitlab_inherit(doc, job, "default")
            for section in ("before_script", "script", "after_script"):
                lines = _gitlab_key(doc, job, section)
                if lines is None and section != "script" and takes(section):
                    lines = _get(doc, "default", section) or _get(doc, section)
                items = lines.items if isinstance(lines, YSeq) else (lines,) if lines else ()
                for item in items:
                    script = item.value if isinstance(item, YScalar) else None
                    if isinstance(script, str) and ("compose" in script or _copies(script)):
                        start = run_start(item)
                        yield from _shell(script, launcher, (".",), start, environment, made=made)


def _gitlab_parents(doc: YNode, job: YNode) -> list[YNode]:
    """The jobs ``job`` extends, in the order written (a name or a list of names)."""
    from envlint.compose.yamlnodes import YSeq

    written = _get(job, "extends")
    names = [_text(i) for i in written.items] if isinstance(written, YSeq) else [_text(written)]
    return [p for p in (_get(doc, n) for n in names if n) if p is not None and p is not job]


def _gitlab_key(doc: YNode, job: YNode, key: str, depth: int = 0) -> YNode | None:
    """``job``'s ``key``, its own or from the jobs it extends (the last listed wins; GitLab
    allows 11 levels)."""
    own = _get(job, key)
    if own is not None or depth > 10:
        return own
    for parent in reversed(_gitlab_parents(doc, job)):
        found = _gitlab_key(doc, parent, key, depth + 1)
        if found is not None:
            return found
    return None


def _gitlab_variables(doc: YNode, job: YNode, depth: int = 0) -> list[LaunchVar]:
    """``job``'s ``variables`` merged over those of the jobs it extends (later entries win)."""
    parents = _gitlab_parents(doc, job) if depth <= 10 else []
    merged = [v for p in parents for v in _gitlab_variables(doc, p, depth + 1)]
    return [*merged, *_env_vars(_get(job, "variables"), lambda v: "$" in v)]


def _gitlab_inherit(doc: YNode, job: YNode, kind: str) -> Callable[[str], bool]:
    """Whether ``job`` takes a ``default:`` keyword / a top-level variable by name:
    ``inherit: default: false`` (or ``variables: false``) refuses all, a list takes only
    those listed."""
    from envlint.compose.yamlnodes import YSeq

    written = _get(_gitlab_key(doc, job, "inherit"), kind)
    if isinstance(written, YSeq):
        listed = {_text(i) for i in written.items}
        return lambda name: name in listed
    return lambda _name: _text(written) != "false"


def _cloudbuild(path: str, docs: tuple[YNode, ...]) -> Iterator[_Command]:
    from envlint.compose.yamlnodes import YSeq

    directory = posixpath.dirname(path) or "."
    for doc in docs[:1]:
        steps = _get(doc, "steps")
        if not isinstance(steps, YSeq):
            continue
        for index, step in enumerate(steps.items):
            image = _text(_get(step, "name")) or ""
            entrypoint = _text(_get(step, "entrypoint"))
            args_node = _get(step, "args")
            args = [_text(a) for a in args_node.items] if isinstance(args_node, YSeq) else []
            if any(a is None for a in args):
                continue
            words = [a for a in args if a is not None]
            step_id = _text(_get(step, "id")) or str(index + 1)
            launcher = Launcher("ci", f"Cloud Build step {step_id} ({path})", step.loc)
            environment = tuple(_env_vars(_get(step, "env"), lambda v: "$" in v))
            cwd = repo_path(directory, _text(_get(step, "dir")) or ".")
            if cwd is None:
                continue
            if entrypoint in ("bash", "sh") and len(words) >= 2 and words[0] == "-c":
                yield from _shell(words[1], launcher, (cwd,), step.loc, environment)
                continue
            program = entrypoint or ("docker-compose" if "compose" in image else "docker")
            if posixpath.basename(program) not in ("docker-compose", "docker"):
                continue
            argv = [program, *words]
            if argv[0] == "docker" and argv[1:2] != ["compose"]:
                continue
            start = 2 if argv[0] == "docker" else 1
            shell_words = tuple(Word(w, line=1, raw=w) for w in argv[start:])
            yield _Command(launcher, (cwd,), shell_words, environment)


# --------------------------------------------------------------------------- Gradle


def _gradle(root: Path, path: str, directory: str, data: bytes) -> Iterator[_Command]:
    from envlint.compose.launchers_gradle import gradle_compose

    for block in gradle_compose(root, path, data):
        launcher = Launcher("gradle", f"{path} dockerCompose (gradle composeUp)", block.location)
        words = [Word(w, line=1, raw=w) for f in block.files for w in ("-f", f)]
        words.append(Word("up", line=1, raw="up"))
        environment = tuple(LaunchVar(n, v, where) for n, v, where in block.environment)
        yield _Command(launcher, (directory,), tuple(words), environment)
