"""The Rust adapter: every form of research A.6 fires with the right class, look-alikes do not."""

from __future__ import annotations

from pathlib import Path

import pytest

from envlint.config import Settings
from envlint.engine import lint
from envlint.sources.model import EnvRead, SourceIndex
from tests.sources._helpers import brief, index_files


def index(root: Path, files: dict[str, str]) -> SourceIndex:
    return index_files(root, files, "app")


def reads(root: Path, source: str, path: str = "svc/src/main.rs") -> list[EnvRead]:
    return list(index(root, {path: source}).reads)


# two lines: the statement under test is on line 3
HEAD = "use std::env;\nfn main() -> Result<(), Box<dyn std::error::Error>> {\n"
TAIL = "\n    Ok(())\n}\n"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ('let a = env::var("A").unwrap();', ("A", 3, "crash", "empty", None, "string", None)),
        (
            'let a = std::env::var("A").expect("A");',
            ("A", 3, "crash", "empty", None, "string", None),
        ),
        ('let a = env::var("A")?;', ("A", 3, "crash", "empty", None, "string", None)),
        (
            'let a = env::var("A").unwrap_or("d".into());',
            ("A", 3, "default", "empty", '"d".into()', "string", None),
        ),
        (
            'let a = env::var("A").unwrap_or_else(|_| "d".to_string());',
            ("A", 3, "default", "empty", '"d".to_string()', "string", None),
        ),
        (
            'let a = env::var("A").unwrap_or_default();',
            ("A", 3, "default", "empty", '""', "string", None),
        ),
        ('let a = env::var("A").ok();', ("A", 3, "empty", "empty", None, "string", None)),
        ('let a = env::var("A").is_ok();', ("A", 3, "empty", "empty", None, "string", None)),
        (
            'let a = env::var("A").unwrap_or_else(|_| panic!("no A"));',
            ("A", 3, "crash", "empty", None, "string", None),
        ),
        (
            'let a = env::var("A").unwrap_or_else(|_| { eprintln!("A"); std::process::exit(2) });',
            ("A", 3, "crash", "empty", None, "string", None),
        ),
        (
            'let a = match env::var("A") { Ok(v) => v, Err(_) => panic!("no A") };',
            ("A", 3, "crash", "empty", None, "string", None),
        ),
        (
            'let a = match env::var("A") { Ok(v) => v, Err(_) => std::process::exit(1) };',
            ("A", 3, "crash", "empty", None, "string", None),
        ),
        (
            'let a = match env::var("A") { Ok(v) => v, Err(_) => "d".to_string() };',
            ("A", 3, "default", "empty", '"d".to_string()', "string", None),
        ),
        (
            'if let Ok(v) = env::var("A") { println!("{v}"); }',
            ("A", 3, "empty", "empty", None, "string", None),
        ),
        (
            'if let Ok(v) = env::var("A") { } else { std::process::exit(1) }',
            ("A", 3, "crash", "empty", None, "string", None),
        ),
        (
            'let Ok(a) = env::var("A") else { panic!("A") };',
            ("A", 3, "crash", "empty", None, "string", None),
        ),
        (
            'let a = env::var("A").map_err(|e| e)?;',
            ("A", 3, "crash", "empty", None, "string", None),
        ),
        # parse: the type, and "" fails the parse
        (
            'let a = env::var("A").unwrap().parse::<u64>().unwrap();',
            ("A", 3, "crash", "crash", None, "int", None),
        ),
        ('let a: u32 = env::var("A")?.parse()?;', ("A", 3, "crash", "crash", None, "int", None)),
        ('let a: f64 = env::var("A")?.parse()?;', ("A", 3, "crash", "crash", None, "float", None)),
        (
            'let a = env::var("A").expect("A").parse::<bool>().expect("bool");',
            ("A", 3, "crash", "crash", None, "bool", None),
        ),
        (
            'let a = env::var("A").unwrap_or("80".into()).parse::<u16>().unwrap();',
            ("A", 3, "default", "crash", '"80".into()', "int", None),
        ),
        (
            'let a = env::var("A").expect("A").parse::<f64>().unwrap_or(0.5);',
            ("A", 3, "crash", "default", None, "float", None),
        ),
        (
            'let a: u16 = env::var("A").ok().and_then(|v| v.parse().ok()).unwrap_or(8080);',
            ("A", 3, "default", "default", "8080", "int", None),
        ),
        (
            'let a = env::var("A").map(|v| v == "1").unwrap_or(false);',
            ("A", 3, "default", "empty", "false", "bool", None),
        ),
        (
            'let a = Duration::from_secs(env::var("A").unwrap().parse().unwrap());',
            ("A", 3, "crash", "crash", None, "duration", None),
        ),
        (
            'let a = Duration::from_millis(env::var("A").unwrap_or("5".into()).parse()?);',
            ("A", 3, "default", "crash", '"5".into()', "duration", None),
        ),
        # var_os: an Option, empty unless unwrapped
        ('let a = env::var_os("A");', ("A", 3, "empty", "empty", None, "string", None)),
        ('let a = env::var_os("A").unwrap();', ("A", 3, "crash", "empty", None, "string", None)),
        (
            'let a = env::var_os("A").unwrap_or_else(|| "d".into());',
            ("A", 3, "default", "empty", '"d".into()', "string", None),
        ),
        # dotenvy::var has env::var semantics
        ('let a = dotenvy::var("A").unwrap();', ("A", 3, "crash", "empty", None, "string", None)),
        # the Result passed to a closure: its parameter's use decides "" (and the type)
        (
            'let a = env::var("A").ok().map(|v| v.parse::<u32>().unwrap()).unwrap_or(3);',
            ("A", 3, "default", "crash", "3", "int", None),
        ),
        (
            'let a = env::var("A").map(|v| { let n = 2; v.parse::<u8>().expect("n") });',
            ("A", 3, "empty", "crash", None, "int", None),
        ),
        (
            'let a = env::var("A").map(|v| v.len()).unwrap_or(0);',
            ("A", 3, "default", "empty", "0", "string", None),
        ),
        (
            'let a = env::var("A").ok().and_then(|v| v.parse::<u64>().ok()).unwrap_or_default();',
            ("A", 3, "default", "default", "0", "int", None),
        ),
        # a declared type is a parse's: a match that builds a Duration does not type the read
        (
            'let a: Duration = match env::var("A") { Ok(_) => Duration::from_secs(1), '
            "_ => Duration::from_secs(9) };",
            ("A", 3, "default", "empty", "Duration::from_secs(9)", "string", None),
        ),
        # the else branch panics only under a further condition
        (
            'if let Ok(v) = env::var("A") { } else { if v2 { panic!("A") } }',
            ("A", 3, "unknown", "empty", None, "string", None),
        ),
        # comment after the read
        (
            'let a = env::var("A").unwrap(); // env::var("NOT_IN_COMMENT").unwrap()',
            ("A", 3, "crash", "empty", None, "string", None),
        ),
    ],
)
def test_direct_forms(tmp_path: Path, code: str, expected: tuple[object, ...]) -> None:
    assert [brief(r) for r in reads(tmp_path, HEAD + "    " + code + TAIL)] == [expected]


