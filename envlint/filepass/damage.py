"""Where a grammar could not read a source file, and the note that says so (ENV901, info).

tree-sitter recovers from what its grammar does not know: an ``ERROR`` node wraps the tokens it
could not place, a zero-width ``MISSING`` node stands for a token it had to invent, and the rest
of the tree is built as usual, so reads elsewhere in the file are still found.  Such a spot is
often valid code in a language version newer than the pinned grammar (Go 1.26 ``new(42)``, a C#
12 collection expression ``[param]``, a TypeScript tagged template with type arguments
``sql<Row[]>`...```), or valid code the grammar mishandles (a bare ``&`` in JSX text), so
the note names the grammar and never calls the code wrong.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from envlint.filepass.languages import grammar_label
from envlint.filepass.parse import span
from envlint.model import Location, Problem, ProblemKind

if TYPE_CHECKING:
    from tree_sitter import Node

__all__ = ["damaged_spots", "partial_parse_note"]

# C#'s conditional-compilation directives: valid anywhere between tokens, but tree-sitter-c-sharp
# reads them only between statements and members
_DIRECTIVES = (b"#if", b"#elif", b"#else", b"#endif")


def damaged_spots(root: Node) -> list[Node]:
    """The outermost ``ERROR`` and ``MISSING`` nodes of the tree, in document order (only
    subtrees that hold one are visited)."""
    found: list[Node] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            found.append(node)
        elif node.has_error:
            stack.extend(reversed(node.children))
    return found


def partial_parse_note(path: str, language: str, source: bytes, root: Node) -> Problem:
    """The note for a file whose tree has damaged spots: at the first spot's real position
    (its span, columns in characters), naming the grammar and how many more spots there are."""
    spots = damaged_spots(root)
    where = span(path, source, spots[0]) if spots else Location(path)
    more = len(spots) - 1
    also = f" and at {more} more place{'s' if more > 1 else ''}" if more > 0 else ""
    why = "code this grammar does not handle, such as a newer language feature, or a syntax error"
    if language == "csharp" and spots and _directive_at(source, spots[0]):
        why = (
            "a preprocessor directive (#if/#else/#endif) inside an expression: valid C# this"
            " grammar cannot read"
        )
    message = (
        f"source file read in part: envlint's parser ({grammar_label(language)}) could not read"
        f" the code here{also} ({why}); the rest of the file was still checked"
    )
    return Problem(ProblemKind.NOTE, where, message)


def _directive_at(source: bytes, spot: Node) -> bool:
    """Whether a damaged spot starts or ends on a line that is a conditional-compilation
    directive (``#if DEBUG`` between two calls of a method chain)."""
    for at in (spot.start_byte, spot.end_byte):
        start = source.rfind(b"\n", 0, at) + 1  # the line holding the spot's start / end
        end = source.find(b"\n", start)
        if source[start : end if end >= 0 else len(source)].lstrip().startswith(_DIRECTIVES):
            return True
    return False
