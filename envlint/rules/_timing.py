"""When a read runs: at start-up, later (on demand), or not known — for the wording and the
severity of the rules that say a service fails (ENV201, ENV203, ENV204).

A failure on the start-up path stops the container: "crashes at start", and with a restart
policy a crash loop.  A read that runs later (a request handler, a lazily built client, a CLI
subcommand) fails when that code runs: worth a finding, as a warning that names the function.
Start-up code reached only through a call under a condition (``if tracing { initTracing() }``)
crashes at start only when the condition holds: a warning that names the call, and no
crash-loop claim.  When envlint cannot tell (the program's files or function facts are
unknown), it says so.  A failure that every caller catches (each call of the function is inside
a ``try`` whose handlers catch everything and rethrow nothing) is no failure of the service:
``caught``, which the rules do not report.  Nor do they report a read in a function that nothing
in the program can call (``uncalled``: a private Rust function no file of the program names,
``StartupMap.uncalled``): it never runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from envlint.findings import Severity

if TYPE_CHECKING:
    from envlint.model import ComposeProject, Location, Service
    from envlint.rules._base import Context
    from envlint.servicecode.startup import StartupMap
    from envlint.sources.model import EnvRead

__all__ = ["Timing", "timing", "without"]


@dataclass(frozen=True, slots=True)
class Timing:
    # caught: every call of the function it runs in catches what it throws (``function``);
    # uncalled: nothing in the program can call the function it runs in (``function``)
    # branch: start-up code inside an if/else body, a ternary operand (its condition is not
    # evaluated: often another variable with a default that rules the branch out)
    kind: Literal["startup", "conditional", "branch", "on-demand", "unknown", "caught", "uncalled"]
    function: str | None = None  # the function the read runs in (on demand, caught)
    # conditional: the call made under a condition on the way to the read (caller, callee)
    condition: tuple[str, str] | None = None

    @property
    def harmless(self) -> bool:
        """The read never fails the service: every caller catches what it throws, or nothing
        calls the function it is in."""
        return self.kind in ("caught", "uncalled")

    @property
    def severity(self) -> Severity | None:
        """None (the rule's default, an error) at start-up; a note for a read in a branch
        of start-up code whose condition envlint does not evaluate; a warning otherwise."""
        if self.kind == "branch":
            return Severity.INFO
        return None if self.kind == "startup" else Severity.WARNING

    def fails(self, who: str, what: str) -> str:
        """``service api crashes at start without X`` / ``... fails without X when `Handle`
        runs`` / ... (``who``: ``ComposeProject.describe(service)``; ``what``: "without X",
        "on an empty X"...)."""
        if self.kind == "startup":
            return f"{who} crashes at start {what}"
        if self.kind == "conditional" and self.condition is not None:
            caller, callee = self.condition
            return (
                f"{who} crashes at start {what} if `{callee}` runs "
                f"(`{caller}` calls it only under a condition)"
            )
        if self.kind == "conditional":
            return f"{who} crashes at start {what} if the code that reads it runs"
        if self.kind == "branch":
            return (
                f"{who} crashes at start {what} if the branch that reads it runs "
                "(envlint does not evaluate its condition)"
            )
        if self.kind == "on-demand" and self.function:
            return f"{who} fails {what} when `{self.function}` runs"
        if self.kind == "on-demand":
            return f"{who} fails {what} when this code runs (not at start)"
        return f"{who} fails {what} when this code runs"

    @property
    def caveat(self) -> str:
        """What the reader should know about the timing, or ``""``."""
        if self.kind == "unknown":
            return "; envlint could not tell whether this code runs at start"
        return ""


def timing(ctx: Context, project: ComposeProject, service: Service, read: EnvRead) -> Timing:
    """When ``read`` runs in ``service``'s program (needs the ``startup`` facts).  A
    declaration's read (``EnvRead.processed_at``: a struct-tag field) runs at the calls that
    process it, the earliest of them deciding; none found: not known."""
    maps = ctx.facts.startup
    startup = maps.get((project.directory, project.stack, service.name)) if maps else None
    if startup is None or not startup.reached:  # no program, or no entry found in it
        return Timing("unknown")
    if read.processed_at is None:
        return _at(startup, read.location, read.crash_location)
    found = [_at(startup, call, call) for call in read.processed_at] or [Timing("unknown")]
    return min(found, key=lambda t: _EARLIEST.index(t.kind))


_EARLIEST = ("startup", "conditional", "branch", "unknown", "on-demand", "caught", "uncalled")


def _at(startup: StartupMap, location: Location, crash: Location | None) -> Timing:
    caught = startup.caught(location, crash)
    if caught is not None:
        return Timing("caught", caught)
    kind = startup.classify(location)
    if kind == "on-demand" and (dead := startup.uncalled(location)) is not None:
        return Timing("uncalled", dead)
    if kind == "on-demand":
        return Timing(kind, startup.function_at(location))
    if kind == "conditional":
        return Timing(kind, condition=startup.condition(location))
    return Timing(kind)


def without(read: EnvRead, it: str = "") -> str:
    """What the read fails without, for :meth:`Timing.fails`: ``without X`` (``it``: the
    variable's word in the message, "it"), or with ``EnvRead.alternatives`` (the code returns
    before the crash when one of them is set) ``unless X or one of its alternatives (A; B +
    C) is set``."""
    name = it or read.name
    if not read.alternatives:
        return f"without {name}"
    groups = "; ".join(" + ".join(group) for group in read.alternatives)
    return f"unless {name} or one of its alternatives ({groups}) is set"
