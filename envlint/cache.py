"""The per-file analysis cache, and the plain-data codec it shares with the worker processes.

What is cached: the facts one source file yields on its own (phase 1 of the source pass: the
adapter's scan and every extractor's facts), keyed by a hash of the file's path and bytes.  A pack
file per checked root holds the entries together with a *fingerprint* of everything else that
shapes them (envlint's version and analysis code, the parser library and grammars, the settings
that matter); a pack with another fingerprint is ignored as a whole.  Values from env and compose
files are never stored (there is no compose cache), and neither is a parse that timed out.

Where: ``$ENVLINT_CACHE_DIR``, else the user cache directory (``$XDG_CACHE_HOME/envlint`` or
``~/.cache/envlint``; ``~/Library/Caches/envlint`` on macOS, ``%LOCALAPPDATA%\\envlint\\Cache`` on
Windows) — never inside the checked tree, nor a tree inside it.  Writes are atomic (a temp file in
the same directory, then ``os.replace``); a pack that cannot be read, or an entry that cannot be
decoded, is a miss.  Nothing here raises out to the caller.

Trust: the cache directory must belong to the current user and be private (0700; one this user
owns is tightened, one somebody else owns makes the cache ignored with one note on stderr).  Each
pack carries an HMAC-SHA256 of its bytes under a per-user secret key (``key``, 32 random bytes,
0600, in the cache directory); a pack whose MAC does not verify, that is not a regular file of this
user with mode 0600, is ignored as a whole before anything in it is decoded.

The codec (:func:`dumps` / :func:`loads`): values are written as ``marshal`` of plain nested
tuples, tagged by kind — a dataclass is its name from the explicit :data:`TYPES` allowlist and its
fields, an enum its name and value, and tuples, lists, dicts, sets, frozensets and mapping proxies
their items.  Loading builds only those: a name maps to a class through the table (a class of a
module that is not loaded yet is a miss: nothing is imported, nothing is executed besides the
dataclasses' own ``__init__``).  Anything else — an unknown name, a foreign shape, truncated
bytes — is :class:`CodecError` (a miss), never another exception.  The same bytes carry facts from
worker processes to the parent, which stores them as they are.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import hashlib
import hmac
import marshal
import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType

__all__ = [
    "FORMAT",
    "TYPES",
    "AnalysisCache",
    "CodecError",
    "cache_dir",
    "code_fingerprint",
    "content_key",
    "dumps",
    "loads",
    "new_run",
]

FORMAT = 3  # bump when the pack layout or the codec changes
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

    from envlint.filepass.languages import LANGUAGES

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

# Every class an entry may hold, by module: registering one is one line.  Only classes of modules
# already loaded are resolved (the source pass imports them before it reads the cache).
TYPES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "envlint.model": ("Location", "Problem", "ProblemKind"),
        "envlint.findings": ("Edit", "Finding", "Fix", "Related", "Severity"),
        "envlint.report": ("RuleInfo", "ServiceCode", "StackInfo", "Summary"),
        "envlint.sources.model": ("EnvRead",),
        "envlint.sources.adapter": ("FileScan", "Helper", "Pending"),
        "envlint.sources.appsettings": ("ConfigSource",),
        "envlint.filepass.run": ("FileFacts",),
        "envlint.kafka.model": ("ClientValue", "KafkaClient"),
        "envlint.ordering.model": (
            "Frame", "FunctionFacts", "OmittedCalls", "OrderEvent", "TypeBinding",
        ),
        "envlint.servicecode.functions": ("Binding", "Call", "FileFunctions", "Function"),
        "envlint.servicecode.imports": ("FileImports", "ImportSpec"),
    }
)  # fmt: skip
_NAMES = {f"{module}.{name}": (module, name) for module, names in TYPES.items() for name in names}
_MAX_DEPTH = 200

# tags of the encoded form
_TUPLE, _LIST, _DICT, _PROXY, _SET, _FROZENSET, _CLASS, _ENUM = range(8)
_SCALARS = (str, int, float, bytes, bool, type(None))
_SCALAR_TYPES = frozenset(_SCALARS)  # exact types (a subclass goes through _decode)


@cache
def _fields(cls: type) -> tuple[str, ...]:
    fields = dataclasses.fields(cls)
    if not all(f.init for f in fields):
        raise CodecError(f"{cls.__qualname__} has fields outside __init__")
    return tuple(f.name for f in fields)


def _name(cls: type) -> str:
    name = f"{cls.__module__}.{cls.__qualname__}"
    if name not in _NAMES:
        raise CodecError(f"cannot store {name} (not in envlint.cache.TYPES)")
    return name


def _class(name: object) -> type:
    """The allowlisted class ``name`` stands for (its module already loaded), else CodecError."""
    known = _RESOLVED.get(name) if isinstance(name, str) else None
    if known is not None:
        return known[0]
    place = _NAMES.get(name) if isinstance(name, str) else None
    module = sys.modules.get(place[0]) if place is not None else None
    target = getattr(module, place[1], None) if place is not None else None
    if not isinstance(target, type) or not (
        dataclasses.is_dataclass(target) or issubclass(target, enum.Enum)
    ):
        raise CodecError(f"unknown type {name!r}")
    width = len(_fields(target)) if dataclasses.is_dataclass(target) else -1
    _RESOLVED[str(name)] = (target, width)  # only successes: a module loaded later is found then
    return target


_RESOLVED: dict[str, tuple[type, int]] = {}  # name -> (class, its fields; -1: an enum)


def _encode(value: object, depth: int) -> object:
    if isinstance(value, _SCALARS) and not isinstance(value, enum.Enum):
        return value
    if depth > _MAX_DEPTH:
        raise CodecError("value nested too deeply")
    depth += 1
    cls = type(value)
    if isinstance(value, enum.Enum):
        return (_ENUM, _name(cls), _encode(value.value, depth))
    if dataclasses.is_dataclass(cls):
        return (_CLASS, _name(cls), *(_encode(getattr(value, f), depth) for f in _fields(cls)))
    if cls is tuple:
        return (_TUPLE, *(_encode(item, depth) for item in value))  # type: ignore[attr-defined]
    if cls is list:
        return (_LIST, *(_encode(item, depth) for item in value))  # type: ignore[attr-defined]
    if cls is dict or cls is MappingProxyType:
        items = value.items()  # type: ignore[attr-defined]
        tag = _DICT if cls is dict else _PROXY
        return (tag, *(_encode(part, depth) for pair in items for part in pair))
    if cls is frozenset or cls is set:
        tag = _FROZENSET if cls is frozenset else _SET
        return (tag, *(_encode(item, depth) for item in value))  # type: ignore[attr-defined]
    raise CodecError(f"cannot store {cls.__module__}.{cls.__qualname__}")


def _decode(data: object, depth: int) -> object:
    if not isinstance(data, tuple):
        if isinstance(data, _SCALARS):
            return data
        raise CodecError(f"unexpected {type(data).__name__}")
    if depth > _MAX_DEPTH or not data:
        raise CodecError("malformed entry")
    depth += 1
    tag, rest = data[0], data[1:]
    # scalars (most items) are taken as they are, without a call: only their exact types pass
    if tag == _CLASS and rest:
        known = _RESOLVED.get(rest[0]) if type(rest[0]) is str else None
        if known is None:
            _class(rest[0])  # raises for a name outside the allowlist
            known = _RESOLVED[rest[0]]
        cls, width = known
        if len(rest) - 1 != width:
            raise CodecError(f"{rest[0]} has {width} fields")
        return cls(*[i if type(i) in _SCALAR_TYPES else _decode(i, depth) for i in rest[1:]])
    if tag == _TUPLE:
        return tuple([i if type(i) in _SCALAR_TYPES else _decode(i, depth) for i in rest])
    if tag == _LIST:
        return [i if type(i) in _SCALAR_TYPES else _decode(i, depth) for i in rest]
    if tag in (_DICT, _PROXY):
        if len(rest) % 2:
            raise CodecError("malformed mapping")
        items = [i if type(i) in _SCALAR_TYPES else _decode(i, depth) for i in rest]
        try:
            mapping = dict(zip(items[::2], items[1::2], strict=True))
        except TypeError as exc:  # an unhashable key
            raise CodecError("malformed mapping") from exc
        return mapping if tag == _DICT else MappingProxyType(mapping)
    if tag in (_SET, _FROZENSET):
        try:
            members = frozenset(_decode(item, depth) for item in rest)
        except TypeError as exc:
            raise CodecError("malformed set") from exc
        return members if tag == _FROZENSET else set(members)
    if tag == _ENUM and len(rest) == 2:
        cls = _class(rest[0])
        try:
            return cls(_decode(rest[1], depth))
        except ValueError as exc:
            raise CodecError("unknown enum value") from exc
    raise CodecError("malformed entry")


def dumps(value: object) -> bytes:
    """``value`` (allowlisted dataclasses and enums, builtin containers, primitives) as bytes;
    raises :class:`CodecError` for anything else."""
    try:
        return marshal.dumps((_MAGIC, _encode(value, 0)))  # type: ignore[arg-type]
    except CodecError:
        raise
    except (ValueError, TypeError, RecursionError) as exc:
        raise CodecError(f"cannot store value: {type(exc).__name__}") from exc


def loads(data: bytes) -> object:
    """The value :func:`dumps` wrote; :class:`CodecError` for anything else (never another
    exception: truncated, foreign or tampered data is just unusable)."""
    try:
        loaded = marshal.loads(data)
        if not isinstance(loaded, tuple) or len(loaded) != 2 or loaded[0] != _MAGIC:
            raise CodecError("not an envlint cache entry")
        return _decode(loaded[1], 0)
    except CodecError:
        raise
    except Exception as exc:  # a dataclass __init__ refusing bad fields, bad bytes, ...
        raise CodecError(f"unreadable entry: {type(exc).__name__}") from exc


# --- the store -----------------------------------------------------------------------------


class AnalysisCache:
    """The entries of one checked root under one fingerprint, loaded once, saved once.

    Build-local (one per ``build_index`` call); entries not used by a run are dropped when it
    saves, so a pack never outgrows the tree it describes.
    """

    def __init__(
        self,
        pack: Path | None,
        fingerprint: str,
        entries: Mapping[bytes, bytes],
        key: bytes = b"",
    ) -> None:
        self.pack = pack
        self.fingerprint = fingerprint
        self._old = entries
        self._new: dict[bytes, bytes] = {}
        self._key = key

    @classmethod
    def disabled(cls) -> AnalysisCache:
        return cls(None, "", {})

    @classmethod
    def open(
        cls, root: Path, fingerprint: str, directory: Path | None = None, kind: str = ""
    ) -> AnalysisCache:
        """The pack for ``root`` (empty when missing, unreadable, tampered with or of another
        fingerprint).  A cache directory that is not private to this user, that lies inside
        ``root`` or holds it, disables the cache (with one note on stderr).  ``kind`` names a
        separate pack of the same root."""
        base = (directory or cache_dir()).expanduser()
        try:
            resolved_root = root.resolve()
            resolved_base = base.resolve()
        except (OSError, RuntimeError):
            return cls.disabled()
        if _overlaps(resolved_root, resolved_base):
            _note(f"the cache directory {base} and the checked tree overlap: cache not used")
            return cls.disabled()
        versioned = resolved_base / f"v{FORMAT}"
        problem = _private_dir(resolved_base) or _private_dir(versioned)
        key = _secret_key(resolved_base) if problem is None else None
        if problem is not None or key is None:
            _note(f"{problem or 'the cache key cannot be read or made'}: cache not used")
            return cls.disabled()
        name = hashlib.blake2b(str(resolved_root).encode("utf-8", "surrogateescape"),
                               digest_size=12).hexdigest()  # fmt: skip
        pack = versioned / (name + (f"-{kind}" if kind else "") + _PACK_SUFFIX)
        return cls(pack, fingerprint, _load(pack, fingerprint, key), key)

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
        signed = hmac.new(self._key, data, hashlib.sha256).digest() + data
        try:  # mkstemp: mode 0600, in the private directory
            handle, temp = tempfile.mkstemp(prefix=".tmp-", suffix=_PACK_SUFFIX,
                                            dir=self.pack.parent)  # fmt: skip
        except OSError:
            return False
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(signed)
            Path(temp).replace(self.pack)
        except OSError:
            with contextlib.suppress(OSError):
                Path(temp).unlink()
            return False
        return True


_KEY_FILE = "key"
_KEY_BYTES = 32
_MAC_BYTES = 32
_POSIX = hasattr(os, "getuid")


_NOTED: set[str] = set()  # notes said in this run (a run opens the cache once per pass)


def new_run() -> None:
    """Forget the notes said so far: each run says each of its notes once."""
    _NOTED.clear()


def _note(text: str) -> None:
    """One line on stderr, once per run: the run goes on without the cache."""
    if text in _NOTED:
        return
    _NOTED.add(text)
    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stderr.write(f"envlint: note: {text}\n")


def _overlaps(root: Path, base: Path) -> bool:
    """Whether the cache directory is the tree, inside it, or holds it."""
    return root == base or root in base.parents or base in root.parents


def _private(info: os.stat_result) -> bool:
    return not _POSIX or (info.st_uid == os.getuid() and not info.st_mode & 0o077)


def _private_dir(path: Path) -> str | None:
    """Make ``path`` (0700) or check it: None when it is a directory of this user that nobody
    else can use (one this user owns is tightened), else why the cache is not used."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = path.lstat()
    except OSError as exc:
        return f"cannot use the cache directory {path}: {exc.strerror or exc}"
    if not stat.S_ISDIR(info.st_mode):
        return f"the cache directory {path} is not a directory"
    if _POSIX and info.st_uid != os.getuid():
        return f"the cache directory {path} belongs to another user"
    if _POSIX and info.st_mode & 0o077:
        try:
            path.chmod(0o700)
        except OSError as exc:
            return f"cannot make the cache directory {path} private: {exc.strerror or exc}"
    return None


