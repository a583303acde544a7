"""Where a repository keeps its Kubernetes manifests: plain files, kustomizations, Helm charts.

From the workspace's file list (the one directory walk), without running anything:

* Helm charts: directories holding ``Chart.yaml`` (not those inside another chart's
  ``charts/``, not library charts).  Nothing under a chart is a plain manifest.
* Kustomizations: directories holding ``kustomization.yaml`` (``.yml``, ``Kustomization``).
  :func:`scan_kustomization` follows ``resources``/``bases``/``components`` and patch paths to
  the files they use and refuses entries that are not local (a URL, a git reference, a path
  leaving the checked root or missing: kustomize would try to fetch it).  Only the *top*
  kustomizations are rendered: a base that an overlay uses is read through the overlay.
* Plain manifests: every other YAML file whose documents have ``apiVersion`` and ``kind``,
  grouped by directory (one set per directory).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from envlint.compose.yamlnodes import YamlError, YMap, YScalar, YSeq, load_yaml, string_items
from envlint.discovery import is_compose_file_name
from envlint.model import Location
from envlint.servicecode.repofiles import RepoFiles

__all__ = [
    "KUSTOMIZATION_NAMES",
    "Kustomization",
    "Layout",
    "find_layout",
    "kustomization_file",
    "scan_kustomization",
]

KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
_MAX_DEPTH = 30
_REMOTE_PREFIXES = ("github.com/", "gitlab.com/", "bitbucket.org/", "git@", "git::", "https:",
                    "http:", "ssh:", "file:", "oci:")  # fmt: skip
_PATH_LISTS = ("resources", "bases", "components", "crds", "patchesStrategicMerge")
_PATH_ITEMS = ("patches", "patchesJson6902", "replacements")


@dataclass
class Kustomization:
    """What one kustomization (and the bases it uses) reads, found without running it."""

    directory: str
    file: str
    files: list[str] = field(default_factory=list)  # YAML files it uses (its own tree)
    directories: list[str] = field(default_factory=list)  # kustomization dirs it uses
    refused: list[tuple[str, Location]] = field(default_factory=list)  # non-local entries
    # entries on disk that discovery left out (.gitignore, `exclude`, a skipped directory)
    left_out: list[tuple[str, Location]] = field(default_factory=list)
    helm: bool = False  # helmCharts: needs `kustomize build --enable-helm` (never enabled)


@dataclass(frozen=True)
class Layout:
    charts: tuple[str, ...]  # chart directories
    kustomizations: tuple[str, ...]  # top kustomization directories
    manifest_dirs: dict[str, tuple[str, ...]]  # directory -> YAML files that may be manifests


def kustomization_file(files: frozenset[str] | set[str], directory: str) -> str | None:
    for name in KUSTOMIZATION_NAMES:
        path = name if directory in ("", ".") else f"{directory}/{name}"
        if path in files:
            return path
    return None


def _remote(entry: str) -> bool:
    lowered = entry.lower()
    return "://" in entry or "?ref=" in entry or lowered.startswith(_REMOTE_PREFIXES)


_texts = string_items


def scan_kustomization(repo: RepoFiles, files: frozenset[str], directory: str) -> Kustomization:
    """The files and bases a kustomization uses, and its entries kustomize would fetch."""
    top = kustomization_file(files, directory) or f"{directory}/kustomization.yaml"
    found = Kustomization(directory, top)
    seen: set[str] = set()
    stack: list[tuple[str, int]] = [(directory, 0)]
    while stack:
        current, depth = stack.pop()
        if current in seen or depth > _MAX_DEPTH:
            continue
        seen.add(current)
        kfile = kustomization_file(files, current)
        if kfile is None:
            continue
        found.files.append(kfile)
        if current != directory:
            found.directories.append(current)
        doc = _load(repo, kfile)
        if doc is None:
            continue
        if doc.get("helmCharts") is not None or doc.get("helmChartInflationGenerator"):
            found.helm = True
        entries: list[tuple[str, Location]] = []
        for key in _PATH_LISTS:
            entries.extend(_texts(doc.get(key)))
        for key in _PATH_ITEMS:
            items = doc.get(key)
            for item in items.items if isinstance(items, YSeq) else ():
                path = item.get("path") if isinstance(item, YMap) else None
                if isinstance(path, YScalar) and isinstance(path.value, str):
                    entries.append((path.value, path.loc))
        for entry, loc in entries:
            if "\n" in entry:  # an inline patch
                continue
            target = posixpath.normpath(posixpath.join(current, entry))
            if _remote(entry) or target.startswith("../") or target == "..":
                found.refused.append((entry, loc))
            elif target in files:
                found.files.append(target)
            elif kustomization_file(files, target) is not None:
                stack.append((target, depth + 1))
            elif any(f.startswith(target + "/") for f in files):
                found.files.extend(f for f in files if f.startswith(target + "/"))
            elif repo.exists(target):
                found.left_out.append((entry, loc))
            else:
                found.refused.append((entry, loc))  # kustomize would try it as a remote
    return found


def _load(repo: RepoFiles, path: str) -> YMap | None:
    data = repo.read_bytes(path)
    if data is None:
        return None
    try:
        node = load_yaml(data, path)
    except YamlError:
        return None
    return node if isinstance(node, YMap) else None


def find_layout(repo: RepoFiles, files: tuple[str, ...]) -> Layout:
    """Charts, top kustomizations and candidate manifest files of the repository."""
    fileset = frozenset(files)
    charts = _charts(repo, files)
    kdirs = sorted({posixpath.dirname(f) or "." for f in files
                    if posixpath.basename(f) in KUSTOMIZATION_NAMES})  # fmt: skip
    kdirs = [d for d in kdirs if not _under_any(d, charts)]
    # a kustomize Component is only built as part of a kustomization that lists it
    tops_allowed = [d for d in kdirs if not _is_component(repo, fileset, d)]
    used: set[str] = set()
    consumed: set[str] = set()
    for directory in kdirs:
        scan = scan_kustomization(repo, fileset, directory)
        used.update(scan.directories)
        consumed.update(scan.files)
    tops = tuple(d for d in tops_allowed if d not in used)
    manifest_dirs: dict[str, list[str]] = {}
    for path in files:
        name = posixpath.basename(path)
        if not name.endswith((".yaml", ".yml")) or is_compose_file_name(name):
            continue
        directory = posixpath.dirname(path) or "."
        if (
            path in consumed
            or name in KUSTOMIZATION_NAMES
            or directory in kdirs
            or _under_any(directory, charts)
            or path.startswith((".github/", ".gitlab/", ".circleci/"))
        ):
            continue
        manifest_dirs.setdefault(directory, []).append(path)
    return Layout(tuple(charts), tops, {d: tuple(v) for d, v in manifest_dirs.items()})


def _is_component(repo: RepoFiles, files: frozenset[str], directory: str) -> bool:
    path = kustomization_file(files, directory)
    doc = _load(repo, path) if path is not None else None
    kind = doc.get("kind") if doc is not None else None
    return isinstance(kind, YScalar) and kind.value == "Component"


def _under_any(directory: str, roots: list[str]) -> bool:
    return any(directory == r or directory.startswith(r + "/") or r == "." for r in roots)


def _charts(repo: RepoFiles, files: tuple[str, ...]) -> list[str]:
    dirs = sorted(
        posixpath.dirname(f) or "." for f in files if posixpath.basename(f) == "Chart.yaml"
    )
    out: list[str] = []
    for directory in dirs:
        if any(directory.startswith(c + "/charts/") or c == "." for c in out):
            continue  # a subchart: its parent renders it
        doc = _load(repo, "Chart.yaml" if directory == "." else f"{directory}/Chart.yaml")
        kind = doc.get("type") if doc is not None else None
        if isinstance(kind, YScalar) and kind.value == "library":
            continue
        out.append(directory)
    return out
