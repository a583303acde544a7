"""An interpreter with a script argument runs that script: a shell's options before its script
(``bash -l start.sh``, ``sh -eu run.sh``, ``bash -o pipefail run.sh``) and before ``-c``
(``bash -l -c "..."``), and ``ruby [options] app.rb``, whose ``require_relative``/``require``
are followed.  plots2 (blind set 12b): ``CMD [ "bash", "-l", "start.sh" ]`` was "`bash` is not
built"; ``CMD ["ruby", "/app/app.rb"]`` took every Ruby file as the code, and warned for a
``tool.rb`` the service never runs."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from tests.conftest import run_lint, write_tree

from ._helpers import entrypoints, programs

Project = Callable[[Mapping[str, str | bytes]], Path]

DOCKERFILE = "FROM ruby:3.2\nWORKDIR /app\nCOPY . /app\n"


def _compose(commands: Mapping[str, str]) -> str:
    lines = ["services:"]
    for name, command in commands.items():
        lines.append(f"  {name}: {{build: ., command: {command}}}")
    return "\n".join(lines) + "\n"


def test_a_shell_s_options_come_before_its_script_or_command_string(project: Project) -> None:
    commands = {
        "login": '["bash", "-l", "start.sh"]',
        "flags": "sh -eu ./start.sh",
        "pipefail": '["bash", "-o", "pipefail", "+x", "start.sh"]',
        "long": '["bash", "--login", "--", "start.sh"]',
        "command": '["bash", "-l", "-c", "python app.py"]',
        "stdin": '["sh", "-s", "start.sh"]',
        "missing": '["bash", "-e", "nothing.sh"]',
    }
    root = project(
        {
            "compose.yaml": _compose(commands),
            "Dockerfile": "FROM python:3.12\nWORKDIR /app\nCOPY . /app\n",
            "start.sh": "#!/bin/bash -l\nset -e\nexec python app.py\n",
            "app.py": "",
        }
    )
    found = programs(root)
    script = ("python", "python-file", "app.py")
    assert {name: found[name] for name in ("login", "flags", "pipefail", "long")} == {
        "login": script,
        "flags": script,
        "pipefail": script,
        "long": script,
    }
    assert found["command"] == script
    assert found["stdin"] is None  # `sh -s`: the commands come from stdin
    assert "the shell script nothing.sh is not found" in entrypoints(root)["missing"].note


def test_ruby_runs_its_script_after_its_options(project: Project) -> None:
    commands = {
        "plain": '["ruby", "/app/app.rb"]',
        "options": "ruby -W0 -I lib -rbundler/setup app.rb",
        "chdir": '["ruby", "-C", "/app/bin", "main.rb"]',
        "shell": "sh -c 'exec ruby -w app.rb'",
        "inline": """["ruby", "-e", "puts 1"]""",
        "library": '["ruby", "-r", "./boot", "app.rb"]',
        "extensionless": '["ruby", "script/mailman"]',
    }
    root = project(
        {
            "compose.yaml": _compose(commands),
            "Dockerfile": DOCKERFILE,
            "app.rb": "puts 1\n",
            "bin/main.rb": "puts 1\n",
            "script/mailman": "#!/usr/bin/env ruby\nputs 1\n",
        }
    )
    found = programs(root)
    assert found["plain"] == found["options"] == found["shell"] == ("ruby", "ruby-file", "app.rb")
    assert found["chdir"] == ("ruby", "ruby-file", "bin/main.rb")
    notes = {name: e.note for name, e in entrypoints(root).items()}
    assert found["inline"] is None and "`ruby -e` runs inline code" in notes["inline"]
    assert found["library"] is None and "`ruby -r ./boot`" in notes["library"]
    assert found["extensionless"] is None and "has no .rb extension" in notes["extensionless"]


RUBY_FILES = {
    "compose.yaml": "services:\n  web: {build: .}\n",
    "Dockerfile": DOCKERFILE + 'CMD ["ruby", "/app/app.rb"]\n',
    "app.rb": 'require "json"\nrequire_relative "lib/settings"\nrequire "helper"\n',
    "lib/settings.rb": 'TOKEN = ENV.fetch("TOKEN")\n',
    "lib/helper.rb": 'HELPER = ENV.fetch("HELPER_KEY")\n',
    "tool.rb": 'puts ENV.fetch("OTHER_TOOL_TOKEN")\n',
}


def _warned(root: Path) -> set[tuple[str, str]]:
    report = run_lint(root, cache=False, select=("ENV201", "ENV205"))
    return {(f.code, f.location.path) for f in report.findings}


def test_the_files_a_ruby_script_requires_are_its_code(tmp_path: Path) -> None:
    write_tree(tmp_path, RUBY_FILES)
    assert _warned(tmp_path) == {("ENV201", "lib/settings.rb"), ("ENV201", "lib/helper.rb")}


def test_a_ruby_script_that_loads_what_is_not_followed_keeps_every_ruby_file(
    tmp_path: Path,
) -> None:
    """Rails autoloads the application, and ``load`` takes a file no require names: every
    Ruby file below the reached files' directory is taken, as without a program."""
    for first in ('require "rails/all"\n', 'load "tasks.rb"\n'):
        write_tree(tmp_path, {**RUBY_FILES, "app.rb": first + RUBY_FILES["app.rb"]})
        assert ("ENV201", "tool.rb") in _warned(tmp_path)


def test_php_names_the_script_it_runs(project: Project) -> None:
    """PHP's includes are not followed: no program, but the reason names the script (not "`php`
    is not built"); inline code and a missing script read as before."""
    commands = {
        "script": '["php", "-d", "memory_limit=1G", "/app/worker.php"]',
        "file": "php -f worker.php",
        "inline": """["php", "-r", "echo 1;"]""",
        "missing": '["php", "nothing.php"]',
    }
    root = project(
        {
            "compose.yaml": _compose(commands),
            "Dockerfile": "FROM php:8.3-cli\nWORKDIR /app\nCOPY . /app\n",
            "worker.php": "<?php echo getenv('TOKEN');\n",
        }
    )
    notes = {name: e.note for name, e in entrypoints(root).items()}
    runs = "`php` runs the script worker.php, whose includes envlint does not follow"
    assert runs in notes["script"] and runs in notes["file"]
    assert "`php` is not built" in notes["inline"] and "`php` is not built" in notes["missing"]
