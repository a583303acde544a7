"""Rust: a binary's main file -> its module tree and the local library crates it uses."""

from __future__ import annotations

from pathlib import Path

from tests.servicecode._graphtree import notes_text, resolve

CRATE = {
    "Cargo.toml": """
        [workspace]
        members = [".", "crates/*"]

        [workspace.dependencies]
        telemetry = { path = "crates/telemetry" }

        [package]
        name = "order-svc"
        version = "0.1.0"

        [dependencies]
        util = { path = "crates/util" }
        telemetry = { workspace = true }
        unused-local = { path = "crates/unused" }
        serde = "1"

        [dev-dependencies]
        testkit = { path = "crates/testkit" }
    """,
    "src/main.rs": """
        mod config;
        mod routes;
        #[path = "platform/linux.rs"]
        mod platform;
        #[cfg(test)]
        mod tests;
        use order_svc::run;
        fn main() { util::init(); telemetry::start(); run(); }
    """,
    "src/config.rs": "mod parse;\npub fn load() {}\n",
    "src/config/parse.rs": "",
    "src/routes/mod.rs": "pub mod orders;\n",
    "src/routes/orders.rs": "",
    "src/platform/linux.rs": "",
    "src/tests.rs": "",
    "src/lib.rs": "mod inner;\npub fn run() {}\n",
    "src/inner.rs": "",
    # (src/bin/ is skipped by the directory walk: "bin" is a build-output name)
    "src/admin.rs": "fn main() { order_svc::run(); }\n",
    "examples/demo.rs": "fn main() {}\n",
    "crates/util/Cargo.toml": '[package]\nname = "util"\n',
    "crates/util/src/lib.rs": "pub mod env;\npub fn init() {}\n",
    "crates/util/src/env.rs": "",
    "crates/telemetry/Cargo.toml": '[package]\nname = "telemetry"\n[lib]\npath = "lib.rs"\n',
    "crates/telemetry/lib.rs": "pub fn start() {}\n",
    "crates/unused/Cargo.toml": '[package]\nname = "unused-local"\n',
    "crates/unused/src/lib.rs": "",
    "crates/testkit/Cargo.toml": '[package]\nname = "testkit"\n',
    "crates/testkit/src/lib.rs": "",
}


def test_binary_module_tree_own_library_and_path_dependencies(tmp_path: Path) -> None:
    result = resolve(tmp_path, CRATE, "rust", "cargo-bin", "src/main.rs")
    assert result.files == {
        "src/main.rs",
        "src/config.rs",
        "src/config/parse.rs",
        "src/routes/mod.rs",
        "src/routes/orders.rs",
        "src/platform/linux.rs",
        "src/lib.rs",
        "src/inner.rs",
        "crates/util/src/lib.rs",
        "crates/util/src/env.rs",
        "crates/telemetry/lib.rs",
    }
    for excluded in ("src/admin.rs", "examples/demo.rs", "src/tests.rs"):
        assert excluded not in result.files
    assert "crates/unused/src/lib.rs" not in result.files  # declared but never named
    assert result.complete, result.notes


def test_another_binary_of_the_package(tmp_path: Path) -> None:
    result = resolve(tmp_path, CRATE, "rust", "cargo-bin", "src/admin.rs")
    assert result.files == {"src/admin.rs", "src/lib.rs", "src/inner.rs"}


def test_missing_module_file_and_bad_manifest(tmp_path: Path) -> None:
    tree = {
        "Cargo.toml": "[package\nname = broken",
        "src/main.rs": "mod gone;\nfn main() {}\n",
    }
    result = resolve(tmp_path, tree, "rust", "cargo-bin", "src/main.rs")
    assert result.files == {"src/main.rs"}
    assert not result.complete
    text = notes_text(result)
    assert "module gone" in text
    assert "not valid TOML" in text
