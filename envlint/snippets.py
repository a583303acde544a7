"""The source lines findings point at, with every value that may be a secret masked.

The engine hands reporters a :class:`Snippets` mapping ``(path, line) -> masked line`` built
from what the load established about each file (a :class:`MaskPlan`, plain data); lines are read
and masked only when a reporter asks for them (the text format does, machine formats do not).

What is masked depends on what the text *is*, not on the file's name:

- in a file read as an env file (``.env``, any ``env_file:``, ``--env-file``, ``.env.example``,
  whatever its name: ``app.env.prod``, ``secrets.txt``, ``.npmrc``), everything but the keys the
  parser found: values, lines inside a multi-line value, and lines the parser could not read (a
  stray line of a pasted PEM key is not a name);
- in a compose file, the values of ``environment:`` and ``args:`` entries (also when an alias
  brings them in from an ``x-`` block) and inline ``content:`` of configs and secrets, found
  through the YAML parser's positions; ``image:``, ``env_file:`` paths, ports and the rest are
  configuration, shown as written (a file that does not parse is masked line by line);
- in a Dockerfile, the values of ``ENV`` and ``ARG`` instructions;
- in other configuration files (JSON, TOML, INI, properties), everything after a key.

A masked value keeps its ``$VAR`` / ``${VAR}`` references (names, not values) with any default
or alternate value masked (``${DB_URL:-…}``), and values that are plainly not secrets — numbers,
durations, versions, booleans such as a retention of ``168`` hours — stay readable.  The line is
the real line: only the secret value is replaced by ``…``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from envlint.model import EnvEntry

if TYPE_CHECKING:
    from envlint.model import Workspace

__all__ = ["MaskPlan", "Snippets", "is_config_file", "mask_line", "mask_value", "source_line"]

MASK = "…"
_MAX_LINE = 400
_MAX_FILE = 16 * 1024 * 1024  # a file larger than this is not re-read for a snippet

# numbers with an optional unit, versions, booleans: never secrets, and needed to act on a finding
_READABLE = re.compile(
    r"[-+]?v?[0-9][0-9_]{0,15}(?:\.[0-9]{1,9}){0,3}(?:[a-zA-Z%]{1,3})?"
    r"|(?i:true|false|yes|no|on|off|null|none)"
)
_ASSIGN = re.compile(
    r"^(\s*(?:-\s+)?(?:export\s+)?(?:ENV\s+|ARG\s+)?[\"']?[^\s=:\"']+[\"']?\s*[:=]\s?)"
)
_NAME_ONLY = re.compile(r"^\s*(?:-\s+)?[A-Za-z_][A-Za-z0-9_.]*:?\s*$")
_LIST_TOKEN = re.compile(r"^\s*-\s+[^\s=:#]+\s*$")  # `- .env`, `- NAME`, `- 8080`
_GAP = re.compile(r"^[\s=:]*(?:export\s+)?[\s=:]*$")
_INSTRUCTION = re.compile(r"^(\s*\S+\s+)")
_SECRET_KEYS = frozenset(("environment", "args"))
_CONTENT_PARENTS = frozenset(("configs", "secrets"))  # top-level keys whose items have `content`
_ENV_NAME = re.compile(r"[A-Z_][A-Z0-9_]{0,63}")  # a conventional variable name on its own
_ENV_NAMES = re.compile(r"(?:^|[._-])env(?:$|[._-])|^\.env")
Span = tuple[int, int, str]  # 0-based start, end (exclusive) on the line, and what to put there


def is_config_file(path: str) -> bool:
    name = PurePosixPath(path).name.lower()
    return (
        name.startswith(".env")
        or name.endswith((".env", ".yml", ".yaml", ".properties", ".json", ".toml", ".ini"))
        or name.startswith(("dockerfile", "containerfile"))
        or name.endswith((".dockerfile", ".conf"))
    )


def _readable(text: str) -> bool:
    core = text.strip()
    if len(core) >= 2 and core[0] == core[-1] and core[0] in "'\"":
        core = core[1:-1].strip()
    return core == "" or _READABLE.fullmatch(core) is not None


def mask_value(text: str) -> str:
    """A written value with everything but references and readable parts masked:
    ``postgres://u:${PW}@db`` -> ``…${PW}…``, ``${URL:-postgres://u:p@db}`` -> ``${URL:-…}``,
    ``"secret"`` -> ``"…"``, ``168`` and ``168${UNIT}`` stay."""
    if _readable(text):
        return text
    quote = text[0] if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"" else ""
    body = text[1:-1] if quote else text
    out: list[str] = []
    literal_from = 0
    i = 0
    while i < len(body):
        if body.startswith("$$", i):  # an escaped dollar: literal text
            i += 2
            continue
        end = _reference_end(body, i)
        if end is None:
            i += 1
            continue
        out.append(_masked_literal(body[literal_from:i]))
        out.append(_masked_reference(body[i:end]))
        literal_from = i = end
    out.append(_masked_literal(body[literal_from:]))
    return quote + "".join(out) + quote


def _masked_literal(text: str) -> str:
    if not text.strip() or _readable(text):
        return text
    return MASK


def _reference_end(s: str, i: int) -> int | None:
    """Where a ``$NAME`` / ``${...}`` starting at ``i`` ends (braces balanced), else None."""
    if s[i] != "$" or i + 1 >= len(s):
        return None
    nxt = s[i + 1]
    if nxt == "{":
        depth, j = 0, i + 1
        while j < len(s):
            if s[j] == "{":
                depth += 1
            elif s[j] == "}":
                depth -= 1
                if depth == 0:
                    return j + 1
            j += 1
        return None
    if nxt == "_" or nxt.isalpha():
        j = i + 1
        while j < len(s) and (s[j] == "_" or s[j].isalnum()):
            j += 1
        return j
    return None


def _masked_reference(ref: str) -> str:
    if not ref.startswith("${"):  # `$kLq7` inside a secret is part of it (rules' stray_dollar)
        return ref if ref[1:].isupper() else "$" + MASK
    inner = ref[2:-1]
    j = 0
    while j < len(inner) and (inner[j] == "_" or inner[j].isalnum()):
        j += 1
    name, rest = inner[:j], inner[j:]
    for op in (":-", ":?", ":+", "-", "?", "+"):
        if rest.startswith(op):
            arg = rest[len(op) :]
            return "${" + name + op + (arg if _readable(arg) else MASK) + "}"
    return ref if not rest else "${" + name + MASK + "}"


def mask_line(line: str) -> str:
    """A line of a configuration file whose structure is not known: everything after the key
    masked (a bare name, a ``- item`` without a value and readable values stay)."""
    if _NAME_ONLY.match(line) or _LIST_TOKEN.match(line):
        return line
    match = _ASSIGN.match(line)
    if not match:
        return MASK if line.strip() else line
    head, value = match.group(1), line[match.end() :]
    if not value.strip():
        return line
    comment = value.find(" #")
    if comment >= 0 and "envlint:" in value[comment:]:  # keep a suppression comment readable
        written = value[:comment].rstrip()
        return head + mask_value(written) + value[len(written) :]
    written = value.rstrip()
    return head + mask_value(written) + value[len(written) :]


# --- per file kind --------------------------------------------------------------------------


@dataclass(frozen=True)
class MaskPlan:
    """What the load established about the files findings may point at (plain data).

    ``env_entries``: every file read as an env file (path -> its entries, possibly none);
    ``compose_files``/``dockerfiles``: paths the loader used as such.  A path in none of them
    is judged by its name.
    """

    root: Path
    env_entries: Mapping[str, tuple[EnvEntry, ...]] = field(default_factory=dict)
    compose_files: frozenset[str] = frozenset()
    dockerfiles: frozenset[str] = frozenset()

    @classmethod
    def of(cls, workspace: Workspace) -> MaskPlan:
        entries: dict[str, list[EnvEntry]] = {}
        compose: set[str] = set()
        dockerfiles: set[str] = set()
        for env_file in workspace.example_env_files:
            entries.setdefault(env_file.path, []).extend(env_file.entries)
        for project in workspace.projects:
            compose.update(project.files)
            compose.update(project.included_files)
            for env_file in project.all_env_files():
                entries.setdefault(env_file.path, []).extend(env_file.entries)
                # a bare `KEY` line left to the invoking environment: a key, no value to mask
                entries[env_file.path].extend(
                    EnvEntry(k.key, "", k.location, k.location, bare=True)
                    for k in env_file.inherited
                )
            for service in project.services:
                for ref in service.env_files:
                    entries.setdefault(ref.path, [])
                if service.dockerfile:
                    dockerfiles.add(service.dockerfile)
        return cls(
            workspace.root,
            {path: tuple(items) for path, items in entries.items()},
            frozenset(compose),
            frozenset(dockerfiles),
        )


class Snippets(Mapping[tuple[str, int], str]):
    """``(path, line) -> masked source line`` for the given places, computed on first access
    (each file read and parsed once); a line that cannot be read is absent."""

    def __init__(self, plan: MaskPlan, places: Iterable[tuple[str, int]]) -> None:
        self._lines = SourceLines(plan)
        self._places = frozenset(places)
        self._done: dict[tuple[str, int], str | None] = {}

    def __getitem__(self, place: tuple[str, int]) -> str:
        if place not in self._places:
            raise KeyError(place)
        if place not in self._done:
            self._done[place] = self._lines.get(*place)
        text = self._done[place]
        if text is None:
            raise KeyError(place)
        return text

    def __iter__(self) -> Iterator[tuple[str, int]]:
        return (place for place in sorted(self._places) if place in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class SourceLines:
    """Masked source lines by what :class:`MaskPlan` says each file is."""

    def __init__(self, plan: MaskPlan) -> None:
        self.root = plan.root
        self.env_entries = plan.env_entries
        self.compose_files = plan.compose_files
        self.dockerfiles = plan.dockerfiles
        self._lines: dict[str, list[str] | None] = {}
        self._spans: dict[str, dict[int, list[Span]] | None] = {}

    def get(self, path: str, number: int) -> str | None:
        """Line ``number`` of ``path``, masked; None when it cannot be read."""
        lines = self._read(path)
        if lines is None or not 1 <= number <= len(lines):
            return None
        text = lines[number - 1]
        kind = self._kind(path)
        if kind == "env" and path not in self.env_entries:  # not read as one: by its lines
            text = _env_text_line(text)
        elif kind == "env":
            text = _fill(text, self._env_spans(path, number, text))
        elif kind == "compose":
            text = self._compose_line(path, number, text)
        elif kind == "dockerfile":
            text = _dockerfile_line(lines, number)
        elif kind == "config":
            text = mask_line(text)
        if len(text) > _MAX_LINE:
            text = text[:_MAX_LINE] + MASK
        return text.expandtabs(4)

    def _kind(self, path: str) -> str:
        from envlint.discovery import is_compose_file_name

        name = PurePosixPath(path).name
        lower = name.lower()
        if path in self.env_entries:
            return "env"
        if path in self.compose_files or is_compose_file_name(name):
            return "compose"
        if path in self.dockerfiles or lower.startswith(("dockerfile", "containerfile")):
            return "dockerfile"
        if lower.endswith(".dockerfile"):
            return "dockerfile"
        if _ENV_NAMES.search(lower):
            return "env"
        return "config" if is_config_file(path) else "code"

    def _read(self, path: str) -> list[str] | None:
        if path not in self._lines:
            self._lines[path] = _read_lines(self.root / path)
        return self._lines[path]

    def _env_spans(self, path: str, number: int, text: str) -> list[Span]:
        """Keys the parser found stay; values are masked (a multi-line value wholly)."""
        spans: list[Span] = []
        for entry in self.env_entries.get(path, ()):
            key, value = entry.key_location, entry.value_location
            if key.line == number and key.end_column is not None:
                spans.append(
                    (key.column - 1, key.end_column - 1, text[key.column - 1 : key.end_column - 1])
                )
            last = value.end_line or value.line
            if value == key or not value.line <= number <= last:
                continue
            start = value.column - 1 if value.line == number else 0
            end = (value.end_column or 1) - 1 if last == number else len(text)
            if value.line == last:
                spans.append((start, end, mask_value(text[start:end])))
            else:
                spans.append((start, end, MASK if text[start:end].strip() else text[start:end]))
        return spans

    def _compose_line(self, path: str, number: int, text: str) -> str:
        if path not in self._spans:
            self._spans[path] = self._compose_spans(path)
        spans = self._spans[path]
        if spans is None:  # YAML that does not parse: mask every value on the line
            return mask_line(text)
        out: list[str] = []
        at = 0
        for start, end, kind in sorted(spans.get(number, ())):
            if start < at:
                continue
            written = text[start:end]
            out.append(text[at:start])
            if kind == "item":
                out.append(_mask_item(written))
            elif kind == "value":
                out.append(mask_value(written))
            else:  # a line of a multi-line value
                out.append(MASK if written.strip() else written)
            at = end
        out.append(text[at:])
        return "".join(out)

    def _compose_spans(self, path: str) -> dict[int, list[Span]] | None:
        from envlint.compose.files import MAX_COMPOSE_NODES
        from envlint.compose.yamlnodes import YamlError, load_yaml_documents

        lines = self._read(path)
        if lines is None:
            return None
        data = "\n".join(lines).encode("utf-8", "surrogateescape")
        try:
            docs = load_yaml_documents(data, path, max_nodes=MAX_COMPOSE_NODES)
        except (YamlError, RecursionError, ValueError, MemoryError):
            return None
        spans: dict[int, list[Span]] = {}
        for doc in docs:
            if doc is not None:
                _secret_scalars(doc, spans, lines)
        return spans


def _env_text_line(text: str) -> str:
    """An env-file line judged by its text alone: ``KEY=…``; a conventional name on its own
    stays, any other line without ``=`` (a stray line of a pasted key) is masked."""
    stripped = text.strip()
    if not stripped or _ENV_NAME.fullmatch(stripped):
        return text
    if stripped.startswith("#"):
        return _gap(text)
    return mask_line(text) if _ASSIGN.match(text) else _gap(text)


def _fill(text: str, spans: list[Span]) -> str:
    """``text`` with ``spans`` applied and every other piece masked (separators, ``export``,
    blanks and an ``envlint:`` comment excepted)."""
    out: list[str] = []
    at = 0
    for start, end, replacement in sorted(spans):
        if start < at:
            continue
        out.append(_gap(text[at:start]))
        out.append(replacement)
        at = end
    out.append(_gap(text[at:]))
    return "".join(out)


def _gap(piece: str) -> str:
    if not piece or _GAP.match(piece):
        return piece
    hash_at = piece.find("#")
    if hash_at >= 0 and _GAP.match(piece[:hash_at]):
        return piece if "envlint:" in piece[hash_at:] else piece[:hash_at] + "# " + MASK
    lead = len(piece) - len(piece.lstrip())
    return piece[:lead] + MASK


def _mask_item(written: str) -> str:
    """A list item of ``environment:``/``args:``: ``KEY=value`` -> ``KEY=…`` (``KEY`` alone is
    a name)."""
    quote = (
        written[0]
        if len(written) >= 2 and written[0] in "'\"" and written[-1] == written[0]
        else ""
    )
    inner = written[1:-1] if quote else written
    if "=" not in inner:
        return written
    cut = inner.index("=") + 1
    return quote + inner[:cut] + mask_value(inner[cut:]) + quote


def _secret_scalars(root: object, spans: dict[int, list[Span]], lines: list[str]) -> None:
    """Spans of the scalars under ``environment``/``args`` keys (any depth; aliases and merge
    keys bring ``x-`` blocks in with their own positions) and ``configs/secrets.*.content``."""
    from envlint.compose.yamlnodes import YMap, YScalar, YSeq

    seen: set[tuple[int, bool]] = set()
    stack: list[tuple[object, bool, tuple[str, ...]]] = [(root, False, ())]
    while stack:
        node, hidden, path = stack.pop()
        if isinstance(node, YScalar):
            if hidden:
                _add_span(node, "value", spans, lines)
            continue
        if (id(node), hidden) in seen:
            continue
        seen.add((id(node), hidden))
        if isinstance(node, YMap):
            for key, value in node.items:
                name = key.value if isinstance(key.value, str) else ""
                content = name == "content" and len(path) == 2 and path[0] in _CONTENT_PARENTS
                under = hidden or name in _SECRET_KEYS or content
                stack.append((value, under, (*path, name)[:3]))
        elif isinstance(node, YSeq):
            for item in node.items:
                if hidden and isinstance(item, YScalar):
                    _add_span(item, "item", spans, lines)
                else:
                    stack.append((item, hidden, path))


def _add_span(scalar: object, kind: str, spans: dict[int, list[Span]], lines: list[str]) -> None:
    loc = scalar.loc  # type: ignore[attr-defined]
    last = loc.end_line or loc.line
    if last == loc.line:
        end = (loc.end_column or loc.column) - 1
        spans.setdefault(loc.line, []).append((loc.column - 1, end, kind))
        return
    # a multi-line scalar: the rest of its first line, then each of its lines wholly
    for number in range(loc.line, min(last, len(lines)) + 1):
        line = lines[number - 1]
        start = loc.column - 1 if number == loc.line else len(line) - len(line.lstrip())
        end = (loc.end_column or 1) - 1 if number == last else len(line)
        if end > start:
            spans.setdefault(number, []).append((start, end, "block"))


def _dockerfile_line(lines: list[str], number: int) -> str:
    """Line ``number`` of a Dockerfile with the values of an ``ENV``/``ARG`` masked."""
    keyword, first, inside = "", True, False
    for index, line in enumerate(lines[:number], start=1):
        stripped = line.strip()
        first = not inside
        if first:
            parts = stripped.split(None, 1)
            keyword = parts[0].upper() if parts and not stripped.startswith("#") else ""
        if index == number:
            break
        if inside and (not stripped or stripped.startswith("#")):
            continue  # blank and comment lines do not end a continued instruction
        inside = stripped.endswith("\\")
    text = lines[number - 1]
    if keyword not in ("ENV", "ARG"):
        return text
    head, body = "", text
    if first:
        match = _INSTRUCTION.match(text)
        if match is None:
            return text
        head, body = match.group(1), text[match.end() :]
    words = _shell_words(body)
    if first and keyword == "ENV" and len(words) > 1 and "=" not in words[0][2]:
        # the legacy `ENV KEY value with spaces`
        tail = " \\" if text.rstrip().endswith("\\") else ""
        return head + body[: words[0][1]] + " " + MASK + tail
    out, at = [head], 0
    for start, end, word in words:
        out.append(body[at:start])
        if "=" in word:
            cut = word.index("=") + 1
            out.append(word[:cut] + mask_value(word[cut:]))
        elif word == "\\" or first:
            out.append(word)  # ARG NAME, a --flag, a line continuation
        else:
            out.append(MASK)
        at = end
    out.append(body[at:])
    return "".join(out)


def _shell_words(text: str) -> list[Span]:
    """Blank-separated words (quotes and backslash escapes kept inside a word)."""
    words: list[Span] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        start, quote = i, ""
        while i < n and (quote or not text[i].isspace()):
            ch = text[i]
            if quote:
                if ch == "\\" and quote == '"' and i + 1 < n:
                    i += 1
                elif ch == quote:
                    quote = ""
            elif ch in "'\"":
                quote = ch
            elif ch == "\\" and i + 1 < n:
                i += 1
            i += 1
        words.append((start, i, text[start:i]))
    return words


def _read_lines(path: Path) -> list[str] | None:
    try:
        if not path.is_file() or path.stat().st_size > _MAX_FILE:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    text = data.decode("utf-8", "replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    return [line.rstrip("\r") for line in text.split("\n")]


def source_line(root: Path, path: str, line: int) -> str | None:
    """Line ``line`` of ``root/path``, masked by the kind of file its name says it is."""
    return SourceLines(MaskPlan(root)).get(path, line)
