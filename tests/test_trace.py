"""envlint trace: definitions, per-service status, reads with behaviour; never values."""

from __future__ import annotations

import json
from pathlib import Path

from envlint.config import Settings
from envlint.pipeline import build_facts
from envlint.trace import VarTrace, render_trace, trace
from tests.conftest import write_tree


def _traced(root: Path, name: str) -> VarTrace:
    from envlint.compose import load_workspace

    settings = Settings(cache=False)
    ws = load_workspace(root, settings)
    facts, failures = build_facts(ws, settings, {"sources"})
    assert not failures and facts.sources is not None
    return trace(ws, facts.sources, name)


def test_trace_end_to_end(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "compose.yaml": """
                services:
                  accounting:
                    build: ./src/accounting
                    environment:
                      - KAFKA_SESSION_TIMEOUT_MS
                  other:
                    image: busybox
                    environment:
                      KAFKA_SESSION_TIMEOUT_MS: "s3cr3t-value"
            """,
            ".env": "UNRELATED=1\n",
            "src/accounting/Consumer.cs": """
                public class C {
                    int S = int.Parse(
                        System.Environment.GetEnvironmentVariable("KAFKA_SESSION_TIMEOUT_MS")
                        ?? throw new System.Exception());
                }
            """,
        },
    )
    result = _traced(tmp_path, "KAFKA_SESSION_TIMEOUT_MS")
    assert [(d.kind, d.service) for d in result.definitions] == [("compose-environment", "other")]
    status = {s.service: s.status for s in result.services}
    assert status == {"accounting": "absent", "other": "provided"}
    passthrough = next(s.passthrough for s in result.services if s.service == "accounting")
    assert passthrough is not None and passthrough.line == 5
    [read] = result.reads
    assert (read.location.path, read.location.line) == ("src/accounting/Consumer.cs", 3)
    assert (read.missing, read.on_empty, read.expected_type) == ("crash", "crash", "int")
    assert read.services == ("accounting",)
    for fmt in ("text", "json"):
        rendered = render_trace(result, fmt)
        assert "s3cr3t" not in rendered
    doc = json.loads(render_trace(result, "json"))
    assert doc["reads"][0]["missing"] == "crash"
    assert "absent" in render_trace(result, "text")


def test_trace_unknown_variable(tmp_path: Path) -> None:
    write_tree(tmp_path, {"compose.yaml": "services:\n  a:\n    image: x\n"})
    result = _traced(tmp_path, "NOPE")
    assert result.definitions == () and result.reads == ()
    assert [s.status for s in result.services] == ["absent"]
    assert "nowhere" in render_trace(result)


def test_trace_names_a_bare_dotenv_line_as_inherited(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "compose.yaml": "services:\n  api:\n    image: api\n    environment: [TOKEN]\n",
            ".env": "OTHER=1\nTOKEN\n",
        },
    )
    result = _traced(tmp_path, "TOKEN")
    assert [(d.kind, d.location.path, d.location.line) for d in result.definitions] == [
        ("inherited", ".env", 2)
    ]
    text = render_trace(result)
    assert "nowhere" not in text.split("services")[0]
    assert "no value: taken from the environment docker compose runs in" in text
    assert json.loads(render_trace(result, "json"))["definitions"][0]["kind"] == "inherited"
