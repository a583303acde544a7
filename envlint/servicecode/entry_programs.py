"""From a container's argv to the program of this repository it runs.

:class:`Resolver` reads an argv the way the container would run it, without running anything:

* shells: ``sh -c "..."`` (``bash``, ``ash``, ... and flag groups such as ``-ec``): the script is
  read with :mod:`entry_shell`, the words after it its ``$0`` and ``$@`` (a shell-form ENTRYPOINT
  gets the CMD so: ``ENTRYPOINT script $0 $@`` passes it on); the first top-level ``exec`` ends it,
  and so does an if/else that execs in every branch (the program when every branch runs the same
  one, after any one-shot commands before it); else its last top-level command that is not a shell
  chore (``cd`` is followed, ``set``/``echo``/``mkdir``... skipped) is taken as the long-running
  one, and ``how`` says so; a chain with ``&`` (several programs at once), or programs only under
  ``if``/``case`` (without an ``exec`` in every branch), is not decided;
* wrapper scripts (``./entrypoint.sh``, ``docker-entrypoint.sh``, a ``COPY <<EOF`` body) read
  from the repository through the image's COPY lines: ``exec "$@"`` hands over to the rest of
  argv (the CMD), ``exec ./app`` names the program; the base images' own
  ``docker-entrypoint.sh`` (not in the repository) runs its arguments by convention;
* process wrappers: ``exec``, ``tini``, ``dumb-init``, ``gosu``/``su-exec``, ``env``, ``nice``,
  ``chpst``, ``s6-setuidgid``, ``wait-for-it``, ``dockerize``, APM launchers
  (``opentelemetry-instrument``, ``ddtrace-run``, ``newrelic-admin run-program``), coverage
  runners (``nyc``, ``c8``);
* package scripts: ``npm start`` / ``npm run x`` / ``yarn x`` / ``pnpm x`` (package.json
  ``scripts``; npm's default ``start`` is ``node server.js``), ``npx x``, ``deno task x``
  (deno.json/deno.jsonc ``tasks``, else package.json ``scripts``);
* runtimes: ``node``/``ts-node``/``tsx``/``bun``/``nodemon`` (``dist/`` mapped back to sources
  through tsconfig ``outDir``/``rootDir``/``include`` or an esbuild/tsup/ncc build script),
  ``next``/``nuxt``/``nest start``, ``python`` (``-m mod`` / script), ``gunicorn``/``uvicorn``/
  ``hypercorn``/``daphne`` (``module:attr``), ``celery -A`` (``pkg.attr``: the module pkg when no
  module pkg.attr is in the repository), ``flask``, ``fastapi``, ``streamlit``, ``java -jar`` (the
  Maven/Gradle module whose ``target/`` or ``build/libs/`` holds the jar) and ``java -cp ... Main``,
  ``run-java.sh`` (``$JAVA_APP_JAR``), ``dotnet X.dll`` / apphost / ``dotnet run``, ``go run``,
  ``cargo run``;
* keep-alives (``tail -f /dev/null``, :mod:`entry_idle`) and test runners (``go test``,
  ``pytest``, ``npm test``, :mod:`entry_tests`) reached when nothing before them runs a program:
  the container runs no program of the repository (``Resolved.idle``, ``Resolved.tests``);
* any other executable: traced through COPY/``--from`` to the stage that built it, whose RUN
  lines (:mod:`entry_builds`) say from which package; a repository file with a shebang is a
  script of that interpreter.

Anything it cannot establish yields no program and one sentence saying why.
"""

from __future__ import annotations

import fnmatch
import posixpath
import tomllib
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace

from envlint.filepass.parse import parse_file
from envlint.model import Location
from envlint.servicecode.entry_builds import stage_outputs
from envlint.servicecode.entry_idle import idle_command, idle_loop
from envlint.servicecode.entry_image import ImageView, Origin, container_join, relative_to
from envlint.servicecode.entry_shell import (
    SCRIPT_DIR,
    SHELLS,
    ShellCommand,
    Word,
    parse_shell,
    shebang_program,
)
from envlint.servicecode.entry_tests import runs_tests
from envlint.servicecode.graph_js import pnpm_workspace_globs
from envlint.servicecode.model import ProgramKind, ProgramRef
from envlint.servicecode.projectfiles import (
    cargo_binaries,
    dotnet_assembly_name,
    go_module,
    jvm_build_file,
    loads_jsonc,
    package_json,
    python_scripts,
    tsconfig,
)
from envlint.servicecode.repofiles import DEFAULT_MAX_BYTES, RepoFiles, join, leaves

__all__ = ["Resolved", "Resolver", "js_language", "program_for_path"]

_MAX_HOPS = 24
_SHELLS = SHELLS | {"busybox"}  # busybox too, as a shell here (not for entry_idle)
_CHORES = frozenset(
    (
        "set", "export", "unset", "echo", "printf", "true", ":", "sleep", "mkdir", "chmod",
        "chown", "rm", "cp", "mv", "ln", "touch", "source", ".", "umask", "trap", "ulimit",
        "wait", "test", "[", "cat", "shift", "local", "readonly", "declare", "exec", "envsubst",
        "sed", "update-ca-certificates", "printenv", "env", "ls", "whoami", "id", "date",
    )
)  # fmt: skip
# shell builtins that never run a program: a script's `exit 1` is not what it runs
_BUILTINS = frozenset(
    (
        "exit", "return", "break", "continue", "false", "read", "let", "getopts", "hash",
        "type", "alias", "unalias", "pushd", "popd", "dirs", "shopt", "typeset", "mapfile",
        "readarray", "fg", "bg", "jobs", "disown", "suspend", "[[",
    )
)  # fmt: skip
_CHORES = _CHORES | _BUILTINS
_NODE = frozenset(
    (
        "node", "nodejs", "ts-node", "ts-node-esm", "tsx", "nodemon", "bun", "deno",
        "ts-node-dev", "tsnd", "node-dev",
    )
)  # fmt: skip
_WATCHERS = frozenset(("CompileDaemon", "compiledaemon", "reflex", "air", "watchmedo"))
_PY_RUNNERS = frozenset(
    ("gunicorn", "uvicorn", "hypercorn", "daphne", "celery", "flask", "fastapi", "streamlit")
)
_GUNICORN_VALUE_FLAGS = frozenset(
    (
        "-b", "--bind", "-w", "--workers", "-k", "--worker-class", "-c", "--config", "--chdir",
        "-t", "--timeout", "--threads", "--log-level", "--access-logfile", "--error-logfile",
        "--log-file", "-e", "--env", "--pythonpath", "--max-requests", "--max-requests-jitter",
        "-n", "--name", "--keep-alive", "--graceful-timeout", "--worker-connections",
        "--forwarded-allow-ips", "-u", "--user", "-g", "--group", "--log-config",
        "--certfile", "--keyfile", "-p", "--pid", "--statsd-host", "--backlog", "-m",
        "--umask", "--worker-tmp-dir", "--limit-request-line", "--access-logformat",
        "--host", "--port", "--uds", "--fd", "--loop", "--http", "--ws", "--lifespan",
        "--interface", "--env-file", "--log-config", "--root-path", "--limit-concurrency",
        "--limit-max-requests", "--timeout-keep-alive", "--app-dir", "--reload-dir",
        "--reload-include", "--reload-exclude", "--header", "--ssl-keyfile", "--ssl-certfile",
        "--timeout-graceful-shutdown", "--ws-max-size", "--h11-max-incomplete-event-size",
        "--ssl-keyfile-password", "--ssl-version", "--ssl-cert-reqs", "--ssl-ca-certs",
        "--ssl-ciphers", "--proxy-headers-forwarded", "--server-name", "-a",
        "--access-log", "--error-log", "--certfile", "--ca-certs", "--insecure-bind",
        "--quic-bind", "--root-path", "--websocket-ping-interval", "--application-close-timeout",
        "--proxy-headers-host", "--proxy-headers-port", "-s", "--verbosity",
    )
)  # fmt: skip
_JAVA_VALUE_FLAGS = frozenset(
    (
        "-cp", "-classpath", "--class-path", "--add-opens", "--add-exports", "--add-modules",
        "--add-reads", "--module-path", "-p", "--upgrade-module-path", "--limit-modules",
        "--patch-module", "--enable-native-access",
    )
)  # fmt: skip
_JS_EXTENSIONS = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx")
_TS_SOURCES = {
    ".js": (".ts", ".tsx", ".js", ".jsx"),
    ".mjs": (".mts", ".mjs"),
    ".cjs": (".cts", ".cjs"),
    ".jsx": (".tsx", ".jsx"),
}
_FRAMEWORKS = frozenset(
    (
        "next", "nuxt", "nuxi", "remix-serve", "astro", "react-router-serve", "vite",
        "vue-cli-service", "react-scripts", "ng",
    )
)  # fmt: skip
_NEXT_STANDALONE = ".next/standalone/"
_NGINX_ONE_SHOT = frozenset(("-s", "-t", "-T", "-v", "-V", "-h", "-?"))
_DAEMON_OFF = "daemon off;"
_SERVICE_ACTIONS = frozenset(("start", "restart", "reload", "force-reload", "stop", "status"))
_BASE_WRAPPERS = frozenset(("docker-entrypoint.sh", "docker-entrypoint", "entrypoint.sh"))


@dataclass(frozen=True, slots=True)
class _Options:
    """How a command reads the options before the word that names what it runs: one table
    entry per interpreter or wrapper, read by ``_scan_options``."""

    takes_value: frozenset[str] = frozenset()  # options whose value is the next word (`-W x`)
    stops: frozenset[str] = frozenset()  # options that say what runs instead (`-m`, `-c`, `-e`)
    ends: frozenset[str] = frozenset()  # options after which the next word is the script (`--`)
    attached: bool = False  # a value option may carry its value in its word (`-Ilib`, `-W0` not)
    star: bool = False  # a `*` word is options (an unexpanded `$NODE_OPTIONS` and the like)


_NODE_OPTIONS = _Options(
    takes_value=frozenset(
        (
            "-r", "--require", "--import", "--loader", "--experimental-loader", "-C",
            "--conditions", "--title", "--env-file", "--inspect-port", "--watch-path",
            "--exec", "-w", "--watch", "-e", "--ext", "-P", "--project", "--tsconfig",
            # nodemon's options that take a value
            "-x", "--delay", "-d", "--ignore", "--signal", "--config", "--cwd",
        )
    ),
    stops=frozenset(("-e", "--eval", "-p", "--print")),  # inline code
    star=True,
)  # fmt: skip
_NODEMON_OPTIONS = replace(_NODE_OPTIONS, stops=frozenset())  # nodemon's `-e` is `--ext`
# `deno run`: an option whose value is optional takes it only after `=` (`--env-file`,
# `--watch`, `--allow-read`, `--inspect`...): the next word is the script
_DENO_OPTIONS = _Options(
    takes_value=frozenset(
        ("-c", "--config", "--import-map", "--cert", "--location", "--seed", "-L", "--log-level",
         "--ext", "--preload", "--import", "--conditions")
    ),
    star=True,
)  # fmt: skip
_PYTHON_OPTIONS = _Options(
    takes_value=frozenset(("-W", "-X", "--check-hash-based-pycs")),
    stops=frozenset(("-m", "-c")),
    star=True,
)
_RUBY_OPTIONS = _Options(
    takes_value=frozenset(("-I", "-r", "-C", "-E", "-F")),
    stops=frozenset(("-S", "-e", "-")),
    ends=frozenset(("--",)),
    attached=True,
)
_PHP_OPTIONS = _Options(
    takes_value=frozenset(("-d", "-c", "-z", "-t", "-S")),
    stops=frozenset(("-r", "-R", "-B", "-E", "-F")),  # inline code
    ends=frozenset(("-f",)),
)
_TINI_OPTIONS = _Options(
    takes_value=frozenset(("-p", "-e", "-r", "--rewrite")), ends=frozenset(("--",))
)
_COVERAGE_OPTIONS = _Options(  # coverage runners: `nyc [options] <command>`
    takes_value=frozenset(
        (
            "-r", "--reporter", "--report-dir", "-o", "--reports-dir", "-t", "--temp-dir",
            "--temp-directory", "-n", "--include", "-x", "--exclude", "-e", "--extension",
            "-i", "--require", "--cwd", "--nycrc-path", "-c", "--config", "--src", "--branches",
            "--functions", "--lines", "--statements", "--instrumenter", "--parser-plugins",
        )
    ),
    ends=frozenset(("--",)),
)  # fmt: skip
_WRAPPER_OPTIONS: Mapping[str, _Options] = {
    "time": _Options(takes_value=frozenset(("-f", "--format", "-o", "--output"))),
    "tini": _TINI_OPTIONS,
    "tini-static": _TINI_OPTIONS,
    "dumb-init": _TINI_OPTIONS,
    "nice": _Options(takes_value=frozenset(("-n",))),
    "nyc": _COVERAGE_OPTIONS,
    "c8": _COVERAGE_OPTIONS,
}


@dataclass(frozen=True, slots=True)
class _Scanned:
    """Where a command's options end."""

    index: int  # the word after the options (the script), or the stop option
    stop: str | None  # the stop option at ``index``
    values: tuple[tuple[str, str], ...]  # (option, value) of each value option, in order


def _scan_options(argv: Sequence[str], index: int, options: _Options) -> _Scanned:
    """Read ``argv``'s options from ``argv[index]`` on as ``options`` says: up to a stop option,
    past an end option, or up to the first word that is not an option."""
    values: list[tuple[str, str]] = []
    while index < len(argv):
        word = argv[index]
        if word in options.stops:
            return _Scanned(index, word, tuple(values))
        if word in options.ends:
            return _Scanned(index + 1, None, tuple(values))
        if not word.startswith("-") and not (options.star and word == "*"):
            break
        if word in options.takes_value:
            values.append((word, argv[index + 1] if index + 1 < len(argv) else ""))
            index += 2
        else:
            if options.attached and word[:2] in options.takes_value:
                values.append((word[:2], word[2:]))
            index += 1
    return _Scanned(index, None, tuple(values))


