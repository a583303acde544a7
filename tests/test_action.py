"""action.yml: structure, and its steps executed locally as the runner would run them.

``actions/setup-python`` is stood in for by this interpreter (its ``python-path`` output).  The
install step runs for real in one test (a virtual environment under ``runner.temp``, envlint
installed from this checkout: PyPI must be reachable, so it is marked ``slow``); elsewhere its
output points at a directory whose ``python`` and ``envlint`` run this checkout.
"""

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
WORKFLOWS = CHECKOUT / ".github" / "workflows"
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
    assert setup["id"] == "python"
    assert setup["with"]["python-version"] == "${{ inputs.python-version }}"
    # the job's own Python (PATH, pythonLocation, pip) is not touched
    assert setup["with"]["update-environment"] is False
    assert install["id"] == "install"
    assert install["env"]["ENVLINT_PYTHON"] == "${{ steps.python.outputs.python-path }}"
    assert install["env"]["ENVLINT_VENV"].startswith("${{ runner.temp }}/")
    assert check["id"] == "envlint"
    assert check["env"]["ENVLINT_BIN"] == "${{ steps.install.outputs.bin }}"
    for step in (install, check):
        assert step["shell"] == "bash"
        # no input is pasted into a script's text: they arrive through env
        assert _EXPR.search(step["run"]) is None
    assert set(_EXPR.findall(" ".join(check["env"].values()))) == {
        f"inputs.{name}" for name in ("path", "args", "format", "fail-on", "sarif-file")
    } | {"steps.install.outputs.bin"}
    assert action["outputs"]["exit-code"]["value"] == "${{ steps.envlint.outputs.exit-code }}"


def _substitute(text: str, context: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        expr = match.group(1)
        assert expr in context, f"unexpected expression {expr}"
        return context[expr]

    return _EXPR.sub(value, text)


def _stand_in_bin(tmp_path: Path) -> Path:
    """What the install step leaves behind, for the tests that do not install: a directory with
    ``python`` and ``envlint`` that run this checkout."""
    shim = tmp_path / "envlint-bin"
    shim.mkdir(exist_ok=True)
    (shim / "python").write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    (shim / "envlint").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m envlint "$@"\n')
    for name in ("python", "envlint"):
        (shim / name).chmod(0o755)
    return shim


def _run_action(
    tmp_path: Path, project: Path, *, install: bool = False, **given: str
) -> tuple[int, str, Path, Path]:
    """Run the steps as GitHub does (bash -eo pipefail, GITHUB_OUTPUT per step, expressions
    substituted); ``install`` runs the install step for real."""
    action = _action()
    context = {f"inputs.{k}": str(v.get("default", "")) for k, v in action["inputs"].items()}
    context.update({f"inputs.{k}": v for k, v in given.items()})
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir(exist_ok=True)
    context.update({"github.action_path": str(CHECKOUT), "runner.temp": str(runner_temp)})
    summary = tmp_path / "step_summary"
    summary.write_text("")
    log = []
    status = 0
    output = tmp_path / "github_output"
    for step in action["runs"]["steps"]:
        outputs: dict[str, str] = {}
        if "uses" in step:  # actions/setup-python: this interpreter stands in for it
            outputs["python-path"] = sys.executable
        elif step["id"] == "install" and not install:
            outputs["bin"] = str(_stand_in_bin(tmp_path))
        else:
            output.write_text("")
            env = dict(os.environ)
            for name in ("NO_COLOR", "FORCE_COLOR", "GITHUB_PATH", "GITHUB_ENV"):
                env.pop(name, None)
            env.update(
                GITHUB_OUTPUT=str(output),
                GITHUB_STEP_SUMMARY=str(summary),
                RUNNER_TEMP=str(runner_temp),
            )
            env.update({k: _substitute(str(v), context) for k, v in step.get("env", {}).items()})
            done = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                cwd=project,
                env=env,
                capture_output=True,
                text=True,
                timeout=900,
                check=False,
            )
            log.append(done.stdout + done.stderr)
            status = done.returncode
            for line in output.read_text().splitlines():
                key, _, value = line.partition("=")
                outputs[key] = value
        context.update({f"steps.{step['id']}.outputs.{k}": v for k, v in outputs.items()})
        if status:
            break
    output.write_text(f"exit-code={context.get('steps.envlint.outputs.exit-code', '')}\n")
    return status, "".join(log), output, summary


def _project(root: Path, env_file: str | None) -> Path:
    root.mkdir()
    compose = """
        services:
          api:
            image: example/api
            environment:
              DATABASE_URL: ${DATABASE_URL}
              QUEUE_URL: ${QUEUE_URL}
        """
    (root / "compose.yaml").write_text(textwrap.dedent(compose).lstrip(), encoding="utf-8")
    if env_file is not None:
        (root / ".env").write_text(env_file, encoding="utf-8")
    return root


