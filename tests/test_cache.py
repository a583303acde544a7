"""The per-file analysis cache: hits, misses, invalidation, corrupt packs, where it writes."""

from __future__ import annotations

import contextlib
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
from envlint.filepass import parse as parsing
from envlint.filepass import run as file_pass
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
    original = parsing.parse

    def spy(language: str, source: bytes) -> object:
        seen.append(language)
        return original(language, source)

    monkeypatch.setattr(parsing, "parse", spy)
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
    return sorted(home.rglob("*.pack"))


def _unsigned(pack: Path) -> tuple[object, ...]:
    """The pack's content (after its 32-byte MAC)."""
    loaded = marshal.loads(pack.read_bytes()[32:])
    assert isinstance(loaded, tuple)
    return loaded


def _sign(home: Path, pack: Path, content: tuple[object, ...]) -> None:
    """Write ``content`` as envlint would: MAC'd with this user's key."""
    import hashlib
    import hmac

    data = marshal.dumps(content)
    key = (home / "key").read_bytes()
    pack.write_bytes(hmac.new(key, data, hashlib.sha256).digest() + data)


# A cold run parses each file of the program once in the source pass and, since its service
# lacks CART_ADDR (which main() panics without), once more for the start-up pass: each pass
# has its own cache pack.
COLD = ["go", "go", "go", "go"]


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def test_second_run_reads_facts_from_the_cache(
    tmp_path: Path, cache_home: Path, parses: list[str]
) -> None:
    root = _project(tmp_path)
    before = _tree(root)
    first = _triples(root)
    assert parses == COLD  # each file once per pass (util.go: imports, then functions)
    assert ("ENV201", "checkout/main.go", 6) in first
    assert len(_packs(cache_home)) == 2  # the source pass and the start-up pass: one each
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
    assert parses == ["go", "go"]  # the changed file, in each pass
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
    assert parses == COLD
    cache.code_fingerprint.cache_clear()  # the next test sees the real version again

    parses.clear()
    _triples(root, select=("ENV201",))  # no ordering extractor this time
    # the settings fingerprint names the extractors that ran: the source pass misses, the
    # start-up pass (the same extractor) hits
    assert parses == ["go", "go"]


def test_no_cache_reads_and_writes_nothing(
    tmp_path: Path, cache_home: Path, parses: list[str]
) -> None:
    root = _project(tmp_path)
    first = _triples(root, cache=False)
    assert not cache_home.exists()
    _triples(root)  # populate
    parses.clear()
    assert _triples(root, cache=False) == first
    assert parses == COLD  # --no-cache also ignores what is there


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
    for pack in _packs(cache_home):
        pack.write_bytes(damage)
    parses.clear()
    assert _triples(root) == first
    assert parses == COLD
    parses.clear()
    assert _triples(root) == first
    assert parses == []  # rewritten by the run that ignored it


def test_corrupt_entries_are_misses(
    tmp_path: Path, cache_home: Path, parses: list[str]
) -> None:
    root = _project(tmp_path)
    first = _triples(root)
    evil = pickle.dumps(os.getcwd)  # a pickle: not even read as one
    foreign = marshal.dumps(("envlint-analysis-cache", (6, "envlint.__main__.main")))
    for pack in _packs(cache_home):
        magic, version, fingerprint, entries = _unsigned(pack)
        assert isinstance(entries, dict)
        for number, key in enumerate(entries):
            entries[key] = (b"\x80\x05truncated", evil, foreign)[number % 3]
        _sign(cache_home, pack, (magic, version, fingerprint, entries))
    parses.clear()
    assert _triples(root) == first
    assert parses == COLD


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


def _facts() -> file_pass.FileFacts:
    where = Location("a/main.go", 3, 2, 3, 20)
    read = EnvRead("X", where, "go", "os.Getenv", "crash", crash_location=where)
    scan = FileScan(reads=(read,), constants=MappingProxyType({"K": "V"}), dynamic=2)
    problem = Problem(ProblemKind.NOTE, where, "note")
    return file_pass.FileFacts(scan, ((1, (problem, [1, 2], {"a": frozenset({1})})),), ("n",), True)


