"""Per-file import facts, taken from the tree of the one source parse.

What a file imports is matched by a tree-sitter query kept as data, one file per language,
``queries/<language>-imports.scm`` (loaded with ``importlib.resources``, compiled once per
process).  A query file may start with ``; inherits: <language>`` to include that language's
file first (TypeScript's inherits JavaScript's).  ``; needles: "a" "b"`` lines name byte strings
one of which every fact's top-level statement contains (``import``, ``package``...): only those
top-level statements are searched, since walking a whole tree costs about a third of parsing it
(a file without the line is searched whole).  Captures are named by *role*; this module only
turns them into facts:

``@package.name``     the file's package (Go package clause, Java/Kotlin package)
``@namespace.name``   a namespace the file declares (C#)
``@import.path``      an import as written (Go import path, JS/TS ``import``, Java/Kotlin import)
``@import.reexport``  JS/TS ``export ... from "x"``
``@import.require``   ``require("x")`` / TS ``import x = require("x")`` with a literal
``@import.dynamic``   ``import("x")`` (JS/TS), ``importlib.import_module("x")`` /
                      ``__import__("x")`` (Python) with a literal
``@import.typeonly``  TS ``import type`` / ``export type ... from`` (erased: links nothing)
``@import.using``     C# ``using X.Y;`` (``global using`` too; an alias's target)
``@import.static``    C# ``using static X.Y;`` / Java ``import static``: names a type or member
``@import.module``    Python ``import a.b``
``@from.statement``   Python ``from m import ...`` (groups the next four)
``@from.module`` / ``@from.relative`` / ``@from.name`` / ``@from.wildcard``
``@typeonly.statement`` Python import under ``if TYPE_CHECKING:`` (never runs)
``@import.settings``  Python: the Django settings module a literal default names
                      (``os.environ.setdefault("DJANGO_SETTINGS_MODULE", "m")``: the
                      environment's value wins); Django imports it by name at start
``@import.settings_set`` the same, assigned (``os.environ["DJANGO_SETTINGS_MODULE"] = "m"``)
``@dynamic.expr``     the computed argument of a dynamic import / require (not resolvable)
``@build.comment``    a top-level comment (Go: ``//go:build`` lines before the package clause)
``@mod.item`` / ``@mod.name`` / ``@mod.pathattr`` / ``@mod.attributed``  Rust ``mod x;``
``@mod.testonly``     a Rust module under ``#[cfg(test)]`` (not compiled into the program)
``@use.root``         the first segment of a Rust path: a crate the file uses

Ruby's ``require_relative "x"`` is an ``@import.path`` (kind ``import``), its ``require "x"``
an ``@import.require``; ``load``/``autoload`` and computed names are ``@dynamic.expr``.

Capture names starting with ``_`` are predicate helpers and carry no fact.  Node text is always
sliced from the parsed bytes (``source[start:end]``), never decoded through ``Node.text``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from collections.abc import Iterator

    from tree_sitter import Node, Query

__all__ = [
    "FileImports",
    "ImportKind",
    "ImportSpec",
    "extract_imports",
    "import_head",
    "imports_of_source",
    "query_for",
]

ImportKind = Literal[
    "import",  # a static import as written (Go path, JS/TS specifier, Java/Kotlin name)
    "reexport",  # JS/TS ``export ... from``
    "require",  # CommonJS require / TS import-equals
    "dynamic",  # import("x") / importlib.import_module("x") with a literal
    "using",  # C# using directive (a namespace)
    "static",  # C# ``using static`` / Java ``import static`` (a type or member)
    "module",  # Python ``import a.b``
    "from",  # Python ``from a.b import c`` (``names``; ``level`` for relative imports)
    "mod",  # Rust ``mod x;`` (``scope``: enclosing inline modules; ``path_attr``)
    "crate",  # Rust: a path root naming a crate (``use x::``, ``x::f()``, ``extern crate x``)
    "settings",  # Python: a Django settings module's default (``environ.setdefault``)
    "settings-set",  # Python: a Django settings module assigned (``environ[...] = "m"``)
]

# language name -> query file (TSX shares TypeScript's)
_QUERY_FILES: dict[str, str] = {
    "go": "go-imports.scm",
    "csharp": "csharp-imports.scm",
    "python": "python-imports.scm",
    "javascript": "javascript-imports.scm",
    "typescript": "typescript-imports.scm",
    "tsx": "typescript-imports.scm",
    "java": "java-imports.scm",
    "kotlin": "kotlin-imports.scm",
    "rust": "rust-imports.scm",
    "ruby": "ruby-imports.scm",
}
_INHERITS = "; inherits:"
_NEEDLES = "; needles:"
_MERGE_GAP = 256  # bytes between two needle statements searched as one range

_KIND_OF_CAPTURE: dict[str, ImportKind] = {
    "import.path": "import",
    "import.reexport": "reexport",
    "import.require": "require",
    "import.dynamic": "dynamic",
    "import.using": "using",
    "import.static": "static",
    "import.module": "module",
    "import.settings": "settings",
    "import.settings_set": "settings-set",
}


@dataclass(frozen=True, slots=True)
class ImportSpec:
    """One import as the file writes it."""

    spec: str  # as written: "example.com/m/pkg", "./util", "a.b" (Python: without leading dots)
    kind: ImportKind
    line: int  # 1-based
    level: int = 0  # Python: the leading dots of a relative import (0 = absolute)
    names: tuple[str, ...] = ()  # Python ``from m import a, b``: ("a", "b"); ("*",) for *
    scope: tuple[str, ...] = ()  # Rust ``mod x;``: the inline ``mod a { ... }`` around it
    path_attr: str | None = None  # Rust ``#[path = "..."]`` on a ``mod x;``


@dataclass(frozen=True, slots=True)
class FileImports:
    """What one source file imports, and what a resolver needs besides."""

    path: str  # relative to the checked root, with "/"
    language: str
    package: str | None = None  # Go package name, Java/Kotlin package; None elsewhere
    namespaces: tuple[str, ...] = ()  # C#: the namespaces the file declares
    imports: tuple[ImportSpec, ...] = ()  # in source order
    dynamic: tuple[int, ...] = ()  # lines of imports whose specifier is computed (unresolvable)
    # Go: the file's build constraint as a ``//go:build`` expression (``// +build`` lines are
    # converted), or None when it has none
    build_constraint: str | None = None


# --- query loading ------------------------------------------------------------------------


def _query_text(file_name: str, seen: frozenset[str] = frozenset()) -> str:
    text = resources.files("envlint.servicecode").joinpath("queries", file_name).read_text("utf-8")
    first = text.split("\n", 1)[0]
    if first.startswith(_INHERITS) and file_name not in seen:
        parent = first[len(_INHERITS) :].strip()
        parent_file = _QUERY_FILES.get(parent)
        if parent_file is not None:
            return _query_text(parent_file, seen | {file_name}) + "\n" + text
    return text


def _needles(text: str) -> tuple[bytes, ...] | None:
    """The ``; needles: "a" "b"`` lines of a query file (None: none, walk the whole tree)."""
    found: list[bytes] = []
    for line in text.splitlines():
        if line.startswith(_NEEDLES):
            found.extend(part.encode() for part in line[len(_NEEDLES) :].split('"')[1::2] if part)
    return tuple(dict.fromkeys(found)) or None


@cache
def _compiled(language: str) -> tuple[Query, tuple[bytes, ...] | None] | None:
    from tree_sitter import Query

    from envlint.filepass.languages import load_language

    file_name = _QUERY_FILES.get(language)
    grammar = load_language(language)
    if file_name is None or grammar is None:
        return None
    text = _query_text(file_name)
    return Query(grammar, text), _needles(text)


@cache
def _needles_of(language: str) -> tuple[bytes, ...] | None:
    """The language's ``; needles:`` (None: none, or no query), read without compiling it."""
    file_name = _QUERY_FILES.get(language)
    return None if file_name is None else _needles(_query_text(file_name))


