"""ENV101 on stacks whose documented commands (README.md / README.adoc) say how they are started
(tests/fixtures/docs_commands, one example directory per shape, the root .env sets APP_VERSION):
commands in any Markdown or AsciiDoc code form count, a stack only ever started with
``--env-file`` is not also checked as a bare ``docker compose up``, ``env X=<...>`` gives X,
``run SERVICE`` starts SERVICE and its dependencies only, and ``start`` / ``stop`` / ``exec``
create nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from envlint.report import Report
from tests.conftest import run_lint, triples

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "docs_commands"


@pytest.fixture(scope="module")
def report() -> Report:
    return run_lint(FIXTURE, select=("ENV101",), cache=False)


def _fired(report: Report, directory: str) -> set[tuple[str, str, int]]:
    return {t for t in triples(report) if t[1].startswith(directory + "/")}


@pytest.mark.parametrize(
    "directory",
    [
        "envfile-fence",  # `$ docker-compose --env-file ../.env up` in ```, ```bash, indented
        "envfile-list",  # `- docker-compose --env-file ../.env up -d app` list items
        "adoc-export",  # [source,bash] `$ export APP_VERSION=2.0`, then `$ docker-compose up`
        "run-tools",  # `run --rm tools`: tools needs pubsub only, db is started with --env-file
        "start-only",  # `start` / `restart` / `stop` of what an --env-file `up` created
    ],
)
def test_the_documented_commands_give_the_version(report: Report, directory: str) -> None:
    assert _fired(report, directory) == set()


@pytest.mark.parametrize(
    ("directory", "path", "line"),
    [
        ("undocumented", "compose.yaml", 3),  # nothing documents it: a bare `up` is assumed
        ("plain-too", "compose.yaml", 3),  # `docker compose up app` in inline code, no env file
        ("adoc-plain", "compose-demo.yaml", 3),  # a literal block without any version
        ("run-worker", "compose.yaml", 3),  # `run --rm worker` starts db (depends_on) bare
        ("env-prefix", "compose.yaml", 6),  # `env TOKEN=<...>` gives TOKEN, not SECRET
    ],
)
def test_a_documented_command_without_the_version_blanks_it(
    report: Report, directory: str, path: str, line: int
) -> None:
    assert _fired(report, directory) == {("ENV101", f"{directory}/{path}", line)}
