"""program_files: dispatch, the directory kind, and what every resolver shares."""

from __future__ import annotations

from pathlib import Path

from envlint.servicecode._graphbase import walk
from envlint.servicecode.graph import program_files
from envlint.servicecode.model import ProgramRef
from tests.conftest import write_tree
from tests.servicecode._graphtree import facts_of, notes_text, resolve


def test_directory_kind_takes_every_source_file_under_it(tmp_path: Path) -> None:
    tree = {
        "svc/app.py": "",
        "svc/pkg/x.go": "package pkg\n",
        "svc/README.md": "docs\n",
        "svc/web/a.ts": "",
        "svcx/other.py": "",  # a sibling whose name starts the same: not under svc/
        "top.py": "",
    }
    result = resolve(tmp_path, tree, "python", "directory", "svc")
    assert result.files == {"svc/app.py", "svc/pkg/x.go", "svc/web/a.ts"}
    assert result.complete
    everything = resolve(tmp_path, tree, "python", "directory", ".")
    assert everything.files == {
        "svc/app.py",
        "svc/pkg/x.go",
        "svc/web/a.ts",
        "svcx/other.py",
        "top.py",
    }


def test_directory_kind_missing_directory(tmp_path: Path) -> None:
    result = resolve(tmp_path, {"a.py": ""}, "python", "directory", "nope")
    assert result.files == frozenset()
    assert not result.complete
    assert "nope" in notes_text(result)


def test_unknown_kind_is_a_note_not_an_exception(tmp_path: Path) -> None:
    program = ProgramRef("go", "mystery", "x", how="test")  # type: ignore[arg-type]
    result = program_files(tmp_path, program, (), {})
    assert not result.complete
    assert "mystery" in notes_text(result)


def test_an_edited_build_file_is_read_again(tmp_path: Path) -> None:
    tree = {
        "go.mod": "module example.com/a\n",
        "main.go": 'package main\n\nimport "example.com/b/lib"\n',
        "lib/lib.go": "package lib\n",
    }
    write_tree(tmp_path, tree)
    files = tuple(sorted(tree))
    facts = facts_of(tmp_path, files)
    program = ProgramRef("go", "go-package", ".", how="test")
    assert program_files(tmp_path, program, files, facts).files == {"main.go"}
    (tmp_path / "go.mod").write_text("module example.com/b\n")
    assert program_files(tmp_path, program, files, facts).files == {"main.go", "lib/lib.go"}


def test_paths_outside_the_root_are_refused(tmp_path: Path) -> None:
    tree = {
        "go.mod": "module m\n\nreplace x.org/y => ../../y\n",
        "main.go": 'package main\n\nimport "x.org/y"\n',
    }
    result = resolve(tmp_path, tree, "go", "go-package", ".")
    assert result.files == {"main.go"}
    assert "x.org/y" in notes_text(result)


def test_targets_are_normalised(tmp_path: Path) -> None:
    tree = {"go.mod": "module m\n", "cmd/api/main.go": "package main\n"}
    for target in ("./cmd/api", "cmd/api/", "cmd/./api", "cmd/x/../api"):
        assert resolve(tmp_path, tree, "go", "go-package", target).files == {"cmd/api/main.go"}
    outside = resolve(tmp_path, tree, "go", "go-package", "../elsewhere")
    assert not outside.complete
    assert "outside" in notes_text(outside)


GRAPH = {"a": ["b", "c"], "b": ["a", "c", "d"], "c": ["a"], "d": [], "lonely": ["a"]}


def test_walk_reaches_each_node_once_depth_first() -> None:
    # the last node found is taken next; cycles and nodes found twice are walked once
    assert list(walk(["a"], GRAPH.__getitem__)) == ["a", "c", "b", "d"]
    assert list(walk(["d"], GRAPH.__getitem__)) == ["d"]  # "lonely" leads to a, not back


def test_walk_takes_a_start_listed_twice_where_it_is_listed_last() -> None:
    assert list(walk(["d", "a", "d"], GRAPH.__getitem__)) == ["d", "a", "c", "b"]
    assert list(walk(["a", "d", "c"], GRAPH.__getitem__)) == ["c", "d", "a", "b"]


def test_walk_steps_a_node_only_after_yielding_it() -> None:
    stepped: list[str] = []

    def step(node: str) -> list[str]:
        stepped.append(node)
        return GRAPH[node]

    for node in walk(["a"], step):
        if node == "b":
            break  # the caller stops: b's step never runs, d is never reached
    assert stepped == ["a", "c"]
