"""ENV111 host-port-conflict: two published ports of one project claim the same host port (same
protocol and host IP) after interpolation; the second container fails to start ("port is
already allocated"), or, when one service publishes the port twice, its one container does.

Judged on the interpolated ``ports`` (``${PORT:-8080}:80`` twice is a conflict), for services
that run together (see :mod:`envlint.rules._together`): profiles, and, when every documented
command of the stack names the services it starts, only services one of those commands starts
together.  Different host IPs never conflict here (``127.0.0.1:8080`` and ``10.0.0.5:8080``);
whether an explicit address collides with "every interface" depends on the Docker version and
its proxy, so that pair is not reported.  A port range that Docker picks one port from reserves
nothing and is skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from envlint.findings import Related, Severity, Violation
from envlint.model import PortBinding, Service
from envlint.rules._base import Context, Rule
from envlint.rules._together import running_together


def _overlap(a: PortBinding, b: PortBinding) -> tuple[int, int] | None:
    if a.published is None or b.published is None:
        return None
    if a.protocol != b.protocol or a.host_ip != b.host_ip:
        return None
    low, high = max(a.published[0], b.published[0]), min(a.published[1], b.published[1])
    return (low, high) if low <= high else None


def _ports(span: tuple[int, int]) -> str:
    return str(span[0]) if span[0] == span[1] else f"{span[0]}-{span[1]}"


def check(ctx: Context) -> Iterator[Violation]:
    for project in ctx.ws.projects:
        bindings = sorted(
            (
                (svc, port)
                for svc in project.services
                if svc.raw.get("network_mode") != "host"  # Docker discards published ports
                for port in svc.ports
            ),
            key=lambda pair: pair[1].location,
        )
        for i, (service, port) in enumerate(bindings):
            for other, earlier in bindings[:i]:
                span = _overlap(earlier, port)
                if span is None:
                    continue
                when = "" if other is service else running_together(project, other, service)
                if when is None:
                    continue
                violation = _violation(project.name, service, port, other, earlier, span, when)
                yield replace(violation, stacks=(project.stack,))
                break  # one finding per binding: against the first one it collides with


def _violation(
    project: str,
    service: Service,
    port: PortBinding,
    other: Service,
    earlier: PortBinding,
    span: tuple[int, int],
    when: str,
) -> Violation:
    ip = f"{port.host_ip}:" if port.host_ip else ""
    what = f"host port {ip}{_ports(span)}/{port.protocol}"
    if other is service:
        whom = f"service {service.name} publishes {what} twice (container ports differ)"
        fails = "its container fails to start"
    else:
        whom = f"service {service.name} publishes {what}, which service {other.name} publishes too"
        fails = "the second container fails to start"
    condition = f" {when}" if when else ""
    return Violation(
        location=port.location,
        message=(
            f"{whom}: in project {project}{condition} {fails} (port is already allocated); "
            "publish a different host port"
        ),
        service=service.name,
        related=(Related(earlier.location, f"service {other.name} publishes it here"),),
        key=f"{ip}{_ports(span)}/{port.protocol}",
    )


RULE = Rule(
    code="ENV111",
    name="host-port-conflict",
    severity=Severity.ERROR,
    summary="Two services publish the same host port (after interpolation)",
    check=check,
)
