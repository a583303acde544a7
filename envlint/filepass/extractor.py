"""The per-file analyses the pass runs beside env-read extraction (plain data)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from tree_sitter import Node

    from envlint.sources.model import EnvRead

_F = TypeVar("_F")

__all__ = ["Extractor"]


@dataclass(frozen=True, slots=True)
class Extractor(Generic[_F]):
    """A per-file analysis that runs in the same pass as env-read extraction.

    The pass parses each candidate file once and hands the tree to every extractor whose
    ``languages`` include the file's language and one of whose ``needles`` occurs in its bytes
    (no needles: every file of those languages); ``wants(language, source, path)``, when given,
    decides instead (a pre-filter that depends on the language, the file's name or the run's
    settings).
    ``extract(language, root, source, path, reads)`` returns immutable facts, collected in file
    order (:meth:`SourceIndex.facts_of`); ``reads`` are the env reads the language's adapter
    found in the file (phase 1: literal or pattern names) when the extractor sets ``reads`` (the
    file is then scanned even when no rule needs env reads), else ``()``: one recognizer of env
    reads serves every analysis.  ``head(language, source)``, when given, is how many leading
    bytes hold all of a file's facts (whole top-level statements): a file parsed for this
    extractor alone is parsed only that far, and whole when that prefix does not parse cleanly.
    ``wants``, ``extract`` and ``head`` must be picklable (module-level functions or
    ``functools.partial`` of them: worker processes receive them); ``fingerprint`` names the
    settings that shape the facts (part of the analysis cache key).
    """

    name: str
    languages: frozenset[str]
    needles: tuple[bytes, ...]
    extract: Callable[[str, Node, bytes, str, tuple[EnvRead, ...]], tuple[_F, ...]]
    reads: bool = False
    wants: Callable[[str, bytes, str], bool] | None = None
    fingerprint: str = ""
    head: Callable[[str, bytes], int] | None = None

    def matches(self, language: str, source: bytes, path: str) -> bool:
        """Whether a file of ``language`` with these bytes at ``path`` is handed to
        :attr:`extract`."""
        if self.wants is not None:
            return self.wants(language, source, path)
        return not self.needles or any(n in source for n in self.needles)
