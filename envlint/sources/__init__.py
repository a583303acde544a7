"""Source analysis: env reads (and other per-file facts) of the services' code.

``build_index`` (``envlint.sources.index``) is the single parse pass; the pipeline
(``envlint.pipeline``) calls it with the extractors the selected rules need.  Per-language
adapters live in one module each (``golang``, ``csharp``, ...); ``adapter`` documents how to
write one, ``languages`` maps extensions to languages and loads grammars lazily.
"""

from __future__ import annotations

from envlint.sources.index import build_index

__all__ = ["build_index"]
