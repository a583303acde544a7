"""Facts the source adapters extract from service code (immutable)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from tree_sitter import Node

from envlint.model import Location

__all__ = ["EnvRead", "Extractor", "Missing", "SourceIndex", "ValueType"]

# What happens when the variable is absent (or, for `on_empty`, present but "").
Missing = Literal["default", "crash", "empty", "unknown"]
ValueType = Literal["string", "int", "float", "bool", "duration", "url"]


@dataclass(frozen=True, slots=True)
class EnvRead:
    """One read of an environment variable in source code."""

    name: str  # the variable name; for a pattern, the literal parts joined with "*"
    location: Location  # the whole read expression (start and end)
    language: str  # "go", "csharp", "python", "javascript", "typescript", "java", "kotlin"
    api: str  # the form, e.g. "os.Getenv", "Environment.GetEnvironmentVariable", "mustMapEnv"
    missing: Missing
    on_empty: Missing = "empty"
    default: str | None = None  # the default value's source text, when missing == "default"
    expected_type: ValueType = "string"
    is_pattern: bool = False  # the name is built by concatenation: "KAFKA_*"
    via: str | None = None  # wrapper function name when the read goes through a helper
    crash_location: Location | None = None  # the throw/panic/exit that fires when missing


@dataclass(frozen=True)
class SourceIndex:
    """Every env read found in the workspace's source, and per-service membership."""

    reads: tuple[EnvRead, ...] = ()
    # (compose project directory, service name) -> the reads inside that service's source dir
    by_service: Mapping[tuple[str, str], tuple[EnvRead, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    files_scanned: int = 0
    # source files whose bytes were read here and do not mention ``envlint:`` (so the inline
    # suppression scan need not read them again)
    without_directives: frozenset[str] = frozenset()
    files_parsed: int = 0  # after the byte pre-filter
    dynamic_reads: int = 0  # reads whose name could not be resolved (counted for --statistics)
    # Extra per-language facts other analyses extract in the same pass (ordering, kafka clients),
    # keyed by the extractor's name.
    extras: Mapping[str, tuple[object, ...]] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True, slots=True)
class Extractor:
    """A per-file analysis that runs in the same pass as env-read extraction.

    The source index parses each candidate file once and hands the tree to every extractor whose
    ``languages`` include the file's language and one of whose ``needles`` occurs in the file's
    bytes.  ``extract(language, root, source, path)`` returns immutable facts; they are collected
    in file order into ``SourceIndex.extras[name]``.
    """

    name: str
    languages: frozenset[str]
    needles: tuple[bytes, ...]
    extract: Callable[[str, Node, bytes, str], tuple[object, ...]]
