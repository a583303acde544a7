"""Image builds a Maven build declares (part of :mod:`envlint.servicecode.provenance`).

Each module with code (``<packaging>`` other than ``pom``) is read with its parent chain
(``<parent>`` by ``relativePath``, default ``../pom.xml``, else by ``groupId:artifactId`` among the
repository's poms): the plugins it runs are those of its ``<build><plugins>`` and its
ancestors' (unless ``<inherited>false</inherited>``), in every ``<profile>`` (a ``-P
buildDocker`` build is a build of this repository); their configuration is the nearest
declaration's, then ``<pluginManagement>`` (child first, as Maven merges it).  Images come from:

* ``spring-boot-maven-plugin``: ``<image><name>`` (``build-image``); with an execution of the
  ``build-image`` goal and no name, Spring Boot's default ``docker.io/library/${artifactId}:
  ${version}``;
* ``jib-maven-plugin``: ``<to><image>`` (or the ``jib.to.image`` property) and ``<to><tags>``;
* fabric8 ``docker-maven-plugin``: ``<images><image><name>`` (``%a`` the artifactId, ``%g``
  the last part of the groupId; ``%l``/``%v``/``%t`` are wildcards), its Dockerfile from
  ``<build><dockerFile>`` / ``dockerFileDir`` / ``contextDir``;
* Spotify ``docker-maven-plugin`` (``<imageName>``, ``<dockerDirectory>``) and
  ``dockerfile-maven-plugin`` (``<repository>``, ``<tag>``, ``<contextDirectory>``,
  ``<dockerfile>``);
* ``exec-maven-plugin`` executions whose ``<executable>`` is docker / podman / nerdctl / buildah:
  the ``<arguments>`` (or ``<commandlineArgs>``) as a command line, which the provenance reader
  parses like any ``docker build``, run in ``<workingDirectory>`` (default the module).

Properties (``${x}``) resolve from the module's and its ancestors' ``<properties>`` (child
wins) and Maven's own: ``project.artifactId``, ``project.groupId``, ``project.version`` (inherited
from the parent), ``project.basedir`` / ``basedir``, ``project.build.directory``,
``project.build.finalName``, ``project.name``.  A property envlint cannot resolve is a wildcard in
an image name and makes a path unknown (that part of the build is dropped), as the provenance
module does for other builders.  The built program is the module (``jvm-module``).  XML is read
by :func:`envlint.servicecode.buildfiles.parse_xml_lines` (no DTD, no entity is expanded).
"""

from __future__ import annotations

import posixpath
import re
import shlex
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from envlint.model import Location
from envlint.servicecode.buildfiles import local_name, parse_xml_lines, xml_child, xml_text
from envlint.servicecode.model import ProgramRef
from envlint.servicecode.repofiles import join

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from xml.etree.ElementTree import Element

    from envlint.servicecode.repofiles import RepoFiles

__all__ = ["UNKNOWN", "MavenBuild", "maven_builds"]

UNKNOWN = "\x00"  # an unresolved property inside a resolved text
_BASEDIR = "\x01"  # ${basedir} while a path is resolved
_MAX_POMS = 500
_MAX_DEPTH = 10
_PROPERTY = re.compile(r"\$\{([^}]*)\}")
_DOCKER_TOOLS = frozenset({"docker", "podman", "nerdctl", "buildah"})


@dataclass(frozen=True, slots=True)
class MavenBuild:
    """One image build a module declares: either named images (``names``, with the Dockerfile
    and context when the plugin uses one) or a ``docker build`` ``command`` run in ``cwd``."""

    origin: Location
    program: ProgramRef
    names: tuple[str, ...] = ()  # image references; unknown parts are ``*``
    dockerfile: str | None = None
    context: str = "."
    command: str | None = None  # a shell line; an unknown property is a `"${_}"` expansion
    cwd: str = "."


@dataclass
class _Pom:
    path: str
    directory: str
    root: Element
    lines: dict[int, int]
    group: str | None = None
    artifact: str | None = None
    version: str | None = None
    packaging: str = "jar"
    parent: tuple[str | None, str | None, str] | None = None  # group, artifact, relativePath
    properties: dict[str, str] = field(default_factory=dict)


def _children(element: Element | None, name: str) -> list[Element]:
    if element is None:
        return []
    return [child for child in element if local_name(child.tag) == name]


