"""The Compose loader: every Compose project under the root, as Docker Compose v2 resolves it.

Order of operations (research/compose-semantics.md §0.1, compose-go loader/loader.go):

1. project environment: ``PWD``, then the ``--env-file`` list or ``.env`` (add-only, two passes);
   ``COMPOSE_FILE`` / ``COMPOSE_PROFILES`` / ``COMPOSE_PROJECT_NAME`` are read from it.  The OS
   environment is never used (see :mod:`envlint.compose.project_env`);
2. project name: ``COMPOSE_PROJECT_NAME``, else the last ``name:``, else the directory name;
   ``${COMPOSE_PROJECT_NAME}`` resolves to it everywhere (loader.go:676-681);
3. per file and per YAML document (loader.go:441-530): interpolate every string value (never
   keys) with the project environment, apply ``include``, then ``extends``, then merge over what
   came before (:mod:`envlint.compose.merge`);
4. relative paths resolve against the project directory (``extends: file:`` bases and included
   projects keep their own base, paths/resolve.go);
5. profiles split services into active and inactive (loader.go:621);
6. per active service (types/project.go:750-782): pass-through entries from the project
   environment, ``env_file``\\ s in order (interpolated; lookup: project env, then the service's
   ``environment`` values, then earlier values), then ``environment`` wins; an unresolved
   pass-through erases an env_file value and an image ``ENV`` default.

Nothing here raises for bad input: faults become :class:`~envlint.model.Problem` facts.
Nothing is written, executed or fetched.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from envlint.compose.files import HOME, MAX_COMPOSE_NODES, FileCache
from envlint.compose.interpolation import interpolate, literal_braces, may_interpolate
from envlint.compose.locate import ScalarLocator, reference_location
from envlint.compose.merge import OVERRIDE, RESET, Node, clone, env_items, merge, to_plain
from envlint.compose.project_env import (
    EnvLayer,
    compose_files_setting,
    enabled_profiles,
    normalize_project_name,
    read_env_files,
    valid_project_name,
)
from envlint.compose.scalars import compose_string
from envlint.model import (
    ComposeProject,
    Creation,
    EnvFile,
    EnvFileRef,
    EnvValue,
    Launcher,
    Location,
    PassThrough,
    PortBinding,
    Problem,
    ProblemKind,
    Service,
    StackKind,
    ValueSource,
    VarRef,
    Workspace,
    frozen_mapping,
    profiles_start,
)

if TYPE_CHECKING:
    from envlint.compose.dockerfile import Dockerfile
    from envlint.compose.launchers import (
        Invocation,
        LauncherFiles,
        LaunchVar,
        LeftRunning,
        Stale,
    )
    from envlint.compose.yamlnodes import YNode, YScalar
    from envlint.config import Settings

__all__ = ["DEFAULT_MAIN_NAMES", "DEFAULT_OVERRIDE_NAMES", "build_arg_values", "load_workspace"]

# compose-go cli/options.go:155-190, in Compose's order of preference.
DEFAULT_MAIN_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")
DEFAULT_OVERRIDE_NAMES = (
    "compose.override.yml",
    "compose.override.yaml",
    "docker-compose.override.yml",
    "docker-compose.override.yaml",
)
_DEFAULT_NAMES = frozenset(DEFAULT_MAIN_NAMES + DEFAULT_OVERRIDE_NAMES)
_GO_TRUE = frozenset({"1", "t", "T", "TRUE", "true", "True"})
_GO_FALSE = frozenset({"0", "f", "F", "FALSE", "false", "False"})


# ----------------------------------------------------------------------------------------------
# planning: which stacks are projects


@dataclass(frozen=True)
class _Plan:
    """One stack to load as a ComposeProject."""

    cwd: Path  # where `docker compose` would run (PWD); pass-1 env files are read relative to it
    files: tuple[Path, ...]
    env: EnvLayer  # pass-1 project environment
    env_paths_given: bool  # --env-file list: no second pass
    kind: StackKind = "default"
    launchers: tuple[Launcher, ...] = ()  # the documented commands that start it
    profiles: tuple[str, ...] = ()  # their --profile options
    env_files: tuple[str, ...] = ()  # their --env-file options (relative to the root)
    starts: tuple[_Start, ...] = ()  # each of those commands: what it starts, what it sets
    # the documented commands of the same files in other stacks (other --env-file options)
    elsewhere: tuple[_Start, ...] = ()


@dataclass(frozen=True)
class _Start:
    """One documented command of a stack: the services it names (None: every service), whether
    it starts their dependencies, and the variables it gives ``docker compose``; the launcher it
    is part of and what it leaves running beside that launcher's other commands."""

    services: tuple[str, ...] | None
    no_deps: bool
    sets: frozenset[str]
    launcher: str = ""
    leaves_running: LeftRunning = "none"
    profiles: tuple[str, ...] = ()  # its --profile options


def _default_stack(paths: Sequence[Path]) -> tuple[Path, ...]:
    by_name = {p.name: p for p in paths}
    main = next((by_name[n] for n in DEFAULT_MAIN_NAMES if n in by_name), None)
    if main is None:
        return ()
    override = next((by_name[n] for n in DEFAULT_OVERRIDE_NAMES if n in by_name), None)
    return (main,) if override is None else (main, override)


def _abs(base: Path, path: str | Path) -> Path:
    """``path`` made absolute against ``base``; a ``~`` path lies in :data:`HOME`."""
    text = os.fspath(path)
    if text.startswith("~"):
        # Compose expands `~`, `~/x` (and `~user/x`) with the home directory of whoever runs
        # it; envlint never asks $HOME: such a file is outside the repository, always.
        return Path(os.path.normpath(HOME / text[1:].lstrip("/\\")))
    p = Path(text)
    return Path(os.path.normpath(p if p.is_absolute() else base / p))


@dataclass(frozen=True)
class _Templates:
    """Which committed file documents a stack's absent ``.env``
    (rules/ENV104-missing-env-file.md): the one its documented commands copy there first
    (``copied``); a template named for the stack (``words``: its compose file names' words),
    never one named for another stack of the directory (``others``); then the one file
    documented commands copy there for the directory's other stacks (``fallback``); then the
    names every stack shares."""

    words: frozenset[str] = frozenset()
    others: frozenset[str] = frozenset()
    copied: Path | None = None
    fallback: Path | None = None


_NO_CHOICE = _Templates()


@dataclass
class _Shared:
    """State of one ``load_workspace`` call, shared by its projects."""

    root: Path
    settings: Settings
    files: FileCache
    problems: dict[Problem, None] = field(default_factory=dict)  # Dockerfile problems
    # a directory's default file that is only a fragment of a stack: the note that says so,
    # kept unless a checked stack includes or extends it
    fragments: dict[Path, Problem] = field(default_factory=dict)
    # every file discovery kept (not git-ignored, not excluded): where example files count
    repo_files: frozenset[str] = frozenset()
    _by_directory: dict[str, list[str]] = field(default_factory=dict)  # repo_files by folder
    # the launcher files (Makefiles, scripts, docs, CI), each read once, when first needed
    _launchers: LauncherFiles | None = None
    # the files documented commands create (``touch``, ``cp``, ``>``), read when first needed
    _created: dict[str, Creation] | None = None
    # each Dockerfile parsed with each set of build args (None: it cannot be read)
    dockerfiles: dict[tuple[Path, tuple[tuple[str, str], ...]], Dockerfile | None] = field(
        default_factory=dict
    )

    def pass1_env(
        self,
        cwd: Path,
        launched: Mapping[str, EnvValue] | None = None,
        env_files: Sequence[Path] = (),
        templates: _Templates = _NO_CHOICE,
        stand_ins: Mapping[Path, Path] | None = None,
    ) -> EnvLayer:
        """Pass 1 of the project environment: the variables a launcher gives ``docker compose``
        (its process environment, which env files never override), then ``--env-file`` (the
        command line's, else the documented command's; ``stand_ins``: the examples read in
        place of the documented command's absent ones) or ``cwd``'s ``.env`` (``templates``:
        which file documents it when it is absent).  Compose reads no ``.env`` when
        ``--env-file`` is given, and refuses an absent one: such a file is a problem, and the
        example :meth:`stand_in` finds beside it is read in its place, as for ``.env``."""
        pwd = EnvValue("PWD", str(cwd), ValueSource.COMPOSE_DEFAULT, None)
        current = {"PWD": pwd, **(launched or {})}
        if self.settings.env_files:
            paths = [_abs(self.root, p) for p in self.settings.env_files]
            given = self.env_file_stand_ins(paths, {})
            return read_env_files(paths, current, self.files, required=True, stand_ins=given)
        if env_files:
            return read_env_files(
                env_files, current, self.files, required=True, stand_ins=stand_ins
            )
        return self.dotenv(cwd, current, templates)

    def env_file_stand_ins(
        self, paths: Sequence[Path], made: Mapping[str, str | None]
    ) -> dict[Path, Path] | None:
        """The example read in place of each absent ``--env-file`` of ``paths``: the file a
        documented command copies there first (``made``, relative to the root), else the
        template :meth:`stand_in` finds beside it.  None when one of them has none, or is
        made from something envlint cannot know: then that environment is not known."""
        found: dict[Path, Path] = {}
        for path in paths:
            if self.files.is_file(path):
                continue
            rel = self.files.rel(path)
            copied = None
            if rel in made:
                source = made[rel]
                if source is None:
                    return None
                copied = _abs(self.root, source)
            stand_in = self.stand_in(path, _Templates(copied=copied))
            if stand_in is None:
                return None
            found[path] = stand_in
        return found

    def dotenv(
        self, directory: Path, current: Mapping[str, EnvValue], templates: _Templates = _NO_CHOICE
    ) -> EnvLayer:
        """The directory's ``.env`` merged into ``current``; when there is none, the template
        :meth:`stand_in` finds as the documented environment (values are placeholders)."""
        path = directory / ".env"
        stand_in = None if self.files.is_file(path) else self.stand_in(path, templates)
        if stand_in is not None:
            layer = read_env_files([stand_in], current, self.files, required=False, example=True)
            if layer.documented_by is not None:
                return layer
            # an example that cannot be read documents nothing (ENV901 reports it): as without
        return read_env_files([path], current, self.files, required=False)

    def launchers(self) -> LauncherFiles:
        """The repository's launcher files, read for its documented commands
        (:func:`_documented`) and for the files they create (:meth:`created`)."""
        if self._launchers is None:
            from envlint.compose.launchers import LauncherFiles, launcher_format

            # the compose files' comments are read from the bytes this load reads them from
            # (with `compose-files` given, no documented command is read: nor are they)
            compose = (rel for rel in self.repo_files if launcher_format(rel) == "compose")
            wanted = () if self.settings.compose_files else compose
            read = {rel: self.files.read(self.root / rel) for rel in wanted}
            self._launchers = LauncherFiles(self.root, sorted(self.repo_files), read)
        return self._launchers

    def launcher_bytes(self) -> Mapping[str, bytes | None]:
        """The launcher files' bytes read by this load (none when it read none)."""
        return {} if self._launchers is None else self._launchers.bytes_read()

    def created(self, rel: str) -> Creation | None:
        """The documented command that creates the absent file ``rel`` (relative to the root),
        if one does: :func:`envlint.compose.created.find_created`."""
        if self._created is None:
            from envlint.compose.created import find_created

            self._created = find_created(self.launchers())
        return self._created.get(rel)

    def stand_in(self, path: Path, templates: _Templates = _NO_CHOICE) -> Path | None:
        """The committed template documenting the absent env file ``path``, when the
        repository has one that reads as an env file (a git-ignored or excluded one does not
        count): the file the stack's documented commands copy there, else ``.env`` ->
        ``.env.example``, ``.env.sample``, ``.env.template``, ``.env.dist``, then any file of
        its directory whose name is ``path``'s with template words added (``.env.docker``,
        ``ENVEXAMPLE``, ``env.template``; ``.env.nginx`` -> ``env.nginx.template``:
        :func:`envlint.discovery.ranked_env_templates`), in the order :class:`_Templates`
        says."""
        from envlint.discovery import ranked_env_templates

        if templates.copied is not None:
            copied = self._example(templates.copied, classic=False)
            if copied is not None:
                return copied

        places = [path]
        try:  # apps/web/.env -> ../../.env, itself absent: the target's example documents it
            target = Path(os.path.normpath(path.parent / path.readlink()))
        except (OSError, ValueError):
            target = None
        if target is not None and self.files.inside(target):
            places.append(target)
        ranked: list[tuple[tuple[int, int, int, str], int, str]] = []
        words, others = templates.words, templates.others
        for index, place in enumerate(places):
            rel = self.files.rel(place)
            files = self._in_directory(rel.rpartition("/")[0])
            for key, template in ranked_env_templates(rel, files, words, others):
                ranked.append((key, index, template))
        if templates.fallback is not None:  # after one named for this stack, before the rest
            ranked.append(((0, 2, 0, ""), 0, self.files.rel(templates.fallback)))
        for key, _, template in sorted(ranked):
            found = self._example(self.root / template, classic=key[1] == 0)
            if found is not None:
                return found
        return None

    def _in_directory(self, folder: str) -> tuple[str, ...]:
        """The repository files directly in ``folder`` (``""`` for the root)."""
        if not self._by_directory:
            for rel in self.repo_files:
                self._by_directory.setdefault(rel.rpartition("/")[0], []).append(rel)
        return tuple(self._by_directory.get(folder, ()))

    def _example(self, candidate: Path, classic: bool = True) -> Path | None:
        """``candidate`` when it is a readable example file of the repository: one named as
        a template by a word (``classic`` False) must also read as a dotenv file, with at
        least one variable and no line Compose would reject."""
        from envlint.compose.dotenv import decode_env_file, parse_dotenv

        rel = self.files.rel(candidate)
        if rel not in self.repo_files or not self.files.is_file(candidate):
            return None
        data = self.files.read(candidate)
        # one that cannot be read documents nothing (ENV901 reports it)
        text = decode_env_file(data, rel)[0] if data is not None else None
        if text is None:
            return None
        if not classic:
            parsed = parse_dotenv(text, rel, _no_lookup)
            if not parsed.entries or parsed.problems:
                return None
        return candidate


