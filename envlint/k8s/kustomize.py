"""envlint's own reader for the common subset of kustomize, used when neither ``kustomize`` nor
``kubectl`` is on PATH.  Everything it produces keeps the positions of the files it came from.

Supported (kustomize v5 semantics, sigs.k8s.io/kustomize/api): ``resources`` / ``bases`` (files
and local kustomization directories, recursively), ``configMapGenerator`` / ``secretGenerator``
(``literals``, ``envs`` / ``env``, ``files``; ``behavior`` create/merge/replace; the name hash is
left out: references are renamed with their objects, so nothing depends on it), strategic-merge
``patches`` / ``patchesStrategicMerge`` (files or inline; ``target`` by kind and name;
containers, init containers, ``env`` and volumes merged by name, ``envFrom`` replaced as the
patch strategy says, ``$patch: delete`` / ``replace``), ``namespace``, ``namePrefix`` /
``nameSuffix`` (ConfigMap/Secret references in containers renamed with their objects) and
``images``, and ``components`` (kind Component, applied after the resources to everything
accumulated so far, as kustomize does).  Keys that do not change containers' environment
(labels, annotations, replicas...) are ignored; JSON 6902 patches (``add``, ``replace``,
``remove``) apply to their target.  Anything else — replacements, vars, helmCharts, plugins,
remote bases — raises :class:`Unsupported`, and the set is reported as not rendered (ENV504)
instead of guessed.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

from envlint.compose.yamlnodes import (
    YamlError,
    YMap,
    YNode,
    YScalar,
    YSeq,
    dig,
    load_yaml_documents,
    scalar_text,
    string_items,
)
from envlint.model import Location
from envlint.servicecode.repofiles import RepoFiles

__all__ = ["BUILTIN", "Built", "Unsupported", "build"]

BUILTIN = "built-in kustomize reader"
_MAX_DEPTH = 30
# kustomization keys that cannot change a container's environment
_IGNORED = frozenset({
    "apiVersion", "kind", "metadata", "commonLabels", "labels", "commonAnnotations",
    "replicas", "buildMetadata", "sortOptions", "configurations", "crds", "openapi",
})  # fmt: skip
_HANDLED = frozenset({
    "resources", "bases", "patches", "patchesStrategicMerge", "configMapGenerator",
    "secretGenerator", "generatorOptions", "namespace", "namePrefix", "nameSuffix", "images",
    "components", "patchesJson6902",
})  # fmt: skip
# strategic merge: list fields merged by a key (k8s.io/api patchMergeKey); others are replaced
_MERGE_KEYS = {
    "containers": "name",
    "initContainers": "name",
    "ephemeralContainers": "name",
    "env": "name",
    "volumes": "name",
    "volumeMounts": "mountPath",
    "imagePullSecrets": "name",
    "ports": "containerPort",
}
_WORKLOAD_SPECS = {
    "Pod": ("spec",),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}


class Unsupported(Exception):
    """The kustomization uses something the built-in reader does not do."""

    def __init__(self, reason: str, location: Location) -> None:
        super().__init__(reason)
        self.reason = reason
        self.location = location


@dataclass(frozen=True)
class Built:
    docs: tuple[YMap, ...]
    files: tuple[str, ...]  # every file read (kustomizations, resources, patches, env files)


@dataclass
class _Res:
    doc: YMap
    names: set[str]  # every name the object had (patches may use the original one)


@dataclass
class _Reader:
    repo: RepoFiles
    files: frozenset[str]
    max_bytes: int
    read: list[str] = field(default_factory=list)

    # -- files ---------------------------------------------------------------------------------
    def load(self, path: str, where: Location) -> tuple[YNode | None, ...]:
        data = self.repo.read_bytes(path, limit=self.max_bytes + 1)
        if data is None:
            raise Unsupported(f"cannot read {path}", where)
        self.read.append(path)
        try:
            return load_yaml_documents(data, path, max_bytes=self.max_bytes)
        except YamlError as exc:
            raise Unsupported(f"{path}: {exc.problem.message}", exc.problem.location) from None

    def text(self, path: str, where: Location) -> str:
        data = self.repo.read_bytes(path, limit=self.max_bytes + 1)
        if data is None or len(data) > self.max_bytes:
            raise Unsupported(f"cannot read {path}", where)
        self.read.append(path)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise Unsupported(f"{path} is not UTF-8", where) from None

    def local(self, base: str, entry: str, where: Location) -> str:
        lowered = entry.lower()
        target = posixpath.normpath(posixpath.join(base, entry))
        if (
            "://" in entry
            or "?ref=" in entry
            or lowered.startswith(("github.com/", "git@"))
            or (target == ".." or target.startswith("../") or entry.startswith("/"))
        ):
            raise Unsupported(f"uses {entry!r}, which is not in this repository", where)
        return target

    def kustomization(self, directory: str) -> tuple[str, YMap]:
        for name in ("kustomization.yaml", "kustomization.yml", "Kustomization"):
            path = name if directory == "." else f"{directory}/{name}"
            if path in self.files:
                docs = self.load(path, Location(path))
                doc = docs[0] if docs else None
                if doc is None:
                    return path, YMap((), Location(path))
                if not isinstance(doc, YMap):
                    raise Unsupported(f"{path} is not a mapping", Location(path))
                return path, doc
        raise Unsupported(f"{directory} has no kustomization file", Location(directory))

    # -- one kustomization ---------------------------------------------------------------------
    def build(self, directory: str, depth: int) -> list[_Res]:
        """The resources a kustomization produces (a base is its own build)."""
        path, kust = self.kustomization(directory)
        resources: list[_Res] = []
        self.accumulate(directory, path, kust, resources, depth)
        return resources

    def accumulate(
        self, directory: str, path: str, kust: YMap, resources: list[_Res], depth: int
    ) -> None:
        """kustomize's order: resources, then components (each applied to everything
        accumulated so far), then this kustomization's generators and transformers."""
        if depth > _MAX_DEPTH:
            raise Unsupported("kustomizations nest too deep", Location(path))
        for key, _ in kust.items:
            name = key.value if isinstance(key.value, str) else ""
            if name not in _IGNORED and name not in _HANDLED:
                raise Unsupported(f"uses {name}, which the built-in reader does not do", key.loc)
        for entry, where in (*_texts(kust.get("resources")), *_texts(kust.get("bases"))):
            target = self.local(directory, entry, where)
            if target in self.files:
                resources.extend(_Res(d, {_name(d)}) for d in self._manifests(target, where))
            elif self.repo.is_dir(target):
                resources.extend(self.build(target, depth + 1))
            else:
                raise Unsupported(f"resource {entry!r} does not exist", where)
        for entry, where in _texts(kust.get("components")):
            target = self.local(directory, entry, where)
            if not self.repo.is_dir(target):
                raise Unsupported(f"component {entry!r} is not a directory", where)
            comp_path, component = self.kustomization(target)
            if _str(component.get("kind")) != "Component":
                raise Unsupported(f"{comp_path} is not a kustomize Component", where)
            self.accumulate(target, comp_path, component, resources, depth + 1)
        options = _map(kust.get("generatorOptions"))
        no_hash = _bool(_dig(options, "disableNameSuffixHash"))
        for section, kind in (("configMapGenerator", "ConfigMap"), ("secretGenerator", "Secret")):
            for gen in _seq(kust.get(section)):
                if isinstance(gen, YMap):
                    self.generate(directory, kind, gen, resources, no_hash)
        for patch, selector, at in self.patches(directory, kust):
            self.apply(patch, selector, resources, at)
        namespace = _str(kust.get("namespace"))
        prefix = _str(kust.get("namePrefix")) or ""
        suffix = _str(kust.get("nameSuffix")) or ""
        renames: dict[tuple[str, str], str] = {}
        for res in resources:
            kind = _str(res.doc.get("kind")) or ""
            old = _name(res.doc)
            new = prefix + old + suffix if (prefix or suffix) and kind != "Namespace" else old
            if kind in ("ConfigMap", "Secret") and new != old:
                renames[(kind, old)] = new
            res.doc = _set_meta(res.doc, new if new != old else None, namespace)
            res.names.add(new)
        images = [i for i in _seq(kust.get("images")) if isinstance(i, YMap)]
        for res in resources:
            res.doc = _rewrite_workload(res.doc, renames, images)

    def _manifests(self, path: str, where: Location) -> list[YMap]:
        out: list[YMap] = []
        for doc in self.load(path, where):
            if doc is None:
                continue
            if not isinstance(doc, YMap) or _str(doc.get("kind")) is None:
                raise Unsupported(f"{path} holds a document that is not an object", where)
            if _str(doc.get("kind")) == "List":
                out.extend(i for i in _seq(doc.get("items")) if isinstance(i, YMap))
            else:
                out.append(doc)
        return out

    # -- generators ------------------------------------------------------------------------
    def generate(
        self, directory: str, kind: str, gen: YMap, resources: list[_Res], no_hash: bool
    ) -> None:
        del no_hash  # names are renamed consistently; the hash suffix does not matter here
        name_node = gen.get("name")
        name = _str(name_node) or ""
        where = name_node.loc if name_node is not None else gen.loc
        behavior = _str(gen.get("behavior")) or "create"
        data: list[tuple[YScalar, YNode]] = []
        secret = kind == "Secret"
        for item, loc in _texts(gen.get("literals")):
            key, _, value = item.partition("=")
            data.append(_entry(key.strip(), _unquote(value), loc, secret))
        envs = [*_texts(gen.get("envs"))]
        env_one = gen.get("env")
        if isinstance(env_one, YScalar) and isinstance(env_one.value, str):
            envs.append((env_one.value, env_one.loc))
        for entry, loc in envs:
            path = self.local(directory, entry, loc)
            for number, line in enumerate(self.text(path, loc).splitlines(), start=1):
                if number == 1:
                    line = line.removeprefix("\ufeff")
                stripped = line.lstrip()
                if not stripped or stripped.startswith("#"):
                    continue
                key, eq, value = stripped.partition("=")
                column = len(line) - len(stripped) + 1
                data.append(_entry(key, value if eq else "", Location(path, number, column),
                                   secret))  # fmt: skip
        for entry, loc in _texts(gen.get("files")):
            key, eq, file_path = entry.partition("=")
            if not eq:
                key, file_path = posixpath.basename(entry), entry
            self.local(directory, file_path, loc)
            data.append(_entry(key, "", loc, True))  # a file's content is not an env value
        generated = YMap(
            (
                (YScalar("apiVersion", where), YScalar("v1", where)),
                (YScalar("kind", where), YScalar(kind, where)),
                (
                    YScalar("metadata", where),
                    YMap(((YScalar("name", where), YScalar(name, where)),), where),
                ),
                (YScalar("data", where), YMap(tuple(data), where)),
            ),
            where,
        )
        if behavior == "create":
            resources.append(_Res(generated, {name}))
            return
        existing = next((r for r in resources if _str(r.doc.get("kind")) == kind
                         and name in r.names), None)  # fmt: skip
        if existing is None:
            raise Unsupported(f"{kind} {name} to {behavior} is not defined by a base", where)
        if behavior == "replace":
            existing.doc = _with(existing.doc, "data", YMap(tuple(data), where))
        elif behavior == "merge":
            old = _map(existing.doc.get("data")) or YMap((), where)
            merged = {k.value: (k, v) for k, v in old.items}
            merged.update({k.value: (k, v) for k, v in data})
            existing.doc = _with(existing.doc, "data", YMap(tuple(merged.values()), where))
        else:
            raise Unsupported(f"generator behavior {behavior!r}", where)

    # -- patches ---------------------------------------------------------------------------
    def patches(
        self, directory: str, kust: YMap
    ) -> Iterator[tuple[YMap | YSeq, YMap | None, Location]]:
        for item in _seq(kust.get("patchesStrategicMerge")):
            if isinstance(item, YScalar) and isinstance(item.value, str):
                yield from self._patch_docs(directory, item.value, item, None)
        for item in (*_seq(kust.get("patches")), *_seq(kust.get("patchesJson6902"))):
            if not isinstance(item, YMap):
                continue
            target = _map(item.get("target"))
            path = item.get("path")
            inline = item.get("patch")
            if isinstance(path, YScalar) and isinstance(path.value, str):
                target_path = self.local(directory, path.value, path.loc)
                docs = self.load(target_path, path.loc)
                yield from self._checked(docs, target, path.loc)
            elif isinstance(inline, YScalar) and isinstance(inline.value, str):
                yield from self._inline(inline, target)
            else:
                raise Unsupported("a patch without path or patch", item.loc)

    def _patch_docs(
        self, directory: str, text: str, node: YScalar, target: YMap | None
    ) -> Iterator[tuple[YMap | YSeq, YMap | None, Location]]:
        if "\n" in text or text.lstrip().startswith(("{", "apiVersion")):
            yield from self._inline(node, target)
            return
        path = self.local(directory, text, node.loc)
        yield from self._checked(self.load(path, node.loc), target, node.loc)

    def _inline(
        self, node: YScalar, target: YMap | None
    ) -> Iterator[tuple[YMap | YSeq, YMap | None, Location]]:
        text = str(node.value)
        try:
            docs = load_yaml_documents(text.encode(), node.loc.path, max_bytes=self.max_bytes)
        except YamlError as exc:
            raise Unsupported(f"inline patch: {exc.problem.message}", node.loc) from None
        moved = tuple(_moved(d, node.loc) if d is not None else None for d in docs)
        yield from self._checked(moved, target, node.loc)

    def _checked(
        self, docs: Sequence[YNode | None], target: YMap | None, where: Location
    ) -> Iterator[tuple[YMap | YSeq, YMap | None, Location]]:
        for doc in docs:
            if doc is None:
                continue
            if isinstance(doc, YSeq):
                if target is None:
                    raise Unsupported("a JSON 6902 patch without a target", where)
                yield doc, target, where
                continue
            if not isinstance(doc, YMap):
                raise Unsupported("a patch that is not a mapping", where)
            yield doc, target, where

    def apply(self, patch: YMap | YSeq, target: YMap | None, resources: list[_Res],
              where: Location) -> None:  # fmt: skip
        if target is not None:
            unknown = {k.value for k, _ in target.items} - {"kind", "name", "group", "version"}
            if unknown:
                raise Unsupported(f"patch target by {sorted(map(str, unknown))[0]}", where)
            kind = _str(target.get("kind"))
            name = _str(target.get("name"))
            if name is not None and any(c in name for c in "*?[]()|^$\\+"):
                raise Unsupported("patch target by a name pattern", where)
        elif isinstance(patch, YMap):
            kind = _str(patch.get("kind"))
            name = _name(patch) or None
        else:
            raise Unsupported("a JSON 6902 patch without a target", where)
        matches = [r for r in resources
                   if (kind is None or _str(r.doc.get("kind")) == kind)
                   and (name is None or name in r.names)]  # fmt: skip
        if not matches and target is None:
            raise Unsupported(f"patch for {kind} {name} matches no resource", where)
        # a patch with a target that selects nothing does nothing (kustomize)
        for res in matches:
            if isinstance(patch, YSeq):
                res.doc = _json6902(res.doc, patch, where)
                continue
            merged = _merge(res.doc, _without_identity(patch) if target else patch, ())
            if merged is None:  # `$patch: delete` removes the object
                resources.remove(res)
            elif isinstance(merged, YMap):
                res.doc = merged
            else:
                raise Unsupported("a patch that turns its object into a list or scalar", where)