# Where the rest of a file can hold no import fact.  Go: the first top-level declaration other
# than an import (the spec puts every import before it); a later line that starts with
# ``package`` or ``import`` makes the whole file needed.  Python and JS/TS: the first line after
# the last needle that starts a new top-level definition at column 0 (a keyword, or a
# decorator's ``@``, that cannot continue the statement before it).
_GO_DECLARATION = re.compile(rb"^(?:func|type|var|const)\b", re.MULTILINE)
_GO_LATE = re.compile(rb"^[ \t]*(?:package|import)\b", re.MULTILINE)
_GO_PACKAGE = re.compile(rb"^package\b", re.MULTILINE)
_JS_DEFINITION = re.compile(rb"^(?:(?:function|class|export|const|async[ \t]+function)\b|@)", re.M)
_DEFINITION = {
    "python": re.compile(rb"^(?:def|class|async[ \t]+def)[ \t]|^@", re.MULTILINE),
    "javascript": _JS_DEFINITION,
    "typescript": _JS_DEFINITION,
    "tsx": _JS_DEFINITION,
}


def import_head(language: str, source: bytes) -> int:
    """How many leading bytes of ``source`` hold all of its import facts: the facts of a clean
    parse of ``source[:n]`` are those of the whole file (``len(source)`` when that cannot be
    told from the bytes).  The prefix ends where a new top-level statement begins (see the
    patterns above); the caller parses the whole file when the prefix does not parse cleanly
    (the cut fell inside a comment, a string or a bracket)."""
    if language == "go":
        found = _GO_DECLARATION.search(source)
        if found is None or _GO_LATE.search(source, found.start()) is not None:
            return len(source)
        if _GO_PACKAGE.search(source, 0, found.start()) is None:
            return len(source)
        return found.start()
    definition = _DEFINITION.get(language)
    needles = _needles_of(language)
    if definition is None or needles is None:
        return len(source)
    last = max(source.rfind(needle) for needle in needles)
    if last < 0:
        return 0  # no statement holds a needle: no fact (see _matches)
    found = definition.search(source, source.find(b"\n", last) + 1 or len(source))
    return len(source) if found is None else found.start()


