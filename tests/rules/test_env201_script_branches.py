"""ENV201 on a script run as the container's program (``ruby main.rb``) and on an Elixir
release's runtime configuration (``config/runtime.exs``): their top level is start-up code.  A
read there crashes the service at start; one inside a branch of it (an ``if``/``unless``/
``case``, a modifier, a ternary) crashes it only when the branch runs, whose condition envlint
does not evaluate: a note, as for Python (blind 17f, supabase/realtime and supavisor)."""

from __future__ import annotations

from pathlib import Path

from envlint.findings import Finding
from tests.conftest import run_lint, write_tree

MAIN_RB = """\
require_relative "lib/setup"

DATABASE_URL = ENV.fetch("DATABASE_URL")
if ENV["LOGS_ENGINE"] == "logflare"
  raise "LOGFLARE_API_KEY missing" unless ENV["LOGFLARE_API_KEY"]
end
if ENV["SSL_PORT"]
  cert = ENV.fetch("CERTFILE")
else
  cert = ENV.fetch("PLAIN_CERT")
end
case ENV.fetch("MODE", "web")
when "worker" then queue = ENV.fetch("QUEUE_URL")
end
token = ENV.fetch("TOKEN") if ENV["AUTH"]
region = ENV["CLOUD"] ? ENV.fetch("REGION") : "local"

def main
  ENV.fetch("MAIN_SECRET")
end

def later
  ENV.fetch("LATER_SECRET")
end

get "/" do
  ENV.fetch("ROUTE_SECRET")
end

[1, 2].each { |i| ENV.fetch("EACH_SECRET") }

if __FILE__ == $0
  main
  ENV.fetch("MAIN_BLOCK_SECRET")
end
"""

SETUP_RB = """\
class Setup
  KEY = ENV.fetch("SETUP_KEY")

  def initialize
    @host = ENV.fetch("SETUP_HOST")
  end
end
"""


def _env201(root: Path, files: dict[str, str]) -> list[Finding]:
    write_tree(root, files)
    return list(run_lint(root, select=("ENV201",), cache=False).findings)


def _lint(root: Path, command: str = '["ruby", "main.rb"]') -> dict[str | None, Finding]:
    findings = _env201(
        root,
        {
            "compose.yml": "services:\n  app:\n    build: .\n",
            "Dockerfile": f"FROM ruby:3.3\nWORKDIR /app\nCOPY . .\nCMD {command}\n",
            "main.rb": MAIN_RB,
            "lib/setup.rb": SETUP_RB,
        },
    )
    return {f.variable: f for f in findings}


def _severity(finding: Finding) -> str:
    return finding.severity.value


def _assert_branch_notes(by: dict[str | None, Finding], names: tuple[str, ...]) -> None:
    for name in names:
        assert _severity(by[name]) == "info", name
        assert "if the branch that reads it runs" in by[name].message
        assert "could not tell" not in by[name].message


def test_a_ruby_scripts_top_level_reads_crash_it_at_start(tmp_path: Path) -> None:
    by = _lint(tmp_path)
    for name in ("DATABASE_URL", "SETUP_KEY", "MAIN_SECRET", "MAIN_BLOCK_SECRET", "EACH_SECRET"):
        assert _severity(by[name]) == "error", name
        assert "crashes at start without" in by[name].message
        assert "could not tell" not in by[name].message


def test_a_read_in_a_branch_of_a_ruby_scripts_top_level_is_a_note(tmp_path: Path) -> None:
    by = _lint(tmp_path)
    branches = ("LOGFLARE_API_KEY", "CERTFILE", "PLAIN_CERT", "QUEUE_URL", "TOKEN", "REGION")
    _assert_branch_notes(by, branches)


def test_ruby_code_that_runs_later_is_no_start_up_crash(tmp_path: Path) -> None:
    by = _lint(tmp_path)
    assert _severity(by["LATER_SECRET"]) == "warning"
    assert "when `later` runs" in by["LATER_SECRET"].message
    assert _severity(by["ROUTE_SECRET"]) == "warning"
    assert "crashes at start" not in by["ROUTE_SECRET"].message
    # nothing constructs Setup: its constructor runs later, if ever
    assert _severity(by["SETUP_HOST"]) == "warning"


