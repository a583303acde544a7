"""ASP.NET configuration: ``appsettings*.json`` as a provider, and the exact ``__`` <-> ``:`` rule.

How a C# ``IConfiguration`` read is matched (``dotnet/runtime``
``EnvironmentVariablesConfigurationProvider``, research/source-patterns.md A.2):

* an environment variable name becomes a configuration key by (1) the connection-string
  prefixes ``MYSQLCONNSTR_``, ``SQLAZURECONNSTR_``, ``SQLCONNSTR_``, ``CUSTOMCONNSTR_``,
  ``POSTGRESQLCONNSTR_``, ``APIHUBCONNSTR_``, ``DOCDBCONNSTR_``, ``EVENTHUBCONNSTR_``,
  ``NOTIFICATIONHUBCONNSTR_``, ``REDISCACHECONNSTR_``, ``SERVICEBUSCONNSTR_`` (case-insensitive)
  -> ``ConnectionStrings:<rest>``; otherwise (2) every ``__`` replaced by ``:`` left to right
  (``A___B`` -> ``A:_B``);
* keys compare case-insensitively;
* a read's key is ``read.name`` with ``__`` -> ``:`` (the adapter spells names as env names);
  ``GetRequiredSection("A")`` is satisfied by ``A`` itself or any key below ``A:``.

``appsettings*.json`` count as provided **by the app, not by Compose**: when the nearest
directory (walking up from the reading file) holding an ``appsettings.json`` has the key in
``appsettings.json`` or ``appsettings.Production.json`` (the environment a container runs in
unless ``ASPNETCORE_ENVIRONMENT``/``DOTNET_ENVIRONMENT`` says otherwise; Development files are
ignored), the read falls back to that value: ``missing`` becomes ``"default"`` and ``default``
names the JSON file (``<appsettings.json>``), never its value.  JSON with comments and trailing
commas is accepted, as the .NET provider does.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from envlint.model import EnvValue, Service
    from envlint.sources.model import EnvRead

__all__ = [
    "APPSETTINGS_FILES",
    "apply_appsettings",
    "config_key",
    "env_name_to_key",
    "flatten",
    "is_config_read",
    "key_provided_by",
    "load_json_lenient",
    "provided",
]

CONFIG_API_PREFIX = "IConfiguration"
APPSETTINGS_FILES = ("appsettings.json", "appsettings.Production.json")
_CONNSTR_PREFIXES = (
    "MYSQLCONNSTR_",
    "SQLAZURECONNSTR_",
    "SQLCONNSTR_",
    "CUSTOMCONNSTR_",
    "POSTGRESQLCONNSTR_",
    "APIHUBCONNSTR_",
    "DOCDBCONNSTR_",
    "EVENTHUBCONNSTR_",
    "NOTIFICATIONHUBCONNSTR_",
    "REDISCACHECONNSTR_",
    "SERVICEBUSCONNSTR_",
)


def env_name_to_key(name: str) -> str:
    """The configuration key .NET derives from an environment variable name."""
    upper = name.upper()
    for prefix in _CONNSTR_PREFIXES:
        if upper.startswith(prefix):
            return "ConnectionStrings:" + name[len(prefix) :]
    return name.replace("__", ":")


def is_config_read(read: EnvRead) -> bool:
    return read.language == "csharp" and read.api.startswith(CONFIG_API_PREFIX)


def config_key(read: EnvRead) -> str:
    return read.name.replace("__", ":")


def _key_matches(read: EnvRead, key: str) -> bool:
    wanted = config_key(read).casefold()
    have = key.casefold()
    if read.api.endswith("GetRequiredSection"):
        return have == wanted or have.startswith(wanted + ":")
    return have == wanted


def key_provided_by(read: EnvRead, environment: Mapping[str, EnvValue]) -> EnvValue | None:
    """The environment entry that supplies a configuration read (first by name), or None."""
    for name in sorted(environment):
        if _key_matches(read, env_name_to_key(name)):
            return environment[name]
    return None


def provided(service: Service, read: EnvRead) -> EnvValue | None:
    """What the service's container environment gives this read (compose env, then image ENV).

    Plain reads use ``Service.provides``; C# configuration reads use the .NET key mapping.
    """
    if not is_config_read(read):
        return service.provides(read.name)
    return key_provided_by(read, service.environment) or key_provided_by(read, service.image_env)


# --- appsettings*.json --------------------------------------------------------------------


def _strip_comments(text: str) -> str:
    """Remove // and /* */ comments and trailing commas outside strings (JSONC)."""
    out: list[str] = []
    i, n = 0, len(text)
    in_string = False
    while i < n:
        ch = text[i]
        if in_string:
            out.append(ch)
            if ch == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 2
                continue
            in_string = ch != '"'
            i += 1
            continue
        if ch == '"':
            in_string = True
            out.append(ch)
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
            continue
        elif ch in "]}":
            j = len(out) - 1
            while j >= 0 and out[j] in " \t\r\n":
                j -= 1
            if j >= 0 and out[j] == ",":
                del out[j]
            out.append(ch)
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def load_json_lenient(data: bytes) -> object | None:
    """Parse appsettings JSON (BOM, comments and trailing commas allowed); None if invalid."""
    try:
        text = data.decode("utf-8-sig")
        parsed: object = json.loads(_strip_comments(text))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    return parsed


