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

A program may add configuration files of its own (``AddJsonFile("yarp.json", optional: false)``
on ``builder.Configuration`` or in ``ConfigureAppConfiguration``: the ``@config_source`` role of
``queries/csharp.scm``, :func:`config_source`).  A literal path is relative to the content root,
the project directory (the nearest one holding a ``*.csproj``, walking up from the calling file,
as ASP.NET's default and ``dotnet publish`` lay it out): such a JSON file in the repository
supplies keys to the reads of the same project like ``appsettings.json``.  A source envlint
cannot read (a computed path, a file absent from the repository, XML/INI/YAML, key-per-file,
a stream) may supply any key: a read of that project that no readable file supplies no longer
claims a crash (``missing`` becomes ``"unknown"``).  ``appsettings.{env}.json`` is the standard
environment file, read as above.
"""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass, replace
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from envlint.model import Location
    from envlint.sources.classify import Name
    from envlint.sources.model import EnvRead

__all__ = [
    "APPSETTINGS_FILES",
    "ConfigSource",
    "apply_appsettings",
    "config_source",
    "flatten",
    "load_json_lenient",
]

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


def _nearest(path: str, holds: Callable[[str], bool]) -> str | None:
    """The nearest directory that ``holds``: ``path``'s directory, then up to the root."""
    directory = posixpath.dirname(path)
    while not holds(directory):
        if not directory:
            return None
        directory = posixpath.dirname(directory)
    return directory


def apply_appsettings(
    reads: Sequence[EnvRead],
    root: Path,
    files: Iterable[str],
    added: Iterable[ConfigSource] = (),
) -> tuple[EnvRead, ...]:
    """Reads with ``missing="default"`` where the app's appsettings*.json, or a JSON file its
    code adds (``added``), supply the key; ``"unknown"`` instead of a crash where a source the
    code adds cannot be read."""
    if all(r.lookup == "env" for r in reads):  # no configuration read: no file list to scan
        return tuple(reads)
    present = frozenset(files)
    load = cache(partial(_keys, root))  # a JSON file read and parsed once
    main = APPSETTINGS_FILES[0]  # a directory holding it holds the app's settings
    settings = frozenset(posixpath.dirname(f) for f in present if posixpath.basename(f) == main)
    projects = frozenset(posixpath.dirname(f) for f in present if f.endswith(".csproj"))
    own: dict[str | None, _Documents] = {}  # project -> the JSON documents its code adds
    unreadable: set[str] = set()  # projects that add a source envlint cannot read
    for source in added:
        if (project := _nearest(source.location.path, projects.__contains__)) is None:
            continue
        written = (source.file or "").replace("\\", "/")
        path = posixpath.normpath(posixpath.join(project, written))
        keys = load(path) if source.file and path in present and path.endswith(".json") else None
        if keys is None:  # computed, absent, invalid or another format: any key
            unreadable.add(project)
        else:
            own.setdefault(project, []).append((path, keys))

    @cache
    def documents(directory: str) -> _Documents:  # later files win in .NET: check them first
        paths = [posixpath.join(directory, name) for name in reversed(APPSETTINGS_FILES)]
        return [(p, keys) for p in paths if p in present and (keys := load(p)) is not None]

    def supplied(read: EnvRead) -> EnvRead:
        if read.lookup == "env" or read.missing == "default":
            return read
        directory = _nearest(read.location.path, settings.__contains__)
        project = _nearest(read.location.path, projects.__contains__)
        docs = [*(documents(directory) if directory is not None else []), *own.get(project, [])]
        if (source := _supplier(read, docs)) is None:
            if project in unreadable and read.missing == "crash":  # an unread source may supply it
                return replace(read, missing="unknown", crash_location=None)
            return read
        keep_crash = read.crash_location if read.on_empty == "crash" else None
        return replace(read, missing="default", default=f"<{source}>", crash_location=keep_crash)

    return tuple(supplied(read) for read in reads)


def _keys(root: Path, path: str) -> dict[str, bool] | None:
    """The keys of the JSON file ``path`` (:func:`flatten`; None: unreadable or invalid)."""
    try:
        parsed = load_json_lenient((root / path).read_bytes())
    except OSError:
        return None
    return None if parsed is None else flatten(parsed)


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


# --- the configuration sources a program adds ----------------------------------------------


@dataclass(frozen=True, slots=True)
class ConfigSource:
    """A configuration source a C# file adds (``AddJsonFile("yarp.json")``)."""

    location: Location  # the call
    # the file's path as written (relative to the content root); None when envlint cannot read
    # it (a computed path, a stream, a key-per-file directory)
    file: str | None


def config_source(location: Location, path: Name) -> ConfigSource | None:
    """The source a call at ``location`` adds (``path``: its path argument resolved); None for
    the project's own ``appsettings*.json`` (``"appsettings.json"``, ``$"appsettings.{env}.json"``:
    read as above) and for an empty path (.NET rejects it)."""
    if path.kind != "literal":  # computed: envlint cannot read it
        standard = path.kind == "pattern" and path.value == "appsettings.*.json"
        return None if standard else ConfigSource(location, None)
    name = path.value.replace("\\", "/").removeprefix("./")
    own = "/" not in name and name.startswith("appsettings") and name.endswith(".json")
    return None if own or not path.value else ConfigSource(location, path.value)
