"""When two services of one project run at the same time (profiles; for running containers, the
services each documented command starts), for the rules that judge what two containers cannot
share (ENV110 container names, ENV111 host ports)."""

from __future__ import annotations

from envlint.model import ComposeProject, Service, profiles_start

__all__ = ["enabled_together", "running_together"]


def enabled_together(project: ComposeProject, a: Service, b: Service) -> str | None:
    """``""`` when ``docker compose up`` starts both as the project's env selects profiles,
    unless only different documented commands' ``--profile`` options enable them (``--profile
    default up``, ``--profile default-no-db up``: :attr:`ComposeProject.profile_runs`);
    ``"when profile P is enabled"`` when enabling one profile starts both; None when no single
    profile does (services of disjoint profiles are alternatives, often on purpose)."""
    runs = project.profile_runs
    if a.active and b.active and (runs is None or any(_both_start(a, b, r) for r in runs)):
        return ""
    return _by_profile(a, b)


def _by_profile(a: Service, b: Service) -> str | None:
    """The profile whose enabling starts both, worded; None when no single profile does."""
    if not a.profiles or not b.profiles:
        profiles = a.profiles or b.profiles
        return f"when profile {sorted(profiles)[0]} is enabled"
    shared = sorted(set(a.profiles) & set(b.profiles))
    if shared:
        return f"when profile {shared[0]} is enabled"
    return None


def running_together(project: ComposeProject, a: Service, b: Service) -> str | None:
    """:func:`enabled_together` for what two *running* containers cannot share (a host port: a
    stopped container holds none).  When every documented command of the stack names the
    services it starts (:attr:`ComposeProject.started_together`), ``""`` when one of them starts
    both (naming a service enables its profiles) and None when none does (``up dev`` in the
    guide, ``up tests db`` in CI); otherwise as :func:`enabled_together`."""
    if project.started_together is None:
        return enabled_together(project, a, b)
    both = {a.name, b.name}
    return "" if any(both <= started for started in project.started_together) else None


def _both_start(a: Service, b: Service, profiles: frozenset[str]) -> bool:
    """Whether ``docker compose up`` with just ``profiles`` enabled starts both services."""
    return profiles_start(a.profiles, profiles) and profiles_start(b.profiles, profiles)
