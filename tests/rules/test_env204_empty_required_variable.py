"""ENV204: empty values that crash; forms that only test absence do not fire."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_lint, write_tree


def test_empty_from_env_file_and_image(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "compose.yaml": """
                services:
                  a:
                    build: ./src
                    env_file: a.env
            """,
            "a.env": "TOKEN=\nLOOKED_UP=\nSECRET=\n",
            "src/Dockerfile": "FROM golang:1.22\nENV IMAGE_EMPTY=\n",
            "src/main.go": """
                package main

                import (
                    "log"
                    "os"
                )

                func main() {
                    if len(os.Getenv("TOKEN")) == 0 {
                        log.Fatal("TOKEN")
                    }
                    if _, ok := os.LookupEnv("LOOKED_UP"); !ok {
                        log.Fatal("LOOKED_UP")
                    }
                    if os.Getenv("IMAGE_EMPTY") == "" {
                        panic("IMAGE_EMPTY")
                    }
                    _ = os.Getenv("SECRET")
                }
            """,
        },
    )
    report = run_lint(tmp_path, select=("ENV204",), cache=False)
    assert [(f.location.line, f.variable) for f in report.findings] == [
        (9, "TOKEN"),
        (15, "IMAGE_EMPTY"),
    ]
    first = report.findings[0]
    assert first.related[0].location.path == "a.env"
    assert "set but empty" in first.message
