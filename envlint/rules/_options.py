"""Option dataclasses of the rules that have options, filled from the validated Settings.

Each documents its config keys (``KEYS``); a test checks them against the Options section of
every rule page that names the class's rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from envlint.config import Settings
from envlint.rules._base import RuleOptions

__all__ = ["DowntimeBudget", "External", "OrderingPatterns", "PublishPatterns"]


@dataclass(frozen=True, slots=True)
class DowntimeBudget(RuleOptions):
    """ENV301/ENV302: how long consumers may be down, and the safety factor."""

    KEYS: ClassVar[dict[str, str]] = {
        "max_consumer_downtime": "max-consumer-downtime",
        "retention_factor": "retention-factor",
    }
    max_consumer_downtime: float  # seconds
    retention_factor: float

    @classmethod
    def of(cls, settings: Settings) -> DowntimeBudget:
        return cls(settings.max_consumer_downtime, settings.retention_factor)


@dataclass(frozen=True, slots=True)
class External(RuleOptions):
    """ENV904: the variables declared as provided at deploy time, with where each is declared
    (the config file's ``external`` list and ``--external``)."""

    KEYS: ClassVar[dict[str, str]] = {"patterns": "external"}
    patterns: tuple[tuple[str, str], ...]  # (name or glob, where it is declared)

    @classmethod
    def of(cls, settings: Settings) -> External:
        return cls(settings.external_patterns())


@dataclass(frozen=True, slots=True)
class OrderingPatterns(RuleOptions):
    """ENV401/ENV402: what counts as destructive, and extra publish calls."""

    KEYS: ClassVar[dict[str, str]] = {"destructive": "destructive", "publish": "publish"}
    destructive: tuple[str, ...]
    publish: tuple[str, ...]

    @classmethod
    def of(cls, settings: Settings) -> OrderingPatterns:
        return cls(settings.destructive, settings.publish)


@dataclass(frozen=True, slots=True)
class PublishPatterns(RuleOptions):
    """ENV402: extra publish calls besides the built-in Kafka clients."""

    KEYS: ClassVar[dict[str, str]] = {"publish": "publish"}
    publish: tuple[str, ...]

    @classmethod
    def of(cls, settings: Settings) -> PublishPatterns:
        return cls(settings.publish)
