"""JavaScript/TypeScript: the files reached from the entry by import/require.

Followed from each reached file's facts: static imports, ``export ... from`` re-exports,
``require("x")`` / ``import x = require("x")`` and ``import("x")`` with a literal specifier (a
computed one is a note).  Type-only imports link nothing and are not followed.

A specifier resolves, in order, as:

1. relative (``./x``, ``../x``): the file, then with an extension (``.ts .tsx .mts .cts .js
   .jsx .mjs .cjs``; a written ``.js`` also tries ``.ts``/``.tsx`` as TypeScript's ESM
   convention does), then ``x/index.*``, then ``x/package.json``'s entry;
2. package ``imports`` (``#x``) of the nearest package.json;
3. ``compilerOptions.paths`` / ``baseUrl`` of the nearest tsconfig.json / jsconfig.json (JSONC:
   comments and trailing commas; ``extends`` to a relative file followed one level, ``paths``
   relative to ``baseUrl`` or else to the file that declares them);
4. a workspace package by name (``workspaces`` of the root package.json, array or
   ``{packages}``, or ``pnpm-workspace.yaml``): ``exports`` (``source``/``development``/
   ``import``/``require``/``node``/``default`` conditions), ``source``, ``main``, ``module``,
   then ``index.*``; a built entry (``dist/index.js``) is mapped back to the source through the
   package's tsconfig ``outDir``/``rootDir``, else ``dist|build|lib|out/`` -> ``src/`` when that
   file exists (a note says so);
5. anything else is a dependency or a Node built-in (not followed).

A ``js-entry`` that names a directory or a framework config file (``next.config.js``,
``nuxt.config.ts``, ``vite.config.ts``, ...) has no single entry: the entries are every source
file under the root's ``pages/``, ``app/``, ``src/`` and ``server/`` directories, plus
``middleware.*`` / ``instrumentation.*`` and the config itself, and their imports are followed
from there (routes are files in those frameworks).  A directory without any of those falls back
to its package.json entry, else to every source file under it (incomplete, with a note).

A program that is a whole directory (a dev server such as ``vite`` serving a package) leaves out
the configuration files of other tools (``openapi-ts.config.ts``, ``drizzle.config.ts``,
``jest.config.js``, ``codegen.ts``: :func:`without_tool_configs`), which only those tools' own
command lines load, unless a file of the program imports one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from envlint.filepass.languages import language_of
from envlint.servicecode._graphbase import (
    Collector,
    ProgramFiles,
    Repo,
    glob_regex,
    join,
    parent_dir,
    walk,
)
from envlint.sources.appsettings import load_json_lenient

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping

    from envlint.servicecode.imports import FileImports
    from envlint.servicecode.model import ProgramRef

__all__ = ["pnpm_workspace_globs", "resolve_js", "without_tool_configs"]

_EXTENSIONS = (".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs")
_JS_TO_TS = {".js": (".ts", ".tsx"), ".jsx": (".tsx",), ".mjs": (".mts",), ".cjs": (".cts",)}
_FOLLOWED = frozenset({"import", "reexport", "require", "dynamic"})
_CONDITIONS = ("source", "development", "import", "require", "node", "module", "default")
_UNANALYSED = (".vue", ".svelte", ".astro")
_FRAMEWORK_CONFIGS = ("next", "nuxt", "vite", "svelte", "astro", "remix", "gatsby-config")
_ROUTE_DIRS = ("pages", "app", "src", "server")
_ROOT_FILES = ("middleware", "instrumentation")
_BUILD_DIRS = ("dist", "build", "lib", "out")
# tools whose configuration file (``<tool>.config.ts``) only the tool's own command line loads:
# code generators, ORM and migration CLIs, test runners, library bundlers, docs, release and
# git-hook tools (not linters or CSS tools, which a dev server's plugins may load)
_TOOL_CONFIGS = frozenset(
    (
        "openapi-ts", "orval", "kubb", "codegen", "drizzle", "jest", "vitest",
        "playwright", "cypress", "wdio", "karma", "tsup", "typedoc", "release", "commitlint",
        "lint-staged", "knip",
    )
)  # fmt: skip
# such files named without ``.config`` (graphql-codegen's codegen.ts, knex's knexfile.js)
_TOOL_FILES = frozenset(("codegen", "knexfile"))
_MAX_NESTING = 16  # exports/imports condition objects nested deeper are not followed


def _is_relative(spec: str) -> bool:
    return spec in (".", "..") or spec.startswith(("./", "../"))


class _Resolver:
    def __init__(self, repo: Repo, out: Collector) -> None:
        self.repo = repo
        self.out = out
        self._tsconfigs: dict[str, _TsConfig | None] = {}
        self._packages: dict[str, str] | None = None  # workspace package name -> directory
        self._entering: set[tuple[str, str]] = set()  # package entries being resolved (cycles)
        self.mapped: list[str] = []

    # -- files -----------------------------------------------------------------------------

    def file_or_dir(self, base: str) -> str | None:
        repo = self.repo
        if repo.exists(base) and language_of(base) is not None:
            return base
        dot = base.rfind(".")
        suffix = base[dot:] if dot > base.rfind("/") else ""
        if suffix in _JS_TO_TS:
            stem = base[:dot]
            for ext in _JS_TO_TS[suffix]:
                if repo.exists(stem + ext):
                    return stem + ext
        for ext in _EXTENSIONS:
            if repo.exists(base + ext):
                return base + ext
        prefix = base + "/" if base else ""
        for ext in _EXTENSIONS:
            if repo.exists(f"{prefix}index{ext}"):
                return f"{prefix}index{ext}"
        if repo.exists(f"{prefix}package.json"):
            return self.package_entry(base, "")
        return None

    # -- package.json ----------------------------------------------------------------------

    def _manifest(self, directory: str) -> dict[str, object] | None:
        path = f"{directory}/package.json" if directory else "package.json"
        data = self.repo.read(path)
        parsed = load_json_lenient(data) if data is not None else None
        return parsed if isinstance(parsed, dict) else None

    def package_entry(self, directory: str, subpath: str) -> str | None:
        """A local package's file for ``subpath`` ("" = the package itself)."""
        key = (directory, subpath)
        if key in self._entering:  # "main" pointing back into a package being resolved
            return None
        self._entering.add(key)
        try:
            return self._package_entry(directory, subpath)
        finally:
            self._entering.discard(key)

    def _package_entry(self, directory: str, subpath: str) -> str | None:
        manifest = self._manifest(directory) or {}
        exports = manifest.get("exports")
        key = "./" + subpath if subpath else "."
        target = _export_target(exports, key)
        candidates: list[str] = []
        if target is not None:
            candidates.append(target)
        if not subpath:
            for field in ("source", "main", "module"):
                value = manifest.get(field)
                if isinstance(value, str):
                    candidates.append(value)
        else:
            candidates.append(subpath)
        for candidate in candidates:
            base = join(directory, candidate)
            if base is None:
                continue
            found = self.file_or_dir(base) if base != directory else None
            if found is not None:
                return found
            mapped = self.from_build_output(directory, base)
            if mapped is not None:
                return mapped
        if not subpath:
            for ext in _EXTENSIONS:
                for stem in ("index", "src/index"):
                    path = f"{directory}/{stem}{ext}" if directory else f"{stem}{ext}"
                    if self.repo.exists(path):
                        return path
        return None

    def from_build_output(self, directory: str, built: str) -> str | None:
        """The source of a built file (``dist/index.js`` -> ``src/index.ts``)."""
        rel = built[len(directory) + 1 :] if directory else built
        config = self.tsconfig(directory)
        if config is not None and config.out_dir is not None:
            out_dir, root_dir = config.out_dir, config.root_dir or config.directory
            if built == out_dir or built.startswith(out_dir + "/"):
                rest = built[len(out_dir) + 1 :]
                source = self.file_or_dir(join(root_dir, rest) or rest)
                if source is not None:
                    return source
        top, _, rest = rel.partition("/")
        if top in _BUILD_DIRS and rest:
            guess = join(directory, "src/" + rest)
            source = self.file_or_dir(guess) if guess is not None else None
            if source is not None:
                self.out.note(
                    f"{built} (not in the tree) was taken to be built from {source}",
                    incomplete=False,
                )
                return source
        return None

    def _imports_field(self, importer: str, spec: str) -> str | bool | None:
        """Package ``imports`` (``#x``): a file, None (declared, not found), False (not one)."""
        manifest_path = self.repo.nearest(parent_dir(importer), ("package.json",))
        if manifest_path is None:
            return False
        directory = parent_dir(manifest_path)
        manifest = self._manifest(directory) or {}
        table = manifest.get("imports")
        target = _export_target(table, spec) if isinstance(table, dict) else None
        if target is None:
            return False
        base = join(directory, target)
        return self.file_or_dir(base) if base is not None else None

    # -- workspaces ------------------------------------------------------------------------

    def workspace_packages(self, start: str) -> dict[str, str]:
        if self._packages is not None:
            return self._packages
        packages: dict[str, str] = {}
        directory: str | None = start
        while directory is not None:
            globs = self._workspace_globs(directory)
            if globs:
                packages = self._match_packages(directory, globs)
                break
            directory = parent_dir(directory) if directory else None
        self._packages = packages
        return packages

    def _workspace_globs(self, directory: str) -> list[str]:
        manifest = self._manifest(directory) or {}
        workspaces = manifest.get("workspaces")
        if isinstance(workspaces, dict):
            workspaces = workspaces.get("packages")
        globs = (
            [g for g in workspaces if isinstance(g, str)] if isinstance(workspaces, list) else []
        )
        pnpm = f"{directory}/pnpm-workspace.yaml" if directory else "pnpm-workspace.yaml"
        data = self.repo.read(pnpm)
        if data is not None:
            globs.extend(pnpm_workspace_globs(data))
        return globs

    def _match_packages(self, root: str, globs: list[str]) -> dict[str, str]:
        include = [
            glob_regex(g.strip("/").removeprefix("./")) for g in globs if not g.startswith("!")
        ]
        exclude = [
            glob_regex(g[1:].strip("/").removeprefix("./")) for g in globs if g.startswith("!")
        ]
        packages: dict[str, str] = {}
        for path in self.repo.under(root):
            if not path.endswith("/package.json"):
                continue
            directory = parent_dir(path)
            rel = directory[len(root) + 1 :] if root else directory
            if not any(r.match(rel) for r in include) or any(r.match(rel) for r in exclude):
                continue
            name = (self._manifest(directory) or {}).get("name")
            if isinstance(name, str):
                packages.setdefault(name, directory)
        return packages

    # -- tsconfig --------------------------------------------------------------------------

    def tsconfig(self, directory: str) -> _TsConfig | None:
        if directory in self._tsconfigs:
            return self._tsconfigs[directory]
        path = self.repo.nearest(directory, ("tsconfig.json", "jsconfig.json"))
        config = _load_tsconfig(self.repo, path, self.out) if path is not None else None
        self._tsconfigs[directory] = config
        return config

    # -- specifiers ------------------------------------------------------------------------

    def resolve(self, importer: str, spec: str) -> str | bool | None:
        """A file, None (looks local but was not found) or False (a dependency/built-in)."""
        if spec.endswith(_UNANALYSED):
            self.out.note(
                f"{importer} imports {spec}: .vue/.svelte/.astro components are not analysed",
                incomplete=False,
            )
            return False
        if _is_relative(spec):
            base = join(parent_dir(importer), spec)
            if base is None:
                return None
            found = self.file_or_dir(base)
            if found is None and self.repo.exists(base):
                return False  # an asset (.json, .css, ...)
            return found
        if spec.startswith("#"):
            return self._imports_field(importer, spec)
        config = self.tsconfig(parent_dir(importer))
        alias = False  # a non-catch-all ``paths`` pattern matched: the file should be here
        if config is not None:
            matched = config.match(spec)
            if matched is not None:
                alias = matched[0] != "*"
                for candidate in matched[1]:
                    found = self.file_or_dir(candidate)
                    if found is not None:
                        return found
                    if self.repo.exists(candidate):
                        return False
            if config.base_url is not None:
                base = join(config.base_url, spec)
                found = self.file_or_dir(base) if base is not None else None
                if found is not None:
                    return found
        packages = self.workspace_packages(parent_dir(importer))
        name, subpath = _split_package(spec)
        if name in packages:
            return self.package_entry(packages[name], subpath)
        return None if alias else False


