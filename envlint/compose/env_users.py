"""Tools besides Compose that load a project env file, and the variables they reference.

A ``.env`` is often also the Makefile's and the CI's configuration: ``include .env`` makes
every ``KEY=value`` line a make variable (``$(KEY)``, ``${KEY}``; with a bare ``export`` or
``.EXPORT_ALL_VARIABLES:`` every variable reaches every recipe's environment), and a GitHub
Actions step loads it for the job (``cat .env >> $GITHUB_ENV``, a ``dotenv`` action) or for
its own shell (``source .env``, ``set -a; . ./.env``, ``export $(cat .env | xargs)``).  Such a
key is used even when no compose file names it (ENV107).

Read, never run, through the load's :class:`envlint.compose.launchers.LauncherFiles`:

* Makefiles' :meth:`~envlint.compose.launchers.LauncherFiles.directives`.  ``include`` /
  ``-include`` / ``sinclude`` names are relative to the directory make runs in, the top
  Makefile's (``Makefile``, ``makefile``, ``GNUmakefile``), through the ``*.mk`` files it
  includes; a ``*.mk`` file no Makefile includes is read as run from its own directory.  A
  name with a part make computes (``$(shell …)``) is not followed.
* GitHub workflows and composite actions: a step's ``run:`` script (split by
  :func:`envlint.servicecode.entry_shell.parse_shell`), or an action whose name says it loads
  a dotenv file (``xom9ikk/dotenv``; not one that writes it from ``envkey_*`` inputs).  What it
  loads reaches the job's later steps (``$GITHUB_ENV``, an action) or its own script (``source``);
  references there are ``${{ env.KEY }}`` and the script's ``$KEY``.
* Symfony apps (a ``composer.json`` beside the ``.env`` that requires ``symfony/dotenv``) with
  :func:`envlint.compose.symfony.symfony_users`: the ``%env(NAME)%`` their configuration reads.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from envlint.compose.launchers import LauncherFiles, repo_path, run_start
from envlint.compose.makefile import UNKNOWN
from envlint.compose.symfony import symfony_users
from envlint.model import EnvFileUser, Location
from envlint.servicecode.entry_shell import ShellCommand, parse_shell, runner_file

if TYPE_CHECKING:
    from envlint.compose.yamlnodes import YNode

__all__ = ["find_env_users"]

_TOP_MAKEFILES = frozenset(("Makefile", "makefile", "GNUmakefile"))
_GLOB = re.compile(r"[*?\[]")
# `${{ env.KEY }}`, `${{ env['KEY'] }}` inside a GitHub expression
_EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.DOTALL)
_ENV_CONTEXT = re.compile(r"\benv(?:\.([A-Za-z_][\w-]*)|\[\s*'([^']+)'\s*\])")
# an action's inputs that name the file (or the directory of the `.env`) it loads
_ENV_FILE_INPUTS = frozenset(("env-file", "env_file", "envfile", "envFile"))
_FILE_INPUTS = _ENV_FILE_INPUTS | {"path", "file"}


def find_env_users(launchers: LauncherFiles, env_files: Collection[str]) -> tuple[EnvFileUser, ...]:
    """The Makefiles and CI jobs among ``launchers`` that load one of ``env_files`` (paths
    relative to the root), each with the variables it references where the keys reach."""
    wanted = frozenset(env_files)
    if not wanted:
        return ()
    hints = {posixpath.basename(path) for path in wanted} | {"dotenv"}
    out: dict[EnvFileUser, None] = {}
    makefiles = [p for p in launchers.paths if launchers.format(p) == "make"]
    out.update(dict.fromkeys(_make_users(launchers, makefiles, wanted)))
    for path in launchers.paths:
        if launchers.format(path) != "github":
            continue
        text = launchers.text(path)
        if text is None or not any(hint in text for hint in hints):
            continue
        out.update(dict.fromkeys(_github_users(path, launchers.yaml(path), wanted)))
    out.update(dict.fromkeys(symfony_users(launchers.root, launchers.files, wanted)))
    return tuple(out)


# --------------------------------------------------------------------------- Makefiles


def _make_users(
    launchers: LauncherFiles, makefiles: list[str], wanted: frozenset[str]
) -> Iterator[EnvFileUser]:
    known = frozenset(makefiles)
    reached: set[str] = set()
    tops = [p for p in makefiles if posixpath.basename(p) in _TOP_MAKEFILES]
    for top in [*tops, *(p for p in makefiles if p not in tops)]:
        if top in reached and top not in tops:
            continue  # a *.mk file a Makefile includes is read with that Makefile
        if "include" not in (launchers.text(top) or ""):
            continue  # it includes nothing: none of the files it loads is an env file
        cwd = posixpath.dirname(top) or "."
        unit: list[str] = [top]
        loads: list[tuple[str, str, int]] = []  # (env file, the file that includes it, line)
        for path in unit:
            found = launchers.directives(path)
            for line, name in found.includes if found is not None else ():
                for target in _included(cwd, name, known | wanted):
                    if target in known and target not in unit:
                        unit.append(target)
                    elif target in wanted:
                        loads.append((target, path, line))
        reached.update(unit)
        if not loads:
            continue
        parts = [d for d in map(launchers.directives, unit) if d is not None]
        names = frozenset().union(*(d.references | d.exported for d in parts))
        all_keys = any(d.export_all for d in parts) and any(d.has_recipes for d in parts)
        for env_file, path, line in loads:
            who = f"{top} (make)"
            yield EnvFileUser(env_file, who, Location(path, line), names, all_keys)


def _included(cwd: str, name: str, known: frozenset[str]) -> Iterator[str]:
    """The files an include's ``name`` names, run in ``cwd``, among ``known``."""
    if UNKNOWN in name or not name:
        return
    if _GLOB.search(name):
        pattern = posixpath.normpath(posixpath.join(cwd, name))
        yield from sorted(p for p in known if fnmatch.fnmatchcase(p, pattern))
        return
    path = repo_path(cwd, name)
    if path is not None:
        yield path


