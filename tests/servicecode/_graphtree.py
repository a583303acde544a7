"""Resolve a program in a small project written to tmp_path, the way the engine will: the
directory walk's file list, every source file parsed once and its import facts extracted."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from envlint.config import Settings
from envlint.discovery import discover
from envlint.filepass.languages import language_of
from envlint.servicecode.graph import ProgramFiles, program_files
from envlint.servicecode.imports import FileImports, imports_of_source
from envlint.servicecode.model import ProgramKind, ProgramRef
from tests.conftest import write_tree


def facts_of(root: Path, files: tuple[str, ...]) -> dict[str, FileImports]:
    facts: dict[str, FileImports] = {}
    for path in files:
        language = language_of(path)
        if language is None:
            continue
        found = imports_of_source(language, (root / path).read_bytes(), path)
        if found is not None:
            facts[path] = found
    return facts


def resolve(
    root: Path,
    tree: Mapping[str, str | bytes],
    language: str,
    kind: ProgramKind,
    target: str,
    *,
    drop: tuple[str, ...] = (),
    served: bool = False,
) -> ProgramFiles:
    """Write ``tree``, then resolve ``target``; ``drop``: files whose facts are withheld (as if
    the parse pass had skipped them); ``served``: a directory a dev server serves."""
    write_tree(root, tree)
    files = discover(root, Settings()).files
    facts = {p: f for p, f in facts_of(root, files).items() if p not in drop}
    program = ProgramRef(language=language, kind=kind, target=target, how="test", served=served)
    return program_files(root, program, files, facts)


def notes_text(result: ProgramFiles) -> str:
    return "\n".join(result.notes)
