"""Building blocks shared by the adapters that classify a read by climbing its expression
(``java``, ``javascript``).

Those adapters work alike: a read node gets a :class:`Cls` (what happens when the variable is
missing or empty), its name argument resolves to a :class:`Name`, and the two become an
:class:`~envlint.sources.model.EnvRead` (:func:`env_read`) that :meth:`FileState.finish` files as a
read, a pending read or a dynamic count.  What differs per language (node types, which calls
crash, how a ``try`` swallows an error) stays in the adapter and is passed in.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from envlint.sources.adapter import (
    FileContext,
    FileScan,
    Helper,
    Pending,
    ancestors,
    location,
    text,
)
from envlint.sources.model import EnvRead

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping

    from tree_sitter import Node

    from envlint.model import Location
    from envlint.sources.model import Missing, ValueType

__all__ = [
    "Cls",
    "FileState",
    "Name",
    "apply_test",
    "call_site_read",
    "called_helpers",
    "env_read",
    "name_from_parts",
    "quoted",
    "try_guard",
]


@dataclass(frozen=True, slots=True)
class Cls:
    """A read's class while the context is layered on it."""

    missing: Missing
    on_empty: Missing = "empty"
    default: str | None = None
    type: ValueType = "string"
    crash: Node | None = None

    @classmethod
    def of(cls, template: EnvRead) -> Cls:
        """A wrapper's template read as the starting class of one of its call sites."""
        return cls(template.missing, template.on_empty, template.default, template.expected_type)


@dataclass(frozen=True, slots=True)
class Name:
    """How a read's name argument resolved."""

    kind: str  # "literal", "pattern", "param", "const", "dynamic"
    value: str = ""
    param: int = 0  # "param": index among the function's parameters
    function: Node | None = None  # "param": the enclosing function definition
    prefix: str = ""  # "const": literal text around the constant (``"P_" + NAME``)
    suffix: str = ""


@dataclass
class FileState:
    """Build-local collector for one file's facts."""

    ctx: FileContext
    consts: Mapping[str, str]
    reads: list[EnvRead] = field(default_factory=list)
    helpers: list[Helper] = field(default_factory=list)
    pending: list[Pending] = field(default_factory=list)
    dynamic: int = 0

    def finish(self, record: EnvRead, name: Name) -> None:
        """File a read by how its name resolved (a ``"param"`` name is the caller's business)."""
        if name.kind == "literal":
            self.reads.append(replace(record, name=name.value))
        elif name.kind == "pattern":
            self.reads.append(replace(record, name=name.value, is_pattern=True))
        elif name.kind == "const":
            self.pending.append(
                Pending(read=record, name_const=name.value, prefix=name.prefix, suffix=name.suffix)
            )
        else:
            self.dynamic += 1

    def file_scan(self, *, with_constants: bool) -> FileScan:
        """What was collected; phase 1 also offers the file's constants to its scope."""
        scan = FileScan(
            reads=tuple(self.reads),
            helpers=tuple(self.helpers),
            pending=tuple(self.pending),
            dynamic=self.dynamic,
        )
        return replace(scan, constants=self.consts) if with_constants else scan


def env_read(ctx: FileContext, read: Node, api: str, cls: Cls) -> EnvRead:
    """The read at ``read`` with class ``cls`` and no name yet."""
    crash_at: Location | None = None
    if cls.crash is not None and "crash" in (cls.missing, cls.on_empty):
        crash_at = location(ctx, cls.crash)
    return EnvRead(
        name="",
        location=location(ctx, read),
        language=ctx.language,
        api=api,
        missing=cls.missing,
        on_empty=cls.on_empty,
        default=cls.default if cls.missing == "default" else None,
        expected_type=cls.type,
        crash_location=crash_at,
    )


def call_site_read(ctx: FileContext, call: Node, helper: Helper, cls: Cls) -> EnvRead:
    """The read at a call site of wrapper ``helper``, classified ``cls`` there; a crash the
    wrapper raises itself keeps pointing into the wrapper."""
    template = helper.template
    assert template is not None
    record = replace(env_read(ctx, call, template.api, cls), via=helper.name)
    if template.missing == "crash" and template.crash_location is not None:
        record = replace(record, crash_location=template.crash_location)
    return record


