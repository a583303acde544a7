"""``--format concise``: ``path:line:col: severity CODE message``, one finding per line, then a
summary.

The shape editors and ``grep`` understand (like ruff's concise and gcc's output).  ``--quiet``
drops the summary line; ``--statistics`` adds counts per rule before it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from envlint.escape import terminal

if TYPE_CHECKING:
    from envlint.findings import Finding
    from envlint.report import Report
    from envlint.reporters import RenderOptions

__all__ = ["line", "render", "statistics_lines", "summary_line"]


def line(finding: Finding) -> str:
    loc = finding.location
    message = " ".join(finding.message.split())  # one finding, one line
    where = f"{loc.path}:{loc.line}:{loc.column}"
    return terminal(f"{where}: {finding.severity.value} {finding.code} {message}")


def render(report: Report, options: RenderOptions) -> str:
    lines = [line(f) for f in report.findings]
    if options.statistics:
        lines.extend(statistics_lines(report))
    if not options.quiet:
        lines.append(summary_line(report))
    return "".join(f"{text}\n" for text in lines)


def statistics_lines(report: Report) -> list[str]:
    """``count  CODE  name`` per rule, most frequent first; then each stack checked and why."""
    counts: dict[tuple[str, str], int] = {}
    for finding in report.findings:
        key = (finding.code, finding.name)
        counts[key] = counts.get(key, 0) + 1
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    lines = [f"{n:>5}  {code}  {name}" for (code, name), n in ordered]
    lines.extend(f"stack {s.stack}: {s.why}" for s in report.summary.checked_stacks)
    return lines


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def hidden_tail(report: Report) -> str:
    """`` (2 suppressed, 1 baselined, 1 stale baseline entry)``, or ``""`` (shared by the text
    reporter's summary)."""
    extra = []
    if report.summary.fixed:
        extra.append(f"{report.summary.fixed} fixed")
    if report.suppressed:
        extra.append(f"{report.suppressed} suppressed")
    if report.baselined:
        extra.append(f"{report.baselined} baselined")
    if report.stale_baseline:
        extra.append(
            _plural(len(report.stale_baseline), "stale baseline entry", "stale baseline entries")
        )
    return f" ({', '.join(extra)})" if extra else ""


def documented_note(report: Report) -> str:
    """`` No .env: .env.example read as the documented environment (values are
    placeholders).``, or ``""``: said once, after the summary."""
    examples = report.summary.documented_by
    if not examples:
        return ""
    names = ", ".join(examples)
    return (
        f" Env file absent: read {names} in its place as the documented environment (the "
        "values there are placeholders; ENV109 checks the keys)."
    )


def summary_line(report: Report) -> str:
    """``Found 3 findings: 1 error, 1 warning, 1 info (2 suppressed, 1 baselined).``"""
    counts = report.counts()
    tail = hidden_tail(report)
    note = documented_note(report)
    if not report.findings:
        return f"All checks passed{tail}.{note}"
    parts = (
        _plural(counts["error"], "error"),
        _plural(counts["warning"], "warning"),
        f"{counts['info']} info",
    )
    return f"Found {_plural(len(report.findings), 'finding')}: {', '.join(parts)}{tail}.{note}"
