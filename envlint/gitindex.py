"""The files Git tracks below the checked root, read from its index (``.git/index``).

Git never applies ``.gitignore`` to a file it already tracks: a root line ``app`` meant for a
compiled binary also matches the committed directory ``deploy/base/app``, whose files are in the
repository all the same.  Discovery asks this module about a path only when an ignore pattern
drops it, and keeps it when the index lists it (or, for a directory, any file below it).

Plain file parsing, nothing run: the index format of Git's ``gitformat-index(5)``, versions 2,
3 (extended flags) and 4 (paths prefix-compressed against the previous entry).  Only the index
of the checked root itself is read (``.git/index``, or the ``gitdir:`` a ``.git`` file names in
a linked worktree or submodule); a root below the top of a work tree reads none.  The file comes
from the checked repository, so it is bounded (:data:`MAX_INDEX_BYTES`, :data:`MAX_ENTRIES`) and
read only if it is a regular file; an index that is absent, too large or not well formed
answers nothing (:func:`read_tracked` returns the reason), and discovery then decides from
``.gitignore`` alone, as it did before.  Sparse-index directory entries (the directories outside
a sparse checkout, which are not on disk) and extensions are skipped.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from envlint._regular import read_regular

__all__ = ["MAX_ENTRIES", "MAX_INDEX_BYTES", "Tracked", "index_path", "parse_index", "read_tracked"]

MAX_INDEX_BYTES = 256 * 1024 * 1024  # Chromium's index, ~500,000 entries, is under 100 MB
MAX_ENTRIES = 4_000_000
_MAX_GITFILE_BYTES = 4096
_HEADER = 12
_FIXED = 62  # ten 4-byte stat fields, the 20-byte object id, 2 bytes of flags
_EXTENDED = 0x4000
_DIRECTORY_MODE = 0o040000


@dataclass(frozen=True, slots=True)
class Tracked:
    """The tracked files (paths relative to the root, with ``/``) and every directory that
    holds one at any depth."""

    files: frozenset[str]
    directories: frozenset[str]

    def holds(self, rel: str, is_dir: bool) -> bool:
        """Whether Git tracks the file ``rel``, or (``is_dir``) a file below the directory."""
        return rel in (self.directories if is_dir else self.files)


def index_path(root: str) -> str | None:
    """The index of the work tree whose top is ``root``: ``.git/index``, or the one of the
    directory a ``.git`` file names (``gitdir: ...``); None when ``root`` has no ``.git``."""
    dot_git = os.path.join(root, ".git")  # noqa: PTH118 - str paths throughout
    if os.path.isdir(dot_git):  # noqa: PTH112
        return os.path.join(dot_git, "index")  # noqa: PTH118
    try:
        data = read_regular(dot_git, _MAX_GITFILE_BYTES)
    except OSError:
        return None
    text = data.decode("utf-8", errors="replace").strip()
    if not text.startswith("gitdir:"):
        return None
    gitdir = text.removeprefix("gitdir:").strip()
    if not gitdir or "\n" in gitdir:
        return None
    return os.path.join(root, gitdir, "index")  # noqa: PTH118 - an absolute gitdir wins


def read_tracked(root: str) -> Tracked | str | None:
    """The files the index of ``root`` tracks; a reason (str) when the index exists but cannot
    be used; None when there is no index (not a Git work tree, or a fresh repository)."""
    path = index_path(root)
    if path is None:
        return None
    try:
        data = read_regular(path, MAX_INDEX_BYTES)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"cannot read the Git index: {exc.strerror or type(exc).__name__}"
    tracked = parse_index(data)
    if tracked is None:
        return "the Git index is not in a form envlint reads (versions 2-4)"
    return tracked


def parse_index(data: bytes) -> Tracked | None:
    """The entries of an index file's bytes; None when they are not a well-formed index of
    version 2, 3 or 4 (never raises, reads each byte at most a few times)."""
    if len(data) < _HEADER or data[:4] != b"DIRC":
        return None
    version = int.from_bytes(data[4:8], "big")
    count = int.from_bytes(data[8:12], "big")
    if version not in (2, 3, 4) or count > MAX_ENTRIES or count * _FIXED > len(data):
        return None
    files: set[str] = set()
    directories: set[str] = set()
    previous = b""
    pos = _HEADER
    size = len(data)
    for _ in range(count):
        start = pos
        if pos + _FIXED > size:
            return None
        mode = int.from_bytes(data[pos + 24 : pos + 28], "big")
        flags = int.from_bytes(data[pos + 60 : pos + 62], "big")
        pos += _FIXED
        if flags & _EXTENDED:
            if version < 3:
                return None
            pos += 2
        if version == 4:
            strip, pos = _varint(data, pos)
            if strip < 0 or strip > len(previous):
                return None
            end = data.find(b"\0", pos)
            if end < 0:
                return None
            name = previous[: len(previous) - strip] + data[pos:end]
            pos = end + 1
        else:
            end = data.find(b"\0", pos)
            if end < 0:
                return None
            name = data[pos:end]
            pos = start + ((end - start + 8) & ~7)  # 1 to 8 NULs pad the entry to 8 bytes
            if pos > size:
                return None
        previous = name
        if not name or mode & 0o170000 == _DIRECTORY_MODE:
            continue  # a sparse-index directory: not checked out
        text = os.fsdecode(name)
        if text in files:
            continue  # another stage of a conflicted path
        files.add(text)
        parent = text.rpartition("/")[0]
        while parent and parent not in directories:
            directories.add(parent)
            parent = parent.rpartition("/")[0]
    return Tracked(frozenset(files), frozenset(directories))


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    """Git's offset varint (``decode_varint``) at ``pos``: (value, position after it), or
    (-1, pos) when it runs past the end or grows past any path's length."""
    value = -1
    while pos < len(data):
        byte = data[pos]
        pos += 1
        value = (byte & 127) if value < 0 else ((value + 1) << 7) | (byte & 127)
        if value > len(data):
            return -1, pos
        if not byte & 128:
            return value, pos
    return -1, pos