def build(repo: RepoFiles, files: frozenset[str], directory: str, max_bytes: int) -> Built:
    """The kustomization in ``directory`` rendered (raises :class:`Unsupported`)."""
    reader = _Reader(repo, files, max_bytes)
    resources = reader.build(directory, 0)
    return Built(tuple(r.doc for r in resources), tuple(dict.fromkeys(reader.read)))


# --------------------------------------------------------------------------- JSON 6902


def _json6902(doc: YMap, ops: YSeq, where: Location) -> YMap:
    """RFC 6902 ``add`` / ``replace`` / ``remove`` on ``doc`` as kustomize applies them (values
    keep the patch file's positions; ``replace`` of a missing key sets it and ``add`` creates
    missing parent maps, as kubectl kustomize v5.5.0 does); ``move``, ``copy`` and ``test``
    are not done."""
    node: YNode = doc
    for op in ops.items:
        name = _str(op.get("op")) if isinstance(op, YMap) else None
        path = _str(op.get("path")) if isinstance(op, YMap) else None
        if name not in ("add", "replace", "remove") or path is None or not isinstance(op, YMap):
            raise Unsupported(f"JSON 6902 op {name or '?'} (only add, replace, remove)", where)
        tokens = [t.replace("~1", "/").replace("~0", "~") for t in path.split("/")[1:]]
        value = op.get("value")
        if name != "remove" and value is None:
            raise Unsupported(f"JSON 6902 {name} without a value", where)
        node = _pointer(node, tokens, name, value, where)
    if not isinstance(node, YMap):
        raise Unsupported("a JSON 6902 patch that replaces its object", where)
    return node


