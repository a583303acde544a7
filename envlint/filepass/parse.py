"""Reading and parsing one source file: at most ``max_bytes``, decoded for tree-sitter, parsed
under a time budget; and a node's location."""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING

from envlint._regular import TooLargeError, read_regular
from envlint.filepass.generated import HEAD_BYTES, is_generated, is_minified
from envlint.filepass.languages import parser_for
from envlint.model import Location

if TYPE_CHECKING:
    from tree_sitter import Node

__all__ = [
    "DEFAULT_MAX_BYTES", "PARSE_BUDGET_S", "TIMEOUT_NOTE", "ParseTimeout", "decode_source",
    "generated", "parse", "parse_file", "parse_source", "read_file", "read_source", "span", "tree",
]  # fmt: skip

DEFAULT_MAX_BYTES = 2 * 1024 * 1024
PARSE_BUDGET_S = 5.0  # a 2 MiB file parses in well under a second; some grammars can stall


class ParseTimeout(Exception):
    """Parsing one file took longer than :data:`PARSE_BUDGET_S` (e.g. tree-sitter-kotlin 1.1.0
    needs ~40 s for a 1 KB file with a stray ``#`` in an unclosed body)."""


TIMEOUT_NOTE = f"source file skipped: parsing took longer than {PARSE_BUDGET_S:g} s"
_BUNDLED = frozenset({"javascript", "typescript", "tsx"})  # languages shipped minified/bundled


def read_file(root: str, path: str, max_bytes: int) -> bytes | str:
    """The file's bytes, or the note saying why they are not read."""
    try:
        return read_regular(os.path.join(root, path), max_bytes)  # noqa: PTH118
    except TooLargeError:
        return f"source file skipped: larger than {max_bytes} bytes"
    except OSError as exc:
        return f"source file not readable: {exc.strerror or type(exc).__name__}"


def generated(language: str, data: bytes) -> bool:
    """Code that says it was generated (DO NOT EDIT), or a JavaScript/TypeScript file a build
    tool wrote (minified or bundled; other languages' long-lined files are data and stay)."""
    return is_generated(data[:HEAD_BYTES]) or (language in _BUNDLED and is_minified(data))


def decode_source(data: bytes) -> bytes:
    """The bytes handed to the parser: UTF-8 (a BOM removed; UTF-16 and invalid UTF-8 decoded
    with replacement and re-encoded: tree-sitter's text predicates must never see invalid UTF-8).
    Never raises."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace").encode("utf-8")
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("utf-8", "replace").encode("utf-8")
    return data


def parse(language: str, source: bytes) -> Node | None:
    """Parse with a time budget (:class:`ParseTimeout`): tree-sitter 0.26 honours a progress
    callback only when the text comes through a read callback, and cancelling raises
    ``ValueError``."""
    parser = parser_for(language)
    if parser is None:
        return None
    deadline = time.monotonic() + PARSE_BUDGET_S

    # small chunks: query predicates (#eq?, #match?) fetch each captured node's text through
    # this callback too, and a 64 KB copy per predicate made role queries several times slower
    def read(offset: int, _point: object) -> bytes:
        return source[offset : offset + 1024]

    def cancel(*_state: object) -> bool:
        return time.monotonic() > deadline

    try:
        tree = parser.parse(read, progress_callback=cancel)
    except ValueError:
        parser.reset()
        raise ParseTimeout from None
    if tree.root_node.has_error:
        return tree.root_node  # re-parsing error regions is not free: keep the budgeted tree
    # A tree parsed through the callback fetches every ``Node.text`` (and every text predicate
    # of a query) through it again: ~3 us a call, 1.8 M calls on a 3,000-file Go repository.
    # Parsing the bytes once more with that tree as the old tree reuses every subtree (no edits:
    # ~3 % of the first parse) and gives a tree that holds its bytes, so text is a plain slice.
    return parser.parse(source, old_tree=tree).root_node


def tree(language: str, source: bytes) -> Node | None:
    """The tree of ``source``, or None when it cannot be parsed (in time)."""
    try:
        return parse(language, source)
    except ParseTimeout:
        return None


def parse_file(root: str, path: str, language: str, max_bytes: int) -> tuple[bytes, Node] | None:
    """Read, decode and parse one file as the pass does, for analyses that finish work across
    files after it; None when it cannot be (the pass already noted why) or is generated code
    (which the pass does not parse either).  Never raises."""
    data = read_source(root, path, language, max_bytes)
    return None if data is None else parse_source(language, data)


def parse_source(language: str, data: bytes) -> tuple[bytes, Node] | None:
    """Decode and parse bytes :func:`read_source` gave (a look at them first costs no second
    read); None when the parse fails or times out.  Never raises."""
    source = decode_source(data)
    root = tree(language, source)
    return None if root is None else (source, root)


def read_source(root: str, path: str, language: str, max_bytes: int) -> bytes | None:
    """The bytes of a file that :func:`parse_file` would parse (None: it would not), for a
    cheap look before parsing.  Never raises."""
    data = read_file(root, path, max_bytes)
    return None if isinstance(data, str) or generated(language, data) else data


def _column(source: bytes, offset: int) -> int:
    line_at = source.rfind(b"\n", 0, offset) + 1
    return len(source[line_at:offset].decode("utf-8", "replace")) + 1


def span(path: str, src: bytes, node: Node) -> Location:
    """The node's span in the file ``path`` (``src``: its parsed bytes) as a 1-based Location
    (columns count characters, not bytes)."""
    return Location(
        path=path,
        line=node.start_point.row + 1,
        column=_column(src, node.start_byte),
        end_line=node.end_point.row + 1,
        end_column=_column(src, node.end_byte),
    )
