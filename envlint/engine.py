"""The engine: run the pipeline, the selected rules, and the user's choices over the findings.

One run, in this order (STYLE.md): discover and load Compose -> build only the facts the
selected rules declare they need (``Rule.needs``, :mod:`envlint.pipeline`) -> run the rules on
plain data -> per-file ignores, inline suppressions, baseline -> a :class:`~envlint.report.Report`
for the reporters.  The engine owns every user choice — selection, severity overrides,
per-file ignores, suppressions and the baseline — so rules stay small and pure.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import os
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from envlint.cache import new_run
from envlint.config import ConfigError, Settings, confine_paths
from envlint.facts import Facts
from envlint.findings import Finding, Related, Severity, Violation
from envlint.model import Location, Workspace
from envlint.pipeline import FactFailure, build_facts, unavailable
from envlint.report import Report, RuleInfo, ServiceCode, StackInfo, Summary
from envlint.rules import RULES, Rule
from envlint.rules._base import Context
from envlint.runcache import stamp
from envlint.snippets import MaskPlan, Snippets

__all__ = [
    "NoProject",
    "Target",
    "lint",
    "make_finding",
    "name_stacks",
    "repository_root",
    "resolve_root",
    "resolve_targets",
    "rule_info",
    "select_rules",
    "service_code",
]

_INTERNAL = "ENV903"


def rule_info(rule: Rule) -> RuleInfo:
    return RuleInfo(rule.code, rule.name, rule.severity, rule.summary, rule.url)


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


class NoProject(ConfigError):
    """An explicit PATH holds no Compose project: nothing would be checked (exit 2)."""


@dataclass(frozen=True, slots=True)
class Target:
    """One checked root: a directory given, or the project that owns a file given."""

    root: Path
    explicit: bool  # a PATH named it (no Compose project there is an error)
    only: frozenset[str] | None = None  # report only findings in these root-relative files
    given: tuple[str, ...] = ()  # the PATH arguments as typed, for messages


def resolve_targets(paths: Sequence[Path]) -> tuple[Target, ...]:
    """What ``check PATH...`` checks: each directory given, and for each file given the
    project that owns it (the nearest directory up from it holding a compose file) with only
    that file's findings.  Files of one project share one run.  No PATH: the current
    directory."""
    if not paths:
        return (Target(Path.cwd(), explicit=False),)
    dirs: dict[Path, list[str]] = {}
    files: dict[Path, tuple[set[str], list[str]]] = {}
    for original in paths:
        path = original.resolve()
        if not path.exists():
            raise ConfigError(f"path does not exist: {original}")
        if path.is_dir():
            dirs.setdefault(path, []).append(str(original))
            continue
        owner = _owning_root(path)
        if owner is None:
            raise NoProject(
                f"{original}: no Compose project owns this file (no compose file in its "
                "directory or above it); pass the project directory, or a compose file with "
                "another name with -f"
            )
        rel = os.path.relpath(path, owner).replace(os.sep, "/")
        wanted, given = files.setdefault(owner, (set(), []))
        wanted.add(rel)
        given.append(str(original))
    out = [Target(root, True, None, tuple(given)) for root, given in dirs.items()]
    out.extend(
        Target(root, True, frozenset(wanted), tuple(given))
        for root, (wanted, given) in files.items()
        if root not in dirs
    )
    return tuple(out)


def _owning_root(file: Path) -> Path | None:
    """The nearest directory from ``file`` upwards that holds a compose file (not above the
    repository's root, the directory holding ``.git``)."""
    from envlint.discovery import is_compose_file_name

    for directory in file.parents:
        try:
            names = {entry.name for entry in directory.iterdir()}
        except OSError:
            return None
        if any(is_compose_file_name(name) for name in names):
            return directory
        if ".git" in names:
            return None
    return None


def repository_root(path: Path) -> Path | None:
    """The directory holding ``.git`` at or above ``path`` (SARIF's %SRCROOT%)."""
    for directory in (path, *path.parents):
        if (directory / ".git").exists():
            return directory
    return None


def resolve_root(paths: Sequence[Path]) -> tuple[Path, tuple[Path, ...]]:
    """The root one directory or file argument is checked in (``trace``), and the file."""
    target = resolve_targets(paths)[0]
    only = sorted(target.only or ())
    return target.root, tuple(target.root / rel for rel in only)


def lint(paths: Sequence[Path], settings: Settings) -> Report:
    """Check ``paths`` (default ``.``) with ``settings``; the public entry point.

    Each directory given is checked on its own; a file given is checked as part of the project
    that owns it, reporting only findings located in it.  Paths in the report are relative to
    its ``root``: the checked directory, or, for several targets, their common directory
    (``Report.relative_to`` rebases them for display).  An explicit PATH without a Compose
    project raises :class:`NoProject`; the default ``.`` without one adds a notice.
    """
    rules = select_rules(settings)
    reports: list[Report] = []
    for target in resolve_targets(paths):
        report = _lint_target(target, settings, rules)
        if not report.summary.stacks and not report.summary.manifest_sets:
            if any(f.code == "ENV901" for f in report.findings):
                # compose files that are only parts of stacks: the notes say which and why
                report = replace(report, notices=(
                    "warning: no Compose stack was checked: the compose files found are not "
                    "projects of their own (see the ENV901 findings)",
                ))
            elif target.explicit:
                where = ", ".join(target.given) or str(target.root)
                raise NoProject(
                    f"{where}: no Compose project found (looked for compose.yaml, "
                    "docker-compose.yml and friends); pass the directory that holds one, or "
                    "-f FILE for a compose file with another name"
                )
            else:
                report = replace(report, notices=(
                    "warning: no Compose project found in the current directory (looked for "
                    "compose.yaml, docker-compose.yml and friends): nothing was checked; pass "
                    "the directory that holds one, or -f FILE",
                ))
        reports.append(report)
    return reports[0] if len(reports) == 1 else _merge(reports)


def _merge(reports: Sequence[Report]) -> Report:
    """One report for several targets, paths relative to their common directory."""
    base = Path(os.path.commonpath([str(r.root) for r in reports]))
    rebased = [r.relative_to(base) for r in reports]
    seen: dict[tuple[str, int, int, str, str], Finding] = {}
    for report in rebased:
        for finding in report.findings:
            seen.setdefault(finding.sort_key, finding)
    snippets: dict[tuple[str, int], str] = {}
    for report in rebased:
        for place in {(f.location.path, f.location.line) for f in report.findings}:
            if place in report.snippets:
                snippets[place] = report.snippets[place]
    summaries = [r.summary for r in rebased]
    return replace(
        rebased[0],
        root=base,
        findings=tuple(sorted(seen.values(), key=lambda f: f.sort_key)),
        snippets=MappingProxyType(snippets),
        summary=_add(summaries),
        suppressed=sum(r.suppressed for r in rebased),
        baselined=sum(r.baselined for r in rebased),
        stale_baseline=tuple(sorted({s for r in rebased for s in r.stale_baseline})),
        internal_errors=tuple(e for r in rebased for e in r.internal_errors),
        service_code=tuple(c for r in rebased for c in r.service_code),
        notices=tuple(dict.fromkeys(n for r in rebased for n in r.notices)),
    )


def _add(summaries: Sequence[Summary]) -> Summary:
    """Counts added, lists joined (each entry once); None where no target had a value."""
    totals: dict[str, Any] = {}
    for item in dataclasses.fields(Summary):
        values = [getattr(s, item.name) for s in summaries if getattr(s, item.name) is not None]
        if values and isinstance(values[0], tuple):
            totals[item.name] = tuple(dict.fromkeys(v for value in values for v in value))
        else:
            totals[item.name] = sum(values) if values else None
    return Summary(**totals)


def _lint_target(target: Target, settings: Settings, rules: tuple[Rule, ...]) -> Report:
    """The report of one target: the one kept from the last run when nothing it was made from
    has changed (:mod:`envlint.runcache`), else a new one."""
    root = target.root
    confine_paths(settings, root)  # a config file's paths stay inside the checked tree
    new_run()  # the kept report, the source pass and the start-up pass open the cache: one note
    kept = stamp(root, settings, target.only)
    if kept is not None:
        report = kept.load(root, repository_root(root))
        if report is not None:
            return report
    report = _checked(target, settings, rules)
    if kept is not None:
        kept.store(report)
    return report


def _checked(target: Target, settings: Settings, rules: tuple[Rule, ...]) -> Report:
    from envlint.compose import load_workspace
    from envlint.k8s import load_kubernetes
    from envlint.servicecode.image_env import with_built_image_env
    from envlint.servicecode.provenance import ImageBuilds

    root = target.root
    explicit = tuple(root / rel for rel in sorted(target.only or ()))
    compose = load_workspace(root, settings, explicit)
    builds = ImageBuilds(compose)  # read once, by whichever step asks first
    workspace = load_kubernetes(with_built_image_env(compose, builds), settings, builds)
    needs = frozenset(need for rule in rules for need in rule.needs)
    facts, failures = build_facts(workspace, settings, needs, builds)
    findings, errors = _run_rules(rules, workspace, facts, settings, failures)
    findings = [f for f in findings if not _external(f, rules, settings)]
    findings = name_stacks(findings, workspace)
    findings = [f for f in findings if not _ignored_for_file(f, settings)]
    findings, suppressed = _apply_suppressions(findings, workspace, facts, settings, rules)
    findings = [f for f in findings if not _ignored_for_file(f, settings)]  # ENV902 too
    if target.only is not None:
        findings = [f for f in findings if f.location.path in target.only]
    findings, baselined, stale = _apply_baseline(findings, settings)
    unique = {(f.sort_key, f.fingerprint): f for f in findings}
    ordered = _capped(sorted(unique.values(), key=lambda f: f.sort_key), settings)
    places = {(f.location.path, f.location.line) for f in ordered}
    return Report(
        root=root,
        findings=ordered,
        snippets=Snippets(MaskPlan.of(workspace), places),
        rules=tuple(rule_info(r) for r in rules),
        catalog=MappingProxyType({r.code: rule_info(r) for r in RULES}),
        summary=_summary(workspace, facts),
        suppressed=suppressed,
        baselined=baselined,
        stale_baseline=stale,
        internal_errors=tuple(errors),
        srcroot=repository_root(root),
        service_code=service_code(workspace, facts),
    )


def _run_rules(
    rules: Sequence[Rule],
    workspace: Workspace,
    facts: Facts,
    settings: Settings,
    failures: Sequence[FactFailure],
) -> tuple[list[Finding], list[str]]:
    """Every selected rule's findings; a failed fact builder or rule is one ENV903 each."""
    lost = unavailable(failures)
    findings: list[Finding] = []
    errors: list[str] = []
    for failure in failures:
        skipped = [r.code for r in rules if r.needs & frozenset(failure.facts)]
        errors.append(f"building {failure.stage} facts:\n{failure.traceback}")
        findings.append(_internal_error(_fact_message(failure, skipped), failure.stage))
    context = Context(workspace, facts, settings)
    for rule in rules:
        if rule.needs & lost:
            continue
        try:
            violations = list(rule.check(context))
        except Exception as exc:  # a bug in one rule must not hide the others (ENV903)
            errors.append(f"{rule.code} {rule.name}:\n{traceback.format_exc()}")
            message = (
                f"rule {rule.code} ({rule.name}) failed: {type(exc).__name__}; "
                "the other rules still ran (use --debug for the traceback)"
            )
            findings.append(_internal_error(message, rule.code))
            continue
        findings.extend(make_finding(rule, v, settings) for v in violations)
    return findings, errors


def _fact_message(failure: FactFailure, skipped: Sequence[str]) -> str:
    what = "the source pass" if failure.stage == "pass" else f"the {failure.stage} facts"
    rules = f"; skipped {', '.join(skipped)}" if skipped else ""
    return (
        f"building {what} failed: {failure.error}{rules}; the other rules still ran "
        "(use --debug for the traceback)"
    )


def _summary(ws: Workspace, facts: Facts) -> Summary:
    env_files = {f.path for p in ws.projects for f in p.all_env_files() if f.exists}
    env_files.update(f.path for f in ws.example_env_files)
    stats = facts.sources.statistics if facts.sources is not None else None
    return Summary(
        projects=len({p.directory for p in ws.projects}),
        stacks=len(ws.projects),
        services=len({(p.directory, s.name) for p, s in ws.services()}),
        env_files=len(env_files),
        files_read=ws.files_read,
        source_files=stats.files_scanned if stats else None,
        source_files_parsed=stats.files_parsed if stats else None,
        env_reads=stats.env_reads if stats else None,
        dynamic_reads=stats.dynamic_reads if stats else None,
        documented_by=_documented_by(ws),
        manifest_sets=tuple(
            f"{m.label} ({m.renderer})" if m.renderer else f"{m.label} (not read)"
            for m in ws.kubernetes
        ),
        checked_stacks=tuple(
            StackInfo(p.stack, p.kind, tuple(launcher.name for launcher in p.launchers))
            for p in ws.projects
            if p.platform == "compose"
        ),
    )


def _documented_by(ws: Workspace) -> tuple[str, ...]:
    """Example files read in place of an absent env file (project .env or a service env_file)."""
    found = {p.documented_by for p in ws.projects if p.documented_by is not None}
    found.update(
        ref.stand_in for _, s in ws.services() for ref in s.env_files if ref.stand_in is not None
    )
    return tuple(sorted(found))


def service_code(ws: Workspace, facts: Facts) -> tuple[ServiceCode, ...]:
    """Per stack and service, the code taken as its own (for ``--statistics``, JSON, the
    summary and ``trace``)."""
    code = facts.code
    if code is None:
        return ()
    out: list[ServiceCode] = []
    counted: dict[str, int] = {}  # directory -> its files (services often share one, e.g. ".")
    for program in code.programs:
        entry = program.entrypoint
        ref = entry.program if entry is not None else None
        files: int | None
        if program.files is not None:
            by, files = "program", len(program.files)
        elif program.fallback_dir is not None:
            directory = program.fallback_dir
            if directory not in counted:
                counted[directory] = len(code.files_below(directory, ws.files))
            by, files = "directory", counted[directory]
        else:
            by, files = "none", None
        how = ref.how if ref is not None else program.note
        target = ref.target if ref is not None else None
        out.append(
            ServiceCode(program.stack, program.service, target, how, files, by, program.project_dir)
        )
    return tuple(out)


def make_finding(rule: Rule, violation: Violation, settings: Settings) -> Finding:
    """The finding for a rule's violation, with the user's severity override applied."""
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
        url=rule.url,
        fingerprint=Finding.make_fingerprint(rule.code, violation),
        fix=violation.fix,
        stacks=violation.stacks,
    )