# --------------------------------------------------------------------------- GitHub Actions


@dataclass(frozen=True, slots=True)
class _Step:
    names: frozenset[str]  # the variables it references
    job_loads: tuple[tuple[str, Location], ...]  # files it loads for the job's later steps
    own_loads: tuple[tuple[str, Location], ...]  # files its own script loads (`source .env`)


def _github_users(
    path: str, docs: tuple[YNode, ...], wanted: frozenset[str]
) -> Iterator[EnvFileUser]:
    from envlint.compose.yamlnodes import YMap, YSeq, dig

    for doc in docs[:1]:
        jobs: list[tuple[str, YNode | None]] = []
        if path.startswith(".github/workflows/"):
            found = dig(doc, "jobs")
            if isinstance(found, YMap):
                jobs = [(f"CI job {key.value} ({path})", job) for key, job in found.items]
        else:
            action = posixpath.basename(posixpath.dirname(path))
            jobs = [(f"CI action {action} ({path})", dig(doc, "runs"))]
        for who, job in jobs:
            steps = dig(job, "steps")
            if not isinstance(steps, YSeq):
                continue
            read = [_step(step, wanted) for step in steps.items]
            for at, step in enumerate(read):
                later = frozenset().union(*(s.names for s in read[at + 1 :]))
                for env_file, where in step.job_loads:
                    yield EnvFileUser(env_file, who, where, later)
                for env_file, where in step.own_loads:
                    yield EnvFileUser(env_file, who, where, step.names)


