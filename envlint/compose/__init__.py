"""Compose: files -> the immutable project model (``load_workspace``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from envlint.config import Settings
    from envlint.model import Workspace

__all__ = ["load_workspace"]


def load_workspace(
    root: Path, settings: Settings, explicit_paths: Sequence[Path] = ()
) -> Workspace:
    """Every Compose project under ``root`` as Docker Compose v2 would load it (see loader)."""
    from envlint.compose.loader import load_workspace as _load

    return _load(root, settings, explicit_paths)
