"""A small Dockerfile parser: stages (``FROM``), ``ARG``, ``ENV`` and the instructions that say
what an image holds and runs (``WORKDIR``, ``COPY``/``ADD``, ``RUN``, ``CMD``, ``ENTRYPOINT``,
``SHELL``), the way BuildKit reads them.

It follows BuildKit's ``frontend/dockerfile/parser``, ``instructions`` and ``shell`` packages:

* parser directives at the very top (``# escape=``` `` changes the escape character);
* logical lines: the escape character at the end of a line continues it, comment lines and empty
  lines inside a continuation are dropped, the first line's indentation is trimmed;
* heredocs of ``RUN`` / ``COPY`` / ``ADD`` (``<<EOF``, ``<<-EOF``, ``<<"EOF"``) are read up to
  their terminator and kept as the instruction's bodies, so a body line such as ``ENV X=1`` is
  never read as an instruction;
* ``FROM [--platform=...] image [AS name]`` with global ``ARG``\\s substituted into the image;
* BuildKit's automatic platform ``ARG``\\s (``TARGETPLATFORM``, ``TARGETOS``, ``TARGETARCH``,
  ``TARGETVARIANT``, ``BUILDPLATFORM``, ``BUILDOS``, ``BUILDARCH``, ``BUILDVARIANT``): in the
  global scope for ``FROM`` lines, and in a stage that declares one (``ARG TARGETARCH``); their
  values are the caller's (:func:`platform_args`), unknown when it gives none;
* ``ARG a=1 b`` (before the first ``FROM``: global, for ``FROM`` lines and re-declared ``ARG b``);
* ``ENV k=v k2="v 2"`` and the legacy ``ENV k v w``, values processed like BuildKit's shell lexer:
  quotes removed, escapes applied (nothing is escaped inside single quotes), ``$X`` / ``${X}`` /
  ``${X:-d}`` / ``${X-d}`` / ``${X:+a}`` / ``${X+a}`` / ``${X:?m}`` substituted from the ``ENV``\\s
  and ``ARG``\\s in scope (``ENV`` wins over ``ARG`` of the same name);
* ``ENV`` is inherited through ``FROM <earlier stage>``, and through ``FROM <image>`` when the
  caller links that image to the Dockerfile this repository builds it from (``bases``: a base
  image built here is the stage's parent, as an earlier stage would be; see :class:`BaseImage`);
* ``WORKDIR`` (substituted, relative to the previous one, inherited through ``FROM <stage>``;
  unknown below an external base image until the file sets one);
* ``COPY`` / ``ADD``: flags (``--from`` and ``--parents`` kept, ``--chown``/``--chmod``/
  ``--link``/... ignored), JSON or whitespace-separated sources and destination, substituted,
  the destination made absolute against ``WORKDIR``; heredoc sources keep their bodies;
* ``RUN``: ``--mount``/``--network``/``--security`` flags dropped, shell text or exec-form array,
  heredoc bodies, the ``WORKDIR`` and the known ``ARG``/``ENV`` values at that point (the build
  shell's environment; ``RUN`` text itself is never substituted by BuildKit);
* ``CMD`` / ``ENTRYPOINT``: exec form as the JSON array, shell form as ``SHELL`` + the text
  (``/bin/sh -c "..."`` by default); ``SHELL`` (JSON only).  :meth:`Dockerfile.runtime` combines
  them through the stage chain the way BuildKit's dispatcher does (an ``ENTRYPOINT`` resets an
  inherited ``CMD`` unless the same stage sets ``CMD``).

A value is ``unresolved`` when it depends on something this file does not say: a variable of an
external base image (``$PATH``), an ``ARG`` without default and no build argument given, or a
modifier BuildKit supports but this parser does not evaluate (``${X#pat}``, ``${X/a/b}``).
Problems (syntax BuildKit rejects) are PARSE_ERROR facts; parsing continues with the next line.
Messages name instructions and keys, never values.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Literal

from envlint.compose.interpolation import Budget
from envlint.model import Location, Problem, ProblemKind

__all__ = [
    "BaseImage",
    "Copy",
    "DockerEnv",
    "Dockerfile",
    "ExecCommand",
    "Heredoc",
    "LinkedFile",
    "Run",
    "Runtime",
    "Stage",
    "parse_dockerfile",
    "parsed_dockerfile",
    "platform_args",
]

DEFAULT_SHELL: tuple[str, ...] = ("/bin/sh", "-c")


@dataclass(frozen=True, slots=True)
class DockerEnv:
    """One ``ENV`` key with its value after BuildKit's quote/escape/variable processing."""

    name: str
    value: str
    location: Location  # the key ... end of the value
    unresolved: bool


@dataclass(frozen=True, slots=True)
class Heredoc:
    """One ``<<NAME`` body of a ``RUN`` / ``COPY`` / ``ADD`` (``<<-`` tabs already stripped)."""

    name: str
    body: str  # the lines up to the terminator, each ending in "\n"
    quoted: bool  # ``<<"EOF"``: the shell does not expand the body


@dataclass(frozen=True, slots=True)
class Copy:
    """One ``COPY`` / ``ADD``: sources into ``dest``.

    Sources are relative to the build context (or, with ``from_``, paths in that stage or image),
    substituted as BuildKit does; a heredoc source is written ``<<NAME`` and its body is in
    ``heredocs``.  ``dest`` is absolute when the ``WORKDIR`` is known, else relative to the base
    image's unknown working directory; a trailing ``/`` (a directory destination) is kept.
    """

    instruction: Literal["COPY", "ADD"]
    sources: tuple[str, ...]
    dest: str
    from_: str | None  # ``--from`` value: a stage name (lower case), a stage index or an image
    location: Location
    heredocs: tuple[Heredoc, ...] = ()
    unresolved: bool = False  # a path depends on a variable this file does not define
    # ``--parents``: each source keeps its path (after a ``/./`` pivot) below the destination
    parents: bool = False


