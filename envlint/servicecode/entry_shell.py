"""Reading POSIX shell text without running it: simple commands, their words and how they chain.

Used for what containers and builds run: ``sh -c "..."`` strings, shell-form ``RUN`` / ``CMD`` /
``ENTRYPOINT``, wrapper scripts (``docker-entrypoint.sh``), package.json scripts, CI ``run:``
steps and Makefile recipes.  It follows the POSIX Shell Command Language grammar (2.3 token
recognition, 2.6 expansions, 2.9 commands) as far as telling *what runs* needs:

* quoting: ``'...'``, ``"..."`` (``\\`` escapes ``$ ` " \\`` and newline), ``$'...'``,
  backslash, line continuations; ``#`` comments at the start of a word;
* operators ``&& || ; ;; & | |& ( )`` and newlines; redirections (``> >> < 2>&1 &> <<<``) are
  kept apart from the words with their target (:attr:`ShellCommand.redirects`), and
  a here-document's body (``<<EOF`` … ``EOF``) is the text of its ``<<`` redirection's target,
  taken literally (``cat > .env <<EOF``: what the file gets, :mod:`envlint.compose.launchers`);
* reserved words at the start of a command (``if then elif else fi case esac for while until
  do done { } !``) and function definitions nest: a command's ``depth`` says whether it runs
  unconditionally at the top level (0) or inside a conditional, loop, group or function; an
  ``if``'s scope says which one (each gets a number) and which part of it: a test (``N/if``,
  ``N/elif2``), a branch (``N/then1``, ``N/then2`` after an ``elif``) or ``N/else``;
* parameter expansion: ``$X`` / ``${X}`` / ``${X:-d}`` / ``${X-d}`` / ``${X:+a}`` / ``${X:=d}``
  from a lookup and from earlier top-level assignments (``X=1``, ``export X=1``); anything else
  (``$(...)``, backquotes, ``$((...))``, ``${X#p}``, an unknown name) makes the word
  *unresolved*, rendered with ``*`` in its place; ``$@`` / ``"$@"`` / ``$*`` are marked; a
  positional parameter (``$1``, ``${2:-d}``) and ``$0`` are names the lookup is asked for
  (``"1"``, ``"0"``).  A name the text sets at the top level to a value only partly known
  (``DC="docker compose -f test-$2.yml"``, ``X=$(cmd)``) keeps its known parts (``$DC`` is
  ``docker compose -f test-*.yml``, unresolved), and the lookup is no longer asked for it;
* bash arrays: ``NAME=(a b)``, ``NAME+=(c)`` at the top level make ``"${NAME[@]}"`` one word
  per element; after an assignment under a loop, branch or function (``for x in …; do
  files+=(-f "$x.yml"); done``) it is still its top-level elements, and the command notes
  where it may have more or other ones (:attr:`ShellCommand.gaps`).

An unquoted ``$X`` whose value is only partly known is split into fields at the blanks of its
known text (the default ``IFS``; an unknown part stays within its field), unless that text holds
a glob character.  There is no other field splitting (callers split a known value that holds
blanks where it matters: :mod:`envlint.compose.launchers`), no globbing and no alias expansion.
A positional parameter (``$1``) the ``lookup`` knows is not used inside a function's definition
(the function's own argument) nor after a ``shift``/``set --``/``getopts`` outside one; ``"$@"``
stays as it is (the service-code reader counts shifts itself; the launchers reader does not, a
known gap).  Never raises; nothing is executed.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

__all__ = [
    "REPO_ROOT",
    "SCRIPT_DIR",
    "SHELLS",
    "ShellCommand",
    "Word",
    "parse_shell",
    "runner_file",
    "shebang_program",
    "split_words",
    "written_to",
]

Lookup = Callable[[str], str | None]

_OPERATORS = ("&&", "||", ";;", "|&", "&>>", "&>", ">>", "<<<", "<<-", "<<", ">&", "<&", ">|")
_SINGLE = ";&|()<>"
_REDIRECTS = frozenset(("&>>", "&>", ">>", "<<<", ">&", "<&", ">|", ">", "<"))
_CONNECTORS = frozenset(("&&", "||", ";", ";;", "&", "|", "|&", "\n", "(", ")"))
_SEPARATOR_WORDS = frozenset(("then", "elif", "else", "do", "!", "in", "time"))
_MAX_LEN = 1_000_000  # longer input is cut here (a script this long is not a wrapper)
# The name a lookup is asked for the directory of the running script (``$(dirname "$0")``):
# not a shell variable name, so no script can set it
SCRIPT_DIR = "0/dir"
# The name a lookup is asked for the top of the repository (``$(git rev-parse --show-toplevel)``)
REPO_ROOT = "0/top"
# The POSIX-like shells a container runs by name (``sh -c``, ``bash script.sh``, a bare ``bash``)
SHELLS = frozenset(("sh", "bash", "ash", "dash", "zsh", "ksh"))


@dataclass(frozen=True, slots=True)
class Word:
    """One word after quote removal and the expansions that could be made."""

    text: str  # an expansion that could not be made is a ``*``; ``$@`` / ``$*`` are ``$@``
    unresolved: bool = False
    all_args: bool = False  # the word is exactly ``$@`` / ``"$@"`` / ``${@}`` / ``$*``
    line: int = 1  # 1-based line of the word's start in the parsed text
    raw: str = ""  # as written (quotes and ``$X`` kept): what messages show, never a value
    first_arg: int = 1  # with ``all_args``: the argument it starts at (``"${@:2}"``: 2)
    # a field after the first of an unquoted ``$X`` split into several (``raw`` is the same)
    more: bool = False


@dataclass(frozen=True, slots=True)
class ShellCommand:
    """One simple command: leading ``NAME=value`` assignments and its words."""

    words: tuple[Word, ...]
    assignments: tuple[tuple[str, str], ...]
    connector: str  # the operator that ends it: "&&", "||", ";", "&", "|", "\n" or "" (the end)
    depth: int  # 0: runs at the top level; more: inside if/case/loops/groups/functions
    line: int
    # the constructs around it, outermost first: ("if", "N/part") (the Nth if of the text, part
    # "if"/"elifK" for a test, "thenK" for the Kth branch, "else"), ("loop", keyword), ("case",
    # subject as written), ("branch", "pat1|pat2"), ("group", "N"), ("function", name),
    # ("subshell", "N") (``N``: the position of the group's first command in the text's)
    scopes: tuple[tuple[str, str], ...] = ()
    # its redirections in order: the operator (">", ">>", "<", "&>", "<<" ...) and the target
    # word, expanded like the command's words (``>> "$GITHUB_ENV"``)
    redirects: tuple[tuple[str, Word], ...] = ()
    # inside a group or subshell that is started in the background (``{ a; b; } &``: both;
    # the group's last command takes the ``&`` as its ``connector``)
    background: bool = False
    # where an array changed under a loop, branch or function was expanded (``"${files[@]}"``
    # after ``for x in …; do files+=(-f "$x.yml"); done``): the index in ``words`` after its
    # elements as known at the top level, where it may have more or other elements
    gaps: tuple[int, ...] = ()

    @property
    def argv(self) -> tuple[str, ...]:
        return tuple(w.text for w in self.words)

    @property
    def written(self) -> str:
        """The command's words as written (no expansion, no assignments): safe to show."""
        return " ".join(w.raw or w.text for w in self.words if not w.more)