def query_for(language: str) -> Query | None:
    """The compiled import query of ``language`` (once per process), or None without one."""
    compiled = _compiled(language)
    return compiled[0] if compiled is not None else None


def _spans(root: Node, source: bytes, needles: tuple[bytes, ...]) -> list[tuple[int, int]]:
    """The byte ranges of the top-level nodes that contain a needle, merged when close."""
    spans: list[tuple[int, int]] = []
    for needle in needles:
        position = source.find(needle)
        while position >= 0:
            child = root.first_child_for_byte(position)
            if child is None:
                break
            if child.start_byte > position:  # between nodes: no statement holds it
                position = source.find(needle, position + 1)
                continue
            spans.append((child.start_byte, child.end_byte))
            position = source.find(needle, max(child.end_byte, position + 1))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1] + _MERGE_GAP:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _matches(
    query: Query, needles: tuple[bytes, ...] | None, root: Node, source: bytes
) -> Iterator[dict[str, list[Node]]]:
    """The query's matches, searched only in the top-level statements holding a needle: every
    fact's statement holds one of the language's needles, and walking a whole tree costs a
    third of parsing it."""
    from tree_sitter import QueryCursor

    if needles is None:
        for _, caps in QueryCursor(query).matches(root):
            yield caps
        return
    for start, end in _spans(root, source, needles):
        cursor = QueryCursor(query)
        cursor.set_byte_range(start, end)
        for _, caps in cursor.matches(root):
            yield caps


# --- extraction -------------------------------------------------------------------------


def _text(source: bytes, node: Node) -> str:
    return source[node.start_byte : node.end_byte].decode("utf-8", "replace")


def _line(node: Node) -> int:
    return node.start_point[0] + 1


def _dotted(source: bytes, node: Node) -> str:
    """A dotted name without the whitespace/comments a parser allows between its parts."""
    return "".join(_text(source, node).split())


def extract_imports(language: str, root: Node, source: bytes, path: str) -> FileImports:
    """The import facts of one parsed file (empty facts for a language without a query)."""
    compiled = _compiled(language)
    if compiled is None:
        return FileImports(path=path, language=language)
    query, needles = compiled

    package: str | None = None
    namespaces: list[str] = []
    found: list[tuple[int, ImportSpec]] = []  # (start byte, spec) for source order
    dynamic: set[int] = set()
    typeonly_strings: set[tuple[int, int]] = set()
    typeonly_statements: set[tuple[int, int]] = set()
    plain: dict[tuple[int, int], tuple[Node, ImportKind]] = {}  # by node range: one fact each
    froms: dict[tuple[int, int], _From] = {}
    comments: list[Node] = []
    package_start = len(source)
    mods: dict[tuple[int, int], Node] = {}
    mod_paths: dict[tuple[int, int], str] = {}
    crates: dict[str, Node] = {}  # first use of each crate name
    testonly: set[tuple[int, int]] = set()

    for caps in _matches(query, needles, root, source):
        for name, nodes in caps.items():
            if name.startswith("_"):
                continue
            node = nodes[0]
            kind = _KIND_OF_CAPTURE.get(name)
            if kind is not None:
                previous = plain.get(node.byte_range)
                if previous is None or previous[1] != "static":  # `using static` wins
                    plain[node.byte_range] = (node, kind)
            elif name == "package.name":
                package = _dotted(source, node)
                package_start = min(package_start, node.start_byte)
            elif name == "namespace.name":
                namespaces.append(_namespace(source, node))
            elif name == "import.typeonly":
                typeonly_strings.add(node.byte_range)
            elif name == "typeonly.statement":
                typeonly_statements.add(node.byte_range)
            elif name == "dynamic.expr":
                dynamic.add(_line(node))
            elif name == "build.comment":
                comments.append(node)
            elif name == "mod.item":
                mods[node.byte_range] = node
            elif name == "mod.pathattr":
                mod_paths[caps["mod.attributed"][0].byte_range] = _text(source, node)
            elif name == "mod.testonly":
                testonly.add(node.byte_range)
            elif name == "use.root":
                crates.setdefault(_text(source, node), node)
            elif name.startswith("from."):
                statement = caps["from.statement"][0]
                entry = froms.setdefault(statement.byte_range, _From(statement))
                entry.add(name, node, source)

    for node, kind in plain.values():
        if node.byte_range in typeonly_strings:
            continue
        holder = node.parent
        if holder is not None and holder.type == "aliased_import":
            holder = holder.parent
        if holder is not None and holder.byte_range in typeonly_statements:
            continue
        dotted = kind in ("using", "static", "module")
        written = _dotted(source, node) if dotted else _text(source, node)
        found.append((node.start_byte, ImportSpec(spec=written, kind=kind, line=_line(node))))
    for key, entry in froms.items():
        if key not in typeonly_statements:
            found.append((entry.node.start_byte, entry.spec(_line(entry.node))))
    for node in mods.values():
        if not _under_testonly(node, testonly):
            found.append((node.start_byte, _mod_spec(source, node, mod_paths.get(node.byte_range))))
    for crate, node in crates.items():
        if crate not in ("crate", "self", "super", "Self"):
            found.append((node.start_byte, ImportSpec(spec=crate, kind="crate", line=_line(node))))

    found.sort(key=lambda item: item[0])
    return FileImports(
        path=path,
        language=language,
        package=package,
        namespaces=tuple(dict.fromkeys(namespaces)),
        imports=tuple(spec for _, spec in found),
        dynamic=tuple(sorted(dynamic)),
        build_constraint=_go_constraint(source, comments, package_start)
        if language == "go"
        else None,
    )


