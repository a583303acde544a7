"""Entrypoint -> program per language, wrappers and shells, and the cases that must not map."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from ._helpers import entrypoints, programs

Project = Callable[[Mapping[str, str | bytes]], Path]

GO_MAIN = "package main\n\nfunc main() {}\n"


# -- Go ----------------------------------------------------------------------------------------


def test_go_default_output_names_install_and_a_single_stage(project: Project) -> None:
    root = project(
        {
            "compose.yaml": """
                services:
                  server: {build: ., command: ["shop"]}
                  installed: {build: {context: ., target: install}}
                  single: {build: {context: ., dockerfile: single.Dockerfile}}
                  direct:
                    build: {context: ., target: install}
                    command: ["go", "run", "./cmd/tool"]
            """,
            "Dockerfile": """
                FROM golang:1.22 AS build
                WORKDIR /go/src/shop
                COPY . .
                RUN go build && cp shop /usr/local/bin/shop-copy

                FROM golang:1.22 AS install
                WORKDIR /src
                COPY . .
                RUN go install ./cmd/tool
                CMD ["tool"]

                FROM alpine
                COPY --from=build /go/src/shop/shop /usr/bin/
            """,
            "single.Dockerfile": """
                FROM golang:1.22
                WORKDIR /app
                COPY . .
                RUN cd cmd/tool && go build -o ../../bin/tool .
                CMD ["./bin/tool"]
            """,
            "go.mod": "module example.com/shop\n\ngo 1.22\n",
            "main.go": GO_MAIN,
            "cmd/tool/main.go": GO_MAIN,
        }
    )
    assert programs(root) == {
        "server": ("go", "go-package", "."),
        "installed": ("go", "go-package", "cmd/tool"),
        "single": ("go", "go-package", "cmd/tool"),
        "direct": ("go", "go-package", "cmd/tool"),
    }


# -- C# ----------------------------------------------------------------------------------------

DOTNET_TEMPLATE = """
FROM mcr.microsoft.com/dotnet/aspnet:8.0 AS base
WORKDIR /app
EXPOSE 8080

FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
ARG BUILD_CONFIGURATION=Release
WORKDIR /src
COPY ["src/Api/Api.csproj", "src/Api/"]
COPY ["src/Shared/Shared.csproj", "src/Shared/"]
RUN dotnet restore "./src/Api/Api.csproj"
COPY . .
WORKDIR "/src/src/Api"
RUN dotnet build "./Api.csproj" -c $BUILD_CONFIGURATION -o /app/build

FROM build AS publish
RUN dotnet publish "./Api.csproj" -c $BUILD_CONFIGURATION -o /app/publish /p:UseAppHost=false

