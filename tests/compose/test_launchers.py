"""Documented `docker compose` commands (envlint.compose.launchers): read, never run."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from envlint.compose.launchers import (
    Invocation,
    LauncherFiles,
    Stale,
    find_invocations,
    launcher_format,
)
from envlint.discovery import default_stack
from envlint.model import Launcher
from tests.conftest import write_tree


def invocations(
    root: Path,
    files: Mapping[str, str],
    rendered: dict[str, Launcher] | None = None,
    stale: dict[str, Stale] | None = None,
) -> list[Invocation]:
    """The documented commands of the project ``files`` (written under ``root``);
    ``rendered`` and ``stale`` as :func:`find_invocations` fills them."""
    write_tree(root, files)
    listed = sorted(
        p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()
    )
    by_dir: dict[str, list[str]] = {}
    for path in listed:
        by_dir.setdefault(path.rpartition("/")[0] or ".", []).append(path)
    launchers = LauncherFiles(root, listed)
    return list(
        find_invocations(launchers, lambda d: default_stack(by_dir.get(d, ())), rendered, stale)
    )


def summary(found: list[Invocation]) -> list[tuple[str, tuple[str, ...], str]]:
    return [(i.launcher.name, i.files, i.cwd) for i in found]


def env(invocation: Invocation) -> dict[str, str | None]:
    return {v.name: v.value for v in invocation.environment}


COMPOSE = "services: {app: {image: nginx}}\n"


# -- Makefiles ---------------------------------------------------------------------------------


def test_makefile_recipes_with_make_variables_and_exports(tmp_path: Path) -> None:
    found = invocations(
        tmp_path,
        {
            "container/compose.yml": COMPOSE,
            "GNUmakefile": """
                DOCKER_COMPOSE ?= docker compose
                PY_VER ?= 3.12
                COV_FILE ?= .cov.$(PY_VER)
                RUNNER_UID ?=
                BUILD := $(shell date)
                LOCAL_ONLY = 1
                export PY_VER COV_FILE RUNNER_UID BUILD

                define LONG_TEXT
                docker compose -f nothing.yml up
                endef

                .PHONY: up
                up: deps
                \t$(DOCKER_COMPOSE) -f container/compose.yml up -d
                e2e: export COMPOSE_PROFILES = e2e
                e2e:
                \t@cd container && docker compose -f compose.yml run --rm app
                logs:
                \tdocker compose -f container/compose.yml logs -f app
            """.replace("\\t", "\t"),
        },
    )
    assert summary(found) == [
        ("GNUmakefile (make up)", ("container/compose.yml",), "."),
        ("GNUmakefile (make e2e)", ("container/compose.yml",), "container"),
    ]
    up, e2e = found  # `make logs` starts nothing
    assert env(up) == {"PY_VER": "3.12", "COV_FILE": ".cov.3.12", "RUNNER_UID": "", "BUILD": None}
    assert up.launcher.location.line == 15
    assert [v.location.line for v in up.environment] == [5, 3, 2, 4]  # where each is set
    assert env(e2e)["COMPOSE_PROFILES"] == "e2e"  # a target-specific export
    assert "LOCAL_ONLY" not in env(up)  # not exported


def test_makefile_export_all_and_command_line_assignments(tmp_path: Path) -> None:
    found = invocations(
        tmp_path,
        {
            "compose.yaml": COMPOSE,
            "Makefile": "TAG = v1\n.EXPORT_ALL_VARIABLES:\nup:\n\tAPI_KEY=dev docker compose up\n",
        },
    )
    ((name, files, _),) = summary(found)
    assert (name, files) == ("Makefile (make up)", ("compose.yaml",))  # the default files
    assert env(found[0]) == {"TAG": "v1", "API_KEY": "dev"}


def test_makefile_unknown_file_names_and_missing_files_are_skipped(tmp_path: Path) -> None:
    found = invocations(
        tmp_path,
        {
            "compose.yaml": COMPOSE,
            "Makefile": (
                "up:\n\tdocker compose -f $(shell ls *.yml) up\n"
                "gen:\n\tdocker compose -f generated.yml up\n"
                "help:\n\tdocker compose --help\n"
                "version:\n\tdocker compose version\n"
                "down:\n\tdocker compose -f compose.yaml down -v\n"
                "config:\n\tdocker compose -f compose.yaml config --quiet\n"
            ),
        },
    )
    assert found == []


def test_makefile_macro_called_with_call(tmp_path: Path) -> None:
    found = invocations(
        tmp_path,
        {
            "docker-compose-dev.yml": COMPOSE,
            "Makefile": """
                COMPOSE_FILE_DEV = docker-compose-dev.yml
                ifeq ($(COMPOSE_PROFILES),)
                \tCOMPOSE_PROFILES=engine,redis
                endif
                ENV_VARS := COMPOSE_PROFILES=$(COMPOSE_PROFILES) DB=$(DB) BROKER_TYPE=redis
                DB = sqlite

                define echo_note
                \t@echo "$$NOTE"
                endef

                define run_compose
                \t$(call echo_note)
                \t$(ENV_VARS) docker compose -f $(COMPOSE_FILE_DEV) $(1)
                endef

                define run_engine
                \t$(call run_compose,run --rm engine $(1))
                endef

                start:
                \t$(call run_compose,up --remove-orphans -d)
                test:
                \t$(call run_engine,pytest)
                other:
                \t$(call not_defined_here,up -d)
                \t$(UNDEFINED_TOO) docker compose -f $(call nowhere) up -d
            """.replace("\\t", "\t"),
        },
    )
    assert summary(found) == [
        ("Makefile (make start)", ("docker-compose-dev.yml",), "."),
        ("Makefile (make test)", ("docker-compose-dev.yml",), "."),
    ]  # `make other`: a macro the Makefile does not define names no file envlint could know
    start, test = found
    # DB is empty where ENV_VARS is set (:=), as make has it
    assert env(start) == {"COMPOSE_PROFILES": "engine,redis", "DB": "", "BROKER_TYPE": "redis"}
    assert start.launcher.location.line == 22  # the recipe line that calls the macro
    assert env(test) == env(start)


# -- shell scripts, package.json ---------------------------------------------------------------


def test_shell_script_exports_cd_and_wrappers(tmp_path: Path) -> None:
    found = invocations(
        tmp_path,
        {
            "deploy/compose.yaml": COMPOSE,
            "deploy/compose.prod.yaml": COMPOSE,
            "scripts/up.sh": """
                #!/bin/sh
                set -e
                export REGISTRY=ghcr.io/acme
                TAG="$(git rev-parse HEAD)"
                export TAG
                cd "$(dirname "$0")/.."
                cd deploy
                sudo -E env LOG=1 docker compose -f compose.yaml -f compose.prod.yaml \\
                  --env-file ../.env.prod up -d
                DC="docker compose"
                if [ "$1" = dev ]; then
                  $DC --profile dev -p acme up
                fi
            """,
            ".env.prod": "A=1\n",
        },
    )
    assert summary(found) == [
        ("scripts/up.sh", ("deploy/compose.yaml", "deploy/compose.prod.yaml"), "deploy"),
        ("scripts/up.sh", ("deploy/compose.yaml",), "deploy"),
    ]
    prod, dev = found
    assert prod.env_files == (".env.prod",)
    assert env(prod) == {"REGISTRY": "ghcr.io/acme", "TAG": None, "LOG": "1"}
    assert prod.launcher.location.line == 8
    assert dev.profiles == ("dev",)


def test_a_script_calls_compose_through_a_function_with_a_path_from_its_own_directory(
    tmp_path: Path,
) -> None:
    """diaspora ``script/diaspora-dev``: ``dia_docker_compose() { docker-compose "$@"; }``,
    called from a function the ``case`` calls, after ``export COMPOSE_FILE=$ROOT/docker/…``
    with ``ROOT=$(dirname "$SCRIPT_ROOT")`` and ``SCRIPT_ROOT=$(cd $(dirname
    "${BASH_SOURCE[0]}") && pwd)``: the script starts docker/develop's stack with its
    exports (a value holding the script's path is set, its value not known)."""
    found = invocations(
        tmp_path,
        {
            "docker/develop/docker-compose.yml": COMPOSE,
            "docker/up.yml": COMPOSE,
            "script/app-dev": """
                #!/bin/bash
                dc() {
                  if [ -w /var/run/docker.sock ]; then docker-compose "$@"; fi
                }
                app_start() {
                  dc up "${1:-app}"
                }
                export SCRIPT_ROOT=$(cd $(dirname "${BASH_SOURCE[0]}") && pwd)
                export APP_ROOT=$(dirname "$SCRIPT_ROOT")
                export APP_UID=1001
                export COMPOSE_FILE=$APP_ROOT/docker/develop/docker-compose.yml
                case "$1" in
                  start) app_start ;;
                esac
            """,
            "bin/top": """
                #!/bin/sh
                cd "$(git rev-parse --show-toplevel)/docker/develop"
                docker-compose up -d
            """,
            "bin/up": """
                #!/bin/sh
                up() { docker compose -f "$(dirname "$0")/../docker/up.yml" "$@"; }
                up up -d
            """,
        },
    )
    assert summary(found) == [
        ("bin/top", ("docker/develop/docker-compose.yml",), "docker/develop"),
        ("bin/up", ("docker/up.yml",), "bin"),
        ("script/app-dev", ("docker/develop/docker-compose.yml",), "script"),
    ]
    app = found[2]
    assert app.services == ("app",)
    assert app.launcher.location.line == 13  # the case branch that calls it
    assert env(app) == {
        "SCRIPT_ROOT": None,
        "APP_ROOT": None,
        "APP_UID": "1001",
        "COMPOSE_FILE": None,
    }


def test_script_paths_not_known_start_nothing(tmp_path: Path) -> None:
    """Must not: a path from a command substitution envlint does not read, a script-relative
    path that leaves the repository, a function only defined (never called) or called from
    another function's definition only, and a function that calls itself."""
    found = invocations(
        tmp_path,
        {
            "docker/compose.yml": COMPOSE,
            "scripts/a.sh": """
                #!/bin/sh
                export COMPOSE_FILE="$(find . -name compose.yml)"
                docker-compose up -d
                export COMPOSE_FILE="$(dirname "$0")/../../docker/compose.yml"
                docker-compose up -d
                dc() { docker compose -f docker/compose.yml "$@"; }
                other() { dc up -d; }
                rec() { rec up; docker compose "$@"; }
                rec
            """,
        },
    )
    assert summary(found) == []


def test_a_script_without_a_suffix_is_read_when_its_first_line_names_a_shell(
    tmp_path: Path,
) -> None:
    command = "export RAILS_ENV=test\ndocker compose --file test-envs/compose.yml up -d\n"
    found = invocations(
        tmp_path,
        {
            "test-envs/compose.yml": COMPOSE,
            "script/cibuild": "#!/usr/bin/env bash\n" + command,
            "bin/setup": "#!/bin/sh\n" + command,
            "start": "#!/usr/bin/env -S bash -e\n" + command,
            "script/lint": "#!/usr/bin/env ruby\n" + command,  # not a shell
            "script/nohashbang": command,
            "tools/up": "#!/bin/sh\n" + command,  # any directory (shellhub devscripts/)
        },
    )
    names = ["bin/setup", "script/cibuild", "start", "tools/up"]
    assert sorted(i.launcher.name for i in found) == names
    assert all(env(i) == {"RAILS_ENV": "test"} for i in found)


def test_a_compose_file_chosen_by_a_parameter_is_each_file_it_can_be(tmp_path: Path) -> None:
    found = invocations(
        tmp_path,
        {
            "test-envs/docker-compose-mysql.yml": COMPOSE,
            "test-envs/docker-compose-sqlite.yml": COMPOSE,
            "test-envs/sub/docker-compose-x.yml": COMPOSE,  # `$1` is within the file name
            "test-envs/other.yml": COMPOSE,
            "base.yml": COMPOSE,
            "script/ci.sh": """
                export RAILS_ENV=test
                docker compose --file test-envs/docker-compose-$1.yml up -d
                docker compose -f base.yml -f "test-envs/docker-compose-${DB}.yml" run app
            """,
            # no literal part of the name, a directory not known, a glob, two unknown parts
            "script/no.sh": """
                docker compose -f test-envs/$1.yml up
                docker compose -f $DIR/docker-compose-mysql.yml up
                docker compose -f test-envs/docker-compose-*.yml up
                docker compose -f test-envs/docker-compose-$1.yml -f x-$2.yml up
                docker compose -f test-envs/nothing-$1.yml up
            """,
        },
    )
    assert sorted(summary(found)) == [
        ("script/ci.sh", ("base.yml", "test-envs/docker-compose-mysql.yml"), "."),
        ("script/ci.sh", ("base.yml", "test-envs/docker-compose-sqlite.yml"), "."),
        ("script/ci.sh", ("test-envs/docker-compose-mysql.yml",), "."),
        ("script/ci.sh", ("test-envs/docker-compose-sqlite.yml",), "."),
    ]
    assert all(env(i)["RAILS_ENV"] == "test" for i in found)


def test_a_command_kept_in_a_variable_with_a_parameter_in_it(tmp_path: Path) -> None:
    """tracks' script/cibuild: the command is a variable whose file name holds ``$2``, run
    unquoted (so split into words) after a function definition and the script's exports."""
    found = invocations(
        tmp_path,
        {
            "test-envs/docker-compose-mysql.yml": COMPOSE,
            "test-envs/docker-compose-sqlite.yml": COMPOSE,
            "script/cibuild": """\
                #!/bin/bash
                export RUBY_VERSION=$1
                docker_compose="docker compose --file test-envs/docker-compose-$2.yml"
                function cleanup() {
                  $docker_compose down
                }
                trap cleanup EXIT
                export RAILS_ENV=test
                $docker_compose up -d
                "$docker_compose" run web
                other="docker compose --file $DIR/compose.yml"
                $other run web
            """,
        },
    )
    assert sorted(summary(found)) == [
        ("script/cibuild", ("test-envs/docker-compose-mysql.yml",), "."),
        ("script/cibuild", ("test-envs/docker-compose-sqlite.yml",), "."),
    ]
    assert all(env(i) == {"RUBY_VERSION": None, "RAILS_ENV": "test"} for i in found)
    assert {i.launcher.location.line for i in found} == {9}


def test_an_array_appended_to_in_a_loop_is_not_an_exact_file_list(tmp_path: Path) -> None:
    """IntelOwl ``start`` / mwdb-core ``compose.sh``: files added in a loop or ``case`` branch
    are not known, so the command is not read as starting the files it names at the top."""
    files = {"docker/default.yml": COMPOSE, "integrations/x/compose.yml": COMPOSE}
    found = invocations(
        tmp_path,
        {
            **files,
            "start": """\
                #!/usr/bin/env bash
                files=(-f docker/default.yml)
                for a in $ANALYZERS; do files+=(-f "integrations/$a/compose.yml"); done
                docker compose --project-directory docker "${files[@]}" up
            """,
            "compose.sh": """\
                files=(-f docker/default.yml)
                while [[ $# -gt 0 ]]; do
                  case "$1" in
                    --with) files+=(-f "integrations/$2/compose.yml"); shift 2 ;;
                  esac
                done
                exec docker compose "${files[@]}" up -d
            """,
        },
    )
    assert found == []
    # appended at the top level, or never appended to: the file list is known
    found = invocations(
        tmp_path,
        {
            "start": """\
                #!/usr/bin/env bash
                files=(-f docker/default.yml)
                files+=(-f integrations/x/compose.yml)
                docker compose "${files[@]}" up
            """,
            "compose.sh": """\
                files=(-f docker/default.yml)
                if [ -n "$CI" ]; then docker compose "${files[@]}" up -d; fi
            """,
        },
    )
    assert summary(found) == [
        ("compose.sh", ("docker/default.yml",), "."),
        ("start", ("docker/default.yml", "integrations/x/compose.yml"), "."),
    ]


def test_justfile_recipes(tmp_path: Path) -> None:
    found = invocations(
        tmp_path,
        {
            "deploy/compose.yaml": COMPOSE,
            "deploy/compose.ci.yaml": COMPOSE,
            "justfile": """
                set export
                compose := "docker compose -f deploy/compose.yaml"
                export TAG := 'v1'
                stage := `git branch --show-current`

                # start everything
                up: _env
                    @{{compose}} up -d

                [working-directory: 'deploy']
                ci $CI_RUN='1':
                    #!/usr/bin/env bash
                    set -eu
                    export LOG=1
                    docker compose -f compose.yaml -f compose.ci.yaml up \\
                      --wait

                [no-cd]
                here:
                    docker compose up

                py:
                    #!/usr/bin/env python3
                    import subprocess; subprocess.run("docker compose -f deploy/compose.yaml up")
            """,
        },
    )
    assert summary(found) == [
        ("justfile (just up)", ("deploy/compose.yaml",), "."),
        ("justfile (just ci)", ("deploy/compose.yaml", "deploy/compose.ci.yaml"), "deploy"),
    ]
    up, ci = found
    compose = "docker compose -f deploy/compose.yaml"
    assert env(up) == {"compose": compose, "TAG": "v1", "stage": None}
    assert env(ci)["CI_RUN"] is None and env(ci)["LOG"] == "1"
    assert (up.launcher.location.line, ci.leaves_running) == (8, "all")


def test_package_json_scripts(tmp_path: Path) -> None:
    found = invocations(
        tmp_path,
        {
            "web/docker-compose.yml": COMPOSE,
            "web/dc.e2e.yml": COMPOSE,
            "web/package.json": """
                {
                  "name": "web",
                  "scripts": {
                    "build": "tsc",
                    "e2e": "NODE_ENV=test docker-compose -f docker-compose.yml -f dc.e2e.yml up"
                  }
                }
            """,
        },
    )
    assert summary(found) == [
        (
            "web/package.json script e2e (npm run e2e)",
            ("web/docker-compose.yml", "web/dc.e2e.yml"),
            "web",
        )
    ]
    assert env(found[0]) == {"NODE_ENV": "test"}
    assert found[0].launcher.location.line == 5


# -- documentation -----------------------------------------------------------------------------


def test_markdown_fences_console_prompts_and_inline_code(tmp_path: Path) -> None:
    found = invocations(
        tmp_path,
        {
            "quickstart.yml": COMPOSE,
            "infra.yml": COMPOSE,
            "services.yml": COMPOSE,
            "docs/running.md": """
                # Running

                | how | command |
                |---|---|
                | JVM | `docker compose -f quickstart.yml up` |

                ```console
                $ docker-compose \\
                    -f infra.yml \\
                    -f services.yml up -d
                Creating network...
                ```

                ```yaml
                command: docker compose -f infra.yml up
                ```
            """,
            "CHANGELOG.md": "```sh\ndocker compose -f infra.yml up\n```\n",
        },
    )
    assert summary(found) == [
        ("docs/running.md:5", ("quickstart.yml",), "."),  # from the root: not in docs/
        ("docs/running.md:8", ("infra.yml", "services.yml"), "."),
    ]


def test_markdown_prompts_in_any_shell_block_list_items_and_output(tmp_path: Path) -> None:
    """`$ ` / `> ` prompts in untagged, bash and indented blocks (only the prompt lines are
    commands, `\\` and `> ` lines continue them), list items that are a command; not output
    lines, not a `text` block, not a list item that is prose around inline code."""
    found = invocations(
        tmp_path,
        {
            "a.yml": COMPOSE,
            "b.yml": COMPOSE,
            "c.yml": COMPOSE,
            "d.yml": COMPOSE,
            "e.yml": COMPOSE,
            "f.yml": COMPOSE,
            "README.md": """
                ```
                # terminal one
                $ mvn package
                $ docker-compose -f a.yml up
                docker compose -f nothing.yml up
                ```

                ```bash
                $ docker compose \\
                    -f b.yml up
                ```

                    > docker compose -f c.yml up -d
                    Started

                ```console
                $ docker compose -f d.yml run --rm app sh -c 'echo one
                > echo two'
                ```

                ```text
                $ docker compose -f nothing.yml up
                ```

                - docker compose -f e.yml up -d app
                - docker compose -f nothing.yml up `app` when you want it
                - run `docker compose -f f.yml up` from here
            """,
        },
    )
    assert [(i.launcher.name, i.files, i.services) for i in found] == [
        ("README.md:4", ("a.yml",), None),
        ("README.md:9", ("b.yml",), None),
        ("README.md:13", ("c.yml",), None),
        ("README.md:17", ("d.yml",), ("app",)),
        ("README.md:25", ("e.yml",), ("app",)),
        ("README.md:27", ("f.yml",), None),
    ]


def test_markdown_exports_hold_for_later_blocks_and_placeholders_are_unknown(
    tmp_path: Path,
) -> None:
    found = invocations(
        tmp_path,
        {
            "compose.yml": COMPOSE,
            "README.md": """
                ```sh
                export VERSION=2.1
                if true; then export INSIDE=1; fi
                ```

                ```
                $ env KEY=<your key> SECRET=<...> docker-compose up
                $ LEVEL=debug docker compose up --build
                $ docker compose up > up.log
                ```

                Or `env KEY=<key> docker compose up app`.
            """,
        },
    )
    assert [(i.launcher.name, env(i)) for i in found] == [
        ("README.md:7", {"VERSION": "2.1", "KEY": None, "SECRET": None}),
        ("README.md:8", {"VERSION": "2.1", "LEVEL": "debug"}),
        ("README.md:9", {"VERSION": "2.1"}),
        ("README.md:12", {"VERSION": "2.1", "KEY": None}),
    ]


def test_asciidoc_listing_literal_and_fenced_blocks(tmp_path: Path) -> None:
    found = invocations(
        tmp_path,
        {
            "a.yml": COMPOSE,
            "b.yml": COMPOSE,
            "c.yml": COMPOSE,
            "d.yml": COMPOSE,
            "docs/README.adoc": """
                = Demo

                [source,bash]
                ----
                $ export TAG=3
                $ docker compose -f a.yml up
                ----

                .Start the second one
                [source,shell]
                ------
                docker compose -f b.yml up
                ----
                still the same block
                ------

                ....
                $ docker-compose -f c.yml up -d
                ....

                ```sh
                docker compose -f d.yml up
                ```

                ////
                docker compose -f a.yml run --rm commented
                ////

                [source,yaml]
                ----
                command: docker compose -f a.yml up
                ----

                ====
                Example block text: docker compose -f b.yml up
                ====
            """,
        },
    )
    assert [(i.launcher.name, i.files, env(i)) for i in found] == [
        ("docs/README.adoc:6", ("a.yml",), {"TAG": "3"}),
        ("docs/README.adoc:12", ("b.yml",), {"TAG": "3"}),
        ("docs/README.adoc:18", ("c.yml",), {"TAG": "3"}),
        ("docs/README.adoc:22", ("d.yml",), {"TAG": "3"}),
    ]


def test_only_commands_that_create_containers_are_launchers(tmp_path: Path) -> None:
    """`start` / `restart` run containers an earlier `up` created, with their configuration;
    `stop`, `logs`, `ps`, `exec`, `down` create nothing."""
    found = invocations(
        tmp_path,
        {
            "compose.yml": COMPOSE,
            "run.sh": """
                docker compose start app
                docker compose restart app
                docker compose stop app
                docker compose logs -f app
                docker compose ps
                docker compose exec app sh
                docker compose down
                docker compose create app
                docker compose run --rm --no-deps app true
                docker compose up -d
            """,
        },
    )
    assert [(i.launcher.location.line, i.services, i.no_deps) for i in found] == [
        (8, ("app",), False),
        (9, ("app",), True),
        (10, None, False),
    ]


# -- compose files' comments (blind evaluation 16a, F3) ---------------------------------------


PROD = "docker-compose.prod.yml"


def test_a_compose_files_comment_documents_its_stack(tmp_path: Path) -> None:
    found = invocations(
        tmp_path,
        {
            "docker-compose.yml": COMPOSE,
            "docker-compose.override.yml": "services: {app: {ports: ['5103:80']}}\n",
            "docker-compose.prod.yml": """
                version: '3.4'
                # The production file: the docker-compose file has to have the real IPs.
                #
                # You need to start it with the following CLI command:
                # docker-compose -f docker-compose.yml -f docker-compose.prod.yml up
                services:
                  app:
                    ports: ['5103:5103']
            """,
            "deploy/compose.yaml": """
                # Run with: `TAG=1 docker compose -f deploy/compose.yaml up -d`.
                # or: sudo X=2 docker compose \\
                #       -f compose.yaml up app
                services:
                  app:
                    image: nginx
                    command: |
                      # docker compose -f other.yml up
                      run
                    # command: docker compose up
                # start it as "docker compose -f compose.yaml run --rm app", then
                # read the docker compose up output
            """,
        },
    )
    assert [(i.launcher.name, i.files, i.cwd, env(i), i.services) for i in found] == [
        ("deploy/compose.yaml:1", ("deploy/compose.yaml",), ".", {"TAG": "1"}, None),
        ("deploy/compose.yaml:2", ("deploy/compose.yaml",), "deploy", {"X": "2"}, ("app",)),
        ("deploy/compose.yaml:11", ("deploy/compose.yaml",), "deploy", {}, ("app",)),
        ("docker-compose.prod.yml:5", ("docker-compose.yml", PROD), ".", {}, None),
    ]
    assert all(i.launcher.kind == "docs" for i in found)


def test_a_compose_files_comment_naming_a_file_not_there_is_stale(tmp_path: Path) -> None:
    files = {
        "docker-compose.yml": COMPOSE,
        "docker-compose.windows.yml": COMPOSE,
        "docker-compose-windows.prod.yml": """
            # docker-compose -f docker-compose-windows.yml -f docker-compose-windows.prod.yml up
            # docker-compose -f docker-compose.yml -f nothing.yml logs
            services: {app: {ports: ['80:80']}}
        """,
        "docker-compose.override.yml": "# docker compose -f gone.yml up\nservices: {}\n",
        "README.md": "`docker compose -f docker-compose.yml -f missing.yml up`\n",
    }
    stale: dict[str, Stale] = {}
    found = invocations(tmp_path, files, stale=stale)
    assert found == []
    # only a file's own command counts (`logs` starts nothing; the override's names another
    # file; the README is no compose file)
    assert {path: (s.launcher.location.line, s.missing) for path, s in stale.items()} == {
        "docker-compose-windows.prod.yml": (1, ("docker-compose-windows.yml",))
    }


# -- PowerShell scripts ------------------------------------------------------------------------


def test_powershell_scripts_simple_compose_lines(tmp_path: Path) -> None:
    found = invocations(
        tmp_path,
        {
            "src/docker-compose-tests.yml": COMPOSE,
            "src/docker-compose-tests.override.yml": "services: {app: {ports: ['80:80']}}\n",
            "src/docker-compose.yml": COMPOSE,
            "src/run-test-infrastructure.ps1": """
                <#
                docker compose -f nothing.yml up
                #>
                $env:TAG = "v1"
                $env:BUILD = Get-Date
                $tests = 'docker-compose-tests.yml'
                # docker compose -f commented.yml up
                docker-compose -f .\\$tests `
                  -f ".\\docker-compose-tests.override.yml" up app  # only app
                docker compose -f docker-compose.yml up | Out-Null
                docker compose -f "$(Get-Location)\\docker-compose.yml" up
                docker compose -f docker-compose.yml --profile a,b up
                $up = @"
                docker compose -f docker-compose.yml up
                "@
                Set-Location $PSScriptRoot; & docker-compose.exe up -d
                Pop-Location
                docker compose -f docker-compose.yml up
            """,
        },
    )
    assert [(i.launcher.location.line, i.files, i.cwd, env(i), i.services) for i in found] == [
        (
            8,
            ("src/docker-compose-tests.yml", "src/docker-compose-tests.override.yml"),
            "src",
            {"TAG": "v1", "BUILD": None},
            ("app",),
        ),
        (16, ("src/docker-compose.yml",), "src", {"TAG": "v1", "BUILD": None}, None),
    ]
    assert {i.launcher.kind for i in found} == {"script"}


def test_powershell_a_compose_program_named_by_its_path(tmp_path: Path) -> None:
    # the program is recognised by its file name; the shell text names it by that name (a
    # Windows path with spaces, lowercased, is no program the shell reader knows)
    found = invocations(
        tmp_path,
        {
            "docker-compose.yml": COMPOSE,
            "docker-compose.ci.yml": COMPOSE,
            "up.ps1": """
                & "C:\\Program Files\\Docker\\Docker\\resources\\bin\\docker-compose.exe" `
                  -f docker-compose.ci.yml up -d
                & 'C:\\Program Files\\Docker\\Docker\\resources\\bin\\docker.exe' compose up
            """,
        },
    )
    assert [(i.launcher.location.line, i.files) for i in found] == [
        (1, ("docker-compose.ci.yml",)),
        (3, ("docker-compose.yml",)),
    ]


def test_powershell_commands_in_any_case(tmp_path: Path) -> None:
    # PowerShell runs `Docker-Compose.exe` as `docker-compose` (names are case-insensitive):
    # a script that never writes `compose` in lower case is still read
    found = invocations(
        tmp_path,
        {"docker-compose.yml": COMPOSE, "Start.ps1": "Docker-Compose.exe up -d\n"},
    )
    assert [(i.launcher.location.path, i.files) for i in found] == [
        ("Start.ps1", ("docker-compose.yml",))
    ]

# -- CI ----------------------------------------------------------------------------------------


def test_github_workflow_env_working_directory_and_github_env(tmp_path: Path) -> None:
    found = invocations(
        tmp_path,
        {
            ".ci/compose.e2e.yaml": COMPOSE,
            "deploy/compose.yaml": COMPOSE,
            ".github/workflows/ci.yml": """
                on: push
                env:
                  NODE_VERSION: 20
                jobs:
                  e2e:
                    runs-on: ubuntu-latest
                    env:
                      COMPOSE_FILE: .ci/compose.e2e.yaml
                      PERCY_TOKEN: ${{ secrets.PERCY_TOKEN }}
                    steps:
                      - uses: actions/checkout@v4
                      - run: echo "CODE_COVERAGE=true" >> "$GITHUB_ENV"
                      - name: up
                        run: |
                          docker compose build
                          docker compose up -d
                  deploy:
                    runs-on: ubuntu-latest
                    defaults:
                      run:
                        working-directory: deploy
                    steps:
                      - run: docker compose up -d
                        env:
                          TAG: ${{ github.sha }}
            """,
        },
    )
    assert summary(found) == [
        ("CI job e2e (.github/workflows/ci.yml)", (".ci/compose.e2e.yaml",), "."),
        ("CI job deploy (.github/workflows/ci.yml)", ("deploy/compose.yaml",), "deploy"),
    ]
    e2e, deploy = found
    assert env(e2e) == {
        "NODE_VERSION": "20",
        "COMPOSE_FILE": ".ci/compose.e2e.yaml",
        "PERCY_TOKEN": None,
        "CODE_COVERAGE": "true",
    }
    assert e2e.launcher.location.line == 16  # `up -d` of the `run: |` block (`build` starts none)
    assert env(deploy) == {"NODE_VERSION": "20", "TAG": None}


def test_github_working_directory_from_workflow_inputs(tmp_path: Path) -> None:
    """unleash's reusable workflow runs its steps in `${{ inputs.working-directory || '.' }}`:
    on its own triggers that is the input's default, else the literal; an input only a caller
    gives (required, no default) or another expression leaves the directory unknown."""
    found = invocations(
        tmp_path,
        {
            ".github/compose.test.yml": COMPOSE,
            "web/compose.yaml": COMPOSE,
            ".github/workflows/e2e.yml": """
                on:
                  workflow_call:
                    inputs:
                      working-directory: {type: string, default: '.'}
                      sub: {type: string}
                      target: {type: string, required: true}
                  pull_request:
                jobs:
                  e2e:
                    runs-on: ubuntu-latest
                    defaults:
                      run:
                        working-directory: ${{ inputs.working-directory || '.' }}
                    steps:
                      - run: docker compose -f .github/compose.test.yml up -d
                        env:
                          LICENSE: ${{ secrets.LICENSE }}
                      - run: docker compose up -d
                        working-directory: ${{ inputs.sub || 'web' }}
                      - run: docker compose up -d
                        working-directory: ${{ inputs.target }}
                      - run: docker compose up -d
                        working-directory: ${{ matrix.dir }}
            """,
        },
    )
    assert summary(found) == [
        ("CI job e2e (.github/workflows/e2e.yml)", (".github/compose.test.yml",), "."),
        ("CI job e2e (.github/workflows/e2e.yml)", ("web/compose.yaml",), "web"),
    ]
    assert env(found[0]) == {"LICENSE": None}


def test_gitlab_and_cloud_build(tmp_path: Path) -> None:
    found = invocations(
        tmp_path,
        {
            "docker-compose.yml": COMPOSE,
            "docker-compose.ci.yml": COMPOSE,
            ".gitlab-ci.yml": """
                variables:
                  IMAGE: $CI_REGISTRY_IMAGE/app
                .template:
                  script: [docker compose -f docker-compose.yml up]
                e2e:
                  variables:
                    MODE: e2e
                  script:
                    - docker compose -f docker-compose.yml -f docker-compose.ci.yml up -d
            """,
            "cloudbuild.yaml": """
                steps:
                - id: lint
                  name: golang
                  args: ['go', 'vet']
                - id: compose
                  name: 'docker/compose:1.19.0'
                  args: ['-f', 'docker-compose.yml', '-f', 'docker-compose.ci.yml', 'up', '-d']
                  env:
                    - 'PROJECT_ID=$PROJECT_ID'
                    - 'STAGE=ci'
            """,
        },
    )
    assert summary(found) == [
        ("CI job e2e (.gitlab-ci.yml)", ("docker-compose.yml", "docker-compose.ci.yml"), "."),
        (
            "Cloud Build step compose (cloudbuild.yaml)",
            ("docker-compose.yml", "docker-compose.ci.yml"),
            ".",
        ),
    ]
    assert env(found[0]) == {"IMAGE": None, "MODE": "e2e"}
    assert env(found[1]) == {"PROJECT_ID": None, "STAGE": "ci"}


def test_gitlab_default_before_script_and_extends(tmp_path: Path) -> None:
    """GitLab runs ``default:`` / top-level ``before_script`` in every job that does not set its
    own (itself or through ``extends``) or refuse it with ``inherit:``; global ``variables``
    merge under the job's."""
    found = invocations(
        tmp_path,
        {
            "docker-compose.yml": COMPOSE,
            "docker-compose.ci.yml": COMPOSE,
            ".gitlab-ci.yml": """
                variables:
                  COMPOSE_FILE: docker-compose.yml
                  MODE: global
                before_script:
                  - docker-compose up -d
                test:
                  variables:
                    MODE: test
                  script: [docker-compose exec -T web rake test]
                .own:
                  before_script: [echo no compose here]
                  variables:
                    FROM_TEMPLATE: "yes"
                lint:
                  extends: .own
                  script: [make lint]
                alone:
                  inherit:
                    default: false
                    variables: [MODE]
                  script: [docker-compose -f docker-compose.ci.yml up -d]
            """,
        },
    )
    assert summary(found) == [
        ("CI job test (.gitlab-ci.yml)", ("docker-compose.yml",), "."),
        ("CI job alone (.gitlab-ci.yml)", ("docker-compose.ci.yml",), "."),
    ]
    assert env(found[0]) == {"COMPOSE_FILE": "docker-compose.yml", "MODE": "test"}
    assert env(found[1]) == {"MODE": "global"}


def test_gitlab_default_section_and_template_variables(tmp_path: Path) -> None:
    found = invocations(
        tmp_path,
        {
            "docker-compose.yml": COMPOSE,
            ".gitlab-ci.yml": """
                default:
                  before_script: [docker compose up -d]
                .base:
                  variables:
                    STAGE: ci
                e2e:
                  extends: [.base]
                  variables:
                    MODE: e2e
                  script: [./run-tests]
            """,
        },
    )
    assert summary(found) == [("CI job e2e (.gitlab-ci.yml)", ("docker-compose.yml",), ".")]
    assert env(found[0]) == {"STAGE": "ci", "MODE": "e2e"}


def test_envsubst_renders_a_compose_file(tmp_path: Path) -> None:
    """``envsubst < FILE`` / ``cat FILE | envsubst`` render a repository file: it is reported
    with the first command that does, and no compose command is made of it."""
    rendered: dict[str, Launcher] = {}
    found = invocations(
        tmp_path,
        {
            "deploy/docker-compose.preview.yml": COMPOSE,
            "deploy/compose.cat.yml": COMPOSE,
            "docker-compose.yml": COMPOSE,
            "ops/render.sh": """
                cd ..
                cat deploy/compose.cat.yml | envsubst > /tmp/out.yml
                envsubst < "$TEMPLATE" > other.yml
                envsubst < missing/docker-compose.yml > other.yml
            """,
            "Makefile": "render:\n\tenvsubst < deploy/docker-compose.preview.yml > out.yml\n",
        },
        rendered,
    )
    assert found == []
    assert {path: by.name for path, by in rendered.items()} == {
        "deploy/docker-compose.preview.yml": "Makefile (make render)",
        "deploy/compose.cat.yml": "ops/render.sh",
    }


# -- Gradle ------------------------------------------------------------------------------------


def test_gradle_docker_compose_plugin_groovy_and_kotlin(tmp_path: Path) -> None:
    found = invocations(
        tmp_path,
        {
            "docker-compose.yml": COMPOSE,
            "docker-compose.db.yml": COMPOSE,
            "gradle.properties": "baseVersion=1.2\n# a comment\nother : x\n",
            "build.gradle": """
                apply plugin: 'docker-compose'
                dockerCompose {

                  environment.put "BASE_VER", baseVersion
                  environment.put "OTHER", other
                  environment.put "LITERAL", "on"
                  environment.put "COMPUTED", "v${baseVersion}"
                  environment.put "UNKNOWN", missingProperty
                  projectName = null
                }
            """,
            "db/build.gradle.kts": """
                dockerCompose {
                    useComposeFiles.set(listOf("../docker-compose.yml", "../docker-compose.db.yml"))
                    environment.put("DB", "postgres")
                }
            """,
        },
    )
    assert summary(found) == [
        ("build.gradle dockerCompose (gradle composeUp)", ("docker-compose.yml",), "."),
        (
            "db/build.gradle.kts dockerCompose (gradle composeUp)",
            ("docker-compose.yml", "docker-compose.db.yml"),
            "db",
        ),
    ]
    assert env(found[0]) == {
        "BASE_VER": "1.2",
        "OTHER": "x",
        "LITERAL": "on",
        "COMPUTED": None,
        "UNKNOWN": None,
    }
    assert [v.location.line for v in found[0].environment] == [4, 5, 6, 7, 8]
    assert env(found[1]) == {"DB": "postgres"}


def test_github_env_writes_are_redirections_to_github_env(tmp_path: Path) -> None:
    found = invocations(
        tmp_path,
        {
            "compose.yaml": COMPOSE,
            ".github/workflows/ci.yml": """
                on: push
                jobs:
                  e2e:
                    runs-on: ubuntu-latest
                    steps:
                      - run: |
                          echo "WRITTEN=1" >> "${GITHUB_ENV}"
                          echo OVERWRITTEN=2 > $GITHUB_ENV
                          echo "OUTPUT=3" >> "$GITHUB_OUTPUT"
                          echo "LOGGED=4" >> ci.log
                          cat "$GITHUB_ENV" && echo "READ=5"
                          echo "QUOTED=6 >> \\$GITHUB_ENV"
                      - run: docker compose up -d
            """,
        },
    )
    (e2e,) = found
    assert env(e2e) == {"WRITTEN": "1", "OVERWRITTEN": "2"}


def test_shell_commands_keep_their_redirections() -> None:
    from envlint.servicecode.entry_shell import parse_shell

    first, second = parse_shell('echo a 2>&1 >> "$OUT" | tee x <in\ncat <<EOF\nbody\nEOF\n')[:2]
    assert first.argv == ("echo", "a")
    assert [(op, w.raw) for op, w in first.redirects] == [(">&", "1"), (">>", '"$OUT"')]
    assert second.argv == ("tee", "x")
    assert [(op, w.text) for op, w in second.redirects] == [("<", "in")]


def test_github_composite_action_steps(tmp_path: Path) -> None:
    found = invocations(
        tmp_path,
        {
            "docker/local/compose.yaml": COMPOSE,
            "docker/local/compose.e2e.yaml": COMPOSE,
            ".github/actions/start-stack/action.yml": """
                name: Start the stack
                runs:
                  using: composite
                  steps:
                    - shell: bash
                      working-directory: docker/local
                      env:
                        AWS_REGION: us-east-1
                      run: |
                        docker compose -f compose.e2e.yaml up -d
                        docker compose -f compose.e2e.yaml logs
            """,
            # not composite: a JavaScript action has no shell steps
            ".github/actions/js/action.yml": "runs:\n  using: node20\n  main: index.js\n",
            # an action.yml outside .github/actions is not one GitHub runs for this repository
            "vendor/action.yml": (
                "runs:\n  using: composite\n  steps:\n"
                "    - run: docker compose -f docker/local/compose.yaml up\n"
            ),
        },
    )
    assert summary(found) == [
        (
            "CI action start-stack (.github/actions/start-stack/action.yml)",
            ("docker/local/compose.e2e.yaml",),
            "docker/local",
        )
    ]
    assert env(found[0]) == {"AWS_REGION": "us-east-1"}
    assert found[0].launcher.kind == "ci"


def test_a_bare_command_in_docs_runs_where_the_docs_point(tmp_path: Path) -> None:
    """`docker compose up` in a README whose directory has no compose file is run in the
    nearest directory above it that has one, unless compose files lie below the README (then
    it means one of those, which one is not said)."""
    found = invocations(
        tmp_path,
        {
            "compose.yaml": COMPOSE,
            "docs/running.md": "Start it from the repository root:\n\n    docker compose up -d\n",
            "sample/shop/README.md": "Go to [docker](./docker) and run `docker compose up`.\n",
            "sample/shop/docker/compose.yaml": COMPOSE,
            "sample/shop/docker/README.md": "```sh\ndocker compose up\n```\n",
            # a workshop step's README means the workshop's compose file, the nearest above it
            "workshop/compose.yaml": COMPOSE,
            "workshop/01-first-step/README.md": "```shell\ndocker compose up\n```\n",
        },
    )
    assert summary(found) == [
        ("docs/running.md:3", ("compose.yaml",), "."),  # an indented code block
        (
            "sample/shop/docker/README.md:2",
            ("sample/shop/docker/compose.yaml",),
            "sample/shop/docker",
        ),
        ("workshop/01-first-step/README.md:2", ("workshop/compose.yaml",), "workshop"),
    ]


# -- files a job links or copies before it starts compose (blind evaluation 2, repro 4) --------

LINKED = {
    "compose.yml": COMPOSE,
    "compose.override.e2e.yml": "services: {e2e: {image: alpine}}\n",
    "ci/compose.smoke.yml": "services: {smoke: {image: alpine}}\n",
}


def _workflow(*steps: str) -> str:
    body = "".join(f"      - run: {step}\n" for step in steps)
    return f"on: push\njobs:\n  e2e:\n    runs-on: ubuntu-latest\n    steps:\n{body}"


def test_a_link_made_by_an_earlier_step_is_the_default_override(tmp_path: Path) -> None:
    found = invocations(
        tmp_path,
        {
            **LINKED,
            ".github/workflows/e2e.yml": _workflow(
                "ln -s compose.override.e2e.yml compose.override.yml",
                "docker compose up -d",
            )
            + "  other:\n    runs-on: ubuntu-latest\n    steps:\n"
            "      - run: docker compose up -d\n",
        },
    )
    # the link is the job's own: the other job starts the default stack
    assert [(i.launcher.name, i.files) for i in found] == [
        ("CI job e2e (.github/workflows/e2e.yml)", ("compose.yml", "compose.override.e2e.yml")),
        ("CI job other (.github/workflows/e2e.yml)", ("compose.yml",)),
    ]


@pytest.mark.parametrize(
    ("script", "files"),
    [
        # cp into the directory, -f, a symbolic link written relative to its own directory
        ("cp ci/compose.smoke.yml .\ndocker compose up", None),
        ("cp -f ci/compose.smoke.yml compose.override.yml\ndocker compose up",
         ("compose.yml", "ci/compose.smoke.yml")),
        ("ln -sf ../compose.override.e2e.yml ci/compose.override.yml\n"
         "cd ci && docker compose -f ../compose.yml -f compose.override.yml up",
         ("compose.yml", "compose.override.e2e.yml")),
        ("ln -s compose.override.e2e.yml compose.override.yml\n"
         "docker compose -f compose.yml -f compose.override.yml up",
         ("compose.yml", "compose.override.e2e.yml")),
        # a link made before another (already preferred) override: Compose keeps its choice
        ("ln -s compose.override.e2e.yml docker-compose.override.yml\ndocker compose up",
         ("compose.yml", "compose.override.yml")),
    ],
)
def test_links_and_copies_with_literal_paths_are_followed(
    tmp_path: Path, script: str, files: tuple[str, ...] | None
) -> None:
    tree: dict[str, str] = {**LINKED, "run.sh": script + "\n"}
    if "docker-compose.override.yml" in script:
        tree["compose.override.yml"] = COMPOSE
    [found] = invocations(tmp_path, tree)
    # `cp x.yml .` makes compose.smoke.yml, which is no default name
    assert found.files == (files or ("compose.yml",))


@pytest.mark.parametrize(
    "made",
    [
        'ln -s "$OVERRIDE" compose.override.yml',  # the source is not known
        "if [ -n \"$CI\" ]; then ln -s compose.override.e2e.yml compose.override.yml; fi",
        "ln -s --backup=t compose.override.e2e.yml compose.override.yml",  # an option not read
        "cp compose.override.e2e.yml ci/compose.smoke.yml compose.override.yml",  # not 2 paths
    ],
)
def test_a_default_file_made_another_way_leaves_the_stack_unknown(
    tmp_path: Path, made: str
) -> None:
    found = invocations(tmp_path, {**LINKED, "run.sh": f"{made}\ndocker compose up -d\n"})
    assert found == []  # not the default stack without the file the script made


# -- which services a command starts -----------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "services", "no_deps"),
    [
        ("up -d", None, False),
        ("up --no-deps -d api db", ("api", "db"), True),
        ("up --exit-code-from e2e e2e", ("e2e",), False),
        ("up --scale api=2 --timeout 5 api", ("api",), False),
        ("run --rm -e SUITE=x -v ./t:/t e2e pytest -k smoke", ("e2e",), False),
        ("run --no-deps e2e", ("e2e",), True),
        ("scale api=3 e2e=1", ("api", "e2e"), False),
        ("create --build api", ("api",), False),
        ("up --some-new-flag api", None, False),  # an option envlint does not know: all
        ("up -d $SERVICES", None, False),  # names not known: all
    ],
)
def test_the_services_a_command_starts(
    tmp_path: Path, command: str, services: tuple[str, ...] | None, no_deps: bool
) -> None:
    [found] = invocations(tmp_path, {**LINKED, "run.sh": f"docker compose {command}\n"})
    assert (found.services, found.no_deps) == (services, no_deps)


