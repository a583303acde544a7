"""Read every Kubernetes manifest set of a workspace (see the package doc)."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from envlint.compose.yamlnodes import (
    YamlError,
    YMap,
    YNode,
    YScalar,
    YSeq,
    dig,
    load_yaml,
    load_yaml_documents,
    scalar_text,
)
from envlint.config import ConfigError
from envlint.k8s.discover import find_layout, kustomization_file, scan_kustomization
from envlint.k8s.kustomize import BUILTIN, Unsupported
from envlint.k8s.kustomize import build as build_kustomization
from envlint.k8s.manifests import SHORT_KINDS, PathPart, SetBuilder, is_manifest
from envlint.k8s.render import Tool, find_helm, find_kustomize, run
from envlint.model import ComposeProject, Location, ManifestSet, Problem, ProblemKind, Workspace
from envlint.servicecode.provenance import ImageBuilds
from envlint.servicecode.repofiles import RepoFiles

if TYPE_CHECKING:
    from envlint.config import HelmChart, Settings

__all__ = ["STDIN", "load_kubernetes"]

STDIN = "<stdin>"
# A file of the repository is read as manifests when a line starts a document's ``apiVersion:``
# and one its ``kind:`` (a cheap test before parsing; the parse decides)
_TOP_KEYS = (re.compile(rb"(?m)^apiVersion:[ \t]*\S"), re.compile(rb"(?m)^kind:[ \t]*\S"))


def load_kubernetes(
    ws: Workspace, settings: Settings, builds: ImageBuilds | None = None
) -> Workspace:
    """``ws`` with its Kubernetes manifest sets (``Workspace.kubernetes``) and their problems;
    ``builds``: the repository's image builds, shared with the other steps that read them."""
    loader = _Loader(ws, settings, builds or ImageBuilds(ws))
    sets = loader.shared(loader.load())
    if not sets and not loader.problems:
        return ws
    problems = tuple(sorted({*ws.problems, *loader.problems}, key=_problem_key))
    return replace(ws, kubernetes=tuple(sets), problems=problems)


def _problem_key(p: Problem) -> tuple[str, int, int, str]:
    return (p.location.path, p.location.line, p.location.column, p.message)


# what SetBuilder.build was given: label, directory, renderer, documents, files, complete
_Args = tuple[str, str, str, list[YMap], list[str], bool]


