"""The env files a service's own code loads at start, mapped to repository files.

A program that loads dotenv (:mod:`envlint.servicecode.dotenv_loads`) reads files in its
container: ``.env`` in the working directory (a literal path relative to it), every directory
from the calling file's up to ``/`` (python-dotenv), every directory from the working directory
up to ``/`` (Rust's dotenv and dotenvy), or Rails' four files in the app root.  Each
container path is followed to the repository through the service's bind mounts and its
Dockerfile's COPY/ADD (:class:`~envlint.servicecode.entry_image.ImageView`), the build
context's ``.dockerignore`` excluding what it names.  A file that exists there gives its keys
(never its values); one that is absent but gitignored, a path that cannot be mapped, or a load
that may not run gives a *maybe*: the rules soften instead of staying silent.

Next.js loads ``.env.<mode>.local``, ``.env.local``, ``.env.<mode>`` and ``.env`` of its
project directory (the one holding ``next.config.*``) itself when its server starts (``next
start``/``dev`` and the standalone ``server.js``, which its build gives the files): their keys
are a *maybe* too, since whether a build's ``.dockerignore`` or the standalone copy carries
them into the image is not followed here.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

from envlint.compose.dotenv import parse_dotenv
from envlint.discovery import gitignore_spec, linear_pattern
from envlint.servicecode.dotenv_loads import DotenvLoad, extract_loads
from envlint.servicecode.entry_image import ImageView, container_join, is_under, relative_to
from envlint.servicecode.entrypoints import container_view
from envlint.servicecode.model import AppEnv, CodeMap, ServiceKey
from envlint.servicecode.repofiles import RepoFiles, join

if TYPE_CHECKING:
    from envlint.model import Location, Service, Workspace

__all__ = ["app_env", "dockerignore_excludes", "preload"]

_GEMFILES = ("Gemfile", "gems.rb")
_NEXT_CONFIGS = frozenset(f"next.config.{ext}" for ext in ("js", "mjs", "cjs", "ts"))
_PRELOAD = "dotenv/config"
_Found = tuple[Literal["file", "maybe", "absent"], str]


def app_env(
    ws: Workspace, code: CodeMap, loads: Iterable[DotenvLoad], max_bytes: int
) -> Mapping[ServiceKey, AppEnv]:
    """Per compose service whose code loads dotenv: what those files provide."""
    from envlint.filepass.parse import parse_file

    every = list(loads)
    nexts = [p for p in ws.files if posixpath.basename(p) in _NEXT_CONFIGS]
    for path in ws.files:
        if posixpath.basename(path) in _GEMFILES and code.owners(path):
            parsed = parse_file(str(ws.root), path, "ruby", max_bytes)
            if parsed is not None and b"dotenv" in parsed[0]:
                every.extend(extract_loads("ruby", parsed[1], parsed[0], path))
    repo = RepoFiles(ws.root)
    found: dict[ServiceKey, AppEnv] = {}
    for project, service in ws.services():
        if project.platform != "compose":
            continue
        key = (project.directory, project.stack, service.name)
        mine = [load for load in every if key in code.owners(load.path)]
        program = code.program(key)
        entrypoint = program.entrypoint if program is not None else None
        # the command the entrypoint resolution combined already (ENTRYPOINT + CMD, compose
        # keys winning): `node -r dotenv/config` there loads before the app
        command = preload(entrypoint.argv, service.location) if entrypoint is not None else None
        loads = [*mine, command] if command is not None else mine
        projects = [posixpath.dirname(p) for p in nexts if key in code.owners(p)]
        if loads or projects:
            argv = entrypoint.argv if entrypoint is not None else ()
            mode = "development" if _next_dev(argv) else "production"
            found[key] = _Service(repo, service, project.directory).env(loads, projects, mode)
    return MappingProxyType(found)


def _next_dev(argv: tuple[str, ...]) -> bool:
    """Whether the command runs ``next dev`` (also through ``npm run dev``-like scripts
    named ``dev``): Next.js then loads the development files."""
    words = [word for arg in argv for word in arg.split()]
    return "dev" in words


def preload(argv: tuple[str, ...], where: Location) -> DotenvLoad | None:
    """``node -r dotenv/config`` (``--require``) in a command: dotenv loads before the app, from
    ``dotenv_config_path=<path>`` when the command gives one, else ``.env`` in the cwd."""
    words = [word for arg in argv for word in arg.split()]
    loaded = False
    files: tuple[str, ...] = ()
    for at, word in enumerate(words):
        flag, _, value = word.partition("=")
        if flag in ("-r", "--require"):
            module = value or (words[at + 1] if at + 1 < len(words) else "")
            loaded = loaded or module.strip("'\"") == _PRELOAD
        elif flag == "dotenv_config_path" and value:
            files = (value.strip("'\""),)
    if not loaded:
        return None
    return DotenvLoad(where.path, where, f"node -r {_PRELOAD}", files)


@dataclass
class _Result:
    path: str = ""
    provided: frozenset[str] = frozenset()
    maybe: frozenset[str] = frozenset()
    any_key: bool = False
    filled: frozenset[str] = frozenset()

    def add(
        self,
        label: str,
        keys: frozenset[str] | None,
        certain: bool,
        filled: frozenset[str] = frozenset(),
    ) -> None:
        self.path = self.path or label
        if keys is None:
            self.any_key = True
        elif certain:
            self.provided |= keys
            self.filled |= filled
        else:
            self.maybe |= keys


class _Service:
    def __init__(self, repo: RepoFiles, service: Service, project_dir: str) -> None:
        self.repo = repo
        self.service = service
        view, cwd, dockerfile = container_view(service, repo, project_dir)
        self.view: ImageView = view
        self.cwd = cwd
        self.dockerfile = dockerfile

    def env(
        self, loads: list[DotenvLoad], nexts: Iterable[str] = (), mode: str = "production"
    ) -> AppEnv:
        """What the loads (a ``node -r dotenv/config`` in the command among them) provide,
        and what Next.js may load in its project directories ``nexts`` (see the module doc)."""
        result = _Result()
        for load in loads:
            self._load(load, result)
        for directory in nexts:
            for name in (f".env.{mode}.local", ".env.local", f".env.{mode}", ".env"):
                path = join(directory, name) if directory else name
                if path is not None and self.repo.is_file(path):
                    result.add(path, self._keys(path)[0], False)
        return AppEnv(result.path, result.provided, result.maybe, result.any_key, result.filled)

    def _load(self, load: DotenvLoad, result: _Result) -> None:
        certain = not load.conditional
        if load.search == "rails":
            env = self._rails_env()
            if load.groups and "default" not in load.groups:
                if env is None:
                    certain = False
                elif env not in load.groups:
                    return  # Bundler does not require the gem in this environment
        if load.files is None:
            where = f"named at {load.path}:{load.location.line}"
            result.add(where, None, False)  # a path envlint cannot read
            return
        if load.from_file:
            here = self._file_dir(load)
            for name in load.files:
                if here is None:
                    result.add(name, None, False)
                else:
                    self._target([container_join(here, name)], result, certain, load.overrides)
            return
        if self.cwd is None:
            result.add(load.files[0] if load.files else ".env", None, False)
            return
        if load.search == "rails":
            self._rails(load, result, certain)
            return
        if load.search == "upward":
            self._upward(load, result, certain)
            return
        if load.search == "parents":  # the first directory up from the cwd holding the file
            for name in load.files or (".env",):
                self._target(_climb(self.cwd, name), result, certain, load.overrides)
            return
        for name in load.files or (".env",):
            self._target([container_join(self.cwd, name)], result, certain, load.overrides)

    def _target(
        self, candidates: list[str], result: _Result, certain: bool, overrides: bool = False
    ) -> None:
        """The first candidate that exists in the container is the one loaded."""
        for path in candidates:
            kind, where = self._resolve(path)
            if kind == "file":
                keys, filled = self._keys(where)
                result.add(where, keys, certain, filled if overrides else frozenset())
                return
            if kind == "maybe":
                result.add(where, None, False)
                return

    def _upward(self, load: DotenvLoad, result: _Result, certain: bool) -> None:
        """python-dotenv's ``find_dotenv``: from the calling file's directory up to ``/``."""
        here = self._file_dir(load)
        if here is None:
            result.add(".env", None, False)  # where the calling file lands is not known
            return
        self._target(_climb(here, ".env"), result, certain, load.overrides)

    def _file_dir(self, load: DotenvLoad) -> str | None:
        """The container directory of the calling file: below the directory a bind mount or
        the image puts at the working directory."""
        directory = posixpath.dirname(load.path) or "."
        for mount in reversed(self.view.mounts):
            if is_under(directory, mount.source) or mount.source == ".":
                inside = directory if mount.source == "." else relative_to(directory, mount.source)
                return container_join(mount.target, inside)
        if self.cwd is None:
            return None
        found = self.view.repo_dir(self.cwd)
        if found is None:
            return None
        top = found[0]
        if top != "." and not is_under(directory, top):
            return None
        inside = directory if top == "." else relative_to(directory, top)
        return container_join(self.cwd, inside)

    def _rails(self, load: DotenvLoad, result: _Result, certain: bool) -> None:
        """dotenv's Rails files in the app root (the working directory holding the Gemfile)."""
        assert self.cwd is not None
        kind, where = self._resolve(container_join(self.cwd, posixpath.basename(load.path)))
        if kind != "file" or where != load.path:
            root = posixpath.dirname(load.path)
            label = f"{root}/.env" if root else ".env"
            result.add(label, None, False)  # the app root is not where the Gemfile lands
            return
        env = self._rails_env()
        names = [".env.local", ".env"]
        if env is None:
            result.any_key = True  # .env.<env>.local / .env.<env> of an unknown environment
        else:
            names = [f".env.{env}.local", *([".env.local"] if env != "test" else []),
                     f".env.{env}", ".env"]  # fmt: skip
        for name in names:
            self._target([container_join(self.cwd, name)], result, certain)

    def _rails_env(self) -> str | None:
        for name in ("RAILS_ENV", "RACK_ENV"):
            value = self.service.provides(name)
            if value is not None:
                known = value.value and not value.unresolved and not value.example
                return value.value if known else None
        return "development"

    def _resolve(self, path: str) -> _Found:
        """Where a container file comes from: a repository file, maybe one, or nowhere."""
        for mount in reversed(self.view.mounts):
            if is_under(path, mount.target):
                repo_path = join(mount.source, relative_to(path, mount.target))
                return self._present(repo_path, path)
        context = self.view.context
        for origin in self.view.origins(path):
            if origin.repo_path is not None:
                ignored = (
                    False if context is None else self._ignored_by_docker(context, origin.repo_path)
                )
                if ignored is None:
                    return "maybe", path  # a .dockerignore pattern too complex to match safely
                if ignored:
                    continue
                kind, where = self._present(origin.repo_path, path)
                if kind != "absent":
                    return kind, where
            elif origin.inline is not None or origin.image is not None:
                return "maybe", path  # written by a heredoc or copied from another image
            elif self.view.dockerfile is None:
                return "maybe", path  # an image envlint cannot read: the mapping is not known
        return "absent", path

    def _present(self, repo_path: str | None, path: str) -> _Found:
        if repo_path is None:
            return "maybe", path
        if self.repo.is_file(repo_path):
            return "file", repo_path
        if _gitignored(self.repo, repo_path):
            return "maybe", repo_path  # created locally, never committed: it would be carried
        return "absent", repo_path

    def _ignored_by_docker(self, context: str, repo_path: str) -> bool | None:
        if not is_under(repo_path, context) and context != ".":
            return False
        inside = relative_to(repo_path, context) if context != "." else repo_path
        texts = []
        if self.dockerfile is not None:  # BuildKit: <Dockerfile>.dockerignore wins
            texts.append(self.repo.read_text(self.dockerfile + ".dockerignore"))
        texts.append(self.repo.read_text(join(context, ".dockerignore") or ".dockerignore"))
        text = next((t for t in texts if t is not None), None)
        return False if text is None else dockerignore_excludes(text, inside)

    def _keys(self, repo_path: str) -> tuple[frozenset[str], frozenset[str]]:
        """The file's keys, and those whose (last) value is not empty (values are not kept)."""
        text = self.repo.read_text(repo_path)
        if text is None:
            return frozenset(), frozenset()
        parsed = parse_dotenv(text, repo_path, lambda _name: None)
        values = {entry.key: entry.value for entry in parsed.entries}
        return frozenset(values), frozenset(k for k, v in values.items() if v)


