"""``--format github``: GitHub Actions workflow commands, plus a job summary in Markdown.

Each finding becomes ``::error``/``::warning``/``::notice`` (info) with ``file``, ``line``,
``col``, ``endLine``, ``endColumn`` and ``title=CODE name``; the message ends with the evidence
in other files and the rule page.  GitHub shows at most 10 annotations of each level per step,
so findings are ordered by severity (then path and line) and only the first 10 of each level are
emitted as commands; the rest are printed as plain ``path:line:col: CODE message`` lines and
counted in the summary line and in :func:`summary_markdown` (which the CLI appends to
``$GITHUB_STEP_SUMMARY``).  Upload SARIF to see every finding in the code.

Every string from the repository (paths, names, messages) is written with control characters
escaped (:func:`envlint.escape.terminal`, so no line break can start a forged command) and then
with the runner's own escaping (``%``, CR, LF in data; also ``:`` and ``,`` in properties).  The
plain lines past the annotation limit are escaped the same way and framed by
``::stop-commands::TOKEN`` ... ``::TOKEN::``, so the runner does not read them as commands at
all (not even the legacy ``##[error]`` form it finds anywhere in a line).  The token is a hash
of the lines it frames: text that wanted to end the block early would have to contain the hash
of itself.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from envlint.escape import terminal, terminal_lines, utf8, workflow_data, workflow_property
from envlint.findings import Severity
from envlint.reporters.concise import line, summary_line

if TYPE_CHECKING:
    from envlint.findings import Finding
    from envlint.report import Report
    from envlint.reporters import RenderOptions

__all__ = ["ANNOTATION_LIMIT", "annotated", "command", "render", "summary_markdown"]

ANNOTATION_LIMIT = 10  # per level and step (actions/toolkit#734)
SUMMARY_ROWS = 500  # the job summary holds at most 1 MiB per step
_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


escape_data = workflow_data
escape_property = workflow_property


def command(finding: Finding) -> str:
    """The workflow command for one finding."""
    loc = finding.location
    props: list[tuple[str, object]] = []
    if loc.path not in ("", "."):
        props += [("file", loc.path), ("line", loc.line), ("col", loc.column)]
        if loc.end_line is not None:
            props.append(("endLine", loc.end_line))
        if loc.end_column is not None:
            props.append(("endColumn", loc.end_column))
    props.append(("title", f"{finding.code} {finding.name}"))
    properties = ",".join(
        f"{key}={escape_property(terminal(str(value)))}" for key, value in props
    )
    parts = [terminal_lines(finding.message)]
    for rel in finding.related:
        where = f"{rel.location.path}:{rel.location.line}:{rel.location.column}"
        parts.append(terminal(f"  {where}: {rel.message}"))
    if finding.url:
        parts.append(f"See {finding.url}")
    return f"::{_COMMAND[finding.severity]} {properties}::{escape_data(chr(10).join(parts))}"


def annotated(report: Report) -> tuple[list[Finding], list[Finding]]:
    """(annotated, not annotated): findings by severity, at most 10 of each level annotated."""
    shown: list[Finding] = []
    rest: list[Finding] = []
    per_level: dict[Severity, int] = {}
    for finding in sorted(report.findings, key=lambda f: (-f.severity.rank, f.sort_key)):
        count = per_level.get(finding.severity, 0)
        (shown if count < ANNOTATION_LIMIT else rest).append(finding)
        per_level[finding.severity] = count + 1
    return shown, rest


def render(report: Report, options: RenderOptions) -> str:
    shown, rest = annotated(report)
    lines = [command(f) for f in shown]
    if rest:
        plain = [
            f"envlint: {len(rest)} more finding{'s' if len(rest) != 1 else ''} not annotated "
            f"(GitHub shows at most {ANNOTATION_LIMIT} annotations of each level per step):",
            *(escape_data(line(f)) for f in rest),  # line(): control characters escaped
        ]
        token = _stop_token(plain)
        lines += [f"::stop-commands::{token}", *plain, f"::{token}::"]
    if not options.quiet:
        lines.append(summary_line(report))
    return "".join(f"{text}\n" for text in lines)


def _stop_token(lines: list[str]) -> str:
    """A ``stop-commands`` token no line of the block it frames can contain."""
    digest = hashlib.sha256(utf8("\n".join(lines)).encode("utf-8"))
    return "envlint-" + digest.hexdigest()[:32]


def _cell(text: str) -> str:
    out = terminal_lines(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for char in "\\*_[]|":
        out = out.replace(char, "\\" + char)
    return "<br>".join(part.strip() for part in out.splitlines()) or " "


def _location(finding: Finding) -> str:
    loc = finding.location
    where = terminal(f"{loc.path}:{loc.line}:{loc.column}")
    if "`" in where:
        return _cell(where)
    return f"`{where.replace('|', chr(92) + '|')}`"


def summary_markdown(report: Report) -> str:
    """A Markdown job summary: counts, the annotation note, and a table of every finding."""
    counts = report.counts()
    out = ["## envlint", ""]
    facts = [
        f"**{counts['error']}** error{'s' if counts['error'] != 1 else ''}",
        f"**{counts['warning']}** warning{'s' if counts['warning'] != 1 else ''}",
        f"**{counts['info']}** info",
    ]
    if report.suppressed:
        facts.append(f"{report.suppressed} suppressed")
    if report.baselined:
        facts.append(f"{report.baselined} baselined")
    if report.stale_baseline:
        n = len(report.stale_baseline)
        facts.append(
            f"{n} stale baseline entr{'y' if n == 1 else 'ies'} (refresh with `--write-baseline`)"
        )
    out += [" · ".join(facts), ""]
    _, rest = annotated(report)
    if rest:
        out += [
            f"> {len(rest)} finding{'s were' if len(rest) != 1 else ' was'} not annotated: "
            f"GitHub shows at most {ANNOTATION_LIMIT} annotations of each level per step. "
            "All findings are listed below; upload the SARIF output "
            "(`--format sarif -o envlint.sarif`) to code scanning to see them in the code.",
            "",
        ]
    if not report.findings:
        out += ["No findings.", ""]
        return "\n".join(out)
    out += ["| Severity | Rule | Location | Message |", "|---|---|---|---|"]
    for finding in report.findings[:SUMMARY_ROWS]:
        rule = f"[{finding.code}]({finding.url})" if finding.url else finding.code
        out.append(
            f"| {finding.severity.value} | {rule} {_cell(finding.name)} "
            f"| {_location(finding)} | {_cell(finding.message)} |"
        )
    if len(report.findings) > SUMMARY_ROWS:
        out.append(f"\n… and {len(report.findings) - SUMMARY_ROWS} more (see the step log).")
    out.append("")
    return "\n".join(out)
