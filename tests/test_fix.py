"""``envlint fix`` / ``check --fix`` / ``--diff`` (#16 item 3): what is fixed, that edits keep the
rest of each file byte for byte, that a second run changes nothing, that writes are atomic and
stay inside the repository, and that no value from an env file reaches a file, a diff or the
output."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from envlint.cli import cli
from envlint.config import Settings
from envlint.fix import FileChange, masked_diff, run_fix
from tests.conftest import write_tree

ROOT = Path(__file__).resolve().parent.parent
INCIDENT = ROOT / "examples" / "incident"
CANARY = "canary-7f3a9c1e-do-not-print"


def _fix(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["fix", str(root), "--no-cache", *args])
    return result.exit_code, result.output


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def test_incident_fix_adds_the_documented_defaults_once(tmp_path: Path) -> None:
    root = Path(shutil.copytree(INCIDENT, tmp_path / "incident"))
    before = (root / ".env").read_bytes()
    code, out = _fix(root, "--format", "concise")
    assert code == 1  # ENV301, ENV304, ENV401… remain
    assert "(3 fixed)" in out
    assert "ENV201" not in out and "ENV103" not in out
    after = (root / ".env").read_bytes()
    assert after.startswith(before)  # nothing above is touched
    added = after[len(before) :].decode()
    assert "KAFKA_SESSION_TIMEOUT_MS=45000\n" in added
    assert "KAFKA_HEARTBEAT_INTERVAL_MS=3000\n" in added
    assert "KAFKA_MAX_POLL_INTERVAL_MS=300000\n" in added
    assert "# KAFKA_SESSION_TIMEOUT_MS: service accounting crashes at start" in added
    assert "session.timeout.ms default of confluent-dotnet" in added
    snapshot = _snapshot(root)
    code, out = _fix(root, "--format", "concise")  # idempotent
    assert "fixed" not in out
    assert _snapshot(root) == snapshot
    diff = CliRunner().invoke(cli, ["check", str(root), "--no-cache", "--diff"])
    assert diff.exit_code == 0 and diff.stdout == ""


EXAMPLE_PROJECT: dict[str, str | bytes] = {
    ".gitignore": ".env\n",
    # CRLF, a BOM, quoting and no final line break: all kept
    ".env.example": (
        "\ufeff# Copy to .env\r\nDB_URL='postgres://u:p@db/x' # quoted\r\nexport MODE=dev"
    ).encode(),
    "compose.yaml": """
        services:
          api:
            build: ./api
            env_file: .env
            environment:
              TOKEN: ${API_TOKEN:?set API_TOKEN}
    """,
    "api/Dockerfile": 'FROM python:3.12\nCOPY main.py .\nCMD ["python", "main.py"]\n',
    "api/main.py": 'import os\nSECRET = os.environ["JWT_SECRET"]\n',
}


def test_example_gets_missing_keys_with_its_own_line_endings(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "repo", EXAMPLE_PROJECT)
    original = (root / ".env.example").read_bytes()
    outcome = run_fix([root], Settings(cache=False))
    assert outcome.fixed == 2
    data = (root / ".env.example").read_bytes()
    assert data.startswith(original + b"\r\n")  # a line break first: the file had none
    added = data[len(original) + 2 :].decode()
    assert added.count("\r\n") == 4 and "\n" not in added.replace("\r\n", "")
    lines = added.split("\r\n")[:-1]
    assert lines[0].startswith("# API_TOKEN: needed by service api (compose.yaml:")
    assert lines[1] == "API_TOKEN="
    assert lines[2].startswith("# JWT_SECRET: needed by service api (api/main.py:2)")
    assert lines[3] == "JWT_SECRET="
    assert not [f for f in outcome.report.findings if f.code == "ENV109"]
    assert outcome.report.summary.fixed == 2
    again = run_fix([root], Settings(cache=False))
    assert again.fixed == 0 and (root / ".env.example").read_bytes() == data


def test_duplicates_are_dropped_earliest_first_keeping_everything_else(tmp_path: Path) -> None:
    env = (
        "# keep me\n"
        "A=1 # first\n"
        'B="multi\nline"\n'
        "A=2\n"
        "export B=3\n"
        "C=x\n"
        "A=4\n"
    )
    root = write_tree(
        tmp_path / "repo",
        {
            ".env": env,
            "compose.yaml": "services:\n  api:\n    image: x\n    environment: [A, B, C]\n",
        },
    )
    outcome = run_fix([root], Settings(cache=False))
    assert (root / ".env").read_text() == "# keep me\nexport B=3\nC=x\nA=4\n"
    assert outcome.fixed == 3  # A twice (two rounds), B once
    assert not [f for f in outcome.report.findings if f.code == "ENV106"]


def test_a_statement_sharing_its_line_is_not_dropped(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "repo",
        {
            ".env": 'A="1"B=2\nA=3\n',
            "compose.yaml": "services:\n  api:\n    image: x\n    environment: [A, B]\n",
        },
    )
    run_fix([root], Settings(cache=False))
    assert (root / ".env").read_text() == 'A="1"B=2\nA=3\n'


def test_example_keys_synced_from_env_never_values(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "repo",
        {
            ".env.example": "A=\n",
            ".env": f"A=1\nSECRET={CANARY}\n",
            "compose.yaml": "services:\n  api:\n    image: x\n    environment: [A, SECRET]\n",
        },
    )
    run_fix([root], Settings(cache=False))
    example = (root / ".env.example").read_text()
    assert example.startswith("A=\n# SECRET: set in .env")
    assert example.endswith("\nSECRET=\n")
    assert CANARY not in example


COMPOSE_SHELL = """
services:
  db:
    image: postgres:16
    environment:
      POSTGRES_USER: shop  # a comment kept
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U $POSTGRES_USER -d ${POSTGRES_USER}"]
      interval: 10s
  web:
    image: web
    command: ["--user", "${WEB_USER}"]
