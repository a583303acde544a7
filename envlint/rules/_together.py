"""When two services of one project run at the same time (profiles; for running containers, the
services each documented command starts), for the rules that judge what two containers cannot
share (ENV110 container names, ENV111 host ports)."""

from __future__ import annotations

from envlint.model import ComposeProject, Service

__all__ = ["running_together", "together"]


def together(a: Service, b: Service) -> str | None:
    """``""`` when ``docker compose up`` starts both as the project's env selects profiles;
    ``"when profile P is enabled"`` when enabling one profile starts both; None when no single
    profile does (services of disjoint profiles are alternatives, often on purpose)."""
    if a.active and b.active:
        return ""
    if not a.profiles or not b.profiles:
        profiles = a.profiles or b.profiles
        return f"when profile {sorted(profiles)[0]} is enabled"
    shared = sorted(set(a.profiles) & set(b.profiles))
    if shared:
        return f"when profile {shared[0]} is enabled"
    return None


def running_together(project: ComposeProject, a: Service, b: Service) -> str | None:
    """:func:`together` for what two *running* containers cannot share (a host port: a stopped
    container holds none).  When every documented command of the stack names the services it
    starts (:attr:`ComposeProject.started_together`), ``""`` when one of them starts both
    (naming a service enables its profiles) and None when none does (``up dev`` in the guide,
    ``up tests db`` in CI); otherwise as :func:`together`."""
    if project.started_together is None:
        return together(a, b)
    both = {a.name, b.name}
    return "" if any(both <= started for started in project.started_together) else None
