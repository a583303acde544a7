"""A reader for Java ``.properties`` files (``server.properties``), as ``Properties.load`` reads.

Handles comments (``#``/``!``), ``=``/``:``/whitespace separators, backslash line continuations
and escapes.  Keys keep the 1-based line they start on.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PropertyEntry", "parse_properties"]

_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "f": "\f"}


@dataclass(frozen=True, slots=True)
class PropertyEntry:
    key: str
    value: str
    line: int


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """Join continuation lines; drop comments and blank lines."""
    out: list[tuple[int, str]] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        start = i
        line = lines[i].lstrip(" \t\f")
        i += 1
        if not line or line[0] in "#!":
            continue
        while _continues(line) and i < len(lines):
            line = line[:-1] + lines[i].lstrip(" \t\f")
            i += 1
        if _continues(line):
            line = line[:-1]
        out.append((start + 1, line))
    return out


def _continues(line: str) -> bool:
    backslashes = len(line) - len(line.rstrip("\\"))
    return backslashes % 2 == 1


def _unescape(text: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch != "\\" or i + 1 >= len(text):
            out.append(ch)
            i += 1
            continue
        nxt = text[i + 1]
        if nxt == "u" and i + 6 <= len(text):
            try:
                out.append(chr(int(text[i + 2 : i + 6], 16)))
                i += 6
                continue
            except ValueError:
                pass
        out.append(_ESCAPES.get(nxt, nxt))
        i += 2
    return "".join(out)


def _split(line: str) -> tuple[str, str]:
    i = 0
    while i < len(line):
        ch = line[i]
        if ch == "\\":
            i += 2
            continue
        if ch in "=: \t\f":
            break
        i += 1
    key = line[:i]
    rest = line[i:]
    if rest[:1] in ("=", ":"):
        rest = rest[1:]
    else:
        rest = rest.lstrip(" \t\f")
        if rest[:1] in ("=", ":"):
            rest = rest[1:]
    rest = rest.lstrip(" \t\f")
    return _unescape(key), _unescape(rest)


def parse_properties(text: str) -> tuple[PropertyEntry, ...]:
    """Every ``key=value`` entry of ``text`` in file order (later duplicates win in Kafka)."""
    entries: list[PropertyEntry] = []
    for line_no, line in _logical_lines(text):
        key, value = _split(line)
        if key:
            entries.append(PropertyEntry(key, value, line_no))
    return tuple(entries)
