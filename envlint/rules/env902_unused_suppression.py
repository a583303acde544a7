"""ENV902 unused-suppression: an ``envlint: disable=`` comment that suppresses nothing.

Whether a suppression was used is only known after every other rule ran, so the engine
produces these findings itself, in :func:`envlint.suppressions.apply` (and only when this rule
is selected).  This module carries the metadata; its check yields nothing."""

from __future__ import annotations

from collections.abc import Iterator

from envlint.config import Settings
from envlint.findings import Severity, Violation
from envlint.model import Workspace
from envlint.rules._base import Rule


def check(ws: Workspace, settings: Settings) -> Iterator[Violation]:
    return iter(())


RULE = Rule(
    code="ENV902",
    name="unused-suppression",
    severity=Severity.INFO,
    summary="An envlint: disable= comment that suppresses nothing",
    check=check,
)
