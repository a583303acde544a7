"""An absent ``--env-file`` (documented or on the command line) is documented by the example
beside it, as an absent ``.env`` is (blind 12c, lotus ``scripts/dev.sh``): Compose reads no
``.env`` when ``--env-file`` is given and refuses an absent one, so neither "no .env" nor "Compose
substitutes an empty string" holds."""

from __future__ import annotations

from pathlib import Path

from envlint.compose import load_workspace
from envlint.config import Settings
from envlint.model import Workspace
from tests.conftest import run_lint, write_tree

_COMPOSE = """\
services:
  app:
    image: app
    environment:
      DB_DSN: postgresql://${POSTGRES_USER}:${POSTGRES_PASSWORD}@db
"""


def _tree(tmp_path: Path, script: str, **more: str) -> None:
    write_tree(
        tmp_path,
        {
            "docker-compose.dev.yaml": _COMPOSE,
            "env/.env.dev.example": "POSTGRES_USER=lotus\nPOSTGRES_PASSWORD=lotus\n",
            ".gitignore": "env/.env.dev\n",
            "scripts/dev.sh": script,
            **more,
        },
    )


def _load(root: Path, **settings: object) -> Workspace:
    return load_workspace(root, Settings(cache=False, **settings))  # type: ignore[arg-type]


def _codes(root: Path, **settings: object) -> list[tuple[str, str, int, str]]:
    report = run_lint(root, cache=False, **settings)
    return [(f.code, f.location.path, f.location.line, f.severity.value) for f in report.findings]


def test_a_documented_absent_env_file_is_read_from_its_example(tmp_path: Path) -> None:
    _tree(tmp_path, "docker-compose -f docker-compose.dev.yaml --env-file env/.env.dev up\n")
    (project,) = _load(tmp_path).projects
    assert project.invocation_env_files == ("env/.env.dev",)
    assert project.documented_by == "env/.env.dev.example"
    assert [(f.path, f.exists, f.stand_in) for f in project.env_files] == [
        ("env/.env.dev", False, "env/.env.dev.example"),
        ("env/.env.dev.example", True, None),
    ]
    assert all(ref.is_set for ref in project.refs)
    assert project.environment["POSTGRES_USER"].example
    assert _codes(tmp_path) == [("ENV104", "scripts/dev.sh", 1, "info")]
    (finding,) = run_lint(tmp_path, cache=False).findings
    assert "scripts/dev.sh passes with --env-file" in finding.message
    assert "read env/.env.dev.example in its place for ${} interpolation" in finding.message


def test_flags_in_an_unquoted_shell_variable_are_split(tmp_path: Path) -> None:
    script = (
        'ARGS="-f docker-compose.dev.yaml --env-file env/.env.dev"\n'
        "docker-compose $ARGS up --build\n"
    )
    _tree(tmp_path, script)
    (project,) = _load(tmp_path).projects
    assert project.invocation_env_files == ("env/.env.dev",)
    assert _codes(tmp_path) == [("ENV104", "scripts/dev.sh", 2, "info")]


def test_the_file_the_script_copies_documents_it(tmp_path: Path) -> None:
    script = (
        "cp env/dev.sample env/.env.dev\n"
        "docker compose -f docker-compose.dev.yaml --env-file env/.env.dev up\n"
    )
    _tree(tmp_path, script, **{"env/dev.sample": "POSTGRES_USER=u\nPOSTGRES_PASSWORD=p\n"})
    (project,) = _load(tmp_path).projects
    assert project.documented_by == "env/dev.sample"


def test_an_absent_env_file_without_example_leaves_the_command_out(tmp_path: Path) -> None:
    """Its environment is not known: the stack is checked as the file alone, as before."""
    _tree(tmp_path, "docker compose -f docker-compose.dev.yaml --env-file env/.env.other up\n")
    (project,) = _load(tmp_path).projects
    assert project.invocation_env_files == ()
    assert project.documented_by is None


def test_command_line_env_file_is_read_from_its_example(tmp_path: Path) -> None:
    _tree(tmp_path, "")
    found = _codes(tmp_path, env_files=("env/.env.dev",))
    assert found == [("ENV104", "env/.env.dev", 1, "error")]  # Compose refuses it: no ENV101
    (project,) = _load(tmp_path, env_files=("env/.env.dev",)).projects
    assert all(ref.is_set for ref in project.refs)


def test_several_env_files_one_absent(tmp_path: Path) -> None:
    """Compose parses the --env-file list into one map, the later file winning; .env is not
    read."""
    _tree(
        tmp_path,
        "",
        **{"common.env": "POSTGRES_USER=common\n", ".env": "POSTGRES_PASSWORD=dotenv\n"},
    )
    (project,) = _load(tmp_path, env_files=("common.env", "env/.env.dev")).projects
    assert project.environment["POSTGRES_USER"].value == "lotus"  # the later (example) file
    assert project.environment["POSTGRES_USER"].example
    assert project.environment["POSTGRES_PASSWORD"].value == "lotus"
    assert ".env" not in [f.path for f in project.env_files]


def test_an_absent_env_file_without_example_is_no_empty_string(tmp_path: Path) -> None:
    """Compose refuses to start: ENV104 says so, ENV101 stays quiet (nothing is substituted)."""
    write_tree(tmp_path, {"compose.yaml": _COMPOSE, "one.env": "POSTGRES_USER=u\n"})
    found = _codes(tmp_path, env_files=("one.env", "two.env"))
    assert ("ENV104", "two.env", 1, "error") in found
    assert not [c for c in found if c[0] == "ENV101"]
    report = run_lint(tmp_path, cache=False, env_files=("one.env",))
    (env101,) = [f for f in report.findings if f.code == "ENV101"]
    assert "not set in one.env" in env101.message  # names the file given, not "no .env"
