"""build_index: file selection, pre-filter, one parse per file, notes, extractors, services."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from envlint.config import Settings
from envlint.filepass import parse as parsing
from envlint.filepass.parse import decode_source
from envlint.model import ComposeProject, Location, ProblemKind, Service, Workspace
from envlint.pipeline import build_facts
from envlint.sources import build_index
from envlint.sources.model import Extractor
from tests.conftest import write_tree


def _workspace(root: Path, sources: dict[str, str]) -> Workspace:
    services = tuple(
        Service(name=name, location=Location("compose.yaml", i + 2), source_dir=src)
        for i, (name, src) in enumerate(sorted(sources.items()))
    )
    project = ComposeProject(
        name="p", directory=".", files=("compose.yaml",), env_files=(), environment={},
        services=services, refs=(),
    )  # fmt: skip
    files = tuple(sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()))
    return Workspace(root=root, projects=(project,), problems=(), files=files)


GO_MAIN = """
package main

import "os"

func main() {
	if os.Getenv("DB_URL") == "" {
		panic("DB_URL")
	}
}
"""


def test_file_shared_by_two_services_and_outside_any_service(tmp_path: Path) -> None:
    write_tree(tmp_path, {"src/app/main.go": GO_MAIN, "tools/gen.go": GO_MAIN})
    ws = _workspace(tmp_path, {"a": "src/app", "b": "src"})
    index = build_index(ws)
    assert [r.location.path for r in index.reads] == ["src/app/main.go"]
    assert index.files_scanned == 1
    facts, _ = build_facts(ws, Settings(cache=False), {"sources"})
    assert facts.sources is not None
    assert [r.name for r in facts.sources.of(*_service(ws, "a"))] == ["DB_URL"]
    assert [r.name for r in facts.sources.of(*_service(ws, "b"))] == ["DB_URL"]


def test_prefilter_skips_files_without_needles(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "s/main.go": GO_MAIN,
            "s/util.go": "package main\n\nfunc add(a, b int) int { return a + b }\n",
        },
    )
    index = build_index(_workspace(tmp_path, {"s": "s"}))
    assert (index.files_scanned, index.files_parsed) == (2, 1)


def test_oversized_file_is_skipped_with_a_note(tmp_path: Path) -> None:
    write_tree(tmp_path, {"s/main.go": GO_MAIN})
    index = build_index(_workspace(tmp_path, {"s": "s"}), max_bytes=10)
    assert index.reads == ()
    notes = index.notes
    assert len(notes) == 1
    assert notes[0].kind is ProblemKind.NOTE
    assert "larger than 10 bytes" in notes[0].message


def test_invalid_utf8_and_syntax_errors_still_yield_reads(tmp_path: Path) -> None:
    broken = GO_MAIN.replace("func main() {", "func main() {\n\tx := ((( \xff\n").encode("latin-1")
    write_tree(tmp_path, {"s/main.go": broken})
    index = build_index(_workspace(tmp_path, {"s": "s"}))
    assert [r.name for r in index.reads] == ["DB_URL"]
    (note,) = index.notes
    assert note.location == Location("s/main.go", 7, 2, 11, 3)
    assert "read in part" in note.message


def test_decode_source_handles_bom_and_utf16() -> None:
    assert decode_source(b"\xef\xbb\xbfabc") == b"abc"
    assert decode_source("abc".encode("utf-16")) == b"abc"
    assert decode_source(b"a\xffb") == "a\ufffdb".encode()


def test_extractors_get_the_same_tree_once(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {"s/main.go": GO_MAIN, "s/kafka.go": "package main\n\n// sarama.NewConsumerGroup\n"},
    )
    seen: list[tuple[str, str]] = []

    def extract(
        language: str, root: object, source: bytes, path: str, reads: object
    ) -> tuple[object, ...]:
        seen.append((language, path))
        return (path,)

    fake = Extractor("fake", frozenset({"go"}), (b"sarama", b"Getenv"), extract)
    index = build_index(_workspace(tmp_path, {"s": "s"}), extractors=(fake,))
    assert seen == [("go", "s/kafka.go"), ("go", "s/main.go")]
    assert index.facts_of(fake) == ("s/kafka.go", "s/main.go")
    assert index.files_parsed == 2  # parsed once each, shared by the adapter and the extractor


def test_failing_extractor_is_a_note_not_a_crash(tmp_path: Path) -> None:
    write_tree(tmp_path, {"s/main.go": GO_MAIN})

    def extract(
        language: str, root: object, source: bytes, path: str, reads: object
    ) -> tuple[object, ...]:
        raise RuntimeError("bug")

    bad = Extractor("bad", frozenset({"go"}), (b"Getenv",), extract)
    index = build_index(_workspace(tmp_path, {"s": "s"}), extractors=(bad,))
    assert [r.name for r in index.reads] == ["DB_URL"]
    assert any("extractor bad failed" in p.message for p in index.notes)


def test_deterministic_and_service_without_source(tmp_path: Path) -> None:
    write_tree(tmp_path, {"s/b.go": GO_MAIN, "s/a.go": GO_MAIN.replace("DB_URL", "A_URL")})
    ws = _workspace(tmp_path, {"s": "s"})
    first = build_index(ws)
    second = build_index(replace(ws))
    assert first == second
    assert [r.location.path for r in first.reads] == ["s/a.go", "s/b.go"]
    no_source = replace(
        ws,
        projects=(replace(ws.projects[0], services=(Service("img", Location("compose.yaml")),)),),
    )
    assert build_index(no_source).reads == ()


def test_grammars_load_lazily() -> None:
    fixture = Path(__file__).resolve().parent.parent / "fixtures" / "sources_go"
    code = (
        "import sys\n"
        "from envlint.config import Settings\n"
        "from envlint.compose import load_workspace\n"
        "from envlint.sources import build_index\n"
        f"ws = load_workspace(__import__('pathlib').Path({str(fixture)!r}), Settings())\n"
        "assert build_index(ws).reads\n"
        "assert 'tree_sitter_go' in sys.modules\n"
        "assert 'tree_sitter_c_sharp' not in sys.modules, 'C# grammar loaded for a Go repo'\n"
        "assert 'envlint.sources.csharp' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[2])


def _service(ws: Workspace, name: str) -> tuple[ComposeProject, Service]:
    return next((p, s) for p, s in ws.services() if s.name == name)


def test_helper_call_sites_are_parsed_from_decoded_bytes(tmp_path: Path) -> None:
    """Phase 2 (wrapper call sites) re-reads files: invalid UTF-8 must be decoded as in phase 1
    (tree-sitter's query predicates crash the process on invalid UTF-8)."""
    broken = (
        b"class C {\n  static string Req(string k) => Environment.GetEnvironmentVariable(k)"
        b" ?? throw new Exception(k);\n  static void Main() {\n"
        b'    var t = int.Parse(Env\xa1ronment.GetEnvironmentVariable("T"));\n'
        b'    var k = Req("KEY");\n  }\n}\n'
    )
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "Main.cs").write_bytes(broken)
    index = build_index(_workspace(tmp_path, {"s": "s"}))
    assert ("KEY", "crash") in {(r.name, r.missing) for r in index.reads}


