"""ENV203: value validators per language; unresolved and empty values are skipped; no values in
messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from envlint.rules.env203_invalid_value_type import valid
from tests.conftest import run_lint, write_tree


@pytest.mark.parametrize(
    ("language", "vtype", "value", "ok"),
    [
        ("go", "int", "8080", True),
        ("go", "int", "-12", True),
        ("go", "int", "0x1F", True),
        ("go", "int", "8080 ", False),
        ("go", "int", "45s", False),
        ("go", "int", "99999999999999999999", False),
        ("go", "float", "1.5e3", True),
        ("go", "float", "Inf", True),
        ("go", "float", "1,5", False),
        ("go", "bool", "True", True),
        ("go", "bool", "1", True),
        ("go", "bool", "yes", False),
        ("go", "bool", "tRUE", False),
        ("go", "duration", "1m30s", True),
        ("go", "duration", "1.5h", True),
        ("go", "duration", "0", True),
        ("go", "duration", "30", False),
        ("go", "duration", "5 s", False),
        ("csharp", "int", " 42 ", True),
        ("csharp", "int", "45000ms", False),
        ("csharp", "float", "1,000.5", True),
        ("csharp", "bool", " TRUE ", True),
        ("csharp", "bool", "1", False),
        ("csharp", "duration", "5", True),
        ("csharp", "duration", "00:00:05", True),
        ("csharp", "duration", "1.02:03:04.5", True),
        ("csharp", "duration", "25:00", False),
        ("csharp", "duration", "5s", False),
        ("python", "int", " 1_000 ", True),
        ("python", "int", "1.0", False),
        ("java", "int", " 1", False),
    ],
)
def test_validators(language: str, vtype: str, value: str, ok: bool) -> None:
    assert valid(language, vtype, value) is ok


def test_unknown_language_is_not_checked() -> None:
    assert valid("javascript", "int", "abc") is None


def test_message_has_no_value_and_unresolved_is_skipped(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "compose.yaml": """
                services:
                  a:
                    build: ./src
                    environment:
                      PORT: "eighty-eighty"
                      RETRIES: ${UNSET_RETRIES}
            """,
            "src/main.go": """
                package main

                import (
                    "log"
                    "os"
                    "strconv"
                )

                func main() {
                    p, err := strconv.Atoi(os.Getenv("PORT"))
                    if err != nil {
                        log.Fatal(err)
                    }
                    r, err := strconv.Atoi(os.Getenv("RETRIES"))
                    if err != nil {
                        log.Fatal(err)
                    }
                    _, _ = p, r
                }
            """,
        },
    )
    report = run_lint(tmp_path, select=("ENV203",), cache=False)
    assert [(f.location.line, f.variable) for f in report.findings] == [(10, "PORT")]
    assert "eighty" not in report.findings[0].message
    assert "an integer" in report.findings[0].message
