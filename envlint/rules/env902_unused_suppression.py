"""ENV902 unused-suppression: an ``envlint: disable=`` comment that suppresses nothing.

Whether a suppression was used is only known after every other rule ran, so the engine
produces these findings itself, in :func:`envlint.suppressions.apply` (and only when this rule
is selected).  This module carries the metadata; its check yields nothing."""

from __future__ import annotations

from collections.abc import Iterator

from envlint.findings import Severity, Violation
from envlint.rules._base import Context, Rule


def check(ctx: Context) -> Iterator[Violation]:
    return iter(())


RULE = Rule(
    code="ENV902",
    name="unused-suppression",
    severity=Severity.INFO,
    summary="An envlint: disable= comment that suppresses nothing",
    check=check,
)
