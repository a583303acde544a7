"""ENV112 literal-brace: ``$NAME}`` in an env file or compose value — an unbraced reference
followed by a ``}`` that closes nothing.  Compose substitutes ``$NAME`` and silently keeps the
``}`` as part of the value (the ``{`` was forgotten)."""

from __future__ import annotations

from collections.abc import Iterator

from envlint.findings import Severity, Violation
from envlint.model import ProblemKind
from envlint.rules._base import Context, Rule
from envlint.rules._common import problems_of


def check(ctx: Context) -> Iterator[Violation]:
    for problem in problems_of(ctx.ws, ProblemKind.LITERAL_BRACE):
        yield Violation(location=problem.location, message=problem.message)


RULE = Rule(
    code="ENV112",
    name="literal-brace",
    severity=Severity.WARNING,
    summary="A $NAME} in a value, where Compose keeps the } as a literal character",
    check=check,
)
