"""action.yml: structure, and its run steps executed locally with the inputs substituted."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

CHECKOUT = Path(__file__).resolve().parent.parent
ACTION = CHECKOUT / "action.yml"
_EXPR = re.compile(r"\$\{\{\s*([^}]+?)\s*\}\}")


def _action() -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe").load(ACTION.read_text(encoding="utf-8"))
    return data


def test_action_structure() -> None:
    action = _action()
    assert action["name"] == "envlint"
    assert action["description"]
    assert set(action["inputs"]) == {
        "path", "args", "format", "fail-on", "sarif-file", "python-version",
    }  # fmt: skip
    defaults = {k: v.get("default") for k, v in action["inputs"].items()}
    assert defaults == {
        "path": ".", "args": "", "format": "github", "fail-on": "warning",
        "sarif-file": "", "python-version": "3.12",
    }  # fmt: skip
    runs = action["runs"]
    assert runs["using"] == "composite"
    setup, install, check = runs["steps"]
    assert setup["uses"].startswith("actions/setup-python@")
    assert setup["with"]["python-version"] == "${{ inputs.python-version }}"
    assert "pip install" in install["run"] and '"${{ github.action_path }}"' in install["run"]
    assert check["id"] == "envlint"
    for step in (install, check):
        assert step["shell"] == "bash"
    # no input is pasted into the script text: they arrive through env
    assert _EXPR.search(check["run"]) is None
    assert set(_EXPR.findall(" ".join(check["env"].values()))) == {
        f"inputs.{name}" for name in ("path", "args", "format", "fail-on", "sarif-file")
    }
    assert action["outputs"]["exit-code"]["value"] == "${{ steps.envlint.outputs.exit-code }}"


def _loader_ready() -> bool:
    import envlint.compose

    return hasattr(envlint.compose, "load_workspace")


def _substitute(text: str, inputs: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        expr = match.group(1)
        if expr.startswith("inputs."):
            return inputs[expr.removeprefix("inputs.")]
        if expr == "github.action_path":
            return str(CHECKOUT)
        raise AssertionError(f"unexpected expression {expr}")

    return _EXPR.sub(value, text)


def _run_action(tmp_path: Path, project: Path, **given: str) -> tuple[int, str, Path, Path]:
    """Run every run-step as GitHub would (bash -eo pipefail); installing is a no-op here."""
    action = _action()
    inputs = {k: str(v.get("default", "")) for k, v in action["inputs"].items()}
    inputs.update(given)
    shim = tmp_path / "bin"
    shim.mkdir(exist_ok=True)
    (shim / "envlint").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m envlint "$@"\n')
    (shim / "envlint").chmod(0o755)
    output, summary = tmp_path / "github_output", tmp_path / "step_summary"
    output.write_text("")
    summary.write_text("")
    log = []
    status = 0
    for step in action["runs"]["steps"]:
        if "run" not in step:
            continue  # actions/setup-python: this interpreter stands in for it
        script = step["run"]
        if "pip install" in script:
            script = "true  # envlint is already installed in the test environment"
        env = dict(os.environ)
        env.pop("NO_COLOR", None)
        env.update(
            PATH=f"{shim}{os.pathsep}{env['PATH']}",
            GITHUB_OUTPUT=str(output),
            GITHUB_STEP_SUMMARY=str(summary),
        )
        env.update({k: _substitute(str(v), inputs) for k, v in step.get("env", {}).items()})
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", _substitute(script, inputs)],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        log.append(done.stdout + done.stderr)
        status = done.returncode
        if status:
            break
    return status, "".join(log), output, summary


def _project(root: Path, env_file: str | None) -> Path:
    root.mkdir()
    compose = """
        services:
          api:
            image: example/api
            environment:
              DATABASE_URL: ${DATABASE_URL}
        """
    (root / "compose.yaml").write_text(textwrap.dedent(compose).lstrip(), encoding="utf-8")
    if env_file is not None:
        (root / ".env").write_text(env_file, encoding="utf-8")
    return root


@pytest.mark.skipif(not _loader_ready(), reason="needs envlint.compose.load_workspace (loader)")
def test_action_annotates_fails_and_writes_sarif(tmp_path: Path) -> None:
    project = _project(tmp_path / "proj", env_file=None)
    status, log, output, summary = _run_action(tmp_path, project, **{"sarif-file": "out.sarif"})
    assert status == 1, log
    assert "::warning file=compose.yaml,line=5," in log
    assert "title=ENV101 undefined-variable::" in log
    assert output.read_text() == "exit-code=1\n"
    assert "| warning | [ENV101]" in summary.read_text()
    sarif = json.loads((project / "out.sarif").read_text(encoding="utf-8"))
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["ENV101"]


@pytest.mark.skipif(not _loader_ready(), reason="needs envlint.compose.load_workspace (loader)")
def test_action_inputs_fail_on_args_and_path(tmp_path: Path) -> None:
    project = _project(tmp_path / "proj", env_file=None)
    status, log, output, _ = _run_action(tmp_path, project, **{"fail-on": "never"})
    assert (status, output.read_text()) == (0, "exit-code=0\n"), log
    status, log, _, _ = _run_action(tmp_path, project, args="--select ENV102  --quiet")
    assert status == 0, log
    assert "ENV101" not in log
    fixed = _project(tmp_path / "fixed", env_file="DATABASE_URL=postgres://db/app\n")
    status, log, _, _ = _run_action(tmp_path, tmp_path, path="fixed", format="concise")
    assert fixed.is_dir()
    assert status == 0, log
    assert "ENV101" not in log