# --------------------------------------------------------------------------- tokens

# ("lit", text) | ("var", name, op, default-raw) | ("unknown",) | ("args", first) | ("array", name)
# | ("dirname", word-raw) (``$(dirname WORD)``) | ("cd", word-raw) (``$(cd WORD && pwd)``)
# (``first``: the first argument the expansion starts at, "1" but for bash's ``${@:N}``)
_Part = tuple[str, ...]
# a value only partly known, in order: (text, known); an unknown part's text is "*"
_Segments = tuple[tuple[str, bool], ...]


@dataclass
class _Token:
    kind: str  # "word" or "op"
    text: str  # operator text; for words the raw text
    line: int
    parts: list[_Part] = field(default_factory=list)
    elements: list[_Token] | None = None  # `NAME=(a b c)`: the array's words


class _Lexer:
    def __init__(self, text: str) -> None:
        self.text = text[:_MAX_LEN]
        self.pos = 0
        self.line = 1
        self.tokens: list[_Token] = []
        # (delimiter, strip tabs, the `<<` target token that gets the body)
        self.pending_heredocs: list[tuple[str, bool, _Token]] = []

    def run(self) -> list[_Token]:
        text, n = self.text, len(self.text)
        while self.pos < n:
            ch = text[self.pos]
            if ch in " \t\r":
                self.pos += 1
            elif ch == "\\" and text.startswith("\\\n", self.pos):
                self.pos += 2
                self.line += 1
            elif ch == "\n":
                self.op("\n")
                self.pos += 1
                self.line += 1
                self.read_heredoc_bodies()
            elif ch == "#":
                end = text.find("\n", self.pos)
                self.pos = n if end < 0 else end
            elif ch in _SINGLE:
                self.operator()
            else:
                self.word()
        return self.tokens

    def op(self, text: str) -> None:
        self.tokens.append(_Token("op", text, self.line))

    def operator(self) -> None:
        text = self.text
        for candidate in _OPERATORS:
            if text.startswith(candidate, self.pos):
                self.pos += len(candidate)
                if candidate in ("<<", "<<-"):
                    self.heredoc_start(candidate == "<<-")
                    return
                self.op(candidate)
                return
        self.op(text[self.pos])
        self.pos += 1

    def heredoc_start(self, strip_tabs: bool) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in " \t":
            self.pos += 1
        token = self.read_word()
        delimiter = "".join(p[1] for p in token.parts if p[0] == "lit") or token.text
        self.op("<<")
        target = _Token("word", "", self.line, [("lit", "")])
        self.tokens.append(target)
        self.pending_heredocs.append((delimiter, strip_tabs, target))

    def read_heredoc_bodies(self) -> None:
        text = self.text
        while self.pending_heredocs:
            delimiter, strip_tabs, target = self.pending_heredocs.pop(0)
            body: list[str] = []
            while self.pos < len(text):
                end = text.find("\n", self.pos)
                end = len(text) if end < 0 else end
                line = text[self.pos : end]
                self.pos = min(end + 1, len(text))
                self.line += 1
                line = line.lstrip("\t") if strip_tabs else line
                if line == delimiter:
                    break
                body.append(line)
            target.text = "\n".join(body) + ("\n" if body else "")
            target.parts = [("lit", target.text)]

    def word(self) -> None:
        token = self.read_word()
        # `2>file`, `2>&1`: a number right before a redirection is its file descriptor
        if token.text.isdigit() and self.pos < len(self.text) and self.text[self.pos] in "<>":
            return
        if token.text.endswith("=") and self.text.startswith("(", self.pos):
            token.elements = self.array()  # `files=(-f a.yml -f b.yml)`
        self.tokens.append(token)

    def array(self) -> list[_Token]:
        """The words of an array assignment's ``( ... )``, after the ``(``."""
        text, n = self.text, len(self.text)
        self.pos += 1
        elements: list[_Token] = []
        while self.pos < n:
            ch = text[self.pos]
            if ch in " \t\r\n":
                self.line += ch == "\n"
                self.pos += 1
            elif ch == ")":
                self.pos += 1
                break
            elif ch == "#":
                end = text.find("\n", self.pos)
                self.pos = n if end < 0 else end
            else:
                start = self.pos
                element = self.read_word()
                if self.pos == start:  # an operator character inside: not a plain array
                    self.pos += 1
                    continue
                elements.append(element)
        return elements

    def read_word(self) -> _Token:
        text, n = self.text, len(self.text)
        start, line = self.pos, self.line
        parts: list[_Part] = []
        literal: list[str] = []

        def flush() -> None:
            if literal:
                parts.append(("lit", "".join(literal)))
                literal.clear()

        while self.pos < n:
            ch = text[self.pos]
            if ch in " \t\r\n" or (ch in _SINGLE):
                break
            if ch == "\\":
                if self.pos + 1 < n:
                    if text[self.pos + 1] == "\n":
                        self.line += 1
                    else:
                        literal.append(text[self.pos + 1])
                self.pos += 2
            elif ch == "'":
                end = text.find("'", self.pos + 1)
                end = n if end < 0 else end
                literal.append(text[self.pos + 1 : end])
                self.line += text.count("\n", self.pos, end)
                self.pos = end + 1
            elif ch == "$" and text.startswith("$'", self.pos):
                end = self.pos + 2
                while end < n and text[end] != "'":
                    end += 2 if text[end] == "\\" else 1
                literal.append(text[self.pos + 2 : min(end, n)])
                self.pos = end + 1
            elif ch == '"':
                self.pos += 1
                flush()
                self.double(parts)
            elif ch == "$":
                flush()
                parts.append(self.expansion())
            elif ch == "`":
                flush()
                end = self.pos + 1
                while end < n and text[end] != "`":
                    end += 2 if text[end] == "\\" else 1
                self.line += text.count("\n", self.pos, min(end, n))
                parts.append(("unknown", text[self.pos : end + 1]))
                self.pos = end + 1
            else:
                literal.append(ch)
                self.pos += 1
        flush()
        return _Token("word", text[start : self.pos], line, parts)

    def double(self, parts: list[_Part]) -> None:
        text, n = self.text, len(self.text)
        literal: list[str] = []
        while self.pos < n:
            ch = text[self.pos]
            if ch == '"':
                self.pos += 1
                break
            if ch == "\\" and self.pos + 1 < n and text[self.pos + 1] in '$`"\\\n':
                if text[self.pos + 1] == "\n":
                    self.line += 1
                else:
                    literal.append(text[self.pos + 1])
                self.pos += 2
            elif ch == "$":
                if literal:
                    parts.append(("lit", "".join(literal)))
                    literal = []
                parts.append(self.expansion())
            elif ch == "`":
                if literal:
                    parts.append(("lit", "".join(literal)))
                    literal = []
                end = self.pos + 1
                while end < n and text[end] != "`":
                    end += 2 if text[end] == "\\" else 1
                parts.append(("unknown", text[self.pos : end + 1]))
                self.pos = end + 1
            else:
                if ch == "\n":
                    self.line += 1
                literal.append(ch)
                self.pos += 1
        parts.append(("lit", "".join(literal)))

    def expansion(self) -> _Part:
        """A ``$...`` at ``self.pos``, with its source text as the part's last element."""
        start = self.pos
        self.pos += 1
        part = self.dollar()
        return part if part[0] == "lit" else (*part, self.text[start : self.pos])

    def dollar(self) -> _Part:
        text, n = self.text, len(self.text)
        if self.pos >= n:
            return ("lit", "$")
        ch = text[self.pos]
        if ch == "(":
            start = self.pos
            self.pos = _balanced(text, self.pos, "(", ")")
            inner = text[start + 1 : self.pos - 1]
            if _is_script_dir(inner):
                return ("var", SCRIPT_DIR, "", "")  # the caller's lookup knows it, or not
            return _path_of(inner)
        if ch == "{":
            end = _balanced(text, self.pos, "{", "}")
            inner = text[self.pos + 1 : end - 1]
            self.pos = end
            return _brace(inner)
        if ch in "@*":
            self.pos += 1
            return ("args", "1")
        if ch in "0123456789":  # a positional parameter or `$0`: the caller's lookup may know it
            self.pos += 1
            return ("var", ch, "", "")
        if ch in "#?$!-":
            self.pos += 1
            return ("unknown",)
        start = self.pos
        while self.pos < n and (text[self.pos].isalnum() or text[self.pos] == "_"):
            self.pos += 1
        if self.pos == start:
            return ("lit", "$")
        return ("var", text[start : self.pos], "", "")


