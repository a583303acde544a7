"""Manifests -> the environment the kubelet gives each container (envlint.k8s.manifests)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from envlint.compose import load_workspace
from envlint.config import Settings
from envlint.k8s import load_kubernetes
from envlint.model import Service, Workspace
from tests.conftest import run_lint, triples, write_tree

DEPLOY = """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      initContainers:
        - name: migrate
          image: ghcr.io/acme/api:1
          env:
            - name: MODE
              value: migrate
      containers:
        - name: api
          image: ghcr.io/acme/api:1
          envFrom:
            - configMapRef:
                name: base
            - prefix: DB_
              configMapRef:
                name: db
            - secretRef:
                name: creds
          env:
            - name: GREETING
              value: hello $(NAME) from $(REGION) and $(LATER)
            - name: LATER
              value: x
            - name: ESCAPED
              value: $$(NAME)
            - name: NAME
              value: overridden
            - name: POD_IP
              valueFrom:
                fieldRef:
                  fieldPath: status.podIP
            - name: TOKEN
              valueFrom:
                secretKeyRef:
                  name: creds
                  key: token
            - name: EMPTY
              value: ""
            - name: MAYBE
              valueFrom:
                configMapKeyRef:
                  name: base
                  key: NOPE
                  optional: true
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: base
data:
  NAME: base-name
  REGION: eu
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: db
data:
  HOST: db.internal
  REGION: shadowed-by-prefix
---
apiVersion: v1
kind: Secret
metadata:
  name: creds
stringData:
  token: super-secret-token-value
  NAME: secret-name
