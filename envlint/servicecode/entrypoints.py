"""What a compose service's container runs, and the program of this repository behind it.

:func:`find_entrypoint` applies Docker's and Compose's rules for the command, then maps it to
code:

1. ``[tool.envlint.services.NAME] source`` wins (origin ``config``).
2. The image: the service's ``build:`` (context, dockerfile / ``dockerfile_inline``, target,
   ``args``), or for an ``image:`` without ``build:`` the Dockerfile this repository builds that
   image from (:func:`envlint.servicecode.provenance.resolve_image`).  When the repository
   builds the image from several Dockerfiles and nothing tells which one made the service's
   tag, each is followed: the program they all run is the service's, else the note names them.
   A ``FROM`` of an image this repository builds links that build's Dockerfile in as the
   stage's parent (:mod:`envlint.servicecode.base_images`): its files, ENV, WORKDIR and command.
3. The command (Docker's ENTRYPOINT/CMD rules, compose-spec ``entrypoint``/``command``):
   compose ``entrypoint:`` replaces the image's ENTRYPOINT *and resets its CMD*; compose
   ``command:`` replaces CMD; the container runs ENTRYPOINT + CMD.  A string ``command:`` /
   ``entrypoint:`` is split with shell quoting rules but never run through a shell (compose-go
   uses go-shellwords, which stops at ``;``/``&``/``|``).  When the ENTRYPOINT comes from an
   external base image it is not known; the CMD is then read as what runs (official images'
   entrypoints run their arguments), and ``how`` says so.
4. The program: :class:`~envlint.servicecode.entry_programs.Resolver` follows the argv through
   shells, wrapper scripts, package scripts and runtimes to a source file, package or module,
   and through ``COPY``/``--from``/``WORKDIR`` and compose bind mounts to repository paths.

The result never guesses: an :class:`Entrypoint` with ``program=None`` carries a one-sentence
``note`` saying what could not be established.  Files are read through :class:`RepoFiles`
(bounded, inside the root); nothing is executed, nothing is written.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from itertools import pairwise
from pathlib import Path
from typing import Literal

from envlint.compose.dockerfile import Dockerfile, platform_args
from envlint.model import Location, Service
from envlint.servicecode.base_images import BaseImages, build_args
from envlint.servicecode.entry_image import ImageView, Mount, container_join, mounted_at
from envlint.servicecode.entry_programs import Resolved, Resolver, program_for_path
from envlint.servicecode.entry_shell import parse_shell
from envlint.servicecode.model import Entrypoint, ImageBuild, ProgramRef
from envlint.servicecode.provenance import distinct_builds, image_candidates, resolve_image
from envlint.servicecode.repofiles import RepoFiles, clean, join

__all__ = ["config_program", "container_view", "find_entrypoint"]

_Origin = Literal["compose", "dockerfile", "config", "image", "none"]

# The platform a build is for when the service names none: Docker builds for its host, most
# often an x86-64 Linux machine or CI runner.  A Dockerfile that picks what it builds by the
# automatic platform ARGs (``FROM build-${TARGETARCH}``) is also followed for the other common
# host (Apple silicon, Arm servers): what both builds run holds, else nothing is guessed.
_USUAL_PLATFORM = "linux/amd64"
_OTHER_PLATFORM = "linux/arm64"
_PLATFORM = re.compile(r"[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?")


def config_program(repo: RepoFiles, service: str, source: str) -> ProgramRef | None:
    """The program named by ``[tool.envlint.services.NAME] source`` (a path relative to the
    root): a Go package, a project file, an entry file, a module directory or a directory."""
    path = clean(source.replace("\\", "/").removeprefix("./"))
    if path is None:
        return None
    how = f"configured: [tool.envlint.services.{service}] source = {source!r}"
    return program_for_path(repo, path, how)


def find_entrypoint(
    service: Service,
    root: Path,
    *,
    project_dir: str = ".",
    builds: Sequence[ImageBuild] = (),
    sources: Mapping[str, str] | None = None,
    repo: RepoFiles | None = None,
    bases: BaseImages | None = None,
) -> Entrypoint:
    """What ``service`` runs (see the module doc).

    ``project_dir`` is the compose project directory relative to the root (bind-mount sources
    are relative to it); ``builds`` are the repository's image builds
    (:func:`~envlint.servicecode.provenance.find_image_builds`); ``sources`` is
    ``Settings.service_sources``; pass one ``repo`` for all services of a run to share reads,
    and one ``bases`` (over ``builds``) for the services that see the same builds.
    """
    repo = repo if repo is not None else RepoFiles(root)
    bases = bases if bases is not None else BaseImages(repo, builds)
    command = _Command.of(service, repo, builds, bases)
    configured = (sources or {}).get(service.name)
    if configured is not None:
        program = config_program(repo, service.name, configured)
        note = "" if program is not None else f"the configured source {configured} does not exist"
        return Entrypoint(command.argv, "config", None, program, note)
    if command.among:
        return _among(command, project_dir)
    return _by_platform(command, project_dir)


def _by_platform(command: _Command, project_dir: str) -> Entrypoint:
    """The entrypoint of ``command``'s build (see :data:`_USUAL_PLATFORM`).  When its
    Dockerfile reads the automatic platform ARGs and the service names no ``platform:``, the
    build for the other common platform is followed too: the program both run (or the reason
    both give), else that they differ — never one platform's answer as the service's."""
    service = command.service
    found = command.raw_entrypoint(project_dir)
    reads = command.dockerfile.platform_reads if command.dockerfile is not None else frozenset()
    if not reads:
        return replace(found, note=_sentence(service, found.note))
    names = ", ".join(sorted(reads))
    if command.fixed:
        said = (
            f"it is built for {command.platform} (its platform:), which its Dockerfile reads "
            f"({names})"
        )
    else:
        other = command.again(platform=_OTHER_PLATFORM)
        theirs = other.raw_entrypoint(project_dir)
        mine = found.program.identity if found.program is not None else None
        if mine != (theirs.program.identity if theirs.program is not None else None):
            each = "; ".join(
                f"for {platform}: "
                + (f"it runs {e.program.target}" if e.program is not None else e.note)
                for platform, e in ((command.platform, found), (_OTHER_PLATFORM, theirs))
            )
            note = (
                f"what its Dockerfile builds depends on the platform ({names}), and envlint "
                f"cannot tell which platform it is built for ({each})"
            )
        elif mine is None and found.note != theirs.note:
            # no program either way: why not, for the usual platform, said as such
            note = f"for a {command.platform} build (its Dockerfile reads {names}), {found.note}"
        else:
            note = ""
        if note:
            holds = found.holds_code if found.holds_code == theirs.holds_code else None
            workdir = found.workdir if found.workdir == theirs.workdir else None
            # what the image gets from the context for either platform
            copied = _common(command.copied(project_dir), other.copied(project_dir))
            return Entrypoint(
                found.argv,
                found.origin,
                found.location,
                None,
                _sentence(service, note),
                holds_code=holds,
                workdir=workdir,
                copied=copied,
                mounted=found.mounted,
            )
        said = (
            f"builds for {command.platform} and {_OTHER_PLATFORM} run this program (its "
            f"Dockerfile reads {names})"
        )
    if found.program is not None:
        program = replace(found.program, how=f"{found.program.how}; {said}")
        return replace(found, program=program)
    return replace(found, note=_sentence(service, found.note))


def _among(command: _Command, project_dir: str) -> Entrypoint:
    """The entrypoint of an image built from one of several Dockerfiles (nothing tells which):
    each build is followed.  The program they all run (``:latest`` and ``:latest-alpine`` of
    one code base); else what holds for every one of them (the same reason, in each) or that
    they differ — never a sentence about a Dockerfile that was not read."""
    service, among = command.service, command.among
    entries = [
        command.again(chosen=build, among=among).raw_entrypoint(project_dir) for build in among
    ]
    programs = {e.program.identity if e.program else None for e in entries}
    if len(programs) == 1 and None not in programs:
        return entries[0]
    names = _names(among)
    notes = {e.note for e in entries}
    same = programs == {None} and len(notes) == 1  # the same reason (a test run: one runner)
    if same:
        note = (
            f"{notes.pop()}, in each of the {len(among)} builds its image {service.image} may "
            f"come from ({names})"
        )
    else:
        each = "; ".join(
            f"{_build_name(build)}: "
            + (f"runs {e.program.target}" if e.program is not None else e.note)
            for build, e in zip(among[:3], entries[:3], strict=True)
        )
        note = (
            f"its image {service.image} may come from {len(among)} builds in this repository "
            f"and envlint cannot tell which; they differ ({each})"
        )
    first = entries[0]
    workdirs = {e.workdir for e in entries}
    workdir = workdirs.pop() if len(workdirs) == 1 else None  # compose's mount, in each
    return Entrypoint(
        first.argv,
        first.origin,
        first.location,
        None,
        _sentence(service, note),
        workdir=workdir,
        mounted=first.mounted,
        tests=first.tests if same else None,
    )


class _Command:
    """The image and the command of one service, before mapping to code."""

    def __init__(
        self,
        service: Service,
        repo: RepoFiles,
        builds: Sequence[ImageBuild],
        bases: BaseImages,
        platform: str | None = None,
    ) -> None:
        self.service = service
        self.repo = repo
        self.builds = builds  # the repository's image builds, and their base images linked
        self.bases = bases
        named = service.raw.get("platform")
        # the service's `platform:`, else the one asked for, else the usual host's
        self.fixed = isinstance(named, str) and _PLATFORM.fullmatch(named) is not None
        self.platform = str(named) if self.fixed else platform or _USUAL_PLATFORM
        self.dockerfile: Dockerfile | None = None
        self.dockerfile_note = ""
        self.context: str | None = service.build_context
        self.target = service.build_target
        self.image_build: ImageBuild | None = None
        # the builds the image may come from, when the repository has several and nothing
        # tells which made the service's tag
        self.among: tuple[ImageBuild, ...] = ()
        self.how: list[str] = []
        self.argv: tuple[str, ...] = ()
        self.origin: _Origin = "none"
        self.location: Location | None = None
        self.unknown = ""  # why the argv is not known (empty when it is)
        self.base_command = False  # the command is the base image's own (inherited)

    @classmethod
    def of(
        cls,
        service: Service,
        repo: RepoFiles,
        builds: Sequence[ImageBuild],
        bases: BaseImages,
        *,
        chosen: ImageBuild | None = None,
        among: tuple[ImageBuild, ...] = (),
        platform: str | None = None,
    ) -> _Command:
        """``chosen``: follow that one of the builds ``among`` which the image may come from;
        ``bases`` reads the Dockerfile with the base images this repository builds linked;
        ``platform``: the platform it is built for when the service names none."""
        command = cls(service, repo, builds, bases, platform)
        command.load_image(chosen, among)
        command.combine()
        return command

    def again(
        self,
        *,
        chosen: ImageBuild | None = None,
        among: tuple[ImageBuild, ...] = (),
        platform: str | None = None,
    ) -> _Command:
        """This service's command read again (see :meth:`of`) for one of the builds ``among``
        or for another ``platform``."""
        return _Command.of(
            self.service,
            self.repo,
            self.builds,
            self.bases,
            chosen=chosen,
            among=among,
            platform=platform,
        )

    # -- the image -----------------------------------------------------------------------------
    def load_image(
        self, chosen: ImageBuild | None = None, among: tuple[ImageBuild, ...] = ()
    ) -> None:
        service, builds, bases = self.service, self.builds, self.bases
        build = service.raw.get("build")
        inline = build.get("dockerfile_inline") if isinstance(build, Mapping) else None
        if build is not None and service.build_context is None and not isinstance(inline, str):
            self.dockerfile_note = "its build context is remote"
            return
        path = service.dockerfile
        if build is None and service.image:
            found = chosen or resolve_image(service, builds)
            if found is None:
                self.among = distinct_builds(image_candidates(service, builds))
                if self.among:
                    self.dockerfile_note = (
                        f"its image {service.image} is built in this repository from "
                        f"{_one_of(self.among)}; envlint cannot tell which"
                    )
                else:
                    # what envlint did not find, not a fact about the image: a build it
                    # cannot follow (a script, a registry of another repository) may exist
                    self.dockerfile_note = (
                        f"envlint found no build of its image {service.image} in this repository"
                    )
                return
            self.image_build = found
            self.context, self.target, path = found.context, found.target, found.dockerfile
            if found.target is not None and "*" in found.target:
                self.dockerfile_note = "the build target of its image is written with a variable"
                return
            if among:
                self.how.append(
                    f"the image {service.image} is built in this repository from "
                    f"{_one_of(among)}; envlint cannot tell which, and each runs this program"
                )
            else:
                where = f"{found.origin.path}:{found.origin.line}"
                self.how.append(f"the image {service.image} is built in this repository ({where})")
            if path is None:
                return
        args = build_args(build)
        if self.image_build is not None and self.image_build.args is not None:
            args = dict(self.image_build.args)  # the build's (a workflow step's build-args)
        # a native build (the node's platform is the target's) unless the service names one
        platform = platform_args(self.platform, None if self.fixed else self.platform)
        if isinstance(inline, str):
            self.dockerfile = bases.parse(inline, service.location.path, args, platform)
        elif path is None:
            self.dockerfile_note = "it has no Dockerfile"
        elif (text := self.repo.read_text(path)) is None:
            outside = path.startswith("../") or clean(path) is None
            why = "is outside the checked root" if outside else "cannot be read"
            self.dockerfile_note = f"its Dockerfile {path} {why}"
        else:
            self.dockerfile = bases.parse(text, path, args, platform)
        if self.dockerfile is not None:
            self.how.extend(_base_images(self.dockerfile, self.target))

    # -- ENTRYPOINT + CMD ----------------------------------------------------------------------
    def combine(self) -> None:
        service = self.service
        compose_entrypoint = _compose_words(service.raw.get("entrypoint"))
        compose_command = _compose_words(service.raw.get("command"))
        runtime = None
        if self.dockerfile is not None:
            runtime = self.dockerfile.runtime(self.target)
            if runtime is None:
                self.dockerfile_note = "its Dockerfile has no stage to build"
                if self.target:
                    self.dockerfile_note = f"its Dockerfile has no stage {self.target}"
        base = self.base_image()
        entrypoint: tuple[str, ...] | None  # None: not known (the base image's)
        command: tuple[str, ...] | None
        location: Location | None = None
        if compose_entrypoint is not None:
            entrypoint = compose_entrypoint.words
            command = compose_command.words if compose_command is not None else ()
            self.how.extend(compose_entrypoint.how)
            self.origin, location = "compose", service.location
        else:
            if runtime is not None and runtime.entrypoint is not None:
                entrypoint = runtime.entrypoint.argv
                location = runtime.entrypoint.location
            elif runtime is not None and not runtime.entrypoint_from_base:
                entrypoint = ()
            else:
                entrypoint = None
            if compose_command is not None:
                command = compose_command.words
                self.how.extend(compose_command.how)
                self.origin, location = "compose", service.location
            elif runtime is not None and runtime.cmd is not None:
                command = runtime.cmd.argv
                self.origin, location = "dockerfile", runtime.cmd.location
            elif runtime is not None and not runtime.cmd_from_base:
                command = ()
                self.origin = "dockerfile" if location is not None else "none"
            else:
                command = None
        self.location = location
        if entrypoint is None and command is None:
            if self.dockerfile is None:
                self.unknown = _why_unknown(self)
            else:
                self.unknown = _from_base(base)
                self.base_command = True
            return
        if command is None:
            assert entrypoint is not None
            self.argv = entrypoint
            if entrypoint:
                self.how.append(f"the CMD comes from the base image {base or ''}".rstrip())
                self.origin = "dockerfile"
            else:
                self.unknown = _from_base(base)
                self.base_command = True
            return
        if entrypoint is None and base is not None:
            known = _known_entrypoint(base)
            if known is not None:
                entrypoint = known
                self.how.append(f"the base image's ENTRYPOINT is `{' '.join(known)}`")
        if entrypoint is None:
            if command and not _plain_base(base):
                self.how.append(
                    f"the ENTRYPOINT of the base image {base} is not known here; the command "
                    "is read as what it runs"
                )
            entrypoint = ()
        self.argv = (*entrypoint, *command)
        if self.origin == "none" and self.argv:
            self.origin = "dockerfile"

    def base_image(self) -> str | None:
        if self.dockerfile is not None:
            return self.dockerfile.base_image(self.target)
        return self.service.image

    # -- the program ---------------------------------------------------------------------------
    def raw_entrypoint(self, project_dir: str) -> Entrypoint:
        """The entrypoint, its note the bare reason (:func:`_sentence` makes it one)."""
        view = self.view(project_dir)
        mounts = view.mounts
        cwd = self.workdir()
        found = self.resolve(view, cwd)
        if found.program is not None or found.foreign or found.idle or found.tests:
            return found
        code = tuple(
            (m.source, m.target)
            for m in mounts
            if self.repo.is_dir(m.source) and self.repo.holds_code(m.source)
        )
        return replace(found, workdir=_mounted_dir(self.repo, mounts, cwd), mounted=code)

    def copied(self, project_dir: str) -> str | None:
        """:attr:`Entrypoint.copied` of the image, whatever its program."""
        return self.view(project_dir).copied_code(self.repo.holds_code)

    def view(self, project_dir: str) -> ImageView:
        """The container's files: the image, with the service's bind mounts over it."""
        mounts = _mounts(self.service, project_dir)
        return ImageView(self.repo, self.dockerfile, self.context, self.target, mounts)

    def workdir(self) -> str | None:
        """The container's working directory: compose ``working_dir``, else the image's."""
        workdir = self.service.raw.get("working_dir")
        if isinstance(workdir, str) and workdir:
            return container_join("/", workdir)
        if self.dockerfile is not None:
            runtime = self.dockerfile.runtime(self.target)
            return runtime.workdir if runtime is not None else None
        return None

    def resolve(self, view: ImageView, cwd: str | None) -> Entrypoint:
        """:meth:`raw_entrypoint` before the working directory's mount is looked at."""
        if self.unknown or not self.argv:
            note = self.unknown or "the container's command is empty"
            if self.image_build is not None and self.image_build.program is not None:
                return Entrypoint(
                    self.argv, "image", self.location, self.with_how(self.image_build.program), ""
                )
            foreign = (
                self.base_command
                and self.third_party()
                and view.holds_code(self.repo.holds_code) is False
            )
            if foreign:
                note = f"{note}, and its image holds no source code of this repository"
            origin: _Origin = "none" if not self.argv else self.origin
            return Entrypoint(self.argv, origin, self.location, None, note, foreign)
        env = self.environment()
        resolver = Resolver(view, env, self.location, terminal=self.terminal())
        resolver.how.extend(self.how)
        result: Resolved = resolver.resolve(self.argv, cwd)
        if result.idle:
            # in a third-party image that holds no source of the repository (a devcontainer
            # base), as silent as any other program of such an image (``foreign``)
            foreign = self.third_party() and view.holds_code(self.repo.holds_code) is False
            return Entrypoint(
                self.argv, self.origin, self.location, None, result.note, foreign, idle=True
            )
        if result.tests is not None:
            return Entrypoint(
                self.argv, self.origin, self.location, None, result.note, tests=result.tests
            )
        known = self.image_build.program if self.image_build is not None else None
        if result.program is None and known is not None:
            return Entrypoint(self.argv, self.origin, self.location, self.with_how(known))
        if result.program is None and self.dockerfile is None and self.dockerfile_note:
            note = f"{result.note}; {self.dockerfile_note}"
            return Entrypoint(self.argv, self.origin, self.location, None, note)
        if result.program is not None:
            return Entrypoint(self.argv, self.origin, self.location, result.program)
        # whether the image holds code of the repository in a language envlint reads
        holds = view.holds_code(self.repo.holds_code)
        # an executable nothing copies in, in an image that holds no source of the repository,
        # runs none of its code: a third-party server's, or any image that installs nothing
        # made from the repository (`FROM node`, `RUN npm i -g maildev`, `CMD maildev`:
        # nestjs-boilerplate, blind 18; a static server whose final stage only copies an earlier
        # stage's `dist` in, after its last RUN: shellhub's ui, blind 18h). A RUN after such a
        # copy may install what the earlier stage built from the repository (a wheel), and so
        # may the command itself (`sh -c "pip install /wheels/*.whl && exec myapp"`)
        foreign = self.third_party() or not view.may_run_repository(self.argv)
        if result.foreign and foreign and holds is False:
            note = f"{result.note}, and its image holds no source code of this repository"
            return Entrypoint(self.argv, self.origin, self.location, None, note, True)
        copied = view.copied_code(self.repo.holds_code) if holds else None
        return Entrypoint(
            self.argv,
            self.origin,
            self.location,
            None,
            result.note,
            holds_code=holds,
            copied=copied,
        )

    def terminal(self) -> bool:
        """Whether compose keeps a terminal or stdin open for the container (``tty``,
        ``stdin_open``)."""
        raw = self.service.raw
        return any(raw.get(key) in (True, "true") for key in ("tty", "stdin_open"))

    def third_party(self) -> bool:
        """Whether the image is a third-party application's: its base is not a language
        runtime or a bare OS image, whose command would run what the Dockerfile puts in."""
        base = self.base_image()
        if self.dockerfile is None or base is None or base.lower() == "scratch":
            return False
        return not _plain_base(base) and _known_entrypoint(base) is None

    def with_how(self, program: ProgramRef) -> ProgramRef:
        how = "; ".join([*self.how, program.how])
        return replace(program, how=how)

    def environment(self) -> dict[str, str]:
        """Values a shell in the container would expand: image ENV, then compose's."""
        env: dict[str, str] = {}
        if self.dockerfile is not None and not self.service.image_env:
            for item in self.dockerfile.effective_env(self.target):
                if not item.unresolved:
                    env[item.name] = item.value
        for mapping in (self.service.image_env, self.service.environment):
            for name, value in mapping.items():
                if not value.unresolved:
                    env[name] = value.value
        return env


