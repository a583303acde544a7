"""Located compose values and Compose's merge rules (compose-go override/merge.go, uncity.go).

The loader turns each interpolated YAML file into a tree of :class:`Node` (a value plus where it
is written) and merges trees with :func:`merge` exactly as ``docker compose -f a -f b`` does; the
same function merges ``extends`` bases and ``include``d sub-projects.  Nodes are private to one
load (mutable while merging, never stored in the model: :func:`to_plain` produces ``raw``).

compose-spec 13-merge.md and compose-go override/merge.go ``mergeSpecials``:

- mappings merge key by key; a ``null`` in the later file keeps the earlier value
  (``mergeYaml``: ``if o == nil { return e }``), except in ``environment``-like mappings where a
  null is a pass-through (``KEY``) that replaces the earlier value;
- ``environment``, ``labels``, ``annotations``, ``build.args``, ``sysctls`` … are merged as
  ``KEY=VALUE`` sequences de-duplicated by key: the later value wins at the first position;
- ``env_file`` / ``label_file`` lists are concatenated and de-duplicated by the raw path string,
  keeping the first position (uncity.go);
- ``command``, ``entrypoint`` and ``healthcheck.test`` are replaced, not appended;
- ``build`` in short (string) form is the context;
- ``depends_on`` / ``networks`` in list form are mappings of names;
- ``volumes`` are unique by target (later wins); other sequences are appended;
- ``!reset`` removes the key, ``!override`` replaces the value instead of merging.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from envlint.model import Location, Problem, ProblemKind

__all__ = ["Node", "clone", "env_items", "merge", "service_pattern", "to_plain"]

RESET = "!reset"
OVERRIDE = "!override"


@dataclass(slots=True)
class Node:
    """One interpolated YAML value with its location (internal to a load).

    ``value`` is a scalar (str/int/float/bool/None), a ``dict[str, Node]`` or a ``list[Node]``.
    """

    value: object
    loc: Location
    tag: str | None = None  # "!reset" / "!override" when written
    key_loc: Location | None = None  # where the mapping key of this value is written
    unresolved: bool = False  # interpolation met an unset plain reference or an error
    listform: bool = False  # an environment entry written (or merged) as `- KEY[=value]`
    passthrough: bool = False  # the value came from resolving a pass-through `- KEY`
    example: bool = False  # interpolation used an example file's placeholder value

    def get(self, key: str) -> Node | None:
        if isinstance(self.value, dict):
            child = self.value.get(key)
            return child if isinstance(child, Node) else None
        return None

    def mapping(self) -> dict[str, Node]:
        return self.value if isinstance(self.value, dict) else {}

    def items(self) -> list[Node]:
        return self.value if isinstance(self.value, list) else []


def clone(node: Node) -> Node:
    """A deep copy (extends bases and shared files are merged into more than one place)."""
    value = node.value
    if isinstance(value, dict):
        value = {k: clone(v) for k, v in value.items()}
    elif isinstance(value, list):
        value = [clone(v) for v in value]
    return replace(node, value=value)


def to_plain(node: Node | None) -> object:
    """The plain Python value (dict/list/scalars) of a node tree."""
    if node is None:
        return None
    if isinstance(node.value, dict):
        return {k: to_plain(v) for k, v in node.value.items()}
    if isinstance(node.value, list):
        return [to_plain(v) for v in node.value]
    return node.value


def service_pattern(path: tuple[str, ...]) -> tuple[str, ...]:
    """``("services", "api", "environment")`` -> ``("services", "*", "environment")``."""
    if len(path) >= 2 and path[0] == "services":
        return ("services", "*", *path[2:])
    return path


_S = ("services", "*")
ENV_LIKE = frozenset(
    {
        (*_S, "environment"),
        (*_S, "labels"),
        (*_S, "annotations"),
        (*_S, "sysctls"),
        (*_S, "build", "args"),
        (*_S, "build", "labels"),
        (*_S, "build", "additional_contexts"),
        (*_S, "deploy", "labels"),
        ("networks", "*", "labels"),
        ("volumes", "*", "labels"),
    }
)
UNIQUE_PATH_LISTS = frozenset({(*_S, "env_file"), (*_S, "label_file")})
REPLACED = frozenset({(*_S, "command"), (*_S, "entrypoint"), (*_S, "healthcheck", "test")})
NAME_MAPPINGS = frozenset({(*_S, "depends_on"), (*_S, "networks")})
VOLUMES = (*_S, "volumes")
BUILD = (*_S, "build")


def _pattern(path: tuple[str, ...]) -> tuple[str, ...]:
    pat = service_pattern(path)
    if len(pat) >= 2 and pat[0] in ("networks", "volumes") and len(pat) == 3:
        return (pat[0], "*", pat[2])
    return pat


def env_items(
    node: Node | None, report: Callable[[Problem], None] | None = None
) -> dict[str, Node]:
    """An ``environment``-like value (map or ``KEY=VALUE`` list) as ``{KEY: Node(str|None)}``.

    List form splits at the first ``=``; ``- KEY`` is a pass-through (None).  Duplicates: the
    last value wins at the first position (override/uncity.go ``EnforceUnicity``).  Map values
    that are not strings are turned into text with Go's ``fmt.Sprint`` (``compose_string``).
    """
    from envlint.compose.scalars import compose_string

    out: dict[str, Node] = {}
    if node is None:
        return out
    if isinstance(node.value, dict):
        for key, child in node.value.items():
            value = child.value
            if isinstance(value, dict | list):
                if report is not None:
                    report(
                        Problem(
                            ProblemKind.PARSE_ERROR,
                            child.loc,
                            f"value of '{key}' must be a string, number, boolean or null",
                        )
                    )
                continue
            text = (
                None
                if value is None
                else (value if isinstance(value, str) else compose_string(value))
            )
            out[key] = replace(child, value=text, key_loc=child.key_loc or child.loc)
        return out
    if isinstance(node.value, list):
        for item in node.value:
            if isinstance(item.value, dict | list) or item.value is None:
                if report is not None:
                    report(
                        Problem(
                            ProblemKind.PARSE_ERROR,
                            item.loc,
                            "environment list entries must be strings",
                        )
                    )
                continue
            raw = item.value if isinstance(item.value, str) else compose_string(item.value)
            key, sep, rest = raw.partition("=")
            value_loc = item.loc
            if sep and item.loc.end_line in (None, item.loc.line):
                value_loc = replace(item.loc, column=item.loc.column + len(key) + 1)
            out[key] = replace(
                item,
                value=rest if sep else None,
                loc=value_loc,
                key_loc=item.loc,
                listform=True,
            )
        return out
    if report is not None and node.value is not None:
        report(Problem(ProblemKind.PARSE_ERROR, node.loc, "expected a mapping or a list"))
    return out


def _clean(node: Node) -> Node:
    """Drop ``!reset`` entries and merge tags from a value that has nothing to merge with."""
    value = node.value
    if isinstance(value, dict):
        value = {k: _clean(v) for k, v in value.items() if v.tag != RESET}
    elif isinstance(value, list):
        value = [_clean(v) for v in value if v.tag != RESET]
    return replace(node, value=value, tag=None)


def _as_list(node: Node) -> list[Node]:
    if isinstance(node.value, list):
        return list(node.value)
    if node.value is None:
        return []
    return [node]


def _path_key(item: Node) -> object:
    if isinstance(item.value, dict):
        path = item.value.get("path")
        return path.value if isinstance(path, Node) else None
    return item.value


def _volume_target(item: Node) -> object:
    if isinstance(item.value, dict):
        target = item.value.get("target")
        return ("t", target.value) if isinstance(target, Node) else ("id", id(item))
    if isinstance(item.value, str):
        parts = item.value.split(":")
        return ("t", parts[1] if len(parts) > 1 else parts[0])
    return ("id", id(item))


def _unique(items: list[Node], key: Callable[[Node], object], keep_first: bool) -> list[Node]:
    out: list[Node] = []
    index: dict[object, int] = {}
    for item in items:
        k = key(item)
        try:
            hash(k)
        except TypeError:  # malformed input (a list or mapping where a string belongs): kept
            out.append(item)
            continue
        if k in index:
            if not keep_first:
                out[index[k]] = item
            continue
        index[k] = len(out)
        out.append(item)
    return out


def _names_mapping(node: Node) -> Node:
    if isinstance(node.value, list):
        mapping: dict[str, Node] = {}
        for item in node.value:
            if isinstance(item.value, str):
                mapping[item.value] = Node(None, item.loc, key_loc=item.loc)
        return replace(node, value=mapping)
    return node


def merge(base: Node | None, over: Node, path: tuple[str, ...] = ()) -> Node:
    """``over`` (a later file, an extending service, an including file) merged onto ``base``."""
    if over.tag == OVERRIDE or base is None:
        if over.tag == RESET:
            return Node(None, over.loc, key_loc=over.key_loc)
        return _clean(over)
    pat = _pattern(path)
    if pat in ENV_LIKE:
        merged = {k: replace(v, listform=True) for k, v in env_items(base).items()}
        for key, item in env_items(over).items():
            if item.tag == RESET:
                merged.pop(key, None)
            else:
                merged[key] = replace(item, tag=None, listform=True)
        return Node(merged, base.loc, key_loc=base.key_loc)
    if over.value is None:
        return base  # compose-go mergeYaml: `if o == nil { return e }`
    if pat in UNIQUE_PATH_LISTS:
        items = [_clean(i) for i in _as_list(base) + _as_list(over) if i.tag != RESET]
        return Node(_unique(items, _path_key, keep_first=True), base.loc, key_loc=base.key_loc)
    if pat in REPLACED:
        return _clean(over)
    if pat == BUILD:
        if isinstance(base.value, str):
            base = Node(
                {"context": replace(base, key_loc=base.loc)}, base.loc, key_loc=base.key_loc
            )
        if isinstance(over.value, str):
            over = Node(
                {"context": replace(over, key_loc=over.loc)}, over.loc, key_loc=over.key_loc
            )
    if pat in NAME_MAPPINGS:
        base, over = _names_mapping(base), _names_mapping(over)
    if isinstance(base.value, dict) and isinstance(over.value, dict):
        result = dict(base.value)
        for key, child in over.value.items():
            if child.tag == RESET:
                result.pop(key, None)
                continue
            result[key] = merge(result.get(key), child, (*path, key))
        return Node(result, base.loc, key_loc=base.key_loc)
    if isinstance(base.value, list) and isinstance(over.value, list):
        items = [_clean(i) for i in [*base.value, *over.value] if i.tag != RESET]
        if pat == VOLUMES:
            items = _unique(items, _volume_target, keep_first=False)
        return Node(items, base.loc, key_loc=base.key_loc)
    return _clean(over)
