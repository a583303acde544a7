"""atheris harness: YAML loading and the whole compose pipeline never raise.

Each input is parsed by ``load_yaml_documents`` (only ``YamlError`` may escape), then written as
``compose.yaml`` (plus a small ``.env``) into a scratch directory and run through ``lint`` with
every rule: no exception and no ENV903 (a rule crashing) is allowed.

Run:  python tests/fuzz/fuzz_yaml.py -max_total_time=300 /tmp/corpus-yaml
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _seeds import import_all_envlint, write_seeds

with atheris.instrument_imports(include=["envlint"]):
    import_all_envlint()
    from envlint.compose.yamlnodes import YamlError, load_yaml_documents
    from envlint.config import Settings
    from envlint.engine import lint

SCRATCH = Path(tempfile.mkdtemp(prefix="envlint-fuzz-yaml-"))
(SCRATCH / ".env").write_text("A=1\nPORT=8080\n")
(SCRATCH / "app.env").write_text("B=2\n")
SETTINGS = Settings()


def check(data: bytes) -> None:
    with contextlib.suppress(YamlError):
        load_yaml_documents(data, "compose.yaml", max_nodes=100_000)
    (SCRATCH / "compose.yaml").write_bytes(data)
    report = lint([SCRATCH], SETTINGS)
    if report.internal_errors:
        raise AssertionError(report.internal_errors[0])


def main() -> None:
    corpus = [a for a in sys.argv[1:] if not a.startswith("-")]
    if corpus:
        write_seeds(Path(corpus[0]), ("*compose*.y*ml", "base.yaml"))
    atheris.Setup(sys.argv, check)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