def _base_images(dockerfile: Dockerfile, target: str | None) -> list[str]:
    """What the stage chain of the image goes through: each base image this repository
    builds that a FROM names, and the Dockerfile it is built from."""
    index = dockerfile.target_index(target)
    chain = dockerfile.ancestors(index) if index is not None else ()
    found: list[str] = []
    for child, parent in pairwise(chain):
        linked = dockerfile.linked(parent)
        if linked is None or dockerfile.linked(child) == linked:
            continue
        stage = dockerfile.stages[child]
        where = f"{linked.origin.path}:{linked.origin.line}"
        found.append(
            f"{stage.location.path}:{stage.location.line} is built FROM {stage.base}, which "
            f"this repository builds from {linked.path} ({where})"
        )
    return found


def _common(first: str | None, second: str | None) -> str | None:
    """The common directory of two (None when either is)."""
    if first is None or second is None:
        return None
    return posixpath.commonpath([first, second]) or "."


def _one_of(builds: Sequence[ImageBuild]) -> str:
    """``one of 2 Dockerfiles (docker/default.Dockerfile, docker/alpine.Dockerfile)``."""
    files = {b.dockerfile for b in builds}
    kind = "Dockerfiles" if None not in files and len(files) == len(builds) else "builds"
    return f"one of {len(builds)} {kind} ({_names(builds)})"


