"""The Elixir adapter (queries/elixir.scm + sources/elixir.py): every form fires with the right
class, look-alikes do not, and ENV201/ENV204 fire exactly on the marked lines of a Phoenix-like
project."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from envlint.config import Settings
from envlint.engine import lint
from envlint.filepass.languages import is_skipped, language_of
from envlint.sources.model import EnvRead, SourceIndex
from tests.sources._helpers import brief, index_files

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "sources_elixir_app"


def index(root: Path, files: dict[str, str]) -> SourceIndex:
    return index_files(root, files, "app")


def reads(root: Path, body: str) -> list[EnvRead]:
    source = "defmodule App.Worker do\n  def run do\n" + body + "\n  end\nend\n"
    return list(index(root, {"lib/app/worker.ex": source}).reads)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ('a = System.get_env("A")', ("A", 3, "empty", "empty", None, "string", None)),
        ('a = System.get_env("A", "d")', ("A", 3, "default", "empty", '"d"', "string", None)),
        ('a = System.get_env("A", nil)', ("A", 3, "empty", "empty", None, "string", None)),
        ('a = System.fetch_env!("A")', ("A", 3, "crash", "empty", None, "string", None)),
        ('a = System.get_env("A") || "d"', ("A", 3, "default", "empty", '"d"', "string", None)),
        (
            'a = System.get_env("A") || raise "no A"',
            ("A", 3, "crash", "empty", None, "string", None),
        ),
        ('{:ok, a} = System.fetch_env("A")', ("A", 3, "crash", "empty", None, "string", None)),
        ('a = System.fetch_env("A")', ("A", 3, "empty", "empty", None, "string", None)),
        (
            'a = String.to_integer(System.get_env("A", "5"))',
            ("A", 3, "default", "crash", '"5"', "int", None),
        ),
        (
            'a = System.get_env("A") |> String.to_integer()',
            ("A", 3, "crash", "crash", None, "int", None),
        ),
        (
            'a = String.to_float(System.fetch_env!("A"))',
            ("A", 3, "crash", "crash", None, "float", None),
        ),
        (
            'a = System.get_env("A") |> String.split(",")',
            ("A", 3, "crash", "empty", None, "string", None),
        ),
        (
            'a = System.get_env("A")\n    if is_nil(a), do: raise "no A"',
            ("A", 3, "crash", "empty", None, "string", None),
        ),
        (
            'a = System.get_env("A")\n    if a == "", do: System.halt(1)',
            ("A", 3, "empty", "crash", None, "string", None),
        ),
        (
            'a = System.get_env("A")\n    if a in [nil, ""], do: raise "no A"',
            ("A", 3, "crash", "crash", None, "string", None),
        ),
        (
            'a = System.get_env("A")\n    unless a do\n      raise "no A"\n    end',
            ("A", 3, "crash", "empty", None, "string", None),
        ),
        (
            'a = System.get_env("A")\n    if a, do: :ok, else: raise("no A")',
            ("A", 3, "crash", "empty", None, "string", None),
        ),
        (
            'case System.fetch_env("A") do\n      {:ok, v} -> v\n'
            '      :error -> raise "no A"\n    end',
            ("A", 3, "crash", "empty", None, "string", None),
        ),
        (
            'case System.fetch_env("A") do\n      {:ok, v} -> v\n      :error -> "d"\n    end',
            ("A", 3, "default", "empty", '"d"', "string", None),
        ),
        (
            'case System.fetch_env("A") do\n      {:ok, v} -> v\n      :error -> nil\n    end',
            ("A", 3, "empty", "empty", None, "string", None),
        ),
        (
            'case System.get_env("A") do\n      nil -> raise "no A"\n      v -> v\n    end',
            ("A", 3, "crash", "empty", None, "string", None),
        ),
        (
            'case System.get_env("A") do\n      nil -> "d"\n      v -> v\n    end',
            ("A", 3, "default", "empty", '"d"', "string", None),
        ),
        (
            'case System.get_env("A") do\n      nil -> nil\n      v -> v\n    end',
            ("A", 3, "empty", "empty", None, "string", None),
        ),
        (
            'with {:ok, v} <- System.fetch_env("A") do\n      v\n'
            '    else\n      :error -> raise "no"\n    end',
            ("A", 3, "crash", "empty", None, "string", None),
        ),
        (
            'try do\n      System.fetch_env!("A")\n    rescue\n      _ -> nil\n    end',
            ("A", 4, "unknown", "empty", None, "string", None),
        ),
        (
            'System.put_env("A", "1")\n    System.fetch_env!("A")',
            ("A", 4, "default", "default", '"1"', "string", None),
        ),
    ],
)
def test_forms(tmp_path: Path, code: str, expected: tuple[object, ...]) -> None:
    assert [brief(r) for r in reads(tmp_path, "    " + code)] == [expected]


@pytest.mark.parametrize(
    "code",
    [
        "a = Application.fetch_env!(:app, :key)",  # the application environment, not the OS one
        'a = Application.get_env(:app, "A")',
        'a = Map.get(env, "A")',
        '# System.fetch_env!("A")',
        'a = "System.fetch_env!(\\"A\\")"',
    ],
)
def test_look_alikes_are_not_reads(tmp_path: Path, code: str) -> None:
    assert reads(tmp_path, "    " + code) == []


def test_names_attributes_interpolation_and_concatenation(tmp_path: Path) -> None:
    source = """
        defmodule App.Kafka do
          @var "KAFKA_BROKERS"
          def run(suffix) do
            a = System.fetch_env!(@var)
            b = System.fetch_env!("APP_#{suffix}_HOST")
            c = System.fetch_env!("APP_" <> "PORT")
            d = System.fetch_env!(@elsewhere)
          end
        end
    """
    found = index(tmp_path, {"lib/kafka.ex": source, "lib/other.ex": '@elsewhere "NOPE"'})
    assert [(r.name, r.is_pattern) for r in found.reads] == [
        ("KAFKA_BROKERS", False),
        ("APP_*_HOST", True),
        ("APP_PORT", False),
    ]
    assert found.dynamic_reads == 1  # a module attribute of another file is never its value


def test_wrappers_in_their_module_and_by_module_name(tmp_path: Path) -> None:
    files = {
        "lib/env.ex": """
            defmodule App.Env do
              def optional(key, default \\\\ nil), do: System.get_env(key, default)
              def required(key), do: System.get_env(key) || raise "#{key} is required"
              def boot, do: required("BOOT")
            end
        """,
        "lib/worker.ex": """
            defmodule App.Worker do
              def run do
                a = App.Env.required("A")
                b = Env.optional("B", "5")
                c = Env.optional("C")
                d = required("NOT_THIS_MODULE")
              end
            end
        """,
    }
    found = {r.name: brief(r) for r in index(tmp_path, files).reads}
    assert found == {
        "BOOT": ("BOOT", 4, "crash", "empty", None, "string", "required"),
        "A": ("A", 3, "crash", "empty", None, "string", "required"),
        "B": ("B", 4, "default", "empty", '"5"', "string", "optional"),
        "C": ("C", 5, "empty", "empty", None, "string", "optional"),
    }


def test_files_of_the_language() -> None:
    assert language_of("lib/app.ex") == language_of("config/runtime.exs") == "elixir"
    assert is_skipped("config/test.exs") and is_skipped("test/app_test.exs")
    assert is_skipped("deps/kafka_ex/lib/kafka_ex.ex") and is_skipped("_build/prod/lib/x.ex")
    assert not is_skipped("config/runtime.exs") and not is_skipped("lib/latest.exs")


_MARK = re.compile(r"^\s*#\s*((?:(?:expect|ok): ENV\d{3}\s*)+)$")


def _marked(root: Path) -> tuple[set[tuple[str, int, str]], set[tuple[str, int, str]]]:
    """(expect, ok): a comment ``# expect: ENV201`` / ``# ok: ENV201 ok: ENV204`` marks the
    next line that is not a comment."""
    expect: set[tuple[str, int, str]] = set()
    ok: set[tuple[str, int, str]] = set()
    for file in sorted(root.rglob("*.ex*")):
        rel = file.relative_to(root).as_posix()
        pending: list[str] = []
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip().startswith("#"):
                if (found := _MARK.match(line)) is not None:
                    pending.extend(_pairs(found.group(1)))
                continue
            for mark in pending:
                kind, code = mark.split(": ")
                (expect if kind == "expect" else ok).add((rel, number, code))
            pending = []
    return expect, ok


def _pairs(text: str) -> list[str]:
    words = text.split()
    return [f"{words[i]} {words[i + 1]}" for i in range(0, len(words), 2)]


def test_env201_env204_fixture_project() -> None:
    report = lint([FIXTURE], Settings(select=("ENV201", "ENV204"), cache=False))
    actual = {(f.location.path, f.location.line, f.code) for f in report.findings}
    expect, ok = _marked(FIXTURE)
    assert {c for _, _, c in expect} == {"ENV201", "ENV204"}
    assert {c for _, _, c in ok} == {"ENV201", "ENV204"}
    assert actual == expect
    assert not actual & ok


def test_wrappers_with_guards_heads_and_if_values(tmp_path: Path) -> None:
    """`if v do ... else default end` as a function's result gives the caller's default (the
    declared one of a bodiless head when the call leaves it out); an `if` whose value is not
    used leaves the variable empty."""
    files = {
        "lib/env.ex": """
            defmodule App.Env do
              def get_integer(env, default \\\\ nil)

              def get_integer(env, default) when is_integer(default) or is_nil(default) do
                value = System.get_env(env)
                if value do
                  String.to_integer(value)
                else
                  default
                end
              end

              def get_list(env, default) when is_list(default) do
                value = System.get_env(env)
                if value, do: String.split(value, ","), else: default
              end

              def warn(env) do
                value = System.get_env(env)
                if value, do: :ok, else: IO.puts("no value")
                String.trim(value)
              end
            end
        """,
        "config/runtime.exs": """
            import Config
            alias App.Env
            config :app,
              pool: Env.get_integer("POOL_SIZE", 10),
              buffer: Env.get_integer("BUFFER"),
              hosts: Env.get_list("HOSTS", []) |> Enum.join(","),
              name: Env.warn("NAME")
        """,
    }
    found = {r.name: brief(r)[1:] for r in index(tmp_path, files).reads}
    assert found == {
        "POOL_SIZE": (4, "default", "empty", "10", "int", "get_integer"),
        "BUFFER": (5, "empty", "empty", None, "int", "get_integer"),
        "HOSTS": (6, "default", "empty", "[]", "string", "get_list"),
        "NAME": (7, "empty", "empty", None, "string", "warn"),  # no default from IO.puts
    }
