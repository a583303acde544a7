"""YAML loading with positions, decoding scalars the way Compose (Go's yaml.v3) does.

Compose reads its files with yaml.v3, which implements the YAML 1.2 core schema with a few
compatibility quirks.  This module builds its own immutable node tree from ruamel.yaml's *event*
stream (never ruamel's constructor or PyYAML's YAML 1.1 resolver) so that:

* ``yes`` / ``on`` / ``no`` stay strings, ``0x1F`` is 31, ``017`` and ``0o17`` are 15, ``1_000``
  is 1000, ``08`` is the float 8.0, ``.inf`` / ``.nan`` are floats; an unquoted date keeps its
  text and gets the tag ``!!timestamp`` (yaml.v3 decodes a ``time.Time`` there);
* every node carries its :class:`~envlint.model.Location`;
* building is iterative (no recursion, so deep nesting cannot raise ``RecursionError``) and
  bounded: aliases share the anchored node, and the *expanded* node count (what a consumer that
  walks the tree would visit) is computed as nodes complete, so a "billion laughs" document is
  rejected as soon as one node grows past ``max_nodes``;
* merge keys (``<<: *base`` or ``<<: [*a, *b]``) are expanded in place: keys written in the
  mapping win over merged ones, and an earlier merge source wins over a later one (yaml.v3);
* duplicate keys are an error, as in Compose (``mapping key "A" already defined at line 5``);
  like yaml.v3, keys are compared by their written text.

Multi-document streams: compose-go decodes *every* document of a compose file and merges each
one over the previous ones like another ``-f`` file (checked with Compose v2.40.3).
:func:`load_yaml_documents` returns them all; :func:`load_yaml` returns the first only and is
meant for files that are not compose files.

Custom tags: ``!reset`` / ``!override`` scalars are decoded like untagged ones and keep the tag;
any other custom tag keeps the tag and the scalar's text as a string (what yaml.v3 does).

Values are turned into Compose's strings by ``envlint.compose.scalars.compose_string``.

Messages never quote scalar values (a compose file may hold secrets); they name keys only.
"""

from __future__ import annotations

import codecs
import importlib
import json
import math
import re
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from envlint.model import Location, Problem, ProblemKind

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_DEPTH",
    "DEFAULT_MAX_NODES",
    "YMap",
    "YNode",
    "YScalar",
    "YSeq",
    "YamlError",
    "dig",
    "load_yaml",
    "load_yaml_documents",
    "scalar_text",
    "string_items",
]

DEFAULT_MAX_BYTES = 16 * 1024 * 1024
DEFAULT_MAX_NODES = 1_000_000
DEFAULT_MAX_DEPTH = 200

Scalar = str | int | float | bool | None


@dataclass(frozen=True, slots=True)
class YScalar:
    """A scalar with its decoded YAML 1.2 core value (as yaml.v3 decodes it)."""

    value: Scalar
    loc: Location
    tag: str | None = None  # a custom tag ("!reset", "!override", "!foo") or "!!timestamp"
    style: str = ""  # '' plain, "'", '"', '|', '>'


@dataclass(frozen=True, slots=True)
class YMap:
    """A mapping in document order; merge keys are already expanded."""

    items: tuple[tuple[YScalar, YNode], ...]
    loc: Location
    tag: str | None = None

    def get(self, key: str) -> YNode | None:
        """The value of the string key ``key`` (``None`` when absent)."""
        for k, v in self.items:
            if k.value == key and isinstance(k.value, str):
                return v
        return None


@dataclass(frozen=True, slots=True)
class YSeq:
    items: tuple[YNode, ...]
    loc: Location
    tag: str | None = None


YNode = YScalar | YMap | YSeq


def dig(node: YNode | None, *keys: str) -> YNode | None:
    """The node at ``keys`` below a mapping (None when a step is not a mapping or is missing)."""
    for key in keys:
        if not isinstance(node, YMap):
            return None
        node = node.get(key)
    return node


def string_items(node: YNode | None) -> list[tuple[str, Location]]:
    """The string items of a sequence, each with where it is written (others left out)."""
    if not isinstance(node, YSeq):
        return []
    return [
        (i.value, i.loc) for i in node.items if isinstance(i, YScalar) and isinstance(i.value, str)
    ]


def scalar_text(node: YNode | None) -> str | None:
    """A scalar as text (None for a mapping, a sequence, null or a boolean)."""
    if isinstance(node, YScalar) and node.value is not None and not isinstance(node.value, bool):
        return str(node.value)
    return None