# How a script names itself, and the commands that resolve a path without changing its directory
_SELF = frozenset({"$0", "${0}", "${BASH_SOURCE[0]}", "${BASH_SOURCE}", "$BASH_SOURCE"})
_RESOLVE = frozenset({("realpath",), ("readlink", "-f"), ("readlink", "-e"), ("readlink", "-m")})


def _is_script_dir(inner: str) -> bool:
    """Whether ``$(inner)`` is the directory of the script that runs it: ``dirname "$0"`` (or
    ``${BASH_SOURCE[0]}``), of ``$0`` resolved (``$(realpath "$0")``, ``readlink -f``), itself
    resolved (``realpath "$(dirname "$0")"``) or printed after going there (``cd "$(dirname
    "$0")" && pwd -P``).  Symbolic links are not followed: the script's path as the command
    names it."""
    if inner.startswith("(") or len(inner) > 200:
        return False  # arithmetic, or more than such an idiom
    commands = [c for c in parse_shell(inner, literal=True) if c.argv]
    if not commands or any(c.assignments or c.scopes for c in commands):
        return False
    argv = commands[0].argv
    if len(commands) == 1:
        operands = [a for a in argv[1:] if a != "--"]
        if argv[0] == "dirname" and len(operands) == 1:
            return _names_self(operands[0])
        flags = tuple(a for a in argv if a.startswith("-"))
        resolves = (argv[0], *flags) in _RESOLVE and len(operands) - len(flags) == 1
        return resolves and _names_dir(operands[-1])
    pwd = commands[1].argv
    return (
        len(commands) == 2
        and commands[0].connector in (";", "&&")
        and argv[0] == "cd"
        and len(argv) == 2
        and _names_dir(argv[1])
        and pwd[0] == "pwd"
        and all(a in ("-P", "-L") for a in pwd[1:])
    )