def test_action_annotates_fails_and_writes_sarif(tmp_path: Path) -> None:
    project = _project(tmp_path / "proj", env_file=None)
    status, log, output, summary = _run_action(tmp_path, project, **{"sarif-file": "out.sarif"})
    assert status == 1, log
    assert "::warning file=compose.yaml,line=5," in log
    assert "title=ENV101 undefined-variable::" in log
    assert output.read_text() == "exit-code=1\n"
    assert "| warning | [ENV101]" in summary.read_text()
    sarif = json.loads((project / "out.sarif").read_text(encoding="utf-8"))
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["ENV101", "ENV101"]


def test_action_inputs_fail_on_args_and_path(tmp_path: Path) -> None:
    project = _project(tmp_path / "proj", env_file=None)
    status, log, output, _ = _run_action(tmp_path, project, **{"fail-on": "never"})
    assert (status, output.read_text()) == (0, "exit-code=0\n"), log
    status, log, _, _ = _run_action(tmp_path, project, args="--select ENV102  --quiet")
    assert status == 0, log
    assert "ENV101" not in log
    fixed = _project(tmp_path / "fixed", env_file="DATABASE_URL=x\nQUEUE_URL=y\n")
    status, log, _, _ = _run_action(tmp_path, tmp_path, path="fixed", format="concise")
    assert fixed.is_dir()
    assert status == 0, log
    assert "ENV101" not in log


@pytest.mark.parametrize(
    "args",
    [
        "--select 'ENV101,ENV102' --format concise",
        '--select "ENV101, ENV102" --format concise',  # a quoted space stays inside one word
        "--select ENV101\\,ENV102 --format concise",
        "  --select\n'ENV101,ENV102'\t--format   concise  ",
    ],
)
def test_action_args_are_split_like_a_shell_command_line(tmp_path: Path, args: str) -> None:
    project = _project(tmp_path / "proj", env_file="DATABASE_URL=x\n")
    status, log, output, _ = _run_action(tmp_path, project, args=args)
    assert status == 1, log
    assert re.search(r"^compose\.yaml:6:\d+: warning ENV101 \$\{QUEUE_URL\}", log, re.M), log
    assert output.read_text() == "exit-code=1\n"


def test_action_args_are_never_expanded(tmp_path: Path) -> None:
    project = _project(tmp_path / "proj", env_file=None)
    (project / "base.json").write_text("{}")
    status, log, _, _ = _run_action(
        tmp_path, project, args="--baseline '$HOME/*.json' --format concise"
    )
    assert status == 2, log
    assert "$HOME/*.json" in log  # passed on literally: no variable or glob expansion


def test_action_unbalanced_quote_fails_the_step_with_one_message(tmp_path: Path) -> None:
    project = _project(tmp_path / "proj", env_file=None)
    status, log, output, _ = _run_action(tmp_path, project, args="--select 'ENV1")
    assert status == 1
    assert "envlint action: cannot split args (No closing quotation)" in log
    assert "Traceback" not in log
    assert output.read_text() == "exit-code=\n"  # envlint never ran


def _dogfood() -> dict[str, Any]:
    workflow = YAML(typ="safe").load((WORKFLOWS / "ci.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["dogfood"]["steps"]
    (step,) = [s for s in steps if s.get("uses") == "./"]
    assert isinstance(step, dict)
    return step


def test_dogfood_job_uses_this_action_on_the_example() -> None:
    step = _dogfood()
    assert step["with"]["path"] == "examples/incident"
    assert (CHECKOUT / step["with"]["path"]).is_dir()
    assert step["with"]["sarif-file"] == "envlint.sarif"  # the next step checks its paths


def test_dogfood_job_annotates_files_that_exist(tmp_path: Path) -> None:
    """The dogfood job runs from the repository root on `path: examples/incident`: every
    annotation must name a file as seen from there, or GitHub shows it nowhere."""
    inputs = {k: str(v) for k, v in _dogfood()["with"].items()}
    inputs["sarif-file"] = str(tmp_path / "envlint.sarif")  # never into the checkout
    status, log, _, _ = _run_action(tmp_path, CHECKOUT, **inputs)
    assert status == 0, log
    files = re.findall(r"^::(?:error|warning|notice) file=([^,]+),", log, re.M)
    assert files, log
    assert all((CHECKOUT / f).is_file() for f in files), sorted(set(files))


@pytest.mark.slow
def test_install_step_uses_its_own_virtual_environment(tmp_path: Path) -> None:
    """The real install: a venv under runner.temp, envlint from this checkout inside it, and
    nothing installed into (or put on the PATH of) the job's Python."""
    project = _project(tmp_path / "proj", env_file=None)
    before = subprocess.run(
        [sys.executable, "-m", "pip", "freeze", "--all"], capture_output=True, text=True, check=True
    ).stdout
    status, log, output, _ = _run_action(tmp_path, project, install=True, format="concise")
    assert status == 1, log
    assert "warning ENV101" in log
    assert output.read_text() == "exit-code=1\n"
    venv = tmp_path / "runner-temp" / "envlint-venv"
    installed = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "show", "envlint-compose"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert installed.returncode == 0, installed.stderr
    after = subprocess.run(
        [sys.executable, "-m", "pip", "freeze", "--all"], capture_output=True, text=True, check=True
    ).stdout
    assert after == before
