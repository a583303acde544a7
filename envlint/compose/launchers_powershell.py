"""PowerShell scripts (``*.ps1``) as launchers: their simple ``docker compose`` lines.

A script such as ``run-test-infrastructure.ps1``::

    $env:TAG = "test"
    docker-compose -f .\\docker-compose-tests.yml `
        -f .\\docker-compose-tests.override.yml up -d

is read statement by statement (a line, its backtick continuations joined; ``;`` separates
statements) and written again as POSIX shell text, line for line, which
:func:`envlint.compose.launchers._shell` reads as it reads a shell script.  Only what reads the
same in both languages, or has one literal meaning, is written:

* ``docker compose`` / ``docker-compose`` commands (``.exe`` or not, named by a path or not,
  after ``&`` or not) whose words are bare words, ``'single'`` (``''`` a quote) or
  ``"double"`` quoted strings (backtick escapes of `` ` `` ``"`` ``$``; ``$x`` / ``${x}`` /
  ``$env:X`` expanded as the shell expands ``$X``), ``\\`` written as ``/`` (Windows'
  separator; a ``C:\\`` path is absolute);
* ``$env:X = <value>``: ``X`` exported for the commands after it (a value that is not a
  string literal or a variable is provided, not known); ``$x = <value>`` sets a script
  variable (not exported); ``$PSScriptRoot`` is the script's directory;
* ``cd`` / ``Set-Location`` / ``Push-Location`` (``sl``, ``chdir``, ``pushd``) with one path.

A statement holding anything else that PowerShell evaluates (a pipeline ``|``, a subexpression
``$( )``, a script block, ``@( )`` / ``@{ }``, an array ``a,b``, a redirection, a member access
``$x.Name``, a backtick escape that is a control character) is left out, not guessed: a compose
command cannot be read literally from it.  After ``Pop-Location`` / ``popd``, or a location
change that cannot be read, the directory of the commands that follow is not known: the rest of
the script is not read.  Here-strings (``@" … "@``) and block comments (``<# … #>``) are skipped.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from itertools import groupby

__all__ = ["powershell_as_shell"]

# the directory of the running script: what `$(dirname "$0")` is to the shell reader
_SCRIPT_DIR = '"$(dirname "$0")"'
_UNKNOWN = '"$(unknown)"'  # a command substitution: a value the shell reader cannot know
_COMPOSE_PROGRAMS = frozenset(
    ("docker", "docker.exe", "docker-compose", "docker-compose.exe", "podman", "podman-compose")
)
_LOCATION = frozenset(("cd", "chdir", "sl", "set-location", "push-location", "pushd"))
_POP = frozenset(("pop-location", "popd"))
# characters that make a bare argument something PowerShell evaluates (an operator, a block,
# an array, a redirection, a splat) rather than a string
_SPECIAL = frozenset("|&(){};,<>@")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# a variable's name after its `$`, with its scope (`$x`, `$env:X`; `$_` is one not known here)
_VARIABLE = re.compile(r"(?:(?:env|script|global|local):)?[A-Za-z_][A-Za-z0-9_]*", re.I)
# backtick escapes that are a character in both languages' reading
_ESCAPED = frozenset("`\"$'# ")


class _Unreadable(Exception):
    """A statement that cannot be read literally."""


# a piece of an argument: literal text, or shell text that expands a variable
_Piece = tuple[bool, str]


@dataclass(frozen=True, slots=True)
class _Token:
    """One argument: its pieces in order."""

    pieces: tuple[_Piece, ...]

    @property
    def literal(self) -> str | None:
        """Its text when it expands no variable."""
        if any(not known for known, _ in self.pieces):
            return None
        return "".join(text for _, text in self.pieces)

    def shell(self, path: bool = False) -> str:
        """As POSIX shell text; ``path``: Windows' ``\\`` separator written ``/``, a drive
        letter's path absolute (``C:\\x`` -> ``/C:/x``)."""
        out: list[str] = []
        for known, run in groupby(self.pieces, key=lambda piece: piece[0]):
            texts = "".join(text for _, text in run)
            out.append(shlex.quote(texts.replace("\\", "/") if path else texts) if known else texts)
        literal = self.literal
        if path and literal is not None and re.match(r"[A-Za-z]:[\\/]", literal):
            out.insert(0, "/")
        return "".join(out)


