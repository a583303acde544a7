"""Where a path inside a container comes from: the repository, a build stage, or a mount.

:class:`ImageView` follows a Dockerfile's ``COPY`` / ``ADD`` instructions backwards, the way
BuildKit lays files down: the latest instruction that writes a path decides; ``--from=<stage>``
continues in that stage; a path that no instruction writes was produced in the stage itself (by a
``RUN``) or comes from the base image.  A base image this repository builds is part of the chain
(:attr:`~envlint.compose.dockerfile.Dockerfile.bases`): its COPY sources are read from its own
build context.  Compose bind mounts (``./src:/app/src``) hide whatever the image holds at their
target.

Copy semantics (Dockerfile reference, ``COPY``): a source directory's *contents* are copied into
the destination; a file goes to the destination path, or into it when the destination ends in
``/``, there are several sources, the source is a wildcard, or the destination is a directory
the image already has (a ``WORKDIR``); with ``--parents`` each source keeps its path below the
destination (after a ``/./`` pivot).  For ``--from`` sources, whether a source is a file or a
directory is not known from the text (a trailing ``/`` does not say: BuildKit copies a file
written ``checkout/``) unless it holds the standard executable directories (``/usr/local``),
so both readings are offered (file reading first, the directory reading marked ``guessed``):
a caller that names where a path comes from says only what a COPY surely writes.
"""

from __future__ import annotations

import fnmatch
import itertools
import posixpath
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from envlint.compose.dockerfile import Copy, Dockerfile, LinkedFile, Run
from envlint.model import Location
from envlint.servicecode.entry_shell import SCRIPT_DIR, SHELLS, parse_shell
from envlint.servicecode.repofiles import RepoFiles, join

__all__ = [
    "ImageView",
    "Mount",
    "Origin",
    "container_join",
    "is_under",
    "mounted_at",
    "relative_to",
]

_MAX_DEPTH = 16  # --from hops followed (a stage cannot copy from itself or a later stage)
# the document roots of the web server images (nginx, httpd, caddy)
_DOCUMENT_ROOTS = ("/usr/share/nginx/html", "/usr/local/apache2/htdocs", "/usr/share/caddy")
# compiled code that an image's own program loads (a servlet container's .war, a wheel)
_CODE_ARCHIVES = (".jar", ".war", ".ear", ".whl", ".egg", ".dll", ".pyz")
_DEFAULT_PATH = ("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin")
_TOOL_PATH = ("/go/bin", "/usr/local/cargo/bin", "/root/.cargo/bin")
# what a container command runs that installs or runs a project taken into the image at start
_INSTALLERS = frozenset(("pip", "pip3", "uv", "poetry", "npm", "yarn", "pnpm"))
# a script the command runs is copied in (base images run executables, or their own
# docker-entrypoint.sh, which runs its arguments)
_SCRIPTS = (".sh", ".bash", ".py", ".js", ".mjs", ".cjs", ".ts", ".rb", ".pl", ".php")
_BASE_SCRIPTS = frozenset(("docker-entrypoint.sh",))


@dataclass(frozen=True, slots=True)
class Mount:
    """A compose bind mount of a repository path into the container."""

    target: str  # container path
    source: str  # repository path relative to the root
    location: Location


def mounted_at(mounts: Sequence[Mount], path: str) -> tuple[Mount, str | None] | None:
    """The mount that puts container ``path`` in place (the last covering it, as Docker stacks
    them) and the repository path it shows there (None when that leaves the root)."""
    for mount in reversed(mounts):
        if is_under(path, mount.target):
            return mount, join(mount.source, relative_to(path, mount.target))
    return None