def _plans(shared: _Shared, compose_dirs: Mapping[str, Sequence[str]]) -> list[_Plan]:
    """The stacks to check (SPEC §6, issue #11 item 4).

    Per directory: the default stack (or ``COMPOSE_FILE``); every stack a documented command
    starts (Makefile, script, docs, CI: :mod:`envlint.compose.launchers`), which replaces the
    bare default stack when it names the same files; then each other compose file that no
    documented command combines.  A *complete* one (every service has ``image`` or ``build``)
    that redefines services of the default file and borrows nothing from another file
    (:attr:`_Shape.borrowed`) is an alternative base, checked with the
    directory's override file (when the override only touches services it defines); a
    complete one that shares no service with the default stack and borrows nothing from
    another file (:attr:`_Shape.borrowed`: an undeclared network or volume, a service it links
    to) is a stack of its own: Compose merges only the override unasked, and as a layer it
    would only add services (``docker-compose.all-in-one.yml``, used *instead* of the default
    file).  Any other file is a layer over the default stack, override included (a partial
    file, one that adds services depending on the default file's, one that a command of the
    repository (``exec`` too) names with ``-f`` after the default stack's files, or one that
    redefines a service only in part: ``app: build: .`` over the default file's pulled image,
    :meth:`_Shape.overlays`); one whose own services get neither image nor build there is
    dropped by the load (a note says how to name its stack: :meth:`_ProjectLoader._no_image`).
    Without a default file a complete file is a stack of its own and a partial one is not
    checked alone (a note says how to name its stack).  A file whose own comment documents a
    command that names a file the repository does not have is none of these: only a note
    (:class:`envlint.compose.launchers.Stale`).
    """
    root, settings = shared.root, shared.settings
    plans: list[_Plan] = []
    if settings.compose_files:
        for stack in settings.compose_files:
            paths = tuple(_abs(root, p) for p in stack)
            if not paths:
                continue
            # `-f` given: the working dir of pass 1 is the first file's directory; PWD is the cwd.
            env = shared.pass1_env(paths[0].parent)
            env = replace(env, values={**env.values, "PWD": _pwd(root)})
            plans.append(_Plan(root, paths, env, bool(settings.env_files), kind="explicit"))
        return plans
    documented, copies, rendered, stale, unread, layered = _documented(shared, compose_dirs)
    directories = sorted({*compose_dirs, *documented})
    # a file some documented command combines, here or in a stack of another directory
    # (`-f compose.yml -f ops/compose.idle.yml` from the root): that is its use
    covered = {path for stacks in documented.values() for plan in stacks for path in plan.files}
    # a file documented commands only render with envsubst is a template of the shell's: the
    # variables it interpolates are the rendering shell's to give, its output is what runs
    templates = {path: _rendered_note(shared, path, by) for path, by in rendered.items()}
    templates = {path: note for path, note in templates.items() if path not in covered}
    shared.problems.update(dict.fromkeys(templates.values()))
    for directory in directories:
        cwd = _abs(root, directory)
        paths = tuple(sorted({_abs(root, n) for n in compose_dirs.get(directory, ())}))
        names = compose_dirs.get(directory, ())
        env = shared.pass1_env(cwd, templates=_templates(root, (), names, copies.get(directory)))
        default = _default_stack(paths)
        main_stack = _compose_file_stack(shared, cwd, env) or default
        here = documented.get(directory, [])
        if main_stack == default and (fragment := _fragment(shared.files, default)) is not None:
            # `docker compose up` here fails: the files are part of another stack, checked
            # where a documented command combines them (else a note says how to name it)
            if not covered.intersection(default):
                shared.fragments[default[0]] = _not_alone(
                    shared.files, default[0], fragment, _bases(shared, fragment.foreign, default)
                )
            main_stack = ()
        # documented commands that start the default files (with their --env-file options or
        # not) are how they are run: a bare `docker compose up` is not assumed besides them
        run_in_place = not any(path in templates for path in main_stack)
        if main_stack and run_in_place and not any(p.files == main_stack for p in here):
            plans.append(_Plan(cwd, main_stack, env, bool(settings.env_files)))
        plans.extend(
            replace(plan, kind="default") if plan.files == main_stack else plan for plan in here
        )
        override = default[1:] if len(default) == 2 else ()
        # every service the default stack defines, its override (or COMPOSE_FILE files) too
        main = {name for file in main_stack for name in _shape(shared.files, file).services}
        for path in paths:
            if path in main_stack or path in default or path in covered or path in templates:
                continue
            if path in stale:  # its own comment says how it is started: not guessed here
                shared.problems[_stale_note(shared, path, stale[path])] = None
                continue
            if path in unread:  # a launcher starts it in a stack envlint cannot read
                shared.problems[_unread_note(shared, path, unread[path])] = None
                continue
            shape = _shape(shared.files, path)
            main_shape = _shape(shared.files, main_stack[0]) if main_stack else _Shape()
            shared_names = bool(set(shape.services) & main)
            # a complete file that shares no service with the default stack and uses nothing
            # only another file declares would, as a layer, only add services: Compose never
            # combines it unasked (only the override is merged), so it is a project of its own
            # (docker-compose.all-in-one.yml beside the default file: use it *instead*)
            own_project = not shared_names and not shape.borrowed
            # one that uses what only another file declares (a network of the default
            # file) cannot be loaded on its own, so it is no alternative to the default file
            alternative = (
                not main_stack
                or own_project
                or (shared_names and not shape.overlays(main_shape) and not shape.borrowed)
            )
            # a command of the repository (`exec`, `logs` too) names it after the default
            # stack's files: a layer over them, whatever its shape
            alternative = alternative and layered.get(path) != main_stack
            if shape.complete and alternative:
                # another version of the default file (arm64, prod): with the override when
                # the override only touches services it defines (it adds to them)
                kind: StackKind = "base" if main_stack and shared_names else "alone"
                overridden = _shape(shared.files, override[0]).services if override else ()
                with_override = override and set(overridden) <= set(shape.services)
                files = (path, *override) if with_override else (path,)
                own = _stack_env(shared, cwd, env, files, names, copies.get(directory))
                plans.append(_Plan(cwd, files, own, bool(settings.env_files), kind=kind))
            elif main_stack:
                files = (*main_stack, path)
                own = _stack_env(shared, cwd, env, files, names, copies.get(directory))
                plans.append(_Plan(cwd, files, own, bool(settings.env_files), kind="layer"))
            else:
                shared.problems[_not_alone(shared.files, path, shape)] = None
    return plans


def _stack_env(
    shared: _Shared,
    cwd: Path,
    env: EnvLayer,
    files: Sequence[Path],
    names: Sequence[str],
    copied: frozenset[str] | None,
) -> EnvLayer:
    """The directory's environment for one more stack of it (``names``: the directory's
    compose files): the same, unless a template stands in for the absent ``.env`` and the
    stack has one of its own (``env.prod.template`` for ``docker-compose.prod.yml``).  One
    that is the example of an ``env_file`` of the stack's services (``.env.dev.example`` for
    the overlay's ``env_file: .env.dev``) documents that file, which only containers read:
    Compose interpolates from ``.env`` (or the ``--env-file`` s given, a documented stack),
    so it is not ``.env``'s, unless documented commands copy it there."""
    if env.documented_by is None:
        return env
    templates = _templates(shared.root, [p.name for p in files], names, copied)
    if not templates.words:
        return env
    own = shared.pass1_env(cwd, templates=templates)
    if own.documented_by is None or own.documented_by in (copied or ()):
        return own
    for path in _service_env_files(shared.files, files, cwd):
        found = None if shared.files.is_file(path) else shared.stand_in(path)
        if found is not None and shared.files.rel(found) == own.documented_by:
            return env
    return own


def _service_env_files(files: FileCache, paths: Sequence[Path], cwd: Path) -> list[Path]:
    """The ``env_file`` paths the services of the compose files ``paths`` name (a string, a
    list of them or of ``{path: …}``), relative to the project directory ``cwd``; an
    interpolated one is not guessed at."""
    from envlint.compose.yamlnodes import YMap, YScalar, YSeq

    found: list[Path] = []
    for path in paths:
        for doc in files.documents(path):
            top = doc.get("services") if isinstance(doc, YMap) else None
            for _, svc in top.items if isinstance(top, YMap) else ():
                node = svc.get("env_file") if isinstance(svc, YMap) else None
                items = node.items if isinstance(node, YSeq) else [node]
                for item in items:
                    if isinstance(item, YMap):
                        item = item.get("path")
                    text = item.value if isinstance(item, YScalar) else None
                    if isinstance(text, str) and "$" not in text:
                        found.append(_abs(cwd, text))
    return found




def _templates(
    root: Path,
    stack: Sequence[str],
    directory: Sequence[str],
    copies: frozenset[str] | None,
    copied: Path | None = None,
) -> _Templates:
    """The :class:`_Templates` of a stack of compose files ``stack`` among the ``directory``'s,
    where documented commands copy ``copies`` to ``.env`` (AppFlowy copies ``dev.env`` for the
    dev stack and ``deploy.env`` for the CI stack: the default stack falls back to
    ``deploy.env``, the one not named for another stack)."""
    from envlint.discovery import name_words, other_stack_words, stack_words

    words = stack_words(stack)
    others = other_stack_words(directory, words)
    fitting = [c for c in copies or () if not name_words(c.rpartition("/")[2]) & others]
    fallback = _abs(root, fitting[0]) if len(fitting) == 1 else None
    return _Templates(words, others, copied, fallback)


@dataclass(frozen=True)
class _Shape:
    """What one compose file defines, to tell a complete file from a part of a stack."""

    services: tuple[str, ...] = ()
    incomplete: tuple[str, ...] = ()  # services with neither image nor build (nor extends)
    foreign: tuple[str, ...] = ()  # depends_on targets the file does not define
    # where the file first names each of them (its first such `depends_on` entry)
    foreign_at: Mapping[str, Location] = field(default_factory=dict)
    # each service's top-level keys, `build` counted as `image` (what the container runs)
    keys: Mapping[str, frozenset[str]] = field(default_factory=dict)
    own_image: frozenset[str] = frozenset()  # services with an `image:` or `extends:` of their own
    # what its services use that the file does not define, so that Compose cannot load it on
    # its own: networks and named volumes it does not declare, services it links to, takes
    # volumes from, shares a network stack with or extends in the same file
    borrowed: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return bool(self.services) and not self.incomplete and not self.foreign

    def overlays(self, default: _Shape) -> tuple[str, ...]:
        """The services this file redefines only in part over ``default``: without an image
        of their own (a ``build`` at most), with a strict subset of the keys the default file
        gives them (``linkwarden: build: .`` over a service with image, env_file, ports…). Such
        a file swaps or adds a detail — build locally, mount the source — and is a layer."""
        return tuple(
            name
            for name in self.services
            if name in default.keys
            and name not in self.own_image
            and self.keys.get(name, frozenset()) < default.keys[name]
        )


