"""A container whose command only keeps it running (``tail -f /dev/null``, ``sleep infinity``, an
endless loop of sleeps, ``cat`` on a terminal) runs no program: none of the repository's code is
its code, so nothing in it "crashes at start" (blind evaluation 13d, shape 2); ENV205 says so.
A command that runs a program before or beside the keep-alive is not idle."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from tests.conftest import run_lint

from ._helpers import entrypoints

Project = Callable[[Mapping[str, str | bytes]], Path]

_MAIN_RS = """use std::env;

fn main() {
    let broker = env::var("KAFKA_BROKERS").expect("KAFKA_BROKERS missing");
    println!("{}", broker);
}
"""


def _rust_app(service: str, dockerfile: str, **files: str) -> dict[str, str]:
    return {
        "docker-compose.yml": (
            f"services:\n  app:\n    build: .\n    volumes: ['.:/rust']\n{service}"
        ),
        "Dockerfile": dockerfile,
        "Cargo.toml": '[package]\nname = "demo"\nversion = "0.1.0"\nedition = "2021"\n',
        "src/main.rs": _MAIN_RS,
        **files,
    }


_IDLE_CMD = 'FROM rust:1.80\nWORKDIR /rust\nCMD ["tail", "-f", "/dev/null"]\n'
_CARGO_RUN = 'FROM rust:1.80\nWORKDIR /rust\nCOPY . .\nCMD ["cargo", "run"]\n'
_ENTRY = (
    'FROM rust:1.80\nWORKDIR /rust\nCOPY . .\nENTRYPOINT ["./entrypoint.sh"]\n'
    'CMD ["tail", "-f", "/dev/null"]\n'
)


def test_a_keep_alive_container_gets_no_code_and_an_info_instead_of_crashes(
    project: Project,
) -> None:
    root = project(_rust_app("", _IDLE_CMD))
    entry = entrypoints(root)["app"]
    assert entry.idle and entry.program is None
    findings = run_lint(root, cache=False).findings
    assert [f.code for f in findings] == ["ENV205"]
    assert "runs no program of its own: `tail -f /dev/null` only keeps" in findings[0].message
    assert "envlint attributes no code to it" in findings[0].message


@pytest.mark.parametrize(
    ("service", "dockerfile", "extra"),
    [
        ("    command: sleep infinity\n", _CARGO_RUN, {}),
        ("    command: ['sleep', '1d']\n", _CARGO_RUN, {}),
        ("    command: ['sh', '-c', 'while true; do sleep 30; done']\n", _CARGO_RUN, {}),
        ("    command: ['bash', '-c', 'until false; do sleep 5; done']\n", _CARGO_RUN, {}),
        ("    command: ['sh', '-c', 'trap : TERM INT; sleep infinity & wait']\n", _CARGO_RUN, {}),
        (
            "    entrypoint: ['tini', '--']\n    command: ['tail', '-F', '-n', '0', '/dev/null']\n",
            _CARGO_RUN,
            {},
        ),
        ("    command: cat\n    tty: true\n", _CARGO_RUN, {}),
        ("    command: bash\n    stdin_open: true\n    tty: true\n", _CARGO_RUN, {}),
        ("", _ENTRY, {"entrypoint.sh": '#!/bin/sh\nset -e\necho "starting"\nexec "$@"\n'}),
        ("", _ENTRY, {"entrypoint.sh": '#!/bin/sh\n. /opt/venv/bin/activate\nexec "$@"\n'}),
    ],
)
def test_keep_alive_commands_idle_the_container(
    project: Project, service: str, dockerfile: str, extra: dict[str, str]
) -> None:
    root = project(_rust_app(service, dockerfile, **extra))
    assert entrypoints(root)["app"].idle
    codes = [f.code for f in run_lint(root, cache=False).findings]
    assert "ENV201" not in codes and "ENV205" in codes


@pytest.mark.parametrize(
    ("service", "dockerfile", "extra"),
    [
        # a program runs before the keep-alive, or beside it in the background
        (
            "    command: ['sh', '-c', 'cargo run --bin migrate && tail -f /dev/null']\n",
            _CARGO_RUN,
            {},
        ),
        ("    command: ['sh', '-c', 'cargo run & tail -f /dev/null']\n", _CARGO_RUN, {}),
        ("", _ENTRY, {"entrypoint.sh": '#!/bin/sh\ncargo run --bin migrate\nexec "$@"\n'}),
        # a sourced script of the repository may run anything
        (
            "",
            _ENTRY,
            {
                "entrypoint.sh": '#!/bin/sh\n. ./setup.sh\nexec "$@"\n',
                "setup.sh": "cargo run --bin migrate\n",
            },
        ),
        # not keep-alives: no terminal for cat, a short sleep, a log that grows, a finite loop
        ("    command: cat\n", _CARGO_RUN, {}),
        ("    command: sleep 5\n", _CARGO_RUN, {}),
        ("    command: ['tail', '-f', '/var/log/app.log']\n", _CARGO_RUN, {}),
        ("    command: ['sh', '-c', 'for i in 1 2; do true; sleep 9999; done']\n", _CARGO_RUN, {}),
        (
            "    command: ['sh', '-c', 'while [ ! -f /go ]; do sleep 1; done; exec cargo run']\n",
            _CARGO_RUN,
            {},
        ),
    ],
)
def test_commands_that_run_a_program_are_not_idle(
    project: Project, service: str, dockerfile: str, extra: dict[str, str]
) -> None:
    root = project(_rust_app(service, dockerfile, **extra))
    assert not entrypoints(root)["app"].idle


def test_an_idle_devcontainer_image_that_holds_no_code_stays_silent(project: Project) -> None:
    # a third-party base (not a bare runtime) with nothing of the repository copied in: as
    # silent as any program of such an image, and no code is attributed to it either
    root = project(
        {
            "docker-compose.yml": "services:\n  app:\n    build: .\n    command: sleep infinity\n",
            "Dockerfile": "FROM mcr.microsoft.com/devcontainers/python:3.11\nRUN pip install uv\n",
            "app.py": 'import os\n\nTOKEN = os.environ["APP_TOKEN"]\n',
        }
    )
    entry = entrypoints(root)["app"]
    assert entry.idle and entry.foreign
    assert run_lint(root, cache=False).findings == ()


@pytest.mark.parametrize("command", ["['true']", "['/bin/true']", "':'"])
def test_a_build_only_service_whose_command_exits_at_once_runs_no_program(
    project: Project, command: str
) -> None:
    # supavisor's docker-compose.jit.yml (blind 17f): `builder` is built for a volume it fills,
    # `command: ["true"]`; it runs none of the repository's code
    root = project(_rust_app(f"    command: {command}\n", _CARGO_RUN))
    entry = entrypoints(root)["app"]
    assert entry.idle and entry.program is None
    findings = run_lint(root, cache=False).findings
    assert [f.code for f in findings] == ["ENV205"]
    assert "exits at once" in findings[0].message


def test_true_before_a_program_is_not_idle(project: Project) -> None:
    root = project(_rust_app("    command: ['sh', '-c', 'true && exec cargo run']\n", _CARGO_RUN))
    assert not entrypoints(root)["app"].idle
