"""Go: the packages a main package links, by import graph within the module.

* The main module is the nearest ``go.mod`` above the program's directory; more modules come
  from its ``replace`` directives to local directories and from a ``go.work`` above it (``use``
  and local ``replace``).  Replaces inside other modules' go.mod files are ignored, as ``go``
  ignores them.
* A package is the ``.go`` files of one directory, without ``_test.go`` files, files whose name
  says another OS (``x_windows.go``, ``x_darwin_arm64.go``) and files whose ``//go:build``
  constraint is false for a Linux build (``ignore``, another OS; architecture, ``cgo`` and
  custom tags are unknown and keep the file).
* Imports inside one of those modules are followed transitively; a path that falls inside a
  nested module (a directory with its own go.mod that nothing replaces) is that module's
  published version, not this code: it is not followed (a note says so).  Everything else is
  the standard library or a dependency.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from envlint.servicecode._graphbase import Collector, ProgramFiles, Repo, join, parent_dir
from envlint.servicecode.buildfiles import parse_gomod

if TYPE_CHECKING:
    from collections.abc import Mapping

    from envlint.servicecode.imports import FileImports
    from envlint.servicecode.model import ProgramRef

__all__ = ["constraint_holds", "package_dir", "resolve_go"]

_OSES = frozenset(
    [
        "aix",
        "android",
        "darwin",
        "dragonfly",
        "freebsd",
        "hurd",
        "illumos",
        "ios",
        "js",
        "linux",
        "nacl",
        "netbsd",
        "openbsd",
        "plan9",
        "solaris",
        "wasip1",
        "windows",
        "zos",
    ]
)
_ARCHES = frozenset(
    [
        "386",
        "amd64",
        "amd64p32",
        "arm",
        "armbe",
        "arm64",
        "arm64be",
        "loong64",
        "mips",
        "mipsle",
        "mips64",
        "mips64le",
        "mips64p32",
        "mips64p32le",
        "ppc",
        "ppc64",
        "ppc64le",
        "riscv",
        "riscv64",
        "s390",
        "s390x",
        "sparc",
        "sparc64",
        "wasm",
    ]
)


def _tag(tag: str) -> bool | None:
    """A build tag's value for a Linux container build (None: unknown)."""
    if tag in ("linux", "unix", "gc") or tag.startswith("go1."):
        return True
    if tag in _OSES or tag in ("ignore", "gccgo"):
        return False
    return None  # architecture, cgo, custom -tags


def constraint_holds(expression: str) -> bool | None:
    """Evaluate a ``//go:build`` expression (Kleene logic over :func:`_tag`); None: unknown,
    also for an expression that does not parse."""
    tokens: list[str] = []
    i = 0
    while i < len(expression):
        ch = expression[i]
        if ch.isspace():
            i += 1
        elif expression.startswith(("&&", "||"), i):
            tokens.append(expression[i : i + 2])
            i += 2
        elif ch in "()!":
            tokens.append(ch)
            i += 1
        else:
            j = i
            while j < len(expression) and (expression[j].isalnum() or expression[j] in "_."):
                j += 1
            if j == i:
                return None
            tokens.append(expression[i:j])
            i = j
    position = 0

    def peek() -> str | None:
        return tokens[position] if position < len(tokens) else None

    def take() -> str:
        nonlocal position
        if position >= len(tokens):
            raise ValueError("unexpected end")
        position += 1
        return tokens[position - 1]

    def either() -> bool | None:
        value = both()
        while peek() == "||":
            take()
            right = both()
            value = (
                True
                if value is True or right is True
                else (None if None in (value, right) else False)
            )
        return value

    def both() -> bool | None:
        value = unary()
        while peek() == "&&":
            take()
            right = unary()
            value = (
                False
                if value is False or right is False
                else (None if None in (value, right) else True)
            )
        return value

    def unary() -> bool | None:
        token = take()
        if token == "!":
            inner = unary()
            return None if inner is None else not inner
        if token == "(":
            inner = either()
            if take() != ")":
                raise ValueError("missing )")
            return inner
        if token in ("&&", "||", ")"):
            raise ValueError(f"unexpected {token}")
        return _tag(token)

    try:
        result = either()
    except ValueError:
        return None
    return result if position == len(tokens) else None


def _name_excluded(path: str) -> bool:
    """``x_windows.go`` / ``x_darwin_amd64.go``: built only for that OS (not Linux)."""
    stem = path.rpartition("/")[2].removesuffix(".go")
    parts = stem.split("_")[1:]  # the first element never counts (``windows.go`` is plain)
    if parts and parts[-1] in _ARCHES:
        parts = parts[:-1]
    return bool(parts) and parts[-1] in _OSES and parts[-1] != "linux"


class _Modules:
    """Module path -> directory for the main module, its local replaces and go.work."""

    def __init__(self) -> None:
        self.dirs: dict[str, str] = {}
        self.roots: set[str] = set()  # directories that hold a go.mod we know of


def _read_mod(repo: Repo, path: str, out: Collector) -> str | None:
    """The module path of a go.mod, or None (with a note)."""
    data = repo.read(path)
    if data is None:
        out.note(f"{path} could not be read")
        return None
    parsed = parse_gomod(data.decode("utf-8", "replace"))
    if parsed.module is None:
        out.note(f"{path} has no module line")
    return parsed.module


