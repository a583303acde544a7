"""A Dockerfile built FROM a base image this repository builds (blind evaluation 10b, shape 2,
openwisp): the base's Dockerfile is the stage's parent, so the code it COPYs is the service's,
its ENV defaults are the service's image ENV, and its CMD is the service's command."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from envlint.compose import load_workspace
from envlint.config import Settings
from envlint.servicecode.image_env import with_built_image_env
from envlint.servicecode.provenance import ImageBuilds
from tests.conftest import run_lint, write_tree

from ._helpers import entrypoints

_MAKEFILE = """
base-build:
\tdocker build --tag acme/base:edge --file ./images/base/Dockerfile ./images/

compose-build: base-build
\tdocker compose build
"""

_COMPOSE = """
services:
  dashboard:
    image: acme/dashboard:edge
    build:
      context: images
      dockerfile: dashboard/Dockerfile
"""

_BASE = """
FROM python:3.12-slim
COPY ./common/ /opt/app/
WORKDIR /opt/app
ENV EMAIL_TIMEOUT=10
"""

_DASHBOARD = """
ARG VERSION=edge
FROM acme/base:${VERSION}
WORKDIR /opt/app/
COPY ./dashboard/urls.py /opt/app/app/
CMD ["bash", "init_command.sh"]
"""

_MAIN = """
import os

EMAIL_TIMEOUT = int(os.environ["EMAIL_TIMEOUT"])
SECRET = os.environ["APP_SECRET"]
"""


def _project(**changes: str) -> dict[str, str]:
    """The shape-2 project: the service's code lies only below the base image's COPY."""
    files = {
        "Makefile": _MAKEFILE,
        "docker-compose.yml": _COMPOSE,
        "images/base/Dockerfile": _BASE,
        "images/dashboard/Dockerfile": _DASHBOARD,
        "images/dashboard/urls.py": "urlpatterns = []\n",
        "images/common/init_command.sh": "#!/bin/sh\nset -e\nexec python app/main.py\n",
        "images/common/app/main.py": _MAIN,
    }
    files.update(changes)
    return {k: v for k, v in files.items() if v}


def _codes(root: Path) -> set[tuple[str, str | None, str]]:
    return {
        (f.code, f.service, f.message.split(" (read at")[0])
        for f in run_lint(root, cache=False).findings
        if f.code in ("ENV201", "ENV205")
    }


def _image_env(root: Path, service: str) -> Mapping[str, tuple[str, str]]:
    ws = load_workspace(root, Settings(cache=False))
    ws = with_built_image_env(ws, ImageBuilds(ws))
    found = next(s for _, s in ws.services() if s.name == service)
    return {
        name: (value.value, f"{value.origin.path}:{value.origin.line}" if value.origin else "")
        for name, value in found.image_env.items()
    }


_LINKED = {
    ("ENV201", "dashboard", "service dashboard crashes at start without APP_SECRET"),
}
_UNLINKED = {
    (
        "ENV205",
        "dashboard",
        "envlint could not find the program service dashboard runs: Service dashboard: the "
        "shell script init_command.sh is not found in the repository; envlint checks every "
        "file below images/dashboard as its code instead (set [tool.envlint.services."
        "dashboard] source to the program's entry file, package or project)",
    )
}


def test_the_code_a_base_image_built_by_a_makefile_copies_is_the_services(
    tmp_path: Path,
) -> None:
    root = write_tree(tmp_path, _project())
    # ENV201 checks images/common (APP_SECRET), the base's ENV gives EMAIL_TIMEOUT, and no
    # ENV205 says the script is not in the repository
    assert _codes(root) == _LINKED
    entry = entrypoints(root)["dashboard"]
    assert entry.program is not None and entry.program.target == "images/common/app/main.py"
    assert entry.program.how.startswith(
        "images/dashboard/Dockerfile:2 is built FROM acme/base:edge, which this repository "
        "builds from images/base/Dockerfile (Makefile:2); the script "
        "images/common/init_command.sh execs"
    )
    assert "(via images/base/Dockerfile:2)" in entry.program.how
    assert _image_env(root, "dashboard") == {"EMAIL_TIMEOUT": ("10", "images/base/Dockerfile:4")}


def test_without_the_base_build_the_from_is_an_external_image(tmp_path: Path) -> None:
    root = write_tree(tmp_path, _project(Makefile="all:\n\tdocker compose build\n"))
    assert _codes(root) == _UNLINKED
    assert _image_env(root, "dashboard") == {}


def test_a_base_built_by_a_compose_service(tmp_path: Path) -> None:
    compose = _COMPOSE + (
        "  base:\n    image: acme/base:edge\n    build: {context: images, dockerfile: "
        "base/Dockerfile}\n    command: ['true']\n"
    )
    root = write_tree(tmp_path, _project(Makefile="", **{"docker-compose.yml": compose}))
    assert {c for c in _codes(root) if c[1] == "dashboard"} == _LINKED
    assert _image_env(root, "dashboard") == {"EMAIL_TIMEOUT": ("10", "images/base/Dockerfile:4")}


_WORKFLOW = """
on: push
jobs:
  base:
    runs-on: ubuntu-latest
    steps:
      - uses: docker/build-push-action@v6
        with:
          context: images
          file: images/base/Dockerfile
          tags: ghcr.io/${{ github.repository_owner }}/base:latest