def _shape(files: FileCache, path: Path) -> _Shape:
    from envlint.compose.yamlnodes import YMap, YScalar, YSeq

    services: dict[str, YMap | None] = {}
    for doc in files.documents(path):
        top = doc.get("services") if isinstance(doc, YMap) else None
        if isinstance(top, YMap):
            for key, svc in top.items:
                if isinstance(key.value, str):
                    services[key.value] = svc if isinstance(svc, YMap) else None
    incomplete: list[str] = []
    foreign: dict[str, None] = {}
    foreign_at: dict[str, Location] = {}
    keys: dict[str, frozenset[str]] = {}
    own_image: list[str] = []
    for name, definition in services.items():
        runs = ("image", "build", "extends")
        if definition is None or not any(definition.get(k) is not None for k in runs):
            incomplete.append(name)
        if definition is not None:
            given = {key.value for key, _ in definition.items if isinstance(key.value, str)}
            keys[name] = frozenset("image" if key == "build" else key for key in given)
            if given & {"image", "extends"}:
                own_image.append(name)
        depends = definition.get("depends_on") if definition is not None else None
        targets: list[tuple[object, Location]] = []
        if isinstance(depends, YSeq):
            targets = [(i.value, i.loc) for i in depends.items if isinstance(i, YScalar)]
        elif isinstance(depends, YMap):
            targets = [(key.value, key.loc) for key, _ in depends.items]
        for target, loc in targets:
            if target not in services:
                foreign[str(target)] = None
                if isinstance(target, str):
                    foreign_at.setdefault(target, loc)
    return _Shape(
        tuple(services),
        tuple(incomplete),
        tuple(foreign),
        foreign_at,
        keys,
        frozenset(own_image),
        _borrowed(files, path, services),
    )


def _borrowed(files: FileCache, path: Path, services: Mapping[str, object]) -> tuple[str, ...]:
    """What the services of ``path`` use that the file does not define (:attr:`_Shape.borrowed`),
    as ``network X``, ``volume X`` or ``service X``: compose-go rejects a project whose service
    names an undeclared network or volume (``service "a" refers to undefined network b``) or a
    missing service (``links``, ``volumes_from``, ``network_mode: service:``, ``extends``
    without ``file``).  Interpolated names are not guessed at."""
    from envlint.compose.yamlnodes import YMap, YScalar, YSeq

    declared: dict[str, set[str]] = {"networks": {"default"}, "volumes": set()}
    definitions: list[YMap] = []
    for doc in files.documents(path):
        if not isinstance(doc, YMap):
            continue
        for section, known in declared.items():
            top = doc.get(section)
            if isinstance(top, YMap):
                known.update(str(key.value) for key, _ in top.items)
        top = doc.get("services")
        if isinstance(top, YMap):
            definitions.extend(svc for _, svc in top.items if isinstance(svc, YMap))

    def text(node: object) -> str | None:
        if isinstance(node, YScalar) and isinstance(node.value, str) and "$" not in node.value:
            return node.value
        return None

    def names(node: object) -> list[str]:
        if isinstance(node, YSeq):
            return [t for t in (text(item) for item in node.items) if t is not None]
        if isinstance(node, YMap):
            return [str(key.value) for key, _ in node.items if "$" not in str(key.value)]
        return []

    used: dict[str, None] = {}
    for svc in definitions:
        for network in names(svc.get("networks")):
            if network not in declared["networks"]:
                used[f"network {network}"] = None
        volumes = svc.get("volumes")
        for item in volumes.items if isinstance(volumes, YSeq) else ():
            source: str | None = None
            if isinstance(item, YMap):
                if text(item.get("type")) in (None, "volume"):
                    source = text(item.get("source"))
            elif (spec := text(item)) is not None and ":" in spec:
                source = spec.split(":", 1)[0]
            local = not source or source.startswith((".", "/", "~")) or "/" in source
            if source and not local and source not in declared["volumes"]:
                used[f"volume {source}"] = None
        peers = _peers(
            names(svc.get("links")), names(svc.get("volumes_from")), text(svc.get("network_mode"))
        )
        extends = svc.get("extends")
        base = text(extends.get("service")) if isinstance(extends, YMap) else text(extends)
        if base is not None and not (isinstance(extends, YMap) and extends.get("file")):
            peers[base] = None  # `extends: app` / `extends: {service: app}`: this file's app
        for name in peers:
            if name not in services:
                used[f"service {name}"] = None
    return tuple(used)


def _peers(
    links: Iterable[str], volumes_from: Iterable[str], network_mode: str | None
) -> dict[str, None]:
    """The services a service reaches by name, in order: ``links: [db:database]``,
    ``volumes_from: [app:ro, service:app]`` (``container:x`` is no service) and
    ``network_mode: service:x``."""
    found = dict.fromkeys(link.partition(":")[0] for link in links if link)
    for item in volumes_from:
        if item and not item.startswith("container:"):
            found[item.removeprefix("service:").partition(":")[0]] = None
    if network_mode and network_mode.startswith("service:"):
        found[network_mode.removeprefix("service:")] = None
    return found


def _not_alone(
    files: FileCache, path: Path, shape: _Shape, bases: Sequence[str] | None = None
) -> Problem:
    """The note on a compose file that is only part of a stack; ``bases``: for a default
    file Compose refuses on its own, the files that define what it depends on (the note is
    then at its first such ``depends_on`` entry)."""
    rel = files.rel(path)
    where = Location(rel)
    if bases is not None and shape.foreign:
        where = shape.foreign_at.get(shape.foreign[0], where)
    why = []
    if not shape.services:
        why.append("defines no services")
    if shape.incomplete:
        why.append(f"has services without image or build ({_names(shape.incomplete)})")
    if shape.foreign:
        why.append(f"depends on services it does not define ({_names(shape.foreign)})")
    hint = f'Name its stack in the config: compose-files = [["<base file>", "{rel}"]]'
    if bases is None:  # nothing says which stack, if any, it belongs to
        return Problem(
            ProblemKind.NOTE,
            Location(rel),
            f"{rel} {' and '.join(why)}: Compose cannot run it on its own, so it was not "
            "checked alone, and no documented command that envlint can read (Makefile, script, "
            "README, CI) combines it with other files. If it is part of a stack, name that "
            f'stack in the config: compose-files = [["<base file>", "{rel}"]]',
        )
    found = ""
    if bases:
        verb = "is" if len(shape.foreign) == 1 else "are"
        found = f" {_names(shape.foreign)} {verb} defined in {_names(bases)}."
    if len(bases) == 1:
        hint = hint.replace("<base file>", bases[0])
    return Problem(
        ProblemKind.NOTE,
        where,
        f"{rel} {' and '.join(why)}: Compose refuses to load it on its own, so it was not "
        "checked alone; it is part of a stack, and no documented command that envlint can "
        f"read (Makefile, script, README, CI) combines it with other files.{found} {hint}",
    )


def _fragment(files: FileCache, stack: Sequence[Path]) -> _Shape | None:
    """What the default files of a directory lack, when Compose refuses them as a project of
    their own (compose-go ``checkConsistency``): a service that depends on a service none of
    them defines (``depends_on: [uwsgi]`` in ``integrations/x/compose.yml`` over a base file
    elsewhere; ``required: false``
    excuses only a service a profile disables, loader/validate.go).  None when they form a
    project, or when a file ``include`` s others (what those define is not looked at here).
    (A service with neither image nor build is reported by the loader: :meth:`_no_image`.)"""
    from envlint.compose.yamlnodes import YMap

    if any(isinstance(d, YMap) and d.get("include") for p in stack for d in files.documents(p)):
        return None
    shapes = [_shape(files, path) for path in stack]
    defined = {name for shape in shapes for name in shape.services}
    foreign = {n: None for s in shapes for n in s.foreign if n not in defined and "$" not in n}
    if not foreign:
        return None
    return _Shape(tuple(defined), foreign=tuple(foreign), foreign_at=shapes[0].foreign_at)


# a YAML file larger than this is not searched for the base of a fragment
_BASE_SEARCH_BYTES = 1 << 20


def _bases(shared: _Shared, names: Sequence[str], stack: Sequence[Path]) -> tuple[str, ...]:
    """The repository's YAML files outside ``stack`` (any name: ``docker/default.yml``) whose
    services give an image or build to every one of ``names`` (the services a fragment
    depends on but does not define, a layer's own services that lack one): where their base
    is likely to be (those whose every service has one first, an ``*.override.*`` file
    last)."""
    from envlint.compose.yamlnodes import YamlError, YMap, load_yaml_documents

    own = {shared.files.rel(path) for path in stack}
    found: list[str] = []
    complete: list[str] = []  # those whose every service has an image or build: a base file
    for rel in sorted(shared.repo_files):
        if not rel.endswith((".yml", ".yaml")) or rel in own:
            continue
        path = _abs(shared.root, rel)
        try:
            if path.stat().st_size > _BASE_SEARCH_BYTES:
                continue
        except OSError:
            continue
        data = shared.files.read(path)
        if not data or b"services" not in data or not all(n.encode() in data for n in names):
            continue
        try:  # a compose file the load parsed (every document a mapping) is not parsed again
            docs = shared.files.parsed(path) or load_yaml_documents(
                data, rel, max_nodes=MAX_COMPOSE_NODES
            )
        except (YamlError, RecursionError, ValueError, MemoryError):
            continue
        defined: set[str] = set()
        lacking = False
        for doc in docs:
            top = doc.get("services") if isinstance(doc, YMap) else None
            for key, svc in top.items if isinstance(top, YMap) else ():
                if isinstance(svc, YMap) and any(svc.get(k) for k in ("image", "build")):
                    defined.add(str(key.value))
                else:
                    lacking = True
        if defined.issuperset(names):
            found.append(rel)
            if not lacking:
                complete.append(rel)
    found = complete or found
    # an override (`test.override.yml`) is by its name a layer over the base, not the base
    plain = [rel for rel in found if "override" not in rel.rpartition("/")[2].split(".")]
    return tuple(plain or found)


