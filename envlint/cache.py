"""The per-file analysis cache, and the plain-data codec it shares with the worker processes.

What is cached: the facts one source file yields on its own (phase 1 of the source pass: the
adapter's scan and every extractor's facts), keyed by a hash of the file's path and bytes.  A pack
file per checked root holds the entries together with a *fingerprint* of everything else that
shapes them (envlint's version and analysis code, the parser library and grammars, the settings
that matter); a pack with another fingerprint is ignored as a whole.

Where: ``$ENVLINT_CACHE_DIR``, else the user cache directory (``$XDG_CACHE_HOME/envlint`` or
``~/.cache/envlint``; ``~/Library/Caches/envlint`` on macOS, ``%LOCALAPPDATA%\\envlint\\Cache`` on
Windows) — never inside the checked tree.  Writes are atomic (a temp file in the same directory,
then ``os.replace``); a pack that cannot be read, or an entry that cannot be decoded, is a miss.
Nothing here raises out to the caller.

An entry is one file's facts as a pickle (protocol 5) written by :func:`dumps`: envlint's frozen
dataclasses as ``cls(*fields)``, enums, builtin containers and primitives, nothing else.
:func:`loads` uses an unpickler that resolves only dataclasses and enums of ``envlint`` modules and
turns every failure into :class:`CodecError` (a miss).  The same bytes carry facts from worker
processes to the parent, which stores them as they are.  (Measured on the benchmark's files, a
plain-tuple codec through ``marshal`` cost twice as much to write and read: the facts are hundreds
of small objects per file, and pickle's C loops build them faster than any Python walk.)  The pack
itself is ``marshal`` of plain data: ``(magic, format, fingerprint, {key: entry bytes})``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import hashlib
import importlib
import io
import marshal
import os
import pickle
import sys
import tempfile
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

__all__ = [
    "FORMAT",
    "AnalysisCache",
    "CodecError",
    "cache_dir",
    "code_fingerprint",
    "content_key",
    "dumps",
    "loads",
]

FORMAT = 2  # bump when the pack layout or the codec changes
_MAGIC = "envlint-analysis-cache"
_PACK_SUFFIX = ".pack"
_MAX_PACK_BYTES = 1 << 30  # a pack larger than this is not read (and so rebuilt)


class CodecError(ValueError):
    """A value :func:`encode` cannot represent, or data :func:`decode` does not accept."""


# --- where ---------------------------------------------------------------------------------


def cache_dir() -> Path:
    """The user cache directory for envlint (``ENVLINT_CACHE_DIR`` wins)."""
    override = os.environ.get("ENVLINT_CACHE_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "envlint" / "Cache"
    if sys.platform == "darwin":  # pragma: no cover - exercised on macOS only
        return Path.home() / "Library" / "Caches" / "envlint"
    xdg = os.environ.get("XDG_CACHE_HOME")
    base_dir = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base_dir / "envlint"


# --- keys ----------------------------------------------------------------------------------


def content_key(path: str, data: bytes) -> bytes:
    """The entry key of one file: its path (facts carry locations) and its bytes."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(path.encode("utf-8", "surrogateescape"))
    digest.update(b"\0")
    digest.update(data)
    return digest.digest()


@cache
def code_fingerprint() -> str:
    """envlint's version, its own code and the parser packages it loads (per process).

    Development trees change code without changing the version, so the bytes of every envlint
    module count; installed grammars count by their file's path, size and modification time.
    """
    from envlint import __version__

    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{FORMAT}\0{__version__}\0{sys.version_info[:2]}\0".encode())
    package = Path(__file__).resolve().parent
    for path in sorted([*package.rglob("*.py"), *package.rglob("*.scm")]):
        try:
            digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
        except OSError:
            digest.update(b"?")
    import importlib.util

    from envlint.sources.languages import LANGUAGES

    for module in sorted({"tree_sitter", *(spec.grammar_module for spec in LANGUAGES)}):
        try:
            spec = importlib.util.find_spec(module)
            origin = spec.origin if spec is not None else None
            info = Path(origin).stat() if origin else None
            stamp = f"{module}:{origin}:{info.st_size}:{info.st_mtime_ns}" if info else module
        except (ImportError, ValueError, OSError):
            stamp = f"{module}:missing"
        digest.update(stamp.encode() + b"\0")
    return digest.hexdigest()


# --- codec ---------------------------------------------------------------------------------


def _proxy(mapping: dict[object, object]) -> MappingProxyType[object, object]:
    return MappingProxyType(mapping)


@cache
def _fields(cls: type) -> tuple[str, ...]:
    fields = dataclasses.fields(cls)
    if not all(f.init for f in fields):
        raise CodecError(f"{cls.__qualname__} has fields outside __init__")
    return tuple(f.name for f in fields)


class _Pickler(pickle.Pickler):
    """Dataclasses as ``cls(*fields)`` (rebuilt through ``__init__``), mapping proxies as
    ``_proxy(dict)``; anything else that is not a builtin container is refused."""

    def reducer_override(self, obj: object) -> Any:
        cls = type(obj)
        if dataclasses.is_dataclass(cls) and not isinstance(obj, type):
            return cls, tuple(getattr(obj, name) for name in _fields(cls))
        if cls is MappingProxyType:
            return _proxy, (dict(obj),)  # type: ignore[call-overload]
        if isinstance(obj, enum.Enum | type) or obj is _proxy:
            return NotImplemented  # by value / by name, resolved through find_class
        raise CodecError(f"cannot store {cls.__module__}.{cls.__qualname__}")


