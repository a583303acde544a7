"""Shared by the Kubernetes reference rules (ENV501, ENV502): which ConfigMap or Secret a
reference names, and how sure envlint can be that a missing one is really missing."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass

from envlint.findings import Related, Severity
from envlint.model import ConfigObject, ConfigRef, ManifestSet, Workspace

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
        how = (
            "kubectl create secret, an operator"
            if self.ref.kind == "Secret"
            else ("kubectl create configmap, Terraform, an operator")
        )
        return f" (unless it is created outside these manifests: {how})"


def _definitions(ws: Workspace, current: ManifestSet, ref: ConfigRef) -> list[ConfigObject]:
    """Every definition of the object ``ref`` names: in its own set first, then in the other
    sets of the repository (a kustomization or directory is often applied together with
    others: shared ConfigMaps in their own overlay, per-service overlays deployed by one
    skaffold run)."""
    own = current.config(ref.kind, ref.name, ref.namespace)
    if own is not None:
        return [own]
    return [
        found
        for other in ws.kubernetes
        if other is not current and not other.skipped
        if (found := other.config(ref.kind, ref.name, ref.namespace)) is not None
    ]


def missing_refs(ws: Workspace, *, whole_object: bool) -> Iterator[Missing]:
    """References of every set whose object or key is not defined: ``valueFrom`` key
    references when ``whole_object`` is false, ``envFrom`` objects when it is true.  Optional
    references, objects whose keys a controller creates (ExternalSecret...) and objects any
    set of the repository defines are never reported as missing; a key is missing when no
    definition of its object has it."""
    for mset in ws.kubernetes:
        for ref in mset.refs:
            if ref.optional or (ref.key is None) != whole_object:
                continue
            found = _definitions(ws, mset, ref)
            if any(not obj.keys_known for obj in found):
                continue
            if not found:
                yield Missing(mset, ref, None, _severity(ref), ())
                continue
            if ref.key is None or any(ref.key in obj.keys for obj in found):
                continue
            obj = found[0]
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


def _severity(ref: ConfigRef) -> Severity:
    """A missing object: no manifest of the repository defines it, but it may be created
    outside them — often so for a Secret."""
    return Severity.WARNING if ref.kind == "ConfigMap" else Severity.INFO
