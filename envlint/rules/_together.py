"""When two services of one project run at the same time (profiles), for the rules that judge
what two containers cannot share (ENV110 container names, ENV111 host ports)."""

from __future__ import annotations

from envlint.model import Service

__all__ = ["together"]


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
