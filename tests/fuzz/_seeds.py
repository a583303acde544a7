"""Seed corpora for the atheris harnesses: small files from the repository's own fixtures."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def write_seeds(corpus: Path, patterns: tuple[str, ...], prefix: bytes = b"") -> None:
    """Copy every fixture file matching one of ``patterns`` into ``corpus`` (once)."""
    corpus.mkdir(parents=True, exist_ok=True)
    if any(corpus.iterdir()):
        return
    roots = (REPO / "tests" / "fixtures", REPO / "examples")
    count = 0
    for root in roots:
        for pattern in patterns:
            for path in sorted(root.rglob(pattern)):
                if path.is_file() and path.stat().st_size < 64 * 1024:
                    (corpus / f"seed{count:04d}").write_bytes(prefix + path.read_bytes())
                    count += 1


def import_all_envlint() -> None:
    """Import every envlint module now (call inside ``atheris.instrument_imports``): envlint
    imports most modules lazily, and a module first imported later is not instrumented."""
    import importlib
    import pkgutil

    import envlint

    for info in pkgutil.walk_packages(envlint.__path__, "envlint."):
        if not info.name.endswith("__main__"):
            importlib.import_module(info.name)
