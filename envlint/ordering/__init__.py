"""Ordering hazards (ENV401/ENV402): per-function call-order facts from the source pass
(:mod:`envlint.ordering.extract`) and the index that judges them (:mod:`envlint.ordering.index`).
"""

from envlint.ordering.index import (
    MAX_DEPTH,
    SWALLOWING,
    Hop,
    OrderingIndex,
    Site,
    precedes,
)

__all__ = ["MAX_DEPTH", "SWALLOWING", "Hop", "OrderingIndex", "Site", "precedes"]