def _read(repo: RepoFiles, path: str) -> _Pom | None:
    data = repo.read_bytes(path)
    if data is None:
        return None
    parsed = parse_xml_lines(data)
    if isinstance(parsed, str):
        return None  # the JVM code graph reports unreadable poms
    root, lines = parsed
    if local_name(root.tag) != "project":
        return None
    pom = _Pom(path, posixpath.dirname(path) or ".", root, lines)
    parent = xml_child(root, "parent")
    pom.artifact = xml_text(root, "artifactId")
    pom.group = xml_text(root, "groupId") or xml_text(parent, "groupId")
    pom.version = xml_text(root, "version") or xml_text(parent, "version")
    pom.packaging = xml_text(root, "packaging") or "jar"
    if parent is not None:
        relative = xml_child(parent, "relativePath")
        where = "../pom.xml" if relative is None else (relative.text or "").strip()
        pom.parent = (xml_text(parent, "groupId"), xml_text(parent, "artifactId"), where)
    for item in xml_child(root, "properties") or ():
        if item.text is not None:
            pom.properties[local_name(item.tag)] = item.text.strip()
    return pom


class _Index:
    def __init__(self, poms: Sequence[_Pom]) -> None:
        self.by_path = {pom.path: pom for pom in poms}
        self.by_coordinates: dict[tuple[str | None, str | None], _Pom] = {
            (p.group, p.artifact): p for p in poms if p.artifact
        }

    def parent(self, pom: _Pom) -> _Pom | None:
        if pom.parent is None:
            return None
        group, artifact, relative = pom.parent
        if relative:
            path = join(pom.directory, relative)
            if path is not None and not path.endswith(".xml"):
                path = join(path, "pom.xml")
            found = self.by_path.get(path or "")
            if found is not None and found.artifact == artifact:
                return found
        return self.by_coordinates.get((group, artifact))

    def chain(self, pom: _Pom) -> list[_Pom]:
        chain = [pom]
        while len(chain) < _MAX_DEPTH:
            parent = self.parent(chain[-1])
            if parent is None or parent in chain:
                break
            chain.append(parent)
        return chain


class _Module:
    """One module with its parent chain: properties and plugin declarations."""

    def __init__(self, chain: list[_Pom]) -> None:
        self.chain = chain
        self.pom = chain[0]
        self.properties: dict[str, str] = {}
        for pom in reversed(chain):
            self.properties.update(pom.properties)
        pom = self.pom
        artifact = pom.artifact or ""
        version = next((p.version for p in chain if p.version), None)
        group = next((p.group for p in chain if p.group), None)
        builtins = {
            "project.artifactId": artifact,
            "artifactId": artifact,
            "project.basedir": "${basedir}",
            "project.build.directory": "${basedir}/target",
            "project.build.finalName": f"{artifact}-${{project.version}}",
        }
        build_directory = xml_text(xml_child(pom.root, "build"), "directory")
        if build_directory is not None:
            builtins["project.build.directory"] = build_directory
        final_name = xml_text(xml_child(pom.root, "build"), "finalName")
        if final_name is not None:
            builtins["project.build.finalName"] = final_name
        if version is not None:
            builtins["project.version"] = builtins["version"] = version
        if group is not None:
            builtins["project.groupId"] = builtins["groupId"] = group
        name = xml_text(pom.root, "name")
        if name is not None:
            builtins["project.name"] = name
        self.properties.update(builtins)

    def resolve(self, text: str, basedir: str) -> str:
        """``text`` with every property resolved; ``${basedir}`` is ``basedir``; an unknown
        property becomes :data:`UNKNOWN`."""

        def expand(value: str, depth: int) -> str:
            def replace(match: re.Match[str]) -> str:
                name = match.group(1).strip()
                if name in ("basedir", "project.basedir"):
                    return basedir
                known = self.properties.get(name)
                if known is None or depth >= _MAX_DEPTH:
                    return UNKNOWN
                return expand(known, depth + 1)

            return _PROPERTY.sub(replace, value)

        return expand(text, 0)

    def declarations(self, artifact: str) -> tuple[list[Element], Element | None]:
        """The ``<plugin>`` elements for ``artifact``, nearest first (declared ones, then
        managed ones, per pom of the chain), and the declaration that makes the module run
        it (None: the module does not run the plugin)."""
        found: list[Element] = []
        runs: Element | None = None
        for depth, pom in enumerate(self.chain):
            managed: list[Element] = []
            for build in _build_sections(pom.root):
                for plugin in _children(xml_child(build, "plugins"), "plugin"):
                    if xml_text(plugin, "artifactId") != artifact:
                        continue
                    found.append(plugin)
                    inherited = xml_text(plugin, "inherited") != "false"
                    if runs is None and (depth == 0 or inherited):
                        runs = plugin
                management = xml_child(build, "pluginManagement")
                for plugin in _children(xml_child(management, "plugins"), "plugin"):
                    if xml_text(plugin, "artifactId") == artifact:
                        managed.append(plugin)
            found.extend(managed)
        return found, runs

    def location(self, element: Element) -> Location:
        for pom in self.chain:
            line = pom.lines.get(id(element))
            if line is not None:
                return Location(pom.path, line)
        return Location(self.pom.path, 1)


