"""Readers for the build files that say what a program is: go.mod, package.json, tsconfig.json,
Cargo.toml, .csproj, pom.xml / build.gradle.

Each reads with a real parser (``json``, a JSONC reader for tsconfig, ``tomllib``, ``xml.etree``
on a size-bounded file, a tokenizer for go.mod's line syntax) through :class:`RepoFiles`, and
returns None when the file is absent or unreadable.  Nothing is executed.
"""

from __future__ import annotations

import json
import posixpath
import tomllib
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from envlint.servicecode.repofiles import RepoFiles, clean, join

__all__ = [
    "CargoBinary",
    "GoModule",
    "TsConfig",
    "cargo_binaries",
    "dotnet_assembly_name",
    "go_binary_name",
    "go_module",
    "go_package_clause",
    "jvm_build_file",
    "loads_jsonc",
    "package_json",
    "tsconfig",
]

_EXTENDS_DEPTH = 8


# --------------------------------------------------------------------------- Go


@dataclass(frozen=True, slots=True)
class GoModule:
    directory: str  # the directory holding go.mod, relative to the root
    path: str  # the module path


def go_module(repo: RepoFiles, directory: str) -> GoModule | None:
    """The module whose go.mod is in ``directory`` or the nearest directory above it."""
    current = clean(directory)
    while current is not None:
        gomod = "go.mod" if current == "." else f"{current}/go.mod"
        text = repo.read_text(gomod)
        if text is not None:
            path = _gomod_module(text)
            return GoModule(current, path) if path else None
        if current == ".":
            return None
        current = posixpath.dirname(current) or "."
    return None


def _gomod_module(text: str) -> str | None:
    """The ``module`` directive of a go.mod (``module x``, ``module "x"``, ``module ( x )``)."""
    tokens: list[str] = []
    for line in text.splitlines():
        line = line.split("//", 1)[0]
        tokens.extend(line.replace("(", " ( ").replace(")", " ) ").split())
        tokens.append("\n")
    for index, token in enumerate(tokens):
        if token != "module":
            continue
        rest = [t for t in tokens[index + 1 : index + 6] if t not in ("(", "\n")]
        if rest and rest[0] != ")":
            return rest[0].strip('"`')
    return None


def go_binary_name(import_path: str) -> str:
    """``go build``'s default output name: the last import-path element that is not a major
    version suffix (``example.com/app/v2`` -> ``app``)."""
    elements = [e for e in import_path.split("/") if e]
    if not elements:
        return ""
    last = elements[-1]
    if len(elements) > 1 and last.startswith("v") and last[1:].isdigit() and last != "v1":
        return elements[-2]
    return last


def go_package_clause(source: str) -> str | None:
    """The package name of a Go file: the first token after comments and blanks."""
    i, n = 0, len(source)
    while i < n:
        if source[i].isspace():
            i += 1
        elif source.startswith("//", i):
            end = source.find("\n", i)
            i = n if end < 0 else end + 1
        elif source.startswith("/*", i):
            end = source.find("*/", i + 2)
            i = n if end < 0 else end + 2
        else:
            break
    if not source.startswith("package", i):
        return None
    rest = source[i + len("package") :].split(None, 1)
    if not rest or not source[i + len("package")].isspace():
        return None
    name = rest[0].split(";")[0]
    return name if name.isidentifier() else None


# --------------------------------------------------------------------------- JS / TS