FROM base AS final
WORKDIR /app
COPY --from=publish /app/publish .
ENTRYPOINT ["dotnet", "Shop.Api.dll"]
"""


def test_csharp_visual_studio_template_and_assembly_name(project: Project) -> None:
    root = project(
        {
            "docker-compose.yml": """
                services:
                  api:
                    build: {context: ., dockerfile: src/Api/Dockerfile}
                  worker:
                    build: {context: ., dockerfile: src/Worker/Dockerfile}
            """,
            "src/Api/Dockerfile": DOTNET_TEMPLATE,
            "src/Api/Api.csproj": """
                <Project Sdk="Microsoft.NET.Sdk.Web">
                  <PropertyGroup>
                    <TargetFramework>net8.0</TargetFramework>
                    <AssemblyName>Shop.Api</AssemblyName>
                  </PropertyGroup>
                </Project>
            """,
            "src/Api/Program.cs": "var builder = WebApplication.CreateBuilder(args);\n",
            "src/Shared/Shared.csproj": '<Project Sdk="Microsoft.NET.Sdk" />\n',
            "src/Worker/Dockerfile": """
                FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
                WORKDIR /source
                COPY src/Worker/. ./worker/
                RUN dotnet publish worker -c Release -o /app
                FROM mcr.microsoft.com/dotnet/runtime:8.0
                WORKDIR /app
                COPY --from=build /app .
                ENTRYPOINT ["./Worker"]
            """,
            "src/Worker/Worker.csproj": '<Project Sdk="Microsoft.NET.Sdk.Worker" />\n',
        }
    )
    assert programs(root) == {
        "api": ("csharp", "dotnet-project", "src/Api/Api.csproj"),
        "worker": ("csharp", "dotnet-project", "src/Worker/Worker.csproj"),  # the apphost
    }
    api = entrypoints(root)["api"]
    assert api.program is not None and api.program.location is not None
    assert api.program.location.line == 16  # the publish RUN


# -- JavaScript / TypeScript ---------------------------------------------------------------------

NODE_BUILD = """
FROM node:20 AS build
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM node:20-slim
WORKDIR /app
COPY --from=build /app/dist ./dist
COPY --from=build /app/node_modules ./node_modules
COPY package.json .
CMD {cmd}
"""


def test_typescript_dist_is_mapped_back_to_src(project: Project) -> None:
    root = project(
        {
            "compose.yaml": """
                services:
                  web: {build: {context: web, dockerfile: node.Dockerfile}}
                  started: {build: {context: web, dockerfile: start.Dockerfile}}
                  bundled: {build: bundle}
            """,
            "web/node.Dockerfile": NODE_BUILD.format(cmd='["node", "dist/index.js"]'),
            "web/start.Dockerfile": NODE_BUILD.format(cmd='["npm", "start"]'),
            "web/package.json": """
                {"name": "web", "scripts": {"build": "tsc -p .", "start": "node dist/index.js"}}
            """,
            "web/tsconfig.json": """
                {
                  // tsc writes dist/ from src/
                  "compilerOptions": {"outDir": "./dist", "rootDir": "./src", "strict": true,},
                  "include": ["src/**/*"],
                }
            """,
            "web/src/index.ts": "console.log(process.env.PORT);\n",
            "bundle/Dockerfile": """
                FROM node:20-alpine
                WORKDIR /srv
                COPY . .
                RUN npm ci && npm run build
                CMD node build/server.js
            """,
            "bundle/package.json": """
                {"scripts": {"build":
                  "esbuild src/server.ts --bundle --platform=node --outfile=build/server.js"}}
            """,
            "bundle/src/server.ts": "export {};\n",
        }
    )
    assert programs(root) == {
        "web": ("typescript", "js-entry", "web/src/index.ts"),
        "started": ("typescript", "js-entry", "web/src/index.ts"),
        "bundled": ("typescript", "js-entry", "bundle/src/server.ts"),
    }
    started = entrypoints(root)["started"].program
    assert started is not None and "`npm start` runs the web/package.json script" in started.how


def test_node_without_a_build_runs_the_repository_file_through_a_bind_mount(
    project: Project,
) -> None:
    root = project(
        {
            "compose.yaml": """
                services:
                  api:
                    image: node:20
                    working_dir: /usr/src/app
                    volumes: ["./:/usr/src/app"]
                    command: node src/server.js
                  worker:
                    image: python:3.12
                    working_dir: /code
                    volumes: [{type: bind, source: ./jobs, target: /code}]
                    command: ["python", "-u", "worker.py"]
                  data:
                    image: node:20
                    volumes: ["data:/usr/src/app"]
                    command: node src/server.js
                volumes: {data: {}}
            """,
            "src/server.js": "require('http');\n",
            "jobs/worker.py": "import os\n",
        }
    )
    got = programs(root)
    assert got["api"] == ("javascript", "js-entry", "src/server.js")
    assert got["worker"] == ("python", "python-file", "jobs/worker.py")
    assert got["data"] is None  # a named volume holds no repository file
    note = entrypoints(root)["data"].note
    assert "found no build of its image node:20 in this repository" in note


# -- Python ------------------------------------------------------------------------------------


def test_python_servers_modules_and_shell_chains(project: Project) -> None:
    root = project(
        {
            "compose.yaml": """
                services:
                  web:
                    build: .
                    command: gunicorn --bind 0.0.0.0:8000 -w 2 app.wsgi:application
                  worker: {build: ., command: ["python", "-m", "app.worker"]}
                  api:
                    build: .
                    command: sh -c "python manage.py migrate && uvicorn app.main:app --host 0.0.0.0"
                  tasks: {build: ., command: celery -A app.tasks worker -l info}
                  default: {build: .}
                  mod: {build: ., command: ["python", "-m", "uvicorn", "app.main:app"]}
            """,
            "Dockerfile": """
                FROM python:3.12-slim
                WORKDIR /code
                COPY requirements.txt .
                RUN pip install -r requirements.txt
                COPY . .
                CMD ["python", "app/main.py"]
            """,
            "requirements.txt": "gunicorn\n",
            "manage.py": "import os\n",
            "app/__init__.py": "",
            "app/wsgi.py": "application = None\n",
            "app/main.py": "app = None\n",
            "app/tasks.py": "",
            "app/worker/__init__.py": "",
            "app/worker/__main__.py": "print(1)\n",
        }
    )
    assert programs(root) == {
        "web": ("python", "python-module", "app/wsgi.py"),
        "worker": ("python", "python-module", "app/worker"),
        "api": ("python", "python-module", "app/main.py"),
        "tasks": ("python", "python-module", "app/tasks.py"),
        "default": ("python", "python-file", "app/main.py"),
        "mod": ("python", "python-module", "app/main.py"),
    }
    found = entrypoints(root)
    api = found["api"].program
    assert api is not None and "last command of the chain" in api.how
    # the file run as __main__: only a script or `python -m`; a server imports its modules
    mains = {name: e.program.main for name, e in found.items() if e.program is not None}
    assert mains == {
        "web": None,
        "worker": "app/worker/__main__.py",
        "api": None,
        "tasks": None,
        "default": "app/main.py",
        "mod": None,
    }


def test_python_main_module_of_app_runners(project: Project) -> None:
    root = project(
        {
            "compose.yaml": """
                services:
                  flask: {build: ., command: ["flask", "--app", "app.py", "run"]}
                  fastapi: {build: ., command: ["fastapi", "run", "app.py"]}
                  streamlit: {build: ., command: ["streamlit", "run", "app.py"]}
                  module: {build: ., command: ["python", "-m", "tool"]}
                  package: {build: ., command: ["python", "-m", "lib"]}
            """,
            "Dockerfile": "FROM python:3.12\nWORKDIR /srv\nCOPY . .\n",
            "app.py": "app = None\n",
            "tool.py": "",
            "lib/__init__.py": "",
        }
    )
    found = entrypoints(root)
    assert {name: e.program and (e.program.kind, e.program.main) for name, e in found.items()} == {
        "flask": ("python-file", None),
        "fastapi": ("python-file", None),
        "streamlit": ("python-file", "app.py"),  # Streamlit runs its script as __main__
        "module": ("python-module", "tool.py"),
        # `python -m` of a package without __main__.py: Python refuses, no file is __main__
        "package": ("python-module", None),
    }


def test_python_src_layout_installed_package(project: Project) -> None:
    root = project(
        {
            "compose.yaml": "services:\n  svc: {build: .}\n",
            "Dockerfile": """
                FROM python:3.12
                WORKDIR /opt
                COPY pyproject.toml .
                COPY src src
                RUN pip install --no-cache-dir .
                WORKDIR /
                CMD ["python", "-m", "shop"]
            """,
            "pyproject.toml": "[project]\nname = 'shop'\n",
            "src/shop/__init__.py": "",
            "src/shop/__main__.py": "",
        }
    )
    assert programs(root) == {"svc": ("python", "python-module", "src/shop")}
    program = entrypoints(root)["svc"].program
    assert program is not None and program.main == "src/shop/__main__.py"


# -- Java --------------------------------------------------------------------------------------


def test_java_maven_module_gradle_and_main_class(project: Project) -> None:
    root = project(
        {
            "compose.yaml": """
                services:
                  orders: {build: .}
                  billing: {build: {context: billing}}
                  cp: {build: {context: ., dockerfile: cp.Dockerfile}}
            """,
            "Dockerfile": """
                FROM maven:3.9-eclipse-temurin-21 AS build
                WORKDIR /app
                COPY pom.xml .
                COPY orders/pom.xml orders/
                COPY orders/src orders/src
                RUN mvn -B -pl orders -am package -DskipTests
                FROM eclipse-temurin:21-jre
                COPY --from=build /app/orders/target/*.jar /app/app.jar
                ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/app.jar"]
            """,
            "pom.xml": "<project><modules><module>orders</module></modules></project>\n",
            "orders/pom.xml": "<project/>\n",
            "orders/src/main/java/com/shop/Orders.java": "class Orders {}\n",
            "billing/Dockerfile": """
                FROM gradle:8-jdk21 AS build
                WORKDIR /home/gradle/src
                COPY --chown=gradle:gradle . .
                RUN gradle bootJar --no-daemon
                FROM eclipse-temurin:21-jre
                COPY --from=build /home/gradle/src/build/libs/*.jar /app.jar
                ENTRYPOINT exec java $JAVA_OPTS -jar /app.jar
            """,
            "billing/build.gradle.kts": 'plugins { kotlin("jvm") }\n',
            "billing/src/main/kotlin/Billing.kt": "fun main() {}\n",
            "cp.Dockerfile": """
                FROM eclipse-temurin:21-jre
                COPY orders/target/classes /app/classes
                ENTRYPOINT ["java", "-cp", "/app/classes:/app/lib/*", "com.shop.Orders"]
            """,
        }
    )
    assert programs(root) == {
        "orders": ("java", "jvm-module", "orders"),
        "billing": ("kotlin", "jvm-module", "billing"),
        "cp": ("java", "jvm-module", "orders"),
    }
    orders = entrypoints(root)["orders"].program
    assert orders is not None and orders.location is not None
    assert orders.location.line == 6  # the mvn RUN


# -- Rust --------------------------------------------------------------------------------------


def test_rust_binaries(project: Project) -> None:
    root = project(
        {
            "compose.yaml": """
                services:
                  server: {build: .}
                  main: {build: {context: ., dockerfile: install.Dockerfile}}
            """,
            "Dockerfile": """
                FROM rust:1.77 AS builder
                WORKDIR /usr/src/app
                COPY . .
                RUN cargo build --release --bin server
                FROM debian:bookworm-slim
                COPY --from=builder /usr/src/app/target/release/server /usr/local/bin/server
                CMD ["server"]
            """,
            "install.Dockerfile": """
                FROM rust:1.77
                WORKDIR /usr/src/shop
                COPY . .
                RUN cargo install --path .
                CMD ["shop"]
            """,
            "Cargo.toml": '[package]\nname = "shop"\nversion = "0.1.0"\n',
            "src/main.rs": "fn main() {}\n",
            "src/bin/server.rs": "fn main() {}\n",
        }
    )
    assert programs(root) == {
        "server": ("rust", "cargo-bin", "src/bin/server.rs"),
        "main": ("rust", "cargo-bin", "src/main.rs"),
    }


# -- wrappers, compose rules -------------------------------------------------------------------


def test_wrapper_scripts_exec_their_arguments_or_a_program(project: Project) -> None:
    root = project(
        {
            "compose.yaml": """
                services:
                  args: {build: {context: ., dockerfile: args.Dockerfile}}
                  named: {build: {context: ., dockerfile: named.Dockerfile}}
                  inline: {build: {context: ., dockerfile: inline.Dockerfile}}
                  tini: {build: {context: ., dockerfile: tini.Dockerfile}}
            """,
            "args.Dockerfile": """
                FROM node:20
                WORKDIR /app
                COPY docker/entrypoint.sh /usr/local/bin/
                COPY . .
                ENTRYPOINT ["entrypoint.sh"]
                CMD ["node", "server.js"]
            """,
            "docker/entrypoint.sh": """
                #!/bin/sh
                set -e
                if [ "$1" = "migrate" ]; then
                  exec node migrate.js
                fi
                echo "starting"
                exec "$@"
            """,
            "named.Dockerfile": """
                FROM python:3.12
                WORKDIR /srv
                COPY . .
                ENTRYPOINT ["./start.sh"]
            """,
            "start.sh": "#!/usr/bin/env bash\ncd app && exec python -m service\n",
            "app/service/__main__.py": "",
            "app/service/__init__.py": "",
            "inline.Dockerfile": """
                FROM node:20
                WORKDIR /app
                COPY . .
                COPY <<EOF /start
                #!/bin/sh
                exec node server.js
                EOF
                ENTRYPOINT ["/start"]
            """,
            "tini.Dockerfile": """
                FROM node:20
                WORKDIR /app
                COPY . .
                ENTRYPOINT ["/sbin/tini", "--", "docker-entrypoint.sh"]
                CMD ["gosu", "node", "node", "server.js"]
            """,
            "server.js": "",
            "migrate.js": "",
        }
    )
    assert programs(root) == {
        "args": ("javascript", "js-entry", "server.js"),
        "named": ("python", "python-module", "app/service"),
        "inline": ("javascript", "js-entry", "server.js"),
        "tini": ("javascript", "js-entry", "server.js"),
    }
    args = entrypoints(root)["args"].program
    assert args is not None and "other branches" in args.how


def test_compose_entrypoint_resets_the_image_cmd(project: Project) -> None:
    root = project(
        {
            "compose.yaml": """
                services:
                  reset: {build: ., entrypoint: ["/app/other"]}
                  both: {build: ., entrypoint: /app/other, command: ["--flag"]}
                  keep: {build: ., command: ["--verbose"]}
            """,
            "Dockerfile": """
                FROM golang:1.22 AS b
                WORKDIR /src
                COPY . .
                RUN go build -o /app/server ./cmd/server && go build -o /app/other ./cmd/other
                FROM alpine
                COPY --from=b /app /app
                ENTRYPOINT ["/app/server"]
                CMD ["--port", "80"]
            """,
            "go.mod": "module x\n",
            "cmd/server/main.go": GO_MAIN,
            "cmd/other/main.go": GO_MAIN,
        }
    )
    found = entrypoints(root)
    assert found["reset"].argv == ("/app/other",)
    assert found["both"].argv == ("/app/other", "--flag")
    assert found["keep"].argv == ("/app/server", "--verbose")
    assert programs(root) == {
        "reset": ("go", "go-package", "cmd/other"),
        "both": ("go", "go-package", "cmd/other"),
        "keep": ("go", "go-package", "cmd/server"),
    }


def test_config_source_wins(project: Project) -> None:
    root = project(
        {
            "compose.yaml": "services:\n  api: {image: vendor/api:1}\n  gone: {image: x}\n",
            "services/api/main.go": GO_MAIN,
        }
    )
    # Settings.service_sources, as `[tool.envlint.services.NAME] source` fills it
    found = entrypoints(root, service_sources={"api": "services/api", "gone": "nowhere"})
    assert found["api"].origin == "config"
    assert found["api"].program is not None
    assert (found["api"].program.kind, found["api"].program.target) == (
        "go-package",
        "services/api",
    )
    assert found["gone"].program is None and "nowhere does not exist" in found["gone"].note


# -- what must not map -------------------------------------------------------------------------


def test_negative_cases_say_why(project: Project) -> None:
    root = project(
        {
            "compose.yaml": """
                services:
                  supervisor: {build: {context: ., dockerfile: supervisor.Dockerfile}}
                  hub: {image: postgres:16}
                  noexec: {build: {context: ., dockerfile: noexec.Dockerfile}}
                  conditional: {build: {context: ., dockerfile: conditional.Dockerfile}}
                  background: {build: ., command: sh -c "node a.js & node b.js & wait"}
                  prebuilt: {build: {context: ., dockerfile: prebuilt.Dockerfile}}
                  fromimage: {build: {context: ., dockerfile: fromimage.Dockerfile}}
                  inherited: {build: {context: ., dockerfile: inherited.Dockerfile}}
                  argbase: {build: {context: ., dockerfile: ab.Dockerfile, target: "${RT}-run"}}
                  unknownvar: {build: ., command: ["sh", "-c", "exec $$APP_BIN"]}
            """,
            "Dockerfile": "FROM node:20\nWORKDIR /app\nCOPY . .\n",
            "a.js": "",
            "b.js": "",
            "supervisor.Dockerfile": """
                FROM python:3.12
                COPY . /app
                CMD ["/usr/bin/supervisord", "-c", "/etc/supervisord.conf"]
            """,
            "noexec.Dockerfile": """
                FROM alpine
                COPY run.sh /run.sh
                ENTRYPOINT ["/run.sh"]
            """,
            "run.sh": "#!/bin/sh\necho 'configuring'\nsleep 5\n",
            "conditional.Dockerfile": """
                FROM alpine
                COPY cond.sh /cond.sh
                ENTRYPOINT ["/cond.sh"]
            """,
            "cond.sh": '#!/bin/sh\nif [ "$MODE" = a ]; then exec /bin/a; else exec /bin/b; fi\n',
            "prebuilt.Dockerfile": """
                FROM alpine
                COPY bin/server /server
                ENTRYPOINT ["/server"]
            """,
            "fromimage.Dockerfile": """
                FROM alpine
                COPY --from=ghcr.io/org/tool:1 /tool /tool
                ENTRYPOINT ["/tool"]
            """,
            "inherited.Dockerfile": "FROM mycorp/base:1\nCOPY . /app\n",
            "ab.Dockerfile": "FROM php:8 AS base\nFROM base AS fpm-run\nCOPY . /app\n",
        }
    )
    found = entrypoints(root)
    assert all(e.program is None for e in found.values()), {
        k: e.program for k, e in found.items() if e.program
    }
    notes = {name: e.note for name, e in found.items()}
    assert "/usr/bin/supervisord" in notes["supervisor"]
    assert notes["hub"] == (
        "Service hub: envlint found no build of its image postgres:16 in this repository."
    )
    assert "does not exec or run a program" in notes["noexec"]
    assert "execs in each branch (`exec /bin/a` / `exec /bin/b`), and the branches" in (
        notes["conditional"]
    )
    assert (
        "starts 2 programs in the background (`node a.js`, `node b.js`) and waits for them, and "
        "they are different programs"
    ) in notes["background"]
    assert "bin/server, which the repository does not hold" in notes["prebuilt"]
    assert "copied from the image ghcr.io/org/tool:1" in notes["fromimage"]
    assert notes["inherited"] == (
        "Service inherited: its command comes from the base image mycorp/base:1."
    )
    assert "None" not in notes["argbase"]  # a target named by an unset variable
    assert "its command comes from the base image (its name" in notes["argbase"]
    assert "a value not known here" in notes["unknownvar"]
    assert found["inherited"].origin == "none"


def test_unknown_base_entrypoint_is_said_in_how(project: Project) -> None:
    root = project(
        {
            "compose.yaml": """
                services:
                  plain: {build: {context: ., dockerfile: plain.Dockerfile}}
                  custom: {build: {context: ., dockerfile: custom.Dockerfile}}
            """,
            "plain.Dockerfile": "FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nCMD node index.js\n",
            "custom.Dockerfile": "FROM mycorp/node:1\nWORKDIR /app\nCOPY . .\nCMD node index.js\n",
            "index.js": "",
        }
    )
    found = entrypoints(root)
    plain, custom = found["plain"].program, found["custom"].program
    assert plain is not None and custom is not None
    assert "ENTRYPOINT" not in plain.how
    assert "ENTRYPOINT of the base image mycorp/node:1 is not known" in custom.how


def test_hostile_scripts_links_and_loops_are_bounded(project: Project, tmp_path: Path) -> None:
    outside = tmp_path / "outside.sh"
    outside.write_text("#!/bin/sh\nexec node secret.js\n")
    root = project(
        {
            "compose.yaml": """
                services:
                  loop: {build: {context: ., dockerfile: loop.Dockerfile}}
                  link: {build: {context: ., dockerfile: link.Dockerfile}}
                  binary: {build: {context: ., dockerfile: binary.Dockerfile}}
            """,
            "loop.Dockerfile": 'FROM alpine\nCOPY . /app\nENTRYPOINT ["/app/loop.sh"]\n',
            "loop.sh": '#!/bin/sh\nexec /app/loop.sh "$@"\n',
            "link.Dockerfile": 'FROM node:20\nCOPY . /app\nENTRYPOINT ["/app/link.sh"]\n',
            "secret.js": "",
            "binary.Dockerfile": 'FROM alpine\nCOPY . /app\nENTRYPOINT ["/app/server"]\n',
            "server": b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64,
        }
    )
    (root / "link.sh").symlink_to(outside)
    found = entrypoints(root)
    assert all(e.program is None for e in found.values())
    assert "too many wrappers" in found["loop"].note
    assert "/app/link.sh" in found["link"].note  # the link leaves the root: not read
    assert "cannot read as code" in found["binary"].note


def test_how_and_notes_never_show_environment_or_build_arg_values(project: Project) -> None:
    root = project(
        {
            "compose.yaml": """
                services:
                  py:
                    build: {context: ., dockerfile: py.Dockerfile}
                    environment: {API_TOKEN: hunter2secret, MODULE: app}
                    command: sh -c "exec python -m $$MODULE --token $$API_TOKEN"
                  go:
                    build:
                      context: .
                      dockerfile: go.Dockerfile
                      args: {KEY: s3cr3tbuildarg}
            """,
            "py.Dockerfile": "FROM python:3.12\nWORKDIR /srv\nCOPY . .\n",
            "app/__init__.py": "",
            "app/__main__.py": "",
            "go.Dockerfile": """
                FROM golang:1.22 AS b
                ARG KEY
                WORKDIR /src
                COPY . .
                RUN go build -ldflags "-X main.key=$KEY" -o /out/x ./cmd/x
                FROM alpine
                COPY --from=b /out/x /x
                ENTRYPOINT ["/x"]
            """,
            "go.mod": "module x\n",
            "cmd/x/main.go": GO_MAIN,
        }
    )
    found = entrypoints(root)
    assert programs(root) == {
        "py": ("python", "python-module", "app"),
        "go": ("go", "go-package", "cmd/x"),
    }
    for entry in found.values():
        assert entry.program is not None
        text = entry.program.how + entry.note
        assert "hunter2secret" not in text and "s3cr3tbuildarg" not in text
        assert "$" in text  # the references are shown as written
