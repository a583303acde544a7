"""Compose positions come with the parsed service (``Service.key_locations``): Kafka admin
commands point at the ``command:`` key of the file that wins the merge, and no rule or fact
builder reads compose YAML a second time."""

from __future__ import annotations

import ast
from pathlib import Path

from envlint.compose import load_workspace
from envlint.config import Settings
from envlint.kafka.commands import scan_service
from envlint.model import Location

PACKAGE = Path(__file__).resolve().parent.parent.parent / "envlint"
BASE = """\
services:
  kafka:
    image: apache/kafka:3.9.0
  init:
    image: apache/kafka:3.9.0
    command: ["sleep", "1"]
"""
OVERRIDE = """\
services:
  init:
    entrypoint: ["/bin/sh", "-c"]
    command:
      - kafka-topics --create --topic orders --config retention.ms=1000 --bootstrap-server k:9092
"""


def test_a_command_points_at_the_key_of_the_file_that_wins(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(BASE, encoding="utf-8")
    (tmp_path / "compose.override.yaml").write_text(OVERRIDE, encoding="utf-8")
    ws = load_workspace(tmp_path, Settings(cache=False))
    (project,) = ws.projects
    init = next(s for s in project.services if s.name == "init")
    assert init.key_locations["command"] == Location("compose.override.yaml", 4, 5, 4, 12)
    assert init.key_locations["entrypoint"].line == 3
    assert init.key_locations["image"] == Location("compose.yaml", 5, 5, 5, 10)
    topics, _ = scan_service(init)
    assert [(t.name, t.origin) for t in topics] == [("orders", init.key_locations["command"])]


def test_a_service_without_the_key_points_at_the_service(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(BASE, encoding="utf-8")
    ws = load_workspace(tmp_path, Settings(cache=False))
    kafka = next(s for _, s in ws.services() if s.name == "kafka")
    assert "command" not in kafka.key_locations
    assert kafka.key_locations["image"] == Location("compose.yaml", 3, 5, 3, 10)


_YAML_READERS = ("ruamel", "envlint.compose.yamlnodes", "envlint.compose.loader")
_NO_YAML = ("rules", "kafka", "ordering", "sources", "pipeline.py", "facts.py", "engine.py")


def test_no_rule_or_fact_builder_parses_yaml_again() -> None:
    """Imports inside functions count: only the compose loader reads compose YAML."""
    wrong = []
    for name in _NO_YAML:
        root = PACKAGE / name
        for path in sorted(root.rglob("*.py")) if root.is_dir() else [root]:
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom):
                    modules = [node.module or ""]
                else:
                    continue
                wrong += [f"{path.name}: {m}" for m in modules if m.startswith(_YAML_READERS)]
    assert wrong == []
