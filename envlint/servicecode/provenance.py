"""Which image names this repository builds, and from which Dockerfile (or Go package).

A compose service with ``image:`` and no ``build:`` runs this repository's code when something in
the repository builds that image.  :func:`find_image_builds` reads, without running anything:

* compose services with both ``build:`` and ``image:`` (the same name elsewhere is this build,
  with its ``build.args``);
* GitHub workflows (``.github/workflows/*.y*ml``): ``docker/build-push-action`` steps (``with:
  context/file/tags/target``; ``tags: ${{ steps.<id>.outputs.tags }}`` takes the ``images:`` of
  that ``docker/metadata-action`` step; ``outputs: type=image,name=X,push-by-digest=true``
  names X; ``build-args`` when every value is known), and ``run:`` steps with ``docker build``
  / ``docker buildx build`` / ``podman build`` / ``buildah bud`` / kaniko / ``ko build``;
  ``env:`` of the workflow, job and step and ``strategy.matrix`` values are substituted, one
  build per matrix combination (:func:`_matrix`);
* GitLab CI (``.gitlab-ci.yml``): ``script`` / ``before_script`` lines, with ``variables:`` and
  the predefined ``$CI_REGISTRY_IMAGE`` (any registry path) and ``$CI_PROJECT_DIR`` (the root);
* Makefiles (``Makefile``, ``makefile``, ``GNUmakefile``, ``*.mk``): recipe lines, make
  variables expanded (``=``, ``:=``, ``?=``, ``+=``), run in the Makefile's directory; a
  variable that picks both the Dockerfile and the tag (``-f Dockerfile.$(N) -t app:$(N)``, set
  on make's command line) is one build per Dockerfile of the repository it may name, each with
  its own tag only (:attr:`ImageBuild.exact_tag`);
* GoReleaser (``.goreleaser.y*ml``): ``dockers`` / ``dockers_v2`` (image templates, Dockerfile,
  the Go build they package) and ``kos``;
* Skaffold (``skaffold.y*ml``): ``build.artifacts`` (and profiles'): docker (context,
  ``docker.dockerfile``, ``docker.target``), ko (``ko.main``) and jib (a Maven/Gradle module);
* Maven (``pom.xml``): Spring Boot ``build-image``, Jib, the fabric8 and Spotify Docker plugins
  and ``exec-maven-plugin`` running ``docker build``, with the pom's properties resolved
  (:mod:`envlint.servicecode.provenance_maven`); the program is the module;
* ko references in compose files (``image: ko://example.com/app/cmd/api``).

Names are normalised (:func:`normalize_image`): tag and digest dropped, lower case, Docker Hub's
``docker.io/library/`` defaults added, a part written with a variable or template becomes ``*``
(``${{ github.repository }}`` -> ``*/*``, ``$CI_REGISTRY_IMAGE`` -> ``**``).  A name with nothing
literal left is dropped; the tag is kept apart (:attr:`ImageBuild.tag`).  :func:`resolve_image`
prefers exact names over patterns, then the builds that give the service's tag (two builds of one
name for ``:latest`` and ``:latest-alpine``), and declines when the candidates still disagree
(:func:`image_candidates` lists them).  YAML is read with :mod:`envlint.compose.yamlnodes`
(bounded, safe).
"""

from __future__ import annotations

import hashlib
import itertools
import math
import posixpath
import re
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar, cast

from envlint.compose.files import MAX_COMPOSE_NODES
from envlint.compose.loader import build_arg_values
from envlint.compose.makefile import UNKNOWN, expand, read_makefile, recipe_commands
from envlint.compose.yamlnodes import (
    YamlError,
    YMap,
    YNode,
    YScalar,
    YSeq,
    dig,
    load_yaml_documents,
    scalar_text,
)
from envlint.model import ComposeProject, Location, Problem, ProblemKind, Service, Workspace
from envlint.servicecode.entry_shell import (
    ShellCommand,
    Word,
    parse_shell,
    runner_file,
    written_to,
)
from envlint.servicecode.model import ImageBuild, ProgramRef
from envlint.servicecode.projectfiles import go_module
from envlint.servicecode.provenance_maven import maven_builds
from envlint.servicecode.repofiles import RepoFiles, join

_T = TypeVar("_T")

__all__ = [
    "ImageBuilds",
    "Provenance",
    "base_builds",
    "build_args",
    "distinct_builds",
    "find_image_builds",
    "image_candidates",
    "image_matches",
    "image_tag",
    "normalize_image",
    "resolve_base",
    "resolve_image",
]

_MAX_YAML_BYTES = 4 * 1024 * 1024
_MAX_COMBINATIONS = 64  # matrix combinations expanded per job
_MAX_MAKEFILES = 200
_EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}", re.DOTALL)
_GO_TEMPLATE = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}", re.DOTALL)
_GITLAB_PREDEFINED = {
    "CI_REGISTRY_IMAGE": "**",
    "CI_PROJECT_DIR": ".",
    "CI_PROJECT_PATH": "**",
}


@dataclass(frozen=True, slots=True)
class Provenance:
    builds: tuple[ImageBuild, ...]
    problems: tuple[Problem, ...]  # CI/build files that could not be read (NOTE level)