def _step(step: YNode, wanted: frozenset[str]) -> _Step:
    from envlint.compose.yamlnodes import dig, scalar_text

    names = set(_expression_names(step))
    job_loads: list[tuple[str, Location]] = []
    own_loads: list[tuple[str, Location]] = []
    run = dig(step, "run")
    script = scalar_text(run)
    if run is not None and script is not None:
        cwd = repo_path(".", scalar_text(dig(step, "working-directory")) or ".") or "."
        first = run_start(run).line

        def read(name: str) -> None:  # the script's `$NAME`: a read of the environment
            names.add(name)

        marker, lookup = runner_file("GITHUB_ENV", read)
        commands = parse_shell(script, lookup)
        for at, command in enumerate(commands):
            where = Location(run.loc.path, first + command.line - 1)
            for file, for_job in _script_loads(commands, at, marker):
                target = repo_path(cwd, file)
                if target in wanted:
                    (job_loads if for_job else own_loads).append((target, where))
    uses = scalar_text(dig(step, "uses"))
    if uses is not None:
        job_loads.extend((f, step.loc) for f in _action_files(step, uses) if f in wanted)
    return _Step(frozenset(names), tuple(job_loads), tuple(own_loads))


def _script_loads(
    commands: tuple[ShellCommand, ...], at: int, marker: str
) -> Iterator[tuple[str, bool]]:
    """The files command ``at`` loads: for the job's later steps (True: it or its pipeline
    writes the file to ``$GITHUB_ENV``, ``cat .env >> $GITHUB_ENV``) or for the script
    (False: ``source .env``, ``. ./.env``, ``export $(cat .env | xargs)``)."""
    command = commands[at]
    argv = command.argv
    if argv[:1] in (("source",), (".",)) and len(argv) > 1:
        yield argv[1], False
    if argv[:1] == ("export",):
        for word in command.words[1:]:
            if word.raw.startswith("$(") and word.raw.endswith(")"):
                for inner in parse_shell(word.raw[2:-1]):
                    yield from ((w, False) for w in _arguments(inner))
    if any(op in (">>", ">") and w.text == marker for op, w in command.redirects):
        pipeline = [command]
        for before in reversed(commands[:at]):
            if before.connector != "|":
                break
            pipeline.append(before)
        for part in pipeline:
            yield from ((w, True) for w in _arguments(part))


def _arguments(command: ShellCommand) -> Iterator[str]:
    """A command's literal words after its program that are no option: the files it may read."""
    for word in command.words[1:]:
        if not word.unresolved and word.text and not word.text.startswith("-"):
            yield word.text


def _action_files(step: YNode, uses: str) -> Iterator[str]:
    """The files an action loads: a dotenv action (its name says so) ``.env`` in the
    directory (or the file) its inputs name, the root's ``.env`` when none does
    (``xom9ikk/dotenv``'s ``mode: x``: ``.env.x``); another action the file its ``env-file``
    input names; nothing when it writes the file (``envkey_*`` inputs)."""
    from envlint.compose.yamlnodes import YMap, dig, scalar_text

    inputs = dig(step, "with")
    given = inputs.items if isinstance(inputs, YMap) else ()
    keys = [str(key.value) for key, _ in given]
    if any(key.startswith("envkey_") for key in keys):
        return
    if "dotenv" not in uses.lower():
        for key, value in given:
            text = scalar_text(value)
            if key.value in _ENV_FILE_INPUTS and text is not None and "${{" not in text:
                found = repo_path(".", text)
                if found is not None:
                    yield found
        return
    mode = scalar_text(dig(inputs, "mode"))
    names = [".env", f".env.{mode}"] if mode else [".env"]
    places = [
        text for key, value in given if key.value in _FILE_INPUTS and (text := scalar_text(value))
    ]
    for place in places or ["."]:
        if "${{" in place:
            continue
        for candidate in (place, *(posixpath.join(place, name) for name in names)):
            found = repo_path(".", candidate)
            if found is not None:
                yield found


def _expression_names(node: YNode) -> Iterator[str]:
    """The ``env.KEY`` a step's ``${{ }}`` expressions read, in any of its values."""
    from envlint.compose.yamlnodes import YMap, YScalar, YSeq

    if isinstance(node, YMap):
        for _, value in node.items:
            yield from _expression_names(value)
    elif isinstance(node, YSeq):
        for item in node.items:
            yield from _expression_names(item)
    elif isinstance(node, YScalar) and isinstance(node.value, str) and "${{" in node.value:
        for expression in _EXPRESSION.findall(node.value):
            for dotted, quoted in _ENV_CONTEXT.findall(expression):
                yield dotted or quoted
