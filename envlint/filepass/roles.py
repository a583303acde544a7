"""A role query's matches over one parsed file: what every analysis reads a tree through.

A language's queries name what matters as *roles*: a pattern's capture without a dot is its
role and anchors the match (``@read``), ``@role.part`` captures are its parts (``@read.name``),
and ``#set!`` properties describe it (``missing "crash"``).  Which roles exist and what they mean
is each analysis's (env reads: :mod:`envlint.sources.classify`; ordering:
:mod:`envlint.ordering.roles`).  :class:`Roles` runs a query once over a tree and indexes its
matches: by anchor and role (the first pattern that matches a node wins, and that pattern's
other matches there merge their parts: tree-sitter reports a repetition over separated
siblings, such as parameters, one by one), by role in source order, and by part node.  An
``@import`` match binds a local name to what it stands for (:meth:`Roles.resolve`), and a
pattern with a ``bind`` property matches only where its ``.bind`` capture resolves to one of
the names it lists; ``@ignore`` marks nodes the analysis must not read (a write, not a read).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tree_sitter import Node, Query

__all__ = ["Match", "Roles", "below", "first", "lineage"]


def lineage(node: Node | None) -> Iterator[Node]:
    """``node`` and its ancestors, innermost first."""
    while node is not None:
        yield node
        node = node.parent


def below(*nodes: Node) -> Iterator[Node]:
    """``nodes`` and every named node below them (depth first, last child first)."""
    stack = list(nodes)
    while stack:
        stack.extend((node := stack.pop()).named_children)
        yield node


def first(nodes: Sequence[Node] | None) -> Node | None:
    return nodes[0] if nodes else None


@cache
def _settings(query: Query) -> Sequence[Mapping[str, str | None]]:
    """Each pattern's ``#set!`` properties."""
    return [query.pattern_settings(i) for i in range(query.pattern_count)]


@dataclass(frozen=True, slots=True)
class Match:
    """One match of a role pattern: the anchor node, its parts and the pattern's properties."""

    role: str
    node: Node
    parts: Mapping[str, tuple[Node, ...]]
    props: Mapping[str, str | None]

    def part(self, name: str) -> Node | None:
        return first(self.parts.get(name))

    def prop(self, name: str, default: str = "") -> str:
        value = self.props.get(name)
        return default if value is None else value


