"""``--format text`` (default): findings grouped by file, with the source line, via rich."""

from __future__ import annotations

import io
from itertools import groupby
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from envlint.escape import terminal, terminal_lines
from envlint.reporters._snippet import source_line
from envlint.reporters.concise import hidden_tail, statistics_lines

if TYPE_CHECKING:
    from envlint.report import Report, Summary
    from envlint.reporters import RenderOptions

__all__ = ["render"]

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def render(report: Report, options: RenderOptions) -> str:
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=options.width,
        force_terminal=options.color,
        no_color=not options.color,
        color_system="standard" if options.color else None,
        highlight=False,
        soft_wrap=True,
        emoji=False,
    )
    if not options.quiet:
        if not report.summary.stacks:
            console.print(
                "hint: no Compose project found under this path (looked for compose.yaml, "
                "docker-compose.yml and friends); pass a directory that holds one, or -f FILE.",
                style="dim",
            )
        for path, group in groupby(report.findings, key=lambda f: f.location.path):
            console.print(Text(terminal(path), style="bold underline"))
            for finding in group:
                loc = finding.location
                code = escape(finding.code)
                if options.hyperlinks and finding.url:
                    code = f"[link={finding.url}]{code}[/link]"
                style = _STYLE[finding.severity.value]
                message = escape(terminal_lines(finding.message))
                console.print(
                    f"  {loc.line}:{loc.column} [{style}]{finding.severity.value}[/] "
                    f"[bold]{code}[/] {escape(finding.name)}  {message}"
                )
                if options.show_source:
                    line = source_line(report.root, loc.path, loc.line)
                    if line is not None and line.strip():
                        console.print(Text(f"    │ {terminal(line)}", style="dim"))
                for rel in finding.related:
                    where = f"{rel.location.path}:{rel.location.line}:{rel.location.column}"
                    console.print(Text(terminal(f"    ↳ {where}: {rel.message}"), style="dim"))
            console.print()
    if options.statistics:
        counts = statistics_lines(report)
        for line in counts:
            console.print(line)
        sources = report.source_statistics()
        if sources:
            console.print(
                f"source files: {sources['source_files']} scanned, "
                f"{sources['source_files_parsed']} parsed after the pre-filter; "
                f"{sources['env_reads']} env reads, "
                f"{sources['dynamic_reads_skipped']} with dynamic names skipped"
            )
        if counts or sources:
            console.print()
    console.print(_summary(report))
    return buffer.getvalue()


def _summary(report: Report) -> str:
    counts = report.counts()
    summary = report.summary
    parts = [
        f"{counts['error']} error{'s' if counts['error'] != 1 else ''}",
        f"{counts['warning']} warning{'s' if counts['warning'] != 1 else ''}",
        f"{counts['info']} info",
    ]
    tail = hidden_tail(report)
    return f"{', '.join(parts)}{tail} in {_read(summary)}."


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _read(summary: Summary) -> str:
    """``2 compose projects (3 stacks), 9 services, 4 env files, 120 source files``: what was
    read, each thing once."""
    projects = _count(summary.projects, "compose project")
    if summary.stacks != summary.projects:
        projects += f" ({_count(summary.stacks, 'stack')})"
    parts = [projects, _count(summary.services, "service"), _count(summary.env_files, "env file")]
    if summary.source_files is not None:
        parts.append(_count(summary.source_files, "source file"))
    return ", ".join(parts)