RUNTIME_EXS = """\
import Config

secret = System.fetch_env!("SECRET_KEY_BASE")
logs_engine = System.get_env("LOGS_ENGINE")

if logs_engine == "logflare" do
  if !System.get_env("LOGFLARE_API_KEY") do
    raise "LOGFLARE_API_KEY is missing"
  end
end

if System.get_env("SSL_PORT") do
  config :app, certfile: System.fetch_env!("CERTFILE")
else
  config :app, plain: System.fetch_env!("PLAIN_CERT")
end

case System.get_env("MODE") do
  "worker" -> config :app, queue: System.fetch_env!("QUEUE_URL")
  _ -> :ok
end

if config_env() == :prod, do: config(:app, region: System.fetch_env!("REGION"))
config :app, hook: fn -> System.fetch_env!("HOOK_SECRET") end
"""

CONFIG_EXS = """\
import Config

config :app, built: System.fetch_env!("BUILD_SECRET")
"""

APPLICATION_EX = """\
defmodule App.Application do
  use Application

  def start(_type, _args) do
    key = System.fetch_env!("APP_KEY")
    Supervisor.start_link([], strategy: :one_for_one)
  end
end
"""


def _lint_elixir(root: Path) -> dict[str | None, Finding]:
    findings = _env201(
        root,
        {
            "compose.yml": "services:\n  app:\n    build: .\n",
            "Dockerfile": (
                'FROM elixir:1.16\nWORKDIR /app\nCOPY . .\nCMD ["mix", "run", "--no-halt"]\n'
            ),
            "mix.exs": "defmodule App.MixProject do\n  use Mix.Project\nend\n",
            "config/config.exs": CONFIG_EXS,
            "config/runtime.exs": RUNTIME_EXS,
            "lib/app/application.ex": APPLICATION_EX,
        },
    )
    return {f.variable: f for f in findings}


def test_elixir_runtime_configuration_runs_at_boot(tmp_path: Path) -> None:
    by = _lint_elixir(tmp_path)
    assert _severity(by["SECRET_KEY_BASE"]) == "error"
    assert "crashes at start without" in by["SECRET_KEY_BASE"].message


def test_a_read_in_a_branch_of_elixir_runtime_configuration_is_a_note(tmp_path: Path) -> None:
    by = _lint_elixir(tmp_path)
    _assert_branch_notes(by, ("LOGFLARE_API_KEY", "CERTFILE", "PLAIN_CERT", "QUEUE_URL", "REGION"))


def test_other_elixir_code_stays_unplaced(tmp_path: Path) -> None:
    by = _lint_elixir(tmp_path)
    # config.exs runs when a release is built; a module's functions are not read; an
    # anonymous function in the runtime configuration runs when the application calls it
    assert "when `config callback` runs" in by["HOOK_SECRET"].message
    for name in ("BUILD_SECRET", "APP_KEY", "HOOK_SECRET"):
        assert _severity(by[name]) == "warning", name
        assert "crashes at start" not in by[name].message


def _lint_two_services(root: Path, second: str) -> list[Finding]:
    findings = _env201(
        root,
        {
            "compose.yml": f"services:\n  app:\n    build: .\n  copy:\n{second}",
            "Dockerfile": 'FROM elixir:1.16\nWORKDIR /app\nCOPY . .\nCMD ["mix", "run"]\n',
            "mix.exs": "defmodule App.MixProject do\n  use Mix.Project\nend\n",
            "config/runtime.exs": RUNTIME_EXS,
        },
    )
    return [f for f in findings if f.variable == "LOGFLARE_API_KEY"]


def test_two_services_that_run_the_same_build_and_command_share_their_code(
    tmp_path: Path,
) -> None:
    findings = _lint_two_services(tmp_path, "    build: .\n")
    assert len(findings) == 2
    assert all(_severity(f) == "info" for f in findings)


def test_a_directory_that_two_programs_run_from_places_no_read(tmp_path: Path) -> None:
    findings = _lint_two_services(tmp_path, "    build: .\n    command: mix phx.server\n")
    assert len(findings) == 2
    for finding in findings:
        assert _severity(finding) == "warning"
        assert "could not tell whether this code runs at start" in finding.message
