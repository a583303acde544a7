"""What rules need to offer a fix (``envlint fix``, issue #16 item 3): where a file may be edited,
the lines that add a key, and the documented library defaults a key may be given.

Only what needs no guessing is fixed, and nothing read from an env file is ever written: an
added key gets an empty value, or the documented default of the library that reads it
(:data:`SOURCES`), and a comment naming who needs it.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

from envlint.findings import Edit, Fix
from envlint.kafka.clients import DEFAULTS, parse_go_duration
from envlint.rules._common import has_file

if TYPE_CHECKING:
    from envlint.kafka.model import ClientValue, KafkaClient
    from envlint.model import ComposeProject, EnvFile, Service, Workspace

__all__ = ["SOURCES", "add_key", "committed", "committed_env_file", "documented_default"]

# Where each client library documents its consumer-group defaults; the numbers themselves are
# envlint.kafka.clients.DEFAULTS (session.timeout.ms, heartbeat.interval.ms,
# max.poll.interval.ms).  A library without an entry here never gives an added key a value.
_LIBRDKAFKA = "librdkafka CONFIGURATION.md, >= 1.9"
SOURCES: Mapping[str, str] = MappingProxyType(
    {
        "java": "Kafka clients ConsumerConfig.java, >= 3.0",
        "confluent-dotnet": _LIBRDKAFKA,
        "librdkafka-go": _LIBRDKAFKA,
        "confluent-python": _LIBRDKAFKA,
        "node-rdkafka": _LIBRDKAFKA,
        "sarama": "IBM/sarama config.go",
        "kafka-go": "segmentio/kafka-go reader.go",
        "franz-go": "franz-go pkg/kgo/config.go",
        "kafkajs": "kafkajs src/consumer/index.js",
        "kafka-python": "kafka-python kafka/coordinator/base.py",
        "aiokafka": "aiokafka aiokafka/consumer/consumer.py",
    }
)
_PROPERTIES = ("session.timeout.ms", "heartbeat.interval.ms", "max.poll.interval.ms")


def committed(ws: Workspace, path: str) -> bool:
    """Whether envlint may edit ``path``: a file of the repository (it exists under the checked
    root and no ``.gitignore`` or ``exclude`` drops it; an example env file is kept under a
    wildcard ignore pattern, see ``envlint.discovery``).  envlint runs no git; a file that
    exists and is not ignored is what the repository commits."""
    return has_file(ws, path)


def committed_env_file(ws: Workspace, project: ComposeProject) -> EnvFile | None:
    """The project's own env file (``.env`` or the first ``--env-file``) when it exists and
    is committed (not a git-ignored developer ``.env``, not an example)."""
    for env_file in project.env_files:
        if env_file.role == "project" and env_file.exists and committed(ws, env_file.path):
            return env_file
    return None


def add_key(path: str, name: str, value: str, comment: str) -> Fix:
    """Append ``# comment`` and ``NAME=value`` to the env file ``path``."""
    text = f"# {' '.join(comment.split())}\n{name}={value}\n"
    shown = f"{name}={value}" if value else f"{name}="
    return Fix(f"add {shown} to {path}", (Edit(path, text),))


def documented_default(
    clients: tuple[KafkaClient, ...], project: ComposeProject, service: Service, name: str
) -> tuple[str, str] | None:
    """The value ``name`` would have if the code's Kafka client used its library default, as
    the variable spells it (milliseconds, seconds, a Go duration), and where that default is
    documented: ``("45000", "session.timeout.ms default of confluent-dotnet, ...")``."""
    for client in clients:
        if client.service != service.name or client.project_dir not in (None, project.directory):
            continue
        source = SOURCES.get(client.library)
        defaults = DEFAULTS.get(client.library)
        if source is None or defaults is None:
            continue
        values = (client.session_timeout, client.heartbeat, client.max_poll)
        for prop, setting, default in zip(_PROPERTIES, values, defaults, strict=False):
            if setting is None or setting.env_var != name or default is None:
                continue
            text = _spelled(default, setting)
            if text is not None:
                return text, f"{prop} default of {client.library} ({source})"
    return None


def _spelled(default_ms: int, setting: ClientValue) -> str | None:
    """``default_ms`` as the variable holds it, or None when it is not a whole number there."""
    if setting.env_duration:
        text = f"{default_ms // 1000}s" if default_ms % 1000 == 0 else f"{default_ms}ms"
        return text if parse_go_duration(text) == default_ms else None
    if setting.env_ms_per_unit <= 0:
        return None
    units = default_ms / setting.env_ms_per_unit
    return str(int(units)) if units == int(units) and units > 0 else None