def _java_target(argv: Sequence[str]) -> tuple[str, str | None]:
    """What ``java`` runs: ("jar", the jar), ("class", the main class) or ("module", None).
    The launcher reads options until the first other word, ``-jar`` included: that word is the
    jar after ``-jar`` wherever the options put it (``java -jar --enable-preview app.jar``)."""
    mode = "class"
    index = 1
    while index < len(argv):
        word = argv[index]
        if word == "-jar":
            mode = "jar"
        elif word in ("-m", "--module"):
            return "module", None
        elif word.startswith(("-", "@")) or word == "*":  # "*": $JAVA_OPTS and the like
            index += 2 if word in _JAVA_VALUE_FLAGS else 1
            continue
        else:
            return mode, word
        index += 1
    return mode, None


@dataclass(frozen=True, slots=True)
class Resolved:
    """The program an argv runs, or why it is not known."""

    program: ProgramRef | None
    note: str = ""
    # the argv ends at an executable nothing in the Dockerfile writes into the image (the base
    # image's own program, or one a RUN installs) or one copied from another image: not code
    # of this repository
    foreign: bool = False
    # the command only keeps the container running (``tail -f /dev/null``, ``sleep infinity``:
    # :mod:`entry_idle`), and nothing before it runs a program: the container runs none
    idle: bool = False
    # the command runs the repository's tests (:mod:`entry_tests`), and nothing before it runs
    # a program: the test runner, as said ("`go test`"); None: not a test run
    tests: str | None = None


def js_language(path: str) -> str:
    extension = posixpath.splitext(path)[1].lower()
    if extension in (".ts", ".mts", ".cts"):
        return "typescript"
    return "tsx" if extension == ".tsx" else "javascript"


def program_for_path(repo: RepoFiles, path: str, how: str) -> ProgramRef | None:
    """A program named by a repository path (``[tool.envlint.services.X] source``, a ko main):
    a Go package directory, a .csproj, a JS/TS entry file, a Python file, a Cargo binary's file,
    a Maven/Gradle module, or a plain directory."""
    extension = posixpath.splitext(path)[1].lower()
    if repo.is_file(path):
        if extension in _JS_EXTENSIONS:
            return ProgramRef(js_language(path), "js-entry", path, how)
        if extension == ".py":
            return ProgramRef("python", "python-file", path, how, main=path)
        if extension in (".csproj", ".fsproj"):
            language = "csharp" if extension == ".csproj" else "fsharp"
            return ProgramRef(language, "dotnet-project", path, how)
        if extension == ".rs":
            return ProgramRef("rust", "cargo-bin", path, how)
        if extension == ".go":
            return ProgramRef("go", "go-package", posixpath.dirname(path) or ".", how)
        return None
    if not repo.is_dir(path):
        return None
    names = repo.listdir(path)
    if any(n.endswith(".go") and not n.endswith("_test.go") for n in names):
        return ProgramRef("go", "go-package", path, how)
    projects = [n for n in names if n.endswith(".csproj")]
    if len(projects) == 1:
        return ProgramRef("csharp", "dotnet-project", join(path, projects[0]) or path, how)
    if jvm_build_file(repo, path) is not None:
        return ProgramRef(_jvm_language(repo, path), "jvm-module", path, how)
    return ProgramRef(_directory_language(repo, path, names), "directory", path, how)


def _directory_language(repo: RepoFiles, path: str, names: Sequence[str]) -> str:
    if "Cargo.toml" in names:
        return "rust"
    if "mix.exs" in names:
        return "elixir"
    if "package.json" in names:
        return "typescript" if "tsconfig.json" in names else "javascript"
    if {"pyproject.toml", "setup.py", "requirements.txt"} & set(names) or any(
        n.endswith(".py") for n in names
    ):
        return "python"
    return ""


def _jvm_language(repo: RepoFiles, module: str) -> str:
    kotlin = join(module, "src/main/kotlin")
    return "kotlin" if kotlin is not None and repo.is_dir(kotlin) else "java"


_Run = tuple[ShellCommand, str | None, list[str]]  # a command, its working directory, its $@


@dataclass
class _If:
    """One if of a script's scope: the exec (with its working directory and arguments) that
    ends each branch, and whether it has an ``else`` (else some path runs past it); and for an
    if that ends the script without an exec, each branch's foreground programs in order."""

    parts: dict[str, bool]  # branch ("then1", "else") -> whether it execs directly
    cwds: dict[str, str | None]  # branch -> its working directory so far (a `cd` in it)
    runs: dict[str, list[_Run]] = field(default_factory=dict)  # branch -> its programs
    deep: set[str] = field(default_factory=set)  # branches with programs in nested constructs
    end: int = -1  # the position of the last program run in it

    @property
    def execs(self) -> list[_Run]:
        """The exec that ends each branch that execs (its last program: none runs after it)."""
        return [self.runs[part][-1] for part, execs in self.parts.items() if execs]


def _add_if_part(
    ifs: dict[str, _If],
    command: ShellCommand,
    inner: tuple[tuple[str, str], ...],
    cwd: str | None,
    extra: list[str],
    position: int,
    runs: bool,
) -> None:
    """Record ``command`` (inside an if of the scope :meth:`Resolver.pick` walks) in ``ifs``:
    a branch's ``cd`` moves that branch, its first ``exec`` ends it; ``runs`` says it is a
    program that keeps the branch running (not a chore, not started in the background)."""
    number, _, part = inner[0][1].partition("/")
    found = ifs.setdefault(number, _If({}, {}))
    if not part.startswith(("then", "else")):
        return  # a test
    if part not in found.parts:
        found.parts[part] = False
        found.cwds[part] = cwd
        found.runs[part] = []
    argv = command.argv
    if found.parts[part]:
        return  # after the branch's exec (never runs)
    if len(inner) != 1:
        if runs or (argv[0] == "exec" and len(argv) > 1):
            found.deep.add(part)
            found.end = position
        return
    if argv[0] == "cd" and len(argv) > 1:
        here = found.cwds[part]
        found.cwds[part] = None if command.words[1].unresolved else container_join(here, argv[1])
    elif argv[0] == "exec" and len(argv) > 1:
        found.parts[part] = True
        found.runs[part].append((command, found.cwds[part], list(extra)))
        found.end = position
    elif runs:
        found.runs[part].append((command, found.cwds[part], list(extra)))
        found.end = position


_MAX_NESTING = 4


def _idle_functions(commands: Sequence[ShellCommand], functions: Collection[str]) -> set[str]:
    """The script's functions that run no program: each of their commands is an assignment,
    a chore, or a call of another such function (``setup(){ X=a; X+=b; export X; }``).  A
    function that changes directory (its caller runs on in the new directory) or always exits
    (nothing after its call runs) is not one."""
    bodies: dict[str, list[ShellCommand]] = {name: [] for name in functions}
    for command in commands:
        if command.scopes[:1] and command.scopes[0][0] == "function":
            bodies.setdefault(command.scopes[0][1], []).append(command)
    idle: set[str] = set()
    grown = True
    while grown:
        grown = False
        for name, body in bodies.items():
            if name in idle:
                continue
            exits = any(len(c.scopes) == 1 and c.argv[:1] == ("exit",) for c in body)
            if not exits and all(
                not c.argv
                or c.argv[0] in idle
                or (c.argv[0] in _CHORES and not (c.argv[0] == "exec" and len(c.argv) > 1))
                for c in body
            ):
                idle.add(name)
                grown = True
    return idle


def _exec_everywhere(ifs: Mapping[str, _If]) -> _If | None:
    """The first if/else of a scope that execs a program in every branch (then the script
    never runs past it)."""
    for found in ifs.values():
        if "else" in found.parts and found.parts and all(found.parts.values()):
            return found
    return None


def _last_run(runs: Sequence[_Run]) -> _Run:
    """The long-running command of a list: the last one, but ``a || b`` and ``a | tee x``
    run ``a`` (``b`` only when ``a`` fails; ``tee`` only copies ``a``'s output)."""
    index = len(runs) - 1
    while index > 0 and runs[index - 1][0].connector in ("||", "|", "|&"):
        index -= 1
    return runs[index]


def _final_if(ifs: Mapping[str, _If], after: int) -> list[_Run] | None:
    """The program of each branch of an if/else that is the last thing the script runs (no
    program runs after it: ``after`` is the position of the last one outside it), when every
    branch ends in one at its own level."""
    last = max(ifs.values(), key=lambda found: found.end, default=None)
    if last is None or last.end <= after or "else" not in last.parts or last.deep:
        return None
    if not all(last.runs.get(part) for part in last.parts):
        return None
    return [_last_run(last.runs[part]) for part in last.parts]


# the connectors that make the next command part of the same and-or list or pipeline
_CHAINED = frozenset(("&&", "||", "|", "|&"))


def _background(commands: Sequence[ShellCommand]) -> dict[int, int]:
    """The commands started in the background, by position, each with the number of its job
    (what one ``&`` starts): ``a &``, every command of an and-or list or pipeline that ends in
    ``&`` (``a && b &``), and of a group or subshell that does (``{ cd x && a; } &``)."""
    found: dict[int, int] = {}
    chain: list[int] = []
    job = 0
    for position, command in enumerate(commands):
        if chain and commands[chain[0]].scopes != command.scopes:
            chain = []  # `a && ( b & c )`: the `&` is the subshell's
        chain.append(position)
        if command.connector in _CHAINED:
            continue
        if command.connector == "&" or command.background:
            found.update(dict.fromkeys(chain, job))
        if command.connector == "&":
            job += 1
        chain = []
    return found


# a group or subshell runs what it holds: ``{ a; } &`` starts ``a``, in no condition or loop
# (unless an and-or list or a pipeline holds it: ``a || { echo failed; exit 1; }``)
_GROUPS = frozenset(("group", "subshell"))
_Scopes = tuple[tuple[str, str], ...]


def _waits(
    commands: Sequence[ShellCommand],
    scope: _Scopes,
    after: int,
    background: Mapping[int, int],
    chained: frozenset[_Scopes],
) -> bool:
    """Whether the script (``scope`` of it) runs ``wait`` after position ``after``
    (``chained``: :func:`_chained_groups` of ``commands``)."""
    return any(
        command.argv[:1] == ("wait",)
        and position not in background
        and _plain(command, chained)[: len(scope)] == scope
        for position, command in enumerate(commands)
        if position > after
    )


def _chained_groups(commands: Sequence[ShellCommand]) -> frozenset[_Scopes]:
    """The groups and subshells of ``commands`` that an and-or list or a pipeline holds, each
    as the scopes up to it (the ones that run whenever the script gets to them are left out)."""
    seen: set[_Scopes] = set()
    chained: set[_Scopes] = set()
    for position, command in enumerate(commands):
        for depth, (kind, _) in enumerate(command.scopes):
            upto = command.scopes[: depth + 1]
            if kind not in _GROUPS or upto in seen:
                continue
            seen.add(upto)  # its first command: is it the operand of `&&`, `||` or `|`?
            if position and commands[position - 1].connector in _CHAINED:
                chained.add(upto)
    return frozenset(chained)


def _plain(command: ShellCommand, chained: frozenset[_Scopes]) -> _Scopes:
    """The constructs around ``command`` that decide whether it runs: its scopes but the
    groups and subshells that run whenever the script gets to them (not in ``chained``)."""
    scopes = command.scopes
    return tuple(
        scope
        for depth, scope in enumerate(scopes)
        if scope[0] not in _GROUPS or scopes[: depth + 1] in chained
    )


@dataclass
class _Step:
    argv: list[str]
    cwd: str | None


