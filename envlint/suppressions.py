"""Inline suppressions (SPEC §5): ``envlint: disable=CODES -- reason`` and ``disable-file=``.

A directive lives in a comment.  ``disable=`` covers findings whose start line is the comment's
line or the line below it; ``disable-file=`` covers the whole file.  Codes (``ENV107``) and
names (``unused-variable``) are accepted, comma separated; text after ``--`` is the reason.

Comments are found by a tokenizer-level scan per file type, so a ``#`` or ``//`` inside a
string is not a comment:

* YAML: ruamel.yaml's scanner gives every scalar's span; a ``#`` outside them that starts a
  word is a comment.  After a scanner error the rest of the file falls back to a line scan.
* env files: Compose's dotenv rules (``#`` starting a line, `` #`` after an unquoted value,
  anything after a closing quote; quoted values may span lines).
* Python: the standard library tokenizer.
* Go, C#, Java, Kotlin, JavaScript, TypeScript: a lexer for ``//`` and ``/* */`` that skips
  string, char, raw (backtick), verbatim (``@"``) and triple-quoted literals.
* Dockerfile and ``.properties``: whole-line comments only (that is what those formats have).
* Shell: ``#`` starting a word outside quotes (heredoc bodies are not recognised).

Only files that contain the bytes ``envlint:`` are scanned: files with findings, plus, when
ENV902 runs, every file of the workspace whose type has comments.
"""

from __future__ import annotations

import bisect
import io
import os
import re
import stat
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from envlint.findings import Finding, Violation
from envlint.model import Location

if TYPE_CHECKING:
    from envlint.config import Settings
    from envlint.rules import Rule

__all__ = ["UNUSED_CODE", "Directive", "SuppressionResult", "apply", "comments", "directives"]

UNUSED_CODE = "ENV902"

Kind = Literal["yaml", "env", "python", "go", "clike", "shell", "linehash"]
Comment = tuple[int, int, str]  # 1-based line, 1-based column where the text starts, text


@dataclass(frozen=True, slots=True)
class Directive:
    """One ``envlint: disable…`` directive found in a comment."""

    path: str
    line: int
    column: int  # where ``envlint:`` starts
    end_column: int  # just past the codes (or the reason)
    file_wide: bool
    codes: tuple[str, ...]  # as written
    reason: str


@dataclass(frozen=True, slots=True)
class SuppressionResult:
    kept: tuple[Finding, ...]
    suppressed: int


def apply(
    findings: Sequence[Finding],
    root: Path,
    settings: Settings,
    rules: tuple[Rule, ...],
    *,
    catalog: Sequence[Rule],
    make_finding: Callable[[Rule, Violation], Finding],
    files: Sequence[str] = (),
    known_clean: Collection[str] = frozenset(),
) -> SuppressionResult:
    """Drop findings covered by a directive; add ENV902 for directives that covered nothing.

    ``rules`` are the selected rules, ``catalog`` every known rule (codes and names a directive
    may use); ``make_finding`` is the engine's way of turning an ENV902 violation into a
    finding (severity overrides, url, fingerprint).  ``files`` (the workspace's file list) lets
    ENV902 see directives in files without findings; without it only files that have findings
    are read.  ``known_clean`` are files another pass already read and found without
    ``envlint:`` (not read again).
    """
    if settings.disable_suppressions:
        return SuppressionResult(tuple(findings), 0)
    unused_rule = next((r for r in rules if r.code == UNUSED_CODE), None)
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_path[finding.location.path].append(finding)
    candidates = set(by_path) | (set(files).difference(known_clean) if unused_rule else set())
    found: dict[str, tuple[Directive, ...]] = {}
    for path in sorted(candidates):
        kind = _kind(path) or ("env" if path in by_path else None)
        text = _read(root, path, settings.max_file_bytes) if kind else None
        if kind and text is not None:
            items = directives(path, text, kind)
            if items:
                found[path] = items
    if not found:
        return SuppressionResult(tuple(findings), 0)
    aliases = _aliases(catalog)
    used: set[tuple[Directive, str]] = set()
    kept: list[Finding] = []
    suppressed = 0
    for finding in findings:
        hits = _covering(finding, found.get(finding.location.path, ()), aliases)
        used.update(hits)
        if hits:
            suppressed += 1
        else:
            kept.append(finding)
    if unused_rule is not None:
        selected = {r.code for r in rules}
        for violation in _unused(found, used, aliases, selected):
            finding = make_finding(unused_rule, violation)
            if _covering(finding, found[finding.location.path], aliases):
                suppressed += 1
            else:
                kept.append(finding)
    return SuppressionResult(tuple(kept), suppressed)