def test_every_command_of_a_launcher_is_kept(tmp_path: Path) -> None:
    found = invocations(
        tmp_path,
        {
            **LINKED,
            "run.sh": "docker compose up -d api\nSUITE=smoke docker compose up e2e\n"
            "docker compose up -d api\n",
        },
    )
    # one per services and environment: the repeated command is the same invocation
    assert [(i.services, env(i)) for i in found] == [
        (("api",), {}),
        (("e2e",), {"SUITE": "smoke"}),
    ]


def test_a_document_that_writes_dotenv_provides_its_keys(tmp_path: Path) -> None:
    """`cat > .env <<EOF` (also `${PWD}/.env`, `tee .env`, `echo "X=1" >> .env`) before the
    compose command: the keys are set for it, their values not known (placeholders)."""
    found = invocations(
        tmp_path,
        {
            "compose.yaml": COMPOSE,
            "README.md": """
                Create the env file:

                ```bash
                cat > ${PWD}/.env<<EOF
                # local
                APP_TOKEN=changeme
                DB_URL=postgres://u:p@db/x
                EOF
                echo "EXTRA=1" >> .env
                ```

                Then start it:

                ```bash
                docker compose up
                ```
            """,
            "other/README.md": """
                ```bash
                cat > settings.env <<EOF
                NOT_DOTENV=1
                EOF
                docker compose -f ../compose.yaml up
                ```
            """,
        },
    )
    by_launcher = {i.launcher.name: env(i) for i in found}
    assert by_launcher["README.md:15"] == {"APP_TOKEN": None, "DB_URL": None, "EXTRA": None}
    assert by_launcher["other/README.md:5"] == {}


