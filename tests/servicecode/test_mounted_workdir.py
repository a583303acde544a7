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


# Laravel Sail's shape (blind evaluation 14d, solidtime): the image is only a runtime built
# from a folder of build files, and the application arrives through a bind mount of the
# project directory at the image's WORKDIR; the entry script runs a program only under a
# condition, so envlint cannot tell which.
_START = (
    "#!/usr/bin/env bash\n"
    'if [ $# -gt 0 ]; then\n    exec "$@"\nelse\n'
    "    exec /usr/bin/supervisord -c /etc/supervisor/conf.d/supervisord.conf\nfi\n"
)
_APP_REQUIRED = 'import os\n\nkey = os.environ["APP_KEY"]\n'


def _sail(volumes: str, workdir: str = "/var/www/html") -> dict[str, str]:
    return {
        "compose.yml": (
            "services:\n"
            "  laravel.test:\n"
            "    build: {context: ./docker/8.3}\n"
            f"    volumes:\n{volumes}"
            "volumes:\n  code: {}\n"
        ),
        "docker/8.3/Dockerfile": (
            f"FROM ubuntu:22.04\nWORKDIR {workdir}\n"
            "COPY start-container /usr/local/bin/start-container\n"
            'ENTRYPOINT ["start-container"]\n'
        ),
        "docker/8.3/start-container": _START,
        "app/main.py": _APP_REQUIRED,
        "backend/worker.py": _APP_REQUIRED.replace("APP_KEY", "WORKER_KEY"),
    }


def _env205_of(root: Path, service: str) -> str | None:
    return _env205(root).get(service)


def test_a_runtime_image_whose_working_directory_is_mounted_from_the_project_names_the_mount(
    project: Project,
) -> None:
    # the mount is wider than the build context and the command names no language: the whole
    # project is not taken for the service's code, but the note says where it comes from
    for volumes in (
        "      - .:/var/www/html\n",
        "      - .:/var/www/html:ro\n",
        "      - {type: bind, source: ., target: /var/www/html, read_only: true}\n",
    ):
        root = project(_sail(volumes))
        found = entrypoints(root)["laravel.test"]
        assert found.program is None and found.workdir == "."
        assert not {p for s, p in _env201(root) if s == "laravel.test"}
        message = _env205_of(root, "laravel.test")
        assert message is not None
        assert (
            "envlint checks none of its code: its code may be the bind mount of . at "
            "/var/www/html (its working directory), which envlint does not check" in message
        )


def test_a_mount_elsewhere_a_named_volume_or_a_file_is_not_the_code(project: Project) -> None:
    # mounted at another path than the working directory: the note names it all the same
    root = project(_sail("      - ./backend:/opt/backend\n"))
    assert entrypoints(root)["laravel.test"].workdir is None
    assert not {p for s, p in _env201(root) if s == "laravel.test"}
    message = _env205_of(root, "laravel.test")
    assert message is not None
    assert "its code may be the bind mount of backend at /opt/backend, which" in message
    # a named volume holds no file of the repository, nor is a file mount a directory
    for volumes in (
        "      - code:/var/www/html\n",
        "      - {type: volume, source: code, target: /var/www/html}\n",
        "      - ./app/main.py:/var/www/html/main.py\n",
    ):
        root = project(_sail(volumes))
        assert entrypoints(root)["laravel.test"].workdir is None
        assert not {p for s, p in _env201(root) if s == "laravel.test"}
        assert _env205_of(root, "laravel.test") is None  # the context holds no code, as before