@dataclass(frozen=True, slots=True)
class Origin:
    """One possible origin of a container path, most recent writer first."""

    repo_path: str | None  # the repository file/dir it was copied from (may be absent or a glob)
    stage: int | None  # when not from the repository: the stage that produced ``path``
    path: str  # the path in ``stage`` (or the container path for repository origins)
    via: tuple[Location, ...]  # the COPY/ADD instructions (or the mount) followed, latest first
    inline: str | None = None  # a heredoc body written by ``COPY <<EOF``
    image: str | None = None  # copied ``--from`` an external image
    # matched by a wildcard source (``COPY target/*.jar``, ``COPY --from=tools /bin/* /bin/``):
    # the copy writes it only if it exists
    wildcard: bool = False
    # read through a ``--from`` source taken for a directory, which it may not be (the file
    # reading comes first): the copy writes it only if the source is one
    guessed: bool = False
    # a compose bind mount puts it there (``repo_path`` is in the mounted directory), no COPY
    mounted: bool = False
    # a path below a directory the COPY names (``ADD ./dump /``) or one its wildcard may match,
    # not the source itself: the copy writes it only if the repository holds it at build time
    inside: bool = False


def container_join(cwd: str | None, path: str) -> str:
    """``path`` resolved against a working directory (relative result when ``cwd`` is None)."""
    if path.startswith("/"):
        return posixpath.normpath(path).replace("//", "/")
    if cwd is None or cwd == "":
        return posixpath.normpath(path)
    return posixpath.normpath(posixpath.join(cwd, path))


def is_under(path: str, directory: str) -> bool:
    """``path`` is ``directory`` or inside it (both absolute, or both relative)."""
    if directory in ("/", "."):
        return path.startswith("/") == (directory == "/")
    return path == directory or path.startswith(directory + "/")


def relative_to(path: str, directory: str) -> str:
    if directory == "/":
        return path.lstrip("/") or "."
    if directory == ".":
        return path
    return path[len(directory) + 1 :] or "."


def _cjoin(directory: str, name: str) -> str:
    """A container path joined and cleaned (``./`` + ``x`` is ``x``)."""
    return posixpath.normpath(posixpath.join(directory, name))


def _is_glob(text: str) -> bool:
    return any(ch in text for ch in "*?[")


