"""``ports:`` entries (short and long syntax) as published host ports."""

from __future__ import annotations

import pytest

from envlint.compose.ports import parse_port, port_range
from envlint.model import Location, PortBinding

HERE = Location("compose.yaml", 3, 9)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("8080:80", [("", (8080, 8080), "80", "tcp")]),
        (8080, [("", None, "8080", "tcp")]),
        ("80", [("", None, "80", "tcp")]),
        ("127.0.0.1:8080:80/udp", [("127.0.0.1", (8080, 8080), "80", "udp")]),
        ("0.0.0.0:8080:80", [("", (8080, 8080), "80", "tcp")]),
        ("[::1]:8080:80", [("::1", (8080, 8080), "80", "tcp")]),
        ("127.0.0.1::80", [("127.0.0.1", None, "80", "tcp")]),
        ("9000-9002:9000-9002", [("", (9000, 9002), "9000-9002", "tcp")]),
        ("8000-8010:80", [("", None, "80", "tcp")]),  # Docker picks one: nothing reserved
        ({"target": 80, "published": "8080", "host_ip": "10.0.0.1", "protocol": "UDP"},
         [("10.0.0.1", (8080, 8080), "80", "udp")]),
        ({"target": 80, "published": 8081}, [("", (8081, 8081), "80", "tcp")]),
        ({"target": 80}, [("", None, "80", "tcp")]),
        # what Compose rejects is left to Compose
        ("8080:80/icmp", []),
        ("abc:80", []),
        ("9000-9002:80-81", []),
        ("70000:80", []),
        ({"published": 80}, []),
        (None, []),
        (True, []),
    ],
)  # fmt: skip
def test_parse_port(value: object, expected: list[tuple[object, ...]]) -> None:
    found = parse_port(value, HERE)
    assert [(p.host_ip, p.published, p.target, p.protocol) for p in found] == expected
    assert all(isinstance(p, PortBinding) and p.location == HERE for p in found)


def test_port_range() -> None:
    assert port_range(" 80 ") == (80, 80)
    assert port_range("1-3") == (1, 3)
    assert port_range("3-1") is None
    assert port_range("0") is None
    assert port_range("") is None
