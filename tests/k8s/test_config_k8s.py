"""[tool.envlint.k8s]: paths, kustomize, helm; unknown keys are errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from envlint.config import ConfigError, HelmChart, load_settings
from tests.conftest import run_lint, write_tree


def test_k8s_table(tmp_path: Path) -> None:
    config = tmp_path / "envlint.toml"
    config.write_text(
        '[k8s]\npaths = ["deploy"]\nkustomize = ["overlays/prod"]\n'
        'helm = { chart = "charts/api", values = ["v.yaml"], set = { replicas = 2 } }\n',
        encoding="utf-8",
    )
    settings = load_settings(config)
    assert settings.k8s_paths == ("deploy",)
    assert settings.k8s_kustomize == ("overlays/prod",)
    assert settings.k8s_helm == (HelmChart("charts/api", ("v.yaml",), ("replicas=2",)),)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[k8s]\nchart = "x"\n', "k8s.chart"),
        ('[k8s]\nhelm = { chart = "x", valuez = [] }\n', "k8s.helm.valuez"),
        ("[k8s]\nhelm = { values = [] }\n", "chart must be a path"),
    ],
)
def test_k8s_table_errors(tmp_path: Path, text: str, message: str) -> None:
    config = tmp_path / "envlint.toml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_settings(config)


def test_configured_paths_replace_discovery(tmp_path: Path) -> None:
    pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: %s}\nspec: {containers: []}\n"
    write_tree(tmp_path, {"deploy/a.yaml": pod % "a", "other/b.yaml": pod % "b"})
    discovered = run_lint(tmp_path)
    configured = run_lint(tmp_path, k8s_paths=("deploy",))
    assert discovered.summary.manifest_sets == (
        "manifests deploy (files)",
        "manifests other (files)",
    )
    assert configured.summary.manifest_sets == ("manifests deploy (files)",)