def powershell_as_shell(text: str) -> str:
    """The script's simple compose commands, environment assignments and location changes as
    POSIX shell text, each on the line its statement starts on (every other line blank)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out = [""] * len(lines)
    for number, statement in _statements(lines):
        written: list[str] = []
        for part in _split_statements(statement):
            try:
                shell = _statement(part)
            except _Unreadable:
                continue
            if shell == _STOP:
                out[number] = "; ".join(written)
                return "\n".join(out)
            if shell:
                written.append(shell)
        out[number] = "; ".join(written)
    return "\n".join(out)


_STOP = "\x00stop"


def _statements(lines: list[str]) -> list[tuple[int, str]]:
    """(index of its first line, text) of each logical line: a backtick at the very end of a
    line continues it; comment lines, block comments and here-strings are left out."""
    out: list[tuple[int, str]] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if stripped.startswith("<#"):
            while i < len(lines) and "#>" not in lines[i]:
                i += 1
            i += 1
            continue
        if stripped.endswith(('@"', "@'")):
            closing = stripped[-1] + "@"
            i += 1
            while i < len(lines) and not lines[i].startswith(closing):
                i += 1
            i += 1
            continue
        first = i
        joined = line
        while joined.endswith("`") and i + 1 < len(lines):
            i += 1
            joined = joined[:-1] + " " + lines[i]
        if stripped and not stripped.startswith("#"):
            out.append((first, joined))
        i += 1
    return out


def _split_statements(text: str) -> list[str]:
    """The statements of a logical line: split at ``;`` outside quotes (a ``#`` outside quotes
    at the start of a word ends the line)."""
    parts: list[str] = []
    current: list[str] = []
    quote = ""
    i = 0
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "`" and quote == '"' and i + 1 < len(text):
                current.append(text[i : i + 2])
                i += 2
                continue
            if ch == quote:
                quote = ""
        elif ch == "`" and i + 1 < len(text):
            current.append(text[i : i + 2])
            i += 2
            continue
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (not current or current[-1][-1:].isspace()):
            break
        elif ch == ";":
            parts.append("".join(current))
            current = []
            i += 1
            continue
        current.append(ch)
        i += 1
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def _statement(text: str) -> str:
    """One statement as shell text ("" when it is none of those read); :data:`_STOP` when
    the directory of what follows cannot be known."""
    if text.startswith("$"):
        return _assignment(text)
    if text.startswith("& "):
        text = text[2:].lstrip()
    try:
        tokens = _tokens(text)
    except _Unreadable:
        head = text.split(None, 1)[0].lower() if text.split() else ""
        return _STOP if head in _LOCATION | _POP else ""
    if not tokens or tokens[0].literal is None:
        return ""
    program = tokens[0].literal.lower()
    if program in _POP:
        return _STOP
    if program in _LOCATION:
        operands = [t for t in tokens[1:] if t.literal not in ("-Path", "-LiteralPath")]
        if len(operands) != 1 or (operands[0].literal or "").startswith("-"):
            return _STOP
        return f"cd {operands[0].shell(path=True)}"
    name = program.rsplit("\\", 1)[-1].rsplit("/", 1)[-1]  # by its file name, path or not
    if name not in _COMPOSE_PROGRAMS:
        return ""
    name = name.removesuffix(".exe")
    return " ".join((name, *(t.shell(path=True) for t in tokens[1:])))


def _assignment(text: str) -> str:
    """``$env:X = value`` -> ``export X=value``; ``$x = value`` -> ``x=value`` (a script
    variable); a value other than one string, number or variable is provided, not known."""
    match = re.fullmatch(r"\$(?:(env):)?([A-Za-z_][A-Za-z0-9_]*)\s*(\+?=)\s*(.*)", text, re.I)
    if match is None:
        return ""
    scope, name, operator, value = match.groups()
    target = name if scope else _script_variable(name)
    shell = _UNKNOWN
    if operator == "=":
        try:
            tokens = _tokens(value)
        except _Unreadable:
            tokens = []
        if len(tokens) == 1 and (value[:1] in "'\"$" or re.fullmatch(r"[\d.]+", value)):
            shell = tokens[0].shell()
    return f"export {target}={shell}" if scope else f"{target}={shell}"


def _script_variable(name: str) -> str:
    """A PowerShell variable's name in the shell text (case-insensitive; apart from the
    environment's names)."""
    return "ps_" + name.lower()


