"""What a container runs when its command is relative to the image's working directory, when its
start-up script starts a daemon (or a `&` job) before the real program, or ends in an if/else
whose branches run the same program without `exec` (blind evaluation 3, repros 2 and 4); and
ENV205 when the directory envlint falls back to holds no code but the build context does."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from tests.conftest import run_lint

from ._helpers import entrypoints

Project = Callable[[Mapping[str, str | bytes]], Path]


def _findings(root: Path, code: str) -> set[tuple[str | None, str]]:
    return {
        (f.service, f.location.path) for f in run_lint(root, cache=False).findings if f.code == code
    }


# -- a relative command resolved against WORKDIR (repro 2) -----------------------------------------

_GO_MAIN = """package main

import "os"

func main() {
\tif os.Getenv("HOOK_KEY") == "" {
\t\tpanic("HOOK_KEY is required")
\t}
}
"""
_GO_TOOL = """package main

import "os"

func main() {
\tif os.Getenv("SCAFFOLD_TOKEN") == "" {
\t\tpanic("SCAFFOLD_TOKEN is required")
\t}
}
"""


def _gateway(final_stage: str, migrate: str) -> dict[str, str]:
    return {
        "compose.yml": f"""
            services:
              api:
                build: .
                environment: {{HOOK_KEY: dev}}
              migrate:
                build: .
                environment: {{HOOK_KEY: dev}}
{migrate}
        """,
        "Dockerfile": f"""
            FROM golang:1.22 AS compile
            WORKDIR /src
            COPY . .
            RUN go build -o /out/hookd ./cmd/hookd
{final_stage}
        """,
        "go.mod": "module example.com/hooks\n\ngo 1.22\n",
        "cmd/hookd/main.go": _GO_MAIN,
        "tools/scaffold/main.go": _GO_TOOL,
    }


_ROOT_COPY = """
            FROM alpine:3.20 AS runtime
            COPY --from=compile /out/hookd /
            ENTRYPOINT ["/hookd"]
"""


def test_a_relative_command_without_workdir_runs_from_the_root(project: Project) -> None:
    root = project(_gateway(_ROOT_COPY, '                entrypoint: ["./hookd", "migrate", "up"]'))
    found = entrypoints(root)
    for name in ("api", "migrate"):
        program = found[name].program
        assert program is not None and program.target == "cmd/hookd", name
    migrate = found["migrate"].program
    assert migrate is not None and "./hookd is /hookd" in migrate.how
    # the unrelated tools/ program is not taken for migrate's code, and nothing is unknown
    assert _findings(root, "ENV201") == set()
    assert _findings(root, "ENV205") == set()


def test_the_workdir_is_inherited_through_from_stage_and_overridden_by_compose(
    project: Project,
) -> None:
    inherited = """
            FROM alpine:3.20 AS base
            WORKDIR /srv
            FROM base AS runtime
            COPY --from=compile /out/hookd /srv/bin/hookd
            ENTRYPOINT ["/srv/bin/hookd"]
"""
    root = project(_gateway(inherited, '                entrypoint: ["./bin/hookd", "migrate"]'))
    migrate = entrypoints(root)["migrate"].program
    assert migrate is not None and migrate.target == "cmd/hookd"
    assert "Docker's default" not in migrate.how  # /srv came from the Dockerfile


def test_a_relative_command_that_the_workdir_does_not_hold_stays_unknown(
    project: Project,
) -> None:
    # WORKDIR /srv: ./hookd is /srv/hookd, which nothing writes (the binary is at /hookd)
    elsewhere = """
            FROM alpine:3.20 AS runtime
            WORKDIR /srv
            COPY --from=compile /out/hookd /
            ENTRYPOINT ["/hookd"]
"""
    root = project(_gateway(elsewhere, '                entrypoint: ["./hookd", "migrate"]'))
    migrate = entrypoints(root)["migrate"]
    assert migrate.program is None
    assert "./hookd" in migrate.note
    # compose's working_dir moves it back to /, where the binary is
    moved = project(
        _gateway(
            elsewhere,
            '                working_dir: /\n                entrypoint: ["./hookd", "migrate"]',
        )
    )
    program = entrypoints(moved)["migrate"].program
    assert program is not None and program.target == "cmd/hookd"


# -- a daemon before the program, a final if/else without exec (repro 4) ---------------------------

_JAVA_MAIN = """package org.demo;

