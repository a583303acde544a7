"""atheris harness: the dotenv parsers (default and raw format) never raise, never leak.

Run:  python tests/fuzz/fuzz_dotenv.py -max_total_time=300 /tmp/corpus-dotenv
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _seeds import import_all_envlint, write_seeds

with atheris.instrument_imports(include=["envlint"]):
    import_all_envlint()
    from envlint.compose.dotenv import decode_env_file, parse_dotenv, parse_raw_env_file

SECRET = "Zq9-SECRET-VALUE-xK7"
LOOKUP = {"A": "1", "EMPTY": "", "HIDDEN": SECRET}.get


def check(data: bytes) -> None:
    text, problem = decode_env_file(data, ".env")
    if text is None:
        assert problem is not None
        return
    for nesting in ("lazy", "eager"):
        result = parse_dotenv(text, ".env", LOOKUP, earlier={"E": "x"}, nesting=nesting)  # type: ignore[arg-type]
        for item in result.problems:
            assert SECRET not in item.message, item.message
            assert item.location.line >= 1
    raw = parse_raw_env_file(text, ".env", LOOKUP)
    for item in raw.problems:
        assert SECRET not in item.message, item.message


def main() -> None:
    corpus = [a for a in sys.argv[1:] if not a.startswith("-")]
    if corpus:
        write_seeds(Path(corpus[0]), ("*.env", ".env*", "*.env.*"))
    atheris.Setup(sys.argv, check)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
