"""Env files as Docker Compose v2 reads them.

:func:`parse_dotenv` ports compose-go's ``dotenv/parser.go`` (the parser behind ``.env``,
``--env-file``, ``include.env_file`` and a service's ``env_file``): a linear scanner, so every
quirk is kept — the YAML-style ``KEY: value``, ``" #"`` (space then hash) starting a comment,
single quotes meaning "no escapes, no interpolation", ``\\$`` and octal ``\\0NNN`` escapes in double
quotes, a statement right after a closing quote, a bare ``KEY`` looked up outside the file, a bare
key at the end of the file (no newline) becoming the empty key, and fatal errors.

:func:`parse_raw_env_file` ports docker/cli ``pkg/kvfile`` (``env_file: {format: raw}``).

Positions are exact: 1-based lines (only ``\\n`` ends a line, as in Go) and 1-based columns counted
in characters; ``end_column`` is exclusive.  Messages name keys and lines, never values.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass

from envlint.compose.interpolation import Budget, Lookup, Nesting, interpolate, literal_braces
from envlint.model import EnvEntry, InheritedKey, Location, Problem, ProblemKind, VarRef

__all__ = [
    "DotenvResult",
    "decode_env_file",
    "mapping_of",
    "parse_dotenv",
    "parse_raw_env_file",
]

_BOM = "\ufeff"
# Go's isSpace in dotenv/parser.go: blanks, but not a line break.
_BLANKS = frozenset("\t\v\f\r \x85\xa0")
# Go's unicode.IsSpace.
_GO_SPACE = frozenset(
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000"
)
# Go regexp's `\s` (ASCII only), used by `^export\s+`.
_RE_SPACE = frozenset("\t\n\f\r ")
_KEY_PUNCTUATION = frozenset("_.-[]")
# A line of a PEM body (base64, padding) or its end line.
_PEM_LINE = re.compile(r"(?:[A-Za-z0-9+/]+={0,2}[ \t\r]*(?:\n|$)|-----END )")
# bufio.MaxScanTokenSize: docker/cli's scanner fails on longer lines.
_MAX_RAW_LINE = 64 * 1024


@dataclass(frozen=True, slots=True)
class DotenvResult:
    """What Compose reads from one env file."""

    entries: tuple[EnvEntry, ...]  # every assignment in file order (duplicates kept, later wins)
    refs: tuple[VarRef, ...]  # evaluated references inside values (context="env_file")
    # the first fatal error (Compose stops there), after notes that do not stop it (`$BAR}`)
    problems: tuple[Problem, ...]
    # bare `KEY` lines the lookup did not provide: Compose takes them from the environment it
    # runs in (envlint's lookup leaves that environment out) and leaves them out when unset
    inherited: tuple[InheritedKey, ...] = ()


def mapping_of(result: DotenvResult) -> dict[str, str]:
    """The file's variables as Compose's map holds them: the last definition wins."""
    return {entry.key: entry.value for entry in result.entries}


def decode_env_file(data: bytes, path: str) -> tuple[str | None, Problem | None]:
    """Decode an env file's bytes: UTF-8, one leading BOM stripped, line endings untouched.

    CRLF is left as it is: Compose's parser treats ``\\r`` as a blank (trimmed from unquoted
    values, kept inside quotes); a lone ``\\r`` is not a line break.  NUL bytes (a binary file) and
    invalid UTF-8 give a ``PARSE_ERROR`` problem on the offending line.
    """
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        return None, Problem(
            ProblemKind.PARSE_ERROR,
            Location(path, line, 1),
            f"line {line}: env file contains NUL bytes (binary file?)",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, Problem(
            ProblemKind.PARSE_ERROR,
            Location(path, line, 1),
            f"line {line}: env file is not valid UTF-8",
        )
    if text.startswith(_BOM):
        text = text[1:]
    return text, None


class _Positions:
    """Offset -> (line, column) for one text; only ``\\n`` breaks lines."""

    __slots__ = ("_path", "_starts")

    def __init__(self, text: str, path: str) -> None:
        self._path = path
        starts = [0]
        i = text.find("\n")
        while i >= 0:
            starts.append(i + 1)
            i = text.find("\n", i + 1)
        self._starts = starts

    def point(self, offset: int) -> tuple[int, int]:
        index = bisect_right(self._starts, offset) - 1
        return index + 1, offset - self._starts[index] + 1

    def span(self, start: int, end: int) -> Location:
        line, column = self.point(start)
        end_line, end_column = self.point(end)
        return Location(self._path, line, column, end_line, end_column)


class _Fatal(Exception):  # internal control flow, never escapes this module
    def __init__(self, offset: int, message: str, *, required: bool = False) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message
        self.required = required


def _is_letter_or_number(ch: str) -> bool:
    """Go's ``unicode.IsLetter(r) || unicode.IsNumber(r)`` (categories L* and N*)."""
    return unicodedata.category(ch)[0] in "LN"