public class Main {
    public static void main(String[] args) {
        String key = System.getenv("LEDGER_KEY");
        if (key == null) {
            throw new IllegalStateException("LEDGER_KEY is required");
        }
    }
}
"""


def _ledger(script: str, nginx_conf: str = "") -> dict[str, str]:
    files = {
        "settings.gradle": "rootProject.name = 'ledger'\ninclude 'app'\n",
        "app/build.gradle": "plugins { id 'java' }\n",
        "app/src/main/java/org/demo/Main.java": _JAVA_MAIN,
        "deploy/app/Dockerfile": """
            FROM eclipse-temurin:21 AS build
            COPY . /work
            WORKDIR /work
            RUN ./gradlew build -x test
            FROM debian:stable-slim
            RUN apt-get update && apt-get install -y nginx openjdk-21-jre-headless
            COPY deploy/app/scripts /opt/run
            COPY --from=build /work/app/build/libs/*.jar /opt/jars/ledger.jar
            COPY deploy/app/site.conf /etc/nginx/conf.d/default.conf
            ENTRYPOINT ["/bin/sh"]
            CMD ["/opt/run/start.sh"]
        """,
        "deploy/app/site.conf": "server { listen 80; }\n",
        "deploy/app/scripts/start.sh": "#!/bin/sh\n" + script,
        "deploy/compose.yml": """
            services:
              ledger:
                build: {context: .., dockerfile: deploy/app/Dockerfile}
        """,
    }
    if nginx_conf:
        files["deploy/app/nginx.conf"] = nginx_conf
        files["deploy/app/Dockerfile"] = files["deploy/app/Dockerfile"].replace(
            "            ENTRYPOINT",
            "            COPY deploy/app/nginx.conf /etc/nginx/nginx.conf\n            ENTRYPOINT",
        )
    return files


_BOTH_BRANCHES = (
    "echo starting\n"
    "nginx\n"
    "cd /opt/jars\n"
    'if [ -z "$PROFILE" ]; then\n'
    "  echo defaults\n"
    "  java $JAVA_OPTS -jar ledger.jar 2>&1 | tee -a /var/log/ledger.log\n"
    "else\n"
    '  java $JAVA_OPTS -Dprofile="$PROFILE" -jar ledger.jar\n'
    "fi\n"
)


def test_a_daemon_then_the_same_program_in_both_branches(project: Project) -> None:
    root = project(_ledger(_BOTH_BRANCHES))
    program = entrypoints(root)["ledger"].program
    assert program is not None and program.target == "app"
    assert "`nginx` in the background" in program.how
    assert "every branch runs this program" in program.how
    assert _findings(root, "ENV201") == {("ledger", "app/src/main/java/org/demo/Main.java")}
    assert _findings(root, "ENV205") == set()


def test_a_plain_daemon_and_an_ampersand_job_are_not_the_program(project: Project) -> None:
    for script in (
        "nginx\ncd /opt/jars\njava -jar ledger.jar\n",
        "service cron start\n/usr/sbin/sshd\njava -jar /opt/jars/ledger.jar\n",
        "nginx -g 'error_log stderr;' &\njava -jar /opt/jars/ledger.jar\n",
        "tail -F /var/log/x.log &\njava -jar /opt/jars/ledger.jar\nnginx -s reload\n",
    ):
        program = entrypoints(project(_ledger(script)))["ledger"].program
        assert program is not None and program.target == "app", script


def test_nginx_in_the_foreground_is_the_program(project: Project) -> None:
    # `daemon off;` keeps nginx in the foreground: it is the last program, not the jar
    for files in (
        _ledger("java -jar /opt/jars/ledger.jar &\nnginx -g 'daemon off;'\n"),
        _ledger(
            "java -jar /opt/jars/ledger.jar &\nnginx\n",
            nginx_conf="daemon  off;\nevents {}\nhttp { include conf.d/*.conf; }\n",
        ),
    ):
        ledger = entrypoints(project(files))["ledger"]
        assert ledger.program is None
        assert "nginx" in ledger.note


def test_branches_that_run_different_programs_or_an_if_that_is_not_last(
    project: Project,
) -> None:
    differ = project(
        _ledger('nginx\nif [ -n "$REPL" ]; then jshell; else java -jar /opt/jars/ledger.jar; fi\n')
    )
    assert entrypoints(differ)["ledger"].program is None
    assert "the branches run different programs" in entrypoints(differ)["ledger"].note
    no_else = project(_ledger('if [ -n "$REPL" ]; then java -jar /opt/jars/ledger.jar; fi\n'))
    assert entrypoints(no_else)["ledger"].program is None
    followed = project(
        _ledger(
            'if [ -n "$X" ]; then jshell; else jdeps ledger.jar; fi\n'
            "java -jar /opt/jars/ledger.jar\n"
        )
    )
    program = entrypoints(followed)["ledger"].program
    assert program is not None and program.target == "app"


# -- ENV205: the script's directory holds no code, the context does --------------------------------


def test_env205_names_the_unchecked_context_code(project: Project) -> None:
    # the script runs a tool envlint cannot map: the fallback is the script's own directory
    root = project(_ledger("nginx\ncd /opt/jars\n./ledger-launcher --port 80\n"))
    ledger = entrypoints(root)["ledger"]
    assert ledger.program is None
    messages = [f.message for f in run_lint(root, cache=False).findings if f.code == "ENV205"]
    assert len(messages) == 1
    assert "none of the code in . is checked" in messages[0]


def test_env205_stays_silent_for_a_context_without_code(project: Project) -> None:
    root = project(
        {
            "compose.yml": """
                services:
                  edge:
                    build: edge
            """,
            "edge/Dockerfile": """
                FROM debian:stable-slim
                COPY run.sh /run.sh
                COPY launcher /usr/local/bin/launcher
                CMD ["/run.sh"]
            """,
            "edge/run.sh": "#!/bin/sh\nexec /usr/local/bin/launcher --config /etc/x.conf\n",
            "edge/launcher": "binary\n",
        }
    )
    assert entrypoints(root)["edge"].program is None
    assert _findings(root, "ENV205") == set()


def test_env205_stays_silent_for_an_image_built_from_a_clone(project: Project) -> None:
    # the context holds this repository's code, but the image holds none of it: its program is
    # built from another repository's clone
    root = project(
        {
            "compose.yml": """
                services:
                  relay:
                    build: {context: ., dockerfile: ./infra/relay/Dockerfile}
            """,
            "infra/relay/Dockerfile": """
                FROM golang:1.22-alpine AS builder
                WORKDIR /src
                RUN git clone --depth 1 https://example.com/relay.git . && go build -o /relayd .
                FROM alpine:3.20
                COPY --from=builder /relayd /relayd
                ENTRYPOINT ["/relayd"]
            """,
            "infra/relay/README.md": "the relay\n",
            "go.mod": "module example.com/app\n\ngo 1.22\n",
            "cmd/app/main.go": _GO_MAIN,
        }
    )
    relay = entrypoints(root)["relay"]
    assert relay.program is None and relay.holds_code is False
    assert _findings(root, "ENV205") == set()


def test_a_binary_copied_from_a_stage_that_runs_a_build_envlint_cannot_follow(
    project: Project,
) -> None:
    root = project(
        {
            "compose.yml": "services:\n  rates:\n    build: .\n",
            "Dockerfile": """
                FROM alpine:3.20 AS builder
                COPY src /rates/src
                RUN cd /rates && make install PREFIX=/usr/local
                FROM alpine:3.20
                COPY --from=builder /usr/local /usr/local
                ENTRYPOINT ["sh", "-c", "./usr/local/bin/rates"]
            """,
            "src/rates.c": "int main(void) { return 0; }\n",
        }
    )
    note = entrypoints(root)["rates"].note
    assert "/usr/local/bin/rates is copied from the stage builder (Dockerfile:5)" in note
    assert "nothing in the Dockerfile" not in note


# -- COPY into a directory an earlier COPY made (blind evaluation 4, F11) -------------------------

_INTO_DIR = """
            FROM alpine:3.20 AS runtime
            COPY --from=compile /out/hookd /opt/hooks/bin/hookd
            COPY run-hooks.sh /opt/hooks{slash}
            ENTRYPOINT ["/opt/hooks/run-hooks.sh"]
"""
_LAUNCHER = "#!/bin/sh\nexec /opt/hooks/bin/hookd \"$@\"\n"


def test_a_copy_into_a_directory_an_earlier_copy_made_lands_inside_it(project: Project) -> None:
    # /opt/hooks exists (the first COPY wrote /opt/hooks/bin/hookd), so run-hooks.sh goes into it
    files = _gateway(_INTO_DIR.format(slash=""), "")
    root = project({**files, "run-hooks.sh": _LAUNCHER})
    api = entrypoints(root)["api"].program
    assert api is not None and api.target == "cmd/hookd"
    assert _findings(root, "ENV205") == set()


def test_a_copy_to_a_new_path_is_the_file_itself(project: Project) -> None:
    # nothing made /opt/hooks a directory: COPY run-hooks.sh /opt/hooks writes the file /opt/hooks
    lone = """
            FROM alpine:3.20 AS runtime
            COPY run-hooks.sh /opt/hooks
            ENTRYPOINT ["/opt/hooks/run-hooks.sh"]
"""
    root = project({**_gateway(lone, ""), "run-hooks.sh": _LAUNCHER})
    api = entrypoints(root)["api"]
    assert api.program is None
    assert "/opt/hooks/run-hooks.sh" in api.note


def test_run_java_sh_with_a_main_class_runs_that_class(project: Project) -> None:
    # fabric8 run-java.sh: without $JAVA_APP_JAR it runs `java -cp ... $JAVA_MAIN_CLASS`
    files = {
        "compose.yml": """
            services:
              sink:
                build: sink
        """,
        "sink/pom.xml": "<project><artifactId>sink</artifactId></project>\n",
        "sink/src/main/java/org/example/sink/SinkApp.java": (
            "package org.example.sink;\n"
            "public class SinkApp {\n"
            "  public static void main(String[] a) { System.getenv(\"SINK_TOPIC\").length(); }\n"
            "}\n"
        ),
        "sink/run-sink.sh": (
            "#!/bin/bash\nexport JAVA_APP_DIR=/opt/sink/lib\n"
            "export JAVA_MAIN_CLASS=org.example.sink.SinkApp\nexec /opt/sink/run-java.sh\n"
        ),
        "sink/Dockerfile": """
            FROM maven:3.9 AS build
            COPY . /src
            RUN mvn -f /src/pom.xml package
            FROM fedora-minimal:40
            COPY --from=build /src/target/*.jar /opt/sink/lib/
            COPY run-sink.sh /opt/sink
            ENTRYPOINT ["/opt/sink/run-sink.sh"]
        """,
    }
    root = project(files)
    sink = entrypoints(root)["sink"].program
    assert sink is not None and (sink.kind, sink.target) == ("jvm-module", "sink")
    assert "run-java.sh runs the class $JAVA_MAIN_CLASS" in sink.how
    # without the class either, it stays unknown and says why
    files["sink/run-sink.sh"] = "#!/bin/bash\nexec /opt/sink/run-java.sh\n"
    unknown = entrypoints(project(files))["sink"]
    assert unknown.program is None and "$JAVA_MAIN_CLASS" in unknown.note


# -- alembic runs its script_location's env.py (blind evaluation 6) -------------------------------


def test_alembic_runs_the_env_py_its_configuration_names(project: Project) -> None:
    files = {
        "compose.yml": """
            services:
              migrations:
                build: .
                command: ["python3", "-m", "alembic", "upgrade", "head"]
              tool:
                build: .
                command: ["alembic", "-c", "db/alembic.ini", "upgrade", "head"]
              nocfg:
                build: .
                command: ["alembic", "-c", "nowhere.ini", "upgrade", "head"]
        """,
        "Dockerfile": "FROM python:3.12\nWORKDIR /app\nCOPY . .\n",
        "alembic.ini": "[alembic]\nscript_location = migrations\n",
        "db/alembic.ini": "[alembic]\nscript_location = %(here)s/versions_root\n",
        "migrations/env.py": "from app import models\n",
        "db/versions_root/env.py": "import os\nURL = os.environ.get('DB_URL')\n",
        "app/__init__.py": "",
        "app/models.py": "import os\nDSN = os.environ.get('DSN', 'sqlite://')\n",
        # a sandbox entry point a parent process starts: not the migrations' code
        "sandbox/shim.py": "import os\nif not os.environ.get('RUN_ID'):\n    raise SystemExit(1)\n",
    }
    root = project(files)
    found = entrypoints(root)
    migrations, tool = found["migrations"].program, found["tool"].program
    assert migrations is not None and (migrations.kind, migrations.target) == (
        "python-file",
        "migrations/env.py",
    )
    assert "script_location migrations" in migrations.how
    assert tool is not None and tool.target == "db/versions_root/env.py"
    charged = _findings(root, "ENV201")
    assert not any(s == "migrations" and p == "sandbox/shim.py" for s, p in charged)
    # a configuration that is not there: unknown, and said why
    unknown = found["nocfg"]
    assert unknown.program is None and "nowhere.ini" in unknown.note


# -- a start-up script that goes to its own directory: cd "$(dirname "$0")/.." (blind 7) ---------

_WSGI = """import os

SECRET = os.environ["TRANSLATE_SECRET"]


def app():
    return SECRET
"""


def _self_locating(cd_line: str) -> dict[str, str]:
    return {
        "compose.yml": """
            services:
              web:
                build: {context: ., dockerfile: docker/Dockerfile}
        """,
        "docker/Dockerfile": """
            FROM python:3.12-slim
            WORKDIR /app
            COPY . .
            ENTRYPOINT ["./scripts/entrypoint.sh"]
        """,
        "scripts/entrypoint.sh": f"""#!/bin/bash
{cd_line}
echo "v$(cat VERSION)"
exec gunicorn --bind 0.0.0.0:5000 'wsgi:app()'
""",
        "wsgi.py": _WSGI,
        "VERSION": "1.0\n",
    }


def test_a_script_that_goes_to_its_own_parent_directory_runs_the_code_there(
    project: Project,
) -> None:
    for cd_line in (
        '__dirname=$(cd "$(dirname "$0")"; pwd -P)\ncd "${__dirname}/.."',
        'cd "$(dirname "${BASH_SOURCE[0]}")/.."',
        'HERE="$(cd "$(dirname "$0")" >/dev/null 2>&1 && pwd)"\ncd "$HERE/.."',
        'cd "$(dirname "$(readlink -f "$0")")/.."',
    ):
        root = project(_self_locating(cd_line))
        web = entrypoints(root)["web"].program
        assert web is not None and web.target == "wsgi.py", cd_line
        assert _findings(root, "ENV201") == {("web", "wsgi.py")}, cd_line


def test_a_directory_the_script_is_not_in_stays_unknown(project: Project) -> None:
    # `dirname "$1"` is its first argument's directory, not its own: where it goes is unknown
    root = project(_self_locating('cd "$(dirname "$1")/.."'))
    web = entrypoints(root)["web"]
    assert web.program is None or web.program.target != "wsgi.py"
    # the image copies the whole context (docker/, the Dockerfile's directory, holds no code):
    # its code is read as the service's, never as what runs at start
    found = [f for f in run_lint(root, cache=False).findings if f.code == "ENV201"]
    assert [(f.location.path, f.severity.value) for f in found] == [("wsgi.py", "warning")]
    assert "could not tell whether this code runs at start" in found[0].message
