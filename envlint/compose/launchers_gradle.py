"""The Gradle docker-compose plugin (com.avast.gradle.docker-compose) as a launcher.

``./gradlew composeUp`` runs ``docker compose`` with the files of ``useComposeFiles`` (default:
the project directory's default files) and the variables ``environment.put "X", value`` adds to
its environment::

    dockerCompose {
        useComposeFiles = ['docker-compose.yml', 'docker-compose.prod.yml']
        environment.put "BASE_VERSION", baseVersion      // a property: gradle.properties
    }

The build script is parsed by tree-sitter (Groovy DSL: ``dekobon-tree-sitter-groovy``; Kotlin
DSL: ``tree-sitter-kotlin``) and read as a token stream inside the ``dockerCompose { }`` block:
the Groovy grammar reads a command expression with a dotted receiver (``environment.put "X",
v``) as a closure parameter or an ERROR node, but its tokens (strings, identifiers, brackets)
are still right.  A value is known when it is a string literal without interpolation or a
property that ``gradle.properties`` (beside the script, else at the root) defines.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from envlint.model import Location

if TYPE_CHECKING:
    from tree_sitter import Language, Node

__all__ = ["GradleCompose", "gradle_compose"]

_STRINGS = frozenset(("string_literal", "quoted_identifier"))
_INTERPOLATION = frozenset(
    ("gstring_brace_interpolation", "gstring_interpolation", "interpolation",
     "interpolated_expression", "interpolated_identifier")
)  # fmt: skip
_CALLS = frozenset(("command_chain", "call_expression", "method_invocation", "juxt_function_call"))
_MAX_PROPERTIES_BYTES = 256 * 1024


@dataclass(frozen=True, slots=True)
class GradleCompose:
    """One ``dockerCompose { }`` block: what ``gradle composeUp`` gives ``docker compose``."""

    location: Location  # the ``dockerCompose`` word
    files: tuple[str, ...]  # useComposeFiles as written, relative to the script's directory
    environment: tuple[tuple[str, str | None, Location], ...]  # (name, value or None, where)


@dataclass(frozen=True, slots=True)
class _Token:
    text: str  # a string's value (None-free: see ``string``), else the token as written
    string: bool
    known: bool  # a string without interpolation
    line: int


@cache
def _language(kotlin: bool) -> Language | None:
    from tree_sitter import Language

    if kotlin:
        from envlint.filepass.languages import load_language

        return load_language("kotlin")
    try:
        import dekobon_tree_sitter_groovy
    except ImportError:
        return None
    return Language(dekobon_tree_sitter_groovy.language())


def gradle_compose(root: Path, path: str, data: bytes) -> tuple[GradleCompose, ...]:
    """The ``dockerCompose`` blocks of the build script ``path`` (relative to ``root``)."""
    from tree_sitter import Parser

    language = _language(path.endswith(".kts"))
    if language is None:
        return ()
    source = data.decode("utf-8", errors="replace").encode("utf-8")
    tree = Parser(language).parse(source)
    directory = posixpath.dirname(path) or "."
    properties: dict[str, str] | None = None
    out: list[GradleCompose] = []
    for block, line in _blocks(tree.root_node, source):
        tokens = list(_tokens(block, source))
        files: list[str] = []
        environment: list[tuple[str, str | None, Location]] = []
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if token.text == "useComposeFiles" and not token.string:
                statement, i = _statement(tokens, i + 1)
                files = [t.text for t in statement if t.string and t.known]
                continue
            if token.text == "environment" and _texts(tokens, i + 1, 2) == [".", "put"]:
                statement, i = _statement(tokens, i + 3)
                args = [t for t in statement if t.text not in ("(", ")")]
                if len(args) >= 3 and args[0].string and args[0].known and args[1].text == ",":
                    if properties is None:
                        properties = _properties(root, directory)
                    value = _value(args[2:], properties)
                    environment.append((args[0].text, value, Location(path, token.line)))
                continue
            i += 1
        out.append(GradleCompose(Location(path, line), tuple(files), tuple(environment)))
    return tuple(out)


def _blocks(root: Node, source: bytes) -> Iterator[tuple[Node, int]]:
    """The body of each ``dockerCompose { … }`` (Groovy closure or Kotlin lambda)."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type in _CALLS:
            first = node.named_children[0] if node.named_child_count else None
            name = source[first.start_byte : first.end_byte] if first is not None else b""
            if name == b"dockerCompose":
                body = next(
                    (c for c in node.named_children if c.type in ("closure", "annotated_lambda")),
                    None,
                )
                if body is not None:
                    yield body, node.start_point[0] + 1
                    continue
        stack.extend(reversed(node.children))


def _tokens(node: Node, source: bytes) -> Iterator[_Token]:
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type in _STRINGS:
            yield _string(current, source)
            continue
        if current.child_count == 0:
            text = source[current.start_byte : current.end_byte].decode("utf-8", "replace")
            if text.strip():
                yield _Token(text, False, False, current.start_point[0] + 1)
            continue
        stack.extend(reversed(current.children))


def _string(node: Node, source: bytes) -> _Token:
    line = node.start_point[0] + 1
    if any(child.type in _INTERPOLATION for child in node.children):
        return _Token("", True, False, line)
    text = source[node.start_byte : node.end_byte].decode("utf-8", "replace")
    for quote in ('"""', "'''", '"', "'"):
        if text.startswith(quote) and text.endswith(quote) and len(text) >= 2 * len(quote):
            inner = text[len(quote) : -len(quote)]
            return _Token(inner, True, "$" not in inner, line)
    return _Token(text, True, False, line)


def _texts(tokens: list[_Token], start: int, count: int) -> list[str]:
    return [t.text for t in tokens[start : start + count] if not t.string]


def _statement(tokens: list[_Token], start: int) -> tuple[list[_Token], int]:
    """The tokens of the statement from ``start``: up to the end of its line once every
    bracket it opened is closed (a list may span lines)."""
    depth, i = 0, start
    out: list[_Token] = []
    line = tokens[start].line if start < len(tokens) else 0
    while i < len(tokens):
        token = tokens[i]
        if depth == 0 and (token.line != line or token.text in (";", "}")) and out:
            break
        if not token.string and token.text in ("(", "["):
            depth += 1
        elif not token.string and token.text in (")", "]"):
            depth -= 1
            if depth < 0:
                break
        out.append(token)
        line = token.line
        i += 1
    return out, i


def _value(tokens: list[_Token], properties: dict[str, str]) -> str | None:
    if len(tokens) == 1 and tokens[0].string:
        return tokens[0].text if tokens[0].known else None
    if len(tokens) == 1 and tokens[0].text.isidentifier():
        return properties.get(tokens[0].text)
    return None


def _properties(root: Path, directory: str) -> dict[str, str]:
    """``gradle.properties`` beside the script, else at the root (Java properties syntax)."""
    from envlint._regular import read_regular
    from envlint.kafka.properties import parse_properties

    for folder in dict.fromkeys((directory, ".")):
        try:
            data = read_regular(root / folder / "gradle.properties", _MAX_PROPERTIES_BYTES)
        except OSError:
            continue
        text = data.decode("utf-8", errors="replace")
        return {entry.key: entry.value for entry in parse_properties(text)}
    return {}
