"""ENV201 beyond the page cases: message wording, related locations, per-service judgement."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_lint, write_tree

PROGRAM = """
var consumer = new Consumer();
Console.WriteLine(consumer.SessionTimeoutMs);
"""

CONSUMER = """
using System;

public class Consumer
{
    public int SessionTimeoutMs { get; } =
        int.Parse(Environment.GetEnvironmentVariable("KAFKA_SESSION_TIMEOUT_MS")
            ?? throw new InvalidOperationException("not configured"));
}
"""


def test_incident_message_and_related(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "docker-compose.yml": """
                services:
                  accounting:
                    build: ./src/accounting
                    restart: unless-stopped
                    environment:
                      - KAFKA_SESSION_TIMEOUT_MS
            """,
            ".env": "OTHER=1\n",
            "src/accounting/Consumer.cs": CONSUMER,
            "src/accounting/Program.cs": PROGRAM,
        },
    )
    report = run_lint(tmp_path, select=("ENV201",), cache=False)
    [finding] = report.findings
    assert (finding.location.path, finding.location.line) == ("src/accounting/Consumer.cs", 6)
    assert finding.service == "accounting" and finding.variable == "KAFKA_SESSION_TIMEOUT_MS"
    assert "crash loop" in finding.message
    assert "passes it through" in finding.message
    related = [(r.location.path, r.location.line, r.message) for r in finding.related]
    assert related[0] == ("docker-compose.yml", 6, "passed through here, defined nowhere")
    assert related[1][:2] == ("src/accounting/Consumer.cs", 7)  # the `?? throw`


def test_no_restart_policy_no_crash_loop_wording_and_provided_by_env_file(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "compose.yaml": """
                services:
                  a:
                    build: ./src/accounting
                  b:
                    build: ./src/accounting
                    env_file: b.env
                  c:
                    build: ./src/accounting
                    profiles: [never]
            """,
            "b.env": "KAFKA_SESSION_TIMEOUT_MS=45000\n",
            "src/accounting/Consumer.cs": CONSUMER,
        },
    )
    report = run_lint(tmp_path, select=("ENV201",), cache=False)
    assert [f.service for f in report.findings] == ["a"]
    assert "crash loop" not in report.findings[0].message
    assert report.findings[0].related[0].message == "service a is defined here"


def test_unresolved_passthrough_erases_image_default(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "compose.yaml": """
                services:
                  a:
                    build: ./src/a
                    environment:
                      - QUEUE
                  b:
                    build: ./src/a
            """,
            "src/a/Dockerfile": "FROM golang:1.22\nENV QUEUE=jobs\n",
            "src/a/main.go": """
                package main

                import "os"

                func main() {
                    if os.Getenv("QUEUE") == "" {
                        os.Exit(1)
                    }
                }
            """,
        },
    )
    report = run_lint(tmp_path, select=("ENV201",), cache=False)
    assert [(f.service, f.variable) for f in report.findings] == [("a", "QUEUE")]


def test_reads_belong_to_the_stack_whose_service_builds_the_code(tmp_path: Path) -> None:
    """Two stacks in one directory, each with a service `api`: only the one that builds the
    code gets its reads (the other runs redis)."""
    write_tree(
        tmp_path,
        {
            "compose.yaml": "services:\n  api:\n    build: ./app\n    environment:\n"
            "      DB_URL: postgres://db\n",
            "compose.cache.yaml": "services:\n  api:\n    image: redis:7\n",
            "app/Dockerfile": "FROM golang:1.22\n",
            "app/main.go": 'package main\n\nimport "os"\n\nfunc main() {\n'
            '\tif os.Getenv("DB_URL") == "" {\n\t\tpanic("DB_URL")\n\t}\n}\n',
        },
    )
    stacks = (("compose.yaml",), ("compose.cache.yaml",))
    report = run_lint(tmp_path, select=("ENV201",), cache=False, compose_files=stacks)
    assert report.findings == ()
    # and the stack that builds it does report a missing variable
    write_tree(tmp_path, {"compose.yaml": "services:\n  api:\n    build: ./app\n"})
    report = run_lint(tmp_path, select=("ENV201",), cache=False, compose_files=stacks)
    assert [(f.service, f.variable) for f in report.findings] == [("api", "DB_URL")]


HANDLER_GO = """
package main

