"""The Git index reader: versions 2, 3 and 4, and damaged or hostile index files."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from envlint.config import Settings
from envlint.discovery import discover
from envlint.gitindex import MAX_ENTRIES, parse_index, read_tracked
from tests.conftest import write_tree

POSIX = pytest.mark.skipif(os.name != "posix", reason="FIFOs")


def _varint(value: int) -> bytes:
    """Git's offset varint (encode_varint)."""
    out = [value & 127]
    value >>= 7
    while value:
        value -= 1
        out.append(128 | (value & 127))
        value >>= 7
    return bytes(reversed(out))


def index(paths: list[str], version: int = 2, extended: frozenset[str] = frozenset()) -> bytes:
    """An index of ``paths`` (sorted as Git sorts them) in ``version``'s layout."""
    data = bytearray(b"DIRC" + struct.pack(">II", version, len(paths)))
    previous = b""
    for path in paths:
        name = path.encode()
        flags = min(len(name), 0xFFF) | (0x4000 if path in extended else 0)
        entry = bytearray(b"\0" * 24 + struct.pack(">I", 0o100644) + b"\0" * 32)
        entry += struct.pack(">H", flags) + (b"\0\x20" if path in extended else b"")
        if version == 4:
            common = next(
                (i for i, (x, y) in enumerate(zip(previous, name, strict=False)) if x != y),
                min(len(previous), len(name)),
            )
            entry += _varint(len(previous) - common) + name[common:] + b"\0"
        else:
            entry += name
            entry += b"\0" * (8 - len(entry) % 8)
        data += entry
        previous = name
    return bytes(data + b"\0" * 20)  # the checksum (not checked)


PATHS = ["a.txt", "deploy/base/app/deployment.yaml", "deploy/base/app/kustomization.yaml", "z/y"]


@pytest.mark.parametrize("version", [2, 3, 4])
def test_each_version_lists_the_tracked_files_and_their_directories(version: int) -> None:
    extended = frozenset({"a.txt"}) if version >= 3 else frozenset()
    tracked = parse_index(index(PATHS, version, extended))
    assert tracked is not None
    assert tracked.files == frozenset(PATHS)
    assert tracked.directories == {"deploy", "deploy/base", "deploy/base/app", "z"}
    assert tracked.holds("deploy/base/app", True)
    assert not tracked.holds("deploy/base/app", False)


def test_a_real_index_of_a_long_prefix_compressed_list() -> None:
    paths = sorted(f"dir{i // 100}/sub/file{i:05}.yaml" for i in range(3000))
    tracked = parse_index(index(paths, 4))
    assert tracked is not None
    assert tracked.files == frozenset(paths)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"DIRC",
        b"XXXX" + struct.pack(">II", 2, 0),
        b"DIRC" + struct.pack(">II", 5, 0),  # an unknown version
        b"DIRC" + struct.pack(">II", 2, MAX_ENTRIES + 1),
        b"DIRC" + struct.pack(">II", 2, 0xFFFFFFFF),
        index(PATHS)[:-40],  # truncated in the last entry
        index(PATHS, 2, frozenset({"a.txt"})),  # an extended flag in version 2
        index(PATHS, 4)[:70] + b"\xff" * 60,  # a varint that never ends
        index(["b"], 4)[:74] + _varint(5) + b"x\0",  # strips more than the previous path holds
        b"DIRC" + struct.pack(">II", 3, 1) + b"\0" * 60 + b"\xff\xff" + b"x" * 100,  # no NUL
    ],
)
def test_a_damaged_index_answers_nothing(data: bytes) -> None:
    assert parse_index(data) is None


@given(st.binary(max_size=400))
def test_any_bytes_never_raise(data: bytes) -> None:
    parse_index(b"DIRC" + data)


@given(st.integers(min_value=0, max_value=len(index(PATHS, 4))))
def test_any_truncation_never_raises(cut: int) -> None:
    for version in (2, 3, 4):
        parse_index(index(PATHS, version)[:cut])


