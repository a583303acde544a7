"""``--format junit``: JUnit XML for GitLab (``artifacts:reports:junit``), Jenkins and others.

One ``<testsuite>`` per rule that ran (named ``CODE name``), so the test report reads as a
checklist of rules: a rule without findings is one passing test case ("no findings"); each
finding is a test case named ``path:line:col`` with ``classname="envlint.CODE"`` (Jenkins shows
it as package ``envlint``, class ``CODE``) and ``file``/``line`` attributes.  Error and warning
findings are ``<failure>``s (type = severity); info findings pass and carry their text in
``<system-out>``; ENV903 (envlint itself failed) is an ``<error>``.  Per-rule suites were chosen
over per-file ones because a drift finding's evidence spans files, and because GitLab and
Jenkins both group by suite/class, where a rule name reads better than a file path split on dots.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from envlint.escape import utf8
from envlint.findings import Severity

if TYPE_CHECKING:
    from envlint.findings import Finding
    from envlint.report import Report
    from envlint.reporters import RenderOptions

__all__ = ["render"]

_INTERNAL_ERROR = "ENV903"
# Characters XML 1.0 cannot carry, even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", utf8(text))


def _details(finding: Finding) -> str:
    loc = finding.location
    lines = [f"{loc.path}:{loc.line}:{loc.column}: {finding.code} {finding.message}"]
    for rel in finding.related:
        where = f"{rel.location.path}:{rel.location.line}:{rel.location.column}"
        lines.append(f"  {where}: {rel.message}")
    if finding.service:
        lines.append(f"service: {finding.service}")
    if finding.variable:
        lines.append(f"variable: {finding.variable}")
    if finding.url:
        lines.append(f"See {finding.url}")
    return _clean("\n".join(lines))


def render(report: Report, options: RenderOptions) -> str:
    suites: dict[str, tuple[str, list[Finding]]] = {
        rule.code: (rule.name, []) for rule in report.rules
    }
    for finding in report.findings:
        suites.setdefault(finding.code, (finding.name, []))[1].append(finding)
    root = ET.Element("testsuites", {"name": "envlint"})
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for code in sorted(suites):
        name, findings = suites[code]
        suite = _suite(code, name, findings)
        root.append(suite)
        for key in totals:
            totals[key] += int(suite.get(key, "0"))
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


def _suite(code: str, name: str, findings: list[Finding]) -> ET.Element:
    suite = ET.Element("testsuite", {"name": _clean(f"{code} {name}")})
    failures = errors = 0
    for finding in findings:
        loc = finding.location
        case = ET.SubElement(
            suite,
            "testcase",
            {
                "name": _clean(f"{loc.path}:{loc.line}:{loc.column}"),
                "classname": f"envlint.{code}",
                "file": _clean(loc.path),
                "line": str(loc.line),
            },
        )
        message = _clean(finding.message)
        if code == _INTERNAL_ERROR:
            errors += 1
            element = ET.SubElement(case, "error", {"message": message, "type": code})
            element.text = _details(finding)
        elif finding.severity is Severity.INFO:
            ET.SubElement(case, "system-out").text = _details(finding)
        else:
            failures += 1
            kind = {"message": message, "type": finding.severity.value}
            ET.SubElement(case, "failure", kind).text = _details(finding)
    if not findings:
        ET.SubElement(suite, "testcase", {"name": "no findings", "classname": f"envlint.{code}"})
    tests = max(len(findings), 1)
    for key, value in (("tests", tests), ("failures", failures), ("errors", errors)):
        suite.set(key, str(value))
    suite.set("skipped", "0")
    return suite
