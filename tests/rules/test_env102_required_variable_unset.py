"""ENV102: every required variable of a value that would stop Compose, each at its place."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_lint, write_tree

IMAGE = '    image: "${DOCKER_REGISTRY}/${DOCKER_REPO:?err}/app:${IMAGE_TAG:?err}"\n'


def _found(root: Path, code: str) -> set[tuple[str | None, int, int]]:
    report = run_lint(root, cache=False, select=(code,))
    return {
        (f.variable, f.location.line, f.location.column) for f in report.findings if f.code == code
    }


def test_each_required_variable_of_one_value_is_reported(tmp_path: Path) -> None:
    """juicycleff/ultimate-backend (blind set 13c): Compose stops at DOCKER_REPO; with it set
    it stops at IMAGE_TAG. Both are reported, each at its own column."""
    write_tree(tmp_path, {"compose.yaml": "services:\n  api:\n" + IMAGE})
    assert _found(tmp_path, "ENV102") == {("DOCKER_REPO", 3, 32), ("IMAGE_TAG", 3, 56)}
    # the plain reference before them is evaluated (ENV101); none after a failure is
    assert _found(tmp_path, "ENV101") == {("DOCKER_REGISTRY", 3, 13)}


def test_a_set_variable_and_a_repeated_one_are_not_reported(tmp_path: Path) -> None:
    repeated = '    image: "x/${REPO:?err}:${REPO:?err}-${TAG:?err}"\n'
    write_tree(
        tmp_path,
        {"compose.yaml": "services:\n  api:\n" + repeated, ".env": "TAG=1\n"},
    )
    assert _found(tmp_path, "ENV102") == {("REPO", 3, 15)}
    write_tree(tmp_path, {".env": "REPO=r\nTAG=1\n"})
    assert _found(tmp_path, "ENV102") == set()


def test_a_key_used_only_past_the_failure_is_not_unused(tmp_path: Path) -> None:
    """IMAGE_TAG in .env is what Compose substitutes once DOCKER_REPO is set: not ENV107."""
    write_tree(
        tmp_path,
        {"compose.yaml": "services:\n  api:\n" + IMAGE, ".env": "DOCKER_REGISTRY=r\nIMAGE_TAG=1\n"},
    )
    assert _found(tmp_path, "ENV107") == set()
    assert _found(tmp_path, "ENV102") == {("DOCKER_REPO", 3, 32)}
