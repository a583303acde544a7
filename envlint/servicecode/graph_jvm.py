"""Java/Kotlin: the main source sets of a Maven or Gradle module and of the modules it uses.

Maven (``pom.xml``, read as XML without DTDs): every pom of the checked tree is indexed by
``groupId:artifactId`` (``groupId`` inherited from ``<parent>``); a module's dependencies on
other modules of the tree (any scope but ``test``; ``${project.groupId}`` understood, another
property falls back to the artifactId alone) are followed transitively.  An aggregator
(``<packaging>pom</packaging>`` without sources) contributes its ``<modules>``.  Sources:
``<build><sourceDirectory>`` or ``src/main/java``, plus ``src/main/kotlin``.

Gradle: the nearest ``settings.gradle(.kts)`` gives the projects (``include``, with
``project(":x").projectDir = file("dir")``); a project's ``build.gradle(.kts)`` gives its
``project(":x")`` / ``projects.x`` dependencies inside ``dependencies { }`` in any configuration
except test, compile-only and annotation-processor ones (``subprojects { }`` / ``allprojects
{ }`` blocks of the root build file apply to every project; ``buildscript { }`` is the build's
own classpath).  Kotlin DSL is read with the Kotlin grammar, Groovy DSL with the Groovy grammar
(``dekobon-tree-sitter-groovy``); both through query files (``queries/gradle-*.scm``).
Sources: ``src/main/java`` and ``src/main/kotlin``; a build file that configures
``sourceSets`` is noted (custom source sets are not read).  Composite builds
(``includeBuild``) are not followed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from envlint.servicecode._graphbase import Collector, ProgramFiles, Repo, join, parent_dir
from envlint.servicecode.buildfiles import local_name, parse_xml, xml_child, xml_text

if TYPE_CHECKING:
    from collections.abc import Mapping

    from tree_sitter import Language, Node, Query

    from envlint.servicecode.imports import FileImports
    from envlint.servicecode.model import ProgramRef

__all__ = ["resolve_jvm"]

_JVM_EXTENSIONS = (".java", ".kt")
_SOURCE_SETS = ("src/main/java", "src/main/kotlin")
_WRAPPERS = frozenset({"project", "platform", "enforcedPlatform", "testFixtures"})
_NOT_RUNTIME = frozenset(
    {"compileOnly", "compileOnlyApi", "annotationProcessor", "kapt", "ksp", "developmentOnly"}
)
_BLOCK_NODES = frozenset({"lambda_literal", "annotated_lambda", "closure"})
_CALL_NODES = frozenset({"call_expression", "method_invocation", "command_chain"})


def _runtime(configuration: str | None) -> bool:
    if configuration is None:
        return True
    low = configuration.lower()
    if low.startswith(("test", "androidtest", "integrationtest", "functionaltest")):
        return False
    return configuration not in _NOT_RUNTIME and not configuration.startswith("testFixtures")


def _sources(repo: Repo, module_dir: str, source_dirs: tuple[str, ...]) -> list[str]:
    files: list[str] = []
    for source_dir in source_dirs:
        directory = join(module_dir, source_dir)
        if directory is not None:
            files.extend(p for p in repo.under(directory) if p.endswith(_JVM_EXTENSIONS))
    return files


# --- Maven --------------------------------------------------------------------------------


@dataclass
class _Pom:
    directory: str
    group: str | None
    artifact: str | None
    packaging: str
    modules: list[str] = field(default_factory=list)
    dependencies: list[tuple[str | None, str]] = field(
        default_factory=list
    )  # (groupId, artifactId)
    source_dirs: tuple[str, ...] = _SOURCE_SETS


def _read_pom(repo: Repo, path: str) -> _Pom | str:
    data = repo.read(path)
    if data is None:
        return f"{path} could not be read"
    root = parse_xml(data)
    if isinstance(root, str):
        return f"{path} was not read: {root}"
    group = xml_text(root, "groupId") or xml_text(xml_child(root, "parent"), "groupId")
    pom = _Pom(
        parent_dir(path),
        group,
        xml_text(root, "artifactId"),
        xml_text(root, "packaging") or "jar",
    )
    modules = xml_child(root, "modules")
    if modules is not None:
        pom.modules = [(m.text or "").strip() for m in modules if local_name(m.tag) == "module"]
    dependencies = xml_child(root, "dependencies")
    for dependency in dependencies if dependencies is not None else ():
        if local_name(dependency.tag) != "dependency":
            continue
        if (xml_text(dependency, "scope") or "compile") == "test":
            continue
        artifact = xml_text(dependency, "artifactId")
        if artifact is not None:
            dep_group = xml_text(dependency, "groupId")
            if dep_group in ("${project.groupId}", "${groupId}"):
                dep_group = group
            pom.dependencies.append((dep_group, artifact))
    source = xml_text(xml_child(root, "build"), "sourceDirectory")
    if source is not None:
        pom.source_dirs = (
            source.removeprefix("${project.basedir}/").removeprefix("${basedir}/"),
            "src/main/kotlin",
        )
    return pom


def _maven(repo: Repo, start: str, out: Collector) -> set[str]:
    poms: dict[str, _Pom] = {}
    by_coordinates: dict[tuple[str | None, str], str] = {}
    by_artifact: dict[str, list[str]] = {}
    for path in repo.sorted:
        if path == "pom.xml" or path.endswith("/pom.xml"):
            pom = _read_pom(repo, path)
            if isinstance(pom, str):
                out.note(pom, incomplete=parent_dir(path) == start)
                continue
            poms[pom.directory] = pom
            if pom.artifact is not None:
                by_coordinates[(pom.group, pom.artifact)] = pom.directory
                by_artifact.setdefault(pom.artifact, []).append(pom.directory)

    files: set[str] = set()
    pending = [start]
    seen: set[str] = set()
    while pending:
        directory = pending.pop()
        if directory in seen:
            continue
        seen.add(directory)
        if directory not in poms:
            continue
        pom = poms[directory]
        sources = _sources(repo, directory, pom.source_dirs)
        files.update(sources)
        if pom.packaging == "pom" and not sources and pom.modules:
            out.note(
                f"{directory or '.'} is an aggregator: all its modules were taken", incomplete=False
            )
            for module in pom.modules:
                target = join(directory, module.removesuffix("/pom.xml"))
                if target is not None:
                    pending.append(target)
        for group, artifact in pom.dependencies:
            if "${" in artifact:
                out.note(
                    f"{directory or '.'}/pom.xml: dependency {artifact} uses a property "
                    "envlint does not evaluate"
                )
                continue
            target_dir = (
                by_coordinates.get((group, artifact)) if group and "${" not in group else None
            )
            if (
                target_dir is None
                and len(by_artifact.get(artifact, ())) == 1
                and (group is None or "${" in group)
            ):
                target_dir = by_artifact[artifact][0]
            if target_dir is not None:
                pending.append(target_dir)
    return files


# --- Gradle -------------------------------------------------------------------------------


@cache
def _groovy() -> Language | None:
    try:
        import dekobon_tree_sitter_groovy
        from tree_sitter import Language
    except ImportError:
        return None
    return Language(dekobon_tree_sitter_groovy.language())


@cache
def _gradle_query(dsl: str) -> tuple[Language, Query] | None:
    from importlib import resources

    from tree_sitter import Query

    from envlint.filepass.languages import load_language

    language = load_language("kotlin") if dsl == "kotlin" else _groovy()
    if language is None:
        return None
    text = (
        resources.files("envlint.servicecode")
        .joinpath("queries", f"gradle-{dsl}.scm")
        .read_text("utf-8")
    )
    return language, Query(language, text)


@dataclass
class _Script:
    includes: list[str] = field(default_factory=list)
    project_dirs: dict[str, str] = field(default_factory=dict)
    # (":path" or "projects.a.b" accessor, configuration, enclosing blocks)
    dependencies: list[tuple[str, str | None, tuple[str, ...]]] = field(default_factory=list)
    source_sets: bool = False


def _string(source: bytes, node: Node, dsl: str) -> str | None:
    """A string literal's value (Kotlin: the captured content; Groovy: unquoted), None when
    it interpolates."""
    if any(
        child.type in ("gstring_brace_interpolation", "gstring_interpolation", "interpolation")
        for child in node.children
    ):
        return None
    text = source[node.start_byte : node.end_byte].decode("utf-8", "replace")
    if dsl == "groovy":
        for quote in ('"""', "'''", '"', "'"):
            if text.startswith(quote) and text.endswith(quote) and len(text) >= 2 * len(quote):
                return text[len(quote) : -len(quote)]
        return None
    return None if "$" in text else text