class Roles:
    """The role query's matches over one file, by anchor node and by part node."""

    def __init__(
        self,
        query: Query,
        root: Node,
        source: bytes,
        import_name: Callable[[str], str] | None = None,
        imported: Mapping[str, str] | None = None,
    ) -> None:
        from tree_sitter import QueryCursor

        self.source = source
        self._import_name = import_name
        self._imported = imported or {}
        self._anchored: dict[tuple[int, str], Match] = {}
        self._by_role: dict[str, list[Match]] = defaultdict(list)
        self._holding: dict[int, list[tuple[Match, str]]] = defaultdict(list)
        self._bindings: dict[str, str] = {}
        settings = _settings(query)
        matches = QueryCursor(query).matches(root)
        self._bind([c for _, c in matches if "import" in c])
        bound: dict[tuple[int, str], bool] = {}
        # (anchor, role) -> (pattern, node, parts): the first pattern wins, its matches merge
        found: dict[tuple[int, str], tuple[int, Node, dict[str, list[Node]]]] = {}
        for index, captures in matches:
            role = next((n for n in captures if "." not in n and n[0] != "_"), None)
            if role is None:
                continue
            if (bind := settings[index].get("bind")) is not None:  # most candidates fail here
                at = captures.get(role + ".bind", captures[role])[0]
                if (at.id, bind) not in bound:
                    bound[at.id, bind] = self.resolve(self.text(at)) in bind.split()
                if not bound[at.id, bind]:
                    continue
            prefix = f"{role}."  # role.part -> part
            parts = {n[len(prefix) :]: v for n, v in captures.items() if n.startswith(prefix)}
            node = captures[role][0]
            seen = found.get((node.id, role))
            if seen is None or seen[0] > index:
                found[node.id, role] = (index, node, parts)
            elif seen[0] == index:
                for name, nodes in parts.items():  # each node once, in source order
                    merged = {n.id: n for n in [*seen[2].get(name, []), *nodes]}.values()
                    seen[2][name] = sorted(merged, key=lambda n: n.start_byte)
        for (_, role), (index, node, parts) in sorted(
            found.items(), key=lambda item: (item[1][1].start_byte, -item[1][1].end_byte)
        ):
            frozen = MappingProxyType({name: tuple(nodes) for name, nodes in parts.items()})
            match = Match(role, node, frozen, settings[index])
            self._anchored[(node.id, role)] = match
            self._by_role[role].append(match)
            for name, nodes in parts.items():
                for part in nodes:
                    self._holding[part.id].append((match, name))
        self._ignored = frozenset(m.node.id for m in self._by_role.get("ignore", ()))
        # start bytes of each role's (sorted) matches, for the binary search of within()
        self._starts = {role: [m.node.start_byte for m in ms] for role, ms in self._by_role.items()}

    def _bind(self, imports: list[dict[str, list[Node]]]) -> None:
        """Local name -> what it stands for, from the ``@import`` matches (first one wins)."""
        for parts in sorted(imports, key=lambda p: "import.call" in p):  # plain imports first
            name = self.text(first(parts.get("import.name")))
            alias = self.text(first(parts.get("import.alias")))
            if "import.call" in parts:
                target = self.resolve(self.text(first(parts["import.call"]))) + "()"
            elif alias or "import.module" in parts:
                module = self.text(first(parts.get("import.module")))
                target = f"{module}.{name}" if module else name
            elif self._import_name is not None:  # Go: the package's name binds its path
                self._bindings.setdefault(self._import_name(name), name)
                continue
            else:
                target = name.partition(".")[0]
            self._bindings.setdefault(alias or name.partition(".")[0], target)

    @property
    def bindings(self) -> Mapping[str, str]:
        """Local name -> what the file's ``@import`` bindings make it stand for."""
        return MappingProxyType(self._bindings)

    def resolve(self, dotted: str) -> str:
        """A dotted name with its first segment replaced by what the file's imports bind it to
        (``_os.environ`` -> ``os.environ``; ``env`` -> ``environs.Env()``), and an imported
        name that is another file's ``@export`` by what it is there (``imported``:
        ``config.env.env`` -> ``environ.Env()``)."""
        head, dot, rest = dotted.partition(".")
        target = self._bindings.get(head)
        if target is None:
            return dotted
        full = target + dot + rest
        for name, value in self._imported.items():  # another file's ``@export``
            if full == name or full.startswith(name + "."):
                return value + full[len(name) :]
        return full

    def text(self, node: Node | None) -> str:
        if node is None:
            return ""
        return self.source[node.start_byte : node.end_byte].decode("utf-8", "replace")

    def owner(self, node: Node, types: Collection[str]) -> str:
        """The ``name`` of the innermost ancestor of ``node`` of one of ``types`` (the class
        around a method; "" when there is none)."""
        parent = next((p for p in lineage(node.parent) if p.type in types), None)
        return self.text(parent.child_by_field_name("name")) if parent is not None else ""

    def ignored(self, node: Node) -> bool:
        """Whether ``node`` or an ancestor is an ``@ignore`` (a write, not a read)."""
        return any(n.id in self._ignored for n in lineage(node))

    def at(self, node: Node | None, role: str) -> Match | None:
        return None if node is None else self._anchored.get((node.id, role))

    def all(self, role: str) -> list[Match]:
        return self._by_role.get(role, [])

    def holding(self, node: Node) -> list[tuple[Match, str]]:
        return self._holding.get(node.id, [])

    def within(self, node: Node, role: str) -> Iterator[Match]:
        """Matches of ``role`` anchored inside ``node`` (``node`` included), in source order
        (a binary search: the walk asks this for every statement it follows)."""
        matches, starts = self._by_role.get(role, []), self._starts.get(role, [])
        end = node.end_byte
        for index in range(bisect_left(starts, node.start_byte), len(matches)):
            match = matches[index]
            if match.node.start_byte > end:
                break
            if match.node.end_byte <= end:
                yield match