def _namespace(source: bytes, name: Node) -> str:
    """A C# namespace name, prefixed by the namespaces it is nested in."""
    parts = [_dotted(source, name)]
    declaration = name.parent
    parent = declaration.parent if declaration is not None else None
    while parent is not None:
        if parent.type == "namespace_declaration":
            outer = parent.child_by_field_name("name")
            if outer is not None:
                parts.append(_dotted(source, outer))
        parent = parent.parent
    return ".".join(reversed(parts))


def imports_of_source(language: str, source: bytes, path: str) -> FileImports | None:
    """Parse ``source`` and extract its imports (for files the shared parse pass skipped)."""
    from envlint.filepass.languages import parser_for

    parser = parser_for(language)
    if parser is None or query_for(language) is None:
        return None
    tree = parser.parse(source)
    return extract_imports(language, tree.root_node, source, path)


class _From:
    """The captures of one Python ``from ... import ...`` statement."""

    __slots__ = ("level", "module", "names", "node")

    def __init__(self, node: Node) -> None:
        self.node = node
        self.module = ""
        self.level = 0
        self.names: list[str] = []

    def add(self, role: str, node: Node, source: bytes) -> None:
        if role == "from.module":
            self.module = _dotted(source, node)
        elif role == "from.relative":
            written = _dotted(source, node)
            self.level = len(written) - len(written.lstrip("."))
            self.module = written[self.level :]
        elif role == "from.name":
            self.names.append(_dotted(source, node))
        elif role == "from.wildcard":
            self.names.append("*")

    def spec(self, line: int) -> ImportSpec:
        names = tuple(dict.fromkeys(self.names))
        return ImportSpec(spec=self.module, kind="from", line=line, level=self.level, names=names)


def _under_testonly(node: Node, testonly: set[tuple[int, int]]) -> bool:
    current: Node | None = node
    while current is not None:
        if current.type == "mod_item" and current.byte_range in testonly:
            return True
        current = current.parent
    return False


def _mod_spec(source: bytes, node: Node, path_attr: str | None) -> ImportSpec:
    """A Rust ``mod x;`` with the names of the inline modules around it."""
    name_node = node.child_by_field_name("name")
    name = _text(source, name_node) if name_node is not None else ""
    scope: list[str] = []
    parent = node.parent
    while parent is not None:
        if parent.type == "mod_item":
            outer = parent.child_by_field_name("name")
            if outer is not None:
                scope.append(_text(source, outer))
        parent = parent.parent
    return ImportSpec(
        spec=name, kind="mod", line=_line(node), scope=tuple(reversed(scope)), path_attr=path_attr
    )


# --- Go build constraints -----------------------------------------------------------------


def _go_constraint(source: bytes, comments: list[Node], package_start: int) -> str | None:
    """The ``//go:build`` expression of a Go file (before its package clause), converting
    legacy ``// +build`` lines (space = or, comma = and, lines and-ed) when there is none."""
    legacy: list[str] = []
    for node in comments:
        if node.start_byte >= package_start:
            break
        text = _text(source, node)
        if text.startswith("//go:build"):
            return text[len("//go:build") :].strip() or None
        if text.startswith("// +build"):
            options = text[len("// +build") :].split()
            alternatives = ["(" + " && ".join(option.split(",")) + ")" for option in options]
            if alternatives:
                legacy.append("(" + " || ".join(alternatives) + ")")
    return " && ".join(legacy) if legacy else None
