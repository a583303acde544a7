"""Valid code the pinned grammars cannot read in full (issue 12, item 5).

Go 1.26 ``new(expr)``, a C# 12 collection expression whose first element is named like an
attribute target (``[param]``), a TypeScript tagged template with object/array type arguments
(``prisma.$queryRaw<{ id: string }[]>`...```) and a JSX attribute string holding a bare ``&``
(``href="...?family=Sans&display=swap"``, as in a Next.js ``_document.tsx``) compile, but every
grammar release on PyPI (the pinned ones are the newest) leaves an ERROR or MISSING node there.

What must hold: ENV901 is an *info* note at the first unreadable spot's real line:column, naming
the grammar and its version, never telling the reader to fix code the compiler accepts; the reads
around the spot are still found; a real YAML parse error stays an ENV901 *error*.
"""

from __future__ import annotations

import re
import textwrap
from importlib import metadata
from pathlib import Path

import pytest

from envlint.config import Settings
from envlint.engine import lint
from envlint.filepass.languages import load_language
from envlint.findings import Finding, Severity
from envlint.sources import build_index

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "sources_newer_syntax"

# file -> (the construct's line text, where the grammar's first ERROR/MISSING node starts in it,
#          the grammar package)
CONSTRUCTS = {
    "inventory/main.go": ("limit := new(42)", "42", "tree-sitter-go"),
    "billing/Invoices.cs": ("method?.Invoke(item, [param]);", "param", "tree-sitter-c-sharp"),
    "reports/src/db.ts": (
        "prisma.$queryRaw<{ id: string }[]>`SELECT",
        "`SELECT",
        "tree-sitter-typescript",
    ),
    "storefront/pages/_document.tsx": ("Sans&display=swap", "&display", "tree-sitter-typescript"),
}


def _marked(code: str) -> set[tuple[str, int]]:
    """(path, line) of the lines after a ``// expect: CODE`` comment in the fixture's sources."""
    out: set[tuple[str, int]] = set()
    for file in sorted(FIXTURE.rglob("*")):
        if file.suffix not in (".go", ".cs", ".ts", ".tsx"):
            continue
        lines = file.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, start=1):
            if line.strip() == f"// expect: {code}":
                out.add((file.relative_to(FIXTURE).as_posix(), number + 1))
    return out


def _position(path: str) -> tuple[int, int]:
    """1-based line and column of the construct's first unreadable token in the fixture file."""
    construct, token, _ = CONSTRUCTS[path]
    lines = (FIXTURE / path).read_text(encoding="utf-8").splitlines()
    (line,) = [n for n, text in enumerate(lines, start=1) if construct in text]
    return line, lines[line - 1].index(construct) + construct.index(token) + 1


def test_every_construct_is_marked_once() -> None:
    assert _marked("ENV901") == {(path, _position(path)[0]) for path in CONSTRUCTS}


# Source notes exist when some selected rule needs the services' code parsed (ENV201 here).
WITH_SOURCES = ("ENV901", "ENV201")


def _env901(root: Path) -> list[Finding]:
    report = lint([root], Settings(select=WITH_SOURCES, cache=False))
    return [f for f in report.findings if f.code == "ENV901"]


def test_env901_is_an_info_note_at_the_first_unreadable_spot() -> None:
    found = {f.location.path: f for f in _env901(FIXTURE)}
    assert set(found) == set(CONSTRUCTS)  # and none on the collection expressions it does read
    for path, finding in found.items():
        grammar = CONSTRUCTS[path][2]
        assert finding.severity is Severity.INFO, path
        assert (finding.location.line, finding.location.column) == _position(path), path
        assert f"envlint's parser ({grammar} {metadata.version(grammar)})" in finding.message
        assert finding.message.endswith("; the rest of the file was still checked")
        assert not re.search(r"\bfix\b|invalid", finding.message, re.IGNORECASE), path


def test_more_unreadable_spots_are_counted_not_repeated() -> None:
    (go,) = [f for f in _env901(FIXTURE) if f.location.path == "inventory/main.go"]
    assert "here and at 1 more place (" in go.message  # `new(len(addr))` on the next line


def test_reads_around_the_unreadable_spots_are_found() -> None:
    from envlint.compose import load_workspace

    index = build_index(load_workspace(FIXTURE, Settings(cache=False)))
    assert {(r.location.path, r.name) for r in index.reads if not r.is_pattern} == {
        ("inventory/main.go", "PROVIDED_ADDR"),
        ("inventory/main.go", "INVENTORY_TOKEN"),  # after both unreadable spots
        ("billing/Invoices.cs", "BILLING_CURRENCY"),
        ("billing/Invoices.cs", "BILLING_ENDPOINT"),
        ("reports/src/db.ts", "DATABASE_URL"),
        ("reports/src/db.ts", "REPORTS_PAGE_SIZE"),
        ("storefront/pages/_document.tsx", "STOREFRONT_PLATFORM"),
        ("storefront/pages/_document.tsx", "STOREFRONT_SERVICE_NAME"),
        ("storefront/pages/_document.tsx", "STOREFRONT_API_URL"),
    }


def test_env201_still_fires_on_crash_reads_after_the_spot() -> None:
    report = lint([FIXTURE], Settings(select=("ENV201",), cache=False))
    assert {(f.location.path, f.location.line) for f in report.findings} == _marked("ENV201")


@pytest.mark.parametrize("path", sorted(CONSTRUCTS))
def test_the_pinned_grammar_still_cannot_read_it(path: str) -> None:
    """When a grammar release reads the construct, pin it (pyproject.toml) and turn this file's
    notes into "parses without error" cases."""
    from tree_sitter import Parser

    language = {".go": "go", ".cs": "csharp", ".ts": "typescript", ".tsx": "tsx"}
    lang = load_language(language[Path(path).suffix])
    assert lang is not None
    root = Parser(lang).parse((FIXTURE / path).read_bytes()).root_node
    assert root.has_error


def test_yaml_parse_errors_stay_errors_next_to_a_source_note(tmp_path: Path) -> None:
    files = {
        "compose.yaml": "services:\n  api:\n    build: ./api\n",
        "other/compose.yaml": "services:\n  bad: [unclosed\n",
        "api/main.go": """
            package main

            import "os"

            func main() {
            \tp := new(8080)
            \t_ = p
            \t_ = os.Getenv("API_PORT")
            }
            """,
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    severities = {(f.location.path, f.location.line, f.severity) for f in _env901(tmp_path)}
    assert ("api/main.go", 6, Severity.INFO) in severities
    assert {s for p, _, s in severities if p == "other/compose.yaml"} == {Severity.ERROR}
