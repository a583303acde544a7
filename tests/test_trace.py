"""envlint trace: definitions, per-service status, reads with behaviour; never values."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from envlint.config import Settings
from envlint.pipeline import build_facts
from envlint.trace import VarTrace, render_trace, trace
from tests.conftest import write_tree


def _traced(root: Path, name: str) -> VarTrace:
    from envlint.compose import load_workspace

    settings = Settings(cache=False)
    ws = load_workspace(root, settings)
    facts, failures = build_facts(ws, settings, {"sources"})
    assert not failures and facts.sources is not None
    return trace(ws, facts.sources, name)


def test_trace_end_to_end(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "compose.yaml": """
                services:
                  accounting:
                    build: ./src/accounting
                    environment:
                      - KAFKA_SESSION_TIMEOUT_MS
                  other:
                    image: busybox
                    environment:
                      KAFKA_SESSION_TIMEOUT_MS: "s3cr3t-value"
            """,
            ".env": "UNRELATED=1\n",
            "src/accounting/Consumer.cs": """
                public class C {
                    int S = int.Parse(
                        System.Environment.GetEnvironmentVariable("KAFKA_SESSION_TIMEOUT_MS")
                        ?? throw new System.Exception());
                }
            """,
        },
    )
    result = _traced(tmp_path, "KAFKA_SESSION_TIMEOUT_MS")
    assert [(d.kind, d.service) for d in result.definitions] == [("compose-environment", "other")]
    status = {s.service: s.status for s in result.services}
    assert status == {"accounting": "absent", "other": "provided"}
    passthrough = next(s.passthrough for s in result.services if s.service == "accounting")
    assert passthrough is not None and passthrough.line == 5
    [read] = result.reads
    assert (read.location.path, read.location.line) == ("src/accounting/Consumer.cs", 3)
    assert (read.missing, read.on_empty, read.expected_type) == ("crash", "crash", "int")
    assert read.services == ("accounting",)
    for fmt in ("text", "json"):
        rendered = render_trace(result, fmt)
        assert "s3cr3t" not in rendered
    doc = json.loads(render_trace(result, "json"))
    assert doc["reads"][0]["missing"] == "crash"
    assert "absent" in render_trace(result, "text")


def test_trace_unknown_variable(tmp_path: Path) -> None:
    write_tree(tmp_path, {"compose.yaml": "services:\n  a:\n    image: x\n"})
    result = _traced(tmp_path, "NOPE")
    assert result.definitions == () and result.reads == ()
    assert [s.status for s in result.services] == ["absent"]
    assert "nowhere" in render_trace(result)


def test_trace_names_a_bare_dotenv_line_as_inherited(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "compose.yaml": "services:\n  api:\n    image: api\n    environment: [TOKEN]\n",
            ".env": "OTHER=1\nTOKEN\n",
        },
    )
    result = _traced(tmp_path, "TOKEN")
    assert [(d.kind, d.location.path, d.location.line) for d in result.definitions] == [
        ("inherited", ".env", 2)
    ]
    text = render_trace(result)
    assert "nowhere" not in text.split("services")[0]
    assert "no value: taken from the environment docker compose runs in" in text
    assert json.loads(render_trace(result, "json"))["definitions"][0]["kind"] == "inherited"


STACKS = {
    "app/Dockerfile": 'FROM python:3.12\nCOPY . /app\nCMD ["python", "/app/main.py"]\n',
    "app/main.py": 'import os\n\nAPI_KEY = os.environ["API_KEY"]\n',
    "app/other.py": 'import os\n\nKEY = os.environ.get("API_KEY", "")\n',
    "docker-compose.yml": "services:\n  api:\n    build: ./app\n  db:\n    image: postgres\n",
    "docker-compose.override.yml": "services:\n  api:\n    environment:\n      API_KEY: dev\n",
    # a complete sibling: another base, with the override
    "docker-compose.arm64.yml": (
        "services:\n  api:\n    build: ./app\n    platform: linux/arm64\n"
        "  db:\n    image: postgres\n"
    ),
    # a partial file the Makefile combines with the default file (no override): another program
    "docker-compose.ci.yml": 'services:\n  api:\n    command: ["python", "/app/other.py"]\n',
    "Makefile": "ci:\n\tdocker compose -f docker-compose.yml -f docker-compose.ci.yml up\n",
}


def test_trace_names_the_stack_and_the_entrypoint_that_decided(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """#11 item 7: per service it lists, which stack (and why it is checked) and which
    entrypoint decided the service's code (program, how, file count)."""
    from click.testing import CliRunner

    from envlint.cli import cli

    write_tree(tmp_path, STACKS)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["trace", "API_KEY", "--isolated", "--format", "json"])
    assert result.exit_code == 0, result.output
    services = json.loads(result.output)["services"]
    seen = [(s["service"], s["stack_name"], s["stack_kind"], s["status"]) for s in services]
    assert seen == [
        ("api", "docker-compose.yml + docker-compose.override.yml", "default", "provided"),
        ("db", "docker-compose.yml + docker-compose.override.yml", "default", "absent"),
        ("api", "docker-compose.arm64.yml + docker-compose.override.yml", "base", "provided"),
        ("db", "docker-compose.arm64.yml + docker-compose.override.yml", "base", "absent"),
        ("api", "docker-compose.yml + docker-compose.ci.yml", "documented", "absent"),
        ("db", "docker-compose.yml + docker-compose.ci.yml", "documented", "absent"),
    ]
    code = [(s["code"]["program"], s["code"]["read_by"], s["code"]["files"]) for s in services]
    assert code == [
        ("app/main.py", "program", 1),
        (None, "none", None),  # postgres is not built here: no code, and why
        ("app/main.py", "program", 1),
        (None, "none", None),
        ("app/other.py", "program", 1),  # the CI layer's command runs another script
        (None, "none", None),
    ]
    assert "app/Dockerfile:2" in services[0]["code"]["how"]
    assert "found no build of its image" in services[1]["code"]["how"]
    assert services[4]["launchers"] == ["Makefile (make ci)"]
    assert [s["reads_it"] for s in services] == [True, False, True, False, True, False]

    text = CliRunner().invoke(cli, ["trace", "API_KEY", "--isolated"]).output
    services_part = text.split("services (")[1].split("read in code:")[0]
    assert services_part.splitlines()[1:] == [
        "  api: provided from environment at docker-compose.override.yml:4",
        "      in 2 stacks:",
        "        docker-compose.yml + docker-compose.override.yml (the default files)",
        "        docker-compose.arm64.yml + docker-compose.override.yml"
        " (another complete version of the default file)",
        "      code: app/main.py: the script is app/main.py (via app/Dockerfile:2)"
        " (1 source files linked into it)",
        "  api: absent",
        "      in stack docker-compose.yml + docker-compose.ci.yml"
        " (documented: started by Makefile (make ci))",
        "      code: app/other.py: the script is app/other.py (via app/Dockerfile:2)"
        " (1 source files linked into it)",
        "  (1 other services neither get nor read it)",  # db: no stack, no code shown for it
        "",
    ]
    # the read is listed once per service, whatever the number of stacks it is read in
    assert "fails at app/main.py:3  [api]" in text


