"""A Rust program's own dotenv load (the dotenv and dotenvy crates) provides its file's keys.

Blind set 13d (fernandomarca/rust-gRPC-Kafka-microservices-codepix): ``dotenv().ok()`` in
``main`` loads ``.env`` of the working directory, which a bind mount puts there.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_lint, write_tree

CARGO = '[package]\nname = "demo"\nversion = "0.1.0"\nedition = "2021"\n'
READ = '    let broker = env::var("KAFKA_BROKERS").expect("KAFKA_BROKERS missing");\n'

# the source tree is copied into the working directory and mounted over it
MOUNTED = {
    "docker-compose.yml": "services:\n  app:\n    build: .\n    volumes:\n      - .:/rust\n",
    "Dockerfile": 'FROM rust:1.80\nWORKDIR /rust\nCOPY . .\nCMD ["cargo", "run"]\n',
    "Cargo.toml": CARGO + '\n[dependencies]\ndotenv = "0.15"\n',
    "src/main.rs": (
        "use dotenv::dotenv;\nuse std::env;\n\nfn main() {\n    dotenv().ok();\n"
        + READ
        + '    println!("{}", broker);\n}\n'
    ),
    ".env": "KAFKA_BROKERS=kafka:9092\n",
}

# a built binary in a runtime stage whose working directory gets a copied env file
STAGED = {
    "docker-compose.yml": "services:\n  app:\n    build: ./app\n",
    "app/Dockerfile": (
        "FROM rust:1.80 AS build\nWORKDIR /src\nCOPY . .\nRUN cargo build --release\n"
        "FROM debian:bookworm-slim\nWORKDIR /srv/app\n"
        "COPY --from=build /src/target/release/demo /usr/local/bin/demo\n"
        'COPY conf/ /srv/\nCMD ["demo"]\n'
    ),
    "app/Cargo.toml": CARGO + '\n[dependencies]\ndotenvy = "0.15"\n',
    "app/conf/.env.local": "KAFKA_BROKERS=kafka:9092\n",
}


def _main(load: str) -> str:
    return f"use std::env;\n\nfn main() {{\n{load}{READ}}}\n"


def _env201(root: Path) -> set[tuple[str | None, str]]:
    report = run_lint(root, cache=False, select=("ENV201",))
    return {(f.variable, f.severity.value) for f in report.findings if f.code == "ENV201"}


def test_dotenv_in_main_reads_the_env_of_the_working_directory(tmp_path: Path) -> None:
    write_tree(tmp_path, MOUNTED)
    assert _env201(tmp_path) == set()
    write_tree(tmp_path, {".env": "OTHER=1\n"})
    assert _env201(tmp_path) == {("KAFKA_BROKERS", "error")}


def test_crate_path_and_aliases_are_loads(tmp_path: Path) -> None:
    for source in (
        _main("    dotenvy::dotenv().ok();\n"),
        "use dotenvy as dy;\n" + _main("    let _ = dy::dotenv();\n"),
        "use dotenvy::{dotenv as load_env};\n" + _main('    load_env().expect("env");\n'),
        "use dotenv::*;\n" + _main("    dotenv().ok();\n"),
    ):
        write_tree(tmp_path, {**MOUNTED, "src/main.rs": source})
        assert _env201(tmp_path) == set(), source


def test_a_local_function_named_dotenv_is_no_load(tmp_path: Path) -> None:
    source = "fn dotenv() {}\n" + _main("    dotenv();\n")
    write_tree(tmp_path, {**MOUNTED, "src/main.rs": source})
    assert _env201(tmp_path) == {("KAFKA_BROKERS", "error")}


def test_absent_env_file(tmp_path: Path) -> None:
    """Absent and not ignored: dotenv finds nothing; absent but gitignored: it may be created."""
    write_tree(tmp_path, {k: v for k, v in MOUNTED.items() if k != ".env"})
    assert _env201(tmp_path) == {("KAFKA_BROKERS", "error")}
    write_tree(tmp_path, {".gitignore": ".env\n"})
    assert _env201(tmp_path) == {("KAFKA_BROKERS", "info")}


def test_conditional_loads_soften_to_info(tmp_path: Path) -> None:
    for source in (
        _main("    #[cfg(debug_assertions)]\n    dotenv::dotenv().ok();\n"),
        _main('    #[cfg(feature = "dotenv")]\n    dotenv::dotenv().ok();\n'),
        "fn setup() { dotenv::dotenv().ok(); }\n" + _main("    setup();\n"),
        _main("    if cfg!(debug_assertions) {\n        dotenv::dotenv().ok();\n    }\n"),
    ):
        write_tree(tmp_path, {**MOUNTED, "src/main.rs": source})
        assert _env201(tmp_path) == {("KAFKA_BROKERS", "info")}, source


def test_from_filename_searches_the_parents_of_the_working_directory(tmp_path: Path) -> None:
    """``from_filename`` looks in the cwd and its parents (``/srv/.env.local`` from
    ``/srv/app``); ``from_path`` opens the path from the cwd only."""
    found = _main('    dotenvy::from_filename(".env.local").ok();\n')
    write_tree(tmp_path, {**STAGED, "app/src/main.rs": found})
    assert _env201(tmp_path) == set()
    only_cwd = _main('    dotenvy::from_path(std::path::Path::new(".env.local")).ok();\n')
    write_tree(tmp_path, {"app/src/main.rs": only_cwd})
    assert _env201(tmp_path) == {("KAFKA_BROKERS", "error")}
    parent = _main('    dotenvy::from_path("../.env.local").ok();\n')
    write_tree(tmp_path, {"app/src/main.rs": parent})
    assert _env201(tmp_path) == set()


def test_dockerignored_env_file_is_not_in_the_image(tmp_path: Path) -> None:
    found = _main('    dotenvy::from_filename(".env.local").ok();\n')
    write_tree(tmp_path, {**STAGED, "app/src/main.rs": found, "app/.dockerignore": "**/.env*\n"})
    assert _env201(tmp_path) == {("KAFKA_BROKERS", "error")}


def test_cfg_attr_does_not_gate_the_load(tmp_path: Path) -> None:
    source = _main("    #[cfg_attr(test, allow(unused_must_use))]\n    dotenv::dotenv();\n")
    write_tree(tmp_path, {**MOUNTED, "src/main.rs": source})
    assert _env201(tmp_path) == set()
