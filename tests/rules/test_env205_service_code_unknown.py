"""ENV205 beyond the page cases: a build context outside the checked directory."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_lint, write_tree


def test_a_context_outside_the_checked_directory_says_none_of_its_code_is_checked(
    tmp_path: Path,
) -> None:
    write_tree(
        tmp_path,
        {
            "apps/api/Dockerfile": "FROM node:22\nCOPY . /app\nCMD [\"./start.sh\"]\n",
            "apps/api/index.js": "const url = process.env.DATABASE_URL;\n",
            "deploy/compose.yaml": """
                services:
                  api:
                    build: ../apps/api
            """,
        },
    )
    [finding] = run_lint(tmp_path / "deploy", select=("ENV205",), cache=False).findings
    assert finding.service == "api"
    assert "envlint checks none of its code (check from a directory that holds it)" in (
        finding.message
    )
    assert "every file below" not in finding.message
    # checked from the repository root, the same service's code is read (the directory model)
    [finding] = run_lint(tmp_path, select=("ENV205",), cache=False).findings
    assert "envlint checks every file below apps/api as its code instead" in finding.message


_BASE_COMPOSE = """
services:
  base:
    image: acme/shop-base:latest
    build:
      context: .
      dockerfile: docker/base.dockerfile
    profiles: [build-only]
  account:
    build:
      context: .
      dockerfile: docker/account.dockerfile
    environment:
      SECRET_KEY: s
"""

_BASE_IMAGE = """
FROM golang:1.23-alpine
WORKDIR /src
COPY go.mod ./
RUN go mod download
"""

_ACCOUNT_IMAGE = """
FROM acme/shop-base:latest AS build
COPY . .
RUN go build -o /account ./cmd/account
FROM alpine:3.20
COPY --from=build /account /account
CMD ["/account"]
"""

_ACCOUNT_MAIN = """
package main

import "os"