def _expand_escapes(chars: str, offsets: list[int]) -> tuple[str, list[int]]:
    """compose-go's ``expandEscapes`` for double-quoted values, keeping source offsets.

    ``\\a \\b \\f \\n \\r \\t \\v \\\\ \\"`` are expanded, ``\\0`` plus up to three digits is an
    octal escape (when Go's ``UnquoteChar`` rejects it, the text is kept minus the ``0``:
    ``"\\01"`` gives ``\\1``), ``\\$`` becomes ``$$`` (a literal ``$`` for the interpolation
    that follows) and ``\\c`` stays as written.
    """
    out: list[str] = []
    out_offsets: list[int] = []
    simple = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
    simple.update({"\\": "\\", '"': '"'})
    i, n = 0, len(chars)
    while i < n:
        ch = chars[i]
        if ch != "\\" or i + 1 >= n:
            out.append(ch)
            out_offsets.append(offsets[i])
            i += 1
            continue
        nxt = chars[i + 1]
        source = offsets[i]
        if nxt in simple:
            out.append(simple[nxt])
            out_offsets.append(source)
            i += 2
        elif nxt == "$":
            out.append("$$")
            out_offsets.extend((source, source))
            i += 2
        elif nxt == "0":
            j = i + 2
            while j < n and j < i + 5 and "0" <= chars[j] <= "9":
                j += 1
            digits = chars[i + 2 : j]
            if len(digits) == 3 and all(d in "01234567" for d in digits) and int(digits, 8) < 256:
                out.append(chr(int(digits, 8)))
                out_offsets.append(source)
            else:  # Go returns the match with `\0` already rewritten to `\` (`"\01"` -> `\1`)
                out.append("\\" + digits)
                out_offsets.append(source)
                out_offsets.extend(offsets[i + 2 : j])
            i = j
        else:  # `\c` and anything not matched by compose-go's escape regex: kept as written
            out.append(ch)
            out_offsets.append(source)
            i += 1
    return "".join(out), out_offsets


