"""Example files as the documented environment (issue #16).

Most application repositories commit ``.env.example`` and git-ignore ``.env``.  When a
project's ``.env`` (or a service's ``env_file``) is absent and an example sits beside it, the
loader reads the example in its place (``ComposeProject.documented_by``,
``EnvFileRef.stand_in``, ``EnvValue.example``).  A variable the stack needs is then either
documented by that example (the deployment fills in the value) or missing from it — which
ENV109 reports on the example, instead of ENV101/ENV102/ENV103/ENV201 reporting a value the
repository never meant to hold.  These helpers answer "which example would carry X there".
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from envlint.discovery import env_template_key, is_compose_file_name
from envlint.rules._common import files_in

if TYPE_CHECKING:
    from envlint.model import ComposeProject, EnvFile, Lookup, Service, Workspace

__all__ = ["carrier", "example_file", "is_placeholder", "project_example", "unloaded_env_hint"]

# Values that stand for "fill this in", never a real setting: empty, changeme and its spellings,
# <angle brackets>, runs of x / * / . / -, and the common "your-…-here" / TODO / replace-me.
_PLACEHOLDER = re.compile(
    r"""^(?:
        |<[^<>]*>
        |\[[^\[\]]*\]
        |[xX]{3,}|\*{3,}|\.{3,}|-{3,}
        |.*\b(?:change[\s_-]?me|replace[\s_-]?me|your[\s_-].*|todo|fixme|placeholder)\b.*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)


def is_placeholder(value: str) -> bool:
    """Whether an example file's value is a placeholder (never type-checked, never a value)."""
    return bool(_PLACEHOLDER.match(value.strip()))


def example_file(ws: Workspace, path: str) -> EnvFile | None:
    """The example file read at ``path`` (the project's or a service's stand-in)."""
    for project in ws.projects:
        for env_file in project.all_env_files():
            if env_file.path == path and env_file.role == "example":
                return env_file
    for env_file in ws.example_env_files:
        if env_file.path == path:
            return env_file
    return None


def project_example(project: ComposeProject) -> str | None:
    """The example read as the project's interpolation environment (no ``.env``), if any."""
    return project.documented_by


def carrier(
    project: ComposeProject, service: Service, name: str, lookup: Lookup = "env"
) -> str | None:
    """The example file through which ``name`` would reach ``service``'s container if the
    example listed it: the project's example for a pass-through entry (``- X``), or an example
    standing in for one of the service's ``env_file``\\ s.  None when no example would carry it
    (then the variable is missing whatever the examples say)."""
    if project.documented_by is not None and service.passthrough(name, lookup) is not None:
        return project.documented_by
    for ref in service.env_files:
        if ref.stand_in is not None:
            return ref.stand_in
    return None


def unloaded_env_hint(ws: Workspace, project: ComposeProject) -> str:
    """An env file Compose does not load for this project, but that likely holds these
    variables (#12 item 18): one in the project directory that no service reads
    (``variables.env``, ``.env.production``), else an example above the project directory (its
    own example would have been read as the documented environment)."""
    here = PurePosixPath(project.directory)
    used = {ref.path for svc in project.services for ref in svc.env_files}
    for path in files_in(ws, project.directory):
        name = PurePosixPath(path).name
        if path in used or is_compose_file_name(name):
            continue
        if name.endswith(".env") or (name.startswith(".env.") and not _is_example(name)):
            return (
                f"; {name} in that directory is not Compose's env file unless given with "
                "--env-file"
            )
    for example in sorted(ws.example_env_files, key=lambda f: -len(f.path)):
        folder = PurePosixPath(example.path).parent
        if folder != here and (folder == PurePosixPath(".") or folder in here.parents):
            return (
                f"; {example.path} is not Compose's env file for this project: give it with "
                "--env-file to check against it"
            )
    return ""


def _is_example(name: str) -> bool:
    return env_template_key(name, ".env") is not None