"""


def test_shell_variable_escaped_in_place(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "repo", {"compose.yaml": COMPOSE_SHELL, ".env": "X=1\n"})
    outcome = run_fix([root], Settings(cache=False))
    text = (root / "compose.yaml").read_text()
    assert text == COMPOSE_SHELL.lstrip("\n").replace(
        "-U $POSTGRES_USER -d ${POSTGRES_USER}", "-U $$POSTGRES_USER -d $${POSTGRES_USER}"
    )
    assert outcome.fixed == 1
    # exec form without a shell: `$$WEB_USER` would reach the program literally; not fixed
    assert [f.variable for f in outcome.report.findings if f.code == "ENV101"] == ["WEB_USER"]


def test_no_default_no_value_in_a_committed_env(tmp_path: Path) -> None:
    """A committed .env gets a key only with a documented default: an empty value would turn
    a crash on a missing variable into one on an empty value."""
    root = write_tree(
        tmp_path / "repo",
        {
            ".env": "A=1\n",
            "compose.yaml": "services:\n  api:\n    build: ./api\n    environment: [A, TOKEN]\n",
            "api/Dockerfile": 'FROM python:3.12\nCOPY main.py .\nCMD ["python", "main.py"]\n',
            "api/main.py": 'import os\nT = os.environ["TOKEN"]\n',
        },
    )
    outcome = run_fix([root], Settings(cache=False))
    assert outcome.fixed == 0 and (root / ".env").read_text() == "A=1\n"
    assert sorted(f.code for f in outcome.report.findings if f.variable == "TOKEN") == [
        "ENV103",
        "ENV201",
    ]


def test_ignored_env_and_files_outside_the_root_are_never_written(tmp_path: Path) -> None:
    outside = write_tree(tmp_path / "outside", {"shared.env.example": "A=\nA=2\n"})
    root = write_tree(
        tmp_path / "repo",
        {
            ".gitignore": ".env\n",
            ".env": "B=1\nB=2\n",  # a developer's own, git-ignored
            "compose.yaml": "services:\n  api:\n    image: x\n    env_file: [shared.env]\n"
            "    environment: [B]\n",
        },
    )
    (root / "shared.env.example").symlink_to(outside / "shared.env.example")
    before_outside = (outside / "shared.env.example").read_bytes()
    outcome = run_fix([root], Settings(cache=False))
    assert outcome.fixed == 0
    assert (root / ".env").read_text() == "B=1\nB=2\n"
    assert (outside / "shared.env.example").read_bytes() == before_outside


def test_writes_are_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_tree(tmp_path / "repo", EXAMPLE_PROJECT)
    before = _snapshot(root)

    def fail(self: Path, target: object) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "replace", fail)
    code, out = _fix(root)
    assert code == 2
    assert "cannot write a fixed file: No space left on device" in out
    assert "Traceback" not in out
    assert _snapshot(root) == before  # nothing half-written, no temp file left


def test_diff_writes_nothing_masks_values_and_fails(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "repo",
        {
            ".env.example": "A=\n",
            ".env": f"A=1\nPASSWORD={CANARY}\nPASSWORD={CANARY}2\nTAIL=also-{CANARY}\n",
            "compose.yaml": COMPOSE_SHELL.replace(
                "POSTGRES_USER: shop", f"POSTGRES_USER: {CANARY}"
            ).replace("    image: postgres:16\n", "    image: postgres:16\n    env_file: .env\n"),
        },
    )
    before = _snapshot(root)
    result = CliRunner().invoke(cli, ["check", str(root), "--no-cache", "--diff"])
    assert result.exit_code == 1
    assert _snapshot(root) == before
    assert CANARY not in result.output
    assert "-PASSWORD=…" in result.stdout  # the dropped duplicate, masked
    assert "+# PASSWORD: set in .env (its value is not copied here)" in result.stdout
    assert "$$POSTGRES_USER" in result.stdout
    assert "would fix" in result.output


@pytest.mark.parametrize("fmt", ["text", "concise", "json", "sarif", "github", "junit", "gitlab"])
def test_canary_never_reaches_a_file_or_the_output(tmp_path: Path, fmt: str) -> None:
    root = write_tree(
        tmp_path / "repo",
        {
            ".env.example": "A=\n",
            ".env": f"A=1\nTOKEN={CANARY}\nTOKEN={CANARY}\nKAFKA_X={CANARY}\n",
            "compose.yaml": "services:\n  api:\n    image: x\n    env_file: .env\n"
            "    environment: [TOKEN, KAFKA_X, MISSING]\n",
        },
    )
    _, out = _fix(root, "--format", fmt)
    assert CANARY not in out
    for rel, data in _snapshot(root).items():
        if rel != ".env":
            assert CANARY.encode() not in data, rel
    assert (root / ".env").read_text().count(CANARY) == 2  # one TOKEN dropped, nothing copied


def test_masked_diff_shows_only_what_envlint_wrote() -> None:
    change = FileChange(
        "x.env",
        "A=secret\n# old: B=secret\nC=${D:-secret}\n",
        "A=secret\n# old: B=secret\nC=${D:-secret}\n# E: needed\nE=\n",
        frozenset({"# E: needed", "E="}),
    )
    diff = masked_diff(change)
    assert "secret" not in diff
    assert " A=…\n" in diff and " # …\n" in diff and " C=${D:-…}\n" in diff
    assert "+# E: needed\n+E=\n" in diff


def test_fix_help_and_unknown_option(tmp_path: Path) -> None:
    help_text = CliRunner().invoke(cli, ["fix", "--help"])
    assert help_text.exit_code == 0 and "Usage: envlint fix" in help_text.output
    assert "--diff" in help_text.output
    bad = CliRunner().invoke(cli, ["fix", str(tmp_path), "--no-such-option"])
    assert bad.exit_code == 2
    assert os.listdir(tmp_path) == []