def _modules(repo: Repo, gomod: str, out: Collector) -> _Modules:
    mods = _Modules()
    main_dir = parent_dir(gomod)
    data = repo.read(gomod)
    parsed = parse_gomod(data.decode("utf-8", "replace")) if data is not None else None
    if parsed is None or parsed.module is None:
        out.note(f"{gomod} could not be read or has no module line: imports are not followed")
        return mods
    for error in parsed.errors:
        out.note(f"{gomod}: {error}", incomplete=False)
    mods.dirs[parsed.module] = main_dir
    mods.roots.add(main_dir)
    replaces = list(parsed.local_replaces)
    base_of = dict.fromkeys((old for old, _ in replaces), main_dir)

    work = repo.nearest(main_dir, ("go.work",))
    if work is not None:
        work_data = repo.read(work)
        if work_data is not None:
            work_dir = parent_dir(work)
            work_file = parse_gomod(work_data.decode("utf-8", "replace"))
            for use in work_file.uses:
                directory = join(work_dir, use)
                if directory is None:
                    out.note(f"{work}: use {use} is outside the checked directory")
                    continue
                mod_path = _read_mod(repo, f"{directory}/go.mod" if directory else "go.mod", out)
                if mod_path is not None:
                    mods.dirs.setdefault(mod_path, directory)
                    mods.roots.add(directory)
            for old, new in work_file.local_replaces:
                replaces.append((old, new))
                base_of.setdefault(old, work_dir)

    for old, new in replaces:
        directory = join(base_of.get(old, main_dir), new)
        if directory is None or not repo.exists(f"{directory}/go.mod" if directory else "go.mod"):
            out.note(f"replace {old} => {new}: no go.mod there in the checked directory")
            continue
        mods.dirs[old] = directory
        mods.roots.add(directory)
    return mods


def _package_dir(mods: _Modules, import_path: str) -> tuple[str, str] | None:
    """(module path, directory) of an import inside a known module (longest module first)."""
    best: str | None = None
    for module in mods.dirs:
        if (import_path == module or import_path.startswith(module + "/")) and (
            best is None or len(module) > len(best)
        ):
            best = module
    if best is None:
        return None
    rest = import_path[len(best) + 1 :]
    base = mods.dirs[best]
    directory = f"{base}/{rest}" if base and rest else (base or rest)
    return best, directory


def _nested_module(repo: Repo, mods: _Modules, module_dir: str, directory: str) -> str | None:
    """A go.mod between ``module_dir`` (exclusive) and ``directory`` (inclusive), if any."""
    current = directory
    while current != module_dir and current:
        if current not in mods.roots and repo.exists(f"{current}/go.mod"):
            return f"{current}/go.mod"
        current = parent_dir(current)
    return None


def package_dir(repo: Repo, directory: str, import_path: str) -> str | None:
    """The directory of the package ``import_path`` as the code in ``directory`` imports it:
    within its module (the nearest go.mod), a local ``replace`` or a go.work module; None for
    the standard library, a dependency, or a nested module's published version."""
    gomod = repo.nearest(directory, ("go.mod",))
    if gomod is None:
        return None
    mods = _modules(repo, gomod, Collector())
    found = _package_dir(mods, import_path)
    if found is None or _nested_module(repo, mods, mods.dirs[found[0]], found[1]) is not None:
        return None
    return found[1]


def _package_files(
    repo: Repo, directory: str, imports: Mapping[str, FileImports]
) -> tuple[list[str], list[str]]:
    """(files built into the package on Linux, files excluded by build constraints)."""
    kept: list[str] = []
    excluded: list[str] = []
    for path in repo.in_dir(directory):
        if not path.endswith(".go") or path.endswith("_test.go"):
            continue
        facts = imports.get(path)
        constraint = facts.build_constraint if facts is not None else None
        if _name_excluded(path) or (
            constraint is not None and constraint_holds(constraint) is False
        ):
            excluded.append(path)
        else:
            kept.append(path)
    return kept, excluded


def resolve_go(repo: Repo, program: ProgramRef, imports: Mapping[str, FileImports]) -> ProgramFiles:
    out = Collector()
    start = program.target.strip("/")
    start = "" if start == "." else start
    if start.endswith(".go") and repo.exists(start):
        start = parent_dir(start)
    first, _ = _package_files(repo, start, imports)
    if not first:
        out.note(f"{start or '.'} holds no Go files that build on Linux")
        return out.result()

    gomod = repo.nearest(start, ("go.mod",))
    mods = _Modules()
    if gomod is None:
        out.note(f"no go.mod above {start or '.'}: imports inside the repository are not followed")
    else:
        mods = _modules(repo, gomod, out)

    packages = [start]
    seen = {start}
    while packages:
        directory = packages.pop()
        files, _ = _package_files(repo, directory, imports)
        out.files.update(files)
        out.unparsed(files, imports)
        if directory == start:
            names = {imports[f].package for f in files if f in imports}
            if names and "main" not in names:
                out.note(
                    f"{start or '.'} is package {min(n for n in names if n)}, not main",
                    incomplete=False,
                )
        for path in files:
            facts = imports.get(path)
            if facts is None:
                continue
            for spec in facts.imports:
                found = _package_dir(mods, spec.spec)
                if found is None:
                    continue  # the standard library or a dependency
                module, target = found
                if target in seen:
                    continue
                seen.add(target)
                nested = _nested_module(repo, mods, mods.dirs[module], target)
                if nested is not None:
                    out.note(
                        f"{spec.spec} (imported in {path}) is inside the separate module of "
                        f"{nested}, which is not replaced by the local copy: not followed",
                        incomplete=False,
                    )
                    continue
                if not _package_files(repo, target, imports)[0]:
                    out.note(
                        f"{spec.spec} (imported in {path}) has no Go files in {target or '.'} "
                        "(generated or not checked in?)"
                    )
                    continue
                packages.append(target)
    return out.result()
