"""Source positions of references inside YAML scalars.

The interpolation engine reports offsets into the *decoded* scalar value; a finding needs the
line and column in the file.  For single-line plain and quoted scalars the decoding is undone
character by character (``''`` in single quotes, ``\\`` escapes in double quotes).  For block
scalars and multi-line flow scalars (line folding, indentation) the reference's text is matched
within the scalar's own source span, counting occurrences so the n-th reference in the value maps
to the n-th in the source; when that fails the scalar's start is used.
"""

from __future__ import annotations

from bisect import bisect_left

from envlint.model import Location

__all__ = ["ScalarLocator", "reference_location"]

_ESCAPE_WIDTH = {"x": 4, "u": 6, "U": 10}


def _single_line_columns(line: str, start_col: int, style: str, length: int) -> list[int] | None:
    """0-based source columns of each value character (plus one past the end)."""
    if style == "":
        return list(range(start_col, start_col + length + 1))
    if start_col >= len(line) or line[start_col] != style:
        return None
    columns: list[int] = []
    i = start_col + 1
    while len(columns) < length and i < len(line):
        columns.append(i)
        ch = line[i]
        if style == "'" and ch == "'" and i + 1 < len(line) and line[i + 1] == "'":
            i += 2
        elif style == '"' and ch == "\\" and i + 1 < len(line):
            i += _ESCAPE_WIDTH.get(line[i + 1], 2)
        else:
            i += 1
    if len(columns) < length:
        return None
    columns.append(i)
    return columns


class ScalarLocator:
    """Where references of one scalar are written: the column map (single-line scalars) or
    the occurrences of each reference text (multi-line ones) are computed once per scalar, so
    a value with n references costs O(length + n log n), not O(n * length)."""

    def __init__(self, scalar_loc: Location, style: str, value: str, lines: list[str]) -> None:
        self.loc = scalar_loc
        self.style = style
        self.value = value
        self.lines = lines
        self._columns: list[int] | bool | None = False  # False: not computed yet
        self._in_value: dict[str, list[int]] = {}
        self._in_source: dict[str, list[tuple[int, int]]] = {}

    def __call__(self, start: int, end: int) -> Location:
        loc, value = self.loc, self.value
        line_no = loc.line
        columns = self.columns()
        if columns is not None:
            return Location(
                loc.path, line_no, columns[start] + 1, line_no, columns[min(end, len(value))] + 1
            )
        ref_text = value[start:end]
        if ref_text and "\n" not in ref_text:
            occurrence = bisect_left(self._value_offsets(ref_text), start)
            places = self._source_places(ref_text)
            if occurrence < len(places):
                number, col = places[occurrence]
                return Location(loc.path, number, col + 1, number, col + 1 + len(ref_text))
        return Location(loc.path, line_no, loc.column)

    def columns(self) -> list[int] | None:
        """0-based source columns of each value character, for a single-line scalar."""
        if self._columns is False:
            self._columns = None
            loc, value, lines = self.loc, self.value, self.lines
            single = (loc.end_line in (None, loc.line)) and "\n" not in value
            if single and self.style in ("", "'", '"') and 0 < loc.line <= len(lines):
                line = lines[loc.line - 1]
                columns = _single_line_columns(line, loc.column - 1, self.style, len(value))
                if columns is not None and (
                    self.style != "" or line.startswith(value, loc.column - 1)
                ):
                    self._columns = columns
        return self._columns  # type: ignore[return-value]

    def _value_offsets(self, text: str) -> list[int]:
        found = self._in_value.get(text)
        if found is None:
            found = []
            at = self.value.find(text)
            while at >= 0:
                found.append(at)
                at = self.value.find(text, at + 1)
            self._in_value[text] = found
        return found

    def _source_places(self, text: str) -> list[tuple[int, int]]:
        found = self._in_source.get(text)
        if found is None:
            found = []
            loc = self.loc
            last = loc.end_line or loc.line
            for number in range(loc.line, min(last, len(self.lines)) + 1):
                line = self.lines[number - 1]
                col = line.find(text, loc.column - 1 if number == loc.line else 0)
                while col >= 0:
                    found.append((number, col))
                    col = line.find(text, col + 1)
            self._in_source[text] = found
        return found


def reference_location(
    scalar_loc: Location,
    style: str,
    value: str,
    start: int,
    end: int,
    lines: list[str],
) -> Location:
    """Where ``value[start:end]`` (a reference) is written, given the scalar's location (for
    one reference; :class:`ScalarLocator` for many)."""
    return ScalarLocator(scalar_loc, style, value, lines)(start, end)
