"""The report kept from the last run: used while nothing it was made from has changed, made
anew after any change (a file's bytes, a file Git ignores, a new file, the settings), never
kept for a tree that changed just now, and holding nothing a report does not print."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from envlint import pipeline, runcache
from envlint.config import Settings
from envlint.engine import lint
from envlint.report import Report
from envlint.reporters import RenderOptions, get_renderer
from tests.conftest import write_tree
from tests.test_cache import GO_MAIN

COMPOSE = """
services:
  checkout:
    build: ./checkout
    env_file: [.env]
    environment:
      - DB_URL=${DB_URL:-postgres://db}
"""

SECRET = "pA55-w0rd-never-stored"


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache-home"
    monkeypatch.setenv("ENVLINT_CACHE_DIR", str(home))
    return home


@pytest.fixture
def passes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One item per run that built facts (a run served from the kept report builds none)."""
    calls: list[int] = []
    original = pipeline.build_facts

    def spy(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("envlint.engine.build_facts", spy)
    return calls


def _settled(root: Path, seconds_ago: float = 60.0) -> None:
    """Every entry's times set in the past: the tree is not racy."""
    when = time.time() - seconds_ago
    for path in [root, *root.rglob("*")]:
        os.utime(path, (when, when), follow_symlinks=False)


def _tree(tmp_path: Path) -> Path:
    root = write_tree(
        tmp_path / "shop",
        {
            "docker-compose.yml": COMPOSE,
            ".env": f"DB_PASSWORD={SECRET}\n",
            ".gitignore": ".env\n",
            "checkout/Dockerfile": "FROM golang:1.22\nCOPY . .\nRUN go build -o /app .\n"
            'CMD ["/app"]\n',
            "checkout/go.mod": "module example.com/checkout\n\ngo 1.22\n",
            "checkout/main.go": GO_MAIN,
        },
    )
    _settled(root)
    return root


def render(report: Report, fmt: str) -> str:
    return get_renderer(fmt)(report, RenderOptions(statistics=True))


def _json(root: Path, **settings: object) -> str:
    return render(lint([root], Settings(**settings)), "json")  # type: ignore[arg-type]


def test_an_unchanged_tree_is_answered_from_the_kept_report(
    tmp_path: Path, cache_home: Path, passes: list[int]
) -> None:
    root = _tree(tmp_path)
    first = _json(root)
    assert passes == [1]
    again = _json(root)
    assert passes == [1]  # nothing was read again
    assert again == first == _json(root, cache=False)
    assert '"CART_ADDR"' in first
    # text output needs the findings' source lines: they were kept, masked
    assert render(lint([root], Settings()), "text") == render(
        lint([root], Settings(cache=False)), "text"
    )


def test_any_change_makes_a_new_report(tmp_path: Path, cache_home: Path, passes: list[int]) -> None:
    root = _tree(tmp_path)
    _json(root)
    # a gitignored file envlint reads (the env file) gets the variable: the finding goes
    (root / ".env").write_text(f"DB_PASSWORD={SECRET}\nCART_ADDR=cart:7070\n")
    _settled(root, 30)
    fixed = _json(root)
    assert len(passes) == 2
    assert '"CART_ADDR"' not in fixed
    # a new file, then other settings: each a new report
    write_tree(root, {"checkout/extra.go": "package main\n"})
    _settled(root, 20)
    _json(root)
    assert len(passes) == 3
    _json(root, select=("ENV201",))
    assert len(passes) == 4
    _json(root, select=("ENV201",), jobs=1)  # the number of workers changes no finding
    assert len(passes) == 4


def test_installed_dependencies_are_not_walked(
    tmp_path: Path, cache_home: Path, passes: list[int]
) -> None:
    # a file inside node_modules changes: envlint reads none there, the kept report stands;
    # a package added or removed changes node_modules' own entry: a new report
    root = _tree(tmp_path)
    write_tree(root, {"node_modules/left-pad/index.js": "module.exports = 1\n"})
    _settled(root)
    _json(root)
    changed = root / "node_modules/left-pad/index.js"
    changed.write_text("module.exports = 2\n")  # rewritten in place: no directory changes
    os.utime(changed, (time.time() - 30, time.time() - 30))
    _json(root)
    assert len(passes) == 1
    write_tree(root, {"node_modules/right-pad/index.js": "module.exports = 3\n"})
    _settled(root, 20)
    _json(root)
    assert len(passes) == 2


def test_a_tree_that_changed_just_now_is_not_kept(
    tmp_path: Path, cache_home: Path, passes: list[int]
) -> None:
    root = _tree(tmp_path)
    (root / "checkout/main.go").write_text(GO_MAIN)  # written now: its time cannot tell
    _json(root)
    _json(root)
    assert len(passes) == 2
    _json(root, cache=False)
    assert len(passes) == 3


def test_the_kept_report_holds_no_env_value(tmp_path: Path, cache_home: Path) -> None:
    root = _tree(tmp_path)
    _json(root)
    _json(root)
    packs = [p for p in cache_home.rglob("*.pack") if p.name.endswith("-report.pack")]
    assert packs, list(cache_home.rglob("*"))
    for pack in cache_home.rglob("*"):
        if pack.is_file():
            assert SECRET.encode() not in pack.read_bytes()


def test_a_directory_link_or_manifests_from_stdin_keep_no_report(
    tmp_path: Path, cache_home: Path, passes: list[int]
) -> None:
    root = _tree(tmp_path)
    elsewhere = write_tree(tmp_path / "elsewhere", {"x.go": "package x\n"})
    (root / "linked").symlink_to(elsewhere, target_is_directory=True)
    _settled(root)
    assert runcache.stamp(root, Settings(), None) is None
    (root / "linked").unlink()
    _settled(root)
    assert runcache.stamp(root, Settings(), None) is not None
    assert runcache.stamp(root, Settings(k8s_stdin=b"kind: List\n"), None) is None
    assert runcache.stamp(root, Settings(cache=False), None) is None