# -- discovery: Git never ignores what it tracks ----------------------------------------------

TREE = {
    ".gitignore": "app\n",
    "app": "a compiled binary",
    "deploy/base/app/kustomization.yaml": "resources: [deployment.yaml]\n",
    "deploy/base/app/deployment.yaml": "kind: Deployment\n",
    "deploy/base/app/scratch.yaml": "an untracked file in an ignored directory\n",
    "deploy/base/app/more/note.yaml": "untracked\n",
    "deploy/overlays/dev/kustomization.yaml": "resources: [../../base/app]\n",
}
TRACKED = [
    ".gitignore",
    "deploy/base/app/deployment.yaml",
    "deploy/base/app/kustomization.yaml",
    "deploy/overlays/dev/kustomization.yaml",
]


def _files(root: Path) -> tuple[str, ...]:
    return discover(root, Settings()).files


def test_a_tracked_file_below_an_ignored_directory_is_kept(tmp_path: Path) -> None:
    write_tree(tmp_path, TREE)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git/index").write_bytes(index(TRACKED, 4))
    assert _files(tmp_path) == (
        ".gitignore",
        "deploy/base/app/deployment.yaml",
        "deploy/base/app/kustomization.yaml",
        "deploy/overlays/dev/kustomization.yaml",
    )


def test_a_tracked_ignored_file_is_kept_and_exclude_still_drops_it(tmp_path: Path) -> None:
    write_tree(tmp_path, {".gitignore": "*.yaml\n", "a.yaml": "", "b.yaml": "", "c.txt": ""})
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git/index").write_bytes(index([".gitignore", "a.yaml", "c.txt"]))
    assert _files(tmp_path) == (".gitignore", "a.yaml", "c.txt")
    assert discover(tmp_path, Settings(exclude=("a.yaml",))).files == (".gitignore", "c.txt")


def test_a_linked_worktree_reads_the_index_its_git_file_names(tmp_path: Path) -> None:
    write_tree(tmp_path / "work", TREE)
    (tmp_path / "gitdir").mkdir()
    (tmp_path / "gitdir/index").write_bytes(index(TRACKED, 3))
    (tmp_path / "work/.git").write_text(f"gitdir: {tmp_path / 'gitdir'}\n")
    assert "deploy/base/app/deployment.yaml" in _files(tmp_path / "work")


def test_without_an_index_gitignore_alone_decides(tmp_path: Path) -> None:
    write_tree(tmp_path, TREE)
    assert _files(tmp_path) == (".gitignore", "deploy/overlays/dev/kustomization.yaml")
    assert read_tracked(str(tmp_path)) is None


@pytest.mark.parametrize(
    "damage",
    [b"", b"garbage", index(TRACKED)[:100], b"DIRC" + struct.pack(">II", 2, 0xFFFFFFFF)],
)
def test_a_corrupt_index_is_a_note_and_gitignore_alone_decides(
    tmp_path: Path, damage: bytes
) -> None:
    write_tree(tmp_path, TREE)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git/index").write_bytes(damage)
    found = discover(tmp_path, Settings())
    assert found.files == (".gitignore", "deploy/overlays/dev/kustomization.yaml")
    assert [p.location.path for p in found.problems] == [".git/index"]


@POSIX
@pytest.mark.parametrize("how", ["fifo", "device", "huge"])
def test_a_hostile_index_is_never_read(
    tmp_path: Path, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(tmp_path, TREE)
    (tmp_path / ".git").mkdir()
    target = tmp_path / ".git/index"
    if how == "fifo":
        os.mkfifo(target)
    elif how == "device":
        target.symlink_to("/dev/zero")
    else:
        monkeypatch.setattr("envlint.gitindex.MAX_INDEX_BYTES", 1000)
        target.write_bytes(index(TRACKED) + b"\0" * 2000)
    found = discover(tmp_path, Settings())
    assert found.files == (".gitignore", "deploy/overlays/dev/kustomization.yaml")
    assert [p.location.path for p in found.problems] == [".git/index"]