"""


def _workspace(root: Path, settings: Settings | None = None) -> Workspace:
    settings = settings or Settings()
    return load_kubernetes(load_workspace(root, settings), settings)


def _services(ws: Workspace) -> dict[str, Service]:
    return {s.name: s for m in ws.kubernetes for s in m.project.services}


def test_env_from_then_env_in_order_with_prefix_and_expansion(tmp_path: Path) -> None:
    ws = _workspace(write_tree(tmp_path, {"k8s/app.yaml": DEPLOY}))
    services = _services(ws)
    assert set(services) == {"deploy/api/migrate", "deploy/api"}  # one app container: no suffix
    env = services["deploy/api"].environment
    # envFrom in order: the Secret's NAME (later) replaces the ConfigMap's; prefix applies
    assert env["NAME"].value == "overridden"  # the env item wins over every envFrom
    assert env["DB_HOST"].value == "db.internal" and "DB_REGION" in env
    assert env["REGION"].value == "eu"
    # $(NAME) sees the Secret's NAME (declared before), whose value is unknown; $(LATER) is
    # declared after GREETING, so it stays as written
    assert env["GREETING"].unresolved
    assert env["GREETING"].value.endswith("from eu and $(LATER)")
    assert env["ESCAPED"].value == "$(NAME)"
    assert env["POD_IP"].unresolved and env["TOKEN"].unresolved
    assert env["EMPTY"].value == "" and not env["EMPTY"].unresolved
    assert "MAYBE" not in env  # optional and absent: the kubelet skips it
    assert services["deploy/api/migrate"].environment["MODE"].value == "migrate"


def test_secret_values_are_never_read(tmp_path: Path) -> None:
    ws = _workspace(write_tree(tmp_path, {"k8s/app.yaml": DEPLOY}))
    values = [v.value for s in _services(ws).values() for v in s.environment.values()]
    assert not any("super-secret" in v or "secret-name" in v for v in values)
    secret = next(c for m in ws.kubernetes for c in m.configs if c.kind == "Secret")
    assert set(secret.keys) == {"token", "NAME"} and not secret.values


def test_expansion_with_known_values(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pod.yaml": """
            apiVersion: v1
            kind: Pod
            metadata: {name: one}
            spec:
              containers:
                - name: main
                  image: busybox
                  envFrom: [{configMapRef: {name: c}}]
                  env:
                    - {name: URL, value: "postgres://$(HOST):$(PORT)/db"}
                    - {name: PORT, value: "6543"}
                    - {name: AGAIN, value: "$(PORT)"}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: c}
            data: {HOST: pg, PORT: "5432"}
            """
        },
    )
    env = _services(_workspace(tmp_path))["pod/one"].environment
    assert env["URL"].value == "postgres://pg:5432/db"  # PORT from the ConfigMap, declared before
    assert env["AGAIN"].value == "6543"  # the env item replaced it by then
    assert not env["URL"].unresolved


def test_every_workload_kind_and_restart_policy(tmp_path: Path) -> None:
    spec = "containers: [{name: c, image: busybox}]"
    docs = [
        f"apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {{name: db}}\nspec:\n  template:\n"
        f"    spec: {{{spec}}}\n",
        f"apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {{name: agent}}\nspec:\n  template:\n"
        f"    spec: {{{spec}}}\n",
        f"apiVersion: batch/v1\nkind: Job\nmetadata: {{name: once}}\nspec:\n  template:\n"
        f"    spec: {{restartPolicy: Never, {spec}}}\n",
        "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: nightly}\nspec:\n"
        "  jobTemplate:\n    spec:\n      template:\n"
        f"        spec: {{restartPolicy: OnFailure, {spec}}}\n",
        f"apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec: {{{spec}}}\n",
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}\n",
    ]
    write_tree(tmp_path, {"deploy/all.yaml": "---\n".join(docs)})
    services = _services(_workspace(tmp_path))
    assert {n: s.restart for n, s in services.items()} == {
        "sts/db": "always",
        "ds/agent": "always",
        "job/once": "no",
        "cronjob/nightly": "on-failure",
        "pod/p": "always",
    }
    # service links of the Service in the set
    assert services["pod/p"].environment["WEB_SERVICE_HOST"].unresolved


def test_locations_point_at_the_manifest(tmp_path: Path) -> None:
    ws = _workspace(write_tree(tmp_path, {"k8s/app.yaml": DEPLOY}))
    api = _services(ws)["deploy/api"]
    assert (api.location.path, api.location.line) == ("k8s/app.yaml", 15)
    assert api.environment["LATER"].origin is not None
    assert api.environment["LATER"].origin.line == 28


def test_files_that_are_not_manifests_are_ignored(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "config/app.yaml": "server:\n  kind: fast\n  apiVersion: 2\n",
            "openapi.yaml": "openapi: 3.0.0\ninfo: {title: x}\n",
            ".github/workflows/ci.yml": "apiVersion: v1\nkind: Pod\n",
            "templated.yaml": "apiVersion: v1\nkind: {{ .Kind }}\nmetadata: {name: {{ x }}}\n",
        },
    )
    ws = _workspace(tmp_path)
    assert ws.kubernetes == ()
    assert ws.problems == ()


def test_bad_yaml_alias_bomb_and_huge_file_are_env901(tmp_path: Path) -> None:
    bomb = "apiVersion: v1\nkind: ConfigMap\na: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(9)
    )
    huge = "apiVersion: v1\nkind: ConfigMap\ndata:\n" + "  k: v\n" * 200
    write_tree(
        tmp_path,
        {
            "k8s/broken.yaml": "apiVersion: v1\nkind: Pod\nmetadata: [unclosed\n",
            "k8s/bomb.yaml": bomb,
            "k8s/huge.yaml": huge,
            "k8s/ok.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
            "spec: {containers: []}\n",
        },
    )
    report = run_lint(tmp_path, max_file_bytes=1000)
    assert {(c, p) for c, p, _ in triples(report, "ENV901")} == {
        ("ENV901", "k8s/broken.yaml"),
        ("ENV901", "k8s/bomb.yaml"),
        ("ENV901", "k8s/huge.yaml"),
    }
    assert report.summary.manifest_sets == ("manifests k8s (files)",)


def test_stdin_and_explicit_paths_through_the_cli(tmp_path: Path, monkeypatch: object) -> None:
    from envlint.cli import cli

    write_tree(tmp_path, {"README.md": "nothing here\n"})
    import os

    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(
            cli, ["check", ".", "--k8s", "-", "--format", "json", "--no-cache"], input=DEPLOY
        )
        missing = CliRunner().invoke(cli, ["check", ".", "--k8s", "nope.yaml"])
        empty = CliRunner().invoke(cli, ["check", "."])
    finally:
        os.chdir(here)
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["summary"]["manifest_sets"] == ["stdin (stdin)"]
    assert "super-secret" not in result.output
    assert missing.exit_code == 2 and "no such file or directory" in missing.output
    assert empty.exit_code == 2  # no compose project, no manifests


def test_files_of_one_directory_that_define_the_same_workload_are_alternatives(
    tmp_path: Path,
) -> None:
    """A quick start and an all-in-one file side by side both define deploy/api: applying both
    would keep one of each, so each file is a set of its own; a directory whose files define
    different workloads stays one set."""
    deploy = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {name}}}\nspec:\n  template:\n"
        "    spec:\n      containers: [{{name: {name}, image: busybox, env: {env}}}]\n"
    )
    write_tree(
        tmp_path,
        {
            "quickstart.yaml": deploy.format(name="api", env="[]"),
            "all-in-one.yaml": deploy.format(name="api", env="[{name: A, value: '1'}]")
            + "---\n"
            + deploy.format(name="worker", env="[]"),
            "k8s/api.yaml": deploy.format(name="api", env="[]"),
            "k8s/worker.yaml": deploy.format(name="worker", env="[]"),
        },
    )
    settings = Settings(cache=False)
    ws = load_kubernetes(load_workspace(tmp_path, settings), settings)
    labels = {m.label: sorted(s.name for s in m.project.services) for m in ws.kubernetes}
    assert labels == {
        "manifests all-in-one.yaml": ["deploy/api", "deploy/worker"],
        "manifests quickstart.yaml": ["deploy/api"],
        "manifests k8s": ["deploy/api", "deploy/worker"],
    }
