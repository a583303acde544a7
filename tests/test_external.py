"""`external` / `--external` (#16 item 2, SPEC §7): variables provided at deploy time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from envlint.cli import cli
from envlint.config import ConfigError, Settings, load_settings
from tests.conftest import run_lint, write_tree

PROJECT = {
    "compose.yaml": """
        services:
          api:
            build: ./api
            restart: unless-stopped
            environment:
              URL: http://${DB_HOST}/x
              PASSWORD: ${DB_PASSWORD:?set it}
              TOKEN: ${RUNNER_TOKEN}
              UNRELATED: ${OTHER}
            env_file: api.env
            secrets: [key]
          worker:
            build: ./api
            environment:
              - AWS_REGION
              - AWS_SECRET
        secrets:
          key:
            environment: AWS_KEY_CONTENT
    """,
    "api.env": "EMPTY=\n",
    "api/Dockerfile": 'FROM python:3.12\nCOPY main.py .\nCMD ["python", "main.py"]\n',
    "api/main.py": """
        import os

        SECRET = os.environ["AWS_SECRET"]
        EMPTY = os.environ["EMPTY"] or exit(1)
        CI = os.environ["CI_JOB_TOKEN"]
    """,
}


def _codes(root: Path, **settings: object) -> set[tuple[str, str | None]]:
    return {(f.code, f.variable) for f in run_lint(root, cache=False, **settings).findings}


def test_external_names_and_globs_silence_the_missing_variable_rules(tmp_path: Path) -> None:
    write_tree(tmp_path, PROJECT)
    before = _codes(tmp_path)
    assert {
        ("ENV101", "DB_HOST"),
        ("ENV102", "DB_PASSWORD"),
        ("ENV101", "RUNNER_TOKEN"),
        ("ENV103", "AWS_REGION"),
        ("ENV201", "AWS_SECRET"),
        ("ENV201", "CI_JOB_TOKEN"),
    } <= before
    after = _codes(
        tmp_path,
        external=("DB_*", "RUNNER_TOKEN", "AWS_*"),
        external_cli=("CI_JOB_TOKEN",),
    )
    silenced = {c for c in before if c[1] and c[1].startswith(("DB_", "RUNNER", "AWS_", "CI_"))}
    assert silenced and not silenced & after
    assert ("ENV101", "OTHER") in after  # not declared: still reported
    assert not any(code == "ENV904" for code, _ in after)


def test_unused_external_is_reported_where_declared(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            **PROJECT,
            "envlint.toml": '# deploy-time variables\nexternal = [\n  "DB_*",\n  "GONE_*",\n]\n',
        },
    )
    settings = load_settings(tmp_path / "envlint.toml").with_cli(
        cache=False, external_cli=("NOT_USED_EITHER",)
    )
    from envlint.engine import lint

    found = [f for f in lint([tmp_path], settings).findings if f.code == "ENV904"]
    where = {(f.variable, f.location.path, f.location.line) for f in found}
    assert where == {("GONE_*", "envlint.toml", 2), ("NOT_USED_EITHER", ".", 1)}
    assert all("remove it from the list" in f.message for f in found)


@pytest.mark.parametrize(
    ("toml", "error"),
    [
        ('external = ["DB HOST"]\n', "not a variable name or a glob"),
        ("external = [1]\n", "must be a list of strings"),
        ('external = "${X}"\n', "not a variable name or a glob"),
    ],
)
def test_config_validation(tmp_path: Path, toml: str, error: str) -> None:
    (tmp_path / "envlint.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError, match=error):
        load_settings(tmp_path / "envlint.toml")


def test_config_values_and_line(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.envlint]\nselect = ["ALL"]\n'
        '"external" = ["A", " B_* ", "A"]\n',
        encoding="utf-8",
    )
    settings = load_settings(tmp_path / "pyproject.toml")
    assert settings.external == ("A", "B_*")
    assert settings.external_line == 6
    assert settings.external_declared("B_1") == ("B_*", str(tmp_path / "pyproject.toml"))
    assert Settings().external_declared("A") is None


def test_cli_comma_lists_and_trace(tmp_path: Path) -> None:
    write_tree(tmp_path, PROJECT)
    result = CliRunner().invoke(
        cli,
        ["check", str(tmp_path), "--no-cache", "--format", "json", "--select", "ENV101",
         "--external", "DB_HOST,RUNNER_TOKEN", "--external", "OTHER"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["findings"] == []
    bad = CliRunner().invoke(cli, ["check", str(tmp_path), "--external", "A B"])
    assert bad.exit_code == 2 and "not a variable name or a glob" in bad.output
    write_tree(tmp_path, {"envlint.toml": 'external = ["DB_*"]\n'})
    text = CliRunner().invoke(cli, ["trace", "DB_HOST", str(tmp_path)])
    assert text.exit_code == 0, text.output
    assert "external: provided at deploy time (declared in envlint.toml (DB_*))" in text.output
    doc = CliRunner().invoke(
        cli, ["trace", "RUNNER_TOKEN", str(tmp_path), "--format", "json", "--external", "RUNNER_*"]
    )
    assert json.loads(doc.output)["external"] == "--external (RUNNER_*)"
    plain = CliRunner().invoke(cli, ["trace", "OTHER", str(tmp_path), "--format", "json"])
    assert json.loads(plain.output)["external"] is None
