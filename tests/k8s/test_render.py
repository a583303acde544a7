"""Renderers: a failed render's reason is the same text on every run (ENV504 messages are
deterministic), and a Helm chart rendered through ``helm template``."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from envlint.cli import cli
from envlint.k8s.render import _KLOG_HEADER


def test_kubectl_log_header_is_dropped_from_the_reason() -> None:
    reason = '"command failed" err="kustomization.yaml is empty"'
    assert _KLOG_HEADER.sub("", "E1204 22:17:24.891031    1652 run.go:72] " + reason) == reason
    plain = "error: accumulating resources: no such file"
    assert _KLOG_HEADER.sub("", plain) == plain


FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
RENDERED = Path(__file__).resolve().parent / "helm_rendered" / "api-prod.yaml"


def test_helm_chart_rendered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A chart rendered by ``helm template`` with the values of ``[tool.envlint.k8s] helm``.

    Marked pre-rendered: no helm binary can be installed from the registries CI uses, so a
    stand-in ``helm`` on PATH answers ``version`` and, for exactly the arguments envlint must
    pass, prints the committed output of ``helm template`` for this chart (see its header)."""
    tree = tmp_path / "repo"
    shutil.copytree(FIXTURES / "k8s_helm_chart", tree)
    (tree / "envlint.toml").write_text(
        '[k8s]\nhelm = { chart = "chart", values = ["chart/values-prod.yaml"] }\n'
    )
    bin_dir, log = tmp_path / "bin", tmp_path / "argv.log"
    bin_dir.mkdir()
    expected = f"template chart {tree}/chart --skip-tests -f {tree}/chart/values-prod.yaml"
    helm = bin_dir / "helm"
    helm.write_text(
        "#!/bin/sh\n"
        f'echo "$*" >> "{log}"\n'
        'if [ "$1" = version ]; then echo "v3.16.2+g13654a5"; exit 0; fi\n'
        f'if [ "$*" = "{expected}" ]; then cat "{RENDERED}"; exit 0; fi\n'
        'echo "Error: unexpected arguments" >&2; exit 1\n'
    )
    helm.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")

    monkeypatch.chdir(tree)
    result = CliRunner().invoke(cli, ["check", "--format", "json", "--no-cache", "--fail-on",
                                      "never"])  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)

    assert log.read_text().splitlines() == ["version --short", expected]
    assert report["summary"]["manifest_sets"] == ["chart chart (helm v3.16.2)"]
    findings = report["findings"]
    env201 = [f for f in findings if f["code"] == "ENV201"]
    # QUEUE is only in the chart's default values; prod renders DATABASE_URL from a Secret
    assert [(f["variable"], f["service"], f["path"]) for f in env201] == [
        ("QUEUE", "deploy/api", "api/main.py")
    ]
    assert "workload deploy/api in chart chart" in env201[0]["message"]
    assert ["chart/templates/deployment.yaml", 1] in [
        [r["path"], r["line"]] for r in env201[0]["related"]
    ]
    (missing,) = [f for f in findings if f["code"] in ("ENV501", "ENV502")]
    assert missing["path"] == "chart/templates/deployment.yaml"
    assert "api-db" in missing["message"]
