"""Read annotations in fixture sources: ``// read: NAME missing=.. empty=.. type=..`` comment
lines (one or more, stacked) apply to the next line that is not such a comment."""

from __future__ import annotations

import re
from pathlib import Path

ANNOTATION = re.compile(r"^\s*//\s*read:\s*(\S+)\s+missing=(\w+)\s+empty=(\w+)\s+type=(\w+)\s*$")
ANY_READ_COMMENT = re.compile(r"^\s*//\s*read:")

Expected = tuple[str, str, int, str, str, str]  # path, name, line, missing, on_empty, type


def expected_reads(root: Path) -> set[Expected]:
    out: set[Expected] = set()
    for file in sorted(root.rglob("*")):
        if file.suffix not in (".go", ".cs"):
            continue
        rel = file.relative_to(root).as_posix()
        pending: list[re.Match[str]] = []
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
            match = ANNOTATION.match(line)
            if match:
                pending.append(match)
                continue
            if ANY_READ_COMMENT.match(line):
                continue  # "read: -" notes
            for m in pending:
                name, missing, empty, vtype = m.groups()
                out.add((rel, name, number, missing, empty, vtype))
            pending = []
    return out
