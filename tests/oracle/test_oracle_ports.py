"""Differential tests for ``ports:`` parsing and the container-name check, against Docker Compose
v2.40.3: what ``docker compose config`` publishes for each entry must be what envlint's
:mod:`envlint.compose.ports` reads, and Compose must refuse exactly the duplicate container names
ENV110 reports."""

from __future__ import annotations

import json

import pytest

from envlint.compose.ports import parse_port
from envlint.model import Location
from oracle.compose_oracle import run_config

pytestmark = pytest.mark.oracle

SPECS = [
    "8080:80",
    "80",
    "127.0.0.1:8080:80",
    "127.0.0.1::80",
    "[::1]:7000:70",
    "9000-9002:9000-9002",
    "53:53/udp",
    "5000:5000/TCP",
    "0.0.0.0:81:81",
    {"target": 80, "published": "8081", "protocol": "udp", "host_ip": "10.0.0.1"},
    {"target": 80, "published": 8082},
    {"target": 80},
]


def _published(port: dict[str, object]) -> tuple[str, int, str, str]:
    """host IP, published port (0: none), target, protocol"""
    published = port.get("published")
    return (
        str(port.get("host_ip") or "").replace("0.0.0.0", ""),
        int(str(published)) if published not in (None, "") else 0,
        str(port["target"]),
        str(port["protocol"]),
    )


@pytest.mark.usefixtures("compose_binary")
def test_ports_match_compose() -> None:
    compose = {"services": {"s": {"image": "x", "ports": SPECS}}}
    result = run_config({"compose.yaml": json.dumps(compose)})
    assert result.returncode == 0, result.error
    ports = result.services["s"]["ports"]
    assert isinstance(ports, list)
    theirs = sorted(_published(p) for p in ports)
    ours: list[tuple[str, int, str, str]] = []
    for spec in SPECS:
        for binding in parse_port(spec, Location("compose.yaml")):
            if binding.published is None:
                ours.append((binding.host_ip, 0, binding.target, binding.protocol))
                continue
            first, last = binding.published
            low = int(binding.target.partition("-")[0])
            for offset in range(last - first + 1):
                ours.append((binding.host_ip, first + offset, str(low + offset), binding.protocol))
    assert sorted(set(ours)) == theirs  # Compose keeps one of identical entries


@pytest.mark.usefixtures("compose_binary")
@pytest.mark.parametrize(
    ("profiles", "args", "refused"),
    [
        ((None, None), (), True),
        ((None, ["p"]), (), False),
        ((None, ["p"]), ("--profile", "p"), True),
        ((["a"], ["b"]), ("--profile", "a"), False),
    ],
)
def test_duplicate_container_name_refused_only_when_both_run(
    profiles: tuple[list[str] | None, list[str] | None], args: tuple[str, ...], refused: bool
) -> None:
    services: dict[str, dict[str, object]] = {}
    for name, prof in zip(("a", "b"), profiles, strict=True):
        services[name] = {"image": "x", "container_name": "same"}
        if prof is not None:
            services[name]["profiles"] = prof
    result = run_config({"compose.yaml": json.dumps({"services": services})}, args=args)
    assert (result.returncode != 0) is refused
    if refused:
        assert 'container name "same" is already in use' in result.error


@pytest.mark.usefixtures("compose_binary")
def test_literal_brace_is_kept_by_compose() -> None:
    files = {
        ".env": 'BAR=x\nFOO=$BAR}\nJSON={"a":$BAR}\n',
        "compose.yaml": json.dumps(
            {"services": {"s": {"image": "x", "environment": ["FOO", "JSON"]}}}
        ),
    }
    result = run_config(files)
    assert result.environment() == {"FOO": "x}", "JSON": '{"a":x}'}
