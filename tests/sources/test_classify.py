"""The shared classifier's own behaviour, seen through a language that uses it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sources._helpers import brief, index_files

WRAPPER = """
using System;

static class Env
{
    public static string Get(string service, string key)
    {
        return Environment.GetEnvironmentVariable(key)
            ?? throw new InvalidOperationException(service);
    }
}

class Program
{
    static void Main()
    {
        var url = Env.Get("db", "DB_URL");
    }
}
"""


def test_every_parameter_and_argument_plays_its_part(tmp_path: Path) -> None:
    # tree-sitter gives one match per way a repeated part matches; the roles merge them, so a
    # wrapper whose name is its second parameter is one (it was a dynamic read)
    index = index_files(tmp_path, {"svc/Program.cs": WRAPPER}, "app")
    assert [brief(r) for r in index.reads] == [
        ("DB_URL", 16, "crash", "empty", None, "string", "Get")
    ]
    assert index.dynamic_reads == 0


# (path, code, (missing, on_empty, type)) of the one read of variable A in each case
CONDITIONS = [
    # one @assert decision (Walk._asserted) wherever the value meets it: as the test itself,
    # as the subject of the test, as a holder in a later statement
    ("app.py", 'import os\nassert os.getenv("A")\n', ("crash", "crash", "string")),
    ("app.py", 'import os\nassert os.getenv("A") is not None\n', ("crash", "empty", "string")),
    ("app.py", 'import os\na = os.getenv("A")\nassert a\n', ("crash", "crash", "string")),
    (
        "App.kt",
        'fun main() {\n    val a = System.getenv("A")\n    require(a != null)\n}\n',
        ("crash", "empty", "string"),
    ),
    # an assertion that holds when the variable is missing decides nothing
    ("app.py", 'import os\nassert os.getenv("A") is None\n', ("empty", "empty", "string")),
    ("app.py", 'import os\na = os.getenv("A")\nassert a == ""\n', ("empty", "empty", "string")),
    # a null=crash test crashes on null, of the read itself or of a holder (Walk.null_test)
    (
        "App.kt",
        'fun main() {\n    if (System.getenv("A").isEmpty()) { throw Exception() }\n}\n',
        ("crash", "crash", "string"),
    ),
    (
        "App.kt",
        'fun main() {\n    val a = System.getenv("A")\n'
        "    if (a.isEmpty()) { throw Exception() }\n}\n",
        ("crash", "crash", "string"),
    ),
    # the first later use of a holder (Walk._first_use) is climbed: a parse decides open paths,
    # one under a condition gives the type only; a closure's parameter is followed the same way
    ("app.py", 'import os\na = os.getenv("A")\nprint(a)\nn = int(a)\n', ("crash", "crash", "int")),
    ("app.py", 'import os\na = os.getenv("A")\nif a:\n    n = int(a)\n', ("empty", "empty", "int")),
    (
        "main.rs",
        "fn main() {\n"
        '    let p: u16 = std::env::var("A").map(|v| v.parse().unwrap()).unwrap_or(8);\n}\n',
        ("default", "crash", "int"),
    ),
]


@pytest.mark.parametrize(("path", "code", "expected"), CONDITIONS)
def test_conditions_and_uses_decide_once(
    tmp_path: Path, path: str, code: str, expected: tuple[str, str, str]
) -> None:
    index = index_files(tmp_path, {f"svc/{path}": code}, "app")
    assert [(r.name, r.missing, r.on_empty, r.expected_type) for r in index.reads] == [
        ("A", *expected)
    ]