def test_a_csharp_directive_inside_an_expression_is_said_as_such(tmp_path: Path) -> None:
    program = (
        "var log = new LoggerConfiguration()\n#if DEBUG\n    .MinimumLevel.Debug()\n#else\n"
        "    .MinimumLevel.Information()\n#endif\n    .CreateLogger();\n"
        'var url = System.Environment.GetEnvironmentVariable("API_URL");\n'
    )
    broken = 'var url = System.Environment.GetEnvironmentVariable("API_URL") +;\n'
    for text, directive in ((program, True), (broken, False)):
        write_tree(tmp_path, {"s/Program.cs": text})
        index = build_index(_workspace(tmp_path, {"s": "s"}))
        assert [r.name for r in index.reads] == ["API_URL"]
        (note,) = index.notes
        assert ("preprocessor directive" in note.message) is directive, note.message
        assert ("such as a newer language feature" in note.message) is not directive


def test_phases_after_the_first_parse_a_file_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file read quietly for another scope's constants (``b.Key``) and then for the call
    sites of its own scope's helper (``get``) is parsed once after phase 1, and counted once."""
    write_tree(
        tmp_path,
        {
            "go.mod": "module example.com/app\n\ngo 1.22\n",
            "a/main.go": 'package main\n\nimport (\n\t"os"\n\n\t"example.com/app/b"\n)\n\n'
            "func main() { _ = os.Getenv(b.Key) }\n",
            "b/b.go": 'package b\n\nimport "os"\n\nconst Key = "B_KEY"\n\n'
            "func get(k string) string { return os.Getenv(k) }\n",
            "b/use.go": 'package b\n\nfunc Use() string { return get("USE_KEY") }\n',
        },
    )
    parsed: list[int] = []
    real_parse = parsing.parse

    def parse(language: str, source: bytes) -> Any:
        parsed.append(len(source))
        return real_parse(language, source)

    monkeypatch.setattr(parsing, "parse", parse)
    index = build_index(_workspace(tmp_path, {"a": "a", "b": "b"}))
    assert {r.name for r in index.reads} == {"B_KEY", "USE_KEY"}
    size = {path: (tmp_path / path).stat().st_size for path in ("a/main.go", "b/b.go", "b/use.go")}
    # phase 1 parses the files with reads; after it, b/b.go and b/use.go are parsed once each
    phase1 = [size["a/main.go"], size["b/b.go"]]
    assert sorted(parsed) == sorted([*phase1, size["b/b.go"], size["b/use.go"]])
    assert index.files_parsed == 3


def test_an_adapter_gives_a_files_constants_without_scanning_it(tmp_path: Path) -> None:
    from envlint.filepass.parse import parse_file
    from envlint.sources.adapter import FileContext
    from envlint.sources.index import load_adapter

    write_tree(
        tmp_path,
        {
            "b/b.go": 'package b\n\nimport "os"\n\nconst Key = "B_KEY"\nconst other = Key\n\n'
            'func get() string { return os.Getenv("X") }\n'
        },
    )
    adapter = load_adapter("go")
    parsed = parse_file(str(tmp_path), "b/b.go", "go", 1 << 20)
    assert adapter is not None and parsed is not None
    ctx = FileContext("b/b.go", "go", *parsed)
    scan = adapter.scan("b/b.go", "go", *parsed, None)
    assert dict(adapter.constants(ctx)) == dict(scan.constants) == {"Key": "B_KEY"}