@pytest.mark.parametrize(
    "code",
    [
        'let a = env!("A");',  # compile time
        'let a = option_env!("A");',  # compile time
        'let a = std::env!("A");',
        'let a = cfg.var("A");',  # a `var` method of another type
        'let a = Settings::var("A");',
        'let a = myenv::var("A").unwrap();',
        "let a = env::vars();",
        '// let a = env::var("A").unwrap();',
        '/* env::var("A").unwrap() */',
        'let a = "env::var(\\"A\\").unwrap()";',
        'let a = r#"env::var("A")"#;',
    ],
)
def test_look_alikes_are_not_reads(tmp_path: Path, code: str) -> None:
    assert reads(tmp_path, HEAD + "    " + code + TAIL) == []


def test_question_mark_outside_main_crashes_when_a_caller_exits(tmp_path: Path) -> None:
    found = index(
        tmp_path,
        {
            "svc/src/main.rs": """
                mod config;
                fn main() {
                    let c = config::load().expect("config");
                    if let Err(e) = config::load_db() {
                        eprintln!("{e}");
                        std::process::exit(1);
                    }
                }
                """,
            "svc/src/config.rs": """
                use std::env;
                pub fn load() -> Result<u16, Box<dyn std::error::Error>> {
                    let port: u16 = env::var("PORT")?.parse()?;
                    Ok(port)
                }
                pub fn load_db() -> Result<String, env::VarError> {
                    let url = env::var("DB_URL")?;
                    Ok(url)
                }
                pub fn load_unused() -> Result<String, env::VarError> {
                    Ok(env::var("NEVER_EXITED")?)
                }
                """,
        },
    )
    by_name = {r.name: r for r in found.reads}
    assert brief(by_name["PORT"]) == ("PORT", 3, "crash", "crash", None, "int", None)
    assert brief(by_name["DB_URL"]) == ("DB_URL", 7, "crash", "empty", None, "string", None)
    assert by_name["PORT"].crash_location is not None
    assert by_name["PORT"].crash_location.path == "svc/src/main.rs"
    assert by_name["PORT"].crash_location.line == 3
    assert by_name["DB_URL"].crash_location is not None
    assert by_name["DB_URL"].crash_location.line == 6
    assert brief(by_name["NEVER_EXITED"])[2] == "unknown"


