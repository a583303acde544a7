"""Role queries compiled from the patterns a run's files can match (envlint._queries).

A pattern whose text predicate needs a literal (``(#eq? @_e "ENV")``) cannot match in a file
without that literal, so a run compiles only the patterns its files can use.  These tests hold
the reader to tree-sitter's own count of patterns, pin which predicates give needles, and show
that a subset finds exactly what the whole query finds, file by file and for whole projects
(helper call sites of phase 2 included).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from envlint._queries import needed, split, subset
from envlint.config import Settings
from envlint.filepass import run as pass_module
from envlint.filepass.languages import LANGUAGES, language_of, load_language
from envlint.filepass.parse import decode_source, parse
from envlint.sources.classify import load_query, role_patterns
from envlint.sources.index import build_index, load_adapter
from envlint.sources.role_adapter import RoleAdapter

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _role_files() -> list[tuple[str, tuple[str, ...]]]:
    out = []
    for spec in LANGUAGES:
        adapter = load_adapter(spec.name)
        if isinstance(adapter, RoleAdapter) and load_language(spec.name) is not None:
            out.append((spec.name, adapter._files(spec.name)))
    return out


@pytest.mark.parametrize(("language", "files"), _role_files())
def test_reader_sees_every_pattern_tree_sitter_compiles(
    language: str, files: tuple[str, ...]
) -> None:
    patterns = role_patterns(*files)
    whole = load_query(language, *files)
    assert len(patterns) == whole.pattern_count
    kept = frozenset(range(0, len(patterns), 2))
    part = load_query(language, *files, keep=kept)
    assert part.pattern_count == len(kept)
    for new, old in enumerate(sorted(kept)):  # same patterns, same order, same properties
        assert part.pattern_settings(new) == whole.pattern_settings(old)


def test_some_patterns_of_the_costly_grammars_have_needles() -> None:
    for files in (("ruby",), ("kotlin",), ("elixir",), ("csharp",)):
        assert any(p.needles for p in role_patterns(*files)), files


@pytest.mark.parametrize(
    ("text", "needles"),
    [
        ('((call) @c (#eq? @c "ENV"))', (b"ENV",)),
        ('((call f: (identifier) @f) @c (#any-of? @f "getenv" "putenv"))', (b"getenv", b"putenv")),
        # the most selective of two predicates
        ('((call (a) @a (b) @b) (#eq? @a "x") (#eq? @b "fetch"))', (b"fetch",)),
        ('((string) @s (#eq? @s "\\"\\""))', (b'""',)),
        ('((string) @s (#eq? @s "a\\nb"))', (b"a\nb",)),
        # a capture that may capture nothing: the predicate holds vacuously
        ('((call (identifier)? @f) (#eq? @f "ENV"))', None),
        ('((call (identifier)* @f) (#eq? @f "ENV"))', None),
        ('((call ((identifier) @f (x))?) (#eq? @f "ENV"))', None),
        ('((call [(identifier) @f (string)]) (#eq? @f "ENV"))', None),
        # a capture on the alternation itself is always there
        ('((call [(identifier) (constant)] @f) (#eq? @f "ENV"))', (b"ENV",)),
        ('((call (identifier)+ @f) (#eq? @f "ENV"))', (b"ENV",)),
        # predicates that need no literal
        ('((call (identifier) @f) (#not-eq? @f "ENV"))', None),
        ('((call (identifier) @f) (#match? @f "^ENV$"))', None),
        ('((call (identifier) @f (identifier) @g) (#eq? @f @g))', None),
        ('((call (identifier) @f) (#eq? @f ""))', None),
        ("(call) @c", None),
    ],
)
def test_needles(text: str, needles: tuple[bytes, ...] | None) -> None:
    (pattern,) = split(text)
    assert pattern.needles == needles


def test_split_keeps_each_pattern_whole_and_in_order() -> None:
    text = """
    ; a comment (with "parens")
    ((a) @x (#eq? @x "A"))
    (b) @y
    [(c) (d)] @z
    "e" @w
    ((f)? @v . (g)) ; trailing
    """
    patterns = split(text)
    assert [" ".join(p.text.split()) for p in patterns] == [
        '((a) @x (#eq? @x "A"))',
        "(b) @y",
        "[(c) (d)] @z",
        '"e" @w',
        "((f)? @v . (g))",
    ]
    assert needed(patterns, b"nothing") == frozenset({1, 2, 3, 4})
    assert needed(patterns, b"A") == frozenset(range(5))
    assert subset(patterns, frozenset({0, 2})).splitlines() == [
        '((a) @x (#eq? @x "A"))',
        "[(c) (d)] @z",
    ]


@pytest.mark.parametrize("text", ["((a) @x", "(a))", '((a) (#eq? @x "A")', "@x", "?"])
def test_malformed_query_text_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        split(text)


def _sources() -> list[Path]:
    return sorted(
        p
        for p in FIXTURES.rglob("*")
        if p.is_file() and not p.is_symlink() and language_of(p.name) is not None
    )


def test_a_files_own_patterns_find_what_the_whole_query_finds() -> None:
    checked = 0
    for path in _sources():
        language = language_of(path.name)
        assert language is not None
        adapter = load_adapter(language)
        if not isinstance(adapter, RoleAdapter) or load_language(language) is None:
            continue
        source = decode_source(path.read_bytes())
        if not any(n in source for n in adapter.needles):
            continue
        root = parse(language, source)
        assert root is not None
        rel = path.relative_to(FIXTURES).as_posix()
        own = adapter.patterns(language, source)
        whole = adapter.scan(rel, language, source, root, None)
        part = adapter.scan(rel, language, source, root, own)
        assert part == whole, rel
        checked += 1
    assert checked >= 40  # every language's fixtures, not a vacuous pass


@pytest.mark.parametrize(
    "project", sorted(p.name for p in FIXTURES.iterdir() if p.is_dir() and p.name != "sources")
)
def test_a_project_finds_the_same_reads_with_the_runs_patterns(
    project: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from envlint.compose import load_workspace

    ws = load_workspace(FIXTURES / project, Settings(cache=False))
    subset_index = build_index(ws)
    monkeypatch.setattr(pass_module, "_patterns", lambda scans: {})  # every pattern
    whole_index = build_index(ws)
    assert subset_index.reads == whole_index.reads
    assert subset_index.dynamic_reads == whole_index.dynamic_reads
