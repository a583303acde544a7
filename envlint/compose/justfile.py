"""Reading a justfile without running ``just``: its recipes and the shell text each runs.

just's grammar as far as "what does this recipe run, where, with which variables" needs
(the just manual, *Recipes*, *Settings*, *Attributes*, *Working Directory*):

* top-level items: ``NAME := expr`` (with ``export``), ``set NAME [:= value]``, ``alias``,
  ``import`` / ``mod``, ``[attribute]`` lines, comments; a recipe header
  ``[@]name [params]: [dependencies] [&& later]`` and its indented body;
* a linewise recipe runs each line (with its ``\\`` continuations) in its own shell, its
  ``@`` / ``-`` / ``?`` sigils dropped; a recipe whose body starts with ``#!`` (or that has
  the ``[script]`` attribute) is one script;
* ``{{expr}}`` in a body is expanded: a string literal, a variable, ``+`` and ``/`` of them;
  anything else (a parameter, a backtick, a function call) is not known (``$()`` in the shell
  text, as :mod:`envlint.compose.makefile` does for make);
* ``export``, ``set export`` and ``$param`` put variables in the recipe's environment; recipes
  run in the justfile's directory, or ``set working-directory`` / ``[working-directory]``;
  ``[no-cd]`` runs in the caller's directory (not known).

A recipe whose shell is not a POSIX shell (``set shell := ["pwsh", …]``, a ``#!`` naming
Python) runs nothing envlint reads.  Used by :mod:`envlint.compose.launchers` and
:mod:`envlint.compose.created`.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from envlint.servicecode.entry_shell import SHELLS, shebang_program

__all__ = ["BRACE_SHELLS", "JustRecipe", "read_justfile", "shebang_shell"]

BRACE_SHELLS = frozenset(("bash", "zsh"))  # the shells that do brace expansion (`{a,b}`)
_NAME = r"[A-Za-z_][A-Za-z0-9_-]*"
_ASSIGNMENT = re.compile(rf"^(export\s+)?({_NAME})\s*:=\s*(.*)$")
_SETTING = re.compile(rf"^set\s+({_NAME})\s*(?::=\s*(.*))?$")
_HEADER = re.compile(rf"^(@?)({_NAME})\b([^:]*?):(?!=)(.*)$")
_PARAMETER = re.compile(rf"^\$?[+*]?\$?({_NAME})")
# one token of an expression: a string (''' """ ' " forms), a name, `+`, `/`, or anything else
_TOKEN = re.compile(
    r"\s*(?:(?P<string>'''.*?'''|\"\"\".*?\"\"\"|'[^']*'|\"(?:[^\"\\]|\\.)*\")"
    rf"|(?P<name>{_NAME})(?!\s*\()|(?P<op>[+/])|(?P<other>\S))",
    re.DOTALL,
)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
# what a recipe line's shell gets for a part that cannot be known without running just or make
# (a make expansion's :data:`envlint.compose.makefile.UNKNOWN`)
UNKNOWN_SHELL = "$()"


@dataclass(frozen=True, slots=True)
class JustRecipe:
    """One recipe, as ``just NAME`` runs it."""

    name: str
    line: int  # where its header is written
    # the pieces of shell text it runs, each with the line its first line is written on: one
    # per line (continuations joined) for a linewise recipe, the whole body for a script
    shells: tuple[tuple[int, str], ...]
    # the variables just puts in its environment: name, value (None: not known), line
    exported: tuple[tuple[str, str | None, int], ...]
    # where it runs, relative to the justfile's directory; None: the caller's ([no-cd])
    directory: str | None
    braces: bool  # its shell is bash or zsh (brace expansion)
    dependencies: tuple[str, ...]


@dataclass
class _Header:
    name: str
    line: int
    parameters: tuple[tuple[str, bool], ...]  # name, exported (`$name`)
    dependencies: tuple[str, ...]
    attributes: tuple[str, ...]
    body: list[tuple[int, str]]


