"""ENV504 manifests-not-rendered: a Helm chart or kustomization envlint could not render, so
none of its workloads were checked.  Says why (no helm/kustomize binary on PATH, a remote base,
the renderer failed) and the command that feeds the rendered manifests to envlint."""

from __future__ import annotations

from collections.abc import Iterator

from envlint.findings import Severity, Violation
from envlint.model import Location
from envlint.rules._base import Context, Rule


def check(ctx: Context) -> Iterator[Violation]:
    for mset in ctx.ws.kubernetes:
        if not mset.skipped:
            continue
        yield Violation(
            location=mset.location or Location(mset.directory),
            message=f"{mset.label} {mset.skipped}",
            key=mset.label,
        )


RULE = Rule(
    code="ENV504",
    name="manifests-not-rendered",
    severity=Severity.INFO,
    summary="A Helm chart or kustomization could not be rendered, so its workloads are unchecked",
    check=check,
)
