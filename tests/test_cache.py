"""The per-file analysis cache: hits, misses, invalidation, corrupt packs, where it writes."""

from __future__ import annotations

import marshal
import os
import pickle
from collections.abc import Iterator
from pathlib import Path
from types import MappingProxyType

import pytest

import envlint
from envlint import cache
from envlint.config import Settings
from envlint.engine import lint
from envlint.model import Location, Problem, ProblemKind
from envlint.sources import index
from envlint.sources.adapter import FileScan
from envlint.sources.model import EnvRead
from tests.conftest import write_tree

COMPOSE = """
services:
  checkout:
    build: ./checkout
    environment:
      - DB_URL=${DB_URL:-postgres://db}
"""

GO_MAIN = """
package main

import "os"

func main() {
	if os.Getenv("CART_ADDR") == "" {
		panic("CART_ADDR")
	}
	_ = os.Getenv("DB_URL")
}
"""


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache-home"
    monkeypatch.setenv("ENVLINT_CACHE_DIR", str(home))
    return home


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Languages of every parse the source pass makes (in this process)."""
    seen: list[str] = []
    original = index._parse

    def spy(language: str, source: bytes) -> object:
        seen.append(language)
        return original(language, source)

    monkeypatch.setattr(index, "_parse", spy)
    return seen


def _project(root: Path) -> Path:
    return write_tree(
        root / "proj",
        {
            "docker-compose.yml": COMPOSE,
            "checkout/main.go": GO_MAIN,
            "checkout/util.go": "package main\n",
        },
    )


def _triples(root: Path, **settings: object) -> set[tuple[str, str, int]]:
    report = lint([root], Settings(**settings))  # type: ignore[arg-type]
    return {(f.code, f.location.path, f.location.line) for f in report.findings}


def _packs(home: Path) -> list[Path]:
    """The source-analysis packs (the parsed compose YAML has a pack of its own)."""
    return sorted(p for p in home.rglob("*.pack") if not p.name.endswith("-yaml.pack"))


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def test_second_run_reads_facts_from_the_cache(
    tmp_path: Path, cache_home: Path, parses: list[str]
) -> None:
    root = _project(tmp_path)
    before = _tree(root)
    first = _triples(root)
    assert parses == ["go"]  # util.go has no needle: never parsed
    assert ("ENV201", "checkout/main.go", 6) in first
    assert len(_packs(cache_home)) == 1
    parses.clear()
    assert _triples(root) == first
    assert parses == []  # a hit: nothing parsed
    assert _tree(root) == before  # nothing written in the checked tree


def test_changed_content_is_analysed_again(
    tmp_path: Path, cache_home: Path, parses: list[str]
) -> None:
    root = _project(tmp_path)
    _triples(root)
    main = root / "checkout/main.go"
    main.write_text(GO_MAIN.lstrip("\n").replace("CART_ADDR", "CART_HOST"), encoding="utf-8")
    parses.clear()
    found = _triples(root)
    assert parses == ["go"]
    assert ("ENV201", "checkout/main.go", 6) in found
    report = lint([root], Settings())
    assert {f.variable for f in report.findings if f.code == "ENV201"} == {"CART_HOST"}


def test_new_version_or_extractor_set_invalidates(
    tmp_path: Path, cache_home: Path, parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path)
    _triples(root)
    cache.code_fingerprint.cache_clear()
    monkeypatch.setattr(envlint, "__version__", "99.0.0")
    parses.clear()
    _triples(root)
    assert parses == ["go"]
    cache.code_fingerprint.cache_clear()  # the next test sees the real version again

    parses.clear()
    _triples(root, select=("ENV201",))  # no ordering extractor this time
    assert parses == ["go"]  # the settings fingerprint names the extractors that ran


def test_no_cache_reads_and_writes_nothing(
    tmp_path: Path, cache_home: Path, parses: list[str]
) -> None:
    root = _project(tmp_path)
    first = _triples(root, cache=False)
    assert not cache_home.exists()
    _triples(root)  # populate
    parses.clear()
    assert _triples(root, cache=False) == first
    assert parses == ["go"]  # --no-cache also ignores what is there


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"\x00garbage\xff" * 10,
        marshal.dumps(("envlint-analysis-cache", cache.FORMAT, "other", {})),
        marshal.dumps(["not", "a", "pack"]),
    ],
)
def test_corrupt_pack_is_ignored_and_rewritten(
    tmp_path: Path, cache_home: Path, parses: list[str], damage: bytes
) -> None:
    root = _project(tmp_path)
    first = _triples(root)
    (pack,) = _packs(cache_home)
    pack.write_bytes(damage)
    parses.clear()
    assert _triples(root) == first
    assert parses == ["go"]
    parses.clear()
    assert _triples(root) == first
    assert parses == []  # rewritten by the run that ignored it


def test_corrupt_entries_are_misses(
    tmp_path: Path, cache_home: Path, parses: list[str]
) -> None:
    root = _project(tmp_path)
    first = _triples(root)
    (pack,) = _packs(cache_home)
    magic, version, fingerprint, entries = marshal.loads(pack.read_bytes())
    evil = pickle.dumps(os.getcwd)  # a callable from outside envlint: refused by find_class
    for number, key in enumerate(entries):
        entries[key] = (b"\x80\x05truncated", evil)[number % 2]
    pack.write_bytes(marshal.dumps((magic, version, fingerprint, entries)))
    parses.clear()
    assert _triples(root) == first
    assert parses == ["go"]


def test_cache_directory_inside_the_tree_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path)
    monkeypatch.setenv("ENVLINT_CACHE_DIR", str(root / ".cache"))
    before = _tree(root)
    _triples(root)
    assert _tree(root) == before


def test_cache_dir_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("ENVLINT_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "envlint"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    assert cache.cache_dir() == Path.home() / ".cache" / "envlint"
    monkeypatch.setenv("ENVLINT_CACHE_DIR", str(tmp_path / "mine"))
    assert cache.cache_dir() == tmp_path / "mine"


def test_unwritable_cache_directory_is_not_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("ENVLINT_CACHE_DIR", str(blocker / "sub"))
    root = _project(tmp_path)
    assert ("ENV201", "checkout/main.go", 6) in _triples(root)


# --- the codec -------------------------------------------------------------------------------


def _facts() -> index.FileFacts:
    where = Location("a/main.go", 3, 2, 3, 20)
    read = EnvRead("X", where, "go", "os.Getenv", "crash", crash_location=where)
    scan = FileScan(reads=(read,), constants=MappingProxyType({"K": "V"}), dynamic=2)
    problem = Problem(ProblemKind.NOTE, where, "note")
    return index.FileFacts(scan, ((1, (problem, [1, 2], {"a": frozenset({1})})),), ("n",), True)


def test_round_trip_keeps_types_and_values() -> None:
    facts = _facts()
    back = cache.loads(cache.dumps(facts))
    assert back == facts
    assert isinstance(back, index.FileFacts) and back.scan is not None
    assert isinstance(back.scan.constants, MappingProxyType)


class _Foreign:
    pass


@pytest.mark.parametrize(
    "data",
    [
        pickle.dumps(os.getcwd),
        pickle.dumps(_Foreign()),
        b"",
        b"\x80\x05\x95garbage",
        cache.dumps(_facts())[:-7],
    ],
)
def test_loads_refuses_foreign_or_broken_data(data: bytes) -> None:
    with pytest.raises(cache.CodecError):
        cache.loads(data)


def test_dumps_refuses_values_it_cannot_rebuild() -> None:
    with pytest.raises(cache.CodecError):
        cache.dumps((_Foreign(),))


def _keys(paths: Iterator[tuple[str, bytes]]) -> set[bytes]:
    return {cache.content_key(p, d) for p, d in paths}


def test_key_depends_on_path_and_bytes() -> None:
    assert len(_keys(iter([("a", b"x"), ("b", b"x"), ("a", b"y"), ("a\0", b"x")]))) == 4


@pytest.fixture
def yaml_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Paths of every compose YAML parse the loader makes."""
    from envlint.compose import yamlnodes

    seen: list[str] = []
    original = yamlnodes.load_yaml_documents

    def spy(data: bytes, path: str, **kwargs: int) -> object:
        seen.append(path)
        return original(data, path, **kwargs)

    monkeypatch.setattr(yamlnodes, "load_yaml_documents", spy)
    return seen


def test_compose_yaml_comes_from_the_cache(
    tmp_path: Path, cache_home: Path, yaml_parses: list[str]
) -> None:
    root = _project(tmp_path)
    first = _triples(root)
    assert yaml_parses == ["docker-compose.yml"]
    (yaml_pack,) = sorted(cache_home.rglob("*-yaml.pack"))
    yaml_parses.clear()
    assert _triples(root) == first
    assert yaml_parses == []
    assert _triples(root, cache=False) == first
    assert yaml_parses == ["docker-compose.yml"]
    # an edited file is parsed again; a corrupt entry is a miss, never a crash
    yaml_parses.clear()
    magic, version, fingerprint, entries = marshal.loads(yaml_pack.read_bytes())
    entries = {key: b"\x80\x05truncated" for key in entries}
    yaml_pack.write_bytes(marshal.dumps((magic, version, fingerprint, entries)))
    assert _triples(root) == first
    assert yaml_parses == ["docker-compose.yml"]
    (root / "docker-compose.yml").write_text(COMPOSE.replace("DB_URL=", "DB_URI="))
    yaml_parses.clear()
    assert ("ENV201", "checkout/main.go", 6) in _triples(root)
    assert yaml_parses == ["docker-compose.yml"]
