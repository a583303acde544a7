"""Render kustomizations and Helm charts with the real tools, offline and bounded.

envlint never implements kustomize or Go templates: ``kustomize build`` (or ``kubectl
kustomize``) and ``helm template`` found on PATH render, and their output is read like any
manifests.  Running them on the checked repository's files is reading, not running the
repository: no plugin, post-renderer, exec function or Helm ``--dependency-update`` is ever
enabled, and the network is closed to them (proxies pointing at a closed local port, a fresh
empty HOME/KUBECONFIG/Helm home).  Remote bases are refused before anything runs
(:func:`remote_references`).  Output is capped in size and time.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["MAX_OUTPUT", "TIMEOUT", "Rendered", "Tool", "find_helm", "find_kustomize", "run"]

MAX_OUTPUT = 64 * 1024 * 1024
TIMEOUT = 120.0
_DEAD_PROXY = "http://127.0.0.1:9"  # the discard port: nothing listens, connections fail at once

# kubectl's log header (`E1204 22:17:24.891031    1652 run.go:72] `): a time and a process id
# that would make the same finding read differently on every run
_KLOG_HEADER = re.compile(r"^[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+\s+\d+ [^\]]+\] ")


@dataclass(frozen=True, slots=True)
class Tool:
    """A renderer found on PATH: the command prefix and its version for the report."""

    argv: tuple[str, ...]  # e.g. ("/usr/bin/kubectl", "kustomize")
    name: str  # "kustomize v5.5.0 (kubectl kustomize)", "helm v3.15.0"


@dataclass(frozen=True, slots=True)
class Rendered:
    text: str | None  # the manifests, or None when the tool failed
    error: str = ""  # the tool's first error line (no values: tools print names and paths)


def _environment(home: str) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": home,
        "KUBECONFIG": os.path.join(home, "kubeconfig"),  # noqa: PTH118 - str paths for env
        "HTTP_PROXY": _DEAD_PROXY,
        "HTTPS_PROXY": _DEAD_PROXY,
        "http_proxy": _DEAD_PROXY,
        "https_proxy": _DEAD_PROXY,
        "ALL_PROXY": _DEAD_PROXY,
        "NO_PROXY": "",
        "no_proxy": "",
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_ALLOW_PROTOCOL": "file",
        "HELM_CACHE_HOME": os.path.join(home, "helm-cache"),  # noqa: PTH118
        "HELM_CONFIG_HOME": os.path.join(home, "helm-config"),  # noqa: PTH118
        "HELM_DATA_HOME": os.path.join(home, "helm-data"),  # noqa: PTH118
        "HELM_PLUGINS": os.path.join(home, "helm-plugins"),  # noqa: PTH118
        "XDG_CONFIG_HOME": os.path.join(home, "config"),  # noqa: PTH118
        "XDG_CACHE_HOME": os.path.join(home, "cache"),  # noqa: PTH118
        "LANG": "C.UTF-8",
    }
    return env


def run(argv: list[str], cwd: Path | None = None) -> Rendered:
    """Run a renderer with no network, an empty home, bounded time and output."""
    with tempfile.TemporaryDirectory(prefix="envlint-render-") as home:
        try:
            proc = subprocess.run(
                argv,
                cwd=cwd or home,
                env=_environment(home),
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return Rendered(None, f"timed out after {TIMEOUT:g} s")
        except OSError as exc:
            return Rendered(None, exc.strerror or type(exc).__name__)
    if proc.returncode != 0:
        lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        first = next((ln.strip() for ln in lines if ln.strip()), f"exit {proc.returncode}")
        return Rendered(None, _KLOG_HEADER.sub("", first)[:300])
    if len(proc.stdout) > MAX_OUTPUT:
        return Rendered(None, f"output larger than {MAX_OUTPUT} bytes")
    try:
        return Rendered(proc.stdout.decode("utf-8"))
    except UnicodeDecodeError:
        return Rendered(None, "output is not UTF-8")


def _version(argv: list[str]) -> str:
    result = run(argv)
    if result.text is None:
        return ""
    for line in result.text.splitlines():
        for word in line.replace('"', " ").replace(",", " ").split():
            if word.startswith("v") and word[1:2].isdigit():
                return word.split("+")[0]
    return ""


def find_kustomize() -> Tool | None:
    """``kustomize`` on PATH, else ``kubectl`` (which embeds kustomize)."""
    standalone = shutil.which("kustomize")
    if standalone:
        return Tool((standalone, "build"), f"kustomize {_version([standalone, 'version'])}".strip())
    kubectl = shutil.which("kubectl")
    if kubectl:
        result = run([kubectl, "version", "--client"])
        version = ""
        for line in (result.text or "").splitlines():
            if line.startswith("Kustomize Version:"):
                version = line.split(":", 1)[1].strip()
        name = f"kustomize {version} (kubectl kustomize)" if version else "kubectl kustomize"
        return Tool((kubectl, "kustomize"), name.replace("  ", " "))
    return None


def find_helm() -> Tool | None:
    helm = shutil.which("helm")
    if not helm:
        return None
    return Tool((helm,), f"helm {_version([helm, 'version', '--short'])}".strip())