import (
	"net/http"
	"os"
)

func github(w http.ResponseWriter, r *http.Request) {
	token := os.Getenv("GITHUB_TOKEN")
	if token == "" {
		panic("GITHUB_TOKEN")
	}
}

func main() {
	http.HandleFunc("/github", github)
	http.ListenAndServe(":8080", nil)
}
"""


def test_a_read_that_runs_on_demand_is_a_warning_naming_the_function(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "docker-compose.yml": "services:\n  api:\n    build: ./api\n"
            "    restart: always\n",
            "api/go.mod": "module example.com/api\n\ngo 1.22\n",
            "api/Dockerfile": "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\n"
            "RUN go build -o /api .\nFROM scratch\nCOPY --from=build /api /api\n"
            'ENTRYPOINT ["/api"]\n',
            "api/main.go": HANDLER_GO,
        },
    )
    report = run_lint(tmp_path, select=("ENV201",), cache=False)
    [finding] = report.findings
    assert finding.severity.value == "warning"
    assert "fails without GITHUB_TOKEN when `main.github` runs" in finding.message
    assert "crash loop" not in finding.message and "at start" not in finding.message


def test_unknown_timing_says_so_and_is_a_warning(tmp_path: Path) -> None:
    """No entry point anywhere in the code (a library-like folder): envlint cannot tell when
    the read runs, and says so instead of claiming a crash at start."""
    write_tree(
        tmp_path,
        {
            "docker-compose.yml": "services:\n  accounting:\n    build: ./src/accounting\n"
            "    restart: unless-stopped\n",
            "src/accounting/Consumer.cs": CONSUMER,
        },
    )
    report = run_lint(tmp_path, select=("ENV201",), cache=False)
    [finding] = report.findings
    assert finding.severity.value == "warning"
    assert "could not tell whether this code runs at start" in finding.message
    assert "crash loop" not in finding.message


SETTINGS_PY = """
import os

COOKIE_SECRET = os.environ["APP_COOKIE_SECRET"]
"""


def test_an_absent_env_file_may_provide_it_so_the_finding_is_a_note(tmp_path: Path) -> None:
    # redash's shape: every app service loads `env_file: .env`, which `make .env` writes (it is
    # git-ignored, so a checkout has none); ENV104 reports the absent file, and whether the
    # variable would be in it cannot be known.
    files = {
        "compose.yaml": """
            services:
              server:
                build: .
                command: python -m app
                env_file: .env
        """,
        "app/__init__.py": "",
        "app/__main__.py": "from app import settings\n",
        "app/settings.py": SETTINGS_PY,
        "Dockerfile": "FROM python:3.12\nCOPY . /srv\nWORKDIR /srv\n",
    }
    write_tree(tmp_path, files)
    [note] = run_lint(tmp_path, select=("ENV201",), cache=False).findings
    assert note.severity.value == "info" and note.variable == "APP_COOKIE_SECRET"
    assert note.message.endswith(
        "unless its env file .env, which is absent (ENV104), defines it when it is created"
    )
    # the same service with its .env present and without the key: an error again
    write_tree(tmp_path, {".env": "OTHER=1\n"})
    [error] = run_lint(tmp_path, select=("ENV201",), cache=False).findings
    assert error.severity.value == "error" and "unless" not in error.message
    # with the key: nothing
    write_tree(tmp_path, {".env": "APP_COOKIE_SECRET=x\n"})
    assert run_lint(tmp_path, select=("ENV201",), cache=False).findings == ()


PROVIDERS_JS = """
function pickProvider() {
  if (process.env.OPENAI_KEY) {
    return { name: "openai", key: process.env.OPENAI_KEY };
  }
  if (process.env.LOCAL_URL && process.env.LOCAL_MODEL) {
    return { name: "local" };
  }
  if (process.env.MISTRAL_KEY) {
    return { name: "mistral" };
  }
  throw new Error("No provider configured");
}