class YamlError(Exception):
    """Input that Compose could not load as YAML; ``problem`` is a ready PARSE_ERROR."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def load_yaml(
    data: bytes,
    path: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_nodes: int = DEFAULT_MAX_NODES,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> YNode | None:
    """The first document of ``data`` (``None`` for an empty stream or empty document).

    ``path`` (relative to the checked root) goes into every location.  Raises
    :class:`YamlError` for anything Compose would refuse or that exceeds a limit; the whole
    stream is still checked, so a broken second document is an error here too.
    """
    docs = load_yaml_documents(
        data, path, max_bytes=max_bytes, max_nodes=max_nodes, max_depth=max_depth
    )
    return docs[0] if docs else None


def load_yaml_documents(
    data: bytes,
    path: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_nodes: int = DEFAULT_MAX_NODES,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> tuple[YNode | None, ...]:
    """Every document of the stream, in order (an empty document is ``None``)."""
    text = _decode(data, path, max_bytes)
    builder = _Builder(path, max_nodes, max_depth)
    return builder.run(text)


# --------------------------------------------------------------------------- bytes -> text


def _error(path: str, line: int, column: int, message: str) -> YamlError:
    return YamlError(Problem(ProblemKind.PARSE_ERROR, Location(path, line, column), message))


def _line_col(data: bytes | str, index: int) -> tuple[int, int]:
    nl = b"\n" if isinstance(data, bytes) else "\n"
    line = data.count(nl, 0, index) + 1  # type: ignore[arg-type]
    start = data.rfind(nl, 0, index) + 1  # type: ignore[arg-type]
    return line, index - start + 1


def _decode(data: bytes, path: str, max_bytes: int) -> str:
    if len(data) > max_bytes:
        raise _error(
            path, 1, 1, f"file is {len(data)} bytes, larger than the {max_bytes}-byte limit"
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise _error(path, 1, 1, "invalid UTF-16 text") from None
    nul = data.find(b"\x00")
    if nul >= 0:
        line, col = _line_col(data, nul)
        raise _error(path, line, col, "file contains NUL bytes (binary file?)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col(data, exc.start)
        raise _error(path, line, col, "invalid UTF-8 byte sequence") from None
    return text[1:] if text.startswith("\ufeff") else text


# --------------------------------------------------------------------------- scalars

_YAML_TAG = "tag:yaml.org,2002:"
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_MAP: dict[str, Scalar] = {
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
    ".nan": math.nan,
    ".NaN": math.nan,
    ".NAN": math.nan,
}
for _sign, _inf in (("", math.inf), ("+", math.inf), ("-", -math.inf)):
    for _word in (".inf", ".Inf", ".INF"):
        _MAP[_sign + _word] = _inf
_GO_INT = re.compile(r"([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)")
_YAML_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_DOT_FLOAT = re.compile(r"\.[0-9](_?[0-9])*([eE][-+]?[0-9](_?[0-9])*)?")
_TIMESTAMP = re.compile(
    r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
    r"(([Tt]| )[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\.[0-9]*)?(Z|[+-][0-9]{2}:[0-9]{2})?)?"
)
_INT64 = 2**63
_UINT64 = 2**64


def _parse_go_int(plain: str) -> int | None:
    """Go's ``strconv.ParseInt(s, 0, 64)``, falling back to ``ParseUint`` (no sign)."""
    match = _GO_INT.fullmatch(plain)
    if match is None:
        return None
    sign, digits = match.groups()
    prefix = digits[:2].lower()
    body = digits[2:] if prefix in ("0x", "0o", "0b") else digits
    if len(body.lstrip("0")) > 64:  # beyond 64 bits in any base (and int() has a digit limit)
        return None
    if prefix == "0x":
        number = int(digits[2:], 16)
    elif prefix == "0o":
        number = int(digits[2:], 8)
    elif prefix == "0b":
        number = int(digits[2:], 2)
    elif digits.startswith("0"):
        number = int(digits, 8)
    else:
        number = int(digits)
    if sign == "-":
        number = -number
    if -_INT64 <= number < _INT64 or (not sign and number < _UINT64):
        return number
    return None


def _float(text: str) -> float | None:
    value = float(text)
    return None if math.isinf(value) else value  # Go: out of range is an error -> string


