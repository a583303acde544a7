"""Test runs: a container whose command runs the repository's tests, not a program of it.

A stack often holds a service that runs a test suite against the others (``CMD ["go", "test",
"./integration-test/..."]``, ``pytest``, ``npm test``).  envlint does not analyse test code
(``*_test.go``, ``tests/`` are skipped), and which of the repository's code the tests load is
not known: no program of the repository is such a service's code, no directory of code stands
in for it, and nothing in it "crashes at start".

:func:`runs_tests` reads one argv (after process wrappers such as ``exec`` or ``tini``) and
decides from the command's words as the tool parses them, never from its text.  Only the runner
is said (``go test``, ``python -m pytest``): its other words may hold values of the environment.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence

__all__ = ["runs_tests"]

# the options of each tool before its command word that take a value as the next word
_CARGO_VALUES = frozenset(("--color", "--config", "-Z", "-C"))
_PYTHON_VALUES = frozenset(("-W", "-X", "--check-hash-based-pycs"))
_MAVEN_VALUES = frozenset(
    (
        "-f", "--file", "-s", "--settings", "-gs", "--global-settings", "-t", "--toolchains",
        "-pl", "--projects", "-P", "--activate-profiles", "-rf", "--resume-from", "-T",
        "--threads", "-l", "--log-file", "-D", "--define", "-b", "--builder",
    )
)  # fmt: skip
_GRADLE_VALUES = frozenset(
    (
        "-p", "--project-dir", "-b", "--build-file", "-c", "--settings-file", "-x",
        "--exclude-task", "-I", "--init-script", "-g", "--gradle-user-home", "--tests",
        "--console", "--warning-mode", "--include-build", "-D", "--system-prop", "-P",
        "--project-prop",
    )
)  # fmt: skip
# Maven phases that only prepare the test phase (nothing bound to them by default starts a
# program), and the Gradle tasks likewise
_MAVEN_PHASES = frozenset(("clean", "validate", "initialize", "compile", "test-compile", "test"))
_GRADLE_TASKS = frozenset(("clean", "cleanTest", "test"))
_PACKAGE_TOOLS = frozenset(("npm", "yarn", "pnpm", "bun"))
# a package manager's options that take a value: the workspace package or directory to run in
_PACKAGE_VALUES = frozenset(
    ("-w", "--workspace", "--prefix", "--filter", "-F", "-C", "--dir", "--cwd")
)


def _words(argv: Sequence[str], values: frozenset[str]) -> list[str]:
    """``argv``'s words that are not options, nor the values of ``values`` options (an option
    written ``--opt=value`` or ``-Dx=y`` is one word)."""
    words: list[str] = []
    index = 0
    while index < len(argv):
        word = argv[index]
        index += 1
        if word.startswith("-"):
            index += 1 if word in values else 0
            continue
        words.append(word)
    return words


def _python_module(argv: Sequence[str]) -> str | None:
    """The module ``python [options] -m MODULE`` runs, else None."""
    index = 1
    while index < len(argv) and argv[index].startswith("-"):
        if argv[index] == "-m":
            return argv[index + 1] if index + 1 < len(argv) else None
        if argv[index] == "-c" or argv[index] == "-":
            return None
        index += 2 if argv[index] in _PYTHON_VALUES else 1
    return None


def _is_python(base: str) -> bool:
    rest = base.removeprefix("python")
    return rest != base and all(ch.isdigit() or ch == "." for ch in rest)


def _package_test(tool: str, rest: Sequence[str]) -> str | None:
    """``npm test`` / ``npm run test`` (``yarn``, ``pnpm`` alike), ``bun test`` (bun's own
    runner): the package's ``test`` script, as said; None for any other script."""
    words = _words(rest, _PACKAGE_VALUES)
    if tool == "yarn" and words[:1] == ["workspace"]:
        words = words[2:]  # `yarn workspace web test`
    if words[:1] == ["test"] or (tool == "npm" and words[:1] in (["t"], ["tst"])):
        return f"`{tool} test`"
    if words[:1] in (["run"], ["run-script"]) and words[1:2] == ["test"]:
        return f"`{tool} run test`"
    return None


def runs_tests(argv: Sequence[str]) -> str | None:
    """The test runner ``argv`` runs, as said (``go test``, ``cargo test``, ``dotnet test``,
    ``pytest``, ``python -m pytest``, ``mvn test``, ``./gradlew test``, ``npm test``), or None
    when it runs something else: a Maven or Gradle build that goes beyond its tests, a package
    script other than ``test``."""
    if not argv:
        return None
    base = posixpath.basename(argv[0])
    rest = argv[1:]
    if base == "go" and rest[:1] == ["test"]:
        return "`go test`"
    if base == "dotnet" and rest[:1] == ["test"]:
        return "`dotnet test`"
    if base == "cargo":
        words = _words([w for w in rest if not w.startswith("+")], _CARGO_VALUES)
        if words[:1] in (["test"], ["t"]):
            return "`cargo test`"
        if words[:2] == ["nextest", "run"]:
            return "`cargo nextest run`"
        return None
    if base in ("pytest", "py.test"):
        return f"`{base}`"
    if _is_python(base) and _python_module(argv) == "pytest":
        return f"`{base} -m pytest`"
    if base in ("mvn", "mvnw"):
        phases = _words(rest, _MAVEN_VALUES)
        tests = "test" in phases and all(p in _MAVEN_PHASES for p in phases)
        return f"`{base} test`" if tests else None
    if base in ("gradle", "gradlew"):
        tasks = [t.rpartition(":")[2] for t in _words(rest, _GRADLE_VALUES)]
        tests = "test" in tasks and all(t in _GRADLE_TASKS for t in tasks)
        return f"`{base} test`" if tests else None
    if base in _PACKAGE_TOOLS:
        return _package_test(base, rest)
    return None
