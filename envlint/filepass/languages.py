"""Which files are source code of which language, and lazy grammar loading: a grammar that is
not installed makes the language "not analysed".

A language is registered by one :class:`LanguageSpec` line in ``LANGUAGES`` (README, "Adding a
language"); which module reads its env reads is :mod:`envlint.sources`' own table.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tree_sitter import Language, Parser

__all__ = [
    "LANGUAGES", "LanguageSpec", "grammar_label", "is_skipped", "language_of", "load_language",
    "parser_for", "spec_of",
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class LanguageSpec:
    name: str
    extensions: tuple[str, ...]
    grammar_module: str
    grammar_function: str
    skipped: tuple[str, ...] = ()  # file-name suffixes of its tests and generated code


LANGUAGES: tuple[LanguageSpec, ...] = (
    LanguageSpec("go", (".go",), "tree_sitter_go", "language",
                 ("_test.go", ".pb.go", ".pb.gw.go", "_grpc.pb.go", "_gen.go", ".gen.go",
                  "zz_generated.deepcopy.go")),
    LanguageSpec("csharp", (".cs",), "tree_sitter_c_sharp", "language",
                 (".designer.cs", ".g.cs", ".g.i.cs", ".generated.cs", "assemblyinfo.cs")),
    LanguageSpec("python", (".py",), "tree_sitter_python", "language",
                 ("_pb2.py", "_pb2_grpc.py", "_test.py")),
    LanguageSpec("javascript", (".js", ".mjs", ".cjs", ".jsx"), "tree_sitter_javascript",
                 "language", (".test.js", ".spec.js", ".test.jsx", ".spec.jsx", ".min.js")),
    LanguageSpec("typescript", (".ts", ".mts", ".cts"), "tree_sitter_typescript",
                 "language_typescript", (".test.ts", ".spec.ts", ".d.ts")),
    LanguageSpec("tsx", (".tsx",), "tree_sitter_typescript", "language_tsx",
                 (".test.tsx", ".spec.tsx")),
    LanguageSpec("java", (".java",), "tree_sitter_java", "language", ("test.java", "tests.java")),
    LanguageSpec("kotlin", (".kt", ".kts"), "tree_sitter_kotlin", "language", ("test.kt",)),
    LanguageSpec("rust", (".rs",), "tree_sitter_rust", "language"),
    LanguageSpec("ruby", (".rb",), "tree_sitter_ruby", "language", ("_spec.rb", "_test.rb")),
    LanguageSpec("php", (".php",), "tree_sitter_php", "language_php"),
    LanguageSpec("elixir", (".ex", ".exs"), "tree_sitter_elixir", "language", ("_test.exs",)),
)  # fmt: skip

_BY_NAME = {spec.name: spec for spec in LANGUAGES}


def spec_of(name: str) -> LanguageSpec | None:
    """The registered :class:`LanguageSpec` named ``name`` (None: no such language)."""
    return _BY_NAME.get(name)


_BY_EXTENSION = {ext: spec.name for spec in LANGUAGES for ext in spec.extensions}

# Directory names whose contents are vendored, generated or build output (SPEC §6): ``.mvn`` is
# the Maven wrapper (MavenWrapperDownloader.java, run by ./mvnw in a build only), ``_build`` and
# ``deps`` are Mix's build output and dependencies.
_SKIP_DIRS = frozenset({
    "vendor", "node_modules", "genproto", "bin", "obj", "testdata", "__pycache__", ".git", ".venv",
    "venv", "site-packages", "__tests__", "__mocks__", "dist", "target", ".gradle", ".mvn", ".next",
    "_build", "deps",
})  # fmt: skip
# test directories: xUnit-style, RSpec / Jasmine (`spec/`), Jest (`__tests__/`)
_TEST_DIRS = frozenset({"test", "tests", "spec", "__tests__"})
_SKIP_SUFFIXES = tuple(suffix for spec in LANGUAGES for suffix in spec.skipped)


def language_of(path: str) -> str | None:
    """The language name for a path by its extension, or None."""
    dot = path.rfind(".")
    return _BY_EXTENSION.get(path[dot:].lower()) if dot > path.rfind("/") else None


def is_skipped(path: str) -> bool:
    """Vendored, generated, build-output, build-tool or test code (SPEC §6)."""
    low = path.lower()
    *folders, name = low.split("/")
    return (
        any(d in _SKIP_DIRS or d in _TEST_DIRS or d.endswith((".tests", ".test")) for d in folders)
        or "/gradle/wrapper/" in f"/{low}"  # the Gradle wrapper: run by a build only
        or (name.startswith("test_") and name.endswith(".py"))
        or (name == "test.exs" and path.split("/")[-2:-1] == ["config"])  # Mix's test env
        or name.endswith(_SKIP_SUFFIXES)
    )


@cache
def load_language(name: str) -> Language | None:
    """The tree-sitter Language for ``name`` (imported on first use), or None if unavailable."""
    spec = _BY_NAME.get(name)
    if spec is None:
        return None
    try:
        from tree_sitter import Language

        module = importlib.import_module(spec.grammar_module)
        return Language(getattr(module, spec.grammar_function)())
    except (ImportError, AttributeError, ValueError, TypeError):
        return None


@cache
def grammar_label(name: str) -> str:
    """The grammar package serving ``name`` and its installed version, as a reader would look
    it up (``"tree-sitter-go 0.25.0"``); the bare package name when its version is unknown."""
    from importlib import metadata

    spec = _BY_NAME.get(name)
    if spec is None:
        return name
    package = spec.grammar_module.replace("_", "-")
    try:
        return f"{package} {metadata.version(package)}"
    except (metadata.PackageNotFoundError, ValueError):
        return package


@cache
def parser_for(name: str) -> Parser | None:
    """A Parser for ``name``, built once per process (single-threaded use)."""
    language = load_language(name)
    if language is None:
        return None
    from tree_sitter import Parser

    return Parser(language)