@dataclass(frozen=True, slots=True)
class Run:
    """One ``RUN``: its shell text (or exec-form array) as written, never substituted."""

    command: str  # shell form: the text after the flags; exec form: the JSON as written
    argv: tuple[str, ...] | None  # exec form: the array
    workdir: str | None  # the working directory it runs in (None: the base image's, unknown)
    location: Location
    heredocs: tuple[Heredoc, ...] = ()
    # ARG and ENV values known at this point: the environment the build shell sees.
    variables: tuple[tuple[str, str], ...] = ()
    mounts: bool = False  # ``--mount`` flags: it may read the build context through a bind

    @property
    def script(self) -> str | None:
        """The shell script this RUN runs: the text, or the heredoc body when the text is only
        a heredoc redirect (``RUN <<EOF`` / ``RUN bash <<EOF``); None for exec form."""
        if self.argv is not None:
            return None
        words = self.command.split()
        only_heredoc = len(words) == 1 or (
            len(words) == 2 and posixpath.basename(words[0]) in ("sh", "bash", "ash", "dash")
        )
        if self.heredocs and only_heredoc and _HEREDOC.fullmatch(words[-1]) is not None:
            return self.heredocs[0].body
        return self.command


@dataclass(frozen=True, slots=True)
class ExecCommand:
    """A ``CMD`` / ``ENTRYPOINT`` / ``SHELL``: exec form as written, shell form as SHELL + text."""

    argv: tuple[str, ...]
    shell_form: bool
    location: Location


@dataclass(frozen=True, slots=True)
class Runtime:
    """What the final/target stage runs, combined through its chain (BuildKit's dispatcher).

    ``entrypoint`` / ``cmd`` are None when unset.  ``*_from_base`` says the value is the external
    base image's (not known from this file): nothing in the chain set it and ``FROM`` is not
    ``scratch`` (for ``cmd``: and no ``ENTRYPOINT`` of the chain reset it).
    """

    entrypoint: ExecCommand | None
    cmd: ExecCommand | None
    entrypoint_from_base: bool
    cmd_from_base: bool
    workdir: str | None  # None: the base image's (unknown)


@dataclass(frozen=True, slots=True)
class Stage:
    """One build stage: ``FROM base [AS name]`` and what it sets itself."""

    name: str | None  # lower case, as BuildKit compares stage names
    base: str  # image or earlier stage name, global ARGs substituted
    location: Location  # the FROM instruction
    env: tuple[DockerEnv, ...]
    workdir: str | None = "/"  # at the end of the stage; None: the external base's (unknown)
    copies: tuple[Copy, ...] = ()
    runs: tuple[Run, ...] = ()
    cmd: ExecCommand | None = None  # the last CMD of this stage
    entrypoint: ExecCommand | None = None  # the last ENTRYPOINT of this stage
    shell: tuple[str, ...] = DEFAULT_SHELL  # at the end of the stage
    # the stage it is built FROM: an earlier stage of its file, or the target stage of a base
    # image this repository builds (:attr:`Dockerfile.bases`); None: an external image
    parent: int | None = None


@dataclass(frozen=True, slots=True)
class LinkedFile:
    """The own stages (``stages[start:end]``) of one base image's Dockerfile, linked into the
    Dockerfile of an image built FROM it."""

    start: int
    end: int
    path: str  # the base image's Dockerfile, relative to the checked root
    context: str  # its build context, relative to the checked root
    origin: Location  # where the repository builds the base image (Makefile recipe, workflow)