def _call_name(source: bytes, node: Node) -> str | None:
    if node.type == "command_chain":
        receiver = node.child_by_field_name("receiver")
        target = receiver
    elif node.type == "method_invocation":
        target = node.child_by_field_name("function")
    else:
        target = node.named_children[0] if node.named_child_count else None
    if target is None:
        return None
    if target.type == "string_literal":  # Kotlin "implementation"(...)
        content = target.named_children[0] if target.named_child_count else None
        target = content
    if target is None or target.type not in ("identifier", "string_content"):
        return None
    return source[target.start_byte : target.end_byte].decode("utf-8", "replace")


def _context(source: bytes, node: Node) -> tuple[str | None, tuple[str, ...]]:
    """(configuration, enclosing blocks innermost first) of a dependency node."""
    configuration: str | None = None
    blocks: list[str] = []
    through_block = False
    current = node.parent
    while current is not None:
        if current.type in _BLOCK_NODES:
            through_block = True
        elif current.type in _CALL_NODES:
            name = _call_name(source, current)
            if through_block:
                blocks.append(name or "")
                through_block = False
            elif configuration is None and name is not None and name not in _WRAPPERS:
                configuration = name
        elif current.type == "expression_statement" and configuration is None and not blocks:
            # Groovy `implementation project(':x')` parses as two statements: the identifier
            # statement before this one is the configuration
            previous = current.prev_named_sibling
            if (
                previous is not None
                and previous.type == "expression_statement"
                and previous.named_child_count == 1
                and previous.named_children[0].type == "identifier"
            ):
                word = previous.named_children[0]
                configuration = source[word.start_byte : word.end_byte].decode("utf-8", "replace")
        current = current.parent
    return configuration, tuple(blocks)


