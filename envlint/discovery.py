"""The one directory walk: which files under the checked root envlint looks at.

One iterative ``os.scandir`` walk, sorted by name at every level so the result never depends on
the file system's order.  It skips vendored, generated and tool directories (:data:`SKIP_DIRS`:
``node_modules``, ``.venv``, DDEV's ``.ddev``...), everything ``.gitignore`` files ignore
(the root's and nested ones, git's own precedence: a deeper file's last matching pattern wins;
an ignored directory is not entered), and the user's ``exclude`` globs (gitignore syntax,
relative to the root).  It never follows a symlinked directory (so it cannot loop) and keeps a
symlinked file only when its real path is inside the root.  It reads nothing but ``.gitignore``
files, writes nothing and runs nothing.

Git never applies ``.gitignore`` to a file it tracks, and neither does the walk: when a pattern
matches a path, the index of the root's work tree (``.git/index``, read by :mod:`envlint.gitindex`
only then) decides — a tracked file is kept, an ignored directory holding tracked files is
entered for them alone (a root line ``app`` for a binary also matches the committed kustomize
base ``deploy/base/app``).  Without a usable index (an exported tree, a root below the top of a
work tree, an index envlint cannot read) one exception remains: example env files
(``.env.example``, ``.env.sample``, ``.env.template``, ``.env.dist``) are kept when the pattern
that ignores them has a wildcard (``.env.*``): repositories that ignore ``.env.*`` commit their
example all the same (hoppscotch).  A line that names the example as it is (``.env.example``)
says it is not committed, and ``exclude`` is the user's word: both still drop it (``exclude``
drops tracked files too).

Compose files are grouped by directory in Compose's order of preference (research
compose-semantics.md §5): the default names, then the override names, then every other compose
file (``compose.full.yaml``, ``docker-compose.prod.yml``) by name.  :func:`default_stack` picks
what ``docker compose`` with no ``-f`` would load from such a list.  A compose template
(``docker-compose.template.yml``, ``compose.example.yaml``, anything below a ``{{ placeholder }}``
directory of a project generator: :func:`is_compose_template`) is
in no group: Compose never loads it unless a command names it with ``-f``.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from envlint.gitindex import Tracked, read_tracked
from envlint.model import Location, Problem, ProblemKind

if TYPE_CHECKING:
    from pathspec import PathSpec

    from envlint.config import Settings

__all__ = [
    "COMPOSE_DEFAULT_NAMES",
    "COMPOSE_OVERRIDE_NAMES",
    "ENV_EXAMPLE_NAMES",
    "ENV_TEMPLATE_MARKERS",
    "EXAMPLE_SUFFIXES",
    "SKIP_DIRS",
    "TEMPLATE_MARKERS",
    "Discovery",
    "default_stack",
    "discover",
    "env_template_key",
    "env_templates",
    "gitignore_spec",
    "is_compose_file_name",
    "is_compose_template",
    "is_compose_template_name",
    "linear_pattern",
    "name_words",
    "other_stack_words",
    "ranked_env_templates",
    "stack_words",
]

COMPOSE_DEFAULT_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")
COMPOSE_OVERRIDE_NAMES = (
    "compose.override.yml",
    "compose.override.yaml",
    "docker-compose.override.yml",
    "docker-compose.override.yaml",
)
# An env file's documented twin: ``.env`` -> ``.env.example``, ``app.env`` -> ``app.env.sample``
# (first found wins, in this order).
EXAMPLE_SUFFIXES = (".example", ".sample", ".template", ".dist")
ENV_EXAMPLE_NAMES = tuple(".env" + suffix for suffix in EXAMPLE_SUFFIXES)
SKIP_DIRS = frozenset(
    (
        ".git",
        "node_modules",
        "vendor",
        "third_party",
        "bin",
        "obj",
        ".venv",
        "venv",
        "__pycache__",
        "dist",
        "build",
        "genproto",
        ".tox",
        ".mypy_cache",
        # DDEV's project directory: its docker-compose.*.yaml add-ons are merged with the
        # compose file DDEV generates and interpolated with DDEV's own variables
        # (DDEV_SITENAME, DDEV_APPROOT, ...): not a Compose project envlint can check
        ".ddev",
    )
)
MAX_GITIGNORE_BYTES = 1024 * 1024

# compose.<x>.yaml, docker-compose.<x>.yml, docker-compose-<x>.yml, docker-compose_<x>.yaml
_COMPOSE_NAME = re.compile(r"(?:docker-compose(?:[._-][^/]+)?|compose(?:\.[^/]+)?)\.ya?ml")
# The words that make a file the source a real one is made from: a generator's template
# (docker-compose.template.yml, compose.tmpl.yaml, docker-compose.j2.yml) or an example to copy
# (docker-compose.example.yml, docker-compose-sample.yml, docker-compose.dist.yml).
TEMPLATE_MARKERS = ("example", "sample", "template", "tmpl", "tpl", "dist")
_COMPOSE_TEMPLATE_MARKERS = frozenset(
    (*TEMPLATE_MARKERS, "examples", "templates", "j2", "jinja", "jinja2")
)
_WORD_SPLIT = re.compile(r"[._-]+")
_PREFERENCE = {name: i for i, name in enumerate(COMPOSE_DEFAULT_NAMES + COMPOSE_OVERRIDE_NAMES)}


@dataclass(frozen=True)
class Discovery:
    """What the walk found.  Paths are relative to the root and use ``/``."""

    files: tuple[str, ...]  # every regular file kept, sorted
    # directory ("." for the root) -> its compose files, in Compose's order of preference
    # (templates such as docker-compose.template.yml left out: :func:`is_compose_template_name`)
    compose_dirs: Mapping[str, tuple[str, ...]]
    env_examples: tuple[str, ...]  # .env.example / .env.sample / .env.template / .env.dist
    problems: tuple[Problem, ...]  # unreadable dirs, links leaving the root or looping (NOTE)


def is_compose_file_name(name: str) -> bool:
    """A default name, an override, or another compose file such as ``compose.full.yaml``."""
    return _COMPOSE_NAME.fullmatch(name) is not None


def is_compose_template_name(name: str) -> bool:
    """A compose file name with a template word among its dot/dash/underscore-separated words
    (:data:`TEMPLATE_MARKERS`, also ``j2``/``jinja``): ``docker-compose.template.yml``,
    ``compose.example.yaml``, ``docker-compose-tpl.yml``.  Compose never loads such a file by
    itself: it is not grouped with the directory's compose files (no default, base or layer
    stack) and is checked only when a documented command names it (``-f``)."""
    if not is_compose_file_name(name):
        return False
    words = _WORD_SPLIT.split(name.lower().rsplit(".", 1)[0])
    return any(word in _COMPOSE_TEMPLATE_MARKERS for word in words)


def is_compose_template(path: str) -> bool:
    """A compose template by its name (:func:`is_compose_template_name`) or by where it lies: a
    directory named with a ``{{ placeholder }}`` is the source of a project generator
    (cookiecutter, copier: ``{{ cookiecutter.project_slug }}/docker-compose.yml``), whose files
    are Jinja until generated."""
    directory, _, name = path.rpartition("/")
    return is_compose_template_name(name) or any(
        "{{" in part and "}}" in part for part in directory.split("/")
    )


# The words that make an env file the committed template of one each developer creates from it
# (.env.docker -> .env, ENVEXAMPLE -> .env, env.nginx.template -> .env.nginx), in preference order.
ENV_TEMPLATE_MARKERS = (*TEMPLATE_MARKERS, "default", "defaults", "docker", "local", "dev")
_COMPOSE_NAME_WORDS = frozenset({"docker", "compose", "override", "yml", "yaml"})


def _words(name: str) -> list[str]:
    return [word for word in _WORD_SPLIT.split(name.lower()) if word]


def env_template_key(
    name: str, missing: str, stack: Collection[str] = (), others: Collection[str] = ()
) -> tuple[int, int, int, str] | None:
    """Whether the file ``name`` is, by its name, the template of the absent env file
    ``missing`` (both base names in one directory), and how strongly (lower sorts first).

    The rule (rules/ENV104-missing-env-file.md): split both names into words at ``.``, ``-``
    and ``_``, ignoring case; the template has every word of the missing name and at least one
    word more, and every word more is a marker (:data:`ENV_TEMPLATE_MARKERS`), standing alone
    or joined to one of the missing name's words (``ENVEXAMPLE``, ``example.env``).  ``.env``:
    ``.env.example``, ``.env.docker``, ``env.template``, ``ENVEXAMPLE``, ``example.env``;
    ``.env.nginx``: ``env.nginx.template`` (but not ``env.prod.template``: ``prod`` is no
    marker, nor ``.env.testing``, nor ``env.example.sh``).  The classic twins
    (:data:`EXAMPLE_SUFFIXES` added to the name) come first, in that order; then by the first
    marker's place in :data:`ENV_TEMPLATE_MARKERS`, then by name.

    ``stack``: the words of the compose file names of the stack the env file is for
    (:func:`stack_words`, ``docker-compose.prod.yml`` -> ``prod``); a word more may also be
    one of them, and a template that has one comes before every other
    (``env.prod.template`` documents ``.env`` for the prod stack, ``env.template`` for the
    others).  ``others``: the words of the directory's other compose files (``dev`` of
    ``docker-compose-dev.yml`` for the default stack): a template with one of them is that
    stack's, not this one's (AppFlowy's ``dev.env`` does not document ``docker-compose.yml``)."""
    if name == missing:
        return None
    if name.startswith(missing) and name[len(missing) :] in EXAMPLE_SUFFIXES:
        return 1, 0, EXAMPLE_SUFFIXES.index(name[len(missing) :]), name
    wanted = _words(missing)
    markers: list[int] = []
    specific = False
    for word in _words(name):
        if word in wanted:
            wanted.remove(word)
            continue
        in_stack = word in stack  # `prod` of docker-compose.prod.yml
        if word in others and not in_stack:
            return None  # another stack's template
        # `.env.docker` is the template for Docker Compose (a Laravel `.env.example` is for
        # `php artisan serve`): as specific as a word of the stack's own file names
        specific = specific or in_stack or word == "docker"
        if word in ENV_TEMPLATE_MARKERS:
            markers.append(ENV_TEMPLATE_MARKERS.index(word))
            continue
        if in_stack:
            continue
        joined = next(
            (
                (rest, marker)
                for marker in ENV_TEMPLATE_MARKERS
                for rest in (word.removesuffix(marker), word.removeprefix(marker))
                if rest != word and rest in wanted
            ),
            None,
        )
        if joined is None:
            return None
        wanted.remove(joined[0])
        markers.append(ENV_TEMPLATE_MARKERS.index(joined[1]))
    if wanted or not markers:
        return None
    return (0 if specific else 1), 1, min(markers), name


def name_words(name: str) -> frozenset[str]:
    """A file name's words (split at ``.``, ``-`` and ``_``, lower case)."""
    return frozenset(_words(name))


def stack_words(compose_files: Iterable[str]) -> frozenset[str]:
    """The words of a stack's compose file names that can name its own env template
    (``docker-compose.prod.yml`` -> ``prod``), without the words every compose name has."""
    words = {w for path in compose_files for w in _words(_basename(path))}
    return frozenset(words - _COMPOSE_NAME_WORDS)


def other_stack_words(directory_files: Iterable[str], own: Collection[str]) -> frozenset[str]:
    """The words of a directory's other compose files (:func:`stack_words`) that name another
    stack, not a template (``template``, ``example``… of a compose template do not count)."""
    return stack_words(directory_files) - frozenset(own) - frozenset(TEMPLATE_MARKERS)


def ranked_env_templates(
    missing: str, files: Iterable[str], stack: Collection[str] = (), others: Collection[str] = ()
) -> list[tuple[tuple[int, int, int, str], str]]:
    """The files among ``files`` (paths relative to the root) that are templates of the absent
    env file ``missing``, those in its directory, best first, each with its
    :func:`env_template_key`."""
    directory, _, base = missing.rpartition("/")
    found: list[tuple[tuple[int, int, int, str], str]] = []
    for path in files:
        folder, _, name = path.rpartition("/")
        key = env_template_key(name, base, stack, others) if folder == directory else None
        if key is not None:
            found.append((key, path))
    return sorted(found)


def env_templates(missing: str, files: Iterable[str]) -> list[str]:
    """:func:`ranked_env_templates` without the keys."""
    return [path for _, path in ranked_env_templates(missing, files)]


def _basename(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def _preference(path: str) -> tuple[int, str]:
    name = _basename(path)
    return _PREFERENCE.get(name, len(_PREFERENCE)), name


def default_stack(files_in_dir: Sequence[str]) -> tuple[str, ...]:
    """The files ``docker compose`` loads with no ``-f``: the first default name present, then
    the first override name present (none without a main file).  Items are names or paths of one
    directory and are returned as given."""
    by_name = {_basename(p): p for p in files_in_dir}
    main = next((by_name[n] for n in COMPOSE_DEFAULT_NAMES if n in by_name), None)
    if main is None:
        return ()
    override = next((by_name[n] for n in COMPOSE_OVERRIDE_NAMES if n in by_name), None)
    return (main,) if override is None else (main, override)


def _gitignore_spec(path: str, rel: str, problems: list[Problem]) -> _Spec | None:
    try:
        with open(path, "rb") as handle:  # noqa: PTH123 - a str path from scandir
            data = handle.read(MAX_GITIGNORE_BYTES + 1)
    except OSError as exc:
        problems.append(_note(rel, f"cannot read .gitignore: {exc.strerror or type(exc).__name__}"))
        return None
    if len(data) > MAX_GITIGNORE_BYTES:
        problems.append(_note(rel, f".gitignore larger than {MAX_GITIGNORE_BYTES} bytes: ignored"))
        return None
    lines = data.decode("utf-8", errors="replace").splitlines()
    try:
        return _Spec.of(lines, rel, problems)
    except (ValueError, TypeError):  # pathspec rejects a malformed pattern
        problems.append(_note(rel, ".gitignore has a pattern that cannot be read: ignored"))
        return None


def _note(rel: str, message: str, kind: ProblemKind = ProblemKind.NOTE) -> Problem:
    return Problem(kind, Location(rel), message)


# A .gitignore comes from the checked repository.  pathspec turns each pattern into a Python
# regex, and backtracking makes some of them exponential: `*a*a*a*a*a*a*a*a*a*a*a*a*b` against a
# file named with 40 `a` ran for minutes.  A pattern whose every segment holds at most one `*`
# run (and with at most one inner `**`) backtracks at most linearly per segment, which covers
# what .gitignore files are made of (`*.log`, `**/node_modules`, `/build/**`, `a/**/b`); a file
# with any other pattern is matched by RE2 instead (google-re2, pathspec's "re2" backend:
# linear time in the path whatever the pattern; slower per call, so not used for every file).
# Without RE2 such patterns are dropped with a note.


def _backend() -> str:
    import importlib.util

    return "re2" if importlib.util.find_spec("re2") is not None else "simple"


def linear_pattern(line: str) -> bool:
    """Whether Python's regex engine matches this ignore pattern (gitignore or .dockerignore
    syntax) in (near) linear time: at most one ``*`` run per segment and one inner ``**``."""
    return _linear(line)


def gitignore_spec(lines: Sequence[str]) -> _Spec | None:
    """The ignore spec of a ``.gitignore``'s lines, matched safely (see :class:`_Spec`)."""
    try:
        return _Spec.of(lines, ".gitignore", [])
    except (ValueError, TypeError):
        return None


def _linear(line: str) -> bool:
    """Whether Python's regex engine matches this pattern in (near) linear time."""
    segments = line.strip().lstrip("!").strip("/").split("/")
    inner = sum(1 for seg in segments[1:-1] if seg == "**")
    runs = (len(re.findall(r"\*+", seg)) for seg in segments if seg != "**")
    return inner <= 1 and all(n <= 1 for n in runs)


_NAMED_GROUP = re.compile(r"\(\?P<\w+>")


@dataclass(frozen=True, slots=True)
class _Spec:
    """A gitignore-syntax spec: last match wins, directory matches rank lower (pathspec's
    GitIgnoreSpec, git's own precedence).

    Nearly every path matches no pattern, so one combined alternation (compiled by the same
    engine) answers "nothing matches" in one search, and only a hit asks pathspec.
    """

    spec: PathSpec[Any]
    any_match: Any  # a compiled pattern with .search(), or None

    @classmethod
    def of(cls, lines: Sequence[str], rel: str, problems: list[Problem]) -> _Spec | None:
        from pathspec import GitIgnoreSpec

        backend = "simple"
        if not all(_linear(line) for line in lines if line.strip()[:1] not in ("", "#")):
            backend = _backend()
            if backend != "re2":
                kept = [line for line in lines if _linear(line)]
                problems.append(_note(rel, "pattern too complex to match safely: ignored"))
                lines = kept
        spec = GitIgnoreSpec.from_lines(lines, backend=backend)
        if not spec.patterns:
            return None
        regexes = [getattr(p, "regex", None) for p in spec.patterns if p.include is not None]
        parts = [f"(?:{_NAMED_GROUP.sub('(?:', r.pattern)})" for r in regexes if r is not None]
        engine: Any = re
        if backend == "re2":
            import re2  # type: ignore[import-untyped]

            engine = re2
        try:
            any_match = engine.compile("|".join(parts)) if parts else None
        except Exception:  # pragma: no cover - pathspec's regexes always combine
            any_match = None
        return cls(spec, any_match)

    def check(self, path: str) -> bool | None:
        """True: ignored; False: re-included by a ``!`` pattern; None: no pattern matches."""
        return self.decide(path)[0]

    def decide(self, path: str) -> tuple[bool | None, str]:
        """:meth:`check`, and the pattern that decided it as written ("" when none)."""
        if self.any_match is not None and self.any_match.search(path) is None:
            return None, ""
        found = self.spec.check_file(path)
        index = found.index
        pattern = self.spec.patterns[index] if index is not None else None
        return found.include, str(getattr(pattern, "pattern", "") or "")


@dataclass(frozen=True, slots=True)
class _Ignores:
    """The .gitignore specs in force in one directory: (base directory prefix, spec)."""

    specs: tuple[tuple[str, _Spec], ...]

    def ignored(self, rel: str, is_dir: bool) -> bool:
        return self.decide(rel, is_dir)[0]

    def decide(self, rel: str, is_dir: bool) -> tuple[bool, str]:
        """Whether ``rel`` is ignored, and the pattern that decided it ("" when none)."""
        for base, spec in reversed(self.specs):  # the deepest .gitignore decides first
            result, pattern = spec.decide(rel[len(base) :] + ("/" if is_dir else ""))
            if result is not None:
                return result, pattern
        return False, ""


def discover(root: Path, settings: Settings, explicit: Sequence[Path] = ()) -> Discovery:
    """Walk ``root`` once.  ``explicit`` files (``-f`` / configured compose files, absolute or
    relative to the root) are kept even where ignores or excludes would drop them."""
    root_str = os.path.abspath(root)  # noqa: PTH100 - str paths are what scandir wants
    real_root = os.path.realpath(root_str)
    excludes = [p.strip().removeprefix("./") for p in settings.exclude if p.strip()]
    problems: list[Problem] = []
    exclude_spec = _Spec.of(excludes, ".", problems) if excludes else None
    kept: set[str] = set()
    tracked = _TrackedOnDemand(root_str, problems)

    # (absolute dir, relative prefix "" or "a/b/", ignores in force above it, whether .gitignore
    # ignores the directory itself: then only what Git tracks below it is kept)
    stack: list[tuple[str, str, _Ignores, bool]] = [(root_str, "", _Ignores(()), False)]
    while stack:
        directory, prefix, ignores, hidden = stack.pop()
        try:
            with os.scandir(directory) as iterator:
                entries = sorted(iterator, key=lambda e: e.name)
        except OSError as exc:
            where = prefix.rstrip("/") or "."
            reason = exc.strerror or type(exc).__name__
            problems.append(_note(where, f"cannot read directory: {reason}"))
            continue
        for entry in entries:
            if entry.name == ".gitignore" and entry.is_file(follow_symlinks=False) and not hidden:
                spec = _gitignore_spec(entry.path, prefix + entry.name, problems)
                if spec is not None:
                    ignores = _Ignores((*ignores.specs, (prefix, spec)))
                break
        subdirs: list[tuple[str, str, _Ignores, bool]] = []
        for entry in entries:
            rel = prefix + entry.name
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
                is_file = not is_dir and entry.is_file(follow_symlinks=False)
            except OSError:  # pragma: no cover - d_type is known on every common file system
                continue
            if exclude_spec is not None and exclude_spec.check(rel + "/" if is_dir else rel):
                continue
            # Git never ignores what it tracks: an ignored directory is entered when it holds a
            # tracked file, and then only tracked files below it are kept
            ignored = hidden or bool(ignores.specs and ignores.ignored(rel, is_dir))
            if is_dir:
                if entry.name not in SKIP_DIRS and (not ignored or tracked.holds(rel, True)):
                    subdirs.append((entry.path, rel + "/", ignores, ignored))
            elif ignored and not (tracked.holds(rel, False) or _kept_example(rel, ignores, hidden)):
                continue
            elif is_file or _link_to_file_inside(entry, rel, real_root, problems):
                kept.add(rel)
        stack.extend(reversed(subdirs))

    for path in explicit:
        _add_explicit(path, root_str, real_root, kept, problems)
    return _result(kept, problems)


class _TrackedOnDemand:
    """The Git index of the root, read the first time a path that .gitignore ignores is asked
    about (most walks never ask twice; a walk that ignores nothing never reads it)."""

    def __init__(self, root: str, problems: list[Problem]) -> None:
        self._root = root
        self._problems = problems
        self._tracked: Tracked | bool | None = False  # False: not read yet

    def holds(self, rel: str, is_dir: bool) -> bool:
        if self._tracked is False:
            found = read_tracked(self._root)
            if isinstance(found, str):
                lost = "files that .gitignore matches were left out even where Git tracks them"
                self._problems.append(_note(".git/index", f"{found}: {lost}"))
                found = None
            self._tracked = found
        return isinstance(self._tracked, Tracked) and self._tracked.holds(rel, is_dir)


_WILDCARD = re.compile(r"[*?\[]")


def _kept_example(rel: str, ignores: _Ignores, hidden: bool) -> bool:
    """An example env file that a wildcard ignore pattern (``.env.*``) matches is kept; one that
    a line names as it is (``.env.example``), or in an ignored directory, is not (nor one
    ``exclude`` drops: never asked)."""
    if hidden or rel.rpartition("/")[2] not in ENV_EXAMPLE_NAMES:
        return False
    ignored, pattern = ignores.decide(rel, False)
    return not ignored or bool(_WILDCARD.search(pattern))


def _link_to_file_inside(
    entry: os.DirEntry[str], rel: str, real_root: str, problems: list[Problem]
) -> bool:
    """A symbolic link (or other non-regular entry) that is a regular file inside the root."""
    if not entry.is_symlink():
        return False  # fifo, socket, device: never read
    try:
        info = os.stat(entry.path)  # noqa: PTH116 - follows the link
    except OSError as exc:
        reason = "symbolic link loop" if exc.errno == errno.ELOOP else "broken symbolic link"
        problems.append(_note(rel, f"{reason}: not read"))
        return False
    if not stat.S_ISREG(info.st_mode):
        return False  # a link to a directory is never followed
    if not _within(os.path.realpath(entry.path), real_root):
        problems.append(_note(rel, "symbolic link to a file outside the checked root: not read"))
        return False
    return True


def _within(path: str, real_root: str) -> bool:
    return path == real_root or path.startswith(real_root.rstrip(os.sep) + os.sep)


def _add_explicit(
    path: Path, root_str: str, real_root: str, kept: set[str], problems: list[Problem]
) -> None:
    absolute = os.path.abspath(path if path.is_absolute() else Path(root_str) / path)  # noqa: PTH100
    rel = os.path.relpath(absolute, root_str).replace(os.sep, "/")
    if rel in kept:
        return
    if rel == ".." or rel.startswith("../") or not _within(os.path.realpath(absolute), real_root):
        problems.append(_note(rel, "file outside the checked root: not read"))
        return
    try:
        info = os.stat(absolute)  # noqa: PTH116
    except OSError:
        return  # missing: whoever asked for it reports that
    if stat.S_ISREG(info.st_mode):
        kept.add(rel)


def _result(kept: set[str], problems: list[Problem]) -> Discovery:
    files = tuple(sorted(kept))
    compose: dict[str, list[str]] = {}
    examples: list[str] = []
    for path in files:
        directory, _, name = path.rpartition("/")
        if is_compose_file_name(name) and not is_compose_template(path):
            compose.setdefault(directory or ".", []).append(path)
        elif name in ENV_EXAMPLE_NAMES:
            examples.append(path)
    compose_dirs = {d: tuple(sorted(compose[d], key=_preference)) for d in sorted(compose)}
    return Discovery(
        files=files,
        compose_dirs=MappingProxyType(compose_dirs),
        env_examples=tuple(examples),
        problems=tuple(sorted(set(problems), key=lambda p: (p.location.path, p.message))),
    )
