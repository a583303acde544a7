"""Per-file analyses that run in the same parse pass as env-read extraction.

Other analyses (Kafka client settings, ordering facts) add their
:class:`~envlint.sources.model.Extractor` objects to ``EXTRACTORS``; ``build_index`` hands every
parsed tree to each extractor whose languages and needles match and collects the results into
``SourceIndex.extras[extractor.name]`` in file order.  Keep this tuple explicit (no registration
by import side effect) and sorted by name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from envlint.sources.model import Extractor

from envlint.kafka.clients import EXTRACTOR as KAFKA_CLIENTS_EXTRACTOR
from envlint.ordering.extract import EXTRACTOR as ORDERING_EXTRACTOR

__all__ = ["EXTRACTORS"]

EXTRACTORS: tuple[Extractor, ...] = (KAFKA_CLIENTS_EXTRACTOR, ORDERING_EXTRACTOR)
