"""Source analysis: env reads (and other per-file facts) of the services' code.

``build_index`` (``envlint.sources.index``, which describes the pass) is the single parse pass;
the pipeline (``envlint.pipeline``) calls it with the extractors the selected rules need.  Each
language is a role query and a small module (``golang``, ``csharp``, ...) on the shared classifier;
``languages`` maps extensions to languages and loads grammars lazily.
"""

from __future__ import annotations

from envlint.sources.index import build_index

__all__ = ["build_index"]