def _names(names: Sequence[str]) -> str:
    shown = ", ".join(names[:3])
    return shown + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def _documented(
    shared: _Shared, compose_dirs: Mapping[str, Sequence[str]]
) -> tuple[
    dict[str, list[_Plan]],
    dict[str, frozenset[str]],
    dict[Path, Launcher],
    dict[Path, Stale],
    dict[Path, Launcher],
    dict[Path, tuple[Path, ...]],
]:
    """The stacks documented commands start, by project directory: one per (files, env
    files); its environment is what the commands' launchers give (the first launcher that sets
    a variable wins), its profiles every ``--profile`` they select.  Also, by directory, the
    files documented commands there copy to its ``.env`` (``cp deploy.env .env``), which may
    document the directory's other stacks too (:func:`_copied_for`), and the files documented
    commands render with ``envsubst``, each with the first command that does, and the compose
    files whose own comment documents a command naming files that are not there, and those a
    launcher layers through a ``COMPOSE_FILE`` whose stack cannot be read (each with it), and
    the files any command names with ``-f`` after others (each with those)."""
    from envlint.compose.launchers import find_invocations
    from envlint.discovery import default_stack, is_compose_file_name

    rendering: dict[str, Launcher] = {}
    stale_rel: dict[str, Stale] = {}
    unread_rel: dict[str, Launcher] = {}
    layered_rel: dict[str, tuple[str, ...]] = {}
    invocations = find_invocations(
        shared.launchers(),
        lambda directory: tuple(default_stack(compose_dirs.get(directory, ()))),
        rendering,
        stale_rel,
        unread_rel,
        layered_rel,
    )
    rendered = {_abs(shared.root, rel): launcher for rel, launcher in rendering.items()}
    stale = {_abs(shared.root, rel): found for rel, found in stale_rel.items()}
    groups: dict[tuple[tuple[str, ...], tuple[str, ...]], list[Invocation]] = {}
    # each invocation's examples for its absent --env-files (None: not known, left out)
    stand_ins: dict[int, dict[Path, Path]] = {}
    for invocation in invocations:
        files = [_abs(shared.root, f) for f in invocation.files]
        env_paths = [_abs(shared.root, p) for p in invocation.env_files]
        found = shared.env_file_stand_ins(env_paths, dict(invocation.made))
        if found is None:  # an absent env file with no example: its environment is not known
            for rel in invocation.files[1:]:  # the files it layers are not checked by guess
                unread_rel.setdefault(rel, invocation.launcher)
            continue
        if all(
            is_compose_file_name(path.name) or _has_services(shared.files, path) for path in files
        ):
            stand_ins[id(invocation)] = found
            groups.setdefault((invocation.files, invocation.env_files), []).append(invocation)
    unread = {_abs(shared.root, rel): launcher for rel, launcher in unread_rel.items()}
    out: dict[str, list[_Plan]] = {}
    sources: dict[str, set[str | None]] = {}
    for invocation in (i for group in groups.values() for i in group):
        directory = _directory_of(invocation.files)
        made = dict(invocation.made)
        if _dotenv_in(directory) in made:
            sources.setdefault(directory, set()).add(made[_dotenv_in(directory)])
    copies = {d: frozenset(c for c in s if c is not None) for d, s in sources.items()}
    for (files_rel, env_rel), group in groups.items():
        stack = tuple(_abs(shared.root, f) for f in files_rel)
        launched: dict[str, EnvValue] = {}
        launchers: dict[str, Launcher] = {}
        # each variable's value in every command of the group (None: the command lacks it)
        values: dict[str, list[str | None]] = {}
        for invocation in group:
            launchers.setdefault(invocation.launcher.name, invocation.launcher)
            own = {var.name: var for var in invocation.environment}  # later entries win
            for name, var in own.items():
                values.setdefault(name, []).append(var.value)
                if name not in launched and name != "PWD":  # the shell's PWD is the cwd
                    launched[name] = _launched(var, invocation.launcher)
        for name, seen in values.items():
            # commands of one stack that set a variable differently (or one sets it and
            # another does not: `X=1 docker compose up a` beside `docker compose up b`): its
            # value depends on the command, so it is provided but not known
            differs = len(set(seen)) > 1 or len(seen) < len(group)
            if name in launched and differs:
                unknown = "${" + name + "}"
                launched[name] = replace(launched[name], value=unknown, unresolved=True)
        env_paths = [_abs(shared.root, p) for p in env_rel]
        directory = _directory_of(files_rel)
        # `cp deploy.env .env` before the commands: that file is the one .env is made from
        # (a command of the group that copies nothing runs with the .env the others make)
        copied = {dict(inv.made).get(_dotenv_in(directory)) for inv in group} - {None}
        template = copied.pop() if len(copied) == 1 else None
        templates = _templates(
            shared.root,
            [p.name for p in stack],
            compose_dirs.get(directory, ()),
            copies.get(directory),
            _abs(shared.root, template) if template is not None else None,
        )
        # the examples read in place of absent env files (every command of the group passes
        # the same files; the first one's copy, if it makes them, is the one documented)
        found = stand_ins[id(group[0])]
        env = shared.pass1_env(stack[0].parent, launched, env_paths, templates, found)
        cwd = _abs(shared.root, group[0].cwd)
        env = replace(env, values={**env.values, "PWD": _pwd(cwd)})
        profiles = tuple(dict.fromkeys(p for inv in group for p in inv.profiles))
        starts = tuple(
            _Start(
                inv.services,
                inv.no_deps,
                frozenset(v.name for v in inv.environment),
                inv.launcher.name,
                inv.leaves_running,
                inv.profiles,
            )
            for inv in group
        )
        plan = _Plan(
            cwd,
            stack,
            env,
            bool(shared.settings.env_files) or bool(env_rel),
            kind="documented",
            launchers=tuple(launchers.values()),
            profiles=profiles,
            env_files=env_rel,
            starts=starts,
        )
        out.setdefault(shared.files.rel(stack[0].parent), []).append(plan)
    for plans in out.values():
        for index, plan in enumerate(plans):
            others = (s for o in plans if o is not plan and o.files == plan.files for s in o.starts)
            plans[index] = replace(plan, elsewhere=tuple(others))
    layered = {
        _abs(shared.root, rel): tuple(_abs(shared.root, b) for b in before)
        for rel, before in layered_rel.items()
    }
    return out, copies, rendered, stale, unread, layered


def _unread_note(shared: _Shared, path: Path, launcher: Launcher) -> Problem:
    rel = shared.files.rel(path)
    where = launcher.location
    return Problem(
        ProblemKind.NOTE,
        Location(rel),
        f"{launcher.name} (at {where.path}:{where.line}) starts {rel}, in a stack whose files "
        "or env files envlint cannot know from the repository (a COMPOSE_FILE part or an env "
        "file set outside it, or absent): that stack was not checked, nor this file in a "
        f'guessed one. To check it, name its stack in the config: compose-files = [["<base '
        f'file>", "{rel}"]]',
    )


def _stale_note(shared: _Shared, path: Path, stale: Stale) -> Problem:
    rel = shared.files.rel(path)
    missing = ", ".join(stale.missing)
    return Problem(
        ProblemKind.NOTE,
        stale.launcher.location,
        f"{rel} documents the command that starts it, but the repository has no {missing}: "
        "Compose refuses that command as written, so this stack was not checked (if another "
        f'file is meant, name the stack in the config: compose-files = [["…", "{rel}"]])',
    )


def _rendered_note(shared: _Shared, path: Path, launcher: Launcher) -> Problem:
    rel = shared.files.rel(path)
    return Problem(
        ProblemKind.NOTE,
        launcher.location,
        f"{rel} is a template that {launcher.name} renders with envsubst: the variables it "
        "uses are that shell's to give, and no documented command runs it with Compose, so it "
        "was not checked",
    )


def _directory_of(files: Sequence[str]) -> str:
    """The project directory of a stack of compose files (relative to the root): the first
    file's."""
    return (posixpath.dirname(files[0]) or ".") if files else "."


def _dotenv_in(directory: str) -> str:
    """The ``.env`` of a directory relative to the root, as launchers' ``made`` names it."""
    return posixpath.join(directory, ".env").removeprefix("./")


def _unset_by_their_commands(
    starts: Sequence[_Start],
    refs: list[VarRef],
    svc_nodes: Node | None,
    env: EnvLayer,
    env_files: Sequence[EnvFile],
) -> list[VarRef]:
    """A variable some documented commands of the stack set and others do not is provided (its
    value unknown).  Compose interpolates the files of the command that runs, so what counts for
    a service's reference is the commands that start the service: those naming it (or a service
    that depends on it, without ``--no-deps``) and those that start every service.  When each
    of them lacks the variable, and no project env file defines it, the reference is unset."""
    defined = {entry.key for f in env_files if f.exists for entry in f.entries}
    partial = {
        name
        for name, value in env.values.items()
        if value.source is ValueSource.LAUNCHER
        and name not in defined
        and any(name not in start.sets for start in starts)
    }
    if not partial:
        return refs
    needs = _dependencies(svc_nodes)
    starters: dict[str, list[_Start]] = {}
    out: list[VarRef] = []
    for ref in refs:
        if ref.is_set and ref.service is not None and ref.name in partial:
            if ref.service not in starters:
                starters[ref.service] = [s for s in starts if _starts(s, ref.service, needs)]
            found = starters[ref.service]
            if found and all(ref.name not in start.sets for start in found):
                ref = replace(ref, is_set=False, is_empty=False)
        out.append(ref)
    return out


def _started_elsewhere(plan: _Plan, refs: list[VarRef], svc_nodes: Node | None) -> list[VarRef]:
    """A service none of the stack's commands start (``run --rm tools`` starts tools and what
    it depends on) that documented commands of another stack of the same files do start (``up``
    with ``--env-file``) is not run with this stack's environment: its references here are not
    what Compose substitutes for it (``${X:?}`` ones stay: Compose refuses the whole file)."""
    if not plan.starts or not plan.elsewhere:
        return refs
    needs = _dependencies(svc_nodes)
    out: list[VarRef] = []
    for ref in refs:
        service = ref.service
        if (
            service is not None
            and ref.operator not in ("?", ":?")
            and not any(_starts(s, service, needs) for s in plan.starts)
            and any(_starts(s, service, needs) for s in plan.elsewhere)
        ):
            continue
        out.append(ref)
    return out


def _starts(start: _Start, service: str, needs: Mapping[str, frozenset[str]]) -> bool:
    """Whether the command starts ``service``: it names it, starts every service, or (without
    ``--no-deps``) names a service that needs it, directly or through others."""
    started = _started_by(start, needs)
    return started is None or service in started


def _started_by(start: _Start, needs: Mapping[str, frozenset[str]]) -> frozenset[str] | None:
    """The services the command starts: those it names and (without ``--no-deps``) what they
    need, directly or through others; None when it starts every service.  A named service's
    profiles are enabled by naming it; a dependency in a disabled profile makes Compose refuse
    the command, so either way the closure is what runs."""
    if start.services is None:
        return None
    if start.no_deps:
        return frozenset(start.services)
    seen: set[str] = set()
    todo = list(start.services)
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(needs.get(name, frozenset()))
    return frozenset(seen)


def _started_together(plan: _Plan, svc_nodes: Node | None) -> tuple[frozenset[str], ...] | None:
    """What runs at once while each documented command of a documented stack runs, when every
    one names its services: what it starts (:func:`_started_by`) and what the other commands
    of its launcher (one script, CI job, make target) leave running (``up -d db`` then ``run
    tests``; in whatever order: a script's branches and loops are not followed).  None when any
    service may run beside any other: a command starts them all, nothing documents the stack,
    or it is the directory's default stack (a bare ``docker compose up`` is how people start
    that one, documented or not)."""
    if plan.kind != "documented" or not plan.starts:
        return None
    needs = _dependencies(svc_nodes)
    started: list[tuple[_Start, frozenset[str]]] = []
    left: dict[str, set[str]] = {}
    for start in plan.starts:
        services = _started_by(start, needs)
        if services is None:
            return None
        started.append((start, services))
        if start.leaves_running == "all":
            left.setdefault(start.launcher, set()).update(services)
        elif start.leaves_running == "dependencies":
            named = frozenset(start.services or ())
            left.setdefault(start.launcher, set()).update(services - named)
    return tuple(
        dict.fromkeys(services | left.get(start.launcher, set()) for start, services in started)
    )


def _dependencies(svc_nodes: Node | None) -> dict[str, frozenset[str]]:
    """Each service's services Compose starts with it: ``depends_on``, ``links``,
    ``volumes_from`` and ``network_mode: service:x``."""
    out: dict[str, frozenset[str]] = {}
    if svc_nodes is None or not isinstance(svc_nodes.value, dict):
        return out
    for name, node in svc_nodes.value.items():
        if not isinstance(node.value, dict):
            continue
        found: set[str] = set()
        depends = node.get("depends_on")
        if depends is not None and isinstance(depends.value, dict):
            found.update(str(key) for key in depends.value)
        elif depends is not None:
            found.update(s for item in _list(depends) if (s := _str(item)))
        links = [text for item in _list(node.get("links")) if (text := _str(item))]
        shared = [text for item in _list(node.get("volumes_from")) if (text := _str(item))]
        found.update(_peers(links, shared, _str(node.get("network_mode"))))
        out[str(name)] = frozenset(found)
    return out


def _launched(var: LaunchVar, launcher: Launcher) -> EnvValue:
    """A launcher's variable as a project environment value; one whose value is not known
    here (a secret, ``$(shell …)``) stands in as ``${NAME}`` and is unresolved."""
    known = var.value is not None
    return EnvValue(
        var.name,
        var.value if var.value is not None else "${" + var.name + "}",
        ValueSource.LAUNCHER,
        var.location,
        unresolved=not known,
        provider=launcher.name,
    )


