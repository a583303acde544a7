"""Per-function ordering facts that the ``ordering`` extractor records (immutable, no judgement).

For every function or method the extractor lists, in evaluation order, the calls, the channel
sends to a sarama ``AsyncProducer.Input()`` and the exits (return, throw, panic) it contains,
each with the control-flow context it sits in and how the call's failure is handled there.
The rules (ENV401, ENV402) resolve local helpers and decide what is a publish or a destructive
step; nothing here knows about Kafka clients or the user's patterns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from envlint.model import Location

__all__ = [
    "ErrorUse",
    "EventKind",
    "Frame",
    "FrameKind",
    "FunctionFacts",
    "OmittedCalls",
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
#   logged    - it is tested (or caught) but the failing branch carries on (typically a log line)
#   discarded - assigned to ``_``
#   dropped   - the result is not looked at (expression statement, un-awaited Task, Future ignored,
#               async producer whose Errors() this function never reads)
#   unused    - assigned to a variable that is never tested
#   callback  - handed to a delivery callback (not judged)
#   none      - the value is used by an enclosing expression (no verdict)
ErrorUse = Literal[
    "returned", "checked", "logged", "discarded", "dropped", "unused", "callback", "none"
]


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
class OmittedCalls:
    """What the compact facts of one file leave out (see :mod:`envlint.ordering.extract`).

    The source pass keeps only events that can matter to ENV401/ENV402 with any settings'
    help: exits, sends, calls named like a Kafka publish API or a default destructive step, and
    calls that may reach a local helper.  Every other call is listed here by name and callee
    text, so that a user pattern (``settings.destructive`` / ``settings.publish``) matching one
    of them, or a package function named like an omitted builtin call, makes the index re-extract
    the file in full.
    """

    language: str
    path: str
    names: tuple[str, ...] = ()  # distinct names of the omitted calls, sorted
    callees: tuple[str, ...] = ()  # distinct callee texts of the omitted calls, sorted
    plain: tuple[str, ...] = ()  # omitted plain calls of builtins (``len``, ``nameof``), sorted
    unwalked: bool = False  # bodies not walked: names (and plain) are every name before "(" etc.


# What the ``ordering`` extractor yields per file.
OrderingFact = FunctionFacts | TypeBinding | OmittedCalls
