"""ENV105 invalid-env-file: an env file line that Compose's dotenv parser rejects (Compose stops
with an error, so nothing after it is read)."""

from __future__ import annotations

from collections.abc import Iterator

from envlint.findings import Severity, Violation
from envlint.model import ProblemKind
from envlint.rules._base import Context, Rule
from envlint.rules._common import problems_of


def check(ctx: Context) -> Iterator[Violation]:
    for problem in problems_of(ctx.ws, ProblemKind.INVALID_ENV_FILE):
        yield Violation(location=problem.location, message=problem.message)


RULE = Rule(
    code="ENV105",
    name="invalid-env-file",
    severity=Severity.ERROR,
    summary="An env file line that Compose cannot parse",
    check=check,
)