class Resolver:
    """Resolves one container argv (see the module doc).  ``how`` collects, in order, the
    sentences that explain the decision; ``location`` is the line that wrote the command."""

    def __init__(
        self,
        view: ImageView,
        env: Mapping[str, str],
        location: Location | None,
        nesting: int = 0,
        terminal: bool = False,
    ) -> None:
        self.view = view
        self.repo = view.repo
        self.env = env
        self.location = location
        self.nesting = nesting  # if/else branches resolved on their own, one inside another
        self.how: list[str] = []
        # the container keeps a terminal or stdin open (compose `tty`/`stdin_open`): `cat` or
        # a bare shell waits on it
        self.terminal = terminal
        # nothing the walk went through so far runs a program besides the command it hands
        # over to (process wrappers, scripts of chores): an idle command then idles the
        # container (:mod:`entry_idle`)
        self.clean = nesting == 0
        self.settings_flag: str | None = None  # ``manage.py <cmd> --settings=m``

    # -- results -------------------------------------------------------------------------------
    def found(
        self,
        language: str,
        kind: ProgramKind,
        target: str,
        detail: str,
        location: Location | None = None,
        main: str | None = None,
        *,
        served: bool = False,
        module_root: str | None = None,
        starts: str | None = None,
    ) -> Resolved:
        how = "; ".join([*self.how, detail]) if detail else "; ".join(self.how)
        place = location or self.location
        ref = ProgramRef(
            language,
            kind,
            target,
            how,
            place,
            main,
            served=served,
            module_root=module_root,
            starts=starts,
        )
        if language == "python":  # the Django settings module the environment names
            named = self.env.get("DJANGO_SETTINGS_MODULE")
            named = named if _is_module(named) else None
            ref = replace(ref, settings_env=named, settings_flag=self.settings_flag)
        return Resolved(ref)

    def known(self, program: ProgramRef) -> Resolved:
        how = "; ".join([*self.how, program.how])
        return Resolved(replace(program, how=how, location=program.location or self.location))

    @staticmethod
    def none(note: str) -> Resolved:
        return Resolved(None, note)

    def idle(self, note: str) -> Resolved:
        self.how.append(note)
        return Resolved(None, note, idle=True)

    def tests(self, runner: str) -> Resolved:
        note = f"{runner} runs the repository's tests, which envlint does not check as a program"
        self.how.append(note)
        return Resolved(None, note, tests=runner)

    def lookup(self, name: str) -> str | None:
        return self.env.get(name)

    # -- the walk ------------------------------------------------------------------------------
    def resolve(self, argv: Sequence[str], cwd: str | None) -> Resolved:
        step = _Step(list(argv), cwd)
        for _ in range(_MAX_HOPS):
            result = self.hop(step)
            if result is not None:
                return result
        return self.none("the command goes through too many wrappers to follow")

    def hop(self, step: _Step) -> Resolved | None:
        """One unwrapping step: returns a result, or updates ``step`` and returns None."""
        argv = step.argv
        if not argv:
            return self.none("the container's command is empty")
        if self.clean and idle_command(argv, self.terminal):
            return self.idle(f"`{' '.join(argv)}` only keeps the container running")
        if self.clean and len(argv) == 1 and posixpath.basename(argv[0]) in ("true", ":"):
            # a build-only service (its image is made for its files, a volume it fills)
            return self.idle(f"`{argv[0]}` exits at once")
        runner = runs_tests(argv) if self.clean else None
        if runner is not None:
            return self.tests(runner)
        head = argv[0]
        if "*" in head:  # a value not known here (`$X`, `$0`) passed on: no program name
            return self.none("the command runs a program named by a value not known here")
        base = posixpath.basename(head)
        operand = _shell_operand(argv) if base in _SHELLS else None
        if operand is not None and operand[0]:  # `sh -c 'cmd'`, `bash -l -c 'cmd'`
            # `sh -c 'cmd' a b`: `a` is the string's $0 (else the shell as invoked), `b` its $1;
            # Docker runs a shell-form ENTRYPOINT so, the CMD after it (`$0 $@` passes it on)
            given = operand[1]
            zero = argv[given + 1] if given + 1 < len(argv) else head
            return self.script(step, argv[given], argv[given + 2 :], f"`{base} -c`", zero=zero)
        if operand is not None:  # `sh x.sh`, `bash -l start.sh`, `sh -eu x.sh`
            name = argv[operand[1]]
            at = container_join(step.cwd, name)
            script = self.script_file(at)
            if script is not None:
                text, where = script
                return self.script(step, text, argv[operand[1] + 1 :], f"the script {where}", at)
            return self.none(f"the shell script {name} is not found in the repository")
        unwrapped = _unwrap(argv)
        if unwrapped is not None:
            step.argv = unwrapped
            return None
        if (base in ("npm", "yarn", "pnpm") and argv[1:2] in (["exec"], ["dlx"], ["x"])) or (
            base == "bun" and argv[1:2] == ["x"]  # `bun x` is bunx
        ):
            step.argv = _after_flags(argv[2:])  # runs a package binary, not a script
            return None
        if base in ("npm", "yarn", "pnpm") or (base == "bun" and argv[1:2] == ["run"]):
            self.clean = False  # its pre-scripts may run programs
            return self.package_script(step)
        if base in ("npx", "bunx"):
            step.argv = _after_flags(argv[1:])
            return None
        if base == "deno" and argv[1:2] == ["task"]:
            self.clean = False  # as a package script's
            return self.deno_task(step)
        if base in _WATCHERS:
            return self.watcher(step, base)
        if base in _NODE:
            return self.node(step)
        if base in _FRAMEWORKS or (base == "nest" and argv[1:2] == ["start"]):
            return self.framework(step, base)
        if base.startswith(("python", "pypy")) and _is_python(base):
            return self.python(step)
        if base in _PY_RUNNERS:
            return self.python_runner(step, base)
        if _versioned(base, "ruby"):
            return self.ruby(step)
        if _versioned(base, "php"):
            return self.php(step)
        if base == "alembic":
            return self.alembic(step)
        if base == "java":
            return self.java(step)
        if base == "run-java.sh":
            jar = self.env.get("JAVA_APP_JAR")
            main = self.env.get("JAVA_MAIN_CLASS")
            if not jar and main:  # run-java.sh: `java -cp $JAVA_APP_DIR/... $JAVA_MAIN_CLASS`
                self.how.append("run-java.sh runs the class $JAVA_MAIN_CLASS")
                return self.main_class(main)
            if not jar:
                return self.none(
                    "run-java.sh runs $JAVA_APP_JAR (or $JAVA_MAIN_CLASS), which the image "
                    "does not set"
                )
            self.how.append("the base image's run-java.sh runs `java -jar $JAVA_APP_JAR`")
            return self.jar(container_join(step.cwd, jar))
        if base == "dotnet":
            return self.dotnet(step)
        if base == "go" and argv[1:2] == ["run"]:
            return self.go_run(step)
        if base == "cargo" and argv[1:2] == ["run"]:
            return self.cargo_run(step)
        extension = posixpath.splitext(head)[1].lower()
        if extension in _JS_EXTENSIONS and not self._is_executable_file(head, step.cwd):
            self.how.append(f"the base image's ENTRYPOINT runs the script {head}")
            return self.js(container_join(step.cwd, head), step.cwd)
        if extension == ".jar":
            return self.jar(container_join(step.cwd, head))
        if extension == ".dll":
            return self.dll(container_join(step.cwd, head), posixpath.basename(head)[:-4])
        return self.executable(step)

    def _is_executable_file(self, head: str, cwd: str | None) -> bool:
        found = self.view.repo_file(container_join(cwd, head))
        if found is None:
            return False
        data = self.repo.read_bytes(found[0], 2)
        return data == b"#!"

    # -- shell scripts -------------------------------------------------------------------------
    def script(
        self,
        step: _Step,
        text: str,
        extra: Sequence[str],
        what: str,
        path: str | None = None,
        zero: str | None = None,
    ) -> Resolved | None:
        """The program the script ``text`` runs (``path``: where the container has the file,
        for ``$(dirname "$0")``; ``zero``: its ``$0`` where known)."""
        here = posixpath.dirname(path) if path is not None and path.startswith("/") else None

        def lookup(name: str) -> str | None:
            if name == "0":
                return zero
            if name.isdigit():  # "$1": the script's own arguments
                return extra[int(name) - 1] if int(name) <= len(extra) else None
            return here if name == SCRIPT_DIR else self.lookup(name)

        commands = parse_shell(text, lookup)
        commands = (*self.sourced(commands, step.cwd, lookup), *commands)
        if self.clean:
            keeper = self.idle_script(commands, step.cwd, list(extra))
            if keeper is not None:
                return self.idle(f"{what} only keeps the container running ({keeper})")
        picked = self.pick(commands, step.cwd, what, (), list(extra), 0)
        if isinstance(picked, Resolved):
            return picked
        command, cwd, extra = picked
        self.clean = self.clean and all(
            c is command or self.inert(c, step.cwd, extra) for c in commands
        )
        exported = _exported(commands, command)
        if exported:  # what the script exports, the program it runs sees (run-java.sh's
            self.env = {**self.env, **exported}  # $JAVA_MAIN_CLASS)
        words = list(command.words)
        if words and words[0].text == "exec":
            words = words[1:]
        if words and words[0].unresolved:
            return self.none(f"{what} runs a program named by a value not known here")
        argv = _with_args(words, extra)
        if not argv:
            return self.none(f"{what} execs its arguments, and the container gives it none")
        if _unknown_shell_script(words, argv):
            return self.none(f"{what} runs a shell command string not known here")
        step.argv, step.cwd = argv, cwd
        return None

    def inert(self, command: ShellCommand, cwd: str | None, extra: Sequence[str]) -> bool:
        """Whether a script's command runs no program: an assignment, a chore (``echo``,
        ``cd``, ``sleep``...) or a keep-alive (:mod:`entry_idle`), after process wrappers
        (``exec``, ``env X=1``), or a ``source`` of a file the image does not get from the
        repository (a virtualenv's ``activate``)."""
        if any(w.unresolved and not w.all_args for w in command.words[:1]):
            return False
        argv = _unwrapped(command.words, extra)
        if not argv or idle_command(argv, self.terminal):
            return True
        if argv[0] in ("source", ".") and len(argv) > 1:
            return cwd is not None and self.script_file(container_join(cwd, argv[1])) is None
        return argv[0] in _CHORES or argv[0] == "cd"

    def idle_script(
        self, commands: Sequence[ShellCommand], cwd: str | None, extra: Sequence[str]
    ) -> str | None:
        """The keep-alive of a script that runs no program (every command :meth:`inert`) and
        keeps the container running at its top level: an idle command (``tail -f /dev/null``,
        ``sleep infinity &`` then ``wait``) or an endless loop of sleeps (``while true; do
        sleep 10; done``), as written; None when it is not such a script."""
        keeper: str | None = None
        loops: dict[str, list[list[str]]] = {}  # a top-level while/until loop's commands
        for command in commands:
            if not self.inert(command, cwd, extra):
                return None
            argv = _unwrapped(command.words, extra)
            if not command.scopes and keeper is None and idle_command(argv, self.terminal):
                keeper = f"`{' '.join(argv)}`"  # checked words: no value of the environment
            elif len(command.scopes) == 1 and command.scopes[0][0] == "loop":
                loops.setdefault(command.scopes[0][1], []).append(argv)
        for keyword, loop in loops.items():
            if keeper is None and idle_loop(keyword, loop):
                keeper = f"its endless `{keyword}` loop of `sleep`"
        return keeper

    def sourced(
        self, commands: Sequence[ShellCommand], cwd: str | None, lookup: Callable[[str], str | None]
    ) -> tuple[ShellCommand, ...]:
        """The functions the files a script sources at its top level define (``source
        utils.sh`` / ``. ./lib.sh``, from the working directory): their calls are followed as
        the script's own functions are."""
        out: list[ShellCommand] = []
        for command in commands:
            argv = command.argv
            if command.scopes or len(argv) < 2 or argv[0] not in ("source", "."):
                continue
            if "*" in argv[1] or cwd is None:
                continue
            found = self.script_file(container_join(cwd, argv[1]))
            if found is not None:
                defined = parse_shell(found[0], lookup)
                out.extend(c for c in defined if c.scopes[:1] and c.scopes[0][0] == "function")
        return tuple(out)

    def pick(
        self,
        commands: Sequence[ShellCommand],
        cwd: str | None,
        what: str,
        scope: tuple[tuple[str, str], ...],
        extra: list[str],
        depth: int,
    ) -> tuple[ShellCommand, str | None, list[str]] | Resolved:
        """The command a script (or one of its functions or case branches: ``scope``) ends in:
        its first ``exec``, else its last command that is not a chore; a call of one of the
        script's functions and a ``case "$1"`` dispatch on a known argument are followed."""
        if depth > 8:
            return self.none(f"{what} nests functions and cases too deeply to follow")
        functions = {
            c.scopes[0][1] for c in commands if c.scopes[:1] and c.scopes[0][0] == "function"
        }
        idle = _idle_functions(commands, functions)  # called like a chore: they run nothing
        top: list[tuple[ShellCommand, str | None, list[str]]] = []
        # the foreground programs among them, with their positions (not `a &`, not a daemon)
        foreground: list[tuple[int, _Run]] = []
        nested_exec = nested_program = False
        # calls of the script's functions inside loops and conditions (`if run; then exit 0`),
        # and whether anything else there runs a program
        nested_calls: list[_Run] = []
        nested_other = False
        cases: list[tuple[tuple[str, str], list[tuple[str, str]]]] = []
        ifs: dict[str, _If] = {}  # the ifs of this scope, by number, in order
        background = _background(commands)
        chained = _chained_groups(commands)
        jobs: dict[int, list[_Run]] = {}  # the programs each background job runs, in order
        # the working directory in each subshell: a `cd` there moves no later command
        subshells: dict[tuple[str, str], str | None] = {}
        for position, command in enumerate(commands):
            argv = command.argv
            plain = _plain(command, chained)
            if not argv or plain[: len(scope)] != scope:
                continue
            inner = plain[len(scope) :]
            subshell = next((s for s in reversed(command.scopes) if s[0] == "subshell"), None)
            here = cwd if subshell is None else subshells.setdefault(subshell, cwd)
            # `exec x` in a subshell replaces the subshell, not the script: it runs `x`
            chore = argv[0] in _CHORES and not (subshell and argv[0] == "exec" and argv[1:])
            runs = (
                not chore
                and argv[0] != "cd"
                and position not in background
                and not self.daemonizes(command)
            )
            if inner and inner[0][0] == "if":
                _add_if_part(ifs, command, inner, here, extra, position, runs)
            if not inner and _exec_everywhere(ifs) is not None:
                break  # an if/else before it execs in each branch: nothing here runs
            if inner:
                if inner[0][0] == "function":
                    continue  # a definition: runs only when called
                if inner[0][0] == "case" and len(inner) > 1:
                    branches = next((b for c, b in cases if c == inner[0]), None)
                    if branches is None:
                        branches = []
                        cases.append((inner[0], branches))
                    if inner[1] not in branches:
                        branches.append(inner[1])
                nested_exec = nested_exec or (argv[0] == "exec" and len(argv) > 1)
                if argv[0] in idle:
                    continue
                nested_program = nested_program or argv[0] not in _CHORES
                if argv[0] in functions and position not in background:
                    nested_calls.append((command, cwd, extra))
                elif argv[0] not in _CHORES:
                    nested_other = True
                continue
            after = commands[position - 1].connector if position else ""
            if argv[0] in ("exit", "return") and after not in _CHAINED:
                if subshell is not None:
                    continue  # it ends the subshell
                break  # the script (or function) ends here: nothing after it runs
            if argv[0] == "cd":
                if len(argv) > 1:
                    moved = container_join(here, argv[1])
                    here = None if command.words[1].unresolved else moved
                if subshell is not None:
                    subshells[subshell] = here
                else:
                    cwd = here
                continue
            if argv[0] == "shift":
                count = int(argv[1]) if len(argv) > 1 and argv[1].isdigit() else 1
                extra = extra[count:]
                continue
            if argv[0] == "exec" and len(argv) > 1 and subshell is None:
                shown = _shown(command)
                other = " (other branches of it may exec something else)" if nested_exec else ""
                self.how.append(f"{what} execs `{shown}`{other}")
                return command, cwd, extra
            if chore or argv[0] in idle:
                continue
            top.append((command, here, extra))
            if runs:
                foreground.append((position, (command, here, extra)))
            elif position in background:
                jobs.setdefault(background[position], []).append((command, here, extra))

        def follow(run: _Run) -> _Run | Resolved:
            """A branch that calls one of the script's functions runs what that function does."""
            command, here, arguments = run
            name = command.argv[0]
            if name not in functions:
                return run
            self.how.append(f"{what} calls its function {name}")
            inside = (("function", name),)
            passed = _with_args(list(command.words[1:]), arguments)
            return self.pick(commands, here, f"the function {name}", inside, passed, depth + 1)

        final = _exec_everywhere(ifs)
        if final is not None:
            shown = " / ".join(f"`{_shown(c)}`" for c, _, _ in final.execs)
            return self.branches(
                final.execs,
                what,
                f"{what} ends in an if/else that execs in each branch ({shown})",
                follow,
            )
        last_if = _final_if(ifs, foreground[-1][0] if foreground else -1)
        started = [c for c, _, _ in top if not any(c is f[0] for _, f in foreground)]
        if started and (foreground or last_if is not None):
            shown = ", ".join(f"`{_shown(c)}`" for c in started)
            self.how.append(
                f"{what} starts {shown} in the background (a daemon, or `&`); the last program "
                "in the foreground keeps the container running"
            )
            top = [f for _, f in foreground]
        if last_if is not None:
            shown = " / ".join(f"`{_shown(c)}`" for c, _, _ in last_if)
            return self.branches(
                last_if,
                what,
                f"{what} ends in an if/else that runs a program in each branch ({shown})",
                follow,
            )
        if not top:
            dispatched = self.dispatch(commands, cwd, what, scope, extra, depth, cases)
            if dispatched is not None:
                return dispatched
            called = {c.argv[0] for c, _, _ in nested_calls}
            if len(called) == 1 and not nested_other and not nested_exec:
                # its only work is one of its functions, called in a loop or a condition (a
                # retry loop around a migration): that function's program is the script's
                command, cwd, extra = nested_calls[-1]
                name = command.argv[0]
                self.how.append(
                    f"{what} calls its function {name} inside a loop or condition, and runs "
                    "nothing else"
                )
                arguments = _with_args(list(command.words[1:]), extra)
                inside = (("function", name),)
                return self.pick(
                    commands, cwd, f"the function {name}", inside, arguments, depth + 1
                )
            if nested_exec:
                return self.none(f"{what} runs a program only under a condition (if/case)")
            if nested_program:
                return self.none(
                    f"{what} runs its programs only inside conditionals, loops or functions"
                )
            return self.none(f"{what} does not exec or run a program")
        waited = False
        if jobs and not foreground:
            # what each `&` starts: the last program of its list (`cd x && migrate && serve &`)
            ran = [_last_run(runs) for runs in jobs.values()]
            shown = ", ".join(f"`{_shown(c)}`" for c, _, _ in ran)
            last = max(p for p, job in background.items() if job in jobs)
            waited = _waits(commands, scope, last, background, chained)
            them = "them" if len(ran) > 1 else "it"
            if not waited:
                return self.none(
                    f"{what} starts {shown} in the background and ends without waiting for {them}"
                )
            if len(ran) > 1:
                return self.branches(
                    ran,
                    what,
                    f"{what} starts {len(ran)} programs in the background ({shown}) and waits "
                    "for them",
                    follow,
                    ("each of them is this program", "they are different programs"),
                )
            self.how.append(f"{what} starts {shown} in the background and waits for it")
            top = ran
        command, cwd, extra = _last_run(top)
        shown = _shown(command)
        target = list(command.argv[:1])
        arguments = _with_args(list(command.words[1:]), extra)
        if command.words[0].all_args:  # `"$@"`: a task runner calls the function it is given
            target = _with_args(list(command.words), extra)[:1]
            arguments = _with_args(list(command.words), extra)[1:]
        if target and target[0] in functions:
            self.how.append(f"{what} calls its function {target[0]}")
            inside = (("function", target[0]),)
            return self.pick(
                commands, cwd, f"the function {target[0]}", inside, arguments, depth + 1
            )
        if len(top) > 1:
            self.how.append(
                f"{what} runs `{shown}` last; the last command of the chain is taken as the "
                "long-running one"
            )
        elif not waited:
            self.how.append(f"{what} runs `{shown}`")
        return command, cwd, extra

    def daemonizes(self, command: ShellCommand) -> bool:
        """Whether a command returns at once, leaving a daemon behind (or does a one-shot job):
        ``nginx`` without ``daemon off`` (in ``-g`` or the main configuration the image copies
        from the repository), ``nginx -s reload``, ``service x start``, ``/etc/init.d/x start``,
        ``cron``/``crond`` without ``-f``/``-n``, ``sshd`` without ``-D``/``-d``."""
        argv = command.argv
        base = posixpath.basename(argv[0])
        if base == "nginx":
            if any(w in _NGINX_ONE_SHOT for w in argv[1:]):
                return True
            settings = _option(argv[1:], ("-g",))
            if settings is not None and _DAEMON_OFF in " ".join(settings.split()):
                return False
            config = _option(argv[1:], ("-c",)) or "/etc/nginx/nginx.conf"
            return not self._config_says(config, _DAEMON_OFF)
        if base == "service" and len(argv) > 2 and argv[2] in _SERVICE_ACTIONS:
            return True
        if argv[0].startswith("/etc/init.d/") and argv[1:2] and argv[1] in _SERVICE_ACTIONS:
            return True
        if base in ("cron", "crond"):
            flags = [w[1:] for w in argv[1:] if w.startswith("-") and not w.startswith("--")]
            return not any("f" in w or "n" in w for w in flags)
        if base == "sshd":
            return not any(w in ("-D", "-d") for w in argv[1:])
        return False

    def _config_says(self, path: str, text: str) -> bool:
        """Whether the image's ``path``, copied from the repository, contains ``text``
        (whitespace runs read as one space)."""
        for origin in self.view.origins(container_join("/", path)):
            if origin.inline is not None:
                return text in " ".join(origin.inline.split())
            if origin.repo_path is not None and self.repo.is_file(origin.repo_path):
                content = self.repo.read_text(origin.repo_path) or ""
                return text in " ".join(content.split())
        return False

    def branches(
        self,
        final: Sequence[_Run],
        what: str,
        sentence: str,
        follow: Callable[[_Run], _Run | Resolved] | None = None,
        said: tuple[str, str] = (
            "every branch runs this program",
            "the branches run different programs",
        ),
    ) -> Resolved:
        """A script that ends in an if/else whose every branch execs or runs a program last:
        the program when all the branches run the same one (``exec nyc npm start`` / ``exec npm
        start``), else why not (``said``: what is said of the branches when they run the same
        program, and when not; also used for the programs a script starts in the background
        and waits for)."""
        if self.nesting >= _MAX_NESTING:
            return self.none(f"{what} nests if/else branches too deeply to follow")
        results: list[Resolved] = []
        before = list(self.how)
        for run in final:
            picked = follow(run) if follow is not None else run
            inside, self.how = self.how[len(before) :], list(before)  # what the call added
            if isinstance(picked, Resolved):
                results.append(picked)
                continue
            command, cwd, extra = picked
            words = list(command.words)
            if words and words[0].text == "exec":
                words = words[1:]
            if words and words[0].unresolved:
                results.append(self.none(f"{what} runs a program named by a value not known here"))
                continue
            argv = _with_args(words, extra)
            if not argv:
                results.append(
                    self.none(f"{what} execs its arguments, and the container gives it none")
                )
                continue
            branch = Resolver(self.view, self.env, self.location, self.nesting + 1)
            branch.how.extend([*before, sentence, *inside])
            results.append(branch.resolve(argv, cwd))
        programs = {r.program.identity if r.program else None for r in results}
        if len(programs) == 1 and None not in programs:
            first = results[0]
            assert first.program is not None
            how = f"{first.program.how}; {said[0]}"
            return Resolved(replace(first.program, how=how))
        notes = {r.note for r in results}
        if programs == {None} and len(notes) == 1:
            return Resolved(None, notes.pop(), all(r.foreign for r in results))
        return self.none(f"{sentence}, and {said[1]}")

    def dispatch(
        self,
        commands: Sequence[ShellCommand],
        cwd: str | None,
        what: str,
        scope: tuple[tuple[str, str], ...],
        extra: list[str],
        depth: int,
        cases: list[tuple[tuple[str, str], list[tuple[str, str]]]],
    ) -> tuple[ShellCommand, str | None, list[str]] | Resolved | None:
        """``case "$1" in name) ...;; esac`` with ``$1`` known (the container's CMD): the
        branch whose pattern matches it."""
        if len(cases) != 1 or cases[0][0][1] not in ('"$1"', "$1", "${1}", '"${1}"'):
            return None
        if not extra:
            return self.none(f"{what} dispatches on its first argument, and there is none")
        argument = extra[0]
        case, branches = cases[0]
        for branch in branches:
            if any(fnmatch.fnmatchcase(argument, p) for p in branch[1].split("|")):
                self.how.append(f"{what} takes its `{branch[1]})` branch for {argument}")
                return self.pick(commands, cwd, what, (*scope, case, branch), extra, depth + 1)
        return self.none(f"{what} has no branch for its argument {argument}")

    def script_file(self, path: str) -> tuple[str, str] | None:
        """The text of a script in the image (a repository file or a COPY heredoc)."""
        for origin in self.view.origins(path):
            if origin.inline is not None:
                return origin.inline, f"{path} (written by {self._writer(origin.via)})"
            if origin.repo_path is not None and self.repo.is_file(origin.repo_path):
                text = self.repo.read_text(origin.repo_path)
                if text is not None:
                    return text, origin.repo_path
        return None

    # -- executables ---------------------------------------------------------------------------
    def executable(self, step: _Step) -> Resolved | None:
        head = step.argv[0]
        # by whether the copy writes it only if a --from source taken for a directory is one
        # or a wildcard matches it: a repository path it is copied from that is not there, a
        # stage with RUN lines it is copied from (the sure ones win: `caddy` in /usr/bin, not
        # in a binary read as a folder)
        missings: dict[bool, Origin] = {}
        built_ins: dict[bool, Origin | None] = {}
        copied = False  # some COPY or mount writes one of the paths it may be
        paths = self.view.executable(head, step.cwd, self.env.get("PATH"))
        assumed = self._root_relative(head, paths)
        if assumed is not None:
            # `COPY --from=build /src/app .` in a stage without WORKDIR writes ./app in the
            # base image's working directory: /app when that is / (Docker's default)
            self.how.append(
                f"the Dockerfile sets no WORKDIR where it copies {head}: assuming the base "
                f"image's working directory is /, the copy to {assumed} writes it"
            )
            paths = [assumed]
        for path in paths:
            for origin in self.view.origins(path):
                guess = origin.guessed or (origin.wildcard and origin.repo_path is None)
                if guess and origin.image is not None:
                    # written only if a source of another image is a directory holding it or a
                    # wildcard matches it (`COPY --from=uv /uv /uvx /bin/` does not write
                    # /bin/nginx): either way not this repository's, and not said to be copied
                    continue
                if (
                    _folder_miss(origin)
                    and "/" not in head
                    and origin.repo_path is not None
                    and not self.repo.is_file(origin.repo_path)
                ):
                    continue  # a PATH directory that a folder copy covers, not one it fills
                copied = copied or bool(origin.via)
                if origin.stage is not None and origin.via and built_ins.get(guess) is None:
                    built_ins[guess] = origin if self._has_runs(origin.stage) else None
                if origin.inline is not None:
                    self.how.append(f"{head} is a script {self._writer(origin.via)} writes")
                    what = f"the script {path}"
                    return self.script(step, origin.inline, step.argv[1:], what, path)
                if origin.repo_path is not None:
                    if self.repo.is_file(origin.repo_path):
                        return self.repo_executable(step, origin, path)
                    if _is_gradle_launcher(origin.repo_path):
                        return self.jar(path, "launcher")
                    if not origin.wildcard and not any(ch in origin.repo_path for ch in "*?["):
                        missings.setdefault(guess, origin)
                    continue
                if origin.stage is not None and _is_gradle_launcher(origin.path):
                    return self.jar(path, "launcher")
                if origin.stage is not None:
                    for output in stage_outputs(self.view, origin.stage):
                        if output.matches(origin.path):
                            self.how.append(self.built_in(head, origin))
                            return self.known(output.program)
                if origin.image is not None:
                    return Resolved(None, f"{head} is copied from the image {origin.image}", True)
        guess = missings.get(False) is None and built_ins.get(False) is None
        missed, built_in = missings.get(guess), built_ins.get(guess)
        missing = None if missed is None else missed.repo_path
        rooted = container_join("/", head)
        if (
            step.cwd is None
            and not copied
            and "/" in head
            and not head.startswith("/")
            and any(origin.via for origin in self.view.origins(rooted))
        ):
            # Docker runs the command in the WORKDIR, `/` when no Dockerfile line sets one
            # (unless the external base image sets its own, which the Dockerfile cannot show)
            self.how.append(
                f"the Dockerfile sets no WORKDIR: {head} is {rooted} (Docker's default working "
                "directory, unless the base image sets another)"
            )
            step.argv, step.cwd = [rooted, *step.argv[1:]], "/"
            return None
        base = posixpath.basename(head)
        if base in _BASE_WRAPPERS and len(step.argv) > 1:
            self.how.append(
                f"{base} is not in this repository: the base image's entrypoint script, which "
                "by the official images' convention runs its arguments"
            )
            step.argv = step.argv[1:]
            return None
        if_root = " (if the base image's working directory is /)" if assumed else ""
        # a copy that writes it only if its source is a directory holding it (or a wildcard
        # matches it) is not said to write it: it may
        is_copied, if_dir = "is copied", ""
        if guess and missed is not None:
            is_copied, if_dir = "may be copied", f" ({_where(missed.via[:1])})"
        if guess and (missed is not None or built_in is not None):
            is_copied, if_dir = "may be copied", f"{if_dir} if the files that COPY names hold it"
        if missed is not None and missed.mounted:  # a compose bind mount puts it there
            is_copied = "is bind-mounted"
        if missing is not None and built_in is not None:
            return self.none(
                f"{head} {is_copied} from {missing}{if_root}{if_dir}, which the repository does "
                f"not hold: a RUN of {self._stage_name(built_in.stage)} may build it, which "
                "envlint cannot follow"
            )
        if missed is not None and _folder_miss(missed):
            # the folder copy writes it only if the folder holds it: it does not, so the file
            # comes from elsewhere, or is made before the build (not committed)
            final = self.view.final
            runs = final is not None and self._has_runs(final)
            maker = "a RUN step or the base image" if runs else "the base image"
            return self.none(
                f"{head} is not in the folder that {_where(missed.via[:1])} copies{if_root} "
                f"(the repository holds no {missing}): {maker} may provide it, or a file made "
                "before the build, which envlint cannot follow"
            )
        if missing is not None:
            made = (
                "not committed: made on the host or in the container"
                if missed is not None and missed.mounted
                else "built outside the Dockerfile"
            )
            return self.none(
                f"{head} {is_copied} from {missing}{if_root}{if_dir}, which the repository does "
                f"not hold ({made})"
            )
        if built_in is not None:
            context = self.view.context
            if context is not None and leaves(context):
                # the stage's sources are copied from the build context, which envlint does not
                # read: that, not the RUN, is what it cannot follow
                return self.none(
                    f"{head} {is_copied} from {self._stage_name(built_in.stage)} "
                    f"({_where(built_in.via)}){if_root}{if_dir}, where a RUN may build it from "
                    f"the build context {context.rstrip('/')}/, which lies outside the checked "
                    "directory"
                )
            return self.none(
                f"{head} {is_copied} from {self._stage_name(built_in.stage)} "
                f"({_where(built_in.via)}){if_root}{if_dir}, where a RUN may build it, which "
                "envlint cannot follow"
            )
        if "/" not in head and (script := self.console_script(head)) is not None:
            return script
        # nothing writes it into the image: the base image's program, or one a RUN installs
        foreign = not copied and self.view.dockerfile is not None
        if "/" in head:
            where = self._dockerfiles()
            return Resolved(None, f"nothing in {where} builds or copies {head}", foreign)
        return Resolved(None, f"`{head}` is not built or copied from this repository", foreign)

    def _root_relative(self, head: str, paths: Sequence[str]) -> str | None:
        """For an absolute ``head`` that nothing writes: the relative path (``app`` for
        ``/app``) that a COPY to a relative destination writes, in a stage without WORKDIR
        (its destination is relative to the base image's working directory)."""
        if not head.startswith("/") or self.view.dockerfile is None:
            return None
        if any(origin.via for path in paths for origin in self.view.origins(path)):
            return None
        relative = relative_to(container_join("/", head), "/")
        if relative == ".":
            return None
        if any(origin.via for origin in self.view.origins(relative)):
            return relative
        return None

    def _has_runs(self, stage: int) -> bool:
        dockerfile = self.view.dockerfile
        return dockerfile is not None and any(
            dockerfile.stages[i].runs for i in dockerfile.ancestors(stage)
        )

    def _stage_name(self, stage: int | None) -> str:
        dockerfile = self.view.dockerfile
        name = None
        of = ""
        if dockerfile is not None and stage is not None:
            name = dockerfile.stages[stage].name
            linked = dockerfile.linked(stage)
            if linked is not None:  # a base image's stage: named and numbered in its own file
                stage -= linked.start
                of = f" of the base image's Dockerfile {linked.path}"
        return (f"the stage {name}" if name else f"stage {stage}") + of

    def _writer(self, via: Sequence[Location]) -> str:
        """The Dockerfile a COPY/ADD of ``via`` is in: the image's, or a base image's."""
        linked = self.view.base_file(via[0]) if via else None
        return "the Dockerfile" if linked is None else f"the base image's Dockerfile {linked.path}"

    def _dockerfiles(self) -> str:
        """The Dockerfile that makes the image, and those of the base images it is built FROM
        that this repository builds."""
        paths = [linked.path for linked in self.view.chain_bases()]
        if not paths:
            return "the Dockerfile"
        kind = "Dockerfile" if len(paths) == 1 else "Dockerfiles"
        return f"the Dockerfile or its base image's {kind} ({', '.join(paths)})"

    def built_in(self, head: str, origin: Origin) -> str:
        """``/api`` is built at /out/api in the stage build (copied by Dockerfile:8)."""
        known = self.view.dockerfile is not None and origin.stage is not None
        stage = self._stage_name(origin.stage) if known else "this image"
        copied = f" (copied by {_where(origin.via)})" if origin.via else ""
        return f"{head} is built at {origin.path} in {stage}{copied}"

    def repo_executable(self, step: _Step, origin: Origin, at: str) -> Resolved | None:
        path = origin.repo_path
        assert path is not None
        head = self.repo.read_bytes(path, 256) or b""
        line = head.split(b"\n", 1)[0].decode("utf-8", errors="replace")
        interpreter = shebang_program(line)
        extension = posixpath.splitext(path)[1].lower()
        if interpreter in _SHELLS or (not interpreter and extension == ".sh"):
            text = self.repo.read_text(path)
            if text is None:
                return self.none(f"the script {path} cannot be read")
            return self.script(step, text, step.argv[1:], f"the script {path}", at)
        if interpreter in _NODE or extension in _JS_EXTENSIONS:
            return self.js_file(path, f"{path} is run as a script")
        if interpreter.startswith("python") or extension == ".py":
            return self.found(
                "python", "python-file", path, f"{path} is run as a script", main=path
            )
        if extension == ".rb" and interpreter in ("", "ruby"):
            return self.found("ruby", "ruby-file", path, f"{path} is run as a script", main=path)
        return self.none(f"{path} is a file of the repository that envlint cannot read as code")

    # -- wrappers and package scripts ----------------------------------------------------------
    def package_script(self, step: _Step) -> Resolved | None:
        argv = step.argv
        tool = posixpath.basename(argv[0])
        words, member = _package_words(tool, argv[1:])
        if not words:
            return self.none(f"`{tool}` without a script to run")
        if member is not None:  # a workspace package's script: run in that package
            where = self.workspace_member(step.cwd, member)
            if where is None:
                return self.none(f"the workspace package {member} is not found in the repository")
            self.how.append(f"`{tool}` runs the script in the workspace package {member}")
            step.cwd = where
        name = words[0]
        if name in ("run", "run-script"):
            if len(words) < 2:
                return self.none(f"`{tool} run` without a script name")
            name = words[1]
        elif tool == "npm" and name not in ("start", "test", "restart", "stop"):
            return self.none(f"`npm {name}` does not run a package script")
        if tool == "yarn" and name == "node":
            step.argv = ["node", *words[1:]]
            return None
        if tool == "bun" and (
            name.startswith(("./", "../", "/")) or posixpath.splitext(name)[1] in _JS_EXTENSIONS
        ):
            return self.node(step)  # `bun run ./server.ts` runs the file
        found = self.manifest_script(step.cwd, name)
        if found is None:
            return self.none(
                f"`{tool} {name}` runs a package.json script; no package.json of "
                "this repository is at the working directory"
            )
        manifest, script = found
        if script is None:
            if name == "start" and tool == "npm":
                script = "node server.js"  # npm's documented default
                self.how.append(
                    f"`npm start` with no start script in {manifest} runs `node server.js`"
                )
            else:
                return self.none(f"{manifest} has no script `{name}`")
        else:
            self.how.append(f"`{tool} {name}` runs the {manifest} script `{script}`")
        return self.script(step, script, [], f"the {name} script")

    def deno_task(self, step: _Step) -> Resolved | None:
        """``deno task NAME``: the task of deno.json/deno.jsonc at the working directory (a
        command line, or ``{"command": ...}``), else the package.json script ``NAME``."""
        words = step.argv[2:]
        while words[:1] in (["-q"], ["--quiet"]):
            words = words[1:]
        if not words:
            return self.none("`deno task` without a task name (it lists the tasks)")
        if words[0].startswith("-"):
            return self.none(f"`deno task {words[0]}`: envlint does not follow its options")
        name = words[0]
        for config in ("deno.json", "deno.jsonc"):
            found = self.view.repo_file(container_join(step.cwd, config))
            text = self.repo.read_text(found[0]) if found is not None else None
            if found is None or text is None:
                continue
            try:
                data = loads_jsonc(text)
            except (ValueError, RecursionError):
                return self.none(f"{found[0]} cannot be read")
            tasks = data.get("tasks") if isinstance(data, dict) else None
            task = tasks.get(name) if isinstance(tasks, dict) else None
            if isinstance(task, dict):
                task = task.get("command")
            if isinstance(task, str):
                self.how.append(f"`deno task {name}` runs the {found[0]} task `{task}`")
                return self.script(step, task, [], f"the {name} task")
            break  # no such task: deno looks in package.json
        manifest, script = self.manifest_script(step.cwd, name) or ("", None)
        if script is None:
            return self.none(
                f"`deno task {name}` runs a deno.json task or package.json script `{name}`, "
                "which is not found in the repository at the working directory"
            )
        self.how.append(f"`deno task {name}` runs the {manifest} script `{script}`")
        return self.script(step, script, [], f"the {name} script")

    def manifest_script(self, cwd: str | None, name: str) -> tuple[str, str | None] | None:
        """The package.json of the repository at the container directory ``cwd`` and its
        script ``name`` (None: it has none); None when no package.json of the repository is
        there."""
        found = self.view.repo_file(container_join(cwd, "package.json"))
        if found is None:
            return None
        manifest = found[0]
        data = package_json(self.repo, posixpath.dirname(manifest) or ".") or {}
        scripts = data.get("scripts")
        script = scripts.get(name) if isinstance(scripts, dict) else None
        return manifest, script if isinstance(script, str) else None

    def workspace_member(self, cwd: str | None, name: str) -> str | None:
        """The container directory of the workspace package ``name`` of the package.json at
        ``cwd`` (its ``workspaces``, or pnpm-workspace.yaml's ``packages``): the one whose
        package.json has that name."""
        found = self.view.repo_file(container_join(cwd, "package.json"))
        if found is None or cwd is None:
            return None
        directory = posixpath.dirname(found[0]) or "."
        for pattern in _workspace_globs(self.repo, directory):
            for manifest in self.repo.glob(join(directory, f"{pattern}/package.json") or ""):
                data = package_json(self.repo, posixpath.dirname(manifest)) or {}
                if data.get("name") == name:
                    inside = relative_to(posixpath.dirname(manifest), directory)
                    return container_join(cwd, inside)
        return None

    def watcher(self, step: _Step, base: str) -> Resolved | None:
        """Development reloaders: the program is the command they rebuild and restart."""
        argv = step.argv
        rest = argv[1:]
        if base == "watchmedo" or (base == "reflex" and "--" in rest):
            if "--" not in rest:
                return self.none(f"`{base}` without a command after `--`")
            step.argv = rest[rest.index("--") + 1 :]
            self.how.append(f"`{base}` restarts the command after `--` on changes")
            return None
        if base == "reflex":
            config = _option(rest, ("-c", "--config"))
            command = _reflex_command(rest) if config is None else []
            if command:  # `reflex -s -r '\.go$' go run .`: the command after its options
                step.argv = command
                self.how.append(f"`reflex` restarts `{' '.join(command)}` on changes")
                return None
            script = self.script_file(container_join(step.cwd, config)) if config else None
            if script is None:
                return self.none("the reflex configuration is not found in the repository")
            lines = [ln.strip() for ln in script[0].splitlines() if ln.strip()]
            lines = [ln for ln in lines if not ln.startswith("#")]
            if len(lines) != 1:
                return self.none(f"the reflex configuration {script[1]} runs several commands")
            parsed = parse_shell(lines[0])
            step.argv = _reflex_command(list(parsed[0].argv) if parsed else [])
            self.how.append(f"reflex ({script[1]}) restarts `{' '.join(step.argv)}` on changes")
            return None
        if base == "air":
            given = _option(rest, ("-c",))
            found = None
            for config in (given,) if given else (".air.toml", ".air.conf"):
                found = self.view.repo_file(container_join(step.cwd, config))
                if found is not None:
                    break
            if found is None and given is None:
                # air's own default configuration (runner/config.go defaultConfig)
                self.how.append(
                    "air without a configuration file in the repository rebuilds with its "
                    "default `go build -o ./tmp/main .` (the package in its working directory)"
                )
                return self.go_build_command(step, "go build -o ./tmp/main .")
            text = self.repo.read_text(found[0]) if found is not None else None
            build = _air_build(text) if text is not None else None
            if build is None:
                return self.none("the air configuration (build.cmd) is not found in the repository")
            self.how.append(f"air ({found[0] if found else given}) rebuilds with `{build}`")
            return self.go_build_command(step, build)
        build = _option(rest, ("-build", "--build"))
        directory = _option(rest, ("-directory", "--directory"))
        if build is None:
            return self.none("CompileDaemon without -build")
        if directory:
            step.cwd = container_join(step.cwd, directory)
        self.how.append("CompileDaemon rebuilds with its -build command")
        return self.go_build_command(step, build)

    def go_build_command(self, step: _Step, command: str) -> Resolved:
        commands = [c for c in parse_shell(command) if c.argv[:2] == ("go", "build")]
        if len(commands) != 1:
            return self.none("the reloader's build command is not one `go build`")
        packages = _go_packages(list(commands[0].argv[2:]))
        step.argv = ["go", "run", *packages]
        return self.go_run(step)

    def framework(self, step: _Step, base: str) -> Resolved:
        found = self.view.repo_file(container_join(step.cwd, "package.json"))
        if found is None:
            return self.none(f"`{base}` runs an app whose package.json is not in the repository")
        directory = posixpath.dirname(found[0]) or "."
        if base == "nest":
            main = join(directory, "src/main.ts")
            if main is not None and self.repo.is_file(main):
                return self.found(
                    "typescript",
                    "js-entry",
                    main,
                    f"`nest start` runs {main} (Nest's default entry file)",
                )
        names = self.repo.listdir(directory)
        language = "typescript" if "tsconfig.json" in names else "javascript"
        return self.found(
            language, "directory", directory, f"`{base}` serves the app in {directory}", served=True
        )

    # -- JavaScript ----------------------------------------------------------------------------
    def node(self, step: _Step) -> Resolved | None:
        argv = step.argv
        tool = posixpath.basename(argv[0])
        index = 1
        if (tool in ("bun", "deno") and argv[1:2] == ["run"]) or (
            tool == "tsx" and argv[1:2] == ["watch"]  # tsx's watch mode runs the script
        ):
            index = 2
        options = {"nodemon": _NODEMON_OPTIONS, "deno": _DENO_OPTIONS}.get(tool, _NODE_OPTIONS)
        scanned = _scan_options(argv, index, options)
        if scanned.stop is not None:
            return self.none(f"`{tool}` runs inline code")
        index = scanned.index
        if index >= len(argv):
            if tool in ("node", "nodejs"):
                return self.none("`node` without a script (a REPL)")
            return self.none(f"`{tool}` without a script")
        script = argv[index]
        if tool == "bun" and not posixpath.splitext(script)[1]:
            found = self.view.repo_file(container_join(step.cwd, "package.json"))
            if found is not None:
                data = package_json(self.repo, posixpath.dirname(found[0]) or ".") or {}
                scripts = data.get("scripts")
                if isinstance(scripts, dict) and script in scripts:
                    step.argv = ["npm", "run", script]
                    return None
        return self.js(container_join(step.cwd, script), step.cwd)

    def js(self, path: str, cwd: str | None) -> Resolved:
        for origin in self.view.origins(path):
            if _NEXT_STANDALONE in (origin.repo_path or origin.path):
                found = self.next_app(origin)
                if found is not None:
                    return found
                continue
            if origin.repo_path is not None:
                mapped = self.map_js(origin.repo_path)
                if mapped is not None:
                    return self.js_result(mapped, origin)
            elif origin.stage is not None:
                mapped = self.js_in_stage(origin)
                if mapped is not None:
                    return self.js_result(mapped, origin)
        return self.none(f"the script {path} is not found in the repository")

    def next_app(self, origin: Origin) -> Resolved | None:
        """``.next/standalone/server.js``: the server ``next build`` writes for the app whose
        directory holds ``.next``."""
        if origin.repo_path is not None:
            directory: str | None = origin.repo_path.split("/" + _NEXT_STANDALONE, 1)[0]
            if origin.repo_path.startswith(_NEXT_STANDALONE):
                directory = "."
            if directory is None or package_json(self.repo, directory) is None:
                return None
        else:
            app = origin.path.split("/" + _NEXT_STANDALONE, 1)[0] or "/"
            found = self.view.repo_file(posixpath.join(app, "package.json"), origin.stage)
            if found is None:
                return None
            directory = posixpath.dirname(found[0]) or "."
        language = "typescript" if self.repo.is_file(f"{directory}/tsconfig.json") else "javascript"
        return self.found(
            language,
            "directory",
            directory,
            f"{origin.path} is the Next.js standalone server of {directory}",
            served=True,
        )

    def js_result(self, mapped: tuple[str, str], origin: Origin) -> Resolved:
        target, detail = mapped
        via = f" (via {_where(origin.via)})" if origin.via else ""
        return self.found(js_language(target), "js-entry", target, detail + via, main=target)

    def js_file(self, path: str, detail: str) -> Resolved:
        mapped = self.map_js(path)  # node runs the entry file as its main module
        if mapped is None:
            return self.found(js_language(path), "js-entry", path, detail, main=path)
        return self.found(js_language(mapped[0]), "js-entry", mapped[0], mapped[1], main=mapped[0])

    def js_in_stage(self, origin: Origin) -> tuple[str, str] | None:
        """A script produced in a build stage (``npm run build``): its package directory is
        found through the stage's copy of package.json, then mapped like a repository path."""
        directory = posixpath.dirname(origin.path) or "."
        while True:
            manifest = posixpath.normpath(posixpath.join(directory, "package.json"))
            found = self.view.repo_file(manifest, origin.stage)
            if found is not None:
                package_dir = posixpath.dirname(found[0]) or "."
                candidate = join(package_dir, relative_to(origin.path, directory))
                return None if candidate is None else self.map_js(candidate)
            if directory in ("/", "."):
                return None
            directory = posixpath.dirname(directory) or "."

    def map_js(self, path: str, depth: int = 0) -> tuple[str, str] | None:
        """A runnable JS path of the repository mapped to its source file."""
        repo = self.repo
        if depth > 4:
            return None
        if repo.is_dir(path):
            data = package_json(repo, path) or {}
            main = data.get("main")
            if isinstance(main, str):
                target = join(path, main)
                if target is not None:
                    return self.map_js(target, depth + 1)
            target = join(path, "index.js")
            return None if target is None else self.map_js(target, depth + 1)
        from_tsc = self.from_tsconfig(path)
        if from_tsc is not None:
            return from_tsc
        from_bundler = self.from_bundler(path)
        if from_bundler is not None:
            return from_bundler
        extension = posixpath.splitext(path)[1].lower()
        if repo.is_file(path) and extension in _JS_EXTENSIONS:
            return path, f"the script is {path}"
        if extension not in _JS_EXTENSIONS:
            for suffix in (".js", ".mjs", ".cjs", "/index.js"):
                mapped = self.map_js(path + suffix, depth + 1)
                if mapped is not None:
                    return mapped
        return None

    def from_tsconfig(self, path: str) -> tuple[str, str] | None:
        directory = posixpath.dirname(path) or "."
        while True:
            for name in ("tsconfig.build.json", "tsconfig.json"):
                config_path = join(directory, name)
                if config_path is None or not self.repo.is_file(config_path):
                    continue
                config = tsconfig(self.repo, config_path)
                if config is None or config.out_dir is None:
                    continue
                out_dir = config.out_dir
                if not (path == out_dir or path.startswith(out_dir + "/")):
                    continue
                rest = relative_to(path, out_dir)
                roots = [config.root_dir] if config.root_dir else list(config.include_dirs)
                roots.append(posixpath.dirname(config_path) or ".")
                stem, extension = posixpath.splitext(rest)
                for root in roots:
                    for source_ext in _TS_SOURCES.get(extension.lower(), ()):
                        candidate = join(root, stem + source_ext)
                        if candidate is not None and self.repo.is_file(candidate):
                            return candidate, (
                                f"{path} is compiled from {candidate} ({config_path}: outDir "
                                f"{out_dir})"
                            )
            if directory == ".":
                return None
            directory = posixpath.dirname(directory) or "."

    def from_bundler(self, path: str) -> tuple[str, str] | None:
        """esbuild/tsup/ncc in a package.json script that writes ``path``."""
        directory = posixpath.dirname(path) or "."
        while True:
            data = package_json(self.repo, directory)
            if data is not None:
                scripts = data.get("scripts")
                if isinstance(scripts, dict):
                    rel = relative_to(path, directory) if directory != "." else path
                    for script in scripts.values():
                        if isinstance(script, str):
                            found = _bundled_entry(script, rel)
                            if found is not None:
                                source = join(directory, found)
                                if source is not None and self.repo.is_file(source):
                                    return source, f"{path} is bundled from {source}"
                return None
            if directory == ".":
                return None
            directory = posixpath.dirname(directory) or "."

    # -- Python --------------------------------------------------------------------------------
    def python(self, step: _Step) -> Resolved | None:
        argv = step.argv
        scanned = _scan_options(argv, 1, _PYTHON_OPTIONS)
        index = scanned.index
        if scanned.stop == "-m":
            if index + 1 >= len(argv):
                return self.none("`python -m` without a module")
            module = argv[index + 1]
            if module in _PY_RUNNERS or module == "alembic":
                step.argv = [module, *argv[index + 2 :]]
                return None
            return self.py_module(module, step.cwd, [], package_main=True)
        if scanned.stop == "-c":
            return self.none("`python -c` runs inline code")
        if index >= len(argv):
            return self.none("`python` without a script (a REPL)")
        script = container_join(step.cwd, argv[index])
        found = self.view.repo_file(script)
        if found is None:
            return self.none(f"the script {argv[index]} is not found in the repository")
        via = f" (via {_where(found[1].via)})" if found[1].via else ""
        flag = _option(argv[index + 1 :], ("--settings",))
        self.settings_flag = flag if _is_module(flag) else None  # Django's management option
        return self.found(
            "python", "python-file", found[0], f"the script is {found[0]}{via}", main=found[0]
        )

    # -- Ruby ----------------------------------------------------------------------------------
    def ruby(self, step: _Step) -> Resolved | None:
        """``ruby [options] script.rb``: the script (``-C dir`` first changes directory; ``-S
        prog`` runs a program found on PATH; a ``-r`` library other than Bundler's is not
        followed)."""
        argv = step.argv
        cwd = step.cwd
        scanned = _scan_options(argv, 1, _RUBY_OPTIONS)
        for flag, value in scanned.values:
            if flag == "-r" and value != "bundler/setup":
                return self.none(f"`ruby -r {value}` loads a library envlint does not follow")
            if flag == "-C" and value:
                cwd = container_join(cwd, value)
        index = scanned.index
        if index < len(argv) and argv[index] == "-e":
            return self.none("`ruby -e` runs inline code")
        if index < len(argv) and argv[index] == "-S":
            step.argv = argv[index + 1 :]  # the program on PATH
            return None
        if index >= len(argv) or argv[index] == "-":
            return self.none("`ruby` without a script")
        found = self.view.repo_file(container_join(cwd, argv[index]))
        if found is None:
            return self.none(f"the script {argv[index]} is not found in the repository")
        path = found[0]
        if not path.endswith(".rb"):
            return self.none(
                f"the Ruby script {path} has no .rb extension; envlint reads only .rb files"
            )
        via = f" (via {_where(found[1].via)})" if found[1].via else ""
        return self.found("ruby", "ruby-file", path, f"the script is {path}{via}", main=path)

    def php(self, step: _Step) -> Resolved | None:
        """``php [options] script`` (``-f script``): the script, named in the note (what it
        includes is not followed, so no program); else the ``php`` executable as any other."""
        argv = step.argv
        scanned = _scan_options(argv, 1, _PHP_OPTIONS)
        if scanned.stop is not None:
            return self.executable(step)
        index = scanned.index
        found = (
            self.view.repo_file(container_join(step.cwd, argv[index]))
            if index < len(argv)
            else None
        )
        if found is None:
            return self.executable(step)
        return self.none(
            f"`php` runs the script {found[0]}, whose includes envlint does not follow"
        )

    def alembic(self, step: _Step) -> Resolved:
        """``alembic [-c alembic.ini] upgrade head``: alembic runs the ``env.py`` of the
        ``script_location`` its configuration names (relative to the working directory, or to
        the file with ``%(here)s``), which imports what the migrations need."""
        import configparser

        argv = step.argv
        config = "alembic.ini"
        for index, word in enumerate(argv[1:-1], start=1):
            if word in ("-c", "--config"):
                config = argv[index + 1]
        found = self.view.repo_file(container_join(step.cwd, config))
        text = self.repo.read_text(found[0]) if found is not None else None
        if found is None or text is None:
            return self.none(f"alembic reads {config}, which is not found in the repository")
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read_string(text)
            location = parser.get("alembic", "script_location", fallback=None)
        except configparser.Error:
            location = None
        if not location:
            return self.none(f"{found[0]} names no [alembic] script_location")
        here = posixpath.dirname(container_join(step.cwd, config))
        location = location.strip().replace("%(here)s", here)
        env_py = self.view.repo_file(container_join(step.cwd, posixpath.join(location, "env.py")))
        if env_py is None:
            return self.none(f"alembic runs {location}/env.py, which is not found")
        self.how.append(f"alembic runs the env.py of script_location {location} ({found[0]})")
        return self.found("python", "python-file", env_py[0], f"the script is {env_py[0]}")

    def python_runner(self, step: _Step, base: str) -> Resolved | None:
        argv = step.argv
        cwd = step.cwd
        roots: list[str] = []
        positional: list[str] = []
        options: dict[str, str] = {}
        index = 1
        while index < len(argv):
            word = argv[index]
            index += 1
            if word.startswith("-") and len(word) > 1:
                name, eq, value = word.partition("=")
                if not eq and name in _GUNICORN_VALUE_FLAGS | {"-A", "--app"} and index < len(argv):
                    value = argv[index]
                    index += 1
                options[name] = value
                continue
            positional.append(word)
        if "--chdir" in options:
            cwd = container_join(cwd, options["--chdir"])
        for key in ("--pythonpath", "--app-dir"):
            if key in options:
                roots.extend(container_join(cwd, p) for p in options[key].split(",") if p)
        spec: str | None = None
        if base == "celery":
            spec = options.get("-A") or options.get("--app")
            if spec is None:
                return self.none("`celery` without -A/--app")
        elif base == "flask":
            spec = options.get("--app") or options.get("-A") or self.env.get("FLASK_APP")
            if spec is None:
                for default in ("app.py", "wsgi.py"):
                    found = self.view.repo_file(container_join(cwd, default))
                    if found is not None:
                        return self.found(
                            "python",
                            "python-file",
                            found[0],
                            f"`flask` loads {found[0]} (its default app file)",
                        )
                return self.none("`flask` without --app or FLASK_APP")
        elif base in ("fastapi", "streamlit"):
            files = [p for p in positional[1:] if p.endswith(".py")] if positional else []
            defaults = (
                ["main.py", "app.py", "api.py", "app/main.py", "app/app.py", "app/api.py"]
                if base == "fastapi"
                else []
            )
            for candidate in files or defaults:
                found = self.view.repo_file(container_join(cwd, candidate))
                if found is not None:
                    return self.found(  # Streamlit runs its script as __main__
                        "python",
                        "python-file",
                        found[0],
                        f"`{base}` runs {found[0]}",
                        main=found[0] if base == "streamlit" else None,
                    )
            return self.none(f"the app file `{base}` runs is not found in the repository")
        else:
            candidates = [p for p in positional if _is_app_spec(p, base == "gunicorn")]
            if not candidates and base == "gunicorn":
                configured = self.gunicorn_app(cwd, options.get("-c") or options.get("--config"))
                candidates = [configured] if configured else []
            if not candidates and "*" in positional:  # a word not known here (`"${ARGS[@]}"`)
                return self.none(f"`{base}` loads an application named by a value not known here")
            if not candidates:
                return self.none(f"`{base}` without an application (module:attribute)")
            spec = candidates[0]
        if spec.endswith(".py"):
            found = self.view.repo_file(container_join(cwd, spec))
            if found is not None:
                return self.found("python", "python-file", found[0], f"`{base}` loads {spec}")
        module = spec.split(":", 1)[0]
        self.how.append(f"`{base}` loads the module {module}")
        loaded = self.py_module(module, cwd, roots, package_main=False)
        if base == "celery" and loaded.program is None and module == spec and "." in spec:
            return self.celery_attribute(spec, cwd, roots) or loaded
        return loaded

    def celery_attribute(self, spec: str, cwd: str | None, roots: list[str]) -> Resolved | None:
        """Celery's ``-A pkg.name`` (``find_app`` through kombu's ``symbol_by_name``) is the
        attribute ``name`` of the module ``pkg`` (the module ``pkg.name`` only when ``pkg`` has
        no such attribute): where no module ``pkg.name`` is in the repository, the module
        ``pkg`` (``celery = Celery()`` in worker.py for ``-A worker.celery``)."""
        module, _, attribute = spec.rpartition(".")
        loads = self.how[-1]  # "`celery` loads the module pkg.name", said instead
        self.how[-1] = (
            f"`celery -A {spec}` loads the app {attribute} of the module {module} (no module "
            f"{spec} is in the repository)"
        )
        found = self.py_module(module, cwd, roots, package_main=False)
        if found.program is None:
            self.how[-1] = loads
            return None
        return found

    def gunicorn_app(self, cwd: str | None, config: str | None) -> str | None:
        """The application gunicorn's configuration file names (``wsgi_app = "m:app"``): the
        file ``-c`` gives (``python:mod`` configs are not followed), else ``gunicorn.conf.py``
        in the working directory (gunicorn >= 20 reads it by default)."""
        if config is not None and config.startswith("python:"):
            return None
        found = self.view.repo_file(container_join(cwd, config or "gunicorn.conf.py"))
        parsed = (
            parse_file(str(self.repo.root), found[0], "python", DEFAULT_MAX_BYTES)
            if found is not None
            else None
        )
        if found is None or parsed is None:
            return None
        source, root = parsed
        for statement in root.named_children:
            assign = statement.named_children[0] if statement.named_child_count else None
            if statement.type != "expression_statement" or assign is None:
                continue
            left, right = assign.child_by_field_name("left"), assign.child_by_field_name("right")
            if assign.type != "assignment" or left is None or right is None:
                continue
            name = source[left.start_byte : left.end_byte].decode("utf-8", "replace")
            if (
                name == "wsgi_app"
                and right.type == "string"
                and not any(c.type == "interpolation" for c in right.named_children)
            ):
                value = source[right.start_byte : right.end_byte].decode("utf-8", "replace")
                spec = value.strip("\"'")
                if _is_app_spec(spec, True):
                    self.how.append(f"gunicorn's configuration {found[0]} names the app {spec}")
                    return spec
        return None

    def py_module(
        self, module: str, cwd: str | None, roots: list[str], *, package_main: bool
    ) -> Resolved:
        if not all(part.isidentifier() for part in module.split(".")):
            return self.none(f"{module} is not a Python module name")
        relative = module.replace(".", "/")
        search = [*roots, cwd or "."]
        search.extend(p for p in self.env.get("PYTHONPATH", "").split(":") if p.startswith("/"))
        for root in search:
            base = container_join(root, relative)
            if package_main:
                found = self.view.repo_file(base + "/__main__.py")
                if found is not None:
                    package = posixpath.dirname(found[0]) or "."
                    return self.found(
                        "python",
                        "python-module",
                        package,
                        f"`python -m {module}` runs the package {package}",
                        main=found[0],
                    )
            found = self.view.repo_file(base + ".py")
            if found is not None:
                return self.found(
                    "python",
                    "python-module",
                    found[0],
                    f"the module {module} is {found[0]}",
                    main=found[0] if package_main else None,
                )
            found = self.view.repo_file(base + "/__init__.py")
            if found is not None:
                package = posixpath.dirname(found[0]) or "."
                return self.found(
                    "python",
                    "python-module",
                    package,
                    f"the module {module} is the package {package}",
                )
        installed = self.installed_module(relative, package_main)
        if installed is not None:
            return installed
        return self.none(f"the Python module {module} is not found in the repository")

    def installed_module(self, relative: str, package_main: bool) -> Resolved | None:
        """``pip install .`` of a src-layout project: the module lives under src/
        (``package_main``: ``python -m`` runs it, or its package's ``__main__.py``)."""
        context = self.view.context
        if context is None or not self.installs_project():
            return None
        for candidate, is_package in ((f"{relative}.py", False), (f"{relative}/__init__.py", True)):
            path = join(context, "src", candidate)
            if path is not None and self.repo.is_file(path):
                target = (posixpath.dirname(path) or ".") if is_package else path
                main = f"{target}/__main__.py" if is_package else path
                return self.found(
                    "python",
                    "python-module",
                    target,
                    f"the project is pip-installed from its src/ layout; the module is {target}",
                    main=main if package_main and self.repo.is_file(main) else None,
                    module_root=join(context, "src"),
                )
        return None

    def console_script(self, head: str) -> Resolved | None:
        """``head`` as a console script of the Python project the Dockerfile installs from its
        build context (``pip install .``, ``uv sync``, ``poetry install``): the module its
        ``module:function`` names in the context's pyproject.toml (flat or src/ layout)."""
        context = self.view.context
        spec = None if context is None else python_scripts(self.repo, context).get(head)
        module, _, function = (spec or "").partition(":")
        module, function = module.strip(), function.strip()
        if not module or not all(part.isidentifier() for part in module.split(".")):
            return None
        # asked last: installs_project parses every RUN of the Dockerfile
        if context is None or not self.installs_project():
            return None
        relative = module.replace(".", "/")
        for root in (context, join(context, "src")):
            for candidate in (f"{relative}.py", f"{relative}/__init__.py"):
                path = join(root, candidate) if root is not None else None
                if path is not None and self.repo.is_file(path):
                    how = (
                        f"`{head}` is the console script {spec} of the project the Dockerfile "
                        f"installs ({join(context, 'pyproject.toml')})"
                    )
                    # the script's wrapper imports the module and calls the function at start
                    called = function if function.isidentifier() else None
                    return self.found(
                        "python",
                        "python-module",
                        path,
                        how,
                        module_root=root if root not in (".", "") else None,
                        starts=f"{module}.{called}" if called else None,
                    )
        return None

    def installs_project(self) -> bool:
        dockerfile = self.view.dockerfile
        if dockerfile is None:
            return False
        for stage in dockerfile.stages:
            for run in stage.runs:
                for command in parse_shell(run.script or " ".join(run.argv or ())):
                    argv = command.argv
                    if "install" in argv and any(a in (".", "-e", "--editable") for a in argv):
                        return True
                    if argv[:2] in (("uv", "sync"), ("poetry", "install"), ("pdm", "install")):
                        return True
        return False

    # -- JVM -----------------------------------------------------------------------------------
    def java(self, step: _Step) -> Resolved:
        mode, word = _java_target(step.argv)
        if mode == "module":
            return self.none("`java --module` runs a module from the module path")
        if mode == "jar":
            if word is None:
                return self.none("`java -jar` without a jar")
            return self.jar(container_join(step.cwd, word))
        if word is None:
            return self.none("`java` without a jar or main class")
        return self.main_class(word)

    def jar(self, path: str, what: str = "jar", stage: int | None = None) -> Resolved:
        for origin in self.view.origins(path, stage):
            if origin.repo_path is not None:
                module = _jvm_module_of(origin.repo_path)
                if module is not None and jvm_build_file(self.repo, module) is not None:
                    return self.found(
                        _jvm_language(self.repo, module),
                        "jvm-module",
                        module,
                        f"{path} is the {what} the module {module} builds "
                        f"(via {_where(origin.via)})",
                    )
            elif origin.stage is not None:
                module_path = _jvm_module_of(origin.path)
                if module_path is None:
                    continue
                module_found = self.module_in_stage(module_path, origin.stage)
                if module_found is not None:
                    module = module_found
                    location = self.jvm_build_run(origin.stage) or self.location
                    return self.found(
                        _jvm_language(self.repo, module),
                        "jvm-module",
                        module,
                        f"{path} is the {what} the module {module} builds in the "
                        "Dockerfile's build stage",
                        location,
                    )
        return self.none(f"the {what} {path} is not traceable to a Maven/Gradle module")

    def spring_layers(self, name: str) -> Resolved:
        """Spring Boot's launcher over layers a build stage extracted from a jar
        (``java -Djarmode=layertools -jar app.jar extract``): the module that built that jar."""
        dockerfile = self.view.dockerfile
        if dockerfile is not None:
            for index, stage in enumerate(dockerfile.stages):
                for run in stage.runs:
                    for command in parse_shell(run.script or " ".join(run.argv or ())):
                        argv = list(command.argv)
                        if not argv or posixpath.basename(argv[0]) != "java":
                            continue
                        if not any(a.startswith("-Djarmode=") for a in argv):
                            continue
                        mode, word = _java_target(argv)
                        if mode == "jar" and word is not None:
                            self.how.append(
                                f"{name} runs the layers extracted from {word} "
                                f"({run.location.path}:{run.location.line})"
                            )
                            jar = container_join(run.workdir, word)
                            return self.jar(jar, "jar", index)
        return self.none(f"the Spring Boot launcher {name} runs layers of a jar not traced here")

    def module_in_stage(self, directory: str, stage: int) -> str | None:
        """The repository module a stage's directory holds, found through its build file (a
        Dockerfile often copies pom.xml and src/ one by one, never the directory itself)."""
        for name in ("pom.xml", "build.gradle.kts", "build.gradle"):
            found = self.view.repo_file(posixpath.join(directory, name), stage)
            if found is not None:
                return posixpath.dirname(found[0]) or "."
        whole = self.view.repo_dir(directory, stage)
        if whole is not None and jvm_build_file(self.repo, whole[0]) is not None:
            return whole[0]
        return None

    def jvm_build_run(self, stage: int) -> Location | None:
        dockerfile = self.view.dockerfile
        if dockerfile is None:
            return None
        for index in dockerfile.ancestors(stage):
            for run in reversed(dockerfile.stages[index].runs):
                text = run.script or " ".join(run.argv or ())
                for command in parse_shell(text):
                    if command.argv and posixpath.basename(command.argv[0]) in (
                        "mvn",
                        "mvnw",
                        "gradle",
                        "gradlew",
                    ):
                        return run.location
        return None

    def main_class(self, name: str) -> Resolved:
        if name.startswith("org.springframework.boot.loader."):
            return self.spring_layers(name)
        parts = name.split(".")
        if not all(p.isidentifier() for p in parts):
            return self.none(f"{name} is not a Java class name")
        context = self.view.context
        if context is None:
            return self.none(f"the class {name} cannot be looked up without a build context")
        relative = "/".join(parts)
        modules = [context, *(join(context, n) or context for n in self.repo.listdir(context))]
        found: list[str] = []
        for module in modules:
            if not self.repo.is_dir(module):
                continue
            for language, extension in (("java", ".java"), ("kotlin", ".kt")):
                source = join(module, f"src/main/{language}/{relative}{extension}")
                if source is not None and self.repo.is_file(source):
                    found.append(module)
        if len(set(found)) == 1:
            module = found[0]
            return self.found(
                _jvm_language(self.repo, module),
                "jvm-module",
                module,
                f"the main class {name} is in the module {module}",
            )
        if found:
            return self.none(f"several modules hold a class {name}")
        return self.none(f"the main class {name} is not found in the repository")

    # -- .NET, Go, Rust ------------------------------------------------------------------------
    def dotnet(self, step: _Step) -> Resolved:
        argv = step.argv
        words = argv[1:]
        if words and words[0].lower().endswith(".dll"):
            name = posixpath.basename(words[0])[:-4]
            return self.dll(container_join(step.cwd, words[0]), name)
        if words and words[0] in ("run", "watch"):
            project: str | None = None
            for index, word in enumerate(words):
                if word in ("--project", "-p") and index + 1 < len(words):
                    project = words[index + 1]
            target = container_join(step.cwd, project or ".")
            found = self.view.repo_file(target)
            if found is not None and found[0].endswith((".csproj", ".fsproj")):
                return self.found(
                    "csharp", "dotnet-project", found[0], f"`dotnet run` builds and runs {found[0]}"
                )
            directory = self.view.repo_dir(target)
            if directory is not None:
                projects = [n for n in self.repo.listdir(directory[0]) if n.endswith(".csproj")]
                if len(projects) == 1:
                    path = join(directory[0], projects[0]) or projects[0]
                    return self.found(
                        "csharp", "dotnet-project", path, f"`dotnet run` builds and runs {path}"
                    )
            return self.none("the project `dotnet run` builds is not found in the repository")
        return self.none("`dotnet` without an assembly to run")

    def dll(self, path: str, assembly: str) -> Resolved:
        for origin in self.view.origins(path):
            if origin.stage is None:
                continue
            for output in stage_outputs(self.view, origin.stage):
                if output.matches(origin.path):
                    self.how.append(self.built_in(posixpath.basename(path), origin))
                    return self.known(output.program)
        context = self.view.context
        if context is not None:
            projects = self.projects_named(context, assembly)
            if len(projects) == 1:
                return self.found(
                    "csharp",
                    "dotnet-project",
                    projects[0],
                    f"{projects[0]} is the only project whose assembly is {assembly}",
                )
        return self.none(f"the project that builds {assembly}.dll is not found")

    def projects_named(self, directory: str, assembly: str, depth: int = 0) -> list[str]:
        found: list[str] = []
        if depth > 4:
            return found
        for name in self.repo.listdir(directory):
            path = name if directory == "." else f"{directory}/{name}"
            if name.endswith(".csproj") and self.repo.is_file(path):
                if dotnet_assembly_name(self.repo, path) == assembly:
                    found.append(path)
            elif (
                not name.startswith(".")
                and name not in ("bin", "obj", "node_modules")
                and self.repo.is_dir(path)
            ):
                found.extend(self.projects_named(path, assembly, depth + 1))
        return found

    def go_run(self, step: _Step) -> Resolved:
        packages = [a for a in step.argv[2:] if not a.startswith("-")]
        target = packages[0] if packages else "."
        if target.endswith(".go"):
            target = posixpath.dirname(target) or "."
        found = self.view.repo_dir(container_join(step.cwd, target))
        if found is not None:
            return self.found("go", "go-package", found[0], f"`go run` builds {found[0]}")
        here = self.view.repo_dir(step.cwd or ".")
        module = go_module(self.repo, here[0]) if here is not None else None
        if module is not None and target.startswith(module.path + "/"):
            directory = join(module.directory, target[len(module.path) + 1 :])
            if directory is not None and self.repo.is_dir(directory):
                return self.found("go", "go-package", directory, f"`go run` builds {directory}")
        return self.none("the package `go run` builds is not found in the repository")

    def cargo_run(self, step: _Step) -> Resolved:
        argv = step.argv
        wanted: str | None = None
        for index, word in enumerate(argv):
            if word == "--bin" and index + 1 < len(argv):
                wanted = argv[index + 1]
            elif word.startswith("--bin="):
                wanted = word[len("--bin=") :]
        here = self.view.repo_dir(step.cwd or ".")
        binaries = cargo_binaries(self.repo, here[0]) if here is not None else ()
        chosen = [b for b in binaries if wanted is None or b.name == wanted]
        if len(chosen) == 1:
            binary = chosen[0]
            return self.found(
                "rust", "cargo-bin", binary.path, f"`cargo run` builds the binary {binary.name}"
            )
        return self.none("the binary `cargo run` builds is not known")