def _read_script(repo: Repo, path: str, out: Collector) -> _Script | None:
    from tree_sitter import Parser, QueryCursor

    dsl = "kotlin" if path.endswith(".kts") else "groovy"
    compiled = _gradle_query(dsl)
    if compiled is None:
        out.note(f"{path} was not read: the Groovy grammar is not installed")
        return None
    data = repo.read(path)
    if data is None:
        out.note(f"{path} could not be read")
        return None
    language, query = compiled
    tree = Parser(language).parse(data)
    script = _Script()
    for _, caps in QueryCursor(query).matches(tree.root_node):
        if "include.path" in caps:
            value = _string(data, caps["include.path"][0], dsl)
            if value is not None:
                script.includes.append(value)
        elif "project.call" in caps:
            value = _string(data, caps["project.path"][0], dsl)
            if value is not None:
                configuration, blocks = _context(data, caps["project.call"][0])
                script.dependencies.append((value, configuration, blocks))
        elif "project.accessor" in caps:
            node = caps["project.accessor"][0]
            while (
                node.parent is not None
                and node.parent.type == node.type
                and node.parent.named_children[0] == node
            ):
                node = node.parent
            accessor = "".join(
                data[node.start_byte : node.end_byte].decode("utf-8", "replace").split()
            )
            configuration, blocks = _context(data, node)
            script.dependencies.append((accessor, configuration, blocks))
        elif "projectdir.project" in caps:
            project = _string(data, caps["projectdir.project"][0], dsl)
            directory = _string(data, caps["projectdir.path"][0], dsl)
            if project is not None and directory is not None:
                script.project_dirs[_project_path(project)] = directory
        elif "sourcesets" in caps:
            script.source_sets = True
    return script


def _project_path(name: str) -> str:
    return name if name.startswith(":") else ":" + name


def _accessor_of(path: str) -> str:
    """``:foo-bar:baz_qux`` -> ``projects.fooBar.bazQux`` (Gradle's type-safe accessor)."""
    segments = []
    for segment in path.strip(":").split(":"):
        words = segment.replace("_", "-").split("-")
        segments.append(words[0] + "".join(w[:1].upper() + w[1:] for w in words[1:]))
    return "projects." + ".".join(segments)


