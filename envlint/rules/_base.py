"""What a rule is: metadata, the fact families it needs, and a pure check over plain data."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, TypeVar

from envlint.config import Settings
from envlint.facts import FactName, Facts
from envlint.findings import Severity, Violation
from envlint.model import EnvFileUser, Workspace

if TYPE_CHECKING:
    from envlint.facts import SourceFacts
    from envlint.kafka.model import KafkaClient, KafkaFacts
    from envlint.ordering.index import OrderingIndex
    from envlint.servicecode.model import CodeMap

__all__ = ["RULE_PAGE_BASE", "Check", "Context", "Rule", "RuleOptions"]

_T = TypeVar("_T")

RULE_PAGE_BASE = "https://github.com/envlint/envlint/blob/main/rules/"


@dataclass(frozen=True, slots=True)
class Context:
    """What a rule's check reads: the compose model, the facts its ``needs`` asked for, and
    the run's settings.  The engine builds only the facts some selected rule needs; asking for
    one a rule did not declare is a bug (``LookupError``)."""

    ws: Workspace
    facts: Facts
    settings: Settings

    @property
    def sources(self) -> SourceFacts:
        return _need(self.facts.sources, "sources")

    @property
    def kafka(self) -> KafkaFacts:
        return _need(self.facts.kafka, "kafka")

    @property
    def kafka_clients(self) -> tuple[KafkaClient, ...]:
        return _need(self.facts.kafka_clients, "kafka-clients")

    @property
    def ordering(self) -> OrderingIndex:
        return _need(self.facts.ordering, "ordering")

    @property
    def code(self) -> CodeMap:
        return _need(self.facts.code, "code")

    @property
    def env_file_users(self) -> tuple[EnvFileUser, ...]:
        return _need(self.facts.env_file_users, "env-file-users")


def _need(value: _T | None, name: str) -> _T:
    if value is None:
        raise LookupError(f"fact {name!r} was not built: add it to the rule's needs")
    return value


Check = Callable[[Context], Iterator[Violation]]


class RuleOptions:
    """Base of a rule's options dataclass: its fields are filled from the run's Settings (which
    the config loader validated), ``KEYS`` maps each field to its documented config key."""

    KEYS: ClassVar[Mapping[str, str]] = {}


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule: stable code and name, default severity, one-line summary, and its check.

    A rule never parses, prints, or knows its final severity: the engine owns selection,
    severity overrides, suppressions and the baseline.  ``needs`` names the fact families
    (:data:`envlint.facts.FACT_NAMES`) its check reads; ``options`` the config keys that
    shape it (documented in the page's Options section, checked by a test).
    """

    code: str
    name: str
    severity: Severity
    summary: str
    check: Check
    needs: frozenset[FactName] = frozenset()
    options: type[RuleOptions] | None = None
    # the finding is about a variable missing from what the repository provides: the engine drops
    # it when the user declared the variable external (provided at deploy time, SPEC §7)
    quiet_for_external: bool = False

    @property
    def page(self) -> str:
        """File name of the rule's page in ``rules/``."""
        return f"{self.code}-{self.name}.md"

    @property
    def url(self) -> str:
        return RULE_PAGE_BASE + self.page
