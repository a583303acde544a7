"""Files a repository's documented setup creates: ``touch FILE``, ``cp`` / ``mv`` / ``ln``
(their destination) and a shell redirection (``> FILE``, ``>> FILE``), in Makefile and
justfile recipes, shell scripts and the shell blocks of Markdown documents.

A git-ignored ``env_file`` that ``make bootstrap`` makes (``touch env.d/development/
common.local``) is absent from a checkout but not missing for a user who follows the setup:
ENV104 says where it is made.  Read, never run: only a literal path counts, joined to the
directory the command runs in (a recipe's Makefile's; for scripts and documents, the
candidates :func:`envlint.compose.launchers.command_dirs` gives them, after a ``cd``).  The
files are read through the load's :class:`envlint.compose.launchers.LauncherFiles`, which
the documented compose commands were read with.

Brace expansion (``touch env.d/{a,b}.local``) is bash's and zsh's, not ``sh``'s: it is done for
a Makefile that sets ``SHELL`` to one of them, a justfile recipe whose shell is one, a script
whose ``#!`` line names one (or ``*.bash``), and documents (typed into an interactive shell)."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator, Sequence

from envlint.compose.justfile import BRACE_SHELLS, JustRecipe
from envlint.compose.launchers import (
    DocShell,
    LauncherFiles,
    LauncherFormat,
    Made,
    Recipe,
    cd_dirs,
    command_dirs,
    link_or_copy,
    placeholders,
    repo_path,
)
from envlint.compose.makefile import expand
from envlint.model import Creation, Location
from envlint.servicecode.entry_shell import Word, parse_shell

__all__ = ["find_created"]

_WRITES = frozenset((">", ">>", ">|", "&>", "&>>"))
_BRACE = re.compile(r"\{([^{},]*(?:,[^{},]*)+)\}")  # one {a,b} group, nothing nested
_HINTS = ("touch", ">", "cp ", "mv ", "ln ")  # cheap: a file without any creates nothing
_FORMATS: frozenset[LauncherFormat] = frozenset(("make", "just", "script", "markdown"))


def find_created(launchers: LauncherFiles) -> dict[str, Creation]:
    """The files (relative to the root) the commands of the Makefiles, justfiles, scripts and
    Markdown documents among ``launchers`` create, each with the first command that does."""
    out: dict[str, Creation] = {}
    for path in launchers.paths:
        kind = launchers.format(path)
        text = launchers.text(path) if kind in _FORMATS else None
        if text is None or not any(hint in text for hint in _HINTS):
            continue
        directory = posixpath.dirname(path) or "."
        if kind == "make":
            found = _makefile(path, directory, launchers.recipes(path))
        elif kind == "just":
            found = _justfile(path, directory, launchers.just_recipes(path))
        elif kind == "script":
            found = _script(path, directory, text)
        else:
            found = _markdown(path, directory, launchers.document_shell(path))
        for creation in found:
            out.setdefault(creation.path, creation)
    return out


def _makefile(path: str, directory: str, recipes: Sequence[Recipe]) -> Iterator[Creation]:
    for recipe in recipes:
        shell = expand(recipe.rule.values.get("SHELL", ""), recipe.rule.values)
        braces = posixpath.basename(shell.strip()) in BRACE_SHELLS
        runner = f"make {recipe.target}"
        for number, shell_text in recipe.lines:  # each runs in its own shell, in the directory
            start = Location(path, number)
            yield from _created(shell_text, (directory,), start, runner, braces, absolute=True)


def _justfile(path: str, directory: str, recipes: Sequence[JustRecipe]) -> Iterator[Creation]:
    for recipe in recipes:
        cwd = None if recipe.directory is None else repo_path(directory, recipe.directory)
        if cwd is None:
            continue  # `[no-cd]`: it runs where its caller is
        runner = f"just {recipe.name}"
        for number, shell_text in recipe.shells:  # a line, or the whole script
            start = Location(path, number)
            yield from _created(shell_text, (cwd,), start, runner, recipe.braces, absolute=True)


def _script(path: str, directory: str, text: str) -> Iterator[Creation]:
    first = text.partition("\n")[0]
    shebang = first.startswith("#!") and any(s in first for s in BRACE_SHELLS)
    braces = shebang or path.endswith(".bash")
    yield from _created(text, command_dirs(directory), Location(path), "", braces, absolute=True)


def _markdown(path: str, directory: str, shell: Sequence[DocShell]) -> Iterator[Creation]:
    """The document's shell code blocks (typed into an interactive shell: braces expand)."""
    for code in shell:
        if code.block:
            start = Location(path, code.line)
            yield from _created(placeholders(code.text), command_dirs(directory), start, "", True)


def _created(
    text: str,
    cwds: tuple[str, ...],
    start: Location,
    runner: str,
    braces: bool,
    absolute: bool = False,
) -> Iterator[Creation]:
    """The files one piece of shell text creates (``start``: where its first line is).  With
    ``absolute`` (a Makefile recipe or a script, which run as written), a ``cd`` to a literal
    absolute path leaves the repository: nothing made after it is one of its files (a
    container's entrypoint script: ``cd /web && cp .env.example .env`` runs in the image).  A
    document's ``cd /path/to/app`` is taken as the reader's clone, as :func:`cd_dirs` does."""
    for command in parse_shell(text):
        argv = command.argv
        where = Location(start.path, start.line + command.line - 1)
        if argv[:1] == ("cd",) and command.depth == 0 and len(argv) == 2:
            word = command.words[1]
            elsewhere = absolute and not word.unresolved and word.text.startswith("/")
            cwds = () if elsewhere else cd_dirs(cwds, word)
            continue
        targets = [(op, word) for op, word in command.redirects if op in _WRITES]
        program = posixpath.basename(argv[0]) if argv else ""
        if program == "touch":
            targets.extend(("touch", word) for word in _touched(command.words[1:]))
        elif program in ("cp", "mv", "ln"):
            made: Made = {}
            link_or_copy(command, cwds, made)
            yield from (Creation(dest, program, where, runner) for dest in made)
        for how, word in targets:
            for written in _expanded(word, braces):
                joined = (repo_path(cwd, written) for cwd in cwds)
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
