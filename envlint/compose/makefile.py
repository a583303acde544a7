"""Reading a Makefile without running make: its rules, their recipes and what make exports.

GNU make's reading phase as far as "what does this recipe run, with which variables" needs
(GNU make manual §3.7 *How make Reads a Makefile*, §6 *How to Use Variables*, §5.7.2
*Communicating Variables to a Sub-make*):

* logical lines (backslash-newline joins lines), ``#`` comments outside recipes and
  ``define`` blocks, conditionals (read through: both branches count);
* ``[export|override] define NAME [OP]`` … ``endef`` (§6.8): the body, verbatim, is NAME's value
  (a ``define`` line inside it nests, a line starting with a tab is never ``endef``);
* assignments ``=`` ``:=`` ``::=`` ``:::=`` ``?=`` ``+=`` ``!=`` (the shell's output is
  unknown), with ``export`` / ``override`` prefixes; ``export NAME …``, a bare ``export`` and
  ``.EXPORT_ALL_VARIABLES:``;
* rules: ``targets: prerequisites [; recipe]`` then recipe lines that start with a tab (their
  ``@ - +`` prefixes dropped), and target-specific assignments ``target: [export] X = v``.

A recipe sees every variable's *final* value: make expands a recipe only when it runs, after
the whole file was read.  :func:`expand` does ``$(X)`` / ``${X}``, ``$$`` and ``$(call NAME,a,b)``
(§8.8: ``$(1)`` / ``$1``, ``$(0)``); other functions (``$(shell …)``), automatic variables
(``$@``) and substitution references are :data:`UNKNOWN`.  A recipe line whose expansion has
several lines (a canned recipe, §5.8) runs each as its own command: :func:`recipe_commands`.
Used by the stack launchers (:mod:`envlint.compose.launchers`) and image provenance
(:mod:`envlint.servicecode.provenance`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

__all__ = [
    "UNKNOWN",
    "MakeDirectives",
    "MakeRule",
    "expand",
    "read_directives",
    "read_makefile",
    "read_makefile_directives",
    "recipe_commands",
]

UNKNOWN = "\x00"  # stands for a part of an expansion that cannot be known without running make

# one assignment line: [export|override ...] NAME OP value (§6.5; NAME has no blanks, : # =)
_ASSIGN = re.compile(
    r"^((?:(?:export|override)\s+)*)([A-Za-z_][A-Za-z0-9_.-]*)\s*(\?=|:::=|::=|:=|\+=|!=|=)\s*(.*)$"
)
# a define line: [export|override|private ...] define NAME [OP] (§6.8); NAME is the rest
_DEFINE = re.compile(
    r"^((?:(?:export|override|private)\s+)*)define(?:\s+(.*?))?\s*(\?=|:::=|::=|:=|\+=|!=|=)?$"
)
_CONDITIONALS = ("ifeq", "ifneq", "ifdef", "ifndef", "else", "endif")
_DIRECTIVES = ("include", "-include", "sinclude", "vpath", "unexport", "undefine", "override")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_MAX_DEPTH = 8  # nested variable references followed
_CALL = re.compile(r"call[ \t]")  # `$(call NAME,args)`: make's user-defined function


@dataclass(frozen=True, slots=True)
class MakeRule:
    """One rule with a recipe, as make would run it."""

    targets: tuple[str, ...]  # as written (pattern targets keep their ``%``)
    line: int  # where the rule is written
    recipe: tuple[tuple[int, str], ...]  # (line, command as written, ``@-+`` dropped)
    values: Mapping[str, str]  # every variable as the recipe sees it (unexpanded)
    # the variables make puts in the recipe's environment, by name, with the line that sets each
    exported: tuple[tuple[str, int], ...]
    prerequisites: tuple[str, ...] = ()  # as written (unexpanded), order-only ones included


@dataclass
class _Variables:
    values: dict[str, str] = field(default_factory=dict)
    origins: dict[str, int] = field(default_factory=dict)  # name -> line of its assignment

    def assign(self, name: str, op: str, value: str, line: int) -> None:
        self.values[name] = _assigned(op, value, self.values.get(name), self.values)
        self.origins[name] = line


def _assigned(op: str, value: str, old: str | None, values: Mapping[str, str]) -> str:
    if op == "?=":
        return value if old is None else old
    if op == "+=":
        return f"{old or ''} {value}".strip()
    if op == "!=":
        return UNKNOWN
    if op in (":=", "::=", ":::="):
        return expand(value, values)
    return value


@dataclass(frozen=True, slots=True)
class MakeDirectives:
    """What a Makefile reads and hands on besides its rules (:func:`read_directives`)."""

    # (line, a file name an ``include`` / ``-include`` / ``sinclude`` names): make's variables
    # expanded as they are set where it is written, a part not known as :data:`UNKNOWN`
    includes: tuple[tuple[int, str], ...]
    # the variables the file expands anywhere (``$(X)``, ``${X}``, ``$(X:.c=.o)``, inside a
    # function's arguments too) or tests (``ifdef X``); not ``$$X``, which is the shell's
    references: frozenset[str]
    exported: frozenset[str]  # the names ``export X`` / ``export X = v`` name
    # every variable reaches the recipes' environment: a bare ``export``,
    # ``.EXPORT_ALL_VARIABLES:``, or an ``export`` whose names make computes (``export $(shell
    # sed 's/=.*//' .env)``)
    export_all: bool
    has_recipes: bool  # a rule has a recipe: make runs programs with that environment


# a target's own assignments: name -> (operator, value, line, exported)
_TargetVars = dict[str, tuple[str, str, int, bool]]


def read_makefile(text: str, *, empty: bool = False) -> tuple[MakeRule, ...]:
    """The rules of a Makefile that have a recipe (``empty``: every rule, ``all: build`` too),
    in order (special targets such as ``.PHONY`` excluded).  Never raises."""
    return _read(text, empty)[0]


def read_directives(text: str) -> MakeDirectives:
    """What the Makefile ``text`` includes, expands and exports.  Never raises."""
    return _read(text, False)[1]


def read_makefile_directives(text: str) -> tuple[tuple[MakeRule, ...], MakeDirectives]:
    """:func:`read_makefile` and :func:`read_directives` of ``text`` from one pass."""
    return _read(text, False)


def _read(text: str, empty: bool) -> tuple[tuple[MakeRule, ...], MakeDirectives]:
    variables = _Variables()
    includes: list[tuple[int, str]] = []
    references: set[str] = set()
    named_exports: set[str] = set()
    exported: dict[str, int] = {}  # name -> line of the export
    export_all = False
    found: list[tuple[tuple[str, ...], int, list[tuple[int, str]], tuple[str, ...]]] = []
    specific: dict[str, _TargetVars] = {}
    current: list[tuple[int, str]] | None = None
    # the define being read: (its line, prefix, name, operator), its body lines, nesting
    define: tuple[int, str, str, str] | None = None
    body: list[str] = []
    nesting = 0
    special = False  # the last rule is a special target's (`.PHONY: x`): its recipe is ignored
    for number, line in _logical_lines(text):
        if define is not None:
            references.update(_referenced(line))
            word = "" if line.startswith("\t") else next(iter(line.split(None, 1)), "")
            nesting += word == "define"
            nesting -= word == "endef"
            if nesting:
                body.append(line)  # verbatim: comments, tabs and nested defines kept
                continue
            at, prefix, name, op = define
            if name:
                variables.assign(name, op, "\n".join(body), at)
                if "export" in prefix:
                    exported[name] = at
                    named_exports.add(name)
            define = None
            continue
        if line.startswith("\t") and (current is not None or special):
            references.update(_referenced(line))
            if current is not None:
                current.append((number, line.lstrip("\t").lstrip("@-+ \t")))
            continue
        # a tab-indented line with no rule before it is an ordinary line (GNU make reads
        # `ifneq (,$(wildcard .env))` / `<tab>include .env` / `endif` so)
        stripped = "" if line.lstrip().startswith("#") else line.split("#", 1)[0].strip()
        if not stripped:
            continue
        references.update(_referenced(stripped))
        first = stripped.split(None, 1)[0]
        if first in ("ifdef", "ifndef"):
            references.update(stripped.split()[1:])
        opened = _DEFINE.match(stripped)
        if opened is not None:
            prefix, name, op = opened.groups()
            define, body, nesting, current = (number, prefix, name or "", op or "="), [], 1, None
            continue
        if first in _CONDITIONALS:
            continue  # a conditional inside a rule keeps its recipe going
        special = False
        if stripped in ("export", ".EXPORT_ALL_VARIABLES:"):
            export_all, current = True, None
            continue
        assignment = _ASSIGN.match(stripped)
        if assignment is not None:
            prefix, name, op, value = assignment.groups()
            variables.assign(name, op, value.strip(), number)
            if "export" in prefix:
                exported[name] = number
                named_exports.add(name)
            current = None
            continue
        if first == "export":
            listed = expand(stripped, variables.values).split()[1:]
            if any(UNKNOWN in name for name in listed):
                export_all = True  # `export $(shell sed 's/=.*//' .env)`: names not known
            named_exports.update(listed)
            exported.update(dict.fromkeys(stripped.split()[1:], number))
            current = None
            continue
        if first in ("include", "-include", "sinclude"):
            words = expand(stripped, variables.values).split()[1:]
            includes.extend((number, word) for word in words)
        if first in _DIRECTIVES:
            current = None
            continue
        head, colon, rest = stripped.partition(":")
        if not colon or rest.startswith("="):
            current = None
            continue
        rest = rest.lstrip(":")
        targets = tuple(head.split())
        target_assign = _ASSIGN.match(rest.strip())
        if target_assign is not None:  # `target: export X = v`: a target-specific variable
            prefix, name, op, value = target_assign.groups()
            for target in targets:
                per = specific.setdefault(target, {})
                per[name] = (op, value.strip(), number, "export" in prefix)
                if "export" in prefix:
                    named_exports.add(name)
            current = None
            continue
        if not targets or all(t.startswith(".") for t in targets):
            current, special = None, True  # .PHONY, .SUFFIXES ...: not something a user runs
            continue
        current = []
        prerequisites, semicolon, inline = rest.partition(";")  # `up: deps ; docker compose up`
        if semicolon and inline.strip():
            current.append((number, inline.strip().lstrip("@-+ \t")))
        needs = tuple(w for w in prerequisites.split() if w != "|")
        found.append((targets, number, current, needs))
    rules = []
    for targets, number, recipe, needs in found:
        if not recipe and not empty:
            continue
        own = {name: spec for t in targets for name, spec in specific.get(t, {}).items()}
        values = dict(variables.values)
        for name, (op, value, _, _) in own.items():
            values[name] = _assigned(op, value, values.get(name), values)
        names = {
            n: variables.origins.get(n, at)
            for n, at in exported.items()
            if n in variables.values
        }
        if export_all:
            names.update({n: at for n, at in variables.origins.items() if n not in names})
        for name, (_, _, at, export) in own.items():
            if export or export_all or name in exported:
                names[name] = at
        rules.append(
            MakeRule(
                targets,
                number,
                tuple(recipe),
                MappingProxyType(values),
                tuple(sorted(names.items())),
                needs,
            )
        )
    directives = MakeDirectives(
        tuple(includes),
        frozenset(references),
        frozenset(named_exports),
        export_all,
        any(recipe for _, _, recipe, _ in found),
    )
    return tuple(rules), directives


def _referenced(text: str) -> Iterator[str]:
    """The variables ``text`` expands: ``$(X)`` / ``${X}`` / ``$(X:a=b)`` wherever they are
    written (a function's arguments too: ``$(if $(X),…)``); ``$$`` is a literal ``$``."""
    i, n = 0, len(text)
    while i < n - 1:
        if text[i] != "$":
            i += 1
            continue
        if text[i + 1] == "$":
            i += 2
            continue
        if text[i + 1] in "({":
            closing = ")" if text[i + 1] == "(" else "}"
            name = _NAME.match(text, i + 2)
            if name is not None and text[name.end() : name.end() + 1] in (closing, ":"):
                yield name.group()
        i += 2


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """Logical lines (backslash continuations joined) with their first line number."""
    pending: list[str] = []
    start = 1
    for number, line in enumerate(text.splitlines(), 1):
        if not pending:
            start = number
        if line.endswith("\\"):
            pending.append(line[:-1])
            continue
        pending.append(line)
        yield start, " ".join(part if i == 0 else part.lstrip() for i, part in enumerate(pending))
        pending = []
    if pending:
        yield start, " ".join(pending)


def expand(
    text: str, values: Mapping[str, str], *, undefined: str = "", depth: int = 0
) -> str:
    """make's ``$(X)`` / ``${X}`` (recursively), ``$$`` -> ``$`` and ``$(call NAME,a,b)``;
    other functions, automatic variables and substitution references become :data:`UNKNOWN`.
    An undefined variable is ``undefined`` (make's own answer is empty; a caller that knows it
    may come from make's command line or environment passes :data:`UNKNOWN`)."""
    return _expand(text, values, undefined, depth, None)


def recipe_commands(
    line: str, values: Mapping[str, str], *, undefined: str = ""
) -> tuple[str, ...]:
    """The commands one recipe line (:attr:`MakeRule.recipe`) runs, each in its own shell:
    the line expanded, split where the expansion has a newline (a canned recipe, GNU make
    §5.8: ``$(call NAME,…)`` or ``$(NAME)`` of a ``define`` runs each line of its body as a
    recipe line), each command's leading blanks and ``@ - +`` prefixes dropped, as make
    drops them after expanding.  Empty commands are left out."""
    parts = expand(line, values, undefined=undefined).split("\n")
    return tuple(cmd for part in parts if (cmd := part.lstrip("@-+ \t").rstrip()))


# GNU make's functions: `$(call info,x)` runs the function, never a variable of that name
_FUNCTIONS = frozenset(
    (
        "abspath", "addprefix", "addsuffix", "and", "basename", "call", "dir", "error", "eval",
        "file", "filter", "filter-out", "findstring", "firstword", "flavor", "foreach", "guile",
        "if", "info", "intcmp", "join", "lastword", "let", "notdir", "or", "origin", "patsubst",
        "realpath", "shell", "sort", "strip", "subst", "suffix", "value", "warning", "wildcard",
        "word", "wordlist", "words",
    )
)  # fmt: skip


def _expand(
    text: str,
    values: Mapping[str, str],
    undefined: str,
    depth: int,
    args: Mapping[str, str] | None,  # inside `$(call …)`: `$(0)`, `$(1)` … as bound
) -> str:
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch != "$" or i + 1 >= n:
            out.append(ch)
            i += 1
            continue
        nxt = text[i + 1]
        if nxt == "$":
            out.append("$")
            i += 2
            continue
        if nxt not in "({":
            if args is not None and nxt in "0123456789":
                out.append(args.get(nxt, ""))  # `$1` inside a call
            else:
                out.append(UNKNOWN)  # $@, $<, $^, $* and one-letter variables
            i += 2
            continue
        closing = ")" if nxt == "(" else "}"
        level, j = 0, i + 1
        while j < n:
            if text[j] == nxt:
                level += 1
            elif text[j] == closing:
                level -= 1
                if level == 0:
                    break
            j += 1
        inner = text[i + 2 : j]
        closed = j < n
        i = j + 1
        if not closed or depth > _MAX_DEPTH:
            out.append(UNKNOWN)  # make stops: "unterminated variable reference"; a loop
            continue
        if _CALL.match(inner):
            out.append(_call(inner[5:], nxt, closing, values, undefined, depth, args))
            continue
        if args is not None and inner.isascii() and inner.isdigit():
            out.append(args.get(inner, ""))  # an argument: its value as passed, not re-expanded
            continue
        if " " in inner or "," in inner or ":" in inner or "$" in inner:
            out.append(UNKNOWN)  # $(shell ...), $(subst ...), $(X:.c=.o), $($(X))
            continue
        value = values.get(inner)
        if value is None:
            out.append(undefined)
            continue
        out.append(_expand(value, values, undefined, depth + 1, args))
    return "".join(out)


def _call(
    text: str,
    opening: str,
    closing: str,
    values: Mapping[str, str],
    undefined: str,
    depth: int,
    args: Mapping[str, str] | None,
) -> str:
    """``$(call NAME,a,b)`` (``text``: what follows ``call``): NAME's value expanded with
    ``$(0)`` = NAME and ``$(1)``, ``$(2)`` … = the arguments, expanded where the call is
    written (GNU make §8.8); an argument not passed is empty.  :data:`UNKNOWN` when NAME is
    not a variable of the Makefile, one of make's functions, or not known."""
    words: list[str] = []
    level, start = 0, 0
    for k, ch in enumerate(text):  # commas split arguments outside nested references
        if ch == opening:
            level += 1
        elif ch == closing:
            level -= 1
        elif ch == "," and level == 0:
            words.append(text[start:k])
            start = k + 1
    words.append(text[start:])
    name = _expand(words[0], values, undefined, depth, args).strip()
    body = values.get(name)
    if body is None or name in _FUNCTIONS or UNKNOWN in name:
        return UNKNOWN
    bound = {str(k): _expand(w, values, undefined, depth, args) for k, w in enumerate(words)}
    bound["0"] = name  # `$(0)`: the name, not the word that computed it
    return _expand(body, values, undefined, depth + 1, bound)