class ImageView:
    """The files of one image (final or target stage) and where they come from."""

    def __init__(
        self,
        repo: RepoFiles,
        dockerfile: Dockerfile | None,
        context: str | None,
        target: str | None = None,
        mounts: Sequence[Mount] = (),
    ) -> None:
        self.repo = repo
        self.dockerfile = dockerfile
        self.context = context
        self.mounts = tuple(mounts)
        self.final = None if dockerfile is None else dockerfile.target_index(target)
        self._known_dirs: dict[int, frozenset[str]] = {}  # _directories by stage

    # -- paths ---------------------------------------------------------------------------------
    def origins(self, path: str, stage: int | None = None) -> list[Origin]:
        """Every writer of ``path`` in ``stage`` (default: the runtime image), latest first, and
        last the stage itself (a RUN or the base image produced it)."""
        if stage is None:
            mounted = mounted_at(self.mounts, path)
            if mounted is not None:
                mount, source = mounted
                return [Origin(source, None, path, (mount.location,), mounted=True)]
            stage = self.final
        return self._origins(path, stage, 0)

    def _origins(self, path: str, stage: int | None, depth: int) -> list[Origin]:
        dockerfile = self.dockerfile
        if dockerfile is None or stage is None or depth > _MAX_DEPTH:
            return [Origin(None, stage, path, ())]
        found: list[Origin] = []
        for index in dockerfile.ancestors(stage):
            current = dockerfile.stages[index]
            directories = self._directories(index)
            is_dir = self._dir_test(index)
            for copy in reversed(current.copies):
                for source in reversed(copy.sources):
                    for side, guessed in _source_paths(copy, source, path, directories, is_dir):
                        origins = self._from_copy(copy, side, index, depth)
                        if _is_glob(source):
                            origins = [replace(o, wildcard=True) for o in origins]
                        if guessed:
                            origins = [replace(o, guessed=True) for o in origins]
                        if not (copy.parents or source.startswith("<<")) and side != _plain(
                            source
                        ):
                            origins = [replace(o, inside=True) for o in origins]
                        found.extend(origins)
        found.append(Origin(None, stage, path, ()))
        return found

    def _from_copy(self, copy: Copy, side: str, index: int, depth: int) -> list[Origin]:
        if side.startswith("<<"):
            name = side[2:].split("/", 1)[0]
            for heredoc in copy.heredocs:
                if heredoc.name == name:
                    return [Origin(None, None, copy.dest, (copy.location,), inline=heredoc.body)]
            return []
        if copy.from_ is None:
            context = self.context_of(index)
            if context is None or "://" in side or side.startswith("git@"):
                return []
            # BuildKit resolves sources inside the context: `COPY .. /app` copies the context
            inside = posixpath.normpath("/" + side).lstrip("/") or "."
            repo_path = join(context, inside)
            return [] if repo_path is None else [Origin(repo_path, None, side, (copy.location,))]
        dockerfile = self.dockerfile
        assert dockerfile is not None
        source_stage = dockerfile.stage_index(copy.from_, before=index)
        if source_stage is None:
            return [Origin(None, None, side, (copy.location,), image=copy.from_)]
        absolute = container_join("/", side)
        return [
            replace(o, via=(copy.location, *o.via))
            for o in self._origins(absolute, source_stage, depth + 1)
        ]

    def context_of(self, stage: int) -> str | None:
        """The build context a stage's COPY/ADD read from: the image's, or for a stage of a
        base image this repository builds, that build's (:attr:`Dockerfile.bases`)."""
        linked = self.dockerfile.linked(stage) if self.dockerfile is not None else None
        return self.context if linked is None else linked.context

    def _dir_test(self, stage: int) -> Callable[[Copy, str], bool | None]:
        """:meth:`_is_dir` for the COPY/ADD of ``stage``; a ``--from`` source that the source
        stage makes a directory (its WORKDIR, a folder its COPYs write into) is one."""
        context = self.context_of(stage)
        dockerfile = self.dockerfile

        def test(copy: Copy, source: str) -> bool | None:
            kind = self._is_dir(copy, source, context)
            if kind is not None or copy.from_ is None or dockerfile is None:
                return kind
            source_stage = dockerfile.stage_index(copy.from_, before=stage)
            absolute = container_join("/", source).rstrip("/") or "/"
            if source_stage is not None and absolute in self._directories(source_stage):
                return True
            return None

        return test

    def _is_dir(self, copy: Copy, source: str, context: str | None) -> bool | None:
        """Whether a COPY source is a directory (None: not known, a ``--from`` source).  A
        ``--from`` source directly in a directory of executables (``/usr/bin/pg_repack``) is a
        file: those directories hold programs, not folders (it copies one tool, never the
        contents of a folder named like one); one of those directories or a folder holding them
        (``/usr/local``, ``/go/bin``) is a directory."""
        if copy.from_ is not None:
            absolute = container_join("/", source).rstrip("/") or "/"
            if any(is_under(d, absolute) for d in (*_DEFAULT_PATH, *_TOOL_PATH)):
                return True
            parent = posixpath.dirname(absolute)
            if not source.endswith("/") and parent in (*_DEFAULT_PATH, *_TOOL_PATH):
                return False
            return None
        if context is None:
            return None
        repo_path = join(context, source)
        if repo_path is None:
            return None
        if self.repo.is_dir(repo_path):
            return True
        return False if self.repo.is_file(repo_path) else None

    def _directories(self, index: int) -> frozenset[str]:
        """Container paths known to be directories in a stage: its WORKDIRs, what its RUNs
        ``mkdir``, and the parents of what its COPY/ADD write (``COPY x /opt/app/lib/`` makes
        ``/opt/app`` a directory, so a later ``COPY run.sh /opt/app`` puts ``run.sh`` inside
        it)."""
        known = self._known_dirs.get(index)
        if known is None:
            known = self._known_dirs[index] = self._find_directories(index)
        return known

    def _find_directories(self, index: int) -> frozenset[str]:
        dockerfile = self.dockerfile
        assert dockerfile is not None
        found: set[str] = set()
        for i in dockerfile.ancestors(index):
            stage = dockerfile.stages[i]
            if stage.workdir:
                found.add(stage.workdir)
            found.update(run.workdir for run in stage.runs if run.workdir)
            for run in stage.runs:
                found.update(_made_directories(run))
            for copy in stage.copies:
                if not copy.dest.startswith("/") or copy.unresolved:
                    continue
                path = copy.dest if copy.dest.endswith("/") else posixpath.dirname(copy.dest)
                while path not in ("", "/"):
                    found.add(path.rstrip("/"))
                    path = posixpath.dirname(path.rstrip("/"))
        return frozenset(found)

    def chain_bases(self) -> tuple[LinkedFile, ...]:
        """The Dockerfiles of the base images this repository builds that the runtime image is
        built FROM (:meth:`Dockerfile.chain_bases`), nearest first."""
        if self.dockerfile is None or self.final is None:
            return ()
        return self.dockerfile.chain_bases(self.final)

    def base_file(self, location: Location) -> LinkedFile | None:
        """The base image's Dockerfile an instruction at ``location`` is in (None: the
        image's own Dockerfile, a compose file)."""
        dockerfile = self.dockerfile
        if dockerfile is None or not dockerfile.bases:
            return None
        return next((f for f in dockerfile.bases if f.path == location.path), None)

    # -- questions callers ask -----------------------------------------------------------------
    def repo_dir(self, path: str, stage: int | None = None) -> tuple[str, Origin] | None:
        """The repository directory a container directory comes from, if any: copied as a
        whole, or filled piece by piece (``COPY src/app/go.mod .``, ``COPY src/app/lib/ lib/``)
        from one repository directory that every piece agrees on."""
        for origin in self.origins(path, stage):
            if origin.repo_path is not None and self.repo.is_dir(origin.repo_path):
                return origin.repo_path, origin
        return self._implied_dir(path, self.final if stage is None else stage)

    def _implied_dir(self, path: str, stage: int | None) -> tuple[str, Origin] | None:
        dockerfile = self.dockerfile
        if dockerfile is None or stage is None:
            return None
        implied: set[str] = set()
        via: list[Location] = []
        for index in dockerfile.ancestors(stage):
            context = self.context_of(index)
            if context is None:
                continue
            directories = self._directories(index)
            is_dir = self._dir_test(index)
            for copy in dockerfile.stages[index].copies:
                if copy.from_ is not None:
                    continue
                for source in copy.sources:
                    written = _written_path(copy, source, directories, is_dir)
                    if written is None or written == path or not is_under(written, path):
                        continue
                    rest = relative_to(written, path)
                    repo_path = join(context, source)
                    if repo_path is None or not repo_path.endswith("/" + rest):
                        continue
                    implied.add(repo_path[: -len(rest) - 1])
                    via.append(copy.location)
        if len(implied) != 1:
            return None
        directory = implied.pop()
        if not self.repo.is_dir(directory):
            return None
        return directory, Origin(directory, None, path, tuple(via))

    def repo_file(self, path: str, stage: int | None = None) -> tuple[str, Origin] | None:
        """The repository file a container file comes from, if any."""
        for origin in self.origins(path, stage):
            if origin.repo_path is not None and self.repo.is_file(origin.repo_path):
                return origin.repo_path, origin
        return None

    def _script_text(self, path: str) -> str | None:
        """The text of the repository file the container path ``path`` is copied from (None:
        it comes from elsewhere, or cannot be read)."""
        found = self.repo_file(path)
        return None if found is None else self.repo.read_text(found[0])

    def holds_code(self, is_code: Callable[[str], bool | None]) -> bool | None:
        """Whether the image holds source code of the repository that ``is_code`` recognises
        (it answers for a repository file or directory; None: not known): copied from the
        context into the final/target stage or its ancestors, copied ``--from`` a stage that
        holds it at the copied path, or bind-mounted.  What a stage's RUN produced (static
        files, compiled output) is not source, except code archives (.jar, .war, .whl, .dll);
        files of other images are not the repository's; files put in a web server's document
        root (``/usr/share/nginx/html``) are served, not run.  None when a copy cannot be read
        (a path written with an unknown variable, a directory too large to look through)."""
        unknown = False
        for mount in self.mounts:
            if _served(mount.target):
                continue
            found = is_code(mount.source)
            if found:
                return True
            unknown = unknown or found is None
        found = self._stage_code(self.final, None, is_code, 0)
        return True if found else (None if found is None or unknown else False)

    def may_run_repository(self, argv: Sequence[str]) -> bool:
        """Whether the image may run something made from the repository beyond the source
        :meth:`holds_code` finds: the container bind-mounts something, or the final stage (or
        a stage it is built FROM) runs a RUN with a ``--mount``, or a RUN after it copied from
        the build context or from a stage that reads the repository (``COPY --from=build
        /wheels /wheels``, ``RUN pip install /wheels/*``: the wheel's program runs), or such a
        copy may be the command ``argv`` runs itself (a file of its name, or any copy into an
        image FROM scratch, where every executable is copied in), or ``argv`` may install or
        run what such a copy took in when the container starts (:func:`_takes_in`: ``sh -c "pip
        install /wheels/*.whl && exec myapp"``, ``npm start``, ``./start.sh``).  Output copied
        after the last RUN (``COPY --from=builder /app/dist /var/www``) is otherwise only data
        for the image's own program (``static-web-server``), as is everything of a build that
        reads none of the repository (``FROM node``, ``RUN npm i -g maildev``)."""
        if any(not _served(mount.target) for mount in self.mounts):
            return True
        dockerfile, final = self.dockerfile, self.final
        if dockerfile is None or final is None:
            return dockerfile is not None
        chain = dockerfile.ancestors(final)
        scratch = dockerfile.stages[chain[-1]].base.lower() == "scratch"
        name = posixpath.basename(argv[0]) if argv else ""
        reads: dict[int, bool] = {}
        taken = False  # something of the repository is in the image
        for index in reversed(chain):
            stage = dockerfile.stages[index]
            steps: list[tuple[int, Copy | Run]] = [(c.location.line, c) for c in stage.copies]
            steps.extend((r.location.line, r) for r in stage.runs)
            for _, step in sorted(steps, key=lambda pair: pair[0]):
                if isinstance(step, Run):
                    if step.mounts or taken:
                        return True
                    continue
                if step.from_ is None or self._reads(step.from_, index, reads, 0):
                    paths = (step.dest, *step.sources)
                    if scratch or any(posixpath.basename(p.rstrip("/")) == name for p in paths):
                        return True
                    taken = True
        return taken and _takes_in(argv, self._script_text)

    def _reads(self, ref: str, before: int, memo: dict[int, bool], depth: int) -> bool:
        """Whether the stage ``ref`` names (``--from``) may hold something of the repository:
        it or a stage it is built FROM copies from a build context, runs with a ``--mount`` or
        copies from a stage that does (an external image's files are not the repository's)."""
        dockerfile = self.dockerfile
        assert dockerfile is not None
        index = dockerfile.stage_index(ref, before=before)
        if index is None:
            return False
        if index not in memo:
            memo[index] = True  # a cycle or a chain too deep to follow: may
            if depth <= _MAX_DEPTH:
                memo[index] = any(
                    any(r.mounts for r in stage.runs)
                    or any(
                        c.from_ is None or self._reads(c.from_, i, memo, depth + 1)
                        for c in stage.copies
                    )
                    for i in dockerfile.ancestors(index)
                    for stage in (dockerfile.stages[i],)
                )
        return memo[index]

    def copied_code(self, is_code: Callable[[str], bool | None]) -> str | None:
        """The repository directory holding the source code the image copies from its build
        context (the common directory of the copied paths ``is_code`` recognises, found as
        :meth:`holds_code` finds them; bind mounts aside); None when it copies none, a copy
        cannot be read, or the code comes from directories none of which holds the others
        (``server/`` and ``collector/``: their common directory holds code never copied)."""
        found: list[str] = []
        unknown = False

        def record(path: str) -> bool:
            nonlocal unknown
            answer = is_code(path)
            if answer:
                found.append(path if self.repo.is_dir(path) else posixpath.dirname(path) or ".")
            unknown = unknown or answer is None
            return False  # go on: every copy is looked at

        if self._stage_code(self.final, None, record, 0) is None or unknown or not found:
            return None
        common = posixpath.commonpath(found) or "."
        return common if common in found else None

    def _stage_code(
        self,
        stage: int | None,
        under: str | None,
        is_code: Callable[[str], bool | None],
        depth: int,
    ) -> bool | None:
        """Whether ``stage`` holds repository source at ``under`` (None: anywhere)."""
        dockerfile = self.dockerfile
        if dockerfile is None or stage is None or depth > _MAX_DEPTH:
            return None
        unknown = False
        for index in dockerfile.ancestors(stage):
            directories = self._directories(index)
            is_dir = self._dir_test(index)
            for copy in dockerfile.stages[index].copies:
                if copy.unresolved:
                    unknown = True
                    continue
                for source in copy.sources:
                    if source.startswith("<<") or "://" in source or source.startswith("git@"):
                        continue  # a heredoc, a download: not a file of the repository
                    written = _written_path(copy, source, directories, is_dir)
                    written = written or copy.dest.rstrip("/") or "/"
                    if under is not None and not _overlap(written, under):
                        continue
                    if under is None and _served(written):
                        continue
                    found = self._copied_code(copy, source, index, written, under, is_code, depth)
                    if found:
                        return True
                    unknown = unknown or found is None
        return None if unknown else False

    def _copied_code(
        self,
        copy: Copy,
        source: str,
        index: int,
        written: str,
        under: str | None,
        is_code: Callable[[str], bool | None],
        depth: int,
    ) -> bool | None:
        dockerfile = self.dockerfile
        assert dockerfile is not None
        inner = under is not None and written.startswith("/") and is_under(under, written)
        rest = relative_to(under, written) if inner and under is not None else "."
        if copy.from_ is None:
            context = self.context_of(index)
            if context is None:
                return None
            inside = posixpath.normpath("/" + source).lstrip("/") or "."
            repo_path = join(context, inside, rest)
            if repo_path is None:
                return False
            paths = self.repo.glob(repo_path) if _is_glob(repo_path) else (repo_path,)
            unknown = False
            for path in paths:
                found = is_code(path)
                if found:
                    return True
                unknown = unknown or found is None
            return None if unknown else False
        if source.lower().endswith(_CODE_ARCHIVES):
            return True  # compiled code of the repository, run by the image's program
        source_stage = dockerfile.stage_index(copy.from_, before=index)
        if source_stage is None:
            return False  # another image's files
        path = container_join("/", source)
        if _is_glob(path):
            path = posixpath.dirname(path) or "/"
        elif rest != ".":
            path = posixpath.join(path, rest)
        return self._stage_code(source_stage, path, is_code, depth + 1)

    def executable(self, name: str, cwd: str | None, path_env: str | None) -> list[str]:
        """Container paths ``argv[0]`` may name: itself when it holds a ``/``, else the ``PATH``
        directories whose entry some COPY, mount or build could have written."""
        if "/" in name:
            return [container_join(cwd, name)]
        directories = [d for d in (path_env or "").split(":") if d.startswith("/")]
        directories.extend(d for d in _DEFAULT_PATH if d not in directories)
        for extra in _TOOL_PATH:
            if extra not in directories:
                directories.append(extra)
        return [posixpath.join(d, name) for d in directories]