def test_compose_files_from_a_bash_array(tmp_path: Path) -> None:
    """tracecat / onyx CI: `compose=(-f a.yml -f b.yml)` then `docker compose "${compose[@]}"`."""
    found = invocations(
        tmp_path,
        {
            "a.yml": COMPOSE,
            "ci/b.yml": COMPOSE,
            ".github/workflows/ci.yml": """
                on: push
                jobs:
                  smoke:
                    runs-on: ubuntu-latest
                    steps:
                      - env: {APP_TAG: "${{ github.sha }}"}
                        run: |
                          files=(-f a.yml -f ci/b.yml)
                          docker compose "${files[@]}" up -d --wait
            """,
        },
    )
    assert [(i.files, tuple(env(i))) for i in found] == [(("a.yml", "ci/b.yml"), ("APP_TAG",))]


# -- the shared reader -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("Makefile", "make"),
        ("tools/build.mk", "make"),
        ("scripts/up.sh", "script"),
        ("script/cibuild", "script"),  # a candidate: LauncherFiles reads its #! line
        ("start", "script"),
        ("docs/bootstrap", "script"),  # anywhere: a candidate too
        ("justfile", "just"),
        ("ops/.JustFile", "just"),
        ("web/package.json", "npm"),
        ("docs/README.md", "markdown"),
        ("docs/Setup.MARKDOWN", "markdown"),
        ("docs/guide.adoc", "asciidoc"),
        ("build.gradle.kts", "gradle"),
        (".github/workflows/ci.yml", "github"),
        (".github/actions/start/action.yaml", "github"),
        (".gitlab-ci.yml", "gitlab"),
        ("cloudbuild.prod.yaml", "cloudbuild"),
        ("CHANGELOG.md", None),  # release notes say what changed, not how to start
        ("docs/release-notes.adoc", None),
        ("ci.yml", None),
        ("action.yml", None),
        ("compose.yaml", "compose"),  # its comments
        ("deploy/docker-compose.prod.yml", "compose"),
        ("docker-compose.template.yml", None),  # a template is loaded only when named
        ("run-test-infrastructure.ps1", "powershell"),
        ("tools/Start.PS1", "powershell"),
    ],
)
def test_launcher_format_by_name_and_place(path: str, expected: str | None) -> None:
    assert launcher_format(path) == expected


