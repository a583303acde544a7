"""Source analysis: env reads (and other per-file facts) of every service's code.

``build_index(ws)`` is the entry point (``Workspace.sources`` calls it lazily).  Per-language
adapters live in one module each (``golang``, ``csharp``, ...); ``adapter`` documents how to
write one, ``languages`` maps extensions to languages and loads grammars lazily.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from envlint.model import Workspace
    from envlint.sources.model import SourceIndex

__all__ = ["build_index"]


def build_index(ws: Workspace, max_bytes: int | None = None) -> SourceIndex:
    """Every env read in the services' source directories (see ``envlint.sources.index``)."""
    from envlint.sources.index import build_index as _build

    return _build(ws) if max_bytes is None else _build(ws, max_bytes=max_bytes)
