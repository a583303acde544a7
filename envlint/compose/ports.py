"""``ports:`` entries as Compose reads them (compose-go ``types.ParsePortConfig``, docker's
``nat.ParsePortSpec``), after interpolation.

Short syntax: ``[HOST_IP:][HOST_PORT[-END]:]CONTAINER_PORT[-END][/PROTOCOL]``; the host IP may
be an IPv6 address in brackets (``[::1]:8080:80``).  A single number is a container port only
(Docker picks the host port).  Long syntax: a mapping with ``target``, ``published`` (a port or a
range, string or number), ``host_ip`` and ``protocol``.  A host range mapped to one container
port (``8000-8010:80``) lets Docker pick a free host port in the range: nothing is reserved, so
it is returned without a published range.  Entries Compose would reject are left out (Compose
reports them itself); nothing here raises.
"""

from __future__ import annotations

from envlint.compose.scalars import compose_string
from envlint.model import Location, PortBinding

__all__ = ["parse_port", "port_range"]

_PROTOCOLS = frozenset({"tcp", "udp", "sctp"})
_MAX_PORT = 65535


def port_range(text: str) -> tuple[int, int] | None:
    """``"8080"`` -> (8080, 8080), ``"9000-9002"`` -> (9000, 9002); None when invalid."""
    first, sep, last = text.strip().partition("-")
    if not first.isdigit() or (sep and not last.isdigit()):
        return None
    low, high = int(first), int(last) if sep else int(first)
    if not 0 < low <= high <= _MAX_PORT:
        return None
    return low, high


def _host_ip(text: str) -> str:
    ip = text.strip()
    if ip.startswith("[") and ip.endswith("]"):
        ip = ip[1:-1]
    return "" if ip in ("", "0.0.0.0") else ip


def _short(text: str, location: Location) -> tuple[PortBinding, ...]:
    spec, _, protocol = text.strip().partition("/")
    protocol = (protocol or "tcp").lower()
    if protocol not in _PROTOCOLS:
        return ()
    parts = spec.split(":")
    if len(parts) == 1:
        ip, host, target = "", "", parts[0]
    elif len(parts) == 2:
        ip, host, target = "", parts[0], parts[1]
    else:
        ip, host, target = ":".join(parts[:-2]), parts[-2], parts[-1]
    container = port_range(target)
    if container is None:
        return ()
    published = port_range(host) if host else None
    if host and published is None:
        return ()
    if published is not None and published[0] != published[1]:
        if container[0] == container[1]:
            published = None  # a range for one container port: Docker picks one, reserves none
        elif published[1] - published[0] != container[1] - container[0]:
            return ()  # Compose rejects ranges of different sizes
    return (PortBinding(_host_ip(ip), published, target.strip(), protocol, location),)


def _long(entry: dict[str, object], location: Location) -> tuple[PortBinding, ...]:
    target = entry.get("target")
    if target is None or isinstance(target, dict | list):
        return ()
    target_text = compose_string(target)
    if port_range(target_text) is None:
        return ()
    published_value = entry.get("published")
    published = None
    if published_value is not None and not isinstance(published_value, dict | list):
        text = compose_string(published_value)
        if text:
            published = port_range(text)
            if published is None:
                return ()
            if published[0] != published[1]:
                published = None  # a range for one target port: Docker picks one
    protocol_value = entry.get("protocol")
    protocol = "tcp" if protocol_value is None else compose_string(protocol_value).lower()
    if protocol not in _PROTOCOLS:
        return ()
    ip_value = entry.get("host_ip")
    ip = "" if ip_value is None else compose_string(ip_value)
    return (PortBinding(_host_ip(ip), published, target_text, protocol, location),)


def parse_port(value: object, location: Location) -> tuple[PortBinding, ...]:
    """One ``ports`` item (a string, a number or a long-syntax mapping)."""
    if isinstance(value, dict):
        return _long(value, location)
    if isinstance(value, bool) or value is None or isinstance(value, list):
        return ()
    return _short(compose_string(value), location)
