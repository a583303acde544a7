"""The same input gives byte-identical JSON and SARIF: across runs in one process, across
``--jobs`` values (process pool or not), a cold or warm cache, and file-system orderings."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from envlint.cli import cli
from tests.conftest import write_tree

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "incident"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _files() -> dict[str, bytes]:
    """A project with every rule family, several compose projects and many source files."""
    out: dict[str, bytes] = {}
    for base, prefix in ((EXAMPLE, "shop/"), (FIXTURES / "compose_shop", "stack/"),
                         (FIXTURES / "sources_py_app", "py/"), (FIXTURES / "sources_go", "go/")):
        for path in sorted(base.rglob("*")):
            if path.is_file():
                out[prefix + path.relative_to(base).as_posix()] = path.read_bytes()
    out["shop/.env"] = b"CHECKOUT_PORT=8080\nDUP=1\nDUP=2\nUNUSED=x\n"
    for i in range(40):
        out[f"shop/src/checkout/gen{i:02d}.go"] = (
            f'package main\n\nimport "os"\n\nfunc init{i}() {{\n'
            f'\tif os.Getenv("GEN_{i % 7}") == "" {{\n\t\tpanic("GEN_{i % 7}")\n\t}}\n}}\n'
        ).encode()
    return out


def _write(root: Path, files: dict[str, bytes], order: list[str]) -> None:
    if root.exists():
        shutil.rmtree(root)
    for rel in order:
        write_tree(root, {rel: files[rel]})


def _run(root: Path, fmt: str, *extra: str) -> str:
    result = CliRunner().invoke(cli, ["check", str(root), "--format", fmt, "--isolated", *extra])
    assert result.exit_code == 1, result.output
    return result.stdout


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ENVLINT_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_runs_jobs_and_cache_do_not_change_the_bytes(tmp_path: Path, cache: Path, fmt: str) -> None:
    files = _files()
    root = tmp_path / "proj"
    _write(root, files, sorted(files))
    first = _run(root, fmt)  # cold cache
    assert '"ENV201"' in first or "ENV201" in first
    assert _run(root, fmt) == first  # warm cache, same process
    assert _run(root, fmt, "--no-cache") == first
    for jobs in ("0", "1", "2", "8"):
        assert _run(root, fmt, "--jobs", jobs, "--no-cache") == first, jobs


def test_the_process_pool_gives_the_same_bytes(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import envlint.filepass.run as file_pass

    calls: list[int] = []
    real = file_pass.run_ordered

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[3])
        return real(*args, **kwargs)

    monkeypatch.setattr(file_pass, "run_ordered", spy)
    monkeypatch.setenv("ENVLINT_PARALLEL_THRESHOLD", "5")  # pool from 6 candidate files on
    files = _files()
    root = tmp_path / "proj"
    _write(root, files, sorted(files))
    serial = _run(root, "json", "--jobs", "1", "--no-cache")
    assert not calls
    assert _run(root, "json", "--jobs", "2", "--no-cache") == serial
    assert calls == [2, 2]  # the source pass, then the start-up pass of the failing program
    assert _run(root, "sarif", "--jobs", "3") == _run(root, "sarif", "--jobs", "1", "--no-cache")


class _Reversed:
    """``os.scandir``'s result in reverse order (a file system with another order)."""

    def __init__(self, entries: list[os.DirEntry[str]]) -> None:
        self.entries = entries[::-1]

    def __iter__(self) -> Iterator[os.DirEntry[str]]:
        return iter(self.entries)

    def __enter__(self) -> _Reversed:
        return self

    def __exit__(self, *_: object) -> None:
        return None

    def close(self) -> None:
        return None


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_file_system_order_does_not_matter(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    files = _files()
    root = tmp_path / "proj"
    _write(root, files, sorted(files))
    expected = _run(root, fmt, "--no-cache")
    _write(root, files, sorted(files, reverse=True))  # created in the opposite order
    assert _run(root, fmt, "--no-cache") == expected

    real_scandir, real_listdir = os.scandir, os.listdir

    def scandir(path: Any = ".") -> _Reversed:
        with real_scandir(path) as iterator:
            return _Reversed(list(iterator))

    def listdir(path: Any = ".") -> list[str]:
        return list(reversed(real_listdir(path)))

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(os, "listdir", listdir)
    assert _run(root, fmt, "--no-cache") == expected
