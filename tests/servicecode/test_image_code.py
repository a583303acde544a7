"""Which code an image can run (blind evaluation 2): a third-party server image that holds none
of the repository's source, `make` targets in a RUN, an entry script ending in an if/else, and
an image that may come from several builds."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from tests.conftest import run_lint

from ._helpers import entrypoints, programs

Project = Callable[[Mapping[str, str | bytes]], Path]

_BOOTSTRAP = """
import os

owner = os.getenv("OWNER_NAME")
if not owner:
    raise RuntimeError("OWNER_NAME is not set")
"""


def _findings(root: Path, code: str) -> set[tuple[str | None, str]]:
    return {
        (f.service, f.location.path)
        for f in run_lint(root, cache=False).findings
        if f.code == code
    }


# -- a third-party server image (repro 1) ---------------------------------------------------------


def _static_site(web_dockerfile: str, **extra: str) -> dict[str, str]:
    return {
        "compose.yml": """
            services:
              web:
                build: {context: ., dockerfile: web.Dockerfile}
              setup:
                build: {context: ., dockerfile: api.Dockerfile}
                command: ["python", "-m", "site.bootstrap"]
                environment: {OWNER_NAME: root}
        """,
        "api.Dockerfile": """
            FROM python:3.12-slim
            WORKDIR /srv
            COPY site/ ./site/
            CMD ["python", "-m", "site.bootstrap"]
        """,
        "web.Dockerfile": web_dockerfile,
        "site/__init__.py": "",
        "site/bootstrap.py": _BOOTSTRAP,
        "conf/default.conf": "server { listen 80; }\n",
        "static/app.js": "console.log(process.env.NODE_ENV);\n",
        **extra,
    }


def test_an_nginx_image_holding_only_built_assets_runs_no_code_of_the_repository(
    project: Project,
) -> None:
    root = project(
        _static_site(
            """
            FROM python:3.12-slim AS assets
            WORKDIR /src
            COPY site/ ./site/
            RUN mkdir out && cp -r site out/
            FROM nginx:1.27
            COPY --from=assets /src/out/ /usr/share/nginx/html/
            COPY conf/default.conf /etc/nginx/conf.d/
            """
        )
    )
    web = entrypoints(root)["web"]
    assert web.program is None and web.foreign
    assert web.note == (
        "Service web: its command comes from the base image nginx:1.27, and its image holds no "
        "source code of this repository."
    )
    # no directory stands in for it: no crash claimed for code nginx never runs, no ENV205
    assert _findings(root, "ENV201") == set()
    assert _findings(root, "ENV205") == set()


def test_an_entry_script_that_execs_nginx_and_static_files_in_its_document_root(
    project: Project,
) -> None:
    files = _static_site(
        """
        FROM nginx:1.27-alpine
        COPY conf/default.conf /etc/nginx/conf.d/
        COPY static/ /usr/share/nginx/html/static/
        COPY docker/start-nginx.sh /
        ENTRYPOINT ["/start-nginx.sh"]
        """,
        **{"docker/start-nginx.sh": "#!/bin/sh\nenvsubst < /x > /y\nexec nginx -g 'daemon off;'\n"},
    )
    root = project(files)
    web = entrypoints(root)["web"]
    assert web.foreign and "`nginx` is not built or copied from this repository" in web.note
    assert _findings(root, "ENV201") == set()


def test_source_copied_into_a_third_party_image_keeps_the_directory_model(
    project: Project,
) -> None:
    # an application server image whose own command loads the copied Python (uwsgi/gunicorn
    # images, DefectDojo's uwsgi): the code can run, so the directory stands in for it
    files = _static_site(
        """
        FROM acme/uwsgi-nginx:python3.12
        COPY site/ /app/site/
        """
    )
    files["compose.yml"] = files["compose.yml"].replace("environment: {OWNER_NAME: root}", "")
    root = project(files)
    web = entrypoints(root)["web"]
    assert web.program is None and not web.foreign
    assert (("web", "site/bootstrap.py")) in _findings(root, "ENV201")
    assert ("web", "compose.yml") in _findings(root, "ENV205")


def test_code_mounted_into_a_third_party_image_is_code(project: Project) -> None:
    mounted = _static_site("FROM nginx:1.27\n")
    mounted["compose.yml"] = """
        services:
          web:
            build: {context: ., dockerfile: web.Dockerfile}
            volumes: ["./site:/opt/site", "./static:/usr/share/nginx/html/static"]
    """
    assert not entrypoints(project(mounted))["web"].foreign
    # only the document root mounted: served files, not code
    mounted["compose.yml"] = mounted["compose.yml"].replace('"./site:/opt/site", ', "")
    assert entrypoints(project(mounted))["web"].foreign


def test_a_war_built_in_a_stage_runs_in_a_servlet_container(tmp_path: Path) -> None:
    from tests.conftest import write_tree

    root = write_tree(
        tmp_path / "war",
        {
            "compose.yml": "services:\n  shop:\n    build: .\n",
            "Dockerfile": """
                FROM maven:3-eclipse-temurin-21 AS build
                WORKDIR /src
                COPY . .
                RUN mvn -q package
                FROM tomcat:10
                COPY --from=build /src/target/shop.war /usr/local/tomcat/webapps/ROOT.war
            """,
            "pom.xml": "<project><artifactId>shop</artifactId></project>\n",
            "src/main/java/shop/App.java": "package shop; class App {}\n",
        },
    )
    shop = entrypoints(root)["shop"]
    assert shop.program is None and not shop.foreign  # the directory model stays


def test_a_language_runtime_image_running_an_installed_artifact_is_not_third_party(
    tmp_path: Path,
) -> None:
    from tests.conftest import write_tree

    root = write_tree(
        tmp_path / "wheel",
        {
            "compose.yml": "services:\n  api:\n    build: .\n",
            "Dockerfile": """
                FROM python:3.12 AS build
                COPY . /src
                RUN pip wheel -w /wheels /src
                FROM python:3.12-slim
                COPY --from=build /wheels /wheels
                RUN pip install /wheels/*
                CMD ["shop-api"]
            """,
            "pyproject.toml": "[project]\nname = 'shop'\n",
            "shop/__init__.py": "",
        },
    )
    api = entrypoints(root)["api"]
    assert api.program is None and not api.foreign  # python runs what the Dockerfile installs


def _installed_tool(install: str) -> dict[str, str]:
    """A `maildev` service built FROM a language runtime, installing its program from npm,
    beside an `api` whose code fails without AUTH_SECRET (nestjs-boilerplate, blind 18)."""
    return {
        "compose.yaml": """
            services:
              maildev:
                build:
                  context: .
                  dockerfile: maildev.Dockerfile
              api:
                build: .
                environment:
                  AUTH_SECRET: s3cret
        """,
        "maildev.Dockerfile": f"FROM node:24-alpine\n{install}\nCMD maildev\n",
        "Dockerfile": 'FROM node:24-alpine\nWORKDIR /app\nCOPY . .\nCMD ["node", "src/main.js"]\n',
        "src/main.js": 'if (!process.env.AUTH_SECRET) {\n  throw new Error("AUTH_SECRET");\n}\n',
    }


def test_a_runtime_image_whose_build_reads_nothing_of_the_repository_runs_none_of_it(
    project: Project,
) -> None:
    root = project(_installed_tool("RUN npm i -g maildev@2.0.5"))
    maildev = entrypoints(root)["maildev"]
    assert maildev.program is None and maildev.foreign
    assert _findings(root, "ENV201") == set()  # not "service maildev fails without AUTH_SECRET"
    assert _findings(root, "ENV205") == set()


def test_a_runtime_image_built_with_a_bind_mount_may_run_the_repository(
    project: Project,
) -> None:
    # `RUN --mount=type=bind` reads the context without a COPY: what it installs may be the
    # repository's own package, so the directory model stays (and ENV201 judges its code)
    root = project(_installed_tool("RUN --mount=type=bind,target=/src npm i -g /src"))
    assert not entrypoints(root)["maildev"].foreign
    assert ("maildev", "src/main.js") in _findings(root, "ENV201")


def _static_console(final_stage: str) -> dict[str, str]:
    """A vite console built in a `builder` stage (its code generator's config needs
    OPENAPI_SPEC_PATH, given on the RUN) whose final stage is a static server (shellhub's ui,
    blind 18h)."""
    return {
        "compose.yaml": "services:\n  ui:\n    build: ./ui\n    restart: on-failure:3\n",
        "ui/Dockerfile": (
            "FROM node:20-alpine AS builder\nWORKDIR /app\nCOPY . .\nRUN npm install\n"
            "RUN OPENAPI_SPEC_PATH=./openapi.json npm run generate\nRUN npx vite build\n\n"
            + final_stage
        ),
        "ui/package.json": '{"name": "console", "scripts": {"dev": "vite"}}\n',
        "ui/src/main.ts": 'document.body.append("console");\n',
        "ui/openapi-ts.config.ts": (
            "const input = process.env.OPENAPI_SPEC_PATH;\n"
            'if (!input) {\n  throw new Error("OPENAPI_SPEC_PATH");\n}\nexport default { input };\n'
        ),
    }


def test_a_static_server_holding_only_an_earlier_stages_build_output_runs_none_of_it(
    project: Project,
) -> None:
    root = project(
        _static_console(
            "FROM alpine:3.20\nRUN apk add --no-cache static-web-server\n"
            "COPY --from=builder /app/dist /var/www\n"
            'CMD ["static-web-server", "--root", "/var/www"]\n'
        )
    )
    ui = entrypoints(root)["ui"]
    assert ui.program is None and ui.foreign
    # the config ran in the builder stage: not "service ui fails without OPENAPI_SPEC_PATH"
    assert _findings(root, "ENV201") == set()
    assert _findings(root, "ENV205") == set()


def test_a_run_after_copying_an_earlier_stages_output_may_install_the_repository(
    project: Project,
) -> None:
    # what the final stage runs after taking the builder's output may install it (a wheel, a
    # package): the image may run the repository's code, so the directory model stays
    root = project(
        _static_console(
            "FROM alpine:3.20\nCOPY --from=builder /app/out /opt/out\n"
            'RUN /opt/out/install.sh\nCMD ["console-server"]\n'
        )
    )
    assert not entrypoints(root)["ui"].foreign
    assert ("ui", "ui/openapi-ts.config.ts") in _findings(root, "ENV201")


def _wheel_at_start(command: str) -> dict[str, str]:
    """A wheel built from the repository in a `build` stage, copied into the final stage after
    its last RUN, whose container command is ``command`` (blind review 3: the command installs
    the wheel when the container starts)."""
    return {
        "compose.yml": "services:\n  api:\n    build: .\n",
        "Dockerfile": (
            "FROM python:3.12 AS build\nCOPY . /src\nRUN pip wheel /src -w /wheels\n"
            f"FROM python:3.12-slim\nCOPY --from=build /wheels /wheels\nCMD {command}\n"
        ),
        "pyproject.toml": (
            '[project]\nname = "myapp"\nversion = "0.1"\n'
            '[project.scripts]\nmyapp = "myapp.main:run"\n'
        ),
        "myapp/__init__.py": "",
        "myapp/main.py": 'import os\ndef run():\n    print(os.environ["DATABASE_URL"])\n',
    }


def test_a_command_that_installs_an_earlier_stages_output_at_start_may_run_the_repository(
    project: Project,
) -> None:
    commands = (
        '["sh", "-c", "pip install --no-index /wheels/*.whl && exec myapp"]',
        "pip install --no-index /wheels/*.whl && exec myapp",  # shell form
        '["bash", "-c", "uv pip install --system /wheels/*.whl; myapp"]',
        '["pip", "install", "--no-index", "/wheels/myapp-0.1-py3-none-any.whl"]',
        '["/wheels/start.sh"]',
        '["sh", "/wheels/start.sh"]',
        '["bash", "-lc", "pip install /wheels/*.whl && exec myapp"]',
        '["sh", "-e", "-c", "pip install /wheels/*.whl && exec myapp"]',
    )
    for command in commands:
        root = project(_wheel_at_start(command))
        api = entrypoints(root)["api"]
        assert api.program is None and not api.foreign, command
        assert ("api", "myapp/main.py") in _findings(root, "ENV201"), command
        assert ("api", "compose.yml") in _findings(root, "ENV205"), command


def test_a_shell_that_only_starts_the_images_own_server_runs_none_of_the_build_output(
    project: Project,
) -> None:
    # a shell (or shell-form CMD) that runs no installer and no script: still only data for
    # the static server, as with the exec form above
    for command in (
        "static-web-server --root /var/www",
        '["sh", "-c", "envsubst < /etc/sws.tpl > /etc/sws.toml && exec static-web-server"]',
    ):
        root = project(
            _static_console(
                "FROM alpine:3.20\nRUN apk add --no-cache static-web-server gettext\n"
                f"COPY --from=builder /app/dist /var/www\nCMD {command}\n"
            )
        )
        assert entrypoints(root)["ui"].foreign, command
        assert _findings(root, "ENV201") == set(), command
        assert _findings(root, "ENV205") == set(), command


def test_an_entry_script_of_the_repository_counts_by_what_it_runs(project: Project) -> None:
    # shellhub's ui: /scripts/entrypoint.sh (copied from the repository) writes a config and
    # execs the static server: it installs nothing, so the build output stays data; one that
    # runs `npm install` at start may run the repository's code
    for script, foreign in (
        "#!/bin/sh\necho '{}' > /var/www/config.json\nexec static-web-server\n",
        True,
    ), ("#!/bin/sh\nnpm install --prefix /var/www\nexec static-web-server\n", False):
        files = _static_console(
            "FROM alpine:3.20\nRUN apk add --no-cache static-web-server\n"
            "COPY scripts /scripts\nCOPY --from=builder /app/dist /var/www\n"
            'CMD ["/scripts/entrypoint.sh"]\n'
        )
        root = project({**files, "ui/scripts/entrypoint.sh": script})
        assert entrypoints(root)["ui"].foreign is foreign, script
        assert (_findings(root, "ENV201") == set()) is foreign, script
    # its helper beside it, found through `$(dirname "$(readlink -f "$0")")`, is read too
    helper = '#!/bin/sh\nDIR="$(dirname "$(readlink -f "$0")")"\n"$DIR/gen-config.sh" /x.json\n'
    for gen, foreign in (("#!/bin/sh\necho '{}' > \"$1\"\n", True), ("#!/bin/sh\nnpm ci\n", False)):
        files = _static_console(
            "FROM alpine:3.20\nRUN apk add --no-cache static-web-server\n"
            "COPY scripts /scripts\nCOPY --from=builder /app/dist /var/www\n"
            'CMD ["/scripts/entrypoint.sh"]\n'
        )
        entry = helper + "exec static-web-server\n"
        root = project(
            {**files, "ui/scripts/entrypoint.sh": entry, "ui/scripts/gen-config.sh": gen}
        )
        assert entrypoints(root)["ui"].foreign is foreign, gen


def test_a_build_output_copied_last_that_is_the_command_runs(project: Project) -> None:
    # awesome-compose wasmedge-mysql-nginx: `FROM scratch`, the wasm module copied from the
    # build stage after every RUN, run by name (not on PATH, so not found as copied)
    for final in ("FROM scratch\n", "FROM alpine:3.20\n"):
        root = project(
            _static_console(
                final + 'ENTRYPOINT ["console.wasm"]\n'
                "COPY --from=builder /app/console.wasm /console.wasm\n"
            )
        )
        assert not entrypoints(root)["ui"].foreign, final


# -- `make` in a RUN (repro 5) ---------------------------------------------------------------------

_SERVER = """
package main

import (
\t"fmt"
\t"os"
)

func main() {
\tkey, ok := os.LookupEnv("SIGNING_KEY")
\tif !ok {
\t\tpanic("SIGNING_KEY is required")
\t}
\tfmt.Println(len(key))
}
"""
_TOOL = """
package main

import "os"

func main() {
\tif os.Getenv("TOOL_TOKEN") == "" {
\t\tpanic("TOOL_TOKEN missing")
\t}
}
"""


def _made(makefile: str | None, run: str = "make build") -> dict[str, str]:
    files = {
        "go.mod": "module example.com/demo\n\ngo 1.22\n",
        "compose.yml": "services:\n  web:\n    build: .\n",
        "Dockerfile": f"""
            FROM golang:1.22-alpine AS builder
            WORKDIR /app
            COPY . .
            RUN {run}
            FROM alpine:3.20
            COPY --from=builder /app/bin/server /usr/local/bin/server
            CMD ["server"]
        """,
        "cmd/server/main.go": _SERVER,
        "tools/gen/main.go": _TOOL,
    }
    if makefile is not None:
        files["Makefile"] = makefile
    return files


def test_make_in_a_run_is_followed_to_the_go_build_of_its_recipe(project: Project) -> None:
    root = project(_made("BIN := bin/server\n\nbuild:\n\tgo build -o $(BIN) ./cmd/server/\n"))
    web = entrypoints(root)["web"]
    assert web.program is not None and web.program.target == "cmd/server"
    assert "`make build` in the Dockerfile's RUN builds the Go package cmd/server" in (
        web.program.how
    )
    assert _findings(root, "ENV201") == {("web", "cmd/server/main.go")}  # not tools/gen


def test_make_default_goal_prerequisites_directory_and_recursion(project: Project) -> None:
    makefile = (
        "all: server\n"
        "tools:\n\tgo build -o bin/gen ./tools/gen\n"
        "server: tools\n\t$(MAKE) -C cmd compile\n"
    )
    files = _made(makefile, run="make -j 4")
    files["cmd/Makefile"] = "compile:\n\tcd server && go build -o ../../bin/server .\n"
    assert programs(project(files))["web"] == ("go", "go-package", "cmd/server")


def test_make_follows_a_canned_recipe_called_with_its_arguments(project: Project) -> None:
    makefile = (
        "define go_build\n"
        "\t@echo building $(2)\n"
        "\tcd cmd/$(2)\n"  # its own shell: the next line runs in make's directory again
        "\tgo build -o $(1) ./cmd/$(2)/\n"
        "endef\n"
        "build:\n\t$(call go_build,bin/server,server)\n"
    )
    assert programs(project(_made(makefile)))["web"] == ("go", "go-package", "cmd/server")


def test_a_make_target_that_cannot_be_followed_is_not_blamed_on_the_repository(
    project: Project,
) -> None:
    for files in (_made(None), _made("build:\n\t./scripts/build.sh\n")):
        root = project(files)
        web = entrypoints(root)["web"]
        assert web.program is None
        assert "a RUN of the stage builder may build it, which envlint cannot follow" in web.note
        assert "built outside the Dockerfile" not in web.note


# -- an entry script ending in an if/else (repro 6) ------------------------------------------------

_WORKSPACE = {
    "compose.yml": "services:\n  app:\n    build: .\n    environment: {DB_URL: postgres://db}\n",
    "Dockerfile": """
        FROM node:22-alpine
        WORKDIR /srv
        COPY . .
        ENTRYPOINT ["/srv/scripts/boot.sh"]
    """,
    "package.json": '{"name": "root", "private": true, "scripts": {"cli": "democli"}}\n',
    "packages/server/package.json": (
        '{"name": "@demo/server", "main": "src/index.js", "scripts": {"start": "node ."}}\n'
    ),
    "packages/server/src/index.js": (
        "const secret = process.env.SESSION_SECRET;\n"
        "if (!secret) {\n  throw new Error('SESSION_SECRET is required');\n}\n"
    ),
    "packages/server/src/worker.js": "console.log(process.env.QUEUE);\n",
}


def _booted(script: str) -> dict[str, str]:
    return {**_WORKSPACE, "scripts/boot.sh": "#!/usr/bin/env bash\nset -e\ncd /srv\n" + script}


def test_an_exec_in_every_branch_of_the_last_if_wins_over_a_one_shot(project: Project) -> None:
    root = project(
        _booted(
            "npm run cli db seed\n"
            "cd packages/server\n"
            'if [ "${COVERAGE:-0}" = 1 ]; then\n'
            "  exec nyc --reporter lcov npm run start\n"
            "else\n"
            "  exec npm start\n"
            "fi\n"
            "echo never\n"
        )
    )
    app = entrypoints(root)["app"]
    assert app.program is not None and app.program.target == "packages/server/src/index.js"
    assert "every branch runs this program" in app.program.how
    assert _findings(root, "ENV201") == {("app", "packages/server/src/index.js")}
    assert _findings(root, "ENV205") == set()


def test_branches_that_run_different_programs_or_may_fall_through(project: Project) -> None:
    differ = _booted(
        "npm run cli db seed\n"
        "if [ -n \"$WORKER\" ]; then exec node packages/server/src/worker.js\n"
        "else exec node packages/server/src/index.js; fi\n"
    )
    app = entrypoints(project(differ))["app"]
    assert app.program is None
    assert "ends in an if/else that execs in each branch" in app.note
    assert "the branches run different programs" in app.note


def test_an_if_without_else_does_not_decide(tmp_path: Path) -> None:
    from tests.conftest import write_tree

    root = write_tree(
        tmp_path / "noelse",
        _booted(
            "if [ -n \"$DEBUG\" ]; then exec node --inspect packages/server/src/worker.js; fi\n"
            "exec node packages/server/src/index.js\n"
        ),
    )
    app = entrypoints(root)["app"]
    assert app.program is not None and app.program.target == "packages/server/src/index.js"
    assert "every branch" not in app.program.how


# -- an image that may come from several builds (repro 2) ------------------------------------------


def test_several_candidate_builds_are_each_read_before_a_note_is_given(project: Project) -> None:
    root = project(
        {
            "compose.yml": """
                services:
                  api:
                    build: {context: ., target: release}
                    image: example/api:latest
                  init:
                    image: example/api:latest
                    entrypoint: ["/wait.sh", "db:5432", "--", "/init.sh"]
            """,
            ".github/workflows/images.yml": """
                on: push
                jobs:
                  build:
                    runs-on: ubuntu-latest
                    steps:
                      - uses: docker/build-push-action@v6
                        with: {context: ., target: development, tags: "example/api:latest"}
            """,
            "Dockerfile": """
                FROM python:3.12-slim AS release
                WORKDIR /app
                COPY docker/init.sh docker/wait.sh /
                COPY app.py ./
                CMD ["python", "app.py"]
                FROM release AS development
                COPY docker/dev.sh /
            """,
            "docker/wait.sh": "#!/bin/sh\nshift 2\nexec \"$@\"\n",
            "docker/init.sh": "#!/bin/sh\npython /app/setup.py\nexec \"$@\"\n",
            "docker/dev.sh": "#!/bin/sh\nexec python /app/app.py\n",
            "app.py": "print(1)\n",
        }
    )
    note = entrypoints(root)["init"].note
    assert "nothing in the Dockerfile" not in note
    assert note == (
        "Service init: the script docker/init.sh execs its arguments, and the container gives it "
        "none, in each of the 2 builds its image example/api:latest may come from (Dockerfile "
        "stage development, Dockerfile stage release)."
    )


# -- a folder copied onto a program's path that does not hold it (blind round 16c) -------------


def _folder_copy(dockerfile: str) -> dict[str, str]:
    return {
        "compose.yml": "services:\n  db:\n    build: ./mongodb\n",
        "mongodb/Dockerfile": dockerfile,
        "mongodb/init.sh": "#!/bin/sh\nexec mongod\n",
        "mongodb/dump/seed.js": "db.x.insert({})\n",
    }


def test_a_folder_copy_that_does_not_hold_the_program_is_not_said_to_copy_it(
    project: Project,
) -> None:
    # piggymetrics: `ADD ./dump /` holds only a .js file; a RUN writes /initx.sh
    files = _folder_copy(
        "FROM mongo:3\nADD init.sh /init.sh\nADD ./dump /\n"
        "RUN dos2unix -n /init.sh /initx.sh\nENTRYPOINT [\"/initx.sh\"]\n"
    )
    note = entrypoints(project(files))["db"].note
    assert "is copied from" not in note and "built outside the Dockerfile" not in note
    assert "/initx.sh is not in the folder that mongodb/Dockerfile:3 copies" in note
    assert "a RUN step or the base image may provide it" in note


def test_a_folder_copy_without_runs_leaves_only_the_base_image(project: Project) -> None:
    files = _folder_copy('FROM mongo:3\nADD ./dump /\nENTRYPOINT ["/initx.sh"]\n')
    note = entrypoints(project(files))["db"].note
    assert ": the base image may provide it, or a file made before the build" in note


def test_a_path_lookup_past_a_folder_copied_onto_the_root_is_the_base_image_program(
    project: Project,
) -> None:
    # pixelfed: `COPY docker/apache/root /` over php:*-apache, `CMD ["apache2-foreground"]`
    files = {
        "compose.yml": "services:\n  web:\n    build: .\n",
        "Dockerfile": (
            "FROM php:8.2-apache\nCOPY docker/apache/root /\nCOPY . /var/www/\n"
            'CMD ["apache2-foreground"]\n'
        ),
        "docker/apache/root/etc/apache2/site.conf": "ServerName x\n",
        "app/index.php": "<?php echo getenv('APP_NAME');\n",
    }
    note = entrypoints(project(files))["web"].note
    assert note.endswith("`apache2-foreground` is not built or copied from this repository.")


def test_a_folder_copy_that_holds_the_program_still_resolves_it(project: Project) -> None:
    files = _folder_copy('FROM mongo:3\nADD ./dump /\nENTRYPOINT ["/seed.sh"]\n')
    files["mongodb/dump/seed.sh"] = "#!/bin/sh\nexec mongod\n"
    assert "/seed.sh" not in entrypoints(project(files))["db"].note


# -- a console script of the project the image installs (blind 18g: letta) ----------------------


def _console_app(dockerfile: str, pyproject: str) -> dict[str, str]:
    return {
        "compose.yaml": "services:\n  app:\n    build: .\n",
        "Dockerfile": dockerfile,
        "pyproject.toml": pyproject,
        "myapp/__init__.py": "",
        "myapp/main.py": 'import os\n\ndef run():\n    print(os.environ["APP_TOKEN"])\n',
        "tools/seed.py": 'import os\nprint(os.environ["SEED_ONLY"])\n',
    }


_SCRIPTS = '[project]\nname = "myapp"\n\n[project.scripts]\nmyapp = "myapp.main:run"\n'
_INSTALLS = (
    'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install .\nCMD ["myapp", "serve"]\n'
)


def test_a_console_script_of_the_installed_project_is_its_module(project: Project) -> None:
    root = project(_console_app(_INSTALLS, _SCRIPTS))
    app = entrypoints(root)["app"]
    assert app.program is not None and app.program.target == "myapp/main.py"
    assert "console script myapp.main:run" in app.program.how
    # the module's reads are the service's; a file it does not import is not
    assert _findings(root, "ENV201") == {("app", "myapp/main.py")}


def test_a_script_the_project_does_not_declare_or_install_is_not_guessed(
    project: Project,
) -> None:
    other = _SCRIPTS.replace("myapp = ", "other = ")
    assert entrypoints(project(_console_app(_INSTALLS, other)))["app"].program is None
    no_install = _INSTALLS.replace("RUN pip install .\n", "RUN pip install requests\n")
    assert entrypoints(project(_console_app(no_install, _SCRIPTS)))["app"].program is None


def _messages(root: Path, code: str) -> list[str]:
    return sorted(f.message for f in run_lint(root, cache=False).findings if f.code == code)


def test_a_console_scripts_function_runs_at_start_and_is_named_by_its_module(
    project: Project, tmp_path: Path
) -> None:
    # blind review 3: a src/ layout installed with `uv sync`; the script's wrapper calls
    # `myapp.main:run` at start (a read in it crashes the container at start); a function
    # nothing calls runs later, named by its module (not `src.myapp.main.later`)
    files = {
        "compose.yaml": "services:\n  app:\n    build: .\n",
        "Dockerfile": (
            "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN uv sync --no-editable\n"
            'CMD ["myapp"]\n'
        ),
        "pyproject.toml": _SCRIPTS,
        "src/myapp/__init__.py": "",
        "src/myapp/main.py": (
            "import os\n\ndef run():\n    print(os.environ['APP_TOKEN'])\n\n"
            "def later():\n    return os.environ['LATER_KEY']\n"
        ),
    }
    root = project(files)
    app = entrypoints(root)["app"]
    assert app.program is not None and app.program.target == "src/myapp/main.py"
    assert app.program.starts == "myapp.main.run" and app.program.module_root == "src"
    assert _messages(root, "ENV201") == [
        "service app crashes at start without APP_TOKEN (read at src/myapp/main.py:4), and "
        "compose does not provide it",
        "service app fails without LATER_KEY when `myapp.main.later` runs (read at "
        "src/myapp/main.py:7), and compose does not provide it",
    ]
    # flat layout: the same, named the same
    flat = {k.removeprefix("src/"): v for k, v in files.items()}
    from tests.conftest import write_tree

    assert _messages(write_tree(tmp_path / "flat", flat), "ENV201") == [
        m.replace("src/myapp", "myapp") for m in _messages(root, "ENV201")
    ]
