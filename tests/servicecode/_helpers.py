"""Load a fixture project the way the engine does and ask what each service runs."""

from __future__ import annotations

from pathlib import Path

from envlint.compose import load_workspace
from envlint.config import Settings
from envlint.servicecode.entrypoints import find_entrypoint
from envlint.servicecode.model import Entrypoint
from envlint.servicecode.provenance import find_image_builds
from envlint.servicecode.repofiles import RepoFiles

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def entrypoints(root: Path, **settings: object) -> dict[str, Entrypoint]:
    """Every service's entrypoint by name (one compose project expected)."""
    chosen = Settings(cache=False, **settings)  # type: ignore[arg-type]
    workspace = load_workspace(root, chosen)
    repo = RepoFiles(workspace.root)
    builds = find_image_builds(workspace.root, workspace.files, workspace.projects, repo=repo)
    sources = chosen.service_sources
    found: dict[str, Entrypoint] = {}
    for project, service in workspace.services():
        found[service.name] = find_entrypoint(
            service,
            workspace.root,
            project_dir=project.directory,
            builds=builds.builds,
            sources=sources,
            repo=repo,
        )
    return found


def programs(root: Path, **settings: object) -> dict[str, tuple[str, str, str] | None]:
    """``{service: (language, kind, target)}``, None where no program was found."""
    return {
        name: None if e.program is None else (e.program.language, e.program.kind, e.program.target)
        for name, e in entrypoints(root, **settings).items()
    }