def _names(builds: Sequence[ImageBuild]) -> str:
    """The first three builds by name, then how many more."""
    shown = ", ".join(_build_name(b) for b in builds[:3])
    return shown + (f" and {len(builds) - 3} more" if len(builds) > 3 else "")


def _build_name(build: ImageBuild) -> str:
    if build.dockerfile is None:
        target = build.program.target if build.program is not None else build.context
        return f"{target} ({build.origin.path}:{build.origin.line})"
    name = build.dockerfile + (f" stage {build.target}" if build.target else "")
    if build.args:  # one Dockerfile built with different arguments (a workflow matrix)
        name += " with " + " ".join(f"{key}={value}" for key, value in build.args)
    return name


class _Words:
    def __init__(self, words: tuple[str, ...], how: tuple[str, ...] = ()) -> None:
        self.words = words
        self.how = how


def _compose_words(value: object) -> _Words | None:
    """A compose ``command`` / ``entrypoint`` value as argv (None when unset)."""
    if value is None:
        return None
    if isinstance(value, list):
        return _Words(tuple(str(item) for item in value if item is not None))
    if not isinstance(value, str):
        return _Words((str(value),))
    commands = parse_shell(value, literal=True)
    if not commands:
        return _Words(())
    first = commands[0]
    words = tuple(w.text if not w.all_args else "$@" for w in first.words)
    words = tuple(f"{k}={v}" for k, v in first.assignments) + words
    how: tuple[str, ...] = ()
    if len(commands) > 1 or first.connector not in ("", "\n"):
        how = (
            f"the compose string command stops at `{first.connector}` (it is split into words, "
            "not run by a shell)",
        )
    return _Words(words, how)