def _secret_key(base: Path) -> bytes | None:
    """This user's key for the packs' MACs (made on first use: 32 random bytes, mode 0600)."""
    path = base / _KEY_FILE
    with contextlib.suppress(FileExistsError, OSError):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                     0o600)  # fmt: skip
        try:
            os.write(fd, os.urandom(_KEY_BYTES))
        finally:
            os.close(fd)
    try:
        info = path.lstat()
        if not stat.S_ISREG(info.st_mode) or not _private(info):
            return None
        key = _read_private(path, _KEY_BYTES)
    except OSError:
        return None
    return key if key is not None and len(key) == _KEY_BYTES else None


def _read_private(path: Path, limit: int) -> bytes | None:
    from envlint._regular import read_regular

    info = path.lstat()
    if not stat.S_ISREG(info.st_mode) or not _private(info):
        return None
    return read_regular(path, limit)


def _load(pack: Path, fingerprint: str, key: bytes) -> Mapping[bytes, bytes]:
    try:
        signed = _read_private(pack, _MAX_PACK_BYTES)
    except FileNotFoundError:
        return {}
    except OSError:
        signed = None
    if signed is None:
        _note(f"cache pack {pack} is not a private file of this user: ignored")
        return {}
    mac, data = signed[:_MAC_BYTES], signed[_MAC_BYTES:]
    if not hmac.compare_digest(mac, hmac.new(key, data, hashlib.sha256).digest()):
        _note(f"cache pack {pack} failed verification: ignored (it will be rewritten)")
        return {}
    try:  # bytes this user's key signed: written by envlint
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