def read_justfile(text: str) -> tuple[JustRecipe, ...]:
    """The recipes of a justfile, in order.  Never raises."""
    expressions: dict[str, str] = {}
    exported: dict[str, int] = {}  # name -> line
    assigned: dict[str, int] = {}
    settings: dict[str, str | None] = {}
    headers: list[_Header] = []
    attributes: list[str] = []
    current: _Header | None = None
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if line[:1] in (" ", "\t") or not stripped:  # a body line (a blank one ends nothing)
            if current is not None:
                current.body.append((number, line))
            continue
        current = None
        if stripped.startswith("#"):
            continue
        if stripped.startswith("[") and stripped.endswith("]"):
            attributes.extend(_attributes(stripped[1:-1]))
            continue
        setting = _SETTING.match(stripped)
        assignment = _ASSIGNMENT.match(stripped)
        if setting is not None:
            written = setting.group(2)
            settings[setting.group(1)] = "true" if written is None else written.strip()
        elif assignment is not None:
            export, name, expression = assignment.groups()
            expressions[name] = expression
            assigned[name] = number
            if export:
                exported[name] = number
        elif not stripped.startswith(("alias ", "import ", "mod ", "unexport ")):
            header = _header(stripped, number, tuple(attributes))
            if header is not None:
                headers.append(header)
                current = header
        attributes = []
    export_all = settings.get("export") == "true"
    if export_all:
        exported = {**assigned, **exported}
    values = _values(expressions)
    shell = _shell_setting(settings.get("shell"))
    base = _literal(settings.get("working-directory"), values) or "."
    return tuple(
        r
        for r in (_recipe(h, values, exported, export_all, shell, base) for h in headers)
        if r is not None
    )


def _values(expressions: Mapping[str, str]) -> dict[str, str | None]:
    """Every variable's value (None: not known): just evaluates an assignment when it is
    needed, so one may use a variable assigned below it; a cycle is not known."""
    values: dict[str, str | None] = {}
    pending: set[str] = set()

    def value(name: str) -> str | None:
        if name not in values and name in expressions and name not in pending:
            pending.add(name)
            values[name] = _evaluate(expressions[name], value)
        return values.get(name)

    for name in expressions:
        value(name)
    return values


def _attributes(text: str) -> Iterator[str]:
    """``[no-cd, working-directory: 'x', script('bash')]`` -> ``no-cd``,
    ``working-directory:'x'``, ``script('bash')``: split at the commas outside quotes and
    parentheses, blanks outside quotes dropped."""
    part: list[str] = []
    quote = ""
    depth = 0
    for char in text + ",":
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif char == "," and depth == 0:
            yield "".join(part)
            part = []
            continue
        elif char.isspace():
            continue
        part.append(char)


def _header(text: str, line: int, attributes: tuple[str, ...]) -> _Header | None:
    found = _HEADER.match(text)
    if found is None:
        return None
    _quiet, name, written_parameters, after = found.groups()
    parameters: list[tuple[str, bool]] = []
    for word in re.findall(r"[^\s=]+(?:=(?:'[^']*'|\"[^\"]*\"|\S+))?", written_parameters):
        parameter = _PARAMETER.match(word)
        if parameter is not None:
            parameters.append((parameter.group(1), "$" in word.split("=", 1)[0]))
    dependencies = after.split("&&", 1)[0].split("#", 1)[0]
    names = re.findall(rf"(?:^|[\s(])({_NAME})", dependencies)
    return _Header(name, line, tuple(parameters), tuple(names), attributes, [])


def _recipe(
    header: _Header,
    values: Mapping[str, str | None],
    exported: Mapping[str, int],
    export_all: bool,
    shell: str | None,
    base: str,
) -> JustRecipe | None:
    body = _trimmed(header.body)
    if not body:
        return None
    scope: dict[str, str | None] = dict(values)
    scope.update((name, None) for name, _ in header.parameters)
    script = body[0][1].startswith("#!") or any(
        a == "script" or a.startswith("script(") for a in header.attributes
    )
    shells: tuple[tuple[int, str], ...]
    if script:
        program = _script_shell(body[0][1], header.attributes)
        text = "\n".join(_interpolated(line, scope) for _, line in body)
        shells = ((body[0][0], text),) if program is not None else ()
    else:
        program = shell
        shells = tuple(_lines(body, scope)) if program is not None else ()
    parameters = {name for name, _ in header.parameters}
    variables = [(n, values.get(n), at) for n, at in exported.items() if n not in parameters]
    variables.extend(
        (name, None, header.line) for name, own in header.parameters if own or export_all
    )
    return JustRecipe(
        header.name,
        header.line,
        shells,
        tuple(variables),
        _directory(header.attributes, values, base),
        program in BRACE_SHELLS,
        header.dependencies,
    )


