"""The .NET env name -> configuration key rule and appsettings*.json as an app-side default."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from envlint.model import EnvValue, Location, Service, ValueSource, config_key
from envlint.sources.appsettings import ConfigSource, apply_appsettings, flatten, load_json_lenient
from envlint.sources.model import EnvRead
from tests.conftest import write_tree


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Kafka__BootstrapServers", "Kafka:BootstrapServers"),
        ("A___B", "A:_B"),
        ("A____B", "A::B"),
        ("SINGLE_UNDERSCORE", "SINGLE_UNDERSCORE"),
        ("CUSTOMCONNSTR_orders", "ConnectionStrings:orders"),
        ("sqlconnstr_Main", "ConnectionStrings:Main"),
        ("POSTGRESQLCONNSTR_db", "ConnectionStrings:db"),
        ("ConnectionStrings__redis", "ConnectionStrings:redis"),
    ],
)
def test_env_name_to_key(name: str, key: str) -> None:
    assert config_key(name) == key


def _read(name: str, api: str = "IConfiguration[]") -> EnvRead:
    return EnvRead(name, Location("src/a/Program.cs", 3), "csharp", api, "crash")


def _service(**env: str) -> Service:
    values = {
        k: EnvValue(k, v, ValueSource.ENVIRONMENT, Location("compose.yaml", 5))
        for k, v in env.items()
    }
    return Service("a", Location("compose.yaml", 2), environment=values)


def provided(svc: Service, read: EnvRead) -> EnvValue | None:
    return svc.provides(read.name, read.lookup)


def test_provided_matches_keys_case_insensitively_and_sections() -> None:
    svc = _service(KAFKA__GROUP="g", CUSTOMCONNSTR_Orders="x", Payments__Provider="p")
    assert provided(svc, _read("Kafka__Group")) is not None
    assert provided(svc, _read("ConnectionStrings__Orders")) is not None
    assert provided(svc, _read("Payments", "IConfiguration.GetRequiredSection")) is not None
    assert provided(svc, _read("Payments")) is None  # a plain key needs the key itself
    plain = EnvRead("KAFKA__GROUP", Location("m.go"), "go", "os.Getenv", "crash")
    assert provided(svc, plain) is not None
    assert (
        provided(svc, EnvRead("Kafka__Group", Location("m.go"), "go", "os.Getenv", "crash")) is None
    )


def test_lenient_json_and_flatten() -> None:
    doc = load_json_lenient(
        b'\xef\xbb\xbf{ // c\n "A": {"B": 1, "L": [1, {"x": null}],}, /* x */ }'
    )
    assert flatten(doc) == {"A:B": True, "A:L:0": True, "A:L:1:x": False}
    assert load_json_lenient(b"{ not json") is None
    assert load_json_lenient(b'{"s": "// not a comment"}') == {"s": "// not a comment"}


def test_apply_appsettings_uses_nearest_directory_and_production_only(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "src/a/appsettings.json": '{"Cache": {"Host": "h"}}',
            "src/a/appsettings.Production.json": '{"Prod": {"Key": "k"}}',
            "src/a/appsettings.Development.json": '{"Dev": {"Key": "k"}}',
        },
    )
    files = ("src/a/appsettings.Development.json", "src/a/appsettings.Production.json",
             "src/a/appsettings.json")  # fmt: skip
    reads = [_read("cache__host"), _read("Prod__Key"), _read("Dev__Key")]
    out = apply_appsettings(reads, tmp_path, files)
    assert [(r.missing, r.default) for r in out] == [
        ("default", "<src/a/appsettings.json>"),
        ("default", "<src/a/appsettings.Production.json>"),
        ("crash", None),
    ]


def test_added_sources_supply_their_project_only(tmp_path: Path) -> None:
    """A JSON file a project's code adds supplies that project's reads; one envlint cannot read
    (an absolute container path, XML) leaves them unknown instead of a crash."""
    write_tree(
        tmp_path,
        {
            "a/A.csproj": "<Project />",
            "a/proxy.json": '{"Proxy": {"Routes": {"r": 1}}}',
            "b/B.csproj": "<Project />",
            "c/C.csproj": "<Project />",
        },
    )
    files = ("a/A.csproj", "a/Program.cs", "a/proxy.json", "b/B.csproj", "b/Program.cs",
             "c/C.csproj", "c/Program.cs")  # fmt: skip

    def read(path: str, name: str) -> EnvRead:
        return EnvRead(
            name, Location(path, 3), "csharp", "IConfiguration.GetRequiredSection", "crash"
        )

    added = [
        ConfigSource(Location("a/Program.cs", 2), "./proxy.json"),
        ConfigSource(Location("b/Program.cs", 2), "/run/secrets/b.json"),
        ConfigSource(Location("c/Program.cs", 2), None),
    ]
    reads = [read("a/Program.cs", "Proxy"), read("a/Program.cs", "Other"),
             read("b/Program.cs", "Proxy"), read("c/Program.cs", "Proxy")]  # fmt: skip
    out = apply_appsettings(reads, tmp_path, files, added)
    assert [(r.missing, r.default) for r in out] == [
        ("default", "<a/proxy.json>"),
        ("crash", None),
        ("unknown", None),
        ("unknown", None),
    ]
    assert apply_appsettings(reads, tmp_path, files) == tuple(reads)  # nothing added


def test_config_sources_found_in_code(tmp_path: Path) -> None:
    """What a call adds: a literal path (positional, ``path:``, verbatim), None for what envlint
    cannot read; the project's own appsettings files are left to the standard reading."""
    from envlint.filepass.parse import parse_file
    from envlint.sources.csharp import ADAPTER

    code = """
        var b = WebApplication.CreateBuilder(args);
        b.Configuration.AddJsonFile("yarp.json", optional: false, reloadOnChange: true);
        b.Host.ConfigureAppConfiguration(c => c.AddJsonFile(path: "cfg/a.json", optional: true));
        b.Configuration.AddJsonFile(@"cfg\\b.json");
        b.Configuration.AddJsonFile($"appsettings.{b.Environment.EnvironmentName}.json", true);
        b.Configuration.AddJsonFile("appsettings.json").AddJsonFile("config/appsettings.json");
        b.Configuration.AddJsonFile($"ocelot.{env}.json").AddXmlFile("app.xml");
        b.Configuration.AddKeyPerFile("/run/secrets", optional: true);
        var x = b.Configuration["X"];
    """
    (tmp_path / "Program.cs").write_text(textwrap.dedent(code), encoding="utf-8")
    source, root = parse_file(str(tmp_path), "Program.cs", "csharp", 1 << 20) or (b"", None)
    assert root is not None
    scan = ADAPTER.scan("Program.cs", "csharp", source, root, None)
    assert [s.file for s in scan.config_sources] == [
        "yarp.json",
        "cfg/a.json",
        "cfg\\b.json",
        "config/appsettings.json",
        None,
        "app.xml",
        None,
    ]
