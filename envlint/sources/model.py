"""Facts the source adapters extract from service code (immutable), and the protocol of the
other per-file analyses of the pass (:class:`Extractor`, run by :mod:`envlint.filepass.run`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Generic, Literal, TypeVar, cast

if TYPE_CHECKING:
    from tree_sitter import Node

from envlint.model import Location, Lookup, Problem

_F = TypeVar("_F")

__all__ = ["EnvRead", "Extractor", "Missing", "SourceIndex", "ValueType"]

# What happens when the variable is unset (for ``on_empty``: set but ""): "crash" (a throw,
# panic, exit or KeyError at the read, or its code path exits: ``crash_location``), "default"
# (a fallback value: ``default``), "empty" (the code goes on with null/""/0) or "unknown".
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
    expected_type: ValueType = "string"  # what the value is parsed as (int(...), strconv.Atoi)
    is_pattern: bool = False  # the name is built by concatenation: "KAFKA_*"
    via: str | None = None  # wrapper function name when the read goes through a helper
    crash_location: Location | None = None  # the throw/panic/exit that fires when missing
    # command-line flags that set the same value (go-flags, go-arg): a service whose command
    # passes one does not need the variable
    flags: tuple[str, ...] = ()
    # groups of other variables: with every variable of one group set, the code returns
    # before it reaches the crash (a provider chain ``if (A) return a(); if (B) return b();
    # throw``: the throw needs A and B missing); a service that sets a whole group does not
    # need this variable
    alternatives: tuple[tuple[str, ...], ...] = ()
    # envalid ``devDefault`` (the source text): the value when the process's NODE_ENV is set and
    # is not ``production``; with NODE_ENV=production the read crashes (at ``crash_location``).
    # ``missing`` is "unknown" here: the service's NODE_ENV decides (envlint.pipeline)
    dev_default: str | None = None
    # the read runs only when its file is the program's main module (inside Python's
    # ``if __name__ == "__main__":``, a ``@main`` role): it is a service's read only when the
    # service runs that file as ``__main__`` (``ProgramRef.main``), never through an import
    main_only: bool = False
    # the read runs only under a development tool, never in a service (inside an EF Core
    # ``IDesignTimeDbContextFactory``, which only ``dotnet ef`` runs): no service's read
    tool_only: bool = False
    # the read runs only in a background-job runner (a method of a Sidekiq worker class, a
    # ``@job`` role), never in the web server that enqueues the job (envlint.pipeline)
    job_only: bool = False
    # a declaration's read (a struct-tag field) runs at the calls that process its struct, which
    # say when it runs (``()``: none found: not known); None: the read is code that runs itself
    processed_at: tuple[Location, ...] | None = None

    @property
    def lookup(self) -> Lookup:
        """How the name is looked up in a container's environment (.NET configuration keys
        map ``__`` to ``:`` and ignore case; ``GetRequiredSection`` accepts keys below it)."""
        if self.language != "csharp" or not self.api.startswith("IConfiguration"):
            return "env"
        return "config-section" if self.api.endswith("GetRequiredSection") else "config"


@dataclass(frozen=True)
class SourceIndex:
    """What the single parse pass over the services' code found: the env reads of every analysed
    file (not yet mapped to services: the pipeline does that with the service-code model), and
    the facts of the other per-file analyses of the pass, per extractor (:meth:`facts_of`)."""

    reads: tuple[EnvRead, ...] = ()
    files_scanned: int = 0
    # source files whose bytes were read here and do not mention ``envlint:`` (so the inline
    # suppression scan need not read them again)
    without_directives: frozenset[str] = frozenset()
    files_parsed: int = 0  # after the byte pre-filter
    dynamic_reads: int = 0  # reads whose name could not be resolved (counted for --statistics)
    notes: tuple[Problem, ...] = ()  # NOTE problems: skipped or partially parsed files
    generated: frozenset[str] = frozenset()  # candidate files skipped as generated code
    extracted: Mapping[str, tuple[object, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )

    def facts_of(self, extractor: Extractor[_F]) -> tuple[_F, ...]:
        """The facts ``extractor`` produced, in file order (empty when it did not run)."""
        return cast("tuple[_F, ...]", self.extracted.get(extractor.name, ()))


@dataclass(frozen=True, slots=True)
class Extractor(Generic[_F]):
    """A per-file analysis that runs in the same pass as env-read extraction.

    The pass parses each candidate file once and hands the tree to every extractor whose
    ``languages`` include the file's language and one of whose ``needles`` occurs in its bytes
    (no needles: every file of those languages); ``wants(language, source, path)``, when given,
    decides instead (a pre-filter that depends on the language, the file's name or the run's
    settings).
    ``extract(language, root, source, path, reads)`` returns immutable facts, collected in file
    order (:meth:`SourceIndex.facts_of`); ``reads`` are the env reads the language's adapter
    found in the file (phase 1: literal or pattern names) when the extractor sets ``reads`` (the
    file is then scanned even when no rule needs env reads), else ``()``: one recognizer of env
    reads serves every analysis.  ``head(language, source)``, when given, is how many leading
    bytes hold all of a file's facts (whole top-level statements): a file parsed for this
    extractor alone is parsed only that far, and whole when that prefix does not parse cleanly.
    ``wants``, ``extract`` and ``head`` must be picklable (module-level functions or
    ``functools.partial`` of them: worker processes receive them); ``fingerprint`` names the
    settings that shape the facts (part of the analysis cache key).
    """

    name: str
    languages: frozenset[str]
    needles: tuple[bytes, ...]
    extract: Callable[[str, Node, bytes, str, tuple[EnvRead, ...]], tuple[_F, ...]]
    reads: bool = False
    wants: Callable[[str, bytes, str], bool] | None = None
    fingerprint: str = ""
    head: Callable[[str, bytes], int] | None = None

    def matches(self, language: str, source: bytes, path: str) -> bool:
        """Whether a file of ``language`` with these bytes at ``path`` is handed to
        :attr:`extract`."""
        if self.wants is not None:
            return self.wants(language, source, path)
        return not self.needles or any(n in source for n in self.needles)