def name_stacks(findings: Sequence[Finding], ws: Workspace) -> list[Finding]:
    """One finding for the same rule, place, service, variable and message found in several
    stacks (its stacks in the workspace's order, the evidence of each, such as where each
    stack defines the service, kept once), its message naming them where it matters:
    when its directory has other stacks, or a stack is not the default one (nor the one file of
    a directory without a default file) (SPEC §7: "in stack docker-compose.yml +
    docker-compose.override.yml")."""
    order = {p.stack: i for i, p in enumerate(ws.projects)}
    by_stack = {p.stack: p for p in ws.projects}
    per_dir: dict[str, int] = {}
    for project in ws.projects:
        if project.platform == "compose":  # a manifest set is named by its rules' messages
            per_dir[project.directory] = per_dir.get(project.directory, 0) + 1
    merged: dict[Finding, tuple[dict[str, None], dict[Related, None]]] = {}
    for finding in findings:
        if not finding.stacks:
            merged.setdefault(finding, ({}, dict.fromkeys(finding.related)))
            continue
        key = replace(finding, stacks=(), related=())  # evidence is per stack: kept, merged
        found, related = merged.setdefault(key, ({}, {}))
        found.update(dict.fromkeys(finding.stacks))
        related.update(dict.fromkeys(finding.related))
    out: list[Finding] = []
    for finding, (found, related) in merged.items():
        stacks = tuple(sorted(found, key=lambda s: (order.get(s, len(order)), s)))
        finding = replace(finding, related=tuple(related))
        if not stacks:
            out.append(finding)
            continue
        projects = [by_stack[s] for s in stacks if s in by_stack]
        named = any(
            p.platform == "compose"
            and (p.kind not in ("default", "alone") or per_dir[p.directory] > 1)
            for p in projects
        )
        message = finding.message + (f" (in {_stack_names(stacks)})" if named else "")
        out.append(replace(finding, message=message, stacks=stacks))
    return out


