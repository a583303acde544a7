"""The result of one run, as plain data: what every reporter formats.

Reporters receive a :class:`Report` and nothing else — not the engine, not the rule registry,
not the workspace — so a format can be tested from data alone.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

from envlint.findings import Finding, Severity
from envlint.model import Location

__all__ = ["Report", "RuleInfo", "ServiceCode", "StackInfo", "Summary"]


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """A rule's metadata as reporters show it."""

    code: str
    name: str
    severity: Severity  # the default severity
    summary: str
    url: str


@dataclass(frozen=True, slots=True)
class StackInfo:
    """One stack that was checked, and why (``ComposeProject.kind``, its launchers)."""

    stack: str  # "compose.yaml + compose.override.yaml"
    kind: str  # default, layer, base, alone, documented, explicit
    launchers: tuple[str, ...] = ()  # "GNUmakefile (make up)", "CI job e2e (.github/...)"

    @property
    def why(self) -> str:
        started = ""
        if self.launchers:
            more = f" and {len(self.launchers) - 2} more" if len(self.launchers) > 2 else ""
            started = f"started by {', '.join(self.launchers[:2])}{more}"
        reason = {
            "default": "the default files",
            "layer": "a layer over the default stack",
            "base": "another version of the default file",
            "alone": "a complete compose file",
            "documented": "",
            "explicit": "given with -f or compose-files",
        }.get(self.kind, self.kind)
        return "; ".join(part for part in (reason, started) if part)


@dataclass(frozen=True, slots=True)
class Summary:
    """What was read, each thing counted once."""

    projects: int = 0  # directories holding a Compose project
    stacks: int = 0  # stacks checked (the default stack, layers, -f stacks)
    services: int = 0  # distinct (project directory, service name)
    env_files: int = 0  # distinct env files read (project, service and example files)
    files_read: int = 0  # compose/env/Dockerfile/properties files read
    # source statistics: None when no selected rule needed the services' code
    source_files: int | None = None  # candidate source files
    source_files_parsed: int | None = None
    env_reads: int | None = None
    dynamic_reads: int | None = None
    # example files read in place of an absent .env / env_file (the repository git-ignores it
    # and documents it): "said once in the summary"
    documented_by: tuple[str, ...] = ()
    fixed: int | None = None  # fixes applied by `envlint fix` / `check --fix` (None: no fix run)
    # Kubernetes manifest sets read, each with how: "overlay k8s/prod (kustomize v5.5.0)"
    manifest_sets: tuple[str, ...] = ()
    checked_stacks: tuple[StackInfo, ...] = ()  # every stack checked, in the workspace's order


@dataclass(frozen=True, slots=True)
class ServiceCode:
    """Which code envlint took for one service (``--statistics``, JSON, ``trace``)."""

    stack: str
    service: str
    program: str | None  # the program's entry (file, package, project), None when not found
    how: str  # how envlint decided (commands as written, never their values), or why not
    files: int | None  # source files taken as the service's code (None: none)
    by: str  # "program" (its import graph), "directory" (every file below it) or "none"
    directory: str = ""  # the compose project's directory (with ``service``, one service)


@dataclass(frozen=True)
class Report:
    """Sorted findings plus what the summary needs."""

    root: Path
    findings: tuple[Finding, ...]
    rules: tuple[RuleInfo, ...] = ()  # the rules that ran
    # metadata of every known rule by code (for findings of rules that did not "run", e.g. ENV903)
    catalog: Mapping[str, RuleInfo] = field(default_factory=lambda: MappingProxyType({}))
    summary: Summary = Summary()
    suppressed: int = 0
    baselined: int = 0
    stale_baseline: tuple[str, ...] = ()  # fingerprints in the baseline that no longer match
    internal_errors: tuple[str, ...] = ()  # tracebacks (for --debug)
    # (path, line) -> the source line there with secret values masked (envlint.snippets),
    # for findings' locations; read on first access
    snippets: Mapping[tuple[str, int], str] = field(default_factory=lambda: MappingProxyType({}))
    # the repository holding the checked paths (SARIF's %SRCROOT%), when one was found
    srcroot: Path | None = None
    # notes for the person running envlint (stderr, shown even with -q): nothing was checked...
    notices: tuple[str, ...] = ()
    # per service, the code envlint read (when a selected rule needed it)
    service_code: tuple[ServiceCode, ...] = ()

    def relative_to(self, base: Path) -> Report:
        """The same report with every path relative to ``base`` (the current directory, for
        people and CI annotations); fingerprints keep their root-relative identity."""
        renamed: dict[str, str] = {}

        def moved(location: Location) -> Location:
            path = renamed.get(location.path)
            if path is None:
                path = _relative(self.root / location.path, base)
                renamed[location.path] = path
            return replace(location, path=path)

        findings = tuple(
            replace(
                f,
                location=moved(f.location),
                related=tuple(replace(r, location=moved(r.location)) for r in f.related),
            )
            for f in self.findings
        )
        back = {new: old for old, new in renamed.items()}
        examples = tuple(_relative(self.root / path, base) for path in self.summary.documented_by)
        return replace(
            self,
            root=base,
            summary=replace(self.summary, documented_by=examples),
            findings=tuple(sorted(findings, key=lambda f: f.sort_key)),
            snippets=_Rekeyed(self.snippets, back),
        )

    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)}
        for finding in self.findings:
            out[finding.severity.value] += 1
        return out

    def source_statistics(self) -> dict[str, int] | None:
        """Counts from the source pass, when a selected rule needed it."""
        s = self.summary
        if s.source_files is None:
            return None
        return {
            "source_files": s.source_files,
            "source_files_parsed": s.source_files_parsed or 0,
            "env_reads": s.env_reads or 0,
            "dynamic_reads_skipped": s.dynamic_reads or 0,
        }

    def failed(self, fail_on: str) -> bool:
        if fail_on == "never":
            return False
        threshold = Severity.parse(fail_on).rank
        return any(f.severity.rank >= threshold for f in self.findings)

    def rule(self, code: str) -> RuleInfo | None:
        return self.catalog.get(code)


def _relative(path: Path, base: Path) -> str:
    """``path`` relative to ``base`` with ``/`` (``..`` where it lies outside)."""
    try:
        rel = os.path.relpath(path, base)
    except ValueError:  # another drive (Windows): keep it absolute
        return path.as_posix()
    return rel.replace(os.sep, "/")


class _Rekeyed(Mapping[tuple[str, int], str]):
    """``snippets`` looked up under renamed paths."""

    def __init__(self, inner: Mapping[tuple[str, int], str], back: Mapping[str, str]) -> None:
        self._inner = inner
        self._back = back

    def __getitem__(self, place: tuple[str, int]) -> str:
        path, line = place
        return self._inner[(self._back.get(path, path), line)]

    def __iter__(self) -> Iterator[tuple[str, int]]:
        forward = {old: new for new, old in self._back.items()}
        return ((forward.get(path, path), line) for path, line in self._inner)

    def __len__(self) -> int:
        return len(self._inner)
