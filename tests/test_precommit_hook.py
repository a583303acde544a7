"""The pre-commit hook: its definition, its ``files`` pattern against the language table, and
real ``pre-commit run``s on a project.

The runs install envlint from a copy of this checkout into pre-commit's own virtualenv (PyPI
must be reachable for the build backend and the dependencies), so they are slow: ``precommit``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from envlint.discovery import COMPOSE_DEFAULT_NAMES, COMPOSE_OVERRIDE_NAMES, ENV_EXAMPLE_NAMES
from envlint.filepass.languages import LANGUAGES, language_of

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
        ("src/billing/lib.rs", True),
        ("app/models/order.rb", True),
        ("public/index.php", True),
        ("src/main/kotlin/App.kt", True),
        ("build.gradle.kts", True),
        ("docker/api.Dockerfile", True),
        ("docs/dockerfiles.md", False),
        ("Dockerfile-prod", True),
        ("src/main.golang", False),
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


def source_alternative() -> str:
    """The hook's service-code line, generated from the language table (extensions in table
    order, matched in any case as ``language_of`` does)."""
    extensions: list[str] = []
    for spec in LANGUAGES:
        extensions += [e.lstrip(".") for e in spec.extensions if e.lstrip(".") not in extensions]
    return rf"(?i:\.({'|'.join(extensions)})$)"


def test_hook_source_pattern_is_the_language_table() -> None:
    """Adding a language to envlint/filepass/languages.py fails here until the hook's line is
    regenerated (``python tests/test_precommit_hook.py --write``)."""
    assert source_alternative() in _hook()["files"]


@pytest.mark.parametrize(
    "extension", sorted({e for spec in LANGUAGES for e in spec.extensions}), ids=str
)
def test_hook_runs_for_every_source_language(extension: str) -> None:
    pattern = _hook()["files"]
    for path in (f"src/app/main{extension}", f"svc/Main{extension.upper()}"):
        assert language_of(path) is not None
        assert re.search(pattern, path), path


@pytest.mark.parametrize(
    "path",
    [
        *COMPOSE_DEFAULT_NAMES,
        *COMPOSE_OVERRIDE_NAMES,
        "deploy/compose.full.yaml",
        *ENV_EXAMPLE_NAMES,
        "config/.env.local",
        "Dockerfile",
        "src/api/Dockerfile",
        "Dockerfile.prod",
        "docker/api.Dockerfile",
        "docker/worker.dockerfile",
        "Containerfile",
        "build/Containerfile.dev",
        "src/api/appsettings.Production.json",
        ".envlint-baseline.json",
        "envlint.toml",
        ".envlint.toml",
        "pyproject.toml",
    ],
)
def test_hook_runs_for_every_file_kind_envlint_reads(path: str) -> None:
    assert re.search(_hook()["files"], path), path


def _git(repo: Path, *args: str, env: dict[str, str]) -> None:
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def _hook_repo(root: Path, env: dict[str, str]) -> tuple[Path, str]:
    """This checkout as pre-commit installs it (what ``try-repo`` does, once): the files the
    hook's package build needs, working-tree versions, committed to a new repository."""
    repo = root / "envlint-hook-repo"
    for name in ("pyproject.toml", "README.md", "LICENSE", ".pre-commit-hooks.yaml"):
        if (CHECKOUT / name).exists():
            repo.mkdir(parents=True, exist_ok=True)
            shutil.copy2(CHECKOUT / name, repo / name)
    for folder in ("envlint", "rules"):
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
        shutil.copytree(CHECKOUT / folder, repo / folder, ignore=ignore)
    _git(repo, "init", "-q", env=env)
    _git(repo, "add", "-A", env=env)
    _git(repo, "commit", "-q", "-m", "hook", env=env)
    rev = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=repo, env=env, check=True, capture_output=True, text=True
    ).stdout.strip()
    return repo, rev


def _run_hook(repo: Path, env: dict[str, str], *files: str) -> subprocess.CompletedProcess[str]:
    which = ["--files", *files] if files else ["--all-files"]
    return subprocess.run(
        ["pre-commit", "run", "envlint", *which, "--color=never"],
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
def test_hook_fails_on_undefined_variable_and_passes_once_fixed(tmp_path: Path) -> None:
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
    hook_repo, rev = _hook_repo(tmp_path, env)
    config = f"repos:\n  - repo: {hook_repo}\n    rev: {rev}\n    hooks:\n      - id: envlint\n"
    (repo / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    _git(repo, "init", "-q", env=env)
    _git(repo, "add", "compose.yaml", ".pre-commit-config.yaml", env=env)

    failing = _run_hook(repo, env)
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "ENV101" in failing.stdout
    assert "Failed" in failing.stdout

    # a change to code in a language added late (Rust) or to an api.Dockerfile runs the hook on
    # the whole project; a README change does not run it
    for name in ("src/billing/lib.rs", "docker/api.Dockerfile", "README.md"):
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text("// x\n" if name.endswith(".rs") else "x\n", encoding="utf-8")
        _git(repo, "add", name, env=env)
    for name in ("src/billing/lib.rs", "docker/api.Dockerfile"):
        run = _run_hook(repo, env, name)
        assert run.returncode == 1 and "ENV101" in run.stdout, (name, run.stdout + run.stderr)
    skipped = _run_hook(repo, env, "README.md")
    assert skipped.returncode == 0 and "Skipped" in skipped.stdout, skipped.stdout

    (repo / ".env").write_text("UNDEFINED=postgres://db/app\n", encoding="utf-8")
    _git(repo, "add", ".env", env=env)
    passing = _run_hook(repo, env)
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "Passed" in passing.stdout


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    text = HOOKS.read_text(encoding="utf-8")
    line = re.compile(r"^(\s*\| )\(\?i:\\\.\([a-z|]+\)\$\)(.*# service code.*)$", re.MULTILINE)
    assert line.search(text), "the hook lost its service-code line"
    text = line.sub(lambda m: m.group(1) + source_alternative() + m.group(2), text)
    HOOKS.write_text(text, encoding="utf-8")