def _covering(
    finding: Finding, items: Iterable[Directive], aliases: dict[str, str]
) -> list[tuple[Directive, str]]:
    line = finding.location.line
    return [
        (d, token)
        for d in items
        if d.file_wide or d.line <= line <= d.line + 1
        for token in d.codes
        if _resolve(token, aliases) == finding.code
    ]


def _unused(
    found: dict[str, tuple[Directive, ...]],
    used: set[tuple[Directive, str]],
    aliases: dict[str, str],
    selected: set[str],
) -> list[Violation]:
    out: list[Violation] = []
    for items in found.values():
        for directive in items:
            for token, message in _complaints(directive, used, aliases, selected):
                location = Location(
                    directive.path,
                    directive.line,
                    directive.column,
                    directive.line,
                    directive.end_column,
                )
                key = f"{'file' if directive.file_wide else 'line'}:{token}"
                out.append(Violation(location=location, message=message, key=key))
    return out


def _complaints(
    directive: Directive,
    used: set[tuple[Directive, str]],
    aliases: dict[str, str],
    selected: set[str],
) -> Iterable[tuple[str, str]]:
    form = "disable-file" if directive.file_wide else "disable"
    if not directive.codes:
        yield "", f"suppression names no rule (write `envlint: {form}=CODE -- reason`)"
    for token in directive.codes:
        code = _resolve(token, aliases)
        if code == UNUSED_CODE or (directive, token) in used:
            continue
        if code is None:
            yield token, f"suppression names unknown rule '{token}'"
        elif code not in selected:
            yield token, f"suppression of {_label(code, aliases)} has no effect: rule not selected"
        else:
            where = "in this file" if directive.file_wide else "on this line or the next"
            yield token, f"suppression of {_label(code, aliases)} matched no finding {where}"


def _label(code: str, aliases: dict[str, str]) -> str:
    name = next((k for k, v in aliases.items() if v == code and k != code), None)
    return f"{code} ({name})" if name else code


def _aliases(catalog: Sequence[Rule]) -> dict[str, str]:
    out: dict[str, str] = {}
    for rule in catalog:
        out[rule.code] = rule.code
        out[rule.name] = rule.code
    out.setdefault(UNUSED_CODE, UNUSED_CODE)
    return out


def _resolve(token: str, aliases: dict[str, str]) -> str | None:
    return aliases.get(token.upper()) or aliases.get(token.lower())


# --- reading -------------------------------------------------------------------------------

_CLIKE = {".cs", ".java", ".kt", ".kts", ".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx",
          ".mts", ".cts"}  # fmt: skip


def _kind(path: str) -> Kind | None:
    """The comment syntax of ``path`` by name; ``None`` for files without comments we know."""
    lower = path.rstrip("/").rpartition("/")[2].lower()  # PurePosixPath(path).name, lowered
    dot = lower.rfind(".")
    suffix = lower[dot:] if 0 < dot < len(lower) - 1 else ""  # PurePosixPath.suffix
    if suffix in (".yml", ".yaml"):
        return "yaml"
    if suffix == ".go":
        return "go"  # raw strings in backticks have no escapes
    if suffix in _CLIKE:
        return "clike"
    if suffix in (".py", ".pyi"):
        return "python"
    if suffix in (".sh", ".bash"):
        return "shell"
    if suffix == ".properties" or lower in ("dockerfile", "containerfile"):
        return "linehash"
    if lower.startswith(("dockerfile.", "containerfile.")) or suffix == ".dockerfile":
        return "linehash"
    if lower == ".env" or lower.startswith(".env.") or suffix == ".env":
        return "env"
    return None


