"""Fuzzing with hypothesis: compose loading and every language adapter never raise.

(The dotenv parser and interpolation have their own properties in
tests/compose/test_properties_dotenv_interp.py.)  A crash inside an adapter or extractor is
caught by the source index and turned into a note; here such a note is a failure too.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from envlint.compose import load_workspace
from envlint.config import Settings
from envlint.pipeline import build_facts

FUZZ = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

YAML_ALPHABET = ":-[]{}&*!|>'\"#%@`,?\n\t ${}=_aAzZ09.\\\ufeff\r"
yamlish = st.text(alphabet=st.sampled_from(YAML_ALPHABET), max_size=300) | st.binary(max_size=300)


def _load(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for rel, data in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(data)
        ws = load_workspace(root, Settings())
        for problem in ws.problems:
            assert problem.location.line >= 1
        # the source pass runs over whatever services came out
        facts, failures = build_facts(ws, Settings(), {"sources", "kafka-clients", "ordering"})
        assert not failures
        assert not [n for n in facts.notes if "failed on this file" in n.message], facts.notes


@FUZZ
@given(yamlish, yamlish)
def test_random_yamlish_compose_and_env_never_raise(compose: str | bytes, env: str | bytes) -> None:
    raw = [x.encode("utf-8", "surrogatepass") if isinstance(x, str) else x for x in (compose, env)]
    _load({"compose.yaml": raw[0], ".env": raw[1], "x.env": raw[1]})


scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True)
    | st.text(max_size=20)
    | st.sampled_from(["${A}", "${B:-x}", "${C:?need}", "$$", "${", "./x.env", "..", "/etc"])
)
keys = st.sampled_from(
    [
        "services", "image", "build", "context", "dockerfile", "environment", "env_file",
        "extends", "service", "file", "include", "path", "profiles", "restart", "name",
        "args", "target", "required", "format", "app", "db", "A", "x-anchor", "<<",
    ]
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=5),
    max_leaves=25,
)
service = st.fixed_dictionaries(
    {},
    optional={
        "image": scalars,
        "build": values,
        "environment": st.dictionaries(st.sampled_from(["A", "B", "C"]), scalars) | values,
        "env_file": values,
        "extends": values,
        "profiles": values,
        "restart": scalars,
    },
)
compose_docs = st.fixed_dictionaries(
    {},
    optional={
        "services": st.dictionaries(st.sampled_from(["app", "db", "kafka"]), service | values),
        "include": values,
        "name": scalars,
    },
)


def _dump(doc: object) -> bytes:
    import io

    from ruamel.yaml import YAML

    out = io.StringIO()
    yaml = YAML(typ="safe", pure=True)
    yaml.dump(doc, out)
    return out.getvalue().encode()


@FUZZ
@given(compose_docs, compose_docs)
def test_structured_compose_documents_never_raise(main: object, layer: object) -> None:
    _load(
        {
            "compose.yaml": _dump(main),
            "compose.override.yaml": _dump(layer),
            "x.env": b"A=1\nB=${A}\n",
            ".env": b"A=2\n",
            "Dockerfile": b"FROM alpine\nENV A=1\n",
        }
    )


SNIPPETS = {
    "go": b'package main\n\nimport (\n\t"os"\n\t"strconv"\n)\n\nfunc mustEnv(k string) string {\n'
    b'\tv, ok := os.LookupEnv(k)\n\tif !ok {\n\t\tpanic(k)\n\t}\n\treturn v\n}\n\n'
    b'func main() {\n\tn, err := strconv.Atoi(os.Getenv("N"))\n\tif err != nil {\n'
    b'\t\tlog.Fatal(err)\n\t}\n\t_ = mustEnv("KEY")\n\t_ = n\n}\n',
    "cs": b'using System;\nclass C {\n  static string Req(string k) => '
    b'Environment.GetEnvironmentVariable(k) ?? throw new Exception(k);\n'
    b'  static void Main() {\n    var t = int.Parse(Environment.GetEnvironmentVariable("T"));\n'
    b'    var k = Req("KEY");\n  }\n}\n',
    "py": b'import os\n\ndef need(k):\n    v = os.environ.get(k)\n    if not v:\n'
    b"        raise SystemExit(k)\n    return v\n\n"
    b'PORT = int(os.environ["PORT"])\nKEY = need("KEY")\n',
    "js": b'const port = parseInt(process.env.PORT ?? "80", 10);\n'
    b'if (!process.env.KEY) { throw new Error("KEY"); }\nconst { A, B = "x" } = process.env;\n',
    "ts": b'function need(k: string): string {\n  const v = process.env[k];\n'
    b'  if (!v) throw new Error(k);\n  return v;\n}\nconst key: string = need("KEY");\n',
    "java": b'class App {\n  public static void main(String[] a) {\n'
    b'    int n = Integer.parseInt(System.getenv("N"));\n'
    b'    String k = java.util.Objects.requireNonNull(System.getenv("KEY"));\n  }\n}\n',
}


@st.composite
def mutated(draw: st.DrawFn, snippet: bytes) -> bytes:
    data = bytearray(snippet)
    for _ in range(draw(st.integers(0, 8))):
        op = draw(st.sampled_from(["delete", "insert", "replace", "duplicate"]))
        at = draw(st.integers(0, len(data)))
        if op == "delete" and data:
            end = min(len(data), at + draw(st.integers(1, 20)))
            del data[at:end]
        elif op == "insert":
            data[at:at] = draw(st.binary(max_size=8) | st.sampled_from([b"{", b"}", b"(", b'"']))
        elif op == "replace" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif op == "duplicate" and data:
            end = min(len(data), at + draw(st.integers(1, 40)))
            data[at:at] = data[at:end]
    return bytes(data)


def _source_project(extension: str, code: bytes) -> dict[str, bytes]:
    return {
        "compose.yaml": b"services:\n  app:\n    build: ./src/app\n    restart: always\n",
        "src/app/Dockerfile": b"FROM scratch\n",
        f"src/app/main.{extension}": code,
        f"src/app/other.{extension}": SNIPPETS[extension],
    }


@FUZZ
@given(st.sampled_from(sorted(SNIPPETS)), st.data())
def test_adapters_never_raise_on_mutated_snippets(extension: str, data: st.DataObject) -> None:
    code = data.draw(mutated(SNIPPETS[extension]))
    _load(_source_project(extension, code))


@FUZZ
@given(st.sampled_from(sorted(SNIPPETS)), st.binary(max_size=400))
def test_adapters_never_raise_on_random_bytes(extension: str, code: bytes) -> None:
    needle = {"go": b"os.Getenv", "cs": b"Environment", "py": b"os.environ", "js": b"process.env",
              "ts": b"process.env", "java": b"System.getenv"}[extension]
    _load(_source_project(extension, needle + code + needle))  # past the byte pre-filter
