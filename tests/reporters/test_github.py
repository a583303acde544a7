"""``--format github``: workflow commands, escaping, the 10-per-level cap and the job summary."""

from __future__ import annotations

from collections.abc import Callable

from envlint.engine import Report
from envlint.findings import Finding, Severity
from envlint.model import Location
from envlint.reporters import RenderOptions
from envlint.reporters.github import (
    command,
    escape_data,
    escape_property,
    render,
    summary_markdown,
)


def test_github_snapshot(report: Report, snapshot: Callable[[str, str], None]) -> None:
    text = render(report, RenderOptions())
    snapshot("github.txt", text)
    assert text == render(report, RenderOptions())
    snapshot("github-summary.md", summary_markdown(report))


def test_escaping_follows_the_actions_toolkit() -> None:
    assert escape_data("100%\r\nnext: a,b") == "100%25%0D%0Anext: a,b"
    assert escape_property("dir,a/b:c%\n") == "dir%2Ca/b%3Ac%25%0A"


def test_command_shape(build_finding: Callable[..., Finding]) -> None:
    finding = build_finding(
        "ENV102", Severity.ERROR, "X unset", Location("compose.yaml", 5, 15, 5, 28)
    )
    assert command(finding) == (
        "::error file=compose.yaml,line=5,col=15,endLine=5,endColumn=28,"
        "title=ENV102 required-variable-unset::X unset"
        "%0ASee https://github.com/envlint/envlint/blob/main/rules/ENV102-required-variable-unset.md"
    )
    info = build_finding("ENV902", Severity.INFO, "unused", Location("a.env", 2, 3))
    assert command(info).startswith("::notice file=a.env,line=2,col=3,title=ENV902 ")
    internal = build_finding("ENV903", Severity.ERROR, "boom", Location("."))
    assert command(internal).startswith("::error title=ENV903 internal-error::boom")


def test_at_most_ten_annotations_per_level_by_severity(
    build_report: Callable[..., Report], build_finding: Callable[..., Finding]
) -> None:
    def many(code: str, severity: Severity, path: str, count: int) -> list[Finding]:
        prefix = severity.value[0]
        return [
            build_finding(code, severity, f"{prefix}{n}", Location(path, n, 1))
            for n in range(1, count + 1)
        ]

    findings = (
        many("ENV101", Severity.WARNING, "a.yml", 25)
        + many("ENV102", Severity.ERROR, "z.yml", 3)
        + many("ENV107", Severity.INFO, "b.env", 12)
    )
    sample = build_report(tuple(findings))
    lines = render(sample, RenderOptions(quiet=True)).splitlines()
    commands = [line for line in lines if line.startswith(("::error", "::warning", "::notice"))]
    assert [c.split(" ", 1)[0] for c in commands] == ["::error"] * 3 + ["::warning"] * 10 + [
        "::notice"
    ] * 10
    assert [c.rsplit("::", 1)[1].split("%0A")[0] for c in commands[3:5]] == ["w1", "w2"]
    plain = lines[len(commands) :]
    # the plain lines run with workflow commands stopped, under a token derived from them
    assert plain[0].startswith("::stop-commands::envlint-")
    token = plain[0].removeprefix("::stop-commands::")
    assert plain[-1] == f"::{token}::" and len(plain) == 1 + 1 + 17 + 1
    assert plain[1] == (
        "envlint: 17 more findings not annotated "
        "(GitHub shows at most 10 annotations of each level per step):"
    )
    assert plain[2:-1] == [f"a.yml:{n}:1: warning ENV101 w{n}" for n in range(11, 26)] + [
        "b.env:11:1: info ENV107 i11",
        "b.env:12:1: info ENV107 i12",
    ]
    summary = summary_markdown(sample)
    assert "> 17 findings were not annotated" in summary
    assert summary.count("\n| ") == 1 + 40  # header + every finding


def test_summary_without_findings(build_report: Callable[..., Report]) -> None:
    text = summary_markdown(build_report((), suppressed=1, stale_baseline=("x",)))
    assert text == (
        "## envlint\n\n"
        "**0** errors · **0** warnings · **0** info · 1 suppressed · "
        "1 stale baseline entry (refresh with `--write-baseline`)\n\n"
        "No findings.\n"
    )
