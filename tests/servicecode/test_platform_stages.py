"""A Dockerfile that picks its stages by BuildKit's automatic platform ARGs (``FROM
build-${TARGETARCH} AS build``, blind evaluation 13c, shape 2: anything-llm lost its stage
chain and its entry script).  Built for linux/amd64 unless the service names a ``platform:``;
when the stages for linux/amd64 and linux/arm64 run different programs, neither is taken."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from tests.conftest import run_lint

from ._helpers import entrypoints

Project = Callable[[Mapping[str, str | bytes]], Path]

_SERVER = 'if (!process.env.JWT_SECRET) { throw new Error("JWT_SECRET required"); }\n'
_OTHER = 'if (!process.env.ARM_TOKEN) { throw new Error("ARM_TOKEN required"); }\n'


def _app(arm_script: str = "docker-entrypoint.sh", platform: str = "") -> dict[str, str]:
    return {
        "docker/docker-compose.yml": (
            "services:\n  app:\n"
            + (f"    platform: {platform}\n" if platform else "")
            + "    build: {context: ../., dockerfile: ./docker/Dockerfile}\n"
        ),
        "docker/Dockerfile": (
            "FROM ubuntu:noble AS base\n"
            "FROM base AS build-arm64\n"
            f"COPY ./docker/{arm_script} /usr/local/bin/docker-entrypoint.sh\n"
            "FROM base AS build-amd64\n"
            "COPY ./docker/docker-entrypoint.sh /usr/local/bin/\n"
            "FROM build-${TARGETARCH} AS build\n"
            "COPY ./server /app/server/\n"
            "FROM build AS production\n"
            'ENTRYPOINT ["/bin/bash", "/usr/local/bin/docker-entrypoint.sh"]\n'
        ),
        "docker/docker-entrypoint.sh": "#!/bin/bash\ncd /app/server && node index.js\n",
        "docker/arm-entrypoint.sh": "#!/bin/bash\nexec node /app/server/other.js\n",
        "server/index.js": _SERVER,
        "server/other.js": _OTHER,
    }


def _codes(root: Path) -> set[tuple[str, str]]:
    return {(f.code, f.location.path) for f in run_lint(root, cache=False).findings}


def test_stages_picked_by_target_arch_are_followed(project: Project) -> None:
    root = project(_app())
    app = entrypoints(root)["app"].program
    assert app is not None and app.target == "server/index.js"
    assert "builds for linux/amd64 and linux/arm64 run this program" in app.how
    assert _codes(root) == {("ENV201", "server/index.js")}


def test_stages_that_differ_by_platform_are_not_guessed_between(project: Project) -> None:
    root = project(_app(arm_script="arm-entrypoint.sh"))
    app = entrypoints(root)["app"]
    assert app.program is None
    assert (
        "what its Dockerfile builds depends on the platform (TARGETARCH), and envlint cannot tell "
        "which platform it is built for (for linux/amd64: it runs server/index.js; for "
        "linux/arm64: it runs server/other.js)"
    ) in app.note
    # no finding says what runs at start; what the image gets (server/) is read as its code
    found = [f for f in run_lint(root, cache=False).findings if f.code == "ENV201"]
    assert {f.location.path for f in found} == {"server/index.js", "server/other.js"}
    assert all("could not tell whether this code runs at start" in f.message for f in found)


def test_the_services_platform_decides(project: Project) -> None:
    root = project(_app(arm_script="arm-entrypoint.sh", platform="linux/arm64"))
    app = entrypoints(root)["app"].program
    assert app is not None and app.target == "server/other.js"
    assert "it is built for linux/arm64 (its platform:), which its Dockerfile reads" in app.how
    assert _codes(root) == {("ENV201", "server/other.js")}


def test_a_binary_named_by_platform_is_said_for_the_usual_one(project: Project) -> None:
    # jaeger: `COPY jaeger-linux-$TARGETARCH ...`, built outside the Dockerfile
    root = project(
        {
            "compose.yml": "services:\n  jaeger:\n    build: .\n",
            "Dockerfile": (
                "FROM alpine:3.20\nARG TARGETARCH\n"
                "COPY jaeger-linux-$TARGETARCH /cmd/jaeger/jaeger-linux\n"
                'ENTRYPOINT ["/cmd/jaeger/jaeger-linux"]\n'
            ),
            "main.go": "package main\n\nfunc main() {}\n",
        }
    )
    note = entrypoints(root)["jaeger"].note
    assert (
        "for a linux/amd64 build (its Dockerfile reads TARGETARCH), /cmd/jaeger/jaeger-linux is "
        "copied from jaeger-linux-amd64, which the repository does not hold"
    ) in note