module.exports = function tag(link) {
  return pickProvider().name + link;
};
"""


def _providers(tmp_path: Path, environment: str) -> list[str]:
    write_tree(
        tmp_path,
        {
            "compose.yaml": f"services:\n  worker:\n    build: .\n{environment}",
            "Dockerfile": "FROM node:20-alpine\nWORKDIR /app\nCOPY . .\n"
            'CMD ["node", "worker.js"]\n',
            "package.json": '{ "name": "worker", "main": "worker.js" }\n',
            "worker.js": PROVIDERS_JS,
        },
    )
    return [f.message for f in run_lint(tmp_path, select=("ENV201",), cache=False).findings]


def test_a_provider_chain_fails_only_without_every_alternative(tmp_path: Path) -> None:
    """blind eval repro 4: the throw runs only when no provider is configured: one finding,
    on the last link, naming the alternatives; none when compose sets one of them."""
    [message] = _providers(tmp_path / "none", "")
    assert (
        "fails unless MISTRAL_KEY or one of its alternatives (OPENAI_KEY; LOCAL_URL + "
        "LOCAL_MODEL) is set when `pickProvider` runs" in message
    )
    assert "compose provides none of them" in message
    # must not fire: one alternative is set (a whole group of them)
    assert _providers(tmp_path / "a", "    environment:\n      OPENAI_KEY: ${KEY:-k}\n") == []
    both = "    environment:\n      LOCAL_URL: http://llm\n      LOCAL_MODEL: small\n"
    assert _providers(tmp_path / "b", both) == []
    # still fires: half a group, or an alternative set to ""
    assert len(_providers(tmp_path / "c", "    environment:\n      LOCAL_URL: http://llm\n")) == 1
    assert len(_providers(tmp_path / "d", '    environment:\n      OPENAI_KEY: ""\n')) == 1


_MAIN_RS = """use std::env;

fn main() {
    let broker = env::var("KAFKA_BROKERS").expect("KAFKA_BROKERS missing");
    println!("{}", broker);
}
"""


def _rust_stack(tests_command: str) -> dict[str, str]:
    return {
        "docker-compose.yml": (
            "services:\n  app:\n    build: .\n    environment:\n      KAFKA_BROKERS: kafka:9092\n"
            f"  tests:\n    build: .\n    command: {tests_command}\n"
        ),
        "Dockerfile": 'FROM rust:1.80\nWORKDIR /app\nCOPY . .\nCMD ["cargo", "run"]\n',
        "Cargo.toml": '[package]\nname = "demo"\nversion = "0.1.0"\nedition = "2021"\n',
        "src/main.rs": _MAIN_RS,
    }


def test_a_service_that_runs_the_tests_does_not_crash_at_start(tmp_path: Path) -> None:
    """Blind evaluation 16a (go-clean-template): a service running the repository's tests was
    checked as the code below its context, and said to crash without the app's variables."""
    write_tree(tmp_path, _rust_stack("cargo test --release"))
    found = run_lint(tmp_path, select=("ENV201",), cache=False).findings
    assert found == ()


def test_the_same_service_running_the_program_still_crashes_at_start(tmp_path: Path) -> None:
    write_tree(tmp_path, _rust_stack("cargo run"))
    found = run_lint(tmp_path, select=("ENV201",), cache=False).findings
    assert [(f.code, f.service, f.variable) for f in found] == [
        ("ENV201", "tests", "KAFKA_BROKERS")
    ]
