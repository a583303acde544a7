"""The ``ordering`` extractor: per-function call order facts for ENV401/ENV402.

The source index parses each candidate file once and calls the extractor with the tree when the
file holds a publish needle (:mod:`envlint.ordering.select` says which files and which of their
functions are walked).  The walkers: :mod:`envlint.ordering.golang`, :mod:`envlint.ordering.jvm`
(C# and Java share one exception-based walker) and :mod:`envlint.ordering.roles` (JS/TS and
Python, on role queries); what they share is in :mod:`envlint.ordering._walk`.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from envlint.ordering._walk import Text
from envlint.ordering.golang import extract_go
from envlint.ordering.golang import functions as go_functions
from envlint.ordering.jvm import extract_jvm
from envlint.ordering.jvm import functions as jvm_functions
from envlint.ordering.model import FileFunctions, OrderingFact
from envlint.ordering.roles import RoleFile
from envlint.ordering.select import SCOPED, Needles, needed, scope_of, summarize
from envlint.sources.model import Extractor

if TYPE_CHECKING:
    from collections.abc import Collection, Sequence

    from tree_sitter import Node

    from envlint.config import Settings
    from envlint.sources.model import EnvRead

__all__ = ["EXTRACTOR", "LANGUAGES", "Parsed", "extract", "extractor", "parse_facts"]

LANGUAGES = frozenset({"go", "csharp", "java", "javascript", "typescript", "tsx", "python"})


class Parsed:
    """One parsed file as the walker of its language sees it: its functions, and the facts of
    those chosen (the role-based walker matches its file-level query once)."""

    def __init__(self, language: str, root: Node, path: str, text: Text) -> None:
        self.language, self.root, self.path, self.text = language, root, path, text
        self._roles = RoleFile(language, root, text) if language in _ROLE_LANGUAGES else None
        if language == "go":
            self.functions = list(go_functions(root, text))
        elif language in ("csharp", "java"):
            self.functions = list(jvm_functions(language, root, text))
        else:
            self.functions = self._roles.functions if self._roles is not None else []

    def walk(self, names: Collection[str] | None) -> tuple[OrderingFact, ...]:
        """The facts of the functions named ``names`` (every function for None) and the file's
        type bindings."""
        wanted = None
        if names is not None:
            chosen = {node.start_byte for node, name in self.functions if name in names}

            def wanted(node: Node) -> bool:
                return node.start_byte in chosen

        if self.language == "go":
            return extract_go(self.root, self.path, self.text, wanted)
        if self.language in ("csharp", "java"):
            return extract_jvm(self.language, self.root, self.path, self.text, wanted)
        return self._roles.extract(self.path, wanted) if self._roles is not None else ()


_ROLE_LANGUAGES = frozenset({"javascript", "typescript", "tsx", "python"})


def extract(
    language: str,
    root: Node,
    source: bytes,
    path: str,
    *,
    needles: Needles | None = None,
    select: bool = True,
) -> tuple[OrderingFact, ...]:
    """Ordering facts of one parsed file: FunctionFacts, TypeBinding and ChannelReader objects in
    file order, then (for Go and C#) the file's :class:`FileFunctions`.

    With ``select`` only the functions that can matter within this file are walked (see
    :mod:`envlint.ordering.select`; the pipeline finishes Go packages and C# directories across
    their files); without it every function is walked.
    """
    if language not in LANGUAGES:
        return ()
    parsed = Parsed(language, root, path, Text(source))
    if not select:
        return parsed.walk(None)
    needles = needles or Needles()
    spans = [(name, node.start_byte, node.end_byte) for node, name in parsed.functions]
    summaries = summarize(language, spans, source, needles)
    need = needed(summaries)
    facts = parsed.walk(need)
    if language not in SCOPED:
        return facts
    summaries = [replace(s, walked=s.name in need) for s in summaries]
    return (*facts, FileFunctions(language, path, scope_of(language, path), tuple(summaries)))


def _wants(needles: Needles, language: str, source: bytes, _path: str) -> bool:
    return needles.in_file(language, source)


def _extract(
    needles: Needles,
    language: str,
    root: Node,
    source: bytes,
    path: str,
    _reads: tuple[EnvRead, ...],
) -> tuple[OrderingFact, ...]:
    return extract(language, root, source, path, needles=needles)


def extractor(settings: Settings | None = None) -> Extractor[OrderingFact]:
    """The extractor for a run: its needles include the run's ``[ordering] publish`` patterns."""
    needles = Needles.of(settings.publish if settings is not None else ())
    return Extractor(
        name="ordering",
        languages=LANGUAGES,
        needles=(),
        extract=partial(_extract, needles),
        wants=partial(_wants, needles),
        fingerprint=repr(needles),
    )


EXTRACTOR = extractor()  # with the default settings (tools, fuzzing)


# File suffix -> language for :func:`parse_facts`.
_SUFFIXES = {
    ".go": "go",
    ".cs": "csharp",
    ".java": "java",
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".jsx": "javascript",
    ".ts": "typescript",
    ".mts": "typescript",
    ".cts": "typescript",
    ".tsx": "tsx",
    ".py": "python",
}


def parse_facts(
    path: str, source: bytes, *, select: bool = False, publish: Sequence[str] = ()
) -> tuple[OrderingFact, ...]:
    """Parse one file and extract its ordering facts, without the source index (every function,
    unless ``select``: then as the source pass would, with ``publish`` patterns).

    For tools and tests that run the ordering analysis on a handful of files; the linter itself
    gets the facts from the source index's single parsing pass.
    """
    from envlint.filepass.languages import parser_for

    suffix = path[path.rfind(".") :].lower() if "." in path else ""
    language = _SUFFIXES.get(suffix)
    parser = parser_for(language) if language is not None else None
    if language is None or parser is None:
        return ()
    root = parser.parse(source).root_node
    needles = Needles.of(publish)
    if select and not needles.in_file(language, source):
        return ()
    return extract(language, root, source, path, needles=needles, select=select)