class _DotenvParser:
    def __init__(
        self,
        text: str,
        path: str,
        lookup: Lookup,
        earlier: Mapping[str, str] | None,
        nesting: Nesting,
        budget: Budget | None,
    ) -> None:
        self.text = text
        self.nesting: Nesting = nesting
        self.budget = Budget() if budget is None else budget  # one per file unless shared
        self.path = path
        self.lookup = lookup
        self.pos = _Positions(text, path)
        # compose-go's `out` map: what earlier files set, then this file's lines.
        self.values: dict[str, str] = dict(earlier or {})
        self.entries: list[EnvEntry] = []
        self.refs: list[VarRef] = []
        self.armor: tuple[str, int] | None = None  # an unquoted `-----BEGIN …` value: key, line
        self.notes: list[Problem] = []  # findings that do not stop Compose (`$BAR}`)
        self.inherited: list[InheritedKey] = []

    def resolve(self, name: str) -> str | None:
        """``expandVariables``' lookup: outside values first, then values parsed so far."""
        value = self.lookup(name)
        return value if value is not None else self.values.get(name)

    def run(self) -> DotenvResult:
        problems: tuple[Problem, ...] = ()
        try:
            self.parse()
        except _Fatal as fatal:
            if fatal.required:
                # Compose stops reading here, but the fact is a required variable that is
                # unset: the `:?` reference is in `refs`, and ENV102 reports it (not ENV105).
                return DotenvResult(
                    tuple(self.entries), tuple(self.refs), tuple(self.notes), tuple(self.inherited)
                )
            line, column = self.pos.point(fatal.offset)
            problems = (
                *self.notes,
                Problem(
                    ProblemKind.INVALID_ENV_FILE,
                    Location(self.path, line, column),
                    f"line {line}: {fatal.message}",
                ),
            )
        return DotenvResult(
            tuple(self.entries),
            tuple(self.refs),
            problems or tuple(self.notes),
            tuple(self.inherited),
        )

    def statement_start(self, i: int) -> int:
        """``getStatementStart``: skip blank space and ``#`` comments; -1 at the end."""
        s, n = self.text, len(self.text)
        while True:
            while i < n and s[i] in _GO_SPACE:
                i += 1
            if i >= n:
                return -1
            if s[i] != "#":
                return i
            i = s.find("\n", i)
            if i < 0:
                return -1

    def parse(self) -> None:
        s, n = self.text, len(self.text)
        i = 0
        while True:
            i = self.statement_start(i)
            if i < 0:
                return
            if self.armor is not None and _PEM_LINE.match(s, i):
                # The lines of an unquoted PEM block: Compose reads each as a statement (a bare
                # key, a `key==` of base64 padding, a bad character) and fails at `-----END …`
                # (a space in a key).  Say so here, and never take a line of a key for a name.
                key, line = self.armor
                raise _Fatal(
                    i,
                    f"continues the unquoted multi-line value of {key} (line {line}): Compose "
                    "reads each of its lines as a new variable; quote the whole value",
                )
            self.armor = None
            # locateKeyName: `^export\s+` is stripped, then blanks.
            if s.startswith("export", i) and i + 6 < n and s[i + 6] in _RE_SPACE:
                i += 6
                while i < n and s[i] in _BLANKS:
                    i += 1
            if i >= n:
                raise _Fatal(i, "zero length string")
            key_start = i
            j = i
            terminator = ""
            while j < n:
                ch = s[j]
                if ch in "=:\n":
                    terminator = ch
                    break
                if ch in _BLANKS or ch in _KEY_PUNCTUATION or _is_letter_or_number(ch):
                    j += 1
                    continue
                raise _Fatal(j, f'unexpected character "{ch}" in variable name')
            if terminator:
                key_end = j
                while key_end > key_start and s[key_end - 1] in _GO_SPACE:
                    key_end -= 1
                key = s[key_start:key_end]
                value_start = j + 1
            else:
                # No `=`, `:` or newline before the end: compose-go reads an empty key whose
                # value is the rest of the file (`FOO` at EOF gives `""="FOO"`).
                key, key_end, value_start = "", key_start, key_start
            if " " in key:
                raise _Fatal(key_start, "key cannot contain a space")
            key_location = self.pos.span(key_start, key_end)
            if terminator == "\n":
                inherited = self.lookup(key)
                if inherited is not None:
                    self.add(EnvEntry(key, inherited, key_location, key_location, bare=True))
                else:
                    self.inherited.append(InheritedKey(key, key_location))
                i = value_start
                continue
            while value_start < n and s[value_start] in _BLANKS:
                value_start += 1
            i = self.value(key, key_location, value_start, bare=not terminator)

    def value(self, key: str, key_location: Location, start: int, *, bare: bool) -> int:
        """``extractVarValue``: read one value, record the entry, return where to continue."""
        s, n = self.text, len(self.text)
        quote = s[start] if start < n and s[start] in "'\"" else ""
        if not quote:
            line_end = s.find("\n", start)
            rest = n if line_end < 0 else line_end + 1
            end = n if line_end < 0 else line_end
            comment = s.find(" #", start, end)
            if comment >= 0:
                end = comment
            while end > start and s[end - 1] in _GO_SPACE:
                end -= 1
            value = self.expand(s[start:end], list(range(start, end + 1)))
            self.add(EnvEntry(key, value, key_location, self.pos.span(start, end), bare=bare))
            armored = s.startswith("-----BEGIN ", start) and "-----END " not in s[start:end]
            self.armor = (key, key_location.line) if armored else None
            return rest
        chars: list[str] = []
        offsets: list[int] = []
        escaped = False
        i = start + 1
        while i < n:
            ch = s[i]
            if ch != quote:
                if not escaped and ch == "\\":
                    escaped = True
                    i += 1
                    continue
                if escaped:
                    escaped = False
                    chars.append("\\")
                    offsets.append(i - 1)
                chars.append(ch)
                offsets.append(i)
                i += 1
                continue
            if escaped:  # `\"` inside "…", `\'` inside '…'
                escaped = False
                chars.append(ch)
                offsets.append(i - 1)
                i += 1
                continue
            value = "".join(chars)
            if quote == '"':
                expanded, expanded_offsets = _expand_escapes(value, offsets)
                value = self.expand(expanded, [*expanded_offsets, i])
            self.add(EnvEntry(key, value, key_location, self.pos.span(start, i + 1)))
            return i + 1
        raise _Fatal(start, "unterminated quoted value")

    def expand(self, value: str, offsets: list[int]) -> str:
        """Interpolate a value; ``offsets[k]`` is the source offset of ``value[k]`` (plus end)."""
        if "$" not in value:
            return value
        result = interpolate(value, self.resolve, nesting=self.nesting, budget=self.budget)
        for ref in result.refs:
            self.refs.append(
                VarRef(
                    name=ref.name,
                    operator=ref.operator,
                    location=self.pos.span(offsets[ref.start], offsets[ref.end]),
                    is_set=ref.is_set,
                    is_empty=ref.is_empty,
                    context="env_file",
                    message=ref.message,
                    blocked=ref.blocked,
                )
            )
        for ref in literal_braces(value, result.refs):
            self.notes.append(
                Problem(
                    ProblemKind.LITERAL_BRACE,
                    self.pos.span(offsets[ref.start], offsets[ref.end] + 1),
                    f"${ref.name}}} in an env file value: Compose substitutes ${ref.name} and "
                    f"keeps the }} as a literal character; write ${{{ref.name}}}",
                )
            )
        error = result.error
        if error is not None:
            if error.kind == "required":
                raise _Fatal(
                    offsets[error.offset],
                    f"required variable {error.name} is missing a value",
                    required=True,
                )
            if error.kind == "limit":
                raise _Fatal(offsets[error.offset], error.message)
            raise _Fatal(
                offsets[error.offset],
                "invalid interpolation format (a literal $ must be written $$)",
            )
        return result.value

    def add(self, entry: EnvEntry) -> None:
        self.entries.append(entry)
        self.values[entry.key] = entry.value


