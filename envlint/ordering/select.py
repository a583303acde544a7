"""What the ordering extractor looks at: only what ENV401/ENV402 can fire on (issue #13).

Both rules need a function that reaches a Kafka publish (directly, or through local helpers up
to :data:`MAX_DEPTH` calls deep).  So the extractor parses a file only when its bytes hold a
publish needle (the client APIs of its language, or a literal every match of an ``[ordering]
publish`` pattern must contain), and walks only the functions that can matter:

* those whose body holds a publish call (``publishes``),
* their callers, up to :data:`MAX_DEPTH` calls away (the handlers that reach a publish through
  helpers),
* the helpers those call, up to :data:`MAX_DEPTH` deep (where a destructive step may sit), and
* the functions that read a producer's report channel (``Errors()`` / ``Events()``).

Calls are matched by name over the function's bytes (every name before ``(``, ``[`` or ``<``):
a superset of the calls the walkers see, so no function a finding depends on is left out.  Go
helpers live in the package and C# partial classes across a directory, so for those languages
the selection spans the *scope* (the directory): the pipeline finishes it over the scope's
other files (:mod:`envlint.ordering.scope`).  Java, JS/TS and Python helpers are resolved
within the file, whose scope is the file itself.
"""

from __future__ import annotations

import importlib
import posixpath
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from envlint.ordering.model import FunctionSummary

__all__ = [
    "MAX_DEPTH",
    "SCOPED",
    "Needles",
    "needed",
    "pattern_literals",
    "scope_of",
    "summarize",
]

MAX_DEPTH = 3  # helper hops the index follows (envlint.ordering.index re-exports it)

# Languages whose helpers may sit in another file of the same directory.
SCOPED = frozenset({"go", "csharp"})

# The built-in publish APIs of each language as calls (see envlint.ordering.index._APIS), and
# the bytes one of them needs in a file.
_PUBLISH: dict[str, re.Pattern[bytes]] = {
    "go": re.compile(
        rb"\b(?:SendMessages?|WriteMessages|Produce|ProduceSync|TryProduce)\s*[(\[]"
        rb"|\.\s*Input\s*\(\s*\)\s*<-"
    ),
    "csharp": re.compile(rb"\b(?:Produce|ProduceAsync)\s*[(<]"),
    "java": re.compile(rb"\b(?:send|sendDefault)\s*\("),
    "javascript": re.compile(rb"\b(?:send|sendBatch|produce)\s*\("),
    "python": re.compile(rb"\b(?:produce|send|send_and_wait|send_batch)\s*\("),
}
_PUBLISH["typescript"] = _PUBLISH["tsx"] = _PUBLISH["javascript"]
# JS/TS and Python publish APIs count only in a file that imports the client library (see
# envlint.ordering.roles), so its name is the needle there.
_FILE_NEEDLES: dict[str, tuple[bytes, ...]] = {
    "go": (b"SendMessage", b"WriteMessages", b"Produce", b"Input()"),
    "csharp": (b"Produce",),
    "java": (b"send",),
    "javascript": (b"kafkajs", b"@confluentinc/kafka-javascript", b"node-rdkafka"),
    "python": (b"confluent_kafka", b"kafka", b"aiokafka"),
}
_FILE_NEEDLES["typescript"] = _FILE_NEEDLES["tsx"] = _FILE_NEEDLES["javascript"]
_IMPORTED = frozenset({"javascript", "typescript", "tsx", "python"})
_REPORTS = re.compile(rb"\.\s*(?:Errors|Events)\s*\(\s*\)")
_CALL_NAME = re.compile(rb"([A-Za-z_][A-Za-z0-9_]*)\s*[(\[<]")


@dataclass(frozen=True, slots=True)
class Needles:
    """The publish needles of a run: the built-in APIs plus the literals of the user's
    ``publish`` patterns (``folded``: compared case-insensitively).  ``everything``: some
    pattern has no literal every match must contain, so every file and function may publish."""

    literals: tuple[bytes, ...] = ()
    folded: tuple[bytes, ...] = ()
    everything: bool = False

    @classmethod
    def of(cls, patterns: Sequence[str]) -> Needles:
        literals: list[bytes] = []
        folded: list[bytes] = []
        for pattern in patterns:
            found = pattern_literals(pattern)
            if found is None:
                return cls(everything=True)
            for text, fold in found:
                (folded if fold else literals).append(text.encode())
        return cls(tuple(sorted(set(literals))), tuple(sorted(set(folded))))

    def in_file(self, language: str, source: bytes) -> bool:
        """Whether a file of ``language`` may hold a publish (a cheap pre-filter)."""
        if self.everything or any(n in source for n in _FILE_NEEDLES.get(language, ())):
            return True
        return self._user(source)

    def in_body(self, language: str, body: bytes, *, builtin: bool = True) -> bool:
        """Whether a function body holds a publish call of ``language`` (when ``builtin``: the
        file may use a client) or a user needle."""
        if self.everything:
            return True
        api = _PUBLISH.get(language) if builtin else None
        return (api is not None and api.search(body) is not None) or self._user(body)

    def _user(self, data: bytes) -> bool:
        if any(n in data for n in self.literals):
            return True
        if self.folded:
            lowered = data.decode("utf-8", "replace").casefold().encode()
            return any(n in lowered for n in self.folded)
        return False