def _resolve_plain(text: str) -> tuple[Scalar, str]:
    """Decode an untagged plain scalar as yaml.v3 does: (value, short tag)."""
    if text in _NULLS:
        return None, "!!null"
    if text in _MAP:
        value = _MAP[text]
        return value, "!!bool" if isinstance(value, bool) else "!!float"
    first = text[0]
    if first == ".":
        if _DOT_FLOAT.fullmatch(text):
            value = _float(text.replace("_", ""))
            if value is not None:
                return value, "!!float"
    elif first in "0123456789+-":
        if _TIMESTAMP.fullmatch(text):
            return text, "!!timestamp"
        plain = text.replace("_", "")
        number = _parse_go_int(plain)
        if number is not None:
            return number, "!!int"
        if _YAML_FLOAT.fullmatch(plain):
            value = _float(plain)
            if value is not None:
                return value, "!!float"
    return text, "!!str"


# A token ruamel quotes in a message; one character or a token class (`'<scalar>'`) stays.
_QUOTED = re.compile(r"'([^'<][^']{3,})'")


def _masked_quote(match: re.Match[str]) -> str:
    return "'…'"


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_YAML_TAG) :] if tag.startswith(_YAML_TAG) else tag


# --------------------------------------------------------------------------- events -> nodes


@dataclass
class _Entry:
    key: YScalar | None  # None: a merge key (`<<`)
    value: YNode
    key_text: str = ""


@dataclass
class _Frame:
    is_map: bool
    start_line: int
    start_col: int
    anchor: str | None
    tag: str | None
    entries: list[_Entry] = field(default_factory=list)
    seq_items: list[YNode] = field(default_factory=list)
    size: int = 1
    pending_key: YScalar | None = None
    pending_merge: bool = False
    pending_text: str = ""
    has_key: bool = False
    key_lines: dict[tuple[str, str], int] = field(default_factory=dict)