def _otwa(
    volumes: str, command: str = 'bash -c "rm -f tmp/pids/server.pid && bundle exec rails s"'
) -> dict[str, str]:
    # otwarchive: context ".", the Dockerfile in config/docker copies only the Gemfile and the
    # code comes from the bind mount at the working directory
    return {
        "compose.yml": (
            "services:\n  web:\n"
            "    build: {context: ., dockerfile: ./config/docker/Dockerfile}\n"
            f"    command: {command}\n"
            f"    volumes:\n{volumes}"
        ),
        "config/docker/Dockerfile": (
            "FROM ruby:3.4\nWORKDIR /otwa\nVOLUME /otwa\nCOPY Gemfile .\n"
            "RUN bundle install\nCMD bundle exec rails s -p 3000\n"
        ),
        "config/docker/database.yml": "development:\n  adapter: mysql2\n",
        "Gemfile": "source 'https://rubygems.org'\ngem 'rails'\n",
        "app/models/setting.rb": "class Setting\n  HOST = ENV.fetch('ARCHIVE_HOST')\nend\n",
        "backend/app/models/job.rb": "class Job\n  QUEUE = ENV.fetch('JOB_QUEUE')\nend\n",
        "frontend/src/env.js": "export const api = process.env.API_URL.trim();\n",
    }


def test_a_dockerfile_folder_without_code_gives_way_to_the_mounted_context(
    project: Project,
) -> None:
    for volumes in ("      - .:/otwa\n", "      - .:/otwa:ro\n"):
        root = project(_otwa(volumes))
        assert entrypoints(root)["web"].workdir == "."
        got = _env201(root)
        assert ("web", "app/models/setting.rb") in got
        assert ("web", "frontend/src/env.js") not in got  # a Ruby command: the Ruby files
        message = _env205_of(root, "web")
        assert message is not None
        assert "envlint checks the Ruby files below . as its code" in message
    # a subdirectory mounted at the working directory (short or long form) is the code
    for volumes in (
        "      - ./backend:/otwa\n",
        "      - {type: bind, source: backend, target: /otwa}\n",
    ):
        root = project(_otwa(volumes))
        assert entrypoints(root)["web"].workdir == "backend"
        assert {p for s, p in _env201(root) if s == "web"} == {"backend/app/models/job.rb"}


def test_a_mounted_context_is_not_the_code_of_a_command_of_no_known_language(
    project: Project,
) -> None:
    # listmonk: `make run-backend` in a repository holding a Go backend and a JS frontend
    root = project(_otwa("      - .:/otwa\n", command='["make", "run-backend"]'))
    assert not {p for s, p in _env201(root) if s == "web"}
    message = _env205_of(root, "web")
    assert message is not None and "none of the code in . is checked" in message
    # nor a bind mount at another path than the working directory
    root = project(_otwa("      - .:/srv/app\n"))
    assert entrypoints(root)["web"].workdir is None
    assert not {p for s, p in _env201(root) if s == "web"}


def test_the_deeper_mount_wins_whatever_the_order_written(project: Project) -> None:
    # Docker mounts /srv/app before /srv/app/bin: the program is the one from ./alt
    root = project(
        {
            "compose.yml": (
                "services:\n  api:\n    build: ./docker\n    working_dir: /srv/app\n"
                "    command: python bin/main.py\n"
                "    volumes:\n      - ./alt:/srv/app/bin\n      - .:/srv/app\n"
            ),
            "docker/Dockerfile": "FROM python:3.12\n",
            "bin/main.py": _APP_REQUIRED,
            "alt/main.py": _APP_REQUIRED.replace("APP_KEY", "ALT_KEY"),
        }
    )
    program = entrypoints(root)["api"].program
    assert program is not None and program.target == "alt/main.py"


def test_a_program_missing_from_the_mounted_directory_is_said_to_be_mounted(
    project: Project,
) -> None:
    # shlink's roadrunner: the CMD downloads ./bin/rr into the mounted project at start
    root = project(
        {
            "compose.yml": (
                "services:\n  rr:\n    build: {context: ., dockerfile: infra/rr.Dockerfile}\n"
                "    volumes:\n      - ./:/home/app\n"
            ),
            "infra/rr.Dockerfile": (
                'FROM php:8.5-alpine\nWORKDIR /home/app\nCMD ["./bin/rr", "serve"]\n'
            ),
            "src/worker.php": "<?php\n$dsn = getenv('DB_DSN');\n",
        }
    )
    note = entrypoints(root)["rr"].note
    assert "./bin/rr is bind-mounted from bin/rr, which the repository does not hold (not " in note
    assert "copied" not in note