def apply_test(
    cls: Cls,
    fires: tuple[bool, bool],
    crash: Node | None,
    dflt: Node | None,
    *,
    empty_alone_defaults: bool,
) -> Cls:
    """Layer an ``if`` whose test ``fires`` on (missing, empty) and whose branch crashes at
    ``crash`` or assigns ``dflt``.  ``empty_alone_defaults``: a default assigned on a test that
    fires only for "" (``if v == "": v = d``) still makes ``on_empty`` a default; when
    False such a default is ignored (Java, JavaScript)."""
    on_missing, on_empty = fires
    if crash is not None:
        return replace(
            cls,
            missing="crash" if on_missing else cls.missing,
            on_empty="crash" if on_empty else cls.on_empty,
            crash=crash if on_missing or cls.crash is None else cls.crash,
        )
    if dflt is None:
        return cls
    empty_default = on_empty and cls.on_empty == "empty"
    if on_missing and cls.missing == "empty":
        return replace(
            cls,
            missing="default",
            on_empty="default" if empty_default else cls.on_empty,
            default=text(dflt),
        )
    if empty_alone_defaults and empty_default:
        return replace(cls, on_empty="default")
    return cls


def try_guard(
    node: Node,
    cls: Cls,
    *,
    stop: frozenset[str],
    try_types: frozenset[str],
    swallows: Callable[[Node], bool],
) -> Cls:
    """A crash inside the body of a ``try`` (a node of ``try_types``) that ``swallows`` (its
    handlers do not exit) is ``unknown``.  The search ends at a node of ``stop`` (a function or
    class boundary)."""
    if cls.missing != "crash" and cls.on_empty != "crash":
        return cls
    child = node
    for parent in ancestors(node):
        if parent.type in stop:
            break
        if (
            parent.type in try_types
            and _same(parent.child_by_field_name("body"), child)
            and swallows(parent)
        ):
            return replace(
                cls,
                missing="unknown" if cls.missing == "crash" else cls.missing,
                on_empty="unknown" if cls.on_empty == "crash" else cls.on_empty,
                crash=None,
            )
        child = parent
    return cls


def _same(a: Node | None, b: Node) -> bool:
    return a is not None and a.id == b.id


def name_from_parts(parts: list[str | None], unknown: list[str]) -> Name:
    """The name of a concatenation: ``parts`` are its pieces (None where not a known string),
    ``unknown`` the identifiers (or "") of the unknown pieces.  All known: a literal; one unknown
    upper-case identifier: a constant with prefix/suffix; otherwise a pattern (``*`` for each
    unknown piece), or dynamic when nothing is known."""
    if all(p is not None for p in parts):
        return Name("literal", "".join(p or "" for p in parts))
    if len(unknown) == 1 and unknown[0].isupper():
        cut = parts.index(None)
        return Name(
            "const",
            unknown[0],
            prefix="".join(p or "" for p in parts[:cut]),
            suffix="".join(p or "" for p in parts[cut + 1 :]),
        )
    pattern = "".join("*" if p is None else p for p in parts)
    return Name("pattern", pattern) if pattern.strip("*") else Name("dynamic")


def quoted(names: Iterable[str]) -> str:
    """Sorted, de-duplicated, double-quoted names for a query's ``#any-of?``."""
    return " ".join(f'"{n}"' for n in sorted(set(names)))


def called_helpers(
    callee: str,
    receiver: Node | None,
    helpers: Mapping[str, Helper],
    modules: frozenset[str],
    owned_by: Callable[[Node, str], bool],
) -> Iterator[Helper]:
    """The helpers a call ``callee(...)`` or ``receiver.callee(...)`` invokes: a function
    helper when called bare or through a module name bound in the file (``modules``); else the
    method helpers ``Owner.callee`` whose owner ``owned_by(receiver, owner)`` accepts."""
    if receiver is None or (receiver.type == "identifier" and text(receiver) in modules):
        helper = helpers.get(callee)
        if helper is not None and not helper.is_method:
            yield helper
            return
        if receiver is None:
            return
    for helper in helpers.values():
        owner, _, method = helper.name.rpartition(".")
        if helper.is_method and method == callee and owned_by(receiver, owner):
            yield helper
