"""Import facts from one parse, per language (queries/*.scm turned into FileImports)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from envlint.filepass.languages import LANGUAGES, parser_for
from envlint.servicecode.imports import (
    FileImports,
    ImportSpec,
    extract_imports,
    imports_of_source,
    query_for,
)


def facts(language: str, code: str) -> FileImports:
    found = imports_of_source(language, textwrap.dedent(code).lstrip().encode(), "f")
    assert found is not None
    return found


def specs(found: FileImports) -> list[tuple[str, str]]:
    return [(i.kind, i.spec) for i in found.imports]


def test_every_query_compiles_for_its_grammar() -> None:
    names = {spec.name for spec in LANGUAGES}
    for language in (
        "go",
        "csharp",
        "python",
        "javascript",
        "typescript",
        "tsx",
        "java",
        "kotlin",
        "rust",
        "ruby",
    ):
        assert language in names
        assert query_for(language) is not None, language
    assert query_for("php") is None  # no query: empty facts, not an error
    assert imports_of_source("php", b"<?php require 'x.php';\n", "a.php") is None


def test_ruby_requires_and_what_is_not_followed() -> None:
    source = (
        b'require "json"\nrequire_relative "lib/x"\nrequire File.join(__dir__, "y")\n'
        b'load "tasks.rb"\nFoo.require "q"\nautoload :Bar, "bar"\nrequire "a#{b}"\n'
        b'def boot\n  require "inner"\nend\n'
    )
    found = imports_of_source("ruby", source, "app.rb")
    assert found is not None
    assert [(i.spec, i.kind, i.line) for i in found.imports] == [
        ("json", "require", 1),
        ("lib/x", "import", 2),
        ("inner", "require", 9),
    ]
    assert found.dynamic == (3, 4, 6, 7)


def test_go_package_imports_and_build_constraint() -> None:
    found = facts(
        "go",
        """
        //go:build !windows && ignore

        // Package main is the api.
        package main

        import "fmt"
        import (
            f "example.com/m/internal/foo"
            _ "example.com/m/b"
            . `example.com/m/c`
        )

        //go:build linux
        func main() {}
        """,
    )
    assert found.package == "main"
    assert specs(found) == [
        ("import", "fmt"),
        ("import", "example.com/m/internal/foo"),
        ("import", "example.com/m/b"),
        ("import", "example.com/m/c"),
    ]
    assert found.build_constraint == "!windows && ignore"
    assert found.imports[1].line == 8


def test_go_legacy_plus_build_lines_are_converted() -> None:
    found = facts("go", "// +build linux,amd64 darwin\n// +build !cgo\n\npackage x\n")
    assert found.build_constraint == "((linux && amd64) || (darwin)) && ((!cgo))"
    assert facts("go", "package x\n// +build ignore\n").build_constraint is None


def test_csharp_usings_and_namespaces() -> None:
    found = facts(
        "csharp",
        """
        global using System.Text;
        using static System.Math;
        using Alias = Foo.Bar;
        using Foo.Baz;
        namespace A.B;
        namespace C { namespace D { class X {} } }
        """,
    )
    assert specs(found) == [
        ("using", "System.Text"),
        ("static", "System.Math"),
        ("using", "Foo.Bar"),
        ("using", "Foo.Baz"),
    ]
    assert found.namespaces == ("A.B", "C", "C.D")


def test_python_imports_relative_levels_names_and_dynamic() -> None:
    found = facts(
        "python",
        """
        import a.b.c, d as e
        from . import x, y as z
        from ..m.n import (p, q)
        from r import *
        import importlib
        importlib.import_module("s.t")
        __import__("u")
        importlib.import_module(name)
        importlib.import_module(f"plugins.{name}")
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            from v import w
            import vv as v2
        def later():
            from .lazy import thing
        """,
    )
    assert [(i.kind, i.spec, i.level, i.names) for i in found.imports] == [
        ("module", "a.b.c", 0, ()),
        ("module", "d", 0, ()),
        ("from", "", 1, ("x", "y")),
        ("from", "m.n", 2, ("p", "q")),
        ("from", "r", 0, ("*",)),
        ("module", "importlib", 0, ()),
        ("dynamic", "s.t", 0, ()),
        ("dynamic", "u", 0, ()),
        ("from", "typing", 0, ("TYPE_CHECKING",)),
        ("from", "lazy", 1, ("thing",)),
    ]
    assert found.dynamic == (8, 9)
    assert found.package is None


@pytest.mark.parametrize("language", ["typescript", "tsx"])
def test_typescript_imports_reexports_requires_and_type_only(language: str) -> None:
    found = facts(
        language,
        """
        import a from "./a";
        import type { T } from "./t";
        import { type U, v } from "./u";
        import "./side";
        export * from "./re";
        export { x } from './re2';
        export type { Y } from "./re3";
        import fs = require("./legacy");
        const m = require("./m");
        const n = await import("./n");
        const o = import(`./o`);
        const p = require(name);
        const q = import(`./q/${name}`);
        const r = require("./r" + suffix);
        """,
    )
    assert specs(found) == [
        ("import", "./a"),
        ("import", "./u"),
        ("import", "./side"),
        ("reexport", "./re"),
        ("reexport", "./re2"),
        ("require", "./legacy"),
        ("require", "./m"),
        ("dynamic", "./n"),
        ("dynamic", "./o"),
    ]
    assert found.dynamic == (12, 13, 14)


def test_javascript_commonjs_and_dynamic() -> None:
    found = facts(
        "javascript",
        """
        const m = require("./m");
        require(`./t`);
        import("./n").then((x) => x);
        export { default } from "./d";
        const p = require(base + "/x");
        """,
    )
    assert specs(found) == [
        ("require", "./m"),
        ("require", "./t"),
        ("dynamic", "./n"),
        ("reexport", "./d"),
    ]
    assert found.dynamic == (5,)


def test_java_and_kotlin_packages_and_imports() -> None:
    java = facts(
        "java",
        """
        package com.x.y;
        import com.a.B;
        import static com.a.C.m;
        import com.d.*;
        class Z {}
        """,
    )
    assert java.package == "com.x.y"
    assert specs(java) == [("import", "com.a.B"), ("static", "com.a.C.m"), ("import", "com.d")]
    kotlin = facts("kotlin", "package com.x.y\n\nimport com.a.B\nimport com.e.F as G\n")
    assert kotlin.package == "com.x.y"
    assert specs(kotlin) == [("import", "com.a.B"), ("import", "com.e.F")]


def test_rust_mods_path_attributes_test_modules_and_crates() -> None:
    found = facts(
        "rust",
        """
        mod a;
        #[path = "z.rs"]
        mod b;
        pub mod c { mod d; #[cfg(test)] mod e; }
        #[cfg(test)]
        mod tests { mod helpers; use super::*; }
        use crate::a::x;
        use mylib::y;
        use other2::{p, q};
        extern crate other;
        fn main() { mylib::run(); let v: Vec<fifth::T> = vec![]; }
        """,
    )
    mods = [(i.spec, i.scope, i.path_attr) for i in found.imports if i.kind == "mod"]
    assert mods == [("a", (), None), ("b", (), "z.rs"), ("d", ("c",), None)]
    crates = [i.spec for i in found.imports if i.kind == "crate"]
    assert crates == ["mylib", "other2", "other", "fifth"]


def test_python_django_settings_module_literals() -> None:
    found = facts(
        "python",
        """
        import os
        from os import environ

        def main():
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
            from django.core.management import execute_from_command_line

        environ["DJANGO_SETTINGS_MODULE"] = 'shop.prod'
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"shop.{name}")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", name)
        os.environ.setdefault("OTHER", "x.y")
        settings.setdefault("DJANGO_SETTINGS_MODULE", "not.environ")
        """,
    )
    assert [s for s in specs(found) if s[0].startswith("settings")] == [
        ("settings", "shop.settings"),
        ("settings-set", "shop.prod"),
    ]


def test_extract_from_an_existing_tree_and_broken_code() -> None:
    source = b'package main\n\nimport (\n\t"fmt"\n\t"os"\n'  # unterminated
    parser = parser_for("go")
    assert parser is not None
    tree = parser.parse(source)
    found = extract_imports("go", tree.root_node, source, "cmd/x/main.go")
    assert found.path == "cmd/x/main.go"
    assert found.language == "go"
    assert ImportSpec(spec="fmt", kind="import", line=4) in found.imports


def test_non_ascii_text_is_sliced_from_bytes() -> None:
    found = facts("typescript", 'const s = "ünïcødé";\nimport x from "./wörk";\n')
    assert specs(found) == [("import", "./wörk")]
    assert found.imports[0].line == 2


# --- a file parsed for its imports alone is parsed up to its last import ------------------

HEADS = {
    "go": """
        //go:build linux

        // Package api serves orders.
        package api

        import (
            "fmt"
            db "example.com/m/internal/db"
        )

        // the store's import path and package are named in comments below
        func Open() error { return fmt.Errorf("import %s", db.Name) }

        type store struct{ name string }
        """,
    "python": """
        \"\"\"Orders.\"\"\"
        from __future__ import annotations

        import os.path
        from .db import connect as c, Pool
        if TYPE_CHECKING:
            from typing import Any

        def load():
            import json  # a late import still counts
            return json.loads("{}")

        class Store:
            pass
        """,
    "python-django": """
        import os

        def main():
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
            from django.core.management import execute_from_command_line
            execute_from_command_line([])

        def unrelated():
            return 1
        """,
    "javascript": """
        'use strict';
        import db from "./db.js";
        const util = require("./util");

        function late() {
          return import("./lazy.js");
        }

        export async function handle(req) {
          return db.get(req.id);
        }
        """,
    "typescript": """
        import type { Req } from "./types";
        import x = require("./x");
        export { y } from "./y";

        export const handler = (r: Req) => x.go(r);

        class Store {}
        """,
    "typescript-decorated": """
        import { Injectable } from "@nestjs/common";
        import { Repo } from "./repo";

        @Injectable()
        export class OrdersService {
          constructor(private readonly repo: Repo) {}
        }
        """,
    "tsx": """
        import React from "react";
        import { Card } from "./card";

        export function App() {
          return <Card title="orders"/>;
        }
        """,
}


@pytest.mark.parametrize("case", sorted(HEADS))
def test_the_import_head_holds_every_fact_of_the_file(case: str) -> None:
    from envlint.servicecode.imports import import_head

    language = case.partition("-")[0]
    source = textwrap.dedent(HEADS[case]).lstrip().encode()
    parser = parser_for(language)
    assert parser is not None
    cut = import_head(language, source)
    assert 0 < cut < len(source)  # it fires: the bodies below are not parsed
    head = parser.parse(source[:cut]).root_node
    assert not head.has_error
    whole = extract_imports(language, parser.parse(source).root_node, source, "f")
    assert whole.imports  # the example has imports to keep
    assert extract_imports(language, head, source[:cut], "f") == whole


@pytest.mark.parametrize(
    ("language", "code"),
    [
        # Go: an import (or a second package clause) after a declaration, no package clause
        ("go", 'package a\n\nfunc f() {}\n\nimport "late"\n'),
        ("go", 'package a\nfunc f() {}\n  package b\n'),
        ("go", 'import "x"\n\nfunc f() {}\n'),
        # Python / JS: no definition after the last import
        ("python", "import os\nx = os.environ\n"),
        ("javascript", 'const a = require("a");\nmodule.exports = a;\n'),
        ("rust", "use a::b;\nfn main() {}\n"),  # no needles: the whole tree is searched
    ],
)
def test_the_whole_file_is_parsed_where_a_fact_may_follow(language: str, code: str) -> None:
    from envlint.servicecode.imports import import_head

    assert import_head(language, code.encode()) == len(code.encode())


def test_a_file_without_any_import_needle_needs_no_bytes() -> None:
    from envlint.servicecode.imports import import_head

    source = b"export async function f(ids) {\n  return ids;\n}\n"
    assert import_head("javascript", source) == 0
    assert imports_of_source("javascript", source, "f").imports == ()  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("language", "code"),
    [
        # the cut falls inside a string, a comment or a bracket: the head does not parse cleanly
        ("python", 'import os\nDOC = """\ndef not_code():\n"""\nimport sys\n'),
        ("go", "package a\n\nimport \"x\"\n\n/*\nfunc f() {}\n*/\nfunc g() {}\n"),
        ("javascript", 'const t = require("a") + `\nfunction f() {}\n`;\n'),
    ],
)
def test_a_head_that_does_not_parse_cleanly_is_parsed_whole(language: str, code: str) -> None:
    from envlint.filepass.run import _head
    from envlint.servicecode.extractors import IMPORTS

    source = code.encode()
    kept, root = _head(language, source, IMPORTS)
    assert (kept, root) == (source, None)


def test_the_source_pass_parses_an_import_only_file_up_to_its_head(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from envlint.compose import load_workspace
    from envlint.config import Settings
    from envlint.filepass import parse as parsing
    from envlint.servicecode.extractors import IMPORTS
    from envlint.sources import index
    from tests.conftest import write_tree

    root = tmp_path
    body = "".join(f"func f{i}() int {{ return {i} }}\n" for i in range(200))
    write_tree(
        root,
        {
            "compose.yaml": "services:\n  api:\n    build: ./api\n",
            "api/main.go": 'package main\n\nimport "os"\n\nfunc main() { _ = os.Getenv("A") }\n',
            "api/lib.go": 'package main\n\nimport "strings"\n\n' + body,
        },
    )
    parsed: list[int] = []
    real = parsing.parse

    def parse(language: str, source: bytes) -> object:
        parsed.append(len(source))
        return real(language, source)

    monkeypatch.setattr(parsing, "parse", parse)
    ws = load_workspace(root, Settings(cache=False))
    found = index.build_index(ws, extractors=(IMPORTS,))
    lib = next(f for f in found.facts_of(IMPORTS) if f.path == "api/lib.go")
    assert [i.spec for i in lib.imports] == ["strings"] and lib.package == "main"
    main_size = len((root / "api/main.go").read_bytes())
    assert sorted(parsed) == [len(b'package main\n\nimport "strings"\n\n'), main_size]