class _Loader:
    def __init__(self, ws: Workspace, settings: Settings, builds: ImageBuilds) -> None:
        self.ws = ws
        self.builds = builds
        self.settings = settings
        # one byte over the limit: load_yaml_documents reports a larger file (ENV901)
        self.repo = RepoFiles(ws.root, settings.max_file_bytes + 1)
        self.problems: list[Problem] = []
        self._builder: SetBuilder | None = None
        self._kustomize: Tool | bool | None = False  # False: not looked up yet
        self._helm: Tool | bool | None = False
        self._documents: dict[str, list[YMap]] = {}  # a repository file's manifests, parsed once
        # how each set was built, to build it again with the other sets' ConfigMaps/Secrets
        self._inputs: dict[int, tuple[SetBuilder, _Args]] = {}

    # -- the plan ------------------------------------------------------------------------------
    def load(self) -> list[ManifestSet]:
        s = self.settings
        explicit = bool(s.k8s_cli or s.k8s_paths or s.k8s_kustomize or s.k8s_helm)
        sets: list[ManifestSet] = []
        if explicit:
            for path in (*s.k8s_paths, *(p for p in s.k8s_cli if p != "-")):
                sets.extend(self.paths(path))
            if "-" in s.k8s_cli:
                sets.append(self.stdin(s.k8s_stdin or b""))
            for directory in s.k8s_kustomize:
                sets.append(self.kustomization(_clean(directory)))
            for chart in s.k8s_helm:
                sets.append(self.chart(_clean(chart.chart), chart))
            return sets
        layout = find_layout(self.repo, self.ws.files)
        for directory, files in sorted(layout.manifest_dirs.items()):
            groups = self.alternatives(files)
            for group in groups:
                label = f"manifests {group[0] if len(groups) > 1 else directory}"
                found = self.plain(label, directory, group, complete=False)
                if found is not None:
                    sets.append(found)
        for directory in layout.kustomizations:
            sets.append(self.kustomization(directory))
        for directory in layout.charts:
            sets.append(self.chart(directory, None))
        return sets

    def _make(
        self,
        builder: SetBuilder,
        label: str,
        directory: str,
        renderer: str,
        docs: Sequence[YMap],
        files: Sequence[str],
        complete: bool,
    ) -> ManifestSet:
        args: _Args = (label, directory, renderer, list(docs), list(files), complete)
        built = builder.build(label, directory, renderer, docs, files, complete)
        self._inputs[id(built)] = (builder, args)
        return built

    def shared(self, sets: list[ManifestSet]) -> list[ManifestSet]:
        """Each set that references a ConfigMap/Secret it does not define but another set
        does, built again with the other sets' objects (see ``SetBuilder.shared``)."""
        out: list[ManifestSet] = []
        for mset in sets:
            pool = tuple(c for other in sets if other is not mset for c in other.configs)
            needs = any(
                mset.config(r.kind, r.name, r.namespace) is None
                and any(c.kind == r.kind and c.name == r.name for c in pool)
                for r in mset.refs
            )
            recorded = self._inputs.get(id(mset))
            if not needs or recorded is None:
                out.append(mset)
                continue
            builder, args = recorded
            label, directory, renderer, docs, files, complete = args
            rebuilt = replace(builder, shared=pool).build(
                label, directory, renderer, docs, files, complete
            )
            out.append(rebuilt)
        return out

    @property
    def builder(self) -> SetBuilder:
        if self._builder is None:
            found = self.builds.get().builds
            self._builder = SetBuilder(self.repo, found, self.settings.service_sources)
        return self._builder

    # -- plain files ---------------------------------------------------------------------------
    def documents(self, path: str, data: bytes | None = None) -> list[YMap]:
        if data is None:
            known = self._documents.get(path)
            if known is None:
                known = self._documents[path] = self._read_documents(path)
            return known
        return self._parse_documents(path, data)

    def _read_documents(self, path: str) -> list[YMap]:
        # at most one byte over the limit: load_yaml_documents reports a larger file
        data = self.repo.read_bytes(path, limit=self.settings.max_file_bytes + 1)
        return [] if data is None else self._parse_documents(path, data)

    def _parse_documents(self, path: str, data: bytes) -> list[YMap]:
        if not all(pattern.search(data) for pattern in _TOP_KEYS):
            return []
        try:
            docs = load_yaml_documents(data, path, max_bytes=self.settings.max_file_bytes)
        except YamlError as exc:
            if b"{{" not in data:  # a Go template outside a chart is not ours to report
                self.problems.append(exc.problem)
            return []
        return [d for d in docs if isinstance(d, YMap) and is_manifest(d)]

    def plain(
        self, label: str, directory: str, files: Sequence[str], complete: bool
    ) -> ManifestSet | None:
        docs: list[YMap] = []
        used: list[str] = []
        for path in files:
            found = self.documents(path)
            if found:
                docs.extend(found)
                used.append(path)
        if not docs:
            return None
        builder = replace(self.builder, locate=None, fallback=None)
        built = self._make(builder, label, directory, "files", docs, used, complete)
        if complete or built.workloads or built.configs or built.kafka:
            return built
        return None  # other tools' files with apiVersion/kind (skaffold, kind, CRDs...)

    def alternatives(self, files: Sequence[str]) -> list[list[str]]:
        """The files of one directory as the sets they form: one set, unless two files define
        the same workload (kind, namespace, name) — then they are alternatives (a quick start
        and an all-in-one file), since applying both would keep only one of each, and each
        file is a set of its own."""
        seen: dict[tuple[str, str, str], str] = {}
        for path in files:
            for doc in self.documents(path):
                kind = scalar_text(doc.get("kind"))
                if kind not in SHORT_KINDS:
                    continue
                name = scalar_text(dig(doc, "metadata", "name")) or ""
                key = (kind, scalar_text(dig(doc, "metadata", "namespace")) or "", name)
                if seen.setdefault(key, path) != path:
                    return [[f] for f in files]
        return [list(files)]

    def paths(self, given: str) -> list[ManifestSet]:
        """``--k8s PATH`` (absolute, from the command line) or ``k8s.paths`` (relative to the
        root): a file, a directory of manifests, or a kustomization directory."""
        rel = _inside(self.ws.root, given)
        if rel is None:
            raise ConfigError(f"--k8s {given}: not inside the checked directory {self.ws.root}")
        if self.repo.is_file(rel):
            found = self.plain(f"manifests {rel}", posixpath.dirname(rel) or ".", [rel], True)
            return [found] if found is not None else self._nothing(rel)
        if not self.repo.is_dir(rel):
            raise ConfigError(f"--k8s {given}: no such file or directory")
        if kustomization_file(frozenset(self.ws.files), rel) is not None:
            return [self.kustomization(rel)]
        prefix = "" if rel == "." else rel + "/"
        files = [f for f in self.ws.files if f.startswith(prefix) and f.endswith((".yaml", ".yml"))]
        found = self.plain(f"manifests {rel}", rel, files, True)
        return [found] if found is not None else self._nothing(rel)

    def _nothing(self, rel: str) -> list[ManifestSet]:
        self.problems.append(
            Problem(ProblemKind.NOTE, Location(rel), "--k8s: no Kubernetes manifests here")
        )
        return []

    def stdin(self, data: bytes) -> ManifestSet:
        docs = self.documents(STDIN, data)
        builder = replace(self.builder, locate=None, fallback=None)
        return self._make(builder, "stdin", ".", "stdin", docs, [STDIN], True)

    # -- kustomize -----------------------------------------------------------------------------
    def kustomization(self, directory: str) -> ManifestSet:
        files = frozenset(self.ws.files)
        scan = scan_kustomization(self.repo, files, directory)
        label = f"overlay {directory}"
        where = Location(scan.file)
        how = f"kustomize build {directory} | envlint check --k8s -"
        if scan.refused:
            entry, loc = scan.refused[0]
            why = (f"uses {entry!r}, which is not a file or directory of this repository "
                   "(kustomize would fetch it; envlint never touches the network)")  # fmt: skip
            return _skipped(label, directory, why + f"; render it yourself: {how}", loc)
        if scan.left_out:
            entry, loc = scan.left_out[0]
            why = (f"uses {entry!r}, which is on disk but not among the files envlint checks "
                   "(.gitignore ignores it and no Git index says Git tracks it, the exclude "
                   "setting drops it, or it lies below a directory envlint skips such as "
                   "build/)")  # fmt: skip
            return _skipped(label, directory, why + f"; render it yourself: {how}", loc)
        if scan.helm:
            why = "uses helmCharts, which needs kustomize --enable-helm (envlint never enables it)"
            return _skipped(label, directory, f"{why}; render it yourself: {how}", where)
        if self._kustomize is False:
            self._kustomize = find_kustomize()
        tool = self._kustomize
        if not isinstance(tool, Tool):
            return self.builtin_kustomization(label, directory, how)
        result = run([*tool.argv, str(self.ws.root / directory)])
        if result.text is None:
            why = f"{tool.name} failed: {result.error}"
            return _skipped(label, directory, why, where)
        try:
            docs = load_yaml_documents(result.text.encode(), scan.file)
        except YamlError as exc:
            return _skipped(label, directory, f"{tool.name} output: {exc.problem.message}", where)
        index = _SourceIndex(self, scan.files)
        builder = replace(self.builder, locate=index.locate, fallback=where)
        rendered = [d for d in docs if isinstance(d, YMap)]
        return self._make(builder, label, directory, tool.name, rendered, tuple(scan.files), True)

    def builtin_kustomization(self, label: str, directory: str, how: str) -> ManifestSet:
        """No kustomize on PATH: envlint's reader of the common subset (positions kept)."""
        try:
            built = build_kustomization(
                self.repo, frozenset(self.ws.files), directory, self.settings.max_file_bytes
            )
        except Unsupported as exc:
            why = (f"was not rendered: no kustomize or kubectl on PATH, and the built-in reader "
                   f"{_unsupported(exc.reason)}; render it yourself: {how}")  # fmt: skip
            return _skipped(label, directory, why, exc.location)
        builder = replace(self.builder, locate=None, fallback=None)
        return self._make(builder, label, directory, BUILTIN, built.docs, built.files, True)

    # -- helm ----------------------------------------------------------------------------------
    def chart(self, directory: str, config: HelmChart | None) -> ManifestSet:
        label = f"chart {directory}"
        chart_file = "Chart.yaml" if directory == "." else f"{directory}/Chart.yaml"
        where = self._chart_name(chart_file)
        values = config.values if config else ()
        sets = config.set if config else ()
        flags = "".join(f" -f {v}" for v in values) + "".join(f" --set {s}" for s in sets)
        how = f"helm template {directory}{flags} | envlint check --k8s -"
        if chart_file not in self.ws.files:
            return _skipped(label, directory, f"has no Chart.yaml; render it yourself: {how}",
                            where)  # fmt: skip
        if self._helm is False:
            self._helm = find_helm()
        tool = self._helm
        if not isinstance(tool, Tool):
            why = f"was not rendered: no helm binary on PATH; render it yourself: {how}"
            return _skipped(label, directory, why, where, missing_tool="helm")
        release = posixpath.basename(directory.rstrip("/")) if directory != "." else "release"
        argv = [*tool.argv, "template", release or "release", str(self.ws.root / directory),
                "--skip-tests"]  # fmt: skip
        for value in values:
            argv += ["-f", str(self.ws.root / _clean(value))]
        for item in sets:
            argv += ["--set", item]
        result = run(argv)
        if result.text is None:
            return _skipped(label, directory, f"{tool.name} template failed: {result.error}",
                            where)  # fmt: skip
        try:
            docs = load_yaml_documents(result.text.encode(), chart_file)
        except YamlError as exc:
            return _skipped(label, directory, f"{tool.name} output: {exc.problem.message}", where)
        sources = _helm_sources(result.text, directory)
        rendered = [d for d in docs if isinstance(d, YMap)]
        builder = replace(self.builder, locate=None, fallback=where)
        built = self._make(
            builder,
            label,
            directory,
            tool.name,
            _relocated(rendered, sources, where),
            (chart_file,),
            True,
        )
        return built

    def _chart_name(self, chart_file: str) -> Location:
        """Where Chart.yaml names the chart (the file's start when it cannot be read)."""
        data = self.repo.read_bytes(chart_file)
        try:
            doc = load_yaml(data, chart_file) if data is not None else None
        except YamlError:
            doc = None
        name = doc.get("name") if isinstance(doc, YMap) else None
        return (
            _key_loc(doc, "name")
            if isinstance(doc, YMap) and name is not None
            else Location(chart_file)
        )