def container_view(
    service: Service, repo: RepoFiles, project_dir: str, builds: Sequence[ImageBuild] = ()
) -> tuple[ImageView, str | None, str | None]:
    """The files of ``service``'s container (its image and bind mounts), its working directory
    (compose ``working_dir``, else the image's WORKDIR) and the Dockerfile read (None: none)."""
    command = _Command.of(service, repo, builds, BaseImages(repo, builds))
    view = ImageView(
        repo, command.dockerfile, command.context, command.target, _mounts(service, project_dir)
    )
    dockerfile = service.dockerfile if command.dockerfile is not None else None
    return view, command.workdir(), dockerfile


def _mounted_dir(repo: RepoFiles, mounts: Sequence[Mount], cwd: str | None) -> str | None:
    """The repository directory a bind mount puts at the container directory ``cwd`` (the
    last mount that covers it, as Docker stacks them), if it is one."""
    mounted = None if cwd is None else mounted_at(mounts, cwd)
    found = None if mounted is None else mounted[1]
    return found if found is not None and repo.is_dir(found) else None


def _mounts(service: Service, project_dir: str) -> list[Mount]:
    """Bind mounts of repository paths (``./src:/app/src``, ``{type: bind, source, target}``),
    the deeper targets last: Docker mounts a parent before its children, whatever the order
    written, so ``./conf:/app/conf`` shows through ``.:/app`` (the last covering one wins)."""
    volumes = service.raw.get("volumes")
    mounts: list[Mount] = []
    if not isinstance(volumes, list):
        return mounts
    for item in volumes:
        source: str | None = None
        target: str | None = None
        if isinstance(item, str):
            parts = item.split(":")
            if len(parts) >= 2:
                source, target = parts[0], parts[1]
        elif isinstance(item, Mapping) and item.get("type", "bind") == "bind":
            raw_source, raw_target = item.get("source"), item.get("target")
            source = raw_source if isinstance(raw_source, str) else None
            target = raw_target if isinstance(raw_target, str) else None
        if not source or not target or not target.startswith("/"):
            continue
        # the long form's `type: bind` makes any relative source a host path (`source: src`)
        bind = isinstance(item, Mapping) and item.get("type") == "bind"
        if not source.startswith(".") and not (bind and source[0] not in "/~$\\"):
            continue  # a named volume, an absolute host path or ~: not this repository's files
        repo_path = join(project_dir, source)
        if repo_path is not None:
            mounts.append(Mount(posixpath.normpath(target), repo_path, service.location))
    return sorted(mounts, key=lambda m: m.target.rstrip("/").count("/"))