def test_a_holder_is_followed_to_its_later_parse(tmp_path: Path) -> None:
    code = (
        'let p = env::var("P").expect("P");\n'
        "    let p: u16 = p.parse().unwrap();\n"
        '    let q = env::var("Q").unwrap_or_default();\n'
        '    println!("{q}");\n'
        '    let r = env::var("R");\n'
        '    let r = match r { Ok(v) => v, Err(_) => panic!("R") };'
    )
    assert sorted(brief(r) for r in reads(tmp_path, HEAD + "    " + code + TAIL)) == [
        ("P", 3, "crash", "crash", None, "int", None),
        ("Q", 5, "default", "empty", '""', "string", None),
        ("R", 7, "crash", "empty", None, "string", None),
    ]


def test_errors_travel_through_callers_and_returned_results(tmp_path: Path) -> None:
    found = index(
        tmp_path,
        {
            "svc/src/main.rs": """
                mod config;
                fn main() {
                    run().unwrap();
                    let u = config::url().expect("url");
                    let o = config::optional().ok();
                }
                fn run() -> Result<(), Box<dyn std::error::Error>> {
                    let p = config::port()?;
                    Ok(())
                }
                """,
            "svc/src/config.rs": """
                use std::env;
                pub fn port() -> Result<u16, Box<dyn std::error::Error>> {
                    Ok(env::var("PORT")?.parse::<u16>()?)
                }
                pub fn url() -> Result<String, env::VarError> {
                    env::var("URL")
                }
                pub fn optional() -> Result<String, env::VarError> {
                    env::var("OPTIONAL")
                }
                """,
        },
    )
    by_name = {r.name: r for r in found.reads}
    assert brief(by_name["PORT"]) == ("PORT", 3, "crash", "crash", None, "int", None)
    assert by_name["PORT"].crash_location is not None
    assert by_name["PORT"].crash_location.line == 3  # run().unwrap() in main
    assert brief(by_name["URL"]) == ("URL", 6, "crash", "empty", None, "string", None)
    assert brief(by_name["OPTIONAL"]) == ("OPTIONAL", 9, "unknown", "empty", None, "string", None)


def test_question_mark_in_a_closure_is_unknown(tmp_path: Path) -> None:
    code = 'let f = || -> Result<String, env::VarError> { Ok(env::var("A")?) };'
    assert [brief(r) for r in reads(tmp_path, HEAD + "    " + code + TAIL)] == [
        ("A", 3, "unknown", "empty", None, "string", None)
    ]