@dataclass(frozen=True)
class Dockerfile:
    """A parsed Dockerfile: its own stages first, then the stages of the base images this
    repository builds that its ``FROM``\\s name (:attr:`bases`), each stage pointing at its
    parent (:attr:`Stage.parent`), so that every chain below follows them as it follows an
    earlier stage."""

    stages: tuple[Stage, ...]
    problems: tuple[Problem, ...]
    bases: tuple[LinkedFile, ...] = ()  # ordered by ``start``
    # ARGs the file declares with a default (``ARG GIT_SHA=head``, global or in a stage): a
    # build arg left unset takes it
    defaulted: frozenset[str] = frozenset()
    # the automatic platform ARGs the file reads (in a FROM, or declared in a stage): what it
    # builds may differ by platform
    platform_reads: frozenset[str] = frozenset()

    @property
    def own(self) -> int:
        """How many stages the file itself has (the rest are its base images')."""
        return self.bases[0].start if self.bases else len(self.stages)

    def linked(self, index: int) -> LinkedFile | None:
        """The base image's Dockerfile stage ``index`` belongs to (None: the file's own)."""
        for linked in self.bases:
            if linked.start <= index < linked.end:
                return linked
        return None

    def chain_bases(self, index: int) -> tuple[LinkedFile, ...]:
        """The base images' Dockerfiles the chain of stage ``index`` goes through, nearest
        first."""
        found: list[LinkedFile] = []
        for i in self.ancestors(index):
            linked = self.linked(i)
            if linked is not None and linked not in found:
                found.append(linked)
        return tuple(found)

    def final(self, target: str | None = None) -> Stage | None:
        """The stage ``docker build`` produces: the last one, or the ``target`` stage."""
        index = self._index(target)
        return None if index is None else self.stages[index]

    def effective_env(self, target: str | None = None) -> tuple[DockerEnv, ...]:
        """The image's ``ENV`` for the final/target stage, inherited through the stage chain.

        A later definition replaces an earlier one in place (first position, last value)."""
        index = self._index(target)
        return () if index is None else self.env_at(index)

    def env_at(self, index: int) -> tuple[DockerEnv, ...]:
        """The ``ENV`` of stage ``index``, inherited through its chain (see
        :meth:`effective_env`)."""
        env: dict[str, DockerEnv] = {}
        for i in reversed(self.ancestors(index)):
            for item in self.stages[i].env:
                env[item.name] = item
        return tuple(env.values())

    def base_image(self, target: str | None = None) -> str | None:
        """The external image at the root of the final/target stage's chain (or ``scratch``)."""
        chain = self._chain(target)
        return chain[-1].base if chain else None

    def runtime(self, target: str | None = None) -> Runtime | None:
        """ENTRYPOINT, CMD and WORKDIR of the final/target stage (None when there is none)."""
        chain = self._chain(target)
        if not chain:
            return None
        scratch = chain[-1].base.lower() == "scratch"
        entrypoint: ExecCommand | None = None
        cmd: ExecCommand | None = None
        entrypoint_from_base = cmd_from_base = not scratch
        for stage in reversed(chain):
            if stage.entrypoint is not None:
                entrypoint, entrypoint_from_base = stage.entrypoint, False
                if stage.cmd is None:  # dispatchEntrypoint: `if !d.cmdSet { Cmd = nil }`
                    cmd, cmd_from_base = None, False
            if stage.cmd is not None:
                cmd, cmd_from_base = stage.cmd, False
        return Runtime(entrypoint, cmd, entrypoint_from_base, cmd_from_base, chain[0].workdir)

    def stage_index(self, ref: str, before: int | None = None) -> int | None:
        """The stage a ``--from`` / ``FROM`` names (name, case-insensitive, or index), looking
        only at stages before ``before`` when given, in the file ``before`` belongs to (a base
        image's stages are numbered and named in their own file); None for an external
        image."""
        linked = None if before is None else self.linked(before)
        first = 0 if linked is None else linked.start
        limit = self.own if before is None else before
        if ref.isdigit():
            if len(ref.lstrip("0")) > 9:  # no Dockerfile has a billion stages (nor int() limits)
                return None
            index = first + int(ref)
            return index if index < limit else None
        wanted = ref.lower()
        for index in range(limit - 1, first - 1, -1):
            if self.stages[index].name == wanted:
                return index
        return None

    def target_index(self, target: str | None = None) -> int | None:
        """The index of the final/target stage."""
        return self._index(target)

    def ancestors(self, index: int) -> tuple[int, ...]:
        """``index`` and the stages it is built FROM (earlier stages, base images this
        repository builds), nearest first."""
        chain: list[int] = []
        current: int | None = index
        while current is not None and 0 <= current < len(self.stages) and current not in chain:
            chain.append(current)
            current = self.stages[current].parent
        return tuple(chain)

    def _index(self, target: str | None) -> int | None:
        own = self.own
        if not own:
            return None
        if target is None:
            return own - 1
        wanted = target.lower()
        for index in range(own):
            if self.stages[index].name == wanted:
                return index
        return None

    def _chain(self, target: str | None) -> list[Stage]:
        """The stage and its ancestors in this file, nearest first."""
        index = self._index(target)
        return [] if index is None else [self.stages[i] for i in self.ancestors(index)]


@dataclass(frozen=True, slots=True)
class BaseImage:
    """The Dockerfile this repository builds the image a ``FROM`` names from, found by the
    caller (:class:`envlint.servicecode.base_images.BaseImages`, through image provenance)."""

    dockerfile: Dockerfile  # parsed, itself linked to the base images it is built FROM
    target: str | None  # the build's target stage (None: the last one)
    context: str  # the build's context, relative to the checked root
    origin: Location  # where the repository declares the build


# finds the base image a FROM names: the reference as written, global ARGs substituted and each
# part whose variable is not known written ``*``
BaseLookup = Callable[[str], BaseImage | None]


def _link(
    stages: tuple[Stage, ...], links: list[tuple[int, BaseImage]]
) -> tuple[tuple[Stage, ...], tuple[LinkedFile, ...]]:
    """``stages`` with the stages of the base images ``links`` names appended (each base
    Dockerfile once), every parent index moved with its stage, and each linking stage's parent
    the base image's target stage."""
    out = list(stages)
    files: list[LinkedFile] = []
    placed: dict[tuple[str, str], int] = {}
    for index, base in links:
        parsed = base.dockerfile
        target = parsed.target_index(base.target)
        if target is None:
            continue
        path = parsed.stages[0].location.path
        offset = placed.get((path, base.context))
        if offset is None:
            offset = placed[(path, base.context)] = len(out)
            out.extend(
                stage if stage.parent is None else replace(stage, parent=stage.parent + offset)
                for stage in parsed.stages
            )
            files.append(LinkedFile(offset, offset + parsed.own, path, base.context, base.origin))
            files.extend(
                replace(f, start=f.start + offset, end=f.end + offset) for f in parsed.bases
            )
        out[index] = replace(out[index], parent=offset + target)
    return tuple(out), tuple(files)


# --------------------------------------------------------------------------- lines

