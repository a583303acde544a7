"""``--format sarif``: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One run.  ``tool.driver.rules`` lists every rule that ran (plus any other code that has a
finding), with the rule page's "What it does" as ``fullDescription`` and the page as
``helpUri``.  Each result carries its primary location, the evidence in other files as
``relatedLocations`` (linked from the message, so viewers show them), and the finding's stable
fingerprint as ``partialFingerprints["envlint/v1"]`` (it never includes the message or the
line, so code scanning keeps tracking an alert when lines move).  Paths are relative URIs
against ``%SRCROOT%``; columns are ``unicodeCodePoints``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from envlint import __version__
from envlint.escape import fs_bytes, utf8
from envlint.findings import Severity

if TYPE_CHECKING:
    from envlint.findings import Finding
    from envlint.model import Location
    from envlint.report import Report, RuleInfo
    from envlint.reporters import RenderOptions

__all__ = ["FINGERPRINT_KEY", "SCHEMA_URI", "render", "to_sarif"]

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/envlint/envlint"
FINGERPRINT_KEY = "envlint/v1"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render(report: Report, options: RenderOptions) -> str:
    return json.dumps(to_sarif(report), indent=2, ensure_ascii=False) + "\n"


def to_sarif(report: Report) -> dict[str, Any]:
    # URIs are relative to %SRCROOT%, the repository root (else the report's own base), which
    # originalUriBaseIds declares: code scanning then finds the files whatever the cwd was
    base = report.srcroot or report.root
    report = report.relative_to(base)
    descriptors = _descriptors(report)
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "envlint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": descriptors,
            }
        },
        "invocations": [{"executionSuccessful": not report.internal_errors}],
        "originalUriBaseIds": {"%SRCROOT%": {"uri": base.as_uri().rstrip("/") + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, index[f.code]) for f in report.findings],
        "properties": {
            "suppressed": report.suppressed,
            "baselined": report.baselined,
            "staleBaselineEntries": len(report.stale_baseline),
        },
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _descriptors(report: Report) -> list[dict[str, Any]]:
    by_code: dict[str, dict[str, Any]] = {}
    for rule in report.rules:
        by_code[rule.code] = _descriptor(rule)
    for finding in report.findings:
        if finding.code in by_code:
            continue
        meta = report.rule(finding.code)
        if meta is not None:
            by_code[finding.code] = _descriptor(meta)
        else:  # a code without registry metadata: describe it from the finding
            by_code[finding.code] = {
                "id": finding.code,
                "name": finding.name,
                "shortDescription": {"text": finding.name},
                **({"helpUri": finding.url} if finding.url else {}),
            }
    return [by_code[code] for code in sorted(by_code)]


def _descriptor(rule: RuleInfo) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": _what_it_does(rule.code) or rule.summary},
        "helpUri": rule.url,
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
    }


def _what_it_does(code: str) -> str | None:
    """The page's "What it does" section, paragraphs unwrapped; ``None`` without a page."""
    from envlint import _ruledocs

    page = _ruledocs.read_page(code)
    if page is None:
        return None
    body = _ruledocs.section(page, "What it does")
    paragraphs = [" ".join(p.split()) for p in body.split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p) or None


def _result(finding: Finding, rule_index: int) -> dict[str, Any]:
    text = utf8(finding.message)
    if finding.related:
        links = ", ".join(
            f"[{_link_text(r.location)}]({i})" for i, r in enumerate(finding.related, start=1)
        )
        text = f"{text} (see {links})"
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": _LEVEL[finding.severity],
        "message": {"text": text},
        "locations": [{"physicalLocation": _physical(finding.location)}],
    }
    if finding.related:
        result["relatedLocations"] = [
            {
                "id": i,
                "physicalLocation": _physical(r.location),
                "message": {"text": utf8(r.message)},
            }
            for i, r in enumerate(finding.related, start=1)
        ]
    result["partialFingerprints"] = {FINGERPRINT_KEY: finding.fingerprint}
    properties = {"service": finding.service, "variable": finding.variable}
    if any(v is not None for v in properties.values()):
        result["properties"] = {k: utf8(v) for k, v in properties.items() if v is not None}
    if finding.stacks:
        result.setdefault("properties", {})["stacks"] = [utf8(s) for s in finding.stacks]
    return result


def _link_text(location: Location) -> str:
    text = utf8(f"{location.path}:{location.line}")
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def _physical(location: Location) -> dict[str, Any]:
    region: dict[str, int] = {"startLine": location.line, "startColumn": location.column}
    if location.end_line is not None:
        region["endLine"] = location.end_line
    if location.end_column is not None:
        region["endColumn"] = location.end_column
    return {
        # the file name's bytes, percent-encoded (a non-UTF-8 name is still a valid URI)
        "artifactLocation": {
            "uri": quote(fs_bytes(location.path), safe="/"),
            "uriBaseId": "%SRCROOT%",
        },
        "region": region,
    }
