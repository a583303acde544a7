"""ENV504 manifests-not-rendered: a Helm chart or kustomization envlint could not render, so
none of its workloads were checked.  Says why (no helm/kustomize binary on PATH, a remote base,
the renderer failed) and the command that feeds the rendered manifests to envlint.  Charts
skipped for want of a helm binary are one note for the repository, the others related."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from envlint.findings import Related, Severity, Violation
from envlint.model import Location
from envlint.rules._base import Context, Rule

if TYPE_CHECKING:
    from envlint.model import ManifestSet


def check(ctx: Context) -> Iterator[Violation]:
    no_helm: list[ManifestSet] = []
    for mset in ctx.ws.kubernetes:
        if not mset.skipped:
            continue
        if mset.missing_tool == "helm":
            no_helm.append(mset)
            continue
        yield _one(mset)
    if len(no_helm) == 1:
        yield _one(no_helm[0])
    elif no_helm:
        # one cause, one note: a repository of 39 charts gets one finding, not 39
        first, *others = sorted(no_helm, key=lambda m: _where(m).path)
        names = ", ".join(m.directory for m in (first, *others)[:3])
        more = f" and {len(no_helm) - 3} more" if len(no_helm) > 3 else ""
        yield Violation(
            location=_where(first),
            message=(
                f"{len(no_helm)} Helm charts ({names}{more}) were not rendered: no helm binary "
                "on PATH, so none of their workloads were checked; render each yourself: "
                "helm template CHART | envlint check --k8s - (or install helm)"
            ),
            key="charts without helm",
            related=tuple(
                Related(_where(m), f"{m.label}: not rendered (no helm binary)") for m in others
            ),
        )


def _one(mset: ManifestSet) -> Violation:
    return Violation(location=_where(mset), message=f"{mset.label} {mset.skipped}", key=mset.label)


def _where(mset: ManifestSet) -> Location:
    return mset.location or Location(mset.directory)


RULE = Rule(
    code="ENV504",
    name="manifests-not-rendered",
    severity=Severity.INFO,
    summary="A Helm chart or kustomization could not be rendered, so its workloads are unchecked",
    check=check,
)
