"""envlint: a config-drift linter for Compose projects, env files, service code and Kafka.

Public API::

    from envlint import Settings, lint
    report = lint([Path("deploy")], Settings(select=("ENV1",)))
    for finding in report.findings: ...

Attributes are imported lazily so that ``envlint --version`` stays as fast as the interpreter.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not ``typing.TYPE_CHECKING``: importing typing is a third of start-up
__version__ = "0.1.0"

__all__ = ["Finding", "Report", "Settings", "Severity", "__version__", "lint"]

if TYPE_CHECKING:
    from typing import Any

    from envlint.config import Settings
    from envlint.engine import lint
    from envlint.findings import Finding, Severity
    from envlint.report import Report

_LAZY = {
    "Finding": "envlint.findings",
    "Severity": "envlint.findings",
    "Settings": "envlint.config",
    "Report": "envlint.report",
    "lint": "envlint.engine",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'envlint' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