# --------------------------------------------------------------------------- helpers


def _unknown_shell_script(words: Sequence[Word], argv: Sequence[str]) -> bool:
    """Whether ``words`` run ``sh -c`` with a command string that is not known (``bash -c
    "$CMD"``): its ``*`` placeholder is no program.  ``argv``: the words with the arguments."""
    if not words or words[0].all_args or posixpath.basename(argv[0]) not in _SHELLS:
        return False
    if len(words) < 3 or not _is_c_flag(words[1].text):
        return False
    return next((w.unresolved for w in words[2:] if not w.text.startswith("-")), False)


def _is_c_flag(word: str) -> bool:
    return word.startswith("-") and not word.startswith("--") and "c" in word[1:]


def _shell_operand(argv: Sequence[str]) -> tuple[bool, int] | None:
    """Where a shell's argv names what it runs, after its options (``-l``, ``-eu``, ``-o
    pipefail``, ``+x``, ``--login``, ``--rcfile f``): ``(True, i)`` when ``argv[i]`` is the
    command string of a ``-c`` (options may also follow the ``-c``), ``(False, i)`` when it is
    the script file; None when the shell reads its commands from the terminal or stdin (no
    operand, ``-s``)."""
    command = False
    at = 1
    while at < len(argv):
        word = argv[at]
        if word in ("--", "-"):
            at += 1
            break
        if word.startswith("--"):
            at += 2 if word in ("--rcfile", "--init-file") else 1
            continue
        if len(word) < 2 or word[0] not in "-+" or (command and at == len(argv) - 1):
            break  # the operand (`sh -c -x` takes its last word as the command string)
        letters = word[1:]
        if word[0] == "-" and "s" in letters:
            return None  # the commands come from stdin; the words are its arguments
        command = command or (word[0] == "-" and "c" in letters)
        at += 1 + letters.count("o") + letters.count("O")  # `-o pipefail`, `-O extglob`
    return (command, at) if at < len(argv) else None