class ImageBuilds:
    """:func:`find_image_builds` for one workspace, read on first use and then shared by every
    step that needs it (the image ENV of pulled images, Kubernetes containers, the service-code
    plan): the repository's workflows, Makefiles and poms are read once per run, and not at all
    when no step asks."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws
        self._found: Provenance | None = None
        self._memo: dict[Hashable, object] = {}

    def get(self) -> Provenance:
        if self._found is None:
            ws = self._ws
            self._found = find_image_builds(ws.root, ws.files, ws.projects)
        return self._found

    def memo(self, key: Hashable, make: Callable[[], _T]) -> _T:
        """What ``make`` gives, made once per ``key`` for every step of the run that asks
        (:func:`envlint.servicecode.base_images.stack_bases`)."""
        if key not in self._memo:
            self._memo[key] = make()
        return cast("_T", self._memo[key])


# --------------------------------------------------------------------------- names


def normalize_image(reference: str) -> str | None:
    """A repository name for comparisons: ``ghcr.io/org/app:v1@sha256:..`` -> ``ghcr.io/org/
    app``, ``nginx`` -> ``docker.io/library/nginx``; ``*`` / ``**`` kept as wildcards (see the
    module doc).  None for an empty name or one with nothing literal."""
    text = reference.strip().lower()
    if text.startswith("ko://"):
        return text
    text = text.split("@", 1)[0]
    slash = text.rfind("/")
    colon = text.rfind(":")
    if colon > slash:
        text = text[:colon]
    segments = [s for s in text.split("/") if s]
    if not segments:
        return None
    segments = [re.sub(r"\*{3,}", "**", s) for s in segments]
    if not any(re.search(r"[a-z0-9]", s.replace("*", "")) for s in segments):
        return None
    first = segments[0]
    if len(segments) == 1 and "*" in first and first != "**":
        # `${{ env.IMAGE }}_amd64`: what is unknown may be a registry and namespace, the literal
        # rest ends the name (never the whole of it: `**` alone would match every image)
        segments.insert(0, "**")
    elif "*" in first and "." not in first and first != "**":
        segments[0] = "**"  # `$REGISTRY/app`: a registry, a namespace or both
    elif len(segments) == 1 or not ("." in first or ":" in first or first == "localhost"):
        if first != "**":
            if len(segments) == 1:
                segments.insert(0, "library")
            segments.insert(0, "docker.io")
    elif first in ("index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"):
        segments[0] = "docker.io"
        if len(segments) == 2:
            segments.insert(1, "library")
    return "/".join(segments)


def image_matches(pattern: str, name: str) -> bool:
    """Whether a normalised build name (with ``*`` / ``**``) matches a normalised image name."""
    return _match(pattern.split("/"), name.split("/"))


def _match(pattern: list[str], name: list[str]) -> bool:
    if not pattern:
        return not name
    head = pattern[0]
    if head == "**":
        return any(_match(pattern[1:], name[i:]) for i in range(1, len(name) + 1))
    if not name:
        return False
    regex = "".join("[^/]*" if ch == "*" else re.escape(ch) for ch in head)
    return re.fullmatch(regex, name[0]) is not None and _match(pattern[1:], name[1:])


def image_tag(reference: str) -> str | None:
    """The tag of an image reference: ``latest`` when it names none (Docker's default), None
    for a reference pinned by digest (any build of the name may be it)."""
    text = reference.strip()
    if "@" in text:
        return None
    slash = text.rfind("/")
    colon = text.rfind(":")
    if colon > slash:
        return text[colon + 1 :] or None
    return "latest"


def _written_tag(project: ComposeProject, service: Service, image: str) -> str:
    """``image`` with each part of its tag that a variable supplied as ``*``: the compose file
    builds ``${IMAGE_NAME}:${DEMO_VERSION}-cart`` for any version, so a manifest that runs
    ``demo:2.1.3-cart`` runs this build, though ``.env`` says ``latest`` (otel-demo)."""
    tag = image_tag(image)
    if tag is None:
        return image
    pattern = tag
    for ref in project.refs:
        if ref.service != service.name or ref.context != f"services.{service.name}.image":
            continue
        value = project.environment.get(ref.name)
        if ref.is_set and value is not None and value.value and value.value in pattern:
            pattern = pattern.replace(value.value, "*")
    return image if pattern == tag else image[: len(image) - len(tag)] + pattern


def _tag_matches(pattern: str | None, tag: str) -> bool:
    if pattern is None:  # the builder chooses the tag: any
        return True
    regex = "".join(".*" if ch == "*" else re.escape(ch) for ch in pattern)
    return re.fullmatch(regex, tag) is not None


def _specificity(pattern: str) -> int:
    return len(pattern.replace("*", ""))


_BuildKey = tuple[str | None, str, str | None, str | None, tuple[tuple[str, str], ...] | None]


def _build_key(build: ImageBuild) -> _BuildKey:
    program = build.program.target if build.program is not None else None
    # no arguments and arguments not read are one: both read the Dockerfile without any
    return (build.dockerfile, build.context, build.target, program, build.args or None)


def image_candidates(service: Service, builds: Sequence[ImageBuild]) -> tuple[ImageBuild, ...]:
    """The repository builds that may have made ``service.image``: an exact name wins over
    patterns, among patterns the most literal one; then, when the reference has a tag, the
    builds that give exactly that tag (else those whose tag, written with a variable, may be
    it), when there are any.  Ordered by where they are declared."""
    if not service.image:
        return ()
    return _candidates(service.image, builds, any_tag=True)


def _candidates(
    reference: str, builds: Sequence[ImageBuild], *, any_tag: bool
) -> tuple[ImageBuild, ...]:
    """:func:`image_candidates` of an image reference; ``any_tag``: when no build gives the
    reference's tag, every build of the name (else none)."""
    name = normalize_image(reference)
    if name is None:
        return ()
    candidates = [b for b in builds if image_matches(b.image, name)]
    if not candidates:
        return ()
    exact = [b for b in candidates if "*" not in b.image]
    if exact:
        pool = exact
    else:
        best = max(_specificity(b.image) for b in candidates)
        pool = [b for b in candidates if _specificity(b.image) == best]
    tag = image_tag(reference)
    if tag is not None and "$" not in tag and "*" not in tag:
        same = [b for b in pool if b.tag == tag]
        possible = [b for b in pool if _tag_matches(b.tag, tag)]
        written = [b for b in possible if b.tag is not None]
        if written and not same:  # the most literal tag pattern: `*-cart` before `*`
            best = max(_specificity(b.tag or "") for b in written)
            possible = [  # builders that choose their tags may have made any: kept
                b for b in possible if b.tag is None or _specificity(b.tag) == best
            ]
        # a build whose tag is all it gives (a Makefile template's) never stands in for another
        pool = same or possible or ([b for b in pool if not b.exact_tag] if any_tag else [])
    return tuple(sorted(pool, key=lambda b: (b.origin.path, b.origin.line)))


def distinct_builds(builds: Sequence[ImageBuild]) -> tuple[ImageBuild, ...]:
    """One build per Dockerfile, context, target, program and build arguments (the first
    declared)."""
    seen: dict[_BuildKey, ImageBuild] = {}
    for build in builds:
        seen.setdefault(_build_key(build), build)
    return tuple(seen.values())


def stack_builds(project: ComposeProject, builds: Sequence[ImageBuild]) -> tuple[ImageBuild, ...]:
    """``builds`` as one compose stack sees them: an image (name and tag) that a service of the
    stack builds itself (``image:`` with ``build:``) comes from that build, with the stack's
    ``target`` and ``args`` (Compose builds it there); the other builds of that image (another
    stack's compose file, a CI job) are dropped.  Images the stack does not build keep every
    build (the stack pulls what something else built)."""
    files = {*project.files, *project.included_files}
    own = {(b.image, b.tag) for b in builds if b.origin.path in files}
    if not own:
        return tuple(builds)
    return tuple(b for b in builds if b.origin.path in files or (b.image, b.tag) not in own)


def resolve_image(service: Service, builds: Sequence[ImageBuild]) -> ImageBuild | None:
    """The repository build of ``service.image`` (for a service with ``image:`` and no
    ``build:``), from :func:`image_candidates`; candidates that disagree on the Dockerfile,
    context, target, program or build arguments give None."""
    pool = distinct_builds(image_candidates(service, builds))
    return pool[0] if len(pool) == 1 else None


def base_builds(reference: str, builds: Sequence[ImageBuild]) -> tuple[ImageBuild, ...]:
    """The builds whose name a Dockerfile's ``FROM`` image may be (the tag not compared): a
    name written with a variable in part (``ghcr.io/*/base``, ``**/base`` for
    ``$CI_REGISTRY_IMAGE/base``) only when its last part is literal and the FROM is no official
    Docker Hub image (a workflow that pushes ``$CI_REGISTRY_IMAGE`` or ``${{ env.IMAGE }}``
    does not build ``node`` or ``python``); none for a FROM whose name has an unknown part
    (written ``*``: ``${REGISTRY}/base``)."""
    slash = reference.rfind("/")
    colon = reference.rfind(":")
    written = reference[:colon] if colon > slash else reference
    name = normalize_image(reference)
    if name is None or "*" in written.split("@", 1)[0]:
        return ()
    official = name.startswith("docker.io/library/")
    return tuple(
        b
        for b in builds
        if ("*" not in b.image or (not official and "*" not in b.image.rsplit("/", 1)[-1]))
        and image_matches(b.image, name)
    )


def resolve_base(reference: str, builds: Sequence[ImageBuild]) -> ImageBuild | None:
    """The repository build of the image a Dockerfile's ``FROM`` names (``reference``, each
    part a variable it does not know gives written ``*``) among :func:`base_builds`, as
    :func:`resolve_image` finds it, except that an unknown tag is any build's of the name
    (``base:${VERSION}``) and a known tag that no build gives is none of them (openwisp builds
    ``openwisp-base:intermedia-system`` from the ``system`` stage: ``FROM
    openwisp-base:edge`` is not that stage)."""
    candidates = base_builds(reference, builds)
    pool = distinct_builds(_candidates(reference, candidates, any_tag=False))
    return pool[0] if len(pool) == 1 else None


# --------------------------------------------------------------------------- the collection


def find_image_builds(
    root: Path,
    files: Sequence[str],
    projects: Sequence[ComposeProject] = (),
    *,
    repo: RepoFiles | None = None,
) -> Provenance:
    """Every image build the repository declares (see the module doc).  ``files`` is the
    workspace's file list (relative paths); ``projects`` the loaded compose projects."""
    collector = _Collector(repo if repo is not None else RepoFiles(root))
    for project in projects:
        for service in project.services:
            collector.compose_service(service, project)
    makefiles = 0
    poms: list[str] = []
    for path in files:
        name = posixpath.basename(path)
        if re.fullmatch(r"\.github/workflows/[^/]+\.ya?ml", path):
            collector.github(path)
        elif path == ".gitlab-ci.yml":
            collector.gitlab(path)
        elif name in ("Makefile", "makefile", "GNUmakefile") or name.endswith(".mk"):
            makefiles += 1
            if makefiles <= _MAX_MAKEFILES:
                collector.makefile(path)
        elif re.fullmatch(r"\.?goreleaser\.ya?ml", path):
            collector.goreleaser(path)
        elif name in ("skaffold.yaml", "skaffold.yml"):
            collector.skaffold(path)
        elif name == "pom.xml":
            poms.append(path)
    collector.maven(poms)
    builds = list(dict.fromkeys(collector.builds))
    builds.sort(key=lambda b: (b.origin.path, b.origin.line, b.image))
    return Provenance(tuple(builds), tuple(collector.problems))


# stands for the value of the Makefile variable a recipe line is read as a template of
_MARK = "\x01"


@dataclass(frozen=True, slots=True)
class _Build:
    tags: tuple[str, ...]
    dockerfile: str | None
    context: str
    target: str | None
    program: ProgramRef | None = None
    tag_chosen: bool = False  # the builder chooses the tag (Skaffold, ko): not in the names
    args: tuple[tuple[str, str], ...] | None = None  # build arguments, when known
    exact_tag: bool = False  # ImageBuild.exact_tag


class _Collector:
    def __init__(self, repo: RepoFiles) -> None:
        self.repo = repo
        self.builds: list[ImageBuild] = []
        self.problems: list[Problem] = []

    def add(self, build: _Build, origin: Location) -> None:
        for reference in build.tags:
            image = normalize_image(reference)
            if image is None or image.startswith("ko://"):
                continue
            tag = None if build.tag_chosen else image_tag(reference)
            self.builds.append(
                ImageBuild(
                    image,
                    build.dockerfile,
                    build.context,
                    build.target,
                    origin,
                    build.program,
                    tag,
                    build.args,
                    build.exact_tag,
                )
            )

    def yaml(self, path: str) -> tuple[YNode | None, ...]:
        data = self.repo.read_bytes(path)
        if data is None:
            return ()
        try:
            return load_yaml_documents(
                data, path, max_bytes=_MAX_YAML_BYTES, max_nodes=MAX_COMPOSE_NODES
            )
        except YamlError as exc:
            message = f"cannot read the images it builds: {exc.problem.message}"
            self.problems.append(Problem(ProblemKind.NOTE, exc.problem.location, message))
        except (RecursionError, ValueError, MemoryError) as exc:
            message = f"cannot read the images it builds: {type(exc).__name__}"
            self.problems.append(Problem(ProblemKind.NOTE, Location(path), message))
        return ()

    # -- compose -------------------------------------------------------------------------------
    def compose_service(self, service: Service, project: ComposeProject | None = None) -> None:
        image = service.image
        if not image:
            return
        if project is not None:
            image = _written_tag(project, service, image)
        if image.startswith("ko://"):
            program = self.ko_program(image[len("ko://") :], "a compose `image: ko://` reference")
            if program is not None:
                self.builds.append(
                    ImageBuild(image.lower(), None, ".", None, service.location, program)
                )
            return
        if service.build_context is None or service.dockerfile is None:
            return
        # its `build.args` with a value; a pass-through one (`args: [X]`) is not known here
        args = None if service.build_args else tuple(build_args(service.raw.get("build")).items())
        build = _Build(
            (image,), service.dockerfile, service.build_context, service.build_target, args=args
        )
        self.add(build, service.location)

    def ko_program(self, import_path: str, what: str) -> ProgramRef | None:
        """The Go package a ko import path names, through the repository's go.mod files."""
        current = import_path.strip().rstrip("/")
        for gomod in self.repo.glob("go.mod") + self.repo.glob("*/go.mod"):
            module = go_module(self.repo, posixpath.dirname(gomod) or ".")
            if module is None:
                continue
            if current == module.path or current.startswith(module.path + "/"):
                directory = join(module.directory, current[len(module.path) + 1 :])
                if directory is not None and self.repo.is_dir(directory):
                    return ProgramRef("go", "go-package", directory, f"{what} builds {directory}")
        return None

    # -- shell lines ---------------------------------------------------------------------------
    def shell(
        self,
        script: str,
        cwd: str,
        lookup: Callable[[str], str | None],
        origin: Location,
    ) -> None:
        for command in parse_shell(script, lookup):
            if command.argv and command.argv[0] == "cd" and len(command.words) > 1:
                target = command.words[1]
                if command.depth == 0 and not target.unresolved:
                    cwd = join(cwd, target.text) or cwd
                continue
            for build in _command_builds(command, cwd, lookup, self):
                line = origin.line + max(0, command.line - 1)
                self.add(build, Location(origin.path, line, origin.column))

    # -- GitHub Actions ------------------------------------------------------------------------
    def github(self, path: str) -> None:
        for doc in self.yaml(path)[:1]:
            if not isinstance(doc, YMap):
                continue
            workflow_env = _env_map(doc.get("env"))
            jobs = doc.get("jobs")
            if not isinstance(jobs, YMap):
                continue
            for _, job in jobs.items:
                if isinstance(job, YMap):
                    self.github_job(path, doc, job, workflow_env)

    def github_job(self, path: str, doc: YMap, job: YMap, workflow_env: dict[str, str]) -> None:
        job_env = {**workflow_env, **_env_map(job.get("env"))}
        workdir = _str(_get(job, "defaults", "run", "working-directory")) or _str(
            _get(doc, "defaults", "run", "working-directory")
        )
        steps = job.get("steps")
        if not isinstance(steps, YSeq):
            return
        for combo in _matrix(_get(job, "strategy", "matrix")):
            context = _GitHubContext(job_env, combo)
            for step in steps.items:
                uses = _str(step.get("uses")) if isinstance(step, YMap) else None
                if isinstance(step, YMap) and (uses or "").startswith("docker/metadata-action"):
                    context.metadata(step)
                elif isinstance(step, YMap):
                    context.run_outputs(step)
            for step in steps.items:
                if isinstance(step, YMap):
                    self.github_step(step, context, workdir)

    def github_step(self, step: YMap, context: _GitHubContext, workdir: str | None) -> None:
        env = {**context.env, **_env_map(step.get("env"))}
        step_context = _GitHubContext(env, context.matrix, context.images, context.outputs)
        uses = _str(step.get("uses")) or ""
        inputs = step.get("with")
        if uses.startswith("docker/build-push-action") and isinstance(inputs, YMap):
            raw_context = step_context.evaluate(_str(inputs.get("context")) or ".")
            if raw_context.startswith("{{defaultcontext}}") or raw_context.startswith(
                "{{defaultContext}}"
            ):
                raw_context = raw_context.split(":", 1)[1] if ":" in raw_context else "."
            build_context = _path(".", raw_context)
            raw_file = _str(inputs.get("file"))
            dockerfile = (
                _path(".", step_context.evaluate(raw_file))
                if raw_file
                else (join(build_context, "Dockerfile") if build_context else None)
            )
            target = _str(inputs.get("target"))
            tags: list[str] = []
            for raw_tag in _list_input(_str(inputs.get("tags")) or ""):
                tags.extend(step_context.tags(raw_tag))
            # `outputs: type=image,name=org/app,push-by-digest=true`: the multi-platform recipe
            # of Docker's docs names the image in the exporter instead of tags
            for output in (_str(inputs.get("outputs")) or "").splitlines():
                for field in output.split(","):
                    name, _, value = field.strip().partition("=")
                    if name == "name" and value.strip():
                        tags.extend(step_context.tags(value.strip().strip('"')))
            if build_context is not None and dockerfile is not None:
                build = _Build(
                    tuple(tags),
                    dockerfile,
                    build_context,
                    (step_context.evaluate(target) or None) if target else None,
                    args=_build_args(_str(inputs.get("build-args")) or "", step_context),
                )
                self.add(build, step.loc)
            return
        run = step.get("run")
        if isinstance(run, YScalar) and isinstance(run.value, str):
            cwd = _path(
                ".", step_context.evaluate(_str(step.get("working-directory")) or workdir or ".")
            )
            script = step_context.evaluate(run.value)

            def lookup(name: str) -> str | None:
                if name == "GITHUB_WORKSPACE":
                    return "."
                value = env.get(name)
                return None if value is None else step_context.evaluate(value)

            self.shell(script, cwd or ".", lookup, _content_start(run))

    # -- GitLab CI -----------------------------------------------------------------------------
    def gitlab(self, path: str) -> None:
        for doc in self.yaml(path)[:1]:
            if not isinstance(doc, YMap):
                continue
            global_vars = _gitlab_variables(doc.get("variables"))
            for key, job in doc.items:
                if key.value in ("variables", "stages", "include", "workflow", "default"):
                    continue
                if not isinstance(job, YMap):
                    continue
                variables = {**global_vars, **_gitlab_variables(job.get("variables"))}

                def lookup(name: str, variables: dict[str, str] = variables) -> str | None:
                    if name in variables:
                        return variables[name]
                    return _GITLAB_PREDEFINED.get(name)

                for section in ("before_script", "script"):
                    for line in _script_lines(job.get(section)):
                        if isinstance(line.value, str):
                            self.shell(line.value, ".", lookup, _content_start(line))

    # -- Makefiles -----------------------------------------------------------------------------
    def makefile(self, path: str) -> None:
        text = self.repo.read_text(path)
        if text is None:
            return
        directory = posixpath.dirname(path) or "."
        for rule in read_makefile(text):
            for number, line in rule.recipe:
                if self.make_template(line, rule.values, directory, Location(path, number)):
                    continue
                # a variable the Makefile does not set may come from make's command line
                for command in recipe_commands(line, rule.values, undefined=UNKNOWN):
                    expanded = command.replace(UNKNOWN, "*")
                    self.shell(expanded, directory, lambda _name: None, Location(path, number))

    def make_template(
        self, line: str, values: Mapping[str, str], directory: str, origin: Location
    ) -> bool:
        """A recipe line whose variable picks both the Dockerfile and the tag (``docker build
        -f Dockerfile.$(N) -t app:$(N) .``; make's command line sets N, ``N ?= 0`` only its
        default): one build per Dockerfile of the repository that the line may name, tagged
        with that value of the variable, and no other tag (:attr:`ImageBuild.exact_tag`).
        False when no variable of the line does that, or no such Dockerfile is found."""
        for name in values:
            if f"$({name})" not in line and f"${{{name}}}" not in line:
                continue
            marked = expand(line, {**values, name: _MARK}, undefined=UNKNOWN)
            instances: list[_Build] = []
            for command in parse_shell(marked.replace(UNKNOWN, "*"), lambda _name: None):
                for build in _command_builds(command, directory, lambda _name: None, self):
                    instances.extend(self._instances(build))
            if instances:
                for build in instances:
                    self.add(build, origin)
                return True
        return False

    def _instances(self, build: _Build) -> Iterator[_Build]:
        """``build`` (its Dockerfile and tags written with :data:`_MARK`) once per Dockerfile of
        the repository whose name gives the variable a value."""
        dockerfile = build.dockerfile or ""
        folder, base = posixpath.split(dockerfile)
        if (
            _MARK not in base
            or _MARK in folder
            or _MARK in build.context
            or any(ch in base for ch in "*?[")
            or not all(_MARK in tag.partition(":")[2] for tag in build.tags)
            or any(_MARK in tag.partition(":")[0] for tag in build.tags)
        ):
            return
        pattern = re.compile(re.escape(base).replace(re.escape(_MARK), "([^/]+)"))
        for name in self.repo.listdir(folder or "."):
            found = pattern.fullmatch(name)
            values = set(found.groups()) if found is not None else set()
            if len(values) != 1 or not self.repo.is_file(join(folder, name) or name):
                continue
            (value,) = values
            tags = tuple(tag.replace(_MARK, value) for tag in build.tags)
            yield replace(build, tags=tags, dockerfile=join(folder, name), exact_tag=True)

    # -- GoReleaser ----------------------------------------------------------------------------
    def goreleaser(self, path: str) -> None:
        for doc in self.yaml(path)[:1]:
            if not isinstance(doc, YMap):
                continue
            project = _str(doc.get("project_name"))
            go_builds = self.goreleaser_builds(doc, project)

            def template(text: str, project: str | None = project) -> str:
                def replace(match: re.Match[str]) -> str:
                    expression = match.group(1).strip()
                    if expression == ".ProjectName" and project:
                        return project
                    return "*"

                return _GO_TEMPLATE.sub(replace, text)

            for key in ("dockers", "dockers_v2"):
                entries = doc.get(key)
                if not isinstance(entries, YSeq):
                    continue
                for entry in entries.items:
                    if not isinstance(entry, YMap):
                        continue
                    names = _str_list(entry.get("image_templates") or entry.get("images"))
                    dockerfile = _path(".", template(_str(entry.get("dockerfile")) or "Dockerfile"))
                    ids = _str_list(entry.get("ids"))
                    chosen = [b for b in go_builds if not ids or b[0] in ids]
                    program = chosen[0][1] if len(chosen) == 1 else None
                    if dockerfile is None:
                        continue
                    build = _Build(
                        tuple(template(n) for n in names), dockerfile, ".", None, program
                    )
                    self.add(build, entry.loc)
            kos = doc.get("kos")
            if isinstance(kos, YSeq):
                for entry in kos.items:
                    if isinstance(entry, YMap):
                        self.goreleaser_ko(entry, go_builds, template)

    def goreleaser_builds(self, doc: YMap, project: str | None) -> list[tuple[str, ProgramRef]]:
        found: list[tuple[str, ProgramRef]] = []
        builds = doc.get("builds")
        entries = builds.items if isinstance(builds, YSeq) else ()
        if builds is None:
            entries = (YMap((), doc.loc),)
        for entry in entries:
            if not isinstance(entry, YMap):
                continue
            if (_str(entry.get("builder")) or "go") != "go":
                continue
            build_id = _str(entry.get("id")) or project or "default"
            main = _str(entry.get("main")) or "."
            directory = _path(_str(entry.get("dir")) or ".", main)
            if directory is not None and directory.endswith(".go"):
                directory = posixpath.dirname(directory) or "."
            if directory is None or not self.repo.is_dir(directory):
                continue
            how = f"the GoReleaser build {build_id} compiles {directory}"
            found.append((build_id, ProgramRef("go", "go-package", directory, how, entry.loc)))
        return found

    def goreleaser_ko(
        self,
        entry: YMap,
        go_builds: list[tuple[str, ProgramRef]],
        template: Callable[[str], str],
    ) -> None:
        build_id = _str(entry.get("build"))
        chosen = [b for b in go_builds if build_id is None or b[0] == build_id]
        main = _str(entry.get("main"))
        program: ProgramRef | None = None
        if main is not None:
            directory = _path(".", main)
            if directory is not None and self.repo.is_dir(directory):
                how = f"the GoReleaser ko build compiles {directory}"
                program = ProgramRef("go", "go-package", directory, how, entry.loc)
        elif len(chosen) == 1:
            program = chosen[0][1]
        if program is None:
            return
        repositories = _str_list(entry.get("repositories")) or _str_list(entry.get("repository"))
        bare = _bool(entry.get("bare"))
        names: list[str] = []
        for repository in repositories:
            repository = template(repository)
            if bare:
                names.append(repository)
            else:
                names.append(f"{repository}/*")
        build = _Build(tuple(names), None, ".", None, program, tag_chosen=True)
        self.add(build, entry.loc)

    # -- Maven ---------------------------------------------------------------------------------
    def maven(self, poms: Sequence[str]) -> None:
        for found in maven_builds(self.repo, poms):
            if found.command is None:
                build = _Build(found.names, found.dockerfile, found.context, None, found.program)
                self.add(build, found.origin)
                continue
            for command in parse_shell(found.command, lambda _name: None):
                for build in _command_builds(command, found.cwd, lambda _name: None, self):
                    self.add(replace(build, program=found.program), found.origin)

    # -- Skaffold ------------------------------------------------------------------------------
    def skaffold(self, path: str) -> None:
        base = posixpath.dirname(path) or "."
        for doc in self.yaml(path):
            if not isinstance(doc, YMap):
                continue
            sections = [doc.get("build")]
            profiles = doc.get("profiles")
            if isinstance(profiles, YSeq):
                sections.extend(p.get("build") for p in profiles.items if isinstance(p, YMap))
            for section in sections:
                artifacts = section.get("artifacts") if isinstance(section, YMap) else None
                if not isinstance(artifacts, YSeq):
                    continue
                for artifact in artifacts.items:
                    if isinstance(artifact, YMap):
                        self.skaffold_artifact(base, artifact)

    def skaffold_artifact(self, base: str, artifact: YMap) -> None:
        image = _str(artifact.get("image"))
        context = _path(base, _str(artifact.get("context")) or ".")
        if image is None or context is None:
            return
        ko = artifact.get("ko")
        if isinstance(ko, YMap):
            directory = _path(context, _str(ko.get("dir")) or ".")
            main = _path(directory or context, _str(ko.get("main")) or ".")
            if main is not None and self.repo.is_dir(main):
                how = f"the Skaffold ko artifact {image} compiles {main}"
                program = ProgramRef("go", "go-package", main, how, artifact.loc)
                build = _Build((image,), None, context, None, program, tag_chosen=True)
                self.add(build, artifact.loc)
            return
        jib = artifact.get("jib")
        if isinstance(jib, YMap):
            module = _path(context, _str(jib.get("project")) or ".")
            if module is not None and self.repo.is_dir(module):
                how = f"the Skaffold jib artifact {image} builds the module {module}"
                program = ProgramRef("java", "jvm-module", module, how, artifact.loc)
                build = _Build((image,), None, context, None, program, tag_chosen=True)
                self.add(build, artifact.loc)
            return
        if artifact.get("buildpacks") is not None or artifact.get("bazel") is not None:
            return
        docker = artifact.get("docker")
        dockerfile_name = "Dockerfile"
        target: str | None = None
        if isinstance(docker, YMap):
            dockerfile_name = _str(docker.get("dockerfile")) or "Dockerfile"
            target = _str(docker.get("target"))
        dockerfile = _path(context, dockerfile_name)
        if dockerfile is not None:
            self.add(_Build((image,), dockerfile, context, target, tag_chosen=True), artifact.loc)


# --------------------------------------------------------------------------- build commands


_DOCKER_VALUE_FLAGS = frozenset(
    (
        "-t", "--tag", "-f", "--file", "--target", "--build-arg", "--platform", "--label",
        "--cache-from", "--cache-to", "-o", "--output", "--secret", "--ssh", "--network",
        "--progress", "--iidfile", "--metadata-file", "--builder", "--build-context",
        "--add-host", "--shm-size", "--ulimit", "-m", "--memory", "--memory-swap",
        "--cpu-shares", "--cpuset-cpus", "--cpuset-mems", "--cpu-period", "--cpu-quota",
        "--isolation", "--attest", "--annotation", "--allow", "--cgroup-parent", "--call",
        "--security-opt", "--format", "--layers", "--jobs", "--arch", "--os", "--variant",
        "--authfile", "--creds", "--cert-dir", "--sign-by", "--build-arg-file", "--env",
    )
)  # fmt: skip
_KANIKO_VALUE_FLAGS = frozenset(
    (
        "--context", "-c", "--dockerfile", "-f", "--destination", "-d", "--target",
        "--build-arg", "--cache-repo", "--cache-dir", "--label", "--digest-file",
        "--image-name-with-digest-file", "--tar-path", "--verbosity", "--snapshot-mode",
        "--custom-platform", "--registry-mirror", "--insecure-registry",
        "--skip-tls-verify-registry", "--registry-certificate", "--ignore-path", "--kaniko-dir",
        "--context-sub-path",
        "--oci-layout-path", "--compressed-caching", "--cache-ttl", "--push-retry",
    )
)  # fmt: skip


def _command_builds(
    command: ShellCommand,
    cwd: str,
    lookup: Callable[[str], str | None],
    collector: _Collector,
) -> Iterator[_Build]:
    words = list(command.words)
    argv = [w.text for w in words]
    if not argv:
        return
    tool = posixpath.basename(argv[0])
    if tool == "sudo":
        words, argv = words[1:], argv[1:]
        tool = posixpath.basename(argv[0]) if argv else ""
    rest: list[int] = []
    if tool in ("docker", "podman", "nerdctl") and argv[1:2] == ["build"]:
        rest = list(range(2, len(argv)))
    elif tool in ("docker", "podman", "nerdctl") and argv[1:3] in (
        ["buildx", "build"],
        ["image", "build"],
        ["buildx", "b"],
    ):
        rest = list(range(3, len(argv)))
    elif tool == "buildah" and argv[1:2] in (["bud"], ["build"], ["build-using-dockerfile"]):
        rest = list(range(2, len(argv)))
    elif tool == "executor" or argv[0].endswith("/kaniko/executor"):
        yield from _kaniko(words, cwd)
        return
    elif tool == "ko" and argv[1:2] in (["build"], ["publish"]):
        yield from _ko(words, cwd, lookup, collector)
        return
    else:
        return
    tags: list[str] = []
    dockerfile: str | None = None
    target: str | None = None
    positional: list[str] = []
    unknown: list[bool] = []
    unresolved_path = False
    index_iter = iter(rest)
    for index in index_iter:
        word = words[index]
        text = word.text
        if text.startswith("-"):
            name, eq, value = text.partition("=")
            if not eq and name in _DOCKER_VALUE_FLAGS:
                following = next(index_iter, None)
                if following is None:
                    break
                value_word = words[following]
                value = value_word.text
                if name in ("-f", "--file") and value_word.unresolved:
                    unresolved_path = True
            if name in ("-t", "--tag"):
                tags.append(value)
            elif name in ("-f", "--file"):
                dockerfile = value
            elif name == "--target":
                target = value
            continue
        positional.append(text)
        unknown.append(word.unresolved)
    # `docker build` takes one argument, the context: unknown words before a known last one
    # are options written with a variable (`$BUILD_ARGS ./images/`)
    if not positional or unresolved_path or not tags or unknown[-1]:
        return
    context_text = positional[-1]
    if context_text == "-" or "://" in context_text or context_text.startswith("git@"):
        return
    context = _path(cwd, context_text)
    if context is None:
        return
    dockerfile_path = _path(cwd, dockerfile) if dockerfile else join(context, "Dockerfile")
    if dockerfile_path is None:
        return
    yield _Build(tuple(tags), dockerfile_path, context, target)


def _kaniko(words: Sequence[Word], cwd: str) -> Iterator[_Build]:
    values: dict[str, list[str]] = {}
    unresolved = False
    items = list(words[1:])
    index = 0
    while index < len(items):
        word = items[index]
        index += 1
        name, eq, value = word.text.partition("=")
        if not name.startswith("-"):
            continue
        value_unresolved = word.unresolved
        if not eq and name in _KANIKO_VALUE_FLAGS and index < len(items):
            value = items[index].text
            value_unresolved = items[index].unresolved
            index += 1
        key = {"-c": "--context", "-f": "--dockerfile", "-d": "--destination"}.get(name, name)
        if key in ("--context", "--dockerfile") and value_unresolved:
            unresolved = True
        values.setdefault(key, []).append(value)
    destinations = values.get("--destination", [])
    if unresolved or not destinations:
        return
    context_text = (values.get("--context") or ["."])[-1].removeprefix("dir://")
    if "://" in context_text:
        return
    context = _path(cwd, context_text)
    if context is None:
        return
    dockerfile_text = (values.get("--dockerfile") or ["Dockerfile"])[-1]
    dockerfile = _path(cwd, dockerfile_text)
    if dockerfile is None or not dockerfile_text.startswith((".", "/")):
        dockerfile = join(context, dockerfile_text)
    if dockerfile is None:
        return
    targets = values.get("--target")
    yield _Build(tuple(destinations), dockerfile, context, targets[-1] if targets else None)


def _ko(
    words: Sequence[Word],
    cwd: str,
    lookup: Callable[[str], str | None],
    collector: _Collector,
) -> Iterator[_Build]:
    items = list(words[2:])
    repository = lookup("KO_DOCKER_REPO")
    if not repository:
        return
    bare = base_import = preserve = False
    packages: list[str] = []
    index = 0
    while index < len(items):
        text = items[index].text
        index += 1
        if text == "--bare":
            bare = True
        elif text in ("-B", "--base-import-paths"):
            base_import = True
        elif text in ("-P", "--preserve-import-paths"):
            preserve = True
        elif text.startswith("-"):
            if "=" not in text and text in (
                "-t",
                "--tags",
                "--platform",
                "--image-label",
                "--image-refs",
                "--sbom",
                "--tag-only",
                "-L",
            ):
                index += 1
        elif not items[index - 1].unresolved:
            packages.append(text)
    for package in packages:
        directory = _path(cwd, package) if package.startswith(".") else None
        module = go_module(collector.repo, directory or cwd)
        if directory is None and module is not None and package.startswith(module.path):
            directory = join(module.directory, package[len(module.path) + 1 :])
        if directory is None or module is None or not collector.repo.is_dir(directory):
            continue
        rel = (
            "" if directory == module.directory else posixpath.relpath(directory, module.directory)
        )
        import_path = f"{module.path}/{rel}" if rel else module.path
        if bare:
            name = repository
        elif base_import:
            name = f"{repository}/{posixpath.basename(import_path)}"
        elif preserve:
            name = f"{repository}/{import_path}"
        else:
            digest = hashlib.md5(import_path.encode(), usedforsecurity=False).hexdigest()
            name = f"{repository}/{posixpath.basename(import_path)}-{digest}"
        how = f"`ko build` compiles {directory}"
        program = ProgramRef("go", "go-package", directory, how)
        yield _Build((name,), None, ".", None, program, tag_chosen=True)


def build_args(build: object) -> dict[str, str]:
    """The ``args`` of a compose service's ``build:`` mapping that have a value, as the compose
    loader reads them and passes them to the Dockerfile (Compose's strings:
    :func:`~envlint.compose.loader.build_arg_values`)."""
    if not isinstance(build, Mapping):
        return {}
    args = build_arg_values(build.get("args"))
    return {key: value for key, value in args.items() if value is not None}


# --------------------------------------------------------------------------- GitHub helpers


_SET_OUTPUT = "::set-output name="


class _GitHubContext:
    """Evaluates the ``${{ ... }}`` expressions that name images and paths: ``env.X``,
    ``matrix.X``, ``github.repository`` (two unknown segments), ``github.workspace`` (the
    root), ``steps.<id>.outputs.tags|images`` (a metadata-action step), ``steps.<id>.outputs.X``
    that a ``run:`` step writes to ``$GITHUB_OUTPUT`` (``echo "X=value" >> "$GITHUB_OUTPUT"``,
    or the old ``::set-output name=X::value``; a part the shell would compute, such as
    ``$(...)``, stands for any number of segments); anything else is ``*``."""

    def __init__(
        self,
        env: Mapping[str, str],
        matrix: Mapping[str, str],
        images: dict[str, list[str]] | None = None,
        outputs: dict[str, dict[str, str]] | None = None,
    ) -> None:
        self.env = env
        self.matrix = matrix
        self.images: dict[str, list[str]] = {} if images is None else images
        self.outputs: dict[str, dict[str, str]] = {} if outputs is None else outputs

    def evaluate(self, text: str, depth: int = 0) -> str:
        def replace(match: re.Match[str]) -> str:
            return self.expression(match.group(1), depth)

        return _EXPR.sub(replace, text)

    def expression(self, expression: str, depth: int) -> str:
        expression = expression.strip()
        if expression in ("github.repository",):
            return "*/*"
        if expression in ("github.workspace",):
            return "."
        if expression.startswith("matrix.") and self.matrix:
            key = expression[len("matrix.") :]
            if not re.fullmatch(r"[\w-]+", key):
                return "*"  # a property of an object value, an operator: not evaluated
            # a key this combination lacks is null, which an expression renders as ''
            return self.matrix.get(key, "")
        output = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expression)
        if output is not None:
            return self.outputs.get(output.group(1), {}).get(output.group(2), "*")
        if expression.startswith("env."):
            value = self.env.get(expression[len("env.") :])
            if value is None:
                return "*"
            return self.evaluate(value, depth + 1) if depth < 8 else "*"
        return "*"

    def metadata(self, step: YMap) -> None:
        step_id = _str(step.get("id"))
        inputs = step.get("with")
        if step_id is None or not isinstance(inputs, YMap):
            return
        images: list[str] = []
        raw = _str(inputs.get("images")) or ""
        for line in raw.splitlines():
            line = line.strip()
            if not line:
                continue
            fields = [f.strip() for f in line.split(",")]
            named = [f[len("name=") :] for f in fields if f.startswith("name=")]
            candidates = named or [f for f in fields if "=" not in f]
            images.extend(self.evaluate(c) for c in candidates if c)
        self.images[step_id] = images

    def run_outputs(self, step: YMap) -> None:
        """The outputs a ``run:`` step with an ``id`` writes (see the class doc)."""
        step_id = _str(step.get("id"))
        run = step.get("run")
        if step_id is None or not isinstance(run, YScalar) or not isinstance(run.value, str):
            return
        env = {**self.env, **_env_map(step.get("env"))}
        outputs = self.outputs.setdefault(step_id, {})
        marker, lookup = runner_file("GITHUB_OUTPUT", env.get)
        for command in parse_shell(self.evaluate(run.value), lookup):
            found = written_to(command, marker, ("echo",))
            if command.argv[:1] == ("echo",):  # the old `echo "::set-output name=X::v"`
                for word in command.words[1:]:
                    if word.text.startswith(_SET_OUTPUT):
                        name, sep, value = word.text[len(_SET_OUTPUT) :].partition("::")
                        if sep:
                            found.append((name, value, word))
            for name, value, word in found:
                if re.fullmatch(r"[\w-]+", name) and not word.text.startswith("-"):
                    # an expansion the shell would make (a command's output): any segments
                    outputs[name] = re.sub(r"\*+", "**", value) if word.unresolved else value

    def tags(self, raw: str) -> list[str]:
        match = re.fullmatch(r"\$\{\{\s*steps\.([\w-]+)\.outputs\.(tags|images)\s*\}\}", raw)
        if match is not None:
            return list(self.images.get(match.group(1), []))
        return [self.evaluate(raw)]


