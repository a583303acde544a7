"""A compose service that pulls an image this repository builds (no `build:` of its own) gets
that image's Dockerfile ENV, as a built one does (wg-easy: `ENV PORT=51821` in the Dockerfile a
workflow builds, `image: ghcr.io/wg-easy/wg-easy` in compose: no false ENV201)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_lint, write_tree

WORKFLOW = """on: push
jobs:
  image:
    runs-on: ubuntu-latest
    steps:
      - uses: docker/build-push-action@v6
        with:
          context: .
          tags: ghcr.io/acme/web:latest
"""


@pytest.mark.parametrize(
    ("dockerfile_env", "compose_env", "fires"),
    [
        ("ENV PORT=3000\n", "", False),  # the image gives it
        ("", "", True),  # nothing gives it
        ("ENV PORT=3000\n", "    environment: [PORT]\n", True),  # an unset pass-through erases it
        ("ENV PORT=3000\n", "    environment: {PORT: '8080'}\n", False),
    ],
)
def test_the_image_env_of_a_pulled_repository_image(
    tmp_path: Path, dockerfile_env: str, compose_env: str, fires: bool
) -> None:
    write_tree(
        tmp_path,
        {
            ".github/workflows/image.yml": WORKFLOW,
            "Dockerfile": f"FROM python:3.12-slim\nCOPY . /app\n{dockerfile_env}"
            'CMD ["python", "/app/main.py"]\n',
            "main.py": 'import os\n\nPORT = int(os.environ["PORT"])\n',
            "compose.yaml": "services:\n  web:\n    image: ghcr.io/acme/web:latest\n"
            + compose_env,
        },
    )
    found = [f for f in run_lint(tmp_path).findings if f.code == "ENV201"]
    assert bool(found) is fires, [f.message for f in found]
