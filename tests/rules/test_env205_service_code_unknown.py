"""ENV205 beyond the page cases: a build context outside the checked directory."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_lint, write_tree


def test_a_context_outside_the_checked_directory_says_none_of_its_code_is_checked(
    tmp_path: Path,
) -> None:
    write_tree(
        tmp_path,
        {
            "apps/api/Dockerfile": "FROM node:22\nCOPY . /app\nCMD [\"./start.sh\"]\n",
            "apps/api/index.js": "const url = process.env.DATABASE_URL;\n",
            "deploy/compose.yaml": """
                services:
                  api:
                    build: ../apps/api
            """,
        },
    )
    [finding] = run_lint(tmp_path / "deploy", select=("ENV205",), cache=False).findings
    assert finding.service == "api"
    assert "envlint checks none of its code (check from a directory that holds it)" in (
        finding.message
    )
    assert "every file below" not in finding.message
    # checked from the repository root, the same service's code is read (the directory model)
    [finding] = run_lint(tmp_path, select=("ENV205",), cache=False).findings
    assert "envlint checks every file below apps/api as its code instead" in finding.message
