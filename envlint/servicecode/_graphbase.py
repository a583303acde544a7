"""What every build-graph resolver shares: the result type, the file index and a collector.

Paths are relative to the checked root with ``/``.  Build files (go.mod, .csproj, package.json,
pom.xml, ...) are read only when the directory walk listed them, with a size limit; a file that
cannot be read is a note, never an exception.
"""

from __future__ import annotations

import posixpath
import re
from bisect import bisect_left
from collections.abc import Hashable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, TypeVar

from envlint.filepass.languages import language_of

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping
    from pathlib import Path

    from envlint.servicecode.imports import FileImports

__all__ = [
    "MAX_BUILD_FILE",
    "Collector",
    "ProgramFiles",
    "Repo",
    "glob_regex",
    "join",
    "parent_dir",
    "repo_index",
    "walk",
]

MAX_BUILD_FILE = 2 * 1024 * 1024  # bytes read at most from one build file

_Node = TypeVar("_Node", bound=Hashable)


@dataclass(frozen=True, slots=True)
class ProgramFiles:
    """The repository files linked into one program.

    ``files``: source files of analysed languages (relative paths); the engine's skip rules
    (tests, vendored, generated code) still apply on top.  ``complete`` is False when something
    could not be followed (a computed import, a missing build file, a file whose imports are not
    known); ``notes`` say what and why, one sentence each, for people.
    """

    files: frozenset[str]
    complete: bool
    notes: tuple[str, ...] = ()
    # sentences for people on what was linked by name rather than by an import (a Django
    # settings module), for the program's ``how``
    linked: tuple[str, ...] = ()


def join(directory: str, relative: str) -> str | None:
    """``directory``/``relative`` normalised; None when it leaves the checked root."""
    relative = relative.replace("\\", "/")
    if relative.startswith("/"):
        return None
    joined = posixpath.normpath(posixpath.join(directory, relative)) if directory else relative
    joined = posixpath.normpath(joined)
    if joined == ".":
        return ""
    if joined == ".." or joined.startswith("../"):
        return None
    return joined


def glob_regex(pattern: str) -> re.Pattern[str]:
    """An MSBuild item / workspace glob (relative, ``/``-separated) as a regular expression."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:[^/]*/)*")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z")


def parent_dir(path: str) -> str:
    return path.rpartition("/")[0]


@dataclass(frozen=True, slots=True)
class _Index:
    """The directory structure of a file list (pure; cached per list)."""

    sorted: tuple[str, ...]
    files: frozenset[str]
    by_dir: Mapping[str, tuple[str, ...]]
    dirs: frozenset[str]


@lru_cache(maxsize=4)
def _index(files: tuple[str, ...]) -> _Index:
    ordered = tuple(sorted(files))
    by_dir: dict[str, list[str]] = {}
    dirs: set[str] = {""}
    for path in ordered:
        directory = parent_dir(path)
        by_dir.setdefault(directory, []).append(path)
        while directory and directory not in dirs:
            dirs.add(directory)
            directory = parent_dir(directory)
    return _Index(
        ordered,
        frozenset(ordered),
        {key: tuple(value) for key, value in by_dir.items()},
        frozenset(dirs),
    )


class Repo:
    """The checked tree as one resolution sees it: the walk's file list (indexed once per list)
    and the build files read during this resolution (read at most once each)."""

    def __init__(self, root: Path, files: Iterable[str]) -> None:
        index = _index(files if isinstance(files, tuple) else tuple(files))
        self.root = root
        self.sorted = index.sorted
        self.files = index.files
        self.by_dir = index.by_dir
        self.dirs = index.dirs
        self._cache: dict[str, bytes | None] = {}

    def exists(self, path: str) -> bool:
        return path in self.files

    def is_dir(self, path: str) -> bool:
        return path in self.dirs

    def in_dir(self, directory: str) -> tuple[str, ...]:
        """The files directly in ``directory``."""
        return self.by_dir.get(directory, ())

    def under(self, directory: str) -> Iterator[str]:
        """Every file below ``directory`` ("" = the root), in sorted order."""
        if not directory:
            yield from self.sorted
            return
        prefix = directory + "/"
        start = bisect_left(self.sorted, prefix)
        for path in self.sorted[start:]:
            if not path.startswith(prefix):
                break
            yield path

    def sources_under(self, directory: str) -> Iterator[str]:
        """Every file of an analysed language below ``directory``."""
        return (path for path in self.under(directory) if language_of(path) is not None)

    def read(self, path: str, limit: int = MAX_BUILD_FILE) -> bytes | None:
        """A listed file's bytes (None if unlisted, unreadable or over ``limit``)."""
        if path not in self.files:
            return None
        if path in self._cache:
            return self._cache[path]
        data: bytes | None
        try:
            target = self.root / path
            data = None if target.stat().st_size > limit else target.read_bytes()
        except OSError:
            data = None
        self._cache[path] = data
        return data

    def nearest(self, directory: str, names: Iterable[str]) -> str | None:
        """The first of ``names`` found in ``directory`` or its ancestors (nearest first)."""
        wanted = tuple(names)
        current: str | None = directory
        while current is not None:
            for name in wanted:
                candidate = f"{current}/{name}" if current else name
                if candidate in self.files:
                    return candidate
            current = parent_dir(current) if current else None
        return None


