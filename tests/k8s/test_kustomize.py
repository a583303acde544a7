"""The built-in kustomize reader against a real kustomize (kubectl kustomize) on the same
overlays, and on its own where no kustomize is installed."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

import envlint.k8s.load as load
from envlint.compose import load_workspace
from envlint.config import Settings
from envlint.k8s.kustomize import BUILTIN
from envlint.k8s.render import find_kustomize
from envlint.model import ManifestSet, Workspace
from tests.conftest import run_lint, triples, write_tree

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "k8s_kustomize"
_REMOTE = "not a file or directory of this repository"
_HASH = re.compile(r"-[a-z0-9]{10}$")


def _sets(root: Path, *, builtin: bool, monkeypatch: pytest.MonkeyPatch) -> dict[str, ManifestSet]:
    if builtin:
        monkeypatch.setattr(load, "find_kustomize", lambda: None)
    else:
        monkeypatch.undo()
    settings = Settings(cache=False)
    ws: Workspace = load.load_kubernetes(load_workspace(root, settings), settings)
    return {m.label: m for m in ws.kubernetes}


def _plain(name: str) -> str:
    return _HASH.sub("", name)


def _view(mset: ManifestSet) -> dict[str, Any]:
    """What the rules see of a set, with kustomize's generator hashes left out."""
    services = {
        s.name: (
            s.image,
            s.restart,
            {k: (v.source.value, None if v.unresolved else v.value) for k, v in
             s.environment.items()},
            tuple(_plain(o.name) for o in s.open_sources),
        )
        for s in mset.project.services
    }  # fmt: skip
    configs = sorted((c.kind, _plain(c.name), c.namespace or "", tuple(sorted(c.keys)))
                     for c in mset.configs)  # fmt: skip
    refs = sorted((r.service, r.kind, _plain(r.name), r.key or "", r.optional, r.variable or "")
                  for r in mset.refs)  # fmt: skip
    return {"services": services, "configs": configs, "refs": refs}


def test_builtin_reader_renders_the_common_subset(monkeypatch: pytest.MonkeyPatch) -> None:
    sets = _sets(FIXTURE, builtin=True, monkeypatch=monkeypatch)
    assert set(sets) == {
        "overlay deploy/overlays/dev",
        "overlay deploy/overlays/prod",
        "overlay deploy/overlays/staging",
    }
    prod = sets["overlay deploy/overlays/prod"]
    assert prod.renderer == BUILTIN
    services = {s.name: s for s in prod.project.services}
    assert set(services) == {
        "deploy/prod-api-v2/migrate",
        "deploy/prod-api-v2/api",
        "deploy/prod-api-v2/proxy",
        "cronjob/prod-report-v2",
    }
    api = services["deploy/prod-api-v2/api"]
    env = api.environment
    assert api.image == "ghcr.io/acme/api:2.3.1"  # images: newTag
    assert env["LOG_LEVEL"].value == "warn"  # generator behavior: merge
    assert env["GREETING"].value == "hello world"  # literal quotes removed
    assert env["WORKERS"].value == "4" and env["EMPTY"].value == ""  # envs file
    assert env["APP_REGION"].value == "eu-west-1"  # envFrom prefix on a renamed ConfigMap
    assert env["DATABASE_URL"].value == "postgres://db/app"
    assert env["CACHE_URL"].value == "redis://eu-west-1.cache:6379"
    assert "DEBUG" not in env  # $patch: delete
    assert env["TIMEOUT"].value == "30"  # configMapKeyRef renamed with its object
    assert env["DB_PASSWORD"].unresolved  # a Secret: never read
    assert services["deploy/prod-api-v2/proxy"].environment["UPSTREAM"].value == "localhost:9090"
    # positions come from the files the values are written in
    assert env["CACHE_URL"].origin is not None
    assert env["CACHE_URL"].origin.path == "deploy/overlays/prod/env-patch.yaml"
    assert env["WORKERS"].origin is not None
    assert (env["WORKERS"].origin.path, env["WORKERS"].origin.line) == ("deploy/base/api.env", 3)
    assert all(c.namespace == "prod" for c in prod.configs)
    dev = {s.name: s for s in sets["overlay deploy/overlays/dev"].project.services}
    assert set(dev["deploy/api/api"].environment) >= {"REGION", "TIMEOUT", "DB_PASSWORD"}
    assert "APP_REGION" not in dev["deploy/api/api"].environment  # envFrom replaced
    staging = sets["overlay deploy/overlays/staging"]
    api = next(s for s in staging.project.services if s.name == "deploy/api/api")
    # the component's generator and JSON 6902 add; the targeted patch's own kind is ignored
    assert api.environment["OTEL_EXPORTER_OTLP_ENDPOINT"].value == "http://collector:4317"
    assert api.environment["STAGE"].value == "staging"
    # `$patch: delete` removed ConfigMap settings from this overlay
    assert {(c.kind, c.name) for c in staging.configs} == {
        ("ConfigMap", "api-env"),
        ("ConfigMap", "tracing"),
        ("Secret", "api-secret"),
    }
    origin = api.environment["STAGE"].origin
    assert origin is not None and origin.path == "deploy/overlays/staging/kustomization.yaml"


