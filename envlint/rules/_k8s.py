"""Shared by the Kubernetes reference rules (ENV501, ENV502): which ConfigMap or Secret a
reference names, and how sure envlint can be that a missing one is really missing."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass

from envlint.findings import Related, Severity
from envlint.k8s.model import ConfigObject, ConfigRef, ManifestSet
from envlint.model import Workspace

__all__ = ["Missing", "missing_refs"]


@dataclass(frozen=True, slots=True)
class Missing:
    """A non-optional reference the manifests cannot satisfy."""

    set: ManifestSet
    ref: ConfigRef
    found: ConfigObject | None  # the object when only the key is missing
    severity: Severity
    related: tuple[Related, ...]

    @property
    def unless(self) -> str:
        """What would make the finding wrong, said in the message when it is plausible."""
        if self.found is not None:
            return ""
        if self.ref.kind == "Secret":
            return (
                " (unless it is created outside these manifests: kubectl create secret, "
                "an operator)"
            )
        if not self.set.complete:
            return " (unless another set of manifests applied with this one defines it)"
        return ""


def _other_sets(ws: Workspace, current: ManifestSet) -> Iterator[ManifestSet]:
    """Sets that may be applied together with ``current`` (plain directories: ``kubectl apply
    -R``); a rendered kustomization, chart or --k8s input stands alone."""
    if current.complete:
        return
    for other in ws.kubernetes:
        if other is not current and not other.complete and not other.skipped:
            yield other


def missing_refs(ws: Workspace, *, whole_object: bool) -> Iterator[Missing]:
    """References of every set whose object or key is not defined: ``valueFrom`` key
    references when ``whole_object`` is false, ``envFrom`` objects when it is true.  Optional
    references and objects whose keys a controller creates (ExternalSecret...) are never
    reported."""
    for mset in ws.kubernetes:
        for ref in mset.refs:
            if ref.optional or (ref.key is None) != whole_object:
                continue
            obj = mset.config(ref.kind, ref.name, ref.namespace)
            if obj is None:
                obj = next(
                    (
                        found
                        for other in _other_sets(ws, mset)
                        if (found := other.config(ref.kind, ref.name, ref.namespace)) is not None
                    ),
                    None,
                )
            if obj is not None and not obj.keys_known:
                continue
            if obj is None:
                yield Missing(mset, ref, None, _severity(mset, ref), ())
                continue
            if ref.key is None or ref.key in obj.keys:
                continue
            keys = sorted(obj.keys)
            close = difflib.get_close_matches(ref.key, keys, n=1)
            if close:
                note = f"{ref.kind} {obj.name} is defined here; did you mean {close[0]!r}?"
            elif keys:
                shown = ", ".join(keys[:8]) + (" ..." if len(keys) > 8 else "")
                note = f"{ref.kind} {obj.name} is defined here with keys {shown}"
            else:
                note = f"{ref.kind} {obj.name} is defined here without any key"
            # an object without keys is often a placeholder filled at deploy time
            severity = Severity.ERROR if keys else Severity.WARNING
            yield Missing(mset, ref, obj, severity, (Related(obj.location, note),))


def _severity(mset: ManifestSet, ref: ConfigRef) -> Severity:
    """A missing object: certain for a ConfigMap of a rendered set; a Secret is often created
    outside the manifests, and a plain directory may be applied with others."""
    if ref.kind == "ConfigMap":
        return Severity.ERROR if mset.complete else Severity.WARNING
    return Severity.WARNING if mset.complete else Severity.INFO
