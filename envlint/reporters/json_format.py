"""``--format json``: the document ``envlint/schemas/report.schema.json`` describes (README:
"The JSON report")."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from envlint import __version__
from envlint.escape import utf8
from envlint.findings import Finding

if TYPE_CHECKING:
    from envlint.report import Report
    from envlint.reporters import RenderOptions

__all__ = ["finding_dict", "render", "summary_dict"]


def finding_dict(finding: Finding) -> dict[str, Any]:
    """One finding; strings from the repository made UTF-8 (a non-UTF-8 byte of a file name
    reads ``\\xff``; JSON escapes control characters itself)."""
    loc = finding.location
    return {
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity.value,
        "message": utf8(finding.message),
        "path": utf8(loc.path),
        "line": loc.line,
        "column": loc.column,
        "end_line": loc.end_line if loc.end_line is not None else loc.line,
        "end_column": loc.end_column if loc.end_column is not None else loc.column,
        "service": _opt(finding.service),
        "variable": _opt(finding.variable),
        "related": [
            {
                "path": utf8(r.location.path),
                "line": r.location.line,
                "column": r.location.column,
                "message": utf8(r.message),
            }
            for r in finding.related
        ],
        "url": finding.url,
        "fingerprint": finding.fingerprint,
        "stacks": [utf8(s) for s in finding.stacks],
    }


def _opt(text: str | None) -> str | None:
    return None if text is None else utf8(text)


def summary_dict(report: Report) -> dict[str, int]:
    counts = report.counts()
    return {
        "files": report.summary.files_read,
        "services": report.summary.services,
        "error": counts["error"],
        "warning": counts["warning"],
        "info": counts["info"],
        "baselined": report.baselined,
        "suppressed": report.suppressed,
    }


def render(report: Report, options: RenderOptions) -> str:
    summary: dict[str, Any] = dict(summary_dict(report))
    if report.summary.fixed is not None:  # a fix run: how many fixes were applied
        summary["fixed"] = report.summary.fixed
    if report.summary.manifest_sets:  # Kubernetes manifest sets and how each was read
        summary["manifest_sets"] = list(report.summary.manifest_sets)
    if report.summary.documented_by:  # example files read in place of an absent env file
        summary["documented_by"] = [utf8(p) for p in report.summary.documented_by]
    document: dict[str, Any] = {
        "version": 1,
        "tool": {"name": "envlint", "version": __version__},
        "findings": [finding_dict(f) for f in report.findings],
        "summary": summary,
    }
    if options.statistics:
        document["statistics"] = statistics(report)
        document["stacks"] = [
            {"stack": utf8(s.stack), "kind": s.kind, "launchers": [utf8(n) for n in s.launchers]}
            for s in report.summary.checked_stacks
        ]
        sources = report.source_statistics()
        if sources:
            document["source_statistics"] = sources
        if report.service_code:
            document["service_code"] = [
                {
                    "stack": utf8(c.stack),
                    "service": utf8(c.service),
                    "program": None if c.program is None else utf8(c.program),
                    "read_by": c.by,
                    "files": c.files,
                    "how": utf8(c.how),
                }
                for c in report.service_code
            ]
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def statistics(report: Report) -> list[dict[str, Any]]:
    counts: dict[tuple[str, str], int] = {}
    for finding in report.findings:
        key = (finding.code, finding.name)
        counts[key] = counts.get(key, 0) + 1
    return [
        {"code": code, "name": name, "count": n}
        for (code, name), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