class _TsConfig:
    def __init__(self, directory: str) -> None:
        self.directory = directory
        self.base_url: str | None = None
        self.paths: list[tuple[str, list[str]]] = []
        self.paths_base = directory
        self.out_dir: str | None = None
        self.root_dir: str | None = None

    def match(self, spec: str) -> tuple[str, list[str]] | None:
        """The longest ``paths`` pattern matching ``spec`` and its candidate paths."""
        best: tuple[int, str, list[str]] | None = None
        for pattern, targets in self.paths:
            star = pattern.find("*")
            if star < 0:
                if spec == pattern and (best is None or len(pattern) + 1 > best[0]):
                    best = (len(pattern) + 1, pattern, [t for t in targets if "*" not in t])
                continue
            prefix, suffix = pattern[:star], pattern[star + 1 :]
            fits = spec.startswith(prefix) and spec.endswith(suffix)
            if fits and len(spec) >= len(prefix) + len(suffix):
                captured = spec[len(prefix) : len(spec) - len(suffix)]
                if best is None or len(prefix) > best[0]:
                    best = (len(prefix), pattern, [t.replace("*", captured) for t in targets])
        if best is None:
            return None
        joined = (join(self.paths_base, target) for target in best[2])
        return best[1], [path for path in joined if path is not None]