@lru_cache(maxsize=1024)
def _made_directories(run: Run) -> tuple[str, ...]:
    """The absolute paths a RUN's top-level ``mkdir`` makes (``cd`` followed; a word with a
    variable, a wildcard or a brace left out)."""
    script = run.script
    if script is None or "mkdir" not in script:
        return ()
    return tuple(_mkdirs(script, run))


def _mkdirs(script: str, run: Run) -> Iterator[str]:
    cwd = run.workdir
    for command in parse_shell(script, dict(run.variables).get):
        argv = command.argv
        if argv and argv[0] == "cd":
            known = len(argv) > 1 and not command.words[1].unresolved and command.depth == 0
            cwd = container_join(cwd, argv[1]) if known else None
            continue
        if not argv or command.depth > 0 or posixpath.basename(argv[0]) != "mkdir":
            continue
        for word in command.words[1:]:
            if word.unresolved or word.text.startswith("-") or any(c in word.text for c in "*?[{"):
                continue
            path = container_join(cwd, word.text)
            if path.startswith("/"):
                yield path


def _takes_in(
    argv: Sequence[str], script: Callable[[str], str | None], depth: int = 0
) -> bool:
    """Whether a container command may install or run, when it starts, what the image took in
    from the repository: an installer (``pip install /wheels/*.whl``, ``npm start``), a script
    (``./start.sh``; base images run executables, or their own ``docker-entrypoint.sh``), a
    shell running a script file (``sh start.sh``), or a shell whose script runs one of those
    (``sh -c "pip install --no-index /wheels/*.whl && exec myapp"``; a shell that only starts
    the image's own server, ``sh -c "static-web-server --root /var/www"``, does not).  A script
    the repository holds (``script``: its text, None when it comes from elsewhere) counts only
    when its own commands do (shellhub's ``/scripts/entrypoint.sh`` that writes a config and
    execs ``static-web-server``: no)."""
    if not argv or depth > 2:
        return bool(argv)
    name = posixpath.basename(argv[0])
    if name in _INSTALLERS:
        return True
    if name.endswith(_SCRIPTS) and name not in _BASE_SCRIPTS:
        return _script_takes_in(argv[0], script, depth)
    if name not in SHELLS or len(argv) < 2:
        return False
    options = list(itertools.takewhile(lambda a: a.startswith("-"), argv[1:]))
    rest = argv[1 + len(options) :]
    if not rest:
        return False
    if any(o.startswith("-") and not o.startswith("--") and "c" in o for o in options):
        return _commands_take_in(rest[0], script, depth)  # `sh -c`, `bash -lc`, `sh -e -c`
    return _script_takes_in(rest[0], script, depth)  # `sh start.sh`: the shell runs a script