def test_names_constants_and_format_patterns(tmp_path: Path) -> None:
    found = index(
        tmp_path,
        {
            "svc/src/main.rs": """
                use std::env;
                mod names;
                const LOCAL: &str = "LOCAL_NAME";
                static STATIC_NAME: &str = "STATIC_NAME";
                fn main() {
                    let a = env::var(LOCAL).unwrap();
                    let b = env::var(STATIC_NAME).unwrap();
                    let c = env::var(names::OTHER).unwrap();
                    let d = env::var(format!("{}_HOST", svc)).unwrap();
                    let e = env::var(format!("{PREFIX}_PORT")).unwrap();
                    let f = env::var(format!("{}_{}", svc, kind)).ok();
                    let g = env::var(&LOCAL.to_string()).ok();
                    let h = env::var(dynamic_name()).ok();
                }
                """,
            "svc/src/names.rs": """
                pub const OTHER: &str = "OTHER_NAME";
                pub const PREFIX: &str = "DB";
                """,
        },
    )
    got = sorted((r.name, r.location.line, r.is_pattern) for r in found.reads)
    assert got == [
        ("*_*", 11, True),
        ("*_HOST", 9, True),
        ("DB_PORT", 10, False),
        ("LOCAL_NAME", 6, False),
        ("LOCAL_NAME", 12, False),
        ("OTHER_NAME", 8, False),
        ("STATIC_NAME", 7, False),
    ]
    assert found.dynamic_reads == 1


def test_wrappers_are_classified_by_their_body(tmp_path: Path) -> None:
    found = index(
        tmp_path,
        {
            "svc/src/main.rs": """
                mod env_util;
                use env_util::{env_or, get, must, must_port};
                fn main() {
                    let a = must("MUST_A");
                    let b = env_or("OR_B", "fallback");
                    let c = get("GET_C").unwrap();
                    let d = get("GET_D").ok();
                    let e = must_port("PORT_E");
                    let f = must("MUST_F").parse::<u32>().unwrap();
                }
                """,
            "svc/src/env_util.rs": """
                use std::env;
                pub fn must(key: &str) -> String {
                    env::var(key).unwrap_or_else(|_| panic!("{key} is required"))
                }
                pub fn env_or(key: &str, fallback: &str) -> String {
                    env::var(key).unwrap_or_else(|_| fallback.to_string())
                }
                pub fn get(key: &str) -> Result<String, env::VarError> {
                    env::var(key)
                }
                pub fn must_port(key: &str) -> u16 {
                    must(key).parse().unwrap()
                }
                """,
        },
    )
    assert sorted(brief(r) for r in found.reads) == [
        ("GET_C", 6, "crash", "empty", None, "string", "get"),
        ("GET_D", 7, "empty", "empty", None, "string", "get"),
        ("MUST_A", 4, "crash", "empty", None, "string", "must"),
        ("MUST_F", 9, "crash", "crash", None, "int", "must"),
        ("OR_B", 5, "default", "empty", '"fallback"', "string", "env_or"),
        ("PORT_E", 8, "crash", "crash", None, "int", "must_port"),
    ]
    must_a = next(r for r in found.reads if r.name == "MUST_A")
    assert must_a.crash_location is not None
    assert must_a.crash_location.path == "svc/src/env_util.rs"


