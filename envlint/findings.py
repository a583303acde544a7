"""Findings: what rules report (``Violation``) and what the engine hands reporters (``Finding``)."""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass

from envlint.escape import fs_bytes
from envlint.model import Location

__all__ = ["Edit", "Finding", "Fix", "Related", "Severity", "Violation"]


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
class Edit:
    """One change to one file's text, placed by the parsers' positions.

    ``start``/``end`` are 1-based ``(line, column)`` pairs (columns in characters, ``end``
    exclusive); the text between them must read ``old`` when the fix is applied, or the whole
    fix is skipped (the file changed, or a position was not exact).  ``old=None`` with
    ``statement=KEY``: the range must hold exactly one env-file statement assigning KEY (whole
    lines; used to drop a duplicate).  ``start=None``: append ``new`` (whole lines ending in
    ``\n``) at the end of the file, after a line break if the file lacks a final one; the
    file's own line ending is used.  ``new`` is text envlint wrote (keys, comments, documented
    defaults, ``$``): never a value read from an env file.
    """

    path: str
    new: str
    start: tuple[int, int] | None = None
    end: tuple[int, int] | None = None
    old: str | None = ""
    statement: str | None = None

    @property
    def appends(self) -> bool:
        return self.start is None


@dataclass(frozen=True, slots=True)
class Fix:
    """A safe fix for a finding: every edit is applied, or none (``envlint fix``)."""

    description: str  # what it does, e.g. "add JWT_SECRET= to .env.example"
    edits: tuple[Edit, ...]


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
    fix: Fix | None = None  # what `envlint fix` may change for it, when that needs no guessing
    # the stacks (ComposeProject.stack) in which this holds, for a finding that depends on the
    # stack; the engine merges violations that differ only here and names the stacks
    stacks: tuple[str, ...] = ()


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
    fix: Fix | None = None
    stacks: tuple[str, ...] = ()  # the stacks it holds in (empty: it does not depend on one)

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.path, loc.line, loc.column, self.code, self.message)

    @staticmethod
    def make_fingerprint(code: str, violation: Violation) -> str:
        """Stable across line moves: rule + service + variable + file (+ rule-given key).
        The stacks are not part of it: a finding keeps its fingerprint when the repository
        starts documenting another stack it also holds in."""
        parts = [
            code,
            violation.service or "",
            violation.variable or "",
            violation.location.path,
            violation.key or ("" if violation.variable else violation.message),
        ]
        # the bytes a non-UTF-8 file name stands for (never an encoding error)
        return hashlib.sha256(fs_bytes("\x1f".join(parts))).hexdigest()[:16]
