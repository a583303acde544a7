"""Shared by the service-code tests: function facts and env reads of a fixture project, and the
``when:`` annotations its sources carry.

An annotation is a comment line ``// when: <classification> in: <function or ->`` (``#`` in
Python) and applies to the next line that is not such a comment: the env read starting there must
classify as written, and ``function_at`` must give the name (``-``: None).
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from envlint.filepass.languages import is_skipped, language_of, parser_for
from envlint.model import ComposeProject, Location, Service, Workspace
from envlint.servicecode.functions import FileFunctions, extract_functions, has_function_query
from envlint.sources import build_index
from envlint.sources.model import EnvRead

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
_WHEN = re.compile(r"^\s*(?://|#)\s*when:\s*(\S+)\s+in:\s*(.+?)\s*$")

Expected = dict[tuple[str, int], tuple[str, str | None]]  # (path, line) -> (when, function)


def source_files(root: Path) -> list[str]:
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and language_of(p.name) is not None
    )


def function_facts(root: Path) -> dict[str, FileFunctions]:
    """Every analysable source file of ``root`` parsed once and its function facts extracted."""
    out: dict[str, FileFunctions] = {}
    for rel in source_files(root):
        language = language_of(rel)
        if language is None or is_skipped(rel) or not has_function_query(language):
            continue
        parser = parser_for(language)
        assert parser is not None
        source = (root / rel).read_bytes()
        out[rel] = extract_functions(language, parser.parse(source).root_node, source, rel)
    return out


def env_reads(root: Path) -> tuple[EnvRead, ...]:
    """The env reads envlint's source index finds in ``root`` (one service owning all)."""
    files = tuple(p.relative_to(root).as_posix() for p in sorted(root.rglob("*")) if p.is_file())
    service = Service("svc", Location("docker-compose.yml"), source_dir=".")
    project = ComposeProject("p", ".", ("docker-compose.yml",), (), {}, (service,), ())
    workspace = Workspace(root=root, projects=(project,), problems=(), files=files)
    return build_index(workspace).reads


def expectations(root: Path) -> Expected:
    out: Expected = {}
    for rel in source_files(root):
        pending: list[re.Match[str]] = []
        lines = (root / rel).read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, start=1):
            if match := _WHEN.match(line):
                pending.append(match)
                continue
            for found in pending:
                function = found.group(2)
                out[(rel, number)] = (found.group(1), None if function == "-" else function)
            pending = []
    return out


def _dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def facts_of(files: dict[str, str]) -> dict[str, FileFunctions]:
    """Function facts of in-memory sources (dedented), keyed by path."""
    out: dict[str, FileFunctions] = {}
    for rel, text in files.items():
        language = language_of(rel)
        assert language is not None and has_function_query(language), rel
        parser = parser_for(language)
        assert parser is not None
        source = _dedent(text).encode("utf-8")
        out[rel] = extract_functions(language, parser.parse(source).root_node, source, rel)
    return out


def at(files: dict[str, str], path: str, marker: str) -> Location:
    """Where ``marker`` first occurs in ``files[path]`` (dedented): 1-based line and column."""
    for number, line in enumerate(_dedent(files[path]).splitlines(), start=1):
        column = line.find(marker)
        if column >= 0:
            return Location(path, number, column + 1)
    raise AssertionError(f"{marker!r} not in {path}")