def _is_python(base: str) -> bool:
    rest = base.removeprefix("python").removeprefix("pypy")
    return all(ch.isdigit() or ch == "." for ch in rest)


def _versioned(base: str, name: str) -> bool:
    """Whether ``base`` is the program ``name``, bare or with a version (``ruby3.2``, ``php8``)."""
    version = base.removeprefix(name)
    return base.startswith(name) and (not version or version.replace(".", "").isdigit())


def _is_module(name: str | None) -> bool:
    """Whether ``name`` is an absolute dotted Python module name."""
    return bool(name) and all(part.isidentifier() for part in (name or "").split("."))


def _is_app_spec(word: str, bare_module: bool) -> bool:
    module, colon, attribute = word.partition(":")
    if not module or not all(p.isidentifier() for p in module.split(".")):
        return False
    if not colon:
        return bare_module
    name = attribute.split("(", 1)[0]
    return name.isidentifier()


def _shown(command: ShellCommand) -> str:
    """The command as written (``$X`` unexpanded: a value may be a secret)."""
    text = command.written
    return text if len(text) <= 80 else text[:77] + "..."


def _folder_miss(origin: Origin) -> bool:
    """Whether ``origin`` is a path below a folder that one COPY of the image itself copies
    (not through a stage, not a bind mount): the copy writes it only if the folder holds it."""
    return origin.inside and len(origin.via) == 1 and not origin.mounted


