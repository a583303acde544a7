"""A container whose command runs the repository's tests (``go test``, ``pytest``, ``npm test``)
runs no program of it: envlint does not analyse test code, so no code is the service's, no
directory stands in for it, and nothing "crashes at start" in it; ENV205 says so (blind
evaluation 16a, go-clean-template: 14 false ENV201 errors charged the app's config reads to an
integration-test service running ``go test``).  A command that runs a program before or beside
the tests, and a build that goes beyond them, are read as before."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from envlint.servicecode.entry_tests import runs_tests
from tests.conftest import run_lint

from ._helpers import entrypoints

Project = Callable[[Mapping[str, str | bytes]], Path]

_CONFIG = """package config

import (
	"log"
	"os"
)

func MustURL() string {
	v, ok := os.LookupEnv("DB_URL")
	if !ok {
		log.Fatal("DB_URL is required")
	}
	return v
}
"""


def _go_repo(itest: str, compose_extra: str = "", **files: str) -> dict[str, str]:
    """go-clean-template's shape: an app whose config requires DB_URL (compose gives it) and an
    integration-test service built from the same tree (``itest``: its Dockerfile)."""
    return {
        "docker-compose.yml": (
            "services:\n  app:\n    build: .\n    environment:\n      DB_URL: postgres://db/app\n"
            "  itest:\n    build:\n      context: .\n      dockerfile: itest/Dockerfile\n"
            f"    depends_on: [app]\n{compose_extra}"
        ),
        "Dockerfile": (
            "FROM golang:1.22\nCOPY . /app\nWORKDIR /app\nRUN go build -o /bin/app ./cmd/app\n"
            'CMD ["/bin/app"]\n'
        ),
        "go.mod": "module example.com/shape1\n\ngo 1.22\n",
        "cmd/app/main.go": (
            'package main\n\nimport "example.com/shape1/config"\n\n'
            "func main() { _ = config.MustURL() }\n"
        ),
        "config/config.go": _CONFIG,
        "itest/Dockerfile": itest,
        "itest/api_test.go": (
            'package itest\n\nimport "testing"\n\nfunc TestPing(t *testing.T) {}\n'
        ),
        **files,
    }


_GO_TEST = 'FROM golang:1.22\nCOPY . /app\nWORKDIR /app\nCMD ["go", "test", "-v", "./itest/..."]\n'


def test_a_go_test_container_gets_no_code_and_a_note_of_its_own(project: Project) -> None:
    root = project(_go_repo(_GO_TEST))
    entry = entrypoints(root)["itest"]
    assert entry.tests == "`go test`" and entry.program is None and not entry.idle
    findings = run_lint(root, cache=False).findings
    assert [(f.code, f.service) for f in findings] == [("ENV205", "itest")]
    message = findings[0].message
    assert message.startswith(
        "service itest runs the repository's tests (`go test`), which envlint does not check "
        "as a program: envlint attributes no code to it"
    )
    assert "runs no program of its own" not in message
    assert "./itest/..." not in message  # only the runner is said: its words may hold values
    assert "[tool.envlint.services.itest] source" in message


def test_the_app_beside_it_keeps_its_program(project: Project) -> None:
    root = project(_go_repo(_GO_TEST))
    entry = entrypoints(root)["app"]
    assert entry.program is not None and entry.program.target == "cmd/app"
    assert entry.tests is None


@pytest.mark.parametrize(
    ("itest", "compose_extra", "extra"),
    [
        # through a shell, a process wrapper, an entry script that hands over to the CMD
        (_GO_TEST, "    command: ['sh', '-c', 'cd /app && go test ./itest/...']\n", {}),
        (
            _GO_TEST.replace("CMD", 'ENTRYPOINT ["tini", "--"]\nCMD'),
            "",
            {},
        ),
        (
            'FROM golang:1.22\nCOPY . /app\nWORKDIR /app\nENTRYPOINT ["./itest/entry.sh"]\n'
            'CMD ["go", "test", "./itest/..."]\n',
            "",
            {"itest/entry.sh": '#!/bin/sh\nset -e\necho "testing"\nexec "$@"\n'},
        ),
        (_GO_TEST, "    command: go test -count=1 -run TestPing ./itest\n", {}),
    ],
)
def test_go_test_through_wrappers_is_a_test_run(
    project: Project, itest: str, compose_extra: str, extra: dict[str, str]
) -> None:
    root = project(_go_repo(itest, compose_extra, **extra))
    assert entrypoints(root)["itest"].tests == "`go test`"
    codes = [f.code for f in run_lint(root, cache=False).findings]
    assert "ENV201" not in codes and "ENV205" in codes


@pytest.mark.parametrize(
    "compose_extra",
    [
        # a program runs before the tests, or beside them in the background: as before
        "    command: ['sh', '-c', '/bin/app & go test ./itest/...']\n",
        "    command: ['sh', '-c', 'go run ./cmd/app && go test ./itest/...']\n",
        # not test runs: a build, a vet, a program run with `go run`
        "    command: go vet ./...\n",
        "    command: go run ./cmd/app\n",
    ],
)
def test_commands_that_run_a_program_are_not_test_runs(
    project: Project, compose_extra: str
) -> None:
    root = project(_go_repo(_GO_TEST, compose_extra))
    entry = entrypoints(root)["itest"]
    assert entry.tests is None
    if "go run" in compose_extra and "&&" not in compose_extra:
        assert entry.program is not None and entry.program.target == "cmd/app"


def test_without_the_change_the_fallback_would_have_crashed_it(project: Project) -> None:
    # the same repository with the test service running the app's binary: ENV201 still fires
    # for it (the program is found), so the silence above is the test run's, not a lost rule
    root = project(_go_repo(_GO_TEST, "    command: ['/bin/app']\n"))
    findings = run_lint(root, cache=False).findings
    assert [(f.code, f.service) for f in findings if f.code == "ENV201"] == [("ENV201", "itest")]


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["go", "test", "-v", "./..."], "`go test`"),
        (["/usr/local/go/bin/go", "test"], "`go test`"),
        (["cargo", "test", "--release"], "`cargo test`"),
        (["cargo", "+nightly", "--locked", "test"], "`cargo test`"),
        (["cargo", "nextest", "run"], "`cargo nextest run`"),
        (["dotnet", "test", "tests/Api.Tests.csproj"], "`dotnet test`"),
        (["pytest", "-x", "tests"], "`pytest`"),
        (["py.test"], "`py.test`"),
        (["python", "-m", "pytest", "-q"], "`python -m pytest`"),
        (["python3", "-u", "-W", "error", "-m", "pytest"], "`python3 -m pytest`"),
        (["mvn", "test"], "`mvn test`"),
        (["mvn", "-B", "-f", "api/pom.xml", "clean", "test", "-Dtest=ApiIT"], "`mvn test`"),
        (["./mvnw", "-q", "test"], "`mvnw test`"),
        (["gradle", "test"], "`gradle test`"),
        (["./gradlew", "--no-daemon", ":api:test", "--tests", "x.ApiTest"], "`gradlew test`"),
        (["./gradlew", "clean", "test"], "`gradlew test`"),
        (["npm", "test"], "`npm test`"),
        (["npm", "t"], "`npm test`"),
        (["npm", "run", "test", "--", "--ci"], "`npm run test`"),
        (["npm", "-w", "api", "test"], "`npm test`"),
        (["yarn", "test"], "`yarn test`"),
        (["yarn", "workspace", "api", "test"], "`yarn test`"),
        (["pnpm", "--filter", "api", "test"], "`pnpm test`"),
        (["pnpm", "run", "test"], "`pnpm run test`"),
        (["bun", "test"], "`bun test`"),
    ],
)
def test_test_runners(argv: list[str], said: str) -> None:
    assert runs_tests(argv) == said


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["go", "run", "./cmd/app"],
        ["go", "build", "./..."],
        ["go", "vet", "./..."],
        ["cargo", "run"],
        ["cargo", "build", "--tests"],
        ["dotnet", "run"],
        ["dotnet", "Api.dll"],
        ["python", "-m", "app"],
        ["python", "-c", "import pytest"],
        ["python", "test.py"],
        ["mvn", "spring-boot:run"],
        ["mvn", "clean", "install"],
        ["mvn", "verify"],
        ["mvn", "test", "exec:java"],
        ["./gradlew", "bootRun"],
        ["./gradlew", "build", "-x", "test"],
        ["./gradlew", "test", "bootRun"],
        ["npm", "start"],
        ["npm", "run", "test:e2e"],
        ["npm", "run", "dev"],
        ["yarn", "start"],
        ["pnpm", "dev"],
        ["bun", "run", "server.ts"],
        ["node", "test.js"],
        ["npx", "jest"],
    ],
)
def test_other_commands_are_not_test_runs(argv: list[str]) -> None:
    assert runs_tests(argv) is None


def _python_repo(command: str, **files: str) -> dict[str, str]:
    return {
        "docker-compose.yml": (
            "services:\n  web:\n    build: .\n    command: python app.py\n"
            f"  tests:\n    build: .\n    command: {command}\n"
        ),
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n",
        "app.py": 'import os\n\nSECRET_KEY = os.environ["SECRET_KEY"]\n',
        **files,
    }


@pytest.mark.parametrize("command", ["pytest -x", "python -m pytest", "sh -c 'exec pytest'"])
def test_a_pytest_container_is_a_test_run(project: Project, command: str) -> None:
    root = project(_python_repo(command))
    assert entrypoints(root)["tests"].tests is not None
    found = {(f.code, f.service) for f in run_lint(root, cache=False).findings}
    assert ("ENV201", "tests") not in found and ("ENV205", "tests") in found
    assert ("ENV201", "web") in found  # the program beside it: unchanged


def test_npm_test_through_its_package_script_is_a_test_run(project: Project) -> None:
    root = project(
        {
            "docker-compose.yml": (
                "services:\n  api:\n    build: .\n  api-test:\n    build: .\n"
                "    command: npm test\n"
            ),
            "Dockerfile": 'FROM node:22\nWORKDIR /app\nCOPY . .\nCMD ["npm", "start"]\n',
            "package.json": (
                '{"name": "api", "scripts": {"start": "node server.js", "test": "jest"}}\n'
            ),
            "server.js": (
                "if (!process.env.API_TOKEN) { throw new Error('API_TOKEN is required'); }\n"
            ),
        }
    )
    entries = entrypoints(root)
    assert entries["api-test"].tests == "`npm test`"
    assert entries["api"].program is not None and entries["api"].tests is None
    found = {(f.code, f.service) for f in run_lint(root, cache=False).findings}
    assert ("ENV201", "api-test") not in found and ("ENV205", "api-test") in found
    assert ("ENV201", "api") in found


def _two_builds(second_cmd: str) -> dict[str, str]:
    """An image two builds may make (a compose build and a workflow's, other targets), pulled
    by a service of its own: each build is read."""
    return {
        "compose.yml": """
            services:
              built:
                build: {context: ., target: release}
                image: example/itest:latest
              itest:
                image: example/itest:latest
        """,
        ".github/workflows/images.yml": """
            on: push
            jobs:
              build:
                runs-on: ubuntu-latest
                steps:
                  - uses: docker/build-push-action@v6
                    with: {context: ., target: ci, tags: "example/itest:latest"}
        """,
        "Dockerfile": (
            'FROM golang:1.22 AS release\nWORKDIR /app\nCOPY . .\nCMD ["go", "test", "./..."]\n'
            f"FROM release AS ci\nCMD {second_cmd}\n"
        ),
        "go.mod": "module example.com/two\n\ngo 1.22\n",
        "main.go": "package main\n\nfunc main() {}\n",
    }


def test_a_test_run_in_each_candidate_build_is_a_test_run(project: Project) -> None:
    entry = entrypoints(project(_two_builds('["go", "test", "-race", "./..."]')))["itest"]
    assert entry.tests == "`go test`"
    assert entry.program is None


def test_a_test_run_in_only_one_candidate_build_is_not(project: Project) -> None:
    entry = entrypoints(project(_two_builds('["go", "run", "."]')))["itest"]
    assert entry.tests is None