def test_launcher_files_read_and_parse_each_file_once(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "Makefile": "V = b\nup:\n\tdocker compose -f $(V).yml up\n%.o:\n\tcc $<\n",
            "README.md": "Run\n\n```sh\n$ cp .env.example .env\nout\n```\n\n`docker compose up`\n",
            "compose.yaml": COMPOSE,
        },
    )
    launchers = LauncherFiles(tmp_path, ["Makefile", "README.md", "compose.yaml", "nothere.sh"])
    assert launchers.paths == ("Makefile", "README.md", "compose.yaml", "nothere.sh")
    (recipe,) = launchers.recipes("Makefile")  # the pattern rule is not run by name
    assert (recipe.target, recipe.lines) == ("up", ((3, "docker compose -f b.yml up"),))
    shell = launchers.document_shell("README.md")
    assert [(c.line, c.text, c.block) for c in shell] == [
        (4, "cp .env.example .env\n\n", True),
        (8, "docker compose up", False),
    ]
    (tmp_path / "Makefile").write_text("gone:\n\ttrue\n", encoding="utf-8")
    assert launchers.recipes("Makefile") == (recipe,)  # read once: a second read is the first
    assert launchers.document_shell("README.md") is shell
    assert launchers.data("nothere.sh") is None
    assert launchers.text("nothere.sh") is None


