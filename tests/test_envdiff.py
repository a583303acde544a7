"""``envlint diff A B`` (#16 item 4): keys compared, values never shown."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from envlint.cli import cli
from tests.conftest import write_tree

CANARY = "canary-41d2-never-printed"


def _diff(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["diff", *args])
    return result.exit_code, result.output


def test_env_files_by_key(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "staging.env": f"A=1\nB={CANARY}\nOLD=x\nEMPTY_IN_PROD=on\nBARE\n",
            "prod.env": f"A=2\nB={CANARY}x\nNEW=y\nEMPTY_IN_PROD=\nBARE\n# C=commented\n",
        },
    )
    code, out = _diff(str(tmp_path / "staging.env"), str(tmp_path / "prod.env"))
    assert code == 1
    assert CANARY not in out
    assert "only in A (1):\n  OLD\n" in out
    assert "only in B (1):\n  NEW\n" in out
    assert "EMPTY_IN_PROD: set in A, empty in B" in out
    assert "4 keys in both" in out  # A, B, EMPTY_IN_PROD, BARE (a bare line is declared)
    code, out = _diff(str(tmp_path / "staging.env"), str(tmp_path / "prod.env"), "--format", "json")
    doc = json.loads(out)
    assert doc["keys"]["only_in_a"] == ["OLD"] and doc["same"] is False
    assert CANARY not in out
    code, out = _diff(str(tmp_path / "prod.env"), str(tmp_path / "prod.env"))
    assert code == 0 and "no differences in keys" in out


def test_two_stacks_per_service(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "staging/compose.yaml": """
                services:
                  api:
                    image: api
                    env_file: api.env
                    environment:
                      TOKEN:
                      MODE: staging
                  debug:
                    image: debug
            """,
            "staging/api.env": f"SECRET={CANARY}\n",
            "staging/.env": f"TOKEN={CANARY}\n",
            "prod/docker-compose.yml": """
                services:
                  api:
                    image: api
                    environment:
                      TOKEN:
                      MODE: prod
                      REPLICAS: "3"
                  worker:
                    image: worker
            """,
        },
    )
    code, out = _diff(str(tmp_path / "staging"), str(tmp_path / "prod" / "docker-compose.yml"))
    assert code == 1
    assert CANARY not in out
    assert "services only in A: debug" in out and "services only in B: worker" in out
    # staging's api gets SECRET (env_file) and TOKEN (.env); prod's lacks both, adds REPLICAS
    assert "service api:\n  only in A (2):\n    SECRET\n    TOKEN\n" in out
    assert "  only in B (1):\n    REPLICAS\n" in out


def test_usage_errors(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.env": "A=1\n", "compose.yaml": "services: {}\n"})
    code, out = _diff(str(tmp_path / "a.env"), str(tmp_path))
    assert code == 2 and "compare two env files, or two stacks" in out
    code, out = _diff(str(tmp_path / "a.env"), str(tmp_path / "missing.env"))
    assert code == 2 and "path does not exist" in out
    write_tree(tmp_path, {"bin.env": b"A=\x00\n"})
    code, out = _diff(str(tmp_path / "a.env"), str(tmp_path / "bin.env"))
    assert code == 2 and "NUL" in out and "Traceback" not in out
    write_tree(
        tmp_path, {"x/compose.yaml": "services:\n  a: [\n", "y/compose.yaml": "services: {}\n"}
    )
    code, out = _diff(str(tmp_path / "x"), str(tmp_path / "y"))
    assert code == 2 and "does not parse" in out


def _deploy(name: str, image: str, env: str, command: str = "") -> str:
    return (
        f"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {name}}}\nspec:\n"
        f"  template:\n    spec:\n      containers:\n        - name: {name}\n"
        f"          image: {image}\n          env: {env}\n{command}"
    )


def test_compose_against_kubernetes_pairs_deployments_of_the_same_code(tmp_path: Path) -> None:
    """A Compose stack and a manifest set (#17 item 6): paired by the program they run, keys
    compared with the code's required ones marked; a Secret's value never printed."""
    write_tree(
        tmp_path,
        {
            ".git/HEAD": "ref: refs/heads/main\n",
            "compose.yaml": "services:\n  web:\n    build: ./api\n    image: ghcr.io/acme/api\n"
            f"    environment: {{DATABASE_URL: '{CANARY}', LOG: debug}}\n"
            "  cache:\n    image: redis:7\n",
            "api/Dockerfile": "FROM python:3.12-slim\nCOPY . /app\n"
            'CMD ["python", "/app/main.py"]\n',
            "api/main.py": 'import os\n\nDB = os.environ["DATABASE_URL"]\nQ = os.environ["QUEUE"]\n'
            'LOG = os.environ.get("LOG", "info")\n',
            # named differently from the compose service: paired by the code it runs
            "deploy/prod/api.yaml": _deploy(
                "backend", "ghcr.io/acme/api:2", "[{name: QUEUE, value: orders}]"
            )
            + "---\n"
            + _deploy("worker", "busybox", "[]")
            + "---\napiVersion: v1\nkind: Service\nmetadata: {name: cache}\n"
            "spec: {ports: [{port: 6379}]}\n"
            + "---\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\n"
            f"stringData: {{K: {CANARY}}}\n",
        },
    )
    code, out = _diff(str(tmp_path / "compose.yaml"), str(tmp_path / "deploy/prod"))
    assert code == 1 and CANARY not in out
    assert "deployment web / deploy/backend:" in out
    assert "    DATABASE_URL  (the code requires it: api/main.py:3)\n" in out
    assert "    LOG\n" in out  # only in compose, read with a default: not marked
    assert "    QUEUE  (the code requires it: api/main.py:4)\n" in out
    assert "services only in A: cache" in out and "services only in B: deploy/worker" in out
    assert "SERVICE_HOST" not in out  # the kubelet's service links are nobody's configuration
    code, out = _diff(str(tmp_path / "compose.yaml"), str(tmp_path / "deploy/prod"), "--format",
                      "json")  # fmt: skip
    doc = json.loads(out)
    assert doc["kind"] == "deployments"
    pair = doc["services"]["web / deploy/backend"]
    assert pair["only_in_a"] == ["DATABASE_URL", "LOG"] and pair["only_in_b"] == ["QUEUE"]
    assert [r["key"] for r in pair["required_by_code"]] == ["DATABASE_URL", "QUEUE"]


def test_two_overlays_and_pairing_by_name_without_code(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "k8s/dev/app.yaml": _deploy("app", "nginx", "[{name: A, value: '1'}]"),
            "k8s/prod/kustomization.yaml": "resources: [app.yaml]\n",
            "k8s/prod/app.yaml": _deploy(
                "app", "nginx", "[{name: A, value: '2'}, {name: B, value: x}]"
            ),
        },
    )
    code, out = _diff(str(tmp_path / "k8s/dev"), str(tmp_path / "k8s/prod"))
    assert code == 1, out
    assert "deployment deploy/app / deploy/app:\n  only in B (1):\n    B\n  1 key in both" in out
    code, out = _diff(str(tmp_path / "k8s/dev/app.yaml"), str(tmp_path / "k8s/dev"))
    assert code == 0 and "no differences in keys" in out