def _build_script(repo: Repo, directory: str) -> str | None:
    for name in ("build.gradle.kts", "build.gradle"):
        path = f"{directory}/{name}" if directory else name
        if repo.exists(path):
            return path
    return None


def _gradle(repo: Repo, start: str, settings: str | None, out: Collector) -> set[str]:
    root = parent_dir(settings) if settings is not None else start
    projects: dict[str, str] = {":": root}  # project path -> directory
    if settings is not None:
        script = _read_script(repo, settings, out)
        if script is not None:
            for include in script.includes:
                path = _project_path(include)
                custom = script.project_dirs.get(path)
                directory = (
                    join(root, custom)
                    if custom is not None
                    else join(root, path.strip(":").replace(":", "/"))
                )
                if directory is not None:
                    projects[path] = directory
    by_dir = {directory: path for path, directory in projects.items()}
    by_accessor = {_accessor_of(path): path for path in projects if path != ":"}

    shared: list[tuple[str, str | None, tuple[str, ...]]] = []  # from subprojects/allprojects
    root_script_path = _build_script(repo, root)
    root_script = _read_script(repo, root_script_path, out) if root_script_path else None
    if root_script is not None:
        shared = [d for d in root_script.dependencies if {"subprojects", "allprojects"} & set(d[2])]

    files: set[str] = set()
    if start not in by_dir:
        out.note(
            f"{start or '.'} is not a project of {settings}: its project dependencies are not known"
        )
    pending_dirs = [start]
    seen: set[str] = set()
    while pending_dirs:
        directory = pending_dirs.pop()
        if directory in seen:
            continue
        seen.add(directory)
        files.update(_sources(repo, directory, _SOURCE_SETS))
        script_path = _build_script(repo, directory)
        script = (
            root_script
            if directory == root
            else (_read_script(repo, script_path, out) if script_path else None)
        )
        own = script.dependencies if script is not None else []
        dependencies = [(d, script_path) for d in own]
        if script is not None and script.source_sets:
            out.note(
                f"{script_path} configures sourceSets, which are not read: "
                "src/main/java|kotlin were taken"
            )
        if directory != root:
            dependencies += [(d, root_script_path) for d in shared]
        for (target, configuration, blocks), origin in dependencies:
            if (
                "dependencies" not in blocks
                or "buildscript" in blocks
                or not _runtime(configuration)
            ):
                continue
            if directory == root and {"subprojects"} & set(blocks):
                continue
            accessor = by_accessor.get(target) if target.startswith("projects.") else None
            target_dir = projects.get(accessor or _project_path(target))
            if target_dir is None:
                out.note(f"{origin}: project dependency {target} is not a project of the build")
                continue
            if target_dir != directory:
                pending_dirs.append(target_dir)
    return files


def resolve_jvm(
    repo: Repo, program: ProgramRef, imports: Mapping[str, FileImports]
) -> ProgramFiles:
    out = Collector()
    start = program.target.strip("/")
    start = "" if start == "." else start
    for build_file in ("pom.xml", "build.gradle.kts", "build.gradle"):
        if start.endswith("/" + build_file) or start == build_file:
            start = parent_dir(start)
    prefix = start + "/" if start else ""
    if start and not repo.is_dir(start):
        out.note(f"{start} is not a directory of the checked tree")
        return out.result()
    if repo.exists(prefix + "pom.xml"):
        out.files.update(_maven(repo, start, out))
    elif _build_script(repo, start) is not None or repo.nearest(
        start, ("settings.gradle.kts", "settings.gradle")
    ):
        settings = repo.nearest(start, ("settings.gradle.kts", "settings.gradle"))
        out.files.update(_gradle(repo, start, settings, out))
    else:
        out.note(f"{start or '.'} has no pom.xml or build.gradle: its src/main sources were taken")
        out.files.update(_sources(repo, start, _SOURCE_SETS))
    if not out.files:
        out.note(f"{start or '.'}: no Java/Kotlin sources found in the module's source sets")
    return out.result()
