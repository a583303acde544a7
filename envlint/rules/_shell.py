"""Where a compose reference sits in a shell script the container runs.

Compose interpolates ``command``, ``entrypoint``, ``healthcheck.test`` and the ``post_start`` /
``pre_stop`` hooks' ``command`` before the container starts, so a ``$X`` meant for the container's
shell must be written ``$$X``.  Only text a shell really runs counts: the script after ``-c`` of
``sh``/``bash``/... (``env bash -c`` too), and a healthcheck in string or ``CMD-SHELL`` form.  An
exec-form argument (``["node", "--port", "$PORT"]``) is expanded by nobody, so a reference there
is an ordinary Compose reference.

The argument structure comes from the merged service mapping (:attr:`Service.raw`); a string
command is split into words as Compose does (POSIX shell words).
"""

from __future__ import annotations

import posixpath
import re
import shlex
from collections.abc import Mapping, Sequence

from envlint.model import ComposeProject, VarRef

__all__ = ["shell_script_part"]

_SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "ksh", "mksh"})
_PLACE = re.compile(
    r"^(?P<key>command|entrypoint|healthcheck\.test|(?P<hook>post_start|pre_stop)\[(?P<n>\d+)\]"
    r"\.command)(?:\[(?P<index>\d+)\])?$"
)


def shell_script_part(project: ComposeProject, ref: VarRef) -> str | None:
    """``"healthcheck"``, ``"command"``, ``"entrypoint"``, ``"post_start hook"`` or
    ``"pre_stop hook"`` when ``ref`` lies in a script the container's shell runs, else None."""
    if ref.service is None or not ref.context.startswith(f"services.{ref.service}."):
        return None
    service = project.service(ref.service)
    match = _PLACE.match(ref.context[len(f"services.{ref.service}.") :])
    if service is None or match is None:
        return None
    raw = service.raw
    index = int(match["index"]) if match["index"] is not None else None
    if match["hook"] is not None:
        hooks = raw.get(match["hook"])
        hook = _item(hooks, int(match["n"]))
        command = hook.get("command") if isinstance(hook, Mapping) else None
        found = _in_script(_argv(command), index)
        return f"{match['hook']} hook" if found else None
    key = match["key"]
    if key == "healthcheck.test":
        check = raw.get("healthcheck")
        return "healthcheck" if _healthcheck_shell(check, index) else None
    argv = _argv(raw.get(key))
    if argv is None:
        return None
    if key == "command":
        entrypoint = _argv(raw.get("entrypoint")) or []
        argv = [*entrypoint, *argv]
        index = len(entrypoint) + (index if index is not None else 0)
    return key if _in_script(argv, index) else None


def _healthcheck_shell(check: object, index: int | None) -> bool:
    test = check.get("test") if isinstance(check, Mapping) else None
    if isinstance(test, str):
        return True  # a string test runs as CMD-SHELL
    argv = _argv(test)
    if not argv or index is None or index < 1:
        return False
    if argv[0] == "CMD-SHELL":
        return True
    return argv[0] == "CMD" and _in_script(argv[1:], index - 1)


def _in_script(argv: Sequence[str] | None, index: int | None) -> bool:
    """Whether word ``index`` of ``argv`` (None: somewhere in it) is in the script of a
    ``shell [options] -c script`` invocation."""
    if not argv:
        return False
    start = 1 if posixpath.basename(argv[0]) == "env" else 0
    if start >= len(argv) or posixpath.basename(argv[start]) not in _SHELLS:
        return False
    j = start + 1
    while j < len(argv):
        word = argv[j]
        if word in ("-o", "+o"):
            j += 2
            continue
        if not word.startswith(("-", "+")) or word.startswith("--"):
            return False  # a script file (or a long option): not `-c`
        if "c" in word[1:]:
            return index is None or index > j
        j += 1
    return False


def _argv(value: object) -> list[str] | None:
    if isinstance(value, str):
        try:
            return shlex.split(value)
        except ValueError:
            return None
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def _item(value: object, n: int) -> object:
    return value[n] if isinstance(value, list) and n < len(value) else None