_DIRECTIVE = re.compile(r"#[ \t]*([A-Za-z][A-Za-z0-9]*)[ \t]*=[ \t]*(.*?)[ \t]*")
_HEREDOC = re.compile(r"[0-9]*<<(-?)([\"']?)([A-Za-z_][A-Za-z0-9_]*)\2")
_HEREDOC_INSTRUCTIONS = frozenset(("run", "copy", "add"))
_STAGE_INSTRUCTIONS = frozenset(
    ("workdir", "copy", "add", "run", "cmd", "entrypoint", "shell")
)
_FLAG = re.compile(r"--([A-Za-z][A-Za-z0-9-]*)(?:=(.*))?", re.DOTALL)
_SPACE = " \t\v\f\r"
_MAX_DEPTH = 32  # nested ${a:-${b:-...}} deeper than this is left unresolved


@dataclass
class _Logical:
    """A logical line and where each of its pieces came from."""

    text: str
    pieces: list[tuple[int, int, int]]  # (offset in text, 1-based line, 0-based column)

    def position(self, offset: int) -> tuple[int, int]:
        line, column = self.pieces[0][1], self.pieces[0][2]
        for start, piece_line, piece_col in self.pieces:
            if start > offset:
                break
            line, column = piece_line, piece_col + offset - start
        return line, column + 1


def _continued(line: str, escape: str) -> tuple[str, bool]:
    """``line`` without a trailing continuation (escape + blanks), and whether there was one."""
    body = line.rstrip(" \t")
    if body.endswith(escape):
        return body[: -len(escape)], True
    return line, False


def _is_comment(line: str) -> bool:
    return line.lstrip().startswith("#")


def _words(text: str, escape: str) -> list[tuple[int, str]]:
    """BuildKit's ``parseWords``: split at blanks outside quotes, keeping quotes and escapes."""
    words: list[tuple[int, str]] = []
    word: list[str] = []
    start = 0
    quote = ""
    blank_ok = False
    in_word = False
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if not in_word:
            if ch.isspace():
                i += 1
                continue
            in_word, start = True, i
        if quote:
            if ch == quote:
                quote = ""
            elif ch == escape and quote != "'":
                if i + 1 == n:
                    i += 1
                    continue
                word.append(ch)
                i += 1
                ch = text[i]
            word.append(ch)
            i += 1
            continue
        if ch.isspace():
            if blank_ok or word:
                words.append((start, "".join(word)))
            word, blank_ok, in_word = [], False, False
            i += 1
            continue
        if ch in "'\"":
            quote, blank_ok = ch, True
        elif ch == escape:
            if i + 1 == n:
                i += 1
                continue
            word.append(ch)
            i += 1
            ch = text[i]
        word.append(ch)
        i += 1
    if in_word and (blank_ok or word):
        words.append((start, "".join(word)))
    return words


# --------------------------------------------------------------------------- shell lexer

# lookup(name) -> (value or None when unset, known)
_Lookup = Callable[[str], tuple[str | None, bool]]


class _Lexer:
    """BuildKit's ``shell.Lex.ProcessWord`` (no field splitting) over one value."""

    def __init__(self, text: str, escape: str, lookup: _Lookup, budget: Budget) -> None:
        self.text = text
        self.escape = escape
        self.lookup = lookup
        self.budget = budget
        self.pos = 0
        self.unresolved = False

    def word(self, stop: str = "", depth: int = 0) -> str:
        out: list[str] = []
        text, n = self.text, len(self.text)
        while self.pos < n:
            ch = text[self.pos]
            if stop and ch == stop:
                return "".join(out)
            self.pos += 1
            if ch == "'":
                end = text.find("'", self.pos)
                end = n if end < 0 else end
                out.append(text[self.pos : end])
                self.pos = end + 1
            elif ch == '"':
                out.append(self.double(depth))
            elif ch == self.escape:
                if self.pos < n:
                    out.append(text[self.pos])
                    self.pos += 1
            elif ch == "$":
                out.append(self.dollar(depth))
            else:
                out.append(ch)
        return "".join(out)

    def double(self, depth: int) -> str:
        out: list[str] = []
        text, n = self.text, len(self.text)
        while self.pos < n:
            ch = text[self.pos]
            self.pos += 1
            if ch == '"':
                break
            if ch == "$":
                out.append(self.dollar(depth))
                continue
            if ch == self.escape:
                if self.pos >= n:
                    continue
                if text[self.pos] in ('"', "$", self.escape):
                    ch = text[self.pos]
                    self.pos += 1
            out.append(ch)
        return "".join(out)

    def name(self) -> str:
        start = self.pos
        text = self.text
        if start < len(text) and text[start].isdigit():
            self.pos += 1
            return text[start]
        while self.pos < len(text) and (text[self.pos].isalnum() or text[self.pos] == "_"):
            self.pos += 1
        return text[start : self.pos]

    def get(self, name: str) -> str | None:
        value, known = self.lookup(name)
        if not known:
            self.unresolved = True
        if value and not self.budget.spend(len(value)):
            self.unresolved = True  # an expansion bomb: the value is unknown from here on
            return None
        return value

    def dollar(self, depth: int) -> str:
        text = self.text
        if self.pos >= len(text):
            return "$"
        if text[self.pos] != "{":
            name = self.name()
            return "$" if not name else self.get(name) or ""
        self.pos += 1
        name = self.name()
        if self.pos >= len(text) or not name:
            self.unresolved = True
            return self.skip_brace()
        if text[self.pos] == "}":
            self.pos += 1
            return self.get(name) or ""
        colon = text[self.pos] == ":"
        op = text[self.pos + 1 : self.pos + 2] if colon else text[self.pos]
        if op not in ("-", "+", "?") or depth >= _MAX_DEPTH:
            self.unresolved = True  # ${X#pat}, ${X%pat}, ${X/a/b}: not evaluated here
            plain = self.get(name) or ""
            self.skip_brace()
            return plain
        self.pos += 2 if colon else 1
        value = self.get(name)
        word = self.word("}", depth + 1)
        self.pos += 1  # the closing brace (or past the end)
        is_set = value is not None and (not colon or value != "")
        if op == "-":
            return (value or "") if is_set else word
        if op == "+":
            return word if is_set else ""
        if not is_set:  # ${X?msg}: the build fails when X is unset
            self.unresolved = True
        return value or ""

    def skip_brace(self) -> str:
        depth = 1
        while self.pos < len(self.text) and depth:
            ch = self.text[self.pos]
            depth += (ch == "{") - (ch == "}")
            self.pos += 1
        return ""


