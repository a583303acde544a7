"""``--format gitlab``: a GitLab Code Quality report (``artifacts: reports: codequality``).

A JSON array with one issue per finding: ``description``, ``check_name``, ``fingerprint``,
``severity`` and ``location.path`` / ``location.lines.begin`` (GitLab's required fields), plus
``type``, ``categories``, ``content`` (the rule page) and ``location.lines.end``.

Severities: error -> ``critical``, warning -> ``major``, info -> ``info``.  GitLab compares
reports of two pipelines by fingerprint, so each issue's fingerprint is the finding's own
(stable across line moves); a second finding with the same fingerprint in one report gets a
derived one (fingerprint + its occurrence number), or GitLab would merge them.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from envlint.findings import Severity

if TYPE_CHECKING:
    from envlint.findings import Finding
    from envlint.report import Report
    from envlint.reporters import RenderOptions

__all__ = ["SEVERITY", "issue", "render"]

SEVERITY = {Severity.ERROR: "critical", Severity.WARNING: "major", Severity.INFO: "info"}


def issue(finding: Finding, fingerprint: str) -> dict[str, Any]:
    loc = finding.location
    message = " ".join(finding.message.split())
    document: dict[str, Any] = {
        "type": "issue",
        "description": f"{finding.code} {finding.name}: {message}",
        "check_name": finding.code,
        "fingerprint": fingerprint,
        "severity": SEVERITY[finding.severity],
        "categories": ["Bug Risk"],
        "location": {
            "path": loc.path,
            "lines": {"begin": loc.line, "end": loc.end_line or loc.line},
        },
    }
    if finding.url:
        document["content"] = {"body": f"See {finding.url}"}
    return document


def render(report: Report, options: RenderOptions) -> str:
    seen: dict[str, int] = {}
    issues = []
    for finding in report.findings:
        count = seen.get(finding.fingerprint, 0)
        seen[finding.fingerprint] = count + 1
        fingerprint = finding.fingerprint
        if count:
            digest = hashlib.sha256(f"{finding.fingerprint}:{count}".encode())
            fingerprint = digest.hexdigest()[:16]
        issues.append(issue(finding, fingerprint))
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