def _stack_names(stacks: Sequence[str]) -> str:
    if len(stacks) == 1:
        return f"stack {stacks[0]}"
    if len(stacks) <= 3:
        return f"stacks {', '.join(stacks[:-1])} and {stacks[-1]}"
    return f"stacks {', '.join(stacks[:2])} and {len(stacks) - 2} more"


def _internal_error(message: str, key: str) -> Finding:
    meta = next(r for r in RULES if r.code == _INTERNAL)
    violation = Violation(location=Location("."), message=message, key=key)
    return Finding(
        code=meta.code,
        name=meta.name,
        severity=Severity.ERROR,
        message=message,
        location=violation.location,
        service=None,
        variable=None,
        related=(),
        url=meta.url,
        fingerprint=Finding.make_fingerprint(meta.code, violation),
    )


MAX_FINDINGS_PER_FILE = 1000


def _capped(ordered: Sequence[Finding], settings: Settings) -> tuple[Finding, ...]:
    """At most :data:`MAX_FINDINGS_PER_FILE` findings per file, then one note saying how many
    more there are: a generated or hostile file (a value with 100,000 references, an env file
    with a million lines) must not turn into a report of hundreds of megabytes."""
    per_file: dict[str, int] = {}
    kept: list[Finding] = []
    first_dropped: dict[str, Finding] = {}
    ordered = [_few_related(f) for f in ordered]
    for finding in ordered:
        path = finding.location.path
        count = per_file.get(path, 0) + 1
        per_file[path] = count
        if count <= MAX_FINDINGS_PER_FILE:
            kept.append(finding)
        else:
            first_dropped.setdefault(path, finding)
    if not first_dropped:
        return tuple(ordered)
    note = next(r for r in RULES if r.code == "ENV901")
    for path, finding in first_dropped.items():
        more = per_file[path] - MAX_FINDINGS_PER_FILE
        violation = Violation(
            location=finding.location,
            message=f"{more} more finding{'s' if more != 1 else ''} in this file not shown "
            f"(at most {MAX_FINDINGS_PER_FILE} per file)",
            severity=Severity.INFO,
            key="finding-cap",
        )
        kept.append(make_finding(note, violation, settings))
    return tuple(sorted(kept, key=lambda f: f.sort_key))