def _marked(lookup: _Lookup) -> _Lookup:
    """``lookup`` with each value it does not know given as ``*``."""

    def marked(name: str) -> tuple[str | None, bool]:
        value, known = lookup(name)
        return (value, True) if known else ("*", True)

    return marked


def _expand(text: str, escape: str, lookup: _Lookup, budget: Budget) -> tuple[str, bool]:
    lexer = _Lexer(text, escape, lookup, budget)
    value = lexer.word()
    return value, lexer.unresolved


# --------------------------------------------------------------------------- the parser


@dataclass
class _Var:
    value: str | None
    known: bool


@dataclass
class _StageState:
    name: str | None
    base: str
    location: Location
    scratch_root: bool  # nothing unknown comes from an external image
    args: dict[str, _Var] = field(default_factory=dict)
    inherited: dict[str, DockerEnv] = field(default_factory=dict)
    env: list[DockerEnv] = field(default_factory=list)
    workdir: str | None = "/"
    shell: tuple[str, ...] = DEFAULT_SHELL
    copies: list[Copy] = field(default_factory=list)
    runs: list[Run] = field(default_factory=list)
    cmd: ExecCommand | None = None
    entrypoint: ExecCommand | None = None
    parent: int | None = None  # an earlier stage
    linked: BaseImage | None = None  # or a base image this repository builds

    def known_variables(self) -> tuple[tuple[str, str], ...]:
        """ARG and ENV values known here (ENV wins), as the build shell sees them."""
        values: dict[str, str] = {}
        for name, var in self.args.items():
            if var.known and var.value is not None:
                values[name] = var.value
        for name, item in self.inherited.items():
            values.pop(name, None)
            if not item.unresolved:
                values[name] = item.value
        for item in self.env:
            values.pop(name := item.name, None)
            if not item.unresolved:
                values[name] = item.value
        return tuple(values.items())

    def lookup(self, name: str) -> tuple[str | None, bool]:
        for item in reversed(self.env):
            if item.name == name:
                return item.value, not item.unresolved
        if name in self.inherited:
            item = self.inherited[name]
            return item.value, not item.unresolved
        if name in self.args:
            var = self.args[name]
            return var.value, var.known
        return None, self.scratch_root


