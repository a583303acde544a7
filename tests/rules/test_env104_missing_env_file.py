"""ENV104 for an env file the documented setup creates: a Makefile recipe, a script or a
document's shell block that ``touch``-es it, copies it there or writes it with ``>`` makes the
finding an info that names the command; a file no command creates (or one created under
another path, or by a shell that does not expand the braces it is written with) stays an
error."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from envlint.compose.created import find_created
from envlint.compose.launchers import LauncherFiles, find_invocations
from envlint.findings import Severity
from tests.conftest import run_lint, write_tree

COMPOSE = """
services:
  app:
    image: app
    env_file:
      - env.d/common
      - env.d/common.local
"""
LOCAL = ("compose.yml", 6)  # the `- env.d/common.local` item

Project = Callable[[Mapping[str, str | bytes]], Path]


def _env104(root: Path) -> dict[tuple[str, int], Severity]:
    report = run_lint(root, cache=False, select=("ENV104",))
    return {(f.location.path, f.location.line): f.severity for f in report.findings}


def _tree(**more: str) -> dict[str, str]:
    return {"compose.yml": COMPOSE, "env.d/common": "A=1\n", **more}


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("Makefile", "bootstrap:\n\t@touch env.d/common.local\n\tdocker compose up -d\n"),
        ("Makefile", "SHELL := /bin/bash\nenv:\n\t@touch env.d/{other,common}.local\n"),
        ("Makefile", "env:\n\tcp env.d/common env.d/common.local\n"),
        ("scripts/setup.sh", "#!/bin/sh\ncd env.d\necho 'A=2' > common.local\n"),
        ("scripts/setup.bash", "touch env.d/{common,more}.local\n"),
        ("env.d/setup.sh", '#!/bin/sh\ncd "$(dirname "$0")"\ncp common common.local\n'),
        # a document's `cd /path/to/clone` is the reader's checkout
        ("README.md", "```sh\ncd /path/to/clone\ntouch env.d/common.local\n```\n"),
        ("README.md", "# Setup\n\n```bash\nmkdir -p env.d\ntouch env.d/common.local\n```\n"),
        # just: a script recipe, a linewise one with a sigil, a bash recipe's braces
        (
            "justfile",
            "_env:\n    #!/usr/bin/env sh\n    if [ ! -f x ]; then\n"
            "      cp env.d/common env.d/common.local\n    fi\n\nup: _env\n    docker compose up\n",
        ),
        ("Justfile", "dir := 'env.d'\nenv:\n  @touch {{dir}}/common.local\n"),
        ("justfile", "set shell := ['bash', '-cu']\nenv:\n  touch env.d/{a,common}.local\n"),
        ("justfile", "[working-directory: 'env.d']\nenv:\n  cp common common.local\n"),
        # a script without a suffix whose #! line names a shell
        ("script/bootstrap", "#!/usr/bin/env bash\ntouch env.d/common.local\n"),
        ("docs/bootstrap", "#!/bin/sh\ntouch env.d/common.local\n"),  # in any directory
    ],
)
def test_a_file_the_setup_creates_is_an_info(project: Project, name: str, text: str) -> None:
    found = _env104(project(_tree(**{name: text})))
    assert found == {LOCAL: Severity.INFO}


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("Makefile", "env:\n\t@touch env.d/{other,common}.local\n"),  # /bin/sh: no braces
        ("Makefile", "env:\n\t@touch -c env.d/common.local\n"),  # -c creates nothing
        ("Makefile", "env:\n\t@touch $(DIR)/common.local\n"),  # DIR unknown
        ("scripts/setup.sh", "touch common.local\n"),  # scripts/common.local or ./common.local
        ("README.md", "# Setup\n\n```python\nopen('env.d/common.local', 'w')\n```\n"),
        ("README.md", "Run `touch env.d/common.local` first.\n"),  # prose: not read
        # a container's entrypoint: after `cd /app` its paths are the image's, not the repo's
        ("env.d/entrypoint.sh", '#!/bin/sh\ncd /app\ncp common common.local\nexec "$@"\n'),
        ("Makefile", "env:\n\tcd /srv/app && touch env.d/common.local\n"),
        ("justfile", "[no-cd]\nenv:\n  touch env.d/common.local\n"),  # runs where its caller is
        ("justfile", "env dir:\n  touch {{dir}}/common.local\n"),  # a parameter: not known
        ("justfile", "env:\n  #!/usr/bin/env python3\n  open('env.d/common.local', 'w')\n"),
        ("justfile", "env:\n  touch env.d/{a,common}.local\n"),  # sh: no braces
        ("script/bootstrap", "touch env.d/common.local\n"),  # no #! line: not a script
    ],
)
def test_a_file_no_command_creates_stays_an_error(project: Project, name: str, text: str) -> None:
    found = _env104(project(_tree(**{name: text})))
    assert found == {LOCAL: Severity.ERROR}


def test_the_info_names_the_command_and_the_target(project: Project) -> None:
    makefile = "bootstrap: env\n\nup:\n\tdocker compose up\n\nenv:\n\t@touch env.d/common.local\n"
    report = run_lint(project(_tree(Makefile=makefile)), cache=False, select=("ENV104",))
    [finding] = report.findings
    assert "(`touch` at Makefile:7, make env)" in finding.message
    assert [r.location.path for r in finding.related] == ["Makefile"]


def test_the_info_names_the_just_recipe(project: Project) -> None:
    justfile = (
        "_env:\n    cp -n env.d/common env.d/common.local\n\nrun: _env\n    docker compose up\n"
    )
    report = run_lint(project(_tree(justfile=justfile)), cache=False, select=("ENV104",))
    [finding] = report.findings
    assert "(`cp` at justfile:2, just _env)" in finding.message


def test_an_example_beside_the_file_still_comes_first(project: Project) -> None:
    tree = _tree(Makefile="env:\n\t@touch env.d/common.local\n")
    tree["env.d/common.local.example"] = "B=1\n"
    report = run_lint(project(tree), cache=False, select=("ENV104",))
    [finding] = report.findings
    assert "envlint read env.d/common.local.example in its place" in finding.message


def test_find_created_follows_cd_and_redirections(project: Project) -> None:
    script = "cd deploy\ncat > app.env <<EOF\nA=1\nEOF\necho hi >> /dev/null\nln -s a b\n"
    root = project({"scripts/setup.sh": script, "deploy/a": ""})
    created = find_created(LauncherFiles(root, ["scripts/setup.sh"]))
    assert {(p, c.how) for p, c in created.items()} == {
        ("scripts/deploy/app.env", ">"),
        ("deploy/app.env", ">"),
        ("scripts/deploy/b", "ln"),
        ("deploy/b", "ln"),
    }


def test_find_created_reads_the_files_the_launchers_read(project: Project) -> None:
    """One reader per load: what find_invocations read is what find_created reads."""
    makefile = "env:\n\ttouch env.d/common.local\n\tdocker compose up -d\n"
    root = project({"Makefile": makefile, "compose.yml": COMPOSE})
    launchers = LauncherFiles(root, ["Makefile", "compose.yml"])
    find_invocations(launchers, lambda _directory: ("compose.yml",))
    (root / "Makefile").write_text("env:\n\ttrue\n", encoding="utf-8")
    created = find_created(launchers)
    assert [(p, c.how, c.runner) for p, c in created.items()] == [
        ("env.d/common.local", "touch", "make env")
    ]


def test_the_read_in_its_place_messages(tmp_path: Path) -> None:
    """A service's env_file, a documented --env-file and a command-line --env-file read from
    their examples: one wording, each with how the file is absent and what it was read for."""
    service_tree = {**_tree(), "env.d/common.local.example": "B=1\n"}
    dev = {"compose.yml": "services:\n  app:\n    image: app\n", "dev.env.example": "A=1\n"}
    documented = {**dev, "up.sh": "docker compose --env-file dev.env up\n"}
    runs = [
        (write_tree(tmp_path / "service", service_tree), {}),
        (write_tree(tmp_path / "documented", documented), {}),
        (write_tree(tmp_path / "given", dev), {"env_files": ("dev.env",)}),
    ]
    found = [run_lint(root, cache=False, select=("ENV104",), **more) for root, more in runs]
    assert [(f.message, f.severity) for [f] in (report.findings for report in found)] == [
        (
            "env file env.d/common.local of service 'app' is not in the repository; envlint "
            "read env.d/common.local.example in its place as the documented environment "
            "(create env.d/common.local from it before docker compose up)",
            Severity.INFO,
        ),
        (
            "env file dev.env, which up.sh passes with --env-file, is not in the repository; "
            "envlint read dev.env.example in its place for ${} interpolation, as the documented "
            "environment (create dev.env from it before docker compose up)",
            Severity.INFO,
        ),
        (
            "env file dev.env not found; envlint read dev.env.example in its place for ${} "
            "interpolation, as the documented environment (create dev.env from it before "
            "docker compose up)",
            Severity.ERROR,
        ),
    ]
