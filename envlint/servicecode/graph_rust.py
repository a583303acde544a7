"""Rust: the files of a binary crate and of the local library crates it uses.

* The module tree is followed from the binary's main file through ``mod x;`` declarations
  (``x.rs`` or ``x/mod.rs`` beside a crate root or ``mod.rs`` file, in ``<stem>/`` beside any
  other file, inside inline ``mod a { }`` directories, or the ``#[path]`` attribute's file);
  ``#[cfg(test)]`` modules are not compiled into the binary and not followed.  Other ``cfg``
  attributes are not evaluated (the module is kept).
* The package's own library (``[lib] path`` or ``src/lib.rs``) and path dependencies
  (``[dependencies] x = { path = "..." }``, also target-specific tables and ``workspace = true``
  entries of the workspace root's ``[workspace.dependencies]``; not ``dev-``/``build-``
  dependencies) are taken when a file of the crate names them (``use x::``, ``x::f()``,
  ``extern crate x``), and followed the same way.  Macros that generate modules
  (``include!``) are not expanded.
"""

from __future__ import annotations

import tomllib
from typing import TYPE_CHECKING

from envlint.servicecode._graphbase import Collector, ProgramFiles, Repo, join, parent_dir, walk

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    from envlint.servicecode.imports import FileImports
    from envlint.servicecode.model import ProgramRef

__all__ = ["resolve_rust"]

_MOD_RS = ("mod.rs", "main.rs", "lib.rs")


def _toml(repo: Repo, path: str, out: Collector) -> dict[str, object] | None:
    data = repo.read(path)
    if data is None:
        out.note(f"{path} could not be read")
        return None
    try:
        return tomllib.loads(data.decode("utf-8", "replace"))
    except tomllib.TOMLDecodeError as exc:
        out.note(f"{path} is not valid TOML ({exc})")
        return None


def _table(value: object, key: str) -> dict[str, object]:
    found = value.get(key) if isinstance(value, dict) else None
    return found if isinstance(found, dict) else {}


class _Crates:
    """Package directory -> (lib crate name, lib root file, path dependencies by crate name)."""

    def __init__(self, repo: Repo, out: Collector) -> None:
        self.repo = repo
        self.out = out
        self._cache: dict[str, tuple[str | None, str | None, dict[str, str]]] = {}

    def workspace_deps(self, package_dir: str) -> tuple[str, dict[str, object]]:
        directory: str | None = package_dir  # the package itself may be the workspace root
        while directory is not None:
            path = f"{directory}/Cargo.toml" if directory else "Cargo.toml"
            if self.repo.exists(path):
                manifest = _toml(self.repo, path, self.out) or {}
                workspace = _table(manifest, "workspace")
                if workspace:
                    return directory, _table(workspace, "dependencies")
            directory = parent_dir(directory) if directory else None
        return package_dir, {}

    def package(self, directory: str) -> tuple[str | None, str | None, dict[str, str]]:
        if directory in self._cache:
            return self._cache[directory]
        path = f"{directory}/Cargo.toml" if directory else "Cargo.toml"
        manifest = _toml(self.repo, path, self.out) or {}
        package = _table(manifest, "package")
        lib = _table(manifest, "lib")
        name = lib.get("name") or package.get("name")
        lib_name = name.replace("-", "_") if isinstance(name, str) else None
        lib_path = lib.get("path") if isinstance(lib.get("path"), str) else "src/lib.rs"
        lib_root = join(directory, str(lib_path))
        if lib_root is not None and not self.repo.exists(lib_root):
            lib_root = None
        tables = [_table(manifest, "dependencies")]
        for target in _table(manifest, "target").values():
            tables.append(_table(target, "dependencies"))
        deps: dict[str, str] = {}
        for table in tables:
            for key, spec in table.items():
                dep_dir = self._dependency_dir(directory, key, spec)
                if dep_dir is not None:
                    deps[key.replace("-", "_")] = dep_dir
        result = (lib_name, lib_root, deps)
        self._cache[directory] = result
        return result

    def _dependency_dir(self, directory: str, key: str, spec: object) -> str | None:
        if not isinstance(spec, dict):
            return None
        base = directory
        if spec.get("workspace") is True:
            base, workspace_deps = self.workspace_deps(directory)
            spec = workspace_deps.get(key)
            if not isinstance(spec, dict):
                return None
        path = spec.get("path")
        if not isinstance(path, str):
            return None
        dep_dir = join(base, path)
        if dep_dir is None or not self.repo.exists(
            f"{dep_dir}/Cargo.toml" if dep_dir else "Cargo.toml"
        ):
            self.out.note(
                f"{directory or '.'}/Cargo.toml: path dependency {key} ({path}) is not in the "
                "checked tree"
            )
            return None
        return dep_dir


def _module_files(
    repo: Repo, root_file: str, imports: Mapping[str, FileImports], out: Collector
) -> tuple[list[str], set[str]]:
    """(files of the crate rooted at ``root_file``, crate names its files use)."""
    used: set[str] = set()

    def modules(path: str) -> Iterator[str]:
        """The module files that ``path`` declares; the crates it names go to ``used``."""
        facts = imports.get(path)
        if facts is None:
            out.unparsed([path], imports)
            return
        name = path.rpartition("/")[2]
        is_root = path == root_file
        base = parent_dir(path) if is_root or name in _MOD_RS else path.removesuffix(".rs")
        for spec in facts.imports:
            if spec.kind == "crate":
                used.add(spec.spec)
                continue
            if spec.kind != "mod":
                continue
            directory = "/".join(p for p in (base, *spec.scope) if p)
            if spec.path_attr is not None:
                candidates = [
                    join(parent_dir(path) if not spec.scope else directory, spec.path_attr)
                ]
            else:
                prefix = f"{directory}/{spec.spec}" if directory else spec.spec
                candidates = [prefix + ".rs", prefix + "/mod.rs"]
            found = next((c for c in candidates if c is not None and repo.exists(c)), None)
            if found is None:
                out.note(f"{path}:{spec.line}: module {spec.spec} has no file in the checked tree")
            else:
                yield found

    return list(walk([root_file], modules)), used


def resolve_rust(
    repo: Repo, program: ProgramRef, imports: Mapping[str, FileImports]
) -> ProgramFiles:
    out = Collector()
    target = program.target.strip("/")
    if not repo.exists(target):
        out.note(f"{target} is not in the checked tree")
        return out.result()
    manifest = repo.nearest(parent_dir(target), ("Cargo.toml",))
    crates = _Crates(repo, out)
    files, used = _module_files(repo, target, imports, out)
    out.files.update(files)
    if manifest is None:
        out.note(f"no Cargo.toml above {target}: library crates are not followed")
        return out.result()
    pending = [(parent_dir(manifest), used, True)]
    done: set[str] = set()
    while pending:
        package_dir, names, is_bin = pending.pop()
        lib_name, lib_root, deps = crates.package(package_dir)
        linked: dict[str, tuple[str, str | None]] = {}  # crate name -> (package dir, lib root)
        if is_bin and lib_name is not None and lib_root is not None and lib_root != target:
            linked[lib_name] = (package_dir, lib_root)
        for crate_name, dep_dir in deps.items():
            linked[crate_name] = (dep_dir, crates.package(dep_dir)[1])
        for crate_name in sorted(names & linked.keys()):
            dep_dir, root_file = linked[crate_name]
            if root_file is None or root_file in done:
                continue
            done.add(root_file)
            lib_files, lib_used = _module_files(repo, root_file, imports, out)
            out.files.update(lib_files)
            pending.append((dep_dir, lib_used, False))
    return out.result()
