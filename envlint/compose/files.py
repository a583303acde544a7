"""Reading files for one ``load_workspace`` call: each file once, size-limited, parse problems once.

A :class:`FileCache` lives exactly as long as one load (no global state); it counts the files it
read for ``Workspace.files_read`` and keeps each file's read/parse problem so that a file shared
by several projects (a default file under its layers, an included fragment) is reported once.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from envlint._regular import NotRegularFileError, TooLargeError, read_regular
from envlint.compose.interpolation import Budget
from envlint.model import Location, Problem, ProblemKind

if TYPE_CHECKING:
    from envlint.compose.yamlnodes import YNode, YScalar

__all__ = ["HOME", "MAX_COMPOSE_NODES", "MAX_SUBSTITUTED_CHARS", "FileCache"]

# the top-level keys of the Compose Specification (compose-spec.json: any other key but `x-…`
# is an "additional property" compose-go's schema validation rejects)
_TOP_LEVEL = frozenset(
    ("version", "name", "include", "services", "networks", "volumes", "secrets", "configs")
) | {"models"}

# Where a `~` path from a compose file lands: the home directory of whoever runs Compose, which
# envlint never looks up ($HOME is not the repository's business).  A fixed absolute stand-in,
# outside any checked tree, shown as `~/...`.
HOME = Path(os.sep).absolute() / "~"
_HOME_TEXT = str(HOME)
_HOME_BELOW = os.path.join(_HOME_TEXT, "")  # noqa: PTH118

# Expanded YAML nodes per compose file.  The loader interpolates and merges every expanded node
# (~50 µs each), so this bounds the time a hostile file (a wide alias fan-out, a 1 MB flow list)
# can take to seconds; real compose files, even with thousands of services, stay far below.
MAX_COMPOSE_NODES = 100_000
MAX_SUBSTITUTED_CHARS = 64 * 1024 * 1024
_LINK_OUTSIDE = "symbolic link to a file outside the checked root: not read"  # as discovery says


class FileCache:
    """Bytes and parsed YAML per absolute path, for one load."""

    def __init__(self, root: Path, max_bytes: int) -> None:
        self.root = root
        self.max_bytes = max_bytes
        # what substitutions may add in this whole load (env files, compose values; each
        # Dockerfile has its own budget, see dockerfile.parsed_dockerfile)
        self.budget = Budget(MAX_SUBSTITUTED_CHARS)
        self._bytes: dict[Path, bytes | None] = {}
        self._docs: dict[Path, tuple[YNode, ...]] = {}
        self._problems: dict[str, Problem] = {}
        self._inside: dict[Path, bool] = {}
        self._real_root = self.root.resolve()

    # -- paths ---------------------------------------------------------------------------------
    def rel(self, path: Path) -> str:
        """``path`` relative to the checked root, with ``/`` (``..`` segments when outside)."""
        text = str(path)
        if text == _HOME_TEXT or text.startswith(_HOME_BELOW):  # not path.parents: 0.4 s / 13k
            below = path.relative_to(HOME).as_posix()
            return "~/" if below == "." else f"~/{below}"  # `~/.env` keeps its dot
        rel = os.path.relpath(path, self.root)
        return rel.replace(os.sep, "/")

    def inside(self, path: Path) -> bool:
        """Whether ``path`` (symlinks followed) lies under the checked root (memoized: the same
        env files and Dockerfiles are asked about once per service)."""
        known = self._inside.get(path)
        if known is None:
            try:
                path.resolve().relative_to(self._real_root)
                known = True
            except (ValueError, OSError, RuntimeError):
                known = False
            self._inside[path] = known
        return known

    @staticmethod
    def is_file(path: Path) -> bool:
        try:
            return path.is_file()
        except OSError:
            return False

    # -- reading -------------------------------------------------------------------------------
    @property
    def files_read(self) -> int:
        return sum(1 for data in self._bytes.values() if data is not None)

    @property
    def problems(self) -> tuple[Problem, ...]:
        return tuple(self._problems.values())

    def note(self, path: Path, message: str, kind: ProblemKind = ProblemKind.PARSE_ERROR) -> None:
        rel = self.rel(path)
        self._problems.setdefault(rel, Problem(kind, Location(rel), message))

    def read(self, path: Path) -> bytes | None:
        """The file's bytes, or None (missing, unreadable or too large: problem recorded).

        A path below the root whose symbolic links lead outside it is never read (discovery
        reports the link); paths given outside the root on purpose are the caller's choice.
        """
        if path in self._bytes:
            return self._bytes[path]
        data: bytes | None = None
        if not self.rel(path).startswith("../") and not self.inside(path) and path.exists():
            self.note(path, _LINK_OUTSIDE, ProblemKind.NOTE)
            self._bytes[path] = None
            return None
        try:  # only a regular file is opened (a FIFO would block, /dev/zero never end)
            data = read_regular(path, self.max_bytes)
        except FileNotFoundError:
            data = None
        except TooLargeError:
            self.note(path, f"file is larger than {self.max_bytes} bytes: not read")
        except NotRegularFileError:
            self.note(path, "not a regular file (a FIFO, device or directory): not read")
        except OSError as exc:
            self.note(path, f"cannot read file: {exc.strerror or type(exc).__name__}")
            data = None
        self._bytes[path] = data
        return data

    def problem_paths(self) -> frozenset[str]:
        return frozenset(self._problems)

    def record(self, problem: Problem) -> None:
        """Keep a parse problem of a file (one per file)."""
        self._problems.setdefault(problem.location.path, problem)

    def documents(self, path: Path) -> tuple[YNode, ...]:
        """The compose file's YAML documents (parsed once); () when unusable (problem kept).

        compose-go decodes every document of a file and merges each like another ``-f`` file.
        The top level of a compose file must be a mapping.
        """
        if path in self._docs:
            return self._docs[path]
        from envlint.compose.yamlnodes import YamlError, YMap

        docs: tuple[YNode, ...] = ()
        if not self.is_file(path):
            special = path.exists() and not path.is_dir()  # a FIFO, a device: never opened
            self.note(path, "not a regular file: not read" if special else "compose file not found")
        data = self.read(path)
        if data is not None:
            try:  # a binary file (NUL bytes) is reported at its first NUL by the YAML loader
                parsed = self._parse(data, self.rel(path))
            except YamlError as exc:
                self.record(exc.problem)
                parsed = ()
            except (RecursionError, ValueError, MemoryError) as exc:  # never raise out
                self.note(path, f"cannot parse YAML: {type(exc).__name__}")
                parsed = ()
            # An empty file is fine as a layer (`-f compose.yaml -f extras.yaml`); the
            # loader reports it only when every file of a stack is empty.
            present = tuple(doc for doc in parsed if doc is not None)
            if not all(isinstance(doc, YMap) for doc in present):
                self.note(path, "the top level of a compose file must be a mapping")
            elif (v1 := next(filter(None, map(_v1_service, present)), None)) is not None:
                self.record(_v1_problem(self.rel(path), v1))
            else:
                docs = present
        self._docs[path] = docs
        return docs

    def parsed(self, path: Path) -> tuple[YNode, ...] | None:
        """The documents :meth:`documents` already gave for ``path`` (None: not asked yet);
        reads and reports nothing."""
        return self._docs.get(path)

    def _parse(self, data: bytes, rel: str) -> tuple[YNode | None, ...]:
        """``load_yaml_documents`` of one compose file.  (Never cached: a compose file holds
        values, and the analysis cache stores none.)"""
        from envlint.compose.yamlnodes import load_yaml_documents

        return load_yaml_documents(
            data, rel, max_bytes=self.max_bytes, max_nodes=MAX_COMPOSE_NODES
        )

    def text(self, path: Path) -> str:
        """The file decoded as UTF-8 (for column arithmetic); "" when not readable."""
        data = self._bytes.get(path)
        if not data:
            return ""
        text = data.decode("utf-8", errors="replace")
        return text[1:] if text.startswith("\ufeff") else text


def _v1_service(doc: YNode) -> YScalar | None:
    """The first service of a Compose file format v1 document (services at the top level, no
    ``services`` key: every key that is not a top-level key of the Compose Specification maps
    to a service's mapping), None for any other document."""
    from envlint.compose.yamlnodes import YMap

    if not isinstance(doc, YMap) or doc.get("services") is not None:
        return None
    others = [(key, value) for key, value in doc.items if not _top_level(key.value)]
    if not others or not all(isinstance(value, YMap) for _, value in others):
        return None
    return others[0][0]


def _top_level(key: object) -> bool:
    return isinstance(key, str) and (key in _TOP_LEVEL or key.startswith("x-"))


def _v1_problem(rel: str, service: YScalar) -> Problem:
    """Compose v2 (compose-go) validates a file against the Compose Specification, whose top
    level allows no service names: it refuses a v1 file (``additional properties 'web' not
    allowed``); only the retired docker-compose 1.x read that format."""
    return Problem(
        ProblemKind.PARSE_ERROR,
        service.loc,
        f"the file is in the Compose file format v1 (services at the top level, no `services:` "
        f"key): Compose v2 refuses to load it (top-level key '{service.value}' is not allowed); "
        "only the retired docker-compose 1.x reads it. envlint does not check it as a stack: "
        "put its services under a `services:` key",
    )
