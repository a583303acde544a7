"""The last report of a checked tree, used again while nothing it was made from has changed.

A run on a tree nobody touched since the last one (the pre-commit hook, an editor's save, a
second look) costs a walk that stats every entry below the root and one decode: no compose
file, env file or source file is read.

The key is everything a report is made from: envlint's code and grammars
(:func:`~envlint.cache.code_fingerprint`), the settings (all but ``jobs`` and ``cache``, which
never change a finding), the file arguments, the Helm/kustomize/kubectl programs that render
manifests (found on ``PATH``, with their size and time), files the settings name outside the
root, and a listing of the whole tree: every directory, file and link below the root with its
type, size, modification and change times and inode — not only the files discovery keeps,
since envlint also reads files Git ignores (a developer's ``.env``).  The contents of ``.git``
and of installed-dependency and cache directories (:data:`UNREAD_DIRS`: ``node_modules``,
virtualenvs, ``__pycache__``…) are left out — envlint reads no file in them, and walking a
``node_modules`` of 200,000 files on every run would cost more than it saves; the directory's
own entry (its times change when a package is added or removed) still counts.

What is stored is only what envlint prints: the findings, the summary, the services' code and
the source lines of the findings with their secret values masked (read once, when stored);
never a value of an env file or a compose file.  It goes into the same private, signed packs as
the per-file cache (:mod:`envlint.cache`), one entry per checked root and selection.  Not
stored: a report with internal errors (the next run tries again), a run on manifests from
standard input, a tree with a directory link (the files behind it are not walked), a tree of
more than :data:`MAX_ENTRIES` entries, and a tree in which a file was modified in the
:data:`RACY_SECONDS` before the walk (its size and times could not tell a change made in the
same clock tick after the run read it).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import shutil
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from envlint.cache import AnalysisCache, CodecError, dumps, loads, settings_fingerprint
from envlint.gitindex import index_path
from envlint.report import Report

if TYPE_CHECKING:
    from collections.abc import Iterable

    from envlint.config import Settings

__all__ = ["MAX_ENTRIES", "RACY_SECONDS", "UNREAD_DIRS", "Stamp", "stamp"]

MAX_ENTRIES = 500_000
RACY_SECONDS = 2.0
_KIND = "report"
# directories whose contents envlint never reads (dependencies installed into the tree, caches)
UNREAD_DIRS = frozenset(
    {".git", "node_modules", ".venv", "venv", "site-packages", "__pycache__", ".tox",
     ".mypy_cache", ".pytest_cache", ".ruff_cache", ".gradle", ".next"}
)  # fmt: skip
_RENDERERS = ("helm", "kustomize", "kubectl")  # envlint.k8s.render looks for these
_UNKEYED = frozenset({"jobs", "cache"})  # settings that never change a finding
# the Report fields stored, in order; root and srcroot are the checked tree's own
_FIELDS = (
    "findings", "rules", "catalog", "summary", "suppressed", "baselined", "stale_baseline",
    "snippets", "notices", "service_code",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Stamp:
    """A checked tree as it is now: where its last report is kept, and under which key."""

    cache: AnalysisCache
    key: bytes
    racy: bool  # something changed within RACY_SECONDS of the walk: do not store

    def load(self, root: Path, srcroot: Path | None) -> Report | None:
        """The report stored under this key (paths relative to ``root``), or None."""
        payload = self.cache.get(self.key)
        if payload is None:
            return None
        try:
            data = loads(payload)
        except CodecError:
            data = None
        if not (isinstance(data, tuple) and len(data) == len(_FIELDS)):
            self.cache.drop(self.key)
            return None
        fields = dict(zip(_FIELDS, data, strict=True))
        fields["catalog"] = MappingProxyType(dict(fields["catalog"]))
        fields["snippets"] = MappingProxyType(dict(fields["snippets"]))
        try:
            return Report(root=root, srcroot=srcroot, **fields)
        except TypeError:
            self.cache.drop(self.key)
            return None

    def store(self, report: Report) -> None:
        """Keep ``report`` for the next run (never raises; see the module doc for what is
        not kept)."""
        if self.racy or report.internal_errors:
            return
        values = {name: getattr(report, name) for name in _FIELDS}
        values["catalog"] = dict(report.catalog)
        values["snippets"] = dict(report.snippets)  # masked lines, read now
        try:
            payload = dumps(tuple(values[name] for name in _FIELDS))
        except CodecError:
            return
        self.cache.put(self.key, payload)
        self.cache.save()


def stamp(root: Path, settings: Settings, only: Iterable[str] | None) -> Stamp | None:
    """The stamp of ``root`` checked with ``settings`` (``only``: the files a file argument
    reports on), or None when the report is not to be kept (see the module doc)."""
    if not settings.cache or settings.k8s_stdin is not None:
        return None
    started = time.time_ns()
    digest = hashlib.blake2b(digest_size=20)
    newest = _walk(root, digest)
    if newest is None:
        return None
    for name in _RENDERERS:
        found = shutil.which(name)
        digest.update(f"\0{name}={found}:{_stat_of(found) if found else ''}".encode())
    for path in _named_paths(settings):
        digest.update(f"\0{path}:{_stat_of(str(root / path))}".encode())
    index = index_path(str(root))  # which ignored files Git tracks (may lie outside the root)
    digest.update(f"\0git-index:{_stat_of(index) if index else '-'}".encode())
    chosen = [
        (f.name, getattr(settings, f.name))
        for f in dataclasses.fields(settings)
        if f.name not in _UNKEYED
    ]
    fingerprint = settings_fingerprint((_KIND, chosen, sorted(only) if only is not None else None))
    cache = AnalysisCache.open(root, fingerprint, kind=_KIND)
    if not cache.enabled:
        return None
    racy = newest > started - int(RACY_SECONDS * 1e9)
    return Stamp(cache, digest.digest(), racy)


def _walk(root: Path, digest: hashlib.blake2b) -> int | None:
    """Feed every entry below ``root`` to ``digest``, in a fixed order; the newest modification
    time seen (ns), or None when the tree is not to be kept."""
    newest = 0
    count = 0
    stack = [(str(root), "")]
    while stack:
        directory, prefix = stack.pop()
        try:
            with os.scandir(directory) as iterator:
                entries = sorted(iterator, key=lambda e: e.name)
        except OSError:
            return None  # a directory that cannot be listed: its changes could not be seen
        children: list[tuple[str, str]] = []
        for entry in entries:
            count += 1
            if count > MAX_ENTRIES:
                return None
            rel = prefix + entry.name
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                return None
            line = f"{rel}\0{_stamp_of(info)}"
            newest = max(newest, info.st_mtime_ns)
            if stat.S_ISLNK(info.st_mode):
                try:
                    target = Path(entry.path).stat()
                except OSError:
                    target = None  # a dangling link: the link itself is the entry
                if target is not None and stat.S_ISDIR(target.st_mode):
                    return None  # the files behind a directory link are not walked
                if target is not None:
                    line += f">{_stamp_of(target)}"
                    newest = max(newest, target.st_mtime_ns)
            elif stat.S_ISDIR(info.st_mode) and entry.name not in UNREAD_DIRS:
                children.append((entry.path, rel + "/"))
            digest.update(line.encode("utf-8", "surrogateescape") + b"\n")
        stack.extend(reversed(children))
    return newest


def _named_paths(settings: Settings) -> list[str]:
    """Files the settings name (they may lie outside the root: their times count too)."""
    named = [*settings.env_files, *(p for stack in settings.compose_files for p in stack)]
    named += [p for p in settings.k8s_cli if p != "-"]
    if settings.baseline:
        named.append(settings.baseline)
    if settings.config_path:
        named.append(settings.config_path)
    return named


def _stat_of(path: str) -> str:
    with contextlib.suppress(OSError):
        return _stamp_of(Path(path).stat())
    return "-"


def _stamp_of(info: os.stat_result) -> str:
    return f"{info.st_mode}:{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}:{info.st_ino}"