def _path_of(inner: str) -> _Part:
    """``$(inner)`` when it prints a path that can be known from a word: ``dirname WORD``
    (``("dirname", WORD)``), ``cd WORD && pwd`` (``("cd", WORD)``: known when WORD is an
    absolute path) or ``git rev-parse --show-toplevel`` (the name :data:`REPO_ROOT` the caller's
    lookup is asked for); any other command substitution is not known."""
    if inner.startswith("(") or len(inner) > 200:
        return ("unknown",)
    commands = [c for c in parse_shell(inner, literal=True) if c.argv]
    if not commands or any(c.assignments or c.scopes or c.redirects for c in commands):
        return ("unknown",)
    argv = commands[0].argv
    raw = [w.raw or w.text for w in commands[0].words]
    if len(commands) == 1:
        operands = [a for a in raw[1:] if a != "--"]
        if argv[0] == "dirname" and len(operands) == 1 and not operands[0].startswith("-"):
            return ("dirname", operands[0])
        if argv == ("git", "rev-parse", "--show-toplevel"):
            return ("var", REPO_ROOT, "", "")
        return ("unknown",)
    pwd = commands[1].argv
    if (
        len(commands) == 2
        and commands[0].connector in (";", "&&")
        and argv[0] == "cd"
        and len(argv) == 2
        and not argv[1].startswith("-")
        and pwd[0] == "pwd"
        and all(a in ("-P", "-L") for a in pwd[1:])
    ):
        return ("cd", raw[1])
    return ("unknown",)


def _names_self(word: str) -> bool:
    """``$0`` or the like, or it resolved: ``$(realpath "$0")``."""
    if word in _SELF:
        return True
    if not (word.startswith("$(") and word.endswith(")")):
        return False
    commands = [c for c in parse_shell(word[2:-1], literal=True) if c.argv]
    if len(commands) != 1:
        return False
    argv = commands[0].argv
    flags = tuple(a for a in argv if a.startswith("-"))
    return (argv[0], *flags) in _RESOLVE and len(argv) == 2 + len(flags) and argv[-1] in _SELF


def _names_dir(word: str) -> bool:
    return word.startswith("$(") and word.endswith(")") and _is_script_dir(word[2:-1])


def _balanced(text: str, start: int, opening: str, closing: str) -> int:
    """The offset after the ``closing`` that matches ``text[start] == opening`` (quotes
    skipped); the end of the text when there is none."""
    depth, i, n = 0, start, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "'" and opening == "(":
            end = text.find("'", i + 1)
            i = n if end < 0 else end + 1
            continue
        if ch == opening:
            depth += 1
        elif ch == closing:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return n


def _brace(inner: str) -> _Part:
    if inner in ("@", "*"):
        return ("args", "1")
    if inner[:3] in ("@:-", "*:-", "@:=") or inner[:2] in ("@-", "*-"):
        return ("args", "1")  # `${@:-help}`: the arguments (their default is not followed)
    if inner[:2] in ("@:", "*:") and inner[2:].isdigit() and int(inner[2:]) >= 1:
        return ("args", str(int(inner[2:])))  # bash's `${@:2}`: from the second argument on
    if inner.endswith(("[@]", "[*]")) and inner[:-3].isidentifier():
        return ("array", inner[:-3])
    name_end = 0
    while name_end < len(inner) and (inner[name_end].isalnum() or inner[name_end] == "_"):
        name_end += 1
    name = inner[:name_end]
    positional = name.isdigit() and (name == "0" or name[0] != "0")  # ${0}, ${1}, ${2:-d}
    if not name or (name[0].isdigit() and not positional):
        return ("unknown",)
    rest = inner[name_end:]
    if not rest:
        return ("var", name, "", "")
    for op in (":-", ":=", ":+", "-", "=", "+"):
        if rest.startswith(op):
            return ("var", name, op, rest[len(op) :])
    return ("unknown",)  # ${X#p}, ${X%p}, ${X/a/b}, ${X:?m}, ${#X}: not evaluated


# --------------------------------------------------------------------------- commands


def _expand(
    token: _Token,
    variables: Mapping[str, str],
    lookup: Lookup | None,
    literal: bool = False,
    partial: Mapping[str, _Segments] | None = None,
) -> Word:
    """The word ``token`` is, with ``variables`` known and ``partial`` the ones whose value
    is only partly known (each unknown part a ``*``; with an operator, ``${X:-d}``, the whole
    expansion is unknown)."""
    partial = partial or {}
    out: list[str] = []
    unresolved = False
    first = next((int(p[1]) for p in token.parts if p[0] == "args"), 1)
    only_args = bool(token.parts) and all(
        p[0] == "args" or (p[0] == "lit" and not p[1]) for p in token.parts
    )
    for part in token.parts:
        kind = part[0]
        if kind == "lit":
            out.append(part[1])
        elif literal:
            out.append(part[-1])  # as written: no shell expands it
        elif kind == "var" and part[1] in partial and part[1] not in variables:
            unresolved = True
            out.append(_rendered(partial[part[1]]) if not part[2] else "*")
        elif kind == "var":
            name, op, default = part[1], part[2], part[3]
            value = variables.get(name)
            if value is None and lookup is not None:
                value = lookup(name)
            if op in (":-", ":="):
                if value:
                    out.append(value)
                else:
                    word = _word_of(default, variables, lookup, partial)  # the default applies
                    unresolved = unresolved or word.unresolved
                    out.append(word.text)
                continue
            if op in ("-", "="):
                if value is not None:
                    out.append(value)
                else:
                    word = _word_of(default, variables, lookup, partial)
                    unresolved = unresolved or word.unresolved
                    out.append(word.text)
                continue
            if op == ":+":
                if value is None:
                    unresolved = True
                    out.append("*")
                elif value:
                    word = _word_of(default, variables, lookup, partial)
                    unresolved = unresolved or word.unresolved
                    out.append(word.text)
                continue
            if op == "+":
                if value is None:
                    unresolved = True
                    out.append("*")
                else:
                    word = _word_of(default, variables, lookup, partial)
                    unresolved = unresolved or word.unresolved
                    out.append(word.text)
                continue
            if value is None:
                unresolved = True
                out.append("*")
            else:
                out.append(value)
        elif kind in ("dirname", "cd"):
            word = _word_of(part[1], variables, lookup, partial)
            path = word.text
            if word.unresolved or not path or (kind == "cd" and not path.startswith("/")):
                unresolved = True
                out.append("*")
            elif kind == "cd":
                out.append(posixpath.normpath(path))
            else:
                out.append(posixpath.dirname(path.rstrip("/") or "/") or ".")
        elif kind == "args":
            unresolved = True
            out.append("$@")
        else:
            unresolved = True
            out.append("*")
    return Word(
        "".join(out), unresolved and not only_args, only_args, token.line, token.text, first
    )