def _has_services(files: FileCache, path: Path) -> bool:
    """A YAML file with a top-level ``services:`` mapping (a compose file by content)."""
    from envlint.compose.yamlnodes import YMap

    if path.suffix not in (".yml", ".yaml"):
        return False
    return any(
        isinstance(doc, YMap) and isinstance(doc.get("services"), YMap)
        for doc in files.documents(path)
    )


def _compose_file_stack(shared: _Shared, cwd: Path, env: EnvLayer) -> tuple[Path, ...]:
    """``COMPOSE_FILE`` from the directory's env (cli/options.go:137-152), relative to the cwd;
    files that are missing or outside the root are problems and left out."""
    stack: list[Path] = []
    origin = env.values.get("COMPOSE_FILE")
    where = (origin.origin if origin is not None else None) or Location(shared.files.rel(cwd))
    for text in compose_files_setting(env.values):
        path = _abs(cwd, text)
        rel = shared.files.rel(path)
        if not shared.files.inside(path):
            message = f"COMPOSE_FILE names {rel}, outside the checked root: not read"
            shared.problems[Problem(ProblemKind.NOTE, where, message)] = None
        elif not shared.files.is_file(path):
            message = f"COMPOSE_FILE names {rel}, which does not exist"
            shared.problems[Problem(ProblemKind.PARSE_ERROR, where, message)] = None
        else:
            stack.append(path)
    return tuple(stack)


def _pwd(cwd: Path) -> EnvValue:
    return EnvValue("PWD", str(cwd), ValueSource.COMPOSE_DEFAULT, None)


# ----------------------------------------------------------------------------------------------
# one project


def _context(path: tuple[str, ...]) -> str:
    out = ""
    for part in path:
        out += part if part.startswith("[") else (f".{part}" if out else part)
    return out


def _is_remote(text: str) -> bool:
    """paths/context.go: remote build contexts and include sources are not local paths."""
    return "://" in text or text.startswith(("git@", "github.com/", "service:"))


def _go_bool(node: Node | None, default: bool) -> bool | None:
    if node is None or node.value is None:
        return default
    if isinstance(node.value, bool):
        return node.value
    text = compose_string(node.value)
    if text in _GO_TRUE:
        return True
    if text in _GO_FALSE:
        return False
    return None


def _str(node: Node | None) -> str | None:
    if node is None or node.value is None or isinstance(node.value, dict | list):
        return None
    return compose_string(node.value)


@dataclass
class _FileCtx:
    rel: str
    lines: list[str]
    lookup: Callable[[str], str | None]
    examples: frozenset[str] = frozenset()  # names whose value is an example's placeholder
    unknown: frozenset[str] = frozenset()  # names set to a value envlint cannot know