class _Builder:
    def __init__(self, path: str, max_nodes: int, max_depth: int) -> None:
        self.path = path
        self.max_nodes = max_nodes
        self.max_depth = max_depth
        # anchor -> (node, expanded size, written text of a scalar); None while being built
        self.anchors: dict[str, tuple[YNode, int, str] | None] = {}
        self.stack: list[_Frame] = []
        self.docs: list[YNode | None] = []
        self.total = 0
        # expanded nodes seen so far in the stream, counted as events arrive: a long flow list
        # or a wide alias fan-out stops at the limit instead of being parsed to its end
        self.seen = 0
        self.root: YNode | None = None

    def loc(self, sl: int, sc: int, event: _Event) -> Location:
        return Location(
            self.path, sl + 1, sc + 1, event.end_mark.line + 1, event.end_mark.column + 1
        )

    def fail(self, event: _Event | None, message: str) -> YamlError:
        if event is None:
            return _error(self.path, 1, 1, message)
        mark = event.start_mark
        return _error(self.path, mark.line + 1, mark.column + 1, message)

    def run(self, text: str) -> tuple[YNode | None, ...]:
        from ruamel.yaml.error import MarkedYAMLError, YAMLError
        from ruamel.yaml.reader import ReaderError

        try:
            for event in _events(text):
                self.handle(event)
        except ReaderError as exc:
            line, col = _line_col(text, exc.position)
            raise _error(
                self.path, line, col, f"unacceptable character #x{exc.character:04x}"
            ) from None
        except MarkedYAMLError as exc:
            raise self.marked(exc) from None
        except YAMLError as exc:
            raise _error(self.path, 1, 1, f"invalid YAML: {exc}") from None
        except RecursionError:  # pragma: no cover - the builder and ruamel's parser iterate
            raise _error(self.path, 1, 1, "YAML nesting too deep") from None
        return tuple(self.docs)

    def marked(self, exc: object) -> YamlError:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = str(getattr(exc, "problem", None) or "invalid YAML")
        unclosed = "<stream end>" in problem or "end of stream" in problem
        if unclosed and getattr(exc, "context_mark", None) is not None:
            # An unclosed construct: point where it opens (as Go's yaml.v3 does), not at EOF.
            mark = exc.context_mark  # type: ignore[attr-defined]
        context = getattr(exc, "context", None)
        line = mark.line + 1 if mark is not None else 1
        col = mark.column + 1 if mark is not None else 1
        message = _QUOTED.sub(_masked_quote, problem)  # ruamel quotes tokens of the input
        if "'\\t'" in problem:
            message += " (tabs are not allowed for indentation)"
        context_mark = getattr(exc, "context_mark", None)
        if context and context_mark is not None:
            message += f" ({context} at line {context_mark.line + 1})"
        return _error(self.path, line, col, message)

    # -- event dispatch ---------------------------------------------------------------

    def handle(self, event: _Event) -> None:
        kind = type(event).__name__
        if kind == "ScalarEvent":
            self.scalar(event)
        elif kind == "AliasEvent":
            self.alias(event)
        elif kind in ("MappingStartEvent", "SequenceStartEvent"):
            if len(self.stack) >= self.max_depth:
                raise self.fail(event, f"nesting deeper than {self.max_depth} levels")
            self.count(event, 1)
            mark = event.start_mark
            self.stack.append(
                _Frame(
                    kind == "MappingStartEvent",
                    mark.line,
                    mark.column,
                    event.anchor,
                    self.collection_tag(event),
                )
            )
            if event.anchor is not None:
                self.anchors[event.anchor] = None  # being built: an alias to it is a cycle
        elif kind in ("MappingEndEvent", "SequenceEndEvent"):
            self.end_collection(event)
        elif kind == "DocumentStartEvent":
            self.root = None
            self.anchors = {}  # anchors do not cross documents
        elif kind == "DocumentEndEvent":
            root = self.root
            empty = isinstance(root, YScalar) and root.value is None and root.tag is None
            self.docs.append(None if empty else root)  # an empty or null document

    def collection_tag(self, event: _Event) -> str | None:
        tag = event.tag
        if tag is None or tag in ("!", _YAML_TAG + "map", _YAML_TAG + "seq"):
            return None
        return _short_tag(str(tag))

    def scalar(self, event: _Event) -> None:
        text = str(event.value)
        style = event.style or ""
        tag = None if event.tag is None else str(event.tag)
        value: Scalar = text
        keep: str | None = None
        is_merge = False
        if tag is None:
            if not style:
                value, resolved = _resolve_plain(text)
                if resolved == "!!timestamp":
                    keep = resolved
                is_merge = text == "<<"
        elif tag in ("!reset", "!override"):
            keep = tag
            if not style:
                value, _ = _resolve_plain(text)
        elif tag.startswith(_YAML_TAG):
            value, keep, is_merge = self.standard_tag(event, _short_tag(tag), text)
        elif tag != "!":
            keep = tag  # unknown custom tag: the text as a string (yaml.v3)
        self.count(event, 1)
        node = YScalar(
            value, self.loc(event.start_mark.line, event.start_mark.column, event), keep, style
        )
        self.complete(event, node, 1, text, is_merge)

    def standard_tag(self, event: _Event, short: str, text: str) -> tuple[Scalar, str | None, bool]:
        if short == "!!str":
            return text, None, False
        if short == "!!merge":
            return text, None, True
        if short in ("!!int", "!!float", "!!bool", "!!null"):
            value, resolved = _resolve_plain(text) if text else (None, "!!null")
            if short == "!!float" and resolved == "!!int":
                return float(value), None, False  # type: ignore[arg-type]
            if resolved != short:
                raise self.fail(event, f"cannot decode a {resolved} scalar as a {short}")
            return value, None, False
        return text, short, False  # !!timestamp, !!binary, ...: the text, tag kept

    def alias(self, event: _Event) -> None:
        name = str(event.anchor)
        if name not in self.anchors:
            frame = self.stack[-1] if self.stack else None
            if frame is not None and frame.is_map and frame.has_key and frame.pending_merge:
                raise self.fail(event, f"unknown anchor '{name}' referenced")  # `<<: *name`
            # Elsewhere the "alias" may be a value someone left unquoted (`PASSWORD: *s3cr3t`):
            # its text is not repeated.
            raise self.fail(
                event,
                "unknown anchor referenced (an unquoted value that starts with '*' is a YAML "
                "alias: quote it if it is a string)",
            )
        target = self.anchors[name]
        if target is None:
            raise self.fail(event, f"anchor '{name}' value contains itself")
        node, size, text = target
        self.count(event, size)
        self.complete(event, node, size, text, False, alias=True)

    def count(self, event: _Event, size: int) -> None:
        self.seen += size
        if self.seen > self.max_nodes:
            raise self.fail(
                event,
                f"document expands to more than {self.max_nodes} nodes "
                "(too large, or aliases nested too deeply: a 'billion laughs' document?)",
            )

    def end_collection(self, event: _Event) -> None:
        frame = self.stack.pop()
        loc = self.loc(frame.start_line, frame.start_col, event)
        node: YNode
        if frame.is_map:
            node = YMap(self.merged_items(frame), loc, frame.tag)
        else:
            node = YSeq(tuple(frame.seq_items), loc, frame.tag)
        self.complete(event, node, frame.size, "", False, anchor=frame.anchor)

    def merged_items(self, frame: _Frame) -> tuple[tuple[YScalar, YNode], ...]:
        explicit = {_key_id(e.key) for e in frame.entries if e.key is not None}
        seen = set(explicit)
        items: list[tuple[YScalar, YNode]] = []
        for entry in frame.entries:
            if entry.key is not None:
                items.append((entry.key, entry.value))
                continue
            sources = entry.value.items if isinstance(entry.value, YSeq) else (entry.value,)
            for source in sources:
                assert isinstance(source, YMap)  # checked when the merge value arrived
                for key, value in source.items:
                    ident = _key_id(key)
                    if ident not in seen:
                        seen.add(ident)
                        items.append((key, value))
        return tuple(items)

    def complete(
        self,
        event: _Event,
        node: YNode,
        size: int,
        text: str,
        is_merge: bool,
        *,
        alias: bool = False,
        anchor: str | None = None,
    ) -> None:
        if size > self.max_nodes:
            raise self.fail(
                event,
                f"document expands to more than {self.max_nodes} nodes "
                "(aliases nested too deeply: a 'billion laughs' document?)",
            )
        if anchor is None and not alias:
            anchor = getattr(event, "anchor", None)
        if anchor is not None:
            self.anchors[anchor] = (node, size, text)
        if not self.stack:
            self.total += size
            if self.total > self.max_nodes:
                raise self.fail(event, f"stream has more than {self.max_nodes} nodes")
            self.root = node
            return
        frame = self.stack[-1]
        frame.size += size
        if not frame.is_map:
            frame.seq_items.append(node)
            return
        if not frame.has_key:
            self.add_key(frame, event, node, text, is_merge and not alias)
            return
        frame.has_key = False
        if frame.pending_merge:
            if not _mergeable(node):
                raise self.fail(event, "map merge requires map or sequence of maps as the value")
            frame.entries.append(_Entry(None, node, "<<"))
        else:
            assert frame.pending_key is not None
            frame.entries.append(_Entry(frame.pending_key, node, frame.pending_text))

    def add_key(self, frame: _Frame, event: _Event, node: YNode, text: str, is_merge: bool) -> None:
        if not isinstance(node, YScalar):
            raise self.fail(event, "mapping keys must be scalars")
        kind = "merge" if is_merge else "scalar"
        first = frame.key_lines.get((kind, text))
        line = event.start_mark.line + 1
        if first is not None:
            raise self.fail(
                event, f"mapping key {json.dumps(text)} already defined at line {first}"
            )
        frame.key_lines[(kind, text)] = line
        frame.has_key = True
        frame.pending_merge = is_merge
        frame.pending_key = node
        frame.pending_text = text