def _array_of(token: _Token) -> str | None:
    """The array a word is exactly the expansion of (``"${files[@]}"``), if any."""
    arrays = [p[1] for p in token.parts if p[0] == "array"]
    rest = [p for p in token.parts if p[0] != "array" and not (p[0] == "lit" and not p[1])]
    return arrays[0] if len(arrays) == 1 and not rest else None


def _word_of(
    raw: str,
    variables: Mapping[str, str],
    lookup: Lookup | None,
    partial: Mapping[str, _Segments] | None = None,
) -> Word:
    lexer = _Lexer(raw)
    token = lexer.read_word()
    return _expand(token, variables, lookup, partial=partial)


def _segments(
    token: _Token,
    variables: Mapping[str, str],
    lookup: Lookup | None,
    partial: Mapping[str, _Segments],
) -> _Segments:
    """The value of an assignment word as text known and not known, in order
    (``"docker compose -f a-$2.yml"``: known ``docker compose -f a-``, one part not known,
    known ``.yml``)."""
    out: list[tuple[str, bool]] = []
    for part in token.parts:
        if part[0] == "lit":
            out.append((part[1], True))
        elif part[0] == "var" and not part[2] and part[1] in partial and part[1] not in variables:
            out.extend(partial[part[1]])
        else:
            alone = _Token("word", "", token.line, [part])
            word = _expand(alone, variables, lookup, partial=partial)
            out.append((word.text, True) if not word.unresolved else ("*", False))
    return tuple(out)


def _rendered(segments: _Segments) -> str:
    return "".join(text if known else "*" for text, known in segments)


_IFS = re.compile(r"[ \t\n]+")


def _fields(segments: _Segments, token: _Token) -> list[Word] | None:
    """The fields an unquoted ``$X`` whose value is ``segments`` is split into (the default
    ``IFS``: blanks in its known text end a field; a part not known stays inside its field,
    as the ``*`` of an unresolved word); None when its known text holds a glob character
    (the shell would match it against files)."""
    if any(known and any(c in text for c in "*?[") for text, known in segments):
        return None
    fields: list[Word] = []
    current: list[str] = []
    unknown = False

    def end() -> None:
        nonlocal unknown
        if current:
            more = bool(fields)
            fields.append(
                Word("".join(current), unknown, line=token.line, raw=token.text, more=more)
            )
        current.clear()
        unknown = False

    for text, known in segments:
        if not known:
            current.append("*")
            unknown = True
            continue
        pieces = _IFS.split(text)
        for index, piece in enumerate(pieces):
            if index:
                end()
            if piece:
                current.append(piece)
    end()
    return fields


def _assignment(token: _Token) -> str | None:
    """The name when the word is ``NAME=...`` (an assignment at command start)."""
    target = _target(token)
    return target[0] if target is not None and target[1] == "=" else None


def _target(token: _Token) -> tuple[str, str, str] | None:
    """(name, operator, as written before the value) when the word assigns: ``NAME=v``
    (``=``), bash's ``NAME+=v`` / ``NAME+=(a b)`` (``+=``) and ``NAME[i]=v`` /
    ``NAME[i]+=v`` (``[]``: one element of an array).  None for any other word."""
    text = token.text
    eq = text.find("=")
    if eq <= 0 or not token.parts or token.parts[0][0] != "lit":
        return None
    lhs = text[:eq]
    if not token.parts[0][1].startswith(lhs + "="):  # the `=` is quoted or expanded
        return None
    append = lhs.endswith("+")
    base = lhs[:-1] if append else lhs
    indexed = base.endswith("]") and "[" in base
    name = base[: base.index("[")] if indexed else base
    if not name or not (name[0].isalpha() or name[0] == "_"):
        return None
    if not all(c.isalnum() or c == "_" for c in name):
        return None
    return name, "[]" if indexed else "+=" if append else "=", lhs


def _value_token(token: _Token, name: str) -> _Token:
    """The value part of an assignment word (its parts without the leading ``NAME=``, or
    whatever :func:`_target` read before the value)."""
    parts = list(token.parts)
    target = _target(token)
    prefix = len(target[2]) + 1 if target is not None else len(name) + 1
    if parts and parts[0][0] == "lit":
        first = parts[0][1]
        parts[0] = ("lit", first[prefix:])
    return _Token("word", token.text[prefix:], token.line, parts)


def parse_shell(
    text: str, lookup: Lookup | None = None, *, literal: bool = False, calls: bool = False
) -> tuple[ShellCommand, ...]:
    """The simple commands of ``text`` in order (see the module doc).  Never raises.

    ``literal``: no parameter expansion at all (``$X`` stays ``$X``), for text that is split
    into words but never run by a shell (compose's string ``command:``).  ``calls``: a call
    of a function the text defined before it is followed by its body's commands
    (:meth:`_Parser.call`)."""
    return _Parser(_Lexer(text).run(), lookup, literal, calls).run()


def _if_part(value: str, word: str) -> str:
    """The scope value of an if after ``then`` / ``elif`` / ``else``: ``3/if`` -> ``3/then1``
    -> ``3/elif2`` -> ``3/then2`` -> ``3/else``."""
    number, _, part = value.partition("/")
    if word == "else":
        return f"{number}/else"
    count = int(part[4:] or "1") if part.startswith(("then", "elif")) else 1
    if word == "elif":
        return f"{number}/elif{count + 1}"
    return f"{number}/then{count}"


