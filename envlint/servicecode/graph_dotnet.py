""".NET: the C# files of a project and of the projects it references (``ProjectReference``).

* Project files are read as XML (:func:`~envlint.servicecode.buildfiles.parse_xml`: no DTD,
  size-limited).  An SDK-style project (``Sdk="..."``, an ``<Sdk>`` element or an SDK import)
  compiles every ``*.cs`` under its directory except ``bin/``, ``obj/``, hidden directories and
  directories holding another project file (nested projects), unless
  ``EnableDefaultCompileItems`` is false; an old-style project compiles only its
  ``<Compile Include>`` items.  ``<Compile Include/Remove>`` globs (``*``, ``?``, ``**``, ``;``
  lists, ``$(MSBuildProjectDirectory)``/``$(MSBuildThisFileDirectory)``) are honoured; an item
  with another property is a note.
* ``ProjectReference`` is followed transitively; shared projects (``<Import Project=
  "x.projitems">``) add their ``Compile`` items.
* A referenced Blazor WebAssembly project (the ``Microsoft.NET.Sdk.BlazorWebAssembly`` SDK, or
  a ``Microsoft.AspNetCore.Components.WebAssembly`` package reference) is not part of the
  program: the server only serves its compiled output, and its code (with the configuration it
  reads, from its own ``wwwroot/appsettings.json``) runs in the browser.  Neither its files nor
  its own references are followed; a note says so without making the result incomplete.
* ``Directory.Build.props``/``.targets`` are not evaluated: when one above the project declares
  ``Compile`` or ``ProjectReference`` items, the result is marked incomplete with a note.
* F# (``.fsproj``) sources are not an analysed language: only the C# projects they reference
  contribute files (a note says so).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from envlint.servicecode._graphbase import (
    Collector,
    ProgramFiles,
    Repo,
    glob_regex,
    join,
    parent_dir,
)
from envlint.servicecode.buildfiles import local_name, parse_xml

if TYPE_CHECKING:
    import re
    from collections.abc import Mapping
    from xml.etree.ElementTree import Element

    from envlint.servicecode.imports import FileImports
    from envlint.servicecode.model import ProgramRef

__all__ = ["resolve_dotnet"]

_PROJECT_EXTENSIONS = (".csproj", ".fsproj", ".vbproj")
_DIR_PROPERTIES = ("$(MSBuildProjectDirectory)", "$(MSBuildThisFileDirectory)", "$(ProjectDir)")
_WASM_SDK = "microsoft.net.sdk.blazorwebassembly"
_WASM_PACKAGE = "microsoft.aspnetcore.components.webassembly"  # not its .Server hosting package


def _elements(root: Element, name: str) -> list[Element]:
    return [element for element in root.iter() if local_name(element.tag) == name]


def _is_sdk(root: Element) -> bool:
    if root.get("Sdk"):
        return True
    if _elements(root, "Sdk"):
        return True
    return any(element.get("Sdk") for element in _elements(root, "Import"))


def _sdks(root: Element) -> list[str]:
    """The SDK names a project uses (``Sdk="A/1.0;B"``, ``<Sdk Name>``, ``<Import Sdk>``),
    lower-case and without versions."""
    values = [root.get("Sdk") or ""]
    values += [element.get("Name") or "" for element in _elements(root, "Sdk")]
    values += [element.get("Sdk") or "" for element in _elements(root, "Import")]
    names = (part.split("/")[0].strip().lower() for value in values for part in value.split(";"))
    return [name for name in names if name]


def _runs_in_browser(root: Element) -> bool:
    """A Blazor WebAssembly project: compiled for the browser, not run by the server."""
    if _WASM_SDK in _sdks(root):
        return True
    return any(
        (element.get("Include") or "").strip().lower() == _WASM_PACKAGE
        for element in _elements(root, "PackageReference")
    )


def _default_items(root: Element) -> bool:
    for element in _elements(root, "EnableDefaultCompileItems") + _elements(
        root, "EnableDefaultItems"
    ):
        if (element.text or "").strip().lower() == "false":
            return False
    return True


class _Items:
    """The ``Compile`` globs of one project (include / remove), relative to its directory."""

    def __init__(self) -> None:
        self.include: list[re.Pattern[str]] = []
        self.include_dirs: list[str] = []  # base directory of each include pattern
        self.remove: list[re.Pattern[str]] = []
        self.remove_dirs: list[str] = []

    def add(self, base: str, attribute: str, value: str, where: str, out: Collector) -> None:
        for raw in value.split(";"):
            item = raw.strip().replace("\\", "/")
            if not item:
                continue
            for prop in _DIR_PROPERTIES:
                item = item.replace(prop + "/", "").replace(prop, "")
            if "$(" in item or "@(" in item or "%(" in item:
                out.note(
                    f"{where}: <Compile {attribute}={raw.strip()!r}> uses a property envlint "
                    "does not evaluate"
                )
                continue
            directory, pattern = _split_static(base, item)
            if directory is None:
                out.note(
                    f"{where}: <Compile {attribute}={raw.strip()!r}> points outside the "
                    "checked directory"
                )
                continue
            if attribute == "Include":
                self.include.append(glob_regex(pattern))
                self.include_dirs.append(directory)
            else:
                self.remove.append(glob_regex(pattern))
                self.remove_dirs.append(directory)

    def included(self, repo: Repo) -> set[str]:
        found: set[str] = set()
        for directory, regex in zip(self.include_dirs, self.include, strict=True):
            for path in repo.under(directory):
                rel = path[len(directory) + 1 :] if directory else path
                if path.endswith(".cs") and regex.match(rel):
                    found.add(path)
        return found

    def removed(self, path: str) -> bool:
        for directory, regex in zip(self.remove_dirs, self.remove, strict=True):
            if directory and not path.startswith(directory + "/"):
                continue
            rel = path[len(directory) + 1 :] if directory else path
            if regex.match(rel):
                return True
        return False


def _split_static(base: str, item: str) -> tuple[str | None, str]:
    """Move the glob-free leading directories of ``item`` (``../Shared/**/*.cs``) into the base."""
    parts = item.split("/")
    static: list[str] = []
    while len(parts) > 1 and not any(ch in parts[0] for ch in "*?"):
        static.append(parts.pop(0))
    directory = join(base, "/".join(static)) if static else base
    return directory, "/".join(parts)


def _nested_project_dirs(repo: Repo, directory: str) -> list[str]:
    nested: set[str] = set()
    for path in repo.under(directory):
        if path.endswith(_PROJECT_EXTENSIONS) and parent_dir(path) != directory:
            nested.add(parent_dir(path))
    return sorted(nested)


def _default_files(repo: Repo, directory: str) -> set[str]:
    nested = _nested_project_dirs(repo, directory)
    prefix = directory + "/" if directory else ""
    found: set[str] = set()
    for path in repo.under(directory):
        if not path.endswith(".cs"):
            continue
        rel = path[len(prefix) :]
        top = rel.split("/", 1)[0]
        if "/" in rel and top in ("bin", "obj"):
            continue
        if any(part.startswith(".") for part in rel.split("/")[:-1]):
            continue
        if any(path.startswith(n + "/") for n in nested):
            continue
        found.add(path)
    return found


def _directory_build_items(repo: Repo, directory: str, out: Collector) -> None:
    current: str | None = directory
    seen: set[str] = set()
    while current is not None:
        for name in ("Directory.Build.props", "Directory.Build.targets"):
            path = f"{current}/{name}" if current else name
            if path in seen or not repo.exists(path):
                continue
            seen.add(path)
            data = repo.read(path)
            root = parse_xml(data) if data is not None else None
            if (
                not isinstance(root, str)
                and root is not None
                and (_elements(root, "Compile") or _elements(root, "ProjectReference"))
            ):
                out.note(
                    f"{path} declares Compile or ProjectReference items, which are not evaluated"
                )
        current = parent_dir(current) if current else None


def resolve_dotnet(
    repo: Repo, program: ProgramRef, imports: Mapping[str, FileImports]
) -> ProgramFiles:
    out = Collector()
    start = program.target.strip("/")
    pending = [start]
    seen: set[str] = set()
    while pending:
        project = pending.pop()
        if project in seen:
            continue
        seen.add(project)
        directory = parent_dir(project)
        data = repo.read(project)
        if data is None:
            out.note(f"{project} is not in the checked tree or could not be read")
            continue
        root = parse_xml(data)
        if isinstance(root, str):
            out.note(f"{project} was not read: {root}")
            continue
        if project != start and _runs_in_browser(root):
            out.note(
                f"{project} is a Blazor WebAssembly project: its code runs in the browser, "
                "not in this program (not followed)",
                incomplete=False,
            )
            continue
        _directory_build_items(repo, directory, out)
        if project.endswith((".fsproj", ".vbproj")):
            out.note(f"{project}: F#/VB sources are not analysed", incomplete=False)

        items = _Items()
        for element in _elements(root, "Compile"):
            for attribute in ("Include", "Remove"):
                value = element.get(attribute)
                if value:
                    items.add(directory, attribute, value, project, out)
        for element in _elements(root, "Import"):
            target = (element.get("Project") or "").replace("\\", "/")
            if target.endswith(".projitems"):
                _shared_items(repo, directory, target, project, items, out)

        files = _default_files(repo, directory) if _is_sdk(root) and _default_items(root) else set()
        files |= items.included(repo)
        out.files.update(path for path in files if not items.removed(path))

        for element in _elements(root, "ProjectReference"):
            for raw in (element.get("Include") or "").split(";"):
                reference = raw.strip().replace("\\", "/")
                if not reference:
                    continue
                for prop in _DIR_PROPERTIES:
                    reference = reference.replace(prop + "/", "").replace(prop, "")
                if "$(" in reference:
                    out.note(
                        f"{project}: ProjectReference {raw.strip()!r} uses a property envlint "
                        "does not evaluate"
                    )
                    continue
                referenced = join(directory, reference)
                if referenced is None:
                    out.note(
                        f"{project}: ProjectReference {raw.strip()!r} is outside the checked "
                        "directory"
                    )
                    continue
                pending.append(referenced)
    return out.result()


def _shared_items(
    repo: Repo, directory: str, target: str, project: str, items: _Items, out: Collector
) -> None:
    """A shared project's ``.projitems``: its Compile items, relative to its own directory."""
    for prop in _DIR_PROPERTIES:
        target = target.replace(prop + "/", "").replace(prop, "")
    path = join(directory, target) if "$(" not in target else None
    data = repo.read(path) if path is not None else None
    root = parse_xml(data) if data is not None else None
    if path is None or root is None or isinstance(root, str):
        out.note(f"{project}: the shared project {target!r} could not be read")
        return
    for element in _elements(root, "Compile"):
        for attribute in ("Include", "Remove"):
            value = element.get(attribute)
            if value:
                items.add(parent_dir(path), attribute, value, path, out)
