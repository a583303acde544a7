"""Bounded, read-only access to the checked repository for the service-code model.

Paths are relative to the root, ``/``-separated.  A path that leaves the root (``..``, an
absolute path, a symbolic link whose target lies outside) reads as absent; files larger than the
limit read as absent too.  Reads are memoised for one :class:`RepoFiles` (one analysis), so the
same package.json asked about by several services is read once.  Nothing is ever written or run.
"""

from __future__ import annotations

import fnmatch
import os
import posixpath
import stat
from pathlib import Path

from envlint.filepass.languages import is_skipped, language_of

__all__ = ["DEFAULT_MAX_BYTES", "RepoFiles", "clean", "join", "leaves"]

DEFAULT_MAX_BYTES = 1024 * 1024  # build and project files, scripts: far larger is not one
_MAX_LISTING = 10_000  # entries read from one directory
_MAX_CODE_DIRS = 2_000  # directories looked at for a source file (RepoFiles.holds_code)


def leaves(path: str) -> bool:
    """Whether the normalised relative ``path`` leaves the root (``..`` or below it)."""
    return path == ".." or path.startswith("../")


def clean(path: str) -> str | None:
    """``path`` normalised relative to the root ("." for the root); None when it leaves it."""
    if path.startswith("/"):
        return None
    cleaned = posixpath.normpath(path) if path else "."
    return None if leaves(cleaned) else cleaned


def join(*parts: str) -> str | None:
    """The parts joined and cleaned (an absolute later part is kept relative to the root)."""
    joined = posixpath.join(*(p.lstrip("/") if i else p for i, p in enumerate(parts)))
    return clean(joined)


class RepoFiles:
    """The files under ``root`` (see the module doc)."""

    def __init__(self, root: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.root = root
        self.max_bytes = max_bytes
        self._real_root = root.resolve()
        self._text: dict[str, str | None] = {}
        self._stat: dict[str, int | None] = {}
        self._listing: dict[str, tuple[str, ...]] = {}
        self._plain: dict[str, bool] = {".": True}
        self._code: dict[str, bool | None] = {}

    def _path(self, rel: str) -> Path | None:
        cleaned = clean(rel)
        if cleaned is None:
            return None
        path = self.root / cleaned if cleaned != "." else self.root
        if self._no_link(cleaned):  # resolves to the root's own path: inside
            return path
        try:
            path.resolve().relative_to(self._real_root)
        except (ValueError, OSError, RuntimeError):
            return None
        return path

    def _no_link(self, cleaned: str) -> bool:
        """Whether no part of the (cleaned) path below the root is a symbolic link, one
        ``lstat`` per directory for the whole analysis (``Path.resolve`` took one per part per
        call: 2 s of a 1,000-service run).  A missing part is no link (resolving it is
        lexical); an unreadable one answers False, and ``_path`` resolves the path."""
        known = self._plain.get(cleaned)
        if known is not None:
            return known
        parent = posixpath.dirname(cleaned) or "."
        plain = self._no_link(parent)
        if plain:
            try:
                plain = not stat.S_ISLNK((self.root / cleaned).lstat().st_mode)
            except (FileNotFoundError, NotADirectoryError):
                plain = True
            except (OSError, ValueError):
                plain = False
        self._plain[cleaned] = plain
        return plain

    def _mode(self, rel: str) -> int | None:
        key = clean(rel)
        if key is None:
            return None
        if key not in self._stat:
            path = self._path(key)
            mode: int | None = None
            if path is not None:
                try:
                    mode = path.stat().st_mode
                except (OSError, ValueError):
                    mode = None
            self._stat[key] = mode
        return self._stat[key]

    def is_file(self, rel: str) -> bool:
        mode = self._mode(rel)
        return mode is not None and stat.S_ISREG(mode)

    def is_dir(self, rel: str) -> bool:
        mode = self._mode(rel)
        return mode is not None and stat.S_ISDIR(mode)

    def exists(self, rel: str) -> bool:
        return self._mode(rel) is not None

    def read_bytes(self, rel: str, limit: int | None = None) -> bytes | None:
        """The file's bytes (at most ``limit`` when given), or None (absent, outside, too big)."""
        path = self._path(rel)
        if path is None or not self.is_file(rel):
            return None
        cap = self.max_bytes if limit is None else min(limit, self.max_bytes)
        try:
            with path.open("rb") as handle:
                data = handle.read(cap + 1)
        except OSError:
            return None
        if len(data) > cap:
            return data[:cap] if limit is not None else None
        return data

    def read_text(self, rel: str) -> str | None:
        """The file as UTF-8 text (BOM dropped), or None."""
        key = clean(rel)
        if key is None:
            return None
        if key not in self._text:
            data = self.read_bytes(key)
            text: str | None = None
            if data is not None and b"\x00" not in data[:8192]:
                try:
                    text = data.decode("utf-8").removeprefix("\ufeff")
                except UnicodeDecodeError:
                    text = None
            self._text[key] = text
        return self._text[key]

    def listdir(self, rel: str) -> tuple[str, ...]:
        """The names in a directory, sorted (empty when it is not one)."""
        key = clean(rel)
        if key is None:
            return ()
        if key not in self._listing:
            names: list[str] = []
            path = self._path(key)
            if path is not None and self.is_dir(key):
                try:
                    with os.scandir(path) as entries:
                        for entry in entries:
                            names.append(entry.name)
                            if len(names) >= _MAX_LISTING:
                                break
                except OSError:
                    names = []
            self._listing[key] = tuple(sorted(names))
        return self._listing[key]

    def holds_code(self, rel: str) -> bool | None:
        """Whether ``rel`` is, or is a directory holding, a source file in a language envlint
        reads (vendored, generated and test code left out); None when the directory is too
        large to tell (more than :data:`_MAX_CODE_DIRS` directories looked at)."""
        key = clean(rel)
        if key is None:
            return False
        if key not in self._code:
            self._code[key] = self._find_code(key)
        return self._code[key]

    def _find_code(self, key: str) -> bool | None:
        if self.is_file(key):
            return language_of(key) is not None and not is_skipped(key)
        pending = [key]
        visited = 0
        while pending:
            current = pending.pop()
            visited += 1
            if visited > _MAX_CODE_DIRS:
                return None
            for name in self.listdir(current):
                child = name if current == "." else f"{current}/{name}"
                if self.is_dir(child):
                    if not is_skipped(f"{child}/_"):
                        pending.append(child)
                elif language_of(child) is not None and not is_skipped(child):
                    return True
        return False

    def glob(self, pattern: str) -> tuple[str, ...]:
        """Paths matching a ``/``-separated pattern whose segments may hold ``*?[]`` (no ``**``),
        sorted; used for Dockerfile sources such as ``*.csproj`` or ``src/*/package.json``."""
        cleaned = clean(pattern)
        if cleaned is None:
            return ()
        found = ["."]
        for segment in cleaned.split("/"):
            if segment == ".":
                continue
            following: list[str] = []
            for base in found:
                if not any(ch in segment for ch in "*?["):
                    candidate = segment if base == "." else f"{base}/{segment}"
                    if self.exists(candidate):
                        following.append(candidate)
                    continue
                for name in self.listdir(base):
                    if fnmatch.fnmatchcase(name, segment):
                        following.append(name if base == "." else f"{base}/{name}")
            found = following[:_MAX_LISTING]
        return tuple(sorted(p for p in found if p != "."))
