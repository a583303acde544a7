"""What the ``RUN`` lines of a build stage compile, and where the results land.

Recognised (argument syntax as each tool documents it; anything else is ignored):

* ``go build [-o out] [-C dir] [packages]`` and ``go install [packages]``: packages as relative
  directories (``./cmd/api``, ``.``, ``./cmd/...``), import paths of the module (go.mod), or
  ``.go`` files.  Output: ``-o`` as a file, or as a directory holding the default name (both are
  offered: ``-o /usr/local/bin`` names a directory the image already has); without ``-o``, the
  default name (last import-path element that is not a ``/vN`` suffix) in the working directory
  (``build``) or in ``$GOBIN`` / ``$GOPATH/bin`` (``install``, golang images: ``/go``).
* ``dotnet publish|build [project] [-o dir]``: the project file (or the one project in the
  directory) and its assembly name; output ``dir/Name.dll`` and the apphost ``dir/Name``, or the
  default ``bin/<config>/<tfm>/...`` below the project.
* ``cargo build|install [--release] [--bin x] [-p pkg] [--target t] [--target-dir d]
  [--manifest-path m] [--path p] [--root r]``: the package's (and workspace members') binaries,
  output ``<target-dir>/[<target>/]<profile>/<name>`` or ``<root>/bin/<name>``.
* ``make [-C dir] [-f file] [VAR=value] [goals]``: the image's Makefile (GNUmakefile, makefile,
  Makefile) read without running make (:mod:`envlint.compose.makefile`); the recipes of the
  goals (the default goal: the first target) and of their prerequisites are read like the RUN's
  own commands, each line from make's directory (``$(MAKE)`` recurses, three levels at most).

Each result is a :class:`BuildOutput`: a container path (or ``fnmatch`` pattern) and the
:class:`ProgramRef` of the code it is built from.  Paths inside the stage are mapped back to the
repository through :class:`ImageView`.
"""

from __future__ import annotations

import fnmatch
import posixpath
import shlex
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from envlint.compose.dockerfile import Run
from envlint.compose.makefile import UNKNOWN, MakeRule, expand, read_makefile, recipe_commands
from envlint.servicecode.entry_image import ImageView, Origin, container_join, is_under, relative_to
from envlint.servicecode.entry_shell import ShellCommand, Word, parse_shell
from envlint.servicecode.model import ProgramKind, ProgramRef
from envlint.servicecode.projectfiles import (
    cargo_binaries,
    dotnet_assembly_name,
    go_binary_name,
    go_module,
    go_package_clause,
)
from envlint.servicecode.repofiles import RepoFiles, join

__all__ = ["BuildOutput", "stage_outputs"]

_MAX_PACKAGES = 200  # main packages expanded from one `./...` pattern
_MAX_MAKE_DEPTH = 3  # `make` run by a recipe run by `make` ...
_MAX_MAKE_RULES = 64  # rules followed for the goals of one `make`

