"""atheris harness: the cache codec's loads() only ever returns a value or raises CodecError,
imports nothing and runs nothing; a pack with a bad MAC is never decoded.

Run:  python tests/fuzz/fuzz_cache.py -max_total_time=300 /tmp/corpus-cache
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _seeds import import_all_envlint

with atheris.instrument_imports(include=["envlint"]):
    import_all_envlint()
    from envlint import cache
    from envlint.filepass.run import FileFacts
    from envlint.model import Location, Problem, ProblemKind

SEED = cache.dumps(
    FileFacts(None, ((0, (Problem(ProblemKind.NOTE, Location("a.go", 2, 3), "n"), [1])),), ("x",))
)
MODULES: set[str] = set()  # what the first call sees loaded; loads() must not add any


def check(data: bytes) -> None:
    if not MODULES:
        MODULES.update(sys.modules)
    for blob in (data, SEED[: len(data) % len(SEED)] + data):
        with contextlib.suppress(cache.CodecError):  # anything else is a crash
            cache.loads(blob)
    assert set(sys.modules) <= MODULES, sorted(set(sys.modules) - MODULES)


def main() -> None:
    corpus = [a for a in sys.argv[1:] if not a.startswith("-")]
    if corpus:
        Path(corpus[0]).mkdir(parents=True, exist_ok=True)
        (Path(corpus[0]) / "seed").write_bytes(SEED)
    atheris.Setup(sys.argv, check)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
