"""Build graphs -> the files of a service's program (issue #11, item 2).

:func:`program_files` maps a :class:`~envlint.servicecode.model.ProgramRef` to the repository
files linked into that program, from build files read here (go.mod, .csproj, package.json,
tsconfig.json, pom.xml, settings.gradle, Cargo.toml) and the per-file import facts of the one
source parse (:mod:`envlint.servicecode.imports`).  One module per build system:

========================  ==========================================================
``go-package``            :mod:`.graph_go` — import graph within the module(s)
``dotnet-project``        :mod:`.graph_dotnet` — ProjectReference closure
``js-entry``              :mod:`.graph_js` — import/require graph from the entry
``python-module/-file``   :mod:`.graph_python` — import graph from the entry module
``jvm-module``            :mod:`.graph_jvm` — Maven/Gradle module dependencies
``cargo-bin``             :mod:`.graph_rust` — ``mod`` tree, the package's lib, path deps
``ruby-file``             :mod:`.graph_ruby` — ``require_relative`` / ``require`` from the script
``directory``             every source file under the directory (JS/TS a dev server serves,
                          ``ProgramRef.served``: without other tools' config files nothing
                          imports, :func:`.graph_js.without_tool_configs`)
========================  ==========================================================

What cannot be resolved is never dropped silently: what is known is returned, ``complete`` is
False and ``notes`` say why.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from envlint.servicecode._graphbase import Collector, ProgramFiles, Repo, join, repo_index
from envlint.servicecode.graph_dotnet import resolve_dotnet
from envlint.servicecode.graph_go import resolve_go
from envlint.servicecode.graph_js import resolve_js, without_tool_configs
from envlint.servicecode.graph_jvm import resolve_jvm
from envlint.servicecode.graph_python import resolve_python
from envlint.servicecode.graph_ruby import resolve_ruby
from envlint.servicecode.graph_rust import resolve_rust

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from pathlib import Path

    from envlint.servicecode.imports import FileImports
    from envlint.servicecode.model import ProgramRef

__all__ = ["ProgramFiles", "program_files"]


def _directory(repo: Repo, program: ProgramRef, imports: Mapping[str, FileImports]) -> ProgramFiles:
    out = Collector()
    directory = program.target.strip("/")
    directory = "" if directory == "." else directory
    if directory and not repo.is_dir(directory):
        out.note(f"{directory} is not a directory of the checked tree")
        return out.result()
    files = repo.sources_under(directory)
    if program.served and program.language in ("javascript", "typescript"):
        # a dev server serving the package (`vite`): not what other tools' config files do
        out.files.update(without_tool_configs(repo, files, imports, out))
    else:
        out.files.update(files)
    return out.result()


_RESOLVERS: dict[str, Callable[[Repo, ProgramRef, Mapping[str, FileImports]], ProgramFiles]] = {
    "go-package": resolve_go,
    "dotnet-project": resolve_dotnet,
    "js-entry": resolve_js,
    "python-module": resolve_python,
    "python-file": resolve_python,
    "jvm-module": resolve_jvm,
    "cargo-bin": resolve_rust,
    "ruby-file": resolve_ruby,
    "directory": _directory,
}


def program_files(
    root: Path,
    program: ProgramRef,
    files: Sequence[str],
    imports: Mapping[str, FileImports],
) -> ProgramFiles:
    """The files linked into ``program``.

    ``files``: the directory walk's list (relative paths; build files are read from it, source
    files picked from it); ``imports``: the facts of the source files that were parsed (a reached
    file missing here makes the result incomplete).  Never raises on bad build files.
    """
    resolver = _RESOLVERS.get(program.kind)
    if resolver is None:
        return ProgramFiles(frozenset(), False, (f"unknown program kind {program.kind!r}",))
    target = join("", program.target.strip().rstrip("/") or ".")
    if target is None:
        return ProgramFiles(frozenset(), False, (f"{program.target} is outside the checked tree",))
    if target != program.target:
        program = replace(program, target=target)
    return resolver(repo_index(root, files), program, imports)
