"""The one directory walk: skips, .gitignore, excludes, symlinks, compose grouping, speed."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from envlint.config import Settings
from envlint.discovery import (
    COMPOSE_DEFAULT_NAMES,
    default_stack,
    discover,
    is_compose_file_name,
)
from envlint.model import ProblemKind


def tree(root: Path, *paths: str, content: str = "") -> Path:
    for rel in paths:
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content)
    return root


def files(root: Path, **settings: object) -> tuple[str, ...]:
    return discover(root, Settings(**settings)).files  # type: ignore[arg-type]


# -- compose names and Compose's default choice (research §5) ---------------------------------


@pytest.mark.parametrize(
    "name",
    [
        *COMPOSE_DEFAULT_NAMES,
        "compose.override.yml",
        "docker-compose.override.yaml",
        "compose.full.yaml",
        "compose.kafka.yaml",
        "docker-compose.prod.yml",
        "docker-compose-dev.yml",
        "docker-compose_test.yaml",
    ],
)
def test_compose_file_names(name: str) -> None:
    assert is_compose_file_name(name)


@pytest.mark.parametrize(
    "name",
    ["compose.json", "docker-compose.yml.bak", "mycompose.yaml", "compose-schema.yaml", "x.yml"],
)
def test_not_compose_file_names(name: str) -> None:
    assert not is_compose_file_name(name)


def test_default_stack_prefers_compose_yaml_then_first_override() -> None:
    names = ["docker-compose.yml", "compose.yaml", "docker-compose.override.yml"]
    assert default_stack(names) == ("compose.yaml", "docker-compose.override.yml")


def test_default_stack_docker_compose_yml_before_yaml() -> None:
    assert default_stack(["docker-compose.yaml", "docker-compose.yml"]) == ("docker-compose.yml",)


def test_default_stack_override_order_and_paths_kept() -> None:
    paths = ["d/compose.yml", "d/compose.override.yaml", "d/compose.override.yml"]
    assert default_stack(paths) == ("d/compose.yml", "d/compose.override.yml")


def test_default_stack_needs_a_main_file() -> None:
    assert default_stack(["compose.override.yml", "compose.full.yaml"]) == ()


# -- the walk -----------------------------------------------------------------------------------


def test_compose_dirs_env_examples_and_order(tmp_path: Path) -> None:
    tree(
        tmp_path,
        "compose.full.yaml",
        "docker-compose.yml",
        "compose.yaml",
        "compose.override.yml",
        "deploy/kafka/docker-compose.prod.yml",
        ".env",
        ".env.example",
        "svc/.env.sample",
        "svc/main.go",
    )
    found = discover(tmp_path, Settings())
    assert dict(found.compose_dirs) == {
        ".": ("compose.yaml", "docker-compose.yml", "compose.override.yml", "compose.full.yaml"),
        "deploy/kafka": ("deploy/kafka/docker-compose.prod.yml",),
    }
    assert default_stack(found.compose_dirs["."]) == ("compose.yaml", "compose.override.yml")
    assert found.env_examples == (".env.example", "svc/.env.sample")
    assert found.files == tuple(sorted(found.files))
    assert "svc/main.go" in found.files and ".env" in found.files
    assert found.problems == ()


def test_skip_dirs_anywhere(tmp_path: Path) -> None:
    tree(
        tmp_path,
        "src/app.py",
        "node_modules/x/compose.yaml",
        "src/vendor/lib.go",
        "a/.git/config",
        "b/__pycache__/m.pyc",
        "genproto/x.pb.go",
        "build/out.js",
        "c/bin/tool",
        ".venv/lib.py",
    )
    assert files(tmp_path) == ("src/app.py",)


def test_ddev_add_on_compose_files_are_not_a_stack(tmp_path: Path) -> None:
    """DDEV merges .ddev/docker-compose.*.yaml with its own generated file and sets DDEV_*:
    envlint neither lists them nor reports ${DDEV_SITENAME} as blanked; a compose file
    elsewhere is still found."""
    from envlint.compose.loader import load_workspace

    (tmp_path / ".ddev").mkdir()
    (tmp_path / ".ddev/config.yaml").write_text("name: demo\ntype: laravel\n")
    (tmp_path / ".ddev/docker-compose.cache.yaml").write_text(
        "#ddev-generated\nservices:\n  cache:\n"
        "    container_name: ddev-${DDEV_SITENAME}-cache\n    image: redis:7\n"
    )
    (tmp_path / "compose.yaml").write_text("services:\n  web:\n    image: web:${TAG}\n")
    found = discover(tmp_path, Settings())
    assert found.files == ("compose.yaml",)
    assert dict(found.compose_dirs) == {".": ("compose.yaml",)}
    ws = load_workspace(tmp_path, Settings())
    assert [p.files for p in ws.projects] == [("compose.yaml",)]


def test_gitignore_root_and_nested(tmp_path: Path) -> None:
    tree(tmp_path, "a.log", "keep.log", "secret.env", "src/gen/x.go", "src/main.go", "src/y.tmp")
    tree(tmp_path, "src/sub/z.tmp", "src/sub/keep.tmp", "rootonly", "src/rootonly")
    (tmp_path / ".gitignore").write_text("*.log\n!keep.log\nsecret*\ngen/\n/rootonly\n")
    (tmp_path / "src/.gitignore").write_text("*.tmp\n")
    (tmp_path / "src/sub/.gitignore").write_text("!keep.tmp\n")
    assert files(tmp_path) == (
        ".gitignore",
        "keep.log",
        "src/.gitignore",
        "src/main.go",
        "src/rootonly",
        "src/sub/.gitignore",
        "src/sub/keep.tmp",
    )


def test_gitignore_negation_cannot_reenter_an_ignored_directory(tmp_path: Path) -> None:
    tree(tmp_path, "out/a.txt", "out/b.txt")
    (tmp_path / ".gitignore").write_text("out/\n!out/b.txt\n")
    assert files(tmp_path) == (".gitignore",)


def test_example_env_files_are_kept_when_gitignore_matches_them(tmp_path: Path) -> None:
    """hoppscotch ignores `.env.*` and commits `.env.example` (git ignores patterns for tracked
    files): the example is kept; other ignored env files are not, nor is an example a line names
    as it is, and `exclude` still drops it."""
    tree(tmp_path, ".env", ".env.example", ".env.local", "api/.env.sample", "api/.env.prod")
    tree(tmp_path, "web/.env.example")
    (tmp_path / ".gitignore").write_text(".env\n.env.*\n")
    (tmp_path / "web/.gitignore").write_text(".env.example\n")  # named as it is: not committed
    found = discover(tmp_path, Settings())
    assert found.files == (".env.example", ".gitignore", "api/.env.sample", "web/.gitignore")
    assert found.env_examples == (".env.example", "api/.env.sample")
    assert files(tmp_path, exclude=("api/",)) == (".env.example", ".gitignore", "web/.gitignore")


def test_exclude_globs(tmp_path: Path) -> None:
    tree(tmp_path, "tests/fixtures/p/compose.yaml", "tests/t.py", "docs/a.md", "b.md", "x/y.md")
    assert files(tmp_path, exclude=("tests/fixtures/**", "*.md")) == ("tests/t.py",)
    assert files(tmp_path, exclude=("./tests/fixtures", "docs")) == ("b.md", "tests/t.py", "x/y.md")


def test_explicit_files_are_kept_even_when_ignored(tmp_path: Path) -> None:
    tree(tmp_path, "deploy/stack.yml", "build/compose.yaml")
    (tmp_path / ".gitignore").write_text("deploy/\n")
    found = discover(
        tmp_path, Settings(), [Path("deploy/stack.yml"), tmp_path / "build/compose.yaml"]
    )
    assert found.files == (".gitignore", "build/compose.yaml", "deploy/stack.yml")
    assert dict(found.compose_dirs) == {"build": ("build/compose.yaml",)}


def test_explicit_file_outside_root_is_noted(tmp_path: Path) -> None:
    root = tree(tmp_path / "root", "compose.yaml")
    tree(tmp_path, "other/compose.yaml")
    found = discover(root, Settings(), [tmp_path / "other/compose.yaml", Path("missing.yml")])
    assert found.files == ("compose.yaml",)
    assert [(p.kind, p.location.path) for p in found.problems] == [
        (ProblemKind.NOTE, "../other/compose.yaml")
    ]


# -- symlinks and unreadable things ---------------------------------------------------------


def test_symlinked_directories_are_never_followed(tmp_path: Path) -> None:
    tree(tmp_path, "real/compose.yaml")
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "real/again").symlink_to(tmp_path / "real", target_is_directory=True)
    assert files(tmp_path) == ("real/compose.yaml",)


def test_symlinked_files_inside_kept_outside_noted(tmp_path: Path) -> None:
    root = tree(tmp_path / "root", "real.env")
    tree(tmp_path, "outside/secret.env")
    (root / "link.env").symlink_to(root / "real.env")
    (root / "leak.env").symlink_to(tmp_path / "outside/secret.env")
    (root / "dangling.env").symlink_to(root / "nope")
    (root / "self.env").symlink_to(root / "self.env")
    found = discover(root, Settings())
    assert found.files == ("link.env", "real.env")
    notes = {p.location.path: p.message for p in found.problems}
    assert set(notes) == {"leak.env", "dangling.env", "self.env"}
    assert "outside the checked root" in notes["leak.env"]
    assert "loop" in notes["self.env"]
    assert all(p.kind is ProblemKind.NOTE for p in found.problems)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every directory")
def test_unreadable_directory_is_noted(tmp_path: Path) -> None:
    tree(tmp_path, "locked/a.txt", "ok.txt")
    (tmp_path / "locked").chmod(0)
    try:
        found = discover(tmp_path, Settings())
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert found.files == ("ok.txt",)
    assert [p.location.path for p in found.problems] == ["locked"]


def test_fifo_is_not_a_file(tmp_path: Path) -> None:
    tree(tmp_path, "a.txt")
    os.mkfifo(tmp_path / "pipe")
    assert files(tmp_path) == ("a.txt",)


def test_missing_root_is_a_problem_not_an_exception(tmp_path: Path) -> None:
    found = discover(tmp_path / "nope", Settings())
    assert found.files == ()
    assert len(found.problems) == 1


def test_result_does_not_depend_on_creation_order(tmp_path: Path) -> None:
    names = [f"d{i % 7}/f{i}.txt" for i in range(60)]
    one = tree(tmp_path / "one", *names)
    two = tree(tmp_path / "two", *reversed(names))
    assert files(one) == files(two) == tuple(sorted(names))


def test_walk_writes_nothing(tmp_path: Path) -> None:
    tree(tmp_path, "compose.yaml", "src/a.py")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    discover(tmp_path, Settings(exclude=("x",)))
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


@pytest.mark.slow
def test_walk_speed(tmp_path: Path) -> None:
    """2,000 files in under 0.05 s (50,000 measured at ~0.15 s; creating them here is slow)."""
    for a in range(10):
        for b in range(10):
            directory = tmp_path / f"pkg{a}" / f"sub{b}"
            directory.mkdir(parents=True)
            for c in range(20):
                os.close(os.open(directory / f"f{c}.go", os.O_CREAT | os.O_WRONLY, 0o644))
    (tmp_path / ".gitignore").write_text("*.log\nbuild/\n!keep.log\n" + "pat/*.x\n" * 30)
    (tmp_path / "pkg1/.gitignore").write_text("f1*.go\n")
    discover(tmp_path, Settings())  # warm the OS cache
    start = time.perf_counter()
    found = discover(tmp_path, Settings(exclude=("pkg2/**",)))
    elapsed = time.perf_counter() - start
    assert len(found.files) == 2_000 - 200 - 10 * 11 + 2
    assert elapsed < 0.05
