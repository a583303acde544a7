"""The baseline: findings recorded once, hidden afterwards, so a project can adopt envlint and
fail only on new findings.

Entries are keyed by the finding's stable fingerprint (rule + service + variable + file, never
the line), with a count: two recorded findings of one fingerprint hide two, a third shows.  The
file is JSON, sorted and byte-identical for the same findings, so it diffs well in review::

    {
      "version": 1,
      "tool": "envlint",
      "entries": [
        {"fingerprint": "…", "code": "ENV101", "path": "compose.yaml",
         "service": "api", "variable": "DB_URL", "count": 1}
      ]
    }

``code``/``path``/``service``/``variable`` are there for the reader; only ``fingerprint`` and
``count`` are used for matching.  No message and no value is written.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from envlint.config import ConfigError
from envlint.escape import utf8
from envlint.findings import Finding

__all__ = ["VERSION", "BaselineResult", "apply", "load", "write"]

VERSION = 1
MAX_BASELINE_BYTES = 64 * 1024 * 1024  # ~300,000 entries
# Internal errors are bugs in envlint, never a state to accept.
_NEVER_RECORDED = frozenset({"ENV903"})


@dataclass(frozen=True, slots=True)
class BaselineResult:
    kept: tuple[Finding, ...]
    baselined: int
    stale: tuple[str, ...]  # fingerprints recorded more often than they were found (sorted)


def apply(findings: Sequence[Finding], path: Path) -> BaselineResult:
    """Hide the findings ``path`` records; report entries that matched fewer than recorded.

    Findings are consumed in their sorted order, so which of several same-fingerprint findings
    stays visible does not depend on the rules' order.
    """
    remaining = load(path)
    kept: list[Finding] = []
    baselined = 0
    for finding in sorted(findings, key=lambda f: f.sort_key):
        if finding.code not in _NEVER_RECORDED and remaining[finding.fingerprint] > 0:
            remaining[finding.fingerprint] -= 1
            baselined += 1
        else:
            kept.append(finding)
    stale = tuple(sorted(fp for fp, left in remaining.items() if left > 0))
    return BaselineResult(tuple(kept), baselined, stale)


def load(path: Path) -> Counter[str]:
    """Fingerprint -> count.  A missing or malformed file is a :class:`ConfigError` (exit 2)."""
    from envlint._regular import read_regular

    try:
        text = read_regular(path, MAX_BASELINE_BYTES).decode("utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"baseline file not found: {path} (create it with --write-baseline {path})"
        ) from None
    except OSError as exc:  # also a FIFO, a device, a file over the limit
        raise ConfigError(f"cannot read baseline {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"cannot read baseline {path}: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path}: not an envlint baseline (invalid JSON: {exc})") from None
    return _counts(data, path)


def _counts(data: Any, path: Path) -> Counter[str]:
    if not isinstance(data, dict) or "entries" not in data:
        raise ConfigError(
            f"{path}: not an envlint baseline (no 'entries'); "
            f"recreate it with --write-baseline {path}"
        )
    if data.get("version") != VERSION:
        raise ConfigError(
            f"{path}: baseline version {data.get('version')!r} is not supported "
            f"(expected {VERSION}); recreate it with --write-baseline {path}"
        )
    entries = data["entries"]
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: 'entries' must be a list")
    counts: Counter[str] = Counter()
    for index, entry in enumerate(entries):
        fingerprint = entry.get("fingerprint") if isinstance(entry, dict) else None
        count = entry.get("count", 1) if isinstance(entry, dict) else None
        if not isinstance(fingerprint, str) or not fingerprint:
            raise ConfigError(f"{path}: entries[{index}] has no 'fingerprint'")
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise ConfigError(f"{path}: entries[{index}].count must be a positive integer")
        counts[fingerprint] += count
    return counts


def write(findings: Sequence[Finding], path: Path) -> int:
    """Record ``findings`` in ``path`` (atomically); returns how many were recorded."""
    recorded = [f for f in findings if f.code not in _NEVER_RECORDED]
    counts = Counter(f.fingerprint for f in recorded)
    first: dict[str, Finding] = {}
    for finding in sorted(recorded, key=lambda f: f.sort_key):
        first.setdefault(finding.fingerprint, finding)
    entries = [
        {
            "fingerprint": fp,
            "code": f.code,
            "path": utf8(f.location.path),  # for the reader (a non-UTF-8 byte as \xff)
            "service": None if f.service is None else utf8(f.service),
            "variable": None if f.variable is None else utf8(f.variable),
            "count": counts[fp],
        }
        for fp, f in sorted(first.items(), key=lambda kv: (kv[1].location.path, kv[1].code, kv[0]))
    ]
    document = {"version": VERSION, "tool": "envlint", "entries": entries}
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    _atomic_write(path, text)
    return len(recorded)


def _atomic_write(path: Path, text: str) -> None:
    from envlint._atomic import write_text_atomic

    try:
        write_text_atomic(path, text)
    except OSError as exc:
        raise ConfigError(f"cannot write baseline {path}: {exc.strerror or exc}") from None
