""".NET: a project -> its C# files and those of the projects it references."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_lint, write_tree
from tests.servicecode._graphtree import notes_text, resolve

SDK = '<Project Sdk="Microsoft.NET.Sdk{web}">\n{body}\n</Project>\n'


def project(body: str = "", web: bool = False) -> str:
    return SDK.format(web=".Web" if web else "", body=body)


SOLUTION = {
    "Shop.sln": "Microsoft Visual Studio Solution File\n",
    "src/Api/Api.csproj": project(
        """
  <ItemGroup>
    <ProjectReference Include="..\\Core\\Core.csproj" />
    <Compile Remove="Legacy/**" />
  </ItemGroup>""",
        web=True,
    ),
    "src/Api/Program.cs": "var app = WebApplication.Create(args);\n",
    "src/Api/Controllers/OrdersController.cs": "namespace Api.Controllers;\n",
    "src/Api/Legacy/Old.cs": "class Old {}\n",
    "src/Api/.generated/Hidden.cs": "class Hidden {}\n",
    "src/Api/Tools/Tools.csproj": project(),
    "src/Api/Tools/Tool.cs": "class Tool {}\n",
    "src/Core/Core.csproj": project(
        '<ItemGroup><ProjectReference Include="$(MSBuildThisFileDirectory)../Shared/Shared.csproj"'
        " /></ItemGroup>"
    ),
    "src/Core/Services/OrderService.cs": "namespace Core;\n",
    "src/Shared/Shared.csproj": project(),
    "src/Shared/Util.cs": "namespace Shared;\n",
    "src/Cli/Cli.csproj": project(
        '<ItemGroup><ProjectReference Include="../Core/Core.csproj" /></ItemGroup>'
    ),
    "src/Cli/Main.cs": "class Cli {}\n",
    "tests/Api.Tests/Api.Tests.csproj": project(
        '<ItemGroup><ProjectReference Include="../../src/Api/Api.csproj" /></ItemGroup>'
    ),
    "tests/Api.Tests/OrdersTests.cs": "class OrdersTests {}\n",
}


def test_project_references_are_followed_and_other_projects_excluded(tmp_path: Path) -> None:
    result = resolve(tmp_path, SOLUTION, "csharp", "dotnet-project", "src/Api/Api.csproj")
    assert result.files == {
        "src/Api/Program.cs",
        "src/Api/Controllers/OrdersController.cs",
        "src/Core/Services/OrderService.cs",
        "src/Shared/Util.cs",
    }
    assert result.complete, result.notes


def test_the_cli_project_gets_its_own_closure(tmp_path: Path) -> None:
    result = resolve(tmp_path, SOLUTION, "csharp", "dotnet-project", "src/Cli/Cli.csproj")
    assert result.files == {
        "src/Cli/Main.cs",
        "src/Core/Services/OrderService.cs",
        "src/Shared/Util.cs",
    }


def test_old_style_project_compiles_only_its_items_and_shared_projects(tmp_path: Path) -> None:
    tree = {
        "Legacy/Legacy.csproj": (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            '<Project ToolsVersion="15.0" '
            'xmlns="http://schemas.microsoft.com/developer/msbuild/2003">\n'
            "  <ItemGroup>\n"
            '    <Compile Include="Program.cs" />\n'
            '    <Compile Include="Jobs\\*.cs" />\n'
            "  </ItemGroup>\n"
            '  <Import Project="..\\Common\\Common.projitems" Label="Shared" />\n'
            "</Project>\n"
        ),
        "Legacy/Program.cs": "class P {}\n",
        "Legacy/Jobs/Nightly.cs": "class N {}\n",
        "Legacy/Jobs/Deep/NotMatched.cs": "class D {}\n",
        "Legacy/Unlisted.cs": "class U {}\n",
        "Common/Common.projitems": (
            '<Project xmlns="http://schemas.microsoft.com/developer/msbuild/2003">\n'
            '  <ItemGroup><Compile Include="$(MSBuildThisFileDirectory)Clock.cs" /></ItemGroup>\n'
            "</Project>\n"
        ),
        "Common/Clock.cs": "class Clock {}\n",
    }
    result = resolve(tmp_path, tree, "csharp", "dotnet-project", "Legacy/Legacy.csproj")
    assert result.files == {"Legacy/Program.cs", "Legacy/Jobs/Nightly.cs", "Common/Clock.cs"}
    assert result.complete, result.notes


def test_default_items_off_and_linked_files(tmp_path: Path) -> None:
    tree = {
        "App/App.csproj": project(
            "<PropertyGroup><EnableDefaultCompileItems>false</EnableDefaultCompileItems>"
            '</PropertyGroup><ItemGroup><Compile Include="Main.cs;../Linked/**/*.cs" />'
            "</ItemGroup>"
        ),
        "App/Main.cs": "class M {}\n",
        "App/Other.cs": "class O {}\n",
        "Linked/A/B.cs": "class B {}\n",
    }
    result = resolve(tmp_path, tree, "csharp", "dotnet-project", "App/App.csproj")
    assert result.files == {"App/Main.cs", "Linked/A/B.cs"}


def test_unresolvable_references_are_notes_not_silence(tmp_path: Path) -> None:
    tree = {
        "Api/Api.csproj": project(
            "<ItemGroup>"
            '<ProjectReference Include="../Missing/Missing.csproj" />'
            '<ProjectReference Include="$(RepoRoot)/Lib/Lib.csproj" />'
            '<Compile Remove="$(GeneratedDir)/**" />'
            "</ItemGroup>"
        ),
        "Api/Program.cs": "class P {}\n",
        "Directory.Build.props": (
            '<Project><ItemGroup><Compile Include="../shared/*.cs" /></ItemGroup></Project>\n'
        ),
    }
    result = resolve(tmp_path, tree, "csharp", "dotnet-project", "Api/Api.csproj")
    assert result.files == {"Api/Program.cs"}
    assert not result.complete
    text = notes_text(result)
    assert "Missing/Missing.csproj" in text
    assert "$(RepoRoot)" in text
    assert "$(GeneratedDir)" in text
    assert "Directory.Build.props" in text


def test_dtd_and_broken_xml_are_refused_with_a_note(tmp_path: Path) -> None:
    tree = {
        "A/A.csproj": (
            '<?xml version="1.0"?>\n<!DOCTYPE p [<!ENTITY x "y">]>\n'
            '<Project Sdk="Microsoft.NET.Sdk">&x;</Project>\n'
        ),
        "A/A.cs": "class A {}\n",
        "B/B.csproj": '<Project Sdk="Microsoft.NET.Sdk"><ItemGroup>\n',
        "B/B.cs": "class B {}\n",
    }
    a = resolve(tmp_path, tree, "csharp", "dotnet-project", "A/A.csproj")
    assert a.files == frozenset()
    assert not a.complete
    assert "DTD" in notes_text(a)
    b = resolve(tmp_path, tree, "csharp", "dotnet-project", "B/B.csproj")
    assert b.files == frozenset()
    assert "not well-formed" in notes_text(b)


def test_fsproj_is_noted_and_its_csharp_references_followed(tmp_path: Path) -> None:
    tree = {
        "F/F.fsproj": project(
            '<ItemGroup><Compile Include="Program.fs" />'
            '<ProjectReference Include="../C/C.csproj" /></ItemGroup>'
        ),
        "F/Program.fs": 'printfn "hi"\n',
        "C/C.csproj": project(),
        "C/C.cs": "class C {}\n",
    }
    result = resolve(tmp_path, tree, "csharp", "dotnet-project", "F/F.fsproj")
    assert result.files == {"C/C.cs"}
    assert "F#" in notes_text(result)


# --- Blazor WebAssembly: compiled for the browser, served (not run) by the server -------------

BLAZOR = {
    "src/Web/Web.csproj": project(
        """
  <ItemGroup>
    <PackageReference Include="Microsoft.AspNetCore.Components.WebAssembly.Server" />
    <ProjectReference Include="..\\Admin\\Admin.csproj" />
    <ProjectReference Include="..\\Widgets\\Widgets.csproj" />
    <ProjectReference Include="..\\Shared\\Shared.csproj" />
  </ItemGroup>""",
        web=True,
    ),
    "src/Web/Program.cs": "var app = WebApplication.Create(args);\n",
    # the SDK form; its own reference (Client.Api) is browser code too
    "src/Admin/Admin.csproj": (
        '<Project Sdk="Microsoft.NET.Sdk.BlazorWebAssembly">\n  <ItemGroup>\n'
        '    <ProjectReference Include="../Client.Api/Client.Api.csproj" />\n'
        '    <ProjectReference Include="../Shared/Shared.csproj" />\n'
        "  </ItemGroup>\n</Project>\n"
    ),
    "src/Admin/Program.cs": "var builder = WebAssemblyHostBuilder.CreateDefault(args);\n",
    "src/Client.Api/Client.Api.csproj": project(),
    "src/Client.Api/CatalogClient.cs": "class CatalogClient {}\n",
    # the package form (an older Blazor WebAssembly project on the Web SDK)
    "src/Widgets/Widgets.csproj": project(
        '<ItemGroup><PackageReference Include="microsoft.aspnetcore.components.webassembly" '
        'Version="3.2.1" /></ItemGroup>',
        web=True,
    ),
    "src/Widgets/Program.cs": "class Widgets {}\n",
    "src/Shared/Shared.csproj": project(),
    "src/Shared/Dto.cs": "class Dto {}\n",
}


def test_a_referenced_webassembly_project_is_not_server_code(tmp_path: Path) -> None:
    result = resolve(tmp_path, BLAZOR, "csharp", "dotnet-project", "src/Web/Web.csproj")
    # Shared is still reached through Web's own reference; Client.Api only through Admin
    assert result.files == {"src/Web/Program.cs", "src/Shared/Dto.cs"}
    assert result.complete, result.notes
    text = notes_text(result)
    assert "src/Admin/Admin.csproj is a Blazor WebAssembly project" in text
    assert "src/Widgets/Widgets.csproj is a Blazor WebAssembly project" in text


def test_server_side_blazor_and_razor_libraries_are_still_followed(tmp_path: Path) -> None:
    tree = {
        "Host/Host.csproj": project(
            '<ItemGroup><ProjectReference Include="../Ui/Ui.csproj" />'
            '<ProjectReference Include="../Hosting/Hosting.csproj" /></ItemGroup>',
            web=True,
        ),
        "Host/Program.cs": "var app = WebApplication.Create(args);\n",
        # a Razor class library renders on the server
        "Ui/Ui.csproj": '<Project Sdk="Microsoft.NET.Sdk.Razor">\n</Project>\n',
        "Ui/Menu.cs": "class Menu {}\n",
        # the server-side hosting package is not the WebAssembly one
        "Hosting/Hosting.csproj": project(
            '<ItemGroup><PackageReference Include="Microsoft.AspNetCore.Components.'
            'WebAssembly.Server" /></ItemGroup>'
        ),
        "Hosting/Serve.cs": "class Serve {}\n",
    }
    result = resolve(tmp_path, tree, "csharp", "dotnet-project", "Host/Host.csproj")
    assert result.files == {"Host/Program.cs", "Ui/Menu.cs", "Hosting/Serve.cs"}
    assert "WebAssembly" not in notes_text(result)


def test_webassembly_sdk_as_an_element_or_import_with_a_version(tmp_path: Path) -> None:
    tree = {
        "Web/Web.csproj": project(
            '<ItemGroup><ProjectReference Include="../A/A.csproj" />'
            '<ProjectReference Include="../B/B.csproj" /></ItemGroup>',
            web=True,
        ),
        "Web/Program.cs": "var app = WebApplication.Create(args);\n",
        "A/A.csproj": (
            '<Project>\n  <Sdk Name="Microsoft.NET.Sdk.BlazorWebAssembly" Version="8.0.0" />\n'
            "</Project>\n"
        ),
        "A/App.cs": "class A {}\n",
        "B/B.csproj": (
            '<Project>\n  <Import Project="Sdk.props" '
            'Sdk="Microsoft.NET.Sdk.BlazorWebAssembly/8.0.0" />\n</Project>\n'
        ),
        "B/App.cs": "class B {}\n",
    }
    result = resolve(tmp_path, tree, "csharp", "dotnet-project", "Web/Web.csproj")
    assert result.files == {"Web/Program.cs"}


def test_a_webassembly_project_run_itself_keeps_its_files(tmp_path: Path) -> None:
    # only a reference is left out: the program's own project is what the service runs
    result = resolve(tmp_path, BLAZOR, "csharp", "dotnet-project", "src/Admin/Admin.csproj")
    assert result.files == {
        "src/Admin/Program.cs",
        "src/Client.Api/CatalogClient.cs",
        "src/Shared/Dto.cs",
    }


def test_browser_code_reads_are_not_the_services(tmp_path: Path) -> None:
    """The server's own required section fires; the WebAssembly client's (supplied by its
    wwwroot/appsettings.json, read in the browser) does not."""
    tree = {
        "compose.yaml": "services:\n  web:\n    build:\n      context: .\n"
        "      dockerfile: src/Web/Dockerfile\n",
        "src/Web/Dockerfile": (
            "FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nWORKDIR /app\nCOPY . .\n"
            "RUN dotnet publish src/Web/Web.csproj -c Release -o /out\n"
            "FROM mcr.microsoft.com/dotnet/aspnet:8.0\nWORKDIR /app\nCOPY --from=build /out .\n"
            'ENTRYPOINT ["dotnet", "Web.dll"]\n'
        ),
        "src/Web/Program.cs": (
            "var builder = WebApplication.CreateBuilder(args);\n"
            'var payments = builder.Configuration.GetRequiredSection("Payments");\n'
            "builder.Build().Run();\n"
        ),
        "src/Admin/Program.cs": (
            "var builder = WebAssemblyHostBuilder.CreateDefault(args);\n"
            'var ui = builder.Configuration.GetRequiredSection("AdminUi");\n'
            "await builder.Build().RunAsync();\n"
        ),
        "src/Admin/wwwroot/appsettings.json": '{"AdminUi": {"Theme": "dark"}}\n',
    }
    write_tree(tmp_path, {**BLAZOR, **tree})
    found = {(f.variable, f.location.path) for f in run_lint(tmp_path, select=("ENV201",)).findings}
    assert ("Payments", "src/Web/Program.cs") in found
    assert not any(name == "AdminUi" for name, _ in found), found