_GO_VALUE_FLAGS = frozenset(
    (
        "o", "C", "p", "ldflags", "gcflags", "asmflags", "gccgoflags", "tags", "mod", "modfile",
        "buildmode", "compiler", "installsuffix", "pkgdir", "toolexec", "overlay", "pgo",
        "covermode", "coverpkg", "buildvcs", "debug-actiongraph", "debug-runtime-trace",
        "debug-trace", "exec",
    )
)  # fmt: skip
_DOTNET_VALUE_FLAGS = frozenset(
    (
        "-o", "--output", "-c", "--configuration", "-r", "--runtime", "-f", "--framework",
        "--os", "--arch", "-a", "-v", "--verbosity", "--version-suffix", "--manifest", "-s",
        "--source", "--property", "-p", "-bl", "--artifacts-path",
    )
)  # fmt: skip
_CARGO_VALUE_FLAGS = frozenset(
    (
        "--bin", "-p", "--package", "--target", "--target-dir", "--manifest-path", "--profile",
        "--features", "-F", "-j", "--jobs", "-Z", "--path", "--root", "--example", "--exclude",
        "--config", "--color", "--message-format", "--git", "--branch", "--tag", "--rev",
        "--version", "--index", "--registry", "--timings",
    )
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class BuildOutput:
    """A file a RUN line produces and the program it is built from."""

    path: str  # container path in the stage; an fnmatch pattern when ``pattern``
    program: ProgramRef
    pattern: bool = False

    def matches(self, path: str) -> bool:
        return fnmatch.fnmatchcase(path, self.path) if self.pattern else path == self.path


@dataclass(frozen=True, slots=True)
class _Build:
    """One RUN line of a stage of the image: where its build commands find their sources."""

    view: ImageView
    stage: int
    run: Run

    @property
    def repo(self) -> RepoFiles:
        return self.view.repo

    def repo_file(self, path: str) -> tuple[str, Origin] | None:
        """The repository file the stage holds at container ``path``."""
        return self.view.repo_file(path, self.stage)

    def repo_dir(self, path: str) -> tuple[str, Origin] | None:
        """The repository directory the stage holds at container ``path``."""
        return self.view.repo_dir(path, self.stage)

    def program(self, language: str, kind: ProgramKind, target: str, how: str) -> ProgramRef:
        """The program built from ``target`` by this RUN line."""
        return ProgramRef(language, kind, target, how, self.run.location)


def stage_outputs(view: ImageView, stage: int) -> list[BuildOutput]:
    """Every build output of the RUN lines of ``stage`` and its ancestors, latest first."""
    dockerfile = view.dockerfile
    if dockerfile is None:
        return []
    outputs: list[BuildOutput] = []
    for index in reversed(dockerfile.ancestors(stage)):
        for run in dockerfile.stages[index].runs:
            outputs.extend(
                _outputs(_Build(view, index, run), _commands(run), dict(run.variables), 0)
            )
    outputs.reverse()
    return outputs


def _commands(run: Run) -> Iterator[tuple[ShellCommand, str | None]]:
    """The simple commands of a RUN with the working directory each runs in (``cd`` followed)."""
    variables = dict(run.variables)
    if run.argv is not None:
        words = tuple(Word(item, raw=shlex.quote(item)) for item in run.argv)
        yield ShellCommand(words, (), "", 0, run.location.line), run.workdir
        return
    script = run.script or ""
    cwd = run.workdir
    for command in parse_shell(script, variables.get):
        argv = command.argv
        if argv and argv[0] == "cd":
            if len(argv) > 1 and not command.words[1].unresolved and command.depth == 0:
                cwd = container_join(cwd, argv[1])
            continue
        yield command, cwd


def _outputs(
    build: _Build,
    commands: Iterable[tuple[ShellCommand, str | None]],
    variables: Mapping[str, str],
    depth: int,
    make: str = "",
) -> list[BuildOutput]:
    """The build outputs of ``commands`` (a RUN's, or a make recipe's run by ``make``)."""
    outputs: list[BuildOutput] = []
    for command, cwd in commands:
        words = command.words
        if any(w.unresolved for w in words[:2]):
            continue
        argv = [w.text for w in words]
        env = {**variables, **dict(command.assignments)}
        tool = posixpath.basename(argv[0]) if argv else ""
        shown = make or _clip(command.written)
        if tool in ("make", "gmake") and depth < _MAX_MAKE_DEPTH:
            outputs.extend(_make(build, argv, cwd, env, shown, depth))
        elif tool == "go" and len(argv) > 1 and argv[1] in ("build", "install"):
            outputs.extend(_go(build, argv, cwd, env, shown))
        elif tool == "dotnet" and len(argv) > 1 and argv[1] in ("publish", "build"):
            outputs.extend(_dotnet(build, argv, cwd, shown))
        elif tool == "cargo" and len(argv) > 1 and argv[1] in ("build", "install"):
            outputs.extend(_cargo(build, argv, cwd, env, shown))
    return outputs


# --------------------------------------------------------------------------- make


def _make(
    build: _Build,
    argv: list[str],
    cwd: str | None,
    env: Mapping[str, str],
    shown: str,
    depth: int,
) -> list[BuildOutput]:
    """``make [-C dir] [-f file] [VAR=value] [targets]``: the recipes of the goals (and of
    their prerequisites, first) read from the image's Makefile (:func:`read_makefile`, GNU
    make's file names and default goal), their commands read like a RUN's."""
    makefile: str | None = None
    overrides: dict[str, str] = {}
    goals: list[str] = []
    index = 1
    while index < len(argv):
        word = argv[index]
        index += 1
        if word in ("-C", "--directory", "-f", "--file", "--makefile") and index < len(argv):
            value = argv[index]
            index += 1
            if word in ("-C", "--directory"):
                cwd = container_join(cwd, value)
            else:
                makefile = value
        elif word.startswith(("--directory=", "--file=", "--makefile=")):
            name, _, value = word.partition("=")
            if name == "--directory":
                cwd = container_join(cwd, value)
            else:
                makefile = value
        elif word.startswith("-C") and len(word) > 2:
            cwd = container_join(cwd, word[2:])
        elif word.startswith("-f") and len(word) > 2:
            makefile = word[2:]
        elif word.startswith("-"):
            continue  # -j [N], -k, -s ...: a number after -j is not a goal (below)
        elif "=" in word:
            name, _, value = word.partition("=")
            overrides[name] = value
        elif not word.isdigit():
            goals.append(word)
    names = [makefile] if makefile else ["GNUmakefile", "makefile", "Makefile"]
    found = next(
        (f for n in names if (f := build.repo_file(container_join(cwd, n))) is not None),
        None,
    )
    text = build.repo.read_text(found[0]) if found is not None else None
    if text is None:
        return []
    rules = read_makefile(text, empty=True)
    by_target: dict[str, MakeRule] = {}
    for rule in rules:
        for target in rule.targets:
            by_target.setdefault(target, rule)
    if not goals:  # the default goal: the first target that is not special or a pattern
        first = next((t for r in rules for t in r.targets if "%" not in t), None)
        goals = [first] if first is not None else []
    commands: list[tuple[ShellCommand, str | None]] = []
    order: list[MakeRule] = []
    _make_order(goals, by_target, overrides, set(), order)
    for rule in order:
        values = {"MAKE": "make", **rule.values, **overrides}
        for script in (
            command.replace(UNKNOWN, "$(make)")
            for _, line in rule.recipe
            for command in recipe_commands(line, values)  # a canned recipe: several commands
        ):
            here = cwd  # each recipe line is its own shell, started in make's directory
            for command in parse_shell(script, env.get):
                words = command.argv
                if words and words[0] == "cd" and command.depth == 0 and len(words) > 1:
                    moved = not command.words[1].unresolved
                    here = container_join(here, words[1]) if moved else None
                    continue
                commands.append((command, here))
    return _outputs(build, commands, env, depth + 1, shown)


def _make_order(
    goals: Sequence[str],
    rules: Mapping[str, MakeRule],
    overrides: Mapping[str, str],
    seen: set[str],
    order: list[MakeRule],
) -> None:
    """The rules make runs for ``goals``: each one's prerequisites first, every rule once."""
    for goal in goals:
        rule = rules.get(goal)
        if goal in seen or rule is None or len(seen) > _MAX_MAKE_RULES:
            continue
        seen.add(goal)
        values = {**rule.values, **overrides}
        needs = [w for p in rule.prerequisites for w in expand(p, values).split()]
        _make_order([w for w in needs if UNKNOWN not in w], rules, overrides, seen, order)
        if rule not in order:
            order.append(rule)


def _clip(text: str) -> str:
    """A command as written (ARG/ENV references unexpanded: build args may be secrets)."""
    return text if len(text) <= 120 else text[:117] + "..."


# --------------------------------------------------------------------------- Go


def _go(
    build: _Build,
    argv: list[str],
    cwd: str | None,
    env: Mapping[str, str],
    shown: str,
) -> list[BuildOutput]:
    flags: dict[str, str] = {}
    packages: list[str] = []
    index = 2
    while index < len(argv):
        word = argv[index]
        index += 1
        if word.startswith("-") and len(word) > 1 and not packages:
            name, eq, value = word.lstrip("-").partition("=")
            if not eq and name in _GO_VALUE_FLAGS and index < len(argv):
                value = argv[index]
                index += 1
            flags[name] = value
            continue
        packages.append(word)
    if "C" in flags:
        cwd = container_join(cwd, flags["C"])
    if not packages:
        packages = ["."]
    targets: list[tuple[str, str]] = []  # (repo package dir, binary name)
    if all(p.endswith(".go") for p in packages):
        source = build.repo_file(container_join(cwd, packages[0]))
        if source is not None:
            directory = posixpath.dirname(source[0]) or "."
            targets.append((directory, posixpath.basename(packages[0])[:-3]))
    else:
        for package in packages:
            targets.extend(_go_targets(build, package, cwd))
    if not targets:
        return []
    outputs: list[BuildOutput] = []
    several = len(targets) > 1
    for directory, name in targets:
        how = f"`{shown}` in the Dockerfile's RUN builds the Go package {directory}"
        program = build.program("go", "go-package", directory, how)
        if argv[1] == "install":
            gopath = (env.get("GOPATH") or "/go").split(":")[0]
            gobin = env.get("GOBIN") or posixpath.join(gopath, "bin")
            outputs.append(BuildOutput(posixpath.join(gobin, name), program))
            goos, goarch = env.get("GOOS"), env.get("GOARCH")
            if goos and goarch:
                cross = posixpath.join(gobin, f"{goos}_{goarch}", name)
                outputs.append(BuildOutput(cross, program))
            continue
        out = flags.get("o")
        if out is None:
            if not several:
                outputs.append(BuildOutput(container_join(cwd, name), program))
            continue
        out_path = container_join(cwd, out)
        if not several and not out.endswith("/"):
            outputs.append(BuildOutput(out_path, program))
        outputs.append(BuildOutput(posixpath.join(out_path, name), program))
    return outputs


def _go_targets(build: _Build, package: str, cwd: str | None) -> list[tuple[str, str]]:
    """(repository directory, default binary name) of the main packages ``package`` names."""
    repo = build.repo
    recursive = package.endswith("/...") or package == "..."
    base = package[: -len("/...")] if package.endswith("/...") else package
    if base == "...":
        base = "."
    directory: str | None = None
    if base.startswith((".", "/")):
        found = build.repo_dir(container_join(cwd, base))
        directory = None if found is None else found[0]
    else:
        here = build.repo_dir(cwd or ".") if cwd else None
        module = go_module(repo, here[0]) if here is not None else None
        if module is not None and (base == module.path or base.startswith(module.path + "/")):
            directory = join(module.directory, base[len(module.path) + 1 :])
    if directory is None:
        return []
    candidates = _main_packages(repo, directory) if recursive else [directory]
    targets: list[tuple[str, str]] = []
    for candidate in candidates:
        if not _is_main_package(repo, candidate):
            continue
        module = go_module(repo, candidate)
        if module is not None:
            rel = (
                relative_to(candidate, module.directory)
                if is_under(candidate, module.directory)
                else "."
            )
            import_path = module.path if rel == "." else f"{module.path}/{rel}"
        else:
            import_path = posixpath.basename(candidate) if candidate != "." else ""
        name = go_binary_name(import_path)
        if name:
            targets.append((candidate, name))
    return targets


def _main_packages(repo: RepoFiles, directory: str) -> list[str]:
    found: list[str] = []
    pending = [directory]
    while pending and len(found) < _MAX_PACKAGES:
        current = pending.pop(0)
        found.append(current)
        for name in repo.listdir(current):
            if name.startswith((".", "_")) or name in ("testdata", "vendor"):
                continue
            child = name if current == "." else f"{current}/{name}"
            if repo.is_dir(child):
                pending.append(child)
    return found


def _is_main_package(repo: RepoFiles, directory: str) -> bool:
    for name in repo.listdir(directory):
        if not name.endswith(".go") or name.endswith("_test.go"):
            continue
        path = name if directory == "." else f"{directory}/{name}"
        head = repo.read_bytes(path, 16384)
        if head is None:
            continue
        if go_package_clause(head.decode("utf-8", errors="replace")) == "main":
            return True
    return False


# --------------------------------------------------------------------------- .NET


def _dotnet(build: _Build, argv: list[str], cwd: str | None, shown: str) -> list[BuildOutput]:
    repo = build.repo
    output: str | None = None
    positional: list[str] = []
    index = 2
    while index < len(argv):
        word = argv[index]
        index += 1
        if word.startswith(("-p:", "/p:", "--property:", "-property:")):
            continue
        if word.startswith("-"):
            name, eq, value = word.partition("=")
            if name in ("--self-contained", "--sc") and index < len(argv):
                if argv[index].lower() in ("true", "false"):
                    index += 1
                continue
            if not eq and name in _DOTNET_VALUE_FLAGS and index < len(argv):
                value = argv[index]
                index += 1
            if name in ("-o", "--output"):
                output = value
            continue
        positional.append(word)
    target = container_join(cwd, positional[0]) if positional else (cwd or ".")
    project: str | None = None
    project_dir_container = target
    found = build.repo_file(target)
    if found is not None and found[0].endswith((".csproj", ".fsproj", ".vbproj")):
        project = found[0]
        project_dir_container = posixpath.dirname(target)
    else:
        directory = build.repo_dir(target)
        if directory is not None:
            projects = [n for n in repo.listdir(directory[0]) if n.endswith((".csproj", ".fsproj"))]
            if len(projects) == 1:
                project = join(directory[0], projects[0])
    if project is None:
        return []
    assembly = dotnet_assembly_name(repo, project)
    if not assembly:
        return []
    language = "csharp" if project.endswith(".csproj") else "fsharp"
    how = f"`{shown}` in the Dockerfile's RUN builds {project}"
    program = build.program(language, "dotnet-project", project, how)
    if output is not None:
        out = container_join(cwd, output)
        return [
            BuildOutput(posixpath.join(out, f"{assembly}.dll"), program),
            BuildOutput(posixpath.join(out, assembly), program),
        ]
    default = posixpath.join(project_dir_container, "bin")
    return [
        BuildOutput(f"{default}/*/{assembly}.dll", program, pattern=True),
        BuildOutput(f"{default}/*/{assembly}", program, pattern=True),
    ]


# --------------------------------------------------------------------------- Rust


def _cargo(
    build: _Build,
    argv: list[str],
    cwd: str | None,
    env: Mapping[str, str],
    shown: str,
) -> list[BuildOutput]:
    options: dict[str, list[str]] = {}
    switches: set[str] = set()
    index = 2
    while index < len(argv):
        word = argv[index]
        index += 1
        if not word.startswith("-"):
            continue
        name, eq, value = word.partition("=")
        if name in _CARGO_VALUE_FLAGS:
            if not eq and index < len(argv):
                value = argv[index]
                index += 1
            options.setdefault(name, []).append(value)
        else:
            switches.add(name)
    manifest_dir = cwd or "."
    if "--manifest-path" in options:
        manifest_dir = posixpath.dirname(container_join(cwd, options["--manifest-path"][-1]))
    if argv[1] == "install":
        if "--path" not in options:
            return []  # installs a crate from a registry, not this repository's code
        manifest_dir = container_join(cwd, options["--path"][-1])
    found = build.repo_dir(manifest_dir)
    if found is None:
        return []
    binaries = cargo_binaries(build.repo, found[0])
    wanted_bins = set(options.get("--bin", ()))
    packages = set(options.get("-p", ())) | set(options.get("--package", ()))
    selected = [
        b
        for b in binaries
        if (not wanted_bins or b.name in wanted_bins) and (not packages or b.package in packages)
    ]
    outputs: list[BuildOutput] = []
    for binary in selected:
        how = f"`{shown}` in the Dockerfile's RUN builds the binary {binary.name}"
        program = build.program("rust", "cargo-bin", binary.path, how)
        if argv[1] == "install":
            root = (
                options.get("--root", [None])[-1]
                or env.get("CARGO_INSTALL_ROOT")
                or env.get("CARGO_HOME")
                or "/usr/local/cargo"
            )
            installed = posixpath.join(container_join(cwd, root), "bin", binary.name)
            outputs.append(BuildOutput(installed, program))
            continue
        target_dir = container_join(
            manifest_dir, options.get("--target-dir", [env.get("CARGO_TARGET_DIR", "target")])[-1]
        )
        profile = "debug"
        if "--release" in switches or "-r" in switches:
            profile = "release"
        if "--profile" in options:
            chosen = options["--profile"][-1]
            profile = "debug" if chosen in ("dev", "test") else chosen
        directory = target_dir
        if "--target" in options:
            directory = posixpath.join(directory, options["--target"][-1])
        outputs.append(BuildOutput(posixpath.join(directory, profile, binary.name), program))
    return outputs