"""


def test_a_base_built_by_a_github_workflow(tmp_path: Path) -> None:
    dashboard = _DASHBOARD.replace("acme/base:${VERSION}", "ghcr.io/acme/base:latest")
    files = _project(Makefile="", **{"images/dashboard/Dockerfile": dashboard})
    root = write_tree(tmp_path, {**files, ".github/workflows/base.yml": _WORKFLOW})
    assert _codes(root) == _LINKED


def test_the_base_image_env_is_below_the_services_own_and_compose(tmp_path: Path) -> None:
    dashboard = _DASHBOARD + "ENV EMAIL_TIMEOUT=30 APP_SECRET=dev\n"
    root = write_tree(tmp_path, _project(**{"images/dashboard/Dockerfile": dashboard}))
    assert _codes(root) == set()
    assert _image_env(root, "dashboard") == {
        "EMAIL_TIMEOUT": ("30", "images/dashboard/Dockerfile:6"),
        "APP_SECRET": ("dev", "images/dashboard/Dockerfile:6"),
    }
    # an unset pass-through erases the base's default, as it does the image's own
    compose = _COMPOSE + "    environment: [EMAIL_TIMEOUT]\n"
    root = write_tree(tmp_path / "erased", _project(**{"docker-compose.yml": compose}))
    assert ("ENV201", "dashboard", "service dashboard crashes at start without EMAIL_TIMEOUT") in {
        (code, service, message.split(",")[0]) for code, service, message in _codes(root)
    }
    assert "EMAIL_TIMEOUT" not in _image_env(root, "dashboard")


def test_a_pulled_image_built_from_a_base_gets_the_base_env(tmp_path: Path) -> None:
    compose = "services:\n  worker:\n    image: acme/dashboard:edge\n"
    makefile = _MAKEFILE + (
        "dashboard:\n\tdocker build -t acme/dashboard:edge -f images/dashboard/Dockerfile images\n"
    )
    root = write_tree(tmp_path, _project(Makefile=makefile, **{"docker-compose.yml": compose}))
    assert _image_env(root, "worker") == {"EMAIL_TIMEOUT": ("10", "images/base/Dockerfile:4")}
    assert _codes(root) == {
        ("ENV201", "worker", "service worker crashes at start without APP_SECRET")
    }


@pytest.mark.parametrize(
    ("base_from", "dashboard_from"),
    [
        ("FROM python:3.12-slim", "FROM python:3.12"),  # no base image built here
        ("FROM acme/dashboard:edge", "FROM acme/base:edge"),  # A FROM B FROM A
        ("FROM python:3.12-slim", "FROM acme/dashboard:edge"),  # an image built FROM itself
    ],
)
def test_external_images_and_cycles(tmp_path: Path, base_from: str, dashboard_from: str) -> None:
    base = _BASE.replace("FROM python:3.12-slim", base_from)
    dashboard = _DASHBOARD.replace("FROM acme/base:${VERSION}", dashboard_from)
    files = _project(**{"images/base/Dockerfile": base, "images/dashboard/Dockerfile": dashboard})
    root = write_tree(tmp_path, files)
    linked = dashboard_from == "FROM acme/base:edge"
    assert _codes(root) == (_LINKED if linked else _UNLINKED)


def test_base_images_are_followed_four_deep(tmp_path: Path) -> None:
    """FROM l1 FROM l2 FROM l3 FROM l4 FROM l5: four links are followed, the fifth is not."""
    files = _project()
    recipes = []
    for level in range(1, 6):
        above = "python:3.12-slim" if level == 5 else f"acme/l{level + 1}"
        files[f"images/l{level}/Dockerfile"] = f"FROM {above}\nENV L{level}=1\n"
        recipes.append(f"l{level}:\n\tdocker build -t acme/l{level} images/l{level}\n")
    files["Makefile"] = "".join(recipes)
    files["docker-compose.yml"] = (
        "services:\n  app:\n    build: {context: images/app}\n    command: ['true']\n"
    )
    files["images/app/Dockerfile"] = "FROM acme/l1\n"
    root = write_tree(tmp_path, files)
    assert set(_image_env(root, "app")) == {"L1", "L2", "L3", "L4"}


def test_an_ambiguous_or_differently_tagged_base_is_not_linked(tmp_path: Path) -> None:
    twice = _MAKEFILE + (
        "slim:\n\tdocker build --tag acme/base:edge --file ./images/base/slim.Dockerfile "
        "./images/\n"
    )
    slim = "FROM python:3.12-slim\nENV EMAIL_TIMEOUT=10\n"
    root = write_tree(
        tmp_path / "twice",
        _project(Makefile=twice, **{"images/base/slim.Dockerfile": slim}),
    )
    assert _codes(root) == _UNLINKED
    assert _image_env(root, "dashboard") == {}
    # openwisp: the Makefile tags the `system` stage intermedia-system; FROM ...:edge is not it
    other = _MAKEFILE.replace("acme/base:edge", "acme/base:intermedia").replace(
        "./images/base/Dockerfile", "./images/base/Dockerfile --target system"
    )
    root = write_tree(tmp_path / "tagged", _project(Makefile=other))
    assert _codes(root) == _UNLINKED


def test_only_the_target_stages_chain_inherits(tmp_path: Path) -> None:
    """A stage FROM the base that the image does not build FROM gives the image nothing."""
    dashboard = _DASHBOARD.replace("ARG VERSION=edge\n", "").replace(
        "FROM acme/base:${VERSION}", "FROM acme/base:edge AS tools\nFROM python:3.12-slim"
    )
    root = write_tree(tmp_path, _project(**{"images/dashboard/Dockerfile": dashboard}))
    assert _image_env(root, "dashboard") == {}
    assert _codes(root) == _UNLINKED


def test_the_service_code_reads_the_dockerfile_parse_the_loader_made(tmp_path: Path) -> None:
    from envlint.compose.dockerfile import parsed_dockerfile
    from envlint.servicecode.base_images import BaseImages, build_args
    from envlint.servicecode.repofiles import RepoFiles

    dockerfile = "FROM python:3.12\nARG DEBUG\nENV D=$DEBUG\n"
    compose = "services:\n  s:\n    build: {context: ., args: {DEBUG: true}}\n"
    root = write_tree(tmp_path, {"compose.yaml": compose, "Dockerfile": dockerfile})
    ((_, service),) = load_workspace(root, Settings(cache=False)).services()
    args = build_args(service.raw["build"])
    assert args == {"DEBUG": "true"}  # the string Compose passes, not Python's True
    repo = RepoFiles(root)
    parsed = BaseImages(repo, ()).parse(dockerfile, "Dockerfile", args)
    assert parsed is parsed_dockerfile(dockerfile, "Dockerfile", {"DEBUG": "true"})
    assert [(e.name, e.value) for e in parsed.effective_env()] == [("D", "true")]
    assert service.image_env["D"].origin == parsed.effective_env()[0].location
