"""A fixed Report for the reporter snapshot tests (built directly: no loader, no rules run).

Snapshots live in ``tests/reporters/snapshots``; regenerate with ``ENVLINT_UPDATE_SNAPSHOTS=1``
and review the diff.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from envlint.engine import rule_info
from envlint.findings import Finding, Related, Severity
from envlint.model import Location
from envlint.report import Report, RuleInfo, Summary
from envlint.rules import RULES as REGISTRY
from envlint.rules._base import RULE_PAGE_BASE

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
ROOT = Path("/project")


def make_rule(code: str, name: str, severity: Severity, summary: str) -> RuleInfo:
    return RuleInfo(code, name, severity, summary, f"{RULE_PAGE_BASE}{code}-{name}.md")


RULES = (
    make_rule(
        "ENV101",
        "undefined-variable",
        Severity.WARNING,
        "Compose interpolates an undefined variable",
    ),
    make_rule("ENV102", "required-variable-unset", Severity.ERROR, "A ${X:?} variable is unset"),
    make_rule(
        "ENV106", "duplicate-key", Severity.WARNING, "A key is defined twice in one env file"
    ),
    make_rule("ENV107", "unused-variable", Severity.INFO, "An env key nothing uses"),
    make_rule(
        "ENV902", "unused-suppression", Severity.INFO, "A suppression that suppresses nothing"
    ),
    make_rule("ENV903", "internal-error", Severity.ERROR, "A rule failed"),
)


def make_finding(
    code: str,
    severity: Severity,
    message: str,
    location: Location,
    *,
    service: str | None = None,
    variable: str | None = None,
    related: tuple[Related, ...] = (),
) -> Finding:
    name = next((r.name for r in RULES if r.code == code), "made-up-rule")
    return Finding(
        code=code,
        name=name,
        severity=severity,
        message=message,
        location=location,
        service=service,
        variable=variable,
        related=related,
        url=f"https://github.com/envlint/envlint/blob/main/rules/{code}-{name}.md",
        fingerprint=f"fp-{code.lower()}-{location.line}",
    )


FINDINGS = (
    make_finding(
        "ENV903",
        Severity.ERROR,
        "rule ENV205 (made-up) failed: KeyError; the other rules still ran",
        Location("."),
    ),
    make_finding(
        "ENV106",
        Severity.WARNING,
        "KAFKA_ADDR is defined twice (lines 1 and 4) & the later <wins> | check",
        Location(".env", 4, 1, 4, 11),
        variable="KAFKA_ADDR",
        related=(Related(Location(".env", 1, 1, 1, 11), "first definition"),),
    ),
    make_finding(
        "ENV102",
        Severity.ERROR,
        "DB_URL is unset: `docker compose up` refuses to start, 100% of the time",
        Location("compose.yaml", 5, 15, 5, 28),
        service="api",
        variable="DB_URL",
        related=(
            Related(Location("deploy/prod.env", 2, 1), "commented out here"),
            Related(Location("src/api/db[1].go", 41, 13, 43, 80), "read here, crashes when empty"),
        ),
    ),
    make_finding(
        "ENV101",
        Severity.WARNING,
        'QUEUE is not defined, so Compose substitutes ""',
        Location("dir,a/b:c.yml", 9, 7),
        service="worker",
        variable="QUEUE",
    ),
    make_finding(
        "ENV902",
        Severity.INFO,
        "suppression of ENV107 matched no finding\non this line or the next \x01",
        Location("src/app é.go", 10, 4, 10, 30),
    ),
)


def sample_report(
    findings: tuple[Finding, ...] = FINDINGS, rules: tuple[RuleInfo, ...] = RULES, **extra: object
) -> Report:
    catalog = {r.code: rule_info(r) for r in REGISTRY}
    catalog.update({r.code: r for r in rules})
    return Report(
        root=ROOT,
        findings=tuple(sorted(findings, key=lambda f: f.sort_key)),
        rules=rules,
        catalog=catalog,
        summary=Summary(),
        **extra,  # type: ignore[arg-type]
    )


PAGE = """---
code: ENV101
---
# ENV101 undefined-variable

## What it does

Finds `${X}` that no env file
defines.

Compose substitutes "".

## Why it matters

Things break.
"""


@pytest.fixture(autouse=True)
def fixed_rule_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only ENV101 has a page, with fixed text: snapshots must not follow the real pages."""
    from envlint import _ruledocs

    monkeypatch.setattr(_ruledocs, "read_page", lambda code: PAGE if code == "ENV101" else None)


def assert_snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("ENVLINT_UPDATE_SNAPSHOTS"):
        path.write_bytes(text.encode("utf-8"))
    assert path.is_file(), f"missing snapshot {name}: run with ENVLINT_UPDATE_SNAPSHOTS=1"
    assert text == path.read_bytes().decode("utf-8"), f"{name} differs"


@pytest.fixture
def report() -> Report:
    return sample_report()


@pytest.fixture
def build_report() -> Callable[..., Report]:
    return sample_report


@pytest.fixture
def build_finding() -> Callable[..., Finding]:
    return make_finding


@pytest.fixture
def snapshot() -> Callable[[str, str], None]:
    return assert_snapshot
