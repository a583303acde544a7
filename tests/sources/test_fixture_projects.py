"""Every Go and C# form of research Part A, in fixture projects (compose + code); C#
configuration files a program adds (``AddJsonFile``) and conditional-expression guards in a third.

Each read is annotated in the source with its expected name, missing/empty behaviour and type;
the index must find exactly those reads, and ENV201 must fire exactly on the crash reads that
the service's environment does not provide (and on no other line).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from envlint.config import Settings
from envlint.engine import lint
from envlint.model import ComposeProject, Service, Workspace
from envlint.pipeline import build_facts
from envlint.sources import build_index
from tests.sources.annotations import expected_reads

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PROJECTS = {
    "sources_go": {"PROVIDED_ADDR"},
    "sources_csharp": {"PROVIDED_ADDR", "Cache__Host"},
    "sources_csharp_config_files": set(),
}


def _load(name: str):  # type: ignore[no-untyped-def]
    from envlint.compose import load_workspace

    return load_workspace(FIXTURES / name, Settings(cache=False))


@pytest.mark.parametrize("project", sorted(PROJECTS))
def test_reads_match_annotations(project: str) -> None:
    ws = _load(project)
    index = build_index(ws)
    actual = {
        (r.location.path, r.name, r.location.line, r.missing, r.on_empty, r.expected_type)
        for r in index.reads
        if not r.is_pattern
    }
    expected = expected_reads(FIXTURES / project)
    assert expected, "fixture has annotations"
    assert actual - expected == set(), "unexpected or misclassified reads"
    assert expected - actual == set(), "missed or misclassified reads"


@pytest.mark.parametrize("project", sorted(PROJECTS))
def test_env201_fires_exactly_on_unprovided_crash_reads(project: str) -> None:
    report = lint([FIXTURES / project], Settings(select=("ENV201",), cache=False))
    actual = {(f.location.path, f.location.line, f.variable) for f in report.findings}
    expected = {
        (path, line, name)
        for path, name, line, missing, _, _ in expected_reads(FIXTURES / project)
        if missing == "crash" and name not in PROJECTS[project]
    }
    assert actual == expected


def test_skipped_files_are_not_read() -> None:
    index = build_index(_load("sources_go"))
    names = {r.name for r in index.reads}
    assert not names & {"TEST_ONLY", "VENDORED", "NOT_A_READ", "IN_A_COMMENT", "IN_A_RAW_STRING"}
    cs = build_index(_load("sources_csharp"))
    assert not {r.name for r in cs.reads} & {"GENERATED", "BUILD_OUTPUT", "IN_A_COMMENT"}


def test_patterns_and_dynamic_reads_are_kept_apart() -> None:
    index = build_index(_load("sources_go"))
    patterns = [r for r in index.reads if r.is_pattern]
    # `envconfig.Process("app", ...)` in svc/load.go: any APP_ key may be a field
    assert [p.name for p in patterns] == ["APP_*", "*_HOST"]
    assert index.dynamic_reads == 1  # the os.Expand closure parameter


def test_wrappers_carry_their_name_and_crash_location() -> None:
    index = build_index(_load("sources_go"))
    cart = next(r for r in index.reads if r.name == "CART_ADDR")
    assert cart.via == "mustMapEnv"
    assert cart.crash_location is not None
    assert cart.crash_location.path == "svc/main.go"
    catalog = next(r for r in index.reads if r.name == "CATALOG_ADDR")
    assert catalog.via == "mustMapEnv" and catalog.missing == "empty"


def test_by_service_maps_reads_to_their_service() -> None:
    ws = _load("sources_go")
    facts, _ = build_facts(ws, Settings(cache=False), {"sources"})
    assert facts.sources is not None
    svc = {r.name for r in facts.sources.of(*_service(ws, "svc"))}
    catalog = {r.name for r in facts.sources.of(*_service(ws, "catalog"))}
    assert "CART_ADDR" in svc and "CART_ADDR" not in catalog
    assert catalog == {"CATALOG_ADDR"}


def _service(ws: Workspace, name: str) -> tuple[ComposeProject, Service]:
    return next((p, s) for p, s in ws.services() if s.name == name)
