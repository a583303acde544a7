"""Shapes seen in public repositories: dispatcher scripts, dev reloaders, piecewise copies,
distroless interpreters, Gradle launchers, Spring Boot layers, Next.js standalone servers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from ._helpers import entrypoints, programs

Project = Callable[[Mapping[str, str | bytes]], Path]

GO_MAIN = "package main\n\nfunc main() {}\n"


def test_case_dispatch_on_the_first_argument_and_functions(project: Project) -> None:
    root = project(
        {
            "compose.yaml": """
                services:
                  server: {build: ., command: server}
                  worker: {build: ., command: ["worker", "--queues", "default"]}
                  manage: {build: ., command: manage db upgrade}
                  other: {build: ., command: ["python", "-m", "app.jobs"]}
                  unknown: {build: ., command: ["bogus"]}
                  none: {build: ., command: []}
            """,
            "Dockerfile": """
                FROM python:3.12
                WORKDIR /app
                COPY . .
                ENTRYPOINT ["/app/bin/docker-entrypoint"]
            """,
            "bin/docker-entrypoint": """
                #!/bin/bash
                set -e

                server() {
                  TIMEOUT=${TIMEOUT:-60}
                  exec gunicorn -b 0.0.0.0:5000 --timeout $TIMEOUT app.wsgi:app
                }

                worker() {
                  echo "starting worker"
                  exec python -m app.worker "$@"
                }

                case "$1" in
                  server)
                    shift
                    server
                    ;;
                  worker|jobs)
                    shift
                    worker "$@"
                    ;;
                  manage)
                    shift
                    exec /app/manage.py "$@"
                    ;;
                  bogus)
                    echo "nothing here"
                    ;;
                  *)
                    exec "$@"
                    ;;
                esac
            """,
            "manage.py": "#!/usr/bin/env python3\nimport sys\n",
            "app/__init__.py": "",
            "app/wsgi.py": "app = None\n",
            "app/jobs.py": "",
            "app/worker/__init__.py": "",
            "app/worker/__main__.py": "",
        }
    )
    assert programs(root) == {
        "server": ("python", "python-module", "app/wsgi.py"),
        "worker": ("python", "python-module", "app/worker"),
        "manage": ("python", "python-file", "manage.py"),
        "other": ("python", "python-module", "app/jobs.py"),  # the `*) exec "$@"` branch
        "unknown": None,
        "none": None,
    }
    found = entrypoints(root)
    server = found["server"].program
    assert server is not None and "`server)` branch" in server.how
    assert "function server" in server.how
    assert "does not exec or run a program" in found["unknown"].note
    assert "dispatches on its first argument, and there is none" in found["none"].note


def test_go_reloaders_compile_daemon_reflex_and_air(project: Project) -> None:
    root = project(
        {
            "compose.yaml": """
                services:
                  daemon:
                    build: {context: ., dockerfile: docker/daemon.Dockerfile}
                  reflex:
                    build: {context: docker/reflex}
                    volumes: ["./internal:/internal"]
                    working_dir: /internal/trainer
                  air:
                    image: cosmtrek/air
                    working_dir: /src
                    volumes: ["./:/src"]
            """,
            "docker/daemon.Dockerfile": """
                FROM golang:1.17-alpine
                WORKDIR /app
                COPY .. /app
                RUN go get github.com/githubnemo/CompileDaemon
                ENTRYPOINT CompileDaemon --build="go build -o main reader/cmd/main.go" \\
                    --command=./main
            """,
            "docker/reflex/Dockerfile": """
                FROM golang:1.18
                RUN go install github.com/cespare/reflex@v0.3.1
                COPY reflex.conf /
                COPY start.sh /
                ENTRYPOINT ["reflex", "-c", "/reflex.conf"]
            """,
            "docker/reflex/reflex.conf": "-r '(\\.go$|go\\.mod)' -s bash /start.sh\n",
            "docker/reflex/start.sh": "#!/bin/bash\nset -e\ngo run .\n",
            ".air.toml": '[build]\ncmd = "go build -o ./tmp/main ./cmd/api"\nbin = "tmp/main"\n',
            "go.mod": "module example.com/shop\n",
            "reader/cmd/main.go": GO_MAIN,
            "internal/trainer/main.go": GO_MAIN,
            "cmd/api/main.go": GO_MAIN,
        }
    )
    got = programs(root)
    assert got == {
        "daemon": ("go", "go-package", "reader/cmd"),
        "reflex": ("go", "go-package", "internal/trainer"),
        "air": None,  # the image's own command (air) is not known: it comes from the base image
    }


def test_air_named_in_the_command(project: Project) -> None:
    root = project(
        {
            "compose.yaml": """
                services:
                  api:
                    image: cosmtrek/air
                    working_dir: /src
                    volumes: ["./:/src"]
                    command: ["air", "-c", ".air.toml"]
            """,
            ".air.toml": '[build]\ncmd = "go build -o ./tmp/main ./cmd/api"\n',
            "go.mod": "module example.com/shop\n",
            "cmd/api/main.go": GO_MAIN,
        }
    )
    assert programs(root) == {"api": ("go", "go-package", "cmd/api")}


def test_piecewise_copies_distroless_node_and_the_context_clamp(project: Project) -> None:
    root = project(
        {
            "compose.yaml": """
                services:
                  checkout:
                    build: {context: ., dockerfile: src/checkout/Dockerfile}
                  frontend:
                    build: {context: ., dockerfile: src/frontend/Dockerfile}
                  graphql: {build: ./gateway}
            """,
            "src/checkout/Dockerfile": """
                FROM golang:1.26 AS builder
                WORKDIR /usr/src/app/
                COPY ./src/checkout/go.mod go.mod
                COPY ./src/checkout/kafka/ kafka/
                COPY ./src/checkout/main.go main.go
                COPY ./pb/demo.proto proto/demo.proto
                RUN CGO_ENABLED=0 go build -ldflags "-s -w" -o checkout main.go
                FROM gcr.io/distroless/static-debian12:nonroot
                WORKDIR /usr/src/app/
                COPY --from=builder /usr/src/app/checkout/ ./
                ENTRYPOINT [ "./checkout" ]
            """,
            "src/checkout/go.mod": "module example.com/checkout\n",
            "src/checkout/main.go": GO_MAIN,
            "src/checkout/kafka/kafka.go": "package kafka\n",
            "pb/demo.proto": "syntax = 'proto3';\n",
            "src/frontend/Dockerfile": """
                FROM node:24 AS builder
                WORKDIR /app
                COPY ./src/frontend/ .
                RUN npm ci && npm run build
                FROM gcr.io/distroless/nodejs24-debian13:nonroot
                WORKDIR /app
                COPY --from=builder /app/.next/standalone/ ./
                COPY ./src/frontend/utils/Instrumentation.js Instrumentation.js
                CMD ["--require=./Instrumentation.js", "server.js"]
            """,
            "src/frontend/package.json": '{"scripts": {"build": "next build"}}\n',
            "src/frontend/tsconfig.json": "{}\n",
            "src/frontend/utils/Instrumentation.js": "",
            "gateway/Dockerfile": """
                FROM node:9-alpine
                COPY package.json .
                COPY tsconfig.json .
                ADD src ./src
                RUN npm run build
                CMD npm run start
            """,
            "gateway/package.json": '{"scripts": {"start": "node ./dist/index.js"}}\n',
            "gateway/tsconfig.json": '{"compilerOptions": {"outDir": "dist", "allowJs": true},'
            ' "include": ["src/**/*"]}\n',
            "gateway/src/index.js": "",
        }
    )
    assert programs(root) == {
        "checkout": ("go", "go-package", "src/checkout"),
        "frontend": ("typescript", "directory", "src/frontend"),
        "graphql": ("javascript", "js-entry", "gateway/src/index.js"),
    }
    frontend = entrypoints(root)["frontend"].program
    assert frontend is not None and "`/nodejs/bin/node`" in frontend.how


def test_gradle_launcher_spring_layers_and_package_binaries(project: Project) -> None:
    root = project(
        {
            "compose.yaml": """
                services:
                  ad: {build: {context: ., dockerfile: ad.Dockerfile}}
                  orders: {build: {context: ., dockerfile: orders.Dockerfile}}
                  migrate: {build: {context: ., dockerfile: node.Dockerfile},
                            command: sh -c "pnpm exec prisma migrate deploy"}
            """,
            "ad.Dockerfile": """
                FROM eclipse-temurin:21 AS builder
                WORKDIR /usr/src/app/
                COPY ./ad/ ./
                RUN ./gradlew installDist
                FROM eclipse-temurin:21-jre
                WORKDIR /usr/src/app/
                COPY --from=builder /usr/src/app/ ./
                ENTRYPOINT [ "./build/install/ad/bin/Ad" ]
            """,
            "ad/build.gradle": "plugins { id 'application' }\n",
            "ad/src/main/java/Ad.java": "class Ad {}\n",
            "orders.Dockerfile": """
                FROM azul/zulu-openjdk-alpine:17 as builder
                ARG JAR_FILE=orders/build/libs/orders-0.0.1-SNAPSHOT.jar
                COPY ${JAR_FILE} application.jar
                RUN java -Djarmode=layertools -jar application.jar extract
                FROM azul/zulu-openjdk-alpine:17
                COPY --from=builder dependencies/ ./
                COPY --from=builder application/ ./
                ENTRYPOINT ["java", "org.springframework.boot.loader.JarLauncher"]
            """,
            "orders/build.gradle.kts": 'plugins { kotlin("jvm") }\n',
            "orders/src/main/kotlin/Orders.kt": "fun main() {}\n",
            "node.Dockerfile": "FROM node:20\nWORKDIR /app\nCOPY . .\n",
            "package.json": "{}\n",
        }
    )
    got = programs(root)
    assert got == {
        "ad": ("java", "jvm-module", "ad"),
        "orders": ("kotlin", "jvm-module", "orders"),
        "migrate": None,
    }
    assert "`prisma` is not built or copied" in entrypoints(root)["migrate"].note


def test_java_options_after_jar_are_options(project: Project) -> None:
    """The java launcher reads options until the first other word, ``-jar`` included: in
    ``java -jar --enable-preview app.jar`` the jar is app.jar (Springy-Store, blind set 11b)."""
    dockerfile = """
        FROM eclipse-temurin:21 AS builder
        WORKDIR /temp
        COPY orders/build/libs/orders.jar application.jar
        RUN java -Djarmode=layertools -jar --enable-preview application.jar extract
        FROM eclipse-temurin:21
        COPY --from=builder /temp/dependencies/ ./
        COPY --from=builder /temp/application/ ./
        ENTRYPOINT ["java", "--enable-preview", "org.springframework.boot.loader.JarLauncher"]
    """
    root = project(
        {
            "compose.yaml": """
                services:
                  orders: {build: {context: ., dockerfile: orders.Dockerfile}}
                  direct: {build: {context: ., dockerfile: direct.Dockerfile}}
            """,
            "orders.Dockerfile": dockerfile,
            "direct.Dockerfile": """
                FROM eclipse-temurin:21
                COPY orders/build/libs/orders.jar /app/orders.jar
                ENTRYPOINT ["java", "-jar", "--enable-preview", "-Xmx1g", "/app/orders.jar"]
            """,
            "orders/build.gradle.kts": 'plugins { kotlin("jvm") }\n',
            "orders/src/main/kotlin/Orders.kt": "fun main() {}\n",
        }
    )
    assert programs(root) == {
        "orders": ("kotlin", "jvm-module", "orders"),
        "direct": ("kotlin", "jvm-module", "orders"),
    }


def test_nodemon_options_take_their_values(project: Project) -> None:
    """``nodemon --watch src --delay 5 ./src/index.js`` runs src/index.js, not "5"
    (bootstrapping-microservices, blind set 11a)."""
    root = project(
        {
            "compose.yaml": "services:\n  api: {build: ./api}\n",
            "api/Dockerfile": "FROM node:20-alpine\nWORKDIR /usr/src/app\nCOPY . .\n"
            "CMD npm start\n",
            "api/package.json": '{"scripts": {"start": "nodemon --watch ./src --delay 5 -x node '
            '--ignore dist ./src/index.js"}}\n',
            "api/src/index.js": "console.log(1);\n",
        }
    )
    assert programs(root) == {"api": ("javascript", "js-entry", "api/src/index.js")}


def test_tsx_watch_runs_its_script(project: Project) -> None:
    """``tsx watch index.ts`` runs index.ts in watch mode: ``watch`` is tsx's subcommand, not
    a script (karakeep's workers, blind set 11a, with the code bind-mounted at /app)."""
    root = project(
        {
            "compose.yaml": "services:\n  workers:\n    build: ./docker\n"
            "    working_dir: /app\n    volumes: ['.:/app']\n"
            "    command: ['npm', 'start']\n",
            "docker/Dockerfile": "FROM node:22-alpine\nWORKDIR /app\n",
            "package.json": '{"scripts": {"start": "tsx watch --clear-screen=false index.ts"}}\n',
            "index.ts": "console.log(1);\n",
        }
    )
    assert programs(root) == {"workers": ("typescript", "js-entry", "index.ts")}


def test_an_entry_script_s_positional_arguments_and_reflex(project: Project) -> None:
    """monolith-microservice-shop (blind set 11a): ``entrypoint.sh ./cmd/orders/main.go`` runs
    ``reflex -s -r .go go run "$1"``: reflex runs the command after its options, and ``$1`` is
    the script's first argument, so each service runs its own package."""
    root = project(
        {
            "compose.yaml": """
                services:
                  orders:
                    build: .
                    entrypoint: ["./docker/entrypoint.sh", "./cmd/orders/main.go"]
                  payments:
                    build: .
                    entrypoint: ["./docker/entrypoint.sh", "./cmd/payments/main.go"]
            """,
            "Dockerfile": "FROM golang:1.22\nWORKDIR /app\nCOPY . .\n",
            "docker/entrypoint.sh": '#!/bin/sh\ngo mod download && reflex -s -r .go go run "$1"\n',
            "go.mod": "module example.com/shop\n\ngo 1.22\n",
            "cmd/orders/main.go": "package main\n\nfunc main() {}\n",
            "cmd/payments/main.go": "package main\n\nfunc main() {}\n",
        }
    )
    assert programs(root) == {
        "orders": ("go", "go-package", "cmd/orders"),
        "payments": ("go", "go-package", "cmd/payments"),
    }


def test_sourced_functions_and_a_task_runner(project: Project) -> None:
    """A function defined in a file the script sources is the script's own (openwisp's
    ``source utils.sh; init_conf``, blind set 10b), and a task runner's ``time "${@:-help}"``
    calls the function its argument names (docker-django-example's ``run build:js``)."""
    root = project(
        {
            "compose.yaml": """
                services:
                  worker: {build: {context: images, dockerfile: app/Dockerfile}}
                  js:
                    build: .
                    command: "./run build:js"
            """,
            "images/app/Dockerfile": "FROM python:3.12-slim\nWORKDIR /opt/app/\n"
            'COPY ./common/ /opt/app/\nCMD ["sh", "init_command.sh"]\n',
            "images/common/utils.sh": 'start_worker() {\n\techo "starting"\n'
            "\tpython worker.py\n}\n",
            "images/common/init_command.sh": "#!/bin/sh\nset -e\nsource utils.sh\nstart_worker\n",
            "images/common/worker.py": "print(1)\n",
            "Dockerfile": "FROM node:22-slim\nWORKDIR /app\nCOPY . .\n",
            "run": "#!/usr/bin/env bash\nbuild:js() {\n  node esbuild.config.mjs\n}\n"
            'help() {\n  compgen -A function\n}\ntime "${@:-help}"\n',
            "esbuild.config.mjs": "console.log(1);\n",
        }
    )
    assert programs(root) == {
        "worker": ("python", "python-file", "images/common/worker.py"),
        "js": ("javascript", "js-entry", "esbuild.config.mjs"),
    }


def test_gunicorn_s_application_from_its_configuration_file(project: Project) -> None:
    """``gunicorn --config wsgi/config.py`` with ``wsgi_app = "wsgi.app:application"`` in it
    (kitsune, blind set 11b), and the default ``gunicorn.conf.py`` of the working directory."""
    root = project(
        {
            "compose.yaml": """
                services:
                  web: {build: ., command: "gunicorn --access-logformat '%(h)s' -c wsgi/config.py"}
                  default: {build: ., command: gunicorn}
            """,
            "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n",
            "wsgi/__init__.py": "",
            "wsgi/config.py": 'bind = "0.0.0.0:8000"\nwsgi_app = "wsgi.app:application"\n',
            "wsgi/app.py": "application = None\n",
            "gunicorn.conf.py": 'wsgi_app = "wsgi.app:application"\n',
        }
    )
    found = programs(root)
    assert found["web"] == found["default"]
    assert found["web"] == ("python", "python-module", "wsgi/app.py")


def test_a_workspace_package_s_script(project: Project) -> None:
    """``pnpm --filter @acme/web run dev`` runs the dev script of the workspace package named
    @acme/web (karakeep, blind set 11a); ``yarn workspace api dev``, ``npm run dev -w api``."""
    root = project(
        {
            "compose.yaml": """
                services:
                  pnpm: {build: ., command: ["pnpm", "--filter", "@acme/web", "run", "dev"]}
                  yarn: {build: ., command: ["yarn", "workspace", "api", "dev"]}
                  npm: {build: ., command: ["npm", "run", "dev", "--workspace=api"]}
            """,
            "Dockerfile": "FROM node:22\nWORKDIR /app\nCOPY . .\n",
            "package.json": '{"private": true, "workspaces": ["packages/*"]}\n',
            "pnpm-workspace.yaml": "packages:\n  - apps/*\n",
            "apps/web/package.json": '{"name": "@acme/web", "scripts": '
            '{"dev": "node src/index.js"}}\n',
            "apps/web/src/index.js": "console.log(1);\n",
            "packages/api/package.json": '{"name": "api", "scripts": {"dev": "node main.js"}}\n',
            "packages/api/main.js": "console.log(2);\n",
        }
    )
    found = programs(root)
    assert found["pnpm"] == ("javascript", "js-entry", "apps/web/src/index.js")
    assert found["yarn"] == found["npm"] == ("javascript", "js-entry", "packages/api/main.js")


def test_air_without_a_configuration_builds_its_working_directory(project: Project) -> None:
    """air's default configuration builds `.` (the package in its working directory); a
    configuration named with -c that the repository does not hold stays unknown."""
    root = project(
        {
            "compose.yaml": """
                services:
                  plain:
                    build: .
                    working_dir: /src/services/api
                    command: ["air"]
                    volumes: ["./:/src"]
                  named:
                    build: .
                    working_dir: /src/services/api
                    command: ["air", "-c", ".air.toml"]
                    volumes: ["./:/src"]
                  configured:
                    build: .
                    working_dir: /src/services/worker
                    command: ["air"]
                    volumes: ["./:/src"]
            """,
            "Dockerfile": "FROM golang:1.22\nWORKDIR /src\n",
            "go.mod": "module example.com/shop\n",
            "services/api/main.go": GO_MAIN,
            "services/worker/.air.conf": '[build]\ncmd = "go build -o ./tmp/w ./cmd/w"\n',
            "services/worker/main.go": GO_MAIN,
            "services/worker/cmd/w/main.go": GO_MAIN,
        }
    )
    got = programs(root)
    assert got["plain"] == ("go", "go-package", "services/api")
    assert got["named"] is None
    assert got["configured"] == ("go", "go-package", "services/worker/cmd/w")
    found = entrypoints(root)
    assert "air configuration (build.cmd) is not found" in found["named"].note
    plain = found["plain"].program
    assert plain is not None and "default `go build -o ./tmp/main .`" in plain.how


def test_bun_x_runs_a_package_binary_and_bun_run_a_path_runs_the_file(project: Project) -> None:
    root = project(
        {
            "compose.yaml": """
                services:
                  web: {build: apps/web, command: ["bun", "x", "next", "start"]}
                  email: {build: apps/email, command: ["bun", "run", "api"]}
                  script: {build: apps/email, command: ["bun", "run", "worker"]}
            """,
            "apps/web/Dockerfile": "FROM oven/bun:1\nWORKDIR /app\nCOPY . .\n",
            "apps/web/package.json": '{"name": "web"}\n',
            "apps/web/tsconfig.json": "{}\n",
            "apps/web/app/page.tsx": "export default function Page() { return null; }\n",
            "apps/email/Dockerfile": "FROM oven/bun:1\nWORKDIR /app\nCOPY . .\n",
            "apps/email/package.json": (
                '{"scripts": {"api": "bun run ./server.ts", "worker": "bun run jobs"}}\n'
            ),
            "apps/email/server.ts": "export const port = process.env.PORT;\n",
        }
    )
    got = programs(root)
    assert got["web"] == ("typescript", "directory", "apps/web")
    assert got["email"] == ("typescript", "js-entry", "apps/email/server.ts")
    # a bare name is a package script, and this one does not exist
    note = entrypoints(root)["script"].note
    assert got["script"] is None and "has no script `jobs`" in note


def test_deno_task_runs_the_deno_json_task_else_the_package_json_script(
    project: Project,
) -> None:
    """`deno task NAME` (openstatus, blind set 14c) runs deno.json's task NAME (a command line
    or `{"command": ...}`), else package.json's script NAME; never a script file `task`.
    `deno run` takes an optional option value only after `=`: `--env-file src/x.mts` runs
    src/x.mts."""
    root = project(
        {
            "compose.yaml": """
                services:
                  migrate: {build: db, command: ["deno", "task", "migrate"]}
                  seed: {build: db, command: ["deno", "task", "-q", "seed"]}
                  api: {build: api, command: ["deno", "task", "start"]}
                  missing: {build: api, command: ["deno", "task", "bogus"]}
            """,
            "db/Dockerfile": "FROM denoland/deno:2\nWORKDIR /app\nCOPY . .\n",
            "db/package.json": (
                '{"scripts": {"migrate": "deno run -A --env-file src/migrate.mts", "seed": "x"}}\n'
            ),
            "db/deno.jsonc": (
                '// tasks\n{"tasks": {"seed": {"command": "deno run -A src/seed.ts"},}}\n'
            ),
            "db/src/migrate.mts": "export const url = Deno.env.get('DATABASE_URL');\n",
            "db/src/seed.ts": "export const url = Deno.env.get('DATABASE_URL');\n",
            "api/Dockerfile": "FROM denoland/deno:2\nWORKDIR /app\nCOPY . .\n",
            "api/deno.json": '{"tasks": {"start": "deno run --allow-net main.ts"}}\n',
            "api/main.ts": "export const port = Deno.env.get('PORT');\n",
        }
    )
    got = programs(root)
    assert got["migrate"] == ("typescript", "js-entry", "db/src/migrate.mts")
    assert got["seed"] == ("typescript", "js-entry", "db/src/seed.ts")
    assert got["api"] == ("typescript", "js-entry", "api/main.ts")
    note = entrypoints(root)["missing"].note
    assert got["missing"] is None and "`deno task bogus` runs a deno.json task" in note
    assert "/task" not in note


def test_a_stage_built_from_a_context_outside_the_checked_directory(project: Project) -> None:
    """A build context above the checked directory (ftgogo, blind set 14a): the stage's RUN
    builds from files envlint does not read, and the note says so, not that the RUN is what
    envlint cannot follow."""
    root = project(
        {
            "proj/compose.yaml": """
                services:
                  svc:
                    build: {context: .., dockerfile: proj/Dockerfile.dev}
            """,
            "proj/Dockerfile.dev": (
                "FROM golang:1.22 AS builder\nCOPY . /go/src\n"
                "WORKDIR /go/src/proj/svc/cmd/service\nRUN go install .\n"
                "FROM alpine\nCOPY --from=builder /go/bin/service /usr/local/bin/service\n"
                "ENTRYPOINT /usr/local/bin/service\n"
            ),
            "proj/go.mod": "module example.com/proj\n",
            "proj/svc/cmd/service/main.go": GO_MAIN,
        }
    )
    note = entrypoints(root / "proj")["svc"].note
    assert "where a RUN may build it from the build context ../, which lies outside" in note
    assert "cannot follow" not in note


def test_a_setup_function_then_a_case_dispatch(project: Project) -> None:
    """A function that only assigns and exports (bash `X+=v` appends) is a chore: the script
    goes on to its `case "$1"` dispatch; `bash -c "${@:2}"` runs the arguments after the
    first as a command string; a command string not known is named as such, never as `*`."""
    root = project(
        {
            "compose.yaml": """
                services:
                  api: {build: .}
                  shell: {build: ., command: "bash -c 'cd /app && python worker.py'"}
                  opaque: {build: ., command: ["eval"]}
                  web: {build: ., command: ["serve", "asgi"]}
                  worker: {build: ., command: ["worker"]}
                  stop: {build: ., command: ["halt"]}
            """,
            "Dockerfile": """
                FROM python:3.12
                COPY . /app
                ENTRYPOINT ["/bin/bash", "/app/entrypoint.sh"]
                CMD ["run"]
            """,
            "entrypoint.sh": """
                #!/bin/bash
                setup_vars() {
                  ATTRS="service.namespace=demo,"
                  ATTRS+="deployment.environment=${ENVIRONMENT:-unknown}"
                  FLAGS=(--a)
                  FLAGS+=(--b)
                  FLAGS[2]=--c
                  if [[ -n "${EXTRA:-}" ]]; then
                    ATTRS="${ATTRS},${EXTRA}"
                  fi
                  export ATTRS
                }
                start_worker() {
                  QUEUES=(--queue)
                  QUEUES+=("$1")
                  exec python /app/worker.py "${QUEUES[@]}"
                }
                serve() {
                  if [[ "$1" = asgi ]]; then
                    APP=(-k uvicorn.workers.UvicornWorker app:application)
                  else
                    APP=(app:application)
                  fi
                  exec gunicorn -b 0.0.0.0:80 "${APP[@]}"
                }
                die() {
                  echo "stopped"
                  exit 1
                }
                setup_vars
                if [[ "$1" == halt ]]; then die; fi
                case "$1" in
                  run)
                    exec python /app/app.py
                    ;;
                  bash)
                    exec /bin/bash -c "${@:2}"
                    ;;
                  worker)
                    if [[ -n "${MINIMAL:-}" ]]; then
                      start_worker all "${@:2}"
                    else
                      start_worker default "${@:2}"
                    fi
                    ;;
                  serve)
                    serve "${@:2}"
                    ;;
                  eval)
                    exec /bin/bash -c "$COMMAND"
                    ;;
                  *)
                    echo "unknown command $1"
                    exit 1
                    ;;
                esac
            """,
            "app.py": "print('api')\n",
            "worker.py": "print('worker')\n",
        }
    )
    assert programs(root) == {
        "api": ("python", "python-file", "app.py"),
        "shell": ("python", "python-file", "worker.py"),
        "opaque": None,
        "web": None,
        # each branch of the if calls the function, which execs the worker
        "worker": ("python", "python-file", "worker.py"),
        "stop": None,
    }
    found = entrypoints(root)
    api = found["api"].program
    assert api is not None and "`run)` branch" in api.how and "ATTRS" not in api.how
    assert "shell command string not known here" in found["opaque"].note
    # the application is in an array the function sets under a condition: not known here
    assert "application named by a value not known here" in found["web"].note
    assert "does not exec or run a program" in found["stop"].note
    worker = found["worker"].program
    assert worker is not None and "function start_worker" in worker.how  # its `*)` branch exits
    for note in (found["opaque"].note, found["stop"].note):
        assert "`*`" not in note and "+=" not in note


def test_a_shell_form_entrypoint_passes_the_command_on_as_its_0_and_arguments(
    project: Project,
) -> None:
    """robotoff (blind set 13b): ``ENTRYPOINT /docker-entrypoint.sh $0 $@`` is run as ``/bin/sh
    -c "/docker-entrypoint.sh $0 $@" CMD...`` (Docker appends the CMD, or compose's
    ``command:``, to the ENTRYPOINT in either form): the first word of the command is the
    string's ``$0``, the others its ``$@``, so the script gets the whole command.  Without a
    command ``$0`` is the shell; a value not known here that the script execs is no program."""
    root = project(
        {
            "compose.yaml": """
                services:
                  api: {build: .}
                  worker: {build: ., command: python -m app}
                  braced: {build: {context: ., dockerfile: Dockerfile.braced}}
                  bare: {build: {context: ., dockerfile: Dockerfile.bare}}
                  unknown: {build: {context: ., dockerfile: Dockerfile.unknown}}
            """,
            "Dockerfile": """
                FROM python:3.12-slim
                COPY --from=ghcr.io/astral-sh/uv:0.9.22 /uv /uvx /bin/
                WORKDIR /opt/app
                COPY . /opt/app
                COPY docker/docker-entrypoint.sh /docker-entrypoint.sh
                ENTRYPOINT /docker-entrypoint.sh $0 $@
                CMD ["gunicorn", "app.api:api"]
            """,
            "Dockerfile.braced": """
                FROM python:3.12-slim
                WORKDIR /opt/app
                COPY . /opt/app
                ENTRYPOINT exec /opt/app/docker/docker-entrypoint.sh "${0}" "$@"
                CMD ["python", "-m", "app"]
            """,
            "Dockerfile.bare": """
                FROM python:3.12-slim
                COPY --from=ghcr.io/astral-sh/uv:0.9.22 /uv /uvx /bin/
                WORKDIR /opt/app
                COPY . /opt/app
                COPY docker/docker-entrypoint.sh /docker-entrypoint.sh
                ENTRYPOINT /docker-entrypoint.sh $0 $@
            """,
            "Dockerfile.unknown": """
                FROM python:3.12-slim
                COPY --from=ghcr.io/astral-sh/uv:0.9.22 /uv /uvx /bin/
                WORKDIR /opt/app
                COPY . /opt/app
                COPY docker/docker-entrypoint.sh /docker-entrypoint.sh
                ENTRYPOINT ["/docker-entrypoint.sh"]
                CMD ["/opt/app/docker/run.sh"]
            """,
            "docker/docker-entrypoint.sh": '#!/bin/bash\nset -e\nexec "$@"\n',
            "docker/run.sh": '#!/bin/sh\nexec /docker-entrypoint.sh "$APP_BINARY" --serve\n',
            "app/__init__.py": "",
            "app/__main__.py": "print(1)\n",
            "app/api.py": "api = None\n",
        }
    )
    assert programs(root) == {
        "api": ("python", "python-module", "app/api.py"),
        "worker": ("python", "python-module", "app"),
        "braced": ("python", "python-module", "app"),
        "bare": None,
        "unknown": None,
    }
    found = entrypoints(root)
    assert "`*`" not in found["bare"].note and "* is" not in found["bare"].note
    assert "/bin/sh" in found["bare"].note  # the script execs the shell's own name
    assert "runs a program named by a value not known here" in found["unknown"].note


def test_celery_s_app_is_a_module_s_attribute(project: Project) -> None:
    """fastapi-celery (blind set 13b): Celery reads ``-A worker.celery`` as the attribute
    ``celery`` of the module ``worker`` (kombu's ``symbol_by_name``), and as the module
    ``worker.celery`` when ``worker`` has no such attribute: the module where it is in the
    repository, else its parent module."""
    root = project(
        {
            "compose.yaml": """
                services:
                  attribute: {build: ./project, command: celery -A worker.celery worker}
                  module: {build: ./project, command: celery --app=tasks.celery worker}
                  colon: {build: ./project, command: celery -A worker:celery beat}
                  neither: {build: ./project, command: celery -A missing.celery worker}
            """,
            "project/Dockerfile": "FROM python:3.12\nWORKDIR /usr/src/app\nCOPY . .\n",
            "project/worker.py": "from celery import Celery\n\ncelery = Celery(__name__)\n",
            "project/tasks/__init__.py": "",
            "project/tasks/celery.py": "from celery import Celery\n\napp = Celery()\n",
        }
    )
    assert programs(root) == {
        "attribute": ("python", "python-module", "project/worker.py"),
        "module": ("python", "python-module", "project/tasks/celery.py"),
        "colon": ("python", "python-module", "project/worker.py"),
        "neither": None,
    }
    found = entrypoints(root)
    attribute = found["attribute"].program
    assert attribute is not None and "app celery of the module worker" in attribute.how
    module = found["module"].program
    assert module is not None and "of the module" not in module.how
    assert "the Python module missing.celery is not found" in found["neither"].note