def _key_loc(node: YMap, key: str) -> Location:
    return next((k.loc for k, _ in node.items if k.value == key), node.loc)


def _unsupported(reason: str) -> str:
    if reason.startswith("uses "):
        return f"cannot read it: it {reason}"
    return f"cannot read it: {reason}"


def _skipped(
    label: str, directory: str, why: str, where: Location, missing_tool: str = ""
) -> ManifestSet:
    project = ComposeProject(
        name=label, directory=directory, files=(), env_files=(), environment={}, services=(),
        refs=(), platform="kubernetes", label=label,
    )  # fmt: skip
    return ManifestSet(
        label, directory, "", project, skipped=why, location=where, missing_tool=missing_tool
    )


def _inside(root: Path, given: str) -> str | None:
    """``given`` relative to ``root`` with ``/``, or None when it lies outside."""
    path = Path(given)
    if not path.is_absolute():
        return _clean(given)
    try:
        rel = path.resolve().relative_to(root.resolve())
    except (ValueError, OSError):
        return None
    return _clean(rel.as_posix())


def _clean(path: str) -> str:
    text = path.replace("\\", "/").strip()
    text = posixpath.normpath(text.removeprefix("./")) if text else "."
    return text


_SOURCE_LINE = re.compile(r"^# Source: (\S+)", re.MULTILINE)