# Base images whose ENTRYPOINT is empty or a script that runs its arguments (the official
# language and distribution images, distroless): CMD is what runs.
_PLAIN_BASES = frozenset(
    (
        "alpine", "debian", "ubuntu", "busybox", "centos", "fedora", "rockylinux", "almalinux",
        "amazonlinux", "golang", "python", "node", "ruby", "php", "rust", "openjdk",
        "eclipse-temurin", "amazoncorretto", "ibm-semeru-runtimes", "maven", "gradle",
        "mcr.microsoft.com/dotnet/aspnet", "mcr.microsoft.com/dotnet/runtime",
        "mcr.microsoft.com/dotnet/runtime-deps", "mcr.microsoft.com/dotnet/sdk",
        "gcr.io/distroless/static", "gcr.io/distroless/static-debian11",
        "gcr.io/distroless/static-debian12", "gcr.io/distroless/base",
        "gcr.io/distroless/base-debian11", "gcr.io/distroless/base-debian12",
        "gcr.io/distroless/cc", "gcr.io/distroless/cc-debian11", "gcr.io/distroless/cc-debian12",
        "cgr.dev/chainguard/static", "registry.access.redhat.com/ubi8/ubi-minimal",
        "registry.access.redhat.com/ubi9/ubi-minimal",
    )
)  # fmt: skip