def _script_takes_in(path: str, script: Callable[[str], str | None], depth: int) -> bool:
    text = script(path)
    here = posixpath.dirname(path)  # `$(dirname "$0")`: the scripts beside it
    return text is None or _commands_take_in(text, script, depth, here)


def _commands_take_in(
    text: str, script: Callable[[str], str | None], depth: int, here: str | None = None
) -> bool:
    lookup = (lambda name: here if name == SCRIPT_DIR else None) if here else None
    for command in parse_shell(text, lookup):
        words = [w.text for w in command.words]
        if words[:1] == ["exec"]:
            words = words[1:]
        if _takes_in(words, script, depth + 1):
            return True
    return False


def _served(path: str) -> bool:
    """Whether a container path lies in a web server image's document root: files there are
    sent to browsers, not run (a script there is the browser's code)."""
    return any(is_under(path, root) for root in _DOCUMENT_ROOTS)


def _overlap(written: str, under: str) -> bool:
    """Whether a COPY that writes ``written`` may put files at or below ``under`` (a relative
    destination, below an unknown working directory, may)."""
    if not written.startswith("/"):
        return True
    return is_under(written, under) or is_under(under, written)


def _source_paths(
    copy: Copy,
    source: str,
    path: str,
    directories: frozenset[str],
    is_dir: Callable[[Copy, str], bool | None],
) -> list[tuple[str, bool]]:
    """The source-side paths that ``copy`` would have written to ``path`` from ``source``, each
    with whether it reads a source not known to be a directory as one."""
    dest = copy.dest
    trimmed = dest.rstrip("/") or "/"
    glob = _is_glob(source)
    # a wildcard source into a destination without "/" names one file (Dockerfile reference)
    into_directory = dest.endswith("/") or len(copy.sources) > 1 or trimmed in directories
    src = _plain(source)
    found: list[tuple[str, bool]] = []
    if source.startswith("<<"):
        target = _cjoin(trimmed, src[2:]) if into_directory else trimmed
        return [(source, False)] if path == target else []
    if copy.parents:
        return _parents_paths(copy, source, path, is_dir)
    if glob:
        if not into_directory:
            return [(src, False)] if path == trimmed else []
        if (posixpath.dirname(path) or ".") == trimmed and fnmatch.fnmatchcase(
            posixpath.basename(path), posixpath.basename(src)
        ):
            name = posixpath.join(posixpath.dirname(src), posixpath.basename(path))
            found.append((name, False))
        return found
    kind = is_dir(copy, src)
    if not into_directory:
        if path == trimmed:
            found.append((src, False))
        elif is_under(path, trimmed) and kind is not False:
            found.append((posixpath.join(src, relative_to(path, trimmed)), kind is None))
        return found
    if kind is not True and src != "." and path == _cjoin(trimmed, posixpath.basename(src)):
        found.append((src, False))
    if kind is not False and is_under(path, trimmed):
        rest = relative_to(path, trimmed)
        found.append((src if rest == "." else posixpath.join(src, rest), kind is None))
    return found


