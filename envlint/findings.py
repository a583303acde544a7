"""Findings: what rules report (``Violation``) and what the engine hands reporters (``Finding``)."""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass

from envlint.escape import fs_bytes
from envlint.model import Location

__all__ = ["Finding", "Related", "Severity", "Violation"]


class Severity(enum.Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls(text.strip().lower())
        except ValueError:
            raise ValueError(f"unknown severity {text!r} (error, warning, info)") from None


_RANK = {Severity.INFO: 1, Severity.WARNING: 2, Severity.ERROR: 3}


@dataclass(frozen=True, slots=True)
class Related:
    """Evidence in another place: the compose line that passes a variable through, ..."""

    location: Location
    message: str


@dataclass(frozen=True, slots=True)
class Violation:
    """What a rule yields.  The engine adds code, name, final severity, url and fingerprint.

    ``severity`` is set only by rules whose level depends on the case (ENV301: error below 1x
    the budget, warning below 2x); otherwise the rule's default applies.
    """

    location: Location
    message: str
    service: str | None = None
    variable: str | None = None
    related: tuple[Related, ...] = ()
    severity: Severity | None = None
    key: str | None = None  # extra identity for the fingerprint when service+variable is not enough


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    name: str
    severity: Severity
    message: str
    location: Location
    service: str | None
    variable: str | None
    related: tuple[Related, ...]
    url: str
    fingerprint: str

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.path, loc.line, loc.column, self.code, self.message)

    @staticmethod
    def make_fingerprint(code: str, violation: Violation) -> str:
        """Stable across line moves: rule + service + variable + file (+ rule-given key)."""
        parts = [
            code,
            violation.service or "",
            violation.variable or "",
            violation.location.path,
            violation.key or ("" if violation.variable else violation.message),
        ]
        # the bytes a non-UTF-8 file name stands for (never an encoding error)
        return hashlib.sha256(fs_bytes("\x1f".join(parts))).hexdigest()[:16]