def _matrix(node: YNode | None) -> list[dict[str, str]]:
    """The combinations of a job's ``strategy.matrix``, as GitHub makes them: the product of
    the list-valued keys, less the ``exclude:`` entries that match one (every key they give),
    then each ``include:`` entry added to every combination whose original values it does not
    change, or else a combination of its own.  A value envlint cannot know (an expression such
    as ``fromJSON(...)``, a mapping) is ``*``.  ``[{}]`` (every ``matrix.X`` unknown) without a
    matrix, when an ``exclude:`` or ``include:`` entry cannot be matched for an unknown value,
    and past :data:`_MAX_COMBINATIONS`."""
    if not isinstance(node, YMap):
        return [{}]
    axes: list[tuple[str, list[str]]] = []
    includes: list[dict[str, str]] = []
    excludes: list[dict[str, str]] = []
    for key, value in node.items:
        name = str(key.value)
        if name in ("include", "exclude"):
            if not isinstance(value, YSeq):
                return [{}]  # an expression: the entries are not known
            entries = [_matrix_entry(item) for item in value.items]
            if any(entry is None for entry in entries):
                return [{}]
            (includes if name == "include" else excludes).extend(e for e in entries if e)
        elif isinstance(value, YSeq):
            if value.items:
                axes.append((name, [_matrix_value(item) for item in value.items]))
        else:
            axes.append((name, ["*"]))  # `${{ fromJSON(...) }}`: one unknown dimension
    if math.prod(len(values) for _, values in axes) > _MAX_COMBINATIONS * 4:
        return [{}]
    combos: list[dict[str, str]] = []
    if axes:
        for values in itertools.product(*(v for _, v in axes)):
            combo = {name: value for (name, _), value in zip(axes, values, strict=True)}
            matches = [_matrix_match(e, combo) for e in excludes]
            if None in matches:
                return [{}]
            if not any(matches):
                combos.append(combo)
    original = len(combos)
    keys = {name for name, _ in axes}
    for include in includes:
        merged = False
        for combo in combos[:original]:
            matched = _matrix_match({k: v for k, v in include.items() if k in keys}, combo)
            if matched is None:
                return [{}]
            if matched:
                combo.update(include)
                merged = True
        if not merged:
            combos.append(dict(include))
    if len(combos) > _MAX_COMBINATIONS:
        return [{}]
    return combos or [{}]


