"""Shared test helpers: write small multi-file projects, run the engine or the CLI on them."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from envlint.config import Settings
from envlint.engine import Report, lint


def write_tree(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write ``{"relative/path": content}`` below ``root`` (text is dedented)."""
    for rel, content in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


def run_lint(root: Path, **settings: object) -> Report:
    return lint([root], Settings(**settings))  # type: ignore[arg-type]


def triples(report: Report, code: str | None = None) -> set[tuple[str, str, int]]:
    """The compact form tests assert on: (code, path, line)."""
    return {
        (f.code, f.location.path, f.location.line)
        for f in report.findings
        if code is None or f.code == code
    }


@pytest.fixture
def project(tmp_path: Path) -> Callable[[Mapping[str, str | bytes]], Path]:
    def make(files: Mapping[str, str | bytes]) -> Path:
        return write_tree(tmp_path / "proj", files)

    return make


@pytest.fixture(autouse=True)
def _isolated_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tests never read or write the user's analysis cache (~/.cache/envlint)."""
    monkeypatch.setenv("ENVLINT_CACHE_DIR", str(tmp_path_factory.mktemp("envlint-cache")))
