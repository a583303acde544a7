"""Configuration: ``[tool.envlint]`` in pyproject.toml, or ``envlint.toml`` / ``.envlint.toml``.

Config is read into one frozen :class:`Settings` that travels as an argument; CLI options are
applied on top (CLI wins).  Unknown keys and bad values raise :class:`ConfigError` naming the key.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from envlint.findings import Severity

__all__ = [
    "DEFAULT_DESTRUCTIVE",
    "ConfigError",
    "HelmChart",
    "Settings",
    "confine_paths",
    "external_names",
    "find_config",
    "load_settings",
    "parse_duration",
    "repository_pattern",
]

DEFAULT_DESTRUCTIVE = (
    r"(?i)(empty|clear|delete|remove|drop|purge|truncate)\w*(cart|basket|order|checkout)",
)

FAIL_ON = ("error", "warning", "info", "never")


class ConfigError(Exception):
    """A usage or configuration error: exit status 2."""


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?\s*$")
_UNIT_SECONDS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str) -> float:
    """``12h`` / ``90m`` / ``2d`` / ``3600`` (seconds) -> seconds.  Raises ValueError."""
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"not a duration: {text!r} (use e.g. 12h, 90m, 2d)")
    number, unit = match.groups()
    return float(number) * _UNIT_SECONDS[unit or "s"]


@dataclass(frozen=True, slots=True)
class HelmChart:
    """``[tool.envlint.k8s] helm``: a chart directory, values files and ``--set`` items."""

    chart: str
    values: tuple[str, ...] = ()
    set: tuple[str, ...] = ()


@dataclass(frozen=True)
class Settings:
    """Every user choice, validated.  Defaults are the documented defaults (SPEC §4)."""

    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    fail_on: str = "warning"
    severity: Mapping[str, Severity] = field(default_factory=lambda: MappingProxyType({}))
    max_consumer_downtime: float = 12 * 3600.0  # seconds
    retention_factor: float = 2.0
    exclude: tuple[str, ...] = ()
    compose_files: tuple[tuple[str, ...], ...] = ()  # explicit stacks; () means discover
    env_files: tuple[str, ...] = ()  # --env-file list; () means each project's .env
    # --profile list, like `docker compose --profile`: replaces COMPOSE_PROFILES and the
    # documented commands' profiles in every stack; () means those
    profiles: tuple[str, ...] = ()
    per_file_ignores: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    service_sources: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    destructive: tuple[str, ...] = DEFAULT_DESTRUCTIVE
    publish: tuple[str, ...] = ()
    max_source_bytes: int = 2 * 1024 * 1024
    max_file_bytes: int = 16 * 1024 * 1024  # YAML / env files larger than this are ENV901
    baseline: str | None = None
    write_baseline: str | None = None
    disable_suppressions: bool = False
    jobs: int = 0  # 0: CPU count
    cache: bool = True
    # variables provided at deploy time (names or `PREFIX_*` globs): ENV101/102/103/109/201/204
    # stay quiet for them; `external` comes from the config file, `external_cli` from --external
    external: tuple[str, ...] = ()
    external_cli: tuple[str, ...] = ()
    external_line: int = 1  # where `external =` is written in the config file
    # Kubernetes (SPEC §7 [tool.envlint.k8s], --k8s): manifest paths, kustomize overlay
    # directories, Helm charts; when none is given, the repository's are discovered.
    # ``k8s_cli`` are --k8s arguments ("-" is standard input, read by the CLI into k8s_stdin)
    k8s_paths: tuple[str, ...] = ()
    k8s_kustomize: tuple[str, ...] = ()
    k8s_helm: tuple[HelmChart, ...] = ()
    k8s_cli: tuple[str, ...] = ()
    k8s_stdin: bytes | None = None
    config_path: str | None = None  # the file the settings came from, for messages
    # fields the config file set: its paths come from the repository (see confine_paths)
    from_config: frozenset[str] = frozenset()

    def external_patterns(self) -> tuple[tuple[str, str], ...]:
        """Every declared external pattern with where it is declared (the config file, or
        ``--external``), config first."""
        where = self.config_path or "the configuration"
        return (
            *((p, where) for p in self.external),
            *((p, "--external") for p in self.external_cli if p not in self.external),
        )

    def external_declared(self, name: str) -> tuple[str, str] | None:
        """``(pattern, where)`` of the first external declaration matching ``name``."""
        import fnmatch

        for pattern, where in self.external_patterns():
            if fnmatch.fnmatchcase(name, pattern):
                return pattern, where
        return None

    def with_cli(self, **overrides: Any) -> Settings:
        """Apply CLI options (``None`` means "not given")."""
        given = {k: v for k, v in overrides.items() if v is not None}
        return replace(self, **given, from_config=self.from_config - given.keys())


# Keys accepted in the config file, with the dataclass field each one fills.
_KEYS = {
    "select": "select",
    "ignore": "ignore",
    "extend-select": "extend_select",
    "fail-on": "fail_on",
    "severity": "severity",
    "max-consumer-downtime": "max_consumer_downtime",
    "retention-factor": "retention_factor",
    "exclude": "exclude",
    "compose-files": "compose_files",
    "env-files": "env_files",
    "profiles": "profiles",
    "per-file-ignores": "per_file_ignores",
    "services": "service_sources",
    "ordering": "ordering",
    "max-source-bytes": "max_source_bytes",
    "baseline": "baseline",
    "cache": "cache",
    "jobs": "jobs",
    "external": "external",
    "k8s": "k8s",
}

_CONFIG_NAMES = ("envlint.toml", ".envlint.toml", "pyproject.toml")


def find_config(start: Path) -> Path | None:
    """The first config file found walking up from ``start`` (a file or directory)."""
    here = start if start.is_dir() else start.parent
    for directory in (here, *here.parents):
        for name in _CONFIG_NAMES:
            candidate = directory / name
            if not candidate.is_file():
                continue
            if name != "pyproject.toml":
                return candidate
            try:
                data = tomllib.loads(_read_config(candidate))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                continue  # someone else's broken pyproject is not our config
            if isinstance(data.get("tool"), dict) and "envlint" in data["tool"]:
                return candidate
    return None


MAX_CONFIG_BYTES = 1024 * 1024


def _read_config(path: Path) -> str:
    from envlint._regular import read_regular

    return read_regular(path, MAX_CONFIG_BYTES).decode("utf-8")


def load_settings(path: Path | None) -> Settings:
    """Read and validate a config file; ``None`` gives the defaults."""
    if path is None:
        return Settings()
    try:
        text = _read_config(path)
        data = tomllib.loads(text)
    except OSError as exc:  # also a FIFO, a device, a file over the limit
        raise ConfigError(f"{path}: cannot read config: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        table = tool.get("envlint", {}) if isinstance(tool, dict) else {}
        prefix = "tool.envlint."
    else:
        table, prefix = data, ""
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: {prefix.rstrip('.') or 'config'} must be a table")
    settings = _from_table(table, prefix, path)
    if settings.external:
        settings = replace(settings, external_line=_key_line(text, "external"))
    return settings


def _key_line(text: str, key: str) -> int:
    """The line of the first ``key = …`` assignment (bare, quoted or dotted under
    ``tool.envlint``) in a valid TOML text, for findings about that key; 1 when not found.
    tomllib keeps no positions; this only places a finding, it never decides a value."""
    pattern = re.compile(
        rf"""^\s*(?:tool\s*\.\s*envlint\s*\.\s*)?(?:{key}|"{key}"|'{key}')\s*="""
    )
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            return number
    return 1


def _from_table(table: Mapping[str, Any], prefix: str, path: Path) -> Settings:
    values: dict[str, Any] = {"config_path": str(path)}
    for key, value in table.items():
        if key not in _KEYS:
            raise ConfigError(f"{path}: unknown config key '{prefix}{key}'")
        where = f"{path}: {prefix}{key}"
        field_name = _KEYS[key]
        if field_name == "ordering":
            values.update(_ordering(value, where))
        elif field_name == "k8s":
            values.update(_k8s(value, where))
        else:
            values[field_name] = _convert(field_name, value, where)
    values["from_config"] = frozenset(values) - {"config_path"}
    return Settings(**values)


# fields holding paths, and what a relative one is relative to
_PATH_FIELDS = {
    "env_files": "root",
    "compose_files": "root",
    "service_sources": "root",
    "baseline": "cwd",
    "k8s_paths": "root",
    "k8s_kustomize": "root",
    "k8s_helm": "root",
}


def confine_paths(settings: Settings, root: Path) -> None:
    """Refuse paths from a config file that lead outside the checked tree.

    The config file is part of the repository, and in CI the repository may be a stranger's
    pull request: ``env-files = ["/home/runner/.git-credentials"]`` would print a token.  So a
    path the config file gives (env-files, compose-files, services.*.source, baseline) must lie,
    symbolic links followed, inside the checked root or the config file's own directory
    (``~`` paths never do: Compose expands them with somebody's home).  Only the command line
    may name files elsewhere.  Raises :class:`ConfigError` (exit 2).
    """
    if not settings.from_config & _PATH_FIELDS.keys():
        return
    import os

    allowed = [os.path.realpath(root)]
    if settings.config_path:
        allowed.append(str(Path(os.path.realpath(settings.config_path)).parent))
    keys = {field: key for key, field in _KEYS.items()}
    keys.update(k8s_paths="k8s.paths", k8s_kustomize="k8s.kustomize", k8s_helm="k8s.helm")
    for field_name, base in _PATH_FIELDS.items():
        if field_name not in settings.from_config:
            continue
        for text in _paths_of(getattr(settings, field_name)):
            if text.startswith("~") and base == "root":
                inside = False
            else:
                start = Path(text) if base == "cwd" else Path(root) / text
                real = os.path.realpath(start)
                inside = any(
                    real == a or real.startswith(a.rstrip(os.sep) + os.sep) for a in allowed
                )
            if not inside:
                raise ConfigError(
                    f"{settings.config_path}: {keys[field_name]} names {text!r}, outside the "
                    "checked root: not read (only the command line may name files outside it)"
                )


def _paths_of(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [str(v) for v in value.values()]
    if isinstance(value, HelmChart):
        return [value.chart, *value.values]
    if isinstance(value, tuple):
        return [p for item in value for p in _paths_of(item)]
    return []


def _str_list(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} must be a list of strings")
    return tuple(value)


def _convert(field_name: str, value: Any, where: str) -> Any:
    if field_name in ("select", "ignore", "extend_select", "exclude", "env_files"):
        return _str_list(value, where)
    if field_name == "external":
        return external_names(_str_list(value, where), where)
    if field_name == "profiles":
        profiles = _str_list(value, where)
        if not all(p.strip() for p in profiles):
            raise ConfigError(f"{where} must name profiles (an empty name selects nothing)")
        return tuple(p.strip() for p in profiles)
    if field_name == "fail_on":
        if value not in FAIL_ON:
            raise ConfigError(f"{where} must be one of {', '.join(FAIL_ON)}, not {value!r}")
        return value
    if field_name == "severity":
        if not isinstance(value, dict):
            raise ConfigError(f"{where} must be a table of CODE = level")
        try:
            return MappingProxyType({str(k): Severity.parse(str(v)) for k, v in value.items()})
        except ValueError as exc:
            raise ConfigError(f"{where}: {exc}") from None
    if field_name == "max_consumer_downtime":
        try:
            seconds = parse_duration(str(value))
        except ValueError as exc:
            raise ConfigError(f"{where}: {exc}") from None
        if seconds <= 0:
            raise ConfigError(f"{where} must be positive")
        return seconds
    if field_name == "retention_factor":
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or value <= 0
        ):
            raise ConfigError(f"{where} must be a positive number")
        return float(value)
    if field_name in ("max_source_bytes", "jobs"):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ConfigError(f"{where} must be a non-negative integer")
        return value
    if field_name == "cache":
        if not isinstance(value, bool):
            raise ConfigError(f"{where} must be true or false")
        return value
    if field_name == "baseline":
        if not isinstance(value, str):
            raise ConfigError(f"{where} must be a path")
        return value
    if field_name == "compose_files":
        if not isinstance(value, list):
            raise ConfigError(f"{where} must be a list of stacks (lists of files)")
        return tuple(_str_list(stack, where) for stack in value)
    if field_name == "per_file_ignores":
        if not isinstance(value, dict):
            raise ConfigError(f"{where} must be a table of glob = [codes]")
        return MappingProxyType({str(k): _str_list(v, f"{where}.{k}") for k, v in value.items()})
    if field_name == "service_sources":
        return _services(value, where)
    raise AssertionError(field_name)  # pragma: no cover - _KEYS and this function agree


def _services(value: Any, where: str) -> Mapping[str, str]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where} must be a table of service tables")
    sources: dict[str, str] = {}
    for name, table in value.items():
        if not isinstance(table, dict):
            raise ConfigError(f"{where}.{name} must be a table")
        for key, item in table.items():
            if key != "source":
                raise ConfigError(f"{where}: unknown config key '{name}.{key}'")
            if not isinstance(item, str):
                raise ConfigError(f"{where}.{name}.source must be a path")
            sources[str(name)] = item
    return MappingProxyType(sources)


def repository_pattern(pattern: str) -> Any:
    """An ``[ordering]`` pattern, compiled.  envlint's own defaults run on Python's engine; a
    pattern from the checked repository's config (untrusted: it comes with the pull request)
    runs on RE2, in time linear in the name, when RE2 is installed (``pathspec[re2]`` brings
    it): a backtracking pattern such as ``(a+)+$`` cannot stall the run.  Raises
    ``re.error`` when Python cannot compile it, ``ValueError`` when RE2 cannot (look-arounds,
    back-references)."""
    compiled = re.compile(pattern)
    if pattern in DEFAULT_DESTRUCTIVE:
        return compiled
    try:
        import re2  # type: ignore[import-untyped]
    except ImportError:
        return compiled
    options = re2.Options()
    options.log_errors = False
    try:
        return re2.compile(pattern, options=options)
    except Exception:  # re2.error: RE2 has no backtracking features
        raise ValueError(pattern) from None


def _ordering(value: Any, where: str) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where} must be a table")
    out: dict[str, tuple[str, ...]] = {}
    for key, item in value.items():
        if key not in ("destructive", "publish"):
            raise ConfigError(f"{where}: unknown config key 'ordering.{key}'")
        patterns = _str_list(item, f"{where}.{key}")
        for pattern in patterns:
            try:
                repository_pattern(pattern)
            except re.error as exc:
                raise ConfigError(f"{where}.{key}: bad pattern {pattern!r}: {exc}") from None
            except ValueError:
                raise ConfigError(
                    f"{where}.{key}: pattern {pattern!r} needs a backtracking regex feature "
                    "(look-around or back-reference); patterns from a repository's config "
                    "are matched with RE2, which has none"
                ) from None
        out[key] = patterns
    return out


def _k8s(value: Any, where: str) -> dict[str, Any]:
    """``[tool.envlint.k8s]``: ``paths``, ``kustomize`` (lists of paths) and ``helm`` (a table
    or a list of tables with ``chart``, ``values`` and ``set``)."""
    if not isinstance(value, dict):
        raise ConfigError(f"{where} must be a table")
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key == "paths":
            out["k8s_paths"] = _str_list(item, f"{where}.paths")
        elif key == "kustomize":
            out["k8s_kustomize"] = _str_list(item, f"{where}.kustomize")
        elif key == "helm":
            tables = item if isinstance(item, list) else [item]
            out["k8s_helm"] = tuple(_helm(t, f"{where}.helm") for t in tables)
        else:
            raise ConfigError(f"{where}: unknown config key 'k8s.{key}'")
    return out


def _helm(table: Any, where: str) -> HelmChart:
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table (chart, values, set)")
    unknown = sorted(set(table) - {"chart", "values", "set"})
    if unknown:
        raise ConfigError(f"{where}: unknown config key 'k8s.helm.{unknown[0]}'")
    chart = table.get("chart")
    if not isinstance(chart, str) or not chart:
        raise ConfigError(f"{where}.chart must be a path")
    sets = table.get("set", [])
    if isinstance(sets, dict):
        sets = [f"{k}={v}" for k, v in sets.items()]
    values = _str_list(table.get("values", []), f"{where}.values")
    return HelmChart(chart, values, _str_list(sets, f"{where}.set"))


_EXTERNAL = re.compile(r"[A-Za-z0-9_.\-*?\[\]]+")


def external_names(values: Sequence[str], where: str) -> tuple[str, ...]:
    """Validated ``external`` entries: variable names or globs (``DB_*``, ``AWS_?``)."""
    out: list[str] = []
    for value in values:
        name = value.strip()
        if not _EXTERNAL.fullmatch(name):
            raise ConfigError(
                f"{where}: {value!r} is not a variable name or a glob such as DB_* (letters, "
                "digits, _ . - and * ? [ ])"
            )
        if name not in out:
            out.append(name)
    return tuple(out)


def split_codes(values: Sequence[str]) -> tuple[str, ...]:
    """``["ENV1,ENV201", "ALL"]`` -> ``("ENV1", "ENV201", "ALL")``."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())
