"""ENV502 missing-env-from-source: a container's ``envFrom`` names a ConfigMap or Secret without
``optional: true`` that the manifests do not define.  The kubelet refuses to start the
container (CreateContainerConfigError), and every variable the code expected from it is
missing.  A warning for a ConfigMap, info for a Secret: either may be created outside the
manifests (see ``_k8s``)."""

from __future__ import annotations

from collections.abc import Iterator

from envlint.findings import Severity, Violation
from envlint.rules._base import Context, Rule
from envlint.rules._k8s import missing_refs


def check(ctx: Context) -> Iterator[Violation]:
    for missing in missing_refs(ctx.ws, whole_object=True):
        ref = missing.ref
        project = missing.set.project
        ref_key = "configMapRef" if ref.kind == "ConfigMap" else "secretRef"
        yield Violation(
            location=ref.location,
            message=(
                f"workload {ref.service} in {project.label} takes its environment from "
                f"{ref.kind} {ref.name} (envFrom {ref_key}), but no manifest defines it"
                f"{missing.unless}; without optional: true the container will not start "
                "(CreateContainerConfigError)"
            ),
            service=ref.service,
            related=missing.related,
            severity=missing.severity,
            key=f"{project.label}:{ref.kind}/{ref.name}",
        )


RULE = Rule(
    code="ENV502",
    name="missing-env-from-source",
    severity=Severity.WARNING,
    summary="A Kubernetes envFrom names a ConfigMap/Secret the manifests do not define",
    check=check,
)