def _build_sections(root: Element) -> list[Element]:
    sections = [b for b in (xml_child(root, "build"),) if b is not None]
    for profile in _children(xml_child(root, "profiles"), "profile"):
        build = xml_child(profile, "build")
        if build is not None:
            sections.append(build)
    return sections


def _configurations(plugins: Sequence[Element]) -> list[Element]:
    """Every configuration of the declarations, nearest first: each plugin's own, then its
    executions'."""
    out: list[Element] = []
    for plugin in plugins:
        own = xml_child(plugin, "configuration")
        if own is not None:
            out.append(own)
        for execution in _children(xml_child(plugin, "executions"), "execution"):
            config = xml_child(execution, "configuration")
            if config is not None:
                out.append(config)
    return out


def _find(configs: Sequence[Element], *path: str) -> Element | None:
    for config in configs:
        node: Element | None = config
        for name in path:
            node = xml_child(node, name)
        if node is not None:
            return node
    return None


def _find_text(configs: Sequence[Element], *path: str) -> str | None:
    node = _find(configs, *path)
    text = (node.text or "").strip() if node is not None else ""
    return text or None


def _goals(plugins: Sequence[Element]) -> set[str]:
    return {
        (goal.text or "").strip()
        for plugin in plugins
        for execution in _children(xml_child(plugin, "executions"), "execution")
        for goal in _children(xml_child(execution, "goals"), "goal")
    }


# --------------------------------------------------------------------------- the plugins