def test_trace_says_when_no_program_was_found(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "compose.yaml": "services:\n  api:\n    build: ./app\n",
            "app/Dockerfile": "FROM python:3.12\nCOPY . /app\n",  # no CMD: nothing to follow
            "app/main.py": 'import os\n\nAPI_KEY = os.environ["API_KEY"]\n',
        },
    )
    from envlint.compose import load_workspace
    from envlint.engine import service_code

    settings = Settings(cache=False)
    ws = load_workspace(tmp_path, settings)
    facts, _ = build_facts(ws, settings, {"sources"})
    assert facts.sources is not None
    result = trace(ws, facts.sources, "API_KEY", code=service_code(ws, facts))
    (api,) = result.services
    assert api.code is not None and (api.code.program, api.code.by) == (None, "directory")
    assert api.stack_name == "compose.yaml" and api.stack_kind == "default"
    line = next(li for li in render_trace(result).splitlines() if "code:" in li)
    assert line.startswith("      code: no program found (")
    assert line.endswith("; the 2 files below its directory read")  # Dockerfile, main.py
    # without the service-code facts (an older caller) nothing about code is claimed
    assert "      code:" not in render_trace(trace(ws, facts.sources, "API_KEY"))


def test_trace_follows_kubernetes_workloads(tmp_path: Path) -> None:
    """`envlint trace` loads the Kubernetes sets as `check` does: a workload that gets the
    variable from a ConfigMap is listed with where, and a Secret's value is never shown."""
    from click.testing import CliRunner

    from envlint.cli import cli

    write_tree(
        tmp_path,
        {
            "compose.yaml": "services:\n  api:\n    build: ./api\n    image: ghcr.io/acme/api\n",
            "api/Dockerfile": "FROM python:3.12-slim\nCOPY . /app\n"
            'CMD ["python", "/app/main.py"]\n',
            "api/main.py": 'import os\n\nQ = os.environ["QUEUE"]\nT = os.environ["TOKEN"]\n',
            "k8s/api.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\n"
            "spec:\n  template:\n    spec:\n      containers:\n        - name: api\n"
            "          image: ghcr.io/acme/api:1\n          envFrom: [{configMapRef: {name: c}}]\n"
            "          env: [{name: TOKEN, valueFrom: {secretKeyRef: {name: s, key: t}}}]\n"
            "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {QUEUE: orders}\n"
            "---\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\n"
            "stringData: {t: canary-77-never-shown}\n",
        },
    )
    runner = CliRunner()
    result = runner.invoke(cli, ["trace", "QUEUE", str(tmp_path)])
    assert "k8s/api.yaml:16  k8s-configmap (deploy/api)" in result.output, result.output
    assert "  deploy/api: provided from k8s-configmap at k8s/api.yaml:16\n" in result.output
    assert "      in stack manifests k8s\n" in result.output
    assert "  api: absent\n" in result.output
    result = runner.invoke(cli, ["trace", "TOKEN", str(tmp_path)])
    assert "deploy/api: unresolved from k8s-secret at k8s/api.yaml:21" in result.output
    assert "canary-77" not in result.output