func main() {
	if os.Getenv("SECRET_KEY") == "" {
		panic("SECRET_KEY is required")
	}
}
"""


def _base_project(tmp_path: Path, **changes: str) -> Path:
    files = {
        "docker-compose.yml": _BASE_COMPOSE,
        "docker/base.dockerfile": _BASE_IMAGE,
        "docker/account.dockerfile": _ACCOUNT_IMAGE,
        "go.mod": "module example.com/shop\n\ngo 1.23\n",
        "cmd/account/main.go": _ACCOUNT_MAIN,
    }
    files.update({path.replace("__", "/"): text for path, text in changes.items()})
    return write_tree(tmp_path, files)


def test_a_service_that_only_builds_the_base_image_of_others_is_no_program(
    tmp_path: Path,
) -> None:
    # `base` builds the image account's Dockerfile is built FROM and runs golang's own command:
    # no program to find, and the repository's code is not its code (no ENV201 for it either)
    root = _base_project(tmp_path)
    report = run_lint(root, cache=False)
    assert [(f.code, f.service) for f in report.findings] == []
    [base] = [c for c in report.service_code if c.service == "base"]
    assert (base.program, base.by) == (None, "none")
    assert base.how == (
        "Service base: its command comes from the base image golang:1.23-alpine; it builds the "
        "base image of service account."
    )
    # with its Dockerfile at the root, the directory model made every file base's code
    moved = _base_project(
        tmp_path / "root",
        **{"docker-compose.yml": _BASE_COMPOSE.replace("docker/base.dockerfile", "Dockerfile")},
        Dockerfile=_BASE_IMAGE,
    )
    assert [(f.code, f.service) for f in run_lint(moved, cache=False).findings] == []


def test_a_base_image_service_with_a_command_of_its_own_is_still_reported(
    tmp_path: Path,
) -> None:
    # a base image that holds the repository's code (the base without a command of its own
    # is no program either way)
    image = _BASE_IMAGE.replace("COPY go.mod ./", "COPY . .")
    command = "    command: ./serve-everything.sh\n    profiles:"
    unused = _ACCOUNT_IMAGE.replace("acme/shop-base", "golang")
    for name, changes in (
        ("dockerfile", {"docker__base.dockerfile": image + 'CMD ["./serve-everything.sh"]\n'}),
        (
            "compose",
            {
                "docker__base.dockerfile": image,
                "docker-compose.yml": _BASE_COMPOSE.replace("    profiles:", command),
            },
        ),
        # nobody builds FROM its image: it is no base image
        ("unused", {"docker__base.dockerfile": image, "docker__account.dockerfile": unused}),
    ):
        root = _base_project(tmp_path / name, **changes)
        # with its profile selected (an inactive service's code is not checked at all)
        found = run_lint(root, select=("ENV205",), cache=False, profiles=("build-only",)).findings
        assert [(f.code, f.service) for f in found] == [("ENV205", "base")], name
        assert not run_lint(root, select=("ENV205",), cache=False).findings, name
    root = _base_project(tmp_path / "none", **{"docker__base.dockerfile": image})
    assert not run_lint(root, select=("ENV205",), cache=False, profiles=("build-only",)).findings


def test_a_shell_form_entrypoint_and_a_celery_attribute_resolve_to_the_service_s_code(
    tmp_path: Path,
) -> None:
    """robotoff and fastapi-celery (blind set 13b): ``ENTRYPOINT script $0 $@`` runs the CMD
    through the script, and ``celery -A worker.celery`` loads worker.py: both programs are
    found, so a separate job's directory and an unimported file are not the services' code
    (no ENV205, no ENV201 on them), and a module-level read crashes at start (an error)."""
    write_tree(
        tmp_path,
        {
            "compose.yaml": """
                services:
                  api: {build: .}
                  worker: {build: ./project, command: celery -A worker.celery worker}
                  lost: {build: ./project, command: celery -A missing.celery worker}
            """,
            "Dockerfile": """
                FROM python:3.12-slim
                WORKDIR /opt/app
                COPY . /opt/app
                COPY docker/docker-entrypoint.sh /docker-entrypoint.sh
                ENTRYPOINT /docker-entrypoint.sh $0 $@
                CMD ["gunicorn", "app.api:api"]
            """,
            "docker/docker-entrypoint.sh": '#!/bin/sh\nexec "$@"\n',
            "app/__init__.py": "",
            "app/api.py": "import os\n\nLEVEL = os.environ.get('LOG_LEVEL', 'INFO')\napi = None\n",
            "batch/job/Dockerfile": 'FROM python:3.12\nCOPY . .\nCMD ["python", "main.py"]\n',
            "batch/job/main.py": "import os\n\nBUCKET = os.environ['BUCKET_NAME']\n",
            "project/Dockerfile": "FROM python:3.12\nWORKDIR /usr/src/app\nCOPY . .\n",
            "project/worker.py": "import os\n\nBROKER = os.environ['CELERY_BROKER_URL']\n",
            "project/other.py": "import os\n\nTOKEN = os.environ['UNRELATED_TOKEN']\n",
        },
    )
    report = run_lint(tmp_path, select=("ENV201", "ENV205"), cache=False)
    found = {(f.code, f.service, f.location.path, f.severity.value) for f in report.findings}
    assert found == {
        ("ENV201", "worker", "project/worker.py", "error"),
        # not found: its note names the module, and its directory is read in its place
        ("ENV205", "lost", "compose.yaml", "info"),
        ("ENV201", "lost", "project/worker.py", "warning"),
        ("ENV201", "lost", "project/other.py", "warning"),
    }


def test_a_service_behind_an_unselected_profile_is_not_reported(tmp_path: Path) -> None:
    # hoppscotch (blind 16b): ENV901 says no service of the stack is checked, so ENV205 must
    # not say what envlint checks as the code of one of them
    write_tree(
        tmp_path,
        {
            "compose.yaml": """
                services:
                  migrate:
                    profiles: [prod]
                    build: ./app
                    command: sh -c "pnpm exec prisma migrate deploy"
            """,
            "app/Dockerfile": "FROM node:22\nCOPY . /app\n",
            "app/index.js": "const key = process.env.KEY;\n",
        },
    )
    assert not run_lint(tmp_path, select=("ENV205",), cache=False).findings
    [finding] = run_lint(tmp_path, select=("ENV205",), cache=False, profiles=("prod",)).findings
    assert finding.service == "migrate"


def test_a_test_run_gets_its_own_note_not_the_directory_fallback(tmp_path: Path) -> None:
    """Blind evaluation 16a: a `dotnet test` service was "a program envlint could not find",
    checked by directory; it runs the repository's tests, and the note says that instead."""
    write_tree(
        tmp_path,
        {
            "compose.yaml": """
                services:
                  api:
                    build: {context: ., dockerfile: src/Api/Dockerfile}
                  api-tests:
                    build: {context: ., dockerfile: src/Api/Dockerfile, target: build}
                    command: ["dotnet", "test", "tests/Api.Tests/Api.Tests.csproj"]
            """,
            "src/Api/Dockerfile": (
                "FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nWORKDIR /src\nCOPY . .\n"
                "RUN dotnet publish src/Api/Api.csproj -o /out\n"
                "FROM mcr.microsoft.com/dotnet/aspnet:8.0\nWORKDIR /app\n"
                'COPY --from=build /out .\nENTRYPOINT ["dotnet", "Api.dll"]\n'
            ),
            "src/Api/Api.csproj": '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>\n',
            "src/Api/Program.cs": 'var url = Environment.GetEnvironmentVariable("API_URL");\n',
            "tests/Api.Tests/Api.Tests.csproj": '<Project Sdk="Microsoft.NET.Sdk"></Project>\n',
            "tests/Api.Tests/ApiTests.cs": "public class ApiTests {}\n",
        },
    )
    found = run_lint(tmp_path, select=("ENV205",), cache=False).findings
    assert [f.service for f in found] == ["api-tests"]
    assert found[0].message.startswith(
        "service api-tests runs the repository's tests (`dotnet test`), which envlint does not "
        "check as a program: envlint attributes no code to it (set "
        "[tool.envlint.services.api-tests] source to check a program it runs)"
    )