def _where(via: Sequence[Location]) -> str:
    return ", ".join(f"{loc.path}:{loc.line}" for loc in via)


def _unwrap(argv: list[str]) -> list[str] | None:
    """The argv a process wrapper runs, or None when ``argv[0]`` is not one."""
    base = posixpath.basename(argv[0])
    rest = argv[1:]
    if base in ("exec", "nohup", "catatonit"):
        return [a for a in rest if a != "--"] if base == "catatonit" else rest
    if base in _WRAPPER_OPTIONS:  # `time` (the shell's keyword too), init shims, nice, nyc
        return rest[_scan_options(rest, 0, _WRAPPER_OPTIONS[base]).index :]
    if base in ("gosu", "su-exec", "s6-setuidgid"):
        return rest[1:]
    if base == "env":
        index = 0
        while index < len(rest) and (rest[index].startswith("-") or "=" in rest[index]):
            index += 2 if rest[index] in ("-u", "--unset", "-C", "--chdir") else 1
        return rest[index:]
    if base == "chpst":
        index = 0
        while index < len(rest) and rest[index].startswith("-"):
            flag = rest[index]
            index += 2 if len(flag) == 2 and flag[1] in "uUbenlLmdofcprt/" else 1
        return rest[index:]
    if base in ("wait-for-it", "wait-for-it.sh", "wait-for", "wait-for.sh"):
        return rest[rest.index("--") + 1 :] if "--" in rest else []
    if base == "dockerize":
        index = 0
        while index < len(rest) and rest[index].startswith("-"):
            index += 1 if rest[index] in ("-no-overwrite", "--no-overwrite") else 2
        return rest[index:]
    if base in ("opentelemetry-instrument", "ddtrace-run"):
        index = 0
        while index < len(rest) and rest[index].startswith("-"):
            index += 1 if "=" in rest[index] else 2
        return rest[index:]
    if base == "newrelic-admin" and rest[:1] == ["run-program"]:
        return rest[1:]
    return None


