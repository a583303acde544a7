"""The pre-commit hook: its definition, and a real ``pre-commit try-repo`` run on a project.

The run installs envlint from this checkout into pre-commit's own virtualenv (PyPI must be
reachable for the build backend and the dependencies), so it is slow: marked ``precommit``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import textwrap
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

CHECKOUT = Path(__file__).resolve().parent.parent
HOOKS = CHECKOUT / ".pre-commit-hooks.yaml"


def _hook() -> dict[str, Any]:
    hooks = YAML(typ="safe").load(HOOKS.read_text(encoding="utf-8"))
    assert isinstance(hooks, list)
    (hook,) = hooks
    assert isinstance(hook, dict)
    return hook


def test_hook_definition() -> None:
    hook = _hook()
    assert hook["id"] == "envlint"
    assert hook["entry"] == "envlint check"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False  # always the whole project: .env changes re-check code
    assert hook["require_serial"] is True
    assert hook["always_run"] is False


@pytest.mark.parametrize(
    ("path", "runs"),
    [
        (".env", True),
        ("deploy/.env.production", True),
        (".env.example", True),
        ("config/api.env", True),
        ("compose.yaml", True),
        ("deploy/docker-compose.prod.yml", True),
        ("Dockerfile", True),
        ("src/checkout/Dockerfile.dev", True),
        ("src/checkout/main.go", True),
        ("src/accounting/Consumer.cs", True),
        ("src/web/app.ts", True),
        ("kafka/server.properties", True),
        ("envlint.toml", True),
        ("pyproject.toml", True),
        (".gitignore", True),
        ("README.md", False),
        ("docs/logo.png", False),
        ("src/environment.txt", False),
    ],
)
def test_hook_files_pattern(path: str, runs: bool) -> None:
    assert bool(re.search(_hook()["files"], path)) is runs


def _git(repo: Path, *args: str, env: dict[str, str]) -> None:
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def _try_repo(repo: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["pre-commit", "try-repo", str(CHECKOUT), "envlint", "--all-files", "--color=never"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )


@pytest.mark.precommit
@pytest.mark.skipif(shutil.which("pre-commit") is None, reason="pre-commit is not installed")
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_try_repo_fails_on_undefined_variable_and_passes_once_fixed(tmp_path: Path) -> None:
    repo = tmp_path / "project"
    repo.mkdir()
    env = dict(os.environ)
    env.update(
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.com",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.com",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
    )
    env.pop("NO_COLOR", None)
    compose = """
        services:
          api:
            image: example/api
            environment:
              DATABASE_URL: ${UNDEFINED}
        """
    (repo / "compose.yaml").write_text(textwrap.dedent(compose).lstrip(), encoding="utf-8")
    _git(repo, "init", "-q", env=env)
    _git(repo, "add", "compose.yaml", env=env)

    failing = _try_repo(repo, env)
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "ENV101" in failing.stdout
    assert "Failed" in failing.stdout

    (repo / ".env").write_text("UNDEFINED=postgres://db/app\n", encoding="utf-8")
    _git(repo, "add", ".env", env=env)
    passing = _try_repo(repo, env)
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "Passed" in passing.stdout
