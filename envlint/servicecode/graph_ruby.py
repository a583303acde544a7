"""Ruby: the files a script run by ``ruby FILE.rb`` loads.

* ``require_relative "x"`` loads ``x.rb`` beside the requiring file.
* ``require "x"`` searches the load path (``-I``, ``$LOAD_PATH``, the gems): a name no ``.rb``
  file of the checked tree ends with (``json``, ``sinatra``) is a gem or the standard library
  and is not followed; every file of the tree that could be it (``x.rb``, ``lib/x.rb``) is taken.
* What cannot be followed makes every Ruby file below the directory of the files reached so far
  the program (as when no program is known), with a note: a ``load``/``autoload`` or a computed
  name, a file whose requires are not known, and Rails (``require "rails"``, ``"rails/all"``...),
  whose autoloader loads the application's directories without a require.
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING

from envlint.servicecode._graphbase import Collector, ProgramFiles, Repo, join, parent_dir, walk

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    from envlint.servicecode.imports import FileImports
    from envlint.servicecode.model import ProgramRef

__all__ = ["resolve_ruby"]


def _named(by_name: Mapping[str, list[str]], name: str) -> list[str]:
    """The Ruby files of the tree that ``require name`` may load (by the end of their path);
    ``by_name``: the tree's Ruby files by file name."""
    wanted = name if name.endswith(".rb") else f"{name}.rb"
    candidates = by_name.get(wanted.rsplit("/", 1)[-1], [])
    return [p for p in candidates if p == wanted or p.endswith("/" + wanted)]


def _unfollowed(path: str, facts: FileImports | None) -> str | None:
    """Why the files ``path`` loads cannot be told (None: they can)."""
    if facts is None:
        return f"the requires of {path} are not known"
    if facts.dynamic:
        return f"{path}:{facts.dynamic[0]} loads a file whose name is computed or not required"
    for spec in facts.imports:
        if spec.kind == "require" and (spec.spec == "rails" or spec.spec.startswith("rails/")):
            return f"{path}:{spec.line} loads Rails, whose autoloader loads the application"
    return None


def _required(
    repo: Repo, by_name: Mapping[str, list[str]], path: str, facts: FileImports, out: Collector
) -> Iterator[str]:
    """The files that ``path``'s requires load (a note for a relative one not found)."""
    for spec in facts.imports:
        if spec.kind == "import":
            found = join(parent_dir(path), spec.spec)
            reached = [] if found is None else _named_exactly(repo, found)
            if not reached:
                out.note(f"{path}:{spec.line}: {spec.spec} is not found in the checked tree")
        else:
            reached = _named(by_name, spec.spec)
        yield from reached


def resolve_ruby(
    repo: Repo, program: ProgramRef, imports: Mapping[str, FileImports]
) -> ProgramFiles:
    out = Collector()
    entry = program.target
    if not repo.exists(entry):
        out.note(f"{entry} is not a file of the checked tree")
        return out.result()
    by_name: dict[str, list[str]] = {}
    for path in repo.sorted:
        if path.endswith(".rb"):
            by_name.setdefault(path.rsplit("/", 1)[-1], []).append(path)
    # imports[path] is known: the loop returns at a file whose requires are not, before the
    # walk asks for them
    reached = walk([entry], lambda path: _required(repo, by_name, path, imports[path], out))
    for path in reached:
        out.add(path)
        why = _unfollowed(path, imports.get(path))
        if why is not None:
            # the deepest directory that holds every file reached ("" = the root)
            directory = posixpath.commonpath([parent_dir(p) for p in out.files])
            out.files.update(p for p in repo.under(directory) if p.endswith(".rb"))
            out.note(f"{why}: every Ruby file below {directory or '.'} is taken as its code")
            return out.result()
    return out.result()


def _named_exactly(repo: Repo, path: str) -> list[str]:
    for candidate in (path, f"{path}.rb"):
        if candidate.endswith(".rb") and repo.exists(candidate):
            return [candidate]
    return []
