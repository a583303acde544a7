"""A service whose program is unknown, run from a working directory that a bind mount fills
with a directory of the repository (``./:/workspace`` + ``working_dir:
/workspace/services/api``): its code is that directory, not the whole build context (blind
evaluation 4a, F6: every Go service of a monorepo was charged with the web apps' reads)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from tests.conftest import run_lint

from ._helpers import entrypoints

Project = Callable[[Mapping[str, str | bytes]], Path]

_GO_REQUIRED = """package main

import "os"

func main() {
\tif os.Getenv("%s") == "" {
\t\tpanic("%s is required")
\t}
}
"""
_TS_REQUIRED = """const port = process.env.EMAIL_API_PORT;
if (!port) throw new Error("EMAIL_API_PORT is required");
export default port;
"""


def _monorepo(services: str) -> dict[str, str]:
    return {
        "compose.yml": "services:\n" + services,
        "Dockerfile": "FROM golang:1.22 AS dev\nWORKDIR /workspace\n",
        "services/api/go.mod": "module example.com/api\n\ngo 1.22\n",
        "services/api/main.go": _GO_REQUIRED % ("API_KEY", "API_KEY"),
        "services/api/cmd/migrate/main.go": _GO_REQUIRED % ("MIGRATE_DSN", "MIGRATE_DSN"),
        "apps/email/package.json": '{"name": "email"}\n',
        "apps/email/server.ts": _TS_REQUIRED,
        "apps/web/Dockerfile": "FROM node:20\nWORKDIR /app\n",
        "apps/web/package.json": '{"name": "web"}\n',
        "apps/web/src/env.ts": _TS_REQUIRED.replace("EMAIL_API_PORT", "WEB_SECRET"),
    }


_ROOT = "{context: ., target: dev}"


def _service(name: str, workdir: str, command: str, build: str = _ROOT) -> str:
    return (
        f"  {name}:\n"
        f"    build: {build}\n"
        f"    working_dir: {workdir}\n"
        f"    command: {command}\n"
        "    volumes: ['./:/workspace']\n"
    )


def _env201(root: Path) -> set[tuple[str | None, str]]:
    found = run_lint(root, cache=False).findings
    return {(f.service, f.location.path) for f in found if f.code == "ENV201"}


def _env205(root: Path) -> dict[str | None, str]:
    found = run_lint(root, cache=False).findings
    return {f.service: f.message for f in found if f.code == "ENV205"}


def test_the_mounted_working_directory_is_the_code_of_an_unknown_program(
    project: Project,
) -> None:
    root = project(
        _monorepo(
            _service("api", "/workspace/services/api", '["air", "-c", ".air.toml"]')
            + _service("migrate", "/workspace/services/api", '["go", "run", "./cmd/migrate"]')
        )
    )
    found = entrypoints(root)
    assert found["api"].program is None and found["api"].workdir == "services/api"
    migrate = found["migrate"].program
    assert migrate is not None and migrate.target == "services/api/cmd/migrate"
    # api: its own directory's read, not the email app's; migrate: its own program only
    assert _env201(root) == {
        ("api", "services/api/main.go"),
        ("api", "services/api/cmd/migrate/main.go"),
        ("migrate", "services/api/cmd/migrate/main.go"),
    }
    message = _env205(root)["api"]
    assert "every file below services/api (its working directory" in message


def test_a_working_directory_outside_the_mounts_or_wider_than_the_context_changes_nothing(
    project: Project,
) -> None:
    root = project(
        _monorepo(
            # not in a bind mount: the build context stands for the code, as before
            _service("api", "/opt/api", '["air", "-c", ".air.toml"]')
            # the mount at the working directory is the whole repository, wider than the
            # build context apps/web: the context stays
            + _service(
                "web",
                "/workspace",
                '["./start-web"]',
                build="{context: apps/web}",
            )
        )
    )
    found = entrypoints(root)
    assert found["api"].workdir is None
    assert found["web"].program is None and found["web"].workdir == "."
    got = _env201(root)
    assert ("api", "apps/email/server.ts") in got  # the whole context ".", unchanged
    assert ("web", "apps/web/src/env.ts") in got
    assert not any(s == "web" and not p.startswith("apps/web/") for s, p in got)


def test_a_mount_of_the_context_itself_is_not_said(project: Project) -> None:
    # `.:/workspace` with working_dir /workspace on context `.`: the code is `.` either way,
    # and the message stays the one without a mount (DefectDojo's override stacks)
    root = project(_monorepo(_service("api", "/workspace", '["air", "-c", ".air.toml"]')))
    assert entrypoints(root)["api"].workdir == "."
    message = _env205(root)["api"]
    assert "every file below . as its code" in message
    assert "working directory" not in message
