"""Per-function ordering facts that the ``ordering`` extractor records (immutable, no judgement).

For every function or method that can matter (see :mod:`envlint.ordering.select`) the extractor
lists, in evaluation order, the calls, the channel sends to a sarama ``AsyncProducer.Input()``
and the exits (return, throw, panic) it contains, each with the control-flow context it sits in
and how the call's failure is handled there, including the delivery callback, promise or report
channel a Kafka client hands an asynchronous failure to.  The rules (ENV401, ENV402) resolve
local helpers and decide what is a publish or a destructive step; nothing here knows about the
user's patterns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from envlint.model import Location

__all__ = [
    "ChannelReader",
    "ErrorUse",
    "EventKind",
    "FileFunctions",
    "Frame",
    "FrameKind",
    "FunctionFacts",
    "FunctionSummary",
    "MethodDecl",
    "OrderEvent",
    "OrderingFact",
    "TypeBinding",
]

EventKind = Literal["call", "send", "exit"]
# Branching constructs an event can sit in.  ``if``/``switch``/``select`` arms exclude each other;
# ``loop``, ``try``/``catch``/``finally`` and ``closure`` (func literal, lambda, goroutine, defer)
# do not.
FrameKind = Literal["if", "switch", "select", "loop", "try", "catch", "finally", "closure"]
# How the failure of a call is handled where it is made:
#   returned  - the error is returned / the exception escapes the function (or the call is awaited
#               outside a swallowing try)
#   checked   - it is tested and the failing branch ends the function with an error (return err,
#               panic, throw)
#   logged    - it is tested (or caught) and the failing branch only logs and carries on
#   handled   - it is tested (or caught) and the failing branch does something besides logging
#               that may tell someone (returns a value, answers an HTTP error, stores, retries)
#   discarded - assigned to ``_``
#   dropped   - the result is not looked at (expression statement, un-awaited Task, Future ignored,
#               async producer whose Errors() this function never reads)
#   unused    - assigned to a variable that is never tested
#   callback  - handed to a delivery callback, promise or future callback (see ``delivery``)
#   none      - the value is used by an enclosing expression (no verdict)
ErrorUse = Literal[
    "returned",
    "checked",
    "logged",
    "handled",
    "discarded",
    "dropped",
    "unused",
    "callback",
    "none",
]
# How an asynchronous delivery failure is handled (``OrderEvent.delivery``), the same words:
#   checked  - the callback / report reader ends the program or hands the failure on
#   logged   - its failure path only logs and returns
#   dropped  - it never looks at the failure (an ignored error parameter, a nil promise, a
#              report read and ignored; for a report channel: no reader in the function)
#   handled  - it does something besides logging that may tell someone: stores the error or a
#              failure status where it outlives the callback, retries, signals, hands it on
#   unused   - it keeps the failure only in a variable of the enclosing function, created there
#              and never read again (see ``kept``)
#   none     - no asynchronous delivery, or not known


@dataclass(frozen=True, slots=True)
class Frame:
    """One enclosing construct: ``node`` is its start byte, ``arm`` the branch (0: then/body)."""

    kind: FrameKind
    node: int
    arm: int = 0


@dataclass(frozen=True, slots=True)
class OrderEvent:
    """A call, an async-producer send or an exit inside one function, in evaluation order."""

    index: int
    kind: EventKind
    location: Location
    scope: tuple[Frame, ...] = ()  # outermost first
    callee: str = ""  # source text of the called expression: "cs.cartSvcClient.EmptyCart"
    name: str = ""  # the called name: "EmptyCart" (for a send: "Input")
    receiver: str = ""  # the text before the name: "cs.cartSvcClient" ("" for a plain call)
    receiver_field: str = ""  # last identifier of the receiver: "cartSvcClient", "_producer"
    receiver_type: str = ""  # type evidence from params, locals or same-file fields ("" unknown)
    self_call: bool = False  # plain call or call on the function's own receiver / this
    arg_count: int = 0
    error_use: ErrorUse = "none"
    guards: tuple[int, ...] = ()  # indices of earlier calls whose success this event requires
    fails: bool = False  # for exits: returns a non-nil error, throws, panics or exits the process
    # the asynchronous delivery failure (see above) and where it is handed: "promise" (franz-go;
    # "nil promise" when none is given), "callback" (Java/Python delivery callback), "future"
    # (whenComplete/then/catch/add_errback), "Events()" (confluent-kafka-go reports), "channel"
    # (a delivery channel), "Errors()" (sarama sends: their own failure); "" none
    delivery: ErrorUse = "none"
    via: str = ""
    # the callback / reader that handles the asynchronous failure (None: none, or a report
    # channel this function does not read; for a sarama send: its Errors() reader)
    handler: Location | None = None
    branch: Location | None = None  # the failure branch / catch that decided ``error_use``
    kept: str = ""  # delivery ``unused``: the variable the callback keeps the failure in
    counted: bool = False  # the failure branch that decided ``delivery`` also counts a metric


@dataclass(frozen=True, slots=True)
class FunctionFacts:
    """One function or method and its ordered events."""

    language: str  # "go", "csharp", "java"
    path: str
    package: str  # Go: the file's directory; C#/Java: the namespace / package
    owner: str  # Go: receiver type name ("" for functions); C#/Java: the class
    name: str
    location: Location  # the function's name
    receiver_var: str = ""  # Go receiver identifier ("cs")
    returns_error: bool = False  # Go: last result is `error`; C#/Java: True (exceptions)
    events: tuple[OrderEvent, ...] = ()


@dataclass(frozen=True, slots=True)
class TypeBinding:
    """A declared type for a struct field / class field / package variable (receiver evidence)."""

    language: str
    package: str
    owner: str  # the struct / class ("" for package-level variables)
    name: str
    type: str  # source text of the type, e.g. "sarama.AsyncProducer", "IProducer<string, byte[]>"


@dataclass(frozen=True, slots=True)
class MethodDecl:
    """A Go method, or a method an interface lists, named like a publishing method of another
    package: where a call ``x.Publish(...)`` may go (see :mod:`envlint.ordering.scope`).  Every
    declaration of a name in the code envlint reads is recorded, or none."""

    language: str
    path: str
    owner: str  # the receiver type / the interface
    name: str
    interface: bool = False


@dataclass(frozen=True, slots=True)
class ChannelReader:
    """A function that reads a producer's report channel (sarama ``Errors()``, confluent-kafka-go
    ``Events()``) and what it does with a failure found there."""

    language: str
    package: str
    channel: str  # "Errors" / "Events"
    receiver_field: str  # last identifier of the producer expression: "producer"
    use: ErrorUse  # "checked", "logged", "dropped" or "handled" (see ``delivery`` above)
    location: Location  # the read (``range p.Events()``)
    function: str = ""


@dataclass(frozen=True, slots=True)
class FunctionSummary:
    """One function of a file, as the selection sees it (see :mod:`envlint.ordering.select`)."""

    name: str
    publishes: bool  # its body holds a call named like a publish API or matching a pattern
    reads_reports: bool  # its body reads a report channel (``Errors()`` / ``Events()``)
    calls: tuple[str, ...]  # names it calls, sorted (a superset: every name before ``(``)
    walked: bool  # its FunctionFacts are in the file's facts


@dataclass(frozen=True, slots=True)
class FileFunctions:
    """Every function of one file the extractor looked at, walked or not: what the pipeline needs
    to finish the selection across the files of a Go package or C# directory."""

    language: str
    path: str
    scope: str  # the files whose functions may call each other: a directory, or the file
    functions: tuple[FunctionSummary, ...] = ()


# What the ``ordering`` extractor yields per file.
OrderingFact = FunctionFacts | TypeBinding | ChannelReader | FileFunctions | MethodDecl
