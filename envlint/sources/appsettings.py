"""ASP.NET configuration: ``appsettings*.json`` as a provider of C# ``IConfiguration`` reads.

A read's key is ``read.name`` with ``__`` -> ``:`` (the adapter spells names as env names); keys
compare case-insensitively; ``GetRequiredSection("A")`` is satisfied by ``A`` itself or any key
below ``A:``.  The container side (an environment variable name -> a configuration key, .NET's
``EnvironmentVariablesConfigurationProvider``, research/source-patterns.md A.2) is
:func:`envlint.model.config_key`, used by :meth:`envlint.model.Service.provides`.

``appsettings*.json`` count as provided **by the app, not by Compose**: when the nearest
directory (walking up from the reading file) holding an ``appsettings.json`` has the key in
``appsettings.json`` or ``appsettings.Production.json`` (the environment a container runs in
unless ``ASPNETCORE_ENVIRONMENT``/``DOTNET_ENVIRONMENT`` says otherwise; Development files are
ignored), the read falls back to that value: ``missing`` becomes ``"default"`` and ``default``
names the JSON file (``<appsettings.json>``), never its value.  JSON with comments and trailing
commas is accepted, as the .NET provider does.
"""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import replace
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from envlint.sources.model import EnvRead

__all__ = ["APPSETTINGS_FILES", "apply_appsettings", "flatten", "load_json_lenient"]

APPSETTINGS_FILES = ("appsettings.json", "appsettings.Production.json")
_STRING = r'"(?:\\.|[^"\\])*(?:"|\\?\Z)'  # a JSON string (unterminated: to the end)
_COMMENTS = re.compile(_STRING + r"|//[^\n]*|/\*.*?(?:\*/|\Z)", re.S)
_TRAILING_COMMAS = re.compile(_STRING + r"|,(?=[ \t\r\n]*[\]}])", re.S)
_Documents = list[tuple[str, dict[str, bool]]]  # (path, flattened key -> has a value)


def _strings_only(match: re.Match[str]) -> str:
    return match[0] if match[0].startswith('"') else ""


def load_json_lenient(data: bytes) -> object | None:
    """Parse appsettings JSON (BOM, comments and trailing commas allowed); None if invalid."""
    try:  # JSONC: // and /* */ comments, then trailing commas, removed outside strings
        text = _COMMENTS.sub(_strings_only, data.decode("utf-8-sig"))
        parsed: object = json.loads(_TRAILING_COMMAS.sub(_strings_only, text))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    return parsed


def flatten(data: object, prefix: str = "") -> dict[str, bool]:
    """Colon keys of a JSON document -> whether the key has a (non-null) value.

    Objects and arrays (index keys ``A:0``) produce keys for their children; an empty object
    or array produces nothing, as in .NET's JSON provider.
    """
    if isinstance(data, list):
        data = dict(enumerate(data))
    if not isinstance(data, dict):
        return {prefix: data is not None} if prefix else {}
    out: dict[str, bool] = {}
    for key, value in data.items():
        out.update(flatten(value, f"{prefix}:{key}" if prefix else str(key)))
    return out


def _settings_dir(path: str, present: frozenset[str]) -> str | None:
    parts = path.split("/")[:-1]
    for end in range(len(parts), -1, -1):  # the reading file's directory, then up to the root
        directory = "/".join(parts[:end])
        if (f"{directory}/appsettings.json" if directory else "appsettings.json") in present:
            return directory
    return None


def apply_appsettings(
    reads: Sequence[EnvRead], root: Path, files: Iterable[str]
) -> tuple[EnvRead, ...]:
    """Reads with ``missing="default"`` where the app's appsettings*.json supply the key."""
    if all(r.lookup == "env" for r in reads):  # no configuration read: no file list to scan
        return tuple(reads)
    present = frozenset(f for f in files if f.rpartition("/")[2].startswith("appsettings"))
    documents = cache(partial(_load_dir, root, present))  # of a directory, read once

    def supplied(read: EnvRead) -> EnvRead:
        if read.lookup == "env" or read.missing == "default":
            return read
        directory = _settings_dir(read.location.path, present)
        if directory is None or (source := _supplier(read, documents(directory))) is None:
            return read
        keep_crash = read.crash_location if read.on_empty == "crash" else None
        return replace(read, missing="default", default=f"<{source}>", crash_location=keep_crash)

    return tuple(supplied(read) for read in reads)


def _load_dir(root: Path, present: frozenset[str], directory: str) -> _Documents:
    docs: _Documents = []
    for name in reversed(APPSETTINGS_FILES):  # later files win in .NET: check them first
        path = f"{directory}/{name}" if directory else name
        with contextlib.suppress(OSError):
            parsed = load_json_lenient((root / path).read_bytes()) if path in present else None
            if parsed is not None:
                docs.append((path, flatten(parsed)))
    return docs


def _supplier(read: EnvRead, docs: _Documents) -> str | None:
    """The first document with a value for the read's key (colon form, any case; for a
    ``GetRequiredSection`` read, also for a key below it)."""
    wanted = read.name.replace("__", ":").casefold()
    section = read.lookup == "config-section"
    for path, keys in docs:
        for key, has_value in keys.items():
            have = key.casefold()
            if has_value and (have == wanted or (section and have.startswith(wanted + ":"))):
                return path
    return None