def flatten(data: object, prefix: str = "") -> dict[str, bool]:
    """Colon keys of a JSON document -> whether the key has a (non-null) value.

    Objects and arrays (index keys ``A:0``) produce keys for their children; an empty object
    or array produces nothing, as in .NET's JSON provider.
    """
    out: dict[str, bool] = {}
    if isinstance(data, dict):
        items: Iterable[tuple[str, object]] = ((str(k), v) for k, v in data.items())
    elif isinstance(data, list):
        items = ((str(i), v) for i, v in enumerate(data))
    else:
        if prefix:
            out[prefix] = data is not None
        return out
    for key, value in items:
        out.update(flatten(value, f"{prefix}:{key}" if prefix else key))
    return out


def _settings_dir(path: str, present: frozenset[str]) -> str | None:
    directory = path.rpartition("/")[0]
    while True:
        candidate = f"{directory}/appsettings.json" if directory else "appsettings.json"
        if candidate in present:
            return directory
        if not directory:
            return None
        directory = directory.rpartition("/")[0]


def apply_appsettings(
    reads: Sequence[EnvRead], root: Path, files: Iterable[str]
) -> tuple[EnvRead, ...]:
    """Reads with ``missing="default"`` where the app's appsettings*.json supply the key."""
    present = frozenset(f for f in files if f.rpartition("/")[2].startswith("appsettings"))
    if not present or not any(is_config_read(r) for r in reads):
        return tuple(reads)
    loaded: dict[str, list[tuple[str, dict[str, bool]]]] = {}
    out: list[EnvRead] = []
    for read in reads:
        if not is_config_read(read) or read.missing == "default":
            out.append(read)
            continue
        directory = _settings_dir(read.location.path, present)
        if directory is None:
            out.append(read)
            continue
        if directory not in loaded:
            loaded[directory] = _load_dir(root, directory, present)
        source = _supplier(read, loaded[directory])
        if source is None:
            out.append(read)
        else:
            keep_crash = read.crash_location if read.on_empty == "crash" else None
            out.append(
                replace(read, missing="default", default=f"<{source}>", crash_location=keep_crash)
            )
    return tuple(out)


def _load_dir(
    root: Path, directory: str, present: frozenset[str]
) -> list[tuple[str, dict[str, bool]]]:
    docs: list[tuple[str, dict[str, bool]]] = []
    for name in reversed(APPSETTINGS_FILES):  # later files win in .NET: check them first
        path = f"{directory}/{name}" if directory else name
        if path not in present:
            continue
        try:
            data = (root / path).read_bytes()
        except OSError:
            continue
        parsed = load_json_lenient(data)
        if parsed is not None:
            docs.append((path, flatten(parsed)))
    return docs


def _supplier(read: EnvRead, docs: list[tuple[str, dict[str, bool]]]) -> str | None:
    for path, keys in docs:
        for key, has_value in keys.items():
            if has_value and _key_matches(read, key):
                return path
    return None