def _jvm_module_of(path: str) -> str | None:
    """The module directory of a jar path: the part before ``target/`` (Maven) or
    ``build/libs|build/quarkus-app|build/install`` (Gradle)."""
    parts = path.split("/")
    for index in range(len(parts) - 2, -1, -1):
        part = parts[index]
        if part == "target" or (
            part == "build"
            and index + 1 < len(parts)
            and parts[index + 1] in ("libs", "quarkus-app", "install")
        ):
            module = "/".join(parts[:index])
            if path.startswith("/"):
                return module or "/"
            return module or "."
    return None


def _bundled_entry(script: str, output: str) -> str | None:
    """The entry file an esbuild/tsup/ncc command in a package script bundles into ``output``
    (paths relative to the package directory)."""
    for command in parse_shell(script):
        argv = list(command.argv)
        if argv[:1] == ["npx"]:
            argv = argv[1:]
        if not argv:
            continue
        tool = posixpath.basename(argv[0])
        args = argv[1:]
        if tool == "esbuild":
            entries = [a for a in args if not a.startswith("-")]
            outfile = next((a.split("=", 1)[1] for a in args if a.startswith("--outfile=")), None)
            outdir = next((a.split("=", 1)[1] for a in args if a.startswith("--outdir=")), None)
            if outfile is not None and len(entries) == 1 and _same(outfile, output):
                return entries[0]
            if outdir is not None:
                for entry in entries:
                    stem = posixpath.splitext(posixpath.basename(entry))[0]
                    if _same(posixpath.join(outdir, stem + ".js"), output):
                        return entry
        elif tool == "tsup":
            entries = [a for a in args if not a.startswith("-") and "." in a] or ["src/index.ts"]
            outdir = "dist"
            for index, arg in enumerate(args):
                if arg in ("-d", "--out-dir") and index + 1 < len(args):
                    outdir = args[index + 1]
            for entry in entries:
                stem = posixpath.splitext(posixpath.basename(entry))[0]
                for extension in (".js", ".cjs", ".mjs"):
                    if _same(posixpath.join(outdir, stem + extension), output):
                        return entry
        elif tool == "ncc" and args[:1] == ["build"] and len(args) > 1:
            outdir = "dist"
            for index, arg in enumerate(args):
                if arg in ("-o", "--out") and index + 1 < len(args):
                    outdir = args[index + 1]
            if _same(posixpath.join(outdir, "index.js"), output):
                return args[1]
    return None