def _tokens(text: str) -> list[_Token]:
    """The arguments of a command-mode statement; :class:`_Unreadable` when one is evaluated."""
    out: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        if text[i] == "#":
            break
        pieces: list[_Piece] = []
        while i < n and not text[i].isspace():
            ch = text[i]
            if ch == "'":
                i = _single(text, i + 1, pieces)
            elif ch == '"':
                i = _double(text, i + 1, pieces)
            elif ch == "$":
                i, shell = _variable(text, i, quoted=False)
                pieces.append((False, shell))
            elif ch == "`":
                if i + 1 >= n or text[i + 1] not in _ESCAPED:
                    raise _Unreadable
                pieces.append((True, text[i + 1]))
                i += 2
            elif ch in _SPECIAL:
                raise _Unreadable
            else:
                pieces.append((True, ch))
                i += 1
        out.append(_Token(tuple(pieces)))
    return out


def _single(text: str, i: int, pieces: list[_Piece]) -> int:
    """A single-quoted string from after its quote (``''`` is a quote): the index after it."""
    while True:
        if i >= len(text):
            raise _Unreadable
        if text[i] == "'":
            if text[i + 1 : i + 2] != "'":
                return i + 1
            i += 1
        pieces.append((True, text[i]))
        i += 1


def _double(text: str, i: int, pieces: list[_Piece]) -> int:
    """A double-quoted string from after its quote (``""`` is a quote; backtick escapes;
    variables expanded): the index after it."""
    n = len(text)
    while True:
        if i >= n:
            raise _Unreadable
        ch = text[i]
        if ch == '"':
            if text[i + 1 : i + 2] != '"':
                return i + 1
            i += 1
        elif ch == "`":
            if i + 1 >= n or text[i + 1] not in _ESCAPED:
                raise _Unreadable
            ch, i = text[i + 1], i + 1
        elif ch == "$" and i + 1 < n and (text[i + 1] in "({" or _NAME.match(text, i + 1)):
            i, shell = _variable(text, i, quoted=True)
            pieces.append((False, shell))
            continue
        pieces.append((True, ch))
        i += 1


def _variable(text: str, i: int, quoted: bool) -> tuple[int, str]:
    """``$name`` / ``${name}`` / ``$env:NAME`` at ``i``: (index after it, shell text)."""
    braced = text[i + 1 : i + 2] == "{"
    if braced:
        end = text.find("}", i + 2)
        if end < 0:
            raise _Unreadable
        inner, after = text[i + 2 : end], end + 1
    else:
        match = _VARIABLE.match(text, i + 1)
        if match is None:
            raise _Unreadable  # `$(…)` subexpression, `$?`: evaluated
        inner, after = match.group(), match.end()
    scope, _, name = inner.rpartition(":")
    if not _NAME.fullmatch(name) or scope.lower() not in ("", "env", "script", "global", "local"):
        raise _Unreadable
    if not quoted and after < len(text) and text[after] in ".[":
        raise _Unreadable  # `$x.Name`, `$x[0]`: a member or an element
    if scope.lower() == "env":
        return after, '"${' + name + '}"'
    if name.lower() == "psscriptroot":
        return after, _SCRIPT_DIR
    return after, '"${' + _script_variable(name) + '}"'
