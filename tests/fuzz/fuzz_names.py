"""atheris harness: any file name (bytes, control characters, newlines, non-UTF-8) in every
terminal and CI format: no exception, no raw control character in terminal formats, no line
of the github format that the runner would read as a command it did not mean.

Run:  python tests/fuzz/fuzz_names.py -max_total_time=300 /tmp/corpus-names
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _seeds import import_all_envlint

with atheris.instrument_imports(include=["envlint"]):
    import_all_envlint()
    from envlint.findings import Finding, Related, Severity, Violation
    from envlint.model import Location
    from envlint.report import Report
    from envlint.reporters import RenderOptions, get_renderer

_CONTROL = {chr(c) for c in range(32) if c != 10} | {"\x7f", "\x1b"}


def check(data: bytes) -> None:
    name = os.fsdecode(data[:200]) or "x"
    message = os.fsdecode(data[200:400])
    violation = Violation(Location(name, 1, 1), f"{message} in {name}")
    finding = Finding("ENV101", "undefined-variable", Severity.WARNING, violation.message,
                      violation.location, name, name, (Related(Location(name, 2, 1), message),),
                      "", Finding.make_fingerprint("ENV101", violation))  # fmt: skip
    report = Report(root=Path("/nonexistent"), findings=(finding,) * 12)
    for fmt in ("text", "concise", "github", "json", "sarif", "junit"):
        text = get_renderer(fmt)(report, RenderOptions(width=0))
        text.encode("utf-8")  # valid UTF-8 whatever the name's bytes
        if fmt in ("text", "concise", "github"):
            assert not _CONTROL & set(text), fmt
        if fmt == "github":
            token = None  # inside ::stop-commands:: the runner reads no command but the token
            for line in text.split("\n"):
                bare = line.lstrip()
                if token is not None:
                    assert token not in line or line == f"::{token}::", line
                    token = None if line == f"::{token}::" else token
                    continue
                if bare.startswith("::stop-commands::"):
                    token = bare.removeprefix("::stop-commands::")
                    continue
                assert not bare.startswith("::") or bare.startswith("::warning "), line
                assert "##[" not in line or bare.startswith("::warning "), line


def main() -> None:
    atheris.Setup(sys.argv, check)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
