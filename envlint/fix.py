"""``envlint fix`` / ``check --fix`` / ``--diff``: apply the fixes findings carry (issue #16).

A rule attaches a :class:`~envlint.findings.Fix` to a finding only where nothing needs guessing
(see :mod:`envlint.rules._fixes`); this module applies them to the files, as ruff's ``--fix``
does:

* one round lints, takes every finding's fix in report order, and applies a fix only when
  every one of its edits still matches the file (the text at the positions is what the rule
  saw; a dropped statement is exactly one statement assigning that key) and overlaps no edit
  already taken; the same edit offered by two findings is applied once;
* rounds repeat until one applies nothing (a key defined three times loses one definition per
  round), at most :data:`MAX_ROUNDS`; the report of the last lint is what remains, with the
  number of fixes applied (``Summary.fixed``);
* every edit keeps the rest of the file byte for byte: comments, order, quoting, a leading BOM
  and the line endings (appended lines use the file's own ``\\r\\n`` or ``\\n``);
* a file is written whole or not at all (a temp file beside it, then ``os.replace``), only when
  it lies inside the checked root, is a regular file that the rules found committed, and
  decodes as UTF-8;
* ``--diff`` writes nothing and shows one round as a unified diff in which every line that came
  from the file is masked the way findings mask source lines (keys and ``$VAR`` references stay,
  values do not): only the lines envlint wrote itself are shown as they are.  A value read from
  an env file never reaches a written file, a diff or the output.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from envlint.config import Settings
from envlint.findings import Edit, Fix
from envlint.report import Report

__all__ = ["MAX_ROUNDS", "FileChange", "FixOutcome", "masked_diff", "run_fix"]

MAX_ROUNDS = 10
_BOM = "\ufeff"


@dataclass(frozen=True)
class FileChange:
    """One file's text before and after a round's fixes (relative path, ``/``)."""

    path: str
    before: str
    after: str
    written: frozenset[str] = frozenset()  # lines envlint wrote (shown unmasked in a diff)


@dataclass(frozen=True)
class FixOutcome:
    report: Report  # what remains after the fixes (summary.fixed = fixes applied)
    changes: tuple[FileChange, ...]  # per file, its text before the first and after the last round
    fixed: int


@dataclass
class _File:
    """A file being fixed in one round."""

    path: str
    text: str  # without a leading BOM
    bom: bool
    newline: str
    starts: list[int] = field(default_factory=list)  # offset of each line (only \n breaks)
    spans: list[tuple[int, int, str]] = field(default_factory=list)  # accepted replacements
    appends: list[str] = field(default_factory=list)  # accepted appended blocks, in order

    @classmethod
    def read(cls, root: Path, path: str) -> _File | None:
        target = _inside(root, path)
        if target is None:
            return None
        try:
            data = target.read_bytes()
            text = data.decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        bom = text.startswith(_BOM)
        text = text.removeprefix(_BOM)
        crlf = text.count("\r\n")
        newline = "\r\n" if crlf and crlf * 2 >= text.count("\n") else "\n"
        starts = [0] + [m.end() for m in re.finditer("\n", text)]
        return cls(path, text, bom, newline, starts)

    def offset(self, point: tuple[int, int]) -> int | None:
        """The offset of 1-based ``(line, column)``; one line past the last is the end."""
        line, column = point
        if line == len(self.starts) + 1 and column == 1:
            return len(self.text)
        if not 1 <= line <= len(self.starts) or column < 1:
            return None
        start = self.starts[line - 1]
        end = self.starts[line] if line < len(self.starts) else len(self.text)
        offset = start + column - 1
        return offset if offset <= end else None

    def place(self, edit: Edit) -> tuple[int, int, str] | None:
        """The span an edit replaces, checked against the text; None when it does not fit."""
        if edit.start is None or edit.end is None:
            return None
        start, end = self.offset(edit.start), self.offset(edit.end)
        if start is None or end is None or end < start:
            return None
        here = self.text[start:end]
        if edit.statement is not None:
            if not _one_statement(here, edit.statement):
                return None
        elif edit.old is None or here != edit.old:
            return None
        return start, end, edit.new.replace("\n", self.newline)

    def appended(self, edit: Edit) -> str:
        return edit.new.replace("\n", self.newline)

    def result(self) -> str:
        text = self.text
        for start, end, new in sorted(self.spans, reverse=True):
            text = text[:start] + new + text[end:]
        if self.appends:
            if text and not text.endswith("\n"):
                text += self.newline
            text += "".join(self.appends)
        return (_BOM if self.bom else "") + text


def _inside(root: Path, path: str) -> Path | None:
    """``root/path`` when it is a regular file inside the checked root (links followed)."""
    if path.startswith("/") or ".." in Path(path).parts:
        return None
    target = root / path
    real_root = os.path.realpath(root)
    real = os.path.realpath(target)
    if real != real_root and not real.startswith(real_root.rstrip(os.sep) + os.sep):
        return None
    return target if Path(real).is_file() else None


def _one_statement(text: str, key: str) -> bool:
    """Whether ``text`` is whole lines holding exactly one env-file statement assigning
    ``key`` (comments after it are part of the line)."""
    from envlint.compose.dotenv import parse_dotenv

    if text and not text.endswith("\n"):
        return False
    result = parse_dotenv(text, "-", lambda _name: None)
    return not result.problems and [e.key for e in result.entries] == [key]


def _overlaps(span: tuple[int, int, str], taken: Sequence[tuple[int, int, str]]) -> bool:
    start, end, _ = span
    for other_start, other_end, _ in taken:
        if start < other_end and other_start < end:
            return True
        if start == end == other_start == other_end:  # two insertions at one point
            return True
    return False


def _apply_round(root: Path, fixes: Sequence[Fix]) -> tuple[dict[str, _File], int]:
    """Apply what fits of ``fixes``, in order, to the files' texts (in memory)."""
    files: dict[str, _File | None] = {}
    applied = 0
    for fix in fixes:
        placed: list[tuple[_File, Edit, tuple[int, int, str] | None]] = []
        fits = True
        for edit in fix.edits:
            if edit.path not in files:
                files[edit.path] = _File.read(root, edit.path)
            target = files[edit.path]
            if target is None:
                fits = False
                break
            if edit.appends:
                placed.append((target, edit, None))
                continue
            span = target.place(edit)
            if span is None or (span not in target.spans and _overlaps(span, target.spans)):
                fits = False
                break
            placed.append((target, edit, span))
        if not fits or not placed:
            continue
        new = False
        for target, edit, span in placed:
            if span is None:
                block = target.appended(edit)
                if block not in target.appends:  # the same key offered by two findings
                    target.appends.append(block)
                    new = True
            elif span not in target.spans:
                target.spans.append(span)
                new = True
        applied += new  # distinct fixes: two findings that need the same edit count once
    return {path: f for path, f in files.items() if f is not None}, applied


