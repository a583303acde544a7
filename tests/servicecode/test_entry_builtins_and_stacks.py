"""What a container runs when its script's work is a function called in a retry loop and the
script ends in `exit` (a builtin, never a program); when a stage without WORKDIR copies the
binary to a relative destination and the ENTRYPOINT names it absolutely; when a one-file
`COPY --from` into a bin directory cannot be the command; and which build of an image a
compose stack that builds it itself runs (blind evaluation 5a: patchman-engine,
playbook-dispatcher)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from envlint.compose import load_workspace
from envlint.config import Settings
from envlint.servicecode.assemble import plan

from ._helpers import entrypoints

Project = Callable[[Mapping[str, str | bytes]], Path]

_GO_MAIN = """package main

import "os"

func main() {
\tif os.Getenv("HOOK_KEY") == "" {
\t\tpanic("HOOK_KEY is required")
\t}
}
"""


def _hooks(dockerfile: str, compose: str = "", **extra: str) -> dict[str, str]:
    return {
        "compose.yml": compose
        or """
            services:
              hooks:
                build: .
                environment: {HOOK_KEY: dev}
        """,
        "Dockerfile": dockerfile,
        "go.mod": "module example.com/hooks\n\ngo 1.22\n",
        "cmd/hookd/main.go": _GO_MAIN,
        **extra,
    }


# -- a retry loop around a function, then `exit` -------------------------------------------------

_SCRIPT_IMAGE = """
    FROM golang:1.22 AS compile
    WORKDIR /src
    COPY . .
    RUN go build -o /out/hookd ./cmd/hookd
    FROM alpine:3.20
    COPY --from=compile /out/hookd /usr/local/bin/hookd
    COPY migrate.sh /migrate.sh
    ENTRYPOINT ["/migrate.sh"]
"""

_RETRY = """#!/bin/sh
set -e
MAX=${MIGRATE_RETRIES:-3}

run_migration() {
  hookd migrate up
}

for attempt in $(seq 1 "$MAX"); do
  echo "attempt $attempt"
  if run_migration; then
    exit 0
  fi
  sleep 5
done
echo "giving up"
exit 1
"""


def test_a_function_called_in_a_retry_loop_is_the_program_not_exit(project: Project) -> None:
    root = project(_hooks(_SCRIPT_IMAGE, **{"migrate.sh": _RETRY}))
    found = entrypoints(root)["hooks"]
    assert found.program is not None and found.program.target == "cmd/hookd", found.note
    assert "calls its function run_migration inside a loop or condition" in found.program.how


def test_exit_after_the_program_is_not_the_program(project: Project) -> None:
    script = "#!/bin/sh\nhookd migrate up\necho done\nexit 0\n"
    root = project(_hooks(_SCRIPT_IMAGE, **{"migrate.sh": script}))
    program = entrypoints(root)["hooks"].program
    assert program is not None and program.target == "cmd/hookd"


def test_nothing_after_a_top_level_exit_runs(project: Project) -> None:
    script = "#!/bin/sh\necho disabled\nexit 0\nhookd migrate up\n"
    root = project(_hooks(_SCRIPT_IMAGE, **{"migrate.sh": script}))
    found = entrypoints(root)["hooks"]
    assert found.program is None
    assert "exit" not in found.note.replace("exits", "")
    assert "does not exec or run a program" in found.note


def test_an_exit_in_an_and_or_list_does_not_end_the_script(project: Project) -> None:
    script = "#!/bin/sh\ncd /srv || exit\nmkdir -p /srv/run && exit 0 || true\nexec hookd serve\n"
    root = project(_hooks(_SCRIPT_IMAGE, **{"migrate.sh": script}))
    program = entrypoints(root)["hooks"].program
    assert program is not None and program.target == "cmd/hookd"


def test_a_loop_that_also_runs_another_program_is_not_taken_for_the_function(
    project: Project,
) -> None:
    script = _RETRY.replace("  sleep 5\n", "  curl -fsS http://db:5432/ready\n")
    root = project(_hooks(_SCRIPT_IMAGE, **{"migrate.sh": script}))
    found = entrypoints(root)["hooks"]
    assert found.program is None
    assert "only inside conditionals, loops or functions" in found.note
    assert "`exit`" not in found.note


# -- a relative COPY destination in a stage without WORKDIR --------------------------------------


def _relative_copy(final_stage: str) -> str:
    return f"""
    FROM golang:1.22 AS compile
    WORKDIR /src
    COPY . .
    RUN go build -o hookd ./cmd/hookd
{final_stage}
    ENTRYPOINT ["/hookd"]
