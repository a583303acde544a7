"""ENV901 parse-error: a file envlint should read cannot be parsed (bad YAML, binary, bad
encoding, too large, an invalid ``${`` template).  Notes about partly read input (a source file
its grammar could not read in full, a remote include not followed) are reported at info level."""

from __future__ import annotations

from collections.abc import Iterator

from envlint.config import Settings
from envlint.findings import Severity, Violation
from envlint.model import Problem, ProblemKind, Workspace
from envlint.rules._base import Rule
from envlint.rules._common import problems_of


def check(ws: Workspace, settings: Settings) -> Iterator[Violation]:
    kinds = (ProblemKind.PARSE_ERROR, ProblemKind.INVALID_INTERPOLATION, ProblemKind.NOTE)
    source_notes = [p for p in ws.sources.extras.get("problems", ()) if isinstance(p, Problem)]
    for problem in (*problems_of(ws, *kinds), *source_notes):
        yield Violation(
            location=problem.location,
            message=problem.message,
            severity=Severity.INFO if problem.kind is ProblemKind.NOTE else None,
            key=problem.kind.value + ":" + problem.message,
        )


RULE = Rule(
    code="ENV901",
    name="parse-error",
    severity=Severity.ERROR,
    summary="A file envlint should read cannot be parsed",
    check=check,
)
