"""Go: what the start-up walk follows in a small module with two programs (cmd/api, cmd/tool);
the annotated reads are checked in ``test_startup_fixtures``."""

from __future__ import annotations

from envlint.servicecode.startup import StartupMap
from tests.servicecode._harness import FIXTURES, env_reads, function_facts
from tests.servicecode.test_startup_fixtures import PROGRAMS

ROOT = FIXTURES / "servicecode_go"
API_FILES = PROGRAMS["servicecode_go"][0]


def _read(name: str):  # type: ignore[no-untyped-def]
    return next(r for r in env_reads(ROOT) if r.name == name)


def test_without_a_file_list_every_program_of_the_module_counts() -> None:
    startup = StartupMap.build(function_facts(ROOT), None)
    assert startup.classify(_read("TOOL_TOKEN").location) == "startup"
    assert startup.function_at(_read("TOOL_TOKEN").location) == "main.main"


def test_calls_are_followed_only_depth_levels() -> None:
    facts = function_facts(ROOT)
    port = _read("PORT").location  # main.main -> config.Load -> config.port
    assert StartupMap.build(facts, API_FILES, depth=2).classify(port) == "startup"
    assert StartupMap.build(facts, API_FILES, depth=1).classify(port) == "on-demand"
    # top level and init() need no call
    assert StartupMap.build(facts, API_FILES, depth=0).classify(_read("QUEUE_NAME").location) == (
        "startup"
    )


def test_why_names_the_entry_and_each_call() -> None:
    startup = StartupMap.build(function_facts(ROOT), API_FILES)
    assert startup.why(_read("PORT").location) == (
        "main.main (func main)",
        "config.Load",
        "config.port",
    )
    assert startup.why(_read("DATABASE_URL").location) == (
        "top level of internal/config/config.go (package initialisation)",
    )
    assert startup.why(_read("GITHUB_TOKEN").location) == ()