def _options(repo: Repo, path: str) -> tuple[dict[str, object], object] | None:
    data = repo.read(path)
    parsed = load_json_lenient(data) if data is not None else None
    if not isinstance(parsed, dict):
        return None
    options = parsed.get("compilerOptions")
    return (options if isinstance(options, dict) else {}), parsed.get("extends")


def _load_tsconfig(repo: Repo, path: str, out: Collector) -> _TsConfig | None:
    loaded = _options(repo, path)
    if loaded is None:
        out.note(f"{path} could not be read as JSON: its paths/baseUrl are not used")
        return None
    directory = parent_dir(path)
    layers: list[tuple[str, dict[str, object]]] = []
    options, extends = loaded
    for base in (
        [extends] if isinstance(extends, str) else (extends if isinstance(extends, list) else [])
    ):
        if not isinstance(base, str) or not _is_relative(base):
            continue  # a package's tsconfig (node_modules): no paths of this repository
        base_path = join(directory, base)
        if base_path is not None and not base_path.endswith(".json"):
            base_path += ".json"
        base_loaded = _options(repo, base_path) if base_path is not None else None
        if base_path is None or base_loaded is None:
            out.note(f"{path} extends {base}, which could not be read")
            continue
        layers.append((parent_dir(base_path), base_loaded[0]))
    layers.append((directory, options))
    config = _TsConfig(directory)
    for layer_dir, layer in layers:  # later layers (the file itself) win
        base_url = layer.get("baseUrl")
        if isinstance(base_url, str):
            config.base_url = join(layer_dir, base_url)
        paths = layer.get("paths")
        if isinstance(paths, dict):
            config.paths = [
                (pattern, [t for t in targets if isinstance(t, str)])
                for pattern, targets in paths.items()
                if isinstance(targets, list)
            ]
            config.paths_base = layer_dir
        for key in ("outDir", "rootDir"):
            value = layer.get(key)
            if isinstance(value, str):
                setattr(
                    config, "out_dir" if key == "outDir" else "root_dir", join(layer_dir, value)
                )
    if config.paths and config.base_url is not None:
        config.paths_base = config.base_url
    return config