def _pointer(node: YNode, tokens: list[str], op: str, value: YNode | None, where: Location
             ) -> YNode:  # fmt: skip
    if not tokens:
        if value is None:
            raise Unsupported("a JSON 6902 patch that removes its object", where)
        return _strip(value)
    head, rest = tokens[0], tokens[1:]
    if isinstance(node, YMap):
        child = node.get(head)
        if rest:
            if child is None and op == "add":
                child = YMap((), node.loc)  # kustomize creates the missing maps on add
            if child is None:
                raise Unsupported(f"JSON 6902 path through a missing key {head!r}", where)
            return _with(node, head, _pointer(child, rest, op, value, where))
        if op == "remove":
            if child is None:
                raise Unsupported(f"JSON 6902 {op} of a missing key {head!r}", where)
            return YMap(tuple((k, v) for k, v in node.items if k.value != head), node.loc,
                        node.tag)  # fmt: skip
        assert value is not None
        return _with(node, head, _strip(value))
    if isinstance(node, YSeq):
        items = list(node.items)
        if head == "-" and not rest and op == "add":
            assert value is not None
            return YSeq((*items, _strip(value)), node.loc, node.tag)
        if not head.isdigit() or int(head) > len(items) - (0 if op == "add" and not rest else 1):
            raise Unsupported(f"JSON 6902 index {head!r} out of range", where)
        index = int(head)
        if rest:
            items[index] = _pointer(items[index], rest, op, value, where)
        elif op == "add":
            assert value is not None
            items.insert(index, _strip(value))
        elif op == "replace":
            assert value is not None
            items[index] = _strip(value)
        else:
            del items[index]
        return YSeq(tuple(items), node.loc, node.tag)
    raise Unsupported(f"JSON 6902 path through a scalar at {head!r}", where)


