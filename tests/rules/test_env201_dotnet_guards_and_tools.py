"""ENV201 on .NET services that share a library project:

- a guard about another value (``ArgumentNullException.ThrowIfNull(opts)``) in the branch a
  missing variable takes throws only when that value is null: the branch is no crash of the
  variable's (a ``throw``, or a guard of the variable itself, still is);
- an EF Core design-time factory (``IDesignTimeDbContextFactory<T>``, directly or through a base
  class of the same file) runs only under ``dotnet ef``: its reads are no service's.
"""

from __future__ import annotations

from pathlib import Path

from envlint.findings import Finding
from tests.conftest import run_lint, write_tree

SDK = '<Project Sdk="Microsoft.NET.Sdk{web}">\n{body}\n</Project>\n'
REF = '<ItemGroup><ProjectReference Include="../Common/Common.csproj" /></ItemGroup>'


def _dockerfile(name: str) -> str:
    return (
        "FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nWORKDIR /app\nCOPY . .\n"
        f"RUN dotnet publish src/{name}/{name}.csproj -c Release -o /out\n"
        "FROM mcr.microsoft.com/dotnet/aspnet:8.0\nWORKDIR /app\nCOPY --from=build /out .\n"
        f'ENTRYPOINT ["dotnet", "{name}.dll"]\n'
    )


COMPOSE = """\
services:
  orders:
    build:
      context: .
      dockerfile: src/Orders/Dockerfile
    environment:
      UNRELATED: "1"
"""

PROGRAM = """\
using Common;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddBus(builder.Configuration);
builder.Build().Run();
"""

# the bus: the connection string, or options of its own (guarded) when it is missing
BUS = """\
using System;
using Microsoft.Extensions.Configuration;

namespace Common;

public static class Bus
{
    public static void AddBus(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddTransport((context, cfg) =>
        {
            var broker = configuration.GetConnectionString("broker");
            if (!string.IsNullOrEmpty(broker))
            {
                cfg.Host(new Uri(broker));
            }
            else
            {
                var opts = services.GetOptions<BrokerOptions>("Broker");
                ArgumentNullException.ThrowIfNull(opts);
                cfg.Host(opts.HostName);
            }

            var cache = configuration.GetConnectionString("cache");
            if (string.IsNullOrEmpty(cache))
            {
                ArgumentException.ThrowIfNullOrEmpty(cache);
            }
            cfg.Cache(cache);

            var audit = configuration.GetConnectionString("audit");
            if (audit == null)
            {
                var fallback = services.GetOptions<AuditOptions>("Audit");
                ArgumentNullException.ThrowIfNull(fallback);
                throw new InvalidOperationException("no audit store");
            }
            cfg.Audit(audit);
        });
    }
}
"""

FACTORIES = """\
using System;
using System.IO;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.Configuration;

namespace Common;

public abstract class DesignFactoryBase<T> : IDesignTimeDbContextFactory<T> where T : DbContext
{
    public T CreateDbContext(string[] args) => Build(Directory.GetCurrentDirectory());

    protected abstract T Make(DbContextOptions<T> options);

    private T Build(string path)
    {
        var config = new ConfigurationBuilder().SetBasePath(path).AddEnvironmentVariables().Build();
        var cs = config.GetConnectionString("Migrations");
        if (string.IsNullOrWhiteSpace(cs))
        {
            throw new InvalidOperationException("no connection string");
        }
        return Make(new DbContextOptionsBuilder<T>().UseNpgsql(cs).Options);
    }
}

public class OrdersDesignFactory : DesignFactoryBase<OrdersContext>
{
    protected override OrdersContext Make(DbContextOptions<OrdersContext> options)
    {
        var schema = Environment.GetEnvironmentVariable("MIGRATION_SCHEMA")
            ?? throw new InvalidOperationException("no schema");
        var timeout = int.Parse(Environment.GetEnvironmentVariable("MIGRATION_TIMEOUT")!);
        return new OrdersContext(options, schema, timeout);
    }
}

public class Store : DbStore<OrdersContext>
{
    public string Connection()
    {
        var cs = Environment.GetEnvironmentVariable("STORE_URL");
        if (string.IsNullOrWhiteSpace(cs))
        {
            throw new InvalidOperationException("no store");
        }
        return cs;
    }

    public int Timeout() => int.Parse(Environment.GetEnvironmentVariable("STORE_TIMEOUT")!);
}
"""


def _lint(root: Path, rule: str = "ENV201") -> list[Finding]:
    write_tree(
        root,
        {
            "compose.yaml": COMPOSE,
            "src/Orders/Dockerfile": _dockerfile("Orders"),
            "src/Orders/Orders.csproj": SDK.format(web=".Web", body=REF),
            "src/Orders/Program.cs": PROGRAM,
            "src/Common/Common.csproj": SDK.format(web="", body=""),
            "src/Common/Bus.cs": BUS,
            "src/Common/Factories.cs": FACTORIES,
        },
    )
    return list(run_lint(root, select=(rule,), cache=False).findings)


def test_a_guard_of_another_value_is_no_crash_of_the_variable(tmp_path: Path) -> None:
    found = {f.variable: f for f in _lint(tmp_path)}
    # `ThrowIfNull(opts)` throws only when the options are null: not the read's crash
    assert "ConnectionStrings__broker" not in found, found
    # a guard of the read's own holder, and a `throw` in the branch, still are
    assert "ConnectionStrings__cache" in found, found
    assert "ConnectionStrings__audit" in found, found
    # the crash is the `throw`, not the guard of the options before it
    related = found["ConnectionStrings__audit"].related
    crashes = [r for r in related if r.message.startswith("fails")]
    assert [(r.location.path, r.location.line) for r in crashes] == [("src/Common/Bus.cs", 36)]


def test_a_design_time_factory_is_no_services_code(tmp_path: Path) -> None:
    found = {f.variable for f in _lint(tmp_path)}
    # the factory implementing IDesignTimeDbContextFactory, and the one derived from it
    assert "ConnectionStrings__Migrations" not in found, found
    assert "MIGRATION_SCHEMA" not in found, found
    # a class of the same file with another base is the service's code
    assert "STORE_URL" in found, found
    assert "STORE_TIMEOUT" in found and "MIGRATION_TIMEOUT" not in found, found


def test_a_design_time_factory_has_no_required_tuning_parameter(tmp_path: Path) -> None:
    found = {f.variable for f in _lint(tmp_path, "ENV202")}
    assert "MIGRATION_TIMEOUT" not in found, found
    assert "STORE_TIMEOUT" in found, found
