"""ENV107: keys of a project env file that nothing uses; a .env that is also an env_file is used."""

from __future__ import annotations

from pathlib import Path

from envlint.compose import load_workspace
from envlint.config import Settings
from tests.conftest import run_lint, triples, write_tree


def test_env_file_that_is_also_the_project_env_is_used(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "compose.yaml": """
                services:
                  api:
                    image: api
                    env_file: ./.env
                  worker:
                    image: worker
                    profiles: [jobs]
                    env_file: [{path: jobs/.env, required: false}]
            """,
            ".env": "LOG_FORMAT=json\nRETRIES=3\n",
            "jobs/compose.yaml": "services:\n  cron:\n    image: cron\n",
            "jobs/.env": "JOB_QUEUE=q\n",
        },
    )
    assert triples(run_lint(tmp_path, select=("ENV107",), cache=False)) == set()


def test_unused_key_message_names_every_way_in(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "compose.yaml": """
                services:
                  api:
                    image: api
                    env_file: api.env
                    environment: [USED]
            """,
            ".env": "USED=1\nDEAD=2\n",
            "api.env": "LEVEL=info\n",
        },
    )
    report = run_lint(tmp_path, select=("ENV107",), cache=False)
    assert triples(report) == {("ENV107", ".env", 2)}
    message = report.findings[0].message
    assert "DEAD is set in .env but nothing uses it" in message
    assert "no service loads .env as its env_file" in message
    assert "envlint found no env file value or service code that reads it" in message
    assert "only through" not in message


def test_secret_and_config_environment_sources_are_uses(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "compose.yaml": """
                services:
                  api:
                    image: api
                    secrets: [token]
                    configs: [settings]
                secrets:
                  token:
                    environment: API_TOKEN
                configs:
                  settings:
                    environment: SETTINGS_JSON
                  missing:
                    environment: NOT_IN_ENV
            """,
            ".env": "API_TOKEN=t\nSETTINGS_JSON={}\nSTALE=1\n",
        },
    )
    report = run_lint(tmp_path, select=("ENV107",), cache=False)
    assert triples(report) == {("ENV107", ".env", 3)}
    (project,) = load_workspace(tmp_path, Settings()).projects
    assert [(e.name, e.resolved, e.location.line) for e in project.resource_env] == [
        ("API_TOKEN", True, 8),
        ("SETTINGS_JSON", True, 11),
        ("NOT_IN_ENV", False, 13),
    ]