class _Parser:
    def __init__(
        self,
        path: str,
        build_args: Mapping[str, str] | None,
        bases: BaseLookup | None = None,
        platform: Mapping[str, str] | None = None,
    ) -> None:
        self.path = path
        self.build_args = build_args
        self.platform = platform or {}
        self.platform_reads: set[str] = set()
        self.bases = bases
        self.links: list[tuple[int, BaseImage]] = []  # (stage, the base image it is built FROM)
        self.stage_env: list[dict[str, DockerEnv]] = []  # each stage's ENV, inherited ones too
        self.stage_scratch: list[bool] = []  # each stage's chain starts FROM scratch
        self.budget = Budget()  # the file's own: another file's expansion never reaches it
        self.budget_reported = False
        self.escape = "\\"
        self.problems: list[Problem] = []
        self.global_args: dict[str, _Var] = {}
        self.defaulted: set[str] = set()
        self.stages: list[Stage] = []
        self.current: _StageState | None = None

    def problem(self, logical: _Logical, offset: int, message: str) -> None:
        line, column = logical.position(offset)
        self.problems.append(
            Problem(ProblemKind.PARSE_ERROR, Location(self.path, line, column), message)
        )

    def expand(self, raw: str, lookup: _Lookup, logical: _Logical, offset: int) -> tuple[str, bool]:
        value, unresolved = _expand(raw, self.escape, lookup, self.budget)
        if self.budget.left < 0 and not self.budget_reported:
            self.budget_reported = True
            self.problem(logical, offset, self.budget.message() + ": later values are unknown")
        return value, unresolved

    def location(self, logical: _Logical, start: int, end: int) -> Location:
        line, column = logical.position(start)
        end_line, end_column = logical.position(max(start, end - 1))
        return Location(self.path, line, column, end_line, end_column + 1)

    # -- lines -------------------------------------------------------------------------
    def run(self, text: str) -> Dockerfile:
        text = text.removeprefix("\ufeff")
        lines = [line.removesuffix("\r") for line in text.split("\n")]
        index = self.directives(lines)
        while index < len(lines):
            logical, index = self.logical(lines, index)
            if logical is not None:
                index = self.instruction(logical, lines, index)
        self.close_stage()
        stages, linked = _link(tuple(self.stages), self.links)
        return Dockerfile(
            stages,
            tuple(self.problems),
            linked,
            frozenset(self.defaulted),
            frozenset(self.platform_reads),
        )

    def directives(self, lines: list[str]) -> int:
        seen: set[str] = set()
        for index, line in enumerate(lines):
            match = _DIRECTIVE.fullmatch(line)
            if match is None:
                return index
            key, value = match.group(1).lower(), match.group(2)
            if key in seen:
                return index  # a repeated directive is an ordinary comment
            seen.add(key)
            if key == "escape":
                if value in ("\\", "`"):
                    self.escape = value
                else:
                    self.problems.append(
                        Problem(
                            ProblemKind.PARSE_ERROR,
                            Location(self.path, index + 1, 1),
                            "invalid escape parser directive: must be ` or \\",
                        )
                    )
        return len(lines)

    def logical(self, lines: list[str], index: int) -> tuple[_Logical | None, int]:
        raw = lines[index]
        index += 1
        stripped = raw.lstrip()
        if not stripped or stripped.startswith("#"):
            return None, index
        body, more = _continued(stripped, self.escape)
        logical = _Logical(body, [(0, index, len(raw) - len(stripped))])
        while more and index < len(lines):
            raw = lines[index]
            index += 1
            if _is_comment(raw) or not raw.strip():
                continue
            body, more = _continued(raw, self.escape)
            logical.pieces.append((len(logical.text), index, 0))
            logical.text += body
        if not logical.text.strip():
            return None, index
        return logical, index

    def instruction(self, logical: _Logical, lines: list[str], index: int) -> int:
        text = logical.text
        keyword_end = len(text)
        for i, ch in enumerate(text):
            if ch in _SPACE:
                keyword_end = i
                break
        keyword = text[:keyword_end].lower()
        args_start = keyword_end
        while args_start < len(text) and text[args_start] in _SPACE:
            args_start += 1
        args = text[args_start:].rstrip(_SPACE)
        heredocs: list[Heredoc] = []
        if keyword in _HEREDOC_INSTRUCTIONS and not args.startswith("["):
            index = self.heredocs(logical, args, lines, index, heredocs)
        if keyword == "from":
            self.from_(logical, args, args_start)
        elif keyword == "arg":
            self.arg(logical, args, args_start)
        elif keyword == "env":
            self.env(logical, args, args_start)
        elif keyword in _STAGE_INSTRUCTIONS:
            state = self.current
            if state is None:
                self.problem(logical, 0, f"{keyword.upper()} before the first FROM")
            elif keyword == "workdir":
                self.workdir(state, logical, args)
            elif keyword in ("copy", "add"):
                self.copy(state, logical, keyword, args, heredocs)
            elif keyword == "run":
                self.run_(state, logical, args, heredocs)
            else:
                self.command(state, logical, keyword, args)
        return index

    def heredocs(
        self, logical: _Logical, args: str, lines: list[str], index: int, out: list[Heredoc]
    ) -> int:
        for _, word in _words(args, self.escape):
            match = _HEREDOC.fullmatch(word)
            if match is None:
                continue
            strip_tabs, quoted, name = match.group(1) == "-", bool(match.group(2)), match.group(3)
            body: list[str] = []
            while index < len(lines):
                line = lines[index]
                index += 1
                if strip_tabs:
                    line = line.lstrip("\t")
                if line == name:
                    break
                body.append(line + "\n")
            else:
                self.problem(logical, 0, f"unterminated heredoc '{name}'")
            out.append(Heredoc(name, "".join(body), quoted))
        return index

    # -- instructions ------------------------------------------------------------------
    def close_stage(self) -> None:
        state = self.current
        if state is not None:
            self.stages.append(
                Stage(
                    state.name,
                    state.base,
                    state.location,
                    tuple(state.env),
                    state.workdir,
                    tuple(state.copies),
                    tuple(state.runs),
                    state.cmd,
                    state.entrypoint,
                    state.shell,
                    state.parent,
                )
            )
            if state.linked is not None:
                self.links.append((len(self.stages) - 1, state.linked))
            full = dict(state.inherited)
            full.update((item.name, item) for item in state.env)
            self.stage_env.append(full)
            self.stage_scratch.append(state.scratch_root)
        self.current = None

    def global_lookup(self, name: str) -> tuple[str | None, bool]:
        var = self.global_args.get(name)
        if var is None and name in _PLATFORM_ARGS:
            return self.automatic(name)
        return (None, True) if var is None else (var.value, var.known)

    def automatic(self, name: str) -> tuple[str | None, bool]:
        """An automatic platform ARG's value (None, unknown: the caller gave no platform)."""
        self.platform_reads.add(name)
        value = self.platform.get(name)
        return value, value is not None

    def from_(self, logical: _Logical, args: str, offset: int) -> None:
        self.close_stage()
        words = [w for _, w in _words(args, self.escape) if not w.startswith("--")]
        location = self.location(logical, 0, offset + len(args))
        if not words:
            self.problem(logical, 0, "FROM requires an image")
            words = [""]
        elif len(words) not in (1, 3) or (len(words) == 3 and words[1].lower() != "as"):
            self.problem(logical, 0, "FROM takes an image and optionally AS <name>")
        base, unresolved = self.expand(words[0], self.global_lookup, logical, 0)
        name = words[2].lower() if len(words) == 3 and words[1].lower() == "as" else None
        parent: int | None = None
        for index in range(len(self.stages) - 1, -1, -1):
            if self.stages[index].name is not None and self.stages[index].name == base.lower():
                parent = index
                break
        scratch_root = base.lower() == "scratch"
        linked: BaseImage | None = None
        if parent is None and not scratch_root and self.bases is not None:
            reference = base
            if unresolved:  # the unknown parts written `*`
                reference, _ = _expand(words[0], self.escape, _marked(self.global_lookup), Budget())
            linked = self.bases(reference)
        inherited: dict[str, DockerEnv] = {}
        workdir: str | None = "/" if scratch_root else None
        shell = DEFAULT_SHELL
        if parent is not None:
            inherited = dict(self.stage_env[parent])
            scratch_root = self.stage_scratch[parent]
            workdir, shell = self.stages[parent].workdir, self.stages[parent].shell
        elif linked is not None:
            chain = linked.dockerfile
            target = chain.target_index(linked.target)
            if target is None:
                linked = None
            else:
                inherited = {item.name: item for item in chain.env_at(target)}
                scratch_root = (chain.base_image(linked.target) or "").lower() == "scratch"
                workdir, shell = chain.stages[target].workdir, chain.stages[target].shell
        self.current = _StageState(
            name,
            base,
            location,
            scratch_root,
            inherited=inherited,
            workdir=workdir,
            shell=shell,
            parent=parent,
            linked=linked,
        )

    def arg(self, logical: _Logical, args: str, offset: int) -> None:
        words = _words(args, self.escape)
        if not words:
            self.problem(logical, 0, "ARG requires at least one argument")
        state = self.current
        for _, word in words:
            name, eq, raw = word.partition("=")
            if eq:
                self.defaulted.add(name)
            var: _Var
            if self.build_args is not None and name in self.build_args:
                var = _Var(self.build_args[name], True)
            elif not eq and name in _PLATFORM_ARGS and name not in self.global_args:
                if state is None:
                    continue  # `ARG TARGETARCH` before FROM: the automatic value stays
                var = _Var(*self.automatic(name))
            elif eq:
                lookup = state.lookup if state is not None else self.global_lookup
                value, unresolved = self.expand(raw, lookup, logical, 0)
                var = _Var(value, not unresolved)
            elif state is not None and name in self.global_args:
                var = self.global_args[name]
            else:
                var = _Var(None, self.build_args is not None)
            if state is None:
                self.global_args[name] = var
            else:
                state.args[name] = var

    def env(self, logical: _Logical, args: str, offset: int) -> None:
        state = self.current
        if state is None:
            self.problem(logical, 0, "ENV before the first FROM")
            return
        words = _words(args, self.escape)
        if not words:
            self.problem(logical, 0, "ENV requires at least one argument")
            return
        items: list[tuple[int, str, str, int]] = []  # key offset, key, raw value, end offset
        if "=" not in words[0][1]:
            key_end = next((i for i, ch in enumerate(args) if ch in _SPACE), len(args))
            value_start = key_end
            while value_start < len(args) and args[value_start] in _SPACE:
                value_start += 1
            if value_start >= len(args):
                self.problem(logical, 0, "ENV must have two arguments (ENV key value)")
                return
            items.append((0, args[:key_end], args[value_start:], len(args)))
        else:
            for start, word in words:
                if "=" not in word:
                    self.problem(
                        logical, offset + start, "ENV word without '=' (must be name=value)"
                    )
                    continue
                key, _, raw = word.partition("=")
                end = _word_end(args, start, self.escape)
                items.append((start, key, raw, end))
        for start, key, raw, end in items:
            value, unresolved = self.expand(raw, state.lookup, logical, offset + start)
            location = self.location(logical, offset + start, offset + end)
            state.env.append(DockerEnv(key, value, location, unresolved))


    # -- what the image holds and runs ----------------------------------------------------
    def workdir(self, state: _StageState, logical: _Logical, args: str) -> None:
        if not args:
            self.problem(logical, 0, "WORKDIR requires exactly one argument")
            return
        path, _ = self.expand(args, state.lookup, logical, 0)
        state.workdir = _container_path(state.workdir, path)

    def flags(self, args: str) -> tuple[dict[str, str], str]:
        """BuildKit's leading ``--name[=value]`` flags and the rest of the arguments."""
        flags: dict[str, str] = {}
        rest = args
        while rest.startswith("--"):
            end = next((i for i, ch in enumerate(rest) if ch in _SPACE), len(rest))
            word = rest[:end]
            rest = rest[end:].lstrip(_SPACE)
            if word == "--":
                break
            match = _FLAG.fullmatch(word)
            if match is None:
                break
            flags[match.group(1).lower()] = match.group(2) or ""
        return flags, rest

    def copy(
        self,
        state: _StageState,
        logical: _Logical,
        keyword: str,
        args: str,
        heredocs: list[Heredoc],
    ) -> None:
        flags, rest = self.flags(args)
        parts = _json_array(rest)
        if parts is None:
            parts = [word for _, word in _words(rest, self.escape)]
            raw_words = True
        else:
            raw_words = False
        if len(parts) < 2:
            self.problem(logical, 0, f"{keyword.upper()} requires at least two arguments")
            return
        unresolved = False
        paths: list[str] = []
        for part in parts:
            heredoc = _HEREDOC.fullmatch(part) if raw_words else None
            if heredoc is not None:
                paths.append("<<" + heredoc.group(3))
                continue
            value, missing = self.expand(part, state.lookup, logical, 0)
            unresolved = unresolved or missing
            paths.append(value)
        source_from: str | None = None
        if "from" in flags:
            source_from, missing = self.expand(flags["from"], state.lookup, logical, 0)
            unresolved = unresolved or missing
        dest = paths[-1]
        absolute = _container_path(state.workdir, dest)
        # "." / ".." name directories that exist (the WORKDIR and its parent)
        directory = dest.endswith("/") or dest in (".", "..") or dest.endswith(("/.", "/.."))
        if directory and not absolute.endswith("/"):
            absolute += "/"
        state.copies.append(
            Copy(
                "COPY" if keyword == "copy" else "ADD",
                tuple(paths[:-1]),
                absolute,
                source_from.lower() if source_from and not source_from.isdigit() else source_from,
                self.location(logical, 0, len(logical.text)),
                tuple(heredocs),
                unresolved,
                flags.get("parents", "false").lower() not in ("false", "0"),
            )
        )

    def run_(
        self, state: _StageState, logical: _Logical, args: str, heredocs: list[Heredoc]
    ) -> None:
        flags, rest = self.flags(args)
        if not rest:
            self.problem(logical, 0, "RUN requires a command")
            return
        array = _json_array(rest)
        state.runs.append(
            Run(
                rest,
                None if array is None else tuple(array),
                state.workdir,
                self.location(logical, 0, len(logical.text)),
                tuple(heredocs),
                state.known_variables(),
                "mount" in flags,
            )
        )

    def command(self, state: _StageState, logical: _Logical, keyword: str, args: str) -> None:
        array = _json_array(args)
        location = self.location(logical, 0, len(logical.text))
        if keyword == "shell":
            if array is None or not array:
                self.problem(logical, 0, "SHELL requires the arguments to be in JSON form")
                return
            state.shell = tuple(array)
            return
        if array is not None:
            value = ExecCommand(tuple(array), False, location)
        elif args:
            value = ExecCommand((*state.shell, args), True, location)
        else:
            value = ExecCommand((), False, location)  # `CMD` with nothing: an empty command
        if keyword == "cmd":
            state.cmd = value
        else:
            state.entrypoint = value


