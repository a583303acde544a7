""".NET: a project -> its C# files and those of the projects it references."""

from __future__ import annotations

from pathlib import Path

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
