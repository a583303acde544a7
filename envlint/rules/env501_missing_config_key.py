"""ENV501 missing-config-key: a container's ``env`` item reads ``valueFrom.configMapKeyRef`` /
``secretKeyRef`` without ``optional: true``, and the manifests do not define that key (or that
ConfigMap/Secret).  The kubelet refuses to start the container: CreateContainerConfigError.

An error when the object is defined and lacks the key; softer when the whole object is missing,
since it may be created outside the manifests (see ``_k8s``).
"""

from __future__ import annotations

from collections.abc import Iterator

from envlint.findings import Severity, Violation
from envlint.rules._base import Context, Rule
from envlint.rules._k8s import missing_refs


def check(ctx: Context) -> Iterator[Violation]:
    for missing in missing_refs(ctx.ws, whole_object=False):
        ref = missing.ref
        project = missing.set.project
        who = f"workload {ref.service} in {project.label}"
        if missing.found is not None:
            what = f"{ref.kind} {ref.name} has no key {ref.key!r}"
        else:
            what = f"no manifest defines {ref.kind} {ref.name}{missing.unless}"
        yield Violation(
            location=ref.key_location if missing.found and ref.key_location else ref.location,
            message=(
                f"{who} reads {ref.variable} from {ref.kind} {ref.name} key {ref.key!r}, but "
                f"{what}; the reference is not optional, so the container will not start "
                "(CreateContainerConfigError)"
            ),
            service=ref.service,
            variable=ref.variable,
            related=missing.related,
            severity=missing.severity,
            key=f"{project.label}:{ref.kind}/{ref.name}/{ref.key}",
        )


RULE = Rule(
    code="ENV501",
    name="missing-config-key",
    severity=Severity.ERROR,
    summary="A Kubernetes env valueFrom reads a ConfigMap/Secret key the manifests do not define",
    check=check,
)
