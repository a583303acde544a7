"""#12 item 18: when .env is absent but an example exists, ENV104/ENV101 say so and point at it."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_lint, write_tree


def test_missing_env_file_option_points_at_the_example(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {".env.example": "A=\n", "compose.yaml": "services:\n  api:\n    image: x\n"},
    )
    report = run_lint(tmp_path, cache=False, env_files=(".env",))
    (finding,) = [f for f in report.findings if f.code == "ENV104"]
    assert finding.severity.value == "error"
    assert "envlint read .env.example in its place for ${} interpolation" in finding.message


def test_missing_env_file_without_example_says_nothing_more(tmp_path: Path) -> None:
    write_tree(tmp_path, {"compose.yaml": "services:\n  api:\n    image: x\n    env_file: a.env\n"})
    (finding,) = [f for f in run_lint(tmp_path, cache=False).findings if f.code == "ENV104"]
    assert finding.message == "env file a.env of service 'api' not found"
    assert finding.severity.value == "error"


def test_env101_points_at_an_example_above_the_project(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            ".env.example": "TOKEN=\n",
            "deploy/prod/compose.yaml": "services:\n  api:\n    image: x\n"
            "    environment:\n      T: ${TOKEN}\n",
        },
    )
    (finding,) = [f for f in run_lint(tmp_path, cache=False).findings if f.code == "ENV101"]
    assert "no .env in deploy/prod" in finding.message
    assert ".env.example is not Compose's env file for this project" in finding.message
    assert "give it with --env-file" in finding.message


def test_env101_points_at_an_env_file_in_the_project_directory(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            ".env.example": "TOKEN=\n",
            "deploy/variables.env": "TOKEN=x\n",
            "deploy/app.env": "OTHER=1\n",
            "deploy/compose.yaml": "services:\n  api:\n    image: x\n    env_file: app.env\n"
            "    environment:\n      T: ${TOKEN}\n",
        },
    )
    (finding,) = [f for f in run_lint(tmp_path, cache=False).findings if f.code == "ENV101"]
    assert "variables.env in that directory is not Compose's env file" in finding.message
    assert "app.env" not in finding.message  # a service's env_file: not the hint


def test_env101_without_example_is_unchanged(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {"compose.yaml": "services:\n  api:\n    image: x\n    environment:\n      T: ${T}\n"},
    )
    (finding,) = [f for f in run_lint(tmp_path, cache=False).findings if f.code == "ENV101"]
    assert "(no .env in .)" in finding.message


def test_env102_points_at_an_example_above_the_project(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            ".env.example": "DB_PASSWORD=\n",
            "docker/prod/compose.yml": "services:\n  db:\n    image: postgres\n"
            "    environment:\n      P: ${DB_PASSWORD:?err}\n",
        },
    )
    (finding,) = [f for f in run_lint(tmp_path, cache=False).findings if f.code == "ENV102"]
    assert "(no .env in docker/prod; .env.example is not Compose's env file" in finding.message
    write_tree(tmp_path, {"docker/prod/.env": "OTHER=1\n"})
    (finding,) = [f for f in run_lint(tmp_path, cache=False).findings if f.code == "ENV102"]
    assert "no .env" not in finding.message


def test_a_required_variable_in_an_anchor_is_one_finding(tmp_path: Path) -> None:
    # tracecat's CI override: every service merges `image: app:${TAG:?...}` from one anchor
    write_tree(
        tmp_path,
        {
            "compose.yaml": """
                x-app: &app
                  image: "app-ci:${CI_TAG:?set the CI tag}"
                services:
                  api: {<<: *app}
                  worker: {<<: *app}
                  solo: {image: "solo:${SOLO_TAG:?x}"}
            """
        },
    )
    found = [
        (f.variable, f.location.line, f.service)
        for f in run_lint(tmp_path, cache=False).findings
        if f.code == "ENV102"
    ]
    assert sorted(found, key=str) == [("CI_TAG", 2, None), ("SOLO_TAG", 6, "solo")]
