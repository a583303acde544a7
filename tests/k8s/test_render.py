"""A failed render's reason is the same text on every run (ENV504 messages are deterministic)."""

from __future__ import annotations

from envlint.k8s.render import _KLOG_HEADER


def test_kubectl_log_header_is_dropped_from_the_reason() -> None:
    reason = '"command failed" err="kustomization.yaml is empty"'
    assert _KLOG_HEADER.sub("", "E1204 22:17:24.891031    1652 run.go:72] " + reason) == reason
    plain = "error: accumulating resources: no such file"
    assert _KLOG_HEADER.sub("", plain) == plain