# --------------------------------------------------------------------------- strategic merge


def _merge(base: YNode, patch: YNode, path: tuple[str, ...]) -> YNode | None:
    """``patch`` merged into ``base`` (None: delete)."""
    if isinstance(patch, YMap):
        directive = _str(patch.get("$patch"))
        if directive == "delete":
            return None
        if directive == "replace":
            return _strip(patch)
        if not isinstance(base, YMap):
            return _strip(patch)
        items = list(base.items)
        for key, value in patch.items:
            name = key.value
            if name == "$patch" or (isinstance(name, str) and name.startswith("$")):
                continue
            index = next((i for i, (k, _) in enumerate(items) if k.value == name), None)
            if isinstance(value, YScalar) and value.value is None:
                if index is not None:
                    del items[index]  # null deletes the key
                continue
            if index is None:
                items.append((key, _strip(value)))
                continue
            merged = _merge(items[index][1], value, (*path, str(name)))
            if merged is None:
                del items[index]
            else:
                items[index] = (items[index][0], merged)
        return YMap(tuple(items), base.loc, base.tag)
    if isinstance(patch, YSeq) and isinstance(base, YSeq) and path and path[-1] in _MERGE_KEYS:
        return _merge_list(base, patch, path, _MERGE_KEYS[path[-1]])
    return _strip(patch)


