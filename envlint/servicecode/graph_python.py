"""Python: the modules reached from the entry module or script by imports.

* ``python-file``: the script runs as ``__main__``; its directory is the first import root.
  ``python-module``: the target is the module file or the package directory (``python -m pkg``
  runs ``pkg/__init__.py`` then ``pkg/__main__.py``); the import root is the directory above the
  top package (climbing while ``__init__.py`` files go on), and the ``__init__.py`` of every
  package on the way runs too.
* Import roots, in order (like ``sys.path``): the entry's root, its ``src/`` (src layout), then
  every directory above it up to the checked root (images commonly set ``PYTHONPATH`` to the
  copied tree).  A top-level name resolves in the first root that has it as a module, a regular
  package, or a directory with Python files (namespace package); a name no root has is a
  dependency or the standard library and is not followed.
* ``import a.b.c`` adds ``a/__init__.py``, ``a/b/__init__.py`` and ``a/b/c.py`` (or its
  ``__init__.py``); ``from m import x`` adds ``x`` when it is a submodule of package ``m``;
  relative imports climb ``level - 1`` packages from the importer's directory.
  ``importlib.import_module("x")`` / ``__import__("x")`` with a literal are imports; a computed
  name is a note.  Imports under ``if TYPE_CHECKING:`` never run and are not followed.
* Django's settings module, which Django imports by name when it starts (a management command,
  the WSGI/ASGI application, Celery's ``config_from_object("django.conf:settings")``): a
  reached file that names it (``os.environ.setdefault("DJANGO_SETTINGS_MODULE", "m")``, as
  ``manage.py``, ``wsgi.py``, ``asgi.py`` and ``celery.py`` do) imports it.  The module is the
  command's (``manage.py <cmd> --settings=m``), else the service environment's
  ``DJANGO_SETTINGS_MODULE`` (a ``setdefault`` yields to it; an assignment does not), else the
  literal; it resolves like ``import m`` (a ``settings/`` package's ``from .base import *``
  follows).  A module no root has is not linked (an installed package, or a name envlint does
  not know): a note, never a guess.  A program that names no settings module but starts
  Django (``django.core.wsgi``/``asgi``/``management``) imports the one its environment or
  command names.
* Not followed (known gap): modules named in strings — Django ``INSTALLED_APPS``/``ROOT_URLCONF``,
  Celery ``include=``/``autodiscover_tasks``, gunicorn/uvicorn ``app:app`` strings inside code,
  entry points in packaging metadata.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from envlint.servicecode._graphbase import Collector, ProgramFiles, Repo, parent_dir, walk
from envlint.servicecode.imports import ImportSpec

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    from envlint.servicecode.imports import FileImports
    from envlint.servicecode.model import ProgramRef

__all__ = ["module_file", "resolve_python"]

# per tree index: whether a directory holds Python files below it (a fact of its file list, so
# every finder on it, one per module_file call, shares it)
_HAS_PYTHON: WeakKeyDictionary[Repo, dict[str, bool]] = WeakKeyDictionary()


def _path(directory: str, name: str) -> str:
    return f"{directory}/{name}" if directory else name


class _Finder:
    def __init__(self, repo: Repo, roots: list[str]) -> None:
        self.repo = repo
        self.roots = roots
        self._has_python = _HAS_PYTHON.setdefault(repo, {})

    def _is_top(self, root: str, name: str) -> bool:
        base = _path(root, name)
        if self.repo.exists(base + ".py") or self.repo.exists(base + "/__init__.py"):
            return True
        if not self.repo.is_dir(base):
            return False
        if base not in self._has_python:
            self._has_python[base] = any(p.endswith(".py") for p in self.repo.under(base))
        return self._has_python[base]

    def module(self, dotted: str) -> tuple[list[str], str | None] | None:
        """(files that run, package directory or None) for an absolute module name; None when
        no root has its top-level name.  An empty file list: local but not found."""
        parts = [p for p in dotted.split(".") if p]
        if not parts:
            return None
        for root in self.roots:
            if self._is_top(root, parts[0]):
                return self.walk(root, parts)
        return None

    def walk(self, base: str, parts: list[str]) -> tuple[list[str], str | None]:
        """Descend ``parts`` from directory ``base``: the inits and the module file."""
        files: list[str] = []
        current = base
        for index, part in enumerate(parts):
            current = _path(current, part)
            last = index == len(parts) - 1
            init = current + "/__init__.py"
            if last and self.repo.exists(current + ".py"):
                files.append(current + ".py")
                return files, None
            if self.repo.exists(init):
                files.append(init)
            elif not self.repo.is_dir(current):
                return [], None
        return files, current

    def submodule(self, package: str, name: str) -> list[str]:
        base = _path(package, name)
        if self.repo.exists(base + ".py"):
            return [base + ".py"]
        if self.repo.exists(base + "/__init__.py"):
            return [base + "/__init__.py"]
        return []


def _entry(repo: Repo, program: ProgramRef, out: Collector) -> tuple[list[str], str] | None:
    """(entry files, import root) of the program."""
    target = program.target.strip("/")
    target = "" if target == "." else target
    if program.kind == "python-file" or target.endswith(".py"):
        if not repo.exists(target):
            out.note(f"{target} is not in the checked tree")
            return None
        files = [target]
        directory = parent_dir(target)
        if program.kind == "python-file":
            return files, directory
    else:
        directory = target
        files = [
            _path(directory, name)
            for name in ("__init__.py", "__main__.py")
            if repo.exists(_path(directory, name))
        ]
        if not files:
            out.note(f"{target or '.'} is neither a Python module nor a package with __main__.py")
            return None
    root = directory
    while root and repo.exists(_path(root, "__init__.py")):
        files.append(_path(root, "__init__.py"))
        root = parent_dir(root)
    return list(dict.fromkeys(files)), root


def _roots(repo: Repo, root: str) -> list[str]:
    roots = [root]
    src = _path(root, "src")
    if repo.is_dir(src):
        roots.append(src)
    current = root
    while current:
        current = parent_dir(current)
        roots.append(current)
    return list(dict.fromkeys(roots))


def _relative(
    finder: _Finder, importer: str, spec: ImportSpec, out: Collector
) -> tuple[list[str], str | None] | None:
    base: str | None = parent_dir(importer)
    for _ in range(spec.level - 1):
        if not base:
            base = None
            break
        base = parent_dir(base)
    if base is None:
        out.note(f"{importer}:{spec.line}: relative import beyond the checked directory")
        return None
    if not spec.spec:
        init = _path(base, "__init__.py")
        return ([init] if finder.repo.exists(init) else []), base
    return finder.walk(base, spec.spec.split("."))


# modules whose use starts Django (and so imports the settings module the service names)
_DJANGO_STARTS = frozenset(
    (
        "django.core.wsgi",
        "django.core.asgi",
        "django.core.management",
        "configurations.wsgi",
        "configurations.asgi",
        "configurations.management",
    )
)


def _settings(
    finder: _Finder, program: ProgramRef, out: Collector, path: str, spec: ImportSpec
) -> list[str]:
    """The files of the Django settings module that ``spec`` (a settings fact, or an import
    of a module that starts Django) makes Django import at start."""
    if spec.kind == "settings-set":
        module = program.settings_flag or spec.spec
    elif spec.kind == "settings":
        module = program.settings_flag or program.settings_env or spec.spec
    else:  # Django starts: the module the service names
        module = program.settings_flag or program.settings_env or ""
    if not module:
        return []
    if module == program.settings_flag:
        source = "named by the command's --settings"
    elif module == program.settings_env and spec.kind != "settings-set":
        source = "named by the service's DJANGO_SETTINGS_MODULE"
    else:
        source = f"named at {path}:{spec.line}"
    found = finder.module(module)
    files = found[0] if found is not None else []
    if not files:
        out.note(f"the Django settings module {module} ({source}) is not in the checked tree")
        return []
    said = f"Django imports its settings module {module} ("
    if not any(sentence.startswith(said) for sentence in out.how):  # once per module
        out.linked(f"{said}{source}) at start: {files[-1]}")
    return files


def _imported(
    finder: _Finder,
    imports: Mapping[str, FileImports],
    out: Collector,
    path: str,
    program: ProgramRef,
) -> Iterator[str]:
    """The files that ``path``'s imports run (a note for each import that is not followed)."""
    facts = out.imports_of(path, imports, "an import of a computed module name")
    if facts is None:
        return
    names = any(spec.kind in ("settings", "settings-set") for spec in facts.imports)
    for spec in facts.imports:
        if spec.kind in ("settings", "settings-set") or (
            not names
            and spec.level == 0
            and spec.spec in _DJANGO_STARTS
            and spec.kind in ("module", "from")
        ):
            yield from _settings(finder, program, out, path, spec)
        if spec.kind not in ("module", "from", "dynamic"):
            continue
        found = _relative(finder, path, spec, out) if spec.level else finder.module(spec.spec)
        if found is None:
            continue
        files, package = found
        if not files and package is None:
            out.note(
                f"{path}:{spec.line}: module {'.' * spec.level}{spec.spec} was not found "
                "in the checked tree"
            )
            continue
        yield from files
        if spec.kind == "from" and package is not None:
            for name in spec.names:
                if name != "*":
                    yield from finder.submodule(package, name)


def module_file(repo: Repo, importer: str, module: str, level: int = 0) -> str | None:
    """The file of ``module`` as ``importer`` writes it (``level``: a relative import's dots;
    a package: its ``__init__.py``), or None.  Without a program, the import roots are the
    importer's directory and those above it (every program running the importer has one of
    them as its root)."""
    finder = _Finder(repo, _roots(repo, parent_dir(importer)))
    if level:
        found = _relative(finder, importer, ImportSpec(module, "from", 0, level), Collector())
    else:
        found = finder.module(module)
    if not found or not found[0]:
        return None
    files, package = found
    if package is not None and files[-1] != _path(package, "__init__.py"):
        return None  # a namespace package: no module file
    return files[-1]


def resolve_python(
    repo: Repo, program: ProgramRef, imports: Mapping[str, FileImports]
) -> ProgramFiles:
    out = Collector()
    entry = _entry(repo, program, out)
    if entry is None:
        return out.result()
    entries, root = entry
    finder = _Finder(repo, _roots(repo, root))
    out.files.update(walk(entries, lambda path: _imported(finder, imports, out, path, program)))
    return out.result()