def _climb(here: str, name: str) -> list[str]:
    """``name`` in the container directory ``here`` and in each of its parents up to ``/``."""
    candidates = []
    while True:
        candidates.append(container_join(here, name))
        if here in ("/", ""):
            return candidates
        here = posixpath.dirname(here)


def dockerignore_excludes(text: str, path: str) -> bool | None:
    """Whether a ``.dockerignore`` excludes ``path`` (relative to the context) from the build
    context: each line a pattern (Go ``filepath.Match`` plus ``**``), ``!`` re-includes, the
    last matching line decides, and a pattern matching a parent directory matches the file.
    None: a pattern could take Python's regex engine exponential time (the file comes from the
    checked repository, like a ``.gitignore``): not matched, the answer is not known."""
    excluded = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if not linear_pattern(line):
            return None
        negate = line.startswith("!")
        pattern = posixpath.normpath(line[1:].strip() if negate else line).lstrip("/")
        if not pattern or pattern == ".":
            continue
        regex = _pattern(pattern)
        parts = path.split("/")
        if any(regex.fullmatch("/".join(parts[:n])) for n in range(1, len(parts) + 1)):
            excluded = not negate
    return excluded


@cache
def _pattern(pattern: str) -> re.Pattern[str]:
    """A ``.dockerignore`` pattern as a regular expression (moby's patternmatcher)."""
    out: list[str] = []
    at = 0
    while at < len(pattern):
        ch = pattern[at]
        if pattern.startswith("**", at):
            at += 2
            if pattern.startswith("/", at):
                out.append("(?:.*/)?")
                at += 1
            else:
                out.append(".*")
            continue
        if ch == "*":
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "\\" and at + 1 < len(pattern):
            at += 1
            out.append(re.escape(pattern[at]))
        elif ch == "[":
            end = pattern.find("]", at + 1)
            if end < 0:
                out.append(re.escape(ch))
            else:
                body = pattern[at + 1 : end]
                body = "^" + body[1:] if body.startswith("^") else body
                out.append("[" + body.replace("\\", "\\\\") + "]")
                at = end
        else:
            out.append(re.escape(ch))
        at += 1
    return re.compile("".join(out), re.DOTALL)


def _gitignored(repo: RepoFiles, path: str) -> bool:
    """Whether a ``.gitignore`` on the way to ``path`` ignores it (the deepest decides),
    matched as discovery matches them (patterns too complex for Python's engine go to RE2)."""
    parts = path.split("/")
    decided = False
    for depth in range(len(parts)):
        base = "/".join(parts[:depth])
        text = repo.read_text(join(base, ".gitignore") or ".gitignore")
        spec = gitignore_spec(text.splitlines()) if text is not None else None
        result = spec.check("/".join(parts[depth:])) if spec is not None else None
        if result is not None:
            decided = result
    return decided