def _read(root: Path, path: str, limit: int) -> str | None:
    """The text of ``path`` when it mentions ``envlint:`` (cheap byte pre-filter)."""
    if path in ("", "."):
        return None
    file = os.path.join(root, path)  # noqa: PTH118 - os calls: this runs for every file
    try:
        info = os.stat(file)  # noqa: PTH116 - follows links, like the old is_file() check
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        with open(file, "rb") as handle:  # noqa: PTH123
            data = handle.read()
    except OSError:
        return None
    if b"envlint:" not in data:
        return None
    text = data.decode("utf-8-sig", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- directives ----------------------------------------------------------------------------

_DIRECTIVE = re.compile(r"\benvlint:[ \t]*(disable-file|disable)(?![\w-])")


def directives(path: str, text: str, kind: Kind) -> tuple[Directive, ...]:
    """Every directive in the comments of ``text`` (a file of comment syntax ``kind``)."""
    out: list[Directive] = []
    for line, column, body in comments(text, kind):
        for match in _DIRECTIVE.finditer(body):
            rest = body[match.end() :]
            stripped = rest.lstrip(" \t")
            codes: tuple[str, ...] = ()
            reason = ""
            end = match.end()
            if stripped.startswith("="):
                head, separator, tail = stripped[1:].partition("--")
                words = (item.split()[:1] for item in head.split(","))
                codes = tuple(word[0] for word in words if word)
                reason = tail.strip() if separator else ""
                end += len(rest) - len(stripped) + 1 + len(head.rstrip())
                if reason:
                    end = len(body.rstrip())
            out.append(
                Directive(
                    path=path,
                    line=line,
                    column=column + match.start(),
                    end_column=column + end,
                    file_wide=match.group(1) == "disable-file",
                    codes=codes,
                    reason=reason,
                )
            )
    return tuple(out)


def comments(text: str, kind: Kind) -> list[Comment]:
    """``(line, column, text)`` of every comment (per physical line) in ``text``."""
    if kind == "yaml":
        return _yaml_comments(text)
    if kind == "env":
        return _env_comments(text)
    if kind == "python":
        return _python_comments(text)
    if kind in ("go", "clike"):
        return _clike_comments(text, backtick_escapes=kind == "clike")
    if kind == "shell":
        return _shell_comments(text.split("\n"))
    return _line_comments(text)


def _line_comments(text: str) -> list[Comment]:
    """Dockerfile / Java properties: only lines whose first non-blank character is ``#``/``!``."""
    out: list[Comment] = []
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.lstrip()
        if stripped[:1] in ("#", "!"):
            column = len(line) - len(stripped) + 2
            out.append((number, column, stripped[1:]))
    return out


def _yaml_comments(text: str) -> list[Comment]:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.tokens import ScalarToken

    spans: list[tuple[int, int]] = []
    scanned = len(text)
    try:
        for token in YAML(typ="rt").scan(text):
            if isinstance(token, ScalarToken):
                spans.append((token.start_mark.index, token.end_mark.index))
    except YAMLError as exc:  # trust the spans up to the error, then scan lines
        mark = getattr(exc, "problem_mark", None)
        scanned = mark.index if mark is not None else (spans[-1][1] if spans else 0)
    starts = [s for s, _ in spans]
    lines = _line_starts(text)
    out: list[Comment] = []
    position = text.find("#")
    while 0 <= position < scanned:
        index = bisect.bisect_right(starts, position) - 1
        inside = index >= 0 and spans[index][0] <= position < spans[index][1]
        if not inside and (position == 0 or text[position - 1] in " \t\n"):
            line, column = _line_col(lines, position)
            end = text.find("\n", position)
            out.append((line, column + 1, text[position + 1 : end if end >= 0 else len(text)]))
            position = end if end >= 0 else len(text)
        position = text.find("#", position + 1)
    if scanned < len(text):  # after a scanner error: a line scan that respects quotes
        first = _line_col(lines, scanned)[0] + 1 if scanned else 1
        rest = text.split("\n")[first - 1 :]
        out.extend((line + first - 1, col, body) for line, col, body in _shell_comments(rest))
    return out


def _env_comments(text: str) -> list[Comment]:
    """Compose's dotenv comment rules; a ``#`` inside a quoted value is not a comment."""
    out: list[Comment] = []
    lines = text.split("\n")
    number = 0
    while number < len(lines):
        line = lines[number]
        number += 1
        stripped = line.lstrip()
        if stripped.startswith("#"):
            out.append((number, len(line) - len(stripped) + 2, stripped[1:]))
            continue
        equals = line.find("=")
        if equals < 0:
            continue
        start = equals + 1
        while start < len(line) and line[start] in " \t":
            start += 1
        quote = line[start : start + 1]
        if quote not in ("'", '"'):
            hash_at = line.find(" #", start)
            if hash_at >= 0:
                out.append((number, hash_at + 3, line[hash_at + 2 :]))
            continue
        # a quoted value, possibly over several lines
        position = start + 1
        while True:
            close = _closing_quote(line, position, quote)
            if close >= 0 or number >= len(lines):
                break
            line, position = lines[number], 0
            number += 1
        if close >= 0:
            hash_at = line.find("#", close + 1)
            if hash_at >= 0:
                out.append((number, hash_at + 2, line[hash_at + 1 :]))
    return out


def _closing_quote(line: str, position: int, quote: str) -> int:
    while position < len(line):
        char = line[position]
        if char == "\\" and quote == '"':
            position += 2
            continue
        if char == quote:
            return position
        position += 1
    return -1


def _python_comments(text: str) -> list[Comment]:
    import tokenize

    out: list[Comment] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                (line, column) = token.start
                out.append((line, column + 2, token.string[1:]))
    except (tokenize.TokenError, SyntaxError):
        pass  # keep the comments before the error
    return out


def _shell_comments(lines: Sequence[str]) -> list[Comment]:
    """``#`` starting a word outside quotes (quotes may span lines)."""
    out: list[Comment] = []
    quote = ""
    for number, line in enumerate(lines, start=1):
        position = 0
        while position < len(line):
            char = line[position]
            if quote:
                if char == "\\" and quote == '"':
                    position += 1
                elif char == quote:
                    quote = ""
            elif char == "\\":
                position += 1
            elif char in ("'", '"'):
                quote = char
            elif char == "#" and (position == 0 or line[position - 1] in " \t;|&("):
                out.append((number, position + 2, line[position + 1 :]))
                break
            position += 1
    return out


_CLIKE_TOKEN = re.compile(r'//|/\*|"{3,}|@"|\$@"|@\$"|["\'`]')


def _clike_comments(text: str, *, backtick_escapes: bool) -> list[Comment]:
    """A lexer for ``//`` / ``/* */`` comments that skips every kind of string literal."""
    lines = _line_starts(text)
    out: list[Comment] = []
    position = 0
    while (match := _CLIKE_TOKEN.search(text, position)) is not None:
        token, start = match.group(), match.start()
        if token == "//":
            end = _end_of_line(text, start)
            line, column = _line_col(lines, start)
            out.append((line, column + 2, text[start + 2 : end]))
            position = end
        elif token == "/*":
            end = text.find("*/", start + 2)
            stop = len(text) if end < 0 else end
            offset = start + 2
            for piece in text[offset:stop].split("\n"):
                line, column = _line_col(lines, offset)
                out.append((line, column, piece))
                offset += len(piece) + 1
            position = stop + 2
        elif token.startswith('"""'):  # C# raw, Java/Kotlin text block: closed by as many quotes
            end = text.find(token, match.end())
            position = len(text) if end < 0 else end + len(token)
        elif token.endswith('@"') or token == '@$"':  # C# verbatim: "" is an escaped quote
            position = _verbatim_end(text, match.end())
        elif token == "`":  # Go raw string / JS template literal
            position = _quoted_end(text, match.end(), "`", escapes=backtick_escapes)
        else:
            position = _quoted_end(text, match.end(), token, escapes=True, multiline=False)
    return out


def _verbatim_end(text: str, position: int) -> int:
    while True:
        end = text.find('"', position)
        if end < 0:
            return len(text)
        if text.startswith('""', end):
            position = end + 2
            continue
        return end + 1


def _quoted_end(
    text: str, position: int, quote: str, *, escapes: bool, multiline: bool = True
) -> int:
    while position < len(text):
        char = text[position]
        if char == "\\" and escapes:
            position += 2
            continue
        if char == quote:
            return position + 1
        if char == "\n" and not multiline:
            return position  # unterminated literal: stop at the end of the line
        position += 1
    return len(text)


def _end_of_line(text: str, position: int) -> int:
    end = text.find("\n", position)
    return len(text) if end < 0 else end


def _line_starts(text: str) -> list[int]:
    starts = [0]
    position = text.find("\n")
    while position >= 0:
        starts.append(position + 1)
        position = text.find("\n", position + 1)
    return starts


def _line_col(starts: list[int], offset: int) -> tuple[int, int]:
    """1-based line and column of character ``offset``."""
    index = bisect.bisect_right(starts, offset) - 1
    return index + 1, offset - starts[index] + 1
