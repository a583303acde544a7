"""Source positions of references inside YAML scalars.

The interpolation engine reports offsets into the *decoded* scalar value; a finding needs the
line and column in the file.  For single-line plain and quoted scalars the decoding is undone
character by character (``''`` in single quotes, ``\\`` escapes in double quotes).  For block
scalars and multi-line flow scalars (line folding, indentation) the reference's text is matched
within the scalar's own source span, counting occurrences so the n-th reference in the value maps
to the n-th in the source; when that fails the scalar's start is used.
"""

from __future__ import annotations

from envlint.model import Location

__all__ = ["reference_location"]

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


def reference_location(
    scalar_loc: Location,
    style: str,
    value: str,
    start: int,
    end: int,
    lines: list[str],
) -> Location:
    """Where ``value[start:end]`` (a reference) is written, given the scalar's location."""
    line_no = scalar_loc.line
    single = (scalar_loc.end_line in (None, line_no)) and "\n" not in value
    if single and style in ("", "'", '"') and 0 < line_no <= len(lines):
        line = lines[line_no - 1]
        columns = _single_line_columns(line, scalar_loc.column - 1, style, len(value))
        if columns is not None and (style != "" or line.startswith(value, scalar_loc.column - 1)):
            return Location(
                scalar_loc.path,
                line_no,
                columns[start] + 1,
                line_no,
                columns[min(end, len(value))] + 1,
            )
    ref_text = value[start:end]
    if ref_text and "\n" not in ref_text:
        occurrence = value.count(ref_text, 0, start)
        last = scalar_loc.end_line or line_no
        seen = 0
        for number in range(line_no, min(last, len(lines)) + 1):
            line = lines[number - 1]
            col = line.find(ref_text, scalar_loc.column - 1 if number == line_no else 0)
            while col >= 0:
                if seen == occurrence:
                    return Location(
                        scalar_loc.path, number, col + 1, number, col + 1 + len(ref_text)
                    )
                seen += 1
                col = line.find(ref_text, col + 1)
    return Location(scalar_loc.path, line_no, scalar_loc.column)
