"""ENV901 parse-error: a file envlint should read cannot be parsed (bad YAML, binary, bad
encoding, too large, an invalid ``${`` template).  Notes about partly read input (a source file
its grammar could not read in full, a remote include not followed) are reported at info level;
source-file notes exist only when some selected rule needed the services' code parsed."""

from __future__ import annotations

from collections.abc import Iterator

from envlint.findings import Severity, Violation
from envlint.model import ProblemKind
from envlint.rules._base import Context, Rule
from envlint.rules._common import problems_of


def check(ctx: Context) -> Iterator[Violation]:
    kinds = (ProblemKind.PARSE_ERROR, ProblemKind.INVALID_INTERPOLATION, ProblemKind.NOTE)
    for problem in (*problems_of(ctx.ws, *kinds), *ctx.facts.notes):
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