def _trimmed(body: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The body without its trailing blank lines and with the first line's indentation
    removed from every line."""
    while body and not body[-1][1].strip():
        body = body[:-1]
    if not body:
        return []
    first = body[0][1]
    indent = first[: len(first) - len(first.lstrip())]
    return [(n, line.removeprefix(indent)) for n, line in body]


def _lines(
    body: list[tuple[int, str]], scope: Mapping[str, str | None]
) -> Iterator[tuple[int, str]]:
    """A linewise recipe's commands: each line with its ``\\`` continuations (kept: the shell
    joins them), sigils dropped."""
    pending: list[str] = []
    start = 0
    for number, line in body:
        if not pending:
            if not line.strip():
                continue
            start = number
            line = line.lstrip("@-? \t") if line[:1] in "@-?" else line
        pending.append(_interpolated(line, scope))
        if line.endswith("\\"):
            continue
        yield start, "\n".join(pending)
        pending = []
    if pending:
        yield start, "\n".join(pending)


def _interpolated(line: str, scope: Mapping[str, str | None]) -> str:
    """``{{expr}}`` expanded (``{{{{`` is a literal ``{{``)."""
    out: list[str] = []
    i = 0
    while i < len(line):
        if line.startswith("{{{{", i):
            out.append("{{")
            i += 4
            continue
        if line.startswith("{{", i):
            end = line.find("}}", i + 2)
            if end < 0:
                out.append(line[i:])
                break
            value = _evaluate(line[i + 2 : end], scope.get)
            out.append(UNKNOWN_SHELL if value is None else value)
            i = end + 2
            continue
        out.append(line[i])
        i += 1
    return "".join(out)


def _evaluate(expression: str, lookup: Callable[[str], str | None]) -> str | None:
    """A string literal or variable, or ``+`` / ``/`` of them; None for anything else."""
    parts: list[str] = []
    joiner: str | None = ""
    text = expression.split(" #", 1)[0].strip()
    position = 0
    while position < len(text):
        token = _TOKEN.match(text, position)
        if token is None or token.group("other") is not None:
            return None
        position = token.end()
        if token.group("op") is not None:
            if joiner is not None:
                return None
            joiner = "/" if token.group("op") == "/" else ""
            continue
        if joiner is None:
            return None
        value = _string(token.group("string")) if token.group("string") else None
        if token.group("name") is not None:
            value = lookup(token.group("name"))
        if value is None:
            return None
        parts.append(joiner + value if parts else value)
        joiner = None
    return "".join(parts) if parts and joiner is None else None


def _string(written: str) -> str | None:
    if written.startswith(("'''", '"""')):
        return written[3:-3] if written.startswith("'''") else None
    if written.startswith("'"):
        return written[1:-1]
    inner = written[1:-1]
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), "\\" + m.group(1)), inner)


def _literal(written: str | None, scope: Mapping[str, str | None]) -> str | None:
    return None if written is None else _evaluate(written, scope.get)


def _shell_setting(written: str | None) -> str | None:
    """The shell of linewise recipes: ``sh`` unless ``set shell := ["bash", "-c"]``; None for
    one that is not a POSIX shell (or a setting envlint cannot read)."""
    if written is None:
        return "sh"
    first = re.match(r"\[\s*(?:'([^']*)'|\"([^\"]*)\")", written)
    program = posixpath.basename(first.group(1) or first.group(2)) if first else ""
    return program if program in SHELLS else None


def _script_shell(first: str, attributes: tuple[str, ...]) -> str | None:
    """The shell of a script recipe: its ``#!`` line's, or ``[script('bash')]``'s (``sh``
    for a bare ``[script]``); None when it is not a POSIX shell."""
    if first.startswith("#!"):
        return shebang_shell(first)
    for attribute in attributes:
        if attribute.startswith("script("):
            found = re.match(r"script\(\s*['\"]([^'\"]*)['\"]", attribute)
            program = posixpath.basename(found.group(1)) if found else ""
            return program if program in SHELLS else None
    return "sh"


def shebang_shell(first: str) -> str | None:
    """The POSIX shell a ``#!`` line names (``#!/bin/bash``, ``#!/usr/bin/env -S bash -e``):
    ``bash``; None for any other program, or a line that is no ``#!``."""
    program = shebang_program(first)
    return program if program in SHELLS else None


def _directory(
    attributes: tuple[str, ...], scope: Mapping[str, str | None], base: str
) -> str | None:
    """Where the recipe runs, relative to the justfile's directory (None: not known)."""
    if "no-cd" in attributes:
        return None
    for attribute in attributes:
        found = re.match(r"working-directory(?::|\()(.*?)\)?$", attribute)
        if found is not None:
            written = _evaluate(found.group(1), scope.get)
            if written is None or written.startswith(("/", "~")):
                return None
            return posixpath.normpath(posixpath.join(base, written))
    if base.startswith(("/", "~")):
        return None
    return posixpath.normpath(base)
