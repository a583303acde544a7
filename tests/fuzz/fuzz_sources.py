"""atheris harness: every language adapter and extractor on arbitrary source bytes.

The first byte picks the language; the rest is the file.  The adapter's ``scan`` and
``scan_calls`` (with the helpers the scan found) and every matching extractor run *unguarded*
(``build_index`` would turn an exception into a note; here it is a crash to fix).

Run:  python tests/fuzz/fuzz_sources.py -max_total_time=300 /tmp/corpus-sources
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _seeds import REPO, import_all_envlint

with atheris.instrument_imports(include=["envlint"]):
    import_all_envlint()
    from envlint.filepass.languages import parser_for
    from envlint.filepass.parse import decode_source
    from envlint.kafka.clients import EXTRACTOR as KAFKA_CLIENTS
    from envlint.ordering.extract import EXTRACTOR as ORDERING
    from envlint.sources.adapter import FileContext
    from envlint.sources.index import load_adapter

LANGS = ("go", "csharp", "python", "javascript", "typescript", "tsx", "java")
EXT = {"go": "go", "csharp": "cs", "python": "py", "javascript": "js", "typescript": "ts",
       "tsx": "tsx", "java": "java"}


def check(data: bytes) -> None:
    if not data:
        return
    language = LANGS[data[0] % len(LANGS)]
    source = decode_source(data[1:])
    adapter = load_adapter(language)
    parser = parser_for(language)
    assert adapter is not None and parser is not None
    root = parser.parse(source).root_node
    path = f"src/svc/main.{EXT[language]}"
    ctx = FileContext(path, language, source, root)
    scan = adapter.scan(path, language, source, root, None)
    if scan.helpers:
        adapter.scan_calls(ctx, {h.name: h for h in scan.helpers})
    for extractor in (KAFKA_CLIENTS, ORDERING):
        if language in extractor.languages:
            extractor.extract(language, root, source, path, scan.reads)


def seeds(corpus: Path) -> None:
    corpus.mkdir(parents=True, exist_ok=True)
    if any(corpus.iterdir()):
        return
    count = 0
    for root in (REPO / "tests" / "fixtures", REPO / "examples"):
        for index, language in enumerate(LANGS):
            for path in sorted(root.rglob(f"*.{EXT[language]}")):
                if path.stat().st_size < 64 * 1024:
                    (corpus / f"seed{count:04d}").write_bytes(bytes([index]) + path.read_bytes())
                    count += 1


def main() -> None:
    corpus = [a for a in sys.argv[1:] if not a.startswith("-")]
    if corpus:
        seeds(Path(corpus[0]))
    atheris.Setup(sys.argv, check)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