def _matrix_value(node: YNode) -> str:
    """A matrix value as an expression renders it; ``*`` for one envlint cannot know."""
    if not isinstance(node, YScalar):
        return "*"
    if node.value is None:
        return ""
    if isinstance(node.value, bool):
        return "true" if node.value else "false"
    text = str(node.value)
    return "*" if "${{" in text or "*" in text else text


def _matrix_entry(node: YNode) -> dict[str, str] | None:
    """An ``include:`` / ``exclude:`` entry; None when it is not a mapping."""
    if not isinstance(node, YMap):
        return None
    return {str(k.value): _matrix_value(v) for k, v in node.items}


def _matrix_match(entry: Mapping[str, str], combo: Mapping[str, str]) -> bool | None:
    """Whether ``combo`` has every value ``entry`` gives; None when an unknown value decides."""
    for key, value in entry.items():
        if key not in combo:
            continue
        if "*" in (value, combo[key]):
            return None
        if combo[key] != value:
            return False
    return True


def _build_args(text: str, context: _GitHubContext) -> tuple[tuple[str, str], ...] | None:
    """``build-args:`` of docker/build-push-action (one ``KEY=value`` a line, commas kept), each
    value evaluated; None when one holds a part envlint cannot know."""
    args: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, eq, value = line.partition("=")
        if not eq:
            return None  # `KEY` alone: the runner's environment variable
        value = context.evaluate(value)
        if "*" in value or "$" in value:
            return None
        args[name.strip()] = value
    return tuple(args.items())