def _export_target(exports: object, key: str, depth: int = 0) -> str | None:
    """The file an ``exports``/``imports`` map gives for ``key`` (conditions in our order)."""
    if isinstance(exports, str):
        return exports if key == "." else None
    if isinstance(exports, list) and depth < _MAX_NESTING:
        for item in exports:
            found = _export_target(item, key, depth + 1)
            if found is not None:
                return found
        return None
    if not isinstance(exports, dict):
        return None
    keys = [k for k in exports if isinstance(k, str)]
    if keys and all(not k.startswith((".", "#")) for k in keys):  # a conditions object
        return _condition(exports) if key == "." else None
    if key in exports:
        return _condition(exports[key])
    for pattern in sorted(keys, key=len, reverse=True):
        star = pattern.find("*")
        if star >= 0 and key.startswith(pattern[:star]) and key.endswith(pattern[star + 1 :]):
            captured = key[star : len(key) - (len(pattern) - star - 1)]
            target = _condition(exports[pattern])
            return target.replace("*", captured) if target is not None else None
    return None


def _condition(value: object, depth: int = 0) -> str | None:
    if isinstance(value, str):
        return value
    if depth >= _MAX_NESTING:
        return None
    if isinstance(value, list):
        for item in value:
            found = _condition(item, depth + 1)
            if found is not None:
                return found
    if isinstance(value, dict):
        for condition in _CONDITIONS:
            if condition in value:
                found = _condition(value[condition], depth + 1)
                if found is not None:
                    return found
    return None


def _split_package(spec: str) -> tuple[str, str]:
    parts = spec.split("/")
    count = 2 if spec.startswith("@") else 1
    return "/".join(parts[:count]), "/".join(parts[count:])


