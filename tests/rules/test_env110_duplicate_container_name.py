"""ENV110 beyond the page cases: services that different documented commands enable."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_lint, triples, write_tree

# hoppscotch (blind 16b recheck): `--profile default` runs hoppscotch-aio, `--profile
# default-no-db` runs hoppscotch-aio-no-db, both with container_name hoppscotch-aio
COMPOSE = """
services:
  aio:
    image: app
    profiles: [default]
    container_name: app-aio
  aio-no-db:
    image: app
    profiles: [default-no-db]
    container_name: app-aio
"""
NO_DB_LINE = 9  # the container_name of aio-no-db


def _run(tmp_path: Path, guide: str, **settings: object) -> set[tuple[str, str, int]]:
    write_tree(tmp_path, {"compose.yaml": COMPOSE, "README.md": guide})
    return triples(run_lint(tmp_path, cache=False, select=("ENV110",), **settings))


def test_services_of_separate_documented_profile_commands_do_not_clash(tmp_path: Path) -> None:
    guide = (
        "```sh\ndocker compose --profile default up\n```\n\n"
        "```sh\ndocker compose --profile default-no-db up\n```\n"
    )
    assert _run(tmp_path, guide) == set()


def test_one_command_enabling_both_profiles_clashes(tmp_path: Path) -> None:
    guide = "```sh\ndocker compose --profile default --profile default-no-db up\n```\n"
    assert _run(tmp_path, guide) == {("ENV110", "compose.yaml", NO_DB_LINE)}


def test_both_profiles_selected_for_the_run_clash(tmp_path: Path) -> None:
    guide = (
        "```sh\ndocker compose --profile default up\n```\n\n"
        "```sh\ndocker compose --profile default-no-db up\n```\n"
    )
    found = _run(tmp_path, guide, profiles=("default", "default-no-db"))
    assert found == {("ENV110", "compose.yaml", NO_DB_LINE)}