def _merge_list(base: YSeq, patch: YSeq, path: tuple[str, ...], key: str) -> YSeq:
    """A list merged by ``key`` as kustomize (kyaml) does it: the patch's items first, in its
    order (merged into the base item with the same key), then the base items the patch does
    not name, in their order (checked against kubectl kustomize v5.5.0)."""
    if any(isinstance(e, YMap) and _str(e.get("$patch")) == "replace" for e in patch.items):
        kept = (e for e in patch.items
                if not (isinstance(e, YMap) and _str(e.get("$patch")) == "replace"))  # fmt: skip
        return YSeq(tuple(_strip(e) for e in kept), patch.loc, base.tag)

    def ident(node: YNode) -> str | None:
        return _str(node.get(key)) if isinstance(node, YMap) else None

    originals = {ident(item): item for item in base.items if ident(item) is not None}
    used: set[str] = set()
    items: list[YNode] = []
    for entry in patch.items:
        name = ident(entry)
        if name is not None:
            used.add(name)
        original = originals.get(name) if name is not None else None
        if original is None:
            if not (isinstance(entry, YMap) and _str(entry.get("$patch")) == "delete"):
                items.append(_strip(entry))
            continue
        merged = _merge(original, entry, path)
        if merged is not None:
            items.append(merged)
    items.extend(item for item in base.items if ident(item) is None or ident(item) not in used)
    return YSeq(tuple(items), base.loc, base.tag)


