"""The source line a finding points at, with values from config files masked.

Env files, compose files and Dockerfiles hold passwords; reporters show the line so a person can
see the spot, but never a value from those files: everything after the key is replaced by ``…``,
except ``$VAR`` / ``${VAR…}`` references, which are names, not values.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

__all__ = ["is_config_file", "mask_line", "source_line"]

_REF = re.compile(r"\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*")
_ASSIGN = re.compile(
    r"^(\s*(?:-\s+)?(?:export\s+)?(?:ENV\s+|ARG\s+)?[\"']?[^\s=:\"']+[\"']?\s*[:=]\s?)"
)
_NAME_ONLY = re.compile(r"^\s*(?:-\s+)?[A-Za-z_][A-Za-z0-9_.]*:?\s*$")
_MAX_LINE = 400


def is_config_file(path: str) -> bool:
    name = PurePosixPath(path).name.lower()
    return (
        name.startswith(".env")
        or name.endswith((".env", ".yml", ".yaml", ".properties", ".json", ".toml", ".ini"))
        or name.startswith(("dockerfile", "containerfile"))
        or name.endswith((".dockerfile", ".conf"))
    )


def mask_line(line: str) -> str:
    """``  DB_PASSWORD: hunter2`` -> ``  DB_PASSWORD: …``; references stay visible."""
    if _NAME_ONLY.match(line):
        return line  # `- NAME` (a pass-through entry) or a bare `NAME`: a name, not a value
    match = _ASSIGN.match(line)
    if not match:
        refs = _REF.findall(line)
        return " ".join(refs) if refs else "…"
    head, value = match.group(1), line[match.end() :]
    if not value.strip():
        return line
    refs = _REF.findall(value)
    return head + (" ".join(refs) if refs else "…")


def source_line(root: Path, path: str, line: int) -> str | None:
    """Line ``line`` of ``root/path`` (masked for config files), or None when unreadable."""
    if line < 1:
        return None
    try:
        with (root / path).open("rb") as handle:
            for number, raw in enumerate(handle, start=1):
                if number == line:
                    text = raw.decode("utf-8", "replace").rstrip("\r\n")
                    break
                if number > line:
                    return None
            else:
                return None
    except OSError:
        return None
    if is_config_file(path):
        text = mask_line(text)
    if len(text) > _MAX_LINE:
        text = text[:_MAX_LINE] + "…"
    return text.expandtabs(4)
