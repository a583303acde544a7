"""Line numbers of service keys (``command:``, ``entrypoint:``) in compose files.

The compose loader keeps only plain values in ``Service.raw``; when a Kafka init command sets a
topic or broker config, the finding should point at the command, so the few compose files whose
services run such commands are re-read here (round-trip YAML keeps positions).  One instance
lives for one ``build_facts`` call; nothing is cached globally.
"""

from __future__ import annotations

from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from envlint.model import ComposeProject, Location

__all__ = ["ComposePositions"]

_MAX_BYTES = 4 * 1024 * 1024


class ComposePositions:
    def __init__(self, root: Path) -> None:
        self._root = root
        self._docs: dict[str, CommentedMap | None] = {}

    def _load(self, path: str) -> CommentedMap | None:
        if path not in self._docs:
            doc: CommentedMap | None = None
            try:
                file = self._root / path
                if file.stat().st_size <= _MAX_BYTES:
                    loaded = YAML(typ="rt").load(file.read_text(encoding="utf-8"))
                    doc = loaded if isinstance(loaded, CommentedMap) else None
            except (OSError, UnicodeDecodeError, YAMLError, ValueError):
                doc = None
            self._docs[path] = doc
        return self._docs[path]

    def locate(
        self, project: ComposeProject, service: str, key: str, index: int | None = None
    ) -> Location | None:
        """Where ``services.<service>.<key>`` (item ``index`` of a list) is written last."""
        for path in reversed(project.files):
            doc = self._load(path)
            services = doc.get("services") if doc is not None else None
            svc = services.get(service) if isinstance(services, CommentedMap) else None
            if not isinstance(svc, CommentedMap) or key not in svc:
                continue
            value = svc[key]
            if index is not None and isinstance(value, CommentedSeq) and index < len(value):
                line, col = value.lc.item(index)
            else:
                line, col = svc.lc.key(key)
            return Location(path, int(line) + 1, int(col) + 1)
        return None