def _helm_sources(text: str, directory: str) -> list[tuple[int, str]]:
    """(line, repository path) of each ``# Source: chart/templates/x.yaml`` comment."""
    out: list[tuple[int, str]] = []
    for match in _SOURCE_LINE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        source = match.group(1)
        rest = source.split("/", 1)[1] if "/" in source else source
        path = rest if directory == "." else f"{directory}/{rest}"
        out.append((line, posixpath.normpath(path)))
    return out


def _relocated(docs: list[YMap], sources: list[tuple[int, str]], fallback: Location) -> list[YMap]:
    """Documents of helm output with every location moved to the template they came from
    (line 1: a position inside a Go template is not known)."""
    out: list[YMap] = []
    for doc in docs:
        path = next((p for line, p in reversed(sources) if line <= doc.loc.line), fallback.path)
        out.append(_moved(doc, Location(path)))  # type: ignore[arg-type]
    return out


def _moved(node: YNode, loc: Location) -> YNode:
    if isinstance(node, YMap):
        items = tuple((replace(k, loc=loc), _moved(v, loc)) for k, v in node.items)
        return YMap(items, loc, node.tag)
    if isinstance(node, YSeq):
        return YSeq(tuple(_moved(i, loc) for i in node.items), loc, node.tag)
    return replace(node, loc=loc)


