"""Which paths `check` reads, and how it prints them (issue #15 items 2-4).

Paths are printed relative to the current directory in every format (SARIF: relative to the
repository root, declared as %SRCROOT%); `check a b` checks exactly a and b; a file argument
checks the project that owns it and reports findings in that file; no project is never an
all-clear.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from click.testing import CliRunner, Result

from envlint.cli import cli
from tests.conftest import write_tree

UNDEFINED = "services:\n  app:\n    image: x\n    environment:\n      A: ${NOPE_%s}\n"
GO = 'package main\n\nimport "os"\n\nfunc main() {\n\tif os.Getenv("DB_URL") == "" {\n' \
    '\t\tpanic("DB_URL")\n\t}\n}\n'


@contextmanager
def cwd(path: Path) -> Iterator[None]:
    here = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(here)


def run(where: Path, *args: str) -> Result:
    with cwd(where):
        return CliRunner().invoke(cli, list(args))


def paths(result: Result) -> set[str]:
    return {f["path"] for f in json.loads(result.stdout)["findings"]}


def test_paths_are_relative_to_the_current_directory_in_every_format(tmp_path: Path) -> None:
    write_tree(tmp_path / "deploy" / "stack", {"compose.yaml": UNDEFINED % "A"})
    concise = run(tmp_path, "check", "deploy/stack", "--format", "concise", "--isolated")
    assert concise.stdout.startswith("deploy/stack/compose.yaml:5:"), concise.stdout
    assert paths(run(tmp_path, "check", "deploy/stack", "--format", "json", "--isolated")) == {
        "deploy/stack/compose.yaml"
    }
    github = run(tmp_path / "deploy", "check", "stack", "--format", "github", "--isolated")
    assert "file=stack/compose.yaml," in github.stdout
    inside = run(tmp_path / "deploy" / "stack", "check", "--format", "json", "--isolated")
    assert paths(inside) == {"compose.yaml"}


def test_sarif_uris_are_relative_to_the_repository_root(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write_tree(repo, {"deploy/compose.yaml": UNDEFINED % "A"})
    (repo / ".git").mkdir()
    result = run(repo / "deploy", "check", "--format", "sarif", "--isolated")
    run_ = json.loads(result.stdout)["runs"][0]
    location = run_["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "deploy/compose.yaml", "uriBaseId": "%SRCROOT%"}
    assert run_["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.resolve().as_uri() + "/"


def test_baseline_paths_do_not_depend_on_the_current_directory(tmp_path: Path) -> None:
    write_tree(tmp_path / "p", {"compose.yaml": UNDEFINED % "A"})
    first, second = tmp_path / "one.json", tmp_path / "two.json"
    run(tmp_path, "check", "p", "--isolated", "--write-baseline", str(first))
    run(tmp_path / "p", "check", "--isolated", "--write-baseline", str(second))
    assert first.read_bytes() == second.read_bytes()


def test_check_a_b_checks_exactly_a_and_b(tmp_path: Path) -> None:
    for name in ("a", "b", "c"):
        write_tree(tmp_path / "top" / name, {"compose.yaml": UNDEFINED % name.upper()})
    result = run(tmp_path, "check", "top/a", "top/b", "--format", "json", "--isolated")
    assert result.exit_code == 1, result.output
    assert paths(result) == {"top/a/compose.yaml", "top/b/compose.yaml"}


def test_a_file_argument_checks_its_project_and_reports_that_file(tmp_path: Path) -> None:
    write_tree(
        tmp_path / "proj",
        {
            "compose.yaml": "services:\n  app:\n    build: ./src\n    environment:\n"
            "      A: ${NOPE}\n",
            "src/Dockerfile": "FROM golang:1.22\n",
            "src/main.go": GO,
        },
    )
    result = run(tmp_path, "check", "proj/src/main.go", "--format", "json", "--isolated")
    assert result.exit_code == 1, result.output
    found = json.loads(result.stdout)["findings"]
    assert {(f["code"], f["path"]) for f in found} == {("ENV201", "proj/src/main.go")}
    compose = run(tmp_path, "check", "proj/compose.yaml", "--format", "json", "--isolated")
    assert paths(compose) == {"proj/compose.yaml"}


def test_an_explicit_path_without_a_project_is_a_usage_error(tmp_path: Path) -> None:
    write_tree(tmp_path, {"empty/README.md": "nothing\n", "lone/x.go": GO})
    (tmp_path / ".git").mkdir()  # the file search stops at the repository root
    result = run(tmp_path, "check", "empty", "-q")
    assert result.exit_code == 2
    assert "no Compose project found" in result.stderr
    lone = run(tmp_path, "check", "lone/x.go")
    assert lone.exit_code == 2
    assert "no Compose project owns this file" in lone.stderr


def test_the_default_path_without_a_project_warns_even_when_quiet(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("nothing\n", encoding="utf-8")
    for fmt in ("text", "concise", "json"):
        result = run(tmp_path, "check", "-q", "--format", fmt)
        assert result.exit_code == 0
        assert "no Compose project found in the current directory" in result.stderr
        assert "nothing was checked" in result.stderr


def test_compose_file_options_are_relative_to_the_current_directory(tmp_path: Path) -> None:
    write_tree(tmp_path / "p", {"stack/quickstart.yml": UNDEFINED % "Q"})
    result = run(
        tmp_path, "check", "p", "-f", "p/stack/quickstart.yml", "--format", "json", "--isolated"
    )
    assert result.exit_code == 1, result.output
    assert paths(result) == {"p/stack/quickstart.yml"}
