"""A service whose program is unknown, built from a Dockerfile kept in a folder of its own
(``ci/dockerfile.local``, ``docker/Dockerfile``) that holds no code: its code is what the
image copies from the build context, not that folder (blind evaluation 13c, shape 1:
ack-nestjs-boilerplate's ``COPY . .`` from ``ci/`` read none of ``src/``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from tests.conftest import run_lint

Project = Callable[[Mapping[str, str | bytes]], Path]

_MAIN = 'if (!process.env.APP_SECRET) { throw new Error("APP_SECRET is required"); }\n'
_PACKAGE = (
    '{"name": "a", "scripts": {"start:dev": "concurrently \\"nest start --watch\\" '
    '\\"tsc --watch\\""}}\n'
)


def _nest(dockerfile: str, where: str = "ci/dockerfile.local") -> dict[str, str]:
    return {
        "docker-compose.yml": (
            f"services:\n  apis:\n    build: {{context: ., dockerfile: {where}}}\n"
        ),
        where: "FROM node:lts-alpine\nWORKDIR /app\n"
        + dockerfile
        + 'CMD ["npm", "run", "start:dev"]\n',
        "ci/vault.hcl": 'storage "file" {}\n',
        "package.json": _PACKAGE,
        "src/main.ts": _MAIN,
        "tools/seed.ts": 'console.log(process.env.SEED_TOKEN ?? "");\n',
    }


def _found(root: Path) -> tuple[set[tuple[str, str]], list[str]]:
    findings = run_lint(root, cache=False).findings
    required = {(f.code, f.location.path) for f in findings if f.code == "ENV201"}
    return required, [f.message for f in findings if f.code == "ENV205"]


def test_the_whole_context_copied_from_a_dockerfile_folder_without_code(
    project: Project,
) -> None:
    required, (message,) = _found(project(_nest("COPY package.json ./\nCOPY . .\n")))
    assert required == {("ENV201", "src/main.ts")}
    assert "checks the JavaScript/TypeScript files below . as its code instead" in message


def test_only_the_copied_directory(project: Project) -> None:
    required, (message,) = _found(project(_nest("COPY package.json ./\nCOPY src ./src\n")))
    assert required == {("ENV201", "src/main.ts")}
    assert "below src as its code instead" in message


def test_a_dockerfile_folder_that_holds_code_stays_the_code(project: Project) -> None:
    # a monorepo's service folder: its own Dockerfile, its own code (the directory model)
    files = _nest("COPY . .\n", where="services/api/Dockerfile")
    files["services/api/server.ts"] = _MAIN.replace("APP_SECRET", "API_SECRET")
    required, (message,) = _found(project(files))
    assert required == {("ENV201", "services/api/server.ts")}
    assert "below services/api as its code instead" in message


def test_code_from_sibling_directories_is_not_widened_to_their_parent(project: Project) -> None:
    # `COPY src` and `COPY tools`: the root holds code the image never gets
    files = _nest("COPY src ./src\nCOPY tools ./tools\n")
    files["web/app.ts"] = _MAIN.replace("APP_SECRET", "WEB_SECRET")
    required, (message,) = _found(project(files))
    assert required == set()
    assert "below ci as its code instead, which hold none it reads" in message
