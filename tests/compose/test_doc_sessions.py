"""A document is one terminal session (envlint.compose.launchers): the `.env` an earlier block
copies, moves or links reaches the compose commands of later blocks of the same document, never
of earlier blocks nor of other documents; `sudo` resets the environment except its own
`VAR=value` words, and keeps the caller's variables with `-E` / `--preserve-env`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.compose.test_launchers import env, invocations
from tests.conftest import run_lint, write_tree

COMPOSE = """
    services:
      db:
        image: postgres
        ports: ["${DB_PORT}:5432"]
"""
TEMPLATE = "DB_PORT=5432\n"  # a name no stack or template rule picks on its own


def _env101(root: Path) -> set[tuple[str, str | None]]:
    return {
        (f.location.path, f.variable)
        for f in run_lint(root, cache=False).findings
        if f.code == "ENV101"
    }


def _project(root: Path, readme: dict[str, str]) -> Path:
    return write_tree(
        root, {"docker-compose.yaml": COMPOSE, "env-example-relational": TEMPLATE, **readme}
    )


@pytest.mark.parametrize(
    "copy",
    [
        "cp env-example-relational .env",
        "cp -v ./env-example-relational ./.env",
        "mv env-example-relational .env",
        "ln -s env-example-relational .env",
    ],
)
def test_a_copy_in_an_earlier_block_documents_env_for_later_blocks(
    tmp_path: Path, copy: str
) -> None:
    readme = f"""
        # Install

        ```bash
        git clone https://example.com/x.git && cd x
        {copy}
        ```

        Start the database:

        ```bash
        docker compose up -d
        ```
    """
    _project(tmp_path, {"README.md": readme})
    assert _env101(tmp_path) == set()


def test_a_copy_in_a_later_block_does_not_reach_an_earlier_up(tmp_path: Path) -> None:
    readme = """
        ```bash
        docker compose up -d
        ```

        To reset the settings:

        ```bash
        cp env-example-relational .env
        ```
    """
    _project(tmp_path, {"README.md": readme})
    assert _env101(tmp_path) == {("docker-compose.yaml", "DB_PORT")}


def test_a_copy_in_another_document_does_not_reach_the_up(tmp_path: Path) -> None:
    readme = """
        ```bash
        docker compose up -d
        ```
    """
    setup = """
        ```bash
        cp env-example-relational .env
        ```
    """
    _project(tmp_path, {"README.md": readme, "docs/setup.md": setup})
    assert _env101(tmp_path) == {("docker-compose.yaml", "DB_PORT")}


def test_a_later_copy_in_the_session_replaces_the_earlier_one(tmp_path: Path) -> None:
    found = invocations(
        tmp_path,
        {
            "compose.yaml": COMPOSE,
            "a.env": TEMPLATE,
            "b.env": TEMPLATE,
            "compose.e2e.yaml": COMPOSE,
            "README.md": """
                ```sh
                cp a.env .env
                ln -s compose.e2e.yaml compose.override.yaml
                ```

                ```sh
                docker compose up
                cp b.env .env
                ```

                ```sh
                docker compose up
                ```

                ```sh
                cp "$TEMPLATE" .env
                ```

                ```sh
                docker compose up
                ```
            """,
        },
    )
    made = {i.launcher.name: dict(i.made).get(".env", "-") for i in found}
    assert made == {"README.md:7": "a.env", "README.md:12": "b.env", "README.md:20": None}
    # only the .env is carried: the override linked in the first block stays with that block
    assert {i.files for i in found} == {("compose.yaml",)}


@pytest.mark.parametrize(
    ("into", "flagged"),
    [("my-app/", False), ("my-app", False), ("elsewhere/", True)],
)
def test_cd_into_the_clone_of_an_earlier_block_is_the_repository_root(
    tmp_path: Path, into: str, flagged: bool
) -> None:
    readme = f"""
        1. Clone repository

           ```bash
           git clone --depth 1 https://example.com/acme/app.git my-app
           ```

        1. Go to folder, and copy the template:

           ```bash
           cd {into}
           cp env-example-relational .env
           ```

        1. Run the database:

           ```bash
           docker compose up -d db
           ```
    """
    _project(tmp_path, {"docs/installing.md": readme})
    expected = {("docker-compose.yaml", "DB_PORT")} if flagged else set()
    assert _env101(tmp_path) == expected


def test_a_clone_without_a_directory_is_named_for_its_url(tmp_path: Path) -> None:
    found = invocations(
        tmp_path,
        {
            "compose.yaml": COMPOSE,
            "docs/README.md": """
                ```sh
                git clone git@example.com:acme/app.git && cd app && docker compose up
                cd app && docker compose up
                ```
            """,
        },
    )
    assert [(i.launcher.name, i.cwd) for i in found] == [
        ("docs/README.md:2", "."),
        ("docs/README.md:3", "."),
    ]


def test_asciidoc_blocks_carry_the_copy_too(tmp_path: Path) -> None:
    doc = """
        [source,bash]
        ----
        cp env-example-relational .env
        ----

        Then:

        ----
        docker compose up
        ----
    """
    _project(tmp_path, {"INSTALL.adoc": doc})
    assert _env101(tmp_path) == set()


# -- sudo ----------------------------------------------------------------------------------------

CADDY = """
    services:
      caddy:
        image: caddy
        command: caddy reverse-proxy --from ${HOST} --to app:3000