def scope_of(language: str, path: str) -> str:
    """The files whose functions may call each other as local helpers."""
    return (posixpath.dirname(path) or ".") if language in SCOPED else path


def summarize(
    language: str,
    spans: Iterable[tuple[str, int, int]],
    source: bytes,
    needles: Needles,
) -> list[FunctionSummary]:
    """One summary per function (``name``, body start and end byte), not yet walked."""
    out: list[FunctionSummary] = []
    client = language not in _IMPORTED or any(n in source for n in _FILE_NEEDLES[language])
    for name, start, end in spans:
        body = source[start:end]
        calls = tuple(sorted({m.decode("utf-8", "replace") for m in _CALL_NAME.findall(body)}))
        out.append(
            FunctionSummary(
                name=name,
                publishes=needles.in_body(language, body, builtin=client),
                reads_reports=language == "go" and _REPORTS.search(body) is not None,
                calls=calls,
                walked=False,
            )
        )
    return out


def needed(functions: Sequence[FunctionSummary]) -> frozenset[str]:
    """Names of the functions of one scope that ENV401/ENV402 may need (see the module doc)."""
    names = {f.name for f in functions}
    reach = {f.name for f in functions if f.publishes}
    if not reach:
        return frozenset()
    for _ in range(MAX_DEPTH):
        callers = {f.name for f in functions if not reach.isdisjoint(f.calls)}
        if callers <= reach:
            break
        reach |= callers
    need = set(reach)
    frontier = set(reach)
    for _ in range(MAX_DEPTH):
        callees = {c for f in functions if f.name in frontier for c in f.calls} & names
        frontier = callees - need
        if not frontier:
            break
        need |= frontier
    need |= {f.name for f in functions if f.reads_reports}
    return frozenset(need)


# -- literals of the user's publish patterns ----------------------------------------------------


def pattern_literals(pattern: str) -> list[tuple[str, bool]] | None:
    """Strings one of which every match of ``pattern`` holds in the source: the longest run of
    identifier characters of a literal the match must contain, with whether it is compared
    case-insensitively; None when there is no such literal (or the pattern cannot be read).

    A pattern is searched in a call's callee text, which joins source slices with ``.``; a run of
    identifier characters of a literal inside it therefore sits inside one slice, so the source
    holds it too.  The pattern is read with Python's own regex parser (``re._parser``); an
    unreadable or unusual pattern gives None (every file may publish), never a wrong answer.
    """
    try:
        parser: Any = importlib.import_module("re._parser")
        constants: Any = importlib.import_module("re._constants")
        parsed = parser.parse(pattern)
        fold = bool(parsed.state.flags & constants.SRE_FLAG_IGNORECASE)
        options = _required(list(parsed), fold, constants)
    except Exception:  # a future re module, or an op this reader does not know
        return None
    best: list[tuple[str, bool]] | None = None
    for option in options:
        runs = [(_longest_run(text), folded) for text, folded in option]
        if not runs or any(len(run) < 2 for run, _ in runs):
            continue
        if any(folded and not run.isascii() for run, folded in runs):
            continue  # case folding beyond ASCII: not worth the risk
        if best is None or min(len(r) for r, _ in runs) > min(len(r) for r, _ in best):
            best = [(run.casefold() if folded else run, folded) for run, folded in runs]
    return best


def _longest_run(text: str) -> str:
    runs = re.findall(r"\w+", text)
    return max(runs, key=len) if runs else ""


def _required(items: list[Any], fold: bool, c: Any) -> list[list[tuple[str, bool]]]:
    """Alternatives of literals: for each returned option, every match holds one of its
    (text, folded) strings.  Literal runs of the sequence, and what groups, branches and
    repeats with a minimum of one require."""
    options: list[list[tuple[str, bool]]] = []
    run: list[str] = []

    def close() -> None:
        if run:
            options.append([("".join(run), fold)])
            run.clear()

    for op, av in items:
        if op is c.LITERAL:
            run.append(chr(av))
            continue
        close()
        if op is c.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            inner = (fold or bool(add_flags & c.SRE_FLAG_IGNORECASE)) and not (
                del_flags & c.SRE_FLAG_IGNORECASE
            )
            options.extend(_required(list(sub), inner, c))
        elif op is c.BRANCH:
            alternatives = [_required(list(branch), fold, c) for branch in av[1]]
            if all(alternatives):
                merged: list[tuple[str, bool]] = []
                for alternative in alternatives:
                    merged.extend(max(alternative, key=lambda o: min(len(t) for t, _ in o)))
                options.append(merged)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1:
            options.extend(_required(list(av[2]), fold, c))
        elif op is c.ATOMIC_GROUP:
            options.extend(_required(list(av), fold, c))
    close()
    return options