_CALL_TOKENS = 50_000  # a text whose calls read more tokens than this: the rest not followed
_CALL_DEPTH = 3  # calls followed one in another (`start) dia_start` -> `dc up` -> `docker-compose`)
_CLOSES = {"fi": ("if",), "done": ("loop",), "esac": ("case",), "}": ("group", "function")}


class _Parser:
    """Simple commands with the constructs around them (a stack of scopes)."""

    def __init__(
        self,
        tokens: list[_Token],
        lookup: Lookup | None,
        literal: bool,
        calls: bool = False,
        args: tuple[Word, ...] | None = None,
    ) -> None:
        self.tokens = tokens
        self.lookup = lookup
        self.literal = literal
        self.calls = calls  # a call of a function defined earlier runs its body
        self.args = args  # in such a body: the call's words after the name (``$@``)
        # a `shift`, `set --` or `getopts` ran (or may have) outside a function's definition:
        # the positional parameters are no longer the ones ``lookup`` knows
        self.shifted = False
        # function name -> its body's tokens in ``source`` (the whole text's; ``offset``: where
        # ``tokens`` start in it)
        self.bodies: dict[str, tuple[int, int]] = {}
        self.source = tokens
        self.offset = 0
        self.chain: tuple[str, ...] = ()  # the functions being called, outermost first
        self.budget = [_CALL_TOKENS]  # the body tokens calls may still read (shared)
        self.opened: dict[int, int] = {}  # stack size -> where a function's `{` body starts
        self.position = 0
        self.commands: list[ShellCommand] = []
        self.variables: dict[str, str] = {}
        # set at the top level to a value only partly known (`X="a-$1"`, `X=$(cmd)`)
        self.partial: dict[str, _Segments] = {}
        self.arrays: dict[str, list[Word]] = {}  # `NAME=(...)` at the top level
        # those of them changed under a loop, branch or function (`files+=(-f "$x.yml")`)
        self.changed: set[str] = set()
        self.stack: list[tuple[str, str]] = []
        self.current: list[_Token] = []
        self.redirects: list[tuple[str, _Token]] = []
        self.patterns: list[str] | None = None  # reading `pat1 | pat2 )` of a case branch
        self.function: str | None = None  # a `name()` / `function name` awaiting its body
        self.paren_bodies: set[int] = set()  # stack sizes with a function `( ... )` body on top
        self.ifs = 0  # the ifs opened so far (each if's number)
        self.closed: int | None = None  # a group or subshell just closed: its first command

    def run(self) -> tuple[ShellCommand, ...]:
        redirect: str | None = None  # the redirection operator whose target comes next
        header = False  # for/select/case headers up to the next separator are not commands
        for position, token in enumerate(self.tokens):
            self.position = position
            if token.kind == "op":
                if token.text in _REDIRECTS or token.text == "<<":
                    redirect = token.text
                    continue
                if token.text == "&" and not self.current and self.closed is not None:
                    self.background(self.closed)
                self.closed = None
                header = False
                if self.patterns is not None:
                    if token.text == ")":
                        self.stack.append(("branch", "|".join(self.patterns)))
                        self.patterns = None
                elif token.text == ";;":
                    self.finish(";")
                    if self.stack and self.stack[-1][0] == "branch":
                        self.stack.pop()
                    if self.stack and self.stack[-1][0] == "case":
                        self.patterns = []
                elif token.text == "(" and self.current:
                    # `name() { ...; }`: a function definition
                    self.function = self.current[-1].text
                    self.current.clear()
                elif token.text == "(" and self.function and self._next(position, ")"):
                    continue  # `function name() { ...; }`
                elif token.text == ")" and self.function is not None and not self.current:
                    continue
                elif token.text == "(" and not self.current:
                    if self.function:  # `name() ( ... )`: a function whose body is a subshell
                        self.stack.append(("function", self.function))
                        self.function = None
                        self.paren_bodies.add(len(self.stack))
                    self.stack.append(("subshell", str(len(self.commands))))
                elif token.text == ")":
                    self.finish(")")
                    self.close(("subshell",))
                    if len(self.stack) in self.paren_bodies:
                        self.paren_bodies.discard(len(self.stack))
                        self.stack.pop()
                elif token.text in _CONNECTORS:
                    self.finish(token.text)
                continue
            if redirect is not None:
                self.redirects.append((redirect, token))
                redirect = None
                continue
            self.closed = None
            if header:
                if token.text == "in" and self.stack and self.stack[-1][0] == "case":
                    header = False
                    self.patterns = []
                continue
            if self.patterns is not None:
                if token.text == "esac":
                    self.patterns = None
                    self.close(("case",))
                else:
                    self.patterns.append(_expand(token, {}, None).text)
                continue
            if not self.current and self.keyword(token, position):
                header = token.text in ("for", "select", "case")
                continue
            self.current.append(token)
        self.finish("")
        return tuple(self.commands)

    def _next(self, position: int, text: str) -> bool:
        """Whether the token after ``position`` is the operator ``text``."""
        following = self.tokens[position + 1] if position + 1 < len(self.tokens) else None
        return following is not None and following.kind == "op" and following.text == text

    def keyword(self, token: _Token, position: int) -> bool:
        """Handle a reserved word at the start of a command; False when it is not one."""
        word = token.text
        if self.function == "":
            self.function = word  # `function name`: the name
        elif word == "if":
            self.ifs += 1
            self.stack.append(("if", f"{self.ifs}/if"))
        elif word in ("then", "elif", "else") and self.stack and self.stack[-1][0] == "if":
            self.stack[-1] = ("if", _if_part(self.stack[-1][1], word))
        elif word in ("while", "until", "for", "select"):
            self.stack.append(("loop", word))
        elif word == "case":
            following = self.tokens[position + 1] if position + 1 < len(self.tokens) else None
            self.stack.append(("case", following.text if following is not None else ""))
        elif word == "{":
            if self.function is not None:
                self.stack.append(("function", self.function))
                self.opened[len(self.stack)] = self.offset + position + 1
                self.function = None
            else:
                self.stack.append(("group", str(len(self.commands))))
        elif word in _CLOSES:
            self.close(_CLOSES[word])
        elif word == "function":
            self.function = ""
        elif word not in _SEPARATOR_WORDS:
            return False
        return True

    def close(self, kinds: tuple[str, ...]) -> None:
        """Pop scopes up to and including the innermost one of ``kinds`` (if any)."""
        for index in range(len(self.stack) - 1, -1, -1):
            kind, value = self.stack[index]
            if kind in kinds:
                start = self.opened.get(index + 1)
                for size in [s for s in self.opened if s > index]:
                    del self.opened[size]
                if kind == "function" and start is not None and not self.current:
                    self.bodies[value] = (start, self.offset + self.position)
                del self.stack[index:]
                if kind in ("group", "subshell"):
                    self.closed = int(value)
                return

    def background(self, first: int) -> None:
        """``{ ...; } &`` / ``( ... ) &``: the group's commands (from ``first``) run in the
        background, its last one ended by the ``&``."""
        commands = self.commands
        for index in range(first, len(commands)):
            commands[index] = replace(commands[index], background=True)
        if first < len(commands):
            commands[-1] = replace(commands[-1], connector="&")

    @property
    def defining(self) -> bool:
        """Whether this point of the text is inside a function's definition."""
        return any(kind == "function" for kind, _ in self.stack)

    def positional(self, name: str) -> str | None:
        """``lookup`` as this point of the text sees it: a positional parameter (``$1``) is
        not known inside a function's definition (its own arguments, whoever calls it) nor
        after a ``shift``; a called function's body binds them itself (:meth:`call`)."""
        if name.isdigit() and name != "0" and (self.shifted or self.defining):
            return None
        return self.lookup(name) if self.lookup is not None else None

    def segments(self, token: _Token | None) -> _Segments:
        """What is known of the value ``token`` gives (None: nothing)."""
        if token is None:
            return (("*", False),)
        return _segments(token, self.variables, self.positional, self.partial)

    def expand(self, token: _Token, gaps: list[int], before: int) -> list[Word]:
        """The words one command word becomes: an array's elements (``"${files[@]}"``), the
        fields of an unquoted ``$X`` whose value is only partly known, else one word; ``gaps``
        gets the position after an array changed under a loop, branch or function (``before``:
        the words already there)."""
        if self.literal:
            return [_expand(token, self.variables, self.positional, True)]
        starts = [int(p[1]) for p in token.parts if p[0] == "args"]
        if (
            self.args is not None
            and len(starts) == 1
            and all(p[0] == "args" or (p[0] == "lit" and not p[1]) for p in token.parts)
        ):
            return list(self.args[starts[0] - 1 :])  # `"$@"` in a called function: its words
        array = _array_of(token)
        if array is not None and array in self.arrays:
            elements = self.arrays[array]  # "${files[@]}": one word per element
            if array in self.changed:
                gaps.append(before + len(elements))
            return list(elements)
        fields = self.split(token)
        if fields is not None:
            return fields
        return [_expand(token, self.variables, self.positional, partial=self.partial)]

    def split(self, token: _Token) -> list[Word] | None:
        """The fields of an unquoted ``$X`` / ``${X}`` whose value is only partly known."""
        if len(token.parts) != 1 or token.parts[0][0] != "var" or token.parts[0][2]:
            return None
        name = token.parts[0][1]
        if token.parts[0][-1] != token.text or name not in self.partial:
            return None  # quoted, or not such a value
        if name in self.variables:
            return None
        return _fields(self.partial[name], token)

    def finish(self, connector: str) -> None:
        current = self.current
        redirects, self.redirects = self.redirects, []
        if not current:
            return
        variables, lookup, partial = self.variables, self.positional, self.partial
        top = not self.stack
        assignments: list[tuple[str, str]] = []
        index = 0
        resolved: dict[str, str] = {}
        partly: dict[str, _Segments] = {}  # set to a value only partly known
        arrays: dict[str, list[Word]] = {}
        forget: set[str] = set()  # names whose value is no longer known
        fresh: set[str] = set()  # arrays assigned anew: `NAME=(a b)`
        while index < len(current) and (target := _target(current[index])) is not None:
            name, op, _ = target
            elements = current[index].elements
            index += 1
            if op == "[]":  # `NAME[i]=v`: one element of an array, not a command word
                forget.add(name)
                arrays.pop(name, None)
                continue
            if elements is not None:  # `NAME=(a b)`: ${NAME[@]} is its words, $NAME the first
                items = [_expand(e, variables, lookup, partial=partial) for e in elements]
                if op == "+=":  # `NAME+=(c)`: known only when the array before it is
                    known = arrays.get(name, self.arrays.get(name) if top else None)
                    if known is None:
                        forget.add(name)
                    else:
                        arrays[name] = [*known, *items]
                    continue
                arrays[name] = items
                fresh.add(name)
                value = items[0] if items else Word("", False, False, 0, "")
                valued = elements[0] if elements else None
            else:
                valued = _value_token(current[index - 1], name)
                value = _expand(valued, variables, lookup, partial=partial)
                if op == "+=":  # `NAME+=v`: the value before it, when known, and v
                    before: str | None = resolved.get(name)
                    if before is None and top:
                        before = variables.get(name)
                        if before is None and lookup is not None and name not in partial:
                            before = lookup(name)
                    if before is None or value.unresolved:
                        value = Word("*", True, False, value.line, value.raw)
                        valued = None
                    else:
                        value = replace(value, text=before + value.text)
            assignments.append((name, value.text))
            if value.unresolved:
                resolved.pop(name, None)
                forget.add(name)
                partly[name] = self.segments(valued)
            else:
                resolved[name] = value.text
                partly.pop(name, None)
                forget.discard(name)
        if index == len(current) and top:  # `A=1 B=2` alone sets shell variables
            for name in forget:
                variables.pop(name, None)
                partial.pop(name, None)
                self.arrays.pop(name, None)
            variables.update(resolved)
            for name in resolved:
                partial.pop(name, None)
            partial.update(partly)
            self.arrays.update(arrays)
            self.changed -= fresh | forget
        elif index == len(current):  # under a loop, branch or function: it may run, or not
            self.changed.update(n for n in (*forget, *resolved, *arrays) if n in self.arrays)
        words: list[Word] = []
        gaps: list[int] = []
        for token in current[index:]:
            words.extend(self.expand(token, gaps, len(words)))
        head = words[0].text if words else ""
        defining = self.defining
        resets = head == "set" and any(word.text == "--" for word in words)
        shifts = head in ("shift", "getopts") or resets
        if shifts and not defining:  # under a branch or loop too: later commands cannot know
            self.shifted = True  # whether it ran
        if words and words[0].text in ("export", "readonly", "local", "declare") and top:
            for token in current[index + 1 :]:
                exported = _assignment(token)
                if exported is not None:
                    valued = _value_token(token, exported)
                    value = _expand(valued, variables, lookup, partial=partial)
                    if not value.unresolved:
                        variables[exported] = value.text
                        partial.pop(exported, None)
                    else:
                        variables.pop(exported, None)
                        partial[exported] = self.segments(valued)
        self.commands.append(
            ShellCommand(
                tuple(words),
                tuple(assignments),
                connector,
                len(self.stack),
                current[0].line,
                tuple(self.stack),
                tuple(
                    (op, _expand(t, variables, lookup, self.literal, partial))
                    for op, t in redirects
                ),
                gaps=tuple(gaps),
            )
        )
        current.clear()
        if not self.calls or not words or words[0].unresolved:
            return
        name = words[0].text
        body = self.bodies.get(name)
        if body is not None and not defining and name not in self.chain:
            self.budget[0] -= body[1] - body[0]
            if self.budget[0] >= 0:
                self.call(words, body)

    def call(self, words: list[Word], body: tuple[int, int]) -> None:
        """A call of a function the text defined before it (``dc up -d`` after ``dc() {
        docker-compose "$@"; }``), where it runs (not inside another function's definition):
        its body's commands, ``$@`` / ``$1`` … bound to the call's words, at the call's line
        inside a ``("call", name)`` scope.  A call in the body is followed the same way up to
        :data:`_CALL_DEPTH` calls deep; a function is not followed into itself (recursion)."""
        args = tuple(words[1:])
        outer = self.lookup

        def lookup(name: str) -> str | None:
            if name.isdigit() and name != "0":
                index = int(name) - 1
                if index >= len(args):
                    return ""
                return None if args[index].unresolved or args[index].all_args else args[index].text
            return outer(name) if outer is not None else None

        inner = _Parser(self.source[body[0] : body[1]], lookup, False, args=args)
        inner.calls = len(self.chain) + 1 < _CALL_DEPTH
        inner.source, inner.offset = self.source, body[0]
        inner.bodies = dict(self.bodies)
        inner.budget = self.budget
        inner.chain = (*self.chain, words[0].text)
        inner.variables = dict(self.variables)
        inner.partial = dict(self.partial)
        inner.arrays = dict(self.arrays)
        inner.changed = set(self.changed)
        around = (*self.stack, ("call", words[0].text))
        line = words[0].line
        for command in inner.run():
            scopes = (*around, *command.scopes)
            self.commands.append(replace(command, scopes=scopes, depth=len(scopes), line=line))