def test_a_script_a_launcher_runs_gets_its_arguments(tmp_path: Path) -> None:
    """``./scripts/dc dev up -d`` runs ``docker compose -f "compose.$1.yml" "${@:2}"``: the
    script's compose command with the call's arguments; an installed compose named by its
    absolute path is compose, and so is a ``./docker-compose`` that is no file here."""
    found = invocations(
        tmp_path,
        {
            "compose.yml": COMPOSE,
            "compose.dev.yml": COMPOSE,
            "scripts/dc": '#!/bin/sh\nexport TAG=1\ndocker compose -f "compose.$1.yml" "${@:2}"\n',
            "Makefile": (
                "dev:\n\t./scripts/dc dev up -d\n"
                "prod:\n\t/usr/local/bin/docker-compose up -d\n"
                "old:\n\t./docker-compose up -d\n"
            ),
        },
    )
    assert summary(found) == [
        ("Makefile (make dev)", ("compose.dev.yml",), "."),
        ("Makefile (make prod)", ("compose.yml",), "."),
        ("Makefile (make old)", ("compose.yml",), "."),
    ]
    assert env(found[0]) == {"TAG": "1"}
    assert found[0].leaves_running == "all"  # `-d` reached the script's command


def test_only_the_repositorys_bin_is_read_below_a_skipped_directory(tmp_path: Path) -> None:
    """A wrapper below ``bin/`` (which the walk skips) is followed; one in ``node_modules/``
    (someone else's, often git-ignored) is not, so that command starts nothing known."""
    wrapper = (
        '#!/bin/sh\nexport COMPOSE_FILE=compose.yml:compose.ci.yml\nexec docker compose "$@"\n'
    )
    write_tree(
        tmp_path,
        {
            "compose.yml": COMPOSE,
            "compose.ci.yml": COMPOSE,
            "bin/compose-ci": wrapper,
            "node_modules/tool/compose-ci": wrapper,
            "Makefile": "ci:\n\t./bin/compose-ci up -d\n"
            "vendored:\n\t./node_modules/tool/compose-ci up -d\n",
        },
    )
    kept = ["compose.yml", "compose.ci.yml", "Makefile"]  # the walk skips bin/, node_modules/
    launchers = LauncherFiles(tmp_path, kept)
    found = list(find_invocations(launchers, lambda d: default_stack(kept), None, None))
    assert summary(found) == [("Makefile (make ci)", ("compose.yml", "compose.ci.yml"), ".")]