def pnpm_workspace_globs(data: bytes) -> list[str]:
    """The ``packages`` patterns of a pnpm-workspace.yaml (``data``: its bytes)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        document = YAML(typ="safe", pure=True).load(data.decode("utf-8", "replace"))
    except (YAMLError, ValueError):
        return []
    packages = document.get("packages") if isinstance(document, dict) else None
    return [g for g in packages if isinstance(g, str)] if isinstance(packages, list) else []


def _framework_entries(repo: Repo, root: str) -> list[str]:
    prefix = root + "/" if root else ""
    entries: list[str] = []
    for directory in _ROUTE_DIRS:
        entries.extend(p for p in repo.sources_under(prefix + directory) if p.endswith(_EXTENSIONS))
    for stem in _ROOT_FILES:
        for base in (prefix + stem, prefix + "src/" + stem):
            entries.extend(base + ext for ext in _EXTENSIONS if repo.exists(base + ext))
    return entries


def _is_framework_config(path: str) -> bool:
    name = path.rpartition("/")[2]
    stem = name.split(".", 1)[0]
    return stem in _FRAMEWORK_CONFIGS and (".config." in name or stem == "gatsby-config")


def _tool_config(path: str) -> str | None:
    """The tool whose configuration file ``path`` is (``openapi-ts`` for
    ``openapi-ts.config.ts``, ``vitest`` for ``vitest.config.e2e.mts``), None for other files."""
    name = path.rpartition("/")[2]
    base, _, extension = name.rpartition(".")
    if not base or "." + extension not in _EXTENSIONS:
        return None
    parts = base.split(".")
    if "config" in parts[1:]:
        tool = ".".join(parts[: parts.index("config", 1)])
        return tool if tool in _TOOL_CONFIGS else None
    return base if base in _TOOL_FILES else None


def without_tool_configs(
    repo: Repo, files: Iterable[str], imports: Mapping[str, FileImports], out: Collector
) -> set[str]:
    """``files`` (a directory's, taken as one program) without the configuration files of
    other tools (see the module doc) that none of the others imports (a note names them)."""
    kept = set(files)
    configs = {path for path in kept if _tool_config(path) is not None}
    if not configs:
        return kept
    kept -= configs
    scratch = Collector()  # the imports' own notes are not the directory program's
    resolver = _Resolver(repo, scratch)
    reached = walk(sorted(kept), lambda path: _imported(resolver, imports, scratch, path))
    imported = configs.intersection(reached)
    left = sorted(configs - imported)
    if left:
        tools = sorted({tool for path in left if (tool := _tool_config(path)) is not None})
        out.note(
            f"{', '.join(left)}: the configuration of {', '.join(tools)}, which only "
            f"{'that tool loads' if len(tools) == 1 else 'those tools load'}, left out",
            incomplete=False,
        )
    return kept | imported


def _entries(repo: Repo, resolver: _Resolver, target: str, out: Collector) -> Iterable[str]:
    if repo.exists(target) and not _is_framework_config(target):
        return [target]
    root = parent_dir(target) if repo.exists(target) else target
    if root and not repo.is_dir(root):
        manifest = repo.nearest(parent_dir(target), ("package.json",))
        package = parent_dir(manifest) if manifest is not None else ""
        source = (
            resolver.from_build_output(package, target) if target.endswith(_EXTENSIONS) else None
        )
        if source is not None:
            return [source]
        out.note(f"{target} is not in the checked tree")
        return []
    entries = _framework_entries(repo, root)
    if repo.exists(target):
        entries.append(target)
    if entries:
        out.note(
            f"{root or '.'} has no single entry: the files under pages/, app/, src/ and server/ "
            "(and middleware/instrumentation) were taken as entries",
            incomplete=False,
        )
        return entries
    entry = (
        resolver.package_entry(root, "")
        if repo.exists(f"{root}/package.json" if root else "package.json")
        else None
    )
    if entry is not None:
        return [entry]
    out.note(f"{root or '.'}: no entry file found: every source file under it was taken")
    return [p for p in repo.sources_under(root) if p.endswith(_EXTENSIONS)]


def _imported(
    resolver: _Resolver, imports: Mapping[str, FileImports], out: Collector, path: str
) -> Iterator[str]:
    """The files that ``path`` imports (a note for each import that is not found)."""
    facts = out.imports_of(path, imports, "an import or require with a computed specifier")
    if facts is None:
        return
    for spec in facts.imports:
        if spec.kind not in _FOLLOWED:
            continue
        found = resolver.resolve(path, spec.spec)
        if found is None:
            out.note(f"{path}:{spec.line}: {spec.spec!r} was not found in the checked tree")
        elif isinstance(found, str):
            yield found


def resolve_js(repo: Repo, program: ProgramRef, imports: Mapping[str, FileImports]) -> ProgramFiles:
    out = Collector()
    resolver = _Resolver(repo, out)
    target = program.target.strip("/")
    entries = _entries(repo, resolver, "" if target == "." else target, out)
    out.files.update(walk(entries, lambda path: _imported(resolver, imports, out, path)))
    return out.result()
