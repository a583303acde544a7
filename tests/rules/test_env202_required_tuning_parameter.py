"""ENV202: tuning by type and name; fires whatever compose provides, not with a default."""

from __future__ import annotations

from pathlib import Path

import pytest

from envlint.model import Location
from envlint.rules.env202_required_tuning_parameter import is_tuning
from envlint.sources.model import EnvRead
from tests.conftest import run_lint, write_tree


@pytest.mark.parametrize(
    ("name", "vtype", "tuning"),
    [
        ("KAFKA_ADDR", "string", False),
        ("KAFKA_ADDR", "int", True),
        ("REQUEST_TIMEOUT", "string", True),
        ("Kafka__SessionTimeoutMs", "string", False),
        ("Kafka__Session__MS", "string", True),
        ("MAX_CONNECTIONS", "string", True),
        ("MAXIMUM", "string", False),
        ("FLAG", "bool", False),
        # a secret, an identifier or an address by its last part, whatever tuning word precedes
        ("BATCH_JOB_KEY", "string", False),
        ("MAX_API_TOKEN", "string", False),
        ("POOL_ID", "string", False),
        ("BATCH_API_URL", "string", False),
        ("BATCH_KEY_SIZE", "string", True),  # the last part is the tuning word
        ("POOL_ID", "int", True),  # parsed as a number: tuning whatever its name
        # an abbreviation-like unit counts only as the last part; a webhook is an address
        ("MS_TEAMS_WEBHOOK", "string", False),
        ("MS_TEAMS_CHANNEL", "string", False),
        ("KB_COLLECTION", "string", False),
        ("POLL_MS", "string", True),
        ("CACHE_MB", "string", True),
        ("SECONDS_BETWEEN_RUNS", "string", True),
        ("RETRY_HOOK", "string", False),
    ],
)
def test_is_tuning(name: str, vtype: str, tuning: bool) -> None:
    read = EnvRead(name, Location("a.go"), "go", "os.Getenv", "crash", expected_type=vtype)  # type: ignore[arg-type]
    assert is_tuning(read) is tuning


def test_fires_even_when_provided_and_once_for_shared_code(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "compose.yaml": """
                services:
                  a:
                    build: ./src
                    environment:
                      BATCH_SIZE: "10"
                  b:
                    build: ./src
            """,
            "src/main.go": """
                package main

                import (
                    "log"
                    "os"
                    "strconv"
                )

                func main() {
                    n, err := strconv.Atoi(os.Getenv("BATCH_SIZE"))
                    if err != nil {
                        log.Fatal(err)
                    }
                    m, err := strconv.Atoi(os.Getenv("WORKERS"))
                    if err != nil {
                        m = 4
                    }
                    _, _ = n, m
                }
            """,
        },
    )
    report = run_lint(tmp_path, select=("ENV202",), cache=False)
    assert [(f.location.line, f.variable, f.service) for f in report.findings] == [
        (10, "BATCH_SIZE", "a")
    ]
    assert "a number" in report.findings[0].message


@pytest.mark.parametrize(
    ("command", "fires"), [("uvicorn web:app", False), ("python conn.py", True)]
)
def test_a_main_block_counts_only_in_the_file_run_as_main(
    tmp_path: Path, command: str, fires: bool
) -> None:
    argv = ", ".join(f'"{word}"' for word in command.split())
    write_tree(
        tmp_path,
        {
            "compose.yaml": "services:\n  api:\n    build: .\n",
            "Dockerfile": f"FROM python:3.12\nCOPY . /app\nWORKDIR /app\nCMD [{argv}]\n",
            "web.py": "import conn\n\napp = object()\n",
            "conn.py": """
                import os

                if __name__ == "__main__":
                    t = int(os.environ["RETRY_TIMEOUT"])
            """,
        },
    )
    report = run_lint(tmp_path, select=("ENV202",), cache=False)
    found = {(f.location.path, f.location.line, f.service) for f in report.findings}
    assert found == ({("conn.py", 4, "api")} if fires else set())


def test_unowned_read_with_an_image_default(tmp_path: Path) -> None:
    """openwisp (blind set 10b): code that no service is known to run (a base image copies it
    in) and whose variable the images of the project's services set: not reported; without
    that ENV, it is."""
    write_tree(
        tmp_path,
        {
            "compose.yaml": "services:\n  web:\n"
            "    build: {context: ., dockerfile: web/Dockerfile}\n",
            "web/Dockerfile": 'FROM python:3.12\nENV EMAIL_TIMEOUT=10\nCMD ["python", "-V"]\n',
            "common/settings.py": 'import os\n\nTIMEOUT = int(os.environ["EMAIL_TIMEOUT"])\n',
        },
    )
    found = [f for f in run_lint(tmp_path, cache=False).findings if f.code == "ENV202"]
    assert found == []
    write_tree(tmp_path, {"web/Dockerfile": 'FROM python:3.12\nCMD ["python", "-V"]\n'})
    found = [f for f in run_lint(tmp_path, cache=False).findings if f.code == "ENV202"]
    assert [(f.variable, f.service) for f in found] == [("EMAIL_TIMEOUT", None)]