def _json_array(text: str) -> list[str] | None:
    """BuildKit's ``parseMaybeJSON``: a JSON array of strings, else None (shell form)."""
    if not text.startswith("["):
        return None
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return value
    return None


def _container_path(workdir: str | None, path: str) -> str:
    """``path`` made absolute against ``workdir`` and cleaned (Go's ``path.Clean``); relative
    (to the base image's unknown working directory) when ``workdir`` is None."""
    if path.startswith("/"):
        return posixpath.normpath(path).replace("//", "/")
    if workdir is None:
        return posixpath.normpath(path) if path else "."
    return posixpath.normpath(posixpath.join(workdir, path)) if path else workdir


def _word_end(text: str, start: int, escape: str) -> int:
    """The offset just after the word starting at ``start`` (same rules as :func:`_words`)."""
    quote = ""
    i = start
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == quote:
                quote = ""
            elif ch == escape and quote != "'":
                i += 1
        elif ch.isspace():
            break
        elif ch in "'\"":
            quote = ch
        elif ch == escape:
            i += 1
        i += 1
    return min(i, len(text))


# BuildKit's automatic platform ARGs (Dockerfile reference, "Automatic platform ARGs in the
# global scope"): the build result's platform, and the platform of the node that builds
_PLATFORM_ARGS = frozenset(
    {"TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT", "BUILDPLATFORM", "BUILDOS",
     "BUILDARCH", "BUILDVARIANT"}
)  # fmt: skip