@pytest.mark.skipif(find_kustomize() is None, reason="no kustomize or kubectl on PATH")
def test_builtin_reader_agrees_with_kustomize(monkeypatch: pytest.MonkeyPatch) -> None:
    builtin = _sets(FIXTURE, builtin=True, monkeypatch=monkeypatch)
    real = _sets(FIXTURE, builtin=False, monkeypatch=monkeypatch)
    assert set(real) == set(builtin)
    for label in real:
        assert real[label].renderer.startswith("kustomize") or "kubectl" in real[label].renderer
        assert _view(builtin[label]) == _view(real[label]), label


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        ("replacements: []\n", "uses replacements"),
        ("patches:\n  - patch: '[{\"op\": \"add\", \"path\": \"/x\", \"value\": 1}]'\n",
         "JSON 6902 patch without a target"),
        ("resources:\n  - github.com/acme/base?ref=v1\n", _REMOTE),
        ("resources:\n  - ../../outside\n", _REMOTE),
    ],
)
def test_what_the_reader_does_not_do_is_reported_not_guessed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: str, reason: str
) -> None:
    monkeypatch.setattr(load, "find_kustomize", lambda: None)
    write_tree(tmp_path, {"k/kustomization.yaml": extra, "k/c/kustomization.yaml": "{}\n"})
    report = run_lint(tmp_path)
    (finding,) = [f for f in report.findings if f.code == "ENV504"]
    assert reason in finding.message
    assert "kustomize build k | envlint check --k8s -" in finding.message


_IGNORED_BASE = {
    ".gitignore": "app\n",  # meant for a compiled binary
    "k8s/base/app/kustomization.yaml": "resources: [deployment.yaml]\n",
    "k8s/base/app/deployment.yaml": """\
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: app}
        spec:
          template:
            spec:
              containers: [{name: app, image: acme/app, env: [{name: PORT, value: "8000"}]}]
        """,
    "k8s/overlays/dev/kustomization.yaml": "namespace: dev\nresources:\n  - ../../base/app\n",
}


@pytest.mark.parametrize("builtin", [True, False])
def test_a_base_that_gitignore_matches_but_git_tracks_is_rendered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, builtin: bool
) -> None:
    from tests.test_gitindex import index

    if not builtin and find_kustomize() is None:
        pytest.skip("no kustomize or kubectl on PATH")
    write_tree(tmp_path, _IGNORED_BASE)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git/index").write_bytes(index(sorted(_IGNORED_BASE), 4))
    sets = _sets(tmp_path, builtin=builtin, monkeypatch=monkeypatch)
    assert sets["overlay k8s/overlays/dev"].workloads == (("Deployment", "app"),)
    assert not [f for f in run_lint(tmp_path).findings if f.code == "ENV504"]


def test_a_base_that_gitignore_matches_without_an_index_is_said_to_be_left_out(
    tmp_path: Path,
) -> None:
    write_tree(tmp_path, _IGNORED_BASE)
    (finding,) = [f for f in run_lint(tmp_path).findings if f.code == "ENV504"]
    assert _REMOTE not in finding.message
    assert "'../../base/app', which is on disk but not among the files envlint checks" in (
        finding.message
    )


def test_rules_on_an_overlay_point_at_the_source_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(load, "find_kustomize", lambda: None)
    shutil.copytree(FIXTURE, tmp_path / "p")
    report = run_lint(tmp_path / "p")
    # the overlay's patch reads Secret sentry, which no manifest defines; envFrom of
    # report-creds likewise: a Secret, so a warning for a rendered overlay
    assert ("ENV501", "deploy/overlays/prod/env-patch.yaml", 18) in triples(report)
    assert ("ENV502", "deploy/overlays/prod/extra.yaml", 19) in triples(report)
    assert report.summary.manifest_sets == (
        f"overlay deploy/overlays/dev ({BUILTIN})",
        f"overlay deploy/overlays/prod ({BUILTIN})",
        f"overlay deploy/overlays/staging ({BUILTIN})",
    )
