"""``--format sarif``: pinned output, schema validity, rule metadata, fingerprints."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from envlint.engine import Report
from envlint.findings import Finding, Severity
from envlint.model import Location
from envlint.reporters import RenderOptions
from envlint.reporters.sarif import render


def test_sarif_snapshot(report: Report, snapshot: Callable[[str, str], None]) -> None:
    text = render(report, RenderOptions())
    snapshot("report.sarif", text)
    assert text == render(report, RenderOptions())


def test_sarif_validates_against_the_2_1_0_schema(
    report: Report, build_report: Callable[..., Report], build_finding: Callable[..., Finding]
) -> None:
    schema_path = os.environ.get("ENVLINT_SARIF_SCHEMA")
    if not schema_path:
        pytest.skip("ENVLINT_SARIF_SCHEMA is not set (path to sarif-schema-2.1.0.json)")
    import jsonschema

    schema = json.loads(Path(schema_path).read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(schema)
    unknown = build_finding("ENV999", Severity.ERROR, "made up", Location("a.yml", 1, 1))
    for sample in (report, build_report(()), build_report((unknown,), rules=())):
        errors = sorted(validator.iter_errors(json.loads(render(sample, RenderOptions()))), key=str)
        assert errors == []


def test_sarif_rules_results_and_fingerprints(report: Report) -> None:
    run = json.loads(render(report, RenderOptions()))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["ENV101", "ENV102", "ENV106", "ENV107", "ENV902", "ENV903"]
    env101 = rules[0]
    assert env101["fullDescription"]["text"] == (
        'Finds `${X}` that no env file defines.\n\nCompose substitutes "".'
    )
    assert rules[1]["fullDescription"]["text"] == rules[1]["shortDescription"]["text"]
    assert env101["helpUri"].endswith("/rules/ENV101-undefined-variable.md")
    assert [r["defaultConfiguration"]["level"] for r in rules] == [
        "warning", "error", "warning", "note", "note", "error",
    ]  # fmt: skip
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["partialFingerprints"]["envlint/v1"].startswith("fp-")
    by_rule = {r["ruleId"]: r for r in run["results"]}
    env102 = by_rule["ENV102"]
    assert env102["level"] == "error"
    assert env102["properties"] == {"service": "api", "variable": "DB_URL"}
    assert [loc["id"] for loc in env102["relatedLocations"]] == [1, 2]
    assert env102["message"]["text"].endswith(
        "(see [deploy/prod.env:2](1), [src/api/db\\[1\\].go:41](2))"
    )
    assert env102["relatedLocations"][1]["physicalLocation"]["region"] == {
        "startLine": 41, "startColumn": 13, "endLine": 43, "endColumn": 80,
    }  # fmt: skip
    assert by_rule["ENV902"]["level"] == "note"
    artifact = by_rule["ENV902"]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": "src/app%20%C3%A9.go", "uriBaseId": "%SRCROOT%"}
    assert run["invocations"] == [{"executionSuccessful": True}]


def test_sarif_describes_codes_without_metadata_and_reports_failed_runs(
    build_report: Callable[..., Report], build_finding: Callable[..., Finding]
) -> None:
    unknown = build_finding("ENV999", Severity.ERROR, "made up", Location("a.yml", 1, 1))
    sample = build_report((unknown,), rules=(), internal_errors=("Traceback…",))
    run = json.loads(render(sample, RenderOptions()))["runs"][0]
    assert run["tool"]["driver"]["rules"] == [
        {
            "id": "ENV999",
            "name": "made-up-rule",
            "shortDescription": {"text": "made-up-rule"},
            "helpUri": unknown.url,
        }
    ]
    assert run["invocations"] == [{"executionSuccessful": False}]
