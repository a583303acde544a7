"""``envlint diff A B``: two env files, or two stacks' resolved environments per service, compared
by key (issue #16 item 4).  Values are never part of the result — only whether a key is set, set
but empty, or declared without a value (a bare ``KEY`` line).

Env files are read with Compose's own dotenv parser (interpolation inside the file as Compose
does it, nothing from the machine running envlint).  A stack is a directory holding compose
files (its default stack, with its ``.env``) or one compose file; each service's keys are what
its container gets: ``env_file:``, ``environment:`` and pass-throughs resolved from the project
environment, plus the image's ``ENV`` defaults.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from envlint.escape import terminal

__all__ = ["DiffError", "EnvDiff", "KeyDiff", "diff_paths", "render_diff"]

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

    @property
    def same(self) -> bool:
        return not (self.only_a or self.only_b or self.state)


@dataclass(frozen=True)
class EnvDiff:
    kind: Literal["env-files", "stacks"]
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
    services: dict[str, dict[str, State]] = {}
    for service in project.services:
        keys: dict[str, State] = {}
        for source in (service.image_env, service.environment):
            for name, value in source.items():
                keys[name] = "empty" if value.value == "" and not value.unresolved else "set"
        services[service.name] = keys
    problems = [p.message for p in ws.problems if p.kind.value != "note"]
    return services, problems


def diff_paths(a: Path, b: Path) -> EnvDiff:
    """Compare ``a`` and ``b``: both env files, or both stacks (directories / compose files)."""
    from envlint.discovery import is_compose_file_name

    def is_stack(path: Path) -> bool:
        return path.is_dir() or is_compose_file_name(path.name)

    for path in (a, b):
        if not path.exists():
            raise DiffError(f"path does not exist: {path}")

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


def _json(d: KeyDiff) -> dict[str, object]:
    return {
        "only_in_a": list(d.only_a),
        "only_in_b": list(d.only_b),
        "state_differs": [{"key": k, "a": sa, "b": sb} for k, sa, sb in d.state],
        "in_both": d.common,
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
        for name, d in result.services.items():
            if not d.same:
                lines.append(f"service {name}:")
                lines += _text(d, "  ")
        same = [n for n, d in result.services.items() if d.same]
        if same:
            lines.append(f"same keys: {', '.join(same)}")
    lines.append("no differences in keys" if result.same else "")
    return "".join(terminal(line) + "\n" for line in lines if line)


def _text(d: KeyDiff, indent: str) -> list[str]:
    lines = []
    if d.only_a:
        lines.append(f"{indent}only in A ({len(d.only_a)}):")
        lines += [f"{indent}  {k}" for k in d.only_a]
    if d.only_b:
        lines.append(f"{indent}only in B ({len(d.only_b)}):")
        lines += [f"{indent}  {k}" for k in d.only_b]
    if d.state:
        lines.append(f"{indent}in both, set differently (values not shown):")
        lines += [f"{indent}  {k}: {sa} in A, {sb} in B" for k, sa, sb in d.state]
    lines.append(f"{indent}{d.common} key{'' if d.common == 1 else 's'} in both")
    return lines