def test_a_symlink_loop_or_a_linked_bin_is_not_followed(tmp_path: Path) -> None:
    """``bin -> bin`` (a loop) and a ``bin`` that links elsewhere: nothing is read through
    them and nothing raises."""
    write_tree(
        tmp_path, {"compose.yml": COMPOSE, "Makefile": "up:\n\t./bin/compose-up up -d\n"}
    )
    (tmp_path / "bin").symlink_to("bin")
    kept = ["compose.yml", "Makefile"]
    launchers = LauncherFiles(tmp_path, kept)
    assert launchers.script_text("bin/compose-up") is None
    found = list(find_invocations(launchers, lambda d: default_stack(kept), None, None))
    assert found == []


def test_scripts_calling_each_other_are_followed_within_a_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three scripts each calling the next many times would be followed n**3 times: one
    documented command follows at most ``_SCRIPT_RUNS`` script runs, and each command of the
    Makefile gets its own."""
    import envlint.compose.launchers as module

    calls = {"a": "b", "b": "c", "c": "a"}
    files = {
        f"scripts/{me}": "#!/bin/sh\n# compose\n" + f"./scripts/{nxt} up\n" * 30
        + "docker compose up -d\n"
        for me, nxt in calls.items()
    }
    makefile = "# compose\n" + "".join(f"t{i}:\n\t./scripts/a up\n" for i in range(3))
    write_tree(tmp_path, {"compose.yml": COMPOSE, "Makefile": makefile, **files})
    listed = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    monkeypatch.setattr(module, "_SCRIPT_RUNS", 5)
    launchers = LauncherFiles(tmp_path, listed)
    found = list(find_invocations(launchers, lambda d: default_stack(listed), None, None))
    # documented commands: the 3 make targets and the 31 lines of each script (a launcher file
    # of its own); unbounded, each target alone would follow 30**3 runs
    assert launchers.followed <= 5 * (3 + 3 * 31)
    assert {f"Makefile (make t{i})" for i in range(3)} <= {i.launcher.name for i in found}


def test_a_file_without_a_suffix_is_only_peeked_at(tmp_path: Path) -> None:
    """Telling a script by its ``#!`` line reads the first bytes of a file without a suffix,
    not the file (golden test data, licences)."""
    write_tree(tmp_path, {"compose.yml": COMPOSE, "data/golden": "x" * 100_000})
    launchers = LauncherFiles(tmp_path, ["compose.yml", "data/golden"])
    assert launchers.paths == ("compose.yml",)
    assert "data/golden" not in launchers.bytes_read()


def test_positional_parameters_inside_a_function_or_after_shift_are_not_the_scripts(
    tmp_path: Path,
) -> None:
    """``run() { … -f "$1" …; }`` uses the function's own argument, not the script's; after a
    top-level ``shift`` ``$1`` is the script's second argument: neither is taken for the first
    argument the launcher passes."""
    found = invocations(
        tmp_path,
        {
            "docker-compose.yml": COMPOSE,
            "docker-compose.prod.yml": COMPOSE,
            "docker-compose.test.yml": COMPOSE,
            "scripts/fn": "#!/bin/sh\n"
            'run() { docker compose -f docker-compose.yml -f "$1" up -d; }\n'
            "run docker-compose.test.yml\n",
            "scripts/sh": "#!/bin/sh\nshift\n"
            'docker compose -f docker-compose.yml -f "docker-compose.$1.yml" up -d\n',
            "Makefile": "fn:\n\t./scripts/fn docker-compose.prod.yml\n"
            "sh:\n\t./scripts/sh prod other\n",
        },
    )
    files = {(i.launcher.name, i.files) for i in found}
    assert ("Makefile (make fn)", ("docker-compose.yml", "docker-compose.prod.yml")) not in files
    assert ("Makefile (make sh)", ("docker-compose.yml", "docker-compose.prod.yml")) not in files
    assert ("Makefile (make fn)", ("docker-compose.yml", "docker-compose.test.yml")) in files


def test_a_nul_byte_in_a_script_path_is_no_path(tmp_path: Path) -> None:
    """A command naming ``./bin/compose\\0x`` (a NUL byte no file name holds) follows
    nothing and raises nothing."""
    found = invocations(
        tmp_path,
        {"compose.yml": COMPOSE, "bin/ok": "", "scripts/up.sh": "./bin/compose\x00x up -d\n"},
    )
    assert all("\x00" not in " ".join(i.files) for i in found)