def _mergeable(node: YNode) -> bool:
    if isinstance(node, YMap):
        return True
    return isinstance(node, YSeq) and all(isinstance(item, YMap) for item in node.items)


def _key_id(key: YScalar) -> tuple[str, Scalar]:
    return type(key.value).__name__, key.value


class _Mark:  # the parts of ruamel's marks and events this module reads (for typing only)
    line: int
    column: int


class _Event:
    start_mark: _Mark
    end_mark: _Mark
    anchor: str | None
    tag: object
    value: object
    style: str | None


def _events(text: str) -> Iterator[_Event]:
    """The event stream: libyaml's (PyYAML's C parser: ~10x faster than ruamel's pure-Python
    scanner, and the parser Go's yaml.v3 was ported from) when it accepts the text, else
    ruamel's, which also words the error as before."""
    libyaml = _libyaml()
    if libyaml is not None:
        try:
            return iter(list(libyaml.parse(text, Loader=libyaml.CSafeLoader)))
        except libyaml.YAMLError:
            pass
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    return yaml.parse(text)  # type: ignore[no-any-return]


@cache
def _libyaml() -> Any:
    """PyYAML when it was built with libyaml, else None (pure-Python PyYAML is no faster)."""
    try:
        module = importlib.import_module("yaml")
    except ImportError:
        return None
    return module if getattr(module, "__with_libyaml__", False) else None
