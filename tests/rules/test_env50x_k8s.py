"""ENV501/ENV502/ENV504 edge cases and the code rules per Kubernetes workload."""

from __future__ import annotations

from pathlib import Path

from envlint.findings import Severity
from tests.conftest import run_lint, triples, write_tree


def _pod(name: str, env: str = "", env_from: str = "", image: str = "busybox") -> str:
    return f"""
apiVersion: v1
kind: Pod
metadata:
  name: {name}
spec:
  containers:
    - name: main
      image: {image}
      env: {env or "[]"}
      envFrom: {env_from or "[]"}
"""


def _severities(report: object, code: str) -> dict[tuple[str, int], str]:
    return {
        (f.location.path, f.location.line): f.severity.value
        for f in report.findings  # type: ignore[attr-defined]
        if f.code == code
    }


def test_missing_objects_are_softer_when_they_may_come_from_elsewhere(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "k8s/a.yaml": _pod(
                "a",
                env_from="[{configMapRef: {name: elsewhere}}, {secretRef: {name: made-by-hand}},"
                " {configMapRef: {name: nowhere}}, {secretRef: {name: external}},"
                " {secretRef: {name: maybe, optional: true}}]",
            ),
            "other/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: elsewhere}\n",
            "k8s/es.yaml": "apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\n"
            "metadata: {name: es}\nspec: {target: {name: external}}\n",
        },
    )
    report = run_lint(tmp_path)
    found = {f.message.split(" takes")[0] + f.message.split("from ")[1].split(" (")[0]: f.severity
             for f in report.findings if f.code == "ENV502"}  # fmt: skip
    assert found == {
        "workload pod/a in manifests k8sSecret made-by-hand": Severity.INFO,
        "workload pod/a in manifests k8sConfigMap nowhere": Severity.WARNING,
    }


def test_stdin_set_stands_alone_and_key_typos_are_errors(tmp_path: Path) -> None:
    from envlint.config import Settings
    from envlint.engine import lint

    manifests = _pod(
        "a",
        env="[{name: A, valueFrom: {configMapKeyRef: {name: cm, key: HOST}}},"
        " {name: B, valueFrom: {configMapKeyRef: {name: gone, key: X}}},"
        " {name: C, valueFrom: {secretKeyRef: {name: s, key: pasword}}},"
        " {name: D, valueFrom: {secretKeyRef: {name: empty, key: x}}},"
        " {name: E, valueFrom: {secretKeyRef: {name: s, key: nope, optional: true}}}]",
    ) + (
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {HOST: h}\n"
        "---\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {password: eA==}\n"
        "---\napiVersion: v1\nkind: Secret\nmetadata: {name: empty}\n"
    )
    write_tree(tmp_path, {"README.md": "x\n"})
    settings = Settings(k8s_cli=("-",), k8s_stdin=manifests.encode())
    report = lint([tmp_path], settings)
    messages = {f.variable: (f.severity, f.message) for f in report.findings if f.code == "ENV501"}
    assert set(messages) == {"B", "C", "D"}
    assert messages["B"][0] is Severity.WARNING  # a ConfigMap may be created elsewhere
    assert messages["C"][0] is Severity.ERROR
    assert "Secret s has no key 'pasword'" in messages["C"][1]
    assert messages["D"][0] is Severity.WARNING  # a Secret without keys: a placeholder
    related = next(f for f in report.findings if f.variable == "C").related
    assert "did you mean 'password'?" in related[0].message
    assert all("eA==" not in f.message for f in report.findings)


def test_code_rules_run_per_workload_whose_image_this_repo_builds(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "api/Dockerfile": 'FROM python:3.12-slim\nCOPY . /app\nENV LOG_LEVEL=info\n'
            'CMD ["python", "/app/main.py"]\n',
            "api/main.py": 'import os\n\nDATABASE_URL = os.environ["DATABASE_URL"]\n'
            'LOG_LEVEL = os.environ["LOG_LEVEL"]\nQUEUE = os.environ["QUEUE"]\n',
            ".github/workflows/build.yml": """
            on: push
            jobs:
              build:
                runs-on: ubuntu-latest
                steps:
                  - uses: docker/build-push-action@v6
                    with:
                      context: api
                      tags: ghcr.io/acme/api:latest
            """,
            "k8s/prod/api.yaml": _pod(
                "api",
                image="ghcr.io/acme/api:1.2.3",
                env="[{name: DATABASE_URL, value: 'postgres://db/app'}]",
                env_from="[{secretRef: {name: queue-secret}}]",
            ),
            "k8s/dev/api.yaml": _pod(
                "api", image="ghcr.io/acme/api:dev", env="[{name: QUEUE, value: q}]"
            ),
            "k8s/dev/redis.yaml": _pod("redis", image="redis:7"),
        },
    )
    report = run_lint(tmp_path)
    env201 = [f for f in report.findings if f.code == "ENV201"]
    # prod: QUEUE may come from the Secret envFrom (keys unknown); dev lacks DATABASE_URL
    assert [(f.variable, f.service) for f in env201] == [("DATABASE_URL", "pod/api")]
    assert "workload pod/api in manifests k8s/dev crashes at start" in env201[0].message
    assert "container spec does not provide it" in env201[0].message
    assert ("ENV201", "api/main.py", 3) in triples(report)
    assert not [f for f in report.findings if f.code == "ENV205"]