def _list_input(text: str) -> list[str]:
    """An action input list: one item per line, or comma-separated (docker/build-push-action
    splits on newlines and commas outside quotes)."""
    items: list[str] = []
    for line in text.splitlines():
        for item in line.split(","):
            item = item.strip().strip("\"'")
            if item:
                items.append(item)
    return items


# --------------------------------------------------------------------------- small helpers


_get, _str = dig, scalar_text


def _bool(node: YNode | None) -> bool:
    return isinstance(node, YScalar) and node.value is True


def _str_list(node: YNode | None) -> list[str]:
    if isinstance(node, YSeq):
        return [s for s in (_str(item) for item in node.items) if s]
    single = _str(node)
    return [single] if single else []


def _env_map(node: YNode | None) -> dict[str, str]:
    if not isinstance(node, YMap):
        return {}
    return {str(k.value): v for k, n in node.items if (v := _str(n)) is not None}


def _gitlab_variables(node: YNode | None) -> dict[str, str]:
    if not isinstance(node, YMap):
        return {}
    found: dict[str, str] = {}
    for key, value in node.items:
        text = _str(value) if not isinstance(value, YMap) else _str(value.get("value"))
        if text is not None:
            found[str(key.value)] = text
    return found


def _script_lines(node: YNode | None) -> Iterator[YScalar]:
    if isinstance(node, YScalar):
        yield node
    elif isinstance(node, YSeq):
        for item in node.items:
            yield from _script_lines(item)


def _content_start(node: YScalar) -> Location:
    """Where a scalar's text starts: a block scalar (``|``, ``>``) starts on the next line."""
    loc = node.loc
    if node.style in ("|", ">"):
        return Location(loc.path, loc.line + 1, 1)
    return loc


def _path(base: str, text: str) -> str | None:
    """A path written in a CI file, relative to ``base`` (the root-relative working directory);
    None when it holds an unknown part or leaves the root."""
    if "*" in text or not text:
        return None if "*" in text else base
    text = text.strip()
    if text.startswith("/"):
        return None
    return join(base, text)
