"""Image provenance through a workflow's ``strategy.matrix``: one build per combination, with
the ``build-args`` of each, so that a Dockerfile that picks its program by a build argument
(``ENTRYPOINT ./${SCOPE}-entrypoint.sh``) runs a known program."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from envlint.compose import load_workspace
from envlint.config import Settings
from envlint.servicecode.provenance import find_image_builds
from tests.conftest import run_lint, triples

from ._helpers import entrypoints, programs

Project = Callable[[Mapping[str, str | bytes]], Path]

Row = tuple[str, str | None, tuple[tuple[str, str], ...] | None]


def builds(root: Path) -> set[Row]:
    workspace = load_workspace(root, Settings(cache=False))
    found = find_image_builds(workspace.root, workspace.files, workspace.projects)
    return {(b.image, b.target, b.args) for b in found.builds}


def workflow(matrix: str, *, args: str = "SCOPE=${{ matrix.app }}") -> dict[str, str]:
    return {
        ".github/workflows/release.yml": f"""
            on: push
            jobs:
              build:
                runs-on: ubuntu-latest
                strategy:
                  matrix:
{matrix}
                steps:
                  - id: meta
                    uses: docker/metadata-action@v5
                    with:
                      images: acme/${{{{ matrix.app }}}}
                  - uses: docker/build-push-action@v6
                    with:
                      context: .
                      target: ${{{{ matrix.stage }}}}
                      tags: ${{{{ steps.meta.outputs.tags }}}}
                      build-args: |
                        {args}
        """,
        "Dockerfile": "FROM node:20-slim\n",
    }


def test_each_combination_is_a_build_with_its_arguments(project: Project) -> None:
    matrix = """\
                    app: [web, api, worker]
                    stage: [release, debug]
                    exclude:
                      - stage: debug
                    include:
                      - app: api
                        stage: slim
                      - app: cron
                        stage: release"""
    got = builds(project(workflow(matrix)))
    assert got == {
        ("docker.io/acme/web", "release", (("SCOPE", "web"),)),
        ("docker.io/acme/worker", "release", (("SCOPE", "worker"),)),
        # `stage: slim` would change the api combination's stage: a combination of its own
        ("docker.io/acme/api", "release", (("SCOPE", "api"),)),
        ("docker.io/acme/api", "slim", (("SCOPE", "api"),)),
        ("docker.io/acme/cron", "release", (("SCOPE", "cron"),)),
    }


def test_an_include_extends_the_combinations_it_does_not_change(project: Project) -> None:
    matrix = """\
                    app: [web, api]
                    include:
                      - stage: release
                      - app: api
                        stage: api-release"""
    assert builds(project(workflow(matrix))) == {
        ("docker.io/acme/web", "release", (("SCOPE", "web"),)),
        # `stage` is not an original key: the later entry overwrites the added value
        ("docker.io/acme/api", "api-release", (("SCOPE", "api"),)),
    }


def test_a_value_envlint_cannot_know_stays_unknown(project: Project) -> None:
    # an expression dimension: its values are computed; the build arguments are not known
    matrix = """\
                    app: ${{ fromJSON(needs.plan.outputs.apps) }}
                    stage: [release]"""
    assert builds(project(workflow(matrix))) == {("docker.io/acme/*", "release", None)}
    # an unknown value in an exclude entry: which combinations remain is not known
    matrix = """\
                    app: [web, api]
                    stage: [release]
                    exclude: ${{ fromJSON(needs.plan.outputs.skip) }}"""
    assert builds(project(workflow(matrix))) == {("docker.io/acme/*", "*", None)}
    # a build argument from a secret
    matrix = """\
                    app: [web]
                    stage: [release]"""
    got = builds(project(workflow(matrix, args="TOKEN=${{ secrets.NPM_TOKEN }}")))
    assert got == {("docker.io/acme/web", "release", None)}


def test_past_the_cap_every_matrix_value_is_unknown(project: Project) -> None:
    many = ", ".join(f"a{i}" for i in range(9))
    matrix = f"""\
                    app: [{many}]
                    stage: [{many}]"""
    assert builds(project(workflow(matrix))) == {("docker.io/acme/*", "*", None)}


def _stack(extra: Mapping[str, str]) -> dict[str, str]:
    return {
        "docker-compose.yml": """
            services:
              web:
                image: acme/web:latest
                env_file: .env
        """,
        ".env": "PORT=3000\n",
        "Dockerfile": """
            FROM node:20-slim
            ARG SCOPE
            ENV SCOPE=${SCOPE}
            WORKDIR /app
            COPY . .
            COPY scripts/${SCOPE}-entrypoint.sh ./
            ENTRYPOINT ./${SCOPE}-entrypoint.sh
        """,
        "scripts/web-entrypoint.sh": "#!/bin/sh\nnode apps/web/server.js\n",
        "scripts/api-entrypoint.sh": "#!/bin/sh\nnode apps/api/server.js\n",
        "package.json": '{"name": "acme", "private": true, "workspaces": ["apps/*", "packages/*"]}',
        "apps/web/package.json": '{"name": "@acme/web"}',
        "apps/web/server.js": (
            'if (!process.env.SESSION_SECRET) { throw new Error("SESSION_SECRET"); }\n'
            "require('http').createServer().listen(process.env.PORT);\n"
        ),
        "apps/api/package.json": '{"name": "@acme/api"}',
        "apps/api/server.js": "require('http').createServer().listen(process.env.PORT);\n",
        "packages/db/package.json": '{"name": "@acme/db", "main": "src/replica.ts"}',
        "packages/db/src/replica.ts": (
            'if (!process.env.REPLICA_URL) { throw new Error("REPLICA_URL is not set"); }\n'
            "export const replicaUrl: string = process.env.REPLICA_URL;\n"
        ),
        "packages/scripts/package.json": '{"name": "@acme/scripts"}',
        "packages/scripts/src/cleanup.ts": 'import { replicaUrl } from "@acme/db";\n'
        "console.log(replicaUrl);\n",
        **extra,
    }


_RELEASE = """
    on: push
    jobs:
      build:
        runs-on: ubuntu-latest
        strategy:
          matrix:
            app: ["web", "api"]
        steps:
          - id: meta
            uses: docker/metadata-action@v5
            with:
              images: acme/${{ matrix.app }}
          - uses: docker/build-push-action@v6
            with:
              context: .
              build-args: |
                SCOPE=${{ matrix.app }}
              outputs: type=image,name=acme/${{ matrix.app }},push=true