def test_round_trip_keeps_types_and_values() -> None:
    facts = _facts()
    back = cache.loads(cache.dumps(facts))
    assert back == facts
    assert isinstance(back, file_pass.FileFacts) and back.scan is not None
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


def test_compose_files_are_never_cached(tmp_path: Path, cache_home: Path) -> None:
    """A compose file holds values (passwords in ``environment:``): no pack holds its text."""
    root = _project(tmp_path)
    (root / "docker-compose.yml").write_text(
        COMPOSE.replace("postgres://db", "postgres://u:S3CRET-IN-COMPOSE@db")
    )
    first = _triples(root)
    assert _triples(root) == first
    for path in cache_home.rglob("*"):
        if path.is_file():
            assert b"S3CRET-IN-COMPOSE" not in path.read_bytes(), path


def test_cache_files_are_private_and_signed(tmp_path: Path, cache_home: Path) -> None:
    root = _project(tmp_path)
    _triples(root)
    packs = _packs(cache_home)
    assert packs
    for path in (cache_home, *(pack.parent for pack in packs)):
        assert path.stat().st_mode & 0o777 == 0o700
    for path in (cache_home / "key", *packs):
        assert path.stat().st_mode & 0o777 == 0o600
    assert len((cache_home / "key").read_bytes()) == 32


def test_a_pack_signed_with_another_key_is_ignored(
    tmp_path: Path, cache_home: Path, parses: list[str]
) -> None:
    """Somebody who can write the pack but not read the key cannot plant facts (such as a
    file with no env reads, hiding an ENV201)."""
    root = _project(tmp_path)
    first = _triples(root)
    empty = cache.dumps(file_pass.FileFacts())
    for pack in _packs(cache_home):
        magic, version, fingerprint, entries = _unsigned(pack)
        assert isinstance(entries, dict)
        planted = {key: empty for key in entries}
        data = marshal.dumps((magic, version, fingerprint, planted))
        pack.write_bytes(b"\0" * 32 + data)
    parses.clear()
    assert _triples(root) == first  # ENV201 still there
    assert parses == COLD


