"""``--format text`` (default): one block per finding, for people, via rich.

Each block starts with ``path:line:col: severity CODE name: message`` (the form terminals and
editors turn into a link to the spot), then the source line and the evidence in other files.
Lines wrap at ``options.width`` between words, never inside one, with a hanging indent; width
``0`` does not wrap (the CLI's choice when stdout is not a terminal).  ``--quiet`` drops the
summary line, ``--statistics`` adds counts per rule before it.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import Console
from rich.style import Style
from rich.text import Text

from envlint.escape import terminal
from envlint.reporters.concise import documented_note, hidden_tail, statistics_lines

if TYPE_CHECKING:
    from envlint.findings import Finding
    from envlint.report import Report, Summary
    from envlint.reporters import RenderOptions

__all__ = ["render", "wrap"]

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
_HANG = 4  # continuation lines of a finding's first line
_EVIDENCE = "    ↳ "


def render(report: Report, options: RenderOptions) -> str:
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=max(options.width, 20) if options.width else 100,
        force_terminal=options.color,
        no_color=not options.color,
        color_system="standard" if options.color else None,
        highlight=False,
        soft_wrap=True,  # wrapping is ours: between words, with a hanging indent
        emoji=False,
        markup=False,
    )
    if not options.quiet and not report.summary.stacks and not report.summary.manifest_sets:
        hint = Text(
            "hint: no Compose project found under this path (looked for compose.yaml, "
            "docker-compose.yml and friends); pass a directory that holds one, or -f FILE.",
            style="dim",
        )
        for line in wrap(hint, options.width, ""):
            console.print(line)
    for finding in report.findings:
        for line in wrap(_header(finding, options), options.width, " " * _HANG):
            console.print(line)
        loc = finding.location
        if options.show_source:
            text = report.snippets.get((loc.path, loc.line))
            if text is not None and text.strip():
                source = Text(f"    │ {terminal(text)}", style="dim")
                if options.width:  # code is cut, not wrapped
                    source.truncate(options.width, overflow="ellipsis")
                console.print(source)
        for rel in finding.related:
            where = f"{rel.location.path}:{rel.location.line}:{rel.location.column}"
            evidence = Text(terminal(f"{_EVIDENCE}{where}: {_one_line(rel.message)}"), style="dim")
            for line in wrap(evidence, options.width, " " * (len(_EVIDENCE) + 2)):
                console.print(line)
        console.print()
    if options.statistics:
        counts = statistics_lines(report)
        for row in counts:
            console.print(row)
        sources = report.source_statistics()
        if sources:
            console.print(
                f"source files: {sources['source_files']} scanned, "
                f"{sources['source_files_parsed']} parsed after the pre-filter; "
                f"{sources['env_reads']} env reads, "
                f"{sources['dynamic_reads_skipped']} with dynamic names skipped"
            )
        for code in report.service_code:
            read = {"program": "its program", "directory": "its directory"}.get(code.by)
            what = f"{code.files} files ({read})" if read else "no code read"
            about = f"service {code.service} [{code.stack}]: {what}; {_one_line(code.how)}"
            for wrapped in wrap(Text(terminal(about)), options.width, "    "):
                console.print(wrapped)
        if counts or sources or report.service_code:
            console.print()
    if not options.quiet:
        for line in wrap(Text(_summary(report)), options.width, ""):
            console.print(line)
    return buffer.getvalue()


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _header(finding: Finding, options: RenderOptions) -> Text:
    loc = finding.location
    severity = finding.severity.value
    code_style = Style(bold=True, link=finding.url if options.hyperlinks and finding.url else None)
    return Text.assemble(
        (terminal(f"{loc.path}:{loc.line}:{loc.column}:"), "bold"),
        " ",
        (severity, _STYLE[severity]),
        " ",
        (finding.code, code_style),
        " ",
        terminal(f"{finding.name}: {_one_line(finding.message)}"),
    )


def wrap(text: Text, width: int, indent: str) -> list[Text]:
    """``text`` (one line) broken at spaces so each line fits ``width`` cells, continuation
    lines prefixed with ``indent``.  A word longer than a line stays whole; ``width`` 0 means
    one line."""
    plain = text.plain
    if not width or cell_len(plain) <= width:
        return [text]
    starts: list[int] = []  # offsets where a continuation line begins
    column = 0  # cells used on the current line
    has_word = False  # the current line holds a word (a break before the first would loop)
    position = 0
    for index, word in enumerate(plain.split(" ")):
        size = cell_len(word)
        space = 1 if index else 0
        if word and has_word and column + space + size > width:
            starts.append(position)
            column = cell_len(indent) + size
        else:
            column += space + size
        has_word = has_word or bool(word)
        position += len(word) + 1
    lines = text.divide(starts)
    out = [lines[0]]
    for line in lines[1:]:
        out.append(Text.assemble(indent, line))
    for line in out:
        line.rstrip()
    return list(out)


def _summary(report: Report) -> str:
    counts = report.counts()
    summary = report.summary
    parts = [
        f"{counts['error']} error{'s' if counts['error'] != 1 else ''}",
        f"{counts['warning']} warning{'s' if counts['warning'] != 1 else ''}",
        f"{counts['info']} info",
    ]
    tail = hidden_tail(report)
    return (
        f"{', '.join(parts)}{tail} in {_read(summary)}{_code(report)}."
        f"{documented_note(report)}"
    )


def _code(report: Report) -> str:
    """``; the code of 5 services (3 found by their program, 2 by directory)``, or ``""``.
    A service checked in several stacks counts once: by its program when every stack that read
    its code found the program."""
    ways: dict[tuple[str, str], set[str]] = {}
    for c in report.service_code:
        if c.by in ("program", "directory"):
            ways.setdefault((c.directory, c.service), set()).add(c.by)
    program = sum(1 for found in ways.values() if found == {"program"})
    directory = len(ways) - program
    if not program and not directory:
        return ""
    return (
        f"; the code of {_count(program + directory, 'service')} "
        f"({program} found by their program, {directory} by directory)"
    )


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _read(summary: Summary) -> str:
    """``2 compose projects (3 stacks), 9 services, 4 env files, 120 source files``: what was
    read, each thing once."""
    projects = _count(summary.projects, "compose project")
    if summary.stacks != summary.projects:
        projects += f" ({_count(summary.stacks, 'stack')})"
    parts = [projects, _count(summary.services, "service"), _count(summary.env_files, "env file")]
    if summary.manifest_sets:
        parts.append(
            f"{_count(len(summary.manifest_sets), 'Kubernetes manifest set')} "
            f"({'; '.join(summary.manifest_sets)})"
        )
    if summary.source_files is not None:
        parts.append(_count(summary.source_files, "source file"))
    return ", ".join(parts)
