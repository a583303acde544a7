"""The ``ENV`` defaults of an image this repository builds, for a deployment that runs the image
without building it: a compose service with ``image:`` and no ``build:``, or a Kubernetes
container.  The image carries its Dockerfile's ``ENV`` (the final or target stage) wherever it is
pulled, so those values are what the container gets when nothing overrides them.

The image is found through image provenance (:func:`envlint.servicecode.provenance.
resolve_image`): one build, with a Dockerfile that can be read.  A build args value is not known
here (CI passes them), so an ``ENV X=$ARG`` value stays unresolved.  Secrets are not special:
Dockerfile ``ENV`` values are committed text, and rules never print them anyway.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from envlint.model import EnvValue, ValueSource, frozen_mapping
from envlint.servicecode.provenance import ImageBuilds, resolve_image, stack_builds
from envlint.servicecode.repofiles import RepoFiles

if TYPE_CHECKING:
    from collections.abc import Sequence

    from envlint.compose.dockerfile import Dockerfile
    from envlint.model import Service, Workspace
    from envlint.servicecode.model import ImageBuild

__all__ = ["BuiltImageEnv", "with_built_image_env"]


@dataclass
class BuiltImageEnv:
    """Reads the Dockerfiles of the repository's image builds once each (build-local)."""

    repo: RepoFiles
    builds: Sequence[ImageBuild]
    dockerfiles: dict[tuple[str, str | None], Dockerfile | None] = field(default_factory=dict)

    def of(
        self, service: Service, builds: Sequence[ImageBuild] | None = None
    ) -> dict[str, EnvValue]:
        """The ``ENV`` of the image ``service`` runs, when this repository builds it
        (``builds``: the builds its stack sees, :func:`stack_builds`; default all)."""
        from envlint.compose.dockerfile import parse_dockerfile

        found = resolve_image(service, self.builds if builds is None else builds)
        if found is None or found.dockerfile is None or (found.target and "*" in found.target):
            return {}
        key = (found.dockerfile, found.target)
        if key not in self.dockerfiles:
            text = self.repo.read_text(found.dockerfile)
            self.dockerfiles[key] = None if text is None else parse_dockerfile(text, key[0])
        dockerfile = self.dockerfiles[key]
        if dockerfile is None:
            return {}
        return {
            e.name: EnvValue(e.name, e.value, ValueSource.IMAGE, e.location, e.unresolved)
            for e in dockerfile.effective_env(found.target)
        }


def with_built_image_env(ws: Workspace, builds: ImageBuilds | None = None) -> Workspace:
    """``ws`` with each compose service that runs an image of this repository without a
    ``build:`` of its own given that image's ``ENV`` (minus the names an unresolved
    pass-through erases, as Compose does for a built image).  ``builds`` is read only when such a
    service exists."""
    candidates = [
        (p, s)
        for p in ws.projects
        for s in p.services
        if s.image and s.build_context is None and not s.raw.get("build") and not s.image_env
    ]
    if not candidates:
        return ws
    reader = BuiltImageEnv(RepoFiles(ws.root), (builds or ImageBuilds(ws)).get().builds)
    given: dict[tuple[str, str, str], dict[str, EnvValue]] = {}
    for project, service in candidates:
        erased = {p.name for p in service.passthroughs if not p.resolved}
        seen = stack_builds(project, reader.builds)
        image = {k: v for k, v in reader.of(service, seen).items() if k not in erased}
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
