"""RepoFiles: what leaves the root through a symbolic link reads as absent, whatever was asked
before (the per-directory link answers are memoised)."""

from __future__ import annotations

from pathlib import Path

from envlint.servicecode.repofiles import RepoFiles


def test_links_inside_the_root_are_followed_and_links_out_of_it_are_absent(
    tmp_path: Path,
) -> None:
    root, outside = tmp_path / "repo", tmp_path / "outside"
    (root / "svc" / "deep").mkdir(parents=True)
    outside.mkdir()
    (root / "svc" / "deep" / "a.txt").write_text("a")
    (outside / "secret.txt").write_text("s")
    (root / "svc" / "out").symlink_to(outside)  # a directory outside
    (root / "svc" / "in").symlink_to(root / "svc" / "deep")  # a directory inside
    (root / "svc" / "file.txt").symlink_to(outside / "secret.txt")
    repo = RepoFiles(root)
    for _ in range(2):  # the second round answers from the memo
        assert repo.read_text("svc/deep/a.txt") == "a"
        assert repo.is_dir("svc/deep") and repo.is_dir("svc")
        assert repo.read_text("svc/in/a.txt") == "a"
        assert repo.read_text("svc/out/secret.txt") is None
        assert not repo.exists("svc/out") and not repo.is_dir("svc/out")
        assert repo.read_text("svc/file.txt") is None
        assert not repo.exists("svc/missing/x") and not repo.exists("svc/deep/a.txt/x")
        assert repo.listdir("svc/out") == ()
        assert "deep" in repo.listdir("svc")
        assert repo.read_text("../outside/secret.txt") is None


def test_a_root_reached_through_a_link_is_still_the_root(tmp_path: Path) -> None:
    (tmp_path / "real" / "a").mkdir(parents=True)
    (tmp_path / "real" / "a" / "x.txt").write_text("x")
    (tmp_path / "alias").symlink_to(tmp_path / "real")
    repo = RepoFiles(tmp_path / "alias")
    assert repo.read_text("a/x.txt") == "x"
