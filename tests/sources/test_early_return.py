"""A read after `if <variable missing> { return }` never sees the variable missing: the function
has already returned, handing nothing back for a caller to use (eShopOnWeb-style guards, in every
language whose query marks `@return`).  A test that does not return leaves the crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sources._helpers import index_files

CASES = {
    "a.py": (
        'import os\n\ndef f():\n    if "X" not in os.environ:\n        return\n'
        '    v = int(os.environ["X"])\n\ndef g():\n    if "Y" not in os.environ:\n'
        '        print("no Y")\n    v = int(os.environ["Y"])\n'
    ),
    "b.go": (
        'package main\n\nimport (\n\t"os"\n\t"strconv"\n)\n\nfunc f() {\n'
        '\tif os.Getenv("X") == "" {\n\t\treturn\n\t}\n'
        '\tn, err := strconv.Atoi(os.Getenv("X"))\n\tif err != nil {\n\t\tpanic(err)\n\t}\n'
        '\t_ = n\n}\n\nfunc g() {\n\tif os.Getenv("Y") == "" {\n\t\tprintln("no Y")\n\t}\n'
        '\tn, err := strconv.Atoi(os.Getenv("Y"))\n\tif err != nil {\n\t\tpanic(err)\n\t}\n'
        "\t_ = n\n}\n"
    ),
    "c.ts": (
        "function f() {\n  if (!process.env.X) return;\n  const u = new URL(process.env.X);\n}\n"
        "function g() {\n  if (!process.env.Y) console.log('no Y');\n"
        "  const u = new URL(process.env.Y);\n}\n"
    ),
    "d.cs": (
        "class A {\n  void F(IConfiguration config) {\n    if (config[\"X\"] == null) { return; }\n"
        '    var on = bool.Parse(config["X"]);\n  }\n  void G(IConfiguration config) {\n'
        '    if (config["Y"] == null) { Log(); }\n    var on = bool.Parse(config["Y"]);\n  }\n}\n'
    ),
    "e.java": (
        "class A {\n  void f() {\n    if (System.getenv(\"X\") == null) { return; }\n"
        '    int n = Integer.parseInt(System.getenv("X"));\n  }\n  void g() {\n'
        '    if (System.getenv("Y") == null) { log("no Y"); }\n'
        '    int n = Integer.parseInt(System.getenv("Y"));\n  }\n}\n'
    ),
}


@pytest.mark.parametrize("path", sorted(CASES))
def test_a_bare_return_guards_the_read_after_it(tmp_path: Path, path: str) -> None:
    index = index_files(tmp_path, {path: CASES[path]}, "svc")
    missing: dict[str, set[str]] = {}
    for read in index.reads:
        missing.setdefault(read.name, set()).add(read.missing)
    assert "crash" not in missing["X"], (path, missing)  # returned before the read
    assert "crash" in missing["Y"], (path, missing)  # only logged: the parse still throws
