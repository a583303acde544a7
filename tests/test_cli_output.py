"""What ``envlint check`` prints, through the real command: colour (``--color``, NO_COLOR,
FORCE_COLOR, a terminal or a pipe), ``-q`` in every format that has a summary, the line shapes
of text and concise."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from envlint.cli import cli
from tests.conftest import write_tree

CHECKOUT = Path(__file__).resolve().parent.parent
ANSI = re.compile(r"\x1b\[[0-9;]*m")
FILES = {
    "compose.yaml": """
    services:
      api:
        image: "api:${TAG}"
        environment:
          DB_URL: ${DB_URL:?set DB_URL}
    """,
}


@pytest.fixture
def proj(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "proj", FILES)


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TERM")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(CHECKOUT), env.get("PYTHONPATH")]))
    env.update(extra)
    return env


def _run(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "envlint", "check", *args],
        cwd=cwd,
        env=_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _invoke(cwd: Path, *args: str, **env: str) -> tuple[int, str]:
    """In process (click's runner: stdout is not a terminal, as in a pipe)."""
    unset: dict[str, str | None] = dict.fromkeys(
        ("NO_COLOR", "FORCE_COLOR", "TERM", "GITHUB_STEP_SUMMARY")
    )
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(cli, ["check", *args], env={**unset, **env})
    finally:
        os.chdir(old)
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("args", "env", "coloured"),
    [
        ((), {}, False),  # a pipe: auto is off
        (("--color=always",), {}, True),
        (("--color", "always"), {}, True),
        (("--color",), {}, True),  # alone: always
        (("--color=auto",), {}, False),
        (("--color=never",), {"FORCE_COLOR": "1"}, False),
        (("--no-color",), {"FORCE_COLOR": "1"}, False),
        ((), {"FORCE_COLOR": "1"}, True),
        ((), {"FORCE_COLOR": ""}, False),  # set but empty: not set
        ((), {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),  # NO_COLOR wins over FORCE_COLOR
        (("--color=always",), {"NO_COLOR": "1"}, True),  # the command line wins over both
        ((), {"FORCE_COLOR": "1", "NO_COLOR": ""}, True),
        (("--color", "--no-color"), {}, False),  # the last one wins
    ],
)
def test_colour_choice(
    proj: Path, args: tuple[str, ...], env: dict[str, str], coloured: bool
) -> None:
    code, out = _invoke(proj, *args, **env)
    assert code == 1, out
    assert bool(ANSI.search(out)) is coloured
    assert ANSI.sub("", out) == _invoke(proj)[1]
    assert "\x1b]8;" not in out  # hyperlinks only on a terminal


@pytest.mark.parametrize("env", [{"FORCE_COLOR": "1"}, {}])
def test_colour_really_reaches_a_pipe(proj: Path, env: dict[str, str]) -> None:
    """click strips ANSI from output that is not a terminal unless told otherwise."""
    args = () if env else ("--color=always",)
    done = _run(proj, *args, **env)
    assert done.returncode == 1, done.stderr
    assert ANSI.search(done.stdout)


def test_color_before_a_path_still_checks_the_path(proj: Path) -> None:
    code, out = _invoke(proj.parent, "--color", proj.name)
    assert code == 1 and ANSI.search(out), out


def test_colour_never_goes_into_files(proj: Path) -> None:
    assert _invoke(proj, "--color=always", "-o", "out.txt", FORCE_COLOR="1") == (1, "")
    text = (proj / "out.txt").read_text(encoding="utf-8")
    assert "compose.yaml:3:" in text and not ANSI.search(text)


def test_other_formats_are_never_coloured(proj: Path) -> None:
    for fmt in ("concise", "json", "github", "gitlab"):
        assert not ANSI.search(_invoke(proj, "--format", fmt, "--color=always")[1]), fmt


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
@pytest.mark.parametrize(
    ("env", "coloured"),
    [
        ({"TERM": "xterm"}, True),
        ({"TERM": "xterm", "NO_COLOR": "1"}, False),
        ({"TERM": "dumb"}, False),
    ],
)
def test_colour_on_a_terminal(proj: Path, env: dict[str, str], coloured: bool) -> None:
    import pty

    out = bytearray()
    pid, fd = pty.fork()
    if pid == 0:  # the child: envlint with its stdout on the terminal
        os.chdir(proj)
        os.execve(
            sys.executable,
            [sys.executable, "-m", "envlint", "check", "--format", "text"],
            _env(COLUMNS="80", **env),
        )
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    _, status = os.waitpid(pid, 0)
    text = out.decode("utf-8", "replace")
    assert os.waitstatus_to_exitcode(status) == 1, text
    assert bool(ANSI.search(text)) is coloured, text
    assert ("\x1b]8;" in text) is coloured  # codes link to their rule page
    plain = ANSI.sub("", re.sub(r"\x1b\]8;[^\x1b]*\x1b\\", "", text)).replace("\r\n", "\n")
    assert all(len(line) <= 80 for line in plain.splitlines()), plain  # wrapped at the width


def test_concise_lines_carry_the_severity(proj: Path) -> None:
    lines = _invoke(proj, "--format", "concise")[1].splitlines()
    assert re.fullmatch(r"compose\.yaml:3:\d+: warning ENV101 \$\{TAG\} .*", lines[0])
    assert re.fullmatch(r"compose\.yaml:5:\d+: error ENV102 .*DB_URL.*", lines[1])
    assert lines[2:] == ["Found 2 findings: 1 error, 1 warning, 0 info."]


def test_text_finding_lines_start_with_location_and_severity(proj: Path) -> None:
    out = _invoke(proj)[1]
    heads = [line for line in out.splitlines() if line and not line.startswith(" ")]
    assert re.match(r"compose\.yaml:3:\d+: warning ENV101 undefined-variable: \$\{TAG\} ", heads[0])
    assert re.match(r"compose\.yaml:5:\d+: error ENV102 required-variable-unset: ", heads[1])
    assert heads[2].startswith("1 error, 1 warning, 0 info") and len(heads) == 3


@pytest.mark.parametrize("fmt", ["text", "concise", "github"])
def test_quiet_prints_findings_only(proj: Path, fmt: str) -> None:
    full = _invoke(proj, "--format", fmt)[1]
    code, quiet = _invoke(proj, "--format", fmt, "-q")
    assert code == 1
    assert "ENV101" in quiet and "ENV102" in quiet
    summary = full.rstrip("\n").splitlines()[-1]
    assert "1 error" in summary
    assert summary not in quiet
    assert full.startswith(quiet)


def test_quiet_on_a_clean_project_prints_nothing(tmp_path: Path) -> None:
    clean = write_tree(tmp_path / "clean", {"compose.yaml": "services:\n  a:\n    image: x\n"})
    for fmt in ("text", "concise", "github"):
        assert _invoke(clean, "--format", fmt, "-q") == (0, ""), fmt
    assert _invoke(clean, "--format", "concise")[1] == "All checks passed.\n"
