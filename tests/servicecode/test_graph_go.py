"""Go: a main package -> the packages it links within its module(s)."""

from __future__ import annotations

from pathlib import Path

import pytest

from envlint.servicecode.buildfiles import parse_gomod
from envlint.servicecode.graph_go import constraint_holds
from tests.servicecode._graphtree import notes_text, resolve

SHOP = {
    "go.mod": """
        module example.com/shop // the main module

        go 1.22

        require (
            example.com/shared v0.0.0
            github.com/lib/pq v1.10.9
        )

        replace (
            example.com/shared => ./libs/shared
            github.com/lib/pq => github.com/lib/pq v1.10.8
        )
    """,
    "libs/shared/go.mod": "module example.com/shared\n",
    "libs/shared/conf/conf.go": "package conf\n\nfunc Load() {}\n",
    "libs/shared/unused/unused.go": "package unused\n",
    "cmd/api/main.go": """
        package main

        import (
            "fmt"

            "example.com/shared/conf"
            srv "example.com/shop/internal/server"
            _ "github.com/lib/pq"
        )

        func main() { fmt.Println(conf.Load, srv.Run) }
    """,
    "cmd/api/main_test.go": 'package main\n\nimport "example.com/shop/internal/testutil"\n',
    "cmd/api/gen.go": (
        '//go:build ignore\n\npackage main\n\nimport "example.com/shop/internal/gen"\n'
    ),
    "cmd/api/sys_windows.go": "package main\n",
    "cmd/api/sys_linux.go": "package main\n",
    "cmd/api/legacy.go": "// +build darwin\n\npackage main\n",
    "cmd/api/arch.go": "//go:build linux && arm64\n\npackage main\n",
    "cmd/worker/main.go": 'package main\n\nimport "example.com/shop/internal/queue"\n',
    "internal/server/server.go": (
        'package server\n\nimport "example.com/shop/internal/store"\n\nfunc Run() {}\n'
    ),
    "internal/store/store.go": "package store\n",
    "internal/store/store_test.go": "package store\n",
    "internal/queue/queue.go": "package queue\n",
    "internal/testutil/util.go": "package testutil\n",
    "internal/gen/gen.go": "package gen\n",
    "tools/go.mod": "module example.com/shop/tools\n",
    "tools/lint/lint.go": "package main\n",
}


def test_main_package_links_its_imports_within_the_module_and_local_replaces(
    tmp_path: Path,
) -> None:
    result = resolve(tmp_path, SHOP, "go", "go-package", "cmd/api")
    assert result.files == {
        "cmd/api/main.go",
        "cmd/api/sys_linux.go",
        "cmd/api/arch.go",  # architecture unknown: kept
        "internal/server/server.go",
        "internal/store/store.go",
        "libs/shared/conf/conf.go",
    }
    assert result.complete, result.notes


def test_another_cmd_of_the_same_module_is_not_linked(tmp_path: Path) -> None:
    result = resolve(tmp_path, SHOP, "go", "go-package", "cmd/worker")
    assert result.files == {"cmd/worker/main.go", "internal/queue/queue.go"}
    assert "cmd/api/main.go" not in result.files


def test_go_work_use_and_replace(tmp_path: Path) -> None:
    tree = {
        "go.work": "go 1.22\n\nuse (\n\t./svc\n\t./lib\n)\nuse ./other\n",
        "svc/go.mod": "module example.com/svc\n",
        "svc/main.go": 'package main\n\nimport "example.com/lib/x"\n',
        "lib/go.mod": "module example.com/lib\n",
        "lib/x/x.go": 'package x\n\nimport "example.com/other/y"\n',
        "other/go.mod": "module example.com/other\n",
        "other/y/y.go": "package y\n",
        "other/z/z.go": "package z\n",
    }
    result = resolve(tmp_path, tree, "go", "go-package", "svc")
    assert result.files == {"svc/main.go", "lib/x/x.go", "other/y/y.go"}
    assert result.complete


def test_missing_go_mod_keeps_the_package_and_says_why(tmp_path: Path) -> None:
    tree = {
        "cmd/api/main.go": 'package main\n\nimport "example.com/shop/internal/x"\n',
        "internal/x/x.go": "package x\n",
    }
    result = resolve(tmp_path, tree, "go", "go-package", "cmd/api")
    assert result.files == {"cmd/api/main.go"}
    assert not result.complete
    assert "no go.mod" in notes_text(result)


def test_import_of_a_module_package_without_files_is_incomplete(tmp_path: Path) -> None:
    tree = {
        "go.mod": "module example.com/m\n",
        "main.go": 'package main\n\nimport "example.com/m/gen/proto"\n',
    }
    result = resolve(tmp_path, tree, "go", "go-package", ".")
    assert result.files == {"main.go"}
    assert not result.complete
    assert "example.com/m/gen/proto" in notes_text(result)


def test_nested_module_without_replace_is_not_followed_but_noted(tmp_path: Path) -> None:
    tree = {
        "go.mod": "module example.com/m\n",
        "main.go": 'package main\n\nimport "example.com/m/sdk/client"\n',
        "sdk/go.mod": "module example.com/m/sdk\n",
        "sdk/client/client.go": "package client\n",
    }
    result = resolve(tmp_path, tree, "go", "go-package", ".")
    assert result.files == {"main.go"}
    assert result.complete
    assert "sdk/go.mod" in notes_text(result)


def test_unparsed_file_makes_the_result_incomplete(tmp_path: Path) -> None:
    result = resolve(
        tmp_path, SHOP, "go", "go-package", "cmd/api", drop=("internal/server/server.go",)
    )
    assert "internal/server/server.go" in result.files
    assert "internal/store/store.go" not in result.files  # its importer's facts are unknown
    assert not result.complete
    assert "internal/server/server.go" in notes_text(result)


def test_target_without_go_files(tmp_path: Path) -> None:
    result = resolve(tmp_path, {"go.mod": "module m\n"}, "go", "go-package", "cmd/none")
    assert result.files == frozenset()
    assert not result.complete


def test_library_package_as_target_is_noted(tmp_path: Path) -> None:
    tree = {"go.mod": "module m\n", "lib/lib.go": "package lib\n"}
    result = resolve(tmp_path, tree, "go", "go-package", "lib")
    assert result.files == {"lib/lib.go"}
    assert "not main" in notes_text(result)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("ignore", False),
        ("!ignore", True),
        ("linux", True),
        ("windows", False),
        ("!windows && !darwin", True),
        ("darwin || ignore", False),
        ("linux && amd64", None),
        ("(linux || darwin) && !cgo", None),
        ("integration", None),
        ("go1.21", True),
        ("linux &&", None),
        ("(linux", None),
        ("linux darwin", None),
    ],
)
def test_build_constraints(expression: str, expected: bool | None) -> None:
    assert constraint_holds(expression) is expected


def test_gomod_parser_reads_blocks_strings_and_comments() -> None:
    parsed = parse_gomod(
        'module "example.com/q" // quoted\n'
        "replace example.com/a v1.0.0 => ../a // local\n"
        "replace (\n"
        "\texample.com/b => `./b`\n"
        "\texample.com/c => example.com/c2 v1.2.0\n"
        ")\n"
        'require "broken\n'
    )
    assert parsed.module == "example.com/q"
    assert parsed.local_replaces == (("example.com/a", "../a"), ("example.com/b", "./b"))
    assert parsed.errors and "line 7" in parsed.errors[0]