class _ProjectLoader:
    """Loads one stack; collects the project's refs, problems and included files."""

    def __init__(self, shared: _Shared, plan: _Plan) -> None:
        self.shared = shared
        self.files = shared.files
        self.plan = plan
        self.project_dir = plan.files[0].parent
        self.project_rel = self.files.rel(self.project_dir)
        self.problems: list[Problem] = []
        self.refs: list[VarRef] = []
        self.included: list[str] = []
        self.imported: list[str] = []  # the files of included sub-projects (``include``)
        # (file, service): the services of other files this stack's services extend, each with
        # the service whose `extends` named it
        self.extended: dict[tuple[str, str], str] = {}
        self.env_files: list[EnvFile] = list(plan.env.env_files)
        self.service_env_files: dict[str, EnvFile] = {}
        self._nodes: dict[tuple[Path, int], list[Node] | None] = {}
        self._extends_bases: dict[tuple[Path, int], dict[str, Node]] = {}
        self.unextended: set[str] = set()  # services whose `extends` was not followed
        self._limit_reported = False
        # a layer envlint paired by itself whose own services lack image and build: the notes
        # saying so, and the stack is not checked (:meth:`_no_image`)
        self.not_a_stack: list[Problem] = []

    # -- problems ------------------------------------------------------------------------------
    def problem(self, kind: ProblemKind, loc: Location, message: str) -> None:
        self.problems.append(Problem(kind, loc, message))

    def report(self, problem: Problem) -> None:
        self.problems.append(problem)

    # -- project environment -------------------------------------------------------------------
    def project_env(self) -> EnvLayer:
        env = self.plan.env
        self.problems.extend(env.problems)
        if not self.plan.env_paths_given and self.project_dir != self.plan.cwd:
            # Second pass (compose.go:401-411): the project directory's .env, add-only.
            second = self.shared.dotenv(self.project_dir, env.values)
            self.problems.extend(second.problems)
            self.env_files.extend(second.env_files)
            documented = env.documented_by or second.documented_by
            env = EnvLayer(
                second.values, (*env.env_files, *second.env_files), (), documented
            )
        return env

    def project_name(self, env: EnvLayer) -> tuple[str, EnvValue]:
        """cli/options.go:544-562: COMPOSE_PROJECT_NAME, else the last `name:`, else the dir."""
        from envlint.compose.yamlnodes import YMap, YScalar

        given = env.values.get("COMPOSE_PROJECT_NAME")
        # a launcher's value not known here (a CI expression, a document's .env) names nothing
        if given is not None and given.value and not given.unresolved:
            name = given.value
            if not valid_project_name(name):
                self.problem(
                    ProblemKind.NOTE,
                    given.origin or Location(self.project_rel),
                    "COMPOSE_PROJECT_NAME is not a valid project name (lowercase letters, "
                    "digits, '-' and '_', starting with a letter or digit): Compose refuses it",
                )
                name = normalize_project_name(name) or "default"
            return name, replace(given, value=name)
        last: tuple[str, Location] | None = None
        for path in self.plan.files:
            for doc in self._documents(path):
                node = doc.get("name") if isinstance(doc, YMap) else None
                if isinstance(node, YScalar) and isinstance(node.value, str):
                    value = interpolate(node.value, env.lookup, budget=self.files.budget).value
                    last = (value, node.loc)
        if last is not None and normalize_project_name(last[0]):
            name = normalize_project_name(last[0])
            return name, EnvValue(
                "COMPOSE_PROJECT_NAME", name, ValueSource.COMPOSE_DEFAULT, last[1]
            )
        base = self.project_dir.name or self.shared.root.name
        name = normalize_project_name(base) or "default"
        return name, EnvValue("COMPOSE_PROJECT_NAME", name, ValueSource.COMPOSE_DEFAULT, None)

    # -- files -> nodes --------------------------------------------------------------------------
    def _documents(self, path: Path) -> tuple[YNode, ...]:
        return self.files.documents(path)

    def file_nodes(self, path: Path, env: EnvLayer) -> list[Node]:
        """The file's documents converted to interpolated nodes (once per environment)."""
        key = (path, id(env))
        if key not in self._nodes:
            docs = self._documents(path)
            examples = frozenset(k for k, v in env.values.items() if v.example)
            unknown = frozenset(k for k, v in env.values.items() if v.unresolved)
            lines = self.files.text(path).split("\n")
            ctx = _FileCtx(self.files.rel(path), lines, env.lookup, examples, unknown)
            self._nodes[key] = [self._to_node(doc, (), ctx) for doc in docs]
        return [clone(n) for n in self._nodes[key] or []]

    def _to_node(self, y: YNode, path: tuple[str, ...], ctx: _FileCtx) -> Node:
        from envlint.compose.yamlnodes import YMap, YScalar, YSeq

        tag = y.tag if y.tag in (RESET, OVERRIDE) else None
        if isinstance(y, YScalar):
            value: object = y.value
            unresolved = example = False
            if isinstance(y.value, str) and may_interpolate(y.value):
                value, unresolved, example = self._interpolate(y, path, ctx)
            return Node(value, y.loc, tag=tag, unresolved=unresolved, example=example)
        if isinstance(y, YSeq):
            env_list = _is_env_path(path)
            items = []
            for i, item in enumerate(y.items):
                part = f"[{i}]"
                if env_list and isinstance(item, YScalar) and isinstance(item.value, str):
                    part = item.value.partition("=")[0]
                items.append(self._to_node(item, (*path, part), ctx))
            return Node(items, y.loc, tag=tag)
        assert isinstance(y, YMap)
        mapping: dict[str, Node] = {}
        for key_node, value_node in y.items:
            if key_node.value is None:
                self.problem(
                    ProblemKind.PARSE_ERROR,
                    key_node.loc,
                    f"non-string key in {_context(path) or 'the top level'}",
                )
                continue
            key = compose_string(key_node.value)
            child = self._to_node(value_node, (*path, key), ctx)
            child.key_loc = key_node.loc
            mapping[key] = child
        return Node(mapping, y.loc, tag=tag)

    def _interpolate(
        self, y: YScalar, path: tuple[str, ...], ctx: _FileCtx
    ) -> tuple[str, bool, bool]:
        """The interpolated value, whether it is unresolved, and whether it took a value from
        an example file's placeholder."""
        assert isinstance(y.value, str)
        result = interpolate(y.value, ctx.lookup, budget=self.files.budget)
        context = _context(path)
        service = path[1] if len(path) >= 2 and path[0] == "services" else None
        locate = ScalarLocator(y.loc, y.style, y.value, ctx.lines)  # one column map per value
        for ref in result.refs:
            self.refs.append(
                VarRef(
                    name=ref.name,
                    operator=ref.operator,
                    location=locate(ref.start, ref.end),
                    is_set=ref.is_set,
                    is_empty=ref.is_empty,
                    context=context,
                    service=service,
                    compose_project=self.project_rel,
                    message=ref.message,
                    blocked=ref.blocked,
                )
            )
        for ref in literal_braces(y.value, result.refs):
            self.problem(
                ProblemKind.LITERAL_BRACE,
                locate(ref.start, ref.end + 1),
                f"${ref.name}}} in {context}: Compose substitutes ${ref.name} and keeps the }} "
                f"as a literal character; write ${{{ref.name}}}",
            )
        error = result.error
        if error is not None and error.kind == "limit" and not self._limit_reported:
            self._limit_reported = True  # every later value fails too: say it once
            offset = min(error.offset, len(y.value))
            self.problem(
                ProblemKind.INVALID_INTERPOLATION,
                reference_location(y.loc, y.style, y.value, offset, offset + 2, ctx.lines),
                f"{error.message}: values from here on are not substituted",
            )
        if error is not None and error.kind == "invalid":
            offset = min(error.offset, len(y.value))
            self.problem(
                ProblemKind.INVALID_INTERPOLATION,
                reference_location(y.loc, y.style, y.value, offset, offset + 2, ctx.lines),
                f"invalid interpolation format for {context}: "
                "you may need to escape any $ with another $",
            )
        unresolved = error is not None or any(
            (r.operator == "" and not r.is_set) or (r.is_set and r.name in ctx.unknown)
            for r in result.refs
        )
        example = any(r.is_set and r.name in ctx.examples and not r.blocked for r in result.refs)
        return result.value, unresolved, example

    # -- stacks, include, extends ----------------------------------------------------------------
    def load_stack(
        self, paths: Sequence[Path], workdir: Path, env: EnvLayer, chain: tuple[Path, ...]
    ) -> Node | None:
        model: Node | None = None
        for path in paths:
            for doc in self.file_nodes(path, env):
                doc = self.apply_include(doc, workdir, env, (*chain, path))
                self.apply_extends(doc, path, workdir, env)
                model = merge(model, doc)
        return model

    def apply_include(
        self, model: Node, workdir: Path, env: EnvLayer, chain: tuple[Path, ...]
    ) -> Node:
        """compose-go loader/include.go: each entry is a sub-project merged under this file."""
        mapping = model.mapping()
        include = mapping.pop("include", None)
        if include is None:
            return model
        entries = include.items() if isinstance(include.value, list) else [include]
        merged: Node | None = None
        for entry in entries:
            sub = self._include_entry(entry, workdir, env, chain)
            if sub is not None:
                merged = merge(merged, sub)
        return model if merged is None else merge(merged, model)

    def _include_entry(
        self, entry: Node, workdir: Path, env: EnvLayer, chain: tuple[Path, ...]
    ) -> Node | None:
        if isinstance(entry.value, str):
            path_nodes, project_dir, env_file_nodes = [entry], None, []
        elif isinstance(entry.value, dict):
            path_node = entry.get("path")
            path_nodes = (
                path_node.items()
                if path_node and isinstance(path_node.value, list)
                else ([path_node] if path_node is not None else [])
            )
            project_dir = _str(entry.get("project_directory"))
            env_node = entry.get("env_file")
            env_file_nodes = (
                env_node.items()
                if env_node and isinstance(env_node.value, list)
                else ([env_node] if env_node is not None else [])
            )
        else:
            self.problem(
                ProblemKind.PARSE_ERROR, entry.loc, "include entries must be a path or a mapping"
            )
            return None
        texts = [_str(n) for n in path_nodes]
        if not texts or any(t is None or t == "" for t in texts):
            self.problem(ProblemKind.PARSE_ERROR, entry.loc, "include entry without a path")
            return None
        paths: list[Path] = []
        for text, node in zip(texts, path_nodes, strict=True):
            assert text is not None
            if _is_remote(text) or text.startswith("oci:"):
                self.problem(ProblemKind.NOTE, node.loc, "remote include is not followed")
                return None
            path = _abs(workdir, text)
            rel = self.files.rel(path)
            if not self.files.inside(path):
                self.problem(
                    ProblemKind.NOTE,
                    node.loc,
                    f"include {rel} is outside the checked root: not read",
                )
                return None
            if not self.files.is_file(path):
                self.problem(ProblemKind.PARSE_ERROR, node.loc, f"included file {rel} not found")
                return None
            if path in chain:
                self.problem(ProblemKind.PARSE_ERROR, node.loc, f"circular include of {rel}")
                return None
            paths.append(path)
        sub_dir = _abs(workdir, project_dir) if project_dir else paths[0].parent
        if env_file_nodes:
            env_paths = [_abs(workdir, t) for t in (_str(n) for n in env_file_nodes) if t]
            env_paths = [p for p in env_paths if str(p) != "/dev/null"]
            sub_env = read_env_files(env_paths, env.values, self.files, required=True)
        else:
            sub_env = read_env_files([sub_dir / ".env"], env.values, self.files, required=False)
        self.problems.extend(sub_env.problems)
        self.env_files.extend(sub_env.env_files)
        self.included.extend(self.files.rel(p) for p in paths)
        self.imported.extend(self.files.rel(p) for p in paths)
        sub = self.load_stack(paths, sub_dir, sub_env, chain)
        if sub is None:
            return None
        sub.mapping().pop("name", None)
        sub_services = sub.get("services")
        for svc in sub_services.mapping().values() if sub_services is not None else ():
            _resolve_paths(svc, sub_dir)
            _resolve_list_passthrough(svc, sub_env)
        return sub

    def apply_extends(self, model: Node, path: Path, workdir: Path, env: EnvLayer) -> None:
        services = model.get("services")
        if services is None or not isinstance(services.value, dict):
            return
        for name in list(services.value):
            self._extend(name, services.value, path, workdir, env, frozenset())

    def _extend(
        self,
        name: str,
        services: dict[str, Node],
        filename: Path,
        workdir: Path,
        env: EnvLayer,
        seen: frozenset[tuple[Path, str]],
    ) -> Node | None:
        """compose-go loader/extends.go ``applyServiceExtends`` (chains, cycles, base files)."""
        svc = services.get(name)
        if svc is None:
            return None
        ext = svc.get("extends")
        if ext is None:
            return svc

        def fail(kind: ProblemKind, message: str) -> Node:
            self.problem(kind, ext.loc, message)
            svc.mapping().pop("extends", None)
            self.unextended.add(name)
            return svc

        if (filename, name) in seen:
            return fail(ProblemKind.PARSE_ERROR, f"extends cycle at service '{name}'")
        seen = seen | {(filename, name)}
        ref: str | None
        if isinstance(ext.value, str):
            ref, file_text = ext.value, None
        elif isinstance(ext.value, dict):
            ref, file_text = _str(ext.get("service")), _str(ext.get("file"))
        else:
            ref, file_text = None, None
        if not ref:
            return fail(ProblemKind.PARSE_ERROR, f"extends of service '{name}' names no service")
        base_services, base_file, base_dir = services, filename, workdir
        if file_text:
            base_file = _abs(workdir, file_text)
            rel = self.files.rel(base_file)
            if _is_remote(file_text) or not self.files.inside(base_file):
                return fail(
                    ProblemKind.NOTE,
                    f"extends file {rel} is outside the checked root or remote: not read",
                )
            if not self.files.is_file(base_file):
                return fail(ProblemKind.PARSE_ERROR, f"extends file {rel} not found")
            self.included.append(rel)
            base_services = self._extends_base_services(base_file, env)
            base_dir = base_file.parent
        if ref not in base_services:
            return fail(
                ProblemKind.PARSE_ERROR,
                f"cannot extend service '{name}': service '{ref}' not found",
            )
        if base_file not in self.plan.files:
            self.extended.setdefault((self.files.rel(base_file), ref), name)
        base = self._extend(ref, base_services, base_file, base_dir, env, seen)
        if ref in self.unextended:
            self.unextended.add(name)  # what it takes is not known either
        svc.mapping().pop("extends", None)
        if base is None or base is svc:
            return svc
        merged = merge(clone(base), svc, ("services", name))
        merged.key_loc = svc.key_loc
        merged.loc = svc.loc
        services[name] = merged
        return merged

    def _extends_base_services(self, path: Path, env: EnvLayer) -> dict[str, Node]:
        """A base file's services: interpolated with the main env, paths against its dir."""
        key = (path, id(env))
        if key not in self._extends_bases:
            services: dict[str, Node] = {}
            for doc in self.file_nodes(path, env):
                node = doc.get("services")
                if node is not None and isinstance(node.value, dict):
                    for svc_name, svc in node.value.items():
                        _resolve_paths(svc, path.parent)
                        services[svc_name] = svc
            self._extends_bases[key] = services
        return self._extends_bases[key]

    # -- the project -----------------------------------------------------------------------------
    def load(self) -> ComposeProject:
        env = self.project_env()
        name, name_value = self.project_name(env)
        values = dict(env.values)
        values["COMPOSE_PROJECT_NAME"] = name_value
        env = EnvLayer(values, env.env_files, (), env.documented_by)
        model = self.load_stack(self.plan.files, self.project_dir, env, ())
        if not any(self._documents(path) for path in self.plan.files):
            first = self.plan.files[0]
            if self.files.rel(first) not in self.files.problem_paths():
                self.files.note(first, "empty compose file: Compose refuses to load it")
        profiles, profile_runs = self.profiles(env)
        services: list[Service] = []
        svc_nodes = model.get("services") if model is not None else None
        if svc_nodes is not None and not isinstance(svc_nodes.value, dict | type(None)):
            self.problem(ProblemKind.PARSE_ERROR, svc_nodes.loc, "services must be a mapping")
        elif svc_nodes is not None and isinstance(svc_nodes.value, dict):
            for svc_name, node in svc_nodes.value.items():
                service = self.service(svc_name, node, env, profiles)
                if service is not None:
                    services.append(service)
        included = tuple(dict.fromkeys(i for i in self.included if i not in self._own_files()))
        env_files = tuple({f.path: f for f in self.env_files}.values())
        self.refs = self._outside_extended(self.refs)
        self.refs = _unset_by_their_commands(self.plan.starts, self.refs, svc_nodes, env, env_files)
        self.refs = _started_elsewhere(self.plan, self.refs, svc_nodes)
        project = ComposeProject(
            name=name,
            directory=self.project_rel,
            files=self._own_files(),
            env_files=env_files,
            environment=frozen_mapping(env.values),
            services=tuple(sorted(services, key=lambda s: s.name)),
            refs=tuple(self.refs),
            included_files=included,
            kind=self.plan.kind,
            service_env_files=tuple(self.service_env_files.values()),
            resource_env=_resource_env(model, env),
            documented_by=env.documented_by,
            launchers=self.plan.launchers,
            invocation_env_files=self.plan.env_files,
            started_together=_started_together(self.plan, svc_nodes),
            profile_runs=profile_runs,
        )
        if services and not any(s.active for s in services):
            self.report(_none_active(project, profiles))
        self._no_image(project, svc_nodes)
        return project

    def _no_image(self, project: ComposeProject, svc_nodes: Node | None) -> None:
        """compose-go ``checkConsistency`` (loader/validate.go) refuses a project with an
        active service that has neither ``image`` nor ``build`` (nor ``provider``): an
        override that names a service the base file does not define (a typo) creates one.  An
        error where Compose loads this stack (the default files, ``-f``); a note for a stack as
        envlint reads a documented command (which may mean files elsewhere).  A combination
        envlint pairs by itself (a layer over the default stack) is no stack anybody runs: its
        note says what the files are, not what Compose does with them, and the stack is not
        checked (:attr:`not_a_stack`; ``eShopOnContainers``' test overlay belongs on the test
        file, not the default one).
        A directory's main file with such a service is left alone: it may be a part of a
        stack that a command envlint cannot read combines, or a file to fix; so is it under a
        layer envlint pairs with it (only the layer's own services are noted)."""
        if self.plan.kind in ("base", "alone"):
            return  # files envlint took as complete: `image: !reset null` says it is a layer
        if svc_nodes is None or not isinstance(svc_nodes.value, dict):
            return
        lacking: list[Service] = []
        for service in project.services:
            node = svc_nodes.value.get(service.name)
            if node is None or not service.active or service.name in self.unextended:
                continue
            if any(node.get(key) is not None for key in ("image", "build", "provider")):
                continue
            where = service.location.path
            if self.plan.kind == "default" and where == self.files.rel(self.plan.files[0]):
                continue  # the directory's main file: a part of a stack, or a stack to fix?
            if self.plan.kind == "layer":  # the default files' own service is left alone
                if where == self.files.rel(self.plan.files[-1]):
                    lacking.append(service)
                continue
            message = (
                f"service '{service.name}' has neither an image nor a build context in the "
                f"stack {project.stack}: Compose refuses to load it"
            )
            kind = ProblemKind.PARSE_ERROR
            if self.plan.kind == "documented":  # as envlint reads the command: it may mean
                kind = ProblemKind.NOTE  # other files (a docs page's own directory)
                by = self.plan.launchers[0].name if self.plan.launchers else "a documented command"
                message += f" (the stack as envlint reads the command at {by})"
            self.problem(kind, service.location, message)
        if lacking:
            self.not_a_stack = self._unpaired(project, lacking)

    def _unpaired(self, project: ComposeProject, lacking: Sequence[Service]) -> list[Problem]:
        """The notes on a layer envlint paired by itself whose services ``lacking`` have
        neither image nor build there: what the files are, and how to name the stack they
        belong to (naming its base when one repository file gives them all an image or build)."""
        layer = self.files.rel(self.plan.files[-1])
        names = tuple(service.name for service in lacking)
        bases = _bases(self.shared, names, self.plan.files)
        base = bases[0] if len(bases) == 1 else "<base file>"
        return [
            Problem(
                ProblemKind.NOTE,
                service.location,
                f"service '{service.name}' of {layer} has neither an image nor a build context "
                f"in {project.stack}, the files envlint combined by their names (no documented "
                "command that envlint can read runs them): they are not a complete stack "
                f"together, so envlint does not check them as one. If {layer} is layered on "
                "other files, name that stack in the config: "
                f'compose-files = [["{base}", "{layer}"]]',
            )
            for service in lacking
        ]

    def _outside_extended(self, refs: list[VarRef]) -> list[VarRef]:
        """Compose interpolates the whole file an ``extends: file:`` names (loader/extends.go
        ``getExtendsBaseFromFile``), with this stack's environment, and takes only the service
        named: a reference elsewhere in that file reaches no container of this stack (where the
        file is a stack of its own, it is checked there).  Only a ``${X:?}`` / ``${X?}`` there
        still matters: it aborts the load.  It is kept, marked with the extending service."""
        taken: dict[str, dict[str, str]] = {}
        for (path, service), by in self.extended.items():
            taken.setdefault(path, {})[service] = by
        own = {*self._own_files(), *self.imported}
        out: list[VarRef] = []
        for ref in refs:
            services = taken.get(ref.location.path)
            if services is None or ref.location.path in own or ref.service in services:
                out.append(ref)
            elif ref.operator in ("?", ":?"):
                by = next(iter(services.values()))
                out.append(replace(ref, service=None, extended_by=by))
        return out

    def profiles(self, env: EnvLayer) -> tuple[frozenset[str], tuple[frozenset[str], ...] | None]:
        """The enabled profiles: ``--profile`` / ``profiles`` of the run (like ``docker compose
        --profile``, which makes Compose ignore COMPOSE_PROFILES), else the documented
        commands' ``--profile`` options with ``COMPOSE_PROFILES`` (loader.go:621); and the
        profiles each documented command enables (``docker compose --profile`` takes the place
        of ``COMPOSE_PROFILES``) when the first are their union, else None: see
        :attr:`ComposeProject.profile_runs`."""
        if self.shared.settings.profiles:
            return frozenset(self.shared.settings.profiles), None
        env_profiles = enabled_profiles(env.values)
        runs = None
        if self.plan.profiles:
            runs = tuple(
                dict.fromkeys(frozenset(s.profiles) or env_profiles for s in self.plan.starts)
            )
        return frozenset(self.plan.profiles) | env_profiles, runs

    def _own_files(self) -> tuple[str, ...]:
        return tuple(self.files.rel(p) for p in self.plan.files)

    def service(
        self, name: str, node: Node, env: EnvLayer, profiles: frozenset[str]
    ) -> Service | None:
        if node.value is None:
            node = replace(node, value={})
        if not isinstance(node.value, dict):
            self.problem(ProblemKind.PARSE_ERROR, node.loc, f"service '{name}' must be a mapping")
            return None
        svc_profiles = tuple(s for s in (_str(p) for p in _list(node.get("profiles"))) if s)
        active = profiles_start(svc_profiles, profiles)
        environment, passthroughs, erased, env_values = self._environment(name, node, env)
        env_file_refs = self._env_file_refs(node)
        merged: dict[str, EnvValue] = {}
        if active:
            merged = self._read_env_files(name, env_file_refs, env, env_values)
        for key in erased:
            merged.pop(key, None)
        merged.update(environment)
        build = _Build.of(node.get("build"), self.project_dir)
        image_env, dockerfile_from, defaulted = self._image_env(build, erased, env)
        restart = node.get("restart")
        deploy = node.get("deploy")
        policy = deploy.get("restart_policy") if deploy is not None else None
        name_node = node.get("container_name")
        return Service(
            name=name,
            location=node.key_loc or node.loc,
            active=active,
            profiles=svc_profiles,
            image=_str(node.get("image")),
            build_context=self.files.rel(build.context) if build.context else None,
            dockerfile=self.files.rel(build.dockerfile) if build.dockerfile else None,
            build_target=build.target,
            source_dir=self._source_dir(name, build),
            dockerfile_from=dockerfile_from,
            restart=_str(restart),
            restart_location=restart.loc if restart is not None else None,
            deploy_restart=_str(policy.get("condition")) if policy is not None else None,
            env_files=tuple(ref for ref, _ in env_file_refs),
            passthroughs=tuple(passthroughs),
            build_args=_build_passthroughs(build, env, defaulted),
            environment=frozen_mapping(merged),
            image_env=frozen_mapping(image_env),
            raw=MappingProxyType(_plain_mapping(node)),
            container_name=None if name_node is None or name_node.unresolved else _str(name_node),
            container_name_location=name_node.loc if name_node is not None else None,
            key_locations=MappingProxyType(
                {k: v.key_loc for k, v in node.mapping().items() if v.key_loc is not None}
            ),
            ports=_ports(node.get("ports")),
        )

    def _environment(
        self, name: str, node: Node, env: EnvLayer
    ) -> tuple[dict[str, EnvValue], list[PassThrough], set[str], dict[str, str]]:
        items = env_items(node.get("environment"), self.report)
        values: dict[str, EnvValue] = {}
        passthroughs: list[PassThrough] = []
        erased: set[str] = set()
        for key, item in items.items():
            where = item.key_loc or item.loc
            if key != key.rstrip():
                self.problem(
                    ProblemKind.PARSE_ERROR,
                    where,
                    f"environment variable '{key.rstrip()}' of service '{name}' is declared "
                    "with a trailing space",
                )
                continue
            if item.value is None:
                found = env.values.get(key)
                passthroughs.append(PassThrough(key, where, found is not None))
                if found is None:
                    erased.add(key)
                else:
                    values[key] = EnvValue(
                        key,
                        found.value,
                        ValueSource.PASSTHROUGH,
                        where,
                        unresolved=found.unresolved,
                        example=found.example,
                    )
                continue
            if item.passthrough:
                passthroughs.append(PassThrough(key, where, True))
            source = ValueSource.PASSTHROUGH if item.passthrough else ValueSource.ENVIRONMENT
            values[key] = EnvValue(
                key,
                str(item.value),
                source,
                where,
                unresolved=item.unresolved,
                example=item.example,
            )
        lookup_values = {k: v.value for k, v in values.items()}
        return values, passthroughs, erased, lookup_values

    def _env_file_refs(self, node: Node) -> list[tuple[EnvFileRef, Path]]:
        refs: list[tuple[EnvFileRef, Path]] = []
        for item in _list(node.get("env_file")):
            required: bool | None = True
            fmt = ""
            if isinstance(item.value, dict):
                text = _str(item.get("path"))
                required = _go_bool(item.get("required"), True)
                fmt = _str(item.get("format")) or ""
            else:
                text = _str(item)
            if not text:
                self.problem(ProblemKind.PARSE_ERROR, item.loc, "env_file entry without a path")
                continue
            if required is None:
                self.problem(
                    ProblemKind.PARSE_ERROR, item.loc, "env_file 'required' must be a boolean"
                )
                required = True
            if fmt not in ("", "raw"):
                self.problem(
                    ProblemKind.PARSE_ERROR, item.loc, f"unsupported env_file format '{fmt}'"
                )
                continue
            path = _abs(self.project_dir, text)
            exists = self.files.is_file(path)
            outside = "://" not in text and not self.files.inside(path)
            stand_in = None
            created = None
            if not exists and not outside and "://" not in text:
                found = self.shared.stand_in(path)
                stand_in = self.files.rel(found) if found is not None else None
                if stand_in is None:
                    created = self.shared.created(self.files.rel(path))
            ref = EnvFileRef(
                # Compose reads env_file paths from disk only: a URL is just a missing file,
                # named as written.
                path=text if "://" in text else self.files.rel(path),
                required=required,
                format="raw" if fmt == "raw" else "",
                location=item.loc,
                exists=exists,
                outside_root=outside,
                stand_in=stand_in,
                created=created,
            )
            refs.append((ref, path))
        return refs

    def _read_env_files(
        self,
        service: str,
        refs: list[tuple[EnvFileRef, Path]],
        env: EnvLayer,
        service_values: dict[str, str],
    ) -> dict[str, EnvValue]:
        """types/project.go:750-782: env_files in order, later wins; interpolated."""
        from envlint.compose.dotenv import (
            decode_env_file,
            mapping_of,
            parse_dotenv,
            parse_raw_env_file,
        )

        acc: dict[str, EnvValue] = {}

        def lookup(key: str) -> str | None:
            found = env.values.get(key)
            if found is not None:
                return found.value
            return service_values.get(key)

        for ref, path in refs:
            if ref.outside_root:
                self.problem(
                    ProblemKind.NOTE,
                    ref.location,
                    f"env file {ref.path} is outside the checked root: not read",
                )
                continue
            if not ref.exists and ref.required:
                self.problem(
                    ProblemKind.MISSING_ENV_FILE,
                    ref.location,
                    f"env file {ref.path} of service '{service}' not found",
                )
            if not ref.exists and ref.stand_in is None:
                continue
            example = not ref.exists
            rel = ref.path
            if ref.stand_in is not None and example:
                rel = ref.stand_in  # the documented twin, read in the absent file's place
                path = self.shared.root / rel
            data = self.files.read(path)
            if data is None:
                continue
            text, problem = decode_env_file(data, rel)
            if text is None:
                if problem is not None:
                    self.report(problem)
                continue
            if ref.format == "raw":
                result = parse_raw_env_file(text, rel, lookup)
            else:
                earlier = {k: v.value for k, v in acc.items()}
                result = parse_dotenv(text, rel, lookup, earlier=earlier, budget=self.files.budget)
            self.problems.extend(result.problems)
            origins = {e.key: e.key_location for e in result.entries}
            for key, value in mapping_of(result).items():
                acc[key] = EnvValue(
                    key, value, ValueSource.ENV_FILE, origins.get(key), example=example
                )
            if rel not in self.service_env_files:
                refs_of_file = tuple(
                    replace(r, service=service, compose_project=self.project_rel)
                    for r in result.refs
                )
                self.service_env_files[rel] = EnvFile(
                    rel,
                    True,
                    result.entries,
                    refs_of_file,
                    role="example" if example else "service",
                    inherited=result.inherited,
                )
        return acc

    def _image_env(
        self, build: _Build, erased: set[str], env: EnvLayer
    ) -> tuple[dict[str, EnvValue], str | None, frozenset[str]]:
        """The image's ENV, its base image and the ARGs its Dockerfile gives a default."""
        if build.dockerfile is None:
            return {}, None, frozenset()
        dockerfile = self._dockerfile(build.dockerfile, self._build_args(build, env))
        if dockerfile is None:
            return {}, None, frozenset()
        image_env = {
            e.name: EnvValue(e.name, e.value, ValueSource.IMAGE, e.location, e.unresolved)
            for e in dockerfile.effective_env(build.target)
            if e.name not in erased
        }
        return image_env, dockerfile.base_image(build.target), dockerfile.defaulted

    def _dockerfile(self, path: Path, args: Mapping[str, str]) -> Dockerfile | None:
        """The Dockerfile at ``path`` built with ``args``, parsed once per run for every reader
        (:func:`~envlint.compose.dockerfile.parsed_dockerfile`), its problems recorded; None
        when it cannot be read.  Each (path, args) is decoded and looked up once per load."""
        key = (path, tuple(sorted(args.items())))
        if key not in self.shared.dockerfiles:
            self.shared.dockerfiles[key] = self._read_dockerfile(path, args)
        return self.shared.dockerfiles[key]

    def _read_dockerfile(self, path: Path, args: Mapping[str, str]) -> Dockerfile | None:
        if not self.files.is_file(path) or not self.files.inside(path):
            return None
        data = self.files.read(path)
        if data is None:
            return None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            self.files.note(path, "Dockerfile is not valid UTF-8")
            return None
        from envlint.compose.dockerfile import parsed_dockerfile

        parsed = parsed_dockerfile(text.removeprefix("\ufeff"), self.files.rel(path), args)
        self.shared.problems.update(dict.fromkeys(parsed.problems))
        return parsed

    def _build_args(self, build: _Build, env: EnvLayer) -> dict[str, str]:
        """Resolved ``build.args``: pass-through from the project env, unset ones dropped
        (normalize.go:55-57)."""
        args: dict[str, str] = {}
        for key, value in build_arg_values(to_plain(build.args)).items():
            if value is not None:
                args[key] = value
            elif (found := env.values.get(key)) is not None:
                args[key] = found.value
        return args

    def _source_dir(self, name: str, build: _Build) -> str | None:
        override = self.shared.settings.service_sources.get(name)
        if override is not None:
            return self.files.rel(_abs(self.shared.root, override))
        if build.context is None:
            return None
        if build.dockerfile is not None:
            parent = build.dockerfile.parent
            if parent != build.context and parent.is_relative_to(build.context):
                return self.files.rel(parent)
        return self.files.rel(build.context)