def test_unrendered_chart_says_how_to_feed_it(tmp_path: Path, monkeypatch: object) -> None:
    import envlint.k8s.load as load

    monkeypatch.setattr(load, "find_helm", lambda: None)  # type: ignore[attr-defined]
    write_tree(tmp_path, {"chart/Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0.0\n",
                          "chart/templates/d.yaml": "kind: {{ .Values.kind }}\n"})  # fmt: skip
    report = run_lint(tmp_path)
    (finding,) = [f for f in report.findings if f.code == "ENV504"]
    assert finding.location.path == "chart/Chart.yaml" and finding.location.line == 2
    assert "helm template chart | envlint check --k8s -" in finding.message
    assert finding.severity is Severity.INFO


def test_charts_without_helm_are_one_note(tmp_path: Path, monkeypatch: object) -> None:
    """39 charts on quarkus-super-heroes were 39 notes with one cause: now one, the others
    related; a chart skipped for another reason keeps its own note."""
    import envlint.k8s.load as load

    monkeypatch.setattr(load, "find_helm", lambda: None)  # type: ignore[attr-defined]
    chart = "apiVersion: v2\nname: c\nversion: 1.0.0\n"
    write_tree(tmp_path, {"charts/a/Chart.yaml": chart, "charts/b/Chart.yaml": chart,
                          "charts/c/Chart.yaml": chart})  # fmt: skip
    report = run_lint(tmp_path)
    (finding,) = [f for f in report.findings if f.code == "ENV504"]
    assert finding.location.path == "charts/a/Chart.yaml"
    assert finding.message.startswith("3 Helm charts (charts/a, charts/b, charts/c) were not")
    assert [r.location.path for r in finding.related] == [
        "charts/b/Chart.yaml",
        "charts/c/Chart.yaml",
    ]


def test_objects_of_other_sets_provide_their_keys(tmp_path: Path) -> None:
    """A per-service directory applied together with the shared ConfigMaps' directory: the
    shared object's keys are what the container gets (values where every definition agrees)."""
    cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shared}\ndata: {A: '1', B: %s}\n"
    write_tree(
        tmp_path,
        {
            "api/Dockerfile": 'FROM python:3.12-slim\nCOPY . /app\n'
            'CMD ["python", "/app/main.py"]\n',
            "api/main.py": 'import os\n\nA = int(os.environ["A"])\nB = int(os.environ["B"])\n'
            'C = os.environ["C"]\n',
            "skaffold.yaml": "apiVersion: skaffold/v4beta6\nkind: Config\nbuild:\n  artifacts:\n"
            "    - image: api\n      context: api\n",
            "svc/api.yaml": _pod("api", image="api", env_from="[{configMapRef: {name: shared}}]"),
            "config/dev/cm.yaml": cm % "'2'",
            "config/prod/cm.yaml": cm % "not-a-number",
        },
    )
    report = run_lint(tmp_path)
    env201 = {(f.variable, f.service) for f in report.findings if f.code == "ENV201"}
    assert env201 == {("C", "pod/api")}  # A and B come from the shared ConfigMap
    # B's value differs between the definitions: not judged; A's agrees and parses
    assert not [f for f in report.findings if f.code in ("ENV203", "ENV502")]


def test_env205_names_the_workload_and_a_quoted_config_key(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "worker/Dockerfile": 'FROM node:22\nWORKDIR /app\nCOPY . .\nCMD ["./run.sh"]\n',
            "worker/index.js": "console.log(process.env.X)\n",
            "skaffold.yaml": "apiVersion: skaffold/v4beta6\nkind: Config\nbuild:\n  artifacts:\n"
            "    - image: worker\n      context: worker\n",
            "k8s/worker.yaml": _pod("worker", image="worker"),
        },
    )
    report = run_lint(tmp_path)
    (finding,) = [f for f in report.findings if f.code == "ENV205"]
    assert "the program workload pod/worker in manifests k8s runs" in finding.message
    assert '[tool.envlint.services."pod/worker"] source' in finding.message
