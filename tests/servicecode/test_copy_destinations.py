"""Which container paths a COPY writes, as Docker lays them down (blind evaluation 15e, shape 2:
openlibrary's ``COPY --from=ghcr.io/astral-sh/uv:latest /uv /uvx /bin/`` was said to be where
nginx, make and cron in /bin come from).  Several sources go into the destination directory
under their own names; one source into a destination without ``/`` takes its name; a source
directory's contents are copied; a wildcard matches what exists; ``--parents`` keeps paths.  A
path a COPY writes only if a ``--from`` source is a directory that holds it (or a wildcard of
another image matches it) is not attributed to that COPY."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from envlint.compose.dockerfile import parse_dockerfile
from envlint.servicecode.entry_image import ImageView
from envlint.servicecode.repofiles import RepoFiles

from ._helpers import entrypoints

Project = Callable[[Mapping[str, str | bytes]], Path]

_UV = "COPY --from=ghcr.io/astral-sh/uv:latest /uv /uvx /bin/\n"


def _services(dockerfiles: Mapping[str, str], commands: Mapping[str, str]) -> dict[str, str]:
    """A compose file with one service per (dockerfile, command), a Python app copied in."""
    lines = ["services:"]
    for name, command in commands.items():
        lines.append(f"  {name}:")
        lines.append(f"    build: {{context: ., dockerfile: {name}.Dockerfile}}")
        lines.append(f"    command: {command}")
    files = {"compose.yaml": "\n".join(lines) + "\n", "app/main.py": "import os\n"}
    files.update({f"{name}.Dockerfile": text for name, text in dockerfiles.items()})
    return files


def _view(root: Path) -> ImageView:
    dockerfile = parse_dockerfile((root / "Dockerfile").read_text(), "Dockerfile")
    return ImageView(RepoFiles(root), dockerfile, ".")


def test_several_sources_of_another_image_write_only_their_names(project: Project) -> None:
    base = "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y nginx make\n"
    dockerfiles = {
        "nginx": base + _UV + "COPY app /app\n",
        "make": base + _UV + "COPY app /app\n",
        "uv": base + _UV + "COPY app /app\n",
        "uvx": base + _UV + "COPY app /app\n",
    }
    commands = {
        "nginx": "nginx -g 'daemon off;'",
        "make": "make serve",
        "uv": "uv run app/main.py",
        "uvx": "/bin/uvx ruff",
    }
    notes = {k: e.note for k, e in entrypoints(project(_services(dockerfiles, commands))).items()}
    assert "`nginx` is not built or copied from this repository" in notes["nginx"]
    assert "`make` is not built or copied from this repository" in notes["make"]
    assert "copied from the image" not in notes["nginx"] + notes["make"]
    # what the copy really writes: /bin/uv and /bin/uvx
    assert "uv is copied from the image ghcr.io/astral-sh/uv:latest" in notes["uv"]
    assert "/bin/uvx is copied from the image ghcr.io/astral-sh/uv:latest" in notes["uvx"]


def test_one_source_takes_the_destination_name(project: Project) -> None:
    base = "FROM alpine:3.20\nRUN apk add curl\nCOPY app /app\n"
    renamed = base + "COPY --from=ghcr.io/org/tool:1 /tool /usr/local/bin/mytool\n"
    into = base + "COPY --from=ghcr.io/org/tool:1 /tool /usr/local/bin/\n"
    dockerfiles = {"renamed": renamed, "oldname": renamed, "into": into, "other": into}
    commands = {
        "renamed": "mytool --serve",
        "oldname": "tool --serve",
        "into": "tool --serve",
        "other": "curl example.org",
    }
    notes = {k: e.note for k, e in entrypoints(project(_services(dockerfiles, commands))).items()}
    assert "mytool is copied from the image ghcr.io/org/tool:1" in notes["renamed"]
    assert "`tool` is not built or copied from this repository" in notes["oldname"]
    assert "tool is copied from the image ghcr.io/org/tool:1" in notes["into"]
    # /usr/local/bin/curl would be written only if the image's /tool were a directory
    assert "`curl` is not built or copied from this repository" in notes["other"]


def test_a_wildcard_of_another_image_is_not_said_to_write_a_program(project: Project) -> None:
    dockerfiles = {
        "glob": (
            "FROM debian:12\nRUN apt-get update && apt-get install -y nginx\n"
            "COPY --from=ghcr.io/org/tools:1 /dist/* /usr/local/bin/\nCOPY app /app\n"
        )
    }
    notes = {
        k: e.note
        for k, e in entrypoints(project(_services(dockerfiles, {"glob": "nginx"}))).items()
    }
    assert "`nginx` is not built or copied from this repository" in notes["glob"]


def test_a_stage_directory_copy_is_sure_only_when_known_to_be_one(project: Project) -> None:
    stage = (
        "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN make all\n"
        "FROM debian:12\nRUN apt-get update && apt-get install -y nginx\n"
    )
    dockerfiles = {
        # /usr/local holds the executable directories: a directory in every image
        "dir": stage + "COPY --from=build /usr/local /usr/local\n",
        # two files (or directories: the text does not say) into /usr/local/bin
        "files": stage + "COPY --from=build /out/server /out/worker /usr/local/bin/\n",
        "named": stage + "COPY --from=build /out/server /out/worker /usr/local/bin/\n",
    }
    # the build stage's WORKDIR /src is a directory: its files land in /usr/local/bin
    dockerfiles["workdir"] = stage + "COPY --from=build /src /usr/local/bin/\n"
    # a directory the build stage's RUN makes (wakapi: `mkdir ./data ./app`, `cp ... app/`)
    dockerfiles["made"] = stage.replace(
        "RUN make all\n", "RUN make all && cd /stage && mkdir -p ./app && cp server app/\n"
    ) + ("COPY --from=build /stage/app /app\n")
    commands = {
        "dir": "server",
        "files": "nginx",
        "named": "worker",
        "workdir": "tool",
        "made": "/app/server",
    }
    notes = {k: e.note for k, e in entrypoints(project(_services(dockerfiles, commands))).items()}
    assert (
        "server is copied from the stage build (dir.Dockerfile:7), where a RUN may build it"
        in notes["dir"]
    )
    assert (
        "nginx may be copied from the stage build (files.Dockerfile:7) if the files that COPY "
        "names hold it, where a RUN may build it"
    ) in notes["files"]
    assert "tool is copied from tool, which the repository does not hold" in notes["workdir"]
    assert "/app/server is copied from the stage build (made.Dockerfile:7)" in notes["made"]
    named = notes["named"]
    assert "worker is copied from the stage build (named.Dockerfile:7), where a RUN" in named


def test_a_repository_directory_source_copies_its_contents(project: Project) -> None:
    root = project(
        {
            "Dockerfile": (
                "FROM python:3.12\nWORKDIR /srv\nCOPY bin /usr/local/bin\n"
                "COPY app/main.py /srv/run.py\nCOPY --parents app/./lib/util.py /opt/\n"
            ),
            "bin/serve": "#!/bin/sh\nexec python /srv/run.py\n",
            "app/main.py": "import os\n",
            "app/lib/util.py": "import os\n",
        }
    )
    view = _view(root)
    assert view.repo_file("/usr/local/bin/serve") is not None
    assert view.repo_file("/usr/local/bin/bin") is None
    found = view.repo_file("/srv/run.py")
    assert found is not None and found[0] == "app/main.py"
    assert view.repo_file("/srv/main.py") is None
    # --parents keeps the path after the /./ pivot
    kept = view.repo_file("/opt/lib/util.py")
    assert kept is not None and kept[0] == "app/lib/util.py"
    assert view.repo_file("/opt/util.py") is None


def test_parents_keeps_whole_paths_and_wildcard_matches(project: Project) -> None:
    root = project(
        {
            "Dockerfile": (
                "FROM node:22\nCOPY --parents packages/*/package.json /app/\n"
                "COPY --parents=false conf/a.env /etc/\n"
            ),
            "packages/web/package.json": "{}\n",
            "conf/a.env": "A=1\n",
        }
    )
    view = _view(root)
    found = view.repo_file("/app/packages/web/package.json")
    assert found is not None and found[0] == "packages/web/package.json"
    assert view.repo_file("/app/package.json") is None
    env = view.repo_file("/etc/a.env")
    assert env is not None and env[0] == "conf/a.env"
