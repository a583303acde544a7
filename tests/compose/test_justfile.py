"""Reading a justfile (envlint.compose.justfile): recipes, their shell text and environment."""

from __future__ import annotations

import pytest

from envlint.compose.justfile import read_justfile, shebang_shell


def test_linewise_recipes_sigils_continuations_and_interpolation() -> None:
    text = (
        "alias b := build\n"
        "name := 'app' + \"-\" + version\n"
        "version := '1'\n"
        "dir := 'out' / 'x'\n"
        "\n"
        "[private, linux]\n"
        "@build target='all' *flags: (dep 'a') clean && after\n"
        "    -@echo {{name}} {{dir}} {{target}} {{{{literal}}\n"
        "\n"
        "    docker build . \\\n"
        "      -t {{ name }}\n"
        "# a comment ends nothing but is no recipe\n"
        "clean:\n"
        "\trm -rf out\n"
    )
    build, clean = read_justfile(text)
    assert (build.name, build.line, build.dependencies) == ("build", 7, ("dep", "clean"))
    # `version` is set below `name`: just evaluates a variable when it is needed
    assert build.shells == (
        (8, "echo app-1 out/x $() {{literal}}"),
        (10, "docker build . \\\n  -t app-1"),
    )
    assert (build.exported, build.directory, build.braces) == ((), ".", False)
    assert clean.shells == ((14, "rm -rf out"),)


def test_exports_parameters_and_working_directories() -> None:
    text = (
        "set working-directory := 'deploy'\n"
        "export A := 'a'\n"
        'B := "b\\n"\n'
        "up $TAG other:\n"
        "  docker compose up\n"
        "[working-directory('sub')]\n"
        "down:\n"
        "  docker compose down\n"
        "[no-cd]\n"
        "here:\n"
        "  pwd\n"
    )
    up, down, here = read_justfile(text)
    assert up.exported == (("A", "a", 2), ("TAG", None, 4))
    assert (up.directory, down.directory, here.directory) == ("deploy", "deploy/sub", None)
    everything = read_justfile("set export\nB := 'b'\nup x:\n  true\n")
    assert everything[0].exported == (("B", "b", 2), ("x", None, 3))


@pytest.mark.parametrize(
    ("text", "shells", "braces"),
    [
        ("set shell := ['bash', '-uc']\nr:\n  echo {a,b}\n", ((3, "echo {a,b}"),), True),
        ("set shell := ['pwsh', '-c']\nr:\n  echo hi\n", (), False),  # not a POSIX shell
        ("r:\n  #!/usr/bin/env python3\n  print(1)\n", (), False),
        ("r:\n  #!/bin/zsh\n  cd a\n  ls\n", ((2, "#!/bin/zsh\ncd a\nls"),), True),
        ("[script]\nr:\n  cd a\n    ls\n", ((3, "cd a\n  ls"),), False),
        ("[script('python3')]\nr:\n  print(1)\n", (), False),
    ],
)
def test_shells_and_scripts(text: str, shells: tuple[tuple[int, str], ...], braces: bool) -> None:
    (recipe,) = read_justfile(text)
    assert (recipe.shells, recipe.braces) == (shells, braces)


@pytest.mark.parametrize(
    ("line", "shell"),
    [
        ("#!/bin/bash", "bash"),
        ("#!/usr/bin/env sh", "sh"),
        ("#!/usr/bin/env -S bash -eu", "bash"),
        ("#! /bin/dash", "dash"),
        ("#!/usr/bin/env ruby", None),
        ("# not a shebang", None),
        ("", None),
    ],
)
def test_shebang_shell(line: str, shell: str | None) -> None:
    assert shebang_shell(line) == shell
