"""``--format gitlab``: GitLab Code Quality issues, pinned and checked field by field."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from envlint.cli import cli
from envlint.findings import Finding, Severity
from envlint.model import Location
from envlint.report import Report
from envlint.reporters import RenderOptions
from envlint.reporters.gitlab import render

GITLAB_SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


def test_gitlab_snapshot(report: Report, snapshot: Callable[[str, str], None]) -> None:
    text = render(report, RenderOptions())
    snapshot("gitlab.json", text)
    assert text == render(report, RenderOptions())


def test_gitlab_issues_carry_the_required_fields(report: Report) -> None:
    issues = json.loads(render(report, RenderOptions()))
    assert isinstance(issues, list) and len(issues) == len(report.findings)
    for issue, finding in zip(issues, report.findings, strict=True):
        assert issue["check_name"] == finding.code
        assert issue["description"].startswith(f"{finding.code} {finding.name}: ")
        assert "\n" not in issue["description"]
        assert issue["severity"] in GITLAB_SEVERITIES
        assert issue["location"]["path"] == finding.location.path
        assert issue["location"]["lines"]["begin"] == finding.location.line
        assert issue["location"]["lines"]["end"] >= issue["location"]["lines"]["begin"]
    by_code = {i["check_name"]: i["severity"] for i in issues}
    assert (by_code["ENV102"], by_code["ENV106"], by_code["ENV902"]) == (
        "critical",
        "major",
        "info",
    )
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_gitlab_fingerprints_stay_unique_when_findings_share_one(
    build_report: Callable[..., Report], build_finding: Callable[..., Finding]
) -> None:
    """Two reads of one variable in one file share the finding fingerprint; GitLab would merge
    them, so the second issue gets a derived one (and keeps it from run to run)."""
    first = build_finding("ENV101", Severity.WARNING, "A is unset", Location("c.yaml", 3, 1))
    second = build_finding("ENV101", Severity.WARNING, "A is unset", Location("c.yaml", 9, 1))
    second = replace(second, fingerprint=first.fingerprint)
    issues = json.loads(render(build_report((first, second)), RenderOptions()))
    prints = [i["fingerprint"] for i in issues]
    assert prints[0] == first.fingerprint and prints[1] != prints[0]
    again = json.loads(render(build_report((first, second)), RenderOptions()))
    assert [i["fingerprint"] for i in again] == prints


def test_gitlab_without_findings_is_an_empty_array(build_report: Callable[..., Report]) -> None:
    assert json.loads(render(build_report(()), RenderOptions())) == []


@pytest.mark.parametrize("option", ["--format", "--output-format"])
def test_gitlab_through_the_cli_and_output_format_alias(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, option: str
) -> None:
    (tmp_path / "compose.yaml").write_text('services:\n  a:\n    image: "x:${TAG}"\n')
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["check", option, "gitlab", "-o", "gl-code-quality.json"])
    assert result.exit_code == 1, result.output
    assert result.output == ""
    issues = json.loads((tmp_path / "gl-code-quality.json").read_text())
    where = [
        (i["check_name"], i["location"]["path"], i["location"]["lines"]["begin"]) for i in issues
    ]
    assert where == [("ENV101", "compose.yaml", 3)]
    inline = CliRunner().invoke(cli, ["check", f"{option}=gitlab"])
    assert json.loads(inline.output) == issues
