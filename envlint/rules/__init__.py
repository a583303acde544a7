"""The rule registry: one module per rule, registered by appending to ``RULES`` (no decorators,
no import side effects)."""

from __future__ import annotations

from envlint.rules._base import Rule

__all__ = ["RULES", "Rule"]

RULES: tuple[Rule, ...] = (
)
