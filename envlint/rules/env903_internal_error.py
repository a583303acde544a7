"""ENV903 internal-error: a rule failed on this project (a bug in envlint).

The engine produces this finding itself when a rule raises, so that the other rules still
report; the run then exits with status 2.  This module only carries the metadata."""

from __future__ import annotations

from collections.abc import Iterator

from envlint.findings import Severity, Violation
from envlint.rules._base import Context, Rule


def check(ctx: Context) -> Iterator[Violation]:
    return iter(())


RULE = Rule(
    code="ENV903",
    name="internal-error",
    severity=Severity.ERROR,
    summary="A rule failed on this project (a bug in envlint)",
    check=check,
)