def test_loose_permissions_of_own_cache_dir_are_tightened(
    tmp_path: Path, cache_home: Path
) -> None:
    cache_home.mkdir(mode=0o777)
    cache_home.chmod(0o777)
    _triples(_project(tmp_path))
    assert cache_home.stat().st_mode & 0o777 == 0o700


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="chown needs root")
def test_a_cache_dir_or_pack_of_another_user_is_not_trusted(
    tmp_path: Path, cache_home: Path, parses: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    root = _project(tmp_path)
    first = _triples(root)
    for pack in _packs(cache_home):
        os.chown(pack, 4242, 4242)  # a pack somebody else put there
    parses.clear()
    assert _triples(root) == first
    assert parses == COLD
    assert "is not a private file of this user: ignored" in capsys.readouterr().err
    os.chown(cache_home, 4242, 4242)  # the whole directory is somebody else's
    parses.clear()
    assert _triples(root) == first
    assert parses == COLD
    assert "belongs to another user: cache not used" in capsys.readouterr().err


def test_a_tree_inside_the_cache_dir_gets_no_cache_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENVLINT_CACHE_DIR", str(tmp_path))
    root = _project(tmp_path / "v3")  # where the packs would go
    before = _tree(root)
    _triples(root)
    assert _tree(root) == before
    assert not list(tmp_path.glob("key"))


def test_a_parse_time_out_is_not_cached(
    tmp_path: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path)
    monkeypatch.setattr(parsing, "PARSE_BUDGET_S", 0.0)
    slow = _triples(root)
    assert ("ENV201", "checkout/main.go", 6) not in slow  # the file was skipped this time
    monkeypatch.undo()
    monkeypatch.setenv("ENVLINT_CACHE_DIR", str(cache_home))
    assert ("ENV201", "checkout/main.go", 6) in _triples(root)  # analysed again, not cached


def test_loads_never_imports_or_runs_anything() -> None:
    import sys

    sys.modules.pop("envlint.__main__", None)
    crafted = [
        marshal.dumps(("envlint-analysis-cache", (6, "envlint.__main__.main"))),
        marshal.dumps(("envlint-analysis-cache", (6, "os.system", "echo pwned"))),
        marshal.dumps(("envlint-analysis-cache", (7, "builtins.eval", "1"))),
        marshal.dumps(("envlint-analysis-cache", compile("1", "x", "eval"))),
        pickle.dumps(os.system),
    ]
    for data in crafted:
        with pytest.raises(cache.CodecError):
            cache.loads(data)
    assert "envlint.__main__" not in sys.modules


@pytest.mark.parametrize("seed", range(5))
def test_random_corruption_of_an_entry_is_a_miss_or_the_same_value(seed: int) -> None:
    import random

    rng = random.Random(seed)
    data = cache.dumps(_facts())
    # Unverified bytes reach marshal only here (packs are MAC-checked before decoding): a
    # damaged length can ask for gigabytes, which the machine may grant and zero-fill (a
    # pytest process of 12 GB was seen). Under a 1 GiB address-space margin such an
    # allocation is a MemoryError, which loads() turns into a miss like any other.
    with _address_space_margin(1 << 30):
        for _ in range(2000):
            damaged = bytearray(data)
            for _ in range(rng.randint(1, 3)):
                damaged[rng.randrange(len(damaged))] = rng.randrange(256)
            with contextlib.suppress(cache.CodecError):  # anything else fails the test
                cache.loads(bytes(damaged))


@contextlib.contextmanager
def _address_space_margin(margin: int) -> Iterator[None]:
    """RLIMIT_AS at this process's current size plus ``margin`` (Linux), restored after."""
    try:
        import resource

        pages = int(Path("/proc/self/statm").read_text(encoding="ascii").split()[0])
    except (ImportError, OSError, ValueError):
        yield  # no /proc or no resource module: run without the cap
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = pages * os.sysconf("SC_PAGE_SIZE") + margin
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _go_facts(
    language: str, root: object, source: bytes, path: str, reads: object
) -> tuple[object, ...]:
    return (path,)


def test_a_warm_cache_does_not_read_files_no_analysis_runs_on(
    tmp_path: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pass of Go extractors only (no env reads) looks up and reads its Go files, never the
    Python files of the same tree, cold or warm."""
    from envlint.model import ComposeProject, Service, Workspace
    from envlint.sources.model import Extractor

    root = write_tree(tmp_path / "proj", {"s/main.go": GO_MAIN, "s/tool.py": "import os\n"})
    svc = Service("s", Location("docker-compose.yml"), source_dir="s")
    project = ComposeProject("p", ".", ("docker-compose.yml",), (), {}, (svc,), ())
    ws = Workspace(root=root, projects=(project,), problems=(), files=("s/main.go", "s/tool.py"))
    go_only = Extractor("go-only", frozenset({"go"}), (), _go_facts)
    read: list[str] = []
    real_read = parsing.read_file

    def spy(base: str, path: str, max_bytes: int) -> bytes | str:
        read.append(path)
        return real_read(base, path, max_bytes)

    monkeypatch.setattr(parsing, "read_file", spy)
    for _ in range(2):  # cold, then warm
        built = index.build_index(
            ws, extractors=(go_only,), env_reads=False, settings=Settings(cache=True, jobs=1)
        )
        assert built.facts_of(go_only) == ("s/main.go",)
    assert read == ["s/main.go", "s/main.go"]
