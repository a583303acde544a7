"""ENV101: one finding per (project directory, variable) with every place as related evidence;
references in a script the container's shell runs get the `$$X` advice."""

from __future__ import annotations

from pathlib import Path

from envlint.report import Report
from tests.conftest import run_lint, triples, write_tree


def _lint(root: Path) -> Report:
    return run_lint(root, select=("ENV101",), cache=False)


def test_one_finding_per_variable_with_every_place_related(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "compose.yaml": """
                x-image: &image
                  image: "registry/app:${TAG}"
                services:
                  api:
                    <<: *image
                    environment:
                      VERSION: ${TAG}
                  worker:
                    <<: *image
                    labels: ["tag=${TAG}"]
                  other:
                    image: x
                    environment:
                      B: ${OTHER}
            """,
            ".env": "DERIVED=v-${TAG}\n",
        },
    )
    report = _lint(tmp_path)
    assert triples(report) == {("ENV101", "compose.yaml", 2), ("ENV101", "compose.yaml", 14)}
    tag = next(f for f in report.findings if f.variable == "TAG")
    assert tag.message.startswith("${TAG} in services api, worker is not set in .env")
    assert "Compose substitutes an empty string at all 4 places" in tag.message
    assert tag.service is None
    assert [(r.location.path, r.location.line, r.message) for r in tag.related] == [
        ("compose.yaml", 7, "also used here"),
        ("compose.yaml", 10, "also used here"),
        (".env", 1, "also used here"),
    ]
    other = next(f for f in report.findings if f.variable == "OTHER")
    assert other.service == "other"
    assert other.related == ()
    assert "places" not in other.message


def test_stacks_of_one_directory_share_the_finding(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "compose.yaml": "services:\n  api:\n    image: app:${TAG}\n",
            "compose.prod.yaml": "services:\n  api:\n    labels: [\"t=${TAG}\"]\n",
        },
    )
    report = _lint(tmp_path)
    assert triples(report) == {("ENV101", "compose.yaml", 3)}
    (finding,) = report.findings
    assert [(r.location.path, r.location.line) for r in finding.related] == [
        ("compose.prod.yaml", 3)
    ]
    assert "no .env in ." in finding.message


def test_fingerprint_stays_when_more_places_use_the_variable(tmp_path: Path) -> None:
    compose = "services:\n  api:\n    image: app:${TAG}\n"
    write_tree(tmp_path / "a", {"compose.yaml": compose})
    write_tree(
        tmp_path / "b",
        {"compose.yaml": compose + "    environment:\n      V: ${TAG}\n      W: $TAG\n"},
    )
    (one,) = _lint(tmp_path / "a").findings
    (three,) = _lint(tmp_path / "b").findings
    assert one.fingerprint == three.fingerprint
    assert len(three.related) == 2


def test_shell_scripts_get_the_double_dollar_advice(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "compose.yaml": """
                services:
                  db:
                    image: postgres
                    env_file: db.env
                    healthcheck:
                      test: ["CMD-SHELL", "pg_isready -U $POSTGRES_USER"]
                  web:
                    image: web
                    command: ["sh", "-c", "exec gunicorn --bind 0.0.0.0:$PORT app"]
                    post_start:
                      - command: bash -o pipefail -c 'echo $HOOK_VAR > /tmp/x'
                  exec:
                    image: node
                    command: ["node", "server.js", "--port", "$EXEC_PORT"]
                    healthcheck:
                      test: ["CMD", "curl", "-f", "http://localhost/$CHECK_PATH"]
            """,
            "db.env": "POSTGRES_USER=app\n",
        },
    )
    report = _lint(tmp_path)
    by_name = {f.variable: f for f in report.findings}
    assert set(by_name) == {"POSTGRES_USER", "PORT", "HOOK_VAR", "EXEC_PORT", "CHECK_PATH"}
    user = by_name["POSTGRES_USER"].message
    assert user.startswith("${POSTGRES_USER} in the healthcheck of service db is not set")
    assert "Compose substitutes an empty string before the container's shell runs" in user
    assert "Write $POSTGRES_USER as $$POSTGRES_USER (or $${POSTGRES_USER})" in user
    assert "the container gets POSTGRES_USER from its environment" in user
    assert "define" not in user.lower()
    # the container lacks PORT too: `$$PORT` would be empty as well, so that is not the advice
    port = by_name["PORT"].message
    assert "in the command of service web" in port
    assert "and the container does not get PORT either: define PORT in the project env" in port
    assert "in the post_start hook of service web" in by_name["HOOK_VAR"].message
    # exec form: no shell expands `$$X` either; the reference is meant for Compose
    for name in ("EXEC_PORT", "CHECK_PATH"):
        assert f"Define {name} in the project env file" in by_name[name].message
        assert "$$" not in by_name[name].message


