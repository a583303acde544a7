"""Image provenance: which image names the repository builds, from which Dockerfile."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from envlint.compose import load_workspace
from envlint.config import Settings
from envlint.model import Location, Service
from envlint.servicecode.model import ImageBuild
from envlint.servicecode.provenance import (
    Provenance,
    find_image_builds,
    image_candidates,
    image_matches,
    image_tag,
    normalize_image,
    resolve_base,
    resolve_image,
)
from tests.conftest import run_lint

from ._helpers import entrypoints, programs

Project = Callable[[Mapping[str, str | bytes]], Path]


def builds_of(root: Path) -> Provenance:
    workspace = load_workspace(root, Settings(cache=False))
    return find_image_builds(workspace.root, workspace.files, workspace.projects)


def table(provenance: Provenance) -> set[tuple[str, str | None, str, str | None, str, int]]:
    return {
        (b.image, b.dockerfile, b.context, b.target, b.origin.path, b.origin.line)
        for b in provenance.builds
    }


# -- names -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reference", "normalized"),
    [
        ("ghcr.io/Org/App:v1.2", "ghcr.io/org/app"),
        ("ghcr.io/org/app@sha256:abcd", "ghcr.io/org/app"),
        ("nginx", "docker.io/library/nginx"),
        ("nginx:1.25-alpine", "docker.io/library/nginx"),
        ("bitnami/kafka:3.7", "docker.io/bitnami/kafka"),
        ("index.docker.io/library/redis:7", "docker.io/library/redis"),
        ("localhost:5000/app:dev", "localhost:5000/app"),
        ("registry.example.com:5000/team/api", "registry.example.com:5000/team/api"),
        ("ghcr.io/*/*:*", "ghcr.io/*/*"),
        ("*/app:*", "**/app"),
        ("**/api", "**/api"),
        # supavisor (blind 17f): `tags: ${{ ...image_tag }}_${{ matrix.arch }}` -- the unknown
        # head may be a registry and namespace, the literal rest ends the name; never `**`
        ("*_amd64", "**/*_amd64"),
        ("*-api", "**/*-api"),
        ("ko://example.com/app/cmd/api", "ko://example.com/app/cmd/api"),
    ],
)
def test_normalize_image(reference: str, normalized: str) -> None:
    assert normalize_image(reference) == normalized


@pytest.mark.parametrize("reference", ["", "  ", "*", "*:*", "*/*", "**"])
def test_names_with_nothing_literal_are_dropped(reference: str) -> None:
    assert normalize_image(reference) is None


@pytest.mark.parametrize(
    ("pattern", "name", "matches"),
    [
        ("ghcr.io/org/app", "ghcr.io/org/app", True),
        ("ghcr.io/org/app", "ghcr.io/org/app-cli", False),
        ("ghcr.io/*/*", "ghcr.io/org/app", True),
        ("ghcr.io/*/*", "ghcr.io/app", False),
        ("ghcr.io/*/*", "docker.io/org/app", False),
        ("ghcr.io/org/app-*", "ghcr.io/org/app-worker", True),
        ("**/api", "registry.gitlab.com/group/sub/api", True),
        ("**/api", "api", False),
        ("**", "x/y", True),
        ("**/*_amd64", "docker.io/library/postgres", False),
        ("**/*_amd64", "ghcr.io/org/app_amd64", True),
    ],
)
def test_image_matches(pattern: str, name: str, matches: bool) -> None:
    assert image_matches(pattern, name) is matches


def _build(image: str, dockerfile: str = "Dockerfile", line: int = 1) -> ImageBuild:
    return ImageBuild(image, dockerfile, ".", None, Location("ci.yml", line))


def _service(image: str) -> Service:
    return Service("svc", Location("compose.yaml"), image=image)


def test_resolve_image_prefers_exact_names_and_declines_disagreement() -> None:
    exact = _build("ghcr.io/org/app", "Dockerfile")
    pattern = _build("ghcr.io/*/*", "other/Dockerfile")
    assert resolve_image(_service("ghcr.io/org/app:v1"), [pattern, exact]) == exact
    assert resolve_image(_service("ghcr.io/org/tool:1"), [pattern, exact]) == pattern
    # the more literal pattern wins
    narrower = _build("ghcr.io/org/*", "narrow/Dockerfile")
    assert resolve_image(_service("ghcr.io/org/tool:1"), [pattern, narrower]) == narrower
    # two builds of the same name from different Dockerfiles: not decided
    twin = _build("ghcr.io/org/app", "Dockerfile.alt", line=9)
    assert resolve_image(_service("ghcr.io/org/app"), [exact, twin]) is None
    # the same build declared twice (workflow and Makefile) is one answer
    again = _build("ghcr.io/org/app", "Dockerfile", line=30)
    assert resolve_image(_service("ghcr.io/org/app"), [again, exact]) == exact
    assert resolve_image(_service("postgres:16"), [exact, pattern]) is None
    assert resolve_image(Service("x", Location("c.yaml")), [exact]) is None


@pytest.mark.parametrize(
    ("reference", "tag"),
    [
        ("acme/app", "latest"),
        ("acme/app:latest-alpine", "latest-alpine"),
        ("localhost:5000/app", "latest"),
        ("localhost:5000/app:1.2", "1.2"),
        ("acme/app:*", "*"),
        ("acme/app@sha256:abcd", None),
    ],
)
def test_image_tag(reference: str, tag: str | None) -> None:
    assert image_tag(reference) == tag


def _tagged(dockerfile: str, tag: str | None, line: int) -> ImageBuild:
    where = Location("ci.yml", line)
    return ImageBuild("docker.io/acme/app", dockerfile, ".", None, where, tag=tag)


def test_resolve_image_takes_the_build_that_gives_the_tag() -> None:
    slim = _tagged("docker/slim.Dockerfile", "stable", 1)
    musl = _tagged("docker/musl.Dockerfile", "stable-musl", 9)
    builds = [slim, musl]
    assert resolve_image(_service("acme/app:stable"), builds) == slim
    assert resolve_image(_service("acme/app:stable-musl"), builds) == musl
    # a tag no build gives (nor a digest): either build may have made it
    assert resolve_image(_service("acme/app:3.1"), builds) is None
    assert image_candidates(_service("acme/app:3.1"), builds) == (slim, musl)
    assert resolve_image(_service("acme/app@sha256:abcd"), builds) is None
    # no tag is `latest`, on both sides
    latest = _tagged("docker/slim.Dockerfile", "latest", 20)
    assert resolve_image(_service("acme/app"), [latest, musl]) == latest
    # a tag written with a variable may be any one; a literal one wins over it
    versioned = _tagged("docker/slim.Dockerfile", "v*", 30)
    assert resolve_image(_service("acme/app:v3.1"), [versioned, musl]) == versioned
    assert resolve_image(_service("acme/app:stable-musl"), [versioned, musl]) == musl
    # a builder that chooses its tags (Skaffold, ko) may have made any tag
    chosen = _tagged("docker/musl.Dockerfile", None, 40)
    assert resolve_image(_service("acme/app:v3.1"), [versioned, chosen]) is None


def test_resolve_base_matches_a_from_reference() -> None:
    slim = _tagged("docker/slim.Dockerfile", "stable", 1)
    musl = _tagged("docker/musl.Dockerfile", "stable-musl", 9)
    assert resolve_base("acme/app:stable", [slim, musl]) == slim
    # a tag no build gives is none of them (resolve_image would take every build of the name)
    assert resolve_base("acme/app:3.1", [slim]) is None
    assert resolve_image(_service("acme/app:3.1"), [slim]) == slim
    # an unknown tag (written `*`) is any build's; an unknown part of the name is no build's
    assert resolve_base("acme/app:*", [slim]) == slim
    assert resolve_base("acme/app:*", [slim, musl]) is None  # they disagree
    assert resolve_base("*/app:stable", [slim]) is None
    assert resolve_base("acme/app@sha256:abcd", [slim]) == slim
    assert resolve_base("python:3.12", [slim, musl]) is None


def test_a_build_named_with_variables_is_a_base_only_by_its_literal_name() -> None:
    where = Location(".gitlab-ci.yml", 3)
    anything = ImageBuild("**", "Dockerfile", ".", None, where, tag="latest")  # $CI_REGISTRY_IMAGE
    base = ImageBuild("**/base", "base/Dockerfile", "base", None, where, tag="latest")
    owner = ImageBuild("docker.io/*/base", "base/Dockerfile", "base", None, where, tag="latest")
    assert resolve_base("node", [anything]) is None
    assert resolve_base("acme/node", [anything]) is None
    assert resolve_base("registry.gitlab.com/acme/app/base", [anything, base]) == base
    assert resolve_base("acme/base:latest", [owner]) == owner
    assert resolve_base("base", [base, owner]) is None  # the official image `base`


# -- sources -----------------------------------------------------------------------------------


def test_github_workflows(project: Project) -> None:
    root = project(
        {
            ".github/workflows/images.yml": """
                name: images
                on: push
                env:
                  REGISTRY: ghcr.io
                  IMAGE_NAME: ${{ github.repository }}
                jobs:
                  services:
                    runs-on: ubuntu-latest
                    strategy:
                      matrix:
                        service: [api, worker]
                        include:
                          - service: api
                            target: runtime
                    steps:
                      - uses: actions/checkout@v4
                      - uses: docker/build-push-action@v6
                        with:
                          context: services/${{ matrix.service }}
                          file: services/${{ matrix.service }}/Dockerfile
                          target: ${{ matrix.target }}
                          tags: |
                            ${{ env.REGISTRY }}/acme/${{ matrix.service }}:latest
                  main:
                    runs-on: ubuntu-latest
                    steps:
                      - uses: docker/build-push-action@v6
                        with:
                          file: ./build/app.Dockerfile
                          tags: ${{ env.REGISTRY }}/${{ env.IMAGE_NAME }}:edge,acme/app:edge
                  script:
                    runs-on: ubuntu-latest
                    defaults:
                      run:
                        working-directory: tools
                    env:
                      IMAGE: registry.example.com/acme/cli
                    steps:
                      - name: build
                        run: |
                          echo building
                          docker buildx build --platform linux/amd64 \\
                            -t "$IMAGE:${GITHUB_SHA}" -f cli/Dockerfile --push .
                          docker build -t ignored:1 "$UNKNOWN_DIR"
            """,
        }
    )
    got = table(builds_of(root))
    wf = ".github/workflows/images.yml"
    assert got == {
        ("ghcr.io/acme/api", "services/api/Dockerfile", "services/api", "runtime", wf, 17),
        ("ghcr.io/acme/worker", "services/worker/Dockerfile", "services/worker", None, wf, 17),
        ("ghcr.io/*/*", "build/app.Dockerfile", ".", None, wf, 27),
        ("docker.io/acme/app", "build/app.Dockerfile", ".", None, wf, 27),
        ("registry.example.com/acme/cli", "tools/cli/Dockerfile", "tools", None, wf, 42),
    }


def test_github_build_push_by_digest_names_the_image_in_outputs(project: Project) -> None:
    # Docker's multi-platform recipe: no `tags:`, the image is named by the exporter
    root = project(
        {
            ".github/workflows/canary.yml": """
                on: push
                jobs:
                  build:
                    runs-on: ubuntu-latest
                    steps:
                      - uses: docker/build-push-action@v6
                        with:
                          context: .
                          file: ./scripts/Dockerfile
                          outputs: type=image,name=acme/notes,push-by-digest=true,push=true
                      - uses: docker/build-push-action@v6
                        with:
                          context: .
                          file: ./scripts/other.Dockerfile
                          outputs: type=local,dest=out
            """,
        }
    )
    wf = ".github/workflows/canary.yml"
    assert table(builds_of(root)) == {
        ("docker.io/acme/notes", "scripts/Dockerfile", ".", None, wf, 6),
    }


def test_github_step_outputs_written_by_a_run_step_name_the_image(project: Project) -> None:
    # aks-store-demo's shape: a `run:` step writes the registry and image name to
    # $GITHUB_OUTPUT, the build's tags use them; a computed part is any number of segments
    root = project(
        {
            ".github/workflows/api.yml": """
                on: push
                jobs:
                  build:
                    runs-on: ubuntu-latest
                    steps:
                      - id: vars
                        env: {R: "${{ github.repository }}"}
                        run: |
                          echo "REPO=ghcr.io/$(tr A-Z a-z <<< $R)" >> "$GITHUB_OUTPUT"
                          echo "IMG=ai-service" >> $GITHUB_OUTPUT
                          echo "::set-output name=OLD::legacy-api"
                          echo "NOT_AN_OUTPUT=x"
                      - uses: docker/build-push-action@v6
                        with:
                          context: src/ai
                          tags: |
                            ${{ steps.vars.outputs.REPO }}/${{ steps.vars.outputs.IMG }}:latest
                            acme/${{ steps.vars.outputs.OLD }}:1
                            acme/${{ steps.vars.outputs.NOT_AN_OUTPUT }}:1
            """,
        }
    )
    wf = ".github/workflows/api.yml"
    assert table(builds_of(root)) == {
        ("ghcr.io/**/ai-service", "src/ai/Dockerfile", "src/ai", None, wf, 13),
        ("docker.io/acme/legacy-api", "src/ai/Dockerfile", "src/ai", None, wf, 13),
        ("docker.io/acme/*", "src/ai/Dockerfile", "src/ai", None, wf, 13),
    }
    assert image_matches("ghcr.io/**/ai-service", "ghcr.io/azure-samples/store/ai-service")


def test_gitlab_ci_docker_and_kaniko(project: Project) -> None:
    root = project(
        {
            ".gitlab-ci.yml": """
                variables:
                  API_DIR: services/api
                build-api:
                  image: docker:24
                  script:
                    - docker build -t $CI_REGISTRY_IMAGE/api:$TAG -f $API_DIR/Dockerfile $API_DIR
                    - docker push $CI_REGISTRY_IMAGE/api:$CI_COMMIT_SHA
                build-worker:
                  variables:
                    DEST: registry.example.com/team/worker
                  script:
                    - >-
                      /kaniko/executor --context $CI_PROJECT_DIR/worker
                      --dockerfile $CI_PROJECT_DIR/worker/Dockerfile --target prod
                      --destination ${DEST}:latest
            """,
        }
    )
    assert table(builds_of(root)) == {
        ("**/api", "services/api/Dockerfile", "services/api", None, ".gitlab-ci.yml", 6),
        (
            "registry.example.com/team/worker",
            "worker/Dockerfile",
            "worker",
            "prod",
            ".gitlab-ci.yml",
            13,
        ),
    }


def test_makefiles(project: Project) -> None:
    root = project(
        {
            "Makefile": (
                "REGISTRY ?= ghcr.io/acme\n"
                "IMAGE := $(REGISTRY)/shop\n"
                "VERSION = $(shell git describe)\n"
                "\n"
                ".PHONY: image\n"
                "image: ## build the image\n"
                "\t@echo $(IMAGE)\n"
                "\tdocker build \\\n"
                "\t  -t $(IMAGE):$(VERSION) -f build/Dockerfile .\n"
                "\n"
                "other:\n"
                "\tcd deploy && docker build -t $(REGISTRY)/deploy .\n"
            ),
            "tools/Makefile": "all:\n\tdocker build -t acme/tool:dev .\nNOT_A_RECIPE = 1\n",
        }
    )
    assert table(builds_of(root)) == {
        ("ghcr.io/acme/shop", "build/Dockerfile", ".", None, "Makefile", 8),
        ("ghcr.io/acme/deploy", "deploy/Dockerfile", "deploy", None, "Makefile", 12),
        ("docker.io/acme/tool", "tools/Dockerfile", "tools", None, "tools/Makefile", 2),
    }


def test_a_makefile_macro_called_in_a_recipe(project: Project) -> None:
    """`$(call NAME,args)` of a `define` block: each line of its body is a command, `cd` of
    one line does not carry into the next (each runs in its own shell)."""
    root = project(
        {
            "Makefile": (
                "define build_image\n"
                "\t@echo building $(1)\n"
                "\tcd $(2) && docker build -t acme/$(1):dev .\n"
                "\tdocker build -t acme/$(1)-root:dev .\n"
                "endef\n"
                "images:\n"
                "\t$(call build_image,api,services/api)\n"
                "\t$(call unknown_macro,worker)\n"
            ),
        }
    )
    assert table(builds_of(root)) == {
        ("docker.io/acme/api", "services/api/Dockerfile", "services/api", None, "Makefile", 7),
        ("docker.io/acme/api-root", "Dockerfile", ".", None, "Makefile", 7),
    }


def test_a_make_variable_that_picks_the_dockerfile_and_the_tag(project: Project) -> None:
    """`-f Dockerfile.$(N) -t repo:$(N)` with `N ?= 0` (devops-directive's course, blind set
    14c): make's command line sets N, so each Dockerfile.N is the build of the tag N, and of
    no other; an image of a tag no Dockerfile gives is not built here."""
    root = project(
        {
            "images/Makefile": (
                "APP_PATH := ../app/\nREPO := acme/api-node\nN ?= 0\n"
                "build-N:\n\tdocker build --file ./Dockerfile.${N} -t ${REPO}:${N} ${APP_PATH}\n"
                "build-all:\n\tfor n in 0 1; do N=$$n $(MAKE) build-N; done\n"
            ),
            "images/Dockerfile.0": "FROM node:22\nCOPY . .\nCMD node index.js\n",
            "images/Dockerfile.1": "FROM node:22\nCOPY ./src/ .\nCMD node index.js\n",
            "images/Dockerfile.3": "FROM node:22\nCOPY ./src/ .\nCMD node index.js\n",
            "app/src/index.js": "console.log(process.env.PORT);\n",
            "compose.yaml": """
                services:
                  three: {image: "acme/api-node:3"}
                  zero: {image: "acme/api-node:0"}
                  nine: {image: "acme/api-node:9"}
            """,
        }
    )
    found = builds_of(root)
    assert {(b.dockerfile, b.tag, b.exact_tag) for b in found.builds} == {
        ("images/Dockerfile.0", "0", True),
        ("images/Dockerfile.1", "1", True),
        ("images/Dockerfile.3", "3", True),
    }
    got = programs(root)
    assert got["three"] == ("javascript", "js-entry", "app/src/index.js")
    assert got["zero"] is None  # Dockerfile.0 copies the context: no index.js at its root
    assert "found no build of its image" in entrypoints(root)["nine"].note


def test_options_written_with_a_variable_before_the_context(project: Project) -> None:
    """`docker build` takes one argument: unknown words before a known last one are options
    (openwisp's `make base-build`); an unknown last word may be the context: no build."""
    root = project(
        {
            "Makefile": (
                "base-build:\n"
                '\tfor a in $$(cat .build.env); do BUILD_ARGS+=" --build-arg $$a"; done; \\\n'
                "\tdocker build --tag acme/base:edge --file ./images/base/Dockerfile "
                "$$BUILD_ARGS ./images/; \\\n"
                "\tdocker build --tag acme/py:edge --target py ./images/ $$BUILD_ARGS\n"
            ),
        }
    )
    assert table(builds_of(root)) == {
        ("docker.io/acme/base", "images/base/Dockerfile", "images", None, "Makefile", 2),
    }


def test_goreleaser_skaffold_and_ko(project: Project) -> None:
    root = project(
        {
            "go.mod": "module example.com/shop\n",
            "cmd/shop/main.go": "package main\n",
            "cmd/api/main.go": "package main\n",
            ".goreleaser.yaml": """
                project_name: shop
                builds:
                  - id: shop
                    main: ./cmd/shop
                    binary: shop
                dockers:
                  - image_templates:
                      - "ghcr.io/acme/{{ .ProjectName }}:{{ .Version }}-amd64"
                    dockerfile: build/release.Dockerfile
                kos:
                  - build: shop
                    repository: ghcr.io/acme/shop-ko
                    bare: true
            """,
            "deploy/skaffold.yaml": """
                apiVersion: skaffold/v4beta6
                kind: Config
                build:
                  artifacts:
                    - image: acme/web
                      context: ../web
                      docker:
                        dockerfile: docker/Dockerfile
                        target: prod
                    - image: acme/api
                      context: ..
                      ko:
                        main: ./cmd/api
                profiles:
                  - name: dev
                    build:
                      artifacts:
                        - image: acme/web-dev
                          context: ../web
                ---
                apiVersion: skaffold/v4beta6
                kind: Config
                build:
                  artifacts:
                    - image: acme/second
            """,
            "web/docker/Dockerfile": "FROM node:20\n",
            "compose.yaml": "services:\n  api:\n    image: ko://example.com/shop/cmd/api\n",
        }
    )
    provenance = builds_of(root)
    got = {
        (b.image, b.dockerfile, b.context, b.target, b.program and b.program.target)
        for b in provenance.builds
    }
    assert got == {
        ("ghcr.io/acme/shop", "build/release.Dockerfile", ".", None, "cmd/shop"),
        ("ghcr.io/acme/shop-ko", None, ".", None, "cmd/shop"),
        ("docker.io/acme/web", "web/docker/Dockerfile", "web", "prod", None),
        ("docker.io/acme/api", None, ".", None, "cmd/api"),
        ("docker.io/acme/web-dev", "web/Dockerfile", "web", None, None),
        ("docker.io/acme/second", "deploy/Dockerfile", "deploy", None, None),
        ("ko://example.com/shop/cmd/api", None, ".", None, "cmd/api"),
    }
    assert programs(root) == {"api": ("go", "go-package", "cmd/api")}


def test_unreadable_ci_files_are_notes_not_tracebacks(project: Project) -> None:
    root = project(
        {
            ".github/workflows/broken.yml": "jobs: [unclosed\n",
            ".gitlab-ci.yml": "a: 1\na: 2\n",
            "skaffold.yaml": b"\xff\xfe\x00binary",
        }
    )
    provenance = builds_of(root)
    assert provenance.builds == ()
    assert sorted(p.location.path for p in provenance.problems) == [
        ".github/workflows/broken.yml",
        ".gitlab-ci.yml",
        "skaffold.yaml",
    ]


def test_compose_builds_name_images_for_other_services(project: Project) -> None:
    root = project(
        {
            "compose.yaml": """
                services:
                  api:
                    build: {context: ., dockerfile: docker/api.Dockerfile}
                    image: acme/api:dev
                  api-migrate:
                    image: acme/api:dev
                    command: ["python", "-m", "api.migrate"]
            """,
            "docker/api.Dockerfile": "FROM python:3.12\nWORKDIR /app\nCOPY . .\n",
            "api/__init__.py": "",
            "api/migrate.py": "",
        }
    )
    assert table(builds_of(root)) == {
        ("docker.io/acme/api", "docker/api.Dockerfile", ".", None, "compose.yaml", 2)
    }
    assert programs(root)["api-migrate"] == ("python", "python-module", "api/migrate.py")


def test_an_image_built_by_a_makefile_runs_that_dockerfile_with_its_own_command(
    project: Project,
) -> None:
    root = project(
        {
            "Makefile": (
                "image:\n"
                "\tdocker build -t registry.example.com/acme/jobs -f ops/jobs.Dockerfile .\n"
            ),
            "ops/jobs.Dockerfile": (
                'FROM python:3.12\nWORKDIR /srv\nCOPY jobs/ ./jobs/\nCMD ["python", "-m", "jobs"]\n'
            ),
            "jobs/__init__.py": "",
            "jobs/__main__.py": "",
            "jobs/nightly.py": "",
            "compose.yaml": """
                services:
                  jobs: {image: "registry.example.com/acme/jobs:latest"}
                  nightly:
                    image: registry.example.com/acme/jobs
                    command: python jobs/nightly.py
            """,
        }
    )
    assert programs(root) == {
        "jobs": ("python", "python-module", "jobs"),
        "nightly": ("python", "python-file", "jobs/nightly.py"),
    }


# -- one image, several Dockerfiles (blind eval repro 7) ---------------------------------------

TWO_FLAVOURS = {
    ".github/workflows/images.yml": """
        on: push
        jobs:
          publish:
            runs-on: ubuntu-latest
            steps:
              - uses: docker/build-push-action@v6
                with:
                  file: build/slim.Dockerfile
                  tags: |
                    acme/notes:stable
                    acme/notes:sha-${{ github.sha }}
              - uses: docker/build-push-action@v6
                with:
                  file: build/musl.Dockerfile
                  tags: acme/notes:stable-musl
    """,
    "build/slim.Dockerfile": 'FROM python:3.12-slim\nCOPY . /srv\nCMD ["python", "/srv/serve.py"]',
    "build/musl.Dockerfile": 'FROM python:3.12-alpine\nCOPY . /s\nCMD ["python", "/s/serve.py"]',
    "serve.py": 'import os\n\nTOKEN = os.environ["NOTES_TOKEN"]\n',
    "cron.py": "import os\n",
}


def _compose(image: str) -> dict[str, str]:
    return {**TWO_FLAVOURS, "compose.yaml": f"services:\n  notes:\n    image: {image}\n"}


@pytest.mark.parametrize(
    "image", ["acme/notes:stable", "acme/notes:stable-musl", "acme/notes:sha-4f2a9c1"]
)
def test_the_build_that_gives_the_tag_is_the_image(project: Project, image: str) -> None:
    root = project(_compose(image))
    entry = entrypoints(root)["notes"]
    assert entry.program is not None and entry.program.target == "serve.py"
    dockerfile = "musl" if image.endswith("musl") else "slim"
    assert f"build/{dockerfile}.Dockerfile" in entry.program.how
    (finding,) = [f for f in run_lint(root, cache=False).findings if f.code == "ENV201"]
    assert finding.variable == "NOTES_TOKEN"


def test_an_unknown_tag_of_builds_that_run_the_same_program_is_that_program(
    project: Project,
) -> None:
    root = project(_compose("acme/notes:2.4"))
    entry = entrypoints(root)["notes"]
    assert entry.program is not None and entry.program.target == "serve.py"
    assert (
        "the image acme/notes:2.4 is built in this repository from one of 2 Dockerfiles "
        "(build/slim.Dockerfile, build/musl.Dockerfile); envlint cannot tell which, and each "
        "runs this program"
    ) in entry.program.how
    codes = [(f.code, f.variable) for f in run_lint(root, cache=False).findings]
    assert codes == [("ENV201", "NOTES_TOKEN")]


def test_an_unknown_tag_of_builds_that_run_different_programs_says_so(project: Project) -> None:
    files = _compose("acme/notes:2.4")
    files["build/musl.Dockerfile"] = files["build/musl.Dockerfile"].replace("/serve.py", "/cron.py")
    root = project(files)
    entry = entrypoints(root)["notes"]
    assert entry.program is None
    assert entry.note == (
        "Service notes: its image acme/notes:2.4 may come from 2 builds in this repository and "
        "envlint cannot tell which; they differ (build/slim.Dockerfile: runs serve.py; "
        "build/musl.Dockerfile: runs cron.py)."
    )
    # never "not built", never a guess: ENV205 says why none of its code is read (the shared
    # context holds every Dockerfile's code, cron.py's as well as serve.py's)
    findings = run_lint(root, cache=False).findings
    (unknown,) = [f for f in findings if f.code == "ENV205"]
    assert "may come from 2 builds" in unknown.message
    assert "envlint checks none of its code" in unknown.message
    assert not [f for f in findings if f.code == "ENV201"]
