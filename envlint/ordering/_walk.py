"""What the per-language ordering walkers (:mod:`envlint.ordering.golang`,
:mod:`envlint.ordering.jvm`, :mod:`envlint.ordering.roles`) share: node text sliced from the
source bytes, locations, the per-function draft, and what a log call looks like.  The
dispatching extractor is :mod:`envlint.ordering.extract`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from envlint.model import Location
from envlint.ordering.model import ErrorUse, EventKind, Frame, OrderEvent

if TYPE_CHECKING:
    from tree_sitter import Node

__all__ = [
    "Draft",
    "Text",
    "descendants",
    "is_log_call",
    "last_identifier",
    "location",
    "strip_pointer",
]


def location(path: str, node: Node) -> Location:
    start, end = node.start_point, node.end_point
    return Location(path, start.row + 1, start.column + 1, end.row + 1, end.column + 1)


class Text:
    """Node text sliced from the file's bytes (``Node.text`` copies up to 64 KiB per call on a
    tree parsed through a read callback, as the source pass parses)."""

    __slots__ = ("source",)

    def __init__(self, source: bytes) -> None:
        self.source = source

    def __call__(self, node: Node | None) -> str:
        if node is None:
            return ""
        return self.source[node.start_byte : node.end_byte].decode("utf-8", "replace")


@dataclass
class Draft:
    """An event while its function is still being walked (error use and guards settle later)."""

    kind: EventKind
    location: Location
    scope: tuple[Frame, ...]
    guards: tuple[int, ...]
    callee: str = ""
    name: str = ""
    receiver: str = ""
    receiver_field: str = ""
    receiver_type: str = ""
    self_call: bool = False
    arg_count: int = 0
    error_use: ErrorUse = "none"
    fails: bool = False
    delivery: ErrorUse = "none"
    via: str = ""
    handler: Location | None = None
    branch: Location | None = None
    kept: str = ""
    counted: bool = False
    extra_guards: list[int] = field(default_factory=list)

    def freeze(self, index: int) -> OrderEvent:
        """The event at ``index`` (its own index is never one of its guards)."""
        guards = tuple(sorted({*self.guards, *self.extra_guards} - {index}))
        return OrderEvent(
            index=index,
            kind=self.kind,
            location=self.location,
            scope=self.scope,
            callee=self.callee,
            name=self.name,
            receiver=self.receiver,
            receiver_field=self.receiver_field,
            receiver_type=self.receiver_type,
            self_call=self.self_call,
            arg_count=self.arg_count,
            error_use=self.error_use,
            guards=guards,
            fails=self.fails,
            delivery=self.delivery,
            via=self.via,
            handler=self.handler,
            branch=self.branch,
            kept=self.kept,
            counted=self.counted,
        )


def descendants(node: Node) -> Iterator[Node]:
    """Every named node below ``node``, depth first in source order (``node`` itself not)."""
    for child in node.named_children:
        yield child
        yield from descendants(child)


def freeze_all(drafts: list[Draft]) -> tuple[OrderEvent, ...]:
    return tuple(d.freeze(i) for i, d in enumerate(drafts))


def last_identifier(receiver: str) -> str:
    """``cs.KafkaProducerClient`` -> ``KafkaProducerClient``; ``a.b()`` -> ``""``."""
    tail = receiver.rsplit(".", 1)[-1].strip()
    return tail if tail.replace("_", "a").isalnum() else ""


def strip_pointer(type_text: str) -> str:
    return type_text.lstrip("*& ").strip()


# A log call (Go and JVM; JS/TS and Python say it in their role queries as ``@log``): a logging
# method on a logger (``log``, ``logger``, ``s.logger``, ``auditLog``, ``LOG``, ``System.err``,
# the head of a chain such as ``log.Error().Err(err).Msg``), or a trace span's error record.
_LOG_METHOD = re.compile(
    r"(?i)^(print|printf|println|fprint|fprintf|fprintln|log|logf|logw|error|errorf|errorw|errorln"
    r"|err|warn|warnf|warnw|warning|warningf|warnln|info|infof|infow|infoln|debug|debugf|debugw"
    r"|trace|tracef|msg|msgf|send|severe|fine|logerror|logwarning|loginformation|logdebug"
    r"|logcritical|logtrace|debugcontext|infocontext|warncontext|errorcontext|logattrs)$"
)
# a plain call of the code's own log helper: Log(e), logError(e), log_failure(e)
_LOG_HELPER = re.compile(r"(?i)^_?log_?(error|warning|warn|info|information|debug|critical"
                         r"|exception|failure)?$")
_LOGGER = re.compile(
    r"(?i:^(fmt|log|logs|logger|logging|slog|zap|zerolog|logrus|klog|glog|sugar|l|lg)$)"
    r"|[a-z0-9](Log|Logger)$|_(log|logger)$|^(LOG|LOGGER)$|^System\.(out|err)$"
)
# C#'s console and System.Diagnostics writes (a container's standard output is its log):
# Console.WriteLine, Console.Error.WriteLine, Debug.WriteLine, Trace.TraceError; a Write on any
# other receiver (a StreamWriter, the HTTP response) is not a log line
_CONSOLE_WRITE = re.compile(r"^(Write|WriteLine|TraceError|TraceWarning|TraceInformation)$")
_CONSOLE = re.compile(r"^(System\.)?(Console(\.(Error|Out))?|(Diagnostics\.)?(Debug|Trace))$")
_SPAN = re.compile(r"(?i)^(recorderror|recordexception|printstacktrace)$")
# a status or event on a trace span (``span.SetStatus(codes.Error, ...)``,
# ``Span.current().setStatus(...)``): on anything else a status is state someone reads
_SPAN_STATUS = re.compile(r"(?i)^(setstatus|addevent)$")
_SPAN_HOLDER = re.compile(r"(?i)span")
# attributes set on a trace span (``span.SetAttributes(attribute.Bool("...success", false))``)
_SPAN_ATTRIBUTES = re.compile(r"(?i)^(setattributes|setattribute|settag|settags)$")
_SPAN_RECEIVER = re.compile(r"(?i)span$")
_OWN = frozenset({"this", "self", "base"})


def is_log_call(callee: str, name: str) -> bool:
    """``log.Printf``, ``s.logger.Errorw``, ``log.Error().Err(err).Msg``, ``LOG.error``,
    ``System.err.println``, ``Console.WriteLine``, ``e.printStackTrace``, ``span.RecordError``,
    ``span.SetStatus``, ``span.SetAttributes``: the call only writes a log line or a trace
    record (a ``SetStatus`` on anything but a span is not one: ``item.setStatus(FAILED)`` is
    state someone reads)."""
    if _SPAN.match(name):
        return True
    if _SPAN_STATUS.match(name):
        return bool(_SPAN_HOLDER.search(callee[: len(callee) - len(name)]))
    if _SPAN_ATTRIBUTES.match(name):
        return bool(_SPAN_RECEIVER.search(callee[: len(callee) - len(name)].rstrip(".?")))
    if callee == name:
        return bool(_LOG_HELPER.match(name))
    if _CONSOLE_WRITE.match(name):
        return bool(_CONSOLE.match(callee[: len(callee) - len(name)].rstrip(".")))
    if not _LOG_METHOD.match(name):
        return False
    receiver = callee[: len(callee) - len(name)].rstrip(".?")
    chained = "(" in receiver
    parts = [p for p in receiver.split("(", 1)[0].split(".") if p]
    if len(parts) > 1 and (parts[0] in _OWN or len(parts[0]) <= 2):
        parts = parts[1:]  # a logger field of the receiver: s.logger, this.log
    if not parts:
        return False
    if chained:  # log.Error().Err(err).Msg: the head of the chain is the logger
        return bool(_LOGGER.search(parts[0]))
    return bool(_LOGGER.search(".".join(parts))) or bool(_LOGGER.search(parts[-1]))