def _external(finding: Finding, rules: Sequence[Rule], settings: Settings) -> bool:
    """A finding about a variable the user declared external (provided at deploy time)."""
    if finding.variable is None or not (settings.external or settings.external_cli):
        return False
    rule = next((r for r in rules if r.code == finding.code), None)
    return (
        rule is not None
        and rule.quiet_for_external
        and settings.external_declared(finding.variable) is not None
    )


MAX_RELATED = 100


def _few_related(finding: Finding) -> Finding:
    """At most :data:`MAX_RELATED` related locations, then one that says how many more (a
    variable referenced a million times is one finding, not a million locations)."""
    if len(finding.related) <= MAX_RELATED:
        return finding
    from dataclasses import replace

    from envlint.findings import Related

    more = len(finding.related) - MAX_RELATED
    rest = Related(finding.related[MAX_RELATED].location, f"and {more} more places, not shown")
    return replace(finding, related=(*finding.related[:MAX_RELATED], rest))


def _ignored_for_file(finding: Finding, settings: Settings) -> bool:
    for pattern, codes in settings.per_file_ignores.items():
        if fnmatch.fnmatch(finding.location.path, pattern) and any(
            finding.code.startswith(c.upper()) or c.upper() == "ALL" or c == finding.name
            for c in codes
        ):
            return True
    return False


def _apply_suppressions(
    findings: list[Finding],
    workspace: Workspace,
    facts: Facts,
    settings: Settings,
    rules: Iterable[Rule],
) -> tuple[list[Finding], int]:
    """Inline ``envlint: disable=`` comments (SPEC §5); ENV902 for unused ones."""
    from envlint import suppressions

    result = suppressions.apply(
        findings,
        workspace.root,
        settings,
        tuple(rules),
        catalog=RULES,
        make_finding=lambda rule, violation: make_finding(rule, violation, settings),
        files=workspace.files,
        known_clean=facts.without_directives,  # read by the source pass already
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
