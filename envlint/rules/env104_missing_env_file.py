"""ENV104 missing-env-file: a required ``env_file:`` (or ``--env-file``) does not exist."""

from __future__ import annotations

from collections.abc import Iterator

from envlint.findings import Severity, Violation
from envlint.model import ProblemKind
from envlint.rules._base import Context, Rule
from envlint.rules._common import problems_of


def check(ctx: Context) -> Iterator[Violation]:
    for problem in problems_of(ctx.ws, ProblemKind.MISSING_ENV_FILE):
        yield Violation(location=problem.location, message=problem.message)


RULE = Rule(
    code="ENV104",
    name="missing-env-file",
    severity=Severity.ERROR,
    summary="A required env_file (or --env-file) does not exist",
    check=check,
)