ENVY_STRUCT = """
use serde::Deserialize;
#[derive(Deserialize)]
struct Config {
    port: u16,
    #[serde(default = "default_host")]
    host: String,
    #[serde(rename = "db")]
    database_url: Option<String>,
    #[serde(default)]
    workers: u32,
}
"""


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (
            'let c = envy::prefixed("APP_").from_env::<Config>().unwrap();',
            [
                ("APP_DB", 14, "empty", "empty", None, "string", None),
                ("APP_HOST", 14, "default", "empty", "default_host()", "string", None),
                ("APP_PORT", 14, "crash", "crash", None, "int", None),
                ("APP_WORKERS", 14, "default", "crash", "Default::default()", "int", None),
            ],
        ),
        (
            "let c: Config = envy::from_env()?;",
            [
                ("DB", 14, "empty", "empty", None, "string", None),
                ("HOST", 14, "default", "empty", "default_host()", "string", None),
                ("PORT", 14, "crash", "crash", None, "int", None),
                ("WORKERS", 14, "default", "crash", "Default::default()", "int", None),
            ],
        ),
        (
            "let c = envy::from_env::<Config>().ok();",
            [
                ("DB", 14, "empty", "empty", None, "string", None),
                ("HOST", 14, "default", "empty", "default_host()", "string", None),
                ("PORT", 14, "empty", "empty", None, "int", None),
                ("WORKERS", 14, "default", "empty", "Default::default()", "int", None),
            ],
        ),
        ("let c = envy::from_env::<Unknown>().unwrap();", []),
        ("let c = other::from_env::<Config>().unwrap();", []),
    ],
)
def test_envy_struct_fields(tmp_path: Path, code: str, expected: list[tuple[object, ...]]) -> None:
    source = ENVY_STRUCT.lstrip("\n") + HEAD + "    " + code + TAIL
    assert sorted(brief(r) for r in reads(tmp_path, source)) == expected


def test_envy_question_mark_outside_main_crashes_when_a_caller_exits(tmp_path: Path) -> None:
    config = ENVY_STRUCT.lstrip("\n") + (
        "pub fn load() -> Result<Config, envy::Error> {\n"
        "    let c = envy::from_env::<Config>()?;\n"
        "    Ok(c)\n"
        "}\n"
    )
    main = "mod config;\nfn main() {\n    let c = config::load().expect(\"env\");\n}\n"
    found = index(tmp_path, {"svc/src/config.rs": config, "svc/src/main.rs": main})
    assert sorted(brief(r) for r in found.reads) == [
        ("DB", 13, "empty", "empty", None, "string", None),
        ("HOST", 13, "default", "empty", "default_host()", "string", None),
        ("PORT", 13, "crash", "crash", None, "int", None),
        ("WORKERS", 13, "default", "unknown", "Default::default()", "int", None),
    ]
    unused = index(tmp_path / "unused", {"svc/src/config.rs": config})
    assert {r.name: r.missing for r in unused.reads}["PORT"] == "unknown"


def test_broken_code_never_raises(tmp_path: Path) -> None:
    code = 'let a = env::var("A").unwrap(\n    let b = env::var("B").ok();\n    fn ('
    found = reads(tmp_path, HEAD + "    " + code)
    assert "B" in {r.name for r in found}


def test_file_without_needles_is_not_parsed(tmp_path: Path) -> None:
    found = index(tmp_path, {"svc/src/main.rs": 'fn main() { let a = env!("A"); }\n'})
    assert found.reads == ()
    assert found.files_parsed == 0


FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "sources_rust_app"


def _marked(root: Path) -> tuple[set[tuple[str, int]], set[tuple[str, int]]]:
    expect: set[tuple[str, int]] = set()
    ok: set[tuple[str, int]] = set()
    for file in sorted(root.rglob("*.rs")):
        rel = file.relative_to(root).as_posix()
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
            marker = line.strip()
            if marker == "// expect: ENV201":
                expect.add((rel, number + 1))
            elif marker == "// ok: ENV201":
                ok.add((rel, number + 1))
    return expect, ok


def test_env201_fixture_project() -> None:
    """ENV201 end to end: fires on unprovided crash reads, not on provided or defaulted ones."""
    report = lint([FIXTURE], Settings(select=("ENV201",), cache=False))
    actual = {(f.location.path, f.location.line) for f in report.findings}
    expect, ok = _marked(FIXTURE)
    assert expect and ok
    assert actual == expect
    assert not actual & ok