def loads_jsonc(text: str) -> object:
    """JSON with comments and trailing commas (tsconfig.json).  Raises ValueError."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == '"':
            end = i + 1
            while end < n and text[end] != '"':
                end += 2 if text[end] == "\\" else 1
            out.append(text[i : end + 1])
            i = end + 1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
        elif ch in "}]":
            # drop a trailing comma before the closing bracket
            k = len(out) - 1
            while k >= 0 and out[k].isspace():
                k -= 1
            if k >= 0 and out[k] == ",":
                del out[k]
            out.append(ch)
            i += 1
        else:
            out.append(ch)
            i += 1
    return json.loads("".join(out))


def _json_object(repo: RepoFiles, rel: str, *, comments: bool = False) -> dict[str, object] | None:
    text = repo.read_text(rel)
    if text is None:
        return None
    try:
        value = loads_jsonc(text) if comments else json.loads(text)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def package_json(repo: RepoFiles, directory: str) -> dict[str, object] | None:
    """``directory/package.json`` as a JSON object."""
    rel = join(directory, "package.json")
    return None if rel is None else _json_object(repo, rel)


@dataclass(frozen=True, slots=True)
class TsConfig:
    path: str  # the tsconfig file read
    out_dir: str | None  # relative to the root
    root_dir: str | None  # relative to the root
    include_dirs: tuple[str, ...]  # the leading directories of ``include`` patterns


def tsconfig(repo: RepoFiles, path: str) -> TsConfig | None:
    """A tsconfig with its ``extends`` chain (relative paths only) merged: each option resolved
    against the file that sets it, as tsc does."""
    out_dir: str | None = None
    root_dir: str | None = None
    include: tuple[str, ...] | None = None
    current: str | None = path
    seen: set[str] = set()
    first = True
    for _ in range(_EXTENDS_DEPTH):
        if current is None or current in seen:
            break
        seen.add(current)
        data = _json_object(repo, current, comments=True)
        if data is None:
            if first:
                return None
            break
        first = False
        base = posixpath.dirname(current) or "."
        options = data.get("compilerOptions")
        if isinstance(options, dict):
            if out_dir is None and isinstance(options.get("outDir"), str):
                out_dir = join(base, str(options["outDir"]))
            if root_dir is None and isinstance(options.get("rootDir"), str):
                root_dir = join(base, str(options["rootDir"]))
        raw_include = data.get("include")
        if include is None and isinstance(raw_include, list):
            dirs: list[str] = []
            for item in raw_include:
                if not isinstance(item, str):
                    continue
                lead: list[str] = []
                for segment in item.split("/"):
                    if any(ch in segment for ch in "*?") or "." in segment.strip("."):
                        break
                    lead.append(segment)
                joined = join(base, "/".join(lead)) if lead else None
                if joined is not None:
                    dirs.append(joined)
            include = tuple(dirs)
        extends = data.get("extends")
        current = None
        if isinstance(extends, str) and extends.startswith("."):
            target = join(base, extends)
            if target is not None and not target.endswith(".json"):
                target += ".json"
            current = target
    return TsConfig(path, out_dir, root_dir, include or ())


# --------------------------------------------------------------------------- Rust


@dataclass(frozen=True, slots=True)
class CargoBinary:
    name: str
    path: str  # the binary's main file, relative to the root
    package: str
    manifest: str  # the Cargo.toml declaring the package


def _toml(repo: RepoFiles, rel: str) -> dict[str, object] | None:
    text = repo.read_text(rel)
    if text is None:
        return None
    try:
        return tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError, RecursionError):
        return None


def python_scripts(repo: RepoFiles, directory: str) -> dict[str, str]:
    """The console scripts the Python project in ``directory`` installs: name ->
    ``module:function`` (``[project.scripts]``, Poetry's ``[tool.poetry.scripts]``)."""
    manifest = join(directory, "pyproject.toml")
    data = None if manifest is None else _toml(repo, manifest)
    if data is None:
        return {}
    project, tool = data.get("project"), data.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    found: dict[str, str] = {}
    for owner in (project, poetry):
        table = owner.get("scripts") if isinstance(owner, dict) else None
        if isinstance(table, dict):
            found.update((k, v) for k, v in table.items() if isinstance(v, str) and k not in found)
    return found


def cargo_binaries(repo: RepoFiles, directory: str) -> tuple[CargoBinary, ...]:
    """The binary targets of the package in ``directory`` and of its workspace members
    (``[[bin]]`` entries, ``src/main.rs``, ``src/bin/*.rs``, ``src/bin/*/main.rs``)."""
    manifest = join(directory, "Cargo.toml")
    data = None if manifest is None else _toml(repo, manifest)
    if manifest is None or data is None:
        return ()
    found = list(_package_binaries(repo, directory, manifest, data))
    workspace = data.get("workspace")
    members = workspace.get("members") if isinstance(workspace, dict) else None
    if isinstance(members, list):
        for pattern in members:
            if not isinstance(pattern, str):
                continue
            full = join(directory, pattern)
            for member in repo.glob(full) if full is not None else ():
                member_manifest = f"{member}/Cargo.toml"
                member_data = _toml(repo, member_manifest)
                if member_data is not None:
                    found.extend(_package_binaries(repo, member, member_manifest, member_data))
    return tuple(found)


def _package_binaries(
    repo: RepoFiles, directory: str, manifest: str, data: dict[str, object]
) -> list[CargoBinary]:
    package = data.get("package")
    if not isinstance(package, dict) or not isinstance(package.get("name"), str):
        return []
    name = str(package["name"])
    autobins = package.get("autobins", True) is not False
    found: dict[str, CargoBinary] = {}
    bins = data.get("bin")
    if isinstance(bins, list):
        for entry in bins:
            if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
                continue
            bin_name = str(entry["name"])
            raw = entry.get("path")
            path = join(directory, str(raw)) if isinstance(raw, str) else None
            if path is None:
                for candidate in (f"src/bin/{bin_name}.rs", f"src/bin/{bin_name}/main.rs"):
                    full = join(directory, candidate)
                    if full is not None and repo.is_file(full):
                        path = full
                        break
                if path is None and bin_name == name:
                    path = join(directory, "src/main.rs")
            if path is not None and repo.is_file(path):
                found[bin_name] = CargoBinary(bin_name, path, name, manifest)
    if autobins:
        main = join(directory, "src/main.rs")
        if main is not None and repo.is_file(main) and name not in found:
            found[name] = CargoBinary(name, main, name, manifest)
        bin_dir = join(directory, "src/bin")
        for entry in repo.listdir(bin_dir) if bin_dir is not None else ():
            full = f"{bin_dir}/{entry}"
            if entry.endswith(".rs") and repo.is_file(full):
                found.setdefault(entry[:-3], CargoBinary(entry[:-3], full, name, manifest))
            elif repo.is_file(f"{full}/main.rs"):
                found.setdefault(entry, CargoBinary(entry, f"{full}/main.rs", name, manifest))
    return list(found.values())


# --------------------------------------------------------------------------- .NET, JVM


def dotnet_assembly_name(repo: RepoFiles, project: str) -> str | None:
    """The assembly a .csproj/.fsproj builds: ``<AssemblyName>`` or the file's stem."""
    text = repo.read_text(project)
    if text is None:
        return None
    stem = posixpath.basename(project).rsplit(".", 1)[0]
    try:
        root = ET.fromstring(text)  # expat >= 2.4 bounds entity expansion; size is bounded
    except (ET.ParseError, ValueError, RecursionError):
        return stem
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""
        if tag == "AssemblyName" and element.text and "$(" not in element.text:
            return element.text.strip()
    return stem


def jvm_build_file(repo: RepoFiles, directory: str) -> str | None:
    """The Maven or Gradle build file of a module directory."""
    for name in ("pom.xml", "build.gradle.kts", "build.gradle"):
        rel = join(directory, name)
        if rel is not None and repo.is_file(rel):
            return rel
    return None