def _strip(node: YNode) -> YNode:
    """``node`` without strategic-merge directives."""
    if isinstance(node, YMap):
        return YMap(tuple((k, _strip(v)) for k, v in node.items
                          if not (isinstance(k.value, str) and k.value.startswith("$patch"))),
                    node.loc, node.tag)  # fmt: skip
    if isinstance(node, YSeq):
        return YSeq(tuple(_strip(i) for i in node.items), node.loc, node.tag)
    return node


def _without_identity(patch: YMap) -> YMap:
    """A targeted patch's own apiVersion, kind and name do not change the target."""
    patch = YMap(tuple((k, v) for k, v in patch.items if k.value not in ("apiVersion", "kind")),
                 patch.loc, patch.tag)  # fmt: skip
    meta = _map(patch.get("metadata"))
    if meta is None:
        return patch
    kept = tuple((k, v) for k, v in meta.items if k.value != "name")
    return _with(patch, "metadata", YMap(kept, meta.loc, meta.tag))


# --------------------------------------------------------------------------- transformers


def _set_meta(doc: YMap, name: str | None, namespace: str | None) -> YMap:
    meta = _map(doc.get("metadata")) or YMap((), doc.loc)
    if name is not None:
        node = meta.get("name")
        loc = node.loc if node is not None else meta.loc
        meta = _with(meta, "name", YScalar(name, loc))
    if namespace:
        node = meta.get("namespace")
        loc = node.loc if node is not None else meta.loc
        meta = _with(meta, "namespace", YScalar(namespace, loc))
    return _with(doc, "metadata", meta)


def _rewrite_workload(
    doc: YMap, renames: dict[tuple[str, str], str], images: Sequence[YMap]
) -> YMap:
    """ConfigMap/Secret references of a workload's containers renamed with their objects, and
    ``images`` applied."""
    kind = _str(doc.get("kind")) or ""
    if kind not in ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob",
                    "Pod"):  # fmt: skip
        return doc
    spec_path = _WORKLOAD_SPECS.get(kind, ("spec", "template", "spec"))
    spec = _map(_dig(doc, *spec_path))
    if spec is None:
        return doc
    for section in ("initContainers", "containers"):
        containers = spec.get(section)
        if isinstance(containers, YSeq):
            spec = _with(spec, section, YSeq(tuple(
                _container(c, renames, images) if isinstance(c, YMap) else c
                for c in containers.items), containers.loc))  # fmt: skip
    return _put(doc, spec_path, spec)


