"""``--format text``: one block per finding that starts ``path:line:col: severity``, wrapped
between words at the width, quiet without the summary."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.text import Text

from envlint.escape import terminal
from envlint.findings import Finding, Severity
from envlint.model import Location
from envlint.report import Report
from envlint.reporters import RenderOptions
from envlint.reporters.text import render, wrap
from envlint.snippets import MaskPlan, Snippets

_HEAD = re.compile(r"^(?P<path>\S.*?):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning|info) ")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _with_sources(report: Report, root: Path) -> Report:
    (root / "deploy").mkdir(parents=True)
    (root / "compose.yaml").write_text(
        "services:\n  api:\n    image: api\n    environment:\n      DB_URL: ${DB_URL:?}\n"
    )
    (root / ".env").write_text("KAFKA_ADDR=kafka:9092\nX=1\nY=2\nKAFKA_ADDR=secret-host:9092\n")
    # the masked source lines the engine hands over (files judged by their names here)
    places = {(f.location.path, f.location.line) for f in report.findings}
    return replace(report, root=root, snippets=Snippets(MaskPlan(root), places))


def test_text_snapshot_wrapped(
    report: Report, tmp_path: Path, snapshot: Callable[[str, str], None]
) -> None:
    text = render(_with_sources(report, tmp_path), RenderOptions(width=60))
    snapshot("text-60.txt", text)
    assert "secret-host" not in text  # the env file's line is shown masked


def test_text_snapshot_unwrapped_and_coloured(
    report: Report, tmp_path: Path, snapshot: Callable[[str, str], None]
) -> None:
    sample = _with_sources(report, tmp_path)
    plain = render(sample, RenderOptions(width=0))
    snapshot("text-unwrapped.txt", plain)
    coloured = render(sample, RenderOptions(width=0, color=True, hyperlinks=True))
    assert "\x1b[1;31merror\x1b[0m" in coloured and "\x1b[33mwarning\x1b[0m" in coloured
    assert "\x1b]8;" in coloured  # codes link to their rule page
    assert re.sub(r"\x1b\]8;[^\x1b]*\x1b\\", "", _ANSI.sub("", coloured)) == plain


@pytest.mark.parametrize("width", [0, 40, 60, 100])
def test_every_finding_starts_with_its_location_and_severity(report: Report, width: int) -> None:
    text = render(report, RenderOptions(width=width))
    heads = [m.groupdict() for line in text.splitlines() if (m := _HEAD.match(line))]
    assert [(h["path"], int(h["line"]), int(h["col"]), h["sev"]) for h in heads] == [
        (f.location.path, f.location.line, f.location.column, f.severity.value)
        for f in report.findings
    ]


@pytest.mark.parametrize("width", [30, 45, 60, 80])
def test_wrapping_never_breaks_a_word_and_fits_the_width(report: Report, width: int) -> None:
    text = render(report, RenderOptions(width=width))
    words = {w for f in report.findings for w in terminal(" ".join(f.message.split())).split(" ")}
    lines = text.splitlines()
    assert all(cell_len(line) <= width or " " not in line.strip() for line in lines), width
    printed = {w for line in lines for w in line.split()}
    assert words - {""} <= printed  # each word of each message appears whole


def test_wrap_hangs_continuations_and_keeps_long_words() -> None:
    lines = wrap(Text("path/to/file.yaml:1:1: error ENV101 aaa bbb ccc ddd"), 24, "    ")
    assert [line.plain for line in lines] == [
        "path/to/file.yaml:1:1:",
        "    error ENV101 aaa bbb",
        "    ccc ddd",
    ]
    assert [t.plain for t in wrap(Text("a " + "x" * 30), 10, "  ")] == ["a", "  " + "x" * 30]
    assert [t.plain for t in wrap(Text("short"), 0, "  ")] == ["short"]
    wide = wrap(Text("設定 設定 設定"), 9, "")  # two cells per character
    assert [t.plain for t in wide] == ["設定 設定", "設定"]


def test_quiet_shows_findings_without_the_summary(report: Report) -> None:
    full = render(report, RenderOptions(width=0)).split("\n", 1)[1]  # after the hint
    quiet = render(report, RenderOptions(width=0, quiet=True))
    assert not quiet.startswith("hint")
    assert full.startswith(quiet)
    assert "errors" in full.splitlines()[-1] and "errors" not in quiet
    assert quiet.count("\n") == full.count("\n") - 1
    assert sum(1 for line in quiet.splitlines() if _HEAD.match(line)) == len(report.findings)


def test_statistics_stay_with_quiet(
    build_report: Callable[..., Report], build_finding: Callable[..., Finding]
) -> None:
    one = build_finding("ENV101", Severity.WARNING, "A is unset", Location("c.yaml", 3, 1))
    text = render(build_report((one,)), RenderOptions(width=0, quiet=True, statistics=True))
    assert text.splitlines() == [
        "c.yaml:3:1: warning ENV101 undefined-variable: A is unset",
        "",
        "    1  ENV101  undefined-variable",
        "",
    ]


def test_long_source_lines_are_cut_not_wrapped(
    build_report: Callable[..., Report], build_finding: Callable[..., Finding], tmp_path: Path
) -> None:
    (tmp_path / "main.go").write_text(
        'x := os.Getenv("A") + strings.Repeat("y", 100) // ' + "z" * 80 + "\n"
    )
    one = build_finding("ENV201", Severity.ERROR, "A crashes", Location("main.go", 1, 6))
    snippets = Snippets(MaskPlan(tmp_path), {("main.go", 1)})
    text = render(replace(build_report((one,)), snippets=snippets), RenderOptions(width=50))
    (source,) = [line for line in text.splitlines() if "│" in line]
    assert cell_len(source) == 50 and source.endswith("…")