class _SourceIndex:
    """Where a node of kustomize output is written: the same path in a source document of the
    same kind whose name the rendered name contains (namePrefix/nameSuffix), the overlay's own
    files (read last) winning."""

    def __init__(self, loader: _Loader, files: Sequence[str]) -> None:
        self.docs: dict[str, list[tuple[str, YMap]]] = {}
        for path in reversed(list(dict.fromkeys(files))):
            for doc in loader.documents(path):
                kind = doc.get("kind")
                name = _name(doc)
                if isinstance(kind, YScalar) and isinstance(kind.value, str) and name:
                    self.docs.setdefault(kind.value, []).append((name, doc))

    def locate(self, kind: str, name: str, path: tuple[PathPart, ...]) -> Location | None:
        candidates = [d for n, d in self.docs.get(kind, ()) if n == name]
        candidates += [d for n, d in self.docs.get(kind, ()) if n != name and n in name]
        best: tuple[int, Location] | None = None
        for doc in reversed(candidates):  # the overlay's own files last: they win on a tie
            depth, loc = _walk(doc, path)
            if best is None or depth > best[0]:
                best = (depth, loc)
        return best[1] if best is not None and best[0] > 0 else None


def _name(doc: YMap) -> str | None:
    meta = doc.get("metadata")
    name = meta.get("name") if isinstance(meta, YMap) else None
    return name.value if isinstance(name, YScalar) and isinstance(name.value, str) else None


def _walk(doc: YMap, path: tuple[PathPart, ...]) -> tuple[int, Location]:
    node: YNode = doc
    loc = doc.loc
    depth = 0
    for part in path:
        if isinstance(part, str):
            if not isinstance(node, YMap):
                break
            key = next((k for k, _ in node.items if k.value == part), None)
            if key is None:
                break
            node = node.get(part)  # type: ignore[assignment]
            loc = key.loc
        else:
            if not isinstance(node, YSeq):
                break
            item = next((i for i in node.items if isinstance(i, YMap)
                         and isinstance(n := i.get(part[0]), YScalar) and n.value == part[1]),
                        None)  # fmt: skip
            if item is None:
                break
            node = item
            name_node = item.get(part[0])
            loc = name_node.loc if name_node is not None else item.loc
        depth += 1
    return depth, loc
