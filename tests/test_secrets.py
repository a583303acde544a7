"""No value from an env file, compose ``environment:`` or Dockerfile ``ENV`` ever reaches output.

The project triggers every rule family (ENV1xx env files, ENV2xx Go/C# code, ENV3xx Kafka, ENV4xx
ordering) and plants distinctive secrets everywhere values live; ``check`` runs in every format
(stdout and ``-o`` files, GitHub step summary) and ``trace`` follows the secret-holding variables.
Values a rule must quote (numbers, durations) come only from non-secret keys.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from envlint.cli import cli
from tests.conftest import write_tree

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "incident"

SECRETS = (
    "S3cr3t-Pa55w0rd-XYZZY-1",
    "ghp_TOKENtoken1234567890",
    "postgres://admin:hunter2-ZQX@db:5432/app",
    "sk_live_51HqQWERTYuiop0987",
    "Zx9-NotANumber-PLUGH",
    "-----BEGIN-KEY-FROBOZZ-----",
    "AKIAIOSFODNN7EXAMPLE",
    "duplicate-secret-GRUE-2",
    "example-secret-XORNK-3",
    "broken-line-secret-YOHO-4",
    "a9Z$kLq7Blorb",
)
# Distinctive parts: a leak of a fragment (a truncated or quoted-in-part value) is a leak too.
FRAGMENTS = (
    "XYZZY", "Pa55w0rd", "ghp_TOKEN", "token1234567890", "hunter2", "admin:hunter2", "sk_live",
    "QWERTYuiop", "PLUGH", "NotANumber", "FROBOZZ", "AKIAIOSFODNN7", "GRUE", "XORNK", "YOHO",
    "kLq7Blorb",  # a `$` in a secret reads as a variable: its "name" is part of the value
)
SECRET_VARIABLES = (
    "DB_PASSWORD", "GITHUB_TOKEN", "DATABASE_URL", "STRIPE_KEY", "KAFKA_HEARTBEAT_INTERVAL_MS",
    "TLS_KEY", "AWS_ACCESS_KEY_ID", "POSTGRES_PASSWORD",
)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("secrets") / "shop"
    shutil.copytree(EXAMPLE, root)
    compose = (root / "docker-compose.yml").read_text()
    compose = compose.replace(
        "      - OTEL_SERVICE_NAME=accounting\n",
        "      - OTEL_SERVICE_NAME=accounting\n"
        "      - DATABASE_URL=postgres://admin:hunter2-ZQX@db:5432/app\n"
        "      - POSTGRES_PASSWORD=${DB_PASSWORD}\n"
        "      - GH=${GITHUB_TOKEN:?need a token}\n"
        "      - UNDEFINED=${NOT_DEFINED_ANYWHERE}\n"
        "      - REQUIRED=${REQUIRED_UNSET:?set it}\n"
        "      - AWS_ACCESS_KEY_ID\n",
    )
    compose = compose.replace(
        "    restart: unless-stopped\n    ports:",
        "    restart: unless-stopped\n    env_file:\n      - secrets.env\n      - missing.env\n"
        "    ports:",
    )
    (root / "docker-compose.yml").write_text(compose)
    write_tree(
        root,
        {
            ".env": "CHECKOUT_PORT=8080\n"
            "DB_PASSWORD=S3cr3t-Pa55w0rd-XYZZY-1\n"
            "GITHUB_TOKEN=ghp_TOKENtoken1234567890\n"
            "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n"
            "KAFKA_SESSION_TIMEOUT_MS=30000\n"
            "KAFKA_HEARTBEAT_INTERVAL_MS=Zx9-NotANumber-PLUGH\n"
            "UNUSED_SECRET=duplicate-secret-GRUE-2\n"
            "UNUSED_SECRET=duplicate-secret-GRUE-2\n"
            "TLS_KEY='-----BEGIN-KEY-FROBOZZ-----'\n"
            "SESSION_SECRET=a9Z$kLq7Blorb\n"
            "BROKEN LINE broken-line-secret-YOHO-4\n",
            ".env.example": "CHECKOUT_PORT=\nONLY_IN_EXAMPLE=example-secret-XORNK-3\n",
            "secrets.env": "STRIPE_KEY=sk_live_51HqQWERTYuiop0987\nCART_ADDR=cart:7070\n"
            "EMPTY_SECRET=\n",
        },
    )
    dockerfile = root / "src/checkout/Dockerfile"
    dockerfile.write_text(
        dockerfile.read_text().replace(
            "FROM gcr.io/distroless/static\n",
            "FROM gcr.io/distroless/static\nENV STRIPE_KEY=sk_live_51HqQWERTYuiop0987 "
            'DB_URL="postgres://admin:hunter2-ZQX@db:5432/app"\n',
        )
    )
    return root


def _assert_clean(text: str, where: str) -> None:
    for secret in (*SECRETS, *FRAGMENTS):
        assert secret not in text, f"{secret!r} leaked into {where}"


def test_the_project_triggers_every_rule_family(project: Path) -> None:
    result = CliRunner().invoke(cli, ["check", str(project), "--format", "json", "--isolated"])
    import json

    codes = {f["code"] for f in json.loads(result.stdout)["findings"]}
    assert {"ENV101", "ENV102", "ENV104", "ENV105", "ENV106", "ENV107", "ENV108"} <= codes
    assert {"ENV201", "ENV202", "ENV203"} <= codes
    assert {"ENV301", "ENV304"} <= codes and {"ENV401", "ENV402"} <= codes


@pytest.mark.parametrize("fmt", ["text", "concise", "json", "sarif", "github", "junit"])
def test_check_never_prints_a_value(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    report = tmp_path / f"report.{fmt}"
    for args in (
        ["--format", fmt, "--statistics"],
        ["--format", fmt, "-o", str(report)],
        ["--format", fmt, "--color", "--debug"],
    ):
        result = CliRunner().invoke(cli, ["check", str(project), "--isolated", *args])
        assert result.exit_code == 1, result.output
        _assert_clean(result.stdout + result.stderr, f"{fmt} {args}")
    _assert_clean(report.read_text(), str(report))
    if fmt == "github":
        _assert_clean(summary.read_text(), "GITHUB_STEP_SUMMARY")
        assert summary.read_text()


@pytest.mark.parametrize("variable", SECRET_VARIABLES)
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_trace_never_prints_a_value(project: Path, variable: str, fmt: str) -> None:
    result = CliRunner().invoke(cli, ["trace", variable, str(project), "--format", fmt])
    assert result.exit_code == 0, result.output
    assert variable in result.stdout
    _assert_clean(result.stdout + result.stderr, f"trace {variable} {fmt}")


def test_write_baseline_holds_no_value(project: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    result = CliRunner().invoke(
        cli, ["check", str(project), "--isolated", "--write-baseline", str(baseline)]
    )
    assert result.exit_code == 0
    _assert_clean(baseline.read_text(), "baseline")
