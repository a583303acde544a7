"""Files a repository's documented setup creates: ``touch FILE``, ``cp`` / ``mv`` / ``ln``
(their destination) and a shell redirection (``> FILE``, ``>> FILE``), in Makefile recipes,
shell scripts and the shell blocks of Markdown documents.

A git-ignored ``env_file`` that ``make bootstrap`` makes (``touch env.d/development/
common.local``) is absent from a checkout but not missing for a user who follows the setup:
ENV104 says where it is made.  Read, never run: only a literal path counts, joined to the
directory the command runs in (a recipe's Makefile's; for scripts and documents, the
candidates :mod:`envlint.compose.launchers` gives them, after a ``cd``).  Brace expansion
(``touch env.d/{a,b}.local``) is bash's and zsh's, not ``sh``'s: it is done for a Makefile that
sets ``SHELL`` to one of them, a script whose ``#!`` line names one (or ``*.bash``), and
documents (typed into an interactive shell)."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from envlint.compose.launchers import (
    _MAKEFILES,
    _SCRIPT_SUFFIXES,
    _SHELL_FENCES,
    _TRANSCRIPTS,
    _candidates,
    _cd,
    _commands,
    _cwds,
    _join,
    _link_or_copy,
    _placeholders,
    _Reader,
    _recipe_shell,
    _recipes,
)
from envlint.compose.makefile import expand
from envlint.model import Creation, Location
from envlint.servicecode.entry_shell import Word, parse_shell

__all__ = ["find_created"]

_WRITES = frozenset((">", ">>", ">|", "&>", "&>>"))
_BRACE = re.compile(r"\{([^{},]*(?:,[^{},]*)+)\}")  # one {a,b} group, nothing nested
_BRACE_SHELLS = frozenset(("bash", "zsh"))
_Parser = Callable[[str, str, str], Iterator[Creation]]
_HINTS = (b"touch", b">", b"cp ", b"mv ", b"ln ")  # cheap: a file without any creates nothing


def find_created(root: Path, files: Sequence[str]) -> dict[str, Creation]:
    """The files (relative to ``root``) the commands of ``files``' Makefiles, scripts and
    Markdown documents create, each with the first command that does."""
    reader = _Reader(root)
    out: dict[str, Creation] = {}
    for path in _candidates(files):
        name = path.rsplit("/", 1)[-1]
        kind = _kind(name)
        data = reader.data(path) if kind is not None else None
        if kind is None or data is None or not any(hint in data for hint in _HINTS):
            continue
        text = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
        directory = posixpath.dirname(path) or "."
        for creation in kind(path, directory, text):
            out.setdefault(creation.path, creation)
    return out


def _kind(name: str) -> _Parser | None:
    if name in _MAKEFILES or name.endswith(".mk"):
        return _makefile
    if name.endswith(_SCRIPT_SUFFIXES):
        return _script
    if name.lower().endswith((".md", ".markdown")):
        return _markdown
    return None


def _makefile(path: str, directory: str, text: str) -> Iterator[Creation]:
    for target, rule in _recipes(text):
        shell = expand(rule.values.get("SHELL", ""), rule.values)
        braces = posixpath.basename(shell.strip()) in _BRACE_SHELLS
        for number, line in rule.recipe:  # each line runs in its own shell, in the directory
            start = Location(path, number)
            shell_text = _recipe_shell(line, rule)
            yield from _created(shell_text, (directory,), start, f"make {target}", braces)


def _script(path: str, directory: str, text: str) -> Iterator[Creation]:
    first = text.partition("\n")[0]
    shebang = first.startswith("#!") and any(s in first for s in _BRACE_SHELLS)
    braces = shebang or path.endswith(".bash")
    yield from _created(text, _cwds(directory), Location(path), "", braces)


def _markdown(path: str, directory: str, text: str) -> Iterator[Creation]:
    from markdown_it import MarkdownIt

    for token in MarkdownIt("commonmark").parse(text):
        if token.type not in ("fence", "code_block") or not token.map:
            continue
        info = token.info.strip().split()[0].lower() if token.info.strip() else ""
        if info in _SHELL_FENCES:
            shell_text = _placeholders(_commands(token.content, info in _TRANSCRIPTS))
            start = Location(path, token.map[0] + 1 + (token.type == "fence"))
            yield from _created(shell_text, _cwds(directory), start, "", True)


def _created(
    text: str, cwds: tuple[str, ...], start: Location, runner: str, braces: bool
) -> Iterator[Creation]:
    """The files one piece of shell text creates (``start``: where its first line is)."""
    for command in parse_shell(text):
        argv = command.argv
        where = Location(start.path, start.line + command.line - 1)
        if argv[:1] == ("cd",) and command.depth == 0 and len(argv) == 2:
            cwds = _cd(cwds, command.words[1])
            continue
        targets = [(op, word) for op, word in command.redirects if op in _WRITES]
        program = posixpath.basename(argv[0]) if argv else ""
        if program == "touch":
            targets.extend(("touch", word) for word in _touched(command.words[1:]))
        elif program in ("cp", "mv", "ln"):
            made: dict[str, str | None] = {}
            _link_or_copy(command, cwds, made)
            yield from (Creation(dest, program, where, runner) for dest in made)
        for how, word in targets:
            for written in _expanded(word, braces):
                joined = (_join(cwd, written) for cwd in cwds)
                yield from (Creation(p, how, where, runner) for p in joined if p is not None)


def _touched(words: Sequence[Word]) -> list[Word]:
    """The files ``touch`` creates: its operands, when its only options are ``-a`` / ``-m``
    (``-c`` creates nothing; ``-d``, ``-r``, ``-t`` take a value)."""
    operands = [word for word in words if not word.text.startswith("-")]
    options = {letter for word in words if word.text.startswith("-") for letter in word.text[1:]}
    return operands if options <= {"a", "m"} else []


def _expanded(word: Word, braces: bool) -> list[str]:
    """A literal word's paths: ``a/{b,c}.local`` is two when the shell expands braces and they
    are written unquoted; none for a word with an expansion envlint could not make."""
    if word.unresolved or word.text == "/dev/null":
        return []
    if not braces or word.raw != word.text or _BRACE.search(word.text) is None:
        return [word.text]
    out = [word.text]
    while any(_BRACE.search(text) for text in out):
        out = [expanded for text in out for expanded in _expand_first(text)]
    return out


def _expand_first(text: str) -> list[str]:
    found = _BRACE.search(text)
    if found is None:
        return [text]
    head, tail = text[: found.start()], text[found.end() :]
    return [head + part + tail for part in found.group(1).split(",")]
