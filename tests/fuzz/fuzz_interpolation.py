"""atheris harness: Compose interpolation never raises; refs and errors point at a ``$``.

Run:  python tests/fuzz/fuzz_interpolation.py -max_total_time=300 /tmp/corpus-interp
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _seeds import import_all_envlint

with atheris.instrument_imports(include=["envlint"]):
    import_all_envlint()
    from envlint.compose.interpolation import interpolate

SECRET = "Zq9-SECRET-VALUE-xK7"
ENV = {"A": "1", "EMPTY": "", "HIDDEN": SECRET, "NESTED": "${A}"}


def check(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    template = provider.ConsumeUnicodeNoSurrogates(len(data))
    for nesting in ("lazy", "eager"):
        result = interpolate(template, ENV.get, nesting=nesting)  # type: ignore[arg-type]
        for ref in result.refs:
            assert template[ref.start] == "$", (template, ref)
            assert ref.start < ref.end <= len(template)
        if result.error is not None:
            assert template[result.error.offset] == "$"
            assert SECRET not in result.error.message or SECRET in template


SEEDS = ("${A}", "${A:-x}", "${A-${B:-y}}", "${A:?need it}", "${A?}", "$$A", "$A_B",
         "${A:+set}", "${A+set}", "a${HIDDEN:?m}b", "${NESTED}${", "${A:-${B:-${C}}}")


def main() -> None:
    corpus = [a for a in sys.argv[1:] if not a.startswith("-")]
    if corpus:
        Path(corpus[0]).mkdir(parents=True, exist_ok=True)
        if not any(Path(corpus[0]).iterdir()):
            for i, seed in enumerate(SEEDS):
                (Path(corpus[0]) / f"seed{i:02d}").write_text(seed)
    atheris.Setup(sys.argv, check)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