# Base images whose ENTRYPOINT is an interpreter (distroless language images): CMD is its
# argument list, e.g. CMD ["server.js"] runs node server.js.
_INTERPRETER_BASES = (
    ("gcr.io/distroless/nodejs", ("/nodejs/bin/node",)),
    ("gcr.io/distroless/python3", ("/usr/bin/python3",)),
    ("gcr.io/distroless/java", ("/usr/bin/java", "-jar")),
)


def _image_name(image: str) -> str:
    name = image.lower().split("@", 1)[0]
    if name.rfind(":") > name.rfind("/"):
        name = name[: name.rfind(":")]
    return name.removeprefix("docker.io/").removeprefix("library/")


def _plain_base(image: str | None) -> bool:
    return bool(image) and _image_name(image or "") in _PLAIN_BASES


def _known_entrypoint(image: str) -> tuple[str, ...] | None:
    name = _image_name(image)
    for prefix, entrypoint in _INTERPRETER_BASES:
        if name.startswith(prefix):
            return entrypoint
    return None


def _from_base(base: str | None) -> str:
    named = base or "(its name depends on what envlint could not resolve)"
    return f"its command comes from the base image {named}"


def _why_unknown(command: _Command) -> str:
    if command.dockerfile_note:
        return command.dockerfile_note
    return "no command is given"


def _sentence(service: Service, note: str) -> str:
    if not note:
        return ""
    text = f"Service {service.name}: {note}"
    return text if text.endswith(".") else text + "."
