"""Variables no repository defines: Docker sets HOME, HOSTNAME and PATH in every container, and
the shell that runs `docker compose` has its login variables (HOME, USER, USERPROFILE...)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_lint, write_tree

APP = """
import os

home = os.environ["HOME"]
host = os.environ["HOSTNAME"]
token = os.environ["API_TOKEN"]
"""


def test_code_reading_what_docker_sets_in_every_container_does_not_crash(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "compose.yaml": """
                services:
                  api:
                    build: .
                    command: python -m app
            """,
            "Dockerfile": "FROM python:3.12\nCOPY . /srv\nWORKDIR /srv\n",
            "app/__init__.py": "",
            "app/__main__.py": APP,
        },
    )
    report = run_lint(tmp_path, select=("ENV201",), cache=False)
    assert [f.variable for f in report.findings] == ["API_TOKEN"]


def test_login_session_variables_are_provided_by_the_shell_that_runs_compose(
    tmp_path: Path,
) -> None:
    write_tree(
        tmp_path,
        {
            "compose.yaml": """
                services:
                  tools:
                    image: alpine
                    user: "${UID}"
                    volumes:
                      - ${HOME}/.aws:/root/.aws:ro
                      - ${USERPROFILE}/.nuget:/nuget:ro
                    working_dir: ${PWD:?}
                    environment:
                      - USER
                      - SHELL
                      - SSH_AUTH_SOCK
                    build:
                      context: .
                      args: [LOGNAME]
                    labels:
                      owner: ${USER:?who runs it}
            """,
            ".env": "OTHER=1\n",
            "Dockerfile": "FROM alpine\n",
        },
    )
    report = run_lint(tmp_path, select=("ENV101", "ENV102", "ENV103"), cache=False)
    # UID is a bash variable that is not exported (Compose does not see it); SSH_AUTH_SOCK is
    # set only by an ssh agent: both stay findings
    assert sorted((f.code, f.variable) for f in report.findings) == [
        ("ENV101", "UID"),
        ("ENV103", "SSH_AUTH_SOCK"),
    ]


def test_an_example_file_need_not_list_login_variables(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "compose.yaml": """
                services:
                  tools:
                    image: alpine
                    volumes:
                      - ${HOME}/.cache:/cache
                      - ${CACHE_DIR}:/data
            """,
            ".gitignore": ".env\n",
            ".env.example": "OTHER=\n",
        },
    )
    report = run_lint(tmp_path, select=("ENV109",), cache=False)
    assert [f.variable for f in report.findings] == ["CACHE_DIR"]