def repo_index(root: Path, files: Iterable[str]) -> Repo:
    """A fresh view of the checked tree (the index of the last few file lists is cached; file
    contents never are across calls, so an edited build file is read again)."""
    return Repo(root, files)


class Collector:
    """Accumulates a program's files and the reasons it is not complete."""

    def __init__(self) -> None:
        self.files: set[str] = set()
        self.notes: list[str] = []
        self.how: list[str] = []
        self.complete = True

    def add(self, path: str) -> None:
        self.files.add(path)

    def note(self, message: str, *, incomplete: bool = True) -> None:
        if message not in self.notes:
            self.notes.append(message)
        if incomplete:
            self.complete = False

    def linked(self, message: str) -> None:
        """What was linked by name (see :attr:`ProgramFiles.linked`)."""
        if message not in self.how:
            self.how.append(message)

    def unparsed(self, paths: Iterable[str], imports: Mapping[str, FileImports]) -> None:
        """A note for reached files whose imports are not known (not in ``imports``)."""
        missing = sorted(path for path in paths if path not in imports)
        if missing:
            shown = ", ".join(missing[:3]) + (
                f" and {len(missing) - 3} more" if len(missing) > 3 else ""
            )
            self.note(f"the imports of {len(missing)} reached file(s) are not known: {shown}")

    def imports_of(
        self, path: str, imports: Mapping[str, FileImports], computed: str
    ) -> FileImports | None:
        """``path``'s imports, or None (noted, see :meth:`unparsed`) when they are not known; a
        note for each of its imports whose name is computed (``computed`` says what it is)."""
        facts = imports.get(path)
        if facts is None:
            self.unparsed([path], imports)
            return None
        for line in facts.dynamic:
            self.note(f"{path}:{line}: {computed} is not followed")
        return facts

    def result(self) -> ProgramFiles:
        return ProgramFiles(
            frozenset(self.files), self.complete, tuple(self.notes), tuple(self.how)
        )


def walk(starts: Iterable[_Node], step: Callable[[_Node], Iterable[_Node]]) -> Iterator[_Node]:
    """Every node reached from ``starts``, once each: a start, or a node that ``step`` gives
    for a reached node (a language's resolution of one file's imports).

    Depth first: the nodes wait on a stack, so the last start and the last node found are
    taken next; a start listed twice is taken where it is listed last.  A node is yielded
    before ``step`` runs on it, so a caller that stops iterating ends the walk at that node.
    """
    queue = list(reversed(dict.fromkeys(reversed(list(starts)))))
    seen = set(queue)
    while queue:
        node = queue.pop()
        yield node
        for found in step(node):
            if found not in seen:
                seen.add(found)
                queue.append(found)
