"""The baseline: fingerprint + count matching, deterministic file, stale entries, bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from envlint import baseline
from envlint.config import ConfigError
from envlint.findings import Finding, Severity, Violation
from envlint.model import Location


def finding(
    code: str,
    path: str,
    line: int,
    variable: str | None = "DB_URL",
    service: str | None = "api",
) -> Finding:
    location = Location(path, line, 3)
    violation = Violation(location=location, message="m", service=service, variable=variable)
    return Finding(
        code=code,
        name="some-rule",
        severity=Severity.WARNING,
        message=f"{variable} at line {line}",
        location=location,
        service=service,
        variable=variable,
        related=(),
        url="",
        fingerprint=Finding.make_fingerprint(code, violation),
    )


def test_write_is_sorted_deterministic_and_counts_per_fingerprint(tmp_path: Path) -> None:
    findings = [
        finding("ENV201", "src/b.go", 9),
        finding("ENV101", "compose.yaml", 4, variable="X"),
        finding("ENV201", "src/b.go", 30),  # same fingerprint as line 9 (line not in the key)
        finding("ENV903", ".", 1, variable=None, service=None),  # never recorded
    ]
    target = tmp_path / "baseline.json"
    assert baseline.write(findings, target) == 3
    first = target.read_bytes()
    assert baseline.write(list(reversed(findings)), target) == 3
    assert target.read_bytes() == first
    data = json.loads(first)
    assert data["version"] == 1
    assert [(e["code"], e["path"], e["variable"], e["count"]) for e in data["entries"]] == [
        ("ENV101", "compose.yaml", "X", 1),
        ("ENV201", "src/b.go", "DB_URL", 2),
    ]
    assert set(data["entries"][0]) == {
        "fingerprint",
        "code",
        "path",
        "service",
        "variable",
        "count",
    }
    assert first.endswith(b"}\n")
    assert (target.stat().st_mode & 0o777) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["baseline.json"]  # no temp files left


def test_apply_hides_recorded_findings_even_after_line_moves(tmp_path: Path) -> None:
    target = tmp_path / "baseline.json"
    baseline.write([finding("ENV201", "src/b.go", 9)], target)
    moved = finding("ENV201", "src/b.go", 40)
    new = finding("ENV201", "src/b.go", 12, variable="OTHER")
    result = baseline.apply([moved, new], target)
    assert result.kept == (new,)
    assert result.baselined == 1
    assert result.stale == ()


def test_count_hides_that_many_and_a_third_shows(tmp_path: Path) -> None:
    target = tmp_path / "baseline.json"
    baseline.write([finding("ENV201", "a.go", 1), finding("ENV201", "a.go", 2)], target)
    three = [finding("ENV201", "a.go", n) for n in (7, 3, 5)]
    result = baseline.apply(three, target)
    assert [f.location.line for f in result.kept] == [7]  # the first two in sorted order hide
    assert result.baselined == 2


def test_stale_entries_are_reported(tmp_path: Path) -> None:
    target = tmp_path / "baseline.json"
    gone = finding("ENV101", "compose.yaml", 2, variable="GONE")
    twice = [finding("ENV201", "a.go", 1), finding("ENV201", "a.go", 2)]
    baseline.write([gone, *twice], target)
    result = baseline.apply(twice[:1], target)
    assert result.kept == ()
    assert result.stale == tuple(sorted({gone.fingerprint, twice[0].fingerprint}))


def test_internal_errors_are_never_hidden(tmp_path: Path) -> None:
    target = tmp_path / "baseline.json"
    bug = finding("ENV903", ".", 1, variable=None, service=None)
    entry = {"fingerprint": bug.fingerprint, "count": 1}
    target.write_text(json.dumps({"version": 1, "entries": [entry]}), encoding="utf-8")
    assert baseline.apply([bug], target).kept == (bug,)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "baseline file not found"),
        ("{not json", "invalid JSON"),
        ("[]", "no 'entries'"),
        ('{"version": 7, "entries": []}', "version 7 is not supported"),
        ('{"version": 1, "entries": {}}', "'entries' must be a list"),
        ('{"version": 1, "entries": [{"count": 1}]}', "entries[0] has no 'fingerprint'"),
        ('{"version": 1, "entries": [{"fingerprint": "a", "count": 0}]}', "positive integer"),
        ('{"version": 1, "entries": [{"fingerprint": "a", "count": true}]}', "positive integer"),
    ],
)
def test_missing_or_corrupt_baseline_is_a_config_error(
    tmp_path: Path, content: str | None, message: str
) -> None:
    target = tmp_path / "baseline.json"
    if content is not None:
        target.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        baseline.apply([finding("ENV201", "a.go", 1)], target)


def test_write_into_a_missing_directory_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot write baseline"):
        baseline.write([finding("ENV201", "a.go", 1)], tmp_path / "nope" / "baseline.json")


def test_count_defaults_to_one_and_duplicate_entries_add_up(tmp_path: Path) -> None:
    target = tmp_path / "baseline.json"
    fp = finding("ENV201", "a.go", 1).fingerprint
    entries = [{"fingerprint": fp}, {"fingerprint": fp, "count": 1}]
    target.write_text(json.dumps({"version": 1, "entries": entries}), encoding="utf-8")
    result = baseline.apply([finding("ENV201", "a.go", n) for n in (1, 2, 3)], target)
    assert result.baselined == 2
    assert len(result.kept) == 1
