"""Kubernetes and Helm as deployment sources (issue #17).

Manifest sets — plain manifests grouped by directory, kustomizations rendered by ``kustomize
build`` / ``kubectl kustomize``, Helm charts rendered by ``helm template``, ``--k8s`` files and
standard input — are read into :class:`~envlint.model.ManifestSet` objects whose containers
are deployment targets like compose services (``Workspace.services()`` yields both), so the
code rules (ENV201-ENV205) and the Kafka rules apply per workload unchanged.  Nothing here
judges; ENV501/ENV502/ENV504 and the Strimzi part of ENV301/ENV302 read the sets.
"""

from envlint.k8s.load import STDIN, load_kubernetes

__all__ = ["STDIN", "load_kubernetes"]