"""


def test_a_matrix_build_argument_names_the_program_of_the_pulled_image(project: Project) -> None:
    root = project(_stack({".github/workflows/release.yml": _RELEASE}))
    assert programs(root) == {"web": ("javascript", "js-entry", "apps/web/server.js")}
    # the service's own code is checked; a maintenance script's module is not the service's
    # code (before: every file of the repository, and a false ENV201 for REPLICA_URL)
    assert triples(run_lint(root, cache=False)) == {("ENV201", "apps/web/server.js", 1)}


def test_an_unknown_matrix_keeps_the_whole_directory_fallback(project: Project) -> None:
    release = _RELEASE.replace('["web", "api"]', "${{ fromJSON(needs.plan.outputs.apps) }}")
    root = project(_stack({".github/workflows/release.yml": release}))
    assert programs(root) == {"web": None}
    assert triples(run_lint(root, cache=False)) >= {
        ("ENV205", "docker-compose.yml", 2),
        ("ENV201", "apps/web/server.js", 1),
    }


def test_a_compose_build_carries_its_arguments_to_the_stack_that_pulls(project: Project) -> None:
    build = """
        services:
          web:
            image: acme/web:latest
            build:
              context: .
              args:
                - SCOPE=web
    """
    root = project(_stack({"docker-compose.build.yml": build}))
    workspace = load_workspace(root, Settings(cache=False))
    found = find_image_builds(workspace.root, workspace.files, workspace.projects)
    assert {b.args for b in found.builds if b.image == "docker.io/acme/web"} == {
        (("SCOPE", "web"),)
    }


def test_one_image_built_with_different_arguments_is_followed_in_each(project: Project) -> None:
    # a matrix over the entry script only, the image name the same: nothing tells which
    release = _RELEASE.replace("acme/${{ matrix.app }}", "acme/web")
    root = project(_stack({".github/workflows/release.yml": release}))
    assert programs(root) == {"web": None}
    note = entrypoints(root)["web"].note
    assert "Dockerfile with SCOPE=web: runs apps/web/server.js" in note
    assert "Dockerfile with SCOPE=api: runs apps/api/server.js" in note
