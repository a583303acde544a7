"""Failing gracefully: Ctrl-C is one line and exit 130; a bug in one rule is an ENV903 finding
naming the rule, the other rules still report, exit 2, and ``--debug`` shows the traceback."""

from __future__ import annotations

import dataclasses
import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from envlint.cli import cli, main
from tests.conftest import write_tree

PROJECT = {
    "compose.yaml": "services:\n  web:\n    image: nginx\n    environment:\n"
    "      A: ${UNDEFINED_A}\n",
    ".env": "B=1\nB=2\n",
}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "proj", PROJECT)


@pytest.mark.parametrize("command", [["check"], ["trace", "A"]])
def test_ctrl_c_is_one_line_and_130(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    command: list[str],
) -> None:
    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("envlint.engine.lint", interrupted)
    monkeypatch.setattr("envlint.compose.load_workspace", interrupted)
    with pytest.raises(SystemExit) as exc:
        main([*command, str(root)])
    assert exc.value.code == 130
    out, err = capsys.readouterr()
    assert out == "" and err == "envlint: interrupted\n"


def test_a_real_sigint_is_one_line_and_130(root: Path) -> None:
    """A real process and a real SIGINT, delivered while envlint is busy loading."""
    code = (
        "import sys, time\n"
        "import envlint.compose\n"
        "def slow(*a, **k):\n"
        "    print('ready', flush=True)\n"
        "    time.sleep(30)\n"
        "envlint.compose.load_workspace = slow\n"
        "from envlint.cli import main\n"
        f"main(['check', {str(root)!r}])\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline() == "ready\n"
    proc.send_signal(signal.SIGINT)
    started = time.monotonic()
    out, err = proc.communicate(timeout=20)
    assert time.monotonic() - started < 10
    assert proc.returncode == 130
    assert err == "envlint: interrupted\n" and out == ""


@pytest.fixture
def broken_rule(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """ENV106's check raises (a bug in envlint), the other rules are intact."""
    import envlint.engine as engine

    real_select = engine.select_rules

    def explode(ctx: object) -> Iterator[object]:
        yield from ()
        raise ZeroDivisionError("bug in the rule")

    def select(settings: object, *args: object) -> tuple[object, ...]:
        rules = real_select(settings, *args)  # type: ignore[arg-type]
        return tuple(
            dataclasses.replace(r, check=explode) if r.code == "ENV106" else r for r in rules
        )

    monkeypatch.setattr(engine, "select_rules", select)
    yield "ENV106"


def test_a_rule_bug_is_env903_and_exit_2(root: Path, broken_rule: str) -> None:
    result = CliRunner().invoke(cli, ["check", str(root), "--format", "json", "--isolated"])
    assert result.exit_code == 2
    findings = json.loads(result.stdout)["findings"]
    internal = [f for f in findings if f["code"] == "ENV903"]
    assert len(internal) == 1 and "ENV106" in internal[0]["message"]
    assert "duplicate-key" in internal[0]["message"]
    assert internal[0]["severity"] == "error"
    assert "ENV101" in {f["code"] for f in findings}  # the other rules still report
    assert "ENV106" not in {f["code"] for f in findings}
    assert "Traceback" not in result.output


@pytest.mark.parametrize("fmt", ["text", "concise", "sarif", "github", "junit"])
def test_a_rule_bug_shows_in_every_format(root: Path, broken_rule: str, fmt: str) -> None:
    result = CliRunner().invoke(cli, ["check", str(root), "--format", fmt, "--isolated"])
    assert result.exit_code == 2
    assert "ENV903" in result.stdout and "ENV101" in result.stdout
    assert "Traceback" not in result.output


def test_debug_shows_the_traceback(root: Path, broken_rule: str) -> None:
    result = CliRunner().invoke(cli, ["check", str(root), "--isolated", "--debug"])
    assert result.exit_code == 2
    assert "Traceback" in result.stderr and "ZeroDivisionError: bug in the rule" in result.stderr
    assert "ENV106" in result.stderr


def test_fail_on_never_still_exits_2_for_an_internal_error(root: Path, broken_rule: str) -> None:
    result = CliRunner().invoke(cli, ["check", str(root), "--isolated", "--fail-on", "never"])
    assert result.exit_code == 2
