"""``envlint diff A B``: two env files, or two stacks' resolved environments per service, compared
by key (issue #16 item 4).  Values are never part of the result — only whether a key is set, set
but empty, or declared without a value (a bare ``KEY`` line).

Env files are read with Compose's own dotenv parser (interpolation inside the file as Compose
does it, nothing from the machine running envlint).  A stack is a directory holding compose
files (its default stack, with its ``.env``) or one compose file; each service's keys are what
its container gets: ``env_file:``, ``environment:`` and pass-throughs resolved from the project
environment, plus the image's ``ENV`` defaults.

A side that is Kubernetes manifests (a manifest file, a directory of them, or a kustomization
directory) makes it a comparison of *deployments* (issue #17 item 6): the repository holding
both paths is loaded once (the nearest parent with ``.git``, else their common directory), so
that a Compose service and a workload are paired when they run the same program of the
repository (the service-code model: image provenance and entrypoint), else by name (the compose
service's name is the workload's or the container's).  Each pair's keys are what the container
gets (``env``/``envFrom`` with the set's ConfigMaps and Secrets, image ``ENV``), and a key only
one side has is marked when the pair's code requires it (a read that fails when it is missing).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from envlint.escape import terminal

if TYPE_CHECKING:
    from envlint.model import ComposeProject, Service
    from envlint.servicecode.model import CodeMap

__all__ = ["DiffError", "EnvDiff", "KeyDiff", "diff_paths", "is_manifests", "render_diff"]

State = Literal["set", "empty", "declared"]  # declared: a bare KEY line, no value in the file


class DiffError(Exception):
    """The two paths cannot be compared (exit status 2)."""


@dataclass(frozen=True)
class KeyDiff:
    """One compared set of keys (an env file, or one service's environment)."""

    only_a: tuple[str, ...]
    only_b: tuple[str, ...]
    # keys in both whose state differs: (key, state in A, state in B) — "set"/"empty"/"declared"
    state: tuple[tuple[str, State, State], ...]
    common: int
    # deployments: keys of only_a/only_b that the pair's code requires, with where it reads them
    required: tuple[tuple[str, str], ...] = ()

    @property
    def same(self) -> bool:
        return not (self.only_a or self.only_b or self.state)


@dataclass(frozen=True)
class EnvDiff:
    kind: Literal["env-files", "stacks", "deployments"]
    a: str
    b: str
    files: KeyDiff | None = None  # env files
    services: Mapping[str, KeyDiff] = field(default_factory=dict)  # stacks: common services
    services_only_a: tuple[str, ...] = ()
    services_only_b: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()  # what could not be read (never a value)

    @property
    def same(self) -> bool:
        if self.kind == "env-files":
            return self.files is not None and self.files.same
        return (
            not self.services_only_a
            and not self.services_only_b
            and all(d.same for d in self.services.values())
        )


def _compare(a: Mapping[str, State], b: Mapping[str, State]) -> KeyDiff:
    both = sorted(set(a) & set(b))
    return KeyDiff(
        only_a=tuple(sorted(set(a) - set(b))),
        only_b=tuple(sorted(set(b) - set(a))),
        state=tuple((k, a[k], b[k]) for k in both if a[k] != b[k]),
        common=len(both),
    )


def _env_file(path: Path) -> tuple[dict[str, State], list[str]]:
    from envlint.compose.dotenv import decode_env_file, parse_dotenv

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DiffError(f"cannot read {path}: {exc.strerror or exc}") from None
    text, problem = decode_env_file(data, str(path))
    if text is None:
        raise DiffError(problem.message if problem is not None else f"cannot read {path}")
    result = parse_dotenv(text, str(path), lambda _name: None)
    keys: dict[str, State] = {}
    for entry in result.entries:
        keys[entry.key] = "empty" if entry.value == "" else "set"
    for inherited in result.inherited:
        keys.setdefault(inherited.key, "declared")
    return keys, [p.message for p in result.problems]


def _stack(path: Path) -> tuple[dict[str, dict[str, State]], list[str]]:
    from envlint.compose import load_workspace
    from envlint.config import Settings
    from envlint.discovery import is_compose_file_name

    if path.is_dir():
        root, settings = path.resolve(), Settings(cache=False)
    elif is_compose_file_name(path.name):
        root = path.resolve().parent
        settings = Settings(cache=False, compose_files=((path.name,),))
    else:
        raise DiffError(f"{path} is neither an env file pair member nor a compose project")
    ws = load_workspace(root, settings)
    stacks = [p for p in ws.projects if p.directory == "." and not p.layer]
    if not stacks:
        raise DiffError(f"no Compose project in {path}")
    broken = [p for p in ws.problems if p.kind.value == "parse-error"]
    if broken:
        first = broken[0].location
        raise DiffError(
            f"cannot compare {path}: {first.path} line {first.line} does not parse "
            "(envlint check shows the details)"
        )
    project = stacks[0]
    services = {service.name: _keys(service) for service in project.services}
    problems = [p.message for p in ws.problems if p.kind.value != "note"]
    return services, problems


def is_manifests(path: Path) -> bool:
    """Whether ``path`` is Kubernetes input for ``diff``: a kustomization directory, a YAML file
    (not a compose file) whose documents have ``apiVersion`` and ``kind``, or a directory with
    such files and no compose file of its own."""
    from envlint.discovery import is_compose_file_name
    from envlint.k8s.discover import KUSTOMIZATION_NAMES

    if path.is_dir():
        if any((path / name).is_file() for name in KUSTOMIZATION_NAMES):
            return True
        try:
            entries = sorted(path.iterdir())[:1000]
        except OSError:
            return False
        if any(is_compose_file_name(e.name) for e in entries):
            return False
        return any(e.is_file() and _manifest_file(e) for e in entries)
    return not is_compose_file_name(path.name) and _manifest_file(path)


def _manifest_file(path: Path) -> bool:
    from envlint.compose.yamlnodes import YamlError, YMap, load_yaml_documents

    if path.suffix not in (".yaml", ".yml"):
        return False
    try:
        docs = load_yaml_documents(path.read_bytes(), str(path))
    except (OSError, YamlError):
        return False
    return any(
        isinstance(d, YMap) and d.get("apiVersion") is not None and d.get("kind") is not None
        for d in docs
    )


def diff_paths(a: Path, b: Path) -> EnvDiff:
    """Compare ``a`` and ``b``: both env files, both stacks (directories / compose files), or
    deployments (at least one side Kubernetes manifests, see the module doc)."""
    from envlint.discovery import is_compose_file_name

    def is_stack(path: Path) -> bool:
        return path.is_dir() or is_compose_file_name(path.name)

    for path in (a, b):
        if not path.exists():
            raise DiffError(f"path does not exist: {path}")
    manifests = (is_manifests(a), is_manifests(b))
    if any(manifests):
        return _deployments(a, b, manifests)

    if is_stack(a) != is_stack(b):
        raise DiffError("compare two env files, or two stacks (directories or compose files)")
    if not is_stack(a):
        keys_a, problems_a = _env_file(a)
        keys_b, problems_b = _env_file(b)
        return EnvDiff(
            "env-files",
            str(a),
            str(b),
            files=_compare(keys_a, keys_b),
            problems=tuple(problems_a + problems_b),
        )
    services_a, problems_a = _stack(a)
    services_b, problems_b = _stack(b)
    common = sorted(set(services_a) & set(services_b))
    return EnvDiff(
        "stacks",
        str(a),
        str(b),
        services={name: _compare(services_a[name], services_b[name]) for name in common},
        services_only_a=tuple(sorted(set(services_a) - set(services_b))),
        services_only_b=tuple(sorted(set(services_b) - set(services_a))),
        problems=tuple(problems_a + problems_b),
    )


def _repository(a: Path, b: Path) -> Path:
    """The directory both sides are checked in: the nearest parent of both with ``.git`` (CI
    workflows and Makefiles there say which image is built from which code), else the
    directory holding both."""
    common = Path(os.path.commonpath([a.resolve(), b.resolve()]))
    if not common.is_dir():
        common = common.parent
    for candidate in (common, *common.parents):
        if (candidate / ".git").exists():
            return candidate
    return common


Deployment = tuple["ComposeProject", "Service"]


def _deployments(a: Path, b: Path, manifests: tuple[bool, bool]) -> EnvDiff:
    """Compose vs Kubernetes, or two Kubernetes sets: pairs of deployments of the same code.
    ``manifests`` says which side is Kubernetes input (``is_manifests``, read once per side)."""
    from envlint.compose import load_workspace
    from envlint.config import ConfigError, Settings
    from envlint.k8s import load_kubernetes
    from envlint.pipeline import build_facts
    from envlint.servicecode.image_env import with_built_image_env
    from envlint.servicecode.provenance import ImageBuilds

    root = _repository(a, b)
    sides = (a, b)
    kube = tuple(str(p.resolve()) for p, k in zip(sides, manifests, strict=True) if k)
    compose = [p for p, k in zip(sides, manifests, strict=True) if not k]
    if len(compose) == 1 and compose[0].is_file():
        settings = Settings(cache=False, compose_files=((str(compose[0].resolve()),),))
    else:
        settings = Settings(cache=False)
    settings = settings.with_cli(k8s_cli=kube)
    try:
        loaded = load_workspace(root, settings)
        builds = ImageBuilds(loaded)
        ws = load_kubernetes(with_built_image_env(loaded, builds), settings, builds)
    except ConfigError as exc:
        raise DiffError(str(exc)) from None
    if len(ws.kubernetes) != len(kube):
        raise DiffError("no Kubernetes workloads found in " + " or ".join(kube))
    sets = iter(ws.kubernetes)
    chosen: list[tuple[str, list[Deployment]]] = []
    for side, is_kube in zip(sides, manifests, strict=True):
        if is_kube:
            mset = next(sets)
            if mset.skipped:
                raise DiffError(f"{side}: {mset.skipped}")
            chosen.append((mset.label, [(mset.project, s) for s in mset.project.services]))
            continue
        where = _relative(root, side if side.is_dir() else side.parent)
        stacks = [
            p for p in ws.projects
            if p.directory == where and not p.layer and (side.is_file() or p.kind == "default")
        ]  # fmt: skip
        if not stacks:
            raise DiffError(f"no Compose project in {side}")
        chosen.append((f"stack {stacks[0].stack}", [(stacks[0], s) for s in stacks[0].services]))
    facts, failures = build_facts(ws, settings, {"sources"}, builds)
    problems = [p.message for p in ws.problems if p.kind.value != "note"]
    problems += [f"reading the code failed ({f.error}): pairs by name only" for f in failures]
    code, sources = facts.code, facts.sources
    pairs: dict[str, KeyDiff] = {}
    left, right = chosen[0][1], chosen[1][1]
    paired_b: set[int] = set()
    only_a: list[str] = []
    for project, service in left:
        match = _partner(code, project, service, right)
        if match is None:
            only_a.append(service.name)
            continue
        at, (other_project, other) = match
        paired_b.add(at)
        keys_a, keys_b = _keys(service), _keys(other)
        diff = _compare(keys_a, keys_b)
        required: dict[str, str] = {}
        for proj, svc in ((project, service), (other_project, other)):
            for read in sources.of(proj, svc) if sources is not None else ():
                if read.missing == "crash" and not read.is_pattern and read.lookup == "env":
                    required.setdefault(read.name, f"{read.location.path}:{read.location.line}")
        lonely = (*diff.only_a, *diff.only_b)
        diff = replace(diff, required=tuple((k, required[k]) for k in lonely if k in required))
        pairs[f"{service.name} / {other.name}"] = diff
    only_b = [s.name for i, (_, s) in enumerate(right) if i not in paired_b]
    return EnvDiff(
        "deployments",
        f"{a} ({chosen[0][0]})",
        f"{b} ({chosen[1][0]})",
        services=pairs,
        services_only_a=tuple(sorted(only_a)),
        services_only_b=tuple(sorted(only_b)),
        problems=tuple(problems),
    )


def _relative(root: Path, path: Path) -> str:
    rel = os.path.relpath(path.resolve(), root).replace(os.sep, "/")
    return "." if rel in ("", ".") else rel


def _keys(service: Service) -> dict[str, State]:
    """The keys a container gets (compose or Kubernetes), without the service-link variables
    the kubelet adds for every Service of the namespace (``API_SERVICE_HOST``): they are not
    configuration that anyone wrote, and they would bury the keys that differ."""
    from envlint.model import ValueSource

    keys: dict[str, State] = {}
    for source in (service.image_env, service.environment):
        for name, value in source.items():
            if value.source is ValueSource.K8S_RUNTIME and value.origin is None:
                continue
            keys[name] = "empty" if value.value == "" and not value.unresolved else "set"
    return keys


def _partner(
    code: CodeMap | None, project: ComposeProject, service: Service, others: list[Deployment]
) -> tuple[int, Deployment] | None:
    """The deployment of ``others`` that runs the same program as ``service`` (the only one),
    else the one named like it (compose ``api`` ~ workload ``deploy/api`` or container
    ``api``)."""
    if code is not None:
        same = set(code.same_code((project.directory, project.stack, service.name)))
        hits = [
            (i, (p, s)) for i, (p, s) in enumerate(others)
            if (p.directory, p.stack, s.name) in same
        ]  # fmt: skip
        if len(hits) == 1:
            return hits[0]
    named = [(i, d) for i, d in enumerate(others) if _bare(service.name) == _bare(d[1].name)]
    return named[0] if len(named) == 1 else None


def _bare(name: str) -> str:
    """``deploy/api`` -> ``api``; ``deploy/api/sidecar`` -> ``sidecar``; ``api`` -> ``api``."""
    parts = name.split("/")
    return parts[-1] if len(parts) != 2 else parts[1]


def _json(d: KeyDiff) -> dict[str, object]:
    return {
        "only_in_a": list(d.only_a),
        "only_in_b": list(d.only_b),
        "state_differs": [{"key": k, "a": sa, "b": sb} for k, sa, sb in d.state],
        "in_both": d.common,
        "required_by_code": [{"key": k, "read_at": at} for k, at in d.required],
    }


def render_diff(result: EnvDiff, fmt: str = "text") -> str:
    """``text`` or ``json``; names only, never a value."""
    if fmt == "json":
        doc: dict[str, object] = {
            "kind": result.kind,
            "a": result.a,
            "b": result.b,
            "same": result.same,
            "problems": list(result.problems),
        }
        if result.files is not None:
            doc["keys"] = _json(result.files)
        else:
            doc["services"] = {name: _json(d) for name, d in result.services.items()}
            doc["services_only_in_a"] = list(result.services_only_a)
            doc["services_only_in_b"] = list(result.services_only_b)
        return json.dumps(doc, indent=2) + "\n"
    lines = [f"A: {result.a}", f"B: {result.b}"]
    for problem in result.problems:
        lines.append(f"note: {problem}")
    if result.files is not None:
        lines += _text(result.files, "")
    else:
        if result.services_only_a:
            lines.append(f"services only in A: {', '.join(result.services_only_a)}")
        if result.services_only_b:
            lines.append(f"services only in B: {', '.join(result.services_only_b)}")
        what = "deployment" if result.kind == "deployments" else "service"
        for name, d in result.services.items():
            if not d.same:
                lines.append(f"{what} {name}:")
                lines += _text(d, "  ")
        same = [n for n, d in result.services.items() if d.same]
        if same:
            lines.append(f"same keys: {', '.join(same)}")
    lines.append("no differences in keys" if result.same else "")
    return "".join(terminal(line) + "\n" for line in lines if line)


def _text(d: KeyDiff, indent: str) -> list[str]:
    lines = []
    required = dict(d.required)

    def key(k: str) -> str:
        at = required.get(k)
        return f"{indent}  {k}" if at is None else f"{indent}  {k}  (the code requires it: {at})"

    if d.only_a:
        lines.append(f"{indent}only in A ({len(d.only_a)}):")
        lines += [key(k) for k in d.only_a]
    if d.only_b:
        lines.append(f"{indent}only in B ({len(d.only_b)}):")
        lines += [key(k) for k in d.only_b]
    if d.state:
        lines.append(f"{indent}in both, set differently (values not shown):")
        lines += [f"{indent}  {k}: {sa} in A, {sb} in B" for k, sa, sb in d.state]
    lines.append(f"{indent}{d.common} key{'' if d.common == 1 else 's'} in both")
    return lines
