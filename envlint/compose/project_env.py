"""The project environment: the lookup map Compose interpolates compose files with.

docker/compose cmd/compose/compose.go:385-417 and compose-go cli/options.go:263-307 build it as
"OS environment, then ``PWD`` if missing, then the env files merged in *without overriding*".

**The OS environment is deliberately not used.**  envlint checks what the repository provides;
a developer's shell or a CI machine differs from run to run, and a finding must not depend on
who runs the linter.  So the project environment here is ``PWD`` (the project directory), the
``--env-file`` list or the project directory's ``.env``, and ``COMPOSE_PROJECT_NAME``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from envlint.compose.dotenv import decode_env_file, mapping_of, parse_dotenv
from envlint.compose.files import FileCache
from envlint.model import EnvFile, EnvValue, Location, Problem, ProblemKind, ValueSource

__all__ = [
    "EnvLayer",
    "compose_files_setting",
    "enabled_profiles",
    "normalize_project_name",
    "read_env_files",
    "valid_project_name",
]

_INVALID_NAME_CHARS = re.compile(r"[^-_a-z0-9]")
_VALID_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass(frozen=True)
class EnvLayer:
    """The environment after loading some env files, with the files read."""

    values: Mapping[str, EnvValue]
    env_files: tuple[EnvFile, ...]
    problems: tuple[Problem, ...]
    documented_by: str | None = None  # an example file read in place of an absent .env

    def lookup(self, name: str) -> str | None:
        found = self.values.get(name)
        return None if found is None else found.value


def normalize_project_name(name: str) -> str:
    """compose-go ``NormalizeProjectName``: lower-case, drop ``[^-_a-z0-9]``, trim ``_``/``-``."""
    return _INVALID_NAME_CHARS.sub("", name.lower()).lstrip("_-")


def valid_project_name(name: str) -> bool:
    return bool(_VALID_NAME.match(name))


def read_env_files(
    paths: Sequence[Path],
    current: Mapping[str, EnvValue],
    files: FileCache,
    *,
    required: bool,
    role_source: ValueSource = ValueSource.PROJECT_ENV_FILE,
    example: bool = False,
    stand_ins: Mapping[Path, Path] | None = None,
) -> EnvLayer:
    """compose-go ``dotenv.GetEnvFromFile`` + ``Mapping.Merge``: env files into ``current``.

    The files are parsed into one map (a later file wins inside it); each file's references see
    ``current`` first, then values parsed so far (dotenv/env.go:59-66).  The map is merged into
    ``current`` *add-only*: keys already in ``current`` win (types/mapping.go:183-190).
    ``required`` files that are missing are a MISSING_ENV_FILE problem (``--env-file``); a
    missing default ``.env`` is simply not loaded.  ``example``: the files are example files
    read in place of an absent ``.env`` (role "example"; their values are placeholders).
    ``stand_ins``: for an absent ``--env-file``, the example read in its place, as such an
    example (the absent file stays listed, with its ``stand_in``, and is still a problem).
    """
    env_map: dict[str, EnvValue] = {}
    env_files: list[EnvFile] = []
    problems: list[Problem] = []

    def lookup(name: str) -> str | None:
        found = current.get(name)
        return None if found is None else found.value

    for path in paths:
        rel = files.rel(path)
        stand_in = None if files.is_file(path) else (stand_ins or {}).get(path)
        as_example = example
        if stand_in is not None:
            # Compose refuses the absent file; the documented setup creates it from the example
            shown = files.rel(stand_in)
            env_files.append(EnvFile(rel, exists=False, role="project", stand_in=shown))
            problems.append(
                Problem(
                    ProblemKind.MISSING_ENV_FILE,
                    Location(rel),
                    f"env file {rel} not found; envlint read {shown} in its place for ${{}} "
                    "interpolation, as the documented environment",
                )
            )
            path, rel, as_example = stand_in, shown, True
        role: Literal["project", "example"] = "example" if as_example else "project"
        if not files.is_file(path):
            if required:
                env_files.append(EnvFile(rel, exists=False, role=role))
                problems.append(
                    Problem(
                        ProblemKind.MISSING_ENV_FILE,
                        Location(rel),
                        f"env file {rel} not found",
                    )
                )
            continue
        data = files.read(path)
        if data is None:
            env_files.append(EnvFile(rel, exists=True, role=role))
            continue
        text, problem = decode_env_file(data, rel)
        if text is None:
            if problem is not None:
                problems.append(problem)
            env_files.append(EnvFile(rel, exists=True, role=role))
            continue
        earlier = {k: v.value for k, v in env_map.items()}
        result = parse_dotenv(text, rel, lookup, earlier=earlier, budget=files.budget)
        problems.extend(result.problems)
        origins = {entry.key: entry.key_location for entry in result.entries}
        for key, text_value in mapping_of(result).items():
            env_map[key] = EnvValue(
                key, text_value, role_source, origins.get(key), example=as_example
            )
        env_files.append(
            EnvFile(
                rel,
                exists=True,
                entries=result.entries,
                refs=result.refs,
                role=role,
                inherited=result.inherited,
            )
        )
    merged = dict(current)
    for key, value in env_map.items():
        merged.setdefault(key, value)
    # an example documents the environment only when it could be read (decoded and parsed)
    faults = [p for p in problems if p.kind is not ProblemKind.MISSING_ENV_FILE]
    read = [f for f in env_files if f.exists and f.role == "example" and (f.entries or not faults)]
    documented = read[0].path if read else None
    return EnvLayer(merged, tuple(env_files), tuple(problems), documented)


def compose_files_setting(env: Mapping[str, EnvValue]) -> tuple[str, ...]:
    """``COMPOSE_FILE`` split on ``COMPOSE_PATH_SEPARATOR`` (default ``:``; cli/options.go:137)."""
    found = env.get("COMPOSE_FILE")
    if found is None or not found.value:
        return ()
    sep_value = env.get("COMPOSE_PATH_SEPARATOR")
    sep = sep_value.value if sep_value is not None and sep_value.value else ":"
    return tuple(part for part in found.value.split(sep) if part)


def enabled_profiles(env: Mapping[str, EnvValue]) -> frozenset[str]:
    """``COMPOSE_PROFILES``: comma-separated, whitespace-trimmed (cli/options.go:219-229)."""
    found = env.get("COMPOSE_PROFILES")
    if found is None:
        return frozenset()
    return frozenset(p.strip() for p in found.value.split(",") if p.strip())