def _plain(source: str) -> str:
    """A COPY source as the repository path it reads: no trailing ``/``, no leading ``./``."""
    src = source.rstrip("/") or source
    if src.startswith("./"):
        src = src[2:] or "."
    return src


def _written_path(
    copy: Copy,
    source: str,
    directories: frozenset[str],
    is_dir: Callable[[Copy, str], bool | None],
) -> str | None:
    """The container path a (non-wildcard) COPY source is written to: a file's path, or the
    directory that receives a source directory's contents."""
    if _is_glob(source) or source.startswith("<<"):
        return None
    trimmed = copy.dest.rstrip("/") or "/"
    if copy.parents:
        return _cjoin(trimmed, _kept(source)[1])
    into_directory = copy.dest.endswith("/") or len(copy.sources) > 1 or trimmed in directories
    src = _plain(source)
    kind = is_dir(copy, src)
    if kind is None:
        return None
    if kind or not into_directory:
        return trimmed
    return _cjoin(trimmed, posixpath.basename(src))


def _kept(source: str) -> tuple[str, str]:
    """A ``COPY --parents`` source split at its pivot: the part read (``x/./y/a.txt``:
    ``x/y/a.txt``) and the part kept below the destination (``y/a.txt``; without a ``/./``
    pivot, the whole path)."""
    cleaned = source[2:] if source.startswith("./") else source
    pivot = cleaned.find("/./")
    kept = cleaned if pivot < 0 else cleaned[pivot + 3 :]
    return posixpath.normpath(cleaned), posixpath.normpath(kept.lstrip("/"))


def _parents_paths(
    copy: Copy, source: str, path: str, is_dir: Callable[[Copy, str], bool | None]
) -> list[tuple[str, bool]]:
    """:func:`_source_paths` for ``COPY --parents``: the source lands at destination/kept
    path (a file under that name, a directory's contents into it), a wildcard's matches at
    their own paths below the destination."""
    read, kept = _kept(source)
    trimmed = copy.dest.rstrip("/") or "/"
    target = _cjoin(trimmed, kept)
    if _is_glob(source):
        parts, pattern = path.split("/"), target.split("/")
        if len(parts) != len(pattern) or not all(map(fnmatch.fnmatchcase, parts, pattern)):
            return []
        # the matched path read where the source reads it: its kept components replaced
        depth = 0 if kept == "." else len(kept.split("/"))
        prefix = read.split("/")[: len(read.split("/")) - depth]
        return [("/".join([*prefix, *parts[len(parts) - depth :]]) or ".", False)]
    kind = is_dir(copy, read)
    if path == target:
        return [(read, False)]
    if is_under(path, target) and kind is not False:
        return [(posixpath.join(read, relative_to(path, target)), kind is None)]
    return []
