"""Shared by the adapter tests: index a few files as one service, and the compact read form."""

from __future__ import annotations

import textwrap
from pathlib import Path

from envlint.model import ComposeProject, Location, Service, Workspace
from envlint.sources import build_index
from envlint.sources.model import EnvRead, SourceIndex


def index_files(root: Path, files: dict[str, str], service: str) -> SourceIndex:
    """Write ``files`` (dedented) under ``root`` and index them as the code of ``service``."""
    for rel, content in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    svc = Service(service, Location("docker-compose.yml"), source_dir=".")
    project = ComposeProject("p", ".", ("docker-compose.yml",), (), {}, (svc,), ())
    ws = Workspace(root=root, projects=(project,), problems=(), files=tuple(sorted(files)))
    return build_index(ws)


def brief(read: EnvRead) -> tuple[object, ...]:
    """(name, line, missing, on_empty, default, type, via)"""
    return (
        read.name,
        read.location.line,
        read.missing,
        read.on_empty,
        read.default,
        read.expected_type,
        read.via,
    )
