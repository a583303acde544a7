"""What a rule is: metadata plus a pure function from the model to violations."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from envlint.config import Settings
from envlint.findings import Severity, Violation
from envlint.model import Workspace

__all__ = ["Check", "Rule"]

Check = Callable[[Workspace, Settings], Iterator[Violation]]


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule: stable code and name, default severity, one-line summary, and its check.

    A rule never parses, prints, or knows its final severity: the engine owns selection,
    severity overrides, suppressions and the baseline.
    """

    code: str
    name: str
    severity: Severity
    summary: str
    check: Check

    @property
    def page(self) -> str:
        """File name of the rule's page in ``rules/``."""
        return f"{self.code}-{self.name}.md"
