"""Function facts from one parse: names as each language refers to them, entries by the
language's rules, calls, spans; queries compile for every language that has one."""

from __future__ import annotations

import pytest

from envlint.filepass.languages import LANGUAGES, parser_for
from envlint.servicecode.functions import extract_functions, has_function_query
from tests.servicecode._harness import facts_of


@pytest.mark.parametrize("language", [spec.name for spec in LANGUAGES])
def test_every_query_compiles_and_reads_an_empty_file(language: str) -> None:
    if not has_function_query(language):
        pytest.skip(f"no functions query for {language}")
    parser = parser_for(language)
    assert parser is not None
    facts = extract_functions(language, parser.parse(b"").root_node, b"", "x")
    assert facts.functions == () and facts.top_calls == ()


def _units(facts_by_path: dict[str, object], path: str) -> list[tuple[str, str, str | None]]:
    facts = facts_by_path[path]
    return [(f.kind, f.name, f.entry) for f in facts.functions]  # type: ignore[attr-defined]


def test_go_names_receivers_and_entries() -> None:
    facts = facts_of(
        {
            "cmd/api/main.go": """
                package main

                func main() {}
                func init() {}
                func (s *Server) Handle() {}
                func (c Cache[K]) Get() {}
                """,
            "lib/lib.go": """
                package lib

                func main() {}
                func init() {}
                """,
        }
    )
    assert _units(facts, "cmd/api/main.go") == [
        ("function", "main.main", "func main"),
        ("function", "main.init", "func init"),
        ("method", "Server.Handle", None),
        ("method", "Cache.Get", None),
    ]
    assert _units(facts, "lib/lib.go") == [
        ("function", "lib.main", None),  # main() of a package that is not main
        ("function", "lib.init", "func init"),
    ]
    assert facts["lib/lib.go"].top_entry == "package initialisation"
    assert facts["lib/lib.go"].scope == "lib"


def test_csharp_registrations_constructors_and_initialisers() -> None:
    facts = facts_of(
        {
            "Program.cs": """
                builder.Services.AddSingleton<KafkaConsumer>();
                builder.Services.AddScoped<IOrders, Data.SqlOrders>();
                services.AddTransient(typeof(IClock), typeof(SystemClock));
                builder.WebHost.UseStartup<Startup>();
                """,
            "Worker.cs": """
                public class Worker : Microsoft.Extensions.Hosting.BackgroundService
                {
                    private static readonly string Name = Load();
                    private readonly string _queue = Queue();
                    static Worker() { }
                    public Worker() { }
                    protected override Task ExecuteAsync(CancellationToken t) => Task.Delay(1);
                    public void Handle() { }
                }
                """,
        }
    )
    assert facts["Program.cs"].registered == (
        ("KafkaConsumer", "AddSingleton"),
        ("SqlOrders", "AddScoped"),
        ("SystemClock", "registered with typeof"),
        ("Startup", "UseStartup"),
    )
    assert facts["Program.cs"].top_entry == "top level statements"
    assert facts["Worker.cs"].top_entry is None
    assert _units(facts, "Worker.cs") == [
        ("static-init", "Worker.Name", None),
        ("init", "Worker._queue", None),
        ("static-init", "Worker.Worker", "hosted service"),
        ("constructor", "Worker.Worker", "hosted service"),
        ("method", "Worker.ExecuteAsync", "hosted service"),
        ("method", "Worker.Handle", None),
    ]


def test_python_entries_and_decorators() -> None:
    facts = facts_of(
        {
            "app/main.py": """
                @app.on_event("startup")
                async def warm():
                    pass

                @app.get("/")
                async def index():
                    pass

                class Settings:
                    def __init__(self):
                        pass

                if __name__ == "__main__":
                    main()
                """
        }
    )
    assert _units(facts, "app/main.py") == [
        ("function", "app.main.warm", "on_event startup"),
        ("function", "app.main.index", None),
        ("constructor", "Settings.__init__", None),
        ("main-block", "__main__", "if __name__ __main__"),
    ]
    top = [(c.qualifier, c.name) for c in facts["app/main.py"].top_calls]
    assert top == [("app", "on_event"), ("app", "get")]  # decorators run on import


def test_javascript_static_fields_belong_to_the_class_declaration() -> None:
    facts = facts_of(
        {
            "src/a.js": """
                class A {
                  static shared = load();
                  own = make();
                  handle = () => work();
                }
                """
        }
    )
    units = [(f.kind, f.name, [c.name for c in f.calls]) for f in facts["src/a.js"].functions]
    assert units == [
        ("init", "A.own", ["make"]),
        ("init", "A.handle", []),
        ("method", "A.handle", ["work"]),
    ]
    assert [c.name for c in facts["src/a.js"].top_calls] == ["load"]


def test_spans_count_characters_and_broken_files_keep_what_parses() -> None:
    facts = facts_of(
        {
            "src/ü.ts": """
                const s = "ääää"; const f = () => g();
                function broken( {
                function after() { h(); }
                """
        }
    )
    f = facts["src/ü.ts"].functions[0]
    assert (f.name, f.span.line, f.span.column) == ("f", 1, 29)  # the arrow's "(" (byte 33)
    assert any(
        u.name == "after" and [c.name for c in u.calls] == ["h"]
        for u in facts["src/ü.ts"].functions
    )


@pytest.mark.parametrize(
    "language", ["go", "python", "javascript", "typescript", "csharp", "java", "kotlin", "rust"]
)
def test_garbage_never_raises(language: str) -> None:
    parser = parser_for(language)
    assert parser is not None
    source = bytes(range(256)) * 8 + b"func ( class { def fun =>"
    extract_functions(language, parser.parse(source).root_node, source, "x")


def test_facts_survive_the_analysis_cache_codec() -> None:
    from envlint.cache import dumps, loads
    from tests.servicecode._harness import FIXTURES, function_facts

    for fixture in ("servicecode_go", "servicecode_csharp", "servicecode_ts"):
        for path, facts in function_facts(FIXTURES / fixture).items():
            assert loads(dumps(facts)) == facts, path