"""


def test_a_copy_to_dot_without_workdir_is_at_the_root(project: Project) -> None:
    final = "    FROM alpine:3.20\n    COPY --from=compile /src/hookd ."
    root = project(_hooks(_relative_copy(final)))
    program = entrypoints(root)["hooks"].program
    assert program is not None and program.target == "cmd/hookd"
    assert "assuming the base image's working directory is /" in program.how


def test_a_copy_to_dot_below_a_workdir_is_not_at_the_root(project: Project) -> None:
    here = "    FROM alpine:3.20\n    WORKDIR /srv\n    COPY --from=compile /src/hookd ."
    found = entrypoints(project(_hooks(_relative_copy(here))))["hooks"]
    assert found.program is None
    assert "nothing in the Dockerfile builds or copies /hookd" in found.note
    # a WORKDIR in the stage it builds on counts the same
    inherited = (
        "    FROM alpine:3.20 AS base\n    WORKDIR /srv\n"
        "    FROM base\n    COPY --from=compile /src/hookd ."
    )
    found = entrypoints(project(_hooks(_relative_copy(inherited))))["hooks"]
    assert found.program is None and "/hookd" in found.note


def test_a_relative_copy_of_a_binary_a_run_builds_says_so_with_the_assumption(
    project: Project,
) -> None:
    dockerfile = """
    FROM golang:1.22 AS builder
    WORKDIR /src
    COPY go.mod Makefile ./
    COPY cmd cmd/
    RUN make build
    FROM alpine:3.20
    COPY --from=builder /src/app .
    ENTRYPOINT ["/app"]
    """
    found = entrypoints(project(_hooks(dockerfile, Makefile="build:\n\tgo build -o app .\n")))
    note = found["hooks"].note
    assert "/app is copied from the stage builder (Dockerfile:7)" in note
    assert "if the base image's working directory is /" in note
    assert "nothing in the Dockerfile" not in note


# -- a one-file COPY --from into a bin directory ---------------------------------------------------


def _toolbox(copy: str) -> str:
    return f"""
    FROM fedora:40 AS toolbox
    RUN dnf install -y golang pg_repack
    FROM fedora:40-minimal AS runtime
    {copy}
    CMD ["gotestsum", "./..."]
    """


def test_a_tool_copied_out_of_a_bin_directory_is_one_file(project: Project) -> None:
    root = project(_hooks(_toolbox("COPY --from=toolbox /usr/bin/pg_repack /usr/bin/")))
    note = entrypoints(root)["hooks"].note
    assert "copied from the stage toolbox" not in note
    assert "`gotestsum` is not built or copied from this repository" in note


def test_a_directory_copied_into_a_bin_directory_may_hold_the_command(project: Project) -> None:
    root = project(_hooks(_toolbox("COPY --from=toolbox /opt/tools/bin /usr/bin/")))
    note = entrypoints(root)["hooks"].note
    # /opt/tools/bin may be a file or a directory: the copy is not said to write gotestsum
    assert (
        "gotestsum may be copied from the stage toolbox (Dockerfile:4) if the files that COPY "
        "names hold it"
    ) in note


# -- the build of an image that the stack itself builds -------------------------------------------

_STAGES = """
    FROM golang:1.22 AS dev
    WORKDIR /src
    COPY . .
    CMD ["go", "run", "./cmd/hookd"]
    FROM golang:1.22 AS release
    WORKDIR /src
    COPY . .
    CMD ["go", "run", "./cmd/audit"]
"""


def _stack(target: str, kind: str = "image") -> str:
    builder = f"""
      builder:
        image: hooks-app
        build: {{context: ., target: {target}}}
        environment: {{HOOK_KEY: dev}}"""
    return f"""
    services:{builder if kind == "image" else ""}
      worker:
        image: hooks-app
        environment: {{HOOK_KEY: dev}}
    """


def _worker_notes(root: Path) -> dict[str, tuple[str | None, str]]:
    settings = Settings(cache=False)
    workspace = load_workspace(root, settings)
    code_map, _ = plan(workspace, settings)
    found: dict[str, tuple[str | None, str]] = {}
    for program in code_map.programs:
        if program.service != "worker" or program.entrypoint is None:
            continue
        ref = program.entrypoint.program
        found[program.stack] = (ref.target if ref is not None else None, program.note)
    return found


def test_a_stack_runs_the_target_it_builds_itself(project: Project) -> None:
    root = project(
        {
            **_hooks(_STAGES, _stack("dev")),
            "compose.prod.yml": _stack("release"),
            "cmd/audit/main.go": _GO_MAIN.replace("HOOK_KEY", "AUDIT_KEY"),
        }
    )
    found = _worker_notes(root)
    assert found["compose.yml"][0] == "cmd/hookd", found
    assert found["compose.prod.yml"][0] == "cmd/audit", found


def test_a_stack_that_builds_nothing_still_sees_every_build(project: Project) -> None:
    root = project(
        {
            **_hooks(_STAGES, _stack("dev")),
            "compose.prod.yml": _stack("release"),
            "compose.worker.yml": _stack("", kind="none"),
            "cmd/audit/main.go": _GO_MAIN.replace("HOOK_KEY", "AUDIT_KEY"),
        }
    )
    found = _worker_notes(root)
    target, note = found["compose.worker.yml"]
    assert target is None
    assert "may come from 2 builds" in note


# -- job control after the program: `server && fg` (blind evaluation 7b: mathesar) ----------------


def test_job_control_builtins_after_the_program_are_not_what_runs(project: Project) -> None:
    for tail in ("hookd serve && fg", "hookd serve\nwait\njobs"):
        root = project(_hooks(_SCRIPT_IMAGE, **{"migrate.sh": f"#!/bin/sh\nset -e\n{tail}\n"}))
        hooks = entrypoints(root)["hooks"]
        assert hooks.program is not None and hooks.program.target == "cmd/hookd", tail
