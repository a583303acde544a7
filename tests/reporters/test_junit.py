"""``--format junit``: pinned output, well-formed XML, one suite per rule."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable

from envlint.engine import Report
from envlint.reporters import RenderOptions
from envlint.reporters.junit import render


def test_junit_snapshot(report: Report, snapshot: Callable[[str, str], None]) -> None:
    text = render(report, RenderOptions())
    snapshot("junit.xml", text)
    assert text == render(report, RenderOptions())


def test_junit_structure(report: Report) -> None:
    root = ET.fromstring(render(report, RenderOptions()).encode("utf-8"))
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("6", "3", "1")
    suites = {s.get("name"): s for s in root}
    assert list(suites) == [
        "ENV101 undefined-variable",
        "ENV102 required-variable-unset",
        "ENV106 duplicate-key",
        "ENV107 unused-variable",
        "ENV902 unused-suppression",
        "ENV903 internal-error",
    ]
    passing = suites["ENV107 unused-variable"]
    assert [(c.get("name"), list(c)) for c in passing] == [("no findings", [])]
    (case,) = suites["ENV102 required-variable-unset"]
    assert (case.get("name"), case.get("classname"), case.get("file"), case.get("line")) == (
        "compose.yaml:5:15",
        "envlint.ENV102",
        "compose.yaml",
        "5",
    )
    (failure,) = case
    assert failure.tag == "failure"
    assert failure.get("type") == "error"
    assert "deploy/prod.env:2:1: commented out here" in (failure.text or "")
    (info,) = suites["ENV902 unused-suppression"]
    (out,) = info
    assert out.tag == "system-out"
    assert "\ufffd" in (out.text or "")  # \x01 cannot be carried by XML 1.0
    (internal,) = suites["ENV903 internal-error"]
    assert [e.tag for e in internal] == ["error"]


def test_junit_escapes_markup(report: Report) -> None:
    text = render(report, RenderOptions())
    assert "&amp; the later &lt;wins&gt; | check" in text
    assert "<wins>" not in text
