"""The ``ordering`` extractor: per-function call order facts for ENV401/ENV402.

The source index parses each candidate file once and calls :data:`EXTRACTOR` with the tree; the
per-language walkers live in :mod:`envlint.ordering.golang` and :mod:`envlint.ordering.jvm`
(C# and Java share one exception-based walker).  This module holds what they share.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from envlint.config import DEFAULT_DESTRUCTIVE
from envlint.model import Location
from envlint.ordering.model import (
    ErrorUse,
    EventKind,
    Frame,
    FunctionFacts,
    OmittedCalls,
    OrderEvent,
)
from envlint.sources.model import Extractor

if TYPE_CHECKING:
    from tree_sitter import Node

__all__ = [
    "EXTRACTOR",
    "LANGUAGES",
    "NEEDLES",
    "PUBLISH_API_NAMES",
    "Compactor",
    "extract",
    "location",
    "parse_facts",
]

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
) -> tuple[object, ...]:
    """Ordering facts of one parsed file: FunctionFacts and TypeBinding objects, in file order.

    ``compact`` (what the source pass stores) keeps only the events that can matter to
    ENV401/ENV402 and the functions that hold a call or send among them, and adds one
    :class:`OmittedCalls` listing what it left out (see :class:`Compactor`); without it every
    call of every function is recorded.
    """
    walk = not compact or any(n in source for n in _PUBLISH_NEEDLES)
    sink = Compactor(language, path, compact, walk or bool(_DESTRUCTIVE_CALL.search(source)))
    if language == "go":
        from envlint.ordering.golang import extract_go

        facts = extract_go(root, path, sink)
    elif language in ("csharp", "java"):
        from envlint.ordering.jvm import extract_jvm

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


def parse_facts(path: str, source: bytes, *, compact: bool = False) -> tuple[object, ...]:
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

    def freeze(self, index: int, own: int | None = None, kept: dict[int, int] | None = None
               ) -> OrderEvent:  # fmt: skip
        """The event at ``index``; ``own`` is its draft index and ``kept`` maps the draft indices
        of the kept events to event indices, when the facts are compact."""
        guards = tuple(sorted({*self.guards, *self.extra_guards} - {index if own is None else own}))
        if kept is not None:
            guards = tuple(kept[g] for g in guards if g in kept)
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


# Names of every built-in Kafka publish API (envlint.ordering.index._APIS), in any language.
PUBLISH_API_NAMES = frozenset(
    {"SendMessage", "SendMessages", "WriteMessages", "Produce", "ProduceSync", "TryProduce",
     "ProduceAsync", "send", "sendDefault"}
)  # fmt: skip
_DEFAULT_DESTRUCTIVE = tuple(re.compile(p) for p in DEFAULT_DESTRUCTIVE)
# Plain calls of predeclared functions: no local helper, unless the package declares one.
_GO_BUILTINS = (
    "append cap clear close complex copy delete imag len make max min new panic print println "
    "real recover"
)
_BUILTINS = {"go": frozenset(_GO_BUILTINS.split()), "csharp": frozenset({"nameof"})}


class Compactor:
    """Freezes the drafts of each function of one file, in full or compact.

    Compact keeps the events ENV401/ENV402 can use whatever the settings, because the user's
    patterns are matched only when judging (:class:`envlint.ordering.OrderingIndex`):

    * exits and sends (``precedes`` needs every exit);
    * calls named like a built-in publish API (:data:`PUBLISH_API_NAMES`) or matching the
      default destructive patterns;
    * calls that may reach a local helper (plain calls and calls on the receiver / ``this``),
      except plain calls of predeclared functions (``len``, ``append``, ``nameof``).

    Every other call (``fmt.Errorf``, ``strings.ToLower``, ``ctx.Err``, ``result.Add``: the
    bulk of the calls in real code) is left out and its name, callee text and, for builtins,
    plain name go into the file's :class:`OmittedCalls`.  The index re-extracts a file in full
    when a user pattern matches one of those names / callees or a function of the language is
    named like an omitted builtin, so no finding depends on what was left out.  Event indices
    (and guards) count the kept events only; every exit is kept, so ``precedes`` answers alike.

    A file whose needles are all destructive stems, none of them in a called or declared name
    (the stem of ``"empty id"``), holds no call the default patterns or a publish API match: its
    function bodies are not walked (its type facts are kept) and every name before ``(`` / ``[``
    / ``<`` in it goes into an ``unwalked`` :class:`OmittedCalls`, as a name and as a possible
    helper call, so user patterns and local helpers have it re-extracted like any other file.
    """

    def __init__(self, language: str, path: str, compact: bool, walk_bodies: bool = True) -> None:
        self.language, self.path, self.compact = language, path, compact
        self.walk_bodies = walk_bodies or not compact  # False: declarations only
        self.builtins = _BUILTINS.get(language, frozenset())
        self.names: set[str] = set()
        self.callees: set[str] = set()
        self.plain: set[str] = set()

    def keeps(self, draft: Draft) -> bool:
        name = draft.name
        if (
            draft.kind != "call"
            or name in PUBLISH_API_NAMES
            or any(p.search(name) for p in _DEFAULT_DESTRUCTIVE)
        ):
            return True
        if draft.self_call and not (not draft.receiver and name in self.builtins):
            return True
        if draft.self_call:
            self.plain.add(name)
        self.names.add(name)
        self.callees.add(draft.callee)
        return False

    def freeze(self, drafts: list[Draft]) -> tuple[OrderEvent, ...]:
        if not self.compact:
            return tuple(d.freeze(i) for i, d in enumerate(drafts))
        kept: dict[int, int] = {}
        for i, draft in enumerate(drafts):
            if self.keeps(draft):
                kept[i] = len(kept)
        return tuple(drafts[old].freeze(new, old, kept) for old, new in kept.items())

    def omitted(self) -> OmittedCalls | None:
        if not self.names:
            return None
        return OmittedCalls(
            self.language,
            self.path,
            tuple(sorted(self.names)),
            tuple(sorted(self.callees)),
            tuple(sorted(self.plain)),
        )