def run_fix(paths: Sequence[Path], settings: Settings, *, write: bool = True) -> FixOutcome:
    """Lint, apply the fixes, repeat; or (``write=False``) compute one round for ``--diff``."""
    from envlint._atomic import write_text_atomic
    from envlint.engine import lint

    fixed = 0
    first: dict[str, str] = {}  # path -> text before any round
    last: dict[str, FileChange] = {}
    report = lint(paths, settings)
    for _ in range(MAX_ROUNDS if write else 1):
        fixes = [f.fix for f in report.findings if f.fix is not None]
        files, applied = _apply_round(report.root, fixes)
        changed = {p: f for p, f in files.items() if f.result() != _original(f)}
        if not applied or not changed:
            break
        for path, file in changed.items():
            before = _original(file)
            after = file.result()
            first.setdefault(path, before)
            written = frozenset(line for block in file.appends for line in block.splitlines())
            previous = last.get(path)
            last[path] = FileChange(
                path, first[path], after, written | (previous.written if previous else frozenset())
            )
            if write:
                target = _inside(report.root, path)
                if target is None:  # pragma: no cover - checked when read
                    continue
                write_text_atomic(target, after)
        fixed += applied
        if not write:
            break
        report = lint(paths, settings)
    summary = replace(report.summary, fixed=fixed)
    changes = tuple(c for _, c in sorted(last.items()) if c.before != c.after)
    return FixOutcome(replace(report, summary=summary), changes, fixed)


def _original(file: _File) -> str:
    return (_BOM if file.bom else "") + file.text


# ----------------------------------------------------------------------------------------------
# diffs that never show a value

_REF = re.compile(r"\$\$?\{([A-Za-z_][A-Za-z0-9_]*)([^}\n]*)\}|\$\$?[A-Za-z_][A-Za-z0-9_]*")
_HEAD = re.compile(
    r"""^(\s*(?:-\s+)?(?:export\s+)?(?:"[^"]*"|'[^']*'|[^\s=:"'#]+)\s*[:=])"""
)


def _mask(line: str) -> str:
    """A line of the file as a diff may show it: indentation, the key and ``$VAR`` references
    stay, every other character of a value or comment becomes ``…``."""
    body = line.rstrip("\r\n")
    if not body.strip():
        return body
    stripped = body.lstrip()
    indent = body[: len(body) - len(stripped)]
    if stripped.startswith("#"):
        return indent + "# …"
    head_match = _HEAD.match(body)
    head = head_match.group(1) if head_match else indent + ("- " if stripped[:2] == "- " else "")
    rest = body[len(head) :]
    if not rest.strip():
        return body
    pieces: list[str] = []
    at = 0
    for match in _REF.finditer(rest):
        if rest[at : match.start()].strip():
            pieces.append("…")  # literal text between references
        pieces.append(_masked_ref(match))
        at = match.end()
    if rest[at:].strip():
        pieces.append("…")
    return head + (" " if head.endswith(":") else "") + "".join(pieces)


def _masked_ref(match: re.Match[str]) -> str:
    """``$VAR`` / ``${VAR}`` as written; an operator's argument (a default) is masked."""
    text = match.group(0)
    if match.group(2):
        operator = re.match(r":?[-?+]?", match.group(2))
        op = operator.group(0) if operator else ""
        return text[: text.index("{") + 1] + match.group(1) + op + "…}"
    return text


def masked_diff(change: FileChange) -> str:
    """A unified diff of ``change``; lines from the file are masked, lines envlint wrote are
    shown as written."""
    old = change.before.removeprefix(_BOM).splitlines(keepends=True)
    new = change.after.removeprefix(_BOM).splitlines(keepends=True)
    out: list[str] = []
    for line in difflib.unified_diff(old, new, f"a/{change.path}", f"b/{change.path}"):
        if line.startswith(("---", "+++", "@@")):
            out.append(line.rstrip("\r\n") + "\n")
            continue
        sign, body = line[0], line[1:].rstrip("\r\n")
        if sign == "+" and body in change.written:
            out.append(f"+{body}\n")
        else:
            out.append(f"{sign}{_mask(body)}\n")
    return "".join(out)
