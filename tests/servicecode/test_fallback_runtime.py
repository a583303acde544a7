"""A service whose program envlint cannot find falls back to a directory of code: only the
files of the languages its command runs (``npx mocha`` runs JavaScript, not the Django settings
beside it), and none when the container runs an interpreter named alone (a prompt).  kitsune
(blind set 11b): 8 false ENV201 warnings charged Python reads to a Node test container."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_lint, write_tree

FILES = {
    "compose.yaml": """
        services:
          web:
            build: {context: ., target: prod}
            command: python app.py
            environment:
              SECRET_KEY: dev
          frontend-test:
            build: {context: ., target: frontend}
            command: npx mocha dist/tests.js
          prod:
            build: {context: ., target: prod}
            image: example/app:prod
    """,
    "Dockerfile": (
        "FROM node:22-bookworm AS frontend\nWORKDIR /app\nCOPY package.json ./\n"
        "RUN npm install\nCOPY . .\nRUN npx webpack\n\n"
        "FROM python:3.12-slim AS prod\nWORKDIR /app\nCOPY . .\n"
    ),
    "package.json": '{"name": "frontend", "devDependencies": {"mocha": "10"}}\n',
    "app.py": 'import os\n\nSECRET_KEY = os.environ["SECRET_KEY"]\n',
    "src/tests.js": "const assert = require('assert');\n",
}


def _findings(root: Path) -> dict[tuple[str, str | None], str]:
    report = run_lint(root, cache=False, select=("ENV201", "ENV205"))
    return {(f.code, f.service): f.message for f in report.findings}


def test_a_fallback_holds_only_the_languages_its_command_runs(tmp_path: Path) -> None:
    write_tree(tmp_path, FILES)
    found = _findings(tmp_path)
    assert ("ENV201", "frontend-test") not in found
    assert (
        "checks the JavaScript/TypeScript files below . as its code"
        in found[("ENV205", "frontend-test")]
    )


def test_code_of_the_command_s_language_is_still_its_code(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {**FILES, "src/tests.js": "if (!process.env.API_URL) { throw new Error('API_URL'); }\n"},
    )
    found = _findings(tmp_path)
    assert "without API_URL" in found[("ENV201", "frontend-test")]


def test_an_interpreter_named_alone_runs_no_file(tmp_path: Path) -> None:
    def prod(command: str) -> dict[str, str]:
        compose = FILES["compose.yaml"].replace(
            "image: example/app:prod", f"image: example/app:prod\n            command: {command}"
        )
        return {**FILES, "compose.yaml": compose}

    write_tree(tmp_path, prod("python3"))
    assert ("ENV201", "prod") not in _findings(tmp_path)
    write_tree(tmp_path, prod("sh -c 'python3 $$ENTRY'"))  # runs something: a Python file
    assert "without SECRET_KEY" in _findings(tmp_path)[("ENV201", "prod")]


def test_a_fallback_s_module_top_levels_are_not_start_up_code(tmp_path: Path) -> None:
    """kitsune (blind set 11b): with gunicorn's application not found, a stand-alone script's
    module-level read was "crashes at start" for the web service; which modules a program
    envlint does not know imports is not known: a warning that says so."""
    write_tree(
        tmp_path,
        {
            "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn\n",
            "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n",
            "tools/backfill.py": 'import os\n\nTOKEN = os.environ["BACKFILL_TOKEN"]\n',
        },
    )
    [finding] = [f for f in run_lint(tmp_path, cache=False).findings if f.code == "ENV201"]
    assert finding.severity.value == "warning"
    assert "could not tell whether this code runs at start" in finding.message


def test_every_runtime_s_languages_are_source_extensions() -> None:
    from envlint.servicecode.assemble import _RUNTIMES
    from envlint.servicecode.model import SOURCE_EXTENSIONS

    assert all(found <= SOURCE_EXTENSIONS for found in _RUNTIMES.values())
