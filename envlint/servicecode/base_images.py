"""Dockerfiles linked to the base images this repository builds.

A Dockerfile's ``FROM org/base:${VERSION}`` names an image; when something in the repository
builds that image (a Makefile recipe, a workflow step, a compose service with ``build:`` and
``image:``: :mod:`envlint.servicecode.provenance`), the build's Dockerfile and target stage are
the stage's parent, as an earlier stage of the same file would be
(:func:`envlint.compose.dockerfile.parse_dockerfile` with ``bases``): the base's ENV, WORKDIR,
SHELL, the files it COPYs from its own build context, and its ENTRYPOINT/CMD come with it.

The build is found as a compose ``image:`` is (:func:`~envlint.servicecode.provenance.
resolve_base`: the exact name first, the tag that the FROM gives, and no link when the builds
disagree).  A base Dockerfile is read once per set of builds; a link back to a Dockerfile
already in the chain (an image built FROM itself, A FROM B FROM A) and links deeper than
:data:`MAX_HOPS` are not followed: that FROM stays an external image.  Nothing is run.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from envlint.compose.dockerfile import (
    BaseImage,
    BaseLookup,
    Dockerfile,
    parse_dockerfile,
    parsed_dockerfile,
)
from envlint.model import ComposeProject
from envlint.servicecode.model import ImageBuild
from envlint.servicecode.provenance import (
    ImageBuilds,
    base_builds,
    build_args,
    resolve_base,
    stack_builds,
)
from envlint.servicecode.repofiles import RepoFiles

__all__ = ["MAX_HOPS", "BaseImages", "build_args", "stack_bases"]

MAX_HOPS = 4  # base images followed below one Dockerfile (FROM a FROM b FROM c FROM d)
_Pairs = tuple[tuple[str, str], ...]  # build arguments, platform ARGs: hashable


class BaseImages:
    """Parses Dockerfiles with their ``FROM``\\s linked to the repository's image ``builds``
    (build-local: one per set of builds, shared by the services that see it)."""

    def __init__(self, repo: RepoFiles, builds: Sequence[ImageBuild]) -> None:
        self.repo = repo
        self.builds = tuple(builds)
        self._found: dict[str, ImageBuild | None] = {}
        self._read: dict[tuple[str, tuple[str, ...]], Dockerfile | None] = {}
        self._linked: dict[tuple[str, str, _Pairs, _Pairs], Dockerfile] = {}
        self._names: dict[str, bool] = {}

    def parse(
        self,
        text: str,
        path: str,
        build_args: Mapping[str, str] | None = None,
        platform: Mapping[str, str] | None = None,
    ) -> Dockerfile:
        """``text`` (the Dockerfile at ``path``) parsed, its base images linked.  A file none of
        whose FROMs names an image built here is the plain parse, the one the compose loader
        reads (:func:`~envlint.compose.dockerfile.parsed_dockerfile`).  ``platform``: the
        automatic platform ARGs (:func:`~envlint.compose.dockerfile.platform_args`) of the
        build; None: unknown."""
        args = dict(build_args or {})
        values = dict(platform or {})
        plain = parsed_dockerfile(text, path, args, values)
        if not any(self.is_built(stage.base) for stage in plain.stages if stage.parent is None):
            return plain
        key = (text, path, tuple(args.items()), tuple(values.items()))
        if key not in self._linked:
            lookup = self._lookup((path,))
            self._linked[key] = parse_dockerfile(
                text, path, build_args=args, bases=lookup, platform=values
            )
        return self._linked[key]

    def read(self, path: str) -> Dockerfile | None:
        """The repository's Dockerfile at ``path`` (no build arguments), base images linked;
        None when it cannot be read."""
        return self._dockerfile(path, ())

    def build(self, reference: str) -> ImageBuild | None:
        """The repository build of the image ``reference`` names, with a Dockerfile to read."""
        if reference not in self._found:
            found = resolve_base(reference, self.builds) if self.builds else None
            usable = found is not None and found.dockerfile is not None
            if usable and found is not None and found.target is not None and "*" in found.target:
                usable = False  # the target stage is written with a variable
            self._found[reference] = found if usable else None
        return self._found[reference]

    def is_built(self, reference: str) -> bool:
        """Whether the repository builds an image of the name ``reference`` gives (a FROM as
        parsed, an unknown part empty; the tag is compared when the FROM is linked)."""
        if reference not in self._names:
            self._names[reference] = bool(base_builds(reference, self.builds))
        return self._names[reference]

    def _dockerfile(self, path: str, chain: tuple[str, ...]) -> Dockerfile | None:
        key = (path, chain)
        if key not in self._read:
            text = self.repo.read_text(path)
            lookup = self._lookup((*chain, path))
            self._read[key] = None if text is None else parse_dockerfile(text, path, bases=lookup)
        return self._read[key]

    def _lookup(self, chain: tuple[str, ...]) -> BaseLookup:
        """Finds a FROM's base image below the Dockerfiles of ``chain`` (the linking one last)."""

        def lookup(reference: str) -> BaseImage | None:
            found = self.build(reference)
            if found is None or found.dockerfile is None or len(chain) > MAX_HOPS:
                return None
            if found.dockerfile in chain:
                return None  # an image built FROM itself, or A FROM B FROM A
            dockerfile = self._dockerfile(found.dockerfile, chain)
            if dockerfile is None:
                return None
            return BaseImage(dockerfile, found.target, found.context, found.origin)

        return lookup


def stack_bases(builds: ImageBuilds, project: ComposeProject, repo: RepoFiles) -> BaseImages:
    """The base-image reader over the builds ``project``'s stack sees (:func:`~envlint.
    servicecode.provenance.stack_builds`), one per such set of builds for every step of the
    run: the image ENV and the service-code plan, and stacks that see the same builds, link
    the same base Dockerfiles."""
    seen = stack_builds(project, builds.get().builds)
    return builds.memo(("bases", seen), lambda: BaseImages(repo, seen))
