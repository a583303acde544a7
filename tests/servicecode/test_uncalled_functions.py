"""A read inside a function that nothing in the program can call never runs: a private Rust
function (no ``pub``, no attribute that hands it to the toolchain or a framework) whose name no
file of the program holds as a word — no call, no use by name, no macro token, no string, no
comment — is dead code, and ENV201/ENV109/ENV204 say nothing about it (blind evaluation 13d,
shape 4: ``fn _create_connection_pool()`` reading ``DATABASE_URL_DEV``).  Only Rust collects
the words of its files; elsewhere (and where the program is not known as a whole) the warning
stays."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_lint, write_tree

_MAIN = "mod db;\n\nfn main() {\n    db::init();\n}\n"
_DEAD = """
fn _legacy_pool() -> String {
    std::env::var("DATABASE_URL_DEV").expect("Can't get DB URL")
}
"""


def _crate(tmp_path: Path, db: str, main: str = _MAIN, **files: str) -> Path:
    return write_tree(
        tmp_path / "proj",
        {
            "docker-compose.yml": "services:\n  app:\n    build: .\n",
            "Dockerfile": 'FROM rust:1.80\nWORKDIR /app\nCOPY . .\nCMD ["cargo", "run"]\n',
            "Cargo.toml": '[package]\nname = "demo"\nversion = "0.1.0"\nedition = "2021"\n',
            "src/main.rs": main,
            "src/db.rs": "use std::env;\n\npub fn init() {\n"
            '    let _ = env::var("DB_POOL_SIZE").expect("DB_POOL_SIZE");\n}\n' + db,
            **files,
        },
    )


def _env201(root: Path) -> dict[str, str]:
    return {
        f.variable or "": f.message
        for f in run_lint(root, cache=False).findings
        if f.code == "ENV201"
    }


def test_a_private_function_nothing_names_reads_nothing_the_service_needs(
    tmp_path: Path,
) -> None:
    found = _env201(
        _crate(
            tmp_path,
            _DEAD
            + "\n#[allow(dead_code)]\n"
            + _DEAD.replace("_legacy_pool", "old_pool").replace(
                "DATABASE_URL_DEV", "DATABASE_URL_OLD"
            ),
        )
    )
    # the reachable read still crashes at start; the two dead ones are gone
    assert set(found) == {"DB_POOL_SIZE"}
    assert "crashes at start" in found["DB_POOL_SIZE"]


@pytest.mark.parametrize(
    ("db", "files"),
    [
        # called from a function the program runs on demand (a pub one, in another module)
        (_DEAD + "\npub fn connect() -> String {\n    _legacy_pool()\n}\n", {}),
        # called from another file of the crate, through a path
        (
            _DEAD.replace("fn _legacy", "pub(crate) fn _legacy"),
            {"src/cli.rs": "pub fn run() { crate::db::_legacy_pool(); }\n"},
        ),
        # passed by name, named in a macro's tokens, in an attribute's string
        (
            _DEAD + "\npub fn pools() -> Vec<String> {\n"
            "    vec![1].iter().map(|_| _legacy_pool()).collect()\n}\n",
            {},
        ),
        (_DEAD + "\npub fn spawn() { std::thread::spawn(_legacy_pool); }\n", {}),
        (_DEAD + "\nmacro_rules! pool { () => { _legacy_pool() }; }\n", {}),
        (
            _DEAD + "\n#[derive(serde::Deserialize)]\npub struct Cfg {\n"
            '    #[serde(default = "crate::db::_legacy_pool")]\n    url: String,\n}\n',
            {},
        ),
        # named only in a comment (the words of the text count, comments too)
        (_DEAD + "\n// _legacy_pool is kept for the old schema\n", {}),
        # visible beyond its module, or handed to the toolchain or a framework
        (_DEAD.replace("fn _legacy", "pub fn _legacy"), {}),
        ("\n#[no_mangle]\n" + _DEAD.lstrip(), {}),
        ('\n#[get("/pool")]\n' + _DEAD.lstrip(), {}),
        # a method: a trait or generic code may call it
        ("\npub struct Pool;\nimpl Pool {\n" + _DEAD.replace("\n", "\n    ") + "}\n", {}),
        # code pasted in may call it
        (_DEAD + '\ninclude!("generated.rs");\n', {}),
    ],
)
def test_a_function_something_may_call_keeps_its_warning(
    tmp_path: Path, db: str, files: dict[str, str]
) -> None:
    main = _MAIN if "src/cli.rs" not in files else "mod cli;\n" + _MAIN
    found = _env201(_crate(tmp_path, db, main, **files))
    assert "DATABASE_URL_DEV" in found
    assert "crashes at start" not in found["DATABASE_URL_DEV"]


def test_a_file_pasted_in_that_is_one_of_the_programs_names_it_or_not(tmp_path: Path) -> None:
    # include!("pb.rs") pastes in a file the program holds anyway (a module too): its names
    # are known, and it does not name the function
    main = "mod db;\nmod pb;\nmod proto;\n\nfn main() {\n    db::init();\n}\n"
    files = {
        "src/pb.rs": "pub fn x() {}\n",
        "src/proto.rs": 'pub mod inner { include!("pb.rs"); }\n',
    }
    assert "DATABASE_URL_DEV" not in _env201(_crate(tmp_path / "a", _DEAD, main, **files))
    files["src/pb.rs"] = "pub fn x() { crate::db::_legacy_pool(); }\n"
    assert "DATABASE_URL_DEV" in _env201(_crate(tmp_path / "b", _DEAD, main, **files))


def test_a_program_whose_files_are_not_all_found_keeps_its_warning(tmp_path: Path) -> None:
    # `mod missing;` names a file the repository does not hold: the program is not whole
    found = _env201(_crate(tmp_path, _DEAD, "mod missing;\n" + _MAIN))
    assert "DATABASE_URL_DEV" in found


def test_other_languages_keep_the_warning(tmp_path: Path) -> None:
    # Go: an unexported function nothing calls (not established for Go: the warning stays)
    root = write_tree(
        tmp_path / "go",
        {
            "docker-compose.yml": "services:\n  app:\n    build: .\n",
            "Dockerfile": 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nCMD ["go", "run", "."]\n',
            "go.mod": "module example.com/app\n\ngo 1.22\n",
            "main.go": 'package main\n\nimport "os"\n\nfunc legacyPool() string {\n'
            '\tv := os.Getenv("DATABASE_URL_DEV")\n\tif v == "" {\n\t\tpanic("no URL")\n\t}\n'
            "\treturn v\n}\n\nfunc main() {}\n",
        },
    )
    assert "DATABASE_URL_DEV" in _env201(root)
