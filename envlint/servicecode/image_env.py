"""The ``ENV`` defaults of an image this repository builds, for a deployment that runs the image
without building it: a compose service with ``image:`` and no ``build:``, or a Kubernetes
container.  The image carries its Dockerfile's ``ENV`` (the final or target stage) wherever it is
pulled, so those values are what the container gets when nothing overrides them.

The image is found through image provenance (:func:`envlint.servicecode.provenance.
resolve_image`): one build, with a Dockerfile that can be read.  The build's arguments are
used when known (a workflow step's ``build-args``, every value known, :attr:`ImageBuild.args`);
otherwise an ``ENV X=$ARG`` value stays unresolved.  Secrets are not special:
Dockerfile ``ENV`` values are committed text, and rules never print them anyway.

An image built ``FROM`` a base image this repository builds also carries that base's ``ENV``
(:mod:`envlint.servicecode.base_images`): a pulled image gets it with its own, and a compose
service with ``build:`` gets it below the ``ENV`` of its own Dockerfile (which the loader read).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from envlint.model import EnvValue, ValueSource, frozen_mapping
from envlint.servicecode.base_images import BaseImages, build_args, stack_bases
from envlint.servicecode.provenance import ImageBuilds, resolve_image
from envlint.servicecode.repofiles import RepoFiles

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from envlint.compose.dockerfile import DockerEnv, Dockerfile
    from envlint.model import Service, Workspace
    from envlint.servicecode.model import ImageBuild

__all__ = ["BuiltImageEnv", "ReadDockerfiles", "with_built_image_env"]

# the Dockerfiles read for image ENV, by path, target stage and build arguments
ReadDockerfiles = dict[
    tuple[str, str | None, tuple[tuple[str, str], ...] | None], "Dockerfile | None"
]


@dataclass
class BuiltImageEnv:
    """Reads the Dockerfiles of the repository's image builds once each (build-local, for one
    set of ``builds``)."""

    repo: RepoFiles
    builds: Sequence[ImageBuild]
    dockerfiles: ReadDockerfiles = field(default_factory=dict)
    bases: BaseImages | None = None  # made on first use

    def of(self, service: Service) -> dict[str, EnvValue]:
        """The ``ENV`` of the image ``service`` runs, when this repository builds it."""
        found = resolve_image(service, self.builds)
        if found is None or found.dockerfile is None or (found.target and "*" in found.target):
            return {}
        key = (found.dockerfile, found.target, found.args)
        if key not in self.dockerfiles:
            if found.args is None:
                self.dockerfiles[key] = self._bases().read(found.dockerfile)
            else:  # the build arguments the build passes (a workflow step's build-args)
                text = self.repo.read_text(found.dockerfile)
                args = dict(found.args)
                parsed = None if text is None else self._bases().parse(text, found.dockerfile, args)
                self.dockerfiles[key] = parsed
        dockerfile = self.dockerfiles[key]
        if dockerfile is None:
            return {}
        return _values(dockerfile.effective_env(found.target))

    def inherited(self, service: Service) -> dict[str, EnvValue]:
        """The ``ENV`` that the image of a service with ``build:`` gets from the base images
        this repository builds that its Dockerfile is built FROM (its own as well)."""
        if not self._bases().is_built(service.dockerfile_from or ""):
            return {}  # the root of its stage chain is FROM no image built here
        build = service.raw.get("build")
        inline = build.get("dockerfile_inline") if isinstance(build, Mapping) else None
        if isinstance(inline, str):
            text: str | None = inline
            path = service.location.path
        elif service.dockerfile is not None:
            text, path = self.repo.read_text(service.dockerfile), service.dockerfile
        else:
            return {}
        if text is None:
            return {}
        dockerfile = self._bases().parse(text, path, build_args(build))
        index = dockerfile.target_index(service.build_target)
        if index is None or not dockerfile.chain_bases(index):
            return {}
        return _values(dockerfile.env_at(index))

    def _bases(self) -> BaseImages:
        if self.bases is None:
            self.bases = BaseImages(self.repo, self.builds)
        return self.bases


def _values(env: Iterable[DockerEnv]) -> dict[str, EnvValue]:
    return {
        e.name: EnvValue(e.name, e.value, ValueSource.IMAGE, e.location, e.unresolved) for e in env
    }


def _image_env(reader: BuiltImageEnv, service: Service) -> dict[str, EnvValue]:
    """The image ENV ``service`` gets (empty: what the loader gave it stays)."""
    erased = {p.name for p in service.passthroughs if not p.resolved}
    built = bool(service.raw.get("build"))
    found = reader.inherited(service) if built else reader.of(service)
    image = {k: v for k, v in found.items() if k not in erased}
    return {**image, **service.image_env} if built and image else image


def with_built_image_env(ws: Workspace, builds: ImageBuilds | None = None) -> Workspace:
    """``ws`` with each compose service that runs an image of this repository without a
    ``build:`` of its own given that image's ``ENV``, and each service built FROM a base image
    this repository builds given that base's ``ENV`` below its own (minus the names an
    unresolved pass-through erases, as Compose does for a built image).  ``builds`` is read
    only when such a service may exist."""
    pulled = [
        (p, s)
        for p in ws.projects
        for s in p.services
        if s.image and s.build_context is None and not s.raw.get("build") and not s.image_env
    ]
    based = [
        (p, s)
        for p in ws.projects
        for s in p.services
        if s.raw.get("build") and s.dockerfile_from and s.dockerfile_from.lower() != "scratch"
    ]
    if not pulled and not based:
        return ws
    repo = RepoFiles(ws.root)
    shared = builds or ImageBuilds(ws)
    if not shared.get().builds:
        return ws
    readers: dict[tuple[str, ...], BuiltImageEnv] = {}  # one per stack's view of the builds
    given: dict[tuple[str, str, str], dict[str, EnvValue]] = {}
    for project, service in [*pulled, *based]:
        files = (*project.files, *project.included_files)
        if files not in readers:
            bases = stack_bases(shared, project, repo)  # shared with the service-code plan
            readers[files] = BuiltImageEnv(repo, bases.builds, bases=bases)
        image = _image_env(readers[files], service)
        if image:
            given[(project.directory, project.stack, service.name)] = image
    if not given:
        return ws
    projects = tuple(
        replace(
            project,
            services=tuple(
                replace(s, image_env=frozen_mapping(found))
                if (found := given.get((project.directory, project.stack, s.name)))
                else s
                for s in project.services
            ),
        )
        for project in ws.projects
    )
    return replace(ws, projects=projects)
