"""The ``ordering`` extractor: per-function call order facts for ENV401/ENV402.

The source index parses each candidate file once and calls :data:`EXTRACTOR` with the tree; the
per-language walkers live in :mod:`envlint.ordering.golang` and :mod:`envlint.ordering.jvm`
(C# and Java share one exception-based walker), what they share in :mod:`envlint.ordering._walk`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from envlint.ordering._walk import PUBLISH_API_NAMES, Compactor
from envlint.ordering.golang import extract_go
from envlint.ordering.jvm import extract_jvm
from envlint.ordering.model import FunctionFacts, OmittedCalls, OrderingFact
from envlint.sources.model import Extractor

if TYPE_CHECKING:
    from tree_sitter import Node

    from envlint.sources.model import EnvRead

__all__ = ["EXTRACTOR", "LANGUAGES", "NEEDLES", "PUBLISH_API_NAMES", "extract", "parse_facts"]

# A file is parsed for ordering facts only if it holds one of these bytes: a Kafka publish API,
# a publish-like verb, or a destructive verb of the default patterns (case-folded stems).
NEEDLES: tuple[bytes, ...] = (
    b"Input()",
    b"SendMessage",
    b"WriteMessages",
    b"roduce",
    b"ublish",
    b"send",
    b"Send",
    b"mpty",
    b"lear",
    b"elete",
    b"emove",
    b"rop",
    b"urge",
    b"runcate",
)
_PUBLISH_NEEDLES = NEEDLES[:7]
# The destructive stems as part of a called or declared name (``EmptyCart(``, ``dropIt[T](``,
# ``DeleteAsync<T>(``): a file whose stems all sit elsewhere (``"empty id"``) is not walked.
_DESTRUCTIVE_CALL = re.compile(rb"(?i)(?:mpty|lear|elete|emove|rop|urge|runcate)\w*\s*[(\[<]")
# Every name followed by ``(``, ``[`` or ``<``: a superset of the calls of a file not walked.
_CALL_NAME = re.compile(r"(\w+)\s*[(\[<]")


def extract(
    language: str, root: Node, source: bytes, path: str, *, compact: bool = True
) -> tuple[OrderingFact, ...]:
    """Ordering facts of one parsed file: FunctionFacts and TypeBinding objects, in file order.

    ``compact`` (what the source pass stores) keeps only the events that can matter to
    ENV401/ENV402 and the functions that hold a call or send among them, and adds one
    :class:`OmittedCalls` listing what it left out (see :class:`Compactor`); without it every
    call of every function is recorded.
    """
    walk = not compact or any(n in source for n in _PUBLISH_NEEDLES)
    sink = Compactor(language, path, compact, walk or bool(_DESTRUCTIVE_CALL.search(source)))
    if language == "go":
        facts = extract_go(root, path, sink)
    elif language in ("csharp", "java"):
        facts = extract_jvm(language, root, path, sink)
    else:
        return ()
    if not compact:
        return facts
    kept = tuple(
        f
        for f in facts
        if not isinstance(f, FunctionFacts) or any(e.kind != "exit" for e in f.events)
    )
    omitted = sink.omitted()
    if not sink.walk_bodies:
        names = tuple(sorted(set(_CALL_NAME.findall(source.decode("utf-8", "replace")))))
        omitted = OmittedCalls(language, path, names, (), names, unwalked=True)
    return (*kept, omitted) if omitted is not None else kept


# File suffix -> (language name, grammar module) for :func:`parse_facts`.
LANGUAGES = {
    ".go": ("go", "tree_sitter_go"),
    ".cs": ("csharp", "tree_sitter_c_sharp"),
    ".java": ("java", "tree_sitter_java"),
}


def parse_facts(path: str, source: bytes, *, compact: bool = False) -> tuple[OrderingFact, ...]:
    """Parse one file and extract its ordering facts, without the source index (in full unless
    ``compact``).

    For tools and tests that run the ordering analysis on a handful of files, and for the index
    when a user pattern needs a call the compact facts left out; the linter itself gets the
    facts from the source index's single parsing pass.
    """
    suffix = path[path.rfind(".") :] if "." in path else ""
    if suffix not in LANGUAGES:
        return ()
    import importlib

    from tree_sitter import Language, Parser

    language, module = LANGUAGES[suffix]
    grammar = Language(importlib.import_module(module).language())
    root = Parser(grammar).parse(source).root_node
    return extract(language, root, source, path, compact=compact)


def _extract(
    language: str, root: Node, source: bytes, path: str, _reads: tuple[EnvRead, ...]
) -> tuple[OrderingFact, ...]:
    return extract(language, root, source, path)


EXTRACTOR: Extractor[OrderingFact] = Extractor(
    name="ordering",
    languages=frozenset({"go", "csharp", "java"}),
    needles=NEEDLES,
    extract=_extract,
)
