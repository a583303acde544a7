"""The service-code model: which program in this repository a container runs (plain data).

Paths are relative to the checked root, with ``/``; lines and columns are 1-based.  Nothing here
holds an environment value: commands are kept as written in compose files and Dockerfiles.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from envlint.model import Location

__all__ = ["Entrypoint", "ImageBuild", "ProgramKind", "ProgramRef", "ServiceProgram"]

ProgramKind = Literal[
    "go-package",  # target: the main package's directory
    "dotnet-project",  # target: the .csproj / .fsproj file
    "js-entry",  # target: the entry source file (dist/ already mapped back to src/)
    "python-module",  # target: the module's file or package directory (``python -m pkg``)
    "python-file",  # target: the script file
    "jvm-module",  # target: the Maven/Gradle module directory
    "cargo-bin",  # target: the binary's main file (src/main.rs, src/bin/x.rs)
    "directory",  # target: a directory whose code runs, nothing finer known
]


@dataclass(frozen=True, slots=True)
class ProgramRef:
    """A program built from this repository that a container runs."""

    language: str  # a ``sources.languages.LANGUAGES`` name: "go", "csharp", "typescript", ...
    kind: ProgramKind
    target: str  # see ProgramKind
    how: str  # one sentence for people: how it was decided (commands as written, no values)
    location: Location | None = None  # the Dockerfile / compose / CI line that decided


@dataclass(frozen=True, slots=True)
class Entrypoint:
    """What a service's container runs, and the program of this repository behind it."""

    argv: tuple[str, ...]  # ENTRYPOINT + CMD as Docker combines them (compose keys win)
    origin: Literal["compose", "dockerfile", "config", "none"]
    location: Location | None  # where the winning command is written
    program: ProgramRef | None  # None: not mapped to code in this repository (see note)
    note: str = ""  # why ``program`` is None, for the info finding and ``trace``


@dataclass(frozen=True, slots=True)
class ImageBuild:
    """An image name that something in the repository builds from a Dockerfile here."""

    image: str  # repository name without tag or digest, e.g. "ghcr.io/org/app"
    dockerfile: str  # relative to the checked root
    context: str  # relative to the checked root
    target: str | None  # build stage, when given
    origin: Location  # the workflow step, Makefile line, goreleaser/skaffold entry, compose key


@dataclass(frozen=True, slots=True)
class ServiceProgram:
    """What envlint knows of one service's code (one per compose service)."""

    project_dir: str
    service: str
    entrypoint: Entrypoint | None
    files: frozenset[str] | None  # files linked into the program; None: not known
    fallback_dir: str | None  # directory whose code counts when ``files`` is None
    note: str = ""  # why the code was not (fully) found; empty when it was
