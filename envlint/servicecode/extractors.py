"""The per-file extractors of the service-code model, run in the single source parse pass."""

from __future__ import annotations

from typing import TYPE_CHECKING

from envlint.servicecode.functions import (
    FUNCTION_LANGUAGES,
    FileFunctions,
    extract_functions,
    reads_file,
)
from envlint.servicecode.imports import FileImports, extract_imports, import_head
from envlint.sources.model import Extractor

if TYPE_CHECKING:
    from tree_sitter import Node

    from envlint.sources.model import EnvRead

__all__ = ["FUNCTIONS", "FUNCTION_LANGUAGES", "IMPORTS", "IMPORT_LANGUAGES"]

# Languages whose program files are found by following imports (C#, Java and Kotlin programs
# are resolved from their build files alone).
IMPORT_LANGUAGES = frozenset({"go", "python", "javascript", "typescript", "tsx", "rust", "ruby"})


def _imports(
    language: str, root: Node, source: bytes, path: str, _reads: tuple[EnvRead, ...]
) -> tuple[FileImports, ...]:
    return (extract_imports(language, root, source, path),)


IMPORTS: Extractor[FileImports] = Extractor(
    name="imports",
    languages=IMPORT_LANGUAGES,
    needles=(),
    extract=_imports,
    head=import_head,  # a file parsed for its imports alone is parsed up to its last import
)


def _functions(
    language: str, root: Node, source: bytes, path: str, _reads: tuple[EnvRead, ...]
) -> tuple[FileFunctions, ...]:
    return (extract_functions(language, root, source, path),)


def _functions_wanted(language: str, _source: bytes, path: str) -> bool:
    return reads_file(language, path)


FUNCTIONS: Extractor[FileFunctions] = Extractor(
    name="functions",
    languages=FUNCTION_LANGUAGES,
    needles=(),
    extract=_functions,
    wants=_functions_wanted,  # an Elixir file other than runtime.exs is not parsed for them
)
