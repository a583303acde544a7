"""ENV103: unresolved pass-through environment entries and build args (shared ones once)."""

from __future__ import annotations

from pathlib import Path

from envlint.compose import load_workspace
from envlint.config import Settings
from tests.conftest import run_lint, triples, write_tree

_SHARED_BUILD = """
    x-build: &build
      context: .
      args: [BASE_IMAGE, NODE_VERSION, EXPLICIT=1]
    services:
      web:
        build: *build
      worker:
        build: *build
      single:
        build:
          context: .
          args:
            REGISTRY:
            TAG: ${TAG}
"""


def test_build_arg_passthroughs_in_the_model(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {"compose.yaml": _SHARED_BUILD, ".env": "NODE_VERSION=22\n", "Dockerfile": "FROM x\n"},
    )
    (project,) = load_workspace(tmp_path, Settings()).projects
    web = project.service("web")
    single = project.service("single")
    assert web is not None and single is not None
    assert [(a.name, a.resolved, a.location.line) for a in web.build_args] == [
        ("BASE_IMAGE", False, 3),
        ("NODE_VERSION", True, 3),
    ]
    # a value, even an interpolated one, is not a pass-through; its ${} is an ordinary ref
    assert [(a.name, a.resolved) for a in single.build_args] == [("REGISTRY", False)]
    assert ("TAG", "services.single.build.args.TAG") in {(r.name, r.context) for r in project.refs}


def test_unset_build_arg_is_one_finding_per_entry(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {"compose.yaml": _SHARED_BUILD, ".env": "NODE_VERSION=22\n", "Dockerfile": "FROM x\n"},
    )
    report = run_lint(tmp_path, select=("ENV103",), cache=False)
    assert triples(report) == {("ENV103", "compose.yaml", 3), ("ENV103", "compose.yaml", 13)}
    shared = next(f for f in report.findings if f.location.line == 3)
    assert shared.variable == "BASE_IMAGE"
    assert shared.service is None
    assert shared.message.startswith("services web, worker pass build arg BASE_IMAGE through")
    assert "Compose leaves BASE_IMAGE out of the build" in shared.message
    assert "ARG BASE_IMAGE default applies" in shared.message
    single = next(f for f in report.findings if f.location.line == 13)
    assert single.service == "single"
    assert single.message.startswith("service single passes build arg REGISTRY through")


def test_build_arg_and_environment_entry_of_one_name_are_distinct(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "compose.yaml": """
                services:
                  web:
                    build: {context: ., args: [DEBUG]}
                    environment: [DEBUG]
            """,
            "Dockerfile": "FROM x\n",
        },
    )
    report = run_lint(tmp_path, select=("ENV103",), cache=False)
    assert len(report.findings) == 2
    assert len({f.fingerprint for f in report.findings}) == 2
    assert sum("build arg DEBUG" in f.message for f in report.findings) == 1