class _Reader:
    def __init__(self, module: _Module) -> None:
        self.module = module
        directory = module.pom.directory
        how = f"the Maven module {directory} builds it ({module.pom.path})"
        self.program = ProgramRef("java", "jvm-module", directory, how, Location(module.pom.path))

    def name(self, text: str) -> str:
        return self.module.resolve(text, self.module.pom.directory).replace(UNKNOWN, "*")

    def path(self, text: str, base: str | None = None) -> str | None:
        """A path of the pom relative to the root: ``${basedir}/x`` is below the module, another
        relative path below ``base`` (default the module); None when unknown or outside."""
        directory = self.module.pom.directory
        resolved = self.module.resolve(text, _BASEDIR)
        if UNKNOWN in resolved or _BASEDIR in resolved[1:] or resolved.startswith("/"):
            return None
        if resolved.startswith(_BASEDIR):
            return join(directory, resolved[1:].lstrip("/") or ".")
        return join(base or directory, resolved)

    def builds(self) -> Iterator[MavenBuild]:
        yield from self.spring_boot()
        yield from self.jib()
        yield from self.fabric8()
        yield from self.spotify()
        yield from self.exec()

    def spring_boot(self) -> Iterator[MavenBuild]:
        plugins, runs = self.module.declarations("spring-boot-maven-plugin")
        if runs is None:
            return
        configs = _configurations(plugins)
        name = _find_text(configs, "image", "name")
        if name is None and not _goals(plugins) & {"build-image", "build-image-no-fork"}:
            return
        reference = (
            self.name(name)
            if name
            else self.name("docker.io/library/${project.artifactId}:${project.version}")
        )
        directory = self.module.pom.directory
        yield MavenBuild(self.module.location(runs), self.program, (reference,), context=directory)

    def jib(self) -> Iterator[MavenBuild]:
        plugins, runs = self.module.declarations("jib-maven-plugin")
        if runs is None:
            return
        configs = _configurations(plugins)
        image = _find_text(configs, "to", "image")
        if image is None:
            image = self.module.properties.get("jib.to.image")
        if image is None:
            return
        # the name's tag (`latest` when it has none), and each of <to><tags>
        name = self.name(image)
        repository = name.split("@", 1)[0]
        if repository.rfind(":") > repository.rfind("/"):
            repository = repository[: repository.rfind(":")]
        tags = [(t.text or "").strip() for t in _children(_find(configs, "to", "tags"), "tag")]
        names = (name, *(f"{repository}:{self.name(t)}" for t in tags if t))
        directory = self.module.pom.directory
        yield MavenBuild(self.module.location(runs), self.program, names, context=directory)

    def fabric8(self) -> Iterator[MavenBuild]:
        plugins, runs = self.module.declarations("docker-maven-plugin")
        if runs is None or _find(_configurations(plugins), "imageName") is not None:
            return  # Spotify's plugin of the same name (below)
        images = _find(_configurations(plugins), "images")
        for image in _children(images, "image"):
            name = xml_text(image, "name")
            if name is None:
                continue
            artifact = self.module.pom.artifact or "*"
            group = self.module.properties.get("project.groupId", "*").rsplit(".", 1)[-1]
            name = name.replace("%a", artifact).replace("%g", group)
            name = re.sub(r"%[ltv]", "*", name)  # latest-or-version, version, timestamp
            build = xml_child(image, "build")
            dockerfile: str | None = None
            context: str | None = self.module.pom.directory
            # fabric8: contextDir (dockerFileDir) holds the Dockerfile; a dockerFile alone is
            # relative to src/main/docker and its directory is the context; neither: no
            # Dockerfile (an image assembled from <from> and the module's artifact)
            default_dir = join(self.module.pom.directory, "src/main/docker") or "."
            context_dir = xml_text(build, "contextDir") or xml_text(build, "dockerFileDir")
            file = xml_text(build, "dockerFile")
            if context_dir is not None:
                context = self.path(context_dir, default_dir)
                dockerfile = self.path(file or "Dockerfile", context) if context else None
            elif file is not None:
                dockerfile = self.path(file, default_dir)
                context = posixpath.dirname(dockerfile) or "." if dockerfile else None
            if context is None:
                continue
            yield MavenBuild(
                self.module.location(runs), self.program, (self.name(name),), dockerfile, context
            )

    def spotify(self) -> Iterator[MavenBuild]:
        plugins, runs = self.module.declarations("docker-maven-plugin")
        configs = _configurations(plugins)
        image_name = _find_text(configs, "imageName")
        if runs is not None and image_name is not None:
            directory = _find_text(configs, "dockerDirectory")
            context = self.path(directory) if directory else None
            dockerfile = join(context, "Dockerfile") if context is not None else None
            yield MavenBuild(
                self.module.location(runs),
                self.program,
                (self.name(image_name),),
                dockerfile,
                context or self.module.pom.directory,
            )
        plugins, runs = self.module.declarations("dockerfile-maven-plugin")
        configs = _configurations(plugins)
        repository = _find_text(configs, "repository")
        if runs is None or repository is None:
            return
        tag = _find_text(configs, "tag") or "latest"
        context = self.path(_find_text(configs, "contextDirectory") or "${basedir}")
        file = _find_text(configs, "dockerfile")
        dockerfile = self.path(file) if file else (join(context, "Dockerfile") if context else None)
        yield MavenBuild(
            self.module.location(runs),
            self.program,
            (f"{self.name(repository)}:{self.name(tag)}",),
            dockerfile,
            context or self.module.pom.directory,
        )

    def exec(self) -> Iterator[MavenBuild]:
        plugins, runs = self.module.declarations("exec-maven-plugin")
        if runs is None:
            return
        plugin_configs = [c for p in plugins for c in _children(p, "configuration")]
        executions: dict[str, list[Element]] = {}
        for plugin in plugins:
            for execution in _children(xml_child(plugin, "executions"), "execution"):
                key = xml_text(execution, "id") or "default"
                executions.setdefault(key, []).append(execution)
        if not executions:  # `mvn exec:exec` with the plugin's own configuration
            executions["default-cli"] = [runs]
        for declared in executions.values():
            configs = [c for e in declared for c in _children(e, "configuration")]
            configs += plugin_configs
            executable = _find_text(configs, "executable")
            if executable is None:
                continue
            tool = posixpath.basename(self.name(executable))
            if tool not in _DOCKER_TOOLS:
                continue
            basedir = self.module.pom.directory
            workdir = _find_text(configs, "workingDirectory")
            cwd = self.path(workdir) if workdir else basedir
            if cwd is None:
                continue
            # ${basedir} as the working directory sees it: paths stay right after `cd`
            relative = posixpath.relpath(basedir, cwd)
            words = [tool]
            arguments = _find(configs, "arguments")
            if arguments is not None:
                texts = [(a.text or "").strip() for a in _children(arguments, "argument")]
                words += [_shell_word(self.module.resolve(t, relative)) for t in texts if t]
            else:
                line = _find_text(configs, "commandlineArgs")
                if line is None:
                    continue
                words.append(_shell_word(self.module.resolve(line, relative), split=True))
            yield MavenBuild(
                self.module.location(declared[0]),
                self.program,
                command=" ".join(words),
                cwd=cwd,
            )


def _shell_word(text: str, *, split: bool = False) -> str:
    """One resolved argument as shell text: literal parts quoted, an unknown property an
    expansion the shell reader leaves unresolved.  ``split``: a command-line string whose
    spaces separate words."""
    parts = text.split(UNKNOWN)
    if split:
        return '"${_}"'.join(parts)
    return '"${_}"'.join(shlex.quote(part) if part else "" for part in parts) or "''"


def maven_builds(repo: RepoFiles, paths: Sequence[str]) -> list[MavenBuild]:
    """The image builds of every Maven module among ``paths`` (``pom.xml`` files)."""
    poms = [pom for path in paths[:_MAX_POMS] if (pom := _read(repo, path)) is not None]
    index = _Index(poms)
    out: list[MavenBuild] = []
    for pom in poms:
        if pom.packaging == "pom" or pom.artifact is None:
            continue
        out.extend(_Reader(_Module(index.chain(pom))).builds())
    return out