def test_shell_and_compose_places_of_one_variable_are_two_findings(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "compose.yaml": """
                x-check: &check
                  test: "wget -q http://localhost:$PORT/health"
                services:
                  a:
                    image: "a:${PORT}"
                    healthcheck: *check
                  b:
                    image: b
                    entrypoint: ["/bin/sh", "-c"]
                    command: "exec serve --port $PORT"
                    healthcheck: *check
            """,
        },
    )
    report = _lint(tmp_path)
    assert triples(report) == {("ENV101", "compose.yaml", 2), ("ENV101", "compose.yaml", 5)}
    shell = next(f for f in report.findings if f.location.line == 2)
    assert shell.message.startswith(
        "${PORT} in the healthcheck and command of services a, b is not set"
    )
    assert [r.location.line for r in shell.related] == [10]
    compose = next(f for f in report.findings if f.location.line == 5)
    assert compose.service == "a"
    assert "Define PORT" in compose.message
    assert shell.fingerprint != compose.fingerprint


def test_bare_key_in_project_env_is_one_info_naming_the_line(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "docker/compose.yaml": """
                services:
                  api:
                    image: "api:${API_TOKEN}"
                    environment:
                      - API_TOKEN
                      - URL=https://x/?t=${API_TOKEN}
                      - KEY=${SECRET_KEY:?set SECRET_KEY}
                    build:
                      context: .
                      args: [REGISTRY]
                  web:
                    image: web
                    environment: [PLAIN]
            """,
            "docker/Dockerfile": "FROM x\n",
            "docker/.env": "API_TOKEN\nSECRET_KEY\nREGISTRY\nUNUSED_BARE\nPLAIN\nPLAIN=1\n",
        },
    )
    report = run_lint(tmp_path, select=("ENV1",), cache=False)
    assert triples(report) == {
        ("ENV101", "docker/.env", 1),
        ("ENV101", "docker/.env", 2),
        ("ENV101", "docker/.env", 3),
        ("ENV107", "docker/.env", 4),
    }
    assert {f.severity.value for f in report.findings} == {"info"}
    token = next(f for f in report.findings if f.variable == "API_TOKEN")
    assert token.message.startswith(
        "API_TOKEN has no value in docker/.env: the bare `API_TOKEN` line takes it from the "
        "environment docker compose runs in"
    )
    assert "is not set" not in token.message
    assert "It is used at 3 places" in token.message
    assert "Compose substitutes an empty string and the container does not get it" in (
        token.message
    )
    assert [(r.location.path, r.location.line) for r in token.related] == [
        ("docker/compose.yaml", 3),
        ("docker/compose.yaml", 6),
        ("docker/compose.yaml", 5),
    ]
    secret = next(f for f in report.findings if f.variable == "SECRET_KEY")
    assert "used once; where that environment lacks SECRET_KEY, docker compose refuses" in (
        secret.message
    )
    registry = next(f for f in report.findings if f.variable == "REGISTRY")
    assert registry.message.endswith("the build leaves the arg out")
    unused = next(f for f in report.findings if f.code == "ENV107")
    assert unused.message.startswith("UNUSED_BARE is named on a bare line in docker/.env")
    # the snippet shows the bare line: a key, no value to mask
    assert report.snippets[("docker/.env", 1)] == "API_TOKEN"