class _Unpickler(pickle.Unpickler):
    """Only envlint's own dataclasses and enums (and ``_proxy``) may be named in an entry."""

    def find_class(self, module: str, name: str) -> Any:
        return _allowed(module, name)


@cache
def _allowed(module: str, name: str) -> object:
    if module == __name__ and name == "_proxy":
        return _proxy
    if not module.startswith("envlint.") or "." in name:
        raise CodecError(f"refusing {module}.{name}")
    try:
        target = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise CodecError(f"unknown {module}.{name}") from exc
    if isinstance(target, type) and (
        dataclasses.is_dataclass(target) or issubclass(target, enum.Enum)
    ):
        return target
    raise CodecError(f"refusing {module}.{name}")


def dumps(value: object) -> bytes:
    """``value`` (envlint dataclasses, enums, builtin containers, primitives) as bytes; raises
    :class:`CodecError` for anything else."""
    out = io.BytesIO()
    try:
        _Pickler(out, protocol=5).dump(value)
    except CodecError:
        raise
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError) as exc:
        raise CodecError(f"cannot store value: {type(exc).__name__}") from exc
    return out.getvalue()


def loads(data: bytes) -> object:
    """The value :func:`dumps` wrote; :class:`CodecError` for anything else (never another
    exception: truncated, foreign or tampered data is just unusable)."""
    try:
        return _Unpickler(io.BytesIO(data)).load()
    except CodecError:
        raise
    except Exception as exc:  # unpickling bad bytes can raise nearly anything
        raise CodecError(f"unreadable entry: {type(exc).__name__}") from exc


# --- the store -----------------------------------------------------------------------------


class AnalysisCache:
    """The entries of one checked root under one fingerprint, loaded once, saved once.

    Build-local (one per ``build_index`` call); entries not used by a run are dropped when it
    saves, so a pack never outgrows the tree it describes.
    """

    def __init__(self, pack: Path | None, fingerprint: str, entries: Mapping[bytes, bytes]):
        self.pack = pack
        self.fingerprint = fingerprint
        self._old = entries
        self._new: dict[bytes, bytes] = {}

    @classmethod
    def disabled(cls) -> AnalysisCache:
        return cls(None, "", {})

    @classmethod
    def open(
        cls, root: Path, fingerprint: str, directory: Path | None = None, kind: str = ""
    ) -> AnalysisCache:
        """The pack for ``root`` (empty when missing, unreadable, corrupt or of another
        fingerprint).  A cache directory inside ``root`` is refused (never write in the tree).
        ``kind`` names a separate pack of the same root (``"yaml"``: parsed compose files)."""
        base = (directory or cache_dir()).expanduser()
        try:
            resolved_root = root.resolve()
            resolved_base = base.resolve()
        except (OSError, RuntimeError):
            return cls.disabled()
        if resolved_base == resolved_root or resolved_root in resolved_base.parents:
            return cls.disabled()
        name = hashlib.blake2b(str(resolved_root).encode("utf-8", "surrogateescape"),
                               digest_size=12).hexdigest()  # fmt: skip
        pack = resolved_base / f"v{FORMAT}" / (name + (f"-{kind}" if kind else "") + _PACK_SUFFIX)
        return cls(pack, fingerprint, _load(pack, fingerprint))

    @property
    def enabled(self) -> bool:
        return self.pack is not None

    def known(self) -> frozenset[bytes]:
        """Keys that have an entry (handed to workers so they skip cached files)."""
        return frozenset(self._old)

    def get(self, key: bytes) -> bytes | None:
        """The entry's bytes (see :func:`loads`), or None."""
        payload = self._old.get(key)
        if payload is None:
            payload = self._new.get(key)
        if payload is not None:
            self._new[key] = payload
        return payload

    def put(self, key: bytes, payload: bytes) -> None:
        self._new[key] = payload

    def drop(self, key: bytes) -> None:
        """Forget an entry that turned out not to decode."""
        self._new.pop(key, None)

    def save(self) -> bool:
        """Write the entries this run used, atomically; False (never an exception) on failure."""
        if self.pack is None:
            return False
        if self._new.keys() == self._old.keys():
            return True  # nothing new and nothing stale
        try:
            data = marshal.dumps((_MAGIC, FORMAT, self.fingerprint, self._new))
        except ValueError:  # pragma: no cover - keys and entries are bytes by construction
            return False
        directory = self.pack.parent
        try:
            directory.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(prefix=".tmp-", suffix=_PACK_SUFFIX, dir=directory)
        except OSError:
            return False
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            Path(temp).replace(self.pack)
        except OSError:
            with contextlib.suppress(OSError):
                Path(temp).unlink()
            return False
        return True


def _load(pack: Path, fingerprint: str) -> Mapping[bytes, bytes]:
    try:
        if pack.stat().st_size > _MAX_PACK_BYTES:
            return {}
        data = pack.read_bytes()
    except OSError:
        return {}
    try:
        loaded = marshal.loads(data)
    except (ValueError, EOFError, TypeError):
        return {}
    if (
        not isinstance(loaded, tuple)
        or len(loaded) != 4
        or loaded[:3] != (_MAGIC, FORMAT, fingerprint)
        or not isinstance(loaded[3], dict)
    ):
        return {}
    entries: dict[object, object] = loaded[3]
    return {k: v for k, v in entries.items() if isinstance(k, bytes) and isinstance(v, bytes)}


def settings_fingerprint(parts: Iterable[object]) -> str:
    """The code fingerprint combined with the settings values that shape per-file facts."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(code_fingerprint().encode())
    for part in parts:
        digest.update(b"\0" + repr(part).encode())
    return digest.hexdigest()