def platform_args(target: str, build: str | None = None) -> dict[str, str]:
    """The automatic platform ARGs of a build for ``target`` (``linux/arm64/v8``: OS,
    architecture, variant) on a node of platform ``build`` (None: not known, left out)."""
    values: dict[str, str] = {}
    for prefix, platform in (("TARGET", target), ("BUILD", build)):
        if platform is None:
            continue
        os, _, rest = platform.partition("/")
        arch, _, variant = rest.partition("/")
        values.update(
            {
                f"{prefix}PLATFORM": platform,
                f"{prefix}OS": os,
                f"{prefix}ARCH": arch,
                f"{prefix}VARIANT": variant,
            }
        )
    return values


def parse_dockerfile(
    text: str,
    path: str,
    *,
    build_args: Mapping[str, str] | None = None,
    bases: BaseLookup | None = None,
    platform: Mapping[str, str] | None = None,
) -> Dockerfile:
    """Parse a Dockerfile's stages, ARGs and ENVs.  Never raises on bad input.

    ``build_args`` (the service's resolved ``build.args``) override ARG defaults; when given,
    an ARG with no default and no build argument is known to be empty rather than unknown.
    A budget of its own (:class:`~envlint.compose.interpolation.Budget`) bounds what
    substitutions add (``ENV B=$A$A…`` chains); past it values are unknown and one problem
    says so.  ``bases`` finds the Dockerfile this repository builds an
    image from, for a ``FROM`` that names no earlier stage: that image's target stage becomes
    the stage's parent (its ENV, WORKDIR, SHELL, files and command are inherited), its stages
    appended after the file's own.  ``platform``: the automatic platform ARGs' values
    (:func:`platform_args`); those it leaves out are unknown.
    """
    return _Parser(path, build_args, bases, platform).run(text)


def parsed_dockerfile(
    text: str,
    path: str,
    build_args: Mapping[str, str],
    platform: Mapping[str, str] | None = None,
) -> Dockerfile:
    """:func:`parse_dockerfile` of ``text`` (the Dockerfile at ``path``) with a service's
    ``build_args`` (and ``platform``), parsed once for every reader of the run that asks with
    the same arguments: the compose loader (the image ENV and base image of each service built
    from it) and the service-code plan share the immutable result."""
    values = tuple(sorted((platform or {}).items()))
    return _parse_once(text, path, tuple(sorted(build_args.items())), values)


@lru_cache(maxsize=256)
def _parse_once(
    text: str,
    path: str,
    build_args: tuple[tuple[str, str], ...],
    platform: tuple[tuple[str, str], ...] = (),
) -> Dockerfile:
    return parse_dockerfile(text, path, build_args=dict(build_args), platform=dict(platform))
