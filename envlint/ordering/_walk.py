"""What the per-language ordering walkers (:mod:`envlint.ordering.golang`,
:mod:`envlint.ordering.jvm`) share: node text and locations, the per-function draft, and the
compactor that keeps only the events ENV401/ENV402 can use.  The dispatching extractor is
:mod:`envlint.ordering.extract`.
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
    OmittedCalls,
    OrderEvent,
)

if TYPE_CHECKING:
    from tree_sitter import Node

__all__ = [
    "PUBLISH_API_NAMES",
    "Compactor",
    "Draft",
    "last_identifier",
    "location",
    "strip_pointer",
    "text",
]


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