def parse_dotenv(
    text: str,
    path: str,
    lookup: Lookup,
    *,
    earlier: Mapping[str, str] | None = None,
    nesting: Nesting = "lazy",
    budget: Budget | None = None,
) -> DotenvResult:
    """Parse an env file (default format) as compose-go does, interpolating its values.

    ``lookup`` is what lies outside the file (for ``.env``: the environment built so far; for a
    service ``env_file``: the project environment, then the service's ``environment`` values).
    ``earlier`` is compose-go's accumulated map from files read before this one (earlier
    ``--env-file``s, or the service's environment and earlier ``env_file``s); references see
    ``lookup`` first, then values parsed so far (this file's earlier lines over ``earlier``).
    ``budget`` bounds what substitutions add (default: one fresh budget for this file); when it
    runs out, parsing stops there with a problem, as at any fatal error.
    A bare ``KEY`` line consults ``lookup`` only.  ``nesting`` is as for
    :func:`~envlint.compose.interpolation.interpolate`.
    """
    return _DotenvParser(text, path, lookup, earlier, nesting, budget).run()


def parse_raw_env_file(text: str, path: str, lookup: Lookup) -> DotenvResult:
    """Parse an ``env_file`` with ``format: raw`` (docker/cli ``kvfile``): values verbatim.

    Lines are left-trimmed; blank lines and ``#`` lines are skipped; ``KEY=VALUE`` keeps quotes,
    trailing blanks and ``#``; a bare ``KEY`` is taken from ``lookup`` or left out.
    """
    pos = _Positions(text, path)
    entries: list[EnvEntry] = []
    inherited: list[InheritedKey] = []
    offset = 0
    number = 0
    n = len(text)
    while offset < n:
        number += 1
        newline = text.find("\n", offset)
        line_end = n if newline < 0 else newline
        next_offset = n if newline < 0 else newline + 1
        if line_end > offset and text[line_end - 1] == "\r":
            line_end -= 1  # bufio.ScanLines drops one trailing \r
        start = offset
        offset = next_offset
        if len(text[start:line_end].encode("utf-8", "surrogatepass")) > _MAX_RAW_LINE:
            return _raw_problem(
                entries, inherited, pos.span(start, start), f"line {number}: line too long"
            )
        while start < line_end and text[start] in _GO_SPACE:
            start += 1
        if start == line_end or text[start] == "#":
            continue
        equals = text.find("=", start, line_end)
        key_end = line_end if equals < 0 else equals
        key = text[start:key_end]
        key_location = pos.span(start, key_end)
        if not key:
            return _raw_problem(
                entries, inherited, key_location, f"line {number}: no variable name"
            )
        if " " in key or "\t" in key:
            return _raw_problem(
                entries,
                inherited,
                key_location,
                f"line {number}: variable name contains whitespaces",
            )
        if equals >= 0:
            value_location = pos.span(equals + 1, line_end)
            value = text[equals + 1 : line_end]
            entries.append(EnvEntry(key, value, key_location, value_location, raw=True))
            continue
        found = lookup(key)
        if found is not None:
            entries.append(EnvEntry(key, found, key_location, key_location, raw=True, bare=True))
        else:
            inherited.append(InheritedKey(key, key_location))
    return DotenvResult(tuple(entries), (), (), tuple(inherited))


def _raw_problem(
    entries: list[EnvEntry], inherited: list[InheritedKey], location: Location, message: str
) -> DotenvResult:
    problem = Problem(ProblemKind.INVALID_ENV_FILE, location, message)
    return DotenvResult(tuple(entries), (), (problem,), tuple(inherited))