def _container(node: YMap, renames: dict[tuple[str, str], str], images: Sequence[YMap]) -> YMap:
    refs = {"configMapRef": "ConfigMap", "secretRef": "Secret", "configMapKeyRef": "ConfigMap",
            "secretKeyRef": "Secret"}  # fmt: skip

    def rename(ref: YNode | None, kind: str) -> YNode | None:
        if not isinstance(ref, YMap):
            return ref
        name = ref.get("name")
        if isinstance(name, YScalar) and isinstance(name.value, str):
            new = renames.get((kind, name.value))
            if new is not None:
                return _with(ref, "name", YScalar(new, name.loc))
        return ref

    env_from = node.get("envFrom")
    if isinstance(env_from, YSeq):
        items = []
        for item in env_from.items:
            if isinstance(item, YMap):
                for key in ("configMapRef", "secretRef"):
                    if item.get(key) is not None:
                        item = _with(item, key, rename(item.get(key), refs[key]))  # type: ignore[arg-type]
            items.append(item)
        node = _with(node, "envFrom", YSeq(tuple(items), env_from.loc))
    env = node.get("env")
    if isinstance(env, YSeq):
        items = []
        for item in env.items:
            source = _map(item.get("valueFrom")) if isinstance(item, YMap) else None
            if isinstance(item, YMap) and source is not None:
                for key in ("configMapKeyRef", "secretKeyRef"):
                    if source.get(key) is not None:
                        source = _with(source, key, rename(source.get(key), refs[key]))  # type: ignore[arg-type]
                item = _with(item, "valueFrom", source)
            items.append(item)
        node = _with(node, "env", YSeq(tuple(items), env.loc))
    image = node.get("image")
    if isinstance(image, YScalar) and isinstance(image.value, str):
        node = _with(node, "image", YScalar(_image(image.value, images), image.loc))
    return node


def _image(reference: str, images: Sequence[YMap]) -> str:
    """kustomize's ``images`` transformer on one reference."""
    name, tag, digest = _split_image(reference)
    for entry in images:
        if _str(entry.get("name")) != name:
            continue
        new_name = _str(entry.get("newName")) or name
        new_tag = _str(entry.get("newTag"))
        new_digest = _str(entry.get("digest"))
        if new_digest:
            return f"{new_name}@{new_digest}"
        if new_tag is not None:
            return f"{new_name}:{new_tag}"
        return new_name + (f":{tag}" if tag else "") + (f"@{digest}" if digest else "")
    return reference


def _split_image(reference: str) -> tuple[str, str, str]:
    name, _, digest = reference.partition("@")
    slash = name.rfind("/")
    colon = name.rfind(":")
    tag = ""
    if colon > slash:
        name, tag = name[:colon], name[colon + 1 :]
    return name, tag, digest


# --------------------------------------------------------------------------- nodes


def _entry(key: str, value: str, loc: Location, secret: bool) -> tuple[YScalar, YScalar]:
    # a Secret's value never enters the model
    return YScalar(key, loc), YScalar("" if secret else value, loc)


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


_texts = string_items


def _seq(node: YNode | None) -> tuple[YNode, ...]:
    return node.items if isinstance(node, YSeq) else ()


def _map(node: YNode | None) -> YMap | None:
    return node if isinstance(node, YMap) else None


_str = scalar_text


def _bool(node: YNode | None) -> bool:
    return isinstance(node, YScalar) and node.value is True


_dig = dig


def _name(doc: YMap) -> str:
    return _str(_dig(doc, "metadata", "name")) or ""


def _with(node: YMap, key: str, value: YNode) -> YMap:
    """``node`` with ``key`` set to ``value`` (appended when absent)."""
    items = list(node.items)
    for index, (k, _) in enumerate(items):
        if k.value == key:
            items[index] = (k, value)
            break
    else:
        items.append((YScalar(key, value.loc), value))
    return YMap(tuple(items), node.loc, node.tag)


def _put(doc: YMap, path: Sequence[str], value: YNode) -> YMap:
    if not path:
        return value if isinstance(value, YMap) else doc
    child = _map(doc.get(path[0])) or YMap((), doc.loc)
    return _with(doc, path[0], _put(child, path[1:], value))


def _moved(node: YNode, loc: Location) -> YNode:
    """An inline patch's nodes located at the ``patch:`` entry that holds it."""
    if isinstance(node, YMap):
        return YMap(tuple((replace(k, loc=loc), _moved(v, loc)) for k, v in node.items), loc,
                    node.tag)  # fmt: skip
    if isinstance(node, YSeq):
        return YSeq(tuple(_moved(i, loc) for i in node.items), loc, node.tag)
    return replace(node, loc=loc)