def _same(a: str, b: str) -> bool:
    return posixpath.normpath(a) == posixpath.normpath(b)


def _is_gradle_launcher(path: str) -> bool:
    """``<module>/build/install/<name>/bin/<name>``: Gradle's ``installDist`` start script."""
    parts = path.split("/")
    return len(parts) >= 5 and parts[-2] == "bin" and parts[-5:-3] == ["build", "install"]


def _after_flags(words: Sequence[str]) -> list[str]:
    index = 0
    while index < len(words) and words[index].startswith("-"):
        index += 1
    return list(words[index:])


def _option(words: Sequence[str], names: tuple[str, ...]) -> str | None:
    """The value of ``-name=value`` / ``-name value`` (Go's flag syntax, also ``--name``)."""
    for index, word in enumerate(words):
        name, eq, value = word.partition("=")
        if name in names:
            if eq:
                return value
            if index + 1 < len(words):
                return words[index + 1]
    return None


_REFLEX_VALUE_FLAGS = frozenset(
    (
        "-r",
        "--regex",
        "-R",
        "--inverse-regex",
        "-g",
        "--glob",
        "-G",
        "--inverse-glob",
        "-d",
        "--decoration",
        "-c",
        "--config",
    )
)


def _package_words(tool: str, args: Sequence[str]) -> tuple[list[str], str | None]:
    """A package manager's words without its options, and the workspace package it is told
    to run in (``pnpm --filter @acme/web run dev``, ``pnpm -F web dev``, ``yarn workspace web
    dev``, ``npm run dev -w web``)."""
    words: list[str] = []
    member: str | None = None
    index = 0
    while index < len(args):
        word = args[index]
        flag, eq, value = word.partition("=")
        selects = (tool == "pnpm" and flag in ("--filter", "-F")) or (
            tool == "npm" and flag in ("-w", "--workspace")
        )
        if selects:
            if not eq and index + 1 < len(args):
                value = args[index + 1]
                index += 1
            member = value
        elif not word.startswith("-"):
            words.append(word)
        index += 1
    if tool == "yarn" and words[:1] == ["workspace"] and len(words) >= 2:
        member, words = words[1], words[2:]
    return words, member


def _workspace_globs(repo: RepoFiles, directory: str) -> list[str]:
    """The workspace package patterns of a package.json directory (``workspaces``, or
    pnpm-workspace.yaml's ``packages``); patterns with ``**`` or ``!`` are left out."""
    data = package_json(repo, directory) or {}
    found = data.get("workspaces")
    if isinstance(found, dict):
        found = found.get("packages")
    patterns = [p for p in found if isinstance(p, str)] if isinstance(found, list) else []
    text = repo.read_text(join(directory, "pnpm-workspace.yaml") or "pnpm-workspace.yaml")
    if text is not None:
        patterns += pnpm_workspace_globs(text.encode("utf-8"))
    return [p.strip("/") for p in patterns if "**" not in p and not p.startswith("!")]


def _reflex_command(words: Sequence[str]) -> list[str]:
    """A reflex configuration line: options, then the command (after ``--`` when present)."""
    if "--" in words:
        return list(words[list(words).index("--") + 1 :])
    index = 0
    while index < len(words) and words[index].startswith("-"):
        index += 2 if words[index] in _REFLEX_VALUE_FLAGS else 1
    return list(words[index:])


def _air_build(text: str) -> str | None:
    """``[build] cmd`` of an .air.toml."""
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError):
        return None
    build = data.get("build")
    command = build.get("cmd") if isinstance(build, dict) else None
    return command if isinstance(command, str) else None


_GO_BUILD_VALUE_FLAGS = frozenset(("-o", "-ldflags", "-gcflags", "-tags", "-mod", "-p", "-C"))


def _go_packages(args: list[str]) -> list[str]:
    packages: list[str] = []
    index = 0
    while index < len(args):
        word = args[index]
        if word.startswith("-"):
            index += 2 if word in _GO_BUILD_VALUE_FLAGS and "=" not in word else 1
            continue
        packages.append(word)
        index += 1
    return packages


def _with_args(words: Sequence[Word], extra: Sequence[str]) -> list[str]:
    """Words with ``"$@"`` (``"${@:N}"``: from the Nth on) replaced by the arguments."""
    argv: list[str] = []
    for word in words:
        if word.all_args:
            argv.extend(extra[word.first_arg - 1 :])
        else:
            argv.append(word.text)
    return argv


def _unwrapped(words: Sequence[Word], extra: Sequence[str]) -> list[str]:
    """A script command's words (``"$@"``: ``extra``) after every process wrapper
    (:func:`_unwrap`: ``exec``, ``env X=1``, ``tini --``...)."""
    argv = _with_args(words, extra)
    while argv and (unwrapped := _unwrap(argv)) is not None:
        argv = unwrapped
    return argv


def _exported(commands: Sequence[ShellCommand], until: ShellCommand) -> dict[str, str]:
    """Variables a script's top level exports before ``until`` (``export X=v``), where known."""
    out: dict[str, str] = {}
    for command in commands:
        if command is until:
            break
        words = command.words
        if command.scopes or not words or words[0].text != "export":
            continue
        for word in words[1:]:
            name, sep, value = word.text.partition("=")
            if sep and name.isidentifier() and not word.unresolved:
                out[name] = value
    return out
