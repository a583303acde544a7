"""The shared classifier's own behaviour, seen through a language that uses it."""

from __future__ import annotations

from pathlib import Path

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