def _none_active(project: ComposeProject, enabled: frozenset[str]) -> Problem:
    """Every service of the stack is behind a profile that is not enabled: Compose starts
    nothing without ``--profile``, and envlint checks the environment of no service."""
    names = sorted({p for s in project.services for p in s.profiles})
    shown = ", ".join(names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")
    selected = (
        f"the profiles selected ({', '.join(sorted(enabled))}) match none of them"
        if enabled
        else "none is active when no profile is selected"
    )
    first = min(project.services, key=lambda s: (s.location.line, s.location.column))
    return Problem(
        ProblemKind.NOTE,
        first.location,
        f"every service of stack {project.stack} is behind a profile ({shown}): {selected}, so "
        "envlint checked the environment and code of none of them. Select profiles as docker "
        "compose does: --profile NAME (or profiles in the config, COMPOSE_PROFILES in .env)",
    )


def _resource_env(model: Node | None, env: EnvLayer) -> tuple[PassThrough, ...]:
    """``secrets``/``configs`` entries whose content is a project environment variable."""
    found: list[PassThrough] = []
    for section in ("secrets", "configs"):
        node = model.get(section) if model is not None else None
        if node is None or not isinstance(node.value, dict):
            continue
        for item in node.value.values():
            source = item.get("environment") if isinstance(item.value, dict) else None
            name = _str(source)
            if source is not None and name:
                found.append(PassThrough(name, source.loc, name in env.values))
    return tuple(found)


def _build_passthroughs(
    build: _Build, env: EnvLayer, defaulted: frozenset[str]
) -> tuple[PassThrough, ...]:
    """``build.args`` entries without a value, each resolved (or not) from the project env;
    not those the Dockerfile gives a default (``ARG X=d``: Compose leaves an unset one out of
    the build, so the default applies)."""
    return tuple(
        PassThrough(key, item.key_loc or item.loc, key in env.values)
        for key, item in env_items(build.args).items()
        if item.value is None and key not in defaulted
    )


def build_arg_values(args: object) -> dict[str, str | None]:
    """A service's ``build.args`` in their plain form (as :attr:`~envlint.model.Service.raw`
    holds them) read as Compose reads them (:func:`~envlint.compose.merge.env_items`): a
    mapping or ``KEY=VALUE`` list, each value a string in Compose's form (a YAML ``true`` is
    ``"true"``, a number as Go prints it), None for a pass-through (``- KEY``, ``KEY:``);
    entries that are mappings or lists are left out."""
    found: dict[str, str | None] = {}
    if isinstance(args, Mapping):
        for key, value in args.items():
            if not isinstance(value, Mapping | list):
                found[str(key)] = None if value is None else compose_string(value)
    elif isinstance(args, list):
        for item in args:
            if item is not None and not isinstance(item, Mapping | list):
                key, sep, value = compose_string(item).partition("=")
                found[key] = value if sep else None
    return found


def _is_env_path(path: tuple[str, ...]) -> bool:
    return len(path) == 3 and path[0] == "services" and path[2] == "environment"


def _ports(node: Node | None) -> tuple[PortBinding, ...]:
    """The service's published ports; an entry holding an unset variable is left out."""
    from envlint.compose.ports import parse_port

    out: dict[tuple[object, ...], PortBinding] = {}
    for item in _list(node):
        if _any_unresolved(item):
            continue
        for port in parse_port(to_plain(item), item.loc):
            # Compose drops exact duplicates (override/uncity.go), keeping the first
            key = (port.host_ip, port.published, port.target, port.protocol)
            out.setdefault(key, port)
    return tuple(out.values())


def _any_unresolved(node: Node) -> bool:
    if node.unresolved:
        return True
    if isinstance(node.value, dict):
        return any(_any_unresolved(child) for child in node.value.values())
    return isinstance(node.value, list) and any(_any_unresolved(c) for c in node.value)


def _list(node: Node | None) -> list[Node]:
    if node is None or node.value is None:
        return []
    return node.items() if isinstance(node.value, list) else [node]


def _plain_mapping(node: Node) -> dict[str, object]:
    plain = to_plain(node)
    return plain if isinstance(plain, dict) else {}


def _resolve_paths(svc: Node, base: Path) -> None:
    """paths/resolve.go for the keys envlint reads: env_file, build.context, extends.file."""
    mapping = svc.mapping()
    env_file = mapping.get("env_file")
    if env_file is not None:
        items = env_file.items() if isinstance(env_file.value, list) else [env_file]
        for item in items:
            target = item.get("path") if isinstance(item.value, dict) else item
            if target is not None and isinstance(target.value, str) and target.value:
                target.value = str(_abs(base, target.value))
    build = mapping.get("build")
    if build is not None:
        target = build.get("context") if isinstance(build.value, dict) else build
        if target is not None and isinstance(target.value, str) and not _is_remote(target.value):
            target.value = str(_abs(base, target.value))
        elif isinstance(build.value, dict) and "context" not in build.value:
            build.value["context"] = Node(str(base), build.loc, key_loc=build.loc)
    ext = mapping.get("extends")
    if ext is not None and isinstance(ext.value, dict):
        file_node = ext.get("file")
        if file_node is not None and isinstance(file_node.value, str):
            file_node.value = str(_abs(base, file_node.value))


def _resolve_list_passthrough(svc: Node, env: EnvLayer) -> None:
    """loader.go:436 inside an include: list-form ``- VAR`` resolves against the include env.

    A map-form ``VAR:`` is left for the parent environment (research §5, include quirk).
    """
    node = svc.get("environment")
    if node is None:
        return
    items = env_items(node)
    for key, item in items.items():
        if item.value is None and item.listform:
            found = env.values.get(key)
            if found is not None:
                items[key] = replace(
                    item, value=found.value, passthrough=True, example=found.example
                )
    svc.mapping()["environment"] = Node(items, node.loc, key_loc=node.key_loc)


@dataclass(frozen=True)
class _Build:
    context: Path | None = None
    dockerfile: Path | None = None
    target: str | None = None
    args: Node | None = None

    @staticmethod
    def of(node: Node | None, project_dir: Path) -> _Build:
        """build: string (context) or mapping; context defaults to '.', dockerfile to
        'Dockerfile' unless dockerfile_inline (normalize.go:46-53), relative to the context."""
        if node is None or node.value is None:
            return _Build()
        if isinstance(node.value, str):
            context_text: str | None = node.value
            dockerfile_text: str | None = "Dockerfile"
            target = None
        elif isinstance(node.value, dict):
            context_text = _str(node.get("context")) or "."
            inline = node.get("dockerfile_inline")
            dockerfile_text = _str(node.get("dockerfile")) or (None if inline else "Dockerfile")
            target = _str(node.get("target"))
        else:
            return _Build()
        args = node.get("args")
        if context_text is None or _is_remote(context_text):
            return _Build(target=target, args=args)
        context = _abs(project_dir, context_text)
        dockerfile = _abs(context, dockerfile_text) if dockerfile_text else None
        return _Build(context, dockerfile, target, args)


# ----------------------------------------------------------------------------------------------
# the workspace


@dataclass(frozen=True)
class _Uses:
    """How one stack uses other compose files: as included sub-projects, or as ``extends``
    bases (each base file with the service named)."""

    imported: frozenset[str] = frozenset()
    extended: frozenset[tuple[str, str]] = frozenset()


@dataclass(frozen=True)
class _Loaded:
    plan: _Plan
    project: ComposeProject
    problems: tuple[Problem, ...]
    uses: _Uses


def _is_fragment(loaded: _Loaded, others: Sequence[_Loaded], files: FileCache) -> bool:
    """A non-default file another project includes or extends from is only a fragment, unless
    it is a project of its own: a documented command (or ``compose-files``) runs it directly
    (``docker compose -f docker-compose.dev.yml up`` beside a test file whose services extend
    its ``dev-db-base``), or, used only as an ``extends`` base, it is complete (every service
    has image or build) and defines a service no other file extends (a stack's services, not
    only bases).  An included file is a sub-project: its services are checked in the project
    that includes it."""
    own = [f for f in loaded.project.files if f.rsplit("/", 1)[-1] not in _DEFAULT_NAMES]
    if not own or loaded.plan.kind in ("documented", "explicit"):
        return False
    users = [other for other in others if other is not loaded]
    if not any(f in other.project.included_files for other in users for f in own):
        return False
    if any(f in other.uses.imported for other in users for f in own):
        return True
    bases = {base for other in users for base in other.uses.extended}
    for rel in (f for f in own if any(f in other.project.included_files for other in users)):
        shape = _shape(files, files.root / rel)
        if shape.complete and any((rel, name) not in bases for name in shape.services):
            continue
        return True
    return False


def load_workspace(
    root: Path, settings: Settings, explicit_paths: Sequence[Path] = ()
) -> Workspace:
    """Every Compose project under ``root`` as Docker Compose v2 would load it."""
    from envlint.discovery import discover

    root = root.resolve()
    files = FileCache(root, settings.max_file_bytes)
    discovery = discover(root, settings, tuple(explicit_paths))
    shared = _Shared(root, settings, files, repo_files=frozenset(discovery.files))
    compose_dirs = {str(d): tuple(str(p) for p in ps) for d, ps in discovery.compose_dirs.items()}
    loaded: list[_Loaded] = []
    seen: set[tuple[str, ...]] = set()
    for plan in _plans(shared, compose_dirs):
        key = (*(str(p) for p in plan.files), "--env-file", *plan.env_files)
        if key in seen:
            continue
        seen.add(key)
        loader = _ProjectLoader(shared, plan)
        project = loader.load()
        if loader.not_a_stack:  # a layer envlint paired by itself, not a stack: only the notes
            shared.problems.update(dict.fromkeys(loader.not_a_stack))
            continue
        uses = _Uses(frozenset(loader.imported), frozenset(loader.extended))
        loaded.append(_Loaded(plan, project, tuple(loader.problems), uses))
    kept = [item for item in loaded if not _is_fragment(item, loaded, files)]
    problems: dict[Problem, None] = dict.fromkeys(discovery.problems)
    problems.update(shared.problems)
    used = {f for item in kept for f in item.project.included_files}
    problems.update((p, None) for f, p in shared.fragments.items() if files.rel(f) not in used)
    for item in kept:
        problems.update(dict.fromkeys(item.problems))
    examples = _example_files(files, root, discovery.env_examples, problems)
    problems.update(dict.fromkeys(files.problems))
    named = {files.rel(_abs(root, p)) for stack in settings.compose_files for p in stack}
    problems = _templates_parse_notes(problems, frozenset(named))
    projects = sorted(
        (item.project for item in kept),
        key=lambda p: (p.directory, p.kind != "default", p.files, p.invocation_env_files),
    )
    return Workspace(
        root=root,
        projects=tuple(projects),
        problems=tuple(sorted(problems, key=_problem_key)),
        example_env_files=examples,
        files_read=files.files_read,
        files=tuple(discovery.files),
        launcher_bytes=shared.launcher_bytes(),
    )


def _templates_parse_notes(
    problems: dict[Problem, None], named: frozenset[str]
) -> dict[Problem, None]:
    """A compose template a documented command loads (``docker-compose.template.yml``) is the
    source a generator or a person fills in: YAML or ``${`` it cannot parse as it is (a
    generator's ``#!for`` blocks repeating a key, ``{{ }}``) is a note, not an error.  A file
    the user names with ``-f`` / ``compose-files`` is checked as given."""
    from envlint.discovery import is_compose_template

    out: dict[Problem, None] = {}
    for problem in problems:
        path = problem.location.path
        if (
            problem.kind in (ProblemKind.PARSE_ERROR, ProblemKind.INVALID_INTERPOLATION)
            and is_compose_template(path)
            and path not in named
        ):
            message = f"{problem.message} (a compose template: not an error in itself)"
            problem = replace(problem, kind=ProblemKind.NOTE, message=message)
        out[problem] = None
    return out


def _problem_key(problem: Problem) -> tuple[str, int, int, str, str]:
    loc = problem.location
    return (loc.path, loc.line, loc.column, problem.kind.value, problem.message)


def _example_files(
    files: FileCache, root: Path, paths: Sequence[str], problems: dict[Problem, None]
) -> tuple[EnvFile, ...]:
    from envlint.compose.dotenv import decode_env_file, parse_dotenv

    out: list[EnvFile] = []
    for name in paths:
        path = _abs(root, name)
        rel = files.rel(path)
        data = files.read(path)
        if data is None:
            continue
        text, problem = decode_env_file(data, rel)
        if text is None:
            if problem is not None:
                problems[problem] = None
            out.append(EnvFile(rel, True, role="example"))
            continue
        result = parse_dotenv(text, rel, _no_lookup)
        problems.update(dict.fromkeys(result.problems))
        out.append(EnvFile(rel, True, result.entries, result.refs, role="example"))
    return tuple(out)


def _no_lookup(_name: str) -> str | None:
    return None
