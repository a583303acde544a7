"""The C# adapter's ``IConfiguration`` reads (most forms are pinned by the annotated
``tests/fixtures/sources_csharp`` project)."""

from __future__ import annotations

from pathlib import Path

from tests.sources._helpers import index_files


def test_configuration_keys_from_named_and_commented_arguments(tmp_path: Path) -> None:
    # the key is an argument's value (csharp.scm's .arg), not its `key:` name or a comment
    code = """
        using Microsoft.Extensions.Configuration;
        class Startup {
            void Configure(IConfiguration config) {
                var port = config.GetValue<int>(key: "Port");
                var url = config.GetSection(key: "Db")["Url"];
                var name = config[/* c */ "Name"];
            }
        }
    """
    reads = index_files(tmp_path, {"svc/Startup.cs": code}, "app").reads
    assert sorted((r.name, r.location.line) for r in reads) == [
        ("Db__Url", 5),
        ("Name", 6),
        ("Port", 4),
    ]