def split_words(text: str, lookup: Lookup | None = None) -> tuple[Word, ...] | None:
    """The words of one simple command (compose's string ``command:`` / ``entrypoint:``, which
    Compose splits with shell quoting rules but never runs through a shell); None when ``text``
    holds more than one command or an operator."""
    commands = parse_shell(text, lookup)
    if len(commands) != 1 or commands[0].connector not in ("", "\n"):
        return None if commands else ()
    command = commands[0]
    if command.assignments:
        return None
    return command.words


def shebang_program(line: str) -> str:
    """The program a script's first line ``#!`` names, by its base name (``#!/bin/bash``,
    ``#!/usr/bin/env -S bash -e``: ``bash``; through ``env``, its options dropped); "" for a
    line that is no ``#!``."""
    words = line[2:].split() if line.startswith("#!") else []
    if words and posixpath.basename(words[0]) == "env":
        words = [w for w in words[1:] if not w.startswith("-")]
    return posixpath.basename(words[0]) if words else ""


# --------------------------------------------------------------------------- CI runner files


def runner_file(variable: str, lookup: Lookup | None = None) -> tuple[str, Lookup]:
    """A marker for the file a CI runner names in ``$variable`` (GitHub's ``$GITHUB_ENV``,
    ``$GITHUB_OUTPUT``) and a lookup that expands the variable to it (others through ``lookup``),
    for :func:`written_to`."""
    marker = "\x00" + variable

    def expand(name: str) -> str | None:
        if name == variable:
            return marker
        return lookup(name) if lookup is not None else None

    return marker, expand


def written_to(
    command: ShellCommand, marker: str, programs: tuple[str, ...] = ("echo", "printf")
) -> list[tuple[str, str, Word]]:
    """The ``NAME=value`` words ``command`` writes to the runner file ``marker`` stands for
    (``echo "X=v" >> "$GITHUB_ENV"``): (name, value, the word); none when it writes elsewhere."""
    if command.argv[:1] not in tuple((p,) for p in programs):
        return []
    if not any(op in (">>", ">") and w.text == marker for op, w in command.redirects):
        return []
    out: list[tuple[str, str, Word]] = []
    for word in command.words[1:]:
        name, eq, value = word.text.partition("=")
        if eq:
            out.append((name, value, word))
    return out
