"""The ``ordering`` extractor: per-function call order facts for ENV401/ENV402.

The source index parses each candidate file once and calls :data:`EXTRACTOR` with the tree; the
per-language walkers live in :mod:`envlint.ordering.golang` and :mod:`envlint.ordering.jvm`
(C# and Java share one exception-based walker).  This module holds what they share.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from envlint.model import Location
from envlint.ordering.model import ErrorUse, EventKind, Frame, OrderEvent
from envlint.sources.model import Extractor

if TYPE_CHECKING:
    from tree_sitter import Node

__all__ = ["EXTRACTOR", "LANGUAGES", "NEEDLES", "extract", "location", "parse_facts"]

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


def extract(language: str, root: Node, source: bytes, path: str) -> tuple[object, ...]:
    """Ordering facts of one parsed file: FunctionFacts and TypeBinding objects, in file order."""
    if language == "go":
        from envlint.ordering.golang import extract_go

        return extract_go(root, path)
    if language in ("csharp", "java"):
        from envlint.ordering.jvm import extract_jvm

        return extract_jvm(language, root, path)
    return ()


# File suffix -> (language name, grammar module) for :func:`parse_facts`.
LANGUAGES = {
    ".go": ("go", "tree_sitter_go"),
    ".cs": ("csharp", "tree_sitter_c_sharp"),
    ".java": ("java", "tree_sitter_java"),
}


def parse_facts(path: str, source: bytes) -> tuple[object, ...]:
    """Parse one file and extract its ordering facts, without the source index.

    For tools and tests that run the ordering analysis on a handful of files; the linter itself
    gets the facts from the source index's single parsing pass.
    """
    suffix = path[path.rfind(".") :] if "." in path else ""
    if suffix not in LANGUAGES:
        return ()
    import importlib

    from tree_sitter import Language, Parser

    language, module = LANGUAGES[suffix]
    grammar = Language(importlib.import_module(module).language())
    return extract(language, Parser(grammar).parse(source).root_node, source, path)


EXTRACTOR = Extractor(
    name="ordering",
    languages=frozenset({"go", "csharp", "java"}),
    needles=NEEDLES,
    extract=extract,
)


def location(path: str, node: Node) -> Location:
    start, end = node.start_point, node.end_point
    return Location(path, start.row + 1, start.column + 1, end.row + 1, end.column + 1)


def text(node: Node | None) -> str:
    if node is None or node.text is None:
        return ""
    return node.text.decode("utf-8", "replace")


@dataclass
class Draft:
    """An event while its function is still being walked (error use and guards settle later)."""

    kind: EventKind
    location: Location
    scope: tuple[Frame, ...]
    guards: tuple[int, ...]
    callee: str = ""
    name: str = ""
    receiver: str = ""
    receiver_field: str = ""
    receiver_type: str = ""
    self_call: bool = False
    arg_count: int = 0
    error_use: ErrorUse = "none"
    fails: bool = False
    extra_guards: list[int] = field(default_factory=list)

    def freeze(self, index: int) -> OrderEvent:
        guards = tuple(sorted({*self.guards, *self.extra_guards} - {index}))
        return OrderEvent(
            index=index,
            kind=self.kind,
            location=self.location,
            scope=self.scope,
            callee=self.callee,
            name=self.name,
            receiver=self.receiver,
            receiver_field=self.receiver_field,
            receiver_type=self.receiver_type,
            self_call=self.self_call,
            arg_count=self.arg_count,
            error_use=self.error_use,
            guards=guards,
            fails=self.fails,
        )


def last_identifier(receiver: str) -> str:
    """``cs.KafkaProducerClient`` -> ``KafkaProducerClient``; ``a.b()`` -> ``""``."""
    tail = receiver.rsplit(".", 1)[-1].strip()
    return tail if tail.replace("_", "a").isalnum() else ""


def strip_pointer(type_text: str) -> str:
    return type_text.lstrip("*& ").strip()