"""


@pytest.mark.parametrize(
    ("block", "flagged"),
    [
        ("sudo HOST=example.com docker compose up", False),
        ("sudo -u root HOST=example.com docker compose up -d", False),
        ("sudo --preserve-env HOST=example.com docker-compose up", False),
        ("export HOST=example.com\nsudo docker compose up", True),
        ("HOST=example.com sudo docker compose up", True),
        ("export HOST=example.com\nsudo -E docker compose up", False),
        ("export HOST=example.com\nsudo --preserve-env docker compose up", False),
        ("export HOST=example.com\nsudo --preserve-env=HOST,PATH docker compose up", False),
        ("export HOST=example.com\nsudo --preserve-env=PATH docker compose up", True),
        ("export HOST=example.com\nsudo -E -u deploy docker compose up", False),
        ("export HOST=example.com\nsudo -Eu deploy docker compose up", False),
        ("sudo env HOST=example.com docker compose up", False),
    ],
)
def test_sudo_sets_its_own_assignments_and_resets_the_rest(
    tmp_path: Path, block: str, flagged: bool
) -> None:
    write_tree(tmp_path, {"compose.yaml": CADDY})
    (tmp_path / "README.md").write_text(f"```sh\n{block}\n```\n", encoding="utf-8")
    expected = {("compose.yaml", "HOST")} if flagged else set()
    assert _env101(tmp_path) == expected


def test_sudo_does_not_reset_a_written_dotenv(tmp_path: Path) -> None:
    found = invocations(
        tmp_path,
        {
            "compose.yaml": CADDY,
            "README.md": """
                ```sh
                export LEVEL=debug
                cat > .env <<EOF
                HOST=example.com
                EOF
                ```

                ```sh
                sudo TAG=1 docker compose up
                ```
            """,
        },
    )
    (up,) = found
    assert env(up) == {"HOST": None, "TAG": "1"}


@pytest.mark.parametrize(
    "block",
    [
        "sudo -i docker compose up",
        "sudo -D /srv/app docker compose up",
        "sudo --login docker compose up",
    ],
)
def test_sudo_that_runs_elsewhere_is_not_read(tmp_path: Path, block: str) -> None:
    write_tree(tmp_path, {"compose.yaml": CADDY})
    (tmp_path / "README.md").write_text(f"```sh\n{block}\n```\n", encoding="utf-8")
    assert invocations(tmp_path, {}) == []
