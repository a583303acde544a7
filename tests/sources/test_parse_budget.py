"""A file that makes a grammar stall is skipped with a note after the parse budget, instead of
holding up the whole run (tree-sitter-kotlin 1.1.0 needs ~40 s for this 600-byte file)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from envlint.config import Settings
from envlint.engine import lint
from envlint.filepass import parse as parsing
from tests.conftest import write_tree

STALLS_KOTLIN = "\n".join(
    [
        "class Settings(",
        ")",
        "fun main() {",
        "    if (brokers == null) {",
        '    val port = System.getenv("FRAUD_PORT").toInt()',
        " 3",
        "#    // ok: ENV201",
        '    val debug = System.getenv("FRAUD_DEBUG").toBoolean()',
        '    val region = System.getenv("FRAUD_REGION")',
        "    // expect: ENV201",
        '    val secret = requireEnv("FRAUD_SECRET")',
        "    // ok: ENV201",
        '    val group = envOr("FRAUD_GROUP", "fraud")',
        '    //if !(x == null)  System.getenv("IN_A_COMMENT")!!',
        '    val text = "System.getenv(\\"IN_A_STRING\\")!!"',
        "    // ok: ENV201",
        '    val home = System.getProperty("user.home")!!',
        "    println(listOf(topic, port, retries, debug, region, secret, group, text, home))",
        "}",
        "",
    ]
)


def test_a_stalling_parse_is_cut_off_with_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parsing, "PARSE_BUDGET_S", 0.5)
    root = write_tree(
        tmp_path / "p",
        {
            "compose.yaml": "services:\n  fraud:\n    build: ./fraud\n",
            "fraud/Dockerfile": "FROM eclipse-temurin:21\n",
            "fraud/src/Main.kt": STALLS_KOTLIN,
            "fraud/src/Ok.kt": 'fun ok() { val p = System.getenv("OK_PORT")!!.toInt() }\n',
        },
    )
    start = time.monotonic()
    report = lint([root], Settings(cache=False, jobs=1))
    assert time.monotonic() - start < 20
    notes = [
        f for f in report.findings if f.code == "ENV901" and f.location.path.endswith("Main.kt")
    ]
    assert notes and "parsing took longer" in notes[0].message
    assert notes[0].severity.value == "info"
    # the rest of the service's code is still analysed
    assert {f.variable for f in report.findings if f.code == "ENV201"} == {"OK_PORT"}


def test_parse_with_budget_gives_the_same_tree_as_a_plain_parse() -> None:
    from envlint.filepass.languages import parser_for

    source = b'package main\nimport "os"\nfunc main() { _ = os.Getenv("A") }\n'
    plain = parser_for("go")
    assert plain is not None
    expected = str(plain.parse(source).root_node)
    parsed = parsing.parse("go", source)
    assert parsed is not None and str(parsed) == expected
