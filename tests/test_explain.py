"""``envlint explain``: the page as a reader needs it — example files named, the test harness's
markers and internal references gone — paged and rendered on a terminal, plain when piped."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from envlint._ruledocs import for_reader, pages_dir, read_page
from envlint.cli import cli
from envlint.rules import RULES

CHECKOUT = Path(__file__).resolve().parent.parent
FENCE = re.compile(r"^```(\w*)\s+file=(\S+)\s*$", re.MULTILINE)
MARKER = re.compile(r"^\s*(?:#|//)\s*(?:expect|ok):", re.MULTILINE)
INTERNAL = re.compile(r"\bresearch[:/]|\bSPEC §|(?<![\w/])shared/|HELPERS\.md|/work/")


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_piped_page_names_files_and_hides_markers(rule: object) -> None:
    code = rule.code  # type: ignore[attr-defined]
    page = read_page(code)
    assert page is not None
    result = CliRunner().invoke(cli, ["explain", code])
    assert result.exit_code == 0, result.output
    out = result.output
    assert out == for_reader(page)
    assert not out.startswith("---") and f"# {code} " in out
    assert MARKER.search(page) is None or MARKER.search(out) is None
    assert FENCE.search(out) is None
    names = [name for _, name in FENCE.findall(page)]
    shown = re.findall(r"^`([^`]+)`:$", out, re.MULTILINE)
    assert shown == names
    assert INTERNAL.search(out) is None


def test_pages_hold_no_internal_references() -> None:
    directory = pages_dir()
    assert directory is not None
    for page in sorted(directory.glob("ENV*.md")):
        assert INTERNAL.search(page.read_text(encoding="utf-8")) is None, page.name


def test_for_reader_keeps_code_and_drops_only_markers() -> None:
    page = (
        "---\ncode: ENV101\n---\n# ENV101 x\n\n"
        "```yaml file=compose.yaml\nservices:\n  # expect: ENV101\n  a: {image: ${X}}\n"
        "  # a normal comment\n```\n\n```go file=src/main.go\n\t// ok: ENV201, ENV202\n"
        "\tx := 1 // expect: in a string is code\n```\n\n"
        "```console\n# expect: ENV101\n```\n"
    )
    assert for_reader(page) == (
        "# ENV101 x\n\n`compose.yaml`:\n\n```yaml\nservices:\n  a: {image: ${X}}\n"
        "  # a normal comment\n```\n\n`src/main.go`:\n\n```go\n"
        "\tx := 1 // expect: in a string is code\n```\n\n```console\n```\n"
    )


def test_unknown_rule_suggests_the_closest() -> None:
    result = CliRunner().invoke(cli, ["explain", "ENV2O1"])
    assert result.exit_code == 2
    assert "did you mean ENV201?" in result.output
    by_name = CliRunner().invoke(cli, ["explain", "missing-required-variabel"])
    assert by_name.exit_code == 2 and "did you mean missing-required-variable?" in by_name.output


def _on_a_terminal(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    import pty

    out = bytearray()
    pid, fd = pty.fork()
    if pid == 0:
        full = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
        full["PYTHONPATH"] = os.pathsep.join(filter(None, [str(CHECKOUT), full.get("PYTHONPATH")]))
        full.update(env)
        os.execve(sys.executable, [sys.executable, "-m", "envlint", *args], full)
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), out.decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
@pytest.mark.parametrize("no_color", [False, True])
def test_terminal_gets_a_rendered_page_through_the_pager(tmp_path: Path, no_color: bool) -> None:
    paged = tmp_path / "paged.txt"
    pager = tmp_path / "pager"
    pager.write_text(f'#!/bin/sh\ncat > "{paged}"\n')
    pager.chmod(0o755)
    env = {"PAGER": str(pager), "TERM": "xterm", "COLUMNS": "90"}
    if no_color:
        env["NO_COLOR"] = "1"
    code, screen = _on_a_terminal(["explain", "ENV201"], env)
    assert code == 0, screen
    assert "missing-required-variable" not in screen  # it went to the pager, not the screen
    text = paged.read_text(encoding="utf-8")
    plain = re.sub(r"\x1b\[[0-9;]*m", "", text)
    assert "ENV201 missing-required-variable" in plain
    assert "```" not in plain and "## What it does" not in plain  # rendered, not raw Markdown
    assert "docker-compose.yml" in plain and "src/accounting/Consumer.cs" in plain
    assert "expect: ENV201" not in plain and "ok: ENV201" not in plain
    assert bool(re.search(r"\x1b\[[0-9;]*m", text)) is not no_color
    assert all(len(line) <= 90 for line in plain.splitlines())
