"""A tree-sitter query file read as its patterns, each with the literals it needs in a file.

Compiling a query is the largest cost of a cold run on a polyglot tree: tree-sitter analyses
every pattern against the grammar's parse table when the query is made (2-8 ms a pattern for
Ruby, Elixir, Kotlin, PHP and C#; a role query has 40-110 patterns).  Most patterns of a role
query name an API in a text predicate (``(#eq? @_e "ENV")``, ``(#any-of? @_f "Integer"
"Float")``), and a node's text is a slice of the file: such a pattern can only match in a file
that contains one of those literals.  :func:`split` reads a query's text into its top-level
patterns with those literals (a pattern's *needles*); :func:`needed` picks the patterns a
source can match, and :func:`subset` the text of a query of just those.  A query made of the
needed patterns finds exactly what the whole query finds in that source (in the same order:
pattern indices keep their relative order).

A predicate gives needles only when it must hold for every match: a positive ``#eq?`` or
``#any-of?`` of string literals on a capture that is neither under a quantifier (``?``,
``*``) nor inside an alternation (``[...]``), where a match may capture nothing and the
predicate holds vacuously.  ``#match?``, negated and capture-to-capture predicates give none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Pattern", "needed", "split", "subset"]

_TOKEN = re.compile(
    r"""(?P<space>\s+|;[^\n]*)
    |(?P<string>"(?:[^"\\]|\\.)*")
    |(?P<open>[(\[])
    |(?P<close>[)\]])
    |(?P<quantifier>[?*+])
    |(?P<capture>@[^\s()\[\]"]+)
    |(?P<predicate>\#[^\s()\[\]"]+)
    |(?P<word>[^\s()\[\]"@?*+]+)""",
    re.VERBOSE,
)
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "0": "\0"}  # tree-sitter's; others: the char
_NEEDLE_PREDICATES = frozenset({"#eq?", "#any-of?"})


@dataclass(frozen=True, slots=True)
class Pattern:
    """One top-level pattern of a query file."""

    text: str
    needles: tuple[bytes, ...] | None  # one of them is in any text it matches (None: no such)


class _Element:
    """A node, wildcard, string or group of a pattern, for telling definite captures."""

    __slots__ = ("alternation", "optional", "parent")

    def __init__(self, parent: _Element | None, alternation: bool = False) -> None:
        self.parent = parent
        self.alternation = alternation
        self.optional = False  # quantified with ? or *

    def definite(self) -> bool:
        """Whether every match of the pattern has this element."""
        element: _Element | None = self
        while element is not None:
            parent = element.parent
            if element.optional or (parent is not None and parent.alternation):
                return False
            element = parent
        return True


def _unescape(literal: str) -> str:
    body = literal[1:-1]
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), body, flags=re.S)


class _Reader:
    """One query file's text, read pattern by pattern."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.patterns: list[Pattern] = []
        self._reset()

    def _reset(self) -> None:
        self.start: int | None = None
        self.end = 0
        self.captures: list[tuple[str, _Element]] = []  # (name, the element it captures)
        self.predicates: list[list[str]] = []

    def _finish(self) -> None:
        if self.start is not None:
            text = self.text[self.start : self.end]
            self.patterns.append(Pattern(text, self._needles()))
        self._reset()

    def _needles(self) -> tuple[bytes, ...] | None:
        # a group's quantifier follows its captures: definite only once the pattern is read
        definite = {name for name, element in self.captures if element.definite()}
        best: tuple[bytes, ...] | None = None
        for name, *args in self.predicates:
            if name not in _NEEDLE_PREDICATES or len(args) < 2 or args[0][:1] != "@":
                continue
            if args[0][1:] not in definite or any(a[:1] != '"' for a in args[1:]):
                continue
            literals = tuple(_unescape(a).encode("utf-8") for a in args[1:])
            if (name == "#eq?" and len(literals) != 1) or not all(literals):
                continue
            if best is None or min(map(len, literals)) > min(map(len, best)):
                best = literals
        return best

    def read(self) -> tuple[Pattern, ...]:
        stack: list[_Element] = []  # open groups
        predicate: list[str] | None = None  # the open predicate's name and arguments
        last: _Element | None = None  # the element a quantifier or capture follows
        for token in _TOKEN.finditer(self.text):
            kind, value = token.lastgroup, token.group()
            if kind == "space":
                continue
            if kind is None or (not stack and kind == "close"):
                raise ValueError(f"unexpected {value!r} at {token.start()}")
            if predicate is not None:
                if kind == "close":
                    self.predicates.append(predicate)
                    predicate, last = None, None
                elif kind in ("open", "predicate"):
                    raise ValueError(f"unexpected {value!r} in a predicate at {token.start()}")
                else:
                    predicate.append(value)
                continue
            if not stack and kind in ("open", "string", "word"):
                self._finish()  # a new top-level pattern
                self.start = token.start()
            self.end = token.end()
            parent = stack[-1] if stack else None
            if kind == "open":
                stack.append(_Element(parent, alternation=value == "["))
                last = None
            elif kind == "predicate":
                if last is not None or not stack or self.text[token.start() - 1] != "(":
                    raise ValueError(f"a predicate must open its group at {token.start()}")
                stack.pop()  # the "(" opened the predicate, not a node
                predicate = [value]
            elif kind == "close":
                last = stack.pop()
            elif kind in ("string", "word"):
                last = _Element(parent) if not value.endswith(":") and value != "." else None
            elif kind == "quantifier":
                if last is None:
                    raise ValueError(f"a quantifier follows nothing at {token.start()}")
                last.optional = last.optional or value in "?*"
            elif kind == "capture":
                if last is None:
                    raise ValueError(f"a capture follows nothing at {token.start()}")
                self.captures.append((value[1:], last))
        if stack or predicate is not None:
            raise ValueError("unbalanced query text")
        self._finish()
        return tuple(self.patterns)


def split(text: str) -> tuple[Pattern, ...]:
    """The top-level patterns of a query's text, in order (``ValueError`` for text that is not
    a well-formed query)."""
    return _Reader(text).read()


def needed(patterns: Iterable[Pattern], source: bytes) -> frozenset[int]:
    """Indices of the patterns that can match in ``source``."""
    present: dict[bytes, bool] = {}

    def has(needle: bytes) -> bool:
        found = present.get(needle)
        if found is None:
            found = present[needle] = needle in source
        return found

    return frozenset(
        i for i, p in enumerate(patterns) if p.needles is None or any(map(has, p.needles))
    )


def subset(patterns: Iterable[Pattern], keep: frozenset[int]) -> str:
    """The text of a query of the patterns ``keep`` names, in their order."""
    return "\n".join(p.text for i, p in enumerate(patterns) if i in keep)
