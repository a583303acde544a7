"""The engine: load the workspace, run the selected rules, turn violations into findings.

The engine owns every user choice — selection, severity overrides, per-file ignores, inline
suppressions and the baseline — so rules stay small and pure.
"""

from __future__ import annotations

import fnmatch
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from envlint.config import ConfigError, Settings, confine_paths
from envlint.findings import Finding, Severity, Violation
from envlint.model import Location, Workspace
from envlint.rules import RULES, Rule

__all__ = ["Report", "lint", "resolve_root", "select_rules"]

RULE_PAGE_BASE = "https://github.com/envlint/envlint/blob/main/rules/"


@dataclass(frozen=True)
class Report:
    """The result of one run: sorted findings plus what the summary needs."""

    root: Path
    findings: tuple[Finding, ...]
    workspace: Workspace
    rules: tuple[Rule, ...]  # the rules that ran
    suppressed: int = 0
    baselined: int = 0
    stale_baseline: tuple[str, ...] = ()  # fingerprints in the baseline that no longer match
    internal_errors: tuple[str, ...] = field(default=())  # tracebacks (for --debug)

    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)}
        for finding in self.findings:
            out[finding.severity.value] += 1
        return out

    def source_statistics(self) -> dict[str, int] | None:
        """Counts from the source pass, when a selected rule needed it (never forces it)."""
        if "sources" not in vars(self.workspace):
            return None
        index = self.workspace.sources
        return {
            "source_files": index.files_scanned,
            "source_files_parsed": index.files_parsed,
            "env_reads": len(index.reads),
            "dynamic_reads_skipped": index.dynamic_reads,
        }

    def failed(self, fail_on: str) -> bool:
        if fail_on == "never":
            return False
        threshold = Severity.parse(fail_on).rank
        return any(f.severity.rank >= threshold for f in self.findings)


def rule_url(rule: Rule) -> str:
    return RULE_PAGE_BASE + rule.page


def _matches(rule: Rule, selector: str) -> bool:
    sel = selector.strip()
    return sel.upper() == "ALL" or rule.code.startswith(sel.upper()) or rule.name == sel.lower()


def select_rules(settings: Settings, rules: Sequence[Rule] = RULES) -> tuple[Rule, ...]:
    """Rules chosen by select/extend-select minus ignore; unknown selectors are usage errors."""
    for selector in (*settings.select, *settings.extend_select, *settings.ignore):
        if not any(_matches(rule, selector) for rule in rules):
            raise ConfigError(f"unknown rule selector '{selector}'")
    chosen = [
        r
        for r in rules
        if any(_matches(r, s) for s in (*settings.select, *settings.extend_select))
        and not any(_matches(r, s) for s in settings.ignore)
    ]
    return tuple(chosen)


def resolve_root(paths: Sequence[Path]) -> tuple[Path, tuple[Path, ...]]:
    """The checked root (a directory) and explicit file arguments below it."""
    if not paths:
        paths = (Path(),)
    resolved = [p.resolve() for p in paths]
    for original, path in zip(paths, resolved, strict=True):
        if not path.exists():
            raise ConfigError(f"path does not exist: {original}")
    if len(resolved) == 1 and resolved[0].is_dir():
        return resolved[0], ()
    dirs = [p if p.is_dir() else p.parent for p in resolved]
    root = Path(_common_dir(dirs))
    return root, tuple(p for p in resolved if p.is_file())


def _common_dir(dirs: Sequence[Path]) -> str:
    import os.path

    return os.path.commonpath([str(d) for d in dirs])


def lint(paths: Sequence[Path], settings: Settings) -> Report:
    """Check ``paths`` (default ``.``) with ``settings``; the public entry point."""
    from envlint.compose import load_workspace

    rules = select_rules(settings)
    root, explicit = resolve_root(paths)
    confine_paths(settings, root)  # a config file's paths stay inside the checked tree
    workspace = load_workspace(root, settings, explicit)
    findings: list[Finding] = []
    errors: list[str] = []
    for rule in rules:
        try:
            violations = list(rule.check(workspace, settings))
        except Exception as exc:  # a bug in one rule must not hide the others (ENV903)
            errors.append(f"{rule.code} {rule.name}:\n{traceback.format_exc()}")
            findings.append(_internal_error(rule, exc))
            continue
        findings.extend(_finding(rule, v, settings) for v in violations)
    findings = [f for f in findings if not _ignored_for_file(f, settings)]
    findings, suppressed = _apply_suppressions(findings, workspace, settings, rules)
    findings = [f for f in findings if not _ignored_for_file(f, settings)]  # ENV902 too
    findings, baselined, stale = _apply_baseline(findings, settings)
    unique = {(f.sort_key, f.fingerprint): f for f in findings}
    ordered = tuple(sorted(unique.values(), key=lambda f: f.sort_key))
    return Report(
        root=root,
        findings=ordered,
        workspace=workspace,
        rules=rules,
        suppressed=suppressed,
        baselined=baselined,
        stale_baseline=stale,
        internal_errors=tuple(errors),
    )


def _finding(rule: Rule, violation: Violation, settings: Settings) -> Finding:
    severity = settings.severity.get(rule.code) or violation.severity or rule.severity
    return Finding(
        code=rule.code,
        name=rule.name,
        severity=severity,
        message=violation.message,
        location=violation.location,
        service=violation.service,
        variable=violation.variable,
        related=violation.related,
        url=rule_url(rule),
        fingerprint=Finding.make_fingerprint(rule.code, violation),
    )


def _internal_error(rule: Rule, exc: Exception) -> Finding:
    meta = _meta("ENV903")
    violation = Violation(
        location=Location("."),
        message=f"rule {rule.code} ({rule.name}) failed: {type(exc).__name__}; "
        "the other rules still ran (use --debug for the traceback)",
        key=rule.code,
    )
    severity = Severity.ERROR
    return Finding(
        code="ENV903",
        name=meta.name if meta else "internal-error",
        severity=severity,
        message=violation.message,
        location=violation.location,
        service=None,
        variable=None,
        related=(),
        url=rule_url(meta) if meta else "",
        fingerprint=Finding.make_fingerprint("ENV903", violation),
    )


def _meta(code: str) -> Rule | None:
    return next((r for r in RULES if r.code == code), None)


def _ignored_for_file(finding: Finding, settings: Settings) -> bool:
    for pattern, codes in settings.per_file_ignores.items():
        if fnmatch.fnmatch(finding.location.path, pattern) and any(
            finding.code.startswith(c.upper()) or c.upper() == "ALL" or c == finding.name
            for c in codes
        ):
            return True
    return False


def _apply_suppressions(
    findings: list[Finding], workspace: Workspace, settings: Settings, rules: Iterable[Rule]
) -> tuple[list[Finding], int]:
    """Inline ``envlint: disable=`` comments (SPEC §5); ENV902 for unused ones."""
    from envlint import suppressions

    # Source files the source pass already read (when a rule needed it) and found without
    # `envlint:` are not read a second time.
    clean = workspace.sources.without_directives if "sources" in vars(workspace) else frozenset()
    result = suppressions.apply(
        findings, workspace.root, settings, tuple(rules), files=workspace.files, known_clean=clean
    )
    return list(result.kept), result.suppressed


def _apply_baseline(
    findings: list[Finding], settings: Settings
) -> tuple[list[Finding], int, tuple[str, ...]]:
    if not settings.baseline:
        return findings, 0, ()
    from envlint import baseline

    result = baseline.apply(findings, Path(settings.baseline))
    return list(result.kept), result.baselined, result.stale
